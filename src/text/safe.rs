//! Sanitisers for text taken from the repository (titles, notes, ids, period names, file
//! names, git author names) on its way into an output another program reads (SPEC 10). One
//! function per kind of output; renderers call the one for their output on every piece of
//! repository text and on nothing else. JSON needs none: serde escapes exactly.
//!
//! - [`human`]: terminals and CI logs. Control characters (C0 but tab, DEL, C1, ESC) and
//!   line breaks are shown escaped (`\n`, `\u{1b}`), so text cannot move the cursor, set the
//!   clipboard (OSC 52), make links (OSC 8) or start a new line; `::` and `##[` get an
//!   invisible word joiner, so no part of it can be read as a GitHub workflow command
//!   (`::error::`, `::add-mask::`, `##[stop-commands]`) wherever a table wraps it.
//! - [`markdown`]: inline Markdown (table cells, headings, list items) for GitHub: no line
//!   breaks, no HTML, no images or links, no `@mentions`, no table or heading breakage.
//! - [`plain`]: CSV cells and HTML, which are printed in CI logs too: line breaks become
//!   spaces, other control characters U+FFFD, and `##[` is defused, so text cannot start a
//!   line (`::error …`), drive the terminal or run a workflow command.
//! - [`csv_text`]: spreadsheet cells that cannot start a formula (and are [`plain`]).
//! - [`github_data`] / [`github_property`]: values inside a workflow command.

use std::borrow::Cow;
use std::fmt::Write as _;

/// U+2060 WORD JOINER: invisible, not whitespace (the Actions runner does not trim it), and
/// it splits `::` and `##[` so that neither is recognised.
const JOINER: char = '\u{2060}';

/// Whether `c` would be interpreted by a terminal or a log viewer, or break a line.
fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            // Line and paragraph separators, and the bidirectional controls that can make a
            // line read differently from what it holds ("Trojan Source").
            '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

fn escape_char(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        _ => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// Whether [`human`] would change `s`: one pass over the bytes, decoding characters only
/// where a byte is not ASCII (every unsafe character outside ASCII starts with 0xC2 or 0xE2,
/// but checking the decoded character keeps this exactly [`is_unsafe_char`]).
fn human_is_clean(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if (b < 0x20 && b != b'\t') || b == 0x7f {
                return false;
            }
            if b == b':' && bytes.get(i + 1) == Some(&b':') {
                return false;
            }
            if b == b'#' && bytes.get(i + 1) == Some(&b'#') && bytes.get(i + 2) == Some(&b'[') {
                return false;
            }
            i += 1;
        } else {
            // `i` is at a character boundary: ASCII bytes are boundaries and each step below
            // skips a whole character.
            let Some(c) = s[i..].chars().next() else {
                return true;
            };
            if is_unsafe_char(c) {
                return false;
            }
            i += c.len_utf8();
        }
    }
    true
}

/// Repository text for a terminal or a CI log (see the module docs).
pub(crate) fn human(s: &str) -> Cow<'_, str> {
    if human_is_clean(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev: Option<char> = None;
    let mut prev2: Option<char> = None;
    for c in s.chars() {
        if is_unsafe_char(c) {
            escape_char(&mut out, c);
            prev2 = prev;
            prev = Some(c);
            continue;
        }
        // `::` → `:⁠:`; `##[` → `#⁠#[`.
        if (c == ':' && prev == Some(':')) || (c == '[' && prev == Some('#') && prev2 == Some('#'))
        {
            if c == '[' {
                // Put the joiner between the two `#`.
                out.pop();
                out.push(JOINER);
                out.push('#');
            } else {
                out.push(JOINER);
            }
        }
        out.push(c);
        prev2 = prev;
        prev = Some(c);
    }
    Cow::Owned(out)
}

/// Repository text as inline Markdown for GitHub (see the module docs). Markdown
/// punctuation is backslash-escaped (invisible once rendered), `&` and `<`, `>` become
/// entities, `@` is followed by a word joiner (no mention, no notification, no e-mail
/// autolink), line breaks become spaces and control characters are shown escaped. GitHub's
/// autolinks cannot fire either: `:` before `//` becomes `\:` (no `https://…`, whatever
/// the scheme) and the `.` of `www.` becomes `\.`.
pub(crate) fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\r' => {
                if chars.peek().map(|p| p.1) != Some('\n') {
                    out.push(' ');
                }
            }
            ':' if s[i + 1..].starts_with("//") => out.push_str("\\:"),
            'w' | 'W'
                if s[i..]
                    .get(..4)
                    .is_some_and(|w| w.eq_ignore_ascii_case("www.")) =>
            {
                out.push_str(&s[i..i + 3]);
                out.push_str("\\.");
                for _ in 0..3 {
                    chars.next();
                }
            }
            '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => {
                out.push('@');
                out.push(JOINER);
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c if is_unsafe_char(c) => escape_char(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// Repository text for an output with no escape of its own for control characters (CSV
/// cells, HTML), which a CI log may show too (see the module docs). A line break (CRLF
/// counts as one) becomes a space; other control characters and the bidirectional controls
/// become U+FFFD; `##[` gets a word joiner. Tabs stay.
pub(crate) fn plain(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe_char(c) || c == '\u{85}') && !s.contains("##[") {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push(' '),
            c if is_unsafe_char(c) => out.push('\u{fffd}'),
            '[' if out.ends_with("##") => {
                out.pop();
                out.push(JOINER);
                out.push_str("#[");
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A text cell for CSV: [`plain`], with a leading `'` when the text starts with `=`, `+`,
/// `-`, `@`, tab or CR, which spreadsheets would otherwise run as a formula (SPEC 10). Only
/// for text columns; numeric columns hold numbers and nothing else.
pub(crate) fn csv_text(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{}", plain(s))),
        _ => plain(s),
    }
}

/// A workflow command's message (after `::`): `%`, CR and LF escaped as GitHub requires,
/// other control characters shown escaped, `##[` defused.
pub(crate) fn github_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev: Option<char> = None;
    let mut prev2: Option<char> = None;
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if is_unsafe_char(c) => escape_char(&mut out, c),
            '[' if prev == Some('#') && prev2 == Some('#') => {
                out.pop();
                out.push(JOINER);
                out.push_str("#[");
            }
            c => out.push(c),
        }
        prev2 = prev;
        prev = Some(c);
    }
    out
}

