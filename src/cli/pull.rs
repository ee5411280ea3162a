//! `goalpost pull [REF...]`: fetches KPI values from the sources in goalpost.toml (SPEC 11)
//! and appends each as a check-in (`by: goalpost pull`, a note naming the source) through the
//! one write path of check-ins. A value already recorded on its date is skipped; a different
//! one is reported and not written. Values fetched are appended even when another KPI failed;
//! the exit code is 3 when a source could not be reached, else 1 when a query gave no usable
//! value. Everything from a server or the repository is printed escaped.

use super::append;
use super::{CmdResult, Ctx, Failure, exit, load_valid_keeping, out, parse_date, plural};
use crate::checkin::{self, NewCheckin};
use crate::model::{Date, Goals, KpiId, Observation};
use crate::pull::{self, Trouble};
use crate::select::{Target, resolve};
use crate::text::safe;
use crate::write::log::Appended;
use clap::Args;
use std::collections::BTreeMap;
use std::io::IsTerminal as _;

/// Fetch KPI values from the sources in goalpost.toml and append them as check-ins.
#[derive(Debug, Args)]
pub struct PullArgs {
    /// Only these KPIs (`team/kpi`); default every KPI with a `source:`.
    #[arg(value_name = "REF")]
    pub refs: Vec<String>,
    /// Fetch the value at the end of this day (YYYY-MM-DD); default --as-of, else today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<Date>,
    /// Also fetch one value per cadence step back to this date (weekly: every 7 days;
    /// monthly: month ends; quarterly: quarter ends): a backfill.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<Date>,
    /// Print the check-ins that would be appended; write nothing.
    #[arg(long, conflicts_with = "commit")]
    pub dry_run: bool,
    /// Commit the log (only that file) with your git identity.
    #[arg(long)]
    pub commit: bool,
}

