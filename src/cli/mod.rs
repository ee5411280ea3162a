//! The command line: global flags, the shared load → validate pipeline every command reads
//! goals through, output helpers (colour, closed pipes) and dispatch. This is the only
//! module that prints.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod append;
mod calendar;
mod check;
mod checkin;
mod completions;
mod diff;
mod digest;
mod drop;
mod explain;
mod init;
mod insights;
mod log;
mod lsp;
mod man;
mod pull;
mod record;
mod report;
mod review;
mod revise;
mod rollover;
mod schema;
mod show;
mod status;
mod upstream;

use crate::date::Date;
use crate::diag::{Code, Diagnostic, Severity, Span};
use crate::load::source::{Source, WorkTree};
use crate::load::{self, LoadError, Sources};
use crate::report::diagnostics;
use crate::text::safe;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

/// Which items `status` and `report` include (`crate::select::Filter` as flags).
#[derive(Debug, clap::Args, Default, Clone)]
pub struct FilterArgs {
    /// Only this team (repeatable).
    #[arg(long = "team", value_name = "TEAM")]
    pub teams: Vec<String>,
    /// Only this period, such as 2026-Q4 (repeatable).
    #[arg(long = "period", value_name = "PERIOD")]
    pub periods: Vec<String>,
    /// Only items with this owner.
    #[arg(long, value_name = "OWNER")]
    pub owner: Option<String>,
    /// Only KPIs.
    #[arg(long, conflicts_with = "okrs")]
    pub kpis: bool,
    /// Only objectives and key results.
    #[arg(long)]
    pub okrs: bool,
    /// Show what changed since this date (YYYY-MM-DD; default a week before --as-of): each
    /// row's difference, and `previous` figures in JSON.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<Date>,
}

impl FilterArgs {
    /// `--since`, else a week before `as_of`; a date after `as_of` is a usage error.
    pub fn since(&self, as_of: Date) -> Result<Date, Failure> {
        Self::since_or_week(self.since, as_of)
    }

    /// `since`, else a week before `as_of` (`--since` of `status`, `report` and `show`).
    pub fn since_or_week(since: Option<Date>, as_of: Date) -> Result<Date, Failure> {
        let since = since.unwrap_or(as_of.add_days(-7));
        if since > as_of {
            return Err(Failure::Usage(format!(
                "--since {since} is after the date the figures are as of ({as_of}); give an earlier date"
            )));
        }
        Ok(since)
    }
}

impl FilterArgs {
    pub fn to_filter(&self) -> crate::select::Filter {
        crate::select::Filter {
            teams: self.teams.clone(),
            periods: self.periods.clone(),
            owner: self.owner.clone(),
            kpis_only: self.kpis,
            okrs_only: self.okrs,
        }
    }
}

impl From<crate::select::SelectError> for Failure {
    fn from(e: crate::select::SelectError) -> Self {
        Failure::Usage(e.0)
    }
}

/// Exit codes (SPEC 7.1).
pub(crate) mod exit {
    pub(crate) const OK: u8 = 0;
    pub(crate) const FINDINGS: u8 = 1;
    pub(crate) const USAGE: u8 = 2;
    pub(crate) const IO: u8 = 3;
}

/// OKRs and KPIs as plain YAML in git: validate, score and report them.
#[derive(Debug, Parser)]
#[command(name = "goalpost", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// Run as if started in DIR.
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub dir: Option<PathBuf>,
    /// When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE, CLICOLOR, TERM and whether
    /// output is a terminal.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,
    /// Compute scores and statuses as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE", global = true, value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// Read goal files from this git revision instead of the work tree.
    #[arg(long, value_name = "REV", global = true)]
    pub at: Option<String>,
    /// Print at most N problems in full (then a count per code of the rest); 0 prints all.
    /// JSON and GitHub formats always carry all.
    #[arg(long, value_name = "N", default_value_t = 200, global = true)]
    pub max_diagnostics: usize,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(init::InitArgs),
    Check(check::CheckArgs),
    Checkin(checkin::CheckinArgs),
    Pull(pull::PullArgs),
    Revise(revise::ReviseArgs),
    Drop(drop::DropArgs),
    Status(status::StatusArgs),
    Show(show::ShowArgs),
    Log(log::LogArgs),
    Report(report::ReportArgs),
    Review(review::ReviewArgs),
    Insights(insights::InsightsArgs),
    Rollover(rollover::RolloverArgs),
    Calendar(calendar::CalendarArgs),
    Diff(diff::DiffArgs),
    Upstream(upstream::UpstreamArgs),
    Digest(digest::DigestArgs),
    Schema(schema::SchemaArgs),
    Explain(explain::ExplainArgs),
    Completions(completions::CompletionsArgs),
    Man(man::ManArgs),
    Lsp(lsp::LspArgs),
}

