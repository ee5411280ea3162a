use super::*;
use std::cell::Cell;
use std::collections::BTreeMap;

/// A tree in memory that counts how often it is asked.
#[derive(Default)]
struct Mem {
    nodes: BTreeMap<String, Node>,
    memo: Memo,
    node_calls: Cell<usize>,
    list_calls: Cell<usize>,
}

impl Mem {
    fn new(spec: &[(&str, &str)]) -> Mem {
        let mut m = Mem::default();
        for (path, what) in spec {
            m.add(path, what);
        }
        m
    }

    /// `what`: "file", "dir" or "-> target".
    fn add(&mut self, path: &str, what: &str) {
        let mut dir = String::new();
        for part in path
            .split('/')
            .collect::<Vec<_>>()
            .split_last()
            .map_or(&[][..], |p| p.1)
        {
            dir = join(&dir, part);
            self.nodes.insert(dir.clone(), Node::Dir);
        }
        let node = match what {
            "file" => Node::File,
            "dir" => Node::Dir,
            link => Node::Link(link.trim_start_matches("-> ").to_owned()),
        };
        self.nodes.insert(path.to_owned(), node);
    }
}

impl Tree for Mem {
    fn node(&self, real: &str) -> io::Result<Node> {
        self.node_calls.set(self.node_calls.get() + 1);
        if real.is_empty() {
            return Ok(Node::Dir);
        }
        Ok(self.nodes.get(real).cloned().unwrap_or(Node::Missing))
    }

    fn list(&self, real: &str) -> io::Result<Vec<(String, Node)>> {
        self.list_calls.set(self.list_calls.get() + 1);
        let prefix = if real.is_empty() {
            String::new()
        } else {
            format!("{real}/")
        };
        Ok(self
            .nodes
            .iter()
            .filter_map(|(p, n)| {
                let rest = p.strip_prefix(&prefix)?;
                (!rest.contains('/')).then(|| (rest.to_owned(), n.clone()))
            })
            .collect())
    }

    fn inside(&self, absolute: &str) -> Option<String> {
        absolute
            .strip_prefix("/repo")
            .map(|r| r.trim_start_matches('/').to_owned())
    }

    fn memo(&self) -> &Memo {
        &self.memo
    }
}

fn found(real: &str, node: Node) -> Resolved {
    Resolved::Found {
        real: real.to_owned(),
        node,
    }
}

fn refused(link: &str, target: &str, why: Why) -> Resolved {
    Resolved::Refused(Refused {
        link: link.to_owned(),
        target: target.to_owned(),
        why,
    })
}

fn res(t: &Mem, path: &str) -> Resolved {
    resolve(t, path, Hidden::Refuse).expect("no I/O error in memory")
}

#[test]
fn plain_paths_and_links_inside_resolve_to_their_real_path() {
    let t = Mem::new(&[
        ("goals/a.yaml", "file"),
        ("shared/b.yaml", "file"),
        ("goals/b.yaml", "-> ../shared/b.yaml"),
        ("goals/abs.yaml", "-> /repo/shared/b.yaml"),
        ("goals/s", "-> ../shared"),
        ("goals/dot", "-> ."),
        ("goals/chain.yaml", "-> b.yaml"),
    ]);
    assert_eq!(res(&t, "goals/a.yaml"), found("goals/a.yaml", Node::File));
    assert_eq!(
        res(&t, "./goals//a.yaml"),
        found("goals/a.yaml", Node::File)
    );
    assert_eq!(res(&t, "goals/b.yaml"), found("shared/b.yaml", Node::File));
    assert_eq!(
        res(&t, "goals/abs.yaml"),
        found("shared/b.yaml", Node::File)
    );
    assert_eq!(
        res(&t, "goals/s/b.yaml"),
        found("shared/b.yaml", Node::File)
    );
    assert_eq!(
        res(&t, "goals/dot/dot/a.yaml"),
        found("goals/a.yaml", Node::File)
    );
    assert_eq!(
        res(&t, "goals/chain.yaml"),
        found("shared/b.yaml", Node::File)
    );
    assert_eq!(res(&t, "goals/s"), found("shared", Node::Dir));
    assert_eq!(res(&t, ""), found("", Node::Dir));
    // `..` after a link is taken from the link's real target, as the kernel does.
    assert_eq!(
        res(&t, "goals/s/../goals/a.yaml"),
        found("goals/a.yaml", Node::File)
    );
}

