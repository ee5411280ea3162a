//! `checkin --commit`: commits one file onto HEAD with the user's git identity, through
//! libgit2. The new tree is HEAD's tree with only that file's blob replaced, and only that
//! path's index entry is updated, so whatever else is staged stays staged and uncommitted.
//! It refuses, before anything is written, where a commit by `git` itself would do more than
//! goalpost can: during a merge, rebase, cherry-pick or revert (the commit would silently
//! drop that state) and when `commit.gpgsign` asks for signed commits (libgit2 cannot sign).

use crate::git::Repo;
use git2::{Oid, RepositoryState, Signature, build::TreeUpdateBuilder};
use std::path::Path;

/// A repository ready to commit one file.
pub struct Committer {
    repo: Repo,
    /// The file, relative to the work tree, with `/`.
    path: String,
    author: Signature<'static>,
    committer: Signature<'static>,
}

/// Why the commit cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
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
    #[error("--commit: {0}")]
    Git(#[from] git2::Error),
}

/// What a repository state other than a plain one is called, for messages; `None` when a
/// commit is fine (no operation in progress, or a bisect, which commits do not disturb).
fn operation(state: RepositoryState) -> Option<&'static str> {
    match state {
        RepositoryState::Clean | RepositoryState::Bisect => None,
        RepositoryState::Merge => Some("a merge"),
        RepositoryState::Revert | RepositoryState::RevertSequence => Some("a revert"),
        RepositoryState::CherryPick | RepositoryState::CherryPickSequence => Some("a cherry-pick"),
        RepositoryState::Rebase
        | RepositoryState::RebaseInteractive
        | RepositoryState::RebaseMerge => Some("a rebase"),
        RepositoryState::ApplyMailbox | RepositoryState::ApplyMailboxOrRebase => {
            Some("a rebase or `git am`")
        }
    }
}

impl Committer {
    /// Finds the repository holding `file` (an absolute path whose directory exists) and the
    /// user's identity (git config, overridden by GIT_AUTHOR_* / GIT_COMMITTER_* as git does).
    pub fn prepare(file: &Path) -> Result<Committer, CommitError> {
        let dir = file.parent().unwrap_or(Path::new("."));
        let repo = Repo::discover(dir)
            .map_err(|_| CommitError::NoRepository(dir.display().to_string()))?;
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = repo.git_path(&name);
        let git = repo.lock();
        if let Some(what) = operation(git.state()) {
            return Err(CommitError::InProgress(what));
        }
        if git.config()?.get_bool("commit.gpgsign").unwrap_or(false) {
            return Err(CommitError::MustSign);
        }
        let identity = |e: git2::Error| {
            if e.code() == git2::ErrorCode::NotFound {
                CommitError::NoIdentity
            } else {
                CommitError::Git(e)
            }
        };
        let author = git.author_from_env().map_err(identity)?;
        let committer = git.committer_from_env().map_err(identity)?;
        drop(git);
        Ok(Committer {
            repo,
            path,
            author,
            committer,
        })
    }

    /// Commits `bytes` as the file's content onto HEAD (a first commit on an unborn
    /// branch) and stages the same content for that path only.
    pub fn commit(&self, bytes: &[u8], message: &str) -> Result<Oid, CommitError> {
        let guard = self.repo.lock();
        let repo = &*guard;
        let parent = match repo.head() {
            Ok(head) => Some(head.peel_to_commit()?),
            Err(e) if e.code() == git2::ErrorCode::UnbornBranch => None,
            Err(e) => return Err(e.into()),
        };
        let base = match &parent {
            Some(c) => c.tree()?,
            None => {
                let empty = repo.treebuilder(None)?.write()?;
                repo.find_tree(empty)?
            }
        };
        let blob = repo.blob(bytes)?;
        let tree = TreeUpdateBuilder::new()
            .upsert(self.path.as_str(), blob, git2::FileMode::Blob)
            .create_updated(repo, &base)?;
        let tree = repo.find_tree(tree)?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        // libgit2 refuses to move HEAD if it changed since `parent` was read.
        let oid = repo.commit(
            Some("HEAD"),
            &self.author,
            &self.committer,
            message,
            &tree,
            &parents,
        )?;
        let mut index = repo.index()?;
        index.add_path(Path::new(&self.path))?;
        index.write()?;
        Ok(oid)
    }
}
