//! Practice lints (SPEC 8): the known ways teams misuse OKRs and KPIs, caught as of a date.
//! A rule is a file: each `src/lint/<code>.rs` holds one lint's code, default severity,
//! summary, check, the typed wording of its findings and its `goalpost explain` text, and
//! [`REGISTRY`] lists them all. [`lint`] runs every registered check that `goalpost.toml
//! [lints]` does not turn off, at its configured severity. The history lints
//! (`goalpost-moved`, `closed-period-changed`, `kr-added-mid-period`) are raised by
//! `check --base` (the history rules, [`crate::diff::rules`]): they are registered here for
//! their metadata, wording and explanation, with no check.

use crate::config::Config;
use crate::diag::{Code, Diagnostic, Severity, Span};
use crate::model::Goals;
use crate::score::Scorecard;
use std::fmt;

mod all_milestones;
mod checkin_after_drop;
pub(crate) mod closed_period_changed;
mod goalpost_moved;
mod guardrail_breached;
pub(crate) mod kr_added_mid_period;
mod kr_count;
mod objective_count;
mod promote_kpi;
mod sandbagging;
mod stale_checkin;
mod task_like_kr;
mod too_many_kpis;
mod unscored_period;

/// Every practice lint, in documentation order (the order of [`Code::ALL`], the README's
/// table and `goalpost explain`).
pub(crate) static REGISTRY: &[Lint] = &[
    objective_count::LINT,
    kr_count::LINT,
    too_many_kpis::LINT,
    all_milestones::LINT,
    task_like_kr::LINT,
    stale_checkin::LINT,
    unscored_period::LINT,
    sandbagging::LINT,
    promote_kpi::LINT,
    guardrail_breached::LINT,
    goalpost_moved::LINT,
    closed_period_changed::LINT,
    kr_added_mid_period::LINT,
    checkin_after_drop::LINT,
];

/// One practice lint: what `goalpost explain` and the README say about it, and its check.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lint {
    pub code: Code,
    /// One line, no final period: the `goalpost explain` list and the README's table.
    pub summary: &'static str,
    /// Finds the problems in valid goals; `None` for a lint raised elsewhere (see the
    /// module documentation).
    pub check: Option<fn(&Input, &mut Report)>,
    /// What `goalpost explain CODE` prints after the summary and a blank line: a paragraph,
    /// a blank line and an example indented by four spaces.
    pub explain: &'static str,
    /// What a finding is about, which `check --base` uses to report it only when the change
    /// touches that (SPEC 9).
    pub scope: Scope,
}

/// What a lint's finding is about, starting from the item it is located at: under
/// `check --base` a finding is reported only when the change touches one of these
/// (`crate::check`, on the engine's [`crate::diff::Touched`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The key result, KPI or objective the finding is located at.
    Item,
    /// The objective the finding is located at, or one of its key results.
    Objective,
    /// The objective the finding is located at, one of its key results, or one of its
    /// guardrail KPIs.
    Guardrails,
    /// Any objective or key result of the team and period of the objective the finding is
    /// located at (counts, sandbagging).
    TeamPeriod,
    /// Any KPI of the team of the KPI the finding is located at.
    TeamKpis,
    /// A history lint: raised by `check --base` on what changed, so always about the change.
    Change,
}

/// The registry entry of `code`, if it is a practice lint.
pub(crate) fn entry(code: Code) -> Option<&'static Lint> {
    REGISTRY.iter().find(|l| l.code == code)
}

/// What a check reads: valid goals, their scorecard as of `card.as_of`, the configuration.
pub(crate) struct Input<'a> {
    pub goals: &'a Goals,
    pub card: &'a Scorecard,
    pub config: &'a Config,
}

/// A lint's finding, worded in one place: the message is its `Display`, built from typed
/// fields, and [`Finding::help`] says what to do instead.
pub(crate) trait Finding: fmt::Display {
    fn help(&self) -> String;
}

/// Where a check reports its findings, as diagnostics of its lint's code.
pub(crate) struct Report<'o> {
    code: Code,
    severity: Severity,
    out: &'o mut Vec<Diagnostic>,
}

impl Report<'_> {
    /// Reports `finding`, located at `span`.
    pub(crate) fn push(&mut self, span: Span, finding: &impl Finding) {
        self.out
            .push(diagnostic(self.code, self.severity, span, finding));
    }
}

/// A finding of lint `code` at `severity`, located at `span`: what [`Report::push`] reports,
/// and what the history rules of `check --base` make of the findings of the lints they raise.
pub(crate) fn diagnostic(
    code: Code,
    severity: Severity,
    span: Span,
    finding: &impl Finding,
) -> Diagnostic {
    let mut d = Diagnostic::new(code, span, finding.to_string()).help(finding.help());
    d.severity = severity;
    d
}

