//! `file:` URIs ↔ paths. The editor names documents by URI; goalpost reads only paths below
//! the project root, so a URI of any other scheme, or with a host, names nothing here.
//! URIs are parsed by `fluent-uri`, the parser lsp-types is built on; paths that are not
//! UTF-8 once decoded cannot name a goal file and are refused.

use std::path::{Path, PathBuf};

/// The local path of a `file:` URI (`file:///a/b%20c`, `file:/a/b%20c` → `/a/b c`), parsed
/// by `fluent-uri` (lsp-types' own URI parser); `None` for any other scheme, a remote host, a
/// malformed escape, or a path that is not UTF-8 once decoded.
pub(crate) fn to_path(uri: &str) -> Option<PathBuf> {
    let escaped = escape_loose(uri);
    let parsed = fluent_uri::Uri::parse(escaped.as_ref()).ok()?;
    if !parsed.scheme()?.as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    // `file:///p`, `file:/p` or `file://localhost/p`; no other host is this machine.
    if let Some(a) = parsed.authority() {
        let host = a.host().as_str();
        let local = host.is_empty() || host.eq_ignore_ascii_case("localhost");
        if !local || a.userinfo().is_some() || a.port().is_some() {
            return None;
        }
    }
    // A query or fragment is not part of the path.
    let path = parsed.path();
    if !path.is_absolute() {
        return None;
    }
    let text = path.as_estr().decode().into_string().ok()?.into_owned();
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

/// `uri` with spaces and non-ASCII characters percent-encoded: some clients send them as
/// they are, and a URI holds neither.
fn escape_loose(uri: &str) -> std::borrow::Cow<'_, str> {
    if uri.bytes().all(|b| b.is_ascii_graphic()) {
        return uri.into();
    }
    let mut out = String::with_capacity(uri.len() + 16);
    for c in uri.chars() {
        if c == ' ' || !c.is_ascii() {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// The `file:` URI of an absolute path, percent-encoding all but unreserved characters and
/// `/`.
pub(crate) fn from_path(path: &Path) -> String {
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
    fn file_uris_in_every_form_a_client_sends() {
        for (uri, path) in [
            // RFC 8089's form without an authority.
            ("file:/tmp/a%20b/x.yaml", "/tmp/a b/x.yaml"),
            ("file:/r/%C3%BC.yaml", "/r/ü.yaml"),
            // Escapes in lowercase; a query and a fragment are not part of the path.
            ("file:///r/%c3%bc%23.yaml?x#y", "/r/ü#.yaml"),
            // Spaces and letters sent as they are.
            ("file:///tmp/a b/ü.yaml", "/tmp/a b/ü.yaml"),
            ("file://LOCALHOST/a", "/a"),
        ] {
            assert_eq!(to_path(uri), Some(PathBuf::from(path)), "{uri}");
        }
        // Not escapes: `%+1` is no byte (it read as 0x01), nor is `%2`.
        for uri in [
            "file:///a%+1.yaml",
            "file:///a%2",
            "file:///a%-1",
            "file://u@localhost/a",
        ] {
            assert_eq!(to_path(uri), None, "{uri}");
        }
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
