//! The rules between the layers (README, "Rules between the layers"), read from the code: a
//! file's `crate::…` and `super::…` paths name the top-level modules it uses, and each
//! top-level module may use only those its row of [`LAYERS`] lists. Test code
//! (`#[cfg(test)]` items and the files they declare) may use any layer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of `src/` and the modules it may use. The arrows point down: the
/// table has no circle, so neither can the code (`tests/tools/import-graph.py` shows the graph).
const LAYERS: &[(&str, &[&str])] = &[
    // Leaves.
    ("date", &[]),
    ("bytes", &[]),
    ("text", &[]),
    ("fsutil", &[]),
    ("diag", &[]),
    ("par", &[]),
    ("period", &["date"]),
    ("model", &["date", "period", "diag"]),
    ("select", &["model", "diag"]),
    ("config", &["date", "period", "diag", "model", "fsutil"]),
    // The pipeline: load → validate → score.
    (
        "load",
        &["date", "diag", "model", "config", "fsutil", "text", "par"],
    ),
    (
        "validate",
        &[
            "date", "period", "diag", "model", "config", "load", "text", "par",
        ],
    ),
    ("score", &["date", "model", "config", "par"]),
    // Beside it, below report.
    ("net", &[]),
    ("git", &["bytes", "load", "net"]),
    ("pull", &["date", "model", "config", "load", "net"]),
    ("attention", &["date", "period", "model", "score"]),
    ("lint", &["diag", "model", "config", "score", "text"]),
    ("explain", &["diag", "lint"]),
    (
        "diff",
        &[
            "period", "diag", "model", "config", "load", "score", "lint", "text",
        ],
    ),
    (
        "check",
        &[
            "diag", "model", "config", "load", "validate", "score", "lint", "diff",
        ],
    ),
    (
        "history",
        &["bytes", "model", "select", "load", "git", "diff"],
    ),
    ("checkin", &["date", "diag", "model", "load", "git"]),
    ("schema", &["model", "config", "load", "lint"]),
    (
        "write",
        &[
            "date", "diag", "config", "fsutil", "text", "load", "check", "checkin", "git", "schema",
        ],
    ),
    (
        "upstream",
        &[
            "date", "config", "fsutil", "model", "load", "validate", "score", "diff", "write",
        ],
    ),
    // Outputs.
    (
        "report",
        &[
            "date",
            "period",
            "diag",
            "model",
            "select",
            "text",
            "load",
            "score",
            "attention",
            "diff",
            "history",
            "par",
        ],
    ),
    (
        "lifecycle",
        &[
            "diag", "period", "model", "text", "load", "score", "checkin", "report", "schema",
        ],
    ),
    (
        "insights",
        &[
            "model",
            "select",
            "text",
            "load",
            "score",
            "git",
            "history",
            "report",
            "lifecycle",
        ],
    ),
    ("contract", &["schema", "report", "lifecycle", "insights"]),
    // The editor server speaks its protocol itself.
    (
        "lsp",
        &[
            "date", "period", "diag", "model", "select", "text", "fsutil", "config", "load",
            "validate", "score", "explain", "check", "checkin", "report", "schema", "git",
        ],
    ),
    // The command line: any module but itself is below it.
    (
        "cli",
        &[
            "par",
            "date",
            "diag",
            "model",
            "select",
            "text",
            "fsutil",
            "config",
            "load",
            "score",
            "net",
            "git",
            "pull",
            "attention",
            "explain",
            "diff",
            "check",
            "history",
            "checkin",
            "schema",
            "write",
            "upstream",
            "report",
            "lifecycle",
            "insights",
            "contract",
            "lsp",
        ],
    ),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read_dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file under `src/`: `load/mod.rs` is `["load"]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts
        .last()
        .is_some_and(|l| ["mod", "lib", "main"].contains(&l.as_str()))
    {
        parts.pop();
    }
    parts
}

/// `text` without comments, and with strings emptied except a `with = "path"` attribute's
/// (schemars, serde), which is a real use of the path.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if text[i..].starts_with("//") {
            i += text[i..].find('\n').unwrap_or(text.len() - i);
        } else if text[i..].starts_with("/*") {
            i += text[i..].find("*/").map_or(text.len() - i, |e| e + 2);
        } else if let Some(len) = raw_string(&text[i..]) {
            out.push_str("\"\"");
            i += len;
        } else if b[i] == b'\'' && text[i..].len() >= 3 && b[i + 2] == b'\'' {
            // A char literal such as '"' or '{'; lifetimes (`'a`) are left alone.
            out.push_str("' '");
            i += 3;
        } else if text[i..].starts_with("'\\") {
            let end = text[i + 2..].find('\'').map_or(text.len(), |e| i + 3 + e);
            out.push_str("' '");
            i = end;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(b.len());
            let keep = out.trim_end().ends_with('=')
                && out
                    .trim_end()
                    .trim_end_matches('=')
                    .trim_end()
                    .ends_with("with");
            out.push_str(if keep { &text[i..end] } else { "\"\"" });
            i = end;
        } else {
            let ch = text[i..].chars().next().expect("a char");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// The length of the raw string `r#"…"#` (any number of `#`) that `text` starts with.
fn raw_string(text: &str) -> Option<usize> {
    let rest = text.strip_prefix('r')?;
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    let body = rest[hashes..].strip_prefix('"')?;
    let close = format!("\"{}", "#".repeat(hashes));
    let end = body.find(&close).map_or(body.len(), |e| e + close.len());
    Some(1 + hashes + 1 + end)
}

/// `code` without its `#[cfg(test)]` items, and the names of the modules declared by
/// `#[cfg(test)] mod name;` (their files are test code too).
fn without_tests(code: &str) -> (String, Vec<String>) {
    let mut code = code.to_owned();
    let mut test_mods = Vec::new();
    while let Some(at) = code.find("#[cfg(test)]") {
        let after = at + "#[cfg(test)]".len();
        let rest = &code[after..];
        let end = match (rest.find('{'), rest.find(';')) {
            (Some(open), semi) if semi.is_none_or(|s| open < s) => {
                let mut depth = 0usize;
                let mut end = rest.len();
                for (k, ch) in rest.char_indices().skip_while(|(k, _)| *k < open) {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (_, Some(semi)) => {
                let item: Vec<&str> = rest[..semi].split_whitespace().collect();
                if let Some(name) = item.iter().position(|w| *w == "mod").map(|i| item[i + 1]) {
                    test_mods.push(name.to_owned());
                }
                semi + 1
            }
            (_, None) => rest.len(),
        };
        code.replace_range(at..after + end, "");
    }
    (code, test_mods)
}

/// The paths `code` names from the crate root, as segments: `crate::a::b` and `super::…`
/// made absolute from `here`; `crate::{a, b::c}` groups give each member.
fn paths(code: &str, here: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut i = 0;
    while i < code.len() {
        let rest = &code[i..];
        let starts = (rest.starts_with("crate::") || rest.starts_with("super::"))
            && !code[..i].ends_with(|c: char| ident(c) || c == ':');
        if !starts {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        // The path up to its end, with one level of `{…}` groups expanded.
        let mut j = 0;
        let mut depth = 0usize;
        for (k, ch) in rest.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                c if depth == 0 && !(ident(c) || c == ':') => break,
                _ => {}
            }
            j = k + ch.len_utf8();
        }
        for p in expand(&rest[..j]) {
            let mut segs: Vec<&str> = p.split("::").filter(|s| !s.is_empty()).collect();
            let mut abs: Vec<String> = Vec::new();
            if segs.first() == Some(&"crate") {
                segs.remove(0);
            } else {
                let ups = segs.iter().take_while(|s| **s == "super").count();
                if ups > here.len() {
                    continue;
                }
                abs.extend(here[..here.len() - ups].iter().cloned());
                segs.drain(..ups);
            }
            abs.extend(segs.iter().map(|s| (*s).to_owned()));
            out.push(abs);
        }
        i += j.max(1);
    }
    out
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(path: &str) -> Vec<String> {
    let path: String = path.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = path.find('{') else {
        return vec![path.split(" as ").next().unwrap_or_default().to_owned()];
    };
    let prefix = &path[..open];
    let inner = path[open + 1..]
        .strip_suffix('}')
        .unwrap_or(&path[open + 1..]);
    let mut items = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (k, ch) in inner.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(&inner[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .filter(|i| !i.is_empty())
        .flat_map(|i| expand(&format!("{prefix}{i}")))
        .collect()
}

/// Every use of one top-level module by another, outside test code: (file, used module,
/// the path that uses it).
fn uses() -> Vec<(String, String, String, String)> {
    let src = src();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut code: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut test_files: BTreeSet<PathBuf> = BTreeSet::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        let (kept, test_mods) = without_tests(&code_only(&text));
        let dir = match f.file_stem().and_then(|s| s.to_str()) {
            Some("mod" | "lib" | "main") => f.parent().expect("a parent").to_path_buf(),
            _ => f.with_extension(""),
        };
        for m in test_mods {
            test_files.insert(dir.join(format!("{m}.rs")));
            test_files.insert(dir.join(&m).join("mod.rs"));
        }
        code.insert(f.clone(), kept);
    }
    let tops: BTreeSet<String> = LAYERS.iter().map(|(m, _)| (*m).to_owned()).collect();
    let mut out = Vec::new();
    for (f, kept) in &code {
        if test_files.iter().any(|t| f == t) {
            continue;
        }
        let rel = f.strip_prefix(&src).expect("under src");
        let here = module_path(rel);
        let Some(own) = here.first() else { continue };
        for p in paths(kept, &here) {
            let Some(used) = p.first() else { continue };
            if used != own && tops.contains(used) {
                out.push((
                    format!("src/{}", rel.display()),
                    own.clone(),
                    used.clone(),
                    p.join("::"),
                ));
            }
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0 && a.2 == b.2);
    out
}

/// Every module under `src/` has a row, and no row uses a module below it in a circle: the
/// table is ordered so that a module uses only modules listed before it.
#[test]
fn the_layer_table_covers_every_module_and_has_no_circle() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let listed: Vec<&str> = LAYERS.iter().map(|(m, _)| *m).collect();
    for f in &files {
        let rel = f.strip_prefix(src()).expect("under src");
        if let Some(top) = module_path(rel).first() {
            assert!(
                listed.contains(&top.as_str()),
                "src/{}: the module `{top}` has no row in LAYERS (tests/cli/layers.rs); \
                 add it with the modules it may use",
                rel.display()
            );
        }
    }
    for (i, (m, may)) in LAYERS.iter().enumerate() {
        for u in *may {
            let at = listed.iter().position(|l| l == u);
            assert!(
                at.is_some_and(|at| at < i),
                "LAYERS: `{m}` may use `{u}`, which is not listed before it: \
                 the table must point down, with no circle"
            );
        }
    }
}

/// Arrows point down (STYLE.md): each module uses only the modules its row of [`LAYERS`]
/// lists. So nothing but `cli` uses `cli`, `model` uses only `date`, `period` and `diag`,
/// `text` nothing, and the pipeline never `report`.
#[test]
fn every_module_uses_only_the_layers_below_it() {
    let may: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    let found = uses();
    assert!(found.len() > 100, "the uses were not read: {}", found.len());
    let back: Vec<String> = found
        .iter()
        .filter(|(_, own, used, _)| {
            !may.get(own.as_str())
                .is_some_and(|m| m.contains(&used.as_str()))
        })
        .map(|(file, own, used, path)| {
            format!("{file}: `{own}` uses `{used}` (crate::{path}), which LAYERS does not allow")
        })
        .collect();
    assert!(
        back.is_empty(),
        "back edges between the layers (README, \"Rules between the layers\"):\n{}",
        back.join("\n")
    );
    // And the table says nothing the code does not do: each allowed use is a real one.
    let used: BTreeSet<(&str, &str)> = found
        .iter()
        .map(|(_, own, used, _)| (own.as_str(), used.as_str()))
        .collect();
    for (m, allowed) in LAYERS {
        for u in *allowed {
            assert!(
                used.contains(&(*m, *u)),
                "LAYERS lets `{m}` use `{u}`, which it does not: remove it from the table"
            );
        }
    }
}
