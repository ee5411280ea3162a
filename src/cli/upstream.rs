//! `goalpost upstream update [NAME...]` (SPEC 13): fetches each upstream's `ref` (over git's
//! smart HTTP protocol, or from a local repository's objects), validates its goal files as
//! that repository would, writes them to `upstreams/NAME/` with their pins in goalpost.lock
//! (all or nothing), and prints what changed in the upstream's goals, in any `diff` format,
//! so that a pull request that bumps a pin explains itself. Exit 3 when an upstream could
//! not be reached, 1 when one does not validate (nothing written), 2 for usage problems.

use super::diff::DiffFormat;
use super::{CmdResult, Ctx, Failure, exit, out, plural};
use crate::config::upstreams::{Location, Upstream};
use crate::git::{Auth, FetchError, Remote};
use crate::load::upstream::{LOCK, Lock, short};
use crate::report::diff::{self, Header};
use crate::text::safe;
use crate::upstream::Fetched;
use clap::{Args, Subcommand};

/// Vendor other repositories' goals: `upstream update` pins them under `upstreams/`.
#[derive(Debug, Args)]
pub struct UpstreamArgs {
    #[command(subcommand)]
    pub command: UpstreamCommand,
}

#[derive(Debug, Subcommand)]
pub enum UpstreamCommand {
    /// Fetch upstreams (default all in goalpost.toml), write their goal files to
    /// upstreams/NAME/ and their pins to goalpost.lock, and print what changed.
    Update(UpdateArgs),
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The upstreams to update (`[upstreams.NAME]`); default every one.
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Format of the changes printed: text, markdown (a pull request's body) or json.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

pub(super) fn run(args: UpstreamArgs, ctx: &Ctx) -> CmdResult {
    match args.command {
        UpstreamCommand::Update(a) => update(a, ctx),
    }
}

fn update(args: UpdateArgs, ctx: &Ctx) -> CmdResult {
    if ctx.at.is_some() {
        return Err(Failure::Usage(
            "--at: upstream update writes to the work tree and cannot write to a revision"
                .to_owned(),
        ));
    }
    let tree = crate::load::source::WorkTree::new(&ctx.root)
        .map_err(|e| Failure::Io(format!("cannot open {}: {e}", ctx.root.display())))?;
    let mut sources = crate::load::Sources::default();
    let config = crate::load::load_config(&tree, &mut sources).map_err(super::load_failure)?;
    if config.upstreams.is_empty() {
        eprintln!(
            "note: goalpost.toml declares no upstream; add `[upstreams.NAME]` with its `url` and `ref`"
        );
        return Ok(exit::OK);
    }
    let mut names: Vec<&String> = Vec::new();
    for n in &args.names {
        match config.upstreams.get_key_value(n) {
            Some((k, _)) if !names.contains(&k) => names.push(k),
            Some(_) => {}
            None => {
                let known: Vec<&str> = config.upstreams.keys().map(String::as_str).collect();
                return Err(Failure::Usage(format!(
                    "`{n}` is not an upstream in goalpost.toml (it declares {})",
                    known.join(", ")
                )));
            }
        }
    }
    if names.is_empty() {
        names = config.upstreams.keys().collect();
    }
    // The lock as it is: entries of upstreams not updated stay.
    let lock = read_lock(ctx)?;

    // 1. Fetch and validate every upstream before anything is written.
    let mut fetched: Vec<Fetched> = Vec::new();
    for name in &names {
        let up = &config.upstreams[*name];
        let f = fetch_one(name, up, ctx)?;
        if !f.snapshot.is_valid() {
            let n = super::print_error_diags(&f.snapshot.diags, &f.shown_sources(), ctx);
            eprintln!(
                "error: upstream `{name}` at {} has {} in its goal files; nothing was written (fix them upstream, then update again)",
                short(&f.commit),
                plural(n, "error")
            );
            return Ok(exit::FINDINGS);
        }
        fetched.push(f);
    }

    // 2. What changed, against the snapshots in the work tree.
    let mut texts = Vec::new();
    let mut json = Vec::new();
    for f in &fetched {
        let before = crate::upstream::current(&tree, &f.name);
        let before_commit = lock.upstreams.get(&f.name).map(|p| p.commit.clone());
        let header = Header {
            base: format!("upstream {}", f.name),
            base_commit: before_commit.clone().unwrap_or_else(|| "none".to_owned()),
            head: format!("upstream {}", f.name),
            head_commit: Some(f.commit.clone()),
            as_of: ctx.as_of,
        };
        let changes = crate::upstream::changes(before.as_ref(), Some(&f.snapshot), ctx.as_of);
        match args.format {
            DiffFormat::Text => {
                texts.push(super::wrapped(diff::text(&header, &changes, ctx.color_out)))
            }
            DiffFormat::Markdown => texts.push(diff::markdown(&header, &changes)),
            DiffFormat::Json => {
                let d: serde_json::Value =
                    serde_json::from_str(&diff::json(&header, &changes)).unwrap_or_default();
                json.push(serde_json::json!({
                    "name": f.name,
                    "url": config.upstreams[&f.name].location.shown(),
                    "ref": config.upstreams[&f.name].reference,
                    "before": before_commit,
                    "after": f.commit,
                    "diff": d,
                }));
            }
        }
    }

    // 3. Write, all or nothing.
    crate::upstream::write(&ctx.root, &fetched, &config).map_err(|e| match e {
        crate::upstream::WriteError::Link(_) => Failure::Usage(e.to_string()),
        crate::upstream::WriteError::Lock(e) => super::write_failure(e, ctx),
        crate::upstream::WriteError::Io { .. } => Failure::Io(e.to_string()),
    })?;
    match args.format {
        DiffFormat::Json => {
            let doc = serde_json::json!({ "upstreams": json });
            out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            ))?;
        }
        _ => out(&texts.join("\n"))?,
    }
    for f in &fetched {
        eprintln!(
            "updated upstream `{}` to {} ({}); commit upstreams/{}/ and {LOCK}",
            f.name,
            short(&f.commit),
            plural(f.files.len(), "file"),
            f.name
        );
    }
    // The process ends here: freeing the snapshots item by item is left to it.
    std::mem::forget((fetched, texts, json));
    Ok(exit::OK)
}

