//! `goalpost checkin`: one appended line, refusals that write nothing, the lock under 50
//! concurrent writers, a writer killed mid-write, and `--commit`.

use crate::common::*;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const GOALS: &str = "\
team: growth
period: 2026-Q4
objectives:
  - id: onboarding
    title: Make onboarding so good that users don't need support
    key_results:
      - id: completion
        title: Increase onboarding completion rate from 60% to 80%
        start: 60
        target: 80
        unit: \"%\"
      - id: guide
        title: Interactive setup guide live for all new sign-ups
        kind: milestone
      - id: retention-d7
        title: Day-7 retention of 50% for new cohorts
        start: 38
        target: 50
        kpi: growth/d7-retention
kpis:
  - id: churn
    title: Monthly customer churn
    unit: \"%\"
    better: lower
    target: 5
    critical: 7
  - id: d7-retention
    title: Day-7 retention of new sign-ups
    better: higher
    target: 45
";

/// Hand-written, with comments, odd spacing and no final newline.
const LOG: &str = "\
# Growth check-ins, kept by hand and by `goalpost checkin`.
checkins:   # oldest first
  # October
  - { ref: growth/onboarding/completion, date: 2026-10-12, value: 64 }   # first week
  - {ref: growth/churn,date: 2026-10-31,value: 6.1}";

fn fixture() -> tempfile::TempDir {
    repo(&[
        ("goals/growth/2026-Q4.yaml", GOALS),
        ("goals/checkins.yaml", LOG),
    ])
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).expect("the file is readable")
}

/// goalpost with extra environment variables, and git configuration isolated from the
/// machine's (HOME is the temporary directory's parent-free `home`).
fn goalpost(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    command(dir, args, env)
        .output()
        .expect("the goalpost binary runs")
}

