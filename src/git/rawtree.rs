//! One name looked up in a tree object's bytes, without libgit2 parsing the tree.
//!
//! `blame` (`show`) finds a file in the tree of every commit of its history; libgit2 parses
//! each tree whole into entries (the mode of each through `strtol`), and the 3,000-entry
//! `goals/` tree of a large organisation, parsed once per commit, was most of `show`. Here
//! the bytes are scanned up to where the name would be, as git itself looks a path up. The
//! answer is given only when what was scanned is what libgit2 reads the same way:
//! well-formed entries, strictly in git's order, no name twice. For anything else [`find`]
//! declines and the caller asks libgit2. Entries past the name are not read: a tree that
//! is sorted and well-formed up to there but not after (which git's own checks refuse, and
//! libgit2 may misread or refuse) is answered from its sorted part.

use std::cmp::Ordering;

/// Bytes of an object id (SHA-1).
const ID: usize = 20;

/// What [`find`] found of a name in a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    /// No entry of that name.
    Missing,
    /// An entry: its mode and object id.
    Entry { mode: u32, id: [u8; ID] },
}

impl Found {
    /// Whether the entry is a directory, as libgit2 tells (`S_ISDIR` of its mode).
    pub(crate) fn is_tree(mode: u32) -> bool {
        mode & 0o170000 == 0o040000
    }

    /// Whether the entry is a blob, as libgit2 tells: anything but a directory or a
    /// submodule (`160000`).
    pub(crate) fn is_blob(mode: u32) -> bool {
        !Self::is_tree(mode) && mode & 0o170000 != 0o160000
    }
}

/// `name` in the tree whose object bytes are `data`, when the tree is well-formed and
/// strictly sorted with unique names and has at most `max` entries; `None` otherwise (the
/// caller asks libgit2).
pub(crate) fn find(data: &[u8], name: &[u8], max: usize) -> Option<Found> {
    scan(data, name, max).map(|(found, _)| found)
}

/// [`find`], with how many bytes of `data` it read (a prefix of whole entries).
fn scan(data: &[u8], name: &[u8], max: usize) -> Option<(Found, usize)> {
    // Below this size a tree cannot hold more than `max` entries (the least entry is a
    // one-digit mode, a blank, a one-byte name, a NUL and the id), so the scan may stop
    // past the name; above it every entry is counted.
    let may_stop = data.len() <= max.saturating_mul(4 + ID);
    let mut at = 0;
    let mut count = 0usize;
    let mut prev: Option<(&[u8], bool)> = None;
    let mut found = Found::Missing;
    // Entries named `name`: a file and a directory of one name are both in order (they
    // need not be neighbours), and which one libgit2 finds is not for this scan to say.
    let mut named = 0;
    while at < data.len() {
        let e = entry(data, at)?;
        let entry = &data[e.name.0..e.name.1];
        at = e.end;
        let dir = Found::is_tree(e.mode);
        if let Some((p, pdir)) = prev
            && git_order(p, pdir, entry, dir) != Ordering::Less
        {
            return None;
        }
        if entry == name {
            found = Found::Entry {
                mode: e.mode,
                id: e.id,
            };
            named += 1;
        }
        prev = Some((entry, dir));
        count += 1;
        if count > max {
            return None;
        }
        // Past `name/` in git's order: a later entry can be neither `name` nor `name/`.
        if may_stop && git_order(entry, dir, name, true) == Ordering::Greater {
            break;
        }
    }
    if named > 1 {
        return None;
    }
    Some((found, at))
}

/// One entry of a tree object's bytes, by where it lies in them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The mode as written (octal digits).
    pub mode: u32,
    /// The name's bytes: `data[name.0..name.1]`.
    pub name: (usize, usize),
    pub id: [u8; ID],
    /// The byte after the entry.
    pub end: usize,
}

impl Entry {
    /// The mode as libgit2 gives it (`git_tree_entry_filemode`): a directory, an
    /// executable file when the owner may execute it, a submodule, a link, else a file.
    pub(crate) fn filemode(&self) -> u32 {
        let kind = self.mode & 0o170000;
        if kind == 0o040000 {
            0o040000
        } else if self.mode & 0o100 != 0 {
            0o100755
        } else if kind == 0o160000 || kind == 0o120000 {
            kind
        } else {
            0o100644
        }
    }
}

