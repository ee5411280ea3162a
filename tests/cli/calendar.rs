//! `goalpost calendar` (SPEC 15): the calendar read back by two real RFC 5545 parsers,
//! python's `icalendar` and Mozilla's `ical.js`: the events of open periods only, UIDs
//! stable across runs, a hostile title and a long non-ASCII one round-tripping through
//! escaping and 75-octet folding, `--owner`, and `-o` written atomically, never through a
//! link inside the repository.

use crate::common::*;
use crate::tools;
use serde_json::{Value, json};
use std::path::Path;

/// Q4 2026 open on TODAY (2026-11-30): a milestone due 2026-12-15 checked in 2026-11-28
/// (next check-in 2026-12-05) with a title made to break every format, a metric last
/// checked in 2026-11-10 (overdue: its event is on TODAY) with a long non-ASCII title, a
/// done milestone (no event), a weekly KPI checked in 2026-11-27; and a closed Q3.
const GROWTH: &str = "\
team: growth
period: 2026-Q4
objectives:
  - id: onboarding
    title: Onboarding
    owner: ana
    key_results:
      - id: guide
        title: \"<!channel> & ,;\\\\ and\\na newline\"
        kind: milestone
        due: 2026-12-15
        checkins:
          - { date: 2026-11-28, done: false }
      - id: completion
        title: \"Überprüfung der Einführung — 新しいユーザーのオンボーディングを完了させる 🎯 à la carte\"
        start: 60
        target: 80
        checkins:
          - { date: 2026-11-10, value: 70 }
  - id: shipped
    title: Shipped
    owner: bo
    key_results:
      - id: launch
        title: Launch
        kind: milestone
        due: 2026-11-20
        checkins:
          - { date: 2026-11-19, done: true }
kpis:
  - { id: errors, title: Errors, owner: bo, better: lower, target: 1, checkins: [{ date: 2026-11-27, value: 0 }] }
";

const OLD: &str = "\
team: growth
period: 2026-Q3
objectives:
  - id: old
    title: Old
    owner: ana
    key_results:
      - id: m
        title: M
        kind: milestone
        due: 2026-09-01
";

const HOSTILE: &str = "<!channel> & ,;\\ and\na newline";
const LONG: &str =
    "Überprüfung der Einführung — 新しいユーザーのオンボーディングを完了させる 🎯 à la carte";

