//! The core of the engine: one item as one version has it ([`ItemFields`], typed, defaults
//! applied) and what changed between two versions of it ([`field_changes`],
//! [`compare_checkins`], [`pair_checkins`]). The validated model gives versions for `diff`
//! and `check --base` ([`ItemFields::objective`], ...); a past version of a file gives them for
//! `log` (`crate::history`). A field that a version could not read (`None` in a keyword or a
//! number, from a file that did not validate then) is not compared.

use super::change::{CheckinChanges, Field, FromTo, corrects, same_checkin};
use crate::model::*;
use std::borrow::Cow;

/// An objective's own fields.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ObjectiveFields<'a> {
    pub title: Option<Cow<'a, str>>,
    pub owner: Option<Cow<'a, str>>,
    pub commitment: Option<Commitment>,
    pub parent: Option<Ref>,
    pub guardrails: Vec<Ref>,
    pub description: Option<Cow<'a, str>>,
}

/// A key result's own fields. `start` and `target` are `None` for a milestone.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct KrFields<'a> {
    pub title: Option<Cow<'a, str>>,
    pub kind: Option<KrKind>,
    pub start: Option<f64>,
    pub target: Option<f64>,
    pub unit: Option<Cow<'a, str>>,
    pub weight: Option<f64>,
    pub kpi: Option<Ref>,
    /// A milestone's due date (`None` for a metric, or a milestone without one).
    pub due: Option<Date>,
    /// Its own owner (the objective's applies when `None`).
    pub owner: Option<Cow<'a, str>>,
    /// `None` only where a version could not read it.
    pub cadence: Option<KrCadence>,
    pub description: Option<Cow<'a, str>>,
}

/// A KPI's own fields.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct KpiFields<'a> {
    pub title: Option<Cow<'a, str>>,
    pub unit: Option<Cow<'a, str>>,
    pub better: Option<Better>,
    pub target: Option<f64>,
    pub critical: Option<f64>,
    pub cadence: Option<Cadence>,
    pub owner: Option<Cow<'a, str>>,
}

/// An item's own fields, by kind.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ItemFields<'a> {
    Objective(ObjectiveFields<'a>),
    KeyResult(KrFields<'a>),
    Kpi(KpiFields<'a>),
}

fn text(s: &str) -> Option<Cow<'_, str>> {
    Some(Cow::Borrowed(s))
}

fn opt_text(s: &Option<String>) -> Option<Cow<'_, str>> {
    s.as_deref().map(Cow::Borrowed)
}