pub(crate) fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date: {}", crate::date::date_problem(s)))
}

/// Today as goalpost sees it (SPEC 3.2): the date in `GOALPOST_TODAY` when that is set and
/// not empty (so tests and CI runs can pin the clock), else the local date. An unreadable
/// value is a usage error naming it, never silently the real date.
pub(crate) fn today() -> Result<Date, Failure> {
    match std::env::var_os("GOALPOST_TODAY") {
        Some(v) if !v.is_empty() => {
            let s = v.to_string_lossy();
            Date::parse(&s).ok_or_else(|| {
                Failure::Usage(format!(
                    "GOALPOST_TODAY=`{s}` is not a date: {}; set it to YYYY-MM-DD, or unset it to use the clock",
                    crate::date::date_problem(&s)
                ))
            })
        }
        _ => Ok(Date::today()),
    }
}

/// Runs goalpost with the process's arguments and returns the exit code.
pub fn run() -> u8 {
    completions::complete_if_asked();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            return code;
        }
    };
    crate::git::watchdog::set_handler(git_stalled);
    crate::git::configure_process();
    let ctx = match Ctx::new(&cli) {
        Ok(c) => c,
        Err(f) => return f.report(false),
    };
    let color_err = ctx.color_err;
    let result = match cli.command {
        Command::Init(a) => init::run(a, &ctx),
        Command::Check(a) => check::run(a, &ctx),
        Command::Checkin(a) => checkin::run(a, &ctx),
        Command::Pull(a) => pull::run(a, &ctx),
        Command::Revise(a) => revise::run(a, &ctx),
        Command::Drop(a) => drop::run(a, &ctx),
        Command::Status(a) => status::run(a, &ctx),
        Command::Show(a) => show::run(a, &ctx),
        Command::Log(a) => log::run(a, &ctx),
        Command::Report(a) => report::run(a, &ctx),
        Command::Review(a) => review::run(a, &ctx),
        Command::Insights(a) => insights::run(a, &ctx),
        Command::Rollover(a) => rollover::run(a, &ctx),
        Command::Calendar(a) => calendar::run(a, &ctx),
        Command::Diff(a) => diff::run(a, &ctx),
        Command::Upstream(a) => upstream::run(a, &ctx),
        Command::Digest(a) => digest::run(a, &ctx),
        Command::Schema(a) => schema::run(a, &ctx),
        Command::Explain(a) => explain::run(a, &ctx),
        Command::Completions(a) => completions::run(a, &ctx),
        Command::Man(a) => man::run(a, &ctx),
        Command::Lsp(a) => lsp::run(a, &ctx),
    };
    result.unwrap_or_else(|f| f.report(color_err))
}

/// What happens when libgit2 stops making progress (see `git::watchdog`): say so and exit
/// 3 while the stuck thread is still inside libgit2.
fn git_stalled(limit: std::time::Duration) {
    eprintln!(
        "error: reading the git repository made no progress for {} s; it probably holds a corrupt object (libgit2 cannot read a truncated loose object); run `git fsck` to find it",
        limit.as_secs()
    );
    std::process::exit(i32::from(exit::IO));
}

/// Why a command could not do its job.
#[derive(Debug)]
pub enum Failure {
    /// A usage problem (exit 2): bad flag value, unknown ref on the command line, config.
    Usage(String),
    /// I/O or git failure (exit 3).
    Io(String),
    /// goalpost.toml is invalid (exit 2); rendered by the caller, in its format.
    Config {
        sources: Sources,
        diags: Vec<Diagnostic>,
    },
    /// Already reported on stderr; exit with this code.
    Reported(u8),
}

