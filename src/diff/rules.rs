//! The history rules of `check --base REV` (SPEC 9), judged on what the engine
//! ([`super::compare_with`], matching by ref: no renames) says changed: check-ins are
//! append-only, so one that existed at the base and is now changed or deleted is a
//! `history-rewritten` error; a key result's start or target moved while its period is open
//! is a `goalpost-moved` lint; a check-in added into a closed period, or a closed period's
//! grade that changed (both sides scored, when both validate), is `closed-period-changed`; a
//! key result added more than 14 days into its period is `kr-added-mid-period`. Key results
//! that did not validate at the base are not judged for moves (their values there were
//! placeholders). Diagnostics are located in the newer side's files (its [`Sources`]).

use super::change::{ChangeKind, Field, ItemChange, ItemKind, ItemStatus, Wording};
use super::{Options, Side, compare_with};
use crate::config::Config;
use crate::diag::{Code, Diagnostic, Severity, Span};
use crate::lint::{self, closed_period_changed, kr_added_mid_period};
use crate::load::raw::RawFile;
use crate::load::{SourceFile, Sources};
use crate::model::*;
use crate::score::{Scorecard, Status};
use crate::text::num;
use std::collections::{HashMap, HashSet};

/// One side of the comparison: goals and the files they were read from.
#[derive(Clone, Copy)]
pub(crate) struct Tree<'a> {
    pub goals: &'a Goals,
    pub sources: &'a Sources,
    /// Items built with placeholder values there ([`crate::validate::Validated::flawed`]).
    pub flawed: &'a HashSet<Span>,
    /// The goals scored as of the as-of date, when they validate: with both sides scored,
    /// the grades of closed periods are compared (`closed-period-changed`).
    pub card: Option<&'a Scorecard>,
    /// Whether the goals validated there: only then is an item absent there known to be
    /// new (a file that did not parse there defined nothing), for `kr-added-mid-period`.
    pub valid: bool,
}

/// What the history rules found.
#[derive(Debug, Default)]
pub(crate) struct History {
    pub diags: Vec<Diagnostic>,
    /// Refs of key results that were invalid at the base (read with placeholder values,
    /// [`Tree::flawed`]) and so not compared for moved starts or targets. Their check-ins
    /// that were read there are still compared.
    pub skipped: Vec<Ref>,
    /// The items the change touches (SPEC 9: practice lints are reported only about them).
    pub touched: super::Touched,
}

/// The help of `history-rewritten`: put the old check-in back and correct it the one way
/// that keeps it (SPEC 3.2).
fn rewritten_help(reference: &Ref, date: Date) -> String {
    format!(
        "check-ins are an append-only history: restore the old check-in, then append a correction with `goalpost checkin {reference} VALUE --date {date} --correct REASON` (it keeps the original and records why)"
    )
}
const DUE_MOVED_HELP: &str = "moving a milestone's due date inside its period changes when it counts as late and hides a slip: keep the date, and report a low `confidence` on check-ins instead (or explain the change in review)";
/// The help of a start or target edited in place: put it back and record the change the
/// way that keeps the old plan and says why (SPEC 3.4).
fn moved_help(reference: &Ref, key: &str, from: &str, to: &str) -> String {
    format!(
        "changing a {key} in place hides that the plan changed: put `{key}: {from}` back and record the new {key} as a revision with its reason, `goalpost revise {reference} --{key} {to} --reason REASON`; or keep the old {key} and report a low `confidence` on check-ins"
    )
}

