//! The git side of goalpost, behind a small interface over libgit2 (git2): open the
//! repository holding the project, resolve revisions, find the default branch's merge base,
//! and [`GitTree`], a [`Source`] that reads a revision's files straight from the object
//! database (no checkout, so a dirty work tree does not matter). Paths are relative to the
//! project root, which may be a subdirectory of the git work tree. Nothing here panics on a
//! missing or corrupt object: every git problem is a [`GitError`].

use git2::{Blob, ErrorClass, ErrorCode, Repository};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

pub(crate) mod commit;
mod config;
mod rawtree;
pub(crate) mod read;
mod remote;
#[cfg(test)]
pub(crate) mod testgit;
mod tree;
pub(crate) mod watchdog;

pub(crate) use read::{ChangedFile, CommitInfo, Reader, Trees};
pub(crate) use remote::{Auth, FetchError, Remote, fetch, open_local};
pub(crate) use tree::GitTree;

/// A git object id (a commit or a blob) as the rest of goalpost holds it: compared, hashed
/// and printed in full hex. Only `src/git` sees the libgit2 id inside.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Oid(git2::Oid);

impl std::fmt::Display for Oid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl std::fmt::Debug for Oid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

/// A libgit2 failure while reading history or committing, worded as libgit2 words it. Only
/// `src/git` sees the libgit2 error inside.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub(crate) struct Error(#[from] git2::Error);

impl Error {
    /// Whether an object or reference was not found (in a shallow clone: history that was
    /// not fetched).
    pub(crate) fn is_not_found(&self) -> bool {
        self.0.code() == ErrorCode::NotFound
    }
}

/// Why a git operation could not be done.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The project is not inside a git work tree (exit 3).
    #[error("not a git repository: {dir}; --at/diff/log need one")]
    NotARepo { dir: String },
    /// A revision named on the command line does not exist (a usage error, exit 2).
    #[error("unknown revision `{rev}`: {reason}")]
    UnknownRevision { rev: String, reason: String },
    /// History that is needed was not fetched (exit 3).
    #[error(
        "{what}: this is a shallow clone and the history needed is missing; fetch more history (git fetch --unshallow)"
    )]
    Shallow { what: String },
    /// Any other git failure: a corrupt or missing object, a bare repository (exit 3).
    #[error("{0}")]
    Other(String),
}

impl GitError {
    /// Whether this is a usage error (exit 2) rather than a git failure (exit 3).
    pub fn is_usage(&self) -> bool {
        matches!(self, GitError::UnknownRevision { .. })
    }
}

/// A resolved revision: the commit and how it was named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Revision {
    /// What the user wrote (or how goalpost chose it).
    pub name: String,
    pub commit: Oid,
}

impl Revision {
    /// The abbreviated commit id, for messages.
    pub(crate) fn short(&self) -> String {
        let s = self.commit.to_string();
        s[..s.len().min(10)].to_owned()
    }
}

/// The repository that holds a project.
#[derive(Clone)]
pub(crate) struct Repo {
    repo: Arc<Mutex<Repository>>,
    /// The project root relative to the work tree, with `/` and a trailing `/`, or "".
    prefix: String,
    /// The project root on disk (canonical), for links in a revision with absolute targets.
    /// For an upstream's repository a relative path, which no absolute target lies below.
    root: PathBuf,
    /// The temporary directory of a fetched repository, removed when the last clone of
    /// this (and the last tree read from it) is dropped. After `repo`, so that the
    /// repository is closed first.
    temp: Option<Arc<remote::TempDir>>,
}

/// The repository, held for one stretch of git work (watched for stalls, see [`watchdog`]).
/// Only this module reaches the libgit2 repository inside: callers use the wrapper's
/// methods ([`Reader`], [`commit`]).
struct Locked<'a> {
    guard: MutexGuard<'a, Repository>,
    _busy: watchdog::Busy,
}

/// Settings of libgit2 that hold for the whole process, set once at start-up by the
/// program (never by a library function on its way): objects read are not hashed again to
/// verify them, as git itself does not (for a walk or a blame that reads thousands of blobs it
/// was a tenth to a half of the time; a corrupt object still fails to inflate or parse).
pub(crate) fn configure_process() {
    git2::opts::strict_hash_verification(false);
}

