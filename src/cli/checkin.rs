//! `goalpost checkin REF VALUE`: appends one check-in line to the check-in log. The
//! repository is validated as it would be after the append, under the log's lock and
//! before anything is written; an invalid check-in is refused with the file untouched.
//! Everything that can refuse does so before the write: the log's path (resolved like every
//! path, so a link out of the repository is refused), a read-only log, and `--commit`'s
//! repository state and signing. A log changed by another program between the read and the
//! write is read again and the check-in appended to the new content (SPEC 10).

use super::{Checked, CmdResult, Ctx, Failure, check_source, exit, out, parse_date, plural};
use crate::checkin::commit::Committer;
use crate::checkin::{self, NewCheckin, Overlay, store};
use crate::diag::{Code, Diagnostic};
use crate::load::resolve::{Hidden, Node, Resolved};
use crate::load::source::WorkTree;
use crate::model::{Date, Goals, KrMeasure, Observation};
use crate::select::{Target, resolve};
use crate::text::safe;
use clap::Args;
use std::time::Duration;

/// How long to wait for another `goalpost checkin` to finish with the log.
const LOCK_TIMEOUT: Duration = Duration::from_secs(10);
/// How many times the log is read again when another program keeps changing it.
const ATTEMPTS: usize = 5;

/// Append a check-in to the check-in log (`checkin_log` in goalpost.toml).
#[derive(Debug, Args)]
pub struct CheckinArgs {
    /// The key result (`team/objective/kr`) or KPI (`team/kpi`).
    #[arg(value_name = "REF")]
    pub reference: String,
    /// The measured value, a plain number; milestones take --done or --not-done instead.
    #[arg(
        value_name = "VALUE",
        allow_negative_numbers = true,
        required_unless_present_any = ["done", "not_done"],
        conflicts_with_all = ["done", "not_done"],
    )]
    pub value: Option<String>,
    /// The date observed (YYYY-MM-DD); default --as-of, else today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<Date>,
    /// How sure the team is of reaching the target, 0 to 1.
    #[arg(long, value_name = "P", allow_negative_numbers = true)]
    pub confidence: Option<f64>,
    /// A short note.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Who checked in (default: none written; reports take the author from git).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// The milestone is done.
    #[arg(long, conflicts_with = "not_done")]
    pub done: bool,
    /// The milestone is not done (yet).
    #[arg(long)]
    pub not_done: bool,
    /// Correct the check-in of REF on --date: the new one replaces it for every computation
    /// and the original stays in the log as history. REASON says what was wrong.
    #[arg(long, value_name = "REASON")]
    pub correct: Option<String>,
    /// Commit the log (only that file) with your git identity.
    #[arg(long)]
    pub commit: bool,
}

