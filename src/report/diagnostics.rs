//! Diagnostics rendered three ways: rustc-style text for people (annotate-snippets), JSON
//! for scripts (SPEC 7.2), and GitHub workflow commands for pull-request annotations.

use crate::diag::{Diagnostic, Severity, Span};
use crate::load::Sources;
use crate::text::safe;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;
use std::collections::HashMap;

/// Counts of a run's findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
}

pub fn count(diags: &[Diagnostic]) -> Counts {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    Counts {
        errors,
        warnings: diags.len() - errors,
    }
}

/// Byte offsets of the line starts of each file, built once per file on first use, so a
/// diagnostic's line is found in constant time however many there are.
struct LineIndex<'s> {
    sources: &'s Sources,
    starts: HashMap<u32, Vec<usize>>,
}

impl<'s> LineIndex<'s> {
    fn new(sources: &'s Sources) -> Self {
        LineIndex {
            sources,
            starts: HashMap::new(),
        }
    }

    /// The text of 1-based `line` of `file` (without its line break) and its byte offset.
    fn line(&mut self, file: u32, line: u32) -> Option<(&'s str, usize)> {
        let text = self.sources.text(file);
        let starts = self.starts.entry(file).or_insert_with(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let i = line.checked_sub(1)? as usize;
        let start = *starts.get(i)?;
        if start >= text.len() {
            // Past the last line (an empty file has none).
            return None;
        }
        let end = starts.get(i + 1).map_or(text.len(), |&e| e);
        let body = text.get(start..end)?.trim_end_matches(['\n', '\r']);
        Some((body, start))
    }
}

/// How much of a long line is shown on each side of the highlighted part.
const CONTEXT: usize = 50;
/// Lines longer than this are shown as a window around the highlighted part.
const LONG_LINE: usize = 140;
/// Most of a highlighted part shown.
const MAX_HIGHLIGHT: usize = 40;

/// A source line ready to show: made safe for a terminal (`safe::human`), cut to a window
/// around the highlight when long, and the highlight's byte range in the shown text.
struct Shown {
    text: String,
    range: std::ops::Range<usize>,
}

/// The line `body` (at byte `offset` of its file) with the part `span` covers highlighted
/// (at least one character, clamped to the line).
fn show(body: &str, offset: usize, span: Span) -> Shown {
    let start = floor_char(
        body,
        (span.start as usize).saturating_sub(offset).min(body.len()),
    );
    let mut end = floor_char(body, (start + span.len as usize).min(body.len()));
    if end <= start {
        end = body[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
    }
    let end = floor_char(body, end.min(start + MAX_HIGHLIGHT)).max(start);
    // The window of the line that is shown, and the marks for what was cut.
    let (from, to) = if body.len() > LONG_LINE {
        (
            floor_char(body, start.saturating_sub(CONTEXT)),
            ceil_char(body, (end + CONTEXT).min(body.len())),
        )
    } else {
        (0, body.len())
    };
    let mut text = String::new();
    if from > 0 {
        text.push('…');
    }
    let lead = text.len();
    let window = &body[from..to];
    text.push_str(&safe::human(window));
    if to < body.len() {
        text.push('…');
    }
    // Where the highlight lands once escaped: the escaped length of what precedes it.
    let at = |i: usize| {
        floor_char(
            &text,
            (lead + safe::human(&window[..i - from]).len()).min(text.len()),
        )
    };
    let range = at(start)..at(end);
    let range = if range.end > range.start {
        range
    } else {
        let end = text[range.start..]
            .chars()
            .next()
            .map_or(range.start, |c| range.start + c.len_utf8());
        range.start..end
    };
    Shown { text, range }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Renders diagnostics the way rustc does, one block each. Text from the repository (the
/// quoted line, paths, and messages, which name ids, titles and refs) goes through
/// [`safe::human`], and the place is given as the span's line and column, so it is the same
/// as in JSON whatever the escaping did to the quoted line.
///
/// At most `max` blocks are rendered (0: all; SPEC 7.2), then one line that counts the rest
/// per code, so a run with a hundred thousand problems stays readable in a CI log.
pub fn human(diags: &[Diagnostic], sources: &Sources, color: bool, max: usize) -> String {
    let (shown, rest) = if max == 0 || diags.len() <= max {
        (diags, &[][..])
    } else {
        diags.split_at(max)
    };
    let mut out = blocks(shown, sources, color);
    if !rest.is_empty() {
        out.push_str(&left_out(rest));
    }
    out
}

/// The closing line of a capped [`human`]: "… 1,234 more not shown: 1,000 unknown-key,
/// 234 stale-checkin (--max-diagnostics 0 shows all)", codes by count, then name.
fn left_out(rest: &[Diagnostic]) -> String {
    let mut per: HashMap<&str, usize> = HashMap::new();
    for d in rest {
        *per.entry(d.code.name()).or_default() += 1;
    }
    let mut per: Vec<(&str, usize)> = per.into_iter().collect();
    per.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let counts: Vec<String> = per.iter().map(|(c, n)| format!("{n} {c}")).collect();
    format!(
        "note: {} more not shown: {} (--max-diagnostics 0 shows all)\n",
        rest.len(),
        counts.join(", ")
    )
}

fn blocks(diags: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut lines = LineIndex::new(sources);
    let mut out = String::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = safe::human(sources.path(d.span.file));
        let message = safe::human(&d.message);
        let title = level.primary_title(message).id(d.code.name());
        let at = format!("{path}:{}:{}", d.span.line.max(1), d.span.col.max(1));
        // The quoted line has no path: annotate-snippets would take the column from the
        // shown text, which escaping and cutting change. The `-->` line is added after
        // rendering, with the span's own line and column. With no line to quote (a run-level
        // problem, or a file whose text is not kept), the place is an origin as usual.
        // A run-level problem (no goal file at all) has no place to show.
        let quoted = if d.span.is_nowhere() {
            None
        } else {
            lines.line(d.span.file, d.span.line)
        };
        let mut widest = d.span.line;
        let mut group = match quoted {
            _ if d.span.is_nowhere() => Group::with_title(title),
            Some((body, offset)) => {
                let shown = show(body, offset, d.span);
                title.element(
                    Snippet::source(shown.text)
                        .line_start(d.span.line as usize)
                        .annotation(AnnotationKind::Primary.span(shown.range)),
                )
            }
            None => title.element(annotate_snippets::Origin::path(at.clone())),
        };
        for r in &d.related {
            if let Some((body, offset)) = lines.line(r.span.file, r.span.line) {
                // Here annotate-snippets gives the column: exact unless the line had to be
                // escaped or cut before the span.
                let shown = show(body, offset, r.span);
                widest = widest.max(r.span.line);
                group = group.element(
                    Snippet::source(shown.text)
                        .line_start(r.span.line as usize)
                        .path(safe::human(sources.path(r.span.file)))
                        .annotation(
                            AnnotationKind::Context
                                .span(shown.range)
                                .label(safe::human(&r.label)),
                        ),
                );
            }
        }
        if let Some(help) = &d.help {
            group = group.element(Level::HELP.message(safe::human(help)));
        }
        let rendered = renderer.render(&[group]);
        if quoted.is_none() {
            out.push_str(&rendered);
        } else {
            let (first, rest) = rendered.split_once('\n').unwrap_or((&rendered, ""));
            let pad = " ".repeat(widest.to_string().len());
            out.push_str(first);
            out.push('\n');
            if color {
                let style = annotate_snippets::renderer::DEFAULT_LINE_NUM_STYLE;
                out.push_str(&format!("{pad}{style}-->{style:#} {at}\n"));
            } else {
                out.push_str(&format!("{pad}--> {at}\n"));
            }
            out.push_str(rest);
        }
        out.push_str("\n\n");
    }
    out
}

/// One diagnostic in `check --format json`.
#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonDiag<'a> {
    /// The stable kebab-case code (`goalpost explain CODE`).
    pub code: &'static str,
    pub severity: Severity,
    pub message: &'a str,
    /// Repo-relative, `/`-separated; null for a run-level diagnostic with no place
    /// (SPEC 7.2), as are line and column.
    pub file: Option<&'a str>,
    /// 1-based.
    pub line: Option<u32>,
    /// 1-based, in characters.
    pub column: Option<u32>,
    pub help: Option<&'a str>,
}

/// `goalpost check --format json` (SPEC 7.2).
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(title = "goalpost check --format json")]
pub struct JsonReport<'a> {
    pub format_version: super::FormatVersion,
    /// No errors (warnings allowed, unless `--deny-warnings` made them errors).
    pub valid: bool,
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<JsonDiag<'a>>,
}

