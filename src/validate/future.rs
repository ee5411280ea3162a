//! `future-checkin` (SPEC 3.2): a check-in dated after today is almost always a typo (a
//! mistyped month or year). Judged against the clock (or `GOALPOST_TODAY`), never against
//! `--as-of`, which only chooses what is scored. Scoring ignores such a check-in until its
//! date anyway; the warning is there so the typo is fixed before that day comes.

use crate::diag::{Code, Diagnostic};
use crate::model::*;

/// One warning per check-in of `goals` dated after `today`.
pub(crate) fn future_checkins(goals: &Goals, today: Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut check = |reference: &dyn Fn() -> String, checkins: &[Checkin]| {
        // Sorted by date: the future ones are a suffix.
        let from = checkins.partition_point(|c| c.date <= today);
        for c in &checkins[from..] {
            out.push(
                Diagnostic::new(
                    Code::FutureCheckin,
                    c.span,
                    format!(
                        "the check-in of `{}` is dated {}, after today ({today})",
                        reference(),
                        c.date
                    ),
                )
                .help("a check-in records a value already observed: fix the date if it is a typo; until that day no score counts it"),
            );
        }
    };
    for o in &goals.objectives {
        for kr in &o.key_results {
            check(&|| format!("{}/{}", o.reference(), kr.id), &kr.checkins);
        }
    }
    for k in &goals.kpis {
        check(&|| k.reference().to_string(), &k.checkins);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).expect("a test date")
    }

    #[test]
    fn only_check_ins_after_today_are_flagged() {
        let ck = |date: &str| Checkin {
            date: d(date),
            obs: Observation::Value(1.0),
            confidence: None,
            text: None,
            span: Span::default(),
        };
        let goals = Goals {
            upstream: Default::default(),
            objectives: Vec::new(),
            kpis: vec![Kpi {
                team: "growth".into(),
                id: "churn".into(),
                title: "Churn".into(),
                unit: None,
                better: Better::Lower,
                target: 5.0,
                critical: None,
                cadence: Cadence::Weekly,
                owner: None,
                source: None,
                checkins: vec![ck("2026-11-29"), ck("2026-11-30"), ck("2026-12-15")],
                span: Span::default(),
            }],
        };
        let found = future_checkins(&goals, d("2026-11-30"));
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "the check-in of `growth/churn` is dated 2026-12-15, after today (2026-11-30)"
        );
        assert!(future_checkins(&goals, d("2026-12-15")).is_empty());
    }
}
