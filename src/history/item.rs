//! One item as written in one version of one file (a [`Version`]: its typed fields, defaults
//! applied, and its check-ins by date), and what changed between two versions, computed by
//! the engine ([`crate::diff::item`]) as [`ItemChange`]s. Pure: bytes in, values out.

use crate::diff::item::{KpiFields, KrFields, ObjectiveFields};
use crate::diff::{
    ChangeKind, CheckinChanges, ItemChange, ItemFields, ItemKind, compare_drops, compare_revisions,
    field_changes, pair_checkins,
};
use crate::load::raw::{RawCheckin, RawDropped, RawFile, RawKeyResult, RawRevision, Sp};
use crate::model::{Checkin, CheckinText, Date, Dropped, Observation, Ref, Revision, Span};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Which item a history is about, as it is named in goal files.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ItemKey {
    Objective {
        team: String,
        period: String,
        id: String,
    },
    KeyResult {
        team: String,
        period: String,
        objective: String,
        id: String,
        /// The objective's period: log check-ins of this ref outside it belong to the same
        /// ref in another period.
        start: Date,
        end: Date,
    },
    Kpi {
        team: String,
        id: String,
    },
}

impl ItemKey {
    /// The item's ref (check-in logs name key results and KPIs by it).
    pub(crate) fn reference(&self) -> Ref {
        match self {
            ItemKey::Objective { team, id, .. } | ItemKey::Kpi { team, id } => Ref::item(team, id),
            ItemKey::KeyResult {
                team,
                objective,
                id,
                ..
            } => Ref::key_result(team, objective, id),
        }
    }

    pub(crate) fn kind(&self) -> ItemKind {
        match self {
            ItemKey::Objective { .. } => ItemKind::Objective,
            ItemKey::KeyResult { .. } => ItemKind::KeyResult,
            ItemKey::Kpi { .. } => ItemKind::Kpi,
        }
    }

    fn period(&self) -> Option<&str> {
        match self {
            ItemKey::Objective { period, .. } | ItemKey::KeyResult { period, .. } => Some(period),
            ItemKey::Kpi { .. } => None,
        }
    }

    /// Whether a logged check-in of this ref dated `date` belongs to this item.
    fn takes_log_date(&self, date: Date) -> bool {
        match self {
            ItemKey::Objective { .. } => false,
            ItemKey::Kpi { .. } => true,
            ItemKey::KeyResult { start, end, .. } => *start <= date && date <= *end,
        }
    }
}

/// A check-in as a past version wrote it: a real date and an observation (`value`, else
/// `done`), or nothing (a version that did not validate).
pub(crate) fn checkin_of(c: &RawCheckin) -> Option<Checkin> {
    let date = Date::parse(c.date.as_ref()?.value.as_str())?;
    let obs = match (&c.value, c.done()) {
        (Some(v), _) => Observation::Value(v.value),
        (None, Some(d)) => Observation::Done(d.value),
        (None, None) => return None,
    };
    Some(Checkin {
        date,
        obs,
        confidence: c.confidence().map(|v| v.value),
        text: CheckinText::boxed_with(
            c.note().map(|v| v.value.clone()),
            c.by().map(|v| v.value.clone()),
            c.correction().map(|v| v.value.clone()),
        ),
        span: c.span,
    })
}

/// Where an item is written in one version of its file: its bytes `start..end` (from its
/// first key to the next item, check-in or the end of the file: never too short), and the
/// end of what names it (`team`, `period`, its objective's `id`), which all come before it.
/// A change outside `identity..start` and `end..` that does not write its ref cannot touch
/// it, so the version on the other side of that change holds the same item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Extent {
    pub identity: usize,
    pub start: usize,
    pub end: usize,
}

impl Extent {
    /// The extent in the version on the other side of a change that replaced `p..new_end`
    /// of this version with `p..old_end` of the other, when the change cannot touch the item.
    pub(crate) fn across(self, p: usize, new_end: usize, old_end: usize) -> Option<Extent> {
        if p >= self.end {
            Some(self)
        } else if new_end <= self.start && p >= self.identity {
            let shift = |x: usize| x + old_end - new_end;
            Some(Extent {
                identity: self.identity,
                start: shift(self.start),
                end: shift(self.end),
            })
        } else {
            None
        }
    }
}

