//! The one semantic diff engine: what changed in the goals between two versions, as typed
//! values ([`ItemChange`], [`change`]). [`compare`] takes two validated [`Goals`] (with their
//! scorecards as of one date, for figures before → after) and is what `diff` shows and what
//! the `check --base` history rules ([`rules`]) judge; `log` runs the same item comparison
//! ([`item`]) on each commit's versions of an item (`crate::history`). Items are matched by
//! ref: objectives by (period, team, id), key results within their objective, KPIs by (team,
//! id). An item that disappeared under one id and appeared under another with the same title
//! in the same place is a rename, not a removal plus an addition. Unchanged items are not
//! listed. Nothing here makes text.

pub(crate) mod change;
pub(crate) mod item;
pub(crate) mod rules;
mod touched;

pub(crate) use change::{
    ChangeKind, CheckinChanges, Field, Figures, FromTo, ItemChange, ItemKind, ItemStatus, Revised,
    Wording, checkin_differences, compare_drops, compare_revisions, drop_words, first_difference,
    revision_words, same_checkin, same_drop, same_revision,
};
pub(crate) use item::{ItemFields, compare_checkins, field_changes, pair_checkins};
pub(crate) use touched::Touched;

use crate::model::*;
use crate::score::Scorecard;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What changed in an upstream snapshot between two versions of this repository (SPEC 13:
/// a bump of its pin shows as upstream changes).
#[derive(Debug, Clone)]
pub(crate) struct UpstreamChanges {
    pub name: String,
    /// The commit pinned on the older side; `None` when it had no snapshot.
    pub before: Option<String>,
    /// The commit pinned on the newer side; `None` when it has no snapshot.
    pub after: Option<String>,
    pub changes: Vec<ItemChange>,
}

/// One side of a comparison: goals, and their scorecard when figures are wanted.
#[derive(Clone, Copy)]
pub(crate) struct Side<'a> {
    pub goals: &'a Goals,
    pub card: Option<&'a Scorecard>,
}

impl<'a> Side<'a> {
    /// Goals and their figures.
    pub(crate) fn scored(goals: &'a Goals, card: &'a Scorecard) -> Side<'a> {
        Side {
            goals,
            card: Some(card),
        }
    }

    /// Goals without figures.
    pub(crate) fn unscored(goals: &'a Goals) -> Side<'a> {
        Side { goals, card: None }
    }
}

/// How items are matched.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options<'a> {
    /// Pair an item gone under one id with one new under another id, same title, same place
    /// (a rename). Off for the history rules, where a check-in belongs to its ref.
    pub renames: bool,
    /// The date that decides whether a period is open (`goalpost_moved`).
    pub as_of: Date,
    /// Base items built with placeholder values ([`crate::validate::Validated::flawed`]):
    /// their fields are not compared (their check-ins are), and their changes say so.
    pub flawed: Option<&'a HashSet<Span>>,
}

impl Options<'_> {
    fn is_flawed(&self, span: Span) -> bool {
        self.flawed.is_some_and(|f| f.contains(&span))
    }
}

/// Indexes of one item on the base and head sides (`None` where it is absent).
pub(crate) type Pair = (Option<usize>, Option<usize>);

/// Objective identity across sides.
type ObjectiveKey<'a> = (&'a str, &'a str, &'a str);

fn objective_key(o: &Objective) -> ObjectiveKey<'_> {
    (&o.period.name, &o.team, &o.id)
}

/// Pairs of indexes (base, head) of matching objectives, in period, team and id order.
fn pair_objectives(base: &Goals, head: &Goals) -> Vec<Pair> {
    let mut all: BTreeMap<(Date, Date, ObjectiveKey), Pair> = BTreeMap::new();
    for (i, o) in base.objectives.iter().enumerate() {
        all.entry((o.period.start, o.period.end, objective_key(o)))
            .or_default()
            .0 = Some(i);
    }
    for (i, o) in head.objectives.iter().enumerate() {
        all.entry((o.period.start, o.period.end, objective_key(o)))
            .or_default()
            .1 = Some(i);
    }
    all.into_values().collect()
}

