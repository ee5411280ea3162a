//! The validated goal model: what scoring and reports read. Everything here has passed
//! validation: ids are slugs, references resolve (as typed ids, [`ids`]), check-ins are
//! sorted by date with one per date, numbers are finite. It depends on nothing else in the
//! crate but plain value types (dates, periods, spans).

mod ids;
mod keywords;
mod valid;

pub(crate) use crate::date::Date;
pub(crate) use crate::diag::Span;
pub(crate) use crate::period::Period;
pub(crate) use ids::{KpiId, KrId, ObjectiveId, Ref, RefParts, is_slug, upstream_of};
pub(crate) use keywords::{Better, Cadence, Commitment, KrCadence};
pub use keywords::{KrKey, KrKind, Records, Takes};
pub use valid::Valid;

/// All goals of a repository.
#[derive(Debug, Clone, Default)]
pub struct Goals {
    /// Sorted by period (start, end, name), team, id.
    pub objectives: Vec<Objective>,
    /// Sorted by team, id.
    pub kpis: Vec<Kpi>,
    /// The items of the upstream snapshots that this repository's goals may refer to (SPEC
    /// 13). They are never among `objectives` and `kpis`: only an id from a reference
    /// (`parent`, `guardrails`, `kpi:`) reaches them, through [`Goals::objective`] and
    /// [`Goals::kpi`].
    pub upstream: std::sync::Arc<Upstream>,
}

/// The goals of the upstream snapshots (SPEC 13), their teams written `NAME:team`. Their
/// references point into these lists (ids made with `ObjectiveId::upstream`) or, for the
/// roll-up, to this repository's objectives.
#[derive(Debug, Clone, Default)]
pub struct Upstream {
    pub objectives: Vec<Objective>,
    pub kpis: Vec<Kpi>,
    /// Each snapshot that validated, in name order.
    pub pins: Vec<Pin>,
}

/// An upstream snapshot: its name and the commit goalpost.lock pins.
#[derive(Debug, Clone, PartialEq)]
pub struct Pin {
    pub name: String,
    pub commit: String,
    /// The upstream's own status gaps (its goalpost.toml), for its objectives' statuses.
    pub gaps: (f64, f64),
}

impl Upstream {
    /// The pin of the upstream an item of team `team` (`NAME:team`) comes from.
    pub fn pin(&self, team: &str) -> Option<&Pin> {
        let name = ids::upstream_of(team)?;
        self.pins.iter().find(|p| p.name == name)
    }
}

impl Goals {
    pub fn objective(&self, id: ObjectiveId) -> &Objective {
        match id.upstream_index() {
            Some(n) => &self.upstream.objectives[n],
            None => &self.objectives[id.index()],
        }
    }

    pub fn kpi(&self, id: KpiId) -> &Kpi {
        match id.upstream_index() {
            Some(n) => &self.upstream.kpis[n],
            None => &self.kpis[id.index()],
        }
    }

    /// Every upstream objective's id.
    pub fn upstream_objective_ids(&self) -> impl Iterator<Item = ObjectiveId> + use<> {
        (0..self.upstream.objectives.len()).map(ObjectiveId::upstream)
    }

    /// A key result and its objective.
    pub fn kr(&self, id: KrId) -> (&Objective, &KeyResult) {
        let o = self.objective(id.objective);
        (o, &o.key_results[id.index as usize])
    }

    /// Every objective's id, in order.
    pub fn objective_ids(&self) -> impl Iterator<Item = ObjectiveId> + use<> {
        (0..self.objectives.len()).map(ObjectiveId::new)
    }

    /// Every KPI's id, in order.
    pub fn kpi_ids(&self) -> impl Iterator<Item = KpiId> + use<> {
        (0..self.kpis.len()).map(KpiId::new)
    }

    /// The observations a key result is scored from: its own, or its KPI's.
    pub fn observations<'g>(&'g self, kr: &'g KeyResult) -> &'g [Checkin] {
        match kr.kpi {
            Some(k) => &self.kpi(k).checkins,
            None => &kr.checkins,
        }
    }

    /// The ref of an objective's parent.
    pub fn parent_ref(&self, o: &Objective) -> Option<Ref> {
        o.parent.map(|p| self.objective(p).reference())
    }
}