fn lock(repo: &Mutex<Repository>) -> Locked<'_> {
    // A panic while holding the lock leaves no half-made state: libgit2 reads only.
    let guard = repo.lock().unwrap_or_else(|p| p.into_inner());
    Locked {
        guard,
        _busy: watchdog::busy(),
    }
}

impl Repo {
    /// Opens the repository containing `project_root`.
    pub(crate) fn discover(project_root: &Path) -> Result<Repo, GitError> {
        let not_a_repo = || GitError::NotARepo {
            dir: project_root.display().to_string(),
        };
        let repo = Repository::discover(project_root).map_err(|_| not_a_repo())?;
        let workdir = repo.workdir().ok_or_else(|| {
            GitError::Other(format!(
                "{} is inside a bare git repository; goalpost needs a work tree",
                project_root.display()
            ))
        })?;
        let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_owned());
        let (workdir, root) = (canon(workdir), canon(project_root));
        let rel = root.strip_prefix(&workdir).map_err(|_| not_a_repo())?;
        let mut prefix = String::new();
        for part in rel.components() {
            let part = part.as_os_str().to_str().ok_or_else(|| {
                GitError::Other(format!("the path {} is not UTF-8", root.display()))
            })?;
            prefix.push_str(part);
            prefix.push('/');
        }
        Ok(Repo {
            repo: Arc::new(Mutex::new(repo)),
            prefix,
            root,
            temp: None,
        })
    }

    /// Another repository, read only as an object database (SPEC 13): its trees from the
    /// top (prefix ""), and an absolute link in them never leads to a file (nothing on this
    /// machine is "inside" an upstream). `temp` is the directory it lives in, if goalpost made it.
    fn upstream(repo: Repository, temp: Option<remote::TempDir>) -> Repo {
        Repo {
            repo: Arc::new(Mutex::new(repo)),
            prefix: String::new(),
            // Relative: `Path::strip_prefix` of an absolute path by it always fails.
            root: PathBuf::from("upstream"),
            temp: temp.map(Arc::new),
        }
    }

    /// Where a fetched repository's temporary directory is.
    #[cfg(test)]
    pub(crate) fn temp_dir(&self) -> Option<PathBuf> {
        self.temp.as_ref().map(|t| t.path().to_owned())
    }

    /// The project root relative to the git work tree ("" at the top).
    #[cfg(test)]
    pub(crate) fn prefix(&self) -> &str {
        &self.prefix
    }

    /// A project-relative path as a path in the repository's trees.
    pub(crate) fn git_path(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }

    #[cfg(test)]
    pub(crate) fn is_shallow(&self) -> bool {
        lock(&self.repo).guard.is_shallow()
    }

    fn lock(&self) -> Locked<'_> {
        lock(&self.repo)
    }

    /// The repository's git directory (`.git`, or a linked work tree's own directory).
    pub(crate) fn git_dir(&self) -> std::path::PathBuf {
        lock(&self.repo).guard.path().to_owned()
    }

    /// Resolves a revision (`main`, `HEAD~2`, a commit id, a tag) to a commit.
    pub(crate) fn resolve(&self, rev: &str) -> Result<Revision, GitError> {
        let locked = lock(&self.repo);
        let repo = &*locked.guard;
        let found = repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map(|c| Oid(c.id()));
        match found {
            Ok(commit) => Ok(Revision {
                name: rev.to_owned(),
                commit,
            }),
            // libgit2 sometimes fails a lookup (`@{-1}` with no previous branch) without
            // setting a message, so the message is a stale one from an earlier call (about
            // `.git/shallow`): say plainly that the name was not found.
            Err(e)
                if e.code() == ErrorCode::NotFound
                    && matches!(e.class(), ErrorClass::None | ErrorClass::Os) =>
            {
                Err(GitError::UnknownRevision {
                    rev: rev.to_owned(),
                    reason: "no branch, tag, commit or reflog entry has that name".to_owned(),
                })
            }
            Err(e) if repo.is_shallow() && may_be_history(rev, &e) => Err(GitError::Shallow {
                what: format!("cannot resolve `{rev}`"),
            }),
            // A broken object behind a name that exists is a git failure, not a typo.
            Err(e)
                if !is_hex(rev)
                    && matches!(
                        e.class(),
                        ErrorClass::Odb | ErrorClass::Object | ErrorClass::Os | ErrorClass::Zlib
                    ) =>
            {
                Err(GitError::Other(format!(
                    "cannot read revision `{rev}`: {} (is the repository corrupt? try `git fsck`)",
                    e.message()
                )))
            }
            Err(e) => Err(GitError::UnknownRevision {
                rev: rev.to_owned(),
                reason: e.message().to_owned(),
            }),
        }
    }

    /// The default branch: local `main`, local `master`, the target of `origin/HEAD`, then
    /// `origin/main` or `origin/master`. Its short name.
    pub(crate) fn default_branch(&self) -> Result<String, GitError> {
        let locked = lock(&self.repo);
        let repo = &*locked.guard;
        for name in ["refs/heads/main", "refs/heads/master"] {
            if repo.find_reference(name).is_ok() {
                return Ok(name.trim_start_matches("refs/heads/").to_owned());
            }
        }
        if let Ok(r) = repo.find_reference("refs/remotes/origin/HEAD")
            && let Ok(Some(target)) = r.symbolic_target()
        {
            return Ok(target.trim_start_matches("refs/remotes/").to_owned());
        }
        for name in ["refs/remotes/origin/main", "refs/remotes/origin/master"] {
            if repo.find_reference(name).is_ok() {
                return Ok(name.trim_start_matches("refs/remotes/").to_owned());
            }
        }
        Err(GitError::Other(
            "no default branch found (no `main`, `master` or `origin/HEAD`); name the base revision".to_owned(),
        ))
    }

    /// The merge base of HEAD and the default branch, named `merge-base(HEAD, BRANCH)`.
    pub(crate) fn default_base(&self) -> Result<Revision, GitError> {
        let branch = self.default_branch()?;
        let other = self.resolve(&branch)?;
        let base = self.merge_base_with_head(&other)?;
        Ok(Revision {
            name: format!("merge-base(HEAD, {branch})"),
            commit: base.commit,
        })
    }

    /// The merge base of HEAD and `rev` (SPEC 9, `check --base REV`): what `rev` gained after
    /// HEAD's branch was cut is not compared. Named as `rev` when that is the merge base
    /// itself (HEAD contains `rev`, as a pull request's merge commit does), else
    /// `merge-base(HEAD, REV)`.
    pub(crate) fn merge_base_with_head(&self, rev: &Revision) -> Result<Revision, GitError> {
        let head = self.resolve("HEAD").map_err(|e| match e {
            GitError::UnknownRevision { .. } => {
                GitError::Other("HEAD has no commit yet; commit the goal files first".to_owned())
            }
            e => e,
        })?;
        let locked = lock(&self.repo);
        let repo = &*locked.guard;
        match repo.merge_base(head.commit.0, rev.commit.0) {
            Ok(commit) if commit == rev.commit.0 => Ok(rev.clone()),
            Ok(commit) => Ok(Revision {
                name: format!("merge-base(HEAD, {})", rev.name),
                commit: Oid(commit),
            }),
            Err(_) if repo.is_shallow() => Err(GitError::Shallow {
                what: format!("cannot find the merge base of HEAD and `{}`", rev.name),
            }),
            Err(e) => Err(GitError::Other(format!(
                "cannot find the merge base of HEAD and `{}`: {}; name the base revision",
                rev.name,
                e.message()
            ))),
        }
    }

    /// The files of a revision.
    pub(crate) fn tree(&self, rev: &Revision) -> Result<GitTree, GitError> {
        let locked = lock(&self.repo);
        let repo = &*locked.guard;
        // The id only: the tree itself is read (bounded) when it is listed.
        let tree = repo
            .find_commit(rev.commit.0)
            .map(|c| c.tree_id())
            .map_err(|e| {
                if repo.is_shallow() {
                    GitError::Shallow {
                        what: format!("cannot read revision `{}`", rev.name),
                    }
                } else {
                    GitError::Other(format!(
                        "cannot read the tree of `{}` ({}): {}",
                        rev.name,
                        rev.short(),
                        e.message()
                    ))
                }
            })?;
        Ok(GitTree::new(
            Arc::clone(&self.repo),
            tree,
            self.prefix.clone(),
            self.root.clone(),
            rev.clone(),
        )
        .keeping(self.temp.clone()))
    }
}

