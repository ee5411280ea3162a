//! Loading: find the project, read goalpost.toml, discover goal files under the configured
//! roots, and parse each into a [`raw::RawFile`] with spans, its inline check-ins lowered
//! ([`lower`]). Files are parsed in parallel and merged in path order, so output never
//! depends on thread timing. Nothing here judges meaning across files; that is `validate`'s
//! job.

pub(crate) mod convert;
pub(crate) mod fastyaml;
pub(crate) mod lower;
mod narrow;
pub(crate) use narrow::of_other_team;
pub(crate) mod raw;
mod renumber;
pub(crate) mod resolve;
pub(crate) mod shape;
pub(crate) mod source;
pub(crate) mod upstream;
pub(crate) mod yaml;

use crate::config::{self, Config};
use crate::diag::{Code, Diagnostic, Span};
use raw::RawFile;
use source::{Entry, Read, Refused, Source, TooManyEntries};
use std::path::{Path, PathBuf};

/// Largest goal file read (bytes). A check-in log of years of weekly check-ins for hundreds
/// of items is a few megabytes.
pub(crate) const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Most goal files read in one run.
pub(crate) const MAX_FILES: usize = 100_000;
/// Most bytes read in one run.
pub(crate) const MAX_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;

/// The resource bounds of one load (the `MAX_*` constants unless a test shrinks them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    pub file_bytes: u64,
    pub files: usize,
    pub total_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: MAX_FILE_BYTES,
            files: MAX_FILES,
            total_bytes: MAX_TOTAL_BYTES,
        }
    }
}

/// One file goalpost read, kept for rendering diagnostics and for git blame.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Repo-relative, forward slashes.
    pub path: String,
    pub text: String,
}

/// Everything read in one run, indexed by `Span::file`.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
}

impl Sources {
    pub fn path(&self, file: u32) -> &str {
        self.files
            .get(file as usize)
            .map_or("<unknown>", |f| f.path.as_str())
    }
    pub fn text(&self, file: u32) -> &str {
        self.files
            .get(file as usize)
            .map_or("", |f| f.text.as_str())
    }
}

/// The result of loading: raw files plus every problem found while reading them.
#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Config,
    pub sources: Sources,
    /// Parsed files with their index into `sources`.
    pub files: Vec<(u32, RawFile)>,
    pub diags: Vec<Diagnostic>,
}

/// Why loading could not run at all (as opposed to finding problems in files).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// goalpost.toml is invalid: usage error (exit 2), with located diagnostics.
    #[error("goalpost.toml is invalid")]
    Config {
        sources: Sources,
        diags: Vec<Diagnostic>,
    },
    /// A file could not be read (exit 3).
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Finds the project root like git does: the nearest ancestor holding goalpost.toml, else
/// the git work tree root, else `start` itself. A goalpost.toml that is a symlink marks the
/// root too, without being followed: where it leads is checked when it is read.
pub(crate) fn find_root(start: &Path) -> PathBuf {
    for dir in start.ancestors() {
        if std::fs::symlink_metadata(dir.join("goalpost.toml")).is_ok_and(|m| !m.is_dir()) {
            return dir.to_owned();
        }
    }
    for dir in start.ancestors() {
        if dir.join(".git").exists() {
            return dir.to_owned();
        }
    }
    start.to_owned()
}

/// Reads goalpost.toml from `source` (defaults when missing). Config problems are usage
/// errors, returned as [`LoadError::Config`].
pub(crate) fn load_config(source: &dyn Source, sources: &mut Sources) -> Result<Config, LoadError> {
    let read = source
        .read("goalpost.toml", 1024 * 1024)
        .map_err(|e| LoadError::Io {
            path: "goalpost.toml".into(),
            source: e,
        })?;
    let bytes = match read {
        Read::Missing => return Ok(Config::default()),
        Read::Refused(r) => {
            // Nothing of the file is kept: its text must never be quoted.
            let file = push_source(sources, "goalpost.toml".into(), String::new());
            return Err(LoadError::Config {
                sources: sources.clone(),
                diags: vec![refused(file, &r)],
            });
        }
        Read::TooLarge(n) => {
            sources.files.push(SourceFile {
                path: "goalpost.toml".into(),
                text: String::new(),
            });
            let d = Diagnostic::new(
                Code::InvalidConfig,
                Span::default(),
                format!("goalpost.toml is {n} bytes; the limit is 1 MiB"),
            );
            return Err(LoadError::Config {
                sources: sources.clone(),
                diags: vec![d],
            });
        }
        Read::Bytes(b) => b,
    };
    let file = sources.files.len() as u32;
    let text = match decode(&bytes, file) {
        Ok(t) => t,
        Err(mut d) => {
            d.code = Code::InvalidConfig;
            sources.files.push(SourceFile {
                path: "goalpost.toml".into(),
                text: String::from_utf8_lossy(&bytes).into_owned(),
            });
            return Err(LoadError::Config {
                sources: sources.clone(),
                diags: vec![d],
            });
        }
    };
    sources.files.push(SourceFile {
        path: "goalpost.toml".into(),
        text,
    });
    config::parse(sources.text(file), file).map_err(|diags| LoadError::Config {
        sources: sources.clone(),
        diags,
    })
}

