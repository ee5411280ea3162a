//! Raw goal-file types: exactly what a file says, with the span of every value, before any
//! cross-file validation. They also define the JSON Schema (`goalpost schema`) through
//! schemars, so the editor schema and the loader cannot disagree: each field names its value's
//! shape (`super::shape`) and whether `check` requires it; the rules across keys are
//! added in `crate::schema`.

use super::shape;
use crate::diag::Span;
use crate::model::{Checkin, KrKey};
use schemars::JsonSchema;
use std::borrow::Cow;

/// A value and the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Span) -> Self {
        Sp { value, span }
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
}

/// A goalpost goal file: objectives and key results for one team and period, KPI
/// definitions, and/or a log of check-ins.
#[derive(Debug, Clone, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "goalpost goal file")]
pub struct RawFile {
    /// The team that owns the objectives and KPIs in this file (a slug); required when the
    /// file defines objectives or KPIs.
    #[schemars(with = "Option<shape::Slug>")]
    pub team: Option<Sp<String>>,
    /// The period of the objectives: `2026-Q4`, `2026-H2`, `2026`, `2026-11`, or a name from
    /// `[periods]` in goalpost.toml; required when the file defines objectives.
    #[schemars(with = "Option<shape::PeriodName>")]
    pub period: Option<Sp<String>>,
    /// Qualitative, ambitious goals for this period, each with 2–5 measurable key results.
    pub objectives: Option<Vec<RawObjective>>,
    /// Long-lived health metrics judged against thresholds.
    pub kpis: Option<Vec<RawKpi>>,
    /// An append-only log of check-ins, each naming its key result or KPI by `ref`.
    #[schemars(with = "Option<Vec<LogCheckin>>")]
    pub checkins: Option<Vec<RawCheckin>>,
    #[schemars(skip)]
    pub span: Span,
    /// Keys that were written with a value that could not be read (already reported).
    #[schemars(skip)]
    pub invalid: Vec<&'static str>,
}

/// An objective: where the team wants to be at the end of the period.
#[derive(Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Objective")]
pub struct RawObjective {
    /// Slug, unique within the team and period.
    #[schemars(with = "shape::Slug")]
    pub id: Option<Sp<String>>,
    /// What the team wants to achieve, in words that inspire: qualitative, no numbers.
    #[schemars(with = "shape::Text")]
    pub title: Option<Sp<String>>,
    /// Who answers for the objective (free text: a name or handle).
    #[schemars(with = "Option<shape::Text>")]
    pub owner: Option<Sp<String>>,
    /// `aspirational` (default; 0.7 is a good score) or `committed` (expected to reach 1.0).
    pub commitment: Option<Sp<Commitment>>,
    /// The objective this one supports: `team/objective`, in the same period.
    #[schemars(with = "Option<shape::ObjectiveRef>")]
    pub parent: Option<Sp<String>>,
    /// KPIs (`team/kpi`) that must stay healthy while the objective is pursued.
    #[schemars(with = "Option<Vec<shape::KpiRef>>")]
    pub guardrails: Option<Vec<Sp<String>>>,
    /// The measurable outcomes that say how far the objective got (2–5).
    pub key_results: Option<Vec<RawKeyResult>>,
    /// The period this objective was carried over from (`goalpost rollover` writes it); the
    /// team must have an objective of the same id there.
    #[schemars(with = "Option<shape::PeriodName>")]
    pub carried_from: Option<Sp<String>>,
    /// Free text on what the objective is about and why: shown by `show`, the HTML report
    /// and editor hovers.
    #[schemars(with = "Option<shape::Text>")]
    pub description: Option<Sp<String>>,
    /// The objective was given up: from this date on its status is `dropped`, it is not
    /// graded and `rollover` never carries it; its key results are dropped with it. Written
    /// by `goalpost drop`; history, like check-ins: never change or remove it.
    pub dropped: Option<RawDropped>,
    #[schemars(skip)]
    pub span: Span,
    /// Keys that were written with a value that could not be read (already reported).
    #[schemars(skip)]
    pub invalid: Vec<&'static str>,
}

