//! Markdown for GitHub (pull-request comments, job summaries, wikis): `status --format
//! markdown` (tables per period and team, then KPIs) and `report --format markdown` (a
//! summary, then per period and team an objective table with the key results folded in a
//! `<details>` block, then KPIs per team). Every piece of repository text goes through
//! [`safe::markdown`], so a title cannot ping people, load an image, open HTML or break a
//! table or heading. Documents stay within GitHub's comment limit ([`crate::text::fit`]).

use super::text::{kpi_emoji, score, sparkline, status_emoji, trend_arrow};
use super::view::{
    KpiNotes, KpiRow, KrNotes, KrRow, ObjectiveNotes, ObjectiveRow, Phase, StatusView, Summary,
};
use crate::score::Status;
use crate::text::{num, safe};

use crate::text::fit::Document;

/// Repository text as inline Markdown.
fn md(s: &str) -> String {
    safe::markdown(s)
}

/// The detail cell of a key result: its numbers, confidence, last check-in, staleness, and
/// the forecast in its units.
fn kr_detail(kr: &KrRow) -> String {
    let KrNotes {
        measure,
        kpi: _,       // in `show` and HTML
        due: _,       // in the measure
        last_note: _, // too long for a cell
        confidence,
        last_checkin,
        stale,
        change,
        forecast,
        owner,
        cadence,
        description: _, // in `show` and HTML: too long for a cell
        revisions,
        dropped,
    } = kr.notes();
    let mut d = vec![md(&measure)];
    if let Some(dropped) = dropped {
        d.push(format!("⊘ {}", md(&dropped)));
    }
    for r in revisions {
        d.push(format!("↺ {}", md(&r)));
    }
    if let Some(o) = owner {
        d.push(format!("owner {}", md(o)));
    }
    if let Some(c) = cadence {
        d.push(format!("checked in {c}"));
    }
    if let Some(c) = confidence {
        d.push(format!("confidence {}", num(c)));
    }
    if let Some(l) = last_checkin {
        d.push(format!("last {l}"));
    }
    if stale {
        d.push("⚠️ stale".to_owned());
    }
    if !change.is_empty() {
        d.push(format!("Δ {}", md(&change)));
    }
    if let Some(f) = forecast.get() {
        d.push(format!("forecast {}", md(&f)));
    }
    d.join(" · ")
}

/// The notes cell of an objective: breached guardrails, commitment, owner.
fn objective_notes(o: &ObjectiveRow) -> String {
    let ObjectiveNotes {
        breached,
        committed,
        owner,
        parent: _,       // in `show` and HTML
        carried_from: _, // in `show`
        description: _,  // in `show` and HTML: too long for a cell
        dropped,
        change,
    } = o.notes();
    let mut notes: Vec<String> = dropped.iter().map(|d| format!("⊘ {}", md(d))).collect();
    notes.extend(
        breached
            .iter()
            .map(|g| format!("⚠️ guardrail `{g}` breached")),
    );
    if committed {
        notes.push("committed".to_owned());
    }
    if let Some(owner) = owner {
        notes.push(format!("owner {}", md(owner)));
    }
    if !change.is_empty() {
        notes.push(format!("Δ {}", md(&change)));
    }
    notes.join(" · ")
}

fn objective_row(o: &ObjectiveRow) -> String {
    format!(
        "| **{}** {} | **{}** | {} | {} | {} | {} |\n",
        o.reference(),
        md(&o.objective.title),
        objective_score(o),
        score(o.score.expected),
        o.forecast_cell(),
        status_emoji(o.score.status),
        objective_notes(o)
    )
}

