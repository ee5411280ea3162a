//! A parse moved to another file index: a second load of the same tree after this run added
//! files (`rollover`, [`super::Kept`]) takes the parses of the files it read already, but the
//! new files shift the indexes of the files after them. Every span of a parse points into its
//! own file, so moving it is setting the file of each span; every struct is taken apart
//! field by field (no `..`), so a new field with a span does not compile here until it is
//! moved too.

use super::Parsed;
use super::raw::*;
use crate::diag::{Diagnostic, Fix, Related, Span};
use crate::model::{Checkin, CheckinText, Correction};

/// Moves the parse of file `from` to file `to`: each span in file `from` is in file `to`.
pub(super) fn renumber(parsed: &mut Parsed, from: u32, to: u32) {
    if from == to {
        return;
    }
    let m = Move { from, to };
    let (raw, diags) = parsed;
    if let Some(raw) = raw {
        m.file(raw);
    }
    for d in diags {
        m.diagnostic(d);
    }
}

struct Move {
    from: u32,
    to: u32,
}

impl Move {
    fn span(&self, s: &mut Span) {
        if s.file == self.from {
            s.file = self.to;
        }
    }

    fn sp<T>(&self, v: &mut Option<Sp<T>>) {
        if let Some(v) = v {
            self.span(&mut v.span);
        }
    }

    fn sps<T>(&self, v: &mut Option<Vec<Sp<T>>>) {
        for v in v.iter_mut().flatten() {
            self.span(&mut v.span);
        }
    }

    fn boxed<T>(&self, v: &mut Option<Box<Sp<T>>>) {
        if let Some(v) = v {
            self.span(&mut v.span);
        }
    }

    fn diagnostic(&self, d: &mut Diagnostic) {
        let Diagnostic {
            code: _,
            severity: _,
            span,
            message: _,
            help: _,
            related,
            fix,
        } = d;
        self.span(span);
        for Related { span, label: _ } in related {
            self.span(span);
        }
        if let Some(fix) = fix {
            match &mut **fix {
                Fix::Replace {
                    span,
                    replacement: _,
                } => self.span(span),
                Fix::AddLine { span, line: _ } => self.span(span),
            }
        }
    }

    fn file(&self, f: &mut RawFile) {
        let RawFile {
            team,
            period,
            objectives,
            kpis,
            checkins,
            span,
            invalid: _,
        } = f;
        self.sp(team);
        self.sp(period);
        for o in objectives.iter_mut().flatten() {
            self.objective(o);
        }
        for k in kpis.iter_mut().flatten() {
            self.kpi(k);
        }
        self.raw_checkins(checkins);
        self.span(span);
    }

    fn objective(&self, o: &mut RawObjective) {
        let RawObjective {
            id,
            title,
            owner,
            commitment,
            parent,
            guardrails,
            key_results,
            carried_from,
            description,
            dropped,
            span,
            invalid: _,
        } = o;
        self.sp(id);
        self.sp(title);
        self.sp(owner);
        self.sp(commitment);
        self.sp(parent);
        self.sps(guardrails);
        for kr in key_results.iter_mut().flatten() {
            self.key_result(kr);
        }
        self.sp(carried_from);
        self.sp(description);
        self.dropped(dropped);
        self.span(span);
    }

    fn key_result(&self, kr: &mut RawKeyResult) {
        let RawKeyResult {
            id,
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
            revisions,
            dropped,
            checkins,
            checkins_at,
            lowered,
            span,
            invalid: _,
        } = kr;
        self.sp(id);
        self.sp(title);
        self.sp(kind);
        self.sp(start);
        self.sp(target);
        self.sp(unit);
        self.sp(weight);
        self.sp(kpi);
        self.sp(due);
        self.sp(owner);
        self.sp(cadence);
        self.sp(description);
        for r in revisions.iter_mut().flatten() {
            let RawRevision {
                date,
                target,
                start,
                reason,
                span,
                invalid: _,
            } = r;
            self.sp(date);
            self.sp(target);
            self.sp(start);
            self.sp(reason);
            self.span(span);
        }
        self.dropped(dropped);
        self.raw_checkins(checkins);
        if let Some(at) = checkins_at {
            self.span(at);
        }
        self.lowered(lowered);
        self.span(span);
    }

    fn dropped(&self, d: &mut Option<RawDropped>) {
        if let Some(RawDropped {
            date,
            reason,
            span,
            invalid: _,
        }) = d
        {
            self.sp(date);
            self.sp(reason);
            self.span(span);
        }
    }

