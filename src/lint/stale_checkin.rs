//! `stale-checkin`: a key result or KPI whose latest check-in is too old, so its score shows
//! an old picture. Staleness is computed by scoring ([`crate::score::KrScore::stale`],
//! [`crate::score::KpiScore::stale`]); this lint reports it, at the key result or KPI. A
//! `kpi:` key result takes no check-ins: its staleness is the KPI's, reported once, on the
//! KPI (which names the open key results that take their values from it).

use super::{Finding, Input, Lint, Report, Scope};
use crate::diag::Code;
use crate::model::{Cadence, Date, KpiId, Ref};
use std::collections::BTreeMap;
use std::fmt;

pub(super) const LINT: Lint = Lint {
    code: Code::StaleCheckin,
    summary: "A key result or KPI has not been checked in recently",
    check: Some(check),
    explain: EXPLAIN,
    scope: Scope::Item,
};

/// A stale key result or KPI, as of `as_of`.
enum Stale<'a> {
    KeyResult {
        kr: Ref,
        last: Option<Date>,
        stale_days: i64,
        as_of: Date,
    },
    Kpi {
        kpi: Ref,
        last: Option<Date>,
        cadence: Cadence,
        as_of: Date,
        /// Refs of the open key results that take their values from it.
        linked: &'a [Ref],
    },
}

impl fmt::Display for Stale<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stale::KeyResult {
                kr,
                last,
                stale_days,
                as_of,
            } => {
                write!(f, "key result `{kr}` is stale: ")?;
                match last {
                    Some(d) => write!(
                        f,
                        "last check-in {d}, more than {stale_days} days before {as_of}"
                    ),
                    None => write!(
                        f,
                        "no check-in yet, and more than {stale_days} days of its period have passed by {as_of}"
                    ),
                }
            }
            Stale::Kpi {
                kpi,
                last,
                cadence,
                as_of,
                linked,
            } => {
                let last = last.map_or(String::new(), |d| d.to_string());
                write!(
                    f,
                    "KPI `{kpi}` is stale: last check-in {last}, more than {} days ({}) before {as_of}",
                    cadence.days(),
                    cadence.as_str()
                )?;
                match linked {
                    [] => Ok(()),
                    [one] => write!(f, "; key result `{one}` takes its value from it"),
                    many => {
                        let refs: Vec<String> = many.iter().map(|r| format!("`{r}`")).collect();
                        write!(
                            f,
                            "; key results {} take their values from it",
                            refs.join(", ")
                        )
                    }
                }
            }
        }
    }
}

impl Finding for Stale<'_> {
    fn help(&self) -> String {
        match self {
            Stale::KeyResult { .. } => "check in regularly, even when nothing moved: a score is only as good as its latest observation",
            Stale::Kpi { .. } => "record the latest value, or set `cadence:` to how often it is really measured",
        }
        .to_owned()
    }
}

fn check(input: &Input, out: &mut Report) {
    let Input {
        goals,
        card,
        config,
    } = *input;
    let as_of = card.as_of;
    for (o, s) in goals.objectives.iter().zip(&card.objectives) {
        for (kr, ks) in o.key_results.iter().zip(&s.key_results) {
            if ks.stale && kr.kpi.is_none() {
                let finding = Stale::KeyResult {
                    kr: o.kr_ref(kr),
                    last: ks.last_checkin,
                    stale_days: config.stale_days,
                    as_of,
                };
                out.push(kr.span, &finding);
            }
        }
    }
    // The open key results that take their values from each KPI.
    let mut linked: BTreeMap<KpiId, Vec<Ref>> = BTreeMap::new();
    for o in goals.objectives.iter().filter(|o| o.period.contains(as_of)) {
        for kr in &o.key_results {
            if let Some(k) = kr.kpi {
                linked.entry(k).or_default().push(o.kr_ref(kr));
            }
        }
    }
    for id in goals.kpi_ids() {
        let (k, ks) = (goals.kpi(id), card.kpi(id));
        if ks.stale {
            let finding = Stale::Kpi {
                kpi: k.reference(),
                last: ks.last_checkin,
                cadence: k.cadence,
                as_of,
                linked: linked.get(&id).map_or(&[], Vec::as_slice),
            };
            out.push(k.span, &finding);
        }
    }
}

/// `goalpost explain stale-checkin`, after the summary line and a blank line.
const EXPLAIN: &str = r#"Scores and statuses come from the latest check-in, so when check-ins stop, reports keep
showing an old picture and trouble surfaces only when the period is over. A key result is
stale when, during its period, its latest check-in is more than `stale_days` (default 14)
old, or it has none though more than `stale_days` of the period have passed. A KPI is
stale when its latest check-in is older than its cadence (weekly 7, monthly 31, quarterly
92 days). Check in regularly, even when nothing moved.

Record the current value:

    $ goalpost checkin growth/onboarding/completion 66 --note "flat this week"

and for a KPI that is only measured monthly, say so:

    kpis:
      - id: churn
        cadence: monthly"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse(s).expect("a valid test date")
    }

    #[test]
    fn key_result_wording() {
        let mut stale = Stale::KeyResult {
            kr: Ref::key_result("growth", "onboarding", "completion"),
            last: Some(date("2026-10-01")),
            stale_days: 14,
            as_of: date("2026-11-15"),
        };
        assert_eq!(
            stale.to_string(),
            "key result `growth/onboarding/completion` is stale: last check-in 2026-10-01, \
             more than 14 days before 2026-11-15"
        );
        if let Stale::KeyResult { last, .. } = &mut stale {
            *last = None;
        }
        assert_eq!(
            stale.to_string(),
            "key result `growth/onboarding/completion` is stale: no check-in yet, and more than \
             14 days of its period have passed by 2026-11-15"
        );
    }

    #[test]
    fn kpi_wording_names_the_linked_key_results() {
        let kpi = |linked| Stale::Kpi {
            kpi: Ref::item("growth", "churn"),
            last: Some(date("2026-09-30")),
            cadence: Cadence::Monthly,
            as_of: date("2026-11-15"),
            linked,
        };
        let none = kpi(&[]).to_string();
        assert_eq!(
            none,
            "KPI `growth/churn` is stale: last check-in 2026-09-30, more than 31 days \
             (monthly) before 2026-11-15"
        );
        let one = [Ref::key_result("growth", "win-back", "churn")];
        assert_eq!(
            kpi(&one).to_string(),
            format!("{none}; key result `growth/win-back/churn` takes its value from it")
        );
        let two = [
            Ref::key_result("a", "b", "c"),
            Ref::key_result("d", "e", "f"),
        ];
        assert_eq!(
            kpi(&two).to_string(),
            format!("{none}; key results `a/b/c`, `d/e/f` take their values from it")
        );
    }
}
