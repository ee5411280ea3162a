//! `goalpost insights` (SPEC 14) on real git repositories built commit by commit with
//! chosen author dates and offsets: latency in the author's own zone, backfilled check-ins,
//! uncommitted ones left out, a target eased in place and one put back, a merge that does
//! not count a branch's move twice, revisions, skill and calibration over a closed period,
//! and the usage and history errors.

use crate::common::*;
use std::path::Path;

const DEF: &str = "team: t
period: 2026-Q3
objectives:
  - id: o
    title: Grow
    owner: ann
    key_results:
      - id: k
        title: Reach 100
        start: 0
        target: 120
        checkins:
          - { date: 2026-07-06, value: 10, confidence: 0.6 }
      - id: m
        title: Cut waste
        owner: bob
        start: 50
        target: 10
        revisions:
          - { date: 2026-08-01, target: 20, reason: supplier left }
";

const LOG: &str = "checkins:\n";

fn commit(dir: &Path, who: &str, date: &str, msg: &str) {
    git_as(dir, who, &["add", "-A"]);
    git_as(dir, who, &["commit", "-q", "--date", date, "-m", msg]);
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("file");
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

fn append(dir: &Path, file: &str, line: &str) {
    let path = dir.join(file);
    let mut text = std::fs::read_to_string(&path).expect("file");
    text.push_str(line);
    text.push('\n');
    std::fs::write(&path, text).expect("write");
}

/// The team's history, as in the module comment.
fn history() -> tempfile::TempDir {
    let d = repo(&[
        (
            "goals/t/2026-Q3.yaml",
            &DEF.replace(
                "          - { date: 2026-07-06, value: 10, confidence: 0.6 }\n",
                "          []\n",
            )
            .replace("checkins:\n          []", "checkins: []"),
        ),
        ("goals/checkins.yaml", LOG),
    ]);
    let p = d.path();
    git_as(p, "ann", &["init", "-q", "-b", "main"]);
    commit(p, "ann", "2026-06-28T10:00:00+02:00", "plan Q3");
    // Dated 2026-07-06, committed late on 07-08 in New York (already 07-09 in UTC): 2 days.
    edit(
        p,
        "goals/t/2026-Q3.yaml",
        "checkins: []",
        "checkins:\n          - { date: 2026-07-06, value: 10, confidence: 0.6 }",
    );
    commit(p, "ann", "2026-07-08T23:30:00-05:00", "k: week 28");
    // The target eased in place inside the period: a move.
    edit(p, "goals/t/2026-Q3.yaml", "target: 120", "target: 100");
    commit(p, "ann", "2026-07-20T09:00:00+00:00", "k: ease target");
    // bob's log check-ins: one the same day, one 20 days late (backfilled).
    append(
        p,
        "goals/checkins.yaml",
        "  - { ref: t/o/m, date: 2026-07-10, value: 45, confidence: 0.9 }",
    );
    commit(p, "bob", "2026-07-10T17:00:00+09:00", "m: week 28");
    append(
        p,
        "goals/checkins.yaml",
        "  - { ref: t/o/m, date: 2026-07-17, value: 44 }",
    );
    append(
        p,
        "goals/checkins.yaml",
        "  - { ref: t/o/m, date: 2026-08-03, value: 40 }",
    );
    commit(p, "bob", "2026-08-06T12:00:00+01:00", "m: catch up");
    // A branch raises k's target (a move in place) and is merged: counted once.
    git_as(p, "ann", &["checkout", "-q", "-b", "raise"]);
    edit(p, "goals/t/2026-Q3.yaml", "target: 100", "target: 110");
    commit(p, "ann", "2026-08-10T09:00:00+00:00", "k: raise");
    git_as(p, "ann", &["checkout", "-q", "main"]);
    append(
        p,
        "goals/checkins.yaml",
        "  - { ref: t/o/m, date: 2026-08-20, value: 30 }",
    );
    commit(p, "bob", "2026-08-21T09:00:00+00:00", "m: week 34");
    git_as(p, "ann", &["merge", "-q", "--no-ff", "--no-edit", "raise"]);
    // After the period: an edit of the target does not count (the period was closed).
    edit(p, "goals/t/2026-Q3.yaml", "target: 110", "target: 111");
    commit(p, "ann", "2026-10-05T09:00:00+00:00", "k: after the fact");
    // Not committed: left out of latency.
    append(
        p,
        "goals/checkins.yaml",
        "  - { ref: t/o/m, date: 2026-09-28, value: 25 }",
    );
    d
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--as-of", "2026-12-01", "insights", "--format", "json"];
    all.extend(args);
    let o = run(dir, &all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("JSON")
}

#[test]
fn latency_moves_and_the_own_offset_from_a_real_history() {
    let d = history();
    let v = json(d.path(), &[]);
    assert_eq!(v["periods"], serde_json::json!(["2026-Q3"]));
    let t = &v["teams"][0];
    assert_eq!(t["team"], "t");
    // k: 07-06 → 07-08 (2, own offset; UTC would say 3). m: 07-10 → 07-10 (0), 07-17 →
    // 08-06 (20), 08-03 → 08-06 (3), 08-20 → 08-21 (1). The uncommitted 09-28 is left out.
    assert_eq!(t["latency"]["n"], 5, "{t}");
    assert_eq!(t["latency"]["median"], 2);
    assert_eq!(t["latency"]["backfilled"], 0.2);
    // In place: eased (120 → 100) and raised (100 → 110, the branch commit, not the merge);
    // the edit after the period does not count. One revision.
    let m = &t["moves"];
    assert_eq!(
        (
            &m["in_place"],
            &m["eased"],
            &m["raised"],
            &m["shifted"],
            &m["revisions"]
        ),
        (
            &serde_json::json!(2),
            &serde_json::json!(1),
            &serde_json::json!(1),
            &serde_json::json!(0),
            &serde_json::json!(1)
        ),
        "{m}"
    );
    // Per owner: ann owns k, bob m.
    let owners: Vec<&str> = v["by_owner"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["owner"].as_str().unwrap())
        .collect();
    assert_eq!(owners, ["ann", "bob"]);
    assert_eq!(v["by_owner"][0]["latency"]["n"], 1);
    assert_eq!(v["by_owner"][1]["moves"]["revisions"], 1);
    // Calibration over the closed period: both key results gave a confidence.
    assert_eq!(t["calibration"]["n"], 2);
    let c = &t["calibration"];
    let (b, rel, res, unc) = (
        c["brier"].as_f64().unwrap(),
        c["reliability"].as_f64().unwrap(),
        c["resolution"].as_f64().unwrap(),
        c["uncertainty"].as_f64().unwrap(),
    );
    assert!(b >= 0.0 && rel >= 0.0 && res >= 0.0 && unc >= 0.0, "{c}");
    // Text names each move with its commit, and each revision with its reason.
    let o = run(d.path(), &["--as-of", "2026-12-01", "insights"]);
    let text = stdout(&o);
    assert!(text.contains("eased in place by ann"), "{text}");
    assert!(text.contains("raised in place by ann"), "{text}");
    assert!(text.contains("supplier left"), "{text}");
    assert!(
        !text.contains("Owner ann"),
        "owners are named only with --by-owner: {text}"
    );
    let o = run(
        d.path(),
        &["--as-of", "2026-12-01", "insights", "--by-owner"],
    );
    assert!(stdout(&o).contains("Owner bob"), "{}", stdout(&o));
    // Markdown: a table a team pastes.
    let o = run(
        d.path(),
        &["--as-of", "2026-12-01", "insights", "--format", "markdown"],
    );
    let md = stdout(&o);
    assert!(md.starts_with("## Insights: 2026-Q3"), "{md}");
    assert!(md.contains("| Check-in latency |"), "{md}");
    // --owner narrows to one person's items; --at reads an older revision's history.
    let v = json(d.path(), &["--owner", "bob"]);
    assert_eq!(v["overall"]["latency"]["n"], 4);
    assert_eq!(v["overall"]["moves"]["in_place"], 0);
    let o = run(
        d.path(),
        &[
            "--as-of",
            "2026-12-01",
            "--at",
            "HEAD~1",
            "insights",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn usage_and_history_errors() {
    let d = history();
    let o = run(d.path(), &["insights", "--period", "2031-Q9"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("2026-Q3"), "{}", stderr(&o));
    let o = run(d.path(), &["insights", "--team", "nobody"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // A shallow clone cannot say when check-ins were first committed.
    let shallow = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", d.path().display());
    git_as(
        shallow.path(),
        "x",
        &["clone", "-q", "--depth", "1", &url, "c"],
    );
    let o = run(&shallow.path().join("c"), &["insights"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("--unshallow"), "{}", stderr(&o));
    // The HTML report (whose last section is the insights) is not refused there: a CI
    // checkout is often shallow. It goes without the history.
    let page = shallow.path().join("page.html");
    let o = run(
        &shallow.path().join("c"),
        &[
            "report",
            "--format",
            "html",
            "-o",
            page.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(&page).expect("the page");
    assert!(html.contains("no git history"), "{html}");
    // Outside git: figures from the files alone, and a note saying what is missing.
    let plain = repo(&[("goals/t/2026-Q3.yaml", DEF)]);
    let o = run(
        plain.path(),
        &["--as-of", "2026-12-01", "insights", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not a git repository"),
        "{}",
        stderr(&o)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["overall"]["latency"]["n"], 0);
    assert_eq!(v["overall"]["latency"]["median"], serde_json::Value::Null);
}

/// Hostile history: a goal file that is a symbolic link in an old commit, a file that does
/// not parse, a non-UTF-8 name and an oversized blob are read as holding nothing.
#[test]
fn a_hostile_history_is_read_as_holding_nothing() {
    let d = history();
    let p = d.path();
    std::os::unix::fs::symlink("/etc/passwd", p.join("goals/link.yaml")).expect("symlink");
    std::fs::write(p.join("goals/broken.yaml"), "team: [unclosed\n").expect("write");
    std::fs::write(p.join("goals/big.yaml"), vec![b'#'; 17 * 1024 * 1024]).expect("write");
    commit(p, "mallory", "2026-10-06T09:00:00+00:00", "hostile");
    for f in ["goals/link.yaml", "goals/broken.yaml", "goals/big.yaml"] {
        git_as(p, "mallory", &["rm", "-q", f]);
    }
    commit(p, "mallory", "2026-10-07T09:00:00+00:00", "clean up");
    let v = json(p, &[]);
    // The check-in left uncommitted before is in the hostile commit now: 6.
    assert_eq!(v["teams"][0]["latency"]["n"], 6, "{v}");
    assert_eq!(v["teams"][0]["moves"]["in_place"], 2, "{v}");
}

/// The README shows `insights` on the example given its history by `examples/history.py`,
/// exactly as it prints (the script is deterministic: same files, same commits).
#[test]
fn the_readme_shows_real_insights_of_the_example() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let command = "$ goalpost -C /tmp/acme-history --as-of 2026-11-30 insights\n";
    let start = readme.find(command).expect("the README shows insights") + command.len();
    let shown = &readme[start..start + readme[start..].find("```").expect("a fence")];
    let dir = acme_with_history();
    let out = dir.path().join("acme-history");
    let o = run(&out, &["--as-of", "2026-11-30", "insights"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(shown, stdout(&o));
}

/// A period of thousands of years (a hostile goalpost.toml) costs a step per check-in, not per
/// week: 200 key results over 8,000 years answer at once instead of never.
#[test]
fn a_period_of_millennia_is_measured_by_its_check_ins() {
    let mut krs = String::new();
    for i in 0..200 {
        krs.push_str(&format!(
            "      - {{ id: k{i}, title: K, start: 0, target: 100, checkins: [{{ date: 2000-01-10, value: 5, confidence: 0.5 }}, {{ date: 2020-06-01, value: 50 }}] }}\n"
        ));
    }
    let goals = format!(
        "team: t\nperiod: forever\nobjectives:\n  - id: o\n    title: Last\n    key_results:\n{krs}"
    );
    let d = repo(&[
        (
            "goalpost.toml",
            "[periods.forever]\nstart = 0001-01-01\nend = 8000-12-31\n",
        ),
        ("goals/t.yaml", &goals),
    ]);
    let o = run(
        d.path(),
        &[
            "--as-of",
            "8001-01-01",
            "insights",
            "--period",
            "forever",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    // Every week from the first check-in on (year 2000 to 8000): about 313,000 per key result.
    let n = v["overall"]["skill"]["n"].as_u64().expect("n");
    assert!(n > 200 * 300_000, "{n}");
    assert_eq!(v["overall"]["calibration"]["n"], 200);
}

/// Check-ins inserted into a list that an alias repeats are both items' (a parse gives them
/// to both refs), and a key result's empty list filled in is read like any other version:
/// every committed check-in has its latency.
#[test]
fn a_list_an_alias_repeats_and_a_list_filled_in_count_for_every_item() {
    let kpis = "team: t
kpis:
  - id: a
    title: A
    better: higher
    target: 4
    checkins: &l
      - { date: 2026-07-01, value: 1 }
  - id: b
    title: B
    better: higher
    target: 4
    checkins: *l
";
    let def = DEF
        .replace(
            "          - { date: 2026-07-06, value: 10, confidence: 0.6 }\n",
            "",
        )
        .replace(
            "        checkins:\n      - id: m",
            "        checkins: []\n      - id: m",
        );
    let d = repo(&[("goals/t/2026-Q3.yaml", &def), ("goals/t/kpis.yaml", kpis)]);
    let p = d.path();
    git_as(p, "ann", &["init", "-q", "-b", "main"]);
    commit(p, "ann", "2026-07-02T10:00:00+00:00", "plan");
    edit(
        p,
        "goals/t/kpis.yaml",
        "      - { date: 2026-07-01, value: 1 }\n",
        "      - { date: 2026-07-01, value: 1 }\n      - { date: 2026-07-15, value: 2 }\n",
    );
    edit(
        p,
        "goals/t/2026-Q3.yaml",
        "        checkins: []\n",
        "        checkins:\n          - { date: 2026-07-14, value: 10 }\n",
    );
    commit(p, "ann", "2026-07-16T10:00:00+00:00", "week 29");
    let v = json(p, &[]);
    // a and b: 07-01 (1 day) and 07-15 (1 day) each; k: 07-14 (2 days).
    assert_eq!(v["teams"][0]["latency"]["n"], 5, "{v}");
}
