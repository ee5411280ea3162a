//! `checkin-after-drop`: a check-in of a key result dated on or after the key result was
//! dropped (its own drop or its objective's, SPEC 3.4). Scoring ignores it; the warning
//! says so at the check-in.

use super::{Finding, Input, Lint, Report, Scope};
use crate::diag::Code;
use crate::model::Date;
use crate::model::Ref;
use std::fmt;

pub(super) const LINT: Lint = Lint {
    code: Code::CheckinAfterDrop,
    summary: "A check-in dated on or after its key result was dropped: it is ignored",
    check: Some(check),
    explain: EXPLAIN,
    scope: Scope::Item,
};

/// A check-in that no computation reads.
struct AfterDrop {
    kr: Ref,
    date: Date,
    dropped: Date,
}

impl fmt::Display for AfterDrop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "check-in of `{}` on {} comes after the key result was dropped on {}: it is ignored",
            self.kr, self.date, self.dropped
        )
    }
}

impl Finding for AfterDrop {
    fn help(&self) -> String {
        "a dropped key result is no longer measured: check in the key result that replaced it, or leave the line as history".to_owned()
    }
}

fn check(input: &Input, out: &mut Report) {
    for o in &input.goals.objectives {
        for kr in &o.key_results {
            let Some(drop) = o.kr_drop(kr) else { continue };
            for c in kr.checkins.iter().filter(|c| c.date >= drop.date) {
                let finding = AfterDrop {
                    kr: o.kr_ref(kr),
                    date: c.date,
                    dropped: drop.date,
                };
                out.push(c.span, &finding);
            }
        }
    }
}

/// `goalpost explain checkin-after-drop`, after the summary line and a blank line.
const EXPLAIN: &str = r#"Once a key result is dropped (`dropped: { date, reason }`, on it or on its objective),
it counts in no score, forecast or calibration, and reports show its figures of the day
before the drop. A check-in dated on or after that day changes nothing, so it is most
likely meant for another key result, or the drop is dated too early. Check in the key
result that took its place instead. A line already committed is history: leave it (it is
kept and only ignored) rather than delete it.

Instead of:

    - id: partner-api
      dropped: { date: 2026-11-10, reason: "vendor cancelled the integration" }
    ...
    checkins:
      - { ref: growth/onboarding/partner-api, date: 2026-11-17, value: 40 }

write the check-in for the key result still pursued:

      - { ref: growth/onboarding/completion, date: 2026-11-17, value: 71 }"#;
