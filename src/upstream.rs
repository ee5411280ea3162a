//! `goalpost upstream update` as a library (SPEC 13): read an upstream repository's goal
//! files at a commit (from any [`Source`]: a fetched revision or a local repository's),
//! validate them as their repository would, and write them to `upstreams/NAME/` with their
//! pins in goalpost.lock, all or nothing. Fetching is `crate::git::remote`; printing is
//! `cli`.

use crate::config::upstreams::{DIR, Upstream};
use crate::load::source::Source;
use crate::load::upstream::{LOCK, Lock, Pinned, Snapshotted, load_snapshot, sha256};
use crate::load::{Limits, LoadError};
pub(crate) use crate::validate::upstream::Snapshot;
use crate::validate::upstream::validate_snapshot;
use std::path::{Path, PathBuf};

/// An upstream read at a commit and validated.
pub(crate) struct Fetched {
    pub name: String,
    pub commit: String,
    /// The files to write: their indexes in `snapshot.sources` (paths inside the snapshot).
    pub files: Vec<u32>,
    pub snapshot: Snapshot,
}

impl Fetched {
    /// Each file to write: its path inside the snapshot and its text.
    pub(crate) fn files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .map(|&f| (self.snapshot.sources.path(f), self.snapshot.sources.text(f)))
    }

    /// The snapshot's sources named where they would be written, for its diagnostics.
    pub(crate) fn shown_sources(&self) -> crate::load::Sources {
        let mut s = self.snapshot.sources.clone();
        for f in &mut s.files {
            f.path = format!("{DIR}/{}/{}", self.name, f.path);
        }
        s
    }
}

/// Reads upstream `name` from `tree` (its files at `commit`): the goal files under the
/// roots goalpost.toml names for it, and its own goalpost.toml, with the containment and
/// size rules of every read. `Err` when its goalpost.toml cannot be used.
pub(crate) fn read(
    tree: &dyn Source,
    name: &str,
    upstream: &Upstream,
    commit: String,
) -> Result<Fetched, LoadError> {
    let loaded = crate::load::load_roots(tree, Limits::default(), &upstream.roots)?;
    let parsed: std::collections::HashSet<u32> = loaded.files.iter().map(|(f, _)| *f).collect();
    let files = (0..loaded.sources.files.len() as u32)
        .filter(|&i| loaded.sources.path(i) == "goalpost.toml" || parsed.contains(&i))
        .collect();
    let snapshot = validate_snapshot(loaded, name);
    Ok(Fetched {
        name: name.to_owned(),
        commit,
        files,
        snapshot,
    })
}

/// The snapshot of `name` in `tree` (the work tree) as it is now, validated; `None` when
/// there is none or it cannot be read.
pub(crate) fn current(tree: &dyn Source, name: &str) -> Option<Snapshot> {
    let snap = Snapshotted::new(tree, name);
    let loaded = load_snapshot(&snap).ok()?;
    if loaded.sources.files.is_empty() {
        return None;
    }
    let s = validate_snapshot(loaded, name);
    s.is_valid().then_some(s)
}

/// Why a snapshot was not written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WriteError {
    /// goalpost.lock could not be written (its transaction's error).
    #[error(transparent)]
    Lock(crate::write::WriteError),
    #[error("{0} is a symbolic link; goalpost does not write through links (SPEC 10)")]
    Link(String),
    #[error("cannot write {path}: {error}")]
    Io { path: String, error: std::io::Error },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |error| WriteError::Io {
        path: path.display().to_string(),
        error,
    }
}

