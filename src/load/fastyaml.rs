//! A fast path for the YAML goal files are written in: block mappings and sequences, one-line
//! flow collections, one-line plain and quoted scalars, comments. It builds the same tree with
//! the same spans as serde-saphyr (parsing was most of goalpost's run time), and gives up
//! (`None`) on anything else, such as anchors, tags, block scalars, multi-line scalars, odd
//! numbers or any error, so that serde-saphyr parses the file and reports its problems.
//! Differential tests against serde-saphyr keep the two in step.

#[doc(hidden)]
pub(crate) mod differential;

use super::yaml::{Node, SNode};
use crate::diag::Span;
use std::borrow::Cow;

/// Nesting beyond this is left to serde-saphyr and its depth budget.
const MAX_DEPTH: usize = 24;
/// Nodes beyond this are left to serde-saphyr and its budgets. The fast path counts nodes as
/// serde-saphyr's budget does, and a node is at most two parser events (a collection's start
/// and end) beside the stream's and the document's four, so a file taken here is inside both
/// of serde-saphyr's bounds: the two parsers never disagree on a file near them.
pub(super) const MAX_NODES: usize = {
    let by_events = (super::yaml::MAX_EVENTS - 4) / 2;
    if by_events < super::yaml::MAX_NODES {
        by_events
    } else {
        super::yaml::MAX_NODES
    }
};
/// YAML limits implicit keys to 1024 characters.
const MAX_KEY: usize = 1024;

/// Parses `text` when it stays inside the shapes this parser knows; `None` otherwise.
pub(crate) fn parse(text: &str) -> Option<SNode<'_>> {
    let ascii = plain_text(text.as_bytes())?;
    let mut p = Parser {
        t: text,
        b: text.as_bytes(),
        pos: 0,
        line: 1,
        line_start: 0,
        // In an all-ASCII file (the usual case) every column is a byte distance.
        ascii: if ascii {
            (usize::MAX, usize::MAX)
        } else {
            (usize::MAX - 1, 0)
        },
        nodes: 0,
    };
    if p.next_content()? != 0 {
        return None;
    }
    let root = p.block_map(0, 1)?;
    match p.next_content() {
        None if p.nodes <= MAX_NODES => Some(root),
        _ => None,
    }
}

/// No control characters, tabs, carriage returns, Unicode line breaks or byte-order marks,
/// and no directives or document markers at the start of a line: `Some(all bytes are ASCII)`.
fn plain_text(b: &[u8]) -> Option<bool> {
    let marker = |rest: &[u8]| {
        rest.first() == Some(&b'%') || rest.starts_with(b"---") || rest.starts_with(b"...")
    };
    if marker(b) {
        return None;
    }
    let mut ascii = true;
    for (i, &c) in b.iter().enumerate() {
        // Printable ASCII, the bulk of every file, in one comparison.
        if c.wrapping_sub(0x20) < 0x5F {
            continue;
        }
        match c {
            b'\n' if marker(&b[i + 1..]) => return None,
            b'\n' => {}
            0x00..=0x1F | 0x7F => return None,
            0xC2 if matches!(b.get(i + 1), Some(0x80..=0xA0)) => return None,
            0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)) => {
                return None;
            }
            // A byte-order mark, and U+FFFE / U+FFFF, which YAML does not count as printable.
            0xEF if b.get(i + 1) == Some(&0xBB) && b.get(i + 2) == Some(&0xBF) => return None,
            0xEF if b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)) => {
                return None;
            }
            _ => ascii = false,
        }
    }
    Some(ascii)
}

struct Parser<'a> {
    t: &'a str,
    b: &'a [u8],
    pos: usize,
    line: u32,
    line_start: usize,
    /// On the line starting at `ascii.0`, bytes before `ascii.1` are ASCII, so a column
    /// there is a byte distance.
    ascii: (usize, usize),
    nodes: usize,
}

