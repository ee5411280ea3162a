//! What changed in the goals between two sides (two revisions, or a revision and the work
//! tree): pure, from two validated [`Goals`] and their scorecards (both as of one date) to a
//! list of [`Change`]s. Items are matched by ref: objectives by (period, team, id), key
//! results within their objective, KPIs by (team, id). An item that disappeared under one id
//! and appeared under another with the same title in the same place is a rename, not a removal
//! plus an addition. Unchanged items are not listed.
//! [`rules`] holds the `check --base` history rules built on the same matching.

pub mod rules;

use crate::model::*;
use crate::score::Scorecard;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Objective,
    KeyResult,
    Kpi,
}

/// How an item changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    /// The id changed (and the ref with it); the title and place stayed.
    Renamed,
    Modified,
}

/// A value before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FromTo<T> {
    pub from: T,
    pub to: T,
}

impl<T: PartialEq> FromTo<T> {
    pub fn changed(&self) -> bool {
        self.from != self.to
    }
}

/// A start, target or critical threshold that moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moved {
    pub field: &'static str,
    pub from: f64,
    pub to: f64,
}

/// Another field that changed (weight, commitment, parent, owner, ...); values as JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub from: Value,
    pub to: Value,
}

/// A check-in as data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckinData {
    pub date: String,
    pub value: Option<f64>,
    pub done: Option<bool>,
    pub confidence: Option<f64>,
    pub note: Option<String>,
    pub by: Option<String>,
}

impl From<&Checkin> for CheckinData {
    fn from(c: &Checkin) -> Self {
        let (value, done) = match c.obs {
            Observation::Value(v) => (Some(v), None),
            Observation::Done(d) => (None, Some(d)),
        };
        CheckinData {
            date: c.date.to_string(),
            value,
            done,
            confidence: c.confidence,
            note: c.note().map(str::to_owned),
            by: c.by().map(str::to_owned),
        }
    }
}

/// One changed item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    #[serde(rename = "ref")]
    pub reference: String,
    pub kind: ItemKind,
    pub change: ChangeKind,
    /// The ref on the base side of a renamed item.
    pub renamed_from: Option<String>,
    pub team: String,
    /// The objective's period (objectives and key results).
    pub period: Option<String>,
    /// The title on the newer side (the old one for a removed item).
    pub title: String,
    pub title_changed: Option<FromTo<String>>,
    /// Starts and targets (key results), targets and critical thresholds (KPIs) that moved.
    pub moved: Vec<Moved>,
    /// A key result's start or target moved while its period is open at the as-of date.
    pub goalpost_moved: bool,
    pub fields: Vec<FieldChange>,
    pub checkins_added: Vec<CheckinData>,
    pub checkins_changed: Vec<FromTo<CheckinData>>,
    pub checkins_removed: Vec<CheckinData>,
    /// Objective score or key-result progress (null where the side has no such item).
    pub score: Option<FromTo<Option<f64>>>,
    /// A key result's current value or a KPI's latest value.
    pub value: Option<FromTo<Option<f64>>>,
    pub status: FromTo<Option<&'static str>>,
}

impl Change {
    fn new(reference: String, kind: ItemKind, change: ChangeKind, team: &str) -> Change {
        Change {
            reference,
            kind,
            change,
            renamed_from: None,
            team: team.to_owned(),
            period: None,
            title: String::new(),
            title_changed: None,
            moved: Vec::new(),
            goalpost_moved: false,
            fields: Vec::new(),
            checkins_added: Vec::new(),
            checkins_changed: Vec::new(),
            checkins_removed: Vec::new(),
            score: None,
            value: None,
            status: FromTo {
                from: None,
                to: None,
            },
        }
    }

    /// Whether anything is reported for a modified item.
    fn is_interesting(&self) -> bool {
        self.change != ChangeKind::Modified
            || self.title_changed.is_some()
            || !self.moved.is_empty()
            || !self.fields.is_empty()
            || !self.checkins_added.is_empty()
            || !self.checkins_changed.is_empty()
            || !self.checkins_removed.is_empty()
            || self.score.as_ref().is_some_and(FromTo::changed)
            || self.value.as_ref().is_some_and(FromTo::changed)
            || self.status.changed()
    }
}

/// One side of a comparison: goals and their scorecard.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub goals: &'a Goals,
    pub card: &'a Scorecard,
}

/// Whether two check-ins of one item on one date say the same thing.
pub fn same_checkin(a: &Checkin, b: &Checkin) -> bool {
    checkin_differences(a, b).is_empty()
}

