//! The one path resolver (SPEC 10 "Containment"): every file goalpost reads or writes in a
//! repository (goalpost.toml, roots, goal files, the check-in log, `init`'s files) is found
//! through [`resolve`] or [`walk`], over a [`Tree`] that is either the work tree or a git
//! revision's tree, so both give the same answer.
//!
//! A path is resolved component by component from the project root, as the kernel would,
//! but a symlink is followed only when its target, resolved the same way, stays inside the
//! project root and names no hidden file or directory (`.env`, `.git`); at most
//! [`MAX_LINKS`] links per path, so a loop ends as a loop. A walk lists each real directory
//! and each real file once, whatever links lead to them, so links cannot multiply work.

use std::collections::HashSet;
use std::io;

/// Most symlinks followed while resolving one path (Linux's own limit is 40).
pub const MAX_LINKS: usize = 40;
/// Directories nested deeper than this below a root are not walked.
const MAX_DEPTH: usize = 64;
/// A real path of more components than this is taken as missing (no file system takes
/// paths this deep; a git tree can nest without end), so one resolution stays cheap.
const MAX_COMPONENTS: usize = 256;

/// What a tree holds at a path, without following a link there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Missing,
    File,
    Dir,
    /// A symbolic link, and its target as written.
    Link(String),
    /// Anything else (a FIFO, a socket, a submodule, a link too long to be a path): never
    /// read.
    Other,
}

/// A tree of files that paths are resolved in. Paths given to it are *real*: relative to
/// the project root, `/`-separated, `""` for the root itself, and free of links, `.` and
/// `..` (the resolver has already resolved them).
pub trait Tree {
    /// What is at `real`.
    fn node(&self, real: &str) -> io::Result<Node>;
    /// The entries of the directory `real`, sorted by name. Names that are not UTF-8 are
    /// left out (no goal file can be named that way).
    fn list(&self, real: &str) -> io::Result<Vec<(String, Node)>>;
    /// An absolute link target as a path below the project root, if it is one (lexically:
    /// the rest may still hold `..`, which is resolved like any other component).
    fn inside(&self, absolute: &str) -> Option<String>;
}

/// Why a symlink was not followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Its target is outside the repository.
    Outside,
    /// Its target is, or is inside, a hidden file or directory.
    Hidden,
    /// More than [`MAX_LINKS`] links: a loop.
    Loop,
    /// Its target does not exist.
    Dangling,
}

/// A path that was not followed, and the link that stopped it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The link, project-relative (or the path itself when it names a hidden entry).
    pub link: String,
    /// The link's target as written (empty when the path itself was refused).
    pub target: String,
    pub why: Why,
}

impl Refused {
    /// What happened, for a message: "`goals/x.yaml` is a symlink to `../.env`, a hidden file".
    pub fn describe(&self) -> String {
        let Refused { link, target, why } = self;
        if target.is_empty() {
            return format!("`{link}` is hidden; goalpost never reads hidden files");
        }
        match why {
            Why::Outside => {
                format!("`{link}` is a symlink to `{target}`, outside the repository")
            }
            Why::Hidden => format!(
                "`{link}` is a symlink to `{target}`, a hidden file or directory; goalpost never reads hidden files"
            ),
            Why::Loop => format!(
                "`{link}` is a symlink loop: following `{target}` leads back to a link on its own path"
            ),
            Why::Dangling => format!("`{link}` is a symlink to `{target}`, which does not exist"),
        }
    }

    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self.why {
            Why::Outside => {
                "goal files must live inside the repository: copy the file in, or remove the link"
            }
            Why::Hidden => {
                "hidden files (.env, .git) can hold secrets: move the goal file to a visible path"
            }
            Why::Loop => "point the link at a file or directory, not at itself",
            Why::Dangling => "point the link at an existing file, or remove it",
        }
    }
}

/// The outcome of resolving one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// The real path and what is there (never a link, never missing).
    Found {
        real: String,
        node: Node,
    },
    /// Nothing is there. `real` is where it would be created: the real path of the deepest
    /// existing directory plus the missing components; `None` when it cannot be created
    /// (a missing directory followed by `..`, or a file used as a directory).
    Missing {
        real: Option<String>,
    },
    Refused(Refused),
}

