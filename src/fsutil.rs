//! Small file-system helpers: writes that never leave a partial file behind, and the one
//! rule of which names are hidden. A leaf: it uses nothing else in the crate, so both
//! `config` (which refuses hidden roots and CSV paths) and `load` (whose resolver refuses
//! hidden files) can use it without using each other.

use std::io::Write;
use std::path::Path;

/// Whether a file or directory name is hidden.
pub(crate) fn is_hidden(name: &str) -> bool {
    name.starts_with('.') && name != "." && name != ".."
}

/// Creates `path` with `bytes`; fails if it already exists.
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_path(path);
    write_temp(&tmp, bytes)?;
    // hard_link fails when the target exists, so a racing writer is never clobbered.
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    linked
}

/// Files created new together, each as [`write_new`] creates one: a temporary file beside
/// it, synced, then hard-linked to its name (so the name never holds a part of the file,
/// even after a crash, and a file that appeared meanwhile is never clobbered) and the
/// temporary name removed. The one difference is when the syncs are waited for: each sync
/// waits for the disk (milliseconds), so those of all the files added are made at once, on
/// several threads, before any is linked. Still one sync per file and none of a directory,
/// as [`write_new`]: a crash may lose names linked just before it, never leave a name on a
/// part of a file. Temporary files not linked are removed when this is dropped.
#[derive(Default)]
pub(crate) struct NewFiles {
    pending: Vec<Pending>,
}

struct Pending {
    path: std::path::PathBuf,
    tmp: std::path::PathBuf,
    file: Option<std::fs::File>,
}

impl NewFiles {
    /// Writes `bytes` into a new temporary file beside `path` (not synced, not linked yet).
    /// The file stays open until [`NewFiles::finish`]: callers add a bounded number at a
    /// time.
    pub(crate) fn add(&mut self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let tmp = temp_path(path);
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        self.pending.push(Pending {
            path: path.to_owned(),
            tmp,
            file: None,
        });
        f.write_all(bytes)?;
        if let Some(p) = self.pending.last_mut() {
            p.file = Some(f);
        }
        Ok(())
    }

    /// Syncs every file added, then links each to its name in the order added, pushing its
    /// path to `created`. On a failure, nothing more is linked: the error comes with the
    /// position of its file among those added (the first in that order when syncs failed).
    pub(crate) fn finish(
        mut self,
        created: &mut Vec<std::path::PathBuf>,
    ) -> Result<(), (usize, std::io::Error)> {
        let synced = sync_all(&mut self.pending);
        if let Some((i, e)) = synced
            .into_iter()
            .enumerate()
            .find_map(|(i, r)| r.err().map(|e| (i, e)))
        {
            return Err((i, e));
        }
        let mut rest = std::mem::take(&mut self.pending).into_iter().enumerate();
        for (i, p) in rest.by_ref() {
            // hard_link fails when the target exists, so a racing writer is never clobbered.
            let linked = std::fs::hard_link(&p.tmp, &p.path);
            let _ = std::fs::remove_file(&p.tmp);
            match linked {
                Ok(()) => created.push(p.path),
                Err(e) => {
                    // Those not linked are removed when this is dropped.
                    self.pending = rest.map(|(_, p)| p).collect();
                    return Err((i, e));
                }
            }
        }
        Ok(())
    }
}

impl Drop for NewFiles {
    fn drop(&mut self) {
        for p in &self.pending {
            let _ = std::fs::remove_file(&p.tmp);
        }
    }
}

/// Syncs and closes the files of `pending`, on up to 8 threads (the waits are the disk's,
/// not the processor's), returning each one's result in order.
fn sync_all(pending: &mut [Pending]) -> Vec<std::io::Result<()>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let files: Vec<Option<std::fs::File>> = pending.iter_mut().map(|p| p.file.take()).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(f) = files.get(i) else { return done };
            let r = match f {
                Some(f) => f.sync_all(),
                None => Err(std::io::Error::other("the file was not written")),
            };
            done.push((i, r));
        }
    };
    let mut results: Vec<Option<std::io::Result<()>>> = files.iter().map(|_| None).collect();
    std::thread::scope(|scope| {
        // A thread that cannot be had leaves its share to the others.
        let threads: Vec<_> = (1..files.len().min(8))
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
            .collect();
        let mut done = work();
        for t in threads {
            done.extend(t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        for (i, r) in done {
            results[i] = Some(r);
        }
    });
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(std::io::Error::other("the file was not synced"))))
        .collect()
}

