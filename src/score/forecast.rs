//! The forecast of SPEC 5: where a metric key result will be at the end of its period if it
//! keeps the trend of its observations so far. A least-squares line through the start point
//! (day 0, `start`) and every observation dated in the period up to the as-of date, its value
//! at the period's end, that value's progress, and a ±1 standard-error band of prediction
//! for three or more points. The arithmetic follows SPEC 5 to the letter (two-pass centred
//! sums in date order), so an independent implementation gets the same bits.

use crate::model::*;

/// A key result's forecast, in its units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Forecast {
    /// The projected value at the period's end (F).
    pub value: f64,
    /// The metric progress of `value`, clamped to [0, 1].
    pub progress: f64,
    /// F − se and F + se; `None` with two points.
    pub low: Option<f64>,
    pub high: Option<f64>,
}

impl Forecast {
    /// The progress of the band's ends, lower first (a decreasing key result's `low` value
    /// is its higher progress).
    pub fn progress_band(&self, start: f64, target: f64) -> Option<(f64, f64)> {
        let (lo, hi) = (self.low?, self.high?);
        let (a, b) = (
            metric_progress(start, target, Some(lo)),
            metric_progress(start, target, Some(hi)),
        );
        Some((a.min(b), a.max(b)))
    }

    /// Whether the band reaches both sides of `mark` (the pass mark: 0.7, or 1.0 committed),
    /// so the forecast could end either way. Allows 1e-9 like every threshold (SPEC 5).
    pub fn straddles(&self, start: f64, target: f64, mark: f64) -> bool {
        self.progress_band(start, target)
            .is_some_and(|(lo, hi)| lo + 1e-9 < mark && hi + 1e-9 >= mark)
    }
}

