//! A narrowed log must parse to exactly what the whole log keeps for the teams asked for:
//! the same check-ins at the same places, the same diagnostics.

use super::*;
use crate::load::{Parsed, parse_and_lower};
use crate::model::Ref;
use proptest::prelude::*;

/// What a load of `teams` keeps of a parse of the log.
fn kept(mut parsed: Parsed, teams: &[String]) -> String {
    if let Some(f) = &mut parsed.0
        && let Some(checkins) = &mut f.checkins
    {
        checkins.retain(|c| !of_other_team(c, teams));
    }
    format!("{parsed:?}")
}

/// Parses `text` whole and narrowed, and checks that the two keep the same; returns whether
/// it was narrowed.
fn same_either_way(text: &str, teams: &[String]) -> bool {
    let whole = kept(parse_and_lower(0, text), teams);
    let narrowed = other_teams_blanked(text, teams);
    if let Some(n) = &narrowed {
        assert_eq!(n.len(), text.len());
        assert_eq!(n.lines().count(), text.lines().count());
        assert_eq!(kept(parse_and_lower(0, n), teams), whole, "{text}");
    }
    narrowed.is_some()
}

fn teams(t: &[&str]) -> Vec<String> {
    t.iter().map(|s| s.to_string()).collect()
}

#[test]
fn rows_of_other_teams_are_blanked_in_place() {
    let text = "# the log\n\ncheckins:\n  - { ref: a/o/k, date: 2026-11-01, value: 1 }\n  - { ref: b/churn, date: 2026-11-02, value: -2.5, note: logged }  # Q4\n\n  # a comment\n  - { ref: a/churn, date: 2026-11-03, value: 3, by: \"Ann: #1\" }\n";
    let n = other_teams_blanked(text, &teams(&["a"])).expect("narrowed");
    let b = "  - { ref: b/churn, date: 2026-11-02, value: -2.5, note: logged }  # Q4";
    assert_eq!(n, text.replace(b, &" ".repeat(b.len())));
    assert!(same_either_way(text, &teams(&["a"])));
    // Every row another team's: the first is kept, so that `checkins:` stays a list.
    let n = other_teams_blanked(text, &teams(&["c"])).expect("narrowed");
    assert!(n.contains("a/o/k") && !n.contains("b/churn") && !n.contains("a/churn"));
    assert!(same_either_way(text, &teams(&["c"])));
    // Nothing to leave out.
    assert_eq!(other_teams_blanked(text, &teams(&["a", "b"])), None);
}

#[test]
fn a_log_not_in_the_plain_form_is_parsed_whole() {
    let row = "  - { ref: b/x, date: 2026-11-02, value: 2 }\n";
    let cases = [
        // A row of `a` whose quoted note runs onto the next line, which looks like a row.
        format!("checkins:\n  - {{ ref: a/x, date: 2026-11-01, value: 1, note: \"x\n{row}  }}\n"),
        // Block style, an escape, a tab, a carriage return, another key, another indent.
        format!("checkins:\n  - ref: a/x\n    date: 2026-11-01\n{row}"),
        format!("checkins:\n  - {{ ref: a/x, note: \"\\u0041\" }}\n{row}"),
        format!("checkins:\n  - {{ ref: a/x,\tdate: 2026-11-01 }}\n{row}"),
        format!("checkins:\r\n{row}"),
        format!("team: a\ncheckins:\n{row}"),
        format!("checkins:\n    - {{ ref: a/x }}\n{row}"),
        format!("checkins: # the log\n{row}"),
        format!("checkins:\n{row}  - {{ ref: a/x, value: 1, value: 2 }}\n"),
        format!("checkins:\n{row}  - {{ ref: a/x, value: 01 }}\n"),
        format!("checkins:\n{row}  - {{ ref: a/x, note: true }}\n"),
        format!("checkins:\n{row}  - {{ ref: a/x, note: x }}# no space\n"),
        format!("checkins:\n{row}  - {{ ref: a/x, date: 2026-11-01, value: 1, }}\n"),
        format!("checkins:\n{row}...\n"),
    ];
    for text in &cases {
        assert_eq!(other_teams_blanked(text, &teams(&["a"])), None, "{text}");
        same_either_way(text, &teams(&["a"]));
    }
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(KEYS.iter().map(|(k, _)| k.to_string()).collect::<Vec<_>>()),
        1 => prop::sample::select(vec!["refs", "Date", "ref ", " date", "id", ""])
            .prop_map(str::to_owned),
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-c][a-c0-9_-]{0,3}(/[a-cA_.0-9-]{0,3}){0,3}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        "[0-9-]{1,11}",
        "-?[0-9]{1,3}(\\.[0-9]{0,3})?",
        "0[0-9]",
        prop::sample::select(vec![
            "true", "false", "True", "null", "~", "nan", ".inf", "yes"
        ])
        .prop_map(str::to_owned),
        "[A-Za-z][a-z ._-]{0,6}",
        "[a-z #:,{}\\[\\]&*!|>'%@`-]{1,6}",
        "\"[a-z #:,{}'\\\\]{0,6}\"",
        "'[a-z #:,\"]{0,6}'",
    ]
}

