//! YAML text → a tree of spanned nodes, through serde-saphyr with goalpost's safety options
//! (strict booleans, alias and depth budgets, duplicate keys passed through so that the
//! validator can name both places). Every parse failure becomes one located diagnostic.

use crate::diag::{Code, Diagnostic, Span};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::borrow::Cow;
use std::fmt;

/// A YAML node as written, with the span of every child. Plain scalars borrow from the
/// file's text (`Cow::Borrowed`): most nodes of a goal file are short scalars such as keys
/// and dates, and allocating each was a large part of parsing time.
#[derive(Debug)]
pub(crate) enum Node<'a> {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(Cow<'a, str>),
    Seq(Vec<SNode<'a>>),
    Map(Vec<(SNode<'a>, SNode<'a>)>),
}

/// A node and where it stands (`span.file` is 0; [`span_of`] sets the file).
#[derive(Debug)]
pub(crate) struct SNode<'a> {
    pub value: Node<'a>,
    pub span: Span,
}

impl<'de> Deserialize<'de> for SNode<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<Node<'de>>::deserialize(d)?;
        let loc = s.referenced;
        let sp = loc.span();
        let span = Span {
            file: 0,
            line: u32::try_from(loc.line()).unwrap_or(u32::MAX),
            col: u32::try_from(loc.column()).unwrap_or(u32::MAX),
            start: sp.byte_offset().unwrap_or(0).try_into().unwrap_or(u32::MAX),
            len: sp.byte_len().unwrap_or(0).try_into().unwrap_or(u32::MAX),
        };
        Ok(SNode {
            value: s.value,
            span,
        })
    }
}

