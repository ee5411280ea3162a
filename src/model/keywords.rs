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

/// The keys of a key result that some kind takes and another does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KrKey {
    Start,
    Target,
    Unit,
    Kpi,
    Due,
    Revisions,
}

impl KrKey {
    /// Every such key, in the order validation reports them.
    pub const ALL: &'static [KrKey] = &[
        KrKey::Start,
        KrKey::Target,
        KrKey::Unit,
        KrKey::Kpi,
        KrKey::Due,
        KrKey::Revisions,
    ];

    /// The key as written in goal files.
    pub fn name(self) -> &'static str {
        match self {
            KrKey::Start => "start",
            KrKey::Target => "target",
            KrKey::Unit => "unit",
            KrKey::Kpi => "kpi",
            KrKey::Due => "due",
            KrKey::Revisions => "revisions",
        }
    }
}

/// Whether a kind of key result takes one of the [`KrKey`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    /// The key must be written (`missing-field` without it).
    Required,
    /// The key may be written.
    Allowed,
    /// The key must not be written (a diagnostic of the kind: `milestone-with-metric`,
    /// `due-on-metric`).
    Refused,
}

impl KrKind {
    /// The kind of a key result that does not say (`kind` left out).
    pub const DEFAULT: KrKind = KrKind::Metric;

    /// Every kind, in the order of [`KrKind::NAMES`].
    pub const ALL: &'static [KrKind] = &[KrKind::Metric, KrKind::Milestone];

    /// What this kind's check-ins carry. Every rule that depends on it asks here, so a new
    /// kind is decided once, by the compiler's demand.
    pub fn records(self) -> Records {
        match self {
            KrKind::Metric => Records::Value,
            KrKind::Milestone => Records::Done,
        }
    }

    /// The one table of which keys this kind requires, allows or refuses: validation
    /// reports from it, the goal-file schema's rules are made from it (`crate::schema`), and
    /// `diff` asks it whether a changed `due` moves the goalposts.
    pub fn takes(self, key: KrKey) -> Takes {
        use KrKey::*;
        use Takes::*;
        match (self, key) {
            (KrKind::Metric, Start | Target) => Required,
            (KrKind::Metric, Unit | Kpi | Revisions) => Allowed,
            (KrKind::Metric, Due) => Refused,
            (KrKind::Milestone, Start | Target | Unit | Kpi | Revisions) => Refused,
            (KrKind::Milestone, Due) => Allowed,
        }
    }

    /// The keys this kind takes as `takes` says, in [`KrKey::ALL`]'s order.
    pub fn keys(self, takes: Takes) -> impl Iterator<Item = KrKey> {
        KrKey::ALL
            .iter()
            .copied()
            .filter(move |k| self.takes(*k) == takes)
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

keyword_enum!(
    /// How often a key result is checked in (SPEC 3.4).
    KrCadence { Weekly = "weekly", Biweekly = "biweekly", Monthly = "monthly" }
);

impl KrCadence {
    /// Days between check-ins: 7, 14 or 31.
    pub fn days(self) -> i64 {
        match self {
            KrCadence::Weekly => 7,
            KrCadence::Biweekly => 14,
            KrCadence::Monthly => 31,
        }
    }
}

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
