//! The CI and pre-commit recipes shipped with goalpost name real commands and flags: every
//! `goalpost ...` invocation in them is parsed by the real command-line definition, so a
//! renamed flag breaks this test instead of a user's pipeline.

use crate::common::*;
use clap::Parser;

/// The `goalpost` command lines in a text: from `goalpost` to the end of the shell command
/// (a redirection, pipe or `&&`), with quotes removed; a line ending in ` \` continues on
/// the next one, as in a shell. In Markdown only lines inside code fences count.
fn invocations(text: &str, markdown: bool) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut in_fence = false;
    let text = text.replace(" \\\n", " ");
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if markdown && !in_fence {
            continue;
        }
        let line = line
            .trim()
            .trim_start_matches("- ")
            .trim_start_matches("run: ");
        let line = line.trim_start_matches("entry: ").trim_start_matches("$ ");
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
        for (word, quoted) in shell_words(&rest) {
            if !quoted && [">", ">>", "|", "||", "&&", "\\", "#"].contains(&word.as_str()) {
                break;
            }
            // A redirection such as `2>"$err"` or `>out` ends the arguments too.
            let digits = word.trim_start_matches(|c: char| c.is_ascii_digit());
            if digits.starts_with('>') || digits.starts_with('<') {
                break;
            }
            args.push(word);
        }
        out.push(args);
    }
    out
}

/// Splits a command line into words as a POSIX shell would for simple cases: whitespace
/// separates, single and double quotes group. Each word says whether it had quotes.
fn shell_words(line: &str) -> Vec<(String, bool)> {
    let mut words = Vec::new();
    let (mut word, mut quoted, mut open) = (String::new(), false, None);
    for c in line.chars() {
        match (open, c) {
            (Some(q), c) if c == q => open = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                open = Some(c);
                quoted = true;
            }
            (None, c) if c.is_whitespace() => {
                if !word.is_empty() || quoted {
                    words.push((std::mem::take(&mut word), quoted));
                }
                quoted = false;
            }
            (None, c) => word.push(c),
        }
    }
    if !word.is_empty() || quoted {
        words.push((word, quoted));
    }
    words
}

#[test]
fn every_goalpost_command_in_the_recipes_parses() {
    let mut total = 0;
    for file in [
        "examples/ci/github-workflow.yml",
        "examples/ci/pull-workflow.yml",
        "examples/ci/weekly-workflow.yml",
        "examples/ci/upstream-workflow.yml",
        "action.yml",
        ".pre-commit-hooks.yaml",
        "README.md",
    ] {
        let text = std::fs::read_to_string(root().join(file)).expect(file);
        for args in invocations(&text, file.ends_with(".md")) {
            // Placeholders in docs (REF, REV) parse as plain values.
            if let Err(e) = goalpost::Cli::try_parse_from(&args) {
                panic!("{file}: `{}` does not parse:\n{e}", args.join(" "));
            }
            total += 1;
        }
    }
    assert!(total >= 6, "found only {total} invocations");
}

#[test]
fn the_workflow_uses_the_action_for_annotations_the_summary_and_the_diff_comment() {
    let text =
        std::fs::read_to_string(root().join("examples/ci/github-workflow.yml")).expect("workflow");
    for needle in [
        "goalpost@v",
        "base: ${{ github.event_name == 'pull_request'",
        "goalpost diff",
        "fetch-depth: 0",
    ] {
        assert!(text.contains(needle), "the workflow lacks `{needle}`");
    }
    let action = std::fs::read_to_string(root().join("action.yml")).expect("action");
    for needle in [
        "check --format github",
        "--base \"$BASE\"",
        ">> \"$GITHUB_STEP_SUMMARY\"",
        "uses: actions/cache@",
        "-C \"$DIR\"",
    ] {
        assert!(action.contains(needle), "action.yml lacks `{needle}`");
    }
    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("hooks");
    assert!(
        hooks.contains("pass_filenames: false"),
        "whole-repository check"
    );
}

#[test]
fn the_pre_commit_hook_checks_goals_in_a_subdirectory_with_the_documented_args() {
    // pre-commit runs the hook's `entry` followed by its `args` from the repository root.
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    assert!(
        readme.contains("args: [-C, team-goals]"),
        "the README documents -C"
    );
    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("hooks");
    let entry = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry: "))
        .expect("an entry");
    let r = repo(&[]);
    copy_dir(&root().join("examples/acme"), &{
        let d = r.path().join("team-goals");
        std::fs::create_dir(&d).expect("mkdir");
        d
    });
    let mut words: Vec<&str> = entry.split_whitespace().collect();
    assert_eq!(words.remove(0), "goalpost");
    words.extend(["-C", "team-goals"]);
    let o = std::process::Command::new(bin())
        .args(&words)
        .current_dir(r.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("8 files"), "{}", stderr(&o));
}