/// Runs the history rules. `base_name` names the base revision in messages; new entries
/// may be added to `head_sources` for files that no longer exist (so a deletion has a
/// place to point at).
pub(crate) fn history(
    base: Tree,
    head: &Goals,
    head_card: Option<&Scorecard>,
    head_sources: &mut Sources,
    base_name: &str,
    as_of: Date,
    config: &Config,
) -> History {
    // Figures only when both sides have them (they are compared side by side).
    let (base_side, head_side) = match (base.card, head_card) {
        (Some(b), Some(h)) => (Side::scored(base.goals, b), Side::scored(head, h)),
        _ => (Side::unscored(base.goals), Side::unscored(head)),
    };
    let changes = compare_with(
        base_side,
        head_side,
        Options {
            renames: false,
            as_of,
            flawed: Some(base.flawed),
        },
    );
    let moved_severity = config.severity(Code::GoalpostMoved);
    let mut out = History {
        touched: super::Touched::from_changes(&changes),
        ..History::default()
    };
    let mut parsed: HashMap<u32, Option<Reparsed>> = HashMap::new();
    let mut places = Places::default();
    let head_periods = first_periods(head);
    let record = Record {
        periods: periods(&[base.goals, head]),
        head,
        base_name,
        as_of,
        closed: config.severity(Code::ClosedPeriodChanged),
        added: config
            .severity(Code::KrAddedMidPeriod)
            .filter(|_| base.valid),
        readers: std::cell::OnceCell::new(),
    };
    for c in &changes {
        rewritten(
            c,
            base.sources,
            (head_sources, &mut places),
            base_name,
            &mut out.diags,
        );
        plan_rewritten(c, base_name, &mut out.diags);
        record.judge(c, &mut out.diags);
        if c.kind != ItemKind::KeyResult {
            continue;
        }
        if c.base_flawed {
            if period_open(&head_periods, c, as_of) {
                out.skipped.push(c.reference.clone());
            }
            continue;
        }
        if !c.goalpost_moved {
            continue;
        }
        let Some(severity) = moved_severity else {
            continue;
        };
        let span = c.head_span.unwrap_or_default();
        for f in &c.fields {
            let name = match f {
                Field::Start(_) => "start",
                Field::Target(_) => "target",
                Field::Due(_) => "due date",
                _ => continue,
            };
            let (from, to) = f.values(Wording::Brief);
            let help = match f {
                Field::Due(_) => DUE_MOVED_HELP.to_owned(),
                _ => moved_help(&c.reference, name, &from, &to),
            };
            let key = if name == "due date" { "due" } else { name };
            let at = value_span(head_sources, &mut parsed, span, key).unwrap_or(span);
            let mut d = Diagnostic::new(
                Code::GoalpostMoved,
                at,
                format!(
                    "the {name} of `{}` moved from {from} to {to} since {base_name}, while {} is open",
                    c.reference,
                    c.period.as_deref().unwrap_or_default()
                ),
            )
            .help(help);
            d.severity = severity;
            out.diags.push(d);
        }
    }
    out
}

/// The periods of the objectives of `sides`, by name.
fn periods<'g>(sides: &[&'g Goals]) -> HashMap<&'g str, &'g Period> {
    sides
        .iter()
        .flat_map(|g| &g.objectives)
        .map(|o| (o.period.name.as_str(), &o.period))
        .collect()
}

/// The rules about changes to the record: `closed-period-changed` and `kr-added-mid-period`
/// (each `None` when turned off in `[lints]`).
struct Record<'a> {
    periods: HashMap<&'a str, &'a Period>,
    head: &'a Goals,
    base_name: &'a str,
    as_of: Date,
    closed: Option<Severity>,
    added: Option<Severity>,
    /// What KPI check-ins added are judged against, made when the first is met.
    readers: std::cell::OnceCell<Readers>,
}

/// The KPIs of the newer side by team and id, and for each the closed periods with a key
/// result that reads it: maps, so that a change adding a check-in to each of thousands of
/// KPIs does not look through every KPI and every objective for each.
struct Readers {
    kpis: HashMap<(String, String), KpiId>,
    /// For each KPI: the first objective (in objective order) of each closed period with a
    /// key result reading it, as (objective, key result), and their periods.
    reading: HashMap<KpiId, (Vec<(usize, usize)>, crate::period::Spans)>,
}

impl Readers {
    fn of(head: &Goals, as_of: Date) -> Readers {
        let mut kpis = HashMap::new();
        for k in head.kpi_ids() {
            let kpi = head.kpi(k);
            kpis.entry((kpi.team.clone(), kpi.id.clone())).or_insert(k);
        }
        let mut found: HashMap<KpiId, Vec<(usize, usize)>> = HashMap::new();
        let mut named: HashSet<(KpiId, &str)> = HashSet::new();
        for (i, o) in head.objectives.iter().enumerate() {
            if o.period.end >= as_of {
                continue;
            }
            for (r, kr) in o.key_results.iter().enumerate() {
                let Some(k) = kr.kpi else { continue };
                // The first key result reading the KPI, of the first objective of the period
                // that has one (a set, not a scan: an objective may have thousands).
                if named.insert((k, o.period.name.as_str())) {
                    found.entry(k).or_default().push((i, r));
                }
            }
        }
        let reading = found
            .into_iter()
            .map(|(k, at)| {
                let spans: Vec<(Date, Date)> = at
                    .iter()
                    .map(|&(i, _)| {
                        (
                            head.objectives[i].period.start,
                            head.objectives[i].period.end,
                        )
                    })
                    .collect();
                let index = crate::period::Spans::new((0..at.len()).collect(), &spans);
                (k, (at, index))
            })
            .collect();
        Readers { kpis, reading }
    }
}