/// Whether a failed revision may name a commit that a shallow clone lacks: a commit id or a
/// walk back through history (`HEAD~3`, `main^`), rather than an unknown name.
fn may_be_history(rev: &str, e: &git2::Error) -> bool {
    is_hex(rev) || rev.contains(['~', '^', '@']) || e.class() == ErrorClass::Odb
}

fn is_hex(rev: &str) -> bool {
    rev.len() >= 4 && rev.chars().all(|c| c.is_ascii_hexdigit())
}

/// Reads a blob whose size (from the object header, without inflating it) is at most `max`
/// bytes; `Ok(None)` when it is larger. Every blob goalpost reads from git goes through
/// here or checks the header the same way, so a pull request cannot make it inflate a 1.5 GB
/// blob that packs into a megabyte.
fn bounded_blob(
    repo: &Repository,
    id: git2::Oid,
    max: u64,
) -> Result<Option<Blob<'_>>, git2::Error> {
    watchdog::tick();
    if blob_size(repo, id)? > max {
        return Ok(None);
    }
    repo.find_blob(id).map(Some)
}

/// Most bytes one tree entry takes: a mode, a space, a name no file system takes longer
/// (255 bytes), a NUL and an object id (SHA-256's 32 bytes), rounded up.
pub(super) const MAX_TREE_ENTRY_BYTES: u64 = 300;

