//! Diagnostics as values: every problem goalpost finds is a [`Diagnostic`] with a stable
//! [`Code`], a severity, a location and a message, built next to the data and rendered later
//! (human, JSON or GitHub form). Codes form a closed enum; their kebab-case names are the
//! contract used in output, `goalpost.toml [lints]`, `goalpost explain` and fixture names.

use serde::Serialize;
use std::fmt;

/// How bad a finding is. Errors make `check` exit 1; warnings only with `--deny-warnings`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $sev:ident $(, $lint:ident)?; )*) => {
        /// Every diagnostic code goalpost can emit.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $(#[$doc])* $variant, )* }

        impl Code {
            /// All codes, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable kebab-case name.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity a code has unless `goalpost.toml [lints]` says otherwise.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// Practice lints can be re-levelled or turned off in `[lints]`; errors cannot.
            pub fn is_lint(self) -> bool {
                match self { $(Code::$variant => is_lint!($($lint)?),)* }
            }

            /// Looks a code up by its kebab-case name.
            pub fn from_name(name: &str) -> Option<Code> {
                match name { $($name => Some(Code::$variant),)* _ => None }
            }
        }

        check_codes!([] $($variant $($lint)?;)*);
    };
}

/// Whether a code is written `lint` in `codes!`.
macro_rules! is_lint {
    (lint) => {
        true
    };
    () => {
        false
    };
}

