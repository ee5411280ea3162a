//! Markdown for GitHub (pull-request comments, job summaries, wikis): `status --format
//! markdown` (tables per period and team, then KPIs) and `report --format markdown` (a
//! summary, then per period and team an objective table with the key results folded in a
//! `<details>` block, then KPIs per team). Every piece of repository text goes through
//! [`safe::markdown`], so a title cannot ping people, load an image, open HTML or break a
//! table or heading. Documents stay within GitHub's comment limit ([`fit`]).

use super::text::{kpi_emoji, score, sparkline, status_emoji, trend_arrow};
use super::view::{KpiRow, KrRow, ObjectiveRow, StatusView, Summary};
use crate::model::*;
use crate::text::{num, plural, safe};

/// GitHub's limit on a comment body, in characters. Documents count bytes against it,
/// which is never fewer than characters, so they fit either way.
pub const GITHUB_LIMIT: usize = 65_536;

/// Repository text as inline Markdown.
fn md(s: &str) -> String {
    safe::markdown(s)
}

/// A part of a document that is kept or cut whole, with what it holds (for the note that
/// says what was cut).
pub struct Section {
    pub text: String,
    /// What the section holds, such as (3, "objective") — counted in the truncation note.
    pub items: Vec<(usize, &'static str)>,
}

/// `head`, then as many whole sections as fit within `limit` bytes; when some do not fit, a
/// note says how many items were left out and where to see everything (`hint`).
pub fn fit(head: String, sections: Vec<Section>, limit: usize, hint: &str) -> String {
    // Room for the truncation note, which is short.
    const NOTE_ROOM: usize = 500;
    let total: usize = head.len() + sections.iter().map(|s| s.text.len() + 1).sum::<usize>();
    let mut out = head;
    if total <= limit {
        for s in &sections {
            out.push('\n');
            out.push_str(&s.text);
        }
        return out;
    }
    for (n, s) in sections.iter().enumerate() {
        if out.len() + s.text.len() + 1 + NOTE_ROOM > limit {
            let left = &sections[n..];
            let mut counts: Vec<(usize, &'static str)> = Vec::new();
            for (k, word) in left.iter().flat_map(|s| s.items.iter()) {
                match counts.iter_mut().find(|(_, w)| w == word) {
                    Some(c) => c.0 += k,
                    None => counts.push((*k, word)),
                }
            }
            let what: Vec<String> = counts
                .iter()
                .filter(|(k, _)| *k > 0)
                .map(|&(k, w)| plural(k, w))
                .collect();
            out.push_str(&format!(
                "\n> [!NOTE]\n> Truncated to stay under GitHub's {limit}-character limit: {} left out \
                 ({}). {hint}\n",
                what.join(" and "),
                plural(left.len(), "section"),
            ));
            return out;
        }
        out.push('\n');
        out.push_str(&s.text);
    }
    out
}

/// The detail cell of a key result: its numbers, confidence, last check-in, staleness, and
/// the forecast in its units.
fn kr_detail(kr: &KrRow) -> String {
    let s = kr.score;
    let mut d = vec![md(&kr.measure())];
    if let Some(c) = s.confidence {
        d.push(format!("confidence {}", num(c)));
    }
    if let Some(l) = s.last_checkin {
        d.push(format!("last {l}"));
    }
    if s.stale {
        d.push("⚠️ stale".to_owned());
    }
    if let Some(f) = kr.forecast_words() {
        d.push(format!("forecast {}", md(&f)));
    }
    d.join(" · ")
}

/// The notes cell of an objective: breached guardrails, commitment, owner.
fn objective_notes(o: &ObjectiveRow) -> String {
    let mut notes: Vec<String> = o
        .breached()
        .map(|g| format!("⚠️ guardrail `{}` breached", g.kpi.reference()))
        .collect();
    if o.objective.commitment == Commitment::Committed {
        notes.push("committed".to_owned());
    }
    if let Some(owner) = &o.objective.owner {
        notes.push(format!("owner {}", md(owner)));
    }
    notes.join(" · ")
}

fn objective_row(o: &ObjectiveRow) -> String {
    format!(
        "| **{}** {} | **{}** | {} | {} | {} | {} |\n",
        o.reference(),
        md(&o.objective.title),
        score(o.score.score),
        score(o.score.expected),
        o.forecast_cell(),
        status_emoji(o.score.status),
        objective_notes(o)
    )
}

/// "_2026-10-01 to 2026-12-31, 49% of the period elapsed_"
fn period_line(first: &ObjectiveRow) -> String {
    let p = &first.objective.period;
    format!(
        "_{} to {}, {} of the period elapsed_",
        p.start,
        p.end,
        first.elapsed()
    )
}

const KPI_HEADER: &str = "| KPI | Value | Target / critical | Status | Trend | Recent | Last check-in |\n\
                          |---|---:|---|---|---|---|---|\n";

fn kpi_row(k: &KpiRow) -> String {
    let s = k.score;
    let mut last = s.last_checkin.map_or(String::new(), |d| d.to_string());
    if s.stale {
        last.push_str(" ⚠️ stale");
    }
    format!(
        "| **{}** {} | {} | {} | {} | {} | {} | {} |\n",
        k.reference(),
        md(&k.kpi.title),
        md(&k.value()),
        md(&k.thresholds()),
        kpi_emoji(s.status),
        trend_arrow(k.trend(), k.kpi.better),
        sparkline(&k.recent_values(), 12),
        last
    )
}

/// `status --format markdown`: one table per period and team, then a KPI table.
pub fn status(view: &StatusView, limit: usize) -> String {
    let head = format!("## Goals as of {}\n\n", view.as_of);
    let mut sections = Vec::new();
    for group in view.sections() {
        let first = &group[0];
        let mut text = format!(
            "### {} · {}\n\n{}\n\n| Objective / key result | Score | Expected | Forecast | Status | Detail |\n|---|---:|---:|---:|---|---|\n",
            md(&first.objective.period.name),
            md(&first.objective.team),
            period_line(first),
        );
        for o in group {
            text.push_str(&objective_row(o));
            for kr in &o.key_results {
                text.push_str(&format!(
                    "| ↳ `{}` {} | {} | | {} | {} | {} |\n",
                    kr.kr.id,
                    md(&kr.kr.title),
                    score(kr.score.progress),
                    kr.forecast_cell(),
                    status_emoji(kr.score.status),
                    kr_detail(kr)
                ));
            }
        }
        sections.push(Section {
            text,
            items: vec![(group.len(), "objective")],
        });
    }
    if !view.kpis.is_empty() {
        let mut text = format!("### KPIs\n\n{KPI_HEADER}");
        for k in &view.kpis {
            text.push_str(&kpi_row(k));
        }
        sections.push(Section {
            text,
            items: vec![(view.kpis.len(), "KPI")],
        });
    }
    let mut head = head;
    if view.objectives.is_empty() && view.kpis.is_empty() {
        head.push_str("_No objectives or KPIs match._\n");
    }
    fit(
        head,
        sections,
        limit,
        "Run `goalpost status` or `goalpost report --format html` for everything.",
    )
}

/// `report --format markdown`: a whole document for a pull-request comment or a job
/// summary, within `limit` bytes.
pub fn report(view: &StatusView, limit: usize) -> String {
    let mut head = format!("# Goals report as of {}\n\n", view.as_of);
    head.push_str(&summary(&view.summary(), !view.kpis.is_empty()));
    let mut sections: Vec<Section> = view
        .sections()
        .into_iter()
        .map(|group| Section {
            text: team_section(group),
            items: vec![(group.len(), "objective")],
        })
        .collect();
    for (n, group) in view.kpi_sections().into_iter().enumerate() {
        let heading = if n == 0 { "## KPIs\n\n" } else { "" };
        let mut text = format!("{heading}### {}\n\n{KPI_HEADER}", md(&group[0].kpi.team));
        for k in group {
            text.push_str(&kpi_row(k));
        }
        sections.push(Section {
            text,
            items: vec![(group.len(), "KPI")],
        });
    }
    if view.objectives.is_empty() && view.kpis.is_empty() {
        head.push_str("_No objectives or KPIs match._\n");
    }
    fit(
        head,
        sections,
        limit,
        "Run `goalpost report --format html` or `goalpost status` for everything.",
    )
}

fn summary(s: &Summary, with_kpis: bool) -> String {
    fn counts<S: Copy>(list: &[(S, usize)], word: fn(S) -> &'static str) -> String {
        list.iter()
            .map(|&(st, n)| format!("{} {n}", word(st)))
            .collect::<Vec<_>>()
            .join(" · ")
    }
    let mut out = String::from("| | Count | Status |\n|---|---:|---|\n");
    let breached = if s.breached > 0 {
        format!(" · ⚠️ {} guardrail breached", s.breached)
    } else {
        String::new()
    };
    if s.objectives > 0 || !with_kpis {
        out.push_str(&format!(
            "| Objectives | {} | {}{breached} |\n",
            s.objectives,
            counts(&s.objective_statuses, status_emoji),
        ));
        out.push_str(&format!(
            "| Key results | {} | {} |\n",
            s.key_results,
            counts(&s.kr_statuses, status_emoji)
        ));
    }
    if with_kpis || s.objectives == 0 {
        out.push_str(&format!(
            "| KPIs | {} | {} |\n",
            s.kpis,
            counts(&s.kpi_statuses, kpi_emoji)
        ));
    }
    out
}

fn team_section(group: &[ObjectiveRow]) -> String {
    let first = &group[0];
    let mut out = format!(
        "## {} · {}\n\n{}\n\n\
         | Objective | Score | Expected | Forecast | Status | Notes |\n|---|---:|---:|---:|---|---|\n",
        md(&first.objective.period.name),
        md(&first.objective.team),
        period_line(first),
    );
    for o in group {
        out.push_str(&objective_row(o));
    }
    let krs: usize = group.iter().map(|o| o.key_results.len()).sum();
    out.push_str(&format!(
        "\n<details><summary>Key results ({krs})</summary>\n\n\
         | Key result | Progress | Forecast | Status | Detail |\n|---|---:|---:|---|---|\n"
    ));
    for o in group {
        for kr in &o.key_results {
            out.push_str(&format!(
                "| `{}` {} | {} | {} | {} | {} |\n",
                kr.reference(),
                md(&kr.kr.title),
                score(kr.score.progress),
                kr.forecast_cell(),
                status_emoji(kr.score.status),
                kr_detail(kr)
            ));
        }
    }
    out.push_str("\n</details>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_whole_sections_and_says_so() {
        let sections = (0..10)
            .map(|i| Section {
                text: format!("section {i} {}\n", "x".repeat(100)),
                items: vec![(2, "objective")],
            })
            .collect();
        let out = fit("head\n".into(), sections, 1000, "See more.");
        assert!(out.len() <= 1000, "{}", out.len());
        assert!(out.contains("section 0"));
        assert!(!out.contains("section 9"));
        assert!(out.contains("objectives left out"), "{out}");
        assert!(out.contains("See more."));
    }
}
