//! The history rules of `check --base REV` (SPEC 9), judged on what the engine
//! ([`super::compare_with`], matching by ref: no renames) says changed: check-ins are
//! append-only, so one that existed at the base and is now changed or deleted is a
//! `history-rewritten` error; a key result's start or target moved while its period is open
//! is a `goalpost-moved` lint. Key results that did not validate at the base are not judged
//! for moves (their values there were placeholders). Diagnostics are located in the newer
//! side's files (its [`Sources`]).

use super::change::{Field, ItemChange, ItemKind};
use super::{Options, Side, compare_with};
use crate::config::Config;
use crate::diag::{Code, Diagnostic, Span};
use crate::load::raw::RawFile;
use crate::load::{SourceFile, Sources};
use crate::model::*;
use crate::text::num;
use std::collections::{HashMap, HashSet};

/// One side of the comparison: goals and the files they were read from.
#[derive(Clone, Copy)]
pub struct Tree<'a> {
    pub goals: &'a Goals,
    pub sources: &'a Sources,
    /// Items built with placeholder values there ([`crate::validate::Validated::flawed`]).
    pub flawed: &'a HashSet<Span>,
}

/// What the history rules found.
#[derive(Debug, Default)]
pub struct History {
    pub diags: Vec<Diagnostic>,
    /// Refs of key results that were invalid at the base (read with placeholder values,
    /// [`Tree::flawed`]) and so not compared for moved starts or targets. Their check-ins
    /// that were read there are still compared.
    pub skipped: Vec<Ref>,
}

/// The help of `history-rewritten`: put the old check-in back and correct it the one way
/// that keeps it (SPEC 3.2).
fn rewritten_help(reference: &Ref, date: Date) -> String {
    format!(
        "check-ins are an append-only history: restore the old check-in, then append a correction with `goalpost checkin {reference} VALUE --date {date} --correct REASON` (it keeps the original and records why)"
    )
}
const MOVED_HELP: &str = "changing a target inside its period hides a miss: keep it, and report a low `confidence` on check-ins instead (or explain the change in review)";

/// Runs both history rules. `base_name` names the base revision in messages; new entries
/// may be added to `head_sources` for files that no longer exist (so a deletion has a
/// place to point at).
pub fn history(
    base: Tree,
    head: &Goals,
    head_sources: &mut Sources,
    base_name: &str,
    as_of: Date,
    config: &Config,
) -> History {
    let changes = compare_with(
        Side::unscored(base.goals),
        Side::unscored(head),
        Options {
            renames: false,
            as_of,
            flawed: Some(base.flawed),
        },
    );
    let moved_severity = config.severity(Code::GoalpostMoved);
    let mut out = History::default();
    let mut parsed: HashMap<u32, Option<RawFile>> = HashMap::new();
    for c in &changes {
        rewritten(c, base.sources, head_sources, base_name, &mut out.diags);
        if c.kind != ItemKind::KeyResult {
            continue;
        }
        if c.base_flawed {
            if period_open(head, c, as_of) {
                out.skipped.push(c.reference.clone());
            }
            continue;
        }
        if !c.goalpost_moved {
            continue;
        }
        let Some(severity) = moved_severity else {
            continue;
        };
        let span = c.head_span.unwrap_or_default();
        for f in &c.fields {
            let (name, m) = match f {
                Field::Start(m) => ("start", m),
                Field::Target(m) => ("target", m),
                _ => continue,
            };
            let at = value_span(head_sources, &mut parsed, span, name).unwrap_or(span);
            let mut d = Diagnostic::new(
                Code::GoalpostMoved,
                at,
                format!(
                    "the {name} of `{}` moved from {} to {} since {base_name}, while {} is open",
                    c.reference,
                    num(m.from),
                    num(m.to),
                    c.period.as_deref().unwrap_or_default()
                ),
            )
            .help(MOVED_HELP);
            d.severity = severity;
            out.diags.push(d);
        }
    }
    out
}

/// Whether the period of a key result's objective (on the newer side) is open at `as_of`.
fn period_open(head: &Goals, c: &ItemChange, as_of: Date) -> bool {
    let Some(name) = &c.period else { return false };
    head.objectives
        .iter()
        .find(|o| &o.period.name == name)
        .is_some_and(|o| o.period.contains(as_of))
}

