//! The write transaction on real files: the lock, the re-read when another program changes
//! the file, and a refusal that writes nothing. (The command-line tests of `checkin`,
//! `pull` and `rollover` cover the messages, 50 concurrent writers and a killed writer.)

use super::log::{Appended, Log};
use super::*;
use crate::checkin::NewCheckin;
use crate::config::Config;
use crate::date::Date;
use crate::model::Observation;
use std::cell::Cell;
use std::path::Path;

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
      - id: guide
        title: Interactive setup guide live for all new sign-ups
        kind: milestone
";

const LOG: &str =
    "checkins:\n  - { ref: growth/onboarding/completion, date: 2026-10-12, value: 64 }\n";

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::create_dir_all(dir.path().join("goals/growth")).unwrap();
    std::fs::write(dir.path().join("goals/growth/2026-Q4.yaml"), GOALS).unwrap();
    std::fs::write(dir.path().join("goals/checkins.yaml"), LOG).unwrap();
    dir
}

fn read(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("goals/checkins.yaml")).unwrap()
}

fn open(dir: &Path) -> File {
    File::open(dir, "goals/checkins.yaml", "checkin_log", "check in", false).expect("the log opens")
}

#[test]
fn a_held_lock_refuses_the_write_and_decides_nothing() {
    let dir = repo();
    let mut file = open(dir.path());
    file.timeout = std::time::Duration::from_millis(50);
    let _held = store::lock(&file.lock_at, LOCK_TIMEOUT).expect("the lock is free");
    let asked = Cell::new(false);
    let result = file.transact(|_| {
        asked.set(true);
        Ok(Decision::Write("checkins: []\n".to_owned(), ()))
    });
    assert!(
        matches!(result, Err(WriteError::Lock(LockError::Timeout { .. }))),
        "{result:?}"
    );
    assert!(!asked.get());
    assert_eq!(read(dir.path()), LOG);
}

#[test]
fn a_file_changed_between_read_and_write_is_read_again() {
    let dir = repo();
    let file = open(dir.path());
    let other =
        format!("{LOG}  - {{ ref: growth/onboarding/completion, date: 2026-10-19, value: 66 }}\n");
    let mut seen: Vec<String> = Vec::new();
    let written = file
        .transact(|existing| {
            let existing = existing.expect("the log exists").to_owned();
            if seen.is_empty() {
                // Another program writes the log after goalpost read it.
                std::thread::sleep(std::time::Duration::from_millis(20));
                std::fs::write(dir.path().join("goals/checkins.yaml"), &other).unwrap();
            }
            seen.push(existing.clone());
            let text = format!("{existing}# appended\n");
            Ok(Decision::Write(text.clone(), text))
        })
        .expect("the write succeeds on the second reading");
    assert_eq!(seen, [LOG.to_owned(), other.clone()]);
    assert_eq!(written, format!("{other}# appended\n"));
    assert_eq!(read(dir.path()), written);
}

#[test]
fn a_file_that_keeps_changing_is_not_written() {
    let dir = repo();
    let file = open(dir.path());
    let n = Cell::new(0);
    let result = file.transact(|_| {
        n.set(n.get() + 1);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let change = format!("{LOG}# change {}\n", n.get());
        std::fs::write(dir.path().join("goals/checkins.yaml"), change).unwrap();
        Ok(Decision::Write("checkins: []\n".to_owned(), ()))
    });
    assert!(
        matches!(result, Err(WriteError::KeptChanging { .. })),
        "{result:?}"
    );
    assert_eq!(n.get(), ATTEMPTS);
    assert!(read(dir.path()).ends_with(&format!("# change {ATTEMPTS}\n")));
}

fn row(date: &str, obs: Observation) -> NewCheckin {
    NewCheckin {
        reference: "growth/onboarding/completion".to_owned(),
        date: Date::parse(date).unwrap(),
        obs,
        confidence: None,
        note: None,
        by: None,
        correction: None,
    }
}