/// A key result: a measurable outcome, scored 0.0–1.0.
#[derive(Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "KeyResult")]
pub struct RawKeyResult {
    /// Slug, unique within the objective.
    #[schemars(with = "shape::Slug")]
    pub id: Option<Sp<String>>,
    /// The outcome and its numbers, such as "Reduce weekly support tickets from 250 to 150".
    #[schemars(with = "shape::Text")]
    pub title: Option<Sp<String>>,
    /// `metric` (default): a change from `start` to `target`; `milestone`: done or not.
    pub kind: Option<Sp<KrKind>>,
    /// Value when the period started (required for metric key results).
    pub start: Option<Sp<f64>>,
    /// Value to reach (required for metric key results); below `start` means "decrease".
    pub target: Option<Sp<f64>>,
    /// Display unit, such as `%` or `tickets/week`.
    #[schemars(with = "Option<shape::Text>")]
    pub unit: Option<Sp<String>>,
    /// Relative weight in the objective's score (> 0, default 1).
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub weight: Option<Sp<f64>>,
    /// A KPI (`team/kpi`) whose check-ins give this key result's current value; the key
    /// result then takes no check-ins of its own.
    #[schemars(with = "Option<shape::KpiRef>")]
    pub kpi: Option<Sp<String>>,
    /// The day a milestone is expected to be done (`YYYY-MM-DD`, inside the period): its
    /// expected progress is 0 before it and 1 from it on, instead of a straight line.
    /// Milestones only.
    #[schemars(with = "Option<shape::Date>")]
    pub due: Option<Sp<String>>,
    /// Who is asked for this key result's check-ins (free text); the objective's owner
    /// when left out.
    #[schemars(with = "Option<shape::Text>")]
    pub owner: Option<Sp<String>>,
    /// How often it is checked in: `weekly` (default), `biweekly` or `monthly` (7, 14, 31
    /// days); sets when a check-in is due and when the key result goes stale. Not on a key
    /// result with `kpi:` (its KPI's cadence applies).
    pub cadence: Option<Sp<KrCadence>>,
    /// Free text on what the key result measures and why: shown by `show`, the HTML report
    /// and editor hovers.
    #[schemars(with = "Option<shape::Text>")]
    pub description: Option<Sp<String>>,
    /// Re-planning with a reason, instead of editing `start` or `target` in place: from each
    /// revision's date on, the start and target it names are in force (metric key results).
    /// Written by `goalpost revise`; history, like check-ins: append, never change or remove.
    pub revisions: Option<Vec<RawRevision>>,
    /// The key result was given up: from this date on its status is `dropped` and it counts
    /// in no score of its objective. Written by `goalpost drop`; history: never change or
    /// remove it.
    pub dropped: Option<RawDropped>,
    /// Dated observations: `value` for a metric key result, `done` for a milestone.
    #[schemars(with = "Option<KrCheckins>")]
    pub checkins: Option<Vec<RawCheckin>>,
    /// Where `checkins`' value is written (history reads an empty list filled in from the
    /// changed lines).
    #[schemars(skip)]
    pub checkins_at: Option<Span>,
    /// `checkins` once lowered ([`super::lower`]): then `checkins` is `None`.
    #[schemars(skip)]
    pub lowered: Lowered,
    #[schemars(skip)]
    pub span: Span,
    /// Keys that were written with a value that could not be read (already reported).
    #[schemars(skip)]
    pub invalid: Vec<&'static str>,
}

/// A change of a metric key result's plan, with its reason (SPEC 3.4): a new `target`, a
/// new `start` or both, in force from its date on.
#[derive(Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Revision")]
pub struct RawRevision {
    /// The day the revised figures take effect, `YYYY-MM-DD`, inside the key result's
    /// period; check-ins from that day on are measured against them.
    #[schemars(with = "shape::Date")]
    pub date: Option<Sp<String>>,
    /// The new target (leave it out to keep the one in force).
    pub target: Option<Sp<f64>>,
    /// The new start (leave it out to keep the one in force).
    pub start: Option<Sp<f64>>,
    /// Why the plan changed, for the review and the history.
    #[schemars(with = "shape::Reason")]
    pub reason: Option<Sp<String>>,
    #[schemars(skip)]
    pub span: Span,
    /// Keys that were written with a value that could not be read (already reported).
    #[schemars(skip)]
    pub invalid: Vec<&'static str>,
}

/// When and why an objective or key result was given up (SPEC 3.4).
#[derive(Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Dropped")]
pub struct RawDropped {
    /// The day it was dropped, `YYYY-MM-DD`, inside the period.
    #[schemars(with = "shape::Date")]
    pub date: Option<Sp<String>>,
    /// Why it was dropped.
    #[schemars(with = "shape::Reason")]
    pub reason: Option<Sp<String>>,
    #[schemars(skip)]
    pub span: Span,
    /// Keys that were written with a value that could not be read (already reported).
    #[schemars(skip)]
    pub invalid: Vec<&'static str>,
}

