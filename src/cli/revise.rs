//! `goalpost revise REF`: records a revision of a metric key result's target or start
//! (SPEC 3.4) in the key result's own goal file, inserted into its mapping with every other
//! byte of the file kept. The repository is validated as it would be, under the file's lock,
//! before anything is written; the write itself is [`super::record::write`].

use super::record::{self, Said};
use super::{CmdResult, Ctx, Failure, parse_date};
use crate::model::{Date, Records};
use crate::select::Target;
use crate::write::insert::Addition;
use clap::Args;

/// Record a revision of a key result's target or start in its goal file.
///
/// From --date on, the key result is measured against the new figures; the history keeps
/// the old ones and the reason. The entry is inserted with every other byte of the file kept.
#[derive(Debug, Args)]
#[command(group(
    clap::ArgGroup::new("figures").required(true).multiple(true).args(["target", "start"])
))]
pub struct ReviseArgs {
    /// The key result (`team/objective/kr`), of the objective whose period holds --date.
    #[arg(value_name = "REF")]
    pub reference: String,
    /// The new target, a plain number.
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_figure)]
    pub target: Option<f64>,
    /// The new start, a plain number.
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_figure)]
    pub start: Option<f64>,
    /// Why the plan changed (kept in the file beside the revision).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// The date the revision takes effect (YYYY-MM-DD), inside the key result's period;
    /// default --as-of, else today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<Date>,
    /// Commit the goal file (only that file) with your git identity.
    #[arg(long)]
    pub commit: bool,
}

pub(super) fn run(args: ReviseArgs, ctx: &Ctx) -> CmdResult {
    let reason = record::reason(&args.reason, "plan changed")?;
    let checked = record::goals(ctx, "revision")?;
    let date = args.date.unwrap_or(ctx.as_of);
    let reference = &args.reference;
    let goals = &checked.goals;
    let (o, kr) = match super::target(&checked, reference, None, date)? {
        Target::KeyResult(id) => goals.kr(id),
        Target::Objective(_) => {
            return Err(Failure::Usage(format!(
                "`{reference}` is an objective; revise one of its key results (`{reference}/KR`), or drop the objective with `goalpost drop`"
            )));
        }
        Target::Kpi(_) => {
            return Err(Failure::Usage(format!(
                "`{reference}` is a KPI; a KPI's target is a standing threshold, changed in place in its goal file (revisions are for key results)"
            )));
        }
    };
    if kr.kind.records() == Records::Done {
        return Err(Failure::Usage(format!(
            "`{reference}` is a milestone, done or not: it has no target or start to revise (nothing was written)"
        )));
    }
    record::in_period(o, reference, date)?;
    record::not_dropped(o, Some(kr), reference, date, false)?;
    let mut figures = Vec::new();
    if let Some(t) = args.target {
        figures.push(format!("target {}", crate::text::num_full(t)));
    }
    if let Some(s) = args.start {
        figures.push(format!("start {}", crate::text::num_full(s)));
    }
    let addition = Addition::Revision {
        date,
        target: args.target,
        start: args.start,
        reason,
    };
    let said = Said {
        what: format!(
            "revised {} from {date}: {}",
            o.kr_ref(kr),
            figures.join(", ")
        ),
        command: "revise",
    };
    record::write(
        ctx,
        &checked,
        (o, Some(&kr.id)),
        &addition,
        said,
        args.commit,
    )
}

/// A figure on the command line: a finite plain number.
pub(super) fn parse_figure(s: &str) -> Result<f64, String> {
    let t = s.trim();
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() && t.bytes().any(|b| b.is_ascii_digit()) => Ok(x),
        Ok(_) => Err(format!("`{s}` is not a finite number")),
        Err(_) => Err(format!(
            "`{s}` is not a number; write a plain number such as 120, -3 or 0.5 (the unit belongs on the key result)"
        )),
    }
}
