//! The bad-input corpus: broken and hostile goal files of every kind (syntax, types, encodings,
//! sizes, hostile structures). Each must end in exit 1 with a diagnostic that names the file
//! and the line, never a panic, a hang or a stack overflow. Semantic errors are covered code by
//! code in `fixtures.rs`; here we also check that each of them is located.

use crate::common::*;
use std::time::{Duration, Instant};

/// Runs `check --format json` on one goal file holding `bytes`; returns the first diagnostic
/// and the exit code, asserting the run was quick and left a JSON document.
fn first_diagnostic(name: &str, bytes: &[u8]) -> (i32, serde_json::Value) {
    let r = repo(&[]);
    write(r.path(), "goals/x.yaml", bytes);
    let started = Instant::now();
    let (exit, v) = check_json(r.path(), &[]);
    // Generous: a bound against hangs, not a benchmark.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{name}: took {:?}",
        started.elapsed()
    );
    (exit, v["diagnostics"][0].clone())
}

/// The corpus: (name, bytes, first code, its line, its column or 0 for any). Also replayed
/// through the language server (`lsp.rs`).
pub fn cases() -> Vec<(&'static str, Vec<u8>, &'static str, u64, u64)> {
    #[rustfmt::skip]
    let cases: Vec<(&str, Vec<u8>, &str, u64, u64)> = vec![
        // -- YAML syntax
        ("unclosed-double-quote", b"team: \"growth\nperiod: 2026-Q4\n".to_vec(), "yaml-syntax", 1, 7),
        ("unclosed-single-quote", b"team: growth\nkpis:\n  - id: a\n    title: 'Churn\n".to_vec(), "yaml-syntax", 4, 12),
        ("unclosed-flow-seq", b"team: growth\nkpis: [\n".to_vec(), "yaml-syntax", 2, 7),
        ("unclosed-flow-map", b"checkins:\n  - { ref: a/b, date: 2026-10-01, value: 3\n".to_vec(), "yaml-syntax", 2, 5),
        ("bad-indentation", b"team: growth\nkpis:\n  - id: a\n   title: x\n".to_vec(), "yaml-syntax", 4, 4),
        ("tab-indentation", b"team: x\nkpis:\n\t- id: a\n".to_vec(), "yaml-syntax", 3, 1),
        ("stray-colon", b"team: growth\nkpis:\n  - id: a: b\n".to_vec(), "yaml-syntax", 3, 10),
        ("several-documents", b"team: a\n---\nteam: b\n".to_vec(), "yaml-syntax", 2, 1),
        ("alias-undefined", b"team: *nothing\n".to_vec(), "yaml-syntax", 1, 7),
        ("control-char", b"team: gro\x07wth\n".to_vec(), "yaml-syntax", 1, 7),
        ("duplicate-key", b"team: x\nteam: y\n".to_vec(), "duplicate-key", 2, 1),
        // -- types
        ("list-where-map", b"team: growth\nkpis:\n  - [a, b]\n".to_vec(), "invalid-type", 3, 5),
        ("map-where-list", b"team: growth\nkpis:\n  id: churn\n".to_vec(), "invalid-type", 3, 3),
        ("string-number-percent", format!("{KR}        start: \"60%\"\n        target: 80\n").into_bytes(), "invalid-type", 9, 16),
        ("string-number-comma", format!("{KR}        start: 1,200\n        target: 80\n").into_bytes(), "invalid-type", 9, 16),
        ("boolean-yes", format!("{KR}        kind: milestone\n        checkins:\n          - {{ date: 2026-10-05, done: yes }}\n").into_bytes(), "invalid-type", 11, 39),
        ("list-for-title", b"team: growth\nkpis:\n  - id: a\n    title: [x]\n    better: lower\n    target: 5\n".to_vec(), "invalid-type", 4, 12),
        ("top-level-scalar", b"just some text\n".to_vec(), "invalid-type", 1, 1),
        ("top-level-list", b"- a\n- b\n".to_vec(), "invalid-type", 1, 1),
        ("nan", b"team: x\nkpis:\n  - id: a\n    title: A\n    better: lower\n    target: .nan\n".to_vec(), "non-finite-number", 6, 13),
        ("negative-inf", b"team: x\nkpis:\n  - id: a\n    title: A\n    better: lower\n    target: -.inf\n".to_vec(), "non-finite-number", 6, 13),
        ("overflow-1e400", b"team: x\nkpis:\n  - id: a\n    title: A\n    better: lower\n    target: 1e400\n".to_vec(), "non-finite-number", 6, 13),
        // -- empty
        ("empty", b"".to_vec(), "empty-file", 1, 1),
        ("comments-only", b"# a\n# b\n".to_vec(), "empty-file", 1, 1),
        ("whitespace-only", b"   \n\n  \n".to_vec(), "empty-file", 1, 1),
        // -- encodings
        ("latin-1", b"team: x\ntitle: caf\xe9\n".to_vec(), "invalid-encoding", 2, 11),
        ("stray-continuation-bytes", b"team: growth\nkpis:\n  - id: a\n    title: \x80\x80\n".to_vec(), "invalid-encoding", 4, 12),
        ("nul-byte", b"team: gro\x00wth\n".to_vec(), "invalid-encoding", 1, 10),
        ("utf-16le-with-bom", utf16(true, true), "invalid-encoding", 1, 1),
        ("utf-16be-with-bom", utf16(false, true), "invalid-encoding", 1, 1),
        ("utf-16le-without-bom", utf16(true, false), "invalid-encoding", 1, 1),
        ("utf-16be-without-bom", utf16(false, false), "invalid-encoding", 1, 1),
        // -- sizes
        ("2-MB-line-then-typo", format!("team: growth\nkpis:\n  - id: a\n    title: {}\n    better: lower\n    target: 5\n    titel: y\n", "x".repeat(2_000_000)).into_bytes(), "unknown-key", 7, 5),
        ("1-MB-unclosed-quote", format!("team: growth\nkpis:\n  - id: a\n    title: \"{}\n", "x".repeat(1_000_000)).into_bytes(), "yaml-syntax", 4, 12),
        ("20-MB-file", format!("team: growth\n# {}\n", "x".repeat(20 << 20)).into_bytes(), "resource-limit", 1, 1),
        // -- hostile structures
        ("alias-bomb", ALIAS_BOMB.to_vec(), "resource-limit", 6, 8),
        ("many-aliases", format!("a: &a x\nb: [{}]\n", vec!["*a"; 5_000].join(",")).into_bytes(), "resource-limit", 2, 0),
        ("100k-deep-flow-lists", format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(), "resource-limit", 1, 0),
        ("50k-deep-flow-maps", format!("a: {}1{}\n", "{a: ".repeat(50_000), "}".repeat(50_000)).into_bytes(), "resource-limit", 1, 0),
        ("3k-deep-block-maps", deep_block(3_000), "resource-limit", 33, 0),
        ("100k-deep-block-lists", format!("{}x\n", "- ".repeat(100_000)).into_bytes(), "resource-limit", 1, 0),
    ];
    cases
}