/// The fields in which two check-ins differ ("value", "done", "confidence", "note", "by");
/// the date and where they are written are not compared.
pub fn checkin_differences(a: &Checkin, b: &Checkin) -> Vec<&'static str> {
    let mut out = Vec::new();
    match (a.obs, b.obs) {
        (Observation::Value(x), Observation::Value(y)) if x == y => {}
        (Observation::Done(x), Observation::Done(y)) if x == y => {}
        (Observation::Done(_), Observation::Done(_)) => out.push("done"),
        _ => out.push("value"),
    }
    if a.confidence != b.confidence {
        out.push("confidence");
    }
    if a.note() != b.note() {
        out.push("note");
    }
    if a.by() != b.by() {
        out.push("by");
    }
    out
}

/// A check-in in words: `value 6.1, confidence 0.6, note "price change"`.
pub fn describe_checkin(c: &Checkin) -> String {
    let mut parts = vec![match c.obs {
        Observation::Value(v) => format!("value {}", crate::text::num(v)),
        Observation::Done(d) => format!("done {d}"),
    }];
    if let Some(x) = c.confidence {
        parts.push(format!("confidence {}", crate::text::num(x)));
    }
    if let Some(n) = c.note() {
        parts.push(format!("note {n:?}"));
    }
    if let Some(b) = c.by() {
        parts.push(format!("by {b}"));
    }
    parts.join(", ")
}

/// Objective identity across sides.
pub(crate) type ObjectiveKey<'a> = (&'a str, &'a str, &'a str);

pub(crate) fn objective_key(o: &Objective) -> ObjectiveKey<'_> {
    (&o.period.name, &o.team, &o.id)
}

/// Indexes of one item on the base and head sides (`None` where it is absent).
pub(crate) type Pair = (Option<usize>, Option<usize>);

