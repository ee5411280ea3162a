//! The forecast (SPEC 5) in every output: the numbers of SPEC 7.3's example, computed from
//! SPEC 3's example file, and the forecast's place in each format.

use crate::common::*;

/// SPEC 3's example goal file, verbatim, and the company objective its `parent` names.
const SPEC_EXAMPLE: &str = r#"# yaml-language-server: $schema=../schema/goalpost.schema.json
team: growth                  # slug; required when objectives or kpis are present
period: 2026-Q4               # required when objectives are present
objectives:
  - id: onboarding            # slug, unique within (team, period)
    title: Make onboarding so good that users don't need support
    owner: alice              # optional free text
    commitment: aspirational  # aspirational (default) | committed
    parent: company/activation   # optional: objective ref `team/objective`, same period
    guardrails: [growth/churn]   # optional: KPI refs `team/kpi`
    key_results:
      - id: support-tickets   # slug, unique within the objective
        title: Reduce weekly support tickets from new users by 40%
        start: 250            # metric KR: start and target are required numbers
        target: 150           # target < start means "decrease"
        unit: tickets/week    # optional, display only
        weight: 2             # optional, > 0, default 1
        checkins:
          - { date: 2026-10-05, value: 240 }
          - { date: 2026-10-19, value: 210, confidence: 0.6, note: new FAQ live }
      - id: completion
        title: Increase onboarding completion rate from 60% to 80%
        start: 60
        target: 80
        unit: "%"
      - id: retention-d7
        title: Day-7 retention of 50% for new cohorts
        start: 38
        target: 50
        kpi: growth/d7-retention  # current value comes from this KPI's check-ins
      - id: guide
        title: Interactive setup guide live for all new sign-ups
        kind: milestone       # metric (default) | milestone
        checkins:
          - { date: 2026-11-02, done: true }
kpis:
  - id: churn                 # slug, unique within the team, distinct from objective ids
    title: Monthly customer churn
    unit: "%"
    better: lower             # higher | lower (required)
    target: 5                 # healthy when value is on the good side of target (inclusive)
    critical: 7               # optional; critical when on the bad side of critical (inclusive)
    cadence: monthly          # weekly (default) | monthly | quarterly
    owner: bob
    checkins:
      - { date: 2026-09-30, value: 4.8 }
      - { date: 2026-10-31, value: 6.1 }
  - id: d7-retention
    title: Day-7 retention of new sign-ups
    unit: "%"
    better: higher
    target: 45
    critical: 35
    checkins:
      - { date: 2026-10-01, value: 38 }
checkins:                     # check-ins for any KR or KPI, by ref (append-only log form)
  - { ref: growth/onboarding/completion, date: 2026-10-12, value: 64 }
  - { ref: growth/churn, date: 2026-11-30, value: 6.4, note: price change }
"#;

const COMPANY: &str = "team: company\nperiod: 2026-Q4\nobjectives:\n  - id: activation\n    title: Activation\n    key_results:\n      - { id: a, title: A, start: 0, target: 10 }\n      - { id: b, title: B, start: 0, target: 10 }\n";

fn spec_repo() -> tempfile::TempDir {
    repo(&[
        ("goals/growth.yaml", SPEC_EXAMPLE),
        ("goals/company.yaml", COMPANY),
    ])
}

