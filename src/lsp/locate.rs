//! What is at a place in a goal file: the YAML path to the scalar under the cursor
//! (`objectives[0].key_results[1].kpi`), whether it is a key or a value, and the ids that
//! frame it (team, period, objective, key result, KPI, check-in). Read from the parsed YAML
//! tree with its spans, so flow style (`{ ref: a/b, date: … }`, `[a/b, c/d]`) is as precise
//! as block style, and generic: a key goalpost does not know yet is just another path.
//!
//! [`role`] names what the path means for navigation and hover; the rest of the server
//! works from that.

use crate::diag::Span;
use crate::load::yaml::{self, Node, SNode};

/// One step of a YAML path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// The check-in a place is inside.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CheckinAt {
    /// Its `ref` (check-in logs).
    pub reference: Option<String>,
    pub date: Option<String>,
    /// Where the check-in's mapping starts (its span as validation records it).
    pub span: Span,
}

/// The scalar under the cursor and what frames it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Located {
    pub path: Vec<Seg>,
    /// On a key (`parent:`) rather than on its value.
    pub on_key: bool,
    /// The scalar's text (a value's text as YAML reads it; the key's name on a key).
    pub text: String,
    /// The scalar's place (`file` 0).
    pub span: Span,
    /// The file's top-level `team` and `period`.
    pub team: Option<String>,
    pub period: Option<String>,
    /// Ids of the enclosing objective, key result and KPI.
    pub objective: Option<String>,
    pub kr: Option<String>,
    pub kpi: Option<String>,
    pub checkin: Option<CheckinAt>,
}

/// What a place means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Role {
    /// The `id` of an objective, a key result or a KPI (its definition).
    ObjectiveId,
    KrId,
    KpiId,
    /// An objective ref (`parent`).
    Parent,
    /// A KPI ref (`guardrails` item, a key result's `kpi`).
    KpiRef,
    /// A check-in log's `ref` (a key result or a KPI).
    LogRef,
    /// `carried_from`: a period in which the same objective exists.
    CarriedFrom,
    /// Any other part of a check-in.
    Checkin,
    Other,
}

impl Located {
    fn key_at(&self, i: usize) -> Option<&str> {
        match self.path.get(i) {
            Some(Seg::Key(k)) => Some(k),
            _ => None,
        }
    }

    /// The path's keys with indexes left out: `objectives.key_results.kpi`.
    pub(crate) fn keys(&self) -> Vec<&str> {
        self.path
            .iter()
            .filter_map(|s| match s {
                Seg::Key(k) => Some(k.as_str()),
                Seg::Index(_) => None,
            })
            .collect()
    }

    /// Whether the path goes through a list item at `i`.
    fn index_at(&self, i: usize) -> bool {
        matches!(self.path.get(i), Some(Seg::Index(_)))
    }
}

/// What the scalar at `loc` means (values only: on a key, [`Role::Other`]).
pub(crate) fn role(loc: &Located) -> Role {
    if loc.on_key {
        return Role::Other;
    }
    let keys = loc.keys();
    let n = loc.path.len();
    let Some(last) = n.checked_sub(1) else {
        return Role::Other;
    };
    let last = loc.key_at(last).unwrap_or("");
    let in_checkin = loc.checkin.is_some();
    match keys.as_slice() {
        ["objectives", "id"] if n == 3 && loc.index_at(1) => Role::ObjectiveId,
        ["objectives", "parent"] if n == 3 => Role::Parent,
        ["objectives", "carried_from"] if n == 3 => Role::CarriedFrom,
        ["objectives", "guardrails"] if n == 4 && loc.index_at(3) => Role::KpiRef,
        ["objectives", "key_results", "id"] if n == 5 => Role::KrId,
        ["objectives", "key_results", "kpi"] if n == 5 => Role::KpiRef,
        ["kpis", "id"] if n == 3 => Role::KpiId,
        ["checkins", "ref"] if n == 3 => Role::LogRef,
        _ if in_checkin && last != "checkins" => Role::Checkin,
        _ => Role::Other,
    }
}

/// The scalar at byte `offset` of a goal file's text, or `None` when the text does not
/// parse or no scalar is there. A cursor just after a scalar's last character is on it.
pub(crate) fn locate(text: &str, offset: usize) -> Option<Located> {
    let root = yaml::parse(text, 0).ok()?;
    let mut loc = Located::default();
    if let Node::Map(entries) = &root.value {
        for (k, v) in entries {
            match (&k.value, &v.value) {
                (Node::Str(key), Node::Str(s)) if key == "team" => loc.team = Some(s.to_string()),
                (Node::Str(key), _) if key == "period" => loc.period = scalar(text, v),
                _ => {}
            }
        }
    }
    descend(text, &root, offset, &mut loc).then_some(loc)
}

/// The text of a scalar as goalpost reads strings: plain numbers as written.
fn scalar(text: &str, n: &SNode<'_>) -> Option<String> {
    match &n.value {
        Node::Str(s) => Some(s.to_string()),
        Node::Int(_) | Node::Float(_) | Node::Bool(_) => {
            let start = n.span.start as usize;
            text.get(start..start + n.span.len as usize)
                .map(|t| t.trim().to_owned())
        }
        _ => None,
    }
}

fn contains(span: &Span, offset: usize) -> bool {
    let start = span.start as usize;
    start <= offset && offset <= start + span.len as usize
}

