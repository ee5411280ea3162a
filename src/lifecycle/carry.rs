//! The carry-over rule (SPEC 7.0), one place for `rollover` and `review`: an objective is
//! carried when its score is below its pass mark (0.7 aspirational, 1.0 committed, with the
//! 1e-9 slack of every threshold), and of a carried objective the key results whose
//! progress is below 1; with `--all`, everything. A carried metric key result starts where
//! the old one ended.

use crate::model::*;
use crate::score::{KrScore, ObjectiveScore, Scorecard, Status, grade};

/// Floating-point slack of every threshold comparison (SPEC 5).
const EPS: f64 = 1e-9;

/// Whether `rollover` carries an objective with this score (as of min(T, end of its
/// period)): below its pass mark, or always with `all`.
/// A dropped objective is never carried (SPEC 7.0).
pub(crate) fn carries(o: &Objective, s: &ObjectiveScore, all: bool) -> bool {
    s.status != Status::Dropped && (all || grade(s.score, o.commitment) == Status::Missed)
}

/// Whether a key result of a carried objective is carried: its progress is below 1, or
/// always with `all`.
/// A dropped key result is never carried (SPEC 7.0).
pub(crate) fn carries_kr(s: &KrScore, all: bool) -> bool {
    s.status != Status::Dropped && (all || s.progress + EPS < 1.0)
}

/// The `(start, target)` of a carried metric key result (SPEC 7.0): the target in force at
/// `end`, the end of the period it leaves (its revisions are not copied), and as start its
/// current value, so that the new period measures the change still to make; the start in
/// force at `end` when it has no current value, or when the current value is that target (a
/// finished key result carried by `--all`: a start equal to the target would describe no
/// change). `None` for a milestone.
pub(crate) fn carried_bounds(kr: &KeyResult, s: &KrScore, end: Date) -> Option<(f64, f64)> {
    let (start, target) = kr.measure_at(end).bounds()?;
    let start = match s.current {
        Some(c) if c != target => c,
        _ => start,
    };
    Some((start, target))
}

/// The objectives of `period` (among `objectives`, in their order) that `rollover` would
/// carry without `--all`: the review's carry-over candidates.
pub(crate) fn candidates(
    goals: &Goals,
    card: &Scorecard,
    objectives: impl IntoIterator<Item = ObjectiveId>,
) -> Vec<ObjectiveId> {
    objectives
        .into_iter()
        .filter(|&id| carries(goals.objective(id), card.objective(id), false))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::testing::{goals_of, scored};

    const Q3: &str = "\
team: g
period: 2026-Q3
objectives:
  - id: below
    title: Below the pass mark
    key_results:
      - { id: half, title: H, start: 0, target: 10, checkins: [{ date: 2026-09-01, value: 5 }] }
      - { id: done, title: D, start: 10, target: 0, checkins: [{ date: 2026-09-01, value: -2 }] }
      - { id: none, title: N, start: 3, target: 6 }
      - { id: ship, title: S, kind: milestone, checkins: [{ date: 2026-09-01, done: false }] }
  - id: edge
    title: Exactly at 0.7 but for rounding
    key_results:
      - { id: a, title: A, start: 0.1, target: 0.4, checkins: [{ date: 2026-09-01, value: 0.31 }] }
  - id: committed
    title: Committed, 0.9
    commitment: committed
    key_results:
      - { id: a, title: A, start: 0, target: 10, checkins: [{ date: 2026-09-01, value: 9 }] }
";

    #[test]
    fn below_the_pass_mark_or_everything_with_all() {
        let goals = goals_of(&[Q3]);
        let card = scored(&goals, "2026-10-15");
        let ids: Vec<&str> = candidates(&goals, &card, goals.objective_ids())
            .into_iter()
            .map(|i| goals.objective(i).id.as_str())
            .collect();
        // (0.31 - 0.1) / (0.4 - 0.1) is 0.6999999999999998: it passes. A committed 0.9 does
        // not.
        assert_eq!(ids, ["below", "committed"]);
        assert!(goals.objective_ids().all(|i| carries(
            goals.objective(i),
            card.objective(i),
            true
        )));
    }

    #[test]
    fn unfinished_key_results_start_at_their_current_value() {
        let goals = goals_of(&[Q3]);
        let card = scored(&goals, "2026-10-15");
        let o = goals.objective(ObjectiveId::new(0));
        let s = card.objective(ObjectiveId::new(0));
        let carried_start =
            |kr: &KeyResult, ks: &KrScore| carried_bounds(kr, ks, o.period.end).map(|b| b.0);
        let carried: Vec<(&str, Option<f64>)> = o
            .key_results
            .iter()
            .zip(&s.key_results)
            .filter(|(_, ks)| carries_kr(ks, false))
            .map(|(kr, ks)| (kr.id.as_str(), carried_start(kr, ks)))
            .collect();
        // `done` overshot its target (progress 1): not carried. `none` has no current
        // value: its old start. A milestone has no start.
        assert_eq!(
            carried,
            [("half", Some(5.0)), ("none", Some(3.0)), ("ship", None)]
        );
        // With --all a finished key result is carried too, from where it ended; one that
        // ended exactly on its target keeps its old start.
        let all: Vec<&str> = s
            .key_results
            .iter()
            .filter(|ks| carries_kr(ks, true))
            .map(|ks| goals.kr(ks.id).1.id.as_str())
            .collect();
        assert_eq!(all, ["half", "done", "none", "ship"]);
        assert_eq!(
            carried_start(&o.key_results[1], &s.key_results[1]),
            Some(-2.0)
        );
        let on_target = KrScore {
            current: Some(0.0),
            ..s.key_results[1].clone()
        };
        assert_eq!(carried_start(&o.key_results[1], &on_target), Some(10.0));
    }

    #[test]
    fn dropped_items_are_never_carried_and_revised_targets_are() {
        let q3 = "\
team: g
period: 2026-Q3
objectives:
  - id: gone
    title: Given up
    dropped: { date: 2026-08-01, reason: reorg }
    key_results:
      - { id: a, title: A, start: 0, target: 10 }
  - id: kept
    title: Kept
    key_results:
      - { id: cut, title: C, start: 0, target: 10, dropped: { date: 2026-08-01, reason: no budget } }
      - id: revised
        title: R
        start: 0
        target: 10
        revisions:
          - { date: 2026-08-01, target: 8, reason: smaller market }
          - { date: 2026-09-01, start: 1, reason: measured again }
      - { id: plain, title: P, start: 0, target: 10, checkins: [{ date: 2026-09-01, value: 4 }] }
";
        let goals = goals_of(&[q3]);
        let card = scored(&goals, "2026-10-15");
        let (gone, kept) = (ObjectiveId::new(0), ObjectiveId::new(1));
        assert!(!carries(goals.objective(gone), card.objective(gone), true));
        assert!(carries(goals.objective(kept), card.objective(kept), false));
        let o = goals.objective(kept);
        let s = card.objective(kept);
        let carried: Vec<(&str, Option<(f64, f64)>)> = o
            .key_results
            .iter()
            .zip(&s.key_results)
            .filter(|(_, ks)| carries_kr(ks, true))
            .map(|(kr, ks)| (kr.id.as_str(), carried_bounds(kr, ks, o.period.end)))
            .collect();
        assert_eq!(
            carried,
            [("revised", Some((1.0, 8.0))), ("plain", Some((4.0, 10.0)))]
        );
    }
}
