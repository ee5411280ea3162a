use super::*;
use crate::load::parse_file;

fn ck(note: Option<&str>) -> NewCheckin {
    NewCheckin {
        reference: "growth/onboarding/completion".to_owned(),
        date: Date::parse("2026-11-20").unwrap(),
        obs: Observation::Value(75.0),
        confidence: Some(0.6),
        note: note.map(str::to_owned),
        by: None,
        correction: None,
    }
}

/// Parses `text` with the project's loader and returns its top-level check-ins.
fn read_back(text: &str) -> Vec<RawCheckin> {
    let (file, diags) = parse_file(0, text);
    assert!(diags.is_empty(), "{text}\n{diags:?}");
    file.expect("a file").checkins.expect("checkins")
}

#[test]
fn the_line_reads_as_written() {
    assert_eq!(
        ck(Some("new FAQ live")).flow().unwrap(),
        "{ ref: growth/onboarding/completion, date: 2026-11-20, value: 75, confidence: 0.6, note: new FAQ live }"
    );
    let done = NewCheckin {
        obs: Observation::Done(true),
        confidence: None,
        by: Some("alice".to_owned()),
        ..ck(None)
    };
    assert_eq!(
        done.flow().unwrap(),
        "{ ref: growth/onboarding/completion, date: 2026-11-20, done: true, by: alice }"
    );
    assert_eq!(done.value_text(), "done");
    let fix = NewCheckin {
        correction: Some("typo: 75 for 57".to_owned()),
        ..ck(None)
    };
    assert_eq!(
        fix.flow().unwrap(),
        "{ ref: growth/onboarding/completion, date: 2026-11-20, value: 75, confidence: 0.6, correction: \"typo: 75 for 57\" }"
    );
}

#[test]
fn awkward_strings_round_trip_through_the_loader() {
    let strings = [
        "plain words",
        "# not a comment",
        "key: value",
        "a, b, c",
        "{braces} and [brackets]",
        "  leading and trailing  ",
        "trailing ",
        "say \"hi\"",
        "back\\slash",
        "line one\nline two",
        "tab\there",
        "true",
        "No",
        "null",
        "~",
        "42",
        "0.5",
        "1e3",
        ".inf",
        "-dash first",
        "- list-like",
        "? question",
        "& anchor",
        "* alias",
        "! tag",
        "| block",
        "> folded",
        "% directive",
        "@ at",
        "` backtick",
        "'single'",
        "don't",
        "café ünïcode ✓",
        "",
        "\u{2028}separator\u{85}next",
        "bell\u{7}",
        "a: b # c",
    ];
    for s in strings {
        let c = NewCheckin {
            by: Some(s.to_owned()),
            correction: Some(s.to_owned()),
            ..ck(Some(s))
        };
        let text = append(None, &c).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        let back = read_back(&text);
        assert_eq!(back.len(), 1, "{s:?}");
        assert_eq!(back[0].note().unwrap().value, s, "{text}");
        assert_eq!(back[0].by().unwrap().value, s, "{text}");
        assert_eq!(back[0].correction().unwrap().value, s, "{text}");
        assert_eq!(text.lines().count(), HEADER.lines().count() + 1, "{text}");
    }
}

#[test]
fn numbers_round_trip_through_the_loader() {
    let values = [
        0.0,
        75.0,
        -3.0,
        0.6,
        0.1 + 0.2,
        1200.5,
        1e15,
        123456789012345680.0,
        1e300,
        -1e300,
        f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
        1.5e-7,
        std::f64::consts::PI,
    ];
    for v in values {
        let text = number(v).unwrap();
        assert!(!text.contains("inf") && text.len() < 30, "{v}: {text}");
        let c = NewCheckin {
            obs: Observation::Value(v),
            confidence: Some(v),
            ..ck(None)
        };
        let back = read_back(&append(None, &c).unwrap());
        assert_eq!(back[0].value.as_ref().unwrap().value, v, "{v}: {text}");
        assert_eq!(back[0].confidence().unwrap().value, v, "{v}: {text}");
    }
    assert_eq!(number(75.0).unwrap(), "75");
    assert_eq!(number(0.6).unwrap(), "0.6");
    assert_eq!(number(f64::NAN), None);
    assert_eq!(number(f64::INFINITY), None);
    assert_eq!(
        append(
            None,
            &NewCheckin {
                obs: Observation::Value(f64::INFINITY),
                ..ck(None)
            }
        ),
        Err(AppendError::NotFinite)
    );
}