/// The string value of `key` in a mapping node.
fn field(text: &str, map: &SNode<'_>, key: &str) -> Option<String> {
    let Node::Map(entries) = &map.value else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| matches!(&k.value, Node::Str(s) if s == key))
        .and_then(|(_, v)| scalar(text, v))
}

/// Notes what a mapping at `loc.path` frames (an objective, key result, KPI, check-in).
fn frame(text: &str, map: &SNode<'_>, loc: &mut Located) {
    let keys = loc.keys();
    let id = || field(text, map, "id");
    match keys.as_slice() {
        ["objectives"] => loc.objective = id(),
        ["objectives", "key_results"] => loc.kr = id(),
        ["kpis"] => loc.kpi = id(),
        [.., "checkins"] => {
            loc.checkin = Some(CheckinAt {
                reference: field(text, map, "ref"),
                date: field(text, map, "date"),
                span: map.span,
            })
        }
        _ => {}
    }
}

fn descend(text: &str, n: &SNode<'_>, offset: usize, loc: &mut Located) -> bool {
    match &n.value {
        Node::Map(entries) => {
            frame(text, n, loc);
            // The last entry starting at or before the offset (collections carry the span of
            // their first key, with no length).
            let Some((k, v)) = entries
                .iter()
                .rev()
                .find(|(k, _)| (k.span.start as usize) <= offset)
            else {
                return false;
            };
            let Node::Str(key) = &k.value else {
                return false;
            };
            loc.path.push(Seg::Key(key.to_string()));
            if contains(&k.span, offset) && (k.span.len > 0 || offset < v.span.start as usize) {
                loc.on_key = true;
                loc.text = key.to_string();
                loc.span = k.span;
                return true;
            }
            descend(text, v, offset, loc)
        }
        Node::Seq(items) => {
            let Some((i, item)) = items
                .iter()
                .enumerate()
                .rev()
                .find(|(_, it)| (it.span.start as usize) <= offset)
            else {
                return false;
            };
            loc.path.push(Seg::Index(i));
            descend(text, item, offset, loc)
        }
        _ => {
            if !contains(&n.span, offset) || n.span.len == 0 {
                return false;
            }
            match scalar(text, n) {
                Some(s) => {
                    loc.text = s;
                    loc.span = n.span;
                    true
                }
                None => false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "team: growth
period: 2026-Q4
objectives:
  - id: onboarding
    title: Make onboarding good
    parent: company/activation
    guardrails: [growth/churn, growth/nps]
    key_results:
      - id: tickets
        title: Fewer tickets
        start: 250
        target: 150
        kpi: growth/d7
        checkins:
          - { date: 2026-10-05, value: 240 }
kpis:
  - id: churn
    title: Churn
checkins:
  - { ref: growth/onboarding/tickets, date: 2026-10-12, value: 64 }
  - ref: growth/churn
    date: 2026-10-13
    value: 3
";

    fn at(needle: &str, skip: usize) -> Located {
        let offset = FILE.find(needle).expect("needle") + skip;
        locate(FILE, offset).unwrap_or_else(|| panic!("nothing at {needle:?}+{skip}"))
    }

    #[test]
    fn values_are_located_with_their_frame() {
        let l = at("company/activation", 3);
        assert_eq!(role(&l), Role::Parent);
        assert_eq!(l.text, "company/activation");
        assert_eq!(l.team.as_deref(), Some("growth"));
        assert_eq!(l.period.as_deref(), Some("2026-Q4"));
        assert_eq!(l.objective.as_deref(), Some("onboarding"));

        let l = at("growth/nps", 0);
        assert_eq!((role(&l), l.text.as_str()), (Role::KpiRef, "growth/nps"));
        let l = at("growth/d7", 9);
        assert_eq!((role(&l), l.text.as_str()), (Role::KpiRef, "growth/d7"));
        assert_eq!(l.kr.as_deref(), Some("tickets"));
        let l = at("id: tickets", 5);
        assert_eq!((role(&l), l.text.as_str()), (Role::KrId, "tickets"));
        let l = at("id: churn", 4);
        assert_eq!((role(&l), l.text.as_str()), (Role::KpiId, "churn"));
        let l = at("id: onboarding", 4);
        assert_eq!(role(&l), Role::ObjectiveId);
    }

    #[test]
    fn check_ins_in_flow_and_block_style() {
        let l = at("growth/onboarding/tickets", 2);
        assert_eq!(role(&l), Role::LogRef);
        let c = l.checkin.expect("a check-in");
        assert_eq!(c.date.as_deref(), Some("2026-10-12"));
        let l = at("value: 64", 8);
        assert_eq!(role(&l), Role::Checkin);
        let l = at("ref: growth/churn", 6);
        assert_eq!((role(&l), l.text.as_str()), (Role::LogRef, "growth/churn"));
        assert_eq!(
            l.checkin.and_then(|c| c.date).as_deref(),
            Some("2026-10-13")
        );
        let l = at("value: 240", 7);
        assert_eq!(role(&l), Role::Checkin);
        assert_eq!(l.kr.as_deref(), Some("tickets"));
    }

    #[test]
    fn keys_and_empty_places() {
        let l = at("parent:", 1);
        assert!(l.on_key);
        assert_eq!(role(&l), Role::Other);
        assert!(locate(FILE, FILE.len()).is_none() || !locate(FILE, FILE.len()).unwrap().on_key);
        assert!(locate("team: [", 3).is_none());
        // A document that is one scalar: nothing to navigate, no panic.
        let l = locate("just text", 2).expect("the scalar");
        assert_eq!(role(&l), Role::Other);
        assert!(locate("", 0).is_none());
    }
}