impl Record<'_> {
    /// A period that is closed at the as-of date.
    fn closed(&self, name: Option<&str>) -> Option<&Period> {
        self.periods
            .get(name?)
            .copied()
            .filter(|p| p.end < self.as_of)
    }

    fn judge(&self, c: &ItemChange, out: &mut Vec<Diagnostic>) {
        let at = c.head_span.unwrap_or_default();
        if let Some(severity) = self.closed {
            self.checkins_added(c, severity, out);
            if let (Some(period), Some(figures)) = (self.closed(c.period.as_deref()), &c.figures)
                && let Some(to) = figures.status.to.and_then(grade)
            {
                let from = figures.status.from.and_then(grade);
                if from != Some(to) && (from.is_some() || c.change == ChangeKind::Added) {
                    let finding = closed_period_changed::GradeChanged {
                        reference: &c.reference,
                        period: closed_period_changed::Closed {
                            name: &period.name,
                            end: period.end,
                        },
                        from,
                        to,
                        base: self.base_name,
                    };
                    out.push(lint::diagnostic(
                        Code::ClosedPeriodChanged,
                        severity,
                        at,
                        &finding,
                    ));
                }
            }
        }
        if let Some(severity) = self.added
            && c.kind == ItemKind::KeyResult
            && c.change == ChangeKind::Added
            && let Some(period) = c.period.as_deref().and_then(|p| self.periods.get(p))
            && self.as_of <= period.end
        {
            let days = period.start.days_until(self.as_of);
            if days > kr_added_mid_period::GRACE_DAYS {
                let finding = kr_added_mid_period::AddedMidPeriod {
                    reference: &c.reference,
                    period: &period.name,
                    start: period.start,
                    days,
                    as_of: self.as_of,
                    base: self.base_name,
                };
                out.push(lint::diagnostic(
                    Code::KrAddedMidPeriod,
                    severity,
                    at,
                    &finding,
                ));
            }
        }
    }

    /// `closed-period-changed` for each check-in added with a date inside a closed period: a
    /// key result's, or a KPI's that a key result of a closed period reads.
    fn checkins_added(&self, c: &ItemChange, severity: Severity, out: &mut Vec<Diagnostic>) {
        if c.checkins.added.is_empty() {
            return;
        }
        // A KPI's id on the newer side, to find the key results that read it.
        let readers = || {
            self.readers
                .get_or_init(|| Readers::of(self.head, self.as_of))
        };
        let kpi = match (&c.reference, c.kind) {
            (Ref::Item { team, id }, ItemKind::Kpi) => {
                readers().kpis.get(&(team.clone(), id.clone())).copied()
            }
            _ => None,
        };
        for added in &c.checkins.added {
            let mut push = |period: &Period, read_by: Option<Ref>| {
                let finding = closed_period_changed::CheckinAdded {
                    reference: &c.reference,
                    date: added.date,
                    period: closed_period_changed::Closed {
                        name: &period.name,
                        end: period.end,
                    },
                    read_by,
                    base: self.base_name,
                };
                out.push(lint::diagnostic(
                    Code::ClosedPeriodChanged,
                    severity,
                    added.span,
                    &finding,
                ));
            };
            match c.kind {
                ItemKind::KeyResult => {
                    if let Some(period) = self.closed(c.period.as_deref())
                        && period.contains(added.date)
                    {
                        push(period, None);
                    }
                }
                ItemKind::Kpi => {
                    // Each closed period holding the date, once, with the first key result
                    // (in objective order) that reads the KPI there.
                    let Some(kpi) = kpi else { continue };
                    let Some((at, spans)) = readers().reading.get(&kpi) else {
                        continue;
                    };
                    for n in spans.holding(added.date, usize::MAX) {
                        let (i, r) = at[n];
                        let o = &self.head.objectives[i];
                        push(&o.period, Some(o.kr_ref(&o.key_results[r])));
                    }
                }
                ItemKind::Objective => {}
            }
        }
    }
}

/// A closed period's grade: `achieved` or `missed`.
fn grade(status: ItemStatus) -> Option<&'static str> {
    match status {
        ItemStatus::Goal(s @ (Status::Achieved | Status::Missed)) => Some(s.as_str()),
        _ => None,
    }
}

