//! The JSON Schemas, checked by real validators: check-jsonschema (Python `jsonschema`, the
//! pre-commit hook many repositories run) and Ajv in strict mode (draft 2020-12, formats
//! asserted; YAML read by the `yaml` package, as yaml-language-server reads it). Every
//! valid goal file must pass both; every invalid fixture whose problem a schema can express
//! must fail both. goalpost.toml files are parsed with Python's `tomllib` and validated the
//! same way. The real yaml-language-server, as editors run it, checks dates and hovers.
//! Missing validators skip these tests, except under `CI=true` (see `tools`).

use crate::common::*;
use crate::tools;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Invalid fixtures that the schema itself rejects: each problem is a key, type, pattern,
/// format, range or a rule across the keys of one mapping.
const SCHEMA_REJECTS: &[&str] = &[
    "empty-file",
    "cadence-on-linked-kr",
    "due-on-metric",
    "empty-reason",
    "empty-revision",
    "invalid-checkin",
    "invalid-date",
    "invalid-ref",
    "invalid-slug",
    "invalid-type",
    "linked-kr-checkin",
    "milestone-with-metric",
    "missing-field",
    "missing-value",
    "out-of-range",
    "unknown-key",
];

/// Invalid fixtures that a validator's YAML reader refuses before any schema applies.
const PARSER_REJECTS: &[&str] = &["duplicate-key", "yaml-syntax"];

/// Invalid fixtures no JSON Schema can catch, and why; only `goalpost check` does. Practice
/// lints are never structural and need no line here ([`not_structural`]).
const NOT_STRUCTURAL: &[(&str, &str)] = &[
    (
        "upstream-missing",
        "a well-formed upstream ref; whether a snapshot holds it is not in the file",
    ),
    (
        "invalid-encoding",
        "bytes, not structure: Node reads them with replacement characters",
    ),
    (
        "non-finite-number",
        "`.nan` is a YAML float; JSON Schema has no finiteness keyword",
    ),
    (
        "invalid-period",
        "a period may be any name defined in goalpost.toml",
    ),
    ("resource-limit", "a bound on alias expansion, not a shape"),
    ("start-equals-target", "compares two values"),
    ("critical-wrong-side", "compares two values"),
    ("duplicate-id", "needs every item of the repository"),
    ("unknown-ref", "needs every item of the repository"),
    ("parent-cycle", "needs every item of the repository"),
    ("checkin-outside-period", "needs the period's dates"),
    ("due-outside-period", "needs the period's dates"),
    ("revision-outside-period", "needs the period's dates"),
    ("drop-outside-period", "needs the period's dates"),
    ("revision-after-drop", "compares two dates"),
    ("duplicate-revision", "compares revisions"),
    ("conflicting-checkin", "compares check-ins"),
    ("duplicate-checkin", "compares check-ins"),
    ("orphan-correction", "compares check-ins"),
    (
        "invalid-config",
        "a goalpost.toml problem: see the config schema test",
    ),
    ("future-checkin", "depends on today's date"),
    (
        "no-goal-files",
        "about where goalpost.toml's roots point, not a goal file",
    ),
];

