//! What the engine says changed, as values: an [`ItemChange`] per item (its [`Ref`], kind,
//! how it changed, each [`Field`] that moved with its typed values, its check-ins added,
//! changed and removed, and its figures before → after). The one text made here is the
//! wording of a field change ([`Field::words`], "target 150 → 1150"), shared by `diff`,
//! `log` and `check --base`; everything else each output words once, at its edge
//! (`report::diff`, `report::log`, the history rules).

use crate::model::{
    Better, Cadence, Checkin, Commitment, Date, Dropped, KrCadence, KrKind, Observation, Ref,
    Revision, Span,
};
use crate::score::{KpiStatus, Status};

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ItemKind {
    Objective,
    KeyResult,
    Kpi,
}

/// How an item changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ChangeKind {
    Added,
    Removed,
    /// The id changed (and the ref with it); the title and place stayed.
    Renamed,
    Modified,
}

/// A value before and after.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FromTo<T> {
    pub from: T,
    pub to: T,
}

impl<T: PartialEq> FromTo<T> {
    pub(crate) fn new(from: T, to: T) -> FromTo<T> {
        FromTo { from, to }
    }

    pub(crate) fn changed(&self) -> bool {
        self.from != self.to
    }
}

/// One field of an item that changed, with its typed values. Key results' `start` and
/// `target` are compared only between two metric versions (a change of kind says the rest);
/// `critical` may appear or disappear (`None`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Field {
    Title(FromTo<String>),
    Owner(FromTo<Option<String>>),
    Commitment(FromTo<Commitment>),
    Parent(FromTo<Option<Ref>>),
    Guardrails(FromTo<Vec<Ref>>),
    Start(FromTo<f64>),
    Target(FromTo<f64>),
    Critical(FromTo<Option<f64>>),
    Unit(FromTo<Option<String>>),
    Weight(FromTo<f64>),
    Kind(FromTo<KrKind>),
    Kpi(FromTo<Option<Ref>>),
    Better(FromTo<Better>),
    Cadence(FromTo<Cadence>),
    /// A milestone's due date, set, moved or removed.
    Due(FromTo<Option<Date>>),
    /// A key result's check-in cadence (`weekly` when not written).
    KrCadence(FromTo<KrCadence>),
    /// Free text about an objective or a key result.
    Description(FromTo<Option<String>>),
}

impl Field {
    /// The field's name as goal files spell it (`kpi` for a key result's KPI link).
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Field::Title(_) => "title",
            Field::Owner(_) => "owner",
            Field::Commitment(_) => "commitment",
            Field::Parent(_) => "parent",
            Field::Guardrails(_) => "guardrails",
            Field::Start(_) => "start",
            Field::Target(_) => "target",
            Field::Critical(_) => "critical",
            Field::Unit(_) => "unit",
            Field::Weight(_) => "weight",
            Field::Kind(_) => "kind",
            Field::Kpi(_) => "kpi",
            Field::Better(_) => "better",
            Field::Cadence(_) => "cadence",
            Field::Due(_) => "due",
            Field::KrCadence(_) => "cadence",
            Field::Description(_) => "description",
        }
    }

    /// The values before and after, in words ([`Wording`]): text as written, numbers as
    /// people write them, `none` for a value that is absent.
    pub(crate) fn values(&self, wording: Wording) -> (String, String) {
        fn pair<T>(p: &FromTo<T>, show: impl Fn(&T) -> String) -> (String, String) {
            (show(&p.from), show(&p.to))
        }
        let exact = wording == Wording::Exact;
        let number = |x: &f64| {
            if exact {
                format!("{x}")
            } else {
                crate::text::num(*x)
            }
        };
        let none = || "none".to_owned();
        let text = |s: &Option<String>| {
            s.as_ref()
                .map_or_else(none, |s| if exact { format!("{s:?}") } else { s.clone() })
        };
        let link = |r: &Option<Ref>| r.as_ref().map_or_else(none, Ref::to_string);
        let refs = |r: &Vec<Ref>| {
            if r.is_empty() {
                return none();
            }
            let list = r.iter().map(Ref::to_string).collect::<Vec<_>>().join(", ");
            if exact { format!("[{list}]") } else { list }
        };
        match self {
            Field::Title(p) => pair(p, |t| format!("{t:?}")),
            Field::Owner(p) | Field::Unit(p) => pair(p, text),
            // Free text can be long: quoted as written, like a title.
            Field::Description(p) => {
                pair(p, |d| d.as_ref().map_or_else(none, |d| format!("{d:?}")))
            }
            Field::Commitment(p) => pair(p, ToString::to_string),
            Field::Parent(p) | Field::Kpi(p) => pair(p, link),
            Field::Guardrails(p) => pair(p, refs),
            Field::Start(p) | Field::Target(p) | Field::Weight(p) => pair(p, number),
            Field::Critical(p) => pair(p, |x| x.as_ref().map_or_else(none, number)),
            Field::Kind(p) => pair(p, ToString::to_string),
            Field::Better(p) => pair(p, ToString::to_string),
            Field::Cadence(p) => pair(p, ToString::to_string),
            Field::KrCadence(p) => pair(p, ToString::to_string),
            Field::Due(p) => pair(p, |d| d.map_or_else(none, |d| d.to_string())),
        }
    }

    /// The change in words, the one wording of every output: `target 150 → 1150`,
    /// `unit none → "%"` ([`Wording::Exact`]), `title "A" → "B"`.
    pub(crate) fn words(&self, wording: Wording) -> String {
        let (from, to) = self.values(wording);
        format!("{} {from} → {to}", self.name())
    }

    /// A threshold that moved from one number to another: a key result's start or target, a
    /// KPI's target, or its critical threshold when it is set on both sides.
    pub(crate) fn moved(&self) -> Option<FromTo<f64>> {
        match self {
            Field::Start(m) | Field::Target(m) => Some(m.clone()),
            Field::Critical(FromTo {
                from: Some(from),
                to: Some(to),
            }) => Some(FromTo::new(*from, *to)),
            _ => None,
        }
    }
}

