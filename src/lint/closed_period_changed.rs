//! `closed-period-changed`: a change alters the record of a period that is closed (as of the
//! as-of date): a check-in added with a date inside it, or a grade (achieved or missed) of one
//! of its objectives or key results that differs between the base and the head, both scored.
//! It compares two revisions, so `check --base` raises it (the history rules,
//! [`crate::diff::rules`], on the engine's changes); this file holds its registry entry, the
//! wording of its findings and its explanation.

use super::{Finding, Lint, Scope};
use crate::diag::Code;
use crate::model::{Date, Ref};
use std::fmt;

pub(crate) const LINT: Lint = Lint {
    code: Code::ClosedPeriodChanged,
    summary: "A change alters a closed period's grades or adds a check-in dated inside it",
    check: None,
    explain: EXPLAIN,
    scope: Scope::Change,
};

const HELP: &str = "a closed period's grades are what its review saw: record what you learned in the current period instead, or, if a figure really was wrong, correct it and say why in the pull request";

/// The closed period a finding is about.
pub(crate) struct Closed<'a> {
    pub name: &'a str,
    pub end: Date,
}

impl fmt::Display for Closed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (closed on {})", self.name, self.end)
    }
}

/// A check-in added with a date inside a closed period.
pub(crate) struct CheckinAdded<'a> {
    /// The key result or KPI checked in.
    pub reference: &'a Ref,
    pub date: Date,
    pub period: Closed<'a>,
    /// For a KPI's check-in, a key result of the period that reads it.
    pub read_by: Option<Ref>,
    /// How messages name the base revision.
    pub base: &'a str,
}

impl fmt::Display for CheckinAdded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            reference,
            date,
            period,
            read_by,
            base,
        } = self;
        write!(
            f,
            "a check-in of `{reference}` dated {date} was added to {period} since {base}"
        )?;
        if let Some(kr) = read_by {
            write!(f, " (where `{kr}` reads it)")?;
        }
        Ok(())
    }
}

impl Finding for CheckinAdded<'_> {
    fn help(&self) -> String {
        HELP.to_owned()
    }
}

/// A grade of a closed period's objective or key result that changed (`from` is `None` for
/// an item new there).
pub(crate) struct GradeChanged<'a> {
    pub reference: &'a Ref,
    pub period: Closed<'a>,
    pub from: Option<&'a str>,
    pub to: &'a str,
    pub base: &'a str,
}

impl fmt::Display for GradeChanged<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            reference,
            period,
            from,
            to,
            base,
        } = self;
        match from {
            Some(from) => write!(
                f,
                "the grade of `{reference}` in {period} changed from {from} to {to} since {base}"
            ),
            None => write!(
                f,
                "`{reference}` was added to {period} since {base}, graded {to}"
            ),
        }
    }
}

impl Finding for GradeChanged<'_> {
    fn help(&self) -> String {
        HELP.to_owned()
    }
}

/// `goalpost explain closed-period-changed`, after the summary line and a blank line.
const EXPLAIN: &str = r#"Once a period is over, its grades were reviewed and acted on: the team and its stakeholders
decided what to keep, drop or carry over from them. A check-in back-dated into that period,
a target edited after the fact or a key result added there changes those grades without a
review noticing. `check --base` scores the base and the change as of the same date and
warns at each check-in added with a date inside a closed period, and at each objective or
key result of a closed period whose grade (achieved or missed) changed, naming it before
and after. A correction of a figure that was really wrong is fine: say why in the pull
request, so reviewers know the grade moved on purpose.

Instead of back-dating a late figure into the closed quarter:

    - { ref: growth/activation/setup, date: 2026-09-28, value: 40 }

check it in today, in the current period, and say what it means in review:

    - { ref: growth/activation/setup, date: 2026-11-16, value: 40, note: late wins from Q3 }"#;
