//! `goalpost review PERIOD` in its three formats, on a temporary repository (hand-computed
//! figures, a sandbagging team, hostile text, a document too long for one comment) and on
//! the example's closed quarter.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

// Two teams in 2026-Q3. `steady` aims too low: every aspirational objective scored 1.0.
// Calibration (SPEC 7.0): the outcome o is 1 when a key result reached its target
// (progress 1), whatever its grade; each confidence stands from its check-in (2026-09-20) to
// the end (11 of the quarter's 92 days), 0.5 stands before it (81 days), so a key result's
// Brier score is (81·(0.5 − o)² + 11·(c − o)²) / 92:
//   ann  (bold/reach):  r1 0.9, 3 of 10, o = 0: (20.25 + 8.91) / 92 = 29.16 / 92
//                       r2 0.6, 8 of 10, o = 0 (achieved, target not reached): 24.21 / 92
//   ann  (bold/ship):   s1 0.7, 80%, o = 0: (20.25 + 5.39) / 92 = 25.64 / 92
//   -    (bold/orphan): o1 0.5, o = 0: 23 / 92   (no owner: team and overall only)
//   bo   (steady/easy): e1 1.0, o = 1: 20.25 / 92;  e2 0.8, o = 1: 20.69 / 92
const BOLD: &str = "\
team: bold
period: 2026-Q3
objectives:
  - id: reach
    title: \"Reach @everyone <b>twice</b> | [x](http://e.example)\"
    owner: ann
    key_results:
      - { id: r1, title: R1, start: 0, target: 10, checkins: [{ date: 2026-09-20, value: 3, confidence: 0.9 }] }
      - { id: r2, title: R2, start: 0, target: 10, checkins: [{ date: 2026-09-20, value: 8, confidence: 0.6 }] }
  - id: ship
    title: Ship it
    owner: ann
    key_results:
      - { id: s1, title: S1, start: 10, target: 0, checkins: [{ date: 2026-09-20, value: 2, confidence: 0.7 }] }
      - { id: s2, title: S2, kind: milestone, checkins: [{ date: 2026-09-20, done: true }] }
  - id: orphan
    title: Nobody's
    key_results:
      - { id: o1, title: O1, start: 0, target: 10, checkins: [{ date: 2026-09-20, value: 1, confidence: 0.5 }] }
      - { id: o2, title: O2, start: 0, target: 10, checkins: [{ date: 2026-09-20, value: 2 }] }
";

const STEADY: &str = "\
team: steady
period: 2026-Q3
objectives:
  - id: easy
    title: Easy
    owner: bo
    key_results:
      - { id: e1, title: E1, start: 0, target: 10, checkins: [{ date: 2026-09-20, value: 10, confidence: 1 }] }
      - { id: e2, title: E2, start: 0, target: 10, checkins: [{ date: 2026-09-20, value: 11, confidence: 0.8 }] }
";

const Q4: &str = "\
team: bold
period: 2026-Q4
objectives:
  - id: reach
    title: Reach
    key_results:
      - { id: r1, title: R1, start: 0, target: 10 }
      - { id: r2, title: R2, start: 0, target: 10 }
";

fn fixture() -> tempfile::TempDir {
    repo(&[
        ("goals/bold/2026-Q3.yaml", BOLD),
        ("goals/bold/2026-Q4.yaml", Q4),
        ("goals/steady/2026-Q3.yaml", STEADY),
    ])
}

fn review(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["review", "2026-Q3", "--as-of", "2026-10-15"];
    args.extend_from_slice(extra);
    run(dir, &args)
}

fn close(v: &Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("a number: {v}"));
    assert!((got - want).abs() < 1e-12, "{got} != {want}");
}

