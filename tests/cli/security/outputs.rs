//! Outputs that other programs read (SPEC 10): text from the repository cannot drive a
//! terminal or forge a line in a CI log, in diagnostics and in error lines.

use super::*;

#[test]
fn human_diagnostics_cannot_drive_the_terminal_or_forge_ci_lines() {
    let r = repo(&[
        // A raw ESC/BEL in a line that is quoted (a YAML syntax error).
        ("goals/a.yaml", "team: x\u{1b}]52;c;ZXZpbA==\u{7}\n"),
        // Line breaks, workflow commands and OSC 8 inside a key that a message names.
        (
            "goals/b.yaml",
            "team: growth\n\"x\\n::error file=a.yaml::forged\\e]8;;https://e.example\\a ##[stop-commands]tok\": 1\n",
        ),
    ]);
    #[cfg(unix)]
    write(r.path(), "goals/c\n::error::forged-path.yaml", b"team: [\n");
    let o = run(r.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    for line in err.lines() {
        assert!(
            !line.trim_start().starts_with("::"),
            "forged line: {line:?}"
        );
        assert!(!line.contains("##["), "{line:?}");
    }
    assert!(err.contains("\\u{1b}]52"), "{err}");
    // The underline stays under the escaped text.
    let quoted = err
        .lines()
        .find(|l| l.contains("ZXZpbA"))
        .expect("the quoted line");
    assert!(
        quoted.contains("team: x\\u{1b}]52;c;ZXZpbA==\\u{7}"),
        "{quoted}"
    );

    // `--format github`: one workflow command per line, nothing that starts another.
    let o = run(r.path(), &["check", "--format", "github"]);
    let out = stdout(&o);
    assert!(!out.contains("##["), "{out}");
    assert!(!out.contains('\u{1b}'), "{out:?}");
    for line in out.lines() {
        assert!(
            line.starts_with("::error ") || line.starts_with("::warning "),
            "{line:?}"
        );
    }
}

#[test]
fn error_lines_escape_what_they_echo_from_the_repository() {
    let r = repo(&[
        (
            "goalpost.toml",
            "checkin_log = \"goals/x\\n::error::forged\\u001b[2J\"\n",
        ),
        ("goals/a.yaml", &kpi_file("growth")),
    ]);
    let o = run(
        r.path(),
        &["checkin", "growth/churn", "4", "--date", "2026-11-01"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains('\u{1b}'), "{err:?}");
    for line in err.lines() {
        assert!(
            !line.trim_start().starts_with("::"),
            "forged line: {line:?}"
        );
    }
}

#[test]
fn an_unknown_reflog_revision_is_a_plain_usage_error() {
    let r = repo(&[("goals/a.yaml", &kpi_file("growth"))]);
    commit_all(r.path());
    let o = run(r.path(), &["--at", "@{-1}", "check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("unknown revision `@{-1}`"), "{err}");
    assert!(!err.contains("shallow") && !err.contains("fsck"), "{err}");
}
