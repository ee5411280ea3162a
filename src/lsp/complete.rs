//! Completion while typing: keys (the goal-file schema's property names for the mapping the
//! cursor is in, less those the mapping already has: an objective, a key result, a KPI, a
//! check-in, a revision, a `dropped:` mapping), keyword values (`commitment`, `kind`,
//! `better`, a KPI's and a key result's `cadence`) and refs
//! (objectives of the same period for `parent`, KPIs for `kpi` and `guardrails`, key
//! results and KPIs for a log's `ref`, the periods of the same objective for
//! `carried_from`).
//!
//! A buffer being typed in is usually not valid YAML, so the place is read from the text
//! around the cursor ([`context`]): the enclosing keys by indentation, list items by their
//! dash, and one-line flow collections (`- { ref: gr`, `guardrails: [a/b, c`).

use super::outline::Outline;
use super::position::LineIndex;
use crate::model::{Better, Cadence, Commitment, KrCadence, KrKind, Upstream};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, Range, TextEdit,
};
use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

/// Where the cursor is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Context {
    /// Keys of the enclosing mappings, outermost first (list items are not steps).
    pub parents: Vec<String>,
    /// `Some(key)` when the cursor is in that key's value; `None` in a key.
    pub key: Option<String>,
    /// The word typed so far (slug characters and `/`), and where it starts (bytes).
    pub word: String,
    pub word_start: usize,
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.')
}

/// One line's shape: the column of its key (after any `- `), the column of its first dash,
/// its key and whether the key has a value on the line.
struct LineShape<'a> {
    key_col: usize,
    dash_col: Option<usize>,
    key: Option<&'a str>,
    has_value: bool,
}

fn shape(line: &str) -> Option<LineShape<'_>> {
    let trimmed = line.trim_start_matches(' ');
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return None;
    }
    let indent = line.len() - trimmed.len();
    let mut rest = trimmed;
    let mut col = indent;
    let mut dash_col = None;
    while let Some(after) = rest
        .strip_prefix("- ")
        .or(if rest == "-" { Some("") } else { None })
    {
        dash_col.get_or_insert(col);
        let inner = after.trim_start_matches(' ');
        col += rest.len() - inner.len();
        rest = inner;
    }
    let (key, has_value) = match rest.find(':') {
        Some(i)
            if !rest.starts_with(['{', '[', '"', '\''])
                && rest[i + 1..].chars().next().is_none_or(|c| c == ' ') =>
        {
            let value = rest[i + 1..].trim();
            (
                Some(rest[..i].trim()),
                !value.is_empty() && !value.starts_with('#'),
            )
        }
        _ => (None, !rest.is_empty()),
    };
    Some(LineShape {
        key_col: col,
        dash_col,
        key,
        has_value,
    })
}

/// The place of byte `offset` in `text` (see the module docs).
pub(crate) fn context(text: &str, offset: usize) -> Context {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let word: String = before
        .chars()
        .rev()
        .take_while(|&c| is_word(c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let word_start = offset - word.len();

    let depth = flow_openers(before);
    // The block part of the line: up to the first flow opener.
    let block = match depth.first() {
        Some(&(_, i)) => &before[..i],
        None => before,
    };
    let mut parents = ancestors(text, line_start, block);
    let this = shape(block);
    let block_key = this.as_ref().and_then(|s| s.key).map(str::to_owned);
    let key = match depth.last() {
        Some(&('[', _)) => block_key,
        Some(&('{', open)) => {
            // Inside `{ k: v, k2: |`: the entry after the last `,` or `{`.
            if let Some(k) = block_key {
                parents.push(k);
            }
            let entry = &before[open + 1..];
            let entry = entry.rsplit(',').next().unwrap_or(entry);
            entry.split_once(':').map(|(k, _)| k.trim().to_owned())
        }
        _ => match &this {
            Some(s)
                if s.key.is_some()
                    && block.trim_end().len() > s.key_col + s.key.map_or(0, str::len) =>
            {
                s.key.map(str::to_owned)
            }
            _ => None,
        },
    };
    Context {
        parents,
        key,
        word,
        word_start,
    }
}

/// The unclosed `{` and `[` of one line (up to the cursor), outermost first, with their
/// byte offsets: the one-line flow collections the cursor is in.
fn flow_openers(before: &str) -> Vec<(char, usize)> {
    let mut depth: Vec<(char, usize)> = Vec::new();
    let mut quote: Option<char> = None;
    for (i, c) in before.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '[') => depth.push((c, i)),
            (None, '}' | ']') => {
                depth.pop();
            }
            _ => {}
        }
    }
    depth
}

