//! Output contracts (SPEC 7): every JSON output is an object that starts with
//! `"format_version": 1`; `goalpost schema --output NAME` prints its JSON Schema, committed
//! under `schema/output/`; and real outputs — on the example, on hostile text, with nulls
//! in every nullable place — validate against the committed schemas with real validators
//! (check-jsonschema and Ajv 2020 in strict mode; see `tools`).

use crate::common::*;
use crate::tools;
use std::path::{Path, PathBuf};

/// The outputs with a schema, as the command line lists them (`goalpost schema --output`
/// takes its values from `contract::Output::ALL`, the one list).
fn output_names() -> Vec<String> {
    let o = run(&root(), &["schema", "--output", "no-such-output"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    let list = err
        .split("[possible values: ")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .unwrap_or_else(|| panic!("no list of possible values in: {err}"));
    list.split(", ").map(str::to_owned).collect()
}

#[test]
fn every_output_is_run_and_listed_in_the_readme() {
    let names = output_names();
    assert!(names.len() >= 5, "{names:?}");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut run: Vec<&str> = outputs(dir.path()).into_iter().map(|(n, _)| n).collect();
    run.sort_unstable();
    run.dedup();
    let mut want: Vec<&str> = names.iter().map(String::as_str).collect();
    want.sort_unstable();
    assert_eq!(
        run, want,
        "outputs() must run every output that has a schema"
    );
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    for name in &names {
        let row = format!(
            "| `{name} --format json` | [`schema/output/{name}.schema.json`](schema/output/{name}.schema.json) | `goalpost schema --output {name}` |"
        );
        assert!(
            readme.contains(&row),
            "README, Output contracts: no row\n{row}"
        );
    }
}

fn committed(name: &str) -> PathBuf {
    root().join(format!("schema/output/{name}.schema.json"))
}

#[test]
fn output_schemas_are_committed_and_current() {
    for name in &output_names() {
        let o = run(&root(), &["schema", "--output", name]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let on_disk = std::fs::read_to_string(committed(name)).unwrap_or_default();
        assert!(
            on_disk == stdout(&o),
            "schema/output/{name}.schema.json is out of date: run \
             `cargo run -- schema --output {name} > schema/output/{name}.schema.json`"
        );
    }
}

/// The strict schema of output `name` (`schema --output NAME --strict`), written to `dir`.
fn strict(name: &str, dir: &Path) -> PathBuf {
    let o = run(&root(), &["schema", "--output", name, "--strict"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let file = dir.join(format!("{name}.strict.schema.json"));
    std::fs::write(&file, &o.stdout).expect("write the strict schema");
    file
}

/// Real outputs of each command, written to `dir`: (schema name, file).
fn outputs(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let acme = root().join("examples/acme");
    let broken = repo(&[
        (
            "goals/a.yaml",
            "team: a\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: \"::error::x\\n\\u001b[31m\"\n    key_results:\n      - { id: k, title: K, start: 5, target: 5 }\n",
        ),
        ("goals/b.yaml", "team: [unclosed\n"),
    ]);
    let empty = repo(&[("goalpost.toml", "roots = [\"nowhere\"]\n")]);
    // Every key of SPEC 3.4: revisions, drops, a key result's owner, cadence, description.
    let new_keys = repo(&[(
        "goals/r.yaml",
        &std::fs::read_to_string(root().join("tests/fixtures/valid/revisions-and-drops.yaml"))
            .expect("the fixture"),
    )]);
    let bare = tempfile::tempdir().expect("tempdir");
    let hostile = repo(&[(
        "goals/h.yaml",
        "team: h\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: \"<!-- @all \\u0007\"\n    owner: \"=1+1\"\n    key_results:\n      - { id: k, title: K, kind: milestone }\n      - { id: m, title: M, start: 0, target: 10, checkins: [{ date: 2026-10-01, value: 1 }] }\nkpis:\n  - { id: x, title: X, better: lower, target: 5 }\n",
    )]);
    // History for diff and log: the example and the hostile repository, each committed, then
    // changed in every way the engine types (a moved target, a new check-in, an edited one,
    // a correction, a new key result, a removed KPI) and committed again.
    let history = tempfile::tempdir().expect("tempdir");
    copy_dir(&acme, history.path());
    for d in [history.path(), hostile.path()] {
        git_as(d, "Test", &["init", "-q", "-b", "main"]);
        git_as(d, "Test", &["add", "-A"]);
        git_as(d, "Test", &["commit", "-q", "-m", "base"]);
    }
    let h = history.path();
    let edit = |dir: &Path, file: &str, from: &str, to: &str| {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).expect("a file to edit");
        assert!(text.contains(from), "{file} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    };
    edit(h, "goals/company/2026-Q4.yaml", "target: 12", "target: 10");
    edit(
        h,
        "goals/checkins.yaml",
        "value: 34, by: priya",
        "value: 35, by: \"priya <!-- @all\"",
    );
    let correct = [
        "checkin",
        "growth/onboarding/completion",
        "67",
        "--date",
        "2026-10-26",
        "--correct",
        "typo \u{1b}[31m",
    ];
    let corrected = run(h, &correct);
    assert_eq!(corrected.status.code(), Some(0), "{}", stderr(&corrected));
    git_as(h, "Test", &["commit", "-qam", "changes"]);
    let hf = "goals/h.yaml";
    edit(
        hostile.path(),
        hf,
        "checkins: [{ date: 2026-10-01, value: 1 }]",
        "checkins: [{ date: 2026-10-01, value: 1 }, { date: 2026-10-08, value: 2, note: \"::error::\" }]",
    );
    edit(
        hostile.path(),
        hf,
        "kpis:\n  - { id: x, title: X, better: lower, target: 5 }\n",
        "",
    );
    git_as(hostile.path(), "Test", &["commit", "-qam", "changes"]);
    let runs: Vec<(&'static str, &Path, Vec<&str>)> = vec![
        (
            "diff",
            h,
            vec!["diff", "HEAD~1", "HEAD", "--format", "json"],
        ),
        (
            "diff",
            hostile.path(),
            vec!["diff", "HEAD~1", "HEAD", "--format", "json"],
        ),
        ("diff", h, vec!["diff", "HEAD", "--format", "json"]),
        (
            "log",
            h,
            vec!["log", "growth/onboarding/completion", "--format", "json"],
        ),
        (
            "log",
            h,
            vec!["log", "company/activation", "--format", "json"],
        ),
        ("log", h, vec!["log", "growth/nps", "--format", "json"]),
        (
            "log",
            hostile.path(),
            vec!["log", "h/o/m", "--format", "json"],
        ),
        (
            "log",
            hostile.path(),
            vec!["log", "h/o", "--format", "json"],
        ),
        ("status", &acme, vec!["status", "--format", "json"]),
        (
            "digest",
            &acme,
            vec!["--as-of", "2026-11-22", "digest", "--format", "json"],
        ),
        ("digest", h, vec!["digest", "--format", "json"]),
        ("digest", hostile.path(), vec!["digest", "--format", "json"]),
        (
            "status",
            &acme,
            vec!["--as-of", "2027-03-01", "status", "--format", "json"],
        ),
        ("status", hostile.path(), vec!["status", "--format", "json"]),
        (
            "status",
            new_keys.path(),
            vec!["status", "--format", "json"],
        ),
        ("check", new_keys.path(), vec!["check", "--format", "json"]),
        ("check", &acme, vec!["check", "--format", "json"]),
        ("check", broken.path(), vec!["check", "--format", "json"]),
        ("check", empty.path(), vec!["check", "--format", "json"]),
        ("check", bare.path(), vec!["check", "--format", "json"]),
        (
            "review",
            &acme,
            vec![
                "--as-of",
                "2026-11-30",
                "review",
                "2026-Q3",
                "--format",
                "json",
            ],
        ),
        (
            "insights",
            h,
            vec!["--as-of", "2027-01-05", "insights", "--format", "json"],
        ),
        ("insights", h, vec!["insights", "--format", "json"]),
        (
            "insights",
            hostile.path(),
            vec!["--as-of", "2027-01-05", "insights", "--format", "json"],
        ),
        // Not a git repository: no latency, no moves in place (nulls and zeros).
        (
            "insights",
            new_keys.path(),
            vec!["--as-of", "2027-01-05", "insights", "--format", "json"],
        ),
        (
            "review",
            hostile.path(),
            vec![
                "--as-of",
                "2027-01-05",
                "review",
                "2026-Q4",
                "--format",
                "json",
            ],
        ),
    ];
    let mut files = Vec::new();
    for (n, (name, repo_dir, args)) in runs.into_iter().enumerate() {
        let mut all = vec!["--as-of", "2026-11-15"];
        if args.first() == Some(&"--as-of") {
            all.clear();
        }
        all.extend(args.iter().copied());
        let o = run(repo_dir, &all);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            stderr(&o)
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?} printed no JSON ({e}): {}{}",
                stdout(&o),
                stderr(&o)
            )
        });
        // The first key, as printed (serde_json's Value would sort the keys).
        let text = stdout(&o);
        let first = text
            .trim_start_matches(['{', ' ', '\n'])
            .split('"')
            .nth(1)
            .unwrap_or_default();
        assert_eq!(first, "format_version", "{args:?}: the first key");
        // `review` is at 2 since calibration changed its meaning (SPEC 7.0).
        let version = if name == "review" { 2 } else { 1 };
        assert_eq!(v["format_version"], version, "{args:?}");
        let file = dir.join(format!("{n}-{name}.json"));
        std::fs::write(&file, &o.stdout).expect("write");
        files.push((name, file));
    }
    files
}

#[test]
fn real_outputs_validate_against_their_schemas_with_check_jsonschema() {
    let Some(cj) = tools::check_jsonschema() else {
        return tools::missing(
            "real_outputs_validate_against_their_schemas_with_check_jsonschema",
            "check-jsonschema (PyPI)",
        );
    };
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, file) in outputs(dir.path()) {
        for schema in [committed(name), strict(name, dir.path())] {
            let o = std::process::Command::new(&cj)
                .arg("--schemafile")
                .arg(&schema)
                .arg(&file)
                .output()
                .expect("check-jsonschema runs");
            assert!(
                o.status.success(),
                "{name} output {} does not match {}:\n{}{}",
                file.display(),
                schema.display(),
                stdout(&o),
                stderr(&o)
            );
        }
    }
}

#[test]
fn real_outputs_validate_against_their_schemas_with_ajv_strict() {
    let Some(node) = tools::node(&["ajv", "ajv-formats", "yaml"]) else {
        return tools::missing(
            "real_outputs_validate_against_their_schemas_with_ajv_strict",
            "node with ajv, ajv-formats and yaml (npm)",
        );
    };
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, file) in outputs(dir.path()) {
        for schema in [committed(name), strict(name, dir.path())] {
            let o = node.script("ajv.cjs", &[schema.as_path(), file.as_path()]);
            assert!(
                o.status.success(),
                "Ajv: {name} output {} does not match {}:\n{}{}",
                file.display(),
                schema.display(),
                stdout(&o),
                stderr(&o)
            );
        }
    }
}

