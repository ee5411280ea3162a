//! The hooks of `.pre-commit-hooks.yaml`, run by the real pre-commit on staged changes: they
//! run when goal files or goalpost.toml are staged and not for other YAML (a workflow), and the
//! strict hook does not fail a commit for a date-dependent warning about an item it did not
//! touch. The hooks are used as shipped, with `language: system` and the built binary for
//! `goalpost` (`language: rust` would build goalpost from the hook's repository).

use crate::common::*;
use crate::tools;
use std::path::Path;
use std::process::{Command, Output};

/// `.pre-commit-config.yaml` holding the shipped hooks as a local repository.
fn config() -> String {
    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("hooks");
    let bin = bin();
    let mut out = String::from("repos:\n  - repo: local\n    hooks:\n");
    for line in hooks
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let line = line
            .replace("language: rust", "language: system")
            .replace("entry: goalpost ", &format!("entry: {} ", bin.display()));
        out.push_str("      ");
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn pre_commit(tool: &Path, dir: &Path, hook: &str, home: &Path) -> Output {
    Command::new(tool)
        .args(["run", hook])
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", home)
        .env("GOALPOST_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("pre-commit runs")
}

fn text(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

/// An objective with a key result `stale` whose only check-in is long before today, and one
/// `fresh` that the commits check in on.
const GOALS: &str = "team: g\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - id: stale\n        title: Stale\n        start: 0\n        target: 10\n        checkins:\n          - { date: 2026-10-02, value: 1 }\n      - id: fresh\n        title: Fresh\n        start: 0\n        target: 10\n";

#[test]
fn the_hooks_run_for_goal_files_only_and_judge_what_the_commit_changes() {
    let Some(tool) = tools::pre_commit() else {
        return tools::missing(
            "the_hooks_run_for_goal_files_only_and_judge_what_the_commit_changes",
            "pre-commit (PyPI)",
        );
    };
    let home = tempfile::tempdir().expect("a temp dir");
    let r = repo(&[
        ("goals/g.yaml", GOALS),
        (".pre-commit-config.yaml", &config()),
    ]);
    let d = r.path();
    git_as(d, "Test", &["init", "-q", "-b", "main"]);
    git_as(d, "Test", &["add", "-A"]);
    git_as(d, "Test", &["commit", "-q", "-m", "goals"]);
    // The stale key result is a warning for the whole repository.
    let o = run(d, &["check", "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));

    // A staged workflow is not a goal file: neither hook runs, although the goals would
    // fail the strict check of the whole repository.
    write(d, ".github/workflows/ci.yml", b"on: push\njobs: {}\n");
    git_as(d, "Test", &["add", ".github/workflows/ci.yml"]);
    for hook in ["goalpost-check", "goalpost-check-strict"] {
        let o = pre_commit(&tool, d, hook, home.path());
        assert_eq!(o.status.code(), Some(0), "{hook}: {}", text(&o));
        assert!(
            text(&o).contains("(no files to check)Skipped"),
            "{hook}: {}",
            text(&o)
        );
    }
    git_as(d, "Test", &["commit", "-q", "-m", "ci", "--no-verify"]);

    // A check-in on the fresh key result: both hooks run and pass; the stale one is not the
    // commit's doing.
    write(
        d,
        "goals/checkins.yaml",
        b"checkins:\n  - { ref: g/o/fresh, date: 2026-11-28, value: 4 }\n",
    );
    git_as(d, "Test", &["add", "goals/checkins.yaml"]);
    for hook in ["goalpost-check", "goalpost-check-strict"] {
        let o = pre_commit(&tool, d, hook, home.path());
        assert_eq!(o.status.code(), Some(0), "{hook}: {}", text(&o));
        assert!(text(&o).contains("Passed"), "{hook}: {}", text(&o));
    }

    // A broken goal file staged: the hooks run and fail.
    write(d, "goals/g.yaml", b"team: [\n");
    git_as(d, "Test", &["add", "goals/g.yaml"]);
    for hook in ["goalpost-check", "goalpost-check-strict"] {
        let o = pre_commit(&tool, d, hook, home.path());
        assert_eq!(o.status.code(), Some(1), "{hook}: {}", text(&o));
        assert!(text(&o).contains("Failed"), "{hook}: {}", text(&o));
    }
}