impl RawKeyResult {
    /// Where `key` is written, when it is (with a value that could be read).
    pub fn key_span(&self, key: KrKey) -> Option<Span> {
        match key {
            KrKey::Start => self.start.as_ref().map(|v| v.span),
            KrKey::Target => self.target.as_ref().map(|v| v.span),
            KrKey::Unit => self.unit.as_ref().map(|v| v.span),
            KrKey::Kpi => self.kpi.as_ref().map(|v| v.span),
            KrKey::Due => self.due.as_ref().map(|v| v.span),
            KrKey::Revisions => self
                .revisions
                .as_ref()
                .and_then(|r| r.first())
                .map(|r| r.span),
        }
    }
}

/// A KPI: a stable health metric with a target and an optional critical threshold.
#[derive(Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Kpi")]
pub struct RawKpi {
    /// Slug, unique within the team and distinct from its objective ids.
    #[schemars(with = "shape::Slug")]
    pub id: Option<Sp<String>>,
    /// What is measured, such as "Monthly customer churn".
    #[schemars(with = "shape::Text")]
    pub title: Option<Sp<String>>,
    /// Display unit, such as `%` or `ms`.
    #[schemars(with = "Option<shape::Text>")]
    pub unit: Option<Sp<String>>,
    /// Which direction is good.
    #[schemars(required)]
    pub better: Option<Sp<Better>>,
    /// Healthy on the good side of this value (inclusive).
    #[schemars(required)]
    pub target: Option<Sp<f64>>,
    /// Critical on the bad side of this value (inclusive).
    pub critical: Option<Sp<f64>>,
    /// How often it is measured; a KPI is stale after 7, 31 or 92 days without a check-in.
    pub cadence: Option<Sp<Cadence>>,
    /// Who answers for the KPI (free text: a name or handle).
    #[schemars(with = "Option<shape::Text>")]
    pub owner: Option<Sp<String>>,
    /// Where `goalpost pull` fetches the KPI's values: a source defined under `[sources]` in
    /// goalpost.toml, with a PromQL `query` when it is a Prometheus server.
    pub source: Option<RawKpiSource>,
    /// Dated measurements, each with a `value`.
    #[schemars(with = "Option<Vec<ValueCheckin>>")]
    pub checkins: Option<Vec<RawCheckin>>,
    /// Where `checkins`' value is written (as for a key result).
    #[schemars(skip)]
    pub checkins_at: Option<Span>,
    /// `checkins` once lowered ([`super::lower`]): then `checkins` is `None`.
    #[schemars(skip)]
    pub lowered: Lowered,
    #[schemars(skip)]
    pub span: Span,
    /// Keys that were written with a value that could not be read (already reported).
    #[schemars(skip)]
    pub invalid: Vec<&'static str>,
}

/// Where `goalpost pull` fetches a KPI's values (only KPIs take a source; a key result takes
/// its KPI's values through `kpi:`).
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "KpiSource")]
pub struct RawKpiSource {
    /// The name of a source defined under `[sources]` in goalpost.toml.
    #[schemars(with = "shape::Slug")]
    pub from: Option<Sp<String>>,
    /// The PromQL query whose single sample is the KPI's value, such as
    /// `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))`.
    /// Required for a Prometheus source; a CSV source takes none (its rows name the KPI).
    #[schemars(with = "Option<String>", length(min = 1))]
    pub query: Option<Sp<String>>,
    #[schemars(skip)]
    pub span: Span,
    /// Keys that were written with a value that could not be read (already reported).
    #[schemars(skip)]
    pub invalid: Vec<&'static str>,
}

// A repository can hold hundreds of thousands of check-ins, so a typical one (a date and a
// value) is 112 bytes with no allocation of its own: the date text is stored inline, the
// fields most check-ins leave out share one optional box, and the keys whose value could
// not be read are a bitmask (176 bytes plus a date allocation before; BENCHMARKS.md). (A
// `//` comment: `///` would go into the JSON Schema.)
/// A dated observation of a key result or KPI.
#[derive(Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCheckin {
    /// The day of the observation, `YYYY-MM-DD`.
    #[schemars(with = "shape::Date")]
    pub date: Option<Sp<ShortText>>,
    /// The measured value (metric key results and KPIs).
    pub value: Option<Sp<f64>>,
    /// The other fields, boxed together: `None` when none of them is written.
    #[serde(flatten)]
    pub extra: Option<Box<CheckinExtra>>,
    #[schemars(skip)]
    pub span: Span,
    /// Keys that were written with a value that could not be read (already reported).
    #[schemars(skip)]
    pub invalid: CheckinKeys,
}