/// Reads a tree of at most `max` entries; `Ok(None)` when it has more. A tree whose header
/// says it is larger than `max` entries of the longest names is refused before it is
/// inflated; any other is parsed (so at most that many bytes) and its entries counted before
/// anything is built from them. Every tree goalpost lists goes through here.
fn bounded_tree(
    repo: &Repository,
    id: git2::Oid,
    max: usize,
) -> Result<Option<git2::Tree<'_>>, git2::Error> {
    watchdog::tick();
    let (size, _) = repo.odb()?.read_header(id)?;
    if size as u64 > (max as u64).saturating_mul(MAX_TREE_ENTRY_BYTES) {
        return Ok(None);
    }
    let tree = repo.find_tree(id)?;
    Ok((tree.len() <= max).then_some(tree))
}

/// A blob's size from its header.
fn blob_size(repo: &Repository, id: git2::Oid) -> Result<u64, git2::Error> {
    let (size, _) = repo.odb()?.read_header(id)?;
    Ok(size as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::resolve;
    use crate::load::source::{Entry, Read, Source};

    /// A git file mode of a symbolic link.
    const MODE_LINK: i32 = 0o120000;

    /// A blob or a nested tree, by path, to build a commit from.
    enum Node<'a> {
        File(&'a str),
        Link(&'a str),
    }

    /// A repository (in a temp dir) whose HEAD commit holds `files`; nothing is checked out.
    fn repo_with(files: &[(&str, Node)]) -> (tempfile::TempDir, Repo) {
        let dir = tempfile::tempdir().expect("a temp dir");
        let repo = Repository::init(dir.path()).expect("git init");
        let tree = build(&repo, files, "");
        let sig = git2::Signature::now("Test", "test@example.com").expect("a signature");
        {
            let tree = repo.find_tree(tree).expect("the tree");
            repo.commit(Some("HEAD"), &sig, &sig, "goals", &tree, &[])
                .expect("a commit");
        }
        let r = Repo::discover(dir.path()).expect("the repository");
        (dir, r)
    }

    fn build(repo: &Repository, files: &[(&str, Node)], under: &str) -> git2::Oid {
        let mut b = repo.treebuilder(None).expect("a tree builder");
        let mut dirs: Vec<&str> = Vec::new();
        for (path, node) in files {
            let Some(rest) = path.strip_prefix(under) else {
                continue;
            };
            match rest.split_once('/') {
                Some((dir, _)) => {
                    if !dirs.contains(&dir) {
                        dirs.push(dir);
                    }
                }
                None => {
                    let (bytes, mode) = match node {
                        Node::File(t) => (t.as_bytes(), 0o100644),
                        Node::Link(t) => (t.as_bytes(), MODE_LINK),
                    };
                    let blob = repo.blob(bytes).expect("a blob");
                    b.insert(rest, blob, mode).expect("an entry");
                }
            }
        }
        for dir in dirs {
            let sub = build(repo, files, &format!("{under}{dir}/"));
            b.insert(dir, sub, 0o040000).expect("a subtree");
        }
        b.write().expect("the tree")
    }

    fn head_tree(r: &Repo) -> GitTree {
        let rev = r.resolve("HEAD").expect("HEAD");
        r.tree(&rev).expect("its tree")
    }

    #[test]
    fn walks_like_the_work_tree() {
        let (_dir, r) = repo_with(&[
            ("goals/b.yaml", Node::File("team: b\n")),
            ("goals/a/z.yml", Node::File("team: z\n")),
            ("goals/a.yaml", Node::File("team: a\n")),
            ("goals/.hidden.yaml", Node::File("team: h\n")),
            ("goals/.git-like/x.yaml", Node::File("team: x\n")),
            ("goals/notes.md", Node::File("not a goal file\n")),
            ("goals/link.yaml", Node::Link("../../etc/passwd")),
            ("other/c.yaml", Node::File("team: c\n")),
        ]);
        let t = head_tree(&r);
        let walk = |root: &str| t.walk(&[root.to_owned()], 100).expect("a walk");
        assert_eq!(
            walk("goals"),
            vec![
                Entry::File("goals/a.yaml".into()),
                Entry::File("goals/a/z.yml".into()),
                Entry::File("goals/b.yaml".into()),
                Entry::Refused {
                    path: "goals/link.yaml".into(),
                    refused: resolve::Refused {
                        link: "goals/link.yaml".into(),
                        target: "../../etc/passwd".into(),
                        why: resolve::Why::Outside,
                    }
                },
            ]
        );
        assert!(walk("missing").is_empty());
        assert_eq!(
            walk("other/c.yaml"),
            vec![Entry::File("other/c.yaml".into())]
        );
    }

    /// A tree object written by hand, as a hostile server can send one: entries named `..`,
    /// `.` or with a `/` are no names git writes (`git fsck` rejects them; libgit2 itself
    /// refuses an empty one), and are never walked or read.
    #[test]
    fn entries_git_would_never_write_are_skipped() {
        let (dir, r) = repo_with(&[("goals/a.yaml", Node::File("team: a\n"))]);
        let repo = Repository::open(dir.path()).expect("the repository");
        let blob = repo.blob(b"team: evil\n").expect("a blob");
        let goals = repo
            .head()
            .and_then(|h| h.peel_to_tree())
            .and_then(|t| t.get_path(std::path::Path::new("goals")).map(|e| e.id()))
            .expect("goals");
        let mut raw = Vec::new();
        for (mode, name, id) in [
            ("40000", "..", goals),
            ("40000", ".", goals),
            ("100644", "x/../../e.yaml", blob),
            ("100644", "a.yaml", blob),
        ] {
            raw.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            raw.extend_from_slice(id.as_bytes());
        }
        let odb = repo.odb().expect("the object database");
        let bad_goals = odb.write(git2::ObjectType::Tree, &raw).expect("a raw tree");
        let mut top = repo.treebuilder(None).expect("a tree builder");
        top.insert("goals", bad_goals, 0o040000).expect("an entry");
        let top = repo.find_tree(top.write().expect("the tree")).expect("it");
        let sig = git2::Signature::now("Test", "test@example.com").expect("a signature");
        let head = repo.head().and_then(|h| h.peel_to_commit()).expect("HEAD");
        repo.commit(Some("HEAD"), &sig, &sig, "hostile", &top, &[&head])
            .expect("a commit");
        let t = head_tree(&r);
        let walk = t.walk(&["goals".to_owned()], 100).expect("a walk");
        assert_eq!(walk, vec![Entry::File("goals/a.yaml".into())]);
        assert!(matches!(
            t.read("goals/x/../../e.yaml", 100),
            Ok(Read::Missing)
        ));
    }

    #[test]
    fn reads_with_a_size_bound() {
        let (_dir, r) = repo_with(&[("goals/a.yaml", Node::File("team: a\n"))]);
        let t = head_tree(&r);
        assert!(matches!(t.read("goals/a.yaml", 100), Ok(Read::Bytes(b)) if b == b"team: a\n"));
        assert!(matches!(t.read("goals/a.yaml", 3), Ok(Read::TooLarge(8))));
        assert!(matches!(t.read("goalpost.toml", 100), Ok(Read::Missing)));
        assert!(matches!(t.read("goals", 100), Ok(Read::Missing)));
        assert!(t.describe().starts_with("revision `HEAD` ("));
    }

    #[test]
    fn paths_are_relative_to_a_project_in_a_subdirectory() {
        let (dir, _) = repo_with(&[
            ("examples/acme/goals/a.yaml", Node::File("team: a\n")),
            (
                "examples/acme/goalpost.toml",
                Node::File("stale_days = 7\n"),
            ),
            ("goals/top.yaml", Node::File("team: top\n")),
        ]);
        let sub = dir.path().join("examples/acme");
        std::fs::create_dir_all(&sub).expect("mkdir");
        let r = Repo::discover(&sub).expect("the repository");
        assert_eq!(r.prefix(), "examples/acme/");
        let t = head_tree(&r);
        assert_eq!(
            t.walk(&["goals".to_owned()], 100).expect("a walk"),
            vec![Entry::File("goals/a.yaml".into())]
        );
        assert!(
            matches!(t.read("goalpost.toml", 100), Ok(Read::Bytes(b)) if b == b"stale_days = 7\n")
        );
    }

    #[test]
    fn many_files_are_read_ahead_and_read_once() {
        let texts: Vec<(String, String)> = (0..150)
            .map(|i| (format!("goals/f{i:03}.yaml"), format!("team: t{i}\n")))
            .collect();
        let files: Vec<(&str, Node)> = texts
            .iter()
            .map(|(p, t)| (p.as_str(), Node::File(t.as_str())))
            .collect();
        let (_dir, r) = repo_with(&files);
        let t = head_tree(&r);
        let walked = t.walk(&["goals".to_owned()], 1000).expect("a walk");
        assert_eq!(walked.len(), 150);
        // Loading reads them in order while the other thread reads from the last.
        for (i, (p, text)) in texts.iter().enumerate() {
            let max = if i == 120 { 3 } else { 100 };
            match t.read(p, max) {
                Ok(Read::Bytes(b)) => assert_eq!(b, text.as_bytes(), "{p}"),
                Ok(Read::TooLarge(n)) => assert_eq!((i, n), (120, text.len() as u64)),
                other => panic!("{p}: {other:?}"),
            }
        }
        // Read again: from the object database, as usual.
        assert!(
            matches!(t.read(&texts[149].0, 100), Ok(Read::Bytes(b)) if b == texts[149].1.as_bytes())
        );
    }

    #[test]
    fn a_pair_of_trees_hands_blobs_over() {
        let (_dir, r) = repo_with(&[
            ("goals/a.yaml", Node::File("team: a\n")),
            ("goals/b.yaml", Node::File("team: b\n")),
        ]);
        let (mut older, mut newer) = (head_tree(&r), head_tree(&r));
        GitTree::pair(&mut older, &mut newer);
        let bytes = |t: &GitTree, p: &str| match t.read(p, 100) {
            Ok(Read::Bytes(b)) => b,
            other => panic!("{other:?}"),
        };
        assert_eq!(bytes(&older, "goals/a.yaml"), b"team: a\n");
        // Taken from the older tree's copy, then read as usual.
        assert_eq!(bytes(&newer, "goals/a.yaml"), b"team: a\n");
        assert_eq!(bytes(&newer, "goals/a.yaml"), b"team: a\n");
        assert_eq!(bytes(&newer, "goals/b.yaml"), b"team: b\n");
        // The size bound holds for a handed-over blob too.
        assert_eq!(bytes(&older, "goals/b.yaml"), b"team: b\n");
        assert!(matches!(
            newer.read("goals/b.yaml", 3),
            Ok(Read::TooLarge(8))
        ));
    }

    #[test]
    fn unknown_revisions_are_usage_errors() {
        let (_dir, r) = repo_with(&[("goals/a.yaml", Node::File("team: a\n"))]);
        let e = r.resolve("no-such-branch").expect_err("unknown");
        assert!(e.is_usage(), "{e}");
        let _ = r.is_shallow();
        let e = r.resolve("@{-1}").expect_err("no previous branch");
        assert!(e.is_usage(), "{e}");
        assert!(!e.to_string().contains("shallow"), "{e}");
        assert!(!r.is_shallow());
        // libgit2 names the first branch `master` unless init.defaultBranch says otherwise.
        let branch = r.default_branch().expect("a default branch");
        assert!(["main", "master"].contains(&branch.as_str()), "{branch}");
        let base = r.default_base().expect("a merge base");
        assert_eq!(base.commit, r.resolve("HEAD").expect("HEAD").commit);
        assert_eq!(base.name, format!("merge-base(HEAD, {branch})"));
    }
}