#[test]
fn a_link_anywhere_on_the_path_that_leaves_is_refused() {
    let t = Mem::new(&[
        ("link", "-> /elsewhere"),
        ("goals/up", "-> ../.."),
        ("goals/x.yaml", "-> ../../secret.yaml"),
        ("goals/a.yaml", "file"),
    ]);
    assert_eq!(
        res(&t, "link/sub/x.yaml"),
        refused("link", "/elsewhere", Why::Outside)
    );
    assert_eq!(
        res(&t, "goals/up/x"),
        refused("goals/up", "../..", Why::Outside)
    );
    assert_eq!(
        res(&t, "goals/x.yaml"),
        refused("goals/x.yaml", "../../secret.yaml", Why::Outside)
    );
    assert!(matches!(res(&t, "../x"), Resolved::Refused(r) if r.why == Why::Outside));
    // A file used as a directory is simply not there.
    assert_eq!(res(&t, "goals/a.yaml/x"), Resolved::Missing { real: None });
}

#[test]
fn hidden_entries_are_refused_also_through_a_link() {
    let t = Mem::new(&[
        (".env", "file"),
        (".git/config", "file"),
        ("goals/e.yaml", "-> ../.env"),
        ("goals/g.yaml", "-> ../.git/config"),
        ("goals/d", "-> ../.git"),
    ]);
    assert_eq!(
        res(&t, "goals/e.yaml"),
        refused("goals/e.yaml", "../.env", Why::Hidden)
    );
    assert_eq!(
        res(&t, "goals/g.yaml"),
        refused("goals/g.yaml", "../.git/config", Why::Hidden)
    );
    assert_eq!(
        res(&t, "goals/d/config"),
        refused("goals/d", "../.git", Why::Hidden)
    );
    assert_eq!(res(&t, ".env"), refused(".env", "", Why::Hidden));
    // `init` writes `.github/...`: allowed when asked for.
    assert_eq!(
        resolve(&t, ".git/config", Hidden::Allow).unwrap(),
        found(".git/config", Node::File)
    );
}

#[test]
fn loops_end_as_loops_and_dangling_links_as_dangling() {
    let t = Mem::new(&[
        ("goals/a.yaml", "-> b.yaml"),
        ("goals/b.yaml", "-> a.yaml"),
        ("goals/self", "-> self"),
        ("goals/gone.yaml", "-> missing.yaml"),
    ]);
    for path in ["goals/a.yaml", "goals/self", "goals/self/x.yaml"] {
        assert!(
            matches!(res(&t, path), Resolved::Refused(r) if r.why == Why::Loop),
            "{path}"
        );
    }
    assert!(
        t.node_calls.get() < 4 * (MAX_LINKS + 2),
        "{}",
        t.node_calls.get()
    );
    assert_eq!(
        res(&t, "goals/gone.yaml"),
        refused("goals/gone.yaml", "missing.yaml", Why::Dangling)
    );
    let msg = Refused {
        link: "goals/a.yaml".into(),
        target: "b.yaml".into(),
        why: Why::Loop,
    }
    .describe();
    assert!(
        msg.contains("symlink loop") && !msg.contains("outside"),
        "{msg}"
    );
}

#[test]
fn missing_paths_say_where_they_would_be_created() {
    let t = Mem::new(&[("goals/a.yaml", "file"), ("goals/logs", "-> ../data")]);
    assert_eq!(
        res(&t, "goals/new/checkins.yaml"),
        Resolved::Missing {
            real: Some("goals/new/checkins.yaml".into())
        }
    );
    // Through a dangling directory link: where its target would be.
    assert_eq!(
        res(&t, "goals/logs/checkins.yaml"),
        Resolved::Missing {
            real: Some("data/checkins.yaml".into())
        }
    );
    assert_eq!(res(&t, "goals/new/../x"), Resolved::Missing { real: None });
    assert_eq!(
        res(&t, "goals/new/.hidden/x"),
        refused("goals/new/.hidden", "", Why::Hidden)
    );
}

fn paths(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(Entry::path).collect()
}

