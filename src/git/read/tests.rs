use super::*;
use proptest::prelude::*;

/// A tree object's bytes from entries (mode as written, name, id byte).
fn tree(entries: &[(String, String, u8)]) -> Vec<u8> {
    let refs: Vec<(&str, &str, u8)> = entries
        .iter()
        .map(|(m, n, i)| (m.as_str(), n.as_str(), *i))
        .collect();
    crate::git::rawtree::tests::tree(&refs)
}

/// Entries of one tree as git writes them: those of `rawtree`'s tests that are well-formed,
/// ids from a few values (so that the two sides often share an entry), sorted in git's
/// order, each name once.
fn listing() -> impl Strategy<Value = Vec<(String, String, u8)>> {
    crate::git::rawtree::tests::entries().prop_map(|mut list| {
        list.retain(|(m, n, _)| {
            !n.is_empty() && !m.is_empty() && m.len() <= 7 && u32::from_str_radix(m, 8).is_ok()
        });
        for e in &mut list {
            e.2 %= 3;
        }
        let dir =
            |m: &str| u32::from_str_radix(m, 8).is_ok_and(crate::git::rawtree::Found::is_tree);
        list.sort_by(|a, b| {
            crate::git::rawtree::git_order(a.1.as_bytes(), dir(&a.0), b.1.as_bytes(), dir(&b.0))
        });
        let mut seen = std::collections::HashSet::new();
        list.retain(|e| seen.insert(e.1.clone()));
        list
    })
}

/// What a comparison reported: each differing entry's name and both sides.
type Report = Vec<(Vec<u8>, Option<Parts>, Option<Parts>)>;

/// Entries of a tree: (mode as written, name, id byte).
type Entries = Vec<(String, String, u8)>;

/// A listing and another made from it: some of its entries kept, others added, ids changed
/// (so that the two share much at the start or the end, as a commit's trees do), or an
/// unrelated one.
fn two_listings() -> impl Strategy<Value = (Option<Entries>, Option<Entries>)> {
    (
        proptest::option::of(listing()),
        proptest::option::of(listing()),
        proptest::collection::vec(0u8..4, 7),
        any::<bool>(),
    )
        .prop_map(|(a, b, edits, related)| {
            let (Some(a), Some(b), true) = (&a, &b, related) else {
                return (a, b);
            };
            let mut changed: Vec<_> = a
                .iter()
                .zip(edits.iter().cycle())
                .filter(|(_, e)| **e != 0)
                .map(|(x, e)| {
                    (
                        x.0.clone(),
                        x.1.clone(),
                        if *e == 1 { (x.2 + 1) % 3 } else { x.2 },
                    )
                })
                .chain(b.iter().take(2).cloned())
                .collect();
            let dir =
                |m: &str| u32::from_str_radix(m, 8).is_ok_and(crate::git::rawtree::Found::is_tree);
            changed.sort_by(|x, y| {
                crate::git::rawtree::git_order(x.1.as_bytes(), dir(&x.0), y.1.as_bytes(), dir(&y.0))
            });
            let mut seen = std::collections::HashSet::new();
            changed.retain(|e| seen.insert(e.1.clone()));
            (Some(a.clone()), Some(changed))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    /// Two trees compared from their bytes report the entries that differ exactly as the
    /// comparison of libgit2's parses does, in the same order; a side may be absent.
    #[test]
    fn byte_comparison_agrees_with_libgit2s((a, b) in two_listings()) {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init_bare(dir.path()).unwrap();
        let bytes = |l: &Option<Vec<(String, String, u8)>>| l.as_ref().map(|l| tree(l));
        let (ad, bd) = (bytes(&a), bytes(&b));
        let write = |d: &Option<Vec<u8>>| {
            d.as_ref().map(|d| repo.odb().unwrap().write(git2::ObjectType::Tree, d).unwrap())
        };
        let (ai, bi) = (write(&ad), write(&bd));
        let parsed = |i: Option<git2::Oid>| i.map(|i| repo.find_tree(i).unwrap());
        let (at, bt) = (parsed(ai), parsed(bi));
        let mut theirs: Report = Vec::new();
        parsed_differences(at.as_ref(), bt.as_ref(), &mut |n: &[u8], x: Option<Parts>, y: Option<Parts>| {
            theirs.push((n.to_vec(), x, y))
        });
        let raw = |d: &Option<Vec<u8>>| match d {
            None => Some((Vec::new(), Vec::new())),
            Some(d) => crate::git::rawtree::entries(d, 100).map(|e| (d.clone(), e)),
        };
        let (ar, br) = (raw(&ad), raw(&bd));
        prop_assert!(ar.is_some() && br.is_some(), "trees git writes are read from their bytes");
        let (ar, br) = (ar.unwrap(), br.unwrap());
        let mut ours: Report = Vec::new();
        raw_differences((&ar.0, &ar.1), (&br.0, &br.1), &mut |n: &[u8], x: Option<Parts>, y: Option<Parts>| {
            ours.push((n.to_vec(), x, y))
        })
        .unwrap();
        prop_assert_eq!(ours, theirs);
    }
}