/// How [`Field::values`] words values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wording {
    /// As written, for `log` (a history): numbers at full precision (`0.125`), text quoted
    /// (`"%"`), a list in brackets (`[growth/churn]`).
    Exact,
    /// As people read them, for `diff` and `check --base`: numbers to three decimals at
    /// most, text and lists bare.
    Brief,
}

/// Which parts of a check-in differ between two versions of it (same item, same date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CheckinPart {
    Value,
    Done,
    Confidence,
    Note,
    By,
    Correction,
}

impl CheckinPart {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            CheckinPart::Value => "value",
            CheckinPart::Done => "done",
            CheckinPart::Confidence => "confidence",
            CheckinPart::Note => "note",
            CheckinPart::By => "by",
            CheckinPart::Correction => "correction",
        }
    }
}

/// The parts in which two check-ins of one item on one date differ; the date and where they
/// are written are not compared.
pub(crate) fn checkin_differences(a: &Checkin, b: &Checkin) -> Vec<CheckinPart> {
    let mut out = Vec::new();
    match (a.obs, b.obs) {
        (Observation::Value(x), Observation::Value(y)) if x == y => {}
        (Observation::Done(x), Observation::Done(y)) if x == y => {}
        (Observation::Done(_), Observation::Done(_)) => out.push(CheckinPart::Done),
        _ => out.push(CheckinPart::Value),
    }
    if a.confidence != b.confidence {
        out.push(CheckinPart::Confidence);
    }
    if a.note() != b.note() {
        out.push(CheckinPart::Note);
    }
    if a.by() != b.by() {
        out.push(CheckinPart::By);
    }
    if a.correction().map(|c| &c.reason) != b.correction().map(|c| &c.reason) {
        out.push(CheckinPart::Correction);
    }
    out
}

/// Whether two check-ins of one item on one date say the same thing, by content (SPEC 9):
/// the history written for the date (a correction's originals and earlier corrections, then
/// itself) entry by entry, never where any of it stands in a file.
pub(crate) fn same_checkin(a: &Checkin, b: &Checkin) -> bool {
    a.as_written().count() == b.as_written().count()
        && a.as_written()
            .zip(b.as_written())
            .all(|(x, y)| written_same(x, y))
}

/// The first check-ins written for one item and date that differ between `old` and `new`
/// (each the one in force, with what it corrects): the entry of the history that a rewrite
/// changed. `old` and `new` themselves when the entries agree as far as both go.
pub(crate) fn first_difference<'c>(
    old: &'c Checkin,
    new: &'c Checkin,
) -> (&'c Checkin, &'c Checkin) {
    old.as_written()
        .zip(new.as_written())
        .find(|(a, b)| !written_same(a, b))
        .unwrap_or((old, new))
}