/// Loads the configuration and every goal file from `source`.
pub fn load(source: &dyn Source) -> Result<Loaded, LoadError> {
    load_with(source, Limits::default())
}

/// [`load`] with explicit resource bounds.
pub(crate) fn load_with(source: &dyn Source, limits: Limits) -> Result<Loaded, LoadError> {
    load_cached(source, limits, None)
}

/// Parses one load hands to the next, so that two revisions that share almost every file
/// (`diff`, `check --base`) parse each shared file once. The first load records a copy of
/// each file it parsed; the second takes the parse of every file whose index and text are
/// the same instead of parsing it. Texts are compared by length and a keyed hash whose key is
/// drawn at random for each cache, so no file can be written to collide with another.
#[derive(Default)]
pub(crate) struct ParseCache {
    hasher: std::collections::hash_map::RandomState,
    files: std::collections::HashMap<(u32, usize, u64), Parsed>,
}

impl ParseCache {
    fn key(&self, file: u32, text: &str) -> (u32, usize, u64) {
        use std::hash::BuildHasher;
        (file, text.len(), self.hasher.hash_one(text))
    }
}

/// [`load`] that records its parses in `cache`, or reuses the parses recorded there by an
/// earlier load (see [`ParseCache`]).
pub(crate) fn load_sharing(
    source: &dyn Source,
    cache: &mut ParseCache,
) -> Result<Loaded, LoadError> {
    load_cached(source, Limits::default(), Some(cache))
}

/// The files one load read and parsed, by path, for loading the same tree again after this
/// run added files to it (`rollover` validates the repository with its new files): the
/// second load walks the roots again, so it finds what the loader finds, but takes each file
/// the first load parsed as that load read it, and reads and parses only the others. The
/// parses are moved to the files' new indexes ([`renumber`]). Files are taken as this run
/// read them, as the command's plan was made from them; what another program changes
/// meanwhile is not this run's to judge.
#[derive(Default)]
pub(crate) struct Kept {
    files: std::collections::HashMap<String, KeptFile>,
}

/// One file of a [`Kept`] load.
struct KeptFile {
    /// Its index in that load.
    index: u32,
    /// How many bytes were read (its text may be shorter by a byte-order mark).
    bytes: u64,
    /// Its text, once given back by [`Kept::texts`].
    text: Option<String>,
    parsed: Parsed,
}

impl Kept {
    /// Leaves the file at `path` out: the next load reads and parses it.
    pub(crate) fn forget(&mut self, path: &str) {
        self.files.remove(path);
    }

    /// How many top-level check-ins the kept parse of `path` holds (`Some(None)`: it did not
    /// parse), when its text, given back by [`Kept::texts`], is `text`; `None` otherwise.
    pub(crate) fn top_level_checkins(&self, path: &str, text: &str) -> Option<Option<usize>> {
        let f = self.files.get(path)?;
        (f.text.as_deref() == Some(text)).then(|| {
            f.parsed
                .0
                .as_ref()
                .map(|raw| raw.checkins.as_ref().map_or(0, Vec::len))
        })
    }

    /// Keeps `parsed`, a parse of `text` as file 0 made by [`parse_and_lower`], as the file at
    /// `path`: the next load takes it when it reads that path, instead of parsing it again.
    /// A text that a load would not take as it is (a byte-order mark, bytes it refuses) is
    /// left out, and that load reads and parses it.
    pub(crate) fn put(&mut self, path: &str, text: &str, parsed: Parsed) {
        // What `decode` would make of the text's bytes is the text itself.
        if text.starts_with('\u{feff}') || decode_check(text.as_bytes(), 0).is_err() {
            self.forget(path);
            return;
        }
        let file = KeptFile {
            index: 0,
            bytes: text.len() as u64,
            text: Some(text.to_owned()),
            parsed,
        };
        self.files.insert(path.to_owned(), file);
    }

    /// Gives back the texts of the files kept, from the sources of the load that kept them
    /// (so that they are not held twice meanwhile); the texts of `sources` are moved out.
    pub(crate) fn texts(&mut self, sources: &mut Sources) {
        for f in &mut sources.files {
            if let Some(kept) = self.files.get_mut(&f.path) {
                kept.text = Some(std::mem::take(&mut f.text));
            }
        }
    }
}

/// [`load`] that keeps a copy of each parse in `kept`, for [`load_kept`].
pub(crate) fn load_keeping(source: &dyn Source, kept: &mut Kept) -> Result<Loaded, LoadError> {
    load_inner(
        source,
        Limits::default(),
        Cache::Keep(kept),
        Walk::Config,
        crate::par::cores(),
    )
}

/// [`load`] of a tree loaded before with [`load_keeping`], taking the files kept in `kept`.
pub(crate) fn load_kept(source: &dyn Source, kept: Kept) -> Result<Loaded, LoadError> {
    load_inner(
        source,
        Limits::default(),
        Cache::Kept(kept),
        Walk::Config,
        crate::par::cores(),
    )
}

