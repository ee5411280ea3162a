//! Reading the upstream snapshots (SPEC 13): `upstreams/NAME/` holds the goal files of
//! another repository at the commit goalpost.lock pins, with each file's SHA-256. A snapshot
//! is read from the same [`Source`] as the repository's own goals (the work tree or a
//! revision), so `--at`, `diff` and `check --base` see each revision's snapshot and lock. A
//! snapshot that differs from its lock (a file edited, missing or added by hand) is
//! `upstream-modified`: upstream goals are edited upstream.

use super::source::{Entry, Read, Source};
use super::{Limits, LoadError, Loaded, MAX_FILE_BYTES, Sources, decode, push_source};
use crate::config::upstreams::DIR;
use crate::diag::{Code, Diagnostic, Span};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io;
use std::sync::Mutex;

/// The lock file, beside goalpost.toml.
pub(crate) const LOCK: &str = "goalpost.lock";

/// goalpost.lock: what `goalpost upstream update` pinned.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Lock {
    #[serde(default)]
    pub upstreams: BTreeMap<String, Pinned>,
}

/// One upstream's pin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Pinned {
    pub url: String,
    #[serde(rename = "ref")]
    pub reference: String,
    /// The commit, 40 hex digits.
    pub commit: String,
    /// Each snapshot file (its path inside `upstreams/NAME/`) → SHA-256 in lowercase hex.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
}

impl Lock {
    /// goalpost.lock as written: a comment that says what it is, then TOML.
    pub(crate) fn to_text(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!(
            "# goalpost.lock: the upstream snapshots under {DIR}/, pinned by `goalpost upstream update`.\n# Do not edit: run `goalpost upstream update` to move a pin.\n\n{body}"
        )
    }

    /// Parses goalpost.lock; `Err` says what is wrong.
    pub(crate) fn parse(text: &str) -> Result<Lock, String> {
        let lock: Lock = toml::from_str(text).map_err(|e| e.message().trim().to_owned())?;
        for (name, p) in &lock.upstreams {
            if !crate::model::is_slug(name) {
                return Err(format!("`{}` is not an upstream name", name.escape_debug()));
            }
            if p.commit.len() != 40 || !p.commit.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!("upstream `{name}`: `commit` is not a commit id"));
            }
            for (path, hash) in &p.files {
                if !crate::config::is_contained(path) {
                    return Err(format!(
                        "upstream `{name}`: the file `{}` leaves the snapshot",
                        path.escape_debug()
                    ));
                }
                if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(format!(
                        "upstream `{name}`: the hash of `{}` is not a SHA-256",
                        path.escape_debug()
                    ));
                }
            }
        }
        Ok(lock)
    }
}

/// The SHA-256 of `bytes`, in lowercase hex.
pub(crate) fn sha256(bytes: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut out = String::with_capacity(64);
    for b in digest.as_ref() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// One upstream's snapshot as read.
#[derive(Debug)]
pub(crate) struct Snapshot {
    pub name: String,
    pub state: State,
}

/// What was found for an upstream.
#[derive(Debug)]
pub(crate) enum State {
    /// No snapshot, or no pin in goalpost.lock: `goalpost upstream update NAME` makes them.
    Missing,
    /// Something is wrong and already reported (`upstream-modified`, an unreadable
    /// goalpost.lock): refs into it are not judged.
    Broken,
    /// The snapshot, read and matching its pin (`files` is its load).
    Read { commit: String, loaded: Box<Loaded> },
}

/// A snapshot directory seen as a tree of its own: paths are relative to `upstreams/NAME/`
/// and each file read is hashed, to compare with the lock.
pub(crate) struct Snapshotted<'a> {
    pub inner: &'a dyn Source,
    /// `upstreams/NAME/`.
    pub prefix: String,
    /// Path (inside the snapshot) → SHA-256 of every file read.
    pub hashes: Mutex<BTreeMap<String, String>>,
}

impl<'a> Snapshotted<'a> {
    pub(crate) fn new(inner: &'a dyn Source, name: &str) -> Self {
        Snapshotted {
            inner,
            prefix: format!("{DIR}/{name}/"),
            hashes: Mutex::default(),
        }
    }
}

