//! `goalpost drop REF`: records that an objective or a key result is dropped (SPEC 3.4), in
//! its goal file, inserted into its mapping with every other byte of the file kept. The
//! repository is validated as it would be, under the file's lock, before anything is
//! written; the write itself is [`super::record::write`].

use super::record::{self, Said};
use super::{CmdResult, Ctx, Failure, parse_date};
use crate::model::Date;
use crate::select::Target;
use crate::write::insert::Addition;
use clap::Args;

/// Record that an objective or key result is dropped, in its goal file.
///
/// From --date on it counts in no score (an objective's other key results share its weight),
/// and reports show it apart with the reason. The entry is inserted with every other byte of
/// the file kept.
#[derive(Debug, Args)]
pub struct DropArgs {
    /// The objective (`team/objective`) or key result (`team/objective/kr`), of the
    /// objective whose period holds --date.
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Why it is dropped (kept in the file beside the drop).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// The date of the drop (YYYY-MM-DD), inside the period; default --as-of, else today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<Date>,
    /// Commit the goal file (only that file) with your git identity.
    #[arg(long)]
    pub commit: bool,
}

pub(super) fn run(args: DropArgs, ctx: &Ctx) -> CmdResult {
    let reason = record::reason(&args.reason, "item is dropped")?;
    let checked = record::goals(ctx, "drop")?;
    let date = args.date.unwrap_or(ctx.as_of);
    let reference = &args.reference;
    let goals = &checked.goals;
    let (o, kr) = match super::target(&checked, reference, None, date)? {
        Target::KeyResult(id) => {
            let (o, kr) = goals.kr(id);
            (o, Some(kr))
        }
        Target::Objective(id) => (goals.objective(id), None),
        Target::Kpi(_) => {
            return Err(Failure::Usage(format!(
                "`{reference}` is a KPI; KPIs are not dropped (they are not tied to a period): remove it from its goal file when it is no longer tracked"
            )));
        }
    };
    record::in_period(o, reference, date)?;
    record::not_dropped(o, kr, reference, date, true)?;
    let item = match kr {
        Some(kr) => o.kr_ref(kr),
        None => o.reference(),
    };
    let addition = Addition::Drop { date, reason };
    let said = Said {
        what: format!("dropped {item} from {date}"),
        command: "drop",
    };
    record::write(
        ctx,
        &checked,
        (o, kr.map(|k| k.id.as_str())),
        &addition,
        said,
        args.commit,
    )
}
