//! `all-milestones`: an objective whose key results are all milestones measures output
//! (work delivered), not outcome. Reported at the objective.

use super::{Finding, Input, Lint, Report, Scope};
use crate::diag::Code;
use crate::model::{Records, Ref};
use std::fmt;

pub(super) const LINT: Lint = Lint {
    code: Code::AllMilestones,
    summary: "Every key result of an objective is a milestone: outputs, not outcomes",
    check: Some(check),
    explain: EXPLAIN,
    scope: Scope::Objective,
};

/// An objective measured by milestones only.
struct AllMilestones {
    objective: Ref,
}

impl fmt::Display for AllMilestones {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "every key result of `{}` is a milestone: they list work to do, not the change it should cause",
            self.objective
        )
    }
}

impl Finding for AllMilestones {
    fn help(&self) -> String {
        "turn at least one into a metric key result: what number moves when this work succeeds? (start → target)".to_owned()
    }
}

fn check(input: &Input, out: &mut Report) {
    for o in &input.goals.objectives {
        if !o.key_results.is_empty()
            && o.key_results
                .iter()
                .all(|k| k.kind.records() == Records::Done)
        {
            let objective = o.reference();
            out.push(o.span, &AllMilestones { objective });
        }
    }
}

/// `goalpost explain all-milestones`, after the summary line and a blank line.
const EXPLAIN: &str = r#"Milestones record that work was delivered; they do not show that it made a difference.
An objective measured only by milestones can be fully achieved by shipping everything
while nothing improves for users or the business. Key results should describe outcomes:
the change in a number that the work is supposed to cause. Keep a milestone where a
delivery truly matters, but give the objective at least one metric key result.

Instead of:

    key_results:
      - { id: faq, title: Onboarding FAQ published, kind: milestone }
      - { id: guide, title: Setup guide live, kind: milestone }

write:

    key_results:
      - { id: faq, title: Onboarding FAQ published, kind: milestone }
      - id: tickets
        title: Weekly support tickets from new users down from 250 to 150
        start: 250
        target: 150"#;
