//! `goalpost check`: validate everything and print every problem.

use super::{CmdResult, Ctx, exit, out, plural};
use crate::diag::Severity;
use crate::report::diagnostics;
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Github,
}

pub fn run(args: CheckArgs, ctx: &Ctx) -> CmdResult {
    let source = ctx.source()?;
    let mut checked = match super::check_source(source.as_ref()) {
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
    // Lints judge practice, so they only run on goals that are valid to score.
    if !checked.has_errors() {
        let card = crate::score::score(&checked.goals, ctx.as_of, (&checked.config).into());
        checked
            .diags
            .extend(crate::lint::lint(&checked.goals, &card, &checked.config));
        crate::diag::sort(&mut checked.diags);
    }
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
                diagnostics::human(&checked.diags, &checked.sources, ctx.color_err)
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
            if counts.errors > 0 {
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
    Ok(if valid { exit::OK } else { exit::FINDINGS })
}
