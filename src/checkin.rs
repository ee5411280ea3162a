//! `goalpost checkin`'s library side: one check-in as one YAML flow-mapping line, appended to
//! the text of a check-in log without re-serialising it (comments and formatting survive).
//! Every appended text is parsed back with the real loader and must hold exactly the old
//! check-ins plus the new one, or it is refused. Locking and durable writes are in [`store`],
//! the git commit in [`commit`].

pub(crate) mod commit;
pub(crate) mod import;
pub(crate) mod store;

use crate::date::Date;
use crate::load::Parsed;
use crate::load::raw::RawCheckin;
use crate::load::source::{Entry, Read, Source};
use crate::model::Observation;
use std::io;

/// The first lines of a log that `goalpost checkin` creates.
pub(crate) const HEADER: &str = "\
# Check-in log: an append-only history, one check-in per line, written by `goalpost checkin`.
# Add lines at the end; never edit or delete old ones. Git merges it with `merge=union`
# (see .gitattributes), so check-ins from parallel branches are all kept.
checkins:
";

/// A check-in to append.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewCheckin {
    /// `team/objective/kr` or `team/kpi`.
    pub reference: String,
    pub date: Date,
    pub obs: Observation,
    pub confidence: Option<f64>,
    pub note: Option<String>,
    pub by: Option<String>,
    /// The reason, when the check-in corrects the check-in of the same ref and date
    /// (SPEC 3.2); written last, as `correction: <reason>`.
    pub correction: Option<String>,
}

impl NewCheckin {
    /// The check-in as a flow mapping, `{ ref: ..., date: ..., value: ... }`, without
    /// indentation or newline. `None` when a number is not finite.
    pub(crate) fn flow(&self) -> Option<String> {
        let mut s = format!("{{ ref: {}, date: {}, ", scalar(&self.reference), self.date);
        match self.obs {
            Observation::Value(v) => {
                s.push_str("value: ");
                s.push_str(&number(v)?);
            }
            Observation::Done(d) => s.push_str(if d { "done: true" } else { "done: false" }),
        }
        if let Some(c) = self.confidence {
            s.push_str(", confidence: ");
            s.push_str(&number(c)?);
        }
        if let Some(n) = &self.note {
            s.push_str(", note: ");
            s.push_str(&scalar(n));
        }
        if let Some(b) = &self.by {
            s.push_str(", by: ");
            s.push_str(&scalar(b));
        }
        if let Some(r) = &self.correction {
            s.push_str(", correction: ");
            s.push_str(&scalar(r));
        }
        s.push_str(" }");
        Some(s)
    }

    /// The observation as people say it: `75`, `done`, `not done`.
    pub(crate) fn value_text(&self) -> String {
        match self.obs {
            Observation::Value(v) => number(v).unwrap_or_else(|| v.to_string()),
            Observation::Done(true) => "done".to_owned(),
            Observation::Done(false) => "not done".to_owned(),
        }
    }

    /// Whether a check-in read back from a file says exactly this.
    fn matches(&self, raw: &RawCheckin) -> bool {
        let obs = match (&raw.value, raw.done()) {
            (Some(v), None) => Observation::Value(v.value),
            (None, Some(d)) => Observation::Done(d.value),
            _ => return false,
        };
        raw.reference().map(|r| r.value.as_str()) == Some(self.reference.as_str())
            && raw.date.as_ref().map(|d| d.value.as_str()) == Some(self.date.to_string().as_str())
            && obs == self.obs
            && raw.confidence().map(|c| c.value) == self.confidence
            && raw.note().map(|n| n.value.as_str()) == self.note.as_deref()
            && raw.by().map(|b| b.value.as_str()) == self.by.as_deref()
            && raw.correction().map(|r| r.value.as_str()) == self.correction.as_deref()
            && raw.invalid.is_empty()
    }
}

/// A number as YAML text that reads back as the same `f64`: the shortest round-trip form,
/// in exponent notation only when plain digits would be long. `None` for NaN and infinities.
pub(crate) fn number(x: f64) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    let plain = format!("{x}");
    let exp = format!("{x:e}");
    // YAML 1.2 reads `1e300` as a float; a 301-digit integer would overflow the loader's
    // integers. Plain form whenever it is not longer, so `75`, `0.6`, `1200` stay readable.
    Some(if plain.len() <= exp.len() + 4 {
        plain
    } else {
        exp
    })
}