fn is_indicator(c: u8) -> bool {
    matches!(
        c,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn span(&mut self, start: usize, len: usize) -> Span {
        if self.ascii.0 != self.line_start && self.ascii.0 != usize::MAX {
            let line = &self.b[self.line_start..];
            let end = line
                .iter()
                .position(|&c| c == b'\n' || !c.is_ascii())
                .unwrap_or(line.len());
            self.ascii = (self.line_start, self.line_start + end);
        }
        let chars = if start <= self.ascii.1 {
            start - self.line_start
        } else {
            let prefix = &self.b[self.line_start..start];
            prefix.iter().filter(|&&c| c & 0xC0 != 0x80).count()
        };
        Span {
            file: 0,
            line: self.line,
            col: chars as u32 + 1,
            start: start as u32,
            len: len as u32,
        }
    }

    fn node(&mut self, value: Node<'a>, start: usize, len: usize) -> SNode<'a> {
        self.nodes += 1;
        SNode {
            value,
            span: self.span(start, len),
        }
    }

    /// From the start of a line, skips blank and comment lines; returns the indentation of
    /// the next line with content (leaving `pos` at its start), or `None` at the end.
    fn next_content(&mut self) -> Option<usize> {
        loop {
            let start = self.pos;
            let mut i = start;
            while self.at(i) == Some(b' ') {
                i += 1;
            }
            match self.at(i) {
                None => return None,
                Some(b'\n' | b'#') => match memchr_nl(self.b, i) {
                    Some(nl) => {
                        self.pos = nl + 1;
                        self.line += 1;
                        self.line_start = self.pos;
                    }
                    None => {
                        self.pos = self.b.len();
                        return None;
                    }
                },
                Some(_) => return Some(i - start),
            }
        }
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
    }

    /// After a value: only spaces and a comment may follow on the line. Moves to the start
    /// of the next line.
    fn end_line(&mut self) -> Option<()> {
        self.skip_spaces();
        match self.peek() {
            None => return Some(()),
            Some(b'\n') => {}
            Some(b'#') if self.b[self.pos - 1] == b' ' => {}
            Some(_) => return None,
        }
        match memchr_nl(self.b, self.pos) {
            Some(nl) => {
                self.pos = nl + 1;
                self.line += 1;
                self.line_start = self.pos;
            }
            None => self.pos = self.b.len(),
        }
        Some(())
    }

    fn at_line_end(&self) -> bool {
        match self.peek() {
            None | Some(b'\n') => true,
            Some(b'#') => self.at(self.pos.wrapping_sub(1)) == Some(b' '),
            _ => false,
        }
    }

    /// A block mapping whose first key is at `pos`, in column `indent` (0-based).
    fn block_map(&mut self, indent: usize, depth: usize) -> Option<SNode<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut entries = Vec::new();
        loop {
            let key = self.key()?;
            // An empty value stands at its key's colon.
            let empty_at = self.span(self.pos - 1, 0);
            self.skip_spaces();
            let value = if self.at_line_end() {
                self.end_line()?;
                match self.next_content() {
                    Some(i) if i > indent => {
                        self.pos = self.line_start + i;
                        self.block_node(i, depth + 1)?
                    }
                    _ => {
                        self.nodes += 1;
                        SNode {
                            value: Node::Null,
                            span: empty_at,
                        }
                    }
                }
            } else {
                let v = self.inline_value(depth + 1)?;
                self.end_line()?;
                v
            };
            entries.push((key, value));
            match self.next_content() {
                Some(i) if i == indent => self.pos = self.line_start + i,
                Some(i) if i > indent => return None,
                _ => break,
            }
        }
        self.nodes += 1;
        let span = Span {
            len: 0,
            ..entries[0].0.span
        };
        Some(SNode {
            value: Node::Map(entries),
            span,
        })
    }

    /// A block mapping or sequence starting at `pos`, in column `indent`.
    fn block_node(&mut self, indent: usize, depth: usize) -> Option<SNode<'a>> {
        if self.peek() == Some(b'-') && matches!(self.at(self.pos + 1), Some(b' ' | b'\n') | None) {
            self.block_seq(indent, depth)
        } else {
            self.block_map(indent, depth)
        }
    }

    /// A block sequence whose first `-` is at `pos`, in column `indent`.
    fn block_seq(&mut self, indent: usize, depth: usize) -> Option<SNode<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let span = self.span(self.pos, 0);
        let mut items = Vec::new();
        loop {
            if self.at(self.pos + 1) != Some(b' ') {
                return None;
            }
            self.pos += 1;
            self.skip_spaces();
            if self.at_line_end() {
                return None;
            }
            let col = self.pos - self.line_start;
            let item = match self.b[self.pos] {
                b'-' if matches!(self.at(self.pos + 1), Some(b' ' | b'\n') | None) => {
                    return None;
                }
                b'{' | b'[' | b'"' | b'\'' => {
                    let v = self.inline_value(depth + 1)?;
                    self.end_line()?;
                    v
                }
                _ if key_end(self.b, self.pos).is_some() => self.block_map(col, depth + 1)?,
                _ => {
                    let v = self.inline_value(depth + 1)?;
                    self.end_line()?;
                    v
                }
            };
            items.push(item);
            match self.next_content() {
                Some(i) if i == indent => {
                    self.pos = self.line_start + i;
                    if self.peek() != Some(b'-') {
                        return None;
                    }
                }
                Some(i) if i > indent => return None,
                _ => break,
            }
        }
        self.nodes += 1;
        Some(SNode {
            value: Node::Seq(items),
            span,
        })
    }

    /// A plain key and its `:`; `pos` ends after the colon.
    fn key(&mut self) -> Option<SNode<'a>> {
        let start = self.pos;
        let end = key_end(self.b, start)?;
        let k = &self.t[start..end];
        let first = *k.as_bytes().first()?;
        // `<<` is YAML's merge key, which serde-saphyr expands: leave it to serde-saphyr.
        if is_indicator(first)
            || k == "<<"
            || k.len() > MAX_KEY
            || k.ends_with(' ')
            || k.bytes()
                .any(|c| matches!(c, b',' | b'[' | b']' | b'{' | b'}' | b'#' | b':'))
        {
            return None;
        }
        let value = resolve(k)?;
        let n = self.node(value, start, end - start);
        self.pos = end + 1;
        Some(n)
    }

    /// A scalar or flow collection on the rest of the line (block context).
    fn inline_value(&mut self, depth: usize) -> Option<SNode<'a>> {
        match self.peek()? {
            b'{' => self.flow_map(depth),
            b'[' => self.flow_seq(depth),
            b'"' | b'\'' => self.quoted(),
            _ => {
                let start = self.pos;
                let mut end = start;
                while let Some(c) = self.at(end) {
                    if c == b'\n' || c == b'#' && self.b[end - 1] == b' ' {
                        break;
                    }
                    end += 1;
                }
                while end > start && self.b[end - 1] == b' ' {
                    end -= 1;
                }
                let s = &self.t[start..end];
                if s.contains(": ") || s.ends_with(':') {
                    return None;
                }
                let value = plain(s)?;
                self.pos = end;
                Some(self.node(value, start, end - start))
            }
        }
    }

    /// A one-line quoted scalar without escapes.
    fn quoted(&mut self) -> Option<SNode<'a>> {
        let start = self.pos;
        let q = self.b[start];
        let mut i = start + 1;
        let mut doubled = false;
        loop {
            match self.at(i)? {
                b'\n' => return None,
                b'\\' if q == b'"' => return None,
                c if c == q => {
                    if q == b'\'' && self.at(i + 1) == Some(b'\'') {
                        doubled = true;
                        i += 2;
                        continue;
                    }
                    break;
                }
                _ => i += 1,
            }
        }
        let inner = &self.t[start + 1..i];
        let value = if doubled {
            Cow::Owned(inner.replace("''", "'"))
        } else {
            Cow::Borrowed(inner)
        };
        self.pos = i + 1;
        Some(self.node(Node::Str(value), start, i + 1 - start))
    }

    fn flow_seq(&mut self, depth: usize) -> Option<SNode<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        self.pos += 1;
        self.skip_spaces();
        let mut items = Vec::new();
        if self.peek() != Some(b']') {
            loop {
                items.push(self.flow_item(depth + 1)?);
                if self.flow_next(b']')? {
                    break;
                }
            }
        }
        self.pos += 1;
        Some(self.node(Node::Seq(items), start, 1))
    }

    fn flow_map(&mut self, depth: usize) -> Option<SNode<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        self.pos += 1;
        self.skip_spaces();
        let mut entries = Vec::new();
        if self.peek() != Some(b'}') {
            loop {
                let k = self.flow_plain(true)?;
                if self.peek() != Some(b':') || self.at(self.pos + 1) != Some(b' ') {
                    return None;
                }
                self.pos += 2;
                self.skip_spaces();
                let v = self.flow_item(depth + 1)?;
                entries.push((k, v));
                if self.flow_next(b'}')? {
                    break;
                }
            }
        }
        self.pos += 1;
        Some(self.node(Node::Map(entries), start, 1))
    }

    /// After a flow entry: `Some(true)` at the closing bracket (not consumed), `Some(false)`
    /// after a comma with another entry to come; `None` for anything else, including a
    /// trailing comma.
    fn flow_next(&mut self, close: u8) -> Option<bool> {
        self.skip_spaces();
        match self.peek()? {
            b',' => {
                self.pos += 1;
                self.skip_spaces();
                (self.peek() != Some(close)).then_some(false)
            }
            c if c == close => Some(true),
            _ => None,
        }
    }

    fn flow_item(&mut self, depth: usize) -> Option<SNode<'a>> {
        match self.peek()? {
            b'{' => self.flow_map(depth),
            b'[' => self.flow_seq(depth),
            b'"' | b'\'' => self.quoted(),
            _ => self.flow_plain(false),
        }
    }

    /// A plain scalar inside a flow collection: up to `,`, a bracket, or (for a key) `: `.
    fn flow_plain(&mut self, key: bool) -> Option<SNode<'a>> {
        let start = self.pos;
        let b = self.b;
        let mut end = start;
        loop {
            while end < b.len() && !FLOW_STOP[usize::from(b[end])] {
                end += 1;
            }
            match *b.get(end)? {
                b',' | b'[' | b']' | b'{' | b'}' | b'\n' => break,
                b'#' => return None,
                b':' => {
                    if key && self.at(end + 1) == Some(b' ') {
                        break;
                    }
                    return None;
                }
                _ => end += 1,
            }
        }
        let mut trimmed = end;
        while trimmed > start && self.b[trimmed - 1] == b' ' {
            trimmed -= 1;
        }
        if key && (trimmed != end || end - start > MAX_KEY || &self.b[start..end] == b"<<") {
            return None;
        }
        let value = plain(&self.t[start..trimmed])?;
        self.pos = end;
        Some(self.node(value, start, trimmed - start))
    }
}