impl Failure {
    fn report(self, color: bool) -> u8 {
        match self {
            Failure::Config { sources, diags } => {
                eprint!("{}", diagnostics::human(&diags, &sources, color, 0));
                eprintln!("error: goalpost.toml is invalid; fix it before goals can be read");
                exit::USAGE
            }
            // Messages echo paths, refs, revision names and git's own words: all may come
            // from the repository, so they are escaped like any repository text.
            Failure::Usage(m) => {
                eprintln!("error: {}", safe::human(&m));
                exit::USAGE
            }
            Failure::Io(m) => {
                eprintln!("error: {}", safe::human(&m));
                exit::IO
            }
            Failure::Reported(c) => c,
        }
    }
}

impl From<crate::git::GitError> for Failure {
    fn from(e: crate::git::GitError) -> Self {
        if e.is_usage() {
            Failure::Usage(e.to_string())
        } else {
            Failure::Io(e.to_string())
        }
    }
}

pub(crate) type CmdResult = Result<u8, Failure>;

/// What every command knows: where the project is, the date, colour and where files come from.
pub(crate) struct Ctx {
    pub cwd: PathBuf,
    pub root: PathBuf,
    /// Today's date: local, or `GOALPOST_TODAY` ([`today`]). Check-ins after it are
    /// `future-checkin` warnings, whatever `--as-of` says.
    pub today: Date,
    /// `--as-of`, else today.
    pub as_of: Date,
    pub at: Option<String>,
    pub color_out: bool,
    pub color_err: bool,
    /// `--max-diagnostics`: problems printed in full (0: all).
    pub max_diagnostics: usize,
}

impl Ctx {
    fn new(cli: &Cli) -> Result<Ctx, Failure> {
        let cwd = match &cli.dir {
            Some(d) => d.clone(),
            None => std::env::current_dir()
                .map_err(|e| Failure::Io(format!("cannot read the current directory: {e}")))?,
        };
        if !cwd.is_dir() {
            return Err(Failure::Usage(format!(
                "-C {}: no such directory",
                cwd.display()
            )));
        }
        let cwd = cwd.canonicalize().unwrap_or(cwd);
        let root = load::find_root(&cwd);
        let today = today()?;
        Ok(Ctx {
            root,
            cwd,
            today,
            as_of: cli.as_of.unwrap_or(today),
            at: cli.at.clone(),
            color_out: use_color(cli.color, &std::io::stdout()),
            color_err: use_color(cli.color, &std::io::stderr()),
            max_diagnostics: cli.max_diagnostics,
        })
    }

    /// The tree goal files are read from: the work tree, or `--at REV`.
    pub(crate) fn source(&self) -> Result<Box<dyn Source>, Failure> {
        match &self.at {
            None => WorkTree::new(&self.root)
                .map(|w| Box::new(w) as Box<dyn Source>)
                .map_err(|e| Failure::Io(format!("cannot open {}: {e}", self.root.display()))),
            Some(rev) => {
                let repo = crate::git::Repo::discover(&self.root)?;
                let rev = repo.resolve(rev)?;
                Ok(Box::new(repo.tree(&rev)?))
            }
        }
    }
}

/// Decides colour for one stream: `--color always|never` wins; `auto` decides as clap does
/// for its own output (anstream): NO_COLOR (https://no-color.org), then CLICOLOR_FORCE,
/// then CLICOLOR=0 turn it off or on; otherwise a terminal whose TERM is set and not `dumb`
/// (or any terminal under CI) is coloured.
pub(crate) fn use_color<S: anstream::stream::RawStream>(when: ColorWhen, stream: &S) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        // TERM=dumb is honoured under CI too (anstream colours any CI log), unless
        // CLICOLOR_FORCE asks for colour.
        ColorWhen::Auto if dumb_terminal() => false,
        ColorWhen::Auto => anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never,
    }
}

/// `TERM=dumb` without a `CLICOLOR_FORCE` (other than `0`).
fn dumb_terminal() -> bool {
    let forced = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0");
    !forced && std::env::var_os("TERM").is_some_and(|t| t == "dumb")
}

pub(crate) use crate::check::Checked;

/// A text output for standard output, wrapped to the terminal's width when it is one
/// ([`status::terminal_width`]); pipes and files get it as it is.
pub(crate) fn wrapped(text: String) -> String {
    match status::terminal_width() {
        Some(w) => crate::report::wrap::to_width(&text, w.into()),
        None => text,
    }
}

