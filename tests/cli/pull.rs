//! `goalpost pull` without a Prometheus server: CSV sources (the latest row on or before each
//! date, read through the path rules), what is skipped and what is reported, exit codes (3
//! when a source cannot be reached, with its URL; a socket that never answers times out),
//! values appended even when another KPI failed, `--dry-run`, `--commit` and usage errors.
//! The tests against a real Prometheus are in `prometheus.rs`.

use crate::common::*;
use std::path::Path;
use std::process::Command;

const GOALS: &str = "\
team: growth
kpis:
  - id: churn
    title: Monthly customer churn
    better: lower
    target: 5
    cadence: monthly
    source: { from: warehouse }
  - id: nps
    title: Net promoter score
    better: higher
    target: 40
    cadence: monthly
    source: { from: warehouse }
  - id: signups
    title: Weekly sign-ups
    better: higher
    target: 1000
";

const CSV: &str = "ref,date,value\n\
growth/churn,2026-08-31,4.1\n\
growth/churn,2026-09-30,4.4\n\
growth/churn,2026-10-31,4.8\n\
growth/nps,2026-10-31,38\n\
growth/other,2026-10-31,1\n";

fn fixture(toml_extra: &str) -> tempfile::TempDir {
    repo(&[
        (
            "goalpost.toml",
            &format!(
                "[sources.warehouse]\nkind = \"csv\"\npath = \"metrics/kpis.csv\"\n{toml_extra}"
            ),
        ),
        ("goals/kpis.yaml", GOALS),
        ("metrics/kpis.csv", CSV),
    ])
}

fn log(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("goals/checkins.yaml")).unwrap_or_default()
}

/// The check-in lines of the log.
fn lines(dir: &Path) -> Vec<String> {
    log(dir)
        .lines()
        .filter(|l| l.trim_start().starts_with("- {"))
        .map(|l| l.trim().to_owned())
        .collect()
}