/// goalpost.lock as it is; an unreadable one is a usage problem (it is ours to write).
fn read_lock(ctx: &Ctx) -> Result<Lock, Failure> {
    let path = ctx.root.join(LOCK);
    match std::fs::symlink_metadata(&path) {
        Err(_) => return Ok(Lock::default()),
        Ok(m) if !m.is_file() => {
            return Err(Failure::Usage(format!(
                "{LOCK} is not a regular file (a link or a directory); goalpost does not write through links"
            )));
        }
        Ok(_) => {}
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Failure::Io(format!("cannot read {LOCK}: {e}")))?;
    Lock::parse(&text).map_err(|why| {
        Failure::Usage(format!(
            "{LOCK} cannot be read ({why}); restore it from git, or delete it and run `goalpost upstream update` for every upstream"
        ))
    })
}

/// Fetches one upstream and reads its goal files.
fn fetch_one(name: &str, up: &Upstream, ctx: &Ctx) -> Result<Fetched, Failure> {
    let token = up
        .token_env
        .as_ref()
        .and_then(|v| std::env::var(v).ok())
        .filter(|t| !t.is_empty());
    let fetched = match &up.location {
        Location::Url(url) => {
            let auth = match (&token, &up.token_user) {
                (None, _) => Auth::None,
                (Some(t), Some(user)) => Auth::Basic { user, token: t },
                (Some(t), None) => Auth::Bearer(t),
            };
            crate::git::fetch(&Remote {
                url,
                reference: &up.reference,
                auth,
                timeout: std::time::Duration::from_secs(up.timeout_secs),
            })
        }
        Location::Path(p) => crate::git::open_local(&ctx.root.join(p), &up.reference),
    };
    let (repo, rev) = fetched.map_err(|e| {
        let m = format!("upstream `{name}` ({}): {e}", up.location.shown());
        match e {
            FetchError::UnknownRef { .. } => Failure::Usage(m),
            _ => Failure::Io(m),
        }
    })?;
    let git_tree = repo.tree(&rev)?;
    crate::upstream::read(&git_tree, name, up, rev.commit.to_string()).map_err(|e| match e {
        crate::load::LoadError::Config { sources, diags } => {
            eprint!(
                "{}",
                crate::report::diagnostics::human(&diags, &sources, ctx.color_err, 0)
            );
            Failure::Io(format!(
                "upstream `{name}` at {}: its goalpost.toml cannot be read by this goalpost; nothing was written",
                safe::human(&rev.commit.to_string())
            ))
        }
        crate::load::LoadError::Io { path, source } => Failure::Io(format!(
            "upstream `{name}`: cannot read {path}: {source}"
        )),
    })
}
