//! Scoring (SPEC 5): model + as-of date → [`Scorecard`]. Pure: no I/O, no clock; the same
//! goals and date always give the same numbers. Items are referred to by index into
//! [`Goals`], so nothing is cloned on the way.

use crate::config::Config;
use crate::date::Date;
use crate::model::Valid;
use crate::model::*;
use serde::Serialize;

/// Floating-point slack for threshold comparisons, so that a gap of "exactly" 0.10 computed
/// as 0.1000000000000001 still counts as 0.10.
const EPS: f64 = 1e-9;

/// Thresholds that shape statuses (from goalpost.toml).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub at_risk_gap: f64,
    pub off_track_gap: f64,
    pub stale_days: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            at_risk_gap: 0.10,
            off_track_gap: 0.25,
            stale_days: 14,
        }
    }
}

impl From<&Config> for Thresholds {
    fn from(c: &Config) -> Self {
        Thresholds {
            at_risk_gap: c.at_risk_gap,
            off_track_gap: c.off_track_gap,
            stale_days: c.stale_days,
        }
    }
}

/// Status of a key result or objective.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotStarted,
    NoData,
    OnTrack,
    AtRisk,
    OffTrack,
    Done,
    Achieved,
    Missed,
    /// Given up (SPEC 3.4): counts in no sum; its figures are those of the day before.
    Dropped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::NoData => "no_data",
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
            Status::Done => "done",
            Status::Achieved => "achieved",
            Status::Missed => "missed",
            Status::Dropped => "dropped",
        }
    }
    /// Words for people: "on track".
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "not started",
            Status::NoData => "no data",
            Status::OnTrack => "on track",
            Status::AtRisk => "at risk",
            Status::OffTrack => "off track",
            Status::Done => "done",
            Status::Achieved => "achieved",
            Status::Missed => "missed",
            Status::Dropped => "dropped",
        }
    }
    pub const ALL: [Status; 9] = [
        Status::OnTrack,
        Status::AtRisk,
        Status::OffTrack,
        Status::Done,
        Status::NoData,
        Status::NotStarted,
        Status::Achieved,
        Status::Missed,
        Status::Dropped,
    ];
}

/// Health of a KPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KpiStatus {
    Healthy,
    Warning,
    Critical,
    NoData,
}

impl KpiStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            KpiStatus::Healthy => "healthy",
            KpiStatus::Warning => "warning",
            KpiStatus::Critical => "critical",
            KpiStatus::NoData => "no_data",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            KpiStatus::NoData => "no data",
            s => s.as_str(),
        }
    }
}

/// Direction of a KPI over its last three check-ins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Improving,
    Worsening,
    Flat,
}

impl Trend {
    pub fn as_str(self) -> &'static str {
        match self {
            Trend::Improving => "improving",
            Trend::Worsening => "worsening",
            Trend::Flat => "flat",
        }
    }
}

/// Everything computed for one as-of date.
#[derive(Debug, Clone)]
pub struct Scorecard {
    pub as_of: Date,
    /// One per objective, in the order of `Goals::objectives`.
    pub objectives: Vec<ObjectiveScore>,
    /// One per KPI, in the order of `Goals::kpis`.
    pub kpis: Vec<KpiScore>,
    /// The upstream objectives the goals touch ([`upstream_touched`]), by id: scored from
    /// their snapshot with their upstream's status gaps, shown, never counted (SPEC 13).
    pub upstream: Vec<ObjectiveScore>,
    /// The upstream KPIs the goals name (`guardrails`, `kpi:`), by id, as of the date.
    pub upstream_kpis: Vec<KpiScore>,
}

impl Scorecard {
    /// An objective's figures; an upstream one must be among those [`upstream_touched`]
    /// gives.
    pub fn objective(&self, id: ObjectiveId) -> &ObjectiveScore {
        if id.is_upstream() {
            let at = self.upstream.binary_search_by_key(&id, |s| s.id);
            return &self.upstream[at.expect("an upstream objective the goals touch")];
        }
        &self.objectives[id.index()]
    }

    /// A KPI's figures; an upstream one must be among those the goals name
    /// ([`upstream_kpis_named`]).
    pub fn kpi(&self, id: KpiId) -> &KpiScore {
        if id.is_upstream() {
            let at = self.upstream_kpis.binary_search_by_key(&id, |s| s.id);
            return &self.upstream_kpis[at.expect("an upstream KPI the goals name")];
        }
        &self.kpis[id.index()]
    }

