//! Property test: no text, however malformed, makes load → validate → score → lint panic.
//! Inputs are built from goal-file fragments so they reach deep into validation, not just the
//! YAML parser (`cargo fuzz` covers raw bytes; see the README's development section).

use crate::config::Config;
use crate::date::Date;
use proptest::prelude::*;

fn fragment() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "team: growth\n",
        "team: Growth\n",
        "period: 2026-Q4\n",
        "period: 2026-Q9\n",
        "period: fy\n",
        "objectives:\n",
        "kpis:\n",
        "checkins:\n",
        "  - id: o\n",
        "  - id: churn\n",
        "    title: T\n",
        "    better: lower\n",
        "    better: higher\n",
        "    target: 5\n",
        "    critical: 7\n",
        "    critical: 3\n",
        "    target: \"60%\"\n",
        "    parent: growth/o\n",
        "    guardrails: [growth/churn]\n",
        "    key_results:\n",
        "      - id: k\n",
        "        title: K\n",
        "        start: 1\n",
        "        target: 2\n",
        "        start: 2\n",
        "        kind: milestone\n",
        "        kpi: growth/churn\n",
        "        weight: 0\n",
        "        checkins:\n",
        "          - { date: 2026-11-01, value: 1 }\n",
        "          - { date: 2026-02-30, done: true }\n",
        "  - { ref: growth/o/k, date: 2026-11-02, value: 3 }\n",
        "  - { ref: growth/churn, date: 2026-11-02, value: .nan }\n",
        "  - { ref: growth/o/k, date: 2026-11-02, value: 4, confidence: 2 }\n",
        "  - { ref: growth/o/k, date: 2026-11-02, value: 5, correction: typo }\n",
        "  - { ref: growth/churn, date: 2026-11-03, value: 6, correction: \"\" }\n",
        "          - { date: 2026-11-01, value: 2, correction: x, confidence: 0.5 }\n",
        "    carried_from: 2026-Q3\n",
        "    carried_from: 2026-Q4\n",
        "    cadence: monthly\n",
        "a: &x [1, 2]\n",
        "b: *x\n",
        "\t",
        "- ",
        ": ",
        "{",
        "}",
        "[",
        "]",
        "\"",
        "'",
        "#",
        "\n",
        "  ",
    ])
    .prop_map(str::to_owned)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn no_input_panics(parts in prop::collection::vec(fragment(), 0..40), cut in 0usize..4) {
        let text: String = parts.concat();
        // Also try the text split across two files, as a team file and a log.
        let split = text.len() * cut / 4;
        let split = (0..=split).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let files: Vec<_> = [&text[..split], &text[split..]]
            .iter()
            .enumerate()
            .filter_map(|(i, t)| super::parse_file(i as u32, t).0.map(|r| (i as u32, r)))
            .collect();
        let config = Config::default();
        let (goals, diags) = crate::validate::validate(&files, &config);
        // Only goals that validated are scored (the type says so); on those, nothing after
        // scoring may panic either.
        if let Some(valid) = crate::model::Valid::of(&goals, &diags) {
            let t = Date::parse("2026-11-15").expect("a date");
            let card = crate::score::score(valid, t, (&config).into());
            let _ = crate::lint::lint(&goals, &card, &config);
            // The end of a period: a review after it, a rollover into the next.
            let after = Date::parse("2027-01-15").expect("a date");
            let late = crate::score::score(valid, after, (&config).into());
            let _ = crate::lifecycle::review::review(&goals, &late, "2026-Q4", &[])
                .map(|r| crate::lifecycle::review::markdown::render(&r, 2000, true));
            let sources = crate::load::Sources {
                files: vec![
                    crate::load::SourceFile { path: "goals/2026-Q4.yaml".into(), text: text[..split].to_owned() },
                    crate::load::SourceFile { path: "goals/log.yaml".into(), text: text[split..].to_owned() },
                ],
            };
            if let Some(to) = crate::period::Period::resolve("2027-Q1", &Default::default()) {
                let opts = crate::lifecycle::rollover::Options { from: "2026-Q4", to: &to, teams: &[], all: cut % 2 == 0 };
                let _ = crate::lifecycle::rollover::plan(&goals, &late, &sources, &opts, &|_| false);
            }
        }
        for d in &diags {
            prop_assert!(d.span.line >= 1, "{d:?}");
        }
    }
}