/// Load → validate from a source ([`crate::check::load`]). Config problems are usage
/// failures (exit 2), rendered by the caller; unreadable files are I/O failures (exit 3).
pub(crate) fn check_source(source: &dyn Source) -> Result<Checked, Failure> {
    crate::check::load(source).map_err(load_failure)
}

/// [`check_source`] that keeps a copy of each parse in `kept`, for judging the repository
/// again once a check-in is appended ([`crate::write::log::Log::append_kept`]).
pub(crate) fn check_source_keeping(
    source: &dyn Source,
    kept: &mut crate::check::Kept,
) -> Result<Checked, Failure> {
    crate::check::load_keeping(source, kept).map_err(load_failure)
}

/// Why goals could not be loaded, as a failure of the command.
pub(crate) fn load_failure(e: LoadError) -> Failure {
    match e {
        LoadError::Config { sources, diags } => Failure::Config { sources, diags },
        e @ LoadError::Io { .. } => Failure::Io(e.to_string()),
    }
}

/// A side named in messages could not be loaded: an invalid goalpost.toml there is
/// reported, naming the side (`the base side, revision ...`), and is a usage error.
pub(crate) fn side_failure(e: LoadError, what: &str, color: bool) -> Failure {
    match load_failure(e) {
        Failure::Config { sources, diags } => {
            eprint!("{}", diagnostics::human(&diags, &sources, color, 0));
            eprintln!("error: goalpost.toml in {what} is invalid");
            Failure::Reported(exit::USAGE)
        }
        other => other,
    }
}

/// SPEC 7: finding no goal file under the roots is an error (`no-goal-files`), so that a
/// pre-commit hook or CI step run from the wrong directory fails instead of passing. Added
/// to `checked` by the commands that read goals for the user (`check`, the reports); not by
/// `diff` or `check --base`, whose base may predate the goals.
pub(crate) fn require_goal_files(checked: &mut Checked, ctx: &Ctx, source: &dyn Source) {
    if !checked.nothing_found {
        return;
    }
    let roots: Vec<String> = checked
        .config
        .roots
        .iter()
        .map(|r| format!("`{r}`"))
        .collect();
    let place = match &ctx.at {
        None => ctx.root.display().to_string(),
        Some(_) => source.describe(),
    };
    let toml = checked
        .sources
        .files
        .iter()
        .position(|f| f.path == "goalpost.toml");
    let (span, fix) = match toml {
        Some(file) => (
            roots_span(&checked.sources.files[file].text, file as u32),
            "check `roots` in goalpost.toml, ",
        ),
        None => (Span::NOWHERE, ""),
    };
    let d = Diagnostic::new(
        Code::NoGoalFiles,
        span,
        format!(
            "no goal files (*.yaml, *.yml) under {} in {}",
            roots.join(", "),
            place
        ),
    )
    .help(format!(
        "{fix}run goalpost in the repository that holds the goals (or point at it with `goalpost -C DIR`), or start one with `goalpost init`"
    ));
    checked.diags.insert(0, d);
}

/// Where goalpost.toml sets `roots` (its first line when it does not).
fn roots_span(text: &str, file: u32) -> Span {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let key = line.trim_start();
        if let Some(rest) = key.strip_prefix("roots")
            && rest.trim_start().starts_with('=')
        {
            let indent = line.len() - key.len();
            return Span {
                file,
                line: i as u32 + 1,
                col: indent as u32 + 1,
                start: (offset + indent) as u32,
                len: "roots".len() as u32,
            };
        }
        offset += line.len();
    }
    Span::file_start(file)
}

/// For commands that score: load and validate, and refuse (exit 1, diagnostics on stderr)
/// when anything is invalid.
pub(crate) fn load_valid(ctx: &Ctx) -> Result<Checked, Failure> {
    load_valid_keeping(ctx, None)
}

/// [`load_valid`] that keeps a copy of each parse in `kept`, when given, for validating the
/// repository again after writing to it ([`crate::check::Kept`]).
pub(crate) fn load_valid_keeping(
    ctx: &Ctx,
    kept: Option<&mut crate::check::Kept>,
) -> Result<Checked, Failure> {
    let source = ctx.source()?;
    let mut checked = match kept {
        None => check_source(source.as_ref())?,
        Some(kept) => crate::check::load_keeping(source.as_ref(), kept).map_err(load_failure)?,
    };
    require_goal_files(&mut checked, ctx, source.as_ref());
    if checked.has_errors() {
        let n = print_errors(&checked, ctx);
        eprintln!(
            "error: {} in the goal files; nothing was scored (run `goalpost check` for details)",
            plural(n, "error")
        );
        return Err(Failure::Reported(exit::FINDINGS));
    }
    Ok(checked)
}

