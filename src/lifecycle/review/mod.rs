//! `goalpost review PERIOD` as a value (SPEC 7.0): for a closed period, per team, each
//! objective's and key result's final score, grade and colour band (with its target history
//! and check-in notes), the items dropped (listed apart, not graded, not calibrated), the
//! carry-over candidates (the [`carry`](super::carry) rule `rollover` uses) and the
//! calibration of the confidences given. Renderers: [`text`] (terminal), [`markdown`] (a retrospective for a
//! pull request or a wiki) and [`json`] (scripts; its wire types are the schema of
//! `goalpost schema --output review`).

pub(crate) mod json;
pub(crate) mod markdown;
pub(crate) mod text;

use super::carry;
use crate::model::*;
use crate::score::measures::Bins;
use crate::score::{KrScore, Scorecard, Status};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Floating-point slack of every threshold comparison (SPEC 5).
const EPS: f64 = 1e-9;

/// How many key results with a confidence an owner needs before a review ranks their
/// calibration.
pub(crate) const RANKED_N: usize = 5;

/// The grade of a closed period's objective or key result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Grade {
    /// The score reached the pass mark (0.7 aspirational, 1.0 committed).
    Achieved,
    Missed,
}

impl Grade {
    pub(crate) fn of(score: f64, commitment: Commitment) -> Grade {
        match crate::score::grade(score, commitment) {
            Status::Achieved => Grade::Achieved,
            _ => Grade::Missed,
        }
    }
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Grade::Achieved => "achieved",
            Grade::Missed => "missed",
        }
    }
}

/// The colour band of a final score: red below 0.4, yellow below 0.7, green from 0.7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Band {
    Red,
    Yellow,
    Green,
}

impl Band {
    /// The band of `score`, each threshold allowing 1e-9 (SPEC 5).
    pub(crate) fn of(score: f64) -> Band {
        if score + EPS < 0.4 {
            Band::Red
        } else if score + EPS < 0.7 {
            Band::Yellow
        } else {
            Band::Green
        }
    }
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Band::Red => "red",
            Band::Yellow => "yellow",
            Band::Green => "green",
        }
    }
}

/// One key result's calibration over its period (SPEC 7.0): every day d from S to E has a
/// standing confidence c_d (that of the latest check-in with a confidence on or before d,
/// 0.5 before the first), compared with the outcome o (1 when the key result reached its
/// target, progress 1, else 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct KrBrier {
    /// The mean over the period's days of (c_d − o)².
    pub brier: f64,
    /// The mean over the period's days of (c_d − o): above 0 too hopeful, below too cautious.
    pub lean: f64,
    /// Its days as (c_d, o) pairs of weight 1/m, binned by confidence (SPEC 14).
    pub bins: Bins,
}

impl KrBrier {
    /// The calibration of a key result from its observations (its own check-ins, or its
    /// KPI's), sorted by date; `reached` is the outcome. `None` when no check-in with a
    /// confidence is dated inside the period: the key result does not count.
    pub(crate) fn of(observations: &[Checkin], period: &Period, reached: bool) -> Option<KrBrier> {
        let (s, e) = (period.start, period.end);
        let confident = |c: &&Checkin| c.confidence.is_some();
        // Sorted by date: the period's check-ins are found by binary search, not by a walk
        // of a KPI's history from its first check-in for each key result reading it.
        let seen = upto(observations, e);
        let inside = seen.partition_point(|c| c.date < s);
        seen[inside..].iter().find(confident)?;
        let o = if reached { 1.0 } else { 0.0 };
        let days = s.days_until(e) + 1;
        // Walk the confidences dated on or before E: each stands from its date (or S) until
        // the next one's.
        let (mut sum, mut lean) = (0.0, 0.0);
        let mut bins = Bins::default();
        let m = days as f64;
        // The confidence standing at S is the last one dated on or before it.
        let after = seen.partition_point(|c| c.date <= s);
        let mut standing = seen[..after]
            .iter()
            .rev()
            .find_map(|c| c.confidence)
            .unwrap_or(0.5);
        let mut from = s;
        for c in seen[after..].iter().filter(confident) {
            let Some(conf) = c.confidence else { continue };
            if c.date > from {
                let n = from.days_until(c.date) as f64;
                sum += n * (standing - o) * (standing - o);
                lean += n * (standing - o);
                bins.add(standing, o, n / m);
                from = c.date;
            }
            standing = conf;
        }
        let n = (from.days_until(e) + 1) as f64;
        sum += n * (standing - o) * (standing - o);
        lean += n * (standing - o);
        bins.add(standing, o, n / m);
        Some(KrBrier {
            brier: sum / days as f64,
            lean: lean / days as f64,
            bins,
        })
    }
}

