//! The fixture corpus: `tests/fixtures/valid/*` produce no diagnostic at all;
//! `tests/fixtures/invalid/<code>.*` produce exactly that code; every code has a fixture
//! (except those proven by git-history tests, listed below).

use crate::common::*;
use std::path::Path;

/// Codes whose fixtures need a git history or a filesystem feature git cannot store; each
/// is covered by a named test instead.
const ELSEWHERE: &[(&str, &str)] = &[
    (
        "symlink-escape",
        "check::symlink_leaving_the_repository_is_refused",
    ),
    ("history-rewritten", "git tests (check --base)"),
    (
        "upstream-modified",
        "upstream::a_snapshot_edited_by_hand_is_upstream_modified",
    ),
    (
        "upstream-invalid",
        "upstream::an_upstream_that_does_not_validate_is_refused_and_nothing_is_written",
    ),
    ("goalpost-moved", "git tests (check --base)"),
    (
        "closed-period-changed",
        "pull_request::a_checkin_back_dated_into_a_closed_period_is_a_warning_naming_the_grades",
    ),
    (
        "kr-added-mid-period",
        "pull_request::a_key_result_added_mid_period_is_a_warning",
    ),
];

/// Materialises a fixture as a repository: a file goes to `goals/<name>`, a directory is the
/// repository root.
fn materialise(fixture: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    if fixture.is_dir() {
        copy_dir(fixture, dir.path());
    } else {
        let name = fixture
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(fixture).expect("fixture readable");
        write(dir.path(), &format!("goals/{name}"), &bytes);
    }
    dir
}

fn fixtures(kind: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(root().join("tests/fixtures").join(kind))
        .expect("fixture dir")
        .map(|e| e.expect("entry").path())
        .collect();
    v.sort();
    v
}

fn code_of(p: &Path) -> String {
    let name = p.file_name().expect("name").to_string_lossy().into_owned();
    name.split('.').next().unwrap_or("").to_owned()
}

#[test]
fn valid_fixtures_produce_no_diagnostics() {
    let all = fixtures("valid");
    assert!(all.len() >= 8, "expected the valid corpus");
    for f in all {
        let dir = materialise(&f);
        let (code, v) = check_json(dir.path(), &[]);
        assert_eq!(code, 0, "{}: {v:#}", f.display());
        assert_eq!(
            v["diagnostics"].as_array().map(Vec::len),
            Some(0),
            "{}: {v:#}",
            f.display()
        );
    }
}

#[test]
fn each_invalid_fixture_produces_exactly_its_code() {
    for f in fixtures("invalid") {
        let want = code_of(&f);
        let dir = materialise(&f);
        let o = run(
            dir.path(),
            &["check", "--format", "json", "--as-of", "2026-11-15"],
        );
        let exit = o.status.code();
        if want == "invalid-config" {
            // Configuration problems are usage errors: exit 2, diagnostics on stderr.
            assert_eq!(exit, Some(2), "{}", f.display());
            assert!(
                stderr(&o).contains("error[invalid-config]"),
                "{}: {}",
                f.display(),
                stderr(&o)
            );
            continue;
        }
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        let got = codes(&v);
        assert!(!got.is_empty(), "{}: no diagnostics", f.display());
        assert!(
            got.iter().all(|c| *c == want),
            "{}: want only {want}, got {got:?}\n{v:#}",
            f.display()
        );
        let is_error = goalpost::Code::from_name(&want)
            .expect("a real code")
            .default_severity()
            == goalpost::Severity::Error;
        assert_eq!(exit, Some(if is_error { 1 } else { 0 }), "{}", f.display());
        for d in v["diagnostics"].as_array().expect("array") {
            assert!(d["line"].as_u64().unwrap_or(0) >= 1, "{}: {d}", f.display());
            let file = d["file"].as_str().unwrap_or("");
            // A run-level problem points at goalpost.toml; everything else at a goal file.
            let run_level = want == "no-goal-files" && file == "goalpost.toml";
            assert!(
                file.starts_with("goals/") || run_level,
                "{}: {d}",
                f.display()
            );
        }
    }
}

#[test]
fn every_code_has_a_fixture() {
    let have: Vec<String> = fixtures("invalid").iter().map(|p| code_of(p)).collect();
    for &c in goalpost::Code::ALL {
        let name = c.name();
        if ELSEWHERE.iter().any(|(n, _)| *n == name) {
            continue;
        }
        assert!(
            have.iter().any(|h| h == name),
            "no fixture tests/fixtures/invalid/{name}.yaml"
        );
    }
    for h in &have {
        assert!(
            goalpost::Code::from_name(h).is_some(),
            "fixture {h} names no code"
        );
    }
}

#[test]
fn examples_pass_check() {
    for entry in std::fs::read_dir(root().join("examples")).expect("examples") {
        let p = entry.expect("entry").path();
        if !p.join("goals").is_dir() {
            continue;
        }
        let o = run(&p, &["check", "--as-of", "2026-11-22"]);
        assert_eq!(o.status.code(), Some(0), "{}: {}", p.display(), stderr(&o));
        assert!(
            !stderr(&o).contains("warning["),
            "{}: {}",
            p.display(),
            stderr(&o)
        );
    }
}