pub fn run(args: CheckinArgs, ctx: &Ctx) -> CmdResult {
    if ctx.at.is_some() {
        return Err(Failure::Usage(
            "--at: checkin writes to the work tree and cannot write to a revision".to_owned(),
        ));
    }
    let checked = check_source(ctx.source()?.as_ref())?;
    // A correction is how two different check-ins of one date (a union merge's) are
    // settled: it may be appended when those conflicts are the only errors, and the
    // validation after the append says whether it settled them.
    let settles = args.correct.is_some()
        && checked
            .diags
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .all(|d| d.code == Code::ConflictingCheckin);
    if checked.has_errors() && !settles {
        refuse(
            ctx,
            &checked,
            "the goal files are invalid already; fix them first (nothing was written)",
        );
        return Err(Failure::Reported(exit::FINDINGS));
    }
    let commit = args.commit;
    let (new, was) = new_checkin(args, &checked, ctx.as_of)?;
    if new.date > ctx.today {
        let (date, today) = (new.date, ctx.today);
        eprintln!(
            "warning[future-checkin]: the date {date} is after today ({today}); a check-in records a value already observed (a typo?)"
        );
    }
    let log_rel = checked.config.checkin_log.clone();
    let roots = &checked.config.roots;
    if !roots.iter().any(|r| checkin::is_walked(&log_rel, r)) {
        return Err(not_walked(&log_rel, roots));
    }
    let tree = WorkTree::new(&ctx.root)
        .map_err(|e| Failure::Io(format!("cannot open {}: {e}", ctx.root.display())))?;
    let shown = safe::human(&log_rel).into_owned();
    // Where the log really is: through links inside the repository, never outside.
    let real = match tree
        .resolve(&log_rel, Hidden::Refuse)
        .map_err(|e| Failure::Io(format!("cannot read {shown}: {e}")))?
    {
        Resolved::Found {
            real,
            node: Node::File,
        } => real,
        Resolved::Missing { real: Some(real) } => real,
        Resolved::Found { .. } | Resolved::Missing { real: None } => {
            return Err(Failure::Usage(format!(
                "checkin_log `{shown}` cannot be a file (a directory or something else is in the way)"
            )));
        }
        Resolved::Refused(r) => return Err(super::refused_link(&r, ctx.color_err)),
    };
    // The path the goal-file walk reads the log by: its real path when a root holds that,
    // else the path through the link.
    let walked = if roots.iter().any(|r| checkin::is_walked(&real, r)) {
        real.clone()
    } else {
        log_rel.clone()
    };
    let log = tree.absolute(&real);
    if let Some(dir) = log.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::Io(format!("cannot create the directory of {shown}: {e}")))?;
    }
    // Before anything is written: a missing identity, a merge in progress or required
    // signing must not leave an uncommitted line.
    let committer = if commit {
        Some(Committer::prepare(&log).map_err(|e| Failure::Io(e.to_string()))?)
    } else {
        None
    };
    let mut said = format!("{} = {} ({})", new.reference, new.value_text(), new.date);
    if let Some(reason) = &new.correction {
        said.push_str(&format!(", correcting {was}: {}", safe::human(reason)));
    }

    let git_dir = crate::git::Repo::discover(&ctx.root)
        .ok()
        .map(|r| r.git_dir());
    let lock_at = store::lock_path(&log, &real, git_dir.as_deref());
    let _lock = store::lock(&lock_at, LOCK_TIMEOUT).map_err(|e| Failure::Io(e.to_string()))?;
    let mut written = None;
    for _ in 0..ATTEMPTS {
        // Read under the lock: a concurrent checkin may have appended since the first load.
        let read =
            store::snapshot(&log).map_err(|e| Failure::Io(format!("cannot read {shown}: {e}")))?;
        if read.read_only() {
            return Err(Failure::Io(format!(
                "{shown} is read-only; make it writable (chmod u+w) to check in (nothing was written)"
            )));
        }
        let Some(text) = validated_append(&tree, &walked, &shown, roots, &new, &read, ctx)? else {
            out(&format!("already recorded: {said}; nothing written\n"))?;
            return Ok(exit::OK);
        };
        match store::replace(&log, text.as_bytes(), &read)
            .map_err(|e| Failure::Io(format!("cannot write {shown}: {e}")))?
        {
            store::Replaced::Done => {
                written = Some(text);
                break;
            }
            // Another program changed the log: start again from what it holds now.
            store::Replaced::Changed => continue,
        }
    }
    let Some(text) = written else {
        return Err(Failure::Io(format!(
            "{shown} kept changing while goalpost was writing to it; nothing was written, try again"
        )));
    };
    let mut report = format!("appended to {shown}: {said}\n");
    if let Some(c) = committer {
        match c.commit(text.as_bytes(), &format!("checkin: {said}")) {
            Ok(oid) => {
                let id = oid.to_string();
                report.push_str(&format!("committed {}\n", &id[..7.min(id.len())]));
            }
            Err(e) => {
                out(&report)?;
                return Err(Failure::Io(format!(
                    "{e} (the check-in was appended but not committed)"
                )));
            }
        }
    }
    out(&report)?;
    Ok(exit::OK)
}

