//! What needs someone (SPEC 12), computed once from a [`Scorecard`] as values that every
//! report lays out: when each key result's and KPI's next check-in is due, the attention
//! list (objectives and key results of open periods, and KPIs, each with every reason that
//! applies, most severe first), and the count of objectives per status for each open period
//! and team. Pure: no I/O, no clock.

use crate::date::Date;
use crate::model::{Goals, KeyResult, KpiId, KrId, Objective, ObjectiveId, Ref};
use crate::period::Period;
use crate::score::{KpiScore, KpiStatus, KrScore, Scorecard, Status};

/// Why an item is in the attention list, in order of severity (most severe first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    GuardrailBreached,
    KpiCritical,
    OffTrack,
    AtRisk,
    KpiWarning,
    KpiNoData,
    Stale,
    Overdue,
}

impl Reason {
    /// The word in JSON and in `status --attention`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::GuardrailBreached => "guardrail_breached",
            Reason::KpiCritical => "kpi_critical",
            Reason::OffTrack => "off_track",
            Reason::AtRisk => "at_risk",
            Reason::KpiWarning => "kpi_warning",
            Reason::KpiNoData => "kpi_no_data",
            Reason::Stale => "stale",
            Reason::Overdue => "overdue",
        }
    }

    /// In human outputs.
    pub fn label(self) -> &'static str {
        match self {
            Reason::GuardrailBreached => "guardrail breached",
            Reason::KpiCritical => "critical",
            Reason::OffTrack => "off track",
            Reason::AtRisk => "at risk",
            Reason::KpiWarning => "warning",
            Reason::KpiNoData => "no data",
            Reason::Stale => "stale",
            Reason::Overdue => "check-in overdue",
        }
    }
}

/// The item an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Objective(ObjectiveId),
    KeyResult(KrId),
    Kpi(KpiId),
}

impl Item {
    /// The word in JSON: `objective`, `key_result` or `kpi`.
    pub fn kind(self) -> &'static str {
        match self {
            Item::Objective(_) => "objective",
            Item::KeyResult(_) => "key_result",
            Item::Kpi(_) => "kpi",
        }
    }
}

/// One entry of the attention list.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub item: Item,
    pub reference: Ref,
    /// The key result's objective's owner, the KPI's owner (none when none is written).
    pub owner: Option<String>,
    /// Every reason that applies, most severe first; never empty.
    pub reasons: Vec<Reason>,
    pub checkin_due: Option<Date>,
}

impl Entry {
    /// Its reasons in words, most severe first: "off track, stale" (every human output).
    pub fn why(&self) -> String {
        let words: Vec<&str> = self.reasons.iter().map(|r| r.label()).collect();
        words.join(", ")
    }
}

/// When a key result's next check-in is due, while its period is open at `t`: its latest
/// check-in on or before `t` plus its cadence, or the period's start plus its cadence when it
/// has none. None for a milestone that is done, a dropped key result and a `kpi:` key result
/// (its KPI is asked).
pub(crate) fn kr_checkin_due(p: &Period, kr: &KeyResult, s: &KrScore, t: Date) -> Option<Date> {
    if !p.contains(t) || kr.kpi.is_some() || s.done == Some(true) || s.status == Status::Dropped {
        return None;
    }
    Some(
        s.last_checkin
            .unwrap_or(p.start)
            .add_days(kr.cadence.days()),
    )
}

/// When a KPI's next check-in is due: its latest check-in plus its cadence; none without
/// a check-in (it is `no_data`, which says more).
pub(crate) fn kpi_checkin_due(cadence_days: i64, s: &KpiScore) -> Option<Date> {
    s.last_checkin.map(|d| d.add_days(cadence_days))
}

/// Whether a check-in due on `due` is overdue at `t`.
pub(crate) fn overdue(due: Option<Date>, t: Date) -> bool {
    due.is_some_and(|d| d < t)
}

