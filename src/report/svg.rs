//! Inline SVG for the HTML report, built with maud (every text escaped): an objective's
//! chart (each key result's progress over the period against the expected pace) and
//! sparklines (a KPI's recent values against its target). Coordinates are whole numbers or
//! one decimal in a fixed `viewBox`, so the charts scale to their container and stay small;
//! every coordinate is finite whatever the values (SPEC 10).

use super::view::{KpiRow, ObjectiveRow};
use crate::date::Date;
use crate::model::{Checkin, Observation, Period};
use crate::score::metric_progress;
use crate::text::percent;
use maud::{Markup, html};
use std::fmt::Write as _;

/// Objective chart size (viewBox units). The right margin holds each key result's direct
/// label; the top one the axis title and the markers' labels.
const W: f64 = 450.0;
const H: f64 = 164.0;
const LEFT: f64 = 36.0;
const RIGHT: f64 = 146.0;
const TOP: f64 = 22.0;
const BOTTOM: f64 = 24.0;
/// The least vertical distance between two direct labels (viewBox units).
const LABEL_GAP: f64 = 11.0;
/// The longest key-result id a direct label shows in full.
const LABEL_ID: usize = 10;

/// How many key-result colours the stylesheet defines (`.k0` … `.k5`).
pub(crate) const COLOURS: usize = 6;

/// Maps dates and progress to chart coordinates.
struct Frame {
    x0: Date,
    days: f64,
}

impl Frame {
    fn x(&self, d: Date) -> f64 {
        let f = (self.x0.days_until(d) as f64 / self.days).clamp(0.0, 1.0);
        LEFT + f * (W - LEFT - RIGHT)
    }
    fn y(&self, progress: f64) -> f64 {
        let p = if progress.is_finite() {
            progress.clamp(0.0, 1.0)
        } else {
            0.0
        };
        H - BOTTOM - p * (H - TOP - BOTTOM)
    }
}

/// A key result's progress at each observation inside its period, on or before the as-of
/// date. A KPI-linked KR whose KPI was last measured before the period starts begins at
/// that value.
pub(crate) fn kr_points(row: &super::view::KrRow) -> Vec<(Date, f64)> {
    let (kr, period) = (row.kr, &row.objective.period);
    let records = |c: &&Checkin| c.obs.records() == kr.kind.records();
    // The history is sorted by date: the period's part is found by binary search, and the
    // value before it is the last one recorded before the start (a KPI read by thousands of
    // key results is not walked from its first check-in for each).
    let seen = row.seen();
    let first = seen.partition_point(|c| c.date < period.start);
    let before = seen[..first]
        .iter()
        .rev()
        .find(records)
        .map(|c| kr.kind.progress(Some(c.obs)));
    let mut points: Vec<(Date, f64)> = seen[first..]
        .iter()
        .take_while(|c| c.date <= period.end)
        .filter(records)
        .map(|c| (c.date, kr.kind.progress(Some(c.obs))))
        .collect();
    if let Some(p) = before
        && points.first().is_none_or(|f| f.0 > period.start)
    {
        points.insert(0, (period.start, p));
    }
    points
}

/// A step path (a value holds until the next observation): `M28,108H60V90H120…`.
fn step_path(f: &Frame, points: &[(Date, f64)], until: Date) -> String {
    let mut d = String::new();
    let mut last_y = f64::NAN;
    for (i, &(date, p)) in points.iter().enumerate() {
        let (x, y) = (f.x(date).round(), f.y(p).round());
        if i == 0 {
            let _ = write!(d, "M{x},{y}");
        } else if y != last_y {
            let _ = write!(d, "H{x}V{y}");
        }
        last_y = y;
    }
    if let Some(&(last, _)) = points.last()
        && until > last
    {
        let _ = write!(d, "H{:.0}", f.x(until));
    }
    d
}

/// The id of the chart frame [`frame_defs`] defines for a period.
pub(crate) fn frame_id(n: usize) -> String {
    format!("f{n}")
}

