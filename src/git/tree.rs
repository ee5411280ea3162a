//! [`GitTree`]: a revision's files, read from the object database, seen from the project
//! root exactly as the resolver sees the work tree (`crate::load::resolve`). Each directory
//! of the revision is read once into a listing (name → what it is, and its object id), kept
//! for the life of the tree: resolving a path is a lookup per component, and reading a file
//! is one bounded blob read by id. (Looking every path up from the root tree instead parsed
//! the `goals/` tree again for each of its thousands of files.)

use super::{Locked, Revision, blob_size, bounded_blob, bounded_tree, lock, watchdog};
use crate::load::resolve::{self, Hidden, Node, Resolved};
use crate::load::source::{Entry, Read, Source, TooManyEntries};
use git2::{ObjectType, Oid, Repository};
use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Largest symlink blob read for its target: a target is a path, and no system takes
/// paths longer than this.
const MAX_LINK_BYTES: u64 = 4096;

/// A git file mode of a symbolic link.
const MODE_LINK: i32 = 0o120000;

/// One directory of the revision: its entries sorted by name, each with what it is and its
/// object id.
type Listing = Arc<Vec<(String, Node, Oid)>>;

/// A revision's files, read from the object database.
pub(crate) struct GitTree {
    repo: Arc<Mutex<Repository>>,
    tree: Oid,
    prefix: String,
    root: PathBuf,
    rev: Revision,
    /// Directories read so far (real paths below the project root; `""` is the root), `None`
    /// where there is no directory.
    dirs: Mutex<HashMap<String, Option<Listing>>>,
    /// Blobs handed from one tree to another of the same run ([`GitTree::pair`]).
    handoff: Option<Handoff>,
    /// The files of the last walk, read ahead from the end by another thread.
    ahead: Mutex<Option<Arc<Ahead>>>,
    /// Where the tree's links lead, each resolved once (see [`resolve::Memo`]).
    memo: resolve::Memo,
    /// A fetched repository's temporary directory, kept while the tree is (last, so that
    /// the repository is closed first).
    _temp: Option<Arc<super::remote::TempDir>>,
}

/// Fewest files worth a reading thread.
const AHEAD_MIN_FILES: usize = 64;

/// Reading ahead: while loading reads a walk's files in order from the first, another
/// thread, with its own handle on the repository (so outside this tree's lock), reads them
/// from the last; they meet in the middle. Each file is read once, by whichever thread
/// claims it first.
struct Ahead {
    /// Path → (position, blob) of each file of the walk.
    files: HashMap<String, (usize, Oid)>,
    blobs: Vec<Oid>,
    claims: Mutex<Claims>,
    ready: std::sync::Condvar,
}

struct Claims {
    /// Files before this are loading's to read.
    front: usize,
    /// Files from this on are the reading thread's.
    back: usize,
    /// What the reading thread read, by position (`None`: it could not read it, or it is
    /// larger than a goal file may be: loading reads it itself and says why).
    done: HashMap<usize, Option<Vec<u8>>>,
    /// The reading thread stopped (no more claims).
    finished: bool,
}

impl Ahead {
    /// The reading thread: claims files from the back until it meets the front.
    fn run(&self, git_dir: &Path) {
        let repo = Repository::open(git_dir).ok();
        loop {
            let i = {
                let mut c = self.claims.lock().unwrap_or_else(|p| p.into_inner());
                if repo.is_none() || c.back <= c.front {
                    c.finished = true;
                    self.ready.notify_all();
                    return;
                }
                c.back -= 1;
                c.back
            };
            let bytes = repo.as_ref().and_then(|r| {
                let _busy = watchdog::busy();
                bounded_blob(r, self.blobs[i], crate::load::MAX_FILE_BYTES)
                    .ok()
                    .flatten()
                    .map(|b| b.content().to_vec())
            });
            let mut c = self.claims.lock().unwrap_or_else(|p| p.into_inner());
            c.done.insert(i, bytes);
            self.ready.notify_all();
        }
    }

