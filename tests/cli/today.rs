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
    let mut zones = vec![("<+14>-14", 14), ("<-12>+12", -12)];
    // Named zones need the system's time zone database; use it where there is one.
    if Path::new("/usr/share/zoneinfo/Pacific/Kiritimati").exists() {
        zones.extend([
            ("Pacific/Kiritimati", 14),
            ("Etc/GMT-14", 14),
            ("Etc/GMT+12", -12),
        ]);
    }
    for (tz, hours) in zones {
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

/// SPEC 3.2: a check-in dated after today is a `future-checkin` warning, judged against the
/// clock (here `GOALPOST_TODAY`), whatever `--as-of` says.
#[test]
fn a_check_in_after_today_is_a_warning() {
    let r = repo(&[("goals/a.yaml", KPI)]);
    let d = r.path();
    let o = run(
        d,
        &["checkin", "growth/churn", "4.5", "--date", "2026-12-15"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("warning[future-checkin]: the date 2026-12-15 is after today (2026-11-30)"),
        "{}",
        stderr(&o)
    );
    // Today's date is fine.
    let o = run(d, &["checkin", "growth/churn", "4.4"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("future-checkin"), "{}", stderr(&o));
    for as_of in ["2026-11-15", "2026-12-01"] {
        let o = run(d, &["check", "--format", "json", "--as-of", as_of]);
        assert_eq!(o.status.code(), Some(0));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(codes(&v), ["future-checkin"], "{v:#}");
        let f = &v["diagnostics"][0];
        assert_eq!(f["severity"], "warning");
        assert_eq!(f["file"], "goals/checkins.yaml");
        assert!(
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("`growth/churn` is dated 2026-12-15")),
            "{f}"
        );
    }
    // The clock moved on: no longer in the future.
    let o = command(d, &["check", "--as-of", "2026-12-20"])
        .env("GOALPOST_TODAY", "2026-12-20")
        .output()
        .expect("goalpost runs");
    assert_eq!(o.status.code(), Some(0));
    assert!(!stderr(&o).contains("future-checkin"), "{}", stderr(&o));
}
