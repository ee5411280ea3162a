//! No lost writes (SPEC 10): `checkin` and a log changed by another program, file modes,
//! read-only logs, `--commit` in the middle of a merge or with signing required, CR line
//! endings.

use super::*;

const GOALS: &str =
    "team: growth\nkpis:\n  - id: churn\n    title: Churn\n    better: lower\n    target: 5\n";

/// goalpost with git configuration isolated from the machine's.
fn isolated(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(bin());
    c.arg("-C").arg(dir).args(args);
    c.env("NO_COLOR", "1")
        .env("HOME", dir.join(".home"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("CLICOLOR_FORCE");
    for v in [
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "GIT_DIR",
        "GIT_WORK_TREE",
    ] {
        c.env_remove(v);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

fn log_of(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("goals/checkins.yaml")).expect("the log")
}

/// Temporary files a checkin writes next to the log.
fn temps(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("goals"))
        .expect("goals/")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        })
        .count()
}

#[test]
fn checkin_retries_when_another_program_changes_the_log_before_the_rename() {
    let r = repo(&[("goals/a.yaml", GOALS), ("goals/checkins.yaml", LOG)]);
    let d = r.path();
    let child = isolated(
        d,
        &["checkin", "growth/churn", "4", "--date", "2026-11-20"],
        &[("GOALPOST_TEST_PAUSE_BEFORE_RENAME_MS", "1500")],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("spawn goalpost");
    let deadline = Instant::now() + Duration::from_secs(60);
    while temps(d) == 0 {
        assert!(
            Instant::now() < deadline,
            "the writer never wrote its temp file"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    // An editor (or `git pull`) saves the log meanwhile.
    let edited = format!("{LOG}  - {{ ref: growth/churn, date: 2026-10-15, value: 5.5 }}\n");
    std::fs::write(d.join("goals/checkins.yaml"), &edited).expect("edit");
    let o = child.wait_with_output().expect("the writer ends");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let log = log_of(d);
    assert!(
        log.starts_with(&edited),
        "the other program's edit was lost:\n{log}"
    );
    assert!(
        log.ends_with("  - { ref: growth/churn, date: 2026-11-20, value: 4 }\n"),
        "{log}"
    );
    assert_eq!(temps(d), 0);
}

#[cfg(unix)]
#[test]
fn checkin_keeps_the_log_mode_and_refuses_a_read_only_log() {
    use std::os::unix::fs::PermissionsExt;
    let r = repo(&[("goals/a.yaml", GOALS), ("goals/checkins.yaml", LOG)]);
    let d = r.path();
    let log = d.join("goals/checkins.yaml");
    let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o7777;
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let o = run(d, &["checkin", "growth/churn", "4", "--date", "2026-11-20"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(mode(&log), 0o755);

    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let before = log_of(d);
    let o = run(d, &["checkin", "growth/churn", "3", "--date", "2026-11-21"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("read-only"), "{}", stderr(&o));
    assert_eq!(log_of(d), before);
    assert_eq!(mode(&log), 0o444);
}

/// A repository on `main` with the goals committed and an identity configured.
fn committed() -> tempfile::TempDir {
    let r = repo(&[("goals/a.yaml", GOALS), ("goals/checkins.yaml", LOG)]);
    commit_all(r.path());
    git_as(r.path(), "Test", &["config", "user.name", "Ada"]);
    git_as(
        r.path(),
        "Test",
        &["config", "user.email", "ada@example.com"],
    );
    r
}

#[test]
fn checkin_commit_refuses_during_a_merge_rebase_or_cherry_pick() {
    for (state, what) in [
        ("MERGE_HEAD", "merge"),
        ("CHERRY_PICK_HEAD", "cherry-pick"),
        ("rebase-merge/head-name", "rebase"),
        ("rebase-apply/applying", "rebase"),
    ] {
        let r = committed();
        let d = r.path();
        let head = git_as(d, "Test", &["rev-parse", "HEAD"]);
        write(d, &format!(".git/{state}"), format!("{head}\n").as_bytes());
        let o = isolated(
            d,
            &[
                "checkin",
                "growth/churn",
                "4",
                "--date",
                "2026-11-20",
                "--commit",
            ],
            &[],
        )
        .output()
        .expect("goalpost runs");
        assert_eq!(o.status.code(), Some(3), "{state}: {}", stderr(&o));
        assert!(stderr(&o).contains(what), "{state}: {}", stderr(&o));
        assert_eq!(log_of(d), LOG, "{state}: written anyway");
        assert_eq!(git_as(d, "Test", &["rev-list", "--count", "HEAD"]), "1");
    }
}

#[test]
fn checkin_commit_refuses_when_commits_must_be_signed() {
    let r = committed();
    let d = r.path();
    git_as(d, "Test", &["config", "commit.gpgsign", "true"]);
    let o = isolated(
        d,
        &[
            "checkin",
            "growth/churn",
            "4",
            "--date",
            "2026-11-20",
            "--commit",
        ],
        &[],
    )
    .output()
    .expect("goalpost runs");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("commit.gpgsign"), "{}", stderr(&o));
    assert_eq!(log_of(d), LOG);
    assert_eq!(git_as(d, "Test", &["rev-list", "--count", "HEAD"]), "1");
}

#[test]
fn a_log_with_cr_line_endings_that_check_accepts_takes_checkins() {
    let cr = LOG.replace('\n', "\r");
    let r = repo(&[("goals/a.yaml", GOALS), ("goals/checkins.yaml", &cr)]);
    let d = r.path();
    let o = run(d, &["check", "--as-of", "2026-11-25"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(d, &["checkin", "growth/churn", "4", "--date", "2026-11-20"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        log_of(d),
        format!("{cr}  - {{ ref: growth/churn, date: 2026-11-20, value: 4 }}\r")
    );
    let o = run(d, &["status", "--format", "json", "--as-of", "2026-11-25"]);
    assert!(stdout(&o).contains("\"value\": 4"), "{}", stdout(&o));
}

#[test]
fn checkin_commit_refuses_while_the_index_is_locked() {
    let r = committed();
    let d = r.path();
    // Another git process (an IDE's background `git status`) holds the index.
    write(d, ".git/index.lock", b"");
    let args = [
        "checkin",
        "growth/churn",
        "4",
        "--date",
        "2026-11-20",
        "--commit",
    ];
    let o = isolated(d, &args, &[]).output().expect("goalpost runs");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("index.lock"), "{}", stderr(&o));
    assert!(stderr(&o).contains("nothing was written"), "{}", stderr(&o));
    assert_eq!(log_of(d), LOG, "written anyway");
    assert_eq!(git_as(d, "Test", &["rev-list", "--count", "HEAD"]), "1");
    // Once the other process is done, the same check-in is committed and staged.
    std::fs::remove_file(d.join(".git/index.lock")).expect("unlock");
    let o = isolated(d, &args, &[]).output().expect("goalpost runs");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(git_as(d, "Test", &["rev-list", "--count", "HEAD"]), "2");
    assert_eq!(git_as(d, "Test", &["status", "--porcelain"]), "");
}

#[test]
fn checkin_commit_says_what_it_did_when_the_index_is_locked_after_the_write() {
    let r = committed();
    let d = r.path();
    let child = isolated(
        d,
        &[
            "checkin",
            "growth/churn",
            "4",
            "--date",
            "2026-11-20",
            "--commit",
        ],
        &[("GOALPOST_TEST_PAUSE_BEFORE_RENAME_MS", "1500")],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("spawn goalpost");
    let deadline = Instant::now() + Duration::from_secs(60);
    while temps(d) == 0 {
        assert!(
            Instant::now() < deadline,
            "the writer never wrote its temp file"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    // Another git process takes the index after the checks and before the commit.
    write(d, ".git/index.lock", b"");
    let o = child.wait_with_output().expect("the writer ends");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("appended to the log, but neither staged nor committed"),
        "{}",
        stderr(&o)
    );
    assert!(log_of(d).ends_with("value: 4 }\n"), "{}", log_of(d));
    // What it says is what happened: no commit, nothing staged, the line is in the log.
    assert_eq!(git_as(d, "Test", &["rev-list", "--count", "HEAD"]), "1");
    std::fs::remove_file(d.join(".git/index.lock")).expect("unlock");
    assert_eq!(
        git_as(d, "Test", &["status", "--porcelain"]),
        "M goals/checkins.yaml"
    );
}

#[test]
fn checkin_commit_reads_the_git_configuration_the_way_git_does() {
    const SIGN: &str = "[commit]\n\tgpgsign = true\n";
    let checkin = |d: &Path, env: &[(&str, &str)], system: bool| {
        let mut c = isolated(
            d,
            &[
                "checkin",
                "growth/churn",
                "4",
                "--date",
                "2026-11-20",
                "--commit",
            ],
            env,
        );
        if system {
            c.env_remove("GIT_CONFIG_NOSYSTEM");
        }
        c.output().expect("goalpost runs")
    };
    let outside = tempfile::tempdir().expect("a temp dir");
    let signing = outside.path().join("signing.gitconfig");
    std::fs::write(&signing, SIGN).expect("write");
    let signing = signing.to_str().expect("a UTF-8 path");
    // Each of these asks git to sign, so `--commit` must refuse before writing.
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], bool);
    let refused: &[Case] = &[
        (
            "GIT_CONFIG_COUNT",
            &[
                ("GIT_CONFIG_COUNT", "2"),
                ("GIT_CONFIG_KEY_0", "core.abbrev"),
                ("GIT_CONFIG_VALUE_0", "9"),
                ("GIT_CONFIG_KEY_1", "commit.gpgSign"),
                ("GIT_CONFIG_VALUE_1", "true"),
            ],
            false,
        ),
        (
            "GIT_CONFIG_GLOBAL",
            &[("GIT_CONFIG_GLOBAL", signing)],
            false,
        ),
        ("GIT_CONFIG_SYSTEM", &[("GIT_CONFIG_SYSTEM", signing)], true),
    ];
    for (what, env, system) in refused {
        let r = committed();
        let d = r.path();
        let o = checkin(d, env, *system);
        assert_eq!(o.status.code(), Some(3), "{what}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("commit.gpgsign"),
            "{what}: {}",
            stderr(&o)
        );
        assert_eq!(log_of(d), LOG, "{what}: written anyway");
        assert_eq!(git_as(d, "Test", &["rev-list", "--count", "HEAD"]), "1");
    }
    // A value git cannot read as a boolean counts as set (git itself refuses to commit).
    let r = committed();
    let d = r.path();
    git_as(d, "Test", &["config", "commit.gpgsign", "maybe"]);
    let o = checkin(d, &[], false);
    assert_eq!(o.status.code(), Some(3), "maybe: {}", stderr(&o));
    assert!(stderr(&o).contains("commit.gpgsign"), "{}", stderr(&o));
    assert_eq!(log_of(d), LOG, "maybe: written anyway");

    // And where git would not sign, goalpost commits: GIT_CONFIG_COUNT overrides the
    // repository's own setting and gives the identity; GIT_CONFIG_NOSYSTEM hides the system
    // file; GIT_CONFIG_GLOBAL replaces ~/.gitconfig.
    let r = committed();
    let d = r.path();
    git_as(d, "Test", &["config", "commit.gpgsign", "true"]);
    std::fs::create_dir_all(d.join(".home")).expect("mkdir");
    std::fs::write(d.join(".home/.gitconfig"), SIGN).expect("write");
    let o = checkin(
        d,
        &[
            ("GIT_CONFIG_SYSTEM", signing),
            ("GIT_CONFIG_COUNT", "3"),
            ("GIT_CONFIG_KEY_0", "commit.gpgsign"),
            ("GIT_CONFIG_VALUE_0", "false"),
            ("GIT_CONFIG_KEY_1", "user.name"),
            ("GIT_CONFIG_VALUE_1", "Grace \"G\" Hopper"),
            ("GIT_CONFIG_KEY_2", "user.email"),
            ("GIT_CONFIG_VALUE_2", "grace@example.com"),
        ],
        false,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        git_as(d, "Test", &["log", "-1", "--format=%an <%ae>|%cn"]),
        "Grace \"G\" Hopper <grace@example.com>|Grace \"G\" Hopper"
    );
}
