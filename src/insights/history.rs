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
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// An observation as a hashable key: a value's bits (with −0 as 0), or a milestone state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ObsKey {
    Value(u64),
    Done(bool),
}

impl ObsKey {
    pub(crate) fn value(v: f64) -> ObsKey {
        ObsKey::Value((v + 0.0).to_bits())
    }
}

/// One check-in as history knows it: the ref it is written for, its date, its observation.
pub(crate) type Identity = (String, Date, ObsKey);

/// A metric key result by team, period, objective and id.
pub(crate) type KrKey = (String, String, String, String);

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
    /// Each check-in committed: the earliest author date of a commit that added it.
    pub committed: HashMap<Identity, Date>,
    /// Every in-place edit of a metric key result's plan, in walk order.
    pub moves: Vec<Move>,
}

/// The parts of one version of a goal file that history compares.
#[derive(Debug, Default)]
struct Facts {
    checkins: HashSet<Identity>,
    plans: HashMap<KrKey, Plan>,
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
    let start = match start {
        Some(rev) => rev.commit,
        None => match git.head()? {
            Some(id) => id,
            None => return Ok(History::default()),
        },
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
        facts: HashMap::new(),
        out: History::default(),
    };
    // Parents before children.
    for &id in commits.iter().rev() {
        walk.commit(id, roots)?;
    }
    Ok(walk.out)
}

struct Walk<'r> {
    git: &'r Reader<'r>,
    /// The parsed facts of the last version seen of each path (a child's old side is its
    /// parent's new side).
    facts: HashMap<String, (Oid, Rc<Facts>)>,
    out: History,
}

impl Walk<'_> {
    fn commit(&mut self, id: Oid, roots: &[String]) -> Result<(), HistoryError> {
        let info = self.git.commit(id)?;
        let a = &info.author;
        let Some(date) = Date::of_moment(a.seconds, a.offset_minutes) else {
            return Ok(());
        };
        let first = info.parents.first().copied();
        let changed = self.git.changed_files(first, id, roots)?;
        // Check-ins added against the first parent: removed lines cancel added ones, so a
        // check-in moved from one file to another is not new.
        let mut added: HashSet<Identity> = HashSet::new();
        let mut removed: HashSet<Identity> = HashSet::new();
        let mut moves: Vec<Move> = Vec::new();
        for (path, old, new) in &changed {
            if let (Some(o), Some(n)) = (old, new)
                && self.lines(*o, *n, &mut removed, &mut added)?
            {
                continue;
            }
            let before = self.facts_of(path, *old)?;
            let after = self.facts_of(path, *new)?;
            added.extend(after.checkins.difference(&before.checkins).cloned());
            removed.extend(before.checkins.difference(&after.checkins).cloned());
            for (key, plan) in &after.plans {
                let Some(old_plan) = before.plans.get(key) else {
                    continue;
                };
                if old_plan.written != plan.written {
                    moves.push(Move {
                        key: key.clone(),
                        commit: id.to_string(),
                        author: a.name.clone(),
                        date,
                        before: old_plan.written,
                        after: plan.written,
                        sizes: (old_plan.size(date), plan.size(date)),
                    });
                }
            }
        }
        for c in added.difference(&removed) {
            self.out
                .committed
                .entry(c.clone())
                .and_modify(|d| *d = (*d).min(date))
                .or_insert(date);
        }
        // A merge moved a plan only where every parent had it otherwise.
        for &p in info.parents.iter().skip(1) {
            if moves.is_empty() {
                break;
            }
            let other = self.git.changed_files(Some(p), id, roots)?;
            let mut keep = Vec::new();
            for m in moves {
                if self.moved_against(&other, &m)? {
                    keep.push(m);
                }
            }
            moves = keep;
        }
        moves.sort_by(|x, y| x.key.cmp(&y.key));
        self.out.moves.extend(moves);
        Ok(())
    }

    /// Whether the key result's written plan differs between another parent's tree and the
    /// commit's (`changed` compares the two).
    fn moved_against(
        &mut self,
        changed: &[crate::git::ChangedFile],
        m: &Move,
    ) -> Result<bool, HistoryError> {
        for (_, old, new) in changed {
            let after = self.facts_uncached(*new)?;
            if after.plans.get(&m.key).map(|p| p.written) != Some(m.after) {
                continue;
            }
            let before = self.facts_uncached(*old)?;
            return Ok(before
                .plans
                .get(&m.key)
                .is_some_and(|p| p.written != m.after));
        }
        Ok(false)
    }

    /// The check-ins on a log's changed lines; `false` when a changed line is anything but
    /// a one-line check-in with a ref, a comment or a blank line.
    fn lines(
        &mut self,
        old: Oid,
        new: Oid,
        removed: &mut HashSet<Identity>,
        added: &mut HashSet<Identity>,
    ) -> Result<bool, HistoryError> {
        let (Some(a), Some(b)) = (self.blob(old)?, self.blob(new)?) else {
            return Ok(false);
        };
        let (gone, came) = lines::changed_lines(&a, &b);
        let mut found: (Vec<Identity>, Vec<Identity>) = (Vec::new(), Vec::new());
        for (list, into) in [(gone, &mut found.0), (came, &mut found.1)] {
            for l in list {
                match lines::classify_any(l) {
                    Line::Nothing => {}
                    Line::Checkin(c) => match logged(&c) {
                        Some(i) => into.push(i),
                        None => return Ok(false),
                    },
                    Line::Other | Line::Unknown => return Ok(false),
                }
            }
        }
        removed.extend(found.0);
        added.extend(found.1);
        Ok(true)
    }

    fn blob(&self, id: Oid) -> Result<Option<Vec<u8>>, HistoryError> {
        Ok(self.git.blob(id, crate::load::MAX_FILE_BYTES)?)
    }

    /// The facts of one version of a path, parsed once per version in a row.
    fn facts_of(&mut self, path: &str, blob: Option<Oid>) -> Result<Rc<Facts>, HistoryError> {
        let Some(blob) = blob else {
            return Ok(Rc::default());
        };
        if let Some((b, f)) = self.facts.get(path)
            && *b == blob
        {
            return Ok(Rc::clone(f));
        }
        let f = self.facts_uncached(Some(blob))?;
        self.facts.insert(path.to_owned(), (blob, Rc::clone(&f)));
        Ok(f)
    }

    fn facts_uncached(&self, blob: Option<Oid>) -> Result<Rc<Facts>, HistoryError> {
        let Some(blob) = blob else {
            return Ok(Rc::default());
        };
        let Some(bytes) = self.blob(blob)? else {
            return Ok(Rc::default());
        };
        Ok(Rc::new(match crate::load::decode(&bytes, 0) {
            Err(_) => Facts::default(),
            Ok(text) => match crate::load::parse_file(0, &text).0 {
                Some(raw) => Facts::of(&raw),
                None => Facts::default(),
            },
        }))
    }
}

