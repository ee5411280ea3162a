//! Spanned YAML nodes → raw goal-file structs. Every shape problem in a file is reported
//! (unknown keys with "did you mean", duplicate keys naming both places, wrong types with a
//! hint, keys with no value), and conversion carries on past each one.

use super::raw::*;
use super::yaml::{Node, SNode, span_of};
use crate::diag::{Code, Diagnostic, Span, suggest};

/// Converts nodes of one file, collecting diagnostics.
pub(crate) struct Converter<'a> {
    pub file: u32,
    pub text: &'a str,
    pub diags: Vec<Diagnostic>,
}

/// A mapping whose keys were checked against a known set.
pub(crate) struct MapView<'n> {
    pub span: Span,
    entries: Vec<(&'n str, Span, &'n SNode<'n>)>,
    /// Keys that were written but whose value was rejected, so that validation does not
    /// also call them missing.
    failed: std::cell::RefCell<Vec<&'static str>>,
}

impl<'n> MapView<'n> {
    /// The keys whose value was rejected. Usually none: then no allocation is kept (the
    /// marks `value` sets and `ok` clears leave a capacity behind, 64 bytes in every
    /// check-in).
    fn invalid(&self) -> Vec<&'static str> {
        let mut v = self.failed.take();
        v.shrink_to_fit();
        v
    }

    fn get(&self, key: &str) -> Option<(Span, &'n SNode<'n>)> {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, s, n)| (*s, *n))
    }
}

impl<'a> Converter<'a> {
    pub(crate) fn new(file: u32, text: &'a str) -> Self {
        Converter {
            file,
            text,
            diags: Vec::new(),
        }
    }

    fn span(&self, n: &SNode<'_>) -> Span {
        span_of(n, self.file)
    }

    fn type_error(&mut self, n: &SNode<'_>, what: &str, expected: &str) {
        let d = Diagnostic::new(
            Code::InvalidType,
            self.span(n),
            format!("{what} must be {expected}, found {}", n.value.kind()),
        );
        self.diags.push(d);
    }