/// `history-rewritten` for each check-in of the base that is now changed or gone.
fn rewritten(
    c: &ItemChange,
    base_sources: &Sources,
    head_sources: &mut Sources,
    base_name: &str,
    out: &mut Vec<Diagnostic>,
) {
    let reference = c.reference_at_base();
    for ch in &c.checkins.changed {
        // What was rewritten may be an original behind a correction: name that one.
        let (old, new) = super::first_difference(&ch.from, &ch.to);
        let mut parts: Vec<&str> = super::checkin_differences(old, new)
            .into_iter()
            .map(|p| p.as_str())
            .collect();
        if parts.is_empty() {
            // The same entries as far as both go: one side wrote more for that date.
            parts.push("history");
        }
        out.push(
            Diagnostic::new(
                Code::HistoryRewritten,
                new.span,
                format!(
                    "the check-in of `{reference}` on {} was changed since {base_name} ({} changed; it was: {})",
                    old.date,
                    parts.join(", "),
                    describe_checkin(old)
                ),
            )
            .help(rewritten_help(reference, old.date)),
        );
    }
    for old in &c.checkins.removed {
        let old_path = base_sources.path(old.span.file).to_owned();
        let was = format!("{old_path}:{}", old.span.line);
        let span = deleted_at(head_sources, &old_path, c.head_span);
        out.push(
            Diagnostic::new(
                Code::HistoryRewritten,
                span,
                format!(
                    "the check-in of `{reference}` on {} ({}) was deleted since {base_name} (it was at {was})",
                    old.date,
                    describe_checkin(old)
                ),
            )
            .help(rewritten_help(reference, old.date)),
        );
    }
}

/// A check-in in the words of a diagnostic: `value 6.1, confidence 0.6, note "price change"`.
pub fn describe_checkin(c: &Checkin) -> String {
    let mut parts = vec![match c.obs {
        Observation::Value(v) => format!("value {}", num(v)),
        Observation::Done(d) => format!("done {d}"),
    }];
    if let Some(x) = c.confidence {
        parts.push(format!("confidence {}", num(x)));
    }
    if let Some(n) = c.note() {
        parts.push(format!("note {n:?}"));
    }
    if let Some(b) = c.by() {
        parts.push(format!("by {b}"));
    }
    parts.join(", ")
}

/// Where to report a check-in deleted from `old_path`: at its item when the item is still
/// in that file, else at that file's `checkins:` list (or its first line), else at the item,
/// else at the path itself (a file that was deleted).
fn deleted_at(sources: &mut Sources, old_path: &str, item: Option<Span>) -> Span {
    let file = sources.files.iter().position(|f| f.path == old_path);
    match (file, item) {
        (Some(f), Some(span)) if span.file as usize == f => span,
        (Some(f), _) => {
            let text = &sources.files[f].text;
            let mut offset = 0;
            for (i, line) in text.split_inclusive('\n').enumerate() {
                if line.starts_with("checkins:") {
                    return Span {
                        file: f as u32,
                        line: i as u32 + 1,
                        col: 1,
                        start: offset as u32,
                        len: "checkins".len() as u32,
                    };
                }
                offset += line.len();
            }
            Span {
                file: f as u32,
                line: 1,
                col: 1,
                ..Span::default()
            }
        }
        (None, Some(span)) => span,
        (None, None) => {
            sources.files.push(SourceFile {
                path: old_path.to_owned(),
                text: String::new(),
            });
            Span {
                file: (sources.files.len() - 1) as u32,
                line: 1,
                col: 1,
                ..Span::default()
            }
        }
    }
}

/// The span of a key result's `start` or `target` value, found by parsing its file again
/// (the model keeps only the key result's own span).
fn value_span(
    sources: &Sources,
    parsed: &mut HashMap<u32, Option<RawFile>>,
    kr: Span,
    key: &str,
) -> Option<Span> {
    let raw = parsed
        .entry(kr.file)
        .or_insert_with(|| crate::load::parse_file(kr.file, sources.text(kr.file)).0)
        .as_ref()?;
    let found = raw
        .objectives
        .iter()
        .flatten()
        .flat_map(|o| o.key_results.iter().flatten())
        .find(|k| k.id.as_ref().is_some_and(|i| i.span == kr))?;
    let value = if key == "start" {
        &found.start
    } else {
        &found.target
    };
    value.as_ref().map(|v| v.span)
}
