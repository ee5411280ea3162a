//! `goalpost pull [REF...]`: fetches KPI values from the sources in goalpost.toml (SPEC 11)
//! and appends each as a check-in (`by: goalpost pull`, a note naming the source) through the
//! one write path of check-ins. A value already recorded on its date is skipped; a different
//! one is reported and not written. Values fetched are appended even when another KPI failed;
//! the exit code is 3 when a source could not be reached, else 1 when a query gave no usable
//! value. Everything from a server or the repository is printed escaped.

use super::append::{Appended, Log};
use super::{CmdResult, Ctx, Failure, exit, load_valid, out, parse_date, plural};
use crate::checkin::{self, NewCheckin};
use crate::model::{Date, KpiId, Observation};
use crate::pull::{self, Trouble};
use crate::select::{Target, resolve};
use crate::text::safe;
use clap::Args;

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

pub fn run(args: PullArgs, ctx: &Ctx) -> CmdResult {
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
    let checked = load_valid(ctx)?;
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
        Some(Log::open(ctx, &checked.config, args.commit)?)
    };
    let tree = crate::load::source::WorkTree::new(&ctx.root)
        .map_err(|e| Failure::Io(format!("cannot open {}: {e}", ctx.root.display())))?;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    let env = |var: &str| std::env::var(var).ok();
    let request = pull::Request {
        goals,
        sources: &checked.config.sources,
        files: &tree,
        date,
        since: args.since,
        now_ms,
        env: &env,
        get: &pull::http::get,
    };
    let pulled = pull::pull(&request, &kpis).map_err(Failure::Usage)?;

    let mut rows = Vec::new();
    let (mut skipped, mut differ, mut unreachable, mut no_value) = (0, 0, false, false);
    for p in &pulled {
        let kpi = goals.kpi(p.kpi);
        let reference = kpi.reference().to_string();
        for (when, trouble) in &p.troubles {
            let at = when.map(|d| format!(" ({d})")).unwrap_or_default();
            match trouble {
                Trouble::Unreachable(m) => {
                    unreachable = true;
                    eprintln!("error: {}", safe::human(&format!("{reference}{at}: {m}")));
                }
                Trouble::NoValue(m) => {
                    no_value = true;
                    eprintln!("error: {}", safe::human(&format!("{reference}{at}: {m}")));
                }
                Trouble::Refused(r) => {
                    no_value = true;
                    eprintln!(
                        "error[symlink-escape]: {}",
                        safe::human(&format!(
                            "{reference}: source `{}`: {}",
                            p.source,
                            r.describe()
                        ))
                    );
                    eprintln!("  = help: {}", r.help());
                }
            }
        }
        for (&d, &value) in &p.values {
            match kpi.checkins.iter().find(|c| c.date == d) {
                Some(c) if c.obs == Observation::Value(value) => skipped += 1,
                Some(c) => {
                    differ += 1;
                    let recorded = match c.obs {
                        Observation::Value(v) => checkin::number(v).unwrap_or_default(),
                        Observation::Done(_) => "a milestone state".to_owned(),
                    };
                    eprintln!(
                        "warning: {}",
                        safe::human(&format!(
                            "{reference} ({d}): `{}` gives {}, but {recorded} is recorded; not written (to change it, check in a correction)",
                            p.source,
                            checkin::number(value).unwrap_or_default()
                        ))
                    );
                }
                None => rows.push(NewCheckin {
                    reference: reference.clone(),
                    date: d,
                    obs: Observation::Value(value),
                    confidence: None,
                    note: Some(format!("pulled from {}", p.source)),
                    by: Some("goalpost pull".to_owned()),
                    correction: None,
                }),
            }
        }
    }
    let code = if unreachable {
        exit::IO
    } else if no_value {
        exit::FINDINGS
    } else {
        exit::OK
    };
    let tail = |skipped: usize| {
        let mut parts = Vec::new();
        if skipped > 0 {
            parts.push(format!("{skipped} already recorded"));
        }
        if differ > 0 {
            parts.push(format!("{differ} different from what is recorded"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        }
    };
    let Some(log) = log else {
        let mut text = format!(
            "would append {}{}; nothing written (--dry-run)\n",
            plural(rows.len(), "check-in"),
            tail(skipped)
        );
        for r in &rows {
            if let Some(flow) = r.flow() {
                text.push_str(&format!("  - {}\n", safe::human(&flow)));
            }
        }
        out(&text)?;
        return Ok(code);
    };
    if rows.is_empty() {
        out(&format!("nothing new to append{}\n", tail(skipped)))?;
        return Ok(code);
    }
    let (text, also_there) = match log.append(ctx, &rows)? {
        Appended::Written { text, skipped, .. } => (text, skipped),
        Appended::Nothing { skipped: s } => {
            out(&format!(
                "nothing new to append{}\n",
                tail(skipped + s.len())
            ))?;
            return Ok(code);
        }
        Appended::Refused(r) => {
            let n = super::print_errors(&r.after, ctx.color_err);
            eprintln!(
                "error: pull refused ({}); {} was not changed",
                plural(n, "error"),
                log.shown
            );
            return Err(Failure::Reported(exit::FINDINGS));
        }
    };
    // Rows that another run appended in the meantime were skipped by the writer.
    let written = rows.len() - also_there.len();
    let mut report = String::new();
    for (_, r) in rows
        .iter()
        .enumerate()
        .filter(|(i, _)| !also_there.contains(i))
    {
        let line = format!("{} = {} ({})", r.reference, r.value_text(), r.date);
        report.push_str(&safe::human(&line));
        report.push('\n');
    }
    report.push_str(&format!(
        "appended {} to {}{}\n",
        plural(written, "check-in"),
        log.shown,
        tail(skipped + also_there.len())
    ));
    let mut names: Vec<&str> = pulled.iter().map(|p| p.source.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let message = format!(
        "pull: {} from {}",
        plural(written, "check-in"),
        names.join(", ")
    );
    match log.commit(&text, &message) {
        Ok(Some(id)) => report.push_str(&format!("committed {id}\n")),
        Ok(None) => {}
        Err(e) => {
            out(&report)?;
            return Err(e);
        }
    }
    out(&report)?;
    Ok(code)
}

/// The KPIs to pull: those named (each must be a KPI with a source), or every KPI with one.
fn targets(
    refs: &[String],
    goals: &crate::model::Goals,
    date: Date,
) -> Result<Vec<KpiId>, Failure> {
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
