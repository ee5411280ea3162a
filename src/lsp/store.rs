//! The document store: the project's files as the editor sees them. Open buffers overlay
//! the files on disk ([`Layer`], a [`Source`] like the work tree), every goal file is kept
//! parsed (raw, with spans) by path, and an edit re-parses only its own file; validation,
//! scoring and lints then run again over the cached raw files ([`Workspace::analyse`]).
//!
//! Containment is the CLI's: every file is read through the work tree's resolver, a buffer
//! counts only for a path the walk of the roots would list (or a new file there), and a
//! document outside the project or hidden is neither read nor analysed. The work tree's
//! memo of links (each resolved once, a bounded number of steps) lasts one read of the disk.

use crate::config::Config;
use crate::date::Date;
use crate::diag::{Diagnostic, Severity};
use crate::fsutil::is_hidden;
use crate::load::raw::RawFile;
use crate::load::resolve::{Hidden, Resolved};
use crate::load::source::{Entry, Read, Source, WorkTree};
use crate::load::upstream::LOCK;
use crate::load::{self, Limits, LoadError, SourceFile, Sources};
use crate::model::Goals;
use crate::score::Scorecard;
use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod quick;

/// An open document's text and version.
#[derive(Debug, Clone)]
pub(crate) struct Buffer {
    pub text: String,
    pub version: i32,
    /// The URI the client named it by (diagnostics go back to that name).
    pub uri: String,
}

/// The last validation of the whole workspace.
#[derive(Debug, Default)]
pub(crate) struct Analysis {
    /// Every diagnostic (in no particular order across files).
    pub diags: Vec<Diagnostic>,
    pub errors: usize,
}

/// Goals that validated without an error, and their scores as of today: what hover shows,
/// also while later edits have errors.
#[derive(Debug)]
pub(crate) struct Valid {
    pub goals: Arc<Goals>,
    pub card: Scorecard,
}

/// The project as the editor sees it.
pub(crate) struct Workspace {
    pub root: PathBuf,
    tree: WorkTree,
    pub today: Date,
    buffers: HashMap<String, Buffer>,
    /// Every file read, indexed by `Span::file` (paths repo-relative).
    pub sources: Sources,
    ids: HashMap<String, u32>,
    /// Per file: its raw form when it parsed, and the problems found reading it.
    raw: Vec<Option<Arc<RawFile>>>,
    /// Copies of raw files made on the other core while the server waits for the next
    /// message, by file, with the stamp they were copied at: validation consumes its input,
    /// and copying every file was a fifth of an update ([`Workspace::prepare`]).
    spare: HashMap<u32, (u64, RawFile)>,
    copying: Option<std::sync::mpsc::Receiver<Vec<(u32, u64, RawFile)>>>,
    file_diags: Vec<Vec<Diagnostic>>,
    /// The goal files in path order (validation reads them in that order).
    order: Vec<u32>,
    /// `Err` with its diagnostics when goalpost.toml is invalid: then, as for the CLI,
    /// nothing else is read.
    pub config: Result<Config, Vec<Diagnostic>>,
    /// A problem that stopped the last load (an I/O error), for the log.
    pub load_error: Option<String>,
    pub analysis: Analysis,
    pub valid: Option<Arc<Valid>>,
    /// Per file: a number that changes whenever the file is read again (caches of things
    /// computed from a file's text key on it).
    stamps: Vec<u64>,
    next_stamp: u64,
    /// Files changed since the last [`Workspace::analyse`].
    dirty: bool,
    /// Where the last analysis spent its time, for the log.
    pub timings: String,
    /// Per file: its modification time and length on disk when it was read (`None` for a
    /// buffer), so that a save re-reads only the files that changed ([`Workspace::refresh`]).
    meta: Vec<Option<Meta>>,
    /// The same for goalpost.toml (`None` when missing or open).
    config_meta: Option<Meta>,
    /// The upstream snapshots (SPEC 13), read as `check` reads them. Their files follow the
    /// repository's own in `sources` (ids from `raw.len()` on); nothing else indexes them.
    snapshots: Snapshots,
    /// What the last analysis replaced (the analysis before it, goals and scores), freed
    /// once its diagnostics are published ([`Workspace::free_replaced`]).
    replaced: Vec<Box<dyn Send>>,
    /// Files read again since the last [`Workspace::analyse`] (an edit, a save).
    edited: Vec<u32>,
    /// Whether [`Workspace::analyse_quick`] may answer: a whole analysis ran since the
    /// project was last read whole, and no file was added since.
    quick_ok: bool,
    /// Per file: its team at the last whole analysis (when it named a valid one).
    full_teams: Vec<Option<String>>,
}

