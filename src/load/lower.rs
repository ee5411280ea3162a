//! Lowering of inline check-ins: right after a file is parsed (in the parse threads, so the
//! raw check-ins of every file are never all in memory at once, BENCHMARKS.md), each KPI's
//! and key result's check-ins that validation accepts without a word become the model's
//! [`Checkin`], moving their text rather than copying it; the others stay raw, with their
//! position, for validation to judge and report ([`Lowered`]). Whether a check-in is
//! accepted is decided by the one copy of the check-in rules, [`judge`], which validation
//! also calls to report the problems.

use super::raw::{Lowered, RawCheckin, RawFile};
use crate::date::Date;
use crate::diag::{Code, Diagnostic};
use crate::model::{Checkin, CheckinText, KrKind, Observation, Records};
use crate::text::num_full;

/// The rules of SPEC 3.2 that need only the check-in and what its item expects: a real
/// date, exactly the expected observation, a confidence in [0, 1], a correction with a
/// reason. `Err` holds what is wrong (empty when the problem was reported already, while
/// reading the file). The one copy of these rules: validation reports the problems
/// (`crate::validate`) and lowering keeps the check-ins with none (`lower`).
pub(crate) fn judge(
    raw: &RawCheckin,
    expect: Records,
) -> Result<(Date, Observation), Vec<Diagnostic>> {
    let mut problems: Vec<Diagnostic> = Vec::new();
    let date = match &raw.date {
        None => {
            if !raw.invalid.contains(&"date") {
                problems.push(
                    Diagnostic::new(Code::MissingField, raw.span, "a check-in has no `date`")
                        .help("add `date: YYYY-MM-DD`"),
                );
            }
            None
        }
        Some(d) => match Date::parse(&d.value) {
            Some(date) => Some(date),
            None => {
                problems.push(
                    Diagnostic::new(
                        Code::InvalidDate,
                        d.span,
                        format!(
                            "`{}` is not a real date: {}",
                            d.value,
                            crate::date::date_problem(&d.value)
                        ),
                    )
                    .help("write the day the value was observed, as YYYY-MM-DD"),
                );
                None
            }
        },
    };
    let mut ok = true;
    let obs = match expect {
        Records::Value => {
            if let Some(done) = raw.done() {
                problems.push(
                    Diagnostic::new(
                        Code::InvalidCheckin,
                        done.span,
                        "`done` is for milestone key results; this item is measured by a `value`",
                    )
                    .help("write `value: <number>` instead of `done:`"),
                );
                ok = false;
            }
            match &raw.value {
                Some(x) => Some(Observation::Value(x.value)),
                None => {
                    if ok && !raw.invalid.contains(&"value") {
                        problems.push(
                            Diagnostic::new(
                                Code::InvalidCheckin,
                                raw.span,
                                "this check-in has no `value`",
                            )
                            .help("add `value: <number>`, the measurement on that date"),
                        );
                    }
                    None
                }
            }
        }
        Records::Done => {
            if let Some(x) = &raw.value {
                problems.push(
                    Diagnostic::new(
                        Code::InvalidCheckin,
                        x.span,
                        format!(
                            "a milestone is done or not; it takes no `value` ({})",
                            num_full(x.value)
                        ),
                    )
                    .help("write `done: true` or `done: false` instead"),
                );
                ok = false;
            }
            match raw.done() {
                Some(d) => Some(Observation::Done(d.value)),
                None => {
                    if ok && !raw.invalid.contains(&"done") {
                        problems.push(
                            Diagnostic::new(
                                Code::InvalidCheckin,
                                raw.span,
                                "a milestone check-in needs `done: true` or `done: false`",
                            )
                            .help("add `done: true` once the milestone is reached"),
                        );
                    }
                    None
                }
            }
        }
    };
    if let Some(r) = raw.correction()
        && r.value.trim().is_empty()
    {
        problems.push(
            Diagnostic::new(
                Code::InvalidCheckin,
                r.span,
                "a correction needs a reason: `correction:` is empty",
            )
            .help("say why the figure was wrong, for example `correction: the export counted test accounts`"),
        );
        ok = false;
    }
    if let Some(c) = raw.confidence()
        && !(0.0..=1.0).contains(&c.value)
    {
        problems.push(
            Diagnostic::new(
                Code::OutOfRange,
                c.span,
                format!(
                    "`confidence` must be between 0 and 1, found {}",
                    num_full(c.value)
                ),
            )
            .help("confidence is a probability: 0.7 means \"7 in 10 that we reach the target\""),
        );
        ok = false;
    }
    match (date, obs) {
        (Some(date), Some(obs)) if ok && problems.is_empty() => Ok((date, obs)),
        _ => Err(problems),
    }
}