/// Whether two check-ins were written the same: value, confidence, note, author and
/// correction reason (what a correction replaced is not part of what was written).
fn written_same(a: &Checkin, b: &Checkin) -> bool {
    a.obs == b.obs
        && a.confidence == b.confidence
        && a.note() == b.note()
        && a.by() == b.by()
        && a.correction().map(|c| &c.reason) == b.correction().map(|c| &c.reason)
}

/// Whether `new` corrects `old` (SPEC 3.2): `new` is a correction and the history written
/// for that item and date at `old` (its originals and earlier corrections, then itself) is
/// still there, unchanged, in front of it. Anything else that differs is a rewrite.
pub(crate) fn corrects(old: &Checkin, new: &Checkin) -> bool {
    if new.correction().is_none() {
        return false;
    }
    let (was, is): (Vec<&Checkin>, Vec<&Checkin>) =
        (old.as_written().collect(), new.as_written().collect());
    was.len() < is.len() && was.iter().zip(&is).all(|(a, b)| written_same(a, b))
}

/// An item's check-ins added, changed (same date, different content), corrected (a
/// correction appended for a date, the earlier history kept) and removed, each list by
/// date.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CheckinChanges {
    pub added: Vec<Checkin>,
    pub changed: Vec<FromTo<Checkin>>,
    /// The figure in force for the date before → the correction now in force.
    pub corrected: Vec<FromTo<Checkin>>,
    pub removed: Vec<Checkin>,
}

impl CheckinChanges {
    pub(crate) fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.changed.is_empty()
            && self.corrected.is_empty()
            && self.removed.is_empty()
    }
}

/// A key result's revisions (SPEC 3.4) added, changed and removed between two versions,
/// compared by content (date, target, start, reason), never by where they are written:
/// appending is the one change the history allows.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RevisionChanges {
    pub added: Vec<Revised>,
    /// A revision of the base whose date is still there with other content.
    pub changed: Vec<FromTo<Revision>>,
    pub removed: Vec<Revision>,
}

impl RevisionChanges {
    pub(crate) fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// A revision appended, with the metric's `(start, target)` in force the day before it
/// (`None` where the key result is not a metric there).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Revised {
    pub revision: Revision,
    pub before: Option<(f64, f64)>,
}

impl Revised {
    /// The fields it changed, before → after: `target` then `start`, as written.
    pub(crate) fn steps(&self) -> Vec<(&'static str, Option<f64>, f64)> {
        let r = &self.revision;
        let mut out = Vec::new();
        if let Some(t) = r.target {
            out.push(("target", self.before.map(|b| b.1), t));
        }
        if let Some(s) = r.start {
            out.push(("start", self.before.map(|b| b.0), s));
        }
        out
    }

    /// The revision in words, the one wording of `diff` and `log`: `target 80 → 70 on
    /// 2026-11-10: the scope was cut` (`target → 70` when the figure before is unknown).
    pub(crate) fn words(&self, wording: Wording) -> String {
        let number = |x: f64| match wording {
            Wording::Exact => format!("{x}"),
            Wording::Brief => crate::text::num(x),
        };
        let parts: Vec<String> = self
            .steps()
            .into_iter()
            .map(|(name, from, to)| match from {
                Some(from) => format!("{name} {} → {}", number(from), number(to)),
                None => format!("{name} → {}", number(to)),
            })
            .collect();
        format!(
            "{} on {}: {}",
            parts.join(", "),
            self.revision.date,
            self.revision.reason
        )
    }
}

/// A revision as written, in words: `2026-11-10 target 70, start 10: reason`.
pub(crate) fn revision_words(r: &Revision, wording: Wording) -> String {
    let number = |x: f64| match wording {
        Wording::Exact => format!("{x}"),
        Wording::Brief => crate::text::num(x),
    };
    let mut parts = Vec::new();
    if let Some(t) = r.target {
        parts.push(format!("target {}", number(t)));
    }
    if let Some(s) = r.start {
        parts.push(format!("start {}", number(s)));
    }
    format!("{} {}: {}", r.date, parts.join(", "), r.reason)
}

/// A drop in words: `dropped on 2026-11-20: the vendor left`.
pub(crate) fn drop_words(d: &Dropped) -> String {
    format!("dropped on {}: {}", d.date, d.reason)
}