/// The upstream snapshots as last read, and what they were read from.
#[derive(Default)]
struct Snapshots {
    /// Read since goalpost.toml, goalpost.lock, a buffer or file under `upstreams/`, or the
    /// list of the repository's own files last changed.
    fresh: bool,
    /// The snapshots gathered, cloned into each validation (it consumes them); `None` when
    /// goalpost.toml declares no upstream.
    gathered: Option<crate::validate::upstream::Upstreams>,
    /// The problems of reading and validating them (`upstream-modified`,
    /// `upstream-invalid`), located in the files after the repository's own.
    diags: Vec<Diagnostic>,
    /// goalpost.lock and the files under `upstreams/NAME/` on disk when they were read, so
    /// that a save reads them again only when one of them changed.
    disk: Vec<(String, Option<Meta>)>,
}

/// When a file on disk last changed, and its length.
type Meta = (Option<std::time::SystemTime>, u64);

impl Workspace {
    pub(crate) fn new(root: &Path, today: Date) -> io::Result<Workspace> {
        Ok(Workspace {
            root: root.to_owned(),
            tree: WorkTree::new(root)?,
            today,
            buffers: HashMap::new(),
            sources: Sources::default(),
            ids: HashMap::new(),
            raw: Vec::new(),
            spare: HashMap::new(),
            copying: None,
            file_diags: Vec::new(),
            order: Vec::new(),
            config: Ok(Config::default()),
            load_error: None,
            analysis: Analysis::default(),
            valid: None,
            stamps: Vec::new(),
            next_stamp: 0,
            dirty: true,
            timings: String::new(),
            meta: Vec::new(),
            config_meta: None,
            snapshots: Snapshots::default(),
            replaced: Vec::new(),
            edited: Vec::new(),
            quick_ok: false,
            full_teams: Vec::new(),
        })
    }

    /// The project-relative path of a document, when it is inside the project and no
    /// component of it is hidden; `None` otherwise (such a document is never read).
    pub(crate) fn relative(&self, path: &Path) -> Option<String> {
        let canonical = self.root.canonicalize().ok();
        let rest = path
            .strip_prefix(&self.root)
            .ok()
            .or_else(|| canonical.as_deref().and_then(|c| path.strip_prefix(c).ok()))?;
        let mut parts = Vec::new();
        for c in rest.components() {
            match c {
                std::path::Component::Normal(n) => {
                    let n = n.to_str()?;
                    if is_hidden(n) {
                        return None;
                    }
                    parts.push(n);
                }
                std::path::Component::CurDir => {}
                _ => return None,
            }
        }
        (!parts.is_empty()).then(|| parts.join("/"))
    }

    /// Whether goalpost reads `path`: goalpost.toml, or a goal file the walk of the roots
    /// would list.
    pub(crate) fn is_tracked(&self, path: &str) -> bool {
        path == "goalpost.toml" || self.is_goal_path(path)
    }

    fn is_goal_path(&self, path: &str) -> bool {
        // `upstreams/` holds other repositories' goals (SPEC 13), never this one's own.
        if is_snapshot_path(path) {
            return false;
        }
        let roots = match &self.config {
            Ok(c) => c.roots.clone(),
            Err(_) => Config::default().roots,
        };
        roots.iter().any(|r| crate::checkin::is_walked(path, r))
    }

