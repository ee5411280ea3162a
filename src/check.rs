//! The check pipeline as a library: goal files from a [`Source`] are loaded and validated
//! ([`load`], a [`Checked`]), then judged ([`judge`]): check-ins dated after today, the
//! practice lints, and against a base revision the history rules of `check --base`
//! (`crate::diff::rules`, on the engine's changes). Lints and history rules only run on goals
//! that validate, since they compare item by item. Nothing here prints: the command line
//! renders the diagnostics.

use crate::config::Config;
use crate::diag::{Diagnostic, Severity, Span};
use crate::diff::{ItemKind, Touched};
use crate::lint::Scope;
use crate::load::source::Source;
use crate::load::{self, LoadError, Sources};

pub(crate) use crate::load::{Kept, ParseCache};
use crate::model::{Date, Goals, Ref};
use crate::score::Scorecard;
use std::collections::{HashMap, HashSet};

/// Goals that were loaded and validated, with every diagnostic found on the way.
pub(crate) struct Checked {
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
    /// The goals, for scoring, when nothing read or validated is an error.
    pub(crate) fn valid(&self) -> Option<crate::model::Valid<'_>> {
        crate::model::Valid::of(&self.goals, &self.diags)
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.diags.iter().any(|d| d.severity == Severity::Error)
    }

    /// Frees the texts of the files read (their paths stay): for a side that is only compared
    /// once its diagnostics are out of the way (a base revision: the history rules name its
    /// files, never quote them).
    pub(crate) fn drop_texts(&mut self) {
        for f in &mut self.sources.files {
            f.text = String::new();
        }
    }

    /// How many errors were found.
    pub(crate) fn errors(&self) -> usize {
        self.diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
}

/// Load → validate from a source. An invalid goalpost.toml or an unreadable file is a
/// [`LoadError`]; problems in goal files are diagnostics.
pub(crate) fn load(source: &dyn Source) -> Result<Checked, LoadError> {
    Ok(validate(source, load::load(source)?))
}

/// [`load`] of goalpost.toml, the folders of `teams` under each root and the check-in log
/// ([`load::load_teams`]), validated as a repository of their own. The log's check-ins that
/// name an item of another team (most of a shared log) are left out first: they concern
/// none of these teams' items. Anything else that points outside these files (a parent, a
/// linked KPI, a check-in in a team's own file) is an `unknown-ref` error here.
pub(crate) fn load_teams(source: &dyn Source, teams: &[String]) -> Result<Checked, LoadError> {
    let mut loaded = load::load_teams(source, teams)?;
    let log = load::resolve::normalize(&loaded.config.checkin_log);
    for (i, f) in &mut loaded.files {
        if loaded.sources.files[*i as usize].path != log {
            continue;
        }
        if let Some(checkins) = &mut f.checkins {
            checkins.retain(|c| !load::of_other_team(c, teams));
        }
    }
    Ok(validate(source, loaded))
}

/// [`load`] for one of two revisions that share most files (`diff`, `check --base`): the
/// first load records its parses in `cache`, the second reuses those of identical files
/// ([`ParseCache`]).
pub(crate) fn load_sharing(
    source: &dyn Source,
    cache: &mut ParseCache,
) -> Result<Checked, LoadError> {
    Ok(validate(source, load::load_sharing(source, cache)?))
}

/// [`load`] that keeps a copy of each parse in `kept`, for validating the same tree again
/// with [`load_kept`] once this run has added files to it ([`Kept`]).
pub(crate) fn load_keeping(source: &dyn Source, kept: &mut Kept) -> Result<Checked, LoadError> {
    Ok(validate(source, load::load_keeping(source, kept)?))
}

/// [`load`] after [`load_keeping`] of the same tree: the files kept are taken as they were
/// read and parsed then, the others (the files this run added) read and parsed now, and the
/// whole repository is validated.
pub(crate) fn load_kept(source: &dyn Source, kept: Kept) -> Result<Checked, LoadError> {
    Ok(validate(source, load::load_kept(source, kept)?))
}

