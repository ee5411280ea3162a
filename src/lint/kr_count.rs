//! `kr-count`: an objective needs a few key results, each measuring it from another side:
//! fewer than `KR_RANGE.0` rarely capture it, more than `KR_RANGE.1` spread the team thin.
//! Reported at the objective.

use super::{Finding, Input, Lint, Report, Scope};
use crate::diag::Code;
use crate::model::Ref;
use std::fmt;

pub(super) const LINT: Lint = Lint {
    code: Code::KrCount,
    summary: "An objective has fewer than 2 or more than 5 key results",
    check: Some(check),
    explain: EXPLAIN,
    scope: Scope::Objective,
};

/// Fewest and most key results an objective should have.
pub(super) const KR_RANGE: (usize, usize) = (2, 5);

/// An objective whose number of key results is outside [`KR_RANGE`].
struct KrCount {
    objective: Ref,
    count: usize,
}

impl KrCount {
    fn too_few(&self) -> bool {
        self.count < KR_RANGE.0
    }
}

impl fmt::Display for KrCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { objective, count } = self;
        let why = if self.too_few() {
            "one measure rarely captures an objective, and a single number invites gaming it"
        } else {
            "with this many, no single result matters and the team spreads thin"
        };
        let s = if *count == 1 { "" } else { "s" };
        write!(
            f,
            "objective `{objective}` has {count} key result{s}: {why}"
        )
    }
}

impl Finding for KrCount {
    fn help(&self) -> String {
        if self.too_few() {
            "add key results that measure the objective from other sides (2–5 in all)"
        } else {
            "keep the few key results (at most 5) that best show the objective was reached; track the rest as KPIs"
        }
        .to_owned()
    }
}

fn check(input: &Input, out: &mut Report) {
    for o in &input.goals.objectives {
        let count = o.key_results.len();
        if count < KR_RANGE.0 || count > KR_RANGE.1 {
            let objective = o.reference();
            out.push(o.span, &KrCount { objective, count });
        }
    }
}

/// `goalpost explain kr-count`, after the summary line and a blank line.
const EXPLAIN: &str = r#"Key results are how the team will know the objective was reached. One number rarely
captures a qualitative objective, and a lone metric invites hitting it while missing the
point; add measures from other angles, such as a quality check beside a speed metric.
Beyond five, no single result matters and routine work creeps in. Aim for three to five,
and move numbers that only need watching to KPIs.

Instead of:

    - id: onboarding
      title: Make onboarding so good that users don't need support
      key_results:
        - { id: completion, title: Completion from 60% to 80%, start: 60, target: 80 }

write:

    - id: onboarding
      title: Make onboarding so good that users don't need support
      key_results:
        - { id: completion, title: Completion from 60% to 80%, start: 60, target: 80 }
        - { id: tickets, title: Weekly tickets from 250 to 150, start: 250, target: 150 }"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording_follows_the_count() {
        let one = KrCount {
            objective: Ref::item("growth", "onboarding"),
            count: 1,
        };
        assert_eq!(
            one.to_string(),
            "objective `growth/onboarding` has 1 key result: one measure rarely captures an \
             objective, and a single number invites gaming it"
        );
        assert!(one.help().starts_with("add key results"));
        let six = KrCount {
            objective: Ref::item("growth", "onboarding"),
            count: 6,
        };
        assert!(
            six.to_string()
                .contains("has 6 key results: with this many")
        );
        assert!(six.help().starts_with("keep the few key results"));
    }

    #[test]
    fn summary_states_the_range() {
        let (lo, hi) = KR_RANGE;
        assert!(
            LINT.summary
                .contains(&format!("fewer than {lo} or more than {hi} "))
        );
    }
}