/// A string as a YAML scalar that reads back as exactly that string inside a flow mapping:
/// plain when it is a safe plain scalar, double-quoted with escapes otherwise.
pub(crate) fn scalar(s: &str) -> String {
    if is_plain_safe(s) {
        return s.to_owned();
    }
    quoted(s)
}

/// A string as a YAML double-quoted scalar that reads back as exactly that string, in any
/// context: `"` and `\` escaped, and every character YAML would read as a line break or
/// may not hold in a file (controls, NEL, U+2028/2029, a byte-order mark, U+FFFE/U+FFFF)
/// written as an escape, so no text can end the scalar, start a comment or a new line.
pub(crate) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            '\u{feff}' => out.push_str("\\uFEFF"),
            '\u{fffe}' => out.push_str("\\uFFFE"),
            '\u{ffff}' => out.push_str("\\uFFFF"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Conservative: starts with a letter, holds only letters, digits, spaces and `_-./()'`,
/// does not end in a space, and is not a word YAML reads as a boolean, null or number.
fn is_plain_safe(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf", "infinity",
    ];
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || " _-./()'".contains(c))
        && !s.ends_with(' ')
        && !WORDS.contains(&s.to_ascii_lowercase().as_str())
}

/// Why a check-in cannot be appended to a log's text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum AppendError {
    #[error("a number of the check-in is not finite")]
    NotFinite,
    #[error("it has no top-level `checkins:` key; add a line `checkins:` at the end of the file")]
    NoCheckinsKey,
    #[error(
        "its `checkins:` is written inline (`checkins: [...]`); goalpost appends one line per check-in, so write `checkins:` alone on its line with the check-ins below it as `  - {{ ... }}` lines"
    )]
    InlineList,
    #[error(
        "the line would not land in its top-level `checkins:` list; make `checkins:` the last key of the file"
    )]
    NotLast,
    #[error(
        "with the new check-ins it would be {bytes} bytes, over the {max} bytes goalpost reads in one goal file; start a new log by pointing `checkin_log` in goalpost.toml at a new file (say goals/checkins-2027.yaml) and keep this one for its history"
    )]
    TooLarge { bytes: usize, max: u64 },
}

/// The log's text with `c` appended as one line. `existing` is `None` for a log that does
/// not exist yet (it gets [`HEADER`]). A missing final newline is added first; the line's
/// indentation and line ending follow the existing entries.
#[cfg(test)]
pub(crate) fn append(existing: Option<&str>, c: &NewCheckin) -> Result<String, AppendError> {
    append_many(existing, std::slice::from_ref(c))
}

/// The log's text with each of `cs` appended as one line, in order (see [`append`]): the
/// last `cs.len()` lines of the result are the new check-ins.
#[cfg(test)]
pub(crate) fn append_many(
    existing: Option<&str>,
    cs: &[NewCheckin],
) -> Result<String, AppendError> {
    let before = existing.map_or(Some(0), top_level_checkins);
    append_checked(existing, before, cs).map(|(text, _)| text)
}

/// How many check-ins the top level of the log `text` holds, as the loader parses it; `None`
/// when it does not parse.
pub(crate) fn top_level_checkins(text: &str) -> Option<usize> {
    crate::load::parse_file(0, text.strip_prefix('\u{feff}').unwrap_or(text))
        .0
        .map(|f| f.checkins.map_or(0, |c| c.len()))
}

