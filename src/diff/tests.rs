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

fn diff_at(base: &str, head: &str, as_of: &str) -> Vec<Change> {
    let t = Date::parse(as_of).expect("a date");
    let (b, _) = goals(base);
    let (h, _) = goals(head);
    let (bc, hc) = (
        score(&b, t, Thresholds::default()),
        score(&h, t, Thresholds::default()),
    );
    compare(
        Side {
            goals: &b,
            card: &bc,
        },
        Side {
            goals: &h,
            card: &hc,
        },
    )
}

fn refs(changes: &[Change]) -> Vec<(&str, ChangeKind)> {
    changes
        .iter()
        .map(|c| (c.reference.as_str(), c.change))
        .collect()
}

#[test]
fn identical_sides_have_no_changes() {
    assert!(diff_at(BASE, BASE, "2026-11-15").is_empty());
}

#[test]
fn a_moved_target_in_an_open_period_is_flagged() {
    let head = BASE.replace("target: 80", "target: 70");
    let c = diff_at(BASE, &head, "2026-11-15");
    let kr = c
        .iter()
        .find(|c| c.reference == "growth/onboarding/completion")
        .expect("the KR is listed");
    assert_eq!(
        kr.moved,
        vec![Moved {
            field: "target",
            from: 80.0,
            to: 70.0
        }]
    );
    assert!(kr.goalpost_moved);
    // The same move before the period starts is fine.
    let c = diff_at(BASE, &head, "2026-09-15");
    let kr = c
        .iter()
        .find(|c| c.reference == "growth/onboarding/completion")
        .expect("the KR is listed");
    assert!(!kr.goalpost_moved && kr.moved.len() == 1);
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
        vec![
            ("growth/onboarding/tickets", ChangeKind::Modified),
            ("growth/onboarding/nps", ChangeKind::Added),
            ("growth/onboarding/completion", ChangeKind::Removed),
        ]
    );
    assert_eq!(
        c[0].title_changed,
        Some(FromTo {
            from: "Fewer tickets".to_owned(),
            to: "Far fewer tickets".to_owned()
        })
    );
    assert_eq!(c[1].status.from, None);
    assert_eq!(c[1].status.to, Some("no_data"));
    assert_eq!(c[2].title, "Completion 60 to 80");
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
        vec![
            ("growth/onboarding", ChangeKind::Modified),
            ("growth/onboarding/tickets", ChangeKind::Modified),
        ]
    );
    let kr = &c[1];
    assert_eq!(kr.checkins_added.len(), 1);
    assert_eq!(kr.checkins_added[0].date, "2026-11-10");
    assert_eq!(kr.checkins_added[0].note.as_deref(), Some("faq"));
    let score = kr.score.as_ref().expect("a KR has a score");
    assert!((score.from.unwrap_or(0.0) - 0.1).abs() < 1e-9);
    assert!((score.to.unwrap_or(0.0) - 0.9).abs() < 1e-9);
    assert!(kr.status.changed());
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
    let find = |r: &str| c.iter().find(|c| c.reference == r).expect(r);
    let o = find("growth/onboarding");
    assert_eq!(o.fields[0].field, "commitment");
    assert_eq!(o.fields[0].to, json!("committed"));
    let kr = find("growth/onboarding/tickets");
    assert_eq!(kr.fields[0].field, "weight");
    let kpi = find("growth/churn");
    assert_eq!(kpi.moved[0].field, "critical");
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
    assert_eq!(checkin_differences(a, &b), vec!["value", "note"]);
    assert_eq!(describe_checkin(a), "value 6.1");
}

fn rules(base: &str, head: &str, as_of: &str) -> Vec<(Code, u32, String)> {
    let (b, bs) = goals(base);
    let (h, mut hs) = goals(head);
    let d = history(
        Tree {
            goals: &b,
            sources: &bs,
            flawed: &Default::default(),
        },
        &h,
        &mut hs,
        "main",
        Date::parse(as_of).expect("a date"),
        &Config::default(),
    );
    d.diags
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
        .map(|c| (c.reference.as_str(), c.change, c.renamed_from.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "growth/self-serve-onboarding",
                ChangeKind::Renamed,
                Some("growth/onboarding")
            ),
            (
                "growth/self-serve-onboarding/completion-rate",
                ChangeKind::Renamed,
                Some("growth/self-serve-onboarding/completion")
            ),
            (
                "growth/monthly-churn",
                ChangeKind::Renamed,
                Some("growth/churn")
            ),
        ]
    );
    // A key result that kept its id under a renamed objective is not listed: it did not
    // change, and its check-ins were compared across the rename.
    assert!(!c.iter().any(|c| c.reference.ends_with("/tickets")));
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
        vec![
            ("growth/onboarding/completion-rate", ChangeKind::Added),
            ("growth/onboarding/completion", ChangeKind::Removed),
        ]
    );
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
    let found = history(
        Tree {
            goals: &b,
            sources: &bs,
            flawed: &v.flawed,
        },
        &h,
        &mut hs,
        "main",
        Date::parse("2026-11-15").expect("a date"),
        &Config::default(),
    );
    let messages: Vec<&str> = found.diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("`growth/onboarding/tickets` moved from 150 to 140"));
    assert_eq!(found.skipped, ["growth/onboarding/completion"]);
}