fn command(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(bin());
    c.arg("-C").arg(dir).args(args);
    isolate(&mut c, dir);
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

fn isolate(c: &mut Command, dir: &Path) {
    c.env("NO_COLOR", "1")
        .env("HOME", dir.join(".home"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("EMAIL");
    for v in [
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
    ] {
        c.env_remove(v);
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let mut c = Command::new("git");
    c.current_dir(dir).args(args);
    isolate(&mut c, dir);
    let o = c.output().expect("git runs");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    stdout(&o)
}

/// Files in `goals/` other than goal files and the lock file.
fn litter(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("goals"))
        .expect("goals/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".checkins.yaml.lock")
        .collect();
    names.sort();
    names
}

fn check_ok(dir: &Path) {
    let o = run(dir, &["check", "--as-of", "2026-11-22"]);
    assert_eq!(o.status.code(), Some(0), "check: {}", stderr(&o));
}

#[test]
fn appends_one_line_and_keeps_every_existing_byte() {
    let dir = fixture();
    let o = goalpost(
        dir.path(),
        &[
            "checkin",
            "growth/onboarding/completion",
            "75",
            "--date",
            "2026-11-20",
            "--confidence",
            "0.6",
            "--note",
            "FAQ live: #1 {finally}, \"really\"",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "appended to goals/checkins.yaml: growth/onboarding/completion = 75 (2026-11-20)\n"
    );
    let after = read(dir.path(), "goals/checkins.yaml");
    assert!(after.starts_with(LOG), "{after}");
    assert_eq!(
        &after[LOG.len()..],
        "\n  - { ref: growth/onboarding/completion, date: 2026-11-20, value: 75, confidence: 0.6, note: \"FAQ live: #1 {finally}, \\\"really\\\"\" }\n"
    );
    check_ok(dir.path());
    let o = run(
        dir.path(),
        &["status", "--format", "json", "--as-of", "2026-11-22"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let kr = &v["objectives"][0]["key_results"][0];
    assert_eq!(kr["ref"], "growth/onboarding/completion");
    assert_eq!(kr["current"], 75.0);
    assert_eq!(kr["confidence"], 0.6);
    assert!(litter(dir.path()).is_empty(), "{:?}", litter(dir.path()));
}

#[test]
fn creates_the_log_with_its_header_where_goalpost_toml_says() {
    let dir = repo(&[
        ("goalpost.toml", "checkin_log = \"goals/log/growth.yaml\"\n"),
        ("goals/growth/2026-Q4.yaml", GOALS),
    ]);
    let o = goalpost(
        dir.path(),
        &["checkin", "growth/churn", "6.4", "--date", "2026-11-30"],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "appended to goals/log/growth.yaml: growth/churn = 6.4 (2026-11-30)\n"
    );
    let log = read(dir.path(), "goals/log/growth.yaml");
    assert!(log.starts_with("# Check-in log"), "{log}");
    assert!(log.contains("merge=union"), "{log}");
    assert!(
        log.ends_with("\ncheckins:\n  - { ref: growth/churn, date: 2026-11-30, value: 6.4 }\n"),
        "{log}"
    );
    assert!(!dir.path().join("goals/checkins.yaml").exists());
    check_ok(dir.path());

    // --as-of is the default date; a second check-in goes below the first.
    let o = goalpost(
        dir.path(),
        &["--as-of", "2026-12-31", "checkin", "growth/churn", "6"],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let log2 = read(dir.path(), "goals/log/growth.yaml");
    assert_eq!(
        &log2[log.len()..],
        "  - { ref: growth/churn, date: 2026-12-31, value: 6 }\n"
    );
}

#[test]
fn invalid_checkins_are_refused_and_nothing_is_written() {
    let dir = fixture();
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["growth/onboarding/guide", "1"],
            2,
            "use --done or --not-done instead of a value",
        ),
        (
            &["growth/onboarding/completion", "--done"],
            2,
            "give it as VALUE",
        ),
        (
            &["growth/onboarding/completion", "70", "--date", "2027-01-05"],
            1,
            "error[checkin-outside-period]",
        ),
        (
            &["growth/onboarding/completion", "65", "--date", "2026-10-12"],
            1,
            "error[conflicting-checkin]",
        ),
        (
            &["growth/onboarding/retention-d7", "40"],
            1,
            "error[linked-kr-checkin]",
        ),
        (
            &["growth/churn", "5", "--confidence", "1.5"],
            1,
            "error[out-of-range]",
        ),
        (&["growth/churn", "60%"], 2, "without the percent sign"),
        (
            &["growth/churn", "1,200"],
            2,
            "without thousands separators: `1200`",
        ),
        (&["growth/churn", "4,9"], 2, "decimal point as a dot: `4.9`"),
        (&["growth/churn", "abc"], 2, "`abc` is not a number"),
        (&["growth/churn", "1e400"], 2, "finite"),
        (&["growth/onboarding/guide", "done"], 2, "use --done"),
        (&["growth/churn"], 2, "VALUE"),
        (&["growth/churn", "5", "--done"], 2, "cannot be used with"),
        (&["growth/onboarding", "70"], 2, "is an objective"),
        (
            &["growth/onboarding/completon", "70"],
            2,
            "did you mean `growth/onboarding/completion`",
        ),
    ];
    for (args, code, needle) in cases {
        let mut all = vec!["checkin"];
        all.extend_from_slice(args);
        if !args.contains(&"--date") {
            all.extend_from_slice(&["--date", "2026-11-20"]);
        }
        let o = goalpost(dir.path(), &all, &[]);
        assert_eq!(o.status.code(), Some(*code), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
        assert_eq!(stdout(&o), "", "{args:?}");
        assert_eq!(read(dir.path(), "goals/checkins.yaml"), LOG, "{args:?}");
        assert!(litter(dir.path()).is_empty(), "{args:?}");
    }
    let refused = goalpost(
        dir.path(),
        &[
            "checkin",
            "growth/churn",
            "5",
            "--confidence",
            "1.5",
            "--date",
            "2026-11-20",
        ],
        &[],
    );
    assert!(
        stderr(&refused).contains("goals/checkins.yaml was not changed"),
        "{}",
        stderr(&refused)
    );

    // A log that cannot take a line, and a repository that is already invalid.
    let dir = repo(&[
        ("goals/growth/2026-Q4.yaml", GOALS),
        ("goals/checkins.yaml", "checkins: []\n"),
    ]);
    let o = goalpost(
        dir.path(),
        &["checkin", "growth/churn", "5", "--date", "2026-11-20"],
        &[],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("written inline"), "{}", stderr(&o));
    assert_eq!(read(dir.path(), "goals/checkins.yaml"), "checkins: []\n");
    // A log outside the goal roots would never be read.
    let dir = repo(&[
        ("goalpost.toml", "checkin_log = \"logs/checkins.yaml\"\n"),
        ("goals/growth/2026-Q4.yaml", GOALS),
    ]);
    let o = goalpost(
        dir.path(),
        &["checkin", "growth/churn", "5", "--date", "2026-11-20"],
        &[],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not a goal file below any goal root (goals)"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("logs").exists());
    let broken = GOALS.replace("target: 45", "target: \"45%\"");
    let dir = repo(&[("goals/growth/2026-Q4.yaml", &broken)]);
    let o = goalpost(
        dir.path(),
        &["checkin", "growth/churn", "5", "--date", "2026-11-20"],
        &[],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("error[invalid-type]"), "{}", stderr(&o));
    assert!(stderr(&o).contains("invalid already"), "{}", stderr(&o));
    assert!(!dir.path().join("goals/checkins.yaml").exists());
}

#[test]
fn milestones_take_done_and_not_done() {
    let dir = fixture();
    for (flag, date) in [("--not-done", "2026-10-20"), ("--done", "2026-11-02")] {
        let o = goalpost(
            dir.path(),
            &["checkin", "growth/onboarding/guide", flag, "--date", date],
            &[],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let log = read(dir.path(), "goals/checkins.yaml");
    assert_eq!(
        &log[LOG.len()..],
        "\n  - { ref: growth/onboarding/guide, date: 2026-10-20, done: false }\n  - { ref: growth/onboarding/guide, date: 2026-11-02, done: true }\n"
    );
    let o = run(
        dir.path(),
        &["status", "--format", "json", "--as-of", "2026-11-22"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let kr = &v["objectives"][0]["key_results"][1];
    assert_eq!(kr["ref"], "growth/onboarding/guide");
    assert_eq!(kr["progress"], 1.0);
    assert_eq!(kr["status"], "done");

    // The same check-in again is already recorded: nothing is written.
    let o = goalpost(
        dir.path(),
        &[
            "checkin",
            "growth/onboarding/guide",
            "--done",
            "--date",
            "2026-11-02",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("already recorded"), "{}", stdout(&o));
    assert_eq!(read(dir.path(), "goals/checkins.yaml"), log);
}

/// A value for a milestone, or --done for a metric, is told in the command line's words
/// (--done, VALUE), not in the YAML keys validation would name; nothing is written.
#[test]
fn the_wrong_kind_of_checkin_is_named_in_flags() {
    let dir = fixture();
    let o = goalpost(
        dir.path(),
        &[
            "checkin",
            "growth/onboarding/guide",
            "1",
            "--date",
            "2026-11-02",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--done or --not-done"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("done: true"), "{}", stderr(&o));
    let o = goalpost(
        dir.path(),
        &["checkin", "growth/onboarding/completion", "--done"],
        &[],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("give it as VALUE"), "{}", stderr(&o));
    assert_eq!(read(dir.path(), "goals/checkins.yaml"), LOG);
}

#[test]
fn fifty_concurrent_checkins_all_land() {
    let dir = fixture();
    let start = goalpost::Date::parse("2026-01-01").expect("a date");
    let dates: Vec<String> = (0..50).map(|i| start.add_days(i).to_string()).collect();
    let children: Vec<_> = dates
        .iter()
        .enumerate()
        .map(|(i, date)| {
            let value = format!("{}.5", i);
            command(
                dir.path(),
                &["checkin", "growth/churn", &value, "--date", date],
                &[],
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn goalpost")
        })
        .collect();
    for child in children {
        let o = child.wait_with_output().expect("wait");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    check_ok(dir.path());
    let log = read(dir.path(), "goals/checkins.yaml");
    assert!(log.starts_with(LOG));
    let added: Vec<&str> = log[LOG.len()..].lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(added.len(), 50, "{log}");
    for (i, date) in dates.iter().enumerate() {
        let line = format!("  - {{ ref: growth/churn, date: {date}, value: {i}.5 }}");
        assert_eq!(
            added.iter().filter(|l| **l == line).count(),
            1,
            "{line}\n{log}"
        );
    }
    assert!(litter(dir.path()).is_empty(), "{:?}", litter(dir.path()));
}

#[test]
fn a_writer_killed_mid_write_leaves_the_log_valid() {
    let dir = fixture();
    let mut child = command(
        dir.path(),
        &["checkin", "growth/churn", "6.2", "--date", "2026-11-30"],
        &[("GOALPOST_TEST_PAUSE_BEFORE_RENAME_MS", "60000")],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .expect("spawn goalpost");
    // Wait until it holds the lock and has written its temporary file.
    let deadline = Instant::now() + Duration::from_secs(60);
    while litter(dir.path()).is_empty() {
        assert!(
            Instant::now() < deadline,
            "the writer never wrote its temp file"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("SIGKILL the writer");
    child.wait().expect("reap the writer");
    assert_eq!(read(dir.path(), "goals/checkins.yaml"), LOG);
    check_ok(dir.path());

    // The kernel released the lock: the next writer goes ahead and clears the temp file.
    let started = Instant::now();
    let o = goalpost(
        dir.path(),
        &["checkin", "growth/churn", "6.3", "--date", "2026-11-30"],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(started.elapsed() < Duration::from_secs(8));
    assert_eq!(
        &read(dir.path(), "goals/checkins.yaml")[LOG.len()..],
        "\n  - { ref: growth/churn, date: 2026-11-30, value: 6.3 }\n"
    );
    assert!(litter(dir.path()).is_empty(), "{:?}", litter(dir.path()));
    check_ok(dir.path());
}

fn git_repo() -> tempfile::TempDir {
    let dir = fixture();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["add", "goals"]);
    git(
        d,
        &[
            "-c",
            "user.name=Setup",
            "-c",
            "user.email=setup@example.com",
            "commit",
            "-q",
            "-m",
            "goals",
        ],
    );
    write(d, "NOTES.md", b"staged, not for the check-in commit\n");
    git(d, &["add", "NOTES.md"]);
    dir
}

#[test]
fn commit_records_only_the_log_with_the_users_identity() {
    let dir = git_repo();
    let d = dir.path();
    git(d, &["config", "user.name", "Ada Lovelace"]);
    git(d, &["config", "user.email", "ada@example.com"]);
    let o = goalpost(
        d,
        &[
            "checkin",
            "growth/churn",
            "6.4",
            "--date",
            "2026-11-30",
            "--commit",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let head = git(d, &["rev-parse", "--short=7", "HEAD"]);
    assert_eq!(
        out,
        format!(
            "appended to goals/checkins.yaml: growth/churn = 6.4 (2026-11-30)\ncommitted {head}"
        )
    );
    assert_eq!(
        git(d, &["log", "-1", "--format=%s|%an <%ae>|%cn"]),
        "checkin: growth/churn = 6.4 (2026-11-30)|Ada Lovelace <ada@example.com>|Ada Lovelace\n"
    );
    assert_eq!(
        git(d, &["show", "--name-only", "--format=", "HEAD"]),
        "goals/checkins.yaml\n"
    );
    assert_eq!(git(d, &["rev-list", "--count", "HEAD"]), "2\n");
    // NOTES.md is still staged and uncommitted; the log is clean in index and work tree,
    // and the lock file lives in the git directory, out of `git status`.
    assert_eq!(git(d, &["status", "--porcelain"]), "A  NOTES.md\n");
    assert!(
        d.join(".git/goalpost-checkin-goals-checkins.yaml.lock")
            .is_file()
    );
    assert_eq!(
        git(d, &["show", "HEAD:goals/checkins.yaml"]),
        read(d, "goals/checkins.yaml")
    );
}

#[test]
fn commit_without_an_identity_writes_nothing() {
    let dir = git_repo();
    let d = dir.path();
    let o = goalpost(
        d,
        &[
            "checkin",
            "growth/churn",
            "6.4",
            "--date",
            "2026-11-30",
            "--commit",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("git config --global user.name"),
        "{}",
        stderr(&o)
    );
    assert_eq!(read(d, "goals/checkins.yaml"), LOG);
    assert_eq!(git(d, &["rev-list", "--count", "HEAD"]), "1\n");

    let outside = fixture();
    let o = goalpost(
        outside.path(),
        &[
            "checkin",
            "growth/churn",
            "6.4",
            "--date",
            "2026-11-30",
            "--commit",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not inside a git work tree"),
        "{}",
        stderr(&o)
    );
    assert_eq!(read(outside.path(), "goals/checkins.yaml"), LOG);
}

#[test]
fn commit_works_from_a_subdirectory_project_and_an_unborn_branch() {
    let dir = repo(&[
        ("sub/goalpost.toml", "stale_days = 14\n"),
        ("sub/goals/growth/2026-Q4.yaml", GOALS),
    ]);
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["config", "user.name", "Ada Lovelace"]);
    git(d, &["config", "user.email", "ada@example.com"]);
    git(d, &["add", "sub/goalpost.toml"]);
    let o = goalpost(
        &d.join("sub"),
        &[
            "checkin",
            "growth/churn",
            "4.9",
            "--date",
            "2026-10-31",
            "--commit",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        git(d, &["show", "--name-only", "--format=%s", "HEAD"]),
        "checkin: growth/churn = 4.9 (2026-10-31)\n\nsub/goals/checkins.yaml\n"
    );
    assert_eq!(git(d, &["rev-list", "--count", "HEAD"]), "1\n");
    assert_eq!(
        git(d, &["status", "--porcelain", "--untracked-files=no"]),
        "A  sub/goalpost.toml\n"
    );
}
