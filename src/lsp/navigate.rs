//! Go to definition, find references and document symbols, over the outlines of every goal
//! file ([`super::outline`], cached per file until the file changes). A reference resolves
//! as validation resolves it: `parent` in the referring objective's period, a log's key-
//! result ref in the period that holds the check-in's date, `carried_from` to the same
//! team and objective id in the named period.

use super::locate::{Located, Role};
use super::outline::{Outline, Spanned, outline};
use super::position::LineIndex;
use super::store::Workspace;
use crate::diag::Span;
use crate::model::Ref;
use crate::period::Period;
use lsp_types::{DocumentSymbol, Location, Range, SymbolKind, Uri};
use std::collections::HashMap;
use std::sync::Arc;

/// What a place names.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    /// An objective; `period` when known (the objective's own, or the referring one's).
    Objective {
        team: String,
        id: String,
        period: Option<String>,
    },
    /// A key result; `date` (a log check-in's) picks the period that holds it.
    Kr {
        team: String,
        objective: String,
        id: String,
        period: Option<String>,
        date: Option<String>,
    },
    Kpi {
        team: String,
        id: String,
    },
    /// `team/id` in a check-in log: a KPI or an objective.
    Item {
        team: String,
        id: String,
    },
}

impl Target {
    /// What the place at `loc` names, if anything.
    pub(crate) fn at(loc: &Located) -> Option<Target> {
        let team = || loc.team.clone();
        match super::locate::role(loc) {
            Role::ObjectiveId => Some(Target::Objective {
                team: team()?,
                id: loc.text.clone(),
                period: loc.period.clone(),
            }),
            Role::KrId => Some(Target::Kr {
                team: team()?,
                objective: loc.objective.clone()?,
                id: loc.text.clone(),
                period: loc.period.clone(),
                date: None,
            }),
            Role::KpiId => Some(Target::Kpi {
                team: team()?,
                id: loc.text.clone(),
            }),
            Role::Parent => match loc.text.parse().ok()? {
                Ref::Item { team, id } => Some(Target::Objective {
                    team,
                    id,
                    period: loc.period.clone(),
                }),
                Ref::KeyResult { .. } => None,
            },
            Role::KpiRef => match loc.text.parse().ok()? {
                Ref::Item { team, id } => Some(Target::Kpi { team, id }),
                Ref::KeyResult { .. } => None,
            },
            Role::LogRef => Target::of_log_ref(&loc.text, loc.checkin.as_ref()?.date.clone()),
            Role::CarriedFrom => Some(Target::Objective {
                team: team()?,
                id: loc.objective.clone()?,
                period: Some(loc.text.clone()),
            }),
            Role::Checkin | Role::Other => None,
        }
    }

    fn of_log_ref(text: &str, date: Option<String>) -> Option<Target> {
        Some(match text.parse().ok()? {
            Ref::Item { team, id } => Target::Item { team, id },
            Ref::KeyResult {
                team,
                objective,
                id,
            } => Target::Kr {
                team,
                objective,
                id,
                period: None,
                date,
            },
        })
    }

    /// The ref people write for it.
    pub(crate) fn reference(&self) -> String {
        match self {
            Target::Objective { team, id, .. }
            | Target::Kpi { team, id }
            | Target::Item { team, id } => format!("{team}/{id}"),
            Target::Kr {
                team,
                objective,
                id,
                ..
            } => format!("{team}/{objective}/{id}"),
        }
    }
}

/// The outlines of the goal files, each parsed again only when its file changed.
#[derive(Default)]
pub(crate) struct Index {
    cache: HashMap<String, (u64, Option<Arc<Outline>>)>,
}

impl Index {
    /// Every goal file's outline, in path order (files that do not parse are left out).
    pub(crate) fn outlines(&mut self, ws: &Workspace) -> Vec<(String, Arc<Outline>)> {
        let mut out = Vec::new();
        let mut keep = HashMap::new();
        for path in ws.goal_paths() {
            let stamp = ws.stamp(path);
            let entry = match self.cache.remove(path) {
                Some((s, o)) if s == stamp => (s, o),
                _ => {
                    let text = ws.text(path).filter(|_| ws.parses(path));
                    (stamp, text.and_then(outline).map(Arc::new))
                }
            };
            if let Some(o) = &entry.1 {
                out.push((path.to_owned(), o.clone()));
            }
            keep.insert(path.to_owned(), entry);
        }
        self.cache = keep;
        out
    }
}

