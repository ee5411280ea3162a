//! `goalpost pull` against a real Prometheus (Debian's `prometheus` package, which `.ci/run`
//! installs): each test starts its own server on a free loopback port, scraping itself, with
//! its data in a temporary directory, and stops it at the end. A live series is pulled as
//! today's value; query problems are named with the KPI and the query; and a past quarter is
//! backfilled from blocks that `promtool tsdb create-blocks-from openmetrics` made from a
//! generated file, then compared value by value. Without `prometheus` and `promtool` these
//! tests are skipped with a note, except under `CI=true`, where they fail.

use crate::common::*;
use crate::tools;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A Prometheus server of one test; killed when dropped.
struct Server {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

/// `prometheus` and `promtool`, or a skip note (a failure under `CI=true`).
fn binaries(test: &str) -> Option<(PathBuf, PathBuf)> {
    match (tools::on_path("prometheus"), tools::on_path("promtool")) {
        (Some(p), Some(t)) => Some((p, t)),
        _ => {
            tools::missing(
                test,
                "prometheus and promtool (Debian's `prometheus` package)",
            );
            None
        }
    }
}

impl Server {
    /// Starts Prometheus on a free loopback port with its data in `data` (a new directory
    /// when `None`), scraping itself every second, and waits until it has scraped itself.
    fn start(prometheus: &Path, data: Option<&Path>) -> Server {
        for _ in 0..3 {
            let dir = tempfile::tempdir().expect("temp dir");
            let port = {
                let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
                l.local_addr().expect("address").port()
            };
            let config = dir.path().join("prometheus.yml");
            std::fs::write(
                &config,
                format!(
                    "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:{port}']\n"
                ),
            )
            .expect("config");
            let data = data.map_or_else(|| dir.path().join("data"), Path::to_owned);
            let log = std::fs::File::create(dir.path().join("prometheus.log")).expect("log");
            let child = Command::new(prometheus)
                .arg(format!("--config.file={}", config.display()))
                .arg(format!("--storage.tsdb.path={}", data.display()))
                // Old blocks are kept: the default retention (15 days) deletes them at start-up.
                .arg("--storage.tsdb.retention.time=100y")
                .arg(format!("--web.listen-address=127.0.0.1:{port}"))
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log"))
                .stderr(log)
                .spawn()
                .expect("prometheus starts");
            let mut server = Server { child, port, dir };
            if server.wait_up() {
                return server;
            }
            // Another program took the port in the meantime: try another.
        }
        panic!("prometheus found no free port in three tries");
    }