/// The keys that the mapping the cursor (byte `offset`) is in already has, on other lines
/// than the cursor's (or, in a one-line flow mapping, in its other entries): key
/// completion does not offer them again.
fn present_keys(text: &str, offset: usize) -> Vec<String> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let before = &text[line_start..offset];
    if let Some(&('{', open)) = flow_openers(before).last() {
        // `{ a: 1, b|, c: 2 }`: the entries of this flow mapping, but the cursor's.
        let after = &text[offset..line_end];
        let after = &after[after.find([',', '}']).unwrap_or(after.len())..];
        let after = &after[..after.find('}').unwrap_or(after.len())];
        let entries = before[open + 1..]
            .rsplit_once(',')
            .map_or("", |(done, _)| done);
        return entries
            .split(',')
            .chain(after.split(','))
            .filter_map(|e| e.split_once(':').map(|(k, _)| k.trim().to_owned()))
            .filter(|k| !k.is_empty())
            .collect();
    }
    let (col, starts_item) = match shape(before) {
        Some(s) => (s.key_col, s.dash_col.is_some()),
        None => (before.len(), false),
    };
    let mut out = Vec::new();
    // Backwards to the line that starts this list item (or the mapping's first key).
    if !starts_item {
        for line in text[..line_start].lines().rev() {
            let Some(s) = shape(line) else { continue };
            if s.key_col < col || s.dash_col.is_some_and(|d| d < col && s.key_col != col) {
                break;
            }
            if s.key_col == col {
                out.extend(s.key.map(str::to_owned));
                if s.dash_col.is_some() {
                    break;
                }
            }
        }
    }
    // Forwards to the next item or the end of the mapping.
    for line in text[line_end..].lines().skip(1) {
        let Some(s) = shape(line) else { continue };
        if s.key_col < col || s.dash_col.is_some_and(|d| d < col) {
            break;
        }
        if s.key_col == col {
            out.extend(s.key.map(str::to_owned));
        }
    }
    out
}

/// The keys of the block mappings enclosing the line that starts at `line_start`.
fn ancestors(text: &str, line_start: usize, block: &str) -> Vec<String> {
    // The column the current line's key would stand at.
    let mut level = match shape(block) {
        Some(s) => s.dash_col.unwrap_or(s.key_col),
        None => block.len(),
    };
    let mut equal_ok = shape(block).is_some_and(|s| s.dash_col.is_some());
    let mut out = Vec::new();
    for line in text[..line_start].lines().rev() {
        if level == 0 && !equal_ok {
            break;
        }
        let Some(s) = shape(line) else { continue };
        let below = s.key_col < level || (equal_ok && s.key_col <= level);
        match s.dash_col {
            // A list item of the mapping we are in: its parent key is at or left of the dash.
            Some(d) if d < level && s.key_col >= level => {
                level = d;
                equal_ok = true;
                continue;
            }
            Some(d) if d < level || (equal_ok && d <= level) => {
                // An item of an outer list; its key (if any) frames us when we are inside it.
                if let (Some(k), false) = (s.key, s.has_value) {
                    out.push(k.to_owned());
                }
                level = d;
                equal_ok = true;
                continue;
            }
            _ => {}
        }
        if below {
            match (s.key, s.has_value) {
                (Some(k), false) => {
                    out.push(k.to_owned());
                    level = s.key_col;
                    equal_ok = false;
                }
                // A key with a value left of us: we are not inside it.
                _ => break,
            }
        }
    }
    out.reverse();
    out
}

/// The schema definition of the mapping at `parents`.
fn definition(parents: &[String]) -> Option<&'static str> {
    let p: Vec<&str> = parents.iter().map(String::as_str).collect();
    Some(match p.as_slice() {
        [] => "",
        ["objectives"] => "Objective",
        ["objectives", "key_results"] => "KeyResult",
        ["kpis"] => "Kpi",
        ["checkins"] => "LogCheckin",
        ["objectives", "key_results", "checkins"] => "KrCheckin",
        ["objectives", "key_results", "revisions"] => "Revision",
        ["objectives", "dropped"] | ["objectives", "key_results", "dropped"] => "Dropped",
        ["kpis", "checkins"] => "ValueCheckin",
        _ => return None,
    })
}