fn memchr_nl(b: &[u8], from: usize) -> Option<usize> {
    memchr::memchr(b'\n', &b[from..]).map(|i| from + i)
}

/// The bytes a plain scalar in a flow collection stops at ([`Parser::flow_plain`] says what
/// each means): one lookup a byte instead of eight comparisons.
const FLOW_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let stops = *b",[]{}\n#:";
    let mut i = 0;
    while i < stops.len() {
        t[stops[i] as usize] = true;
        i += 1;
    }
    t
};

/// Where the `:` of a block key on this line is: the first colon followed by a space or the
/// end of the line, before any comment.
fn key_end(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(&c) = b.get(i) {
        match c {
            b'\n' => return None,
            b'#' if i > from && b[i - 1] == b' ' => return None,
            b':' if matches!(b.get(i + 1), None | Some(b' ' | b'\n')) => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// A plain (unquoted) scalar: its first character must not be an indicator.
fn plain(s: &str) -> Option<Node<'_>> {
    let first = *s.as_bytes().first()?;
    if is_indicator(first) && !(first == b'-' && s.len() > 1 && s.as_bytes()[1].is_ascii_digit()) {
        return None;
    }
    resolve(s)
}

/// The type of a plain scalar, as serde-saphyr gives it, for the forms known to agree;
/// `None` for anything that might be read otherwise (leading zeros, exponents, `yes`, …).
fn resolve(s: &str) -> Option<Node<'_>> {
    let b = s.as_bytes();
    match *b.first()? {
        b'0'..=b'9' | b'-' => number_or_date(s),
        b'.' | b'+' | b'~' => (s == "~").then_some(Node::Null),
        _ => {
            match s {
                "true" => return Some(Node::Bool(true)),
                "false" => return Some(Node::Bool(false)),
                "null" => return Some(Node::Null),
                _ => {}
            }
            // Other spellings (True, NULL, …) are left to serde-saphyr. With strict booleans,
            // yes/no/on/off/y/n stay strings, as do inf and nan.
            if ["true", "false", "null", "infinity"]
                .iter()
                .any(|w| s.eq_ignore_ascii_case(w))
            {
                return None;
            }
            Some(Node::Str(Cow::Borrowed(s)))
        }
    }
}

fn number_or_date(s: &str) -> Option<Node<'_>> {
    let b = s.as_bytes();
    let digits = |x: &[u8]| !x.is_empty() && x.iter().all(u8::is_ascii_digit);
    let unsigned = b.strip_prefix(b"-").unwrap_or(b);
    let (int, frac) = match unsigned.iter().position(|&c| c == b'.') {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let int_ok = digits(int) && (int.len() == 1 || int[0] != b'0');
    match frac {
        None if int_ok && int.len() <= 18 => {
            return s.parse::<i64>().ok().map(|v| Node::Int(v.into()));
        }
        Some(f) if int_ok && digits(f) && s.len() <= 32 => {
            return s.parse::<f64>().ok().map(Node::Float);
        }
        _ => {}
    }
    // Dates and periods: 2026-11-15, 2026-11, 2026-Q4, 2026-H2.
    let year = b.len() >= 7 && digits(&b[..4]) && b[4] == b'-';
    let date_like = year
        && match &b[5..] {
            [m, d] => (m.is_ascii_digit() || matches!(m, b'Q' | b'H')) && d.is_ascii_digit(),
            [m1, m2, b'-', d1, d2] => [m1, m2, d1, d2].iter().all(|c| c.is_ascii_digit()),
            _ => false,
        };
    // No number is written with a space.
    (date_like || s.contains(' ')).then_some(Node::Str(Cow::Borrowed(s)))
}

#[cfg(test)]
mod tests;
