//! `goalpost report --format html`: self-contained pages (inline CSS and SVG; no script, no
//! font, no image, nothing fetched — a Content-Security-Policy tells the browser so), built
//! with maud, which escapes every piece of text. A summary comes first, then a table of
//! contents, then per period and team the objectives: for an open period each objective
//! has one chart of its key results against the expected pace; a closed period shows its
//! final grades. KPIs follow per team in tables with sparklines.
//!
//! The page is written section by section to the writer, so memory stays flat however
//! large the organisation ([`write_page`]); [`write_site`] writes the same content as an
//! index page and one page per team. Layout: one column on a phone, unclipped
//! black-on-white on paper.

use super::svg;
use super::text::{num, score};
use super::view::{
    KpiNotes, KpiRow, KrNotes, KrRow, ObjectiveNotes, ObjectiveRow, StatusView, Summary,
};
use crate::model::*;
use crate::score::{KpiStatus, Status};
use crate::text::{plural, safe};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use std::io::{self, Write};

const CSS: &str = r#"
:root{--fg:#1d232b;--muted:#5b6573;--line:#d5dae1;--bg:#fff;--card:#f7f8fa;
--green:#1a7f37;--yellow:#9a6700;--red:#cf222e;--grey:#6e7781;--blue:#0969da}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,nav,main,footer{max-width:1200px;margin:0 auto;padding:0 16px}
h1{font-size:1.6rem;margin:20px 0 4px}
h2{font-size:1.3rem;margin:32px 0 4px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:1.05rem;margin:0 0 6px}
a{color:var(--blue)}
code{font:0.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--muted)}
.muted,.period{color:var(--muted);margin:0 0 12px}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:12px;margin:12px 0}
.summary div{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.summary h2{font-size:1rem;margin:0 0 6px;border:0;padding:0}
ul.b{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 8px;padding:0;list-style:none}
.b li,.s{display:inline-block;border-radius:999px;padding:0 8px;font-size:.82rem;border:1px solid currentColor;white-space:nowrap}
.on_track,.done,.achieved,.healthy{color:var(--green)}
.at_risk,.warning{color:var(--yellow)}
.off_track,.missed,.critical,.breached{color:var(--red)}
.no_data,.not_started,.info{color:var(--grey)}
.breached{font-weight:600}
nav ol{columns:2 260px;padding-left:20px}
nav li{break-inside:avoid;margin:0 0 4px}
main>section{content-visibility:auto;contain-intrinsic-size:auto 900px}
.o{border:1px solid var(--line);border-radius:10px;padding:12px 14px;margin:12px 0}
.og{display:grid;grid-template-columns:minmax(0,320px) minmax(0,1fr);gap:14px;align-items:start}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th{text-align:left;color:var(--muted);font-weight:600;border-bottom:1px solid var(--line)}
td,th{padding:3px 6px;vertical-align:top}
tr+tr td{border-top:1px solid var(--card)}
td.n{text-align:right;white-space:nowrap}
td.d,.o td:nth-child(2),.o td:nth-child(4),.o td:nth-child(5),th{white-space:nowrap}
.k0,.og tr:nth-child(6n+2){--c:#0969da}.k1,.og tr:nth-child(6n+3){--c:#bf3989}
.k2,.og tr:nth-child(6n+4){--c:#1a7f37}.k3,.og tr:nth-child(6n+5){--c:#9a6700}
.k4,.og tr:nth-child(6n+6){--c:#8250df}.k5,.og tr:nth-child(6n+7){--c:#cf222e}
.og td:first-child::before{content:"";display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;background:var(--c)}
.o td:nth-child(3){text-align:right;white-space:nowrap}
svg{display:block;width:100%;height:auto}
svg.defs{position:absolute;width:0;height:0}
svg text{font:11px system-ui,sans-serif;fill:var(--muted)}
svg .grid{stroke:var(--line);stroke-width:1}
svg .axis{stroke:var(--fg);stroke-width:1;fill:none}
svg .pace{stroke:var(--grey);stroke-width:1.2;stroke-dasharray:5 4}
svg .today{stroke:var(--grey);stroke-width:1;stroke-dasharray:2 3}
svg .l{fill:none;stroke:var(--c,var(--blue));stroke-width:2.2}
svg .fc{fill:none;stroke:var(--c);stroke-width:1.5;stroke-dasharray:4 3}
svg .band{fill:var(--c);fill-opacity:.12;stroke:none}
svg.sl{width:100px}
svg.sl .l{stroke-width:1.5}
svg .target{stroke:var(--green);stroke-width:1;stroke-dasharray:3 2}
svg .dot{fill:var(--blue)}
.note{color:var(--muted);font-size:.85rem}
footer{color:var(--muted);font-size:.85rem;margin:32px auto 24px}
@media (max-width:700px){body{font-size:14px}h1{font-size:1.3rem}.og{grid-template-columns:1fr}td.d,.o td:nth-child(2){white-space:normal}}
@media print{
body{font-size:10pt;color:#000;background:#fff}
main>section{content-visibility:visible}
header,nav,main,footer{max-width:none;padding:0}
.o{break-inside:avoid}
h2,h3{break-after:avoid}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"#;

/// Where the table of contents and cross-page links point.
#[derive(Clone, Copy)]
enum Links {
    /// One page: `#anchor`.
    Page,
    /// A site: `team-TEAM.html#anchor`.
    Site,
}

fn team_page(team: &str) -> String {
    format!("team-{team}.html")
}

/// An anchor id for a period and team section (team ids are slugs; period names may be
/// anything, so they are reduced to letters, digits and dashes).
fn section_id(period: &str, team: &str) -> String {
    let p: String = period
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("s-{p}-{team}")
}

fn head(title: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'";
                meta name="generator" content={ "goalpost " (env!("CARGO_PKG_VERSION")) };
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
        }
    }
}

/// The document's opening, up to `<body>`: maud closes what it opens, so the page is
/// written as its head, then sections, then a fixed tail.
fn open_page(w: &mut dyn Write, title: &str) -> io::Result<()> {
    // The head holds the CSS's line breaks: only the title is repository text.
    let h = head(&safe::plain(title)).into_string();
    // `head()` renders `<html lang="en"><head>…</head></html>`: keep all but the close.
    let h = h.strip_suffix("</html>").unwrap_or(&h);
    w.write_all(h.as_bytes())?;
    w.write_all(b"\n<body>\n")
}

/// Writes rendered markup. maud has escaped its text; line breaks and control characters
/// from the repository are left, and go through the sanitiser here, since a page printed
/// on stdout may land in a CI log (SPEC 10). goalpost's own markup holds neither.
fn emit(w: &mut dyn Write, m: Markup) -> io::Result<()> {
    w.write_all(safe::plain(&m.into_string()).as_bytes())
}

fn close_page(w: &mut dyn Write, as_of: Date) -> io::Result<()> {
    let foot = html! {
        footer { "Generated by goalpost " (env!("CARGO_PKG_VERSION")) " from the goal files, scored as of " (as_of) "." }
    };
    emit(w, foot)?;
    w.write_all(b"\n</body>\n</html>\n")
}

fn badge(class: &str, text: &str) -> Markup {
    html! { li class=(class) { (text) } }
}

fn kpi_status(s: KpiStatus) -> Markup {
    html! { span class={ "s " (s.as_str()) } { (s.label()) } }
}

fn summary(s: &Summary, with_kpis: bool) -> Markup {
    html! {
        section class="summary" {
            // A card only for what the report holds (no empty "0 KPIs" card under --okrs).
            @if s.objectives > 0 || !with_kpis {
                div {
                    h2 { (plural(s.objectives, "objective")) }
                    ul.b {
                        @for (st, n) in &s.objective_statuses { (badge(st.as_str(), &format!("{n} {}", st.label()))) }
                        @if s.breached > 0 { (badge("breached", &format!("{} guardrail breached", s.breached))) }
                    }
                }
                div {
                    h2 { (plural(s.key_results, "key result")) }
                    ul.b { @for (st, n) in &s.kr_statuses { (badge(st.as_str(), &format!("{n} {}", st.label()))) } }
                }
            }
            @if with_kpis || s.objectives == 0 {
                div {
                    h2 { (plural(s.kpis, "KPI")) }
                    ul.b { @for (st, n) in &s.kpi_statuses { (badge(st.as_str(), &format!("{n} {}", st.label()))) } }
                }
            }
        }
    }
}

/// Per period, the teams with their objectives' statuses, linked to their sections.
fn contents(view: &StatusView, links: Links) -> Markup {
    let sections = view.sections();
    let kpi_teams = view.kpi_sections();
    let href = |period: &str, team: &str| match links {
        Links::Page => format!("#{}", section_id(period, team)),
        Links::Site => format!("{}#{}", team_page(team), section_id(period, team)),
    };
    let kpi_href = |team: &str| match links {
        Links::Page => format!("#kpis-{team}"),
        Links::Site => format!("{}#kpis-{team}", team_page(team)),
    };
    // Periods in report order, each with its team sections.
    let mut periods: Vec<(&Period, String, Vec<&[&ObjectiveRow]>)> = Vec::new();
    for group in &sections {
        let first = &group[0];
        let p = &first.objective.period;
        match periods.last_mut() {
            Some((q, _, groups)) if q.name == p.name => groups.push(group),
            _ => periods.push((p, first.elapsed(), vec![group])),
        }
    }
    html! {
        nav {
            h2 { "Contents" }
            @for (p, elapsed, groups) in &periods {
                h3 { (p.name) " " span class="muted" { "(" (p.start) " to " (p.end) ", " (elapsed) " elapsed)" } }
                ol {
                    @for g in groups {
                        @let t = &g[0].objective.team;
                        li {
                            a href=(href(&p.name, t)) { (t) }
                            " — " (plural(g.len(), "objective")) " "
                            @for (st, n) in counts(g) { span class={ "s " (st.as_str()) } { (n) " " (st.label()) } " " }
                        }
                    }
                }
            }
            @if !kpi_teams.is_empty() {
                h3 { "KPIs" }
                ol {
                    @for g in &kpi_teams {
                        @let t = &g[0].kpi.team;
                        li { a href=(kpi_href(t)) { (t) } " — " (plural(g.len(), "KPI")) }
                    }
                }
            }
        }
    }
}

fn counts(group: &[&ObjectiveRow]) -> Vec<(Status, usize)> {
    Status::ALL
        .iter()
        .filter_map(|&s| {
            let n = group.iter().filter(|o| o.score.status == s).count();
            (n > 0).then_some((s, n))
        })
        .collect()
}

/// A key result's row. In an open period its colour swatch (that of its line in the chart)
/// comes from the stylesheet by row position, so thousands of rows carry no extra markup.
fn kr_row(kr: &KrRow) -> Markup {
    let s = kr.score;
    let KrNotes {
        measure,
        kpi,
        due: _,      // in the measure
        forecast: _, // the chart draws it
        confidence,
        last_checkin,
        stale,
        last_note,
        change,
    } = kr.notes();
    let mut notes: Vec<String> = Vec::new();
    if let Some(k) = kpi {
        notes.push(format!("from KPI {k}"));
    }
    if let Some(c) = confidence {
        notes.push(format!("confidence {}", num(c)));
    }
    // Kept lean: at hundreds of teams there are thousands of these rows (BENCHMARKS.md).
    html! {
        tr {
            td {
                code { (kr.kr.id) } " " (kr.kr.title)
                @if let Some(n) = last_note { br; span.note { "“" (n) "”" } }
            }
            td { (measure) @if !notes.is_empty() { br; span.note { (notes.join(" · ")) } } }
            td { (score(s.progress))
                @let fc = kr.forecast_cell();
                @if !fc.is_empty() { " → " (fc) } }
            td class=(s.status.as_str()) { (s.status.label()) @if stale { " " span class="s warning" { "stale" } } }
            td { (last_checkin.map_or(String::new(), |d| d.to_string()))
                @if !change.is_empty() { br; span.note { "Δ " (change) } } }
        }
    }
}

fn objective(row: &ObjectiveRow, as_of: Date, frame: &str) -> Markup {
    let (o, s) = (row.objective, row.score);
    let open = as_of >= o.period.start && as_of <= o.period.end;
    let ObjectiveNotes {
        breached: _, // every guardrail that is not healthy is listed, from `row.guardrails`
        committed,
        owner,
        parent,
        carried_from: _, // in `show`
        change,
    } = row.notes();
    html! {
        article.o {
            h3 { code { (o.reference()) } " " (o.title) }
            ul.b {
                li class=(s.status.as_str()) { (s.status.label()) }
                @if open { li.info { "score " (score(s.score)) " · expected " (score(s.expected))
                    @if let Some(f) = s.forecast { " · forecast " (score(f)) } } }
                @else { li.info { "score " (score(s.score)) } }
                @if committed { li.info { "committed" } }
                // Guardrails that need attention by name; healthy ones counted (the KPI
                // tables have them in full).
                @for g in row.guardrails.iter().filter(|g| g.status != KpiStatus::Healthy) {
                    @if g.breached() {
                        li.breached { "guardrail " (g.kpi.reference()) ": breached" }
                    } @else {
                        li class=(g.status.as_str()) { "guardrail " (g.kpi.reference()) ": " (g.status.label()) }
                    }
                }
                @let healthy = row.guardrails.iter().filter(|g| g.status == KpiStatus::Healthy).count();
                @if healthy > 0 { li.healthy { (plural(healthy, "guardrail")) " healthy" } }
                @if let Some(owner) = owner { li.info { "owner " (owner) } }
                @if let Some(parent) = parent { li.info { "supports " (parent) } }
                @if !change.is_empty() { li.info { "Δ " (change) } }
            }
            @let table = html! {
                table {
                    tr { th { "key result" } th { "measure" } th { "progress" @if open { " → forecast" } } th { "status" } th { "last check-in" } }
                    @for kr in &row.key_results { (kr_row(kr)) }
                }
            };
            @if open {
                div.og { (svg::objective_chart(row, as_of, frame)) div { (table) } }
            } @else {
                (table)
            }
        }
    }
}

/// The chart frames defined so far on the page being written, by period.
#[derive(Default)]
struct Frames {
    periods: Vec<String>,
}

impl Frames {
    /// The frame id for `period`, and its definition when the page does not have it yet.
    fn get(&mut self, period: &Period, as_of: Date) -> (String, Option<Markup>) {
        match self.periods.iter().position(|p| *p == period.name) {
            Some(n) => (svg::frame_id(n), None),
            None => {
                self.periods.push(period.name.clone());
                let id = svg::frame_id(self.periods.len() - 1);
                let defs = svg::frame_defs(period, as_of, &id);
                (id, Some(defs))
            }
        }
    }
}

fn team_section(group: &[&ObjectiveRow], as_of: Date, frames: &mut Frames) -> Markup {
    let first = &group[0];
    let p = &first.objective.period;
    let sid = section_id(&p.name, &first.objective.team);
    let (frame, defs) = frames.get(p, as_of);
    html! {
        @if let Some(defs) = defs { (defs) }
        section id=(sid) {
            h2 { (p.name) " · " (first.objective.team) }
            p.period { (p.start) " to " (p.end) ", " (first.elapsed()) " of the period elapsed"
                @if as_of > p.end { " — closed: final grades" } }
            @for row in group { (objective(row, as_of, &frame)) }
        }
    }
}

fn kpi_section(group: &[KpiRow]) -> Markup {
    let team = &group[0].kpi.team;
    html! {
        section id={ "kpis-" (team) } {
            h2 { "KPIs · " (team) }
            table {
                tr { th { "KPI" } th { "value" } th { "target / critical" } th { "status" } th { "trend" } th { "recent" } th { "last check-in" } }
                @for k in group {
                    tr {
                        td { code { (k.reference()) } " " (k.kpi.title) }
                        td.n { (k.value()) }
                        td.d { (k.thresholds()) }
                        td { (kpi_status(k.score.status)) }
                        td.d { (super::text::trend_arrow(k.trend(), k.kpi.better)) }
                        td { (svg::kpi_sparkline(k)) }
                        @let KpiNotes { last_checkin, stale, change } = k.notes();
                        td.d { (last_checkin.map_or(String::new(), |d| d.to_string()))
                            @if stale { " " span class="s warning" { "stale" } }
                            @if !change.is_empty() { br; span.note { "Δ " (change) } } }
                    }
                }
            }
        }
    }
}

/// What needs someone (SPEC 12), most severe first: the first thing a page shows after the
/// summary.
fn attention(view: &StatusView) -> Markup {
    use crate::attention::Reason;
    let class = |r: Reason| match r {
        Reason::GuardrailBreached | Reason::KpiCritical | Reason::OffTrack => "off_track",
        Reason::AtRisk | Reason::KpiWarning => "at_risk",
        Reason::KpiNoData | Reason::Stale | Reason::Overdue => "no_data",
    };
    html! {
        @if !view.attention.is_empty() {
            section.attention aria-labelledby="attention" {
                h2 id="attention" { "Needs attention (" (view.attention.len()) ")" }
                table {
                    thead { tr { th { "Item" } th { "Why" } th { "Owner" } th { "Check-in due" } } }
                    tbody {
                        @for e in &view.attention {
                            tr {
                                td { code { (e.reference.to_string()) } }
                                td { span class={ "s " (class(e.reasons[0])) } {
                                    (e.why())
                                } }
                                td { (e.owner.as_deref().unwrap_or("")) }
                                td.d { (e.checkin_due.map_or(String::new(), |d| d.to_string())) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The whole report as one page, written to `w` section by section.
pub fn write_page(w: &mut dyn Write, view: &StatusView) -> io::Result<()> {
    let title = format!("Goals as of {}", view.as_of);
    open_page(w, &title)?;
    let top = html! {
        header { h1 { (title) } (summary(&view.summary(), !view.kpis.is_empty())) }
        (attention(view))
        (contents(view, Links::Page))
    };
    emit(w, top)?;
    w.write_all(b"\n<main>\n")?;
    let mut frames = Frames::default();
    for group in view.sections() {
        emit(w, team_section(&group, view.as_of, &mut frames))?;
        w.write_all(b"\n")?;
    }
    for group in view.kpi_sections() {
        emit(w, kpi_section(group))?;
        w.write_all(b"\n")?;
    }
    if view.objectives.is_empty() && view.kpis.is_empty() {
        w.write_all(b"<p class=\"muted\">No objectives or KPIs match.</p>\n")?;
    }
    w.write_all(b"</main>\n")?;
    close_page(w, view.as_of)
}

/// The whole report as one page, in memory (tests and small reports).
pub fn report(view: &StatusView) -> String {
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_page(&mut buf, view);
    String::from_utf8(buf).unwrap_or_default()
}

/// Writes one page of a site: called with the page's file name and what writes it.
pub type PageWriter<'a> = dyn FnMut(&mut dyn Write) -> io::Result<()> + 'a;
/// Where [`write_site`] puts its pages.
pub type PageSink<'a> = dyn FnMut(&str, &mut PageWriter) -> io::Result<()> + 'a;

/// The pages of a site: `index.html` (summary and contents) and `team-TEAM.html` per team
/// (its objectives in every period, then its KPIs). Each is handed to `file` with its name.
pub fn write_site(view: &StatusView, file: &mut PageSink) -> io::Result<()> {
    let title = format!("Goals as of {}", view.as_of);
    file("index.html", &mut |w| {
        open_page(w, &title)?;
        let top = html! {
            header { h1 { (title) } (summary(&view.summary(), !view.kpis.is_empty())) }
            (attention(view))
            (contents(view, Links::Site))
        };
        emit(w, top)?;
        close_page(w, view.as_of)
    })?;
    let mut teams: Vec<&str> = view
        .objectives
        .iter()
        .map(|o| o.objective.team.as_str())
        .chain(view.kpis.iter().map(|k| k.kpi.team.as_str()))
        .collect();
    teams.sort_unstable();
    teams.dedup();
    let sections = view.sections();
    let kpi_sections = view.kpi_sections();
    for team in teams {
        file(&team_page(team), &mut |w| {
            let title = format!("{team}: goals as of {}", view.as_of);
            open_page(w, &title)?;
            let top =
                html! { header { p { a href="index.html" { "← all teams" } } h1 { (title) } } };
            emit(w, top)?;
            w.write_all(b"\n<main>\n")?;
            let mut frames = Frames::default();
            for group in sections.iter().filter(|g| g[0].objective.team == team) {
                emit(w, team_section(group, view.as_of, &mut frames))?;
                w.write_all(b"\n")?;
            }
            for group in kpi_sections.iter().filter(|g| g[0].kpi.team == team) {
                emit(w, kpi_section(group))?;
                w.write_all(b"\n")?;
            }
            w.write_all(b"</main>\n")?;
            close_page(w, view.as_of)
        })?;
    }
    Ok(())
}
