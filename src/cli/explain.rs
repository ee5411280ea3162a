//! `goalpost explain [CODE]`: the meaning of diagnostic codes.

use super::{CmdResult, Ctx, Failure, exit, out};
use crate::diag::{Code, suggest};
use clap::Args;

/// Explain a diagnostic code, or list every code with its default severity.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A code such as `unknown-ref` or `task-like-kr`; omit to list all codes.
    pub code: Option<String>,
}

pub(super) fn run(args: ExplainArgs, _ctx: &Ctx) -> CmdResult {
    let Some(name) = args.code else {
        out(&list())?;
        return Ok(exit::OK);
    };
    let Some(code) = Code::from_name(&name) else {
        let hint = suggest(&name, Code::ALL.iter().map(|c| c.name()))
            .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
        return Err(Failure::Usage(format!(
            "`{name}` is not a goalpost diagnostic code{hint} (run `goalpost explain` for the list)"
        )));
    };
    let kind = if code.is_lint() {
        "practice lint"
    } else {
        "check"
    };
    out(&format!(
        "{} ({kind}, {} by default)\n\n{}\n",
        code.name(),
        code.default_severity(),
        crate::explain::explain(code).trim_end()
    ))?;
    Ok(exit::OK)
}

/// Every code, its default severity and a one-line summary.
pub(super) fn list() -> String {
    let mut s = String::from("code                     severity  configurable  summary\n");
    for &c in Code::ALL {
        s.push_str(&format!(
            "{:<24} {:<9} {:<13} {}\n",
            c.name(),
            c.default_severity().to_string(),
            if c.is_lint() { "yes" } else { "no" },
            crate::explain::summary(c)
        ));
    }
    s
}