    /// Views `n` as a mapping with the given keys. Unknown and duplicate keys are reported
    /// and left out of the view.
    pub(crate) fn map<'n>(
        &mut self,
        n: &'n SNode<'n>,
        what: &str,
        known: &[&'static str],
    ) -> Option<MapView<'n>> {
        let Node::Map(entries) = &n.value else {
            self.type_error(n, what, "a mapping");
            return None;
        };
        let mut view = MapView {
            span: self.span(n),
            entries: Vec::with_capacity(entries.len()),
            failed: Default::default(),
        };
        for (k, v) in entries {
            let kspan = self.span(k);
            let Node::Str(key) = &k.value else {
                self.diags.push(
                    Diagnostic::new(
                        Code::InvalidType,
                        kspan,
                        format!("keys of {what} must be names, found {}", k.value.kind()),
                    )
                    .help(format!("known keys are: {}", known.join(", "))),
                );
                continue;
            };
            if let Some((first, _)) = view.get(key) {
                self.diags.push(
                    Diagnostic::new(
                        Code::DuplicateKey,
                        kspan,
                        format!("`{key}` is written twice in {what}"),
                    )
                    .related(first, "first written here")
                    .help("keep one of them: YAML readers disagree on which one wins"),
                );
                continue;
            }
            if !known.contains(&key.as_ref()) {
                let d = Diagnostic::new(
                    Code::UnknownKey,
                    kspan,
                    format!("unknown key `{key}` in {what}"),
                );
                self.diags.push(match suggest(key, known.iter().copied()) {
                    _ if what == "a key result" && key == "source" => d.help(
                        "only KPIs take a `source`; a key result takes its KPI's values through `kpi: team/kpi`, so give the KPI the source",
                    ),
                    Some(s) => {
                        // The misspelt key stands for `s`: don't also call `s` missing.
                        view.failed.borrow_mut().push(s);
                        d.did_you_mean(s)
                    }
                    None => d.help(format!("known keys are: {}", known.join(", "))),
                });
                continue;
            }
            view.entries.push((key.as_ref(), kspan, v));
        }
        Some(view)
    }

    /// The value of `key`, reporting a key written with no value.
    fn value<'n>(&mut self, m: &MapView<'n>, key: &'static str) -> Option<&'n SNode<'n>> {
        let (kspan, v) = m.get(key)?;
        // Assume failure until a getter succeeds; `ok` removes the mark.
        m.failed.borrow_mut().push(key);
        if matches!(v.value, Node::Null) {
            self.diags.push(
                Diagnostic::new(
                    Code::MissingValue,
                    kspan,
                    format!("`{key}` is written with no value"),
                )
                .help(format!("give `{key}` a value, or remove the line")),
            );
            return None;
        }
        Some(v)
    }

    /// A string. Plain numbers and booleans are taken as written (`owner: 2024` is the
    /// string "2024"), using the source text so nothing is lost to number formatting.
    pub(crate) fn string(&mut self, m: &MapView<'_>, key: &'static str) -> Option<Sp<String>> {
        self.text_as(m, key, str::to_owned)
    }

    /// A string (see [`Converter::string`]), stored as `make` builds it from the text.
    fn text_as<T>(
        &mut self,
        m: &MapView<'_>,
        key: &'static str,
        make: impl Fn(&str) -> T,
    ) -> Option<Sp<T>> {
        let v = self.value(m, key)?;
        let span = self.span(v);
        match &v.value {
            Node::Str(s) => ok(m, key, Sp::new(make(s), span)),
            Node::Int(_) | Node::Float(_) | Node::Bool(_) => {
                let start = span.start as usize;
                let text = self
                    .text
                    .get(start..start + span.len as usize)
                    .unwrap_or_default();
                ok(m, key, Sp::new(make(text.trim()), span))
            }
            _ => {
                self.type_error(v, &format!("`{key}`"), "a string");
                None
            }
        }
    }

    /// A finite number.
    pub(crate) fn number(&mut self, m: &MapView<'_>, key: &'static str) -> Option<Sp<f64>> {
        let v = self.value(m, key)?;
        let span = self.span(v);
        match &v.value {
            Node::Int(i) => ok(m, key, Sp::new(*i as f64, span)),
            Node::Float(f) if f.is_finite() => ok(m, key, Sp::new(*f, span)),
            Node::Float(f) => {
                let what = if f.is_nan() {
                    "not a number (NaN)"
                } else {
                    "infinite or too large to represent"
                };
                self.diags.push(
                    Diagnostic::new(Code::NonFiniteNumber, span, format!("`{key}` is {what}"))
                        .help("write a finite number such as 42 or 0.5"),
                );
                None
            }
            Node::Str(s) => {
                self.diags.push(
                    Diagnostic::new(
                        Code::InvalidType,
                        span,
                        format!("`{key}` must be a number, found the string \"{s}\""),
                    )
                    .number_hint(s),
                );
                None
            }
            _ => {
                self.type_error(v, &format!("`{key}`"), "a number");
                None
            }
        }
    }

    /// `true` or `false`.
    pub(crate) fn boolean(&mut self, m: &MapView<'_>, key: &'static str) -> Option<Sp<bool>> {
        let v = self.value(m, key)?;
        match &v.value {
            Node::Bool(b) => ok(m, key, Sp::new(*b, self.span(v))),
            Node::Str(s) => {
                let d = Diagnostic::new(
                    Code::InvalidType,
                    self.span(v),
                    format!("`{key}` must be true or false, found \"{s}\""),
                )
                .help("write `true` or `false` (YAML 1.1 words such as yes/no/on/off are not booleans here)");
                self.diags.push(d);
                None
            }
            _ => {
                self.type_error(v, &format!("`{key}`"), "true or false");
                None
            }
        }
    }

    /// One of a fixed set of words.
    pub(crate) fn keyword<T>(
        &mut self,
        m: &MapView<'_>,
        key: &'static str,
        names: &[&str],
        parse: fn(&str) -> Option<T>,
    ) -> Option<Sp<T>> {
        let s = self.string(m, key)?;
        match parse(&s.value) {
            Some(t) => Some(Sp::new(t, s.span)),
            None => {
                m.failed.borrow_mut().push(key);
                let d = Diagnostic::new(
                    Code::InvalidType,
                    s.span,
                    format!(
                        "`{key}` must be one of {}, found `{}`",
                        names.join(", "),
                        s.value
                    ),
                );
                self.diags
                    .push(match suggest(&s.value, names.iter().copied()) {
                        Some(n) => d.did_you_mean(n),
                        None => d.help(format!("use one of: {}", names.join(", "))),
                    });
                None
            }
        }
    }

    /// A list, each element converted by `f`.
    pub(crate) fn list<T>(
        &mut self,
        m: &MapView<'_>,
        key: &'static str,
        mut f: impl FnMut(&mut Self, &SNode<'_>) -> Option<T>,
    ) -> Option<Vec<T>> {
        let v = self.value(m, key)?;
        let Node::Seq(items) = &v.value else {
            self.type_error(v, &format!("`{key}`"), "a list");
            return None;
        };
        // Exact capacity: a repository holds hundreds of thousands of check-ins, and a
        // growing vector would leave up to half of each list unused.
        let mut out = Vec::with_capacity(items.len());
        out.extend(items.iter().filter_map(|i| f(self, i)));
        ok(m, key, out)
    }

    /// The whole file.
    pub(crate) fn file(&mut self, root: &SNode<'_>) -> Option<RawFile> {
        let span = self.span(root);
        match &root.value {
            Node::Null => {
                // The empty document's span is the end of the file; the file as a whole is
                // what is wrong, so point at its start.
                let start = Span {
                    line: 1,
                    col: 1,
                    start: 0,
                    len: 0,
                    ..span
                };
                self.diags.push(
                    Diagnostic::new(Code::EmptyFile, start, "the goal file is empty")
                        .help("add `team:` with `objectives:` or `kpis:`, or a `checkins:` log; or delete the file"),
                );
                return None;
            }
            Node::Map(_) => {}
            _ => {
                self.diags.push(
                    Diagnostic::new(
                        Code::InvalidType,
                        span,
                        format!("a goal file must be a mapping, found {}", root.value.kind()),
                    )
                    .help("start the file with keys such as `team:`, `period:`, `objectives:`, `kpis:` or `checkins:`"),
                );
                return None;
            }
        }
        let m = self.map(
            root,
            "the goal file",
            &["team", "period", "objectives", "kpis", "checkins"],
        )?;
        if m.entries.is_empty() {
            self.diags.push(
                Diagnostic::new(Code::EmptyFile, span, "the goal file defines nothing")
                    .help("add `objectives:`, `kpis:` or `checkins:`"),
            );
        }
        Some(RawFile {
            team: self.string(&m, "team"),
            period: self.string(&m, "period"),
            objectives: self.list(&m, "objectives", Self::objective),
            kpis: self.list(&m, "kpis", Self::kpi),
            checkins: self.list(&m, "checkins", Self::checkin),
            span,
            invalid: m.invalid(),
        })
    }

    fn objective(&mut self, n: &SNode<'_>) -> Option<RawObjective> {
        let m = self.map(
            n,
            "an objective",
            &[
                "id",
                "title",
                "owner",
                "commitment",
                "parent",
                "guardrails",
                "key_results",
                "carried_from",
                "description",
                "dropped",
            ],
        )?;
        Some(RawObjective {
            id: self.string(&m, "id"),
            title: self.string(&m, "title"),
            owner: self.string(&m, "owner"),
            commitment: self.keyword(&m, "commitment", Commitment::NAMES, Commitment::parse),
            parent: self.string(&m, "parent"),
            guardrails: self.list(&m, "guardrails", Self::ref_item),
            key_results: self.list(&m, "key_results", Self::key_result),
            carried_from: self.string(&m, "carried_from"),
            description: self.string(&m, "description"),
            dropped: self.dropped(&m),
            span: m.span,
            invalid: m.invalid(),
        })
    }

    fn ref_item(&mut self, n: &SNode<'_>) -> Option<Sp<String>> {
        match &n.value {
            Node::Str(s) => Some(Sp::new(s.to_string(), self.span(n))),
            _ => {
                self.type_error(n, "a guardrail", "a KPI reference such as `growth/churn`");
                None
            }
        }
    }

    fn key_result(&mut self, n: &SNode<'_>) -> Option<RawKeyResult> {
        let m = self.map(
            n,
            "a key result",
            &[
                "id",
                "title",
                "kind",
                "start",
                "target",
                "unit",
                "weight",
                "kpi",
                "due",
                "owner",
                "cadence",
                "description",
                "revisions",
                "dropped",
                "checkins",
            ],
        )?;
        Some(RawKeyResult {
            id: self.string(&m, "id"),
            title: self.string(&m, "title"),
            kind: self.keyword(&m, "kind", KrKind::NAMES, KrKind::parse),
            start: self.number(&m, "start"),
            target: self.number(&m, "target"),
            unit: self.string(&m, "unit"),
            weight: self.number(&m, "weight"),
            kpi: self.string(&m, "kpi"),
            due: self.string(&m, "due"),
            owner: self.string(&m, "owner"),
            cadence: self.keyword(&m, "cadence", KrCadence::NAMES, KrCadence::parse),
            description: self.string(&m, "description"),
            revisions: self.list(&m, "revisions", Self::revision),
            dropped: self.dropped(&m),
            checkins: self.list(&m, "checkins", Self::checkin),
            checkins_at: m.get("checkins").map(|(_, v)| self.span(v)),
            lowered: Default::default(),
            span: m.span,
            invalid: m.invalid(),
        })
    }

    fn kpi(&mut self, n: &SNode<'_>) -> Option<RawKpi> {
        let m = self.map(
            n,
            "a KPI",
            &[
                "id", "title", "unit", "better", "target", "critical", "cadence", "owner",
                "source", "checkins",
            ],
        )?;
        Some(RawKpi {
            id: self.string(&m, "id"),
            title: self.string(&m, "title"),
            unit: self.string(&m, "unit"),
            better: self.keyword(&m, "better", Better::NAMES, Better::parse),
            target: self.number(&m, "target"),
            critical: self.number(&m, "critical"),
            cadence: self.keyword(&m, "cadence", Cadence::NAMES, Cadence::parse),
            owner: self.string(&m, "owner"),
            source: self.kpi_source(&m),
            checkins: self.list(&m, "checkins", Self::checkin),
            checkins_at: m.get("checkins").map(|(_, v)| self.span(v)),
            lowered: Default::default(),
            span: m.span,
            invalid: m.invalid(),
        })
    }

    /// A key result's revision `{ date, target, start, reason }`.
    fn revision(&mut self, n: &SNode<'_>) -> Option<RawRevision> {
        let m = self.map(n, "a revision", &["date", "target", "start", "reason"])?;
        Some(RawRevision {
            date: self.string(&m, "date"),
            target: self.number(&m, "target"),
            start: self.number(&m, "start"),
            reason: self.string(&m, "reason"),
            span: m.span,
            invalid: m.invalid(),
        })
    }

    /// An objective's or key result's `dropped: { date, reason }`.
    fn dropped(&mut self, m: &MapView<'_>) -> Option<RawDropped> {
        let v = self.value(m, "dropped")?;
        let d = self.map(v, "`dropped`", &["date", "reason"])?;
        let dropped = RawDropped {
            date: self.string(&d, "date"),
            reason: self.string(&d, "reason"),
            span: d.span,
            invalid: d.invalid(),
        };
        ok(m, "dropped", dropped)
    }

    /// A KPI's `source: { from: NAME, query: ... }`.
    fn kpi_source(&mut self, m: &MapView<'_>) -> Option<RawKpiSource> {
        let v = self.value(m, "source")?;
        let s = self.map(v, "a KPI's `source`", &["from", "query"])?;
        let source = RawKpiSource {
            from: self.string(&s, "from"),
            query: self.string(&s, "query"),
            span: s.span,
            invalid: s.invalid(),
        };
        ok(m, "source", source)
    }

    fn checkin(&mut self, n: &SNode<'_>) -> Option<RawCheckin> {
        let m = self.map(n, "a check-in", &CHECKIN_KEYS)?;
        // In the order of the keys, so that diagnostics come in the same order as ever.
        let reference = self.string(&m, "ref");
        let date = self.text_as(&m, "date", ShortText::new);
        let value = self.number(&m, "value");
        let extra = CheckinExtra {
            reference,
            done: self.boolean(&m, "done"),
            confidence: self.number(&m, "confidence"),
            note: self.string(&m, "note").map(Box::new),
            by: self.string(&m, "by").map(Box::new),
            correction: self.string(&m, "correction").map(Box::new),
        };
        let any = extra.reference.is_some()
            || extra.done.is_some()
            || extra.confidence.is_some()
            || extra.note.is_some()
            || extra.by.is_some()
            || extra.correction.is_some();
        Some(RawCheckin {
            date,
            value,
            extra: any.then(|| Box::new(extra)),
            span: m.span,
            invalid: CheckinKeys::from_keys(&m.failed.borrow()),
        })
    }
}

