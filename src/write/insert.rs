//! One insertion into a goal file's text, every other byte kept (`revise` and `drop`, SPEC
//! 3.4 and 9): a revision appended to a key result's `revisions:` list, or a `revisions:` or
//! `dropped:` key added to an objective's or key result's mapping, in the style the file
//! already uses (a line at the block's indentation, or an entry before a flow collection's
//! closing bracket), with the file's line endings and its missing final newline kept.
//! The places are found on the loader's YAML tree (`load::yaml`): a block mapping's span is
//! only where its first key starts, so where a block ends is read from the lines' indentation.
//! Every candidate text is parsed back and kept only when its tree is the old one plus
//! exactly the new entry; when no candidate passes, nothing is inserted ([`InsertError`]).

use crate::checkin;
use crate::date::Date;
use crate::load::yaml::{self, Node, SNode};

/// An item of a goal file: an objective by its index in `objectives:`, or a key result by
/// its objective's index and its own in that objective's `key_results:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Item {
    Objective(usize),
    KeyResult(usize, usize),
}

/// What is recorded on the item (SPEC 3.4).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Addition {
    /// An entry of a metric key result's `revisions:`: at least one of `target`, `start`.
    Revision {
        date: Date,
        target: Option<f64>,
        start: Option<f64>,
        reason: String,
    },
    /// The item's `dropped:`.
    Drop { date: Date, reason: String },
}

impl Addition {
    /// The key the addition lives under.
    pub(crate) fn key(&self) -> &'static str {
        match self {
            Addition::Revision { .. } => "revisions",
            Addition::Drop { .. } => "dropped",
        }
    }

    /// The entry as a one-line flow mapping, `{ date: D, target: N, reason: "R" }` (only the
    /// fields given, in that order; the reason always double-quoted). `None` when a number
    /// is not finite.
    pub(crate) fn flow(&self) -> Option<String> {
        let (date, figures, reason): (&Date, Vec<(&str, f64)>, &str) = match self {
            Addition::Revision {
                date,
                target,
                start,
                reason,
            } => {
                let figures = [("target", *target), ("start", *start)]
                    .into_iter()
                    .filter_map(|(k, v)| v.map(|v| (k, v)))
                    .collect();
                (date, figures, reason)
            }
            Addition::Drop { date, reason } => (date, Vec::new(), reason),
        };
        let mut s = format!("{{ date: {date}, ");
        for (key, value) in figures {
            s.push_str(&format!("{key}: {}, ", checkin::number(value)?));
        }
        s.push_str(&format!("reason: {} }}", checkin::quoted(reason)));
        Some(s)
    }

    /// The value written when the item has no such key yet: a revisions list of one entry,
    /// or the drop's mapping.
    fn new_value(&self, flow: &str) -> String {
        match self {
            Addition::Revision { .. } => format!("[{flow}]"),
            Addition::Drop { .. } => flow.to_owned(),
        }
    }
}

/// The new text, and the 1-based line on which the addition starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Inserted {
    pub text: String,
    pub line: usize,
}

/// Why nothing could be inserted; the message completes "cannot change FILE: ".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum InsertError {
    #[error("it is not YAML goalpost can read")]
    NotYaml,
    #[error("it has no {0}")]
    NoItem(String),
    #[error("{0} is not written as a mapping")]
    NotAMapping(String),
    #[error("{0} has a `dropped:` already")]
    Dropped(String),
    #[error("the `revisions:` of {0} is not a list")]
    NotAList(String),
    #[error("a number is not finite")]
    NotFinite,
    #[error(
        "goalpost cannot add to {0} without changing other lines of the file (an unusual layout); add `{1}` to it by hand"
    )]
    Layout(String, String),
}

