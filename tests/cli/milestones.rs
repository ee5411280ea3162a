//! A milestone's `due` date (SPEC 3.4, 5): expected done by then, not along a straight line;
//! shown in every output, not carried by `rollover`, and a moved date is `goalpost-moved`.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

/// 2026-Q4 (91 days from start to end): a milestone due on 2026-11-15, not done yet, and a
/// metric halfway.
const GROWTH: &str = "\
team: growth
period: 2026-Q4
objectives:
  - id: onboarding
    title: Onboarding
    key_results:
      - id: guide
        title: Setup guide live
        kind: milestone
        due: 2026-11-15
        weight: 3
        checkins:
          - { date: 2026-10-05, done: false }
      - id: completion
        title: Completion from 60 to 80
        start: 60
        target: 80
        checkins:
          - { date: 2026-10-05, value: 70 }
";

fn status_json(dir: &Path, as_of: &str) -> Value {
    let o = run(dir, &["status", "--format", "json", "--as-of", as_of]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("json")
}

fn close(v: &Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("a number: {v}"));
    assert!((got - want).abs() < 1e-12, "{got} != {want}");
}

#[test]
fn a_milestone_is_on_track_until_its_due_date_and_json_says_why() {
    let dir = repo(&[("goals/growth.yaml", GROWTH)]);
    // 2026-11-14, the day before: on the straight line (44/91 = 0.48) it would be off track.
    let v = status_json(dir.path(), "2026-11-14");
    let o = &v["objectives"][0];
    let (guide, completion) = (&o["key_results"][0], &o["key_results"][1]);
    assert_eq!(guide["due"], "2026-11-15");
    assert_eq!(guide["expected"], 0);
    assert_eq!(guide["status"], "on_track");
    assert_eq!(completion["due"], Value::Null, "never a missing key");
    close(&completion["expected"], 44.0 / 91.0);
    // (3·0 + 1·44/91) / 4; score (0 + 0.5) / 4 = 0.125 ≥ 0.1209: on track.
    close(&o["expected"], 11.0 / 91.0);
    assert_eq!(o["status"], "on_track");
    // On the due date, still not done: expected 1, off track.
    let v = status_json(dir.path(), "2026-11-15");
    let guide = &v["objectives"][0]["key_results"][0];
    assert_eq!(
        (&guide["expected"], &guide["status"]),
        (&Value::from(1), &Value::from("off_track"))
    );
    close(&v["objectives"][0]["expected"], (3.0 + 45.0 / 91.0) / 4.0);
}

