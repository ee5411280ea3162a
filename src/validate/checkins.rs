//! Check-in rules: inline and logged check-ins are resolved to their key result or KPI
//! (a KR ref picks the objective whose period holds the check-in's date), checked for shape
//! (value vs done, confidence range, real dates), and merged per item into one date-sorted
//! history where identical repeats count once and conflicting ones are errors.

use super::{Index, LISTED, Pending, PendingObjective, SCAN_PERIODS, Validator};
use crate::date::Date;
use crate::diag::{Code, Diagnostic, Span};
use crate::load::raw::Lowered;
use crate::load::raw::RawCheckin;
use crate::model::*;
use crate::period::Spans;
use std::collections::HashMap;

pub(super) fn attach(
    v: &mut Validator,
    mut objectives: Vec<(Objective, PendingObjective)>,
    mut kpis: Vec<(Kpi, Pending)>,
    logs: Vec<Vec<RawCheckin>>,
    index: &Index,
) -> (Vec<Objective>, Vec<Kpi>) {
    let mut kpi_cks: Vec<Vec<Checkin>> = vec![Vec::new(); kpis.len()];
    let mut kr_cks: Vec<Vec<Vec<Checkin>>> = objectives
        .iter()
        .map(|(o, _)| vec![Vec::new(); o.key_results.len()])
        .collect();

    // Inline check-ins are most of them, and mostly lowered to `Checkin`s already: those
    // vectors become the items' own, and only the rest are converted here.
    for (k, (_, pending)) in kpis.iter_mut().enumerate() {
        let lowered = std::mem::take(&mut pending.checkins);
        kpi_cks[k] = inline_checkins(v, lowered, Records::Value);
    }
    let inline: Vec<Vec<Lowered>> = objectives
        .iter_mut()
        .map(|(_, p)| {
            p.krs
                .iter_mut()
                .map(|(_, p)| std::mem::take(&mut p.checkins))
                .collect()
        })
        .collect();
    for (i, per_kr) in inline.into_iter().enumerate() {
        let o = &objectives[i].0;
        for (r, (kr, lowered)) in o.key_results.iter().zip(per_kr).enumerate() {
            if kr.kpi.is_some() {
                if let Some(first) = lowered.first_span() {
                    linked(v, first, kr, o, &kpis);
                }
                continue;
            }
            // Those outside the period are dropped (and reported) in the merge below.
            kr_cks[i][r] = inline_checkins(v, lowered, kr.kind.records());
        }
    }

    // Logged check-ins name their item by ref: a key result by a scan of its objective's
    // few key results (the last of an id, as a map filled in order would keep), or by a map
    // for the rare objective with many, so a log naming thousands of them stays linear.
    let mut kr_index: HashMap<(usize, &str), usize> = HashMap::new();
    for (i, (o, _)) in objectives.iter().enumerate() {
        if o.key_results.len() > SCAN_KRS {
            for (r, kr) in o.key_results.iter().enumerate() {
                kr_index.insert((i, kr.id.as_str()), r);
            }
        }
    }
    // Logged check-ins come after the inline ones; they are kept apart until then, so that
    // the items' exactly sized vectors grow once, not by doubling. By item, as indexes: the
    // key results of objective `j` start at `kr_at[j]`.
    let mut kpi_log: Vec<Vec<Checkin>> = vec![Vec::new(); kpis.len()];
    let kr_at: Vec<usize> = objectives
        .iter()
        .scan(0, |n, (o, _)| {
            let at = *n;
            *n += o.key_results.len();
            Some(at)
        })
        .collect();
    let krs = objectives.iter().map(|(o, _)| o.key_results.len()).sum();
    let mut kr_log: Vec<Vec<Checkin>> = vec![Vec::new(); krs];
    let spans: HashMap<(String, String), Spans> = index
        .objectives
        .iter()
        .filter(|(_, js)| js.len() > SCAN_PERIODS)
        .map(|(key, js)| {
            let periods: Vec<(Date, Date)> = js
                .iter()
                .map(|&j| (objectives[j].0.period.start, objectives[j].0.period.end))
                .collect();
            (key.clone(), Spans::new(js.clone(), &periods))
        })
        .collect();
    let items = Items {
        objectives: &objectives,
        spans: &spans,
        kpis: &kpis,
        index,
        kr_index: &kr_index,
        kr_at: &kr_at,
    };
    let threads = super::threads();
    // One file's log at a time, dropped once converted.
    for log in logs {
        // The rows that go to an item without a word to say are resolved on every core,
        // each with a validator of its own that finds no suggestions; a row that has
        // something to say (or goes nowhere) is resolved again below, in order, with the
        // run's validator, so the diagnostics and the suggestion budget are spent as one
        // pass over the log would spend them.
        let mut clean: Vec<Option<(Slot, Checkin)>> = if threads > 1 && log.len() >= PAR_ROWS {
            let config = v.config;
            crate::par::each(log.iter().collect(), threads, PAR_ROWS, |raw| {
                let mut own = Validator::new(config);
                own.suggest_budget = 0;
                items.logged(&mut own, raw).filter(|_| own.diags.is_empty())
            })
        } else {
            Vec::new()
        };
        for (n, raw) in log.iter().enumerate() {
            let found = match clean.get_mut(n).and_then(Option::take) {
                Some(found) => Some(found),
                None => items.logged(v, raw),
            };
            match found {
                Some((Slot::Kpi(k), c)) => kpi_log[k].push(c),
                Some((Slot::KeyResult(at), c)) => kr_log[at].push(c),
                None => {}
            }
        }
    }

    // Each item's history is joined (inline, then logged) and merged on its own: on every
    // core, the diagnostics in item order.
    let kpis: Vec<_> = kpis
        .into_iter()
        .zip(kpi_cks.into_iter().zip(kpi_log))
        .collect();
    let kpis = in_order(v, kpis, |((mut k, _), (cks, log)), diags| {
        k.checkins = merge(diags, append(cks, log), &k.reference().to_string());
        k
    });
    let mut kr_log = kr_log.into_iter();
    let objectives: Vec<_> = objectives
        .into_iter()
        .zip(kr_cks)
        .map(|(o, per_kr)| {
            let log: Vec<Vec<Checkin>> = kr_log.by_ref().take(per_kr.len()).collect();
            (o, per_kr, log)
        })
        .collect();
    let objectives = in_order(v, objectives, |((mut o, _), mut per_kr, log), diags| {
        // Inline check-ins outside the period; the logged ones were matched by date.
        for cks in &mut per_kr {
            cks.retain(|c| {
                let inside = o.period.contains(c.date);
                if !inside {
                    outside(diags, c, &o);
                }
                inside
            });
        }
        let oref = o.reference();
        for ((kr, cks), log) in o.key_results.iter_mut().zip(per_kr).zip(log) {
            kr.checkins = merge(diags, append(cks, log), &format!("{oref}/{}", kr.id));
            kr.checkins.shrink_to_fit();
        }
        o
    });
    (objectives, kpis)
}