fn out(dir: &std::path::Path, args: &[&str]) -> String {
    let mut all = vec!["--as-of", "2026-11-15"];
    all.extend_from_slice(args);
    let o = run(dir, &all);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

fn round2(x: &serde_json::Value) -> f64 {
    (x.as_f64().expect("a number") * 100.0).round() / 100.0
}

/// SPEC 7.3: "score": 0.40, "expected": 0.49, "forecast": 0.80, and the key result's
/// `"forecast": { "value": 49.14, "progress": 1.0, "low": 43.64, "high": 54.64 }`.
#[test]
fn the_spec_example_forecasts_what_the_spec_says() {
    let d = spec_repo();
    let v: serde_json::Value =
        serde_json::from_str(&out(d.path(), &["status", "--format", "json"])).expect("json");
    let o = v["objectives"]
        .as_array()
        .expect("objectives")
        .iter()
        .find(|o| o["ref"] == "growth/onboarding")
        .expect("growth/onboarding");
    assert_eq!((round2(&o["score"]), round2(&o["expected"])), (0.40, 0.49));
    assert_eq!(round2(&o["forecast"]), 0.80);
    let kr = &o["key_results"][0];
    assert_eq!(kr["ref"], "growth/onboarding/support-tickets");
    let f = &kr["forecast"];
    assert_eq!(
        [
            round2(&f["value"]),
            round2(&f["progress"]),
            round2(&f["low"]),
            round2(&f["high"])
        ],
        [49.14, 1.0, 43.64, 54.64]
    );
    // Two points: a line but no band. A milestone and a KR without observations in the
    // period have none.
    let completion = &o["key_results"][1]["forecast"];
    assert!(
        completion["value"].is_number() && completion["low"].is_null(),
        "{completion}"
    );
    assert!(o["key_results"][3]["forecast"].is_null());
    // Outside the period: null for the objective and its key results.
    let o = run(
        d.path(),
        &["--as-of", "2027-01-05", "status", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    for o in v["objectives"].as_array().expect("objectives") {
        assert!(o["forecast"].is_null(), "{o}");
        for kr in o["key_results"].as_array().expect("krs") {
            assert!(kr["forecast"].is_null(), "{kr}");
        }
    }
}

#[test]
fn every_format_shows_the_forecast() {
    let d = spec_repo();
    let table = out(d.path(), &["status", "--team", "growth"]);
    assert!(table.contains("forecast"), "{table}");
    let line = table
        .lines()
        .find(|l| l.contains("growth/onboarding "))
        .expect("the objective row");
    assert!(line.contains("0.80"), "{line}");
    let csv = out(d.path(), &["status", "--format", "csv"]);
    let header = csv.lines().next().expect("header");
    for col in [
        "forecast_progress",
        "forecast_value",
        "forecast_low",
        "forecast_high",
    ] {
        assert!(header.contains(col), "{header}");
    }
    assert!(
        csv.contains(",49.14179104477611,43.64327973325688,54.640302356295344"),
        "{csv}"
    );
    let md = out(d.path(), &["status", "--format", "markdown"]);
    assert!(
        md.contains("| Forecast |") && md.contains("forecast 49 tickets/week on 2026-12-31"),
        "{md}"
    );
    // Human outputs round the forecast to the precision of the KR's own figures (whole
    // tickets here); CSV and JSON keep full precision.
    let show = out(d.path(), &["show", "growth/onboarding/support-tickets"]);
    assert!(
        show.contains(
            "forecast      49 tickets/week on 2026-12-31 (band 44–55 tickets/week), progress 100%"
        ),
        "{show}"
    );
    let html = out(d.path(), &["report", "--format", "html"]);
    assert!(
        html.contains("<path class=\"fc k0\""),
        "a dashed forecast line"
    );
    assert!(html.contains("<path class=\"band k0\""), "the band, shaded");
    assert!(
        html.contains("forecast 0.80"),
        "the objective's forecast badge"
    );
}

/// The `?` mark: the band reaches both sides of the pass mark.
#[test]
fn a_forecast_that_could_end_either_way_is_marked() {
    let d = repo(&[(
        "goals/t.yaml",
        "team: t\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - id: a\n        title: A\n        start: 0\n        target: 100\n        checkins:\n          - { date: 2026-10-15, value: 20 }\n          - { date: 2026-10-29, value: 10 }\n          - { date: 2026-11-12, value: 45 }\n      - { id: b, title: B, start: 0, target: 10 }\n",
    )]);
    let table = out(d.path(), &["status"]);
    let line = table
        .lines()
        .find(|l| l.contains("└ a "))
        .expect("the KR row");
    assert!(line.contains('?'), "{table}");
}
