//! `objective-count`: a team with more than [`MAX_OBJECTIVES`] objectives in one period has
//! not chosen its priorities. Reported once per team and period, at the first objective
//! past the limit.

use super::{Finding, Input, Lint, Report, Scope};
use crate::diag::Code;
use std::collections::BTreeMap;
use std::fmt;

pub(super) const LINT: Lint = Lint {
    code: Code::ObjectiveCount,
    summary: "A team has more than 5 objectives in one period",
    check: Some(check),
    explain: EXPLAIN,
    scope: Scope::TeamPeriod,
};

/// Most objectives a team should have in one period.
pub(super) const MAX_OBJECTIVES: usize = 5;

/// A team's objectives in one period, more than [`MAX_OBJECTIVES`].
struct TooManyObjectives<'a> {
    team: &'a str,
    period: &'a str,
    count: usize,
}

impl fmt::Display for TooManyObjectives<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            team,
            period,
            count,
        } = self;
        write!(
            f,
            "team `{team}` has {count} objectives in {period}; at most {MAX_OBJECTIVES} keep a team focused"
        )
    }
}

impl Finding for TooManyObjectives<'_> {
    fn help(&self) -> String {
        "a long list of objectives means nothing is a priority: keep the few that matter most this period, and move steady-state work to KPIs".to_owned()
    }
}

fn check(input: &Input, out: &mut Report) {
    let goals = input.goals;
    let mut per_team_period: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, o) in goals.objectives.iter().enumerate() {
        per_team_period
            .entry((&o.team, &o.period.name))
            .or_default()
            .push(i);
    }
    for ((team, period), objs) in &per_team_period {
        if objs.len() > MAX_OBJECTIVES {
            let extra = &goals.objectives[objs[MAX_OBJECTIVES]];
            let count = objs.len();
            out.push(
                extra.span,
                &TooManyObjectives {
                    team,
                    period,
                    count,
                },
            );
        }
    }
}

/// `goalpost explain objective-count`, after the summary line and a blank line.
const EXPLAIN: &str = r#"Objectives state priorities, and their worth lies in what they leave out. A team with six
or more objectives in one quarter has not chosen: effort spreads thin and none of them
gets the push it needs. Keep the three to five that matter most this period and let the
rest wait. Work that keeps things running is not an objective at all: watch it as a KPI.

Instead of a sixth objective for routine work:

    objectives:
      - id: reliable-api
        title: Keep the API reliable

track it as a KPI:

    kpis:
      - id: uptime
        title: Monthly API uptime
        better: higher
        target: 99.9"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_states_the_limit() {
        assert!(
            LINT.summary
                .contains(&format!("more than {MAX_OBJECTIVES} "))
        );
    }
}