    /// The bytes of `path` if the reading thread has claimed it (waiting for them if it is
    /// reading them now); else marks it loading's own and returns `None`.
    fn take(&self, path: &str) -> Option<(Oid, Vec<u8>)> {
        let &(i, id) = self.files.get(path)?;
        let mut c = self.claims.lock().unwrap_or_else(|p| p.into_inner());
        if i < c.back {
            c.front = c.front.max(i + 1);
            return None;
        }
        loop {
            if let Some(bytes) = c.done.remove(&i) {
                return bytes.map(|b| (id, b));
            }
            if c.finished && !c.done.contains_key(&i) && i >= c.back {
                // Claimed and never read: cannot happen, but never wait for it.
                return None;
            }
            c = self.ready.wait(c).unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// Blobs the older tree of a pair read, for the newer one to take instead of inflating them
/// again (two revisions of one project share nearly every file).
#[derive(Clone)]
struct Handoff {
    /// The older tree keeps a copy of each blob it reads; the newer takes them.
    keep: bool,
    blobs: Arc<Mutex<HashMap<Oid, Vec<u8>>>>,
}

impl GitTree {
    pub(super) fn new(
        repo: Arc<Mutex<Repository>>,
        tree: Oid,
        prefix: String,
        root: PathBuf,
        rev: Revision,
    ) -> GitTree {
        GitTree {
            repo,
            tree,
            prefix,
            root,
            rev,
            dirs: Mutex::new(HashMap::new()),
            handoff: None,
            ahead: Mutex::new(None),
            memo: resolve::Memo::default(),
            _temp: None,
        }
    }

    /// The tree keeps `temp` (a fetched repository's directory) as long as it lives.
    pub(super) fn keeping(mut self, temp: Option<Arc<super::remote::TempDir>>) -> GitTree {
        self._temp = temp;
        self
    }

    /// Makes `older` keep the blobs it reads for `newer`, which takes each one it reads too
    /// instead of reading it again. Read the older tree first.
    pub(crate) fn pair(older: &mut GitTree, newer: &mut GitTree) {
        let blobs = Arc::new(Mutex::new(HashMap::new()));
        older.handoff = Some(Handoff {
            keep: true,
            blobs: Arc::clone(&blobs),
        });
        newer.handoff = Some(Handoff { keep: false, blobs });
    }

    fn broken(&self, path: &str, e: &git2::Error) -> io::Error {
        io::Error::other(format!(
            "`{path}` in revision `{}` ({}): {} (is the repository corrupt? try `git fsck`)",
            self.rev.name,
            self.rev.short(),
            e.message()
        ))
    }

    /// The tree of the project root in the revision (`None`: the project directory does not
    /// exist there).
    fn root_tree(&self, repo: &Repository) -> io::Result<Option<Oid>> {
        let prefix = self.prefix.trim_end_matches('/');
        if prefix.is_empty() {
            return Ok(Some(self.tree));
        }
        // Down one bounded tree at a time (above the project root too).
        let mut id = self.tree;
        let mut above = String::new();
        for part in prefix.split('/') {
            let tree = self.bounded(repo, id, &above)?;
            match tree.get_name(part) {
                Some(e) if e.kind() == Some(ObjectType::Tree) => id = e.id(),
                _ => return Ok(None),
            }
            if !above.is_empty() {
                above.push('/');
            }
            above.push_str(part);
        }
        Ok(Some(id))
    }

    /// The tree `id` at `dir` (for messages), when it has no more entries than a run reads
    /// files; else a [`TooManyEntries`] error.
    fn bounded<'r>(&self, repo: &'r Repository, id: Oid, dir: &str) -> io::Result<git2::Tree<'r>> {
        let max = crate::load::MAX_FILES;
        bounded_tree(repo, id, max)
            .map_err(|e| self.broken(dir, &e))?
            .ok_or_else(|| {
                io::Error::other(TooManyEntries {
                    dir: if dir.is_empty() {
                        ".".to_owned()
                    } else {
                        dir.to_owned()
                    },
                    max,
                    source_name: self.describe(),
                })
            })
    }

    /// The listing of directory `dir` (a real path), read once.
    fn listing(&self, repo: &Repository, dir: &str) -> io::Result<Option<Listing>> {
        if let Some(l) = self.cached(dir) {
            return Ok(l);
        }
        let id = if dir.is_empty() {
            self.root_tree(repo)?
        } else {
            let (parent, name) = dir.rsplit_once('/').unwrap_or(("", dir));
            match self.listing(repo, parent)? {
                Some(l) => find(&l, name).and_then(|(node, id)| (*node == Node::Dir).then_some(id)),
                None => None,
            }
        };
        let listing = match id {
            None => None,
            Some(id) => Some(Arc::new(self.read_dir(repo, id, dir)?)),
        };
        self.dirs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(dir.to_owned(), listing.clone());
        Ok(listing)
    }

    fn cached(&self, dir: &str) -> Option<Option<Listing>> {
        self.dirs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(dir)
            .cloned()
    }

    fn read_dir(
        &self,
        repo: &Repository,
        id: Oid,
        dir: &str,
    ) -> io::Result<Vec<(String, Node, Oid)>> {
        let tree = self.bounded(repo, id, dir)?;
        let mut out = Vec::with_capacity(tree.len());
        for entry in tree.iter() {
            let Ok(name) = entry.name() else { continue };
            // Names git never writes (`git fsck` rejects them), which only a hand-made tree
            // from a hostile server holds: they would name other paths than their own.
            if name.is_empty() || name == "." || name == ".." || name.contains('/') {
                continue;
            }
            let path = if dir.is_empty() {
                name.to_owned()
            } else {
                format!("{dir}/{name}")
            };
            let broken = |e: git2::Error| self.broken(&path, &e);
            let node = match entry.kind() {
                Some(ObjectType::Tree) => Node::Dir,
                Some(ObjectType::Blob) if entry.filemode() == MODE_LINK => {
                    match bounded_blob(repo, entry.id(), MAX_LINK_BYTES).map_err(broken)? {
                        Some(blob) => match std::str::from_utf8(blob.content()) {
                            Ok(target) => Node::Link(target.to_owned()),
                            Err(_) => Node::Other,
                        },
                        None => Node::Other,
                    }
                }
                Some(ObjectType::Blob) => Node::File,
                // Submodules (commits) and anything else are not goal files.
                _ => Node::Other,
            };
            out.push((name.to_owned(), node, entry.id()));
        }
        // Git sorts a directory `a` as `a/`; lookups and the walk want plain name order.
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// What is at a real path, and its object id.
    fn lookup(&self, repo: &Repository, real: &str) -> io::Result<Option<(Node, Oid)>> {
        let (parent, name) = real.rsplit_once('/').unwrap_or(("", real));
        Ok(self
            .listing(repo, parent)?
            .and_then(|l| find(&l, name).map(|(n, id)| (n.clone(), id))))
    }
}

fn find<'l>(l: &'l [(String, Node, Oid)], name: &str) -> Option<(&'l Node, Oid)> {
    l.binary_search_by(|e| e.0.as_str().cmp(name))
        .ok()
        .map(|i| (&l[i].1, l[i].2))
}

/// The revision's tree below the project root, while the repository is locked: what the
/// resolver walks, exactly as it walks the work tree.
struct View<'r> {
    git: &'r GitTree,
    repo: &'r Repository,
}

