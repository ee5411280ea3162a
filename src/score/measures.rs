//! The measures of SPEC 14 as pure functions over values: medians, the weekly cadence of a
//! key result, forecast skill against the naive forecast, and Murphy's decomposition of the
//! Brier score over weighted (confidence, outcome) pairs. Nothing here reads files or git.

use crate::model::{Date, metric_progress};

/// The median of `values` (the mean of the middle two for an even count); `None` when empty.
pub(crate) fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

/// How often one key result was checked in over its period so far (SPEC 14 "Cadence").
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Cadence {
    /// Days from the period's start to the first check-in; `None` without one.
    pub first_checkin_days: Option<f64>,
    /// The median gap in days between consecutive check-in dates; `None` with fewer than two.
    pub median_gap: Option<f64>,
    /// The share of the period's weeks so far that hold a check-in.
    pub weekly_coverage: f64,
}

/// The cadence of check-ins dated `dates` (sorted, distinct, inside `[s, until]`) over the
/// weeks `[s + 7k, s + 7k + 6]` that start on or before `until` (a partial last week counts).
pub(crate) fn cadence(dates: &[Date], s: Date, until: Date) -> Cadence {
    let first_checkin_days = dates.first().map(|d| s.days_until(*d) as f64);
    let mut gaps: Vec<f64> = dates
        .windows(2)
        .map(|w| w[0].days_until(w[1]) as f64)
        .collect();
    let weeks = s.days_until(until).max(0) / 7 + 1;
    // The weeks that hold a date, counted from the sorted dates (not a flag per week: a
    // period may be as long as a goalpost.toml says).
    let mut covered = 0;
    let mut last = None;
    for d in dates {
        let k = s.days_until(*d).div_euclid(7);
        if (0..weeks).contains(&k) && last != Some(k) {
            covered += 1;
            last = Some(k);
        }
    }
    Cadence {
        first_checkin_days,
        median_gap: median(&mut gaps),
        weekly_coverage: covered as f64 / weeks as f64,
    }
}

/// Sums for forecast skill (SPEC 14): the errors of the trend forecast and of the naive "it
/// stays where it is" forecast, over key-result weeks.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Skill {
    pub forecast_error: f64,
    pub naive_error: f64,
    pub n: usize,
}

impl Skill {
    /// Adds one key-result week: the forecast value and the current value as of that week,
    /// and the final value, all read with the plan `(start, target)` in force at the end.
    #[cfg(test)]
    pub(crate) fn add(&mut self, plan: (f64, f64), forecast: f64, current: f64, last: Option<f64>) {
        self.add_weeks(plan, forecast, current, last, 1);
    }

    /// Adds `weeks` key-result weeks that all had this forecast and current value.
    pub(crate) fn add_weeks(
        &mut self,
        plan: (f64, f64),
        forecast: f64,
        current: f64,
        last: Option<f64>,
        weeks: usize,
    ) {
        let p = |v: Option<f64>| metric_progress(plan.0, plan.1, v);
        let fin = p(last);
        let k = weeks as f64;
        self.forecast_error += k * (p(Some(forecast)) - fin).abs();
        self.naive_error += k * (p(Some(current)) - fin).abs();
        self.n += weeks;
    }

    pub(crate) fn merge(&mut self, other: &Skill) {
        self.forecast_error += other.forecast_error;
        self.naive_error += other.naive_error;
        self.n += other.n;
    }

    /// 1 − Σ forecast errors / Σ naive errors: 1 is perfect, 0 no better than assuming
    /// nothing moves, below 0 worse. `None` without weeks or when the naive forecast never
    /// erred.
    pub(crate) fn skill(&self) -> Option<f64> {
        (self.n > 0 && self.naive_error != 0.0)
            .then(|| 1.0 - self.forecast_error / self.naive_error)
    }
}

/// The ten confidence bins [0, 0.1), … [0.9, 1.0]: Σ weight, Σ weight·confidence and
/// Σ weight·outcome per bin, and Σ weight·(confidence − outcome)² over every pair.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Bins {
    bins: [Bin; 10],
    squared: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Bin {
    weight: f64,
    confidence: f64,
    outcome: f64,
}

