//! Every output format of every reporting command on the example repository, snapshotted
//! (insta), so that a change in what a person or a program reads shows as a diff in review,
//! and two formats cannot drift apart unnoticed. `diff` and `log` run on a git repository
//! made at test time from the example: a first commit, then a second that moves a target,
//! adds check-ins and renames a title.

use crate::common::*;
use std::path::Path;

const AS_OF: &str = "2026-11-15";

fn snap(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["--as-of", AS_OF];
    all.extend_from_slice(args);
    let o = std::process::Command::new(bin())
        .arg("-C")
        .arg(dir)
        .args(&all)
        .env("NO_COLOR", "1")
        // Today is after the as-of date: the example holds check-ins dated after AS_OF, and a
        // check-in after today would be a `future-checkin`.
        .env("GOALPOST_TODAY", TODAY)
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS")
        .output()
        .expect("goalpost runs");
    format!(
        "exit {}\n--- stdout\n{}--- stderr\n{}",
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn status_in_every_format() {
    let acme = root().join("examples/acme");
    insta::assert_snapshot!("status_table", snap(&acme, &["status"]));
    insta::assert_snapshot!("status_tree", snap(&acme, &["status", "--tree"]));
    insta::assert_snapshot!("status_json", snap(&acme, &["status", "--format", "json"]));
    insta::assert_snapshot!(
        "status_markdown",
        snap(&acme, &["status", "--format", "markdown"])
    );
    insta::assert_snapshot!("status_csv", snap(&acme, &["status", "--format", "csv"]));
}

#[test]
fn digest_in_every_format() {
    let acme = root().join("examples/acme");
    for format in ["text", "markdown", "json", "slack"] {
        insta::assert_snapshot!(
            format!("digest_{format}"),
            snap(&acme, &["digest", "--format", format])
        );
    }
}

#[test]
fn show_of_every_kind() {
    let acme = root().join("examples/acme");
    insta::assert_snapshot!(
        "show_objective",
        snap(&acme, &["show", "growth/onboarding"])
    );
    insta::assert_snapshot!(
        "show_key_result",
        snap(&acme, &["show", "growth/onboarding/completion"])
    );
    insta::assert_snapshot!(
        "show_kpi_linked_key_result",
        snap(&acme, &["show", "growth/onboarding/retention-d7"])
    );
    insta::assert_snapshot!("show_kpi", snap(&acme, &["show", "growth/nps"]));
}

#[test]
fn report_in_every_format() {
    let acme = root().join("examples/acme");
    insta::assert_snapshot!(
        "report_markdown",
        snap(&acme, &["report", "--format", "markdown"])
    );
    // On the example with a history (examples/history.py), so that the insights section the
    // page ends with is the same wherever the tests run (not goalpost's own history).
    let history = acme_with_history();
    insta::assert_snapshot!(
        "report_html",
        snap(
            &history.path().join("acme-history"),
            &["report", "--format", "html"]
        )
    );
}

#[test]
fn review_and_rollover_of_the_closed_quarter() {
    let acme = root().join("examples/acme");
    // As of AS_OF, after 2026-Q3 ended: the review is final, the rollover scores Q3 frozen.
    let run = |args: &[&str]| snap(&acme, args);
    insta::assert_snapshot!("review_text", run(&["review", "2026-Q3"]));
    insta::assert_snapshot!(
        "review_markdown",
        run(&["review", "2026-Q3", "--format", "markdown"])
    );
    insta::assert_snapshot!(
        "review_json",
        run(&["review", "2026-Q3", "--format", "json"])
    );
    insta::assert_snapshot!(
        "rollover_dry_run",
        run(&["rollover", "2026-Q3", "2026-Q4", "--dry-run"])
    );
}

#[test]
fn check_in_every_format() {
    let acme = root().join("examples/acme");
    insta::assert_snapshot!("check_human", snap(&acme, &["check"]));
    insta::assert_snapshot!("check_json", snap(&acme, &["check", "--format", "json"]));
    insta::assert_snapshot!(
        "check_github",
        snap(&acme, &["check", "--format", "github"])
    );
}

/// `git commit` as `who` with `args`, authored and committed at `date`, so that commit ids
/// are the same in every run (a committer date of "now" made them random, and the 1 in 27
/// all-digit short id escaped the redaction).
fn commit_at(dir: &Path, who: &str, args: &[&str], date: &str) {
    let email = format!("{}@example.com", who.to_lowercase().replace(' ', "."));
    let o = std::process::Command::new("git")
        .current_dir(dir)
        .arg("commit")
        .args(args)
        .args(["--date", date])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", who)
        .env("GIT_AUTHOR_EMAIL", &email)
        .env("GIT_COMMITTER_NAME", who)
        .env("GIT_COMMITTER_EMAIL", &email)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git commit {args:?}: {}", stderr(&o));
}

/// A git repository holding the example, with a second commit that changes it.
fn acme_history() -> tempfile::TempDir {
    let d = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("examples/acme"), d.path());
    git_as(d.path(), "Dana Lead", &["init", "-q", "-b", "main"]);
    git_as(d.path(), "Dana Lead", &["add", "-A"]);
    commit_at(
        d.path(),
        "Dana Lead",
        &["-qm", "Acme goals"],
        "2026-10-01T09:00:00Z",
    );
    let edit = |path: &str, from: &str, to: &str| {
        let p = d.path().join(path);
        let text = std::fs::read_to_string(&p).expect("read");
        assert!(text.contains(from), "{path} lacks {from:?}");
        std::fs::write(&p, text.replacen(from, to, 1)).expect("write");
    };
    edit("goals/company/2026-Q4.yaml", "target: 200", "target: 180");
    let log = d.path().join("goals/checkins.yaml");
    let mut text = std::fs::read_to_string(&log).expect("log");
    text.push_str(
        "  - { ref: company/activation/activated-teams, date: 2026-11-14, value: 170, by: dana }\n",
    );
    std::fs::write(&log, text).expect("write log");
    commit_at(
        d.path(),
        "Sam Ops",
        &["-qam", "Mid-quarter update"],
        "2026-11-14T17:00:00Z",
    );
    d
}

#[test]
fn diff_and_log_in_every_format() {
    let d = acme_history();
    let p = d.path();
    let redact = |s: String| {
        // Commit ids change with every run (dates of the second commit): mask them. They are
        // 7, 10 or 40 hex digits long, and may hold no letter (a 10-digit id of only digits
        // comes up about once in a hundred runs); no figure in these outputs has that length.
        let mut out = String::new();
        for word in s.split_inclusive(|c: char| !c.is_ascii_hexdigit()) {
            let hex = word.trim_end_matches(|c: char| !c.is_ascii_hexdigit());
            let id_length = matches!(hex.len(), 7 | 10 | 40);
            if hex.len() >= 7 && (id_length || hex.chars().any(|c| c.is_ascii_alphabetic())) {
                out.push_str(&"x".repeat(hex.len()));
                out.push_str(&word[hex.len()..]);
            } else {
                out.push_str(word);
            }
        }
        out
    };
    for (name, format) in [
        ("diff_text", "text"),
        ("diff_markdown", "markdown"),
        ("diff_json", "json"),
    ] {
        insta::assert_snapshot!(
            name,
            redact(snap(p, &["diff", "HEAD~1", "HEAD", "--format", format]))
        );
    }
    insta::assert_snapshot!(
        "log_text",
        redact(snap(p, &["log", "company/activation/activated-teams"]))
    );
    insta::assert_snapshot!(
        "log_json",
        redact(snap(
            p,
            &[
                "log",
                "company/activation/activated-teams",
                "--format",
                "json"
            ]
        ))
    );
}
