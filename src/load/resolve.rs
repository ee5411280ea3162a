//! The one path resolver (SPEC 10 "Containment"): every file goalpost reads or writes in a
//! repository (goalpost.toml, roots, goal files, the check-in log, `init`'s files) is found
//! through [`resolve`] or [`walk`], over a [`Tree`] that is either the work tree or a git
//! revision's tree, so both give the same answer.
//!
//! A path is resolved component by component from the project root, as the kernel would,
//! but a symlink is followed only when its target, resolved the same way, stays inside the
//! project root and names no hidden file or directory (`.env`, `.git`); at most
//! [`MAX_LINKS`] links per path, so a loop ends as a loop. A walk lists each real directory
//! and each real file once, whatever links lead to them, and counts every link toward its
//! bound; each link is resolved once per run (the tree's [`Memo`]), at most
//! [`MAX_LINK_STEPS`] components of targets in all, so links cannot multiply work.

use crate::fsutil::is_hidden;
use std::collections::{HashMap, HashSet};
use std::io;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Most symlinks followed while resolving one path (Linux's own limit is 40).
pub(crate) const MAX_LINKS: usize = 40;
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
pub(crate) trait Tree {
    /// What is at `real`.
    fn node(&self, real: &str) -> io::Result<Node>;
    /// The entries of the directory `real`, sorted by name. Names that are not UTF-8 are
    /// left out (no goal file can be named that way).
    fn list(&self, real: &str) -> io::Result<Vec<(String, Node)>>;
    /// An absolute link target as a path below the project root, if it is one (lexically:
    /// the rest may still hold `..`, which is resolved like any other component).
    fn inside(&self, absolute: &str) -> Option<String>;
    /// What this run has learnt about the tree's links (see [`Memo`]).
    fn memo(&self) -> &Memo;
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
    /// The run has resolved [`MAX_LINK_STEPS`] components of link targets already.
    Limit,
    /// The walk found more goal files and links than the file-count bound; it stopped here.
    TooMany,
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
        if target.is_empty() && !matches!(why, Why::Limit | Why::TooMany) {
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
            Why::Limit => format!(
                "`{link}` was not followed: this run has resolved {MAX_LINK_STEPS} components of symlink targets already"
            ),
            Why::TooMany => format!(
                "the walk of the roots stopped at `{link}`: there are more goal files and symlinks than goalpost reads"
            ),
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
            Why::Limit => "point links straight at their files instead of through chains of links",
            Why::TooMany => "narrow `roots` in goalpost.toml to the folders that hold goals",
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
pub(crate) fn normalize(path: &str) -> String {
    parts(path).collect::<Vec<_>>().join("/")
}

/// Resolves a project-relative path (see the module docs). What a run learns about links
/// is kept in the tree's [`Memo`], so each link's target is resolved once per run.
pub(crate) fn resolve(tree: &dyn Tree, path: &str, hidden: Hidden) -> io::Result<Resolved> {
    let mut r = Resolver {
        tree,
        memo: tree.memo(),
        hidden,
        path,
        used: 0,
        real: String::new(),
        lens: Vec::new(),
    };
    let given: Vec<&str> = parts(path).collect();
    Ok(match r.parts(&given, None)? {
        Step::At(node) => Resolved::Found { real: r.real, node },
        Step::Missing {
            dangling: Some((link, target)),
            ..
        } => Resolved::Refused(Refused {
            link,
            target,
            why: Why::Dangling,
        }),
        Step::Missing {
            out,
            dangling: None,
        } => Resolved::Missing { real: out },
        Step::Refused(r) => Resolved::Refused(r),
    })
}

/// Most components of link targets resolved in one run (over one [`Memo`]). Each link is
/// resolved once, so a run spends the summed lengths of the targets it meets: far above
/// what a repository needs, far below what a crafted one would ask.
pub(crate) const MAX_LINK_STEPS: usize = 1_000_000;

/// What one run (a command, a reload of the editor server) has learnt about the links of a
/// tree, and how many components of link targets it has resolved. Each link is resolved
/// once: `N` entries through one chain of long links cost the chain once, not `N` times.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    links: Mutex<HashMap<String, Learnt>>,
    steps: AtomicUsize,
}

impl Memo {
    /// Components of link targets resolved so far (counting those refused past the bound).
    #[cfg(test)]
    pub(crate) fn steps(&self) -> usize {
        self.steps.load(Ordering::Relaxed)
    }

    /// Forgets everything: the next resolution sees the tree as it is now, with a fresh
    /// budget. For a tree that outlives one run (the editor server's).
    pub(crate) fn forget(&self) {
        self.learnt().clear();
        self.steps.store(0, Ordering::Relaxed);
    }

    fn learnt(&self) -> std::sync::MutexGuard<'_, HashMap<String, Learnt>> {
        self.links.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts one component; false once the run is past [`MAX_LINK_STEPS`].
    fn step(&self) -> bool {
        self.steps.fetch_add(1, Ordering::Relaxed) < MAX_LINK_STEPS
    }
}

/// Where a link (keyed by its real path) leads: the outcome, the real path when found,
/// and how many links that took, itself included.
#[derive(Debug, Clone)]
struct Learnt {
    to: Step,
    real: String,
    links: usize,
}

/// What resolving some components led to.
#[derive(Debug, Clone)]
enum Step {
    /// All resolved: the resolver's `real` is the real path, and this is what is there.
    At(Node),
    /// Not there: `out` as in [`Resolved::Missing`]; `dangling` is the link whose target's
    /// last component is missing, while nothing follows it.
    Missing {
        out: Option<String>,
        dangling: Option<(String, String)>,
    },
    Refused(Refused),
}

const NOWHERE: Step = Step::Missing {
    out: None,
    dangling: None,
};

struct Resolver<'t> {
    tree: &'t dyn Tree,
    memo: &'t Memo,
    hidden: Hidden,
    /// The path as given, for a refusal of the path itself.
    path: &'t str,
    /// Links followed for this path.
    used: usize,
    /// The real path so far, and the length of `real` before each of its components.
    real: String,
    lens: Vec<usize>,
}

impl Resolver<'_> {
    fn push(&mut self, name: &str) {
        self.lens.push(self.real.len());
        if !self.real.is_empty() {
            self.real.push('/');
        }
        self.real.push_str(name);
    }

    fn pop(&mut self) -> bool {
        match self.lens.pop() {
            Some(len) => {
                self.real.truncate(len);
                true
            }
            None => false,
        }
    }

    fn set_real(&mut self, real: &str) {
        self.real.clear();
        self.lens.clear();
        for part in parts(real) {
            self.push(part);
        }
    }

    /// A refusal named after the link the components came from, else after `fallback`.
    fn refuse(origin: Option<&(String, String)>, fallback: &str, why: Why) -> Step {
        let (link, target) = match origin {
            Some(o) => o.clone(),
            None => (fallback.to_owned(), String::new()),
        };
        Step::Refused(Refused { link, target, why })
    }

    /// Resolves `names` from the real path so far; `origin` is the link (path, target)
    /// whose target they are, `None` for the path as given.
    fn parts(&mut self, names: &[&str], origin: Option<&(String, String)>) -> io::Result<Step> {
        let mut node = Node::Dir;
        for (i, &name) in names.iter().enumerate() {
            if origin.is_some() && !self.memo.step() {
                return Ok(Self::refuse(origin, "", Why::Limit));
            }
            if name == ".." {
                if !self.pop() {
                    return Ok(Self::refuse(origin, self.path, Why::Outside));
                }
                node = Node::Dir;
                continue;
            }
            if node != Node::Dir {
                // A file (or something else) used as a directory.
                return Ok(NOWHERE);
            }
            let here = join(&self.real, name);
            if self.hidden == Hidden::Refuse && is_hidden(name) {
                return Ok(Self::refuse(origin, &here, Why::Hidden));
            }
            let rest = &names[i + 1..];
            match self.tree.node(&here)? {
                Node::Link(target) => match self.link(here, target)? {
                    Step::At(found) => node = found,
                    Step::Missing { out, dangling } if rest.is_empty() => {
                        return Ok(Step::Missing { out, dangling });
                    }
                    // The path goes on: a missing directory below the link's target.
                    Step::Missing { out: Some(out), .. } => {
                        return Ok(self.missing(out, rest, origin, None));
                    }
                    Step::Missing { out: None, .. } => return Ok(NOWHERE),
                    refused @ Step::Refused(_) => return Ok(refused),
                },
                Node::Missing => {
                    // The last component of a link's target is missing: a dangling link,
                    // unless the path goes on (then it is a missing directory below it).
                    let dangling = if rest.is_empty() {
                        origin.cloned()
                    } else {
                        None
                    };
                    return Ok(self.missing(here, rest, origin, dangling));
                }
                found => {
                    if self.lens.len() >= MAX_COMPONENTS {
                        return Ok(NOWHERE);
                    }
                    self.push(name);
                    node = found;
                }
            }
        }
        Ok(Step::At(node))
    }

    /// Where a missing path would be created: `out` and the components after it.
    fn missing(
        &self,
        mut out: String,
        rest: &[&str],
        origin: Option<&(String, String)>,
        dangling: Option<(String, String)>,
    ) -> Step {
        for &name in rest {
            if name == ".." {
                return NOWHERE;
            }
            out = join(&out, name);
            if self.hidden == Hidden::Refuse && is_hidden(name) {
                return Self::refuse(origin, &out, Why::Hidden);
            }
        }
        Step::Missing {
            out: Some(out),
            dangling,
        }
    }

    /// Follows the link at the real path `here`: as the run's memo says when it was
    /// resolved before (and this path has the links to spare), else resolved and
    /// remembered. A loop or the run's bound is not remembered: it depends on the path.
    fn link(&mut self, here: String, target: String) -> io::Result<Step> {
        if self.used >= MAX_LINKS {
            return Ok(Step::Refused(Refused {
                link: here,
                target,
                why: Why::Loop,
            }));
        }
        // Only reading is remembered (`init`'s `Hidden::Allow` resolves a few paths once).
        let remember = self.hidden == Hidden::Refuse;
        let learnt = if remember {
            self.memo.learnt().get(&here).cloned()
        } else {
            None
        };
        if let Some(Learnt { to, real, links }) = learnt
            && self.used + links <= MAX_LINKS
        {
            self.used += links;
            if let Step::At(_) = to {
                self.set_real(&real);
            }
            return Ok(to);
        }
        let before = self.used;
        self.used += 1;
        let origin = (here, target);
        let step = if origin.1.starts_with('/') {
            match self.tree.inside(&origin.1) {
                Some(rel) => {
                    self.set_real("");
                    let names: Vec<&str> = parts(&rel).collect();
                    self.parts(&names, Some(&origin))?
                }
                None => Self::refuse(Some(&origin), "", Why::Outside),
            }
        } else {
            let names: Vec<&str> = parts(&origin.1).collect();
            self.parts(&names, Some(&origin))?
        };
        let keep = match &step {
            Step::Refused(r) => matches!(r.why, Why::Outside | Why::Hidden),
            Step::At(_) | Step::Missing { .. } => true,
        };
        if remember && keep {
            let learnt = Learnt {
                to: step.clone(),
                real: self.real.clone(),
                links: self.used - before,
            };
            self.memo.learnt().insert(origin.0, learnt);
        }
        Ok(step)
    }
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
pub(crate) fn is_goal_file(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// Every goal file below `roots`, sorted by path, and every link there that could not be
/// followed. Each real directory is listed once and each real file reported once (by the
/// first path that reaches it: real paths before paths through links), so a link to `.`
/// or to a directory walked already adds nothing. Every link met counts toward `max` like
/// a file (whatever it leads to, a `.txt` file too), so links cannot add unbounded work.
/// The walk stops once it has more than `max` entries and links: the caller sees `max + 1`
/// entries, or an entry refused with [`Why::TooMany`] where it stopped.
pub(crate) fn walk(tree: &dyn Tree, roots: &[String], max: usize) -> io::Result<Vec<Entry>> {
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
    if out.len() <= max
        && out.len() + w.links.len() > max
        && let Some((path, _, _)) = w.links.last()
    {
        out.push(Entry::Refused {
            path: path.clone(),
            refused: Refused {
                link: path.clone(),
                target: String::new(),
                why: Why::TooMany,
            },
        });
    }
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
    /// Whether the walk has more than `max` entries, counting the links it met.
    fn full(&self) -> bool {
        self.out.len() + self.links.len() > self.max
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
                // without an extension); a link named README.md that leaves is not ours. A
                // bound of the run is reported whatever the name.
                let name = path.rsplit('/').next().unwrap_or(path);
                if is_goal_file(name) || !name.contains('.') || refused.why == Why::Limit {
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
