//! `goalpost show REF`: one objective, key result or KPI in depth.

use super::{CmdResult, Ctx, exit, load_valid, out};
use crate::history::blame::Blamer;
use crate::model::*;
use crate::report::show;
use clap::Args;
use std::collections::HashMap;

/// Show one objective, key result or KPI: fields, figures and check-in history.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// `team/objective`, `team/objective/kr` or `team/kpi`.
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Only this period, when the objective id exists in several.
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
    /// Show what changed since this date (default a week before --as-of).
    #[arg(long, value_name = "DATE", value_parser = super::parse_date)]
    pub since: Option<Date>,
}

pub(super) fn run(args: ShowArgs, ctx: &Ctx) -> CmdResult {
    let checked = load_valid(ctx)?;
    let goals = &checked.goals;
    let since = super::FilterArgs::since_or_week(args.since, ctx.as_of)?;
    let (card, before) = super::scored(&checked, ctx, since)?;
    let target = super::target(&checked, &args.reference, args.period.as_deref(), ctx.as_of)?;
    // Authors from git blame for check-ins without `by`, one blame per file.
    let mut blamer = Blamer::open(&ctx.root);
    let mut authors: HashMap<(u32, u32), String> = HashMap::new();
    for c in show::checkins_of(goals, target) {
        if c.by().is_none() {
            let (file, line) = (c.span.file, c.span.line);
            let path = checked.sources.path(file);
            if let Some(a) = blamer.author(path, checked.sources.text(file), line) {
                authors.insert((file, line), a);
            }
        }
    }
    let lookup = |c: &Checkin| authors.get(&(c.span.file, c.span.line)).cloned();
    // On a terminal, a long line (an attention entry, a measure) wraps to its width.
    out(&super::wrapped(show::render_with(
        goals,
        &card,
        Some(&before),
        target,
        &lookup,
    )))?;
    Ok(exit::OK)
}
