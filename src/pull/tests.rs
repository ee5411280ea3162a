use super::*;
use crate::load::source::Entry;
use std::io;
use std::sync::Mutex;

const TOML: &str = "[sources.prom]\nkind = \"prometheus\"\nurl = \"https://p.internal:9090\"\ntoken_env = \"PROM_TOKEN\"\ntimeout_secs = 3\n\
                    [sources.other]\nkind = \"prometheus\"\nurl = \"http://127.0.0.1:9\"\n\
                    [sources.warehouse]\nkind = \"csv\"\npath = \"metrics/kpis.csv\"\n";

const GOALS: &str = "team: t\nkpis:\n\
  - { id: a, title: A, better: lower, target: 1, source: { from: prom, query: 'sum(up{job=\"a\"})' } }\n\
  - { id: b, title: B, better: lower, target: 1, source: { from: prom, query: 'b' } }\n\
  - { id: c, title: C, better: lower, target: 1, cadence: monthly, source: { from: warehouse } }\n\
  - { id: d, title: D, better: lower, target: 1, source: { from: other, query: 'd' } }\n";

fn goals() -> (Goals, BTreeMap<String, Source>) {
    let config = crate::config::parse(TOML, 0).expect("config");
    let (raw, diags) = crate::load::parse_file(1, GOALS);
    assert!(diags.is_empty(), "{diags:?}");
    let (goals, diags) = crate::validate::validate(&[(1, raw.expect("file"))], &config);
    assert!(diags.is_empty(), "{diags:?}");
    (goals, config.sources)
}

