//! `goalpost log REF`: the commits that changed one objective, key result or KPI, newest
//! first, with author, date and what changed. The item is resolved in the current goals;
//! its history is searched in the files that hold it now (`crate::history`).

use super::{CmdResult, Ctx, Failure, exit, out};
use crate::history::{self, HistoryError, Item, Repo};
use crate::report::log;
use clap::{Args, ValueEnum};

/// Show the commits that changed one objective, key result or KPI: who, when and what.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// `team/objective`, `team/objective/kr` or `team/kpi`.
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Only this period, when the objective id exists in several.
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub format: LogFormat,
    /// List at most N commits.
    #[arg(short = 'n', long, value_name = "N")]
    pub max_count: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

pub(super) fn run(args: LogArgs, ctx: &Ctx) -> CmdResult {
    let (checked, found) =
        super::load_for_item(ctx, &args.reference, args.period.as_deref(), false)?;
    let target = match found {
        Some(t) => t,
        None => super::target(&checked, &args.reference, args.period.as_deref(), ctx.as_of)?,
    };
    let item = Item::of(&checked.goals, &checked.sources, target);
    let fail = |e: HistoryError| match e {
        HistoryError::Revision(e) => Failure::from(e),
        _ => Failure::Io(e.to_string()),
    };
    let repo = Repo::discover(&ctx.root)?;
    let commits = history::log(&repo, ctx.at.as_deref(), &item, args.max_count).map_err(fail)?;
    let reference = item.key.reference();
    match args.format {
        LogFormat::Json => out(&log::json(&reference, item.key.kind(), &commits))?,
        LogFormat::Text => {
            if commits.is_empty() {
                eprintln!(
                    "note: no commit changed `{}` (is it committed yet?)",
                    crate::text::safe::human(&reference.to_string())
                );
            }
            out(&super::wrapped(log::text(
                &reference,
                &commits,
                ctx.color_out,
            )))?;
        }
    }
    Ok(exit::OK)
}
