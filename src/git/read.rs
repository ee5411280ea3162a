//! Reading history through the wrapper: a [`Reader`] holds the repository for one stretch
//! of work (a `log` walk, a blame) and offers what the history code needs as plain values:
//! commits with their parents and author, the blob ids at given paths in a commit's tree,
//! and blobs read with a size bound. No libgit2 object leaves this module.

use super::{Error, Locked, Oid, Repo, watchdog};
use git2::{ErrorCode, ObjectType, Sort};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// A file that differs between two trees: its path and its blob on each side.
pub(crate) type ChangedFile = (String, Option<Oid>, Option<Oid>);

/// The author of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Author {
    pub name: String,
    pub email: String,
    /// Seconds since the epoch.
    pub seconds: i64,
    /// The author's offset from UTC, in minutes.
    pub offset_minutes: i32,
}

/// A commit as the history code sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CommitInfo {
    pub id: Oid,
    pub parents: Vec<Oid>,
    pub author: Author,
}

/// The repository, held for reading history.
pub(crate) struct Reader<'r> {
    git: Locked<'r>,
}

impl Repo {
    /// Holds the repository for a stretch of history reading.
    pub(crate) fn reader(&self) -> Reader<'_> {
        Reader { git: self.lock() }
    }
}

/// Trees read while walking history, kept by id for a while: a commit's old side is its
/// parent's new side, read just before (libgit2 keeps only small trees itself).
pub(crate) struct Trees<'a> {
    repo: &'a git2::Repository,
    cache: RefCell<HashMap<git2::Oid, Rc<Listing<'a>>>>,
}

/// A directory as [`Trees::changed_files`] compares it.
enum Listing<'a> {
    /// Entries read from the tree object's bytes ([`super::rawtree::entries`]): a
    /// well-formed tree, sorted, of unique names (every tree git writes).
    Raw {
        data: Box<[u8]>,
        entries: Vec<super::rawtree::Entry>,
    },
    /// Any other tree, as libgit2 parses it.
    Parsed(git2::Tree<'a>),
}

impl Listing<'_> {
    /// The bytes and entries of a listing read from bytes (none for an absent side);
    /// `None` for one libgit2 parsed.
    fn raw(l: &Option<Rc<Self>>) -> Option<(&[u8], &[super::rawtree::Entry])> {
        match l.as_deref() {
            None => Some((&[], &[])),
            Some(Listing::Raw { data, entries }) => Some((data, entries)),
            Some(Listing::Parsed(_)) => None,
        }
    }
}

/// An entry as the comparison tells entries apart: its id, kind and mode as libgit2 gives
/// them.
type Parts = (git2::Oid, Option<ObjectType>, i32);