pub(super) fn run(args: PullArgs, ctx: &Ctx) -> CmdResult {
    if ctx.at.is_some() {
        return Err(Failure::Usage(
            "--at: pull writes to the work tree and cannot write to a revision".to_owned(),
        ));
    }
    let date = args.date.unwrap_or(ctx.as_of);
    if date > ctx.today {
        return Err(Failure::Usage(format!(
            "--date {date} is after today ({}): there is no value yet",
            ctx.today
        )));
    }
    if let Some(since) = args.since
        && since > date
    {
        return Err(Failure::Usage(format!(
            "--since {since} is after the date pulled ({date})"
        )));
    }
    let mut kept = crate::check::Kept::default();
    // The repository as first loaded is left to the process's exit, as `status` leaves its
    // model (freeing it was a twentieth of a pull at 3,000 teams).
    let mut checked = std::mem::ManuallyDrop::new(load_valid_keeping(ctx, Some(&mut kept))?);
    let goals = &checked.goals;
    let kpis = targets(&args.refs, goals, date)?;
    if kpis.is_empty() {
        eprintln!(
            "note: no KPI names a source; add `source: {{ from: NAME }}` to a KPI and [sources.NAME] to goalpost.toml"
        );
        return Ok(exit::OK);
    }
    // Before anything is fetched: a log that cannot be written, a merge in progress.
    let log = if args.dry_run {
        None
    } else {
        Some(append::open(ctx, &checked.config, args.commit)?)
    };
    let tree = crate::load::source::WorkTree::new(&ctx.root)
        .map_err(|e| Failure::Io(format!("cannot open {}: {e}", ctx.root.display())))?;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    let env = |var: &str| std::env::var(var).ok();
    // Queries run PARALLEL at a time. On a terminal one line counts each source's in place;
    // in a CI log a line per source at every tenth of its way (no carriage returns there).
    let terminal = std::io::stderr().is_terminal();
    let counts: std::sync::Mutex<BTreeMap<String, (usize, usize)>> = Default::default();
    let progress = |source: &str, done: usize, total: usize| {
        if terminal {
            let Ok(mut counts) = counts.lock() else {
                return;
            };
            counts.insert(source.to_owned(), (done, total));
            let line: Vec<String> = counts
                .iter()
                .map(|(s, (d, t))| format!("{} {d}/{t}", safe::human(s)))
                .collect();
            eprint!("\rpull: {} queries\x1b[K", line.join(" · "));
            if counts.values().all(|(d, t)| d == t) {
                eprintln!();
            }
        } else if done == total || (total >= 20 && done.is_multiple_of(total / 10)) {
            eprintln!("pull: {} {done}/{total} queries", safe::human(source));
        }
    };
    let request = pull::Request {
        goals,
        sources: &checked.config.sources,
        files: &tree,
        date,
        since: args.since,
        now_ms,
        clock_today: Date::today(),
        env: &env,
        get: &crate::net::get,
        progress: &progress,
    };
    let pulled = pull::pull(&request, &kpis).map_err(Failure::Usage)?;
    print_future(&pulled, goals, request.clock_today);
    let code = print_troubles(&pulled, goals);
    let plan = plan(&pulled, goals);
    let Some(log) = log else {
        let mut text = format!(
            "would append {}{}; nothing written (--dry-run)\n",
            plural(plan.rows.len(), "check-in"),
            plan.tail(0)
        );
        for (r, _) in &plan.rows {
            if let Some(flow) = r.flow() {
                text.push_str(&format!("  - {}\n", safe::human(&flow)));
            }
        }
        out(&text)?;
        return Ok(code);
    };
    if plan.rows.is_empty() {
        out(&format!("nothing new to append{}\n", plan.tail(0)))?;
        return Ok(code);
    }
    let rows: Vec<NewCheckin> = plan.rows.iter().map(|(r, _)| r.clone()).collect();
    // Rows another run appended in the meantime are skipped by the writer.
    kept.texts(&mut checked.sources);
    let (text, also) = match log
        .append_kept(&rows, Some(kept))
        .map_err(|e| super::write_failure(e, ctx))?
    {
        Appended::Written {
            text,
            skipped,
            after,
            ..
        } => {
            // The repository as judged is left to the process's exit, as `status` leaves
            // its model.
            std::mem::forget(after);
            (text, skipped)
        }
        Appended::Nothing { skipped } => {
            out(&format!(
                "nothing new to append{}\n",
                plan.tail(skipped.len())
            ))?;
            return Ok(code);
        }
        Appended::Refused(r) => {
            let n = super::print_errors(&r.after, ctx);
            eprintln!(
                "error: pull refused ({}); {} was not changed",
                plural(n, "error"),
                log.shown
            );
            return Err(Failure::Reported(exit::FINDINGS));
        }
    };
    let written: Vec<&(NewCheckin, &str)> = plan
        .rows
        .iter()
        .enumerate()
        .filter(|(i, _)| !also.contains(i))
        .map(|(_, r)| r)
        .collect();
    let mut report = String::new();
    for (r, _) in &written {
        let line = format!("{} = {} ({})", r.reference, r.value_text(), r.date);
        report.push_str(&safe::human(&line));
        report.push('\n');
    }
    report.push_str(&format!(
        "appended {} to {}{}\n",
        plural(written.len(), "check-in"),
        log.shown,
        plan.tail(also.len())
    ));
    let mut sources: Vec<&str> = written.iter().map(|(_, s)| *s).collect();
    sources.sort_unstable();
    sources.dedup();
    let message = format!(
        "pull: {} from {}",
        plural(written.len(), "check-in"),
        sources.join(", ")
    );
    // The same ending as `checkin`; pull's own exit code says whether every source answered.
    append::finish(&log, ctx, &text, &message, report)?;
    Ok(code)
}

/// Notes the dates not asked about because they are after the clock's today (SPEC 11), KPI
/// by KPI: a `GOALPOST_TODAY` later than the clock cannot fetch the future.
fn print_future(pulled: &[pull::Pulled], goals: &Goals, clock: Date) {
    for p in pulled {
        let dates: Vec<String> = p.future.iter().map(Date::to_string).collect();
        let listed = match dates.as_slice() {
            [] => continue,
            [one] => one.clone(),
            [a, b] => format!("{a} and {b}"),
            [first, .., last] => format!("{} dates, {first} to {last}", dates.len()),
        };
        let line = format!(
            "note: {}: not asked about {listed}: after the clock's today ({clock}) there is no value yet (is GOALPOST_TODAY later than the clock?)",
            goals.kpi(p.kpi).reference()
        );
        eprintln!("{}", safe::human(&line));
    }
}

