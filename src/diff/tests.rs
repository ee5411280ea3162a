use super::change::CheckinPart;
use super::rules::{Tree, history};
use super::*;
use crate::config::Config;
use crate::diag::Code;
use crate::load::{SourceFile, Sources, parse_file};
use crate::score::{Thresholds, score};

/// Valid goals and their sources from one goal file's text.
fn goals(text: &str) -> (Goals, Sources) {
    let (raw, diags) = parse_file(0, text);
    assert!(diags.is_empty(), "parse: {diags:?}");
    let raw = raw.expect("a parsed file");
    let (g, diags) = crate::validate::validate(&[(0, raw)], &Config::default());
    assert!(diags.is_empty(), "validate: {diags:?}");
    let sources = Sources {
        files: vec![SourceFile {
            path: "goals/growth.yaml".into(),
            text: text.into(),
        }],
    };
    (g, sources)
}

const BASE: &str = "\
team: growth
period: 2026-Q4
objectives:
  - id: onboarding
    title: Onboarding needs no support
    key_results:
      - id: tickets
        title: Fewer tickets
        start: 250
        target: 150
        checkins:
          - { date: 2026-10-05, value: 240 }
      - id: completion
        title: Completion 60 to 80
        start: 60
        target: 80
kpis:
  - id: churn
    title: Churn
    better: lower
    target: 5
    critical: 7
    checkins:
      - { date: 2026-10-31, value: 6.1 }
";

fn diff_at(base: &str, head: &str, as_of: &str) -> Vec<ItemChange> {
    let t = Date::parse(as_of).expect("a date");
    let (b, _) = goals(base);
    let (h, _) = goals(head);
    let (bc, hc) = (
        score(crate::model::Valid::assume(&b), t, Thresholds::default()),
        score(crate::model::Valid::assume(&h), t, Thresholds::default()),
    );
    compare(Side::scored(&b, &bc), Side::scored(&h, &hc), t)
}

fn refs(changes: &[ItemChange]) -> Vec<(String, ChangeKind)> {
    changes
        .iter()
        .map(|c| (c.reference.to_string(), c.change))
        .collect()
}

fn find<'c>(changes: &'c [ItemChange], r: &str) -> &'c ItemChange {
    changes
        .iter()
        .find(|c| c.reference.to_string() == r)
        .unwrap_or_else(|| panic!("{r} is not listed: {changes:#?}"))
}

fn owned(v: Vec<(&str, ChangeKind)>) -> Vec<(String, ChangeKind)> {
    v.into_iter().map(|(r, k)| (r.to_owned(), k)).collect()
}

#[test]
fn identical_sides_have_no_changes() {
    assert!(diff_at(BASE, BASE, "2026-11-15").is_empty());
}

#[test]
fn a_moved_target_in_an_open_period_is_flagged() {
    let head = BASE.replace("target: 80", "target: 70");
    let c = diff_at(BASE, &head, "2026-11-15");
    let kr = find(&c, "growth/onboarding/completion");
    assert_eq!(kr.fields, vec![Field::Target(FromTo::new(80.0, 70.0))]);
    assert!(kr.goalpost_moved);
    // The same move before the period starts is fine.
    let c = diff_at(BASE, &head, "2026-09-15");
    let kr = find(&c, "growth/onboarding/completion");
    assert!(!kr.goalpost_moved && kr.fields.len() == 1);
}

#[test]
fn added_removed_and_titles() {
    let head = BASE
        .replace("title: Fewer tickets", "title: Far fewer tickets")
        .replace(
            "      - id: completion\n        title: Completion 60 to 80\n        start: 60\n        target: 80\n",
            "      - id: nps\n        title: NPS 20 to 40\n        start: 20\n        target: 40\n",
        );
    let c = diff_at(BASE, &head, "2026-11-15");
    assert_eq!(
        refs(&c),
        owned(vec![
            ("growth/onboarding/tickets", ChangeKind::Modified),
            ("growth/onboarding/nps", ChangeKind::Added),
            ("growth/onboarding/completion", ChangeKind::Removed),
        ])
    );
    assert_eq!(
        c[0].title_changed(),
        Some(&FromTo::new(
            "Fewer tickets".to_owned(),
            "Far fewer tickets".to_owned()
        ))
    );
    let status = &c[1].figures.as_ref().expect("scored").status;
    assert_eq!(status.from, None);
    assert_eq!(status.to.map(ItemStatus::as_str), Some("no_data"));
    assert_eq!(c[2].title, "Completion 60 to 80");
    assert_eq!(c[2].base_span.map(|s| s.line), Some(13));
    assert_eq!(c[2].head_span, None);
}

#[test]
fn checkins_and_scores_before_and_after() {
    let head = BASE.replace(
        "          - { date: 2026-10-05, value: 240 }\n",
        "          - { date: 2026-10-05, value: 240 }\n          - { date: 2026-11-10, value: 160, note: faq }\n",
    );
    let c = diff_at(BASE, &head, "2026-11-15");
    assert_eq!(
        refs(&c),
        owned(vec![
            ("growth/onboarding", ChangeKind::Modified),
            ("growth/onboarding/tickets", ChangeKind::Modified),
        ])
    );
    let kr = &c[1];
    assert_eq!(kr.checkins.added.len(), 1);
    assert_eq!(kr.checkins.added[0].date.to_string(), "2026-11-10");
    assert_eq!(kr.checkins.added[0].note(), Some("faq"));
    let figures = kr.figures.as_ref().expect("scored");
    let score = figures.score.as_ref().expect("a KR has a score");
    assert!((score.from.unwrap_or(0.0) - 0.1).abs() < 1e-9);
    assert!((score.to.unwrap_or(0.0) - 0.9).abs() < 1e-9);
    assert!(figures.status.changed());
}