impl<'a> Trees<'a> {
    /// The listing of tree `id`, from the cache or read. A tree whose header says it is
    /// larger than `MAX_FILES` entries of the longest names is never inflated; one the
    /// bytes decline is parsed by libgit2 ([`super::bounded_tree`]), which refuses one of
    /// more entries. `commit` names the commit in that error. Given a listing read from
    /// bytes that the tree likely shares much with (`like`: the same directory in the
    /// parent), only the entries they do not share are read
    /// ([`super::rawtree::entries_like`]).
    fn listing(
        &self,
        id: git2::Oid,
        commit: Oid,
        like: Option<&Listing<'a>>,
    ) -> Result<Rc<Listing<'a>>, Error> {
        if let Some(t) = self.cache.borrow().get(&id) {
            return Ok(Rc::clone(t));
        }
        let max = crate::load::MAX_FILES;
        let odb = self.repo.odb()?;
        let (size, kind) = odb.read_header(id)?;
        let raw = if kind == ObjectType::Tree
            && size as u64 <= (max as u64).saturating_mul(super::MAX_TREE_ENTRY_BYTES)
        {
            let object = odb.read(id)?;
            let data = object.data();
            match like {
                Some(Listing::Raw {
                    data: old,
                    entries: old_entries,
                }) => super::rawtree::entries_like(old, old_entries, data, max),
                _ => super::rawtree::entries(data, max),
            }
            .map(|entries| Listing::Raw {
                data: object.data().into(),
                entries,
            })
        } else {
            None
        };
        let listing = match raw {
            Some(raw) => raw,
            None => Listing::Parsed(self.parsed(id, commit)?),
        };
        let listing = Rc::new(listing);
        let mut cache = self.cache.borrow_mut();
        if cache.len() >= 64 {
            cache.clear();
        }
        cache.insert(id, Rc::clone(&listing));
        Ok(listing)
    }

    /// Tree `id` as libgit2 parses it; an error when it has more entries than a run reads
    /// files.
    fn parsed(&self, id: git2::Oid, commit: Oid) -> Result<git2::Tree<'a>, Error> {
        let max = crate::load::MAX_FILES;
        super::bounded_tree(self.repo, id, max)?.ok_or_else(|| {
            Error(git2::Error::from_str(&format!(
                "a directory of commit {commit} holds more than {max} entries; goalpost reads at most {max} files"
            )))
        })
    }

    /// The goal files that differ between two commits' trees (`old` `None`: an empty tree):
    /// regular files named `*.yaml` or `*.yml` at or under one of `roots` (repository paths;
    /// "" is the whole tree), each with its blob on both sides (`None` where absent). Only
    /// directories whose ids differ are read, so a commit that touched one file costs a
    /// few tree reads. Links and submodules are not goal files. A directory with more
    /// entries than a run reads files is an error.
    pub(crate) fn changed_files(
        &self,
        old: Option<Oid>,
        new: Oid,
        roots: &[String],
    ) -> Result<Vec<ChangedFile>, Error> {
        watchdog::tick();
        let repo = self.repo;
        let commit = new;
        let old = match old {
            Some(c) => Some(repo.find_commit(c.0)?.tree_id()),
            None => None,
        };
        let new = repo.find_commit(new.0)?.tree_id();
        let mut out = Vec::new();
        // (directory path, old tree, new tree) still to compare.
        let mut todo: Vec<(String, Option<git2::Oid>, Option<git2::Oid>)> =
            vec![(String::new(), old, Some(new))];
        while let Some((dir, a_id, b_id)) = todo.pop() {
            watchdog::tick();
            let a = a_id.map(|id| self.listing(id, commit, None)).transpose()?;
            let b = b_id
                .map(|id| self.listing(id, commit, a.as_deref()))
                .transpose()?;
            // An entry that differs between the two sides: a directory to compare, a goal
            // file changed.
            let mut differ = |name: &[u8], px: Option<Parts>, py: Option<Parts>| {
                let Ok(name) = std::str::from_utf8(name) else {
                    return;
                };
                let path = if dir.is_empty() {
                    name.to_owned()
                } else {
                    format!("{dir}/{name}")
                };
                let tree =
                    |e: Option<Parts>| e.filter(|e| e.1 == Some(ObjectType::Tree)).map(|e| e.0);
                let file = |e: Option<Parts>| {
                    e.filter(|e| {
                        e.1 == Some(ObjectType::Blob) && (e.2 == 0o100644 || e.2 == 0o100755)
                    })
                    .map(|e| Oid(e.0))
                };
                let (ta, tb) = (tree(px), tree(py));
                if (ta.is_some() || tb.is_some()) && roots.iter().any(|r| related(&path, r)) {
                    todo.push((path.clone(), ta, tb));
                }
                let goal = (name.ends_with(".yaml") || name.ends_with(".yml"))
                    && roots.iter().any(|r| under(&path, r));
                let (fa, fb) = (file(px), file(py));
                if goal && fa != fb {
                    out.push((path, fa, fb));
                }
            };
            if let (Some(x), Some(y)) = (Listing::raw(&a), Listing::raw(&b)) {
                raw_differences(x, y, &mut differ)?;
                continue;
            }
            // A side only libgit2 reads: both sides as libgit2 parses them.
            let tree = |l: Option<Rc<Listing<'a>>>, id: Option<git2::Oid>| match (l.as_deref(), id)
            {
                (Some(Listing::Parsed(t)), _) => Ok(Some(t.clone())),
                (_, Some(id)) => self.parsed(id, commit).map(Some),
                (_, None) => Ok(None),
            };
            let (a, b) = (tree(a, a_id)?, tree(b, b_id)?);
            parsed_differences(a.as_ref(), b.as_ref(), &mut differ);
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }
}