#[test]
fn appending_keeps_every_byte_and_follows_the_indentation() {
    let old = "# my log\ncheckins:   # keep me\n- { ref: a/b, date: 2026-10-01, value: 1 }   # odd spacing\n\n# trailing comment";
    let new = append(Some(old), &ck(None)).unwrap();
    assert!(new.starts_with(old));
    assert_eq!(
        &new[old.len()..],
        "\n- { ref: growth/onboarding/completion, date: 2026-11-20, value: 75, confidence: 0.6 }\n"
    );
    assert_eq!(read_back(&new).len(), 2);

    let crlf = "checkins:\r\n    - { ref: a/b, date: 2026-10-01, value: 1 }\r\n";
    let new = append(Some(crlf), &ck(None)).unwrap();
    assert!(new.starts_with(crlf));
    assert!(new[crlf.len()..].starts_with("    - { ref: growth"));
    assert!(new.ends_with(" }\r\n"));

    let bare = "checkins:\n";
    assert_eq!(
        append(Some(bare), &ck(None)).unwrap(),
        "checkins:\n  - { ref: growth/onboarding/completion, date: 2026-11-20, value: 75, confidence: 0.6 }\n"
    );
}

#[test]
fn logs_that_cannot_take_a_line_are_refused() {
    let c = ck(None);
    assert_eq!(
        append(Some("checkins: []\n"), &c),
        Err(AppendError::InlineList)
    );
    assert_eq!(
        append(Some("team: growth\nkpis: []\n"), &c),
        Err(AppendError::NoCheckinsKey)
    );
    let not_last = "checkins:\n  - { ref: a/b, date: 2026-10-01, value: 1 }\nteam: growth\nkpis:\n  - id: churn\n";
    assert_eq!(append(Some(not_last), &c), Err(AppendError::NotLast));
    let block_items = "checkins:\n  - ref: a/b\n    date: 2026-10-01\n    value: 1\n";
    let new = append(Some(block_items), &c).unwrap();
    assert_eq!(read_back(&new).len(), 2);
}

#[test]
fn the_overlay_lists_and_reads_the_new_log() {
    struct Empty;
    impl Source for Empty {
        fn walk(&self, _: &[String], _: usize) -> io::Result<Vec<Entry>> {
            Ok(vec![Entry::File("goals/a.yaml".to_owned())])
        }
        fn read(&self, _: &str, _: u64) -> io::Result<Read> {
            Ok(Read::Missing)
        }
        fn describe(&self) -> String {
            "empty".to_owned()
        }
    }
    let o = Overlay {
        inner: &Empty,
        path: "goals/log/checkins.yaml".to_owned(),
        bytes: b"checkins:\n".to_vec(),
    };
    let listed = |root: &str| -> Vec<String> {
        o.walk(&[root.to_owned()], 100)
            .unwrap()
            .into_iter()
            .map(|e| e.path().to_owned())
            .collect()
    };
    assert_eq!(listed("goals"), ["goals/a.yaml", "goals/log/checkins.yaml"]);
    assert_eq!(listed("goals/"), listed("goals"));
    assert_eq!(listed("go"), ["goals/a.yaml"]);
    assert!(
        matches!(o.read("goals/log/checkins.yaml", 100), Ok(Read::Bytes(b)) if b == b"checkins:\n")
    );
    assert!(matches!(
        o.read("goals/log/checkins.yaml", 3),
        Ok(Read::TooLarge(10))
    ));
    assert!(is_walked("goals/checkins.yaml", "goals"));
    assert!(is_walked("goals/log/checkins.yml", "goals/"));
    assert!(!is_walked("goals/.hidden/checkins.yaml", "goals"));
    assert!(!is_walked("goals/checkins.txt", "goals"));
    assert!(!is_walked("goalsx/checkins.yaml", "goals"));
    assert!(is_walked("goals/checkins.yaml", "./goals/."));
    assert!(is_walked("goals/checkins.yaml", "."));
}

