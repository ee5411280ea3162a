//! `goalpost schema`: the JSON Schema of goal files (or, with `--config`, of goalpost.toml),
//! generated from the raw types.

use super::{CmdResult, Ctx, exit, out};
use clap::Args;

/// Print the JSON Schema of goal files (for editors: yaml-language-server, VS Code).
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the schema of goalpost.toml instead (for Taplo / Even Better TOML).
    #[arg(long)]
    pub config: bool,
}

pub fn run(args: SchemaArgs, _ctx: &Ctx) -> CmdResult {
    if args.config {
        out(&crate::schema::config_json())?;
    } else {
        out(&crate::schema::json())?;
    }
    Ok(exit::OK)
}