/// The bin of a confidence: `floor(10c)`, allowing 1e-9 for rounding, 1.0 in the last.
pub(crate) fn bin_of(c: f64) -> usize {
    ((c * 10.0 + 1e-9).floor().max(0.0) as usize).min(9)
}

/// Murphy's decomposition of a Brier score over weighted pairs (SPEC 14 "Calibration").
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Decomposition {
    /// Σ w(c − o)² / N.
    pub brier: f64,
    /// Σₖ nₖ(c̄ₖ − ōₖ)² / N: how far stated confidences were from what happened (0 is best).
    pub reliability: f64,
    /// Σₖ nₖ(ōₖ − ō)² / N: how well confidences told hits from misses (higher is better).
    pub resolution: f64,
    /// ō(1 − ō): how hard the outcomes were to foresee at all.
    pub uncertainty: f64,
    /// Weighted mean confidence − ō: above 0 too hopeful, below 0 too cautious.
    pub optimism: f64,
    pub bins: Vec<BinSummary>,
}

/// One non-empty bin: its bounds, weight, mean confidence and outcome rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BinSummary {
    pub low: f64,
    pub high: f64,
    pub weight: f64,
    pub confidence: f64,
    pub outcome: f64,
}

impl Bins {
    /// Adds a pair: confidence `c`, outcome `o` (0 or 1), weight `w`.
    pub(crate) fn add(&mut self, c: f64, o: f64, w: f64) {
        let b = &mut self.bins[bin_of(c)];
        b.weight += w;
        b.confidence += w * c;
        b.outcome += w * o;
        self.squared += w * (c - o) * (c - o);
    }

    pub(crate) fn merge(&mut self, other: &Bins) {
        for (a, b) in self.bins.iter_mut().zip(&other.bins) {
            a.weight += b.weight;
            a.confidence += b.confidence;
            a.outcome += b.outcome;
        }
        self.squared += other.squared;
    }

