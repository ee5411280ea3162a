//! Integration tests: the real `goalpost` binary on temporary repositories.

mod attention;
mod base;
mod calendar;
mod check;
mod checkin;
mod common;
mod completion;
mod contracts;
mod corpus;
mod corrections;
mod digest;
mod explain;
mod fixtures;
mod forecast;
mod git;
mod history_script;
mod import;
mod init;
mod insights;
mod insights_oracle;
mod item_files;
mod layers;
mod log;
mod lsp;
mod man;
mod milestones;
mod nvim;
mod oracle;
mod outputs;
mod plan_history;
mod precommit;
mod prometheus;
mod pull;
mod pull_request;
mod readme_dev;
mod readme_fields;
mod readme_recipes;
mod recipes;
mod report;
mod review;
mod revise;
mod rollover;
mod schema;
mod scoring;
mod security;
mod snapshots_all;
mod sources;
mod status;
mod terminal;
mod today;
mod tools;
mod upstream;
mod workflow;

/// The Rust files under `src/` outside `except` (a directory under `src/`) whose text
/// contains `needle`.
fn sources_naming(needle: &str, except: &str) -> Vec<String> {
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
    files
        .iter()
        .filter(|p| !p.starts_with(src.join(except)) && !p.ends_with("main.rs"))
        .filter(|p| std::fs::read_to_string(p).expect("read").contains(needle))
        .map(|p| p.display().to_string())
        .collect()
}

/// libgit2 stays behind the git boundary: its ids and errors are wrapped in `git::Oid` and
/// `git::Error` before they leave `src/git/`.
#[test]
fn only_git_uses_git2() {
    let offenders = sources_naming("git2::", "git");
    assert!(
        offenders.is_empty(),
        "git2 used outside src/git/: {offenders:?}"
    );
}
