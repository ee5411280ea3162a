//! Byte offsets and goalpost's spans ↔ LSP positions. LSP counts lines from 0 and columns
//! in UTF-16 code units (the encoding every client supports); goalpost's spans count lines
//! and columns (in characters) from 1 and carry a byte range. Every conversion clamps: a
//! span from an older text or a position past the end never panics, it lands at an end.

use crate::diag::Span;
use lsp_types::{Position, Range};

/// Where each line of a text starts.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The text of 0-based line `line` without its line break, and its start offset.
    fn line<'t>(&self, text: &'t str, line: usize) -> (&'t str, usize) {
        let Some(&start) = self.starts.get(line) else {
            return ("", text.len());
        };
        let end = self.starts.get(line + 1).map_or(text.len(), |&e| e - 1);
        let s = text.get(start..end.max(start)).unwrap_or("");
        (s.strip_suffix('\r').unwrap_or(s), start)
    }

    /// The position of byte `offset` (clamped to the text, and back to a char boundary).
    pub(crate) fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, character as u32)
    }

    /// The byte offset of a position (a column past the end of its line is the line's end;
    /// a line past the end is the end of the text).
    pub(crate) fn offset(&self, text: &str, pos: Position) -> usize {
        let (line, start) = self.line(text, pos.line as usize);
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            if units >= pos.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }

    /// The byte offset of a 1-based line and 1-based column in characters (goalpost's
    /// `Span::line` and `Span::col`), clamped to the line.
    pub(crate) fn offset_of_line_col(&self, text: &str, line: u32, col: u32) -> usize {
        let (l, start) = self.line(text, line.saturating_sub(1) as usize);
        let skip = col.saturating_sub(1) as usize;
        start + l.char_indices().nth(skip).map_or(l.len(), |(i, _)| i)
    }

    /// The range a span covers: from its line and column, for its byte length.
    pub(crate) fn range(&self, text: &str, span: &Span) -> Range {
        if span.is_nowhere() || span.line == 0 {
            return Range::default();
        }
        let start = self.offset_of_line_col(text, span.line, span.col.max(1));
        let end = start.saturating_add(span.len as usize);
        Range::new(self.position(text, start), self.position(text, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "a: 1\ntitle: café 😀 x\n";
        let ix = LineIndex::new(text);
        let x = text.find('x').unwrap();
        // `title: café ` is 12 units, the emoji 2, then a space.
        assert_eq!(ix.position(text, x), Position::new(1, 15));
        assert_eq!(ix.offset(text, Position::new(1, 15)), x);
        assert_eq!(ix.offset(text, Position::new(1, 500)), text.len() - 1);
        assert_eq!(ix.offset(text, Position::new(9, 0)), text.len());
        assert_eq!(ix.position(text, 10_000), Position::new(2, 0));
        // Inside a multi-byte character: back to its start.
        let e = text.find('é').unwrap();
        assert_eq!(ix.position(text, e + 1), ix.position(text, e));
    }

    #[test]
    fn spans_become_ranges() {
        let text = "team: x\nkpis:\n  - id: ü-é\n";
        let ix = LineIndex::new(text);
        let start = text.find("ü-é").unwrap();
        let span = Span {
            file: 0,
            line: 3,
            col: 9,
            start: start as u32,
            len: "ü-é".len() as u32,
        };
        assert_eq!(
            ix.range(text, &span),
            Range::new(Position::new(2, 8), Position::new(2, 11))
        );
        // A span of an older text is clamped, never a panic.
        let far = Span {
            line: 99,
            col: 99,
            len: 99,
            ..span
        };
        let r = ix.range(text, &far);
        assert!(r.start <= r.end);
        assert_eq!(ix.range(text, &Span::NOWHERE), Range::default());
    }
}
