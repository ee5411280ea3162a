//! `goalpost explain CODE`: what each diagnostic means, why it matters and how to fix it,
//! with a short example. Every code in [`Code::ALL`] has an entry (a test checks). The
//! texts of practice lints live beside their checks, in [`crate::lint::REGISTRY`]; those of
//! the other codes are one file per code, `src/explain/<code>.md`, chosen by an exhaustive
//! `match` on [`CheckCode`] (a code without its file does not compile). This module answers
//! for all of them.
//!
//! Each text is: a one-line summary (shown by `goalpost explain` without a code), a blank
//! line, a paragraph, a blank line and an example indented by four spaces, so that it reads
//! as a block both in a terminal and in Markdown.

use crate::diag::{CheckCode, Code};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The explanation of `code`: its summary line, a blank line, then [`details`].
pub(crate) fn explain(code: Code) -> &'static str {
    match code.check() {
        Some(check) => check_text(check),
        // A lint code has a registry entry (`registry_agrees_with_codes` in `crate::lint`).
        None => LINT_TEXTS.get(&code).map_or("", String::as_str),
    }
}

/// The whole texts of the practice lints, put together once from their registry entries
/// (which keep the summary and the details apart).
static LINT_TEXTS: LazyLock<HashMap<Code, String>> = LazyLock::new(|| {
    crate::lint::REGISTRY
        .iter()
        .map(|l| (l.code, format!("{}\n\n{}", l.summary, l.explain)))
        .collect()
});

/// The one-line summary of `code`, without a final period.
pub(crate) fn summary(code: Code) -> &'static str {
    parts(code).0
}

/// What follows the summary: a paragraph, a blank line and an example.
#[cfg(test)]
pub(crate) fn details(code: Code) -> &'static str {
    parts(code).1
}

fn parts(code: Code) -> (&'static str, &'static str) {
    let Some(check) = code.check() else {
        return crate::lint::entry(code).map_or(("", ""), |lint| (lint.summary, lint.explain));
    };
    let text = check_text(check);
    text.split_once("\n\n").unwrap_or((text, ""))
}