    /// The text goalpost sees at `path`: the open buffer, else what was read from disk.
    pub(crate) fn text(&self, path: &str) -> Option<&str> {
        match self.buffers.get(path) {
            Some(b) => Some(&b.text),
            None => self.id(path).map(|f| self.sources.text(f)),
        }
    }

    pub(crate) fn buffer(&self, path: &str) -> Option<&Buffer> {
        self.buffers.get(path)
    }

    pub(crate) fn id(&self, path: &str) -> Option<u32> {
        self.ids.get(path).copied()
    }

    /// The paths of the goal files, in path order.
    pub(crate) fn goal_paths(&self) -> impl Iterator<Item = &str> {
        self.order.iter().map(|&f| self.sources.path(f))
    }

    /// Changes whenever the file at `path` is read again.
    pub(crate) fn stamp(&self, path: &str) -> u64 {
        self.id(path)
            .and_then(|f| self.stamps.get(f as usize))
            .copied()
            .unwrap_or(u64::MAX)
    }

    fn new_stamp(&mut self) -> u64 {
        self.next_stamp += 1;
        self.next_stamp
    }

    /// Whether the text at `path` parses as YAML: a goal file whose raw form was built (or
    /// failed only in its meaning), or any other document. The server asks before it parses
    /// a buffer again for a request, so a hostile file (an alias bomb) is parsed once per
    /// change, not once per request.
    pub(crate) fn parses(&self, path: &str) -> bool {
        let Some(f) = self.id(path) else {
            return true;
        };
        self.raw[f as usize].is_some()
            || !self.file_diags[f as usize]
                .iter()
                .any(|d| d.code.is_root_cause())
    }

    /// Opens (or re-opens) a buffer; returns whether goalpost reads that path.
    pub(crate) fn open(&mut self, path: &str, uri: String, text: String, version: i32) -> bool {
        self.buffers
            .insert(path.to_owned(), Buffer { text, version, uri });
        self.buffer_changed(path)
    }

    /// Replaces a buffer's text; returns whether goalpost reads that path.
    pub(crate) fn change(&mut self, path: &str, text: String, version: i32) -> bool {
        match self.buffers.get_mut(path) {
            Some(b) => {
                b.text = text;
                b.version = version;
            }
            None => return false,
        }
        self.buffer_changed(path)
    }

    /// Closes a buffer: the file on disk counts again.
    pub(crate) fn close(&mut self, path: &str) {
        if self.buffers.remove(path).is_none() {
            return;
        }
        if self.is_tracked(path) {
            self.tree.forget();
            self.reload_file(path);
        } else {
            self.snapshot_changed(path);
        }
    }

    /// Whether goalpost.toml declares upstreams: then goalpost.lock and `upstreams/` are read.
    fn has_upstreams(&self) -> bool {
        self.config.as_ref().is_ok_and(|c| !c.upstreams.is_empty())
    }

    /// After a change at `path`: when it is goalpost.lock or under `upstreams/` and
    /// upstreams are declared, the snapshots are read again before the next validation
    /// (returns true).
    fn snapshot_changed(&mut self, path: &str) -> bool {
        if !(path == LOCK || is_snapshot_path(path)) || !self.has_upstreams() {
            return false;
        }
        self.snapshots.fresh = false;
        self.dirty = true;
        true
    }

    /// Re-reads one tracked path after its buffer changed: goalpost.toml means everything
    /// (the roots may have moved), a goal file only itself.
    fn buffer_changed(&mut self, path: &str) -> bool {
        if path == "goalpost.toml" {
            self.reload();
            return true;
        }
        if self.snapshot_changed(path) {
            return true;
        }
        if !self.is_goal_path(path) || self.config.is_err() {
            return false;
        }
        self.tree.forget();
        self.reload_file(path);
        true
    }

