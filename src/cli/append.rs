//! The command-line side of the write transactions in [`crate::write`]: opening the
//! check-in log for `checkin`, `checkin --from` and `pull`, printing what was appended and
//! committed, and the failures of a write as messages and exit codes.

use super::{CmdResult, Ctx, Failure, exit, out};
use crate::config::Config;
use crate::write::WriteError;
use crate::write::log::Log;

/// Resolves the check-in log for writing ([`Log::open`]).
pub fn open(ctx: &Ctx, config: &Config, commit: bool) -> Result<Log, Failure> {
    Log::open(&ctx.root, config, commit).map_err(|e| failure(e, ctx))
}

/// Prints `report` (what was appended), then with `--commit` commits the log's new
/// `text` and says so; the report is printed also when the commit fails.
pub fn finish(log: &Log, ctx: &Ctx, text: &str, message: &str, mut report: String) -> CmdResult {
    match log.commit(text, message) {
        Ok(Some(id)) => report.push_str(&format!("committed {id}\n")),
        Ok(None) => {}
        Err(e) => {
            out(&report)?;
            return Err(failure(e, ctx));
        }
    }
    out(&report)?;
    Ok(exit::OK)
}

/// A write that did not happen, as the command's failure: a refused link and an invalid
/// goalpost.toml reported as `check` reports them, an invalid result with its errors.
pub fn failure(e: WriteError, ctx: &Ctx) -> Failure {
    match e {
        WriteError::Refused(r) => super::refused_link(&r, ctx.color_err),
        WriteError::Load(e) => super::load_failure(e),
        e if e.is_usage() => Failure::Usage(e.to_string()),
        e => Failure::Io(e.to_string()),
    }
}
