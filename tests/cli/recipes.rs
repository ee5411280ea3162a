//! The CI and pre-commit recipes shipped with goalpost name real commands and flags: every
//! `goalpost ...` invocation in them is parsed by the real command-line definition, so a
//! renamed flag breaks this test instead of a user's pipeline.

use crate::common::*;
use clap::Parser;

/// The `goalpost` command lines in a text: from `goalpost` to the end of the shell command
/// (a redirection, pipe or `&&`), with quotes removed.
fn invocations(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line
            .trim()
            .trim_start_matches("- ")
            .trim_start_matches("run: ");
        let line = line.trim_start_matches("entry: ");
        let Some(rest) = line.strip_prefix("goalpost ") else {
            continue;
        };
        // A GitHub expression `${{ ... }}` is one value once the runner expands it.
        let mut rest = rest.to_owned();
        while let (Some(a), Some(b)) = (rest.find("${{"), rest.find("}}")) {
            if b < a {
                break;
            }
            rest.replace_range(a..b + 2, "EXPR");
        }
        let mut args = vec!["goalpost".to_owned()];
        for word in rest.split_whitespace() {
            if [">", ">>", "|", "||", "&&", "\\"].contains(&word) {
                break;
            }
            args.push(word.trim_matches('"').to_owned());
        }
        out.push(args);
    }
    out
}

#[test]
fn every_goalpost_command_in_the_recipes_parses() {
    let mut total = 0;
    for file in [
        "examples/ci/github-workflow.yml",
        ".pre-commit-hooks.yaml",
        "README.md",
    ] {
        let text = std::fs::read_to_string(root().join(file)).expect(file);
        for args in invocations(&text) {
            // Placeholders in docs (REF, REV) parse as plain values.
            if let Err(e) = goalpost::cli::Cli::try_parse_from(&args) {
                panic!("{file}: `{}` does not parse:\n{e}", args.join(" "));
            }
            total += 1;
        }
    }
    assert!(total >= 6, "found only {total} invocations");
}

#[test]
fn the_workflow_uses_annotations_the_summary_and_the_diff_comment() {
    let text =
        std::fs::read_to_string(root().join("examples/ci/github-workflow.yml")).expect("workflow");
    for needle in [
        "goalpost check --format github",
        "goalpost check --base",
        "goalpost diff",
        "--format markdown >> \"$GITHUB_STEP_SUMMARY\"",
        "fetch-depth: 0",
    ] {
        assert!(text.contains(needle), "the workflow lacks `{needle}`");
    }
    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("hooks");
    assert!(
        hooks.contains("pass_filenames: false"),
        "whole-repository check"
    );
}
