//! Another repository's commit (SPEC 13, `goalpost upstream update`): fetched over git's
//! smart HTTP protocol (version 0/1, stateless RPC, as `git http-backend`, GitHub and GitLab
//! serve it) through [`crate::net`] with its rules (SPEC 11), or read from a local
//! repository's object database. Either way the result is a [`Repo`] whose trees are read
//! with [`super::GitTree`], never a work tree: no `git` subprocess, no libgit2 transport, no
//! hooks, no checkout.
//!
//! The fetch asks for one ref's object, shallow (depth 1) when the server can, and indexes
//! the pack it receives with libgit2 into a temporary bare repository that is removed when
//! the last clone of the [`Repo`] (and the last tree read from it) is dropped. Everything the
//! server sends is bounded: each pkt-line, the number of refs, the advertisement's and the
//! pack's size, and the whole exchange by one deadline. Malformed input is an error, never
//! a panic. Messages never hold the token.
//!
//! Why speak the protocol here rather than use a library's transport: libgit2's own HTTP
//! transport would need registering a custom one (an `unsafe` API, and the crate forbids
//! unsafe code) to keep SPEC 11's rules (same-origin redirects, one deadline, capped bodies,
//! no proxy for loopback, where a token may go), and gitoxide's blocking HTTP client would
//! bring a second git implementation and its build into the binary. The protocol is small
//! (pkt-lines, one GET and one POST), and the HTTP client of `crate::net` (which `pull` already used) carries it: no
//! new crate, no build time beyond this file, +0.5 MB of stripped binary for all of SPEC 13
//! (BENCHMARKS.md, "Upstreams").

use super::{Oid, Repo, Revision};
use crate::net;
use git2::{ErrorCode, Repository, RepositoryOpenFlags};
use std::ffi::OsStr;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[cfg(test)]
mod tests;

/// Largest ref advertisement read (bytes).
const MAX_ADVERTISEMENT_BYTES: u64 = 64 * 1024 * 1024;
/// Largest answer to the fetch, the pack included (bytes).
const MAX_PACK_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Most refs an advertisement may list.
const MAX_REFS: usize = 100_000;
/// Largest pkt-line, its 4-byte length included (git's `LARGE_PACKET_MAX`).
const MAX_PKT_LEN: usize = 65520;
/// Most names an unknown-ref error offers.
const MAX_SUGGESTIONS: usize = 8;
/// Longest server text quoted in a message (characters).
const MAX_QUOTED: usize = 300;

/// How to authenticate to the server.
#[derive(Clone, Copy)]
pub(crate) enum Auth<'a> {
    None,
    /// `Authorization: Bearer TOKEN`.
    Bearer(&'a str),
    /// `Authorization: Basic base64(USER:TOKEN)` (GitHub: `x-access-token`; GitLab:
    /// `oauth2`).
    Basic {
        user: &'a str,
        token: &'a str,
    },
}

impl Auth<'_> {
    fn token(&self) -> Option<&str> {
        match self {
            Auth::None => None,
            Auth::Bearer(t) | Auth::Basic { token: t, .. } => Some(t),
        }
    }

    fn header(&self) -> Option<String> {
        match self {
            Auth::None => None,
            Auth::Bearer(t) => Some(format!("Bearer {t}")),
            Auth::Basic { user, token } => Some(format!(
                "Basic {}",
                base64(format!("{user}:{token}").as_bytes())
            )),
        }
    }
}

/// A repository to fetch a ref of.
pub(crate) struct Remote<'a> {
    /// The repository's URL (`https://host/owner/repo.git`, or `http://` to this machine).
    pub url: &'a str,
    /// A branch or tag name, or a full refname (`refs/...`).
    pub reference: &'a str,
    pub auth: Auth<'a>,
    /// Bounds the whole exchange.
    pub timeout: Duration,
}

/// Why another repository's commit could not be had.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FetchError {
    /// No answer: no connection, a timeout, TLS, a redirect elsewhere, too large, an HTTP
    /// error status.
    #[error("{0}")]
    Network(String),
    /// The server's answer is not git's smart HTTP protocol as goalpost reads it, or the
    /// server reported an error.
    #[error("{0}")]
    Protocol(String),
    /// The repository has no branch or tag of that name.
    #[error("{}", unknown_ref(reference, available))]
    UnknownRef {
        reference: String,
        /// A few of the branch and tag names it has.
        available: Vec<String>,
    },
    /// Indexing the pack or reading a local repository failed.
    #[error("{0}")]
    Git(String),
}

