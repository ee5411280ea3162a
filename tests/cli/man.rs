//! The manual pages render cleanly in groff (no warning at the strictest level, `-ww`, on the
//! default and UTF-8 devices) and pass `mandoc -Tlint`, and every page one refers to is
//! generated beside it.

use crate::common::*;
use crate::tools;
use std::process::Command;

#[test]
fn man_pages_render_without_groff_warnings_and_refer_only_to_generated_pages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = run(dir.path(), &["man", "--dir", "pages"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pages = dir.path().join("pages");
    let mut names: Vec<String> = std::fs::read_dir(&pages)
        .expect("pages written")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.contains(&"goalpost.1".to_owned()) && names.contains(&"goalpost-status.1".to_owned()),
        "{names:?}"
    );
    // `goalpost man` prints goalpost.1.
    let printed = run(dir.path(), &["man"]);
    assert_eq!(
        stdout(&printed),
        std::fs::read_to_string(pages.join("goalpost.1")).expect("goalpost.1")
    );
    for name in &names {
        let text = std::fs::read_to_string(pages.join(name)).expect("page");
        // References look like `goalpost\-status(1)` or `\fBgoalpost\fR(1)`.
        let plain = text
            .replace("\\-", "-")
            .replace("\\fB", "")
            .replace("\\fR", "");
        for (at, _) in plain.match_indices("(1)") {
            let word = plain[..at]
                .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .next()
                .unwrap_or("");
            assert!(
                names.contains(&format!("{word}.1")),
                "{name} refers to {word}(1), which is not generated"
            );
        }
        for section in ["SYNOPSIS", "EXIT STATUS", "EXAMPLES"] {
            if name == "goalpost.1" || section != "EXAMPLES" {
                assert!(
                    text.lines()
                        .any(|l| l.starts_with(".SH") && l.contains(section)),
                    "{name} lacks {section}"
                );
            }
        }
    }
    let Some(groff) = tools::on_path("groff") else {
        return tools::missing(
            "man_pages_render_without_groff_warnings_and_refer_only_to_generated_pages",
            "groff (Debian groff-base)",
        );
    };
    for name in &names {
        for device in [None, Some("-Tutf8")] {
            let o = Command::new(&groff)
                .args(["-man", "-ww", "-z"])
                .args(device)
                .arg(pages.join(name))
                .output()
                .expect("groff runs");
            assert!(
                o.status.success() && o.stderr.is_empty(),
                "groff -man -ww -z {device:?} {name}:\n{}",
                stderr(&o)
            );
        }
    }
}

#[test]
fn man_pages_pass_mandoc_lint() {
    // Issue 32 item 11: mandoc found 69 warnings (an unparsable `.TH` date, paragraph macros
    // around a blank line) in pages groff renders without one.
    let Some(mandoc) = tools::on_path("mandoc") else {
        return tools::missing("man_pages_pass_mandoc_lint", "mandoc (Debian mandoc)");
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let o = run(dir.path(), &["man", "--dir", "pages"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut pages: Vec<_> = std::fs::read_dir(dir.path().join("pages"))
        .expect("pages written")
        .map(|e| e.expect("entry").path())
        .collect();
    pages.sort();
    assert!(pages.len() > 10, "{pages:?}");
    for page in &pages {
        let o = Command::new(&mandoc)
            .args(["-Tlint", "-W", "warning"])
            .arg(page)
            .output()
            .expect("mandoc runs");
        assert!(
            o.status.success() && o.stdout.is_empty() && o.stderr.is_empty(),
            "mandoc -Tlint -W warning {}:\n{}{}",
            page.display(),
            stdout(&o),
            stderr(&o)
        );
    }
    // mandoc does report what it finds (so a silent pass means something).
    let bad = dir.path().join("bad.1");
    std::fs::write(
        &bad,
        ".TH bad 1 \"not a date\"\n.SH NAME\nbad \\- x\n.br\n\n.br\n",
    )
    .expect("write");
    let o = Command::new(&mandoc)
        .args(["-Tlint", "-W", "warning"])
        .arg(&bad)
        .output()
        .expect("mandoc runs");
    assert!(!o.status.success(), "{}{}", stdout(&o), stderr(&o));
}