/// Loads two revisions that share most files (`diff`, `check --base`): each shared file is
/// parsed once ([`ParseCache`]), and the older side is validated on another thread while the
/// newer one is read. The older side's texts are freed once it validates (only its goals are
/// compared then; an invalid side keeps them for its diagnostics).
pub(crate) fn load_pair(
    base: &dyn Source,
    head: &dyn Source,
) -> (Result<Checked, LoadError>, Result<Checked, LoadError>) {
    let mut cache = ParseCache::default();
    // The texts of the files that parsed are not needed to validate: they are freed now,
    // and read again only if the base turns out invalid (to show its errors).
    let loaded = load::load_sharing(base, &mut cache).map(|mut loaded| {
        for (f, _) in &loaded.files {
            loaded.sources.files[*f as usize].text = String::new();
        }
        loaded
    });
    // Taken by the thread that validates it (or by this one, when no thread can be had).
    let slot = std::sync::Mutex::new(Some(loaded));
    let validate_base = || {
        let loaded = slot
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .expect("the base is taken once");
        loaded.map(|loaded| {
            let parsed: Vec<u32> = loaded.files.iter().map(|(f, _)| *f).collect();
            let mut c = validate(base, loaded);
            if c.has_errors() {
                reread(base, &mut c.sources, &parsed);
            } else {
                c.drop_texts();
            }
            c
        })
    };
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .stack_size(16 * 1024 * 1024)
            .spawn_scoped(scope, validate_base);
        let head = load_sharing(head, &mut cache);
        drop(cache);
        let base = match thread {
            Ok(t) => t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            Err(_) => validate_base(),
        };
        (base, head)
    })
}

/// Reads the texts of files `which` again (for diagnostics), as loading read them; a file
/// that cannot be read now keeps no text.
fn reread(source: &dyn Source, sources: &mut Sources, which: &[u32]) {
    for &f in which {
        let file = &mut sources.files[f as usize];
        if let Ok(load::source::Read::Bytes(bytes)) = source.read(&file.path, load::MAX_FILE_BYTES)
            && let Ok(text) = load::decode(&bytes, f)
        {
            file.text = text;
        }
    }
}

fn validate(source: &dyn Source, mut loaded: load::Loaded) -> Checked {
    // Every goal file found, also one that did not parse (its problem is reported).
    let is_goal_file = |p: &str| p.ends_with(".yaml") || p.ends_with(".yml");
    let files = loaded
        .sources
        .files
        .iter()
        .filter(|f| is_goal_file(&f.path))
        .count();
    // A file that was found but could not be read is reported; with neither, none was found.
    let nothing_found = loaded.files.is_empty() && loaded.diags.is_empty();
    // Goal files that did not parse: what they would have defined is not blamed elsewhere.
    let parsed: HashSet<u32> = loaded.files.iter().map(|(f, _)| *f).collect();
    let mut unread = crate::validate::Unread::default();
    for (i, f) in loaded.sources.files.iter().enumerate() {
        if !parsed.contains(&(i as u32)) && is_goal_file(&f.path) {
            unread.scan(&f.text);
        }
    }
    // The upstream snapshots of the same tree (SPEC 13), validated on their own; the files
    // they name are added to the sources after this repository's own.
    let snapshots = load::upstream::read(source, &mut loaded);
    let ups = (!snapshots.is_empty()).then(|| {
        let name = loaded.config.name.clone();
        let mut ups =
            crate::validate::upstream::gather(snapshots, &mut loaded.sources, name.as_deref());
        loaded.diags.append(&mut ups.diags);
        Box::new(ups)
    });
    let mut v = crate::validate::validate_in(
        loaded.files,
        &loaded.config,
        unread,
        crate::validate::Refs::Local(ups),
    );
    let mut diags = loaded.diags;
    diags.append(&mut v.diags);
    crate::diag::sort(&mut diags);
    Checked {
        files,
        config: loaded.config,
        sources: loaded.sources,
        goals: v.goals,
        diags,
        flawed: v.flawed,
        nothing_found,
    }
}