fn calendar(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["calendar"];
    all.extend_from_slice(args);
    let o = run(dir, &all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    String::from_utf8(o.stdout).expect("UTF-8")
}

/// (uid, summary, start) of every event, in the order written.
fn expected() -> Value {
    json!([
        [
            "checkin-growth.onboarding.completion-20261130@goalpost",
            format!("Check in: growth/onboarding/completion — {LONG}"),
            "2026-11-30"
        ],
        [
            "checkin-growth.errors-20261204@goalpost",
            "Check in: growth/errors — Errors",
            "2026-12-04"
        ],
        [
            "checkin-growth.onboarding.guide-20261205@goalpost",
            format!("Check in: growth/onboarding/guide — {HOSTILE}"),
            "2026-12-05"
        ],
        [
            "due-growth.onboarding.guide-20261215@goalpost",
            format!("Due: growth/onboarding/guide — {HOSTILE}"),
            "2026-12-15"
        ],
        [
            "period-end-2026-Q4-20261231@goalpost",
            "2026-Q4 ends: review",
            "2026-12-31"
        ],
    ])
}

/// The events as python's icalendar reads them, failing on any parse error it records.
fn python_events(ics: &Path) -> Option<Value> {
    let python = tools::python_with(&["icalendar"])?;
    let script = r#"
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
errors = [e for c in cal.walk() for e in c.errors]
assert not errors, errors
assert str(cal["VERSION"]) == "2.0"
out = []
for e in cal.walk("VEVENT"):
    start = e.decoded("DTSTART")
    assert type(start).__name__ == "date", type(start)
    assert e.decoded("DTSTAMP").isoformat() == "2026-11-30T00:00:00+00:00"
    out.append([str(e["UID"]), str(e["SUMMARY"]), start.isoformat()])
print(json.dumps(out))
"#;
    let o = std::process::Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(ics)
        .output()
        .expect("python runs");
    assert!(
        o.status.success(),
        "icalendar: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    Some(serde_json::from_slice(&o.stdout).expect("JSON"))
}

/// The events as ical.js reads them.
fn icaljs_events(ics: &Path) -> Option<Value> {
    let node = tools::node(&["ical.js"])?;
    let o = node.script("ical.cjs", &[ics]);
    assert!(
        o.status.success(),
        "ical.js: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["version"], "2.0");
    let events = v["events"].as_array().expect("events");
    Some(Value::Array(
        events
            .iter()
            .map(|e| {
                assert_eq!(e["all_day"], true, "{e}");
                assert_eq!(e["dtstamp"], "2026-11-30T00:00:00Z", "{e}");
                json!([e["uid"], e["summary"], e["start"]])
            })
            .collect(),
    ))
}

#[test]
fn calendar_is_read_back_by_two_parsers_with_stable_uids_escaping_and_folding() {
    let dir = repo(&[("goals/growth.yaml", GROWTH), ("goals/old.yaml", OLD)]);
    let first = calendar(dir.path(), &[]);
    assert_eq!(
        calendar(dir.path(), &[]),
        first,
        "the same calendar on every run"
    );
    // CRLF everywhere, no physical line over 75 octets, folded inside the long title.
    assert!(first.ends_with("END:VCALENDAR\r\n"));
    assert!(!first.replace("\r\n", "").contains(['\r', '\n']));
    for line in first.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    assert!(first.contains("\r\n "), "the long titles are folded");
    assert!(
        !first.contains("old"),
        "nothing of the closed period:\n{first}"
    );
    let ics = dir.path().join("cal.ics");
    std::fs::write(&ics, &first).expect("write");
    match python_events(&ics) {
        Some(v) => assert_eq!(v, expected()),
        None => tools::missing("calendar python icalendar", "python's icalendar"),
    }
    match icaljs_events(&ics) {
        Some(v) => assert_eq!(v, expected()),
        None => tools::missing("calendar ical.js", "ical.js (npm)"),
    }
}

#[test]
fn owner_keeps_their_check_ins_and_due_dates_and_the_period_end() {
    let dir = repo(&[("goals/growth.yaml", GROWTH), ("goals/old.yaml", OLD)]);
    let uids = |args: &[&str]| -> Vec<String> {
        calendar(dir.path(), args)
            .lines()
            .filter_map(|l| l.strip_prefix("UID:").map(str::to_owned))
            .collect()
    };
    assert_eq!(
        uids(&["--owner", "bo"]),
        [
            "checkin-growth.errors-20261204@goalpost",
            "period-end-2026-Q4-20261231@goalpost"
        ]
    );
    assert_eq!(uids(&["--owner", "ana", "--owner", "bo"]).len(), 5);
    assert_eq!(
        uids(&["--owner", "nobody"]),
        ["period-end-2026-Q4-20261231@goalpost"]
    );
}

#[test]
fn output_file_is_the_calendar_and_never_written_through_a_link_in_the_repository() {
    let dir = repo(&[("goals/growth.yaml", GROWTH)]);
    let stdout = calendar(dir.path(), &[]);
    assert_eq!(calendar(dir.path(), &["-o", "team.ics"]), "");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("team.ics")).expect("written"),
        stdout
    );
    let elsewhere = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("site")).expect("symlink");
    let o = run(dir.path(), &["calendar", "-o", "site/team.ics"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    assert!(
        !elsewhere.path().join("team.ics").exists(),
        "nothing written through the link"
    );
}

/// A period named in goalpost.toml is repository text too: escaped in SUMMARY, percent-encoded
/// in the UID, and read back whole.
#[test]
fn a_custom_period_name_is_escaped_and_encoded() {
    let dir = repo(&[
        (
            "goalpost.toml",
            "[periods.\"fy27 q1;\\\\,x\"]\nstart = 2026-10-01\nend = 2026-12-31\n",
        ),
        (
            "goals/g.yaml",
            "team: g\nperiod: \"fy27 q1;\\\\,x\"\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - { id: k, title: K, start: 0, target: 1 }\n",
        ),
    ]);
    let text = calendar(dir.path(), &[]);
    assert!(
        text.contains("UID:period-end-fy27%20q1%3B%5C%2Cx-20261231@goalpost\r\n"),
        "{text}"
    );
    assert!(
        text.contains("SUMMARY:fy27 q1\\;\\\\\\,x ends: review\r\n"),
        "{text}"
    );
    let ics = dir.path().join("cal.ics");
    std::fs::write(&ics, &text).expect("write");
    match python_events(&ics) {
        Some(v) => assert_eq!(v[1][1], "fy27 q1;\\,x ends: review"),
        None => tools::missing("calendar python icalendar", "python's icalendar"),
    }
}
