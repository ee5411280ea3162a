//! The JSON wire types of the engine's values (`crate::diff`), shared by the two commands
//! that print typed changes: `diff --format json` ([`super::diff`]) and `log --format json`
//! ([`super::log`]). Each derives `JsonSchema`, so `goalpost schema --output diff|log`
//! describes exactly what is printed.

use crate::diff::{ChangeKind, Field, FromTo, ItemChange, ItemKind, Revised};
use crate::model::{Checkin, Dropped, Observation, Ref, Revision};
use schemars::JsonSchema;
use serde::Serialize;

/// A value before and after, through `f`.
pub(crate) fn from_to<T, U>(p: &FromTo<T>, f: impl Fn(&T) -> U) -> FromToJson<U> {
    FromToJson {
        from: f(&p.from),
        to: f(&p.to),
    }
}

/// What an item is.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum KindJson {
    Objective,
    KeyResult,
    Kpi,
}

impl From<ItemKind> for KindJson {
    fn from(k: ItemKind) -> Self {
        match k {
            ItemKind::Objective => KindJson::Objective,
            ItemKind::KeyResult => KindJson::KeyResult,
            ItemKind::Kpi => KindJson::Kpi,
        }
    }
}

/// How an item changed.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ChangeJsonKind {
    Added,
    Removed,
    Renamed,
    Modified,
}

impl From<ChangeKind> for ChangeJsonKind {
    fn from(k: ChangeKind) -> Self {
        match k {
            ChangeKind::Added => ChangeJsonKind::Added,
            ChangeKind::Removed => ChangeJsonKind::Removed,
            ChangeKind::Renamed => ChangeJsonKind::Renamed,
            ChangeKind::Modified => ChangeJsonKind::Modified,
        }
    }
}

/// A value before and after.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct FromToJson<T> {
    pub from: T,
    pub to: T,
}

/// A field's value: a number, a text (keywords and refs too), a list of refs
/// (`guardrails`), or null when unset.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum FieldValue {
    Number(f64),
    Text(String),
    List(Vec<String>),
    Null,
}

/// Another field that changed.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct FieldJson {
    /// `owner`, `commitment`, `parent`, `guardrails`, `description` (objectives); `kind`,
    /// `weight`, `unit`, `kpi`, `due`, `owner`, `cadence`, `description` (key results);
    /// `critical` (set or unset), `better`, `cadence`, `unit`, `owner` (KPIs). In `log`, also
    /// `title`, `start` and `target`.
    pub field: String,
    pub from: FieldValue,
    pub to: FieldValue,
}

impl FieldJson {
    /// A field change with its typed values as JSON values.
    pub(crate) fn of(f: &Field) -> FieldJson {
        fn text<T: ToString>(x: &T) -> FieldValue {
            FieldValue::Text(x.to_string())
        }
        fn opt<T: ToString>(x: &Option<T>) -> FieldValue {
            x.as_ref().map_or(FieldValue::Null, text)
        }
        let (from, to) = match f {
            Field::Title(p) => (text(&p.from), text(&p.to)),
            Field::Owner(p) | Field::Unit(p) => (opt(&p.from), opt(&p.to)),
            Field::Commitment(p) => (text(&p.from), text(&p.to)),
            Field::Parent(p) | Field::Kpi(p) => (opt(&p.from), opt(&p.to)),
            Field::Guardrails(p) => {
                let list = |r: &Vec<Ref>| FieldValue::List(r.iter().map(Ref::to_string).collect());
                (list(&p.from), list(&p.to))
            }
            Field::Start(p) | Field::Target(p) | Field::Weight(p) => {
                (FieldValue::Number(p.from), FieldValue::Number(p.to))
            }
            Field::Critical(p) => {
                let n = |x: Option<f64>| x.map_or(FieldValue::Null, FieldValue::Number);
                (n(p.from), n(p.to))
            }
            Field::Kind(p) => (text(&p.from), text(&p.to)),
            Field::Better(p) => (text(&p.from), text(&p.to)),
            Field::Cadence(p) => (text(&p.from), text(&p.to)),
            Field::KrCadence(p) => (text(&p.from), text(&p.to)),
            Field::Due(p) => (opt(&p.from), opt(&p.to)),
            Field::Description(p) => (opt(&p.from), opt(&p.to)),
        };
        FieldJson {
            field: f.name().to_owned(),
            from,
            to,
        }
    }
}

