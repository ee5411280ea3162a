//! Where goal-file bytes come from: the work tree, or (see `crate::git`) a revision's tree.
//! Loading only ever sees this interface, so it does not care which. Both resolve paths
//! with [`crate::load::resolve`], so a revision gives the result of its checked-out work
//! tree.

use super::resolve::{self, Hidden, Memo, Node, Resolved, Tree};
use std::io;
use std::path::{Path, PathBuf};

pub(crate) use super::resolve::{Entry, Refused, is_goal_file};

/// The outcome of reading one file with a size bound.
#[derive(Debug)]
pub enum Read {
    Bytes(Vec<u8>),
    /// No file there (or a directory, or something that is not a regular file).
    Missing,
    TooLarge(u64),
    /// The path goes through a link that may not be followed (SPEC 10).
    Refused(Refused),
}

/// A directory with more entries than a run reads files (a git tree of millions of entries
/// packs into a megabyte): the error inside the `io::Error` a [`Source`] returns for it, so
/// that loading reports it as a located `resource-limit`.
#[derive(Debug, thiserror::Error)]
#[error(
    "the directory `{dir}` in {source_name} holds more than {max} entries; goalpost reads at most {max} files"
)]
pub(crate) struct TooManyEntries {
    /// The directory, relative to the project root (`.` for the root).
    pub dir: String,
    pub max: usize,
    /// What the source is ([`Source::describe`]).
    pub source_name: String,
}

impl TooManyEntries {
    /// The `TooManyEntries` inside `e`, if that is what it is.
    pub(crate) fn inside(e: &io::Error) -> Option<&TooManyEntries> {
        e.get_ref().and_then(|e| e.downcast_ref::<TooManyEntries>())
    }
}

/// Whether a walk of goal root `root` lists `path` (below it, no hidden component, a
/// goal-file name): the check-in log must be such a path, or goalpost would never read it.
pub(crate) fn is_walked(path: &str, root: &str) -> bool {
    let root = super::resolve::normalize(root);
    let rest = if root.is_empty() {
        Some(path)
    } else {
        path.strip_prefix(root.as_str())
            .and_then(|r| r.strip_prefix('/'))
    };
    rest.is_some_and(|rest| {
        is_goal_file(rest)
            && rest
                .split('/')
                .all(|part| !part.is_empty() && !part.starts_with('.'))
    })
}

/// A tree of files: the work tree or a git revision.
pub trait Source: Sync {
    /// Every goal file below `roots` (repo-relative), sorted, hidden entries skipped, each
    /// real file once (see [`resolve::walk`]); at most `max + 1` entries.
    fn walk(&self, roots: &[String], max: usize) -> io::Result<Vec<Entry>>;
    /// Reads a repo-relative file, refusing ones larger than `max` bytes.
    fn read(&self, path: &str, max: u64) -> io::Result<Read>;
    /// A short description for messages ("the work tree", "revision abc123").
    fn describe(&self) -> String;
}

/// The files on disk below a project root.
pub struct WorkTree {
    pub root: PathBuf,
    canonical_root: PathBuf,
    /// Where the links on disk lead, each resolved once per run (see [`Memo`]).
    memo: Memo,
}

impl WorkTree {
    pub fn new(root: &Path) -> io::Result<Self> {
        Ok(WorkTree {
            root: root.to_owned(),
            canonical_root: root.canonicalize()?,
            memo: Memo::default(),
        })
    }

    /// Forgets what the links on disk were found to lead to, and restarts the bound on
    /// resolving them: for a tree that outlives one run (the editor server's), before each
    /// read of the disk.
    pub fn forget(&self) {
        self.memo.forget();
    }

    /// Resolves a project-relative path (see [`resolve::resolve`]).
    pub fn resolve(&self, path: &str, hidden: Hidden) -> io::Result<Resolved> {
        resolve::resolve(self, path, hidden)
    }

