//! `goalpost pull`'s library side (SPEC 11): for each KPI with a `source:`, its value at the
//! end of a date (and with `--since`, one per cadence step back), from a Prometheus server
//! (an instant query that must return exactly one sample) or a CSV file in the repository.
//! The result is values and troubles per KPI; the command turns values into check-ins.
//!
//! Only this module reaches the network, through [`crate::net`] alone, and only at URLs that
//! goalpost.toml names: a goal file contributes a query, which travels percent-encoded in
//! the URL's query string. CSV files are read through the one path resolver. A source that
//! cannot be reached is asked nothing more in the run.

pub(crate) mod csv;
pub(crate) mod dates;
pub(crate) mod prometheus;

use crate::config::sources::Source;
use crate::date::Date;
use crate::load::source::{self as files, Read, Refused};
use crate::model::{Goals, KpiId};
use crate::net as http;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

/// What stands between a KPI and a value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Trouble {
    /// The source could not be reached, or did not answer as the source it should be
    /// (SPEC 11: exit 3).
    Unreachable(String),
    /// The query or the file gave no usable value (exit 1).
    NoValue(String),
    /// The CSV file's path goes through a link that may not be followed (SPEC 10).
    Refused(Refused),
}

/// What was found for one KPI.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pulled {
    pub kpi: KpiId,
    /// The name of its source.
    pub source: String,
    /// The values, by the date of the check-in each becomes.
    pub values: BTreeMap<Date, f64>,
    /// What went wrong, with the date asked about (`None`: for every date).
    pub troubles: Vec<(Option<Date>, Trouble)>,
    /// Dates not asked about because they are after the clock's today (SPEC 11: a
    /// `GOALPOST_TODAY` later than the clock cannot fetch the future).
    pub future: Vec<Date>,
}

/// An HTTP GET: `(url, bearer token, timeout)` to an answer or why there is none. Several
/// run at once (at most [`PARALLEL`]), so it is `Sync`.
pub(crate) type Get<'a> =
    &'a (dyn Fn(&str, Option<&str>, Duration) -> Result<http::Answer, String> + Sync);

/// How many queries run at once: enough to hide a server's latency, few enough not to
/// weigh on it.
pub(crate) const PARALLEL: usize = 8;

/// After each query: its source's name, how many of that source's queries are done, and
/// how many the run asks it (for a progress line per source).
pub(crate) type Progress<'a> = &'a (dyn Fn(&str, usize, usize) + Sync);

/// Everything a pull needs besides the KPIs.
pub(crate) struct Request<'a> {
    pub goals: &'a Goals,
    /// goalpost.toml's `[sources]`.
    pub sources: &'a BTreeMap<String, Source>,
    /// The repository's files, where CSV sources are read.
    pub files: &'a dyn files::Source,
    /// The value at the end of this date...
    pub date: Date,
    /// ...and one per cadence step back to this one.
    pub since: Option<Date>,
    /// Now, as Unix milliseconds: no instant after it is asked about.
    pub now_ms: i64,
    /// The clock's local date (never `GOALPOST_TODAY`): no date after it is asked about.
    pub clock_today: Date,
    /// The environment (where tokens are read).
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// The network ([`http::get`], or a fake in tests).
    pub get: Get<'a>,
    /// Told after each query: (done, total).
    pub progress: Progress<'a>,
}