/// The period of the first objective of `goals` (in objective order) in each period, by
/// name: looked up once per flawed key result, so a map rather than a scan of the objectives.
fn first_periods(goals: &Goals) -> HashMap<&str, &Period> {
    let mut first = HashMap::new();
    for o in &goals.objectives {
        first.entry(o.period.name.as_str()).or_insert(&o.period);
    }
    first
}

/// Whether the period of a key result's objective (on the newer side, whose first periods by
/// name are `head_periods`) is open at `as_of`.
fn period_open(head_periods: &HashMap<&str, &Period>, c: &ItemChange, as_of: Date) -> bool {
    let Some(name) = &c.period else { return false };
    head_periods
        .get(name.as_str())
        .is_some_and(|p| p.contains(as_of))
}

const PLAN_REWRITTEN_HELP: &str = "revisions and drops are an append-only history: restore it as it was; to change the plan again, append a new revision (`goalpost revise`), which keeps the old one and records why";

/// `history-rewritten` for each revision or drop of the base that is now changed or gone
/// (compared by content; appending one is fine).
fn plan_rewritten(c: &ItemChange, base_name: &str, out: &mut Vec<Diagnostic>) {
    let reference = c.reference_at_base();
    let at = c.head_span.unwrap_or_default();
    for r in &c.revisions.changed {
        out.push(
            Diagnostic::new(
                Code::HistoryRewritten,
                r.to.span,
                format!(
                    "the revision of `{reference}` on {} was changed since {base_name} (it was: {})",
                    r.from.date,
                    super::revision_words(&r.from, Wording::Brief)
                ),
            )
            .help(PLAN_REWRITTEN_HELP),
        );
    }
    for r in &c.revisions.removed {
        let with = if c.change == ChangeKind::Removed {
            " with its key result"
        } else {
            ""
        };
        out.push(
            Diagnostic::new(
                Code::HistoryRewritten,
                at,
                format!(
                    "the revision of `{reference}` on {} ({}) was deleted{with} since {base_name}",
                    r.date,
                    super::revision_words(r, Wording::Brief)
                ),
            )
            .help(PLAN_REWRITTEN_HELP),
        );
    }
    if let Some((was, now)) = c.drop_rewritten() {
        let what = match now {
            Some(_) => "changed",
            None if c.change == ChangeKind::Removed => "deleted with its item",
            None => "deleted",
        };
        out.push(
            Diagnostic::new(
                Code::HistoryRewritten,
                now.map_or(at, |d| d.span),
                format!(
                    "the drop of `{reference}` on {} was {what} since {base_name} (it was: {})",
                    was.date,
                    super::drop_words(was)
                ),
            )
            .help("a drop is history: restore it as it was; an item taken up again belongs in a new objective or key result"),
        );
    }
}

/// `history-rewritten` for each check-in of the base that is now changed or gone.
fn rewritten(
    c: &ItemChange,
    base_sources: &Sources,
    (head_sources, places): (&mut Sources, &mut Places),
    base_name: &str,
    out: &mut Vec<Diagnostic>,
) {
    let reference = c.reference_at_base();
    for ch in &c.checkins.changed {
        // What was rewritten may be an original behind a correction: name that one.
        let (old, new) = super::first_difference(&ch.from, &ch.to);
        let mut parts: Vec<&str> = super::checkin_differences(old, new)
            .into_iter()
            .map(|p| p.as_str())
            .collect();
        if parts.is_empty() {
            // The same entries as far as both go: one side wrote more for that date.
            parts.push("history");
        }
        out.push(
            Diagnostic::new(
                Code::HistoryRewritten,
                new.span,
                format!(
                    "the check-in of `{reference}` on {} was changed since {base_name} ({} changed; it was: {})",
                    old.date,
                    parts.join(", "),
                    describe_checkin(old)
                ),
            )
            .help(rewritten_help(reference, old.date)),
        );
    }
    for old in &c.checkins.removed {
        let old_path = base_sources.path(old.span.file).to_owned();
        let was = format!("{old_path}:{}", old.span.line);
        let span = places.deleted_at(head_sources, &old_path, c.head_span);
        out.push(
            Diagnostic::new(
                Code::HistoryRewritten,
                span,
                format!(
                    "the check-in of `{reference}` on {} ({}) was deleted since {base_name} (it was at {was})",
                    old.date,
                    describe_checkin(old)
                ),
            )
            .help(rewritten_help(reference, old.date)),
        );
    }
}