/// Above this many key results an objective's are found by a map, below by a scan.
const SCAN_KRS: usize = 16;

/// From this many rows on, a log's rows are resolved on every core.
const PAR_ROWS: usize = 1024;

/// Where a logged check-in goes: a KPI's index, or a key result's place among all the key
/// results in objective order.
enum Slot {
    Kpi(usize),
    KeyResult(usize),
}

/// What logged check-ins are resolved against.
struct Items<'a, 'i> {
    objectives: &'a [(Objective, PendingObjective)],
    /// The periods of each team and id with more than [`SCAN_PERIODS`] objectives.
    spans: &'a HashMap<(String, String), Spans>,
    kpis: &'a [(Kpi, Pending)],
    index: &'a Index<'i>,
    /// (objective, key result id) → key result, for objectives of more than [`SCAN_KRS`].
    kr_index: &'a HashMap<(usize, &'a str), usize>,
    /// The place of each objective's first key result among all key results.
    kr_at: &'a [usize],
}

impl Items<'_, '_> {
    /// The key result of objective `j` with id `id` (the last of that id).
    fn kr_of(&self, j: usize, id: &str) -> Option<usize> {
        let krs = &self.objectives[j].0.key_results;
        if krs.len() > SCAN_KRS {
            self.kr_index.get(&(j, id)).copied()
        } else {
            krs.iter().rposition(|kr| kr.id == id)
        }
    }

