//! What `check --base REV` says about a pull request (SPEC 9): practice lints only on the
//! items the change touches (all of them with `--all-warnings`), and the warnings about
//! changes to the record: `closed-period-changed` and `kr-added-mid-period`.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

/// Two objectives of `growth` in 2026-Q4, whose key results are all stale on 2026-11-15
/// (last check-in 2026-10-05), and a team `sales` with one objective.
const GROWTH: &str = "\
team: growth
period: 2026-Q4
objectives:
  - id: onboarding
    title: Onboarding needs no support
    key_results:
      - id: tickets
        title: Fewer support tickets from new users
        start: 250
        target: 150
        checkins:
          - { date: 2026-10-05, value: 240 }
      - id: completion
        title: Completion from 60 to 80
        start: 60
        target: 80
        checkins:
          - { date: 2026-10-05, value: 62 }
";

const SALES: &str = "\
team: sales
period: 2026-Q4
objectives:
  - id: pipeline
    title: A pipeline that fills itself
    key_results:
      - id: leads
        title: Qualified leads from 40 to 80
        start: 40
        target: 80
        checkins:
          - { date: 2026-11-14, value: 50 }
      - id: meetings
        title: Meetings from 10 to 30
        start: 10
        target: 30
        checkins:
          - { date: 2026-11-14, value: 15 }
";

fn git(dir: &Path, args: &[&str]) -> String {
    git_as(dir, "Test", args)
}

/// A repository on `main` whose one commit holds `files`.
fn committed(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = repo(files);
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "base"]);
    dir
}

fn edit(dir: &Path, path: &str, from: &str, to: &str) {
    let full = dir.join(path);
    let text = std::fs::read_to_string(&full).expect("read");
    assert!(text.contains(from), "{path} lacks {from:?}");
    std::fs::write(full, text.replacen(from, to, 1)).expect("write");
}

/// The messages of the diagnostics with `code`.
fn messages(v: &Value, code: &str) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|d| d["code"] == code)
                .map(|d| d["message"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Whether some `code` diagnostic's message names `what`.
fn names(v: &Value, code: &str, what: &str) -> bool {
    messages(v, code).iter().any(|m| m.contains(what))
}

#[test]
fn a_pull_request_is_not_blamed_for_key_results_it_did_not_touch() {
    let dir = committed(&[("goals/growth.yaml", GROWTH), ("goals/sales.yaml", SALES)]);
    let d = dir.path();
    // The change retitles `completion` only; both key results are stale.
    edit(
        d,
        "goals/growth.yaml",
        "Completion from",
        "Signup completion from",
    );
    let (code, all) = check_json(d, &[]);
    assert_eq!(code, 0);
    assert!(
        names(&all, "stale-checkin", "growth/onboarding/tickets"),
        "{all:#}"
    );
    assert!(names(&all, "stale-checkin", "growth/onboarding/completion"));

    let (code, v) = check_json(d, &["--base", "main"]);
    assert_eq!(code, 0);
    assert!(
        names(&v, "stale-checkin", "growth/onboarding/completion"),
        "{v:#}"
    );
    assert!(
        !names(&v, "stale-checkin", "growth/onboarding/tickets"),
        "{v:#}"
    );

    // `--all-warnings` brings every lint back.
    let (_, v) = check_json(d, &["--base", "main", "--all-warnings"]);
    assert_eq!(codes(&v), codes(&all));

    // A check-in added to one key result touches only that one.
    git(d, &["checkout", "-q", "--", "."]);
    edit(
        d,
        "goals/growth.yaml",
        "          - { date: 2026-10-05, value: 62 }\n",
        "          - { date: 2026-10-05, value: 62 }\n          - { date: 2026-10-06, value: 63 }\n",
    );
    let (_, v) = check_json(d, &["--base", "main"]);
    assert!(
        names(&v, "stale-checkin", "growth/onboarding/completion"),
        "{v:#}"
    );
    assert!(
        !names(&v, "stale-checkin", "growth/onboarding/tickets"),
        "{v:#}"
    );

    // Lines moved by an edit elsewhere touch nothing: the content is compared.
    git(d, &["checkout", "-q", "--", "."]);
    edit(
        d,
        "goals/growth.yaml",
        "objectives:\n",
        "# Our goals\n\nobjectives:\n",
    );
    let (_, v) = check_json(d, &["--base", "main"]);
    assert_eq!(messages(&v, "stale-checkin"), Vec::<String>::new(), "{v:#}");
}

#[test]
fn errors_are_always_reported() {
    let dir = committed(&[("goals/growth.yaml", GROWTH), ("goals/sales.yaml", SALES)]);
    let d = dir.path();
    // A lint the team made an error is reported on untouched items too.
    write(d, "goalpost.toml", b"[lints]\nstale-checkin = \"error\"\n");
    edit(d, "goals/sales.yaml", "A pipeline", "The pipeline");
    let (code, v) = check_json(d, &["--base", "main"]);
    assert_eq!(code, 1);
    assert!(
        names(&v, "stale-checkin", "growth/onboarding/tickets"),
        "{v:#}"
    );
}

#[test]
fn a_lint_about_a_teams_period_fires_when_one_of_its_items_is_touched() {
    // Six objectives of `growth` in 2026-Q4: one too many.
    let mut growth = GROWTH.to_owned();
    for n in 1..=5 {
        growth.push_str(&format!(
            "  - id: extra-{n}\n    title: Extra objective {n}\n    key_results:\n      - {{ id: a, title: A from 0 to 1, start: 0, target: 1, checkins: [{{ date: 2026-11-14, value: 0.5 }}] }}\n      - {{ id: b, title: B from 0 to 1, start: 0, target: 1, checkins: [{{ date: 2026-11-14, value: 0.5 }}] }}\n"
        ));
    }
    let dir = committed(&[("goals/growth.yaml", &growth), ("goals/sales.yaml", SALES)]);
    let d = dir.path();
    let (_, v) = check_json(d, &[]);
    assert!(names(&v, "objective-count", "growth"), "{v:#}");

    // A change to another team: not this team's count.
    edit(d, "goals/sales.yaml", "A pipeline", "The pipeline");
    let (_, v) = check_json(d, &["--base", "main"]);
    assert_eq!(
        messages(&v, "objective-count"),
        Vec::<String>::new(),
        "{v:#}"
    );

    // One key result of the team and period touched: the count is reported.
    edit(d, "goals/growth.yaml", "B from 0 to 1", "B from zero to 1");
    let (_, v) = check_json(d, &["--base", "main"]);
    assert!(names(&v, "objective-count", "growth"), "{v:#}");
    // ... but still not the stale key results of another objective.
    assert!(
        !names(&v, "stale-checkin", "growth/onboarding/tickets"),
        "{v:#}"
    );
}