#[test]
fn links_to_directories_walked_already_add_nothing() {
    let mut t = Mem::new(&[
        ("goals/a.yaml", "file"),
        ("goals/sub/b.yaml", "file"),
        ("goals/x", "-> ."),
        ("goals/y", "-> ."),
        ("goals/sub/up", "-> .."),
        ("goals/sub/again", "-> ../../goals"),
    ]);
    // Thirty links to `.` in every directory would be 30^64 paths if followed.
    for i in 0..30 {
        t.add(&format!("goals/l{i:02}"), "-> .");
        t.add(&format!("goals/sub/l{i:02}"), "-> .");
    }
    let w = walk(&t, &["goals".to_owned()], 100).unwrap();
    assert_eq!(paths(&w), ["goals/a.yaml", "goals/sub/b.yaml"]);
    // Each real directory listed once.
    assert_eq!(t.list_calls.get(), 2);
}

#[test]
fn real_paths_win_over_paths_through_links() {
    let t = Mem::new(&[
        ("goals/a", "-> ../okrs"),
        ("okrs/o.yaml", "file"),
        ("goals/b.yaml", "-> ../okrs/o.yaml"),
        ("goals/z/team.yaml", "file"),
        ("goals/t", "-> z"),
        ("goals/bad.yaml", "-> /etc/passwd"),
        ("goals/README.md", "-> /etc/motd"),
        ("goals/dir", "-> /etc"),
    ]);
    let w = walk(&t, &["goals".to_owned()], 100).unwrap();
    assert_eq!(
        paths(&w),
        [
            "goals/a/o.yaml",
            "goals/bad.yaml",
            "goals/dir",
            "goals/z/team.yaml"
        ]
    );
    let both = walk(&t, &["goals".to_owned(), "okrs".to_owned()], 100).unwrap();
    assert_eq!(
        paths(&both),
        [
            "goals/bad.yaml",
            "goals/dir",
            "goals/z/team.yaml",
            "okrs/o.yaml"
        ]
    );
}

#[test]
fn repeated_roots_are_walked_once() {
    let t = Mem::new(&[("goals/a.yaml", "file"), ("goals/sub/b.yaml", "file")]);
    let mut roots = vec!["goals".to_owned(); 60_000];
    roots.extend(["./goals", "goals/", "goals/sub", "goals/./sub/"].map(str::to_owned));
    let w = walk(&t, &roots, 100).unwrap();
    assert_eq!(paths(&w), ["goals/a.yaml", "goals/sub/b.yaml"]);
    assert_eq!(t.list_calls.get(), 2);
    assert!(t.node_calls.get() < 10, "{}", t.node_calls.get());
}

#[test]
fn the_walk_stops_once_it_has_too_many_files() {
    let mut t = Mem::default();
    for d in 0..100 {
        for f in 0..100 {
            t.add(&format!("goals/d{d:03}/f{f:03}.yaml"), "file");
        }
    }
    let w = walk(&t, &["goals".to_owned()], 10).unwrap();
    assert_eq!(w.len(), 11);
    // The root and one directory of a hundred: not all 101 directories.
    assert_eq!(t.list_calls.get(), 2);
}

#[test]
fn roots_through_links_are_refused_or_followed() {
    let t = Mem::new(&[
        ("link", "-> /elsewhere"),
        ("real/sub/a.yaml", "file"),
        ("alias", "-> real"),
    ]);
    let w = walk(&t, &["link/sub".to_owned()], 100).unwrap();
    assert_eq!(
        w,
        [Entry::Refused {
            path: "link".into(),
            refused: Refused {
                link: "link".into(),
                target: "/elsewhere".into(),
                why: Why::Outside
            }
        }]
    );
    let w = walk(&t, &["alias/sub".to_owned()], 100).unwrap();
    assert_eq!(paths(&w), ["alias/sub/a.yaml"]);
    assert!(walk(&t, &["missing".to_owned()], 100).unwrap().is_empty());
}

#[test]
fn resolving_stays_cheap_in_absurdly_deep_trees() {
    let deep = vec!["d"; 2_000].join("/");
    let mut t = Mem::new(&[(&format!("{deep}/x.yaml"), "file")]);
    // 40 links, each 2,000 components deep, chained.
    for i in 0..MAX_LINKS {
        t.add(&format!("l{i}"), &format!("-> {deep}/../../l{}", i + 1));
    }
    assert!(matches!(res(&t, "l0"), Resolved::Missing { real: None }));
    assert!(
        t.node_calls.get() <= MAX_COMPONENTS + 2,
        "{}",
        t.node_calls.get()
    );
}