/// `text` with `addition` inserted into `item` (see the module docs). A UTF-8 byte-order
/// mark at the start is kept (the loader reads the text after it).
pub(crate) fn insert(text: &str, item: Item, addition: &Addition) -> Result<Inserted, InsertError> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let (head, body) = text.split_at(bom);
    let root = yaml::parse(body, 0).map_err(|_| InsertError::NotYaml)?;
    let (mut path, target) = find(&root, item)?;
    let what = describe(item);
    let Node::Map(entries) = &target.value else {
        return Err(InsertError::NotAMapping(what));
    };
    let flow = addition.flow().ok_or(InsertError::NotFinite)?;
    let key = addition.key();
    let existing = entries
        .iter()
        .position(|(k, _)| matches!(&k.value, Node::Str(s) if s == key));
    let (candidates, expected) = match (addition, existing) {
        (Addition::Drop { .. }, Some(_)) => return Err(InsertError::Dropped(what)),
        (Addition::Revision { .. }, Some(i)) => {
            let list = &entries[i].1;
            if !matches!(list.value, Node::Seq(_)) {
                return Err(InsertError::NotAList(what));
            }
            path.push(i);
            let candidates = if is_flow(body, list) {
                flow_append(body, list, &flow)
            } else {
                block_append(body, list, &format!("- {flow}"))
            };
            (candidates, Expected::Item(flow.clone()))
        }
        (_, None) => {
            let entry = format!("{key}: {}", addition.new_value(&flow));
            let candidates = if is_flow(body, target) {
                flow_append(body, target, &entry)
            } else {
                block_append(body, target, &entry)
            };
            (candidates, Expected::Entry(key, addition.new_value(&flow)))
        }
    };
    // What to add by hand when no candidate passes.
    let layout = || {
        let written = match existing {
            Some(_) => format!("- {flow}"),
            None => format!("{key}: {}", addition.new_value(&flow)),
        };
        InsertError::Layout(what.clone(), written)
    };
    // The entry as it must read back: the value written, parsed on its own.
    let want_text = format!("v: {}\n", expected.value());
    let want = yaml::parse(&want_text, 0).map_err(|_| layout())?;
    let Some((_, want)) = (match &want.value {
        Node::Map(entries) => entries.first(),
        _ => None,
    }) else {
        return Err(layout());
    };
    for (at, insertion) in candidates {
        let mut new = String::with_capacity(text.len() + insertion.len());
        new.push_str(head);
        new.push_str(&body[..at]);
        new.push_str(&insertion);
        new.push_str(&body[at..]);
        let Ok(after) = yaml::parse(&new[bom..], 0) else {
            continue;
        };
        if same_but(&root, &after, &path, &|old, new| {
            expected.holds(old, new, want)
        }) {
            // The line the entry starts on: after a line break the insertion may begin with.
            let lead = insertion.len() - insertion.trim_start_matches(['\r', '\n']).len();
            let line = 1 + new[..bom + at + lead].matches('\n').count();
            return Ok(Inserted { text: new, line });
        }
    }
    Err(layout())
}

/// The item of `text` with these ids: the first objective whose `id` is `objective`, and
/// in it the first key result whose `id` is `key_result`.
pub(crate) fn locate(
    text: &str,
    objective: &str,
    key_result: Option<&str>,
) -> Result<Item, InsertError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = yaml::parse(body, 0)
        .map_err(|_| InsertError::NoItem(format!("objective `{objective}`")))?;
    let with_id = |list: Option<&SNode<'_>>, id: &str| -> Option<usize> {
        let Node::Seq(items) = &list?.value else {
            return None;
        };
        items.iter().position(|item| {
            matches!(&item.value, Node::Map(entries) if entries.iter().any(|(k, v)| {
                matches!(&k.value, Node::Str(k) if k == "id")
                    && matches!(&v.value, Node::Str(v) if v == id)
            }))
        })
    };
    let mut path = Vec::new();
    let objectives = child(&root, "objectives", &mut path);
    let o = with_id(objectives, objective)
        .ok_or_else(|| InsertError::NoItem(format!("objective `{objective}`")))?;
    let Some(key_result) = key_result else {
        return Ok(Item::Objective(o));
    };
    let krs = objectives
        .and_then(|list| nth(list, o, &mut path))
        .and_then(|obj| child(obj, "key_results", &mut path));
    let k = with_id(krs, key_result).ok_or_else(|| {
        InsertError::NoItem(format!(
            "key result `{key_result}` in objective `{objective}`"
        ))
    })?;
    Ok(Item::KeyResult(o, k))
}

