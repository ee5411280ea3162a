//! The one way check-ins reach the check-in log, for `checkin`, `checkin --from` and `pull`
//! (SPEC 9, 10). The log's path is resolved like every path (a link out of the repository is
//! refused), `--commit`'s repository state is checked before anything is written, and under
//! the log's lock the repository is validated as it would be after the append: rows
//! identical to a check-in already there are skipped, and any error refuses every row with
//! the file untouched. A log changed by another program between the read and the write is
//! read again and the rows appended to the new content.

use super::{Checked, CmdResult, Failure, check_source, exit, out};
use crate::checkin::commit::Committer;
use crate::checkin::{self, NewCheckin, Overlay, store};
use crate::config::Config;
use crate::diag::{Code, Diagnostic, Severity, Span};
use crate::load::resolve::{Hidden, Node, Resolved};
use crate::load::source::WorkTree;
use crate::text::safe;
use std::path::PathBuf;
use std::time::Duration;

/// How long to wait for another `goalpost checkin` to finish with the log.
const LOCK_TIMEOUT: Duration = Duration::from_secs(10);
/// How many times the log is read again when another program keeps changing it.
const ATTEMPTS: usize = 5;

/// The check-in log, resolved for writing.
pub struct Log {
    tree: WorkTree,
    /// The log on disk.
    path: PathBuf,
    /// The path the goal-file walk reads it by.
    walked: String,
    /// Its path as written in goalpost.toml, escaped for messages.
    pub shown: String,
    roots: Vec<String>,
    lock_at: PathBuf,
    committer: Option<Committer>,
}

/// What [`Log::append`] did. Row numbers are indexes into the rows given.
pub enum Appended {
    /// The rows were appended, but for `skipped` ones, identical to a check-in already there.
    Written {
        /// The log's new text.
        text: String,
        skipped: Vec<usize>,
        /// Warnings about the rows written (a date after today).
        warnings: Vec<(usize, Diagnostic)>,
    },
    /// Every row is already recorded: nothing was written.
    Nothing { skipped: Vec<usize> },
    /// The repository with the rows would be invalid: nothing was written.
    Refused(Box<Refusal>),
}

/// Why rows were refused.
pub struct Refusal {
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
    pub fn row_at(&self, span: &Span) -> Option<usize> {
        let (file, first, keep) = &self.log;
        let line = span.line as usize;
        (span.file as usize == *file && line >= *first)
            .then(|| keep.get(line - first).copied())
            .flatten()
    }
}