/// Runs every registered lint that is not turned off. The diagnostics come lint by lint in
/// registry order; callers sort them ([`crate::diag::sort`]).
pub fn lint(goals: &Goals, card: &Scorecard, config: &Config) -> Vec<Diagnostic> {
    let input = Input {
        goals,
        card,
        config,
    };
    let mut out = Vec::new();
    for l in REGISTRY {
        let (Some(check), Some(severity)) = (l.check, config.severity(l.code)) else {
            continue;
        };
        check(
            &input,
            &mut Report {
                code: l.code,
                severity,
                out: &mut out,
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes the lints find in `text` (one valid goal file) as of `t`.
    fn lint_codes(text: &str, t: &str) -> Vec<Code> {
        let (raw, diags) = crate::load::parse_file(0, text);
        assert!(diags.is_empty(), "{diags:?}");
        let files = vec![(0, raw.expect("parsed"))];
        let config = Config::default();
        let (goals, diags) = crate::validate::validate(&files, &config);
        assert!(diags.is_empty(), "{diags:?}");
        let t = crate::date::Date::parse(t).expect("a date");
        let card = crate::score::score(
            crate::model::Valid::assume(&goals),
            t,
            crate::score::Thresholds::default(),
        );
        lint(&goals, &card, &config)
            .iter()
            .map(|d| d.code)
            .collect()
    }

    /// SPEC 3.4: a dropped item is not graded or pursued, so the lints about grades and
    /// pursuit leave it out: a dropped key result needs no check-in in its closed period, a
    /// dropped objective's guardrails guard nothing, and a check-in after a drop is flagged.
    #[test]
    fn lints_leave_dropped_items_out() {
        let text = "team: g\nperiod: 2026-Q3\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - { id: a, title: A, start: 0, target: 10, checkins: [{ date: 2026-08-01, value: 4 }] }\n      - { id: b, title: B, start: 0, target: 10, dropped: { date: 2026-07-10, reason: gone } }\n";
        assert_eq!(lint_codes(text, "2026-10-15"), Vec::<Code>::new());
        let undropped = text.replace(", dropped: { date: 2026-07-10, reason: gone }", "");
        assert_eq!(lint_codes(&undropped, "2026-10-15"), [Code::UnscoredPeriod]);
        let late = text.replace(
            "dropped: { date: 2026-07-10, reason: gone } }",
            "dropped: { date: 2026-07-10, reason: gone }, checkins: [{ date: 2026-07-10, value: 1 }] }",
        );
        assert_eq!(lint_codes(&late, "2026-10-15"), [Code::CheckinAfterDrop]);
        let guarded = "team: g\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: O\n    guardrails: [g/k]\n    dropped: { date: 2026-10-20, reason: re-org }\n    key_results:\n      - { id: a, title: A, start: 0, target: 10, checkins: [{ date: 2026-10-18, value: 4 }] }\n      - { id: b, title: B, start: 0, target: 10, checkins: [{ date: 2026-10-18, value: 4 }] }\nkpis:\n  - { id: k, title: K, better: higher, target: 5, critical: 3, checkins: [{ date: 2026-10-30, value: 1 }] }\n";
        assert_eq!(lint_codes(guarded, "2026-11-01"), Vec::<Code>::new());
        let pursued = guarded.replace("    dropped: { date: 2026-10-20, reason: re-org }\n", "");
        assert_eq!(
            lint_codes(&pursued, "2026-11-01"),
            [Code::GuardrailBreached]
        );
    }

    /// `Code` (diag.rs) and the registry describe the same lints: every lint code has
    /// exactly one entry, whose default severity is the code's, and every entry is a lint
    /// code.
    #[test]
    fn registry_agrees_with_codes() {
        for &code in Code::ALL.iter().filter(|c| c.is_lint()) {
            let entries: Vec<&Lint> = REGISTRY.iter().filter(|l| l.code == code).collect();
            assert_eq!(
                entries.len(),
                1,
                "{code}: {} registry entries",
                entries.len()
            );
        }
        for l in REGISTRY {
            assert!(
                l.code.is_lint(),
                "{}: registered but not a lint code",
                l.code
            );
        }
    }

    #[test]
    fn registry_is_in_code_order() {
        let codes: Vec<Code> = REGISTRY.iter().map(|l| l.code).collect();
        let lints: Vec<Code> = Code::ALL.iter().copied().filter(|c| c.is_lint()).collect();
        assert_eq!(codes, lints);
    }

    /// `goalpost explain` answers for a lint from its registry entry.
    #[test]
    fn explain_comes_from_the_registry() {
        for l in REGISTRY {
            assert_eq!(crate::explain::summary(l.code), l.summary, "{}", l.code);
            assert_eq!(crate::explain::details(l.code), l.explain, "{}", l.code);
        }
    }

    /// Only the history lints are checked outside this module (by `check --base`), and
    /// they are about the change.
    #[test]
    fn every_lint_but_the_history_lints_has_a_check() {
        let history = [
            Code::GoalpostMoved,
            Code::ClosedPeriodChanged,
            Code::KrAddedMidPeriod,
        ];
        for l in REGISTRY {
            assert_eq!(l.check.is_none(), history.contains(&l.code), "{}", l.code);
            assert_eq!(l.scope == Scope::Change, l.check.is_none(), "{}", l.code);
        }
    }

    /// The README's table of practice lints lists exactly the registry's, with their
    /// summaries.
    #[test]
    fn readme_lists_every_lint() {
        let readme = include_str!("../../README.md");
        let section = readme
            .split("\n## Practice lints\n")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .expect("README has a Practice lints section");
        let listed: Vec<(String, String)> = section
            .lines()
            .filter_map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                let code = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
                Some((code.to_owned(), cells.get(2)?.to_string()))
            })
            .collect();
        let registered: Vec<(String, String)> = REGISTRY
            .iter()
            .map(|l| (l.code.name().to_owned(), l.summary.to_owned()))
            .collect();
        assert_eq!(listed, registered);
    }
}
