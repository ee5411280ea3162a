//! Git-native behaviour: `--at REV`, `goalpost diff` and `check --base`, on repositories
//! made at test time with the `git` CLI (goalpost itself only uses libgit2).

use crate::common::*;
use serde_json::Value;
use std::path::Path;

/// Runs git in `dir` as `Test <test@example.com>`; returns stdout.
fn git(dir: &Path, args: &[&str]) -> String {
    git_as(dir, "Test", args)
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

/// A git repository on `main` whose first commit holds `files`.
fn git_repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = repo(files);
    git(dir.path(), &["init", "-q", "-b", "main"]);
    commit(dir.path(), "goals");
    dir
}

fn edit(dir: &Path, path: &str, from: &str, to: &str) {
    let full = dir.join(path);
    let text = std::fs::read_to_string(&full).expect("read");
    assert!(text.contains(from), "{path} lacks {from:?}");
    std::fs::write(full, text.replacen(from, to, 1)).expect("write");
}

const COMPANY: &str = "\
team: company
period: 2026-Q4
objectives:
  - id: activation
    title: Teams get value in their first week
    key_results:
      - { id: conversion, title: Trial conversion from 8 to 12, start: 8, target: 12 }
      - { id: activated, title: Activated teams from 120 to 200, start: 120, target: 200 }
      - { id: seats, title: Seats per team from 3 to 5, start: 3, target: 5 }
  - id: retention
    title: Teams stay with us
    key_results:
      - { id: logo-churn, title: Logo churn from 3 to 2, start: 3, target: 2 }
      - { id: expansion, title: Expansion from 100 to 110, start: 100, target: 110 }
";

const GROWTH: &str = "\
team: growth
period: 2026-Q4
objectives:
  - id: onboarding
    title: Onboarding needs no support
    parent: company/activation
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
kpis:
  - id: churn
    title: Monthly churn
    better: lower
    target: 5
    critical: 7
    cadence: monthly
    checkins:
      - { date: 2026-10-31, value: 6.1 }
";

/// The growth goals without the parent link, for repositories without the company file.
fn growth_alone() -> String {
    GROWTH.replace("    parent: company/activation\n", "")
}

fn goals_repo() -> tempfile::TempDir {
    git_repo(&[
        ("goals/company.yaml", COMPANY),
        ("goals/growth.yaml", GROWTH),
    ])
}

const AS_OF: &str = "2026-11-15";

// -- --at REV ---------------------------------------------------------------------------------