impl Reader<'_> {
    /// A tree cache for [`Trees::changed_files`] over this reader's repository.
    pub(crate) fn trees(&self) -> Trees<'_> {
        Trees {
            repo: &self.git.guard,
            cache: RefCell::new(HashMap::new()),
        }
    }

    /// The commit HEAD points at; `None` on an unborn branch (nothing committed yet).
    pub(crate) fn head(&self) -> Result<Option<Oid>, Error> {
        match self.git.guard.head().and_then(|h| h.peel_to_commit()) {
            Ok(c) => Ok(Some(Oid(c.id()))),
            Err(e) if e.code() == ErrorCode::UnbornBranch => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Every commit reachable from `start`, children before parents, newest first among
    /// unrelated ones (git's `--topo-order --date-order`).
    pub(crate) fn walk(
        &self,
        start: Oid,
    ) -> Result<impl Iterator<Item = Result<Oid, Error>> + '_, Error> {
        let mut revwalk = self.git.guard.revwalk()?;
        revwalk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
        revwalk.push(start.0)?;
        Ok(revwalk.map(|id| {
            watchdog::tick();
            id.map(Oid).map_err(Error)
        }))
    }

    /// A commit's parents and author.
    pub(crate) fn commit(&self, id: Oid) -> Result<CommitInfo, Error> {
        watchdog::tick();
        let c = self.git.guard.find_commit(id.0)?;
        let a = c.author();
        Ok(CommitInfo {
            id,
            parents: c.parent_ids().map(Oid).collect(),
            author: Author {
                name: String::from_utf8_lossy(a.name_bytes()).into_owned(),
                email: String::from_utf8_lossy(a.email_bytes()).into_owned(),
                seconds: a.when().seconds(),
                offset_minutes: a.when().offset_minutes(),
            },
        })
    }

    /// The blob at each of `paths` (repository paths) in a commit's tree; `None` where there
    /// is none (missing, or not a file). A tree on the way with more entries than a run reads
    /// files is an error. Each name is looked up in the tree's bytes ([`super::rawtree`]),
    /// and by libgit2 where those decline (a malformed tree).
    pub(crate) fn entries(&self, commit: Oid, paths: &[String]) -> Result<Vec<Option<Oid>>, Error> {
        watchdog::tick();
        let repo = &*self.git.guard;
        let max = crate::load::MAX_FILES;
        let tree = |id: git2::Oid| -> Result<git2::Tree<'_>, Error> {
            super::bounded_tree(repo, id, max)?.ok_or_else(|| {
                Error(git2::Error::from_str(&format!(
                    "a directory of commit {} holds more than {max} entries; goalpost reads at most {max} files",
                    commit
                )))
            })
        };
        let odb = repo.odb()?;
        // The tree objects read in this call (a directory all the paths share, as `goals/`
        // usually is, is read once); `None` for one libgit2 is to parse.
        let mut read: HashMap<git2::Oid, Option<git2::OdbObject<'_>>> = HashMap::new();
        // `name` in tree `id`: (whether it is a directory, whether a blob, its id).
        let mut lookup =
            |id: git2::Oid, name: &str| -> Result<Option<(bool, bool, git2::Oid)>, Error> {
                use super::rawtree::Found;
                watchdog::tick();
                let object = match read.entry(id) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        let (size, kind) = odb.read_header(id)?;
                        e.insert(
                            if kind == ObjectType::Tree
                                && size as u64
                                    <= (max as u64).saturating_mul(super::MAX_TREE_ENTRY_BYTES)
                            {
                                Some(odb.read(id)?)
                            } else {
                                None
                            },
                        )
                    }
                };
                if let Some(object) = object {
                    match super::rawtree::find(object.data(), name.as_bytes(), max) {
                        Some(Found::Missing) => return Ok(None),
                        Some(Found::Entry { mode, id }) => {
                            let id = git2::Oid::from_bytes(&id)?;
                            return Ok(Some((Found::is_tree(mode), Found::is_blob(mode), id)));
                        }
                        None => {}
                    }
                }
                Ok(tree(id)?.get_name(name).map(|e| {
                    (
                        e.kind() == Some(ObjectType::Tree),
                        e.kind() == Some(ObjectType::Blob),
                        e.id(),
                    )
                }))
            };
        // A tree with more entries than a run reads files is an error wherever it is
        // looked into: `rawtree::find` declines it, and `tree` says so.
        let root_id = repo.find_commit(commit.0)?.tree_id();
        // Each directory is looked up once for all the paths (they usually share `goals/`).
        let mut dirs: HashMap<String, Option<git2::Oid>> = HashMap::new();
        dirs.insert(String::new(), Some(root_id));
        let mut out = Vec::with_capacity(paths.len());
        for path in paths {
            let parts: Vec<&str> = path.split('/').collect();
            let (name, dir_parts) = parts.split_last().unwrap_or((&"", &[]));
            let mut prefix = String::new();
            for part in dir_parts {
                let parent = prefix.clone();
                if !prefix.is_empty() {
                    prefix.push('/');
                }
                prefix.push_str(part);
                if dirs.contains_key(&prefix) {
                    continue;
                }
                let sub = match dirs.get(&parent).copied().flatten() {
                    Some(t) => match lookup(t, part)? {
                        Some((true, _, id)) => Some(id),
                        _ => None,
                    },
                    None => None,
                };
                dirs.insert(prefix.clone(), sub);
            }
            let found = match dirs.get(&prefix).copied().flatten() {
                Some(t) => match lookup(t, name)? {
                    Some((_, true, id)) => Some(Oid(id)),
                    _ => None,
                },
                None => None,
            };
            out.push(found);
        }
        Ok(out)
    }

    /// A blob's bytes when it is at most `max` bytes (its header is read first, never the
    /// content of a larger one); `None` when larger.
    pub(crate) fn blob(&self, id: Oid, max: u64) -> Result<Option<Vec<u8>>, Error> {
        // Read through the object database, not as a `git2::Blob`: the bytes are copied out
        // anyway, and a blob object would be made and kept in libgit2's cache for nothing.
        // Anything but a blob goes the other way, for the same error as ever.
        watchdog::tick();
        let odb = self.git.guard.odb()?;
        let (size, kind) = odb.read_header(id.0)?;
        if kind != ObjectType::Blob {
            return Ok(
                super::bounded_blob(&self.git.guard, id.0, max)?.map(|b| b.content().to_vec())
            );
        }
        if size as u64 > max {
            return Ok(None);
        }
        Ok(Some(odb.read(id.0)?.data().to_vec()))
    }

    /// Whether this is a shallow clone.
    pub(crate) fn is_shallow(&self) -> bool {
        self.git.guard.is_shallow()
    }

    /// The commits a shallow clone was cut at (`.git/shallow`); empty for a full clone.
    pub(crate) fn shallow_commits(&self) -> Vec<Oid> {
        if !self.is_shallow() {
            return Vec::new();
        }
        std::fs::read_to_string(self.git.guard.path().join("shallow"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| git2::Oid::from_str(l.trim()).ok().map(Oid))
            .collect()
    }
}