/// The forecast of a metric key result of period `[s, e]` from `start` toward `target`,
/// given its observations on or before `t`. `None` outside the period, with fewer than two
/// points, when every point is on one day, or when the arithmetic overflows.
pub(crate) fn forecast(
    measure: KrMeasure,
    period: &Period,
    observations: &[Checkin],
    t: Date,
) -> Option<Forecast> {
    let (start, target) = measure.bounds()?;
    if t < period.start || t > period.end {
        return None;
    }
    let s = period.start;
    // The points in date order: the start, then each observation dated in [S, T].
    // The history is sorted by date: the period's part is found by binary search, not by
    // a scan of a KPI's years of check-ins for each key result that reads it.
    let seen = upto(observations, t);
    let points: Vec<(f64, f64)> = std::iter::once((0.0, start))
        .chain(
            seen[seen.partition_point(|c| c.date < s)..]
                .iter()
                .filter_map(|c| match c.obs {
                    Observation::Value(v) => Some((s.days_until(c.date) as f64, v)),
                    Observation::Done(_) => None,
                }),
        )
        .collect();
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let x_mean = points.iter().map(|p| p.0).sum::<f64>() / n;
    let y_mean = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - x_mean) * (p.0 - x_mean)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - x_mean) * (p.1 - y_mean)).sum();
    let b = sxy / sxx;
    let a = y_mean - b * x_mean;
    let x_end = s.days_until(period.end) as f64;
    let value = a + b * x_end;
    let (low, high) = if points.len() >= 3 {
        let sse: f64 = points
            .iter()
            .map(|p| {
                let r = p.1 - a - b * p.0;
                r * r
            })
            .sum();
        let sd = (sse / (n - 2.0)).sqrt();
        let se = sd * (1.0 + 1.0 / n + (x_end - x_mean) * (x_end - x_mean) / sxx).sqrt();
        (Some(value - se), Some(value + se))
    } else {
        (None, None)
    };
    let finite =
        value.is_finite() && low.is_none_or(f64::is_finite) && high.is_none_or(f64::is_finite);
    finite.then(|| Forecast {
        value,
        progress: metric_progress(start, target, Some(value)),
        low,
        high,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        Date::parse(s).expect("a date")
    }

    fn q4() -> Period {
        Period {
            name: "2026-Q4".into(),
            start: d("2026-10-01"),
            end: d("2026-12-31"),
        }
    }

    fn obs(points: &[(&str, f64)]) -> Vec<Checkin> {
        points
            .iter()
            .map(|&(date, v)| Checkin {
                date: d(date),
                obs: Observation::Value(v),
                confidence: None,
                text: None,
                span: Span::default(),
            })
            .collect()
    }

    const METRIC: KrMeasure = KrMeasure::Metric {
        start: 0.0,
        target: 100.0,
    };

    #[test]
    fn one_point_has_no_forecast() {
        assert_eq!(forecast(METRIC, &q4(), &[], d("2026-11-01")), None);
    }

    #[test]
    fn two_points_give_a_line_without_a_band() {
        // (0, 0) and (10, 20): slope 2 a day; the period's end is day 91.
        let f = forecast(
            METRIC,
            &q4(),
            &obs(&[("2026-10-11", 20.0)]),
            d("2026-11-01"),
        )
        .expect("a forecast");
        assert_eq!(f.value, 182.0);
        assert_eq!(f.progress, 1.0, "overshoot is clamped");
        assert_eq!((f.low, f.high), (None, None));
    }

    #[test]
    fn three_points_give_a_band_by_the_formula() {
        // (0, 0), (10, 10), (20, 30): x̄ = 10, ȳ = 40/3, Sxx = 200, Sxy = 300, b = 1.5,
        // a = 40/3 − 15 = −5/3; F = a + 91b; residuals −(−5/3)… computed below by hand.
        let f = forecast(
            METRIC,
            &q4(),
            &obs(&[("2026-10-11", 10.0), ("2026-10-21", 30.0)]),
            d("2026-11-01"),
        )
        .expect("a forecast");
        let (xm, ym) = (10.0, 40.0 / 3.0);
        let b = 300.0 / 200.0;
        let a = ym - b * xm;
        let value = a + b * 91.0;
        let res: [f64; 3] = [0.0 - a, 10.0 - a - b * 10.0, 30.0 - a - b * 20.0];
        let s = (res.iter().map(|r| r * r).sum::<f64>() / 1.0).sqrt();
        let se = s * (1.0 + 1.0 / 3.0 + (91.0 - xm) * (91.0 - xm) / 200.0).sqrt();
        let close = |x: f64, y: f64| (x - y).abs() <= 1e-12 * y.abs().max(1.0);
        assert!(close(f.value, value), "{f:?} vs {value}");
        assert!(close(f.low.expect("n = 3"), value - se), "{f:?}");
        assert!(close(f.high.expect("n = 3"), value + se), "{f:?}");
        assert_eq!(f.progress, 1.0);
    }

    #[test]
    fn points_all_on_one_day_have_no_forecast() {
        // The only observation is on the first day: both points have x = 0.
        let f = forecast(METRIC, &q4(), &obs(&[("2026-10-01", 5.0)]), d("2026-11-01"));
        assert_eq!(f, None);
    }

    #[test]
    fn a_decreasing_key_result_projects_downward() {
        let m = KrMeasure::Metric {
            start: 250.0,
            target: 150.0,
        };
        let f = forecast(
            m,
            &q4(),
            &obs(&[("2026-10-15", 240.0), ("2026-10-29", 222.0)]),
            d("2026-11-01"),
        )
        .expect("a forecast");
        assert!(f.value < 222.0, "{f:?}");
        assert!(f.progress > 0.28 && f.progress < 1.0, "{f:?}");
        let (lo, hi) = f.progress_band(250.0, 150.0).expect("a band");
        assert!(lo <= f.progress && f.progress <= hi);
    }

    #[test]
    fn milestones_and_other_periods_have_none() {
        let o = obs(&[("2026-10-11", 20.0)]);
        assert_eq!(
            forecast(
                KrMeasure::Milestone { due: None },
                &q4(),
                &o,
                d("2026-11-01")
            ),
            None
        );
        assert_eq!(forecast(METRIC, &q4(), &o, d("2027-01-05")), None);
        assert_eq!(forecast(METRIC, &q4(), &o, d("2026-09-30")), None);
    }

    #[test]
    fn observations_before_the_period_or_after_as_of_are_left_out() {
        // A KPI's check-in before S is not a point; one after T is not seen.
        let o = obs(&[
            ("2026-09-01", 99.0),
            ("2026-10-11", 20.0),
            ("2026-11-20", 99.0),
        ]);
        let f = forecast(METRIC, &q4(), &o, d("2026-11-01")).expect("a forecast");
        assert_eq!(f.value, 182.0);
    }

    #[test]
    fn overflow_makes_the_forecast_null() {
        let m = KrMeasure::Metric {
            start: -1.7e308,
            target: 1.7e308,
        };
        let o = obs(&[("2026-10-02", 1.7e308)]);
        assert_eq!(forecast(m, &q4(), &o, d("2026-11-01")), None);
    }

    #[test]
    fn straddling_the_pass_mark() {
        let f = Forecast {
            value: 70.0,
            progress: 0.7,
            low: Some(60.0),
            high: Some(80.0),
        };
        assert!(f.straddles(0.0, 100.0, 0.7));
        assert!(!f.straddles(0.0, 100.0, 0.5));
        assert!(f.straddles(100.0, 0.0, 0.3), "a decreasing key result");
    }

    proptest! {
        /// Points on a straight line forecast that line: the value at the period's end,
        /// and a band of zero width (up to rounding).
        #[test]
        fn points_on_a_line_forecast_the_line(
            intercept in -1000i32..1000,
            slope in -50i32..50,
            days in proptest::collection::btree_set(1i64..=91, 1..12),
        ) {
            let (a, b) = (f64::from(intercept), f64::from(slope) / 4.0);
            let start = d("2026-10-01");
            let o: Vec<Checkin> = days
                .iter()
                .map(|&x| Checkin {
                    date: start.add_days(x),
                    obs: Observation::Value(a + b * x as f64),
                    confidence: None,
                    text: None,
                    span: Span::default(),
                })
                .collect();
            let m = KrMeasure::Metric { start: a, target: a + 1000.0 };
            let f = forecast(m, &q4(), &o, d("2026-12-31")).expect("two or more points");
            let expected = a + b * 91.0;
            prop_assert!((f.value - expected).abs() <= 1e-9 * (1.0 + expected.abs()), "{f:?} vs {expected}");
            if let (Some(lo), Some(hi)) = (f.low, f.high) {
                prop_assert!((hi - lo).abs() <= 1e-6 * (1.0 + expected.abs()), "{f:?}");
            }
        }
    }
}
