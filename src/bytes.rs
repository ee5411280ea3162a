//! Byte strings compared: how long a prefix or suffix two versions of a file or a tree
//! share. A leaf: depends only on `std`.

/// Bytes compared at a time before narrowing down byte by byte: slice equality is a
/// `memcmp`, many times faster than comparing byte pairs.
const CHUNK: usize = 256;

/// The length of the longest common prefix.
pub(crate) fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + CHUNK <= n && a[i..i + CHUNK] == b[i..i + CHUNK] {
        i += CHUNK;
    }
    i + a[i..n]
        .iter()
        .zip(&b[i..n])
        .take_while(|(x, y)| x == y)
        .count()
}

/// The length of the longest common suffix.
pub(crate) fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut i = 0;
    while i + CHUNK <= n && a[n - i - CHUNK..n - i] == b[n - i - CHUNK..n - i] {
        i += CHUNK;
    }
    i + a[..n - i]
        .iter()
        .rev()
        .zip(b[..n - i].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The chunked comparisons give the lengths a byte-by-byte comparison gives.
        #[test]
        fn prefixes_and_suffixes_are_those_byte_by_byte(
            common in proptest::collection::vec(0u8..3, 0..600),
            a in proptest::collection::vec(0u8..3, 0..300),
            b in proptest::collection::vec(0u8..3, 0..300),
        ) {
            let naive = |x: &[u8], y: &[u8]| x.iter().zip(y).take_while(|(p, q)| p == q).count();
            let (x, y) = ([&common[..], &a].concat(), [&common[..], &b].concat());
            proptest::prop_assert_eq!(common_prefix(&x, &y), naive(&x, &y));
            let rev = |v: &[u8]| v.iter().rev().copied().collect::<Vec<u8>>();
            let (x, y) = ([&a[..], &common].concat(), [&b[..], &common].concat());
            proptest::prop_assert_eq!(common_suffix(&x, &y), naive(&rev(&x), &rev(&y)));
        }
    }
}