/// Whether `path` is `root` or inside it ("" holds everything).
fn under(path: &str, root: &str) -> bool {
    root.is_empty() || path == root || path.strip_prefix(root).is_some_and(|r| r.starts_with('/'))
}

/// Whether a directory `path` is inside `root` or on the way to it.
fn related(path: &str, root: &str) -> bool {
    under(path, root) || root.strip_prefix(path).is_some_and(|r| r.starts_with('/'))
}

/// Calls `differ` with each entry that differs between two listings read from tree bytes
/// (`(data, entries)`; both sorted in git's order, names unique), in that order: its name
/// and its parts on each side (`None` where absent).
fn raw_differences(
    (xd, xs): (&[u8], &[super::rawtree::Entry]),
    (yd, ys): (&[u8], &[super::rawtree::Entry]),
    differ: &mut impl FnMut(&[u8], Option<Parts>, Option<Parts>),
) -> Result<(), Error> {
    use super::rawtree::Entry;
    use std::cmp::Ordering;
    let parts = |e: &Entry| -> Result<Parts, Error> {
        use super::rawtree::Found;
        let kind = if Found::is_tree(e.mode) {
            ObjectType::Tree
        } else if Found::is_blob(e.mode) {
            ObjectType::Blob
        } else {
            ObjectType::Commit
        };
        Ok((
            git2::Oid::from_bytes(&e.id)?,
            Some(kind),
            e.filemode() as i32,
        ))
    };
    // Entries within the bytes both share at the start are the same entries; so are those
    // within the bytes they share at the end when the two sides' first such entries end
    // alike (then each side reads the same bytes from there on). Only those between are
    // compared.
    let p = crate::bytes::common_prefix(xd, yd);
    let k = xs.partition_point(|e| e.end <= p);
    let (mut i, mut j) = (k, k);
    let s = crate::bytes::common_suffix(&xd[p..], &yd[p..]);
    let tail = |d: &[u8], es: &[Entry]| {
        let m = es.partition_point(|e| e.end <= d.len() - s);
        (m, es.get(m).map(|e| d.len() - e.end))
    };
    let ((mx, ex), (my, ey)) = (tail(xd, xs), tail(yd, ys));
    let (xs, ys) = if ex == ey && xs.len() - mx == ys.len() - my {
        // The first entry ending in the shared end may start before it: compare it too.
        (&xs[..(mx + 1).min(xs.len())], &ys[..(my + 1).min(ys.len())])
    } else {
        (xs, ys)
    };
    while i < xs.len() || j < ys.len() {
        let order = match (xs.get(i), ys.get(j)) {
            (Some(x), Some(y)) => {
                // The same bytes: the same entry.
                if xd[x.name.0..x.end] == yd[y.name.0..y.end] && x.mode == y.mode {
                    i += 1;
                    j += 1;
                    continue;
                }
                let (xn, yn) = (&xd[x.name.0..x.name.1], &yd[y.name.0..y.name.1]);
                let dir = super::rawtree::Found::is_tree;
                super::rawtree::git_order(xn, dir(x.mode), yn, dir(y.mode))
            }
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Greater,
        };
        let (x, y) = match order {
            Ordering::Less => (xs.get(i).inspect(|_| i += 1), None),
            Ordering::Greater => (None, ys.get(j).inspect(|_| j += 1)),
            Ordering::Equal => (xs.get(i).inspect(|_| i += 1), ys.get(j).inspect(|_| j += 1)),
        };
        let px = x.map(parts).transpose()?;
        let py = y.map(parts).transpose()?;
        if px == py {
            continue;
        }
        let n = match (x, y) {
            (Some(x), _) => &xd[x.name.0..x.name.1],
            (None, Some(y)) => &yd[y.name.0..y.name.1],
            (None, None) => continue,
        };
        differ(n, px, py);
    }
    Ok(())
}

