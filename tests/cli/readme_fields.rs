//! The README's lists of `status` fields and CSV columns are the ones goalpost prints: the
//! CSV header in order, and the keys of each JSON object (objective, key result, KPI) as sets.
//! A column or key added to the code without a word in the README fails here.

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
        // Not the first "each key result" (the scoring section has one); the field list's.
        set("); each key result"),
        keys(&objective["key_results"][0]),
        "key result"
    );
    assert_eq!(set("each KPI"), keys(&v["kpis"][0]), "KPI");
}
