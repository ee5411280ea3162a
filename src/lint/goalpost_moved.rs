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
const EXPLAIN: &str = r#"Changing a key result's target or start in place during its period rewrites what the
score means: lowering the bar late turns a likely miss into a success, and reports stop
showing what the team set out to do. `check --base` and `goalpost diff` flag such edits.
Edits before the period starts are fine. When the plan really changed, record it as a
revision with its reason (`goalpost revise`): the old figures stay in the history, the new
ones count from that day, and the review shows both. When the target still stands but looks
out of reach, say so with a low `confidence` on a check-in instead. A milestone's `due` date
is the same kind of bar: moving it later turns a late milestone back to on track.

Instead of:

    -    target: 80
    +    target: 70

record the change with its reason:

    goalpost revise growth/onboarding/completion --target 70 --reason "team halved"

or keep the target and report honestly:

    - { ref: growth/onboarding/completion, date: 2026-11-16, value: 66, confidence: 0.4 }"#;