/// The parts every objective chart of one period shares — grid, axes, their labels, the
/// expected pace and the as-of line — defined once per page in a hidden `<svg>` and drawn
/// by each chart with `<use>` (at hundreds of teams this halves the charts' size). Colours
/// are attributes, not classes, since `<use>` copies do not match page styles everywhere.
pub(crate) fn frame_defs(period: &Period, as_of: Date, id: &str) -> Markup {
    let f = Frame {
        x0: period.start,
        days: period.start.days_until(period.end).max(1) as f64,
    };
    let (base, top) = (f.y(0.0), f.y(1.0));
    let (x0, x1) = (f.x(period.start), f.x(period.end));
    let mid = f.y(0.5);
    let now = (as_of >= period.start && as_of <= period.end).then(|| f.x(as_of).round());
    let mid_date = period
        .start
        .add_days(period.start.days_until(period.end) / 2);
    // The pace line's label lies along it, a fifth of the way in.
    let slope = ((base - top) / (x1 - x0)).atan().to_degrees();
    let (px, py) = (x0 + 0.2 * (x1 - x0), base - 0.2 * (base - top) - 3.0);
    html! {
        svg class="defs" width="0" height="0" aria-hidden="true" {
            defs {
                g id=(id) font-size="11" fill="#59636e" font-family="system-ui,sans-serif" {
                    path stroke="#d5dae1" fill="none" d={ "M" (x0) "," (top) "H" (x1) "M" (x0) "," (mid) "H" (x1) } {}
                    path stroke="#1d232b" fill="none" d={ "M" (x0) "," (top - 4.0) "V" (base) "H" (x1) } {}
                    text x="2" y="11" { "% of target" }
                    text x=(x0 - 4.0) y=(top + 4.0) text-anchor="end" { "100%" }
                    text x=(x0 - 4.0) y=(mid + 4.0) text-anchor="end" { "50%" }
                    text x=(x0 - 4.0) y=(base + 4.0) text-anchor="end" { "0%" }
                    text x=(x0) y=(H - 6.0) { (period.start) }
                    text x=(f.x(mid_date)) y=(H - 6.0) text-anchor="middle" { (mid_date) }
                    text x=(x1) y=(H - 6.0) text-anchor="end" { (period.end) }
                    path stroke="#59636e" stroke-width="1.2" stroke-dasharray="5 4" fill="none" d={ "M" (x0) "," (base) "L" (x1) "," (top) } {}
                    text x=(format!("{px:.0}")) y=(format!("{py:.0}")) font-size="9"
                        transform=(format!("rotate(-{slope:.1} {px:.0} {py:.0})")) { "expected pace" }
                    @if let Some(x) = now {
                        path stroke="#59636e" stroke-dasharray="2 3" d={ "M" (x) "," (top - 4.0) "V" (base) } {}
                        text x=(x) y=(top - 7.0) text-anchor="middle" font-size="10" { "today" }
                    }
                }
            }
        }
    }
}

/// One chart per objective: its period's frame (`frame`, from [`frame_defs`]), then every
/// key result's progress as a step line in its colour (`.k0`…), its forecast dashed, and a
/// direct label at the right (its id, its progress and its forecast), so no reader has to
/// match colours.
pub(crate) fn objective_chart(row: &ObjectiveRow, as_of: Date, frame: &str) -> Markup {
    let p = &row.objective.period;
    let f = Frame {
        x0: p.start,
        days: p.start.days_until(p.end).max(1) as f64,
    };
    let label = format!(
        "Key results of {}: progress and forecast against the expected pace",
        row.objective.reference()
    );
    let until = as_of.min(p.end);
    let labels = direct_labels(row, &f);
    html! {
        // The <title> names the chart for assistive technology.
        svg class="oc" viewBox={ "0 0 " (W) " " (H) } role="img" {
            title { (label) }
            use href={ "#" (frame) } {}
            @for (i, kr) in row.key_results.iter().enumerate() {
                @let points = kr_points(kr);
                @if !points.is_empty() {
                    path class={ "l k" (i % COLOURS) } d=(step_path(&f, &points, until)) {}
                }
                // The forecast: a dashed line from today's progress to the projected
                // progress at the period's end, in a shaded wedge up to the band's ends.
                @if let (Some(fc), Some((start, target))) = (kr.forecast(), kr.kr.kind.bounds()) {
                    @let (x0, y0) = (f.x(until).round(), f.y(kr.score.progress).round());
                    @let x1 = f.x(p.end).round();
                    @if let Some((lo, hi)) = fc.progress_band(start, target) {
                        path class={ "band k" (i % COLOURS) }
                            d={ "M" (x0) "," (y0) "L" (x1) "," (f.y(lo).round()) "V" (f.y(hi).round()) "Z" } {}
                    }
                    path class={ "fc k" (i % COLOURS) } d={ "M" (x0) "," (y0) "L" (x1) "," (f.y(fc.progress).round()) } {}
                }
            }
            // The labels' x and size come from the group and the stylesheet (`.dl text`):
            // at thousands of key results every byte per label counts.
            g.dl transform={ "translate(" (W - RIGHT + 4.0) ",3)" } {
                @for (i, y, text) in &labels {
                    text class={ "k" (i % COLOURS) } y=(format!("{y:.0}")) { (text) }
                }
            }
        }
    }
}

