//! Scores a team can trust (SPEC 5): a closed period's figures are frozen at its end, and
//! staleness asks for check-ins only where one is due and possible.

use crate::common::*;
use serde_json::Value;

/// A Q3 objective whose key result takes its value from a KPI that is measured monthly.
const Q3: &str = "\
team: growth
period: 2026-Q3
objectives:
  - id: retention
    title: New users stay
    guardrails: [growth/churn]
    key_results:
      - { id: d7, title: Day-7 retention from 30 to 40, start: 30, target: 40, kpi: growth/d7-retention }
      - id: guide
        title: Setup guide live for new sign-ups
        kind: milestone
        checkins:
          - { date: 2026-08-01, done: true }
kpis:
  - id: d7-retention
    title: Day-7 retention
    better: higher
    target: 40
    cadence: monthly
    checkins:
      - { date: 2026-08-31, value: 32 }
      - { date: 2026-09-30, value: 33, confidence: 0.4 }
  - id: churn
    title: Monthly churn
    better: lower
    target: 5
    critical: 7
    cadence: monthly
    checkins:
      - { date: 2026-09-30, value: 6 }
";

/// What November brought: the KPI reached its target, and churn went critical.
const NOVEMBER: &str = "\
checkins:
  - { ref: growth/d7-retention, date: 2026-11-10, value: 41, confidence: 1 }
  - { ref: growth/churn, date: 2026-11-10, value: 8 }
";

fn status(dir: &std::path::Path, as_of: &str) -> Value {
    let o = run(dir, &["--as-of", as_of, "status", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("json")
}

#[test]
fn a_closed_quarter_keeps_its_grade_when_the_kpi_improves_later() {
    let before = repo(&[("goals/growth.yaml", Q3)]);
    let after = repo(&[("goals/growth.yaml", Q3), ("goals/checkins.yaml", NOVEMBER)]);
    let b = status(before.path(), "2026-11-15");
    let a = status(after.path(), "2026-11-15");
    let (bo, ao) = (&b["objectives"][0], &a["objectives"][0]);
    for key in ["score", "status", "guardrail_breached"] {
        assert_eq!(bo[key], ao[key], "{key}: {ao:#}");
    }
    assert_eq!(ao["status"], "missed");
    assert_eq!(ao["guardrail_breached"], false);
    let kr = &ao["key_results"][0];
    assert_eq!(kr["current"], 33.0);
    assert_eq!(kr["confidence"], 0.4);
    assert_eq!(kr["last_checkin"], "2026-09-30");
    assert_eq!(kr["status"], "missed");
    assert_eq!(bo["key_results"][0], ao["key_results"][0]);
    // The KPIs themselves are scored as of T.
    assert_eq!(a["kpis"][1]["value"], 41.0);
    assert_eq!(a["kpis"][0]["status"], "critical");
}

#[test]
fn diff_does_not_report_a_closed_grade_changing() {
    let dir = repo(&[("goals/growth.yaml", Q3)]);
    let d = dir.path();
    git_as(d, "Test", &["init", "-q", "-b", "main"]);
    git_as(d, "Test", &["add", "-A"]);
    git_as(d, "Test", &["commit", "-q", "-m", "q3"]);
    write(d, "goals/checkins.yaml", NOVEMBER.as_bytes());
    let o = run(
        d,
        &["diff", "main", "--format", "json", "--as-of", "2026-11-15"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let refs: Vec<&str> = v["changes"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["ref"].as_str()).collect())
        .unwrap_or_default();
    assert!(refs.contains(&"growth/d7-retention"), "{v:#}");
    assert!(
        !refs.iter().any(|r| r.starts_with("growth/retention")),
        "a closed objective changed: {v:#}"
    );
}

/// An open Q4 copy of [`Q3`].
fn q4() -> String {
    Q3.replace("2026-Q3", "2026-Q4")
        .replace("2026-08-01", "2026-10-01")
        .replace("2026-08-31", "2026-10-05")
        .replace("2026-09-30, value: 33", "2026-11-01, value: 33")
        .replace("2026-09-30, value: 6", "2026-11-01, value: 6")
}

#[test]
fn staleness_asks_only_for_check_ins_that_are_due() {
    let dir = repo(&[("goals/growth.yaml", &q4())]);
    let d = dir.path();
    // 2026-11-25: 24 days after the monthly KPIs' last check-in (fresh: cadence 31 days),
    // 55 days after the milestone was checked in done.
    let (code, v) = {
        let o = run(d, &["check", "--format", "json", "--as-of", "2026-11-25"]);
        let v: Value = serde_json::from_slice(&o.stdout).expect("json");
        (o.status.code(), v)
    };
    assert_eq!(code, Some(0));
    assert!(!codes(&v).contains(&"stale-checkin".to_owned()), "{v:#}");
    let s = status(d, "2026-11-25");
    for kr in s["objectives"][0]["key_results"].as_array().expect("krs") {
        assert_eq!(kr["stale"], false, "{kr:#}");
    }
    // 2026-12-05: the KPIs are stale (34 days). Each is reported once, on the KPI; never
    // on the key result, which takes no check-ins of its own.
    let o = run(d, &["check", "--format", "json", "--as-of", "2026-12-05"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let stale: Vec<&Value> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "stale-checkin")
        .collect();
    assert_eq!(stale.len(), 2, "{v:#}");
    for d in &stale {
        let m = d["message"].as_str().unwrap_or("");
        assert!(m.starts_with("KPI `growth/"), "{m}");
    }
    let m = stale
        .iter()
        .filter_map(|d| d["message"].as_str())
        .find(|m| m.contains("d7-retention"))
        .expect("the linked KPI");
    assert!(
        m.contains("key result `growth/retention/d7` takes its value from it"),
        "{m}"
    );
    let s = status(d, "2026-12-05");
    let krs = &s["objectives"][0]["key_results"];
    assert_eq!(krs[0]["stale"], true, "follows its KPI");
    assert_eq!(krs[1]["stale"], false, "a done milestone");
}
