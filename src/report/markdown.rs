//! `status --format markdown`: tables a pull-request comment or wiki page can hold.

use super::table::kr_detail;
use super::text::*;
use crate::model::*;
use crate::score::Scorecard;

/// Escapes text for a Markdown table cell.
pub fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
        .replace('\r', "")
}

/// One table per period and team, then a KPI table.
pub fn status(goals: &Goals, card: &Scorecard, objectives: &[usize], kpis: &[usize]) -> String {
    let mut out = format!("## Goals as of {}\n\n", card.as_of);
    let mut current: Option<(&str, &str)> = None;
    for &i in objectives {
        let o = &goals.objectives[i];
        let s = &card.objectives[i];
        if current != Some((o.period.name.as_str(), o.team.as_str())) {
            current = Some((&o.period.name, &o.team));
            out.push_str(&format!(
                "\n### {} · {}\n\n_{} to {}, {:.0}% of the period elapsed_\n\n| Objective / key result | Score | Expected | Status | Detail |\n|---|---:|---:|---|---|\n",
                o.period.name, o.team, o.period.start, o.period.end, s.expected * 100.0
            ));
        }
        let mut detail = Vec::new();
        if s.guardrail_breached {
            detail.push("⚠️ guardrail breached".to_owned());
        }
        if o.commitment == Commitment::Committed {
            detail.push("committed".to_owned());
        }
        if let Some(owner) = &o.owner {
            detail.push(format!("owner {}", cell(owner)));
        }
        out.push_str(&format!(
            "| **{}** {} | **{}** | {} | {} | {} |\n",
            o.reference(),
            cell(&o.title),
            score(s.score),
            score(s.expected),
            status_emoji(s.status),
            detail.join(" · ")
        ));
        for (kr, ks) in o.key_results.iter().zip(&s.key_results) {
            let mut d = vec![cell(&kr_detail(kr, ks))];
            if let Some(c) = ks.confidence {
                d.push(format!("confidence {}", num(c)));
            }
            if let Some(l) = ks.last_checkin {
                d.push(format!("last {l}"));
            }
            if ks.stale {
                d.push("⚠️ stale".to_owned());
            }
            out.push_str(&format!(
                "| ↳ `{}` {} | {} | | {} | {} |\n",
                kr.id,
                cell(&kr.title),
                score(ks.progress),
                status_emoji(ks.status),
                d.join(" · ")
            ));
        }
    }
    if !kpis.is_empty() {
        out.push_str("\n### KPIs\n\n| KPI | Value | Target / critical | Status | Trend | Recent | Last check-in |\n|---|---:|---|---|---|---|---|\n");
        for &i in kpis {
            let k = &goals.kpis[i];
            let s = &card.kpis[i];
            let unit = k.unit.as_deref().unwrap_or("");
            let cmp = if k.better == Better::Lower {
                "≤"
            } else {
                "≥"
            };
            let mut th = format!("{cmp} {}", cell(&with_unit(k.target, unit)));
            if let Some(c) = k.critical {
                th.push_str(&format!(" / {}", cell(&with_unit(c, unit))));
            }
            let mut last = s.last_checkin.map_or(String::new(), |d| d.to_string());
            if s.stale {
                last.push_str(" ⚠️ stale");
            }
            out.push_str(&format!(
                "| **{}** {} | {} | {} | {} | {} | {} | {} |\n",
                k.reference(),
                cell(&k.title),
                s.value
                    .map_or("–".to_owned(), |v| format!("{}{}", num(v), cell(unit))),
                th,
                kpi_emoji(s.status),
                trend_arrow(s.trend),
                sparkline(&values(upto(&k.checkins, card.as_of)), 12),
                last
            ));
        }
    }
    if objectives.is_empty() && kpis.is_empty() {
        out.push_str("_No objectives or KPIs match._\n");
    }
    out
}
