//! Recording a revision or a drop in a goal file (`revise`, `drop`; SPEC 3.4, 9, 10): under
//! the file's lock ([`File::transact`]) the item is found by its ids in the file as it is
//! now, the entry inserted with every other byte kept ([`insert`]), and the repository
//! validated as it would be; an error refuses the change with the file untouched. A file
//! changed by another program between the read and the write is read and edited again.

use super::insert::{self, Addition};
use super::{Decision, File, WriteError};
use crate::check::Checked;
use crate::checkin::Overlay;
use std::path::Path;

/// A goal file, resolved for writing.
pub(crate) struct GoalFile {
    file: File,
    /// The path the goal-file walk reads it by.
    walked: String,
}

/// What [`GoalFile::record`] did.
pub(crate) enum Recorded {
    /// The file's new text, and the line the entry starts on.
    Written { text: String, line: usize },
    /// The repository with the entry would be invalid (as it would be): nothing was written.
    Refused(Box<Checked>),
}

impl GoalFile {
    /// Resolves the goal file the walk read as `walked` for writing ([`File::open`]: a link
    /// out of the repository is refused); `action` completes "make it writable to …".
    pub(crate) fn open(
        root: &Path,
        walked: &str,
        action: &'static str,
        commit: bool,
    ) -> Result<GoalFile, WriteError> {
        let file = File::open(root, walked, "goal file", action, commit)?;
        Ok(GoalFile {
            file,
            walked: walked.to_owned(),
        })
    }

    /// The file's path as the user reads it (escaped).
    pub(crate) fn shown(&self) -> &str {
        &self.file.shown
    }

    /// Records `addition` on the objective `objective` (or its key result `key_result`) of
    /// the file, as one atomic write under its lock (see the module docs).
    pub(crate) fn record(
        &self,
        objective: &str,
        key_result: Option<&str>,
        addition: &Addition,
    ) -> Result<Recorded, WriteError> {
        let failed = |detail: String| WriteError::Edit {
            shown: self.file.shown.clone(),
            detail,
        };
        self.file.transact(|existing| {
            let Some(text) = existing else {
                return Err(failed("it no longer exists".to_owned()));
            };
            let item =
                insert::locate(text, objective, key_result).map_err(|e| failed(e.to_string()))?;
            let new = insert::insert(text, item, addition).map_err(|e| failed(e.to_string()))?;
            let overlay = Overlay {
                inner: &self.file.tree,
                path: self.walked.clone(),
                bytes: new.text.clone().into_bytes(),
            };
            let after = crate::check::load(&overlay)?;
            if after.has_errors() {
                return Ok(Decision::Stop(Recorded::Refused(Box::new(after))));
            }
            Ok(Decision::Write(
                new.text.clone(),
                Recorded::Written {
                    text: new.text,
                    line: new.line,
                },
            ))
        })
    }

    /// With `--commit`: commits the file's new `text` ([`File::commit`]).
    pub(crate) fn commit(&self, text: &str, message: &str) -> Result<Option<String>, WriteError> {
        self.file.commit(text, message)
    }
}