#[test]
fn weight_commitment_parent_and_kpi_thresholds() {
    let head = BASE
        .replace(
            "    title: Onboarding needs no support\n",
            "    title: Onboarding needs no support\n    commitment: committed\n",
        )
        .replace(
            "        start: 250\n",
            "        start: 250\n        weight: 2\n",
        )
        .replace("critical: 7", "critical: 8");
    let c = diff_at(BASE, &head, "2026-11-15");
    let o = find(&c, "growth/onboarding");
    assert_eq!(
        o.fields,
        vec![Field::Commitment(FromTo::new(
            Commitment::Aspirational,
            Commitment::Committed
        ))]
    );
    let kr = find(&c, "growth/onboarding/tickets");
    assert_eq!(kr.fields, vec![Field::Weight(FromTo::new(1.0, 2.0))]);
    let kpi = find(&c, "growth/churn");
    assert_eq!(
        kpi.fields,
        vec![Field::Critical(FromTo::new(Some(7.0), Some(8.0)))]
    );
    assert_eq!(kpi.fields[0].moved(), Some(FromTo::new(7.0, 8.0)));
    assert!(!kpi.goalpost_moved, "KPIs have no period");
}

#[test]
fn checkin_comparison_names_the_fields() {
    let (g, _) = goals(BASE);
    let a = &g.kpis[0].checkins[0];
    let mut b = a.clone();
    assert!(same_checkin(a, &b));
    b.obs = Observation::Value(5.1);
    b.text = crate::model::CheckinText::boxed(Some("fixed".into()), None);
    assert!(!same_checkin(a, &b));
    assert_eq!(
        checkin_differences(a, &b),
        vec![CheckinPart::Value, CheckinPart::Note]
    );
    assert_eq!(super::rules::describe_checkin(a), "value 6.1");
}

/// The history rules' findings against a valid base named `main`, without figures.
fn judged(
    (b, bs): (&Goals, &Sources),
    (h, hs): (&Goals, &mut Sources),
    as_of: Date,
    config: &Config,
) -> Vec<crate::diag::Diagnostic> {
    let tree = Tree {
        goals: b,
        sources: bs,
        flawed: &Default::default(),
        card: None,
        valid: true,
    };
    history(tree, h, None, hs, "main", as_of, config).diags
}

fn rules(base: &str, head: &str, as_of: &str) -> Vec<(Code, u32, String)> {
    let (b, bs) = goals(base);
    let (h, mut hs) = goals(head);
    let as_of = Date::parse(as_of).expect("a date");
    judged((&b, &bs), (&h, &mut hs), as_of, &Config::default())
        .into_iter()
        .map(|d| (d.code, d.span.line, d.message))
        .collect()
}

#[test]
fn a_changed_checkin_is_located_where_it_is_now() {
    let head = BASE.replace("value: 6.1 }", "value: 5.1 }");
    let d = rules(BASE, &head, "2026-11-15");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].0, d[0].1), (Code::HistoryRewritten, 24));
    assert!(
        d[0].2.contains("`growth/churn` on 2026-10-31"),
        "{}",
        d[0].2
    );
    assert!(d[0].2.contains("it was: value 6.1"), "{}", d[0].2);
}

#[test]
fn a_deleted_checkin_is_located_at_its_item() {
    let head = BASE.replace(
        "        checkins:\n          - { date: 2026-10-05, value: 240 }\n",
        "",
    );
    let d = rules(BASE, &head, "2026-11-15");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].0, d[0].1), (Code::HistoryRewritten, 7));
    assert!(d[0].2.contains("was deleted since main"), "{}", d[0].2);
}

#[test]
fn a_moved_target_is_located_at_the_target() {
    let head = BASE.replace("target: 80", "target: 70");
    let d = rules(BASE, &head, "2026-11-15");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].0, d[0].1), (Code::GoalpostMoved, 16));
    assert!(d[0].2.contains("from 80 to 70"), "{}", d[0].2);
    assert!(rules(BASE, &head, "2027-01-15").is_empty(), "closed period");
    assert!(rules(BASE, BASE, "2026-11-15").is_empty());
}

#[test]
fn a_new_id_with_the_same_title_in_the_same_place_is_a_rename() {
    let head = BASE
        .replace("id: completion", "id: completion-rate")
        .replace("id: onboarding", "id: self-serve-onboarding")
        .replace("id: churn", "id: monthly-churn");
    let c = diff_at(BASE, &head, "2026-11-15");
    let got: Vec<_> = c
        .iter()
        .map(|c| {
            (
                c.reference.to_string(),
                c.change,
                c.renamed_from.as_ref().map(Ref::to_string),
            )
        })
        .collect();
    let want = |r: &str, k, from: &str| (r.to_owned(), k, Some(from.to_owned()));
    assert_eq!(
        got,
        vec![
            want(
                "growth/self-serve-onboarding",
                ChangeKind::Renamed,
                "growth/onboarding"
            ),
            want(
                "growth/self-serve-onboarding/completion-rate",
                ChangeKind::Renamed,
                "growth/self-serve-onboarding/completion"
            ),
            want("growth/monthly-churn", ChangeKind::Renamed, "growth/churn"),
        ]
    );
    // A key result that kept its id under a renamed objective is not listed: it did not
    // change, and its check-ins were compared across the rename.
    assert!(
        !c.iter()
            .any(|c| c.reference.to_string().ends_with("/tickets"))
    );
    // Without rename matching (the history rules), the objective's key results are new.
    let (b, _) = goals(BASE);
    let (h, _) = goals(&head);
    let t = Date::parse("2026-11-15").expect("a date");
    let strict = compare_with(
        Side::unscored(&b),
        Side::unscored(&h),
        Options {
            renames: false,
            as_of: t,
            flawed: None,
        },
    );
    assert!(strict.iter().all(|c| c.change != ChangeKind::Renamed));
    assert!(strict.iter().all(|c| c.figures.is_none()), "unscored");
    let gone = find(&strict, "growth/onboarding/tickets");
    assert_eq!(gone.change, ChangeKind::Removed);
    assert_eq!(gone.checkins.removed.len(), 1, "its check-in went with it");
}