impl resolve::Tree for View<'_> {
    fn node(&self, real: &str) -> io::Result<Node> {
        if real.is_empty() {
            return Ok(if self.git.listing(self.repo, "")?.is_some() {
                Node::Dir
            } else {
                Node::Missing
            });
        }
        Ok(self
            .git
            .lookup(self.repo, real)?
            .map_or(Node::Missing, |(n, _)| n))
    }

    fn list(&self, real: &str) -> io::Result<Vec<(String, Node)>> {
        Ok(match self.git.listing(self.repo, real)? {
            Some(l) => l
                .iter()
                .map(|(n, node, _)| (n.clone(), node.clone()))
                .collect(),
            None => Vec::new(),
        })
    }

    fn inside(&self, absolute: &str) -> Option<String> {
        // As in the checked-out work tree: an absolute link is inside when it names a path
        // below the project root on this machine.
        Path::new(absolute)
            .strip_prefix(&self.git.root)
            .ok()
            .and_then(|rel| rel.to_str())
            .map(str::to_owned)
    }

    fn memo(&self) -> &resolve::Memo {
        &self.git.memo
    }
}

impl GitTree {
    fn locked(&self) -> Locked<'_> {
        lock(&self.repo)
    }
}

impl GitTree {
    /// Keeps a copy of a blob read for the newer tree of a pair.
    fn keep(&self, id: Oid, bytes: &[u8]) {
        if let Some(h) = &self.handoff
            && h.keep
        {
            h.blobs
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(id, bytes.to_vec());
        }
    }