#[test]
fn a_csv_source_gives_each_kpi_its_latest_row_as_a_check_in() {
    let r = fixture("");
    let o = run(r.path(), &["pull"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "growth/churn = 4.8 (2026-10-31)\ngrowth/nps = 38 (2026-10-31)\nappended 2 check-ins to goals/checkins.yaml\n"
    );
    assert_eq!(
        lines(r.path()),
        [
            "- { ref: growth/churn, date: 2026-10-31, value: 4.8, note: pulled from warehouse, by: goalpost pull }",
            "- { ref: growth/nps, date: 2026-10-31, value: 38, note: pulled from warehouse, by: goalpost pull }",
        ]
    );
    // Again: nothing new (a value already recorded on its date is skipped).
    let before = log(r.path());
    let o = run(r.path(), &["pull"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "nothing new to append (2 already recorded)\n");
    assert_eq!(log(r.path()), before);
    // Backfill: one value per month end back to --since, each dated by its row.
    let o = run(r.path(), &["pull", "growth/churn", "--since", "2026-08-01"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "growth/churn = 4.1 (2026-08-31)\ngrowth/churn = 4.4 (2026-09-30)\nappended 2 check-ins to goals/checkins.yaml (1 already recorded)\n"
    );
    let (exit, v) = check_json(r.path(), &[]);
    assert_eq!(exit, 0, "{v:#}");
}

#[test]
fn a_different_value_on_a_recorded_date_is_reported_and_not_written() {
    let r = fixture("");
    write(
        r.path(),
        "goals/checkins.yaml",
        b"checkins:\n  - { ref: growth/churn, date: 2026-10-31, value: 5 }\n",
    );
    let o = run(r.path(), &["pull"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: growth/churn (2026-10-31): `warehouse` gives 4.8, but 5 is recorded; not written"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        stdout(&o),
        "growth/nps = 38 (2026-10-31)\nappended 1 check-in to goals/checkins.yaml (1 different from what is recorded)\n"
    );
}

#[test]
fn dry_run_prints_the_lines_and_writes_nothing() {
    let r = fixture("");
    let o = run(r.path(), &["pull", "--dry-run", "growth/nps"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "would append 1 check-in; nothing written (--dry-run)\n  - { ref: growth/nps, date: 2026-10-31, value: 38, note: pulled from warehouse, by: goalpost pull }\n"
    );
    assert!(!r.path().join("goals/checkins.yaml").exists());
}

#[test]
fn problems_with_a_csv_source_are_named_and_the_rest_is_appended() {
    let r = fixture("");
    write(
        r.path(),
        "metrics/kpis.csv",
        b"ref,date,value\ngrowth/churn,2026-10-31,n/a\ngrowth/nps,2026-10-31,38\n",
    );
    let o = run(r.path(), &["pull"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error: growth/churn (2026-11-30): metrics/kpis.csv: line 2: the value `n/a` is not a finite number"),
        "{}",
        stderr(&o)
    );
    assert_eq!(lines(r.path()).len(), 1, "{}", log(r.path()));
    // A missing file is a source that cannot be reached.
    std::fs::remove_file(r.path().join("metrics/kpis.csv")).expect("rm");
    let o = run(r.path(), &["pull"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("metrics/kpis.csv does not exist"),
        "{}",
        stderr(&o)
    );
}

#[cfg(unix)]
#[test]
fn a_csv_source_that_links_out_of_the_repository_is_never_read() {
    let outside = tempfile::tempdir().expect("temp dir");
    write(
        outside.path(),
        "secret.csv",
        b"ref,date,value\ngrowth/churn,2026-10-31,42\n",
    );
    let r = fixture("");
    std::fs::remove_file(r.path().join("metrics/kpis.csv")).expect("rm");
    std::os::unix::fs::symlink(
        outside.path().join("secret.csv"),
        r.path().join("metrics/kpis.csv"),
    )
    .expect("symlink");
    let o = run(r.path(), &["pull"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("error[symlink-escape]") && err.contains("outside the repository"),
        "{err}"
    );
    assert!(!err.contains("42") && !stdout(&o).contains("42"), "{err}");
    assert!(!r.path().join("goals/checkins.yaml").exists());
}

#[test]
fn a_server_that_is_down_is_exit_3_with_its_url_and_the_rest_is_appended() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        l.local_addr().expect("address").port()
    };
    let r = fixture(&format!(
        "[sources.prom]\nkind = \"prometheus\"\nurl = \"http://127.0.0.1:{port}\"\ntimeout_secs = 2\n"
    ));
    write(
        r.path(),
        "goals/kpis.yaml",
        format!("{GOALS}    source: {{ from: prom, query: 'sum(signups_total)' }}\n").as_bytes(),
    );
    let o = run(r.path(), &["pull"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "error: growth/signups (2026-11-30): cannot reach source `prom` at http://127.0.0.1:{port}: Connection refused"
        )),
        "{}",
        stderr(&o)
    );
    // The CSV source's values were appended all the same.
    assert_eq!(lines(r.path()).len(), 2, "{}", log(r.path()));
}

/// An IPv6 server's URL in the error is the address written out in full: the renderer puts
/// a word joiner inside every `::` (no text may read as a workflow command), which would
/// break `[::1]` for whoever copies it.
#[test]
fn a_server_at_an_ipv6_address_is_named_by_a_url_that_copies_whole() {
    let Ok(l) = std::net::TcpListener::bind("[::1]:0") else {
        eprintln!("SKIPPED: this machine has no IPv6 loopback");
        return;
    };
    let port = l.local_addr().expect("address").port();
    drop(l);
    let r = fixture(&format!(
        "[sources.prom]\nkind = \"prometheus\"\nurl = \"http://[::1]:{port}\"\ntimeout_secs = 2\n"
    ));
    write(
        r.path(),
        "goals/kpis.yaml",
        format!("{GOALS}    source: {{ from: prom, query: 'sum(signups_total)' }}\n").as_bytes(),
    );
    let o = run(r.path(), &["pull"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "cannot reach source `prom` at http://[0:0:0:0:0:0:0:1]:{port}: "
        )),
        "{err}"
    );
    assert!(!err.contains('\u{2060}'), "a word joiner in {err:?}");
}

#[test]
fn a_socket_that_never_answers_times_out() {
    // Connections are queued by the kernel but never accepted or answered.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = silent.local_addr().expect("address").port();
    let r = fixture(&format!(
        "[sources.prom]\nkind = \"prometheus\"\nurl = \"http://127.0.0.1:{port}\"\ntimeout_secs = 1\n"
    ));
    write(
        r.path(),
        "goals/kpis.yaml",
        format!("{GOALS}    source: {{ from: prom, query: 'sum(signups_total)' }}\n").as_bytes(),
    );
    let started = std::time::Instant::now();
    let o = run(
        r.path(),
        &["pull", "growth/signups", "--since", "2026-10-01"],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no answer within 1 s"),
        "{}",
        stderr(&o)
    );
    // One timeout, not one per date: the source is asked nothing more.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    drop(silent);
}

#[test]
fn usage_errors_are_exit_2_before_anything_is_fetched() {
    let r = fixture("");
    for (args, says) in [
        (
            &["pull", "growth/signups"][..],
            "`growth/signups` has no source",
        ),
        (&["pull", "growth/chrun"][..], "did you mean `growth/churn`"),
        (
            &["pull", "--since", "2026-12-01"][..],
            "--since 2026-12-01 is after the date pulled (2026-11-30)",
        ),
        (
            &["pull", "--date", "2026-12-01"][..],
            "--date 2026-12-01 is after today",
        ),
        (
            &["pull", "--since", "1001-01-01"][..],
            "more than 5000 dates",
        ),
        (
            &["pull", "--dry-run", "--commit"][..],
            "cannot be used with",
        ),
        (&["--at", "HEAD", "pull"][..], "--at"),
    ] {
        let o = run(r.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    assert!(!r.path().join("goals/checkins.yaml").exists());
    // Invalid goals are refused first (exit 1), like every command that reads them.
    write(
        r.path(),
        "goals/broken.yaml",
        b"team: growth\nkpis:\n  - id: x\n",
    );
    let o = run(r.path(), &["pull"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn pull_with_commit_makes_one_commit() {
    let r = fixture("");
    git_as(r.path(), "Test", &["init", "-q", "-b", "main"]);
    git_as(r.path(), "Test", &["add", "-A"]);
    git_as(r.path(), "Test", &["commit", "-q", "-m", "goals"]);
    let o = Command::new(bin())
        .arg("-C")
        .arg(r.path())
        .args(["pull", "--commit", "--since", "2026-08-01"])
        .env("GOALPOST_TODAY", TODAY)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Scheduled pull")
        .env("GIT_AUTHOR_EMAIL", "ci@example.com")
        .env("GIT_COMMITTER_NAME", "Scheduled pull")
        .env("GIT_COMMITTER_EMAIL", "ci@example.com")
        .output()
        .expect("goalpost runs");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o)); // nps has no row before October
    assert!(stdout(&o).contains("committed "), "{}", stdout(&o));
    assert_eq!(
        git_as(r.path(), "Test", &["log", "--format=%s|%an"]),
        "pull: 4 check-ins from warehouse|Scheduled pull\ngoals|Test"
    );
}

#[test]
fn pull_with_commit_refuses_while_the_index_is_locked() {
    let r = fixture("");
    git_as(r.path(), "Test", &["init", "-q", "-b", "main"]);
    git_as(r.path(), "Test", &["add", "-A"]);
    git_as(r.path(), "Test", &["commit", "-q", "-m", "goals"]);
    write(r.path(), ".git/index.lock", b"");
    let o = Command::new(bin())
        .arg("-C")
        .arg(r.path())
        .args(["pull", "--commit", "--since", "2026-08-01"])
        .env("GOALPOST_TODAY", TODAY)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Scheduled pull")
        .env("GIT_AUTHOR_EMAIL", "ci@example.com")
        .env("GIT_COMMITTER_NAME", "Scheduled pull")
        .env("GIT_COMMITTER_EMAIL", "ci@example.com")
        .output()
        .expect("goalpost runs");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("index.lock"), "{}", stderr(&o));
    assert!(
        !r.path().join("goals/checkins.yaml").exists(),
        "written anyway"
    );
    assert_eq!(
        git_as(r.path(), "Test", &["rev-list", "--count", "HEAD"]),
        "1"
    );
}