/// An objective's score, "–" when it is dropped (its score is null; SPEC 3.4).
fn objective_score(o: &ObjectiveRow) -> String {
    if o.score.status == Status::Dropped {
        "–".to_owned()
    } else {
        score(o.score.score)
    }
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
    let KpiNotes {
        last_checkin,
        stale,
        change,
    } = k.notes();
    let mut last = last_checkin.map_or(String::new(), |d| d.to_string());
    if stale {
        last.push_str(" ⚠️ stale");
    }
    if !change.is_empty() {
        last.push_str(&format!(" · Δ {}", md(&change)));
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

/// The summary of open periods and the attention list (SPEC 12), the first sections of a
/// Markdown report: each within a share of `limit`, cut from its end (the least severe
/// entries) with a count of what was left out, so that neither can push the other or the
/// open periods out of the comment.
fn attention_first(doc: &mut Document, view: &StatusView, limit: usize) {
    if !view.open_summary.is_empty() {
        doc.section(&[(view.open_summary.len(), "team summary")], || {
            let mut text =
                String::from("### Open periods\n\n| Period | Team | Objectives |\n|---|---|---|\n");
            let rows = view.open_summary.iter().map(|t| {
                let counts: Vec<String> = t
                    .counts
                    .iter()
                    .map(|&(s, n)| format!("{} {n}", status_emoji(s)))
                    .collect();
                format!(
                    "| {} | {} | {} |\n",
                    md(&t.period),
                    md(&t.team),
                    counts.join(" · ")
                )
            });
            within(&mut text, rows, limit / 5, "teams", "");
            text
        });
    }
    if !view.attention.is_empty() {
        doc.section(&[(view.attention.len(), "attention entry")], || {
            let mut text = format!(
                "### Needs attention ({})\n\n| Item | Why | Owner | Check-in due |\n|---|---|---|---|\n",
                view.attention.len()
            );
            let rows = view.attention.iter().map(|e| {
                format!(
                    "| `{}` | {} {} | {} | {} |\n",
                    md(&e.reference.to_string()),
                    reason_emoji(e.reasons[0]),
                    e.why(),
                    e.owner.as_deref().map_or(String::new(), md),
                    e.checkin_due.map_or(String::new(), |d| d.to_string())
                )
            });
            within(
                &mut text,
                rows,
                limit * 2 / 5,
                "entries, the least severe,",
                " `goalpost status --attention` lists them all.",
            );
            text
        });
    }
}

/// Appends `rows` to `text` while it stays within `budget` bytes, then a line that counts the
/// rows left out.
fn within(
    text: &mut String,
    rows: impl ExactSizeIterator<Item = String>,
    budget: usize,
    what: &str,
    hint: &str,
) {
    let total = rows.len();
    for (i, row) in rows.enumerate() {
        if text.len() + row.len() > budget {
            text.push_str(&format!("\n_{} more {what} left out._{hint}\n", total - i));
            return;
        }
        text.push_str(&row);
    }
}

fn reason_emoji(r: crate::attention::Reason) -> &'static str {
    use crate::attention::Reason::*;
    match r {
        GuardrailBreached | KpiCritical | OffTrack => "🔴",
        AtRisk | KpiWarning => "🟡",
        KpiNoData | Stale | Overdue => "⚪",
    }
}

/// The sections of `view` in human order, split into those of open and coming periods and
/// those of closed ones.
type Sections<'v, 'a> = Vec<Vec<&'v ObjectiveRow<'a>>>;
fn split_closed<'v, 'a>(view: &'v StatusView<'a>) -> (Sections<'v, 'a>, Sections<'v, 'a>) {
    view.sections()
        .into_iter()
        .partition(|g| Phase::of(&g[0].objective.period, view.as_of) != Phase::Closed)
}

/// A closed period's section folded (`<details>`), its heading line as the summary.
fn fold(first: &ObjectiveRow, text: &str) -> String {
    let (heading, body) = text.split_once('\n').unwrap_or((text, ""));
    let title = heading.trim_start_matches('#').trim();
    format!(
        "<details><summary>{title} (closed on {})</summary>\n{body}\n</details>\n",
        first.objective.period.end
    )
}

/// `status --format markdown`: one table per period and team (open periods first), the KPI
/// table, then closed periods folded.
pub fn status(view: &StatusView, limit: usize) -> String {
    let mut head = format!("## Goals as of {}\n\n", view.as_of);
    if view.objectives.is_empty() && view.kpis.is_empty() {
        head.push_str("_No objectives or KPIs match._\n");
    }
    let mut doc = Document::new(head, limit);
    attention_first(&mut doc, view, limit);
    // Open and coming periods first, then the KPIs, then closed periods folded: what is cut
    // to stay within the limit is the past (SPEC 12).
    let (now, past) = split_closed(view);
    let kpis = |doc: &mut Document| {
        if !view.kpis.is_empty() {
            doc.section(&[(view.kpis.len(), "KPI")], || {
                let mut text = format!("### KPIs\n\n{KPI_HEADER}");
                for k in &view.kpis {
                    text.push_str(&kpi_row(k));
                }
                text
            });
        }
    };
    for (i, group) in now.iter().chain(&past).enumerate() {
        if i == now.len() {
            kpis(&mut doc);
        }
        let closed = i >= now.len();
        doc.section(&[(group.len(), "objective")], || {
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
            if closed { fold(first, &text) } else { text }
        });
    }
    if past.is_empty() {
        kpis(&mut doc);
    }
    legend(&mut doc, view);
    doc.finish("Run `goalpost status` or `goalpost report --format html` for everything.")
}

/// The marks the tables used, in words, as the document's last lines when they fit.
fn legend(doc: &mut Document, view: &StatusView) {
    let lines = super::view::legend(view);
    if lines.is_empty() {
        return;
    }
    let text: String = lines
        .iter()
        .map(|(mark, words)| {
            let sep = if *mark == "?" { "" } else { ":" };
            format!("**{mark}{sep}** {words}.\n\n")
        })
        .collect();
    doc.footnote(&text);
}

/// `report --format markdown`: a whole document for a pull-request comment or a job
/// summary, within `limit` bytes.
pub fn report(view: &StatusView, limit: usize) -> String {
    let mut head = format!("# Goals report as of {}\n\n", view.as_of);
    head.push_str(&summary(&view.summary(), !view.kpis.is_empty()));
    if view.objectives.is_empty() && view.kpis.is_empty() {
        head.push_str("_No objectives or KPIs match._\n");
    }
    let mut doc = Document::new(head, limit);
    attention_first(&mut doc, view, limit);
    let (now, past) = split_closed(view);
    for group in &now {
        doc.section(&[(group.len(), "objective")], || team_section(group));
    }
    for (n, group) in view.kpi_sections().into_iter().enumerate() {
        doc.section(&[(group.len(), "KPI")], || {
            let heading = if n == 0 { "## KPIs\n\n" } else { "" };
            let mut text = format!("{heading}### {}\n\n{KPI_HEADER}", md(&group[0].kpi.team));
            for k in group {
                text.push_str(&kpi_row(k));
            }
            text
        });
    }
    for group in &past {
        doc.section(&[(group.len(), "objective")], || {
            fold(group[0], &team_section(group))
        });
    }
    legend(&mut doc, view);
    doc.finish("Run `goalpost report --format html` or `goalpost status` for everything.")
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

fn team_section(group: &[&ObjectiveRow]) -> String {
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
                kr.progress_cell(),
                kr.forecast_cell(),
                status_emoji(kr.score.status),
                kr_detail(kr)
            ));
        }
    }
    out.push_str("\n</details>\n");
    out
}