/// Collects the codes not written `lint` into [`CheckCode`] (a tt-muncher: one code per
/// step, kept or skipped).
macro_rules! check_codes {
    ([$($kept:ident)*]) => {
        /// The codes that are not practice lints: the problems validation, loading and the
        /// history rules find. A `match` on it is exhaustive without a fallback, so a new
        /// code without an explanation in `crate::explain` does not compile.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum CheckCode { $($kept,)* }

        impl Code {
            /// This code as a [`CheckCode`]; `None` for a practice lint.
            pub fn check(self) -> Option<CheckCode> {
                match self {
                    $(Code::$kept => Some(CheckCode::$kept),)*
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }
    };
    ([$($kept:ident)*] $variant:ident lint; $($rest:tt)*) => {
        check_codes!([$($kept)*] $($rest)*);
    };
    ([$($kept:ident)*] $variant:ident; $($rest:tt)*) => {
        check_codes!([$($kept)* $variant] $($rest)*);
    };
}

codes! {
    // -- reading files ------------------------------------------------------------------
    /// The file is not valid YAML (unclosed quote, tab indentation, several documents, ...).
    YamlSyntax = "yaml-syntax", Error;
    /// A size, count, nesting or alias-expansion bound was exceeded.
    ResourceLimit = "resource-limit", Error;
    /// The file is not UTF-8 text (UTF-16, Latin-1, NUL bytes).
    InvalidEncoding = "invalid-encoding", Error;
    /// The file is empty or holds only comments.
    EmptyFile = "empty-file", Error;
    /// A symlink that is not followed: it leaves the repository, leads to a hidden file,
    /// loops or dangles (SPEC 10).
    SymlinkEscape = "symlink-escape", Error;
    /// No goal file under the configured roots (a run from the wrong directory).
    NoGoalFiles = "no-goal-files", Error;
    // -- shape of the YAML ----------------------------------------------------------------
    /// A mapping has the same key twice.
    DuplicateKey = "duplicate-key", Error;
    /// A key goalpost does not know (often a typo).
    UnknownKey = "unknown-key", Error;
    /// A value has the wrong type (a string where a number belongs, a list for a map, ...).
    InvalidType = "invalid-type", Error;
    /// A key is written with no value.
    MissingValue = "missing-value", Error;
    /// A required key is absent.
    MissingField = "missing-field", Error;
    /// A number is NaN, infinite or overflows.
    NonFiniteNumber = "non-finite-number", Error;
    // -- values -----------------------------------------------------------------------------
    /// An id or team is not a slug.
    InvalidSlug = "invalid-slug", Error;
    /// A reference is not of the form `team/id` or `team/objective/kr`.
    InvalidRef = "invalid-ref", Error;
    /// A date is not a real `YYYY-MM-DD` calendar date.
    InvalidDate = "invalid-date", Error;
    /// A period is malformed or names no period defined in goalpost.toml.
    InvalidPeriod = "invalid-period", Error;
    /// A number is outside its allowed range (confidence, weight).
    OutOfRange = "out-of-range", Error;
    /// A metric key result with `start` equal to `target`.
    StartEqualsTarget = "start-equals-target", Error;
    /// A KPI's `critical` threshold is on the good side of its target, or equal to it.
    CriticalWrongSide = "critical-wrong-side", Error;
    /// A milestone key result with metric fields (start, target, unit, kpi).
    MilestoneWithMetric = "milestone-with-metric", Error;
    /// A `due` date on a metric key result (only milestones take one).
    DueOnMetric = "due-on-metric", Error;
    /// A milestone's `due` date outside its objective's period.
    DueOutsidePeriod = "due-outside-period", Error;
    /// A revision dated outside its key result's period.
    RevisionOutsidePeriod = "revision-outside-period", Error;
    /// A drop dated outside its item's period.
    DropOutsidePeriod = "drop-outside-period", Error;
    /// A revision or drop whose reason is empty.
    EmptyReason = "empty-reason", Error;
    /// A revision that names neither a target nor a start.
    EmptyRevision = "empty-revision", Error;
    /// Two revisions of one key result on one date.
    DuplicateRevision = "duplicate-revision", Error;
    /// A revision on or after its key result's drop date.
    RevisionAfterDrop = "revision-after-drop", Error;
    /// `cadence` on a key result that takes its values from a KPI.
    CadenceOnLinkedKr = "cadence-on-linked-kr", Error;
    // -- references and identity -------------------------------------------------------------
    /// Two items share an id where ids must be unique.
    DuplicateId = "duplicate-id", Error;
    /// A reference names nothing that is defined.
    UnknownRef = "unknown-ref", Error;
    /// Objectives' `parent` links form a cycle.
    ParentCycle = "parent-cycle", Error;
    /// A ref names an upstream that has no snapshot (or no pin in goalpost.lock).
    UpstreamMissing = "upstream-missing", Error;
    /// An upstream snapshot differs from what goalpost.lock pins.
    UpstreamModified = "upstream-modified", Error;
    /// An upstream snapshot's goal files do not validate.
    UpstreamInvalid = "upstream-invalid", Error;
    // -- check-ins -------------------------------------------------------------------------
    /// A check-in's fields do not fit its target (value vs done).
    InvalidCheckin = "invalid-checkin", Error;
    /// A key result linked to a KPI has check-ins of its own.
    LinkedKrCheckin = "linked-kr-checkin", Error;
    /// A key-result check-in dated outside its objective's period.
    CheckinOutsidePeriod = "checkin-outside-period", Error;
    /// The same check-in written twice (counted once).
    DuplicateCheckin = "duplicate-checkin", Warning;
    /// Two different check-ins of one item on one date, and no correction settles them.
    ConflictingCheckin = "conflicting-checkin", Error;
    /// A correction with no check-in of the same item and date to correct.
    OrphanCorrection = "orphan-correction", Error;
    /// A check-in dated after today (the clock or `GOALPOST_TODAY`, not `--as-of`).
    FutureCheckin = "future-checkin", Warning;
    // -- configuration -----------------------------------------------------------------------
    /// goalpost.toml is malformed or has unknown keys or values.
    InvalidConfig = "invalid-config", Error;
    // -- practice lints ----------------------------------------------------------------------
    // Each is described once, by its `LINT` in src/lint/<code>.rs (code, default severity,
    // summary, explain text), listed in `lint::REGISTRY` (a test checks).
    ObjectiveCount = "objective-count", Warning, lint;
    KrCount = "kr-count", Warning, lint;
    TooManyKpis = "too-many-kpis", Warning, lint;
    AllMilestones = "all-milestones", Warning, lint;
    TaskLikeKr = "task-like-kr", Warning, lint;
    StaleCheckin = "stale-checkin", Warning, lint;
    UnscoredPeriod = "unscored-period", Warning, lint;
    Sandbagging = "sandbagging", Warning, lint;
    PromoteKpi = "promote-kpi", Warning, lint;
    GuardrailBreached = "guardrail-breached", Warning, lint;
    // -- history (check --base) --------------------------------------------------------------
    /// A check-in, revision or drop of the base revision was changed or deleted.
    HistoryRewritten = "history-rewritten", Error;
    GoalpostMoved = "goalpost-moved", Warning, lint;
    ClosedPeriodChanged = "closed-period-changed", Warning, lint;
    KrAddedMidPeriod = "kr-added-mid-period", Warning, lint;
    CheckinAfterDrop = "checkin-after-drop", Warning, lint;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// A place in a source file: 1-based line and column (in characters), plus the byte range
/// of the node so renderers can underline it. `file` indexes [`crate::load::Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: u32,
    pub line: u32,
    pub col: u32,
    pub start: u32,
    pub len: u32,
}

impl Span {
    /// No place: a run-level diagnostic (such as `no-goal-files` without a goalpost.toml).
    /// Renderers show no location for it, and JSON has `file`, `line` and `column` null.
    pub const NOWHERE: Span = Span {
        file: u32::MAX,
        line: 0,
        col: 0,
        start: 0,
        len: 0,
    };

    /// The start of file `file` (line 1, column 1): for what concerns a file as a whole (a
    /// size bound, a refused link, a file that cannot be read).
    pub fn file_start(file: u32) -> Span {
        Span {
            file,
            line: 1,
            col: 1,
            ..Span::default()
        }
    }

    pub fn is_nowhere(&self) -> bool {
        *self == Span::NOWHERE
    }
}

/// Another place a diagnostic points at, such as the first definition of a duplicate.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub span: Span,
    pub label: String,
}

/// One finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
    pub related: Vec<Related>,
    /// The fix the help proposes, when a tool can apply it (boxed: most diagnostics have
    /// none, and a diagnostic stays small enough to return by value).
    pub fix: Option<Box<Fix>>,
}

