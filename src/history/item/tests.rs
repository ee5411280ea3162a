use super::*;
use crate::diff::{Field, FromTo};
use crate::load::parse_file;

pub(crate) fn kr_key() -> ItemKey {
    ItemKey::KeyResult {
        team: "growth".into(),
        period: "2026-Q4".into(),
        objective: "onboarding".into(),
        id: "tickets".into(),
        start: Date::parse("2026-10-01").unwrap(),
        end: Date::parse("2026-12-31").unwrap(),
    }
}

pub(crate) fn version(text: &str, key: &ItemKey) -> Version {
    let (raw, _) = parse_file(0, text);
    Version::of(&raw.unwrap(), key, true, text.len())
}

pub(crate) const FILE: &str = "team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: onboarding\n    title: Onboard\n    key_results:\n      - id: tickets\n        title: Fewer tickets\n        start: 250\n        target: TARGET\n        checkins:\n          - { date: 2026-10-05, value: 240 }\n      - id: other\n        title: Other\n        start: 1\n        target: 2\ncheckins:\n  - { ref: growth/onboarding/tickets, date: 2026-11-20, value: 75, confidence: 0.6 }\n  - { ref: growth/onboarding/tickets, date: 2026-07-01, value: 1 }\n";

/// The engine's changes between two versions of the definition, no log lines.
fn between(key: &ItemKey, a: &Version, b: &Version) -> Vec<ItemChange> {
    changes(key, Some((a, b)), Vec::new(), Vec::new())
}

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn a_target_move_is_one_typed_field_change() {
    let key = kr_key();
    let a = version(&FILE.replace("TARGET", "150"), &key);
    let b = version(&FILE.replace("TARGET", "220"), &key);
    let c = between(&key, &a, &b);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].reference.to_string(), "growth/onboarding/tickets");
    assert_eq!(c[0].change, ChangeKind::Modified);
    assert_eq!(c[0].fields, vec![Field::Target(FromTo::new(150.0, 220.0))]);
    // Inline and logged check-ins, the log one outside the period left out.
    assert_eq!(
        a.checkins.keys().copied().collect::<Vec<_>>(),
        vec![day("2026-10-05"), day("2026-11-20")]
    );
    let created = between(&key, &Version::default(), &a);
    assert_eq!(created[0].change, ChangeKind::Added);
    assert_eq!(
        between(&key, &a, &Version::default())[0].change,
        ChangeKind::Removed
    );
    assert!(between(&key, &a, &a).is_empty());
}

#[test]
fn defaults_written_out_are_not_changes() {
    let key = kr_key();
    let a = version(&FILE.replace("TARGET", "150"), &key);
    let b = version(
        &FILE.replace("TARGET", "150\n        weight: 1\n        kind: metric"),
        &key,
    );
    assert!(between(&key, &a, &b).is_empty());
    let c = version(&FILE.replace("TARGET", "150\n        unit: \"%\""), &key);
    assert_eq!(
        between(&key, &a, &c)[0].fields,
        vec![Field::Unit(FromTo::new(None, Some("%".to_owned())))]
    );
}

#[test]
fn objectives_list_their_key_results_changes() {
    let key = ItemKey::Objective {
        team: "growth".into(),
        period: "2026-Q4".into(),
        id: "onboarding".into(),
    };
    let a = version(&FILE.replace("TARGET", "150"), &key);
    let b = version(
        &FILE
            .replace("TARGET", "160")
            .replace("title: Onboard", "title: Onboard all")
            .replace("id: other", "id: other-renamed"),
        &key,
    );
    let c = between(&key, &a, &b);
    assert_eq!(c.len(), 3, "{c:#?}");
    assert_eq!(c[0].reference.to_string(), "growth/onboarding");
    assert_eq!(
        c[0].fields,
        vec![Field::Title(FromTo::new(
            "Onboard".to_owned(),
            "Onboard all".to_owned()
        ))]
    );
    assert_eq!(c[1].reference.to_string(), "growth/onboarding/tickets");
    assert_eq!(c[1].fields, vec![Field::Target(FromTo::new(150.0, 160.0))]);
    // Same title, new id: a rename, as `diff` sees it.
    assert_eq!(c[2].change, ChangeKind::Renamed);
    assert_eq!(
        c[2].renamed_from
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("growth/onboarding/other")
    );
    assert!(a.checkins.is_empty(), "objectives take no check-ins");
}

#[test]
fn kpi_thresholds_and_logged_checkins() {
    let key = ItemKey::Kpi {
        team: "growth".into(),
        id: "churn".into(),
    };
    let file = "team: growth\nkpis:\n  - id: churn\n    title: Churn\n    better: lower\n    target: 5\nEXTRAcheckins:\n  - { ref: growth/churn, date: 2020-01-31, value: 4.8 }\n  - { ref: growth/other, date: 2020-01-31, value: 1 }\n";
    let a = version(&file.replace("EXTRA", ""), &key);
    let b = version(
        &file.replace("EXTRA", "    critical: 7\n    cadence: weekly\n"),
        &key,
    );
    assert_eq!(
        between(&key, &a, &b)[0].fields,
        vec![Field::Critical(FromTo::new(None, Some(7.0)))]
    );
    // Any date counts for a KPI; other refs do not.
    assert_eq!(
        a.checkins.keys().copied().collect::<Vec<_>>(),
        vec![day("2020-01-31")]
    );
    // A file that only logs check-ins holds no definition.
    let (raw, _) = parse_file(0, &file.replace("EXTRA", ""));
    let log = Version::of(&raw.unwrap(), &key, false, 0);
    assert!(log.fields.is_none() && !log.is_empty());
}

#[test]
fn checkins_from_log_lines_pair_by_date() {
    let key = kr_key();
    let v = version(&FILE.replace("TARGET", "150"), &key);
    let c75 = v.checkins[&day("2026-11-20")].clone();
    let c240 = v.checkins[&day("2026-10-05")].clone();
    let mut c242 = c240.clone();
    c242.obs = Observation::Value(242.0);
    // Only log lines changed: the definition is not compared.
    let c = changes(
        &key,
        None,
        vec![c240.clone()],
        vec![c242.clone(), c75.clone()],
    );
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].change, ChangeKind::Modified);
    assert!(c[0].fields.is_empty());
    assert_eq!(c[0].checkins.added, vec![c75.clone()]);
    assert_eq!(c[0].checkins.changed, vec![FromTo::new(c240, c242)]);
    // Moved between lines or files: nothing.
    assert!(changes(&key, None, vec![c75.clone()], vec![c75]).is_empty());
}

#[test]
fn an_extent_says_which_changes_cannot_touch_the_item() {
    let key = kr_key();
    let text = FILE.replace("TARGET", "150");
    let v = version(&text, &key);
    let e = v.extent.expect("the key result has an extent");
    assert_eq!(&text[e.start..e.start + 10], "id: ticket");
    // It ends where the next key result starts.
    assert_eq!(&text[e.end..e.end + 9], "id: other");
    assert!(e.identity < e.start);
    // A change after it keeps it in place; one before it (past what names it) moves it.
    assert_eq!(e.across(e.end + 3, e.end + 4, e.end + 5), Some(e));
    let moved = e.across(e.identity + 1, e.identity + 2, e.identity + 4);
    assert_eq!(moved.map(|m| m.start), Some(e.start + 2));
    // Inside it, or in what names it: no.
    assert_eq!(e.across(e.start + 1, e.start + 2, e.start + 2), None);
    assert_eq!(e.across(0, 1, 1), None);
}
