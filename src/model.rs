//! The validated goal model: what scoring and reports read. Everything here has passed
//! validation: ids are slugs, references resolve (as indexes), check-ins are sorted by date
//! with one per date, numbers are finite. It depends on nothing else in the crate but plain
//! value types.

pub use crate::date::Date;
pub use crate::diag::Span;
pub use crate::load::raw::{Better, Cadence, Commitment, KrKind};
pub use crate::period::Period;

/// All goals of a repository.
#[derive(Debug, Clone, Default)]
pub struct Goals {
    /// Sorted by period (start, end, name), team, id.
    pub objectives: Vec<Objective>,
    /// Sorted by team, id.
    pub kpis: Vec<Kpi>,
}

#[derive(Debug, Clone)]
pub struct Objective {
    pub team: String,
    pub id: String,
    pub period: Period,
    pub title: String,
    pub owner: Option<String>,
    pub commitment: Commitment,
    /// The parent's ref (`team/objective`) and its index in `Goals::objectives`.
    pub parent: Option<(String, usize)>,
    /// Indexes into `Goals::kpis`.
    pub guardrails: Vec<usize>,
    pub key_results: Vec<KeyResult>,
    pub span: Span,
}

impl Objective {
    pub fn reference(&self) -> String {
        format!("{}/{}", self.team, self.id)
    }
}

#[derive(Debug, Clone)]
pub struct KeyResult {
    pub id: String,
    pub title: String,
    pub kind: KrMeasure,
    pub unit: Option<String>,
    pub weight: f64,
    /// Index into `Goals::kpis` when the KR takes its values from a KPI.
    pub kpi: Option<usize>,
    /// Own check-ins (inline and from logs), sorted by date, one per date. Empty for a
    /// KPI-linked KR: its observations are the KPI's.
    pub checkins: Vec<Checkin>,
    pub span: Span,
}

/// What a key result measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KrMeasure {
    Metric { start: f64, target: f64 },
    Milestone,
}

impl KrMeasure {
    /// A metric key result's `(start, target)`; `None` for a milestone.
    pub fn start_target(&self) -> Option<(f64, f64)> {
        match *self {
            KrMeasure::Metric { start, target } => Some((start, target)),
            KrMeasure::Milestone => None,
        }
    }

    pub fn kind(&self) -> KrKind {
        match self {
            KrMeasure::Metric { .. } => KrKind::Metric,
            KrMeasure::Milestone => KrKind::Milestone,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Kpi {
    pub team: String,
    pub id: String,
    pub title: String,
    pub unit: Option<String>,
    pub better: Better,
    pub target: f64,
    pub critical: Option<f64>,
    pub cadence: Cadence,
    pub owner: Option<String>,
    /// Sorted by date, one per date.
    pub checkins: Vec<Checkin>,
    pub span: Span,
}

impl Kpi {
    pub fn reference(&self) -> String {
        format!("{}/{}", self.team, self.id)
    }
}

/// One dated observation. 64 bytes: there can be hundreds of thousands (BENCHMARKS.md).
#[derive(Debug, Clone, PartialEq)]
pub struct Checkin {
    pub date: Date,
    pub obs: Observation,
    pub confidence: Option<f64>,
    /// `note` and `by`, boxed together since most check-ins have neither: `None` then
    /// (never a box of two `None`s; build it with [`CheckinText::boxed`]).
    pub text: Option<Box<CheckinText>>,
    pub span: Span,
}

/// The words of a check-in.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckinText {
    pub note: Option<String>,
    pub by: Option<String>,
}

impl CheckinText {
    /// `None` when both are missing.
    pub fn boxed(note: Option<String>, by: Option<String>) -> Option<Box<CheckinText>> {
        (note.is_some() || by.is_some()).then(|| Box::new(CheckinText { note, by }))
    }
}

impl Checkin {
    pub fn note(&self) -> Option<&str> {
        self.text.as_ref()?.note.as_deref()
    }
    pub fn by(&self) -> Option<&str> {
        self.text.as_ref()?.by.as_deref()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Observation {
    Value(f64),
    Done(bool),
}

/// The check-ins dated on or before `t` (a prefix, since check-ins are sorted).
pub fn upto(checkins: &[Checkin], t: Date) -> &[Checkin] {
    let n = checkins.partition_point(|c| c.date <= t);
    &checkins[..n]
}