    /// One logged check-in, converted, and where it goes; its problems reported to `v`
    /// (`None` when it goes nowhere).
    fn logged(&self, v: &mut Validator, raw: &RawCheckin) -> Option<(Slot, Checkin)> {
        let objectives = self.objectives;
        let Some(reference) = raw.reference() else {
            if !raw.invalid.contains(&"ref") {
                v.push(
                    Diagnostic::new(Code::MissingField, raw.span, "a logged check-in has no `ref`")
                        .help("name the key result or KPI, for example `ref: growth/onboarding/completion` or `ref: growth/churn`"),
                );
            }
            return None;
        };
        let Ok(mut parsed) = reference.value.parse::<Ref>() else {
            v.bad_ref(
                reference,
                "`ref`",
                "`team/kpi` or `team/objective/key-result`",
            );
            return None;
        };
        let Ref::KeyResult {
            team,
            objective,
            id: kr_id,
        } = &mut parsed
        else {
            let k = v.kpi_ref(reference, self.index, "check-in")?;
            return convert(v, raw, Records::Value).map(|c| (Slot::Kpi(k), c));
        };
        let Some(date) = raw.date.as_ref().and_then(|d| Date::parse(&d.value)) else {
            convert(v, raw, Records::Value); // reports the date problem
            return None;
        };
        // Moved out, not copied: `parsed` is not read again (a rare case below parses
        // the ref anew).
        let key = (std::mem::take(team), std::mem::take(objective));
        let Some(candidates) = self.index.objectives.get(&key) else {
            let known = objectives.iter().flat_map(|(o, _)| {
                o.key_results
                    .iter()
                    .map(move |kr| format!("{}/{}", o.reference(), kr.id))
            });
            v.unknown_ref(reference, "check-in names key result", known, None);
            return None;
        };
        // The first of the objectives whose period holds the date, and the next if any.
        let holding = match self.spans.get(&key) {
            Some(spans) => {
                let two = spans.holding(date, 2);
                (two.first().copied(), two.get(1).copied())
            }
            None => {
                let mut all = candidates
                    .iter()
                    .copied()
                    .filter(|&j| objectives[j].0.period.contains(date));
                (all.next(), all.next())
            }
        };
        let j = match holding {
            (Some(j), None) => j,
            (None, _) if reference.value.parse().is_ok_and(|r| v.unread.covers(&r)) => {
                return None;
            }
            (None, _) => {
                let periods = candidates.iter().map(|&j| {
                    let p = &objectives[j].0.period;
                    format!("{} ({} to {})", p.name, p.start, p.end)
                });
                let span = raw.date.as_ref().map_or(raw.span, |d| d.span);
                v.push(
                    Diagnostic::new(Code::CheckinOutsidePeriod, span, format!("check-in for `{}` is dated {date}, outside the objective's period {}", reference.value, super::listed(periods)))
                        .help("key-result check-ins belong inside their objective's period; fix the date, or record the value on a KPI instead"),
                );
                return None;
            }
            (Some(_), Some(_)) => {
                let (names, n) = match self.spans.get(&key) {
                    Some(spans) => (spans.holding(date, LISTED + 1), spans.count(date)),
                    None => {
                        let all: Vec<usize> = candidates
                            .iter()
                            .copied()
                            .filter(|&j| objectives[j].0.period.contains(date))
                            .collect();
                        let n = all.len();
                        (all, n)
                    }
                };
                let names = names.iter().map(|&j| objectives[j].0.period.name.as_str());
                v.push(
                    Diagnostic::new(
                        Code::UnknownRef,
                        reference.span,
                        format!(
                            "`{}` on {date} matches objectives in several periods: {}",
                            reference.value,
                            super::listed_of(names, n)
                        ),
                    )
                    .help("give the objectives different ids in overlapping periods"),
                );
                return None;
            }
        };
        let o = &objectives[j].0;
        let Some(r) = self.kr_of(j, kr_id) else {
            let known = o
                .key_results
                .iter()
                .map(|kr| format!("{}/{}", o.reference(), kr.id));
            v.unknown_ref(reference, "check-in names key result", known, None);
            return None;
        };
        let kr = &o.key_results[r];
        if kr.kpi.is_some() {
            linked(v, raw.span, kr, o, self.kpis);
            return None;
        }
        convert(v, raw, kr.kind.records()).map(|c| (Slot::KeyResult(self.kr_at[j] + r), c))
    }
}