/// Every `*.yaml` / `*.yml` file below `dir`, sorted.
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            out.extend(yaml_files(&p));
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// A repository from `goalpost init` with a check-in log made by `goalpost checkin`.
fn scaffolded() -> tempfile::TempDir {
    let r = repo(&[]);
    let o = run(r.path(), &["init", "--as-of", "2026-11-15"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(
        r.path(),
        &[
            "checkin",
            "example/onboarding/completion",
            "65",
            "--date",
            "2026-11-10",
            "--as-of",
            "2026-11-15",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    r
}

/// The goal files that must be valid: the valid fixtures, the examples, and what `init`
/// and `checkin` write.
fn valid_goal_files(scaffold: &Path) -> Vec<PathBuf> {
    let mut files = yaml_files(&root().join("tests/fixtures/valid"));
    files.extend(yaml_files(&root().join("examples/acme/goals")));
    files.push(scaffold.join("goals/example.yaml"));
    files.push(scaffold.join("goals/checkins.yaml"));
    files
}

/// Whether no JSON Schema can catch what a fixture of `code` shows: a practice lint (a
/// judgement about valid goals) or a code listed in [`NOT_STRUCTURAL`].
fn not_structural(code: &str) -> bool {
    goalpost::Code::from_name(code).is_some_and(|c| c.is_lint())
        || NOT_STRUCTURAL.iter().any(|(c, _)| *c == code)
}

/// The invalid fixtures (files, not the directory ones), by code.
fn invalid_fixtures() -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(root().join("tests/fixtures/invalid"))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name.split('.').next().unwrap_or("").to_owned(), p)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_invalid_fixture_is_classified_for_the_schema() {
    for (code, _) in invalid_fixtures() {
        let n = usize::from(SCHEMA_REJECTS.contains(&code.as_str()))
            + usize::from(PARSER_REJECTS.contains(&code.as_str()))
            + usize::from(not_structural(&code));
        assert_eq!(
            n, 1,
            "invalid fixture `{code}` must be in exactly one of SCHEMA_REJECTS, PARSER_REJECTS \
             and NOT_STRUCTURAL (tests/cli/schema.rs)"
        );
    }
}

/// Files a validator found invalid, by path; parse failures separately.
struct Verdict {
    schema_errors: BTreeSet<PathBuf>,
    parse_errors: BTreeSet<PathBuf>,
    output: String,
}

fn check_jsonschema(cj: &Path, schema: &Path, files: &[PathBuf]) -> Verdict {
    let o = std::process::Command::new(cj)
        .args(["--output-format", "json", "--schemafile"])
        .arg(schema)
        .args(files)
        .output()
        .expect("check-jsonschema runs");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "check-jsonschema printed no JSON ({e}):\n{}\n{}",
            stdout(&o),
            stderr(&o)
        )
    });
    let names = |key: &str| -> BTreeSet<PathBuf> {
        v[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["filename"].as_str().map(PathBuf::from))
            .collect()
    };
    Verdict {
        schema_errors: names("errors"),
        parse_errors: names("parse_errors"),
        output: format!("{v:#}"),
    }
}

fn ajv(node: &tools::Node, schema: &Path, files: &[PathBuf]) -> Verdict {
    let mut args: Vec<&Path> = vec![schema];
    args.extend(files.iter().map(PathBuf::as_path));
    let o = node.script("ajv.cjs", &args);
    assert_ne!(
        o.status.code(),
        Some(2),
        "Ajv (strict) refuses the schema:\n{}{}",
        stdout(&o),
        stderr(&o)
    );
    let text = stdout(&o);
    let pick = |prefix: &str| -> BTreeSet<PathBuf> {
        text.lines()
            .filter_map(|l| l.strip_prefix(prefix))
            .map(|rest| PathBuf::from(rest.split(": ").next().unwrap_or(rest)))
            .collect()
    };
    Verdict {
        schema_errors: pick("invalid "),
        parse_errors: pick("unreadable "),
        output: text,
    }
}

/// Valid files pass; SCHEMA_REJECTS fail by the schema; PARSER_REJECTS fail either way.
fn assert_verdicts(validator: &str, valid: &[PathBuf], run: impl Fn(&[PathBuf]) -> Verdict) {
    let v = run(valid);
    assert!(
        v.schema_errors.is_empty() && v.parse_errors.is_empty(),
        "{validator}: valid goal files are refused:\n{}",
        v.output
    );
    let invalid = invalid_fixtures();
    let files: Vec<PathBuf> = invalid
        .iter()
        .filter(|(c, _)| {
            SCHEMA_REJECTS.contains(&c.as_str()) || PARSER_REJECTS.contains(&c.as_str())
        })
        .map(|(_, p)| p.clone())
        .collect();
    let v = run(&files);
    for (code, path) in &invalid {
        if SCHEMA_REJECTS.contains(&code.as_str()) {
            assert!(
                v.schema_errors.contains(path),
                "{validator}: the schema does not reject {code}:\n{}",
                v.output
            );
        } else if PARSER_REJECTS.contains(&code.as_str()) {
            assert!(
                v.schema_errors.contains(path) || v.parse_errors.contains(path),
                "{validator}: {code} is accepted:\n{}",
                v.output
            );
        }
    }
}

