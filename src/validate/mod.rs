//! Validation: raw files → the checked [`Goals`] model plus diagnostics. Every rule of the
//! goal-file format that spans values or files lives here: required fields, slugs, periods,
//! uniqueness (naming both places), references, parent cycles, KPI links and the check-in
//! rules. Lookups go through hash maps, so validation stays linear in the input.

mod checkins;
mod future;
mod sources;
mod unread;
pub(crate) mod upstream;

pub(crate) use future::future_checkins;
pub(crate) use unread::Unread;

use crate::config::Config;
use crate::diag::{Code, Diagnostic, Fix, Span, suggest};
use crate::load::lower::lower_file;
use crate::load::raw::Lowered;
use crate::load::raw::*;
use crate::model::*;
use crate::text::num_full;
use std::collections::{HashMap, HashSet};

/// The example title in the help for a key result without one.
const KR_TITLE_EXAMPLE: &str = "Reduce weekly support tickets from 250 to 150";
/// Inline check-ins waiting for their item to be built. Moved out of the raw files (never
/// copied: they are the largest part of the input), mostly lowered already; the lowered
/// vector becomes the item's own (BENCHMARKS.md).
struct Pending {
    checkins: Lowered,
}

struct PendingObjective {
    parent: Option<Sp<String>>,
    carried_from: Option<Sp<String>>,
    guardrails: Vec<Sp<String>>,
    /// Per key result: its `kpi:` link and inline check-ins.
    krs: Vec<(Option<Sp<String>>, Pending)>,
}

/// Validates raw files into the model. The model holds every item that could be built even
/// when there are errors (so lints can still run); callers must not score it when any
/// diagnostic is an error.
///
/// This copies the raw files; [`validate_owned`] does not.
pub fn validate(files: &[(u32, RawFile)], config: &Config) -> (Goals, Vec<Diagnostic>) {
    validate_owned(files.to_vec(), config)
}

/// [`validate`], consuming the raw files: their check-ins are freed as they are converted,
/// which keeps peak memory down on large repositories.
pub(crate) fn validate_owned(
    files: Vec<(u32, RawFile)>,
    config: &Config,
) -> (Goals, Vec<Diagnostic>) {
    let v = validate_with(files, config, Unread::default());
    (v.goals, v.diags)
}

/// How refs into upstreams (`NAME:team/id`, SPEC 13) are judged.
pub(crate) enum Refs {
    /// This repository's goals: resolved in the snapshots (none when `None`).
    Local(Option<Box<upstream::Upstreams>>),
    /// An upstream snapshot's own goals: refs to further upstreams are not resolved and
    /// not errors; parents are kept for the roll-up ([`Validated::rollup`]).
    Snapshot,
}

/// What [`validate_with`] found.
#[derive(Debug, Default)]
pub(crate) struct Validated {
    /// Every item that could be built, even when there are errors.
    pub goals: Goals,
    pub diags: Vec<Diagnostic>,
    /// Objectives, key results and KPIs (by their `span`) built with placeholder values
    /// because an error was reported in their own fields (a missing `target`, `start` equal
    /// to `target`, ...). Empty when there is no error. Comparisons (`check --base`) skip
    /// these items rather than take the placeholders for what was written.
    pub flawed: HashSet<Span>,
    /// Validating a snapshot ([`Refs::Snapshot`]): each objective whose parent names
    /// another repository (position, `NAME:team`, id).
    pub rollup: Vec<(usize, String, String)>,
}

/// [`validate_owned`], knowing what the goal files that did not parse would have defined
/// ([`Unread::scan`]): references into them are not reported, since the parse error is
/// the problem. Also says which items were built with placeholders.
pub(crate) fn validate_with(
    files: Vec<(u32, RawFile)>,
    config: &Config,
    unread: Unread,
) -> Validated {
    validate_in(files, config, unread, Refs::Local(None))
}