impl Node<'_> {
    /// A short name of the node's type, for "expected X, found Y" messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Node::Null => "nothing",
            Node::Bool(_) => "a boolean",
            Node::Int(_) | Node::Float(_) => "a number",
            Node::Str(_) => "a string",
            Node::Seq(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }
}

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<Node<'de>, E> {
                Ok(Node::Null)
            }
            fn visit_none<E>(self) -> Result<Node<'de>, E> {
                Ok(Node::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node<'de>, D::Error> {
                Node::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Node<'de>, E> {
                Ok(Node::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Node<'de>, E> {
                Ok(Node::Int(i128::from(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Node<'de>, E> {
                Ok(Node::Int(i128::from(v)))
            }
            fn visit_i128<E>(self, v: i128) -> Result<Node<'de>, E> {
                Ok(Node::Int(v))
            }
            fn visit_u128<E>(self, v: u128) -> Result<Node<'de>, E> {
                Ok(i128::try_from(v).map_or(Node::Float(v as f64), Node::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Node<'de>, E> {
                Ok(Node::Float(v))
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Node<'de>, E> {
                Ok(Node::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Node<'de>, E> {
                Ok(Node::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Node<'de>, E> {
                Ok(Node::Str(Cow::Owned(v)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Node<'de>, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element::<SNode>()? {
                    v.push(x);
                }
                Ok(Node::Seq(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Node<'de>, A::Error> {
                let mut v = Vec::new();
                while let Some(k) = a.next_key::<SNode>()? {
                    let val = a.next_value::<SNode>()?;
                    v.push((k, val));
                }
                Ok(Node::Map(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// Maximum nesting of lists and mappings. Goal files need 6; the bound stops stack and
/// memory exhaustion from hostile input.
pub(crate) const MAX_DEPTH: usize = 32;
/// Most alias uses (`*name`) in one file.
pub(crate) const MAX_ALIASES: usize = 1_000;
/// Most nodes (scalars, keys included, and collections) in one file.
pub(crate) const MAX_NODES: usize = 2_000_000;
/// Most parser events in one file: a scalar is one, a collection two (start and end), and the
/// stream and the document two each.
pub(crate) const MAX_EVENTS: usize = 4_000_000;

fn options() -> serde_saphyr::Options {
    let mut o = serde_saphyr::Options::default();
    o.strict_booleans = true;
    o.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    o.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::PassThrough;
    o.with_snippet = false;
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_aliases = MAX_ALIASES;
    // goalpost reads no comments, but the parser buffers them while it looks ahead; its
    // default of 32 made a valid file with a long commented-out block (say, old key results
    // right after `key_results:`) "invalid YAML". They are bounded by the file size anyway.
    budget.max_buffered_comment_events = usize::MAX;
    budget.max_documents = 1;
    budget.max_events = MAX_EVENTS;
    budget.max_nodes = MAX_NODES;
    o.budget = Some(budget);
    o.alias_limits.max_total_replayed_events = 100_000;
    o
}

/// The span of a node inside file `file`.
pub(crate) fn span_of(node: &SNode<'_>, file: u32) -> Span {
    Span { file, ..node.span }
}

/// Parses one YAML document. `text` must already be checked to be UTF-8.
///
/// The plain shapes goal files are written in go through [`super::fastyaml`], which builds
/// the same tree as serde-saphyr several times faster; anything else (and every error) is
/// left to serde-saphyr.
pub(crate) fn parse(text: &str, file: u32) -> Result<SNode<'_>, Diagnostic> {
    if let Some(n) = super::fastyaml::parse(text) {
        return Ok(n);
    }
    parse_saphyr(text, file)
}

/// [`parse`] without the fast path.
pub(crate) fn parse_saphyr(text: &str, file: u32) -> Result<SNode<'_>, Diagnostic> {
    serde_saphyr::from_str_with_options::<SNode>(text, options())
        .map_err(|e| to_diag(&e, text, file))
}

fn to_diag(e: &serde_saphyr::Error, text: &str, file: u32) -> Diagnostic {
    let (line, col) = e
        .location()
        .map(|l| {
            let c = |x: u64| u32::try_from(x.max(1)).unwrap_or(u32::MAX);
            (c(l.line()), c(l.column()))
        })
        .unwrap_or((1, 1));
    let raw = e.without_snippet().to_string();
    let message = strip_location(&raw);
    let lower = message.to_lowercase();
    // The parser reports a tab where it noticed it: often the end of the previous token, a
    // line earlier. Point at the tab itself.
    let (line, col, len) = match lower.contains("tab").then(|| find_tab(text, line, col)) {
        Some(Some((l, c))) => (l, c, 1),
        _ => (line, col, 0),
    };
    let span = Span {
        file,
        line,
        col,
        start: byte_of(text, line, col),
        len,
    };
    // Several documents trip the one-document budget, but they are a syntax problem with
    // its own advice, not a hostile input.
    let (code, help) = if several_documents(e) || lower.contains("multiple yaml documents") {
        (
            Code::YamlSyntax,
            "a goal file holds one YAML document: remove the `---` separator or split the file",
        )
    } else if lower.contains("budget")
        || lower.contains("recursion limit")
        || lower.contains("alias") && lower.contains("limit")
    {
        (
            Code::ResourceLimit,
            "goal files are small and flat: remove deep nesting or repeated alias expansion (anchors that expand into huge trees)",
        )
    } else if lower.contains("tab") {
        (
            Code::YamlSyntax,
            "YAML indents with spaces only: replace the tab with spaces",
        )
    } else if let Some(c) = reserved_start(text, line) {
        let help = match c {
            '%' => {
                "a value that starts with `%` must be quoted: write `\"%\"` (for example `unit: \"%\"`)"
            }
            '@' => "a value that starts with `@` must be quoted: write it in double quotes",
            _ => "a value that starts with a backtick must be quoted: write it in double quotes",
        };
        (Code::YamlSyntax, help)
    } else {
        (Code::YamlSyntax, "fix the YAML syntax at this place")
    };
    let message = if several_documents(e) {
        "invalid YAML: the file holds more than one document".to_owned()
    } else if code == Code::ResourceLimit {
        format!("input exceeds a safety limit: {}", limit_words(e, &message))
    } else {
        format!("invalid YAML: {message}")
    };
    Diagnostic::new(code, span, message).help(help)
}

/// The YAML indicator that a plain value on line `line` starts with, when it is one that
/// YAML reserves (`%`, `@`, a backtick): `unit: %` is a syntax error that quoting fixes.
fn reserved_start(text: &str, line: u32) -> Option<char> {
    let l = text.lines().nth(line.checked_sub(1)? as usize)?;
    let rest = l.trim_start().trim_start_matches("- ");
    let (_, value) = rest.split_once(": ")?;
    value
        .trim_start()
        .chars()
        .next()
        .filter(|c| matches!(c, '%' | '@' | '`'))
}

/// The tab a parser error at (`line`, `col`) is about: on that line, the last one at or
/// before `col` (else its first); else the first one after it.
fn find_tab(text: &str, line: u32, col: u32) -> Option<(u32, u32)> {
    let col_of = |l: &str, pred: &dyn Fn(usize) -> bool| {
        l.chars()
            .enumerate()
            .filter(|&(i, c)| c == '\t' && pred(i + 1))
            .map(|(i, _)| i as u32 + 1)
            .collect::<Vec<u32>>()
    };
    for (i, l) in text
        .lines()
        .enumerate()
        .skip(line.saturating_sub(1) as usize)
    {
        let n = i as u32 + 1;
        if n == line {
            let before = col_of(l, &|c| c <= col as usize);
            if let Some(&c) = before.last() {
                return Some((n, c));
            }
            if let Some(&c) = col_of(l, &|_| true).first() {
                return Some((n, c));
            }
        } else if let Some(&c) = col_of(l, &|_| true).first() {
            return Some((n, c));
        }
    }
    None
}

/// Says which bound was hit in the user's words, not the parser's (`Depth { depth: 33 }`).
fn limit_words(e: &serde_saphyr::Error, message: &str) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match e {
        serde_saphyr::Error::Budget { breach, .. } => match breach {
            B::Depth { .. } => format!("nesting is deeper than {MAX_DEPTH} levels"),
            B::Aliases { .. } => format!("more than {MAX_ALIASES} aliases"),
            B::Anchors { .. } => "too many anchors".to_owned(),
            B::Events { .. } | B::Nodes { .. } => {
                "too many YAML nodes (the file expands to millions of values)".to_owned()
            }
            _ => message.to_owned(),
        },
        _ if message.to_lowercase().contains("recursion limit") => {
            "nesting is too deep to read".to_owned()
        }
        _ if message.contains("alias replay limit") => {
            "aliases expand to more than 100,000 values (an alias bomb?)".to_owned()
        }
        _ => message.to_owned(),
    }
}

fn several_documents(e: &serde_saphyr::Error) -> bool {
    use serde_saphyr::budget::BudgetBreach;
    matches!(
        e,
        serde_saphyr::Error::MultipleDocuments { .. }
            | serde_saphyr::Error::Budget {
                breach: BudgetBreach::Documents { .. },
                ..
            }
    )
}

/// serde-saphyr appends " at line L, column C" (and alias details); the diagnostic carries
/// the location separately, so drop it from the message.
fn strip_location(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or(msg);
    match first.find(" at line ") {
        Some(i) => first[..i].trim().to_owned(),
        None => first.trim().to_owned(),
    }
}

/// The byte offset of 1-based (line, column-in-characters) in `text`, clamped to its end.
pub(crate) fn byte_of(text: &str, line: u32, col: u32) -> u32 {
    let mut offset = 0usize;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            let col_bytes: usize = l
                .chars()
                .take(col.saturating_sub(1) as usize)
                .map(char::len_utf8)
                .sum();
            return u32::try_from(offset + col_bytes).unwrap_or(u32::MAX);
        }
        offset += l.len();
    }
    u32::try_from(text.len()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_one_based_and_point_at_values() {
        let n = parse("a: 1\nbb: [x, y]\n", 0).unwrap();
        let Node::Map(entries) = &n.value else {
            panic!("a mapping")
        };
        let (k, v) = &entries[1];
        assert_eq!(span_of(k, 0).line, 2);
        assert_eq!(span_of(v, 0).col, 5);
        assert_eq!(span_of(v, 0).start, 9);
    }

    #[test]
    fn limits_become_diagnostics() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(parse(&deep, 0).unwrap_err().code, Code::ResourceLimit);
        let tab = parse("a:\n\tb: 1\n", 0).unwrap_err();
        assert_eq!((tab.code, tab.span.line), (Code::YamlSyntax, 2));
        let two = parse("a: 1\n---\nb: 2\n", 0).unwrap_err();
        assert_eq!((two.code, two.span.line), (Code::YamlSyntax, 2));
        assert!(
            two.message.contains("more than one document"),
            "{}",
            two.message
        );
    }

    /// A tab is reported where it is, not where the parser noticed it (the end of the
    /// previous line's value, once).
    #[test]
    fn a_tab_is_located_at_the_tab() {
        let at = |text: &str| {
            let d = parse(text, 0).unwrap_err();
            assert!(d.message.contains("tab"), "{}", d.message);
            let line = text.lines().nth(d.span.line as usize - 1).unwrap_or("");
            let byte = d.span.start as usize;
            assert_eq!(&text[byte..byte + 1], "\t", "the span covers the tab");
            assert_eq!(d.span.len, 1);
            (d.span.line, d.span.col, line.to_owned())
        };
        let kpi = "kpis:\n  - id: churn\n    target: 5\n\tcritical: 7\n";
        assert_eq!(at(kpi), (4, 1, "\tcritical: 7".to_owned()));
        let item = "kpis:\n  - id: churn\n    checkins:\n\t  - { date: 2026-10-31, value: 6 }\n";
        let (line, col, _) = at(item);
        assert_eq!((line, col), (4, 1));
    }

    /// `unit: %` is invalid YAML (a reserved indicator starts a plain value): the help says
    /// to quote it rather than only "fix the syntax".
    #[test]
    fn a_value_starting_with_a_reserved_indicator_is_told_to_quote_it() {
        for (text, quoted) in [
            ("kpis:\n  - id: churn\n    unit: %\n", "`\"%\"`"),
            (
                "objectives:\n  - id: o\n    owner: @alice\n",
                "double quotes",
            ),
        ] {
            let d = parse(text, 0).unwrap_err();
            assert_eq!(d.code, Code::YamlSyntax);
            let help = d.help.clone().unwrap_or_default();
            assert!(help.contains(quoted), "{text:?}: {help}");
        }
    }

    #[test]
    fn strict_booleans_and_non_finite_pass_through() {
        let n = parse("a: yes\nb: .nan\nc: 1e400\n", 0).unwrap();
        let Node::Map(e) = n.value else {
            panic!("a mapping")
        };
        assert!(matches!(e[0].1.value, Node::Str(_)));
        assert!(matches!(e[1].1.value, Node::Float(f) if f.is_nan()));
        assert!(matches!(e[2].1.value, Node::Float(f) if f.is_infinite()));
    }
}
