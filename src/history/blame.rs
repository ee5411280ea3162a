//! Check-in authors from blame, for check-ins written without `by`: who last changed each
//! line of a file. The work-tree text is compared with HEAD's version first, so a line that
//! is not committed yet has no author rather than someone else's. Outside a repository every
//! author is unknown; that is not an error. One blame per file per run, and the files one
//! command needs are blamed together, in one walk.
//!
//! This is git's algorithm on the wrapper's walk (`crate::git::Reader`), not libgit2's blame:
//! commits are taken newest first; each holds the lines still looking for an author; a line
//! that a parent's version has too (matched by a line diff of the two versions) passes to
//! that parent, the others were written by this commit. Each version is read once, with the
//! goal-file size bound (the header is read first; when the walk meets a larger version, no
//! author of the file is given), and the walk stops when every line has an author. When
//! several files are blamed, each commit's tree is looked into once for all of them; each
//! file's answer is the one it would have alone.

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

    /// Blames, in one walk, each of `files` (project-relative path, current text) not blamed
    /// yet; [`Blamer::author`] then answers from what this found.
    pub(crate) fn prepare(&mut self, files: &[(&str, &str)]) {
        let mut todo: Vec<(&str, &str)> = Vec::new();
        for &(path, text) in files {
            if !self.cache.contains_key(path) && !todo.iter().any(|(p, _)| *p == path) {
                todo.push((path, text));
            }
        }
        let found = match (&self.repo, todo.len()) {
            (_, 0) => return,
            (None, _) => vec![Vec::new(); todo.len()],
            (Some(repo), _) => {
                let git = repo.reader();
                let paths: Vec<(String, &str)> = todo
                    .iter()
                    .map(|&(path, text)| (repo.git_path(path), text))
                    .collect();
                // A failed walk gives each file the answer of its own walk (which fails
                // only where the joint one failed for that file).
                match blame_all(&git, &paths) {
                    Ok(all) => all,
                    Err(_) => paths
                        .iter()
                        .map(|(p, t)| blame(&git, p, t).unwrap_or_default())
                        .collect(),
                }
            }
        };
        for ((path, _), authors) in todo.into_iter().zip(found) {
            self.cache.insert(path.to_owned(), authors);
        }
    }

    /// The author of 1-based `line` of `path`, whose current text is `text`; `None` when
    /// the line is not committed or there is no repository.
    pub(crate) fn author(&mut self, path: &str, text: &str, line: u32) -> Option<String> {
        if !self.cache.contains_key(path) {
            self.prepare(&[(path, text)]);
        }
        let authors = self.cache.get(path)?;
        authors.get((line as usize).checked_sub(1)?).cloned()?
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
/// prefix and suffix, and a longest common subsequence of what is between. In order of both.
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

/// Runs of lines that are the same in two versions, as (first line in `old`, first line in
/// `new`, how many), in order of both: exactly the pairs of [`matching_lines`] of the two
/// versions' lines. The lines both versions start with byte for byte are not split apart
/// (a log that grew by a line is one run and the line).
pub(crate) fn matching_runs(old: &[u8], new: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut b = crate::bytes::common_prefix(old, new);
    while b > 0 && old[b - 1] != b'\n' {
        b -= 1;
    }
    // Whole lines alike byte for byte are alike as lines; the split of the rest is the
    // rest of the split of the whole, as `b` is a line start.
    let p = memchr::memchr_iter(b'\n', &old[..b]).count();
    let mut runs: Vec<(usize, usize, usize)> = Vec::new();
    if p > 0 {
        runs.push((0, 0, p));
    }
    for (o, n) in matching_lines(&lines(&old[b..]), &lines(&new[b..])) {
        let (o, n) = (p + o, p + n);
        match runs.last_mut() {
            Some((ro, rn, len)) if *ro + *len == o && *rn + *len == n => *len += 1,
            _ => runs.push((o, n, 1)),
        }
    }
    runs
}

/// The versions read during one blame: each blob once, the last few kept (a version is the
/// newer side of one commit and the older side of the next).
struct Blobs<'g> {
    git: &'g Reader<'g>,
    keep: usize,
    recent: Vec<(Oid, Option<Rc<Vec<u8>>>)>,
}

