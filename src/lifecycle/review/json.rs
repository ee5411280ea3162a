//! `review --format json`: the wire types of the review document. They derive
//! `schemars::JsonSchema` as well as `Serialize`, so the schema `goalpost schema --output
//! review` prints is generated from what is written. Numbers are full precision (whole
//! numbers without `.0`, like `status --format json`); absent values are `null`. At
//! `format_version` 2: calibration changed its meaning (SPEC 7.0).

use super::{Band, Calibration, Grade, Review};
use crate::model::{Commitment, KrKind};
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
    /// Per owner: a key result counts for its objective's owner (key results without an
    /// owner count only above).
    pub by_owner: BTreeMap<String, BrierJson>,
}

/// A Brier score and its count.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct BrierJson {
    #[serde(serialize_with = "num::opt")]
    pub brier: Option<f64>,
    pub n: usize,
}

fn calibration(c: &Calibration) -> CalibrationJson {
    CalibrationJson {
        brier: c.all.score(),
        n: c.all.n,
        by_owner: c
            .by_owner
            .iter()
            .map(|(o, b)| {
                (
                    o.clone(),
                    BrierJson {
                        brier: b.score(),
                        n: b.n,
                    },
                )
            })
            .collect(),
    }
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
                            })
                            .collect(),
                    })
                    .collect(),
                carry_over: t
                    .carry_over
                    .iter()
                    .map(|&i| {
                        t.objectives
                            .iter()
                            .find(|o| o.id == i)
                            .map_or_else(String::new, |o| o.objective.reference().to_string())
                    })
                    .collect(),
                calibration: calibration(&t.calibration),
                sandbagging: t.sandbagging,
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
