//! Corrections (SPEC 3.2) end to end: `checkin --correct` appends one through the same
//! validated append as any check-in, and refuses (exit 2, nothing written) what would not
//! count; scores use the corrected figure; `show` lists the original, the corrected value
//! and the reason; a union merge's conflict is settled by a correction.

use crate::common::*;
use std::path::Path;

const GOALS: &str = "\
team: growth
period: 2026-Q4
objectives:
  - id: onboarding
    title: Make onboarding so good that users don't need support
    key_results:
      - id: completion
        title: Increase onboarding completion rate from 60% to 80%
        start: 60
        target: 80
        unit: \"%\"
      - id: retention-d7
        title: Day-7 retention of 50% for new cohorts
        start: 38
        target: 50
        kpi: growth/d7-retention
kpis:
  - id: d7-retention
    title: Day-7 retention of new sign-ups
    better: higher
    target: 45
    cadence: monthly
";

const LOG: &str = "\
checkins:
  - { ref: growth/onboarding/completion, date: 2026-10-12, value: 64 }
  - { ref: growth/onboarding/completion, date: 2026-10-26, value: 76, by: alice }
  - { ref: growth/d7-retention, date: 2026-10-31, value: 41 }
  - { ref: growth/onboarding/completion, date: 2026-11-09, value: 70 }
";

fn fixture() -> tempfile::TempDir {
    repo(&[
        ("goals/growth/2026-Q4.yaml", GOALS),
        ("goals/checkins.yaml", LOG),
    ])
}

fn log(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("goals/checkins.yaml")).expect("log")
}