/// Pairs items that are only on the base side with items only on the head side when they
/// share a group (the team and period, or the objective) and a title, and nothing else in that
/// group has that title on either side: the id was renamed. `key(side_is_head, index)` gives
/// an item's group and title.
pub(crate) fn pair_renames<'a, G: std::hash::Hash + Eq>(
    pairs: &mut Vec<Pair>,
    key: impl Fn(bool, usize) -> (G, &'a str),
) {
    let mut gone: HashMap<(G, &str), Vec<usize>> = HashMap::new();
    let mut new: HashMap<(G, &str), Vec<usize>> = HashMap::new();
    for (n, pair) in pairs.iter().enumerate() {
        match *pair {
            (Some(b), None) => gone.entry(key(false, b)).or_default().push(n),
            (None, Some(h)) => new.entry(key(true, h)).or_default().push(n),
            _ => {}
        }
    }
    let mut drop = vec![false; pairs.len()];
    for (k, g) in &gone {
        if let ([g], Some([n])) = (g.as_slice(), new.get(k).map(Vec::as_slice)) {
            pairs[*n].0 = pairs[*g].0;
            drop[*g] = true;
        }
    }
    // One pass, not a removal per rename: thousands of renamed items stay linear.
    let mut at = 0;
    pairs.retain(|_| {
        at += 1;
        !drop[at - 1]
    });
}

/// Pairs two lists of children by id (head order, then the removed ones in base order), and
/// then by title when `renames` (see [`pair_renames`]).
pub(crate) fn pair_children<'a, T>(
    base: &'a [T],
    head: &'a [T],
    id: impl Fn(&T) -> &str,
    title: impl Fn(&'a T) -> &'a str,
    renames: bool,
) -> Vec<Pair> {
    // Each side's first child of each id, by id: looked up once per child, so a map rather
    // than a scan of the other side (an objective may have thousands of key results).
    let first = |side: &'a [T]| {
        let mut first: HashMap<&str, usize> = HashMap::with_capacity(side.len());
        for (j, t) in side.iter().enumerate() {
            first.entry(id(t)).or_insert(j);
        }
        first
    };
    let (in_base, in_head) = (first(base), first(head));
    let mut pairs: Vec<Pair> = Vec::with_capacity(head.len());
    for (j, h) in head.iter().enumerate() {
        pairs.push((in_base.get(id(h)).copied(), Some(j)));
    }
    for (j, b) in base.iter().enumerate() {
        if !in_head.contains_key(id(b)) {
            pairs.push((Some(j), None));
        }
    }
    if renames && !base.is_empty() && !head.is_empty() {
        pair_renames(&mut pairs, |is_head, j| {
            let t = if is_head { &head[j] } else { &base[j] };
            ((), title(t))
        });
    }
    pairs
}

/// What happened to an item present on the sides given.
pub(crate) fn kind_of<T>(b: Option<T>, h: Option<T>) -> ChangeKind {
    match (b, h) {
        (None, _) => ChangeKind::Added,
        (_, None) => ChangeKind::Removed,
        _ => ChangeKind::Modified,
    }
}

/// Compares two sides scored as of the same date, pairing renamed items: what `diff` shows.
pub(crate) fn compare(base: Side, head: Side, as_of: Date) -> Vec<ItemChange> {
    compare_with(
        base,
        head,
        Options {
            renames: true,
            as_of,
            flawed: None,
        },
    )
}

