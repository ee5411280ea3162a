//! `goalpost check`, `schema` and `init`: formats, exit codes, and hostile input.

use crate::common::*;

const GOOD: &str = "team: growth\nkpis:\n  - id: churn\n    title: Churn\n    better: lower\n    target: 5\n    checkins:\n      - { date: 2026-11-14, value: 4 }\n";

#[test]
fn exit_codes_follow_the_spec() {
    let ok = repo(&[("goals/a.yaml", GOOD)]);
    assert_eq!(
        run(ok.path(), &["check", "--as-of", "2026-11-15"])
            .status
            .code(),
        Some(0)
    );
    let bad = repo(&[(
        "goals/a.yaml",
        "team: growth\nkpis:\n  - id: churn\n    titel: x\n",
    )]);
    assert_eq!(run(bad.path(), &["check"]).status.code(), Some(1));
    // usage: a bad flag, a malformed date, an invalid config
    assert_eq!(
        run(ok.path(), &["check", "--no-such-flag"]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(ok.path(), &["status", "--as-of", "2026-02-30"])
            .status
            .code(),
        Some(2)
    );
    let cfg = repo(&[
        ("goalpost.toml", "stale_dayz = 3\n"),
        ("goals/a.yaml", GOOD),
    ]);
    let o = run(cfg.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `stale_days`?"),
        "{}",
        stderr(&o)
    );
    // -C to a directory that does not exist is a usage error
    assert_eq!(
        run(&ok.path().join("nope"), &["check"]).status.code(),
        Some(2)
    );
}

#[test]
fn deny_warnings_fails_on_warnings() {
    let stale = "team: growth\nkpis:\n  - id: churn\n    title: Churn\n    better: lower\n    target: 5\n    checkins:\n      - { date: 2026-10-01, value: 4 }\n";
    let r = repo(&[("goals/a.yaml", stale)]);
    let o = run(r.path(), &["check", "--as-of", "2026-11-15"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("warning[stale-checkin]"));
    let o = run(
        r.path(),
        &["check", "--as-of", "2026-11-15", "--deny-warnings"],
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn lint_levels_come_from_config() {
    let stale = "team: growth\nkpis:\n  - id: churn\n    title: Churn\n    better: lower\n    target: 5\n    checkins:\n      - { date: 2026-10-01, value: 4 }\n";
    let off = repo(&[
        ("goals/a.yaml", stale),
        ("goalpost.toml", "[lints]\nstale-checkin = \"off\"\n"),
    ]);
    let (code, v) = check_json(off.path(), &[]);
    assert_eq!((code, codes(&v).len()), (0, 0));
    let err = repo(&[
        ("goals/a.yaml", stale),
        ("goalpost.toml", "[lints]\nstale-checkin = \"error\"\n"),
    ]);
    let (code, v) = check_json(err.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(v["diagnostics"][0]["severity"], "error");
    let unknown = repo(&[
        ("goals/a.yaml", stale),
        ("goalpost.toml", "[lints]\nstale-chekin = \"off\"\n"),
    ]);
    let o = run(unknown.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `stale-checkin`?"));
}

#[test]
fn json_has_the_documented_shape() {
    let r = repo(&[(
        "goals/a.yaml",
        "team: growth\nkpis:\n  - id: churn\n    titel: Churn\n    better: lower\n    target: 5\n",
    )]);
    let (code, v) = check_json(r.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(v["valid"], false);
    // `titel` stands for `title`, so title is not also reported missing
    assert_eq!(v["errors"], 1);
    assert_eq!(v["warnings"], 0);
    let d = &v["diagnostics"][0];
    for key in [
        "code", "severity", "message", "file", "line", "column", "help",
    ] {
        assert!(d.get(key).is_some(), "missing {key}: {d}");
    }
    assert_eq!(d["file"], "goals/a.yaml");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(5))
    );
    assert_eq!(d["code"], "unknown-key");
    assert_eq!(d["help"], "did you mean `title`?");
}

#[test]
fn human_output_is_rustc_style() {
    let r = repo(&[(
        "goals/growth.yaml",
        "team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: onboarding\n    title: Onboarding\n    key_results:\n      - id: retention\n        title: Retention\n        start: 38\n        target: 50\n        kpi: growth/d7-retentoin\n      - id: tickets\n        title: Tickets\n        start: 250\n        target: 150\n        checkins:\n          - { date: 2026-11-10, value: 200 }\nkpis:\n  - id: d7-retention\n    title: D7\n    better: higher\n    target: 45\n    checkins:\n      - { date: 2026-11-10, value: 40 }\n",
    )]);
    let o = run(r.path(), &["check", "--as-of", "2026-11-15"]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!(stderr(&o), @r"
    error[unknown-ref]: key result's `kpi` names KPI `growth/d7-retentoin`, which is not defined
      --> goals/growth.yaml:11:14
       |
    11 |         kpi: growth/d7-retentoin
       |              ^^^^^^^^^^^^^^^^^^^
       |
       = help: did you mean `growth/d7-retention`?

    error: 1 error and 0 warnings in 1 file (1 objective, 2 key results, 1 KPI)
    ");
}

#[test]
fn github_format_prints_workflow_commands() {
    let r = repo(&[(
        "goals/a.yaml",
        "team: growth\nkpis:\n  - id: churn\n    title: Churn\n    better: lower\n    target: \"5%\"\n",
    )]);
    let o = run(r.path(), &["check", "--format", "github"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.starts_with("::error file=goals/a.yaml,line=6,col=13,title=invalid-type::"),
        "{out}"
    );
    assert!(out.contains("\"5%25\""), "% is escaped: {out}");
    assert!(
        out.contains("%0A"),
        "the help joins with an escaped newline: {out}"
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let r = repo(&[
        (
            "goals/a.yaml",
            "team: growth\nkpis:\n  - id: churn\n    titel: x\n    better: lower\n    target: 5\n",
        ),
        ("goals/b.yaml", "team: Growth Team\nkpis: \n"),
        (
            "goals/c.yaml",
            "team: ok\nperiod: 2026-Q5\nobjectives: []\n",
        ),
    ]);
    let (_, v) = check_json(r.path(), &[]);
    let got = codes(&v);
    for want in [
        "unknown-key",
        "invalid-slug",
        "missing-value",
        "invalid-period",
    ] {
        assert!(got.iter().any(|c| c == want), "{want} missing from {got:?}");
    }
}

/// Every hostile or broken input exits 1 with a located message: never a panic or hang.
#[test]
fn bad_input_is_a_located_error() {
    let nest = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n";
    let big = format!("team: growth\n# {}\n", "x".repeat(50 * 1024 * 1024));
    let cases: Vec<(&str, Vec<u8>, &str, u64)> = vec![
        ("empty", Vec::new(), "empty-file", 1),
        (
            "comments only",
            b"# nothing here\n# at all\n".to_vec(),
            "empty-file",
            1,
        ),
        ("top-level list", b"- a\n- b\n".to_vec(), "invalid-type", 1),
        (
            "tab indentation",
            b"team: x\nkpis:\n\t- id: a\n".to_vec(),
            "yaml-syntax",
            3,
        ),
        (
            "non-UTF-8",
            b"team: x\ntitle: caf\xe9\n".to_vec(),
            "invalid-encoding",
            2,
        ),
        ("alias bomb", bomb.as_bytes().to_vec(), "resource-limit", 6),
        ("deep nesting", nest.into_bytes(), "resource-limit", 1),
        (
            "1e400",
            b"team: x\nkpis:\n  - id: a\n    title: A\n    better: lower\n    target: 1e400\n"
                .to_vec(),
            "non-finite-number",
            6,
        ),
        (
            ".nan",
            b"team: x\nkpis:\n  - id: a\n    title: A\n    better: lower\n    target: .nan\n"
                .to_vec(),
            "non-finite-number",
            6,
        ),
        (
            "duplicate keys",
            b"team: x\nteam: y\n".to_vec(),
            "duplicate-key",
            2,
        ),
        ("50 MB", big.into_bytes(), "resource-limit", 1),
    ];
    for (name, bytes, code, line) in cases {
        let r = repo(&[]);
        write(r.path(), "goals/x.yaml", &bytes);
        let (exit, v) = check_json(r.path(), &[]);
        assert_eq!(exit, 1, "{name}: {v:#}");
        let d = &v["diagnostics"][0];
        assert_eq!(d["code"], code, "{name}: {v:#}");
        assert_eq!(d["file"], "goals/x.yaml", "{name}");
        assert_eq!(d["line"].as_u64(), Some(line), "{name}: {d}");
    }
}

#[test]
fn bom_and_crlf_are_accepted_with_true_line_numbers() {
    let text = "team: growth\r\nkpis:\r\n  - id: churn\r\n    title: Churn\r\n    titel: x\r\n";
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    let r = repo(&[]);
    write(r.path(), "goals/x.yaml", &bom);
    let (_, v) = check_json(r.path(), &[]);
    let d = v["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["code"] == "unknown-key")
        .expect("unknown-key");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(5), Some(5)),
        "{d}"
    );
    let ok = repo(&[]);
    write(
        ok.path(),
        "goals/x.yaml",
        format!("\u{feff}{}", GOOD.replace('\n', "\r\n")).as_bytes(),
    );
    assert_eq!(check_json(ok.path(), &[]).0, 0);
}

#[cfg(unix)]
#[test]
fn symlink_leaving_the_repository_is_refused() {
    let outside = repo(&[("secret.yaml", GOOD)]);
    let r = repo(&[("goals/a.yaml", GOOD)]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        r.path().join("goals/link.yaml"),
    )
    .expect("symlink");
    let (exit, v) = check_json(r.path(), &[]);
    assert_eq!(exit, 1);
    assert_eq!(codes(&v), ["symlink-escape"]);
    assert_eq!(v["diagnostics"][0]["file"], "goals/link.yaml");
    // a link that stays inside is followed
    let inside = repo(&[
        ("goals/a.yaml", GOOD),
        ("other/b.yaml", GOOD.replace("growth", "ops").as_str()),
    ]);
    std::os::unix::fs::symlink(
        inside.path().join("other/b.yaml"),
        inside.path().join("goals/b.yaml"),
    )
    .expect("symlink");
    assert_eq!(check_json(inside.path(), &[]).0, 0);
}

#[test]
fn root_is_found_like_git() {
    let r = repo(&[
        ("goalpost.toml", "roots = [\"okrs\"]\n"),
        ("okrs/a.yaml", GOOD),
        ("okrs/deep/er/x.txt", ""),
    ]);
    let o = run(
        &r.path().join("okrs/deep/er"),
        &["check", "--as-of", "2026-11-15"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 file"), "{}", stderr(&o));
}

#[test]
fn schema_is_committed_and_current() {
    let o = run(&root(), &["schema"]);
    assert_eq!(o.status.code(), Some(0));
    let committed =
        std::fs::read_to_string(root().join("schema/goalpost.schema.json")).unwrap_or_default();
    assert!(
        committed == stdout(&o),
        "schema/goalpost.schema.json is out of date: run `cargo run -- schema > schema/goalpost.schema.json`"
    );
    let v: serde_json::Value = serde_json::from_str(&committed).expect("valid JSON");
    assert!(v["properties"]["objectives"].is_object());
}

#[test]
fn init_scaffolds_and_never_overwrites() {
    let r = repo(&[]);
    let o = run(r.path(), &["init", "--as-of", "2026-11-15"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for f in [
        "goalpost.toml",
        "goals/example.yaml",
        ".gitattributes",
        ".github/workflows/goals.yml",
        "schema/goalpost.schema.json",
        "schema/goalpost.toml.schema.json",
    ] {
        assert!(r.path().join(f).is_file(), "{f}");
    }
    let example = std::fs::read_to_string(r.path().join("goals/example.yaml")).expect("example");
    assert!(example.starts_with("# yaml-language-server: $schema="));
    assert!(
        std::fs::read_to_string(r.path().join(".gitattributes"))
            .expect("attrs")
            .contains("merge=union")
    );
    let o = run(r.path(), &["check", "--as-of", "2026-11-15"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "the scaffold is valid: {}",
        stderr(&o)
    );
    let before = std::fs::read(r.path().join("goalpost.toml")).expect("toml");
    let o = run(r.path(), &["init"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("goalpost.toml"));
    assert_eq!(
        std::fs::read(r.path().join("goalpost.toml")).expect("toml"),
        before
    );
}

/// The scaffold's own example raises no warning on any day of a quarter: its check-ins are
/// dated just before the day of `init`, so they are not stale mid-quarter (on a quarter's
/// first day they can only be dated that day).
#[test]
fn init_example_has_no_warning_whatever_the_day() {
    for day in ["2026-10-02", "2026-11-15", "2026-12-06", "2026-12-31"] {
        let r = repo(&[]);
        let o = command(r.path(), &["init"])
            .env("GOALPOST_TODAY", day)
            .output()
            .expect("runs");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let o = command(r.path(), &["check", "--deny-warnings"])
            .env("GOALPOST_TODAY", day)
            .output()
            .expect("runs");
        assert_eq!(o.status.code(), Some(0), "{day}: {}", stderr(&o));
        // A first check-in of the day does not meet one of the example's.
        let o = command(r.path(), &["checkin", "example/churn", "5"])
            .env("GOALPOST_TODAY", day)
            .output()
            .expect("runs");
        assert_eq!(o.status.code(), Some(0), "{day}: {}", stderr(&o));
    }
}

#[test]
fn init_into_a_new_directory_creates_it() {
    let r = repo(&[]);
    // A relative DIR is taken from where goalpost runs (here `-C`), and created.
    let o = run(r.path(), &["init", "team-goals", "--as-of", "2026-11-15"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let made = r.path().join("team-goals");
    assert!(made.join("goalpost.toml").is_file());
    assert!(made.join("goals/example.yaml").is_file());
    assert!(
        !r.path().join("goalpost.toml").exists(),
        "nothing in the parent"
    );
    let o = run(&made, &["check", "--as-of", "2026-11-15"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// SPEC 7: no goal file under the roots is an error, so a hook run from the wrong directory
/// fails; run-level, it has no place in JSON unless goalpost.toml sets the roots.
#[test]
fn no_goal_files_is_an_error_that_says_where_it_looked() {
    let empty = repo(&[("README.md", "not goals\n")]);
    let d = empty.path();
    let o = run(d, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("error[no-goal-files]: no goal files (*.yaml, *.yml) under `goals` in "),
        "{err}"
    );
    assert!(
        err.contains("`goalpost -C DIR`") && err.contains("`goalpost init`"),
        "{err}"
    );
    assert!(!err.contains("-->"), "no place to point at: {err}");
    assert!(
        err.contains("error: no goal files, so nothing was checked"),
        "{err}"
    );
    let (code, v) = check_json(d, &[]);
    assert_eq!(code, 1);
    assert_eq!(v["valid"], false);
    let n = &v["diagnostics"][0];
    assert_eq!(n["code"], "no-goal-files");
    for key in ["file", "line", "column"] {
        assert_eq!(n[key], serde_json::Value::Null, "{key}: {n}");
    }
    let o = run(d, &["check", "--format", "github"]);
    assert!(
        stdout(&o).starts_with("::error title=no-goal-files::no goal files"),
        "{}",
        stdout(&o)
    );
    // The reports refuse too, with the same error, rather than print an empty report.
    for args in [
        &["status"][..],
        &["status", "--format", "json"],
        &["report", "--format", "markdown"],
        &["show", "growth/churn"],
    ] {
        let o = run(d, args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(stdout(&o).is_empty(), "{args:?}: {}", stdout(&o));
        assert!(stderr(&o).contains("error[no-goal-files]"), "{args:?}");
    }
    // With a goalpost.toml, it points at `roots`.
    let misrooted = repo(&[
        ("goalpost.toml", "stale_days = 10\nroots = [\"okrs\"]\n"),
        ("goals/a.yaml", GOOD),
    ]);
    let (code, v) = check_json(misrooted.path(), &[]);
    assert_eq!(code, 1);
    let n = &v["diagnostics"][0];
    assert_eq!(
        (&n["code"], &n["file"], &n["line"], &n["column"]),
        (
            &serde_json::json!("no-goal-files"),
            &serde_json::json!("goalpost.toml"),
            &serde_json::json!(2),
            &serde_json::json!(1)
        )
    );
    assert!(
        n["message"]
            .as_str()
            .is_some_and(|m| m.contains("under `okrs`")),
        "{n}"
    );
}

/// A base revision from before the goals existed is not a `no-goal-files` error: adding
/// the first goal files is a change like any other.
#[test]
fn a_base_without_goal_files_can_be_compared() {
    let dir = repo(&[("README.md", "before goals\n")]);
    let d = dir.path();
    git_as(d, "Test", &["init", "-q", "-b", "main"]);
    git_as(d, "Test", &["add", "-A"]);
    git_as(d, "Test", &["commit", "-q", "-m", "start"]);
    write(d, "goals/a.yaml", GOOD.as_bytes());
    let o = run(d, &["diff", "main", "--as-of", "2026-11-15"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(d, &["check", "--base", "main", "--as-of", "2026-11-15"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("no-goal-files"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("note:"), "{}", stderr(&o));
}

/// One YAML error is reported once: first, as itself, and not again as every reference
/// into the file that did not parse ("not defined").
#[test]
fn a_file_that_does_not_parse_is_the_one_error_reported_for_it() {
    let growth = "team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: onboarding\n    title: \"Onboarding\n    key_results:\n      - { id: completion, title: Completion, start: 60, target: 80 }\nkpis:\n  - id: churn\n    title: Churn\n    better: lower\n    target: 5\n";
    let log = "checkins:\n  - { ref: growth/churn, date: 2026-11-01, value: 5 }\n  - { ref: growth/onboarding/completion, date: 2026-11-01, value: 65 }\n  - { ref: sales/pipeline, date: 2026-11-01, value: 5 }\n";
    let company = "team: company\nperiod: 2026-Q4\nobjectives:\n  - id: grow\n    title: Grow\n    guardrails: [growth/churn]\n    key_results:\n      - { id: a, title: A, start: 0, target: 1, kpi: growth/churn }\n      - { id: b, title: B, start: 0, target: 1 }\n";
    let r = repo(&[
        ("goals/a-checkins.yaml", log),
        ("goals/company.yaml", company),
        ("goals/growth.yaml", growth),
    ]);
    let (code, v) = check_json(r.path(), &[]);
    assert_eq!(code, 1);
    let found: Vec<(&str, &str)> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or(""),
                d["message"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].0, "yaml-syntax", "the root cause first");
    assert_eq!(
        found[1],
        (
            "unknown-ref",
            "check-in names KPI `sales/pipeline`, which is not defined"
        ),
        "a ref into no broken file is still unknown"
    );
}

/// The closing line counts every goal file found, also one that does not parse ("in 2
/// files", not "in 1 file").
#[test]
fn the_summary_counts_files_that_do_not_parse() {
    let r = repo(&[
        ("goals/bad.yaml", "team: [\n"),
        (
            "goals/good.yaml",
            "team: growth\nkpis:\n  - { id: churn, title: Churn, better: lower, target: 5 }\n",
        ),
    ]);
    let o = run(r.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("error: 1 error and 0 warnings in 2 files ("),
        "{}",
        stderr(&o)
    );
}

/// Every missing required key is reported in one run, also in a file whose missing
/// `period` (or `team`) keeps its items from being built: `period`, the objective's `id` and
/// `title`, and a key result's `title`, as schema tools list them.
#[test]
fn every_missing_required_key_is_reported() {
    let r = repo(&[
        (
            "goals/a.yaml",
            "team: growth\nobjectives:\n  - key_results:\n      - { id: k, start: 0, target: 1 }\n",
        ),
        ("goals/b.yaml", "kpis:\n  - { better: lower, target: 5 }\n"),
    ]);
    let (code, v) = check_json(r.path(), &[]);
    assert_eq!(code, 1);
    let mut found: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_owned(),
                d["message"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    found.sort();
    let want = [
        (
            "goals/a.yaml",
            "`period` is required when a file defines objectives",
        ),
        ("goals/a.yaml", "a key result has no `title`"),
        ("goals/a.yaml", "an objective has no `id`"),
        ("goals/a.yaml", "an objective has no `title`"),
        (
            "goals/b.yaml",
            "`team` is required when a file defines objectives or KPIs",
        ),
        ("goals/b.yaml", "a KPI has no `id`"),
        ("goals/b.yaml", "a KPI has no `title`"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(f, m)| (f.to_string(), m.to_string()))
        .collect();
    assert_eq!(found, want);
}

/// The human form prints the first 200 problems in full, then a count per code of the
/// rest (SPEC 7.2); `--max-diagnostics N` sets the number, 0 prints all; JSON and GitHub
/// formats carry every one.
#[test]
fn human_diagnostics_are_capped_with_a_count_per_code() {
    let mut text = String::from(
        "team: growth\nkpis:\n  - id: churn\n    title: Churn\n    better: lower\n    target: 5\n",
    );
    for i in 0..250 {
        text.push_str(&format!("    k{i}: 1\n"));
    }
    text.push_str("    checkins:\n");
    for d in 1..=30 {
        text.push_str(&format!("      - {{ date: 2026-02-{d:02}, value: 1 }}\n"));
    }
    let r = repo(&[("goals/a.yaml", &text)]);
    // 250 unknown keys, and 2 impossible dates (Feb 29 and 30; 2026 is not a leap year).
    let blocks =
        |err: &str| err.matches("\nerror[").count() + usize::from(err.starts_with("error["));
    let o = run(r.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(blocks(&err), 200, "{err}");
    assert!(
        err.contains("note: 52 more not shown: 50 unknown-key, 2 invalid-date (--max-diagnostics 0 shows all)"),
        "{}",
        &err[err.len().saturating_sub(600)..]
    );
    assert!(
        err.contains("error: 252 errors and 0 warnings in 1 file"),
        "{}",
        &err[err.len() - 300..]
    );
    let o = run(r.path(), &["check", "--max-diagnostics", "5"]);
    assert_eq!(blocks(&stderr(&o)), 5);
    let o = run(r.path(), &["check", "--max-diagnostics", "0"]);
    assert_eq!(blocks(&stderr(&o)), 252);
    assert!(!stderr(&o).contains("more not shown"));
    let (_, v) = check_json(r.path(), &[]);
    assert_eq!(v["diagnostics"].as_array().map(Vec::len), Some(252));
    let o = run(r.path(), &["check", "--format", "github"]);
    assert_eq!(
        stdout(&o)
            .lines()
            .filter(|l| l.starts_with("::error"))
            .count(),
        252
    );
    // The errors other commands print before refusing to score are capped the same way.
    let o = run(r.path(), &["status"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(blocks(&stderr(&o)), 200);
}

/// Messages that point at the fix: the tab itself, the month's length, a critical line on
/// the target, and the periods an objective exists in.
#[test]
fn messages_point_at_the_fix() {
    let tabbed = GOOD.replace("    target: 5\n", "    target: 5\n\tcritical: 7\n");
    let r = repo(&[("goals/a.yaml", &tabbed)]);
    let (_, v) = check_json(r.path(), &[]);
    let d = &v["diagnostics"][0];
    assert_eq!(
        (&d["code"], &d["line"], &d["column"]),
        (&"yaml-syntax".into(), &7.into(), &1.into()),
        "{d}"
    );

    let feb = GOOD.replace("2026-11-14", "2026-02-30");
    let r = repo(&[("goals/a.yaml", &feb)]);
    let (_, v) = check_json(r.path(), &[]);
    assert_eq!(
        v["diagnostics"][0]["message"],
        "`2026-02-30` is not a real date: February 2026 has 28 days"
    );

    let equal = GOOD.replace("    target: 5\n", "    target: 5\n    critical: 5\n");
    let r = repo(&[("goals/a.yaml", &equal)]);
    let (_, v) = check_json(r.path(), &[]);
    let m = v["diagnostics"][0]["message"].as_str().unwrap_or("");
    assert!(m.starts_with("`critical` equals `target` (5)"), "{m}");
    assert!(!m.contains("good side"), "{m}");

    let okr = "team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: onboarding\n    title: O\n    key_results:\n      - { id: a, title: A, start: 0, target: 10 }\n      - { id: b, title: B, start: 0, target: 10 }\n";
    let r = repo(&[("goals/a.yaml", GOOD), ("goals/q4.yaml", okr)]);
    for reference in ["growth/onboarding", "growth/onboarding/a"] {
        let o = run(r.path(), &["show", reference, "--period", "2026-Q3"]);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(
            stderr(&o),
            format!("error: `{reference}` is not in period 2026-Q3; it exists in 2026-Q4\n")
        );
    }
}