#[test]
fn goal_files_pass_and_structural_mistakes_fail_check_jsonschema() {
    let Some(cj) = tools::check_jsonschema() else {
        return tools::missing(
            "goal_files_pass_and_structural_mistakes_fail_check_jsonschema",
            "check-jsonschema (PyPI)",
        );
    };
    let scaffold = scaffolded();
    let schema = root().join("schema/goalpost.schema.json");
    assert_verdicts(
        "check-jsonschema",
        &valid_goal_files(scaffold.path()),
        |f| check_jsonschema(&cj, &schema, f),
    );
    // The copy `init` writes is the same schema.
    assert_eq!(
        std::fs::read(scaffold.path().join("schema/goalpost.schema.json")).expect("init's copy"),
        std::fs::read(&schema).expect("committed schema")
    );
}

#[test]
fn goal_files_pass_and_structural_mistakes_fail_ajv_strict() {
    let Some(node) = tools::node(&["ajv", "ajv-formats", "yaml"]) else {
        return tools::missing(
            "goal_files_pass_and_structural_mistakes_fail_ajv_strict",
            "node with ajv, ajv-formats and yaml (npm)",
        );
    };
    let scaffold = scaffolded();
    let schema = root().join("schema/goalpost.schema.json");
    assert_verdicts("Ajv", &valid_goal_files(scaffold.path()), |f| {
        ajv(&node, &schema, f)
    });
}

