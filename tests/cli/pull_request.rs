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
    // It means nothing without a base: a usage error.
    let o = run(d, &["check", "--all-warnings"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));

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

// -- changes to the record -------------------------------------------------------------------

/// `growth` in the closed 2026-Q3: every key result half-way, so everything `missed`.
const GROWTH_Q3: &str = "\
team: growth
period: 2026-Q3
objectives:
  - id: activation
    title: New teams activate
    key_results:
      - id: setup
        title: Setup rate from 20 to 40
        start: 20
        target: 40
        checkins:
          - { date: 2026-09-20, value: 30 }
      - id: invites
        title: Invites from 0 to 10
        start: 0
        target: 10
        checkins:
          - { date: 2026-09-20, value: 5 }
";

fn record_repo() -> tempfile::TempDir {
    committed(&[
        ("goals/growth.yaml", GROWTH),
        ("goals/growth-q3.yaml", GROWTH_Q3),
    ])
}

/// The `code` diagnostics as (line, message).
fn found(v: &Value, code: &str) -> Vec<(u64, String)> {
    v["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|d| d["code"] == code)
                .map(|d| {
                    (
                        d["line"].as_u64().unwrap_or(0),
                        d["message"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_checkin_back_dated_into_a_closed_period_is_a_warning_naming_the_grades() {
    let dir = record_repo();
    let d = dir.path();
    edit(
        d,
        "goals/growth-q3.yaml",
        "          - { date: 2026-09-20, value: 30 }\n",
        "          - { date: 2026-09-20, value: 30 }\n          - { date: 2026-09-28, value: 40 }\n",
    );
    let (code, v) = check_json(d, &["--base", "main"]);
    assert_eq!(code, 0, "{v:#}");
    let got = found(&v, "closed-period-changed");
    assert_eq!(got.len(), 3, "{got:#?}");
    let at = |line: u64| {
        got.iter()
            .find(|(l, _)| *l == line)
            .map(|(_, m)| m.as_str())
            .unwrap_or_else(|| panic!("nothing at line {line}: {got:#?}"))
    };
    assert!(
        at(13).contains("check-in of `growth/activation/setup` dated 2026-09-28")
            && at(13).contains("to 2026-Q3 (closed on 2026-09-30) since main ("),
        "{}",
        at(13)
    );
    assert!(
        at(4).contains("`growth/activation`") && at(4).contains("from missed to achieved"),
        "{}",
        at(4)
    );
    assert!(
        at(7).contains("`growth/activation/setup`") && at(7).contains("from missed to achieved"),
        "{}",
        at(7)
    );
    let d0 = &v["diagnostics"][0];
    assert_eq!(d0["severity"], "warning");
    // Without --base there is nothing to compare with.
    let (_, v) = check_json(d, &[]);
    assert!(found(&v, "closed-period-changed").is_empty());
    // The lint is configurable.
    write(
        d,
        "goalpost.toml",
        b"[lints]\nclosed-period-changed = \"off\"\n",
    );
    let (_, v) = check_json(d, &["--base", "main"]);
    assert!(found(&v, "closed-period-changed").is_empty(), "{v:#}");
}

#[test]
fn a_checkin_into_a_closed_period_that_changes_no_grade_is_still_named() {
    let dir = record_repo();
    let d = dir.path();
    edit(
        d,
        "goals/growth-q3.yaml",
        "          - { date: 2026-09-20, value: 30 }\n",
        "          - { date: 2026-09-20, value: 30 }\n          - { date: 2026-09-25, value: 31 }\n",
    );
    let (_, v) = check_json(d, &["--base", "main"]);
    let got = found(&v, "closed-period-changed");
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].0, 13);
    // A check-in added to the open period is none of this lint's business.
    git(d, &["checkout", "-q", "--", "."]);
    edit(
        d,
        "goals/growth.yaml",
        "          - { date: 2026-10-05, value: 62 }\n",
        "          - { date: 2026-10-05, value: 62 }\n          - { date: 2026-11-14, value: 70 }\n",
    );
    let (_, v) = check_json(d, &["--base", "main"]);
    assert!(found(&v, "closed-period-changed").is_empty(), "{v:#}");
}

#[test]
fn a_closed_periods_grades_changed_by_an_edit_are_named() {
    let dir = record_repo();
    let d = dir.path();
    // A target lowered after the period: `setup` (30 of 20 → 30) and its objective pass.
    edit(d, "goals/growth-q3.yaml", "target: 40", "target: 30");
    let (_, v) = check_json(d, &["--base", "main"]);
    let got = found(&v, "closed-period-changed");
    let lines: Vec<u64> = got.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [4, 7], "{got:#?}");
    assert!(
        got.iter()
            .all(|(_, m)| m.contains("from missed to achieved"))
    );
    // A key result added to the closed period is a new grade there, not a mid-period one.
    git(d, &["checkout", "-q", "--", "."]);
    edit(
        d,
        "goals/growth-q3.yaml",
        "      - id: invites\n",
        "      - { id: docs, title: Docs pages from 0 to 5, start: 0, target: 5 }\n      - id: invites\n",
    );
    let (_, v) = check_json(d, &["--base", "main"]);
    let got = found(&v, "closed-period-changed");
    assert!(
        got.iter().any(|(l, m)| *l == 13
            && m.contains("`growth/activation/docs`")
            && m.contains("missed")),
        "{got:#?}"
    );
    assert!(found(&v, "kr-added-mid-period").is_empty(), "{v:#}");
}

#[test]
fn a_key_result_added_mid_period_is_a_warning() {
    let dir = record_repo();
    let d = dir.path();
    edit(
        d,
        "goals/growth.yaml",
        "      - id: completion\n",
        "      - { id: nps, title: NPS from 20 to 40, start: 20, target: 40 }\n      - id: completion\n",
    );
    let (code, v) = check_json(d, &["--base", "main"]);
    assert_eq!(code, 0, "{v:#}");
    let got = found(&v, "kr-added-mid-period");
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].0, 13);
    assert!(
        got[0].1.contains("`growth/onboarding/nps`") && got[0].1.contains("2026-10-01"),
        "{}",
        got[0].1
    );
    let help = v["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["code"] == "kr-added-mid-period"))
        .map(|d| d["help"].as_str().unwrap_or("").to_owned())
        .unwrap_or_default();
    assert!(
        help.contains("say why in the pull request, or start it next period"),
        "{help}"
    );
    // Within the period's first 14 days it is planning, not a change of plan.
    let o = run(
        d,
        &[
            "check",
            "--base",
            "main",
            "--format",
            "json",
            "--as-of",
            "2026-10-15",
        ],
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(found(&v, "kr-added-mid-period").is_empty(), "{v:#}");
    let o = run(
        d,
        &[
            "check",
            "--base",
            "main",
            "--format",
            "json",
            "--as-of",
            "2026-10-16",
        ],
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(found(&v, "kr-added-mid-period").len(), 1, "{v:#}");
}

#[test]
fn key_results_of_a_file_that_did_not_parse_at_the_base_are_not_new() {
    let broken = GROWTH.replace("title: Onboarding needs no support", "title: [unclosed");
    let dir = committed(&[("goals/growth.yaml", &broken)]);
    let d = dir.path();
    write(d, "goals/growth.yaml", GROWTH.as_bytes());
    let (_, v) = check_json(d, &["--base", "main"]);
    assert!(found(&v, "kr-added-mid-period").is_empty(), "{v:#}");
}

// -- the pull request's comment: `diff --format markdown` ------------------------------------

#[test]
fn diff_markdown_calls_out_rewritten_history_and_names_each_items_period() {
    let dir = record_repo();
    let d = dir.path();
    edit(d, "goals/growth.yaml", "value: 240 }", "value: 230 }");
    edit(
        d,
        "goals/growth-q3.yaml",
        "        checkins:\n          - { date: 2026-09-20, value: 5 }\n",
        "",
    );
    edit(
        d,
        "goals/growth.yaml",
        "Completion from",
        "Signup completion from",
    );
    let o = run(
        d,
        &[
            "diff",
            "main",
            "--format",
            "markdown",
            "--as-of",
            "2026-11-15",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = stdout(&o);
    for want in [
        "**⛔ 2 check-ins rewritten** (`history-rewritten`)",
        "- `growth/onboarding/tickets` (2026-Q4): 2026-10-05 value 240 → 2026-10-05 value 230",
        "- `growth/activation/invites` (2026-Q3): 2026-09-20 value 5 removed",
        "| | item | period | what changed | score or value | status |",
        "| `growth/activation/invites` Invites from 0 to 10 | 2026-Q3 |",
        "| `growth/onboarding/completion` Signup completion from 60 to 80 | 2026-Q4 |",
    ] {
        assert!(md.contains(want), "markdown lacks {want:?}:\n{md}");
    }
    // The banner comes before the tables.
    assert!(md.find("⛔") < md.find("### growth"), "{md}");
    // Nothing rewritten, no banner.
    git(d, &["checkout", "-q", "--", "."]);
    let o = run(d, &["diff", "main", "--format", "markdown"]);
    assert!(!stdout(&o).contains("history-rewritten"), "{}", stdout(&o));
}

#[test]
fn a_kpi_checkin_back_dated_into_a_closed_period_that_reads_it_is_named() {
    let q3 = GROWTH_Q3.replace(
        "      - id: invites\n",
        "      - { id: churn, title: Churn from 6 to 4, start: 6, target: 4, kpi: growth/churn }\n      - id: invites\n",
    );
    let kpis = "\
team: growth
kpis:
  - id: churn
    title: Monthly churn
    better: lower
    target: 5
    cadence: monthly
    checkins:
      - { date: 2026-09-01, value: 6 }
";
    let dir = committed(&[("goals/growth-q3.yaml", &q3), ("goals/kpis.yaml", kpis)]);
    let d = dir.path();
    edit(
        d,
        "goals/kpis.yaml",
        "      - { date: 2026-09-01, value: 6 }\n",
        "      - { date: 2026-09-01, value: 6 }\n      - { date: 2026-09-29, value: 4 }\n      - { date: 2026-11-01, value: 4 }\n",
    );
    let (_, v) = check_json(d, &["--base", "main"]);
    let got = found(&v, "closed-period-changed");
    assert!(
        got.iter().any(|(l, m)| *l == 10
            && m.contains("check-in of `growth/churn` dated 2026-09-29")
            && m.contains("(where `growth/activation/churn` reads it)")),
        "{got:#?}"
    );
    // The check-in after the period is not about it; the key result's grade is.
    assert!(
        !got.iter().any(|(_, m)| m.contains("2026-11-01")),
        "{got:#?}"
    );
    assert!(
        got.iter()
            .any(|(_, m)| m.contains("`growth/activation/churn`")
                && m.contains("from missed to achieved")),
        "{got:#?}"
    );
}