/// `f` over `items` on every core, each thread taking one run of consecutive items: the
/// results in item order, and the diagnostics `f` reports added to `v` in the order one
/// thread going through the items would have reported them.
fn in_order<T: Send, U: Send>(
    v: &mut Validator,
    items: Vec<T>,
    f: impl Fn(T, &mut Vec<Diagnostic>) -> U + Sync,
) -> Vec<U> {
    let threads = super::threads();
    if threads <= 1 || items.len() < 256 {
        return items.into_iter().map(|x| f(x, &mut v.diags)).collect();
    }
    let done = crate::par::map(crate::par::runs(items, threads), threads, |run| {
        let mut diags = Vec::new();
        let out: Vec<U> = run.into_iter().map(|x| f(x, &mut diags)).collect();
        (out, diags)
    });
    let mut out = Vec::new();
    for (o, diags) in done {
        out.extend(o);
        v.diags.extend(diags);
    }
    out
}

/// `cks` followed by `more`, growing `cks` by exactly what it needs.
fn append(mut cks: Vec<Checkin>, mut more: Vec<Checkin>) -> Vec<Checkin> {
    if !more.is_empty() {
        cks.reserve_exact(more.len());
        cks.append(&mut more);
    }
    cks
}

/// An item's inline check-ins in file order: the clean ones as lowered, the rest converted
/// (with their diagnostics) and put back in their places.
fn inline_checkins(v: &mut Validator, lowered: Lowered, expect: Records) -> Vec<Checkin> {
    let Lowered { clean, rest } = lowered;
    if rest.is_empty() {
        return clean; // the usual case: the lowered vector becomes the item's own
    }
    let mut out = Vec::with_capacity(clean.len() + rest.len());
    let mut clean = clean.into_iter();
    let mut taken = 0;
    for (k, (i, raw)) in rest.iter().enumerate() {
        // The clean check-ins before index `i` are the `i - k` first ones.
        let before = (*i as usize).saturating_sub(k);
        out.extend(clean.by_ref().take(before.saturating_sub(taken)));
        taken = taken.max(before);
        no_ref_inline(v, raw);
        if let Some(c) = convert(v, raw, expect) {
            out.push(c);
        }
    }
    out.extend(clean);
    out
}

fn no_ref_inline(v: &mut Validator, raw: &RawCheckin) {
    if let Some(r) = raw.reference() {
        v.push(
            Diagnostic::new(Code::InvalidCheckin, r.span, "a check-in written under its item takes no `ref`")
                .help("remove `ref:`; it is only for check-ins in a `checkins:` log at the top level of a file"),
        );
    }
}

fn linked(v: &mut Validator, span: Span, kr: &KeyResult, o: &Objective, kpis: &[(Kpi, Pending)]) {
    // By index, not a search of all KPIs: a log can name linked key results many times.
    let kpi = kr
        .kpi
        .and_then(|k| kpis.get(k.index()))
        .map_or("its KPI".to_owned(), |(k, _)| {
            format!("`{}`", k.reference())
        });
    v.push(
        Diagnostic::new(
            Code::LinkedKrCheckin,
            span,
            format!(
                "key result `{}/{}` takes its values from {kpi} and has no check-ins of its own",
                o.reference(),
                kr.id
            ),
        )
        .help(format!(
            "record the value as a check-in of {kpi} instead, or remove `kpi:` from the key result"
        )),
    );
}