fn unknown_ref(reference: &str, available: &[String]) -> String {
    let reference = sanitize(reference);
    if available.is_empty() {
        format!("the repository has no branch or tag `{reference}` (it has no branches or tags)")
    } else {
        format!(
            "the repository has no branch or tag `{reference}`; it has {}",
            available
                .iter()
                .map(|n| format!("`{}`", sanitize(n)))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

impl FetchError {
    /// The same error with every occurrence of `secret` blotted out (a server may echo
    /// what it was sent).
    fn without(self, secret: Option<&str>) -> FetchError {
        let Some(secret) = secret.filter(|s| !s.is_empty()) else {
            return self;
        };
        let clean = |s: String| s.replace(secret, "***");
        match self {
            FetchError::Network(s) => FetchError::Network(clean(s)),
            FetchError::Protocol(s) => FetchError::Protocol(clean(s)),
            FetchError::Git(s) => FetchError::Git(clean(s)),
            FetchError::UnknownRef {
                reference,
                available,
            } => FetchError::UnknownRef {
                reference: clean(reference),
                available: available.into_iter().map(clean).collect(),
            },
        }
    }
}

/// A directory of its own under the system's temporary directory, removed (with what is in
/// it) when dropped.
pub(super) struct TempDir(PathBuf);

impl TempDir {
    fn new() -> io::Result<TempDir> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let base = std::env::temp_dir();
        let mut last = None;
        for _ in 0..100 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let dir = base.join(format!(
                "goalpost-upstream-{}-{n}-{nanos}",
                std::process::id()
            ));
            // `create_dir` fails when the name exists: the directory is ours alone.
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(TempDir(dir)),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| io::Error::other("no free temporary directory name")))
    }

    pub(super) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Fetches `remote.reference` (tried as given when it starts with `refs/`, else as
/// `refs/heads/NAME`, then `refs/tags/NAME`; an annotated tag is peeled to its commit) over
/// smart HTTP, shallow (depth 1) when the server supports it, into a temporary bare
/// repository that is deleted when the last clone of the returned [`Repo`] is dropped.
pub(crate) fn fetch(remote: &Remote) -> Result<(Repo, Revision), FetchError> {
    let secret = remote.auth.token();
    fetch_inner(remote).map_err(|e| e.without(secret))
}

fn fetch_inner(remote: &Remote) -> Result<(Repo, Revision), FetchError> {
    let shown = shown_url(remote.url);
    let authorization = remote.auth.header();
    net::allowed(remote.url, authorization.is_some())
        .map_err(|e| FetchError::Network(format!("cannot fetch {shown}: {e}")))?;
    let deadline = Instant::now() + remote.timeout;
    let net_error = |e: String| FetchError::Network(format!("cannot fetch {shown}: {e}"));
    let base = remote.url.trim_end_matches('/');

    // 1. The refs.
    let call = net::Call {
        headers: &[],
        authorization: authorization.as_deref(),
        deadline,
        timeout: remote.timeout,
        limit: MAX_ADVERTISEMENT_BYTES,
    };
    let answer = net::get_streamed(&format!("{base}/{INFO_REFS}"), &call).map_err(net_error)?;
    check_status(answer.status, &shown)?;
    if !answer
        .content_type
        .starts_with("application/x-git-upload-pack-advertisement")
    {
        return Err(FetchError::Protocol(format!(
            "{shown} does not speak git's smart HTTP protocol (it answered with {}); is this the URL of a git repository?",
            if answer.content_type.is_empty() {
                "no content type".to_owned()
            } else {
                format!("content type `{}`", sanitize(&answer.content_type))
            }
        )));
    }
    // The POST goes where a (same-origin) redirect led the GET.
    let base = answer
        .url
        .strip_suffix(&format!("/{INFO_REFS}"))
        .ok_or_else(|| {
            FetchError::Protocol(format!(
                "{shown} redirects to an address that is not a git repository's"
            ))
        })?
        .to_owned();
    let refs = parse_advertisement(&mut BufReader::new(answer.body))?;

    // 2. The want.
    let (refname, want) = choose(remote.reference, &refs)?;
    let has = |c: &str| refs.caps.iter().any(|k| k == c);
    let sideband = has("side-band-64k");
    let deepen = has("shallow");
    let mut caps: Vec<String> = ["side-band-64k", "ofs-delta", "shallow", "no-progress"]
        .into_iter()
        .filter(|c| has(c))
        .map(str::to_owned)
        .collect();
    if refs.caps.iter().any(|k| k.starts_with("agent=")) {
        caps.push(concat!("agent=goalpost/", env!("CARGO_PKG_VERSION")).to_owned());
    }
    let request = upload_request(&want, &caps, deepen);

    // 3. The pack, indexed as it arrives.
    let call = net::Call {
        headers: &[
            ("Content-Type", "application/x-git-upload-pack-request"),
            ("Accept", "application/x-git-upload-pack-result"),
        ],
        authorization: authorization.as_deref(),
        deadline,
        timeout: remote.timeout,
        limit: MAX_PACK_BYTES,
    };
    let answer = net::post_streamed(&format!("{base}/git-upload-pack"), &request, &call)
        .map_err(net_error)?;
    check_status(answer.status, &shown)?;
    if !answer
        .content_type
        .starts_with("application/x-git-upload-pack-result")
    {
        return Err(FetchError::Protocol(format!(
            "{shown} answered the fetch with content type `{}`, not git's",
            sanitize(&answer.content_type)
        )));
    }
    let temp = TempDir::new().map_err(|e| {
        FetchError::Git(format!(
            "cannot make a temporary directory in {}: {e}",
            std::env::temp_dir().display()
        ))
    })?;
    let git = |e: git2::Error| {
        FetchError::Git(format!("cannot store the fetched objects: {}", e.message()))
    };
    let repo = Repository::init_bare(temp.path()).map_err(git)?;
    let shallow = {
        let odb = repo.odb().map_err(git)?;
        let mut writer = odb.packwriter().map_err(git)?;
        let mut reader = BufReader::new(answer.body);
        let shallow = read_result(&mut reader, deepen, sideband, &mut writer)?;
        writer.commit().map_err(git)?;
        shallow
    };
    if !shallow.is_empty() {
        let mut text = shallow.join("\n");
        text.push('\n');
        std::fs::write(temp.path().join("shallow"), text)
            .map_err(|e| FetchError::Git(format!("cannot record the shallow commits: {e}")))?;
    }
    let commit = peel(&repo, &want).map_err(|e| {
        FetchError::Protocol(format!(
            "the server's pack does not hold `{}` ({refname} at {want}): {}",
            sanitize(remote.reference),
            e.message()
        ))
    })?;
    let rev = Revision {
        name: remote.reference.to_owned(),
        commit,
    };
    Ok((Repo::upstream(repo, Some(temp)), rev))
}

const INFO_REFS: &str = "info/refs?service=git-upload-pack";

/// A URL as messages show it: without user name and password.
fn shown_url(url: &str) -> String {
    let shown = match url.split_once("://") {
        Some((scheme, rest)) => {
            let end = rest.find('/').unwrap_or(rest.len());
            match rest[..end].rfind('@') {
                Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
                None => url.to_owned(),
            }
        }
        None => url.to_owned(),
    };
    sanitize(&shown)
}

fn check_status(status: u16, shown: &str) -> Result<(), FetchError> {
    let why = match status {
        200 => return Ok(()),
        401 | 403 => "the server refuses access; is the token set and allowed to read it?",
        404 => "there is no repository there (or the token may not see it)",
        _ => "the server could not answer",
    };
    Err(FetchError::Network(format!(
        "cannot fetch {shown}: HTTP status {status}: {why}"
    )))
}

/// Text from the server fit for a message: no control characters, at most
/// [`MAX_QUOTED`] characters.
pub(super) fn sanitize(text: &str) -> String {
    let mut out: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_QUOTED)
        .collect();
    if text
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .nth(MAX_QUOTED)
        .is_some()
    {
        out.push('…');
    }
    out
}

/// Standard base64 with padding (RFC 4648).
pub(super) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// One pkt-line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Pkt {
    /// `0000`.
    Flush,
    /// `0001`.
    Delim,
    /// `0002`.
    End,
    Data(Vec<u8>),
}