/// The check-in the arguments describe, for an item that exists (unknown refs and values
/// that are not numbers are usage errors), and what the item's check-in of that date says
/// now (a correction needs one; `"–"` without one).
fn new_checkin(
    args: CheckinArgs,
    checked: &Checked,
    as_of: Date,
) -> Result<(NewCheckin, String), Failure> {
    let date = args.date.unwrap_or(as_of);
    let goals = &checked.goals;
    let target = resolve(goals, &args.reference, None, date)?;
    let milestone = match target {
        Target::Kpi(_) => false,
        Target::KeyResult(id) => goals.kr(id).1.kind == KrMeasure::Milestone,
        Target::Objective(o) => {
            let o = checked.goals.objective(o);
            let krs: Vec<String> = o
                .key_results
                .iter()
                .map(|k| format!("`{}`", o.kr_ref(k)))
                .collect();
            return Err(Failure::Usage(format!(
                "`{}` is an objective; check in on one of its key results: {}",
                args.reference,
                krs.join(", ")
            )));
        }
    };
    let obs = match (args.done, args.not_done, &args.value) {
        (true, _, _) => Observation::Done(true),
        (_, true, _) => Observation::Done(false),
        (_, _, Some(v)) => Observation::Value(parse_value(v, &args.reference, milestone)?),
        (false, false, None) => {
            return Err(Failure::Usage(
                "give a VALUE, or --done / --not-done for a milestone".to_owned(),
            ));
        }
    };
    if let Some(c) = args.confidence
        && !c.is_finite()
    {
        return Err(Failure::Usage(format!(
            "--confidence {c}: write a number between 0 and 1, such as 0.7"
        )));
    }
    let was = same_date(
        goals,
        target,
        &args.reference,
        date,
        args.correct.as_deref(),
    )?;
    Ok((
        NewCheckin {
            reference: args.reference,
            date,
            obs,
            confidence: args.confidence,
            note: args.note,
            by: args.by,
            correction: args.correct,
        },
        was,
    ))
}

/// The rules of corrections a repository cannot state by itself (SPEC 3.2): `--correct`
/// needs a check-in of the item on that date to correct (and a reason), and a plain check-in
/// on a date that is already corrected would not count, so it is refused with the way to
/// change that figure. Returns the value the item's check-in of that date has now.
fn same_date(
    goals: &Goals,
    target: Target,
    reference: &str,
    date: Date,
    correct: Option<&str>,
) -> Result<String, Failure> {
    let (checkins, unit, kpi) = match target {
        Target::Kpi(k) => {
            let k = goals.kpi(k);
            (&k.checkins[..], k.unit.as_deref(), None)
        }
        Target::KeyResult(id) => {
            let kr = goals.kr(id).1;
            (&kr.checkins[..], kr.unit.as_deref(), kr.kpi)
        }
        Target::Objective(_) => return Ok(String::new()),
    };
    let existing = checkins.iter().find(|c| c.date == date);
    let was = existing.map_or("–".to_owned(), |c| match c.obs {
        Observation::Value(v) => crate::text::with_unit(v, unit),
        Observation::Done(true) => "done".to_owned(),
        Observation::Done(false) => "not done".to_owned(),
    });
    match (correct, existing) {
        (Some(reason), _) if reason.trim().is_empty() => Err(Failure::Usage(
            "--correct needs a reason: say what was wrong with the recorded figure".to_owned(),
        )),
        (Some(_), None) => {
            let hint = match kpi {
                Some(k) => format!(
                    "`{reference}` takes its values from the KPI `{}`: correct the KPI's check-in",
                    goals.kpi(k).reference()
                ),
                None => {
                    let dates: Vec<String> = checkins
                        .iter()
                        .rev()
                        .take(3)
                        .map(|c| c.date.to_string())
                        .collect();
                    if dates.is_empty() {
                        format!("`{reference}` has no check-in yet: record one without --correct")
                    } else {
                        format!(
                            "its latest check-ins are on {}; a correction takes the date of the check-in it corrects (--date)",
                            dates.join(", ")
                        )
                    }
                }
            };
            Err(Failure::Usage(format!(
                "`{reference}` has no check-in on {date} to correct ({hint}); nothing was written"
            )))
        }
        (None, Some(c)) if c.correction().is_some() => Err(Failure::Usage(format!(
            "the check-in of `{reference}` on {date} is corrected already, so a plain check-in of that date would not count; to change the figure, add another correction: `goalpost checkin {reference} VALUE --date {date} --correct REASON` (nothing was written)"
        ))),
        _ => Ok(was),
    }
}