/// The base revision `check --base` compares with.
pub(crate) struct Base<'a> {
    pub checked: &'a Checked,
    /// How messages name it: `main (1a2b3c4d5e)`.
    pub name: &'a str,
    /// Report practice lints about every item, not only those the change touches.
    pub all_warnings: bool,
}

/// What judging against a base found beyond diagnostics.
#[derive(Debug, Default)]
pub(crate) struct BaseNote {
    /// Errors the base itself has (not findings of this run, but they limit what was
    /// compared).
    pub errors: usize,
    /// Key results invalid at the base, so not compared for moved starts or targets.
    pub skipped: Vec<Ref>,
}

/// Adds to `checked` what `check` reports beyond validation: check-ins dated after `today`
/// (against the clock, not `as_of`: a date after today is a typo whatever is scored), and,
/// when the goals validate, the lints scored as of `as_of` and the history rules against
/// `base`. Against a base, the lints that are not errors are reported only about the items
/// the change touches, unless [`Base::all_warnings`]. Returns what the caller should say
/// about the base (`None` without one, or when the rules did not run).
pub(crate) fn judge(
    checked: &mut Checked,
    today: Date,
    as_of: Date,
    base: Option<Base<'_>>,
) -> Option<BaseNote> {
    let found = findings(
        &checked.goals,
        &checked.diags,
        &checked.config,
        today,
        as_of,
    );
    let mut found_diags = found.diags;
    let (Some(card), Some(base)) = (&found.card, base) else {
        checked.diags.append(&mut found_diags);
        return None;
    };
    // The base is scored only when a closed period's grades could differ (and it validates).
    let closed = |g: &Goals| g.objectives.iter().any(|o| o.period.end < as_of);
    let base_card = base
        .checked
        .valid()
        .filter(|_| closed(&base.checked.goals) || closed(&checked.goals))
        .map(|valid| crate::score::score(valid, as_of, (&base.checked.config).into()));
    let history = crate::diff::rules::history(
        crate::diff::rules::Tree {
            goals: &base.checked.goals,
            sources: &base.checked.sources,
            flawed: &base.checked.flawed,
            card: base_card.as_ref(),
            valid: !base.checked.has_errors(),
        },
        &checked.goals,
        Some(card),
        &mut checked.sources,
        base.name,
        as_of,
        &checked.config,
    );
    if !base.all_warnings {
        touched_only(&mut found_diags, &checked.goals, &history.touched);
    }
    checked.diags.append(&mut found_diags);
    checked.diags.extend(history.diags);
    Some(BaseNote {
        errors: base.checked.errors(),
        skipped: history.skipped,
    })
}

/// Keeps, of the practice lints in `diags` that are not errors, those about items the change
/// touches (SPEC 9): what a finding is about is its lint's [`Scope`], starting from the item
/// it is located at. Other diagnostics, and a finding located at no item, are kept.
fn touched_only(diags: &mut Vec<Diagnostic>, goals: &Goals, touched: &Touched) {
    #[derive(Clone, Copy)]
    enum At {
        Objective(usize),
        KeyResult(usize, usize),
        Kpi(usize),
    }
    let mut at: HashMap<Span, At> = HashMap::new();
    for (i, o) in goals.objectives.iter().enumerate() {
        at.insert(o.span, At::Objective(i));
        for (j, kr) in o.key_results.iter().enumerate() {
            at.insert(kr.span, At::KeyResult(i, j));
        }
    }
    for (k, kpi) in goals.kpis.iter().enumerate() {
        at.insert(kpi.span, At::Kpi(k));
    }
    let about = |d: &Diagnostic| -> bool {
        let (Some(lint), Some(&item)) = (crate::lint::entry(d.code), at.get(&d.span)) else {
            return true;
        };
        let objective = match item {
            At::Objective(i) | At::KeyResult(i, _) => Some(&goals.objectives[i]),
            At::Kpi(_) => None,
        };
        match (lint.scope, item, objective) {
            (Scope::Change, _, _) => true,
            (Scope::Item, At::Kpi(k), _) => {
                touched.item(ItemKind::Kpi, None, &goals.kpis[k].reference())
            }
            (Scope::Item, At::KeyResult(_, j), Some(o)) => touched.item(
                ItemKind::KeyResult,
                Some(&o.period.name),
                &o.kr_ref(&o.key_results[j]),
            ),
            (Scope::Item, At::Objective(_), Some(o)) => {
                touched.item(ItemKind::Objective, Some(&o.period.name), &o.reference())
            }
            (Scope::Objective, _, Some(o)) => touched.objective(&o.period.name, &o.reference()),
            (Scope::Guardrails, _, Some(o)) => {
                touched.objective(&o.period.name, &o.reference())
                    || o.guardrails
                        .iter()
                        .any(|&k| touched.item(ItemKind::Kpi, None, &goals.kpi(k).reference()))
            }
            (Scope::TeamPeriod, _, Some(o)) => touched.team_period(&o.team, &o.period.name),
            (Scope::TeamKpis, At::Kpi(k), _) => touched.kpi_of(&goals.kpis[k].team),
            // A scope that does not fit where the finding is: not filtered.
            _ => true,
        }
    };
    diags.retain(|d| d.severity == Severity::Error || about(d));
}