/// Writes every fetched upstream to `upstreams/NAME/` and their pins to goalpost.lock, all or
/// nothing: each snapshot is written beside its old one first; then, under goalpost.lock's
/// transaction (`crate::write::File`: its lock, the lock file read again under it so that
/// pins another run wrote stay, an atomic replace), the directories are swapped and the lock
/// replaced. On any failure what was swapped is swapped back.
pub(crate) fn write(
    root: &Path,
    fetched: &[Fetched],
    config: &crate::config::Config,
) -> Result<(), WriteError> {
    let dir = root.join(DIR);
    for f in fetched {
        let p = dir.join(&f.name);
        if let Some(link) = crate::fsutil::link_inside(root, &p).map_err(io(&p))? {
            return Err(WriteError::Link(link.display().to_string()));
        }
    }
    // Resolved like every file goalpost writes (a link out or to a hidden file is refused).
    let lock_file = crate::write::File::open(
        root,
        LOCK,
        "goalpost.lock",
        "update the upstream pins",
        false,
    )
    .map_err(WriteError::Lock)?;
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let pid = std::process::id();
    // 1. Each new snapshot beside the old one.
    let mut staged: Vec<(PathBuf, PathBuf, PathBuf)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf, PathBuf)]| {
        for (new, _, _) in staged {
            let _ = std::fs::remove_dir_all(new);
        }
    };
    for f in fetched {
        let new = dir.join(format!(".{}.goalpost-new-{pid}", f.name));
        let old = dir.join(format!(".{}.goalpost-old-{pid}", f.name));
        let target = dir.join(&f.name);
        let _ = std::fs::remove_dir_all(&new);
        staged.push((new.clone(), old, target));
        if let Err(e) = stage(&new, f.files()) {
            cleanup(&staged);
            return Err(e);
        }
    }
    let pins: Vec<(String, Pinned)> = fetched
        .iter()
        .filter_map(|f| {
            let up = config.upstreams.get(&f.name)?;
            let files = f
                .files()
                .map(|(p, t)| (p.to_owned(), sha256(t.as_bytes())))
                .collect();
            let pin = Pinned {
                url: up.location.shown(),
                reference: up.reference.clone(),
                commit: f.commit.clone(),
                files,
            };
            Some((f.name.clone(), pin))
        })
        .collect();
    // 2. Under the lock file's transaction: swap the directories (once, however often the
    // lock file must be read again), then the lock file is replaced.
    let undo = |swapped: &[usize]| {
        for &i in swapped.iter().rev() {
            let (new, old, target) = &staged[i];
            let _ = std::fs::rename(target, new);
            let _ = std::fs::rename(old, target);
        }
    };
    let mut swapped: Vec<usize> = Vec::new();
    let mut swap_failed: Option<WriteError> = None;
    let result = lock_file.transact(|existing| {
        let mut lock = match existing {
            None => Lock::default(),
            Some(text) => Lock::parse(text).map_err(|detail| crate::write::WriteError::Edit {
                shown: LOCK.to_owned(),
                detail,
            })?,
        };
        lock.upstreams.extend(pins.iter().cloned());
        if swapped.len() < staged.len() && swap_failed.is_none() {
            for (i, (new, old, target)) in staged.iter().enumerate().skip(swapped.len()) {
                if let Err(e) = swap(new, old, target) {
                    swap_failed = Some(e);
                    return Ok(crate::write::Decision::Stop(()));
                }
                swapped.push(i);
            }
        }
        Ok(crate::write::Decision::Write(lock.to_text(), ()))
    });
    let failed = match (result, swap_failed) {
        (_, Some(e)) => Some(e),
        (Err(e), None) => Some(WriteError::Lock(e)),
        (Ok(()), None) => None,
    };
    if let Some(e) = failed {
        undo(&swapped);
        cleanup(&staged);
        return Err(e);
    }
    for (_, old, _) in &staged {
        let _ = std::fs::remove_dir_all(old);
    }
    Ok(())
}

/// Puts the staged snapshot `new` in the place of `target`, the old one (if any) kept as
/// `old`; on failure, as it was.
fn swap(new: &Path, old: &Path, target: &Path) -> Result<(), WriteError> {
    let had_old = std::fs::symlink_metadata(target).is_ok();
    if had_old {
        std::fs::rename(target, old).map_err(io(target))?;
    }
    std::fs::rename(new, target)
        .map_err(io(target))
        .inspect_err(|_| {
            if had_old {
                let _ = std::fs::rename(old, target);
            }
        })
}

