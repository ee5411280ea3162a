//! The fast path through a check-in log: which lines one commit removed and added, and the
//! one-line check-ins among them. Logs grow by appended lines, so trimming the common
//! prefix and suffix leaves a handful of lines; comparing what is left as multisets is
//! exact for our purpose (a moved line is no change) and far cheaper than a line diff.

use crate::bytes::{common_prefix, common_suffix};
use crate::load::raw::RawCheckin;
use std::collections::HashMap;

/// The lines only in `old` and only in `new`, each side in file order.
pub(crate) fn changed_lines<'a>(old: &'a [u8], new: &'a [u8]) -> (Vec<&'a [u8]>, Vec<&'a [u8]>) {
    let (p, s) = common_lines(old, new);
    let lines = |t: &'a [u8]| -> Vec<&'a [u8]> {
        let mid = &t[p..t.len() - s];
        mid.split(|&b| b == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .filter(|l| !l.is_empty())
            .collect()
    };
    let (old_mid, new_mid) = (lines(old), lines(new));
    let mut count: HashMap<&[u8], i64> = HashMap::new();
    for l in &new_mid {
        *count.entry(l).or_default() += 1;
    }
    for l in &old_mid {
        *count.entry(l).or_default() -= 1;
    }
    let mut take = |mid: Vec<&'a [u8]>, sign: i64| -> Vec<&'a [u8]> {
        mid.into_iter()
            .filter(|l| {
                let c = count.get_mut(l).expect("every middle line was counted");
                if *c * sign > 0 {
                    *c -= sign;
                    true
                } else {
                    false
                }
            })
            .collect()
    };
    let removed = take(old_mid, -1);
    let added = take(new_mid, 1);
    (removed, added)
}

/// The whole lines two versions share at their start and at their end: the byte length of
/// the common prefix (backed up to a line start) and of the common suffix (starting at a line
/// start on both sides, not overlapping the prefix).
fn common_lines(old: &[u8], new: &[u8]) -> (usize, usize) {
    let mut p = common_prefix(old, new);
    while p > 0 && old[p - 1] != b'\n' {
        p -= 1;
    }
    let max = old.len().min(new.len()) - p;
    let mut s = common_suffix(&old[p..], &new[p..]).min(max);
    let at_line_start = |t: &[u8], s: usize| t.len() - s == p || t[t.len() - s - 1] == b'\n';
    while s > 0 && !(at_line_start(old, s) && at_line_start(new, s)) {
        s -= 1;
    }
    (p, s)
}

/// Where two versions differ: the length of their common prefix, and the ends of the
/// differing middle in `old` and in `new` (what follows is their common suffix).
pub(crate) fn changed_region(old: &[u8], new: &[u8]) -> (usize, usize, usize) {
    let p = common_prefix(old, new);
    let max = old.len().min(new.len()) - p;
    let s = common_suffix(&old[p..], &new[p..]).min(max);
    (p, old.len() - s, new.len() - s)
}

/// Whether a change (`old` replaced by `new` at byte `p` of the newer text `text`) only
/// edits one plain scalar value in place: both sides are plain characters on one line (no
/// quote, comment, anchor, alias, bracket or colon), after a `key: ` on that line. Such an
/// edit cannot change how anything else in the file is read.
pub(crate) fn value_edit(text: &[u8], p: usize, old: &[u8], new: &[u8]) -> bool {
    let plain = |s: &[u8]| {
        s.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b' ' | b'.' | b'_' | b'+' | b'-'))
    };
    let line_start = text[..p]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |i| i + 1);
    let before = &text[line_start..p];
    plain(old) && plain(new) && before.windows(2).any(|w| w == b": ")
}

/// Lines inserted at one byte offset of the old text.
pub(crate) type Insertion<'a> = (usize, Vec<&'a [u8]>);

