//! `sandbagging`: a team whose aspirational objectives all scored 1.0 in two consecutive
//! closed periods sets targets it knows it can hit. Committed objectives are ignored (1.0 is
//! their expectation). Reported per pair of periods, at the first aspirational objective of
//! the later one.

use super::{Finding, Input, Lint, Report, Scope};
use crate::diag::Code;
use crate::model::{Commitment, Date};
use crate::score::Status;
use std::collections::BTreeMap;
use std::fmt;

pub(super) const LINT: Lint = Lint {
    code: Code::Sandbagging,
    summary: "A team's aspirational objectives all scored 1.0 two closed periods in a row",
    check: Some(check),
    explain: EXPLAIN,
    scope: Scope::TeamPeriod,
};

/// A team that maxed out every aspirational objective in two consecutive closed periods.
struct Sandbagging<'a> {
    team: &'a str,
    first: &'a str,
    second: &'a str,
}

impl fmt::Display for Sandbagging<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            team,
            first,
            second,
        } = self;
        write!(
            f,
            "team `{team}` scored 1.0 on every aspirational objective in both {first} and {second}"
        )
    }
}

impl Finding for Sandbagging<'_> {
    fn help(&self) -> String {
        "aspirational goals that are always fully met were set too low; about 0.7 is a good score. Aim higher next period, or mark truly must-hit goals `commitment: committed`".to_owned()
    }
}

fn check(input: &Input, out: &mut Report) {
    let Input { goals, card, .. } = *input;
    // Per team, its closed periods in order, each with its aspirational objectives.
    type PeriodKey<'a> = (Date, Date, &'a str);
    let mut by_team: BTreeMap<&str, BTreeMap<PeriodKey, Vec<usize>>> = BTreeMap::new();
    for (i, o) in goals.objectives.iter().enumerate() {
        // A dropped objective is not graded (SPEC 3.4).
        if card.as_of > o.period.end
            && o.commitment == Commitment::Aspirational
            && card.objectives[i].status != Status::Dropped
        {
            by_team
                .entry(&o.team)
                .or_default()
                .entry((o.period.start, o.period.end, &o.period.name))
                .or_default()
                .push(i);
        }
    }
    for (team, periods) in &by_team {
        // (period, every objective maxed, its first objective)
        let maxed: Vec<(&str, bool, usize)> = periods
            .iter()
            .map(|((_, _, name), objs)| {
                (
                    *name,
                    objs.iter().all(|&i| card.objectives[i].score >= 1.0 - 1e-9),
                    objs[0],
                )
            })
            .collect();
        for pair in maxed.windows(2) {
            if let [(first, true, _), (second, true, at)] = pair {
                out.push(
                    goals.objectives[*at].span,
                    &Sandbagging {
                        team,
                        first,
                        second,
                    },
                );
            }
        }
    }
}

/// `goalpost explain sandbagging`, after the summary line and a blank line.
const EXPLAIN: &str = r#"Aspirational objectives are meant to stretch: ending around 0.7 is a good result, and
falling short now and then is expected. A team that fully meets every aspirational
objective period after period is setting targets it knows it can hit, which hides what it
could really achieve and empties the scores of meaning. Aim higher next period. Goals that
truly must be met in full (a legal deadline, a contract) should say `commitment:
committed`: for them 1.0 is the expectation, and this lint ignores them.

Instead of:

    - id: onboarding
      key_results:
        - { id: completion, start: 60, target: 65 }

write:

    - id: onboarding
      key_results:
        - { id: completion, start: 60, target: 80 }
    - id: soc2-audit
      commitment: committed"#;
