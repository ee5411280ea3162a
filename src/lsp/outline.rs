//! The outline of one goal file: its objectives, key results and KPIs with the places of
//! their ids, and every reference it makes (`parent`, `guardrails`, `kpi`, a log's `ref`,
//! `carried_from`) with its place. Read from the YAML tree (not the raw types), so a file
//! that validation rejects still has an outline, and keys added later are just ignored.
//! Definitions, references and document symbols search these.

use super::locate::Role;
use crate::diag::Span;
use crate::load::yaml::{self, Node, SNode};

/// A string value and its place (`file` 0).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spanned {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Item {
    pub id: Option<Spanned>,
    pub title: Option<String>,
    /// The item's mapping (its first key) .
    pub span: Span,
    /// The last line of the item (for document symbol ranges), 1-based.
    pub end_line: u32,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct ObjectiveOutline {
    pub item: Item,
    pub key_results: Vec<Item>,
}

/// One reference written in the file.
#[derive(Debug, Clone)]
pub(crate) struct RefUse {
    /// [`Role::Parent`], [`Role::KpiRef`], [`Role::LogRef`] or [`Role::CarriedFrom`].
    pub role: Role,
    pub value: Spanned,
    /// The id of the objective it is written in (parent, guardrails, kpi, carried_from).
    pub objective: Option<String>,
    /// A log check-in's date.
    pub date: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Outline {
    pub team: Option<String>,
    pub period: Option<String>,
    pub objectives: Vec<ObjectiveOutline>,
    pub kpis: Vec<Item>,
    pub refs: Vec<RefUse>,
}

/// The outline of a goal file's text; `None` when it does not parse.
pub(crate) fn outline(text: &str) -> Option<Outline> {
    let root = yaml::parse(text, 0).ok()?;
    let mut o = Outline::default();
    let Node::Map(entries) = &root.value else {
        return Some(o);
    };
    for (k, v) in entries {
        match key(k) {
            Some("team") => o.team = string(text, v).map(|s| s.text),
            Some("period") => o.period = string(text, v).map(|s| s.text),
            Some("objectives") => {
                for obj in seq(v) {
                    let outline = objective(text, obj, &mut o.refs);
                    o.objectives.push(outline);
                }
            }
            Some("kpis") => o.kpis = seq(v).map(|k| item(text, k)).collect(),
            Some("checkins") => {
                for c in seq(v) {
                    if let Some(value) = get(c, "ref").and_then(|r| string(text, r)) {
                        o.refs.push(RefUse {
                            role: Role::LogRef,
                            value,
                            objective: None,
                            date: get(c, "date").and_then(|d| string(text, d)).map(|d| d.text),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    Some(o)
}

fn key<'a>(k: &'a SNode<'_>) -> Option<&'a str> {
    match &k.value {
        Node::Str(s) => Some(s),
        _ => None,
    }
}

fn get<'a, 'n>(map: &'a SNode<'n>, name: &str) -> Option<&'a SNode<'n>> {
    match &map.value {
        Node::Map(entries) => entries
            .iter()
            .find(|(k, _)| key(k) == Some(name))
            .map(|(_, v)| v),
        _ => None,
    }
}

fn seq<'a, 'n>(n: &'a SNode<'n>) -> impl Iterator<Item = &'a SNode<'n>> {
    match &n.value {
        Node::Seq(items) => items.iter(),
        _ => [].iter(),
    }
}

/// A scalar as goalpost reads a string (plain numbers as written).
fn string(text: &str, n: &SNode<'_>) -> Option<Spanned> {
    let t = match &n.value {
        Node::Str(s) => s.to_string(),
        Node::Int(_) | Node::Float(_) | Node::Bool(_) => {
            let start = n.span.start as usize;
            text.get(start..start + n.span.len as usize)?
                .trim()
                .to_owned()
        }
        _ => return None,
    };
    Some(Spanned {
        text: t,
        span: n.span,
    })
}

/// The last line any node under `n` starts on.
fn last_line(n: &SNode<'_>) -> u32 {
    match &n.value {
        Node::Map(entries) => entries
            .iter()
            .map(|(k, v)| last_line(k).max(last_line(v)))
            .max()
            .unwrap_or(n.span.line),
        Node::Seq(items) => items.iter().map(last_line).max().unwrap_or(n.span.line),
        _ => n.span.line,
    }
}

fn item(text: &str, n: &SNode<'_>) -> Item {
    Item {
        id: get(n, "id").and_then(|v| string(text, v)),
        title: get(n, "title")
            .and_then(|v| string(text, v))
            .map(|s| s.text),
        span: n.span,
        end_line: last_line(n),
    }
}

fn objective(text: &str, n: &SNode<'_>, refs: &mut Vec<RefUse>) -> ObjectiveOutline {
    let it = item(text, n);
    let id = it.id.as_ref().map(|i| i.text.clone());
    let mut push = |role: Role, v: &SNode<'_>| {
        if let Some(value) = string(text, v) {
            refs.push(RefUse {
                role,
                value,
                objective: id.clone(),
                date: None,
            });
        }
    };
    if let Some(p) = get(n, "parent") {
        push(Role::Parent, p);
    }
    if let Some(c) = get(n, "carried_from") {
        push(Role::CarriedFrom, c);
    }
    for g in get(n, "guardrails").into_iter().flat_map(seq) {
        push(Role::KpiRef, g);
    }
    let mut key_results = Vec::new();
    for kr in get(n, "key_results").into_iter().flat_map(seq) {
        if let Some(k) = get(kr, "kpi") {
            push(Role::KpiRef, k);
        }
        key_results.push(item(text, kr));
    }
    ObjectiveOutline {
        item: it,
        key_results,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_and_refs() {
        let text = "team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: O\n    parent: company/a\n    carried_from: 2026-Q3\n    guardrails: [growth/churn]\n    key_results:\n      - { id: k, title: K, kpi: growth/nps }\nkpis:\n  - id: churn\n    title: Churn\ncheckins:\n  - { ref: growth/o/k, date: 2026-10-01, value: 1 }\n";
        let o = outline(text).expect("parses");
        assert_eq!(o.team.as_deref(), Some("growth"));
        assert_eq!(o.objectives.len(), 1);
        assert_eq!(
            o.objectives[0].key_results[0].id.as_ref().unwrap().text,
            "k"
        );
        assert_eq!(o.objectives[0].item.end_line, 10);
        assert_eq!(o.kpis[0].title.as_deref(), Some("Churn"));
        let refs: Vec<(Role, &str)> = o
            .refs
            .iter()
            .map(|r| (r.role.clone(), r.value.text.as_str()))
            .collect();
        assert_eq!(
            refs,
            [
                (Role::Parent, "company/a"),
                (Role::CarriedFrom, "2026-Q3"),
                (Role::KpiRef, "growth/churn"),
                (Role::KpiRef, "growth/nps"),
                (Role::LogRef, "growth/o/k"),
            ]
        );
        assert_eq!(o.refs[4].date.as_deref(), Some("2026-10-01"));
        assert!(outline("a: [").is_none());
    }
}