/// Where `new` is `old` with whole lines inserted, and with some lines replaced one for one
/// where `swap` allows it (given the old line's byte offset, the old line and the new one,
/// each with its line break): each insertion's byte offset in `old` (a line start, or the
/// end) and the lines inserted there (each with its line break), in order, and the offsets
/// of the lines replaced. `None` when anything else changed (a line removed or edited, a
/// last line without a line break extended). Lines are aligned greedily, which finds the
/// insertions whenever the inserted lines differ from the lines after them.
pub(crate) fn insertions<'a>(
    old: &[u8],
    new: &'a [u8],
    swap: impl Fn(usize, &[u8], &[u8]) -> bool,
) -> Option<(Vec<Insertion<'a>>, Vec<usize>)> {
    let (p, old_mid, new_mid) = middles(old, new);
    let mut out: Vec<Insertion<'a>> = Vec::new();
    let mut swapped = Vec::new();
    // Where the comparison is in each (a line start).
    let (mut i, mut j) = (0, 0);
    while j < new_mid.len() {
        // The whole lines both go on with alike, passed at once.
        let c = common_prefix(&old_mid[i..], &new_mid[j..]);
        let same = memchr::memrchr(b'\n', &new_mid[j..j + c]).map_or(0, |k| k + 1);
        (i, j) = (i + same, j + same);
        if j == new_mid.len() {
            break;
        }
        let line = line_at(new_mid, j);
        let was = (i < old_mid.len()).then(|| line_at(old_mid, i));
        j += line.len();
        if let Some(o) = was.filter(|o| *o == line || swap(p + i, o, line)) {
            if *o != *line {
                swapped.push(p + i);
            }
            i += o.len();
            continue;
        }
        if !line.ends_with(b"\n") {
            return None;
        }
        match out.last_mut() {
            Some((pos, lines)) if *pos == p + i => lines.push(line),
            _ => out.push((p + i, vec![line])),
        }
    }
    (i == old_mid.len()).then_some((out, swapped))
}

/// Where two versions' differing middles start (after the whole lines they share at their
/// start), and the middles (before the whole lines they share at their end).
fn middles<'o, 'n>(old: &'o [u8], new: &'n [u8]) -> (usize, &'o [u8], &'n [u8]) {
    let (p, s) = common_lines(old, new);
    (p, &old[p..old.len() - s], &new[p..new.len() - s])
}

/// The line of `t` that starts at byte `at`, with its `\n` (without, when it is the last
/// and has none).
fn line_at(t: &[u8], at: usize) -> &[u8] {
    &t[at..memchr::memchr(b'\n', &t[at..]).map_or(t.len(), |k| at + k + 1)]
}

/// What one changed line of a log is.
#[derive(Debug)]
pub(crate) enum Line {
    /// Blank or a comment: no change to anything.
    Nothing,
    /// A one-line check-in of some other ref.
    Other,
    /// A one-line check-in that names the ref.
    Checkin(Box<RawCheckin>),
    /// Anything else (a block-style check-in, the `checkins:` key, ...): the caller must
    /// compare whole files.
    Unknown,
}

/// Classifies one changed line of a log for the item whose ref is `reference`.
pub(crate) fn classify(line: &[u8], reference: &str) -> Line {
    classify_for(line, Some(reference))
}

fn classify_for(line: &[u8], reference: Option<&str>) -> Line {
    match shape(line, reference) {
        Ok(flow) => checkin_line(flow_checkin(flow), reference),
        Err(l) => l,
    }
}

/// Classifies changed lines of a log for every item: a one-line check-in of any ref is
/// [`Line::Checkin`] (one without a ref, [`Line::Other`]). The check-ins among them are
/// parsed together ([`flow_checkins`]).
pub(crate) fn classify_all(lines: &[&[u8]]) -> Vec<Line> {
    let shapes: Vec<Result<&str, Line>> = lines.iter().map(|l| shape(l, None)).collect();
    let flows: Vec<&str> = shapes
        .iter()
        .filter_map(|s| s.as_ref().ok().copied())
        .collect();
    let mut parsed = flow_checkins(&flows).into_iter();
    shapes
        .into_iter()
        .map(|s| match s {
            Ok(_) => checkin_line(parsed.next().flatten(), None),
            Err(l) => l,
        })
        .collect()
}

