//! Code actions: the fixes the diagnostics propose ([`Diagnostic::fix`], set where each is
//! raised), as edits. A [`Fix::Replace`] is a "did you mean", a number written as a string
//! or an id that is not a slug; a percentage also gets `unit: "%"` on its key result or KPI
//! when it has no unit. A [`Fix::AddLine`] adds a missing field (`title`, …) with the example
//! the help gives, under the item's first key. Only block-style mappings get a new line: inside `{ … }` a line would
//! break the YAML, so there the action is not offered. Besides the fixes, a key result's
//! `target` or `start` edited in place gets "Record a revision instead" ([`super::revise`]).

use super::position::LineIndex;
use super::store::Workspace;
use crate::diag::{Diagnostic, Fix, Span};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Position, Range, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;

/// The quick fixes for the diagnostics of `path` that touch `range`.
pub(crate) fn actions(ws: &Workspace, path: &str, range: Range) -> Vec<CodeActionOrCommand> {
    let (Some(file), Some(text)) = (ws.id(path), ws.text(path)) else {
        return Vec::new();
    };
    let Ok(uri) = ws.uri_of(path).parse::<Uri>() else {
        return Vec::new();
    };
    let index = LineIndex::new(text);
    let mut out = Vec::new();
    for d in &ws.analysis.diags {
        if d.span.file != file || d.span.is_nowhere() {
            continue;
        }
        let at = index.range(text, &d.span);
        if at.end < range.start || range.end < at.start {
            continue;
        }
        if let Some((title, edits)) = fix(text, &index, d) {
            let lsp_diag = super::diagnostics::convert(ws, &[d]);
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(lsp_diag),
                edit: Some(WorkspaceEdit::new(HashMap::from([(uri.clone(), edits)]))),
                is_preferred: Some(true),
                ..CodeAction::default()
            }));
        }
    }
    out.extend(super::revise::action(ws, path, range));
    out
}

/// The fix of one diagnostic: a title and its edits.
pub(crate) fn fix(
    text: &str,
    index: &LineIndex,
    d: &Diagnostic,
) -> Option<(String, Vec<TextEdit>)> {
    match d.fix.as_deref()? {
        Fix::Replace { span, replacement } => replace(text, index, span, replacement),
        Fix::AddLine { span, line } => add_field(text, index, span, line),
    }
}

/// Writes `new` in place of what `span` covers.
fn replace(
    text: &str,
    index: &LineIndex,
    span: &Span,
    new: &str,
) -> Option<(String, Vec<TextEdit>)> {
    let range = index.range(text, span);
    if range.start == range.end {
        return None;
    }
    let mut edits = vec![TextEdit::new(range, new.to_owned())];
    let start = index.offset(text, range.start);
    let end = index.offset(text, range.end);
    let old = text.get(start..end)?;
    let percent = old.trim_matches(['"', '\'', ' ']).ends_with('%');
    let mut title = format!("Replace with `{new}`");
    if percent && let Some(unit) = add_unit(text, index, start) {
        edits.push(unit);
        title = format!("Write `{new}` with `unit: \"%\"`");
    }
    Some((title, edits))
}

/// One line's indentation and the column of its key (after `- ` markers), in bytes.
fn key_col(line: &str) -> usize {
    let mut rest = line.trim_start_matches(' ');
    while let Some(r) = rest.strip_prefix("- ") {
        rest = r.trim_start_matches(' ');
    }
    line.len() - rest.len()
}

/// The lines of the block mapping whose key stands at `col` around line `line` (0-based),
/// as (line number, text).
fn siblings(text: &str, line: usize, col: usize) -> Vec<(usize, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let in_map = |l: &str| {
        let t = l.trim_start_matches(' ');
        t.is_empty() || t.starts_with('#') || l.len() - t.len() >= col
    };
    let mut first = line;
    while first > 0 && in_map(lines[first - 1]) {
        // A `- ` line at this key column starts the item: stop there.
        if key_col(lines[first]) == col && lines[first][..col].contains('-') {
            break;
        }
        first -= 1;
    }
    let mut last = line;
    while last + 1 < lines.len()
        && in_map(lines[last + 1])
        && !lines[last + 1][..col.min(lines[last + 1].len())].contains('-')
    {
        last += 1;
    }
    (first..=last.min(lines.len().saturating_sub(1)))
        .map(|i| (i, lines[i]))
        .filter(|(_, l)| key_col(l) == col)
        .collect()
}

/// A `unit: "%"` line after the block-style line holding byte `at`, when that mapping has
/// no `unit` and is a key result or KPI (`start`, `target` or `critical` is being fixed).
fn add_unit(text: &str, index: &LineIndex, at: usize) -> Option<TextEdit> {
    let pos = index.position(text, at);
    let line = text.lines().nth(pos.line as usize)?;
    let col = key_col(line);
    let key = line[col..].split(':').next()?.trim();
    if !matches!(key, "start" | "target" | "critical") {
        return None;
    }
    let has_unit = siblings(text, pos.line as usize, col)
        .iter()
        .any(|(_, l)| l[col..].starts_with("unit:"));
    if has_unit {
        return None;
    }
    Some(TextEdit::new(
        Range::new(
            Position::new(pos.line + 1, 0),
            Position::new(pos.line + 1, 0),
        ),
        format!("{}unit: \"%\"\n", " ".repeat(col)),
    ))
}