impl<'a> ItemFields<'a> {
    /// A validated objective's fields. Every field of the model is named (no `..`): a new
    /// one does not compile until it is compared here or said not to be.
    pub(crate) fn objective(goals: &Goals, o: &'a Objective) -> ItemFields<'a> {
        let Objective {
            team: _,   // part of the ref: a change of it is another item
            id: _,     // likewise (a renamed item is paired by its place)
            period: _, // likewise (the item's identity in history)
            title,
            owner,
            commitment,
            parent,
            guardrails,
            key_results: _,  // items of their own
            carried_from: _, // written once by `rollover`, not compared
            description,
            dropped: _, // history of its own: `compare_drops`
            span: _,
        } = o;
        ItemFields::Objective(ObjectiveFields {
            title: text(title),
            owner: opt_text(owner),
            commitment: Some(*commitment),
            parent: parent.map(|p| goals.objective(p).reference()),
            guardrails: guardrails
                .iter()
                .map(|&k| goals.kpi(k).reference())
                .collect(),
            description: opt_text(description),
        })
    }

    /// A validated key result's fields (every field of the model named, as for objectives).
    pub(crate) fn key_result(goals: &Goals, kr: &'a KeyResult) -> ItemFields<'a> {
        let KeyResult {
            id: _, // part of the ref
            title,
            kind,
            unit,
            weight,
            kpi,
            checkins: _, // compared on their own ([`compare_checkins`])
            owner,
            cadence,
            description,
            revisions: _, // history of its own: `compare_revisions`
            dropped: _,   // history of its own: `compare_drops`
            span: _,
        } = kr;
        let bounds = kind.bounds();
        ItemFields::KeyResult(KrFields {
            title: text(title),
            kind: Some(kind.kind()),
            start: bounds.map(|b| b.0),
            target: bounds.map(|b| b.1),
            unit: opt_text(unit),
            weight: Some(*weight),
            kpi: kpi.map(|k| goals.kpi(k).reference()),
            due: kind.due(),
            owner: opt_text(owner),
            cadence: Some(*cadence),
            description: opt_text(description),
        })
    }

    /// A validated KPI's fields (every field of the model named, as for objectives).
    pub(crate) fn kpi(k: &'a Kpi) -> ItemFields<'a> {
        let Kpi {
            team: _, // part of the ref
            id: _,   // part of the ref
            title,
            unit,
            better,
            target,
            critical,
            cadence,
            owner,
            source: _,   // where `pull` fetches values: configuration, not compared
            checkins: _, // compared on their own ([`compare_checkins`])
            span: _,
        } = k;
        ItemFields::Kpi(KpiFields {
            title: text(title),
            unit: opt_text(unit),
            better: Some(*better),
            target: Some(*target),
            critical: *critical,
            cadence: Some(*cadence),
            owner: opt_text(owner),
        })
    }

    /// The title, when the version has one.
    pub(crate) fn title(&self) -> Option<&str> {
        match self {
            ItemFields::Objective(o) => o.title.as_deref(),
            ItemFields::KeyResult(k) => k.title.as_deref(),
            ItemFields::Kpi(k) => k.title.as_deref(),
        }
    }
}

/// Compares a field both versions could read.
fn both<T: PartialEq>(
    out: &mut Vec<Field>,
    a: Option<T>,
    b: Option<T>,
    make: fn(FromTo<T>) -> Field,
) {
    if let (Some(a), Some(b)) = (a, b)
        && a != b
    {
        out.push(make(FromTo::new(a, b)));
    }
}

/// Compares a field whose absence is a value (an owner, a unit, a link).
fn either<T: PartialEq>(
    out: &mut Vec<Field>,
    a: Option<T>,
    b: Option<T>,
    make: fn(FromTo<Option<T>>) -> Field,
) {
    if a != b {
        out.push(make(FromTo::new(a, b)));
    }
}

fn owned(c: &Option<Cow<'_, str>>) -> Option<String> {
    c.as_deref().map(str::to_owned)
}

/// The fields that differ between two versions of one item, in the engine's order: moved
/// thresholds (start, target, critical), the title, then the item's other fields. Versions of
/// different kinds of item have nothing in common to compare.
pub(crate) fn field_changes(base: &ItemFields, head: &ItemFields) -> Vec<Field> {
    let mut out = Vec::new();
    let title_of = |out: &mut Vec<Field>, a: &Option<Cow<str>>, b: &Option<Cow<str>>| {
        both(out, a.as_deref(), b.as_deref(), |t| {
            Field::Title(FromTo::new(t.from.to_owned(), t.to.to_owned()))
        })
    };
    // Every field of each version is named (no `..`): a new field does not compile until it
    // is compared here.
    match (base, head) {
        (ItemFields::Objective(a), ItemFields::Objective(b)) => {
            let ObjectiveFields {
                title,
                owner,
                commitment,
                parent,
                guardrails,
                description,
            } = a;
            title_of(&mut out, title, &b.title);
            either_text(&mut out, owner, &b.owner, Field::Owner);
            both(&mut out, *commitment, b.commitment, Field::Commitment);
            either(&mut out, parent.clone(), b.parent.clone(), Field::Parent);
            if *guardrails != b.guardrails {
                out.push(Field::Guardrails(FromTo::new(
                    guardrails.clone(),
                    b.guardrails.clone(),
                )));
            }
            either_text(&mut out, description, &b.description, Field::Description);
        }
        (ItemFields::KeyResult(a), ItemFields::KeyResult(b)) => {
            let KrFields {
                title,
                kind,
                start,
                target,
                unit,
                weight,
                kpi,
                due,
                owner,
                cadence,
                description,
            } = a;
            both(&mut out, *start, b.start, Field::Start);
            both(&mut out, *target, b.target, Field::Target);
            title_of(&mut out, title, &b.title);
            both(&mut out, *kind, b.kind, Field::Kind);
            both(&mut out, *weight, b.weight, Field::Weight);
            either_text(&mut out, unit, &b.unit, Field::Unit);
            either(&mut out, kpi.clone(), b.kpi.clone(), Field::Kpi);
            either(&mut out, *due, b.due, Field::Due);
            either_text(&mut out, owner, &b.owner, Field::Owner);
            both(&mut out, *cadence, b.cadence, Field::KrCadence);
            either_text(&mut out, description, &b.description, Field::Description);
        }
        (ItemFields::Kpi(a), ItemFields::Kpi(b)) => {
            let KpiFields {
                title,
                unit,
                better,
                target,
                critical,
                cadence,
                owner,
            } = a;
            both(&mut out, *target, b.target, Field::Target);
            either(&mut out, *critical, b.critical, Field::Critical);
            title_of(&mut out, title, &b.title);
            both(&mut out, *better, b.better, Field::Better);
            both(&mut out, *cadence, b.cadence, Field::Cadence);
            either_text(&mut out, unit, &b.unit, Field::Unit);
            either_text(&mut out, owner, &b.owner, Field::Owner);
        }
        _ => {}
    }
    out
}

fn either_text(
    out: &mut Vec<Field>,
    a: &Option<Cow<'_, str>>,
    b: &Option<Cow<'_, str>>,
    make: fn(FromTo<Option<String>>) -> Field,
) {
    if a.as_deref() != b.as_deref() {
        out.push(make(FromTo::new(owned(a), owned(b))));
    }
}

/// Check-ins added, changed and removed between two lists sorted by date with one per date
/// (as the model keeps them): one pass over both.
pub(crate) fn compare_checkins(base: &[Checkin], head: &[Checkin]) -> CheckinChanges {
    let mut out = CheckinChanges::default();
    // Most items' histories are the same on both sides, and most check-ins are a date, a
    // figure and perhaps a confidence: such pairs are the same as written (no note, author
    // or correction to compare), and no correction. Said at once for the whole history.
    let plain_same = |a: &Checkin, b: &Checkin| {
        a.date == b.date
            && a.text.is_none()
            && b.text.is_none()
            && a.obs == b.obs
            && a.confidence == b.confidence
    };
    if base.len() == head.len() && base.iter().zip(head).all(|(a, b)| plain_same(a, b)) {
        return out;
    }
    let (mut i, mut j) = (0, 0);
    while i < base.len() || j < head.len() {
        match (base.get(i), head.get(j)) {
            (Some(a), Some(b)) if a.date == b.date => {
                if corrects(a, b) {
                    out.corrected.push(FromTo::new(a.clone(), b.clone()));
                } else if !same_checkin(a, b) {
                    out.changed.push(FromTo::new(a.clone(), b.clone()));
                }
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a.date < b.date => {
                out.removed.push(a.clone());
                i += 1;
            }
            (Some(a), None) => {
                out.removed.push(a.clone());
                i += 1;
            }
            (_, Some(b)) => {
                out.added.push(b.clone());
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// Pairs check-ins that left an item's files with those that came, in any order: a date on
/// both sides is a change (or nothing, when they say the same: a check-in moved between
/// files or lines), one side only is an addition or a removal. The first check-in of a date
/// on each side counts (the validator reports the others), except that a correction counts
/// over the plain check-ins of its date (the last correction over earlier ones). A date
/// whose check-in came as a correction is a correction of the one that left (the caller
/// gives the one in force before as "left" when the original stayed where it was).
pub(crate) fn pair_checkins(removed: Vec<Checkin>, added: Vec<Checkin>) -> CheckinChanges {
    let in_force = |mut list: Vec<Checkin>| {
        // A stable sort keeps file order among one date's check-ins.
        list.sort_by_key(|c| c.date);
        let mut out: Vec<Checkin> = Vec::with_capacity(list.len());
        for c in list {
            match out.last_mut() {
                Some(last) if last.date == c.date => {
                    if c.correction().is_some() {
                        *last = c;
                    }
                }
                _ => out.push(c),
            }
        }
        out
    };
    let mut out = compare_checkins(&in_force(removed), &in_force(added));
    let (corrected, changed) = std::mem::take(&mut out.changed)
        .into_iter()
        .partition(|c| c.to.correction().is_some());
    out.changed = changed;
    out.corrected.extend(corrected);
    out.corrected.sort_by_key(|c| c.to.date);
    out
}