#[test]
fn a_row_that_would_make_the_repository_invalid_writes_nothing() {
    let dir = repo();
    let log = Log::open(dir.path(), &Config::default(), false).expect("the log opens");
    // `done` on a metric key result is an `invalid-checkin` error.
    let rows = [
        row("2026-10-19", Observation::Value(66.0)),
        row("2026-10-26", Observation::Done(true)),
    ];
    match log.append(&rows).expect("judged") {
        Appended::Refused(r) => {
            let codes: Vec<_> = r.rows.iter().map(|(i, d)| (*i, d.code)).collect();
            assert_eq!(codes, [(1, crate::diag::Code::InvalidCheckin)]);
        }
        _ => panic!("the rows were not refused"),
    }
    assert_eq!(read(dir.path()), LOG);
    // Without the bad row the good one is appended, and a repeat of it is skipped.
    let good = [rows[0].clone()];
    assert!(matches!(log.append(&good), Ok(Appended::Written { .. })));
    assert!(read(dir.path()).ends_with("date: 2026-10-19, value: 66 }\n"));
    assert!(matches!(
        log.append(&good),
        Ok(Appended::Nothing { skipped }) if skipped == [0]
    ));
}

/// A kept load of the repository, its texts given back, as `checkin` makes one.
fn kept(dir: &Path) -> super::log::Kept {
    let tree = crate::load::source::WorkTree::new(dir).expect("the tree opens");
    let mut kept = super::log::Kept::default();
    let mut checked = crate::check::load_keeping(&tree, &mut kept).expect("it loads");
    kept.texts(&mut checked.sources);
    kept
}

/// What a judgement comes to, for comparing two: the rows refused with their codes and
/// lines, the errors at no row, the rows skipped, or the text written.
fn outcome(a: Appended) -> String {
    match a {
        Appended::Refused(r) => format!(
            "refused {:?} {:?}",
            r.rows
                .iter()
                .map(|(i, d)| (*i, d.code, d.span.line, d.message.clone()))
                .collect::<Vec<_>>(),
            r.other.iter().map(|d| d.code).collect::<Vec<_>>()
        ),
        Appended::Nothing { skipped } => format!("nothing {skipped:?}"),
        Appended::Written { text, skipped, .. } => format!("written {skipped:?}\n{text}"),
    }
}

