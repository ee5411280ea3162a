//! `goalpost report --format html`: one self-contained page (inline CSS and SVG, no script,
//! no font, no image, nothing fetched; a Content-Security-Policy says so to the browser).
//! Every string that came from a goal file goes through [`esc`]. The layout is one column on
//! a phone, a grid of charts on a wide screen, and unclipped black-on-white on paper.

use super::svg::{self, KpiChart};
use super::table::kr_detail;
use super::text::{num, score, with_unit};
use crate::model::*;
use crate::score::{KpiStatus, Scorecard, Status, metric_progress, observations};

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

/// The whole page for the selected objectives and KPIs.
pub fn report(goals: &Goals, card: &Scorecard, objectives: &[usize], kpis: &[usize]) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"generator\" content=\"goalpost {v}\">\n\
         <title>Goals as of {d}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        v = env!("CARGO_PKG_VERSION"),
        d = card.as_of
    ));
    out.push_str(&format!("<header>\n<h1>Goals as of {}</h1>\n", card.as_of));
    summary(card, objectives, kpis, &mut out);
    out.push_str("</header>\n<main>\n");
    for group in groups(goals, objectives) {
        let first = &goals.objectives[group[0]];
        let p = &first.period;
        out.push_str(&format!(
            "<section class=\"team\">\n<h2>{} · {}</h2>\n<p class=\"period\">{} to {}, {:.0}% of the period elapsed</p>\n",
            esc(&p.name),
            esc(&first.team),
            p.start,
            p.end,
            card.objectives[group[0]].expected * 100.0
        ));
        for &i in group {
            objective(goals, card, i, &mut out);
        }
        out.push_str("</section>\n");
    }
    if !kpis.is_empty() {
        out.push_str("<section class=\"kpis\">\n<h2>KPIs</h2>\n<div class=\"charts\">\n");
        for &i in kpis {
            kpi(goals, card, i, &mut out);
        }
        out.push_str("</div>\n</section>\n");
    }
    if objectives.is_empty() && kpis.is_empty() {
        out.push_str("<p class=\"muted\">No objectives or KPIs match.</p>\n");
    }
    out.push_str(&format!(
        "</main>\n<footer>Generated by goalpost {} from the goal files, scored as of {}.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        card.as_of
    ));
    out
}

/// Consecutive runs of objectives with the same period and team (objectives are sorted so).
fn groups<'a>(goals: &Goals, objectives: &'a [usize]) -> Vec<&'a [usize]> {
    let mut out = Vec::new();
    let mut start = 0;
    for n in 1..=objectives.len() {
        let same = n < objectives.len() && {
            let (a, b) = (
                &goals.objectives[objectives[start]],
                &goals.objectives[objectives[n]],
            );
            a.period.name == b.period.name && a.team == b.team
        };
        if !same {
            out.push(&objectives[start..n]);
            start = n;
        }
    }
    out
}

fn summary(card: &Scorecard, objectives: &[usize], kpis: &[usize], out: &mut String) {
    let count = |statuses: &[Status]| -> String {
        Status::ALL
            .iter()
            .filter_map(|&s| {
                let n = statuses.iter().filter(|&&x| x == s).count();
                (n > 0).then(|| badge(s.as_str(), &format!("{n} {}", s.label())))
            })
            .collect()
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
    out.push_str("<section class=\"summary\">\n");
    out.push_str(&format!(
        "<div><h2>{} objectives</h2><ul>{}{}</ul></div>\n",
        obj.len(),
        count(&obj),
        if breached > 0 {
            badge("breached", &format!("{breached} guardrail breached"))
        } else {
            String::new()
        }
    ));
    out.push_str(&format!(
        "<div><h2>{} key results</h2><ul>{}</ul></div>\n",
        krs.len(),
        count(&krs)
    ));
    let kstat: String = [
        KpiStatus::Healthy,
        KpiStatus::Warning,
        KpiStatus::Critical,
        KpiStatus::NoData,
    ]
    .iter()
    .filter_map(|&s| {
        let n = kpis.iter().filter(|&&i| card.kpis[i].status == s).count();
        (n > 0).then(|| badge(s.as_str(), &format!("{n} {}", s.label())))
    })
    .collect();
    out.push_str(&format!(
        "<div><h2>{} KPIs</h2><ul>{kstat}</ul></div>\n</section>\n",
        kpis.len()
    ));
}

fn objective(goals: &Goals, card: &Scorecard, i: usize, out: &mut String) {
    let o = &goals.objectives[i];
    let s = &card.objectives[i];
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
    for &g in &o.guardrails {
        if let (Some(k), Some(ks)) = (goals.kpis.get(g), card.kpis.get(g)) {
            let class = if ks.status == KpiStatus::Critical {
                "breached"
            } else {
                ks.status.as_str()
            };
            let word = if ks.status == KpiStatus::Critical {
                "breached"
            } else {
                ks.status.label()
            };
            out.push_str(&badge(
                class,
                &format!("guardrail {}: {word}", k.reference()),
            ));
        }
    }
    if let Some(owner) = &o.owner {
        out.push_str(&badge("info", &format!("owner {owner}")));
    }
    if let Some((parent, _)) = &o.parent {
        out.push_str(&badge("info", &format!("supports {parent}")));
    }
    out.push_str("</ul>\n<div class=\"charts\">\n");
    for (kr, ks) in o.key_results.iter().zip(&s.key_results) {
        let mut detail = vec![esc(&kr_detail(kr, ks))];
        if let Some(k) = kr.kpi.and_then(|k| goals.kpis.get(k)) {
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
        let seen = upto(observations(kr, goals), card.as_of);
        let note = seen
            .last()
            .and_then(|c| c.note())
            .map_or(String::new(), |n| {
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
                card.as_of,
                &kr_points(kr, goals, &o.period, card.as_of)
            )
        ));
    }
    out.push_str("</div>\n</article>\n");
}

/// A key result's progress at each check-in inside its period, on or before `as_of`. A
/// KPI-linked KR whose KPI was last measured before the period starts begins at that value.
pub fn kr_points(kr: &KeyResult, goals: &Goals, period: &Period, as_of: Date) -> Vec<(Date, f64)> {
    let mut points = Vec::new();
    let mut before = None;
    for c in upto(observations(kr, goals), as_of) {
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

fn kpi(goals: &Goals, card: &Scorecard, i: usize, out: &mut String) {
    let k = &goals.kpis[i];
    let s = &card.kpis[i];
    let unit = k.unit.as_deref().unwrap_or("");
    let points: Vec<(Date, f64)> = upto(&k.checkins, card.as_of)
        .iter()
        .filter_map(|c| match c.obs {
            Observation::Value(v) => Some((c.date, v)),
            Observation::Done(_) => None,
        })
        .collect();
    let cmp = if k.better == Better::Lower {
        "≤"
    } else {
        "≥"
    };
    let mut detail = vec![format!(
        "value {}",
        s.value.map_or("–".to_owned(), |v| with_unit(v, unit))
    )];
    detail.push(format!("target {cmp} {}", with_unit(k.target, unit)));
    if let Some(c) = k.critical {
        let bad = if k.better == Better::Lower {
            "≥"
        } else {
            "≤"
        };
        detail.push(format!("critical {bad} {}", with_unit(c, unit)));
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
            as_of: card.as_of,
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