/// Marks `key` as successfully read.
fn ok<T>(m: &MapView<'_>, key: &'static str, value: T) -> Option<T> {
    m.failed.borrow_mut().retain(|k| *k != key);
    Some(value)
}

/// A hint for a number written with commas: `1,200` has a thousands separator (`1200`), while
/// `4,9` is a decimal comma (`4.9`). `None` when the text is no such number.
pub(crate) fn comma_hint(t: &str) -> Option<String> {
    comma_fix(t).map(|(hint, _)| hint)
}

/// [`comma_hint`] and the number it proposes.
fn comma_fix(t: &str) -> Option<(String, String)> {
    if !t.contains(',') {
        return None;
    }
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let groups: Vec<&str> = whole.split(',').collect();
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let thousands = groups.len() > 1
        && groups[0].len() <= 3
        && groups.iter().all(|g| all_digits(g))
        && groups[1..].iter().all(|g| g.len() == 3)
        && (fraction.is_empty() || all_digits(fraction));
    if thousands {
        let number = t.replace(',', "");
        let hint = format!("write the number without thousands separators: `{number}`");
        return Some((hint, number));
    }
    let decimal = t.replacen(',', ".", 1);
    if t.matches(',').count() == 1 && !t.contains('.') && decimal.parse::<f64>().is_ok() {
        return Some((
            format!("write the decimal point as a dot: `{decimal}`"),
            decimal,
        ));
    }
    None
}

