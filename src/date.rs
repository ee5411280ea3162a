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

    /// Today's date in the system time zone.
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
}

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
}