/// How a load shares its parses with another one.
enum Cache<'a> {
    None,
    Shared(&'a mut ParseCache),
    Keep(&'a mut Kept),
    Kept(Kept),
}

/// [`load_with`] walking `roots` instead of the roots goalpost.toml names (an upstream
/// snapshot, whose goalpost.toml is the upstream's).
pub(crate) fn load_roots(
    source: &dyn Source,
    limits: Limits,
    roots: &[String],
) -> Result<Loaded, LoadError> {
    load_inner(
        source,
        limits,
        Cache::None,
        Walk::Roots(roots),
        crate::par::cores(),
    )
}

fn load_cached(
    source: &dyn Source,
    limits: Limits,
    cache: Option<&mut ParseCache>,
) -> Result<Loaded, LoadError> {
    let cache = match cache {
        Some(cache) => Cache::Shared(cache),
        None => Cache::None,
    };
    load_inner(source, limits, cache, Walk::Config, crate::par::cores())
}

/// Which paths a load walks.
#[derive(Clone, Copy)]
enum Walk<'a> {
    /// The roots goalpost.toml names.
    Config,
    /// These roots instead.
    Roots(&'a [String]),
    /// Some teams' folders under each root of goalpost.toml, and the check-in log
    /// ([`load_teams`]).
    Teams(&'a [String]),
}

/// The paths [`Walk::Teams`] walks: `<root>/<team>` for each root and team, and the
/// check-in log when a root walks it.
fn team_paths(config: &crate::config::Config, teams: &[String]) -> Vec<String> {
    let mut paths: Vec<String> = Vec::new();
    for r in &config.roots {
        let root = resolve::normalize(r);
        for team in teams {
            paths.push(match root.as_str() {
                "" => team.clone(),
                root => format!("{root}/{team}"),
            });
        }
    }
    if config
        .roots
        .iter()
        .any(|r| source::is_walked(&config.checkin_log, r))
    {
        paths.push(config.checkin_log.clone());
    }
    paths
}

/// [`load`] of goalpost.toml, the files in each team's folder under each root
/// (`goals/growth/`) and the check-in log: what defines or checks in the teams' items when
/// their files are kept in their folders (`show`, `log`). `teams` are slugs.
pub(crate) fn load_teams(source: &dyn Source, teams: &[String]) -> Result<Loaded, LoadError> {
    load_inner(
        source,
        Limits::default(),
        Cache::None,
        Walk::Teams(teams),
        crate::par::cores(),
    )
}

fn load_inner(
    source: &dyn Source,
    limits: Limits,
    mut cache: Cache,
    walk: Walk,
    threads: usize,
) -> Result<Loaded, LoadError> {
    let Limits {
        file_bytes: max_file_bytes,
        files: max_files,
        total_bytes: max_total_bytes,
    } = limits;
    let mut loaded = Loaded::default();
    // A directory with more entries than the file cap (a git tree) ends the load with a
    // located `resource-limit`, wherever it is met.
    let too_many = |loaded: &mut Loaded, e: LoadError| {
        let t = match &e {
            LoadError::Io { source, .. } => TooManyEntries::inside(source),
            LoadError::Config { .. } => None,
        };
        let Some(t) = t else { return Err(e) };
        let file = push_source(&mut loaded.sources, t.dir.clone(), String::new());
        loaded.diags.push(
            Diagnostic::new(Code::ResourceLimit, Span::file_start(file), t.to_string())
                .help("keep goal files in directories of reasonable size"),
        );
        Ok(())
    };
    loaded.config = match load_config(source, &mut loaded.sources) {
        Ok(config) => config,
        Err(e) => {
            too_many(&mut loaded, e)?;
            return Ok(loaded);
        }
    };
    // One walk over every root: roots are deduplicated, each real file listed once, and the
    // walk stops after `max_files + 1` entries.
    let team_roots: Vec<String>;
    // A load of some teams narrows the check-in log to them before parsing it.
    let mut narrow_to: Option<&[String]> = None;
    let roots: &[String] = match walk {
        Walk::Config => &loaded.config.roots,
        Walk::Roots(roots) => roots,
        Walk::Teams(teams) => {
            narrow_to = Some(teams);
            team_roots = team_paths(&loaded.config, teams);
            &team_roots
        }
    };
    let entries = match source.walk(roots, max_files) {
        Ok(entries) => entries,
        Err(e) => {
            let e = LoadError::Io {
                path: roots.join(", "),
                source: e,
            };
            too_many(&mut loaded, e)?;
            return Ok(loaded);
        }
    };
    let mut paths: Vec<String> = Vec::new();
    // `upstreams/` holds other repositories' goals (SPEC 13), never this one's own.
    let upstreams = format!("{}/", crate::config::upstreams::DIR);
    let entries = entries
        .into_iter()
        .filter(|e| !e.path().starts_with(&upstreams));
    for (i, entry) in entries.enumerate() {
        if i == max_files {
            let file = push_source(&mut loaded.sources, entry.path().to_owned(), String::new());
            loaded.diags.push(
                Diagnostic::new(
                    Code::ResourceLimit,
                    Span::file_start(file),
                    format!(
                        "more than {max_files} goal files found; goalpost reads at most {max_files}"
                    ),
                )
                .help("narrow `roots` in goalpost.toml to the folders that hold goals"),
            );
            break;
        }
        match entry {
            Entry::File(p) => paths.push(p),
            Entry::Refused { path, refused: r } => {
                let file = push_source(&mut loaded.sources, path, String::new());
                loaded.diags.push(refused(file, &r));
            }
        }
    }
    paths.sort();
    paths.dedup();

    // The workers read, decode and parse the files ([`read_all`]); here their results are
    // taken in path order exactly as one thread reading them would: the total-size bound,
    // the first read error and the file numbers come out the same.
    let base = loaded.sources.files.len() as u32;
    // Parsed by the workers unless another load shares the parses; a load that takes
    // most files from a kept one reads the rest here, one by one.
    let log = resolve::normalize(&loaded.config.checkin_log);
    let parse = match (matches!(cache, Cache::None | Cache::Keep(_)), narrow_to) {
        (false, _) => Parse::No,
        (true, None) => Parse::Whole,
        (true, Some(teams)) => Parse::Narrowed { log: &log, teams },
    };
    let threads = if matches!(cache, Cache::Kept(_)) {
        1
    } else {
        threads
    };
    let mut got = read_all(source, &paths, base, limits, parse, threads).into_iter();
    let mut texts: Vec<(u32, String)> = Vec::with_capacity(paths.len());
    let mut parsed: Vec<Parsed> = Vec::new();
    let mut total: u64 = 0;
    // How many bytes each of `texts` was read from (for a kept load).
    let mut sizes: Vec<u64> = Vec::new();
    // Files taken from a kept load: (index now, index there, parse).
    let mut taken: Vec<(u32, u32, Parsed)> = Vec::new();
    for path in paths {
        let file = loaded.sources.files.len() as u32;
        let read_by_worker = got.next().flatten();
        let kept = match &mut cache {
            Cache::Kept(kept) => kept.files.remove(&path),
            _ => None,
        };
        if let Some(KeptFile {
            index,
            bytes,
            text: Some(text),
            parsed,
        }) = kept
        {
            // As read before: it counts towards the bound on the total again, and is not
            // decoded again.
            total += bytes;
            if total > max_total_bytes {
                push_source(&mut loaded.sources, path.clone(), String::new());
                loaded.diags.push(too_much(file, &path, max_total_bytes));
                break;
            }
            push_source(&mut loaded.sources, path, String::new());
            taken.push((file, index, parsed));
            texts.push((file, text));
            sizes.push(bytes);
            continue;
        }
        let got = match read_by_worker {
            Some(g) => g,
            // Not taken by a worker (none reads for this load, one stopped early, or one
            // panicked): read it here.
            None => Got::of(source, &path, file, max_file_bytes, parse),
        };
        let read = match got {
            Got::Other(read) => read,
            Got::Bytes { len, decoded } => {
                total += len;
                if total > max_total_bytes {
                    push_source(&mut loaded.sources, path.clone(), String::new());
                    loaded.diags.push(too_much(file, &path, max_total_bytes));
                    break;
                }
                // Numbered ahead of a file that vanished in between: decoded again here.
                let decoded = if decoded.file == file {
                    *decoded
                } else {
                    decoded.renumber(file)
                };
                match decoded.text {
                    Ok(text) => {
                        push_source(&mut loaded.sources, path, String::new());
                        parsed.extend(decoded.parsed);
                        texts.push((file, text));
                        sizes.push(len);
                    }
                    Err((d, bytes)) => {
                        push_source(
                            &mut loaded.sources,
                            path,
                            String::from_utf8_lossy(&bytes).into_owned(),
                        );
                        loaded.diags.push(*d);
                    }
                }
                continue;
            }
        };
        let read = match read {
            Ok(read) => read,
            Err(e) => {
                let e = LoadError::Io {
                    path: path.clone(),
                    source: e,
                };
                too_many(&mut loaded, e)?;
                return Ok(loaded);
            }
        };
        match read {
            Read::Missing => continue,
            Read::Refused(r) => {
                let file = push_source(&mut loaded.sources, path, String::new());
                loaded.diags.push(refused(file, &r));
            }
            Read::TooLarge(n) => {
                let file = push_source(&mut loaded.sources, path.clone(), String::new());
                loaded.diags.push(too_large(file, &path, n, max_file_bytes));
            }
            // Taken apart by `Got::of`.
            Read::Bytes(_) => {}
        }
    }

    let results = match cache {
        Cache::None => parsed,
        Cache::Shared(cache) => parse_cached(&texts, cache),
        Cache::Keep(kept) => {
            let copies = copies(&parsed, threads);
            for (((f, _), p), &bytes) in texts.iter().zip(copies).zip(&sizes) {
                let path = loaded.sources.files[*f as usize].path.clone();
                let file = KeptFile {
                    index: *f,
                    bytes,
                    text: None,
                    parsed: p,
                };
                kept.files.insert(path, file);
            }
            parsed
        }
        Cache::Kept(_) => take_kept(&texts, taken),
    };
    for ((file, text), (raw, diags)) in texts.into_iter().zip(results) {
        loaded.sources.files[file as usize].text = text;
        loaded.diags.extend(diags);
        if let Some(raw) = raw {
            loaded.files.push((file, raw));
        }
    }
    Ok(loaded)
}

/// The `resource-limit` diagnostic of a goal file of `n` bytes, over the `max` allowed.
pub(crate) fn too_large(file: u32, path: &str, n: u64, max: u64) -> Diagnostic {
    Diagnostic::new(
        Code::ResourceLimit,
        Span::file_start(file),
        format!("`{path}` is {n} bytes; goal files may be at most {max} bytes"),
    )
    .help("split the file (for example one check-in log per team or per year)")
}

/// The `resource-limit` diagnostic of goal file `path`, read when the files read add up to
/// more than `max` bytes.
fn too_much(file: u32, path: &str, max: u64) -> Diagnostic {
    Diagnostic::new(
        Code::ResourceLimit,
        Span::file_start(file),
        format!(
            "goal files add up to more than {max} bytes; `{path}` and later files were not read"
        ),
    )
}

/// The `symlink-escape` diagnostic (`resource-limit` past a bound of the run) of a path
/// that was not followed, at line 1 of a file whose text is never kept (so no line of what
/// the link points at can be quoted).
pub(crate) fn refused(file: u32, r: &Refused) -> Diagnostic {
    // A bound of the run is not the link's fault: a resource limit, like the others.
    let code = match r.why {
        resolve::Why::Limit | resolve::Why::TooMany => Code::ResourceLimit,
        resolve::Why::Outside
        | resolve::Why::Hidden
        | resolve::Why::Loop
        | resolve::Why::Dangling => Code::SymlinkEscape,
    };
    Diagnostic::new(code, Span::file_start(file), r.describe()).help(r.help())
}

fn push_source(sources: &mut Sources, path: String, text: String) -> u32 {
    sources.files.push(SourceFile { path, text });
    (sources.files.len() - 1) as u32
}

pub(crate) type Parsed = (Option<RawFile>, Vec<Diagnostic>);

/// A copy of each of `parsed`, in order, made on `threads` threads: at thousands of files,
/// copying every parse is a quarter of a second on one core.
fn copies(parsed: &[Parsed], threads: usize) -> Vec<Parsed> {
    crate::par::each(parsed.iter().collect(), threads, 64, Parsed::clone)
}

/// Parses one file's text into a raw file and its diagnostics.
pub fn parse_file(file: u32, text: &str) -> Parsed {
    match yaml::parse(text, file) {
        Err(d) => (None, vec![d]),
        Ok(root) => {
            let mut c = convert::Converter::new(file, text);
            let raw = c.file(&root);
            (raw, c.diags)
        }
    }
}

/// [`parse_all`] through a [`ParseCache`]: an empty cache records a copy of every parse, a
/// filled one gives up the parses of the same texts (and keeps nothing).
fn parse_cached(texts: &[(u32, String)], cache: &mut ParseCache) -> Vec<Parsed> {
    if cache.files.is_empty() {
        let results = parse_all(texts);
        for ((f, t), p) in texts.iter().zip(copies(&results, crate::par::cores())) {
            let key = cache.key(*f, t);
            cache.files.insert(key, p);
        }
        return results;
    }
    let found: Vec<Option<Parsed>> = texts
        .iter()
        .map(|(f, t)| cache.files.remove(&cache.key(*f, t)))
        .collect();
    cache.files.clear();
    parse_missing(texts, found)
}

/// The parses of `texts`: those `taken` from a kept load (new index, old index, parse)
/// moved to their new indexes, the others parsed now.
fn take_kept(texts: &[(u32, String)], taken: Vec<(u32, u32, Parsed)>) -> Vec<Parsed> {
    let mut taken = taken.into_iter().peekable();
    let paired: Vec<Option<(u32, u32, Parsed)>> = texts
        .iter()
        .map(|(f, _)| taken.next_if(|(t, _, _)| t == f))
        .collect();
    // Renumbered on every core: a new file early in path order moves every later one.
    let found = crate::par::each(paired, crate::par::cores(), 64, |p| {
        let (to, from, mut parsed) = p?;
        renumber::renumber(&mut parsed, from, to);
        Some(parsed)
    });
    parse_missing(texts, found)
}

/// `found`, with the parses it lacks (of the texts at the same places) made now.
fn parse_missing(texts: &[(u32, String)], mut found: Vec<Option<Parsed>>) -> Vec<Parsed> {
    let missing: Vec<(u32, String)> = texts
        .iter()
        .zip(&found)
        .filter(|(_, p)| p.is_none())
        .map(|(t, _)| t.clone())
        .collect();
    let mut parsed = parse_all(&missing).into_iter();
    found
        .iter_mut()
        .map(|p| p.take().or_else(|| parsed.next()).unwrap_or_default())
        .collect()
}

/// [`parse_file`], then the lowering of inline check-ins
/// ([`lower::lower_file`]): done in the parse threads, so that a
/// file's raw check-ins are freed before the next file is parsed. The editor's server
/// (`crate::lsp`) parses an edited file the same way.
pub(crate) fn parse_and_lower(file: u32, text: &str) -> Parsed {
    let (mut raw, diags) = parse_file(file, text);
    if let Some(raw) = &mut raw {
        lower::lower_file(raw);
    }
    (raw, diags)
}

/// Parses files on all cores ([`crate::par`]); results come back in input order.
fn parse_all(texts: &[(u32, String)]) -> Vec<Parsed> {
    let threads = crate::par::cores();
    if threads <= 1 || texts.len() < 4 {
        return texts.iter().map(|(f, t)| parse_and_lower(*f, t)).collect();
    }
    crate::par::map(texts.iter().collect(), threads, |(f, t)| {
        parse_and_lower(*f, t)
    })
}

/// One goal file as a reader left it.
enum Got {
    /// Read whole: its length and what decoding (and parsing) made of it.
    Bytes { len: u64, decoded: Box<Decoded> },
    /// What else a read gives: nothing there, too large, a refused link, or an error.
    Other(std::io::Result<Read>),
}

/// A file's bytes decoded (and parsed) as file number `file`.
struct Decoded {
    file: u32,
    text: Result<String, (Box<Diagnostic>, Vec<u8>)>,
    /// Its parse, when the readers parse (no [`ParseCache`]).
    parsed: Option<Parsed>,
}

/// What the readers of a load do with a file once decoded.
#[derive(Clone, Copy)]
enum Parse<'a> {
    /// Nothing: another load shares its parses.
    No,
    /// Parse it.
    Whole,
    /// Parse it; the check-in log (at `log`) narrowed to `teams` first ([`narrow`]).
    Narrowed { log: &'a str, teams: &'a [String] },
}

impl Got {
    /// Reads `path` as file number `file`; decodes it, and parses it as `parse` says.
    fn of(source: &dyn Source, path: &str, file: u32, max: u64, parse: Parse<'_>) -> Got {
        match source.read(path, max) {
            Ok(Read::Bytes(bytes)) => {
                let len = bytes.len() as u64;
                let text = decode_owned(bytes, file);
                let parsed = match (&text, parse) {
                    (Err(_), _) | (_, Parse::No) => None,
                    (Ok(t), Parse::Narrowed { log, teams }) if path == log => {
                        let narrowed = narrow::other_teams_blanked(t, teams);
                        Some(parse_and_lower(file, narrowed.as_deref().unwrap_or(t)))
                    }
                    (Ok(t), _) => Some(parse_and_lower(file, t)),
                };
                Got::Bytes {
                    len,
                    decoded: Box::new(Decoded { file, text, parsed }),
                }
            }
            other => Got::Other(other),
        }
    }
}

impl Decoded {
    /// The same file as file number `file` (a file before it vanished between the walk and
    /// the read, so it moved up one).
    fn renumber(self, file: u32) -> Decoded {
        match self.text {
            Ok(text) => Decoded {
                file,
                parsed: self.parsed.map(|_| parse_and_lower(file, &text)),
                text: Ok(text),
            },
            Err((mut d, bytes)) => {
                d.span.file = file;
                Decoded {
                    file,
                    text: Err((d, bytes)),
                    parsed: None,
                }
            }
        }
    }
}

/// Reads, decodes and (when `parse`) parses `paths` on `threads` threads ([`crate::par`]),
/// path `i` as file number `base + i`. Paths are taken in order, so those read are always
/// the first ones; no more are taken once the files read add up to more than the total-size
/// bound or a read fails, so every path up to where a reader in path order stops has been
/// read. A path nobody took is `None`, for the caller to read itself; on one thread nothing
/// is read here.
fn read_all(
    source: &dyn Source,
    paths: &[String],
    base: u32,
    limits: Limits,
    parse: Parse<'_>,
    threads: usize,
) -> Vec<Option<Got>> {
    use std::sync::atomic::{AtomicU64, Ordering};

    if threads <= 1 || paths.len() < 4 {
        return std::iter::repeat_with(|| None).take(paths.len()).collect();
    }
    let total = AtomicU64::new(0);
    crate::par::map_until(paths.iter().enumerate().collect(), threads, |(i, path)| {
        let got = Got::of(source, path, base + i as u32, limits.file_bytes, parse);
        let stop = match &got {
            Got::Bytes { len, .. } => {
                let sum = total
                    .fetch_add(*len, Ordering::Relaxed)
                    .saturating_add(*len);
                sum > limits.total_bytes
            }
            Got::Other(Err(_)) => true,
            Got::Other(Ok(_)) => false,
        };
        (got, stop)
    })
}

/// [`decode`] without copying the text (the bytes come back with the diagnostic).
fn decode_owned(mut bytes: Vec<u8>, file: u32) -> Result<String, (Box<Diagnostic>, Vec<u8>)> {
    if let Err(d) = decode_check(&bytes, file) {
        return Err((Box::new(d), bytes));
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let d = Diagnostic::new(Code::InvalidEncoding, Span::default(), "invalid UTF-8");
        (Box::new(d), e.into_bytes())
    })
}

