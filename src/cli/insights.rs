//! `goalpost insights`: how the team plans and reports, measured from the files and their git
//! history (SPEC 14). Loads and scores as of --as-of, reads the history once, and prints.

use super::{CmdResult, Ctx, Failure, exit, out};
use crate::history::HistoryError;
use crate::insights::{self, Selection, history, json, markdown, text};
use clap::{Args, ValueEnum};

/// Measure how the team plans and reports: how late check-ins are committed, how regularly
/// key results are checked in, targets edited in place versus revised with a reason, how well
/// the forecasts beat "nothing moves", and how calibrated the confidences were.
#[derive(Debug, Args)]
pub struct InsightsArgs {
    /// Only this period (repeatable); default: periods that ended in the last year, and open ones.
    #[arg(long = "period", value_name = "PERIOD")]
    pub periods: Vec<String>,
    /// Only this team (repeatable).
    #[arg(long = "team", value_name = "TEAM")]
    pub teams: Vec<String>,
    /// Only key results and KPIs this person owns (repeatable).
    #[arg(long = "owner", value_name = "OWNER")]
    pub owners: Vec<String>,
    /// Name owners: a block per owner (text and markdown; JSON always has them).
    #[arg(long)]
    pub by_owner: bool,
    /// Output format: text (terminal), markdown (a retrospective section) or json.
    #[arg(long, value_enum, default_value_t = InsightsFormat::Text)]
    pub format: InsightsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InsightsFormat {
    Text,
    Markdown,
    Json,
}

pub(super) fn run(args: InsightsArgs, ctx: &Ctx) -> CmdResult {
    let (checked, card) = ctx.scored()?;
    let sel = Selection {
        periods: args.periods,
        teams: args.teams,
        owners: args.owners,
    };
    // The selection is checked before any history is read.
    let periods = insights::periods(&checked.goals, &sel, ctx.as_of)
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let history = read_history(&checked, ctx, true)?;
    let r = insights::insights(
        &checked.goals,
        &card,
        history.as_ref(),
        &sel,
        periods,
        ctx.as_of,
    );
    let doc = match args.format {
        InsightsFormat::Text => super::wrapped(text::render(&r, args.by_owner)),
        InsightsFormat::Markdown => {
            markdown::render(&r, crate::text::fit::GITHUB_LIMIT, args.by_owner)
        }
        InsightsFormat::Json => json::render(&r),
    };
    out(&doc)?;
    Ok(exit::OK)
}

/// The history of the goal roots; `None` outside a git repository (with a note when `note`;
/// without `note`, a shallow clone also gives `None` instead of an error).
pub(super) fn read_history(
    checked: &crate::check::Checked,
    ctx: &Ctx,
    note: bool,
) -> Result<Option<history::History>, Failure> {
    let repo = match crate::git::Repo::discover(&ctx.root) {
        Ok(r) => r,
        Err(crate::git::GitError::NotARepo { .. }) if ctx.at.is_none() => {
            if !note {
                return Ok(None);
            }
            eprintln!(
                "note: not a git repository: check-in latency and plans moved in place need the history"
            );
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    let mut roots: Vec<String> = checked
        .config
        .roots
        .iter()
        .map(|r| repo.git_path(r.trim_start_matches("./").trim_end_matches('/')))
        .map(|r| {
            if r == "." {
                String::new()
            } else {
                r.trim_end_matches("/.").to_owned()
            }
        })
        .collect();
    roots.push(repo.git_path(&checked.config.checkin_log));
    match history::read(&repo, ctx.at.as_deref(), &roots) {
        Ok(h) => Ok(Some(h)),
        // A report is not refused for a shallow CI checkout: it goes without the history.
        Err(HistoryError::Shallow) if !note => Ok(None),
        Err(HistoryError::Revision(e)) => Err(Failure::from(e)),
        Err(e) => Err(Failure::Io(e.to_string())),
    }
}