/// Adds the line `example` of a missing field (`title: …`) under the first key of the item,
/// which is at `span`.
fn add_field(
    text: &str,
    index: &LineIndex,
    span: &Span,
    example: &str,
) -> Option<(String, Vec<TextEdit>)> {
    let key = example.split(':').next()?;
    let start = index.offset_of_line_col(text, span.line, span.col.max(1));
    let pos = index.position(text, start);
    let line = text.lines().nth(pos.line as usize)?;
    let col = key_col(line);
    // The item's first key must start a block-style line (`- id: x` or `id: x`).
    if line.len() < col
        || line[..col].contains(['{', '['])
        || line[col..].starts_with(['{', '['])
        || index.offset(text, Position::new(pos.line, 0)) + col != start
    {
        return None;
    }
    let edit = TextEdit::new(
        Range::new(
            Position::new(pos.line + 1, 0),
            Position::new(pos.line + 1, 0),
        ),
        format!("{}{example}\n", " ".repeat(col)),
    );
    Some((format!("Add `{key}:`"), vec![edit]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    /// Applies edits (non-overlapping, any order) to a text.
    fn apply(text: &str, edits: &[TextEdit]) -> String {
        let index = LineIndex::new(text);
        let mut spans: Vec<(usize, usize, &str)> = edits
            .iter()
            .map(|e| {
                (
                    index.offset(text, e.range.start),
                    index.offset(text, e.range.end),
                    e.new_text.as_str(),
                )
            })
            .collect();
        spans.sort_by_key(|s| std::cmp::Reverse(s.0));
        let mut out = text.to_owned();
        for (a, b, t) in spans {
            out.replace_range(a..b, t);
        }
        out
    }

    /// The fixed text for the first diagnostic of `code` in `text`, as the loader and
    /// validator report it (with the [`Fix`] they set).
    fn fixed(text: &str, code: Code) -> Option<String> {
        let (raw, mut diags) = crate::load::parse_file(0, text);
        if let Some(raw) = raw {
            diags.extend(crate::validate::validate(&[(0, raw)], &Default::default()).1);
        }
        let d = diags
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("no {code} in {diags:?}"));
        let index = LineIndex::new(text);
        fix(text, &index, d).map(|(_, edits)| apply(text, &edits))
    }

    const KR: &str = "team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: T\n    key_results:\n      - id: k\n        title: K\n";

    #[test]
    fn a_percentage_becomes_a_number_with_a_unit() {
        let text = format!("{KR}        start: \"60%\"\n        target: 80\n");
        let out = fixed(&text, Code::InvalidType).expect("a fix");
        assert_eq!(
            out,
            format!("{KR}        start: 60\n        unit: \"%\"\n        target: 80\n")
        );
        // With a unit already there, only the number changes.
        let text = format!("{KR}        unit: \"%\"\n        start: 60%\n        target: 80\n");
        let out = fixed(&text, Code::InvalidType).expect("a fix");
        assert_eq!(
            out,
            format!("{KR}        unit: \"%\"\n        start: 60\n        target: 80\n")
        );
    }

    #[test]
    fn number_hints_and_did_you_mean() {
        let text = format!("{KR}        start: 1,200\n        target: 80\n");
        assert!(
            fixed(&text, Code::InvalidType)
                .unwrap()
                .contains("start: 1200\n")
        );
        let text = format!("{KR}        start: \"4,9\"\n        target: 80\n");
        assert!(
            fixed(&text, Code::InvalidType)
                .unwrap()
                .contains("start: 4.9\n")
        );
        let text = format!("{KR}        start: \"42\"\n        target: 80\n");
        assert!(
            fixed(&text, Code::InvalidType)
                .unwrap()
                .contains("start: 42\n")
        );
        let text = format!("{KR}        titel: x\n        start: 1\n        target: 2\n");
        let out = fixed(&text, Code::UnknownKey).unwrap();
        assert!(out.contains("        title: x\n"), "{out}");
        let text =
            "team: growth\nkpis:\n  - id: k\n    title: K\n    better: lowr\n    target: 1\n";
        assert!(
            fixed(text, Code::InvalidType)
                .unwrap()
                .contains("better: lower\n")
        );
        let text =
            "team: Growth Team\nkpis:\n  - id: k\n    title: K\n    better: lower\n    target: 1\n";
        assert!(
            fixed(text, Code::InvalidSlug)
                .unwrap()
                .starts_with("team: growth-team\n")
        );
    }

    #[test]
    fn a_missing_title_is_added() {
        let text = "team: growth\nkpis:\n  - id: k\n    better: lower\n    target: 1\n";
        let out = fixed(text, Code::MissingField).expect("a fix");
        assert!(
            out.starts_with("team: growth\nkpis:\n  - id: k\n    title: "),
            "{out}"
        );
        let _: Vec<&str> = out.lines().collect();
        // Flow style: no line can be added.
        let text = "team: growth\nkpis:\n  - { id: k, better: lower, target: 1 }\n";
        assert_eq!(fixed(text, Code::MissingField), None);
    }
}
