//! `goalpost review PERIOD` as a value (SPEC 7.0): for a closed period, per team, each
//! objective's and key result's final score, grade and colour band, the carry-over
//! candidates (the [`carry`](super::carry) rule `rollover` uses) and the calibration of the
//! confidences given. Renderers: [`text`] (terminal), [`markdown`] (a retrospective for a
//! pull request or a wiki) and [`json`] (scripts; its wire types are the schema of
//! `goalpost schema --output review`).

pub mod json;
pub mod markdown;
pub mod text;

use super::carry;
use crate::model::*;
use crate::score::{KrScore, Scorecard, Status};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Floating-point slack of every threshold comparison (SPEC 5).
const EPS: f64 = 1e-9;

/// How many confidences an owner needs before a review ranks their calibration.
pub const RANKED_N: usize = 5;

/// The grade of a closed period's objective or key result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// The score reached the pass mark (0.7 aspirational, 1.0 committed).
    Achieved,
    Missed,
}

impl Grade {
    pub fn of(score: f64, commitment: Commitment) -> Grade {
        match crate::score::grade(score, commitment) {
            Status::Achieved => Grade::Achieved,
            _ => Grade::Missed,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Achieved => "achieved",
            Grade::Missed => "missed",
        }
    }
}

/// The colour band of a final score: red below 0.4, yellow below 0.7, green from 0.7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Red,
    Yellow,
    Green,
}

impl Band {
    /// The band of `score`, each threshold allowing 1e-9 (SPEC 5).
    pub fn of(score: f64) -> Band {
        if score + EPS < 0.4 {
            Band::Red
        } else if score + EPS < 0.7 {
            Band::Yellow
        } else {
            Band::Green
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Red => "red",
            Band::Yellow => "yellow",
            Band::Green => "green",
        }
    }
}

/// A Brier score with its count: the mean of (confidence − outcome)² over `n` key results.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Brier {
    sum: f64,
    /// Σ (confidence − outcome): which way the confidences leaned.
    lean: f64,
    pub n: usize,
}

impl Brier {
    /// Adds one key result: the confidence given and whether it was achieved.
    pub fn add(&mut self, confidence: f64, achieved: bool) {
        let o = if achieved { 1.0 } else { 0.0 };
        self.sum += (confidence - o) * (confidence - o);
        self.lean += confidence - o;
        self.n += 1;
    }

    /// The mean of (confidence − outcome): above 0 the confidences were too hopeful, below
    /// 0 too cautious; `None` when no confidence was given.
    pub fn lean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.lean / self.n as f64)
    }

    /// The score; `None` when no confidence was given.
    pub fn score(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }

    fn merge(&mut self, other: Brier) {
        self.sum += other.sum;
        self.lean += other.lean;
        self.n += other.n;
    }
}

/// Calibration over a set of key results: overall and per objective owner (objectives
/// without an owner count overall only).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Calibration {
    pub all: Brier,
    pub by_owner: BTreeMap<String, Brier>,
}

impl Calibration {
    fn add(&mut self, owner: Option<&str>, confidence: f64, achieved: bool) {
        self.all.add(confidence, achieved);
        if let Some(owner) = owner {
            self.by_owner
                .entry(owner.to_owned())
                .or_default()
                .add(confidence, achieved);
        }
    }

    fn merge(&mut self, other: &Calibration) {
        self.all.merge(other.all);
        for (owner, b) in &other.by_owner {
            self.by_owner.entry(owner.clone()).or_default().merge(*b);
        }
    }

    /// The owners with at least [`RANKED_N`] confidences, best calibrated (lowest Brier
    /// score) first; ties by name.
    pub fn ranked(&self) -> Vec<(&str, f64, usize)> {
        let mut r: Vec<(&str, f64, usize)> = self
            .by_owner
            .iter()
            .filter(|(_, b)| b.n >= RANKED_N)
            .filter_map(|(o, b)| Some((o.as_str(), b.score()?, b.n)))
            .collect();
        r.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(b.0)));
        r
    }
}

/// A key result at the end of the period.
#[derive(Debug, Clone)]
pub struct KrReview<'g> {
    pub kr: &'g KeyResult,
    pub reference: Ref,
    pub score: &'g KrScore,
    pub grade: Grade,
    pub band: Band,
}

impl KrReview<'_> {
    /// The progress (its final score).
    pub fn progress(&self) -> f64 {
        self.score.progress
    }

    /// The confidence of its latest check-in on or before the end of the period.
    pub fn confidence(&self) -> Option<f64> {
        self.score.confidence
    }

    /// Its numbers at the end: "2 → 3.5 → 4%", "milestone: done".
    pub fn measure(&self) -> String {
        crate::report::view::measure(self.kr, self.score)
    }
}

/// An objective at the end of the period.
#[derive(Debug, Clone)]
pub struct ObjectiveReview<'g> {
    pub id: ObjectiveId,
    pub objective: &'g Objective,
    pub score: f64,
    pub grade: Grade,
    pub band: Band,
    pub key_results: Vec<KrReview<'g>>,
}

/// One team's period.
#[derive(Debug, Clone)]
pub struct TeamReview<'g> {
    pub team: String,
    pub objectives: Vec<ObjectiveReview<'g>>,
    /// The objectives `rollover` would carry (below their pass mark), in order.
    pub carry_over: Vec<ObjectiveId>,
    pub calibration: Calibration,
    /// Every aspirational objective scored 1.0: the targets were probably too safe.
    pub sandbagging: bool,
}

