//! `goalpost calendar` (SPEC 15): the dates that need someone as an RFC 5545 calendar of
//! all-day events: each open-period key result's and each KPI's next check-in, each open
//! milestone's due date and each open period's end.
//!
//! A small writer rather than a crate: the escaping of TEXT (RFC 5545 3.3.11), the 75-octet
//! folding that never splits a UTF-8 character (3.1) and CRLF line ends are the whole of
//! what is needed, and are tested here and against python's `icalendar` and `ical.js`.

use crate::attention::{kpi_checkin_due, kr_checkin_due};
use crate::date::Date;
use crate::model::{Goals, KpiId, ObjectiveId};
use crate::score::Scorecard;

/// What an event is about; the first part of its `UID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Checkin,
    Due,
    PeriodEnd,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Checkin => "checkin",
            Kind::Due => "due",
            Kind::PeriodEnd => "period-end",
        }
    }
}

/// One all-day event.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Event {
    pub date: Date,
    pub kind: Kind,
    /// The ref (or period name) the event is about, as written.
    pub about: String,
    pub summary: String,
}

impl Event {
    /// `KIND-REF-YYYYMMDD@goalpost`: the same for the same item and date on every run.
    pub(crate) fn uid(&self) -> String {
        format!(
            "{}-{}-{}@goalpost",
            self.kind.as_str(),
            uid_safe(&self.about),
            compact(self.date)
        )
    }
}

/// The events at `card.as_of` for `objectives` (their key results and milestones, while
/// their period is open), `kpis`, and the end of each open period in `periods_of`: sorted by
/// date, then kind, then ref.
pub(crate) fn events(
    goals: &Goals,
    card: &Scorecard,
    objectives: &[ObjectiveId],
    kpis: &[KpiId],
    periods_of: &[ObjectiveId],
) -> Vec<Event> {
    let t = card.as_of;
    let mut out = Vec::new();
    for &id in objectives {
        let o = goals.objective(id);
        if !o.period.contains(t) {
            continue;
        }
        let s = card.objective(id);
        for (kr, ks) in o.key_results.iter().zip(&s.key_results) {
            let reference = o.kr_ref(kr).to_string();
            if let Some(due) = kr_checkin_due(&o.period, kr, ks, t) {
                out.push(Event {
                    date: due.max(t),
                    kind: Kind::Checkin,
                    summary: format!("Check in: {reference} — {}", kr.title),
                    about: reference.clone(),
                });
            }
            if let Some(due) = kr.kind.due()
                && ks.done != Some(true)
            {
                out.push(Event {
                    date: due,
                    kind: Kind::Due,
                    summary: format!("Due: {reference} — {}", kr.title),
                    about: reference,
                });
            }
        }
    }
    for &id in kpis {
        let k = goals.kpi(id);
        if let Some(due) = kpi_checkin_due(k.cadence.days(), card.kpi(id)) {
            let reference = k.reference().to_string();
            out.push(Event {
                date: due.max(t),
                kind: Kind::Checkin,
                summary: format!("Check in: {reference} — {}", k.title),
                about: reference,
            });
        }
    }
    let mut periods: Vec<&crate::period::Period> = periods_of
        .iter()
        .map(|&id| &goals.objective(id).period)
        .filter(|p| p.contains(t))
        .collect();
    periods.sort_by(|a, b| (a.end, &a.name).cmp(&(b.end, &b.name)));
    periods.dedup_by(|a, b| a.name == b.name);
    for p in periods {
        out.push(Event {
            date: p.end,
            kind: Kind::PeriodEnd,
            summary: format!("{} ends: review", p.name),
            about: p.name.clone(),
        });
    }
    out.sort_by(|a, b| (a.date, a.kind, &a.about).cmp(&(b.date, b.kind, &b.about)));
    out
}