/// A place in a file, for the client.
fn location(ws: &Workspace, path: &str, span: &Span) -> Option<Location> {
    let text = ws.text(path)?;
    let range = LineIndex::new(text).range(text, span);
    let uri: Uri = ws.uri_of(path).parse().ok()?;
    Some(Location::new(uri, range))
}

/// Whether `date` lies in the period named `period` (true when either cannot be read).
fn in_period(ws: &Workspace, period: Option<&str>, date: Option<&str>) -> bool {
    let (Some(p), Some(d)) = (period, date.and_then(crate::date::Date::parse)) else {
        return true;
    };
    let custom = ws
        .config
        .as_ref()
        .map(|c| c.periods.clone())
        .unwrap_or_default();
    Period::resolve(p, &custom).is_none_or(|p| p.contains(d))
}

/// The places where `target` is defined (the `id:` values).
pub(crate) fn definitions(
    ws: &Workspace,
    outlines: &[(String, Arc<Outline>)],
    target: &Target,
) -> Vec<Location> {
    if let Some(found) = upstream_definitions(ws, target) {
        return found;
    }
    let mut found: Vec<(String, Spanned)> = Vec::new();
    let same = |s: &Option<String>, t: &str| s.as_deref() == Some(t);
    for (path, o) in outlines {
        match target {
            Target::Objective { team, id, period } => {
                if !same(&o.team, team) || period.as_ref().is_some_and(|p| !same(&o.period, p)) {
                    continue;
                }
                for obj in &o.objectives {
                    if let Some(i) = obj.item.id.as_ref().filter(|i| i.text == *id) {
                        found.push((path.clone(), i.clone()));
                    }
                }
            }
            Target::Kr {
                team,
                objective,
                id,
                period,
                date,
            } => {
                if !same(&o.team, team)
                    || period.as_ref().is_some_and(|p| !same(&o.period, p))
                    || !in_period(ws, o.period.as_deref(), date.as_deref())
                {
                    continue;
                }
                for obj in &o.objectives {
                    if obj.item.id.as_ref().is_some_and(|i| i.text == *objective) {
                        for kr in &obj.key_results {
                            if let Some(i) = kr.id.as_ref().filter(|i| i.text == *id) {
                                found.push((path.clone(), i.clone()));
                            }
                        }
                    }
                }
            }
            Target::Kpi { team, id } | Target::Item { team, id } => {
                if !same(&o.team, team) {
                    continue;
                }
                for k in &o.kpis {
                    if let Some(i) = k.id.as_ref().filter(|i| i.text == *id) {
                        found.push((path.clone(), i.clone()));
                    }
                }
                if matches!(target, Target::Item { .. }) {
                    for obj in &o.objectives {
                        if let Some(i) = obj.item.id.as_ref().filter(|i| i.text == *id) {
                            found.push((path.clone(), i.clone()));
                        }
                    }
                }
            }
        }
    }
    found
        .iter()
        .filter_map(|(path, s)| location(ws, path, &s.span))
        .collect()
}

/// Where an item of an upstream snapshot (`NAME:team/id`, SPEC 13) is defined: its `id:`
/// in the snapshot's file under `upstreams/NAME/`. `None` for an item of this repository.
fn upstream_definitions(ws: &Workspace, target: &Target) -> Option<Vec<Location>> {
    let team = match target {
        Target::Objective { team, .. }
        | Target::Kr { team, .. }
        | Target::Kpi { team, .. }
        | Target::Item { team, .. } => team,
    };
    crate::model::upstream_of(team)?;
    let Some(up) = ws.upstream() else {
        return Some(Vec::new());
    };
    let mut spans: Vec<Span> = Vec::new();
    match target {
        Target::Objective { id, period, .. } => spans.extend(
            up.objectives
                .iter()
                .filter(|o| o.team == *team && o.id == *id)
                .filter(|o| period.as_ref().is_none_or(|p| o.period.name == *p))
                .map(|o| o.span),
        ),
        Target::Kr { objective, id, .. } => spans.extend(
            up.objectives
                .iter()
                .filter(|o| o.team == *team && o.id == *objective)
                .flat_map(|o| &o.key_results)
                .filter(|kr| kr.id == *id)
                .map(|kr| kr.span),
        ),
        Target::Kpi { id, .. } | Target::Item { id, .. } => {
            spans.extend(
                up.kpis
                    .iter()
                    .filter(|k| k.team == *team && k.id == *id)
                    .map(|k| k.span),
            );
            if matches!(target, Target::Item { .. }) {
                spans.extend(
                    up.objectives
                        .iter()
                        .filter(|o| o.team == *team && o.id == *id)
                        .map(|o| o.span),
                );
            }
        }
    }
    Some(
        spans
            .iter()
            .filter_map(|span| {
                let path = ws.sources.path(span.file);
                let text = ws.snapshot_text(path)?;
                let range = LineIndex::new(&text).range(&text, span);
                let uri: Uri = ws.uri_of(path).parse().ok()?;
                Some(Location::new(uri, range))
            })
            .collect(),
    )
}

