//! `goalpost lsp`: the language server for editors (see `crate::lsp`), on stdin/stdout.

use super::{CmdResult, Ctx, Failure, exit};
use clap::Args;

/// Run the language server (LSP over stdin/stdout) for editors: diagnostics while typing,
/// scores on hover, go to definition, references, completion and quick fixes. Editors start
/// it; see the README's "Editor integration".
#[derive(Debug, Args)]
pub struct LspArgs {
    /// Accepted for editors that pass it (VS Code clients do); stdio is the only transport.
    #[arg(long)]
    pub stdio: bool,
}

pub(super) fn run(_args: LspArgs, ctx: &Ctx) -> CmdResult {
    let options = crate::lsp::Options {
        today: ctx.today,
        cwd: ctx.cwd.clone(),
    };
    crate::lsp::stdio(options).map_err(|e| Failure::Io(format!("language server: {e}")))?;
    Ok(exit::OK)
}
