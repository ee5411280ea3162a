//! Check-in authors from blame, for check-ins written without `by`: who last changed each
//! line of a file. The work-tree text is compared with HEAD's version first, so a line that
//! is not committed yet has no author rather than someone else's. Outside a repository every
//! author is unknown; that is not an error. One blame per file per run.
//!
//! This is git's algorithm on the wrapper's walk (`crate::git::Reader`), not libgit2's blame:
//! commits are taken newest first; each holds the lines still looking for an author; a line
//! that a parent's version has too (matched by a line diff of the two versions) passes to
//! that parent, the others were written by this commit. Each version is read once, with the
//! goal-file size bound (the header is read first; when the walk meets a larger version, no
//! author of the file is given), and the walk stops when every line has an author.

use super::Repo;
use crate::git::{self, Oid, Reader};
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

/// Blames files of one project, caching one result per file.
pub(crate) struct Blamer {
    repo: Option<Repo>,
    /// Project-relative path → author name per line (index 0 is line 1).
    cache: HashMap<String, Vec<Option<String>>>,
}

impl Blamer {
    /// Opens the repository holding `root`, if any.
    pub(crate) fn open(root: &Path) -> Blamer {
        Blamer {
            repo: Repo::discover(root).ok(),
            cache: HashMap::new(),
        }
    }

    /// The author of 1-based `line` of `path`, whose current text is `text`; `None` when
    /// the line is not committed or there is no repository.
    pub(crate) fn author(&mut self, path: &str, text: &str, line: u32) -> Option<String> {
        if !self.cache.contains_key(path) {
            let authors = self.blame(path, text).unwrap_or_default();
            self.cache.insert(path.to_owned(), authors);
        }
        let authors = self.cache.get(path)?;
        authors.get((line as usize).checked_sub(1)?).cloned()?
    }

    fn blame(&self, path: &str, text: &str) -> Option<Vec<Option<String>>> {
        let repo = self.repo.as_ref()?;
        let git = repo.reader();
        blame(&git, &repo.git_path(path), text).ok()
    }
}

/// The lines of a text, without their line ends (`\n`, or `\r\n`).
fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut out: Vec<&[u8]> = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', bytes) {
        let l = &bytes[start..end];
        out.push(l.strip_suffix(b"\r").unwrap_or(l));
        start = end + 1;
    }
    if start < bytes.len() {
        let l = &bytes[start..];
        out.push(l.strip_suffix(b"\r").unwrap_or(l));
    }
    out
}

/// Most cells of the table that matches the changed middle of two versions; above that the
/// middle is taken as rewritten (its lines are attributed to the newer version).
const MAX_CELLS: usize = 4_000_000;

/// Pairs `(old, new)` of line indexes that are the same line in both versions: the common
/// prefix and suffix, and a longest common subsequence of what is between.
pub(crate) fn matching_lines(old: &[&[u8]], new: &[&[u8]]) -> Vec<(usize, usize)> {
    let p = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let s = old[p..]
        .iter()
        .rev()
        .zip(new[p..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (a, b) = (&old[p..old.len() - s], &new[p..new.len() - s]);
    let mut out: Vec<(usize, usize)> = (0..p).map(|i| (i, i)).collect();
    if !a.is_empty() && !b.is_empty() && a.len() * b.len() <= MAX_CELLS {
        // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
        let w = b.len() + 1;
        let mut lcs = vec![0u32; (a.len() + 1) * w];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                lcs[i * w + j] = if a[i] == b[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            if a[i] == b[j] {
                out.push((p + i, p + j));
                i += 1;
                j += 1;
            } else if lcs[(i + 1) * w + j] >= lcs[i * w + j + 1] {
                i += 1;
            } else {
                j += 1;
            }
        }
    }
    out.extend((0..s).map(|k| (old.len() - s + k, new.len() - s + k)));
    out
}

/// The versions read during one blame: each blob once, the last few kept (a version is the
/// newer side of one commit and the older side of the next).
struct Blobs<'g> {
    git: &'g Reader<'g>,
    recent: Vec<(Oid, Option<Rc<Vec<u8>>>)>,
}

impl Blobs<'_> {
    fn get(&mut self, id: Oid) -> Result<Option<Rc<Vec<u8>>>, git::Error> {
        if let Some((_, b)) = self.recent.iter().find(|(o, _)| *o == id) {
            return Ok(b.clone());
        }
        let b = self.git.blob(id, crate::load::MAX_FILE_BYTES)?.map(Rc::new);
        if self.recent.len() >= 8 {
            self.recent.remove(0);
        }
        self.recent.push((id, b.clone()));
        Ok(b)
    }
}