/// Prints what went wrong, KPI by KPI; the exit code it means (SPEC 11): 3 when a source
/// could not be reached, else 1 when a query gave no usable value, else 0.
fn print_troubles(pulled: &[pull::Pulled], goals: &Goals) -> u8 {
    let (mut unreachable, mut no_value) = (false, false);
    for p in pulled {
        let reference = goals.kpi(p.kpi).reference();
        for (when, trouble) in &p.troubles {
            let at = when.map(|d| format!(" ({d})")).unwrap_or_default();
            match trouble {
                Trouble::Unreachable(m) | Trouble::NoValue(m) => {
                    if matches!(trouble, Trouble::Unreachable(_)) {
                        unreachable = true;
                    } else {
                        no_value = true;
                    }
                    eprintln!("error: {}", safe::human(&format!("{reference}{at}: {m}")));
                }
                Trouble::Refused(r) => {
                    no_value = true;
                    let m = format!("{reference}: source `{}`: {}", p.source, r.describe());
                    eprintln!("error[symlink-escape]: {}", safe::human(&m));
                    eprintln!("  = help: {}", r.help());
                }
            }
        }
    }
    if unreachable {
        exit::IO
    } else if no_value {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

/// The check-ins the values become, each with its source's name; and how many values were
/// left out: the same value already recorded on that date, or a different one (reported).
struct Plan<'p> {
    rows: Vec<(NewCheckin, &'p str)>,
    skipped: usize,
    differ: usize,
}

impl Plan<'_> {
    /// " (2 already recorded, 1 different from what is recorded)", counting `more` skipped.
    fn tail(&self, more: usize) -> String {
        let mut parts = Vec::new();
        if self.skipped + more > 0 {
            parts.push(format!("{} already recorded", self.skipped + more));
        }
        if self.differ > 0 {
            parts.push(format!("{} different from what is recorded", self.differ));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        }
    }
}

fn plan<'p>(pulled: &'p [pull::Pulled], goals: &Goals) -> Plan<'p> {
    let mut plan = Plan {
        rows: Vec::new(),
        skipped: 0,
        differ: 0,
    };
    for p in pulled {
        let kpi = goals.kpi(p.kpi);
        let reference = kpi.reference().to_string();
        for (&d, &value) in &p.values {
            // Check-ins are sorted by date, one per date (after corrections).
            let recorded = kpi
                .checkins
                .binary_search_by_key(&d, |c| c.date)
                .ok()
                .map(|i| kpi.checkins[i].obs);
            match recorded {
                Some(Observation::Value(v)) if v == value => plan.skipped += 1,
                Some(other) => {
                    plan.differ += 1;
                    let recorded = match other {
                        Observation::Value(v) => checkin::number(v).unwrap_or_default(),
                        Observation::Done(_) => "a milestone state".to_owned(),
                    };
                    let m = format!(
                        "{reference} ({d}): `{}` gives {}, but {recorded} is recorded; not written (to change it, check in a correction)",
                        p.source,
                        checkin::number(value).unwrap_or_default()
                    );
                    eprintln!("warning: {}", safe::human(&m));
                }
                None => plan.rows.push((
                    NewCheckin {
                        reference: reference.clone(),
                        date: d,
                        obs: Observation::Value(value),
                        confidence: None,
                        note: Some(format!("pulled from {}", p.source)),
                        by: Some("goalpost pull".to_owned()),
                        correction: None,
                    },
                    p.source.as_str(),
                )),
            }
        }
    }
    plan
}

/// The KPIs to pull: those named (each must be a KPI with a source), or every KPI with one.
fn targets(refs: &[String], goals: &Goals, date: Date) -> Result<Vec<KpiId>, Failure> {
    if refs.is_empty() {
        return Ok(goals
            .kpi_ids()
            .filter(|&k| goals.kpi(k).source.is_some())
            .collect());
    }
    let mut out = Vec::new();
    for r in refs {
        match resolve(goals, r, None, date)? {
            Target::Kpi(k) if goals.kpi(k).source.is_some() => {
                if !out.contains(&k) {
                    out.push(k);
                }
            }
            Target::Kpi(_) => {
                return Err(Failure::Usage(format!(
                    "`{r}` has no source; add `source: {{ from: NAME, query: ... }}` to the KPI"
                )));
            }
            Target::KeyResult(_) | Target::Objective(_) => {
                return Err(Failure::Usage(format!(
                    "`{r}` is not a KPI; pull fetches KPIs (a key result takes its KPI's values through `kpi:`)"
                )));
            }
        }
    }
    Ok(out)
}
