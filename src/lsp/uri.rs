//! `file:` URIs ↔ paths. The editor names documents by URI; goalpost reads only paths below
//! the project root, so a URI of any other scheme, or with a host, names nothing here.
//! Percent-encoding is undone byte by byte (a path is bytes, not text); paths that are not
//! UTF-8 cannot name a goal file and are refused.

use std::path::{Path, PathBuf};

/// The local path of a `file:` URI (`file:///a/b%20c` → `/a/b c`); `None` for any other
/// scheme, a remote host, or a path that is not UTF-8 once decoded.
pub fn to_path(uri: &str) -> Option<PathBuf> {
    let rest = strip_prefix_ignore_case(uri, "file://")?;
    // `file:///p` or `file://localhost/p`; no other host is this machine.
    let path = match rest.find('/') {
        Some(0) => rest,
        Some(i) if rest[..i].eq_ignore_ascii_case("localhost") => &rest[i..],
        _ => return None,
    };
    // A query or fragment is not part of the path.
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = decode(path)?;
    let text = String::from_utf8(bytes).ok()?;
    if text.contains('\0') {
        return None;
    }
    // `file:///C:/x` on Windows: drop the slash before the drive letter.
    #[cfg(windows)]
    let text = match text.as_bytes() {
        [b'/', d, b':', ..] if d.is_ascii_alphabetic() => text[1..].replace('/', "\\"),
        _ => text,
    };
    Some(PathBuf::from(text))
}

/// The `file:` URI of an absolute path, percent-encoding all but unreserved characters and
/// `/`.
pub fn from_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    #[cfg(windows)]
    let text = format!("/{}", text.replace('\\', "/"));
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str("file://");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Undoes percent-encoding; `None` for a malformed escape.
fn decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip() {
        for p in ["/tmp/a b/goals/x.yaml", "/r/ü/%/#?.yaml", "/plain/path.yml"] {
            let uri = from_path(Path::new(p));
            assert!(!uri[7..].contains([' ', '#', '?']), "{uri}");
            assert_eq!(to_path(&uri), Some(PathBuf::from(p)), "{uri}");
        }
        assert_eq!(
            to_path("file://localhost/a/b%20c"),
            Some(PathBuf::from("/a/b c"))
        );
        assert_eq!(to_path("FILE:///a"), Some(PathBuf::from("/a")));
    }

    #[test]
    fn other_uris_name_nothing() {
        for uri in [
            "untitled:Untitled-1",
            "https://example.com/a.yaml",
            "file://server/share/a.yaml",
            "file:///a%zz",
            "file:///a%00b",
            "file:///a%FF",
            "file:",
        ] {
            assert_eq!(to_path(uri), None, "{uri}");
        }
    }
}