/// [`validate_with`], judging refs into upstreams as `refs` says.
pub(crate) fn validate_in(
    files: Vec<(u32, RawFile)>,
    config: &Config,
    unread: Unread,
    refs: Refs,
) -> Validated {
    let mut v = Validator::new(config);
    v.unread = unread;
    let (snapshot, ups) = match refs {
        Refs::Snapshot => (true, None),
        Refs::Local(ups) => (false, ups),
    };
    let mut rollup = Vec::new();

    // Each raw file is dropped once its items are built.
    let Built {
        mut kpis,
        mut objectives,
        logs,
    } = build_files(&mut v, files);

    kpis = sorted_by(kpis, |a, b| (&a.0.team, &a.0.id).cmp(&(&b.0.team, &b.0.id)));
    objectives = sorted_by(objectives, |a, b| {
        let (a, b) = (&a.0, &b.0);
        (a.period.start, a.period.end, &a.period.name, &a.team, &a.id).cmp(&(
            b.period.start,
            b.period.end,
            &b.period.name,
            &b.team,
            &b.id,
        ))
    });

    // Uniqueness, naming both places.
    let mut kpi_index: HashMap<String, usize> = HashMap::with_capacity(kpis.len());
    for (i, (k, _)) in kpis.iter().enumerate() {
        match kpi_index.entry(k.ref_parts().to_string()) {
            std::collections::hash_map::Entry::Occupied(first) => {
                v.duplicate("KPI", first.key(), k.span, kpis[*first.get()].0.span);
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(i);
            }
        }
    }
    // One buffer for the `team/id` of each objective, looked up among the KPIs.
    let mut oref = String::new();
    let mut obj_index: HashMap<(String, String), Vec<usize>> =
        HashMap::with_capacity(objectives.len());
    // (team, id, period) → first definition; a hash, not a scan of `obj_index`, so that one
    // id defined in thousands of periods stays linear.
    let mut obj_first: HashMap<(&str, &str, &str), usize> =
        HashMap::with_capacity(objectives.len());
    for (i, (o, _)) in objectives.iter().enumerate() {
        let key = (o.team.as_str(), o.id.as_str(), o.period.name.as_str());
        if let Some(&first) = obj_first.get(&key) {
            v.duplicate(
                &format!("objective (in period {})", o.period.name),
                &o.reference().to_string(),
                o.span,
                objectives[first].0.span,
            );
        } else {
            obj_first.insert(key, i);
            obj_index
                .entry((o.team.clone(), o.id.clone()))
                .or_default()
                .push(i);
        }
        oref.clear();
        {
            use std::fmt::Write as _;
            let _ = write!(oref, "{}", o.ref_parts());
        }
        if let Some(&k) = kpi_index.get(oref.as_str()) {
            v.push(
                Diagnostic::new(Code::DuplicateId, o.span, format!("objective id `{}` is also a KPI of team `{}`", o.id, o.team))
                    .related(kpis[k].0.span, "the KPI is defined here")
                    .help("objective and KPI ids of a team share one namespace, so `team/id` refs stay unambiguous: rename one"),
            );
        }
    }

    // The local parent of each upstream objective that names one (the roll-up, set once
    // the objectives are final), by (team, id, period): a map, not a scan of the id's
    // periods for each, so that a snapshot naming an id defined in thousands of periods
    // stays linear.
    let rollup_parents: Vec<Option<usize>> = ups.as_deref().map_or_else(Vec::new, |ups| {
        ups.rollup
            .iter()
            .map(|(u, team, id)| {
                let period = ups.upstream.objectives[*u].period.name.as_str();
                obj_first
                    .get(&(team.as_str(), id.as_str(), period))
                    .copied()
            })
            .collect()
    });

    // References: parents, guardrails, KPI links.
    let index = Index {
        kpis: &kpi_index,
        objectives: &obj_index,
    };
    for i in 0..objectives.len() {
        // Taken, not copied, but for the parent (its span places a cycle's diagnostic).
        let (parent, carried_from, guardrails, links) = {
            let p = &mut objectives[i].1;
            (
                p.parent.clone(),
                p.carried_from.take(),
                std::mem::take(&mut p.guardrails),
                p.krs.iter_mut().map(|(l, _)| l.take()).collect::<Vec<_>>(),
            )
        };
        if let Some(p) = parent {
            let period = objectives[i].0.period.clone();
            objectives[i].0.parent = match p.value.split_once(':') {
                Some(_) if snapshot => {
                    if let Ok(Ref::Item { team, id }) = p.value.parse() {
                        rollup.push((i, team, id));
                    }
                    None
                }
                Some((name, _)) => v.upstream_objective(&p, name, &period.name, ups.as_deref()),
                None => v
                    .objective_ref(&p, &period, &index, &objectives)
                    .map(ObjectiveId::new),
            };
        }
        if let Some(c) = carried_from
            && v.carried_from(&c, i, &index, &objectives)
        {
            objectives[i].0.carried_from = Some(c.value);
        }
        let mut guards = Vec::new();
        for g in &guardrails {
            let found = match g.value.split_once(':') {
                Some(_) if snapshot => None,
                Some((name, _)) => v.upstream_kpi(g, name, ups.as_deref(), "guardrail"),
                None => v.kpi_ref(g, &index, "guardrail").map(KpiId::new),
            };
            guards.extend(found);
        }
        objectives[i].0.guardrails = guards;
        for (kr, link) in links.iter().enumerate() {
            if let Some(link) = link {
                objectives[i].0.key_results[kr].kpi = match link.value.split_once(':') {
                    Some(_) if snapshot => None,
                    Some((name, _)) => {
                        v.upstream_kpi(link, name, ups.as_deref(), "key result's `kpi`")
                    }
                    None => v
                        .kpi_ref(link, &index, "key result's `kpi`")
                        .map(KpiId::new),
                };
            }
        }
    }
    v.parent_cycles(&objectives);

    // Each key result's check-ins are sized to fit in the merge, on every core.
    let (objectives, mut kpis) = checkins::attach(&mut v, objectives, kpis, logs, &index);
    kpis.shrink_to_fit();
    // The roll-up: upstream objectives whose parent is one of these (same period).
    let upstream = match ups {
        None => Default::default(),
        Some(ups) => {
            let mut ups = *ups;
            for ((u, _, _), found) in std::mem::take(&mut ups.rollup)
                .into_iter()
                .zip(rollup_parents)
            {
                ups.upstream.objectives[u].parent = found.map(ObjectiveId::new);
            }
            std::sync::Arc::new(ups.upstream)
        }
    };
    let mut diags = v.diags;
    crate::diag::sort(&mut diags);
    Validated {
        goals: Goals {
            objectives,
            kpis,
            upstream,
        },
        diags,
        flawed: v.flawed,
        rollup,
    }
}

/// `items` stably sorted by `cmp`. The items are large, so the sort orders their indexes
/// and each item is then moved once, rather than at every step of the sort.
fn sorted_by<T>(items: Vec<T>, cmp: impl Fn(&T, &T) -> std::cmp::Ordering) -> Vec<T> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| cmp(&items[a], &items[b]));
    if order.iter().enumerate().all(|(at, &i)| at == i) {
        return items;
    }
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.iter().filter_map(|&i| slots[i].take()).collect()
}

thread_local! {
    /// Threads validation may use on this thread's behalf; 0: one per core (at most 16).
    static THREADS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The threads validation uses ([`THREADS`]).
pub(crate) fn threads() -> usize {
    match THREADS.with(|t| t.get()) {
        0 => crate::par::cores(),
        n => n,
    }
}

/// Runs `f` with validation on `n` threads on this thread's behalf (tests compare one with
/// several).
#[cfg(test)]
pub(crate) fn with_threads<T>(n: usize, f: impl FnOnce() -> T) -> T {
    let old = THREADS.with(|t| t.replace(n));
    let out = f();
    THREADS.with(|t| t.set(old));
    out
}

/// What the pass over the files builds, in file order.
#[derive(Default)]
struct Built {
    kpis: Vec<(Kpi, Pending)>,
    objectives: Vec<(Objective, PendingObjective)>,
    logs: Vec<Vec<RawCheckin>>,
}

/// Builds every file's items ([`build_file`]) on every core, each thread taking a run of
/// consecutive files with a validator of its own: items, diagnostics and what unread files
/// would have defined come back in file order, as one pass would give them. The one thing a
/// file's pass shares with the others is the run's suggestion budget, spent only on a KPI
/// `source` that names no source: then the files go through one pass, in order.
fn build_files(v: &mut Validator, files: Vec<(u32, RawFile)>) -> Built {
    let threads = threads();
    let unknown_source = || {
        files.iter().any(|(_, f)| {
            f.kpis.iter().flatten().any(|k| {
                k.source
                    .as_ref()
                    .and_then(|s| s.from.as_ref())
                    .is_some_and(|from| !v.config.sources.contains_key(&from.value))
            })
        })
    };
    if threads <= 1 || files.len() < 64 || unknown_source() {
        let mut built = Built::default();
        for (_, mut f) in files {
            build_file(v, &mut f, &mut built);
        }
        return built;
    }
    let config = v.config;
    let done = crate::par::map(crate::par::runs(files, threads), threads, |run| {
        let mut tv = Validator::new(config);
        let mut built = Built::default();
        for (_, mut f) in run {
            build_file(&mut tv, &mut f, &mut built);
        }
        (built, tv)
    });
    let mut built = Built::default();
    for (b, tv) in done {
        built.kpis.extend(b.kpis);
        built.objectives.extend(b.objectives);
        built.logs.extend(b.logs);
        v.diags.extend(tv.diags);
        v.flawed.extend(tv.flawed);
        v.unread.extend(tv.unread);
    }
    built
}

/// One file's items: its KPIs and objectives built (with their own diagnostics), its
/// top-level check-ins kept for later.
fn build_file(v: &mut Validator, f: &mut RawFile, built: &mut Built) {
    // Already done while loading; raw files from elsewhere are lowered here.
    lower_file(f);
    let team = f.team.as_ref().and_then(|t| v.slug(t, "team"));
    let has_objectives = f.objectives.as_ref().is_some_and(|o| !o.is_empty());
    let has_items = has_objectives || f.kpis.as_ref().is_some_and(|k| !k.is_empty());
    if has_items && f.team.is_none() && !f.invalid.contains(&"team") {
        v.push(
            Diagnostic::new(
                Code::MissingField,
                f.span,
                "`team` is required when a file defines objectives or KPIs",
            )
            .help("add a line such as `team: growth` at the top of the file"),
        );
    }
    if has_items && team.is_none() {
        // Refs into this file would be blamed for its missing or invalid team.
        let ids = f.objectives.iter().flatten().map(|o| &o.id);
        let ids = ids.chain(f.kpis.iter().flatten().map(|k| &k.id));
        v.unread.add(
            None,
            ids.flatten().map(|i| i.value.clone()).collect::<Vec<_>>(),
        );
    }
    let period = match &f.period {
        Some(p) => v.period(p),
        None => {
            if has_objectives && !f.invalid.contains(&"period") {
                v.push(
                    Diagnostic::new(
                        Code::MissingField,
                        f.span,
                        "`period` is required when a file defines objectives",
                    )
                    .help("add a line such as `period: 2026-Q4`"),
                );
            }
            None
        }
    };
    // Items that are not built (their file's team or period is missing) still have their
    // own required keys checked, so one run names every missing key (as schema tools do).
    if has_items && (team.is_none() || period.is_none()) {
        for o in f.objectives.iter().flatten() {
            v.objective_keys(o);
        }
    }
    if team.is_none() {
        for k in f.kpis.iter().flatten() {
            v.kpi_keys(k);
        }
    }
    for raw in f.kpis.iter_mut().flatten() {
        if let Some(team) = &team {
            let checkins = std::mem::take(&mut raw.lowered);
            match v.kpi(raw, team) {
                Some(k) => built.kpis.push((k, Pending { checkins })),
                None => v.orphan_checkins(&checkins, Records::Value),
            }
        }
    }
    if let (Some(team), None, true) = (&team, &period, has_objectives) {
        let ids = f.objectives.iter().flatten().filter_map(|o| o.id.as_ref());
        v.unread
            .add(Some(team), ids.map(|i| i.value.clone()).collect::<Vec<_>>());
    }
    for raw in f.objectives.iter_mut().flatten() {
        if let (Some(team), Some(period)) = (&team, &period)
            && let Some(o) = v.objective(raw, team, period)
        {
            built.objectives.push(o);
        }
    }
    built.logs.extend(f.checkins.take());
}

/// Lookup tables for references.
pub(crate) struct Index<'a> {
    pub kpis: &'a HashMap<String, usize>,
    /// (team, id) → indexes of objectives with that id, one per period.
    pub objectives: &'a HashMap<(String, String), Vec<usize>>,
}

