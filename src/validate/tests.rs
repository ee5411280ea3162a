use super::*;
use crate::load::parse_file;

/// Goal files' texts parsed as files 0, 1, …, each without a parse diagnostic.
fn parsed<S: AsRef<str>>(files: &[S]) -> Vec<(u32, RawFile)> {
    files
        .iter()
        .enumerate()
        .filter_map(|(i, text)| {
            let (raw, diags) = parse_file(i as u32, text.as_ref());
            assert!(diags.is_empty(), "parse: {diags:?}");
            raw.map(|r| (i as u32, r))
        })
        .collect()
}

/// Validates goal files given as (path, text) and returns the codes found, in order.
fn check(files: &[&str]) -> (Goals, Vec<String>) {
    let (goals, diags) = validate(&parsed(files), &Config::default());
    (
        goals,
        diags.iter().map(|d| d.code.name().to_owned()).collect(),
    )
}

const KPI: &str = "team: growth\nkpis:\n  - id: churn\n    title: Churn\n    better: lower\n    target: 5\n    critical: 7\n";

#[test]
fn slugs_and_refs() {
    assert!(is_slug("d7-retention") && is_slug("a") && is_slug("0_x"));
    assert!(
        !is_slug("")
            && !is_slug("-a")
            && !is_slug("A")
            && !is_slug(&"a".repeat(64))
            && !is_slug("a b")
    );
    assert!(matches!("growth/churn".parse(), Ok(Ref::Item { .. })));
    assert!(matches!(
        "growth/onboarding/tickets".parse(),
        Ok(Ref::KeyResult { .. })
    ));
    assert!(
        ["growth", "a/b/c/d", "a//b"]
            .iter()
            .all(|s| s.parse::<Ref>().is_err())
    );
}

#[test]
fn duplicates_name_both_places() {
    let (_, codes) = check(&[KPI, KPI]);
    assert_eq!(codes, ["duplicate-id"]);
}

#[test]
fn log_checkins_resolve_by_date_to_the_period() {
    let q3 = "team: g\nperiod: 2026-Q3\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - { id: k, title: K, start: 0, target: 10 }\n";
    let q4 = q3.replace("2026-Q3", "2026-Q4");
    let log = "checkins:\n  - { ref: g/o/k, date: 2026-09-01, value: 3 }\n  - { ref: g/o/k, date: 2026-11-01, value: 7 }\n  - { ref: g/o/k, date: 2027-02-01, value: 9 }\n";
    let (goals, codes) = check(&[q3, &q4, log]);
    assert_eq!(codes, ["checkin-outside-period"]);
    assert_eq!(goals.objectives[0].key_results[0].checkins.len(), 1);
    assert_eq!(goals.objectives[1].key_results[0].checkins.len(), 1);
}

#[test]
fn identical_repeats_warn_and_count_once_conflicts_error() {
    let base = format!("{KPI}checkins:\n  - {{ ref: growth/churn, date: 2026-11-01, value: 4 }}\n");
    let (goals, codes) = check(&[&format!(
        "{base}  - {{ ref: growth/churn, date: 2026-11-01, value: 4 }}\n"
    )]);
    assert_eq!(codes, ["duplicate-checkin"]);
    assert_eq!(goals.kpis[0].checkins.len(), 1);
    let (_, codes) = check(&[&format!(
        "{base}  - {{ ref: growth/churn, date: 2026-11-01, value: 5 }}\n"
    )]);
    assert_eq!(codes, ["conflicting-checkin"]);
}

#[test]
fn parent_cycles_are_found_once() {
    let f = "team: g\nperiod: 2026-Q4\nobjectives:\n  - { id: a, title: A, parent: g/b, key_results: [] }\n  - { id: b, title: B, parent: g/c, key_results: [] }\n  - { id: c, title: C, parent: g/a, key_results: [] }\n";
    let (_, codes) = check(&[f]);
    assert_eq!(codes, ["parent-cycle"]);
}

#[test]
fn parent_must_share_the_period() {
    let company =
        "team: company\nperiod: 2026-Q3\nobjectives:\n  - { id: a, title: A, key_results: [] }\n";
    let team = "team: g\nperiod: 2026-Q4\nobjectives:\n  - { id: b, title: B, parent: company/a, key_results: [] }\n";
    let (_, codes) = check(&[company, team]);
    assert_eq!(codes, ["unknown-ref"]);
}

#[test]
fn linked_kr_takes_no_checkins_and_milestones_take_done() {
    let f = format!(
        "{KPI}period: 2026-Q4\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - {{ id: r, title: R, start: 1, target: 2, kpi: growth/churn, checkins: [{{ date: 2026-11-01, value: 1 }}] }}\n      - {{ id: m, title: M, kind: milestone, checkins: [{{ date: 2026-11-01, value: 1 }}] }}\n"
    );
    let (_, codes) = check(&[&f]);
    assert_eq!(codes, ["linked-kr-checkin", "invalid-checkin"]);
}

#[test]
fn kpi_thresholds_and_kr_shape() {
    let (_, codes) = check(&[
        "team: g\nkpis:\n  - { id: a, title: A, better: higher, target: 45, critical: 50 }\n",
    ]);
    assert_eq!(codes, ["critical-wrong-side"]);
    let (_, codes) = check(&[
        "team: g\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - { id: a, title: A, start: 3, target: 3 }\n      - { id: b, title: B, start: 3, target: 4, weight: 0 }\n      - { id: c, title: C, kind: milestone, target: 4 }\n",
    ]);
    assert_eq!(
        codes,
        [
            "start-equals-target",
            "out-of-range",
            "milestone-with-metric"
        ]
    );
}

