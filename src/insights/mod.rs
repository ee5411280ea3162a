//! `goalpost insights` (SPEC 14): how a team plans and reports, measured from the files and
//! their history. The history is read once ([`history::read`]); the measures are pure
//! functions over values ([`measures`]); this module picks the items, groups them per team,
//! per owner and overall, and summarises. Renderers: [`text`], [`markdown`], [`json`].

pub(crate) mod history;
pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod markdown;
pub(crate) mod text;

use crate::lifecycle::review::{Brier, KrBrier};
use crate::model::*;
use crate::score::Scorecard;
use crate::score::measures::{self, Skill, median};
use history::{History, KrKey, ObsKey};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A check-in more than this many days late is backfilled (SPEC 14).
pub(crate) const BACKFILLED_DAYS: f64 = 7.0;

/// What `insights` covers.
#[derive(Debug, Clone, Default)]
pub(crate) struct Selection {
    pub periods: Vec<String>,
    pub teams: Vec<String>,
    pub owners: Vec<String>,
}

/// The raw material of one group's measures.
#[derive(Debug, Clone, Default)]
struct Acc {
    latencies: Vec<f64>,
    first: Vec<f64>,
    gaps: Vec<f64>,
    coverage: Vec<f64>,
    moves: Moves,
    skill: Skill,
    calibration: Brier,
}

/// Plans changed in a period: in place (each eased, raised or shifted) and by revision.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Moves {
    pub in_place: usize,
    pub revisions: usize,
    pub eased: usize,
    pub raised: usize,
    pub shifted: usize,
}

/// One group's measures (a team, an owner, or everyone).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Summary {
    pub latency_median: Option<f64>,
    /// The share of check-ins committed more than a week after their date.
    pub backfilled: Option<f64>,
    pub latency_n: usize,
    pub first_checkin_days: Option<f64>,
    pub median_gap: Option<f64>,
    pub weekly_coverage: Option<f64>,
    pub moves: Moves,
    pub skill: Option<f64>,
    pub skill_n: usize,
    pub brier: Option<f64>,
    pub calibration_n: usize,
    pub decomposition: Option<measures::Decomposition>,
}

/// How a plan moved in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MoveKind {
    Eased,
    Raised,
    Shifted,
}

impl MoveKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            MoveKind::Eased => "eased",
            MoveKind::Raised => "raised",
            MoveKind::Shifted => "shifted",
        }
    }
}

/// One listed change of plan: a commit that edited `target`/`start` in place, or a revision.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PlanChange {
    InPlace {
        reference: Ref,
        team: String,
        commit: String,
        author: String,
        date: Date,
        before: (f64, f64),
        after: (f64, f64),
        kind: MoveKind,
    },
    Revision {
        reference: Ref,
        team: String,
        date: Date,
        target: Option<f64>,
        start: Option<f64>,
        reason: String,
    },
}

/// The insights report.
#[derive(Debug, Clone)]
pub(crate) struct Insights {
    pub as_of: Date,
    pub periods: Vec<String>,
    /// Whether any selected period is closed (skill and calibration need one).
    pub any_closed: bool,
    /// Whether the history could be read (a project outside git has none).
    pub history: bool,
    pub teams: Vec<(String, Summary)>,
    pub overall: Summary,
    pub by_owner: Vec<(String, Summary)>,
    pub changes: Vec<PlanChange>,
    /// Latency histogram: check-ins per latency bucket (see [`LATENCY_BUCKETS`]).
    pub latency_histogram: Vec<usize>,
}

/// The latency histogram's buckets, as (label, lowest, highest) days: a check-in's latency
/// falls in the first whose range holds it.
pub(crate) const LATENCY_BUCKETS: [(&str, i64, i64); 7] = [
    ("early", i64::MIN, -1),
    ("same day", 0, 0),
    ("1 day", 1, 1),
    ("2–3 days", 2, 3),
    ("4–7 days", 4, 7),
    ("8–14 days", 8, 14),
    ("over 14", 15, i64::MAX),
];

#[derive(Default)]
struct Groups {
    teams: BTreeMap<String, Acc>,
    owners: BTreeMap<String, Acc>,
    overall: Acc,
}

impl Groups {
    fn each(&mut self, team: &str, owner: Option<&str>, f: impl Fn(&mut Acc)) {
        f(self.teams.entry(team.to_owned()).or_default());
        if let Some(o) = owner {
            f(self.owners.entry(o.to_owned()).or_default());
        }
        f(&mut self.overall);
    }
}

/// Why the selection names nothing.
pub(crate) use crate::select::SelectError;

