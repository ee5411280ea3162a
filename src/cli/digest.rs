//! `goalpost digest` (SPEC 15): per owner, what they owe and what changed since `--since`.

use super::{CmdResult, Ctx, exit, load_valid, out};
use crate::date::Date;
use crate::history::blame::Blamer;
use crate::model::Checkin;
use crate::report::digest;
use clap::{Args, ValueEnum};

/// Per owner, the items that need them (the attention list, with check-in due dates) and
/// what changed on their items since --since: for a reminder, a comment or Slack.
#[derive(Debug, Args)]
pub struct DigestArgs {
    /// Only this owner's group (repeatable; case-insensitive; `unowned` for items with none).
    #[arg(long = "owner", value_name = "OWNER")]
    pub owners: Vec<String>,
    /// Changes after this date (YYYY-MM-DD; default a week before --as-of).
    #[arg(long, value_name = "DATE", value_parser = super::parse_date)]
    pub since: Option<Date>,
    /// Output format; slack is one payload for a Slack incoming webhook.
    #[arg(long, value_enum, default_value_t = DigestFormat::Text)]
    pub format: DigestFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DigestFormat {
    Text,
    Markdown,
    Json,
    Slack,
}

pub(super) fn run(args: DigestArgs, ctx: &Ctx) -> CmdResult {
    let checked = load_valid(ctx)?;
    let goals = &checked.goals;
    let since = super::FilterArgs::since_or_week(args.since, ctx.as_of)?;
    let (objectives, kpis) = crate::select::Filter::default().select(goals)?;
    let (card, before) = super::scored(&checked, ctx, since)?;
    let attention = crate::attention::list(goals, &card, &objectives, &kpis);
    // Authors from git blame for check-ins without `by`, one blame per file.
    let mut blamer = Blamer::open(&ctx.root);
    let mut author = |c: &Checkin| {
        let file = c.span.file;
        let path = checked.sources.path(file);
        blamer.author(path, checked.sources.text(file), c.span.line)
    };
    let d = digest::build(
        goals,
        &card,
        &before,
        attention,
        &objectives,
        &kpis,
        &mut author,
        &args.owners,
    );
    let text = match args.format {
        DigestFormat::Text => digest::text(&d),
        DigestFormat::Markdown => digest::markdown(&d, crate::text::fit::GITHUB_LIMIT),
        DigestFormat::Json => digest::json(&d),
        DigestFormat::Slack => digest::slack(&d),
    };
    out(&text)?;
    Ok(exit::OK)
}