fn outside(diags: &mut Vec<Diagnostic>, c: &Checkin, o: &Objective) {
    diags.push(
        Diagnostic::new(Code::CheckinOutsidePeriod, c.span, format!("check-in dated {} is outside the period of `{}`, {} ({} to {})", c.date, o.reference(), o.period.name, o.period.start, o.period.end))
            .help("key-result check-ins belong inside their objective's period; fix the date, or record the value on a KPI instead"),
    );
}

/// A check-in of an item that expects `expect`, or `None` with its problems reported.
pub(super) fn convert(v: &mut Validator, raw: &RawCheckin, expect: Records) -> Option<Checkin> {
    match crate::load::lower::judge(raw, expect) {
        Ok((date, obs)) => Some(Checkin {
            date,
            obs,
            confidence: raw.confidence().map(|c| c.value),
            text: CheckinText::boxed_with(
                raw.note().map(|n| n.value.clone()),
                raw.by().map(|b| b.value.clone()),
                raw.correction().map(|r| r.value.clone()),
            ),
            span: raw.span,
        }),
        Err(problems) => {
            for d in problems {
                v.push(d);
            }
            None
        }
    }
}

/// Sorts one item's check-ins by date and folds same-date repeats (in place): identical
/// ones count once (a warning), different ones are an error unless a correction of that
/// date settles them ([`settle`]).
fn merge(v: &mut Vec<Diagnostic>, mut cks: Vec<Checkin>, reference: &str) -> Vec<Checkin> {
    cks.sort_by_key(|c| c.date); // stable: file order within a date
    let n = cks.len();
    let mut kept: usize = 0;
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && cks[j].date == cks[i].date {
            j += 1;
        }
        if j - i > 1 && cks[i..j].iter().any(|c| c.correction().is_some()) {
            // Rare: the group is cloned. The slots before `i` from `kept` on hold check-ins
            // already moved or settled, so the settled one may take `kept`.
            let around = (
                kept.checked_sub(1).map(|k| cks[k].date),
                cks.get(j).map(|c| c.date),
            );
            let settled = settle(v, &cks[i..j], reference, around);
            cks[kept] = settled;
            kept += 1;
            i = j;
            continue;
        }
        if let Some(c) = cks[i].correction().filter(|_| j - i == 1) {
            // A lone correction: nothing of that date to correct.
            debug_assert!(c.replaced.is_empty());
            let around = (
                kept.checked_sub(1).map(|k| cks[k].date),
                cks.get(j).map(|c| c.date),
            );
            orphan(v, &cks[i], reference, around);
        }
        cks.swap(kept, i);
        kept += 1;
        for k in i + 1..j {
            let (last, c) = (&cks[kept - 1], &cks[k]);
            let d = if same(last, c) {
                duplicate(c, last, reference)
            } else {
                Diagnostic::new(Code::ConflictingCheckin, c.span, format!("`{reference}` has two different check-ins on {}", c.date))
                    .help(format!("keep one check-in per item and date (which one counts would depend on file order), or settle them with a correction: `goalpost checkin {reference} VALUE --date {} --correct REASON`", c.date))
                    .related(last.span, "the other check-in is here")
            };
            v.push(d);
        }
        i = j;
    }
    cks.truncate(kept);
    cks
}

/// Whether two check-ins of one item and date say exactly the same.
fn same(a: &Checkin, b: &Checkin) -> bool {
    a.obs == b.obs && a.confidence == b.confidence && a.text == b.text
}

/// What [`same`] compares, as a key: the figure, the confidence, and the note, author and
/// correction reason.
type SameKey<'c> = (
    Option<bool>,
    u64,
    Option<u64>,
    Option<(Option<&'c str>, Option<&'c str>, Option<&'c str>)>,
);