/// [`raw_differences`] for trees libgit2 parsed: both listings in git's order (a directory
/// sorts as if its name ended in `/`), walked side by side; no name is copied.
fn parsed_differences(
    a: Option<&git2::Tree<'_>>,
    b: Option<&git2::Tree<'_>>,
    differ: &mut impl FnMut(&[u8], Option<Parts>, Option<Parts>),
) {
    let mut xs = a.iter().flat_map(|t| t.iter()).peekable();
    let mut ys = b.iter().flat_map(|t| t.iter()).peekable();
    loop {
        let order = match (xs.peek(), ys.peek()) {
            (None, None) => break,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => git_order(x, y),
        };
        let (x, y) = match order {
            std::cmp::Ordering::Less => (xs.next(), None),
            std::cmp::Ordering::Greater => (None, ys.next()),
            std::cmp::Ordering::Equal => (xs.next(), ys.next()),
        };
        let parts =
            |e: &Option<git2::TreeEntry<'_>>| e.as_ref().map(|e| (e.id(), e.kind(), e.filemode()));
        let (px, py) = (parts(&x), parts(&y));
        if px == py {
            continue;
        }
        if let Some(e) = x.as_ref().or(y.as_ref()) {
            differ(e.name_bytes(), px, py);
        }
    }
}

/// Git's order of tree entries: by name bytes, a directory's name read as if it ended in `/`.
fn git_order(a: &git2::TreeEntry<'_>, b: &git2::TreeEntry<'_>) -> std::cmp::Ordering {
    let (x, xs) = (a.name_bytes(), a.kind() == Some(ObjectType::Tree));
    let (y, ys) = (b.name_bytes(), b.kind() == Some(ObjectType::Tree));
    let n = x.len().min(y.len());
    x[..n].cmp(&y[..n]).then_with(|| {
        let at = |s: &[u8], slash: bool| s.get(n).copied().or(slash.then_some(b'/'));
        at(x, xs).cmp(&at(y, ys))
    })
}

#[cfg(test)]
mod tests;
