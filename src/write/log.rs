//! Appending check-ins to the check-in log, the one way they reach it (`checkin`,
//! `checkin --from`, `pull`; SPEC 9, 10). Under the log's lock the repository is validated
//! as it would be after the append: rows identical to a check-in already there are
//! skipped, and any error refuses every row with the file untouched. A log changed by
//! another program between the read and the write is read again and the rows appended to
//! the new content ([`File::transact`]).

use super::{Decision, File, WriteError};
use crate::check::Checked;
use crate::checkin::{self, NewCheckin, Overlay};
use crate::config::Config;
use crate::diag::{Code, Diagnostic, Severity, Span};
use crate::load::Parsed;
use std::path::{Path, PathBuf};

/// The check-in log, resolved for writing.
pub(crate) struct Log {
    file: File,
    root: PathBuf,
    /// The path the goal-file walk reads it by.
    walked: String,
    /// Its path as written in goalpost.toml, escaped for messages.
    pub shown: String,
    roots: Vec<String>,
}

/// What [`Log::append`] did. Row numbers are indexes into the rows given.
pub(crate) enum Appended {
    /// The rows were appended, but for `skipped` ones, identical to a check-in already there.
    Written {
        /// The log's new text.
        text: String,
        /// The repository with the rows, as judged (a command may leave it to the
        /// process's exit rather than free it).
        after: Box<Checked>,
        skipped: Vec<usize>,
        /// Warnings about the rows written (a date after today).
        warnings: Vec<(usize, Diagnostic)>,
    },
    /// Every row is already recorded: nothing was written.
    Nothing { skipped: Vec<usize> },
    /// The repository with the rows would be invalid: nothing was written.
    Refused(Box<Refusal>),
}

/// What a load kept for judging the repository again ([`Log::append_kept`]).
pub(crate) use crate::check::Kept;

/// Why rows were refused.
pub(crate) struct Refusal {
    /// The repository as it would have been.
    pub after: Checked,
    /// Each error that points at a row (at its line, or naming it as the other place).
    pub rows: Vec<(usize, Diagnostic)>,
    /// Errors that point at no row.
    pub other: Vec<Diagnostic>,
    /// The log's index in `after.sources`, the line of the first row appended, and which
    /// row each appended line holds.
    log: (usize, usize, Vec<usize>),
}

impl Refusal {
    /// The row whose appended line `span` is on, if any.
    pub(crate) fn row_at(&self, span: &Span) -> Option<usize> {
        let (file, first, keep) = &self.log;
        let line = span.line as usize;
        (span.file as usize == *file && line >= *first)
            .then(|| keep.get(line - first).copied())
            .flatten()
    }
}

impl Log {
    /// Resolves `checkin_log` below `root` for writing ([`File::open`]); also refused: a log
    /// no root walks (goalpost would never read it).
    pub(crate) fn open(root: &Path, config: &Config, commit: bool) -> Result<Log, WriteError> {
        let log_rel = &config.checkin_log;
        let roots = config.roots.clone();
        if !roots.iter().any(|r| checkin::is_walked(log_rel, r)) {
            return Err(not_walked(log_rel, &roots));
        }
        let file = File::open(root, log_rel, "checkin_log", "check in", commit)?;
        // The path the goal-file walk reads the log by: its real path when a root holds that,
        // else the path through the link.
        let walked = if roots.iter().any(|r| checkin::is_walked(&file.real, r)) {
            file.real.clone()
        } else {
            log_rel.clone()
        };
        Ok(Log {
            shown: file.shown.clone(),
            file,
            root: root.to_owned(),
            walked,
            roots,
        })
    }

    /// Appends `rows` as one atomic write under the log's lock (see the module docs).
    #[cfg(test)]
    pub(crate) fn append(&self, rows: &[NewCheckin]) -> Result<Appended, WriteError> {
        self.append_kept(rows, None)
    }

    /// [`Log::append`] after a load that kept its parses ([`crate::check::load_keeping`],
    /// their texts given back with [`Kept::texts`]): the repository with the rows is judged
    /// with the other files taken as that load read them, and the log as the check of the
    /// append parsed its new text. Used once; a second judgement (rows dropped as repeats, or
    /// a log another program changed meanwhile) reads every file.
    pub(crate) fn append_kept(
        &self,
        rows: &[NewCheckin],
        kept: Option<Kept>,
    ) -> Result<Appended, WriteError> {
        let mut kept = kept;
        self.file
            .transact(|existing| match self.judge(existing, rows, &mut kept)? {
                Judged::Clean {
                    text,
                    skipped,
                    warnings,
                    after,
                } => Ok(Decision::Write(
                    text.clone(),
                    Appended::Written {
                        text,
                        after,
                        skipped,
                        warnings,
                    },
                )),
                Judged::Nothing { skipped } => Ok(Decision::Stop(Appended::Nothing { skipped })),
                Judged::Refused(r) => Ok(Decision::Stop(Appended::Refused(r))),
            })
    }

    /// With `--commit`: commits the log's new `text` ([`File::commit`]).
    pub(crate) fn commit(&self, text: &str, message: &str) -> Result<Option<String>, WriteError> {
        self.file.commit(text, message)
    }