/// A check-in's [`SameKey`]: check-ins are [`same`] exactly when their keys are equal. `None`
/// for one that such a key cannot stand for (a figure that is NaN, equal to nothing, or a
/// correction already holding what it replaced), to be compared one by one.
fn same_key(c: &Checkin) -> Option<SameKey<'_>> {
    // Equal numbers have equal keys: -0 is 0.
    let bits = |x: f64| match x {
        x if x.is_nan() => None,
        0.0 => Some(0),
        x => Some(x.to_bits()),
    };
    let (done, figure) = match c.obs {
        Observation::Value(x) => (None, bits(x)?),
        Observation::Done(d) => (Some(d), 0),
    };
    let confidence = match c.confidence {
        Some(x) => Some(bits(x)?),
        None => None,
    };
    let text = match &c.text {
        None => None,
        Some(t) => {
            let reason = match &t.correction {
                Some(k) if !k.replaced.is_empty() => return None,
                Some(k) => Some(k.reason.as_str()),
                None => None,
            };
            Some((t.note.as_deref(), t.by.as_deref(), reason))
        }
    };
    Some((done, figure, confidence, text))
}

fn duplicate(c: &Checkin, first: &Checkin, reference: &str) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateCheckin,
        c.span,
        format!(
            "the check-in of `{reference}` on {} is written twice; it counts once",
            c.date
        ),
    )
    .help("remove one copy (a union merge of two branches can create such repeats)")
    .related(first.span, "the other check-in is here")
}

/// The check-in that counts for one date whose check-ins (`group`, two or more) include a
/// correction (SPEC 3.2): the last correction in reading order (files in path order,
/// entries in file order), carrying every other distinct check-in of the date as what it
/// replaced. Identical copies count once (a warning); different originals are settled by
/// the correction. A date with corrections only is an orphan. `around` is the nearest dates
/// with check-ins before and after, for the orphan's help.
fn settle(
    v: &mut Vec<Diagnostic>,
    group: &[Checkin],
    reference: &str,
    around: (Option<Date>, Option<Date>),
) -> Checkin {
    let mut order: Vec<&Checkin> = group.iter().collect();
    order.sort_by_key(|c| (c.span.file, c.span.start));
    let mut distinct: Vec<&Checkin> = Vec::with_capacity(order.len());
    // The first distinct check-in of each key: found by a look-up, not a scan of those found
    // so far (a date may have thousands of check-ins).
    let mut keyed: HashMap<SameKey<'_>, usize> = HashMap::new();
    // The index in `distinct` of the first check-in the same as `c`, whose key is `key`.
    let first_same = |keyed: &HashMap<SameKey<'_>, usize>,
                      distinct: &[&Checkin],
                      c: &Checkin,
                      key: Option<SameKey<'_>>| match key {
        Some(k) => keyed.get(&k).copied(),
        None => distinct.iter().position(|d| same(d, c)),
    };
    for &c in &order {
        let key = same_key(c);
        match first_same(&keyed, &distinct, c, key) {
            Some(first) => v.push(duplicate(c, distinct[first], reference)),
            None => {
                if let Some(k) = key {
                    keyed.insert(k, distinct.len());
                }
                distinct.push(c);
            }
        }
    }
    // "The last in reading order", read literally: a repeated copy stands where its last
    // copy is (identical copies count once, but the later one is the later word).
    let winner = order
        .iter()
        .rev()
        .find(|c| c.correction().is_some())
        .and_then(|w| first_same(&keyed, &distinct, w, same_key(w)))
        .unwrap_or(distinct.len() - 1);
    let last_original = order.iter().rev().find(|c| c.correction().is_none());
    if distinct.iter().all(|c| c.correction().is_some()) {
        orphan(v, distinct[0], reference, around);
    }
    let replaced: Vec<Checkin> = distinct
        .iter()
        .enumerate()
        .filter(|&(k, _)| k != winner)
        .map(|(_, c)| (*c).clone())
        .collect();
    let mut settled = distinct[winner].clone();
    if settled.correction().is_some()
        && let Some(original) = last_original
    {
        inherit(&mut settled, original);
    }
    if let Some(c) = settled.text.as_mut().and_then(|t| t.correction.as_mut()) {
        c.replaced = replaced;
    }
    settled
}