    fn kpi(&self, k: &mut RawKpi) {
        let RawKpi {
            id,
            title,
            unit,
            better,
            target,
            critical,
            cadence,
            owner,
            source,
            checkins,
            checkins_at,
            lowered,
            span,
            invalid: _,
        } = k;
        self.sp(id);
        self.sp(title);
        self.sp(unit);
        self.sp(better);
        self.sp(target);
        self.sp(critical);
        self.sp(cadence);
        self.sp(owner);
        if let Some(RawKpiSource {
            from,
            query,
            span,
            invalid: _,
        }) = source
        {
            self.sp(from);
            self.sp(query);
            self.span(span);
        }
        self.raw_checkins(checkins);
        if let Some(at) = checkins_at {
            self.span(at);
        }
        self.lowered(lowered);
        self.span(span);
    }

    fn raw_checkins(&self, c: &mut Option<Vec<RawCheckin>>) {
        for c in c.iter_mut().flatten() {
            self.raw_checkin(c);
        }
    }

    fn raw_checkin(&self, c: &mut RawCheckin) {
        let RawCheckin {
            date,
            value,
            extra,
            span,
            invalid: _,
        } = c;
        self.sp(date);
        self.sp(value);
        if let Some(extra) = extra {
            let CheckinExtra {
                reference,
                done,
                confidence,
                note,
                by,
                correction,
            } = &mut **extra;
            self.sp(reference);
            self.sp(done);
            self.sp(confidence);
            self.boxed(note);
            self.boxed(by);
            self.boxed(correction);
        }
        self.span(span);
    }

    fn lowered(&self, l: &mut Lowered) {
        let Lowered { clean, rest } = l;
        for c in clean {
            self.checkin(c);
        }
        for (_, c) in rest {
            self.raw_checkin(c);
        }
    }

    fn checkin(&self, c: &mut Checkin) {
        let Checkin {
            date: _,
            obs: _,
            confidence: _,
            text,
            span,
        } = c;
        if let Some(text) = text {
            let CheckinText {
                note: _,
                by: _,
                correction,
            } = &mut **text;
            if let Some(Correction {
                reason: _,
                replaced,
            }) = correction
            {
                for c in replaced {
                    self.checkin(c);
                }
            }
        }
        self.span(span);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file that uses every key a goal file may have, with problems that give diagnostics
    /// with related spans and fixes.
    const EVERYTHING: &str = "\
team: growth
period: 2026-Q4
objectives:
  - id: grow
    title: Grow
    owner: ana
    commitment: committed
    parent: company/grow
    guardrails: [growth/churn]
    carried_from: 2026-Q3
    description: Why
    dropped: { date: 2026-11-01, reason: Gone }
    key_results:
      - id: signups
        title: Signups from 10 to 20
        kind: metric
        start: 10
        target: \"20\"
        unit: users
        weight: 2
        due: 2026-12-01
        owner: bo
        cadence: weekly
        description: More
        revisions:
          - { date: 2026-10-15, target: 25, start: 11, reason: Bigger }
        dropped: { date: 2026-11-02, reason: Moot }
        checkins:
          - { date: 2026-10-02, value: 12, confidence: 0.5, note: n, by: bo }
          - { date: 2026-10-02, value: 13, correction: typo }
          - { date: not-a-date, value: 1 }
      - id: ship
        title: Ship it
        kind: milestone
        kpi: growth/churn
        titel: typo
        checkins:
          - { date: 2026-10-03, done: true }
kpis:
  - id: churn
    title: Churn
    unit: \"%\"
    better: lower
    target: 2
    critical: 5
    cadence: monthly
    owner: cy
    source: { from: prom, query: up }
    checkins:
      - { date: 2026-10-01, value: 2.5 }
      - { date: 2026-10-01, value: 2.4, correction: late }
checkins:
  - { ref: growth/grow/signups, date: 2026-10-09, value: 14, note: x, by: y }
  - { ref: growth/churn, date: oops, value: 3 }
";

    #[test]
    fn a_moved_parse_is_the_parse_made_at_the_new_index() {
        for text in [
            EVERYTHING,
            "team: [unclosed\n",
            "objectives:\n  - id: Bad Id\n",
        ] {
            let mut moved = super::super::parse_and_lower(3, text);
            renumber(&mut moved, 3, 7);
            let direct = super::super::parse_and_lower(7, text);
            assert_eq!(format!("{moved:?}"), format!("{direct:?}"), "{text}");
            // The fixture has spans in every place, so the test proves something.
            assert!(!format!("{moved:?}").contains("file: 3,"), "{text}");
        }
        let parsed = super::super::parse_and_lower(3, EVERYTHING);
        let shown = format!("{parsed:?}");
        assert!(shown.contains("related: [Related") || shown.contains("fix: Some"));
    }
}
