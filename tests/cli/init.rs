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
fn a_dangling_symlink_is_refused_and_nothing_is_written() {
    let r = repo(&[]);
    std::os::unix::fs::symlink("nowhere", r.path().join("goalpost.toml")).expect("symlink");
    let o = run(r.path(), &["init"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error[symlink-escape]"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("nothing was written"), "{}", stderr(&o));
    assert!(!r.path().join("goals").exists());
}

/// Every path is resolved before the first write, so a file in the way of a directory
/// stops init with nothing written (rather than half a scaffold).
#[test]
fn a_file_in_the_way_stops_init_before_anything_is_written() {
    let r = repo(&[("schema", "not a directory\n")]);
    let o = run(r.path(), &["init"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("cannot create schema/goalpost.schema.json")
            && err.contains("a file is in the way of its directory (nothing was written)"),
        "{err}"
    );
    assert!(!r.path().join("goalpost.toml").exists());
    assert!(!r.path().join("goals").exists());
}
