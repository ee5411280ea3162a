use super::*;

/// Check-ins from small numbers: a ref, days after 2026-01-01, a value.
fn ids(list: impl IntoIterator<Item = (u32, i32, u64)>) -> Vec<Identity> {
    let start = Date::from_ymd(2026, 1, 1).expect("a date");
    list.into_iter()
        .map(|(r, d, v)| (r, start.add_days(i64::from(d)), ObsKey::Value(v)))
        .collect()
}

proptest::proptest! {
    /// Two sorted lists merged are the two together, sorted, each check-in once.
    #[test]
    fn merged_lists_are_the_sorted_union(
        a in proptest::collection::btree_set((0u32..4, 0i32..6, 0u64..3), 0..12),
        b in proptest::collection::vec((0u32..4, 0i32..6, 0u64..3), 0..12),
    ) {
        let a: Vec<Identity> = ids(a);
        let mut b: Vec<Identity> = ids(b);
        b.sort_unstable();
        let mut want: Vec<Identity> = a.iter().chain(&b).copied().collect();
        want.sort_unstable();
        want.dedup();
        proptest::prop_assert_eq!(merged(&a, &b), want);
    }

    /// Two sorted lists without repeats as one sorted list, or `None` when they share
    /// a check-in: what sorting them together and looking for neighbours says.
    #[test]
    fn a_disjoint_union_is_the_sorted_concatenation(
        a in proptest::collection::btree_set((0u32..4, 0i32..6, 0u64..3), 0..12),
        b in proptest::collection::btree_set((0u32..4, 0i32..6, 0u64..3), 0..12),
    ) {
        let a: Vec<Identity> = ids(a);
        let b: Vec<Identity> = ids(b);
        let mut want: Vec<Identity> = a.iter().chain(&b).copied().collect();
        want.sort_unstable();
        let want = (!want.windows(2).any(|w| w[0] == w[1])).then_some(want);
        proptest::prop_assert_eq!(disjoint_union(&a, &b), want);
    }
}

/// A KPI file of `items` KPIs, each with its inline check-ins: one a line at `indent`
/// (`None`: the list written `[]`), a block-style one among them when `block`.
fn kpis(items: &[(Option<usize>, u8, bool)]) -> String {
    goals(items, false)
}

/// [`kpis`], or with `okrs` an objective's key results written alike, four spaces deeper.
fn goals(items: &[(Option<usize>, u8, bool)], okrs: bool) -> String {
    let (mut out, base) = match okrs {
        false => (String::from("team: t\nkpis:\n"), ""),
        true => (
            String::from(
                "team: t\nperiod: 2026-Q1\nobjectives:\n  - id: o\n    title: O\n    key_results:\n",
            ),
            "    ",
        ),
    };
    for (k, (indent, n, block)) in items.iter().enumerate() {
        out.push_str(&format!(
            "{base}  - id: k{k}\n{base}    title: K{k}\n{base}    unit: x\n"
        ));
        match indent {
            None => out.push_str(&format!("{base}    checkins: []\n")),
            Some(indent) => {
                out.push_str(&format!("{base}    checkins:\n"));
                let pad = format!("{base}{}", " ".repeat(*indent));
                for d in 0..*n {
                    if *block && d == 1 {
                        out.push_str(&format!(
                            "{pad}- date: 2026-01-{:02}\n{pad}  value: {d}\n",
                            d + 1
                        ));
                    } else {
                        out.push_str(&format!(
                            "{pad}- {{ date: 2026-01-{:02}, value: {d} }}\n",
                            d + 1
                        ));
                    }
                }
                if *n == 0 {
                    out.push_str(&format!(
                        "{pad}- {{ date: 2026-02-01, value: 9 }}  # first\n"
                    ));
                }
            }
        }
        out.push_str(&format!("{base}    owner: ann\n"));
    }
    out
}