/// Replaces `path` with `bytes` atomically (write a temporary file, then rename).
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_path(path);
    write_temp(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Replaces `path` atomically with what `write` streams into it: a reader sees the old file
/// or the whole new one, never a part. The temporary file is removed on failure.
pub(crate) fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let tmp = temp_path(path);
    let result = (|| {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        let mut w = std::io::BufWriter::with_capacity(64 * 1024, f);
        write(&mut w)?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn write_temp(tmp: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(tmp)?;
    f.write_all(bytes)?;
    f.sync_all()
}

fn temp_path(path: &Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.goalpost-{}.tmp", std::process::id()))
}

/// The first symbolic link on `path` (it included) below `root`, when `path` lies inside
/// `root` (SPEC 10: a path goalpost writes inside the repository is refused when it or a
/// directory on it is a link); `None` when there is none or `path` is outside. Components
/// are taken one at a time: `..` steps back only over real directories, as the kernel would.
/// `root` is tried as given and canonical, so a root reached through a link still counts.
pub(crate) fn link_inside(root: &Path, path: &Path) -> std::io::Result<Option<std::path::PathBuf>> {
    use std::path::Component;
    // Both absolute, so that `-C .` and `-C sub` compare like any other path.
    let (root, path) = (std::path::absolute(root)?, std::path::absolute(path)?);
    let roots = [Some(root.clone()), root.canonicalize().ok()];
    let Some((base, rest)) = roots
        .iter()
        .flatten()
        .find_map(|r| path.strip_prefix(r).ok().map(|rest| (r.clone(), rest)))
    else {
        return Ok(None);
    };
    let mut here = base.clone();
    for part in rest.components() {
        match part {
            Component::Normal(name) => {
                here.push(name);
                match std::fs::symlink_metadata(&here) {
                    Ok(m) if m.file_type().is_symlink() => return Ok(Some(here)),
                    Ok(_) => {}
                    // Nothing there: nothing below it can be a link yet.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                    Err(e) => return Err(e),
                }
            }
            Component::ParentDir => {
                // Out of the repository: the command line chose it, and it is not ours.
                if here == base {
                    return Ok(None);
                }
                here.pop();
            }
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn new_files_are_written_synced_and_named_in_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut new = NewFiles::default();
        // More files than threads, so that each thread syncs several.
        for i in 0..20 {
            new.add(
                &dir.path().join(format!("f{i:02}.yaml")),
                format!("n: {i}\n").as_bytes(),
            )
            .expect("added");
        }
        let mut created = Vec::new();
        new.finish(&mut created).expect("finished");
        let expected: Vec<String> = (0..20).map(|i| format!("f{i:02}.yaml")).collect();
        assert_eq!(names(dir.path()), expected, "no temporary file is left");
        let order: Vec<String> = created
            .iter()
            .map(|p| {
                p.file_name()
                    .expect("a name")
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(order, expected);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("f07.yaml")).expect("read"),
            "n: 7\n"
        );
    }

    #[test]
    fn a_name_taken_meanwhile_is_never_clobbered() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut new = NewFiles::default();
        for name in ["a.yaml", "b.yaml", "c.yaml"] {
            new.add(&dir.path().join(name), b"new\n").expect("added");
        }
        // Another program writes b.yaml before the names are linked.
        std::fs::write(dir.path().join("b.yaml"), "theirs\n").expect("write");
        let mut created = Vec::new();
        let (at, e) = new.finish(&mut created).expect_err("b.yaml is taken");
        assert_eq!((at, e.kind()), (1, std::io::ErrorKind::AlreadyExists));
        assert_eq!(created, [dir.path().join("a.yaml")]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b.yaml")).expect("read"),
            "theirs\n"
        );
        assert_eq!(
            names(dir.path()),
            ["a.yaml", "b.yaml"],
            "no temporary file is left"
        );
    }

    #[test]
    fn files_not_finished_leave_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut new = NewFiles::default();
        new.add(&dir.path().join("a.yaml"), b"a\n").expect("added");
        assert!(new.add(&dir.path().join("missing/b.yaml"), b"b\n").is_err());
        drop(new);
        assert!(names(dir.path()).is_empty());
    }
}