/// An item in one version of a file. `fields` is `None` when the file does not define it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Version {
    /// Where the definition is written, when it can be told (see [`Extent`]).
    pub extent: Option<Extent>,
    pub fields: Option<ItemFields<'static>>,
    /// For an objective: its key results' fields, by id, in file order.
    pub children: Vec<(String, ItemFields<'static>)>,
    /// By date; the first of duplicates wins (the validator reports the rest).
    pub checkins: BTreeMap<Date, Checkin>,
    /// A key result's revisions as written (those with a real date and a reason).
    pub revisions: Vec<Revision>,
    /// The item's own `dropped:` (when it has a real date and a reason).
    pub dropped: Option<Dropped>,
}

/// A revision as a past version wrote it, or nothing where it could not be read.
fn revision_of(r: &RawRevision) -> Option<Revision> {
    Some(Revision {
        date: Date::parse(r.date.as_ref()?.value.as_str())?,
        target: r.target.as_ref().map(|v| v.value),
        start: r.start.as_ref().map(|v| v.value),
        reason: r.reason.as_ref()?.value.clone(),
        span: r.span,
    })
}

/// A drop as a past version wrote it, or nothing where it could not be read.
fn dropped_of(d: &Option<RawDropped>) -> Option<Dropped> {
    let d = d.as_ref()?;
    Some(Dropped {
        date: Date::parse(d.date.as_ref()?.value.as_str())?,
        reason: d.reason.as_ref()?.value.clone(),
        span: d.span,
    })
}

fn own(v: &Option<Sp<String>>) -> Option<Cow<'static, str>> {
    v.as_ref().map(|v| Cow::Owned(v.value.clone()))
}

fn kr_fields(kr: &RawKeyResult) -> ItemFields<'static> {
    ItemFields::KeyResult(KrFields {
        title: own(&kr.title),
        kind: Some(
            kr.kind
                .as_ref()
                .map_or(crate::model::KrKind::DEFAULT, |k| k.value),
        ),
        start: kr.start.as_ref().map(|v| v.value),
        target: kr.target.as_ref().map(|v| v.value),
        unit: own(&kr.unit),
        weight: Some(kr.weight.as_ref().map_or(1.0, |w| w.value)),
        kpi: kr.kpi.as_ref().and_then(|k| k.value.parse().ok()),
        due: kr.due.as_ref().and_then(|d| Date::parse(&d.value)),
        owner: own(&kr.owner),
        cadence: Some(
            kr.cadence
                .as_ref()
                .map_or(crate::model::KrCadence::Weekly, |c| c.value),
        ),
        description: own(&kr.description),
    })
}

impl Version {
    /// Whether this version of the file says anything about the item.
    pub(crate) fn is_empty(&self) -> bool {
        self.fields.is_none() && self.checkins.is_empty()
    }

    /// Reads the item out of a parsed file of `len` bytes: its definition (if `define`) and
    /// the check-ins of its ref in the file's `checkins:` log.
    pub(crate) fn of(raw: &RawFile, key: &ItemKey, define: bool, len: usize) -> Version {
        let mut s = Version::default();
        if define {
            s.define(raw, key);
            if s.fields.is_some() {
                s.extent = extent(raw, key, len);
            }
        }
        if !matches!(key, ItemKey::Objective { .. }) {
            let reference = key.reference().to_string();
            for c in raw.checkins.iter().flatten() {
                if c.reference().is_some_and(|r| r.value == reference) {
                    s.add_logged(c, key);
                }
            }
        }
        s
    }

    /// Adds one logged check-in if it is this item's.
    pub(crate) fn add_logged(&mut self, c: &RawCheckin, key: &ItemKey) {
        if let Some(v) = checkin_of(c)
            && key.takes_log_date(v.date)
        {
            self.add(v);
        }
    }

    /// Keeps one check-in per date, the one in force: the first plain one, or the last
    /// correction (SPEC 3.2).
    fn add(&mut self, v: Checkin) {
        if v.correction().is_some() {
            self.checkins.insert(v.date, v);
        } else {
            self.checkins.entry(v.date).or_insert(v);
        }
    }

    fn add_inline(&mut self, list: &Option<Vec<RawCheckin>>) {
        for v in list.iter().flatten().filter_map(checkin_of) {
            self.add(v);
        }
    }