/// Reads pkt-lines from a stream.
pub(super) struct Pkts<'r, R> {
    pub(super) r: &'r mut R,
}

impl<R: Read> Pkts<'_, R> {
    pub(super) fn next(&mut self) -> Result<Pkt, FetchError> {
        let mut len = [0u8; 4];
        read_exact(self.r, &mut len)?;
        let n = std::str::from_utf8(&len)
            .ok()
            .filter(|s| s.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|s| usize::from_str_radix(s, 16).ok())
            .ok_or_else(|| {
                FetchError::Protocol(format!(
                    "the server's answer is malformed (a pkt-line length `{}` is not hex)",
                    sanitize(&String::from_utf8_lossy(&len))
                ))
            })?;
        match n {
            0 => Ok(Pkt::Flush),
            1 => Ok(Pkt::Delim),
            2 => Ok(Pkt::End),
            4..=MAX_PKT_LEN => {
                let mut data = vec![0u8; n - 4];
                read_exact(self.r, &mut data)?;
                Ok(Pkt::Data(data))
            }
            _ => Err(FetchError::Protocol(format!(
                "the server's answer is malformed (a pkt-line of length {n})"
            ))),
        }
    }
}

fn read_exact(r: &mut impl Read, buf: &mut [u8]) -> Result<(), FetchError> {
    r.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => FetchError::Protocol(
            "the server's answer ends early (in the middle of a pkt-line)".to_owned(),
        ),
        _ => FetchError::Network(format!("cannot read the server's answer: {e}")),
    })
}