#[test]
fn a_rename_needs_an_unambiguous_title() {
    // Two removed key results with one title: no way to tell which was renamed.
    let base = BASE.replace("title: Completion 60 to 80", "title: Fewer tickets");
    let head = base
        .replace("id: completion", "id: completion-rate")
        .replace("id: tickets", "id: tickets-2");
    let c = diff_at(&base, &head, "2026-11-15");
    assert!(c.iter().all(|c| c.change != ChangeKind::Renamed), "{c:#?}");
    // A different title is a removal and an addition.
    let head = BASE.replace(
        "id: completion\n        title: Completion 60 to 80",
        "id: completion-rate\n        title: Completion rate",
    );
    let c = diff_at(BASE, &head, "2026-11-15");
    assert_eq!(
        refs(&c),
        owned(vec![
            ("growth/onboarding/completion-rate", ChangeKind::Added),
            ("growth/onboarding/completion", ChangeKind::Removed),
        ])
    );
}

/// The history rules against a base that does not validate (its flawed items `flawed`).
fn against_invalid(
    (b, bs, flawed): (&Goals, &Sources, &HashSet<Span>),
    (h, hs): (&Goals, &mut Sources),
    as_of: &str,
) -> super::rules::History {
    let tree = Tree {
        goals: b,
        sources: bs,
        flawed,
        card: None,
        valid: false,
    };
    let as_of = Date::parse(as_of).expect("a date");
    history(tree, h, None, hs, "main", as_of, &Config::default())
}

#[test]
fn a_key_result_invalid_at_the_base_is_not_compared() {
    // At the base, `start` equals `target`: the model holds placeholders (0 → 1) for it.
    let broken = BASE.replace("start: 60", "start: 80");
    let raw = parse_file(0, &broken).0.expect("a parsed file");
    let v = crate::validate::validate_with(
        vec![(0, raw)],
        &Config::default(),
        crate::validate::Unread::default(),
    );
    assert_eq!(v.diags.len(), 1, "{:?}", v.diags);
    let b = v.goals;
    let bs = Sources {
        files: vec![SourceFile {
            path: "goals/growth.yaml".into(),
            text: broken.clone(),
        }],
    };
    let head = BASE.replace("target: 150", "target: 140");
    let (h, mut hs) = goals(&head);
    let found = against_invalid((&b, &bs, &v.flawed), (&h, &mut hs), "2026-11-15");
    let messages: Vec<&str> = found.diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("`growth/onboarding/tickets` moved from 150 to 140"));
    assert_eq!(
        found.skipped,
        ["growth/onboarding/completion".parse::<Ref>().unwrap()]
    );
}

/// Files of team `t{i}`, one per quarter from 2025-Q1 (two teams a quarter), each with one
/// key result whose target is `target`.
fn quarters(n: usize, target: &str) -> (Goals, Sources, HashSet<Span>) {
    let mut files = Vec::new();
    let mut sources = Sources::default();
    for i in 0..n {
        let text = format!(
            "team: t{i}\nperiod: {}-Q{}\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - {{ id: k, title: K, start: 0, target: {target} }}\n",
            2025 + i / 8,
            i / 2 % 4 + 1
        );
        files.push((
            i as u32,
            parse_file(i as u32, &text).0.expect("a parsed file"),
        ));
        sources.files.push(SourceFile {
            path: format!("goals/t{i}.yaml"),
            text,
        });
    }
    let v = crate::validate::validate_with(
        files,
        &Config::default(),
        crate::validate::Unread::default(),
    );
    (v.goals, sources, v.flawed)
}

#[test]
fn key_results_invalid_at_the_base_are_skipped_only_in_periods_open_on_the_newer_side() {
    let (b, bs, flawed) = quarters(40, "ten");
    assert_eq!(flawed.len(), 40);
    let (h, mut hs, _) = quarters(40, "10");
    for as_of in ["2026-11-15", "2025-02-01", "2031-01-01"] {
        let found = against_invalid((&b, &bs, &flawed), (&h, &mut hs), as_of);
        let mut skipped: Vec<String> = found.skipped.iter().map(|r| r.to_string()).collect();
        skipped.sort();
        // The open quarter's two teams, by scanning the newer side's objectives.
        let mut open: Vec<String> = h
            .objectives
            .iter()
            .filter(|o| o.period.contains(Date::parse(as_of).expect("a date")))
            .map(|o| format!("{}/o/k", o.team))
            .collect();
        open.sort();
        assert_eq!(skipped, open, "as of {as_of}");
        assert_eq!(skipped.len(), if as_of == "2031-01-01" { 0 } else { 2 });
    }
}

#[test]
fn every_field_is_typed() {
    let base = format!(
        "{BASE}  - id: nps\n    title: NPS\n    better: higher\n    target: 30\n    checkins:\n      - {{ date: 2026-10-31, value: 31 }}\n"
    );
    let head = base
        .replace(
            "    title: Onboarding needs no support\n",
            "    title: Onboarding needs no help\n    owner: dana\n    guardrails: [growth/churn]\n",
        )
        .replace(
            "        target: 80\n",
            "        target: 80\n        unit: \"%\"\n        kpi: growth/nps\n",
        )
        .replace(
            "    better: lower\n    target: 5\n    critical: 7\n",
            "    better: higher\n    target: 5\n    cadence: monthly\n",
        );
    let c = diff_at(&base, &head, "2026-11-15");
    let o = find(&c, "growth/onboarding");
    assert_eq!(
        o.fields,
        vec![
            Field::Title(FromTo::new(
                "Onboarding needs no support".to_owned(),
                "Onboarding needs no help".to_owned()
            )),
            Field::Owner(FromTo::new(None, Some("dana".to_owned()))),
            Field::Guardrails(FromTo::new(vec![], vec![Ref::item("growth", "churn")])),
        ]
    );
    let kr = find(&c, "growth/onboarding/completion");
    assert_eq!(
        kr.fields,
        vec![
            Field::Unit(FromTo::new(None, Some("%".to_owned()))),
            Field::Kpi(FromTo::new(None, Some(Ref::item("growth", "nps")))),
        ]
    );
    let kpi = find(&c, "growth/churn");
    assert_eq!(
        kpi.fields,
        vec![
            Field::Critical(FromTo::new(Some(7.0), None)),
            Field::Better(FromTo::new(Better::Lower, Better::Higher)),
            Field::Cadence(FromTo::new(Cadence::Weekly, Cadence::Monthly)),
        ]
    );
    assert_eq!(kpi.fields[0].moved(), None, "unset, not moved");
    assert_eq!(kpi.kind, ItemKind::Kpi);
    // A key result that became a milestone changes kind; its start and target are not
    // compared with nothing.
    let head = BASE.replace(
        "        start: 60\n        target: 80\n",
        "        kind: milestone\n",
    );
    let c = diff_at(BASE, &head, "2026-11-15");
    assert_eq!(
        find(&c, "growth/onboarding/completion").fields,
        vec![Field::Kind(FromTo::new(KrKind::Metric, KrKind::Milestone))]
    );
}