struct Files(Option<&'static str>);

impl files::Source for Files {
    fn walk(&self, _: &[String], _: usize) -> io::Result<Vec<Entry>> {
        Ok(Vec::new())
    }
    fn read(&self, path: &str, _: u64) -> io::Result<Read> {
        assert_eq!(path, "metrics/kpis.csv");
        Ok(match self.0 {
            Some(t) => Read::Bytes(t.as_bytes().to_vec()),
            None => Read::Missing,
        })
    }
    fn describe(&self) -> String {
        "test files".into()
    }
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn sample(v: &str) -> http::Answer {
    http::Answer {
        status: 200,
        body: format!("{{\"status\":\"success\",\"data\":{{\"resultType\":\"vector\",\"result\":[{{\"metric\":{{}},\"value\":[1,\"{v}\"]}}]}}}}").into_bytes(),
    }
}

/// The query string's `time` parameter, in milliseconds.
fn time_of(url: &str) -> i64 {
    let t = url.rsplit("time=").next().unwrap();
    let (s, ms) = t.split_once('.').unwrap();
    s.parse::<i64>().unwrap() * 1000 + ms.parse::<i64>().unwrap()
}

#[test]
fn each_date_is_one_instant_query_at_the_end_of_its_day() {
    let (goals, sources) = goals();
    let calls = Mutex::new(Vec::new());
    let get = |url: &str, token: Option<&str>, timeout: Duration| {
        calls
            .lock()
            .unwrap()
            .push((url.to_owned(), token.map(str::to_owned), timeout));
        Ok(sample(&(time_of(url) % 1000).to_string()))
    };
    let env = |var: &str| (var == "PROM_TOKEN").then(|| "t0ken".to_owned());
    let now = d("2026-11-30").end_in_local_time().unwrap() * 1000 - 3_600_123;
    let req = Request {
        goals: &goals,
        sources: &sources,
        files: &Files(None),
        date: d("2026-11-30"),
        since: Some(d("2026-11-16")),
        now_ms: now,
        clock_today: d("2026-11-30"),
        env: &env,
        get: &get,
        progress: &|_, _, _| {},
    };
    let pulled = pull(&req, &[KpiId::new(0)]).unwrap();
    // The queries run concurrently, so they are recorded in any order: sort them by time.
    let mut calls = calls.lock().unwrap().clone();
    calls.sort_by_key(|c| time_of(&c.0));
    assert_eq!(calls.len(), 3);
    for (url, token, timeout) in calls.iter() {
        assert!(
            url.starts_with(
                "https://p.internal:9090/api/v1/query?query=sum%28up%7Bjob%3D%22a%22%7D%29&time="
            ),
            "{url}"
        );
        assert_eq!(token.as_deref(), Some("t0ken"));
        assert_eq!(*timeout, Duration::from_secs(3));
    }
    // Past days at their last millisecond; today no later than now.
    let end = |s: &str| d(s).end_in_local_time().unwrap() * 1000 + 999;
    assert_eq!(time_of(&calls[0].0), end("2026-11-16"));
    assert_eq!(time_of(&calls[1].0), end("2026-11-23"));
    assert_eq!(time_of(&calls[2].0), now);
    let p = &pulled[0];
    assert_eq!(p.source, "prom");
    assert!(p.troubles.is_empty(), "{:?}", p.troubles);
    let want: Vec<(Date, f64)> = ["2026-11-16", "2026-11-23", "2026-11-30"]
        .iter()
        .zip(calls.iter())
        .map(|(s, c)| (d(s), (time_of(&c.0) % 1000) as f64))
        .collect();
    assert_eq!(p.values.clone().into_iter().collect::<Vec<_>>(), want);
}

#[test]
fn a_source_that_cannot_be_reached_is_asked_nothing_more() {
    let (goals, sources) = goals();
    let calls = Mutex::new(0);
    let get = |_: &str, _: Option<&str>, _: Duration| {
        *calls.lock().unwrap() += 1;
        Err("Connection refused (os error 111)".to_owned())
    };
    let env = |_: &str| Some("t".to_owned());
    let req = Request {
        goals: &goals,
        sources: &sources,
        files: &Files(None),
        date: d("2026-11-30"),
        since: Some(d("2026-10-01")),
        now_ms: i64::MAX,
        clock_today: d("2026-11-30"),
        env: &env,
        get: &get,
        progress: &|_, _, _| {},
    };
    let pulled = pull(&req, &[KpiId::new(0), KpiId::new(1)]).unwrap();
    // Queries run PARALLEL at a time: those already under way when the first failed finish,
    // no other is sent; the troubles read as if they had run one by one.
    let calls = *calls.lock().unwrap();
    assert!((1..=PARALLEL).contains(&calls), "{calls} queries");
    assert_eq!(
        pulled[0].troubles,
        [(
            Some(d("2026-10-05")),
            Trouble::Unreachable(
                "cannot reach source `prom` at https://p.internal:9090: Connection refused (os error 111)".into()
            )
        )]
    );
    assert!(
        matches!(&pulled[1].troubles[0], (None, Trouble::Unreachable(m)) if m.starts_with("not asked"))
    );
}

#[test]
fn a_missing_token_asks_nothing_and_query_problems_are_no_values() {
    let (goals, sources) = goals();
    let get = |url: &str, _: Option<&str>, _: Duration| {
        Ok(if url.contains("query=b") {
            http::Answer {
                status: 200,
                body: br#"{"status":"success","data":{"resultType":"vector","result":[]}}"#
                    .to_vec(),
            }
        } else {
            panic!("asked {url}")
        })
    };
    let no_env = |_: &str| None;
    let mut req = Request {
        goals: &goals,
        sources: &sources,
        files: &Files(None),
        date: d("2026-11-30"),
        since: None,
        now_ms: i64::MAX,
        clock_today: d("2026-11-30"),
        env: &no_env,
        get: &get,
        progress: &|_, _, _| {},
    };
    let p = pull(&req, &[KpiId::new(0)]).unwrap();
    assert_eq!(
        p[0].troubles,
        [(
            None,
            Trouble::Unreachable(
                "the environment variable PROM_TOKEN (token_env of source `prom`) is not set"
                    .into()
            )
        )]
    );
    let env = |_: &str| Some("t".to_owned());
    req.env = &env;
    let p = pull(&req, &[KpiId::new(1)]).unwrap();
    assert!(
        matches!(&p[0].troubles[..], [(Some(_), Trouble::NoValue(m))] if m.contains("`b` returned no series")),
        "{:?}",
        p[0].troubles
    );
}

#[test]
fn csv_sources_give_the_latest_row_on_or_before_each_date() {
    let (goals, sources) = goals();
    let get = |url: &str, _: Option<&str>, _: Duration| -> Result<http::Answer, String> {
        panic!("asked {url}")
    };
    let env = |_: &str| None;
    let csv = "ref,date,value\nt/c,2026-08-31,4.1\nt/c,2026-09-30,4.4\nt/c,2026-10-31,4.8\n";
    let req = Request {
        goals: &goals,
        sources: &sources,
        files: &Files(Some(csv)),
        date: d("2026-11-30"),
        since: Some(d("2026-08-01")),
        now_ms: i64::MAX,
        clock_today: d("2026-11-30"),
        env: &env,
        get: &get,
        progress: &|_, _, _| {},
    };
    let p = pull(&req, &[KpiId::new(2)]).unwrap();
    assert!(p[0].troubles.is_empty(), "{:?}", p[0].troubles);
    assert_eq!(
        p[0].values.clone().into_iter().collect::<Vec<_>>(),
        [
            (d("2026-08-31"), 4.1),
            (d("2026-09-30"), 4.4),
            (d("2026-10-31"), 4.8)
        ]
    );
    let missing = Request {
        files: &Files(None),
        ..req
    };
    let p = pull(&missing, &[KpiId::new(2)]).unwrap();
    assert!(
        matches!(&p[0].troubles[..], [(None, Trouble::Unreachable(m))] if m.contains("metrics/kpis.csv does not exist")),
        "{:?}",
        p[0].troubles
    );
}

#[test]
fn too_many_dates_are_refused_before_anything_is_asked() {
    let (goals, sources) = goals();
    let get = |url: &str, _: Option<&str>, _: Duration| -> Result<http::Answer, String> {
        panic!("asked {url}")
    };
    let env = |_: &str| None;
    let req = Request {
        goals: &goals,
        sources: &sources,
        files: &Files(None),
        date: d("2026-11-30"),
        since: Some(d("1800-01-01")),
        now_ms: i64::MAX,
        clock_today: d("2026-11-30"),
        env: &env,
        get: &get,
        progress: &|_, _, _| {},
    };
    let e = pull(&req, &[KpiId::new(0)]).unwrap_err();
    assert!(e.contains("more than 5000 dates of `t/a`"), "{e}");
}

/// Issue 24, item 4 (SPEC 11): no date after the clock's today is asked about, from any
/// source, even when the date pulled (from `GOALPOST_TODAY`) is later: those dates are
/// reported as `future`, and nothing is recorded under them.
#[test]
fn dates_after_the_clocks_today_are_not_asked() {
    let (goals, sources) = goals();
    let calls = Mutex::new(Vec::new());
    let get = |url: &str, _: Option<&str>, _: Duration| {
        calls.lock().unwrap().push(url.to_owned());
        Ok(sample("7"))
    };
    let env = |_: &str| Some("t".to_owned());
    let clock = d("2026-11-30");
    let now = clock.end_in_local_time().unwrap() * 1000 - 3_600_000;
    let req = Request {
        goals: &goals,
        sources: &sources,
        files: &Files(Some("ref,date,value\nt/c,2026-11-30,3\n")),
        date: d("2026-12-14"),
        since: Some(d("2026-11-23")),
        now_ms: now,
        clock_today: clock,
        env: &env,
        get: &get,
        progress: &|_, _, _| {},
    };
    let pulled = pull(&req, &[KpiId::new(0), KpiId::new(2)]).unwrap();
    assert_eq!(
        calls.lock().unwrap().len(),
        2,
        "{:?}",
        calls.lock().unwrap()
    );
    let dates = |p: &Pulled| p.values.keys().map(Date::to_string).collect::<Vec<_>>();
    assert_eq!(dates(&pulled[0]), ["2026-11-23", "2026-11-30"]);
    assert_eq!(pulled[0].future, [d("2026-12-07"), d("2026-12-14")]);
    assert!(pulled[0].troubles.is_empty(), "{:?}", pulled[0].troubles);
    // A monthly CSV KPI: 2026-11-30 is asked, 2026-12-14 is not.
    assert_eq!(dates(&pulled[1]), ["2026-11-30"]);
    assert_eq!(pulled[1].future, [d("2026-12-14")]);
}

/// Queries run concurrently, never more than PARALLEL at once, and the result is in the
/// KPIs' and dates' order whatever order the answers came in; progress counts every query.
#[test]
fn queries_run_a_few_at_a_time_and_come_back_in_order() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let (goals, sources) = goals();
    let (now, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let get = |url: &str, _: Option<&str>, _: Duration| {
        let n = now.fetch_add(1, Ordering::SeqCst) + 1;
        peak.fetch_max(n, Ordering::SeqCst);
        // Later dates answer sooner, so answers arrive out of order.
        let t = time_of(url);
        std::thread::sleep(Duration::from_millis(10 + (t / 1000 % 7) as u64 * 3));
        now.fetch_sub(1, Ordering::SeqCst);
        Ok(sample(&(t % 1000).to_string()))
    };
    let env = |_: &str| Some("t".to_owned());
    let seen = Mutex::new(Vec::new());
    let progress = |source: &str, done: usize, total: usize| {
        assert_eq!(source, "prom");
        seen.lock().unwrap().push((done, total));
    };
    let req = Request {
        goals: &goals,
        sources: &sources,
        files: &Files(None),
        date: d("2026-11-30"),
        since: Some(d("2026-09-01")),
        now_ms: i64::MAX,
        clock_today: d("2026-11-30"),
        env: &env,
        get: &get,
        progress: &progress,
    };
    let pulled = pull(&req, &[KpiId::new(0), KpiId::new(1)]).unwrap();
    let peak = peak.load(Ordering::SeqCst);
    assert!((2..=PARALLEL).contains(&peak), "{peak} at once");
    for p in &pulled {
        assert!(p.troubles.is_empty(), "{:?}", p.troubles);
        let dates: Vec<Date> = p.values.keys().copied().collect();
        let mut sorted = dates.clone();
        sorted.sort();
        assert_eq!(dates, sorted);
        assert_eq!(dates.len(), 13, "weekly back from 2026-11-30 to 2026-09-07");
        for (date, v) in &p.values {
            let t = date.end_in_local_time().unwrap() * 1000 + 999;
            assert_eq!(*v, (t % 1000) as f64, "{date}");
        }
    }
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 26);
    assert_eq!(seen.iter().map(|s| s.0).max(), Some(26));
    assert!(seen.iter().all(|s| s.1 == 26));
}
