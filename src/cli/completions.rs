//! Shell completion that knows the repository. `COMPLETE=bash goalpost` (or `goalpost
//! completions bash`) prints a small script that, on each TAB, asks goalpost itself for
//! candidates (clap_complete's dynamic completion): flags and subcommands from the clap
//! definition, and refs, teams, periods, owners and diagnostic codes from the goals of the
//! project the command line is in (`-C DIR` honoured). Loading is quiet: nothing is printed
//! on any error, the work is bounded like every command's, and nothing leaves the machine.
//! `--static` prints the older script generated ahead of time, which knows only the flags.

use super::{Cli, CmdResult, Ctx, exit, out};
use crate::diag::Code;
use crate::load::source::WorkTree;
use crate::model::Records;
use clap::{Args, Command, CommandFactory};
use clap_complete::Shell;
use clap_complete::engine::{ArgValueCandidates, ArgValueCompleter, CompletionCandidate};
use clap_complete::env::EnvCompleter;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::PathBuf;

/// Print a shell completion script (see the README for where to put it).
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
    /// Print a script generated ahead of time: flags and subcommands only, no refs, teams or
    /// periods, and goalpost is not run on TAB.
    #[arg(long = "static")]
    pub static_script: bool,
}

pub(super) fn run(args: CompletionsArgs, _ctx: &Ctx) -> CmdResult {
    let mut buf = Vec::new();
    if args.static_script {
        clap_complete::generate(args.shell, &mut Cli::command(), "goalpost", &mut buf);
    } else {
        // The same script as `COMPLETE=SHELL goalpost`, calling `goalpost` from PATH.
        let shell: &dyn EnvCompleter = match args.shell {
            Shell::Bash => &clap_complete::env::Bash,
            Shell::Elvish => &clap_complete::env::Elvish,
            Shell::Fish => &clap_complete::env::Fish,
            Shell::PowerShell => &clap_complete::env::Powershell,
            _ => &clap_complete::env::Zsh,
        };
        // Writing to a Vec cannot fail.
        let _ = shell.write_registration("COMPLETE", "goalpost", "goalpost", "goalpost", &mut buf);
    }
    out(&String::from_utf8_lossy(&buf))?;
    Ok(exit::OK)
}

/// Answers a completion request (`COMPLETE=SHELL` in the environment) and exits; returns
/// for a normal run. Called before anything else, since it owns stdout.
pub(super) fn complete_if_asked() {
    clap_complete::CompleteEnv::with_factory(command).complete();
}

/// What the value of an argument completes to, by the argument's value name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Objectives, key results and KPIs.
    Refs,
    /// Key results and KPIs: what takes check-ins.
    Measured,
    /// KPIs with a source: what `pull` fetches.
    Sourced,
    /// Objectives and key results: what `drop` drops.
    Okrs,
    /// Metric key results: what `revise` revises.
    Metrics,
    Teams,
    Periods,
    Owners,
}

/// The argument (by value name, in which subcommands) and what it completes to.
fn kind_of(subcommand: &str, value_name: &str) -> Option<Kind> {
    match value_name {
        "REF" if subcommand == "checkin" => Some(Kind::Measured),
        "REF" if subcommand == "pull" => Some(Kind::Sourced),
        "REF" if subcommand == "drop" => Some(Kind::Okrs),
        "REF" if subcommand == "revise" => Some(Kind::Metrics),
        "REF" => Some(Kind::Refs),
        "TEAM" => Some(Kind::Teams),
        "PERIOD" => Some(Kind::Periods),
        "FROM" | "TO" if subcommand == "rollover" => Some(Kind::Periods),
        "OWNER" => Some(Kind::Owners),
        _ => None,
    }
}

/// The command line with completers on the arguments that name things in the goals.
pub(super) fn command() -> Command {
    let mut cmd = Cli::command();
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in subs {
        // `mut_args` keeps the arguments in order (`mut_arg` moves one to the end, which
        // would renumber positionals).
        cmd = cmd.mut_subcommand(&name, |sub| {
            sub.mut_args(|a| {
                let kind = a
                    .get_value_names()
                    .and_then(|v| v.first())
                    .and_then(|v| kind_of(&name, v.as_str()));
                match kind {
                    Some(kind) => a.add(ArgValueCompleter::new(move |current: &OsStr| {
                        candidates(kind, current)
                    })),
                    None if name == "explain" && a.get_id() == "code" => {
                        a.add(ArgValueCandidates::new(codes))
                    }
                    None => a,
                }
            })
        });
    }
    cmd
}

fn codes() -> Vec<CompletionCandidate> {
    Code::ALL
        .iter()
        .map(|c| {
            let summary = crate::explain::explain(*c)
                .lines()
                .next()
                .unwrap_or_default();
            CompletionCandidate::new(c.name()).help(Some(summary.into()))
        })
        .collect()
}