/// How much "did you mean" work (roughly, character pairs compared) one run may do for
/// unknown references. Each suggestion compares against every defined item, so thousands of
/// unknown refs against thousands of items would be quadratic; once the budget is spent,
/// unknown refs are still reported, without a suggestion.
const SUGGEST_BUDGET: usize = 10_000_000;

pub(crate) struct Validator<'c> {
    pub config: &'c Config,
    pub diags: Vec<Diagnostic>,
    /// What is left of [`SUGGEST_BUDGET`].
    pub suggest_budget: usize,
    /// [`Validated::flawed`], filled as items are built.
    pub flawed: HashSet<Span>,
    /// What unread files would have defined: references into them are not blamed.
    pub unread: Unread,
}

impl<'c> Validator<'c> {
    pub(crate) fn new(config: &'c Config) -> Self {
        Validator {
            config,
            diags: Vec::new(),
            suggest_budget: SUGGEST_BUDGET,
            flawed: Default::default(),
            unread: Unread::default(),
        }
    }

    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// A key that a key result's kind refuses (`KrKind::takes`), written at `span`.
    fn refused(&mut self, kind: KrKind, key: KrKey, span: Span, raw: &RawKeyResult) {
        let key = key.name();
        let d = match kind {
            KrKind::Milestone => Diagnostic::new(Code::MilestoneWithMetric, span, format!("a milestone key result has no `{key}`"))
                .help("a milestone is done or not: remove the line, or make it a metric key result (drop `kind: milestone`)"),
            // A `kind` that could not be read is already reported: the key may be right.
            KrKind::Metric if raw.invalid.contains(&"kind") => return,
            KrKind::Metric => Diagnostic::new(Code::DueOnMetric, span, format!("a metric key result has no `{key}` date"))
                .help("a metric is judged along the straight line from `start` to `target` over the period; remove the line, or make it a milestone (`kind: milestone`) that is expected to be done by that date"),
        };
        self.push(d);
    }

    fn missing(&mut self, span: Span, invalid: &[&str], what: &str, key: &str, example: &str) {
        if invalid.contains(&key) {
            return; // written, but with a value already reported as wrong
        }
        self.push(
            Diagnostic::new(Code::MissingField, span, format!("{what} has no `{key}`"))
                .help(format!("add `{key}:`, for example `{key}: {example}`"))
                .fix(Fix::AddLine {
                    span,
                    line: format!("{key}: {example}"),
                }),
        );
    }

    fn slug(&mut self, s: &Sp<String>, what: &str) -> Option<String> {
        if is_slug(&s.value) {
            return Some(s.value.clone());
        }
        let fixed: String = s
            .value
            .trim()
            .to_lowercase()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let d = Diagnostic::new(
            Code::InvalidSlug,
            s.span,
            format!("{what} `{}` is not a valid id", s.value),
        );
        self.push(if is_slug(&fixed) {
            d.help(format!(
                "use lowercase letters, digits, `-` and `_`, for example `{fixed}`"
            ))
            .replace_with(fixed)
        } else {
            d.help(
                "use 1–63 lowercase letters, digits, `-` and `_`, starting with a letter or digit",
            )
        });
        None
    }

    fn period(&mut self, p: &Sp<String>) -> Option<Period> {
        if let Some(period) = Period::resolve(&p.value, &self.config.periods) {
            return Some(period);
        }
        let custom: Vec<&str> = self.config.periods.keys().map(String::as_str).collect();
        let d = Diagnostic::new(
            Code::InvalidPeriod,
            p.span,
            format!("`{}` is not a period", p.value),
        );
        self.push(match suggest(&p.value, custom.iter().copied()) {
            Some(s) => d.did_you_mean(s),
            None => d.help("use `2026-Q4`, `2026-H2`, `2026`, `2026-11`, or define the name under `[periods]` in goalpost.toml"),
        });
        None
    }

    fn duplicate(&mut self, what: &str, reference: &str, span: Span, first: Span) {
        self.push(
            Diagnostic::new(
                Code::DuplicateId,
                span,
                format!("{what} `{reference}` is defined twice"),
            )
            .related(first, "first defined here")
            .help("ids must be unique: rename or remove one of them"),
        );
    }