/// Pairs of indexes (base, head) of matching objectives, in head order with removed ones
/// placed by their period, team and id.
pub(crate) fn pair_objectives(base: &Goals, head: &Goals) -> Vec<Pair> {
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
pub(crate) fn pair_renames<'a>(
    pairs: &mut Vec<Pair>,
    key: impl Fn(bool, usize) -> (String, &'a str),
) {
    let mut gone: HashMap<(String, &str), Vec<usize>> = HashMap::new();
    let mut new: HashMap<(String, &str), Vec<usize>> = HashMap::new();
    for (n, pair) in pairs.iter().enumerate() {
        match *pair {
            (Some(b), None) => gone.entry(key(false, b)).or_default().push(n),
            (None, Some(h)) => new.entry(key(true, h)).or_default().push(n),
            _ => {}
        }
    }
    let mut drop = Vec::new();
    for (k, g) in &gone {
        if let ([g], Some([n])) = (g.as_slice(), new.get(k).map(Vec::as_slice)) {
            pairs[*n].0 = pairs[*g].0;
            drop.push(*g);
        }
    }
    drop.sort_unstable();
    for g in drop.into_iter().rev() {
        pairs.remove(g);
    }
}

/// Marks a change whose two sides have different refs as a rename.
fn mark_rename(c: &mut Change, base_ref: Option<String>) {
    if let Some(old) = base_ref
        && c.change == ChangeKind::Modified
        && old != c.reference
    {
        c.change = ChangeKind::Renamed;
        c.renamed_from = Some(old);
    }
}

/// Compares two sides scored as of the same date (`head.card.as_of`).
pub fn compare(base: Side, head: Side) -> Vec<Change> {
    let as_of = head.card.as_of;
    let mut out = Vec::new();
    let mut pairs = pair_objectives(base.goals, head.goals);
    pair_renames(&mut pairs, |is_head, i| {
        let o = if is_head {
            &head.goals.objectives[i]
        } else {
            &base.goals.objectives[i]
        };
        (format!("{}\0{}", o.period.name, o.team), o.title.as_str())
    });
    for (b, h) in pairs {
        let bo = b.map(|i| (&base.goals.objectives[i], &base.card.objectives[i]));
        let ho = h.map(|i| (&head.goals.objectives[i], &head.card.objectives[i]));
        let Some((o, _)) = ho.or(bo) else { continue };
        let mut c = Change::new(
            o.reference().to_string(),
            ItemKind::Objective,
            kind_of(b, h),
            &o.team,
        );
        mark_rename(&mut c, bo.map(|(o, _)| o.reference().to_string()));
        c.period = Some(o.period.name.clone());
        c.title = o.title.clone();
        if let (Some((bo, _)), Some((ho, _))) = (bo, ho) {
            if bo.title != ho.title {
                c.title_changed = Some(FromTo {
                    from: bo.title.clone(),
                    to: ho.title.clone(),
                });
            }
            field(&mut c, "owner", json!(bo.owner), json!(ho.owner));
            field(
                &mut c,
                "commitment",
                json!(bo.commitment.as_str()),
                json!(ho.commitment.as_str()),
            );
            let parent = |g: &Goals, o: &Objective| json!(g.parent_ref(o));
            field(
                &mut c,
                "parent",
                parent(base.goals, bo),
                parent(head.goals, ho),
            );
            let guards = |g: &Goals, o: &Objective| -> Value {
                json!(
                    o.guardrails
                        .iter()
                        .map(|&k| g.kpi(k).reference().to_string())
                        .collect::<Vec<_>>()
                )
            };
            field(
                &mut c,
                "guardrails",
                guards(base.goals, bo),
                guards(head.goals, ho),
            );
        }
        c.score = Some(FromTo {
            from: bo.map(|(_, s)| s.score),
            to: ho.map(|(_, s)| s.score),
        });
        c.status = FromTo {
            from: bo.map(|(_, s)| s.status.as_str()),
            to: ho.map(|(_, s)| s.status.as_str()),
        };
        let open = o.period.contains(as_of);
        let krs = key_results(base, head, b, h, open);
        if c.is_interesting() {
            out.push(c);
        }
        out.extend(krs);
    }
    out.extend(kpis(base, head));
    out
}

fn kind_of(b: Option<usize>, h: Option<usize>) -> ChangeKind {
    match (b, h) {
        (None, _) => ChangeKind::Added,
        (_, None) => ChangeKind::Removed,
        _ => ChangeKind::Modified,
    }
}

fn field(c: &mut Change, name: &'static str, from: Value, to: Value) {
    if from != to {
        c.fields.push(FieldChange {
            field: name,
            from,
            to,
        });
    }
}

/// The key results of one objective pair: head order, then removed ones in base order.
fn key_results(
    base: Side,
    head: Side,
    b: Option<usize>,
    h: Option<usize>,
    open: bool,
) -> Vec<Change> {
    let bo = b.map(|i| (&base.goals.objectives[i], &base.card.objectives[i]));
    let ho = h.map(|i| (&head.goals.objectives[i], &head.card.objectives[i]));
    let mut pairs: Vec<Pair> = Vec::new();
    if let Some((o, _)) = ho {
        for (j, kr) in o.key_results.iter().enumerate() {
            let old = bo.and_then(|(bo, _)| bo.key_results.iter().position(|k| k.id == kr.id));
            pairs.push((old, Some(j)));
        }
    }
    if let Some((o, _)) = bo {
        for (j, kr) in o.key_results.iter().enumerate() {
            let kept = ho.is_some_and(|(ho, _)| ho.key_results.iter().any(|k| k.id == kr.id));
            if !kept {
                pairs.push((Some(j), None));
            }
        }
    }
    if let (Some((bo, _)), Some((ho, _))) = (bo, ho) {
        pair_renames(&mut pairs, |is_head, j| {
            let kr = if is_head {
                &ho.key_results[j]
            } else {
                &bo.key_results[j]
            };
            (String::new(), kr.title.as_str())
        });
    }
    let mut out = Vec::new();
    for (bj, hj) in pairs {
        let bk = bj.and_then(|j| bo.map(|(o, s)| (o, &o.key_results[j], &s.key_results[j])));
        let hk = hj.and_then(|j| ho.map(|(o, s)| (o, &o.key_results[j], &s.key_results[j])));
        let Some((o, kr, _)) = hk.or(bk) else {
            continue;
        };
        let reference = format!("{}/{}", o.reference(), kr.id);
        let mut c = Change::new(reference, ItemKind::KeyResult, kind_of(bj, hj), &o.team);
        // A key result is renamed when its own id changed, not when its objective's did.
        if let (Some((_, bkr, _)), Some((ho, hkr, _))) = (bk, hk)
            && bkr.id != hkr.id
        {
            mark_rename(&mut c, Some(format!("{}/{}", ho.reference(), bkr.id)));
        }
        c.period = Some(o.period.name.clone());
        c.title = kr.title.clone();
        if let (Some((_, bk, _)), Some((_, hk, _))) = (bk, hk) {
            if bk.title != hk.title {
                c.title_changed = Some(FromTo {
                    from: bk.title.clone(),
                    to: hk.title.clone(),
                });
            }
            if let (Some((s0, t0)), Some((s1, t1))) =
                (bk.kind.start_target(), hk.kind.start_target())
            {
                for (name, from, to) in [("start", s0, s1), ("target", t0, t1)] {
                    if from != to {
                        c.moved.push(Moved {
                            field: name,
                            from,
                            to,
                        });
                    }
                }
            }
            c.goalpost_moved = open && !c.moved.is_empty();
            field(
                &mut c,
                "kind",
                json!(bk.kind.kind().as_str()),
                json!(hk.kind.kind().as_str()),
            );
            field(&mut c, "weight", json!(bk.weight), json!(hk.weight));
            field(&mut c, "unit", json!(bk.unit), json!(hk.unit));
            let link =
                |g: &Goals, k: &KeyResult| json!(k.kpi.map(|i| g.kpi(i).reference().to_string()));
            field(&mut c, "kpi", link(base.goals, bk), link(head.goals, hk));
            checkins(&mut c, &bk.checkins, &hk.checkins);
        } else if let Some((_, k, _)) = hk {
            checkins(&mut c, &[], &k.checkins);
        }
        c.score = Some(FromTo {
            from: bk.map(|(_, _, s)| s.progress),
            to: hk.map(|(_, _, s)| s.progress),
        });
        c.value = Some(FromTo {
            from: bk.and_then(|(_, _, s)| s.current),
            to: hk.and_then(|(_, _, s)| s.current),
        });
        c.status = FromTo {
            from: bk.map(|(_, _, s)| s.status.as_str()),
            to: hk.map(|(_, _, s)| s.status.as_str()),
        };
        if c.is_interesting() {
            out.push(c);
        }
    }
    out
}

fn kpis(base: Side, head: Side) -> Vec<Change> {
    let mut all: BTreeMap<(&str, &str), Pair> = BTreeMap::new();
    for (i, k) in base.goals.kpis.iter().enumerate() {
        all.entry((&k.team, &k.id)).or_default().0 = Some(i);
    }
    for (i, k) in head.goals.kpis.iter().enumerate() {
        all.entry((&k.team, &k.id)).or_default().1 = Some(i);
    }
    let mut pairs: Vec<Pair> = all.into_values().collect();
    pair_renames(&mut pairs, |is_head, i| {
        let k = if is_head {
            &head.goals.kpis[i]
        } else {
            &base.goals.kpis[i]
        };
        (k.team.clone(), k.title.as_str())
    });
    let mut out = Vec::new();
    for (b, h) in pairs {
        let bk = b.map(|i| (&base.goals.kpis[i], &base.card.kpis[i]));
        let hk = h.map(|i| (&head.goals.kpis[i], &head.card.kpis[i]));
        let Some((k, _)) = hk.or(bk) else { continue };
        let mut c = Change::new(
            k.reference().to_string(),
            ItemKind::Kpi,
            kind_of(b, h),
            &k.team,
        );
        mark_rename(&mut c, bk.map(|(k, _)| k.reference().to_string()));
        c.title = k.title.clone();
        if let (Some((bk, _)), Some((hk, _))) = (bk, hk) {
            if bk.title != hk.title {
                c.title_changed = Some(FromTo {
                    from: bk.title.clone(),
                    to: hk.title.clone(),
                });
            }
            if bk.target != hk.target {
                c.moved.push(Moved {
                    field: "target",
                    from: bk.target,
                    to: hk.target,
                });
            }
            match (bk.critical, hk.critical) {
                (Some(from), Some(to)) if from != to => c.moved.push(Moved {
                    field: "critical",
                    from,
                    to,
                }),
                (from, to) if from.is_none() != to.is_none() => {
                    field(&mut c, "critical", json!(from), json!(to));
                }
                _ => {}
            }
            field(
                &mut c,
                "better",
                json!(bk.better.as_str()),
                json!(hk.better.as_str()),
            );
            field(
                &mut c,
                "cadence",
                json!(bk.cadence.as_str()),
                json!(hk.cadence.as_str()),
            );
            field(&mut c, "unit", json!(bk.unit), json!(hk.unit));
            field(&mut c, "owner", json!(bk.owner), json!(hk.owner));
            checkins(&mut c, &bk.checkins, &hk.checkins);
        } else if let Some((k, _)) = hk {
            checkins(&mut c, &[], &k.checkins);
        }
        c.value = Some(FromTo {
            from: bk.and_then(|(_, s)| s.value),
            to: hk.and_then(|(_, s)| s.value),
        });
        c.status = FromTo {
            from: bk.map(|(_, s)| s.status.as_str()),
            to: hk.map(|(_, s)| s.status.as_str()),
        };
        if c.is_interesting() {
            out.push(c);
        }
    }
    out
}

/// Check-ins added, changed and removed between two date-sorted lists (one per date).
fn checkins(c: &mut Change, base: &[Checkin], head: &[Checkin]) {
    let old: HashMap<Date, &Checkin> = base.iter().map(|k| (k.date, k)).collect();
    for k in head {
        match old.get(&k.date) {
            None => c.checkins_added.push(k.into()),
            Some(o) if !same_checkin(o, k) => c.checkins_changed.push(FromTo {
                from: (*o).into(),
                to: k.into(),
            }),
            Some(_) => {}
        }
    }
    let new: HashMap<Date, &Checkin> = head.iter().map(|k| (k.date, k)).collect();
    c.checkins_removed.extend(
        base.iter()
            .filter(|k| !new.contains_key(&k.date))
            .map(Into::into),
    );
}

#[cfg(test)]
mod tests;
