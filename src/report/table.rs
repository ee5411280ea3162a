//! `goalpost status` as terminal tables (comfy-table): objectives grouped by period and team
//! with their key results beneath, or as a parent/child tree; then the KPIs.

use super::text::*;
use crate::model::*;
use crate::score::{KrScore, Scorecard};
use comfy_table::{Attribute, Cell, CellAlignment, ContentArrangement, Table, presets};

/// How to draw.
#[derive(Debug, Clone, Copy)]
pub struct TableOptions {
    pub color: bool,
    /// Wrap to this width (a terminal); `None` never wraps (pipes, files).
    pub width: Option<u16>,
    /// Show objectives under their parents instead of grouped by team.
    pub tree: bool,
}

fn new_table(opts: TableOptions, header: &[&str]) -> Table {
    let mut t = Table::new();
    // A rule under the header, no other lines: easy to read and to paste.
    t.load_style(
        presets::NOTHING
            .header_separator(comfy_table::LineStyle::none().fill('─').junction(' '))
            .header_lines(comfy_table::ContentLineStyle::none().junction(' '))
            .content_lines(comfy_table::ContentLineStyle::none().junction(' ')),
    );
    match opts.width {
        Some(w) => {
            t.set_content_arrangement(ContentArrangement::Dynamic);
            t.set_width(w);
        }
        None => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    if opts.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t.set_header(
        header
            .iter()
            .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
    );
    t
}

fn colored(text: String, color: comfy_table::Color, opts: TableOptions) -> Cell {
    let c = Cell::new(text);
    if opts.color { c.fg(color) } else { c }
}

/// Describes a KR's numbers: "250 → 210 → 150 tickets/week".
pub fn kr_detail(kr: &KeyResult, s: &KrScore) -> String {
    match kr.kind {
        KrMeasure::Metric { start, target } => {
            let cur = s.current.map_or("–".to_owned(), num);
            let unit = kr
                .unit
                .as_deref()
                .map_or(String::new(), |u| format!(" {u}"));
            format!("{} → {cur} → {}{unit}", num(start), num(target))
        }
        KrMeasure::Milestone => match s.done {
            Some(true) => "milestone: done".to_owned(),
            Some(false) => "milestone: not done".to_owned(),
            None => "milestone".to_owned(),
        },
    }
}

fn kr_notes(s: &KrScore) -> String {
    let mut notes = Vec::new();
    if let Some(c) = s.confidence {
        notes.push(format!("conf {}", num(c)));
    }
    if let Some(d) = s.last_checkin {
        notes.push(format!("last {d}"));
    }
    if s.stale {
        notes.push("⚠ stale".to_owned());
    }
    notes.join(" · ")
}

fn objective_rows(
    t: &mut Table,
    goals: &Goals,
    card: &Scorecard,
    i: usize,
    depth: usize,
    opts: TableOptions,
) {
    let o = &goals.objectives[i];
    let s = &card.objectives[i];
    let indent = "  ".repeat(depth);
    let mut title = format!("{indent}{} {}", o.reference(), o.title);
    if o.commitment == Commitment::Committed {
        title.push_str(" [committed]");
    }
    let mut notes = Vec::new();
    if s.guardrail_breached {
        let breached: Vec<String> = o
            .guardrails
            .iter()
            .filter(|&&k| {
                card.kpis
                    .get(k)
                    .is_some_and(|ks| ks.status == crate::score::KpiStatus::Critical)
            })
            .map(|&k| goals.kpis[k].reference())
            .collect();
        notes.push(format!("⚠ guardrail breached: {}", breached.join(", ")));
    }
    if let Some(owner) = &o.owner {
        notes.push(format!("owner {owner}"));
    }
    t.add_row(vec![
        Cell::new(title).add_attribute(Attribute::Bold),
        Cell::new(score(s.score)).set_alignment(CellAlignment::Right),
        Cell::new(score(s.expected)).set_alignment(CellAlignment::Right),
        colored(s.status.label().to_owned(), status_color(s.status), opts),
        Cell::new(bar(s.score, 10)),
        Cell::new(notes.join(" · ")),
    ]);
    for (kr, ks) in o.key_results.iter().zip(&s.key_results) {
        let detail = kr_detail(kr, ks);
        let notes = kr_notes(ks);
        t.add_row(vec![
            Cell::new(format!("{indent}  └ {} {}", kr.id, truncate(&kr.title, 60))),
            Cell::new(score(ks.progress)).set_alignment(CellAlignment::Right),
            Cell::new(""),
            colored(ks.status.label().to_owned(), status_color(ks.status), opts),
            Cell::new(bar(ks.progress, 10)),
            Cell::new(if notes.is_empty() {
                detail
            } else {
                format!("{detail} · {notes}")
            }),
        ]);
    }
}

const OKR_HEADER: [&str; 6] = [
    "objective / key result",
    "score",
    "expected",
    "status",
    "progress",
    "detail",
];

/// The OKR and KPI tables.
pub fn status(
    goals: &Goals,
    card: &Scorecard,
    objectives: &[usize],
    kpis: &[usize],
    opts: TableOptions,
) -> String {
    let mut out = String::new();
    if opts.tree {
        let selected: std::collections::HashSet<usize> = objectives.iter().copied().collect();
        let mut children: std::collections::HashMap<usize, Vec<usize>> =
            std::collections::HashMap::new();
        let mut roots = Vec::new();
        for &i in objectives {
            match goals.objectives[i].parent {
                Some((_, p)) if selected.contains(&p) => children.entry(p).or_default().push(i),
                _ => roots.push(i),
            }
        }
        let mut period: Option<&str> = None;
        let mut table: Option<Table> = None;
        for &r in &roots {
            let name = goals.objectives[r].period.name.as_str();
            if period != Some(name) {
                if let Some(t) = table.take() {
                    out.push_str(&format!("{t}\n\n"));
                }
                out.push_str(&format!("{name}\n"));
                period = Some(name);
                table = Some(new_table(opts, &OKR_HEADER));
            }
            if let Some(t) = table.as_mut() {
                let mut stack = vec![(r, 0usize)];
                while let Some((i, depth)) = stack.pop() {
                    objective_rows(t, goals, card, i, depth, opts);
                    if depth < 32 {
                        for &c in children.get(&i).into_iter().flatten().rev() {
                            stack.push((c, depth + 1));
                        }
                    }
                }
            }
        }
        if let Some(t) = table {
            out.push_str(&format!("{t}\n\n"));
        }
    } else {
        let mut start = 0;
        while start < objectives.len() {
            let first = &goals.objectives[objectives[start]];
            let end = objectives[start..]
                .iter()
                .position(|&i| {
                    goals.objectives[i].period.name != first.period.name
                        || goals.objectives[i].team != first.team
                })
                .map_or(objectives.len(), |n| start + n);
            let p = &first.period;
            out.push_str(&format!(
                "{} · {}  ({} to {}, {:.0}% elapsed)\n",
                p.name,
                first.team,
                p.start,
                p.end,
                card.objectives[objectives[start]].expected * 100.0
            ));
            let mut t = new_table(opts, &OKR_HEADER);
            for &i in &objectives[start..end] {
                objective_rows(&mut t, goals, card, i, 0, opts);
            }
            out.push_str(&format!("{t}\n\n"));
            start = end;
        }
    }
    if !kpis.is_empty() {
        out.push_str("KPIs\n");
        let mut t = new_table(
            opts,
            &[
                "kpi",
                "value",
                "target / critical",
                "status",
                "trend",
                "recent",
                "last check-in",
            ],
        );
        for &i in kpis {
            let k = &goals.kpis[i];
            let s = &card.kpis[i];
            let unit = k.unit.as_deref().unwrap_or("");
            let value = s
                .value
                .map_or("–".to_owned(), |v| format!("{}{unit}", num(v)));
            let cmp = if k.better == Better::Lower {
                "≤"
            } else {
                "≥"
            };
            let mut thresholds = format!("{cmp} {}", with_unit(k.target, unit));
            if let Some(c) = k.critical {
                thresholds.push_str(&format!(" / {}", with_unit(c, unit)));
            }
            let seen = upto(&k.checkins, card.as_of);
            let mut last = s.last_checkin.map_or(String::new(), |d| d.to_string());
            if s.stale {
                last.push_str(" ⚠ stale");
            }
            t.add_row(vec![
                Cell::new(format!("{} {}", k.reference(), k.title)),
                Cell::new(value).set_alignment(CellAlignment::Right),
                Cell::new(thresholds),
                colored(s.status.label().to_owned(), kpi_color(s.status), opts),
                Cell::new(trend_arrow(s.trend)),
                Cell::new(sparkline(&values(seen), 12)),
                Cell::new(last),
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    if objectives.is_empty() && kpis.is_empty() {
        out.push_str("no objectives or KPIs match\n");
    }
    // comfy-table pads the last column; trailing blanks only get in the way of diffs.
    let mut trimmed: String = out.lines().map(|l| format!("{}\n", l.trim_end())).collect();
    if !out.ends_with('\n') {
        trimmed.pop();
    }
    trimmed
}
