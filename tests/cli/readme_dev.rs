//! The README's "Developing goalpost" section names files and folders of this repository in
//! backticks (`src/lint/mod.rs`, `tests/cli/contracts.rs`, ...). Each one must exist, so the
//! map cannot silently point at code that moved. A token with `<` is a placeholder
//! (`src/lint/<code>.rs`) and is skipped; with `*`, the folder before it must exist.

use crate::common::root;

/// Where paths of this repository start.
const PREFIXES: &[&str] = &["src/", "tests/", "schema/", "fuzz/", "benches/", ".ci/"];

/// The section from its heading to the next `## ` heading.
fn section(readme: &str) -> &str {
    let start = readme
        .find("\n## Developing goalpost\n")
        .expect("README.md has a `## Developing goalpost` section");
    let body = &readme[start + 1..];
    match body.find("\n## ") {
        Some(end) => &body[..=end],
        None => body,
    }
}

/// The inline code spans of `text` outside fenced code blocks. A span may run over a line
/// break, as in Markdown.
fn code_spans(text: &str) -> Vec<String> {
    let mut prose = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    // Between the 1st and 2nd backtick, the 3rd and 4th, ...
    prose
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The repository paths among `spans`, placeholders left out.
fn paths(spans: &[String]) -> Vec<&str> {
    spans
        .iter()
        .map(String::as_str)
        .filter(|s| PREFIXES.iter().any(|p| s.starts_with(p)))
        .filter(|s| !s.contains('<'))
        .collect()
}

#[test]
fn every_path_in_the_developer_section_exists() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let spans = code_spans(section(&readme));
    let named = paths(&spans);
    // The section is a map of the code: it names many files. Far fewer means the extraction
    // broke, not that the map is small.
    assert!(
        named.len() >= 40,
        "only {} paths found: {named:?}",
        named.len()
    );
    let missing: Vec<&str> = named
        .iter()
        .copied()
        .filter(|p| {
            let p = p.split('*').next().unwrap_or(p);
            !root().join(p).exists()
        })
        .collect();
    assert!(
        missing.is_empty(),
        "README.md, `## Developing goalpost`, names paths that do not exist: {missing:?}"
    );
}

#[test]
fn spans_outside_fences_are_read_and_placeholders_skipped() {
    let text = "a `src/lib.rs` b `cargo\ntest` c `tests/fixtures/invalid/<code>.yaml`\n\
                ```sh\n`src/not-read.rs`\n```\n`.ci/run` and `fuzz/`\n";
    let spans = code_spans(text);
    assert_eq!(
        spans,
        [
            "src/lib.rs",
            "cargo\ntest",
            "tests/fixtures/invalid/<code>.yaml",
            ".ci/run",
            "fuzz/"
        ]
    );
    assert_eq!(paths(&spans), ["src/lib.rs", ".ci/run", "fuzz/"]);
}

#[test]
fn the_section_ends_at_the_next_level_two_heading() {
    let readme = "# t\n\n## Developing goalpost\n\nx\n### Sub\ny\n## Next\nz\n";
    assert_eq!(section(readme), "## Developing goalpost\n\nx\n### Sub\ny\n");
}
