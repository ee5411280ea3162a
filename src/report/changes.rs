//! The JSON wire types of the engine's values (`crate::diff`), shared by the two commands
//! that print typed changes: `diff --format json` ([`super::diff`]) and `log --format json`
//! ([`super::log`]). Each derives `JsonSchema`, so `goalpost schema --output diff|log`
//! describes exactly what is printed.

use crate::diff::{ChangeKind, Field, FromTo, ItemKind};
use crate::model::{Checkin, Observation, Ref};
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
    /// `owner`, `commitment`, `parent`, `guardrails` (objectives); `kind`, `weight`, `unit`,
    /// `kpi` (key results); `critical` (set or unset), `better`, `cadence`, `unit`, `owner`
    /// (KPIs). In `log`, also `title`, `start` and `target`.
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
            Field::Due(p) => (opt(&p.from), opt(&p.to)),
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
