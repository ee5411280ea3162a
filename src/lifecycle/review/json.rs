//! `review --format json`: the wire types of the review document. They derive
//! `schemars::JsonSchema` as well as `Serialize`, so the schema `goalpost schema --output
//! review` prints is generated from what is written. Numbers are full precision (whole
//! numbers without `.0`, like `status --format json`); absent values are `null`. At
//! `format_version` 2: calibration changed its meaning (SPEC 7.0).

use super::{Band, Calibration, Grade, Review};
use crate::model::{Commitment, Date, KeyResult, KrKind, Revision};
use crate::report::wire::{FormatVersion, num};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

/// The end-of-period review of one closed period (`goalpost review PERIOD --format json`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(title = "goalpost review")]
pub(crate) struct ReviewJson {
    /// 2: calibration compares every confidence, for the days it stood, with whether the
    /// target was reached (at 1 it compared the last confidence with the grade).
    pub format_version: FormatVersion<2>,
    /// The period reviewed, such as `2026-Q3`.
    pub period: String,
    /// Its first day, `YYYY-MM-DD`.
    pub start: String,
    /// Its last day: every figure is as of this day.
    pub end: String,
    /// The date the review was made as of (after `end`).
    pub as_of: String,
    /// One entry per team with objectives in the period, by team.
    pub teams: Vec<TeamJson>,
    /// Calibration over every team reviewed.
    pub calibration: CalibrationJson,
}

/// One team's period.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct TeamJson {
    pub team: String,
    /// By id.
    pub objectives: Vec<ObjectiveJson>,
    /// Refs of the objectives `goalpost rollover` would carry: below their pass mark.
    pub carry_over: Vec<String>,
    pub calibration: CalibrationJson,
    /// Every aspirational objective of the team scored 1.0 (a sign of targets set too low).
    pub sandbagging: bool,
    /// The items dropped in the period, not graded (SPEC 3.4): every dropped objective, then
    /// every dropped key result of an objective not dropped. `objectives` leaves them out.
    pub dropped: Vec<DroppedJson>,
}

/// An objective or key result dropped in the period.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct DroppedJson {
    #[serde(rename = "ref")]
    pub reference: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// "all key results dropped" for an objective dropped through its key results.
    pub reason: String,
}

/// A revision of a key result's plan (SPEC 3.4): from `date` on, the `target` and `start` it
/// names (null when it left one as it was).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct RevisionJson {
    /// `YYYY-MM-DD`.
    pub date: String,
    #[serde(serialize_with = "num::opt")]
    pub target: Option<f64>,
    #[serde(serialize_with = "num::opt")]
    pub start: Option<f64>,
    pub reason: String,
}

/// The note of a check-in dated in the period.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct NoteJson {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub note: String,
}

/// An objective's final figures.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct ObjectiveJson {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub owner: Option<String>,
    pub commitment: Commitment,
    /// The weighted mean of its key results' scores, 0 to 1.
    #[serde(serialize_with = "num::one")]
    pub score: f64,
    pub grade: Grade,
    pub band: Band,
    /// In file order.
    pub key_results: Vec<KrJson>,
    /// Objectives of vendored repositories whose parent it is (SPEC 13), with their scores
    /// from their snapshots; not graded here.
    pub children: Vec<ChildJson>,
}

/// A vendored objective under one of this repository's (SPEC 13).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct ChildJson {
    /// `NAME:team/objective`.
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    #[serde(serialize_with = "num::one")]
    pub score: f64,
}

/// A key result's final figures.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct KrJson {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub kind: KrKind,
    /// Its progress at the end of the period, 0 to 1.
    #[serde(serialize_with = "num::one")]
    pub score: f64,
    /// Graded with its objective's commitment.
    pub grade: Grade,
    pub band: Band,
    /// The confidence of its latest check-in on or before the end.
    #[serde(serialize_with = "num::opt")]
    pub confidence: Option<f64>,
    /// Its Brier score: the mean over the period's days of (standing confidence − outcome)²;
    /// null when it gave no confidence inside the period (it is not counted).
    #[serde(serialize_with = "num::opt")]
    pub brier: Option<f64>,
    /// Who answers for it: its own owner, else its objective's (the owner its calibration
    /// counts for).
    pub owner: Option<String>,
    /// Its target history: its revisions dated in the period, by date.
    pub revisions: Vec<RevisionJson>,
    /// The notes of its check-ins (its KPI's, for a key result with `kpi:`) dated in the
    /// period, by date.
    pub notes: Vec<NoteJson>,
}

/// How well confidences matched outcomes. A confidence is the stated probability that the
/// key result reaches its target (progress 1) by the period's end; the outcome is 1 when it
/// did, else 0. Each day of the period has a standing confidence (the latest given on or
/// before it, 0.5 before the first); a key result's Brier score is the mean over the days
/// of (confidence − outcome)², and this is the mean over the key results that gave a
/// confidence inside the period. 0 is perfect; 0.25 is what always answering 0.5 scores.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct CalibrationJson {
    /// Null when no key result gave a confidence inside the period.
    #[serde(serialize_with = "num::opt")]
    pub brier: Option<f64>,
    /// The number of key results counted (each once).
    pub n: usize,
    #[serde(flatten)]
    pub parts: PartsJson,
    /// Per owner: a key result counts for its own owner, else its objective's (key results
    /// without either count only above). Dropped key results do not count.
    pub by_owner: BTreeMap<String, BrierJson>,
}

