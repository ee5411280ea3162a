//! Check-in authors from git blame, for check-ins written without `by`. The work-tree text
//! is blamed against HEAD (`blame_buffer`), so a line that is not committed yet has no
//! author rather than someone else's. Outside a repository every author is unknown; that
//! is not an error. One blame per file per run. libgit2 reads every version of a file whole
//! and offers no bound, so a file with a version larger than a goal file may be (a 1.5 GB
//! blob that packs into a megabyte) is not blamed: its authors are unknown.

use super::Repo;
use git2::Repository;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Blames files of one project, caching one result per file.
pub struct Blamer {
    repo: Option<Repo>,
    /// Project-relative path → author name per line (index 0 is line 1).
    cache: HashMap<String, Vec<Option<String>>>,
}

impl Blamer {
    /// Opens the repository holding `root`, if any.
    pub fn open(root: &Path) -> Blamer {
        Blamer {
            repo: Repo::discover(root).ok(),
            cache: HashMap::new(),
        }
    }

    /// The author of 1-based `line` of `path`, whose current text is `text`; `None` when
    /// the line is not committed or there is no repository.
    pub fn author(&mut self, path: &str, text: &str, line: u32) -> Option<String> {
        if !self.cache.contains_key(path) {
            let authors = self.blame(path, text).unwrap_or_default();
            self.cache.insert(path.to_owned(), authors);
        }
        let authors = self.cache.get(path)?;
        authors.get((line as usize).checked_sub(1)?).cloned()?
    }

    fn blame(&self, path: &str, text: &str) -> Option<Vec<Option<String>>> {
        let repo = self.repo.as_ref()?;
        let git_path = repo.git_path(path);
        let git = repo.lock();
        if !history_fits(&git, &git_path) {
            return None;
        }
        let committed = git.blame_file(Path::new(&git_path), None).ok()?;
        let blame = committed.blame_buffer(text.as_bytes()).ok()?;
        let mut authors = vec![None; text.lines().count()];
        for hunk in blame.iter() {
            if hunk.final_commit_id().is_zero() {
                continue;
            }
            let name = hunk
                .final_signature()
                .map(|s| String::from_utf8_lossy(s.name_bytes()).into_owned());
            let first = hunk.final_start_line().saturating_sub(1);
            for slot in authors.iter_mut().skip(first).take(hunk.lines_in_hunk()) {
                slot.clone_from(&name);
            }
        }
        Some(authors)
    }
}

/// Whether every version of `path` in HEAD's history is at most the goal-file size limit
/// (from object headers, without reading the blobs). Anything unreadable says no.
fn history_fits(git: &Repository, path: &str) -> bool {
    let Ok(mut walk) = git.revwalk() else {
        return false;
    };
    if walk.push_head().is_err() {
        return false;
    }
    let mut seen = HashSet::new();
    for id in walk {
        crate::git::watchdog::tick();
        let Ok(tree) = id.and_then(|id| git.find_commit(id)).and_then(|c| c.tree()) else {
            return false;
        };
        let Ok(entry) = tree.get_path(Path::new(path)) else {
            continue;
        };
        if seen.insert(entry.id())
            && !crate::git::blob_size(git, entry.id())
                .is_ok_and(|n| n <= crate::load::MAX_FILE_BYTES)
        {
            return false;
        }
    }
    true
}