/// Issue 23's chain: 39 links, 38 of them with ~4 KB targets that wind through
/// `x/../x/../…`, ending at a `.txt` file, and `n` entries `goals/eI.txt` leading into it.
fn chained(n: usize) -> Mem {
    let mut t = Mem::new(&[
        ("x/keep", "file"),
        ("end.txt", "file"),
        ("goals/a.yaml", "file"),
    ]);
    let wind = "x/../".repeat(800);
    for i in 0..38 {
        t.add(&format!("c{i}"), &format!("-> {wind}c{}", i + 1));
    }
    t.add("c38", "-> end.txt");
    for i in 0..n {
        t.add(&format!("goals/e{i}.txt"), "-> ../c0");
    }
    t
}

#[test]
fn each_link_is_resolved_once_per_run_so_chains_cost_what_they_hold() {
    let walked = |n: usize| {
        let t = chained(n);
        let w = walk(&t, &["goals".to_owned()], 100_000).unwrap();
        assert_eq!(paths(&w), ["goals/a.yaml"]);
        // Reading through the chain again costs nothing more either.
        for i in 0..n {
            assert_eq!(
                res(&t, &format!("goals/e{i}.txt")),
                found("end.txt", Node::File)
            );
        }
        t.node_calls.get()
    };
    let (one, many) = (walked(1), walked(300));
    // The chain is ~32,000 lookups; 300 entries into it add a few lookups each, where
    // resolving each one afresh cost the whole chain per entry (and per read).
    assert!(one > 30_000, "{one}");
    assert!(
        many - one <= 300 * 5,
        "one entry: {one} lookups, 300 entries: {many}"
    );
}

#[test]
fn remembered_links_resolve_as_fresh_ones() {
    let t = Mem::new(&[
        ("goals/a.yaml", "file"),
        ("shared/b.yaml", "file"),
        ("goals/s", "-> ../shared"),
        ("goals/gone", "-> ../nothing"),
        ("goals/env", "-> ../.env"),
        ("goals/up", "-> ../.."),
        (".env", "file"),
    ]);
    let paths = [
        "goals/s/b.yaml",
        "goals/s",
        "goals/s/../goals/a.yaml",
        "goals/gone",
        "goals/gone/new.yaml",
        "goals/gone/.hidden",
        "goals/gone/../x",
        "goals/env",
        "goals/up/x",
    ];
    let fresh: Vec<Resolved> = paths
        .iter()
        .map(|p| {
            t.memo.forget();
            res(&t, p)
        })
        .collect();
    t.memo.forget();
    for _ in 0..2 {
        let again: Vec<Resolved> = paths.iter().map(|p| res(&t, p)).collect();
        assert_eq!(again, fresh);
    }
    assert_eq!(fresh[3], refused("goals/gone", "../nothing", Why::Dangling));
    assert_eq!(
        fresh[4],
        Resolved::Missing {
            real: Some("nothing/new.yaml".into())
        }
    );
    // A path with few links to spare is not given a remembered one that would take more.
    let mut t = Mem::new(&[("end.yaml", "file")]);
    for i in 0..30 {
        t.add(&format!("l{i}"), &format!("-> l{}", i + 1));
    }
    t.add("l30", "-> end.yaml");
    for i in 0..20 {
        t.add(&format!("m{i}"), &format!("-> m{}", i + 1));
    }
    t.add("m20", "-> l0");
    assert_eq!(res(&t, "l0"), found("end.yaml", Node::File));
    assert!(matches!(res(&t, "m0"), Resolved::Refused(r) if r.why == Why::Loop));
}

#[test]
fn link_entries_count_toward_the_file_bound() {
    let mut t = Mem::new(&[("goals/a.yaml", "file"), ("notes.txt", "file")]);
    for i in 0..1_000 {
        t.add(&format!("goals/n{i:04}.txt"), "-> ../notes.txt");
    }
    let w = walk(&t, &["goals".to_owned()], 10).unwrap();
    assert!(
        w.iter()
            .any(|e| matches!(e, Entry::Refused { refused, .. } if refused.why == Why::TooMany)),
        "{w:?}"
    );
    assert!(w.len() <= 11, "{}", w.len());
    assert!(t.node_calls.get() < 50, "{}", t.node_calls.get());
    let d = crate::load::refused(
        0,
        &Refused {
            link: "goals/n0010.txt".into(),
            target: String::new(),
            why: Why::TooMany,
        },
    );
    assert_eq!(d.code, crate::diag::Code::ResourceLimit);
}

