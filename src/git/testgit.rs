//! Test support: the git CLI, for tests that build repositories with it or compare goalpost's
//! answers with git's. Test code only (the security test lists this file as such).

use std::path::Path;
use std::process::Command;

/// Runs `git ARGS` in `dir`, without the user's or the system's configuration, as `who`
/// (author and committer, `who`'s mail an example address), with `env` set too; gives its
/// standard output. Fails the test when git fails.
pub(crate) fn git(dir: &Path, who: &str, env: &[(&str, &str)], args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", who)
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", who)
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .envs(env.iter().copied())
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("git's output is UTF-8")
}
