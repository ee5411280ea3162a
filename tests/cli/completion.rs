//! Completion that knows the repository, driven through real bash: the registration script
//! from `COMPLETE=bash goalpost` (and from `goalpost completions bash`) is sourced, the
//! completion function it registered for `goalpost` is called as bash's programmable
//! completion calls it (COMP_WORDS, COMP_CWORD, ...), and COMPREPLY is read back.

use crate::common::*;
use crate::tools;
use std::path::Path;
use std::process::Command;

/// Completes each command line (its last word is the one being completed) in `dir` with the
/// script `setup` sources; returns the candidates of each, and bash's stderr.
fn bash_complete(dir: &Path, setup: &str, lines: &[&[&str]]) -> (Vec<Vec<String>>, String) {
    let bash = tools::on_path("bash").expect("checked by the caller");
    let mut script = format!(
        "set -u\n{setup}\n\
         spec=$(complete -p goalpost) || {{ echo 'no completion registered' >&2; exit 3; }}\n\
         fn=${{spec##*-F }}; fn=${{fn%% *}}\n\
         complete_words() {{\n\
           COMP_WORDS=(\"$@\"); COMP_CWORD=$(( $# - 1 )); COMP_LINE=\"$*\"\n\
           COMP_POINT=${{#COMP_LINE}}; COMP_TYPE=9; COMPREPLY=()\n\
           \"$fn\" goalpost \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
           printf '%s\\n' \"${{COMPREPLY[@]}}\"; echo '--end--'\n\
         }}\n"
    );
    for words in lines {
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        script.push_str(&format!("complete_words {}\n", quoted.join(" ")));
    }
    let bin_dir = bin().parent().expect("a directory").to_owned();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    let o = Command::new(bash)
        .args(["--norc", "--noprofile", "-c", &script])
        .current_dir(dir)
        .env("GOALPOST", bin())
        .env("PATH", path)
        .env_remove("COMPLETE")
        .output()
        .expect("bash runs");
    assert!(o.status.success(), "bash: {}\n{}", stderr(&o), stdout(&o));
    let out = stdout(&o);
    let blocks = out
        .split("--end--\n")
        .take(lines.len())
        .map(|b| {
            b.lines()
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .collect();
    (blocks, stderr(&o))
}

fn acme() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("acme")).expect("mkdir");
    copy_dir(&root().join("examples/acme"), &dir.path().join("acme"));
    dir
}

fn has(got: &[String], want: &[&str], not: &[&str], what: &str) {
    for w in want {
        assert!(
            got.iter().any(|g| g == w),
            "{what}: `{w}` missing from {got:?}"
        );
    }
    for n in not {
        assert!(
            !got.iter().any(|g| g == n),
            "{what}: `{n}` should not be offered: {got:?}"
        );
    }
}

#[test]
fn bash_completes_refs_teams_periods_and_codes_from_the_repository() {
    if tools::on_path("bash").is_none() {
        return tools::missing("bash completion test", "bash");
    }
    let dir = acme();
    let acme = dir.path().join("acme");
    let lines: &[&[&str]] = &[
        &["goalpost", "show", "growth/on"],
        &["goalpost", "checkin", "growth/"],
        &["goalpost", "status", "--team", ""],
        &["goalpost", "report", "--period", "2026-"],
        &["goalpost", "explain", "task"],
        &["goalpost", "sta"],
        &["goalpost", "log", "platform/"],
    ];
    let (got, err) = bash_complete(&acme, "source <(COMPLETE=bash \"$GOALPOST\")", lines);
    assert_eq!(err, "", "completion prints nothing on stderr");
    has(
        &got[0],
        &["growth/onboarding", "growth/onboarding/completion"],
        &["growth/churn"],
        "show",
    );
    // Objectives take no check-ins: only key results and KPIs are offered.
    has(
        &got[1],
        &["growth/onboarding/completion", "growth/churn"],
        &["growth/onboarding"],
        "checkin",
    );
    has(&got[2], &["company", "growth", "platform"], &[], "--team");
    has(&got[3], &["2026-Q3", "2026-Q4"], &[], "--period");
    has(&got[4], &["task-like-kr"], &[], "explain");
    has(&got[5], &["status"], &[], "subcommand");
    assert!(
        got[6].iter().all(|r| r.starts_with("platform/")) && !got[6].is_empty(),
        "{:?}",
        got[6]
    );

    // From elsewhere, `-C DIR` on the command line says which project; the script that
    // `goalpost completions bash` prints finds goalpost on PATH.
    let (got, err) = bash_complete(
        dir.path(),
        "source <(goalpost completions bash)",
        &[
            &["goalpost", "-C", "acme", "show", "growth/ch"],
            &["goalpost", "show", "growth/"],
        ],
    );
    assert_eq!(err, "");
    has(&got[0], &["growth/churn"], &[], "-C DIR");
    // No project here: no refs (clap offers the flags instead).
    assert!(got[1].iter().all(|c| c.starts_with('-')), "{:?}", got[1]);

    // A broken project completes to nothing, quietly.
    let broken = repo(&[
        ("goalpost.toml", "roots = [\n"),
        ("goals/a.yaml", "team: [\n"),
    ]);
    let (got, err) = bash_complete(
        broken.path(),
        "source <(COMPLETE=bash \"$GOALPOST\")",
        &[&["goalpost", "show", ""], &["goalpost", "sh"]],
    );
    assert_eq!(err, "");
    assert!(got[0].iter().all(|c| c.starts_with('-')), "{:?}", got[0]);
    has(&got[1], &["show"], &[], "subcommands still complete");
}