/// A Brier score with its count: the mean of the key results' Brier scores ([`KrBrier`])
/// over `n` key results.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Brier {
    sum: f64,
    /// Σ of the key results' leans: which way the confidences leaned.
    lean: f64,
    pub n: usize,
    /// Every pair of the key results counted, binned (SPEC 14's decomposition).
    pub bins: Bins,
}

impl Brier {
    /// Adds one key result.
    pub(crate) fn add(&mut self, kr: KrBrier) {
        self.sum += kr.brier;
        self.lean += kr.lean;
        self.n += 1;
        self.bins.merge(&kr.bins);
    }

    /// The mean of the confidences less the outcomes, day by day and key result by key
    /// result: above 0 the confidences were too hopeful, below 0 too cautious; `None` when
    /// no key result counts.
    pub(crate) fn lean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.lean / self.n as f64)
    }

    /// The score; `None` when no confidence was given.
    pub(crate) fn score(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }

    fn merge(&mut self, other: Brier) {
        self.sum += other.sum;
        self.lean += other.lean;
        self.n += other.n;
        self.bins.merge(&other.bins);
    }
}

/// Calibration over a set of key results: overall and per owner (a key result's own owner,
/// else its objective's; key results without either count overall only).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Calibration {
    pub all: Brier,
    pub by_owner: BTreeMap<String, Brier>,
}

impl Calibration {
    fn add(&mut self, owner: Option<&str>, kr: KrBrier) {
        self.all.add(kr);
        if let Some(owner) = owner {
            self.by_owner.entry(owner.to_owned()).or_default().add(kr);
        }
    }

    fn merge(&mut self, other: &Calibration) {
        self.all.merge(other.all);
        for (owner, b) in &other.by_owner {
            self.by_owner.entry(owner.clone()).or_default().merge(*b);
        }
    }

    /// The owners with at least [`RANKED_N`] key results counted, best calibrated (lowest Brier
    /// score) first; ties by name.
    pub(crate) fn ranked(&self) -> Vec<(&str, f64, usize)> {
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
pub(crate) struct KrReview<'g> {
    pub kr: &'g KeyResult,
    pub reference: Ref,
    pub score: &'g KrScore,
    pub grade: Grade,
    pub band: Band,
    /// Its calibration; `None` when it gave no confidence inside the period.
    pub calibration: Option<KrBrier>,
    /// Its target history: its revisions in words, oldest first ("target 80 → 70 on
    /// 2026-11-10: the scope was cut").
    pub revisions: Vec<String>,
    /// The notes of its check-ins (its KPI's, for a `kpi:` key result) dated in the period,
    /// by date.
    pub notes: Vec<(Date, &'g str)>,
}

impl KrReview<'_> {
    /// The progress (its final score).
    pub(crate) fn progress(&self) -> f64 {
        self.score.progress
    }

    /// The confidence of its latest check-in on or before the end of the period (the one
    /// that stood last; calibration counts every confidence for the days it stood).
    pub(crate) fn confidence(&self) -> Option<f64> {
        self.score.confidence
    }

    /// Its numbers at the end: "2 → 3.5 → 4%", "milestone: done".
    pub(crate) fn measure(&self) -> String {
        crate::report::view::measure(self.kr, self.score)
    }
}

/// An objective at the end of the period.
#[derive(Debug, Clone)]
pub(crate) struct ObjectiveReview<'g> {
    pub id: ObjectiveId,
    pub objective: &'g Objective,
    pub score: f64,
    pub grade: Grade,
    pub band: Band,
    pub key_results: Vec<KrReview<'g>>,
    /// The vendored objectives of other repositories whose parent it is (the roll-up, SPEC
    /// 13), with their scores from their snapshots; listed, not graded here.
    pub children: Vec<(&'g Objective, f64)>,
}

/// An item dropped in the period (SPEC 3.4, 7.0): listed apart, not graded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DroppedItem<'g> {
    pub reference: Ref,
    pub date: Date,
    /// "all key results dropped" for an objective dropped through its key results.
    pub reason: &'g str,
}