/// A workflow command's property value (`file=`, `title=`): as [`github_data`], plus `:`
/// and `,`.
pub(crate) fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_escapes_controls_and_line_breaks() {
        assert_eq!(human("plain title"), "plain title");
        assert!(matches!(human("plain"), Cow::Borrowed(_)));
        assert_eq!(human("a\nb\r\nc"), "a\\nb\\r\\nc");
        assert_eq!(
            human("\u{1b}]52;c;ZXZpbA==\u{7}"),
            "\\u{1b}]52;c;ZXZpbA==\\u{7}"
        );
        assert_eq!(human("x\u{9b}31m"), "x\\u{9b}31m");
        assert_eq!(human("tab\tstays"), "tab\tstays");
        assert_eq!(human("a\u{2028}b\u{202e}c"), "a\\u{2028}b\\u{202e}c");
        assert_eq!(human("del\u{7f}"), "del\\u{7f}");
    }

    #[test]
    fn human_defuses_workflow_commands() {
        let s = human("x\n::error file=a::forged");
        assert!(!s.contains('\n'));
        assert!(!s.contains("::"), "{s}");
        assert_eq!(human("::add-mask::x"), ":\u{2060}:add-mask:\u{2060}:x");
        let s = human("note ##[stop-commands]tok");
        assert!(!s.contains("##["), "{s}");
        assert_eq!(s, "note #\u{2060}#[stop-commands]tok");
        // Every split point is safe: no substring starts a command.
        let s = human(":::::");
        assert!(!s.contains("::"));
    }

    #[test]
    fn markdown_cannot_ping_load_or_break() {
        let m = markdown("hi @octocat ![x](https://e.example/p.png) <!-- | a\nb");
        assert!(!m.contains("@o"), "{m}");
        assert!(!m.contains("!["), "{m}");
        assert!(!m.contains("<!"), "{m}");
        assert!(!m.contains('\n'));
        assert!(!m.contains(" | "), "{m}");
        assert!(m.contains("\\|"));
        assert_eq!(markdown("&#64;team"), "&amp;\\#64;team");
        assert_eq!(markdown("2026-Q4"), "2026-Q4");
        assert_eq!(markdown("a\r\nb"), "a b");
    }

    #[test]
    fn markdown_leaves_nothing_for_autolinks() {
        assert_eq!(
            markdown("https://e.example/a www.e.example WwW.x"),
            "https\\://e.example/a www\\.e.example WwW\\.x"
        );
        assert_eq!(markdown("a@b.co"), "a@\u{2060}b.co");
        assert_eq!(markdown("Q4: www growth"), "Q4: www growth");
        assert_eq!(markdown("é:"), "é:");
    }

    #[test]
    fn csv_cells_cannot_start_formulas() {
        assert_eq!(csv_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for s in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_text(s).starts_with('\''), "{s}");
        }
        assert_eq!(csv_text("Grow revenue"), "Grow revenue");
        assert_eq!(csv_text("=a\nb"), "'=a b");
    }

    #[test]
    fn plain_has_no_control_characters_or_line_breaks() {
        assert!(matches!(plain("Grow revenue\t1::2"), Cow::Borrowed(_)));
        assert_eq!(plain("a\n::error::x"), "a ::error::x");
        assert_eq!(plain("a\r\nb\rc\u{2028}d\u{85}e"), "a b c d e");
        assert_eq!(
            plain("\u{1b}]52;c;x\u{7}\u{9b}31m\u{7f}\u{202e}"),
            "\u{fffd}]52;c;x\u{fffd}\u{fffd}31m\u{fffd}\u{fffd}"
        );
        assert_eq!(plain("x ##[stop-commands]"), "x #\u{2060}#[stop-commands]");
    }

    #[test]
    fn github_escaping() {
        assert_eq!(github_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(github_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert!(!github_data("x ##[group]y").contains("##["));
        assert_eq!(github_data("\u{1b}[31m"), "\\u{1b}[31m");
    }

    proptest::proptest! {
        /// The one-pass check agrees with its plain definition on any text, including the
        /// characters it looks for and multi-byte neighbours of them.
        #[test]
        fn clean_check_agrees_with_its_definition(
            s in "([:#\\[\\t\\n\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{2026}-\\u{2030}\\u{2066}-\\u{2069}é€😀 a]){0,12}"
        ) {
            let plain = !s.chars().any(is_unsafe_char) && !s.contains("::") && !s.contains("##[");
            proptest::prop_assert_eq!(human_is_clean(&s), plain);
            proptest::prop_assert_eq!(matches!(human(&s), Cow::Borrowed(_)), plain);
        }
    }
}