/// A line's text without its line feed, if it is UTF-8.
fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data.strip_suffix(b"\n").unwrap_or(data)).ok()
}

/// The refs a server advertises.
#[derive(Debug, Default)]
pub(super) struct Advertised {
    /// (refname, object id in hex), in the server's order.
    pub(super) refs: Vec<(String, String)>,
    pub(super) caps: Vec<String>,
}

fn malformed(what: &str) -> FetchError {
    FetchError::Protocol(format!(
        "the server's ref advertisement is malformed ({what})"
    ))
}

fn server_error(message: &str) -> FetchError {
    FetchError::Protocol(format!(
        "the server reports an error: {}",
        sanitize(message)
    ))
}

fn is_oid(s: &str) -> bool {
    s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Reads `# service=git-upload-pack`, a flush, then the refs up to a flush.
pub(super) fn parse_advertisement(r: &mut impl Read) -> Result<Advertised, FetchError> {
    let mut pkts = Pkts { r };
    match pkts.next()? {
        Pkt::Data(d) if text(&d) == Some("# service=git-upload-pack") => {}
        Pkt::Data(d) if d.starts_with(b"ERR ") => {
            return Err(server_error(&String::from_utf8_lossy(&d[4..])));
        }
        _ => {
            return Err(malformed(
                "it does not start with `# service=git-upload-pack`",
            ));
        }
    }
    // Some servers omit the flush after the service line.
    let mut next = pkts.next()?;
    if next == Pkt::Flush {
        next = pkts.next()?;
    }
    let mut out = Advertised::default();
    let mut first = true;
    loop {
        let data = match next {
            Pkt::Flush => break,
            Pkt::Data(d) => d,
            Pkt::Delim | Pkt::End => return Err(malformed("a delimiter among the refs")),
        };
        if let Some(message) = data.strip_prefix(b"ERR ") {
            return Err(server_error(&String::from_utf8_lossy(message)));
        }
        let (line, caps) = match data.iter().position(|&b| b == 0) {
            Some(nul) => (&data[..nul], Some(&data[nul + 1..])),
            None => (&data[..], None),
        };
        if let Some(caps) = caps {
            if !first {
                return Err(malformed("capabilities after the first ref"));
            }
            out.caps = text(caps)
                .ok_or_else(|| malformed("capabilities that are not text"))?
                .split(' ')
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect();
        }
        let line = text(line).ok_or_else(|| malformed("a ref name that is not UTF-8"))?;
        if first && line == "version 1" {
            next = pkts.next()?;
            continue;
        }
        first = false;
        if let Some(oid) = line.strip_prefix("shallow ") {
            if !is_oid(oid) {
                return Err(malformed("a shallow line without an object id"));
            }
        } else {
            let (oid, name) = line
                .split_once(' ')
                .ok_or_else(|| malformed("a ref line without a name"))?;
            if oid.len() == 64 && oid.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(FetchError::Protocol(
                    "the repository uses SHA-256 object ids, which goalpost cannot read yet"
                        .to_owned(),
                ));
            }
            if !is_oid(oid) || name.is_empty() {
                return Err(malformed("a ref line without an object id and a name"));
            }
            // An empty repository advertises only its capabilities.
            if name != "capabilities^{}" {
                if out.refs.len() >= MAX_REFS {
                    return Err(FetchError::Protocol(format!(
                        "the repository advertises more than {MAX_REFS} refs"
                    )));
                }
                out.refs.push((name.to_owned(), oid.to_ascii_lowercase()));
            }
        }
        next = pkts.next()?;
    }
    Ok(out)
}

