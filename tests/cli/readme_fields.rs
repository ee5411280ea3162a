//! The README's lists of `status` fields and CSV columns are the ones goalpost prints: the
//! CSV header in order, and the keys of each JSON object (objective, key result, KPI) as sets.
//! A column or key added to the code without a word in the README fails here, and so does one
//! without a type in the README or in its pandas and DuckDB recipes, which are run for real.

use crate::common::{root, run};
use std::collections::BTreeSet;

/// The words of the code span that follows `marker` in the README (a span may run over line
/// breaks), split at commas.
fn listed(readme: &str, marker: &str) -> Vec<String> {
    let at = readme
        .find(marker)
        .unwrap_or_else(|| panic!("README.md says {marker:?}"));
    let rest = &readme[at + marker.len()..];
    let start = rest.find('`').expect("a code span follows") + 1;
    let end = start + rest[start..].find('`').expect("the code span ends");
    rest[start..end]
        .split(',')
        .map(|w| w.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).expect("README.md")
}

#[test]
fn the_readme_lists_the_csv_columns_in_order() {
    let o = run(
        &root().join("examples/acme"),
        &["status", "--format", "csv", "--as-of", "2026-11-15"],
    );
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).expect("UTF-8");
    let header: Vec<String> = text
        .lines()
        .next()
        .expect("a header")
        .split(',')
        .map(str::to_owned)
        .collect();
    assert_eq!(listed(&readme(), "with the columns"), header);
}

#[test]
fn the_readme_lists_the_json_fields_of_status() {
    let o = run(
        &root().join("examples/acme"),
        &["status", "--format", "json", "--as-of", "2026-11-15"],
    );
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let keys = |x: &serde_json::Value| -> BTreeSet<String> {
        x.as_object().expect("an object").keys().cloned().collect()
    };
    let set =
        |marker: &str| -> BTreeSet<String> { listed(&readme(), marker).into_iter().collect() };
    let objective = &v["objectives"][0];
    assert_eq!(set("Each objective has"), keys(objective), "objective");
    assert_eq!(
        set("or null); each key result"),
        keys(&objective["key_results"][0]),
        "key result"
    );
    assert_eq!(set("computed)); each KPI"), keys(&v["kpis"][0]), "KPI");
}

/// The CSV header goalpost prints for the example.
fn csv_header() -> Vec<String> {
    let o = run(
        &root().join("examples/acme"),
        &["status", "--format", "csv", "--as-of", "2026-11-15"],
    );
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).expect("UTF-8");
    let line = text.lines().next().expect("a header");
    line.split(',').map(str::to_owned).collect()
}

/// The README's CSV column types: text, numbers, `true`/`false`, dates.
fn csv_types() -> [Vec<String>; 4] {
    let r = readme();
    [
        listed(&r, "Every column has one type: words (text) in"),
        listed(&r, "numbers only in"),
        listed(&r, "`true`/`false` only in"),
        listed(&r, "`YYYY-MM-DD` dates in"),
    ]
}

/// The fenced block of `lang` that follows the README's "Reading the CSV" paragraph.
fn csv_recipe(lang: &str) -> String {
    let r = readme();
    let at = r
        .find("**Reading the CSV in pandas or DuckDB.**")
        .expect("README.md has the CSV recipes");
    let fence = format!("\n```{lang}\n");
    let start = at + r[at..].find(&fence).expect("the recipe") + fence.len();
    let end = start + r[start..].find("\n```\n").expect("the recipe ends");
    r[start..end].to_owned()
}