/// Whether hidden components may be named (only `init` writes hidden files: `.github/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    Refuse,
    Allow,
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// The parts of a `/`-separated path, without empty and `.` parts.
fn parts(path: &str) -> impl DoubleEndedIterator<Item = &str> {
    path.split('/').filter(|p| !p.is_empty() && *p != ".")
}

/// A path with empty and `.` parts removed: `./goals//a/` → `goals/a`, `.` → ``.
pub fn normalize(path: &str) -> String {
    parts(path).collect::<Vec<_>>().join("/")
}

/// Whether a file or directory name is hidden.
pub fn is_hidden(name: &str) -> bool {
    name.starts_with('.') && name != "." && name != ".."
}

/// Resolves a project-relative path (see the module docs).
pub fn resolve(tree: &dyn Tree, path: &str, hidden: Hidden) -> io::Result<Resolved> {
    // Components still to resolve, the last one next, each with the link whose target it
    // came from (an index into `links`), `None` for the path as given.
    let mut todo: Vec<(String, Option<usize>)> =
        parts(path).rev().map(|p| (p.to_owned(), None)).collect();
    let mut links: Vec<(String, String)> = Vec::new();
    let mut real: Vec<String> = Vec::new();
    let refuse = |links: &[(String, String)], from: Option<usize>, fallback: &str, why| {
        let (link, target) = match from {
            Some(i) => links[i].clone(),
            None => (fallback.to_owned(), String::new()),
        };
        Ok(Resolved::Refused(Refused { link, target, why }))
    };
    let mut node = Node::Dir;
    while let Some((name, from)) = todo.pop() {
        if name == ".." {
            if real.pop().is_none() {
                return refuse(&links, from, path, Why::Outside);
            }
            node = Node::Dir;
            continue;
        }
        if node != Node::Dir {
            // A file (or something else) used as a directory.
            return Ok(Resolved::Missing { real: None });
        }
        if hidden == Hidden::Refuse && is_hidden(&name) {
            let here = join(&real.join("/"), &name);
            return refuse(&links, from, &here, Why::Hidden);
        }
        let here = join(&real.join("/"), &name);
        match tree.node(&here)? {
            Node::Link(target) => {
                if links.len() >= MAX_LINKS {
                    return Ok(Resolved::Refused(Refused {
                        link: here,
                        target,
                        why: Why::Loop,
                    }));
                }
                let index = links.len();
                links.push((here, target.clone()));
                let rest = if target.starts_with('/') {
                    match tree.inside(&target) {
                        Some(rel) => {
                            real.clear();
                            rel
                        }
                        None => return refuse(&links, Some(index), "", Why::Outside),
                    }
                } else {
                    target
                };
                let before = todo.len();
                todo.extend(parts(&rest).rev().map(|p| (p.to_owned(), Some(index))));
                if todo.len() == before {
                    // `x -> .` or `x -> /the/project/root`: the directory itself.
                    node = Node::Dir;
                }
            }
            Node::Missing => {
                if let Some(i) = from
                    && todo.iter().all(|(_, f)| *f != Some(i))
                {
                    // The last component of a link's target is missing: a dangling link,
                    // unless the path goes on (then it is a missing directory below it).
                    if todo.is_empty() {
                        return refuse(&links, Some(i), "", Why::Dangling);
                    }
                }
                let mut out = real.clone();
                out.push(name);
                while let Some((name, from)) = todo.pop() {
                    if name == ".." {
                        return Ok(Resolved::Missing { real: None });
                    }
                    let hide = hidden == Hidden::Refuse && is_hidden(&name);
                    out.push(name);
                    if hide {
                        return refuse(&links, from, &out.join("/"), Why::Hidden);
                    }
                }
                return Ok(Resolved::Missing {
                    real: Some(out.join("/")),
                });
            }
            found => {
                if real.len() >= MAX_COMPONENTS {
                    return Ok(Resolved::Missing { real: None });
                }
                real.push(name);
                node = found;
            }
        }
    }
    Ok(Resolved::Found {
        real: real.join("/"),
        node,
    })
}

/// A file found by a walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A goal file, by the path it was found at (below a root, through links).
    File(String),
    /// A link below a root that was not followed; `path` is where it was found.
    Refused { path: String, refused: Refused },
}

