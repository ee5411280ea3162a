//! Shared helpers: run the real binary in temporary repositories.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_goalpost"))
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The date tests pin the clock to (`GOALPOST_TODAY`): the test data is written around it,
/// so a check-in dated after it is a `future-checkin` and a default `--as-of` is this date,
/// whatever day the tests run on.
pub const TODAY: &str = "2026-11-30";

/// Runs goalpost with `args` in `dir`, no colour, a fixed environment (today is [`TODAY`]).
pub fn run(dir: &Path, args: &[&str]) -> Output {
    command(dir, args)
        .env("GOALPOST_TODAY", TODAY)
        .output()
        .expect("the goalpost binary runs")
}

/// The command [`run`] runs, without a pinned clock, for tests of the clock itself.
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(bin());
    c.arg("-C")
        .arg(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("GOALPOST_TODAY");
    c
}

/// A temporary repository holding `files` (path, contents).
pub fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    for (path, text) in files {
        write(dir.path(), path, text.as_bytes());
    }
    dir
}

pub fn write(dir: &Path, path: &str, bytes: &[u8]) {
    let full = dir.join(path);
    std::fs::create_dir_all(full.parent().expect("a parent")).expect("mkdir");
    std::fs::write(full, bytes).expect("write");
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The parsed `check --format json` document.
pub fn check_json(dir: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["check", "--format", "json", "--as-of", "2026-11-15"];
    args.extend_from_slice(extra);
    let o = run(dir, &args);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON from check: {e}\nstdout: {}\nstderr: {}",
            stdout(&o),
            stderr(&o)
        )
    });
    (o.status.code().unwrap_or(-1), v)
}

/// The codes in a check JSON document.
pub fn codes(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| d["code"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Runs git in `dir` as `who` (author and committer, `who@example.com` with spaces as dots),
/// with no machine or user configuration; returns stdout, trimmed.
pub fn git_as(dir: &Path, who: &str, args: &[&str]) -> String {
    let email = format!("{}@example.com", who.to_lowercase().replace(' ', "."));
    let o = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", who)
        .env("GIT_AUTHOR_EMAIL", &email)
        .env("GIT_COMMITTER_NAME", who)
        .env("GIT_COMMITTER_EMAIL", &email)
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

/// A copy of examples/acme with the history `examples/history.py` gives it (deterministic:
/// the same commits every time), in `DIR/acme-history` of the returned directory.
pub fn acme_with_history() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = Command::new("python3")
        .arg(root().join("examples/history.py"))
        .arg(root().join("examples/acme"))
        .arg(dir.path().join("acme-history"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("python3 runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dir
}

/// `git mktree` of `listing` (lines `MODE TYPE ID\tNAME`) in `dir`; the tree's id.
pub fn mktree(dir: &Path, listing: &str) -> String {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = Command::new("git")
        .current_dir(dir)
        .arg("mktree")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("git runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(listing.as_bytes())
        .expect("feed mktree");
    let o = child.wait_with_output().expect("git mktree");
    assert!(o.status.success(), "git mktree failed");
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}
