//! `goalpost explain`: every code explained; the list; unknown codes.

use crate::common::*;

#[test]
fn every_code_is_explained() {
    let dir = repo(&[]);
    for &c in goalpost::Code::ALL {
        let o = run(dir.path(), &["explain", c.name()]);
        assert_eq!(o.status.code(), Some(0), "{}", c.name());
        let text = stdout(&o);
        assert!(text.starts_with(c.name()), "{text}");
        assert!(
            text.lines().count() >= 8,
            "{}: a paragraph and an example\n{text}",
            c.name()
        );
        assert!(
            text.contains(&format!("{} by default", c.default_severity())),
            "{text}"
        );
    }
}

#[test]
fn the_list_names_every_code_with_its_severity() {
    let o = run(repo(&[]).path(), &["explain"]);
    assert_eq!(o.status.code(), Some(0));
    let list = stdout(&o);
    for &c in goalpost::Code::ALL {
        let line = list
            .lines()
            .find(|l| l.split_whitespace().next() == Some(c.name()))
            .unwrap_or_else(|| panic!("{} missing", c.name()));
        assert!(line.contains(&c.default_severity().to_string()), "{line}");
    }
}

#[test]
fn unknown_codes_are_usage_errors_with_a_hint() {
    let o = run(repo(&[]).path(), &["explain", "kr-cuont"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `kr-count`?"),
        "{}",
        stderr(&o)
    );
}