/// Property names and descriptions of each mapping the goal-file schema describes.
static KEYS: LazyLock<BTreeMap<&'static str, Vec<(String, String)>>> = LazyLock::new(|| {
    let schema: serde_json::Value =
        serde_json::from_str(&crate::schema::json()).unwrap_or_default();
    let props = |v: &serde_json::Value| -> Vec<(String, String)> {
        v["properties"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, p)| {
                        (
                            k.clone(),
                            p["description"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let defs = &schema["$defs"];
    let mut out = BTreeMap::new();
    out.insert("", props(&schema));
    for name in [
        "Objective",
        "KeyResult",
        "Kpi",
        "LogCheckin",
        "ValueCheckin",
        "Revision",
        "Dropped",
    ] {
        out.insert(name, props(&defs[name]));
    }
    // A key result's check-ins hold a value or, for a milestone, `done`.
    let mut kr = props(&defs["ValueCheckin"]);
    for p in props(&defs["DoneCheckin"]) {
        if !kr.iter().any(|(k, _)| *k == p.0) {
            kr.push(p);
        }
    }
    out.insert("KrCheckin", kr);
    out
});

/// The goal-file schema's description of `key` in the mapping at `parents` (the keys of
/// the enclosing mappings, outermost first), for hover; `None` for a key it does not know.
pub(crate) fn key_doc(parents: &[String], key: &str) -> Option<&'static str> {
    KEYS.get(definition(parents)?)?
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, doc)| doc.as_str())
        .filter(|d| !d.is_empty())
}

/// What completion offers at `offset`. `outlines` are every goal file's; `current` the
/// outline of this file's team and period as far as it can be read.
pub(crate) fn complete(
    text: &str,
    offset: usize,
    outlines: &[(String, Arc<Outline>)],
    team: Option<&str>,
    period: Option<&str>,
    upstream: Option<&Upstream>,
) -> Vec<CompletionItem> {
    let mut cx = context(text, offset);
    // A ref into an upstream is written `NAME:team/id` (SPEC 13): the word typed so far
    // includes the upstream's name.
    if matches!(cx.key.as_deref(), Some("parent" | "guardrails" | "kpi")) {
        let before = &text[..cx.word_start];
        if let Some(head) = before.strip_suffix(':') {
            let name = head
                .chars()
                .rev()
                .take_while(|&c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                .count();
            let start = head.len() - name;
            // After `key: `, `[` or `,`: a value, not the key itself.
            let value = head[..start].trim_end().ends_with([':', '[', ',']);
            if name > 0 && value {
                cx.word_start = start;
            }
        }
    }
    let index = LineIndex::new(text);
    let range = Range::new(
        index.position(text, cx.word_start),
        index.position(text, offset),
    );
    let item = |label: String, kind, detail: Option<String>, insert: String| CompletionItem {
        label,
        kind: Some(kind),
        detail,
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, insert))),
        ..CompletionItem::default()
    };
    let mut out = Vec::new();
    match cx.key.as_deref() {
        None => {
            let Some(def) = definition(&cx.parents) else {
                return out;
            };
            let present = present_keys(text, offset);
            for (k, doc) in KEYS.get(def).into_iter().flatten() {
                if present.contains(k) {
                    continue;
                }
                let mut i = item(
                    k.clone(),
                    CompletionItemKind::PROPERTY,
                    None,
                    format!("{k}: "),
                );
                if !doc.is_empty() {
                    i.documentation = Some(Documentation::String(doc.clone()));
                }
                out.push(i);
            }
        }
        Some(key) => {
            let p: Vec<&str> = cx.parents.iter().map(String::as_str).collect();
            let words: Option<&[&str]> = match (p.as_slice(), key) {
                (["objectives"], "commitment") => Some(Commitment::NAMES),
                (["objectives", "key_results"], "kind") => Some(KrKind::NAMES),
                (["objectives", "key_results"], "cadence") => Some(KrCadence::NAMES),
                (["kpis"], "better") => Some(Better::NAMES),
                (["kpis"], "cadence") => Some(Cadence::NAMES),
                _ => None,
            };
            if let Some(words) = words {
                for w in words {
                    out.push(item(
                        (*w).to_owned(),
                        CompletionItemKind::ENUM_MEMBER,
                        None,
                        (*w).to_owned(),
                    ));
                }
                return out;
            }
            let refs = match (p.as_slice(), key) {
                (["objectives"], "parent") => {
                    let mut v = objectives_in(outlines, period);
                    v.extend(upstream_objectives(upstream, period));
                    v
                }
                (["objectives"], "guardrails") | (["objectives", "key_results"], "kpi") => {
                    let mut v = kpis(outlines);
                    v.extend(upstream_kpis(upstream));
                    v
                }
                (["checkins"], "ref") => {
                    let mut v = key_results(outlines);
                    v.extend(kpis(outlines));
                    v
                }
                (["objectives"], "carried_from") => {
                    let id = current_objective(text, cx.word_start);
                    periods_of(outlines, team, id.as_deref(), period)
                }
                _ => Vec::new(),
            };
            for (label, detail, kind) in refs {
                out.push(item(label.clone(), kind, detail, label));
            }
        }
    }
    out
}

