//! Revisions and drops are history (SPEC 3.4, 9), on real git repositories: `check --base`
//! accepts one appended and rejects one changed or removed (`history-rewritten`), an in-place
//! target edit is still `goalpost-moved`; `diff` and `log` show them as their own kinds of
//! change in every format; `review` lists drops and target history; `rollover` leaves
//! dropped items behind and carries the target in force.

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
        title: Fewer support tickets
        start: 250
        target: 150
        revisions:
          - { date: 2026-10-20, target: 180, reason: the team halved }
        checkins:
          - { date: 2026-10-05, value: 240 }
      - id: completion
        title: Completion from 60 to 80
        start: 60
        target: 80
";

/// [`BASE`] with a second revision of `tickets` and `completion` dropped.
fn appended() -> String {
    BASE.replace(
        "reason: the team halved }\n",
        "reason: the team halved }\n          - { date: 2026-11-10, target: 170, reason: help arrived }\n",
    )
    .replace(
        "        target: 80\n",
        "        target: 80\n        dropped: { date: 2026-11-12, reason: the vendor left }\n",
    )
}

fn committed(text: &str) -> tempfile::TempDir {
    let dir = repo(&[("goals/growth.yaml", text)]);
    let d = dir.path();
    git_as(d, "Test", &["init", "-q", "-b", "main"]);
    git_as(d, "Test", &["add", "-A"]);
    git_as(d, "Test", &["commit", "-q", "-m", "base"]);
    dir
}

fn commit(d: &Path, who: &str, message: &str) {
    git_as(d, who, &["commit", "-q", "-a", "-m", message]);
}

/// The exit code and the diagnostics (code, message) of `check --base main`.
fn check_base(d: &Path) -> (i32, Vec<(String, String)>) {
    let (code, v) = check_json(d, &["--base", "main"]);
    let diags = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|x| {
            (
                x["code"].as_str().unwrap_or("").to_owned(),
                x["message"].as_str().unwrap_or("").to_owned(),
            )
        })
        .filter(|(c, _)| c == "history-rewritten" || c == "goalpost-moved")
        .collect();
    (code, diags)
}

#[test]
fn check_base_accepts_appending_and_rejects_rewriting_revisions_and_drops() {
    let dir = committed(&appended());
    let d = dir.path();
    // Appending (on top of the base that already has both) is fine.
    let more = appended().replace(
        "reason: help arrived }\n",
        "reason: help arrived }\n          - { date: 2026-11-14, start: 245, reason: recounted }\n",
    );
    write(d, "goals/growth.yaml", more.as_bytes());
    assert_eq!(check_base(d), (0, vec![]));
    // The same against a base without them: still an append.
    let fresh = committed(BASE);
    write(fresh.path(), "goals/growth.yaml", appended().as_bytes());
    assert_eq!(check_base(fresh.path()), (0, vec![]));
    // A revision edited in place, a drop redated, each removed: history-rewritten, exit 1.
    for (what, text) in [
        (
            "revision changed",
            appended().replace("target: 180", "target: 175"),
        ),
        (
            "revision removed",
            appended().replace(
                "          - { date: 2026-10-20, target: 180, reason: the team halved }\n",
                "",
            ),
        ),
        (
            "drop changed",
            appended().replace("2026-11-12", "2026-11-13"),
        ),
        (
            "drop removed",
            appended().replace(
                "        dropped: { date: 2026-11-12, reason: the vendor left }\n",
                "",
            ),
        ),
    ] {
        write(d, "goals/growth.yaml", text.as_bytes());
        let (code, diags) = check_base(d);
        assert_eq!(code, 1, "{what}: {diags:?}");
        assert_eq!(diags.len(), 1, "{what}: {diags:?}");
        assert_eq!(diags[0].0, "history-rewritten", "{what}: {diags:?}");
    }
    // A target edited in place is still a moved goalpost (a warning), revisions or not.
    write(
        d,
        "goals/growth.yaml",
        appended().replace("target: 150", "target: 160").as_bytes(),
    );
    let (code, diags) = check_base(d);
    assert_eq!(code, 0, "{diags:?}");
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].0, "goalpost-moved");
    assert!(diags[0].1.contains("moved from 150 to 160"), "{diags:?}");
}

