//! Inline SVG charts for the HTML report: a key result's progress against the expected pace,
//! and a KPI's values against its target and critical band. Pure string building; every
//! chart has a `viewBox` (it scales to its container), labelled axes, and honest scales: the
//! x axis is time to scale, progress always spans 0–1, a KPI's value axis covers every value,
//! the target and the critical threshold.

use super::html::esc;
use super::text::num;
use crate::date::Date;
use crate::model::Better;

const W: f64 = 480.0;
const H: f64 = 270.0;
const LEFT: f64 = 62.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 52.0;

/// Maps dates and values to chart coordinates.
struct Frame {
    x0: Date,
    days: f64,
    y0: f64,
    y1: f64,
}

impl Frame {
    fn new(x0: Date, x1: Date, y0: f64, y1: f64) -> Frame {
        let days = x0.days_until(x1).max(1) as f64;
        let (y0, y1) = if y1 > y0 {
            (y0, y1)
        } else {
            (y0 - 1.0, y0 + 1.0)
        };
        Frame { x0, days, y0, y1 }
    }
    fn x(&self, d: Date) -> f64 {
        let f = (self.x0.days_until(d) as f64 / self.days).clamp(0.0, 1.0);
        LEFT + f * (W - LEFT - RIGHT)
    }
    /// Always finite: `metric_progress` keeps the fraction finite even when the value
    /// range overflows (KPI values near ±1e308).
    fn y(&self, v: f64) -> f64 {
        let f = crate::score::metric_progress(self.y0, self.y1, Some(v));
        H - BOTTOM - f * (H - TOP - BOTTOM)
    }
}

fn open(class: &str, label: &str) -> String {
    format!(
        "<svg class=\"chart {class}\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{l}\" \
         xmlns=\"http://www.w3.org/2000/svg\" preserveAspectRatio=\"xMidYMid meet\"><title>{l}</title>\n",
        l = esc(label)
    )
}

/// Date ticks: the first and last day, and month starts in between when they leave room.
fn x_axis(f: &Frame, x1: Date, out: &mut String) {
    let base = H - BOTTOM;
    out.push_str(&format!(
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\"/>\n",
        W - RIGHT
    ));
    // Month starts strictly inside the range, kept when they leave room for their label.
    let end_x = f.x(x1);
    let mut ticks = vec![f.x0];
    // Labels are about 75 units wide: the first is anchored at its start, the last at its
    // end and the others at their middle.
    let mut prev = f.x(f.x0);
    let mut gap = 120.0;
    let mut d = f.x0.last_of_month().add_days(1);
    while d < x1 {
        let x = f.x(d);
        if x - prev >= gap && end_x - x >= 120.0 {
            gap = 85.0;
            ticks.push(d);
            prev = x;
        }
        d = d.last_of_month().add_days(1);
    }
    if x1 > f.x0 {
        ticks.push(x1);
    }
    let n = ticks.len();
    for (i, t) in ticks.into_iter().enumerate() {
        let x = f.x(t);
        let anchor = if i == 0 {
            "start"
        } else if i + 1 == n {
            "end"
        } else {
            "middle"
        };
        out.push_str(&format!(
            "<line class=\"tick\" x1=\"{x:.1}\" y1=\"{base}\" x2=\"{x:.1}\" y2=\"{}\"/>\
             <text class=\"xlabel\" x=\"{x:.1}\" y=\"{}\" text-anchor=\"{anchor}\">{t}</text>\n",
            base + 5.0,
            base + 21.0
        ));
    }
    out.push_str(&format!(
        "<text class=\"axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">date</text>\n",
        (LEFT + W - RIGHT) / 2.0,
        H - 6.0
    ));
}