/// Extreme and hostile inputs (from the hardening work).
mod hostile {
    use super::super::*;
    use crate::load::parse_file;

    fn check(src: &str) -> Vec<Diagnostic> {
        let (raw, mut diags) = parse_file(0, src);
        let raw = raw.expect("the test file converts");
        let (_, more) = validate(&[(0, raw)], &Config::default());
        diags.extend(more);
        diags
    }

    fn objectives(parents: &[Option<usize>]) -> String {
        let mut s = String::from("team: a\nperiod: 2026-Q4\nobjectives:\n");
        for (i, p) in parents.iter().enumerate() {
            let parent = p.map_or(String::new(), |p| format!(", parent: a/o{p}"));
            s.push_str(&format!(
            "  - {{ id: o{i}, title: O{parent}, key_results: [{{ id: k, title: K, start: 0, target: 1 }}] }}\n"
        ));
        }
        s
    }

    #[test]
    fn each_parent_cycle_is_reported_once_at_its_first_member() {
        // o1 → o2 → o3 → o1, o4 → o4, and o0 / o5 hang off cycles without being in one.
        let d = check(&objectives(&[
            Some(1),
            Some(2),
            Some(3),
            Some(1),
            Some(4),
            Some(4),
        ]));
        let cycles: Vec<&Diagnostic> = d.iter().filter(|d| d.code == Code::ParentCycle).collect();
        assert_eq!(cycles.len(), 2, "{d:#?}");
        assert_eq!(
            cycles[0].message,
            "objectives' parents form a cycle: a/o1 → a/o2 → a/o3 → a/o1"
        );
        assert_eq!(cycles[0].span.line, 5);
        assert_eq!(cycles[0].related.len(), 2);
        assert_eq!(
            cycles[1].message,
            "objectives' parents form a cycle: a/o4 → a/o4"
        );
    }

    #[test]
    fn a_long_parent_chain_is_linear() {
        // 5,000 links once took O(n³) steps (minutes); now each objective is walked once.
        let n: usize = 5_000;
        let parents: Vec<Option<usize>> = (0..n).map(|i| i.checked_sub(1)).collect();
        let started = std::time::Instant::now();
        let d = check(&objectives(&parents));
        assert!(d.iter().all(|d| d.code != Code::ParentCycle));
        assert!(started.elapsed() < std::time::Duration::from_secs(30));
        let mut cyclic = parents;
        cyclic[0] = Some(n - 1);
        let d = check(&objectives(&cyclic));
        assert_eq!(d.iter().filter(|d| d.code == Code::ParentCycle).count(), 1);
    }

    #[test]
    fn suggestions_stop_when_the_budget_is_spent() {
        let config = Config::default();
        let mut v = Validator::new(&config);
        v.suggest_budget = 1_000;
        let kpis = || ["a/churn".to_owned(), "a/nps".to_owned()].into_iter();
        assert_eq!(v.suggestion("a/chrun", kpis()).as_deref(), Some("a/churn"));
        let many = (0..1_000).map(|i| format!("a/k{i}"));
        assert_eq!(v.suggestion("a/k1", many), None);
        assert_eq!(v.suggest_budget, 0);
        // Spent: no more suggestions, and no candidates are even built.
        let never = std::iter::from_fn(|| -> Option<String> { panic!("candidates were built") });
        assert_eq!(v.suggestion("a/chrun", never), None);
    }

    #[test]
    fn one_objective_id_in_many_periods_is_not_a_duplicate() {
        let mut src = String::new();
        let mut files = Vec::new();
        for (i, year) in (2000..2400).enumerate() {
            src.clear();
            src.push_str(&format!(
            "team: a\nperiod: {year}\nobjectives:\n  - {{ id: o, title: O, key_results: [{{ id: k, title: K, start: 0, target: 1 }}] }}\n"
        ));
            let (raw, _) = parse_file(i as u32, &src);
            files.push((i as u32, raw.expect("the test file converts")));
        }
        let twin = "team: a\nperiod: 2001\nobjectives:\n  - { id: o, title: Twin, key_results: [{ id: k, title: K, start: 0, target: 1 }] }\n";
        let (raw, _) = parse_file(400, twin);
        files.push((400, raw.expect("the test file converts")));
        let (_, d) = validate(&files, &Config::default());
        let dups: Vec<&Diagnostic> = d.iter().filter(|d| d.code == Code::DuplicateId).collect();
        assert_eq!(dups.len(), 1, "{d:#?}");
        assert_eq!(dups[0].related[0].span.file, 1);
    }
}

/// Items built with placeholder values are listed in `Validated::flawed`, so that comparisons
/// (`check --base`) do not take the placeholders for what was written.
#[test]
fn items_with_errors_are_flagged_as_flawed() {
    let okrs = "team: g\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - { id: same, title: S, start: 5, target: 5 }\n      - { id: typed, title: T, start: x, target: 5 }\n      - { id: fine, title: F, start: 0, target: 5 }\n";
    let kpis = "team: g\nkpis:\n  - { id: nobetter, title: N, target: 5 }\n  - { id: good, title: G, better: lower, target: 5 }\n";
    // `start: x` is reported while loading; validation sees the key marked invalid.
    let parsed: Vec<(u32, RawFile)> = [okrs, kpis]
        .iter()
        .enumerate()
        .filter_map(|(i, text)| parse_file(i as u32, text).0.map(|r| (i as u32, r)))
        .collect();
    let Validated {
        goals,
        diags,
        flawed,
        rollup: _, // not a snapshot
    } = validate_with(parsed, &Config::default(), Unread::default());
    assert!(
        diags.iter().any(|d| d.code == Code::StartEqualsTarget),
        "{diags:?}"
    );
    let flawed = |span: Span| flawed.contains(&span);
    let krs = &goals.objectives[0].key_results;
    assert_eq!(
        krs.iter().map(|k| flawed(k.span)).collect::<Vec<_>>(),
        [true, true, false]
    );
    assert!(!flawed(goals.objectives[0].span), "its own fields are fine");
    assert_eq!(
        goals
            .kpis
            .iter()
            .map(|k| flawed(k.span))
            .collect::<Vec<_>>(),
        [false, true] // sorted by id: good, nobetter
    );
    let raw = parse_file(0, KPI).0.expect("parses");
    let v = validate_with(vec![(0, raw)], &Config::default(), Unread::default());
    assert!(v.diags.is_empty() && v.flawed.is_empty());
}

