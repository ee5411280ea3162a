//! `goalpost check`: validate everything and print every problem.

use super::{CmdResult, Ctx, exit, out, plural};
use crate::check::Base;
use crate::diag::Severity;
use crate::load::source::Source;
use crate::report::diagnostics;
use crate::text::safe;
use clap::{Args, ValueEnum};

/// Validate every goal file and print every problem found.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format: human (stderr), json (stdout, SPEC 7.2) or github (workflow commands).
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Treat warnings as errors (exit 1 when there are any).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Also apply the history rules against the merge base of this git revision and HEAD:
    /// check-ins present there may not be changed or deleted (history-rewritten), targets or
    /// starts should not move inside an open period (goalpost-moved), a closed period's
    /// record should not change (closed-period-changed), nor key results be added mid-period
    /// (kr-added-mid-period). Practice lints then report only on the items the change touches
    /// (its definition or check-ins differ); errors are always reported.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// With --base, report practice lints on every item, not only those the change touches.
    #[arg(long, requires = "base")]
    pub all_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Github,
}

pub(super) fn run(args: CheckArgs, ctx: &Ctx) -> CmdResult {
    // Resolve the base first, so a mistyped revision fails before any output.
    let base = match &args.base {
        Some(rev) => {
            let repo = crate::git::Repo::discover(&ctx.root)?;
            // SPEC 9: against the merge base, so what REV gained since is not blamed on HEAD.
            let rev = repo.merge_base_with_head(&repo.resolve(rev)?)?;
            Some((repo.tree(&rev)?, rev))
        }
        None => None,
    };
    let source = ctx.source()?;
    // With a base, both are read together: each file they share is parsed once. The base's
    // problems wait until they matter.
    let (old, loaded) = match &base {
        Some((tree, _)) => {
            let (old, new) = crate::check::load_pair(tree, source.as_ref());
            (Some(old), new)
        }
        None => (None, crate::check::load(source.as_ref())),
    };
    let mut checked = match loaded.map_err(super::load_failure) {
        Err(super::Failure::Config { sources, diags }) => {
            // Still answer in the requested format, so scripts see the problem too.
            match args.format {
                CheckFormat::Json => out(&diagnostics::json(&diags, &sources, false))?,
                CheckFormat::Github => out(&diagnostics::github(&diags, &sources))?,
                CheckFormat::Human => {}
            }
            return Err(super::Failure::Config { sources, diags });
        }
        other => other?,
    };
    super::require_goal_files(&mut checked, ctx, source.as_ref());
    // History rules, like lints, need goals that were read completely (a file with a syntax
    // error would look like deleted check-ins), so the base is read only then. Its own
    // problems are not reported (they belong to the past), but an unreadable goalpost.toml
    // there stops the check; its errors limit what is compared (said below).
    let old = match (&base, old) {
        (Some((tree, _)), Some(old)) if !checked.has_errors() => {
            let what = safe::human(&format!("the base side, {}", tree.describe())).into_owned();
            let mut old = old.map_err(|e| super::side_failure(e, &what, ctx.color_err))?;
            // Only counted and compared from here on, never quoted.
            old.drop_texts();
            Some(old)
        }
        _ => None,
    };
    let base_name = base
        .as_ref()
        .map(|(_, rev)| format!("{} ({})", rev.name, rev.short()));
    let against = old
        .as_ref()
        .zip(base_name.as_deref())
        .map(|(checked, name)| Base {
            checked,
            name,
            all_warnings: args.all_warnings,
        });
    let note = crate::check::judge(&mut checked, ctx.today, ctx.as_of, against);
    if let (Some(note), Some(base_name)) = (note, &base_name)
        && note.errors > 0
    {
        // Not a finding of this run, but it limits what was compared: say so.
        let skipped = if note.skipped.is_empty() {
            "items that could not be read there are not compared".to_owned()
        } else {
            let refs: Vec<String> = note.skipped.iter().map(|r| format!("`{r}`")).collect();
            format!(
                "items that could not be read there are not compared: {} (invalid there)",
                refs.join(", ")
            )
        };
        eprintln!(
            "note: the base {base_name} has {}; {skipped}",
            plural(note.errors, "error")
        );
    }
    // A bump of an upstream's pin is said, with how much changed there (SPEC 13).
    if let (Some((tree, rev)), Some(old)) = (&base, &old)
        && args.format == CheckFormat::Human
    {
        let bumps = crate::upstream::bumps(
            (tree, &old.goals, &old.config),
            (source.as_ref(), &checked.goals, &checked.config),
            ctx.as_of,
        );
        for b in bumps {
            let pin = |c: &Option<String>| {
                c.as_deref()
                    .map_or("no snapshot", crate::load::upstream::short)
                    .to_owned()
            };
            eprintln!(
                "note: upstream `{}` moves from {} to {}: {} (`goalpost diff {}` lists them)",
                b.name,
                pin(&b.before),
                pin(&b.after),
                plural(b.changes.len(), "changed item"),
                safe::human(&rev.name)
            );
        }
    }
    crate::diag::sort(&mut checked.diags);
    if args.deny_warnings {
        for d in &mut checked.diags {
            d.severity = Severity::Error;
        }
    }
    let counts = diagnostics::count(&checked.diags);
    let valid = counts.errors == 0;
    match args.format {
        CheckFormat::Json => out(&diagnostics::json(&checked.diags, &checked.sources, valid))?,
        CheckFormat::Github => out(&diagnostics::github(&checked.diags, &checked.sources))?,
        CheckFormat::Human => {
            eprint!(
                "{}",
                diagnostics::human(
                    &checked.diags,
                    &checked.sources,
                    ctx.color_err,
                    ctx.max_diagnostics
                )
            );
            let g = &checked.goals;
            let krs: usize = g.objectives.iter().map(|o| o.key_results.len()).sum();
            let what = format!(
                "{} ({}, {}, {})",
                plural(checked.files, "file"),
                plural(g.objectives.len(), "objective"),
                plural(krs, "key result"),
                plural(g.kpis.len(), "KPI")
            );
            if checked.nothing_found {
                eprintln!("error: no goal files, so nothing was checked");
            } else if counts.errors > 0 {
                eprintln!(
                    "error: {} and {} in {what}",
                    plural(counts.errors, "error"),
                    plural(counts.warnings, "warning")
                );
            } else if counts.warnings > 0 {
                eprintln!("ok: {what}, with {}", plural(counts.warnings, "warning"));
            } else {
                eprintln!("ok: {what}");
            }
        }
    }
    // The process ends here: freeing two revisions' goals item by item (a few percent of the
    // run at 3,000 teams) is left to it.
    std::mem::forget((checked, old));
    Ok(if valid { exit::OK } else { exit::FINDINGS })
}