    /// Reads and parses one goal file again (its buffer, else the disk, through the
    /// resolver). A path the resolver refuses keeps the refusal, whatever the buffer holds.
    fn reload_file(&mut self, path: &str) {
        let layer = Layer {
            tree: &self.tree,
            buffers: &self.buffers,
        };
        // Taken before reading: a change after it is seen by the next refresh.
        let meta = self.disk_meta(path);
        let read = layer.read(path, Limits::default().file_bytes);
        let file = match self.id(path) {
            Some(f) => f,
            None => {
                if matches!(read, Ok(Read::Missing)) {
                    return;
                }
                // The snapshots' files follow the repository's own: they are read again.
                let f = self.raw.len() as u32;
                self.sources.files.truncate(f as usize);
                self.snapshots.fresh = false;
                self.sources.files.push(SourceFile {
                    path: path.to_owned(),
                    text: String::new(),
                });
                self.raw.push(None);
                self.file_diags.push(Vec::new());
                self.stamps.push(0);
                self.meta.push(None);
                self.ids.insert(path.to_owned(), f);
                self.order.push(f);
                self.quick_ok = false;
                let sources = &self.sources;
                self.order
                    .sort_by(|a, b| sources.path(*a).cmp(sources.path(*b)));
                f
            }
        };
        let (text, raw, diags) = match read {
            Ok(Read::Bytes(bytes)) => parse_bytes(file, bytes),
            Ok(Read::Missing) => (String::new(), None, Vec::new()),
            Ok(Read::TooLarge(n)) => {
                let max = Limits::default().file_bytes;
                (
                    String::new(),
                    None,
                    vec![load::too_large(file, path, n, max)],
                )
            }
            Ok(Read::Refused(r)) => (String::new(), None, vec![load::refused(file, &r)]),
            Err(e) => {
                self.load_error = Some(format!("cannot read {path}: {e}"));
                (String::new(), None, Vec::new())
            }
        };
        let i = file as usize;
        self.sources.files[i].text = text;
        self.raw[i] = raw.map(Arc::new);
        self.file_diags[i] = diags;
        self.stamps[i] = self.new_stamp();
        self.meta[i] = meta;
        self.dirty = true;
        if !self.edited.contains(&file) {
            self.edited.push(file);
        }
    }

    /// The modification time and length of the file at `path` on disk (through the
    /// resolver), unless it is open in a buffer.
    fn disk_meta(&self, path: &str) -> Option<Meta> {
        if self.buffers.contains_key(path) {
            return None;
        }
        match self.tree.resolve(path, Hidden::Refuse).ok()? {
            Resolved::Found {
                real,
                node: crate::load::resolve::Node::File,
            } => {
                let m = std::fs::metadata(self.tree.absolute(&real)).ok()?;
                Some((m.modified().ok(), m.len()))
            }
            _ => None,
        }
    }

    /// Brings the files on disk up to date after a save or a change outside the editor:
    /// when goalpost.toml and the list of goal files are as they were, only the files whose
    /// modification time or length changed are read again; otherwise everything is.
    pub(crate) fn refresh(&mut self) {
        // Links on disk may have changed since the last read: resolved afresh, each once.
        self.tree.forget();
        if self.config_meta != self.disk_meta("goalpost.toml") {
            self.reload();
            return;
        }
        if self.has_upstreams() && self.snapshots.disk != self.snapshot_disk() {
            self.snapshots.fresh = false;
            self.dirty = true;
        }
        let roots = match &self.config {
            Ok(c) => c.roots.clone(),
            Err(_) => {
                self.reload();
                return;
            }
        };
        let layer = Layer {
            tree: &self.tree,
            buffers: &self.buffers,
        };
        let Ok(entries) = layer.walk(&roots, Limits::default().files) else {
            self.reload();
            return;
        };
        let mut listed: Vec<&str> = entries
            .iter()
            .map(|e| e.path())
            .filter(|p| !is_snapshot_path(p))
            .collect();
        listed.sort_unstable();
        listed.dedup();
        let known: Vec<&str> = self.goal_paths().collect();
        if listed != known {
            self.reload();
            return;
        }
        let changed: Vec<String> = known
            .iter()
            .filter(|p| !self.buffers.contains_key(**p))
            .filter(|p| {
                let f = self.ids[**p] as usize;
                self.meta[f] != self.disk_meta(p)
            })
            .map(|p| (*p).to_owned())
            .collect();
        for path in changed {
            self.reload_file(&path);
        }
    }