/// The entry starting at `data[at]`: octal digits (at most seven, at most `u16::MAX`), a
/// blank, a name of at most `u16::MAX` bytes up to a NUL, and the id; `None` for anything
/// else (libgit2 is left to read it).
fn entry(data: &[u8], at: usize) -> Option<Entry> {
    let rest = &data[at..];
    let blank = memchr::memchr(b' ', rest)?;
    let digits = &rest[..blank];
    if digits.is_empty() || digits.len() > 7 || !digits.iter().all(|b| (b'0'..=b'7').contains(b)) {
        return None;
    }
    let mode = digits
        .iter()
        .fold(0u32, |m, &d| m * 8 + u32::from(d - b'0'));
    if mode > u32::from(u16::MAX) {
        return None;
    }
    let start = at + blank + 1;
    let nul = memchr::memchr(0, &data[start..])?;
    if nul == 0 || nul > usize::from(u16::MAX) || data.len() - start < nul + 1 + ID {
        return None;
    }
    let id: [u8; ID] = data[start + nul + 1..start + nul + 1 + ID]
        .try_into()
        .ok()?;
    Some(Entry {
        mode,
        name: (start, start + nul),
        id,
        end: start + nul + 1 + ID,
    })
}

/// Every entry of the tree whose object bytes are `data`, in order, when the whole tree is
/// well-formed and strictly sorted with unique names and has at most `max` entries; `None`
/// otherwise (the caller asks libgit2).
pub(crate) fn entries(data: &[u8], max: usize) -> Option<Vec<Entry>> {
    let mut out: Vec<Entry> = Vec::new();
    read_into(data, 0, data.len(), max, &mut out)?;
    unique_names(data, &out, 0).then_some(out)
}

/// [`entries`] of `data`, given another tree's bytes `old` and its entries (as [`entries`]
/// gave them): the entries within the bytes the two share at their start and at their end
/// are taken over, and only those between are read (a commit changes a few entries of a
/// directory). The same answer as [`entries`]: the entries read between end where the
/// shared end's first one starts (else all is read), so every entry after them is read
/// from the same bytes as in `old`.
pub(crate) fn entries_like(
    old: &[u8],
    old_entries: &[Entry],
    data: &[u8],
    max: usize,
) -> Option<Vec<Entry>> {
    let p = crate::bytes::common_prefix(old, data);
    let s = crate::bytes::common_suffix(&old[p..], &data[p..]);
    let start = |i: usize| if i == 0 { 0 } else { old_entries[i - 1].end };
    // Entries before `k` lie wholly in the shared start: the same bytes at the same places.
    let k = old_entries.partition_point(|e| e.end <= p);
    // Those from `m` on lie wholly in the shared end: the same bytes, moved by the change
    // of length (`s` ≤ both lengths − `p`, so nothing moves before `p`).
    let (mut m, mut hi) = (k, old_entries.len());
    while m < hi {
        let mid = m + (hi - m) / 2;
        if start(mid) < old.len() - s {
            m = mid + 1;
        } else {
            hi = mid;
        }
    }
    let moved = |x: usize| x + data.len() - old.len();
    let mut out: Vec<Entry> = Vec::with_capacity(old_entries.len() + 4);
    out.extend_from_slice(&old_entries[..k]);
    let to = if m < old_entries.len() {
        moved(start(m))
    } else {
        data.len()
    };
    if read_into(data, start(k), to, max, &mut out).is_none() {
        // An entry runs past `to` (an edit moved the boundaries) or fails: read it all.
        return entries(data, max);
    }
    let rest = &old_entries[m..];
    if let Some(first) = rest.first() {
        let name = &data[moved(first.name.0)..moved(first.name.1)];
        if out.len() + rest.len() > max
            || out.last().is_some_and(|e| {
                let before = &data[e.name.0..e.name.1];
                git_order(
                    before,
                    Found::is_tree(e.mode),
                    name,
                    Found::is_tree(first.mode),
                ) != Ordering::Less
            })
        {
            return None;
        }
    }
    out.extend(rest.iter().map(|e| Entry {
        name: (moved(e.name.0), moved(e.name.1)),
        end: moved(e.end),
        ..*e
    }));
    // A directory before `k` looks back over entries before it only, all as in `old`.
    unique_names(data, &out, k).then_some(out)
}