    /// Checks the `id` (a slug) and `title` every item has; reports what is missing.
    fn id_and_title(
        &mut self,
        (id, title): (&Option<Sp<String>>, &Option<Sp<String>>),
        (span, invalid): (Span, &[&str]),
        (what, id_what): (&str, &str),
        (id_example, title_example): (&str, &str),
    ) -> (Option<String>, Option<String>) {
        let id = match id {
            Some(id) => self.slug(id, id_what),
            None => {
                self.missing(span, invalid, what, "id", id_example);
                None
            }
        };
        let title = title.as_ref().map(|t| t.value.clone());
        if title.is_none() {
            self.missing(span, invalid, what, "title", title_example);
        }
        (id, title)
    }

    /// The required keys of an objective and its key results that is not built (see
    /// [`Self::id_and_title`]), reported as when it is.
    fn objective_keys(&mut self, raw: &RawObjective) {
        self.id_and_title(
            (&raw.id, &raw.title),
            (raw.span, &raw.invalid),
            ("an objective", "objective id"),
            ("onboarding", "Make onboarding effortless"),
        );
        for kr in raw.key_results.iter().flatten() {
            self.id_and_title(
                (&kr.id, &kr.title),
                (kr.span, &kr.invalid),
                ("a key result", "key result id"),
                ("support-tickets", KR_TITLE_EXAMPLE),
            );
        }
    }

    /// [`Self::objective_keys`] for a KPI that is not built.
    fn kpi_keys(&mut self, raw: &RawKpi) {
        self.id_and_title(
            (&raw.id, &raw.title),
            (raw.span, &raw.invalid),
            ("a KPI", "KPI id"),
            ("churn", "Monthly customer churn"),
        );
    }

    /// Records the item at `span` as built with placeholders when an error was reported
    /// since `before` (the length of `diags` then) or the loader found a value invalid.
    fn flag(&mut self, span: Span, before: usize, invalid: &[&str]) {
        if self.diags.len() > before || !invalid.is_empty() {
            self.flawed.insert(span);
        }
    }

    fn kpi(&mut self, raw: &RawKpi, team: &str) -> Option<Kpi> {
        let before = self.diags.len();
        let (id, title) = self.id_and_title(
            (&raw.id, &raw.title),
            (raw.span, &raw.invalid),
            ("a KPI", "KPI id"),
            ("churn", "Monthly customer churn"),
        );
        let better = raw.better.as_ref().map(|b| b.value);
        if better.is_none() {
            self.missing(
                raw.span,
                &raw.invalid,
                "a KPI",
                "better",
                "higher   # or lower",
            );
        }
        let target = raw.target.as_ref().map(|t| t.value);
        if raw.target.is_none() {
            self.missing(raw.span, &raw.invalid, "a KPI", "target", "5");
        }
        if let (Some(better), Some(target), Some(crit)) = (better, target, &raw.critical) {
            let wrong = match better {
                Better::Lower => crit.value <= target,
                Better::Higher => crit.value >= target,
            };
            if wrong {
                let (side, word) = match better {
                    Better::Lower => ("above", "greater"),
                    Better::Higher => ("below", "smaller"),
                };
                let (c, t) = (num_full(crit.value), num_full(target));
                let message = if crit.value == target {
                    format!(
                        "`critical` equals `target` ({t}): a value of {t} would be healthy and critical at once"
                    )
                } else {
                    format!(
                        "`critical` {c} is on the good side of `target` {t} for a KPI where {} is better",
                        better.as_str()
                    )
                };
                self.push(
                    Diagnostic::new(Code::CriticalWrongSide, crit.span, message)
                        .help(format!("critical marks the bad extreme: it must be strictly {word} than the target ({side} {t})")),
                );
            }
        }
        let source = raw.source.as_ref().and_then(|s| self.kpi_source(s));
        // The caller shape-checks the check-ins of a KPI that could not be built.
        let id = id?;
        let span = raw.id.as_ref().map_or(raw.span, |i| i.span);
        self.flag(span, before, &raw.invalid);
        // Missing fields were reported; placeholders keep the rest of the item checkable.
        Some(Kpi {
            team: team.to_owned(),
            id,
            title: title.unwrap_or_default(),
            unit: raw.unit.as_ref().map(|u| u.value.clone()),
            better: better.unwrap_or(Better::Higher),
            target: target.unwrap_or(0.0),
            critical: raw.critical.as_ref().map(|c| c.value),
            cadence: raw.cadence.as_ref().map_or(Cadence::Weekly, |c| c.value),
            owner: raw.owner.as_ref().map(|o| o.value.clone()),
            source,
            checkins: Vec::new(),
            span,
        })
    }

    fn objective(
        &mut self,
        raw: &mut RawObjective,
        team: &str,
        period: &Period,
    ) -> Option<(Objective, PendingObjective)> {
        // The check-ins move into the pending list; everything else is only read.
        let mut inline: Vec<Lowered> = raw
            .key_results
            .iter_mut()
            .flatten()
            .map(|kr| std::mem::take(&mut kr.lowered))
            .collect();
        let raw: &RawObjective = raw;
        let before = self.diags.len();
        let (id, title) = self.id_and_title(
            (&raw.id, &raw.title),
            (raw.span, &raw.invalid),
            ("an objective", "objective id"),
            ("onboarding", "Make onboarding effortless"),
        );
        let parent = raw.parent.as_ref().and_then(|p| {
            if matches!(p.value.parse(), Ok(Ref::Item { .. })) {
                Some(p.clone())
            } else {
                self.bad_ref(
                    p,
                    "`parent`",
                    "an objective reference `team/objective`, such as `company/activation`",
                );
                None
            }
        });
        let mut guardrails = Vec::new();
        for g in raw.guardrails.iter().flatten() {
            if matches!(g.value.parse(), Ok(Ref::Item { .. })) {
                guardrails.push(g.clone());
            } else {
                self.bad_ref(
                    g,
                    "a guardrail",
                    "a KPI reference `team/kpi`, such as `growth/churn`",
                );
            }
        }
        let dropped = raw
            .dropped
            .as_ref()
            .and_then(|d| self.dropped(d, period, "an objective"));
        // Only the objective's own fields: its key results are flagged one by one.
        let own_errors = self.diags.len();
        let mut krs = Vec::new();
        let mut pending = Vec::new();
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for (raw_kr, checkins) in raw.key_results.iter().flatten().zip(&mut inline) {
            let checkins = std::mem::take(checkins);
            let Some((kr, link)) =
                self.key_result(raw_kr, period, dropped.as_ref().map(|d| d.date))
            else {
                let expect = raw_kr
                    .kind
                    .as_ref()
                    .map_or(Records::Value, |k| k.value.records());
                self.orphan_checkins(&checkins, expect);
                continue;
            };
            {
                if let Some(&first) = seen.get(raw_kr.id.as_ref().map_or("", |i| i.value.as_str()))
                {
                    self.duplicate(
                        "key result",
                        &format!("{team}/{}/{}", id.as_deref().unwrap_or("?"), kr.id),
                        kr.span,
                        first,
                    );
                    continue;
                }
                if let Some(i) = &raw_kr.id {
                    seen.insert(i.value.as_str(), kr.span);
                }
                krs.push(kr);
                pending.push((link, Pending { checkins }));
            }
        }
        let id = id?;
        let span = raw.id.as_ref().map_or(raw.span, |i| i.span);
        if own_errors > before || !raw.invalid.is_empty() {
            self.flawed.insert(span);
        }
        Some((
            Objective {
                team: team.to_owned(),
                id,
                period: period.clone(),
                title: title.unwrap_or_default(),
                owner: raw.owner.as_ref().map(|o| o.value.clone()),
                commitment: raw
                    .commitment
                    .as_ref()
                    .map_or(Commitment::Aspirational, |c| c.value),
                parent: None,
                guardrails: Vec::new(),
                key_results: krs,
                carried_from: None,
                description: raw.description.as_ref().map(|d| d.value.clone()),
                dropped,
                span,
            },
            PendingObjective {
                parent,
                carried_from: raw.carried_from.clone(),
                guardrails,
                krs: pending,
            },
        ))
    }

