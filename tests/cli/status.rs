//! `goalpost status` and `show` on the bundled example and small repositories.

use crate::common::*;

fn acme() -> std::path::PathBuf {
    root().join("examples/acme")
}

#[test]
fn json_follows_the_documented_shape() {
    let o = run(
        &acme(),
        &["status", "--format", "json", "--as-of", "2026-11-22"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["as_of"], "2026-11-22");
    let objs = v["objectives"].as_array().expect("objectives");
    assert!(!objs.is_empty());
    for o in objs {
        for key in [
            "ref",
            "team",
            "period",
            "title",
            "owner",
            "commitment",
            "parent",
            "score",
            "expected",
            "status",
            "guardrail_breached",
            "carried_from",
            "key_results",
        ] {
            assert!(o.get(key).is_some(), "objective lacks {key}: {o}");
        }
        for kr in o["key_results"].as_array().expect("krs") {
            for key in [
                "ref",
                "kind",
                "start",
                "target",
                "current",
                "progress",
                "weight",
                "status",
                "confidence",
                "last_checkin",
                "stale",
            ] {
                assert!(kr.get(key).is_some(), "key result lacks {key}: {kr}");
            }
            let p = kr["progress"].as_f64().expect("progress");
            assert!((0.0..=1.0).contains(&p));
        }
    }
    // sorted by period, team, id
    let keys: Vec<(String, String, String)> = objs
        .iter()
        .map(|o| {
            (
                o["period"].as_str().unwrap_or("").into(),
                o["team"].as_str().unwrap_or("").into(),
                o["ref"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    for k in v["kpis"].as_array().expect("kpis") {
        for key in [
            "ref",
            "team",
            "title",
            "better",
            "target",
            "critical",
            "value",
            "status",
            "trend",
            "last_checkin",
            "stale",
        ] {
            assert!(k.get(key).is_some(), "kpi lacks {key}: {k}");
        }
    }
}

const SMALL: &str = "team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: onboarding\n    title: Make onboarding effortless\n    owner: alice\n    guardrails: [growth/churn]\n    key_results:\n      - id: tickets\n        title: Cut weekly tickets from 250 to 150\n        start: 250\n        target: 150\n        weight: 2\n        checkins:\n          - { date: 2026-10-05, value: 240 }\n          - { date: 2026-10-19, value: 210, confidence: 0.6, note: new FAQ live }\n      - id: guide\n        title: Setup guide live for all sign-ups\n        kind: milestone\n        checkins:\n          - { date: 2026-11-02, done: true }\nkpis:\n  - id: churn\n    title: Monthly churn\n    unit: \"%\"\n    better: lower\n    target: 5\n    critical: 7\n    cadence: monthly\n    checkins:\n      - { date: 2026-09-30, value: 4.8 }\n      - { date: 2026-10-31, value: 6.1 }\n";

#[test]
fn small_repo_numbers_are_exact() {
    let r = repo(&[("goals/growth.yaml", SMALL)]);
    let o = run(
        r.path(),
        &["status", "--format", "json", "--as-of", "2026-11-15"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let obj = &v["objectives"][0];
    // tickets: (210-250)/(150-250) = 0.4, weight 2; guide: 1.0 → (0.8 + 1.0) / 3 = 0.6
    assert!(
        (obj["score"].as_f64().unwrap_or(0.0) - 0.6).abs() < 1e-12,
        "{obj}"
    );
    // expected: 45 of 91 days
    assert!((obj["expected"].as_f64().unwrap_or(0.0) - 45.0 / 91.0).abs() < 1e-12);
    let kr = &obj["key_results"][0];
    assert_eq!(kr["current"], 210);
    assert_eq!(kr["start"], 250);
    assert!((kr["progress"].as_f64().unwrap_or(0.0) - 0.4).abs() < 1e-12);
    // gap = 45/91 - 0.4 = 0.0945 ≤ 0.10: on track by pace; confidence 0.6 < 0.7 lowers it to at risk
    assert_eq!(kr["status"], "at_risk", "{kr}");
}

#[test]
fn table_and_markdown_snapshots() {
    let r = repo(&[("goals/growth.yaml", SMALL)]);
    let o = run(r.path(), &["status", "--as-of", "2026-11-15"]);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&o));
    let o = run(
        r.path(),
        &["status", "--format", "markdown", "--as-of", "2026-11-15"],
    );
    insta::assert_snapshot!(stdout(&o));
    let o = run(
        r.path(),
        &["status", "--format", "csv", "--as-of", "2026-11-15"],
    );
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn show_and_unknown_refs() {
    let r = repo(&[("goals/growth.yaml", SMALL)]);
    let o = run(
        r.path(),
        &["show", "growth/onboarding/tickets", "--as-of", "2026-11-15"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!(stdout(&o));
    let o = run(
        r.path(),
        &["show", "growth/onboardin", "--as-of", "2026-11-15"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `growth/onboarding`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn filters_and_invalid_goals() {
    let r = repo(&[("goals/growth.yaml", SMALL)]);
    let o = run(
        r.path(),
        &[
            "status",
            "--kpis",
            "--format",
            "csv",
            "--as-of",
            "2026-11-15",
        ],
    );
    assert_eq!(stdout(&o).lines().count(), 2, "header + one KPI");
    let o = run(r.path(), &["status", "--team", "growht"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `growth`"));
    let bad = repo(&[(
        "goals/growth.yaml",
        &SMALL.replace("start: 250", "start: \"250\""),
    )]);
    let o = run(bad.path(), &["status"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty(), "no score for invalid data");
    assert!(stderr(&o).contains("error[invalid-type]"));
}

/// Human outputs list a team's objectives of a period in file order (the team's priority,
/// SPEC 12), across its files too; JSON and CSV keep the sorted order of SPEC 7.3.
#[test]
fn human_outputs_keep_file_order_and_json_sorts() {
    let obj = |id: &str| {
        format!(
            "  - id: {id}\n    title: Objective {id}\n    key_results:\n      - {{ id: a, title: A, start: 0, target: 10 }}\n      - {{ id: b, title: B, start: 0, target: 10 }}\n"
        )
    };
    let first = format!(
        "team: g\nperiod: 2026-Q4\nobjectives:\n{}{}",
        obj("zeta"),
        obj("alpha")
    );
    let second = format!("team: g\nperiod: 2026-Q4\nobjectives:\n{}", obj("beta"));
    let r = repo(&[("goals/a.yaml", &first), ("goals/b.yaml", &second)]);
    let at = |text: &str, what: &str| -> Vec<usize> {
        ["g/zeta", "g/alpha", "g/beta"]
            .iter()
            .map(|id| {
                text.find(id)
                    .unwrap_or_else(|| panic!("{what}: no {id} in {text}"))
            })
            .collect()
    };
    let in_order = |v: Vec<usize>| v[0] < v[1] && v[1] < v[2];
    for args in [
        &["status"][..],
        &["status", "--format", "markdown"],
        &["report", "--format", "markdown"],
        &["report", "--format", "html"],
    ] {
        let o = run(r.path(), args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(
            in_order(at(&stdout(&o), &args.join(" "))),
            "{args:?}: {}",
            stdout(&o)
        );
    }
    for args in [
        &["status", "--format", "json"][..],
        &["status", "--format", "csv"],
    ] {
        let o = run(r.path(), args);
        let v = at(&stdout(&o), &args.join(" "));
        assert!(
            v[1] < v[2] && v[2] < v[0],
            "{args:?} sorts by id: {}",
            stdout(&o)
        );
    }
}