    /// The repository with the log's new `text` (`overlay`), loaded and validated: with
    /// `kept`, every other file as the kept load read it, and the log from `parsed` (the
    /// check's parse of `text`), or read and parsed again when there is none. The log's
    /// parse from the kept load is never taken; should the load hold anything but `text`
    /// for the log, every file is read.
    fn load_after(
        &self,
        overlay: &Overlay<'_>,
        text: &str,
        kept: Option<Kept>,
        parsed: Option<Parsed>,
    ) -> Result<Checked, WriteError> {
        if let Some(mut kept) = kept {
            match parsed {
                Some(parsed) => kept.put(&self.walked, text, parsed),
                None => kept.forget(&self.walked),
            }
            let after = crate::check::load_kept(overlay, kept)?;
            let log = after.sources.files.iter().find(|f| f.path == self.walked);
            if log.is_some_and(|f| f.text == text) {
                return Ok(after);
            }
        }
        Ok(crate::check::load(overlay)?)
    }

    /// The log's text with `rows` appended, judged by validating the repository with it.
    /// Rows identical to a check-in already there are dropped and the rest judged again.
    fn judge(
        &self,
        existing: Option<&str>,
        rows: &[NewCheckin],
        kept: &mut Option<Kept>,
    ) -> Result<Judged, WriteError> {
        let mut keep: Vec<usize> = (0..rows.len()).collect();
        let mut skipped = Vec::new();
        loop {
            if keep.is_empty() {
                skipped.sort_unstable();
                return Ok(Judged::Nothing { skipped });
            }
            let batch: Vec<NewCheckin> = keep.iter().map(|&i| rows[i].clone()).collect();
            // The log's top-level check-ins as the kept load counted them, when it read
            // the text the log holds now; else counted now.
            let before = match (existing, kept.as_ref()) {
                (None, _) => Some(0),
                (Some(text), Some(k)) => k
                    .top_level_checkins(&self.walked, text)
                    .unwrap_or_else(|| checkin::top_level_checkins(text)),
                (Some(text), None) => checkin::top_level_checkins(text),
            };
            let (mut text, parsed) =
                checkin::append_checked(existing, before, &batch).map_err(|e| {
                    WriteError::Append {
                        shown: self.shown.clone(),
                        detail: e.to_string(),
                    }
                })?;
            let mut parsed = Some(parsed);
            // A new log points editors at the schema, where the project keeps one.
            if existing.is_none() && self.root.join(crate::schema::GOAL_FILE_SCHEMA).is_file() {
                text = format!("{}\n{text}", crate::schema::modeline(&self.walked));
                parsed = None;
            }
            let overlay = Overlay {
                inner: &self.file.tree,
                path: self.walked.clone(),
                bytes: text.clone().into_bytes(),
            };
            let after = self.load_after(&overlay, &text, kept.take(), parsed)?;
            let Some(file) = after
                .sources
                .files
                .iter()
                .position(|f| f.path == self.walked)
            else {
                return Err(not_walked(&self.walked, &self.roots));
            };
            let last = checkin::line_count(&text);
            let first = last + 1 - batch.len();
            // The row written on the line of `span`, if any.
            let row_of = |span: &Span| -> Option<usize> {
                let line = span.line as usize;
                (span.file as usize == file && (first..=last).contains(&line))
                    .then(|| keep[line - first])
            };
            let mut repeats = Vec::new();
            let mut errors = Vec::new();
            let mut other = Vec::new();
            let mut warnings = Vec::new();
            for d in &after.diags {
                let row =
                    row_of(&d.span).or_else(|| d.related.iter().find_map(|r| row_of(&r.span)));
                match (d.code, d.severity, row) {
                    // A repeat of a check-in already there (or of an earlier row): the row
                    // whose line holds the repeat is the one to drop.
                    (Code::DuplicateCheckin, _, Some(row)) => repeats.push(row),
                    (_, Severity::Error, Some(row)) => errors.push((row, d.clone())),
                    (_, Severity::Error, None) => other.push(d.clone()),
                    (_, Severity::Warning, Some(row)) => warnings.push((row, d.clone())),
                    (_, Severity::Warning, None) => {}
                }
            }
            if !repeats.is_empty() {
                let drop: std::collections::HashSet<usize> = repeats.iter().copied().collect();
                keep.retain(|i| !drop.contains(i));
                skipped.extend(drop);
                continue;
            }
            if !errors.is_empty() || !other.is_empty() {
                return Ok(Judged::Refused(Box::new(Refusal {
                    after,
                    rows: errors,
                    other,
                    log: (file, first, keep),
                })));
            }
            skipped.sort_unstable();
            return Ok(Judged::Clean {
                text,
                skipped,
                warnings,
                after: Box::new(after),
            });
        }
    }
}

enum Judged {
    Clean {
        text: String,
        skipped: Vec<usize>,
        warnings: Vec<(usize, Diagnostic)>,
        after: Box<Checked>,
    },
    Nothing {
        skipped: Vec<usize>,
    },
    Refused(Box<Refusal>),
}

fn not_walked(log_rel: &str, roots: &[String]) -> WriteError {
    // The whole message is escaped when it is printed.
    WriteError::NotWalked {
        path: log_rel.to_owned(),
        roots: roots.join(", "),
    }
}
