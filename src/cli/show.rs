//! `goalpost show REF`: one objective, key result or KPI in depth.

use super::{CmdResult, Ctx, exit, out};
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
    let (checked, found) =
        super::load_for_item(ctx, &args.reference, args.period.as_deref(), true)?;
    let goals = &checked.goals;
    let since = super::FilterArgs::since_or_week(args.since, ctx.as_of)?;
    let (mut card, before) = super::scored(&checked, ctx, since)?;
    // An upstream objective (`NAME:team/objective`, SPEC 13): its figures from the snapshot,
    // with no "since" (its history is its own repository's).
    if let Ok(r @ Ref::Item { .. }) = args.reference.parse::<Ref>()
        && r.upstream().is_some()
    {
        let i = upstream_target(goals, &r, args.period.as_deref(), ctx.as_of)?;
        crate::score::score_upstream(
            super::valid(&checked)?,
            &mut card,
            i,
            (&checked.config).into(),
        );
        let text = show::render_with(
            goals,
            &card,
            None,
            crate::select::Target::Objective(i),
            &|_| None,
        );
        out(&super::wrapped(text))?;
        return Ok(exit::OK);
    }
    let target = match found {
        Some(t) => t,
        None => super::target(&checked, &args.reference, args.period.as_deref(), ctx.as_of)?,
    };
    // Authors from git blame for check-ins without `by`: the files they are in blamed
    // together, in one walk over the history.
    let mut blamer = Blamer::open(&ctx.root);
    let mut files: Vec<u32> = show::checkins_of(goals, target)
        .iter()
        .filter(|c| c.by().is_none())
        .map(|c| c.span.file)
        .collect();
    files.sort_unstable();
    files.dedup();
    let files: Vec<(&str, &str)> = files
        .into_iter()
        .map(|f| (checked.sources.path(f), checked.sources.text(f)))
        .collect();
    blamer.prepare(&files);
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

/// The upstream objective `r` names: in the period asked for, else the one open at `as_of`,
/// else the latest.
fn upstream_target(
    goals: &Goals,
    r: &Ref,
    period: Option<&str>,
    as_of: Date,
) -> Result<ObjectiveId, super::Failure> {
    let Ref::Item { team, id } = r else {
        return Err(super::Failure::Usage(format!(
            "`{r}`: show takes an upstream objective"
        )));
    };
    let mut found: Vec<ObjectiveId> = goals
        .upstream_objective_ids()
        .filter(|&i| {
            let o = goals.objective(i);
            o.team == *team && o.id == *id && period.is_none_or(|p| o.period.name == p)
        })
        .collect();
    found.sort_by_key(|&i| {
        let p = &goals.objective(i).period;
        (!p.contains(as_of), std::cmp::Reverse(p.end))
    });
    found.first().copied().ok_or_else(|| {
        let upstream = r.upstream().unwrap_or_default();
        let kpi = goals.upstream.kpis.iter().any(|k| k.team == *team && k.id == *id);
        super::Failure::Usage(if kpi {
            format!("`{r}` is a KPI of upstream `{upstream}`: show it in its own repository, or through a key result or guardrail that names it")
        } else if goals.upstream.pins.iter().any(|p| p.name == upstream) {
            format!("upstream `{upstream}` has no objective `{r}`")
        } else {
            format!("no snapshot of upstream `{upstream}` is read here; declare it in goalpost.toml and run `goalpost upstream update {upstream}`")
        })
    })
}
