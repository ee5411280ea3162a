//! Periods: `YYYY-Qn`, `YYYY-Hn`, `YYYY`, `YYYY-MM`, or a name defined in goalpost.toml.
//! A period covers its start and end days, both inclusive.

use crate::date::Date;
use std::collections::BTreeMap;

/// A named span of days.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Period {
    pub name: String,
    pub start: Date,
    pub end: Date,
}

impl Period {
    pub fn contains(&self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }

    /// Resolves a period name: the built-in forms first, then the configured names.
    pub fn resolve(name: &str, custom: &BTreeMap<String, (Date, Date)>) -> Option<Period> {
        if let Some((start, end)) = builtin(name) {
            return Some(Period {
                name: name.to_owned(),
                start,
                end,
            });
        }
        custom.get(name).map(|&(start, end)| Period {
            name: name.to_owned(),
            start,
            end,
        })
    }
}

/// The dates of a built-in period name, if `name` is one.
pub(crate) fn builtin(name: &str) -> Option<(Date, Date)> {
    let b = name.as_bytes();
    if b.len() < 4 || !b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let year: i32 = name[..4].parse().ok()?;
    let months = |first: i32, last: i32| -> Option<(Date, Date)> {
        let start = Date::from_ymd(year, first, 1)?;
        let end = Date::from_ymd(year, last, 1)?.last_of_month();
        Some((start, end))
    };
    match &name[4..] {
        "" => months(1, 12),
        rest => {
            let rest = rest.strip_prefix('-')?;
            let (kind, num) = rest.split_at(rest.len().min(1));
            match kind {
                "Q" if num.len() == 1 => {
                    let q: i32 = num.parse().ok().filter(|q| (1..=4).contains(q))?;
                    months(3 * q - 2, 3 * q)
                }
                "H" if num.len() == 1 => {
                    let h: i32 = num.parse().ok().filter(|h| (1..=2).contains(h))?;
                    months(6 * h - 5, 6 * h)
                }
                _ if rest.len() == 2 && rest.bytes().all(|c| c.is_ascii_digit()) => {
                    let m: i32 = rest.parse().ok().filter(|m| (1..=12).contains(m))?;
                    months(m, m)
                }
                _ => None,
            }
        }
    }
}

/// Spans of days (periods), each with a number, for finding those that hold a date without
/// looking through them all: one objective id in thousands of periods, named by thousands of
/// check-ins, stays linear.
pub(crate) struct Spans {
    /// The numbers, in the order the spans were given (by start).
    numbers: Vec<usize>,
    starts: Vec<Date>,
    /// The ends, sorted.
    ends: Vec<Date>,
    /// The latest end below each node of a tree over the objectives (leaves from `size`).
    latest: Vec<Option<Date>>,
    size: usize,
}

impl Spans {
    /// `periods[i]` is the (start, end) of number `objectives[i]`; starts ascending.
    pub(crate) fn new(numbers: Vec<usize>, periods: &[(Date, Date)]) -> Spans {
        debug_assert!(periods.windows(2).all(|w| w[0].0 <= w[1].0));
        let size = periods.len().next_power_of_two();
        let mut latest = vec![None; 2 * size];
        for (i, &(_, end)) in periods.iter().enumerate() {
            latest[size + i] = Some(end);
        }
        for n in (1..size).rev() {
            latest[n] = latest[2 * n].max(latest[2 * n + 1]);
        }
        let mut ends: Vec<Date> = periods.iter().map(|p| p.1).collect();
        ends.sort_unstable();
        Spans {
            numbers,
            starts: periods.iter().map(|p| p.0).collect(),
            ends,
            latest,
            size,
        }
    }

    /// The numbers of the first `k` spans (in the order given) that hold `date`.
    pub(crate) fn holding(&self, date: Date, k: usize) -> Vec<usize> {
        let before = self.starts.partition_point(|&s| s <= date);
        let mut found = Vec::new();
        self.visit(1, 0, self.size, before, date, k, &mut found);
        found.into_iter().map(|i| self.numbers[i]).collect()
    }

    /// How many spans hold `date`: those starting by then, less those ended before it
    /// (which all started before it).
    pub(crate) fn count(&self, date: Date) -> usize {
        let started = self.starts.partition_point(|&s| s <= date);
        let ended = self.ends.partition_point(|&e| e < date);
        started - ended
    }

    /// Leaves below `node` (covering `lo..hi`) before `before` whose end is `date` or later,
    /// leftmost first, until `found` has `k`.
    #[allow(clippy::too_many_arguments)]
    fn visit(
        &self,
        node: usize,
        lo: usize,
        hi: usize,
        before: usize,
        date: Date,
        k: usize,
        found: &mut Vec<usize>,
    ) {
        if found.len() >= k || lo >= before || self.latest[node] < Some(date) {
            return;
        }
        if hi - lo == 1 {
            found.push(lo);
            return;
        }
        let mid = (lo + hi) / 2;
        self.visit(2 * node, lo, mid, before, date, k, found);
        self.visit(2 * node + 1, mid, hi, before, date, k, found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// `Spans` finds the spans holding a date as a look through every span does: the
        /// first few in order, and how many.
        #[test]
        fn spans_find_the_periods_that_hold_a_date_as_a_scan_does(
            mut spans in prop::collection::vec((0i64..400, prop_oneof![0i64..40, 0i64..300]), 1..70),
        ) {
            let day = |n: i64| Date::parse("2026-01-01").expect("a date").add_days(n);
            spans.sort();
            let periods: Vec<(Date, Date)> =
                spans.iter().map(|&(s, len)| (day(s), day(s + len))).collect();
            let numbers: Vec<usize> = (0..periods.len()).map(|i| 1000 + i).collect();
            let index = Spans::new(numbers.clone(), &periods);
            for d in 0..460 {
                let date = day(d);
                let all: Vec<usize> = (0..periods.len())
                    .filter(|&i| periods[i].0 <= date && date <= periods[i].1)
                    .map(|i| numbers[i])
                    .collect();
                prop_assert_eq!(index.count(date), all.len(), "day {}", d);
                for k in [1, 2, 9] {
                    let want: Vec<usize> = all.iter().copied().take(k).collect();
                    prop_assert_eq!(index.holding(date, k), want, "day {}, k {}", d, k);
                }
            }
        }
    }

    fn span(name: &str) -> Option<String> {
        builtin(name).map(|(s, e)| format!("{s}..{e}"))
    }

    #[test]
    fn builtin_forms() {
        assert_eq!(span("2026-Q4").unwrap(), "2026-10-01..2026-12-31");
        assert_eq!(span("2026-Q1").unwrap(), "2026-01-01..2026-03-31");
        assert_eq!(span("2026-H2").unwrap(), "2026-07-01..2026-12-31");
        assert_eq!(span("2026").unwrap(), "2026-01-01..2026-12-31");
        assert_eq!(span("2028-02").unwrap(), "2028-02-01..2028-02-29");
        for bad in [
            "2026-Q5", "2026-Q0", "2026-H3", "2026-13", "2026-q4", "26-Q1", "2026-", "fy27",
        ] {
            assert!(builtin(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn custom_names_resolve() {
        let mut custom = BTreeMap::new();
        let (s, e) = (
            Date::parse("2026-10-01").unwrap(),
            Date::parse("2026-12-31").unwrap(),
        );
        custom.insert("fy27-q1".to_owned(), (s, e));
        let p = Period::resolve("fy27-q1", &custom).unwrap();
        assert!(p.contains(s) && p.contains(e) && !p.contains(e.add_days(1)));
        assert!(Period::resolve("fy27-q2", &custom).is_none());
    }
}