#[test]
fn checkins_changed_and_removed_are_typed() {
    let head = BASE
        .replace("value: 6.1 }", "value: 5.9, note: recount }")
        .replace(
            "        checkins:\n          - { date: 2026-10-05, value: 240 }\n",
            "",
        );
    let c = diff_at(BASE, &head, "2026-11-15");
    let kpi = find(&c, "growth/churn");
    assert_eq!(kpi.checkins.changed.len(), 1);
    let ch = &kpi.checkins.changed[0];
    assert_eq!(ch.from.obs, Observation::Value(6.1));
    assert_eq!(
        (ch.to.obs, ch.to.note()),
        (Observation::Value(5.9), Some("recount"))
    );
    assert_eq!(
        checkin_differences(&ch.from, &ch.to),
        vec![CheckinPart::Value, CheckinPart::Note]
    );
    let kr = find(&c, "growth/onboarding/tickets");
    assert_eq!(kr.checkins.removed.len(), 1);
    assert_eq!(kr.checkins.removed[0].date.to_string(), "2026-10-05");
}

#[test]
fn checkin_lists_pair_by_date() {
    let (g, _) = goals(BASE);
    let c = g.kpis[0].checkins[0].clone();
    let at = |date: &str, v: f64| Checkin {
        date: Date::parse(date).expect("a date"),
        obs: Observation::Value(v),
        ..c.clone()
    };
    let base = [
        at("2026-10-01", 1.0),
        at("2026-10-08", 2.0),
        at("2026-10-15", 3.0),
    ];
    let head = [
        at("2026-10-08", 2.0),
        at("2026-10-15", 4.0),
        at("2026-10-22", 5.0),
    ];
    let ch = compare_checkins(&base, &head);
    assert_eq!(ch.removed, vec![base[0].clone()]);
    assert_eq!(
        ch.changed,
        vec![FromTo::new(base[2].clone(), head[1].clone())]
    );
    assert_eq!(ch.added, vec![head[2].clone()]);
    // Lines that left and came in any order, the first of a date counting: a check-in that
    // moved between files is no change.
    let ch = pair_checkins(
        vec![at("2026-10-15", 3.0), at("2026-10-01", 1.0)],
        vec![
            at("2026-10-01", 1.0),
            at("2026-10-15", 9.0),
            at("2026-10-15", 3.0),
        ],
    );
    assert!(ch.added.is_empty() && ch.removed.is_empty());
    assert_eq!(ch.changed.len(), 1);
    assert_eq!(ch.changed[0].to.obs, Observation::Value(9.0));
}

#[test]
fn a_flawed_base_item_is_marked_and_its_fields_not_compared() {
    let broken = BASE.replace("start: 60", "start: 80");
    let raw = parse_file(0, &broken).0.expect("a parsed file");
    let v = crate::validate::validate_with(
        vec![(0, raw)],
        &Config::default(),
        crate::validate::Unread::default(),
    );
    let (h, _) = goals(BASE);
    let c = compare_with(
        Side::unscored(&v.goals),
        Side::unscored(&h),
        Options {
            renames: false,
            as_of: Date::parse("2026-11-15").expect("a date"),
            flawed: Some(&v.flawed),
        },
    );
    let kr = find(&c, "growth/onboarding/completion");
    assert!(kr.base_flawed && kr.fields.is_empty() && !kr.goalpost_moved);
}

#[test]
fn a_correction_that_keeps_the_history_is_a_correction_and_anything_else_a_change() {
    let original = Checkin {
        date: Date::parse("2026-10-26").expect("a date"),
        obs: Observation::Value(76.0),
        confidence: None,
        text: None,
        span: Span::default(),
    };
    let correction = |of: &Checkin, v: f64, reason: &str| {
        let mut c = Checkin {
            obs: Observation::Value(v),
            text: CheckinText::boxed_with(None, None, Some(reason.to_owned())),
            ..original.clone()
        };
        if let Some(t) = &mut c.text
            && let Some(k) = &mut t.correction
        {
            k.replaced = of.as_written().cloned().collect();
        }
        c
    };
    let first = correction(&original, 67.0, "typo");
    let ch = compare_checkins(
        std::slice::from_ref(&original),
        std::slice::from_ref(&first),
    );
    assert!(ch.changed.is_empty() && ch.added.is_empty());
    assert_eq!(
        ch.corrected,
        vec![FromTo::new(original.clone(), first.clone())]
    );
    // A second correction keeps the first in the history: a correction again.
    let second = correction(&first, 68.0, "the export was late");
    let ch = compare_checkins(std::slice::from_ref(&first), std::slice::from_ref(&second));
    assert_eq!(ch.corrected.len(), 1);
    // The original edited under the correction is a rewrite.
    let edited = Checkin {
        obs: Observation::Value(75.0),
        ..original.clone()
    };
    let hiding = correction(&edited, 67.0, "typo");
    let ch = compare_checkins(
        std::slice::from_ref(&original),
        std::slice::from_ref(&hiding),
    );
    assert!(ch.corrected.is_empty());
    assert_eq!(ch.changed.len(), 1);
    // A correction that is gone again, or replaced by a plain check-in, is a change too.
    let ch = compare_checkins(
        std::slice::from_ref(&first),
        std::slice::from_ref(&original),
    );
    assert_eq!((ch.corrected.len(), ch.changed.len()), (0, 1));
}