/// Each key result's direct label — `id 62% → 89%`: its progress, then its forecast — at
/// the height where its line ends, moved apart so that no two overlap, inside the plot.
fn direct_labels(row: &ObjectiveRow, f: &Frame) -> Vec<(usize, f64, String)> {
    let mut labels: Vec<(usize, f64, String)> = row
        .key_results
        .iter()
        .enumerate()
        .map(|(i, kr)| {
            let mut id: String = kr.kr.id.chars().take(LABEL_ID).collect();
            if kr.kr.id.chars().count() > LABEL_ID {
                id.push('…');
            }
            let now = percent(kr.score.progress);
            let (end, text) = match kr.forecast() {
                Some(fc) => (fc.progress, format!("{id} {now}→{}", percent(fc.progress))),
                None => (kr.score.progress, format!("{id} {now}")),
            };
            (i, f.y(end), text)
        })
        .collect();
    labels.sort_by(|a, b| a.1.total_cmp(&b.1));
    // Down from the top, then back up from the bottom: no two closer than LABEL_GAP.
    let mut last = f64::NEG_INFINITY;
    for l in labels.iter_mut() {
        l.1 = l.1.max(last + LABEL_GAP).max(TOP);
        last = l.1;
    }
    let mut next = f64::INFINITY;
    for l in labels.iter_mut().rev() {
        l.1 = l.1.min(next - LABEL_GAP).min(H - BOTTOM);
        next = l.1;
    }
    labels
}

/// A KPI's recent values (the last 12 on or before the as-of date) as a line coloured by
/// its status (`.healthy`, `.warning`, `.critical`), on a scale that holds its target and
/// its critical threshold, both drawn (target dashed, critical dotted), the last value a
/// dot.
pub(crate) fn kpi_sparkline(row: &KpiRow) -> Markup {
    let seen = row.seen();
    let values: Vec<f64> = seen
        .iter()
        .rev()
        .take(12)
        .rev()
        .filter_map(|c| match c.obs {
            Observation::Value(v) => Some(v),
            Observation::Done(_) => None,
        })
        .collect();
    let (sw, sh) = (96.0, 26.0);
    let (target, critical) = (row.kpi.target, row.kpi.critical);
    let marks = || {
        values
            .iter()
            .copied()
            .chain(std::iter::once(target))
            .chain(critical)
            .filter(|v| v.is_finite())
    };
    let lo = marks().fold(f64::INFINITY, f64::min);
    let hi = marks().fold(f64::NEG_INFINITY, f64::max);
    // Always finite: metric_progress handles ranges that overflow.
    let y = |v: f64| {
        let f = if hi > lo {
            metric_progress(lo, hi, Some(v))
        } else {
            0.5
        };
        sh - 3.0 - f * (sh - 6.0)
    };
    let step = if values.len() > 1 {
        sw / (values.len() - 1) as f64
    } else {
        0.0
    };
    let mut points = String::new();
    for (i, &v) in values.iter().enumerate() {
        let sep = if i == 0 { "" } else { " " };
        let _ = write!(points, "{sep}{:.0},{:.0}", i as f64 * step, y(v));
    }
    let last = values
        .last()
        .map(|&v| ((values.len() - 1) as f64 * step, y(v)));
    let status = row.score.status.as_str();
    html! {
        // Decorative: the value, the thresholds and the trend stand in the cells beside it.
        svg class={ "sl " (status) } viewBox={ "-3 0 " (sw + 6.0) " " (sh) } aria-hidden="true" {
            path class="target" d={ "M0," (format!("{:.0}", y(target))) "H" (sw) } {}
            @if let Some(c) = critical {
                path class="critical" d={ "M0," (format!("{:.0}", y(c))) "H" (sw) } {}
            }
            @if values.len() > 1 {
                polyline class="l" points=(points) {}
            }
            @if let Some((x, ly)) = last {
                circle class="dot" cx=(format!("{x:.0}")) cy=(format!("{ly:.0}")) r="2" {}
            }
        }
    }
}