/// The item in words, for messages: "objective 2 of the file", "key result 1 of objective 3".
fn describe(item: Item) -> String {
    match item {
        Item::Objective(o) => format!("objective {} of the file", o + 1),
        Item::KeyResult(o, k) => format!("key result {} of objective {}", k + 1, o + 1),
    }
}

/// The path to `item` (entry and item indexes from the root) and its node.
fn find<'t, 'a>(
    root: &'t SNode<'a>,
    item: Item,
) -> Result<(Vec<usize>, &'t SNode<'a>), InsertError> {
    let (o, k) = match item {
        Item::Objective(o) => (o, None),
        Item::KeyResult(o, k) => (o, Some(k)),
    };
    let mut path = Vec::new();
    let objectives = child(root, "objectives", &mut path)
        .ok_or_else(|| InsertError::NoItem("`objectives:` list".to_owned()))?;
    let objective = nth(objectives, o, &mut path)
        .ok_or_else(|| InsertError::NoItem(describe(Item::Objective(o))))?;
    let Some(k) = k else {
        return Ok((path, objective));
    };
    let krs = child(objective, "key_results", &mut path)
        .ok_or_else(|| InsertError::NoItem(format!("`key_results:` in objective {}", o + 1)))?;
    let kr = nth(krs, k, &mut path).ok_or_else(|| InsertError::NoItem(describe(item)))?;
    Ok((path, kr))
}

/// The value of `key` in the mapping `node` (its first entry), noting its index in `path`.
fn child<'t, 'a>(node: &'t SNode<'a>, key: &str, path: &mut Vec<usize>) -> Option<&'t SNode<'a>> {
    let Node::Map(entries) = &node.value else {
        return None;
    };
    let i = entries
        .iter()
        .position(|(k, _)| matches!(&k.value, Node::Str(s) if s == key))?;
    path.push(i);
    Some(&entries[i].1)
}

/// Item `i` of the list `node`, noting `i` in `path`.
fn nth<'t, 'a>(node: &'t SNode<'a>, i: usize, path: &mut Vec<usize>) -> Option<&'t SNode<'a>> {
    let Node::Seq(items) = &node.value else {
        return None;
    };
    path.push(i);
    items.get(i)
}

/// The entry the new text must hold, as the text it parses from.
enum Expected {
    /// A new last entry `key: value` of the mapping.
    Entry(&'static str, String),
    /// A new last item of the list.
    Item(String),
}

impl Expected {
    fn value(&self) -> &str {
        match self {
            Expected::Entry(_, value) | Expected::Item(value) => value,
        }
    }

    /// Whether `new` is `old` with the expected addition, whose value is `want`.
    fn holds(&self, old: &SNode<'_>, new: &SNode<'_>, want: &SNode<'_>) -> bool {
        match (self, &old.value, &new.value) {
            (Expected::Entry(key, _), Node::Map(a), Node::Map(b)) => {
                b.len() == a.len() + 1
                    && a.iter()
                        .zip(b)
                        .all(|((ka, va), (kb, vb))| same(ka, kb) && same(va, vb))
                    && b.last().is_some_and(|(k, v)| {
                        matches!(&k.value, Node::Str(s) if s == key) && same(v, want)
                    })
            }
            (Expected::Item(_), Node::Seq(a), Node::Seq(b)) => {
                b.len() == a.len() + 1
                    && a.iter().zip(b).all(|(x, y)| same(x, y))
                    && b.last().is_some_and(|v| same(v, want))
            }
            _ => false,
        }
    }
}

/// Whether two trees say the same, spans aside.
fn same(a: &SNode<'_>, b: &SNode<'_>) -> bool {
    match (&a.value, &b.value) {
        (Node::Null, Node::Null) => true,
        (Node::Bool(x), Node::Bool(y)) => x == y,
        (Node::Int(x), Node::Int(y)) => x == y,
        (Node::Float(x), Node::Float(y)) => x.to_bits() == y.to_bits() || x.is_nan() && y.is_nan(),
        (Node::Str(x), Node::Str(y)) => x == y,
        (Node::Seq(x), Node::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Node::Map(x), Node::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| same(ka, kb) && same(va, vb))
        }
        _ => false,
    }
}

