//! Timings of the hot functions, so that regressions show: `cargo bench --bench hot`.
//!
//! A plain harness (no criterion: it would add to every cold build): each case runs for about
//! half a second after a warm-up and prints the best and median ns/iter of its batches. The
//! input is a synthetic organisation directory: `GOALPOST_BENCH_ORG=/tmp/org cargo bench`
//! after `python3 benches/gen_org.py 30 /tmp/org`; without it, `examples/acme`.
//!
//! - `parse_file`: YAML → raw structs for the largest goal file (one team's KPIs with their
//!   check-ins in a generated org);
//! - `load`: discovery, reading and parallel parsing of the whole directory;
//! - `validate`, `score`, `status_json`: the later stages over the whole directory
//!   (`validate` includes a copy of the raw files, timed alone as `clone_raw`).

use goalpost::{Date, StatusView, Thresholds, WorkTree, json, validate};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn bench<T>(name: &str, mut f: impl FnMut() -> T) {
    // Calibrate a batch to ~20 ms, then take batches for ~0.5 s.
    let mut per_batch = 1u32;
    loop {
        let t = Instant::now();
        for _ in 0..per_batch {
            black_box(f());
        }
        if t.elapsed() >= Duration::from_millis(20) || per_batch >= 1 << 20 {
            break;
        }
        per_batch *= 2;
    }
    let mut samples = Vec::new();
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(500) || samples.len() < 3 {
        let t = Instant::now();
        for _ in 0..per_batch {
            black_box(f());
        }
        samples.push(t.elapsed().as_nanos() as f64 / f64::from(per_batch));
    }
    samples.sort_by(f64::total_cmp);
    println!(
        "{name:<12} {:>14.0} ns/iter (best)  {:>14.0} ns/iter (median of {})",
        samples[0],
        samples[samples.len() / 2],
        samples.len()
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing else useful.
    let root = std::env::var_os("GOALPOST_BENCH_ORG").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/acme"),
        PathBuf::from,
    );
    let tree = WorkTree::new(&root).expect("the benchmark org directory exists");
    let loaded = goalpost::load(&tree).expect("the benchmark org loads");
    assert!(
        loaded.diags.is_empty(),
        "the benchmark org must be valid YAML"
    );
    println!(
        "org: {} ({} files)",
        root.display(),
        loaded.sources.files.len()
    );

    let largest = loaded
        .sources
        .files
        .iter()
        .max_by_key(|f| f.text.len())
        .expect("the org has files");
    bench("parse_file", || goalpost::parse_file(0, &largest.text));
    bench("load", || goalpost::load(&tree).map(|l| l.files.len()));

    let (goals, diags) = validate(&loaded.files, &loaded.config);
    let valid = goalpost::Valid::of(&goals, &diags).expect("the benchmark org must be valid");
    // `validate` consumes the raw files, so each iteration starts from a copy: `clone_raw`
    // is that copy alone, to subtract.
    bench("clone_raw", || loaded.files.clone());
    bench("validate", || validate(&loaded.files, &loaded.config));

    let as_of = Date::parse("2026-11-15").expect("a real date");
    let th = Thresholds::from(&loaded.config);
    bench("score", || goalpost::score(valid, as_of, th));

    let card = goalpost::score(valid, as_of, th);
    let objectives: Vec<_> = goals.objective_ids().collect();
    let kpis: Vec<_> = goals.kpi_ids().collect();
    bench("status_json", || {
        let view = StatusView::new(&goals, &card, &objectives, &kpis);
        let mut buf = Vec::new();
        json::write_status(&mut buf, &view).map(|_| buf.len())
    });
}