/// The goals for `show` and `log` about `reference`, and the item when it was found in the
/// teams' own files. Those are read first: goalpost.toml, the files in the item's team's
/// folder under each root (`goals/growth/` for `growth/onboarding`) and the check-in log,
/// then the folders of the teams they refer to (a parent objective, a linked KPI), a few
/// rounds at most. When such a set of files holds no error and defines the item (a key
/// result, if `key_result_only`), they are the goals. Else the whole repository is loaded
/// and must be valid ([`load_valid`]), and the item is for the caller to find ([`target`]).
/// A repository of thousands of teams then answers a question about one item from a few
/// files (README, `goalpost show`).
pub(crate) fn load_for_item(
    ctx: &Ctx,
    reference: &str,
    period: Option<&str>,
    key_result_only: bool,
) -> Result<(Checked, Option<crate::select::Target>), Failure> {
    if let Ok(r) = reference.parse::<crate::model::Ref>()
        && r.upstream().is_none()
        && crate::model::is_slug(r.team())
    {
        let source = ctx.source()?;
        if let Some(checked) = load_teams_of(source.as_ref(), r.team())
            && let Ok(t) = crate::select::resolve(&checked.goals, reference, period, ctx.as_of)
            && (!key_result_only || matches!(t, crate::select::Target::KeyResult(_)))
        {
            return Ok((checked, Some(t)));
        }
    }
    Ok((load_valid(ctx)?, None))
}

/// `team`'s files and those of the teams they refer to, when they validate
/// ([`load_for_item`]). Each round adds the teams that the `unknown-ref` errors name; any
/// other error, or a ref into a team already read, ends it with `None`.
fn load_teams_of(source: &dyn Source, team: &str) -> Option<Checked> {
    const ROUNDS: usize = 4;
    let mut teams = vec![team.to_owned()];
    for _ in 0..ROUNDS {
        let checked = crate::check::load_teams(source, &teams).ok()?;
        if checked.files == 0 {
            return None;
        }
        let mut more: Vec<String> = Vec::new();
        for d in checked
            .diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            if d.code != crate::diag::Code::UnknownRef {
                return None;
            }
            // The ref as written (the span covers the value, quotes and all).
            let text = checked
                .sources
                .files
                .get(d.span.file as usize)?
                .text
                .as_str();
            let (start, len) = (d.span.start as usize, d.span.len as usize);
            let written = text.get(start..start.checked_add(len)?)?;
            let r: crate::model::Ref = written.trim_matches(['"', '\'']).parse().ok()?;
            if r.upstream().is_some() || teams.iter().any(|t| t == r.team()) {
                return None;
            }
            if !more.iter().any(|t| t == r.team()) {
                more.push(r.team().to_owned());
            }
        }
        if more.is_empty() {
            return Some(checked);
        }
        teams.extend(more);
    }
    None
}

/// What a ref named on the command line (`show`, `log`) is in `checked`; the path of a goal
/// file given instead is told apart, with the items it defines.
pub(crate) fn target(
    checked: &Checked,
    reference: &str,
    period: Option<&str>,
    as_of: crate::model::Date,
) -> Result<crate::select::Target, Failure> {
    let goals = &checked.goals;
    crate::select::resolve(goals, reference, period, as_of).map_err(|e| {
        let files: Vec<&str> = checked
            .sources
            .files
            .iter()
            .map(|f| f.path.as_str())
            .collect();
        crate::select::file_named(goals, &files, reference)
            .unwrap_or(e)
            .into()
    })
}

/// The scorecard of `checked` as of `--as-of`, and its figures as of `since` (a date on or
/// before it; the "what changed" of SPEC 12): the scoring that `status`, `report` and `show`
/// share.
pub(crate) fn scored(
    checked: &Checked,
    ctx: &Ctx,
    since: Date,
) -> Result<(crate::score::Scorecard, crate::score::Before), Failure> {
    let th = crate::score::Thresholds::from(&checked.config);
    let goals = valid(checked)?;
    // The two scorings only read the goals: "before" on another core, when there is one.
    let (before, card) = crate::par::join(
        crate::par::cores() > 1,
        || crate::score::before(goals, since, th),
        || crate::score::score(goals, ctx.as_of, th),
    );
    Ok((card, before))
}