/// The periods `insights` covers: those named, else every period with an objective that
/// ended in the year before `t` or is open at `t`.
pub(crate) fn periods(goals: &Goals, sel: &Selection, t: Date) -> Result<Vec<Period>, SelectError> {
    let filter = crate::select::Filter {
        teams: sel.teams.clone(),
        periods: sel.periods.clone(),
        ..Default::default()
    };
    filter.select(goals)?;
    let mut seen = BTreeSet::new();
    let mut out: Vec<Period> = Vec::new();
    for o in &goals.objectives {
        let p = &o.period;
        let chosen = if sel.periods.is_empty() {
            (p.end < t && p.end >= t.add_days(-365)) || (p.start <= t && t <= p.end)
        } else {
            sel.periods.contains(&p.name)
        };
        if chosen && seen.insert(p.name.clone()) {
            out.push(p.clone());
        }
    }
    out.sort_by(|a, b| (a.start, a.end, &a.name).cmp(&(b.start, b.end, &b.name)));
    Ok(out)
}

/// Measures `periods` (from [`periods`]) as of `t`; `card` is the scorecard as of `t` (a
/// closed period's figures are frozen at its end), `history` what git says (`None` outside
/// git).
pub(crate) fn insights(
    goals: &Goals,
    card: &Scorecard,
    history: Option<&History>,
    sel: &Selection,
    periods: Vec<Period>,
    t: Date,
) -> Insights {
    let names: BTreeSet<&str> = periods.iter().map(|p| p.name.as_str()).collect();
    let team_ok = |team: &str| sel.teams.is_empty() || sel.teams.iter().any(|x| x == team);
    let owner_ok = |o: Option<&str>| {
        sel.owners.is_empty() || o.is_some_and(|o| sel.owners.iter().any(|w| w == o))
    };
    let mut groups = Groups::default();
    let mut changes = Vec::new();
    let mut histogram = vec![0usize; LATENCY_BUCKETS.len()];
    let mut latency =
        |groups: &mut Groups, team: &str, owner: Option<&str>, r: &str, c: &Checkin| {
            let Some(h) = history else { return };
            let Some(committed) = h.committed(r, c.date, key(c)) else {
                return;
            };
            let days = c.date.days_until(committed);
            if let Some(b) = LATENCY_BUCKETS
                .iter()
                .position(|(_, lo, hi)| *lo <= days && days <= *hi)
            {
                histogram[b] += 1;
            }
            groups.each(team, owner, |a| a.latencies.push(days as f64));
        };
    // Counted metric key results by key, for the moves history found.
    let mut metric: HashMap<KrKey, (Ref, &str, Option<&str>, &Period)> = HashMap::new();
    for (oi, o) in goals.objectives.iter().enumerate() {
        if !names.contains(o.period.name.as_str()) || !team_ok(&o.team) {
            continue;
        }
        let p = &o.period;
        let t_k = t.min(p.end);
        let closed = p.end < t;
        for (ki, kr) in o.key_results.iter().enumerate() {
            let owner = o.kr_owner(kr);
            if !owner_ok(owner) || o.kr_drop(kr).is_some_and(|d| d.date <= t_k) {
                continue;
            }
            let team = o.team.as_str();
            let reference = o.kr_ref(kr);
            let obs = goals.observations(kr);
            let upto_t = upto(obs, t_k);
            let from = upto_t.partition_point(|c| c.date < p.start);
            let inside = &upto_t[from..];
            // Latency: its own check-ins (a `kpi:` key result has none).
            if kr.kpi.is_none() {
                let r = reference.to_string();
                for c in inside {
                    for orig in originals(c) {
                        latency(&mut groups, team, owner, &r, orig);
                    }
                }
            }
            let dates: Vec<Date> = inside.iter().map(|c| c.date).collect();
            let c = measures::cadence(&dates, p.start, t_k);
            groups.each(team, owner, |a| {
                a.first.extend(c.first_checkin_days);
                a.gaps.extend(c.median_gap);
                a.coverage.push(c.weekly_coverage);
            });
            if let KrMeasure::Metric { .. } = kr.kind {
                let written: Vec<&Revision> =
                    kr.revisions.iter().filter(|r| r.date <= t_k).collect();
                for r in &written {
                    changes.push(PlanChange::Revision {
                        reference: reference.clone(),
                        team: team.to_owned(),
                        date: r.date,
                        target: r.target,
                        start: r.start,
                        reason: r.reason.clone(),
                    });
                }
                let n = written.len();
                groups.each(team, owner, |a| a.moves.revisions += n);
                metric.insert(
                    (o.team.clone(), p.name.clone(), o.id.clone(), kr.id.clone()),
                    (reference.clone(), team, owner, p),
                );
            }
            if !closed {
                continue;
            }
            // Forecast skill, week by week (SPEC 14). A week's errors change only when an
            // observation or a revision comes between it and the one before, so a run of
            // weeks without one is counted at once: a period of any length costs one step per
            // observation and revision.
            if let Some(plan_end) = kr.measure_at(p.end).bounds() {
                let mut skill = Skill::default();
                let last = latest_value(obs, p.end);
                let mut events: Vec<Date> = obs.iter().map(|c| c.date).collect();
                events.extend(kr.revisions.iter().map(|r| r.date));
                events.sort_unstable();
                let mut w = p.start.add_days(7);
                while w < p.end {
                    let next = events
                        .get(events.partition_point(|d| *d <= w))
                        .map_or(p.end, |d| (*d).min(p.end));
                    // The weeks w + 7j before `next`: each sees what w sees.
                    let weeks = (w.days_until(next) - 1) / 7 + 1;
                    if let Some(f) = crate::score::forecast::forecast(kr.measure_at(w), p, obs, w)
                        && let Some(now) = latest_value(obs, w)
                    {
                        skill.add_weeks(plan_end, f.value, now, last, weeks as usize);
                    }
                    w = w.add_days(7 * weeks);
                }
                groups.each(team, owner, |a| a.skill.merge(&skill));
            }
            // Calibration (SPEC 7.0's pairs).
            let id = KrId {
                objective: ObjectiveId::new(oi),
                index: ki as u32,
            };
            let reached = card.kr(id).progress + 1e-9 >= 1.0;
            if let Some(b) = KrBrier::of(obs, p, reached) {
                groups.each(team, owner, |a| a.calibration.add(b));
            }
        }
    }
    // KPI check-ins dated inside a selected period, up to the as-of date.
    for k in &goals.kpis {
        if !team_ok(&k.team) || !owner_ok(k.owner.as_deref()) {
            continue;
        }
        let r = format!("{}/{}", k.team, k.id);
        for c in upto(&k.checkins, t) {
            let inside = periods
                .iter()
                .any(|p| p.start <= c.date && c.date <= t.min(p.end));
            if inside {
                for orig in originals(c) {
                    latency(&mut groups, &k.team, k.owner.as_deref(), &r, orig);
                }
            }
        }
    }
    // Plans edited in place while their period was open.
    if let Some(h) = history {
        for m in &h.moves {
            let Some((reference, team, owner, p)) = metric.get(&m.key) else {
                continue;
            };
            if m.date < p.start || m.date > p.end {
                continue;
            }
            let kind = if m.sizes.1 < m.sizes.0 - 1e-9 {
                MoveKind::Eased
            } else if m.sizes.1 > m.sizes.0 + 1e-9 {
                MoveKind::Raised
            } else {
                MoveKind::Shifted
            };
            groups.each(team, *owner, |a| {
                a.moves.in_place += 1;
                match kind {
                    MoveKind::Eased => a.moves.eased += 1,
                    MoveKind::Raised => a.moves.raised += 1,
                    MoveKind::Shifted => a.moves.shifted += 1,
                }
            });
            changes.push(PlanChange::InPlace {
                reference: reference.clone(),
                team: (*team).to_owned(),
                commit: m.commit.clone(),
                author: m.author.clone(),
                date: m.date,
                before: m.before,
                after: m.after,
                kind,
            });
        }
    }
    changes.sort_by_key(change_order);
    let Groups {
        teams,
        owners,
        overall,
    } = groups;
    Insights {
        as_of: t,
        any_closed: periods.iter().any(|p| p.end < t),
        periods: periods.into_iter().map(|p| p.name).collect(),
        history: history.is_some(),
        teams: teams.into_iter().map(|(k, a)| (k, summary(a))).collect(),
        overall: summary(overall),
        by_owner: owners.into_iter().map(|(k, a)| (k, summary(a))).collect(),
        changes,
        latency_histogram: histogram,
    }
}