    fn define(&mut self, raw: &RawFile, key: &ItemKey) {
        let team = raw.team.as_ref().map(|t| t.value.as_str());
        let period = raw.period.as_ref().map(|p| p.value.as_str());
        let id_is =
            |id: &Option<Sp<String>>, want: &str| id.as_ref().is_some_and(|i| i.value == want);
        match key {
            ItemKey::Kpi { team: t, id } if team == Some(t.as_str()) => {
                if let Some(k) = raw.kpis.iter().flatten().find(|k| id_is(&k.id, id)) {
                    self.fields = Some(ItemFields::Kpi(KpiFields {
                        title: own(&k.title),
                        unit: own(&k.unit),
                        better: k.better.as_ref().map(|b| b.value),
                        target: k.target.as_ref().map(|v| v.value),
                        critical: k.critical.as_ref().map(|v| v.value),
                        cadence: Some(
                            k.cadence
                                .as_ref()
                                .map_or(crate::model::Cadence::Weekly, |c| c.value),
                        ),
                        owner: own(&k.owner),
                    }));
                    self.add_inline(&k.checkins);
                }
            }
            ItemKey::Objective {
                team: t,
                period: p,
                id,
            } if team == Some(t.as_str()) && period == Some(p.as_str()) => {
                if let Some(o) = raw.objectives.iter().flatten().find(|o| id_is(&o.id, id)) {
                    self.fields = Some(ItemFields::Objective(ObjectiveFields {
                        title: own(&o.title),
                        owner: own(&o.owner),
                        commitment: Some(
                            o.commitment
                                .as_ref()
                                .map_or(crate::model::Commitment::Aspirational, |c| c.value),
                        ),
                        parent: o.parent.as_ref().and_then(|p| p.value.parse().ok()),
                        guardrails: o
                            .guardrails
                            .iter()
                            .flatten()
                            .filter_map(|r| r.value.parse().ok())
                            .collect(),
                        description: own(&o.description),
                    }));
                    self.dropped = dropped_of(&o.dropped);
                    for kr in o.key_results.iter().flatten() {
                        if let Some(id) = &kr.id
                            && !self.children.iter().any(|(c, _)| *c == id.value)
                        {
                            self.children.push((id.value.clone(), kr_fields(kr)));
                        }
                    }
                }
            }
            ItemKey::KeyResult {
                team: t,
                period: p,
                objective,
                id,
                ..
            } if team == Some(t.as_str()) && period == Some(p.as_str()) => {
                let kr = raw
                    .objectives
                    .iter()
                    .flatten()
                    .find(|o| id_is(&o.id, objective))
                    .and_then(|o| o.key_results.iter().flatten().find(|k| id_is(&k.id, id)));
                if let Some(kr) = kr {
                    self.fields = Some(kr_fields(kr));
                    self.revisions = kr
                        .revisions
                        .iter()
                        .flatten()
                        .filter_map(revision_of)
                        .collect();
                    self.dropped = dropped_of(&kr.dropped);
                    self.add_inline(&kr.checkins);
                }
            }
            _ => {}
        }
    }
}

/// Where the item `key` defines is written in `raw` (see [`Extent`]); `None` when something
/// that names it comes after its start.
fn extent(raw: &RawFile, key: &ItemKey, len: usize) -> Option<Extent> {
    let end_of = |s: Span| (s.start + s.len) as usize;
    let mut identity = [&raw.team, &raw.period]
        .into_iter()
        .flatten()
        .map(|v| end_of(v.span))
        .max()
        .unwrap_or(0);
    let id_is = |id: &Option<Sp<String>>, want: &str| id.as_ref().is_some_and(|i| i.value == want);
    let objectives = || raw.objectives.iter().flatten();
    let kpis = || raw.kpis.iter().flatten();
    let start = match key {
        ItemKey::Kpi { id, .. } => kpis().find(|k| id_is(&k.id, id))?.span.start,
        ItemKey::Objective { id, .. } => objectives().find(|o| id_is(&o.id, id))?.span.start,
        ItemKey::KeyResult { objective, id, .. } => {
            let o = objectives().find(|o| id_is(&o.id, objective))?;
            identity = identity.max(end_of(o.id.as_ref()?.span));
            o.key_results
                .iter()
                .flatten()
                .find(|k| id_is(&k.id, id))?
                .span
                .start
        }
    } as usize;
    if identity > start {
        return None;
    }
    // Everything else that starts somewhere: the next one after the item ends it. An
    // objective's own key results are inside it.
    let own = |o: &crate::load::raw::RawObjective| matches!(key, ItemKey::Objective { id, .. } if id_is(&o.id, id));
    let mut starts: Vec<u32> = Vec::new();
    for o in objectives() {
        starts.push(o.span.start);
        if !own(o) {
            starts.extend(o.key_results.iter().flatten().map(|k| k.span.start));
        }
    }
    starts.extend(kpis().map(|k| k.span.start));
    starts.extend(raw.checkins.iter().flatten().map(|c| c.span.start));
    let end = starts
        .into_iter()
        .map(|s| s as usize)
        .filter(|&s| s > start)
        .min()
        .unwrap_or(len);
    Some(Extent {
        identity,
        start,
        end,
    })
}