/// One team's period.
#[derive(Debug, Clone)]
pub(crate) struct TeamReview<'g> {
    pub team: String,
    /// The objectives graded: every one not dropped, each with its key results not dropped.
    pub objectives: Vec<ObjectiveReview<'g>>,
    /// Every dropped objective, then every dropped key result of an objective not dropped,
    /// in file order.
    pub dropped: Vec<DroppedItem<'g>>,
    /// The objectives `rollover` would carry (below their pass mark), in order.
    pub carry_over: Vec<ObjectiveId>,
    pub calibration: Calibration,
    /// Every aspirational objective scored 1.0: the targets were probably too safe.
    pub sandbagging: bool,
}

impl<'g> TeamReview<'g> {
    /// The reviews of the objectives to carry over, in [`TeamReview::carry_over`]'s order
    /// (`None` for one not graded here): looked up in a map made once, not found by a scan
    /// of the team's objectives for each (a team may have thousands).
    pub(crate) fn carried(&self) -> impl Iterator<Item = Option<&ObjectiveReview<'g>>> + '_ {
        let by_id: std::collections::HashMap<ObjectiveId, &ObjectiveReview<'g>> =
            self.objectives.iter().rev().map(|o| (o.id, o)).collect();
        self.carry_over.iter().map(move |i| by_id.get(i).copied())
    }
}

/// The review of one closed period.
#[derive(Debug, Clone)]
pub(crate) struct Review<'g> {
    pub period: Period,
    pub as_of: Date,
    pub teams: Vec<TeamReview<'g>>,
    /// Over every team reviewed.
    pub calibration: Calibration,
}

impl Review<'_> {
    /// Every objective reviewed, in order.
    pub(crate) fn objectives(&self) -> impl Iterator<Item = &ObjectiveReview<'_>> {
        self.teams.iter().flat_map(|t| t.objectives.iter())
    }

    /// The built-in period after this one, for the `rollover` command line.
    pub(crate) fn next_period(&self) -> Option<String> {
        super::next_period(&self.period.name)
    }
}

/// Why there is no review: a usage error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ReviewError {
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
pub(crate) fn review<'g>(
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
    // The period's objectives grouped by team in one pass (file order within a team): a
    // search per team made review quadratic in teams (issue 34).
    let mut by_team: BTreeMap<&str, Vec<ObjectiveId>> = BTreeMap::new();
    for &i in &ids {
        by_team
            .entry(goals.objective(i).team.as_str())
            .or_default()
            .push(i);
    }
    let known: BTreeSet<&str> = by_team.keys().copied().collect();
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
    // The upstream objectives under each local one, in upstream order: grouped once, not
    // looked for among all of a snapshot's objectives for each local objective.
    let mut children: HashMap<ObjectiveId, Vec<ObjectiveId>> = HashMap::new();
    for c in goals.upstream_objective_ids() {
        if let Some(parent) = goals.objective(c).parent {
            children.entry(parent).or_default().push(c);
        }
    }
    for (team, mine) in by_team
        .into_iter()
        .filter(|(t, _)| teams.is_empty() || teams.iter().any(|x| x == t))
    {
        let t = team_review(goals, card, team, &mine, &children);
        out.calibration.merge(&t.calibration);
        out.teams.push(t);
    }
    Ok(out)
}

