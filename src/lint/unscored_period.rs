//! `unscored-period`: a key result of a closed period with no check-in inside it was never
//! scored, so the period taught nothing. A `kpi:` key result counts its KPI's check-ins.
//! Reported at the key result.

use super::{Finding, Input, Lint, Report, Scope};
use crate::diag::Code;
use crate::model::Ref;
use crate::score::Status;
use std::fmt;

pub(super) const LINT: Lint = Lint {
    code: Code::UnscoredPeriod,
    summary: "A closed period has a key result with no check-in inside it",
    check: Some(check),
    explain: EXPLAIN,
    scope: Scope::Item,
};

/// A key result with no check-in inside its closed period.
struct Unscored<'a> {
    kr: Ref,
    period: &'a str,
}

impl fmt::Display for Unscored<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { kr, period } = self;
        write!(
            f,
            "key result `{kr}` has no check-in inside {period}, which has closed"
        )
    }
}

impl Finding for Unscored<'_> {
    fn help(&self) -> String {
        "an OKR that is never scored teaches nothing: record the final value (with its real date inside the period) and review the result".to_owned()
    }
}

fn check(input: &Input, out: &mut Report) {
    let goals = input.goals;
    for (o, s) in goals
        .objectives
        .iter()
        .zip(&input.card.objectives)
        .filter(|(o, _)| input.card.as_of > o.period.end)
    {
        // A dropped key result is not graded, so it needs no check-in (SPEC 3.4).
        for (kr, _) in o
            .key_results
            .iter()
            .zip(&s.key_results)
            .filter(|(_, ks)| ks.status != Status::Dropped)
        {
            // Check-ins are sorted by date: the first on or after the start says it (a
            // look-up, not a scan of a KPI's history read by thousands of key results).
            let seen = goals.observations(kr);
            let first = seen.partition_point(|c| c.date < o.period.start);
            let inside = seen.get(first).is_some_and(|c| o.period.contains(c.date));
            if !inside {
                let finding = Unscored {
                    kr: o.kr_ref(kr),
                    period: &o.period.name,
                };
                out.push(kr.span, &finding);
            }
        }
    }
}

/// `goalpost explain unscored-period`, after the summary line and a blank line.
const EXPLAIN: &str = r#"When a period ends, each key result is graded achieved or missed from its check-ins; one
that never got a check-in inside the period scores 0 by default, and nobody learns from
it. The end-of-period scoring conversation is where OKRs teach: skipping it leaves them
as decoration. Record the final value with the real date it was measured, inside the
period, and review the result. For a key result linked to a KPI, a check-in of the KPI
inside the period counts.

Record the final value, dated inside the period:

    $ goalpost checkin growth/onboarding/completion 74 --date 2026-12-31

which appends to the log:

    - { ref: growth/onboarding/completion, date: 2026-12-31, value: 74 }"#;