#[test]
fn table_show_and_csv_show_the_due_date() {
    let dir = repo(&[("goals/growth.yaml", GROWTH)]);
    let d = dir.path();
    let o = run(d, &["status", "--as-of", "2026-11-14"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("milestone: not done, due 2026-11-15"),
        "{}",
        stdout(&o)
    );
    // Elapsed is the straight line, whatever the due dates make the objective expect.
    assert!(stdout(&o).contains("48% elapsed"), "{}", stdout(&o));
    let o = run(
        d,
        &["show", "growth/onboarding/guide", "--as-of", "2026-11-14"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let show = stdout(&o);
    assert!(show.contains("  due           2026-11-15\n"), "{show}");
    assert!(show.contains("  expected      0%\n"), "{show}");
    let o = run(d, &["status", "--format", "csv", "--as-of", "2026-11-14"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = stdout(&o);
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    // Columns added after the first release come after the older ones, in the order added
    // (a later addition may follow them).
    assert!(
        col("forecast_high") < col("due")
            && col("due") < col("checkin_due")
            && col("checkin_due") < col("overdue"),
        "new columns go at the end: {header:?}"
    );
    let guide: Vec<&str> = csv
        .lines()
        .find(|l| l.contains("growth/onboarding/guide"))
        .expect("the guide row")
        .split(',')
        .collect();
    assert_eq!(guide[col("due")], "2026-11-15");
    assert_eq!(guide[col("expected")], "0");
    let completion: Vec<&str> = csv
        .lines()
        .find(|l| l.contains("growth/onboarding/completion"))
        .expect("the completion row")
        .split(',')
        .collect();
    assert_eq!(completion[col("due")], "");
}

#[test]
fn due_must_be_a_real_date_inside_the_period_on_a_milestone() {
    for (from, to, code, line) in [
        (
            "due: 2026-11-15",
            "due: 2027-01-15",
            "due-outside-period",
            10,
        ),
        (
            "due: 2026-11-15",
            "due: 2026-09-30",
            "due-outside-period",
            10,
        ),
        ("due: 2026-11-15", "due: 2026-11-31", "invalid-date", 10),
        ("due: 2026-11-15", "due: soon", "invalid-date", 10),
        (
            "start: 60\n",
            "start: 60\n        due: 2026-11-01\n",
            "due-on-metric",
            17,
        ),
    ] {
        let dir = repo(&[("goals/growth.yaml", &GROWTH.replacen(from, to, 1))]);
        let (exit, v) = check_json(dir.path(), &[]);
        assert_eq!(exit, 1, "{to}: {v:#}");
        assert_eq!(codes(&v), [code], "{to}: {v:#}");
        let d = &v["diagnostics"][0];
        assert_eq!(
            (d["file"].as_str(), d["line"].as_u64()),
            (Some("goals/growth.yaml"), Some(line)),
            "{to}: {v:#}"
        );
    }
    // A misspelt kind is reported; its `due` is not also called a metric's.
    let dir = repo(&[(
        "goals/growth.yaml",
        &GROWTH.replacen("kind: milestone", "kind: milestne", 1),
    )]);
    let (_, v) = check_json(dir.path(), &[]);
    assert!(codes(&v).contains(&"invalid-type".to_owned()), "{v:#}");
    assert!(!codes(&v).contains(&"due-on-metric".to_owned()), "{v:#}");
    // The edges of the period are inside it.
    for due in ["due: 2026-10-01", "due: 2026-12-31"] {
        let dir = repo(&[(
            "goals/growth.yaml",
            &GROWTH.replacen("due: 2026-11-15", due, 1),
        )]);
        let (exit, v) = check_json(dir.path(), &[]);
        assert_eq!(exit, 0, "{due}: {v:#}");
    }
}

#[test]
fn rollover_does_not_carry_the_due_date() {
    let q3 = GROWTH
        .replace("2026-Q4", "2026-Q3")
        .replace("due: 2026-11-15", "due: 2026-08-15")
        .replace("2026-10-05", "2026-07-05");
    let dir = repo(&[("goals/growth/2026-Q3.yaml", &q3)]);
    let o = run(dir.path(), &["rollover", "2026-Q3", "2026-Q4", "--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("        kind: milestone\n"), "{out}");
    assert!(!out.contains("due"), "{out}");
}

fn git(dir: &Path, args: &[&str]) -> String {
    git_as(dir, "Test", args)
}

#[test]
fn a_due_date_moved_in_an_open_period_is_goalpost_moved() {
    let dir = repo(&[("goals/growth.yaml", GROWTH)]);
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "goals"]);
    let path = d.join("goals/growth.yaml");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replace("due: 2026-11-15", "due: 2026-12-15")).expect("write");
    let (exit, v) = check_json(d, &["--base", "HEAD"]);
    assert_eq!(exit, 0, "{v:#}");
    let moved: Vec<&Value> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|x| x["code"] == "goalpost-moved")
        .collect();
    assert_eq!(moved.len(), 1, "{v:#}");
    let message = moved[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with(
            "the due date of `growth/onboarding/guide` moved from 2026-11-15 to 2026-12-15 since HEAD"
        ) && message.ends_with(", while 2026-Q4 is open"),
        "{message}"
    );
    assert_eq!(
        (moved[0]["line"].as_u64(), moved[0]["column"].as_u64()),
        (Some(10), Some(14))
    );
    // diff lists it as a field change, flagged.
    let o = run(
        d,
        &["diff", "HEAD", "--format", "json", "--as-of", "2026-11-15"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let guide = v["changes"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["ref"] == "growth/onboarding/guide"))
        .expect("the guide changed");
    assert_eq!(guide["goalpost_moved"], true, "{guide:#}");
    assert_eq!(
        guide["fields"],
        serde_json::json!([{ "field": "due", "from": "2026-11-15", "to": "2026-12-15" }])
    );
    let o = run(d, &["diff", "HEAD", "--as-of", "2026-11-15"]);
    assert!(
        stdout(&o).contains("due 2026-11-15 → 2026-12-15 [goalpost-moved: 2026-Q4 is open]"),
        "{}",
        stdout(&o)
    );
    let o = run(
        d,
        &[
            "diff",
            "HEAD",
            "--format",
            "markdown",
            "--as-of",
            "2026-11-15",
        ],
    );
    assert!(
        stdout(&o).contains("- `growth/onboarding/guide` (2026-Q4): due 2026-11-15 → 2026-12-15\n"),
        "{}",
        stdout(&o)
    );
    // In a closed period it is listed, not flagged.
    let o = run(
        d,
        &[
            "check",
            "--base",
            "HEAD",
            "--format",
            "json",
            "--as-of",
            "2027-01-15",
        ],
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(!codes(&v).contains(&"goalpost-moved".to_owned()), "{v:#}");
}
