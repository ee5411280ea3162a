//! [`Valid`]: goals that validated without an error, the only form scoring accepts. It lives
//! in `model`, below `validate` and `score`, so that scoring needs nothing from validation.
//!
//! Validation builds every item it can, also when there are errors (with placeholder values
//! for what was wrong, see `crate::validate::Validated::flawed`), because `check` reports on
//! them and `check --base` compares a broken base where it could be read. Those partial
//! goals must never be scored: a placeholder target would become a figure.
//! [`crate::score::score`] takes a `Valid`, and a `Valid` is made only from goals together
//! with the diagnostics of their validation when none of them is an error.

use super::Goals;
use crate::diag::{Diagnostic, Severity};

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