/// The fields of a check-in that most check-ins leave out.
#[derive(Debug, Clone, Default, JsonSchema)]
pub struct CheckinExtra {
    /// In a check-in log: `team/kpi` or `team/objective/kr`. Not allowed inline.
    #[serde(rename = "ref")]
    #[schemars(with = "Option<shape::ItemRef>")]
    pub reference: Option<Sp<String>>,
    /// Whether the milestone is done (milestone key results).
    pub done: Option<Sp<bool>>,
    /// The stated probability, 0–1, that the key result reaches its target (progress 1; a
    /// milestone: done) by the end of its period: 0.7 means seven in ten.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub confidence: Option<Sp<f64>>,
    /// A remark shown with the check-in, such as what changed.
    #[schemars(with = "Option<shape::Text>")]
    pub note: Option<Box<Sp<String>>>,
    /// Who checked in; when missing, reports can take it from git.
    #[schemars(with = "Option<shape::Text>")]
    pub by: Option<Box<Sp<String>>>,
    /// Why this check-in corrects the check-in of the same ref and date: it replaces that
    /// check-in (however many there are) for every computation, and the original stays in
    /// the file as history. A correction needs an original (`orphan-correction`).
    #[schemars(with = "Option<shape::Reason>")]
    pub correction: Option<Box<Sp<String>>>,
}

impl RawCheckin {
    pub fn reference(&self) -> Option<&Sp<String>> {
        self.extra.as_ref()?.reference.as_ref()
    }
    pub fn done(&self) -> Option<&Sp<bool>> {
        self.extra.as_ref()?.done.as_ref()
    }
    pub fn confidence(&self) -> Option<&Sp<f64>> {
        self.extra.as_ref()?.confidence.as_ref()
    }
    pub fn note(&self) -> Option<&Sp<String>> {
        self.extra.as_ref()?.note.as_deref()
    }
    pub fn by(&self) -> Option<&Sp<String>> {
        self.extra.as_ref()?.by.as_deref()
    }
    pub fn correction(&self) -> Option<&Sp<String>> {
        self.extra.as_ref()?.correction.as_deref()
    }
}

/// The keys a check-in may have, in the order `CheckinKeys` numbers them.
pub(crate) const CHECKIN_KEYS: [&str; 8] = [
    "ref",
    "date",
    "value",
    "done",
    "confidence",
    "note",
    "by",
    "correction",
];

/// A set of check-in keys (of [`CHECKIN_KEYS`]) as a bitmask.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckinKeys(u8);

impl CheckinKeys {
    /// The set of the given keys; keys that are not check-in keys are left out.
    pub fn from_keys(keys: &[&str]) -> Self {
        let mut bits = 0u8;
        for k in keys {
            if let Some(i) = CHECKIN_KEYS.iter().position(|c| c == k) {
                bits |= 1 << i;
            }
        }
        CheckinKeys(bits)
    }
    pub fn contains(&self, key: &&str) -> bool {
        CHECKIN_KEYS
            .iter()
            .position(|c| c == key)
            .is_some_and(|i| self.0 & (1 << i) != 0)
    }
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }
}

/// A short string stored without an allocation when it fits in 14 bytes (a check-in's date
/// is 10), and in a box otherwise. 16 bytes either way.
#[derive(Clone, PartialEq, Eq)]
pub enum ShortText {
    Inline {
        len: u8,
        bytes: [u8; 14],
    },
    // A box keeps the enum at 16 bytes; a `String` would make it 24.
    #[allow(clippy::box_collection)]
    Boxed(Box<String>),
}

impl ShortText {
    pub fn new(s: &str) -> ShortText {
        let mut bytes = [0u8; 14];
        match bytes.get_mut(..s.len()) {
            Some(head) => {
                head.copy_from_slice(s.as_bytes());
                ShortText::Inline {
                    len: s.len() as u8,
                    bytes,
                }
            }
            None => ShortText::Boxed(Box::new(s.to_owned())),
        }
    }
    pub fn as_str(&self) -> &str {
        match self {
            // Always the bytes of a `&str` up to `len`, so a char boundary.
            ShortText::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..*len as usize]).unwrap_or_default()
            }
            ShortText::Boxed(s) => s,
        }
    }
}

