//! Lowering of inline check-ins: right after a file is parsed (in the parse threads), each
//! KPI's and key result's check-ins that validation would accept without a word become the
//! model's [`Checkin`]; the others stay raw, with their position, for validation to judge.
//! So the raw check-ins of every file are never all in memory at once (BENCHMARKS.md).
//! Lowering needs only the file itself; validation runs it too, so both paths agree.

use super::raw::{KrKind, RawCheckin, RawFile};
use crate::date::Date;
use crate::diag::Span;
use crate::model::{Checkin, CheckinText, Observation};

/// One item's inline check-ins after lowering, in file order once merged back.
#[derive(Debug, Clone, Default)]
pub struct Lowered {
    /// The check-ins validation accepts as they are, in file order.
    pub clean: Vec<Checkin>,
    /// The others, each with its index in the item's `checkins:` list, in file order.
    pub rest: Vec<(u32, RawCheckin)>,
}

impl Lowered {
    /// Lowers one item's raw check-ins; `done` when the item is a milestone key result
    /// (which takes `done:` rather than `value:`).
    pub fn new(raws: Vec<RawCheckin>, done: bool) -> Lowered {
        let n_clean = raws.iter().filter(|r| clean(r, done).is_some()).count();
        let mut l = Lowered {
            clean: Vec::with_capacity(n_clean),
            rest: Vec::with_capacity(raws.len() - n_clean),
        };
        for (i, raw) in raws.into_iter().enumerate() {
            match clean(&raw, done) {
                Some((date, obs)) => l.clean.push(lower(raw, date, obs)),
                None => l.rest.push((i as u32, raw)),
            }
        }
        l
    }

    pub fn is_empty(&self) -> bool {
        self.clean.is_empty() && self.rest.is_empty()
    }

    /// The span of the first check-in in file order.
    pub fn first_span(&self) -> Option<Span> {
        match (self.rest.first(), self.clean.first()) {
            (Some((0, raw)), _) => Some(raw.span),
            (_, Some(c)) => Some(c.span),
            (Some((_, raw)), None) => Some(raw.span),
            (None, None) => None,
        }
    }
}

/// Lowers the inline check-ins of every KPI and key result of a file (those not lowered yet).
pub fn lower_file(f: &mut RawFile) {
    for k in f.kpis.iter_mut().flatten() {
        if let Some(raws) = k.checkins.take() {
            k.lowered = Lowered::new(raws, false);
        }
    }
    for o in f.objectives.iter_mut().flatten() {
        for kr in o.key_results.iter_mut().flatten() {
            if let Some(raws) = kr.checkins.take() {
                let done = kr
                    .kind
                    .as_ref()
                    .is_some_and(|k| k.value == KrKind::Milestone);
                kr.lowered = Lowered::new(raws, done);
            }
        }
    }
}

/// The date and observation of a check-in that validation would convert without a
/// diagnostic for an item expecting `done` (or `value`): a real date, exactly the expected
/// observation, a confidence in range, no `ref`, and no key whose value was rejected.
fn clean(raw: &RawCheckin, done: bool) -> Option<(Date, Observation)> {
    if !raw.invalid.is_empty() || raw.reference().is_some() {
        return None;
    }
    if raw
        .confidence()
        .is_some_and(|c| !(0.0..=1.0).contains(&c.value))
    {
        return None;
    }
    let date = Date::parse(&raw.date.as_ref()?.value)?;
    let obs = match (done, &raw.value, raw.done()) {
        (false, Some(v), None) => Observation::Value(v.value),
        (true, None, Some(d)) => Observation::Done(d.value),
        _ => return None,
    };
    Some((date, obs))
}

fn lower(raw: RawCheckin, date: Date, obs: Observation) -> Checkin {
    let extra = raw.extra.map(|e| *e).unwrap_or_default();
    Checkin {
        date,
        obs,
        confidence: extra.confidence.map(|c| c.value),
        text: CheckinText::boxed(extra.note.map(|n| n.value), extra.by.map(|b| b.value)),
        span: raw.span,
    }
}