/// A file whose `team` or `period` is invalid is reported once, as itself: references into
/// it are not also blamed as unknown.
#[test]
fn refs_into_a_file_with_a_bad_team_or_period_are_not_blamed() {
    let log = "checkins:\n  - { ref: growth/churn, date: 2026-11-01, value: 5 }\n  - { ref: growth/onboarding/completion, date: 2026-11-01, value: 65 }\n  - { ref: growth/nope, date: 2026-11-01, value: 5 }\n";
    let file = |team: &str, period: &str| {
        format!(
            "team: {team}\nperiod: {period}\nobjectives:\n  - id: onboarding\n    title: O\n    key_results:\n      - {{ id: completion, title: C, start: 0, target: 10 }}\n      - {{ id: other, title: D, start: 0, target: 10 }}\nkpis:\n  - {{ id: churn, title: C, better: lower, target: 5 }}\n"
        )
    };
    let bad_team = file("Growth Team", "2026-Q4");
    let (_, codes) = check(&[&bad_team, log]);
    assert_eq!(codes, ["invalid-slug", "unknown-ref"], "only growth/nope");
    // A bad period: the objectives were not built, the KPIs were.
    let bad_period = file("growth", "2026-Q5");
    let (goals, codes) = check(&[&bad_period, log]);
    assert_eq!(codes, ["invalid-period", "unknown-ref"]);
    assert_eq!(goals.kpis[0].checkins.len(), 1);
    // Without the problem, growth/nope is the only unknown ref.
    let (_, codes) = check(&[&file("growth", "2026-Q4"), log]);
    assert_eq!(codes, ["unknown-ref"]);
}

#[test]
fn messages_say_what_is_wrong() {
    let message = |text: &str| {
        let raw = parse_file(0, text).0.expect("parses");
        let (_, diags) = validate(&[(0, raw)], &Config::default());
        assert_eq!(diags.len(), 1, "{diags:?}");
        (
            diags[0].message.clone(),
            diags[0].help.clone().unwrap_or_default(),
        )
    };
    let (m, h) = message(&KPI.replace("critical: 7", "critical: 5"));
    assert_eq!(
        m,
        "`critical` equals `target` (5): a value of 5 would be healthy and critical at once"
    );
    assert!(
        h.contains("strictly greater than the target (above 5)"),
        "{h}"
    );
    let (m, _) = message(&KPI.replace("critical: 7", "critical: 3"));
    assert!(m.contains("is on the good side"), "{m}");
    let dated = |date: &str| {
        message(&format!(
            "{KPI}    checkins:\n      - {{ date: {date}, value: 4 }}\n"
        ))
        .0
    };
    assert_eq!(
        dated("2026-02-30"),
        "`2026-02-30` is not a real date: February 2026 has 28 days"
    );
    assert_eq!(
        dated("2026-13-01"),
        "`2026-13-01` is not a real date: there is no month 13; months run from 01 to 12"
    );
}

/// The check-ins of the KPI `growth/churn` after validating it with `log` lines.
fn churn_with(log: &[&str]) -> (Vec<Checkin>, Vec<String>) {
    let mut text = format!("{KPI}checkins:\n");
    for l in log {
        text.push_str(&format!("  - {{ ref: growth/churn, {l} }}\n"));
    }
    let (goals, codes) = check(&[&text]);
    (goals.kpis[0].checkins.clone(), codes)
}

#[test]
fn a_correction_replaces_the_check_in_of_its_date_and_keeps_it() {
    let (cks, codes) = churn_with(&[
        "date: 2026-10-31, value: 6.1, note: from the dashboard",
        "date: 2026-11-30, value: 6.4",
        "date: 2026-10-31, value: 5.9, correction: the dashboard counted paused accounts",
    ]);
    assert!(codes.is_empty(), "{codes:?}");
    assert_eq!(cks.len(), 2);
    let c = &cks[0];
    assert_eq!(c.obs, Observation::Value(5.9));
    let corr = c.correction().expect("a correction");
    assert_eq!(corr.reason, "the dashboard counted paused accounts");
    let originals: Vec<_> = corr.originals().map(|o| o.obs).collect();
    assert_eq!(originals, [Observation::Value(6.1)]);
    assert_eq!(corr.replaced[0].note(), Some("from the dashboard"));
    let written: Vec<_> = c.as_written().map(|o| o.obs).collect();
    assert_eq!(written, [6.1, 5.9].map(Observation::Value));
    assert!(cks[1].correction().is_none());
    assert_eq!(cks[1].as_written().count(), 1);
}

