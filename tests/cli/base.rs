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