/// Issue 24, item 1: a corrected check-in is compared by content (SPEC 9). Where it and the
/// originals it replaced are written (their spans) takes no part; what they say does.
#[test]
fn a_corrected_checkin_is_compared_by_content_not_position() {
    let at = |line: u32| Span {
        line,
        start: line * 40,
        ..Span::default()
    };
    let original = Checkin {
        date: Date::parse("2026-10-20").expect("a date"),
        obs: Observation::Value(9.0),
        confidence: Some(0.6),
        text: CheckinText::boxed(Some("from the dashboard".into()), None),
        span: at(12),
    };
    let corrected = |of: &Checkin, line: u32| {
        let mut c = Checkin {
            obs: Observation::Value(8.0),
            text: CheckinText::boxed_with(None, None, Some("typo".to_owned())),
            span: at(line),
            ..of.clone()
        };
        if let Some(k) = c.text.as_mut().and_then(|t| t.correction.as_mut()) {
            k.replaced = vec![of.clone()];
        }
        c
    };
    let base = corrected(&original, 3);
    // Both moved down by four lines.
    let moved = corrected(
        &Checkin {
            span: at(16),
            ..original.clone()
        },
        7,
    );
    assert!(same_checkin(&base, &moved));
    let ch = compare_checkins(std::slice::from_ref(&base), std::slice::from_ref(&moved));
    assert!(ch.is_empty(), "{ch:?}");
    // The original's value edited under the correction is still a change, and the pair
    // that differs is the original.
    let edited = corrected(
        &Checkin {
            obs: Observation::Value(10.0),
            ..original.clone()
        },
        3,
    );
    assert!(!same_checkin(&base, &edited));
    let (was, is) = first_difference(&base, &edited);
    assert_eq!(
        (was.obs, is.obs),
        (Observation::Value(9.0), Observation::Value(10.0))
    );
}

#[test]
fn touched_items_changed_themselves_not_only_their_figures() {
    let head = BASE.replace(
        "          - { date: 2026-10-05, value: 240 }\n",
        "          - { date: 2026-10-05, value: 240 }\n          - { date: 2026-11-10, value: 200 }\n",
    );
    let changes = diff_at(BASE, &head, "2026-11-15");
    // The objective is listed (its score moved), but only its key result changed.
    assert!(find(&changes, "growth/onboarding").figures.is_some());
    let t = Touched::from_changes(&changes);
    let q4 = Some("2026-Q4");
    let onboarding = Ref::item("growth", "onboarding");
    let kr = |id| Ref::key_result("growth", "onboarding", id);
    assert!(t.item(ItemKind::KeyResult, q4, &kr("tickets")));
    assert!(!t.item(ItemKind::KeyResult, q4, &kr("completion")));
    assert!(!t.item(ItemKind::Objective, q4, &onboarding));
    assert!(t.objective("2026-Q4", &onboarding));
    assert!(!t.objective("2026-Q3", &onboarding));
    assert!(t.team_period("growth", "2026-Q4"));
    assert!(!t.team_period("sales", "2026-Q4"));
    assert!(!t.kpi_of("growth"));
    // A KPI's check-in touches the KPI, and no objective.
    let head = BASE.replace(
        "value: 6.1 }\n",
        "value: 6.1 }\n      - { date: 2026-11-10, value: 5 }\n",
    );
    let t = Touched::from_changes(&diff_at(BASE, &head, "2026-11-15"));
    assert!(t.kpi_of("growth"));
    assert!(t.item(ItemKind::Kpi, None, &Ref::item("growth", "churn")));
    assert!(!t.team_period("growth", "2026-Q4"));
}

#[test]
fn a_field_change_has_one_wording_exact_or_brief() {
    use crate::diff::Wording::{Brief, Exact};
    let unit = Field::Unit(FromTo::new(None, Some("%".to_owned())));
    assert_eq!(unit.words(Exact), "unit none → \"%\"");
    assert_eq!(unit.words(Brief), "unit none → %");
    let target = Field::Target(FromTo::new(150.0, 1150.1255));
    assert_eq!(target.words(Exact), "target 150 → 1150.1255");
    assert_eq!(target.words(Brief), "target 150 → 1150.126");
    let guardrails = Field::Guardrails(FromTo::new(
        vec![],
        vec![Ref::item("g", "churn"), Ref::item("g", "nps")],
    ));
    assert_eq!(
        guardrails.words(Exact),
        "guardrails none → [g/churn, g/nps]"
    );
    assert_eq!(guardrails.words(Brief), "guardrails none → g/churn, g/nps");
    let title = Field::Title(FromTo::new("A".to_owned(), "B \"b\"".to_owned()));
    assert_eq!(title.words(Brief), "title \"A\" → \"B \\\"b\\\"\"");
    let critical = Field::Critical(FromTo::new(Some(7.0), None));
    assert_eq!(critical.words(Exact), "critical 7 → none");
}

/// [`BASE`] with a revision of `tickets` and a drop of `completion` (SPEC 3.4).
const PLANNED: &str = "\
team: growth
period: 2026-Q4
objectives:
  - id: onboarding
    title: Onboarding needs no support
    key_results:
      - id: tickets
        title: Fewer tickets
        start: 250
        target: 150
        revisions:
          - { date: 2026-10-20, target: 180, reason: the team halved }
        checkins:
          - { date: 2026-10-05, value: 240 }
      - id: completion
        title: Completion 60 to 80
        start: 60
        target: 80
        dropped: { date: 2026-10-25, reason: the vendor left }
";

