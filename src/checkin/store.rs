//! The check-in log on disk: an exclusive lock and a crash-safe replace.
//!
//! The lock is an OS lock (`flock`/`LockFileEx` through `File::lock`) on a sidecar file: in
//! the git directory when the project is in a repository (so `git status` never shows it),
//! else `.NAME.lock` next to the log. The kernel drops it when its holder exits, even on
//! SIGKILL, so a left-over lock file is never stale: it is only ever a file to lock, and it
//! is never deleted (deleting it would let two processes lock two different files).
//! Writes go to a temporary file in the same directory, are fsynced, renamed over the log
//! and the directory is fsynced: a reader sees the old log or the new one, never half.
//!
//! The lock only keeps out other `goalpost checkin` runs; an editor, `git pull` or a script
//! may change the log at any time. So the log is read as a [`Snapshot`] (its bytes and what
//! identifies that version: size, modification and change times, inode), and [`replace`]
//! compares the log with it just before the rename: when it changed, nothing is renamed and
//! the caller starts again from the new content. What remains is the moment between that
//! comparison and the rename, which no portable file API can close. The replaced log keeps
//! its permissions.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Holds the log's lock until dropped.
#[derive(Debug)]
pub(crate) struct LogLock {
    _file: File,
}

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub(crate) enum LockError {
    #[error("cannot open the lock file {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error(
        "another `goalpost checkin` has held the lock {path} for {secs} s; try again when it has finished"
    )]
    Timeout { path: String, secs: u64 },
}

/// The sidecar lock file of a log. In a git repository: `<git dir>/goalpost-checkin-<log path
/// with `/` as `-`>.lock`; elsewhere `goals/.checkins.yaml.lock` for `goals/checkins.yaml`.
/// Every run on one log computes the same path, which is all the lock needs.
pub(crate) fn lock_path(log: &Path, log_rel: &str, git_dir: Option<&Path>) -> PathBuf {
    match git_dir {
        Some(dir) => dir.join(format!(
            "goalpost-checkin-{}.lock",
            log_rel.replace(['/', '\\'], "-")
        )),
        None => log.with_file_name(format!(".{}.lock", file_name(log))),
    }
}

/// Takes the exclusive lock `path` (see [`lock_path`]), waiting up to `timeout` for its holder.
///
/// The wait is a blocking lock on a helper thread rather than polling, so waiters get the
/// lock as soon as it is free (50 concurrent runs do not starve one another). After a
/// timeout the thread keeps waiting; when it gets the lock nobody receives it, and dropping
/// the file releases it at once.
pub(crate) fn lock(path: &Path, timeout: Duration) -> Result<LogLock, LockError> {
    let path = path.to_owned();
    let io_err = |source| LockError::Io {
        path: path.display().to_string(),
        source,
    };
    // Outside a git repository the lock file sits in the repository, where a pull request
    // could have put a symlink by that name: never open one (it could create a file
    // anywhere).
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io_err(io::Error::other("it is a symbolic link")));
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io_err)?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        // `File::lock` (Rust 1.89) blocks; the caller waits on the channel with a timeout.
        let locked = file.lock().map(|()| file);
        let _ = tx.send(locked);
    });
    match rx.recv_timeout(timeout) {
        Ok(Ok(file)) => Ok(LogLock { _file: file }),
        Ok(Err(e)) => Err(io_err(e)),
        Err(_) => Err(LockError::Timeout {
            path: path.display().to_string(),
            secs: timeout.as_secs(),
        }),
    }
}

/// One version of the log as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Snapshot {
    /// `None` when the log does not exist.
    pub bytes: Option<Vec<u8>>,
    stamp: Option<Stamp>,
    permissions: Option<std::fs::Permissions>,
}

impl Snapshot {
    /// Whether the log exists and nobody may write it (no write permission bit at all).
    /// Judged by the mode rather than by trying, so that it holds for root too.
    pub(crate) fn read_only(&self) -> bool {
        self.permissions.as_ref().is_some_and(|p| p.readonly())
    }
}

/// What changes when a file is written or replaced, besides its content.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: (u64, u64),
    #[cfg(unix)]
    changed: (i64, i64),
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode: (meta.dev(), meta.ino()),
            #[cfg(unix)]
            changed: (meta.ctime(), meta.ctime_nsec()),
        }
    }
}

/// Reads the log and what identifies this version of it.
pub(crate) fn snapshot(log: &Path) -> io::Result<Snapshot> {
    let mut file = match File::open(log) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Snapshot {
                bytes: None,
                stamp: None,
                permissions: None,
            });
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    io::Read::read_to_end(&mut file, &mut bytes)?;
    Ok(Snapshot {
        bytes: Some(bytes),
        stamp: Some(Stamp::of(&meta)),
        permissions: Some(meta.permissions()),
    })
}

/// Reads the log; `None` when it does not exist.
#[cfg(test)]
pub(crate) fn read(log: &Path) -> io::Result<Option<Vec<u8>>> {
    snapshot(log).map(|s| s.bytes)
}

/// What [`replace`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Replaced {
    Done,
    /// The log is no longer the version read: nothing was replaced.
    Changed,
}

