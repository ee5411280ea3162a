//! `promote-kpi`: a KPI whose trend is worsening (three check-ins in a row) while no key
//! result of an open period takes its value from it: nobody has been asked to turn it
//! around. Reported at the KPI.

use super::{Finding, Input, Lint, Report, Scope};
use crate::diag::Code;
use crate::model::{KpiId, Ref};
use crate::score::Status;
use crate::score::Trend;
use std::collections::BTreeSet;
use std::fmt;

pub(super) const LINT: Lint = Lint {
    code: Code::PromoteKpi,
    summary: "A KPI keeps worsening and no open key result works on it",
    check: Some(check),
    explain: EXPLAIN,
    scope: Scope::Item,
};

/// A worsening KPI that no open key result works on.
struct PromoteKpi {
    kpi: Ref,
}

impl fmt::Display for PromoteKpi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "KPI `{}` has worsened three check-ins in a row and no open key result works on it",
            self.kpi
        )
    }
}

impl Finding for PromoteKpi {
    fn help(&self) -> String {
        format!(
            "consider a key result this period that takes its value from it (`kpi: {}`), with a target that restores it",
            self.kpi
        )
    }
}

fn check(input: &Input, out: &mut Report) {
    let Input { goals, card, .. } = *input;
    // KPIs that a key result of an open period takes its values from.
    // (A dropped key result no longer works on it.)
    let worked_on: BTreeSet<KpiId> = goals
        .objectives
        .iter()
        .zip(&card.objectives)
        .filter(|(o, _)| o.period.contains(card.as_of))
        .flat_map(|(o, s)| {
            o.key_results
                .iter()
                .zip(&s.key_results)
                .filter(|(_, ks)| ks.status != Status::Dropped)
                .filter_map(|(kr, _)| kr.kpi)
        })
        .collect();
    for id in goals.kpi_ids() {
        let k = goals.kpi(id);
        if card.kpi(id).trend == Some(Trend::Worsening) && !worked_on.contains(&id) {
            out.push(k.span, &PromoteKpi { kpi: k.reference() });
        }
    }
}

/// `goalpost explain promote-kpi`, after the summary line and a blank line.
const EXPLAIN: &str = r#"A KPI's job is to raise the alarm; tracking churn does not reduce it. When its last three
check-ins each moved the bad way and no key result of a current period takes its value
from it, nobody has been asked to turn it around. That is the time to make it a key
result: a focused push for one period from the current value back to a healthy one. Once
it is healthy again, it goes back to being watched as a KPI.

Add a key result that takes its value from the KPI:

    objectives:
      - id: win-back
        title: Customers stay because the product keeps earning it
        key_results:
          - id: churn
            title: Bring monthly churn from 6.4% back under 5%
            start: 6.4
            target: 4.5
            kpi: growth/churn"#;