/// A changed line's flow mapping when it is a one-line check-in to parse (for `reference`,
/// when it may be one of that ref); what the line is otherwise.
fn shape<'l>(line: &'l [u8], reference: Option<&str>) -> Result<&'l str, Line> {
    let Ok(text) = std::str::from_utf8(line) else {
        return Err(Line::Unknown);
    };
    let t = text.trim();
    if t.is_empty() || t.starts_with('#') {
        return Err(Line::Nothing);
    }
    let Some(rest) = t.strip_prefix('-') else {
        return Err(Line::Unknown);
    };
    let rest = rest.trim_start();
    if !one_flow_mapping(rest) {
        return Err(Line::Unknown);
    }
    if reference.is_some_and(|r| !text.contains(r)) {
        return Err(Line::Other);
    }
    Ok(rest)
}

/// What a one-line check-in line is, from its parse.
fn checkin_line(c: Option<RawCheckin>, reference: Option<&str>) -> Line {
    match c {
        None => Line::Unknown,
        Some(c) => {
            if c.reference()
                .is_some_and(|r| reference.is_none_or(|want| r.value == want))
            {
                Line::Checkin(Box::new(c))
            } else {
                Line::Other
            }
        }
    }
}

/// Whether `s` is written as one flow mapping on its line: `{`, then a last `}` followed by
/// nothing or a comment.
pub(crate) fn one_flow_mapping(s: &str) -> bool {
    s.starts_with('{')
        && s.rfind('}').is_some_and(|i| {
            let after = s[i + 1..].trim();
            after.is_empty() || (after.starts_with('#') && s[i + 1..].starts_with([' ', '\t']))
        })
}

/// The date and value of a one-line check-in written exactly as goalpost writes a plain one,
/// `{ date: YYYY-MM-DD, value: N }` or `{ date: YYYY-MM-DD, value: N, confidence: N }`
/// (single spaces; each number an optional `-`, up to twelve digits without a leading zero,
/// and optionally `.` and up to twelve more), read without a parse: a YAML parse reads
/// such a line to a check-in with that date text and value and nothing else.
/// `None` for any other text (then a parse says what it is).
pub(crate) fn plain_checkin(flow: &str) -> Option<(&str, f64)> {
    let rest = flow.strip_prefix("{ date: ")?;
    let (date, rest) = rest.split_at_checked(10)?;
    let shape = date.bytes().enumerate().all(|(i, c)| match i {
        4 | 7 => c == b'-',
        _ => c.is_ascii_digit(),
    });
    if !shape {
        return None;
    }
    let (value, rest) = plain_number(rest.strip_prefix(", value: ")?)?;
    let rest = match rest.strip_prefix(", confidence: ") {
        Some(r) => plain_number(r)?.1,
        None => rest,
    };
    (rest == " }").then_some((date, value))
}

/// A number at the start of `s` as [`plain_checkin`] takes it, and what follows it.
fn plain_number(s: &str) -> Option<(f64, &str)> {
    let digits = |t: &str| t.bytes().take_while(u8::is_ascii_digit).count();
    let sign = usize::from(s.starts_with('-'));
    let whole = digits(&s[sign..]);
    if whole == 0 || whole > 12 || (whole > 1 && s.as_bytes()[sign] == b'0') {
        return None;
    }
    let end = sign + whole;
    if !s[end..].starts_with('.') {
        // An integer, as YAML reads one: `-0` is 0.
        return Some((s[..end].parse::<i64>().ok()? as f64, &s[end..]));
    }
    let fraction = digits(&s[end + 1..]);
    if fraction == 0 || fraction > 12 {
        return None;
    }
    let end = end + 1 + fraction;
    Some((s[..end].parse().ok()?, &s[end..]))
}

/// [`flow_checkin`] of each of `flows` (one-line flow mappings, [`one_flow_mapping`]), as one
/// parse of a log holding them all when it reads without a problem and each entry lies on
/// its own line (then each line was read as it is read alone: from the same state, the same
/// bytes, to the same end); one by one otherwise.
pub(crate) fn flow_checkins(flows: &[&str]) -> Vec<Option<RawCheckin>> {
    match batch(flows) {
        Some(list) => list.into_iter().map(Some).collect(),
        None => flows.iter().map(|f| flow_checkin(f)).collect(),
    }
}