/// Whether two revisions say the same thing: date, target, start and reason.
pub(crate) fn same_revision(a: &Revision, b: &Revision) -> bool {
    a.date == b.date && a.target == b.target && a.start == b.start && a.reason == b.reason
}

/// What [`same_revision`] compares, as a key: revisions with equal keys are the same.
type RevisionKey<'r> = (Date, Option<u64>, Option<u64>, &'r str);

/// A revision's [`RevisionKey`]; `None` when a figure is NaN (the same as no revision).
fn revision_key(r: &Revision) -> Option<RevisionKey<'_>> {
    // Equal numbers have equal keys: -0 is 0.
    let bits = |x: Option<f64>| match x {
        Some(v) if v.is_nan() => Err(()),
        Some(0.0) => Ok(Some(0)),
        Some(v) => Ok(Some(v.to_bits())),
        None => Ok(None),
    };
    Some((r.date, bits(r.target).ok()?, bits(r.start).ok()?, &r.reason))
}

/// Whether two drops say the same thing: date and reason.
pub(crate) fn same_drop(a: &Dropped, b: &Dropped) -> bool {
    a.date == b.date && a.reason == b.reason
}

/// Revisions added, changed and removed between two lists in any order: one written the
/// same on both sides is unchanged wherever it stands; of the others, those of one date on
/// both sides are changed (in order), the rest added or removed. Each list by date.
/// `written` is the head's written `(start, target)` (a metric), from which each added
/// revision's figures before it are worked out.
pub(crate) fn compare_revisions(
    base: &[Revision],
    head: &[Revision],
    written: Option<(f64, f64)>,
) -> RevisionChanges {
    use std::collections::{HashMap, VecDeque};
    // Each head revision takes the first base revision left that says the same, and each
    // base revision left then the first head revision left of its date: found through maps
    // of queues in list order, not scans, so that a key result with thousands of revisions
    // stays linear. A revision with a figure that is not a number says the same as nothing
    // (NaN is not equal to itself), so it has no key.
    let mut left: HashMap<RevisionKey<'_>, VecDeque<usize>> = HashMap::new();
    for (i, b) in base.iter().enumerate() {
        if let Some(k) = revision_key(b) {
            left.entry(k).or_default().push_back(i);
        }
    }
    let mut kept = vec![false; base.len()];
    let mut came: Vec<&Revision> = Vec::new();
    for h in head {
        match revision_key(h).and_then(|k| left.get_mut(&k)?.pop_front()) {
            Some(i) => kept[i] = true,
            None => came.push(h),
        }
    }
    let mut of_date: HashMap<Date, VecDeque<usize>> = HashMap::new();
    for (i, h) in came.iter().enumerate() {
        of_date.entry(h.date).or_default().push_back(i);
    }
    let mut taken = vec![false; came.len()];
    let mut out = RevisionChanges::default();
    for (b, _) in base.iter().zip(&kept).filter(|(_, kept)| !**kept) {
        match of_date.get_mut(&b.date).and_then(VecDeque::pop_front) {
            Some(i) => {
                taken[i] = true;
                out.changed.push(FromTo::new(b.clone(), came[i].clone()));
            }
            None => out.removed.push(b.clone()),
        }
    }
    out.added = came
        .into_iter()
        .zip(taken)
        .filter(|(_, taken)| !taken)
        .map(|(r, _)| Revised {
            revision: r.clone(),
            before: written.map(|w| crate::model::in_force(w, head, r.date.add_days(-1))),
        })
        .collect();
    out.added.sort_by_key(|r| r.revision.date);
    out.changed.sort_by_key(|r| r.from.date);
    out.removed.sort_by_key(|r| r.date);
    out
}

/// The drop before → after when it differs by content (added, changed or removed).
pub(crate) fn compare_drops(
    base: Option<&Dropped>,
    head: Option<&Dropped>,
) -> Option<FromTo<Option<Dropped>>> {
    let same = match (base, head) {
        (Some(a), Some(b)) => same_drop(a, b),
        (a, b) => a.is_none() && b.is_none(),
    };
    (!same).then(|| FromTo::new(base.cloned(), head.cloned()))
}

/// A status of either scale: objectives and key results, or KPIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemStatus {
    Goal(Status),
    Kpi(KpiStatus),
}