/// `{"format_version": 1, "valid", "errors", "warnings", "diagnostics": [...]}` as SPEC
/// 7.2 describes.
pub fn json(diags: &[Diagnostic], sources: &Sources, valid: bool) -> String {
    let c = count(diags);
    let report = JsonReport {
        format_version: super::FormatVersion,
        valid,
        errors: c.errors,
        warnings: c.warnings,
        diagnostics: diags
            .iter()
            .map(|d| {
                let placed = !d.span.is_nowhere();
                JsonDiag {
                    code: d.code.name(),
                    severity: d.severity,
                    message: &d.message,
                    file: placed.then(|| sources.path(d.span.file)),
                    line: placed.then(|| d.span.line.max(1)),
                    column: placed.then(|| d.span.col.max(1)),
                    help: d.help.as_deref(),
                }
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".to_owned());
    s.push('\n');
    s
}

/// GitHub Actions workflow commands, one per diagnostic.
pub fn github(diags: &[Diagnostic], sources: &Sources) -> String {
    let mut out = String::new();
    for d in diags {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push('\n');
            message.push_str(h);
        }
        let place = if d.span.is_nowhere() {
            String::new()
        } else {
            format!(
                "file={},line={},col={},",
                safe::github_property(sources.path(d.span.file)),
                d.span.line.max(1),
                d.span.col.max(1),
            )
        };
        out.push_str(&format!(
            "::{kind} {place}title={}::{}\n",
            safe::github_property(d.code.name()),
            safe::github_data(&message),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::load::SourceFile;

    fn sources() -> Sources {
        Sources {
            files: vec![SourceFile {
                path: "goals/a.yaml".into(),
                text: "team: growth\nkpis:\n  - id: churn\n".into(),
            }],
        }
    }

    #[test]
    fn human_points_at_the_span() {
        let d = Diagnostic::new(
            Code::UnknownKey,
            Span {
                file: 0,
                line: 3,
                col: 7,
                start: 25,
                len: 5,
            },
            "bad",
        )
        .help("fix it");
        let text = human(&[d], &sources(), false, 0);
        insta::assert_snapshot!(text, @r"
        error[unknown-key]: bad
         --> goals/a.yaml:3:7
          |
        3 |   - id: churn
          |       ^^^^^
          |
          = help: fix it
        ");
    }

    #[test]
    fn quoted_lines_are_escaped_and_the_underline_follows() {
        let sources = Sources {
            files: vec![SourceFile {
                path: "goals/a\n::error::x.yaml".into(),
                text: "team: x\u{1b}]52;c;Zm9v\u{7} ##[group]\n".into(),
            }],
        };
        let d = Diagnostic::new(
            Code::YamlSyntax,
            Span {
                file: 0,
                line: 1,
                col: 19,
                start: 18,
                len: 1,
            },
            "bad \u{9b}31m ::warning::x",
        );
        let text = human(&[d], &sources, false, 0);
        assert!(!text.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{text:?}");
        assert!(!text.contains("::") && !text.contains("##["), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[1],
            " --> goals/a\\n:\u{2060}:error:\u{2060}:x.yaml:1:19"
        );
        assert_eq!(
            lines[3],
            "1 | team: x\\u{1b}]52;c;Zm9v\\u{7} #\u{2060}#[group]"
        );
        // The underline is under the escaped BEL, at the same character column.
        let col = |l: &str, pat: &str| l[..l.find(pat).expect(pat)].chars().count();
        assert_eq!(col(lines[4], "^"), col(lines[3], "\\u{7}"), "{text}");
        assert_eq!(
            lines[4].trim_end().len() - lines[4].find('^').unwrap_or(0),
            5
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = format!("{}BAD{}", "a".repeat(10_000), "b".repeat(10_000));
        let sources = Sources {
            files: vec![SourceFile {
                path: "goals/a.yaml".into(),
                text: format!("x: 1\n{line}\n"),
            }],
        };
        let d = Diagnostic::new(
            Code::YamlSyntax,
            Span {
                file: 0,
                line: 2,
                col: 10_001,
                start: 5 + 10_000,
                len: 3,
            },
            "bad",
        );
        let text = human(&[d], &sources, false, 0);
        assert!(text.contains(" --> goals/a.yaml:2:10001\n"), "{text}");
        assert!(text.len() < 1_000, "{}", text.len());
        let quoted = text.lines().find(|l| l.contains("BAD")).expect("the line");
        let marks = text
            .lines()
            .find(|l| l.contains("^^^"))
            .expect("the underline");
        assert!(
            quoted.starts_with("2 | …a") && quoted.ends_with('…'),
            "{quoted}"
        );
        let col = |l: &str, pat: &str| l[..l.find(pat).expect(pat)].chars().count();
        assert_eq!(col(quoted, "BAD"), col(marks, "^^^"), "{text}");
    }

    #[test]
    fn the_line_index_finds_every_line() {
        let sources = Sources {
            files: vec![SourceFile {
                path: "a".into(),
                text: "one\r\ntwo\n\nfour".into(),
            }],
        };
        let mut lines = LineIndex::new(&sources);
        assert_eq!(lines.line(0, 1), Some(("one", 0)));
        assert_eq!(lines.line(0, 2), Some(("two", 5)));
        assert_eq!(lines.line(0, 3), Some(("", 9)));
        assert_eq!(lines.line(0, 4), Some(("four", 10)));
        assert_eq!(lines.line(0, 5), None);
        assert_eq!(lines.line(0, 0), None);
        assert_eq!(lines.line(7, 1), None);
    }

    #[test]
    fn a_file_without_text_is_named_without_a_quote() {
        let sources = Sources {
            files: vec![SourceFile {
                path: "goals/link.yaml".into(),
                text: String::new(),
            }],
        };
        let d = Diagnostic::new(
            Code::SymlinkEscape,
            Span {
                file: 0,
                line: 1,
                col: 1,
                ..Span::default()
            },
            "`goals/link.yaml` is a symlink to `/etc/passwd`, outside the repository",
        )
        .help("remove the link");
        insta::assert_snapshot!(human(&[d], &sources, false, 0), @r"
        error[symlink-escape]: `goals/link.yaml` is a symlink to `/etc/passwd`, outside the repository
         --> goals/link.yaml:1:1
          = help: remove the link
        ");
    }
}