impl Log {
    /// Resolves `checkin_log` for writing. Refused: a log no root walks (goalpost would never
    /// read it), a path through a link out of the repository or to a hidden directory, and
    /// with `commit`, a repository in the middle of a merge or that must sign commits.
    pub fn open(ctx: &super::Ctx, config: &Config, commit: bool) -> Result<Log, Failure> {
        let log_rel = config.checkin_log.clone();
        let roots = config.roots.clone();
        if !roots.iter().any(|r| checkin::is_walked(&log_rel, r)) {
            return Err(not_walked(&log_rel, &roots));
        }
        let tree = WorkTree::new(&ctx.root)
            .map_err(|e| Failure::Io(format!("cannot open {}: {e}", ctx.root.display())))?;
        let shown = safe::human(&log_rel).into_owned();
        // Where the log really is: through links inside the repository, never outside.
        let real = match tree
            .resolve(&log_rel, Hidden::Refuse)
            .map_err(|e| Failure::Io(format!("cannot read {shown}: {e}")))?
        {
            Resolved::Found {
                real,
                node: Node::File,
            } => real,
            Resolved::Missing { real: Some(real) } => real,
            Resolved::Found { .. } | Resolved::Missing { real: None } => {
                return Err(Failure::Usage(format!(
                    "checkin_log `{shown}` cannot be a file (a directory or something else is in the way)"
                )));
            }
            Resolved::Refused(r) => return Err(super::refused_link(&r, ctx.color_err)),
        };
        // The path the goal-file walk reads the log by: its real path when a root holds that,
        // else the path through the link.
        let walked = if roots.iter().any(|r| checkin::is_walked(&real, r)) {
            real.clone()
        } else {
            log_rel.clone()
        };
        let path = tree.absolute(&real);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Failure::Io(format!("cannot create the directory of {shown}: {e}")))?;
        }
        // Before anything is written: a missing identity, a merge in progress or required
        // signing must not leave an uncommitted line.
        let committer = if commit {
            Some(Committer::prepare(&path).map_err(|e| Failure::Io(e.to_string()))?)
        } else {
            None
        };
        let git_dir = crate::git::Repo::discover(&ctx.root)
            .ok()
            .map(|r| r.git_dir());
        let lock_at = store::lock_path(&path, &real, git_dir.as_deref());
        Ok(Log {
            tree,
            path,
            walked,
            shown,
            roots,
            lock_at,
            committer,
        })
    }

    /// Appends `rows` as one atomic write under the log's lock (see the module docs).
    pub fn append(&self, ctx: &super::Ctx, rows: &[NewCheckin]) -> Result<Appended, Failure> {
        let shown = &self.shown;
        let _lock =
            store::lock(&self.lock_at, LOCK_TIMEOUT).map_err(|e| Failure::Io(e.to_string()))?;
        for _ in 0..ATTEMPTS {
            // Read under the lock: a concurrent checkin may have appended since the first load.
            let read = store::snapshot(&self.path)
                .map_err(|e| Failure::Io(format!("cannot read {shown}: {e}")))?;
            if read.read_only() {
                return Err(Failure::Io(format!(
                    "{shown} is read-only; make it writable (chmod u+w) to check in (nothing was written)"
                )));
            }
            let existing = read
                .bytes
                .clone()
                .map(String::from_utf8)
                .transpose()
                .map_err(|_| Failure::Io(format!("{shown} is not UTF-8 text")))?;
            let (text, skipped, warnings) = match self.judge(ctx, existing.as_deref(), rows)? {
                Judged::Clean {
                    text,
                    skipped,
                    warnings,
                } => (text, skipped, warnings),
                Judged::Nothing { skipped } => return Ok(Appended::Nothing { skipped }),
                Judged::Refused(r) => return Ok(Appended::Refused(r)),
            };
            match store::replace(&self.path, text.as_bytes(), &read)
                .map_err(|e| Failure::Io(format!("cannot write {shown}: {e}")))?
            {
                store::Replaced::Done => {
                    return Ok(Appended::Written {
                        text,
                        skipped,
                        warnings,
                    });
                }
                // Another program changed the log: start again from what it holds now.
                store::Replaced::Changed => continue,
            }
        }
        Err(Failure::Io(format!(
            "{shown} kept changing while goalpost was writing to it; nothing was written, try again"
        )))
    }

    /// Prints `report` (what was appended), then with `--commit` commits the log's new
    /// `text` and says so; the report is printed also when the commit fails.
    pub fn finish(&self, text: &str, message: &str, mut report: String) -> CmdResult {
        match self.commit(text, message) {
            Ok(Some(id)) => report.push_str(&format!("committed {id}\n")),
            Ok(None) => {}
            Err(e) => {
                out(&report)?;
                return Err(e);
            }
        }
        out(&report)?;
        Ok(exit::OK)
    }

    /// With `--commit`: commits the log's new `text`. `Ok(None)` without `--commit`.
    pub fn commit(&self, text: &str, message: &str) -> Result<Option<String>, Failure> {
        let Some(c) = &self.committer else {
            return Ok(None);
        };
        match c.commit(text.as_bytes(), message) {
            Ok(oid) => {
                let id = oid.to_string();
                Ok(Some(id[..7.min(id.len())].to_owned()))
            }
            Err(e) => Err(Failure::Io(e.to_string())),
        }
    }

    /// The log's text with `rows` appended, judged by validating the repository with it.
    /// Rows identical to a check-in already there are dropped and the rest judged again.
    fn judge(
        &self,
        ctx: &super::Ctx,
        existing: Option<&str>,
        rows: &[NewCheckin],
    ) -> Result<Judged, Failure> {
        let mut keep: Vec<usize> = (0..rows.len()).collect();
        let mut skipped = Vec::new();
        loop {
            if keep.is_empty() {
                skipped.sort_unstable();
                return Ok(Judged::Nothing { skipped });
            }
            let batch: Vec<NewCheckin> = keep.iter().map(|&i| rows[i].clone()).collect();
            let mut text = checkin::append_many(existing, &batch)
                .map_err(|e| Failure::Usage(format!("cannot append to {}: {e}", self.shown)))?;
            // A new log points editors at the schema, where the project keeps one.
            if existing.is_none() && ctx.root.join(crate::schema::GOAL_FILE_SCHEMA).is_file() {
                text = format!("{}\n{text}", crate::schema::modeline(&self.walked));
            }
            let overlay = Overlay {
                inner: &self.tree,
                path: self.walked.clone(),
                bytes: text.clone().into_bytes(),
            };
            let after = check_source(&overlay)?;
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
            });
        }
    }
}

enum Judged {
    Clean {
        text: String,
        skipped: Vec<usize>,
        warnings: Vec<(usize, Diagnostic)>,
    },
    Nothing {
        skipped: Vec<usize>,
    },
    Refused(Box<Refusal>),
}

fn not_walked(log_rel: &str, roots: &[String]) -> Failure {
    // The whole message is escaped when it is printed (`Failure::report`).
    Failure::Usage(format!(
        "checkin_log `{log_rel}` is not a goal file below any goal root ({}), so goalpost would never read it; set checkin_log in goalpost.toml to a .yaml path below a root",
        roots.join(", ")
    ))
}