    /// Reads everything again: goalpost.toml, the walk of the roots, every goal file (open
    /// buffers over the disk). Parses on all cores, like the CLI.
    pub(crate) fn reload(&mut self) {
        self.tree.forget();
        let layer = Layer {
            tree: &self.tree,
            buffers: &self.buffers,
        };
        self.load_error = None;
        // Times and lengths are taken before reading: a file changed while it is read is
        // seen by the next refresh.
        let config_meta = self.disk_meta("goalpost.toml");
        let roots = match &self.config {
            Ok(c) => c.roots.clone(),
            Err(_) => Config::default().roots,
        };
        let before: HashMap<String, Meta> = layer
            .walk(&roots, Limits::default().files)
            .unwrap_or_default()
            .iter()
            .filter_map(|e| Some((e.path().to_owned(), self.disk_meta(e.path())?)))
            .collect();
        let (sources, files, diags, config) = match load::load_with(&layer, Limits::default()) {
            Ok(l) => (l.sources, l.files, l.diags, Ok(l.config)),
            Err(LoadError::Config { sources, diags }) => {
                (sources, Vec::new(), Vec::new(), Err(diags))
            }
            Err(e @ LoadError::Io { .. }) => {
                self.load_error = Some(e.to_string());
                (
                    Sources::default(),
                    Vec::new(),
                    Vec::new(),
                    Ok(Config::default()),
                )
            }
        };
        let n = sources.files.len();
        self.ids = sources
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.path.clone(), i as u32))
            .collect();
        self.raw = std::iter::repeat_with(|| None).take(n).collect();
        // File ids are handed out again: no copy made before matches them.
        if let Some(rx) = self.copying.take() {
            let _ = rx.recv();
        }
        self.spare.clear();
        self.file_diags = vec![Vec::new(); n];
        self.stamps = (0..n).map(|_| self.new_stamp()).collect();
        self.meta = sources
            .files
            .iter()
            .map(|f| before.get(&f.path).copied())
            .collect();
        self.config_meta = config_meta;
        for (f, raw) in files {
            self.raw[f as usize] = Some(Arc::new(raw));
        }
        for d in diags {
            if let Some(v) = self.file_diags.get_mut(d.span.file as usize) {
                v.push(d);
            }
        }
        let mut order: Vec<u32> = (0..n as u32)
            .filter(|&f| sources.path(f) != "goalpost.toml")
            .collect();
        order.sort_by(|a, b| sources.path(*a).cmp(sources.path(*b)));
        self.order = order;
        self.sources = sources;
        self.config = config;
        self.snapshots.fresh = false;
        self.dirty = true;
        self.quick_ok = false;
        self.edited.clear();
    }

    /// Reads goalpost.lock and the upstream snapshots through the buffers over the work tree
    /// and gathers them, as `check` does (SPEC 13); their files are put after the
    /// repository's own in `sources`.
    fn read_snapshots(&mut self) {
        self.sources.files.truncate(self.raw.len());
        self.snapshots = Snapshots {
            fresh: true,
            ..Snapshots::default()
        };
        if !self.has_upstreams() {
            return;
        }
        // Taken before reading: a change after it is seen by the next refresh.
        let disk = self.snapshot_disk();
        self.tree.forget();
        let Ok(config) = &mut self.config else {
            return;
        };
        let config = std::mem::take(config);
        let layer = Layer {
            tree: &self.tree,
            buffers: &self.buffers,
        };
        let mut loaded = load::Loaded {
            config,
            sources: std::mem::take(&mut self.sources),
            ..load::Loaded::default()
        };
        let snapshots = load::upstream::read(&layer, &mut loaded);
        let mut gathered = crate::validate::upstream::gather(
            snapshots,
            &mut loaded.sources,
            loaded.config.name.as_deref(),
        );
        loaded.diags.append(&mut gathered.diags);
        self.sources = loaded.sources;
        self.config = Ok(loaded.config);
        self.snapshots.gathered = Some(gathered);
        self.snapshots.diags = loaded.diags;
        self.snapshots.disk = disk;
    }

    /// goalpost.lock and every file under `upstreams/NAME/` of each declared upstream, with
    /// their times and lengths on disk (`None` when open in a buffer).
    fn snapshot_disk(&self) -> Vec<(String, Option<Meta>)> {
        let Ok(config) = &self.config else {
            return Vec::new();
        };
        let mut out = vec![(LOCK.to_owned(), self.disk_meta(LOCK))];
        for name in config.upstreams.keys() {
            let dir = format!("{}/{name}", crate::config::upstreams::DIR);
            let toml = format!("{dir}/goalpost.toml");
            out.push((toml.clone(), self.disk_meta(&toml)));
            let entries = self
                .tree
                .walk(&[dir], Limits::default().files)
                .unwrap_or_default();
            for e in entries {
                let meta = self.disk_meta(e.path());
                out.push((e.path().to_owned(), meta));
            }
        }
        out
    }

    /// The upstream snapshots' goals as last read (whether or not this repository's goals
    /// validate now).
    pub(crate) fn upstream(&self) -> Option<&crate::model::Upstream> {
        self.snapshots.gathered.as_ref().map(|g| &g.upstream)
    }

    /// The text of a file of a snapshot (`upstreams/NAME/...`): its buffer, else the disk.
    pub(crate) fn snapshot_text(&self, path: &str) -> Option<String> {
        if !is_snapshot_path(path) {
            return None;
        }
        if let Some(b) = self.buffers.get(path) {
            return Some(b.text.clone());
        }
        match self.tree.read(path, Limits::default().file_bytes) {
            Ok(Read::Bytes(bytes)) => String::from_utf8(bytes).ok(),
            _ => None,
        }
    }

    pub(crate) fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Validation, scores and lints over the cached files, as `goalpost check` runs them
    /// (lints only when there is no error). Does nothing when nothing changed.
    pub(crate) fn analyse(&mut self) {
        if !self.dirty {
            return;
        }
        self.dirty = false;
        self.edited.clear();
        self.quick_ok = false;
        if let Err(diags) = &self.config {
            self.analysis = Analysis {
                errors: diags.len(),
                diags: diags.clone(),
            };
            return;
        }
        let t0 = std::time::Instant::now();
        if !self.snapshots.fresh {
            self.read_snapshots();
        }
        let Ok(config) = &self.config else {
            return;
        };
        // Copies still being made are nearly done: waiting costs less than copying again.
        if let Some(rx) = self.copying.take()
            && let Ok(batch) = rx.recv()
        {
            self.spare
                .extend(batch.into_iter().map(|(f, stamp, copy)| (f, (stamp, copy))));
        }
        let mut files = Vec::with_capacity(self.order.len());
        for &f in &self.order {
            if let Some(raw) = &self.raw[f as usize] {
                let copy = match self.spare.remove(&f) {
                    Some((stamp, copy)) if stamp == self.stamps[f as usize] => copy,
                    _ => RawFile::clone(raw),
                };
                files.push((f, copy));
            }
        }
        let unread = self.unread();
        let t1 = std::time::Instant::now();
        let ups = self
            .snapshots
            .gathered
            .as_ref()
            .map(|u| Box::new(u.clone()));
        let v =
            crate::validate::validate_in(files, config, unread, crate::validate::Refs::Local(ups));
        let t2 = std::time::Instant::now();
        let mut diags: Vec<Diagnostic> = self.file_diags.iter().flatten().cloned().collect();
        diags.extend(self.snapshots.diags.iter().cloned());
        diags.extend(v.diags);
        let goals = Arc::new(v.goals);
        // `future-checkin` is a warning: the errors are known before it runs.
        let errors = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        // As `check` judges them, as of today; the scores are kept for hovers and lenses.
        let found = crate::check::findings(&goals, &diags, config, self.today, self.today);
        diags.extend(found.diags);
        if let Some(card) = found.card {
            let old = self.valid.replace(Arc::new(Valid {
                goals: goals.clone(),
                card,
            }));
            self.replaced.push(Box::new(old));
        }
        // Kept by `valid` when they validated; else freed with the rest.
        self.replaced.push(Box::new(goals));
        // Sorted per file when published ([`super::diagnostics`]): the order of a file's
        // diagnostics is `check`'s, and nothing reads them across files in order.
        let ms = |a: std::time::Instant, b: std::time::Instant| (b - a).as_millis();
        let t3 = std::time::Instant::now();
        self.timings = format!(
            "copy {} ms, validate {} ms, score and lints {} ms",
            ms(t0, t1),
            ms(t1, t2),
            ms(t2, t3)
        );
        let old = std::mem::replace(&mut self.analysis, Analysis { diags, errors });
        self.replaced.push(Box::new(old));
        self.full_teams = self
            .raw
            .iter()
            .map(|raw| quick::team_of(raw.as_ref()?))
            .collect();
        self.quick_ok = true;
    }

    /// What the goal files that did not parse would have defined ([`crate::validate::Unread`]):
    /// refs into them are not blamed on the files that make them.
    fn unread(&self) -> crate::validate::Unread {
        let mut unread = crate::validate::Unread::default();
        for &f in &self.order {
            let path = self.sources.path(f);
            if self.raw[f as usize].is_none() && (path.ends_with(".yaml") || path.ends_with(".yml"))
            {
                unread.scan(self.sources.text(f));
            }
        }
        unread
    }

    /// Frees what the last analysis replaced: at 3,000 teams, freeing the goals took a quarter
    /// of a second, which the server now spends after publishing, not before.
    pub(crate) fn free_replaced(&mut self) {
        self.replaced.clear();
    }

    /// Starts copying, on another thread, the raw files the next validation will consume
    /// (those without a current copy), so that an edit is validated without copying the
    /// whole project first. Called when the server is idle.
    pub(crate) fn prepare(&mut self) {
        if self.copying.is_some() || self.config.is_err() {
            return;
        }
        let todo: Vec<(u32, u64, Arc<RawFile>)> = self
            .order
            .iter()
            .filter_map(|&f| {
                let raw = self.raw[f as usize].as_ref()?;
                let stamp = self.stamps[f as usize];
                let current = self.spare.get(&f).is_some_and(|(s, _)| *s == stamp);
                (!current).then(|| (f, stamp, raw.clone()))
            })
            .collect();
        if todo.is_empty() {
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("goalpost-copy".to_owned())
            .spawn(move || {
                let copies = todo
                    .into_iter()
                    .map(|(f, stamp, raw)| (f, stamp, RawFile::clone(&raw)))
                    .collect();
                let _ = tx.send(copies);
            });
        if spawned.is_ok() {
            self.copying = Some(rx);
        }
    }

    /// The paths of the files that currently have diagnostics, with them.
    pub(crate) fn diagnostics_by_path(&self) -> HashMap<String, Vec<&Diagnostic>> {
        let mut by_file: HashMap<u32, Vec<&Diagnostic>> = HashMap::new();
        for d in &self.analysis.diags {
            if !d.span.is_nowhere() {
                by_file.entry(d.span.file).or_default().push(d);
            }
        }
        by_file
            .into_iter()
            .map(|(f, d)| (self.config_aware_path(f), d))
            .collect()
    }

    /// The path of `Span::file`; the config's own diagnostics index a one-file `Sources`.
    fn config_aware_path(&self, file: u32) -> String {
        if self.config.is_err() {
            return "goalpost.toml".to_owned();
        }
        self.sources.path(file).to_owned()
    }

    /// The text of a file a diagnostic points into (the buffer when open).
    pub(crate) fn text_of_file(&self, file: u32) -> &str {
        let path = self.config_aware_path(file);
        match self.buffers.get(&path) {
            Some(b) => &b.text,
            None if self.config.is_err() => self.sources.text(0),
            None => self.sources.text(file),
        }
    }

    /// The URI to publish a path's diagnostics under: the one the client opened it by,
    /// else the file URI below the root.
    pub(crate) fn uri_of(&self, path: &str) -> String {
        match self.buffers.get(path) {
            Some(b) => b.uri.clone(),
            None => super::uri::from_path(&self.root.join(path)),
        }
    }
}

