//! The closed sets of words goal files use (`commitment`, `kind`, `better`, `cadence`): one
//! enum each, with its spelling in files and in output, shared by the raw types, the model
//! and every report.

use schemars::JsonSchema;

macro_rules! keyword_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, JsonSchema, serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),* }

        impl $name {
            pub const NAMES: &'static [&'static str] = &[$($text),*];
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)* _ => None }
            }
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
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
/// What a check-in of an item carries: a number (`value:`, KPIs and metric key results) or
/// a state (`done:`, milestones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Records {
    Value,
    Done,
}

impl KrKind {
    /// What this kind's check-ins carry. Every rule that depends on it asks here, so a new
    /// kind is decided once, by the compiler's demand.
    pub fn records(self) -> Records {
        match self {
            KrKind::Metric => Records::Value,
            KrKind::Milestone => Records::Done,
        }
    }
}

keyword_enum!(
    /// The good direction of a KPI.
    Better { Higher = "higher", Lower = "lower" }
);
keyword_enum!(
    /// How often a KPI is measured.
    Cadence { Weekly = "weekly", Monthly = "monthly", Quarterly = "quarterly" }
);

impl Commitment {
    /// The score a closed period needs for `achieved`: 0.7 aspirational, 1.0 committed.
    pub fn pass_mark(self) -> f64 {
        match self {
            Commitment::Aspirational => 0.7,
            Commitment::Committed => 1.0,
        }
    }
}

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