#[test]
fn at_reads_the_revision_not_the_dirty_work_tree() {
    let dir = goals_repo();
    let d = dir.path();
    edit(
        d,
        "goals/growth.yaml",
        "Fewer support tickets",
        "Far fewer tickets",
    );
    commit(d, "retitle");
    // The work tree is now dirty and invalid.
    write(d, "goals/growth.yaml", b"team: [unclosed\n");
    assert_eq!(run(d, &["check"]).status.code(), Some(1));
    let o = run(d, &["--at", "HEAD", "check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let old = run(
        d,
        &[
            "--at",
            "HEAD~1",
            "show",
            "growth/onboarding/tickets",
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(old.status.code(), Some(0), "{}", stderr(&old));
    assert!(
        stdout(&old).contains("Fewer support tickets"),
        "{}",
        stdout(&old)
    );
    let new = run(
        d,
        &[
            "--at", "HEAD", "status", "--format", "json", "--as-of", AS_OF,
        ],
    );
    assert!(stdout(&new).contains("Far fewer tickets"));
    let report = run(d, &["--at", "HEAD", "report", "--as-of", AS_OF]);
    assert_eq!(report.status.code(), Some(0), "{}", stderr(&report));
    assert!(stdout(&report).contains("Far fewer tickets"));
}

#[test]
fn at_reads_goalpost_toml_from_the_same_revision() {
    let dir = git_repo(&[
        (
            "goalpost.toml",
            "[periods.fy27-q1]\nstart = 2026-10-01\nend = 2026-12-31\n",
        ),
        (
            "goals/growth.yaml",
            &growth_alone().replace("period: 2026-Q4", "period: fy27-q1"),
        ),
    ]);
    let d = dir.path();
    // The next revision drops the custom period and the file that used it.
    std::fs::write(d.join("goalpost.toml"), "stale_days = 14\n").expect("write");
    std::fs::write(d.join("goals/growth.yaml"), "team: growth\nkpis: []\n").expect("write");
    commit(d, "drop fy27");
    let o = run(
        d,
        &[
            "--at", "HEAD~1", "status", "--format", "json", "--as-of", AS_OF,
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["objectives"][0]["period"], "fy27-q1");
    // The old goal file with the current goalpost.toml would be invalid.
    std::fs::write(
        d.join("goals/growth.yaml"),
        growth_alone().replace("period: 2026-Q4", "period: fy27-q1"),
    )
    .expect("write");
    assert_eq!(run(d, &["check"]).status.code(), Some(1));
}

#[test]
fn at_an_unknown_revision_is_a_usage_error() {
    let dir = goals_repo();
    let o = run(dir.path(), &["--at", "no-such-branch", "check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown revision `no-such-branch`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn at_outside_a_git_repository_exits_3() {
    let dir = repo(&[("goals/growth.yaml", &growth_alone())]);
    let o = run(dir.path(), &["--at", "HEAD", "check"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("not a git repository"),
        "{}",
        stderr(&o)
    );
    let o = run(dir.path(), &["diff"]);
    assert_eq!(o.status.code(), Some(3));
}

#[test]
fn a_missing_object_exits_3_without_a_panic() {
    let dir = goals_repo();
    let d = dir.path();
    let blob = git(d, &["rev-parse", "HEAD:goals/growth.yaml"]);
    let object = d.join(".git/objects").join(&blob[..2]).join(&blob[2..]);
    std::fs::remove_file(&object).expect("the blob is a loose object");
    for args in [
        &["--at", "HEAD", "check"][..],
        &["diff", "HEAD", "--as-of", AS_OF][..],
        &["check", "--base", "HEAD"][..],
    ] {
        let o = run(d, args);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("goals/growth.yaml"), "{}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    }
}

#[test]
fn a_corrupt_object_exits_3_without_a_panic() {
    // Three kinds of damage to the goal file's blob: not zlib at all, valid zlib holding a
    // bad object header, and a truncated file. Also a damaged tree.
    let compress = |bytes: &[u8]| {
        // A stored (uncompressed) deflate block inside a zlib wrapper, so no zlib crate is
        // needed: header, one final stored block, then the Adler-32 checksum.
        let mut out = vec![0x78, 0x01, 0x01];
        let n = bytes.len() as u16;
        out.extend(n.to_le_bytes());
        out.extend((!n).to_le_bytes());
        out.extend(bytes);
        let (mut a, mut b) = (1u32, 0u32);
        for &x in bytes {
            a = (a + u32::from(x)) % 65521;
            b = (b + a) % 65521;
        }
        out.extend(((b << 16) | a).to_be_bytes());
        out
    };
    for (what, damage) in [
        ("garbage", b"this is not zlib data".to_vec()),
        ("bad header", compress(b"blob nonsense\0team: x\n")),
        ("truncated", Vec::new()),
    ] {
        for object in ["HEAD:goals/growth.yaml", "HEAD:goals"] {
            let dir = goals_repo();
            let d = dir.path();
            let id = git(d, &["rev-parse", object]);
            let path = d.join(".git/objects").join(&id[..2]).join(&id[2..]);
            let mut perms = std::fs::metadata(&path)
                .expect("a loose object")
                .permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&path, perms).expect("writable");
            let bytes = if what == "truncated" {
                std::fs::read(&path).expect("read")[..10].to_vec()
            } else {
                damage.clone()
            };
            std::fs::write(&path, bytes).expect("damage the object");
            for args in [
                &["--at", "HEAD", "check"][..],
                &["--at", "HEAD", "status"][..],
                &["diff", "HEAD", "--as-of", AS_OF][..],
                &["check", "--base", "HEAD"][..],
                &["--at", "HEAD", "log", "growth/onboarding"][..],
            ] {
                // libgit2 loops forever on a truncated loose object; goalpost's watchdog
                // ends the run (after 60 s by default, 2 s here).
                let o = std::process::Command::new(bin())
                    .arg("-C")
                    .arg(d)
                    .args(args)
                    .env("GOALPOST_GIT_STALL_SECS", "2")
                    .output()
                    .expect("goalpost runs");
                let err = stderr(&o);
                assert_eq!(o.status.code(), Some(3), "{what} {object} {args:?}: {err}");
                assert!(
                    err.starts_with("error: "),
                    "{what} {object} {args:?}: {err}"
                );
                assert!(!err.contains("panicked"), "{what} {object} {args:?}: {err}");
            }
        }
    }
}

#[test]
fn the_project_may_be_a_subdirectory_of_the_repository() {
    let dir = git_repo(&[
        ("README.md", "a bigger repository\n"),
        ("examples/acme/goalpost.toml", "stale_days = 30\n"),
        ("examples/acme/goals/growth.yaml", &growth_alone()),
        ("goals/other.yaml", "team: [not read\n"),
    ]);
    let project = dir.path().join("examples/acme");
    edit(&project, "goals/growth.yaml", "target: 80", "target: 70");
    let o = run(&project, &["--at", "HEAD", "check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(
        &project,
        &["diff", "HEAD", "--format", "json", "--as-of", AS_OF],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["changes"][0]["ref"], "growth/onboarding/completion");
    let (code, v) = check_json(&project, &["--base", "HEAD"]);
    assert_eq!(code, 0);
    assert!(codes(&v).contains(&"goalpost-moved".to_owned()));
    let moved = v["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["code"] == "goalpost-moved"))
        .expect("a goalpost-moved diagnostic");
    assert_eq!(moved["file"], "goals/growth.yaml");
    // The help offers the honest way: the old target back, the new one as a revision.
    let help = moved["help"].as_str().unwrap_or("");
    assert!(
        help.contains("goalpost revise growth/onboarding/completion --target ")
            && help.contains("put `target: "),
        "{help}"
    );
}

// -- goalpost diff --------------------------------------------------------------------------------

/// `main` with the goals, and a branch `feature` that changes one of everything; `main`
/// then moves on with an unrelated change, so the merge base is not `main`'s tip.
fn feature_repo() -> tempfile::TempDir {
    let dir = goals_repo();
    let d = dir.path();
    git(d, &["checkout", "-q", "-b", "feature"]);
    let g = "goals/growth.yaml";
    edit(d, g, "Fewer support tickets", "Far fewer support tickets");
    edit(
        d,
        g,
        "        start: 250\n",
        "        start: 250\n        weight: 2\n",
    );
    edit(
        d,
        g,
        "          - { date: 2026-10-05, value: 240 }\n",
        "          - { date: 2026-10-05, value: 240 }\n          - { date: 2026-11-10, value: 160, note: FAQ live }\n",
    );
    edit(d, g, "target: 80", "target: 70");
    edit(
        d,
        g,
        "parent: company/activation",
        "parent: company/retention\n    commitment: committed",
    );
    edit(
        d,
        g,
        "kpis:\n",
        "      - { id: nps, title: NPS from 20 to 40, start: 20, target: 40 }\nkpis:\n",
    );
    edit(
        d,
        "goals/company.yaml",
        "      - { id: seats, title: Seats per team from 3 to 5, start: 3, target: 5 }\n",
        "",
    );
    commit(d, "feature");
    git(d, &["checkout", "-q", "main"]);
    edit(
        d,
        "goals/company.yaml",
        "Teams stay with us",
        "Teams stay for years",
    );
    commit(d, "main moves on");
    git(d, &["checkout", "-q", "feature"]);
    dir
}

fn diff_json(d: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["diff", "--format", "json"];
    args.extend_from_slice(extra);
    let o = run(d, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("json")
}

fn change<'v>(v: &'v Value, reference: &str) -> &'v Value {
    v["changes"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["ref"] == reference))
        .unwrap_or_else(|| panic!("{reference} is not listed: {v:#}"))
}

#[test]
fn diff_json_reports_every_kind_of_change() {
    let dir = feature_repo();
    let v = diff_json(dir.path(), &["--as-of", AS_OF]);
    assert_eq!(v["base"], "merge-base(HEAD, main)");
    assert_eq!(v["head"], "work tree");
    assert_eq!(v["head_commit"], Value::Null);
    assert_eq!(v["as_of"], AS_OF);
    // The default base is the merge base: main's later change is not part of the diff.
    assert!(!v.to_string().contains("Teams stay for years"));
    assert!(
        v["changes"]
            .as_array()
            .is_some_and(|a| a.iter().all(|c| c["ref"] != "company/retention"))
    );

    let tickets = change(&v, "growth/onboarding/tickets");
    assert_eq!(tickets["kind"], "key_result");
    assert_eq!(tickets["change"], "modified");
    assert_eq!(
        tickets["title_changed"]["from"],
        "Fewer support tickets from new users"
    );
    assert_eq!(
        tickets["title_changed"]["to"],
        "Far fewer support tickets from new users"
    );
    assert_eq!(tickets["fields"][0]["field"], "weight");
    assert_eq!(tickets["fields"][0]["from"], 1.0);
    assert_eq!(tickets["fields"][0]["to"], 2.0);
    assert_eq!(tickets["checkins_added"][0]["date"], "2026-11-10");
    assert_eq!(tickets["checkins_added"][0]["value"], 160.0);
    assert_eq!(tickets["checkins_added"][0]["note"], "FAQ live");
    let score = &tickets["score"];
    assert!(
        (score["from"].as_f64().unwrap_or(-1.0) - 0.1).abs() < 1e-9,
        "{score}"
    );
    assert!(
        (score["to"].as_f64().unwrap_or(-1.0) - 0.9).abs() < 1e-9,
        "{score}"
    );
    assert_eq!(tickets["status"]["from"], "off_track");
    assert_eq!(tickets["status"]["to"], "on_track");

    let completion = change(&v, "growth/onboarding/completion");
    assert_eq!(completion["moved"][0]["field"], "target");
    assert_eq!(completion["moved"][0]["from"], 80.0);
    assert_eq!(completion["moved"][0]["to"], 70.0);
    assert_eq!(completion["goalpost_moved"], true);

    let onboarding = change(&v, "growth/onboarding");
    assert_eq!(onboarding["kind"], "objective");
    let fields: Vec<&str> = onboarding["fields"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["commitment", "parent"]);
    assert_eq!(onboarding["fields"][1]["to"], "company/retention");

    assert_eq!(change(&v, "growth/onboarding/nps")["change"], "added");
    let seats = change(&v, "company/activation/seats");
    assert_eq!(seats["change"], "removed");
    assert_eq!(seats["status"]["to"], Value::Null);
    assert_eq!(v["summary"]["goalpost_moved"], 1);
    // Unchanged items are not listed.
    assert!(
        v["changes"]
            .as_array()
            .is_some_and(|a| a.iter().all(|c| c["ref"] != "growth/churn"))
    );
}

#[test]
fn a_move_in_a_closed_period_is_listed_but_not_flagged() {
    let dir = feature_repo();
    let v = diff_json(dir.path(), &["--as-of", "2027-02-01"]);
    let completion = change(&v, "growth/onboarding/completion");
    assert_eq!(completion["moved"][0]["to"], 70.0);
    assert_eq!(completion["goalpost_moved"], false);
    assert_eq!(v["summary"]["goalpost_moved"], 0);
    // Before the period starts, too.
    let v = diff_json(dir.path(), &["--as-of", "2026-09-01"]);
    assert_eq!(
        change(&v, "growth/onboarding/completion")["goalpost_moved"],
        false
    );
}

#[test]
fn diff_text_and_markdown() {
    let dir = feature_repo();
    let d = dir.path();
    let o = run(d, &["diff", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    for want in [
        "merge-base(HEAD, main)",
        "→ work tree, as of 2026-11-15",
        "5 items changed: 1 added, 1 removed, 3 modified",
        "~ growth/onboarding/completion",
        "target moved 80 → 70 [goalpost-moved: 2026-Q4 is open]",
        "title \"Fewer support tickets from new users\" → \"Far fewer support tickets from new users\"",
        "weight 1 → 2",
        "commitment aspirational → committed",
        "parent company/activation → company/retention",
        "check-in added: 2026-11-10 value 160, note \"FAQ live\"",
        "score 0.10 → 0.90, value 240 → 160, status off track → on track",
        "+ growth/onboarding/nps",
        "- company/activation/seats",
    ] {
        assert!(text.contains(want), "text lacks {want:?}:\n{text}");
    }
    let o = run(
        d,
        &["diff", "main", "--format", "markdown", "--as-of", AS_OF],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = stdout(&o);
    for want in [
        "## Goal changes: main (",
        "**⚠️ 1 target moved inside an open period** (`goalpost-moved`)",
        "- `growth/onboarding/completion` (2026-Q4): target 80 → 70",
        "### company",
        "### growth",
        "| ➕ | `growth/onboarding/nps`",
        "| ➖ | `company/activation/seats`",
        "| 0.10 → 0.90 | off track → on track |",
        // Against main's tip, main's own later change shows up (reverted on this side).
        "title \"Teams stay for years\" → \"Teams stay with us\"",
    ] {
        assert!(md.contains(want), "markdown lacks {want:?}:\n{md}");
    }
}

#[test]
fn diff_between_two_revisions_ignores_the_work_tree() {
    let dir = feature_repo();
    let d = dir.path();
    write(d, "goals/growth.yaml", b"team: [unclosed\n");
    let v = diff_json(d, &["main", "feature", "--as-of", AS_OF]);
    assert_eq!(v["base"], "main");
    assert_eq!(v["head"], "feature");
    assert!(v["head_commit"].as_str().is_some_and(|c| c.len() == 40));
    assert_eq!(
        change(&v, "growth/onboarding/completion")["goalpost_moved"],
        true
    );
    // Nothing changed between a revision and itself.
    let v = diff_json(d, &["feature", "feature", "--as-of", AS_OF]);
    assert_eq!(v["changes"], serde_json::json!([]));
}

#[test]
fn diff_with_an_invalid_side_says_which() {
    let dir = feature_repo();
    let d = dir.path();
    write(d, "goals/growth.yaml", b"team: [unclosed\n");
    let o = run(d, &["diff", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("yaml-syntax"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("in the head side, the work tree"),
        "{}",
        stderr(&o)
    );
    let o = run(d, &["diff", "no-such-rev"]);
    assert_eq!(o.status.code(), Some(2));
}

// -- check --base -----------------------------------------------------------------------------------

fn diagnostic<'v>(v: &'v Value, code: &str) -> &'v Value {
    v["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["code"] == code))
        .unwrap_or_else(|| panic!("no {code}: {v:#}"))
}

#[test]
fn check_base_rejects_an_edited_checkin() {
    let dir = goals_repo();
    let d = dir.path();
    edit(d, "goals/growth.yaml", "value: 6.1 }", "value: 5.1 }");
    let (code, v) = check_json(d, &["--base", "main"]);
    assert_eq!(code, 1);
    let h = diagnostic(&v, "history-rewritten");
    assert_eq!(h["severity"], "error");
    assert_eq!(h["file"], "goals/growth.yaml");
    assert_eq!(h["line"], 26);
    let msg = h["message"].as_str().unwrap_or("");
    assert!(msg.contains("`growth/churn` on 2026-10-31"), "{msg}");
    assert!(msg.contains("it was: value 6.1"), "{msg}");
    // Without --base there is nothing to compare with.
    let (code, v) = check_json(d, &[]);
    assert_eq!(code, 0);
    assert!(!codes(&v).contains(&"history-rewritten".to_owned()));
}

#[test]
fn check_base_rejects_a_deleted_checkin() {
    let dir = goals_repo();
    let d = dir.path();
    edit(
        d,
        "goals/growth.yaml",
        "        checkins:\n          - { date: 2026-10-05, value: 240 }\n",
        "",
    );
    let (code, v) = check_json(d, &["--base", "HEAD"]);
    assert_eq!(code, 1);
    let h = diagnostic(&v, "history-rewritten");
    assert_eq!(
        (h["file"].as_str(), h["line"].as_u64()),
        (Some("goals/growth.yaml"), Some(8))
    );
    let msg = h["message"].as_str().unwrap_or("");
    assert!(
        msg.contains("`growth/onboarding/tickets` on 2026-10-05 (value 240) was deleted"),
        "{msg}"
    );
    // In GitHub form, too.
    let o = run(
        d,
        &[
            "check", "--base", "HEAD", "--format", "github", "--as-of", AS_OF,
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("::error file=goals/growth.yaml,line=8,"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn check_base_warns_about_a_moved_target_in_an_open_period() {
    let dir = goals_repo();
    let d = dir.path();
    edit(d, "goals/growth.yaml", "target: 80", "target: 70");
    // A new check-in is fine: the history only grows.
    edit(
        d,
        "goals/growth.yaml",
        "      - { date: 2026-10-31, value: 6.1 }\n",
        "      - { date: 2026-10-31, value: 6.1 }\n      - { date: 2026-11-14, value: 5.9 }\n",
    );
    let (code, v) = check_json(d, &["--base", "HEAD"]);
    assert_eq!(code, 0);
    let m = diagnostic(&v, "goalpost-moved");
    assert_eq!(m["severity"], "warning");
    assert_eq!(
        (m["line"].as_u64(), m["column"].as_u64()),
        (Some(17), Some(17))
    );
    assert!(!codes(&v).contains(&"history-rewritten".to_owned()));
    let o = run(
        d,
        &[
            "check",
            "--base",
            "HEAD",
            "--as-of",
            AS_OF,
            "--deny-warnings",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("warning[goalpost-moved]")
            || stderr(&o).contains("error[goalpost-moved]")
    );
    // Not in a closed period.
    let o = run(
        d,
        &[
            "check",
            "--base",
            "HEAD",
            "--format",
            "json",
            "--as-of",
            "2027-02-01",
        ],
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(!codes(&v).contains(&"goalpost-moved".to_owned()));
    // The lint is configurable.
    write(d, "goalpost.toml", b"[lints]\ngoalpost-moved = \"error\"\n");
    let (code, v) = check_json(d, &["--base", "HEAD"]);
    assert_eq!(code, 1);
    assert_eq!(diagnostic(&v, "goalpost-moved")["severity"], "error");
    write(d, "goalpost.toml", b"[lints]\ngoalpost-moved = \"off\"\n");
    let (code, v) = check_json(d, &["--base", "HEAD"]);
    assert_eq!(code, 0);
    assert!(!codes(&v).contains(&"goalpost-moved".to_owned()));
}

#[test]
fn check_base_with_an_unknown_revision_is_a_usage_error() {
    let dir = goals_repo();
    let o = run(dir.path(), &["check", "--base", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown revision `nope`"),
        "{}",
        stderr(&o)
    );
}

// -- shallow clones ------------------------------------------------------------------------------------

#[test]
fn a_shallow_clone_without_the_base_says_to_fetch_history() {
    let origin = goals_repo();
    let first = git(origin.path(), &["rev-parse", "HEAD"]);
    edit(
        origin.path(),
        "goals/growth.yaml",
        "target: 80",
        "target: 70",
    );
    commit(origin.path(), "second");
    let parent = tempfile::tempdir().expect("a temp dir");
    let url = format!("file://{}", origin.path().display());
    git(
        parent.path(),
        &["clone", "-q", "--depth", "1", &url, "clone"],
    );
    let clone = parent.path().join("clone");
    for args in [
        &["check", "--base", first.as_str()][..],
        &["diff", "HEAD~1"][..],
        &["--at", "HEAD~1", "check"][..],
    ] {
        let o = run(&clone, args);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("shallow clone"), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("git fetch --unshallow"),
            "{}",
            stderr(&o)
        );
    }
    // What the clone has is readable.
    let o = run(&clone, &["--at", "HEAD", "check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn without_a_local_main_the_default_branch_is_the_remotes_head() {
    let origin = goals_repo();
    let parent = tempfile::tempdir().expect("a temp dir");
    let url = format!("file://{}", origin.path().display());
    git(parent.path(), &["clone", "-q", &url, "clone"]);
    let clone = parent.path().join("clone");
    git(&clone, &["checkout", "-q", "-b", "feature"]);
    git(&clone, &["branch", "-q", "-D", "main"]);
    edit(&clone, "goals/growth.yaml", "target: 80", "target: 70");
    let v = diff_json(&clone, &["--as-of", AS_OF]);
    assert_eq!(v["base"], "merge-base(HEAD, origin/main)");
    assert_eq!(
        change(&v, "growth/onboarding/completion")["goalpost_moved"],
        true
    );
}