/// What [`findings`] found.
pub(crate) struct Findings {
    /// `future-checkin` warnings, then the lints.
    pub diags: Vec<Diagnostic>,
    /// The scores the lints were run on; `None` when `diags` held an error (no lints then).
    pub card: Option<Scorecard>,
}

/// `check`'s findings on goals that were loaded and validated with `diags`, before any base
/// is compared: check-ins dated after `today`, and, when no diagnostic is an error, the
/// scores as of `as_of` with the lints on them. Both only read the goals, so they run side by
/// side. The editor server calls this too (with `as_of` = `today`) and keeps the scores.
pub(crate) fn findings(
    goals: &Goals,
    diags: &[Diagnostic],
    config: &Config,
    today: Date,
    as_of: Date,
) -> Findings {
    let valid = crate::model::Valid::of(goals, diags);
    let (mut future, scored) = std::thread::scope(|s| {
        let lint = move |valid: crate::model::Valid<'_>| {
            let card = crate::score::score(valid, as_of, config.into());
            let found = crate::lint::lint(valid.goals(), &card, config);
            (card, found)
        };
        let thread = valid.map(|valid| {
            std::thread::Builder::new()
                .spawn_scoped(s, move || lint(valid))
                .map_err(|_| valid)
        });
        let future = crate::validate::future_checkins(goals, today);
        let scored = match thread {
            None => None,
            Some(Ok(t)) => Some(t.join().unwrap_or_else(|p| std::panic::resume_unwind(p))),
            // No thread to be had: the lints run here.
            Some(Err(valid)) => Some(lint(valid)),
        };
        (future, scored)
    });
    let card = scored.map(|(card, mut found)| {
        future.append(&mut found);
        card
    });
    Findings {
        diags: future,
        card,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::source::{Entry, Read};

    /// Goal files in memory.
    struct Files(Vec<(&'static str, String)>);

    impl Source for Files {
        fn walk(&self, _: &[String], _: usize) -> std::io::Result<Vec<Entry>> {
            Ok(self
                .0
                .iter()
                .map(|(p, _)| Entry::File((*p).to_owned()))
                .collect())
        }
        fn read(&self, path: &str, _: u64) -> std::io::Result<Read> {
            Ok(match self.0.iter().find(|(p, _)| *p == path) {
                Some((_, t)) => Read::Bytes(t.clone().into_bytes()),
                None => Read::Missing,
            })
        }
        fn describe(&self) -> String {
            "memory".to_owned()
        }
    }

    const KPIS: &str = "team: growth\nkpis:\n  - id: churn\n    title: Churn\n    better: lower\n    target: 5\n    checkins:\n      - { date: 2026-10-01, value: 6 }\n";
    const LOG: &str = "checkins:\n  - { ref: growth/churn, date: 2026-10-08, value: 5.5 }\n";

    fn same(a: &Checked, b: &Checked) {
        assert_eq!(format!("{:?}", a.goals), format!("{:?}", b.goals));
        assert_eq!(a.diags, b.diags);
        assert_eq!(format!("{:?}", a.sources), format!("{:?}", b.sources));
    }

    #[test]
    fn a_second_load_reuses_the_parses_of_identical_files_only() {
        let base = Files(vec![
            ("goals/checkins.yaml", LOG.to_owned()),
            ("goals/growth.yaml", KPIS.to_owned()),
        ]);
        let head = Files(vec![
            ("goals/checkins.yaml", LOG.replace("5.5", "5.4")),
            ("goals/growth.yaml", KPIS.to_owned()),
        ]);
        let mut cache = ParseCache::default();
        let b = load_sharing(&base, &mut cache).expect("loads");
        let h = load_sharing(&head, &mut cache).expect("loads");
        // The same as loading each alone: the changed log was parsed again.
        same(&b, &load(&base).expect("loads"));
        same(&h, &load(&head).expect("loads"));
        let value = |c: &Checked| format!("{:?}", c.goals.kpis[0].checkins[1].obs);
        assert_eq!(
            (value(&b), value(&h)),
            ("Value(5.5)".into(), "Value(5.4)".into())
        );
        // A file at another index is parsed for itself (spans name their file).
        let moved = Files(vec![
            ("goals/a.yaml", LOG.to_owned()),
            ("goals/checkins.yaml", LOG.replace("5.5", "5.4")),
            ("goals/growth.yaml", KPIS.to_owned()),
        ]);
        let mut cache = ParseCache::default();
        load_sharing(&head, &mut cache).expect("loads");
        let m = load_sharing(&moved, &mut cache).expect("loads");
        same(&m, &load(&moved).expect("loads"));
    }

    #[test]
    fn a_pair_loads_like_two_loads() {
        let base = Files(vec![("goals/growth.yaml", KPIS.to_owned())]);
        let head = Files(vec![(
            "goals/growth.yaml",
            KPIS.replace("target: 5", "target: 4"),
        )]);
        let (b, h) = load_pair(&base, &head);
        let (b, h) = (b.expect("loads"), h.expect("loads"));
        same(&h, &load(&head).expect("loads"));
        assert_eq!(
            format!("{:?}", b.goals),
            format!("{:?}", load(&base).expect("loads").goals)
        );
        // A valid base keeps its paths, not its texts.
        assert_eq!(b.sources.files[0].path, "goals/growth.yaml");
        assert!(b.sources.files[0].text.is_empty());
        // An invalid base keeps its texts, for its diagnostics.
        let broken = Files(vec![(
            "goals/growth.yaml",
            KPIS.replace("better: lower", "better: up"),
        )]);
        let (b, _) = load_pair(&broken, &head);
        let b = b.expect("loads");
        assert!(b.has_errors() && !b.sources.files[0].text.is_empty());
    }

    #[test]
    fn an_invalid_base_of_a_pair_shows_its_lines() {
        let broken = Files(vec![
            ("goals/checkins.yaml", LOG.to_owned()),
            (
                "goals/growth.yaml",
                KPIS.replace("target: 5", "target: five"),
            ),
        ]);
        let head = Files(vec![("goals/growth.yaml", KPIS.to_owned())]);
        let (b, _) = load_pair(&broken, &head);
        let b = b.expect("loads");
        assert!(b.has_errors());
        same(&b, &load(&broken).expect("loads"));
    }

    #[test]
    fn judging_against_a_base_reports_rewritten_history() {
        let base = Files(vec![("goals/growth.yaml", KPIS.to_owned())]);
        let head = Files(vec![(
            "goals/growth.yaml",
            KPIS.replace("value: 6", "value: 7"),
        )]);
        let old = load(&base).expect("loads");
        let mut new = load(&head).expect("loads");
        let t = Date::parse("2026-11-15").expect("a date");
        let note = judge(
            &mut new,
            t,
            t,
            Some(Base {
                checked: &old,
                name: "main",
                all_warnings: false,
            }),
        )
        .expect("judged against the base");
        assert_eq!(note.errors, 0);
        let codes: Vec<_> = new.diags.iter().map(|d| d.code).collect();
        assert!(
            codes.contains(&crate::diag::Code::HistoryRewritten),
            "{codes:?}"
        );
    }
}