#[derive(Debug, Clone)]
pub struct Objective {
    pub team: String,
    pub id: String,
    pub period: Period,
    pub title: String,
    pub owner: Option<String>,
    pub commitment: Commitment,
    /// The objective this one supports (same period).
    pub parent: Option<ObjectiveId>,
    pub guardrails: Vec<KpiId>,
    pub key_results: Vec<KeyResult>,
    /// The period this objective was carried over from (`carried_from`, written by
    /// `goalpost rollover`); an objective of the same team and id exists there.
    pub carried_from: Option<String>,
    /// Free text (`description`).
    pub description: Option<String>,
    /// When and why it was given up, as written (SPEC 3.4); see [`Objective::drop`] for the
    /// drop in effect (also when every key result is dropped).
    pub dropped: Option<Dropped>,
    pub span: Span,
}

/// What `dropped:` says (SPEC 3.4): the date (inside the period) and the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Dropped {
    pub date: Date,
    pub reason: String,
    pub span: Span,
}

/// A drop in effect from `date` on, and why: a `dropped:` written on the item, on its
/// objective, or (for an objective) on every one of its key results.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DropAt<'a> {
    pub date: Date,
    pub reason: &'a str,
}

/// The reason of an objective dropped because every key result was (SPEC 7.0).
pub(crate) const ALL_KRS_DROPPED: &str = "all key results dropped";

/// A change of plan of a metric key result (SPEC 3.4): from `date` on, the fields it names.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub date: Date,
    pub target: Option<f64>,
    pub start: Option<f64>,
    pub reason: String,
    pub span: Span,
}

impl Objective {
    /// The drop in effect for the objective: its own `dropped:`, or, when every key result
    /// has one, the latest of their dates; the earlier of the two.
    pub fn drop(&self) -> Option<DropAt<'_>> {
        let own = self.dropped.as_ref().map(|d| DropAt {
            date: d.date,
            reason: &d.reason,
        });
        // The latest of the key results' dates when every one has one (none without any).
        let all = self
            .key_results
            .iter()
            .try_fold(None, |latest: Option<Date>, k| {
                let d = k.dropped.as_ref()?.date;
                Some(Some(latest.map_or(d, |l| l.max(d))))
            })
            .flatten()
            .map(|date| DropAt {
                date,
                reason: ALL_KRS_DROPPED,
            });
        match (own, all) {
            (Some(o), Some(a)) if a.date < o.date => Some(a),
            (Some(o), _) => Some(o),
            (None, a) => a,
        }
    }

    /// The drop in effect for one of its key results: its own, or the objective's own when
    /// that is earlier (the key results of a dropped objective are dropped with it).
    pub fn kr_drop<'a>(&'a self, kr: &'a KeyResult) -> Option<DropAt<'a>> {
        let own = kr.dropped.as_ref().map(|d| DropAt {
            date: d.date,
            reason: &d.reason,
        });
        let obj = self.dropped.as_ref().map(|d| DropAt {
            date: d.date,
            reason: &d.reason,
        });
        match (own, obj) {
            (Some(k), Some(o)) if o.date < k.date => Some(o),
            (Some(k), _) => Some(k),
            (None, o) => o,
        }
    }

    /// Who answers for a key result: its own owner, else the objective's.
    pub fn kr_owner<'a>(&'a self, kr: &'a KeyResult) -> Option<&'a str> {
        kr.owner.as_deref().or(self.owner.as_deref())
    }

    /// `team/objective`.
    pub fn reference(&self) -> Ref {
        Ref::item(&self.team, &self.id)
    }

    /// `team/objective/kr` of one of its key results.
    pub fn kr_ref(&self, kr: &KeyResult) -> Ref {
        Ref::key_result(&self.team, &self.id, &kr.id)
    }

    /// [`Objective::reference`] without allocating.
    pub fn ref_parts(&self) -> RefParts<'_> {
        RefParts::Item(&self.team, &self.id)
    }

    /// [`Objective::kr_ref`] without allocating.
    pub fn kr_ref_parts<'a>(&'a self, kr: &'a KeyResult) -> RefParts<'a> {
        RefParts::KeyResult(&self.team, &self.id, &kr.id)
    }
}