    /// Starts reading the files of a walk ahead, from the last (see [`Ahead`]). Not for
    /// the newer tree of a pair: the older one has read its blobs.
    fn read_ahead(&self, repo: &Repository, entries: &[Entry]) -> io::Result<()> {
        if self.handoff.as_ref().is_some_and(|h| !h.keep) {
            return Ok(());
        }
        let view = View { git: self, repo };
        let mut files = HashMap::new();
        let mut blobs = Vec::new();
        for e in entries {
            let Entry::File(path) = e else { continue };
            if let Resolved::Found {
                real,
                node: Node::File,
            } = resolve::resolve(&view, path, Hidden::Refuse)?
                && let Some((_, id)) = self.lookup(repo, &real)?
            {
                files.insert(path.clone(), (blobs.len(), id));
                blobs.push(id);
            }
        }
        if blobs.len() < AHEAD_MIN_FILES {
            return Ok(());
        }
        let ahead = Arc::new(Ahead {
            files,
            claims: Mutex::new(Claims {
                front: 0,
                back: blobs.len(),
                done: HashMap::new(),
                finished: false,
            }),
            blobs,
            ready: std::sync::Condvar::new(),
        });
        let (thread, git_dir) = (Arc::clone(&ahead), repo.path().to_owned());
        // Without the thread, loading reads every file itself, as it would anyway.
        if std::thread::Builder::new()
            .name("git-read-ahead".into())
            .spawn(move || thread.run(&git_dir))
            .is_ok()
        {
            *self.ahead.lock().unwrap_or_else(|p| p.into_inner()) = Some(ahead);
        }
        Ok(())
    }
}

impl Drop for GitTree {
    fn drop(&mut self) {
        // The reading thread stops at its next claim.
        if let Some(a) = self.ahead.get_mut().unwrap_or_else(|p| p.into_inner()) {
            let mut c = a.claims.lock().unwrap_or_else(|p| p.into_inner());
            c.front = c.back;
        }
    }
}

impl Source for GitTree {
    fn walk(&self, roots: &[String], max: usize) -> io::Result<Vec<Entry>> {
        let locked = self.locked();
        let view = View {
            git: self,
            repo: &locked.guard,
        };
        let entries = resolve::walk(&view, roots, max)?;
        self.read_ahead(&locked.guard, &entries)?;
        Ok(entries)
    }

    fn read(&self, path: &str, max: u64) -> io::Result<Read> {
        let ahead = self.ahead.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if let Some((id, bytes)) = ahead.and_then(|a| a.take(path))
            && bytes.len() as u64 <= max
        {
            self.keep(id, &bytes);
            return Ok(Read::Bytes(bytes));
        }
        let locked = self.locked();
        let repo = &*locked.guard;
        let view = View { git: self, repo };
        let real = match resolve::resolve(&view, path, Hidden::Refuse)? {
            Resolved::Found {
                real,
                node: Node::File,
            } => real,
            Resolved::Found { .. } | Resolved::Missing { .. } => return Ok(Read::Missing),
            Resolved::Refused(r) => return Ok(Read::Refused(r)),
        };
        let Some((_, id)) = self.lookup(repo, &real)? else {
            return Ok(Read::Missing);
        };
        if let Some(h) = &self.handoff
            && !h.keep
            && let Some(bytes) = h
                .blobs
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&id)
            && bytes.len() as u64 <= max
        {
            return Ok(Read::Bytes(bytes));
        }
        let broken = |e: git2::Error| self.broken(path, &e);
        match bounded_blob(repo, id, max).map_err(broken)? {
            Some(blob) => {
                let bytes = blob.content().to_vec();
                self.keep(id, &bytes);
                Ok(Read::Bytes(bytes))
            }
            None => Ok(Read::TooLarge(blob_size(repo, id).map_err(broken)?)),
        }
    }

    fn describe(&self) -> String {
        format!("revision `{}` ({})", self.rev.name, self.rev.short())
    }
}
