//! `goalpost report`: a whole report document, Markdown for a pull-request comment or job
//! summary, or one self-contained HTML page with charts. With `-o FILE` the file is replaced
//! atomically, so a reader never sees half a report.

use super::status::Filter;
use super::{CmdResult, Ctx, Failure, exit, load_valid, out};
use crate::report::view::StatusView;
use crate::report::{html, markdown};
use crate::score::{self, Thresholds};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// Write a whole report: Markdown (PR comment, job summary, wiki) or one HTML page with charts.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write the report to FILE (replaced atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub filter: Filter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One document with tables; stays under GitHub's 65,536-character comment limit.
    Markdown,
    /// One self-contained page: inline CSS and SVG charts, nothing fetched.
    Html,
}

pub fn run(args: ReportArgs, ctx: &Ctx) -> CmdResult {
    let checked = load_valid(ctx)?;
    let goals = &checked.goals;
    let (objectives, kpis) = args.filter.select(goals)?;
    let card = score::score(goals, ctx.as_of, Thresholds::from(&checked.config));
    let view = StatusView::new(goals, &card, &objectives, &kpis);
    let text = match args.format {
        ReportFormat::Markdown => markdown::report(&view, markdown::GITHUB_LIMIT),
        ReportFormat::Html => html::report(&view),
    };
    match &args.output {
        None => out(&text)?,
        Some(path) => {
            let path = ctx.cwd.join(path);
            crate::fsutil::write_atomic(&path, text.as_bytes())
                .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))?;
        }
    }
    Ok(exit::OK)
}