/// SPEC 3.2: a correction's `confidence`, `note` and `by` that it does not name are those of
/// the check-in it corrects (`original`, the last original in reading order), so correcting
/// a figure does not silently drop what was said with it.
fn inherit(correction: &mut Checkin, original: &Checkin) {
    if correction.confidence.is_none() {
        correction.confidence = original.confidence;
    }
    if let Some(t) = correction.text.as_mut() {
        if t.note.is_none() {
            t.note = original.note().map(str::to_owned);
        }
        if t.by.is_none() {
            t.by = original.by().map(str::to_owned);
        }
    }
}

/// `orphan-correction`: a correction of a date on which the item has no other check-in.
fn orphan(
    v: &mut Vec<Diagnostic>,
    c: &Checkin,
    reference: &str,
    (before, after): (Option<Date>, Option<Date>),
) {
    let near: Vec<String> = [before, after]
        .into_iter()
        .flatten()
        .map(|d| d.to_string())
        .collect();
    let near = match near.as_slice() {
        [] => format!("`{reference}` has no other check-in"),
        [one] => format!("the nearest check-in of `{reference}` is on {one}"),
        [a, b] => format!("the nearest check-ins of `{reference}` are on {a} and {b}"),
        _ => unreachable!("at most two dates"),
    };
    v.push(
        Diagnostic::new(
            Code::OrphanCorrection,
            c.span,
            format!(
                "the correction of `{reference}` on {} has no check-in of that date to correct",
                c.date
            ),
        )
        .help(format!(
            "a correction replaces the check-in of the same item and date; {near}: fix the date, or drop `correction:` to record a plain check-in"
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkin((obs, conf, note, by, corr): (u8, u8, u8, u8, u8)) -> Checkin {
        let figure = |f: u8| [0.0, -0.0, f64::NAN, 1.5, 2.0][f as usize];
        let word = |w: u8, s: &str| (w > 0).then(|| format!("{s}{w}"));
        let correction = match corr {
            0 => None,
            1 | 2 => Some(Correction {
                reason: format!("r{corr}"),
                replaced: Vec::new(),
            }),
            _ => Some(Correction {
                reason: "r1".to_owned(),
                replaced: vec![checkin((3, 0, 0, 0, 0))],
            }),
        };
        let text = (note > 0 || by > 0 || correction.is_some()).then(|| {
            Box::new(CheckinText {
                note: word(note, "n"),
                by: word(by, "b"),
                correction,
            })
        });
        Checkin {
            date: Date::parse("2026-10-01").unwrap(),
            obs: if obs >= 5 {
                Observation::Done(obs == 5)
            } else {
                Observation::Value(figure(obs))
            },
            confidence: (conf > 0).then(|| figure(conf - 1)),
            text,
            span: Span::default(),
        }
    }

    /// Two check-ins with keys are the same exactly when their keys are equal, and a
    /// check-in without one is the same as none (NaN) or has a correction that replaced
    /// something (compared one by one): every pair of a small domain.
    #[test]
    fn keys_of_check_ins_are_equal_exactly_when_they_are_the_same() {
        let mut all = Vec::new();
        for obs in 0..7 {
            for conf in 0..6 {
                for note in 0..2 {
                    for by in 0..2 {
                        for corr in 0..4 {
                            all.push(checkin((obs, conf, note, by, corr)));
                        }
                    }
                }
            }
        }
        let replaced = |c: &Checkin| c.correction().is_some_and(|k| !k.replaced.is_empty());
        for a in &all {
            for b in &all {
                match (same_key(a), same_key(b)) {
                    (Some(x), Some(y)) => assert_eq!(x == y, same(a, b), "{a:?} {b:?}"),
                    _ => assert!(replaced(a) || replaced(b) || !same(a, b), "{a:?} {b:?}"),
                }
            }
        }
    }
}
