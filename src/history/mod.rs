//! An item's history through git (`goalpost log`) and check-in authors from blame. Commits
//! are walked newest first from a start revision; a commit counts only when the item itself
//! changed in one of the files that hold it now, compared with its first parent (merges:
//! only what is new against every parent). What changed is the engine's answer
//! ([`item::changes`], typed [`ItemChange`]s). Check-in logs take a fast line-level path
//! (`lines`); definition files are parsed, once per blob.

pub(crate) mod blame;
pub(crate) mod item;
pub(crate) mod lines;

use crate::diff::ItemChange;
use crate::git::{self, CommitInfo, Oid, Reader};
use crate::model::Checkin;
use crate::select::Target;
use item::{ItemKey, Version};
use lines::Line;
use std::collections::HashMap;
use std::rc::Rc;

pub(crate) use crate::git::Repo;

/// Why a history could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HistoryError {
    /// The start revision could not be resolved (unknown: exit 2; broken or shallow: 3).
    #[error(transparent)]
    Revision(#[from] crate::git::GitError),
    #[error(
        "history is incomplete: this is a shallow clone; fetch more history with `git fetch --unshallow`"
    )]
    Shallow,
    #[error("git: {0}")]
    Git(#[from] git::Error),
}

/// The files that hold an item, project-relative, and how to read them.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub key: ItemKey,
    /// The file that defines it.
    pub definition: String,
    /// Other files that hold (or mention) its check-ins.
    pub logs: Vec<String>,
}

/// One commit that changed the item.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    /// The full commit id.
    pub commit: String,
    pub author: String,
    pub email: String,
    /// The author date, `YYYY-MM-DD`, in the author's time zone.
    pub date: String,
    /// The author time, RFC 3339 with the author's offset.
    pub time: String,
    /// What changed: the item itself, then (for an objective) its key results.
    pub changes: Vec<ItemChange>,
}

impl Item {
    /// The files that hold a resolved item in the current goals (read from `sources`): the
    /// file that defines it, the files that hold its check-ins, and any goal file naming its
    /// ref (a log whose check-ins of it were all deleted still names it in a comment or
    /// another line).
    pub(crate) fn of(
        goals: &crate::model::Goals,
        sources: &crate::load::Sources,
        target: Target,
    ) -> Item {
        let (key, span, checkins) = match target {
            Target::Objective(i) => {
                let o = goals.objective(i);
                let key = ItemKey::Objective {
                    team: o.team.clone(),
                    period: o.period.name.clone(),
                    id: o.id.clone(),
                };
                (key, o.span, &[][..])
            }
            Target::KeyResult(id) => {
                let (o, kr) = goals.kr(id);
                let key = ItemKey::KeyResult {
                    team: o.team.clone(),
                    period: o.period.name.clone(),
                    objective: o.id.clone(),
                    id: kr.id.clone(),
                    start: o.period.start,
                    end: o.period.end,
                };
                (key, o.span, &kr.checkins[..])
            }
            Target::Kpi(k) => {
                let kp = goals.kpi(k);
                let key = ItemKey::Kpi {
                    team: kp.team.clone(),
                    id: kp.id.clone(),
                };
                (key, kp.span, &kp.checkins[..])
            }
        };
        let definition = sources.path(span.file).to_owned();
        let mut logs: Vec<String> = Vec::new();
        if !matches!(key, ItemKey::Objective { .. }) {
            let reference = key.reference().to_string();
            for c in checkins {
                logs.push(sources.path(c.span.file).to_owned());
            }
            for f in &sources.files {
                if f.path != "goalpost.toml" && f.text.contains(&reference) {
                    logs.push(f.path.clone());
                }
            }
        }
        logs.sort();
        logs.dedup();
        logs.retain(|l| *l != definition);
        Item {
            key,
            definition,
            logs,
        }
    }
}

/// How each file is compared.
struct Tracked {
    git_path: String,
    /// The definition file: parse and compare the whole item. Logs: changed lines only.
    define: bool,
}

