//! New files, all or none (`rollover`, SPEC 7.0): every file through the path resolver (no
//! write through a link out of the repository), created new (never overwriting); then the
//! repository is validated, and when it no longer validates the new files are removed again
//! ([`WriteError::Invalid`] carries the errors). The validation takes the files the caller
//! read before writing as it read them ([`Kept`]) and reads only the others.

use super::{Invalid, WriteError};
use crate::check::{Checked, Kept};
use crate::load::resolve::{Hidden, Resolved};
use crate::load::source::WorkTree;
use crate::text::safe;
use std::path::PathBuf;

/// Creates each `(path, text)` of `files` in `tree`, then validates the repository with
/// them; on any failure the files this call created are removed again. `command` names the
/// writer in messages; `kept` holds the parses of the caller's load of `tree`
/// ([`crate::check::load_keeping`]; an empty one reads every file again). Returns the
/// repository as it now is.
pub(crate) fn create(
    tree: &WorkTree,
    files: &[(&str, &str)],
    command: &'static str,
    kept: Kept,
) -> Result<Checked, WriteError> {
    let mut written: Vec<PathBuf> = Vec::new();
    let result = create_each(tree, files, command, &mut written).and_then(|()| {
        // The repository with the new files must validate, or they go again.
        let after = crate::check::load_kept(tree, kept)?;
        if after.has_errors() {
            return Err(WriteError::Invalid(Invalid(Box::new(after))));
        }
        Ok(after)
    });
    if result.is_err() {
        remove(&written);
    }
    result
}

/// How many files are written before their syncs are waited for (each stays open until
/// then, so a bounded number; issue 33).
const BATCH: usize = 256;

fn create_each(
    tree: &WorkTree,
    files: &[(&str, &str)],
    command: &'static str,
    written: &mut Vec<PathBuf>,
) -> Result<(), WriteError> {
    let failed = |path: &str, e: std::io::Error| {
        let what = if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!("it appeared while {command} was writing")
        } else {
            e.to_string()
        };
        WriteError::Create {
            shown: safe::human(path).into_owned(),
            what,
        }
    };
    for batch in files.chunks(BATCH) {
        // Dropped on an early return: the temporary files not linked yet go with it.
        let mut new = crate::fsutil::NewFiles::default();
        for &(path, text) in batch {
            let shown = safe::human(path).into_owned();
            let real = match tree.resolve(path, Hidden::Refuse) {
                Ok(Resolved::Missing { real: Some(real) }) => real,
                Ok(Resolved::Refused(r)) => return Err(WriteError::Refused(r)),
                Ok(_) => return Err(WriteError::Appeared { shown, command }),
                Err(source) => return Err(WriteError::Unresolved { shown, source }),
            };
            let full = tree.absolute(&real);
            match full.parent() {
                Some(dir) => std::fs::create_dir_all(dir),
                None => Ok(()),
            }
            .and_then(|()| new.add(&full, text.as_bytes()))
            .map_err(|e| failed(path, e))?;
        }
        new.finish(written)
            .map_err(|(i, e)| failed(batch.get(i).map_or("", |f| f.0), e))?;
    }
    Ok(())
}

/// Removes files this run created (best effort: each was created new by this run).
fn remove(written: &[PathBuf]) {
    for p in written {
        let _ = std::fs::remove_file(p);
    }
}