/// The reliability diagram of calibration (SPEC 14): each confidence bin's mean confidence
/// (x) against how often its key results reached their target (y), a dot whose area grows
/// with the bin's weight, beside the diagonal of perfect calibration. Dots below the diagonal
/// are confidences too hopeful.
pub(crate) fn reliability_diagram(bins: &[crate::score::measures::BinSummary]) -> Markup {
    let (w, h, pad) = (220.0, 220.0, 30.0);
    let x = |c: f64| pad + c.clamp(0.0, 1.0) * (w - 2.0 * pad);
    let y = |o: f64| h - pad - o.clamp(0.0, 1.0) * (h - 2.0 * pad);
    let total: f64 = bins.iter().map(|b| b.weight).sum();
    let r = |weight: f64| {
        let share = if total > 0.0 { weight / total } else { 0.0 };
        3.0 + 9.0 * share.clamp(0.0, 1.0).sqrt()
    };
    let label = format!(
        "Reliability diagram: {} confidence bins; dots on the diagonal are well calibrated, below it too hopeful",
        bins.len()
    );
    html! {
        svg class="rel" viewBox={ "0 0 " (w) " " (h) } role="img" aria-label=(label) {
            path class="axis" d={ "M" (pad) "," (pad) "V" (h - pad) "H" (w - pad) } {}
            path class="diag" d={ "M" (x(0.0)) "," (y(0.0)) "L" (x(1.0)) "," (y(1.0)) } {}
            text x=(w / 2.0) y=(h - 6.0) text-anchor="middle" { "confidence given" }
            text x="10" y=(h / 2.0) text-anchor="middle" transform={ "rotate(-90 10 " (h / 2.0) ")" } { "target reached" }
            text x=(x(0.0)) y=(h - pad + 12.0) text-anchor="middle" { "0" }
            text x=(x(1.0)) y=(h - pad + 12.0) text-anchor="middle" { "1" }
            text x=(pad - 4.0) y=(y(1.0) + 4.0) text-anchor="end" { "1" }
            @for b in bins {
                circle class="dot" cx=(format!("{:.1}", x(b.confidence))) cy=(format!("{:.1}", y(b.outcome))) r=(format!("{:.1}", r(b.weight))) {
                    title { (format!("confidence {:.2}, reached {}, weight {:.1}", b.confidence, percent(b.outcome), b.weight)) }
                }
            }
        }
    }
}

/// A bar chart of check-in latency: how many check-ins were committed how long after their
/// date, one bar per bucket (`counts` in the order of `labels`).
pub(crate) fn latency_histogram(labels: &[&str], counts: &[usize]) -> Markup {
    let (w, h, pad, top) = (360.0, 150.0, 24.0, 14.0);
    let n = labels.len().max(1) as f64;
    let most = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let slot = (w - 2.0 * pad) / n;
    let label = format!(
        "Check-in latency: {} check-ins by days from their date to their commit",
        counts.iter().sum::<usize>()
    );
    html! {
        svg class="lat" viewBox={ "0 0 " (w) " " (h) } role="img" aria-label=(label) {
            path class="axis" d={ "M" (pad) "," (h - pad) "H" (w - pad) } {}
            @for (i, (l, c)) in labels.iter().zip(counts).enumerate() {
                @let bh = (*c as f64 / most) * (h - pad - top - 4.0);
                @let x0 = pad + i as f64 * slot;
                rect class="bar" x=(format!("{:.1}", x0 + 3.0)) y=(format!("{:.1}", h - pad - bh)) width=(format!("{:.1}", slot - 6.0)) height=(format!("{:.1}", bh)) {
                    title { (format!("{l}: {c}")) }
                }
                text x=(format!("{:.1}", x0 + slot / 2.0)) y=(format!("{:.1}", h - pad - bh - 3.0)) text-anchor="middle" { (c) }
                text x=(format!("{:.1}", x0 + slot / 2.0)) y=(h - 8.0) text-anchor="middle" { (l) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::report::view::StatusView;
    use crate::score::{Thresholds, score};

    fn goals(values: &[f64], target: f64) -> Goals {
        let d = Date::parse("2026-10-01").unwrap();
        let checkins = values
            .iter()
            .enumerate()
            .map(|(i, &v)| Checkin {
                date: d.add_days(i as i64 * 7),
                obs: Observation::Value(v),
                confidence: None,
                text: None,
                span: Span::default(),
            })
            .collect();
        Goals {
            upstream: Default::default(),
            objectives: Vec::new(),
            kpis: vec![Kpi {
                team: "t".into(),
                id: "k".into(),
                title: "<K> & \"k\"".into(),
                unit: None,
                better: Better::Lower,
                target,
                critical: None,
                cadence: Cadence::Weekly,
                owner: None,
                source: None,
                checkins,
                span: Span::default(),
            }],
        }
    }

    /// SPEC 10: no non-finite number in the SVG, whatever the values.
    #[test]
    fn huge_values_give_finite_coordinates() {
        for (values, target) in [
            (vec![-1.7e308, 1.7e308], 0.0),
            (vec![1e308, -1e308, 0.0], -1e308),
            (vec![1.7e308], 1.7e308),
        ] {
            let g = goals(&values, target);
            let card = score(
                crate::model::Valid::assume(&g),
                Date::parse("2026-12-01").unwrap(),
                Thresholds::default(),
            );
            let view = StatusView::new(&g, &card, &[], &[KpiId::new(0)]);
            let svg = kpi_sparkline(&view.kpis[0]).into_string();
            for bad in ["NaN", "inf"] {
                assert!(!svg.contains(bad), "{bad} in {svg}");
            }
            assert!(svg.starts_with("<svg class=\"sl "));
        }
    }
}
