//! `goalpost report --format html`: one self-contained page (inline CSS and SVG, no script,
//! no font, no image, nothing fetched; a Content-Security-Policy says so to the browser).
//! Every string that came from a goal file goes through [`esc`]. The layout is one column on
//! a phone, a grid of charts on a wide screen, and unclipped black-on-white on paper.

use super::svg::{self, KpiChart};
use super::text::{num, score};
use super::view::{KpiRow, KrRow, ObjectiveRow, StatusView};
use crate::model::*;
use crate::score::{KpiStatus, Status, metric_progress};
use crate::text::plural;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root{--fg:#1d232b;--muted:#5b6573;--line:#d5dae1;--bg:#fff;--card:#f7f8fa;
--green:#1a7f37;--yellow:#9a6700;--red:#cf222e;--grey:#6e7781;--blue:#0969da}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:1200px;margin:0 auto;padding:0 16px}
h1{font-size:1.6rem;margin:20px 0 4px}
h2{font-size:1.3rem;margin:32px 0 4px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:1.08rem;margin:0 0 6px}
code{font:0.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--muted)}
.muted,.period{color:var(--muted);margin:0 0 12px}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:12px;margin:12px 0}
.summary div{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.summary h2{font-size:1rem;margin:0 0 6px;border:0;padding:0}
.summary ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:6px}
.objective{border:1px solid var(--line);border-radius:10px;padding:14px;margin:14px 0;background:var(--bg)}
.badges{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 10px;padding:0;list-style:none}
.badge{display:inline-block;border-radius:999px;padding:1px 9px;font-size:.82rem;border:1px solid currentColor;white-space:nowrap}
.st-on_track,.st-done,.st-achieved,.st-healthy{color:var(--green)}
.st-at_risk,.st-warning{color:var(--yellow)}
.st-off_track,.st-missed,.st-critical,.st-breached{color:var(--red)}
.st-no_data,.st-not_started,.st-info{color:var(--grey)}
.st-breached{font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,360px),1fr));gap:12px}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px}
figcaption{margin:0 0 6px;font-size:.92rem}
figcaption .title{font-weight:600}
figcaption .detail{color:var(--muted);font-size:.85rem}
svg.chart{display:block;width:100%;height:auto;max-width:100%}
svg .axis{stroke:var(--fg);stroke-width:1}
svg .tick{stroke:var(--fg)}
svg .grid{stroke:var(--line);stroke-width:1}
svg text{font:13px system-ui,sans-serif;fill:var(--muted)}
svg .axis-title{fill:var(--fg);font-weight:600}
svg .pace{stroke:var(--grey);stroke-width:1.5;stroke-dasharray:6 4}
svg .target{stroke:var(--green);stroke-width:1.5;stroke-dasharray:6 4}
svg .today{stroke:var(--grey);stroke-width:1;stroke-dasharray:2 3}
svg .line{fill:none;stroke:var(--blue);stroke-width:2.5}
svg .dot{fill:var(--blue)}
svg .critical{fill:var(--red);fill-opacity:.13;stroke:none}
svg .band-label{fill:var(--red)}
footer{color:var(--muted);font-size:.85rem;margin:32px auto 24px}
@media (max-width:600px){body{font-size:14px}h1{font-size:1.3rem}.objective{padding:10px}}
@media print{
body{font-size:11pt;color:#000;background:#fff}
header,main,footer{max-width:none;padding:0}
.objective,figure{break-inside:avoid;page-break-inside:avoid}
h2,h3{break-after:avoid}
.charts{grid-template-columns:repeat(2,1fr)}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"#;

fn badge(class: &str, text: &str) -> String {
    format!("<li class=\"badge st-{class}\">{}</li>", esc(text))
}

fn status_badge(s: Status) -> String {
    badge(s.as_str(), s.label())
}

fn kpi_badge(s: KpiStatus) -> String {
    badge(s.as_str(), s.label())
}

/// The whole page.
pub fn report(view: &StatusView) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"generator\" content=\"goalpost {v}\">\n\
         <title>Goals as of {d}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        v = env!("CARGO_PKG_VERSION"),
        d = view.as_of
    ));
    out.push_str(&format!("<header>\n<h1>Goals as of {}</h1>\n", view.as_of));
    summary(view, &mut out);
    out.push_str("</header>\n<main>\n");
    for group in view.sections() {
        let first = &group[0];
        let p = &first.objective.period;
        out.push_str(&format!(
            "<section class=\"team\">\n<h2>{} · {}</h2>\n<p class=\"period\">{} to {}, {} of the period elapsed</p>\n",
            esc(&p.name),
            esc(&first.objective.team),
            p.start,
            p.end,
            first.elapsed()
        ));
        for row in group {
            objective(view, row, &mut out);
        }
        out.push_str("</section>\n");
    }
    if !view.kpis.is_empty() {
        out.push_str("<section class=\"kpis\">\n<h2>KPIs</h2>\n<div class=\"charts\">\n");
        for row in &view.kpis {
            kpi(row, &mut out);
        }
        out.push_str("</div>\n</section>\n");
    }
    if view.objectives.is_empty() && view.kpis.is_empty() {
        out.push_str("<p class=\"muted\">No objectives or KPIs match.</p>\n");
    }
    out.push_str(&format!(
        "</main>\n<footer>Generated by goalpost {} from the goal files, scored as of {}.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        view.as_of
    ));
    out
}