/// Reads the entries of `data` from byte `at` to byte `to` onto `out`, each after the one
/// before it in git's order, at most `max` in all; `None` when one is malformed, out of
/// order or one too many, or the last does not end at `to`.
fn read_into(
    data: &[u8],
    mut at: usize,
    to: usize,
    max: usize,
    out: &mut Vec<Entry>,
) -> Option<()> {
    while at < to {
        let e = entry(data, at)?;
        if let Some(p) = out.last() {
            let (pn, en) = (&data[p.name.0..p.name.1], &data[e.name.0..e.name.1]);
            if git_order(pn, Found::is_tree(p.mode), en, Found::is_tree(e.mode)) != Ordering::Less {
                return None;
            }
        }
        if out.len() >= max {
            return None;
        }
        at = e.end;
        out.push(e);
    }
    (at == to).then_some(())
}

/// Whether no name is in `list` (sorted in git's order) twice, where the second is at or
/// after index `from`. Strictly sorted in git's order, a name is twice only as a file and a
/// later directory (`a` sorts as itself, `a/` after it): between the two lie only names
/// that extend it by a byte below `/`. Each directory looks back over those.
fn unique_names(data: &[u8], list: &[Entry], from: usize) -> bool {
    for (i, d) in list.iter().enumerate().skip(from) {
        if !Found::is_tree(d.mode) {
            continue;
        }
        let name = &data[d.name.0..d.name.1];
        for e in list[..i].iter().rev() {
            let other = &data[e.name.0..e.name.1];
            // Names are never empty; most neighbours differ in their last bytes, so look
            // there first.
            if other.get(name.len() - 1) != name.last() || !other.starts_with(name) {
                break;
            }
            if other.len() == name.len() {
                return false;
            }
            if other[name.len()] >= b'/' {
                break;
            }
        }
    }
    true
}

