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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]
    /// Two trees compared from their bytes report the entries that differ exactly as the
    /// comparison of libgit2's parses does, in the same order; a side may be absent.
    #[test]
    fn byte_comparison_agrees_with_libgit2s(
        a in proptest::option::of(listing()),
        b in proptest::option::of(listing()),
    ) {
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