/// Issue 24, item 5 (SPEC 3.2): a correction keeps the `confidence`, `note` and `by` of the
/// check-in it corrects (the last original in reading order) where it names none of its own.
#[test]
fn a_correction_keeps_the_fields_it_does_not_name() {
    let (cks, codes) = churn_with(&[
        "date: 2026-10-31, value: 6.3, confidence: 0.2, note: first try, by: carol",
        "date: 2026-10-31, value: 6.1, confidence: 0.6, note: from the dashboard, by: alice",
        "date: 2026-10-31, value: 5.9, correction: the dashboard counted paused accounts",
    ]);
    assert!(codes.is_empty(), "{codes:?}");
    let c = &cks[0];
    assert_eq!(c.obs, Observation::Value(5.9));
    assert_eq!(
        (c.confidence, c.note(), c.by()),
        (Some(0.6), Some("from the dashboard"), Some("alice"))
    );
    // What a correction names is its own; an earlier correction is not what it corrects.
    let (cks, codes) = churn_with(&[
        "date: 2026-10-31, value: 6.1, confidence: 0.6, note: from the dashboard",
        "date: 2026-10-31, value: 6.0, confidence: 0.9, by: bob, correction: first fix",
        "date: 2026-10-31, value: 5.9, note: recounted, correction: second fix",
    ]);
    assert!(codes.is_empty(), "{codes:?}");
    let c = &cks[0];
    assert_eq!(
        (c.confidence, c.note(), c.by()),
        (Some(0.6), Some("recounted"), None)
    );
    assert_eq!(c.correction().expect("corrected").reason, "second fix");
}

#[test]
fn a_correction_settles_a_conflict_and_the_last_correction_wins() {
    // A union merge brought two different figures together; a correction settles them.
    let (cks, codes) = churn_with(&[
        "date: 2026-10-31, value: 6.1",
        "date: 2026-10-31, value: 6.3, by: carol",
        "date: 2026-10-31, value: 6.2, correction: billing export",
    ]);
    assert!(codes.is_empty(), "{codes:?}");
    assert_eq!(cks.len(), 1);
    assert_eq!(cks[0].obs, Observation::Value(6.2));
    assert_eq!(
        cks[0].correction().expect("corrected").originals().count(),
        2
    );

    // A wrong correction is corrected by another: the last in reading order wins, and the
    // overridden one is kept with the originals.
    let (cks, codes) = churn_with(&[
        "date: 2026-10-31, value: 6.1",
        "date: 2026-10-31, value: 6.2, correction: billing export",
        "date: 2026-10-31, value: 6.25, correction: \"billing export, rounded wrongly\"",
    ]);
    assert!(codes.is_empty(), "{codes:?}");
    let c = cks[0].correction().expect("corrected");
    assert_eq!(cks[0].obs, Observation::Value(6.25));
    assert_eq!(c.originals().count(), 1);
    let overridden: Vec<_> = c.overridden().map(|o| o.obs).collect();
    assert_eq!(overridden, [Observation::Value(6.2)]);
}

#[test]
fn reading_order_is_files_in_path_order_then_entries() {
    // The inline original is in the second file, the log with two corrections in the first
    // and third: the correction of the third file wins, whatever the date sort did.
    let kpi = format!("{KPI}    checkins:\n      - {{ date: 2026-10-31, value: 6.1 }}\n");
    let log = |v: &str| {
        format!(
            "checkins:\n  - {{ ref: growth/churn, date: 2026-10-31, value: {v}, correction: c{v} }}\n"
        )
    };
    let (goals, codes) = check(&[&log("1"), &kpi, &log("3")]);
    assert!(codes.is_empty(), "{codes:?}");
    let c = &goals.kpis[0].checkins[0];
    assert_eq!(c.obs, Observation::Value(3.0));
    let replaced: Vec<_> = c
        .correction()
        .expect("corrected")
        .replaced
        .iter()
        .map(|r| r.obs)
        .collect();
    assert_eq!(replaced, [1.0, 6.1].map(Observation::Value));
}

#[test]
fn identical_corrections_count_once_and_orphans_are_errors() {
    let (cks, codes) = churn_with(&[
        "date: 2026-10-31, value: 6.1",
        "date: 2026-10-31, value: 6.1",
        "date: 2026-10-31, value: 6.2, correction: export",
        "date: 2026-10-31, value: 6.2, correction: export",
    ]);
    assert_eq!(codes, ["duplicate-checkin", "duplicate-checkin"]);
    assert_eq!(cks[0].correction().expect("corrected").replaced.len(), 1);

    let (cks, codes) = churn_with(&[
        "date: 2026-10-30, value: 6.1",
        "date: 2026-10-31, value: 6.2, correction: export",
        "date: 2026-11-30, value: 6.4",
    ]);
    assert_eq!(codes, ["orphan-correction"]);
    assert_eq!(cks.len(), 3);
    let (_, diags) = {
        let text = format!(
            "{KPI}checkins:\n  - {{ ref: growth/churn, date: 2026-10-30, value: 6.1 }}\n  - {{ ref: growth/churn, date: 2026-10-31, value: 6.2, correction: x }}\n  - {{ ref: growth/churn, date: 2026-10-31, value: 6.3, correction: y }}\n"
        );
        let (raw, _) = parse_file(0, &text);
        validate(&[(0, raw.expect("a file"))], &Config::default())
    };
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, Code::OrphanCorrection);
    let help = diags[0].help.as_deref().unwrap_or("");
    assert!(help.contains("on 2026-10-30"), "{help}");

    let (_, codes) = churn_with(&["date: 2026-10-31, value: 6.2, correction: \"  \""]);
    assert_eq!(codes, ["invalid-checkin"]);
}