    /// The decomposition; `None` when no pair has weight.
    pub(crate) fn decompose(&self) -> Option<Decomposition> {
        let n: f64 = self.bins.iter().map(|b| b.weight).sum();
        if n <= 0.0 {
            return None;
        }
        let o_bar = self.bins.iter().map(|b| b.outcome).sum::<f64>() / n;
        let c_bar = self.bins.iter().map(|b| b.confidence).sum::<f64>() / n;
        let mut reliability = 0.0;
        let mut resolution = 0.0;
        let mut bins = Vec::new();
        for (k, b) in self.bins.iter().enumerate() {
            if b.weight <= 0.0 {
                continue;
            }
            let (ck, ok) = (b.confidence / b.weight, b.outcome / b.weight);
            reliability += b.weight * (ck - ok) * (ck - ok);
            resolution += b.weight * (ok - o_bar) * (ok - o_bar);
            bins.push(BinSummary {
                low: k as f64 / 10.0,
                high: (k + 1) as f64 / 10.0,
                weight: b.weight,
                confidence: ck,
                outcome: ok,
            });
        }
        Some(Decomposition {
            brier: self.squared / n,
            reliability: reliability / n,
            resolution: resolution / n,
            uncertainty: o_bar * (1.0 - o_bar),
            optimism: c_bar - o_bar,
            bins,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn medians() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0]), Some(3.0));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&mut [9.0, 1.0, 5.0]), Some(5.0));
    }

    #[test]
    fn cadence_counts_weeks_with_a_partial_last_one() {
        let s = d("2026-10-01");
        // Check-ins on days 2, 9 and 23; as of day 24 (4 weeks: 0–6, 7–13, 14–20, 21–24).
        let dates = [d("2026-10-03"), d("2026-10-10"), d("2026-10-24")];
        let c = cadence(&dates, s, d("2026-10-25"));
        assert_eq!(c.first_checkin_days, Some(2.0));
        assert_eq!(c.median_gap, Some(10.5));
        assert_eq!(c.weekly_coverage, 3.0 / 4.0);
        // The period's first day alone is one week.
        let c = cadence(&[], s, s);
        assert_eq!((c.first_checkin_days, c.median_gap), (None, None));
        assert_eq!(c.weekly_coverage, 0.0);
        let c = cadence(&[s], s, d("2026-10-07"));
        assert_eq!((c.median_gap, c.weekly_coverage), (None, 1.0));
        // Day 7 starts the second week.
        let c = cadence(&[s], s, d("2026-10-08"));
        assert_eq!(c.weekly_coverage, 0.5);
    }

    #[test]
    fn skill_by_hand() {
        let mut s = Skill::default();
        // Plan 0 → 100, final 80 (progress 0.8). Forecast 70 (0.7, error 0.1), naive 40
        // (0.4, error 0.4).
        s.add((0.0, 100.0), 70.0, 40.0, Some(80.0));
        assert_eq!(s.n, 1);
        assert!((s.skill().unwrap() - 0.75).abs() < 1e-12);
        // The naive forecast never erring leaves skill undefined.
        let mut z = Skill::default();
        z.add((0.0, 100.0), 70.0, 80.0, Some(80.0));
        assert_eq!(z.skill(), None);
        // A run of weeks counts as that many weeks.
        let mut w = Skill::default();
        w.add_weeks((0.0, 100.0), 70.0, 40.0, Some(80.0), 3);
        assert_eq!(w.n, 3);
        assert!((w.skill().unwrap() - 0.75).abs() < 1e-12);
        assert_eq!(Skill::default().skill(), None);
    }

    #[test]
    fn decomposition_by_hand() {
        // Two pairs in bin 7 (0.7, hit; 0.7, miss) and one in bin 2 (0.2, miss), weight 1 each.
        let mut b = Bins::default();
        b.add(0.7, 1.0, 1.0);
        b.add(0.7, 0.0, 1.0);
        b.add(0.2, 0.0, 1.0);
        let x = b.decompose().unwrap();
        let brier = (0.09 + 0.49 + 0.04) / 3.0;
        assert!((x.brier - brier).abs() < 1e-12);
        // Bin 7: c̄ 0.7, ō 0.5; bin 2: c̄ 0.2, ō 0. ō = 1/3.
        let rel = (2.0 * 0.04 + 0.04) / 3.0;
        let o = 1.0 / 3.0;
        let res = (2.0 * (0.5 - o) * (0.5 - o) + o * o) / 3.0;
        assert!((x.reliability - rel).abs() < 1e-12);
        assert!((x.resolution - res).abs() < 1e-12);
        assert!((x.uncertainty - o * (1.0 - o)).abs() < 1e-12);
        assert!((x.optimism - (1.6 / 3.0 - o)).abs() < 1e-12);
        assert_eq!(x.bins.len(), 2);
        assert_eq!((x.bins[0].low, x.bins[0].high), (0.2, 0.3));
        assert_eq!(Bins::default().decompose(), None);
        assert_eq!(bin_of(1.0), 9);
        assert_eq!(bin_of(0.7), 7);
        assert_eq!(bin_of(0.3), 3);
        assert_eq!(bin_of(0.0), 0);
    }

    proptest! {
        /// With one confidence value per bin, reliability − resolution + uncertainty is the
        /// Brier score exactly (Murphy 1973), up to rounding.
        #[test]
        fn murphy_identity(pairs in prop::collection::vec((0usize..10, 0.0f64..1.0, any::<bool>(), 0.01f64..2.0), 1..40)) {
            let mut b = Bins::default();
            for (k, _, o, w) in &pairs {
                // One value per bin: the bin's own midpoint.
                let c = *k as f64 / 10.0 + 0.05;
                b.add(c, if *o { 1.0 } else { 0.0 }, *w);
            }
            let x = b.decompose().unwrap();
            prop_assert!((x.reliability - x.resolution + x.uncertainty - x.brier).abs() < 1e-9);
        }

        /// A forecast equal to the naive one has skill 0 (when the naive one erred at all).
        #[test]
        fn equal_forecasts_have_no_skill(weeks in prop::collection::vec((-50.0f64..150.0, -50.0f64..150.0), 1..20)) {
            let mut s = Skill::default();
            for (now, last) in &weeks {
                s.add((0.0, 100.0), *now, *now, Some(*last));
            }
            if let Some(k) = s.skill() {
                prop_assert!(k.abs() < 1e-12);
            }
        }
    }
}