/// Writes `files` into the new directory `dir`, private to this run until it is swapped
/// in. Files are not synced one by one (that was most of an update's time, BENCHMARKS.md):
/// the swap makes the snapshot appear whole or not at all, and a file a crash cut short
/// differs from its hash in goalpost.lock, which every check compares (`upstream-modified`,
/// mended by running the update again).
fn stage<'f>(
    dir: &Path,
    files: impl Iterator<Item = (&'f str, &'f str)>,
) -> Result<(), WriteError> {
    use std::io::Write as _;
    std::fs::create_dir(dir).map_err(io(dir))?;
    let mut made: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    for (path, text) in files {
        // Paths come from a walk of the upstream's tree: relative, without `..` or hidden
        // parts. Checked again here, since they are written.
        if path.is_empty()
            || path
                .split('/')
                .any(|p| p.is_empty() || p == ".." || crate::fsutil::is_hidden(p))
        {
            continue;
        }
        let full = dir.join(path);
        if let Some(parent) = full.parent()
            && !made.contains(parent)
        {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
            made.insert(parent.to_owned());
        }
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&full)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(io(&full))?;
    }
    Ok(())
}

/// What changed from the snapshot `before` (none: everything is new) to `after` (none:
/// everything went), both scored as of `as_of` with their own thresholds.
pub(crate) fn changes(
    before: Option<&Snapshot>,
    after: Option<&Snapshot>,
    as_of: crate::date::Date,
) -> Vec<crate::diff::ItemChange> {
    use crate::score::{Thresholds, score};
    let empty = crate::model::Goals::default();
    let (old_goals, new_goals) = (
        before.map_or(&empty, |s| &s.goals),
        after.map_or(&empty, |s| &s.goals),
    );
    let th =
        |s: Option<&Snapshot>| s.map_or_else(Thresholds::default, |s| Thresholds::from(&s.config));
    let (Some(old), Some(new)) = (
        crate::model::Valid::of(old_goals, before.map_or(&[], |s| &s.diags)),
        crate::model::Valid::of(new_goals, after.map_or(&[], |s| &s.diags)),
    ) else {
        return Vec::new();
    };
    let old_card = score(old, as_of, th(before));
    let new_card = score(new, as_of, th(after));
    crate::diff::compare(
        crate::diff::Side::scored(old_goals, &old_card),
        crate::diff::Side::scored(new_goals, &new_card),
        as_of,
    )
}

/// The upstreams whose pin differs between two versions of this repository (each read
/// from its source, with its goals as validated there), with what changed in their
/// snapshots (SPEC 13: `diff` shows a bump as upstream changes). In name order.
pub(crate) fn bumps(
    (base, base_goals, base_config): (&dyn Source, &crate::model::Goals, &crate::config::Config),
    (head, head_goals, head_config): (&dyn Source, &crate::model::Goals, &crate::config::Config),
    as_of: crate::date::Date,
) -> Vec<crate::diff::UpstreamChanges> {
    let pin = |g: &crate::model::Goals, name: &str| {
        g.upstream
            .pins
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.commit.clone())
    };
    let names: std::collections::BTreeSet<&String> = base_config
        .upstreams
        .keys()
        .chain(head_config.upstreams.keys())
        .collect();
    let mut out = Vec::new();
    for name in names {
        let (before, after) = (pin(base_goals, name), pin(head_goals, name));
        if before == after {
            continue;
        }
        let old = before.as_ref().and_then(|_| current(base, name));
        let new = after.as_ref().and_then(|_| current(head, name));
        out.push(crate::diff::UpstreamChanges {
            name: name.clone(),
            before,
            after,
            changes: changes(old.as_ref(), new.as_ref(), as_of),
        });
    }
    out
}