/// Whose calibration a key result counts for: its own owner, else its objective's (SPEC 7.0).
fn calibration_owner<'a>(o: &'a Objective, kr: &'a KeyResult) -> Option<&'a str> {
    o.kr_owner(kr)
}

/// The notes of a key result's observations dated in `period`, by date.
fn notes<'g>(observations: &'g [Checkin], period: &Period) -> Vec<(Date, &'g str)> {
    // Sorted by date: the period's part is found by binary search (a KPI read by thousands
    // of key results is not scanned from its first check-in for each).
    let seen = upto(observations, period.end);
    seen[seen.partition_point(|c| c.date < period.start)..]
        .iter()
        .filter_map(|c| Some((c.date, c.note()?)))
        .collect()
}

fn team_review<'g>(
    goals: &'g Goals,
    card: &'g Scorecard,
    team: &str,
    ids: &[ObjectiveId],
    children: &HashMap<ObjectiveId, Vec<ObjectiveId>>,
) -> TeamReview<'g> {
    let mut calibration = Calibration::default();
    let mut objectives = Vec::with_capacity(ids.len());
    let mut dropped = Vec::new();
    let mut dropped_krs = Vec::new();
    for &id in ids {
        let (o, s) = (goals.objective(id), card.objective(id));
        // Dropped as of the end (the review is as of a date after it): listed apart, not
        // graded, and out of calibration (SPEC 7.0).
        if s.status == Status::Dropped {
            if let Some(d) = o.drop() {
                dropped.push(DroppedItem {
                    reference: o.reference(),
                    date: d.date,
                    reason: d.reason,
                });
            }
            continue;
        }
        let key_results: Vec<KrReview> = o
            .key_results
            .iter()
            .zip(&s.key_results)
            .filter(|(kr, ks)| {
                let gone = ks.status == Status::Dropped;
                if gone && let Some(d) = o.kr_drop(kr) {
                    dropped_krs.push(DroppedItem {
                        reference: o.kr_ref(kr),
                        date: d.date,
                        reason: d.reason,
                    });
                }
                !gone
            })
            .map(|(kr, ks)| {
                let grade = Grade::of(ks.progress, o.commitment);
                // The outcome is the target reached, not the pass mark (SPEC 7.0).
                let reached = ks.progress + EPS >= 1.0;
                let kr_brier = KrBrier::of(goals.observations(kr), &o.period, reached);
                if let Some(b) = kr_brier {
                    calibration.add(calibration_owner(o, kr), b);
                }
                KrReview {
                    kr,
                    reference: o.kr_ref(kr),
                    score: ks,
                    grade,
                    band: Band::of(ks.progress),
                    calibration: kr_brier,
                    revisions: crate::report::view::revision_lines(kr, o.period.end),
                    notes: notes(goals.observations(kr), &o.period),
                }
            })
            .collect();
        let children = children
            .get(&id)
            .into_iter()
            .flatten()
            .copied()
            .filter_map(|c| {
                card.upstream
                    .binary_search_by_key(&c, |s| s.id)
                    .ok()
                    .map(|at| (goals.objective(c), card.upstream[at].score))
            })
            .collect();
        objectives.push(ObjectiveReview {
            id,
            objective: o,
            score: s.score,
            grade: Grade::of(s.score, o.commitment),
            band: Band::of(s.score),
            key_results,
            children,
        });
    }
    let aspirational: Vec<&ObjectiveReview> = objectives
        .iter()
        .filter(|o| o.objective.commitment == Commitment::Aspirational)
        .collect();
    let sandbagging = !aspirational.is_empty() && aspirational.iter().all(|o| o.score + EPS >= 1.0);
    dropped.extend(dropped_krs);
    TeamReview {
        team: team.to_owned(),
        dropped,
        carry_over: carry::candidates(goals, card, ids.iter().copied()),
        objectives,
        calibration,
        sandbagging,
    }
}

#[cfg(test)]
mod tests;
