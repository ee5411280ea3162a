//! Inline SVG for the HTML report, built with maud (every text escaped): an objective's
//! chart (each key result's progress over the period against the expected pace) and
//! sparklines (a KPI's recent values against its target). Coordinates are whole numbers or
//! one decimal in a fixed `viewBox`, so the charts scale to their container and stay small;
//! every coordinate is finite whatever the values (SPEC 10).

use super::view::{KpiRow, ObjectiveRow};
use crate::date::Date;
use crate::model::{Observation, Period};
use crate::score::metric_progress;
use maud::{Markup, html};
use std::fmt::Write as _;

/// Objective chart size (viewBox units).
const W: f64 = 320.0;
const H: f64 = 132.0;
const LEFT: f64 = 28.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 24.0;

/// How many key-result colours the stylesheet defines (`.k0` … `.k5`).
pub const COLOURS: usize = 6;

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
pub fn kr_points(row: &super::view::KrRow) -> Vec<(Date, f64)> {
    let (kr, period) = (row.kr, &row.objective.period);
    let mut points = Vec::new();
    let mut before = None;
    for c in row.seen() {
        if c.obs.records() != kr.kind.records() {
            continue;
        }
        let p = kr.kind.progress(Some(c.obs));
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
pub fn frame_id(n: usize) -> String {
    format!("f{n}")
}

/// The parts every objective chart of one period shares — grid, axes, their labels, the
/// expected pace and the as-of line — defined once per page in a hidden `<svg>` and drawn
/// by each chart with `<use>` (at hundreds of teams this halves the charts' size). Colours
/// are attributes, not classes, since `<use>` copies do not match page styles everywhere.
pub fn frame_defs(period: &Period, as_of: Date, id: &str) -> Markup {
    let f = Frame {
        x0: period.start,
        days: period.start.days_until(period.end).max(1) as f64,
    };
    let (base, top) = (f.y(0.0), f.y(1.0));
    let (x0, x1) = (f.x(period.start), f.x(period.end));
    let mid = f.y(0.5);
    let now = (as_of >= period.start && as_of <= period.end).then(|| f.x(as_of).round());
    html! {
        svg class="defs" width="0" height="0" aria-hidden="true" {
            defs {
                g id=(id) font-size="11" fill="#5b6573" font-family="system-ui,sans-serif" {
                    path stroke="#d5dae1" fill="none" d={ "M" (x0) "," (top) "H" (x1) "M" (x0) "," (mid) "H" (x1) } {}
                    path stroke="#1d232b" fill="none" d={ "M" (x0) "," (top - 4.0) "V" (base) "H" (x1) } {}
                    text x=(x0 - 4.0) y=(top + 4.0) text-anchor="end" { "1" }
                    text x=(x0 - 4.0) y=(base + 4.0) text-anchor="end" { "0" }
                    text x=(x0) y=(H - 6.0) { (period.start) }
                    text x=(x1) y=(H - 6.0) text-anchor="end" { (period.end) }
                    path stroke="#6e7781" stroke-width="1.2" stroke-dasharray="5 4" d={ "M" (x0) "," (base) "L" (x1) "," (top) } {}
                    @if let Some(x) = now {
                        path stroke="#6e7781" stroke-dasharray="2 3" d={ "M" (x) "," (top - 4.0) "V" (base) } {}
                    }
                }
            }
        }
    }
}

/// One chart per objective: its period's frame (`frame`, from [`frame_defs`]), then every
/// key result's progress as a step line in its colour (`.k0`…).
pub fn objective_chart(row: &ObjectiveRow, as_of: Date, frame: &str) -> Markup {
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
    html! {
        // The <title> names the chart for assistive technology.
        svg class="oc" viewBox={ "0 0 " (W) " " (H) } role="img" {
            title { (label) }
            use href={ "#" (frame) } {}
            @for (i, kr) in row.key_results.iter().enumerate() {
                @let points = kr_points(kr);
                @if !points.is_empty() {
                    // Named by its colour: the table beside the chart has the same swatch.
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
        }
    }
}

/// A KPI's recent values (the last 12 on or before the as-of date) as a line, with its
/// target as a dashed line when the target is inside the values' range.
pub fn kpi_sparkline(row: &KpiRow) -> Markup {
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
    let (sw, sh) = (96.0, 22.0);
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // Always finite: metric_progress handles ranges that overflow.
    let y = |v: f64| {
        let f = if hi > lo {
            metric_progress(lo, hi, Some(v))
        } else {
            0.5
        };
        sh - 2.0 - f * (sh - 4.0)
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
    let target = row.kpi.target;
    let target_y = (hi > lo && target >= lo && target <= hi).then(|| y(target));
    html! {
        // Decorative: the value and the trend stand in the cells beside it.
        svg class="sl" viewBox={ "-2 0 " (sw + 4.0) " " (sh) } aria-hidden="true" {
            @if let Some(ty) = target_y {
                path class="target" d={ "M0," (format!("{ty:.1}")) "H" (sw) } {}
            }
            @if values.len() == 1 {
                circle class="dot" cx=(sw / 2.0) cy=(y(values[0])) r="2" {}
            } @else if !values.is_empty() {
                polyline class="l" points=(points) {}
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
            assert!(svg.starts_with("<svg class=\"sl\""));
        }
    }
}