/// The calendar: `VCALENDAR` with one `VEVENT` per event, `DTSTAMP` `as_of` at midnight
/// UTC, CRLF line ends, every line folded at 75 octets.
pub(crate) fn calendar(events: &[Event], as_of: Date) -> String {
    let mut out = String::new();
    let mut line = |l: &str| fold_into(&mut out, l);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line(&format!(
        "PRODID:-//goalpost//goalpost {}//EN",
        env!("CARGO_PKG_VERSION")
    ));
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    let stamp = format!("DTSTAMP:{}T000000Z", compact(as_of));
    for e in events {
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", e.uid()));
        line(&stamp);
        line(&format!("DTSTART;VALUE=DATE:{}", compact(e.date)));
        line(&format!("DTEND;VALUE=DATE:{}", compact(e.date.add_days(1))));
        line(&format!("SUMMARY:{}", escape(&e.summary)));
        line("TRANSP:TRANSPARENT");
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// `YYYYMMDD` (RFC 5545 3.3.4).
fn compact(d: Date) -> String {
    d.to_string().replace('-', "")
}

/// A ref or period name as a part of a `UID`: letters, digits, `-` and `_` kept, `/` as `.`,
/// every other byte as `%XX`, so two different names never give the same `UID`.
pub(crate) fn uid_safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' => out.push(char::from(b)),
            b'/' => out.push('.'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A TEXT value (RFC 5545 3.3.11): `\`, `;` and `,` escaped, a line break (CRLF, CR or LF)
/// as `\n`, and other control characters, which TEXT cannot hold, as spaces.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\t' => out.push('\t'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` to `out` folded (RFC 5545 3.1): at most 75 octets a line before CRLF, each
/// continuation starting with a space, never inside a UTF-8 character.
fn fold_into(out: &mut String, line: &str) {
    const LIMIT: usize = 75;
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > LIMIT {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(line: &str) -> String {
        let mut out = String::new();
        fold_into(&mut out, line);
        out
    }

    #[test]
    fn escapes_text_as_rfc_5545_says() {
        assert_eq!(escape(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(escape("one\ntwo\r\nthree\rfour"), r"one\ntwo\nthree\nfour");
        assert_eq!(escape("<!channel> & x"), "<!channel> & x");
        assert_eq!(escape("bell\u{7}esc\u{1b}"), "bell esc ");
    }

    #[test]
    fn short_lines_are_not_folded() {
        assert_eq!(folded("SUMMARY:x"), "SUMMARY:x\r\n");
        let exact = "X".repeat(75);
        assert_eq!(folded(&exact), format!("{exact}\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_never_inside_a_character() {
        for line in [
            "X".repeat(200),
            format!("SUMMARY:{}", "é".repeat(100)),
            format!("SUMMARY:a{}", "目標".repeat(60)),
            format!("SUMMARY:{}", "🎯x".repeat(50)),
        ] {
            let out = folded(&line);
            assert!(out.ends_with("\r\n"));
            let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
            assert!(physical.len() > 1, "{line} was not folded");
            for (i, p) in physical.iter().enumerate() {
                assert!(p.len() <= 75, "line {i} has {} octets", p.len());
                if i > 0 {
                    assert!(p.starts_with(' '));
                }
            }
            // Unfolding (removing CRLF and the one space after it) gives the line back.
            assert_eq!(out.trim_end_matches("\r\n").replace("\r\n ", ""), line);
        }
    }

    #[test]
    fn uids_are_safe_and_distinct() {
        assert_eq!(uid_safe("team/obj/kr-1"), "team.obj.kr-1");
        assert_eq!(uid_safe("a.b"), "a%2Eb");
        assert_ne!(uid_safe("a/b"), uid_safe("a.b"));
        assert_eq!(uid_safe("2026 Q4@x"), "2026%20Q4%40x");
    }

    #[test]
    fn a_calendar_has_crlf_lines_and_the_events() {
        let d = Date::parse("2026-12-06").expect("date");
        let events = vec![Event {
            date: d,
            kind: Kind::Checkin,
            about: "t/o/k".to_owned(),
            summary: "Check in: t/o/k — a, b".to_owned(),
        }];
        let cal = calendar(&events, d);
        assert!(cal.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(cal.ends_with("END:VCALENDAR\r\n"));
        assert!(!cal.replace("\r\n", "").contains('\n'));
        assert!(cal.contains("UID:checkin-t.o.k-20261206@goalpost\r\n"));
        assert!(cal.contains("DTSTAMP:20261206T000000Z\r\n"));
        assert!(cal.contains("DTSTART;VALUE=DATE:20261206\r\n"));
        assert!(cal.contains("DTEND;VALUE=DATE:20261207\r\n"));
        assert!(cal.contains("SUMMARY:Check in: t/o/k — a\\, b\r\n"));
    }
}