#[test]
fn an_appended_revision_and_drop_are_history_not_a_moved_target() {
    let base = PLANNED.replace(
        "        dropped: { date: 2026-10-25, reason: the vendor left }\n",
        "",
    );
    let head = PLANNED.replace(
        "reason: the team halved }\n",
        "reason: the team halved }\n          - { date: 2026-11-02, target: 170, start: 245, reason: more help }\n",
    );
    let changes = diff_at(&base, &head, "2026-11-15");
    let tickets = find(&changes, "growth/onboarding/tickets");
    assert!(!tickets.goalpost_moved, "{tickets:#?}");
    assert!(tickets.fields.is_empty(), "{tickets:#?}");
    let [added] = tickets.revisions.added.as_slice() else {
        panic!("{tickets:#?}")
    };
    // The figures before are those in force the day before: the first revision's target.
    assert_eq!(added.before, Some((250.0, 180.0)));
    assert_eq!(
        added.words(Wording::Brief),
        "target 180 → 170, start 250 → 245 on 2026-11-02: more help"
    );
    let completion = find(&changes, "growth/onboarding/completion");
    let dropped = completion.dropped.as_ref().expect("a drop added");
    assert!(dropped.from.is_none());
    assert_eq!(
        dropped.to.as_ref().map(drop_words).as_deref(),
        Some("dropped on 2026-10-25: the vendor left")
    );
    // Appending is allowed; both items are touched.
    assert!(rules(&base, &head, "2026-11-15").is_empty());
    let t = Touched::from_changes(&changes);
    let kr = |id| Ref::key_result("growth", "onboarding", id);
    assert!(t.item(ItemKind::KeyResult, Some("2026-Q4"), &kr("tickets")));
    assert!(t.item(ItemKind::KeyResult, Some("2026-Q4"), &kr("completion")));
}

#[test]
fn a_revision_or_drop_changed_or_removed_rewrites_history() {
    let codes = |head: &str| -> Vec<(Code, String)> {
        rules(PLANNED, head, "2026-11-15")
            .into_iter()
            .map(|(c, _, m)| (c, m))
            .collect()
    };
    // Compared by content: the same revision written elsewhere (another form) is unchanged.
    let moved = PLANNED.replace(
        "          - { date: 2026-10-20, target: 180, reason: the team halved }\n",
        "          - date: 2026-10-20\n            reason: the team halved\n            target: 180\n",
    );
    assert!(codes(&moved).is_empty(), "{:?}", codes(&moved));
    let edited = PLANNED.replace("target: 180", "target: 175");
    let found = codes(&edited);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, Code::HistoryRewritten);
    assert!(
        found[0]
            .1
            .contains("revision of `growth/onboarding/tickets` on 2026-10-20 was changed"),
        "{found:?}"
    );
    let removed = PLANNED.replace(
        "          - { date: 2026-10-20, target: 180, reason: the team halved }\n",
        "",
    );
    let found = codes(&removed.replace("        revisions:\n", ""));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("was deleted"), "{found:?}");
    let redated = PLANNED.replace("2026-10-25, reason", "2026-10-26, reason");
    let found = codes(&redated);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .1
            .contains("drop of `growth/onboarding/completion` on 2026-10-25 was changed"),
        "{found:?}"
    );
    let undropped = PLANNED.replace(
        "        dropped: { date: 2026-10-25, reason: the vendor left }\n",
        "",
    );
    let found = codes(&undropped);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("was deleted"), "{found:?}");
    // A start or target edited in place is still a moved target.
    let found = codes(&PLANNED.replace("target: 150", "target: 160"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, Code::GoalpostMoved);
}

#[test]
fn kr_owner_cadence_and_descriptions_are_plain_fields() {
    let head = PLANNED
        .replace(
            "        start: 250\n",
            "        start: 250\n        owner: bob\n        cadence: monthly\n        description: Support load\n",
        )
        .replace(
            "    title: Onboarding needs no support\n",
            "    title: Onboarding needs no support\n    description: Why\n",
        );
    let changes = diff_at(PLANNED, &head, "2026-11-15");
    let words = |r: &str| -> Vec<String> {
        find(&changes, r)
            .fields
            .iter()
            .map(|f| f.words(Wording::Brief))
            .collect()
    };
    assert_eq!(words("growth/onboarding"), ["description none → \"Why\""]);
    assert_eq!(
        words("growth/onboarding/tickets"),
        [
            "owner none → bob",
            "cadence weekly → monthly",
            "description none → \"Support load\""
        ]
    );
    assert!(!find(&changes, "growth/onboarding/tickets").goalpost_moved);
}

/// Histories the same on both sides are no change, however they are written; one field of
/// one plain check-in that differs (or a note on one side) is found.
#[test]
fn the_same_plain_history_is_no_change_and_one_difference_is_found() {
    let (g, _) = goals(BASE);
    let c = g.kpis[0].checkins[0].clone();
    let at = |date: &str, v: f64, confidence: Option<f64>| Checkin {
        date: Date::parse(date).expect("a date"),
        obs: Observation::Value(v),
        confidence,
        text: None,
        ..c.clone()
    };
    let base: Vec<Checkin> = (1..=9)
        .map(|d| at(&format!("2026-10-0{d}"), d as f64, Some(0.5)))
        .collect();
    assert!(compare_checkins(&base, &base.clone()).is_empty());
    // Another line (a span) is not another check-in.
    let moved: Vec<Checkin> = base
        .iter()
        .map(|c| Checkin {
            span: Span::default(),
            ..c.clone()
        })
        .collect();
    assert!(compare_checkins(&base, &moved).is_empty());
    let mut head = base.clone();
    head[4].confidence = Some(0.6);
    assert_eq!(
        compare_checkins(&base, &head).changed,
        vec![FromTo::new(base[4].clone(), head[4].clone())]
    );
    let mut noted = base.clone();
    noted[7] = Checkin {
        text: crate::model::CheckinText::boxed(Some("why".to_owned()), None),
        ..noted[7].clone()
    };
    assert_eq!(compare_checkins(&base, &noted).changed.len(), 1);
    assert_eq!(
        compare_checkins(&base, &base[1..]).removed,
        vec![base[0].clone()]
    );
}

