//! "Today" (SPEC 3.2): the local date, not UTC, or `GOALPOST_TODAY` when set; an unreadable
//! `GOALPOST_TODAY` is a usage error. The time zone comes from `TZ` as a POSIX string, so
//! the tests need no time zone database on the machine.

use crate::common::*;
use std::path::Path;

const KPI: &str = "team: growth\nkpis:\n  - id: churn\n    title: Churn\n    better: lower\n    target: 5\n    checkins:\n      - { date: 2026-11-14, value: 4 }\n";

/// `as_of` of `status --format json`, run with the environment `env`.
fn as_of(dir: &Path, env: &[(&str, &str)]) -> String {
    let mut c = command(dir, &["status", "--format", "json"]);
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().expect("goalpost runs");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    v["as_of"].as_str().expect("as_of").to_owned()
}

/// The date now at a fixed UTC offset (hours).
fn date_at(hours: i8) -> String {
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(hours));
    jiff::Timestamp::now().to_zoned(tz).date().to_string()
}

#[test]
fn today_is_the_local_date() {
    let r = repo(&[("goals/a.yaml", KPI)]);
    // UTC+14 and UTC-12 are a whole day apart (or two) at every moment: whatever the time
    // of the run, at least one of them differs from the UTC date, which goalpost once used.
    for (tz, hours) in [("<+14>-14", 14), ("<-12>+12", -12)] {
        let before = date_at(hours);
        let got = as_of(r.path(), &[("TZ", tz)]);
        let after = date_at(hours);
        assert!(
            got == before || got == after,
            "TZ={tz}: as_of {got}, local date {before}"
        );
    }
}

#[test]
fn goalpost_today_pins_the_clock() {
    let r = repo(&[("goals/a.yaml", KPI)]);
    let got = as_of(
        r.path(),
        &[("GOALPOST_TODAY", "2026-03-01"), ("TZ", "<+14>-14")],
    );
    assert_eq!(got, "2026-03-01");
    // Empty means unset.
    let before = date_at(14);
    let got = as_of(r.path(), &[("GOALPOST_TODAY", ""), ("TZ", "<+14>-14")]);
    assert!(got == before || got == date_at(14), "{got}");
    // --as-of still wins for scoring.
    let o = run(
        r.path(),
        &["--as-of", "2026-11-15", "status", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["as_of"], "2026-11-15");
}

#[test]
fn an_unreadable_goalpost_today_is_a_usage_error() {
    let r = repo(&[("goals/a.yaml", KPI)]);
    for (value, says) in [
        ("2026-02-30", "February 2026 has 28 days"),
        ("tomorrow", "write dates as YYYY-MM-DD"),
    ] {
        let o = command(r.path(), &["check"])
            .env("GOALPOST_TODAY", value)
            .output()
            .expect("goalpost runs");
        assert_eq!(o.status.code(), Some(2), "{value}");
        let err = stderr(&o);
        assert!(
            err.contains(&format!("GOALPOST_TODAY=`{value}` is not a date")) && err.contains(says),
            "{err}"
        );
    }
}
