//! Choosing what a command works on: the filters of `status` and `report` (teams, periods,
//! owner, KPIs or OKRs only) and the resolution of a ref named on the command line (`show`,
//! `log`, `checkin`). Both are usage questions: a name that matches nothing is a
//! [`SelectError`] with a suggestion, never an empty result, so a typo does not look like
//! "nothing to report".

use crate::diag::{edit_distance, suggest};
use crate::model::*;
use std::collections::BTreeSet;

/// Why a selection names nothing; its text is the message for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SelectError(pub String);

/// Which items to include (all of them by default).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub teams: Vec<String>,
    pub periods: Vec<String>,
    pub owner: Option<String>,
    /// Only KPIs.
    pub kpis_only: bool,
    /// Only objectives (with their key results).
    pub okrs_only: bool,
}

impl Filter {
    /// The selected objectives and KPIs, in the model's order. Naming a team or period that
    /// does not exist is an error.
    pub fn select(&self, goals: &Goals) -> Result<(Vec<ObjectiveId>, Vec<KpiId>), SelectError> {
        let teams: BTreeSet<&str> = goals
            .objectives
            .iter()
            .map(|o| o.team.as_str())
            .chain(goals.kpis.iter().map(|k| k.team.as_str()))
            .collect();
        for t in &self.teams {
            if !teams.contains(t.as_str()) {
                return Err(unknown("team", t, teams.iter().copied()));
            }
        }
        let periods: BTreeSet<&str> = goals
            .objectives
            .iter()
            .map(|o| o.period.name.as_str())
            .collect();
        for p in &self.periods {
            if !periods.contains(p.as_str()) {
                return Err(unknown("period", p, periods.iter().copied()));
            }
        }
        let team_ok = |t: &str| self.teams.is_empty() || self.teams.iter().any(|x| x == t);
        let owner_ok = |o: Option<&String>| self.owner.as_ref().is_none_or(|want| o == Some(want));
        let objectives = if self.kpis_only {
            Vec::new()
        } else {
            goals
                .objective_ids()
                .filter(|&id| {
                    let o = goals.objective(id);
                    team_ok(&o.team)
                        && (self.periods.is_empty() || self.periods.contains(&o.period.name))
                        // SPEC 12: `--owner` matches a key result's owner, else its
                        // objective's (the rows are narrowed to those it matches by
                        // `owns_objective` and `owns_kr`).
                        && (owner_ok(o.owner.as_ref())
                            || o.key_results.iter().any(|k| owner_ok(k.owner.as_ref())))
                })
                .collect()
        };
        let kpis = if self.okrs_only {
            Vec::new()
        } else {
            goals
                .kpi_ids()
                .filter(|&id| {
                    let k = goals.kpi(id);
                    team_ok(&k.team) && owner_ok(k.owner.as_ref())
                })
                .collect()
        };
        Ok((objectives, kpis))
    }
}

impl Filter {
    /// Whether `--owner` (when given) names the objective's owner.
    pub(crate) fn owns_objective(&self, o: &crate::model::Objective) -> bool {
        self.owner
            .as_ref()
            .is_none_or(|w| o.owner.as_ref() == Some(w))
    }

    /// Whether `--owner` (when given) names the key result's owner (its own, else its
    /// objective's).
    pub(crate) fn owns_kr(&self, o: &crate::model::Objective, k: &crate::model::KeyResult) -> bool {
        self.owner
            .as_ref()
            .is_none_or(|w| o.kr_owner(k) == Some(w.as_str()))
    }
}

fn unknown<'a>(what: &str, name: &str, known: impl Iterator<Item = &'a str>) -> SelectError {
    let known: Vec<&str> = known.collect();
    let hint = match suggest(name, known.iter().copied()) {
        Some(s) => format!("; did you mean `{s}`?"),
        None if known.is_empty() => String::new(),
        None => format!("; known: {}", known.join(", ")),
    };
    SelectError(format!("no {what} `{name}` in the goal files{hint}"))
}

/// One item named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Objective(ObjectiveId),
    KeyResult(KrId),
    Kpi(KpiId),
}

