//! Writing through the wrapper, for `checkin --commit`: the repository's state, a config
//! switch, the user's identity, and a commit of one file onto HEAD whose tree is HEAD's with
//! only that file's blob replaced (only that path's index entry is updated, so whatever else
//! is staged stays staged and uncommitted). The index is written before the commit is made,
//! so a failure leaves either nothing or the file staged, never a commit the index lacks.

use super::{Error, Oid, Repo};
use git2::{RepositoryState, Signature, build::TreeUpdateBuilder};
use std::path::Path;

/// Who makes a commit: author and committer, from git config and the GIT_AUTHOR_* /
/// GIT_COMMITTER_* variables, as git reads them.
pub(crate) struct Identity {
    author: Signature<'static>,
    committer: Signature<'static>,
}

/// Why an identity could not be read.
#[derive(Debug)]
pub(crate) enum IdentityError {
    /// None is configured.
    Missing,
    Git(Error),
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

impl Repo {
    /// The operation in progress (`a merge`, `a rebase`, ...), if one is.
    pub(crate) fn operation_in_progress(&self) -> Option<&'static str> {
        operation(self.lock().guard.state())
    }

    /// The index's lock file when another git process holds it (`.git/index.lock`).
    pub(crate) fn index_lock_held(&self) -> Result<Option<std::path::PathBuf>, Error> {
        let git = self.lock();
        let index = git.guard.index()?;
        let Some(path) = index.path() else {
            return Ok(None);
        };
        let mut lock = path.as_os_str().to_owned();
        lock.push(".lock");
        let lock = std::path::PathBuf::from(lock);
        Ok(std::fs::symlink_metadata(&lock).is_ok().then_some(lock))
    }

    /// Makes the repository read its configuration as git would in this environment
    /// (`GIT_CONFIG_GLOBAL`, `GIT_CONFIG_SYSTEM`, `GIT_CONFIG_NOSYSTEM`, `GIT_CONFIG_COUNT`),
    /// for [`Repo::config_flag`] and [`Repo::identity`]; see `config.rs`.
    pub(crate) fn use_git_environment(&self) -> Result<(), Error> {
        Ok(super::config::apply_environment(&self.lock().guard)?)
    }

    /// A boolean from git config as git reads it: false when unset, true when set without a
    /// value or to something that is not a boolean.
    pub(crate) fn config_flag(&self, name: &str) -> Result<bool, Error> {
        Ok(super::config::flag(&self.lock().guard.config()?, name))
    }

    /// The user's identity.
    pub(crate) fn identity(&self) -> Result<Identity, IdentityError> {
        let git = self.lock();
        let identity = |e: git2::Error| {
            if e.code() == git2::ErrorCode::NotFound {
                IdentityError::Missing
            } else {
                IdentityError::Git(e.into())
            }
        };
        Ok(Identity {
            author: git.guard.author_from_env().map_err(identity)?,
            committer: git.guard.committer_from_env().map_err(identity)?,
        })
    }

    /// Commits `bytes` as the content of `path` (a repository path) onto HEAD (a first
    /// commit on an unborn branch) and stages the same content for that path only. The
    /// index is written first: when it cannot be (another git process locked it since),
    /// nothing is committed, so HEAD never holds a commit that the index does not.
    pub(crate) fn commit_file(
        &self,
        path: &str,
        bytes: &[u8],
        message: &str,
        who: &Identity,
    ) -> Result<Oid, CommitFailed> {
        let guard = self.lock();
        let repo = &*guard.guard;
        let staged = |e: git2::Error| CommitFailed::Unstaged(e.into());
        let mut index = repo.index().map_err(staged)?;
        index.add_path(Path::new(path)).map_err(staged)?;
        index.write().map_err(staged)?;
        // From here on a failure leaves the file staged (`From` below).
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
            .upsert(path, blob, git2::FileMode::Blob)
            .create_updated(repo, &base)?;
        let tree = repo.find_tree(tree)?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        // libgit2 refuses to move HEAD if it changed since `parent` was read.
        let oid = repo.commit(
            Some("HEAD"),
            &who.author,
            &who.committer,
            message,
            &tree,
            &parents,
        )?;
        Ok(Oid(oid))
    }
}

/// Why [`Repo::commit_file`] made no commit, and whether it staged the file.
#[derive(Debug)]
pub(crate) enum CommitFailed {
    /// Nothing was staged or committed.
    Unstaged(Error),
    /// The file was staged, but no commit made.
    Uncommitted(Error),
}

impl From<git2::Error> for CommitFailed {
    fn from(e: git2::Error) -> Self {
        CommitFailed::Uncommitted(e.into())
    }
}