/// A KPI's check-ins added since the base name, for each closed period holding their date,
/// the first key result (in objective order) of that period that reads the KPI, as a look at
/// every objective finds it, whatever the periods' overlaps and however many there are.
#[test]
fn kpi_checkins_added_in_closed_periods_name_the_first_reader_of_each_period() {
    let mut x: u64 = 7;
    let mut rnd = move |m: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % m
    };
    let day = |n: u64| {
        Date::parse("2025-01-01")
            .expect("a date")
            .add_days(n as i64)
    };
    for custom in [2, 12, 40] {
        let mut config = Config::default();
        let mut names: Vec<String> = (0..8)
            .map(|q| format!("{}-Q{}", 2025 + q / 4, q % 4 + 1))
            .collect();
        for c in 0..custom {
            let start = rnd(600);
            let length = rnd(150);
            let name = format!("c{c:02}");
            config
                .periods
                .insert(name.clone(), (day(start), day(start + length)));
            names.push(name);
        }
        let kpi = "team: t\nkpis:\n  - id: kp\n    title: KP\n    better: higher\n    target: 5\n    checkins:\n      - { date: 2025-01-01, value: 1 }\n";
        let mut files: Vec<String> = vec![kpi.to_owned()];
        for p in &names {
            for o in 0..2 {
                let mut f = format!(
                    "team: t\nperiod: {p}\nobjectives:\n  - id: o{o}\n    title: O\n    key_results:\n"
                );
                for k in 0..1 + rnd(3) {
                    let link = if rnd(2) == 0 {
                        ", start: 0, target: 10, kpi: t/kp"
                    } else {
                        ", start: 0, target: 10"
                    };
                    f.push_str(&format!("      - {{ id: k{k}, title: K{link} }}\n"));
                }
                files.push(f);
            }
        }
        let mut head_kpi = kpi.to_owned();
        let mut dates = Vec::new();
        for _ in 0..60 {
            let d = day(1 + rnd(700));
            if !dates.contains(&d) {
                dates.push(d);
                head_kpi.push_str(&format!("      - {{ date: {d}, value: 2 }}\n"));
            }
        }
        let load = |files: &[String]| {
            let parsed: Vec<(u32, crate::load::raw::RawFile)> = files
                .iter()
                .enumerate()
                .filter_map(|(i, t)| parse_file(i as u32, t).0.map(|r| (i as u32, r)))
                .collect();
            let (g, diags) = crate::validate::validate(&parsed, &config);
            assert!(
                !diags
                    .iter()
                    .any(|d| d.severity == crate::diag::Severity::Error),
                "{diags:?}"
            );
            let sources = Sources {
                files: files
                    .iter()
                    .enumerate()
                    .map(|(i, t)| SourceFile {
                        path: format!("goals/f{i}.yaml"),
                        text: t.clone(),
                    })
                    .collect(),
            };
            (g, sources)
        };
        let (b, bs) = load(&files);
        files[0] = head_kpi;
        let (h, mut hs) = load(&files);
        let as_of = Date::parse("2026-11-15").expect("a date");
        let found = judged((&b, &bs), (&h, &mut hs), as_of, &config);
        let got: Vec<String> = found
            .iter()
            .filter(|d| d.code == Code::ClosedPeriodChanged)
            .map(|d| d.message.clone())
            .collect();
        // Each added check-in in date order, then objectives in order, a period named once.
        let mut want = Vec::new();
        let mut sorted = dates.clone();
        sorted.sort();
        for d in sorted {
            let mut named = std::collections::HashSet::new();
            for o in &h.objectives {
                if o.period.end < as_of
                    && o.period.contains(d)
                    && !named.contains(&o.period.name)
                    && let Some(kr) = o.key_results.iter().find(|k| k.kpi.is_some())
                {
                    named.insert(o.period.name.clone());
                    want.push(format!(
                        "a check-in of `t/kp` dated {d} was added to {} (closed on {}) since main (where `{}` reads it)",
                        o.period.name,
                        o.period.end,
                        o.kr_ref(kr)
                    ));
                }
            }
        }
        assert!(want.len() > 10, "{custom}: too few findings to compare");
        assert_eq!(got, want, "{custom} custom periods");
    }
}