#[test]
fn lines_end_where_yaml_ends_them() {
    assert_eq!(yaml_lines("a\r\nb\rc\nd"), ["a", "b", "c", "d"]);
    assert_eq!(yaml_lines("a\n"), ["a"]);
    assert!(yaml_lines("").is_empty());
    assert_eq!(line_count("checkins:\r  - x\r"), 2);
    // A log with CR line endings gets a CR-ended line, and reads back with it.
    let cr = "checkins:\r  - { ref: a/b, date: 2026-10-01, value: 1 }\r";
    let out = append(Some(cr), &ck(None)).unwrap();
    assert_eq!(
        out,
        format!(
            "{cr}  - {{ ref: growth/onboarding/completion, date: 2026-11-20, value: 75, confidence: 0.6 }}\r"
        )
    );
}

#[test]
fn many_check_ins_are_appended_in_order_as_one_line_each() {
    let old = "checkins:\n    - { ref: a/b, date: 2026-10-01, value: 1 }\n";
    let cs: Vec<NewCheckin> = (0..3)
        .map(|i| NewCheckin {
            obs: Observation::Value(f64::from(i)),
            ..ck(None)
        })
        .collect();
    let new = append_many(Some(old), &cs).unwrap();
    assert!(new.starts_with(old));
    assert_eq!(line_count(&new), 5);
    let back = read_back(&new);
    assert_eq!(back.len(), 4);
    for (i, b) in back[1..].iter().enumerate() {
        assert_eq!(b.value.as_ref().unwrap().value, i as f64);
    }
    assert!(new.lines().skip(1).all(|l| l.starts_with("    - { ref: ")));
    assert_eq!(append_many(None, &cs).unwrap().lines().count(), 4 + 3);
    let bad = [
        ck(None),
        NewCheckin {
            obs: Observation::Value(f64::NAN),
            ..ck(None)
        },
    ];
    assert_eq!(append_many(Some(old), &bad), Err(AppendError::NotFinite));
}

/// A log saved with a byte-order mark (the loader reads it without) takes check-ins as any
/// other: its first line is `checkins:`, not a line that merely lacks the key.
#[test]
fn a_log_that_starts_with_a_byte_order_mark_takes_check_ins() {
    let old = "\u{feff}checkins:\n  - { ref: a/b, date: 2026-10-01, value: 1 }\n";
    let new = append_many(Some(old), &[ck(None)]).expect("appended");
    assert!(new.starts_with(old));
    assert_eq!(line_count(&new), 3);
    assert_eq!(read_back(new.trim_start_matches('\u{feff}')).len(), 2);
}

#[test]
fn a_correction_is_written_as_its_own_key() {
    let c = NewCheckin {
        correction: Some("typo: 75, not 57".to_owned()),
        confidence: None,
        ..ck(None)
    };
    assert_eq!(
        c.flow().unwrap(),
        "{ ref: growth/onboarding/completion, date: 2026-11-20, value: 75, correction: \"typo: 75, not 57\" }"
    );
}

/// A log that the rows would take past the loader's bound on a goal file is refused as too
/// large, naming the bound and how to split the log; it used to be told that `checkins:` was
/// not the last key of the file, which it was.
#[test]
fn a_log_the_rows_would_take_past_the_size_bound_is_refused_as_too_large() {
    let line = format!("  - {}\n", ck(None).flow().unwrap());
    let max = crate::load::MAX_FILE_BYTES as usize;
    let mut text = String::from("checkins:\n");
    while text.len() + line.len() <= max {
        text.push_str(&line);
    }
    // Just within the bound: the loader reads it.
    assert!(parse_file(0, &text).0.is_some());
    let rows = vec![ck(Some("one more")); 3];
    match append_many(Some(&text), &rows) {
        Err(e @ AppendError::TooLarge { .. }) => {
            let said = e.to_string();
            assert!(said.contains(&max.to_string()), "{said}");
            assert!(said.contains("checkin_log"), "{said}");
        }
        other => panic!("not refused as too large: {:?}", other.map(|t| t.len())),
    }
}
