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