/// Value ticks with grid lines, and the axis title written up the left side.
fn y_axis(f: &Frame, ticks: &[f64], fmt: impl Fn(f64) -> String, title: &str, out: &mut String) {
    out.push_str(&format!(
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{}\"/>\n",
        H - BOTTOM
    ));
    for &v in ticks {
        let y = f.y(v);
        out.push_str(&format!(
            "<line class=\"grid\" x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\"/>\
             <text class=\"ylabel\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n",
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            esc(&fmt(v))
        ));
    }
    let cy = (TOP + H - BOTTOM) / 2.0;
    out.push_str(&format!(
        "<text class=\"axis-title\" x=\"15\" y=\"{cy}\" text-anchor=\"middle\" \
         transform=\"rotate(-90 15 {cy})\">{}</text>\n",
        esc(title)
    ));
}

/// A step line (a value holds until the next check-in) with a dot on each check-in.
fn steps(f: &Frame, points: &[(Date, f64)], until: Date, class: &str, out: &mut String) {
    let Some(&(first_d, first_v)) = points.first() else {
        return;
    };
    let mut d = format!("M{:.1},{:.1}", f.x(first_d), f.y(first_v));
    for &(date, v) in &points[1..] {
        d.push_str(&format!(" H{:.1} V{:.1}", f.x(date), f.y(v)));
    }
    if let Some(&(last, _)) = points.last()
        && until > last
    {
        d.push_str(&format!(" H{:.1}", f.x(until)));
    }
    out.push_str(&format!("<path class=\"{class}\" d=\"{d}\"/>\n"));
    for &(date, v) in points {
        out.push_str(&format!(
            "<circle class=\"dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\"><title>{date}: {}</title></circle>\n",
            f.x(date),
            f.y(v),
            num(v)
        ));
    }
}

fn as_of_marker(f: &Frame, as_of: Date, x1: Date, out: &mut String) {
    if as_of < f.x0 || as_of > x1 {
        return;
    }
    let x = f.x(as_of);
    out.push_str(&format!(
        "<line class=\"today\" x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{}\"/>\
         <text class=\"note\" x=\"{:.1}\" y=\"{}\" text-anchor=\"{}\">as of</text>\n",
        H - BOTTOM,
        if x > W / 2.0 { x - 4.0 } else { x + 4.0 },
        TOP + 10.0,
        if x > W / 2.0 { "end" } else { "start" }
    ));
}

/// A key result's progress (0–1) at each check-in, against the straight line from 0 at the
/// period's start to 1 at its end. `points` are inside the period and on or before `as_of`.
pub fn kr_chart(
    label: &str,
    start: Date,
    end: Date,
    as_of: Date,
    points: &[(Date, f64)],
) -> String {
    let f = Frame::new(start, end, 0.0, 1.0);
    let mut out = open("kr-chart", label);
    y_axis(
        &f,
        &[0.0, 0.25, 0.5, 0.75, 1.0],
        |v| format!("{v:.2}"),
        "progress",
        &mut out,
    );
    x_axis(&f, end, &mut out);
    out.push_str(&format!(
        "<line class=\"pace\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>\n",
        f.x(start),
        f.y(0.0),
        f.x(end),
        f.y(1.0)
    ));
    as_of_marker(&f, as_of, end, &mut out);
    if points.is_empty() {
        out.push_str(&format!(
            "<text class=\"note\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">no check-ins yet</text>\n",
            (LEFT + W - RIGHT) / 2.0,
            (TOP + H - BOTTOM) / 2.0
        ));
    } else {
        steps(&f, points, as_of.min(end), "line", &mut out);
    }
    out.push_str(&legend(&[("line", "progress"), ("pace", "expected pace")]));
    out.push_str("</svg>");
    out
}

/// What a KPI chart shows.
pub struct KpiChart<'a> {
    pub label: &'a str,
    pub unit: &'a str,
    pub better: Better,
    pub target: f64,
    pub critical: Option<f64>,
    pub as_of: Date,
    /// Values on or before `as_of`, by date.
    pub points: &'a [(Date, f64)],
}