/// The hint (and, when it proposes a number, the fix) for a string written where a number
/// belongs.
trait NumberHint {
    fn number_hint(self, s: &str) -> Self;
}

impl NumberHint for Diagnostic {
    fn number_hint(self, s: &str) -> Diagnostic {
        let t = s.trim();
        if let Some(n) = t.strip_suffix('%') {
            let n = n.trim();
            let d = self.help(format!(
                "write the number without the percent sign, `{n}`, and put `unit: \"%\"` on the key result or KPI"
            ));
            if n.contains('`') {
                d
            } else {
                d.replace_with(n)
            }
        } else if let Some((hint, number)) = comma_fix(t) {
            self.help(hint).replace_with(number)
        } else if t.parse::<f64>().is_ok() {
            self.help(format!("remove the quotes: `{t}`"))
                .replace_with(t)
        } else {
            self.help("write a plain number such as 42 or 0.5")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_are_thousands_or_a_decimal_point() {
        let h = |s| comma_hint(s).unwrap_or_default();
        assert!(h("1,200").ends_with("`1200`"), "{}", h("1,200"));
        assert!(h("-12,345,678.5").ends_with("`-12345678.5`"));
        assert!(h("4,9").ends_with("`4.9`"), "{}", h("4,9"));
        assert!(h("0,75").ends_with("`0.75`"));
        assert!(h("1,2345").ends_with("`1.2345`"));
        assert_eq!(comma_hint("1,2,3"), None);
        assert_eq!(comma_hint("a,b"), None);
        assert_eq!(comma_hint("42"), None);
    }
    use crate::load::yaml::parse;

    fn convert(src: &str) -> (Option<RawFile>, Vec<Diagnostic>) {
        let root = parse(src, 0).unwrap();
        let mut c = Converter::new(0, src);
        let f = c.file(&root);
        (f, c.diags)
    }

    fn codes(src: &str) -> Vec<&'static str> {
        convert(src).1.iter().map(|d| d.code.name()).collect()
    }

    #[test]
    fn reports_every_shape_problem_in_one_pass() {
        let src = "team: growth\nkpis:\n  - id: churn\n    titel: x\n    target: \"60%\"\n    better: lowr\n  - id: nps\n    id: nps2\n";
        assert_eq!(
            codes(src),
            [
                "unknown-key",
                "invalid-type",
                "invalid-type",
                "duplicate-key"
            ]
        );
        let (_, d) = convert(src);
        assert_eq!(d[0].help.as_deref(), Some("did you mean `title`?"));
        assert_eq!((d[0].span.line, d[0].span.col), (4, 5));
        // `better` is read before `target`, so the percentage is the third finding.
        assert!(d[2].help.as_deref().unwrap().contains("`60`"), "{d:#?}");
        assert_eq!(d[3].related[0].span.line, 7);
    }

    #[test]
    fn empty_and_valueless() {
        assert_eq!(codes("# just a comment\n"), ["empty-file"]);
        assert_eq!(convert("\n# just a comment\n").1[0].span.line, 1);
        assert_eq!(codes("team: a\nkpis:\n"), ["missing-value"]);
        assert_eq!(codes("- a\n- b\n"), ["invalid-type"]);
        assert_eq!(codes("team: a\nkpis: []\n"), Vec::<&str>::new());
    }

    #[test]
    fn plain_scalars_keep_their_text_as_strings() {
        let (f, d) = convert("team: 2024\nperiod: 2026\n");
        assert!(d.is_empty());
        let f = f.unwrap();
        assert_eq!(f.team.unwrap().value, "2024");
        assert_eq!(f.period.unwrap().value, "2026");
    }
}
