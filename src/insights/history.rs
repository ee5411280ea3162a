//! Reading the history once for `insights` (SPEC 14): one walk over the commits reachable
//! from the start revision, parents before children, comparing each commit's goal files
//! with its parents' only where a file changed. Two facts come out: for each check-in (by
//! ref, date and observation) the earliest author date of a commit that added it, and each
//! commit that edited a metric key result's `target` or `start` in place.
//!
//! A changed check-in log is read through its changed lines when every one of them is a
//! one-line check-in, a comment or blank (appends, almost always); anything else is parsed
//! whole, once per blob version seen. A version that does not decode or parse holds nothing.

use crate::git::{Oid, Reader, Repo};
use crate::history::HistoryError;
use crate::history::lines::{self, Line};
use crate::load::raw::{RawCheckin, RawFile};
use crate::model::{Date, Revision, Span, in_force};
use std::collections::HashMap;
use std::rc::Rc;

/// An observation as a hashable key: a value's bits (with −0 as 0), or a milestone state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum ObsKey {
    Value(u64),
    Done(bool),
}

impl ObsKey {
    pub(crate) fn value(v: f64) -> ObsKey {
        ObsKey::Value((v + 0.0).to_bits())
    }
}

/// One check-in as history knows it: the ref it is written for (interned: [`Names`]), its
/// date, its observation.
pub(crate) type Identity = (u32, Date, ObsKey);

/// A metric key result by team, period, objective and id.
pub(crate) type KrKey = (String, String, String, String);

/// Interned strings: refs and key-result keys are compared and hashed as numbers.
#[derive(Debug, Default)]
pub(crate) struct Names {
    ids: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Names {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.ids.insert(s.into(), i);
        self.names.push(s.into());
        i
    }

    fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    fn name(&self, i: u32) -> &str {
        &self.names[i as usize]
    }
}

/// A metric key result's plan in one version of its file: `start`, `target` as written and
/// the revisions.
#[derive(Debug, Clone, PartialEq)]
struct Plan {
    written: (f64, f64),
    revisions: Vec<Revision>,
}

impl Plan {
    /// |target − start| in force at `d`.
    fn size(&self, d: Date) -> f64 {
        let (s, t) = in_force(self.written, &self.revisions, d);
        (t - s).abs()
    }
}

/// A commit that edited a key result's `target` or `start` in place.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Move {
    pub key: KrKey,
    pub commit: String,
    pub author: String,
    /// The author date in the author's own offset.
    pub date: Date,
    /// `(start, target)` as written before and after.
    pub before: (f64, f64),
    pub after: (f64, f64),
    /// |target − start| in force at `date`, before and after.
    pub sizes: (f64, f64),
}

/// What the walk found.
#[derive(Debug, Default)]
pub(crate) struct History {
    /// Each check-in committed: the earliest author date of a commit that added it. Each
    /// commit's additions are pushed during the walk; [`read`] sorts them at its end and
    /// keeps the earliest of each.
    committed: Vec<(Identity, Date)>,
    /// Every in-place edit of a metric key result's plan, in walk order.
    pub moves: Vec<Move>,
    refs: Names,
}

impl History {
    /// The earliest author date of a commit that added a check-in of `reference` on `date`
    /// observing `obs`; `None` when no commit holds it.
    pub(crate) fn committed(&self, reference: &str, date: Date, obs: ObsKey) -> Option<Date> {
        let r = self.refs.get(reference)?;
        let i = self.committed.partition_point(|c| c.0 < (r, date, obs));
        self.committed
            .get(i)
            .filter(|c| c.0 == (r, date, obs))
            .map(|c| c.1)
    }
}

/// The parts of one version of a goal file that history compares.
#[derive(Debug, Default)]
struct Facts {
    /// Sorted, each once.
    checkins: Vec<Identity>,
    /// Sorted by key (an interned "team/period/objective/kr").
    plans: Vec<(u32, Plan)>,
    /// Neither objectives nor KPIs: a log, whose changed lines can be read alone.
    log_only: bool,
    /// Where check-ins can be inserted inline without a parse.
    places: Places,
    /// The version's bytes (kept while it is the version remembered for its path).
    bytes: Option<Rc<Vec<u8>>>,
}

/// Where one version of a file can take one-line check-ins that a commit inserts, read
/// from the inserted lines without a parse ([`inserted`]).
#[derive(Debug, Default, Clone, PartialEq)]
struct Places {
    /// Among and after items' inline check-ins ([`anchors`]); sorted, each place once.
    tails: Vec<Tail>,
    /// Items' empty lists ([`empty_place`]); sorted.
    empties: Vec<Empty>,
}

/// A place among an item's inline check-ins: the start of one of them written alone on its
/// line (a one-line flow mapping in a block sequence), or the byte after the line break of
/// the last one; the item's ref and that line's indent.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Tail {
    at: usize,
    reference: u32,
    indent: usize,
}