/// What one commit changed in the item, by the engine: the item's own change (its fields
/// between the old and new versions of its definition, `None` when that file did not change,
/// and the check-ins that left and came from all its files), then for an objective its key
/// results' changes (fields only: their check-ins are in each key result's own log).
pub(crate) fn changes(
    key: &ItemKey,
    definition: Option<(&Version, &Version)>,
    removed: Vec<Checkin>,
    added: Vec<Checkin>,
) -> Vec<ItemChange> {
    let (old, new) = (definition.map(|d| d.0), definition.map(|d| d.1));
    let (of, nf) = (
        old.and_then(|v| v.fields.as_ref()),
        new.and_then(|v| v.fields.as_ref()),
    );
    let mut own = ItemChange::new(key.reference(), key.kind(), ChangeKind::Modified);
    own.period = key.period().map(str::to_owned);
    own.title = nf
        .or(of)
        .and_then(ItemFields::title)
        .unwrap_or_default()
        .to_owned();
    match (of, nf) {
        (None, Some(_)) => own.change = ChangeKind::Added,
        (Some(_), None) => own.change = ChangeKind::Removed,
        (Some(a), Some(b)) => own.fields = field_changes(a, b),
        (None, None) => {}
    }
    own.checkins = pair_checkins(removed, added);
    // Revisions and the drop live in the definition: compared when its file changed.
    if let (Some(old), Some(new)) = (old, new) {
        let written = match nf {
            Some(ItemFields::KeyResult(k)) => k.start.zip(k.target),
            _ => None,
        };
        own.revisions = compare_revisions(&old.revisions, &new.revisions, written);
        own.dropped = compare_drops(old.dropped.as_ref(), new.dropped.as_ref());
    }
    let changed = match own.change {
        ChangeKind::Modified => own.changed_itself(),
        _ => true,
    };
    let mut out = Vec::new();
    if changed {
        out.push(own);
    }
    if let (ItemKey::Objective { team, id, period }, Some(old), Some(new), Some(_), Some(_)) =
        (key, old, new, of, nf)
    {
        out.extend(children(team, id, period, &old.children, &new.children));
    }
    out
}

/// An objective's key results that changed between two versions of it.
fn children(
    team: &str,
    objective: &str,
    period: &str,
    old: &[(String, ItemFields<'static>)],
    new: &[(String, ItemFields<'static>)],
) -> Vec<ItemChange> {
    let pairs = crate::diff::pair_children(
        old,
        new,
        |c| &c.0,
        |c| c.1.title().unwrap_or_default(),
        true,
    );
    let mut out = Vec::new();
    for (b, h) in pairs {
        let (bc, hc) = (b.map(|i| &old[i]), h.map(|i| &new[i]));
        let Some((id, fields)) = hc.or(bc) else {
            continue;
        };
        let mut c = ItemChange::new(
            Ref::key_result(team, objective, id),
            ItemKind::KeyResult,
            crate::diff::kind_of(b, h),
        );
        c.period = Some(period.to_owned());
        c.title = fields.title().unwrap_or_default().to_owned();
        if let (Some((bid, bf)), Some((hid, hf))) = (bc, hc) {
            if bid != hid {
                c.change = ChangeKind::Renamed;
                c.renamed_from = Some(Ref::key_result(team, objective, bid));
            }
            c.fields = field_changes(bf, hf);
        }
        c.checkins = CheckinChanges::default();
        if c.is_interesting() {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests;
