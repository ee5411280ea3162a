//! Inline check-ins after lowering, as they are kept on a raw KPI or key result: those
//! validation accepts as they are, already the model's [`Checkin`], and the others still
//! raw with their position. Lowering itself is validation's (`crate::validate::lower`, one
//! copy of the check-in rules); the parse threads run it right after parsing, so the raw
//! check-ins of every file are never all in memory at once (BENCHMARKS.md).

use super::raw::RawCheckin;
use crate::diag::Span;
use crate::model::Checkin;

/// One item's inline check-ins after lowering, in file order once merged back.
#[derive(Debug, Clone, Default)]
pub struct Lowered {
    /// The check-ins validation accepts as they are, in file order.
    pub clean: Vec<Checkin>,
    /// The others, each with its index in the item's `checkins:` list, in file order.
    pub rest: Vec<(u32, RawCheckin)>,
}

impl Lowered {
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
