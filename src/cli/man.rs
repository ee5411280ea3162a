//! `goalpost man`: the manual page in roff, generated from the clap definition.

use super::{Cli, CmdResult, Ctx, Failure, exit, out};
use clap::{Args, CommandFactory};

/// Print the goalpost(1) manual page (roff): `goalpost man | man -l -`.
#[derive(Debug, Args)]
pub struct ManArgs {}

pub fn run(_args: ManArgs, _ctx: &Ctx) -> CmdResult {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| Failure::Io(format!("cannot render the manual page: {e}")))?;
    out(&String::from_utf8_lossy(&buf))?;
    Ok(exit::OK)
}
