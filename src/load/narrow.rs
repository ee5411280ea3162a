//! The check-in log narrowed to some teams before it is parsed, for a load of those teams'
//! files (`show` and `log` of one item). Such a load drops every row of the log that names
//! an item of another team once the log is parsed; in a large organisation those are almost
//! all of its rows, and parsing them was most of the load.
//!
//! Rows are left out only where that is provably the same as parsing and dropping them: the
//! whole log must be in the plain form `goalpost checkin` writes (comments, then `checkins:`,
//! then blank lines, comment lines and one-line rows `- { key: value, ... }` at one
//! indentation, each key known and written once, each value a plain slug, date, number,
//! boolean or simple text, or a double-quoted string without escapes). Such a row parses
//! without any diagnostic, and its `ref` is read exactly as written. Any other line (a
//! block-style check-in, a quoted string with an escape, a tab, a carriage return, another
//! key) and the log is parsed whole, as before. A row left out is overwritten with spaces in
//! a copy of the text, so every other row keeps its byte offsets, lines and columns; the
//! text kept for diagnostics and blame is the original.

use crate::load::raw::RawCheckin;
use crate::model::is_slug;

/// The longest row read here; a longer one ends the narrowing (the log is parsed whole).
const MAX_ROW: usize = 1024;

/// What a row left out is overwritten with, a piece at a time.
const SPACES: &str = "                                                                ";

/// The keys a plain row may hold, and how each value must be written.
const KEYS: [(&str, Value); 8] = [
    ("ref", Value::Ref),
    ("date", Value::Date),
    ("value", Value::Number),
    ("confidence", Value::Number),
    ("done", Value::Bool),
    ("note", Value::Text),
    ("by", Value::Text),
    ("correction", Value::Text),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Value {
    /// A ref: slugs joined by `/`.
    Ref,
    /// `YYYY-MM-DD`.
    Date,
    /// `-?(0|[1-9][0-9]*)(.[0-9]+)?`, short.
    Number,
    /// `true` or `false`.
    Bool,
    /// Plain words (a letter, then letters, digits, spaces, `.`, `_`, `-`), or a double-quoted
    /// string of printable ASCII without `"` or `\`.
    Text,
}

/// `text` (the check-in log) with every row that names another team than `teams` (and is
/// no upstream's) blanked out, when the log is in the plain form this module reads; `None`
/// when it is not, or when no row would be left out.
pub(crate) fn other_teams_blanked(text: &str, teams: &[String]) -> Option<String> {
    let bytes = text.as_bytes();
    if memchr::memchr2(b'\r', b'\t', bytes).is_some() {
        return None;
    }
    // Each line with the offset it starts at (the last one without a line feed).
    let mut start = 0;
    let mut lines = memchr::memchr_iter(b'\n', bytes)
        .chain(std::iter::once(bytes.len()))
        .map(|end| {
            let at = start;
            start = end + 1;
            (at, &bytes[at..end])
        });
    // Comments and blank lines, then the one key.
    loop {
        let (_, line) = lines.next()?;
        if line == b"checkins:" {
            break;
        }
        if !(line.is_empty() || line.starts_with(b"#")) {
            return None;
        }
    }
    let mut indent: Option<usize> = None;
    // Byte ranges of the rows to blank, and whether any row is kept.
    let mut blank: Vec<(usize, usize)> = Vec::new();
    let mut kept = false;
    for (at, line) in lines {
        let spaces = line.iter().take_while(|&&b| b == b' ').count();
        let rest = &line[spaces..];
        if rest.is_empty() || rest.starts_with(b"#") {
            continue;
        }
        if *indent.get_or_insert(spaces) != spaces {
            return None;
        }
        let reference = row_ref(rest)?;
        if other_team(reference, teams) {
            blank.push((at, at + line.len()));
        } else {
            kept = true;
        }
    }
    if !kept && !blank.is_empty() {
        // Not every row: an empty `checkins:` would read as another thing.
        blank.remove(0);
    }
    if blank.is_empty() {
        return None;
    }
    // Whole lines of ASCII are overwritten, so every cut is at a character boundary.
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (start, end) in blank {
        out.push_str(&text[from..start]);
        let mut n = end - start;
        while n > 0 {
            let k = n.min(SPACES.len());
            out.push_str(&SPACES[..k]);
            n -= k;
        }
        from = end;
    }
    out.push_str(&text[from..]);
    Some(out)
}

/// Whether a load of `teams` drops the log's check-in `c` once parsed: its ref names an
/// item of another team, and no upstream's ([`other_team`]).
pub(crate) fn of_other_team(c: &RawCheckin, teams: &[String]) -> bool {
    c.reference().is_some_and(|r| other_team(&r.value, teams))
}

/// Whether a check-in naming `reference` is one a load of `teams` drops once parsed: a ref
/// that parses ([`is_ref`]; an upstream's, `NAME:team/...`, does not), of another team.
fn other_team(reference: &str, teams: &[String]) -> bool {
    let team = reference.split('/').next().unwrap_or_default();
    !teams.iter().any(|t| t == team) && is_ref(reference)
}

/// Whether `reference` parses as a [`crate::model::Ref`] of this repository: two or three
/// slugs joined by `/` (what `Ref`'s parser asks of it; a slug holds no `:`, so an
/// upstream's ref is not one), told without building one.
fn is_ref(reference: &str) -> bool {
    let parts = reference.split('/');
    (2..=3).contains(&parts.clone().count()) && parts.into_iter().all(is_slug)
}

/// The `ref` of a plain one-line row (`rest` is the line from its `-`), or `None` when the
/// row is not in the plain form (or has no `ref`).
fn row_ref(rest: &[u8]) -> Option<&str> {
    if rest.len() > MAX_ROW {
        return None;
    }
    let mut s = rest.strip_prefix(b"- {")?;
    let mut seen = [false; KEYS.len()];
    let mut reference = None;
    loop {
        s = spaces(s);
        let colon = memchr::memchr(b':', s)?;
        let key = &s[..colon];
        let k = KEYS.iter().position(|(name, _)| name.as_bytes() == key)?;
        if std::mem::replace(&mut seen[k], true) {
            return None;
        }
        s = s[colon..].strip_prefix(b": ")?;
        let (value, after) = scalar(s, KEYS[k].1)?;
        if k == 0 {
            reference = Some(std::str::from_utf8(value).ok()?);
        }
        s = spaces(after);
        match s.split_first()? {
            (b',', more) => s = more,
            (b'}', more) => {
                s = more;
                break;
            }
            _ => return None,
        }
    }
    // Nothing after the mapping but spaces and a comment set off by one.
    let after = spaces(s);
    if !(after.is_empty() || (after.starts_with(b"#") && after.len() < s.len())) {
        return None;
    }
    reference
}

fn spaces(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&b| b == b' ').count();
    &s[n..]
}