#[derive(Debug, Clone)]
pub struct KeyResult {
    pub id: String,
    pub title: String,
    pub kind: KrMeasure,
    pub unit: Option<String>,
    pub weight: f64,
    /// The KPI the key result takes its values from.
    pub kpi: Option<KpiId>,
    /// Own check-ins (inline and from logs), sorted by date, one per date. Empty for a
    /// KPI-linked KR: its observations are the KPI's.
    pub checkins: Vec<Checkin>,
    /// Its own `owner` (the objective's applies when `None`: [`Objective::kr_owner`]).
    pub owner: Option<String>,
    /// How often it is checked in (weekly when not written).
    pub cadence: KrCadence,
    /// Free text (`description`).
    pub description: Option<String>,
    /// Revisions as written (file order; dates distinct, inside the period, before any drop).
    pub revisions: Vec<Revision>,
    /// When and why it was given up, as written ([`Objective::kr_drop`] is the drop in effect).
    pub dropped: Option<Dropped>,
    pub span: Span,
}

impl KeyResult {
    /// The measure in force at `t` (SPEC 3.4): a metric's start and target as revised by
    /// its revisions dated on or before `t`, in date order, each changing the fields it names.
    pub fn measure_at(&self, t: Date) -> KrMeasure {
        match self.kind {
            KrMeasure::Metric { start, target } if !self.revisions.is_empty() => {
                let (start, target) = in_force((start, target), &self.revisions, t);
                KrMeasure::Metric { start, target }
            }
            m => m,
        }
    }
}

/// A metric's `(start, target)` in force at `t` (SPEC 3.4): `written` as revised by the
/// revisions dated on or before `t`, in date order, each changing the fields it names.
pub(crate) fn in_force(written: (f64, f64), revisions: &[Revision], t: Date) -> (f64, f64) {
    plan_steps(written, revisions)
        .into_iter()
        .take_while(|s| s.revision.date <= t)
        .last()
        .map_or(written, |s| s.after)
}

/// One revision of a metric's plan and the `(start, target)` in force before and after it.
pub(crate) struct PlanStep<'a> {
    pub revision: &'a Revision,
    pub before: (f64, f64),
    pub after: (f64, f64),
}

/// The plan of a metric written as `written` and revised by `revisions` (any order), step by
/// step in date order: the one fold that `in_force`, validation (a plan in force that
/// describes no change) and the revision wording read.
pub(crate) fn plan_steps(written: (f64, f64), revisions: &[Revision]) -> Vec<PlanStep<'_>> {
    let mut by_date: Vec<&Revision> = revisions.iter().collect();
    by_date.sort_by_key(|r| r.date);
    let mut now = written;
    by_date
        .into_iter()
        .map(|revision| {
            let before = now;
            now = (
                revision.start.unwrap_or(now.0),
                revision.target.unwrap_or(now.1),
            );
            PlanStep {
                revision,
                before,
                after: now,
            }
        })
        .collect()
}

/// What a key result measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KrMeasure {
    Metric {
        start: f64,
        target: f64,
    },
    /// Done or not; with `due`, expected to be done by that date (inside its period), not
    /// along a straight line (SPEC 3.4, 5).
    Milestone {
        due: Option<Date>,
    },
}

impl KrMeasure {
    /// A metric key result's `(start, target)`; `None` for a milestone.
    pub fn bounds(&self) -> Option<(f64, f64)> {
        match *self {
            KrMeasure::Metric { start, target } => Some((start, target)),
            KrMeasure::Milestone { .. } => None,
        }
    }

    /// A milestone's due date; `None` for a metric or a milestone without one.
    pub fn due(&self) -> Option<Date> {
        match *self {
            KrMeasure::Milestone { due } => due,
            KrMeasure::Metric { .. } => None,
        }
    }

    /// Expected progress (SPEC 5) at `t` in `period`: a milestone with a due date is
    /// expected done from that date on (0 before it); anything else follows the straight
    /// line from the period's start to its end.
    pub fn expected(&self, period: &Period, t: Date) -> f64 {
        match self.due() {
            Some(due) if t >= due => 1.0,
            Some(_) => 0.0,
            None => linear_expected(period, t),
        }
    }