/// [`compare`] with explicit matching options.
pub(crate) fn compare_with(base: Side, head: Side, opts: Options<'_>) -> Vec<ItemChange> {
    let mut out = Vec::new();
    let mut pairs = pair_objectives(base.goals, head.goals);
    if opts.renames {
        pair_renames(&mut pairs, |is_head, i| {
            let o = if is_head {
                &head.goals.objectives[i]
            } else {
                &base.goals.objectives[i]
            };
            ((o.period.name.as_str(), o.team.as_str()), o.title.as_str())
        });
    }
    for (b, h) in pairs {
        let bo = b.map(|i| &base.goals.objectives[i]);
        let ho = h.map(|i| &head.goals.objectives[i]);
        let Some(o) = ho.or(bo) else { continue };
        let mut c = ItemChange::new(o.reference(), ItemKind::Objective, kind_of(b, h));
        if let Some(old) = bo.map(Objective::reference) {
            mark_rename(&mut c, old);
        }
        c.period = Some(o.period.name.clone());
        c.title = o.title.clone();
        c.base_span = bo.map(|o| o.span);
        c.head_span = ho.map(|o| o.span);
        // A drop is history like a check-in: one that came with a new item is listed with
        // it, one that went with a removed item is gone with it.
        c.dropped = compare_drops(
            bo.and_then(|o| o.dropped.as_ref()),
            ho.and_then(|o| o.dropped.as_ref()),
        );
        if let (Some(bo), Some(ho)) = (bo, ho) {
            c.fields = field_changes(
                &ItemFields::objective(base.goals, bo),
                &ItemFields::objective(head.goals, ho),
            );
        }
        if let (Some(bc), Some(hc)) = (base.card, head.card) {
            let bs = b.map(|i| &bc.objectives[i]);
            let hs = h.map(|i| &hc.objectives[i]);
            c.figures = Some(Figures {
                score: Some(FromTo::new(bs.map(|s| s.score), hs.map(|s| s.score))),
                value: None,
                status: FromTo::new(
                    bs.map(|s| ItemStatus::Goal(s.status)),
                    hs.map(|s| ItemStatus::Goal(s.status)),
                ),
            });
        }
        let open = o.period.contains(opts.as_of);
        let krs = key_results(base, head, b, h, open, opts);
        if c.is_interesting() {
            out.push(c);
        }
        out.extend(krs);
    }
    out.extend(kpis(base, head, opts));
    out
}

/// Marks a change whose two sides have different refs as a rename.
fn mark_rename(c: &mut ItemChange, base_ref: Ref) {
    if c.change == ChangeKind::Modified && base_ref != c.reference {
        c.change = ChangeKind::Renamed;
        c.renamed_from = Some(base_ref);
    }
}

/// The key results of one objective pair: head order, then removed ones in base order.
fn key_results(
    base: Side,
    head: Side,
    b: Option<usize>,
    h: Option<usize>,
    open: bool,
    opts: Options<'_>,
) -> Vec<ItemChange> {
    let bo = b.map(|i| &base.goals.objectives[i]);
    let ho = h.map(|i| &head.goals.objectives[i]);
    let none: &[KeyResult] = &[];
    let pairs = pair_children(
        bo.map_or(none, |o| &o.key_results),
        ho.map_or(none, |o| &o.key_results),
        |k| &k.id,
        |k| &k.title,
        opts.renames && bo.is_some() && ho.is_some(),
    );
    let mut out = Vec::new();
    for (bj, hj) in pairs {
        let bk = bj.and_then(|j| bo.map(|o| (o, &o.key_results[j])));
        let hk = hj.and_then(|j| ho.map(|o| (o, &o.key_results[j])));
        let Some((o, kr)) = hk.or(bk) else { continue };
        let mut c = ItemChange::new(o.kr_ref(kr), ItemKind::KeyResult, kind_of(bj, hj));
        // A key result is renamed when its own id changed, not when its objective's did.
        if let (Some((_, bkr)), Some((ho, hkr))) = (bk, hk)
            && bkr.id != hkr.id
        {
            mark_rename(&mut c, ho.kr_ref(bkr));
        }
        c.period = Some(o.period.name.clone());
        c.title = kr.title.clone();
        c.base_span = bk.map(|(_, k)| k.span);
        c.head_span = hk.map(|(_, k)| k.span);
        // Revisions and drops are history (SPEC 3.4), compared by content on every side, as
        // check-ins are; an appended revision is not a moved target (the written `start` and
        // `target` are what `goalpost_moved` compares).
        let none_rev: &[Revision] = &[];
        c.revisions = compare_revisions(
            bk.map_or(none_rev, |(_, k)| &k.revisions),
            hk.map_or(none_rev, |(_, k)| &k.revisions),
            hk.and_then(|(_, k)| k.kind.bounds()),
        );
        c.dropped = compare_drops(
            bk.and_then(|(_, k)| k.dropped.as_ref()),
            hk.and_then(|(_, k)| k.dropped.as_ref()),
        );
        match (bk, hk) {
            (Some((_, bk)), Some((_, hk))) if opts.is_flawed(bk.span) => {
                c.base_flawed = true;
                c.checkins = compare_checkins(&bk.checkins, &hk.checkins);
            }
            (Some((_, bk)), Some((_, hk))) => {
                c.fields = field_changes(
                    &ItemFields::key_result(base.goals, bk),
                    &ItemFields::key_result(head.goals, hk),
                );
                // A due date changed in place, on a kind that takes one (a milestone, see
                // `KrKind::takes`), moves its expected progress (SPEC 5) as much as a moved
                // target does (SPEC 8).
                let takes_due = |k: &KeyResult| k.kind.kind().takes(KrKey::Due) != Takes::Refused;
                c.goalpost_moved = open
                    && c.fields.iter().any(|f| {
                        matches!(f, Field::Start(_) | Field::Target(_))
                            || matches!(f, Field::Due(_)) && takes_due(bk) && takes_due(hk)
                    });
                c.checkins = compare_checkins(&bk.checkins, &hk.checkins);
            }
            (None, Some((_, hk))) => c.checkins = compare_checkins(&[], &hk.checkins),
            // A removed item's check-ins are listed as removed only for the history rules:
            // they are what `diff` reports as "removed" with the item.
            (Some((_, bk)), None) => c.checkins = compare_checkins(&bk.checkins, &[]),
            (None, None) => {}
        }
        if let (Some(bc), Some(hc)) = (base.card, head.card) {
            let bs = bj.and_then(|j| b.map(|i| &bc.objectives[i].key_results[j]));
            let hs = hj.and_then(|j| h.map(|i| &hc.objectives[i].key_results[j]));
            c.figures = Some(Figures {
                score: Some(FromTo::new(bs.map(|s| s.progress), hs.map(|s| s.progress))),
                value: Some(FromTo::new(
                    bs.and_then(|s| s.current),
                    hs.and_then(|s| s.current),
                )),
                status: FromTo::new(
                    bs.map(|s| ItemStatus::Goal(s.status)),
                    hs.map(|s| ItemStatus::Goal(s.status)),
                ),
            });
        }
        if c.is_interesting() {
            out.push(c);
        }
    }
    out
}

