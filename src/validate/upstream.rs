//! The upstream snapshots, validated and gathered (SPEC 13). Each snapshot is validated on
//! its own, with its own goalpost.toml, as its repository would be; one that does not
//! validate is a single `upstream-invalid` error naming its first problem, and refs into it
//! are not judged. The goals of those that validate are gathered into one
//! [`Upstream`](crate::model::Upstream), their teams written `NAME:team` and their refs
//! pointing into it, and this repository's refs `NAME:team/id` are resolved there.
//! Upstream goals are never linted: their warnings are dropped here.

use super::{Refs, Unread, validate_in};
use crate::diag::{Code, Diagnostic, Severity, Span};
use crate::load::Sources;
use crate::load::upstream::{State, short};
use crate::model::*;
use std::collections::{BTreeMap, HashMap};

/// The snapshots, ready for this repository's refs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Upstreams {
    pub upstream: Upstream,
    /// `NAME:team/kpi` → position in `upstream.kpis`.
    pub(super) kpis: HashMap<String, usize>,
    /// (`NAME:team`, id) → positions in `upstream.objectives`, one per period.
    pub(super) objectives: HashMap<(String, String), Vec<usize>>,
    /// (`NAME:team`, id, period) → the first of them in that period: a map, so that one id
    /// in thousands of periods, named by thousands of parents, stays linear.
    pub(super) in_period: HashMap<(String, String, String), usize>,
    /// Each upstream goalpost.toml declares, and what was found.
    pub(super) states: BTreeMap<String, Found>,
    /// Parents of upstream objectives that name this repository (`N:team/objective`, `N`
    /// this repository's `name`): the roll-up, resolved once this repository's goals are.
    pub(super) rollup: Vec<(usize, String, String)>,
    /// `upstream-invalid` errors, located in this repository's sources.
    pub diags: Vec<Diagnostic>,
}

/// What was found of an upstream.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Found {
    Missing,
    /// Reported already (modified, unreadable or invalid): refs into it are not judged.
    Broken,
    Ready {
        commit: String,
    },
}

/// Validates every snapshot and gathers those that validate. Files of the snapshots named
/// by a diagnostic are added to `sources`. `local_name` is this repository's `name`.
pub(crate) fn gather(
    snapshots: Vec<crate::load::upstream::Snapshot>,
    sources: &mut Sources,
    local_name: Option<&str>,
) -> Upstreams {
    let mut out = Upstreams::default();
    for crate::load::upstream::Snapshot { name, state } in snapshots {
        let (commit, loaded) = match state {
            State::Missing => {
                out.states.insert(name, Found::Missing);
                continue;
            }
            State::Broken => {
                out.states.insert(name, Found::Broken);
                continue;
            }
            State::Read { commit, loaded } => (commit, *loaded),
        };
        let prefix = format!("{}/{name}/", crate::config::upstreams::DIR);
        let Snapshot {
            goals,
            config,
            sources: snap_sources,
            diags: all,
            rollup,
        } = validate_snapshot(loaded, &name);
        if let Some(first) = all.iter().find(|d| d.severity == Severity::Error) {
            let file = sources.files.len() as u32;
            sources.files.push(crate::load::SourceFile {
                path: format!("{prefix}{}", snap_sources.path(first.span.file)),
                text: snap_sources.text(first.span.file).to_owned(),
            });
            let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
            let more = match errors {
                1 => String::new(),
                n => format!(" ({} more)", n - 1),
            };
            out.diags.push(
                Diagnostic::new(
                    Code::UpstreamInvalid,
                    Span { file, ..first.span },
                    format!(
                        "the snapshot of upstream `{name}` (at {}) does not validate: {}{more}",
                        short(&commit),
                        first.message
                    ),
                )
                .help(format!(
                    "upstream goals are fixed upstream: fix the goal files there, then run `goalpost upstream update {name}`"
                )),
            );
            out.states.insert(name, Found::Broken);
            continue;
        }
        // The snapshot's files, by path only (no text): the spans of its items point there.
        let base = sources.files.len() as u32;
        for f in &snap_sources.files {
            sources.files.push(crate::load::SourceFile {
                path: format!("{prefix}{}", f.path),
                text: String::new(),
            });
        }
        let (o0, k0) = (out.upstream.objectives.len(), out.upstream.kpis.len());
        let Goals {
            objectives,
            kpis,
            upstream: _, // a snapshot's own upstreams are not resolved (SPEC 13)
        } = goals;
        for (n, mut o) in objectives.into_iter().enumerate() {
            o.parent = o.parent.map(|p| ObjectiveId::upstream(o0 + p.index()));
            for g in &mut o.guardrails {
                *g = KpiId::upstream(k0 + g.index());
            }
            for kr in &mut o.key_results {
                kr.kpi = kr.kpi.map(|k| KpiId::upstream(k0 + k.index()));
            }
            move_spans_objective(&mut o, base);
            out.objectives
                .entry((o.team.clone(), o.id.clone()))
                .or_default()
                .push(o0 + n);
            out.in_period
                .entry((o.team.clone(), o.id.clone(), o.period.name.clone()))
                .or_insert(o0 + n);
            out.upstream.objectives.push(o);
        }
        for (n, mut k) in kpis.into_iter().enumerate() {
            move_spans_kpi(&mut k, base);
            out.kpis.insert(k.reference().to_string(), k0 + n);
            out.upstream.kpis.push(k);
        }
        for (o, team, id) in rollup {
            if crate::model::upstream_of(&team) == local_name {
                let team = team.split_once(':').map_or(team.as_str(), |(_, t)| t);
                out.rollup.push((o0 + o, team.to_owned(), id));
            }
        }
        out.upstream.pins.push(Pin {
            name: name.clone(),
            commit: commit.clone(),
            gaps: (config.at_risk_gap, config.off_track_gap),
        });
        out.states.insert(name, Found::Ready { commit });
    }
    out
}