    fn key_result(
        &mut self,
        raw: &RawKeyResult,
        period: &Period,
        objective_dropped: Option<Date>,
    ) -> Option<(KeyResult, Option<Sp<String>>)> {
        let before = self.diags.len();
        let (id, title) = self.id_and_title(
            (&raw.id, &raw.title),
            (raw.span, &raw.invalid),
            ("a key result", "key result id"),
            ("support-tickets", KR_TITLE_EXAMPLE),
        );
        let kind = raw.kind.as_ref().map_or(KrKind::DEFAULT, |k| k.value);
        let mut link = raw.kpi.clone();
        if let Some(l) = &link
            && !matches!(l.value.parse(), Ok(Ref::Item { .. }))
        {
            self.bad_ref(
                l,
                "`kpi`",
                "a KPI reference `team/kpi`, such as `growth/d7-retention`",
            );
            link = None;
        }
        // The keys the kind requires or refuses (`KrKind::takes`, the one table).
        for &key in KrKey::ALL {
            match (kind.takes(key), raw.key_span(key)) {
                (Takes::Required, None) => self.missing(
                    raw.span,
                    &raw.invalid,
                    &format!("a {kind} key result"),
                    key.name(),
                    example(key),
                ),
                (Takes::Refused, Some(span)) => self.refused(kind, key, span, raw),
                _ => {}
            }
        }
        if kind.takes(KrKey::Kpi) == Takes::Refused {
            link = None;
        }
        let measure = match kind {
            KrKind::Milestone => Some(KrMeasure::Milestone {
                due: raw.due.as_ref().and_then(|d| self.due(d, period)),
            }),
            KrKind::Metric => match (&raw.start, &raw.target) {
                (Some(s), Some(t)) if s.value == t.value => {
                    self.push(
                        Diagnostic::new(Code::StartEqualsTarget, t.span, format!("`target` equals `start` ({})", num_full(s.value)))
                            .help("a key result describes a change; to keep a value steady, make it a KPI with a target and a critical threshold"),
                    );
                    None
                }
                (Some(s), Some(t)) => Some(KrMeasure::Metric {
                    start: s.value,
                    target: t.value,
                }),
                _ => None,
            },
        };
        if let (Some(_), Some(c)) = (&raw.kpi, &raw.cadence) {
            self.push(
                Diagnostic::new(
                    Code::CadenceOnLinkedKr,
                    c.span,
                    "a key result with `kpi:` takes no `cadence`",
                )
                .help("its KPI is checked in instead, at the KPI's cadence: remove the line, or set `cadence` on the KPI"),
            );
        }
        let dropped = raw
            .dropped
            .as_ref()
            .and_then(|d| self.dropped(d, period, "a key result"));
        let drop_date = match (dropped.as_ref().map(|d| d.date), objective_dropped) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let revisions = match (kind, measure) {
            (KrKind::Metric, Some(KrMeasure::Metric { start, target })) => {
                self.revisions(raw, period, (start, target), drop_date)
            }
            (KrKind::Metric, _) => {
                // The plan itself is wrong (reported): still check each revision's own shape.
                self.revisions(raw, period, (f64::NAN, f64::NAN), drop_date);
                Vec::new()
            }
            // Refused above (`KrKind::takes`).
            (KrKind::Milestone, _) => Vec::new(),
        };
        let weight = match &raw.weight {
            Some(w) if w.value <= 0.0 => {
                self.push(
                    Diagnostic::new(Code::OutOfRange, w.span, format!("`weight` must be greater than 0, found {}", num_full(w.value)))
                        .help("weights are relative (default 1); remove a key result that should not count at all"),
                );
                1.0
            }
            Some(w) => w.value,
            None => 1.0,
        };
        // The caller shape-checks the check-ins of a key result that could not be built.
        let id = id?;
        let span = raw.id.as_ref().map_or(raw.span, |i| i.span);
        self.flag(span, before, &raw.invalid);
        Some((
            KeyResult {
                id,
                title: title.unwrap_or_default(),
                kind: measure.unwrap_or(KrMeasure::Metric {
                    start: 0.0,
                    target: 1.0,
                }),
                unit: raw.unit.as_ref().map(|u| u.value.clone()),
                weight,
                kpi: None,
                checkins: Vec::new(),
                owner: raw.owner.as_ref().map(|o| o.value.clone()),
                cadence: raw.cadence.as_ref().map_or(KrCadence::Weekly, |c| c.value),
                description: raw.description.as_ref().map(|d| d.value.clone()),
                revisions,
                dropped,
                span,
            },
            link,
        ))
    }

    /// A `dropped: { date, reason }`: a real date inside the period and a reason.
    fn dropped(&mut self, raw: &RawDropped, period: &Period, what: &str) -> Option<Dropped> {
        let before = self.diags.len();
        let reason = self.reason(
            &raw.reason,
            raw.span,
            &raw.invalid,
            "`dropped`",
            "\"the vendor cancelled the integration\"",
        );
        let date = self.dated(
            &raw.date,
            raw.span,
            &raw.invalid,
            "`dropped`",
            period,
            (Code::DropOutsidePeriod, &format!("{what} is dropped inside its period: the day the team decided to stop pursuing it")),
        );
        if self.diags.len() > before {
            return None;
        }
        Some(Dropped {
            date: date?,
            reason: reason?,
            span: raw.span,
        })
    }