/// Called holding the lock: the log's new text, after validating the whole repository as
/// it would be with that text. `None` when the same check-in is already recorded. `walked`
/// is the log's path as the goal-file walk reads it, `read` the log as just read.
fn validated_append(
    tree: &WorkTree,
    walked: &str,
    shown: &str,
    roots: &[String],
    new: &NewCheckin,
    read: &store::Snapshot,
    ctx: &Ctx,
) -> Result<Option<String>, Failure> {
    let existing = read
        .bytes
        .clone()
        .map(String::from_utf8)
        .transpose()
        .map_err(|_| Failure::Io(format!("{shown} is not UTF-8 text")))?;
    let mut text = checkin::append(existing.as_deref(), new)
        .map_err(|e| Failure::Usage(format!("cannot append to {shown}: {e}")))?;
    // A new log points editors at the schema, where the project keeps one (`goalpost init`).
    if existing.is_none() && ctx.root.join(crate::schema::GOAL_FILE_SCHEMA).is_file() {
        text = format!("{}\n{text}", crate::schema::modeline(walked));
    }
    let new_line = u32::try_from(checkin::line_count(&text)).unwrap_or(u32::MAX);
    let overlay = Overlay {
        inner: tree,
        path: walked.to_owned(),
        bytes: text.clone().into_bytes(),
    };
    let after = check_source(&overlay)?;
    let Some(file) = after.sources.files.iter().position(|f| f.path == walked) else {
        return Err(not_walked(walked, roots));
    };
    let repeats = |d: &Diagnostic| {
        d.code == Code::DuplicateCheckin && d.span.file as usize == file && d.span.line == new_line
    };
    if after.diags.iter().any(repeats) {
        return Ok(None);
    }
    if after.has_errors() {
        refuse(ctx, &after, &format!("{shown} was not changed"));
        return Err(Failure::Reported(exit::FINDINGS));
    }
    Ok(Some(text))
}

/// Prints the errors of `checked` and a closing line: "check-in refused (2 errors); ...".
fn refuse(ctx: &Ctx, checked: &Checked, then: &str) {
    let n = super::print_errors(checked, ctx.color_err);
    eprintln!("error: check-in refused ({}); {then}", plural(n, "error"));
}

fn not_walked(log_rel: &str, roots: &[String]) -> Failure {
    // The whole message is escaped when it is printed (`Failure::report`).
    Failure::Usage(format!(
        "checkin_log `{log_rel}` is not a goal file below any goal root ({}), so goalpost would never read it; set checkin_log in goalpost.toml to a .yaml path below a root",
        roots.join(", ")
    ))
}

/// VALUE as a finite number; anything else is a usage error with a hint.
fn parse_value(v: &str, reference: &str, milestone: bool) -> Result<f64, Failure> {
    let t = v.trim();
    let looks_numeric = t.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c))
        && t.chars().any(|c| c.is_ascii_digit());
    if looks_numeric && let Ok(x) = t.parse::<f64>() {
        if x.is_finite() {
            return Ok(x);
        }
        return Err(Failure::Usage(format!(
            "VALUE `{v}` is too large to be a finite number"
        )));
    }
    let hint = if milestone {
        format!("`{reference}` is a milestone: use --done or --not-done instead of a value")
    } else if let Some(n) = t.strip_suffix('%') {
        format!(
            "write the number without the percent sign, `{}`; the unit belongs on the key result or KPI",
            n.trim()
        )
    } else if let Some(hint) = crate::load::convert::comma_hint(t) {
        hint
    } else {
        "VALUE is a plain number such as 42, -3 or 0.5".to_owned()
    };
    Err(Failure::Usage(format!("`{v}` is not a number; {hint}")))
}