#[test]
fn zsh_and_fish_get_the_same_candidates_with_titles() {
    let dir = acme();
    let acme = dir.path().join("acme");
    let fish = Command::new(bin())
        .current_dir(&acme)
        .env("COMPLETE", "fish")
        .args(["--", "goalpost", "show", "growth/ch"])
        .output()
        .expect("runs");
    assert_eq!(
        stdout(&fish),
        "growth/churn\tMonthly customer churn\n",
        "{}",
        stderr(&fish)
    );
    let zsh = Command::new(bin())
        .current_dir(&acme)
        .env("COMPLETE", "zsh")
        .env("_CLAP_COMPLETE_INDEX", "2")
        .args(["--", "goalpost", "show", "growth/ch"])
        .output()
        .expect("runs");
    assert!(
        stdout(&zsh).starts_with("growth/churn"),
        "{}{}",
        stdout(&zsh),
        stderr(&zsh)
    );
    for shell in ["zsh", "fish", "bash", "elvish", "powershell"] {
        let o = run(&acme, &["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        assert!(
            stdout(&o).contains("COMPLETE"),
            "{shell}: the dynamic script"
        );
        let o = run(&acme, &["completions", shell, "--static"]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        assert!(stdout(&o).contains("goalpost"), "{shell}");
    }
}

#[test]
fn pull_completes_the_kpis_that_have_a_source() {
    if tools::on_path("bash").is_none() {
        return tools::missing("bash completion test", "bash");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&root().join("tests/fixtures/valid/sources"), dir.path());
    write(
        dir.path(),
        "goals/more.yaml",
        b"team: growth\nkpis:\n  - id: signups\n    title: Sign-ups\n    better: higher\n    target: 10\n",
    );
    let (got, err) = bash_complete(
        dir.path(),
        "source <(COMPLETE=bash \"$GOALPOST\")",
        &[&["goalpost", "pull", "growth/"]],
    );
    assert_eq!(err, "", "completion prints nothing on stderr");
    has(
        &got[0],
        &["growth/p95-latency", "growth/uptime", "growth/churn"],
        &["growth/signups"],
        "pull",
    );
}

#[test]
fn revise_completes_metric_key_results_and_drop_objectives_and_key_results() {
    if tools::on_path("bash").is_none() {
        return tools::missing("bash completion test", "bash");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "goals/g.yaml",
        b"team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - { id: metric, title: M, start: 1, target: 2 }\n      - { id: guide, title: G, kind: milestone }\nkpis:\n  - { id: churn, title: C, better: lower, target: 5 }\n",
    );
    let (got, err) = bash_complete(
        dir.path(),
        "source <(COMPLETE=bash \"$GOALPOST\")",
        &[
            &["goalpost", "revise", "growth/"],
            &["goalpost", "drop", "growth/"],
        ],
    );
    assert_eq!(err, "", "completion prints nothing on stderr");
    has(
        &got[0],
        &["growth/o/metric"],
        &["growth/o", "growth/o/guide", "growth/churn"],
        "revise",
    );
    has(
        &got[1],
        &["growth/o", "growth/o/metric", "growth/o/guide"],
        &["growth/churn"],
        "drop",
    );
}
