//! `goalpost status`: scores and statuses of objectives, key results and KPIs.

use super::{CmdResult, Ctx, Failure, FilterArgs, exit, load_valid, out, out_with};
use crate::report::view::StatusView;
use crate::report::{csv, json, markdown, table};
use clap::{Args, ValueEnum};
use std::io::IsTerminal;

/// Show scores and statuses of objectives, key results and KPIs.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatusFormat::Table)]
    pub format: StatusFormat,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Show objectives under their parent objectives (table format only).
    #[arg(long)]
    pub tree: bool,
    /// Only the items that need attention (off track, at risk, stale, check-in overdue, a
    /// KPI not healthy, a guardrail breached).
    #[arg(long)]
    pub attention: bool,
    /// Only rows with these statuses (comma-separated): on_track, at_risk, off_track, done,
    /// no_data, not_started, achieved, missed; for KPIs healthy, warning, critical, no_data.
    #[arg(long, value_name = "STATUS", value_delimiter = ',')]
    pub status: Vec<String>,
    /// Also list the upstream objectives and KPIs the goals refer to (`NAME:team/id`), and the
    /// vendored objectives under theirs, with figures from the pinned snapshots.
    #[arg(long)]
    pub upstream: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Table,
    Json,
    Markdown,
    Csv,
}

pub(super) fn run(args: StatusArgs, ctx: &Ctx) -> CmdResult {
    if args.tree && args.format != StatusFormat::Table {
        return Err(Failure::Usage(
            "--tree lays out the table format only; drop --tree or use --format table".to_owned(),
        ));
    }
    let checked = load_valid(ctx)?;
    let goals = &checked.goals;
    let filter = args.filter.to_filter();
    let (objectives, kpis) = filter.select(goals)?;
    let since = args.filter.since(ctx.as_of)?;
    let (card, before) = super::scored(&checked, ctx, since)?;
    let mut view = StatusView::new(goals, &card, &objectives, &kpis);
    view.since(&before, &card);
    if filter.owner.is_some() {
        view.keep(
            |o| filter.owns_objective(o.objective),
            |k| filter.owns_kr(k.objective, k.kr),
            |_| true,
        );
    }
    if args.attention {
        use crate::attention::Item;
        let listed: Vec<Item> = view.attention.iter().map(|e| e.item).collect();
        view.keep(
            |o| listed.contains(&Item::Objective(o.id)),
            |k| listed.contains(&Item::KeyResult(k.score.id)),
            |k| listed.contains(&Item::Kpi(k.id)),
        );
    }
    if !args.status.is_empty() {
        let wanted = statuses(&args.status)?;
        let has = |w: &str| wanted.iter().any(|x| x == w);
        view.keep(
            |o| has(o.score.status.as_str()),
            |k| has(k.score.status.as_str()),
            |k| has(k.score.status.as_str()),
        );
    }
    // `--upstream` (SPEC 13): the upstream items, apart from this repository's own.
    let upstream = args
        .upstream
        .then(|| StatusView::of_upstream(&view, &card))
        .filter(|u| {
            args.format == StatusFormat::Json || !u.objectives.is_empty() || !u.kpis.is_empty()
        });
    const UPSTREAM: &str = "Upstream goals (from the snapshots goalpost.lock pins)";
    let text = match args.format {
        // Streamed: at thousands of teams the document is megabytes.
        StatusFormat::Json => {
            out_with(|w| json::write_status_with(w, &view, upstream.as_ref()))?;
            // Freeing the model is left to the process's end (a tenth of the run at
            // thousands of teams, on one core).
            std::mem::forget(upstream);
            std::mem::forget(view);
            std::mem::forget((before, card, checked));
            return Ok(exit::OK);
        }
        StatusFormat::Markdown => {
            let mut text = markdown::status(&view, crate::text::fit::GITHUB_LIMIT);
            if let Some(u) = &upstream {
                text.push_str(&format!("\n## {UPSTREAM}\n\n"));
                text.push_str(&markdown::status(u, crate::text::fit::GITHUB_LIMIT));
            }
            text
        }
        StatusFormat::Csv => {
            let mut text = csv::status(&view);
            if let Some(u) = &upstream {
                // The same columns: the rows' refs carry the upstream's name.
                let rows = csv::status(u);
                text.push_str(rows.split_once('\n').map_or("", |(_, rest)| rest));
            }
            text
        }
        StatusFormat::Table => {
            let opts = table::TableOptions {
                color: ctx.color_out,
                width: terminal_width(),
                tree: args.tree,
            };
            let mut text = table::status(&view, opts);
            if let Some(u) = &upstream {
                text.push_str(&format!("\n{UPSTREAM}\n\n"));
                text.push_str(&table::status(u, opts));
            }
            text
        }
    };
    out(&text)?;
    std::mem::forget((text, upstream));
    std::mem::forget(view);
    std::mem::forget((before, card, checked));
    Ok(exit::OK)
}

/// The width to fit when standard output is a terminal: `$COLUMNS` when set (as `ls`
/// does), else what the terminal says, else 80. `None` for pipes and files, which are never
/// wrapped.
pub(super) fn terminal_width() -> Option<u16> {
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

/// `--status` values, each a status of an objective, a key result or a KPI.
fn statuses(given: &[String]) -> Result<Vec<String>, Failure> {
    use crate::score::{KpiStatus, Status};
    let known: Vec<&str> = Status::ALL
        .iter()
        .map(|s| s.as_str())
        .chain(
            [KpiStatus::Healthy, KpiStatus::Warning, KpiStatus::Critical]
                .iter()
                .map(|s| s.as_str()),
        )
        .collect();
    given
        .iter()
        .map(|g| {
            let w = g.trim().replace([' ', '-'], "_");
            if known.contains(&w.as_str()) {
                Ok(w)
            } else {
                Err(Failure::Usage(format!(
                    "--status {}: not a status; use one of {}",
                    crate::text::safe::human(g),
                    known.join(", ")
                )))
            }
        })
        .collect()
}
