//! `goalpost report`: a whole report document, Markdown for a pull-request comment or job
//! summary, or one self-contained HTML page with charts. With `-o FILE` the file is replaced
//! atomically, so a reader never sees half a report.

use super::{CmdResult, Ctx, Failure, exit, load_valid, out, out_with};
use crate::report::view::StatusView;
use crate::report::{html, markdown};
use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Write a whole report: Markdown (PR comment, job summary, wiki) or one HTML page with charts.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write the report to FILE (replaced atomically) instead of standard output; with
    /// `--format html`, `-o DIR/` writes a site: index.html and a page per team.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub filter: super::FilterArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One document with tables; stays under GitHub's 65,536-character comment limit.
    Markdown,
    /// One self-contained page: inline CSS and SVG charts, nothing fetched.
    Html,
}

/// `-o DIR/` (a trailing slash, or an existing directory) writes a site.
fn is_dir_target(path: &std::path::Path) -> bool {
    path.as_os_str().to_string_lossy().ends_with('/') || path.is_dir()
}

/// Refuses an output path inside the repository when it or a directory on it is a
/// symbolic link (SPEC 10): a pull request could commit `site -> /elsewhere` and have the
/// pages written there. Outside the repository the command line decides alone.
pub(super) fn refuse_links(ctx: &Ctx, path: &std::path::Path) -> Result<(), Failure> {
    let shown = |p: &std::path::Path| p.strip_prefix(&ctx.root).unwrap_or(p).display().to_string();
    match crate::fsutil::link_inside(&ctx.root, path) {
        Ok(None) => Ok(()),
        Ok(Some(link)) => Err(Failure::Io(format!(
            "cannot write {}: `{}` is a symbolic link inside the repository, and goalpost does not write through links there; nothing was written",
            path.display(),
            shown(&link)
        ))),
        Err(e) => Err(Failure::Io(format!(
            "cannot write {}: {e}; nothing was written",
            path.display()
        ))),
    }
}

pub(super) fn run(args: ReportArgs, ctx: &Ctx) -> CmdResult {
    let checked = load_valid(ctx)?;
    let goals = &checked.goals;
    let (objectives, kpis) = args.filter.to_filter().select(goals)?;
    let since = args.filter.since(ctx.as_of)?;
    let (card, before) = super::scored(&checked, ctx, since)?;
    let mut view = StatusView::new(goals, &card, &objectives, &kpis);
    view.since(&before, &card);
    // The HTML report ends with how the teams plan and report (SPEC 14), over what it shows.
    if args.format == ReportFormat::Html {
        let sel = crate::insights::Selection {
            periods: args.filter.periods.clone(),
            teams: args.filter.teams.clone(),
            owners: args.filter.owner.iter().cloned().collect(),
        };
        let periods = crate::insights::periods(goals, &sel, ctx.as_of)
            .map_err(|e| Failure::Usage(e.to_string()))?;
        let history = super::insights::read_history(&checked, ctx, false)?;
        let r = crate::insights::insights(goals, &card, history.as_ref(), &sel, periods, ctx.as_of);
        view.insights_html = Some(crate::insights::html::section(&r));
    }
    let fail = |path: &std::path::Path, e: std::io::Error| {
        Failure::Io(format!("cannot write {}: {e}", path.display()))
    };
    if let Some(path) = &args.output {
        refuse_links(ctx, &ctx.cwd.join(path))?;
    }
    // The organisation the pages' titles name: the repository's directory.
    let org = ctx
        .root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match (args.format, &args.output) {
        (ReportFormat::Markdown, None) => {
            out(&markdown::report(&view, crate::text::fit::GITHUB_LIMIT))?
        }
        (ReportFormat::Markdown, Some(path)) => {
            let path = ctx.cwd.join(path);
            let text = markdown::report(&view, crate::text::fit::GITHUB_LIMIT);
            crate::fsutil::write_atomic(&path, text.as_bytes()).map_err(|e| fail(&path, e))?;
        }
        // A page is for a browser, not a terminal (as gzip keeps binary off one).
        (ReportFormat::Html, None) if std::io::stdout().is_terminal() => {
            return Err(Failure::Usage(
                "--format html writes a web page, not text for a terminal: add -o report.html (or -o DIR/ for a site), or pipe it".to_owned(),
            ));
        }
        // Streamed: at hundreds of teams the page is megabytes.
        (ReportFormat::Html, None) => out_with(|w| html::write_page(w, &view, &org))?,
        (ReportFormat::Html, Some(path)) if is_dir_target(path) => {
            let dir = ctx.cwd.join(path);
            std::fs::create_dir_all(&dir).map_err(|e| fail(&dir, e))?;
            let mut pages = 0;
            html::write_site(&view, &org, &mut |name, write| {
                pages += 1;
                crate::fsutil::write_atomic_with(&dir.join(name), |w| write(w))
            })
            .map_err(|e| fail(&dir, e))?;
            // Said on stderr: standard output stays empty with -o.
            eprintln!(
                "wrote {} to {} (open {})",
                crate::text::plural(pages, "page"),
                path.display(),
                path.join("index.html").display()
            );
        }
        (ReportFormat::Html, Some(path)) => {
            let path = ctx.cwd.join(path);
            crate::fsutil::write_atomic_with(&path, |w| html::write_page(w, &view, &org))
                .map_err(|e| fail(&path, e))?;
        }
    }
    Ok(exit::OK)
}