/// The refnames `reference` may mean, in order.
pub(super) fn candidates(reference: &str) -> Vec<String> {
    if reference.starts_with("refs/") {
        vec![reference.to_owned()]
    } else {
        vec![
            format!("refs/heads/{reference}"),
            format!("refs/tags/{reference}"),
        ]
    }
}

/// A few branch and tag names from refnames: branches first, sorted.
pub(super) fn suggestions<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut branches = Vec::new();
    let mut tags = Vec::new();
    for name in names {
        if name.ends_with("^{}") {
            continue;
        }
        if let Some(b) = name.strip_prefix("refs/heads/") {
            branches.push(b.to_owned());
        } else if let Some(t) = name.strip_prefix("refs/tags/") {
            tags.push(t.to_owned());
        }
    }
    branches.sort();
    tags.sort();
    branches
        .into_iter()
        .chain(tags)
        .take(MAX_SUGGESTIONS)
        .collect()
}

/// The refname and object id (hex) to fetch for `reference`.
pub(super) fn choose(reference: &str, ad: &Advertised) -> Result<(String, String), FetchError> {
    for c in candidates(reference) {
        if let Some((name, oid)) = ad.refs.iter().find(|(n, _)| *n == c) {
            return Ok((name.clone(), oid.clone()));
        }
    }
    Err(FetchError::UnknownRef {
        reference: reference.to_owned(),
        available: suggestions(ad.refs.iter().map(|(n, _)| n.as_str())),
    })
}

/// Appends `data` as one pkt-line.
fn pkt(out: &mut Vec<u8>, data: &str) {
    out.extend_from_slice(format!("{:04x}", data.len() + 4).as_bytes());
    out.extend_from_slice(data.as_bytes());
}

/// The body of the upload-pack request: one want, `deepen 1` when asked, a flush, `done`.
pub(super) fn upload_request(want: &str, caps: &[String], deepen: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut line = format!("want {want}");
    for c in caps {
        line.push(' ');
        line.push_str(c);
    }
    line.push('\n');
    pkt(&mut out, &line);
    if deepen {
        pkt(&mut out, "deepen 1\n");
    }
    out.extend_from_slice(b"0000");
    pkt(&mut out, "done\n");
    out
}

/// Reads the answer to the upload-pack request: the shallow commits (when `deepen` was
/// sent), the `NAK`, then the pack (in side band 1 when `sideband`), written to `pack`.
/// Returns the shallow commits' ids.
pub(super) fn read_result(
    r: &mut impl BufRead,
    deepen: bool,
    sideband: bool,
    pack: &mut impl Write,
) -> Result<Vec<String>, FetchError> {
    let bad = |what: &str| {
        FetchError::Protocol(format!(
            "the server's answer to the fetch is malformed ({what})"
        ))
    };
    let store = |e: io::Error| FetchError::Git(format!("cannot index the fetched pack: {e}"));
    let mut shallow = Vec::new();
    let mut pkts = Pkts { r: &mut *r };
    if deepen {
        loop {
            match pkts.next()? {
                Pkt::Flush => break,
                Pkt::Data(d) => {
                    let line = text(&d).ok_or_else(|| bad("a line that is not text"))?;
                    if let Some(oid) = line.strip_prefix("shallow ") {
                        if !is_oid(oid) {
                            return Err(bad("a shallow line without an object id"));
                        }
                        shallow.push(oid.to_ascii_lowercase());
                    } else if line.starts_with("unshallow ") {
                    } else if let Some(message) = line.strip_prefix("ERR ") {
                        return Err(server_error(message));
                    } else {
                        // No shallow section (a server that ignored `deepen`): this is
                        // already the acknowledgement.
                        if line == "NAK" || line.starts_with("ACK ") {
                            return read_pack(r, sideband, pack, shallow).map_err(|e| e.or(store));
                        }
                        return Err(bad("an unexpected line among the shallow commits"));
                    }
                }
                Pkt::Delim | Pkt::End => return Err(bad("a delimiter among the shallow commits")),
            }
        }
    }
    match pkts.next()? {
        Pkt::Data(d) => match text(&d) {
            Some(line) if line == "NAK" || line.starts_with("ACK ") => {}
            Some(line) if line.starts_with("ERR ") => return Err(server_error(&line[4..])),
            _ => return Err(bad("no NAK before the pack")),
        },
        _ => return Err(bad("no NAK before the pack")),
    }
    read_pack(r, sideband, pack, shallow).map_err(|e| e.or(store))
}