/// `text` with some of its `checkins: []` lines filled in (`fills`: which one, counted
/// round, and the lines written below `checkins:`), each line indented by `base` more.
fn filled(text: &str, fills: &[(usize, Vec<String>)], base: &str) -> String {
    let empty = |l: &str| l.trim_start().starts_with("checkins: []");
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let count = lines.iter().filter(|l| empty(l)).count();
    let mut out = String::new();
    let mut k = 0;
    for line in lines {
        if !empty(line) {
            out.push_str(line);
            continue;
        }
        let fill = fills.iter().find(|f| count > 0 && f.0 % count == k);
        k += 1;
        match fill {
            None => out.push_str(line),
            Some((_, new)) => {
                out.push_str(&line.replace(" []", ""));
                for l in new {
                    out.push_str(base);
                    out.push_str(l);
                }
            }
        }
    }
    out
}

/// `text` with each of `inserts` (a line number, its text) inserted before that line
/// (past the last: at the end); lines taken in order of their number.
fn with_lines(text: &str, inserts: &[(usize, String)]) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::new();
    for (n, line) in lines.iter().enumerate() {
        for (_, ins) in inserts.iter().filter(|i| i.0 == n) {
            out.push_str(ins);
        }
        out.push_str(line);
    }
    for (_, ins) in inserts.iter().filter(|i| i.0 >= lines.len()) {
        out.push_str(ins);
    }
    out
}

/// Lines a commit may insert: check-ins at the indents in use and others, a check-in with a
/// ref, a correction, a comment, a key, a broken one.
fn line() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    (
        proptest::sample::select(vec![4usize, 6, 6, 6, 8]),
        0u8..30,
        proptest::sample::select(vec![
            "- { date: 2026-03-DD, value: 1.5 }",
            "- { date: 2026-03-DD, value: 2, confidence: 0.5 }",
            "- { date: 2026-03-DD, value: 2, note: \"a } b\" }  # c",
            "- { ref: t/k0, date: 2026-03-DD, value: 3 }",
            "- { date: 2026-03-DD, value: 4, correction: 2026-01-01 }",
            "- { date: 2026-01-01, value: 0 }",
            "# a comment",
            "x: 1",
            "- { date: 2026-03-DD, value: '",
        ]),
    )
        .prop_map(|(indent, day, l)| {
            format!(
                "{}{}\n",
                " ".repeat(indent),
                l.replace("DD", &format!("{:02}", day % 28 + 1))
            )
        })
}

/// Insertions at line numbers mostly at or after a one-line check-in of `text` (where they
/// may be read from their lines), sorted.
fn near_checkins(text: &str, mut inserts: Vec<(usize, String)>) -> Vec<(usize, String)> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let near: Vec<usize> = (0..=lines.len())
        .filter(|&n| {
            let is = |n: usize| lines.get(n).is_some_and(|l| l.contains("- {"));
            is(n) || (n > 0 && is(n - 1))
        })
        .collect();
    for i in &mut inserts {
        if i.0 % 4 != 0 && !near.is_empty() {
            i.0 = near[i.0 % near.len()];
        }
    }
    inserts.sort_by_key(|i| i.0);
    inserts
}

/// The facts a full parse gives.
fn parsed(refs: &mut Names, keys: &mut Names, text: &str) -> Option<Facts> {
    let raw = crate::load::parse_file(0, text).0?;
    Some(file_facts(refs, keys, &raw, text))
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
    /// A version read from the lines a commit inserted has the check-ins a full parse finds
    /// in it, and so has the next version read from its lines with the anchors that gave:
    /// lines inserted before, among and after an item's inline check-ins at their indent.
    #[test]
    fn inserted_lines_read_as_the_whole_file(
        items in proptest::collection::vec(
            (proptest::option::weighted(0.85, proptest::sample::select(vec![4usize, 6])), 0u8..4, proptest::bool::weighted(0.2)),
            1..4,
        ),
        first in proptest::collection::vec((0usize..40, line()), 0..4),
        second in proptest::collection::vec((0usize..40, line()), 0..4),
    ) {
        let a = kpis(&items);
        let b = with_lines(&a, &near_checkins(&a, first));
        read_as_parsed(&a, &b, |b| with_lines(b, &near_checkins(b, second.clone())))?;
    }
}