/// A row in or near the plain form: keys and values of every kind, some misspelt or
/// written in ways the plain form does not take, with spaces and commas moved about.
fn row() -> impl Strategy<Value = String> {
    let pair = || {
        (
            key(),
            value(),
            prop::sample::select(vec![", ", ",", " ,  "]),
        )
    };
    let first = prop_oneof![
        4 => ("[a-c][a-c0-9_-]{0,3}/[a-c0-9]{1,3}(/[a-c0-9]{1,2})?", prop::sample::select(vec![", ", ","]))
            .prop_map(|(r, sep)| ("ref".to_owned(), r, sep)),
        1 => pair(),
    ];
    let note = (
        prop::sample::select(vec!["note", "by", "correction"]),
        "[a-z][a-z #:,{}'\\\"-]{0,5}",
        Just(", "),
    )
        .prop_map(|(k, v, sep)| (k.to_owned(), v, sep));
    let more = prop::collection::vec(prop_oneof![2 => pair(), 1 => note], 0..4);
    (
        (first, more).prop_map(|(f, mut more)| {
            more.insert(0, f);
            more
        }),
        prop::sample::select(vec!["- { ", "- {", "-  { ", "- [ "]),
        prop::sample::select(vec![" }", "}", "  }", " },", " } x"]),
        prop::sample::select(vec!["", "  # Q4: {x}", " #", "#x", "   "]),
    )
        .prop_map(|(pairs, open, close, comment)| {
            let mut s = open.to_owned();
            for (i, (k, v, sep)) in pairs.iter().enumerate() {
                if i > 0 {
                    s.push_str(sep);
                }
                s.push_str(&format!("{k}: {v}"));
            }
            s.push_str(close);
            s.push_str(comment);
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// A row this module reads parses alone without a diagnostic, to one check-in whose
    /// ref is the one read.
    #[test]
    fn a_plain_row_parses_without_a_diagnostic(row in row()) {
        if let Some(reference) = row_ref(row.as_bytes()) {
            let (raw, diags) = parse_and_lower(0, &format!("checkins:\n  {row}\n"));
            prop_assert!(diags.is_empty(), "{row}: {diags:?}");
            let checkins = raw.and_then(|f| f.checkins).unwrap_or_default();
            prop_assert_eq!(checkins.len(), 1, "{}", row);
            let read = checkins[0].reference().map(|r| r.value.clone());
            prop_assert_eq!(read.as_deref(), Some(reference), "{}", row);
        }
    }

    /// Told without building a `Ref`, as `Ref`'s parser tells it: a ref of this
    /// repository (not an upstream's) whose team is not one of those asked for.
    #[test]
    fn refs_are_told_as_the_parser_tells_them(
        r in "([a-c]{1,2}:)?[a-cA_.0-9-]{0,4}(/[a-cA_.0-9-]{0,4}){0,4}",
        ask in prop::sample::select(vec![vec!["a"], vec!["b", "a-1"], vec![]]),
    ) {
        let ask = teams(&ask);
        let parsed = r.parse::<Ref>().is_ok_and(|r| {
            r.upstream().is_none() && !ask.iter().any(|t| t == r.team())
        });
        prop_assert_eq!(other_team(&r, &ask), parsed, "{}", r);
    }

    /// Logs of rows in and near the plain form, for several teams, with comments, blank
    /// lines and now and then a block-style check-in: narrowed or not, a load of some
    /// teams keeps the same check-ins and diagnostics.
    #[test]
    fn a_narrowed_log_keeps_what_the_whole_log_keeps(
        lines in prop::collection::vec(prop_oneof![
            8 => (prop::sample::select(vec!["a", "b", "c", "a-b", "B", "x:a"]),
                  prop::sample::select(vec!["/o/k", "/churn", "/o", "/o/k/z", "/O"]),
                  prop::sample::select(vec![", date: 2026-11-01, value: 4", ", value: 2.5, note: late", ", date: 2026-13-45", ", done: true, by: \"Ann\"", ""]),
                  prop::sample::select(vec!["", "  # Q4"]))
                .prop_map(|(t, id, rest, c)| format!("  - {{ ref: {t}{id}{rest} }}{c}")),
            1 => row().prop_map(|r| format!("  {r}")),
            1 => prop::sample::select(vec!["", "   ", "  # note", "# top", "  - ref: a/o/k\n    value: 3", "  - { ref: b/o/k, value: 1 }  \n"]).prop_map(str::to_owned),
        ], 0..12),
        header in prop::sample::select(vec!["checkins:", "# log\ncheckins:", "\ncheckins:"]),
        ask in prop::sample::select(vec![vec!["a"], vec!["b"], vec!["a", "c"], vec!["z"]]),
    ) {
        let text = format!("{header}\n{}\n", lines.join("\n"));
        same_either_way(&text, &teams(&ask));
    }
}
