//! `goalpost-moved`: a key result's start or target, or a milestone's due date, changed while
//! its period is open. It
//! compares two revisions, so it is run by `check --base` (the history rules,
//! [`crate::diff::rules`], which word its message and apply `[lints]`); this file holds its
//! registry entry and explanation, and no check.

use super::{Lint, Scope};
use crate::diag::Code;

pub(super) const LINT: Lint = Lint {
    code: Code::GoalpostMoved,
    summary: "A target, start or milestone due date moved while its period is open",
    check: None,
    explain: EXPLAIN,
    scope: Scope::Change,
};

/// `goalpost explain goalpost-moved`, after the summary line and a blank line.
const EXPLAIN: &str = r#"Changing a key result's target or start during its period changes what the score means:
lowering the bar late turns a likely miss into a success, and reports stop showing what
the team set out to do. `check --base` and `goalpost diff` flag such changes so they are
discussed in review instead of slipping through. Edits before the period starts are fine.
If the target still stands but looks out of reach, say so with a low `confidence` on a
check-in and let the final score tell the story; missing a stretch goal is normal. A
milestone's `due` date is the same kind of bar: moving it later turns a late milestone
back to on track, so it is flagged too.

Instead of:

    -    target: 80
    +    target: 70

keep the target and report honestly:

    - { ref: growth/onboarding/completion, date: 2026-11-16, value: 66, confidence: 0.4 }"#;
