//! `goalpost show REF`: one objective, key result or KPI in depth.

use super::{CmdResult, Ctx, Failure, exit, load_valid, out};
use crate::history::blame::Blamer;
use crate::model::*;
use crate::report::show;
use crate::score::{self, Thresholds};
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
}

pub fn run(args: ShowArgs, ctx: &Ctx) -> CmdResult {
    let checked = load_valid(ctx)?;
    let goals = &checked.goals;
    let card = score::score(goals, ctx.as_of, Thresholds::from(&checked.config));
    let target = resolve(goals, &args.reference, args.period.as_deref(), ctx.as_of)?;
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
    out(&show::render_with(goals, &card, target, &lookup))?;
    Ok(exit::OK)
}

/// Finds what a command-line ref names; unknown refs are usage errors with suggestions.
pub fn resolve(
    goals: &Goals,
    reference: &str,
    period: Option<&str>,
    as_of: Date,
) -> Result<show::Target, Failure> {
    let parts: Vec<&str> = reference.split('/').collect();
    let in_period = |o: &Objective| period.is_none_or(|p| o.period.name == p);
    match parts.as_slice() {
        [team, id] => {
            if let Some(k) = goals
                .kpis
                .iter()
                .position(|k| k.team == *team && k.id == *id)
            {
                return Ok(show::Target::Kpi(k));
            }
            let found: Vec<usize> = (0..goals.objectives.len())
                .filter(|&i| {
                    let o = &goals.objectives[i];
                    o.team == *team && o.id == *id && in_period(o)
                })
                .collect();
            if let Some(i) = pick(goals, &found, as_of) {
                return Ok(show::Target::Objective(i));
            }
        }
        [team, obj, kr] => {
            let found: Vec<usize> = (0..goals.objectives.len())
                .filter(|&i| {
                    let o = &goals.objectives[i];
                    o.team == *team
                        && o.id == *obj
                        && in_period(o)
                        && o.key_results.iter().any(|k| k.id == *kr)
                })
                .collect();
            if let Some(i) = pick(goals, &found, as_of)
                && let Some(r) = goals.objectives[i]
                    .key_results
                    .iter()
                    .position(|k| k.id == *kr)
            {
                return Ok(show::Target::KeyResult(i, r));
            }
        }
        _ => {}
    }
    // The ref exists, in other periods than the one asked for: name them, rather than
    // suggest the same ref again.
    if let (Some(p), [team, obj, kr @ ..]) = (period, parts.as_slice()) {
        let elsewhere: Vec<&str> = goals
            .objectives
            .iter()
            .filter(|o| o.team == *team && o.id == *obj)
            .filter(|o| {
                kr.iter()
                    .all(|kr| o.key_results.iter().any(|k| k.id == *kr))
            })
            .map(|o| o.period.name.as_str())
            .collect();
        if !elsewhere.is_empty() {
            return Err(Failure::Usage(format!(
                "`{reference}` is not in period {p}; it exists in {}",
                elsewhere.join(", ")
            )));
        }
    }
    let mut known: Vec<String> = goals.kpis.iter().map(Kpi::reference).collect();
    for o in &goals.objectives {
        known.push(o.reference());
        known.extend(
            o.key_results
                .iter()
                .map(|k| format!("{}/{}", o.reference(), k.id)),
        );
    }
    let mut close: Vec<(usize, &String)> = known
        .iter()
        .map(|k| (crate::diag::edit_distance(reference, k), k))
        .collect();
    close.sort();
    close.dedup_by(|a, b| a.1 == b.1);
    let hint: Vec<String> = close
        .iter()
        .take(3)
        .filter(|(d, _)| *d <= reference.len().max(4) / 2)
        .map(|(_, k)| format!("`{k}`"))
        .collect();
    let hint = if hint.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", hint.join(" or "))
    };
    Err(Failure::Usage(format!(
        "`{reference}` names no objective, key result or KPI{hint}"
    )))
}

/// Among objectives with one ref in several periods, the one whose period holds `as_of`,
/// else the latest.
fn pick(goals: &Goals, found: &[usize], as_of: Date) -> Option<usize> {
    found
        .iter()
        .copied()
        .find(|&i| goals.objectives[i].period.contains(as_of))
        .or_else(|| found.last().copied())
}
