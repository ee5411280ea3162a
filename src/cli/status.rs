//! `goalpost status`: scores and statuses of objectives, key results and KPIs.

use super::{CmdResult, Ctx, Failure, FilterArgs, exit, load_valid, out, out_with};
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
    pub filter: FilterArgs,
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

pub fn run(args: StatusArgs, ctx: &Ctx) -> CmdResult {
    if args.tree && args.format != StatusFormat::Table {
        return Err(Failure::Usage(
            "--tree lays out the table format only; drop --tree or use --format table".to_owned(),
        ));
    }
    let checked = load_valid(ctx)?;
    let goals = &checked.goals;
    let (objectives, kpis) = args.filter.to_filter().select(goals)?;
    let card = score::score(
        super::valid(&checked)?,
        ctx.as_of,
        Thresholds::from(&checked.config),
    );
    let view = StatusView::new(goals, &card, &objectives, &kpis);
    let text = match args.format {
        // Streamed: at thousands of teams the document is megabytes.
        StatusFormat::Json => {
            out_with(|w| json::write_status(w, &view))?;
            return Ok(exit::OK);
        }
        StatusFormat::Markdown => markdown::status(&view, crate::text::fit::GITHUB_LIMIT),
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