impl Source for Snapshotted<'_> {
    fn walk(&self, roots: &[String], max: usize) -> io::Result<Vec<Entry>> {
        let roots: Vec<String> = roots
            .iter()
            .map(|r| format!("{}{}", self.prefix, super::resolve::normalize(r)))
            .collect();
        let strip = |p: String| p.strip_prefix(&self.prefix).map(str::to_owned).unwrap_or(p);
        Ok(self
            .inner
            .walk(&roots, max)?
            .into_iter()
            .map(|e| match e {
                Entry::File(p) => Entry::File(strip(p)),
                Entry::Refused { path, refused } => Entry::Refused {
                    path: strip(path),
                    refused,
                },
            })
            .collect())
    }

    fn read(&self, path: &str, max: u64) -> io::Result<Read> {
        let read = self.inner.read(&format!("{}{path}", self.prefix), max)?;
        if let Read::Bytes(b) = &read {
            self.hashes
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(path.to_owned(), sha256(b));
        }
        Ok(read)
    }

    fn describe(&self) -> String {
        format!(
            "{} of {}",
            self.prefix.trim_end_matches('/'),
            self.inner.describe()
        )
    }
}

/// Reads goalpost.lock and the snapshot of every upstream in `config` from `source`.
/// Problems with the lock or a snapshot's files are `upstream-modified` diagnostics pushed
/// to `loaded` (the repository's own load), located there.
pub(crate) fn read(source: &dyn Source, loaded: &mut Loaded) -> Vec<Snapshot> {
    let names: Vec<String> = loaded.config.upstreams.keys().cloned().collect();
    if names.is_empty() {
        return Vec::new();
    }
    let lock = read_lock(source, &mut loaded.sources, &mut loaded.diags);
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let state = match &lock {
            None => State::Broken,
            Some(lock) => match lock.upstreams.get(&name) {
                None => State::Missing,
                Some(pin) => snapshot(source, &name, pin, loaded),
            },
        };
        out.push(Snapshot { name, state });
    }
    out
}