/// Walks the history from `start` (a revision, default HEAD) and returns the commits that
/// changed the item, newest first, at most `max` of them.
pub(crate) fn log(
    repo: &Repo,
    start: Option<&str>,
    item: &Item,
    max: Option<usize>,
) -> Result<Vec<Change>, HistoryError> {
    let start = start.map(|rev| repo.resolve(rev)).transpose()?;
    let git = repo.reader();
    let Some(start) = start_commit(start, &git)? else {
        return Ok(Vec::new());
    };
    let mut files = vec![Tracked {
        git_path: repo.git_path(&item.definition),
        define: true,
    }];
    for l in &item.logs {
        if *l != item.definition {
            files.push(Tracked {
                git_path: repo.git_path(l),
                define: false,
            });
        }
    }
    let shallow = git.shallow_commits();
    let paths: Vec<String> = files.iter().map(|f| f.git_path.clone()).collect();
    let mut walk = Walker {
        git: &git,
        item,
        files,
        paths,
        entries: HashMap::new(),
        blobs: Vec::new(),
        snapshots: HashMap::new(),
        reference: item.key.reference().to_string(),
    };
    let mut out = Vec::new();
    for id in git.walk(start)? {
        if max.is_some_and(|m| out.len() >= m) {
            break;
        }
        let id = id.map_err(|e| shallow_or(&git, e))?;
        let commit = git.commit(id).map_err(|e| shallow_or(&git, e))?;
        let mine = walk.entries_of(id)?;
        let mut parents = Vec::new();
        for &p in &commit.parents {
            parents.push(walk.entries_of(p).map_err(|e| match e {
                HistoryError::Git(e) => shallow_or(&git, e),
                e => e,
            })?);
        }
        if parents.is_empty() && shallow.contains(&id) {
            // The history stops here: complete only if the item did not exist yet.
            if walk.holds_item(&mine)? {
                return Err(HistoryError::Shallow);
            }
            continue;
        }
        if parents.contains(&mine) {
            continue;
        }
        let none = vec![None; mine.len()];
        let mut changes = match parents.first() {
            None => walk.changes(&none, &mine)?,
            Some(first) => walk.changes(first, &mine)?,
        };
        for p in parents.iter().skip(1) {
            if changes.is_empty() {
                break;
            }
            let other = walk.changes(p, &mine)?;
            changes = only_in_both(changes, &other);
        }
        if !changes.is_empty() {
            out.push(change(&commit, changes));
        }
    }
    Ok(out)
}

/// The commit a walk starts from: the revision given (resolved before the reader holds the
/// repository), else HEAD; `None` on an unborn branch (nothing committed yet, so no history).
pub(crate) fn start_commit(
    start: Option<crate::git::Revision>,
    git: &Reader<'_>,
) -> Result<Option<Oid>, HistoryError> {
    Ok(match start {
        Some(rev) => Some(rev.commit),
        None => git.head()?,
    })
}

/// What a merge changed against every parent: the changes (and check-ins) that its first
/// parent's comparison and another parent's comparison both report.
fn only_in_both(mine: Vec<ItemChange>, other: &[ItemChange]) -> Vec<ItemChange> {
    let mut out = Vec::new();
    for mut c in mine {
        let Some(o) = other
            .iter()
            .find(|o| o.reference == c.reference && o.change == c.change)
        else {
            continue;
        };
        c.fields.retain(|f| o.fields.contains(f));
        let ch = &mut c.checkins;
        ch.added
            .retain(|x| o.checkins.added.iter().any(|y| same(x, y)));
        ch.removed
            .retain(|x| o.checkins.removed.iter().any(|y| same(x, y)));
        ch.changed.retain(|x| {
            o.checkins
                .changed
                .iter()
                .any(|y| same(&x.to, &y.to) && same(&x.from, &y.from))
        });
        // Revisions and the drop likewise, by content.
        let rv = &mut c.revisions;
        let same_rev = crate::diff::same_revision;
        rv.added.retain(|x| {
            o.revisions
                .added
                .iter()
                .any(|y| same_rev(&x.revision, &y.revision))
        });
        rv.removed
            .retain(|x| o.revisions.removed.iter().any(|y| same_rev(x, y)));
        rv.changed.retain(|x| {
            o.revisions
                .changed
                .iter()
                .any(|y| same_rev(&x.from, &y.from) && same_rev(&x.to, &y.to))
        });
        let same_drop =
            |a: &Option<crate::model::Dropped>, b: &Option<crate::model::Dropped>| match (a, b) {
                (Some(a), Some(b)) => crate::diff::same_drop(a, b),
                (a, b) => a.is_none() && b.is_none(),
            };
        if let (Some(d), od) = (&c.dropped, &o.dropped)
            && !od
                .as_ref()
                .is_some_and(|od| same_drop(&d.from, &od.from) && same_drop(&d.to, &od.to))
        {
            c.dropped = None;
        }
        if c.change != crate::diff::ChangeKind::Modified || c.changed_itself() {
            out.push(c);
        }
    }
    out
}

