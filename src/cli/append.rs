//! The command-line side of appending check-ins ([`crate::write::log`]): opening the
//! check-in log for `checkin`, `checkin --from` and `pull`, and printing what was appended
//! and committed. A write's failure is [`super::write_failure`].

use super::{CmdResult, Ctx, Failure, exit, out, write_failure};
use crate::config::Config;
use crate::write::log::Log;

/// Resolves the check-in log for writing ([`Log::open`]).
pub(super) fn open(ctx: &Ctx, config: &Config, commit: bool) -> Result<Log, Failure> {
    Log::open(&ctx.root, config, commit).map_err(|e| write_failure(e, ctx))
}

/// Prints `report` (what was appended), then with `--commit` commits the log's new
/// `text` and says so; the report is printed also when the commit fails.
pub(super) fn finish(
    log: &Log,
    ctx: &Ctx,
    text: &str,
    message: &str,
    mut report: String,
) -> CmdResult {
    match log.commit(text, message) {
        Ok(Some(id)) => report.push_str(&format!("committed {id}\n")),
        Ok(None) => {}
        Err(e) => {
            out(&report)?;
            return Err(write_failure(e, ctx));
        }
    }
    out(&report)?;
    Ok(exit::OK)
}
