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
        // A title such as `<details>` would otherwise be read as HTML by GitHub.
        .replace('<', "&lt;")
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

/// GitHub's limit on a comment body, in characters. The report counts bytes against it,
/// which is never fewer than characters, so it fits either way.
pub const GITHUB_LIMIT: usize = 65_536;

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `goalpost report --format markdown`: a whole document for a pull-request comment or a job
/// summary. A summary, then per period and team an objective table with the key results in
/// a `<details>` block, then the KPIs per team. When the document would pass `limit`
/// bytes it stops at a section boundary and says how much it left out.
pub fn report(
    goals: &Goals,
    card: &Scorecard,
    objectives: &[usize],
    kpis: &[usize],
    limit: usize,
) -> String {
    let mut head = format!("# Goals report as of {}\n\n", card.as_of);
    head.push_str(&summary(card, objectives, kpis));
    // Each section with the number of objectives and KPIs it holds.
    let mut sections: Vec<(String, usize, usize)> = Vec::new();
    let mut start = 0;
    while start < objectives.len() {
        let first = &goals.objectives[objectives[start]];
        let end = objectives[start..]
            .iter()
            .position(|&i| {
                let o = &goals.objectives[i];
                o.period.name != first.period.name || o.team != first.team
            })
            .map_or(objectives.len(), |n| start + n);
        let group = &objectives[start..end];
        sections.push((team_section(goals, card, group), group.len(), 0));
        start = end;
    }
    let mut kpi_start = 0;
    while kpi_start < kpis.len() {
        let team = &goals.kpis[kpis[kpi_start]].team;
        let end = kpis[kpi_start..]
            .iter()
            .position(|&i| goals.kpis[i].team != *team)
            .map_or(kpis.len(), |n| kpi_start + n);
        let heading = if kpi_start == 0 { "## KPIs\n\n" } else { "" };
        sections.push((
            format!(
                "{heading}{}",
                kpi_section(goals, card, &kpis[kpi_start..end])
            ),
            0,
            end - kpi_start,
        ));
        kpi_start = end;
    }
    if objectives.is_empty() && kpis.is_empty() {
        head.push_str("_No objectives or KPIs match._\n");
    }
    // Room for the truncation note, which is short.
    const NOTE_ROOM: usize = 400;
    let mut out = head;
    let mut used = out.len();
    for (n, (text, _, _)) in sections.iter().enumerate() {
        let len = text.len() + 1;
        let rest_fits = used + sections[n..].iter().map(|s| s.0.len() + 1).sum::<usize>() <= limit;
        if !rest_fits && used + len + NOTE_ROOM > limit {
            let left = &sections[n..];
            let objs: usize = left.iter().map(|s| s.1).sum();
            let ks: usize = left.iter().map(|s| s.2).sum();
            let mut what = Vec::new();
            if objs > 0 {
                what.push(plural(objs, "objective"));
            }
            if ks > 0 {
                what.push(plural(ks, "KPI"));
            }
            out.push_str(&format!(
                "\n> [!NOTE]\n> Truncated to stay under GitHub's {limit}-character limit: {} left out \
                 ({}). Run `goalpost report --format html` or `goalpost status` for everything.\n",
                what.join(" and "),
                plural(left.len(), "section"),
            ));
            return out;
        }
        out.push('\n');
        out.push_str(text);
        used += len;
    }
    out
}