fn kpis(base: Side, head: Side, opts: Options<'_>) -> Vec<ItemChange> {
    let mut all: BTreeMap<(&str, &str), Pair> = BTreeMap::new();
    for (i, k) in base.goals.kpis.iter().enumerate() {
        all.entry((&k.team, &k.id)).or_default().0 = Some(i);
    }
    for (i, k) in head.goals.kpis.iter().enumerate() {
        all.entry((&k.team, &k.id)).or_default().1 = Some(i);
    }
    let mut pairs: Vec<Pair> = all.into_values().collect();
    if opts.renames {
        pair_renames(&mut pairs, |is_head, i| {
            let k = if is_head {
                &head.goals.kpis[i]
            } else {
                &base.goals.kpis[i]
            };
            (k.team.as_str(), k.title.as_str())
        });
    }
    let mut out = Vec::new();
    for (b, h) in pairs {
        let bk = b.map(|i| &base.goals.kpis[i]);
        let hk = h.map(|i| &head.goals.kpis[i]);
        let Some(k) = hk.or(bk) else { continue };
        let mut c = ItemChange::new(k.reference(), ItemKind::Kpi, kind_of(b, h));
        if let Some(old) = bk.map(Kpi::reference) {
            mark_rename(&mut c, old);
        }
        c.title = k.title.clone();
        c.base_span = bk.map(|k| k.span);
        c.head_span = hk.map(|k| k.span);
        match (bk, hk) {
            (Some(bk), Some(hk)) => {
                c.fields = field_changes(&ItemFields::kpi(bk), &ItemFields::kpi(hk));
                c.checkins = compare_checkins(&bk.checkins, &hk.checkins);
            }
            (None, Some(hk)) => c.checkins = compare_checkins(&[], &hk.checkins),
            (Some(bk), None) => c.checkins = compare_checkins(&bk.checkins, &[]),
            (None, None) => {}
        }
        if let (Some(bc), Some(hc)) = (base.card, head.card) {
            let bs = b.map(|i| &bc.kpis[i]);
            let hs = h.map(|i| &hc.kpis[i]);
            c.figures = Some(Figures {
                score: None,
                value: Some(FromTo::new(
                    bs.and_then(|s| s.value),
                    hs.and_then(|s| s.value),
                )),
                status: FromTo::new(
                    bs.map(|s| ItemStatus::Kpi(s.status)),
                    hs.map(|s| ItemStatus::Kpi(s.status)),
                ),
            });
        }
        if c.is_interesting() {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests;