/// Who last changed each line of `text` (the work-tree version of `path`, a repository
/// path); `None` for lines not committed.
pub(crate) fn blame(
    git: &Reader<'_>,
    path: &str,
    text: &str,
) -> Result<Vec<Option<String>>, git::Error> {
    let current = lines(text.as_bytes());
    let mut authors: Vec<Option<String>> = vec![None; current.len()];
    let Some(head) = git.head()? else {
        return Ok(authors);
    };
    let paths = [path.to_owned()];
    let entry = |c: Oid| -> Option<Oid> { git.entries(c, &paths).ok().and_then(|e| e[0]) };
    let Some(head_blob) = entry(head) else {
        return Ok(authors);
    };
    let mut blobs = Blobs {
        git,
        recent: Vec::new(),
    };
    let Some(committed) = blobs.get(head_blob)? else {
        return Ok(authors);
    };
    // Lines still looking for an author, per commit: (line of `text`, line in that
    // commit's version), with that version's blob.
    let mut pending: HashMap<Oid, (Oid, Vec<(usize, usize)>)> = HashMap::new();
    let first: Vec<(usize, usize)> = matching_lines(&lines(&committed), &current)
        .into_iter()
        .map(|(old, new)| (new, old))
        .collect();
    let mut left = first.len();
    if left == 0 {
        return Ok(authors);
    }
    pending.insert(head, (head_blob, first));
    for id in git.walk(head)? {
        let id = id?;
        let Some((blob, mut mine)) = pending.remove(&id) else {
            continue;
        };
        let commit = git.commit(id)?;
        let text = blobs.get(blob)?;
        for &parent in &commit.parents {
            if mine.is_empty() {
                break;
            }
            let Some(pblob) = entry(parent) else { continue };
            let passed: Vec<(usize, usize)> = if pblob == blob {
                std::mem::take(&mut mine)
            } else {
                let (Some(old), Some(new)) = (blobs.get(pblob)?, text.as_ref()) else {
                    // A version larger than a goal file may be: not read, and no line's
                    // author can be told past it.
                    return Ok(vec![None; current.len()]);
                };
                let map: HashMap<usize, usize> = matching_lines(&lines(&old), &lines(new))
                    .into_iter()
                    .map(|(o, n)| (n, o))
                    .collect();
                let mut kept = Vec::new();
                let mut passed = Vec::new();
                for (line, at) in mine {
                    match map.get(&at) {
                        Some(&o) => passed.push((line, o)),
                        None => kept.push((line, at)),
                    }
                }
                mine = kept;
                passed
            };
            if !passed.is_empty() {
                // Moved, not copied, to a parent no other child has passed lines to (a
                // long file unchanged over many commits passes all of its lines each time).
                match pending.entry(parent) {
                    std::collections::hash_map::Entry::Occupied(mut e) => {
                        e.get_mut().1.extend(passed)
                    }
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert((pblob, passed));
                    }
                }
            }
        }
        for (line, _) in mine {
            authors[line] = Some(commit.author.name.clone());
            left -= 1;
        }
        if left == 0 {
            break;
        }
    }
    Ok(authors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ls(s: &str) -> Vec<&[u8]> {
        lines(s.as_bytes())
    }

    proptest::proptest! {
        /// The lines are those of a split at every `\n`, each without a final `\r`, the
        /// empty piece after a final `\n` (or of an empty text) left out.
        #[test]
        fn lines_are_a_split_at_line_feeds(text in "[ab\\r\\n]{0,12}") {
            let bytes = text.as_bytes();
            let mut split: Vec<&[u8]> = bytes
                .split(|&b| b == b'\n')
                .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
                .collect();
            if bytes.ends_with(b"\n") || bytes.is_empty() {
                split.pop();
            }
            proptest::prop_assert_eq!(lines(bytes), split);
        }
    }

    #[test]
    fn lines_match_like_a_diff() {
        let old = ls("a\nb\nc\nd\n");
        let new = ls("a\nx\nc\nd\ne\n");
        assert_eq!(matching_lines(&old, &new), vec![(0, 0), (2, 2), (3, 3)]);
        // A moved block: the longest common subsequence keeps the most lines.
        let old = ls("1\n2\n3\n4\n");
        let new = ls("3\n4\n1\n2\n");
        assert_eq!(matching_lines(&old, &new).len(), 2);
        assert!(matching_lines(&ls(""), &ls("a\n")).is_empty());
        assert_eq!(ls("a\r\nb"), vec![&b"a"[..], &b"b"[..]]);
    }
}