/// Lowers one item's raw check-ins; `expect` is what the item takes.
pub(crate) fn lower(raws: Vec<RawCheckin>, expect: Records) -> Lowered {
    // A key the reader rejected (already reported) or an inline `ref` (reported by
    // validation) keeps the check-in raw for validation to report in its place.
    let verdicts: Vec<_> = raws
        .iter()
        .map(|raw| {
            (raw.invalid.is_empty() && raw.reference().is_none())
                .then(|| judge(raw, expect).ok())
                .flatten()
        })
        .collect();
    // Exact capacities: there can be hundreds of thousands of check-ins (BENCHMARKS.md).
    let n_clean = verdicts.iter().filter(|v| v.is_some()).count();
    let mut l = Lowered {
        clean: Vec::with_capacity(n_clean),
        rest: Vec::with_capacity(raws.len() - n_clean),
    };
    for (i, (raw, verdict)) in raws.into_iter().zip(verdicts).enumerate() {
        match verdict {
            Some((date, obs)) => {
                let extra = raw.extra.map(|e| *e).unwrap_or_default();
                l.clean.push(Checkin {
                    date,
                    obs,
                    confidence: extra.confidence.map(|c| c.value),
                    text: CheckinText::boxed_with(
                        extra.note.map(|n| n.value),
                        extra.by.map(|b| b.value),
                        extra.correction.map(|r| r.value),
                    ),
                    span: raw.span,
                });
            }
            None => l.rest.push((u32::try_from(i).unwrap_or(u32::MAX), raw)),
        }
    }
    l
}