/// The KR's figures as of 2026-10-30, when the check-in of 2026-10-26 is the latest.
fn completion(dir: &Path) -> serde_json::Value {
    let o = run(
        dir,
        &["status", "--format", "json", "--as-of", "2026-10-30"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    v["objectives"][0]["key_results"][0].clone()
}

#[test]
fn checkin_correct_appends_a_correction_that_every_figure_uses() {
    let dir = fixture();
    let d = dir.path();
    assert_eq!(completion(d)["current"], 76);
    let o = run(
        d,
        &[
            "checkin",
            "growth/onboarding/completion",
            "67",
            "--date",
            "2026-10-26",
            "--correct",
            "dashboard counted reopened sign-ups twice",
            "--as-of",
            "2026-11-15",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "appended to goals/checkins.yaml: growth/onboarding/completion = 67 (2026-10-26), correcting 76%: dashboard counted reopened sign-ups twice\n"
    );
    let text = log(d);
    assert!(text.starts_with(LOG), "the original stays: {text}");
    assert!(
        text.ends_with("  - { ref: growth/onboarding/completion, date: 2026-10-26, value: 67, correction: dashboard counted reopened sign-ups twice }\n"),
        "{text}"
    );
    assert_eq!(completion(d)["current"], 67);
    let (code, v) = check_json(d, &[]);
    assert_eq!((code, codes(&v)), (0, Vec::<String>::new()), "{v:#}");

    // `show` lists the original, the corrected value and the reason.
    let o = run(
        d,
        &[
            "show",
            "growth/onboarding/completion",
            "--as-of",
            "2026-11-15",
        ],
    );
    let shown = stdout(&o);
    assert!(
        shown.contains(
            // The correction names no author: it keeps the original's (SPEC 3.2).
            "  2026-10-26           67%  by alice\n              ↳ corrected from 76%: dashboard counted reopened sign-ups twice\n"
        ),
        "{shown}"
    );

    // The same correction again is already recorded; a wrong correction is corrected by
    // another, which wins.
    let again = |value: &str, reason: &str| {
        run(
            d,
            &[
                "checkin",
                "growth/onboarding/completion",
                value,
                "--date",
                "2026-10-26",
                "--correct",
                reason,
                "--as-of",
                "2026-11-15",
            ],
        )
    };
    let o = again("67", "dashboard counted reopened sign-ups twice");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("already recorded:"),
        "{}",
        stdout(&o)
    );
    let o = again("68", "the dashboard fix missed one cohort");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("correcting 67%"), "{}", stdout(&o));
    assert_eq!(completion(d)["current"], 68);
    let shown = stdout(&run(
        d,
        &[
            "show",
            "growth/onboarding/completion",
            "--as-of",
            "2026-11-15",
        ],
    ));
    assert!(
        shown.contains("↳ corrected from 76% (then 67%): the dashboard fix missed one cohort"),
        "{shown}"
    );
}

#[test]
fn checkin_refuses_what_a_correction_would_not_fix() {
    let dir = fixture();
    let d = dir.path();
    let refused = |args: &[&str], says: &str| {
        let mut all = vec!["checkin"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--as-of", "2026-11-15"]);
        let o = run(d, &all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert_eq!(log(d), LOG, "{args:?}: nothing written");
    };
    // No check-in on that date: the help names the dates there are.
    refused(
        &[
            "growth/onboarding/completion",
            "65",
            "--date",
            "2026-10-27",
            "--correct",
            "typo",
        ],
        "has no check-in on 2026-10-27 to correct (its latest check-ins are on 2026-11-09, 2026-10-26, 2026-10-12;",
    );
    refused(
        &[
            "growth/onboarding/completion",
            "65",
            "--date",
            "2026-10-26",
            "--correct",
            " ",
        ],
        "--correct needs a reason",
    );
    refused(
        &[
            "growth/onboarding/retention-d7",
            "42",
            "--date",
            "2026-10-31",
            "--correct",
            "typo",
        ],
        "takes its values from the KPI `growth/d7-retention`",
    );
    // Once a date is corrected, a plain check-in of that date would not count.
    let o = run(
        d,
        &[
            "checkin",
            "growth/d7-retention",
            "40.5",
            "--date",
            "2026-10-31",
            "--correct",
            "survey weights were off",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let corrected = log(d);
    let o = run(
        d,
        &[
            "checkin",
            "growth/d7-retention",
            "40",
            "--date",
            "2026-10-31",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is corrected already") && stderr(&o).contains("--correct REASON"),
        "{}",
        stderr(&o)
    );
    assert_eq!(log(d), corrected);
}

#[test]
fn a_correction_settles_what_a_union_merge_brought_together() {
    let merged = format!(
        "{LOG}  - {{ ref: growth/onboarding/completion, date: 2026-10-26, value: 74, by: bob }}\n"
    );
    let dir = repo(&[
        ("goals/growth/2026-Q4.yaml", GOALS),
        ("goals/checkins.yaml", &merged),
    ]);
    let d = dir.path();
    let (code, v) = check_json(d, &[]);
    assert_eq!(
        (code, codes(&v)),
        (1, vec!["conflicting-checkin".to_owned()])
    );
    let help = v["diagnostics"][0]["help"].as_str().unwrap_or("");
    assert!(help.contains("--correct REASON"), "{help}");
    // `checkin --correct` validates the repository as it would be after the append, so
    // the correction that settles the conflict is accepted; a plain check-in is not.
    let o = run(
        d,
        &[
            "checkin",
            "growth/onboarding/completion",
            "75",
            "--date",
            "2026-10-26",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the goal files are invalid already"),
        "{}",
        stderr(&o)
    );
    let o = run(
        d,
        &[
            "checkin",
            "growth/onboarding/completion",
            "75",
            "--date",
            "2026-10-26",
            "--correct",
            "read different dashboards",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(log(d).starts_with(&merged));
    let (code, v) = check_json(d, &[]);
    assert_eq!((code, codes(&v)), (0, Vec::<String>::new()), "{v:#}");
    assert_eq!(completion(d)["current"], 75);
    let shown = stdout(&run(
        d,
        &[
            "show",
            "growth/onboarding/completion",
            "--as-of",
            "2026-11-15",
        ],
    ));
    assert!(
        shown.contains("↳ corrected from 76% / 74%: read different dashboards"),
        "{shown}"
    );
}

/// `check --base` accepts an appended correction: the base's original check-in is still
/// there, unchanged (the engine compares the history as written, `Checkin::as_written()`).
/// Editing the original is still a rewrite, and its help points at `--correct`.
#[test]
fn check_base_accepts_an_appended_correction() {
    let dir = fixture();
    let d = dir.path();
    git_as(d, "Test", &["init", "-q", "-b", "main"]);
    git_as(d, "Test", &["add", "-A"]);
    git_as(d, "Test", &["commit", "-q", "-m", "base"]);
    let o = run(
        d,
        &[
            "checkin",
            "growth/onboarding/completion",
            "67",
            "--date",
            "2026-10-26",
            "--correct",
            "typo",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (code, v) = check_json(d, &["--base", "main"]);
    assert_eq!((code, codes(&v)), (0, Vec::<String>::new()), "{v:#}");
    // Changing the original is still a rewrite, correction or not.
    let text = log(d).replace("value: 76, by: alice", "value: 75, by: alice");
    std::fs::write(d.join("goals/checkins.yaml"), text).expect("write");
    let (code, v) = check_json(d, &["--base", "main"]);
    assert_eq!(
        (code, codes(&v)),
        (1, vec!["history-rewritten".to_owned()]),
        "{v:#}"
    );
    let help = v["diagnostics"][0]["help"].as_str().unwrap_or_default();
    assert!(help.contains("--correct"), "{help}");
}

/// A correction in `diff` and `log` is shown apart from new check-ins: what the figure was,
/// what it is now and why, in text and JSON.
#[test]
fn diff_and_log_show_a_correction_apart_from_new_checkins() {
    let dir = fixture();
    let d = dir.path();
    git_as(d, "Test", &["init", "-q", "-b", "main"]);
    git_as(d, "Test", &["add", "-A"]);
    git_as(d, "Test", &["commit", "-q", "-m", "base"]);
    let correct = [
        "checkin",
        "growth/onboarding/completion",
        "67",
        "--date",
        "2026-10-26",
        "--correct",
        "typo in the dashboard export",
    ];
    assert_eq!(run(d, &correct).status.code(), Some(0));
    let text = stdout(&run(d, &["diff", "main", "--as-of", "2026-11-15"]));
    assert!(
        text.contains("check-in corrected: 2026-10-26 76 → 67 (typo in the dashboard export)"),
        "{text}"
    );
    assert!(!text.contains("check-in added"), "{text}");
    let o = run(
        d,
        &["diff", "main", "--format", "json", "--as-of", "2026-11-15"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let item = &v["changes"][0];
    assert_eq!(item["checkins_added"], serde_json::json!([]), "{v:#}");
    let c = &item["checkins_corrected"][0];
    assert_eq!(
        (&c["from"]["value"], &c["to"]["value"]),
        (&serde_json::json!(76.0), &serde_json::json!(67.0)),
        "{v:#}"
    );
    assert_eq!(
        c["to"]["correction"], "typo in the dashboard export",
        "{v:#}"
    );

    git_as(
        d,
        "Test",
        &["commit", "-qam", "correct the figure of 26 October"],
    );
    let text = stdout(&run(d, &["log", "growth/onboarding/completion"]));
    assert!(
        text.contains("check-in 2026-10-26 corrected 76 → 67 (typo in the dashboard export)"),
        "{text}"
    );
    let o = run(
        d,
        &["log", "growth/onboarding/completion", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let newest = &v["commits"][0]["changes"][0];
    assert_eq!(newest["checkins_added"], serde_json::json!([]), "{v:#}");
    assert_eq!(
        newest["checkins_corrected"][0]["from"]["value"], 76.0,
        "{v:#}"
    );
    assert_eq!(
        newest["checkins_corrected"][0]["to"]["value"], 67.0,
        "{v:#}"
    );
}

/// Issue 24, item 1: a check-in is compared by content, never by where it is written
/// (SPEC 9). A corrected inline check-in whose lines move (a key result added above it), or
/// a corrected log check-in with a line inserted above it, is neither a rewrite for
/// `check --base` nor a change for `diff`.
#[test]
fn a_corrected_checkin_that_moved_is_not_a_rewrite() {
    const INLINE: &str = "\
team: growth
period: 2026-Q4
objectives:
  - id: onboarding
    title: Make onboarding so good that users don't need support
    key_results:
      - id: activation
        title: Raise activation from 4 to 12
        start: 4
        target: 12
        checkins:
          - { date: 2026-10-20, value: 9, confidence: 0.6, note: from the dashboard }
      - id: completion
        title: Increase onboarding completion rate from 60% to 80%
        start: 60
        target: 80
        unit: \"%\"
";
    let dir = repo(&[
        ("goals/growth/2026-Q4.yaml", INLINE),
        (
            "goals/checkins.yaml",
            &LOG.replace(
                "  - { ref: growth/d7-retention, date: 2026-10-31, value: 41 }\n",
                "",
            ),
        ),
    ]);
    let d = dir.path();
    git_as(d, "Test", &["init", "-q", "-b", "main"]);
    git_as(d, "Test", &["config", "user.name", "Test"]);
    git_as(d, "Test", &["config", "user.email", "test@example.com"]);
    git_as(d, "Test", &["add", "-A"]);
    git_as(d, "Test", &["commit", "-q", "-m", "goals"]);
    for (kr, value, date) in [
        ("activation", "8", "2026-10-20"),
        ("completion", "75", "2026-10-26"),
    ] {
        let reference = format!("growth/onboarding/{kr}");
        let o = run(
            d,
            &[
                "checkin",
                &reference,
                value,
                "--date",
                date,
                "--correct",
                "typo",
                "--commit",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    git_as(d, "Test", &["checkout", "-q", "-b", "feature"]);
    // A key result added above the corrected inline check-in...
    let goals = INLINE.replace(
        "    key_results:\n",
        "    key_results:\n      - id: tickets\n        title: Cut support tickets from 250 to 150\n        start: 250\n        target: 150\n",
    );
    write(d, "goals/growth/2026-Q4.yaml", goals.as_bytes());
    // ...and a line inserted above the corrected log check-in's original.
    let log_text = log(d).replace(
        "checkins:\n",
        "checkins:\n  - { ref: growth/onboarding/tickets, date: 2026-10-05, value: 240 }\n",
    );
    write(d, "goals/checkins.yaml", log_text.as_bytes());
    git_as(d, "Test", &["commit", "-qam", "a key result more"]);

    let (code, v) = check_json(d, &["--base", "main"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(
        !codes(&v).contains(&"history-rewritten".to_owned()),
        "{v:#}"
    );
    let text = stdout(&run(d, &["diff", "main", "--as-of", "2026-11-15"]));
    assert!(!text.contains("check-in changed"), "{text}");
    assert!(!text.contains("9 → 9"), "{text}");
    let o = run(
        d,
        &["diff", "main", "--format", "json", "--as-of", "2026-11-15"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    for item in v["changes"].as_array().expect("changes") {
        assert_eq!(item["checkins_changed"], serde_json::json!([]), "{v:#}");
        assert_eq!(item["checkins_corrected"], serde_json::json!([]), "{v:#}");
    }
    // Content still counts: the inline original edited is a rewrite.
    let edited = goals.replace("value: 9,", "value: 10,");
    write(d, "goals/growth/2026-Q4.yaml", edited.as_bytes());
    let text = stdout(&run(d, &["diff", "main", "--as-of", "2026-11-15"]));
    assert!(
        text.contains("check-in changed: 2026-10-20 value 9"),
        "{text}"
    );
    assert!(text.contains("→ 2026-10-20 value 10"), "{text}");
    let (code, v) = check_json(d, &["--base", "main"]);
    assert_eq!(code, 1, "{v:#}");
    let rewritten: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "history-rewritten")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert_eq!(rewritten.len(), 1, "{v:#}");
    assert!(
        rewritten[0].contains("activation") && rewritten[0].contains("it was: value 9"),
        "{v:#}"
    );
}

/// Issue 24, item 5: a correction made with `checkin --correct` keeps the original's
/// confidence, note and author (SPEC 3.2), so the status it gives and what `show` says do
/// not change silently.
#[test]
fn a_correction_keeps_the_originals_confidence_and_note() {
    let dir = fixture();
    let d = dir.path();
    let text = log(d).replace(
        "value: 76, by: alice",
        "value: 76, confidence: 0.3, note: new FAQ live, by: alice",
    );
    write(d, "goals/checkins.yaml", text.as_bytes());
    let before = completion(d);
    assert_eq!(before["confidence"], 0.3, "{before:#}");
    let o = run(
        d,
        &[
            "checkin",
            "growth/onboarding/completion",
            "67",
            "--date",
            "2026-10-26",
            "--correct",
            "typo",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let after = completion(d);
    assert_eq!(after["current"], 67, "{after:#}");
    assert_eq!(after["confidence"], 0.3, "{after:#}");
    assert_eq!(after["status"], before["status"], "{after:#}");
    let shown = stdout(&run(
        d,
        &[
            "show",
            "growth/onboarding/completion",
            "--as-of",
            "2026-10-30",
        ],
    ));
    assert!(shown.contains("new FAQ live"), "{shown}");
}