    /// A key result's `revisions:`, checked one by one and together: dates distinct, inside
    /// the period and before a drop; a start and target in force that always differ.
    fn revisions(
        &mut self,
        raw: &RawKeyResult,
        period: &Period,
        (start, target): (f64, f64),
        drop_date: Option<Date>,
    ) -> Vec<Revision> {
        let mut out: Vec<Revision> = Vec::new();
        // The first revision of each date in `out`: a look-up per revision, not a scan (a
        // long custom period holds thousands of dates).
        let mut dated: HashMap<Date, usize> = HashMap::new();
        for r in raw.revisions.iter().flatten() {
            let before = self.diags.len();
            let reason = self.reason(
                &r.reason,
                r.span,
                &r.invalid,
                "a revision",
                "\"the market shrank after the price change\"",
            );
            let date = self.dated(
                &r.date,
                r.span,
                &r.invalid,
                "a revision",
                period,
                (Code::RevisionOutsidePeriod, "a revision takes effect inside the key result's period; re-plan a later period in its own goal file"),
            );
            if r.target.is_none()
                && r.start.is_none()
                && !r.invalid.contains(&"target")
                && !r.invalid.contains(&"start")
            {
                self.push(
                    Diagnostic::new(
                        Code::EmptyRevision,
                        r.span,
                        "a revision changes neither `target` nor `start`",
                    )
                    .help("give the new `target:` (or `start:`) it puts in force, or remove the revision"),
                );
            }
            if let (Some(date), Some(drop)) = (date, drop_date)
                && date >= drop
            {
                self.push(
                    Diagnostic::new(
                        Code::RevisionAfterDrop,
                        r.date.as_ref().map_or(r.span, |d| d.span),
                        format!("a revision dated {date} comes on or after the key result was dropped ({drop})"),
                    )
                    .help("a dropped key result is no longer pursued, so its plan cannot change: remove the revision, or date it before the drop"),
                );
            }
            if let Some(date) = date
                && let Some(first) = dated.get(&date).map(|&i| &out[i])
            {
                self.push(
                    Diagnostic::new(
                        Code::DuplicateRevision,
                        r.date.as_ref().map_or(r.span, |d| d.span),
                        format!("two revisions of the key result are dated {date}"),
                    )
                    .related(first.span, "the first revision of that date")
                    .help("make it one revision with both changes, or date the later one on the day it took effect"),
                );
                continue;
            }
            if self.diags.len() > before {
                continue;
            }
            if let (Some(date), Some(reason)) = (date, reason) {
                dated.entry(date).or_insert(out.len());
                out.push(Revision {
                    date,
                    target: r.target.as_ref().map(|t| t.value),
                    start: r.start.as_ref().map(|s| s.value),
                    reason,
                    span: r.span,
                });
            }
        }
        // The plan in force from each revision on must still describe a change.
        if !start.is_nan() {
            for step in crate::model::plan_steps((start, target), &out) {
                let (r, (s, t)) = (step.revision, step.after);
                if s == t {
                    self.push(
                        Diagnostic::new(
                            Code::StartEqualsTarget,
                            r.span,
                            format!(
                                "from {}, this revision leaves `start` and `target` both at {}",
                                r.date,
                                num_full(s)
                            ),
                        )
                        .help("a key result describes a change: revise to a target that differs from the start in force, or drop the key result"),
                    );
                }
            }
        }
        out
    }

    /// A `reason:` that says something.
    fn reason(
        &mut self,
        reason: &Option<Sp<String>>,
        span: Span,
        invalid: &[&str],
        what: &str,
        example: &str,
    ) -> Option<String> {
        match reason {
            Some(r) if r.value.trim().is_empty() => {
                self.push(
                    Diagnostic::new(
                        Code::EmptyReason,
                        r.span,
                        format!("the reason of {what} is empty"),
                    )
                    .help(format!(
                        "say why, for the review and the history: `reason: {example}`"
                    )),
                );
                None
            }
            Some(r) => Some(r.value.clone()),
            None => {
                self.missing(span, invalid, what, "reason", example);
                None
            }
        }
    }

    /// A required `date:` that is a real date inside `period`.
    fn dated(
        &mut self,
        date: &Option<Sp<String>>,
        span: Span,
        invalid: &[&str],
        what: &str,
        period: &Period,
        (outside, help): (Code, &str),
    ) -> Option<Date> {
        let Some(d) = date else {
            self.missing(span, invalid, what, "date", &period.start.to_string());
            return None;
        };
        let Some(day) = Date::parse(&d.value) else {
            self.push(
                Diagnostic::new(
                    Code::InvalidDate,
                    d.span,
                    format!(
                        "`date: {}` of {what} is not a real date: {}",
                        d.value,
                        crate::date::date_problem(&d.value)
                    ),
                )
                .help(format!(
                    "write the day as YYYY-MM-DD between {} and {}",
                    period.start, period.end
                )),
            );
            return None;
        };
        if !period.contains(day) {
            self.push(
                Diagnostic::new(
                    outside,
                    d.span,
                    format!(
                        "`date: {day}` of {what} is outside the period {} ({} to {})",
                        period.name, period.start, period.end
                    ),
                )
                .help(help.to_owned()),
            );
            return None;
        }
        Some(day)
    }

    /// A milestone's `due`: a real date inside its period.
    fn due(&mut self, d: &Sp<String>, period: &Period) -> Option<Date> {
        let Some(due) = Date::parse(&d.value) else {
            self.push(
                Diagnostic::new(
                    Code::InvalidDate,
                    d.span,
                    format!(
                        "`due: {}` is not a real date: {}",
                        d.value,
                        crate::date::date_problem(&d.value)
                    ),
                )
                .help(format!(
                    "write the day the milestone is expected to be done, as YYYY-MM-DD between {} and {}",
                    period.start, period.end
                )),
            );
            return None;
        };
        if !period.contains(due) {
            self.push(
                Diagnostic::new(
                    Code::DueOutsidePeriod,
                    d.span,
                    format!(
                        "`due: {due}` is outside the key result's period {} ({} to {})",
                        period.name, period.start, period.end
                    ),
                )
                .help("a milestone is due inside its period: move the date, or plan the milestone in the period that holds it"),
            );
            return None;
        }
        Some(due)
    }

    /// Shape-checks the check-ins of an item that could not be built, so their problems are
    /// reported in the same run.
    /// (The clean ones have nothing to report.)
    fn orphan_checkins(&mut self, lowered: &Lowered, expect: Records) {
        for (_, raw) in &lowered.rest {
            checkins::convert(self, raw, expect);
        }
    }

    fn bad_ref(&mut self, r: &Sp<String>, what: &str, expected: &str) {
        self.push(
            Diagnostic::new(
                Code::InvalidRef,
                r.span,
                format!("{what} `{}` is not a valid reference", r.value),
            )
            .help(format!("write {expected}")),
        );
    }

    fn unknown_ref(
        &mut self,
        r: &Sp<String>,
        what: &str,
        candidates: impl Iterator<Item = String>,
        extra: Option<String>,
    ) {
        if r.value.parse().is_ok_and(|r| self.unread.covers(&r)) {
            return; // its file did not read: that is the error to fix, and it is reported
        }
        let d = Diagnostic::new(
            Code::UnknownRef,
            r.span,
            format!("{what} `{}`, which is not defined", r.value),
        );
        let d = match extra {
            Some(extra) => d.help(extra),
            None => match self.suggestion(&r.value, candidates) {
                Some(s) => d.did_you_mean(&s),
                None => d.help("check the spelling, or define it"),
            },
        };
        self.push(d);
    }