impl Blobs<'_> {
    fn get(&mut self, id: Oid) -> Result<Option<Rc<Vec<u8>>>, git::Error> {
        if let Some((_, b)) = self.recent.iter().find(|(o, _)| *o == id) {
            return Ok(b.clone());
        }
        let b = self.git.blob(id, crate::load::MAX_FILE_BYTES)?.map(Rc::new);
        if self.recent.len() >= self.keep {
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
    let mut all = blame_all(git, &[(path.to_owned(), text)])?;
    Ok(all.pop().unwrap_or_default())
}

/// Lines of one file still looking for an author at one commit: the file (an index into
/// the files blamed), its blob there, and pairs (line of the current text, line of that
/// blob) in order of the latter.
type Pending = (usize, Oid, Vec<(usize, usize)>);

/// The blobs at `paths` in `commit`; `None` where there is none or it cannot be told. A
/// failure to look one path up does not hide the others.
fn entries(git: &Reader<'_>, commit: Oid, paths: &[String]) -> Vec<Option<Oid>> {
    match git.entries(commit, paths) {
        Ok(found) => found,
        Err(_) => paths
            .iter()
            .map(|p| {
                git.entries(commit, std::slice::from_ref(p))
                    .ok()
                    .and_then(|e| e[0])
            })
            .collect(),
    }
}

/// Who last changed each line of each of `files` (a repository path and the work-tree
/// text there), in one walk: for each file, what [`blame`] of it alone gives.
pub(crate) fn blame_all(
    git: &Reader<'_>,
    files: &[(String, &str)],
) -> Result<Vec<Vec<Option<String>>>, git::Error> {
    let mut authors: Vec<Vec<Option<String>>> = files
        .iter()
        .map(|(_, text)| vec![None; lines(text.as_bytes()).len()])
        .collect();
    let Some(head) = git.head()? else {
        return Ok(authors);
    };
    let mut blobs = Blobs {
        git,
        keep: 4 * files.len() + 4,
        recent: Vec::new(),
    };
    let paths: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
    // Per file, the lines still looking for an author; `None` once the walk met a version
    // too large to read (no author of that file is given then).
    let mut left: Vec<Option<usize>> = vec![Some(0); files.len()];
    let mut start: Vec<Pending> = Vec::new();
    for (f, blob) in entries(git, head, &paths).into_iter().enumerate() {
        let Some(blob) = blob else { continue };
        let Some(committed) = blobs.get(blob)? else {
            continue;
        };
        let first: Vec<(usize, usize)> = matching_runs(&committed, files[f].1.as_bytes())
            .into_iter()
            .flat_map(|(old, new, len)| (0..len).map(move |k| (new + k, old + k)))
            .collect();
        left[f] = Some(first.len());
        if !first.is_empty() {
            start.push((f, blob, first));
        }
    }
    // Files with lines still looking for an author.
    let mut open = start.len();
    if open == 0 {
        return Ok(authors);
    }
    let mut pending: HashMap<Oid, Vec<Pending>> = HashMap::new();
    pending.insert(head, start);
    for id in git.walk(head)? {
        let id = id?;
        let Some(mut here) = pending.remove(&id) else {
            continue;
        };
        here.retain(|(f, _, _)| left[*f].is_some());
        if here.is_empty() {
            continue;
        }
        let commit = git.commit(id)?;
        for &parent in &commit.parents {
            let looking: Vec<usize> = (0..here.len())
                .filter(|&k| !here[k].2.is_empty() && left[here[k].0].is_some())
                .collect();
            if looking.is_empty() {
                break;
            }
            let wanted: Vec<String> = looking.iter().map(|&k| paths[here[k].0].clone()).collect();
            for (k, pblob) in looking.into_iter().zip(entries(git, parent, &wanted)) {
                let Some(pblob) = pblob else { continue };
                let (f, blob, mine) = &mut here[k];
                let passed: Vec<(usize, usize)> = if pblob == *blob {
                    std::mem::take(mine)
                } else {
                    let (Some(new), Some(old)) = (blobs.get(*blob)?, blobs.get(pblob)?) else {
                        // A version larger than a goal file may be: not read, and no line's
                        // author can be told past it.
                        authors[*f] = vec![None; authors[*f].len()];
                        left[*f] = None;
                        open -= 1;
                        continue;
                    };
                    // Both in order of the newer version's lines: one merge pass.
                    let same = matching_runs(&old, &new);
                    let mut kept = Vec::new();
                    let mut passed = Vec::new();
                    let mut i = 0;
                    for (line, at) in std::mem::take(mine) {
                        while i < same.len() && same[i].1 + same[i].2 <= at {
                            i += 1;
                        }
                        match same.get(i) {
                            Some(&(o, n, _)) if n <= at => passed.push((line, o + (at - n))),
                            _ => kept.push((line, at)),
                        }
                    }
                    *mine = kept;
                    passed
                };
                if passed.is_empty() {
                    continue;
                }
                // Moved, not copied, to a parent no other child has passed lines of this
                // file to (a long file unchanged over many commits passes all of its lines
                // each time).
                let theirs = pending.entry(parent).or_default();
                match theirs.iter_mut().find(|(g, _, _)| g == f) {
                    Some((_, _, lines)) => {
                        lines.extend(passed);
                        lines.sort_by_key(|&(_, at)| at);
                    }
                    None => theirs.push((*f, pblob, passed)),
                }
            }
        }
        for (f, _, mine) in here {
            let Some(n) = left[f].as_mut() else { continue };
            if mine.is_empty() {
                continue;
            }
            for (line, _) in mine {
                authors[f][line] = Some(commit.author.name.clone());
                *n -= 1;
            }
            if *n == 0 {
                open -= 1;
            }
        }
        if open == 0 {
            break;
        }
    }
    Ok(authors)
}

#[cfg(test)]
mod tests;
