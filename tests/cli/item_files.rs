//! `show` and `log` about one item read the team's own files (its folder under each root,
//! the check-in log, goalpost.toml, then the folders of the teams those refer to), and the
//! whole repository only when those do not settle it. What they print must not depend on
//! which was read.

use super::common::{root, run, stderr, stdout, write};
use std::path::Path;
use std::process::Command;

/// A 30-team organisation (`benches/gen_org.py`) in a git repository of three commits: the
/// goals, a moved target of `team-0001`, a check-in of `team-0001/obj-0/kr-1` in the log.
fn organisation() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    let o = Command::new("python3")
        .arg(root().join("benches/gen_org.py"))
        .arg("30")
        .arg(dir.path())
        .output()
        .expect("python3 runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Dated commits, so that two such repositories have the same commit ids.
    let git = |args: &[&str], date: &str| {
        let o = Command::new("git")
            .current_dir(dir.path())
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Ada Lovelace")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "Ada Lovelace")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com")
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .expect("git runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    git(&["init", "-q", "-b", "main"], "2026-10-01T09:00:00Z");
    git(&["add", "-A"], "2026-10-01T09:00:00Z");
    git(&["commit", "-q", "-m", "goals"], "2026-10-01T09:00:00Z");
    let q4 = dir.path().join("goals/team-0001/2026-Q4.yaml");
    let text = std::fs::read_to_string(&q4).expect("team-0001's Q4");
    let at = text.find("        target: ").expect("a target") + "        target: ".len();
    let end = at + text[at..].find('\n').expect("a line");
    let moved = format!("{}{}{}", &text[..at], "12345", &text[end..]);
    std::fs::write(&q4, moved).expect("write");
    git(
        &["commit", "-q", "-am", "move a target"],
        "2026-11-02T10:00:00Z",
    );
    let log = dir.path().join("goals/checkins.yaml");
    let mut text = std::fs::read_to_string(&log).expect("the log");
    text.push_str("  - { ref: team-0001/obj-0/kr-1, date: 2026-11-24, value: 77 }\n");
    std::fs::write(&log, text).expect("write");
    git(&["commit", "-q", "-am", "check in"], "2026-11-24T11:00:00Z");
    dir
}

/// What `args` prints and exits with in `dir`.
fn answer(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let o = run(dir, args);
    (o.status.code(), stdout(&o), stderr(&o))
}

const ASKED: &[&[&str]] = &[
    &["show", "team-0001/obj-0/kr-0"],
    &["show", "team-0001/obj-0/kr-1"],
    &["show", "team-0001/obj-2/kr-1", "--since", "2026-10-01"],
    &["show", "team-0001/obj-1"],
    &["show", "team-0002/kpi-2"],
    &["log", "team-0001/obj-0/kr-0"],
    &["log", "team-0001/obj-0/kr-1", "--format", "json"],
    &["log", "team-0001/obj-1"],
    &["log", "team-0002/kpi-2", "-n", "2"],
    &["show", "team-0001/nope"],
    &["log", "team-0001/obj-0/kr-9"],
];

/// Against the same repository with two uncommitted files that send every question to the
/// whole repository: a team-0001 objective whose parent is defined outside any team
/// folder, so the team's own files never validate on their own.
#[test]
fn show_and_log_answer_from_the_teams_files_as_from_the_whole_repository() {
    let org = organisation();
    let whole = organisation();
    write(
        whole.path(),
        "goals/team-0001/zz-extra.yaml",
        b"team: team-0001\nperiod: 2026-Q4\nobjectives:\n  - id: hangs-off-the-shared-umbrella-objective\n    title: Something to hang off a shared objective\n    parent: shared/umbrella\n    key_results:\n      - { id: k, title: Ship the extra thing, kind: milestone }\n",
    );
    write(
        whole.path(),
        "goals/misc/shared.yaml",
        b"team: shared\nperiod: 2026-Q4\nobjectives:\n  - id: umbrella\n    title: An objective teams hang theirs off\n    key_results:\n      - { id: k, title: Ship the umbrella, kind: milestone }\n",
    );
    assert_eq!(run(whole.path(), &["check"]).status.code(), Some(0));
    for args in ASKED {
        assert_eq!(
            answer(org.path(), args),
            answer(whole.path(), args),
            "{args:?}"
        );
    }
    // Something to compare: the questions are answered, with the history in them.
    let (code, out, _) = answer(org.path(), &["log", "team-0001/obj-0/kr-1"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("check-in 2026-11-24 = 77"), "{out}");
}

/// Another team's broken file does not stop a question about this team (only `check`
/// judges the whole repository); a question about that team still reports it.
#[test]
fn another_teams_error_does_not_stop_a_question_about_this_team() {
    let org = organisation();
    let before = answer(org.path(), &["show", "team-0001/obj-0/kr-1"]);
    write(
        org.path(),
        "goals/team-0002/broken.yaml",
        b"team: team-0002\nperiod: 2026-Q4\nobjectives:\n  - id: broken\n    key_results: [\n",
    );
    assert_eq!(
        answer(org.path(), &["show", "team-0001/obj-0/kr-1"]),
        before
    );
    assert_eq!(
        answer(org.path(), &["log", "team-0001/obj-0/kr-1"]).0,
        Some(0)
    );
    assert_eq!(run(org.path(), &["check"]).status.code(), Some(1));
    let (code, _, err) = answer(org.path(), &["show", "team-0002/obj-0/kr-1"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("goals/team-0002/broken.yaml"), "{err}");
}

/// An item whose file is outside its team's folder is found in the whole repository.
#[test]
fn an_item_defined_outside_its_teams_folder_is_found() {
    let org = organisation();
    write(
        org.path(),
        "goals/elsewhere/more.yaml",
        b"team: team-0001\nperiod: 2026-Q4\nobjectives:\n  - id: outside\n    title: Kept in another folder\n    key_results:\n      - { id: k, title: Ship it from elsewhere, kind: milestone }\n",
    );
    let (code, out, err) = answer(org.path(), &["show", "team-0001/outside/k"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("Ship it from elsewhere"), "{out}");
}

/// A check-in in the team's own files that names an item defined nowhere is an error of the
/// files read: it is reported, as before, not passed over as another team's business.
#[test]
fn a_bad_ref_in_the_teams_own_files_is_still_reported() {
    let org = organisation();
    write(
        org.path(),
        "goals/team-0001/more-checkins.yaml",
        b"checkins:\n  - { ref: team-0002/obj-0/no-such-kr, date: 2026-11-02, value: 1 }\n",
    );
    let (code, _, err) = answer(org.path(), &["show", "team-0001/obj-0/kr-1"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("no-such-kr"), "{err}");
    assert_eq!(
        answer(org.path(), &["log", "team-0001/obj-0/kr-1"]).0,
        Some(1)
    );
}