/// SPEC 7: a new key and a new enum value (a status a later release may add) are additions, so a consumer validating with the published
/// schema of this release keeps passing; the strict schema notices each one. Run with both
/// real validators.
#[test]
fn published_schemas_let_outputs_grow_and_strict_ones_notice() {
    let (Some(cj), Some(node)) = (
        tools::check_jsonschema(),
        tools::node(&["ajv", "ajv-formats", "yaml"]),
    ) else {
        return tools::missing(
            "published_schemas_let_outputs_grow_and_strict_ones_notice",
            "check-jsonschema (PyPI) and node with ajv (npm)",
        );
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let o = run(
        &root().join("examples/acme"),
        &["status", "--format", "json", "--as-of", "2026-11-15"],
    );
    let real: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let grown = |change: &dyn Fn(&mut serde_json::Value)| {
        let mut v = real.clone();
        change(&mut v);
        v
    };
    let cases = [
        grown(&|v| v["digest"] = serde_json::json!([])),
        grown(&|v| v["objectives"][0]["a_field_of_a_later_release"] = serde_json::json!("x")),
        grown(&|v| v["objectives"][0]["key_results"][0]["status"] = serde_json::json!("paused")),
        // (An upstream's ref, `company:acme/grow`, was such a wider form until this release
        // wrote it, SPEC 13.)
    ];
    let strict = strict("status", dir.path());
    for (i, doc) in cases.iter().enumerate() {
        let file = dir.path().join(format!("grown-{i}.json"));
        std::fs::write(&file, doc.to_string()).expect("write");
        let validate = |schema: &Path| {
            std::process::Command::new(&cj)
                .arg("--schemafile")
                .arg(schema)
                .arg(&file)
                .output()
                .expect("check-jsonschema runs")
        };
        let o = validate(&committed("status"));
        assert!(o.status.success(), "case {i}: {}{}", stdout(&o), stderr(&o));
        let o = node.script("ajv.cjs", &[committed("status").as_path(), file.as_path()]);
        assert!(
            o.status.success(),
            "Ajv, case {i}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        assert!(
            !validate(&strict).status.success(),
            "case {i} passed the strict schema"
        );
    }
}

/// A schema that accepted anything would pass the tests above: a wrong output must fail.
#[test]
fn a_wrong_output_fails_its_schema() {
    let Some(cj) = tools::check_jsonschema() else {
        return tools::missing("a_wrong_output_fails_its_schema", "check-jsonschema (PyPI)");
    };
    let dir = tempfile::tempdir().expect("tempdir");
    for (doc, name, strict_only) in [
        (
            r#"{"format_version": 2, "as_of": "2026-11-15", "objectives": [], "kpis": []}"#,
            "status",
            false,
        ),
        (
            r#"{"format_version": 1, "objectives": [], "kpis": []}"#,
            "status",
            false,
        ),
        (
            r#"{"format_version": 1, "valid": true, "errors": 0, "warnings": 0, "diagnostics": [{"code": "x", "severity": "fatal", "message": "m", "file": null, "line": null, "column": null, "help": null}]}"#,
            "check",
            true,
        ),
        (
            r#"{"format_version": 1, "valid": "yes", "errors": 0, "warnings": 0, "diagnostics": []}"#,
            "check",
            false,
        ),
    ] {
        let file = dir.path().join("wrong.json");
        std::fs::write(&file, doc).expect("write");
        let schema = if strict_only {
            strict(name, dir.path())
        } else {
            committed(name)
        };
        let o = std::process::Command::new(&cj)
            .arg("--schemafile")
            .arg(schema)
            .arg(&file)
            .output()
            .expect("check-jsonschema runs");
        assert!(!o.status.success(), "{doc} passed the {name} schema");
    }
}
