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
    out(&th_first(&String::from_utf8_lossy(&buf)))?;
    Ok(exit::OK)
}

/// clap_mangen opens with string definitions (`.ie \n(.g .ds Aq …`) before `.TH`; tools
/// that sniff a page's header (and people) expect `.TH` on the first line. The definitions
/// only need to come before the text that uses them, so the title line moves up.
fn th_first(page: &str) -> String {
    let Some(start) = page.find("\n.TH ") else {
        return page.to_owned();
    };
    let line_end = page[start + 1..]
        .find('\n')
        .map_or(page.len(), |n| start + 2 + n);
    let th = &page[start + 1..line_end];
    format!("{th}{}{}", &page[..start + 1], &page[line_end..])
}

#[cfg(test)]
mod tests {
    #[test]
    fn title_line_comes_first() {
        let page = ".ie a\n.el b\n.TH goalpost 1\n.SH NAME\n";
        assert_eq!(
            super::th_first(page),
            ".TH goalpost 1\n.ie a\n.el b\n.SH NAME\n"
        );
    }
}