/// An item's inline check-ins written `checkins: []` on a line of their own in a block
/// mapping, which a commit fills in by writing `checkins:` and check-in lines below it:
/// the line (its start, and its length with its line break), the item's ref and the key's
/// indent.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Empty {
    at: usize,
    len: usize,
    reference: u32,
    indent: usize,
}

/// Walks every commit reachable from `start` (default HEAD). `roots` are the goal roots as
/// repository paths ("" for the whole tree). An unborn branch has no history.
pub(crate) fn read(
    repo: &Repo,
    start: Option<&str>,
    roots: &[String],
) -> Result<History, HistoryError> {
    let start = start.map(|rev| repo.resolve(rev)).transpose()?;
    let git = repo.reader();
    let Some(start) = crate::history::start_commit(start, &git)? else {
        return Ok(History::default());
    };
    if git.is_shallow() {
        return Err(HistoryError::Shallow);
    }
    let mut commits: Vec<Oid> = Vec::new();
    for id in git.walk(start)? {
        commits.push(id?);
    }
    let mut walk = Walk {
        git: &git,
        trees: git.trees(),
        paths: Names::default(),
        facts: HashMap::new(),
        remembered: HashMap::new(),
        holders: HashMap::new(),
        keys: Names::default(),
        out: History::default(),
    };
    // Parents before children. Three passes, each reading objects in an order libgit2's
    // small cache of delta bases serves well: every commit's trees; then each goal file's
    // versions, file by file; then the commits, from what the files said. (On a year of a
    // 300-team organisation, reading the trees and blobs commit by commit cost 1.2 s, trees
    // first 0.7 s; the blobs read in commit order 0.39 s, file by file 0.22 s.)
    let mut steps = Vec::with_capacity(commits.len());
    for &id in commits.iter().rev() {
        let info = git.commit(id)?;
        let a = &info.author;
        let Some(date) = Date::of_moment(a.seconds, a.offset_minutes) else {
            continue;
        };
        let first = info.parents.first().copied();
        let changed = walk.trees.changed_files(first, id, roots)?;
        steps.push(Step {
            info,
            date,
            changed,
        });
    }
    // Each file's versions in commit order (paths interned in commit order).
    let mut by_path: Vec<Vec<(usize, usize)>> = Vec::new();
    for (k, step) in steps.iter().enumerate() {
        for (i, (path, _, _)) in step.changed.iter().enumerate() {
            let pid = walk.paths.intern(path) as usize;
            if by_path.len() <= pid {
                by_path.resize_with(pid + 1, Vec::new);
            }
            by_path[pid].push((k, i));
        }
    }
    let mut changes: Vec<Vec<Option<Change>>> = steps
        .iter()
        .map(|s| s.changed.iter().map(|_| None).collect())
        .collect();
    for (pid, versions) in by_path.iter().enumerate() {
        for &(k, i) in versions {
            changes[k][i] = Some(walk.change(pid as u32, &steps[k], i)?);
        }
        // Only the commit pass looks at a path from here on, by its blob ids.
        walk.facts.remove(&(pid as u32));
    }
    for (step, changes) in steps.iter().zip(changes) {
        walk.commit(step, changes.into_iter().flatten().collect(), roots)?;
    }
    // Each check-in once, with its earliest date.
    walk.out.committed.sort_unstable();
    walk.out.committed.dedup_by_key(|c| c.0);
    Ok(walk.out)
}

/// One commit as the walk reads it: its author date and the goal files it changed against
/// its first parent.
struct Step {
    info: crate::git::CommitInfo,
    date: Date,
    changed: Vec<crate::git::ChangedFile>,
}

/// What one commit did to one goal file, against its first parent's version.
struct Change {
    path: u32,
    /// The file's new blob (`None`: the file is gone).
    blob: Option<Oid>,
    /// Check-ins new against the first parent's version, and those it lost.
    added: Vec<Identity>,
    removed: Vec<Identity>,
    /// Plans edited in place.
    moves: Vec<Move>,
    /// Check-ins new and gone against the version read before it of this path.
    came: Vec<Identity>,
    gone: Vec<Identity>,
}

struct Walk<'r> {
    git: &'r Reader<'r>,
    trees: crate::git::Trees<'r>,
    /// Interned repository paths.
    paths: Names,
    /// The facts of the last version read of each path (a child's old side is its parent's
    /// new side).
    facts: HashMap<u32, (Oid, Rc<Facts>)>,
    /// The blob of the last version read of each path, as the commit pass has come to it.
    remembered: HashMap<u32, Oid>,
    /// Each check-in in the remembered versions: the paths that hold it.
    holders: HashMap<Identity, Vec<u32>>,
    /// Interned key-result keys, "team\0period\0objective\0kr".
    keys: Names,
    out: History,
}

/// `a` and `b` (both sorted, `a` without repeats) as one sorted list, each once.
fn merged(a: &[Identity], b: &[Identity]) -> Vec<Identity> {
    let mut out = union(a, b, false).unwrap_or_default();
    out.dedup();
    out
}

