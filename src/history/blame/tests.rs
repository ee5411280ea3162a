//! Blame against hand-made cases, a line diff of the whole, and `git blame` itself.

use super::*;
use std::path::Path;

fn ls(s: &str) -> Vec<&[u8]> {
    lines(s.as_bytes())
}

proptest::proptest! {
    /// Runs found past the common start are the pairs a line diff of the whole finds,
    /// also where lines differ only by a carriage return or a last line feed.
    #[test]
    fn runs_are_the_matching_lines(old in "[ab\\r\\n]{0,16}", new in "[ab\\r\\n]{0,16}") {
        let pairs: Vec<(usize, usize)> = matching_runs(old.as_bytes(), new.as_bytes())
            .into_iter()
            .flat_map(|(o, n, len)| (0..len).map(move |k| (o + k, n + k)))
            .collect();
        proptest::prop_assert_eq!(pairs, matching_lines(&ls(&old), &ls(&new)));
    }

    /// The lines are those of a split at every `\n`, each without a final `\r`, the
    /// empty piece after a final `\n` (or of an empty text) left out.
    #[test]
    fn lines_are_a_split_at_line_feeds(text in "[ab\\r\\n]{0,12}") {
        let bytes = text.as_bytes();
        let mut split: Vec<&[u8]> = bytes
            .split(|&b| b == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .collect();
        if bytes.ends_with(b"\n") || bytes.is_empty() {
            split.pop();
        }
        proptest::prop_assert_eq!(lines(bytes), split);
    }
}

/// Runs git in `dir` as `who`, on day `day` of a fixed month.
fn git(dir: &Path, who: &str, day: u32, args: &[&str]) -> String {
    let date = format!("2026-01-{:02}T12:00:00Z", day % 28 + 1);
    let env = [
        ("GIT_AUTHOR_DATE", date.as_str()),
        ("GIT_COMMITTER_DATE", date.as_str()),
    ];
    crate::git::testgit::git(dir, who, &env, args)
}

/// `git blame`'s author of each line of `path` at HEAD.
fn git_blame(dir: &Path, path: &str) -> Vec<Option<String>> {
    git(
        dir,
        "x",
        0,
        &["blame", "--line-porcelain", "HEAD", "--", path],
    )
    .lines()
    .filter_map(|l| l.strip_prefix("author "))
    .map(|a| Some(a.to_owned()))
    .collect()
}

/// Histories of two files edited by four people (lines replaced, inserted and deleted,
/// every line written once, so that the diff of two versions has one answer), with a
/// branch merged in: blamed together, each file gets what it gets alone, and what
/// `git blame` says; a line not committed has no author.
#[test]
fn files_blamed_together_get_what_each_gets_alone_and_what_git_blame_says() {
    let people = ["Ann Ash", "Bob Birch", "Cy Cedar", "Dee Dogwood"];
    for seed in 1..=5u64 {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        git(d, "x", 0, &["init", "-q", "-b", "main"]);
        let mut rng = seed;
        let mut next = move |n: usize| {
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((rng >> 33) as usize) % n.max(1)
        };
        let mut fresh = 0;
        let mut files: Vec<Vec<String>> = vec![Vec::new(), Vec::new()];
        let names = ["a.yaml", "b/c.yaml"];
        std::fs::create_dir(d.join("b")).unwrap();
        let write = |files: &Vec<Vec<String>>, only: Option<usize>| {
            for (k, lines) in files.iter().enumerate() {
                if only.is_none_or(|o| o == k) {
                    std::fs::write(d.join(names[k]), lines.join("\n") + "\n").unwrap();
                }
            }
        };
        for c in 0..14u32 {
            let who = people[next(4)];
            if c == 8 {
                git(d, who, c, &["checkout", "-q", "-b", "side"]);
            }
            if c == 10 {
                git(d, who, c, &["checkout", "-q", "main"]);
                files[0] = git(d, who, c, &["show", "HEAD:a.yaml"])
                    .lines()
                    .map(str::to_owned)
                    .collect();
            }
            // On the side branch only a.yaml changes, on main after it only b/c.yaml:
            // the merge has no conflict.
            let only = match c {
                8 | 9 => Some(0),
                10 | 11 => Some(1),
                _ => None,
            };
            for (k, lines) in files.iter_mut().enumerate() {
                if only.is_some_and(|o| o != k) {
                    continue;
                }
                for _ in 0..1 + next(3) {
                    fresh += 1;
                    let line = format!("line-{fresh}: {k}");
                    match next(4) {
                        0 if lines.len() > 1 => {
                            let at = next(lines.len());
                            lines.remove(at);
                        }
                        1 if !lines.is_empty() => {
                            let at = next(lines.len());
                            lines[at] = line;
                        }
                        _ => {
                            let at = next(lines.len() + 1);
                            lines.insert(at, line);
                        }
                    }
                }
            }
            write(&files, only);
            git(d, who, c, &["add", "-A"]);
            git(d, who, c, &["commit", "-q", "-m", "edit"]);
            if c == 11 {
                git(
                    d,
                    who,
                    c,
                    &["merge", "-q", "--no-ff", "-m", "merge", "side"],
                );
                files[0] = git(d, who, c, &["show", "HEAD:a.yaml"])
                    .lines()
                    .map(str::to_owned)
                    .collect();
            }
        }
        let repo = Repo::discover(d).unwrap();
        let reader = repo.reader();
        let texts: Vec<String> = names
            .iter()
            .map(|n| std::fs::read_to_string(d.join(n)).unwrap())
            .collect();
        let both: Vec<(String, &str)> = names
            .iter()
            .zip(&texts)
            .map(|(n, t)| (n.to_string(), t.as_str()))
            .collect();
        let together = blame_all(&reader, &both).unwrap();
        for (k, name) in names.iter().enumerate() {
            let alone = blame(&reader, name, &texts[k]).unwrap();
            assert_eq!(together[k], alone, "seed {seed}, {name}");
            assert_eq!(alone, git_blame(d, name), "seed {seed}, {name}");
            assert!(alone.iter().all(Option::is_some), "seed {seed}, {name}");
        }
        // A line added in the work tree has no author; the others keep theirs.
        let edited = format!("new line\n{}", texts[1]);
        let with_new: Vec<(String, &str)> =
            vec![both[0].clone(), (names[1].to_owned(), edited.as_str())];
        let after = blame_all(&reader, &with_new).unwrap();
        assert_eq!(after[0], together[0]);
        assert_eq!(after[1][0], None);
        assert_eq!(after[1][1..], together[1][..]);
    }
}

#[test]
fn lines_match_like_a_diff() {
    let old = ls("a\nb\nc\nd\n");
    let new = ls("a\nx\nc\nd\ne\n");
    assert_eq!(matching_lines(&old, &new), vec![(0, 0), (2, 2), (3, 3)]);
    // A moved block: the longest common subsequence keeps the most lines.
    let old = ls("1\n2\n3\n4\n");
    let new = ls("3\n4\n1\n2\n");
    assert_eq!(matching_lines(&old, &new).len(), 2);
    assert!(matching_lines(&ls(""), &ls("a\n")).is_empty());
    assert_eq!(ls("a\r\nb"), vec![&b"a"[..], &b"b"[..]]);
}