fn summary(view: &StatusView, out: &mut String) {
    let s = view.summary();
    fn badges<S: Copy>(
        list: &[(S, usize)],
        class: fn(S) -> &'static str,
        label: fn(S) -> &'static str,
    ) -> String {
        list.iter()
            .map(|&(st, n)| badge(class(st), &format!("{n} {}", label(st))))
            .collect()
    }
    out.push_str("<section class=\"summary\">\n");
    // A card only for what the report holds (no empty "0 KPIs" card under --okrs).
    let with_kpis = !view.kpis.is_empty();
    if s.objectives > 0 || !with_kpis {
        out.push_str(&format!(
            "<div><h2>{}</h2><ul>{}{}</ul></div>\n",
            plural(s.objectives, "objective"),
            badges(&s.objective_statuses, Status::as_str, Status::label),
            if s.breached > 0 {
                badge("breached", &format!("{} guardrail breached", s.breached))
            } else {
                String::new()
            }
        ));
        out.push_str(&format!(
            "<div><h2>{}</h2><ul>{}</ul></div>\n",
            plural(s.key_results, "key result"),
            badges(&s.kr_statuses, Status::as_str, Status::label)
        ));
    }
    if with_kpis || s.objectives == 0 {
        out.push_str(&format!(
            "<div><h2>{}</h2><ul>{}</ul></div>\n",
            plural(s.kpis, "KPI"),
            badges(&s.kpi_statuses, KpiStatus::as_str, KpiStatus::label)
        ));
    }
    out.push_str("</section>\n");
}

fn objective(view: &StatusView, row: &ObjectiveRow, out: &mut String) {
    let (o, s) = (row.objective, row.score);
    out.push_str(&format!(
        "<article class=\"objective\" id=\"{}\">\n<h3><code>{}</code> {}</h3>\n<ul class=\"badges\">",
        esc(&format!("{}-{}", o.period.name, o.reference()).replace('/', "-")),
        esc(&o.reference()),
        esc(&o.title)
    ));
    out.push_str(&status_badge(s.status));
    out.push_str(&badge(
        "info",
        &format!("score {} · expected {}", score(s.score), score(s.expected)),
    ));
    if o.commitment == Commitment::Committed {
        out.push_str(&badge("info", "committed"));
    }
    for g in &row.guardrails {
        let (class, word) = if g.breached() {
            ("breached", "breached")
        } else {
            (g.status.as_str(), g.status.label())
        };
        out.push_str(&badge(
            class,
            &format!("guardrail {}: {word}", g.kpi.reference()),
        ));
    }
    if let Some(owner) = &o.owner {
        out.push_str(&badge("info", &format!("owner {owner}")));
    }
    if let Some((parent, _)) = &o.parent {
        out.push_str(&badge("info", &format!("supports {parent}")));
    }
    out.push_str("</ul>\n<div class=\"charts\">\n");
    for row in &row.key_results {
        let (kr, ks) = (row.kr, row.score);
        let mut detail = vec![esc(&row.measure())];
        if let Some(k) = row.kpi {
            detail.push(format!("from KPI {}", esc(&k.reference())));
        }
        if let Some(c) = ks.confidence {
            detail.push(format!("confidence {}", num(c)));
        }
        if let Some(d) = ks.last_checkin {
            detail.push(format!("last check-in {d}"));
        }
        if ks.stale {
            detail.push("<strong class=\"st-warning\">stale</strong>".to_owned());
        }
        let note = row.last_note().map_or(String::new(), |n| {
            format!("<br><span class=\"detail\">“{}”</span>", esc(n))
        });
        let label = format!(
            "Progress of {}/{} against the expected pace",
            o.reference(),
            kr.id
        );
        out.push_str(&format!(
            "<figure class=\"kr\">\n<figcaption><ul class=\"badges\">{}{}</ul>\
             <span class=\"title\"><code>{}</code> {}</span><br>\
             <span class=\"detail\">{}</span>{note}</figcaption>\n{}\n</figure>\n",
            status_badge(ks.status),
            badge("info", &format!("progress {}", score(ks.progress))),
            esc(&kr.id),
            esc(&kr.title),
            detail.join(" · "),
            svg::kr_chart(
                &label,
                o.period.start,
                o.period.end,
                view.as_of,
                &kr_points(row)
            )
        ));
    }
    out.push_str("</div>\n</article>\n");
}