#[test]
fn carried_from_names_a_period_with_the_same_objective() {
    let q = |p: &str, extra: &str| {
        format!(
            "team: g\nperiod: {p}\nobjectives:\n  - id: o\n    title: O\n{extra}    key_results:\n      - {{ id: k, title: K, start: 0, target: 10 }}\n"
        )
    };
    let (goals, codes) = check(&[
        &q("2026-Q3", ""),
        &q("2026-Q4", "    carried_from: 2026-Q3\n"),
    ]);
    assert!(codes.is_empty(), "{codes:?}");
    assert_eq!(goals.objectives[1].carried_from.as_deref(), Some("2026-Q3"));
    assert_eq!(goals.objectives[0].carried_from, None);
    for from in ["2026-Q2", "2026-Q4"] {
        let (goals, codes) = check(&[
            &q("2026-Q3", ""),
            &q("2026-Q4", &format!("    carried_from: {from}\n")),
        ]);
        assert_eq!(codes, ["unknown-ref"], "{from}");
        assert_eq!(goals.objectives[1].carried_from, None);
    }
}

fn validated_with_load_diags(text: &str) -> (Goals, Vec<Diagnostic>) {
    let (raw, mut diags) = crate::load::parse_file(0, text);
    let raw = raw.expect("a parsed file");
    let (goals, more) = validate(&[(0, raw)], &Config::default());
    diags.extend(more);
    (goals, diags)
}

#[test]
fn goals_with_an_error_cannot_be_scored_and_warnings_do_not_matter() {
    let good = "team: t\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - { id: k, title: K, start: 0, target: 10 }\n";
    let (goals, diags) = validated_with_load_diags(good);
    assert!(Valid::of(&goals, &diags).is_some(), "{diags:?}");
    // start equal to target: built with a placeholder, reported as an error.
    let (goals, diags) = validated_with_load_diags(&good.replace("target: 10", "target: 0"));
    assert!(
        !goals.objectives.is_empty(),
        "the partial form is still built"
    );
    assert!(Valid::of(&goals, &diags).is_none(), "{diags:?}");
    let mut warned = diags.clone();
    warned.retain(|d| d.severity != crate::diag::Severity::Error);
    assert!(Valid::of(&goals, &warned).is_some());
}

/// SPEC 3.4: every rule about revisions, drops and a KR's cadence has its own code, located
/// at what is wrong, and all are reported in one run.
#[test]
fn revisions_and_drops_are_checked_rule_by_rule() {
    let text = "team: g
period: 2026-Q4
objectives:
  - id: o
    title: O
    dropped: { date: 2027-01-02, reason: late }
    key_results:
      - id: a
        title: A
        start: 0
        target: 10
        dropped: { date: 2026-11-10, reason: gone }
        revisions:
          - { date: 2026-09-01, target: 5, reason: early }
          - { date: 2026-10-10, reason: nothing }
          - { date: 2026-10-20, target: 6, reason: '' }
          - { date: 2026-10-25, target: 7, reason: first }
          - { date: 2026-10-25, target: 8, reason: second }
          - { date: 2026-10-30, start: 7, reason: no change left }
          - { date: 2026-11-12, target: 9, reason: after the drop }
      - { id: m, title: M, kind: milestone, revisions: [{ date: 2026-10-05, target: 1, reason: x }] }
      - { id: l, title: L, start: 0, target: 10, kpi: g/k, cadence: monthly }
kpis:
  - { id: k, title: K, better: higher, target: 5 }
";
    let parsed = vec![(0, parse_file(0, text).0.expect("parsed"))];
    let (_, diags) = validate(&parsed, &Config::default());
    let got: Vec<(&str, u32)> = diags.iter().map(|d| (d.code.name(), d.span.line)).collect();
    assert_eq!(
        got,
        [
            ("drop-outside-period", 6),
            ("revision-outside-period", 14),
            ("empty-revision", 15),
            ("empty-reason", 16),
            ("duplicate-revision", 18),
            ("start-equals-target", 19),
            ("revision-after-drop", 20),
            ("milestone-with-metric", 21),
            ("cadence-on-linked-kr", 22),
        ]
    );
    let dup = diags.iter().find(|d| d.code == Code::DuplicateRevision);
    assert_eq!(dup.map(|d| d.related[0].span.line), Some(17));
}

/// SPEC 3.2, read literally (found by the oracle, `tests/tools/oracle.py`): a correction takes
/// the fields it does not name from "the last original in reading order", and a repeated
/// original stands where its last copy is. The log (read first) has 5 then 6; the goal file
/// repeats the 5, so the 5's confidence 0.7 is the one the correction keeps.
#[test]
fn a_correction_inherits_from_the_last_copy_of_a_repeated_original() {
    let goal = "team: ops\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - { id: k, title: K, start: 0, target: 10, checkins: [{ date: 2026-10-21, value: 5, confidence: 0.7 }] }\n";
    let log = "checkins:\n  - { ref: ops/o/k, date: 2026-10-21, value: 5, confidence: 0.7 }\n  - { ref: ops/o/k, date: 2026-10-21, value: 6, confidence: 0.3 }\n  - { ref: ops/o/k, date: 2026-10-21, value: 7, correction: wrong query }\n";
    // The log is file 0: it is read first.
    let (goals, codes) = check(&[log, goal]);
    assert_eq!(codes, ["duplicate-checkin"]);
    let c = &goals.objectives[0].key_results[0].checkins[0];
    assert_eq!(c.obs, Observation::Value(7.0));
    assert_eq!(c.confidence, Some(0.7));
    // A repeated correction wins at its last copy too: A, B, A again → A.
    let log = "checkins:\n  - { ref: ops/o/k, date: 2026-10-21, value: 7, correction: a }\n  - { ref: ops/o/k, date: 2026-10-21, value: 8, correction: b }\n  - { ref: ops/o/k, date: 2026-10-21, value: 7, correction: a }\n";
    let (goals, _) = check(&[log, goal]);
    let c = &goals.objectives[0].key_results[0].checkins[0];
    assert_eq!(c.obs, Observation::Value(7.0));
}