/// Test-only: `GOALPOST_TEST_PAUSE_BEFORE_RENAME_MS=N` sleeps N ms after the temporary
/// file is written and synced and before it is renamed, so that a test can kill the process
/// mid-write. It changes nothing that is written.
const PAUSE_ENV: &str = "GOALPOST_TEST_PAUSE_BEFORE_RENAME_MS";

/// Replaces `log` with `bytes`, unless it changed since `read` was taken: temporary file in
/// the same directory with the log's permissions, fsync, a last comparison with `read`,
/// rename, fsync of the directory. Call it holding the lock: it first removes temporary
/// files that crashed writers left behind.
pub(crate) fn replace(log: &Path, bytes: &[u8], read: &Snapshot) -> io::Result<Replaced> {
    let dir = log.parent().unwrap_or(Path::new("."));
    remove_stale_temps(log, dir);
    let tmp = log.with_file_name(format!("{}{}.tmp", temp_prefix(log), std::process::id()));
    let written = (|| {
        // A new file: stale ones (and anything planted under that name) were removed above.
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        if let Some(p) = &read.permissions {
            f.set_permissions(p.clone())?;
        }
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    if let Some(ms) = std::env::var(PAUSE_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(Duration::from_millis(ms));
    }
    match snapshot(log) {
        Ok(now) if now == *read => {}
        Ok(_) => {
            let _ = std::fs::remove_file(&tmp);
            return Ok(Replaced::Changed);
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    }
    if let Err(e) = std::fs::rename(&tmp, log) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(dir)?;
    Ok(Replaced::Done)
}

/// Makes the rename durable. Directories cannot be opened for syncing on Windows, where
/// the rename is already durable once it returns.
fn sync_dir(dir: &Path) -> io::Result<()> {
    if cfg!(unix) {
        File::open(dir)?.sync_all()
    } else {
        Ok(())
    }
}

/// `.checkins.yaml.goalpost-checkin-`: temporary files of this log start with it.
fn temp_prefix(log: &Path) -> String {
    format!(".{}.goalpost-checkin-", file_name(log))
}

/// Only a lock holder writes temporary files of the log, so under the lock any that exist
/// belong to a writer that died before renaming.
fn remove_stale_temps(log: &Path, dir: &Path) {
    let prefix = temp_prefix(log);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        if name
            .to_str()
            .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".tmp"))
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_is_exclusive_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("checkins.yaml");
        let at = lock_path(&log, "goals/checkins.yaml", None);
        let held = lock(&at, Duration::from_secs(1)).unwrap();
        assert!(dir.path().join(".checkins.yaml.lock").is_file());
        let err = lock(&at, Duration::from_millis(100)).unwrap_err();
        assert!(matches!(err, LockError::Timeout { .. }), "{err}");
        drop(held);
        lock(&at, Duration::from_millis(100)).unwrap();
    }

    #[test]
    fn replace_writes_whole_files_and_clears_stale_temps() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("checkins.yaml");
        let stale = dir.path().join(".checkins.yaml.goalpost-checkin-99999.tmp");
        std::fs::write(&stale, "checkins:\n  - { half").unwrap();
        assert_eq!(read(&log).unwrap(), None);
        let none = snapshot(&log).unwrap();
        assert_eq!(
            replace(&log, b"checkins:\n", &none).unwrap(),
            Replaced::Done
        );
        let first = snapshot(&log).unwrap();
        // Taken before the first write: the log changed since, so nothing is replaced.
        assert_eq!(replace(&log, b"x\n", &none).unwrap(), Replaced::Changed);
        assert_eq!(
            replace(&log, b"checkins:\n  - { a: 1 }\n", &first).unwrap(),
            Replaced::Done
        );
        assert_eq!(read(&log).unwrap().unwrap(), b"checkins:\n  - { a: 1 }\n");
        assert!(!stale.exists());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["checkins.yaml"]);
    }

    #[cfg(unix)]
    #[test]
    fn replace_keeps_the_mode_and_sees_changes_of_size_or_inode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("checkins.yaml");
        std::fs::write(&log, "checkins:\n").unwrap();
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o750)).unwrap();
        let read = snapshot(&log).unwrap();
        assert!(!read.read_only());
        assert_eq!(
            replace(&log, b"checkins: []\n", &read).unwrap(),
            Replaced::Done
        );
        let mode = std::fs::metadata(&log).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o750);
        // The same bytes in a new file (an editor's save-by-rename) is a change too.
        let read = snapshot(&log).unwrap();
        let other = dir.path().join("other");
        std::fs::write(&other, "checkins: []\n").unwrap();
        std::fs::rename(&other, &log).unwrap();
        assert_eq!(replace(&log, b"x\n", &read).unwrap(), Replaced::Changed);
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o444)).unwrap();
        assert!(snapshot(&log).unwrap().read_only());
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_file_that_is_a_link_is_never_opened() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        let at = dir.path().join(".checkins.yaml.lock");
        std::os::unix::fs::symlink(&elsewhere, &at).unwrap();
        let err = lock(&at, Duration::from_millis(100)).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(!elsewhere.exists());
    }
}
