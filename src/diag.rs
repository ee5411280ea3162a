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
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $sev:ident, $lint:tt; )*) => {
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
                match self { $(Code::$variant => $lint,)* }
            }

            /// Looks a code up by its kebab-case name.
            pub fn from_name(name: &str) -> Option<Code> {
                match name { $($name => Some(Code::$variant),)* _ => None }
            }
        }

        check_codes!([] $($variant $lint;)*);
    };
}

/// Collects the codes whose lint flag is `false` into [`CheckCode`] (a tt-muncher: one code
/// per step, kept or skipped by its flag).
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
    ([$($kept:ident)*] $variant:ident false; $($rest:tt)*) => {
        check_codes!([$($kept)* $variant] $($rest)*);
    };
    ([$($kept:ident)*] $variant:ident true; $($rest:tt)*) => {
        check_codes!([$($kept)*] $($rest)*);
    };
}

codes! {
    // -- reading files ------------------------------------------------------------------
    /// The file is not valid YAML (unclosed quote, tab indentation, several documents, ...).
    YamlSyntax = "yaml-syntax", Error, false;
    /// A size, count, nesting or alias-expansion bound was exceeded.
    ResourceLimit = "resource-limit", Error, false;
    /// The file is not UTF-8 text (UTF-16, Latin-1, NUL bytes).
    InvalidEncoding = "invalid-encoding", Error, false;
    /// The file is empty or holds only comments.
    EmptyFile = "empty-file", Error, false;
    /// A symlink that is not followed: it leaves the repository, leads to a hidden file,
    /// loops or dangles (SPEC 10).
    SymlinkEscape = "symlink-escape", Error, false;
    /// No goal file under the configured roots (a run from the wrong directory).
    NoGoalFiles = "no-goal-files", Error, false;
    // -- shape of the YAML ----------------------------------------------------------------
    /// A mapping has the same key twice.
    DuplicateKey = "duplicate-key", Error, false;
    /// A key goalpost does not know (often a typo).
    UnknownKey = "unknown-key", Error, false;
    /// A value has the wrong type (a string where a number belongs, a list for a map, ...).
    InvalidType = "invalid-type", Error, false;
    /// A key is written with no value.
    MissingValue = "missing-value", Error, false;
    /// A required key is absent.
    MissingField = "missing-field", Error, false;
    /// A number is NaN, infinite or overflows.
    NonFiniteNumber = "non-finite-number", Error, false;
    // -- values -----------------------------------------------------------------------------
    /// An id or team is not a slug.
    InvalidSlug = "invalid-slug", Error, false;
    /// A reference is not of the form `team/id` or `team/objective/kr`.
    InvalidRef = "invalid-ref", Error, false;
    /// A date is not a real `YYYY-MM-DD` calendar date.
    InvalidDate = "invalid-date", Error, false;
    /// A period is malformed or names no period defined in goalpost.toml.
    InvalidPeriod = "invalid-period", Error, false;
    /// A number is outside its allowed range (confidence, weight).
    OutOfRange = "out-of-range", Error, false;
    /// A metric key result with `start` equal to `target`.
    StartEqualsTarget = "start-equals-target", Error, false;
    /// A KPI's `critical` threshold is on the good side of its target, or equal to it.
    CriticalWrongSide = "critical-wrong-side", Error, false;
    /// A milestone key result with metric fields (start, target, unit, kpi).
    MilestoneWithMetric = "milestone-with-metric", Error, false;
    /// A `due` date on a metric key result (only milestones take one).
    DueOnMetric = "due-on-metric", Error, false;
    /// A milestone's `due` date outside its objective's period.
    DueOutsidePeriod = "due-outside-period", Error, false;
    // -- references and identity -------------------------------------------------------------
    /// Two items share an id where ids must be unique.
    DuplicateId = "duplicate-id", Error, false;
    /// A reference names nothing that is defined.
    UnknownRef = "unknown-ref", Error, false;
    /// Objectives' `parent` links form a cycle.
    ParentCycle = "parent-cycle", Error, false;
    // -- check-ins -------------------------------------------------------------------------
    /// A check-in's fields do not fit its target (value vs done).
    InvalidCheckin = "invalid-checkin", Error, false;
    /// A key result linked to a KPI has check-ins of its own.
    LinkedKrCheckin = "linked-kr-checkin", Error, false;
    /// A key-result check-in dated outside its objective's period.
    CheckinOutsidePeriod = "checkin-outside-period", Error, false;
    /// The same check-in written twice (counted once).
    DuplicateCheckin = "duplicate-checkin", Warning, false;
    /// Two different check-ins of one item on one date, and no correction settles them.
    ConflictingCheckin = "conflicting-checkin", Error, false;
    /// A correction with no check-in of the same item and date to correct.
    OrphanCorrection = "orphan-correction", Error, false;
    /// A check-in dated after today (the clock or `GOALPOST_TODAY`, not `--as-of`).
    FutureCheckin = "future-checkin", Warning, false;
    // -- configuration -----------------------------------------------------------------------
    /// goalpost.toml is malformed or has unknown keys or values.
    InvalidConfig = "invalid-config", Error, false;
    // -- practice lints ----------------------------------------------------------------------
    // Each also has a file in src/lint/ and a line in `lint::REGISTRY` (a test checks).
    /// More than 5 objectives for one team in one period.
    ObjectiveCount = "objective-count", Warning, true;
    /// An objective with fewer than 2 or more than 5 key results.
    KrCount = "kr-count", Warning, true;
    /// A team defines more than 8 KPIs.
    TooManyKpis = "too-many-kpis", Warning, true;
    /// Every key result of an objective is a milestone.
    AllMilestones = "all-milestones", Warning, true;
    /// A milestone key result whose title starts with an output verb.
    TaskLikeKr = "task-like-kr", Warning, true;
    /// A key result or KPI has not been checked in recently.
    StaleCheckin = "stale-checkin", Warning, true;
    /// A closed period has a key result with no check-in inside it.
    UnscoredPeriod = "unscored-period", Warning, true;
    /// A team's aspirational objectives all scored 1.0 two closed periods in a row.
    Sandbagging = "sandbagging", Warning, true;
    /// A worsening KPI that no open key result works on.
    PromoteKpi = "promote-kpi", Warning, true;
    /// An open objective's guardrail KPI is critical.
    GuardrailBreached = "guardrail-breached", Warning, true;
    // -- history (check --base) --------------------------------------------------------------
    /// A check-in that existed at the base revision was changed or deleted.
    HistoryRewritten = "history-rewritten", Error, false;
    /// A target or start moved while its period is open.
    GoalpostMoved = "goalpost-moved", Warning, true;
    /// A change alters a closed period's record: a check-in added inside it, or its grades.
    ClosedPeriodChanged = "closed-period-changed", Warning, true;
    /// A key result added more than 14 days into its period.
    KrAddedMidPeriod = "kr-added-mid-period", Warning, true;
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

    /// The text that the help proposes in place of what the span covers, for tools that
    /// apply fixes (the editor's code actions): "did you mean `X`?" and the hints for numbers
    /// written as strings ("60%", "1,200", "4,9", "\"42\"") and for ids that are not slugs.
    /// Read from the help, so that no message changes; a test in `crate::lsp::actions`
    /// keeps these forms in step with the texts the loader and validator write.
    pub fn suggestion(&self) -> Option<&str> {
        let help = self.help.as_deref()?;
        if let Some(rest) = help.strip_prefix("did you mean `") {
            return rest.strip_suffix("`?").filter(|r| !r.contains('`'));
        }
        const NUMBER_HINTS: [&str; 4] = [
            "write the number without the percent sign, ",
            "write the number without thousands separators: ",
            "write the decimal point as a dot: ",
            "remove the quotes: ",
        ];
        if let Some(rest) = NUMBER_HINTS.iter().find_map(|p| help.strip_prefix(p)) {
            return first_quoted(rest);
        }
        if self.code == Code::InvalidSlug {
            return help.split("for example `").nth(1)?.strip_suffix('`');
        }
        None
    }
}

/// The text of the first `` `…` `` in `s`.
fn first_quoted(s: &str) -> Option<&str> {
    let rest = s.strip_prefix('`')?;
    rest.split_once('`').map(|(q, _)| q)
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
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(order);
}

/// The order of [`sort`], for sorting references to diagnostics too.
pub fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
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
pub const MAX_SUGGEST_CHARS: usize = 128;

/// The closest candidate within a small edit distance, for "did you mean" hints.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
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
pub fn edit_distance(a: &str, b: &str) -> usize {
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