/// Checks that bytes are UTF-8 text (dropping a UTF-8 byte-order mark), with a located
/// diagnostic when they are not.
pub(crate) fn decode(bytes: &[u8], file: u32) -> Result<String, Diagnostic> {
    decode_check(bytes, file)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    Ok(std::str::from_utf8(bytes).unwrap_or_default().to_owned())
}

fn decode_check(bytes: &[u8], file: u32) -> Result<(), Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let at = |offset: usize, line: u32, col: u32| Span {
        file,
        line,
        col,
        start: offset as u32,
        len: 1,
    };
    // UTF-16 with a byte-order mark, or without one: text whose first two bytes hold one
    // NUL (ASCII in UTF-16BE or UTF-16LE) is not UTF-8 with a stray NUL.
    let bomless_utf16 =
        bytes.len() >= 2 && ((bytes[0] == 0) != (bytes[1] == 0)) && !bytes[..2].contains(&b'\n');
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") || bomless_utf16 {
        return Err(Diagnostic::new(
            Code::InvalidEncoding,
            at(0, 1, 1),
            "the file is UTF-16; goal files must be UTF-8",
        )
        .help("re-save the file as UTF-8 (for example `iconv -f UTF-16 -t UTF-8`)"));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let ok = &bytes[..e.valid_up_to()];
            let text = std::str::from_utf8(ok).unwrap_or_default();
            let (line, col) = config::line_col(text, text.len());
            return Err(Diagnostic::new(
                Code::InvalidEncoding,
                at(e.valid_up_to(), line, col),
                format!("byte 0x{:02X} is not valid UTF-8", bytes[e.valid_up_to()]),
            )
            .help("goal files must be UTF-8: re-save the file as UTF-8"));
        }
    };
    if let Some(i) = text.find('\0') {
        let (line, col) = config::line_col(text, i);
        return Err(Diagnostic::new(
            Code::InvalidEncoding,
            at(i, line, col),
            "the file contains a NUL byte",
        )
        .help("goal files are text: remove the NUL byte (is this a binary file?)"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_locates_bad_bytes() {
        let d = decode(b"a: 1\nb: caf\xe9\n", 0).unwrap_err();
        assert_eq!(
            (d.code, d.span.line, d.span.col),
            (Code::InvalidEncoding, 2, 7)
        );
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1\n", 0).unwrap(), "a: 1\n");
        assert!(
            decode(b"\xFF\xFEa\0", 0)
                .unwrap_err()
                .message
                .contains("UTF-16")
        );
        assert!(decode(b"a: 1\0", 0).unwrap_err().message.contains("NUL"));
    }

    /// A tree of `n` tiny goal files, in memory.
    struct Many(usize);

    impl Source for Many {
        fn walk(&self, roots: &[String], max: usize) -> std::io::Result<Vec<Entry>> {
            Ok(roots
                .iter()
                .flat_map(|root| {
                    (0..self.0).map(move |i| Entry::File(format!("{root}/f{i:06}.yaml")))
                })
                .take(max + 1)
                .collect())
        }
        fn read(&self, path: &str, max: u64) -> std::io::Result<Read> {
            if path == "goalpost.toml" {
                return Ok(Read::Missing);
            }
            let text = b"team: a\nkpis: []\n".to_vec();
            Ok(if text.len() as u64 > max {
                Read::TooLarge(text.len() as u64)
            } else {
                Read::Bytes(text)
            })
        }
        fn describe(&self) -> String {
            "memory".to_owned()
        }
    }

    fn limits(files: usize, total_bytes: u64, file_bytes: u64) -> Limits {
        Limits {
            file_bytes,
            files,
            total_bytes,
        }
    }

    fn limit_diags(l: &Loaded) -> Vec<(&str, &str)> {
        l.diags
            .iter()
            .filter(|d| d.code == Code::ResourceLimit)
            .map(|d| (l.sources.path(d.span.file), d.message.as_str()))
            .collect()
    }

    #[test]
    fn the_file_count_is_bounded() {
        let l = load_with(&Many(12), limits(10, u64::MAX, 100)).unwrap();
        assert_eq!(l.files.len(), 10);
        let d = limit_diags(&l);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "goals/f000010.yaml");
        assert!(d[0].1.contains("more than 10 goal files"), "{}", d[0].1);
    }

    #[test]
    fn the_total_size_is_bounded() {
        // Each file is 17 bytes: the fourth one passes 60.
        let l = load_with(&Many(6), limits(100, 60, 100)).unwrap();
        assert_eq!(l.files.len(), 3);
        let d = limit_diags(&l);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "goals/f000003.yaml");
    }

    /// Files of every kind a read can give, by index: sizes that vary, a file that vanished
    /// after the walk, a refused link, one too large, bytes that do not decode, a YAML error,
    /// and (from `fail_at`) a read error.
    struct Mixed {
        n: usize,
        fail_at: Option<usize>,
    }

    impl Source for Mixed {
        fn walk(&self, _: &[String], max: usize) -> std::io::Result<Vec<Entry>> {
            Ok((0..self.n)
                .map(|i| Entry::File(format!("goals/f{i:04}.yaml")))
                .take(max + 1)
                .collect())
        }
        fn read(&self, path: &str, _: u64) -> std::io::Result<Read> {
            if path == "goalpost.toml" {
                return Ok(Read::Missing);
            }
            let i: usize = path[7..11].parse().expect("a generated path");
            if self.fail_at.is_some_and(|f| i >= f) {
                return Err(std::io::Error::other("the disk went away"));
            }
            Ok(match i % 11 {
                3 => Read::Missing,
                5 => Read::Refused(Refused {
                    link: path.to_owned(),
                    target: "../../etc/passwd".to_owned(),
                    why: resolve::Why::Outside,
                }),
                7 => Read::TooLarge(1 << 30),
                8 => Read::Bytes(b"team: a\nkpis: caf\xe9\n".to_vec()),
                9 => Read::Bytes(b"team: [a\n".to_vec()),
                _ => Read::Bytes(
                    format!(
                        "team: t{i}\nkpis:\n  - {{ id: k{i}, title: \"{}\", target: 1, better: higher }}\n",
                        "x".repeat(i % 13)
                    )
                    .into_bytes(),
                ),
            })
        }
        fn describe(&self) -> String {
            "memory".to_owned()
        }
    }

    /// What a load says, in a form two loads can be compared by.
    fn summary(l: Result<Loaded, LoadError>) -> String {
        match l {
            Ok(l) => format!(
                "{:?}\n{:?}\n{:?}",
                l.sources.files,
                l.diags,
                l.files
                    .iter()
                    .map(|(f, raw)| (f, format!("{raw:?}")))
                    .collect::<Vec<_>>()
            ),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn readers_on_many_threads_load_what_one_reader_loads() {
        for (n, fail_at) in [(40, None), (40, Some(17)), (3, None), (200, Some(150))] {
            for total in [u64::MAX, 400, 1000, 61] {
                let tree = Mixed { n, fail_at };
                let lim = limits(1000, total, 1 << 20);
                let one = summary(load_inner(&tree, lim, Cache::None, Walk::Config, 1));
                for threads in [2, 3, 8] {
                    for _ in 0..5 {
                        let many =
                            summary(load_inner(&tree, lim, Cache::None, Walk::Config, threads));
                        assert!(
                            one == many,
                            "{n} files, a read failing at {fail_at:?}, {total} bytes at most, {threads} threads:\n{one}\n---\n{many}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn each_file_size_is_bounded() {
        let l = load_with(&Many(2), limits(100, u64::MAX, 10)).unwrap();
        assert!(l.files.is_empty());
        assert_eq!(limit_diags(&l).len(), 2);
    }
}

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod kept_tests {
    use super::*;

    /// A work tree of `teams` teams, each a goal file with a KPI and an objective, check-ins
    /// inline and in a log, and some errors (a duplicate key, a bad date) whose spans must
    /// move with their file.
    fn tree(dir: &std::path::Path, teams: usize) {
        std::fs::write(dir.join("goalpost.toml"), "").unwrap();
        for t in 0..teams {
            let d = dir.join(format!("goals/t{t:03}"));
            std::fs::create_dir_all(&d).unwrap();
            let bad = if t % 7 == 0 { "\n    title: again" } else { "" };
            std::fs::write(
                d.join("b.yaml"),
                format!(
                    "team: t{t:03}\nperiod: 2026-Q4\nkpis:\n  - id: k\n    title: K{bad}\n    better: higher\n    target: 5\n    checkins:\n      - {{ date: 2026-10-0{}, value: {t} }}\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - {{ id: r, title: R, start: 0, target: 10, checkins: [{{ date: 2026-11-01, value: 3 }}] }}\ncheckins:\n  - {{ ref: t{t:03}/o/r, date: 2026-1{}-02, value: 4 }}\n",
                    t % 9 + 1,
                    t % 3,
                ),
            )
            .unwrap();
        }
    }

    fn digest(l: &Loaded) -> String {
        format!("{:?}\n{:?}\n{:?}", l.sources.files, l.files, l.diags)
    }

    /// A second load that takes the kept parses (copied on every core, and renumbered on
    /// every core where new files moved them) equals a load that reads every file again.
    #[test]
    fn a_kept_load_of_many_files_equals_reading_them_all_again() {
        let dir = tempfile::tempdir().unwrap();
        tree(dir.path(), 150);
        let wt = source::WorkTree::new(dir.path()).unwrap();
        let mut kept = Kept::default();
        let mut first = load_keeping(&wt, &mut kept).unwrap();
        assert!(first.files.len() >= 150);
        kept.texts(&mut first.sources);
        // New files early in path order, as `rollover` writes them: every later file moves.
        for t in [0, 40, 99] {
            std::fs::write(
                dir.path().join(format!("goals/t{t:03}/a.yaml")),
                format!(
                    "team: t{t:03}\nperiod: 2027-Q1\nobjectives:\n  - id: o\n    title: Again\n"
                ),
            )
            .unwrap();
        }
        let taken = load_kept(&wt, kept).unwrap();
        let fresh = load(&wt).unwrap();
        assert_eq!(digest(&taken), digest(&fresh));
    }
}
