//! The check-in log on disk: an exclusive lock and a crash-safe replace.
//!
//! The lock is an OS lock (`flock`/`LockFileEx` through `File::lock`) on a sidecar file: in
//! the git directory when the project is in a repository (so `git status` never shows it),
//! else `.NAME.lock` next to the log. The kernel drops it when its holder exits, even on
//! SIGKILL, so a left-over lock file is never stale: it is only ever a file to lock, and it
//! is never deleted (deleting it would let two processes lock two different files).
//! Writes go to a temporary file in the same directory, are fsynced, renamed over the log
//! and the directory is fsynced: a reader sees the old log or the new one, never half.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Holds the log's lock until dropped.
#[derive(Debug)]
pub struct LogLock {
    _file: File,
}

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
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
pub fn lock_path(log: &Path, log_rel: &str, git_dir: Option<&Path>) -> PathBuf {
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
pub fn lock(path: &Path, timeout: Duration) -> Result<LogLock, LockError> {
    let path = path.to_owned();
    let io_err = |source| LockError::Io {
        path: path.display().to_string(),
        source,
    };
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

/// Reads the log; `None` when it does not exist.
pub fn read(log: &Path) -> io::Result<Option<Vec<u8>>> {
    match std::fs::read(log) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Test-only: `GOALPOST_TEST_PAUSE_BEFORE_RENAME_MS=N` sleeps N ms after the temporary
/// file is written and synced and before it is renamed, so that a test can kill the process
/// mid-write. It changes nothing that is written.
const PAUSE_ENV: &str = "GOALPOST_TEST_PAUSE_BEFORE_RENAME_MS";

/// Replaces `log` with `bytes`: temporary file in the same directory, fsync, rename, fsync
/// of the directory. Call it holding the lock: it first removes temporary files that
/// crashed writers left behind.
pub fn replace(log: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = log.parent().unwrap_or(Path::new("."));
    remove_stale_temps(log, dir);
    let tmp = log.with_file_name(format!("{}{}.tmp", temp_prefix(log), std::process::id()));
    let written = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
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
    if let Err(e) = std::fs::rename(&tmp, log) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(dir)
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
        replace(&log, b"checkins:\n").unwrap();
        replace(&log, b"checkins:\n  - { a: 1 }\n").unwrap();
        assert_eq!(read(&log).unwrap().unwrap(), b"checkins:\n  - { a: 1 }\n");
        assert!(!stale.exists());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["checkins.yaml"]);
    }
}
