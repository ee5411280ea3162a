//! Write transactions: every way goalpost changes files in the work tree (SPEC 9, 10), with
//! typed errors the command line turns into messages and exit codes.
//!
//! One file is changed through a [`File`]: its path resolved like every path (a link out of
//! the repository is refused), `--commit`'s repository state checked before anything is
//! written, then [`File::transact`]: under the file's lock, read it, let the caller decide
//! on the new text (validating the repository as it would be), replace it atomically, and
//! when another program changed the file between the read and the write, read it again and
//! decide again. [`log::Log`] appends check-ins to the check-in log this way
//! (`checkin`, `checkin --from`, `pull`); [`edit::GoalFile`] records a revision or a drop in
//! a goal file (`revise`, `drop`) as one insertion made by [`insert`], every other byte kept.
//! [`create`] writes new files all or none (`rollover`).

pub(crate) mod create;
pub(crate) mod edit;
pub(crate) mod insert;
pub(crate) mod log;

use crate::checkin::commit::{CommitError, Committer};
use crate::checkin::store::{self, LockError};
use crate::load::LoadError;
use crate::load::resolve::{Hidden, Node, Refused, Resolved};
use crate::load::source::WorkTree;
use crate::text::safe;
use std::io;
use std::path::PathBuf;
use std::time::Duration;

/// How long to wait for another goalpost run to finish with a file.
pub(crate) const LOCK_TIMEOUT: Duration = Duration::from_secs(10);
/// How many times a file is read again when another program keeps changing it.
pub(crate) const ATTEMPTS: usize = 5;

/// Why a write did not happen (or, for [`WriteError::Commit`], was not committed). Every
/// message is the one printed; the command line only chooses the exit code.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WriteError {
    /// The check-in log is not below a goal root: goalpost would never read it (usage).
    #[error(
        "checkin_log `{path}` is not a goal file below any goal root ({roots}), so goalpost would never read it; set checkin_log in goalpost.toml to a .yaml path below a root"
    )]
    NotWalked { path: String, roots: String },
    #[error("cannot open {root}: {source}")]
    Open {
        root: String,
        #[source]
        source: io::Error,
    },
    #[error("cannot read {shown}: {source}")]
    Read {
        shown: String,
        #[source]
        source: io::Error,
    },
    /// A directory or something else that is not a file is where the file goes (usage).
    #[error("{setting} `{shown}` cannot be a file (a directory or something else is in the way)")]
    NotAFile {
        setting: &'static str,
        shown: String,
    },
    /// The path goes through a link that may not be followed (reported as `check` would).
    #[error("{} is a link that may not be followed", .0.link)]
    Refused(Refused),
    #[error("cannot create the directory of {shown}: {source}")]
    CreateDir {
        shown: String,
        #[source]
        source: io::Error,
    },
    #[error(transparent)]
    Commit(#[from] CommitError),
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error("{shown} is read-only; make it writable (chmod u+w) to {action} (nothing was written)")]
    ReadOnly { shown: String, action: &'static str },
    #[error("{shown} is not UTF-8 text")]
    NotUtf8 { shown: String },
    /// The new text could not be made from the old (usage).
    #[error("cannot append to {shown}: {detail}")]
    Append { shown: String, detail: String },
    /// The entry could not be inserted into the goal file (usage); nothing was written.
    #[error("cannot change {shown}: {detail}; nothing was written")]
    Edit { shown: String, detail: String },
    /// The repository as it would be could not be loaded (as for any command).
    #[error("{0}")]
    Load(LoadError),
    #[error("cannot write {shown}: {source}")]
    Write {
        shown: String,
        #[source]
        source: io::Error,
    },
    #[error(
        "{shown} kept changing while goalpost was writing to it; nothing was written, try again"
    )]
    KeptChanging { shown: String },
    /// A new file's path was taken between the plan and the write.
    #[error("{shown} appeared while {command} was writing; nothing was written")]
    Appeared {
        shown: String,
        command: &'static str,
    },
    #[error("cannot write {shown}: {source}; nothing was written")]
    Unresolved {
        shown: String,
        #[source]
        source: io::Error,
    },
    #[error("cannot write {shown} ({what}); nothing was written")]
    Create { shown: String, what: String },
    /// With the new files the repository does not validate: they were removed again.
    #[error("the goal files would not validate; nothing was written")]
    Invalid(Invalid),
}

impl WriteError {
    /// Whether this is a usage problem (exit 2) rather than an I/O one (exit 3); a refused
    /// link, an invalid goalpost.toml and an invalid result are reported by the caller.
    pub(crate) fn is_usage(&self) -> bool {
        matches!(
            self,
            WriteError::NotWalked { .. }
                | WriteError::NotAFile { .. }
                | WriteError::Append { .. }
                | WriteError::Edit { .. }
        )
    }
}

/// The repository as a write would have left it, with its errors.
pub(crate) struct Invalid(pub Box<crate::check::Checked>);

impl std::fmt::Debug for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Invalid(..)")
    }
}