/// A failure while copying the pack: reading it (the server's fault or the network's) or
/// storing it (libgit2's indexer, which rejects a malformed pack).
enum Copy {
    Read(FetchError),
    Write(io::Error),
}

impl Copy {
    fn or(self, store: impl Fn(io::Error) -> FetchError) -> FetchError {
        match self {
            Copy::Read(e) => e,
            Copy::Write(e) => store(e),
        }
    }
}

fn read_pack(
    r: &mut impl BufRead,
    sideband: bool,
    pack: &mut impl Write,
    shallow: Vec<String>,
) -> Result<Vec<String>, Copy> {
    let mut total = 0u64;
    if sideband {
        let mut pkts = Pkts { r };
        loop {
            match pkts.next().map_err(Copy::Read)? {
                Pkt::Flush => break,
                Pkt::Data(d) => match d.split_first() {
                    Some((1, bytes)) => {
                        total += bytes.len() as u64;
                        pack.write_all(bytes).map_err(Copy::Write)?;
                    }
                    Some((2, _)) => {}
                    Some((3, message)) => {
                        return Err(Copy::Read(server_error(&String::from_utf8_lossy(message))));
                    }
                    _ => {
                        return Err(Copy::Read(FetchError::Protocol(
                            "the server's answer to the fetch is malformed (an unknown side band)"
                                .to_owned(),
                        )));
                    }
                },
                Pkt::Delim | Pkt::End => {
                    return Err(Copy::Read(FetchError::Protocol(
                        "the server's answer to the fetch is malformed (a delimiter in the pack)"
                            .to_owned(),
                    )));
                }
            }
        }
    } else {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(Copy::Read(FetchError::Network(format!(
                        "cannot read the pack: {e}"
                    ))));
                }
            };
            total += n as u64;
            pack.write_all(&buf[..n]).map_err(Copy::Write)?;
        }
    }
    if total == 0 {
        return Err(Copy::Read(FetchError::Protocol(
            "the server sent no pack".to_owned(),
        )));
    }
    Ok(shallow)
}

/// The commit an object (a commit or an annotated tag) names.
fn peel(repo: &Repository, hex: &str) -> Result<Oid, git2::Error> {
    let id = git2::Oid::from_str(hex)?;
    let commit = repo.find_object(id, None)?.peel_to_commit()?;
    Ok(Oid(commit.id()))
}

/// Opens a local repository at `path` (a work tree or a bare repository; no discovery
/// upward, no hooks, no config-driven behaviour) read-only, and resolves `reference` as
/// [`fetch`] does. Only its objects are read, never its work tree.
pub(crate) fn open_local(path: &Path, reference: &str) -> Result<(Repo, Revision), FetchError> {
    let repo = Repository::open_ext(path, RepositoryOpenFlags::NO_SEARCH, &[] as &[&OsStr]).map_err(|_| {
        FetchError::Git(format!(
            "{} is not a git repository (a local upstream is read as a repository: its committed files at {}, not its work tree)",
            path.display(),
            sanitize(reference)
        ))
    })?;
    let commit = resolve_local(&repo, reference)?;
    let rev = Revision {
        name: reference.to_owned(),
        commit,
    };
    Ok((Repo::upstream(repo, None), rev))
}

fn resolve_local(repo: &Repository, reference: &str) -> Result<Oid, FetchError> {
    for c in candidates(reference) {
        match repo.find_reference(&c) {
            Ok(r) => {
                return r.peel_to_commit().map(|c| Oid(c.id())).map_err(|e| {
                    FetchError::Git(format!(
                        "cannot read `{}` ({c}): {}",
                        sanitize(reference),
                        e.message()
                    ))
                });
            }
            Err(e) if e.code() == ErrorCode::NotFound || e.code() == ErrorCode::InvalidSpec => {}
            Err(e) => {
                return Err(FetchError::Git(format!(
                    "cannot read `{}` ({c}): {}",
                    sanitize(reference),
                    e.message()
                )));
            }
        }
    }
    let mut names = Vec::new();
    if let Ok(refs) = repo.references() {
        for r in refs.flatten().take(MAX_REFS) {
            if let Ok(n) = r.name() {
                names.push(n.to_owned());
            }
        }
    }
    Err(FetchError::UnknownRef {
        reference: reference.to_owned(),
        available: suggestions(names.iter().map(String::as_str)),
    })
}
