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

/// Issue 24, item 2: a closed objective's guardrail is judged as of the period's end (SPEC 5,
/// T_K) in every view: the table, `show`, Markdown, HTML and JSON agree that a KPI turning
/// critical after the quarter did not breach it.
#[test]
fn a_closed_objectives_guardrail_is_judged_at_the_periods_end() {
    let dir = repo(&[(
        "goals/growth.yaml",
        "\
team: growth
period: 2026-Q3
objectives:
  - id: onboarding
    title: Onboarding that needs no support
    guardrails: [growth/churn]
    key_results:
      - id: completion
        title: Completion from 60 to 80
        start: 60
        target: 80
        checkins:
          - { date: 2026-09-20, value: 78 }
      - id: activation
        title: Activation from 10 to 20
        start: 10
        target: 20
        checkins:
          - { date: 2026-09-20, value: 19 }
kpis:
  - id: churn
    title: Monthly churn
    unit: \"%\"
    better: lower
    target: 5
    critical: 7
    cadence: monthly
    checkins:
      - { date: 2026-09-15, value: 4.8 }
      - { date: 2026-11-20, value: 8.2 }
",
    )]);
    let d = dir.path();
    let out = |args: &[&str]| {
        let o = run(d, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    let json: serde_json::Value =
        serde_json::from_str(&out(&["status", "--format", "json"])).expect("json");
    assert_eq!(
        json["objectives"][0]["guardrail_breached"], false,
        "{json:#}"
    );
    let table = out(&["status"]);
    assert!(!table.contains("breached"), "{table}");
    let markdown = out(&["status", "--format", "markdown"]);
    assert!(!markdown.contains("breached"), "{markdown}");
    let report = out(&["report", "--format", "markdown"]);
    assert!(!report.contains("breached"), "{report}");
    let html = out(&["report", "--format", "html"]);
    assert!(
        !html.contains("breached</li>") && !html.contains(": breached"),
        "{html}"
    );
    let shown = out(&["show", "growth/onboarding"]);
    assert!(
        shown.contains("growth/churn (healthy at 2026-09-30)"),
        "{shown}"
    );
    // The KPI itself is critical today, and says so.
    let kpi = out(&["show", "growth/churn"]);
    assert!(kpi.contains("critical"), "{kpi}");
}

/// Issue 24, item 7: a key result whose progress is 1 shows no forecast in human outputs
/// (table, `show`, Markdown, HTML): a forecast of something already reached only confuses.
/// JSON keeps SPEC 5's figure.
#[test]
fn a_done_key_result_shows_no_forecast() {
    let mut goals = "\
team: growth
period: 2026-Q4
objectives:
  - id: onboarding
    title: Onboarding that needs no support
    key_results:
      - id: reach
        title: Reach 120 teams
        start: 0
        target: 120
        checkins:
"
    .to_owned();
    for (date, value) in [
        ("2026-10-04", 300),
        ("2026-10-09", 284),
        ("2026-10-14", 267),
        ("2026-10-19", 251),
        ("2026-10-24", 235),
        ("2026-10-29", 218),
        ("2026-11-03", 202),
        ("2026-11-08", 185),
        ("2026-11-13", 169),
        ("2026-11-18", 153),
        ("2026-11-23", 136),
        ("2026-11-28", 120),
    ] {
        goals.push_str(&format!("          - {{ date: {date}, value: {value} }}\n"));
    }
    goals.push_str("      - id: guide\n        title: Setup guide live\n        kind: milestone\n");
    let dir = repo(&[("goals/growth.yaml", &goals)]);
    let d = dir.path();
    let out = |args: &[&str]| {
        let o = run(d, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    let json: serde_json::Value =
        serde_json::from_str(&out(&["status", "--format", "json"])).expect("json");
    let kr = &json["objectives"][0]["key_results"][0];
    assert_eq!(
        (kr["progress"].as_f64(), kr["status"].as_str()),
        (Some(1.0), Some("done"))
    );
    let f = kr["forecast"]["progress"]
        .as_f64()
        .expect("JSON keeps the forecast");
    let shown = format!("{f:.2}");
    assert!(f < 1.0, "{kr:#}");
    let row = |text: &str, marker: &str| -> String {
        text.lines()
            .find(|l| l.contains(marker))
            .unwrap_or_else(|| panic!("no line with {marker}: {text}"))
            .to_owned()
    };
    let table = out(&["status"]);
    assert!(!row(&table, "└ reach").contains(&shown), "{table}");
    let markdown = out(&["status", "--format", "markdown"]);
    assert!(
        !row(&markdown, "Reach 120 teams").contains(&shown),
        "{markdown}"
    );
    let kr_show = out(&["show", "growth/onboarding/reach"]);
    assert!(!kr_show.contains("forecast"), "{kr_show}");
    let html = out(&["report", "--format", "html"]);
    assert!(!html.contains(&format!("{shown}?")), "{html}");
    assert!(!html.contains("111.6"), "{html}");
}

/// Issue 24, item 6: no negative zero anywhere. A decrease key result at its start has
/// progress (250 − 250) / (150 − 250) = −0; no output may write `-0.00`, `-0` or `-0.0`.
#[test]
fn no_output_writes_a_negative_zero() {
    let goals = "\
team: growth
period: 2026-Q4
objectives:
  - id: onboarding
    title: Onboarding that needs no support
    key_results:
      - id: tickets
        title: Cut weekly tickets from 250 to 150
        start: 250
        target: 150
        checkins:
          - { date: 2026-11-02, value: 250 }
          - { date: 2026-11-16, value: 250 }
      - id: completion
        title: Completion from 60 to 80
        start: 60
        target: 80
        checkins:
          - { date: 2026-11-16, value: 70 }
";
    let dir = repo(&[("goals/growth.yaml", goals)]);
    let d = dir.path();
    git_as(d, "Test", &["init", "-q", "-b", "main"]);
    git_as(d, "Test", &["add", "-A"]);
    git_as(d, "Test", &["commit", "-q", "-m", "goals"]);
    // The branch records the value at the start again, a week later.
    let more = goals.replace(
        "          - { date: 2026-11-16, value: 250 }\n",
        "          - { date: 2026-11-16, value: 250 }\n          - { date: 2026-11-23, value: 250 }\n",
    );
    write(d, "goals/growth.yaml", more.as_bytes());
    let negative_zero = |text: &str| {
        let b = text.as_bytes();
        (0..b.len()).any(|i| {
            b[i] == b'-'
                && b.get(i + 1) == Some(&b'0')
                && !(i > 0 && b[i - 1].is_ascii_alphanumeric())
                && {
                    // "-0", "-0.0", "-0.00": a minus before nothing but zeros.
                    let rest = &b[i + 1..];
                    let end = rest
                        .iter()
                        .position(|c| !(c.is_ascii_digit() || *c == b'.'))
                        .unwrap_or(rest.len());
                    let n = &rest[..end];
                    n.iter().all(|c| *c == b'0' || *c == b'.')
                }
        })
    };
    for args in [
        &["status"][..],
        &["status", "--format", "json"],
        &["status", "--format", "markdown"],
        &["status", "--format", "csv"],
        &["show", "growth/onboarding"],
        &["show", "growth/onboarding/tickets"],
        &["report", "--format", "markdown"],
        &["report", "--format", "html"],
        &["diff", "main"],
        &["diff", "main", "--format", "json"],
        &["diff", "main", "--format", "markdown"],
    ] {
        let o = run(d, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        let text = stdout(&o);
        assert!(
            !negative_zero(&text),
            "{args:?} writes a negative zero:\n{text}"
        );
    }
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
        let text = sections_of(text);
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

/// SPEC 12: human outputs list open periods first, then those not started, then closed ones
/// (most recent first), and Markdown folds closed periods and puts them after the KPIs, so
/// that the past is what a comment's limit cuts. JSON keeps the order of SPEC 7.3.
#[test]
fn open_periods_come_first_and_closed_ones_fold() {
    let file = |period: &str, id: &str| {
        format!(
            "team: g\nperiod: {period}\nobjectives:\n  - id: {id}\n    title: Objective {id}\n    key_results:\n      - {{ id: a, title: A, start: 0, target: 10 }}\n      - {{ id: b, title: B, start: 0, target: 10 }}\n"
        )
    };
    let r = repo(&[
        ("goals/a.yaml", &file("2026-Q2", "older")),
        ("goals/b.yaml", &file("2026-Q3", "closed")),
        ("goals/c.yaml", &file("2026-Q4", "open")),
        ("goals/d.yaml", &file("2027-Q1", "coming")),
        (
            "goals/k.yaml",
            "team: g\nkpis:\n  - { id: churn, title: Churn, better: lower, target: 5 }\n",
        ),
    ]);
    let order = |text: &str, ids: &[&str]| -> Vec<usize> {
        let text = sections_of(text);
        ids.iter()
            .map(|id| text.find(id).unwrap_or_else(|| panic!("no {id} in {text}")))
            .collect()
    };
    let ascending = |v: &[usize]| v.windows(2).all(|w| w[0] < w[1]);
    let human = ["g/open", "g/coming", "g/closed", "g/older"];
    for args in [&["status"][..], &["report", "--format", "html"]] {
        let o = run(r.path(), args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(
            ascending(&order(&stdout(&o), &human)),
            "{args:?}: {}",
            stdout(&o)
        );
    }
    for args in [
        &["status", "--format", "markdown"][..],
        &["report", "--format", "markdown"],
    ] {
        let o = run(r.path(), args);
        let md = stdout(&o);
        let at = order(
            &md,
            &[
                "g/open",
                "g/coming",
                "g/churn",
                "<details><summary>2026-Q3",
                "g/closed",
                "g/older",
            ],
        );
        assert!(ascending(&at), "{args:?}: {md}");
        assert_eq!(md.matches("<details><summary>2026-Q").count(), 2, "{md}");
        assert!(md.contains("(closed on 2026-09-30)</summary>"), "{md}");
    }
    let o = run(r.path(), &["status", "--format", "json"]);
    assert!(ascending(&order(
        &stdout(&o),
        &["g/older", "g/closed", "g/open", "g/coming"]
    )));
}

/// A human report from its first objectives' section on, past the attention list that names
/// items first (SPEC 12).
fn sections_of(text: &str) -> &str {
    let start = ["<main>", "\n## 20", "\n### 20", "\n20", "\"objectives\""]
        .iter()
        .filter_map(|m| text.find(m))
        .min()
        .unwrap_or(0);
    &text[start..]
}

/// Issue 28: a key result's progress and forecast read as whole percentages in every human
/// format (beside the bar, in the forecast column, in `show`, Markdown and HTML), while
/// scores stay 0.0–1.0 (the objective's, and the key result's `score` column) and JSON and
/// CSV keep 0.0–1.0 for all of them.
#[test]
fn progress_reads_as_a_percentage_and_scores_stay_fractions() {
    let acme = root().join("examples/acme");
    let text = |args: &[&str]| {
        let mut all = vec!["--as-of", "2026-11-22"];
        all.extend_from_slice(args);
        let o = run(&acme, &all);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    let table = text(&["status", "--team", "growth", "--period", "2026-Q4"]);
    let row = |needle: &str| {
        table
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle}:\n{table}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    // score, forecast, status, bar with its percentage.
    let kr = row("└ completion ");
    assert!(
        kr.contains(" 0.45 85% at risk █████░░░░░ 45% 60 → 69 → 80%"),
        "{kr}"
    );
    let objective = row("growth/onboarding Make");
    assert!(
        objective.contains(" 0.67 0.57 0.90 on track ███████░░░ owner alice"),
        "{objective}"
    );
    let show = text(&["show", "growth/onboarding/completion"]);
    for line in [
        "  progress      45%  █████████░░░░░░░░░░░\n",
        "  expected      57%\n",
        ", progress 85%\n",
    ] {
        assert!(show.contains(line), "{line}:\n{show}");
    }
    let show = text(&["show", "growth/onboarding"]);
    assert!(show.contains("  score         0.67  "), "{show}");
    let md = text(&["status", "--team", "growth", "--format", "markdown"]);
    assert!(
        md.contains("| ↳ `completion` Increase onboarding completion from 60% to 80% of sign-ups | 0.45 | | 85% |"),
        "{md}"
    );
    let report = text(&["report", "--team", "growth", "--format", "markdown"]);
    assert!(
        report.contains("to 80% of sign-ups | 45% | 85% |"),
        "{report}"
    );
    let html = text(&["report", "--team", "growth", "--format", "html"]);
    assert!(html.contains("<td>45% → 85%</td>"), "{html}");
    // The machine formats keep fractions.
    let csv = text(&["status", "--team", "growth", "--format", "csv"]);
    assert!(
        csv.contains(",69,,0.45,,0.5714285714285714,at_risk,")
            && csv.contains(",0.8547275238573583,"),
        "{csv}"
    );
    let json = text(&["status", "--team", "growth", "--format", "json"]);
    assert!(
        json.contains("\"progress\": 0.45,") && json.contains("\"progress\": 0.8547275238573583,"),
        "{json}"
    );
}

/// SPEC 12: `--owner` matches a key result's own owner, else its objective's. In the
/// example, dana owns the company activation objective and, inside sam's objective, the
/// `error-rate` key result; JSON and the attention list name the key result's owner.
#[test]
fn owner_filters_match_a_key_results_own_owner() {
    let o = run(
        &acme(),
        &[
            "status",
            "--owner",
            "dana",
            "--format",
            "json",
            "--as-of",
            "2026-11-15",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let rows: Vec<(String, Vec<String>)> = v["objectives"]
        .as_array()
        .expect("objectives")
        .iter()
        .map(|o| {
            let krs = o["key_results"].as_array().expect("key results");
            (
                o["ref"].as_str().unwrap_or("").to_owned(),
                krs.iter()
                    .map(|k| format!("{} {}", k["ref"].as_str().unwrap_or(""), k["owner"]))
                    .collect(),
            )
        })
        .collect();
    let fast = rows
        .iter()
        .find(|(r, _)| r == "platform/fast-everywhere")
        .expect("sam's objective, for dana's key result");
    assert_eq!(fast.1, ["platform/fast-everywhere/error-rate \"dana\""]);
    let activation = rows
        .iter()
        .find(|(r, _)| r == "company/activation")
        .expect("dana's objective");
    assert_eq!(
        activation.1.len(),
        3,
        "all of its key results: {activation:?}"
    );
    assert!(
        rows.iter()
            .all(|(r, _)| r == "platform/fast-everywhere" || r == "company/activation")
    );
    // Without the filter, the key result still names its own owner.
    let o = run(
        &acme(),
        &["status", "--format", "json", "--as-of", "2026-11-15"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let owners: Vec<&str> = v["objectives"]
        .as_array()
        .expect("objectives")
        .iter()
        .filter(|o| o["ref"] == "platform/fast-everywhere")
        .flat_map(|o| o["key_results"].as_array().expect("krs"))
        .map(|k| k["owner"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(owners, ["sam", "dana", "sam"]);
}
