//! Which dates `goalpost pull` asks about and at which instant (SPEC 11): the value "at the
//! end of D" is queried at min(end of local day D, now); with `--since S` the dates are D,
//! then one per cadence step back to S (weekly: 7 days; monthly: month ends; quarterly:
//! quarter ends).

use crate::date::Date;
use crate::model::Cadence;

/// Most dates one KPI is asked about in one run: far beyond any real backfill, so a `--since`
/// typo (year 1026) is a usage error rather than hours of queries.
pub(crate) const MAX_DATES: usize = 5_000;

/// The dates to ask about, oldest first: `d` alone, or with `since` every cadence step from
/// `d` back to `since` (inclusive). `None` when that would be more than [`MAX_DATES`].
pub(crate) fn dates(d: Date, since: Option<Date>, cadence: Cadence) -> Option<Vec<Date>> {
    let mut out = vec![d];
    if let Some(since) = since {
        let mut cur = d;
        loop {
            cur = match cadence {
                Cadence::Weekly => cur.add_days(-7),
                // The last day of the month before `cur`'s.
                Cadence::Monthly => cur.first_of_month().add_days(-1),
                Cadence::Quarterly => quarter_start(cur).add_days(-1),
            };
            if cur < since {
                break;
            }
            if out.len() == MAX_DATES {
                return None;
            }
            out.push(cur);
        }
    }
    out.reverse();
    Some(out)
}

/// The first day of `d`'s quarter.
fn quarter_start(d: Date) -> Date {
    let month = (d.month() - 1) / 3 * 3 + 1;
    Date::from_ymd(d.year(), month, 1).unwrap_or(d)
}

/// When the value "at the end of `d`" is asked for, in Unix milliseconds: the last
/// millisecond of local day `d`, or `now_ms` when that is earlier (a day not over yet; to the
/// millisecond, so that a sample scraped a moment ago is seen).
pub(crate) fn query_time(d: Date, now_ms: i64) -> i64 {
    d.end_in_local_time().map_or(now_ms, |end| {
        (end.saturating_mul(1000).saturating_add(999)).min(now_ms)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ds(v: &[Date]) -> Vec<String> {
        v.iter().map(Date::to_string).collect()
    }

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn one_date_without_since() {
        assert_eq!(
            ds(&dates(d("2026-11-15"), None, Cadence::Monthly).unwrap()),
            ["2026-11-15"]
        );
    }

    #[test]
    fn weekly_steps_back_seven_days_to_since_inclusive() {
        assert_eq!(
            ds(&dates(d("2026-11-30"), Some(d("2026-11-09")), Cadence::Weekly).unwrap()),
            ["2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"]
        );
        assert_eq!(
            ds(&dates(d("2026-11-30"), Some(d("2026-11-10")), Cadence::Weekly).unwrap()),
            ["2026-11-16", "2026-11-23", "2026-11-30"]
        );
        assert_eq!(
            ds(&dates(d("2026-11-30"), Some(d("2026-11-30")), Cadence::Weekly).unwrap()),
            ["2026-11-30"]
        );
    }

    #[test]
    fn monthly_and_quarterly_step_to_period_ends() {
        assert_eq!(
            ds(&dates(d("2026-11-15"), Some(d("2026-08-01")), Cadence::Monthly).unwrap()),
            ["2026-08-31", "2026-09-30", "2026-10-31", "2026-11-15"]
        );
        // D itself a month end: the step before is the previous month's end.
        assert_eq!(
            ds(&dates(d("2026-03-31"), Some(d("2026-01-31")), Cadence::Monthly).unwrap()),
            ["2026-01-31", "2026-02-28", "2026-03-31"]
        );
        assert_eq!(
            ds(&dates(d("2026-11-15"), Some(d("2026-01-01")), Cadence::Quarterly).unwrap()),
            ["2026-03-31", "2026-06-30", "2026-09-30", "2026-11-15"]
        );
        assert_eq!(
            ds(&dates(d("2026-09-30"), Some(d("2025-12-31")), Cadence::Quarterly).unwrap()),
            ["2025-12-31", "2026-03-31", "2026-06-30", "2026-09-30"]
        );
    }

    #[test]
    fn a_since_far_in_the_past_is_refused() {
        assert!(dates(d("2026-11-30"), Some(d("1026-01-01")), Cadence::Weekly).is_none());
        let many = dates(d("2026-11-30"), Some(d("1950-01-01")), Cadence::Weekly).unwrap();
        assert!(many.len() > 4000 && many.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn the_query_time_is_the_end_of_the_local_day_or_now() {
        let end = d("2026-11-15").end_in_local_time().unwrap();
        let end_ms = end * 1000 + 999;
        assert_eq!(query_time(d("2026-11-15"), end_ms + 5000), end_ms);
        assert_eq!(query_time(d("2026-11-15"), end_ms - 5000), end_ms - 5000);
        // A day is 23 to 25 hours long in any zone.
        let before = d("2026-11-14").end_in_local_time().unwrap();
        assert!(
            (82_800..=90_000).contains(&(end - before)),
            "{}",
            end - before
        );
    }
}