    /// Waits until `up{job="self"}` is 1; false when the process ended (its port was taken).
    fn wait_up(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if self.child.try_wait().expect("wait").is_some() {
                let log = std::fs::read_to_string(self.dir.path().join("prometheus.log"))
                    .unwrap_or_default();
                assert!(
                    log.contains("address already in use"),
                    "prometheus ended:\n{log}"
                );
                return false;
            }
            if let Some(v) = self.query("up{job=\"self\"}")
                && v["data"]["result"][0]["value"][1] == "1"
            {
                return true;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let log =
            std::fs::read_to_string(self.dir.path().join("prometheus.log")).unwrap_or_default();
        panic!("prometheus did not scrape itself within 60 s:\n{log}");
    }

    /// An instant query now, over a plain socket; `None` while the server does not answer.
    fn query(&self, q: &str) -> Option<serde_json::Value> {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        let encoded: String = q
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        write!(
            s,
            "GET /api/v1/query?query={encoded} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .ok()?;
        let mut answer = String::new();
        s.read_to_string(&mut answer).ok()?;
        let body = answer.split_once("\r\n\r\n")?.1;
        serde_json::from_str(body).ok()
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A repository whose KPIs of team `ops` (id, query) take their values from `server`.
fn repository(url: &str, kpis: &[(&str, &str)]) -> tempfile::TempDir {
    let mut goals = String::from("team: ops\nkpis:\n");
    for (id, query) in kpis {
        goals.push_str(&format!(
            "  - id: {id}\n    title: {id}\n    better: higher\n    target: 1\n    source: {{ from: prom, query: '{query}' }}\n"
        ));
    }
    repo(&[
        (
            "goalpost.toml",
            &format!("[sources.prom]\nkind = \"prometheus\"\nurl = \"{url}\"\ntimeout_secs = 10\n"),
        ),
        ("goals/kpis.yaml", &goals),
    ])
}

/// The log's check-ins as (ref, date, value).
fn checkins(dir: &Path) -> Vec<(String, String, f64)> {
    let log = std::fs::read_to_string(dir.join("goals/checkins.yaml")).unwrap_or_default();
    log.lines()
        .filter_map(|l| l.trim().strip_prefix("- { ref: "))
        .map(|l| {
            let field = |key: &str| {
                l.split(&format!("{key}: "))
                    .nth(1)
                    .and_then(|r| r.split(',').next())
                    .unwrap_or_default()
                    .to_owned()
            };
            assert!(
                l.contains("note: pulled from prom, by: goalpost pull }"),
                "{l}"
            );
            (
                l.split(',').next().unwrap_or_default().to_owned(),
                field("date"),
                field("value").parse().expect("a number"),
            )
        })
        .collect()
}

#[test]
fn pull_takes_a_live_series_from_a_running_prometheus() {
    let Some((prometheus, _)) = binaries("pull_takes_a_live_series_from_a_running_prometheus")
    else {
        return;
    };
    let server = Server::start(&prometheus, None);
    let r = repository(
        &server.url(),
        &[
            ("up", "up{job=\"self\"}"),
            ("samples", "scrape_samples_scraped{job=\"self\"}"),
        ],
    );
    // The real clock: today's value is asked for now.
    let o = command(r.path(), &["pull"])
        .output()
        .expect("goalpost runs");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let got = checkins(r.path());
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(
        (got[0].0.as_str(), got[1].0.as_str()),
        ("ops/samples", "ops/up")
    );
    assert!(got[0].2 > 100.0, "{got:?}");
    assert_eq!(got[1].2, 1.0);
    let o = command(r.path(), &["status", "--format", "json", "--kpis"])
        .output()
        .expect("goalpost runs");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["kpis"][1]["ref"], "ops/up");
    assert_eq!(v["kpis"][1]["value"], 1.0);
    assert_eq!(v["kpis"][1]["status"], "healthy");
    // Again today: `up` is still 1, so it is skipped.
    let o = command(r.path(), &["pull", "ops/up"])
        .output()
        .expect("goalpost runs");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "nothing new to append (1 already recorded)\n");
}

#[test]
fn query_problems_name_the_kpi_and_the_query_and_the_rest_is_appended() {
    let Some((prometheus, _)) = binaries("query_problems_name_the_kpi_and_the_query") else {
        return;
    };
    let server = Server::start(&prometheus, None);
    let r = repository(
        &server.url(),
        &[
            ("empty", "goalpost_no_such_metric"),
            ("several", "up or vector(2)"),
            ("nan", "vector(0) / 0"),
            ("broken", "sum(up"),
            ("up", "up{job=\"self\"}"),
        ],
    );
    let o = command(r.path(), &["pull"])
        .output()
        .expect("goalpost runs");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    for want in [
        "ops/empty (",
        "the query `goalpost_no_such_metric` returned no series at that time",
        "ops/several (",
        "the query `up or vector(2)` returned 2 series ({__name__=\"up\",instance=\"127.0.0.1:",
        "a KPI needs exactly one: aggregate them",
        "ops/nan (",
        "the query `vector(0) / 0` returned NaN, not a finite number",
        "ops/broken (",
        "Prometheus refused the query `sum(up` (bad_data)",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
    // The one KPI with a value got its check-in all the same.
    let got = checkins(r.path());
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0.as_str(), got[0].2), ("ops/up", 1.0));
}

/// Issue 24, item 4 (SPEC 11): `pull` never asks about a date after the clock's today, even
/// when `GOALPOST_TODAY` is later: those dates are skipped with a note, not filled with
/// today's value.
#[test]
fn pull_never_asks_about_a_date_after_the_clocks_today() {
    let Some((prometheus, _)) = binaries("pull_never_asks_about_a_date_after_the_clocks_today")
    else {
        return;
    };
    let server = Server::start(&prometheus, None);
    let r = repository(&server.url(), &[("up", "up{job=\"self\"}")]);
    let clock = jiff::Zoned::now().date();
    let later = |days: i64| {
        clock
            .checked_add(jiff::Span::new().days(days))
            .expect("a date")
            .to_string()
    };
    // Today pinned two weeks ahead: the weekly dates are the clock's today, +7 and +14.
    let o = command(r.path(), &["pull", "--since", &clock.to_string()])
        .env("GOALPOST_TODAY", later(14))
        .output()
        .expect("goalpost runs");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let got = checkins(r.path());
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (got[0].0.as_str(), got[0].1.as_str(), got[0].2),
        ("ops/up", clock.to_string().as_str(), 1.0)
    );
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "note: ops/up: not asked about {} and {}",
            later(7),
            later(14)
        )) && err.contains(&format!("after the clock's today ({clock})")),
        "{err}"
    );
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The generated metric's value at Unix time `t` (a multiple of 300): exact in binary.
fn generated(t: i64) -> f64 {
    ((t / 300) % 997) as f64 + 0.5
}