/// The scorecard of `checked` as of `--as-of`.
pub(crate) fn card(checked: &Checked, ctx: &Ctx) -> Result<crate::score::Scorecard, Failure> {
    let th = crate::score::Thresholds::from(&checked.config);
    Ok(crate::score::score(valid(checked)?, ctx.as_of, th))
}

impl Ctx {
    /// [`load_valid`], then the scorecard as of `--as-of` ([`card`]): the load → validate →
    /// score path of the commands that need no "what changed" (`calendar`, `review`;
    /// `status`, `report`, `show` and `digest` add [`scored`]'s `since`; `rollover` keeps
    /// its parses for the validation after writing).
    pub(crate) fn scored(&self) -> Result<(Checked, crate::score::Scorecard), Failure> {
        let checked = load_valid(self)?;
        let card = card(&checked, self)?;
        Ok((checked, card))
    }
}

/// The goals of a [`load_valid`] result, for scoring. `load_valid` returned early on any
/// error, so this is its guarantee in the type; were it broken, nothing is scored.
pub(crate) fn valid(checked: &Checked) -> Result<crate::model::Valid<'_>, Failure> {
    checked.valid().ok_or(Failure::Reported(exit::FINDINGS))
}

/// A write that did not happen ([`crate::write`]), as the command's failure: a refused link
/// and an invalid goalpost.toml reported as `check` reports them; usage problems exit 2,
/// the rest 3. (`rollover` reports [`crate::write::WriteError::Invalid`] itself.)
pub(crate) fn write_failure(e: crate::write::WriteError, ctx: &Ctx) -> Failure {
    use crate::write::WriteError;
    match e {
        WriteError::Refused(r) => refused_link(&r, ctx.color_err),
        WriteError::Load(e) => load_failure(e),
        e if e.is_usage() => Failure::Usage(e.to_string()),
        e => Failure::Io(e.to_string()),
    }
}

/// Prints the `symlink-escape` error of a path this command was to write through a link
/// that may not be followed (SPEC 10), and says nothing was written; exit 1, like the same
/// link met by `check`.
pub(crate) fn refused_link(r: &crate::load::source::Refused, color: bool) -> Failure {
    let sources = Sources {
        files: vec![load::SourceFile {
            path: r.link.clone(),
            text: String::new(),
        }],
    };
    // `symlink-escape` (or `resource-limit` past a bound of the run), as `check` says it.
    let d = load::refused(0, r);
    eprint!("{}", diagnostics::human(&[d], &sources, color, 0));
    eprintln!("error: refused (1 error); nothing was written");
    Failure::Reported(exit::FINDINGS)
}

/// Prints the errors (not the warnings) of `checked` on stderr and returns how many there
/// were; the caller adds its own closing line.
pub(crate) fn print_errors(checked: &Checked, ctx: &Ctx) -> usize {
    print_error_diags(&checked.diags, &checked.sources, ctx)
}

/// Prints the errors among `diags` (read from `sources`) on stderr; returns how many.
pub(crate) fn print_error_diags(diags: &[Diagnostic], sources: &Sources, ctx: &Ctx) -> usize {
    let errors: Vec<Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    eprint!(
        "{}",
        diagnostics::human(&errors, sources, ctx.color_err, ctx.max_diagnostics)
    );
    errors.len()
}

/// "1 error", "3 errors": one definition for every command's words.
pub(crate) use crate::text::plural;

/// Writes to stdout; a closed pipe (`goalpost status | head -1`) is not an error.
pub(crate) fn out(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Failure::Reported(exit::OK)),
        Err(e) => Err(Failure::Io(format!("cannot write output: {e}"))),
    }
}

/// Streams to stdout through a buffer (for large outputs); a closed pipe is not an error.
pub(crate) fn out_with(
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    let mut stdout = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    match write(&mut stdout).and_then(|_| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Failure::Reported(exit::OK)),
        Err(e) => Err(Failure::Io(format!("cannot write output: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