/// A generated repository of `n` files full of what validation reports: duplicate ids
/// across files, unknown and cyclic parents, unknown guardrails, flawed key results,
/// duplicate, conflicting and corrected check-ins, orphan corrections, check-ins outside
/// their period, unknown refs in a log, and files without a team or period.
fn tangled(n: usize, seed: u64) -> Vec<String> {
    let mut x = seed;
    let mut rnd = move |m: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % m
    };
    let mut files = Vec::new();
    for i in 0..n {
        let team = format!("t{}", rnd(30));
        let q = 1 + rnd(4);
        let mut f = match rnd(20) {
            0 => String::from("objectives:\n"),
            1 => format!("team: {team}\nobjectives:\n"),
            _ => format!("team: {team}\nperiod: 2026-Q{q}\nobjectives:\n"),
        };
        for o in 0..1 + rnd(3) {
            let id = format!("o{}", rnd(6));
            f.push_str(&format!("  - id: {id}\n    title: Objective {i} {o}\n"));
            if rnd(3) == 0 {
                f.push_str(&format!("    parent: t{}/o{}\n", rnd(30), rnd(6)));
            }
            if rnd(4) == 0 {
                f.push_str(&format!("    guardrails: [t{}/k{}]\n", rnd(30), rnd(3)));
            }
            f.push_str("    key_results:\n");
            for k in 0..1 + rnd(3) {
                let (start, target) = (rnd(5), rnd(5));
                f.push_str(&format!(
                    "      - id: kr{k}\n        title: KR\n        start: {start}\n        target: {target}\n"
                ));
                if rnd(10) == 0 {
                    f.push_str(&format!("        kpi: t{}/k{}\n", rnd(30), rnd(2)));
                }
                f.push_str("        checkins:");
                let count = rnd(5);
                f.push_str(if count == 0 { " []\n" } else { "\n" });
                for _ in 0..count {
                    let month = 3 * (q - 1) + 1 + rnd(4);
                    let day = 1 + rnd(28);
                    let fix = if rnd(6) == 0 {
                        ", correction: typo"
                    } else {
                        ""
                    };
                    f.push_str(&format!(
                        "          - {{ date: 2026-{month:02}-{day:02}, value: {}{fix} }}\n",
                        rnd(3)
                    ));
                }
            }
        }
        if rnd(3) == 0 {
            f.push_str("kpis:\n");
            for k in 0..1 + rnd(2) {
                f.push_str(&format!(
                    "  - id: k{k}\n    title: KPI\n    better: higher\n    target: {}\n    checkins:\n      - {{ date: 2026-0{}-0{}, value: {} }}\n",
                    rnd(3),
                    1 + rnd(9),
                    1 + rnd(9),
                    rnd(2)
                ));
            }
        }
        files.push(f);
    }
    // Most rows name a key result; some a KPI, some nothing valid: no ref, a ref that is not
    // one, a date that is not one, a value a key result or KPI refuses.
    let mut log = String::from("checkins:\n");
    for _ in 0..n * 4 {
        let fix = if rnd(8) == 0 {
            ", correction: late"
        } else {
            ""
        };
        let (month, day, value) = (1 + rnd(12), 1 + rnd(28), rnd(3));
        let row = match rnd(40) {
            0 => format!("{{ date: 2026-{month:02}-{day:02}, value: {value} }}"),
            1 => format!(
                "{{ ref: t{}, date: 2026-{month:02}-{day:02}, value: {value} }}",
                rnd(30)
            ),
            2 => format!(
                "{{ ref: t{}/o{}/kr{}, date: 2026-{month:02}-{day:02}x, value: {value} }}",
                rnd(30),
                rnd(6),
                rnd(3)
            ),
            3 => format!(
                "{{ ref: t{}/o{}/kr{}, date: 2026-{month:02}-{day:02}, done: true }}",
                rnd(30),
                rnd(6),
                rnd(3)
            ),
            4..=9 => format!(
                "{{ ref: t{}/k{}, date: 2026-{month:02}-{day:02}, value: {value}{fix} }}",
                rnd(30),
                rnd(3)
            ),
            10 => format!(
                "{{ ref: t{}/k{}, date: 2026-{month:02}-{day:02}, confidence: 7 }}",
                rnd(30),
                rnd(3)
            ),
            _ => format!(
                "{{ ref: t{}/o{}/kr{}, date: 2026-{month:02}-{day:02}, value: {value}{fix} }}",
                rnd(30),
                rnd(6),
                rnd(3)
            ),
        };
        log.push_str(&format!("  - {row}\n"));
    }
    files.push(log);
    files
}

