//! The history rules of `check --base REV` (SPEC 9): check-ins are append-only, so one that
//! existed at the base and is now changed or deleted is a `history-rewritten` error; a key
//! result's start or target moved while its period is open is a `goalpost-moved` lint.
//! Diagnostics are located in the newer side's files (its [`Sources`]).

use super::{checkin_differences, describe_checkin, objective_key, pair_objectives};
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
    pub skipped: Vec<String>,
}

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
    let mut diags = rewritten(base, head, head_sources, base_name);
    let (moves, skipped) = moved(base, head, head_sources, base_name, as_of);
    if let Some(severity) = config.severity(Code::GoalpostMoved) {
        for mut d in moves {
            d.severity = severity;
            diags.push(d);
        }
    }
    History { diags, skipped }
}

/// A check-in's identity: the item's ref and the date.
type Key = (String, Date);

/// Every check-in of a side with its item's ref and the item's span.
fn all_checkins(g: &Goals) -> Vec<(Key, &Checkin, Span)> {
    let mut out = Vec::new();
    for o in &g.objectives {
        for kr in &o.key_results {
            let r = format!("{}/{}", o.reference(), kr.id);
            out.extend(
                kr.checkins
                    .iter()
                    .map(|c| ((r.clone(), c.date), c, kr.span)),
            );
        }
    }
    for k in &g.kpis {
        out.extend(
            k.checkins
                .iter()
                .map(|c| ((k.reference().to_string(), c.date), c, k.span)),
        );
    }
    out
}

fn rewritten(
    base: Tree,
    head: &Goals,
    head_sources: &mut Sources,
    base_name: &str,
) -> Vec<Diagnostic> {
    let now: HashMap<Key, (&Checkin, Span)> = all_checkins(head)
        .into_iter()
        .map(|(k, c, s)| (k, (c, s)))
        .collect();
    // Where each item is now, for check-ins deleted from it.
    let mut items: HashMap<String, Span> = HashMap::new();
    for o in &head.objectives {
        for kr in &o.key_results {
            items
                .entry(format!("{}/{}", o.reference(), kr.id))
                .or_insert(kr.span);
        }
    }
    for k in &head.kpis {
        items.insert(k.reference().to_string(), k.span);
    }
    let mut out = Vec::new();
    for ((reference, date), old, _) in all_checkins(base.goals) {
        let was = format!("{}:{}", base.sources.path(old.span.file), old.span.line);
        let help = "check-ins are an append-only history: restore the old check-in and add a new, later one (with a note) to correct it";
        match now.get(&(reference.clone(), date)) {
            Some((new, _)) => {
                let fields = checkin_differences(old, new);
                if fields.is_empty() {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        Code::HistoryRewritten,
                        new.span,
                        format!(
                            "the check-in of `{reference}` on {date} was changed since {base_name} ({} changed; it was: {})",
                            fields.join(", "),
                            describe_checkin(old)
                        ),
                    )
                    .help(help),
                );
            }
            None => {
                let old_path = base.sources.path(old.span.file).to_owned();
                let span = deleted_at(head_sources, &old_path, items.get(&reference).copied());
                out.push(
                    Diagnostic::new(
                        Code::HistoryRewritten,
                        span,
                        format!(
                            "the check-in of `{reference}` on {date} ({}) was deleted since {base_name} (it was at {was})",
                            describe_checkin(old)
                        ),
                    )
                    .help(help),
                );
            }
        }
    }
    out
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

/// `goalpost-moved` diagnostics, and the key results not compared because they were
/// invalid at the base.
fn moved(
    base_tree: Tree,
    head: &Goals,
    sources: &Sources,
    base_name: &str,
    as_of: Date,
) -> (Vec<Diagnostic>, Vec<String>) {
    let mut parsed: HashMap<u32, Option<RawFile>> = HashMap::new();
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    let base = base_tree.goals;
    for (b, h) in pair_objectives(base, head) {
        let (Some(b), Some(h)) = (b, h) else { continue };
        let (bo, ho) = (&base.objectives[b], &head.objectives[h]);
        debug_assert_eq!(objective_key(bo), objective_key(ho));
        if !ho.period.contains(as_of) {
            continue;
        }
        for kr in &ho.key_results {
            let Some(old) = bo.key_results.iter().find(|k| k.id == kr.id) else {
                continue;
            };
            // Its start and target there were placeholders, not what was written.
            if base_tree.flawed.contains(&old.span) {
                skipped.push(format!("{}/{}", ho.reference(), kr.id));
                continue;
            }
            let (Some((s0, t0)), Some((s1, t1))) =
                (old.kind.start_target(), kr.kind.start_target())
            else {
                continue;
            };
            for (name, from, to) in [("start", s0, s1), ("target", t0, t1)] {
                if from == to {
                    continue;
                }
                let span = value_span(sources, &mut parsed, kr.span, name).unwrap_or(kr.span);
                out.push(
                    Diagnostic::new(
                        Code::GoalpostMoved,
                        span,
                        format!(
                            "the {name} of `{}/{}` moved from {} to {} since {base_name}, while {} is open",
                            ho.reference(),
                            kr.id,
                            num(from),
                            num(to),
                            ho.period.name
                        ),
                    )
                    .help("changing a target inside its period hides a miss: keep it, and report a low `confidence` on check-ins instead (or explain the change in review)"),
                );
            }
        }
    }
    (out, skipped)
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
