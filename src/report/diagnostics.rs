//! Diagnostics rendered three ways: rustc-style text for people (annotate-snippets), JSON
//! for scripts (SPEC 7.2), and GitHub workflow commands for pull-request annotations.

use crate::diag::{Diagnostic, Severity, Span};
use crate::load::Sources;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

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

/// The text of the line holding `span`, that line's byte offset, and the highlighted range
/// relative to the line (at least one character, clamped to the line).
fn line_of(text: &str, span: Span) -> Option<(&str, usize, std::ops::Range<usize>)> {
    let line_idx = span.line.checked_sub(1)? as usize;
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i == line_idx {
            let body = line.trim_end_matches(['\n', '\r']);
            let start = (span.start as usize).saturating_sub(offset).min(body.len());
            let start = floor_char(body, start);
            let mut end = (start + span.len as usize).min(body.len());
            if end <= start {
                end = body[start..]
                    .chars()
                    .next()
                    .map_or(start, |c| start + c.len_utf8());
            }
            return Some((body, offset, start..floor_char(body, end).max(start)));
        }
        offset += line.len();
    }
    None
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Renders diagnostics the way rustc does, one block each.
pub fn human(diags: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = sources.path(d.span.file);
        let text = sources.text(d.span.file);
        let title = level.primary_title(d.message.as_str()).id(d.code.name());
        let located = line_of(text, d.span);
        let mut group = match &located {
            _ if d.span.is_nowhere() => Group::with_title(title),
            Some((body, _, range)) => title.element(
                Snippet::source(*body)
                    .line_start(d.span.line as usize)
                    .path(path)
                    .annotation(AnnotationKind::Primary.span(range.clone())),
            ),
            None => Group::with_title(title).element(
                annotate_snippets::Origin::path(path)
                    .line(d.span.line.max(1) as usize)
                    .char_column(d.span.col.max(1) as usize),
            ),
        };
        for r in &d.related {
            let rtext = sources.text(r.span.file);
            if let Some((body, _, range)) = line_of(rtext, r.span) {
                group = group.element(
                    Snippet::source(body)
                        .line_start(r.span.line as usize)
                        .path(sources.path(r.span.file))
                        .annotation(AnnotationKind::Context.span(range).label(r.label.as_str())),
                );
            }
        }
        if let Some(help) = &d.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
}

#[derive(Serialize)]
struct JsonDiag<'a> {
    code: &'static str,
    severity: Severity,
    message: &'a str,
    /// Null for a run-level diagnostic with no place (SPEC 7.2), as are line and column.
    file: Option<&'a str>,
    line: Option<u32>,
    column: Option<u32>,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    valid: bool,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiag<'a>>,
}

/// `{"valid", "errors", "warnings", "diagnostics": [...]}` as SPEC 7.2 describes.
pub fn json(diags: &[Diagnostic], sources: &Sources, valid: bool) -> String {
    let c = count(diags);
    let report = JsonReport {
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
                escape_property(sources.path(d.span.file)),
                d.span.line.max(1),
                d.span.col.max(1),
            )
        };
        out.push_str(&format!(
            "::{kind} {place}title={}::{}\n",
            escape_property(d.code.name()),
            escape_data(&message),
        ));
    }
    out
}

/// Escapes a workflow-command message: `%`, CR and LF.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value: as data, plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
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
    fn escapes_as_github_requires() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
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
        let text = human(&[d], &sources(), false);
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
}