#[test]
fn config_schema_is_committed_and_current() {
    let o = run(&root(), &["schema", "--config"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let committed = std::fs::read_to_string(root().join("schema/goalpost.toml.schema.json"))
        .unwrap_or_default();
    assert!(
        committed == stdout(&o),
        "schema/goalpost.toml.schema.json is out of date: run \
         `cargo run -- schema --config > schema/goalpost.toml.schema.json`"
    );
}

/// goalpost.toml as JSON, through Python's `tomllib` (dates become `YYYY-MM-DD` strings, as
/// Taplo hands them to its validator).
fn toml_as_json(python: &Path, toml: &Path, out: &Path) {
    let o = std::process::Command::new(python)
        .args([
            "-c",
            "import json, sys, tomllib\n\
             with open(sys.argv[1], 'rb') as f: data = tomllib.load(f)\n\
             with open(sys.argv[2], 'w') as f: json.dump(data, f, default=str)",
        ])
        .arg(toml)
        .arg(out)
        .output()
        .expect("python runs");
    assert!(o.status.success(), "tomllib: {}", stderr(&o));
}

#[test]
fn config_files_pass_and_an_unknown_key_fails_the_config_schema() {
    let Some(python) = tools::python() else {
        return tools::missing("config schema test", "python3 (3.11+, for tomllib)");
    };
    let cj = tools::check_jsonschema();
    let node = tools::node(&["ajv", "ajv-formats", "yaml"]);
    if cj.is_none() || node.is_none() {
        return tools::missing(
            "config_files_pass_and_an_unknown_key_fails_the_config_schema",
            "check-jsonschema (PyPI) and node with ajv, ajv-formats and yaml (npm)",
        );
    }
    let scaffold = scaffolded();
    let tmp = tempfile::tempdir().expect("temp dir");
    let convert = |toml: PathBuf, name: &str| -> PathBuf {
        let out = tmp.path().join(format!("{name}.json"));
        toml_as_json(&python, &toml, &out);
        out
    };
    let valid = vec![
        convert(root().join("examples/acme/goalpost.toml"), "acme"),
        convert(
            root().join("tests/fixtures/valid/custom-period/goalpost.toml"),
            "custom-period",
        ),
        convert(scaffold.path().join("goalpost.toml"), "init"),
    ];
    // Every key set, one lint of each level, a named period; goalpost accepts it too.
    let full = repo(&[
        (
            "goalpost.toml",
            "roots = [\"goals\", \"okrs\"]\ncheckin_log = \"goals/checkins.yaml\"\n\
             stale_days = 7\n[status]\nat_risk_gap = 0.1\noff_track_gap = 0.3\n\
             [lints]\nkr-count = \"off\"\ntoo-many-kpis = \"error\"\nsandbagging = \"warning\"\n\
             [periods.fy27-q1]\nstart = 2026-10-01\nend = 2026-12-31\n\
             [sources.prom]\nkind = \"prometheus\"\nurl = \"https://prometheus.internal:9090\"\n\
             token_env = \"PROM_TOKEN\"\ntimeout_secs = 20\n\
             [sources.warehouse]\nkind = \"csv\"\npath = \"metrics/kpis.csv\"\n",
        ),
        ("goals/a.yaml", "checkins: []\n"),
        ("okrs/b.yaml", "checkins: []\n"),
    ]);
    let o = run(full.path(), &["check"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "goalpost refuses it: {}",
        stderr(&o)
    );
    let mut valid = valid;
    valid.push(convert(full.path().join("goalpost.toml"), "full"));
    let invalid = [
        convert(
            root().join("tests/fixtures/invalid/invalid-config/goalpost.toml"),
            "unknown-key",
        ),
        {
            let bad = tmp.path().join("bad-level.toml");
            std::fs::write(&bad, "[lints]\nkr-count = \"loud\"\n").expect("write");
            convert(bad, "bad-level")
        },
        {
            // A key of one kind of source on the other.
            let bad = tmp.path().join("csv-query.toml");
            std::fs::write(
                &bad,
                "[sources.w]\nkind = \"csv\"\npath = \"m.csv\"\nurl = \"https://x\"\n",
            )
            .expect("write");
            convert(bad, "csv-query")
        },
        {
            let bad = tmp.path().join("bad-kind.toml");
            std::fs::write(&bad, "[sources.w]\nkind = \"influx\"\npath = \"m.csv\"\n")
                .expect("write");
            convert(bad, "bad-kind")
        },
        {
            let bad = tmp.path().join("not-a-lint.toml");
            std::fs::write(&bad, "[lints]\nyaml-syntax = \"off\"\n").expect("write");
            convert(bad, "not-a-lint")
        },
    ];
    let schema = root().join("schema/goalpost.toml.schema.json");
    let (cj, node) = (cj.expect("checked"), node.expect("checked"));
    for (name, verdict) in [
        ("check-jsonschema", check_jsonschema(&cj, &schema, &valid)),
        ("Ajv", ajv(&node, &schema, &valid)),
    ] {
        assert!(
            verdict.schema_errors.is_empty() && verdict.parse_errors.is_empty(),
            "{name} refuses a valid goalpost.toml:\n{}",
            verdict.output
        );
    }
    for (name, verdict) in [
        ("check-jsonschema", check_jsonschema(&cj, &schema, &invalid)),
        ("Ajv", ajv(&node, &schema, &invalid)),
    ] {
        for f in &invalid {
            assert!(
                verdict.schema_errors.contains(f),
                "{name} accepts {}:\n{}",
                f.display(),
                verdict.output
            );
        }
    }
}

#[test]
fn every_modeline_and_schema_directive_points_at_the_schema() {
    let scaffold = scaffolded();
    let mut files = yaml_files(&root().join("examples"));
    files.retain(|f| f.components().any(|c| c.as_os_str() == "goals"));
    files.push(scaffold.path().join("goals/example.yaml"));
    files.push(scaffold.path().join("goals/checkins.yaml"));
    assert!(files.len() >= 9, "{files:?}");
    let check = |file: &Path, prefix: &str, schema: &Path| {
        let text = std::fs::read_to_string(file).expect("readable");
        let first = text.lines().next().unwrap_or("");
        let target = first
            .strip_prefix(prefix)
            .unwrap_or_else(|| panic!("{}: the first line is not `{prefix}...`", file.display()));
        let resolved = file.parent().expect("a parent").join(target.trim());
        assert!(
            resolved.is_file()
                && std::fs::read(&resolved).expect("schema")
                    == std::fs::read(schema).expect("committed"),
            "{}: `{first}` does not lead to {}",
            file.display(),
            schema.display()
        );
    };
    let goal_schema = root().join("schema/goalpost.schema.json");
    for f in &files {
        check(f, "# yaml-language-server: $schema=", &goal_schema);
    }
    let config_schema = root().join("schema/goalpost.toml.schema.json");
    for f in [
        root().join("examples/acme/goalpost.toml"),
        scaffold.path().join("goalpost.toml"),
    ] {
        check(&f, "#:schema ", &config_schema);
    }
}

/// yaml-language-server (behind VS Code's YAML extension, Neovim's and Helix's yamlls),
/// driven over stdio by `tests/tools/yamlls.cjs`: it checks `pattern` but not `format`, so
/// the date pattern itself must refuse a month or day that cannot be (February 29 passes:
/// `check` judges leap years); its hovers show one heading and descriptions without escaped
/// backticks.
#[test]
fn yaml_language_server_refuses_impossible_dates_and_hovers_cleanly() {
    let Some(node) = tools::node(&["yaml-language-server"]) else {
        return tools::missing(
            "yaml_language_server_refuses_impossible_dates_and_hovers_cleanly",
            "node with yaml-language-server (npm)",
        );
    };
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        root().join("schema/goalpost.schema.json"),
        dir.path().join("goalpost.schema.json"),
    )
    .expect("copy the schema");
    let bad = [
        "2026-02-30",
        "2026-04-31",
        "2026-06-31",
        "2026-09-31",
        "2026-11-31",
        "2026-13-01",
        "2026-00-10",
        "2026-01-00",
        "2026-01-32",
        "2026-1-05",
    ];
    let good = [
        "2026-01-31",
        "2026-02-28",
        "2028-02-29",
        "2026-04-30",
        "2026-07-31",
        "2026-12-31",
        "2026-10-01",
    ];
    let mut text = "# yaml-language-server: $schema=goalpost.schema.json\n\
                    team: growth\nperiod: 2026\nobjectives:\n  - id: onboarding\n    title: T\n    \
                    key_results:\n      - id: signups\n        title: Sign-ups\n        \
                    start: 1\n        target: 2\n        checkins:\n"
        .to_owned();
    let first = text.lines().count();
    for d in bad.iter().chain(&good) {
        text.push_str(&format!("          - {{ date: {d}, value: 1 }}\n"));
    }
    let file = dir.path().join("2026.yaml");
    std::fs::write(&file, &text).expect("write");
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).expect("line");
    let team = format!("{}:4", line_of("team:"));
    let target = format!("{}:9", line_of("target:"));
    let date = format!("{}:15", first);
    // The places to hover, LINE:CHARACTER, go as arguments as the paths do.
    let o = node.script(
        "yamlls.cjs",
        &[
            &file,
            Path::new(&team),
            Path::new(&target),
            Path::new(&date),
        ],
    );
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let flagged: BTreeSet<usize> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["line"].as_u64().map(|l| l as usize))
        .collect();
    for (i, d) in bad.iter().chain(&good).enumerate() {
        let is_bad = i < bad.len();
        assert_eq!(
            flagged.contains(&(first + i)),
            is_bad,
            "{d}: yaml-language-server {} it: {v:#}",
            if is_bad { "accepts" } else { "refuses" }
        );
    }
    assert_eq!(flagged.len(), bad.len(), "{v:#}");
    let hovers: Vec<&str> = v["hovers"]
        .as_array()
        .expect("hovers")
        .iter()
        .map(|h| h.as_str().unwrap_or_default())
        .collect();
    assert!(hovers[0].contains("The team that owns"), "{hovers:?}");
    assert!(hovers[1].contains("Value to reach"), "{hovers:?}");
    assert!(
        hovers[2].contains("The day of the observation"),
        "{hovers:?}"
    );
    for h in &hovers {
        let heading = h.lines().next().unwrap_or_default();
        assert!(
            heading.starts_with("#### ") && !heading.contains("||"),
            "a repeated heading: {h}"
        );
        assert!(!h.contains("\\`"), "escaped backticks: {h}");
        // One paragraph per description, not one per line of its source.
        assert_eq!(h.matches("\n\n").count(), 2, "{h}");
    }
}

