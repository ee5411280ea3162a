//! The inserter on the layouts people write, with the exact text expected.

use super::*;

fn date(s: &str) -> Date {
    Date::parse(s).expect("a date")
}

fn revision(target: f64, reason: &str) -> Addition {
    Addition::Revision {
        date: date("2026-11-02"),
        target: Some(target),
        start: None,
        reason: reason.to_owned(),
    }
}

fn drop(reason: &str) -> Addition {
    Addition::Drop {
        date: date("2026-11-02"),
        reason: reason.to_owned(),
    }
}

/// The text after inserting, checked to be `old` with one insertion.
fn ins(old: &str, item: Item, a: &Addition) -> String {
    let new = insert(old, item, a)
        .unwrap_or_else(|e| panic!("{e}\n{old}"))
        .text;
    let prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    assert!(prefix + suffix >= old.len(), "one insertion:\n{new}");
    new
}

const BLOCK: &str = "\
team: growth
period: 2026-Q4
objectives:
  - id: onboarding   # the big one
    title: Onboarding
    key_results:
      - id: tickets
        title: Fewer tickets
        start: 250
        target: 150
        checkins:
          - { date: 2026-10-05, value: 240 }
          - date: 2026-10-19
            value: 210

      # the next one is new
      - id: guide
        title: Guide
        kind: milestone
  - id: second
    title: Second
    key_results: [{ id: a, title: A, start: 1, target: 2 }]
";

#[test]
fn a_revision_goes_after_a_nested_list_and_before_the_comment_of_the_next_item() {
    let new = ins(BLOCK, Item::KeyResult(0, 0), &revision(120.0, "scope cut"));
    assert!(
        new.contains(
            "            value: 210\n        revisions: [{ date: 2026-11-02, target: 120, reason: \"scope cut\" }]\n\n      # the next one"
        ),
        "{new}"
    );
    let again = ins(&new, Item::KeyResult(0, 0), &revision(110.0, "again"));
    assert!(
        again.contains(
            "reason: \"scope cut\" }, { date: 2026-11-02, target: 110, reason: \"again\" }]"
        ),
        "{again}"
    );
}

#[test]
fn a_drop_goes_at_the_end_of_the_mapping_in_its_style() {
    let new = ins(BLOCK, Item::Objective(0), &drop("merged"));
    assert!(
        new.contains("        kind: milestone\n    dropped: { date: 2026-11-02, reason: \"merged\" }\n  - id: second"),
        "{new}"
    );
    let flow = ins(BLOCK, Item::KeyResult(1, 0), &drop("no"));
    assert!(
        flow.contains("target: 2, dropped: { date: 2026-11-02, reason: \"no\" } }]"),
        "{flow}"
    );
    let last = ins(BLOCK, Item::Objective(1), &drop("x"));
    assert!(
        last.ends_with("target: 2 }]\n    dropped: { date: 2026-11-02, reason: \"x\" }\n"),
        "{last}"
    );
    assert_eq!(
        insert(&new, Item::Objective(0), &drop("again")),
        Err(InsertError::Dropped("objective 1 of the file".to_owned()))
    );
}

#[test]
fn an_existing_block_list_gets_an_item_line() {
    let old = "objectives:\n- id: o\n  key_results:\n  - id: k\n    revisions:\n    - date: 2026-10-10\n      target: 3\n      reason: r\n    # trailing\n";
    let new = ins(old, Item::KeyResult(0, 0), &revision(4.0, "why"));
    assert_eq!(
        new,
        "objectives:\n- id: o\n  key_results:\n  - id: k\n    revisions:\n    - date: 2026-10-10\n      target: 3\n      reason: r\n    - { date: 2026-11-02, target: 4, reason: \"why\" }\n    # trailing\n"
    );
}

#[test]
fn flow_lists_empty_multi_line_or_with_a_trailing_comma() {
    let cases = [
        (
            "revisions: []",
            "revisions: [{ date: 2026-11-02, target: 4, reason: \"w\" }]",
        ),
        (
            "revisions: [\n      { date: 2026-10-01, target: 3, reason: r },\n    ]",
            "revisions: [\n      { date: 2026-10-01, target: 3, reason: r }, { date: 2026-11-02, target: 4, reason: \"w\" },\n    ]",
        ),
    ];
    for (list, want) in cases {
        let old =
            format!("objectives:\n  - id: o\n    key_results:\n      - id: k\n        {list}\n");
        let new = ins(&old, Item::KeyResult(0, 0), &revision(4.0, "w"));
        assert_eq!(
            new,
            format!("objectives:\n  - id: o\n    key_results:\n      - id: k\n        {want}\n")
        );
    }
}

