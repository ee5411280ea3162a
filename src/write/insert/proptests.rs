//! Property tests of the inserter over the layouts of goal files the loader reads: block and
//! flow objectives and key results, 2- and 4-space indentation, lists indented under their
//! key or not, comments and blank lines between and after items, CRLF, a byte-order mark,
//! no final newline, a key result whose last key is a nested block list or a block scalar,
//! existing `revisions:` in block and in flow style, the item first, in the middle or last.
//! For every generated file and item: the new text is the old one with one insertion; it
//! reads (`load::yaml`) as the old tree plus exactly the new entry, checked here on a plain
//! copy of the tree, independently of the inserter's own check; a second revision lands
//! after the first, and a second drop is refused.

use super::*;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Style {
    /// 2 or 4: the indentation step, also the width of `- ` (`-   ` at 4).
    unit: usize,
    /// Lists indented under their key (`key:\n  - x`) or not (`key:\n- x`).
    indented: bool,
    crlf: bool,
    final_newline: bool,
    bom: bool,
}

#[derive(Debug, Clone)]
enum Last {
    Plain,
    /// A quoted value with a comment after it.
    Quoted,
    /// `checkins:` as a block list of flow or block items.
    Checkins {
        flow_items: bool,
        n: usize,
    },
    /// A block scalar with this header.
    Scalar(&'static str),
}

#[derive(Debug, Clone)]
enum Revs {
    Absent,
    /// A block list; its items as flow mappings or block mappings.
    Block {
        n: usize,
        flow_items: bool,
    },
    Flow(usize),
}

#[derive(Debug, Clone)]
enum Gap {
    None,
    Blank,
    /// A comment at column 0, at the item's dash, or at its keys' column.
    Comment(usize),
    Both(usize),
}

#[derive(Debug, Clone)]
struct Kr {
    flow: bool,
    /// A flow mapping over two lines.
    two_lines: bool,
    revs: Revs,
    last: Last,
    gap: Gap,
}

#[derive(Debug, Clone)]
struct Obj {
    flow: bool,
    krs: Vec<Kr>,
    /// `key_results:` is the objective's last key (else `owner:` follows it).
    krs_last: bool,
    gap: Gap,
}

#[derive(Debug, Clone)]
struct Doc {
    style: Style,
    header_comment: bool,
    objs: Vec<Obj>,
    /// 0: nothing after the objectives, 1: `kpis: []`, 2: a comment.
    trailer: usize,
}

fn style() -> impl Strategy<Value = Style> {
    (
        prop_oneof![Just(2usize), Just(4usize)],
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(unit, indented, crlf, final_newline, bom)| Style {
            unit,
            indented,
            crlf,
            final_newline,
            bom,
        })
}

fn gap() -> impl Strategy<Value = Gap> {
    prop_oneof![
        3 => Just(Gap::None),
        1 => Just(Gap::Blank),
        1 => (0usize..3).prop_map(Gap::Comment),
        1 => (0usize..3).prop_map(Gap::Both),
    ]
}

fn kr() -> impl Strategy<Value = Kr> {
    let last = prop_oneof![
        Just(Last::Plain),
        Just(Last::Quoted),
        (any::<bool>(), 1usize..3).prop_map(|(flow_items, n)| Last::Checkins { flow_items, n }),
        prop::sample::select(vec!["|", "|+", "|-", ">", ">+"]).prop_map(Last::Scalar),
    ];
    let revs = prop_oneof![
        2 => Just(Revs::Absent),
        1 => (1usize..3, any::<bool>()).prop_map(|(n, flow_items)| Revs::Block { n, flow_items }),
        1 => (0usize..3).prop_map(Revs::Flow),
    ];
    (prop::bool::weighted(0.3), any::<bool>(), revs, last, gap()).prop_map(
        |(flow, two_lines, revs, last, gap)| Kr {
            flow,
            two_lines,
            revs,
            last,
            gap,
        },
    )
}

fn doc() -> impl Strategy<Value = Doc> {
    let obj = (
        prop::bool::weighted(0.2),
        prop::collection::vec(kr(), 1..4),
        any::<bool>(),
        gap(),
    )
        .prop_map(|(flow, krs, krs_last, gap)| Obj {
            flow,
            krs,
            krs_last,
            gap,
        });
    (
        style(),
        any::<bool>(),
        prop::collection::vec(obj, 1..4),
        0usize..3,
    )
        .prop_map(|(style, header_comment, objs, trailer)| Doc {
            style,
            header_comment,
            objs,
            trailer,
        })
}

fn sp(n: usize) -> String {
    " ".repeat(n)
}

/// A revision's flow text as a file would already hold it.
fn old_revision(m: usize) -> String {
    format!(
        "{{ date: 2026-10-0{}, target: {}, reason: r{m} }}",
        m + 1,
        m + 3
    )
}

fn flow_checkins(n: usize) -> String {
    (0..n)
        .map(|m| format!("{{ date: 2026-10-1{m}, value: {m} }}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Doc {
    fn render(&self) -> String {
        let s = &self.style;
        let mut lines: Vec<String> = Vec::new();
        if self.header_comment {
            lines.push("# yaml-language-server: $schema=../schema/goalpost.schema.json".into());
        }
        lines.push("team: growth".into());
        lines.push("period: 2026-Q4  # the quarter".into());
        lines.push("objectives:".into());
        let d = if s.indented { s.unit } else { 0 };
        for (i, o) in self.objs.iter().enumerate() {
            self.objective(&mut lines, i, o, d);
        }
        match self.trailer {
            1 => lines.push("kpis: []".into()),
            2 => lines.push("# the end".into()),
            _ => {}
        }
        let eol = if s.crlf { "\r\n" } else { "\n" };
        let mut text = lines.join(eol);
        if s.final_newline {
            text.push_str(eol);
        }
        if s.bom {
            text.insert(0, '\u{feff}');
        }
        text
    }

    fn dash(&self, col: usize) -> String {
        format!("{}-{}", sp(col), sp(self.style.unit - 1))
    }

    fn gap(lines: &mut Vec<String>, gap: &Gap, dash: usize, keys: usize) {
        let comment = |lines: &mut Vec<String>, at: usize| {
            let col = [0, dash, keys][at];
            lines.push(format!("{}# about what follows", sp(col)));
        };
        match gap {
            Gap::None => {}
            Gap::Blank => lines.push(String::new()),
            Gap::Comment(at) => comment(lines, *at),
            Gap::Both(at) => {
                lines.push(String::new());
                comment(lines, *at);
            }
        }
    }

    fn objective(&self, lines: &mut Vec<String>, i: usize, o: &Obj, d: usize) {
        let u = self.style.unit;
        let c = d + u;
        if o.flow {
            let krs: Vec<String> = o
                .krs
                .iter()
                .enumerate()
                .map(|(j, k)| Self::kr_flow(j, k))
                .collect();
            lines.push(format!(
                "{}{{ id: o{i}, title: Objective {i}, key_results: [{}] }}",
                self.dash(d),
                krs.join(", ")
            ));
        } else {
            lines.push(format!("{}id: o{i}", self.dash(d)));
            lines.push(format!("{}title: Objective {i}", sp(c)));
            lines.push(format!("{}key_results:", sp(c)));
            let dk = if self.style.indented { c + u } else { c };
            for (j, k) in o.krs.iter().enumerate() {
                self.kr(lines, j, k, dk);
            }
            if !o.krs_last {
                lines.push(format!("{}owner: alice", sp(c)));
            }
        }
        Self::gap(lines, &o.gap, d, c);
    }

    fn kr_flow(j: usize, k: &Kr) -> String {
        let mut s = format!("{{ id: k{j}, title: KR {j}, start: 1, target: 2");
        match k.revs {
            Revs::Absent => {}
            Revs::Block { n, .. } | Revs::Flow(n) => {
                let items: Vec<String> = (0..n).map(old_revision).collect();
                s.push_str(&format!(", revisions: [{}]", items.join(", ")));
            }
        }
        if let Last::Checkins { n, .. } = k.last {
            s.push_str(&format!(", checkins: [{}]", flow_checkins(n)));
        }
        s.push_str(" }");
        s
    }

    fn kr(&self, lines: &mut Vec<String>, j: usize, k: &Kr, dk: usize) {
        let u = self.style.unit;
        let ck = dk + u;
        let nested = if self.style.indented { ck + u } else { ck };
        if k.flow {
            let flow = Self::kr_flow(j, k);
            if k.two_lines {
                let (a, b) = flow.split_once(", ").unwrap_or((&flow, ""));
                lines.push(format!("{}{a},", self.dash(dk)));
                lines.push(format!("{}{b}", sp(ck + 2)));
            } else {
                lines.push(format!("{}{flow}", self.dash(dk)));
            }
            Self::gap(lines, &k.gap, dk, ck);
            return;
        }
        lines.push(format!("{}id: k{j}", self.dash(dk)));
        lines.push(format!("{}title: \"KR {j}\"", sp(ck)));
        lines.push(format!("{}start: 1", sp(ck)));
        lines.push(format!("{}target: 2", sp(ck)));
        match k.revs {
            Revs::Absent => {}
            Revs::Flow(n) => {
                let items: Vec<String> = (0..n).map(old_revision).collect();
                lines.push(format!("{}revisions: [{}]", sp(ck), items.join(", ")));
            }
            Revs::Block { n, flow_items } => {
                lines.push(format!("{}revisions:", sp(ck)));
                for m in 0..n {
                    if flow_items {
                        lines.push(format!("{}{}", self.dash(nested), old_revision(m)));
                    } else {
                        lines.push(format!("{}date: 2026-10-0{}", self.dash(nested), m + 1));
                        lines.push(format!("{}target: {}", sp(nested + u), m + 3));
                        lines.push(format!("{}reason: r{m}", sp(nested + u)));
                    }
                }
            }
        }
        match k.last {
            Last::Plain => lines.push(format!("{}unit: tickets", sp(ck))),
            Last::Quoted => lines.push(format!("{}unit: \"%\"   # percent", sp(ck))),
            Last::Checkins { flow_items, n } => {
                lines.push(format!("{}checkins:", sp(ck)));
                for m in 0..n {
                    if flow_items {
                        lines.push(format!(
                            "{}{{ date: 2026-10-1{m}, value: {m} }}",
                            self.dash(nested)
                        ));
                    } else {
                        lines.push(format!("{}date: 2026-10-1{m}", self.dash(nested)));
                        lines.push(format!("{}value: {m}", sp(nested + u)));
                    }
                }
            }
            Last::Scalar(header) => {
                lines.push(format!("{}description: {header}", sp(ck)));
                lines.push(format!("{}first line", sp(ck + u)));
                lines.push(String::new());
                lines.push(format!("{}  # not a comment", sp(ck + u)));
                if header.ends_with('+') {
                    lines.push(String::new());
                }
            }
        }
        Self::gap(lines, &k.gap, dk, ck);
    }
}

/// A plain copy of a YAML tree, spans aside, built independently of the inserter's check.
#[derive(Debug, Clone, PartialEq)]
enum V {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Seq(Vec<V>),
    Map(Vec<(V, V)>),
}

fn v(n: &SNode<'_>) -> V {
    match &n.value {
        Node::Null => V::Null,
        Node::Bool(b) => V::Bool(*b),
        Node::Int(i) => V::Num(*i as f64),
        Node::Float(f) => V::Num(*f),
        Node::Str(s) => V::Str(s.to_string()),
        Node::Seq(items) => V::Seq(items.iter().map(v).collect()),
        Node::Map(entries) => V::Map(entries.iter().map(|(k, x)| (v(k), v(x))).collect()),
    }
}

fn tree(text: &str) -> V {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    v(&yaml::parse(body, 0).unwrap_or_else(|e| panic!("{}\n{text}", e.message)))
}

fn entry<'v>(map: &'v mut V, key: &str) -> Option<&'v mut V> {
    let V::Map(entries) = map else { return None };
    entries
        .iter_mut()
        .find(|(k, _)| *k == V::Str(key.to_owned()))
        .map(|(_, x)| x)
}

fn item_of(root: &mut V, item: Item) -> &mut V {
    let (o, k) = match item {
        Item::Objective(o) => (o, None),
        Item::KeyResult(o, k) => (o, Some(k)),
    };
    let Some(V::Seq(objs)) = entry(root, "objectives") else {
        panic!("objectives")
    };
    let obj = &mut objs[o];
    match k {
        None => obj,
        Some(k) => {
            let Some(V::Seq(krs)) = entry(obj, "key_results") else {
                panic!("key_results")
            };
            &mut krs[k]
        }
    }
}

/// The tree `root` with `addition` recorded on `item`, as the inserter must leave it.
fn expect(mut root: V, item: Item, addition: &Addition) -> V {
    let (key, value) = match addition {
        Addition::Revision {
            date,
            target,
            start,
            reason,
        } => {
            let mut m = vec![(V::Str("date".into()), V::Str(date.to_string()))];
            if let Some(t) = target {
                m.push((V::Str("target".into()), V::Num(*t)));
            }
            if let Some(s) = start {
                m.push((V::Str("start".into()), V::Num(*s)));
            }
            m.push((V::Str("reason".into()), V::Str(reason.clone())));
            ("revisions", V::Map(m))
        }
        Addition::Drop { date, reason } => (
            "dropped",
            V::Map(vec![
                (V::Str("date".into()), V::Str(date.to_string())),
                (V::Str("reason".into()), V::Str(reason.clone())),
            ]),
        ),
    };
    let target = item_of(&mut root, item);
    match (key, entry(target, key)) {
        ("revisions", Some(V::Seq(list))) => list.push(value),
        (_, Some(_)) => panic!("the generator writes no `dropped:`"),
        (_, None) => {
            let V::Map(entries) = target else {
                panic!("a mapping")
            };
            let value = if key == "revisions" {
                V::Seq(vec![value])
            } else {
                value
            };
            entries.push((V::Str(key.into()), value));
        }
    }
    root
}

fn reason() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f\"\\\\#:,\\[\\]{}\u{85}\u{2028}\u{2029}\u{feff}\u{fffe} a-z-]{0,24}",
    ]
}