impl Diagnostic {
    /// A diagnostic at its code's default severity.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            span,
            message: message.into(),
            help: None,
            related: Vec::new(),
            fix: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            label: label.into(),
        });
        self
    }

    /// Proposes `fix` (see [`Fix`]).
    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(Box::new(fix));
        self
    }

    /// Proposes `replacement` for what the diagnostic's span covers.
    pub fn replace_with(self, replacement: impl Into<String>) -> Self {
        let span = self.span;
        self.fix(Fix::Replace {
            span,
            replacement: replacement.into(),
        })
    }

    /// "did you mean `s`?" as the help, and `s` in place of what the span covers as the fix
    /// (none when `s` holds a backtick, which the help cannot quote).
    pub fn did_you_mean(self, s: &str) -> Self {
        let d = self.help(format!("did you mean `{s}`?"));
        if s.contains('`') {
            d
        } else {
            d.replace_with(s)
        }
    }
}

/// A fix a diagnostic proposes, set where the diagnostic is raised, beside the help that
/// says it in words: what tools that apply fixes (the editor's code actions) offer.
#[derive(Debug, Clone, PartialEq)]
pub enum Fix {
    /// Write `replacement` in place of what `span` covers: a "did you mean", a number
    /// written as a string (`"60%"`, `"1,200"`, `"4,9"`, `"42"`), an id that is not a slug.
    Replace { span: Span, replacement: String },
    /// Add `line` (such as `title: Grow revenue`) to the block mapping whose first key is
    /// at `span`, below that key: a missing field.
    AddLine { span: Span, line: String },
}

impl Code {
    /// Whether this problem stops goalpost from reading a file (or any file) at all: the
    /// root cause of whatever else looks missing, so it is listed first.
    pub fn is_root_cause(self) -> bool {
        matches!(
            self,
            Code::NoGoalFiles
                | Code::YamlSyntax
                | Code::InvalidEncoding
                | Code::ResourceLimit
                | Code::SymlinkEscape
        )
    }
}

