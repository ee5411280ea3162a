//! `goalpost man`: manual pages in roff, generated from the clap definition: goalpost(1)
//! and, with `--dir`, one page per subcommand (goalpost-status(1), ...), which goalpost(1)
//! refers to. The pages are plain roff for any device: no raw non-ASCII text (it is written
//! as groff escapes), so `groff -man -ww` renders them without a warning.

use super::{Cli, CmdResult, Ctx, Failure, exit, out};
use clap::{ArgAction, Args, Command, CommandFactory};
use clap_mangen::Man;
use clap_mangen::roff::{Inline, Roff, bold, italic, roman};
use std::path::PathBuf;

/// Print the goalpost(1) manual page (roff), or write every page to a directory.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write goalpost.1 and a page per subcommand (goalpost-status.1, ...) into DIR instead
    /// (created when missing), such as ~/.local/share/man/man1.
    // Its own id: `dir` is the global `-C DIR`, and clap would give this value to it.
    #[arg(id = "man_dir", long = "dir", value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub(super) fn run(args: ManArgs, ctx: &Ctx) -> CmdResult {
    let pages = pages();
    let Some(dir) = args.dir else {
        out(&pages[0].1)?;
        return Ok(exit::OK);
    };
    let dir = if dir.is_absolute() {
        dir
    } else {
        ctx.cwd.join(dir)
    };
    let io = |e: std::io::Error| Failure::Io(format!("cannot write to {}: {e}", dir.display()));
    std::fs::create_dir_all(&dir).map_err(io)?;
    for (name, text) in &pages {
        crate::fsutil::write_atomic(&dir.join(name), text.as_bytes()).map_err(io)?;
    }
    eprintln!("wrote {} manual pages to {}", pages.len(), dir.display());
    Ok(exit::OK)
}

/// Every page as (file name, roff text): goalpost.1 first, then one per subcommand.
pub(super) fn pages() -> Vec<(String, String)> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = vec![("goalpost.1".to_owned(), page(&cmd, None))];
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("goalpost-{}", sub.get_name());
        pages.push((format!("{name}.1"), page(sub, Some(&name))));
    }
    pages
}

/// One page; `sub` is the page name of a subcommand's page.
fn page(cmd: &Command, sub: Option<&str>) -> String {
    let man = Man::new(cmd.clone())
        .date(MANUAL.1)
        .source(format!("goalpost {}", env!("CARGO_PKG_VERSION")));
    let mut text = part(|w| man.render_title(w));
    text.push_str(PREAMBLE);
    text.push_str(&part(|w| man.render_name_section(w)));
    text.push_str(&part(|w| synopsis(cmd, sub).to_writer(w)));
    text.push_str(&part(|w| man.render_description_section(w)));
    text.push_str(&part(|w| man.render_options_section(w)));
    if sub.is_none() {
        text.push_str(&part(|w| man.render_subcommands_section(w)));
    }
    text.push_str(&part(|w| extra(cmd, sub).to_writer(w)));
    to_ascii(&merge_breaks_around_blank_lines(&text))
}

/// The release these pages describe and its date, the `.TH` date (ISO 8601, which mandoc
/// parses; without one clap_mangen leaves the field empty and roff reads the source, "goalpost
/// 0.1.0", as the date). A fixed date keeps the pages reproducible; a unit test fails when
/// the version changes without it.
const MANUAL: (&str, &str) = ("0.1.0", "2026-12-06");

/// clap_mangen separates an option's help from its "Possible values:" with `.br`, an empty
/// line and `.br` (and offers no option to do otherwise). An empty line is roff's `.sp`, and
/// mandoc warns about a break on either side of it ("skipping paragraph macro"): the three
/// lines become the one `.sp` they render as, the same output in groff and mandoc.
fn merge_breaks_around_blank_lines(page: &str) -> String {
    page.replace("\n.br\n\n.br\n", "\n.sp\n")
}