type Offer = (String, Option<String>, CompletionItemKind);

fn objectives_in(outlines: &[(String, Arc<Outline>)], period: Option<&str>) -> Vec<Offer> {
    let mut out = Vec::new();
    for (_, o) in outlines {
        if period.is_some() && o.period.as_deref() != period {
            continue;
        }
        let Some(team) = &o.team else { continue };
        for obj in &o.objectives {
            if let Some(id) = &obj.item.id {
                out.push((
                    format!("{team}/{}", id.text),
                    obj.item.title.clone(),
                    CompletionItemKind::CLASS,
                ));
            }
        }
    }
    out
}

/// The objectives of the upstream snapshots (`NAME:team/id`) in `period`.
fn upstream_objectives(upstream: Option<&Upstream>, period: Option<&str>) -> Vec<Offer> {
    let Some(up) = upstream else {
        return Vec::new();
    };
    up.objectives
        .iter()
        .filter(|o| period.is_none_or(|p| o.period.name == p))
        .map(|o| {
            (
                format!("{}/{}", o.team, o.id),
                Some(upstream_detail(&o.title, &o.team)),
                CompletionItemKind::CLASS,
            )
        })
        .collect()
}

/// The KPIs of the upstream snapshots (`NAME:team/id`).
fn upstream_kpis(upstream: Option<&Upstream>) -> Vec<Offer> {
    let Some(up) = upstream else {
        return Vec::new();
    };
    up.kpis
        .iter()
        .map(|k| {
            (
                format!("{}/{}", k.team, k.id),
                Some(upstream_detail(&k.title, &k.team)),
                CompletionItemKind::CONSTANT,
            )
        })
        .collect()
}

fn upstream_detail(title: &str, team: &str) -> String {
    let name = crate::model::upstream_of(team).unwrap_or_default();
    format!("{title} (upstream {name})")
}

fn kpis(outlines: &[(String, Arc<Outline>)]) -> Vec<Offer> {
    let mut out = Vec::new();
    for (_, o) in outlines {
        let Some(team) = &o.team else { continue };
        for k in &o.kpis {
            if let Some(id) = &k.id {
                out.push((
                    format!("{team}/{}", id.text),
                    k.title.clone(),
                    CompletionItemKind::CONSTANT,
                ));
            }
        }
    }
    out
}

fn key_results(outlines: &[(String, Arc<Outline>)]) -> Vec<Offer> {
    let mut out: Vec<Offer> = Vec::new();
    for (_, o) in outlines {
        let Some(team) = &o.team else { continue };
        for obj in &o.objectives {
            let Some(oid) = &obj.item.id else { continue };
            for kr in &obj.key_results {
                if let Some(id) = &kr.id {
                    let label = format!("{team}/{}/{}", oid.text, id.text);
                    // The same key result in several periods is one ref.
                    if !out.iter().any(|(l, _, _)| *l == label) {
                        out.push((label, kr.title.clone(), CompletionItemKind::FIELD));
                    }
                }
            }
        }
    }
    out
}

