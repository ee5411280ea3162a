//! `task-like-kr`: a milestone key result whose title starts with an output verb
//! ([`OUTPUT_VERBS`], in any simple inflection) names a task, not an outcome. Reported at
//! the key result.

use super::{Finding, Input, Lint, Report, Scope};
use crate::diag::Code;
use crate::model::{Records, Ref};
use std::fmt;

pub(super) const LINT: Lint = Lint {
    code: Code::TaskLikeKr,
    summary: "A milestone key result's title starts with an output verb, like a task",
    check: Some(check),
    explain: EXPLAIN,
    scope: Scope::Item,
};

/// Verbs that describe output (work done) rather than outcome.
pub(super) const OUTPUT_VERBS: &[&str] = &[
    "launch",
    "ship",
    "build",
    "release",
    "implement",
    "create",
    "write",
];

/// Whether a title's first word is an output verb (in any simple inflection).
pub(super) fn starts_with_output_verb(title: &str) -> bool {
    let first: String = title
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    OUTPUT_VERBS.iter().any(|v| {
        first == *v
            || first
                .strip_prefix(v)
                .is_some_and(|rest| ["s", "es", "ed", "d", "ing", "ped", "ping"].contains(&rest))
            || (*v == "write" && first == "writing")
            || (*v == "create" && first == "creating")
            || (*v == "build" && first == "built")
            || (*v == "write" && (first == "wrote" || first == "written"))
    })
}

/// A milestone key result titled like a task.
struct TaskLike<'a> {
    kr: Ref,
    title: &'a str,
}

impl fmt::Display for TaskLike<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { kr, title } = self;
        let title = crate::text::truncate(title, 60);
        write!(f, "key result `{kr}` reads as a task (\"{title}\")")
    }
}

impl Finding for TaskLike<'_> {
    fn help(&self) -> String {
        "shipping is output; a key result is the outcome the launch should produce: rewrite it as a measurable change, such as \"raise self-serve upgrades from 20 to 35 a week\"".to_owned()
    }
}

fn check(input: &Input, out: &mut Report) {
    for o in &input.goals.objectives {
        for kr in &o.key_results {
            if kr.kind.records() == Records::Done && starts_with_output_verb(&kr.title) {
                let finding = TaskLike {
                    kr: o.kr_ref(kr),
                    title: &kr.title,
                };
                out.push(kr.span, &finding);
            }
        }
    }
}

/// `goalpost explain task-like-kr`, after the summary line and a blank line.
const EXPLAIN: &str = r#"A milestone title beginning with launch, ship, build, release, implement, create or write
(in any tense) names something the team will do, not what will change because of it.
Such key results turn OKRs into a to-do list, scored done the day the thing ships whether
or not anyone benefits. Ask what measurable result the work should bring, and make that
the key result; the delivery itself belongs in the team's plan, not in its OKRs.

Instead of:

    - id: pricing-page
      title: Launch the new pricing page
      kind: milestone

write:

    - id: self-serve-upgrades
      title: Raise self-serve upgrades from 20 to 35 a week
      start: 20
      target: 35
      unit: upgrades/week"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_verbs() {
        for t in [
            "Launch the pricing page",
            "Shipped v2",
            "Build a guide",
            "releases monthly",
            "Implementing SSO",
            "Write docs",
            "Creating a wiki",
        ] {
            assert!(starts_with_output_verb(t), "{t}");
        }
        for t in [
            "Raise conversion",
            "Builder program reaches 50 partners",
            "Launchpad adoption doubles",
            "Writers' guild formed",
        ] {
            assert!(!starts_with_output_verb(t), "{t}");
        }
    }

    #[test]
    fn explanation_names_every_output_verb() {
        for v in OUTPUT_VERBS {
            assert!(EXPLAIN.contains(v), "{v}");
        }
    }
}
