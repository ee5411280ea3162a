//! [`Valid`]: goals that validated without an error, the only form scoring accepts.
//!
//! Validation builds every item it can, also when there are errors (with placeholder values
//! for what was wrong, see [`super::Validated::flawed`]), because `check` reports on them and
//! `check --base` compares a broken base where it could be read. Those partial goals must
//! never be scored: a placeholder target would become a figure. [`crate::score::score`] takes
//! a `Valid`, and a `Valid` is made only from goals together with the diagnostics of their
//! validation when none of them is an error.

use crate::diag::{Diagnostic, Severity};
use crate::model::Goals;

/// Goals whose validation reported no error (warnings are fine).
#[derive(Debug, Clone, Copy)]
pub struct Valid<'a> {
    goals: &'a Goals,
}

impl<'a> Valid<'a> {
    /// The goals, when no diagnostic of their validation (and loading) is an error.
    pub fn of(goals: &'a Goals, diags: &[Diagnostic]) -> Option<Valid<'a>> {
        diags
            .iter()
            .all(|d| d.severity != Severity::Error)
            .then_some(Valid { goals })
    }

    /// For unit tests that build goals by hand, already valid by construction.
    #[cfg(test)]
    pub(crate) fn assume(goals: &'a Goals) -> Valid<'a> {
        Valid { goals }
    }

    pub fn goals(self) -> &'a Goals {
        self.goals
    }
}

impl std::ops::Deref for Valid<'_> {
    type Target = Goals;
    fn deref(&self) -> &Goals {
        self.goals
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn validated(text: &str) -> (Goals, Vec<Diagnostic>) {
        let (raw, mut diags) = crate::load::parse_file(0, text);
        let raw = raw.expect("a parsed file");
        let (goals, more) = super::super::validate(&[(0, raw)], &Config::default());
        diags.extend(more);
        (goals, diags)
    }

    #[test]
    fn goals_with_an_error_cannot_be_scored_and_warnings_do_not_matter() {
        let good = "team: t\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - { id: k, title: K, start: 0, target: 10 }\n";
        let (goals, diags) = validated(good);
        assert!(Valid::of(&goals, &diags).is_some(), "{diags:?}");
        // start equal to target: built with a placeholder, reported as an error.
        let (goals, diags) = validated(&good.replace("target: 10", "target: 0"));
        assert!(
            !goals.objectives.is_empty(),
            "the partial form is still built"
        );
        assert!(Valid::of(&goals, &diags).is_none(), "{diags:?}");
        let mut warned = diags.clone();
        warned.retain(|d| d.severity != Severity::Error);
        assert!(Valid::of(&goals, &warned).is_some());
    }
}