/// The review of one closed period.
#[derive(Debug, Clone)]
pub struct Review<'g> {
    pub period: Period,
    pub as_of: Date,
    pub teams: Vec<TeamReview<'g>>,
    /// Over every team reviewed.
    pub calibration: Calibration,
}

impl Review<'_> {
    /// Every objective reviewed, in order.
    pub fn objectives(&self) -> impl Iterator<Item = &ObjectiveReview<'_>> {
        self.teams.iter().flat_map(|t| t.objectives.iter())
    }

    /// The built-in period after this one, for the `rollover` command line.
    pub fn next_period(&self) -> Option<String> {
        super::next_period(&self.period.name)
    }
}

/// Why there is no review: a usage error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("no objectives in period `{period}`{hint}")]
    NoObjectives { period: String, hint: String },
    #[error(
        "`{period}` has not closed: it ends on {end}; a review grades a closed period (run it after {end}, or preview it with --as-of {after})"
    )]
    Open {
        period: String,
        end: Date,
        after: Date,
    },
    #[error("team `{team}` has no objectives in `{period}`; teams with objectives there: {known}")]
    UnknownTeam {
        team: String,
        period: String,
        known: String,
    },
}

/// Reviews `period` from goals scored as of a date after its end (`card.as_of`), for the
/// `teams` named (all teams with objectives in the period when empty).
pub fn review<'g>(
    goals: &'g Goals,
    card: &'g Scorecard,
    period: &str,
    teams: &[String],
) -> Result<Review<'g>, ReviewError> {
    let ids: Vec<ObjectiveId> = goals
        .objective_ids()
        .filter(|&i| goals.objective(i).period.name == period)
        .collect();
    let Some(&first) = ids.first() else {
        let known: BTreeSet<&str> = goals
            .objectives
            .iter()
            .map(|o| o.period.name.as_str())
            .collect();
        let hint = match crate::diag::suggest(period, known.iter().copied()) {
            Some(s) => format!("; did you mean `{s}`?"),
            None if known.is_empty() => String::new(),
            None => format!(
                "; periods with objectives: {}",
                known.into_iter().collect::<Vec<_>>().join(", ")
            ),
        };
        return Err(ReviewError::NoObjectives {
            period: period.to_owned(),
            hint,
        });
    };
    let p = goals.objective(first).period.clone();
    if card.as_of <= p.end {
        return Err(ReviewError::Open {
            period: p.name.clone(),
            end: p.end,
            after: p.end.add_days(1),
        });
    }
    let known: BTreeSet<&str> = ids
        .iter()
        .map(|&i| goals.objective(i).team.as_str())
        .collect();
    for t in teams {
        if !known.contains(t.as_str()) {
            return Err(ReviewError::UnknownTeam {
                team: t.clone(),
                period: p.name.clone(),
                known: known.iter().copied().collect::<Vec<_>>().join(", "),
            });
        }
    }
    let mut out = Review {
        period: p,
        as_of: card.as_of,
        teams: Vec::new(),
        calibration: Calibration::default(),
    };
    for team in known
        .into_iter()
        .filter(|t| teams.is_empty() || teams.iter().any(|x| x == t))
    {
        let mine: Vec<ObjectiveId> = ids
            .iter()
            .copied()
            .filter(|&i| goals.objective(i).team == team)
            .collect();
        let t = team_review(goals, card, team, &mine);
        out.calibration.merge(&t.calibration);
        out.teams.push(t);
    }
    Ok(out)
}

fn team_review<'g>(
    goals: &'g Goals,
    card: &'g Scorecard,
    team: &str,
    ids: &[ObjectiveId],
) -> TeamReview<'g> {
    let mut calibration = Calibration::default();
    let mut objectives = Vec::with_capacity(ids.len());
    for &id in ids {
        let (o, s) = (goals.objective(id), card.objective(id));
        let key_results: Vec<KrReview> = o
            .key_results
            .iter()
            .zip(&s.key_results)
            .map(|(kr, ks)| {
                let grade = Grade::of(ks.progress, o.commitment);
                if let Some(c) = ks.confidence {
                    calibration.add(o.owner.as_deref(), c, grade == Grade::Achieved);
                }
                KrReview {
                    kr,
                    reference: o.kr_ref(kr),
                    score: ks,
                    grade,
                    band: Band::of(ks.progress),
                }
            })
            .collect();
        objectives.push(ObjectiveReview {
            id,
            objective: o,
            score: s.score,
            grade: Grade::of(s.score, o.commitment),
            band: Band::of(s.score),
            key_results,
        });
    }
    let aspirational: Vec<&ObjectiveReview> = objectives
        .iter()
        .filter(|o| o.objective.commitment == Commitment::Aspirational)
        .collect();
    let sandbagging = !aspirational.is_empty() && aspirational.iter().all(|o| o.score + EPS >= 1.0);
    TeamReview {
        team: team.to_owned(),
        carry_over: carry::candidates(goals, card, ids.iter().copied()),
        objectives,
        calibration,
        sandbagging,
    }
}

#[cfg(test)]
mod tests;