#[test]
fn validation_on_many_threads_gives_what_one_thread_gives() {
    for (n, seed) in [(300, 1), (200, 7), (70, 42), (600, 3)] {
        let files = tangled(n, seed);
        let parsed: Vec<(u32, RawFile)> = files
            .iter()
            .enumerate()
            .filter_map(|(i, text)| {
                let (raw, diags) = parse_file(i as u32, text);
                assert!(diags.is_empty(), "parse: {diags:?}\n{text}");
                raw.map(|r| (i as u32, r))
            })
            .collect();
        let run = |threads: usize| {
            let v = with_threads(threads, || {
                validate_with(parsed.clone(), &Config::default(), Unread::default())
            });
            let mut flawed: Vec<String> = v.flawed.iter().map(|s| format!("{s:?}")).collect();
            flawed.sort();
            format!("{:?}\n{:?}\n{flawed:?}", v.goals, v.diags)
        };
        let one = run(1);
        assert!(
            one.matches("code:").count() > 50,
            "too few findings to compare"
        );
        for threads in [2, 3, 7] {
            assert!(
                run(threads) == one,
                "{n} files (seed {seed}) on {threads} threads differ from one thread"
            );
        }
    }
}

/// A logged check-in finds its key result by a scan of a few key results, or by a map past
/// `SCAN_KRS` of them: either way the one of that id, and an unknown id is reported.
#[test]
fn log_checkins_find_their_key_result_among_few_or_many() {
    for krs in [1usize, 3, 16, 17, 40] {
        let mut goal = String::from(
            "team: g\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: O\n    key_results:\n",
        );
        for r in 0..krs {
            goal.push_str(&format!(
                "      - {{ id: k{r}, title: K, start: 0, target: 100 }}\n"
            ));
        }
        let mut log = String::from("checkins:\n");
        for r in (0..krs).rev() {
            log.push_str(&format!(
                "  - {{ ref: g/o/k{r}, date: 2026-11-01, value: {r} }}\n"
            ));
        }
        log.push_str("  - { ref: g/o/nope, date: 2026-11-01, value: 1 }\n");
        let (goals, codes) = check(&[&goal, &log]);
        assert_eq!(codes, ["unknown-ref"], "{krs} key results");
        for (r, kr) in goals.objectives[0].key_results.iter().enumerate() {
            assert_eq!(kr.checkins.len(), 1, "{krs} key results: k{r}");
            assert_eq!(
                kr.checkins[0].obs,
                crate::model::Observation::Value(r as f64),
                "{krs} key results: k{r}"
            );
        }
    }
}

/// The files of team `t`: objective `o` in each of `periods` (one file each), then `more`.
fn in_periods(periods: &[String], more: &[&str]) -> Vec<String> {
    let mut files: Vec<String> = periods
        .iter()
        .map(|p| {
            format!("team: t\nperiod: {p}\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - {{ id: k, title: K, start: 0, target: 10 }}\n")
        })
        .collect();
    files.extend(more.iter().map(|s| (*s).to_owned()));
    files
}

/// The messages and helps of validating `files`, each diagnostic as `code: message / help`.
fn messages(files: &[String], config: &Config) -> Vec<String> {
    let (_, diags) = validate(&parsed(files), config);
    diags
        .iter()
        .map(|d| {
            format!(
                "{}: {} / {}",
                d.code.name(),
                d.message,
                d.help.as_deref().unwrap_or("")
            )
        })
        .collect()
}

/// A message that names the periods of an id lists a few and counts the rest: one id in
/// thousands of periods, named by thousands of check-ins or `carried_from`s, would otherwise
/// make output quadratic in the input.
#[test]
fn messages_list_a_few_of_many_periods_and_count_the_rest() {
    let quarters: Vec<String> = (0..20)
        .map(|i| format!("{}-Q{}", 2000 + i / 4, i % 4 + 1))
        .collect();
    let carried = "team: t\nperiod: 2030-Q1\nobjectives:\n  - id: o\n    title: O\n    carried_from: 1999-Q1\n    key_results:\n      - { id: k, title: K, start: 0, target: 10 }\n";
    let parent = "team: u\nperiod: 2030-Q2\nobjectives:\n  - id: p\n    title: P\n    parent: t/o\n    key_results:\n      - { id: k, title: K, start: 0, target: 10 }\n";
    let log = "checkins:\n  - { ref: t/o/k, date: 2031-01-05, value: 1 }\n";
    let got = messages(
        &in_periods(&quarters, &[carried, parent, log]),
        &Config::default(),
    );
    // Its own period is not among those listed.
    let listed =
        "2000-Q1, 2000-Q2, 2000-Q3, 2000-Q4, 2001-Q1, 2001-Q2, 2001-Q3, 2001-Q4, and 12 more";
    assert!(
        got.iter().any(|m| m.contains(&format!(
            "`t/o` exists in period {listed}: did you mean that?"
        ))),
        "{got:#?}"
    );
    let listed =
        "2000-Q1, 2000-Q2, 2000-Q3, 2000-Q4, 2001-Q1, 2001-Q2, 2001-Q3, 2001-Q4, and 13 more";
    assert!(
        got.iter().any(|m| m.contains(&format!(
            "`t/o` exists in period {listed}; a parent must be in the same period (2030-Q2)"
        ))),
        "{got:#?}"
    );
    let outside = "outside the objective's period 2000-Q1 (2000-01-01 to 2000-03-31), 2000-Q2 (2000-04-01 to 2000-06-30), 2000-Q3 (2000-07-01 to 2000-09-30), 2000-Q4 (2000-10-01 to 2000-12-31), 2001-Q1 (2001-01-01 to 2001-03-31), 2001-Q2 (2001-04-01 to 2001-06-30), 2001-Q3 (2001-07-01 to 2001-09-30), 2001-Q4 (2001-10-01 to 2001-12-31), and 13 more /";
    assert!(got.iter().any(|m| m.contains(outside)), "{got:#?}");

    // Twenty periods of goalpost.toml that all hold one day: a check-in that day matches
    // every one of them.
    let mut config = Config::default();
    let names: Vec<String> = (0..20).map(|i| format!("p{i:02}")).collect();
    for (i, name) in names.iter().enumerate() {
        let start = crate::date::Date::parse(&format!("2026-01-{:02}", i + 1)).expect("a date");
        let end = crate::date::Date::parse("2026-12-31").expect("a date");
        config.periods.insert(name.clone(), (start, end));
    }
    let log = "checkins:\n  - { ref: t/o/k, date: 2026-06-01, value: 1 }\n";
    let got = messages(&in_periods(&names, &[log]), &config);
    assert!(
        got.iter().any(|m| m.contains("`t/o/k` on 2026-06-01 matches objectives in several periods: p00, p01, p02, p03, p04, p05, p06, p07, and 12 more /")),
        "{got:#?}"
    );
}