    /// The closest candidate to `word`, while the run's suggestion budget lasts. Candidates
    /// are only built while it does.
    fn suggestion(
        &mut self,
        word: &str,
        candidates: impl Iterator<Item = String>,
    ) -> Option<String> {
        if self.suggest_budget == 0 {
            return None;
        }
        let candidates: Vec<String> = candidates.collect();
        let per = word.len().min(crate::diag::MAX_SUGGEST_CHARS) + 1;
        let cost = candidates
            .iter()
            .map(|c| per * (c.len().min(crate::diag::MAX_SUGGEST_CHARS) + 1))
            .sum::<usize>();
        let Some(left) = self.suggest_budget.checked_sub(cost) else {
            self.suggest_budget = 0;
            return None;
        };
        self.suggest_budget = left;
        suggest(word, candidates.iter().map(String::as_str)).map(str::to_owned)
    }

    fn kpi_ref(&mut self, r: &Sp<String>, index: &Index, what: &str) -> Option<usize> {
        if let Some(&k) = index.kpis.get(&r.value) {
            return Some(k);
        }
        let extra = index
            .objectives
            .contains_key(&split2(&r.value))
            .then(|| format!("`{}` is an objective; a {what} must name a KPI", r.value));
        self.unknown_ref(
            r,
            &format!("{what} names KPI"),
            index.kpis.keys().cloned(),
            extra,
        );
        None
    }

    /// Where an upstream ref can be resolved: the snapshots' index, or `None` after
    /// reporting why not (`upstream-missing`), or silently when the upstream is already
    /// reported.
    fn upstream_of<'u>(
        &mut self,
        r: &Sp<String>,
        name: &str,
        ups: Option<&'u upstream::Upstreams>,
    ) -> Option<(&'u upstream::Upstreams, String)> {
        let found = ups.and_then(|u| u.states.get(name).map(|f| (u, f)));
        match found {
            Some((u, upstream::Found::Ready { commit })) => Some((u, commit.clone())),
            Some((_, upstream::Found::Broken)) => None,
            Some((_, upstream::Found::Missing)) => {
                self.push(
                    Diagnostic::new(
                        Code::UpstreamMissing,
                        r.span,
                        format!("`{}` names upstream `{name}`, which has no snapshot pinned in goalpost.lock", r.value),
                    )
                    .help(format!("run `goalpost upstream update {name}` and commit `upstreams/{name}/` and goalpost.lock")),
                );
                None
            }
            None if self.config.upstreams.contains_key(name) => {
                // Declared, but the snapshots were not read (a tool that reads one file).
                None
            }
            None => {
                let d = Diagnostic::new(
                    Code::UpstreamMissing,
                    r.span,
                    format!(
                        "`{}` names upstream `{name}`, which goalpost.toml does not declare",
                        r.value
                    ),
                );
                let declared = self.config.upstreams.keys().map(String::as_str);
                self.push(match suggest(name, declared) {
                    Some(s) => d.did_you_mean(s),
                    None => d.help(format!("declare it in goalpost.toml as `[upstreams.{name}]` with its `url` and `ref`, then run `goalpost upstream update {name}`")),
                });
                None
            }
        }
    }

    /// An objective of an upstream (`NAME:team/objective`), of the same period.
    fn upstream_objective(
        &mut self,
        r: &Sp<String>,
        name: &str,
        period: &str,
        ups: Option<&upstream::Upstreams>,
    ) -> Option<ObjectiveId> {
        let (u, commit) = self.upstream_of(r, name, ups)?;
        let Ok(Ref::Item { team, id }) = r.value.parse() else {
            return None;
        };
        let at = crate::load::upstream::short(&commit);
        // The one of that period by a map, not a scan of the id's periods.
        let key = (team, id, period.to_owned());
        if let Some(&j) = u.in_period.get(&key) {
            return Some(ObjectiveId::upstream(j));
        }
        let (team, id, _) = key;
        match u.objectives.get(&(team, id)) {
            Some(js) => {
                let others = listed(
                    js.iter()
                        .map(|&j| u.upstream.objectives[j].period.name.as_str()),
                );
                self.push(
                    Diagnostic::new(
                        Code::UnknownRef,
                        r.span,
                        format!("`parent` names objective `{}`, which upstream `{name}` (at {at}) defines in period {others}, not {period}", r.value),
                    )
                    .help("a parent must be in the same period: align to the upstream objective of this period"),
                );
                None
            }
            None => {
                let candidates = u
                    .upstream
                    .objectives
                    .iter()
                    .filter(|o| {
                        o.period.name == period && crate::model::upstream_of(&o.team) == Some(name)
                    })
                    .map(|o| o.reference().to_string());
                let d = Diagnostic::new(
                    Code::UnknownRef,
                    r.span,
                    format!(
                        "`parent` names objective `{}`, which upstream `{name}` (at {at}) does not define",
                        r.value
                    ),
                );
                let d = match self.suggestion(&r.value, candidates) {
                    Some(s) => d.did_you_mean(&s),
                    None => d.help(format!("check the spelling; if it is new upstream, run `goalpost upstream update {name}`")),
                };
                self.push(d);
                None
            }
        }
    }

    /// A KPI of an upstream (`NAME:team/kpi`).
    fn upstream_kpi(
        &mut self,
        r: &Sp<String>,
        name: &str,
        ups: Option<&upstream::Upstreams>,
        what: &str,
    ) -> Option<KpiId> {
        let (u, commit) = self.upstream_of(r, name, ups)?;
        if let Some(&k) = u.kpis.get(&r.value) {
            return Some(KpiId::upstream(k));
        }
        let at = crate::load::upstream::short(&commit);
        let candidates = u
            .upstream
            .kpis
            .iter()
            .filter(|k| crate::model::upstream_of(&k.team) == Some(name))
            .map(|k| k.reference().to_string());
        let d = Diagnostic::new(
            Code::UnknownRef,
            r.span,
            format!(
                "{what} names KPI `{}`, which upstream `{name}` (at {at}) does not define",
                r.value
            ),
        );
        let d = match self.suggestion(&r.value, candidates) {
            Some(s) => d.did_you_mean(&s),
            None => d.help(format!(
                "check the spelling; if it is new upstream, run `goalpost upstream update {name}`"
            )),
        };
        self.push(d);
        None
    }

    fn objective_ref(
        &mut self,
        r: &Sp<String>,
        period: &Period,
        index: &Index,
        objectives: &[(Objective, PendingObjective)],
    ) -> Option<usize> {
        let key = split2(&r.value);
        if let Some(js) = index.objectives.get(&key) {
            if let Some(j) = in_period(js, period, objectives) {
                return Some(j);
            }
            let others = listed(js.iter().map(|&j| objectives[j].0.period.name.as_str()));
            let extra = format!(
                "`{}` exists in period {others}; a parent must be in the same period ({})",
                r.value, period.name
            );
            self.unknown_ref(
                r,
                "`parent` names objective",
                std::iter::empty(),
                Some(extra),
            );
            return None;
        }
        let same_period = objectives
            .iter()
            .filter(|(o, _)| o.period.name == period.name)
            .map(|(o, _)| o.reference().to_string());
        self.unknown_ref(r, "`parent` names objective", same_period, None);
        None
    }

    /// Whether `carried_from` (of objective `i`) names another period in which the team has
    /// an objective of the same id; reports `unknown-ref` when it does not.
    fn carried_from(
        &mut self,
        c: &Sp<String>,
        i: usize,
        index: &Index,
        objectives: &[(Objective, PendingObjective)],
    ) -> bool {
        let o = &objectives[i].0;
        let reference = o.reference().to_string();
        let same: &[usize] = index
            .objectives
            .get(&(o.team.clone(), o.id.clone()))
            .map_or(&[], Vec::as_slice);
        // Another objective of the id in the period named (a period that does not resolve
        // is no objective's).
        let named = Period::resolve(&c.value, &self.config.periods)
            .and_then(|p| in_period(same, &p, objectives))
            .is_some_and(|j| j != i);
        if named || self.unread.covers(&Ref::item(&o.team, &o.id)) {
            return true;
        }
        let others = || same.iter().filter(|&&j| j != i);
        let help = if c.value == o.period.name {
            "an objective is carried over from an earlier period, not from its own: remove `carried_from` or name the period it came from".to_owned()
        } else if others().next().is_none() {
            format!(
                "no other period has an objective `{reference}`: `carried_from` names the period an objective with the same id was carried over from; remove it, or fix the id"
            )
        } else {
            // `i` is among them when it is the first objective of its id in its period.
            let own = usize::from(in_period(same, &o.period, objectives) == Some(i));
            let names = others().map(|&j| objectives[j].0.period.name.as_str());
            format!(
                "`{reference}` exists in period {}: did you mean that?",
                listed_of(names, same.len() - own)
            )
        };
        self.push(
            Diagnostic::new(
                Code::UnknownRef,
                c.span,
                format!(
                    "`carried_from` names period `{}`, which has no objective `{reference}`",
                    c.value
                ),
            )
            .help(help),
        );
        false
    }

    /// Reports every cycle of `parent` links once, at its member that sorts first. Each
    /// objective is walked once (a parent chain of n objectives once cost O(n³)).
    fn parent_cycles(&mut self, objectives: &[(Objective, PendingObjective)]) {
        const UNSEEN: usize = usize::MAX;
        const DONE: usize = usize::MAX - 1;
        // For each objective: UNSEEN, DONE, or the walk that is visiting it.
        let mut state = vec![UNSEEN; objectives.len()];
        let mut path = Vec::new();
        for walk in 0..objectives.len() {
            path.clear();
            let mut cur = walk;
            while state[cur] == UNSEEN {
                state[cur] = walk;
                path.push(cur);
                match &objectives[cur].0.parent {
                    // An upstream parent ends the walk: a cycle cannot leave the repository.
                    Some(next) if !next.is_upstream() => cur = next.index(),
                    _ => break,
                }
            }
            if state[cur] == walk
                && objectives[cur].0.parent.is_some_and(|p| !p.is_upstream())
                && let Some(pos) = path.iter().position(|&p| p == cur)
            {
                self.parent_cycle(objectives, &path[pos..]);
            }
            for &p in &path {
                state[p] = DONE;
            }
        }
    }

    /// One diagnostic for the cycle `members` (each one's parent is the next; the last
    /// one's is the first), placed at its lowest-indexed member.
    fn parent_cycle(&mut self, objectives: &[(Objective, PendingObjective)], members: &[usize]) {
        let first = members
            .iter()
            .enumerate()
            .min_by_key(|&(_, &m)| m)
            .map_or(0, |(i, _)| i);
        let order: Vec<usize> = members[first..]
            .iter()
            .chain(&members[..first])
            .copied()
            .collect();
        let start = order[0];
        let names: Vec<String> = order
            .iter()
            .chain(std::iter::once(&start))
            .map(|&p| objectives[p].0.reference().to_string())
            .collect();
        let mut d = Diagnostic::new(
            Code::ParentCycle,
            objectives[start]
                .1
                .parent
                .as_ref()
                .map_or(objectives[start].0.span, |p| p.span),
            format!("objectives' parents form a cycle: {}", names.join(" → ")),
        )
        .help(
            "alignment runs upward to a company objective: remove one `parent` link of the cycle",
        );
        for &p in &order[1..] {
            if let Some(ps) = &objectives[p].1.parent {
                d = d.related(ps.span, "part of the cycle");
            }
        }
        self.push(d);
    }
}