#[test]
fn a_run_resolves_a_bounded_number_of_link_components() {
    // 300 distinct links, each with a target of 4,000 components: 1.2 million in all.
    let mut t = Mem::new(&[("x/keep", "file"), ("end.txt", "file")]);
    let wind = "x/../".repeat(2_000);
    for i in 0..300 {
        t.add(&format!("goals/e{i}.txt"), &format!("-> ../{wind}end.txt"));
    }
    let w = walk(&t, &["goals".to_owned()], 100_000).unwrap();
    assert!(
        t.node_calls.get() <= MAX_LINK_STEPS + 1_000,
        "{}",
        t.node_calls.get()
    );
    assert!(t.memo.steps() > MAX_LINK_STEPS, "{}", t.memo.steps());
    let limited = w
        .iter()
        .filter(|e| matches!(e, Entry::Refused { refused, .. } if refused.why == Why::Limit))
        .count();
    assert!(limited > 0, "{w:?}");
    let d = crate::load::refused(
        0,
        &Refused {
            link: "goals/e299.txt".into(),
            target: "x".into(),
            why: Why::Limit,
        },
    );
    assert_eq!(d.code, crate::diag::Code::ResourceLimit);
}

#[test]
fn normalize_drops_empty_and_dot_parts() {
    assert_eq!(normalize("./goals//a/"), "goals/a");
    assert_eq!(normalize("."), "");
    assert!(is_hidden(".env") && !is_hidden(".") && !is_hidden("..") && !is_hidden("a.b"));
}

#[cfg(unix)]
mod on_disk {
    use super::super::*;
    use super::paths;
    use crate::load::source::{Read, Source, WorkTree};
    use std::os::unix::fs::symlink;

    #[test]
    fn the_work_tree_resolves_like_the_model() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.yaml"), "team: secret\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("goals/sub")).unwrap();
        std::fs::create_dir_all(d.join("shared")).unwrap();
        std::fs::write(d.join("goals/a.yaml"), "team: a\n").unwrap();
        std::fs::write(d.join("shared/b.yaml"), "team: b\n").unwrap();
        std::fs::write(d.join(".env"), "KEY=1\n").unwrap();
        symlink(".", d.join("goals/x")).unwrap();
        symlink("..", d.join("goals/sub/up")).unwrap();
        symlink("../shared", d.join("goals/shared")).unwrap();
        symlink(d.join("shared/b.yaml"), d.join("goals/abs.yaml")).unwrap();
        symlink(outside.path(), d.join("goals/out")).unwrap();
        symlink("../.env", d.join("goals/env.yaml")).unwrap();
        let t = WorkTree::new(d).unwrap();
        let w = t.walk(&["goals".to_owned()], 100).unwrap();
        assert_eq!(
            paths(&w),
            [
                "goals/a.yaml",
                "goals/abs.yaml",
                "goals/env.yaml",
                "goals/out",
            ]
        );
        let why = |e: &Entry| match e {
            Entry::Refused { refused, .. } => Some(refused.why),
            Entry::File(_) => None,
        };
        assert_eq!(why(&w[2]), Some(Why::Hidden));
        assert_eq!(why(&w[3]), Some(Why::Outside));
        assert!(
            matches!(t.read("goals/x/sub/up/a.yaml", 100), Ok(Read::Bytes(b)) if b == b"team: a\n")
        );
        assert!(matches!(
            t.read("goals/out/secret.yaml", 100),
            Ok(Read::Refused(_))
        ));
        assert!(matches!(
            t.read("goals/env.yaml", 100),
            Ok(Read::Refused(_))
        ));
        assert!(matches!(t.read("goals", 100), Ok(Read::Missing)));
        assert!(matches!(t.read("nothing.yaml", 100), Ok(Read::Missing)));
        assert!(matches!(t.read("goals/a.yaml", 3), Ok(Read::TooLarge(8))));
    }
}