impl From<String> for ShortText {
    fn from(s: String) -> ShortText {
        if s.len() <= 14 {
            ShortText::new(&s)
        } else {
            ShortText::Boxed(Box::new(s))
        }
    }
}

impl std::ops::Deref for ShortText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for ShortText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for ShortText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl JsonSchema for ShortText {
    fn schema_name() -> Cow<'static, str> {
        String::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        String::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
    fn inline_schema() -> bool {
        String::inline_schema()
    }
}

pub(crate) use crate::model::{Better, Cadence, Commitment, KrCadence, KrKind};

/// One item's inline check-ins after lowering ([`super::lower`]): those validation accepts
/// as they are, already the model's [`Checkin`], and the others still raw with their
/// position; in file order once merged back.
#[derive(Debug, Clone, Default)]
pub struct Lowered {
    /// The check-ins validation accepts as they are, in file order.
    pub clean: Vec<Checkin>,
    /// The others, each with its index in the item's `checkins:` list, in file order.
    pub rest: Vec<(u32, RawCheckin)>,
}

impl Lowered {
    pub fn is_empty(&self) -> bool {
        self.clean.is_empty() && self.rest.is_empty()
    }

    /// The span of the first check-in in file order.
    pub fn first_span(&self) -> Option<Span> {
        match (self.rest.first(), self.clean.first()) {
            (Some((0, raw)), _) => Some(raw.span),
            (_, Some(c)) => Some(c.span),
            (Some((_, raw)), None) => Some(raw.span),
            (None, None) => None,
        }
    }
}

// The shapes of check-ins in the JSON Schema, made from `RawCheckin`'s.

/// A check-in as the raw type allows it, less the keys `drop`, with `required` keys.
fn checkin(
    g: &mut schemars::SchemaGenerator,
    drop: &[&str],
    required: &[&str],
) -> schemars::Schema {
    let mut s = RawCheckin::json_schema(g);
    if let Some(props) = s.get_mut("properties").and_then(|p| p.as_object_mut()) {
        for key in drop {
            props.remove(*key);
        }
    }
    s.insert("required".into(), required.into());
    s
}

shape::shape!(
    LogCheckin,
    "A check-in in a log: `ref` names the key result or KPI; it has a `value` (metric key result, KPI) or `done` (milestone).",
    |g| {
        let mut s = checkin(g, &[], &["ref", "date"]);
        s.insert(
            "oneOf".into(),
            serde_json::json!([shape::needs(&["value"]), shape::needs(&["done"])]),
        );
        s
    }
);
shape::shape!(
    ValueCheckin,
    "A measurement of a KPI or metric key result, written under it: `date` and `value`.",
    |g| checkin(g, &["ref", "done"], &["date", "value"])
);
shape::shape!(
    DoneCheckin,
    "A check-in of a milestone key result, written under it: `date` and `done`.",
    |g| checkin(g, &["ref", "value"], &["date", "done"])
);
shape::shape!(
    inline KrCheckins,
    "A key result's check-ins: `ValueCheckin`s for a metric key result, `DoneCheckin`s for a milestone (the rule is on `KeyResult`).",
    |g| {
        g.subschema_for::<ValueCheckin>();
        g.subschema_for::<DoneCheckin>();
        schemars::json_schema!({ "type": "array" })
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_keeps_any_text() {
        for s in [
            "",
            "2026-10-01",
            "é-2026-10-0",
            "exactly-14-byt",
            "a longer text, boxed",
        ] {
            let t = ShortText::new(s);
            assert_eq!(t.as_str(), s);
            assert_eq!(ShortText::from(s.to_owned()), t);
            assert_eq!(matches!(t, ShortText::Inline { .. }), s.len() <= 14, "{s}");
        }
        assert_eq!(std::mem::size_of::<ShortText>(), 16);
    }

    #[test]
    fn checkin_keys_is_a_set_of_check_in_keys() {
        let k = CheckinKeys::from_keys(&["date", "by", "nonsense"]);
        assert!(k.contains(&"date") && k.contains(&"by"));
        assert!(!k.contains(&"value") && !k.contains(&"nonsense"));
        assert!(!k.is_empty() && CheckinKeys::from_keys(&[]).is_empty());
    }
}