/// The same check-in, wherever it is written.
fn same(a: &Checkin, b: &Checkin) -> bool {
    a.date == b.date && crate::diff::same_checkin(a, b)
}

fn change(commit: &CommitInfo, changes: Vec<ItemChange>) -> Change {
    let author = &commit.author;
    let offset =
        jiff::tz::Offset::from_seconds(author.offset_minutes * 60).unwrap_or(jiff::tz::Offset::UTC);
    let zoned = jiff::Timestamp::from_second(author.seconds)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(jiff::tz::TimeZone::fixed(offset));
    Change {
        commit: commit.id.to_string(),
        author: author.name.clone(),
        email: author.email.clone(),
        date: zoned.strftime("%Y-%m-%d").to_string(),
        time: zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        changes,
    }
}

/// A missing object in a shallow clone is missing history; anywhere else a git failure.
fn shallow_or(git: &Reader<'_>, e: git::Error) -> HistoryError {
    if git.is_shallow() && e.is_not_found() {
        HistoryError::Shallow
    } else {
        HistoryError::Git(e)
    }
}

struct Walker<'r> {
    git: &'r Reader<'r>,
    item: &'r Item,
    files: Vec<Tracked>,
    /// The tracked files' repository paths.
    paths: Vec<String>,
    /// Commit → the blob of each tracked file in its tree.
    entries: HashMap<Oid, Vec<Option<Oid>>>,
    /// The last blobs read: a log's old side in one commit is its new side in the next.
    /// `None`: larger than a goal file may be, so not read.
    blobs: Vec<(Oid, Option<Rc<Vec<u8>>>)>,
    /// (blob, file index) → the item in that blob; a blob is parsed once.
    snapshots: HashMap<(Oid, usize), Rc<Version>>,
    /// The item's ref as logs write it (to find its lines).
    reference: String,
}

impl<'r> Walker<'r> {
    /// A blob of a tracked file, or `None` when it is larger than a goal file may be: such
    /// a version is read as if it held nothing, like a version that does not parse (the
    /// header is read, never the content, so a 1.5 GB blob costs nothing).
    fn blob(&mut self, id: Oid) -> Result<Option<Rc<Vec<u8>>>, HistoryError> {
        if let Some((_, b)) = self.blobs.iter().find(|(o, _)| *o == id) {
            return Ok(b.clone());
        }
        let b = self.git.blob(id, crate::load::MAX_FILE_BYTES)?.map(Rc::new);
        if self.blobs.len() >= 4 {
            self.blobs.remove(0);
        }
        self.blobs.push((id, b.clone()));
        Ok(b)
    }

    fn entries_of(&mut self, commit: Oid) -> Result<Vec<Option<Oid>>, HistoryError> {
        if let Some(e) = self.entries.get(&commit) {
            return Ok(e.clone());
        }
        let e = self.git.entries(commit, &self.paths)?;
        self.entries.insert(commit, e.clone());
        Ok(e)
    }

    fn snapshot(&mut self, blob: Option<Oid>, file: usize) -> Result<Rc<Version>, HistoryError> {
        let Some(blob) = blob else {
            return Ok(Rc::default());
        };
        if let Some(s) = self.snapshots.get(&(blob, file)) {
            return Ok(Rc::clone(s));
        }
        let Some(b) = self.blob(blob)? else {
            return Ok(Rc::default());
        };
        let s = Rc::new(match crate::load::decode(&b, 0) {
            Err(_) => Version::default(),
            Ok(text) => match crate::load::parse_file(0, &text).0 {
                Some(raw) => Version::of(&raw, &self.item.key, self.files[file].define, text.len()),
                None => Version::default(),
            },
        });
        self.remember(blob, file, Rc::clone(&s));
        Ok(s)
    }

    fn remember(&mut self, blob: Oid, file: usize, v: Rc<Version>) {
        // Walking newest first, a blob is needed as the new side and then once more as
        // the old side: a small cache is enough.
        if self.snapshots.len() > 64 {
            self.snapshots.clear();
        }
        self.snapshots.insert((blob, file), v);
    }