/// Checks that `b`, and then the version `next` makes of it, read from their lines (where
/// they can be) have the check-ins a full parse finds in them, and that the places found
/// are those a parse gives: every one a place to insert at.
fn read_as_parsed(
    a: &str,
    b: &str,
    next: impl Fn(&str) -> String,
) -> Result<(), proptest::test_runner::TestCaseError> {
    let (mut refs, mut keys) = (Names::default(), Names::default());
    let before = parsed(&mut refs, &mut keys, a).expect("the file parses");
    let Some(after) = parsed(&mut refs, &mut keys, b) else {
        return Ok(());
    };
    let Some((found, places)) = inserted(&before.places, a.as_bytes(), b.as_bytes()) else {
        return Ok(());
    };
    proptest::prop_assert_eq!(&merged(&before.checkins, &found), &after.checkins);
    proptest::prop_assert_eq!(&places, &after.places);
    let c = next(b);
    let Some(last) = parsed(&mut refs, &mut keys, &c) else {
        return Ok(());
    };
    if let Some((more, then)) = inserted(&places, b.as_bytes(), c.as_bytes()) {
        proptest::prop_assert_eq!(&merged(&after.checkins, &more), &last.checkins);
        proptest::prop_assert_eq!(&then, &last.places);
    }
    Ok(())
}

#[test]
fn a_week_caught_up_is_read_from_its_lines() {
    let (mut refs, mut keys) = (Names::default(), Names::default());
    let a = kpis(&[(Some(6), 3, false), (Some(6), 2, false)]);
    let before = parsed(&mut refs, &mut keys, &a).unwrap();
    // Before the first, between two, after the last of an item.
    let at = |needle: &str| {
        a.split_inclusive('\n')
            .position(|l| l.contains(needle))
            .unwrap()
    };
    let b = with_lines(
        &a,
        &[
            (
                at("2026-01-01"),
                "      - { date: 2025-12-25, value: 7 }\n".to_owned(),
            ),
            (
                at("2026-01-03"),
                "      - { date: 2026-01-02, value: 8.5 }\n".to_owned(),
            ),
        ],
    );
    let (found, places) =
        inserted(&before.places, a.as_bytes(), b.as_bytes()).expect("read from lines");
    let after = parsed(&mut refs, &mut keys, &b).unwrap();
    assert_eq!(merged(&before.checkins, &found), after.checkins);
    assert_eq!(found.len(), 2);
    // The anchors that gave are those a parse gives.
    assert_eq!(places, after.places);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
    /// Empty lists filled in (with lines inserted elsewhere in the same commit, or not) are
    /// read from the lines as a full parse reads the file, KPIs' and key results' alike, and
    /// the places that gives are a parse's; so is the next version, read from its lines.
    #[test]
    fn empty_lists_filled_in_read_as_the_whole_file(
        items in proptest::collection::vec(
            (proptest::option::weighted(0.5, proptest::sample::select(vec![4usize, 6])), 0u8..3, proptest::bool::weighted(0.1)),
            1..4,
        ),
        okrs: bool,
        fills in proptest::collection::vec((0usize..4, proptest::collection::vec(line(), 0..3)), 0..3),
        first in proptest::collection::vec((0usize..40, line()), 0..2),
        second in proptest::collection::vec((0usize..40, line()), 0..3),
        more_fills in proptest::collection::vec((0usize..4, proptest::collection::vec(line(), 1..3)), 0..2),
    ) {
        let base = if okrs { "    " } else { "" };
        let deeper = |v: Vec<(usize, String)>| -> Vec<(usize, String)> {
            v.into_iter().map(|(n, l)| (n, format!("{base}{l}"))).collect()
        };
        let a = goals(&items, okrs);
        let b = filled(&with_lines(&a, &near_checkins(&a, deeper(first))), &fills, base);
        read_as_parsed(&a, &b, |b| {
            filled(&with_lines(b, &near_checkins(b, deeper(second.clone()))), &more_fills, base)
        })?;
    }
}