    /// [`KrMeasure::bounds`] (its older name).
    pub fn start_target(&self) -> Option<(f64, f64)> {
        self.bounds()
    }

    /// Progress (SPEC 5) from the latest observation on or before the as-of date: a metric's
    /// value moved from start toward target (clamped to [0, 1]), a milestone's done-ness.
    pub fn progress(&self, latest: Option<Observation>) -> f64 {
        match (*self, latest) {
            (KrMeasure::Metric { start, target }, Some(Observation::Value(v))) => {
                metric_progress(start, target, Some(v))
            }
            (KrMeasure::Milestone { .. }, Some(Observation::Done(true))) => 1.0,
            _ => 0.0,
        }
    }

    /// The measure in words with the current state: "250 → 210 → 150 tickets/week",
    /// "milestone: done". `unit_after` writes a number with the unit (one formatter for
    /// every output, `crate::text`).
    pub fn describe(
        &self,
        latest: Option<Observation>,
        num: impl Fn(f64) -> String,
        unit_after: impl Fn(String) -> String,
    ) -> String {
        match (*self, latest) {
            (KrMeasure::Metric { start, target }, latest) => {
                let current = match latest {
                    Some(Observation::Value(v)) => num(v),
                    _ => "–".to_owned(),
                };
                unit_after(format!("{} → {current} → {}", num(start), num(target)))
            }
            (KrMeasure::Milestone { .. }, Some(Observation::Done(true))) => {
                "milestone: done".to_owned()
            }
            (KrMeasure::Milestone { due }, Some(Observation::Done(false))) => match due {
                Some(due) => format!("milestone: not done, due {due}"),
                None => "milestone: not done".to_owned(),
            },
            (KrMeasure::Milestone { due: Some(due) }, _) => format!("milestone, due {due}"),
            (KrMeasure::Milestone { due: None }, _) => "milestone".to_owned(),
        }
    }

    pub fn kind(&self) -> KrKind {
        match self {
            KrMeasure::Metric { .. } => KrKind::Metric,
            KrMeasure::Milestone { .. } => KrKind::Milestone,
        }
    }

    /// What its check-ins carry ([`KrKind::records`]).
    pub fn records(&self) -> Records {
        self.kind().records()
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
    /// Where `goalpost pull` fetches its values.
    pub source: Option<KpiSource>,
    /// Sorted by date, one per date.
    pub checkins: Vec<Checkin>,
    pub span: Span,
}

/// A KPI's `source:` (SPEC 11): a source of goalpost.toml's `[sources]` that exists, with a
/// query exactly when that source is a Prometheus server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KpiSource {
    /// The source's name in `[sources]`.
    pub from: String,
    /// The PromQL query (Prometheus sources only).
    pub query: Option<String>,
    /// Where `source:` is written.
    pub span: Span,
}

impl Kpi {
    /// `team/kpi`.
    pub fn reference(&self) -> Ref {
        Ref::item(&self.team, &self.id)
    }

    /// [`Kpi::reference`] without allocating.
    pub fn ref_parts(&self) -> RefParts<'_> {
        RefParts::Item(&self.team, &self.id)
    }
}

/// One dated observation. 64 bytes: there can be hundreds of thousands (BENCHMARKS.md).
///
/// A check-in that corrects others (SPEC 3.2) is the one the item's list holds for its date:
/// its [`Correction`] (in the boxed `text`) has the reason and the check-ins it replaces.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkin {
    pub date: Date,
    pub obs: Observation,
    pub confidence: Option<f64>,
    /// `note`, `by` and a correction, boxed together since most check-ins have none: `None`
    /// then (never a box of `None`s; build it with [`CheckinText::boxed`]).
    pub text: Option<Box<CheckinText>>,
    pub span: Span,
}

/// The words of a check-in, and what it corrects.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckinText {
    pub note: Option<String>,
    pub by: Option<String>,
    /// Set when the check-in is a correction (`correction: <reason>`).
    pub correction: Option<Correction>,
}

