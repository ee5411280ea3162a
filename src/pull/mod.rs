//! `goalpost pull`'s library side (SPEC 11): for each KPI with a `source:`, its value at the
//! end of a date (and with `--since`, one per cadence step back), from a Prometheus server
//! (an instant query that must return exactly one sample) or a CSV file in the repository.
//! The result is values and troubles per KPI; the command turns values into check-ins.
//!
//! Only this module reaches the network, through [`http`] alone, and only at URLs that
//! goalpost.toml names: a goal file contributes a query, which travels percent-encoded in
//! the URL's query string. CSV files are read through the one path resolver. A source that
//! cannot be reached is asked nothing more in the run.

pub mod csv;
pub mod dates;
pub mod http;
pub mod prometheus;

use crate::config::sources::Source;
use crate::date::Date;
use crate::load::source::{self as files, Read, Refused};
use crate::model::{Goals, KpiId};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

/// What stands between a KPI and a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Trouble {
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
pub struct Pulled {
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

/// An HTTP GET: `(url, bearer token, timeout)` to an answer or why there is none.
pub type Get<'a> = &'a dyn Fn(&str, Option<&str>, Duration) -> Result<http::Answer, String>;

/// Everything a pull needs besides the KPIs.
pub struct Request<'a> {
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
}

/// Pulls the values of `kpis` (each must have a source). `Err` (a usage problem, nothing
/// asked) when `--since` gives a KPI more than [`dates::MAX_DATES`] dates.
pub fn pull(req: &Request<'_>, kpis: &[KpiId]) -> Result<Vec<Pulled>, String> {
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
                prometheus_values(req, &mut pulled, p, query, &asked, &mut down);
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
    Ok(out)
}

fn prometheus_values(
    req: &Request<'_>,
    pulled: &mut Pulled,
    p: &crate::config::sources::Prometheus,
    query: &str,
    asked: &[Date],
    down: &mut HashSet<String>,
) {
    let name = &pulled.source;
    if down.contains(name) {
        pulled.troubles.push((
            None,
            Trouble::Unreachable(format!(
                "not asked: source `{name}` at {} could not be reached",
                p.shown()
            )),
        ));
        return;
    }
    let token = match &p.token_env {
        None => None,
        Some(var) => match (req.env)(var).filter(|t| !t.is_empty()) {
            Some(t) => Some(t),
            None => {
                down.insert(name.clone());
                pulled.troubles.push((
                    None,
                    Trouble::Unreachable(format!(
                        "the environment variable {var} (token_env of source `{name}`) is not set"
                    )),
                ));
                return;
            }
        },
    };
    let timeout = Duration::from_secs(p.timeout_secs);
    for &d in asked {
        let url = prometheus::query_url(&p.url, query, dates::query_time(d, req.now_ms));
        let answer = match (req.get)(&url, token.as_deref(), timeout) {
            Ok(a) => a,
            Err(why) => {
                down.insert(name.clone());
                pulled.troubles.push((
                    Some(d),
                    Trouble::Unreachable(format!(
                        "cannot reach source `{name}` at {}: {why}",
                        p.shown()
                    )),
                ));
                return;
            }
        };
        match prometheus::value(answer.status, &answer.body) {
            Ok(v) => {
                pulled.values.insert(d, v);
            }
            Err(problem) if problem.is_unreachable() => {
                down.insert(name.clone());
                pulled.troubles.push((
                    Some(d),
                    Trouble::Unreachable(format!(
                        "source `{name}` at {}: {}",
                        p.shown(),
                        problem.describe(query)
                    )),
                ));
                return;
            }
            Err(problem) => pulled
                .troubles
                .push((Some(d), Trouble::NoValue(problem.describe(query)))),
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
