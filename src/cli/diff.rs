//! `goalpost diff [BASE [HEAD]]`: what changed in the goals between two revisions, or a
//! revision and the work tree, with both sides scored as of one date. A diff is not a
//! failure: exit 0 whatever changed; 1 only when a side is invalid (said which).

use super::{Checked, CmdResult, Ctx, Failure, exit, out, plural, side_failure};
use crate::diff::{Side, compare};
use crate::git::{GitTree, Repo};
use crate::load::LoadError;
use crate::load::source::Source;
use crate::report::diff::{self, Header};
use crate::score::{Thresholds, score};
use clap::{Args, ValueEnum};

/// Show what changed in the goals between two revisions: items added, removed or edited,
/// moved targets, new check-ins, and scores and statuses before → after.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older side (default: the merge base of HEAD and the default branch: main, master
    /// or the remote's HEAD).
    #[arg(value_name = "BASE")]
    pub base: Option<String>,
    /// The newer side (default: the work tree, or `--at REV`).
    #[arg(value_name = "HEAD")]
    pub head: Option<String>,
    /// Output format: text (terminal), markdown (pull-request comment) or json.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Markdown,
    Json,
}

pub(super) fn run(args: DiffArgs, ctx: &Ctx) -> CmdResult {
    let repo = Repo::discover(&ctx.root)?;
    let base_rev = match &args.base {
        Some(r) => repo.resolve(r)?,
        None => repo.default_base()?,
    };
    let mut base_tree = repo.tree(&base_rev)?;
    let head_rev = match args.head.as_ref().or(ctx.at.as_ref()) {
        Some(r) => Some(repo.resolve(r)?),
        None => None,
    };
    let head_source: Box<dyn Source> = match &head_rev {
        Some(rev) => {
            // Two revisions: the head takes the blobs the base read instead of reading them.
            let mut head = repo.tree(rev)?;
            GitTree::pair(&mut base_tree, &mut head);
            Box::new(head)
        }
        None => ctx.source()?,
    };
    let header = Header {
        base: base_rev.name.clone(),
        base_commit: base_rev.commit.to_string(),
        head: head_rev
            .as_ref()
            .map_or_else(|| "work tree".to_owned(), |r| r.name.clone()),
        head_commit: head_rev.as_ref().map(|r| r.commit.to_string()),
        as_of: ctx.as_of,
    };
    // The two sides share almost every file: each shared file is parsed once.
    let (base, head) = crate::check::load_pair(&base_tree, head_source.as_ref());
    let base = side(base, &base_tree, "base", ctx)?;
    let head = side(head, head_source.as_ref(), "head", ctx)?;
    let base_card = score(
        super::valid(&base)?,
        ctx.as_of,
        Thresholds::from(&base.config),
    );
    let head_card = score(
        super::valid(&head)?,
        ctx.as_of,
        Thresholds::from(&head.config),
    );
    let changes = compare(
        Side::scored(&base.goals, &base_card),
        Side::scored(&head.goals, &head_card),
        ctx.as_of,
    );
    // A bump of an upstream's pin shows as that upstream's changes (SPEC 13).
    let upstreams = crate::upstream::bumps(
        (&base_tree, &base.goals, &base.config),
        (head_source.as_ref(), &head.goals, &head.config),
        ctx.as_of,
    );
    out(&match args.format {
        DiffFormat::Text => super::wrapped(diff::text_with(
            &header,
            &changes,
            &upstreams,
            ctx.color_out,
        )),
        DiffFormat::Markdown => diff::markdown_with(&header, &changes, &upstreams),
        DiffFormat::Json => diff::json_with(&header, &changes, &upstreams),
    })?;
    // The process ends here: freeing both sides item by item is left to it.
    std::mem::forget((base, head, base_card, head_card, changes));
    Ok(exit::OK)
}

/// One loaded and validated side; an invalid side is reported (saying which) and stops the
/// diff: comparing half-read goals would list phantom removals.
fn side(
    loaded: Result<Checked, LoadError>,
    source: &dyn Source,
    side: &str,
    ctx: &Ctx,
) -> Result<Checked, Failure> {
    let what =
        crate::text::safe::human(&format!("the {side} side, {}", source.describe())).into_owned();
    let checked = loaded.map_err(|e| side_failure(e, &what, ctx.color_err))?;
    if checked.has_errors() {
        let n = super::print_errors(&checked, ctx);
        eprintln!(
            "error: {} in {what}; nothing was compared",
            plural(n, "error")
        );
        return Err(Failure::Reported(exit::FINDINGS));
    }
    Ok(checked)
}