/// `compare_revisions` as it was written first, scanning the lists: what the maps must give.
fn revisions_by_scan(
    base: &[Revision],
    head: &[Revision],
    written: Option<(f64, f64)>,
) -> super::change::RevisionChanges {
    use super::change::{FromTo, Revised, RevisionChanges, same_revision};
    let mut left: Vec<&Revision> = base.iter().collect();
    let mut came: Vec<&Revision> = Vec::new();
    for h in head {
        match left.iter().position(|b| same_revision(b, h)) {
            Some(i) => {
                left.remove(i);
            }
            None => came.push(h),
        }
    }
    let mut out = RevisionChanges::default();
    for b in left {
        match came.iter().position(|h| h.date == b.date) {
            Some(i) => out
                .changed
                .push(FromTo::new(b.clone(), came.remove(i).clone())),
            None => out.removed.push(b.clone()),
        }
    }
    out.added = came
        .into_iter()
        .map(|r| Revised {
            revision: r.clone(),
            before: written.map(|w| crate::model::in_force(w, head, r.date.add_days(-1))),
        })
        .collect();
    out.added.sort_by_key(|r| r.revision.date);
    out.changed.sort_by_key(|r| r.from.date);
    out.removed.sort_by_key(|r| r.date);
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
    /// Revisions paired through maps pair as the scans did: repeated revisions, several of one
    /// date, -0 against 0, NaN, in any order on either side.
    #[test]
    fn revisions_pair_as_a_scan_pairs_them(
        base in proptest::collection::vec((0u8..4, 0u8..5, 0u8..3, 0u8..2), 0..12),
        head in proptest::collection::vec((0u8..4, 0u8..5, 0u8..3, 0u8..2), 0..12),
        line in 0u32..1000,
    ) {
        let figure = |f: u8| match f {
            0 => None,
            1 => Some(0.0),
            2 => Some(-0.0),
            3 => Some(f64::NAN),
            _ => Some(5.0),
        };
        let list = |l: &[(u8, u8, u8, u8)], line: u32| -> Vec<Revision> {
            l.iter()
                .enumerate()
                .map(|(i, &(d, t, s, r))| Revision {
                    date: Date::parse(&format!("2026-10-0{}", d + 1)).expect("a date"),
                    target: figure(t),
                    start: figure(s.min(2) * 2 % 5),
                    reason: ["scope", "vendor"][r as usize].to_owned(),
                    span: Span { line: line + i as u32, ..Span::default() },
                })
                .collect()
        };
        let (b, h) = (list(&base, 1), list(&head, line));
        for written in [None, Some((0.0, 10.0))] {
            let maps = super::change::compare_revisions(&b, &h, written);
            let scan = revisions_by_scan(&b, &h, written);
            proptest::prop_assert_eq!(format!("{maps:?}"), format!("{scan:?}"));
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
    /// Children paired through maps pair as scans of the other side paired them: repeated
    /// ids, titles shared or not, renames on and off.
    #[test]
    fn children_pair_as_a_scan_pairs_them(
        base in proptest::collection::vec((0u8..6, 0u8..4), 0..10),
        head in proptest::collection::vec((0u8..6, 0u8..4), 0..10),
        renames: bool,
    ) {
        let named = |l: &[(u8, u8)]| -> Vec<(String, String)> {
            l.iter().map(|(i, t)| (format!("k{i}"), format!("T{t}"))).collect()
        };
        let (b, h) = (named(&base), named(&head));
        let maps = pair_children(&b, &h, |c| &c.0, |c| &c.1, renames);
        // The scans.
        let mut scan: Vec<Pair> = Vec::new();
        for (j, x) in h.iter().enumerate() {
            scan.push((b.iter().position(|y| y.0 == x.0), Some(j)));
        }
        for (j, y) in b.iter().enumerate() {
            if !h.iter().any(|x| x.0 == y.0) {
                scan.push((Some(j), None));
            }
        }
        if renames && !b.is_empty() && !h.is_empty() {
            let mut gone: HashMap<&str, Vec<usize>> = HashMap::new();
            let mut new: HashMap<&str, Vec<usize>> = HashMap::new();
            for (n, pair) in scan.iter().enumerate() {
                match *pair {
                    (Some(x), None) => gone.entry(b[x].1.as_str()).or_default().push(n),
                    (None, Some(x)) => new.entry(h[x].1.as_str()).or_default().push(n),
                    _ => {}
                }
            }
            let mut drop = Vec::new();
            for (k, g) in &gone {
                if let ([g], Some([n])) = (g.as_slice(), new.get(k).map(Vec::as_slice)) {
                    scan[*n].0 = scan[*g].0;
                    drop.push(*g);
                }
            }
            drop.sort_unstable();
            for g in drop.into_iter().rev() {
                scan.remove(g);
            }
        }
        proptest::prop_assert_eq!(maps, scan);
    }
}

#[test]
fn many_moved_targets_of_one_file_are_each_located_at_their_value() {
    let file = |target: u32| {
        let mut s = String::from("team: growth\nperiod: 2026-Q4\nobjectives:\n");
        for o in 0..3 {
            s.push_str(&format!(
                "  - id: o{o}\n    title: O{o}\n    key_results:\n"
            ));
            for k in 0..4 {
                s.push_str(&format!(
                    "      - id: k{k}\n        title: K{o}{k}\n        start: 0\n        target: {}\n",
                    target + o * 10 + k
                ));
            }
        }
        s
    };
    let head = file(200);
    let d = rules(&file(100), &head, "2026-11-15");
    assert_eq!(d.len(), 12, "{d:?}");
    for (code, line, message) in &d {
        assert_eq!(*code, Code::GoalpostMoved);
        let text = head.lines().nth(*line as usize - 1).expect("a line");
        // `growth/oO/kK` moved to 200 + 10 O + K, written on the line reported.
        let (o, k) = message
            .split_once("`growth/o")
            .and_then(|(_, r)| r.split_once("/k"))
            .map(|(o, r)| (o.parse::<u32>().unwrap(), r[..1].parse::<u32>().unwrap()))
            .expect("a key result named");
        assert_eq!(
            text.trim(),
            format!("target: {}", 200 + o * 10 + k),
            "{message}"
        );
    }
}

#[test]
fn check_ins_deleted_from_the_log_are_each_reported_at_its_list() {
    let side = |log: &str| {
        let texts = [
            (
                "goals/t.yaml",
                "team: t\nkpis:\n  - { id: kp, title: KP, better: higher, target: 10 }\n"
                    .to_owned(),
            ),
            ("goals/checkins.yaml", log.to_owned()),
        ];
        let mut files = Vec::new();
        let mut sources = Sources::default();
        for (i, (path, text)) in texts.into_iter().enumerate() {
            files.push((
                i as u32,
                parse_file(i as u32, &text).0.expect("a parsed file"),
            ));
            sources.files.push(SourceFile {
                path: path.to_owned(),
                text,
            });
        }
        let v = crate::validate::validate_with(files, &Config::default(), Default::default());
        assert!(v.diags.is_empty(), "{:?}", v.diags);
        (v.goals, sources)
    };
    let rows: String = (1..=5)
        .map(|d| format!("  - {{ ref: t/kp, date: 2026-10-0{d}, value: {d} }}\n"))
        .collect();
    let (b, bs) = side(&format!("# the log\n# of t\ncheckins:\n{rows}"));
    let (h, mut hs) = side("# the log\n# of t, emptied\ncheckins: []\n");
    let d = judged(
        (&b, &bs),
        (&h, &mut hs),
        Date::parse("2026-11-15").unwrap(),
        &Config::default(),
    );
    assert_eq!(d.len(), 5, "{d:?}");
    for (n, d) in d.iter().enumerate() {
        assert_eq!(
            (d.code, d.span.file, d.span.line, d.span.col),
            (Code::HistoryRewritten, 1, 3, 1)
        );
        assert!(
            d.message.contains(&format!("2026-10-0{}", n + 1)),
            "{}",
            d.message
        );
        assert!(
            d.message
                .contains(&format!("goals/checkins.yaml:{}", n + 4)),
            "{}",
            d.message
        );
    }
}
