//! `goalpost calendar` (SPEC 15): check-in dates, milestone due dates and period ends as an
//! RFC 5545 calendar, on standard output or written atomically to `-o FILE.ics`.

use super::{CmdResult, Ctx, Failure, exit, out};
use crate::report::ics;
use clap::Args;
use std::path::PathBuf;

/// Write an iCalendar (.ics) of check-ins due, milestones due and period ends.
#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// Only the key results (of objectives) and KPIs with this owner (repeatable); period
    /// ends are kept.
    #[arg(long = "owner", value_name = "OWNER")]
    pub owners: Vec<String>,
    /// Write the calendar to FILE (replaced atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub(super) fn run(args: CalendarArgs, ctx: &Ctx) -> CmdResult {
    let (checked, card) = ctx.scored()?;
    let goals = &checked.goals;
    let owned = |o: Option<&String>| {
        args.owners.is_empty() || o.is_some_and(|o| args.owners.iter().any(|w| w == o))
    };
    let all: Vec<_> = goals.objective_ids().collect();
    let objectives: Vec<_> = all
        .iter()
        .copied()
        .filter(|&id| owned(goals.objective(id).owner.as_ref()))
        .collect();
    let kpis: Vec<_> = goals
        .kpi_ids()
        .filter(|&id| owned(goals.kpi(id).owner.as_ref()))
        .collect();
    let events = ics::events(goals, &card, &objectives, &kpis, &all);
    let text = ics::calendar(&events, ctx.as_of);
    match &args.output {
        None => out(&text)?,
        Some(path) => {
            let path = ctx.cwd.join(path);
            super::report::refuse_links(ctx, &path)?;
            crate::fsutil::write_atomic(&path, text.as_bytes())
                .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))?;
        }
    }
    Ok(exit::OK)
}
