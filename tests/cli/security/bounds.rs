//! Bounded work (SPEC 10): roots deduplicated before the walk, links resolved once per run,
//! git blobs bounded like files, diagnostics rendered in linear time.

use super::*;

#[test]
fn repeated_roots_are_walked_once() {
    let mut roots = vec!["\"goals\""; 60_000];
    roots.extend(["\"./goals\"", "\"goals/\"", "\"goals/./\"", "\"goals/sub\""]);
    let config = format!("roots = [{}]\n", roots.join(", "));
    let r = repo(&[
        ("goalpost.toml", &config),
        ("goals/a.yaml", &kpi_file("growth")),
        ("goals/sub/b.yaml", &kpi_file("ops")),
    ]);
    let o = run_guarded(r.path(), &["check"], &[], 120);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("ok: 2 files"), "{}", stderr(&o));
}

#[test]
fn three_hundred_entries_into_a_chain_of_long_links_cost_the_chain_once() {
    // Issue 23: 300 entries `goals/eI.txt` into a chain of 38 links whose 4 KB targets wind
    // through `x/../x/../…` cost 64 s of CPU when each entry resolved the chain afresh.
    let r = repo(&[
        ("goals/a.yaml", &kpi_file("growth")),
        ("x/keep", ""),
        ("end.txt", "not a goal file\n"),
    ]);
    let d = r.path();
    let wind = "x/../".repeat(800);
    for i in 0..38 {
        symlink(format!("{wind}c{}", i + 1), d.join(format!("c{i}")));
    }
    symlink("end.txt", d.join("c38"));
    for i in 0..300 {
        symlink("../c0", d.join(format!("goals/e{i}.txt")));
    }
    commit_all(d);
    for args in [&["check"][..], &["status"], &["check", "--at", "HEAD"]] {
        let start = Instant::now();
        let o = run_guarded(d, args, &[], 120);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        // Resolved once, the chain is ~32,000 lookups: well under a second.
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{args:?} took {:?}",
            start.elapsed()
        );
    }
}

/// A zlib stream of `data` in stored (uncompressed) deflate blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let chunks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        out.push(u8::from(i + 1 == chunks.len()));
        let len = chunk.len() as u16;
        out.extend(len.to_le_bytes());
        out.extend((!len).to_le_bytes());
        out.extend(*chunk);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend(((b << 16) | a).to_be_bytes());
    out
}

/// Writes a loose object whose header claims `declared` bytes but which holds only
/// `content`: reading its header is fine, reading it whole fails. Returns its id.
fn lying_object(repo: &Path, kind: &str, declared: u64, content: &[u8], id: &str) -> String {
    let mut raw = format!("{kind} {declared}\0").into_bytes();
    raw.extend_from_slice(content);
    write(
        repo,
        &format!(".git/objects/{}/{}", &id[..2], &id[2..]),
        &zlib_stored(&raw),
    );
    id.to_owned()
}

/// Commits the index as it is, with `path` pointing at blob `id` with `mode`.
fn commit_entry(dir: &Path, mode: &str, id: &str, path: &str, message: &str) {
    git_as(
        dir,
        "Test",
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("{mode},{id},{path}"),
        ],
    );
    let tree = git_as(dir, "Test", &["write-tree"]);
    let head = git_as(dir, "Test", &["rev-parse", "HEAD"]);
    let commit = git_as(
        dir,
        "Test",
        &["commit-tree", &tree, "-p", &head, "-m", message],
    );
    git_as(dir, "Test", &["update-ref", "HEAD", &commit]);
}

const HUGE: u64 = 1_610_612_736;