    /// Walking newest first, the newer version of a file has been read already: when the
    /// bytes that differ from the older one cannot touch the item (one plain value edited
    /// in place, outside the item's extent and what names it), the older version holds the
    /// same item, and is not parsed. Anything else is parsed.
    fn reuse_across(&mut self, old: Oid, new: Oid, file: usize) -> Result<(), HistoryError> {
        if self.snapshots.contains_key(&(old, file)) {
            return Ok(());
        }
        let Some(newer) = self.snapshots.get(&(new, file)).cloned() else {
            return Ok(());
        };
        let Some(extent) = newer.extent else {
            return Ok(());
        };
        let (Some(a), Some(b)) = (self.blob(old)?, self.blob(new)?) else {
            return Ok(());
        };
        let (p, old_end, new_end) = lines::changed_region(&a, &b);
        if !lines::value_edit(&b, p, &a[p..old_end], &b[p..new_end]) {
            return Ok(());
        }
        if let Some(moved) = extent.across(p, new_end, old_end) {
            let mut older = Version::clone(&newer);
            older.extent = Some(moved);
            self.remember(old, file, Rc::new(older));
        }
        Ok(())
    }

    /// Whether any tracked file in this tree says something about the item.
    fn holds_item(&mut self, entries: &[Option<Oid>]) -> Result<bool, HistoryError> {
        for (i, &e) in entries.iter().enumerate() {
            if !self.snapshot(e, i)?.is_empty() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// What changed for the item between two trees (the engine's answer).
    fn changes(
        &mut self,
        old: &[Option<Oid>],
        new: &[Option<Oid>],
    ) -> Result<Vec<ItemChange>, HistoryError> {
        let mut versions = (None, None);
        let mut removed: Vec<Checkin> = Vec::new();
        let mut added: Vec<Checkin> = Vec::new();
        for i in 0..self.files.len() {
            if old[i] == new[i] {
                continue;
            }
            if !self.files[i].define
                && let (Some(a), Some(b)) = (old[i], new[i])
                && self.log_lines(a, b, &mut removed, &mut added)?
            {
                continue;
            }
            if self.files[i].define
                && let (Some(a), Some(b)) = (old[i], new[i])
            {
                self.reuse_across(a, b, i)?;
            }
            let a = self.snapshot(old[i], i)?;
            let b = self.snapshot(new[i], i)?;
            removed.extend(
                a.checkins
                    .values()
                    .filter(|c| !b.checkins.get(&c.date).is_some_and(|d| same(c, d)))
                    .cloned(),
            );
            added.extend(
                b.checkins
                    .values()
                    .filter(|c| !a.checkins.get(&c.date).is_some_and(|d| same(c, d)))
                    .cloned(),
            );
            if self.files[i].define {
                versions = (Some(a), Some(b));
            }
        }
        // A correction that came while the check-in it corrects stayed where it was: the
        // one in force for that date before (in any of the item's files) is what it corrects.
        for c in added.iter().filter(|c| c.correction().is_some()) {
            if removed.iter().any(|r| r.date == c.date) {
                continue;
            }
            for (i, &e) in old.iter().enumerate() {
                let before = self.snapshot(e, i)?;
                if let Some(b) = before.checkins.get(&c.date) {
                    removed.push(b.clone());
                    break;
                }
            }
        }
        let defs = match &versions {
            (Some(a), Some(b)) => Some((a.as_ref(), b.as_ref())),
            // The definition did not change: nothing to compare there.
            _ => None,
        };
        Ok(item::changes(&self.item.key, defs, removed, added))
    }

    /// The fast path for a log: the check-ins on changed lines. `false` when a changed line
    /// is not a one-line check-in, and the caller must compare whole files.
    fn log_lines(
        &mut self,
        old: Oid,
        new: Oid,
        removed: &mut Vec<Checkin>,
        added: &mut Vec<Checkin>,
    ) -> Result<bool, HistoryError> {
        let (Some(a), Some(b)) = (self.blob(old)?, self.blob(new)?) else {
            return Ok(false);
        };
        let (gone, came) = lines::changed_lines(&a, &b);
        let mut found = (Version::default(), Version::default());
        for (list, snap) in [(gone, &mut found.0), (came, &mut found.1)] {
            for l in list {
                match lines::classify(l, &self.reference) {
                    Line::Nothing | Line::Other => {}
                    Line::Checkin(c) => snap.add_logged(&c, &self.item.key),
                    Line::Unknown => return Ok(false),
                }
            }
        }
        removed.extend(found.0.checkins.into_values());
        added.extend(found.1.checkins.into_values());
        Ok(true)
    }
}
