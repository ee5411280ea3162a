//! The fast path must build exactly serde-saphyr's tree (values and every span) or give up;
//! it must never accept a file serde-saphyr rejects.

use super::differential::agrees;
use super::{MAX_NODES, parse};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use std::fmt::Write;

fn yaml_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(p);
        }
    }
}

#[test]
fn agrees_with_serde_saphyr_on_every_example_and_fixture() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    yaml_files(&root.join("examples"), &mut files);
    yaml_files(&root.join("tests/fixtures"), &mut files);
    assert!(files.len() > 20, "{files:?}");
    let mut taken = 0;
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        match agrees(&text) {
            Ok(t) => taken += usize::from(t),
            Err(e) => panic!("{}: {e}", f.display()),
        }
    }
    // The fast path must actually be used on ordinary goal files.
    assert!(taken * 4 > files.len() * 3, "{taken} of {}", files.len());
}

#[test]
fn agrees_on_the_shapes_of_goal_files() {
    let taken = [
        "team: growth   # trailing\nperiod: 2026-Q4\n",
        "a: 1\nb:",
        "a:\nb: 2\n",
        "e:   # comment\nf: x\n",
        "n: 354\nf: -342.9\nz: -0\nzf: -0.0\nbig: 123456789012345678\n",
        "t: true\nf: false\nn: null\nt2: ~\ny: yes\nno: n\noff: on\ni: inf\nnan: nan\n",
        "q: \"quoted: str # x\"\nsq: 'it''s'\ne: ''\n",
        "l: [a, b/c, 3, \"q\", 'r']\nempty: []\nemap: {}\nsp: [ 'x' , \"y\" ]\n",
        "o:\n  - id: a\n    t: Objective 0, with comma\n    k:\n      - { date: 2026-10-02, value: 354 }\n      - {date: 2026-10-09,value: 1}\n  - id: x\n",
        "m:\n  a: 1\n  b:\n    c: x\n\n\n# c\n  # indented comment\nd: 2\n",
        "wide: héllo wörld\nkey: { a: é, b: 1, c: [ü, x] }\né: [ä]\n",
        "s:\n  - [p, q]\n  - {a: 1}\n  - x\n  - 'y'\n",
        "url: http://x.org/a#b\nh: a#b\nd: 2026-11-15\np: 2026-H2\nm: 2026-11\nnote: 14 of 31 done\n",
        "a: 1 # c\nb: [x] # c\nc: {x: 1}   # c\n",
        "dup: 1\ndup: 2\n",
        "k: -5\nf: 0.25\n",
        "nested: [[a, b], {c: [d]}]\n",
        // A KPI's source (SPEC 11): PromQL in a quoted flow value and as a block plain
        // scalar, with the braces, brackets and quotes PromQL is made of.
        "kpis:\n  - id: p95\n    source: { from: prom, query: 'histogram_quantile(0.95, sum by (le) (rate(x_bucket{job=\"api\"}[5m])))' }\n",
        "source:\n  from: prom\n  query: avg_over_time(up{job=\"api\"}[7d]) * 100\n",
        "source: { from: warehouse }\nq: 'it''s {a=\"b\"} [5m]'\n",
        // 40 comment lines where the parser looks ahead (found by fastyaml_agrees: serde-saphyr
        // used to reject this under its default comment budget).
        &format!("k:\n{}  - a\n", "  # c\n".repeat(40)),
    ];
    for t in taken {
        assert_eq!(agrees(t), Ok(true), "{t:?}");
    }
    let left_to_saphyr = [
        "",
        // Merge keys (found by the fastyaml_agrees fuzz target): serde-saphyr expands or
        // rejects them, so the fast path must not read `<<` as a plain key.
        "a:\n  <<: x\n",
        "a: {<<: x}\n",
        "b: &b {x: 1}\na:\n  <<: *b\n",
        "k:\n  - <<: support-tickets\n",
        // Noncharacters YAML does not allow (found by fastyaml_agrees).
        "a: x\u{ffff}\n",
        "a: \u{fffe}\n",
        "a: [\"\u{ffff}\"]\n",
        "# only a comment\n",
        "- a\n- b\n",
        "  a: 1\n",
        "a:\n- x\n",
        "a: &x 1\nb: *x\n",
        "a: !tag x\n",
        "a: |\n  text\n",
        "a: >\n  text\n",
        "a: plain\n  continued\n",
        "a: \"multi\n  line\"\n",
        "a: \"esc\\n\"\n",
        "a: [x,\n  y]\n",
        "a: 007\nb: 1e3\nc: +5\nd: .5\ne: 0x1F\nf: 1_000\ng: .inf\n",
        "a: True\n",
        "a: NULL\n",
        "a: 1\r\nb: 2\r\n",
        "a:\tb\n",
        "---\na: 1\n",
        "a: 1\n---\nb: 2\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: b: c\n",
        "a: [b, c\n",
        "a: {b: 1\n",
        "a: [b,]\n",
        "a: {b}\n",
        "? a\n: b\n",
        "- - x\n",
        "a:\n  -\n    b: 1\n",
        "a: 1\n b: 2\n",
        "a:\n    b: 1\n  c: 2\n",
        "\"a\": 1\n",
        "a: 'x' y\n",
        "a: 12 monkeys:\n",
        "a: 99999999999999999999\n",
        "a b : 1\n",
        "a: x\u{85}y\n",
        "a: 1\0\n",
    ];
    for t in left_to_saphyr {
        assert_eq!(agrees(t), Ok(false), "{t:?}");
    }
}