/// A snapshot validated on its own (SPEC 13): its goals with their teams written
/// `NAME:team` (refs between them as validation made them), its goalpost.toml, its files
/// and every diagnostic of loading and validating it, sorted.
pub(crate) struct Snapshot {
    pub goals: Goals,
    pub config: crate::config::Config,
    pub sources: Sources,
    pub diags: Vec<Diagnostic>,
    /// Objectives whose parent names another repository (position, `NAME:team`, id).
    pub rollup: Vec<(usize, String, String)>,
}

impl Snapshot {
    /// Whether it validated.
    pub(crate) fn is_valid(&self) -> bool {
        self.diags.iter().all(|d| d.severity != Severity::Error)
    }
}

/// Validates a snapshot loaded from its own tree (`crate::load::upstream::load_snapshot`, or
/// an upstream's revision), as upstream `name`.
pub(crate) fn validate_snapshot(loaded: crate::load::Loaded, name: &str) -> Snapshot {
    let crate::load::Loaded {
        config,
        sources,
        files,
        diags: load_diags,
    } = loaded;
    let parsed: std::collections::HashSet<u32> = files.iter().map(|(f, _)| *f).collect();
    let mut unread = Unread::default();
    for (i, f) in sources.files.iter().enumerate() {
        if !parsed.contains(&(i as u32)) {
            unread.scan(&f.text);
        }
    }
    let v = validate_in(files, &config, unread, Refs::Snapshot);
    let mut diags = load_diags;
    diags.extend(v.diags);
    crate::diag::sort(&mut diags);
    let mut goals = v.goals;
    for o in &mut goals.objectives {
        o.team = format!("{name}:{}", o.team);
    }
    for k in &mut goals.kpis {
        k.team = format!("{name}:{}", k.team);
    }
    Snapshot {
        goals,
        config,
        sources,
        diags,
        rollup: v.rollup,
    }
}

fn move_span(s: &mut Span, base: u32) {
    s.file = s.file.saturating_add(base);
}

fn move_spans_objective(o: &mut Objective, base: u32) {
    move_span(&mut o.span, base);
    if let Some(d) = &mut o.dropped {
        move_span(&mut d.span, base);
    }
    for kr in &mut o.key_results {
        move_span(&mut kr.span, base);
        if let Some(d) = &mut kr.dropped {
            move_span(&mut d.span, base);
        }
        for r in &mut kr.revisions {
            move_span(&mut r.span, base);
        }
        for c in &mut kr.checkins {
            move_span(&mut c.span, base);
        }
    }
}

fn move_spans_kpi(k: &mut Kpi, base: u32) {
    move_span(&mut k.span, base);
    if let Some(s) = &mut k.source {
        move_span(&mut s.span, base);
    }
    for c in &mut k.checkins {
        move_span(&mut c.span, base);
    }
}