/// Finds what a command-line ref names. An objective id that exists in several periods
/// resolves to the one whose period holds `as_of`, else the latest, unless `period` names
/// one. Unknown refs are errors with suggestions, or with the periods the ref exists in.
pub(crate) fn resolve(
    goals: &Goals,
    reference: &str,
    period: Option<&str>,
    as_of: Date,
) -> Result<Target, SelectError> {
    let parsed: Option<Ref> = reference.parse().ok();
    let in_period = |o: &Objective| period.is_none_or(|p| o.period.name == p);
    match &parsed {
        Some(Ref::Item { team, id }) => {
            if let Some(k) = goals.kpi_ids().find(|&k| {
                let kpi = goals.kpi(k);
                kpi.team == *team && kpi.id == *id
            }) {
                return Ok(Target::Kpi(k));
            }
            let found: Vec<ObjectiveId> = goals
                .objective_ids()
                .filter(|&i| {
                    let o = goals.objective(i);
                    o.team == *team && o.id == *id && in_period(o)
                })
                .collect();
            if let Some(i) = pick(goals, &found, as_of) {
                return Ok(Target::Objective(i));
            }
        }
        Some(Ref::KeyResult {
            team,
            objective,
            id,
        }) => {
            let found: Vec<ObjectiveId> = goals
                .objective_ids()
                .filter(|&i| {
                    let o = goals.objective(i);
                    o.team == *team
                        && o.id == *objective
                        && in_period(o)
                        && o.key_results.iter().any(|k| k.id == *id)
                })
                .collect();
            if let Some(i) = pick(goals, &found, as_of)
                && let Some(r) = goals
                    .objective(i)
                    .key_results
                    .iter()
                    .position(|k| k.id == *id)
            {
                return Ok(Target::KeyResult(i.kr(r)));
            }
        }
        None => {}
    }
    // An upstream's item (SPEC 13): read here from its snapshot, changed only upstream.
    if let Some(upstream) = parsed.as_ref().and_then(Ref::upstream) {
        return Err(SelectError(format!(
            "`{reference}` is an item of upstream `{upstream}`: its goals are changed and checked in in their own repository (`goalpost show` shows its objectives here)"
        )));
    }
    // The ref exists, in other periods than the one asked for: name them, rather than
    // suggest the same ref again.
    if let (Some(p), Some(r)) = (period, &parsed) {
        let (team, obj, kr) = match r {
            Ref::Item { team, id } => (team, id, None),
            Ref::KeyResult {
                team,
                objective,
                id,
            } => (team, objective, Some(id)),
        };
        let elsewhere: Vec<&str> = goals
            .objectives
            .iter()
            .filter(|o| o.team == *team && o.id == *obj)
            .filter(|o| kr.is_none_or(|kr| o.key_results.iter().any(|k| k.id == *kr)))
            .map(|o| o.period.name.as_str())
            .collect();
        if !elsewhere.is_empty() {
            return Err(SelectError(format!(
                "`{reference}` is not in period {p}; it exists in {}",
                elsewhere.join(", ")
            )));
        }
    }
    let mut known: Vec<String> = goals
        .kpis
        .iter()
        .map(|k| k.reference().to_string())
        .collect();
    for o in &goals.objectives {
        known.push(o.reference().to_string());
        known.extend(o.key_results.iter().map(|k| o.kr_ref(k).to_string()));
    }
    let mut close: Vec<(usize, &String)> = known
        .iter()
        .map(|k| (edit_distance(reference, k), k))
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
    Err(SelectError(format!(
        "`{reference}` names no objective, key result or KPI{hint}"
    )))
}

/// When `reference` is the path of a goal file rather than a ref (`goals/growth/2026-Q4.yaml`,
/// as one would pass to `git log`), the error that says so and names the items that file
/// defines, so the user can pick one. `files` are the paths of the goal files by index (a
/// span's `file`).
pub(crate) fn file_named(goals: &Goals, files: &[&str], reference: &str) -> Option<SelectError> {
    let path = reference.trim_start_matches("./");
    if !(path.ends_with(".yaml") || path.ends_with(".yml")) {
        return None;
    }
    let file = files.iter().position(|f| *f == path)? as u32;
    let mut items: Vec<String> = goals
        .objectives
        .iter()
        .filter(|o| o.span.file == file)
        .map(|o| o.reference().to_string())
        .collect();
    items.extend(
        goals
            .kpis
            .iter()
            .filter(|k| k.span.file == file)
            .map(|k| k.reference().to_string()),
    );
    items.dedup();
    const SHOWN: usize = 8;
    let named = if items.is_empty() {
        "it defines no objective or KPI (a check-in log? name the item a check-in is about)"
            .to_owned()
    } else {
        let mut list: Vec<String> = items.iter().take(SHOWN).map(|r| format!("`{r}`")).collect();
        if items.len() > SHOWN {
            list.push(format!("and {} more", items.len() - SHOWN));
        }
        format!("it defines {}", list.join(", "))
    };
    Some(SelectError(format!(
        "`{reference}` is a goal file, not a ref: name one item as `team/objective`, `team/objective/kr` or `team/kpi`; {named}"
    )))
}

/// Among objectives with one ref in several periods, the one whose period holds `as_of`,
/// else the latest.
fn pick(goals: &Goals, found: &[ObjectiveId], as_of: Date) -> Option<ObjectiveId> {
    found
        .iter()
        .copied()
        .find(|&i| goals.objective(i).period.contains(as_of))
        .or_else(|| found.last().copied())
}