#[test]
fn rows_judged_with_a_kept_load_are_judged_as_with_every_file_read_again() {
    let cases: Vec<Vec<NewCheckin>> = vec![
        vec![row("2026-10-19", Observation::Value(66.0))],
        // `done` on a metric: refused at its row.
        vec![
            row("2026-10-19", Observation::Value(66.0)),
            row("2026-10-26", Observation::Done(true)),
        ],
        // Another value on a date the log has: a conflict, refused.
        vec![row("2026-10-12", Observation::Value(65.0))],
        // The check-in the log has: skipped, then judged again.
        vec![
            row("2026-10-12", Observation::Value(64.0)),
            row("2026-11-02", Observation::Value(70.0)),
        ],
    ];
    // `rows` appended to the logs of `a` (judged with a kept load) and `b` (every file read
    // again): the same outcome, the same log.
    let judged_alike = |a: &tempfile::TempDir, b: &tempfile::TempDir, rows: &[NewCheckin]| {
        let log_a = Log::open(a.path(), &Config::default(), false).expect("the log opens");
        let log_b = Log::open(b.path(), &Config::default(), false).expect("the log opens");
        let with_kept = log_a
            .append_kept(rows, Some(kept(a.path())))
            .expect("judged");
        let without = log_b.append_kept(rows, None).expect("judged");
        assert_eq!(outcome(with_kept), outcome(without));
        assert_eq!(read(a.path()), read(b.path()));
    };
    for rows in cases {
        judged_alike(&repo(), &repo(), &rows);
    }
    // A log that starts with a byte-order mark (the load reads it without), and one with CRLF
    // line breaks: judged alike too, a refused row and then a written one.
    for text in [format!("\u{feff}{LOG}"), LOG.replace('\n', "\r\n")] {
        let (a, b) = (repo(), repo());
        for dir in [&a, &b] {
            std::fs::write(dir.path().join("goals/checkins.yaml"), &text).unwrap();
        }
        let refused = [
            row("2026-10-19", Observation::Value(66.0)),
            row("2026-10-26", Observation::Done(true)),
        ];
        judged_alike(&a, &b, &refused);
        judged_alike(&a, &b, &[row("2026-10-19", Observation::Value(66.0))]);
    }
    // The log changed after the kept load (another run appended a conflicting check-in):
    // the log is judged as it is now, not as the kept load read it.
    let dir = repo();
    let kept = kept(dir.path());
    let other =
        format!("{LOG}  - {{ ref: growth/onboarding/completion, date: 2026-10-19, value: 1 }}\n");
    std::fs::write(dir.path().join("goals/checkins.yaml"), &other).unwrap();
    let log = Log::open(dir.path(), &Config::default(), false).expect("the log opens");
    let rows = [row("2026-10-19", Observation::Value(66.0))];
    match log.append_kept(&rows, Some(kept)).expect("judged") {
        Appended::Refused(r) => {
            let codes: Vec<_> = r.rows.iter().map(|(i, d)| (*i, d.code)).collect();
            assert_eq!(codes, [(0, crate::diag::Code::ConflictingCheckin)]);
        }
        a => panic!("not refused: {}", outcome(a)),
    }
    assert_eq!(read(dir.path()), other);
}

#[test]
fn a_log_no_root_walks_is_refused_before_anything_is_opened() {
    let dir = repo();
    let config = Config {
        checkin_log: "elsewhere/checkins.yaml".to_owned(),
        ..Config::default()
    };
    let result = Log::open(dir.path(), &config, false);
    assert!(matches!(result, Err(WriteError::NotWalked { .. })));
    assert!(!dir.path().join("elsewhere").exists());
}

#[test]
fn a_goal_file_edit_inserts_the_entry_or_writes_nothing() {
    use super::edit::{GoalFile, Recorded};
    use super::insert::Addition;
    let dir = repo();
    let path = "goals/growth/2026-Q4.yaml";
    let file = GoalFile::open(dir.path(), path, "record a drop", false).expect("it opens");
    let drop = |date: &str, reason: &str| Addition::Drop {
        date: Date::parse(date).unwrap(),
        reason: reason.to_owned(),
    };
    // Outside the period: `drop-outside-period`, nothing written.
    match file.record("onboarding", Some("guide"), &drop("2027-01-04", "late")) {
        Ok(Recorded::Refused(after)) => assert!(
            after
                .diags
                .iter()
                .any(|d| d.code == crate::diag::Code::DropOutsidePeriod),
            "{:?}",
            after.diags
        ),
        _ => panic!("not refused"),
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join(path)).unwrap(),
        GOALS
    );
    // An item the file no longer has is a usage error.
    assert!(matches!(
        file.record("onboarding", Some("gone"), &drop("2026-11-02", "r")),
        Err(WriteError::Edit { .. })
    ));
    match file.record(
        "onboarding",
        Some("guide"),
        &drop("2026-11-02", "done elsewhere"),
    ) {
        Ok(Recorded::Written { text, line }) => {
            assert_eq!(
                text,
                format!(
                    "{GOALS}        dropped: {{ date: 2026-11-02, reason: \"done elsewhere\" }}\n"
                )
            );
            assert_eq!(line, 14);
        }
        _ => panic!("not written"),
    }
    assert!(
        std::fs::read_to_string(dir.path().join(path))
            .unwrap()
            .ends_with("elsewhere\" }\n")
    );
}