/// A KPI's values over time, the target as a dashed line and the critical zone shaded.
pub fn kpi_chart(c: &KpiChart) -> String {
    let mut lo = c.target;
    let mut hi = c.target;
    for v in c.points.iter().map(|p| p.1).chain(c.critical) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    // Leave room beyond the critical threshold so the shaded zone is visible.
    if let Some(crit) = c.critical {
        // A range that overflows (values near ±1e308) counts as the largest finite one.
        let range = finite(hi - lo);
        let pad = range.max(crit.abs() * 0.01).max(f64::MIN_POSITIVE) * 0.15;
        match c.better {
            Better::Lower => hi = finite(hi.max(crit + pad)),
            Better::Higher => lo = finite(lo.min(crit - pad)),
        }
    }
    let ticks: Vec<f64> = nice_ticks(lo, hi)
        .into_iter()
        .filter(|t| t.is_finite())
        .collect();
    let (y0, y1) = match (ticks.first(), ticks.last()) {
        (Some(&a), Some(&b)) => (a.min(lo), b.max(hi)),
        _ => (lo, hi),
    };
    let (x0, x1) = match (c.points.first(), c.points.last()) {
        (Some(a), Some(b)) => (a.0, b.0.max(c.as_of)),
        _ => (c.as_of.add_days(-28), c.as_of),
    };
    let f = Frame::new(x0, x1, y0, y1);
    let mut out = open("kpi-chart", c.label);
    if let Some(crit) = c.critical {
        let (a, b) = match c.better {
            Better::Lower => (f.y(f.y1), f.y(crit)),
            Better::Higher => (f.y(crit), f.y(f.y0)),
        };
        out.push_str(&format!(
            "<rect class=\"critical\" x=\"{LEFT}\" y=\"{a:.1}\" width=\"{}\" height=\"{:.1}\"/>\
             <text class=\"band-label\" x=\"{}\" y=\"{:.1}\">critical</text>\n",
            W - LEFT - RIGHT,
            (b - a).max(0.0),
            LEFT + 4.0,
            match c.better {
                Better::Lower => a + 12.0,
                Better::Higher => b - 4.0,
            }
        ));
    }
    let unit = c.unit;
    let title = if unit.is_empty() {
        "value".to_owned()
    } else {
        format!("value ({unit})")
    };
    y_axis(&f, &ticks, num, &title, &mut out);
    x_axis(&f, x1, &mut out);
    let ty = f.y(c.target);
    out.push_str(&format!(
        "<line class=\"target\" x1=\"{LEFT}\" y1=\"{ty:.1}\" x2=\"{}\" y2=\"{ty:.1}\"/>\n",
        W - RIGHT
    ));
    as_of_marker(&f, c.as_of, x1, &mut out);
    if c.points.is_empty() {
        out.push_str(&format!(
            "<text class=\"note\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">no check-ins yet</text>\n",
            (LEFT + W - RIGHT) / 2.0,
            (TOP + H - BOTTOM) / 2.0
        ));
    } else {
        let mut d = String::new();
        for (i, &(date, v)) in c.points.iter().enumerate() {
            d.push_str(&format!(
                "{}{:.1},{:.1}",
                if i == 0 { "M" } else { " L" },
                f.x(date),
                f.y(v)
            ));
        }
        out.push_str(&format!("<path class=\"line\" d=\"{d}\"/>\n"));
        for &(date, v) in c.points {
            out.push_str(&format!(
                "<circle class=\"dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\"><title>{date}: {}</title></circle>\n",
                f.x(date),
                f.y(v),
                esc(&super::text::with_unit(v, Some(unit)))
            ));
        }
    }
    let mut items = vec![("line", "value"), ("target", "target")];
    if c.critical.is_some() {
        items.push(("critical", "critical zone"));
    }
    out.push_str(&legend(&items));
    out.push_str("</svg>");
    out
}

