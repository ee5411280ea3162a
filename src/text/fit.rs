//! Markdown documents within GitHub's comment limit: a head, then whole sections while they
//! fit, then a note that says what was left out and where to see everything. A section is
//! rendered only while it can still be kept, so a large organisation costs the limit's worth
//! of rendering, not the whole document's.

use super::plural;

/// GitHub's limit on a comment body, in characters. Documents count bytes against it,
/// which is never fewer than characters, so they fit either way.
pub(crate) const GITHUB_LIMIT: usize = 65_536;

/// Room kept for the truncation note, which is short.
const NOTE_ROOM: usize = 500;

/// A document being built within `limit` bytes: [`Document::section`] for each part that is
/// kept or cut whole, then [`Document::finish`].
///
/// The result is the head and every section when they all fit; otherwise the head, the
/// sections that fit with room for the note, and the note, which counts what the sections
/// from there on held.
pub(crate) struct Document {
    out: String,
    limit: usize,
    /// Where the document ends when it does not fit whole: the length of `out` before the
    /// first section that left no room for the note.
    cut: Option<usize>,
    /// What the sections from `cut` on hold, merged by word in order of first appearance.
    left: Vec<(usize, &'static str)>,
    sections_left: usize,
    /// The whole document no longer fits: later sections are counted, not rendered.
    over: bool,
}

impl Document {
    pub(crate) fn new(head: String, limit: usize) -> Document {
        Document {
            out: head,
            limit,
            cut: None,
            left: Vec::new(),
            sections_left: 0,
            over: false,
        }
    }

    /// Adds a section that holds `items` (such as `(3, "objective")`, for the note), made by
    /// `render` only if it can still be part of the document.
    pub(crate) fn section(
        &mut self,
        items: &[(usize, &'static str)],
        render: impl FnOnce() -> String,
    ) {
        if self.over {
            self.count(items);
            return;
        }
        let text = render();
        let needed = self.out.len() + text.len() + 1;
        if self.cut.is_none() && needed + NOTE_ROOM > self.limit {
            self.cut = Some(self.out.len());
        }
        if self.cut.is_some() {
            self.count(items);
        }
        if needed > self.limit {
            self.over = true;
            return;
        }
        self.out.push('\n');
        self.out.push_str(&text);
    }

    fn count(&mut self, items: &[(usize, &'static str)]) {
        self.sections_left += 1;
        for &(k, word) in items {
            match self.left.iter_mut().find(|(_, w)| *w == word) {
                Some(c) => c.0 += k,
                None => self.left.push((k, word)),
            }
        }
    }

    /// Adds `text` at the end when nothing was cut and it fits with room for the note: a
    /// footnote is never worth cutting a section for, and is never counted as left out.
    pub(crate) fn footnote(&mut self, text: &str) {
        if self.cut.is_none()
            && !self.over
            && self.out.len() + text.len() + 1 + NOTE_ROOM <= self.limit
        {
            self.out.push('\n');
            self.out.push_str(text);
        }
    }

    /// The document; when it was cut, the note ends it with `hint` (where to see everything).
    pub(crate) fn finish(mut self, hint: &str) -> String {
        let Some(cut) = self.cut.filter(|_| self.over) else {
            return self.out;
        };
        self.out.truncate(cut);
        let what: Vec<String> = self
            .left
            .iter()
            .filter(|(k, _)| *k > 0)
            .map(|&(k, w)| plural(k, w))
            .collect();
        self.out.push_str(&format!(
            "\n> [!NOTE]\n> Truncated to stay under GitHub's {}-character limit: {} left out \
             ({}). {hint}\n",
            self.limit,
            what.join(" and "),
            plural(self.sections_left, "section"),
        ));
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn sections(doc: &mut Document, n: usize, len: usize, rendered: &Cell<usize>) {
        for i in 0..n {
            doc.section(&[(2, "objective"), (1, "KPI")], || {
                rendered.set(rendered.get() + 1);
                format!("section {i} {}\n", "x".repeat(len))
            });
        }
    }

    #[test]
    fn cuts_whole_sections_and_says_so() {
        let rendered = Cell::new(0);
        let mut doc = Document::new("head\n".into(), 1000);
        sections(&mut doc, 10, 100, &rendered);
        let out = doc.finish("See more.");
        assert!(out.len() <= 1000, "{}", out.len());
        assert!(out.contains("section 3"), "{out}");
        assert!(!out.contains("section 4"), "{out}");
        assert!(
            out.contains("12 objectives and 6 KPIs left out (6 sections). See more."),
            "{out}"
        );
        // Sections past the limit are counted, never made.
        assert_eq!(rendered.get(), 9);
    }

    #[test]
    fn a_document_that_fits_needs_no_room_for_the_note() {
        // 5 + 8 × 112 = 901 bytes: exactly the limit, though the last sections leave less
        // than the note's room.
        let rendered = Cell::new(0);
        let mut doc = Document::new("head\n".into(), 901);
        sections(&mut doc, 8, 100, &rendered);
        let out = doc.finish("See more.");
        assert_eq!(out.len(), 901);
        assert!(out.contains("section 7") && !out.contains("NOTE"));
    }

    #[test]
    fn an_empty_count_is_not_named() {
        let mut doc = Document::new(String::new(), 600);
        doc.section(&[(0, "objective"), (1, "KPI")], || "x".repeat(700));
        let out = doc.finish("");
        assert!(out.contains(": 1 KPI left out (1 section)"), "{out}");
    }
}
