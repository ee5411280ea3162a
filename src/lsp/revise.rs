//! The code action "Record a revision instead of editing `target`" (or `start`), SPEC 3.4.
//!
//! The server has no base revision, so it cannot raise `goalpost-moved` (that needs `check
//! --base`); what it can tell is that a key result's `target` or `start` in the buffer differs
//! from the same key result's in the file as committed at git HEAD: an edit in place. On that
//! line it offers to put the committed value back and append a revision with the new value,
//! dated today, with an empty `reason: ""` for the author to fill (`empty-reason` points at it
//! until they do; LSP 3.17 workspace edits take no snippets).
//!
//! HEAD is read in-process through [`crate::git`] (libgit2: nothing is run), bounded like
//! every read ([`crate::load::MAX_FILE_BYTES`]); no repository, an unborn branch, a file not
//! committed, a key result that is new or in another team or period, or a line that is not
//! block style: no action. The edits only ever touch the buffer of the file asked about.

use super::locate;
use super::position::LineIndex;
use super::store::Workspace;
use crate::load::raw::{RawFile, RawKeyResult, Sp};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Position, Range, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;

/// The action for the line of `range.start` in the buffer of `path`, if there is one.
pub(crate) fn action(ws: &Workspace, path: &str, range: Range) -> Option<CodeActionOrCommand> {
    let text = ws.text(path)?;
    let index = LineIndex::new(text);
    let offset = index.offset(text, range.start);
    // The place: a key result's `target` or `start` (key or value), in block style.
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start
        ..text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i)];
    let col = line.len() - line.trim_start_matches([' ', '-']).len();
    let key = ["target", "start"]
        .into_iter()
        .find(|k| line[col..].starts_with(&format!("{k}:")))?;
    let loc = locate::locate(text, line_start + col)?;
    if loc.keys() != ["objectives", "key_results", key] || loc.path.len() != 5 {
        return None;
    }
    let (objective, kr) = (loc.objective.as_deref()?, loc.kr.as_deref()?);

    let (now_file, _) = crate::load::parse_file(0, text);
    let now_file = now_file?;
    let head_text = committed(ws, path)?;
    let (head_file, _) = crate::load::parse_file(0, &head_text);
    let head_file = head_file?;
    let same = |a: &Option<Sp<String>>, b: &Option<Sp<String>>| {
        a.as_ref().map(|s| &s.value) == b.as_ref().map(|s| &s.value)
    };
    if !same(&now_file.team, &head_file.team) || !same(&now_file.period, &head_file.period) {
        return None;
    }
    let now_kr = find(&now_file, objective, kr)?;
    let head_kr = find(&head_file, objective, kr)?;
    let value = |k: &RawKeyResult| match key {
        "target" => k.target.clone(),
        _ => k.start.clone(),
    };
    let (now, was) = (value(now_kr)?, value(head_kr)?);
    if now.value == was.value || now.span.start as usize <= line_start {
        return None;
    }
    // The revision is history dated today; one on the same date would be a duplicate.
    let today = ws.today.to_string();
    let revisions = now_kr.revisions.as_deref().unwrap_or_default();
    if revisions
        .iter()
        .any(|r| r.date.as_ref().is_some_and(|d| d.value == today))
    {
        return None;
    }
    let written = |t: &str, s: &Sp<f64>| -> Option<String> {
        let start = s.span.start as usize;
        t.get(start..start + s.span.len as usize).map(str::to_owned)
    };
    let (new_text, old_text) = (written(text, &now)?, written(&head_text, &was)?);
    let entry = format!("{{ date: {today}, {key}: {new_text}, reason: \"\" }}");
    let insert = revision_insert(text, &index, line_start, col, &entry)?;
    let put_back = TextEdit::new(index.range(text, &now.span), old_text.clone());

    let uri: Uri = ws.uri_of(path).parse().ok()?;
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title: format!(
            "Record a revision instead of editing `{key}` ({old_text} as committed, {new_text} from {today})"
        ),
        kind: Some(CodeActionKind::REFACTOR_REWRITE),
        edit: Some(WorkspaceEdit::new(HashMap::from([(
            uri,
            vec![put_back, insert],
        )]))),
        ..CodeAction::default()
    }))
}

/// The text of `path` as committed at HEAD, when there is one within the bounds.
fn committed(ws: &Workspace, path: &str) -> Option<String> {
    let repo = crate::git::Repo::discover(&ws.root).ok()?;
    let reader = repo.reader();
    let head = reader.head().ok()??;
    let blob = reader
        .entries(head, &[repo.git_path(path)])
        .ok()?
        .into_iter()
        .next()??;
    let bytes = reader.blob(blob, crate::load::MAX_FILE_BYTES).ok()??;
    String::from_utf8(bytes).ok()
}

/// Key result `kr` of objective `objective` in a parsed file.
fn find<'a>(file: &'a RawFile, objective: &str, kr: &str) -> Option<&'a RawKeyResult> {
    let id = |s: &Option<Sp<String>>| s.as_ref().map(|s| s.value.clone());
    file.objectives
        .as_deref()?
        .iter()
        .find(|o| id(&o.id).as_deref() == Some(objective))?
        .key_results
        .as_deref()?
        .iter()
        .find(|k| id(&k.id).as_deref() == Some(kr))
}