#[test]
fn crlf_a_missing_final_newline_and_a_byte_order_mark_are_kept() {
    let old = "\u{feff}objectives:\r\n  - id: o\r\n    title: x";
    let new = ins(old, Item::Objective(0), &drop("d"));
    assert_eq!(
        new,
        "\u{feff}objectives:\r\n  - id: o\r\n    title: x\r\n    dropped: { date: 2026-11-02, reason: \"d\" }"
    );
    assert_eq!(
        insert(old, Item::Objective(0), &drop("d")).map(|i| i.line),
        Ok(4)
    );
}

#[test]
fn a_block_scalar_last_keeps_its_text() {
    for chomp in ["|", "|+", ">-"] {
        let old = format!(
            "objectives:\n  - id: o\n    description: {chomp}\n      one\n\n      # two\n\n\n  - id: p\n"
        );
        let new = ins(&old, Item::Objective(0), &drop("d"));
        assert!(new.contains("    dropped: { date"), "{new}");
    }
}

#[test]
fn hostile_reasons_read_back_exactly() {
    for reason in [
        "a\nb",
        "\"quoted\" # not a comment",
        "back\\slash",
        "\u{0}\u{1b}[31m\u{7f}\u{85}\u{2028}\u{2029}\u{feff}\u{fffe}\t\r",
        "] } , - ? : &a *b !t |",
        "",
    ] {
        let new = ins(BLOCK, Item::Objective(1), &drop(reason));
        let root = yaml::parse(&new, 0).expect("it parses");
        let (_, o) = find(&root, Item::Objective(1)).expect("the objective");
        let Node::Map(entries) = &o.value else {
            panic!("a mapping")
        };
        let (_, dropped) = entries.last().expect("an entry");
        let Node::Map(d) = &dropped.value else {
            panic!("a mapping")
        };
        assert!(
            matches!(&d[1].1.value, Node::Str(s) if s == reason),
            "{reason:?} → {:?}",
            d[1].1.value
        );
    }
}

#[test]
fn numbers_are_written_to_read_back_exactly() {
    for x in [0.1 + 0.2, -3.0, 1e300, 5e-324, 123456789.125] {
        let new = ins(BLOCK, Item::KeyResult(0, 1), &revision(x, "r"));
        let root = yaml::parse(&new, 0).expect("it parses");
        let (_, kr) = find(&root, Item::KeyResult(0, 1)).expect("the key result");
        let Node::Map(entries) = &kr.value else {
            panic!("a mapping")
        };
        let Node::Seq(list) = &entries.last().expect("revisions").1.value else {
            panic!("a list")
        };
        let Node::Map(r) = &list[0].value else {
            panic!("a mapping")
        };
        let read = match r[1].1.value {
            Node::Int(i) => i as f64,
            Node::Float(f) => f,
            _ => f64::NAN,
        };
        assert_eq!(read.to_bits(), x.to_bits(), "{x}");
    }
    assert_eq!(
        insert(BLOCK, Item::KeyResult(0, 0), &revision(f64::NAN, "r")),
        Err(InsertError::NotFinite)
    );
}

#[test]
fn missing_items_and_odd_shapes_are_errors() {
    assert!(matches!(
        insert(BLOCK, Item::KeyResult(0, 5), &drop("d")),
        Err(InsertError::NoItem(_))
    ));
    assert!(matches!(
        insert("objectives: [x]\n", Item::Objective(0), &drop("d")),
        Err(InsertError::NotAMapping(_))
    ));
    assert!(matches!(
        insert(
            "objectives:\n  - id: o\n    key_results:\n      - id: k\n        revisions: 3\n",
            Item::KeyResult(0, 0),
            &revision(1.0, "r")
        ),
        Err(InsertError::NotAList(_))
    ));
    assert_eq!(
        insert("objectives: [", Item::Objective(0), &drop("d")),
        Err(InsertError::NotYaml)
    );
}

#[test]
fn items_are_located_by_their_ids() {
    assert_eq!(locate(BLOCK, "second", None), Ok(Item::Objective(1)));
    assert_eq!(
        locate(BLOCK, "onboarding", Some("guide")),
        Ok(Item::KeyResult(0, 1))
    );
    assert_eq!(
        locate(BLOCK, "second", Some("a")),
        Ok(Item::KeyResult(1, 0))
    );
    assert!(matches!(
        locate(BLOCK, "second", Some("guide")),
        Err(InsertError::NoItem(_))
    ));
    assert!(matches!(
        locate("a: [", "o", None),
        Err(InsertError::NoItem(_))
    ));
}

/// An item written once and used twice (an alias) cannot change in one place only: nothing
/// is inserted, and the message gives the entry to add by hand.
#[test]
fn a_layout_that_one_insertion_cannot_serve_is_refused() {
    let old = "shared: &o\n  id: o\n  title: O\nobjectives:\n  - *o\n";
    match insert(old, Item::Objective(0), &drop("d")) {
        Err(e @ InsertError::Layout(..)) => assert!(
            e.to_string()
                .contains("add `dropped: { date: 2026-11-02, reason: \"d\" }` to it by hand"),
            "{e}"
        ),
        other => panic!("{other:?}"),
    }
}