/// The text of a code that is not a practice lint: its summary, a blank line, its details.
fn check_text(code: CheckCode) -> &'static str {
    let text = match code {
        // -- reading files ------------------------------------------------------------------
        CheckCode::YamlSyntax => include_str!("explain/yaml-syntax.md"),
        CheckCode::ResourceLimit => include_str!("explain/resource-limit.md"),
        CheckCode::InvalidEncoding => include_str!("explain/invalid-encoding.md"),
        CheckCode::EmptyFile => include_str!("explain/empty-file.md"),
        CheckCode::SymlinkEscape => include_str!("explain/symlink-escape.md"),
        CheckCode::NoGoalFiles => include_str!("explain/no-goal-files.md"),
        // -- shape of the YAML ----------------------------------------------------------------
        CheckCode::DuplicateKey => include_str!("explain/duplicate-key.md"),
        CheckCode::UnknownKey => include_str!("explain/unknown-key.md"),
        CheckCode::InvalidType => include_str!("explain/invalid-type.md"),
        CheckCode::MissingValue => include_str!("explain/missing-value.md"),
        CheckCode::MissingField => include_str!("explain/missing-field.md"),
        CheckCode::NonFiniteNumber => include_str!("explain/non-finite-number.md"),
        // -- values -----------------------------------------------------------------------------
        CheckCode::InvalidSlug => include_str!("explain/invalid-slug.md"),
        CheckCode::InvalidRef => include_str!("explain/invalid-ref.md"),
        CheckCode::InvalidDate => include_str!("explain/invalid-date.md"),
        CheckCode::InvalidPeriod => include_str!("explain/invalid-period.md"),
        CheckCode::OutOfRange => include_str!("explain/out-of-range.md"),
        CheckCode::StartEqualsTarget => include_str!("explain/start-equals-target.md"),
        CheckCode::CriticalWrongSide => include_str!("explain/critical-wrong-side.md"),
        CheckCode::MilestoneWithMetric => include_str!("explain/milestone-with-metric.md"),
        CheckCode::DueOnMetric => include_str!("explain/due-on-metric.md"),
        CheckCode::DueOutsidePeriod => include_str!("explain/due-outside-period.md"),
        CheckCode::RevisionOutsidePeriod => include_str!("explain/revision-outside-period.md"),
        CheckCode::DropOutsidePeriod => include_str!("explain/drop-outside-period.md"),
        CheckCode::EmptyReason => include_str!("explain/empty-reason.md"),
        CheckCode::EmptyRevision => include_str!("explain/empty-revision.md"),
        CheckCode::DuplicateRevision => include_str!("explain/duplicate-revision.md"),
        CheckCode::RevisionAfterDrop => include_str!("explain/revision-after-drop.md"),
        CheckCode::CadenceOnLinkedKr => include_str!("explain/cadence-on-linked-kr.md"),
        // -- references and identity -------------------------------------------------------------
        CheckCode::DuplicateId => include_str!("explain/duplicate-id.md"),
        CheckCode::UnknownRef => include_str!("explain/unknown-ref.md"),
        CheckCode::ParentCycle => include_str!("explain/parent-cycle.md"),
        CheckCode::UpstreamMissing => include_str!("explain/upstream-missing.md"),
        CheckCode::UpstreamModified => include_str!("explain/upstream-modified.md"),
        CheckCode::UpstreamInvalid => include_str!("explain/upstream-invalid.md"),
        // -- check-ins -------------------------------------------------------------------------
        CheckCode::InvalidCheckin => include_str!("explain/invalid-checkin.md"),
        CheckCode::LinkedKrCheckin => include_str!("explain/linked-kr-checkin.md"),
        CheckCode::CheckinOutsidePeriod => include_str!("explain/checkin-outside-period.md"),
        CheckCode::DuplicateCheckin => include_str!("explain/duplicate-checkin.md"),
        CheckCode::ConflictingCheckin => include_str!("explain/conflicting-checkin.md"),
        CheckCode::OrphanCorrection => include_str!("explain/orphan-correction.md"),
        CheckCode::FutureCheckin => include_str!("explain/future-checkin.md"),
        // -- configuration -----------------------------------------------------------------------
        CheckCode::InvalidConfig => include_str!("explain/invalid-config.md"),
        // -- history (check --base) --------------------------------------------------------------
        CheckCode::HistoryRewritten => include_str!("explain/history-rewritten.md"),
    };
    // The files end with a newline, the texts do not.
    text.strip_suffix('\n').unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_well_formed_entry() {
        for &code in Code::ALL {
            let text = explain(code);
            let lines: Vec<&str> = text.lines().collect();
            let name = code.name();
            assert!(lines.len() >= 5, "{name}: too short");
            assert!(lines.len() <= 27, "{name}: {} lines", lines.len());
            let summary = lines[0];
            assert!(
                !summary.is_empty() && summary.chars().count() <= 80,
                "{name}: summary must be one line of at most 80 characters"
            );
            assert!(
                !summary.ends_with('.'),
                "{name}: summary ends with a period"
            );
            assert_eq!(
                summary,
                super::summary(code),
                "{name}: the summary is one line"
            );
            assert_eq!(lines[1], "", "{name}: blank line after the summary");
            assert_ne!(lines[2], "", "{name}: one blank line after the summary");
            assert!(
                lines.iter().any(|l| l.starts_with("    ")),
                "{name}: an example indented by four spaces"
            );
            assert!(
                lines.iter().all(|l| l.chars().count() <= 92),
                "{name}: a line is too long for a terminal"
            );
            assert_eq!(text, text.trim(), "{name}: no surrounding blank space");
        }
    }

    /// Each file in `src/explain/` is the text of a code that is not a lint, word for word:
    /// none is left over when a code is renamed or removed.
    #[test]
    fn every_explain_file_is_a_check_code() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/explain");
        let mut files = 0;
        for entry in std::fs::read_dir(dir).expect("src/explain is a directory") {
            let path = entry.expect("a directory entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .expect("a UTF-8 name");
            let code = name.strip_suffix(".md").and_then(Code::from_name);
            let Some(code) = code.filter(|c| c.check().is_some()) else {
                panic!("src/explain/{name} is not named after a code that is not a lint");
            };
            let text = std::fs::read_to_string(&path).expect("a text file");
            assert_eq!(format!("{}\n", explain(code)), text, "{name}");
            files += 1;
        }
        let checks = Code::ALL.iter().filter(|c| c.check().is_some()).count();
        assert_eq!(files, checks);
    }

    #[test]
    fn summaries_are_distinct() {
        let mut seen = std::collections::HashSet::new();
        for &code in Code::ALL {
            assert!(
                seen.insert(summary(code)),
                "{}: repeated summary",
                code.name()
            );
        }
    }
}