/// A logged check-in's identity (it names its ref).
fn logged(c: &RawCheckin) -> Option<Identity> {
    let r = c.reference()?.value.clone();
    identity(r, c)
}

fn identity(reference: String, c: &RawCheckin) -> Option<Identity> {
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

impl Facts {
    fn of(raw: &RawFile) -> Facts {
        let mut f = Facts::default();
        let team = raw.team.as_ref().map(|t| t.value.as_str());
        let period = raw.period.as_ref().map(|p| p.value.as_str());
        for c in raw.checkins.iter().flatten() {
            if let Some(i) = logged(c) {
                f.checkins.insert(i);
            }
        }
        let Some(team) = team else {
            return f;
        };
        for k in raw.kpis.iter().flatten() {
            let Some(id) = &k.id else { continue };
            for c in k.checkins.iter().flatten() {
                if let Some(i) = identity(format!("{team}/{}", id.value), c) {
                    f.checkins.insert(i);
                }
            }
        }
        for o in raw.objectives.iter().flatten() {
            let Some(oid) = &o.id else { continue };
            for kr in o.key_results.iter().flatten() {
                let Some(kid) = &kr.id else { continue };
                for c in kr.checkins.iter().flatten() {
                    let r = format!("{team}/{}/{}", oid.value, kid.value);
                    if let Some(i) = identity(r, c) {
                        f.checkins.insert(i);
                    }
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
                    f.plans.insert(
                        (
                            team.to_owned(),
                            period.to_owned(),
                            oid.value.clone(),
                            kid.value.clone(),
                        ),
                        Plan {
                            written: (s.value, t.value),
                            revisions,
                        },
                    );
                }
            }
        }
        f
    }
}