/// Periods in which the team has an objective with this id (for `carried_from`).
fn periods_of(
    outlines: &[(String, Arc<Outline>)],
    team: Option<&str>,
    id: Option<&str>,
    this: Option<&str>,
) -> Vec<Offer> {
    let mut out: Vec<Offer> = Vec::new();
    for (_, o) in outlines {
        let (Some(p), true) = (&o.period, o.team.as_deref() == team) else {
            continue;
        };
        let has = o
            .objectives
            .iter()
            .any(|obj| obj.item.id.as_ref().map(|i| i.text.as_str()) == id);
        if has && Some(p.as_str()) != this && !out.iter().any(|(l, _, _)| l == p) {
            out.push((p.clone(), None, CompletionItemKind::VALUE));
        }
    }
    out
}

/// The `id` of the list item (an objective) that the line at `offset` is in.
fn current_objective(text: &str, offset: usize) -> Option<String> {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let here = shape(&text[start..offset.min(text.len())])?;
    for line in text[..start].lines().rev() {
        let Some(s) = shape(line) else { continue };
        if s.key_col == here.key_col && s.key == Some("id") {
            return line.split_once(':').map(|(_, v)| v.trim().to_owned());
        }
        if s.key_col < here.key_col {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx(text_with_cursor: &str) -> Context {
        let offset = text_with_cursor.find('|').expect("a cursor");
        let text = text_with_cursor.replacen('|', "", 1);
        context(&text, offset)
    }

    fn parents(c: &Context) -> Vec<&str> {
        c.parents.iter().map(String::as_str).collect()
    }

    #[test]
    fn places_in_block_style() {
        let c = cx("team: a\nobjectives:\n  - id: o\n    parent: co|\n");
        assert_eq!(parents(&c), ["objectives"]);
        assert_eq!(c.key.as_deref(), Some("parent"));
        assert_eq!(c.word, "co");

        let c = cx("team: a\nobjectives:\n  - id: o\n    ti|\n");
        assert_eq!((parents(&c), c.key.as_deref()), (vec!["objectives"], None));

        let c = cx("objectives:\n  - id: o\n    key_results:\n      - id: k\n        kpi: a/|\n");
        assert_eq!(parents(&c), ["objectives", "key_results"]);
        assert_eq!((c.key.as_deref(), c.word.as_str()), (Some("kpi"), "a/"));

        let c = cx("objectives:\n  - id: o\n    key_results:\n      - |\n");
        assert_eq!(
            (parents(&c), c.key.as_deref()),
            (vec!["objectives", "key_results"], None)
        );

        let c = cx("team: a\n|");
        assert_eq!((parents(&c), c.key.as_deref()), (Vec::<&str>::new(), None));

        // Indentless sequences.
        let c = cx("kpis:\n- id: k\n  better: |\n");
        assert_eq!(
            (parents(&c), c.key.as_deref()),
            (vec!["kpis"], Some("better"))
        );
    }

    #[test]
    fn places_in_flow_style() {
        let c = cx("checkins:\n  - { ref: gro|");
        assert_eq!(
            (parents(&c), c.key.as_deref()),
            (vec!["checkins"], Some("ref"))
        );
        let c = cx("checkins:\n  - { date: 2026-10-01, |");
        assert_eq!((parents(&c), c.key.as_deref()), (vec!["checkins"], None));
        let c = cx("objectives:\n  - id: o\n    guardrails: [a/b, c|]\n");
        assert_eq!(
            (parents(&c), c.key.as_deref()),
            (vec!["objectives"], Some("guardrails"))
        );
        assert_eq!(c.word, "c");
        let c = cx("kpis:\n  - id: k\n    checkins:\n      - { date: 2026-10-01, va|");
        assert_eq!(parents(&c), ["kpis", "checkins"]);
    }

    #[test]
    fn keys_come_from_the_schema() {
        let keys = |text: &str| -> Vec<String> {
            let offset = text.find('|').expect("cursor");
            let text = text.replacen('|', "", 1);
            complete(&text, offset, &[], None, None, None)
                .into_iter()
                .map(|i| i.label)
                .collect()
        };
        let k = keys("team: a\nkpis:\n  - id: k\n    |\n");
        assert!(
            k.contains(&"better".to_owned()) && k.contains(&"cadence".to_owned()),
            "{k:?}"
        );
        let k = keys("|");
        assert!(k.contains(&"objectives".to_owned()), "{k:?}");
        // A milestone's `due` (SPEC 3.4) comes with the schema.
        let k = keys("objectives:\n  - id: o\n    key_results:\n      - id: m\n        |\n");
        assert!(k.contains(&"due".to_owned()), "{k:?}");
        let k = keys("kpis:\n  - id: k\n    better: |\n");
        assert_eq!(k, ["higher", "lower"]);
        let k = keys("objectives:\n  - id: o\n    commitment: a|\n");
        assert_eq!(k, ["aspirational", "committed"]);
        // SPEC 3.4: a key result's new keys, a revision's, a drop's, the KR cadences.
        let k = keys("objectives:\n  - id: o\n    key_results:\n      - id: k\n        |\n");
        for key in ["owner", "cadence", "description", "revisions", "dropped"] {
            assert!(k.contains(&key.to_owned()), "{key}: {k:?}");
        }
        let k = keys("objectives:\n  - id: o\n    |\n");
        for key in ["description", "dropped"] {
            assert!(k.contains(&key.to_owned()), "{key}: {k:?}");
        }
        let k = keys(
            "objectives:\n  - id: o\n    key_results:\n      - id: k\n        revisions:\n          - date: 2026-11-02\n            |\n",
        );
        assert_eq!(k, ["reason", "start", "target"]);
        let k = keys(
            "objectives:\n  - id: o\n    key_results:\n      - id: k\n        revisions:\n          - { date: 2026-11-02, |",
        );
        assert_eq!(k, ["reason", "start", "target"]);
        let k = keys("objectives:\n  - id: o\n    dropped:\n      |\n");
        assert_eq!(k, ["date", "reason"]);
        let k = keys(
            "objectives:\n  - id: o\n    key_results:\n      - id: k\n        dropped: { reason: r, |",
        );
        assert_eq!(k, ["date"]);
        let k =
            keys("objectives:\n  - id: o\n    key_results:\n      - id: k\n        cadence: |\n");
        assert_eq!(k, ["weekly", "biweekly", "monthly"]);
        let k = keys("kpis:\n  - id: k\n    cadence: |\n");
        assert_eq!(k, ["weekly", "monthly", "quarterly"]);
    }

    #[test]
    fn keys_the_mapping_has_are_not_offered_again() {
        let keys = |text: &str| -> Vec<String> {
            let offset = text.find('|').expect("cursor");
            let text = text.replacen('|', "", 1);
            complete(&text, offset, &[], None, None, None)
                .into_iter()
                .map(|i| i.label)
                .collect()
        };
        let has = |k: &[String], key: &str| k.iter().any(|l| l == key);
        // Keys above and below the cursor, in this list item only.
        let text = "team: a\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: T\n    |\n    \
                    owner: al\n    key_results:\n      - id: k\n  - id: p\n    commitment: committed\n";
        let k = keys(text);
        for gone in ["id", "title", "owner", "key_results"] {
            assert!(!has(&k, gone), "{gone} offered again: {k:?}");
        }
        assert!(has(&k, "commitment") && has(&k, "parent"), "{k:?}");
        // The top level: `team` and `period` are there, `kpis` is not.
        let k = keys("team: a\n|\nperiod: 2026-Q4\nobjectives: []\n");
        assert!(
            !has(&k, "team") && !has(&k, "period") && !has(&k, "objectives"),
            "{k:?}"
        );
        assert!(has(&k, "kpis"), "{k:?}");
        // A new list item has no keys yet; the next item's do not count.
        let k = keys("objectives:\n  - id: o\n    title: T\n  - |\n  - id: p\n");
        assert!(has(&k, "id") && has(&k, "title"), "{k:?}");
        // A key being retyped on its own line is still offered.
        let k = keys("objectives:\n  - id: o\n    ti|tle: T\n");
        assert!(has(&k, "title"), "{k:?}");
        // One-line flow mappings: the other entries.
        let k = keys("checkins:\n  - { date: 2026-10-01, |, note: n }\n");
        assert!(
            !has(&k, "date") && !has(&k, "note") && has(&k, "ref"),
            "{k:?}"
        );
    }
}