/// goalpost.lock, or an empty lock when there is none; `None` when it cannot be used
/// (reported).
fn read_lock(
    source: &dyn Source,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Option<Lock> {
    let fail = |sources: &mut Sources,
                diags: &mut Vec<Diagnostic>,
                text: String,
                message: String| {
        let file = push_source(sources, LOCK.to_owned(), text);
        diags.push(
            Diagnostic::new(Code::UpstreamModified, Span::file_start(file), message)
                .help("goalpost.lock is written by `goalpost upstream update`: run it again rather than edit the file"),
        );
        None
    };
    match source.read(LOCK, MAX_FILE_BYTES) {
        Ok(Read::Missing) => Some(Lock::default()),
        Ok(Read::Bytes(bytes)) => {
            let file = sources.files.len() as u32;
            match decode(&bytes, file) {
                Ok(text) => match Lock::parse(&text) {
                    Ok(lock) => Some(lock),
                    Err(why) => fail(
                        sources,
                        diags,
                        text,
                        format!("goalpost.lock cannot be read: {why}"),
                    ),
                },
                Err(_) => fail(
                    sources,
                    diags,
                    String::new(),
                    "goalpost.lock is not UTF-8 text".to_owned(),
                ),
            }
        }
        Ok(Read::TooLarge(n)) => fail(
            sources,
            diags,
            String::new(),
            format!("goalpost.lock is {n} bytes; the limit is {MAX_FILE_BYTES}"),
        ),
        Ok(Read::Refused(_)) => fail(
            sources,
            diags,
            String::new(),
            "goalpost.lock is a link; goalpost does not follow it".to_owned(),
        ),
        Err(e) => fail(
            sources,
            diags,
            String::new(),
            format!("goalpost.lock cannot be read: {e}"),
        ),
    }
}

/// Reads one snapshot and compares it with its pin.
fn snapshot(source: &dyn Source, name: &str, pin: &Pinned, loaded: &mut Loaded) -> State {
    let tree = Snapshotted::new(source, name);
    // When the snapshot's goalpost.toml does not parse here, no goal file was read: only
    // goalpost.toml is compared with the pin, and the snapshot is then refused as invalid.
    let mut config_only = false;
    let snap = match load_snapshot(&tree) {
        Ok(l) => l,
        Err(LoadError::Config { sources, diags }) => {
            config_only = true;
            Loaded {
                sources,
                diags,
                ..Loaded::default()
            }
        }
        Err(LoadError::Io { path, source: e }) => {
            let file = push_source(
                &mut loaded.sources,
                format!("{}{path}", tree.prefix),
                String::new(),
            );
            loaded.diags.push(Diagnostic::new(
                Code::UpstreamModified,
                Span::file_start(file),
                format!("the snapshot of upstream `{name}` cannot be read: {e}"),
            ));
            return State::Broken;
        }
    };
    let hashes = std::mem::take(&mut *tree.hashes.lock().unwrap_or_else(|p| p.into_inner()));
    if hashes.is_empty() {
        // Pinned, but nothing is there: never updated in this checkout, or deleted.
        return State::Missing;
    }
    let mut problems: Vec<(String, String)> = Vec::new();
    for (path, hash) in &hashes {
        match pin.files.get(path) {
            Some(h) if h.eq_ignore_ascii_case(hash) => {}
            Some(_) => problems.push((
                path.clone(),
                "differs from the version goalpost.lock pins".to_owned(),
            )),
            None => problems.push((
                path.clone(),
                "is not part of the snapshot goalpost.lock pins".to_owned(),
            )),
        }
    }
    for path in pin.files.keys() {
        if !hashes.contains_key(path) && !config_only {
            problems.push((path.clone(), "is missing from the snapshot".to_owned()));
        }
    }
    if !problems.is_empty() {
        for (path, why) in problems {
            let file = push_source(
                &mut loaded.sources,
                format!("{}{path}", tree.prefix),
                String::new(),
            );
            loaded.diags.push(
                Diagnostic::new(
                    Code::UpstreamModified,
                    Span::file_start(file),
                    format!("`{}{path}` {why} (upstream `{name}` at {})", tree.prefix, short(&pin.commit)),
                )
                .help(format!("upstream goals are edited upstream: restore the snapshot with `git checkout -- {DIR}/{name}` or run `goalpost upstream update {name}`")),
            );
        }
        return State::Broken;
    }
    State::Read {
        commit: pin.commit.clone(),
        loaded: Box::new(snap),
    }
}

/// Loads a snapshot: every goal file in it (whatever roots its goalpost.toml names: the
/// snapshot holds exactly the files vendored), with its goalpost.toml for its periods.
pub(crate) fn load_snapshot(tree: &dyn Source) -> Result<Loaded, LoadError> {
    super::load_roots(tree, Limits::default(), &[".".to_owned()])
}

/// The first 10 digits of a commit id, as messages show it.
pub(crate) fn short(commit: &str) -> &str {
    commit.get(..10).unwrap_or(commit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_round_trips_and_refuses_what_it_cannot_pin() {
        let mut lock = Lock::default();
        lock.upstreams.insert(
            "company".into(),
            Pinned {
                url: "https://git.example.com/acme/goals.git".into(),
                reference: "main".into(),
                commit: "a".repeat(40),
                files: BTreeMap::from([("goals/acme/2026-q4.yaml".into(), sha256(b"x"))]),
            },
        );
        let text = lock.to_text();
        assert!(text.starts_with("# goalpost.lock"), "{text}");
        assert_eq!(Lock::parse(&text).unwrap(), lock);
        for bad in [
            "[upstreams.company]\nurl = \"u\"\nref = \"main\"\ncommit = \"xyz\"\n",
            "[upstreams.company]\nurl = \"u\"\nref = \"main\"\ncommit = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\n[upstreams.company.files]\n\"../x.yaml\" = \"00\"\n",
            "[upstreams.Bad]\nurl = \"u\"\nref = \"main\"\ncommit = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\n",
            "[upstreams.company]\nurl = \"u\"\n",
        ] {
            assert!(Lock::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sha256_is_the_standard_one() {
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