fn legend(items: &[(&str, &str)]) -> String {
    let mut out = String::from("<g class=\"legend\">");
    let mut x = LEFT + 8.0;
    let y = 12.0;
    for (class, text) in items {
        if *class == "critical" {
            out.push_str(&format!(
                "<rect class=\"critical\" x=\"{x:.0}\" y=\"{:.0}\" width=\"16\" height=\"8\"/>",
                y - 4.0
            ));
        } else {
            out.push_str(&format!(
                "<line class=\"{class}\" x1=\"{x:.0}\" y1=\"{y:.0}\" x2=\"{:.0}\" y2=\"{y:.0}\"/>",
                x + 16.0
            ));
        }
        out.push_str(&format!(
            "<text class=\"note\" x=\"{:.0}\" y=\"{:.0}\">{}</text>",
            x + 20.0,
            y + 4.0,
            esc(text)
        ));
        x += 30.0 + 7.5 * text.len() as f64;
    }
    out.push_str("</g>\n");
    out
}

/// `x` clamped to the finite range (NaN stays NaN, and is filtered by callers).
fn finite(x: f64) -> f64 {
    x.clamp(-f64::MAX, f64::MAX)
}

/// Round tick values (1, 2 or 5 × 10ⁿ apart) covering [lo, hi], about five of them.
pub fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() {
        return Vec::new();
    }
    let span = finite(if hi > lo { hi - lo } else { lo.abs().max(1.0) });
    let raw = span / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        // At most four intervals: five labels fit the narrowest chart.
        .find(|s| span / s <= 4.0 + 1e-9)
        .unwrap_or(10.0 * mag);
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - step, hi + step)
    };
    let first = (lo / step).floor() * step;
    let mut ticks = Vec::new();
    let mut k = 0.0;
    while ticks.len() < 12 {
        let v = first + k * step;
        // Snap away float noise such as 0.6000000000000001: round to the step's decimals.
        let v = (v / step).round() * step;
        let scale = 10f64.powi((2.0 - step.log10().floor()).max(0.0) as i32);
        let snapped = (v * scale).round() / scale;
        let v = if snapped.is_finite() && scale <= 1e12 {
            snapped
        } else {
            v
        };
        ticks.push(v);
        if v >= hi - step * 1e-9 {
            break;
        }
        k += 1.0;
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(nice_ticks(0.0, 1.0), [0.0, 0.25, 0.5, 0.75, 1.0]);
        let t = nice_ticks(99.5, 99.98);
        assert!(t[0] <= 99.5 && *t.last().unwrap() >= 99.98, "{t:?}");
        let t = nice_ticks(300.0, 500.0);
        assert_eq!(t, [300.0, 350.0, 400.0, 450.0, 500.0]);
        assert!(!nice_ticks(5.0, 5.0).is_empty());
    }

    /// SPEC 10: no non-finite number in the SVG, whatever the values.
    #[test]
    fn huge_values_give_finite_coordinates() {
        let d = |s| Date::parse(s).unwrap();
        for (target, critical, values) in [
            (0.0, Some(1e308), vec![-1.7e308, 1.7e308]),
            (-1e308, Some(1.7e308), vec![1e308, -1e308, 0.0]),
            (1.7e308, None, vec![-1.7e308]),
        ] {
            let points: Vec<(Date, f64)> = values
                .iter()
                .enumerate()
                .map(|(i, &v)| (d("2026-10-01").add_days(i as i64 * 7), v))
                .collect();
            let svg = kpi_chart(&KpiChart {
                label: "huge",
                unit: "x",
                better: Better::Lower,
                target,
                critical,
                as_of: d("2026-11-01"),
                points: &points,
            });
            for bad in ["NaN", "inf", "=\"-\"", "e308"] {
                assert!(!svg.contains(bad), "{bad} in {svg}");
            }
        }
    }

    #[test]
    fn charts_escape_labels_and_scale() {
        let d = |s| Date::parse(s).unwrap();
        let svg = kr_chart(
            "a <b> & c",
            d("2026-10-01"),
            d("2026-12-31"),
            d("2026-11-22"),
            &[(d("2026-10-05"), 0.1), (d("2026-11-16"), 0.74)],
        );
        assert!(svg.starts_with("<svg class=\"chart kr-chart\" viewBox="));
        assert!(svg.contains("a &lt;b&gt; &amp; c"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("2026-10-01") && svg.contains("2026-12-31"));
    }
}