/// The attention list at `card.as_of` over `objectives` (those of open periods count) and
/// `kpis`, sorted by most severe reason, then by ref.
pub(crate) fn list(
    goals: &Goals,
    card: &Scorecard,
    objectives: &[ObjectiveId],
    kpis: &[KpiId],
) -> Vec<Entry> {
    let t = card.as_of;
    let mut out = Vec::new();
    for &id in objectives {
        let o = goals.objective(id);
        if !o.period.contains(t) {
            continue;
        }
        let s = card.objective(id);
        // A dropped objective (and so each of its key results) needs nobody any more.
        if s.status == Status::Dropped {
            continue;
        }
        if s.guardrail_breached {
            out.push(Entry {
                item: Item::Objective(id),
                reference: o.reference(),
                owner: o.owner.clone(),
                reasons: vec![Reason::GuardrailBreached],
                checkin_due: None,
            });
        }
        for (i, kr) in o.key_results.iter().enumerate() {
            let ks = &s.key_results[i];
            if let Some(e) = kr_entry(o, kr, ks, t) {
                out.push(e);
            }
        }
    }
    for &id in kpis {
        let k = goals.kpi(id);
        let s = card.kpi(id);
        let due = kpi_checkin_due(k.cadence.days(), s);
        let mut reasons = Vec::new();
        match s.status {
            KpiStatus::Critical => reasons.push(Reason::KpiCritical),
            KpiStatus::Warning => reasons.push(Reason::KpiWarning),
            KpiStatus::NoData => reasons.push(Reason::KpiNoData),
            KpiStatus::Healthy => {}
        }
        if s.stale {
            reasons.push(Reason::Stale);
        } else if overdue(due, t) {
            reasons.push(Reason::Overdue);
        }
        if !reasons.is_empty() {
            out.push(Entry {
                item: Item::Kpi(id),
                reference: k.reference(),
                owner: k.owner.clone(),
                reasons,
                checkin_due: due,
            });
        }
    }
    out.sort_by_cached_key(|e| (e.reasons[0], e.reference.to_string()));
    out
}

fn kr_entry(o: &Objective, kr: &KeyResult, s: &KrScore, t: Date) -> Option<Entry> {
    let due = kr_checkin_due(&o.period, kr, s, t);
    let mut reasons = Vec::new();
    match s.status {
        Status::OffTrack => reasons.push(Reason::OffTrack),
        Status::AtRisk => reasons.push(Reason::AtRisk),
        _ => {}
    }
    // A `kpi:` key result's staleness is its KPI's, reported there once.
    if kr.kpi.is_none() {
        if s.stale {
            reasons.push(Reason::Stale);
        } else if overdue(due, t) {
            reasons.push(Reason::Overdue);
        }
    }
    (!reasons.is_empty()).then(|| Entry {
        item: Item::KeyResult(s.id),
        reference: o.kr_ref(kr),
        owner: o.kr_owner(kr).map(str::to_owned),
        reasons,
        checkin_due: due,
    })
}

/// For one open period and team, how many objectives have each status.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamSummary {
    pub period: String,
    pub team: String,
    /// Statuses that occur, in [`Status::ALL`] order, with their counts.
    pub counts: Vec<(Status, usize)>,
}

/// [`TeamSummary`] of each open period and team among `objectives`, by period (ending soonest
/// first) and team.
pub(crate) fn summary(
    goals: &Goals,
    card: &Scorecard,
    objectives: &[ObjectiveId],
) -> Vec<TeamSummary> {
    let t = card.as_of;
    // (the period's end, its name, the team) and the statuses of its objectives.
    type Group<'g> = ((Date, &'g str, &'g str), Vec<Status>);
    let mut at: std::collections::HashMap<(Date, &str, &str), usize> = Default::default();
    let mut groups: Vec<Group> = Vec::new();
    for &id in objectives {
        let o = goals.objective(id);
        if !o.period.contains(t) {
            continue;
        }
        let key = (o.period.end, o.period.name.as_str(), o.team.as_str());
        let status = card.objective(id).status;
        let i = *at.entry(key).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push(status);
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    groups
        .into_iter()
        .map(|((_, period, team), statuses)| TeamSummary {
            period: period.to_owned(),
            team: team.to_owned(),
            counts: Status::ALL
                .iter()
                .map(|&st| (st, statuses.iter().filter(|&&x| x == st).count()))
                .filter(|&(_, n)| n > 0)
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_ordered_by_severity() {
        let mut r = [
            Reason::Overdue,
            Reason::KpiNoData,
            Reason::AtRisk,
            Reason::GuardrailBreached,
            Reason::Stale,
            Reason::KpiCritical,
            Reason::KpiWarning,
            Reason::OffTrack,
        ];
        r.sort();
        let words: Vec<&str> = r.iter().map(|r| r.as_str()).collect();
        assert_eq!(
            words,
            [
                "guardrail_breached",
                "kpi_critical",
                "off_track",
                "at_risk",
                "kpi_warning",
                "kpi_no_data",
                "stale",
                "overdue"
            ]
        );
    }

    #[test]
    fn overdue_is_strictly_after_the_due_date() {
        let d = |s: &str| Date::parse(s).expect("a date");
        assert!(!overdue(Some(d("2026-11-15")), d("2026-11-15")));
        assert!(overdue(Some(d("2026-11-15")), d("2026-11-16")));
        assert!(!overdue(None, d("2026-11-16")));
    }
}
