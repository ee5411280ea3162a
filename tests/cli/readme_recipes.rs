//! The README's jq recipes (Output contracts, "Recipes with jq") answer their questions: each
//! is run as written, with the real `jq`, on real outputs (examples/acme, a copy of it with a
//! KPI in critical, a small git repository whose targets move), and its answer is compared
//! with the same answer computed here from the JSON.

use crate::common::*;
use crate::tools;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// The README's recipes: the shell code of each ```sh block in the "Recipes with jq" section,
/// keyed by its first line (a `# question` comment).
fn recipes() -> BTreeMap<String, String> {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let start = readme
        .find("\n### Recipes with jq\n")
        .expect("README.md has a `### Recipes with jq` section");
    let section = &readme[start + 1..];
    let end = ["\n## ", "\n### "]
        .iter()
        .filter_map(|h| section.find(h))
        .min()
        .unwrap_or(section.len());
    let section = &section[..end];
    let mut out = BTreeMap::new();
    let mut block: Option<Vec<&str>> = None;
    for line in section.lines() {
        match (&mut block, line) {
            (None, "```sh") => block = Some(Vec::new()),
            (Some(lines), "```") => {
                let question = lines.first().expect("a recipe").trim_start_matches("# ");
                out.insert(question.to_owned(), lines[1..].join("\n"));
                block = None;
            }
            (Some(lines), l) => lines.push(l),
            (None, _) => {}
        }
    }
    out
}

/// The recipe whose question contains `words`.
fn recipe<'a>(all: &'a BTreeMap<String, String>, words: &str) -> &'a str {
    let found: Vec<_> = all.iter().filter(|(q, _)| q.contains(words)).collect();
    assert_eq!(
        found.len(),
        1,
        "one recipe about {words:?}: {:?}",
        all.keys()
    );
    found[0].1
}

/// Runs a recipe in `dir` as a user would: bash, goalpost (the binary under test) and jq on
/// PATH, today pinned.
fn run_recipe(dir: &Path, script: &str) -> String {
    let bin_dir = bin().parent().expect("a directory").to_owned();
    let path = std::env::join_paths([bin_dir].into_iter().chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    let o = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("GOALPOST_TODAY", TODAY)
        .output()
        .expect("bash runs");
    assert!(o.status.success(), "{script}\n{}", stderr(&o));
    stdout(&o)
}

/// The JSON goalpost prints in `dir` for `args`.
fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let o = run(dir, args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("JSON")
}

/// Tab-separated lines as jq writes them equal `want`: cells that are numbers compare as
/// numbers (jq versions differ in writing `150.0` or `150`), others as text.
fn assert_same_tsv(got: &str, want: &str) {
    let cells = |t: &str| -> Vec<Vec<String>> {
        t.lines()
            .map(|l| l.split('\t').map(str::to_owned).collect())
            .collect()
    };
    let (g, w) = (cells(got), cells(want));
    let same = g.len() == w.len()
        && g.iter().zip(&w).all(|(a, b)| {
            a.len() == b.len()
                && a.iter().zip(b).all(|(x, y)| {
                    x == y
                        || matches!((x.parse::<f64>(), y.parse::<f64>()), (Ok(p), Ok(q)) if p == q)
                })
        });
    assert!(same, "jq answered:\n{got}\nexpected:\n{want}");
}

/// A JSON number or string as jq's `@tsv` writes it; null is empty.
fn tsv(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn the_readme_jq_recipes_answer_their_questions() {
    if tools::on_path("jq").is_none() {
        return tools::missing(
            "the_readme_jq_recipes_answer_their_questions",
            "jq (Debian jq)",
        );
    }
    if tools::on_path("bash").is_none() {
        return tools::missing("the_readme_jq_recipes_answer_their_questions", "bash");
    }
    let all = recipes();
    assert_eq!(all.len(), 3, "{:?}", all.keys());

    // Off-track key results per owner, on the example.
    let acme = root().join("examples/acme");
    let status = json(&acme, &["status", "--format", "json"]);
    let mut want: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for o in status["objectives"].as_array().expect("objectives") {
        let owner = o["owner"].as_str().unwrap_or("(no owner)");
        for kr in o["key_results"].as_array().expect("key results") {
            if kr["status"] == "off_track" {
                want.entry(owner.to_owned())
                    .or_default()
                    .push(kr["ref"].as_str().expect("ref").to_owned());
            }
        }
    }
    assert!(
        want.len() >= 3,
        "the example has off-track key results: {want:?}"
    );
    let want: String = want
        .iter()
        .map(|(owner, refs)| format!("{owner}: {}\n", refs.join(" ")))
        .collect();
    let got = run_recipe(&acme, recipe(&all, "off-track key results"));
    assert_eq!(got, want);

    // KPIs in critical: none in the example today; a copy with churn checked in at 8.2%
    // (critical at 7%) has one.
    let kpis = recipe(&all, "KPIs in critical");
    assert_eq!(run_recipe(&acme, kpis), "");
    let copy = tempfile::tempdir().expect("temp dir");
    copy_dir(&acme, copy.path());
    let o = run(copy.path(), &["checkin", "growth/churn", "8.2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let status = json(copy.path(), &["status", "--format", "json"]);
    let want: String = status["kpis"]
        .as_array()
        .expect("kpis")
        .iter()
        .filter(|k| k["status"] == "critical")
        .map(|k| {
            ["ref", "value", "unit", "critical", "owner"]
                .map(|f| tsv(&k[f]))
                .join("\t")
                + "\n"
        })
        .collect();
    assert_same_tsv(&want, "growth/churn\t8.2\t%\t7\tbob\n");
    assert_same_tsv(&run_recipe(copy.path(), kpis), &want);

    // The diff's moved targets: a key result's target and a KPI's critical moved in the work
    // tree against main; another key result only gets a check-in.
    let goals = |target: u32, critical: u32| {
        format!(
            "team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: Grow\n    key_results:\n      - id: signups\n        title: Raise weekly sign-ups from 100 to {target}\n        start: 100\n        target: {target}\n      - id: calls\n        title: Cut sales calls from 50 to 20\n        start: 50\n        target: 20\n"
        ) + &format!(
            "kpis:\n  - id: churn\n    title: Monthly churn\n    unit: \"%\"\n    better: lower\n    target: 5\n    critical: {critical}\n"
        )
    };
    let d = repo(&[("goals/growth.yaml", &goals(150, 7))]);
    git_as(d.path(), "Ann", &["init", "-q", "-b", "main"]);
    git_as(d.path(), "Ann", &["add", "-A"]);
    git_as(d.path(), "Ann", &["commit", "-qm", "plan"]);
    write(d.path(), "goals/growth.yaml", goals(120, 8).as_bytes());
    let diff = json(d.path(), &["diff", "main", "--format", "json"]);
    let mut want = String::new();
    for c in diff["changes"].as_array().expect("changes") {
        for m in c["moved"].as_array().expect("moved") {
            let flag = if c["goalpost_moved"] == true {
                "goalpost-moved"
            } else {
                ""
            };
            want += &format!(
                "{}\t{}\t{}\t{}\t{flag}\n",
                tsv(&c["ref"]),
                tsv(&m["field"]),
                tsv(&m["from"]),
                tsv(&m["to"])
            );
        }
    }
    assert_same_tsv(
        &want,
        "growth/o/signups\ttarget\t150\t120\tgoalpost-moved\ngrowth/churn\tcritical\t7\t8\t\n",
    );
    assert_same_tsv(&run_recipe(d.path(), recipe(&all, "moved targets")), &want);
}