fn change_order(c: &PlanChange) -> (String, String, Date) {
    match c {
        PlanChange::InPlace {
            team,
            reference,
            date,
            ..
        }
        | PlanChange::Revision {
            team,
            reference,
            date,
            ..
        } => (team.clone(), reference.to_string(), *date),
    }
}

/// The plain check-ins behind one in the model: itself, or what a correction replaced.
fn originals(c: &Checkin) -> Vec<&Checkin> {
    match c.correction() {
        None => vec![c],
        Some(k) => k.originals().collect(),
    }
}

fn key(c: &Checkin) -> ObsKey {
    match c.obs {
        Observation::Value(v) => ObsKey::value(v),
        Observation::Done(d) => ObsKey::Done(d),
    }
}

/// The value of the latest observation on or before `t`.
fn latest_value(obs: &[Checkin], t: Date) -> Option<f64> {
    upto(obs, t).iter().rev().find_map(|c| match c.obs {
        Observation::Value(v) => Some(v),
        Observation::Done(_) => None,
    })
}

fn summary(mut a: Acc) -> Summary {
    let n = a.latencies.len();
    let late = a.latencies.iter().filter(|l| **l > BACKFILLED_DAYS).count();
    Summary {
        latency_median: median(&mut a.latencies),
        backfilled: (n > 0).then(|| late as f64 / n as f64),
        latency_n: n,
        first_checkin_days: median(&mut a.first),
        median_gap: median(&mut a.gaps),
        weekly_coverage: median(&mut a.coverage),
        moves: a.moves,
        skill: a.skill.skill(),
        skill_n: a.skill.n,
        brier: a.calibration.score(),
        calibration_n: a.calibration.n,
        decomposition: a.calibration.bins.decompose(),
    }
}
