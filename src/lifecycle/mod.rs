//! The end of a period (SPEC 7.0): [`review`] grades a closed period, bands its scores,
//! names what to carry over and compares the confidence people gave with what happened;
//! [`rollover`] starts the next period with the unfinished objectives. Both use one carry
//! rule ([`carry`]), so the review's carry-over candidates are what `rollover` carries.
//! Pure: goals and a scorecard in, values out; `cli` reads the repository and writes files.

pub(crate) mod carry;
pub(crate) mod review;
pub(crate) mod rollover;

use crate::period::builtin;

/// The built-in period that follows `name` (`2026-Q3` → `2026-Q4`, `2026-Q4` → `2027-Q1`,
/// `2026-H2` → `2027-H1`, `2026` → `2027`, `2026-12` → `2027-01`); `None` for a name
/// defined in goalpost.toml, whose successor only the team knows.
pub(crate) fn next_period(name: &str) -> Option<String> {
    builtin(name)?;
    let year: i32 = name.get(..4)?.parse().ok()?;
    let rest = &name[4..];
    Some(match rest.strip_prefix('-') {
        None => format!("{}", year + 1),
        Some(r) if r.starts_with('Q') || r.starts_with('H') => {
            let (kind, n) = r.split_at(1);
            let n: i32 = n.parse().ok()?;
            let last = if kind == "Q" { 4 } else { 2 };
            if n == last {
                format!("{}-{kind}1", year + 1)
            } else {
                format!("{year}-{kind}{}", n + 1)
            }
        }
        Some(m) => {
            let m: i32 = m.parse().ok()?;
            if m == 12 {
                format!("{}-01", year + 1)
            } else {
                format!("{year}-{:02}", m + 1)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_built_in_period() {
        let next = |n| next_period(n);
        assert_eq!(next("2026-Q3").as_deref(), Some("2026-Q4"));
        assert_eq!(next("2026-Q4").as_deref(), Some("2027-Q1"));
        assert_eq!(next("2026-H1").as_deref(), Some("2026-H2"));
        assert_eq!(next("2026-H2").as_deref(), Some("2027-H1"));
        assert_eq!(next("2026").as_deref(), Some("2027"));
        assert_eq!(next("2026-09").as_deref(), Some("2026-10"));
        assert_eq!(next("2026-12").as_deref(), Some("2027-01"));
        assert_eq!(next("fy27-q1"), None);
    }
}

/// Goals and scorecards for the tests of this module, from goal-file texts.
#[cfg(test)]
pub(crate) mod testing {
    use crate::config::Config;
    use crate::model::{Date, Goals};
    use crate::score::{Scorecard, Thresholds, score};

    /// The validated goals of `files` (each one goal file's text); panics on any error.
    pub(crate) fn goals_of(files: &[&str]) -> Goals {
        let parsed: Vec<_> = files
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let (raw, diags) = crate::load::parse_file(i as u32, text);
                assert!(diags.is_empty(), "{diags:?}");
                (i as u32, raw.expect("a goal file"))
            })
            .collect();
        let (goals, diags) = crate::validate::validate(&parsed, &Config::default());
        let errors: Vec<_> = diags
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        goals
    }

    pub(crate) fn scored(goals: &Goals, as_of: &str) -> Scorecard {
        score(
            crate::model::Valid::assume(goals),
            Date::parse(as_of).expect("a date"),
            Thresholds::default(),
        )
    }
}
