//! `goalpost checkin REF VALUE`: appends one check-in line to the check-in log. The
//! repository is validated as it would be after the append, under the log's lock and
//! before anything is written; an invalid check-in is refused with the file untouched.
//! Everything that can refuse does so before the write: the log's path (resolved like every
//! path, so a link out of the repository is refused), a read-only log, and `--commit`'s
//! repository state and signing. A log changed by another program between the read and the
//! write is read again and the check-in appended to the new content (SPEC 10).

use super::append;
use super::{
    Checked, CmdResult, Ctx, Failure, check_source_keeping, exit, out, parse_date, plural,
};
use crate::checkin::NewCheckin;
use crate::diag::Code;
use crate::model::{Date, Goals, Observation, Records};
use crate::select::{Target, resolve};
use crate::text::safe;
use crate::write::log::Appended;
use clap::Args;

mod import;

/// Append a check-in to the check-in log (`checkin_log` in goalpost.toml), or import many
/// with --from.
#[derive(Debug, Args)]
pub struct CheckinArgs {
    /// The key result (`team/objective/kr`) or KPI (`team/kpi`).
    #[arg(value_name = "REF", required_unless_present = "from")]
    pub reference: Option<String>,
    /// The measured value, a plain number; milestones take --done or --not-done instead.
    #[arg(
        value_name = "VALUE",
        allow_negative_numbers = true,
        required_unless_present_any = ["done", "not_done", "from"],
        conflicts_with_all = ["done", "not_done"],
    )]
    pub value: Option<String>,
    /// The date observed (YYYY-MM-DD); default --as-of, else today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<Date>,
    /// The stated probability, 0 to 1, that the key result reaches its target (progress 1;
    /// a milestone: done) by the end of its period: 0.7 means seven in ten. It stands until
    /// the next one given (`review` scores every confidence for the days it stood).
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
    /// and the original stays in the log as history. REASON says what was wrong. The
    /// correction keeps the original's confidence, note and author unless you give them.
    #[arg(long, value_name = "REASON", conflicts_with = "from")]
    pub correct: Option<String>,
    /// Commit the log (only that file) with your git identity.
    #[arg(long)]
    pub commit: bool,
    /// Import the check-ins of FILE (`-`: standard input): CSV with a header `ref,date,value`
    /// (also `done`, `confidence`, `note`, `by`, `correction`) or JSON Lines with those keys.
    /// All or nothing; rows already recorded are skipped.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["reference", "value", "date", "confidence", "note", "by", "done", "not_done"],
    )]
    pub from: Option<std::path::PathBuf>,
    /// The format of --from (default: by its extension, .csv or .jsonl; standard input is
    /// JSON Lines when it starts with `{`, else CSV).
    #[arg(long, value_enum, value_name = "FORMAT", requires = "from")]
    pub input_format: Option<import::InputFormat>,
}

pub(super) fn run(args: CheckinArgs, ctx: &Ctx) -> CmdResult {
    if ctx.at.is_some() {
        return Err(Failure::Usage(
            "--at: checkin writes to the work tree and cannot write to a revision".to_owned(),
        ));
    }
    if let Some(from) = &args.from {
        return import::run(from, args.input_format, args.commit, ctx);
    }
    let mut kept = crate::check::Kept::default();
    let mut checked = check_source_keeping(ctx.source()?.as_ref(), &mut kept)?;
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
    kept.texts(&mut checked.sources);
    if new.date > ctx.today {
        let (date, today) = (new.date, ctx.today);
        eprintln!(
            "warning[future-checkin]: the date {date} is after today ({today}); a check-in records a value already observed (a typo?)"
        );
    }
    let log = append::open(ctx, &checked.config, commit)?;
    let mut said = format!("{} = {} ({})", new.reference, new.value_text(), new.date);
    if let Some(reason) = &new.correction {
        said.push_str(&format!(", correcting {was}: {}", safe::human(reason)));
    }
    let text = match log
        .append_kept(std::slice::from_ref(&new), Some(kept))
        .map_err(|e| super::write_failure(e, ctx))?
    {
        Appended::Written { text, after, .. } => {
            // Both loads are left to the process's exit, as `status` leaves its model.
            std::mem::forget((after, checked));
            text
        }
        Appended::Nothing { .. } => {
            out(&format!("already recorded: {said}; nothing written\n"))?;
            return Ok(exit::OK);
        }
        Appended::Refused(r) => {
            refuse(ctx, &r.after, &format!("{} was not changed", log.shown));
            return Err(Failure::Reported(exit::FINDINGS));
        }
    };
    let report = format!("appended to {}: {said}\n", log.shown);
    append::finish(&log, ctx, &text, &format!("checkin: {said}"), report)
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
    let Some(reference) = args.reference else {
        return Err(Failure::Usage(
            "give a REF and a VALUE, or --from FILE".to_owned(),
        ));
    };
    let goals = &checked.goals;
    let target = resolve(goals, &reference, None, date)?;
    let milestone = match target {
        Target::Kpi(_) => false,
        Target::KeyResult(id) => goals.kr(id).1.kind.records() == Records::Done,
        Target::Objective(o) => {
            let o = checked.goals.objective(o);
            let krs: Vec<String> = o
                .key_results
                .iter()
                .map(|k| format!("`{}`", o.kr_ref(k)))
                .collect();
            return Err(Failure::Usage(format!(
                "`{}` is an objective; check in on one of its key results: {}",
                reference,
                krs.join(", ")
            )));
        }
    };
    // The flags of the other kind: said in the words of the command line, not in the YAML
    // keys that validation would name.
    if milestone && args.value.is_some() {
        return Err(Failure::Usage(format!(
            "`{reference}` is a milestone, done or not: use --done or --not-done instead of a value (nothing was written)"
        )));
    }
    if !milestone && (args.done || args.not_done) {
        return Err(Failure::Usage(format!(
            "`{reference}` measures a value: give it as VALUE (a number); --done and --not-done are for milestones (nothing was written)"
        )));
    }
    let obs = match (args.done, args.not_done, &args.value) {
        (true, _, _) => Observation::Done(true),
        (_, true, _) => Observation::Done(false),
        (_, _, Some(v)) => Observation::Value(parse_value(v, &reference, milestone)?),
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
    let was = same_date(goals, target, &reference, date, args.correct.as_deref())?;
    Ok((
        NewCheckin {
            reference,
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

/// Prints the errors of `checked` and a closing line: "check-in refused (2 errors); ...".
fn refuse(ctx: &Ctx, checked: &Checked, then: &str) {
    let n = super::print_errors(checked, ctx);
    eprintln!("error: check-in refused ({}); {then}", plural(n, "error"));
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