impl From<LoadError> for WriteError {
    fn from(e: LoadError) -> Self {
        WriteError::Load(e)
    }
}

/// What [`File::transact`]'s `decide` makes of the file's current text.
pub(crate) enum Decision<T> {
    /// Replace the file with this text, then return `T`.
    Write(String, T),
    /// Write nothing and return `T` (nothing to do, or the change was refused).
    Stop(T),
}

/// One file in the work tree, resolved for writing.
pub(crate) struct File {
    pub tree: WorkTree,
    /// The file on disk.
    pub path: PathBuf,
    /// Its real path in the repository (through links inside it).
    pub real: String,
    /// Its path as the user wrote it, escaped for messages.
    pub shown: String,
    lock_at: PathBuf,
    committer: Option<Committer>,
    /// What the write is for, in "make it writable to …".
    action: &'static str,
    /// How long to wait for another run holding the lock ([`LOCK_TIMEOUT`]).
    pub timeout: Duration,
}

impl File {
    /// Resolves `rel` (repo-relative, `/`) below `root` for writing, creating its directory.
    /// Refused: a path through a link out of the repository or to a hidden directory,
    /// something other than a file in the way (named as `setting` says), and with `commit`,
    /// a repository in the middle of a merge or that must sign commits.
    pub(crate) fn open(
        root: &std::path::Path,
        rel: &str,
        setting: &'static str,
        action: &'static str,
        commit: bool,
    ) -> Result<File, WriteError> {
        let tree = WorkTree::new(root).map_err(|source| WriteError::Open {
            root: root.display().to_string(),
            source,
        })?;
        let shown = safe::human(rel).into_owned();
        // Where the file really is: through links inside the repository, never outside.
        let real = match tree
            .resolve(rel, Hidden::Refuse)
            .map_err(|source| WriteError::Read {
                shown: shown.clone(),
                source,
            })? {
            Resolved::Found {
                real,
                node: Node::File,
            } => real,
            Resolved::Missing { real: Some(real) } => real,
            Resolved::Found { .. } | Resolved::Missing { real: None } => {
                return Err(WriteError::NotAFile { setting, shown });
            }
            Resolved::Refused(r) => return Err(WriteError::Refused(r)),
        };
        let path = tree.absolute(&real);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| WriteError::CreateDir {
                shown: shown.clone(),
                source,
            })?;
        }
        // Before anything is written: a missing identity, a merge in progress or required
        // signing must not leave an uncommitted change.
        let committer = if commit {
            Some(Committer::prepare(&path)?)
        } else {
            None
        };
        let git_dir = crate::git::Repo::discover(root).ok().map(|r| r.git_dir());
        let lock_at = store::lock_path(&path, &real, git_dir.as_deref());
        Ok(File {
            tree,
            path,
            real,
            shown,
            lock_at,
            committer,
            action,
            timeout: LOCK_TIMEOUT,
        })
    }

    /// Under the file's lock: reads it (`None` when it does not exist), asks `decide` for
    /// the new text and replaces the file with it atomically. When another program changed
    /// the file in between, nothing is replaced and `decide` is asked again with the new
    /// content, up to [`ATTEMPTS`] times.
    pub(crate) fn transact<T>(
        &self,
        mut decide: impl FnMut(Option<&str>) -> Result<Decision<T>, WriteError>,
    ) -> Result<T, WriteError> {
        let shown = &self.shown;
        let _lock = store::lock(&self.lock_at, self.timeout)?;
        for _ in 0..ATTEMPTS {
            // Read under the lock: a concurrent run may have written since the first load.
            let read = store::snapshot(&self.path).map_err(|source| WriteError::Read {
                shown: shown.clone(),
                source,
            })?;
            if read.read_only() {
                return Err(WriteError::ReadOnly {
                    shown: shown.clone(),
                    action: self.action,
                });
            }
            let existing = read
                .bytes
                .clone()
                .map(String::from_utf8)
                .transpose()
                .map_err(|_| WriteError::NotUtf8 {
                    shown: shown.clone(),
                })?;
            let (text, done) = match decide(existing.as_deref())? {
                Decision::Write(text, done) => (text, done),
                Decision::Stop(done) => return Ok(done),
            };
            match store::replace(&self.path, text.as_bytes(), &read).map_err(|source| {
                WriteError::Write {
                    shown: shown.clone(),
                    source,
                }
            })? {
                store::Replaced::Done => return Ok(done),
                // Another program changed the file: start again from what it holds now.
                store::Replaced::Changed => continue,
            }
        }
        Err(WriteError::KeptChanging {
            shown: shown.clone(),
        })
    }

    /// With `--commit`: commits the file's new `text`, returning the short commit id;
    /// `Ok(None)` without `--commit`.
    pub(crate) fn commit(&self, text: &str, message: &str) -> Result<Option<String>, WriteError> {
        let Some(c) = &self.committer else {
            return Ok(None);
        };
        let id = c.commit(text.as_bytes(), message)?.to_string();
        Ok(Some(id[..7.min(id.len())].to_owned()))
    }
}

#[cfg(test)]
mod tests;
