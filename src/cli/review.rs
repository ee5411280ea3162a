//! `goalpost review PERIOD`: the end-of-period review of a closed period (SPEC 7.0), as text,
//! Markdown (a retrospective for a pull request or a wiki) or JSON. The review itself is
//! `lifecycle::review`'s; this loads, scores as of --as-of (today by default) and prints.

use super::{CmdResult, Ctx, Failure, exit, out};
use crate::lifecycle::review::{self, json, markdown, text};
use clap::{Args, ValueEnum};

/// Review a closed period: final grades and colour bands, what to carry over, and how well
/// the confidences given on check-ins matched what happened (Brier score). A confidence is
/// the stated probability that the key result reaches its target by the period's end.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The period to review, such as 2026-Q3; it must have ended before --as-of (today).
    #[arg(value_name = "PERIOD")]
    pub period: String,
    /// Only this team (repeatable).
    #[arg(long = "team", value_name = "TEAM")]
    pub teams: Vec<String>,
    /// Output format: text (terminal), markdown (a retrospective document) or json.
    #[arg(long, value_enum, default_value_t = ReviewFormat::Text)]
    pub format: ReviewFormat,
    /// Show calibration per owner, naming the best and worst calibrated (text and markdown;
    /// JSON always has it).
    #[arg(long)]
    pub by_owner: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    Text,
    Markdown,
    Json,
}

pub(super) fn run(args: ReviewArgs, ctx: &Ctx) -> CmdResult {
    let (checked, card) = ctx.scored()?;
    let goals = &checked.goals;
    let r = review::review(goals, &card, &args.period, &args.teams)
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let doc = match args.format {
        ReviewFormat::Text => text::render(&r, ctx.color_out, args.by_owner),
        ReviewFormat::Markdown => {
            markdown::render(&r, crate::text::fit::GITHUB_LIMIT, args.by_owner)
        }
        ReviewFormat::Json => json::render(&r),
    };
    let doc = match args.format {
        ReviewFormat::Text => super::wrapped(doc),
        _ => doc,
    };
    out(&doc)?;
    Ok(exit::OK)
}