    pub fn kr(&self, id: KrId) -> &KrScore {
        &self.objective(id.objective).key_results[id.index as usize]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveScore {
    /// The objective scored.
    pub id: ObjectiveId,
    pub score: f64,
    pub expected: f64,
    pub status: Status,
    /// A guardrail KPI is critical as of T_K (for a closed objective: at its end).
    pub guardrail_breached: bool,
    /// The health of each guardrail KPI as of T_K, parallel to the objective's guardrails:
    /// what every view shows (a closed objective's guardrails at its end, not today).
    pub guardrails: Vec<KpiStatus>,
    /// The weighted mean of the key results' forecast progress (their current progress
    /// where they have no forecast); `None` outside the period (SPEC 5).
    pub forecast: Option<f64>,
    /// Parallel to the objective's key results.
    pub key_results: Vec<KrScore>,
}

/// A key result's figures. `current`, `done`, `progress`, `confidence` and `last_checkin`
/// are as of T_K = min(T, end of the period) ([`frozen_at`]): a closed period's figures no
/// longer change.
#[derive(Debug, Clone, PartialEq)]
pub struct KrScore {
    /// The key result scored.
    pub id: KrId,
    /// What it is measured against: a metric's start and target in force at T_K (SPEC 3.4;
    /// for a dropped key result, the day before its drop), or the milestone.
    pub measure: KrMeasure,
    /// Latest value on or before T_K (metric KRs; a `kpi:` KR's from the KPI).
    pub current: Option<f64>,
    /// Latest done-ness on or before T_K (milestones).
    pub done: Option<bool>,
    pub progress: f64,
    /// Expected progress at T ([`KrMeasure::expected`]): the straight line, or for a
    /// milestone with `due`, 0 before that date and 1 from it on.
    pub expected: f64,
    pub status: Status,
    pub confidence: Option<f64>,
    pub last_checkin: Option<Date>,
    /// Only while the period is open: no check-in for more than `stale_days` (never for a
    /// milestone checked in as done); a `kpi:` KR is stale when its KPI is.
    pub stale: bool,
    /// Where the trend so far ends at the period's end ([`forecast::forecast`]).
    pub forecast: Option<Forecast>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KpiScore {
    /// The KPI scored.
    pub id: KpiId,
    pub value: Option<f64>,
    pub status: KpiStatus,
    pub trend: Option<Trend>,
    pub last_checkin: Option<Date>,
    pub stale: bool,
}

/// Scores every objective, key result and KPI as of `t`. Only goals that validated can be
/// scored ([`Valid`]).
pub fn score(goals: Valid<'_>, t: Date, th: Thresholds) -> Scorecard {
    let goals = goals.goals();
    let kpis = kpis_at(goals, t);
    let objectives = each(goals.objective_ids().collect(), |id| {
        objective(id, goals, (&kpis, t), t, th)
    });
    let upstream = upstream_touched(goals)
        .into_iter()
        .map(|id| upstream_objective(goals, id, t, th))
        .collect();
    let upstream_kpis = upstream_kpis_named(goals)
        .into_iter()
        .map(|id| kpi(id, goals.kpi(id), t))
        .collect();
    Scorecard {
        as_of: t,
        objectives,
        kpis,
        upstream,
        upstream_kpis,
    }
}

/// The upstream KPIs these goals name in `guardrails` and `kpi:` (SPEC 13), in id order.
pub(crate) fn upstream_kpis_named(goals: &Goals) -> Vec<KpiId> {
    let mut out: Vec<KpiId> = goals
        .objectives
        .iter()
        .flat_map(|o| {
            o.guardrails
                .iter()
                .copied()
                .chain(o.key_results.iter().filter_map(|k| k.kpi))
        })
        .filter(|k| k.is_upstream())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Adds upstream objective `id`'s figures to `card` (for `show NAME:team/objective`), with
/// its upstream's status gaps.
pub(crate) fn score_upstream(
    goals: Valid<'_>,
    card: &mut Scorecard,
    id: ObjectiveId,
    th: Thresholds,
) {
    let goals = goals.goals();
    if !id.is_upstream() || card.upstream.iter().any(|s| s.id == id) {
        return;
    }
    let s = upstream_objective(goals, id, card.as_of, th);
    card.upstream.push(s);
    card.upstream.sort_by_key(|s| s.id);
}

fn upstream_objective(goals: &Goals, id: ObjectiveId, t: Date, th: Thresholds) -> ObjectiveScore {
    let o = goals.objective(id);
    let th = match goals.upstream.pin(&o.team) {
        Some(pin) => Thresholds {
            at_risk_gap: pin.gaps.0,
            off_track_gap: pin.gaps.1,
            ..th
        },
        None => th,
    };
    objective(id, goals, (&[], t), t, th)
}

/// The upstream objectives that these goals touch (SPEC 13), in id order: the parents of
/// their objectives, and the upstream objectives whose parent is one of theirs (the
/// roll-up of a repository that vendors its teams).
pub(crate) fn upstream_touched(goals: &Goals) -> Vec<ObjectiveId> {
    let mut out: Vec<ObjectiveId> = goals
        .objectives
        .iter()
        .filter_map(|o| o.parent.filter(|p| p.is_upstream()))
        .chain(
            goals
                .upstream_objective_ids()
                .filter(|&id| goals.objective(id).parent.is_some_and(|p| !p.is_upstream())),
        )
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The figures as of an earlier date `t` than `now`'s, for "what changed since" (SPEC 12).
/// An objective whose period ended before `t` has the same figures at both dates (they
/// are frozen at its end), so it is not scored again: its entry is `None`, and `now`'s holds.
pub struct Before {
    pub as_of: Date,
    pub objectives: Vec<Option<ObjectiveScore>>,
    pub kpis: Vec<KpiScore>,
}

impl Before {
    /// The objective's figures as of `as_of`, taken from `now` when they are the same.
    pub fn objective<'c>(&'c self, id: ObjectiveId, now: &'c Scorecard) -> &'c ObjectiveScore {
        self.objectives[id.index()]
            .as_ref()
            .unwrap_or_else(|| now.objective(id))
    }

    pub fn kpi(&self, id: KpiId) -> &KpiScore {
        &self.kpis[id.index()]
    }
}

/// [`Before`] as of `t`, reusing `now` for what cannot differ.
pub(crate) fn before(goals: Valid<'_>, t: Date, th: Thresholds) -> Before {
    let goals = goals.goals();
    let kpis = kpis_at(goals, t);
    let objectives = each(goals.objective_ids().collect(), |id| {
        (goals.objective(id).period.end >= t).then(|| objective(id, goals, (&kpis, t), t, th))
    });
    Before {
        as_of: t,
        objectives,
        kpis,
    }
}

/// Every KPI's figures as of `t`, in the order of `Goals::kpis`.
fn kpis_at(goals: &Goals, t: Date) -> Vec<KpiScore> {
    each(goals.kpi_ids().collect(), |id| kpi(id, goals.kpi(id), t))
}

/// `f` of each of `ids`, in order; on every core when there are many. Each item's figures
/// depend on the goals only, never on another item's figures, so the result is the same
/// on any number of threads.
fn each<I: Send, U: Send>(ids: Vec<I>, f: impl Fn(I) -> U + Sync) -> Vec<U> {
    crate::par::each(ids, crate::par::cores(), PARALLEL_FROM, f)
}

/// Below this many items, scoring stays on the calling thread.
const PARALLEL_FROM: usize = 1024;

/// Expected progress at `t` for a period: the share of its days elapsed, clamped to [0, 1]
/// (a key result's own is [`KrMeasure::expected`], which knows milestone due dates).
pub(crate) fn expected(p: &Period, t: Date) -> f64 {
    linear_expected(p, t)
}

/// An objective's expected progress (SPEC 5): Σ wᵢ·expectedᵢ / Σ wᵢ over its key results.
/// When every key result expects the straight line (no due date in force differs from it),
/// it is that line itself, to the last bit; with no key result too.
pub(crate) fn objective_expected(o: &Objective, krs: &[KrScore], t: Date) -> f64 {
    let line = expected(&o.period, t);
    if krs.iter().filter(|k| counts(k)).all(|k| k.expected == line) {
        return line;
    }
    weighted_score(active(o, krs).map(|(k, s)| (k.weight, s.expected)))
}

/// Whether a key result counts in its objective's sums (SPEC 5: a dropped one does not).
pub(crate) fn counts(s: &KrScore) -> bool {
    s.status != Status::Dropped
}

/// The key results of `o` that count, with their scores.
fn active<'a>(
    o: &'a Objective,
    krs: &'a [KrScore],
) -> impl Iterator<Item = (&'a KeyResult, &'a KrScore)> + Clone {
    o.key_results.iter().zip(krs).filter(|(_, s)| counts(s))
}

pub(crate) mod forecast;
pub(crate) mod measures;

pub(crate) use crate::model::metric_progress;
pub(crate) use forecast::Forecast;

/// The pace rule: status from the gap between expected and actual progress.
pub(crate) fn pace_status(progress: f64, expected: f64, th: Thresholds) -> Status {
    let gap = expected - progress;
    if gap <= th.at_risk_gap + EPS {
        Status::OnTrack
    } else if gap <= th.off_track_gap + EPS {
        Status::AtRisk
    } else {
        Status::OffTrack
    }
}

/// Confidence can only lower a status: below 0.7 on track becomes at risk; below 0.4 the
/// key result is off track.
pub(crate) fn apply_confidence(status: Status, confidence: Option<f64>) -> Status {
    match confidence {
        Some(c) if c < 0.4 => Status::OffTrack,
        Some(c) if c < 0.7 && status == Status::OnTrack => Status::AtRisk,
        _ => status,
    }
}

/// The grade of a closed period.
pub(crate) fn grade(score: f64, commitment: Commitment) -> Status {
    if score + EPS >= commitment.pass_mark() {
        Status::Achieved
    } else {
        Status::Missed
    }
}

/// The date a key result of period `p` is scored at (SPEC 5: T_K = min(T, E)): a closed
/// period's figures are frozen at its end, so a KPI measured after it changes nothing.
pub(crate) fn frozen_at(p: &Period, t: Date) -> Date {
    t.min(p.end)
}

/// KPI figures and the date they are as of.
type Kpis<'a> = (&'a [KpiScore], Date);

fn kr(
    id: KrId,
    kr: &KeyResult,
    o: &Objective,
    goals: &Goals,
    kpis: Kpis<'_>,
    t: Date,
    th: Thresholds,
) -> KrScore {
    // Dropped on or before T_K: the figures of the day before, status `dropped`, never
    // stale (SPEC 3.4); check-ins from the drop date on are ignored.
    if let Some(d) = o.kr_drop(kr)
        && d.date <= frozen_at(&o.period, t)
    {
        let mut s = kr_live(id, kr, o, goals, kpis, d.date.add_days(-1), th);
        s.status = Status::Dropped;
        s.stale = false;
        return s;
    }
    kr_live(id, kr, o, goals, kpis, t, th)
}

fn kr_live(
    id: KrId,
    kr: &KeyResult,
    o: &Objective,
    goals: &Goals,
    (kpis, kpis_at): Kpis<'_>,
    t: Date,
    th: Thresholds,
) -> KrScore {
    let p = &o.period;
    let t_k = frozen_at(p, t);
    let measure = kr.measure_at(t_k);
    let seen = upto(goals.observations(kr), t_k);
    let latest = seen.last();
    let progress = measure.progress(latest.map(|c| c.obs));
    // Valid goals give a key result only check-ins of its kind (`KrMeasure::records`).
    let (current, done) = match latest.map(|c| c.obs) {
        Some(Observation::Value(v)) => (Some(v), None),
        Some(Observation::Done(d)) => (None, Some(d)),
        None => (None, None),
    };
    let confidence = latest.and_then(|c| c.confidence);
    let exp = kr.kind.expected(p, t);
    let status = if t < p.start {
        Status::NotStarted
    } else if t > p.end {
        grade(progress, o.commitment)
    } else if progress >= 1.0 {
        Status::Done
    } else if latest.is_none() {
        Status::NoData
    } else {
        apply_confidence(pace_status(progress, exp, th), confidence)
    };
    // Staleness asks for a check-in; it only means something while the period is open, not
    // for a milestone already done, and for a KPI's key result it is the KPI's own (its
    // cadence), since the key result takes no check-ins.
    // The threshold is the longer of `stale_days` and the key result's cadence (SPEC 5).
    let stale_days = th.stale_days.max(kr.cadence.days());
    let stale = p.contains(t)
        && match kr.kpi {
            Some(k) if kpis_at == t => kpis.get(k.index()).is_some_and(|ks| ks.stale),
            Some(k) => kpi(k, goals.kpi(k), t).stale,
            None => match latest {
                Some(c) if c.obs == Observation::Done(true) => false,
                Some(c) => c.date.days_until(t) > stale_days,
                None => p.start.days_until(t) > stale_days,
            },
        };
    KrScore {
        id,
        measure,
        forecast: forecast::forecast(measure, p, goals.observations(kr), t),
        current,
        done,
        progress,
        expected: exp,
        status,
        confidence,
        last_checkin: latest.map(|c| c.date),
        stale,
    }
}

fn objective(
    id: ObjectiveId,
    goals: &Goals,
    kpis: Kpis<'_>,
    t: Date,
    th: Thresholds,
) -> ObjectiveScore {
    let o = goals.objective(id);
    let key_results: Vec<KrScore> = o
        .key_results
        .iter()
        .enumerate()
        .map(|(n, k)| kr(id.kr(n), k, o, goals, kpis, t, th))
        .collect();
    // Dropped on or before T_K (itself, or every key result): status `dropped` with the
    // figures of the day before (SPEC 3.4), when it was not dropped yet.
    if let Some(d) = o.drop()
        && d.date <= frozen_at(&o.period, t)
    {
        let before = objective(id, goals, kpis, d.date.add_days(-1), th);
        return ObjectiveScore {
            status: Status::Dropped,
            key_results,
            ..before
        };
    }
    let score = weighted_score(active(o, &key_results).map(|(k, s)| (k.weight, s.progress)));
    let exp = objective_expected(o, &key_results, t);
    let mut live = key_results.iter().filter(|k| counts(k)).peekable();
    let status = if t < o.period.start {
        Status::NotStarted
    } else if t > o.period.end {
        grade(score, o.commitment)
    } else if live.peek().is_some() && live.clone().all(|k| k.progress >= 1.0) {
        Status::Done
    } else if live.all(|k| k.last_checkin.is_none()) {
        Status::NoData
    } else {
        pace_status(score, exp, th)
    };
    // As of the objective's T_K: a guardrail of a closed objective is judged at its end.
    let t_k = frozen_at(&o.period, t);
    let (cached, cached_at) = kpis;
    let guardrails: Vec<KpiStatus> = o
        .guardrails
        .iter()
        .map(|&k| match cached.get(k.index()) {
            Some(s) if t_k == cached_at => s.status,
            _ => kpi(k, goals.kpi(k), t_k).status,
        })
        .collect();
    let guardrail_breached = guardrails.contains(&KpiStatus::Critical);
    let forecast = o.period.contains(t).then(|| {
        weighted_score(
            active(o, &key_results)
                .map(|(k, s)| (k.weight, s.forecast.map_or(s.progress, |f| f.progress))),
        )
    });
    ObjectiveScore {
        id,
        forecast,
        score,
        expected: exp,
        status,
        guardrail_breached,
        guardrails,
        key_results,
    }
}

/// Σ weight·progress / Σ weight (SPEC 5), summed in key-result order. Only when a sum
/// overflows (weights near 1e308) are the weights scaled by the largest first, so that the
/// result stays finite instead of inf / inf = NaN.
pub(crate) fn weighted_score(items: impl Iterator<Item = (f64, f64)> + Clone) -> f64 {
    let total: f64 = items.clone().map(|(w, _)| w).sum();
    let weighted: f64 = items.clone().map(|(w, p)| w * p).sum();
    let score = if total.is_finite() && weighted.is_finite() {
        weighted / total
    } else {
        let max = items.clone().map(|(w, _)| w).fold(0.0, f64::max);
        if max <= 0.0 || !max.is_finite() {
            return 0.0;
        }
        let total: f64 = items.clone().map(|(w, _)| w / max).sum();
        items.map(|(w, p)| w / max * p).sum::<f64>() / total
    };
    if score.is_nan() {
        0.0
    } else {
        score.clamp(0.0, 1.0)
    }
}

/// KPI health of one value.
pub(crate) fn kpi_status(k: &Kpi, v: f64) -> KpiStatus {
    let (good, bad) = match k.better {
        Better::Lower => (v <= k.target, k.critical.is_some_and(|c| v >= c)),
        Better::Higher => (v >= k.target, k.critical.is_some_and(|c| v <= c)),
    };
    if good {
        KpiStatus::Healthy
    } else if bad {
        KpiStatus::Critical
    } else {
        KpiStatus::Warning
    }
}

fn kpi(id: KpiId, k: &Kpi, t: Date) -> KpiScore {
    let seen = upto(&k.checkins, t);
    let values: Vec<f64> = seen
        .iter()
        .rev()
        .take(3)
        .filter_map(|c| match c.obs {
            Observation::Value(v) => Some(v),
            Observation::Done(_) => None,
        })
        .collect();
    let latest = seen.last();
    let value = values.first().copied();
    let trend = match values.as_slice() {
        [c, b, a] => {
            let sign = |x: f64, y: f64| match k.better {
                Better::Higher => (y - x).signum(),
                Better::Lower => (x - y).signum(),
            } * f64::from(u8::from(x != y));
            match (sign(*a, *b), sign(*b, *c)) {
                (s1, s2) if s1 > 0.0 && s2 > 0.0 => Some(Trend::Improving),
                (s1, s2) if s1 < 0.0 && s2 < 0.0 => Some(Trend::Worsening),
                _ => Some(Trend::Flat),
            }
        }
        _ => None,
    };
    KpiScore {
        id,
        value,
        status: value.map_or(KpiStatus::NoData, |v| kpi_status(k, v)),
        trend,
        last_checkin: latest.map(|c| c.date),
        stale: latest.is_some_and(|c| c.date.days_until(t) > k.cadence.days()),
    }
}

#[cfg(test)]
mod tests;
