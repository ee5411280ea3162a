//! `check --base REV` against a base that has errors: an item that was invalid there was
//! read with placeholder values, and is not compared as if it had been valid.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

const BASE: &str = "\
team: growth
period: 2026-Q4
objectives:
  - id: onboarding
    title: Onboarding needs no support
    key_results:
      - id: tickets
        title: Fewer support tickets from new users
        start: 5
        target: 5
      - id: completion
        title: Completion from 60 to 80
        start: 60
        target: 80
        checkins:
          - { date: 2026-10-05, value: 62 }
";

fn committed(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = repo(files);
    let d = dir.path();
    git_as(d, "Test", &["init", "-q", "-b", "main"]);
    git_as(d, "Test", &["add", "-A"]);
    git_as(d, "Test", &["commit", "-q", "-m", "base"]);
    dir
}

fn check_base(d: &Path) -> (Option<i32>, Value, String) {
    let o = run(
        d,
        &[
            "check",
            "--base",
            "main",
            "--format",
            "json",
            "--as-of",
            "2026-11-15",
        ],
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    (o.status.code(), v, stderr(&o))
}

#[test]
fn items_invalid_at_the_base_are_not_compared_as_if_valid() {
    let dir = committed(&[("goals/growth.yaml", BASE)]);
    let d = dir.path();
    // The fix: a real change for `tickets`. Its base values were placeholders.
    let fixed = BASE
        .replace(
            "start: 5\n        target: 5",
            "start: 250\n        target: 150",
        )
        .replace("target: 80", "target: 70");
    write(d, "goals/growth.yaml", fixed.as_bytes());
    let (code, v, err) = check_base(d);
    assert_eq!(code, Some(0), "{v:#}");
    let moved: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "goalpost-moved")
        .filter_map(|d| d["message"].as_str())
        .collect();
    // The valid key result is still compared; the invalid one is not.
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert!(
        moved[0].contains("`growth/onboarding/completion` moved from 80 to 70"),
        "{moved:?}"
    );
    assert!(
        err.contains("has 1 error")
            && err.contains("not compared: `growth/onboarding/tickets` (invalid there)"),
        "{err}"
    );
    // Check-ins that were read at the base are still protected.
    let rewritten = fixed.replace("value: 62", "value: 65");
    write(d, "goals/growth.yaml", rewritten.as_bytes());
    let (code, v, _) = check_base(d);
    assert_eq!(code, Some(1));
    assert!(codes(&v).contains(&"history-rewritten".to_owned()), "{v:#}");
}

/// Issue 24, item 3: `check --base main` compares against the merge base of `main` and HEAD
/// (SPEC 9), so a branch cut before main gained check-ins is not blamed for "deleting" them;
/// what the branch itself rewrites is still an error.
#[test]
fn the_base_is_the_merge_base_not_the_tip() {
    let log = "checkins:\n  - { ref: growth/onboarding/completion, date: 2026-10-12, value: 64 }\n";
    let dir = committed(&[
        ("goals/growth.yaml", &BASE.replace("target: 5", "target: 9")),
        ("goals/checkins.yaml", log),
    ]);
    let d = dir.path();
    git_as(d, "Test", &["checkout", "-q", "-b", "feature"]);
    git_as(d, "Test", &["checkout", "-q", "main"]);
    // Main gains a week of check-ins after the branch was cut.
    let mut gained = log.to_owned();
    for day in 19..=25 {
        gained.push_str(&format!(
            "  - {{ ref: growth/onboarding/completion, date: 2026-10-{day}, value: {day} }}\n"
        ));
    }
    write(d, "goals/checkins.yaml", gained.as_bytes());
    git_as(d, "Test", &["commit", "-qam", "a week of check-ins"]);
    git_as(d, "Test", &["checkout", "-q", "feature"]);
    let (code, v, err) = check_base(d);
    assert_eq!(code, Some(0), "{v:#}\n{err}");
    assert!(
        !codes(&v).contains(&"history-rewritten".to_owned()),
        "{v:#}"
    );
    // The branch's own rewrite of a check-in the merge base has is still caught, and the
    // message names the base as the merge base.
    write(
        d,
        "goals/checkins.yaml",
        log.replace("value: 64", "value: 65").as_bytes(),
    );
    let (code, v, _) = check_base(d);
    assert_eq!(code, Some(1), "{v:#}");
    let messages: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "history-rewritten")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert_eq!(messages.len(), 1, "{v:#}");
    assert!(
        messages[0].contains("since merge-base(HEAD, main)"),
        "{messages:?}"
    );
}