/// `a` and `b` (both sorted, each without repeats) as one sorted list; `None` when they
/// share a check-in.
fn disjoint_union(a: &[Identity], b: &[Identity]) -> Option<Vec<Identity>> {
    union(a, b, true)
}

/// `a` and `b` (both sorted) as one sorted list, by one pass over both. A check-in in both
/// is kept once, or gives `None` when `refuse_shared`.
fn union(a: &[Identity], b: &[Identity], refuse_shared: bool) -> Option<Vec<Identity>> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal if refuse_shared => return None,
            std::cmp::Ordering::Equal => j += 1,
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    Some(out)
}

/// Adds to `out` what is in `a` and not in `b` (both sorted).
fn difference(a: &[Identity], b: &[Identity], out: &mut Vec<Identity>) {
    let mut j = 0;
    for x in a {
        while j < b.len() && b[j] < *x {
            j += 1;
        }
        if j >= b.len() || b[j] != *x {
            out.push(*x);
        }
    }
}

impl Walk<'_> {
    /// What commit `step` did to its `i`-th changed file, from the version of the file read
    /// before (the path's versions are read in commit order).
    fn change(&mut self, pid: u32, step: &Step, i: usize) -> Result<Change, HistoryError> {
        let (path, old, new) = &step.changed[i];
        let (id, author, date) = (step.info.id, &step.info.author.name, step.date);
        let before = self.facts_of(path, *old)?;
        let (mut added, mut removed, mut moves) = (Vec::new(), Vec::new(), Vec::new());
        let after = match (old, new) {
            (Some(o), Some(n)) if before.log_only => {
                self.lines(&before, *o, *n, &mut removed, &mut added)?
            }
            (Some(_), Some(n)) if before.bytes.is_some() => {
                self.appended(&before, *n, &mut added)?
            }
            _ => None,
        };
        let after = match after {
            Some(f) => Rc::new(f),
            None => {
                let after = self.facts_uncached(*new)?;
                difference(&after.checkins, &before.checkins, &mut added);
                difference(&before.checkins, &after.checkins, &mut removed);
                self.plan_moves(&before, &after, id, author, date, &mut moves);
                after
            }
        };
        let (came, gone) = self.set_cache(pid, *new, after, Some((&before, &added, &removed)));
        Ok(Change {
            path: pid,
            blob: *new,
            added,
            removed,
            moves,
            came,
            gone,
        })
    }

    /// One commit, from what it did to each goal file it changed against its first parent.
    fn commit(
        &mut self,
        step: &Step,
        changes: Vec<Change>,
        roots: &[String],
    ) -> Result<(), HistoryError> {
        let (info, date) = (&step.info, step.date);
        let id = info.id;
        // Check-ins new in a changed file against the first parent (with the file), and
        // those its old side held: the candidates for "introduced by this commit".
        let mut candidates: Vec<(Identity, u32)> = Vec::new();
        let mut removed: Vec<Identity> = Vec::new();
        let mut moves: Vec<Move> = Vec::new();
        let mut changed_paths: Vec<u32> = Vec::with_capacity(changes.len());
        for c in changes {
            changed_paths.push(c.path);
            self.remember(c.path, c.blob, &c.came, &c.gone);
            candidates.extend(c.added.into_iter().map(|x| (x, c.path)));
            removed.extend(c.removed);
            moves.extend(c.moves);
        }
        changed_paths.sort_unstable();
        removed.sort_unstable();
        removed.dedup();
        candidates.sort_unstable();
        candidates.dedup_by_key(|c| c.0);
        // A merge's other parents, read only when there is something to judge against them.
        let mut others = Vec::new();
        let judge = !candidates.is_empty() || !moves.is_empty();
        for &p in info.parents.iter().skip(1).filter(|_| judge) {
            let changed = self.trees.changed_files(Some(p), id, roots)?;
            let mut old_sides = Vec::with_capacity(changed.len());
            for (path, old, _) in &changed {
                old_sides.push((self.paths.intern(path), self.facts_uncached(*old)?));
            }
            old_sides.sort_by_key(|o| o.0);
            others.push((changed, old_sides));
        }
        for (x, _) in candidates {
            // A parent holds it: the first parent in a changed file's old side, or any
            // parent in a file this commit holds it in and did not change against it.
            if removed.binary_search(&x).is_ok() || self.held(id, x, &changed_paths)? {
                continue;
            }
            let mut held = false;
            for (_, old_sides) in &others {
                let differ: Vec<u32> = old_sides.iter().map(|o| o.0).collect();
                if old_sides
                    .iter()
                    .any(|o| o.1.checkins.binary_search(&x).is_ok())
                    || self.held(id, x, &differ)?
                {
                    held = true;
                    break;
                }
            }
            if held {
                continue;
            }
            self.out.committed.push((x, date));
        }
        // A merge moved a plan only where every parent had it otherwise.
        for (other, _) in &others {
            if moves.is_empty() {
                break;
            }
            let mut keep = Vec::new();
            for m in moves {
                if self.moved_against(other, &m)? {
                    keep.push(m);
                }
            }
            moves = keep;
        }
        moves.sort_by(|x, y| x.key.cmp(&y.key));
        self.out.moves.extend(moves);
        Ok(())
    }

    /// Whether commit `id` holds `x` in a file other than `except` (sorted path ids): the
    /// files whose last version read holds it are checked against the commit's tree.
    fn held(&mut self, id: Oid, x: Identity, except: &[u32]) -> Result<bool, HistoryError> {
        let Some(paths) = self.holders.get(&x) else {
            return Ok(false);
        };
        let paths: Vec<u32> = paths
            .iter()
            .copied()
            .filter(|p| except.binary_search(p).is_err())
            .collect();
        for p in paths {
            let path = self.paths.name(p).to_owned();
            let Some(blob) = self.git.entries(id, std::slice::from_ref(&path))?[0] else {
                continue;
            };
            if self.remembered.get(&p).is_some_and(|b| *b == blob)
                || self
                    .facts_uncached(Some(blob))?
                    .checkins
                    .binary_search(&x)
                    .is_ok()
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Remembers a path's version for the file pass (`None`: the file is gone): the
    /// check-ins it has that the version before did not, and those it lost. `read` is what
    /// was found against the version `before` (what it added and removed, each possibly
    /// more than what changed): when that is the version remembered, those lists are
    /// checked against both versions instead of comparing the two whole.
    fn set_cache(
        &mut self,
        path: u32,
        blob: Option<Oid>,
        facts: Rc<Facts>,
        read: Option<(&Rc<Facts>, &[Identity], &[Identity])>,
    ) -> (Vec<Identity>, Vec<Identity>) {
        let old = match blob {
            Some(b) => self.facts.insert(path, (b, Rc::clone(&facts))),
            None => self.facts.remove(&path),
        };
        let old = old.map(|o| o.1).unwrap_or_default();
        let new = if blob.is_some() { facts } else { Rc::default() };
        let (mut gone, mut came) = (Vec::new(), Vec::new());
        match read {
            Some((before, added, removed)) if Rc::ptr_eq(before, &old) => {
                let has = |f: &Facts, x: &Identity| f.checkins.binary_search(x).is_ok();
                came.extend(added.iter().filter(|x| !has(&old, x) && has(&new, x)));
                gone.extend(removed.iter().filter(|x| has(&old, x) && !has(&new, x)));
                came.sort_unstable();
                came.dedup();
                gone.sort_unstable();
                gone.dedup();
                if cfg!(debug_assertions) {
                    let (mut g, mut c) = (Vec::new(), Vec::new());
                    difference(&old.checkins, &new.checkins, &mut g);
                    difference(&new.checkins, &old.checkins, &mut c);
                    assert_eq!((&came, &gone), (&c, &g), "what a version added and lost");
                }
            }
            _ => {
                difference(&old.checkins, &new.checkins, &mut gone);
                difference(&new.checkins, &old.checkins, &mut came);
            }
        }
        (came, gone)
    }

    /// Remembers a path's version for the commit pass, keeping [`Walk::holders`] in step.
    fn remember(&mut self, path: u32, blob: Option<Oid>, came: &[Identity], gone: &[Identity]) {
        match blob {
            Some(b) => self.remembered.insert(path, b),
            None => self.remembered.remove(&path),
        };
        for x in gone {
            if let Some(v) = self.holders.get_mut(x) {
                v.retain(|p| *p != path);
                if v.is_empty() {
                    self.holders.remove(x);
                }
            }
        }
        for x in came {
            self.holders.entry(*x).or_default().push(path);
        }
    }

    /// The plans edited in place between two versions of a file.
    fn plan_moves(
        &self,
        before: &Facts,
        after: &Facts,
        id: Oid,
        author: &str,
        date: Date,
        moves: &mut Vec<Move>,
    ) {
        for (key, plan) in &after.plans {
            let Ok(i) = before.plans.binary_search_by_key(key, |p| p.0) else {
                continue;
            };
            let old_plan = &before.plans[i].1;
            if old_plan.written != plan.written {
                let mut parts = self.keys.name(*key).split('\0').map(str::to_owned);
                let mut next = || parts.next().unwrap_or_default();
                moves.push(Move {
                    key: (next(), next(), next(), next()),
                    commit: id.to_string(),
                    author: author.to_owned(),
                    date,
                    before: old_plan.written,
                    after: plan.written,
                    sizes: (old_plan.size(date), plan.size(date)),
                });
            }
        }
    }

    /// Whether the key result's written plan differs between another parent's tree and the
    /// commit's (`changed` compares the two).
    fn moved_against(
        &mut self,
        changed: &[crate::git::ChangedFile],
        m: &Move,
    ) -> Result<bool, HistoryError> {
        let (t, p, o, k) = &m.key;
        let key = self.keys.intern(&format!("{t}\0{p}\0{o}\0{k}"));
        let plan = |f: &Facts| {
            f.plans
                .binary_search_by_key(&key, |p| p.0)
                .ok()
                .map(|i| f.plans[i].1.written)
        };
        for (_, old, new) in changed {
            let after = self.facts_uncached(*new)?;
            if plan(&after) != Some(m.after) {
                continue;
            }
            let before = self.facts_uncached(*old)?;
            return Ok(plan(&before).is_some_and(|w| w != m.after));
        }
        Ok(false)
    }

    /// A log's new version from its old one and the check-ins on its changed lines; `None`
    /// when a changed line is anything but a one-line check-in with a ref, a comment or a
    /// blank line (then the file is parsed whole).
    fn lines(
        &mut self,
        before: &Facts,
        old: Oid,
        new: Oid,
        removed: &mut Vec<Identity>,
        added: &mut Vec<Identity>,
    ) -> Result<Option<Facts>, HistoryError> {
        let a = match &before.bytes {
            Some(a) => Rc::clone(a),
            None => match self.blob(old)? {
                Some(a) => Rc::new(a),
                None => return Ok(None),
            },
        };
        let Some(b) = self.blob(new)? else {
            return Ok(None);
        };
        let (gone, came) = lines::changed_lines(&a, &b);
        let mut found: (Vec<Identity>, Vec<Identity>) = (Vec::new(), Vec::new());
        for (list, into) in [(gone, &mut found.0), (came, &mut found.1)] {
            for l in lines::classify_all(&list) {
                match l {
                    Line::Nothing => {}
                    Line::Checkin(c) => {
                        let Some(r) = c.reference() else {
                            return Ok(None);
                        };
                        let r = self.out.refs.intern(&r.value);
                        if let Some(i) = identity(r, &c) {
                            into.push(i);
                        } else if c.correction().is_none() {
                            // Not a check-in a parse would keep: read the file whole.
                            return Ok(None);
                        }
                    }
                    Line::Other | Line::Unknown => return Ok(None),
                }
            }
        }
        // The new version: the old one's check-ins less those removed (one copy each: an
        // identical copy elsewhere in the file keeps it) plus those added. A log's copies of
        // one check-in are rare, so a removed line whose twin remains is told by a parse.
        found.0.sort_unstable();
        found.1.sort_unstable();
        if found.0.windows(2).any(|w| w[0] == w[1]) || found.1.windows(2).any(|w| w[0] == w[1]) {
            return Ok(None);
        }
        let mut kept: Vec<Identity> = Vec::with_capacity(before.checkins.len());
        difference(&before.checkins, &found.0, &mut kept);
        let Some(checkins) = disjoint_union(&kept, &found.1) else {
            // A check-in added that the file held already: a parse says what the file holds.
            return Ok(None);
        };
        removed.extend(found.0);
        added.extend(found.1);
        Ok(Some(Facts {
            checkins,
            plans: Vec::new(),
            log_only: true,
            places: Places::default(),
            bytes: Some(Rc::new(b)),
        }))
    }

    /// A definition file's new version when it only inserts one-line check-ins among or
    /// after the inline check-ins of some items (the weekly check-in commit, and one that
    /// catches up on a week missed): the old version's facts plus those check-ins, without
    /// a parse ([`inserted`]). `None` for anything else.
    fn appended(
        &mut self,
        before: &Facts,
        new: Oid,
        added: &mut Vec<Identity>,
    ) -> Result<Option<Facts>, HistoryError> {
        let Some(a) = before.bytes.clone() else {
            return Ok(None);
        };
        let Some(b) = self.blob(new)? else {
            return Ok(None);
        };
        let Some((found, places)) = inserted(&before.places, &a, &b) else {
            return Ok(None);
        };
        let checkins = merged(&before.checkins, &found);
        added.extend(found);
        Ok(Some(Facts {
            checkins,
            plans: before.plans.clone(),
            log_only: false,
            places,
            bytes: Some(Rc::new(b)),
        }))
    }

    fn blob(&self, id: Oid) -> Result<Option<Vec<u8>>, HistoryError> {
        Ok(self.git.blob(id, crate::load::MAX_FILE_BYTES)?)
    }

    /// The facts of one version of a path: the remembered ones when it is the version read
    /// last there (a child's old side is its parent's new side), else parsed.
    fn facts_of(&mut self, path: &str, blob: Option<Oid>) -> Result<Rc<Facts>, HistoryError> {
        let Some(blob) = blob else {
            return Ok(Rc::default());
        };
        let pid = self.paths.intern(path);
        if let Some((b, f)) = self.facts.get(&pid)
            && *b == blob
        {
            return Ok(Rc::clone(f));
        }
        self.facts_uncached(Some(blob))
    }

    fn facts_uncached(&mut self, blob: Option<Oid>) -> Result<Rc<Facts>, HistoryError> {
        let Some(blob) = blob else {
            return Ok(Rc::default());
        };
        let Some(bytes) = self.blob(blob)? else {
            return Ok(Rc::default());
        };
        let mut f = match crate::load::decode(&bytes, 0) {
            Err(_) => Facts::default(),
            Ok(text) => match crate::load::parse_file(0, &text).0 {
                Some(raw) => file_facts(&mut self.out.refs, &mut self.keys, &raw, &text),
                None => Facts::default(),
            },
        };
        f.bytes = Some(Rc::new(bytes));
        Ok(Rc::new(f))
    }
}

/// The facts of one version of a goal file from its parse (`refs` and `keys` intern its
/// refs and key-result keys).
fn file_facts(refs: &mut Names, keys: &mut Names, raw: &RawFile, text: &str) -> Facts {
    let mut f = Facts {
        log_only: raw.objectives.is_none() && raw.kpis.is_none(),
        ..Facts::default()
    };
    for c in raw.checkins.iter().flatten() {
        if let Some(r) = c.reference()
            && let Some(i) = identity(refs.intern(&r.value), c)
        {
            f.checkins.push(i);
        }
    }
    let team = raw.team.as_ref().map(|t| t.value.as_str());
    let period = raw.period.as_ref().map(|p| p.value.as_str());
    if let Some(team) = team {
        for k in raw.kpis.iter().flatten() {
            let Some(id) = &k.id else { continue };
            let r = refs.intern(&format!("{team}/{}", id.value));
            for c in k.checkins.iter().flatten() {
                f.checkins.extend(identity(r, c));
            }
            anchors(text, k.checkins.as_deref(), r, &mut f.places.tails);
            if k.checkins.as_ref().is_some_and(Vec::is_empty) {
                f.places
                    .empties
                    .extend(empty_place(text, k.span, k.checkins_at, r));
            }
        }
        for o in raw.objectives.iter().flatten() {
            let Some(oid) = &o.id else { continue };
            for kr in o.key_results.iter().flatten() {
                let Some(kid) = &kr.id else { continue };
                if kr.checkins.as_ref().is_some_and(|c| !c.is_empty()) {
                    let r = refs.intern(&format!("{team}/{}/{}", oid.value, kid.value));
                    for c in kr.checkins.iter().flatten() {
                        f.checkins.extend(identity(r, c));
                    }
                    anchors(text, kr.checkins.as_deref(), r, &mut f.places.tails);
                } else if kr.checkins.is_some() {
                    let r = refs.intern(&format!("{team}/{}/{}", oid.value, kid.value));
                    f.places
                        .empties
                        .extend(empty_place(text, kr.span, kr.checkins_at, r));
                }
                if let (Some(period), Some(s), Some(t)) = (period, &kr.start, &kr.target) {
                    let revisions = kr
                        .revisions
                        .iter()
                        .flatten()
                        .filter_map(|r| {
                            Some(Revision {
                                date: Date::parse(r.date.as_ref()?.value.as_str())?,
                                target: r.target.as_ref().map(|v| v.value),
                                start: r.start.as_ref().map(|v| v.value),
                                reason: String::new(),
                                span: Span::default(),
                            })
                        })
                        .collect();
                    let key =
                        keys.intern(&format!("{team}\0{period}\0{}\0{}", oid.value, kid.value));
                    f.plans.push((
                        key,
                        Plan {
                            written: (s.value, t.value),
                            revisions,
                        },
                    ));
                }
            }
        }
    }
    f.checkins.sort_unstable();
    f.checkins.dedup();
    f.plans.sort_by_key(|p| p.0);
    f.places.tails = unique_places(std::mem::take(&mut f.places.tails), |t| t.at);
    f.places.empties = unique_places(std::mem::take(&mut f.places.empties), |e| e.at);
    // An alias repeats what it names elsewhere, so lines inserted at a place could be
    // another item's check-ins too. Aliases start with `*`; a file with none has none.
    if text.contains('*') {
        f.places = Places::default();
    }
    // A carriage return breaks a line for YAML: an empty list's line and those after it
    // are read by line feeds only.
    if text.contains('\r') {
        f.places.empties.clear();
    }
    // Two key results of one key in a file (an error there): keep the first, like a
    // lookup would.
    f.plans.dedup_by_key(|p| p.0);
    f
}

/// Where one-line check-ins can be inserted among one item's inline check-ins (`reference`):
/// before each one written alone on its line as a block sequence entry
/// (`  - { date: …, value: … }`), and after the last one when it is written so and a line
/// break follows. Lines inserted there, at that indent, are entries of the same sequence.
fn anchors(text: &str, checkins: Option<&[RawCheckin]>, reference: u32, out: &mut Vec<Tail>) {
    let Some(list) = checkins else {
        return;
    };
    for (i, c) in list.iter().enumerate() {
        let Some((line_start, line_end, indent)) = one_line(text, c) else {
            continue;
        };
        out.push(Tail {
            at: line_start,
            reference,
            indent,
        });
        if i + 1 == list.len()
            && let Some(end) = line_end
        {
            out.push(Tail {
                at: end + 1,
                reference,
                indent,
            });
        }
    }
}

/// The line of a check-in written alone on it as a block sequence entry (spaces, `- `, the
/// check-in's flow mapping, then nothing or a comment): where it starts, its line break
/// (`None` at the end of the text) and its indent.
fn one_line(text: &str, c: &RawCheckin) -> Option<(usize, Option<usize>, usize)> {
    let start = c.span.start as usize;
    let end = start + c.span.len as usize;
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text.get(start..)?.find('\n').map(|i| start + i);
    if end > line_end.unwrap_or(text.len()) {
        return None;
    }
    let line = text
        .get(line_start..line_end.unwrap_or(text.len()))?
        .trim_end_matches('\r');
    let body = line.trim_start_matches(' ');
    let indent = line.len() - body.len();
    let entry = body.strip_prefix("- ")?;
    let flow = entry.trim_start_matches(' ');
    // The entry is this check-in: its mapping starts where the check-in does.
    if line_start + indent + 2 + (entry.len() - flow.len()) != start {
        return None;
    }
    lines::one_flow_mapping(flow.trim_end()).then_some((line_start, line_end, indent))
}

/// Places sorted, those two items share left out (neither can be inserted at; an item
/// repeated through an alias is one place with two refs).
fn unique_places<T: Copy>(mut places: Vec<T>, at: impl Fn(&T) -> usize) -> Vec<T> {
    places.sort_by_key(&at);
    let mut out: Vec<T> = Vec::with_capacity(places.len());
    let mut i = 0;
    while i < places.len() {
        let j = i + places[i..]
            .iter()
            .take_while(|t| at(t) == at(&places[i]))
            .count();
        if j == i + 1 {
            out.push(places[i]);
        }
        i = j;
    }
    out
}

/// The line of an item's empty inline check-ins when a commit can fill it in without
/// changing how anything else is read: the item is a block mapping (`item`, its span, does
/// not start a flow mapping); its `checkins` value (`value`) is `[]`, alone after the key on
/// a line of its own (`<indent>checkins: []`, no tag, anchor or comment); and the next line
/// that is neither blank nor a comment is no deeper than the key, or there is none (the
/// caller leaves out a text with a carriage return). Filled
/// in, the line reads `<indent>checkins:` followed by one-line check-ins deeper than the key.
fn empty_place(text: &str, item: Span, value: Option<Span>, reference: u32) -> Option<Empty> {
    let v = value?.start as usize;
    if text.as_bytes().get(item.start as usize) == Some(&b'{') || !text.get(v..)?.starts_with("[]")
    {
        return None;
    }
    let at = text[..v].rfind('\n').map_or(0, |i| i + 1);
    let head = &text[at..v];
    let key = head.trim_start_matches(' ');
    let indent = head.len() - key.len();
    let gap = key.strip_prefix("checkins:")?;
    if gap.is_empty() || !gap.bytes().all(|c| c == b' ') {
        return None;
    }
    let end = v + 2 + text[v + 2..].find('\n')?;
    if !text[v + 2..end].bytes().all(|c| c == b' ') {
        return None;
    }
    for line in text[end + 1..].split('\n') {
        let body = line.trim_start_matches(' ');
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        if line.len() - body.len() > indent || body.starts_with('\t') {
            return None;
        }
        break;
    }
    Some(Empty {
        at,
        len: end + 1 - at,
        reference,
        indent,
    })
}

/// What `b` is when it is `a` with lines inserted only at `places` of `a` (see [`Places`]),
/// each a one-line check-in entry without a ref: at a tail, at its indent; below an empty
/// list's line, rewritten `<indent>checkins:`, one or more at one indent deeper than the
/// key. The check-ins those lines hold (of their places' items) and the places of `b`
/// (those of `a` moved, one before each inserted line, and one after the lines that filled
/// an empty list). `None` for anything else.
fn inserted(places: &Places, a: &[u8], b: &[u8]) -> Option<(Vec<Identity>, Places)> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    const KEY: usize = "checkins:".len();
    if a.starts_with(BOM) || b.starts_with(BOM) || std::str::from_utf8(b).is_err() {
        return None;
    }
    let (tails, empties) = (&places.tails, &places.empties);
    let (inserts, swapped) = lines::insertions(a, b, |at, old, new| {
        empties.binary_search_by_key(&at, |e| e.at).is_ok_and(|i| {
            let e = empties[i];
            old.len() == e.len
                && new.len() == e.indent + KEY + 1
                && new[..e.indent + KEY] == old[..e.indent + KEY]
                && new.ends_with(b"\n")
        })
    })?;
    let filled: Vec<Empty> = swapped
        .iter()
        .filter_map(|at| Some(empties[empties.binary_search_by_key(at, |e| e.at).ok()?]))
        .collect();
    // Each filled line's change of size, at its end (anchors from there on move by it).
    let fills: Vec<(usize, isize)> = filled
        .iter()
        .map(|e| (e.at + e.len, (e.indent + KEY + 1) as isize - e.len as isize))
        .collect();
    let mut fill = fills.iter().peekable();
    // The check-ins of inserted lines in goalpost's plain shape, read from the text; each
    // other line's flow mapping and the item it is inserted for, then all of those parsed
    // together.
    let mut found: Vec<Identity> = Vec::new();
    let mut flows: Vec<(&str, u32)> = Vec::new();
    let mut moved: Vec<(usize, isize)> = Vec::with_capacity(inserts.len() + fills.len());
    let mut new_anchors: Vec<Tail> = Vec::new();
    let mut shift: isize = 0;
    let mut used = 0;
    for (at, lines) in &inserts {
        if moved.last().is_some_and(|g| g.0 >= *at) {
            return None;
        }
        while let Some(&(end, by)) = fill.next_if(|f| f.0 <= *at) {
            shift += by;
            moved.push((end, by));
        }
        let tail = tails
            .binary_search_by_key(at, |t| t.at)
            .ok()
            .map(|i| tails[i]);
        // Filled lines are sorted, so by their ends too.
        let empty = filled
            .binary_search_by_key(at, |e| e.at + e.len)
            .ok()
            .map(|i| filled[i]);
        let (tail, after) = match (tail, empty) {
            (Some(t), None) => (t, false),
            (None, Some(e)) => {
                let first = lines.first()?;
                let indent = first.iter().take_while(|&&c| c == b' ').count();
                if indent <= e.indent {
                    return None;
                }
                used += 1;
                let t = Tail {
                    at: *at,
                    reference: e.reference,
                    indent,
                };
                (t, true)
            }
            _ => return None,
        };
        let mut pos = (*at as isize + shift) as usize;
        for line in lines {
            let text = std::str::from_utf8(line).ok()?;
            let text = text.strip_suffix('\n')?.trim_end_matches('\r');
            let body = text.trim_start_matches(' ');
            if text.len() - body.len() != tail.indent {
                return None;
            }
            let flow = body.strip_prefix("- ")?.trim();
            if let Some((date, value)) = lines::plain_checkin(flow) {
                found.push((tail.reference, Date::parse(date)?, ObsKey::value(value)));
            } else if lines::one_flow_mapping(flow) {
                flows.push((flow, tail.reference));
            } else {
                return None;
            }
            new_anchors.push(Tail { at: pos, ..tail });
            pos += line.len();
        }
        if after {
            new_anchors.push(Tail { at: pos, ..tail });
        }
        let size: usize = lines.iter().map(|l| l.len()).sum();
        moved.push((*at, size as isize));
        shift += size as isize;
    }
    // Every list filled in holds check-ins now.
    if used != filled.len() {
        return None;
    }
    moved.extend(fill.copied());
    let texts: Vec<&str> = flows.iter().map(|f| f.0).collect();
    for (c, (_, reference)) in lines::flow_checkins(&texts).into_iter().zip(&flows) {
        let c = c?;
        if c.reference().is_some() {
            return None;
        }
        match identity(*reference, &c) {
            Some(x) => found.push(x),
            None if c.correction().is_some() => {}
            None => return None,
        }
    }
    found.sort_unstable();
    // A place of `a` moves by what was inserted at or before it and by the lines filled in
    // that end at or before it; those of the inserted lines fall between (an insertion's
    // lines start at or after the places before it moved, and end before its own place
    // moved).
    let to_b = |x: usize, g: &mut usize, by: &mut isize| {
        while *g < moved.len() && moved[*g].0 <= x {
            *by += moved[*g].1;
            *g += 1;
        }
        (x as isize + *by) as usize
    };
    let mut out: Vec<Tail> = Vec::with_capacity(tails.len() + new_anchors.len());
    let mut fresh = new_anchors.into_iter().peekable();
    let (mut g, mut by) = (0, 0);
    for t in tails {
        let at = to_b(t.at, &mut g, &mut by);
        while let Some(n) = fresh.next_if(|n| n.at < at) {
            out.push(n);
        }
        out.push(Tail { at, ..*t });
    }
    out.extend(fresh);
    let (mut g, mut by) = (0, 0);
    let empties = empties
        .iter()
        .filter(|e| filled.binary_search_by_key(&e.at, |f| f.at).is_err())
        .map(|e| Empty {
            at: to_b(e.at, &mut g, &mut by),
            ..*e
        })
        .collect();
    Some((
        found,
        Places {
            tails: out,
            empties,
        },
    ))
}

fn identity(reference: u32, c: &RawCheckin) -> Option<Identity> {
    let date = Date::parse(c.date.as_ref()?.value.as_str())?;
    let obs = match (&c.value, c.done()) {
        (Some(v), _) => ObsKey::value(v.value),
        (None, Some(d)) => ObsKey::Done(d.value),
        (None, None) => return None,
    };
    // A correction is not an observation of its own (SPEC 14 leaves corrections out).
    if c.correction().is_some() {
        return None;
    }
    Some((reference, date, obs))
}

#[cfg(test)]
mod tests;
