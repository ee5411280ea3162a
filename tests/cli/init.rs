//! `goalpost init` says exactly what it did: which files exist when it refuses (and that
//! nothing was written), and what to do about a workflow it could not complete.

use crate::common::*;

#[test]
fn init_names_each_existing_file_and_writes_nothing() {
    let r = repo(&[("goalpost.toml", "# mine\n")]);
    let o = run(r.path(), &["init"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("`goalpost.toml` already exists in ")
            && err.contains("goalpost init never overwrites a file, so nothing was written"),
        "{err}"
    );
    assert!(!err.contains("created"), "{err}");
    assert!(!r.path().join("goals").exists() && !r.path().join("schema").exists());
    assert_eq!(
        std::fs::read_to_string(r.path().join("goalpost.toml")).expect("kept"),
        "# mine\n"
    );

    // Two files: both named, in one sentence.
    let r = repo(&[
        ("goals/example.yaml", "checkins: []\n"),
        (".github/workflows/goals.yml", "name: mine\n"),
    ]);
    let o = run(r.path(), &["init"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("`goals/example.yaml` and `.github/workflows/goals.yml` already exist in "),
        "{}",
        stderr(&o)
    );
    assert!(!r.path().join("goalpost.toml").exists());
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_counts_as_an_existing_file() {
    let r = repo(&[]);
    std::os::unix::fs::symlink("nowhere", r.path().join("goalpost.toml")).expect("symlink");
    let o = run(r.path(), &["init"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("`goalpost.toml` already exists"),
        "{}",
        stderr(&o)
    );
    assert!(!r.path().join("goals").exists());
}

#[test]
fn a_write_that_fails_midway_says_what_was_written() {
    // `schema` is a file, so schema/… cannot be created, after two files were written.
    let r = repo(&[("schema", "not a directory\n")]);
    let o = run(r.path(), &["init"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("cannot write schema/goalpost.schema.json (")
            && err.contains("already written: goalpost.toml, goals/example.yaml"),
        "{err}"
    );
}