/// Git's order of tree entries: by bytes, a directory's name as if it ended in `/`.
pub(crate) fn git_order(a: &[u8], a_dir: bool, b: &[u8], b_dir: bool) -> Ordering {
    let n = a.len().min(b.len());
    match a[..n].cmp(&b[..n]) {
        Ordering::Equal => {}
        o => return o,
    }
    let end = |s: &[u8], dir: bool| match s.get(n) {
        Some(&c) => c,
        None if dir => b'/',
        None => 0,
    };
    end(a, a_dir).cmp(&end(b, b_dir))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A tree object's bytes from entries (mode as written, name, id byte).
    pub(crate) fn tree(entries: &[(&str, &str, u8)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (mode, name, id) in entries {
            out.extend_from_slice(mode.as_bytes());
            out.push(b' ');
            out.extend_from_slice(name.as_bytes());
            out.push(0);
            out.extend_from_slice(&[*id; ID]);
        }
        out
    }

    #[test]
    fn a_sorted_tree_answers_and_anything_else_declines() {
        let t = tree(&[
            ("100644", "a", 1),
            ("100644", "a-b", 2),
            ("40000", "a.d", 3),
            ("40000", "goals", 4),
        ]);
        assert_eq!(
            find(&t, b"goals", 10),
            Some(Found::Entry {
                mode: 0o40000,
                id: [4; ID]
            })
        );
        assert_eq!(find(&t, b"nope", 10), Some(Found::Missing));
        assert_eq!(find(&t, b"goals", 3), None, "more entries than allowed");
        // Out of order, a name twice, a mode that is not octal, a cut id, before the name
        // or where it would be: libgit2's to say.
        let unsorted = tree(&[("100644", "a-b", 1), ("100644", "a", 2)]);
        assert_eq!(find(&unsorted, b"a", 10), None);
        // Past where the name would be, the tree is not read.
        let unsorted_later = tree(&[("100644", "b", 1), ("100644", "a", 2)]);
        assert_eq!(find(&unsorted_later, b"a", 10), Some(Found::Missing));
        let twice = tree(&[("100644", "a", 1), ("100644", "a-b", 2), ("40000", "a", 3)]);
        assert_eq!(find(&twice, b"a", 10), None);
        assert_eq!(find(&tree(&[("100694", "a", 1)]), b"a", 10), None);
        assert_eq!(find(&t[..t.len() - 1], b"a", 10), None);
        // A directory sorts as if its name ended in `/`: `a.d` file before `a` directory.
        let dir_last = tree(&[("100644", "a.d", 1), ("40000", "a", 2)]);
        assert!(find(&dir_last, b"a", 10).is_some());
    }

    /// Entries libgit2 can be asked about: names from a small alphabet (so that prefixes,
    /// `-`, `.` and `/`-order cases are common), modes of every kind and some odd ones.
    pub(crate) fn entries() -> impl Strategy<Value = Vec<(String, String, u8)>> {
        let mode = prop_oneof![
            Just("100644".to_owned()),
            Just("100755".to_owned()),
            Just("40000".to_owned()),
            Just("120000".to_owned()),
            Just("160000".to_owned()),
            Just("040000".to_owned()),
            Just("644".to_owned()),
            Just("1006449".to_owned()),
            Just("100654".to_owned()),
            Just("120755".to_owned()),
            Just("100664".to_owned()),
            Just("".to_owned()),
        ];
        prop::collection::vec((mode, "[ab.\\-]{0,3}", any::<u8>()), 0..7)
    }

    /// A tree's bytes from `list` (sorted in git's order first when `sort`), and whether
    /// the tree is whole: sorted, well-formed and of unique names.
    fn sample(list: &mut [(String, String, u8)], sort: bool) -> (Vec<u8>, bool) {
        if sort {
            let dir = |m: &str| u32::from_str_radix(m, 8).is_ok_and(Found::is_tree);
            list.sort_by(|a, b| git_order(a.1.as_bytes(), dir(&a.0), b.1.as_bytes(), dir(&b.0)));
        }
        let refs: Vec<(&str, &str, u8)> = list
            .iter()
            .map(|(m, n, i)| (m.as_str(), n.as_str(), *i))
            .collect();
        let well_formed = list.iter().all(|(m, n, _)| {
            !n.is_empty() && !m.is_empty() && m.len() <= 7 && u32::from_str_radix(m, 8).is_ok()
        });
        let mut names: Vec<&str> = list.iter().map(|e| e.1.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        (
            tree(&refs),
            sort && well_formed && names.len() == list.len(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Whenever [`find`] answers, libgit2 parses the entries it read and its lookup by
        /// name there gives the same entry (or none); a whole tree that is well-formed,
        /// sorted and of unique names is always answered, as libgit2 answers on all of it.
        #[test]
        fn answers_agree_with_libgit2(
            mut list in entries(),
            sort in any::<bool>(),
            name in "[ab.\\-]{1,3}",
        ) {
            let (data, whole) = sample(&mut list, sort);
            let dir = tempfile::tempdir().unwrap();
            let repo = git2::Repository::init_bare(dir.path()).unwrap();
            let libgit2 = |bytes: &[u8]| -> Option<Option<(bool, bool, Vec<u8>)>> {
                let id = repo.odb().unwrap().write(git2::ObjectType::Tree, bytes).unwrap();
                let t = repo.find_tree(id).ok()?;
                Some(t.get_name(&name).map(|e| {
                    (
                        e.kind() == Some(git2::ObjectType::Tree),
                        e.kind() == Some(git2::ObjectType::Blob),
                        e.id().as_bytes().to_vec(),
                    )
                }))
            };
            let ours = scan(&data, name.as_bytes(), 100);
            if whole {
                prop_assert!(ours.is_some(), "a sorted tree of unique names is answered");
                // On all of it, libgit2 answers as on the part read.
                prop_assert_eq!(libgit2(&data), libgit2(&data[..ours.unwrap().1]));
            }
            if let Some((found, read)) = ours {
                let theirs = libgit2(&data[..read]);
                prop_assert!(theirs.is_some(), "libgit2 reads the entries find read");
                let ours = match found {
                    Found::Missing => None,
                    Found::Entry { mode, id } => {
                        Some((Found::is_tree(mode), Found::is_blob(mode), id.to_vec()))
                    }
                };
                prop_assert_eq!(ours, theirs.unwrap());
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Whenever [`entries`] answers, libgit2 parses the tree to the same entries (name,
        /// id, kind and mode as it gives them); a tree that is well-formed, sorted and of
        /// unique names is always answered.
        #[test]
        fn listings_agree_with_libgit2(mut list in entries(), sort in any::<bool>()) {
            let (data, whole) = sample(&mut list, sort);
            let ours = super::entries(&data, 100);
            if whole {
                prop_assert!(ours.is_some(), "a sorted tree of unique names is answered");
            }
            if let Some(ours) = ours {
                let dir = tempfile::tempdir().unwrap();
                let repo = git2::Repository::init_bare(dir.path()).unwrap();
                let id = repo.odb().unwrap().write(git2::ObjectType::Tree, &data).unwrap();
                let t = repo.find_tree(id);
                prop_assert!(t.is_ok(), "libgit2 parses a tree entries read");
                let theirs: Vec<_> = t
                    .unwrap()
                    .iter()
                    .map(|e| (e.name_bytes().to_vec(), e.id().as_bytes().to_vec(), e.filemode() as u32,
                        Found::is_tree(e.filemode_raw() as u32), e.kind() == Some(git2::ObjectType::Tree)))
                    .collect();
                let ours: Vec<_> = ours
                    .iter()
                    .map(|e| (data[e.name.0..e.name.1].to_vec(), e.id.to_vec(), e.filemode(),
                        Found::is_tree(e.mode), Found::is_tree(e.mode)))
                    .collect();
                prop_assert_eq!(ours, theirs);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Reading a tree like another gives what reading it alone gives: for a changed
        /// listing (entries added, dropped, renamed, retyped), for bytes edited anywhere (so
        /// that entries break and boundaries fall mid-entry), with a small `max` too.
        #[test]
        fn a_tree_read_like_another_is_read_as_alone(
            mut list in entries(),
            mut other in entries(),
            sort in proptest::bool::weighted(0.8),
            keep in proptest::collection::vec(any::<bool>(), 7),
            edit in (0usize..200, 0usize..4, proptest::collection::vec(any::<u8>(), 0..4)),
            max in prop_oneof![Just(100usize), 0usize..8],
        ) {
            let (old, _) = sample(&mut list, true);
            let Some(old_entries) = super::entries(&old, max) else {
                return Ok(());
            };
            // The same tree with some entries left out and others added, and with bytes
            // spliced in at a place.
            let mut changed: Vec<_> = list
                .iter()
                .zip(keep.iter().cycle())
                .filter(|(_, k)| **k)
                .map(|(e, _)| e.clone())
                .chain(other.drain(..))
                .collect();
            let (mut new, _) = sample(&mut changed, sort);
            let (at, cut, bytes) = edit;
            if at % 3 == 0 {
                new = old.clone();
                let at = at.min(new.len());
                let cut = cut.min(new.len() - at);
                new.splice(at..at + cut, bytes);
            }
            prop_assert_eq!(
                super::entries_like(&old, &old_entries, &new, max),
                super::entries(&new, max)
            );
        }
    }

    #[test]
    fn a_tree_read_like_another_keeps_to_the_most_entries() {
        let old = tree(&[("100644", "a", 1), ("100644", "b", 2), ("100644", "d", 4)]);
        let new = tree(&[
            ("100644", "a", 1),
            ("100644", "b", 2),
            ("100644", "c", 3),
            ("100644", "d", 4),
        ]);
        let old_entries = super::entries(&old, 3).unwrap();
        assert_eq!(super::entries_like(&old, &old_entries, &new, 3), None);
        let like = super::entries_like(&old, &old_entries, &new, 4).unwrap();
        assert_eq!(Some(like), super::entries(&new, 4));
    }
}
