//! The differential check behind the fast path's tests and the `fastyaml_agrees` fuzz target:
//! the fast parser must build exactly serde-saphyr's tree (values and every span) or give up,
//! and must never accept a file serde-saphyr rejects.

use super::parse;
use crate::load::yaml::{Node, SNode, parse_saphyr};
use std::fmt::Write;

fn dump(n: &SNode<'_>, depth: usize, out: &mut String) {
    let s = n.span;
    let v = match &n.value {
        Node::Seq(_) => "seq".to_owned(),
        Node::Map(_) => "map".to_owned(),
        // Bit patterns, so that -0.0 and 0.0 differ.
        Node::Float(f) => format!("Float({:x})", f.to_bits()),
        other => format!("{other:?}"),
    };
    let _ = writeln!(
        out,
        "{}{v} @{}:{} [{}+{}]",
        "  ".repeat(depth),
        s.line,
        s.col,
        s.start,
        s.len
    );
    match &n.value {
        Node::Seq(xs) => xs.iter().for_each(|x| dump(x, depth + 1, out)),
        Node::Map(kv) => kv.iter().for_each(|(k, v)| {
            dump(k, depth + 1, out);
            dump(v, depth + 2, out);
        }),
        _ => {}
    }
}

/// Whether the fast path took `text` (`Ok(true)`, and then agreed with serde-saphyr on every
/// value and span), gave it up (`Ok(false)`), or disagreed (`Err`, with both trees).
pub fn agrees(text: &str) -> Result<bool, String> {
    let Some(fast) = parse(text) else {
        return Ok(false);
    };
    let slow = parse_saphyr(text, 0).map_err(|e| {
        format!(
            "fast path accepted what serde-saphyr rejects: {}",
            e.message
        )
    })?;
    let (mut a, mut b) = (String::new(), String::new());
    dump(&fast, 0, &mut a);
    dump(&slow, 0, &mut b);
    if a == b {
        Ok(true)
    } else {
        Err(format!(
            "trees differ for {text:?}\nfast:\n{a}\nserde-saphyr:\n{b}"
        ))
    }
}