/// A key result's progress at each check-in inside its period, on or before `as_of`. A
/// KPI-linked KR whose KPI was last measured before the period starts begins at that value.
pub fn kr_points(row: &KrRow) -> Vec<(Date, f64)> {
    let (kr, period) = (row.kr, &row.objective.period);
    let mut points = Vec::new();
    let mut before = None;
    for c in row.seen() {
        let p = match (kr.kind, c.obs) {
            (KrMeasure::Metric { start, target }, Observation::Value(v)) => {
                metric_progress(start, target, Some(v))
            }
            (KrMeasure::Milestone, Observation::Done(d)) => f64::from(u8::from(d)),
            _ => continue,
        };
        if c.date < period.start {
            before = Some(p);
        } else if c.date <= period.end {
            points.push((c.date, p));
        }
    }
    if let Some(p) = before
        && points.first().is_none_or(|f| f.0 > period.start)
    {
        points.insert(0, (period.start, p));
    }
    points
}

fn kpi(row: &KpiRow, out: &mut String) {
    let (k, s) = (row.kpi, row.score);
    let unit = k.unit.as_deref().unwrap_or("");
    let points: Vec<(Date, f64)> = row
        .seen()
        .iter()
        .filter_map(|c| match c.obs {
            Observation::Value(v) => Some((c.date, v)),
            Observation::Done(_) => None,
        })
        .collect();
    let mut detail = vec![format!("value {}", row.value())];
    detail.push(format!(
        "target {} {}",
        row.good_side(),
        row.value_of(k.target)
    ));
    if let Some(c) = k.critical {
        detail.push(format!("critical {} {}", row.bad_side(), row.value_of(c)));
    }
    if let Some(t) = s.trend {
        detail.push(t.as_str().to_owned());
    }
    if let Some(d) = s.last_checkin {
        detail.push(format!("last check-in {d}"));
    }
    let stale = if s.stale {
        " · <strong class=\"st-warning\">stale</strong>"
    } else {
        ""
    };
    let label = format!("{} over time against its target", k.reference());
    out.push_str(&format!(
        "<figure class=\"kpi\" id=\"kpi-{}\">\n<figcaption><ul class=\"badges\">{}</ul>\
         <span class=\"title\"><code>{}</code> {}</span><br>\
         <span class=\"detail\">{}{stale}</span></figcaption>\n{}\n</figure>\n",
        esc(&k.reference().replace('/', "-")),
        kpi_badge(s.status),
        esc(&k.reference()),
        esc(&k.title),
        esc(&detail.join(" · ")),
        svg::kpi_chart(&KpiChart {
            label: &label,
            unit,
            better: k.better,
            target: k.target,
            critical: k.critical,
            as_of: row.as_of,
            points: &points,
        })
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc(r#"<script>"x" & 'y'</script>"#),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }
}