#[test]
fn diff_shows_revisions_and_drops_in_every_format() {
    let dir = committed(BASE);
    let d = dir.path();
    write(d, "goals/growth.yaml", appended().as_bytes());
    let diff = |format: &str| {
        let o = run(
            d,
            &["diff", "main", "--format", format, "--as-of", "2026-11-15"],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let text = diff("text");
    assert!(
        text.contains("revised: target 180 → 170 on 2026-11-10: help arrived"),
        "{text}"
    );
    assert!(
        text.contains("dropped on 2026-11-12: the vendor left"),
        "{text}"
    );
    assert!(!text.contains("goalpost-moved"), "{text}");
    let md = diff("markdown");
    assert!(
        md.contains("revised: target 180 → 170 on 2026-11-10: help arrived"),
        "{md}"
    );
    assert!(
        md.contains("dropped on 2026-11-12: the vendor left"),
        "{md}"
    );
    let v: Value = serde_json::from_str(&diff("json")).expect("JSON");
    let change = |r: &str| {
        v["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .find(|c| c["ref"] == r)
            .unwrap_or_else(|| panic!("{r}: {v:#}"))
            .clone()
    };
    let tickets = change("growth/onboarding/tickets");
    assert_eq!(tickets["goalpost_moved"], false);
    assert_eq!(
        tickets["revisions_added"],
        serde_json::json!([{
            "date": "2026-11-10", "target": 170.0, "start": null, "reason": "help arrived",
            "target_before": 180.0, "start_before": 250.0
        }])
    );
    assert_eq!(
        change("growth/onboarding/completion")["dropped"],
        serde_json::json!({"from": null, "to": {"date": "2026-11-12", "reason": "the vendor left"}})
    );
    // A rewrite is called out in Markdown as history-rewritten.
    write(
        d,
        "goals/growth.yaml",
        BASE.replace("target: 180", "target: 175").as_bytes(),
    );
    let md = diff("markdown");
    assert!(md.contains("rewritten** (`history-rewritten`"), "{md}");
    assert!(md.contains("revision 2026-10-20 target 180: the team halved → 2026-10-20 target 175: the team halved"), "{md}");
}

#[test]
fn log_shows_revisions_and_drops_as_their_own_changes() {
    let dir = committed(BASE);
    let d = dir.path();
    write(d, "goals/growth.yaml", appended().as_bytes());
    commit(d, "Alice", "re-plan");
    let o = run(d, &["log", "growth/onboarding/tickets"]);
    let text = stdout(&o);
    assert!(
        text.contains("Alice  revised: target 180 → 170 on 2026-11-10: help arrived"),
        "{text}{}",
        stderr(&o)
    );
    let o = run(d, &["log", "growth/onboarding/completion"]);
    let text = stdout(&o);
    assert!(
        text.contains("Alice  dropped on 2026-11-12: the vendor left"),
        "{text}{}",
        stderr(&o)
    );
    let o = run(d, &["log", "growth/onboarding/tickets", "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let newest = &v["commits"][0]["changes"][0];
    assert_eq!(newest["revisions_added"][0]["target"], 170.0);
    assert_eq!(newest["revisions_added"][0]["target_before"], 180.0);
    assert_eq!(newest["fields"], serde_json::json!([]));
}

#[test]
fn review_lists_drops_and_target_history_and_rollover_leaves_drops_behind() {
    let q3 = appended()
        .replace("2026-Q4", "2026-Q3")
        .replace("2026-10-", "2026-07-")
        .replace("2026-11-", "2026-08-")
        .replace("value: 240 }", "value: 240, note: slow start }");
    let dir = repo(&[("goals/growth.yaml", q3.as_str())]);
    let d = dir.path();
    let o = run(d, &["review", "2026-Q3"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
    for want in [
        "revised: target 150 → 180 on 2026-07-20: the team halved",
        "revised: target 180 → 170 on 2026-08-10: help arrived",
        "note 2026-07-05: slow start",
        "dropped, not graded: growth/onboarding/completion on 2026-08-12: the vendor left",
    ] {
        assert!(text.contains(want), "{want}:\n{text}");
    }
    let o = run(d, &["review", "2026-Q3", "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(
        v["teams"][0]["dropped"],
        serde_json::json!([{"ref": "growth/onboarding/completion", "date": "2026-08-12", "reason": "the vendor left"}])
    );
    let o = run(d, &["rollover", "2026-Q3", "2026-Q4", "--dry-run"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
    assert!(
        text.contains("# dropped in 2026-Q3, not carried: completion"),
        "{text}"
    );
    assert!(!text.contains("id: completion"), "{text}");
    // From where it ended (240) toward the target in force at the end (170); no revisions.
    assert!(text.contains("start: 240\n        target: 170\n"), "{text}");
    assert!(!text.contains("revisions"), "{text}");
}

#[test]
fn a_merge_lists_a_revision_only_where_it_was_written() {
    let dir = committed(BASE);
    let d = dir.path();
    git_as(d, "Test", &["checkout", "-q", "-b", "replan"]);
    write(
        d,
        "goals/growth.yaml",
        BASE.replace(
            "reason: the team halved }\n",
            "reason: the team halved }\n          - { date: 2026-11-10, target: 170, reason: help arrived }\n",
        )
        .as_bytes(),
    );
    commit(d, "Alice", "re-plan");
    git_as(d, "Test", &["checkout", "-q", "main"]);
    write(
        d,
        "goals/growth.yaml",
        BASE.replace(
            "value: 240 }\n",
            "value: 240 }\n          - { date: 2026-11-06, value: 230 }\n",
        )
        .as_bytes(),
    );
    commit(d, "Bob", "check in");
    git_as(d, "Merger", &["merge", "-q", "--no-edit", "replan"]);
    let o = run(d, &["log", "growth/onboarding/tickets"]);
    let text = stdout(&o);
    assert_eq!(
        text.matches("revised: target 180 → 170").count(),
        1,
        "{text}{}",
        stderr(&o)
    );
    assert!(!text.contains("Merger"), "{text}");
}