/// The strings quoted with `quote` in `text`.
fn quoted(text: &str, quote: char) -> Vec<String> {
    text.split(quote)
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_readme_gives_every_csv_column_one_type() {
    // Issue 32 item 7: `team: 42` and `period: 2026` became numbers in pandas and DuckDB; the
    // recipes name the type of every column, which needs the README to know them all.
    let mut typed: Vec<String> = csv_types().concat();
    let mut header = csv_header();
    typed.sort();
    header.sort();
    assert_eq!(
        typed, header,
        "each column in exactly one of the README's type lists"
    );
}

#[test]
fn the_readme_csv_recipes_type_every_column() {
    let [text, numbers, flags, dates] = csv_types();
    // pandas: the four lists, each read as its type.
    let py = csv_recipe("python");
    for (name, want) in [
        ("text", &text),
        ("numbers", &numbers),
        ("flags", &flags),
        ("dates", &dates),
    ] {
        let start = py
            .find(&format!("\n{name} = ["))
            .unwrap_or_else(|| panic!("the pandas recipe has `{name} = [`"));
        let list = &py[start..start + py[start..].find(']').expect("the list ends")];
        assert_eq!(&quoted(list, '"'), want, "the pandas recipe's `{name}`");
    }
    for part in [
        "{c: str for c in text}",
        "{c: \"float64\" for c in numbers}",
        "{c: \"boolean\" for c in flags}",
        "parse_dates=dates",
        "keep_default_na=False, na_values=[\"\"]",
    ] {
        assert!(py.contains(part), "the pandas recipe has {part}");
    }
    // DuckDB: every column with the type of its list.
    let sql = csv_recipe("sql");
    let types = &sql[sql.find("types = {").expect("types")..];
    let words = quoted(types, '\'');
    let pairs: Vec<(String, String)> = words
        .chunks(2)
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect();
    let mut want: Vec<(String, String)> = Vec::new();
    for (list, ty) in [
        (&text, "VARCHAR"),
        (&numbers, "DOUBLE"),
        (&flags, "BOOLEAN"),
        (&dates, "DATE"),
    ] {
        want.extend(list.iter().map(|c| (c.clone(), ty.to_owned())));
    }
    assert_eq!(pairs, want, "the DuckDB recipe's types");
}

/// Goals whose text looks like numbers, booleans and nulls: team `42`, period `2026`, owner
/// `NA`, units `1` and `null`, titles `1e3` and `TRUE`, a KPI id `1e5`.
const NUMERIC_LOOKING: &str = r#"team: "42"
period: "2026"
objectives:
  - id: "007"
    title: "1e3"
    owner: NA
    key_results:
      - id: "10"
        title: Raise sign-ups from 100 to 150
        unit: "1"
        start: 100
        target: 150
        checkins:
          - { date: 2026-10-05, value: 120 }
kpis:
  - id: "1e5"
    title: "TRUE"
    unit: "null"
    better: lower
    target: 5
    critical: 7
    checkins:
      - { date: 2026-10-05, value: 6 }
"#;

#[test]
fn the_readme_csv_recipes_keep_numeric_looking_words_as_text() {
    let d = crate::common::repo(&[("goals/42.yaml", NUMERIC_LOOKING)]);
    let o = run(d.path(), &["status", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", crate::common::stderr(&o));
    std::fs::write(d.path().join("status.csv"), &o.stdout).expect("write");
    let [text, numbers, flags, dates] = csv_types();
    // What each reader brings back, as JSON: the values of some columns, every column's type.
    let report = |python: &std::path::Path, script: String| -> serde_json::Value {
        let o = std::process::Command::new(python)
            .args(["-c", &script])
            .current_dir(d.path())
            .output()
            .expect("python runs");
        assert!(
            o.status.success(),
            "{script}\n{}",
            crate::common::stderr(&o)
        );
        serde_json::from_slice(&o.stdout).expect("JSON")
    };
    let column = |v: &serde_json::Value, c: &str| v["values"][c].clone();
    let expect_text = |v: &serde_json::Value| {
        assert_eq!(column(v, "team"), serde_json::json!(["42", "42", "42"]));
        assert_eq!(
            column(v, "period"),
            serde_json::json!(["2026", "2026", null])
        );
        assert_eq!(column(v, "owner"), serde_json::json!(["NA", "NA", null]));
        assert_eq!(column(v, "unit"), serde_json::json!([null, "1", "null"]));
        assert_eq!(column(v, "title")[0], "1e3");
        assert_eq!(column(v, "title")[2], "TRUE");
        assert_eq!(column(v, "ref")[2], "42/1e5");
        assert_eq!(column(v, "start"), serde_json::json!([null, 100.0, null]));
        assert_eq!(column(v, "stale"), serde_json::json!([null, true, true]));
    };
    let shown = "['team', 'period', 'owner', 'unit', 'title', 'ref', 'start', 'stale']";

    match crate::tools::python_with(&["pandas"]) {
        None => crate::tools::missing(
            "the_readme_csv_recipes_keep_numeric_looking_words_as_text (pandas)",
            "pandas (PyPI)",
        ),
        Some(python) => {
            let script = format!(
                "{}\nimport json\n\
                 values = {{c: [None if pd.isna(x) else x for x in df[c].tolist()] for c in {shown}}}\n\
                 print(json.dumps({{'values': values, 'types': {{c: str(t) for c, t in df.dtypes.items()}}}}))\n",
                csv_recipe("python")
            );
            let v = report(&python, script);
            expect_text(&v);
            for c in &text {
                let t = v["types"][c].as_str().expect("a type");
                assert!(["str", "string", "object"].contains(&t), "{c}: {t}");
            }
            for c in &numbers {
                assert_eq!(v["types"][c], "float64", "{c}");
            }
            for c in &flags {
                assert_eq!(v["types"][c], "boolean", "{c}");
            }
            for c in &dates {
                let t = v["types"][c].as_str().expect("a type");
                assert!(t.starts_with("datetime64"), "{c}: {t}");
            }
        }
    }
    match crate::tools::python_with(&["duckdb"]) {
        None => crate::tools::missing(
            "the_readme_csv_recipes_keep_numeric_looking_words_as_text (DuckDB)",
            "duckdb (PyPI)",
        ),
        Some(python) => {
            let script = format!(
                "import duckdb, json\nr = duckdb.sql({:?})\nrows = r.fetchall()\n\
                 values = {{c: [row[r.columns.index(c)] for row in rows] for c in {shown}}}\n\
                 print(json.dumps({{'values': values, 'types': dict(zip(r.columns, map(str, r.types)))}}))\n",
                csv_recipe("sql")
            );
            let v = report(&python, script);
            expect_text(&v);
            for (list, ty) in [
                (&text, "VARCHAR"),
                (&numbers, "DOUBLE"),
                (&flags, "BOOLEAN"),
                (&dates, "DATE"),
            ] {
                for c in list {
                    assert_eq!(v["types"][c], ty, "{c}");
                }
            }
        }
    }
}