/// Whether `new` is `old` except at the node `path` leads to (entry indexes in mappings,
/// item indexes in lists), where `last` judges the two.
fn same_but(
    old: &SNode<'_>,
    new: &SNode<'_>,
    path: &[usize],
    last: &dyn Fn(&SNode<'_>, &SNode<'_>) -> bool,
) -> bool {
    let Some((&step, rest)) = path.split_first() else {
        return last(old, new);
    };
    match (&old.value, &new.value) {
        (Node::Map(a), Node::Map(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .enumerate()
                    .all(|(i, ((ka, va), (kb, vb)))| {
                        same(ka, kb)
                            && if i == step {
                                same_but(va, vb, rest, last)
                            } else {
                                same(va, vb)
                            }
                    })
        }
        (Node::Seq(a), Node::Seq(b)) => {
            a.len() == b.len()
                && a.iter().zip(b).enumerate().all(|(i, (x, y))| {
                    if i == step {
                        same_but(x, y, rest, last)
                    } else {
                        same(x, y)
                    }
                })
        }
        _ => false,
    }
}

/// Whether a mapping, or a list that is a mapping's value, is written in flow style (`{...}`,
/// `[...]`). A block list not indented under its key has the span of its first item's first
/// token, which may be a bracket too, but after the item's dash.
fn is_flow(body: &str, node: &SNode<'_>) -> bool {
    let at = node.span.start as usize;
    match (&node.value, body.as_bytes().get(at)) {
        (Node::Map(_), Some(b'{')) => true,
        (Node::Seq(_), Some(b'[')) => {
            let line = body[..at].rfind('\n').map_or(0, |i| i + 1);
            !body[line..at].trim_end().ends_with('-')
        }
        _ => false,
    }
}

/// Where an entry goes in a flow collection: right after its last entry, as `, ENTRY` (a
/// trailing comma, a comment or a line break before the closing bracket stay where they
/// are), or right after the opening bracket of an empty one.
fn flow_append(body: &str, node: &SNode<'_>, entry: &str) -> Vec<(usize, String)> {
    let last = match &node.value {
        Node::Map(entries) => entries.last().map(|(_, v)| v),
        Node::Seq(items) => items.last(),
        _ => None,
    };
    match last {
        None => vec![(node.span.start as usize + 1, entry.to_owned())],
        Some(last) => match end_of(body, last) {
            Some(at) => vec![(at, format!(", {entry}"))],
            None => Vec::new(),
        },
    }
}

/// The byte after a node inside a flow collection: a scalar's span, or a collection's
/// closing bracket.
fn end_of(body: &str, node: &SNode<'_>) -> Option<usize> {
    let start = node.span.start as usize;
    let close = match body.as_bytes().get(start) {
        Some(b'{') => b'}',
        Some(b'[') => b']',
        _ => return Some(start + node.span.len as usize),
    };
    let last = match &node.value {
        Node::Map(entries) => entries.last().map(|(_, v)| v),
        Node::Seq(items) => items.last(),
        _ => None,
    };
    let mut at = match last {
        None => start + 1,
        Some(last) => {
            let after = skip_blank(body, end_of(body, last)?);
            if body.as_bytes().get(after) == Some(&b',') {
                after + 1
            } else {
                after
            }
        }
    };
    at = skip_blank(body, at);
    (body.as_bytes().get(at) == Some(&close)).then_some(at + 1)
}

/// The first byte from `at` that is not white space, a line break or a comment.
fn skip_blank(body: &str, mut at: usize) -> usize {
    let b = body.as_bytes();
    while let Some(&c) = b.get(at) {
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => at += 1,
            b'#' if at == 0 || matches!(b[at - 1], b' ' | b'\t' | b'\r' | b'\n') => {
                at = b[at..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |n| at + n);
            }
            _ => break,
        }
    }
    at
}

/// One line of the text: `[start, end)` without its line break, `next` the start of the
/// next line (the text's length after the last).
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

