//! `guardrail-breached`: an objective of an open period whose guardrail KPI is critical is
//! being paid for with the health the team promised to keep. Only a KPI with a `critical:`
//! threshold can trigger it. Reported at the objective, once per critical guardrail.

use super::{Finding, Input, Lint, Report, Scope};
use crate::diag::Code;
use crate::model::Ref;
use crate::score::KpiStatus;
use crate::score::Status;
use std::fmt;

pub(super) const LINT: Lint = Lint {
    code: Code::GuardrailBreached,
    summary: "An open objective's guardrail KPI is critical",
    check: Some(check),
    explain: EXPLAIN,
    scope: Scope::Guardrails,
};

/// A critical guardrail of an open objective.
struct Breached {
    kpi: Ref,
    objective: Ref,
}

impl fmt::Display for Breached {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { kpi, objective } = self;
        write!(
            f,
            "guardrail `{kpi}` of objective `{objective}` is critical"
        )
    }
}

impl Finding for Breached {
    fn help(&self) -> String {
        "a guardrail is the health the team promised not to trade away: pause and restore it before pushing the objective further".to_owned()
    }
}

fn check(input: &Input, out: &mut Report) {
    let Input { goals, card, .. } = *input;
    // A dropped objective is no longer pursued: its guardrails guard nothing (SPEC 3.4).
    for (o, s) in goals
        .objectives
        .iter()
        .zip(&card.objectives)
        .filter(|(o, s)| o.period.contains(card.as_of) && s.status != Status::Dropped)
    {
        // As scored for the objective (an open one's T_K is the as-of date): also a
        // guardrail in an upstream snapshot (SPEC 13), which has no entry of its own.
        for (&k, &status) in o.guardrails.iter().zip(&s.guardrails) {
            if status == KpiStatus::Critical {
                let finding = Breached {
                    kpi: goals.kpi(k).reference(),
                    objective: o.reference(),
                };
                out.push(o.span, &finding);
            }
        }
    }
}

/// `goalpost explain guardrail-breached`, after the summary line and a blank line.
const EXPLAIN: &str = r#"Guardrails are the KPIs a team promised to keep healthy while it chases an objective:
sign-ups must not grow at the cost of churn, speed not at the cost of quality. When a
guardrail reaches its `critical` threshold during the period, the objective is being paid
for with the health of the business. Pause and restore the KPI first, then ask whether
the work on the objective caused the damage and change course if so. Only a KPI with a
`critical:` threshold can trigger this.

With this guardrail:

    objectives:
      - { id: signups, title: Double self-serve sign-ups, guardrails: [growth/churn] }
    kpis:
      - { id: churn, title: Monthly churn, better: lower, target: 5, critical: 7 }

instead of pushing on while it reads:

    - { ref: growth/churn, date: 2026-11-30, value: 7.4 }

bring churn back under 7 and record it:

    - { ref: growth/churn, date: 2026-12-14, value: 6.2 }"#;
