//! The check pipeline as a library: goal files from a [`Source`] are loaded and validated
//! ([`load`], a [`Checked`]), then judged ([`judge`]): check-ins dated after today, the
//! practice lints, and against a base revision the history rules of `check --base`
//! (`crate::diff::rules`, on the engine's changes). Lints and history rules only run on goals
//! that validate, since they compare item by item. Nothing here prints: the command line
//! renders the diagnostics.

use crate::config::Config;
use crate::diag::{Diagnostic, Severity, Span};
use crate::load::source::Source;
use crate::load::{self, LoadError, Sources};
use crate::model::{Date, Goals, Ref};
use std::collections::HashSet;

/// Goals that were loaded and validated, with every diagnostic found on the way.
pub struct Checked {
    pub config: Config,
    pub sources: Sources,
    pub goals: Goals,
    pub diags: Vec<Diagnostic>,
    /// Number of goal files read.
    pub files: usize,
    /// Items built with placeholder values ([`crate::validate::Validated::flawed`]).
    pub flawed: HashSet<Span>,
    /// No goal file was found under the roots: nothing was read and nothing reported.
    pub nothing_found: bool,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(|d| d.severity == Severity::Error)
    }

    /// How many errors were found.
    pub fn errors(&self) -> usize {
        self.diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
}

/// Load → validate from a source. An invalid goalpost.toml or an unreadable file is a
/// [`LoadError`]; problems in goal files are diagnostics.
pub fn load(source: &dyn Source) -> Result<Checked, LoadError> {
    let loaded = load::load(source)?;
    let files = loaded.files.len();
    // A file that was found but could not be read is reported; with neither, none was found.
    let nothing_found = loaded.files.is_empty() && loaded.diags.is_empty();
    // Goal files that did not parse: what they would have defined is not blamed elsewhere.
    let parsed: HashSet<u32> = loaded.files.iter().map(|(f, _)| *f).collect();
    let mut unread = crate::validate::Unread::default();
    for (i, f) in loaded.sources.files.iter().enumerate() {
        if !parsed.contains(&(i as u32)) && (f.path.ends_with(".yaml") || f.path.ends_with(".yml"))
        {
            unread.scan(&f.text);
        }
    }
    let mut v = crate::validate::validate_with(loaded.files, &loaded.config, unread);
    let mut diags = loaded.diags;
    diags.append(&mut v.diags);
    crate::diag::sort(&mut diags);
    Ok(Checked {
        files,
        config: loaded.config,
        sources: loaded.sources,
        goals: v.goals,
        diags,
        flawed: v.flawed,
        nothing_found,
    })
}

/// The base revision `check --base` compares with.
pub struct Base<'a> {
    pub checked: &'a Checked,
    /// How messages name it: `main (1a2b3c4d5e)`.
    pub name: &'a str,
}

/// What judging against a base found beyond diagnostics.
#[derive(Debug, Default)]
pub struct BaseNote {
    /// Errors the base itself has (not findings of this run, but they limit what was
    /// compared).
    pub errors: usize,
    /// Key results invalid at the base, so not compared for moved starts or targets.
    pub skipped: Vec<Ref>,
}

/// Adds to `checked` what `check` reports beyond validation: check-ins dated after `today`
/// (against the clock, not `as_of`: a date after today is a typo whatever is scored), and,
/// when the goals validate, the lints scored as of `as_of` and the history rules against
/// `base`. Returns what the caller should say about the base (`None` without one, or when
/// the rules did not run).
pub fn judge(
    checked: &mut Checked,
    today: Date,
    as_of: Date,
    base: Option<Base<'_>>,
) -> Option<BaseNote> {
    checked
        .diags
        .extend(crate::validate::future_checkins(&checked.goals, today));
    if checked.has_errors() {
        return None;
    }
    let card = crate::score::score(&checked.goals, as_of, (&checked.config).into());
    checked
        .diags
        .extend(crate::lint::lint(&checked.goals, &card, &checked.config));
    let base = base?;
    let history = crate::diff::rules::history(
        crate::diff::rules::Tree {
            goals: &base.checked.goals,
            sources: &base.checked.sources,
            flawed: &base.checked.flawed,
        },
        &checked.goals,
        &mut checked.sources,
        base.name,
        as_of,
        &checked.config,
    );
    checked.diags.extend(history.diags);
    Some(BaseNote {
        errors: base.checked.errors(),
        skipped: history.skipped,
    })
}
