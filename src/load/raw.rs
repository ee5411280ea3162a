//! Raw goal-file types: exactly what a file says, with the span of every value, before any
//! cross-file validation. They also define the JSON Schema (`goalpost schema`) through
//! schemars, so the editor schema and the loader cannot disagree.

use crate::diag::Span;
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
    /// The team that owns the objectives and KPIs in this file (a slug).
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_-]{0,62}$"))]
    pub team: Option<Sp<String>>,
    /// The period of the objectives: `2026-Q4`, `2026-H2`, `2026`, `2026-11`, or a name from
    /// `[periods]` in goalpost.toml.
    pub period: Option<Sp<String>>,
    /// Qualitative, ambitious goals for this period, each with 2–5 measurable key results.
    pub objectives: Option<Vec<RawObjective>>,
    /// Long-lived health metrics judged against thresholds.
    pub kpis: Option<Vec<RawKpi>>,
    /// An append-only log of check-ins, each naming its key result or KPI by `ref`.
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
pub struct RawObjective {
    /// Slug, unique within the team and period.
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_-]{0,62}$"))]
    pub id: Option<Sp<String>>,
    pub title: Option<Sp<String>>,
    pub owner: Option<Sp<String>>,
    /// `aspirational` (default; 0.7 is a good score) or `committed` (expected to reach 1.0).
    pub commitment: Option<Sp<Commitment>>,
    /// The objective this one supports: `team/objective`, in the same period.
    pub parent: Option<Sp<String>>,
    /// KPIs (`team/kpi`) that must stay healthy while the objective is pursued.
    pub guardrails: Option<Vec<Sp<String>>>,
    pub key_results: Option<Vec<RawKeyResult>>,
    #[schemars(skip)]
    pub span: Span,
    /// Keys that were written with a value that could not be read (already reported).
    #[schemars(skip)]
    pub invalid: Vec<&'static str>,
}

/// A key result: a measurable outcome, scored 0.0–1.0.
#[derive(Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawKeyResult {
    /// Slug, unique within the objective.
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_-]{0,62}$"))]
    pub id: Option<Sp<String>>,
    pub title: Option<Sp<String>>,
    /// `metric` (default): a change from `start` to `target`; `milestone`: done or not.
    pub kind: Option<Sp<KrKind>>,
    /// Value when the period started (metric key results).
    pub start: Option<Sp<f64>>,
    /// Value to reach; below `start` means "decrease".
    pub target: Option<Sp<f64>>,
    /// Display unit, such as `%` or `tickets/week`.
    pub unit: Option<Sp<String>>,
    /// Relative weight in the objective's score (> 0, default 1).
    pub weight: Option<Sp<f64>>,
    /// A KPI (`team/kpi`) whose check-ins give this key result's current value.
    pub kpi: Option<Sp<String>>,
    pub checkins: Option<Vec<RawCheckin>>,
    #[schemars(skip)]
    pub span: Span,
    /// Keys that were written with a value that could not be read (already reported).
    #[schemars(skip)]
    pub invalid: Vec<&'static str>,
}

/// A KPI: a stable health metric with a target and an optional critical threshold.
#[derive(Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawKpi {
    /// Slug, unique within the team and distinct from its objective ids.
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_-]{0,62}$"))]
    pub id: Option<Sp<String>>,
    pub title: Option<Sp<String>>,
    pub unit: Option<Sp<String>>,
    /// Which direction is good.
    pub better: Option<Sp<Better>>,
    /// Healthy on the good side of this value (inclusive).
    pub target: Option<Sp<f64>>,
    /// Critical on the bad side of this value (inclusive).
    pub critical: Option<Sp<f64>>,
    /// How often it is measured; a KPI is stale after 7, 31 or 92 days without a check-in.
    pub cadence: Option<Sp<Cadence>>,
    pub owner: Option<Sp<String>>,
    pub checkins: Option<Vec<RawCheckin>>,
    #[schemars(skip)]
    pub span: Span,
    /// Keys that were written with a value that could not be read (already reported).
    #[schemars(skip)]
    pub invalid: Vec<&'static str>,
}

// Fields that most check-ins leave out are boxed: a repository can hold hundreds of
// thousands of check-ins, and an unboxed absent field costs as much as a present one
// (344 → 176 bytes per check-in; BENCHMARKS.md). (A `//` comment: `///` would go into the
// JSON Schema.)
/// A dated observation of a key result or KPI.
#[derive(Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCheckin {
    /// In a check-in log: `team/kpi` or `team/objective/kr`. Not allowed inline.
    #[serde(rename = "ref")]
    pub reference: Option<Box<Sp<String>>>,
    /// `YYYY-MM-DD`.
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub date: Option<Sp<String>>,
    /// The measured value (metric key results and KPIs).
    pub value: Option<Sp<f64>>,
    /// Whether the milestone is done (milestone key results).
    pub done: Option<Box<Sp<bool>>>,
    /// How sure the team is of reaching the target, 0–1.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub confidence: Option<Box<Sp<f64>>>,
    pub note: Option<Box<Sp<String>>>,
    /// Who checked in; when missing, reports can take it from git.
    pub by: Option<Box<Sp<String>>>,
    #[schemars(skip)]
    pub span: Span,
    /// Keys that were written with a value that could not be read (already reported).
    #[schemars(skip)]
    pub invalid: Vec<&'static str>,
}

macro_rules! keyword_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, JsonSchema, serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const NAMES: &'static [&'static str] = &[$($text),*];
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)* _ => None }
            }
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }
        }
    };
}

keyword_enum!(
    /// How an objective is graded when its period closes.
    Commitment { Aspirational = "aspirational", Committed = "committed" }
);
keyword_enum!(
    /// The kind of a key result.
    KrKind { Metric = "metric", Milestone = "milestone" }
);
keyword_enum!(
    /// The good direction of a KPI.
    Better { Higher = "higher", Lower = "lower" }
);
keyword_enum!(
    /// How often a KPI is measured.
    Cadence { Weekly = "weekly", Monthly = "monthly", Quarterly = "quarterly" }
);

impl Cadence {
    /// Days without a check-in after which the KPI is stale.
    pub fn days(self) -> i64 {
        match self {
            Cadence::Weekly => 7,
            Cadence::Monthly => 31,
            Cadence::Quarterly => 92,
        }
    }
}