fn figure() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-1000i32..1000).prop_map(f64::from),
        any::<f64>().prop_filter("finite", |x| x.is_finite()),
    ]
}

fn addition(day: u8) -> impl Strategy<Value = Addition> {
    let date = Date::parse(&format!("2026-11-{day:02}")).expect("a date");
    prop_oneof![
        (
            prop::option::of(figure()),
            prop::option::of(figure()),
            reason()
        )
            .prop_map(move |(target, start, reason)| Addition::Revision {
                date,
                target: target.or(if start.is_none() { Some(7.0) } else { None }),
                start,
                reason,
            }),
        reason().prop_map(move |reason| Addition::Drop { date, reason }),
    ]
}

/// Whether `new` is `old` with one contiguous run of bytes inserted.
fn one_insertion(old: &str, new: &str) -> bool {
    let prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    new.len() > old.len() && prefix + suffix >= old.len()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn an_insertion_keeps_every_byte_and_adds_exactly_the_entry(
        doc in doc(),
        o in any::<prop::sample::Index>(),
        k in any::<prop::sample::Index>(),
        on_kr in any::<bool>(),
        first in addition(2),
        second in addition(9),
    ) {
        let old = doc.render();
        let before = tree(&old);
        let oi = o.index(doc.objs.len());
        let item = if on_kr {
            Item::KeyResult(oi, k.index(doc.objs[oi].krs.len()))
        } else {
            Item::Objective(oi)
        };
        let done = insert(&old, item, &first);
        prop_assert!(done.is_ok(), "{:?}\n{}", done, old);
        let Inserted { text: new, line } = done.unwrap();
        prop_assert!(one_insertion(&old, &new), "one insertion:\n{}\n---\n{}", old, new);
        prop_assert_eq!(tree(&new), expect(before.clone(), item, &first), "\n{}", new);
        let flow = first.flow().unwrap();
        let at_line = new.split('\n').nth(line - 1).unwrap_or("");
        prop_assert!(at_line.contains(&flow), "line {}: {:?}\n{}", line, at_line, new);
        if doc.style.crlf {
            prop_assert_eq!(new.matches('\n').count(), new.matches("\r\n").count());
        }
        prop_assert_eq!(new.ends_with('\n'), old.ends_with('\n'));
        prop_assert_eq!(new.starts_with('\u{feff}'), doc.style.bom);

        // Twice: a second revision comes after the first; a second drop is refused.
        match (&first, &second) {
            (Addition::Drop { .. }, Addition::Drop { .. }) => {
                prop_assert!(matches!(insert(&new, item, &second), Err(InsertError::Dropped(_))));
            }
            _ => {
                let again = insert(&new, item, &second);
                prop_assert!(again.is_ok(), "{:?}\n{}", again, new);
                let again = again.unwrap().text;
                prop_assert!(one_insertion(&new, &again));
                let want = expect(expect(before, item, &first), item, &second);
                prop_assert_eq!(tree(&again), want, "\n{}", again);
            }
        }
    }
}