/// A check-in in the words of a diagnostic: `value 6.1, confidence 0.6, note "price change"`.
pub(crate) fn describe_checkin(c: &Checkin) -> String {
    let mut parts = vec![match c.obs {
        Observation::Value(v) => format!("value {}", num(v)),
        Observation::Done(d) => format!("done {d}"),
    }];
    if let Some(x) = c.confidence {
        parts.push(format!("confidence {}", num(x)));
    }
    if let Some(n) = c.note() {
        parts.push(format!("note {n:?}"));
    }
    if let Some(b) = c.by() {
        parts.push(format!("by {b}"));
    }
    parts.join(", ")
}

/// Where check-ins deleted since the base are reported ([`Places::deleted_at`]), each file
/// looked up by path and searched for its `checkins:` line once per run: a change that
/// deletes thousands of rows of a large log does not search it again for each.
#[derive(Default)]
struct Places {
    /// A path → its index in the newer side's sources (`None`: not there).
    files: HashMap<String, Option<usize>>,
    /// A file → where a check-in deleted from it is reported when its item is elsewhere.
    lists: HashMap<usize, Span>,
}

impl Places {
    /// Where to report a check-in deleted from `old_path`: at its item when the item is
    /// still in that file, else at that file's `checkins:` list (or its first line), else
    /// at the item, else at the path itself (a file that was deleted).
    fn deleted_at(&mut self, sources: &mut Sources, old_path: &str, item: Option<Span>) -> Span {
        let file = *self
            .files
            .entry(old_path.to_owned())
            .or_insert_with(|| sources.files.iter().position(|f| f.path == old_path));
        match (file, item) {
            (Some(f), Some(span)) if span.file as usize == f => span,
            (Some(f), _) => *self
                .lists
                .entry(f)
                .or_insert_with(|| list_at(&sources.files[f].text, f as u32)),
            (None, Some(span)) => span,
            (None, None) => {
                sources.files.push(SourceFile {
                    path: old_path.to_owned(),
                    text: String::new(),
                });
                let f = sources.files.len() - 1;
                self.files.insert(old_path.to_owned(), Some(f));
                Span::file_start(f as u32)
            }
        }
    }
}

/// The `checkins:` line of the text of file `file`, else its start.
fn list_at(text: &str, file: u32) -> Span {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if line.starts_with("checkins:") {
            return Span {
                file,
                line: i as u32 + 1,
                col: 1,
                start: offset as u32,
                len: "checkins".len() as u32,
            };
        }
        offset += line.len();
    }
    Span::file_start(file)
}

/// The span of a key result's `start`, `target` or `due` value, found by parsing its file again
/// (the model keeps only the key result's own span).
fn value_span(
    sources: &Sources,
    parsed: &mut HashMap<u32, Option<Reparsed>>,
    kr: Span,
    key: &str,
) -> Option<Span> {
    let file = parsed
        .entry(kr.file)
        .or_insert_with(|| {
            crate::load::parse_file(kr.file, sources.text(kr.file))
                .0
                .map(Reparsed::new)
        })
        .as_ref()?;
    let found = file.key_result(kr)?;
    match key {
        "start" => found.start.as_ref().map(|v| v.span),
        "due" => found.due.as_ref().map(|v| v.span),
        _ => found.target.as_ref().map(|v| v.span),
    }
}

/// A file parsed again for [`value_span`], with its key results by the span of their id:
/// a file of thousands of moved targets is searched once, not once per target.
struct Reparsed {
    raw: RawFile,
    /// The span of a key result's id → (objective, key result), the first with that span.
    krs: HashMap<Span, (usize, usize)>,
}

impl Reparsed {
    fn new(raw: RawFile) -> Reparsed {
        let mut krs = HashMap::new();
        for (i, o) in raw.objectives.iter().flatten().enumerate() {
            for (j, k) in o.key_results.iter().flatten().enumerate() {
                if let Some(id) = &k.id {
                    krs.entry(id.span).or_insert((i, j));
                }
            }
        }
        Reparsed { raw, krs }
    }

    /// The key result whose id is at `span`.
    fn key_result(&self, span: Span) -> Option<&crate::load::raw::RawKeyResult> {
        let &(i, j) = self.krs.get(&span)?;
        self.raw.objectives.as_ref()?[i]
            .key_results
            .as_ref()?
            .get(j)
    }
}