/// [`append_many`], given how many top-level check-ins `existing` holds (`before`, as
/// [`top_level_checkins`] counts them, perhaps from a parse made earlier of the same text),
/// and giving back the loader's parse of the new text as file 0 (lowered as a load lowers
/// it), which a load of that text may take instead of parsing it again.
pub(crate) fn append_checked(
    existing: Option<&str>,
    before: Option<usize>,
    cs: &[NewCheckin],
) -> Result<(String, Parsed), AppendError> {
    let flows: Vec<String> = cs
        .iter()
        .map(|c| c.flow().ok_or(AppendError::NotFinite))
        .collect::<Result<_, _>>()?;
    let Some(text) = existing else {
        let mut out = HEADER.to_owned();
        for flow in &flows {
            out.push_str("  - ");
            out.push_str(flow);
            out.push('\n');
        }
        return verify(before, out, cs);
    };
    // The line ending the file already uses; YAML also takes a lone CR as a line break.
    let eol = if text.contains("\r\n") {
        "\r\n"
    } else if text.contains('\r') {
        "\r"
    } else {
        "\n"
    };
    // A byte-order mark is not part of the first line (the loader reads the file without).
    let lines = yaml_lines(text.strip_prefix('\u{feff}').unwrap_or(text));
    let Some(key) = lines.iter().rposition(|l| l.starts_with("checkins:")) else {
        return Err(AppendError::NoCheckinsKey);
    };
    let rest = lines[key]["checkins:".len()..].trim();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return Err(AppendError::InlineList);
    }
    let indent = lines[key + 1..]
        .iter()
        .find(|l| l.trim_start().starts_with('-'))
        .map_or("  ", |l| &l[..l.len() - l.trim_start().len()]);
    let added: usize = flows.iter().map(|f| f.len() + indent.len() + 4).sum();
    let mut out = String::with_capacity(text.len() + added + 2);
    out.push_str(text);
    if !text.is_empty() && !text.ends_with(['\n', '\r']) {
        out.push_str(eol);
    }
    for flow in &flows {
        out.push_str(indent);
        out.push_str("- ");
        out.push_str(flow);
        out.push_str(eol);
    }
    verify(before, out, cs)
}

/// The lines of `text` without their line breaks, split where YAML splits them (`\r\n`,
/// `\r` or `\n`), like [`str::lines`] otherwise.
fn yaml_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        match rest.find(['\r', '\n']) {
            Some(i) => {
                out.push(&rest[..i]);
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + skip..];
            }
            None => {
                out.push(rest);
                break;
            }
        }
    }
    out
}

/// How many lines YAML sees in `text` (the line number of its last line).
pub(crate) fn line_count(text: &str) -> usize {
    yaml_lines(text).len()
}

/// Parses the new text with the real loader: it must hold the old text's `before` top-level
/// check-ins plus `cs` as the last ones, in order.
fn verify(
    before: Option<usize>,
    new: String,
    cs: &[NewCheckin],
) -> Result<(String, Parsed), AppendError> {
    // The loader reads no goal file past its bound (a `resource-limit` error then).
    let max = crate::load::MAX_FILE_BYTES;
    if new.len() as u64 > max {
        return Err(AppendError::TooLarge {
            bytes: new.len(),
            max,
        });
    }
    let parsed = crate::load::parse_and_lower(0, new.strip_prefix('\u{feff}').unwrap_or(&new));
    let after = parsed
        .0
        .as_ref()
        .map(|f| f.checkins.as_deref().unwrap_or_default());
    match (before, after) {
        (Some(b), Some(a))
            if a.len() == b + cs.len() && a[b..].iter().zip(cs).all(|(l, c)| c.matches(l)) =>
        {
            Ok((new, parsed))
        }
        _ => Err(AppendError::NotLast),
    }
}

/// A [`Source`] that reads one file's bytes from memory: the repository as it would be
/// after an append, so it can be validated before anything is written.
pub(crate) struct Overlay<'a> {
    pub inner: &'a dyn Source,
    /// Repo-relative, forward slashes.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Whether a walk of goal root `root` lists `path` ([`crate::load::source::is_walked`]).
pub(crate) use crate::load::source::is_walked;

impl Source for Overlay<'_> {
    fn walk(&self, roots: &[String], max: usize) -> io::Result<Vec<Entry>> {
        let mut entries = self.inner.walk(roots, max)?;
        let listed = entries
            .iter()
            .any(|e| matches!(e, Entry::File(p) if *p == self.path));
        if !listed && roots.iter().any(|r| is_walked(&self.path, r)) {
            entries.push(Entry::File(self.path.clone()));
            entries.sort_by(|a, b| a.path().cmp(b.path()));
        }
        Ok(entries)
    }

    fn read(&self, path: &str, max: u64) -> io::Result<Read> {
        if path != self.path {
            return self.inner.read(path, max);
        }
        Ok(if self.bytes.len() as u64 > max {
            Read::TooLarge(self.bytes.len() as u64)
        } else {
            Read::Bytes(self.bytes.clone())
        })
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

#[cfg(test)]
mod tests;