#[test]
fn a_first_week_fills_empty_lists_from_its_lines() {
    for okrs in [false, true] {
        let base = if okrs { "    " } else { "" };
        let (mut refs, mut keys) = (Names::default(), Names::default());
        let a = goals(
            &[(None, 0, false), (Some(6), 1, false), (None, 0, false)],
            okrs,
        );
        let before = parsed(&mut refs, &mut keys, &a).unwrap();
        assert_eq!(before.places.empties.len(), 2, "{a}");
        let b = filled(
            &a,
            &[
                (
                    0,
                    vec!["      - { date: 2026-03-06, value: 1 }\n".to_owned()],
                ),
                (
                    1,
                    vec![
                        "      - { date: 2026-03-06, value: 2 }\n".to_owned(),
                        "      - { date: 2026-03-07, value: 3 }\n".to_owned(),
                    ],
                ),
            ],
            base,
        );
        let (found, places) =
            inserted(&before.places, a.as_bytes(), b.as_bytes()).expect("read from lines");
        let after = parsed(&mut refs, &mut keys, &b).unwrap();
        assert_eq!(found.len(), 3);
        assert_eq!(merged(&before.checkins, &found), after.checkins);
        assert_eq!(places, after.places);
        assert!(places.empties.is_empty());
        // Not at the key's indent (a sequence there is read the same, but is not taken),
        // and not left without check-ins.
        for lines in [
            vec![format!("{base}    - {{ date: 2026-03-06, value: 1 }}\n")],
            vec![],
        ] {
            let b = filled(&a, &[(0, lines)], "");
            assert!(
                inserted(&before.places, a.as_bytes(), b.as_bytes()).is_none(),
                "{b}"
            );
        }
    }
}

#[test]
fn an_empty_list_is_a_place_only_where_filling_it_in_changes_nothing_else() {
    let place = |text: &str| {
        let (mut refs, mut keys) = (Names::default(), Names::default());
        parsed(&mut refs, &mut keys, text)
            .unwrap()
            .places
            .empties
            .len()
    };
    let kpi = |rest: &str| format!("team: t\nkpis:\n  - id: k\n    title: K\n{rest}");
    assert_eq!(place(&kpi("    checkins: []\n    owner: ann\n")), 1);
    assert_eq!(
        place(&kpi("    checkins:   []  \n\n    # c\n  - id: j\n")),
        1
    );
    assert_eq!(place(&kpi("    checkins: []\n")), 1);
    for rest in [
        // A comment, a tag or an anchor on the line; no line break; a flow mapping; the
        // key first in its entry; carriage returns.
        "    checkins: [] # none\n",
        "    checkins: !!seq []\n",
        "    checkins: &e []\n",
        "    checkins: []",
        "    checkins: []\r\n",
    ] {
        assert_eq!(place(&kpi(rest)), 0, "{rest:?}");
    }
    assert_eq!(
        place("team: t\nkpis:\n  - { id: k, title: K,\n    checkins: []\n    }\n"),
        0
    );
    assert_eq!(place("team: t\nkpis:\n  - checkins: []\n    id: k\n"), 0);
    // One list reached through an alias from two items is not a place.
    let aliased = "team: t\nperiod: 2026-Q1\nobjectives:\n  - id: a\n    title: A\n    key_results: &krs\n      - id: k\n        title: K\n        start: 0\n        target: 1\n        checkins: []\n  - id: b\n    title: B\n    key_results: *krs\n";
    assert_eq!(place(aliased), 0);
}

#[test]
fn a_list_reached_through_an_alias_is_not_read_from_inserted_lines() {
    // Lines inserted into `a`'s check-ins are `b`'s too: a full parse gives both refs them.
    let a = "team: t\nkpis:\n  - id: a\n    title: A\n    checkins: &l\n      - { date: 2026-01-01, value: 1 }\n  - id: b\n    title: B\n    checkins: *l\n";
    let b = a.replace(
        "value: 1 }\n",
        "value: 1 }\n      - { date: 2026-01-02, value: 2 }\n",
    );
    let (mut refs, mut keys) = (Names::default(), Names::default());
    let before = parsed(&mut refs, &mut keys, a).unwrap();
    let after = parsed(&mut refs, &mut keys, &b).unwrap();
    assert_eq!(after.checkins.len(), 4);
    if let Some((found, _)) = inserted(&before.places, a.as_bytes(), b.as_bytes()) {
        assert_eq!(merged(&before.checkins, &found), after.checkins);
    }
}