/// What a correction says and what it replaced (SPEC 3.2). The originals stay in the files
/// as history; every computation uses the correction instead.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    /// Why the figure was corrected (never empty).
    pub reason: String,
    /// The check-ins of the same item and date it replaces, in reading order (files in path
    /// order, entries in file order), each distinct one once: the plain check-ins (the
    /// originals) and earlier corrections it overrides (their own `correction` says so).
    /// Empty only for an orphan correction (an error) or while validation merges.
    pub replaced: Vec<Checkin>,
}

impl Correction {
    /// The plain check-ins it replaces: what was first recorded for that date.
    pub fn originals(&self) -> impl Iterator<Item = &Checkin> {
        self.replaced.iter().filter(|c| c.correction().is_none())
    }

    /// Earlier corrections of the same date that this one overrides.
    pub fn overridden(&self) -> impl Iterator<Item = &Checkin> {
        self.replaced.iter().filter(|c| c.correction().is_some())
    }
}

impl CheckinText {
    /// `None` when both are missing.
    pub fn boxed(note: Option<String>, by: Option<String>) -> Option<Box<CheckinText>> {
        CheckinText::boxed_with(note, by, None)
    }

    /// [`CheckinText::boxed`] with a correction's reason (its `replaced` is filled when
    /// validation merges the item's check-ins).
    pub fn boxed_with(
        note: Option<String>,
        by: Option<String>,
        correction: Option<String>,
    ) -> Option<Box<CheckinText>> {
        let correction = correction.map(|reason| Correction {
            reason,
            replaced: Vec::new(),
        });
        (note.is_some() || by.is_some() || correction.is_some()).then(|| {
            Box::new(CheckinText {
                note,
                by,
                correction,
            })
        })
    }
}

impl Checkin {
    pub fn note(&self) -> Option<&str> {
        self.text.as_ref()?.note.as_deref()
    }
    pub fn by(&self) -> Option<&str> {
        self.text.as_ref()?.by.as_deref()
    }
    /// The correction this check-in makes, if it is one.
    pub fn correction(&self) -> Option<&Correction> {
        self.text.as_ref()?.correction.as_ref()
    }

    /// Every distinct check-in written for this one's item and date: the ones it replaces
    /// (when it is a correction), in reading order, then itself. The history as written, for
    /// comparisons across revisions (`check --base`) and for `log` and `diff`.
    pub fn as_written(&self) -> impl Iterator<Item = &Checkin> {
        let replaced = self.correction().map_or(&[][..], |c| &c.replaced[..]);
        replaced.iter().chain(std::iter::once(self))
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Observation {
    Value(f64),
    Done(bool),
}

impl Observation {
    /// Which kind of check-in this is.
    pub fn records(&self) -> Records {
        match self {
            Observation::Value(_) => Records::Value,
            Observation::Done(_) => Records::Done,
        }
    }
}

/// The check-ins dated on or before `t` (a prefix, since check-ins are sorted).
pub(crate) fn upto(checkins: &[Checkin], t: Date) -> &[Checkin] {
    let n = checkins.partition_point(|c| c.date <= t);
    &checkins[..n]
}

/// Expected progress at `t` for a period without due dates: the share of its days elapsed,
/// clamped to [0, 1] (SPEC 5).
pub(crate) fn linear_expected(p: &Period, t: Date) -> f64 {
    let total = p.start.days_until(p.end);
    if total <= 0 {
        return if t >= p.start { 1.0 } else { 0.0 };
    }
    (p.start.days_until(t) as f64 / total as f64).clamp(0.0, 1.0)
}

/// Metric progress: how far `current` got from `start` toward `target`, clamped to [0, 1].
/// Finite inputs always give a finite result, even when the differences overflow.
pub(crate) fn metric_progress(start: f64, target: f64, current: Option<f64>) -> f64 {
    match current {
        Some(c) if target != start => {
            let (num, den) = (c - start, target - start);
            let p = if num.is_finite() && den.is_finite() {
                num / den
            } else {
                // A difference overflowed (start = -1e308, target = 1e308): halving every
                // term first is exact and keeps the differences finite.
                (c / 2.0 - start / 2.0) / (target / 2.0 - start / 2.0)
            };
            if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) }
        }
        _ => 0.0,
    }
}
