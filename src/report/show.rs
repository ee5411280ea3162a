//! `goalpost show`: one item in depth, as text.

use super::table::kr_detail;
use super::text::*;
use crate::model::*;
use crate::score::{Scorecard, observations};

/// What `show` displays (indexes into `Goals`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Objective(usize),
    KeyResult(usize, usize),
    Kpi(usize),
}

fn field(out: &mut String, name: &str, value: impl std::fmt::Display) {
    out.push_str(&format!("  {name:<14}{value}\n"));
}

/// Who made a check-in written without `by` (from git blame), if known.
pub type Authors<'a> = &'a dyn Fn(&Checkin) -> Option<String>;

fn history(out: &mut String, checkins: &[Checkin], as_of: Date, unit: &str, authors: Authors) {
    if checkins.is_empty() {
        out.push_str("\ncheck-ins: none yet\n");
        return;
    }
    let seen = upto(checkins, as_of);
    out.push_str(&format!(
        "\ncheck-ins ({})  {}\n",
        checkins.len(),
        sparkline(&values(seen), 24)
    ));
    for c in checkins {
        let what = match c.obs {
            Observation::Value(v) => with_unit(v, unit.trim()),
            Observation::Done(true) => "done".to_owned(),
            Observation::Done(false) => "not done".to_owned(),
        };
        let mut line = format!("  {}  {what:>12}", c.date);
        if let Some(conf) = c.confidence {
            line.push_str(&format!("  confidence {}", num(conf)));
        }
        if let Some(by) = c.by() {
            line.push_str(&format!("  by {by}"));
        } else if let Some(by) = authors(c) {
            line.push_str(&format!("  by {by} (git)"));
        }
        if let Some(note) = c.note() {
            line.push_str(&format!("  — {note}"));
        }
        if c.date > as_of {
            line.push_str("  (after the as-of date: ignored)");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

pub fn render(goals: &Goals, card: &Scorecard, target: Target) -> String {
    render_with(goals, card, target, &|_| None)
}

/// The check-ins `show` lists for a target (a KPI-linked key result shows its KPI's).
pub fn checkins_of(goals: &Goals, target: Target) -> &[Checkin] {
    match target {
        Target::Objective(_) => &[],
        Target::KeyResult(i, r) => observations(&goals.objectives[i].key_results[r], goals),
        Target::Kpi(k) => &goals.kpis[k].checkins,
    }
}

/// [`render`], naming the authors of check-ins without `by` through `authors`.
pub fn render_with(goals: &Goals, card: &Scorecard, target: Target, authors: Authors) -> String {
    let mut out = String::new();
    match target {
        Target::Objective(i) => {
            let o = &goals.objectives[i];
            let s = &card.objectives[i];
            out.push_str(&format!("objective {}\n{}\n\n", o.reference(), o.title));
            field(
                &mut out,
                "period",
                format!("{} ({} to {})", o.period.name, o.period.start, o.period.end),
            );
            field(&mut out, "owner", o.owner.as_deref().unwrap_or("–"));
            field(&mut out, "commitment", o.commitment.as_str());
            if let Some((p, _)) = &o.parent {
                field(&mut out, "parent", p);
            }
            let children: Vec<String> = goals
                .objectives
                .iter()
                .filter(|c| c.parent.as_ref().is_some_and(|(_, j)| *j == i))
                .map(Objective::reference)
                .collect();
            if !children.is_empty() {
                field(&mut out, "children", children.join(", "));
            }
            field(
                &mut out,
                "score",
                format!("{}  {}", score(s.score), bar(s.score, 20)),
            );
            field(&mut out, "expected", score(s.expected));
            field(&mut out, "status", s.status.label());
            for &k in &o.guardrails {
                let kp = &goals.kpis[k];
                field(
                    &mut out,
                    "guardrail",
                    format!("{} ({})", kp.reference(), card.kpis[k].status.label()),
                );
            }
            out.push_str("\nkey results\n");
            for (kr, ks) in o.key_results.iter().zip(&s.key_results) {
                out.push_str(&format!(
                    "  {:<20} {}  {:<10} {}{}\n",
                    kr.id,
                    score(ks.progress),
                    ks.status.label(),
                    kr_detail(kr, ks),
                    if ks.stale { "  ⚠ stale" } else { "" }
                ));
            }
        }
        Target::KeyResult(i, r) => {
            let o = &goals.objectives[i];
            let kr = &o.key_results[r];
            let ks = &card.objectives[i].key_results[r];
            out.push_str(&format!(
                "key result {}/{}\n{}\n\n",
                o.reference(),
                kr.id,
                kr.title
            ));
            field(
                &mut out,
                "objective",
                format!("{} ({})", o.reference(), o.period.name),
            );
            field(&mut out, "kind", kr.kind.kind().as_str());
            field(&mut out, "measure", kr_detail(kr, ks));
            field(&mut out, "weight", num(kr.weight));
            if let Some(k) = kr.kpi {
                field(&mut out, "from KPI", goals.kpis[k].reference());
            }
            field(
                &mut out,
                "progress",
                format!("{}  {}", score(ks.progress), bar(ks.progress, 20)),
            );
            field(&mut out, "expected", score(card.objectives[i].expected));
            field(&mut out, "status", ks.status.label());
            field(
                &mut out,
                "confidence",
                ks.confidence.map_or("–".to_owned(), num),
            );
            field(
                &mut out,
                "last check-in",
                ks.last_checkin.map_or("–".to_owned(), |d| d.to_string()),
            );
            if ks.stale {
                field(&mut out, "stale", "yes: check in soon");
            }
            let unit = kr
                .unit
                .as_deref()
                .map(|u| format!(" {u}"))
                .unwrap_or_default();
            history(
                &mut out,
                observations(kr, goals),
                card.as_of,
                &unit,
                authors,
            );
        }
        Target::Kpi(k) => {
            let kp = &goals.kpis[k];
            let s = &card.kpis[k];
            let unit = kp.unit.as_deref().unwrap_or("");
            out.push_str(&format!("KPI {}\n{}\n\n", kp.reference(), kp.title));
            field(&mut out, "better", kp.better.as_str());
            field(&mut out, "target", with_unit(kp.target, unit));
            if let Some(c) = kp.critical {
                field(&mut out, "critical", with_unit(c, unit));
            }
            field(&mut out, "cadence", kp.cadence.as_str());
            field(&mut out, "owner", kp.owner.as_deref().unwrap_or("–"));
            field(
                &mut out,
                "value",
                s.value
                    .map_or("–".to_owned(), |v| format!("{}{unit}", num(v))),
            );
            field(&mut out, "status", s.status.label());
            field(&mut out, "trend", trend_arrow(s.trend));
            if s.stale {
                field(&mut out, "stale", "yes: check in soon");
            }
            let users: Vec<String> = goals
                .objectives
                .iter()
                .flat_map(|o| {
                    o.key_results
                        .iter()
                        .filter(|kr| kr.kpi == Some(k))
                        .map(move |kr| format!("{}/{}", o.reference(), kr.id))
                })
                .collect();
            if !users.is_empty() {
                field(&mut out, "metric of", users.join(", "));
            }
            history(&mut out, &kp.checkins, card.as_of, unit, authors);
        }
    }
    out
}
