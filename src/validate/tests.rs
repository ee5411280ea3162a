use super::*;
use crate::load::parse_file;

fn check(src: &str) -> Vec<Diagnostic> {
    let (raw, mut diags) = parse_file(0, src);
    let raw = raw.expect("the test file converts");
    let (_, more) = validate(&[(0, raw)], &Config::default());
    diags.extend(more);
    diags
}

fn objectives(parents: &[Option<usize>]) -> String {
    let mut s = String::from("team: a\nperiod: 2026-Q4\nobjectives:\n");
    for (i, p) in parents.iter().enumerate() {
        let parent = p.map_or(String::new(), |p| format!(", parent: a/o{p}"));
        s.push_str(&format!(
            "  - {{ id: o{i}, title: O{parent}, key_results: [{{ id: k, title: K, start: 0, target: 1 }}] }}\n"
        ));
    }
    s
}

#[test]
fn each_parent_cycle_is_reported_once_at_its_first_member() {
    // o1 → o2 → o3 → o1, o4 → o4, and o0 / o5 hang off cycles without being in one.
    let d = check(&objectives(&[
        Some(1),
        Some(2),
        Some(3),
        Some(1),
        Some(4),
        Some(4),
    ]));
    let cycles: Vec<&Diagnostic> = d.iter().filter(|d| d.code == Code::ParentCycle).collect();
    assert_eq!(cycles.len(), 2, "{d:#?}");
    assert_eq!(
        cycles[0].message,
        "objectives' parents form a cycle: a/o1 → a/o2 → a/o3 → a/o1"
    );
    assert_eq!(cycles[0].span.line, 5);
    assert_eq!(cycles[0].related.len(), 2);
    assert_eq!(
        cycles[1].message,
        "objectives' parents form a cycle: a/o4 → a/o4"
    );
}

#[test]
fn a_long_parent_chain_is_linear() {
    // 5,000 links once took O(n³) steps (minutes); now each objective is walked once.
    let n: usize = 5_000;
    let parents: Vec<Option<usize>> = (0..n).map(|i| i.checked_sub(1)).collect();
    let started = std::time::Instant::now();
    let d = check(&objectives(&parents));
    assert!(d.iter().all(|d| d.code != Code::ParentCycle));
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    let mut cyclic = parents;
    cyclic[0] = Some(n - 1);
    let d = check(&objectives(&cyclic));
    assert_eq!(d.iter().filter(|d| d.code == Code::ParentCycle).count(), 1);
}

#[test]
fn suggestions_stop_when_the_budget_is_spent() {
    let config = Config::default();
    let mut v = Validator {
        config: &config,
        diags: Vec::new(),
        suggest_budget: 1_000,
    };
    let kpis = || ["a/churn".to_owned(), "a/nps".to_owned()].into_iter();
    assert_eq!(v.suggestion("a/chrun", kpis()).as_deref(), Some("a/churn"));
    let many = (0..1_000).map(|i| format!("a/k{i}"));
    assert_eq!(v.suggestion("a/k1", many), None);
    assert_eq!(v.suggest_budget, 0);
    // Spent: no more suggestions, and no candidates are even built.
    let never = std::iter::from_fn(|| -> Option<String> { panic!("candidates were built") });
    assert_eq!(v.suggestion("a/chrun", never), None);
}

#[test]
fn one_objective_id_in_many_periods_is_not_a_duplicate() {
    let mut src = String::new();
    let mut files = Vec::new();
    for (i, year) in (2000..2400).enumerate() {
        src.clear();
        src.push_str(&format!(
            "team: a\nperiod: {year}\nobjectives:\n  - {{ id: o, title: O, key_results: [{{ id: k, title: K, start: 0, target: 1 }}] }}\n"
        ));
        let (raw, _) = parse_file(i as u32, &src);
        files.push((i as u32, raw.expect("the test file converts")));
    }
    let twin = "team: a\nperiod: 2001\nobjectives:\n  - { id: o, title: Twin, key_results: [{ id: k, title: K, start: 0, target: 1 }] }\n";
    let (raw, _) = parse_file(400, twin);
    files.push((400, raw.expect("the test file converts")));
    let (_, d) = validate(&files, &Config::default());
    let dups: Vec<&Diagnostic> = d.iter().filter(|d| d.code == Code::DuplicateId).collect();
    assert_eq!(dups.len(), 1, "{d:#?}");
    assert_eq!(dups[0].related[0].span.file, 1);
}
