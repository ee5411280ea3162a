//! Text outputs wrapped to a terminal's width (`show`, `review`, `diff`, `log`; `status`
//! lays out its own tables): a line wider than the width breaks at spaces, its
//! continuation lines indented two more than the line itself, so a list keeps its shape.
//! A word wider than the width stays whole (an id or a path is never cut); colour escapes
//! (CSI sequences) take no width. Pipes and files are never wrapped (the caller decides).

use unicode_width::UnicodeWidthChar;

/// The display width of `s`, colour escapes excluded.
fn width(s: &str) -> usize {
    let mut w = 0;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters… final byte in @–~.
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) && c != '[' {
                    break;
                }
            }
            continue;
        }
        w += c.width().unwrap_or(0);
    }
    w
}

/// `text` with every line wrapped to `columns` (at least 20).
pub(crate) fn to_width(text: &str, columns: usize) -> String {
    let columns = columns.max(20);
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if width(body) <= columns {
            out.push_str(line);
            continue;
        }
        let lead = body.len() - body.trim_start_matches(' ').len();
        // A hanging indent, unless the line is already indented past half the width.
        let hang = " ".repeat(if lead + 2 < columns / 2 {
            lead + 2
        } else {
            lead
        });
        let mut used = 0;
        let mut first = true;
        for word in body[lead..].split(' ') {
            let w = width(word);
            if first {
                out.push_str(&body[..lead]);
                out.push_str(word);
                used = lead + w;
                first = false;
            } else if word.is_empty() && used == hang.len() {
                // Padding between columns, at the start of a continuation: dropped.
            } else if used + 1 + w > columns {
                while out.ends_with(' ') {
                    out.pop();
                }
                out.push('\n');
                out.push_str(&hang);
                out.push_str(word);
                used = hang.len() + w;
            } else {
                out.push(' ');
                out.push_str(word);
                used += 1 + w;
            }
        }
        out.push_str(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_with_a_hanging_indent() {
        let text = "  carry over: growth/trial-nurture (0.53 of the pass mark 0.7)\nshort\n";
        assert_eq!(
            to_width(text, 30),
            "  carry over:\n    growth/trial-nurture (0.53\n    of the pass mark 0.7)\nshort\n"
        );
        // Colour escapes take no width; a long word stays whole; no line end is added.
        assert_eq!(
            to_width("\u{1b}[32mgreen\u{1b}[0m ok", 8),
            "\u{1b}[32mgreen\u{1b}[0m ok"
        );
        assert_eq!(
            to_width("a company/activation/trial-conversion b", 20),
            "a\n  company/activation/trial-conversion\n  b"
        );
        // Runs of spaces inside a line are kept where the line is not broken, and
        // dropped where it is.
        assert_eq!(to_width("x  y", 20), "x  y");
        assert_eq!(
            to_width("aa 10 min  confidence 0.6", 20),
            "aa 10 min\n  confidence 0.6"
        );
    }
}
