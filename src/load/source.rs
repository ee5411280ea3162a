//! Where goal-file bytes come from: the work tree, or (see `crate::git`) a revision's tree.
//! Loading only ever sees this interface, so it does not care which.

use std::io;
use std::path::{Path, PathBuf};

/// A file found under a root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A regular file (or a symlink to one inside the repository), repo-relative with `/`.
    File(String),
    /// A symlink whose target is outside the repository or cannot be resolved.
    Escape { path: String, target: String },
}

/// The outcome of reading one file with a size bound.
pub enum Read {
    Bytes(Vec<u8>),
    Missing,
    TooLarge(u64),
}

/// A tree of files: the work tree or a git revision.
pub trait Source: Sync {
    /// Every `*.yaml` / `*.yml` file below `root` (repo-relative), sorted, hidden entries
    /// skipped. A missing root lists nothing.
    fn walk(&self, root: &str) -> io::Result<Vec<Entry>>;
    /// Reads a repo-relative file, refusing ones larger than `max` bytes.
    fn read(&self, path: &str, max: u64) -> io::Result<Read>;
    /// A short description for messages ("the work tree", "revision abc123").
    fn describe(&self) -> String;
}

/// The files on disk below a repository root.
pub struct WorkTree {
    pub root: PathBuf,
    canonical_root: PathBuf,
}

impl WorkTree {
    pub fn new(root: &Path) -> io::Result<Self> {
        Ok(WorkTree {
            root: root.to_owned(),
            canonical_root: root.canonicalize()?,
        })
    }
}

/// Whether a file name is a goal file.
pub fn is_goal_file(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

impl Source for WorkTree {
    fn walk(&self, root: &str) -> io::Result<Vec<Entry>> {
        let mut out = Vec::new();
        let start = self.root.join(root);
        match std::fs::symlink_metadata(&start) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e),
            Ok(_) => {}
        }
        self.walk_dir(&start, root.trim_end_matches('/'), &mut out, 0)?;
        out.sort_by(|a, b| entry_path(a).cmp(entry_path(b)));
        Ok(out)
    }

    fn read(&self, path: &str, max: u64) -> io::Result<Read> {
        let full = self.root.join(path);
        let meta = match std::fs::metadata(&full) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Read::Missing),
            Err(e) => return Err(e),
        };
        if meta.len() > max {
            return Ok(Read::TooLarge(meta.len()));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        use std::io::Read as _;
        std::fs::File::open(&full)?
            .take(max + 1)
            .read_to_end(&mut bytes)?;
        if bytes.len() as u64 > max {
            return Ok(Read::TooLarge(bytes.len() as u64));
        }
        Ok(Read::Bytes(bytes))
    }

    fn describe(&self) -> String {
        "the work tree".to_owned()
    }
}

fn entry_path(e: &Entry) -> &str {
    match e {
        Entry::File(p) | Entry::Escape { path: p, .. } => p,
    }
}

impl WorkTree {
    fn walk_dir(&self, dir: &Path, rel: &str, out: &mut Vec<Entry>, depth: u32) -> io::Result<()> {
        // Symlinked directories are not followed, so this bound only stops absurd trees.
        if depth > 64 {
            return Ok(());
        }
        let meta = std::fs::symlink_metadata(dir)?;
        if meta.file_type().is_symlink() {
            return self.symlink(dir, rel, out, depth);
        }
        if meta.is_file() {
            if is_goal_file(rel) {
                out.push(Entry::File(rel.to_owned()));
            }
            return Ok(());
        }
        let mut names: Vec<_> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        names.sort();
        for name in names {
            let Some(name) = name.to_str() else { continue };
            if name.starts_with('.') {
                continue;
            }
            let child_rel = format!("{rel}/{name}");
            let child = dir.join(name);
            let meta = std::fs::symlink_metadata(&child)?;
            if meta.file_type().is_symlink() {
                self.symlink(&child, &child_rel, out, depth)?;
            } else if meta.is_dir() {
                self.walk_dir(&child, &child_rel, out, depth + 1)?;
            } else if meta.is_file() && is_goal_file(name) {
                out.push(Entry::File(child_rel));
            }
        }
        Ok(())
    }

    /// A symlink is followed only when it resolves inside the repository; a link to a
    /// directory inside is walked, a link to a goal file inside is read.
    fn symlink(&self, link: &Path, rel: &str, out: &mut Vec<Entry>, depth: u32) -> io::Result<()> {
        let target = std::fs::read_link(link)
            .map(|t| t.display().to_string())
            .unwrap_or_default();
        match link.canonicalize() {
            Ok(real) if real.starts_with(&self.canonical_root) => {
                if real.is_dir() {
                    self.walk_dir(&real, rel, out, depth + 1)
                } else {
                    if is_goal_file(rel) {
                        out.push(Entry::File(rel.to_owned()));
                    }
                    Ok(())
                }
            }
            _ => {
                if is_goal_file(rel) || link.is_dir() || !link.exists() {
                    out.push(Entry::Escape {
                        path: rel.to_owned(),
                        target,
                    });
                }
                Ok(())
            }
        }
    }
}
