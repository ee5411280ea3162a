//! `insights` for a terminal: the measures overall and per team (per owner, naming people,
//! only with `--by-owner`), then each change of plan with its commit or its reason. The
//! phrases are shared with [`super::markdown`]. Repository text goes through [`safe::human`].

use super::{Insights, PlanChange, Summary};
use crate::text::{fixed, num, percent, plural, safe};
use std::fmt::Write as _;

fn h(s: &str) -> String {
    safe::human(s).into_owned()
}

fn days(x: f64) -> String {
    if (x - 1.0).abs() < 1e-12 {
        "1 day".to_owned()
    } else {
        format!("{} days", num(x))
    }
}

/// The five measures of a group as (label, phrase) lines.
pub(crate) fn lines(s: &Summary, any_closed: bool, history: bool) -> Vec<(&'static str, String)> {
    let latency = match (s.latency_median, s.backfilled) {
        (Some(m), Some(b)) => format!(
            "median {}, {} over a week late, {}",
            days(m),
            percent(b),
            plural(s.latency_n, "check-in")
        ),
        _ if !history => "– (no git history: not a repository, or a shallow clone)".to_owned(),
        _ => "– (no committed check-ins)".to_owned(),
    };
    let mut cadence = Vec::new();
    if let Some(f) = s.first_checkin_days {
        cadence.push(format!("first check-in after {}", days(f)));
    }
    if let Some(g) = s.median_gap {
        cadence.push(format!("median gap {}", days(g)));
    }
    if let Some(c) = s.weekly_coverage {
        cadence.push(format!("{} of weeks with a check-in", percent(c)));
    }
    let cadence = if cadence.is_empty() {
        "–".to_owned()
    } else {
        cadence.join(", ")
    };
    let m = &s.moves;
    let moves = format!(
        "{} in place ({} eased, {} raised, {} shifted), {} with a reason",
        plural(m.in_place, "edit"),
        m.eased,
        m.raised,
        m.shifted,
        plural(m.revisions, "revision"),
    );
    let skill = match s.skill {
        Some(k) => format!(
            "{} over {}",
            fixed(k, 2),
            plural(s.skill_n, "key-result week")
        ),
        None if !any_closed => "– (no closed period)".to_owned(),
        None if s.skill_n == 0 => "– (no forecast in a closed period)".to_owned(),
        None => format!(
            "– ({}: the naive forecast never erred)",
            plural(s.skill_n, "key-result week")
        ),
    };
    let calibration = match (s.brier, &s.decomposition) {
        (Some(b), Some(d)) => format!(
            "Brier {} (n = {}): reliability {}, resolution {}, uncertainty {}; {}",
            fixed(b, 2),
            s.calibration_n,
            fixed(d.reliability, 3),
            fixed(d.resolution, 3),
            fixed(d.uncertainty, 3),
            optimism(d.optimism)
        ),
        _ if !any_closed => "– (no closed period)".to_owned(),
        _ => "– (n = 0: no confidence given in a closed period)".to_owned(),
    };
    vec![
        ("Check-in latency", latency),
        ("Cadence", cadence),
        ("Plans moved", moves),
        ("Forecast skill", skill),
        ("Calibration", calibration),
    ]
}

/// "0.12 too hopeful" / "0.05 too cautious" / "no lean": the mean confidence less the
/// outcome rate.
pub(crate) fn optimism(x: f64) -> String {
    if x.abs() < 0.005 {
        "no lean".to_owned()
    } else if x > 0.0 {
        format!("{} too hopeful", fixed(x, 2))
    } else {
        format!("{} too cautious", fixed(-x, 2))
    }
}

/// How to read the figures, said once under them.
pub(crate) const LEGEND: &str =
    "Latency: days from a check-in's date to its commit. Skill: 1 is perfect, 0 no better
than assuming nothing moves. Brier: 0 is perfect, 0.25 is always saying 0.5; reliability 0
is best, higher resolution is better.";

/// One change of plan as a line (without the ref).
pub(crate) fn change(c: &PlanChange) -> String {
    match c {
        PlanChange::InPlace {
            commit,
            author,
            date,
            before,
            after,
            kind,
            ..
        } => {
            let mut parts = Vec::new();
            if before.0 != after.0 {
                parts.push(format!("start {} → {}", num(before.0), num(after.0)));
            }
            if before.1 != after.1 {
                parts.push(format!("target {} → {}", num(before.1), num(after.1)));
            }
            format!(
                "{date} {} in place by {} in {}: {}",
                kind.as_str(),
                h(author),
                &commit[..commit.len().min(7)],
                parts.join(", ")
            )
        }
        PlanChange::Revision {
            date,
            target,
            start,
            reason,
            ..
        } => {
            let mut parts = Vec::new();
            if let Some(s) = start {
                parts.push(format!("start → {}", num(*s)));
            }
            if let Some(t) = target {
                parts.push(format!("target → {}", num(*t)));
            }
            format!("{date} revised: {}: {}", parts.join(", "), h(reason))
        }
    }
}

pub(crate) fn reference(c: &PlanChange) -> &crate::model::Ref {
    match c {
        PlanChange::InPlace { reference, .. } | PlanChange::Revision { reference, .. } => reference,
    }
}

fn block(out: &mut String, title: &str, s: &Summary, r: &Insights) {
    let _ = writeln!(out, "\n{title}");
    for (label, phrase) in lines(s, r.any_closed, r.history) {
        let _ = writeln!(out, "  {label:<17} {phrase}");
    }
}

/// The insights for a terminal; `by_owner` adds a block per owner.
pub(crate) fn render(r: &Insights, by_owner: bool) -> String {
    let mut out = String::new();
    let periods = if r.periods.is_empty() {
        "no period".to_owned()
    } else {
        r.periods
            .iter()
            .map(|p| h(p))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(out, "Insights for {periods}, as of {}", r.as_of);
    block(&mut out, "Overall", &r.overall, r);
    if let Some(spread) = spread(r) {
        let _ = writeln!(out, "  {:<17} {spread}", "Latency spread");
    }
    for (team, s) in &r.teams {
        block(&mut out, &format!("Team {}", h(team)), s, r);
    }
    if by_owner {
        for (owner, s) in &r.by_owner {
            block(&mut out, &format!("Owner {}", h(owner)), s, r);
        }
    }
    if !r.changes.is_empty() {
        let _ = writeln!(out, "\nChanges of plan");
        for c in &r.changes {
            let _ = writeln!(out, "  {}  {}", h(&reference(c).to_string()), change(c));
        }
    }
    let _ = writeln!(out, "\n{LEGEND}");
    if !by_owner && !r.by_owner.is_empty() {
        let _ = writeln!(
            out,
            "\n{} measured; --by-owner shows each.",
            plural(r.by_owner.len(), "owner")
        );
    }
    out
}

/// The latency histogram as "same day 40, 1 day 12, …" (buckets with check-ins only).
pub(crate) fn spread(r: &Insights) -> Option<String> {
    let parts: Vec<String> = super::LATENCY_BUCKETS
        .iter()
        .zip(&r.latency_histogram)
        .filter(|(_, n)| **n > 0)
        .map(|((label, _, _), n)| format!("{label} {n}"))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}