/// Open buffers over the work tree: what `load` reads in the editor. A buffer counts only
/// where the resolver would let goalpost read that path (a refused link stays refused),
/// and a new, unsaved goal file is listed where the walk would have found it.
pub(crate) struct Layer<'a> {
    pub tree: &'a WorkTree,
    pub buffers: &'a HashMap<String, Buffer>,
}

impl Source for Layer<'_> {
    fn walk(&self, roots: &[String], max: usize) -> io::Result<Vec<Entry>> {
        let mut entries = self.tree.walk(roots, max)?;
        let listed: HashSet<String> = entries.iter().map(|e| e.path().to_owned()).collect();
        let mut added = false;
        for path in self.buffers.keys() {
            if !listed.contains(path)
                && roots.iter().any(|r| crate::checkin::is_walked(path, r))
                && matches!(
                    self.tree.resolve(path, Hidden::Refuse)?,
                    Resolved::Missing { .. }
                )
            {
                entries.push(Entry::File(path.clone()));
                added = true;
            }
        }
        if added {
            entries.sort_by(|a, b| a.path().cmp(b.path()));
        }
        Ok(entries)
    }

    fn read(&self, path: &str, max: u64) -> io::Result<Read> {
        let Some(b) = self.buffers.get(path) else {
            return self.tree.read(path, max);
        };
        match self.tree.resolve(path, Hidden::Refuse)? {
            Resolved::Refused(r) => return Ok(Read::Refused(r)),
            // A directory or a device under that name: the walk would not list it.
            Resolved::Found {
                node: crate::load::resolve::Node::Dir | crate::load::resolve::Node::Other,
                ..
            } => return Ok(Read::Missing),
            _ => {}
        }
        Ok(if b.text.len() as u64 > max {
            Read::TooLarge(b.text.len() as u64)
        } else {
            Read::Bytes(b.text.as_bytes().to_vec())
        })
    }

    fn describe(&self) -> String {
        "the editor's buffers over the work tree".to_owned()
    }
}

/// Whether `path` is in a snapshot of an upstream (`upstreams/...`, SPEC 13).
fn is_snapshot_path(path: &str) -> bool {
    path.strip_prefix(crate::config::upstreams::DIR)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Decodes and parses one goal file's bytes as `load` does (its text, raw form and
/// problems).
fn parse_bytes(file: u32, bytes: Vec<u8>) -> (String, Option<RawFile>, Vec<Diagnostic>) {
    match load::decode(&bytes, file) {
        Ok(text) => {
            let (raw, diags) = load::parse_and_lower(file, &text);
            (text, raw, diags)
        }
        Err(d) => (String::from_utf8_lossy(&bytes).into_owned(), None, vec![d]),
    }
}
