//! `kr-added-mid-period`: a key result added to an objective whose period started more than
//! [`GRACE_DAYS`] days before the as-of date: a measure picked once the quarter is under way,
//! at a convenient start, raises a score unnoticed. It compares two revisions, so
//! `check --base` raises it (the history rules, [`crate::diff::rules`]); this file holds its
//! registry entry, the wording of its finding and its explanation.

use super::{Finding, Lint, Scope};
use crate::diag::Code;
use crate::model::{Date, Ref};
use std::fmt;

pub(crate) const LINT: Lint = Lint {
    code: Code::KrAddedMidPeriod,
    summary: "A key result was added more than 14 days into its period",
    check: None,
    explain: EXPLAIN,
    scope: Scope::Change,
};

/// How many days into a period key results may still be added without a warning (planning).
pub(crate) const GRACE_DAYS: i64 = 14;

/// A key result added after the period's first [`GRACE_DAYS`] days.
pub(crate) struct AddedMidPeriod<'a> {
    pub reference: &'a Ref,
    pub period: &'a str,
    pub start: Date,
    /// Days from the period's start to `as_of`.
    pub days: i64,
    pub as_of: Date,
    pub base: &'a str,
}

impl fmt::Display for AddedMidPeriod<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            reference,
            period,
            start,
            days,
            as_of,
            base,
        } = self;
        write!(
            f,
            "the key result `{reference}` was added to {period} since {base}, {days} days into the period (it started on {start}; as of {as_of})"
        )
    }
}

impl Finding for AddedMidPeriod<'_> {
    fn help(&self) -> String {
        "a key result added mid-period, at a start chosen once the quarter is under way, can raise a score unnoticed: say why in the pull request, or start it next period".to_owned()
    }
}

/// `goalpost explain kr-added-mid-period`, after the summary line and a blank line.
const EXPLAIN: &str = r#"Key results are chosen when a period is planned. One added weeks later often measures
something already going well, from a start picked to make it look good, and lifts the
objective's score without anyone deciding that the plan changed. `check --base` warns when
a pull request adds a key result to an objective whose period started more than 14 days
before the as-of date (today by default); a closed period's changes are
`closed-period-changed`. Plans do change: say why in the pull request, or start the key
result next period.

Instead of adding to 2026-Q4 on 2026-11-15:

    - { id: nps, title: NPS from 20 to 40, start: 20, target: 40 }

plan it for the next period:

    period: 2027-Q1
    ...
      - { id: nps, title: NPS from 20 to 40, start: 20, target: 40 }"#;