#[test]
fn backfill_reproduces_a_past_quarter_week_by_week() {
    let Some((prometheus, promtool)) = binaries("backfill_reproduces_a_past_quarter_week_by_week")
    else {
        return;
    };
    // The Sundays... of 2025-Q3 seen from its last day: 2025-09-30 and every 7 days back
    // to 2025-07-01, as `pull --since` asks for a weekly KPI.
    let last = days_from_civil(2025, 9, 30);
    let days: Vec<i64> = (0..14).map(|i| last - 7 * (13 - i)).collect();
    assert_eq!(civil(days[0]), "2025-07-01");
    // Samples every 5 minutes (an instant query looks back 5 minutes) from three hours before
    // each day's end to three hours after it, so that a query a second too late would read
    // the next day's value. (Continuous samples over the quarter make promtool write 1,100
    // two-hour blocks, over a minute on this machine; the windows make 56.)
    let mut om = String::from(
        "# HELP goalpost_backfill_value Generated for the backfill test.\n# TYPE goalpost_backfill_value gauge\n",
    );
    for &day in &days {
        let end = (day + 1) * 86_400;
        let mut t = end - 3 * 3600;
        while t <= end + 3 * 3600 {
            om.push_str(&format!("goalpost_backfill_value {} {t}\n", generated(t)));
            t += 300;
        }
    }
    om.push_str("# EOF\n");
    let work = tempfile::tempdir().expect("temp dir");
    let input = work.path().join("backfill.om");
    std::fs::write(&input, om).expect("write");
    let data = work.path().join("data");
    let o = Command::new(&promtool)
        .args(["tsdb", "create-blocks-from", "openmetrics", "--quiet"])
        .arg(&input)
        .arg(&data)
        .output()
        .expect("promtool runs");
    assert!(o.status.success(), "promtool: {}", stderr(&o));
    let server = Server::start(&prometheus, Some(&data));
    let r = repository(&server.url(), &[("backfill", "goalpost_backfill_value")]);
    // Days end at midnight UTC here, whatever zone the machine is in.
    let pull = |args: &[&str]| {
        command(r.path(), args)
            .env("GOALPOST_TODAY", TODAY)
            .env("TZ", "UTC")
            .output()
            .expect("goalpost runs")
    };
    let o = pull(&["pull", "--date", "2025-09-30", "--since", "2025-07-01"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).ends_with("appended 14 check-ins to goals/checkins.yaml\n"),
        "{}",
        stdout(&o)
    );
    // Not a terminal (a CI log): the queries are counted on lines of their own, no `\r`.
    assert!(
        stderr(&o).contains("pull: prom 14/14 queries\n") && !stderr(&o).contains('\r'),
        "{}",
        stderr(&o)
    );
    let want: Vec<(String, String, f64)> = days
        .iter()
        .map(|&day| {
            // The last sample at or before 23:59:59 of the day: the one at 23:55.
            let at = (day + 1) * 86_400 - 300;
            ("ops/backfill".to_owned(), civil(day), generated(at))
        })
        .collect();
    assert_eq!(checkins(r.path()), want);
    // The backfill again: everything is recorded already.
    let o = pull(&["pull", "--date", "2025-09-30", "--since", "2025-07-01"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "nothing new to append (14 already recorded)\n");
    // On a terminal, one line counts the source's queries in place.
    let cmd = format!(
        "exec '{}' -C '{}' pull --dry-run --date 2025-09-30 --since 2025-07-01",
        bin().display(),
        r.path().display()
    );
    let o = Command::new("script")
        .args(["-q", "-e", "-c", &cmd, "/dev/null"])
        .env("GOALPOST_TODAY", TODAY)
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .output()
        .expect("script (util-linux) runs");
    let seen = String::from_utf8_lossy(&o.stdout);
    assert!(seen.contains("\rpull: prom 14/14 queries"), "{seen:?}");
    assert!(seen.contains("\rpull: prom 1/14 queries"), "{seen:?}");
    let (exit, v) = check_json(r.path(), &[]);
    assert_eq!(exit, 0, "{v:#}");
}
