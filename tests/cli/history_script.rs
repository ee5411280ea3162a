//! `examples/history.py` gives examples/acme a dated git history (for `insights`, SPEC 14,
//! and its benchmark): the work tree ends byte-identical to the example, the history has a
//! team's weeks of commits dated around the files' dates, and the result is a valid goal
//! repository.

use crate::common::{run, stderr, stdout};
use crate::tools;
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every file under `dir` but `.git`, by path relative to `dir`, with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).expect("under base").to_path_buf();
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The dates of every `date: YYYY-MM-DD` in the files.
fn file_dates(files: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<Date> {
    let mut dates = Vec::new();
    for bytes in files.values() {
        let text = String::from_utf8_lossy(bytes);
        for (i, _) in text.match_indices("date: ") {
            if let Some(d) = text.get(i + 6..i + 16).and_then(|s| s.parse::<Date>().ok()) {
                dates.push(d);
            }
        }
    }
    dates
}

fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn history_script_replays_acme_into_a_dated_git_history() {
    let Some(python) = tools::python() else {
        return tools::missing(
            "history_script_replays_acme_into_a_dated_git_history",
            "python3 (3.11+)",
        );
    };
    let root = crate::common::root();
    let acme = root.join("examples/acme");
    let tmp = tempfile::tempdir().expect("a temp dir");
    let out = tmp.path().join("acme");
    let o = Command::new(&python)
        .arg(root.join("examples/history.py"))
        .arg(&acme)
        .arg(&out)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("python runs");
    assert!(
        o.status.success(),
        "history.py failed:\n{}{}",
        stdout(&o),
        stderr(&o)
    );

    // The work tree is the example, byte for byte, and it is what HEAD holds.
    let want = tree(&acme);
    let got = tree(&out);
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &want {
        assert!(got[path] == *bytes, "{} differs", path.display());
    }
    assert_eq!(
        git(&out, &["status", "--porcelain"]),
        "",
        "a clean work tree"
    );

    // A history of many commits, each dated (in its author's own offset) around the files' dates.
    let authored = git(&out, &["log", "--format=%ad", "--date=short"]);
    let commits: Vec<Date> = authored
        .lines()
        .map(|l| l.parse().expect("a date"))
        .collect();
    assert!(
        commits.len() > 20,
        "only {} commits:\n{authored}",
        commits.len()
    );
    let dates = file_dates(&want);
    let first = *dates.iter().min().expect("dated lines");
    let last = *dates.iter().max().expect("dated lines");
    let margin = jiff::Span::new().days(40);
    let (low, high) = (
        first.checked_sub(margin).expect("a date"),
        last.checked_add(margin).expect("a date"),
    );
    for d in &commits {
        assert!(
            low < *d && *d < high,
            "commit dated {d} outside {first} − 40 days .. {last} + 40 days"
        );
    }

    // It is a valid goal repository.
    let check = run(&out, &["check"]);
    assert!(
        check.status.success(),
        "goalpost check fails on the history's work tree:\n{}{}",
        stdout(&check),
        stderr(&check)
    );
}