    /// The absolute path of a real project-relative path (one [`WorkTree::resolve`] gave).
    pub fn absolute(&self, real: &str) -> PathBuf {
        if real.is_empty() {
            self.root.clone()
        } else {
            self.root.join(real)
        }
    }
}

fn node_of(path: &Path, t: std::fs::FileType) -> io::Result<Node> {
    Ok(if t.is_symlink() {
        match std::fs::read_link(path)?.into_os_string().into_string() {
            Ok(target) => Node::Link(target),
            // A target that is not UTF-8 cannot name a goal file.
            Err(_) => Node::Other,
        }
    } else if t.is_dir() && std::fs::symlink_metadata(path.join(".git")).is_ok() {
        // A checked-out submodule (its `.git` is a file) or a repository inside the work
        // tree: a revision holds a gitlink there, which is no directory, so neither is this
        // one (a commit and its checkout give the same goals).
        Node::Other
    } else if t.is_dir() {
        Node::Dir
    } else if t.is_file() {
        Node::File
    } else {
        Node::Other
    })
}

impl Tree for WorkTree {
    fn node(&self, real: &str) -> io::Result<Node> {
        let path = self.absolute(real);
        if real.is_empty() {
            // The project root is a directory even at the top of its repository.
            return Ok(match std::fs::symlink_metadata(&path) {
                Ok(meta) if meta.is_dir() => Node::Dir,
                Ok(meta) => node_of(&path, meta.file_type())?,
                Err(e) if e.kind() == io::ErrorKind::NotFound => Node::Missing,
                Err(e) => return Err(e),
            });
        }
        match std::fs::symlink_metadata(&path) {
            Ok(meta) => node_of(&path, meta.file_type()),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound
                        | io::ErrorKind::NotADirectory
                        // A name or path too long for the system: nothing can be there.
                        | io::ErrorKind::InvalidFilename
                ) =>
            {
                Ok(Node::Missing)
            }
            Err(e) => Err(e),
        }
    }

    fn list(&self, real: &str) -> io::Result<Vec<(String, Node)>> {
        let dir = self.absolute(real);
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&dir)? {
            let Ok(entry) = entry else { continue };
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            // The type comes with the directory entry on most systems: no stat per file.
            let node = match entry.file_type() {
                Ok(t) => node_of(&entry.path(), t)?,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            out.push((name, node));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    fn inside(&self, absolute: &str) -> Option<String> {
        let target = Path::new(absolute);
        [&self.root, &self.canonical_root]
            .into_iter()
            .find_map(|root| target.strip_prefix(root).ok())
            .and_then(|rel| rel.to_str())
            .map(|rel| rel.replace(std::path::MAIN_SEPARATOR, "/"))
    }

    fn memo(&self) -> &Memo {
        &self.memo
    }
}

impl Source for WorkTree {
    fn walk(&self, roots: &[String], max: usize) -> io::Result<Vec<Entry>> {
        resolve::walk(self, roots, max)
    }

    fn read(&self, path: &str, max: u64) -> io::Result<Read> {
        let real = match self.resolve(path, Hidden::Refuse)? {
            Resolved::Found {
                real,
                node: Node::File,
            } => real,
            Resolved::Found { .. } | Resolved::Missing { .. } => return Ok(Read::Missing),
            Resolved::Refused(r) => return Ok(Read::Refused(r)),
        };
        let file = match std::fs::File::open(self.absolute(&real)) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Read::Missing),
            Err(e) => return Err(e),
        };
        let len = file.metadata()?.len();
        if len > max {
            return Ok(Read::TooLarge(len));
        }
        let mut bytes = Vec::with_capacity(len as usize);
        use std::io::Read as _;
        file.take(max + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > max {
            return Ok(Read::TooLarge(bytes.len() as u64));
        }
        Ok(Read::Bytes(bytes))
    }

    fn describe(&self) -> String {
        "the work tree".to_owned()
    }
}