/// Lowers the inline check-ins of every KPI and key result of a file (those not lowered yet).
pub(crate) fn lower_file(f: &mut RawFile) {
    for k in f.kpis.iter_mut().flatten() {
        if let Some(raws) = k.checkins.take() {
            k.lowered = lower(raws, Records::Value);
        }
    }
    for o in f.objectives.iter_mut().flatten() {
        for kr in o.key_results.iter_mut().flatten() {
            if let Some(raws) = kr.checkins.take() {
                // An unknown or missing kind is reported elsewhere; the default kind's rule.
                let expect = kr
                    .kind
                    .as_ref()
                    .map_or(KrKind::DEFAULT, |k| k.value)
                    .records();
                kr.lowered = lower(raws, expect);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::diag::Code;
    use crate::load::parse_file;
    use crate::model::Observation;

    const KR: &str = "team: a\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - id: k\n        title: K\n        start: 0\n        target: 10\n";

    fn kr_file(kind: &str, checkins: &[&str]) -> RawFile {
        let mut text = format!("{KR}        kind: {kind}\n        checkins:\n");
        for c in checkins {
            text.push_str(&format!("          - {c}\n"));
        }
        // (`note: [x]` is reported here, as the wrong type; nothing else is.)
        let (raw, diags) = parse_file(0, &text);
        assert!(
            diags.iter().all(|d| d.code == Code::InvalidType),
            "{diags:?}"
        );
        raw.expect("a file")
    }

    fn lowered(mut f: RawFile) -> Lowered {
        lower_file(&mut f);
        let kr = &mut f.objectives.as_mut().expect("objectives")[0]
            .key_results
            .as_mut()
            .expect("key results")[0];
        assert!(kr.checkins.is_none());
        std::mem::take(&mut kr.lowered)
    }

    #[test]
    fn only_what_validation_accepts_silently_is_lowered() {
        let l = lowered(kr_file(
            "metric",
            &[
                "{ date: 2026-10-01, value: 1, confidence: 0.5, note: ok, by: ann }",
                "{ date: 2026-10-02, done: true }", // wrong observation
                "{ date: 2026-02-30, value: 1 }",   // not a real date
                "{ date: 2026-10-03, value: 1, ref: a/o/k }", // `ref` inline
                "{ date: 2026-10-04, value: 1, confidence: 2 }",
                "{ date: 2026-10-05, value: 1, note: [x] }", // a rejected value
                "{ date: 2026-10-06, value: 6 }",
            ],
        ));
        let rest: Vec<u32> = l.rest.iter().map(|(i, _)| *i).collect();
        assert_eq!(rest, [1, 2, 3, 4, 5]);
        assert_eq!(l.clean.len(), 2);
        let c = &l.clean[0];
        assert_eq!(c.obs, Observation::Value(1.0));
        assert_eq!(
            (c.confidence, c.note(), c.by()),
            (Some(0.5), Some("ok"), Some("ann"))
        );
        assert!(l.clean[1].text.is_none());
        assert_eq!(l.first_span().map(|s| s.line), Some(c.span.line));

        let m = lowered(kr_file(
            "milestone",
            &[
                "{ date: 2026-10-02, value: 1 }",
                "{ date: 2026-10-03, done: true }",
            ],
        ));
        assert_eq!((m.rest.len(), m.clean.len()), (1, 1));
        assert_eq!(m.clean[0].obs, Observation::Done(true));
        assert_eq!(m.first_span(), Some(m.rest[0].1.span));
    }

    #[test]
    fn converted_rest_goes_back_to_its_place() {
        // The first check-in is not lowered (its note is rejected, already reported while
        // parsing) but is accepted by validation: it stays first among same-date repeats,
        // so the lowered second one is the repeat that is reported.
        let f = kr_file(
            "metric",
            &[
                "{ date: 2026-10-01, value: 1, note: [x] }",
                "{ date: 2026-10-01, value: 2 }",
                "{ date: 2026-10-02, value: 3 }",
            ],
        );
        let first = lowered(f.clone()).rest[0].1.span;
        let (goals, diags) = crate::validate::validate(&[(0, f)], &Config::default());
        let conflicts: Vec<_> = diags
            .iter()
            .filter(|d| d.code == Code::ConflictingCheckin)
            .collect();
        assert_eq!(conflicts.len(), 1, "{diags:?}");
        assert_eq!(conflicts[0].related[0].span, first);
        assert_eq!(conflicts[0].span.line, first.line + 1);
        let cks = &goals.objectives[0].key_results[0].checkins;
        assert_eq!(
            cks.iter().map(|c| c.obs).collect::<Vec<_>>(),
            [Observation::Value(1.0), Observation::Value(3.0)]
        );
    }

    #[test]
    fn the_first_of_same_date_repeats_wins_whichever_way_it_was_read() {
        // `note: [x]` keeps a check-in raw (validation still accepts it); an out-of-range
        // confidence drops one. Within each date the first in the file must be kept.
        let f = kr_file(
            "metric",
            &[
                "{ date: 2026-10-01, value: 1, note: [x] }",
                "{ date: 2026-10-01, value: 2 }",
                "{ date: 2026-10-02, value: 3 }",
                "{ date: 2026-10-02, value: 4, note: [x] }",
                "{ date: 2026-10-03, value: 9, confidence: 5 }",
                "{ date: 2026-10-03, value: 5 }",
                "{ date: 2026-10-03, value: 6, note: [x] }",
                "{ date: 2026-10-04, value: 7, note: [x] }",
                "{ date: 2026-10-04, value: 8, note: [x] }",
                "{ date: 2026-10-04, value: 10 }",
            ],
        );
        let (goals, _) = crate::validate::validate(&[(0, f)], &Config::default());
        let kept: Vec<_> = goals.objectives[0].key_results[0]
            .checkins
            .iter()
            .map(|c| c.obs)
            .collect();
        let want = [1.0, 3.0, 5.0, 7.0].map(Observation::Value);
        assert_eq!(kept, want);
    }

    #[test]
    #[cfg(target_pointer_width = "64")]
    fn check_ins_stay_small() {
        // BENCHMARKS.md's memory figures depend on these.
        assert!(std::mem::size_of::<RawCheckin>() <= 112);
        assert_eq!(std::mem::size_of::<Checkin>(), 64);
    }
}