/// Sorts diagnostics so output is deterministic: files that could not be read first (see
/// [`Code::is_root_cause`]), then by file, line, column and code.
pub(crate) fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(order);
}

/// The order of [`sort`], for sorting references to diagnostics too.
pub(crate) fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    let key = |d: &Diagnostic| {
        (
            !d.code.is_root_cause(),
            d.span.file,
            d.span.line,
            d.span.col,
        )
    };
    (key(a), a.code, &a.message).cmp(&(key(b), b.code, &b.message))
}

/// Words longer than this get no "did you mean": every name goalpost knows is shorter, and
/// the edit distance costs time and memory proportional to the product of the two lengths.
pub(crate) const MAX_SUGGEST_CHARS: usize = 128;

/// The closest candidate within a small edit distance, for "did you mean" hints.
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let len = word.chars().count();
    if len > MAX_SUGGEST_CHARS {
        return None;
    }
    let limit = (len / 3).clamp(1, 4);
    candidates
        .into_iter()
        // The distance is at least the difference in length: skip the hopeless (and the huge)
        // without computing it.
        .filter(|c| c.len() <= 4 * (len + limit) && c.chars().count().abs_diff(len) <= limit)
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Edit distance over characters where swapping two neighbours counts as one edit
/// (optimal string alignment), so `titel` is one step from `title`. strsim's, which clap
/// already links for its own "did you mean".
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_kebab_case() {
        for &code in Code::ALL {
            assert_eq!(Code::from_name(code.name()), Some(code));
            assert!(
                code.name()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-')
            );
        }
    }

    /// The README's table of codes is the documentation users read: it must list exactly
    /// the real codes, with their default severities.
    #[test]
    fn readme_lists_every_code() {
        let readme = include_str!("../README.md");
        let section = readme
            .split("## Diagnostic codes")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .expect("README has a Diagnostic codes section");
        let listed: Vec<(String, String)> = section
            .lines()
            .filter_map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                let code = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
                Some((code.to_owned(), cells.get(2)?.to_string()))
            })
            .collect();
        let real: Vec<(String, String)> = Code::ALL
            .iter()
            .map(|c| (c.name().to_owned(), c.default_severity().to_string()))
            .collect();
        assert_eq!(listed, real);
    }

    /// A "did you mean" proposes its word as the fix, unless the help cannot quote it.
    #[test]
    fn did_you_mean_sets_the_fix_it_names() {
        let span = Span {
            file: 0,
            line: 3,
            col: 5,
            start: 40,
            len: 5,
        };
        let d =
            Diagnostic::new(Code::UnknownKey, span, "unknown key `titel`").did_you_mean("title");
        assert_eq!(d.help.as_deref(), Some("did you mean `title`?"));
        assert_eq!(
            d.fix.as_deref(),
            Some(&Fix::Replace {
                span,
                replacement: "title".to_owned()
            })
        );
        let d = Diagnostic::new(Code::UnknownRef, span, "x").did_you_mean("a`b");
        assert_eq!(d.help.as_deref(), Some("did you mean `a`b`?"));
        assert_eq!(d.fix, None);
    }

    #[test]
    fn suggestions_pick_the_closest() {
        assert_eq!(suggest("titel", ["title", "team", "owner"]), Some("title"));
        assert_eq!(suggest("zzzzzz", ["title", "team"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("titel", "title"), 1);
    }

    #[test]
    fn suggestions_stay_cheap_for_huge_words() {
        // A 16 MiB misspelt key once made a (16 Mi × 6)-cell table: gigabytes.
        let huge = "t".repeat(16 << 20);
        assert_eq!(suggest(&huge, ["title", "team"]), None);
        assert_eq!(suggest("title", [huge.as_str(), "titel"]), Some("titel"));
        let long = "x".repeat(MAX_SUGGEST_CHARS + 1);
        assert_eq!(suggest(&long, [long.as_str()]), None);
    }
}
