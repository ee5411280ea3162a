//! `goalpost rollover FROM TO`: start period TO with FROM's unfinished objectives (SPEC
//! 7.0). The plan is `lifecycle::rollover`'s and `write::create` writes it, all teams or
//! none; this parses the arguments and prints the plan, the result, or the errors the new
//! files would have caused (exit 1, the files removed again).

use super::{CmdResult, Ctx, Failure, exit, out, plural};
use crate::lifecycle::rollover::{self, Options};
use crate::load::resolve::{Hidden, Resolved};
use crate::load::source::WorkTree;
use crate::model::Period;
use crate::text::safe;
use crate::write::{Invalid, WriteError};
use clap::Args;

/// Start period TO: carry FROM's objectives that ended below their pass mark (with their
/// unfinished key results, each starting where it ended) into one new goal file per team.
#[derive(Debug, Args)]
pub struct RolloverArgs {
    /// The period to carry from, such as 2026-Q3.
    #[arg(value_name = "FROM")]
    pub from: String,
    /// The period to start, such as 2026-Q4.
    #[arg(value_name = "TO")]
    pub to: String,
    /// Only this team (repeatable).
    #[arg(long = "team", value_name = "TEAM")]
    pub teams: Vec<String>,
    /// Carry every objective and every key result, finished or not.
    #[arg(long)]
    pub all: bool,
    /// Print the files that would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub(super) fn run(args: RolloverArgs, ctx: &Ctx) -> CmdResult {
    if ctx.at.is_some() {
        return Err(Failure::Usage(
            "--at: rollover writes to the work tree and cannot write to a revision".to_owned(),
        ));
    }
    // The parses are kept for the validation after writing, which then reads and parses
    // only the new files (issue 34); a dry run writes nothing, so keeps nothing.
    let mut kept = crate::check::Kept::default();
    let keep = (!args.dry_run).then_some(&mut kept);
    let mut checked = super::load_valid_keeping(ctx, keep)?;
    let card = super::card(&checked, ctx)?;
    let goals = &checked.goals;
    let Some(to) = Period::resolve(&args.to, &checked.config.periods) else {
        return Err(Failure::Usage(format!(
            "TO `{}` is not a period: use 2026-Q4, 2026-H2, 2026, 2026-11, or a name defined under [periods] in goalpost.toml",
            args.to
        )));
    };
    let tree = WorkTree::new(&ctx.root)
        .map_err(|e| Failure::Io(format!("cannot open {}: {e}", ctx.root.display())))?;
    // A path is free only when nothing is there and it can be created inside the
    // repository; a link (even a dangling one) or a directory takes the name.
    let taken = |p: &str| {
        !matches!(
            tree.resolve(p, Hidden::Refuse),
            Ok(Resolved::Missing { real: Some(_) })
        )
    };
    let opts = Options {
        from: &args.from,
        to: &to,
        teams: &args.teams,
        all: args.all,
    };
    let plan = rollover::plan(goals, &card, &checked.sources, &opts, &taken)
        .map_err(|e| Failure::Usage(e.to_string()))?;
    for note in &plan.notes {
        eprintln!("note: {}", safe::human(note));
    }
    if plan.files.is_empty() {
        let why = if args.all {
            "every objective of it is in TO already"
        } else {
            "every objective reached its pass mark, or is in TO already"
        };
        eprintln!(
            "nothing to carry from {} to {}: {why}",
            safe::human(&args.from),
            safe::human(&to.name)
        );
        return Ok(exit::OK);
    }
    if args.dry_run {
        let mut text = String::new();
        for (n, f) in plan.files.iter().enumerate() {
            if n > 0 {
                text.push('\n');
            }
            text.push_str(&format!("==> {} <==\n", safe::human(&f.path)));
            for line in f.text.lines() {
                text.push_str(&safe::human(line));
                text.push('\n');
            }
        }
        out(&text)?;
        eprintln!("dry run: {} not written", plural(plan.files.len(), "file"));
        return Ok(exit::OK);
    }

    let files: Vec<(&str, &str)> = plan
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.text.as_str()))
        .collect();
    // The plan is made: the texts the first load read go back to `kept`.
    kept.texts(&mut checked.sources);
    let after = match crate::write::create::create(&tree, &files, "rollover", kept) {
        Ok(after) => after,
        Err(WriteError::Invalid(Invalid(after))) => {
            let n = super::print_errors(&after, ctx);
            eprintln!(
                "error: with the carried objectives the goal files would have {}; the new files were removed, nothing was written",
                plural(n, "error")
            );
            return Err(Failure::Reported(exit::FINDINGS));
        }
        Err(e) => return Err(super::write_failure(e, ctx)),
    };
    let mut report = String::new();
    for f in &plan.files {
        let refs: Vec<String> = f.carried.iter().map(|r| format!("`{r}`")).collect();
        report.push_str(&format!(
            "wrote {}: {} carried from {} ({})\n",
            safe::human(&f.path),
            plural(f.carried.len(), "objective"),
            safe::human(&args.from),
            refs.join(", ")
        ));
    }
    out(&report)?;
    eprintln!(
        "next: read the new files (a carried key result starts where it ended, so a title may name an old start), then run `goalpost check`"
    );
    // The process ends here: freeing the goals of both loads item by item is left to it.
    std::mem::forget((checked, card, after));
    Ok(exit::OK)
}