impl ItemStatus {
    /// `on_track`, `healthy`, ...
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Goal(s) => s.as_str(),
            ItemStatus::Kpi(s) => s.as_str(),
        }
    }
}

/// An item's figures on both sides, scored as of one date (`None` where the side lacks it).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Figures {
    /// Objective score or key-result progress; `None` for KPIs.
    pub score: Option<FromTo<Option<f64>>>,
    /// A key result's current value or a KPI's latest value; `None` for objectives.
    pub value: Option<FromTo<Option<f64>>>,
    pub status: FromTo<Option<ItemStatus>>,
}

impl Figures {
    fn changed(&self) -> bool {
        self.score.as_ref().is_some_and(FromTo::changed)
            || self.value.as_ref().is_some_and(FromTo::changed)
            || self.status.changed()
    }
}

/// One changed item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ItemChange {
    /// The ref on the newer side (the older one for a removed item).
    pub reference: Ref,
    pub kind: ItemKind,
    pub change: ChangeKind,
    /// The ref on the older side of a renamed item.
    pub renamed_from: Option<Ref>,
    /// The objective's period (objectives and key results).
    pub period: Option<String>,
    /// The title on the newer side (the old one for a removed item).
    pub title: String,
    /// The fields that changed, in a fixed order per kind: moved thresholds first, then the
    /// title, then the rest.
    pub fields: Vec<Field>,
    /// A key result's start or target moved while its period is open at the as-of date.
    pub goalpost_moved: bool,
    /// The base version was read with placeholder values (it did not validate there): its
    /// fields were not compared, only its check-ins.
    pub base_flawed: bool,
    pub checkins: CheckinChanges,
    /// A key result's revisions added, changed and removed (SPEC 3.4).
    pub revisions: RevisionChanges,
    /// The item's own `dropped:` before → after, when it differs by content.
    pub dropped: Option<FromTo<Option<Dropped>>>,
    /// Scores before → after (`diff`); `None` where nothing was scored (`log`).
    pub figures: Option<Figures>,
    /// Where the item is written on the older and the newer side.
    pub base_span: Option<Span>,
    pub head_span: Option<Span>,
}

impl ItemChange {
    pub(crate) fn new(reference: Ref, kind: ItemKind, change: ChangeKind) -> ItemChange {
        ItemChange {
            reference,
            kind,
            change,
            renamed_from: None,
            period: None,
            title: String::new(),
            fields: Vec::new(),
            goalpost_moved: false,
            base_flawed: false,
            checkins: CheckinChanges::default(),
            revisions: RevisionChanges::default(),
            dropped: None,
            figures: None,
            base_span: None,
            head_span: None,
        }
    }

    /// The item's ref on the older side (the same as [`ItemChange::reference`] unless
    /// renamed).
    pub(crate) fn reference_at_base(&self) -> &Ref {
        self.renamed_from.as_ref().unwrap_or(&self.reference)
    }

    /// The team the item belongs to.
    pub(crate) fn team(&self) -> &str {
        self.reference.team()
    }

    /// The title change, if the title changed.
    pub(crate) fn title_changed(&self) -> Option<&FromTo<String>> {
        self.fields.iter().find_map(|f| match f {
            Field::Title(t) => Some(t),
            _ => None,
        })
    }

    /// Whether the item itself changed: added, removed, renamed, or a field, check-in,
    /// revision or drop of it (not only its figures).
    pub(crate) fn changed_itself(&self) -> bool {
        self.change != ChangeKind::Modified
            || self.base_flawed
            || !self.fields.is_empty()
            || !self.checkins.is_empty()
            || !self.revisions.is_empty()
            || self.dropped.is_some()
    }

    /// The drop of the base, now changed or removed (what `check --base` rejects), with what
    /// replaced it.
    pub(crate) fn drop_rewritten(&self) -> Option<(&Dropped, Option<&Dropped>)> {
        match self.dropped.as_ref()? {
            FromTo {
                from: Some(from),
                to,
            } => Some((from, to.as_ref())),
            _ => None,
        }
    }

    /// Whether anything is reported for it: always for an added, removed or renamed item; for
    /// a modified one, a field, a check-in or a figure that changed.
    pub(crate) fn is_interesting(&self) -> bool {
        self.changed_itself() || self.figures.as_ref().is_some_and(Figures::changed)
    }
}
