//! Calendar dates (`YYYY-MM-DD`), wrapping jiff's civil date so the rest of the crate (and its
//! public API) does not depend on a date library's types.

use std::fmt;

/// A real calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

impl Date {
    /// Parses exactly `YYYY-MM-DD` and checks it is a real date (no 2026-02-30).
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| -> Option<i32> {
            let part = &s[r];
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        Date::from_ymd(digits(0..4)?, digits(5..7)?, digits(8..10)?)
    }

    /// A date from its parts, if it exists in the calendar.
    pub fn from_ymd(y: i32, m: i32, d: i32) -> Option<Date> {
        let y = i16::try_from(y).ok()?;
        let m = i8::try_from(m).ok()?;
        let d = i8::try_from(d).ok()?;
        jiff::civil::Date::new(y, m, d).ok().map(Date)
    }

    /// Today's date in the system time zone (`TZ`, else the system's setting; UTC only when
    /// neither can be read). The command line honours `GOALPOST_TODAY` on top of this
    /// (`cli::Ctx::today`).
    pub fn today() -> Date {
        Date(jiff::Zoned::now().date())
    }

    pub fn year(self) -> i32 {
        i32::from(self.0.year())
    }

    pub fn month(self) -> i32 {
        i32::from(self.0.month())
    }

    /// The last day of this date's month.
    pub fn last_of_month(self) -> Date {
        Date(self.0.last_of_month())
    }

    /// Whole days from `self` to `other` (negative when `other` is earlier).
    pub fn days_until(self, other: Date) -> i64 {
        let a = self.0.to_zoned(jiff::tz::TimeZone::UTC);
        let b = other.0.to_zoned(jiff::tz::TimeZone::UTC);
        match (a, b) {
            (Ok(a), Ok(b)) => (b.timestamp().as_second() - a.timestamp().as_second()) / 86_400,
            _ => 0,
        }
    }

    /// The date `days` later (saturating at the calendar's ends).
    pub fn add_days(self, days: i64) -> Date {
        match self.0.checked_add(jiff::Span::new().days(days)) {
            Ok(d) => Date(d),
            Err(_) => self,
        }
    }

    /// The calendar date of a moment (Unix seconds) in a fixed offset from UTC (minutes), as
    /// a clock there showed it: a commit's author date in the author's own zone.
    pub fn of_moment(seconds: i64, offset_minutes: i32) -> Option<Date> {
        let local = seconds.checked_add(i64::from(offset_minutes) * 60)?;
        let t = jiff::Timestamp::from_second(local).ok()?;
        Some(Date(t.to_zoned(jiff::tz::TimeZone::UTC).date()))
    }

    /// The first day of this date's month.
    pub fn first_of_month(self) -> Date {
        Date(self.0.first_of_month())
    }

    /// The last second of this day in the system time zone (see [`Date::today`]), as Unix
    /// seconds: the start of the next day less one, so days of 23 or 25 hours end right.
    /// `None` at the calendar's end.
    pub fn end_in_local_time(self) -> Option<i64> {
        let next = self.0.tomorrow().ok()?;
        let start = next.to_zoned(jiff::tz::TimeZone::system()).ok()?;
        Some(start.timestamp().as_second() - 1)
    }
}

/// Why `s` is not a date [`Date::parse`] accepts, in words that point at the fix: "February
/// 2026 has 28 days", "there is no month 13", or the expected form with an example (the
/// zero-padded date, when `s` is one written without padding).
pub(crate) fn date_problem(s: &str) -> String {
    let parts: Vec<&str> = s.trim().split(['-', '/', '.']).collect();
    let nums: Option<Vec<i32>> = match parts.as_slice() {
        [y, m, d]
            if y.len() == 4
                && (1..=2).contains(&m.len())
                && (1..=2).contains(&d.len())
                && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) =>
        {
            parts.iter().map(|p| p.parse().ok()).collect()
        }
        _ => None,
    };
    let Some([y, m, d]) = nums.as_deref().map(|n| [n[0], n[1], n[2]]) else {
        return "write dates as YYYY-MM-DD, for example 2026-10-05".to_owned();
    };
    if !(1..=12).contains(&m) {
        return format!("there is no month {m}; months run from 01 to 12");
    }
    let last = Date::from_ymd(y, m, 1).map(|first| first.last_of_month().0.day());
    match last {
        Some(last) if d < 1 || d > i32::from(last) => {
            let month = MONTHS[(m - 1) as usize];
            if d < 1 {
                format!("days run from 01 to {last} in {month} {y}")
            } else {
                format!("{month} {y} has {last} days")
            }
        }
        Some(_) => format!("write dates as YYYY-MM-DD, here {y:04}-{m:02}-{d:02}"),
        None => "write dates as YYYY-MM-DD, for example 2026-10-05".to_owned(),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "description": "A calendar date, YYYY-MM-DD."
        })
    }
}

/// `YYYY-MM-DD` with a month 01-12 and a day that month can have (up to 29 in February).
const DATE_PATTERN: &str = "^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-9]))$";

/// Schema only: a date as goal files and goalpost.toml write it (`#[schemars(with = ...)]`
/// in the raw types of both); nothing is ever built from it. The pattern holds the month and
/// day ranges, because yaml-language-server checks `pattern` but not `format`; February 29
/// passes in any year (`check` judges leap years).
pub(crate) struct DateShape;

impl schemars::JsonSchema for DateShape {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": DATE_PATTERN,
            "description": "A calendar date, `YYYY-MM-DD`."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_dates_only() {
        assert_eq!(Date::parse("2026-10-05").unwrap().to_string(), "2026-10-05");
        assert!(Date::parse("2026-02-30").is_none());
        assert!(Date::parse("2026-2-03").is_none());
        assert!(Date::parse("2026-13-01").is_none());
        assert!(Date::parse("+026-01-01").is_none());
        assert!(Date::parse("2028-02-29").is_some());
    }

    #[test]
    fn day_arithmetic() {
        let a = Date::parse("2026-10-01").unwrap();
        let b = Date::parse("2026-12-31").unwrap();
        assert_eq!(a.days_until(b), 91);
        assert_eq!(b.days_until(a), -91);
        assert_eq!(a.add_days(91), b);
        assert_eq!(a.last_of_month().to_string(), "2026-10-31");
    }

    #[test]
    fn problems_point_at_the_fix() {
        assert_eq!(date_problem("2026-02-30"), "February 2026 has 28 days");
        assert_eq!(date_problem("2028-02-30"), "February 2028 has 29 days");
        assert_eq!(date_problem("2026-04-31"), "April 2026 has 30 days");
        assert_eq!(
            date_problem("2026-13-01"),
            "there is no month 13; months run from 01 to 12"
        );
        assert_eq!(
            date_problem("2026-00-01"),
            "there is no month 0; months run from 01 to 12"
        );
        assert_eq!(
            date_problem("2026-10-00"),
            "days run from 01 to 31 in October 2026"
        );
        assert_eq!(
            date_problem("2026-2-3"),
            "write dates as YYYY-MM-DD, here 2026-02-03"
        );
        assert_eq!(
            date_problem("2026/10/05"),
            "write dates as YYYY-MM-DD, here 2026-10-05"
        );
        assert_eq!(
            date_problem("next friday"),
            "write dates as YYYY-MM-DD, for example 2026-10-05"
        );
    }
}
