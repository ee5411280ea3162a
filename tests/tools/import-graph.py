#!/usr/bin/env python3
"""The import graph of src/: which top-level modules (and files) name which, and its cycles.

A file's `crate::a::b` mentions (in `use` lines, paths and `use crate::{a, b::c}` groups) are
its edges; `a` is the top-level module, and the longest path that names a file under src/ is
the target file. Test code (`#[cfg(test)]` modules, inline or in their own files) is left
out unless `--with-tests` is given. Prints the strongly connected components with more than one member, at the
module level and at the file level. Usage: tests/tools/import-graph.py [src-dir] [--with-tests] [-v]
"""
import os
import re
import sys

ARGS = [a for a in sys.argv[1:] if not a.startswith("-")]
SRC = ARGS[0] if ARGS else os.path.join(os.path.dirname(__file__), "..", "..", "src")
SRC = os.path.normpath(SRC)


def files():
    for root, _, names in os.walk(SRC):
        for n in names:
            if n.endswith(".rs"):
                yield os.path.relpath(os.path.join(root, n), SRC)


def module_path(rel):
    """src-relative file → its module path, e.g. load/mod.rs → ['load']."""
    parts = rel[:-3].split(os.sep)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return parts


def drop_tests(text):
    """Removes `#[cfg(test)] mod name { ... }` blocks: test code is not an import of the crate."""
    while True:
        m = re.search(r"#\[cfg\(test\)\]\s*(?:pub(?:\(\w+\))?\s+)?mod\s+\w+\s*\{", text)
        if not m:
            return text
        i, depth = m.end(), 1
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        text = text[: m.start()] + text[i:]


def test_children(rel, text):
    """The files that `rel` declares as `#[cfg(test)] mod name;`."""
    here = os.path.dirname(rel)
    stem = os.path.basename(rel)[:-3]
    base = here if stem in ("mod", "lib", "main") else os.path.join(here, stem)
    out = set()
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(?:pub(?:\(\w+\))?\s+)?mod\s+(\w+)\s*;", text):
        out.add(os.path.join(base, m.group(1) + ".rs"))
        out.add(os.path.join(base, m.group(1), "mod.rs"))
    return out


def strip(text):
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    # Strings are dropped, except a `with = "path"` attribute's (schemars, serde), a real use.
    text = re.sub(
        r'(\bwith\s*=\s*)?"(?:\\.|[^"\\])*"',
        lambda m: m.group(0) if m.group(1) else '""',
        text,
    )
    return text


def expand(group):
    """`a, b::{c, d}, e::f` → ['a', 'b::c', 'b::d', 'e::f']."""
    out, depth, cur = [], 0, ""
    items = []
    for ch in group:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    items.append(cur)
    for it in items:
        it = re.sub(r"\s+", "", it)
        if not it:
            continue
        m = re.match(r"^([\w:]*?)::\{(.*)\}$", it)
        if m:
            out += [m.group(1) + "::" + x for x in expand(m.group(2))]
        elif it.startswith("{") and it.endswith("}"):
            out += expand(it[1:-1])
        else:
            out.append(it)
    return out


def mentions(text, here):
    """The crate paths `text` names: `crate::…`, and `super::…` made absolute from `here`
    (the file's module path)."""
    paths = []
    for m in re.finditer(r"\b((?:super::)+|crate::)\{", text):
        i, depth = m.end(), 1
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        paths += [m.group(1) + p for p in expand(text[m.end() : i - 1])]
    paths += re.findall(r"\b((?:super::)+\w+(?:::\w+)*|crate::\w+(?:::\w+)*)", text)
    out = []
    for p in paths:
        p = p.split(" as ")[0]
        if p.startswith("crate::"):
            out.append(p[len("crate::") :])
            continue
        up = 0
        while p.startswith("super::"):
            p, up = p[len("super::") :], up + 1
        if up <= len(here):
            out.append("::".join(here[: len(here) - up] + [p]))
    return out


MODS = {}
for rel in files():
    MODS[tuple(module_path(rel))] = rel


def target_file(path):
    parts = [p for p in path.split("::") if p]
    while parts:
        if tuple(parts) in MODS:
            return MODS[tuple(parts)]
        parts.pop()
    return None


def scc(nodes, edges):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return [c for c in out if len(c) > 1]


TESTS = "--with-tests" in sys.argv
texts = {}
for rel in files():
    with open(os.path.join(SRC, rel), encoding="utf-8") as f:
        texts[rel] = f.read()
test_only = set()
if not TESTS:
    for rel, text in texts.items():
        test_only |= test_children(rel, strip(text))

medges, fedges = {}, {}
top = set()
for rel in sorted(texts):
    if rel in test_only:
        continue
    mp = module_path(rel)
    if not mp:
        continue
    src_mod = mp[0]
    top.add(src_mod)
    text = strip(texts[rel])
    if not TESTS:
        text = drop_tests(text)
    for p in mentions(text, module_path(rel)):
        t = p.split("::")[0]
        if t != src_mod and t not in ("self", "super"):
            medges.setdefault(src_mod, set()).add(t)
        tf = target_file(p)
        if tf and tf != rel:
            fedges.setdefault(rel, set()).add(tf)

print(f"top-level modules: {len(top)}")
for c in scc(top, medges):
    print(f"module cycle of {len(c)}: {' '.join(c)}")
    inner = [(a, b) for a in c for b in sorted(medges.get(a, ())) if b in c]
    print(f"  edges inside: {len(inner)}")
for c in scc(set(MODS.values()), fedges):
    print(f"file cycle of {len(c)}: {' '.join(c)}")
if "-v" in sys.argv:
    for a in sorted(medges):
        print(a, "->", " ".join(sorted(medges[a])))