/// The one parse of [`flow_checkins`]; `None` when it is not to be trusted line by line.
fn batch(flows: &[&str]) -> Option<Vec<RawCheckin>> {
    if flows.len() < 2 {
        return None;
    }
    let mut doc = String::from("checkins:\n");
    let mut at = Vec::with_capacity(flows.len());
    for flow in flows {
        doc.push_str("  - ");
        at.push((doc.len(), doc.len() + flow.len()));
        doc.push_str(flow);
        doc.push('\n');
    }
    let (raw, diags) = crate::load::parse_file(0, &doc);
    let list = raw?.checkins.take()?;
    let own_lines = list.len() == flows.len()
        && list.iter().zip(&at).all(|(c, &(start, end))| {
            let (s, n) = (c.span.start as usize, c.span.len as usize);
            s == start && s + n <= end
        });
    (diags.is_empty() && own_lines).then_some(list)
}

/// One flow mapping (`{ date: …, value: … }`), parsed as the single entry of a log with the
/// project's loader; `None` when it is not a check-in that reads without a problem.
pub(crate) fn flow_checkin(flow: &str) -> Option<RawCheckin> {
    let doc = format!("checkins:\n  - {flow}\n");
    let (raw, diags) = crate::load::parse_file(0, &doc);
    let mut raw = raw?;
    match raw.checkins.take() {
        Some(mut list) if list.len() == 1 && diags.is_empty() => Some(list.remove(0)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Whenever [`plain_checkin`] reads a line, a parse reads it to a check-in with the
        /// same date text and value and no other observation, ref or correction.
        #[test]
        fn plain_checkins_read_as_parsed(
            date in proptest::sample::select(vec!["2026-07-03", "2026-07-03", "2026-07-03", "2026-07-03", "2026-13-40", "2026-7-03", "20260-7-03", "2026-07-0x", "2026-07-03 ", "'2026-07-03'"]),
            value in "-?(0|[1-9][0-9]{0,13}|0[0-9]|[0-9]e[0-9]|\\.[0-9])(\\.[0-9]{0,13})?",
            confidence in proptest::option::of("(0|1|0\\.[0-9]{1,3}|x|-0\\.5|1e-1)"),
            seps in proptest::sample::select(vec![(", value: ", ", confidence: ", " }"), (", value: ", ", confidence: ", " }"), (", value: ", ", confidence: ", " }"), (", value: ", ", confidence: ", " }"), (",value: ", ", confidence: ", " }"), (", value: ", ",  confidence: ", " }"), (", value: ", ", confidence: ", "}"), (", value: ", ", confidence: ", " } # c"), (", done: ", ", confidence: ", " }"), (", value: ", ", note: ", " }"), (", value: ", ", ref: ", " }")]),
        ) {
            let mut flow = format!("{{ date: {date}{}{value}", seps.0);
            if let Some(c) = &confidence {
                flow.push_str(&format!("{}{c}", seps.1));
            }
            flow.push_str(seps.2);
            let ours = plain_checkin(&flow);
            if let Some((d, v)) = ours {
                let c = flow_checkin(&flow);
                proptest::prop_assert!(c.is_some(), "{flow}");
                let c = c.unwrap();
                proptest::prop_assert_eq!(c.date.as_ref().map(|d| d.value.as_str()), Some(d));
                proptest::prop_assert_eq!(c.value.as_ref().map(|v| v.value.to_bits()), Some(v.to_bits()));
                proptest::prop_assert!(c.reference().is_none() && c.correction().is_none() && c.done().is_none());
            }
        }
    }

    fn strs(v: Vec<&[u8]>) -> Vec<String> {
        v.into_iter()
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .collect()
    }

    #[test]
    fn plain_checkins_are_those_goalpost_writes() {
        let read = |f: &'static str| plain_checkin(f);
        assert_eq!(
            read("{ date: 2026-07-03, value: 402 }"),
            Some(("2026-07-03", 402.0))
        );
        assert_eq!(
            read("{ date: 2026-07-03, value: -0.25, confidence: 0.7 }"),
            Some(("2026-07-03", -0.25))
        );
        assert_eq!(
            read("{ date: 2026-07-03, value: 0, confidence: 1 }"),
            Some(("2026-07-03", 0.0))
        );
        for f in [
            "{ date: 2026-07-03, value: 402, note: x }",
            "{ date: 2026-07-03, value: 402 } # c",
            "{ date: 2026-07-03, value: 0402 }",
            "{ date: 2026-07-03, value: 1e3 }",
            "{ date: 2026-07-03, value: .5 }",
            "{ date: 2026-07-03, value: 1234567890123 }",
            "{ date: 2026-07-03, done: true }",
            "{ ref: a/b, date: 2026-07-03, value: 1 }",
            "{ date: '2026-07-03', value: 1 }",
        ] {
            assert_eq!(read(f), None, "{f}");
        }
    }

    #[test]
    fn an_append_is_one_added_line() {
        let (r, a) = changed_lines(b"checkins:\n  - a\n", b"checkins:\n  - a\n  - b\n");
        assert!(r.is_empty());
        assert_eq!(strs(a), vec!["  - b"]);
        let (r, a) = changed_lines(b"x\n- a\n- b\n", b"x\n- a\n");
        assert_eq!((strs(r), strs(a)), (vec!["- b".to_owned()], vec![]));
    }

    #[test]
    fn edits_and_moves() {
        let (r, a) = changed_lines(b"- a\n- v: 60\n- c\n", b"- a\n- v: 62\n- c\n");
        assert_eq!(
            (strs(r), strs(a)),
            (vec!["- v: 60".into()], vec!["- v: 62".into()])
        );
        // A moved line is in neither list.
        let (r, a) = changed_lines(b"- a\n- b\n- c\n", b"- b\n- a\n- c\n");
        assert!(r.is_empty() && a.is_empty());
        // A file without a final newline, and a shared suffix inside a line.
        let (r, a) = changed_lines(b"- x: 10", b"- x: 110");
        assert_eq!(
            (strs(r), strs(a)),
            (vec!["- x: 10".into()], vec!["- x: 110".into()])
        );
        let (r, a) = changed_lines(b"", b"- a\r\n");
        assert_eq!((strs(r), strs(a)), (vec![], vec!["- a".into()]));
        // Long files: the chunked comparison finds the same boundaries.
        let base: String = (0..500).map(|i| format!("- line {i}\n")).collect();
        let changed = format!("{base}- new\n").replace("- line 7\n", "- line 7b\n");
        let (r, a) = changed_lines(base.as_bytes(), changed.as_bytes());
        assert_eq!(
            (strs(r), strs(a)),
            (
                vec!["- line 7".into()],
                vec!["- line 7b".into(), "- new".into()]
            )
        );
        let (r, a) = changed_lines(b"", b"");
        assert!(r.is_empty() && a.is_empty());
    }

    #[test]
    fn value_edits_are_told_from_structure() {
        let text = b"a:\n  target: 211\n  title: x\n";
        let (p, old_end, new_end) = changed_region(b"a:\n  target: 210\n  title: x\n", text);
        assert!(value_edit(
            text,
            p,
            &b"a:\n  target: 210\n"[p..old_end],
            &text[p..new_end]
        ));
        // A new line, a key, a comment: structure.
        assert!(!value_edit(text, 5, b"", b"\n  x"));
        assert!(!value_edit(text, 0, b"", b"b"));
        assert!(!value_edit(text, 15, b"", b" #"));
        assert!(!value_edit(text, 15, b"", b"*a"));
    }

    #[test]
    fn insertions_are_found_between_lines() {
        let old = b"a\n  - x\nb\n  - y\nc\n";
        let new = b"a\n  - x\n  - x2\nb\n  - y\n  - y2\n  - y3\nc\n";
        let none = |_: usize, _: &[u8], _: &[u8]| false;
        let only = |old: &'static [u8], new: &'static [u8]| insertions(old, new, none);
        let (got, swapped) = only(old, new).unwrap();
        assert!(swapped.is_empty());
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, 8);
        assert_eq!(got[0].1, vec![&b"  - x2\n"[..]]);
        assert_eq!(got[1].0, 16);
        assert_eq!(got[1].1, vec![&b"  - y2\n"[..], &b"  - y3\n"[..]]);
        // At the end; nothing; an edit; a removal; a last line extended.
        assert_eq!(
            only(b"a\n", b"a\nb\n").unwrap().0,
            vec![(2, vec![&b"b\n"[..]])]
        );
        assert!(only(b"a\n", b"a\n").unwrap().0.is_empty());
        assert!(only(b"a\nb\n", b"a\nc\n").is_none());
        assert!(only(b"a\nb\n", b"a\n").is_none());
        assert!(only(b"a", b"a\nb\n").is_none());
        // A line replaced where `swap` allows it, and only there.
        let swap = |at: usize, o: &[u8], n: &[u8]| at == 2 && o == b"b: []\n" && n == b"b:\n";
        let (got, swapped) = insertions(b"a\nb: []\nc\n", b"a\nb:\n  - x\nc\n", swap).unwrap();
        assert_eq!((got, swapped), (vec![(8, vec![&b"  - x\n"[..]])], vec![2]));
        assert!(insertions(b"b: []\nb: []\n", b"b: []\nb:\n", swap).is_none());
    }

    #[test]
    fn lines_are_classified() {
        let r = "growth/churn";
        assert!(matches!(classify(b"  # note", r), Line::Nothing));
        assert!(matches!(
            classify(b"  - { ref: growth/nps, date: 2026-10-01, value: 1 }", r),
            Line::Other
        ));
        // A longer ref that starts with this one is another item.
        assert!(matches!(
            classify(
                b"- { ref: growth/churn-b2b, date: 2026-10-01, value: 1 }",
                r
            ),
            Line::Other
        ));
        match classify(
            b"  - { ref: growth/churn, date: 2026-10-01, value: 4.5 } # late",
            r,
        ) {
            Line::Checkin(c) => assert_eq!(c.value.map(|v| v.value), Some(4.5)),
            other => panic!("{other:?}"),
        }
        // A comment after the mapping, however spaced.
        assert!(matches!(
            classify(
                b"  - { ref: growth/churn, date: 2026-10-01, value: 4 }   # Q4",
                r
            ),
            Line::Checkin(_)
        ));
        assert!(matches!(classify(b"checkins:", r), Line::Unknown));
        assert!(matches!(classify(b"    value: 4", r), Line::Unknown));
        assert!(matches!(
            classify(b"  - ref: growth/churn", r),
            Line::Unknown
        ));
    }

    /// A check-in as the history compares it: everything but where it was read.
    fn unplaced(c: &Option<RawCheckin>) -> String {
        let text = format!("{c:?}");
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(i) = rest.find("Span {") {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            rest = &rest[rest.find('}').map_or(rest.len(), |j| j + 1)..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn clean_lines_are_read_in_one_parse() {
        let flows = [
            "{ date: 2026-01-02, value: 3 }",
            "{ ref: t/k, date: 2026-01-03, value: 4, note: \"it's {fine}\" }  # ok",
            "{ date: 2026-01-04, done: true, confidence: 0.5 }",
        ];
        let list = batch(&flows).expect("one parse");
        let alone: Vec<String> = flows.iter().map(|f| unplaced(&flow_checkin(f))).collect();
        let batched: Vec<String> = list.into_iter().map(|c| unplaced(&Some(c))).collect();
        assert_eq!(batched, alone);
        // A quote left open runs into the next line: read one by one.
        assert!(
            batch(&[
                "{ date: 2026-01-02, note: '}",
                "{ date: 2026-01-03, note: '}"
            ])
            .is_none()
        );
    }

    /// The lines of a text, each with its `\n` (the last one without, when the text does not end
    /// with one): `split_inclusive` at line feeds, found with `memchr`.
    struct LinesInclusive<'a>(&'a [u8]);

    impl<'a> Iterator for LinesInclusive<'a> {
        type Item = &'a [u8];

        fn next(&mut self) -> Option<&'a [u8]> {
            if self.0.is_empty() {
                return None;
            }
            let end = memchr::memchr(b'\n', self.0).map_or(self.0.len(), |i| i + 1);
            let (line, rest) = self.0.split_at(end);
            self.0 = rest;
            Some(line)
        }
    }

    /// [`insertions`] as it was first written, line by line: each new line matched with
    /// the next old line, else a swap, else inserted.
    fn insertions_line_by_line<'a>(
        old: &[u8],
        new: &'a [u8],
        swap: impl Fn(usize, &[u8], &[u8]) -> bool,
    ) -> Option<(Vec<Insertion<'a>>, Vec<usize>)> {
        let (p, old_mid, new_mid) = middles(old, new);
        let mut out: Vec<Insertion<'a>> = Vec::new();
        let mut swapped = Vec::new();
        let mut old_lines = LinesInclusive(old_mid).peekable();
        let mut at = p;
        for line in LinesInclusive(new_mid) {
            if old_lines.peek() == Some(&line) {
                at += line.len();
                old_lines.next();
                continue;
            }
            if let Some(o) = old_lines.next_if(|o| swap(at, o, line)) {
                swapped.push(at);
                at += o.len();
                continue;
            }
            if !line.ends_with(b"\n") {
                return None;
            }
            match out.last_mut() {
                Some((pos, lines)) if *pos == at => lines.push(line),
                _ => out.push((at, vec![line])),
            }
        }
        (old_lines.next().is_none()).then_some((out, swapped))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Passing alike stretches at once finds what matching line by line finds: texts of
        /// few distinct lines (so that inserted lines often equal those after them), lines
        /// inserted, removed and edited, last lines with and without a line break, a swap
        /// allowed for one kind of line.
        #[test]
        fn insertions_are_found_as_line_by_line(
            old in proptest::collection::vec(proptest::sample::select(vec!["a\n", "b\n", "c: []\n", "a", "\n", "b\r\n"]), 0..12),
            edits in proptest::collection::vec((0usize..14, 0u8..4, proptest::sample::select(vec!["a\n", "b\n", "c:\n", "x\n", "a", "b"])), 0..5),
        ) {
            let old: String = old.concat();
            let mut lines: Vec<String> = old.split_inclusive('\n').map(str::to_owned).collect();
            for (at, kind, text) in edits {
                let at = at.min(lines.len());
                match kind {
                    0 | 1 => lines.insert(at, text.to_owned()),
                    2 if at < lines.len() => { lines.remove(at); }
                    _ if at < lines.len() => lines[at] = text.to_owned(),
                    _ => {}
                }
            }
            let new: String = lines.concat();
            let swap = |_: usize, o: &[u8], n: &[u8]| o == b"c: []\n" && n == b"c:\n";
            proptest::prop_assert_eq!(
                insertions(old.as_bytes(), new.as_bytes(), swap),
                insertions_line_by_line(old.as_bytes(), new.as_bytes(), swap)
            );
        }
    }

    proptest::proptest! {
        /// The lines found with `memchr` are `split_inclusive`'s at line feeds.
        #[test]
        fn inclusive_lines_are_a_split_inclusive_at_line_feeds(text in "[ab\\r\\n]{0,12}") {
            let bytes = text.as_bytes();
            let want: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
            proptest::prop_assert_eq!(LinesInclusive(bytes).collect::<Vec<_>>(), want);
        }
    }

    /// A piece of a one-line flow mapping: fields as written, quotes and braces left open.
    fn field() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "date: 2026-01-02",
            "date: 2026-01-03",
            "value: 3",
            "value: '4'",
            "note: \"a}\"",
            "note: 'it''s'",
            "note: '}",
            "note: \"",
            "note: [1, 2",
            "note: { a: 1 }",
            "ref: t/k",
            "done: true",
            "confidence: 0.7",
            "x: 1",
            "by: ann",
            "date: 2026-01-02 }, { date: 2026-01-03",
        ])
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Lines read in one parse read as each does alone, whatever they hold.
        #[test]
        fn lines_read_together_read_as_alone(
            lines in proptest::collection::vec(
                (proptest::collection::vec(field(), 0..4), proptest::sample::select(vec!["", "  # c", " }", "'"])),
                0..6,
            ),
        ) {
            let texts: Vec<String> = lines
                .iter()
                .map(|(fields, tail)| format!("{{ {} }}{tail}", fields.join(", ")))
                .filter(|t| one_flow_mapping(t))
                .collect();
            let flows: Vec<&str> = texts.iter().map(String::as_str).collect();
            let together: Vec<String> = flow_checkins(&flows).iter().map(unplaced).collect();
            let alone: Vec<String> = flows.iter().map(|f| unplaced(&flow_checkin(f))).collect();
            proptest::prop_assert_eq!(together, alone);
        }
    }
}