/// A deterministic stream of numbers below `m`.
fn numbers(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut x = seed;
    move |m: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % m
    }
}

/// With many periods of one id (past the scan's threshold) refs and logged check-ins find
/// the objectives a look at every period finds: a parent in the same period, `carried_from`
/// a period that has the id, and a check-in the one objective whose period holds its date
/// (or a diagnostic when none or several do), whatever the periods' overlaps.
#[test]
fn an_id_in_many_periods_is_found_as_in_few() {
    for (seed, custom) in [(1, 3), (2, 30), (3, 60), (4, 10)] {
        let mut rnd = numbers(seed);
        let mut config = Config::default();
        let day = |n: u64| {
            crate::date::Date::parse("2026-01-01")
                .expect("a date")
                .add_days(n as i64)
        };
        let mut names: Vec<String> = (0..8)
            .map(|q| format!("{}-Q{}", 2026 + q / 4, q % 4 + 1))
            .collect();
        for c in 0..custom {
            let start = rnd(700);
            let length = rnd(120);
            let name = format!("c{c:02}");
            config
                .periods
                .insert(name.clone(), (day(start), day(start + length)));
            names.push(name);
        }
        let mut files: Vec<String> = Vec::new();
        for p in &names {
            files.push(format!("team: t\nperiod: {p}\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - {{ id: k, title: K, start: 0, target: 10 }}\n"));
            let pick = rnd(names.len() as u64) as usize;
            let carried = if rnd(4) == 0 {
                "1999-Q1".to_owned()
            } else {
                names[pick].clone()
            };
            files.push(format!("team: u\nperiod: {p}\nobjectives:\n  - id: p\n    title: P\n    parent: t/o\n    carried_from: {carried}\n    key_results:\n      - {{ id: k, title: K, start: 0, target: 10 }}\n"));
        }
        let mut log = String::from("checkins:\n");
        let mut dates = Vec::new();
        for _ in 0..300 {
            let date = day(rnd(760));
            dates.push(date);
            log.push_str(&format!("  - {{ ref: t/o/k, date: {date}, value: 1 }}\n"));
        }
        files.push(log);
        let (goals, diags) = validate(&parsed(&files), &config);
        let t: Vec<&crate::model::Objective> =
            goals.objectives.iter().filter(|o| o.team == "t").collect();
        assert_eq!(t.len(), names.len());
        // Parents: the objective of `t` in the same period.
        for o in goals.objectives.iter().filter(|o| o.team == "u") {
            let parent = goals.objective(o.parent.expect("a parent"));
            assert_eq!(
                (parent.team.as_str(), &parent.period.name),
                ("t", &o.period.name)
            );
        }
        // `carried_from`: reported only when it names a period without `u/p`, or its own.
        let carried_errors = diags
            .iter()
            .filter(|d| d.message.starts_with("`carried_from` names period"))
            .count();
        let wrong = goals
            .objectives
            .iter()
            .filter(|o| o.team == "u")
            .filter(|o| o.carried_from.is_none())
            .count();
        assert_eq!(carried_errors, wrong, "seed {seed}");
        // Check-ins: each goes to the one objective whose period holds it, else a diagnostic.
        let mut expected = std::collections::BTreeMap::<String, usize>::new();
        let (mut outside, mut several) = (0, 0);
        for date in &dates {
            let holding: Vec<&&crate::model::Objective> =
                t.iter().filter(|o| o.period.contains(*date)).collect();
            match holding[..] {
                [o] => *expected.entry(o.period.name.clone()).or_default() += 1,
                [] => outside += 1,
                _ => several += 1,
            }
        }
        let count = |code: &str| diags.iter().filter(|d| d.code.name() == code).count();
        assert_eq!(count("checkin-outside-period"), outside, "seed {seed}");
        let several_found = diags
            .iter()
            .filter(|d| d.message.contains("matches objectives in several periods"))
            .count();
        assert_eq!(several_found, several, "seed {seed}");
        for o in &t {
            let raw = expected.get(&o.period.name).copied().unwrap_or(0);
            // Same-date repeats count once (a warning): compare the distinct dates.
            let mut want: Vec<crate::date::Date> = dates
                .iter()
                .copied()
                .filter(|d| {
                    let holding = t.iter().filter(|x| x.period.contains(*d)).count();
                    holding == 1 && o.period.contains(*d)
                })
                .collect();
            want.sort();
            want.dedup();
            let got: Vec<crate::date::Date> =
                o.key_results[0].checkins.iter().map(|c| c.date).collect();
            assert_eq!(
                got, want,
                "seed {seed}, period {} ({raw} rows)",
                o.period.name
            );
        }
    }
}
