//! `goalpost checkin REF VALUE`: appends one check-in line to the check-in log. The
//! repository is validated as it would be after the append, under the log's lock and
//! before anything is written; an invalid check-in is refused with the file untouched.
//! Everything that can refuse does so before the write: the log's path (resolved like every
//! path, so a link out of the repository is refused), a read-only log, and `--commit`'s
//! repository state and signing. A log changed by another program between the read and the
//! write is read again and the check-in appended to the new content (SPEC 10).

use super::append::{Appended, Log};
use super::{Checked, CmdResult, Ctx, Failure, check_source, exit, out, parse_date, plural};
use crate::checkin::NewCheckin;
use crate::model::{Date, KrMeasure, Observation};
use crate::select::{Target, resolve};
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

pub fn run(args: CheckinArgs, ctx: &Ctx) -> CmdResult {
    if ctx.at.is_some() {
        return Err(Failure::Usage(
            "--at: checkin writes to the work tree and cannot write to a revision".to_owned(),
        ));
    }
    if let Some(from) = &args.from {
        return import::run(from, args.input_format, args.commit, ctx);
    }
    let checked = check_source(ctx.source()?.as_ref())?;
    if checked.has_errors() {
        refuse(
            ctx,
            &checked,
            "the goal files are invalid already; fix them first (nothing was written)",
        );
        return Err(Failure::Reported(exit::FINDINGS));
    }
    let commit = args.commit;
    let new = new_checkin(args, &checked, ctx.as_of)?;
    if new.date > ctx.today {
        let (date, today) = (new.date, ctx.today);
        eprintln!(
            "warning[future-checkin]: the date {date} is after today ({today}); a check-in records a value already observed (a typo?)"
        );
    }
    let log = Log::open(ctx, &checked.config, commit)?;
    let said = format!("{} = {} ({})", new.reference, new.value_text(), new.date);
    let text = match log.append(ctx, std::slice::from_ref(&new))? {
        Appended::Written { text, .. } => text,
        Appended::Nothing { .. } => {
            out(&format!("already recorded: {said}; nothing written\n"))?;
            return Ok(exit::OK);
        }
        Appended::Refused(r) => {
            refuse(ctx, &r.after, &format!("{} was not changed", log.shown));
            return Err(Failure::Reported(exit::FINDINGS));
        }
    };
    let mut report = format!("appended to {}: {said}\n", log.shown);
    match log.commit(&text, &format!("checkin: {said}")) {
        Ok(Some(id)) => report.push_str(&format!("committed {id}\n")),
        Ok(None) => {}
        Err(e) => {
            out(&report)?;
            return Err(e);
        }
    }
    out(&report)?;
    Ok(exit::OK)
}

/// The check-in the arguments describe, for an item that exists (unknown refs and values
/// that are not numbers are usage errors).
fn new_checkin(args: CheckinArgs, checked: &Checked, as_of: Date) -> Result<NewCheckin, Failure> {
    let date = args.date.unwrap_or(as_of);
    let Some(reference) = args.reference else {
        return Err(Failure::Usage(
            "give a REF and a VALUE, or --from FILE".to_owned(),
        ));
    };
    let milestone = match resolve(&checked.goals, &reference, None, date)? {
        Target::Kpi(_) => false,
        Target::KeyResult(id) => checked.goals.kr(id).1.kind == KrMeasure::Milestone,
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
    Ok(NewCheckin {
        reference,
        date,
        obs,
        confidence: args.confidence,
        note: args.note,
        by: args.by,
        correction: None,
    })
}

/// Prints the errors of `checked` and a closing line: "check-in refused (2 errors); ...".
fn refuse(ctx: &Ctx, checked: &Checked, then: &str) {
    let n = super::print_errors(checked, ctx.color_err);
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
