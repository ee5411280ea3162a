//! `goalpost schema`: the JSON Schema of goal files, generated from the raw types.

use super::{CmdResult, Ctx, exit, out};
use clap::Args;

/// Print the JSON Schema of goal files (for editors: yaml-language-server, VS Code).
#[derive(Debug, Args)]
pub struct SchemaArgs {}

pub fn run(_args: SchemaArgs, _ctx: &Ctx) -> CmdResult {
    out(&crate::schema::json())?;
    Ok(exit::OK)
}