/// A value of kind `kind` at the start of `s`: its text and what follows it; `None` when
/// it is not written as this module reads it.
fn scalar(s: &[u8], kind: Value) -> Option<(&[u8], &[u8])> {
    fn slug(b: u8) -> bool {
        b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
    }
    let run = |ok: fn(u8) -> bool| s.iter().take_while(|&&b| ok(b)).count();
    let n = match kind {
        Value::Ref => {
            let n = run(|b| slug(b) || b == b'/');
            let v = &s[..n];
            let parts_ok = v.split(|&b| b == b'/').all(|p| !p.is_empty());
            (parts_ok && v.contains(&b'/') && v[0].is_ascii_alphanumeric()).then_some(n)?
        }
        Value::Date => {
            let n = run(|b| b.is_ascii_digit() || b == b'-');
            let v = &s[..n];
            let shape = v.len() == 10
                && v.iter()
                    .enumerate()
                    .all(|(i, &b)| (b == b'-') == (i == 4 || i == 7));
            shape.then_some(n)?
        }
        Value::Number => {
            let n = run(|b| b.is_ascii_digit() || b == b'-' || b == b'.');
            let v = &s[..n];
            let digits = v.strip_prefix(b"-").unwrap_or(v);
            let (int, frac) = match digits.iter().position(|&b| b == b'.') {
                Some(i) => (&digits[..i], Some(&digits[i + 1..])),
                None => (digits, None),
            };
            let all = |x: &[u8]| !x.is_empty() && x.iter().all(u8::is_ascii_digit);
            let ok = all(int)
                && (int.len() == 1 || int[0] != b'0')
                && int.len() <= 15
                && frac.is_none_or(|f| all(f) && f.len() <= 15);
            ok.then_some(n)?
        }
        Value::Bool => {
            let n = run(|b| b.is_ascii_lowercase());
            matches!(&s[..n], b"true" | b"false").then_some(n)?
        }
        Value::Text if s.first() == Some(&b'"') => {
            let body = s[1..]
                .iter()
                .take_while(|&&b| b != b'"' && b != b'\\' && (0x20..0x7f).contains(&b))
                .count();
            if s.get(1 + body) != Some(&b'"') {
                return None;
            }
            return Some((&s[..body + 2], &s[body + 2..]));
        }
        Value::Text => {
            let n = run(|b| slug(b) || b == b' ');
            let v = s[..n].trim_ascii_end();
            let word = |w: &str| v.eq_ignore_ascii_case(w.as_bytes());
            let ok = v.first().is_some_and(u8::is_ascii_alphabetic)
                && !["true", "false", "null", "infinity", "nan", "inf"]
                    .iter()
                    .any(|w| word(w));
            ok.then_some(v.len())?
        }
    };
    // The value ends where the mapping goes on.
    matches!(s.get(n), Some(b' ' | b',' | b'}')).then_some((&s[..n], &s[n..]))
}

#[cfg(test)]
mod tests;