impl Line {
    fn text<'b>(&self, body: &'b str) -> &'b str {
        body[self.start..self.end].trim_end_matches('\r')
    }
    fn indent(&self, body: &str) -> usize {
        let t = self.text(body);
        t.len() - t.trim_start_matches(' ').len()
    }
    /// Holds a token: not blank, not only a comment.
    fn content(&self, body: &str) -> bool {
        let t = self.text(body).trim_start();
        !t.is_empty() && !t.starts_with('#')
    }
    fn blank(&self, body: &str) -> bool {
        self.text(body).trim().is_empty()
    }
}

/// The lines of `body` from the one holding byte `from`.
fn lines_from(body: &str, from: usize) -> impl Iterator<Item = Line> + '_ {
    let first = body[..from].rfind('\n').map_or(0, |i| i + 1);
    let mut start = first;
    std::iter::from_fn(move || {
        if start >= body.len() {
            return None;
        }
        let (end, next) = match body[start..].find('\n') {
            Some(i) => (start + i, start + i + 1),
            None => (body.len(), body.len()),
        };
        let line = Line { start, end, next };
        start = next;
        Some(line)
    })
}

/// Where a line goes at the end of a block mapping or list: its entries' column is the
/// column of `node`'s first key or dash; the block ends at the first line with a token
/// further left (or, for a list, at the same column but not an item). The candidates, in
/// order: after its last line with a token (comments after it usually open what comes
/// next), after the blank lines that follow (a `|+` scalar keeps them), after its last
/// comment, after its last line. Each inserts `line` at that column with the line break of
/// the line before it.
fn block_append(body: &str, node: &SNode<'_>, line: &str) -> Vec<(usize, String)> {
    let at = node.span.start as usize;
    let lines: Vec<Line> = lines_from(body, at).collect();
    let Some(first) = lines.first() else {
        return Vec::new();
    };
    let list = matches!(node.value, Node::Seq(_));
    // A list's span is its first dash, or, for a list not indented under its key, its first
    // item's first token: its column is then that of the dash before it.
    let before = body[first.start..at].trim_end();
    let column = if list && before.ends_with('-') {
        before.len() - 1
    } else {
        at - first.start
    };
    let outside = |l: &Line| {
        let indent = l.indent(body);
        l.content(body)
            && (indent < column || list && indent == column && !is_item(&l.text(body)[indent..]))
    };
    let end = lines
        .iter()
        .skip(1)
        .position(outside)
        .map_or(lines.len(), |i| i + 1);
    let block = &lines[..end];
    let last_content = block.iter().rposition(|l| l.content(body)).unwrap_or(0);
    let after_blank = last_content
        + block[last_content + 1..]
            .iter()
            .take_while(|l| l.blank(body))
            .count();
    let last_comment = block.iter().rposition(|l| !l.blank(body)).unwrap_or(0);
    let picks = [last_content, after_blank, last_comment, end - 1];
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for i in picks {
        if seen.contains(&i) {
            continue;
        }
        seen.push(i);
        out.push(line_after(body, block[i], column, line));
    }
    out
}

/// A list item's line: `-` then a space or the end of the line.
fn is_item(t: &str) -> bool {
    t == "-" || t.starts_with("- ") || t.starts_with("-\t")
}

/// `line` indented to `column`, inserted after `after`, ending with the same line break
/// (a last line without one gets one first, and the text still ends without one).
fn line_after(body: &str, after: Line, column: usize, line: &str) -> (usize, String) {
    let indent = " ".repeat(column);
    let crlf = body[after.start..after.next].ends_with("\r\n");
    let eol = if crlf || after.end == after.next && crlf_text(body) {
        "\r\n"
    } else {
        "\n"
    };
    if after.end == after.next {
        // The last line, without a line break.
        (after.end, format!("{eol}{indent}{line}"))
    } else {
        (after.next, format!("{indent}{line}{eol}"))
    }
}

/// Whether the text's first line break is CRLF.
fn crlf_text(body: &str) -> bool {
    body.find('\n').is_some_and(|i| body[..i].ends_with('\r'))
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