/// Pulls the values of `kpis` (each must have a source). `Err` (a usage problem, nothing
/// asked) when `--since` gives a KPI more than [`dates::MAX_DATES`] dates.
pub(crate) fn pull(req: &Request<'_>, kpis: &[KpiId]) -> Result<Vec<Pulled>, String> {
    let mut plan = Vec::with_capacity(kpis.len());
    for &id in kpis {
        let k = req.goals.kpi(id);
        let asked = dates::dates(req.date, req.since, k.cadence).ok_or_else(|| {
            format!(
                "--since asks for more than {} dates of `{}`; choose a later date",
                dates::MAX_DATES,
                k.reference()
            )
        })?;
        plan.push((id, asked));
    }
    let mut down: HashSet<String> = HashSet::new();
    let mut tables: HashMap<String, Result<csv::Table, Trouble>> = HashMap::new();
    let mut out = Vec::with_capacity(plan.len());
    let mut jobs: Vec<Job> = Vec::new();
    for (id, mut asked) in plan {
        let kpi = req.goals.kpi(id);
        let Some(ks) = &kpi.source else { continue };
        // A date after the clock's today has no value yet: asking would record today's
        // value under it (SPEC 11). `asked` is sorted, so the future is its tail.
        let future = asked.split_off(asked.partition_point(|&d| d <= req.clock_today));
        let mut pulled = Pulled {
            kpi: id,
            source: ks.from.clone(),
            values: BTreeMap::new(),
            troubles: Vec::new(),
            future,
        };
        match req.sources.get(&ks.from) {
            None => pulled.troubles.push((
                None,
                Trouble::NoValue(format!("`{}` is not a source in goalpost.toml", ks.from)),
            )),
            Some(Source::Prometheus(p)) => {
                let query = ks.query.as_deref().unwrap_or_default();
                if let Some(token) = prometheus_token(req, &mut pulled, p, &mut down) {
                    let timeout = Duration::from_secs(p.timeout_secs);
                    for &d in &asked {
                        jobs.push(Job {
                            slot: out.len(),
                            date: d,
                            url: prometheus::query_url(
                                &p.url,
                                query,
                                dates::query_time(d, req.now_ms),
                            ),
                            token: token.clone(),
                            timeout,
                            source: ks.from.clone(),
                            base: p.shown(),
                            query: query.to_owned(),
                        });
                    }
                }
            }
            Some(Source::Csv { path }) => {
                let table = tables
                    .entry(ks.from.clone())
                    .or_insert_with(|| read_table(req.files, &ks.from, path));
                match table {
                    Err(t) => pulled.troubles.push((None, t.clone())),
                    Ok(table) => {
                        let reference = kpi.reference().to_string();
                        for &d in &asked {
                            match table.at(&reference, d) {
                                Ok((date, v)) => {
                                    pulled.values.insert(date, v);
                                }
                                Err(e) => pulled
                                    .troubles
                                    .push((Some(d), Trouble::NoValue(format!("{path}: {e}")))),
                            }
                        }
                    }
                }
            }
        }
        out.push(pulled);
    }
    let answers = ask_all(req.get, req.progress, &jobs, PARALLEL);
    settle(&mut out, &jobs, answers);
    Ok(out)
}

/// One Prometheus query to make: a date of the KPI in `out[slot]`.
struct Job {
    slot: usize,
    date: Date,
    url: String,
    token: Option<String>,
    timeout: Duration,
    /// The source's name and base URL, for messages.
    source: String,
    base: String,
    query: String,
}

/// What one query came to.
enum Answer {
    Value(f64),
    /// The source answered, but not with a value for this query.
    NoValue(String),
    /// The source could not be reached, or answered as no Prometheus would.
    Unreachable(String),
    /// Not sent: its source was found unreachable by another query of the run.
    NotAsked,
}

/// Runs `jobs` on at most `parallel` threads, answers in job order. A source found
/// unreachable is asked nothing more (queries of it already under way finish).
fn ask_all(get: Get<'_>, progress: Progress<'_>, jobs: &[Job], parallel: usize) -> Vec<Answer> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let mut totals: HashMap<&str, usize> = HashMap::new();
    for job in jobs {
        *totals.entry(&job.source).or_default() += 1;
    }
    let done: Mutex<HashMap<&str, usize>> = Mutex::new(HashMap::new());
    let down: Mutex<HashSet<&str>> = Mutex::new(HashSet::new());
    let answers: Mutex<Vec<Option<Answer>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    let is_down = |name: &str| down.lock().map(|d| d.contains(name)).unwrap_or(true);
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { break };
            let answer = if is_down(&job.source) {
                Answer::NotAsked
            } else {
                let a = ask(get, job);
                if matches!(a, Answer::Unreachable(_))
                    && let Ok(mut d) = down.lock()
                {
                    d.insert(&job.source);
                }
                a
            };
            if let Ok(mut all) = answers.lock() {
                all[i] = Some(answer);
            }
            if let Ok(mut done) = done.lock() {
                let n = done.entry(&job.source).or_default();
                *n += 1;
                progress(
                    &job.source,
                    *n,
                    totals.get(job.source.as_str()).copied().unwrap_or(0),
                );
            }
        }
    };
    let threads = parallel.clamp(1, jobs.len().max(1));
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    answers
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.unwrap_or(Answer::NotAsked))
        .collect()
}