/// Candidates of `kind` that start with `current`, with a title as help where there is one.
fn candidates(kind: Kind, current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(current) = current.to_str() else {
        return Vec::new();
    };
    let Some((goals, config)) = load_quietly() else {
        return Vec::new();
    };
    // Sorted and deduplicated (an objective id can recur in several periods).
    let mut found: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut add = |value: String, help: Option<&str>| {
        if value.starts_with(current) {
            found.entry(value).or_insert(help.map(str::to_owned));
        }
    };
    for o in &goals.objectives {
        match kind {
            Kind::Refs | Kind::Measured | Kind::Okrs | Kind::Metrics => {
                if matches!(kind, Kind::Refs | Kind::Okrs) {
                    add(o.reference().to_string(), Some(&o.title));
                }
                for kr in &o.key_results {
                    if kind != Kind::Metrics || kr.kind.records() == Records::Value {
                        add(o.kr_ref(kr).to_string(), Some(&kr.title));
                    }
                }
            }
            Kind::Teams => add(o.team.clone(), None),
            Kind::Periods => add(o.period.name.clone(), None),
            Kind::Sourced => {}
            Kind::Owners => {
                if let Some(owner) = &o.owner {
                    add(owner.clone(), None);
                }
            }
        }
    }
    for k in &goals.kpis {
        match kind {
            Kind::Refs | Kind::Measured => add(k.reference().to_string(), Some(&k.title)),
            Kind::Sourced if k.source.is_some() => {
                add(k.reference().to_string(), Some(&k.title));
            }
            Kind::Sourced | Kind::Okrs | Kind::Metrics => {}
            Kind::Teams => add(k.team.clone(), None),
            Kind::Owners => {
                if let Some(owner) = &k.owner {
                    add(owner.clone(), None);
                }
            }
            Kind::Periods => {}
        }
    }
    if kind == Kind::Periods {
        for name in config.periods.keys() {
            add(name.clone(), None);
        }
    }
    found
        .into_iter()
        .map(|(value, help)| {
            CompletionCandidate::new(value)
                .help(help.map(|h| crate::text::safe::human(&h).into_owned().into()))
        })
        .collect()
}

/// The goals of the project the command line is in, or `None` on any problem (nothing is
/// printed: this runs under the user's prompt). Invalid goals still give what they define.
fn load_quietly() -> Option<(crate::model::Goals, crate::config::Config)> {
    let start = dir_on_command_line()
        .or_else(|| std::env::current_dir().ok())?
        .canonicalize()
        .ok()?;
    let root = crate::load::find_root(&start);
    let tree = WorkTree::new(&root).ok()?;
    let checked = super::check_source(&tree).ok()?;
    Some((checked.goals, checked.config))
}

/// The `-C DIR` of the command line being completed: the words after `--` in this
/// process's arguments (`goalpost -- goalpost -C DIR show <TAB>`), relative to the current
/// directory.
fn dir_on_command_line() -> Option<PathBuf> {
    let args: Vec<String> = std::env::args().collect();
    let words = args
        .iter()
        .position(|a| a == "--")
        .map(|i| &args[i + 1..])?;
    let mut dir = None;
    let mut words = words.iter().skip(1);
    while let Some(w) = words.next() {
        if w == "--" {
            break;
        }
        if w == "-C" {
            dir = words.next().cloned();
        } else if let Some(rest) = w.strip_prefix("-C") {
            dir = Some(rest.strip_prefix('=').unwrap_or(rest).to_owned());
        }
    }
    dir.filter(|d| !d.is_empty()).map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arguments_that_name_goals_have_completers() {
        let cmd = command();
        cmd.clone().debug_assert();
        for (sub, arg) in [
            ("show", "reference"),
            ("log", "reference"),
            ("checkin", "reference"),
            ("pull", "refs"),
            ("revise", "reference"),
            ("drop", "reference"),
            ("status", "teams"),
            ("status", "periods"),
            ("status", "owner"),
            ("report", "teams"),
            ("report", "periods"),
            ("show", "period"),
            ("explain", "code"),
        ] {
            let sub_cmd = cmd
                .get_subcommands()
                .find(|s| s.get_name() == sub)
                .unwrap_or_else(|| panic!("no subcommand {sub}"));
            let a = sub_cmd
                .get_arguments()
                .find(|a| a.get_id() == arg)
                .unwrap_or_else(|| panic!("{sub} has no argument {arg}"));
            assert!(
                a.get::<ArgValueCompleter>().is_some() || a.get::<ArgValueCandidates>().is_some(),
                "{sub} {arg} has no completer"
            );
        }
    }

    #[test]
    fn codes_complete_with_their_summary() {
        let c = codes();
        assert_eq!(c.len(), Code::ALL.len());
        assert!(c.iter().all(|c| c.get_help().is_some()));
    }
}
