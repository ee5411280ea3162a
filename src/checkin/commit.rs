//! `checkin --commit`: commits one file onto HEAD with the user's git identity, through
//! libgit2. The new tree is HEAD's tree with only that file's blob replaced, and only that
//! path's index entry is updated, so whatever else is staged stays staged and uncommitted.
//! It refuses, before anything is written, where a commit by `git` itself would do more than
//! goalpost can: during a merge, rebase, cherry-pick or revert (the commit would silently
//! drop that state), when `commit.gpgsign` asks for signed commits (libgit2 cannot sign) and
//! while another git process holds the index (`.git/index.lock`). A failure after the log
//! was written says what was done: appended only, or appended and staged.

use crate::git::commit::{CommitFailed, Identity, IdentityError};
use crate::git::{self, Oid, Repo};
use std::path::Path;

/// A repository ready to commit one file.
pub(crate) struct Committer {
    repo: Repo,
    /// The file, relative to the work tree, with `/`.
    path: String,
    who: Identity,
}

/// Why the commit cannot be made.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CommitError {
    #[error("--commit: {0} is not inside a git work tree")]
    NoRepository(String),
    #[error(
        "--commit: no git identity is configured; set one with `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.com`"
    )]
    NoIdentity,
    #[error(
        "--commit: {0} is in progress in this repository; finish or abort it first, then check in again (nothing was written)"
    )]
    InProgress(&'static str),
    #[error(
        "--commit: commit.gpgsign is set and goalpost cannot sign commits; check in without --commit and commit the log with git (nothing was written)"
    )]
    MustSign,
    #[error(
        "--commit: {} exists: another git process is using this repository's index (or one stopped without cleaning up); wait for it to finish, or remove the file if no git process is running, then check in again (nothing was written)", .0.display()
    )]
    IndexLocked(std::path::PathBuf),
    #[error("--commit: {0}")]
    Git(#[from] git::Error),
    #[error(
        "--commit: {0} (the check-ins were appended to the log, but neither staged nor committed)"
    )]
    Unstaged(git::Error),
    #[error("--commit: {0} (the check-ins were appended to the log and staged, but not committed)")]
    Uncommitted(git::Error),
}

impl Committer {
    /// Finds the repository holding `file` (an absolute path whose directory exists) and the
    /// user's identity (git config, overridden by GIT_AUTHOR_* / GIT_COMMITTER_* as git does).
    pub(crate) fn prepare(file: &Path) -> Result<Committer, CommitError> {
        let dir = file.parent().unwrap_or(Path::new("."));
        let repo = Repo::discover(dir)
            .map_err(|_| CommitError::NoRepository(dir.display().to_string()))?;
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = repo.git_path(&name);
        if let Some(what) = repo.operation_in_progress() {
            return Err(CommitError::InProgress(what));
        }
        // As git reads it: the environment's files and entries, and `maybe` counts as set.
        repo.use_git_environment()?;
        if repo.config_flag("commit.gpgsign")? {
            return Err(CommitError::MustSign);
        }
        if let Some(lock) = repo.index_lock_held()? {
            return Err(CommitError::IndexLocked(lock));
        }
        let who = repo.identity().map_err(|e| match e {
            IdentityError::Missing => CommitError::NoIdentity,
            IdentityError::Git(e) => CommitError::Git(e),
        })?;
        Ok(Committer { repo, path, who })
    }

    /// Commits `bytes` as the file's content onto HEAD (a first commit on an unborn
    /// branch) and stages the same content for that path only.
    pub(crate) fn commit(&self, bytes: &[u8], message: &str) -> Result<Oid, CommitError> {
        self.repo
            .commit_file(&self.path, bytes, message, &self.who)
            .map_err(|e| match e {
                CommitFailed::Unstaged(e) => CommitError::Unstaged(e),
                CommitFailed::Uncommitted(e) => CommitError::Uncommitted(e),
            })
    }
}
