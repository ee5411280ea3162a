//! `too-many-kpis`: a team tracking more than [`MAX_KPIS`] KPIs watches nothing closely.
//! Reported once per team, at the first KPI past the limit.

use super::{Finding, Input, Lint, Report, Scope};
use crate::diag::Code;
use std::collections::BTreeMap;
use std::fmt;

pub(super) const LINT: Lint = Lint {
    code: Code::TooManyKpis,
    summary: "A team defines more than 8 KPIs",
    check: Some(check),
    explain: EXPLAIN,
    scope: Scope::TeamKpis,
};

/// Most KPIs a team should track.
pub(super) const MAX_KPIS: usize = 8;

/// A team's KPIs, more than [`MAX_KPIS`].
struct TooManyKpis<'a> {
    team: &'a str,
    count: usize,
}

impl fmt::Display for TooManyKpis<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { team, count } = self;
        write!(
            f,
            "team `{team}` tracks {count} KPIs; beyond {MAX_KPIS}, tracking everything means watching nothing"
        )
    }
}

impl Finding for TooManyKpis<'_> {
    fn help(&self) -> String {
        "keep the vital few health metrics for this team; move the rest to dashboards or to the teams that own them".to_owned()
    }
}

fn check(input: &Input, out: &mut Report) {
    let goals = input.goals;
    let mut per_team: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, k) in goals.kpis.iter().enumerate() {
        per_team.entry(&k.team).or_default().push(i);
    }
    for (team, ks) in &per_team {
        if ks.len() > MAX_KPIS {
            let count = ks.len();
            out.push(goals.kpis[ks[MAX_KPIS]].span, &TooManyKpis { team, count });
        }
    }
}

/// `goalpost explain too-many-kpis`, after the summary line and a blank line.
const EXPLAIN: &str = r#"KPIs are a team's few vital signs: each should be a number that would make the team act
if it moved. Past a handful the list turns into a dashboard nobody reads, warnings drown,
and watching everything amounts to watching nothing. Keep the five to eight that would
change what you do; leave the rest on a general dashboard or with the team that owns
them. A team can still protect another team's KPI by naming it as a guardrail.

Instead of (in team growth):

    kpis:
      - id: p95-latency
        title: p95 API latency

write, in the platform team's file:

    team: platform
    kpis:
      - id: p95-latency
        title: p95 API latency

and, where growth depends on it: `guardrails: [platform/p95-latency]`"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_states_the_limit() {
        assert!(LINT.summary.contains(&format!("more than {MAX_KPIS} ")));
    }
}
