//! `goalpost completions SHELL`: a completion script generated from the clap definition,
//! so it can never disagree with the real flags.

use super::{Cli, CmdResult, Ctx, exit, out};
use clap::{Args, CommandFactory};
use clap_complete::Shell;

/// Print a shell completion script (see the README for where to put it).
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

pub fn run(args: CompletionsArgs, _ctx: &Ctx) -> CmdResult {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "goalpost", &mut buf);
    out(&String::from_utf8_lossy(&buf))?;
    Ok(exit::OK)
}