/// The edit that adds the revision `entry` (a one-line flow mapping) to the key result whose
/// keys stand at column `col`, the line being edited starting at byte `line_start`: after the
/// last item of its block-style `revisions:`, or, without one, a new `revisions:` under the
/// edited line. A `revisions: [ … ]` on one line gets no edit (no action).
fn revision_insert(
    text: &str,
    index: &LineIndex,
    line_start: usize,
    col: usize,
    entry: &str,
) -> Option<TextEdit> {
    let lines: Vec<&str> = text.split('\n').collect();
    // New lines end as the file's do.
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let here = index.position(text, line_start).line as usize;
    let key_col = |l: &str| l.len() - l.trim_start_matches([' ', '-']).len();
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    // Whether a dash stands left of the keys' column (bytes: a line may hold any text).
    let dash_before = |l: &str| l.as_bytes()[..col.min(l.len())].contains(&b'-');
    let blank = |l: &str| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#')
    };
    // The key result's lines: up from the edited line to its `- ` line, down to the next
    // line left of its keys (or another item of the list).
    let mut first = here;
    while first > 0 && !dash_before(lines[first]) {
        let prev = lines[first - 1];
        if !blank(prev) && indent(prev) < col && !dash_before(prev) {
            return None;
        }
        first -= 1;
    }
    let mut last = here;
    while last + 1 < lines.len() {
        let next = lines[last + 1];
        if !blank(next) && indent(next) < col {
            break;
        }
        last += 1;
    }
    let at_line = |n: usize| Position::new(n as u32, 0);
    let own = (first..=last).find(|&n| {
        let l = lines[n];
        key_col(l) == col && l[col..].starts_with("revisions:")
    });
    let Some(rev) = own else {
        let pad = " ".repeat(col);
        return Some(TextEdit::new(
            Range::new(at_line(here + 1), at_line(here + 1)),
            format!("{pad}revisions:{nl}{pad}  - {entry}{nl}"),
        ));
    };
    if !blank(lines[rev][col + "revisions:".len()..].trim_start_matches(' ')) {
        return None;
    }
    // Its items: the lines after it that are indented more, or `- ` items at its column.
    let mut end = rev;
    let mut dash = None;
    for (n, l) in lines.iter().enumerate().skip(rev + 1) {
        if n > last {
            break;
        }
        if blank(l) {
            continue;
        }
        let i = indent(l);
        let item = l[i..].starts_with("- ") || &l[i..] == "-";
        if i > col || (i == col && item) {
            if item && dash.is_none() {
                dash = Some(i);
            }
            end = n;
        } else {
            break;
        }
    }
    let dash = dash.unwrap_or(col + 2);
    Some(TextEdit::new(
        Range::new(at_line(end + 1), at_line(end + 1)),
        format!("{}- {entry}{nl}", " ".repeat(dash)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` with the revision `e` added for the key result whose `needle` line is edited.
    fn added(text: &str, needle: &str) -> Option<String> {
        let at = text.find(needle).expect("needle");
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let col = at - line_start;
        let index = LineIndex::new(text);
        let edit = revision_insert(text, &index, line_start, col, "e")?;
        let mut out = text.to_owned();
        let offset = index.offset(text, edit.range.start);
        out.insert_str(offset, &edit.new_text);
        Some(out)
    }

    const HEAD: &str = "objectives:\n  - id: o\n    key_results:\n      - id: k\n";

    #[test]
    fn a_revision_goes_after_the_last_one_or_under_the_edited_line() {
        // Block items spanning lines, then a comment and a later key.
        let text = format!(
            "{HEAD}        target: 2\n        revisions:\n          - date: 2026-10-02\n            reason: r\n\n        # c\n        checkins: []\n      - id: m\n"
        );
        assert_eq!(
            added(&text, "target: 2").as_deref(),
            Some(
                text.replace("reason: r\n", "reason: r\n          - e\n")
                    .as_str()
            )
        );
        // An indentless sequence keeps its column.
        let text = format!(
            "{HEAD}        target: 2\n        revisions:\n        - {{ a: 1 }}\n        unit: x\n"
        );
        assert_eq!(
            added(&text, "target: 2").as_deref(),
            Some(
                text.replace("{ a: 1 }\n", "{ a: 1 }\n        - e\n")
                    .as_str()
            )
        );
        // No revisions: a new key under the edited line, also when it starts the item.
        let text = "objectives:\n  - id: o\n    key_results:\n      - target: 2\n        id: k\n";
        assert_eq!(
            added(text, "target: 2").as_deref(),
            Some(
                text.replace(
                    "target: 2\n",
                    "target: 2\n        revisions:\n          - e\n"
                )
                .as_str()
            )
        );
        // Line ends as the file's.
        let text = format!("{HEAD}        target: 2\n").replace('\n', "\r\n");
        assert_eq!(
            added(&text, "target: 2").as_deref(),
            Some(
                text.replace(
                    "target: 2\r\n",
                    "target: 2\r\n        revisions:\r\n          - e\r\n"
                )
                .as_str()
            )
        );
        // A one-line flow list gets no edit.
        let text = format!("{HEAD}        target: 2\n        revisions: [{{ a: 1 }}]\n");
        assert_eq!(added(&text, "target: 2"), None);
    }
}