/// A tree of goal-file-like values.
#[derive(Debug, Clone)]
enum Tree {
    Scalar(&'static str),
    Map(Vec<(&'static str, Tree)>),
    Seq(Vec<Tree>),
}

fn tree() -> impl Strategy<Value = Tree> {
    let scalar = prop::sample::select(vec![
        "",
        "1",
        "-2.5",
        "0.25",
        "007",
        "yes",
        "True",
        "null",
        "~",
        "2026-11-15",
        "2026-Q4",
        "a, b",
        "a: b",
        "'q'",
        "\"d\"",
        "'it''s'",
        "[a, b]",
        "{ a: 1, b: [2] }",
        "[]",
        "{}",
        "x # c",
        "x#y",
        "&a x",
        "*a",
        "|",
        "- z",
        "[a,",
        "é ü",
        "14 of 31",
        "{a: {b: c}}",
        "[x, {y: 1}]",
        "\"a\\tb\"",
        "1e3",
        "-0",
        "0",
        "plain words",
    ])
    .prop_map(Tree::Scalar);
    let key = prop::sample::select(vec!["id", "title", "a b", "n", "é", "true", "1", "k"]);
    scalar.prop_recursive(4, 40, 5, move |inner| {
        prop_oneof![
            prop::collection::vec((key.clone(), inner.clone()), 1..5).prop_map(Tree::Map),
            prop::collection::vec(inner, 1..5).prop_map(Tree::Seq),
        ]
    })
}

/// Renders a tree in block style, indenting nested blocks by `step`.
fn render(t: &Tree, indent: usize, step: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match t {
        Tree::Scalar(s) => {
            let _ = writeln!(out, "{pad}{s}");
        }
        Tree::Map(entries) => {
            for (k, v) in entries {
                match v {
                    Tree::Scalar(s) => {
                        let _ = writeln!(out, "{pad}{k}: {s}");
                    }
                    _ => {
                        let _ = writeln!(out, "{pad}{k}:");
                        render(v, indent + step, step, out);
                    }
                }
            }
        }
        Tree::Seq(items) => {
            for item in items {
                let mut inner = String::new();
                render(item, indent + 2, step, &mut inner);
                // `- ` takes the place of the first line's indentation.
                let body = inner.get(indent + 2..).unwrap_or("");
                let _ = write!(out, "{pad}- {body}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Documents in the shape of goal files, sometimes with one byte changed.
    #[test]
    fn never_disagrees_with_serde_saphyr(
        entries in prop::collection::vec(("[a-z]{1,3}", tree()), 1..4),
        step in 1usize..4,
        edit in prop::option::weighted(0.3, (any::<prop::sample::Index>(), prop::sample::select(vec![" ", "\n", ":", "-", "#", "'", "[", "é"]))),
    ) {
        let mut text = String::new();
        render(&Tree::Map(Vec::new()), 0, step, &mut text);
        for (k, v) in &entries {
            let mut one = String::new();
            let k: &'static str = Box::leak(k.clone().into_boxed_str());
            render(&Tree::Map(vec![(k, v.clone())]), 0, step, &mut one);
            text.push_str(&one);
        }
        if let Some((at, with)) = edit {
            let mut i = at.index(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            text.replace_range(i..i + text[i..].chars().next().map_or(0, char::len_utf8), with);
        }
        let r = agrees(&text);
        prop_assert!(r.is_ok(), "{:?}", r);
    }
}

/// The generated documents mostly take the fast path, so the property above tests it.
#[test]
fn generated_documents_take_the_fast_path() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut taken, total) = (0, 300);
    for _ in 0..total {
        let t = tree().new_tree(&mut runner).expect("a tree").current();
        let mut text = String::new();
        render(&Tree::Map(vec![("root", t)]), 0, 2, &mut text);
        if agrees(&text) == Ok(true) {
            taken += 1;
        }
    }
    assert!(taken * 5 > total, "{taken} of {total}");
}

/// A check-in log past a million nodes (120,000 rows of four keys, about 9 MB) is still the
/// fast path's: serde-saphyr took several times as long on it, twice per `checkin --from`.
#[test]
fn a_log_of_over_a_million_nodes_takes_the_fast_path() {
    let mut text = String::from("checkins:\n");
    for i in 0..120_000 {
        let _ = writeln!(
            text,
            "  - {{ ref: team-{:04}/kpi-1, date: 2026-11-{:02}, value: {i}, confidence: 0.5 }}",
            i % 3000,
            1 + i % 28
        );
    }
    assert!(parse(&text).is_some());
}

/// At the fast path's node bound, with the most parser events a node can bring (an empty flow
/// mapping per line), serde-saphyr still takes the file and builds the same tree; one node
/// more and the fast path leaves it to serde-saphyr.
#[test]
fn the_fast_paths_node_bound_is_inside_serde_saphyrs_budgets() {
    // The root mapping, its key and the sequence are three nodes.
    let rows = MAX_NODES - 3;
    let mut text = String::with_capacity(10 + rows * 7);
    text.push_str("c:\n");
    for _ in 0..rows {
        text.push_str("  - {}\n");
    }
    assert_eq!(agrees(&text), Ok(true));
    text.push_str("  - {}\n");
    assert!(parse(&text).is_none());
}