/// A check-in: `value` for a metric or KPI, `done` for a milestone (the other is null).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct CheckinJson {
    /// YYYY-MM-DD.
    pub date: String,
    pub value: Option<f64>,
    pub done: Option<bool>,
    pub confidence: Option<f64>,
    pub note: Option<String>,
    pub by: Option<String>,
    /// The reason, when the check-in is a correction (SPEC 3.2).
    pub correction: Option<String>,
}

/// Check-ins before → after (changed or corrected), as JSON pairs.
pub(crate) fn checkin_pairs(pairs: &[FromTo<Checkin>]) -> Vec<FromToJson<CheckinJson>> {
    pairs
        .iter()
        .map(|p| from_to(p, |c| CheckinJson::from(c)))
        .collect()
}

impl From<&Checkin> for CheckinJson {
    fn from(c: &Checkin) -> Self {
        let (value, done) = match c.obs {
            Observation::Value(v) => (Some(v), None),
            Observation::Done(d) => (None, Some(d)),
        };
        CheckinJson {
            date: c.date.to_string(),
            value,
            done,
            confidence: c.confidence,
            note: c.note().map(str::to_owned),
            by: c.by().map(str::to_owned),
            correction: c.correction().map(|x| x.reason.clone()),
        }
    }
}

/// A key result's revision (SPEC 3.4): from `date` on, the `target` and `start` it names
/// (null when it leaves one as it was).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct RevisionJson {
    /// YYYY-MM-DD.
    pub date: String,
    pub target: Option<f64>,
    pub start: Option<f64>,
    pub reason: String,
}

impl From<&Revision> for RevisionJson {
    fn from(r: &Revision) -> Self {
        RevisionJson {
            date: r.date.to_string(),
            target: r.target,
            start: r.start,
            reason: r.reason.clone(),
        }
    }
}

/// A revision appended, with the figures in force the day before it (null where they could
/// not be told: not a metric).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct RevisedJson {
    /// YYYY-MM-DD.
    pub date: String,
    pub target: Option<f64>,
    pub start: Option<f64>,
    pub reason: String,
    pub target_before: Option<f64>,
    pub start_before: Option<f64>,
}

impl From<&Revised> for RevisedJson {
    fn from(r: &Revised) -> Self {
        let v = &r.revision;
        RevisedJson {
            date: v.date.to_string(),
            target: v.target,
            start: v.start,
            reason: v.reason.clone(),
            target_before: r.before.map(|b| b.1),
            start_before: r.before.map(|b| b.0),
        }
    }
}

/// When and why an item was dropped (SPEC 3.4).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct DropJson {
    /// YYYY-MM-DD.
    pub date: String,
    pub reason: String,
}

impl From<&Dropped> for DropJson {
    fn from(d: &Dropped) -> Self {
        DropJson {
            date: d.date.to_string(),
            reason: d.reason.clone(),
        }
    }
}

/// An item's history of plan (SPEC 3.4) that changed: revisions and its drop, the same keys
/// in `diff` and `log`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct PlanJson {
    /// Revisions appended (a key result), by date.
    pub revisions_added: Vec<RevisedJson>,
    /// Revisions of the base whose content changed (`history-rewritten`).
    pub revisions_changed: Vec<FromToJson<RevisionJson>>,
    /// Revisions of the base that are gone (`history-rewritten`).
    pub revisions_removed: Vec<RevisionJson>,
    /// The item's own `dropped` before → after, when it changed (null when it did not):
    /// `from` null is a drop added; anything else rewrites history.
    pub dropped: Option<FromToJson<Option<DropJson>>>,
}

impl PlanJson {
    /// `with_removed`: list the revisions and drop that went with a removed item (`log`;
    /// `diff` lists a removed item alone, as it does its check-ins).
    pub(crate) fn of(c: &ItemChange, with_removed: bool) -> PlanJson {
        let r = &c.revisions;
        let gone = c.change == ChangeKind::Removed && !with_removed;
        PlanJson {
            revisions_added: r.added.iter().map(RevisedJson::from).collect(),
            revisions_changed: r
                .changed
                .iter()
                .map(|p| from_to(p, |r| RevisionJson::from(r)))
                .collect(),
            revisions_removed: if gone {
                Vec::new()
            } else {
                r.removed.iter().map(RevisionJson::from).collect()
            },
            dropped: c
                .dropped
                .as_ref()
                .filter(|_| !gone)
                .map(|d| from_to(d, |x| x.as_ref().map(DropJson::from))),
        }
    }
}