/// One goal file per kind of key result (and one naming no kind) and per key of
/// `KrKind::takes`: the kind's required keys, less the key when the kind requires it, plus
/// it when the kind allows or refuses it; and one per kind of check-in (`value`, `done`),
/// which a kind takes when it is what the kind records (`KrKind::records`). `(path in the
/// repository, kind, key, accepted, text)`, where `accepted` is what the table says; the
/// first file of each kind holds exactly its required keys, which every kind accepts.
fn kind_key_files() -> Vec<(String, String, String, bool, String)> {
    use goalpost::{KrKey, KrKind, Records, Takes};
    let value = |key: KrKey, team: &str| match key {
        KrKey::Start => "0".to_owned(),
        KrKey::Target => "10".to_owned(),
        KrKey::Unit => "\"%\"".to_owned(),
        KrKey::Kpi => format!("{team}/m"),
        KrKey::Due => "2026-11-20".to_owned(),
        KrKey::Revisions => "[{ date: 2026-11-10, target: 7, reason: re-planned }]".to_owned(),
    };
    let mut kinds: Vec<(String, KrKind)> = vec![("(none)".to_owned(), KrKind::DEFAULT)];
    kinds.extend(KrKind::ALL.iter().map(|k| (k.as_str().to_owned(), *k)));
    let mut out = Vec::new();
    for (written, kind) in &kinds {
        // (what the case writes, the key it adds or leaves out, a check-in, accepted)
        let mut cases: Vec<(String, Option<KrKey>, Option<&str>, bool)> =
            vec![("only the required keys".to_owned(), None, None, true)];
        for &key in KrKey::ALL {
            let accepted = kind.takes(key) == Takes::Allowed;
            cases.push((key.name().to_owned(), Some(key), None, accepted));
        }
        for (records, checkin) in [
            (Records::Value, "{ date: 2026-10-05, value: 3 }"),
            (Records::Done, "{ date: 2026-10-05, done: true }"),
        ] {
            let accepted = kind.records() == records;
            cases.push((
                format!("checkins: [{checkin}]"),
                None,
                Some(checkin),
                accepted,
            ));
        }
        for (label, key, checkin, accepted) in cases {
            let team = format!("t{}", out.len());
            let mut kr = String::new();
            if written != "(none)" {
                kr.push_str(&format!("        kind: {written}\n"));
            }
            let mut keys: Vec<KrKey> = kind.keys(Takes::Required).collect();
            match key.map(|k| (k, kind.takes(k))) {
                Some((k, Takes::Required)) => keys.retain(|r| *r != k),
                Some((k, _)) => keys.push(k),
                None => {}
            }
            for k in keys {
                kr.push_str(&format!("        {}: {}\n", k.name(), value(k, &team)));
            }
            if let Some(c) = checkin {
                kr.push_str(&format!("        checkins:\n          - {c}\n"));
            }
            let text = format!(
                "team: {team}\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: Grow the thing\n    key_results:\n      - id: k\n        title: Reach the goal by the end of the quarter\n{kr}kpis:\n  - id: m\n    title: A measure\n    better: higher\n    target: 45\n    critical: 35\n"
            );
            out.push((
                format!("goals/{team}.yaml"),
                written.clone(),
                label,
                accepted,
                text,
            ));
        }
    }
    out
}