#[test]
fn json_has_grades_bands_carry_over_and_calibration() {
    let dir = fixture();
    let o = review(dir.path(), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("{\n  \"format_version\": 2,\n"), "{text}");
    let v: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(
        (&v["period"], &v["start"], &v["end"], &v["as_of"]),
        (
            &Value::from("2026-Q3"),
            &Value::from("2026-07-01"),
            &Value::from("2026-09-30"),
            &Value::from("2026-10-15")
        )
    );
    let bold = &v["teams"][0];
    assert_eq!(bold["team"], "bold");
    let reach = bold["objectives"]
        .as_array()
        .expect("objectives")
        .iter()
        .find(|o| o["ref"] == "bold/reach")
        .expect("bold/reach");
    assert_eq!(reach["ref"], "bold/reach");
    close(&reach["score"], 0.55);
    assert_eq!(
        (&reach["grade"], &reach["band"]),
        (&Value::from("missed"), &Value::from("yellow"))
    );
    let r1 = &reach["key_results"][0];
    assert_eq!(
        (&r1["ref"], &r1["grade"], &r1["band"], &r1["kind"]),
        (
            &Value::from("bold/reach/r1"),
            &Value::from("missed"),
            &Value::from("red"),
            &Value::from("metric")
        )
    );
    close(&r1["confidence"], 0.9);
    close(&r1["brier"], 29.16 / 92.0);
    assert_eq!(
        bold["objectives"][2]["key_results"][1]["brier"],
        Value::Null
    );
    assert_eq!(reach["key_results"][1]["band"], "green");
    // By id: orphan, reach, ship; ship's milestone has no confidence.
    assert_eq!(
        bold["objectives"][2]["key_results"][1]["confidence"],
        Value::Null
    );
    // Below the pass mark: reach (0.55) and orphan (0.15); ship scored 0.9.
    assert_eq!(
        bold["carry_over"],
        serde_json::json!(["bold/orphan", "bold/reach"])
    );
    assert_eq!(bold["sandbagging"], false);
    let cal = &bold["calibration"];
    assert_eq!(cal["n"], 4);
    close(&cal["brier"], (29.16 + 24.21 + 25.64 + 23.0) / 92.0 / 4.0);
    close(
        &cal["by_owner"]["ann"]["brier"],
        (29.16 + 24.21 + 25.64) / 92.0 / 3.0,
    );
    assert_eq!(cal["by_owner"].as_object().map(|m| m.len()), Some(1));
    let steady = &v["teams"][1];
    assert_eq!(steady["sandbagging"], true);
    assert_eq!(steady["carry_over"], serde_json::json!([]));
    close(
        &steady["calibration"]["brier"],
        (20.25 + 20.69) / 92.0 / 2.0,
    );
    let all = &v["calibration"];
    assert_eq!(all["n"], 6);
    close(
        &all["brier"],
        (29.16 + 24.21 + 25.64 + 23.0 + 20.25 + 20.69) / 92.0 / 6.0,
    );
    assert_eq!(
        all["by_owner"]
            .as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>()),
        Some(vec!["ann".to_owned(), "bo".to_owned()])
    );
    // --team: one team, and the overall calibration over it alone.
    let o = review(dir.path(), &["--format", "json", "--team", "steady"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["teams"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["calibration"]["n"], 2);
}

#[test]
fn markdown_reads_as_a_retrospective_and_stays_safe() {
    let dir = fixture();
    let o = review(dir.path(), &["--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(md.starts_with("# 2026-Q3 review\n"), "{md}");
    assert!(
        md.contains("0 is perfect, and 0.25 is what always answering 0.5 scores"),
        "{md}"
    );
    // Without --by-owner, calibration names nobody (the objectives' table has owners).
    assert!(!md.contains("Best calibrated"), "{md}");
    assert!(!md.contains("No owner"), "{md}");
    assert!(!calibration_section(&md).contains("ann"), "{md}");
    assert!(
        md.contains("the stated probability that the key result reaches its target"),
        "{md}"
    );
    // With it, per owner; nobody has five key results with a confidence: nobody is ranked.
    let o = review(dir.path(), &["--format", "markdown", "--by-owner"]);
    let md_owners = stdout(&o);
    assert!(md_owners.contains("| ann | 0.29 | 3 |"), "{md_owners}");
    assert!(
        md_owners.contains("No owner has 5 or more key results with a confidence"),
        "{md_owners}"
    );
    assert!(md.contains("## steady\n"), "{md}");
    let steady = &md[md.find("## steady").expect("steady")..];
    assert!(
        steady.contains("**Sandbagging:** every aspirational objective of this team scored 1.0"),
        "{md}"
    );
    assert!(
        !md[..md.find("## steady").expect("steady")].contains("Sandbagging"),
        "{md}"
    );
    assert!(md.contains("**Carry over** (below the pass mark): `bold/orphan` (0.15 of 0.7), `bold/reach` (0.55 of 0.7). `goalpost rollover 2026-Q3 2026-Q4 --team bold --dry-run`"), "{md}");
    assert!(md.contains("## For the retrospective\n"), "{md}");
    // Hostile title: no mention, no HTML, no link, no broken table.
    assert!(
        !md.contains("@everyone") && !md.contains("<b>") && !md.contains("[x](http"),
        "{md}"
    );
    let row = md
        .lines()
        .find(|l| l.contains("bold/reach`**"))
        .expect("the row");
    assert_eq!(row.matches(" | ").count(), 4, "{row}");
}

#[test]
fn markdown_names_the_best_and_worst_calibrated_from_five_confidences() {
    // Five key results each for ann (always right) and bo (always wrong), three for cy.
    let krs = |conf: f64, value: u32, n: usize| -> String {
        (0..n)
            .map(|i| format!("      - {{ id: k{i}, title: K, start: 0, target: 10, checkins: [{{ date: 2026-09-20, value: {value}, confidence: {conf} }}] }}\n"))
            .collect()
    };
    let team = format!(
        "team: t\nperiod: 2026-Q3\nobjectives:\n  - id: a\n    title: A\n    owner: ann\n    key_results:\n{}  - id: b\n    title: B\n    owner: bo\n    key_results:\n{}  - id: c\n    title: C\n    owner: cy\n    key_results:\n{}",
        krs(0.9, 10, 5),
        krs(0.9, 1, 5),
        krs(0.5, 10, 3)
    );
    let dir = repo(&[("goals/t.yaml", &team)]);
    // Each confidence stands 11 of 92 days, 0.5 before: ann (0.9, reached) scores
    // (81·0.25 + 11·0.01) / 92 = 0.2213, bo (0.9, not reached) 29.16 / 92 = 0.3170.
    let o = review(dir.path(), &["--format", "markdown", "--by-owner"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(
        md.contains("Best calibrated: **ann** (0.22, n = 5); least well calibrated: **bo** (0.32, n = 5) (owners with fewer than 5 key results with a confidence are not ranked)."),
        "{md}"
    );
    assert!(md.contains("| cy | 0.25 | 3 |"), "{md}");
    assert!(
        md.contains("**bo**'s confidences scored a Brier of 0.32")
            && md.contains("leaned too hopeful"),
        "{md}"
    );
    // Without the flag, calibration names nobody, in Markdown or text (the objectives'
    // lines have their owners), and neither do the questions.
    for format in ["markdown", "text"] {
        let o = review(dir.path(), &["--format", format]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        let cal = calibration_section(&out);
        for name in ["ann", "bo", "cy"] {
            assert!(!cal.contains(name), "{format} names {name:?}:\n{cal}");
        }
        assert!(!out.contains("**bo**"), "{format}:\n{out}");
        assert!(
            !out.to_lowercase().contains("calibrated:"),
            "{format}:\n{out}"
        );
    }
    let o = review(dir.path(), &["--by-owner"]);
    assert!(
        stdout(&o).contains("least well calibrated: bo (0.32, n = 5)"),
        "{}",
        stdout(&o)
    );
}

/// The calibration part of a text or Markdown review: from its heading to the next
/// section (Markdown) or the next step (text).
fn calibration_section(out: &str) -> &str {
    let start = out
        .find("## Calibration")
        .or_else(|| out.find("\nCalibration: "))
        .expect("a calibration section");
    let rest = &out[start + 3..];
    let end = rest
        .find("\n## ")
        .or_else(|| rest.find("\nnext: "))
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn a_long_review_fits_in_one_comment() {
    // 120 teams with long titles: more than GitHub's 65,536 characters.
    let mut files = Vec::new();
    for t in 0..120 {
        let title = format!(
            "An objective with a long title number {t} {}",
            "x".repeat(300)
        );
        files.push((
            format!("goals/t{t:03}.yaml"),
            format!("team: t{t:03}\nperiod: 2026-Q3\nobjectives:\n  - id: o\n    title: {title}\n    owner: ann\n    key_results:\n      - {{ id: k, title: {title}, start: 0, target: 10, checkins: [{{ date: 2026-09-20, value: 5, confidence: 0.5 }}] }}\n      - {{ id: l, title: {title}, start: 0, target: 10, checkins: [{{ date: 2026-09-20, value: 9 }}] }}\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = repo(&refs);
    let o = review(dir.path(), &["--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(md.len() <= 65_536, "{}", md.len());
    assert!(
        md.contains("Truncated to stay under GitHub's 65536-character limit"),
        "{}",
        &md[md.len() - 400..]
    );
    assert!(md.contains("## Calibration"), "calibration comes first");
}

#[test]
fn text_and_usage_errors() {
    let dir = fixture();
    let o = review(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with("Review of 2026-Q3 (2026-07-01 to 2026-09-30), as of 2026-10-15\n"),
        "{text}"
    );
    assert!(
        text.contains("\nbold: 1 of 3 objectives achieved · calibration 0.28 (n = 4)\n"),
        "{text}"
    );
    assert!(
        text.contains("  carry over: bold/reach (0.55 of the pass mark 0.7)\n"),
        "{text}"
    );
    assert!(
        text.contains("  sandbagging: every aspirational objective scored 1.0"),
        "{text}"
    );
    assert!(
        text.contains("next: goalpost rollover 2026-Q3 2026-Q4 --dry-run"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no colour when not asked");
    let o = run(
        dir.path(),
        &[
            "review",
            "2026-Q3",
            "--as-of",
            "2026-10-15",
            "--color",
            "always",
        ],
    );
    assert!(stdout(&o).contains("\u{1b}["), "colour when asked");

    for (args, says) in [
        (
            &["review", "2026-Q4", "--as-of", "2026-10-15"][..],
            "`2026-Q4` has not closed: it ends on 2026-12-31",
        ),
        (
            &["review", "2026-Q3", "--as-of", "2026-09-30"][..],
            "it ends on 2026-09-30",
        ),
        (
            &["review", "2026-Q2", "--as-of", "2026-10-15"][..],
            "no objectives in period `2026-Q2`",
        ),
        (
            &[
                "review",
                "2026-Q3",
                "--team",
                "nope",
                "--as-of",
                "2026-10-15",
            ][..],
            "team `nope` has no objectives in `2026-Q3`",
        ),
    ] {
        let o = run(dir.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
}

#[test]
fn the_example_quarter_has_something_to_show() {
    let acme = root().join("examples/acme");
    let o = run(&acme, &["review", "2026-Q3", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let owners = v["calibration"]["by_owner"].as_object().expect("owners");
    let ranked: Vec<&String> = owners
        .iter()
        .filter(|(_, b)| b["n"].as_u64().unwrap_or(0) >= 5)
        .map(|(o, _)| o)
        .collect();
    assert!(
        ranked.len() >= 2,
        "two owners with five confidences: {owners:?}"
    );
    let carried: Vec<&Value> = v["teams"]
        .as_array()
        .expect("teams")
        .iter()
        .flat_map(|t| t["carry_over"].as_array().expect("refs"))
        .collect();
    assert!(!carried.is_empty(), "something to carry over");
    let o = run(
        &acme,
        &["review", "2026-Q3", "--format", "markdown", "--by-owner"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("Best calibrated: **"), "{}", stdout(&o));
    let o = run(&acme, &["review", "2026-Q3"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&acme, &["rollover", "2026-Q3", "2026-Q4", "--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("    carried_from: 2026-Q3\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn hostile_text_stays_inert_in_every_format() {
    let dir = repo(&[
        (
            "goalpost.toml",
            "[periods.\"q<!--\\n::error::p\"]\nstart = 2026-07-01\nend = 2026-09-30\n",
        ),
        (
            "goals/growth.yaml",
            r#"team: growth
period: "q<!--\n::error::p"
objectives:
  - id: onboarding
    title: "Grow\n::error file=a,line=1::forged \e]52;c;ZXZpbA==\a ##[stop-commands]tok @octocat ![x](https://e.example/p.png) <!-- hidden"
    owner: "x\n::add-mask::secret @everyone"
    key_results:
      - id: signups
        title: "\e]8;;https://e.example\alink\e]8;;\a"
        start: 0
        target: 10
        unit: "\e[31mred"
        checkins:
          - { date: 2026-08-05, value: 5, confidence: 0.5 }
      - { id: b, title: B, start: 0, target: 10, checkins: [{ date: 2026-08-05, value: 1 }] }
"#,
        ),
    ]);
    let d = dir.path();
    let period = "q<!--\n::error::p";
    for args in [
        &["review", period][..],
        &["review", period, "--format", "markdown"],
        &["rollover", period, "2026-Q4", "--dry-run"],
    ] {
        let o = run(d, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        for (what, out) in [("stdout", stdout(&o)), ("stderr", stderr(&o))] {
            for line in out.lines() {
                assert!(
                    !line.trim_start().starts_with("::") && !line.contains("##["),
                    "{args:?} {what}: forged line {line:?}"
                );
            }
            let raw = out
                .chars()
                .find(|&c| c.is_control() && c != '\n' && c != '\t');
            assert_eq!(raw, None, "{args:?} {what}:\n{out}");
        }
        if args.contains(&"markdown") {
            let md = stdout(&o);
            for bad in ["@octocat", "@everyone", "![", "<!--"] {
                assert!(!md.contains(bad), "holds {bad:?}:\n{md}");
            }
            assert!(
                md.lines().next().is_some_and(|h| h.starts_with("# q&lt;")),
                "{md}"
            );
        }
    }
    // JSON keeps the text exactly (serde escapes it).
    let o = run(d, &["review", period, "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["period"], period);
    assert_eq!(
        v["calibration"]["by_owner"]
            .as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>()),
        Some(vec!["x\n::add-mask::secret @everyone".to_owned()])
    );
}