/// One part of a page. Each comes with roff's apostrophe preamble, which the page needs once.
fn part(render: impl Fn(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = render(&mut buf);
    let s = String::from_utf8_lossy(&buf).into_owned();
    s.strip_prefix(PREAMBLE).map(str::to_owned).unwrap_or(s)
}

/// What `roff` writes before a page's text, once per rendering.
const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";

/// SYNOPSIS with the value of every option (`-C DIR`), which clap_mangen leaves out.
fn synopsis(cmd: &Command, sub: Option<&str>) -> Roff {
    let name = match sub {
        Some(_) => format!("goalpost {}", cmd.get_name()),
        None => "goalpost".to_owned(),
    };
    let mut line: Vec<Inline> = vec![bold(name)];
    for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        let values = || -> Vec<Inline> {
            let takes = arg.get_num_args().is_none_or(|n| n.takes_values())
                && !matches!(
                    arg.get_action(),
                    ArgAction::SetTrue
                        | ArgAction::SetFalse
                        | ArgAction::Count
                        | ArgAction::Help
                        | ArgAction::HelpShort
                        | ArgAction::HelpLong
                        | ArgAction::Version
                );
            match arg.get_value_names() {
                Some(names) if takes => names
                    .iter()
                    .flat_map(|n| [roman(" "), italic(n.as_str())])
                    .collect(),
                None if takes => vec![roman(" "), italic(arg.get_id().as_str().to_uppercase())],
                _ => Vec::new(),
            }
        };
        let repeat = matches!(arg.get_action(), ArgAction::Append);
        let (open, close) = if arg.is_required_set() {
            ("", "")
        } else {
            ("[", "]")
        };
        line.push(roman(format!(" {open}")));
        if arg.is_positional() {
            let names = arg
                .get_value_names()
                .map(|n| n.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "))
                .unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
            line.push(italic(names));
        } else {
            match (arg.get_short(), arg.get_long()) {
                (Some(s), Some(l)) => {
                    line.push(bold(format!("-{s}")));
                    line.push(roman("|"));
                    line.push(bold(format!("--{l}")));
                }
                (Some(s), None) => line.push(bold(format!("-{s}"))),
                (None, Some(l)) => line.push(bold(format!("--{l}"))),
                (None, None) => {}
            }
            line.extend(values());
        }
        line.push(roman(close));
        if repeat || arg.get_num_args().is_some_and(|n| n.max_values() > 1) {
            line.push(roman("..."));
        }
    }
    if cmd.has_subcommands() {
        line.push(roman(" "));
        line.push(italic("COMMAND"));
    }
    let mut roff = Roff::default();
    roff.control("SH", ["SYNOPSIS"]);
    roff.text(line);
    roff
}

/// EXIT STATUS, EXAMPLES, SEE ALSO and VERSION.
fn extra(cmd: &Command, sub: Option<&str>) -> Roff {
    let mut roff = Roff::default();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in [
        (
            "0",
            "Success. Warnings are allowed unless --deny-warnings is given.",
        ),
        (
            "1",
            "Validation errors were found (or warnings, with --deny-warnings); commands that score refuse invalid goals with this status.",
        ),
        (
            "2",
            "Usage error: a bad flag or value, an unknown reference or name on the command line, or an invalid goalpost.toml.",
        ),
        ("3", "An I/O or git failure."),
    ] {
        roff.control("TP", []);
        roff.text([bold(code)]);
        roff.text([roman(meaning)]);
    }
    let examples = examples(sub.map(|_| cmd.get_name()));
    if !examples.is_empty() {
        roff.control("SH", ["EXAMPLES"]);
        for (what, line) in examples {
            roff.control("TP", []);
            roff.text([bold(line)]);
            roff.text([roman(what)]);
        }
    }
    if sub.is_some() {
        roff.control("SH", ["SEE ALSO"]);
        roff.text([bold("goalpost"), roman("(1)")]);
    }
    roff.control("SH", ["VERSION"]);
    roff.text([roman(format!("goalpost {}", env!("CARGO_PKG_VERSION")))]);
    roff
}

/// Examples for goalpost(1) (`None`) or one subcommand's page: (what it does, command).
fn examples(sub: Option<&str>) -> Vec<(&'static str, &'static str)> {
    let all = [
        ("init", "Start a goals repository here.", "goalpost init"),
        (
            "check",
            "Validate every goal file; in CI, annotate problems on the pull request.",
            "goalpost check --format github",
        ),
        (
            "check",
            "Also refuse rewritten check-ins against the main branch.",
            "goalpost check --base origin/main",
        ),
        (
            "status",
            "Scores and statuses of one team as of a date.",
            "goalpost status --team growth --as-of 2026-11-22",
        ),
        (
            "status",
            "The same for scripts.",
            "goalpost status --format json",
        ),
        (
            "show",
            "One objective in depth, with its check-in history.",
            "goalpost show growth/onboarding",
        ),
        (
            "checkin",
            "Record a value with a note and commit it.",
            "goalpost checkin growth/churn 5.4 --note \"win-back campaign\" --commit",
        ),
        (
            "log",
            "Who changed a key result, and how.",
            "goalpost log growth/onboarding/support-tickets",
        ),
        (
            "report",
            "A self-contained HTML report.",
            "goalpost report --format html -o goals.html",
        ),
        (
            "calendar",
            "One owner's check-ins due, milestones due and period ends, for a calendar app.",
            "goalpost calendar --owner alice -o alice.ics",
        ),
        (
            "review",
            "Grade last quarter and see how well the confidences matched, for the retrospective.",
            "goalpost review 2026-Q3 --format markdown",
        ),
        (
            "rollover",
            "See which unfinished objectives would move into the new quarter, then do it.",
            "goalpost rollover 2026-Q3 2026-Q4 --dry-run",
        ),
        (
            "diff",
            "What this branch changes in the goals, as a pull-request comment.",
            "goalpost diff main --format markdown",
        ),
        (
            "schema",
            "Refresh the schema editors use.",
            "goalpost schema > schema/goalpost.schema.json",
        ),
        (
            "explain",
            "What a diagnostic code means and how to fix it.",
            "goalpost explain task-like-kr",
        ),
        (
            "completions",
            "Completions that know the repository's refs, in bash.",
            "source <(COMPLETE=bash goalpost)",
        ),
        (
            "lsp",
            "The language server an editor starts (set-up: the README's Editor integration).",
            "goalpost lsp",
        ),
        (
            "man",
            "Install every manual page.",
            "goalpost man --dir ~/.local/share/man/man1",
        ),
    ];
    let mut picked: Vec<(&str, &str)> = Vec::new();
    for (cmd, what, line) in all {
        let take = match sub {
            Some(s) => s == cmd,
            // goalpost(1): the first example of each command.
            None => !picked
                .iter()
                .any(|(_, l)| l.starts_with(&format!("goalpost {cmd} "))),
        };
        if take {
            picked.push((what, line));
        }
    }
    picked
}

/// The page with every non-ASCII character written as a groff escape: roff reads bytes,
/// and `groff` without a preprocessor warns on UTF-8 (`→` in the help of `diff`).
fn to_ascii(page: &str) -> String {
    let mut s = String::with_capacity(page.len());
    for c in page.chars() {
        match c {
            c if c.is_ascii() => s.push(c),
            '→' => s.push_str("\\(->"),
            '←' => s.push_str("\\(<-"),
            '—' => s.push_str("\\(em"),
            '–' => s.push_str("\\(en"),
            '≤' => s.push_str("\\(<="),
            '≥' => s.push_str("\\(>="),
            '×' => s.push_str("\\(mu"),
            '‘' => s.push_str("\\(oq"),
            '’' => s.push_str("\\(cq"),
            '“' => s.push_str("\\(lq"),
            '”' => s.push_str("\\(rq"),
            c => s.push_str(&format!("\\[u{:04X}]", u32::from(c))),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_ascii_and_start_with_their_title() {
        let pages = pages();
        assert!(pages.len() > 10);
        for (name, text) in &pages {
            assert!(text.is_ascii(), "{name}");
            assert!(text.starts_with(".TH "), "{name}: {}", &text[..40]);
            assert_eq!(text.matches(".ds Aq").count(), 2, "{name}: one preamble");
            for section in ["NAME", "SYNOPSIS", "EXIT STATUS", "VERSION"] {
                assert!(
                    text.lines()
                        .any(|l| l.starts_with(".SH") && l.contains(section)),
                    "{name}: {section}"
                );
            }
        }
        let main = &pages[0].1;
        assert!(main.contains(".SH EXAMPLES"));
        assert!(main.contains("\\fB\\-C\\fR \\fIDIR\\fR"), "{main}");
        // Every page goalpost(1) refers to is generated.
        for (name, _) in &pages[1..] {
            let stem = name.trim_end_matches(".1").replace('-', "\\-");
            assert!(main.contains(&format!("{stem}(1)")), "{name}");
        }
    }

    #[test]
    fn the_manual_date_is_the_release_of_this_version() {
        assert_eq!(
            MANUAL.0,
            env!("CARGO_PKG_VERSION"),
            "a new version: set MANUAL to it and its release date"
        );
        assert!(crate::date::Date::parse(MANUAL.1).is_some(), "{}", MANUAL.1);
        assert!(
            pages()[0]
                .1
                .starts_with(&format!(".TH goalpost 1 {} ", MANUAL.1))
        );
    }

    #[test]
    fn breaks_around_a_blank_line_become_one_sp() {
        let clap = "help\n.br\n\n.br\n\\fIPossible values:\\fR\n.RS 14\n";
        assert_eq!(
            merge_breaks_around_blank_lines(clap),
            "help\n.sp\n\\fIPossible values:\\fR\n.RS 14\n"
        );
        // Nothing else changes: a lone break, or a blank line without breaks.
        for other in ["a\n.br\nb\n", "a\n\nb\n", ".br\n\n.br\n"] {
            assert_eq!(merge_breaks_around_blank_lines(other), other);
        }
        for (name, text) in pages() {
            assert!(!text.contains("\n.br\n\n"), "{name}");
        }
    }

    #[test]
    fn non_ascii_becomes_groff_escapes() {
        assert_eq!(to_ascii("a → b — c ✔"), "a \\(-> b \\(em c \\[u2714]");
    }
}