fn summary(card: &Scorecard, objectives: &[usize], kpis: &[usize]) -> String {
    use crate::score::{KpiStatus, Status};
    let count = |statuses: Vec<Status>| -> String {
        Status::ALL
            .iter()
            .filter_map(|&s| {
                let n = statuses.iter().filter(|&&x| x == s).count();
                (n > 0).then(|| format!("{} {n}", status_emoji(s)))
            })
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let obj: Vec<Status> = objectives
        .iter()
        .map(|&i| card.objectives[i].status)
        .collect();
    let krs: Vec<Status> = objectives
        .iter()
        .flat_map(|&i| card.objectives[i].key_results.iter().map(|k| k.status))
        .collect();
    let breached = objectives
        .iter()
        .filter(|&&i| card.objectives[i].guardrail_breached)
        .count();
    let kstat = [
        KpiStatus::Healthy,
        KpiStatus::Warning,
        KpiStatus::Critical,
        KpiStatus::NoData,
    ]
    .iter()
    .filter_map(|&s| {
        let n = kpis.iter().filter(|&&i| card.kpis[i].status == s).count();
        (n > 0).then(|| format!("{} {n}", kpi_emoji(s)))
    })
    .collect::<Vec<_>>()
    .join(" · ");
    let mut out = String::from("| | Count | Status |\n|---|---:|---|\n");
    out.push_str(&format!(
        "| Objectives | {} | {}{} |\n",
        obj.len(),
        count(obj),
        if breached > 0 {
            format!(" · ⚠️ {breached} guardrail breached")
        } else {
            String::new()
        }
    ));
    out.push_str(&format!(
        "| Key results | {} | {} |\n",
        krs.len(),
        count(krs)
    ));
    out.push_str(&format!("| KPIs | {} | {kstat} |\n", kpis.len()));
    out
}

fn team_section(goals: &Goals, card: &Scorecard, group: &[usize]) -> String {
    let first = &goals.objectives[group[0]];
    let p = &first.period;
    let mut out = format!(
        "## {} · {}\n\n_{} to {}, {:.0}% of the period elapsed_\n\n\
         | Objective | Score | Expected | Status | Notes |\n|---|---:|---:|---|---|\n",
        cell(&p.name),
        cell(&first.team),
        p.start,
        p.end,
        card.objectives[group[0]].expected * 100.0
    );
    for &i in group {
        let o = &goals.objectives[i];
        let s = &card.objectives[i];
        let mut notes = Vec::new();
        for &g in &o.guardrails {
            if let (Some(k), Some(ks)) = (goals.kpis.get(g), card.kpis.get(g))
                && ks.status == crate::score::KpiStatus::Critical
            {
                notes.push(format!("⚠️ guardrail `{}` breached", k.reference()));
            }
        }
        if o.commitment == Commitment::Committed {
            notes.push("committed".to_owned());
        }
        if let Some(owner) = &o.owner {
            notes.push(format!("owner {}", cell(owner)));
        }
        out.push_str(&format!(
            "| **{}** {} | **{}** | {} | {} | {} |\n",
            o.reference(),
            cell(&o.title),
            score(s.score),
            score(s.expected),
            status_emoji(s.status),
            notes.join(" · ")
        ));
    }
    let krs: usize = group
        .iter()
        .map(|&i| goals.objectives[i].key_results.len())
        .sum();
    out.push_str(&format!(
        "\n<details><summary>Key results ({krs})</summary>\n\n\
         | Key result | Progress | Status | Detail |\n|---|---:|---|---|\n"
    ));
    for &i in group {
        let o = &goals.objectives[i];
        for (kr, ks) in o.key_results.iter().zip(&card.objectives[i].key_results) {
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
                "| `{}/{}` {} | {} | {} | {} |\n",
                o.reference(),
                kr.id,
                cell(&kr.title),
                score(ks.progress),
                status_emoji(ks.status),
                d.join(" · ")
            ));
        }
    }
    out.push_str("\n</details>\n");
    out
}

fn kpi_section(goals: &Goals, card: &Scorecard, group: &[usize]) -> String {
    let mut out = format!(
        "### {}\n\n| KPI | Value | Target / critical | Status | Trend | Recent | Last check-in |\n\
         |---|---:|---|---|---|---|---|\n",
        cell(&goals.kpis[group[0]].team)
    );
    for &i in group {
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
                .map_or("–".to_owned(), |v| cell(&with_unit(v, unit))),
            th,
            kpi_emoji(s.status),
            trend_arrow(s.trend),
            sparkline(&values(upto(&k.checkins, card.as_of)), 12),
            last
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table_or_open_html() {
        assert_eq!(cell("a|b\nc <details>"), "a\\|b c &lt;details>");
    }
}