#[test]
fn blobs_from_git_are_bounded_like_files() {
    let log1 = "checkins:\n  - { ref: growth/churn, date: 2026-10-01, value: 6 }\n";
    let log2 = "checkins:\n  - { ref: growth/churn, date: 2026-10-01, value: 6 }\n  - { ref: growth/churn, date: 2026-11-01, value: 5 }\n";
    let r = repo(&[
        ("goals/a.yaml", &kpi_file("growth")),
        ("goals/checkins.yaml", log1),
    ]);
    commit_all(r.path());
    let d = r.path();
    // A check-in log of 1.5 GB (as its header says), then a normal one again.
    let big = lying_object(
        d,
        "blob",
        HUGE,
        b"checkins:\n",
        "b16b16b16b16b16b16b16b16b16b16b16b16b16b",
    );
    commit_entry(d, "100644", &big, "goals/checkins.yaml", "huge");
    let huge_commit = git_as(d, "Test", &["rev-parse", "HEAD"]);
    write(d, "goals/checkins.yaml", log2.as_bytes());
    git_as(d, "Test", &["add", "-A"]);
    git_as(d, "Test", &["commit", "-q", "-m", "normal again"]);

    let o = run_guarded(
        d,
        &["log", "growth/churn"],
        &[("GOALPOST_GIT_STALL_SECS", "20")],
        60,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("2026-11-01"), "{}", stdout(&o));
    let o = run_guarded(
        d,
        &["show", "growth/churn"],
        &[("GOALPOST_GIT_STALL_SECS", "20")],
        60,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (exit, v) = check_json(d, &["--at", &huge_commit]);
    assert_eq!(exit, 1, "{v:#}");
    assert_eq!(codes(&v), ["resource-limit"], "{v:#}");

    // A symlink whose blob claims 1.5 GB is not read to find its target.
    let link = lying_object(
        d,
        "blob",
        HUGE,
        b"a.yaml",
        "11a511a511a511a511a511a511a511a511a511a5",
    );
    commit_entry(d, "120000", &link, "goals/link.yaml", "huge link");
    let o = run_guarded(
        d,
        &["--at", "HEAD", "check"],
        &[("GOALPOST_GIT_STALL_SECS", "20")],
        60,
    );
    assert_ne!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(!stderr(&o).contains("fsck"), "{}", stderr(&o));
}

#[test]
fn show_does_not_blame_a_file_whose_history_holds_an_oversized_blob() {
    let log = "checkins:\n  - { ref: growth/churn, date: 2026-10-01, value: 6 }\n";
    let r = repo(&[
        ("goals/a.yaml", &kpi_file("growth")),
        ("goals/checkins.yaml", log),
    ]);
    commit_all(r.path());
    let d = r.path();
    let big = format!("checkins:\n# {}\n", "x".repeat(17 << 20));
    write(d, "goals/checkins.yaml", big.as_bytes());
    git_as(d, "Big", &["commit", "-q", "-am", "big"]);
    write(d, "goals/checkins.yaml", log.as_bytes());
    git_as(d, "Small", &["commit", "-q", "-am", "small"]);
    let o = run(d, &["show", "growth/churn", "--as-of", "2026-11-15"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains("(git)"), "{}", stdout(&o));
}

#[test]
fn eighty_thousand_diagnostics_in_one_file_render_in_linear_time() {
    let mut text = String::from(
        "team: growth\nkpis:\n  - id: churn\n    title: Churn\n    better: lower\n    target: 5\n",
    );
    for i in 0..80_000 {
        text.push_str(&format!("    k{i}: 1\n"));
    }
    assert!(text.len() > 800_000);
    let r = repo(&[("goals/a.yaml", &text)]);
    for args in [
        &["check", "--max-diagnostics", "0"][..],
        &["status", "--max-diagnostics", "0"],
    ] {
        // Quadratic rendering took minutes here; linear takes seconds.
        let o = run_guarded(r.path(), args, &[], 120);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let blocks = stderr(&o).matches("error[unknown-key]").count();
        assert_eq!(blocks, 80_000, "{args:?}");
    }
    // 40,000 problems on one 440 KB line: each quotes a window of the line, not all of it.
    let keys: Vec<String> = (0..40_000).map(|i| format!("x{i}: 1")).collect();
    let text = format!(
        "team: growth\nkpis: [{{id: churn, title: Churn, better: lower, target: 5, {}}}]\n",
        keys.join(", ")
    );
    let r = repo(&[("goals/a.yaml", &text)]);
    let o = run_guarded(r.path(), &["check", "--max-diagnostics", "0"], &[], 120);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.matches("error[unknown-key]").count(), 40_000);
    assert!(err.len() < 40_000 * 1_000, "{} bytes", err.len());
}

#[test]
fn git_trees_are_bounded_by_the_file_count() {
    let r = repo(&[("goals/a.yaml", &kpi_file("growth"))]);
    commit_all(r.path());
    let d = r.path();
    let a = git_as(d, "Test", &["rev-parse", "HEAD:goals/a.yaml"]);
    let empty = git_as(d, "Test", &["hash-object", "-w", "--stdin"]);
    let head = git_as(d, "Test", &["rev-parse", "HEAD"]);
    // A commit whose `goals` tree holds `goals` and a directory whose tree is `sub`.
    let commit = |goals_extra: &str, message: &str| {
        let goals = mktree(d, &format!("100644 blob {a}\ta.yaml\n{goals_extra}"));
        let top = mktree(d, &format!("040000 tree {goals}\tgoals\n"));
        git_as(
            d,
            "Test",
            &["commit-tree", &top, "-p", &head, "-m", message],
        )
    };
    // 100,001 entries that are not goal files (so the walk never counts them) in one tree.
    let mut many = String::with_capacity(100_001 * 64);
    for i in 0..=100_000 {
        many.push_str(&format!("100644 blob {empty}\tn{i}.md\n"));
    }
    let wide = commit(&many, "a wide tree");
    // A tree whose header claims 1.5 GB: refused from the header, never inflated.
    let lying = lying_object(
        d,
        "tree",
        HUGE,
        b"100644 x\0",
        "7ee7ee7ee7ee7ee7ee7ee7ee7ee7ee7ee7ee7ee7",
    );
    let huge = commit(&format!("040000 tree {lying}\tdeep\n"), "a huge tree");
    for (what, rev, dir) in [("wide", &wide, "goals"), ("huge", &huge, "goals/deep")] {
        let started = Instant::now();
        let (exit, v) = check_json(d, &["--at", rev]);
        assert_eq!(exit, 1, "{what}: {v:#}");
        assert_eq!(codes(&v), ["resource-limit"], "{what}: {v:#}");
        let message = v["diagnostics"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(&format!("`{dir}`")), "{what}: {message}");
        assert_eq!(v["diagnostics"][0]["file"], dir, "{what}: {v:#}");
        assert!(started.elapsed() < Duration::from_secs(20), "{what}");
        // `diff` reads both sides through the same bound.
        let o = run_guarded(d, &["diff", &head, rev], &[], 60);
        assert_eq!(o.status.code(), Some(1), "{what}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("resource-limit"),
            "{what}: {}",
            stderr(&o)
        );
        // `log` reads the trees of each commit on the way to a file through the bound too
        // (`goals/deep` is on no such way).
        if what == "huge" {
            continue;
        }
        git_as(d, "Test", &["update-ref", "HEAD", rev]);
        let o = run_guarded(d, &["log", "growth/churn"], &[], 60);
        assert_eq!(o.status.code(), Some(3), "{what}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("more than 100000 entries"),
            "{what}: {}",
            stderr(&o)
        );
        git_as(d, "Test", &["update-ref", "HEAD", &head]);
    }
}