#[test]
fn every_broken_file_is_a_located_error() {
    let cases = cases();
    assert!(cases.len() >= 30, "the corpus has {} cases", cases.len());
    for (name, bytes, code, line, col) in &cases {
        let (exit, d) = first_diagnostic(name, bytes);
        assert_eq!(exit, 1, "{name}: {d}");
        assert_eq!(d["code"], *code, "{name}: {d}");
        assert_eq!(d["file"], "goals/x.yaml", "{name}: {d}");
        assert_eq!(d["line"].as_u64(), Some(*line), "{name}: {d}");
        // Column 0 in the table: any column (the parser's position inside a long run of
        // brackets is an implementation detail), but it is still 1-based.
        let c = d["column"].as_u64().unwrap_or(0);
        assert!(
            c >= 1 && (*col == 0 || c == *col),
            "{name}: column {c}: {d}"
        );
        assert!(
            !d["message"].as_str().unwrap_or("").contains("{ "),
            "{name}: the message leaks debug formatting: {d}"
        );
    }
}

#[test]
fn one_broken_file_among_thousands_is_named() {
    let r = repo(&[]);
    for i in 0..3_000 {
        let text = format!(
            "team: t{i}\nkpis:\n  - id: k\n    title: K\n    better: lower\n    target: 5\n"
        );
        write(r.path(), &format!("goals/t{i:04}.yaml"), text.as_bytes());
    }
    write(r.path(), "goals/t1234.yaml", b"team: t1234\nkpis: [\n");
    let (exit, v) = check_json(r.path(), &[]);
    assert_eq!(exit, 1);
    assert_eq!(codes(&v), ["yaml-syntax"]);
    assert_eq!(v["diagnostics"][0]["file"], "goals/t1234.yaml");
    assert_eq!(v["diagnostics"][0]["line"], 2);
}

#[test]
fn every_semantic_error_fixture_is_located_in_its_file() {
    let dir = root().join("tests/fixtures/invalid");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        // Single-file fixtures of error codes (directories hold multi-file lint cases).
        let Some(code) = name.strip_suffix(".yaml") else {
            continue;
        };
        // `<code>.<case>.yaml`: another case of the same code.
        let code = code.split('.').next().unwrap_or(code);
        let r = repo(&[]);
        write(
            r.path(),
            "goals/x.yaml",
            &std::fs::read(&path).expect("read"),
        );
        let (exit, v) = check_json(r.path(), &["--deny-warnings"]);
        assert_eq!(exit, 1, "{name}: {v:#}");
        let d = v["diagnostics"]
            .as_array()
            .and_then(|a| a.iter().find(|d| d["code"] == code))
            .unwrap_or_else(|| panic!("{name}: no `{code}` in {v:#}"));
        assert_eq!(d["file"], "goals/x.yaml", "{name}");
        assert!(d["line"].as_u64().is_some_and(|l| l >= 1), "{name}: {d}");
        assert!(d["column"].as_u64().is_some_and(|c| c >= 1), "{name}: {d}");
        seen += 1;
    }
    assert!(seen >= 25, "only {seen} fixtures");
}

const KR: &str = "team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: T\n    key_results:\n      - id: k\n        title: K\n";

const ALIAS_BOMB: &[u8] = b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n";

/// `team: growth` in UTF-16, little- or big-endian, with or without a byte-order mark.
fn utf16(little: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = bom
        .then_some(0xFEFFu16)
        .into_iter()
        .chain("team: growth\n".encode_utf16());
    for u in units {
        out.extend(if little {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

/// `a:` mappings nested `depth` levels deep in block style.
fn deep_block(depth: usize) -> Vec<u8> {
    let mut s = String::new();
    for i in 0..depth {
        s.push_str(&"  ".repeat(i));
        s.push_str("a:\n");
    }
    s.push_str(&"  ".repeat(depth));
    s.push_str("b: 1\n");
    s.into_bytes()
}