impl Entry {
    pub fn path(&self) -> &str {
        match self {
            Entry::File(p) | Entry::Refused { path: p, .. } => p,
        }
    }
}

/// Whether a file name is a goal file.
pub fn is_goal_file(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// Every goal file below `roots`, sorted by path, and every link there that could not be
/// followed. Each real directory is listed once and each real file reported once (by the
/// first path that reaches it: real paths before paths through links), so a link to `.`
/// or to a directory walked already adds nothing. The walk stops once it has more than
/// `max` entries: the caller sees `max + 1` and knows there were too many.
pub fn walk(tree: &dyn Tree, roots: &[String], max: usize) -> io::Result<Vec<Entry>> {
    let mut w = Walker {
        tree,
        max,
        dirs: HashSet::new(),
        files: HashSet::new(),
        links: Vec::new(),
        out: Vec::new(),
    };
    let mut roots: Vec<String> = roots.iter().map(|r| normalize(r)).collect();
    roots.sort();
    roots.dedup();
    // First the real tree: roots that name real directories, then what links lead to.
    for root in &roots {
        w.root(root)?;
    }
    let mut next = 0;
    while let Some((path, real, depth)) = w.links.get(next).cloned() {
        next += 1;
        if w.full() {
            break;
        }
        w.follow(&path, &real, depth)?;
    }
    let mut out = w.out;
    out.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(out)
}

struct Walker<'t> {
    tree: &'t dyn Tree,
    max: usize,
    /// Real directories listed already.
    dirs: HashSet<String>,
    /// Real goal files reported already.
    files: HashSet<String>,
    /// Links to follow once the real tree is done: (path found at, real path of the link
    /// itself, depth below its root).
    links: Vec<(String, String, usize)>,
    out: Vec<Entry>,
}

impl Walker<'_> {
    fn full(&self) -> bool {
        self.out.len() > self.max
    }

    /// A root: walked now when its path is real, queued like a link when it goes through
    /// one, reported when it may not be followed.
    fn root(&mut self, root: &str) -> io::Result<()> {
        match resolve(self.tree, root, Hidden::Refuse)? {
            Resolved::Found { real, node } if real == root => self.found(root, &real, node, 0),
            Resolved::Found { .. } => {
                self.links.push((root.to_owned(), root.to_owned(), 0));
                Ok(())
            }
            Resolved::Missing { .. } => Ok(()),
            Resolved::Refused(refused) => {
                self.out.push(Entry::Refused {
                    path: refused.link.clone(),
                    refused,
                });
                Ok(())
            }
        }
    }

    /// A queued link: followed unless what it leads to was walked already.
    fn follow(&mut self, path: &str, real: &str, depth: usize) -> io::Result<()> {
        match resolve(self.tree, real, Hidden::Refuse)? {
            Resolved::Found { real, node } => self.found(path, &real, node, depth),
            Resolved::Missing { .. } => Ok(()),
            Resolved::Refused(refused) => {
                // Report links that would be goal files or directories of goal files (names
                // without an extension); a link named README.md that leaves is not ours.
                let name = path.rsplit('/').next().unwrap_or(path);
                if is_goal_file(name) || !name.contains('.') {
                    let path = if refused.link == real {
                        path.to_owned()
                    } else {
                        refused.link.clone()
                    };
                    self.out.push(Entry::Refused { path, refused });
                }
                Ok(())
            }
        }
    }

    fn found(&mut self, path: &str, real: &str, node: Node, depth: usize) -> io::Result<()> {
        match node {
            Node::Dir => self.dir(path, real, depth),
            Node::File => {
                let name = path.rsplit('/').next().unwrap_or(path);
                if is_goal_file(name) && self.files.insert(real.to_owned()) {
                    self.out.push(Entry::File(path.to_owned()));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn dir(&mut self, path: &str, real: &str, depth: usize) -> io::Result<()> {
        if depth > MAX_DEPTH || self.full() || !self.dirs.insert(real.to_owned()) {
            return Ok(());
        }
        for (name, node) in self.tree.list(real)? {
            if is_hidden(&name) {
                continue;
            }
            if self.full() {
                return Ok(());
            }
            let (child, child_real) = (join(path, &name), join(real, &name));
            match node {
                Node::Link(_) => self.links.push((child, child_real, depth + 1)),
                node => self.found(&child, &child_real, node, depth + 1)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
