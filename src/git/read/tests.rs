use super::*;
use proptest::prelude::*;

/// A tree object's bytes from entries (mode as written, name, id byte).
fn tree(entries: &[(String, String, u8)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (mode, name, id) in entries {
        out.extend_from_slice(mode.as_bytes());
        out.push(b' ');
        out.extend_from_slice(name.as_bytes());
        out.push(0);
        out.extend_from_slice(&[*id; 20]);
    }
    out
}

/// Entries of one tree: names from a small alphabet (prefixes and `/`-order cases are
/// common), modes of every kind, ids from a few values (so that the two sides often
/// share an entry), sorted in git's order as git writes them.
fn listing() -> impl Strategy<Value = Vec<(String, String, u8)>> {
    let mode = prop_oneof![
        Just("100644".to_owned()),
        Just("100755".to_owned()),
        Just("40000".to_owned()),
        Just("120000".to_owned()),
        Just("160000".to_owned()),
        Just("100654".to_owned()),
    ];
    prop::collection::vec((mode, "[ab.\\-]{1,3}", 0u8..3), 0..8).prop_map(|mut list| {
        let dir = |m: &str| m == "40000";
        list.sort_by(|a, b| {
            raw_order(
                a.1.as_bytes(),
                if dir(&a.0) { 0o40000 } else { 0 },
                b.1.as_bytes(),
                if dir(&b.0) { 0o40000 } else { 0 },
            )
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
