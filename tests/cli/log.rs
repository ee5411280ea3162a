//! `goalpost log REF` on repositories built commit by commit, and `show`'s blame authors.

use super::common::{git_as, repo, run, stderr, stdout, write};
use std::path::Path;
use std::process::Command;

/// Runs `git` in `dir` with a clean configuration; `who` is the author and committer.
fn git(dir: &Path, who: &str, args: &[&str]) -> String {
    git_as(dir, who, args)
}

/// Commits everything as `who`, dated `date` (noon UTC); returns the short id.
fn commit(dir: &Path, who: &str, date: &str, msg: &str) -> String {
    git(dir, who, &["add", "-A"]);
    let when = format!("{date}T12:00:00+00:00");
    let o = Command::new("git")
        .current_dir(dir)
        .args(["commit", "-q", "-m", msg])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", who)
        .env("GIT_AUTHOR_EMAIL", "someone@example.com")
        .env("GIT_COMMITTER_NAME", who)
        .env("GIT_COMMITTER_EMAIL", "someone@example.com")
        .env("GIT_AUTHOR_DATE", &when)
        .env("GIT_COMMITTER_DATE", &when)
        .output()
        .expect("git runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    git(dir, who, &["rev-parse", "--short=7", "HEAD"])
}

const GOALS: &str = "team: growth
period: 2026-Q4
objectives:
  - id: onboarding
    title: Make onboarding self-serve
    key_results:
      - id: tickets
        title: Reduce weekly support tickets
        start: 250
        target: 150
      - id: completion
        title: Raise onboarding completion
        start: 60
        target: 80
kpis:
  - id: churn
    title: Monthly churn
    better: lower
    target: 5
";

const KR: &str = "growth/onboarding/tickets";

fn append(dir: &Path, path: &str, line: &str) {
    let full = dir.join(path);
    let mut text = std::fs::read_to_string(&full).unwrap_or_else(|_| "checkins:\n".to_owned());
    text.push_str(line);
    text.push('\n');
    write(dir, path, text.as_bytes());
}

fn edit(dir: &Path, path: &str, from: &str, to: &str) {
    let full = dir.join(path);
    let text = std::fs::read_to_string(&full).expect("the file exists");
    assert!(text.contains(from), "{from:?} not in {path}");
    write(dir, path, text.replacen(from, to, 1).as_bytes());
}

/// A history with several authors; returns the repository and the short ids, oldest first.
fn history() -> (tempfile::TempDir, Vec<String>) {
    let dir = repo(&[("goals/growth/2026-Q4.yaml", GOALS)]);
    let d = dir.path();
    git(d, "x", &["init", "-q", "-b", "main"]);
    let mut ids = vec![commit(d, "Alice Example", "2026-10-01", "goals")];
    edit(d, "goals/growth/2026-Q4.yaml", "target: 150", "target: 220");
    ids.push(commit(d, "Bob Builder", "2026-10-10", "move the target"));
    // Another item in the same file.
    edit(d, "goals/growth/2026-Q4.yaml", "target: 80", "target: 85");
    ids.push(commit(d, "Carol Chen", "2026-10-15", "completion"));
    append(
        d,
        "goals/checkins.yaml",
        "  - { ref: growth/onboarding/tickets, date: 2026-11-06, value: 240 }",
    );
    ids.push(commit(d, "Dave Doe", "2026-11-06", "check in"));
    // Another item in the log.
    append(
        d,
        "goals/checkins.yaml",
        "  - { ref: growth/churn, date: 2026-11-07, value: 4.8 }",
    );
    ids.push(commit(d, "Erin Ek", "2026-11-07", "churn"));
    append(
        d,
        "goals/checkins.yaml",
        "  - { ref: growth/onboarding/tickets, date: 2026-11-20, value: 75, confidence: 0.6 }",
    );
    ids.push(commit(d, "Frank Fu", "2026-11-20", "check in"));
    (dir, ids)
}

fn log(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["log"];
    all.extend_from_slice(args);
    let o = run(dir, &all);
    (o.status.code().unwrap_or(-1), stdout(&o), stderr(&o))
}

#[test]
fn a_key_results_moves_and_checkins_newest_first() {
    let (dir, ids) = history();
    let (code, out, err) = log(dir.path(), &[KR]);
    assert_eq!(code, 0, "{err}");
    let want = format!(
        "{}  2026-11-20  Frank Fu       check-in 2026-11-20 = 75 (confidence 0.6)
{}  2026-11-06  Dave Doe       check-in 2026-11-06 = 240
{}  2026-10-10  Bob Builder    target 150 → 220
{}  2026-10-01  Alice Example  created
",
        ids[5], ids[3], ids[1], ids[0]
    );
    assert_eq!(out, want);
    // Carol's and Erin's commits changed other items in the same files.
    assert!(!out.contains(&ids[2]) && !out.contains(&ids[4]), "{out}");
    let (_, out, _) = log(dir.path(), &[KR, "-n", "2"]);
    assert_eq!(out.lines().count(), 2, "{out}");
}

#[test]
fn a_kpi_with_checkins_in_a_log() {
    let (dir, ids) = history();
    let d = dir.path();
    append(
        d,
        "goals/checkins.yaml",
        "  - { ref: growth/churn, date: 2026-11-21, value: 5.2, note: price change }",
    );
    let last = commit(d, "Gina Gray", "2026-11-21", "churn");
    let (code, out, err) = log(d, &["growth/churn"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "{last}  2026-11-21  Gina Gray      check-in 2026-11-21 = 5.2 — price change
{}  2026-11-07  Erin Ek        check-in 2026-11-07 = 4.8
{}  2026-10-01  Alice Example  created
",
            ids[4], ids[0]
        )
    );
}

#[test]
fn title_changes_removed_and_changed_checkins() {
    let (dir, ids) = history();
    let d = dir.path();
    edit(
        d,
        "goals/growth/2026-Q4.yaml",
        "title: Reduce weekly support tickets",
        "title: Halve weekly support tickets",
    );
    let retitle = commit(d, "Hana Ho", "2026-11-22", "title");
    edit(d, "goals/checkins.yaml", "value: 240 }", "value: 242 }");
    let fix = commit(d, "Ivan Ito", "2026-11-23", "fix a value");
    edit(
        d,
        "goals/checkins.yaml",
        "  - { ref: growth/onboarding/tickets, date: 2026-11-20, value: 75, confidence: 0.6 }\n",
        "",
    );
    let removed = commit(d, "Jo Jones", "2026-11-24", "remove");
    let (code, out, err) = log(d, &[KR, "-n", "3"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "{removed}  2026-11-24  Jo Jones  check-in 2026-11-20 removed
{fix}  2026-11-23  Ivan Ito  check-in 2026-11-06 changed 240 → 242
{retitle}  2026-11-22  Hana Ho   title \"Reduce weekly support tickets\" → \"Halve weekly support tickets\"
"
        )
    );
    // The objective's log names its key results' changes, not check-ins.
    let (code, out, _) = log(d, &["growth/onboarding"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[0].starts_with(&retitle) && lines[0].contains("key result tickets: title"));
    assert!(
        lines[1].starts_with(&ids[2])
            && lines[1].ends_with("key result completion: target 80 → 85")
    );
}

#[test]
fn json_lists_commits_with_their_typed_changes() {
    let (dir, ids) = history();
    let (code, out, err) = log(dir.path(), &[KR, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    // An object that starts with its format version (SPEC 7), commits under a key.
    assert!(out.starts_with("{\n  \"format_version\": 1,"), "{out}");
    assert_eq!(v["ref"], KR);
    assert_eq!(v["kind"], "key_result");
    let a = v["commits"].as_array().expect("an array");
    assert_eq!(a.len(), 4);
    assert!(a[0]["commit"].as_str().unwrap().starts_with(&ids[5]));
    assert_eq!(a[0]["commit"].as_str().unwrap().len(), 40);
    assert_eq!(a[0]["author"], "Frank Fu");
    assert_eq!(a[0]["email"], "someone@example.com");
    assert_eq!(a[0]["date"], "2026-11-20");
    assert_eq!(a[0]["time"], "2026-11-20T12:00:00+00:00");
    // Typed changes, not prose.
    let c = &a[0]["changes"][0];
    assert_eq!(c["ref"], KR);
    assert_eq!(c["change"], "modified");
    assert_eq!(
        c["checkins_added"],
        serde_json::json!([{"date": "2026-11-20", "value": 75.0, "done": null, "confidence": 0.6, "note": null, "by": null, "correction": null}])
    );
    assert_eq!(
        a[2]["changes"][0]["fields"],
        serde_json::json!([{"field": "target", "from": 150.0, "to": 220.0}])
    );
    assert_eq!(a[3]["changes"][0]["change"], "added");
    // Nothing committed: no commits, still an object.
    let plain = repo(&[("goals/growth/2026-Q4.yaml", GOALS)]);
    git(plain.path(), "x", &["init", "-q", "-b", "main"]);
    let (code, out, _) = log(plain.path(), &[KR, "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["commits"], serde_json::json!([]));
}

#[test]
fn a_merged_log_lists_each_checkin_once() {
    let (dir, _) = history();
    let d = dir.path();
    write(
        d,
        ".gitattributes",
        b"goals/**/checkins*.yaml merge=union\n",
    );
    commit(d, "Alice Example", "2026-11-21", "attributes");
    git(d, "x", &["checkout", "-q", "-b", "side"]);
    append(
        d,
        "goals/checkins.yaml",
        "  - { ref: growth/onboarding/tickets, date: 2026-11-27, value: 70 }",
    );
    let side = commit(d, "Side Person", "2026-11-27", "side");
    git(d, "x", &["checkout", "-q", "main"]);
    append(
        d,
        "goals/checkins.yaml",
        "  - { ref: growth/onboarding/tickets, date: 2026-11-26, value: 72 }",
    );
    let main = commit(d, "Main Person", "2026-11-26", "main");
    git(
        d,
        "Merger",
        &["merge", "-q", "--no-edit", "--no-ff", "side"],
    );
    let text = std::fs::read_to_string(d.join("goals/checkins.yaml")).unwrap();
    assert!(text.contains("2026-11-27") && text.contains("2026-11-26"));
    let (code, out, err) = log(d, &[KR, "-n", "2"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("Merger"), "{out}");
    assert!(
        out.contains(&format!(
            "{side}  2026-11-27  Side Person  check-in 2026-11-27 = 70"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{main}  2026-11-26  Main Person  check-in 2026-11-26 = 72"
        )),
        "{out}"
    );
}

#[test]
fn a_project_below_the_top_of_the_work_tree() {
    let dir = repo(&[
        ("okrs/goalpost.toml", "roots = [\"goals\"]\n"),
        ("okrs/goals/growth/2026-Q4.yaml", GOALS),
        ("README", "hello\n"),
    ]);
    let d = dir.path();
    git(d, "x", &["init", "-q", "-b", "main"]);
    let first = commit(d, "Alice Example", "2026-10-01", "goals");
    edit(
        d,
        "okrs/goals/growth/2026-Q4.yaml",
        "target: 5",
        "target: 4",
    );
    let second = commit(d, "Bob Builder", "2026-10-02", "kpi");
    let (code, out, err) = log(&d.join("okrs"), &["growth/churn"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "{second}  2026-10-02  Bob Builder    target 5 → 4\n{first}  2026-10-01  Alice Example  created\n"
        )
    );
}

#[test]
fn unknown_refs_and_missing_repositories() {
    let (dir, _) = history();
    let (code, _, err) = log(dir.path(), &["growth/onboarding/ticket"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("did you mean `growth/onboarding/tickets`"),
        "{err}"
    );
    let plain = repo(&[("goals/growth/2026-Q4.yaml", GOALS)]);
    let (code, out, err) = log(plain.path(), &[KR]);
    assert_eq!(code, 3, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("not a git repository"), "{err}");
}

/// A goal file's path given where a ref goes (as to `git log`) is told apart, with the
/// items that file defines to pick from; `show` says the same.
#[test]
fn a_file_path_names_the_items_it_defines() {
    let (dir, _) = history();
    for cmd in ["log", "show"] {
        for path in ["goals/growth/2026-Q4.yaml", "./goals/growth/2026-Q4.yaml"] {
            let o = run(dir.path(), &[cmd, path]);
            assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
            let err = stderr(&o);
            assert!(err.contains("is a goal file, not a ref"), "{err}");
            assert!(err.contains("it defines `growth/onboarding`"), "{err}");
        }
    }
    let (code, _, err) = log(dir.path(), &["goals/checkins.yaml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("defines no objective or KPI"), "{err}");
}

#[test]
fn a_shallow_clone_asks_for_more_history() {
    let (dir, ids) = history();
    let clones = tempfile::tempdir().expect("a temp dir");
    let url = format!("file://{}", dir.path().display());
    for depth in ["1", "3"] {
        git(
            clones.path(),
            "x",
            &["clone", "-q", "--depth", depth, &url, depth],
        );
        let (code, out, err) = log(&clones.path().join(depth), &[KR]);
        assert_eq!(code, 3, "depth {depth}: {out}{err}");
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains("shallow clone") && err.contains("git fetch --unshallow"),
            "{err}"
        );
    }
    // Enough history for what was asked: no error.
    let (code, out, err) = log(&clones.path().join("3"), &[KR, "-n", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(&ids[5]), "{out}");
}

#[test]
fn show_names_checkin_authors_from_blame() {
    let (dir, _) = history();
    let d = dir.path();
    append(
        d,
        "goals/checkins.yaml",
        "  - { ref: growth/onboarding/tickets, date: 2026-11-21, value: 74, by: zoe }",
    );
    commit(d, "Gina Gray", "2026-11-21", "by zoe");
    append(
        d,
        "goals/checkins.yaml",
        "  - { ref: growth/onboarding/tickets, date: 2026-11-22, value: 73 }",
    );
    let o = run(d, &["show", KR, "--as-of", "2026-11-25"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let line = |date: &str| {
        out.lines()
            .find(|l| l.trim_start().starts_with(date))
            .unwrap_or_else(|| panic!("no {date} in {out}"))
            .to_owned()
    };
    assert!(line("2026-11-06").ends_with("by Dave Doe (git)"), "{out}");
    assert!(line("2026-11-20").ends_with("by Frank Fu (git)"), "{out}");
    assert!(line("2026-11-21").ends_with("by zoe"), "{out}");
    assert!(!line("2026-11-22").contains("by "), "not committed: {out}");
    // Outside a repository: no authors, no error.
    let plain = repo(&[
        ("goals/growth/2026-Q4.yaml", GOALS),
        (
            "goals/checkins.yaml",
            "checkins:\n  - { ref: growth/onboarding/tickets, date: 2026-11-06, value: 240 }\n",
        ),
    ]);
    let o = run(plain.path(), &["show", KR, "--as-of", "2026-11-25"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains(" by "), "{}", stdout(&o));
}