/// The one table of the keys each kind of key result takes (`KrKind::takes`, with
/// `KrKind::records` for its check-ins), `check` and the goal-file schema agree on every
/// kind and key: `check` reports an error for exactly
/// the files the table refuses, and check-jsonschema refuses exactly those.
#[test]
fn the_kind_table_validation_and_the_schema_agree_on_every_kind_and_key() {
    let files = kind_key_files();
    let texts: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, _, _, _, t)| (p.as_str(), t.as_str()))
        .collect();
    let r = repo(&texts);
    let (_, v) = check_json(r.path(), &[]);
    let refused_by_check: BTreeSet<String> = v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["severity"] == "error")
        .filter_map(|d| d["file"].as_str().map(str::to_owned))
        .collect();
    let cj = tools::check_jsonschema();
    // The schema as the code makes it (`schema_is_committed_and_current` compares it with
    // the committed one).
    let schema = r.path().join("goalpost.schema.json");
    let o = run(r.path(), &["schema"]);
    std::fs::write(&schema, &o.stdout).expect("write the schema");
    let by_schema = cj.as_ref().map(|cj| {
        let paths: Vec<PathBuf> = files.iter().map(|f| r.path().join(&f.0)).collect();
        check_jsonschema(cj, &schema, &paths)
    });
    let mut wrong = Vec::new();
    for (path, kind, key, accepted, _) in &files {
        let says = |refused: bool| if refused { "refuses" } else { "accepts" };
        if refused_by_check.contains(path) == *accepted {
            wrong.push(format!(
                "kind {kind}, key {key}: the table {} it, check {} ({path})",
                says(!accepted),
                says(*accepted)
            ));
        }
        if let Some(verdict) = &by_schema {
            let full = r.path().join(path);
            assert!(verdict.parse_errors.is_empty(), "{}", verdict.output);
            if verdict.schema_errors.contains(&full) == *accepted {
                wrong.push(format!(
                    "kind {kind}, key {key}: the table {} it, the schema {} ({path})",
                    says(!accepted),
                    says(*accepted)
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{}\ncheck: {v:#}\nschema: {}",
        wrong.join("\n"),
        by_schema.map(|v| v.output).unwrap_or_default()
    );
    if by_schema.is_none() {
        tools::missing(
            "the_kind_table_validation_and_the_schema_agree_on_every_kind_and_key",
            "check-jsonschema",
        );
    }
}

/// A goal file with one metric key result and `extra` (more key results), and a KPI.
fn new_key_file(extra: &str) -> String {
    format!(
        "team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: onboarding\n    title: Make onboarding so good that users do not need support\n    \
         key_results:\n      - id: completion\n        title: Increase onboarding completion from 60% to 80%\n        \
         start: 60\n        target: 80\n{extra}kpis:\n  - id: d7\n    title: Day-7 retention\n    better: higher\n    target: 45\n"
    )
}

/// Each broken form of the keys of SPEC 3.4 (revisions, drops, a key result's cadence), the
/// error `goalpost check` gives it, and the key result that shows it.
fn broken_new_keys() -> Vec<(&'static str, &'static str, String)> {
    let tickets = |rest: &str| {
        format!(
            "      - id: tickets\n        title: Cut tickets\n        start: 250\n        target: 150\n{rest}"
        )
    };
    vec![
        (
            "revisions-on-milestone",
            "milestone-with-metric",
            "      - id: guide\n        title: Ship the setup guide\n        kind: milestone\n        \
             revisions:\n          - { date: 2026-11-01, target: 2, reason: re-planned }\n"
                .to_owned(),
        ),
        (
            "cadence-with-kpi",
            "cadence-on-linked-kr",
            "      - id: retention\n        title: Lift retention\n        start: 38\n        target: 50\n        \
             kpi: growth/d7\n        cadence: monthly\n"
                .to_owned(),
        ),
        (
            "revision-without-date",
            "missing-field",
            tickets("        revisions:\n          - { target: 170, reason: re-planned }\n"),
        ),
        (
            "revision-without-reason",
            "missing-field",
            tickets("        revisions:\n          - { date: 2026-11-01, target: 170 }\n"),
        ),
        (
            "revision-without-figures",
            "empty-revision",
            tickets("        revisions:\n          - { date: 2026-11-01, reason: re-planned }\n"),
        ),
        (
            "revision-with-empty-reason",
            "empty-reason",
            tickets("        revisions:\n          - { date: 2026-11-01, target: 170, reason: \" \" }\n"),
        ),
        (
            "revision-with-unknown-key",
            "unknown-key",
            tickets(
                "        revisions:\n          - { date: 2026-11-01, target: 170, reason: r, value: 3 }\n",
            ),
        ),
        (
            "dropped-without-date",
            "missing-field",
            tickets("        dropped: { reason: merged }\n"),
        ),
        (
            "dropped-without-reason",
            "missing-field",
            tickets("        dropped:\n          date: 2026-11-01\n"),
        ),
        (
            "dropped-as-a-date",
            "invalid-type",
            tickets("        dropped: 2026-11-01\n"),
        ),
        (
            "cadence-daily",
            "invalid-type",
            tickets("        cadence: daily\n"),
        ),
    ]
}

/// Every broken form of the new keys (revisions, drops, cadence) is an error of `goalpost
/// check` and is refused by check-jsonschema and by Ajv; the valid fixture that uses every
/// new key (`tests/fixtures/valid/revisions-and-drops.yaml`) passes both (see above).
#[test]
fn broken_revisions_drops_and_cadences_fail_check_and_both_validators() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut files = Vec::new();
    for (name, code, extra) in broken_new_keys() {
        let r = repo(&[("goals/g.yaml", &new_key_file(&extra))]);
        let (status, v) = check_json(r.path(), &[]);
        assert_eq!(status, 1, "{name}: {v:#}");
        let errors: Vec<&str> = v["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["severity"] == "error")
            .filter_map(|d| d["code"].as_str())
            .collect();
        assert_eq!(errors, [code], "{name}");
        let path = dir.path().join(format!("{name}.yaml"));
        std::fs::write(&path, new_key_file(&extra)).expect("write");
        files.push(path);
    }
    // The same file without the broken key result is valid, for both validators too.
    let fine = dir.path().join("fine.yaml");
    std::fs::write(&fine, new_key_file("")).expect("write");
    let schema = root().join("schema/goalpost.schema.json");
    let mut verdicts = Vec::new();
    match tools::check_jsonschema() {
        Some(cj) => verdicts.push(("check-jsonschema", check_jsonschema(&cj, &schema, &files))),
        None => tools::missing(
            "broken_revisions_drops_and_cadences_fail_check_and_both_validators",
            "check-jsonschema (PyPI)",
        ),
    }
    match tools::node(&["ajv", "ajv-formats", "yaml"]) {
        Some(node) => {
            let v = ajv(&node, &schema, std::slice::from_ref(&fine));
            assert!(
                v.schema_errors.is_empty(),
                "Ajv refuses a valid file:\n{}",
                v.output
            );
            verdicts.push(("Ajv", ajv(&node, &schema, &files)));
        }
        None => tools::missing(
            "broken_revisions_drops_and_cadences_fail_check_and_both_validators",
            "node with ajv, ajv-formats and yaml (npm)",
        ),
    }
    for (validator, v) in verdicts {
        for f in &files {
            assert!(
                v.schema_errors.contains(f),
                "{validator} accepts {}:\n{}",
                f.display(),
                v.output
            );
        }
    }
}