/// The places that refer to `target` (`parent`, `guardrails`, `kpi`, log `ref`s,
/// `carried_from`).
pub(crate) fn references(
    ws: &Workspace,
    outlines: &[(String, Arc<Outline>)],
    target: &Target,
) -> Vec<Location> {
    let wanted = target.reference();
    let mut out = Vec::new();
    for (path, o) in outlines {
        for r in &o.refs {
            let hit = match (target, &r.role) {
                (Target::Objective { period, .. }, Role::Parent) => {
                    r.value.text == wanted
                        && period.as_ref().is_none_or(|p| o.period.as_ref() == Some(p))
                }
                (Target::Objective { team, id, period }, Role::CarriedFrom) => {
                    o.team.as_ref() == Some(team)
                        && r.objective.as_ref() == Some(id)
                        && period.as_ref().is_none_or(|p| r.value.text == *p)
                }
                (Target::Objective { .. } | Target::Item { .. }, Role::LogRef) => {
                    r.value.text == wanted
                }
                (Target::Kpi { .. } | Target::Item { .. }, Role::KpiRef | Role::LogRef) => {
                    r.value.text == wanted
                }
                (Target::Kr { period, date, .. }, Role::LogRef) => {
                    r.value.text == wanted
                        && match (period, date) {
                            (Some(p), _) => in_period(ws, Some(p), r.date.as_deref()),
                            (None, Some(d)) => {
                                // Another check-in of the same key result falls in the
                                // period of the one asked about.
                                period_of(ws, outlines, target, d)
                                    .is_none_or(|p| in_period(ws, Some(&p), r.date.as_deref()))
                            }
                            (None, None) => true,
                        }
                }
                _ => false,
            };
            if hit && let Some(l) = location(ws, path, &r.value.span) {
                out.push(l);
            }
        }
    }
    out
}

/// The period of the objective a key-result ref dated `date` resolves to.
fn period_of(
    ws: &Workspace,
    outlines: &[(String, Arc<Outline>)],
    target: &Target,
    date: &str,
) -> Option<String> {
    let Target::Kr {
        team, objective, ..
    } = target
    else {
        return None;
    };
    outlines.iter().find_map(|(_, o)| {
        (o.team.as_ref() == Some(team)
            && o.objectives
                .iter()
                .any(|obj| obj.item.id.as_ref().is_some_and(|i| i.text == *objective))
            && in_period(ws, o.period.as_deref(), Some(date)))
        .then(|| o.period.clone())
        .flatten()
    })
}

/// The outline of one document: objectives with their key results, then KPIs.
#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written.
pub(crate) fn symbols(text: &str) -> Vec<DocumentSymbol> {
    let Some(o) = outline(text) else {
        return Vec::new();
    };
    let index = LineIndex::new(text);
    let symbol = |item: &super::outline::Item, kind, children: Option<Vec<DocumentSymbol>>| {
        let id = item.id.as_ref()?;
        let selection = index.range(text, &id.span);
        let start = index.range(text, &item.span).start;
        let end_offset = index.offset(text, lsp_types::Position::new(item.end_line, 0));
        let end = index.position(text, end_offset.saturating_sub(1));
        let range = Range::new(start.min(selection.start), end.max(selection.end));
        Some(DocumentSymbol {
            name: id.text.clone(),
            detail: item.title.clone(),
            kind,
            tags: None,
            deprecated: None,
            range,
            selection_range: selection,
            children,
        })
    };
    let mut out = Vec::new();
    for obj in &o.objectives {
        let krs: Vec<DocumentSymbol> = obj
            .key_results
            .iter()
            .filter_map(|k| symbol(k, SymbolKind::FIELD, None))
            .collect();
        out.extend(symbol(&obj.item, SymbolKind::CLASS, Some(krs)));
    }
    for k in &o.kpis {
        out.extend(symbol(k, SymbolKind::CONSTANT, None));
    }
    out
}