/// At most this many names are listed in one message; the rest are counted.
pub(super) const LISTED: usize = 8;

/// `names` joined with ", ", the first [`LISTED`] of them and how many more: a message about
/// one id in thousands of periods, repeated for thousands of lines, stays short.
pub(super) fn listed<S: AsRef<str>>(names: impl ExactSizeIterator<Item = S>) -> String {
    let n = names.len();
    listed_of(names, n)
}

/// [`listed`] of an iterator that does not know its length: `n` names in all.
pub(super) fn listed_of<S: AsRef<str>>(names: impl Iterator<Item = S>, n: usize) -> String {
    let mut out = String::new();
    for (k, name) in names.take(LISTED).enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        out.push_str(name.as_ref());
    }
    if n > LISTED {
        out.push_str(&format!(", and {} more", n - LISTED));
    }
    out
}

/// Of `candidates` (objectives of one team and id, in objective order, so by period start,
/// end and name), the one in `period`: by a scan of a few, by binary search of many, so that
/// an id in thousands of periods, named by thousands of refs, stays linear.
fn in_period(
    candidates: &[usize],
    period: &Period,
    objectives: &[(Objective, PendingObjective)],
) -> Option<usize> {
    if candidates.len() <= SCAN_PERIODS {
        return candidates
            .iter()
            .copied()
            .find(|&j| objectives[j].0.period.name == period.name);
    }
    let key = |j: usize| {
        let p = &objectives[j].0.period;
        (p.start, p.end, p.name.as_str())
    };
    let want = (period.start, period.end, period.name.as_str());
    candidates
        .binary_search_by(|&j| key(j).cmp(&want))
        .ok()
        .map(|at| candidates[at])
}

/// Up to this many objectives of one id are looked through one by one.
pub(super) const SCAN_PERIODS: usize = 16;

/// The `(team, id)` an objective or KPI ref names; nothing matches a ref of another shape.
fn split2(r: &str) -> (String, String) {
    match r.parse() {
        Ok(Ref::Item { team, id }) => (team, id),
        _ => Default::default(),
    }
}

/// An example value of a key, for the help of `missing-field`.
fn example(key: KrKey) -> &'static str {
    match key {
        KrKey::Start => "250",
        KrKey::Target => "150",
        KrKey::Unit => "\"%\"",
        KrKey::Kpi => "growth/d7-retention",
        KrKey::Due => "2026-12-15",
        KrKey::Revisions => "[{ date: 2026-11-10, target: 70, reason: \"scope cut\" }]",
    }
}

#[cfg(test)]
mod tests;
