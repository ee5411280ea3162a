//! Integration tests: the real `goalpost` binary on temporary repositories.

mod base;
mod check;
mod checkin;
mod common;
mod completion;
mod contracts;
mod corpus;
mod corrections;
mod explain;
mod fixtures;
mod forecast;
mod git;
mod import;
mod init;
mod log;
mod lsp;
mod man;
mod nvim;
mod outputs;
mod prometheus;
mod pull;
mod readme_dev;
mod recipes;
mod report;
mod review;
mod rollover;
mod schema;
mod scoring;
mod security;
mod snapshots_all;
mod sources;
mod status;
mod today;
mod tools;
mod workflow;

/// Arrows point down (STYLE.md): the library never reaches into `cli`, which is the only
/// module that prints and the edge where the process exits.
#[test]
fn only_cli_uses_cli() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let offenders: Vec<String> = files
        .iter()
        .filter(|p| !p.starts_with(src.join("cli")) && !p.ends_with("main.rs"))
        .filter(|p| {
            std::fs::read_to_string(p)
                .expect("read")
                .contains("crate::cli")
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "crate::cli used outside cli/: {offenders:?}"
    );
}