fn ask(get: Get<'_>, job: &Job) -> Answer {
    let (name, base) = (&job.source, &job.base);
    match get(&job.url, job.token.as_deref(), job.timeout) {
        Err(why) => Answer::Unreachable(format!("cannot reach source `{name}` at {base}: {why}")),
        Ok(a) => match prometheus::value(a.status, &a.body) {
            Ok(v) => Answer::Value(v),
            Err(problem) if problem.is_unreachable() => Answer::Unreachable(format!(
                "source `{name}` at {base}: {}",
                problem.describe(&job.query)
            )),
            Err(problem) => Answer::NoValue(problem.describe(&job.query)),
        },
    }
}

/// Turns the answers into values and troubles, in job order, as if the queries had run one
/// after another: after a source's first unreachable answer its later queries count as not
/// asked (whatever a query already under way brought back), so the output does not depend
/// on which thread was quicker.
fn settle(out: &mut [Pulled], jobs: &[Job], answers: Vec<Answer>) {
    let mut down: HashSet<&str> = HashSet::new();
    // Per KPI: its own first failure ends it, like a source's (one trouble, not one per date).
    let mut ended: HashSet<usize> = HashSet::new();
    for (job, answer) in jobs.iter().zip(answers) {
        if ended.contains(&job.slot) {
            continue;
        }
        let pulled = &mut out[job.slot];
        if down.contains(job.source.as_str()) {
            pulled.troubles.push((
                None,
                Trouble::Unreachable(format!(
                    "not asked: source `{}` at {} could not be reached",
                    job.source, job.base
                )),
            ));
            ended.insert(job.slot);
            continue;
        }
        match answer {
            Answer::Value(v) => {
                pulled.values.insert(job.date, v);
            }
            Answer::NoValue(m) => pulled.troubles.push((Some(job.date), Trouble::NoValue(m))),
            Answer::Unreachable(m) => {
                pulled
                    .troubles
                    .push((Some(job.date), Trouble::Unreachable(m)));
                down.insert(&job.source);
                ended.insert(job.slot);
            }
            // Only after an unreachable answer of its source, which came first in order.
            Answer::NotAsked => {}
        }
    }
}

/// The token of a Prometheus source (`Some(None)` without `token_env`); `None` when its
/// variable is not set, which counts as the source being unreachable for the run.
fn prometheus_token(
    req: &Request<'_>,
    pulled: &mut Pulled,
    p: &crate::config::sources::Prometheus,
    down: &mut HashSet<String>,
) -> Option<Option<String>> {
    let name = &pulled.source;
    if down.contains(name) {
        pulled.troubles.push((
            None,
            Trouble::Unreachable(format!(
                "not asked: source `{name}` at {} could not be reached",
                p.shown()
            )),
        ));
        return None;
    }
    let Some(var) = &p.token_env else {
        return Some(None);
    };
    match (req.env)(var).filter(|t| !t.is_empty()) {
        Some(t) => Some(Some(t)),
        None => {
            down.insert(name.clone());
            pulled.troubles.push((
                None,
                Trouble::Unreachable(format!(
                    "the environment variable {var} (token_env of source `{name}`) is not set"
                )),
            ));
            None
        }
    }
}

/// Reads and parses a CSV source through the repository's path rules.
fn read_table(files: &dyn files::Source, name: &str, path: &str) -> Result<csv::Table, Trouble> {
    let bytes = match files.read(path, crate::load::MAX_FILE_BYTES) {
        Ok(Read::Bytes(b)) => b,
        Ok(Read::Missing) => {
            return Err(Trouble::Unreachable(format!(
                "source `{name}`: {path} does not exist (is the step that exports it before `goalpost pull`?)"
            )));
        }
        Ok(Read::TooLarge(n)) => {
            return Err(Trouble::NoValue(format!(
                "source `{name}`: {path} is {n} bytes; the limit is {} MiB",
                crate::load::MAX_FILE_BYTES / (1024 * 1024)
            )));
        }
        Ok(Read::Refused(r)) => return Err(Trouble::Refused(r)),
        Err(e) => {
            return Err(Trouble::Unreachable(format!(
                "source `{name}`: cannot read {path}: {e}"
            )));
        }
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| Trouble::NoValue(format!("source `{name}`: {path} is not UTF-8 text")))?;
    csv::parse(&text).map_err(|e| Trouble::NoValue(format!("source `{name}`: {path}: {e}")))
}

#[cfg(test)]
mod tests;