/// A Brier score and its count.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct BrierJson {
    #[serde(serialize_with = "num::opt")]
    pub brier: Option<f64>,
    pub n: usize,
    #[serde(flatten)]
    pub parts: PartsJson,
}

/// Murphy's decomposition of the Brier score over the same (confidence, outcome) pairs (SPEC
/// 14): brier = reliability − resolution + uncertainty when each confidence bin holds one
/// value. All null when no key result counts.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct PartsJson {
    /// How far the confidences in each bin were from the outcome rate there (0 is best).
    #[serde(serialize_with = "num::opt")]
    pub reliability: Option<f64>,
    /// How far the bins' outcome rates were from the overall rate (higher is better).
    #[serde(serialize_with = "num::opt")]
    pub resolution: Option<f64>,
    /// ō(1 − ō) for the overall outcome rate ō.
    #[serde(serialize_with = "num::opt")]
    pub uncertainty: Option<f64>,
    /// The mean confidence less the outcome rate: above 0 too hopeful, below too cautious.
    #[serde(serialize_with = "num::opt")]
    pub optimism: Option<f64>,
}

impl PartsJson {
    pub(crate) fn of(bins: &crate::score::measures::Bins) -> PartsJson {
        PartsJson::from(bins.decompose().as_ref())
    }

    /// The parts of a decomposition; all null for none.
    pub(crate) fn from(d: Option<&crate::score::measures::Decomposition>) -> PartsJson {
        PartsJson {
            reliability: d.map(|d| d.reliability),
            resolution: d.map(|d| d.resolution),
            uncertainty: d.map(|d| d.uncertainty),
            optimism: d.map(|d| d.optimism),
        }
    }
}

fn calibration(c: &Calibration) -> CalibrationJson {
    CalibrationJson {
        brier: c.all.score(),
        n: c.all.n,
        parts: PartsJson::of(&c.all.bins),
        by_owner: c
            .by_owner
            .iter()
            .map(|(o, b)| {
                (
                    o.clone(),
                    BrierJson {
                        brier: b.score(),
                        n: b.n,
                        parts: PartsJson::of(&b.bins),
                    },
                )
            })
            .collect(),
    }
}

/// A key result's revisions dated on or before `end`, by date.
fn revisions(kr: &KeyResult, end: Date) -> Vec<RevisionJson> {
    let mut list: Vec<&Revision> = kr.revisions.iter().filter(|r| r.date <= end).collect();
    list.sort_by_key(|r| r.date);
    list.into_iter()
        .map(|r| RevisionJson {
            date: r.date.to_string(),
            target: r.target,
            start: r.start,
            reason: r.reason.clone(),
        })
        .collect()
}

/// The wire value of a review.
pub(crate) fn document(r: &Review) -> ReviewJson {
    ReviewJson {
        format_version: FormatVersion::<2>,
        period: r.period.name.clone(),
        start: r.period.start.to_string(),
        end: r.period.end.to_string(),
        as_of: r.as_of.to_string(),
        teams: r
            .teams
            .iter()
            .map(|t| TeamJson {
                team: t.team.clone(),
                objectives: t
                    .objectives
                    .iter()
                    .map(|o| ObjectiveJson {
                        reference: o.objective.reference().to_string(),
                        title: o.objective.title.clone(),
                        owner: o.objective.owner.clone(),
                        commitment: o.objective.commitment,
                        score: o.score,
                        grade: o.grade,
                        band: o.band,
                        children: o
                            .children
                            .iter()
                            .map(|(c, s)| ChildJson {
                                reference: c.reference().to_string(),
                                title: c.title.clone(),
                                score: *s,
                            })
                            .collect(),
                        key_results: o
                            .key_results
                            .iter()
                            .map(|k| KrJson {
                                reference: k.reference.to_string(),
                                title: k.kr.title.clone(),
                                kind: k.kr.kind.kind(),
                                score: k.progress(),
                                grade: k.grade,
                                band: k.band,
                                confidence: k.confidence(),
                                brier: k.calibration.map(|b| b.brier),
                                owner: o.objective.kr_owner(k.kr).map(str::to_owned),
                                revisions: revisions(k.kr, r.period.end),
                                notes: k
                                    .notes
                                    .iter()
                                    .map(|(date, note)| NoteJson {
                                        date: date.to_string(),
                                        note: (*note).to_owned(),
                                    })
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect(),
                carry_over: t
                    .carried()
                    .map(|o| o.map_or_else(String::new, |o| o.objective.reference().to_string()))
                    .collect(),
                calibration: calibration(&t.calibration),
                sandbagging: t.sandbagging,
                dropped: t
                    .dropped
                    .iter()
                    .map(|d| DroppedJson {
                        reference: d.reference.to_string(),
                        date: d.date.to_string(),
                        reason: d.reason.to_owned(),
                    })
                    .collect(),
            })
            .collect(),
        calibration: calibration(&r.calibration),
    }
}

/// The review as pretty JSON with a trailing newline.
pub(crate) fn render(r: &Review) -> String {
    let mut s =
        crate::report::wire::to_string_pretty(&document(r)).unwrap_or_else(|_| "{}".to_owned());
    s.push('\n');
    s
}
