//! `goalpost status`: scores and statuses of objectives, key results and KPIs.

use super::{CmdResult, Ctx, Failure, exit, load_valid, out, out_with};
use crate::model::Goals;
use crate::report::view::StatusView;
use crate::report::{csv, json, markdown, table};
use crate::score::{self, Thresholds};
use clap::{Args, ValueEnum};
use std::io::IsTerminal;

/// Show scores and statuses of objectives, key results and KPIs.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatusFormat::Table)]
    pub format: StatusFormat,
    #[command(flatten)]
    pub filter: Filter,
    /// Show objectives under their parent objectives (table format only).
    #[arg(long)]
    pub tree: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Table,
    Json,
    Markdown,
    Csv,
}

/// Which items to include.
#[derive(Debug, Args, Default, Clone)]
pub struct Filter {
    /// Only this team (repeatable).
    #[arg(long = "team", value_name = "TEAM")]
    pub teams: Vec<String>,
    /// Only this period, such as 2026-Q4 (repeatable).
    #[arg(long = "period", value_name = "PERIOD")]
    pub periods: Vec<String>,
    /// Only items with this owner.
    #[arg(long, value_name = "OWNER")]
    pub owner: Option<String>,
    /// Only KPIs.
    #[arg(long, conflicts_with = "okrs")]
    pub kpis: bool,
    /// Only objectives and key results.
    #[arg(long)]
    pub okrs: bool,
}

impl Filter {
    /// Indexes of the selected objectives and KPIs. Naming a team or period that does not
    /// exist is a usage error, so a typo does not look like "nothing to report".
    pub fn select(&self, goals: &Goals) -> Result<(Vec<usize>, Vec<usize>), Failure> {
        let teams: std::collections::BTreeSet<&str> = goals
            .objectives
            .iter()
            .map(|o| o.team.as_str())
            .chain(goals.kpis.iter().map(|k| k.team.as_str()))
            .collect();
        for t in &self.teams {
            if !teams.contains(t.as_str()) {
                return Err(Failure::Usage(unknown("team", t, teams.iter().copied())));
            }
        }
        let periods: std::collections::BTreeSet<&str> = goals
            .objectives
            .iter()
            .map(|o| o.period.name.as_str())
            .collect();
        for p in &self.periods {
            if !periods.contains(p.as_str()) {
                return Err(Failure::Usage(unknown(
                    "period",
                    p,
                    periods.iter().copied(),
                )));
            }
        }
        let team_ok = |t: &str| self.teams.is_empty() || self.teams.iter().any(|x| x == t);
        let owner_ok = |o: Option<&String>| self.owner.as_ref().is_none_or(|want| o == Some(want));
        let objectives = if self.kpis {
            Vec::new()
        } else {
            (0..goals.objectives.len())
                .filter(|&i| {
                    let o = &goals.objectives[i];
                    team_ok(&o.team)
                        && (self.periods.is_empty() || self.periods.contains(&o.period.name))
                        && owner_ok(o.owner.as_ref())
                })
                .collect()
        };
        let kpis = if self.okrs {
            Vec::new()
        } else {
            (0..goals.kpis.len())
                .filter(|&i| team_ok(&goals.kpis[i].team) && owner_ok(goals.kpis[i].owner.as_ref()))
                .collect()
        };
        Ok((objectives, kpis))
    }
}

fn unknown<'a>(what: &str, name: &str, known: impl Iterator<Item = &'a str>) -> String {
    let known: Vec<&str> = known.collect();
    let hint = match crate::diag::suggest(name, known.iter().copied()) {
        Some(s) => format!("; did you mean `{s}`?"),
        None if known.is_empty() => String::new(),
        None => format!("; known: {}", known.join(", ")),
    };
    format!("no {what} `{name}` in the goal files{hint}")
}

pub fn run(args: StatusArgs, ctx: &Ctx) -> CmdResult {
    if args.tree && args.format != StatusFormat::Table {
        return Err(Failure::Usage(
            "--tree lays out the table format only; drop --tree or use --format table".to_owned(),
        ));
    }
    let checked = load_valid(ctx)?;
    let goals = &checked.goals;
    let (objectives, kpis) = args.filter.select(goals)?;
    let card = score::score(goals, ctx.as_of, Thresholds::from(&checked.config));
    let view = StatusView::new(goals, &card, &objectives, &kpis);
    let text = match args.format {
        // Streamed: at thousands of teams the document is megabytes.
        StatusFormat::Json => {
            out_with(|w| json::write_status(w, &view))?;
            return Ok(exit::OK);
        }
        StatusFormat::Markdown => markdown::status(&view, markdown::GITHUB_LIMIT),
        StatusFormat::Csv => csv::status(&view),
        StatusFormat::Table => {
            let opts = table::TableOptions {
                color: ctx.color_out,
                width: terminal_width(),
                tree: args.tree,
            };
            table::status(&view, opts)
        }
    };
    out(&text)?;
    Ok(exit::OK)
}

/// The width to fit when standard output is a terminal: `$COLUMNS` when set (as `ls`
/// does), else what the terminal says, else 80. `None` for pipes and files, which are never
/// wrapped.
pub fn terminal_width() -> Option<u16> {
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok());
    Some(
        columns
            .filter(|&c| c > 0)
            .or_else(|| terminal_size::terminal_size_of(&stdout).map(|(w, _)| w.0))
            .unwrap_or(80),
    )
}
