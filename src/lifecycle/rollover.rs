//! `goalpost rollover FROM TO` as a plan (SPEC 7.0): for each team with objectives in FROM,
//! the objectives [`carry`](super::carry) carries into TO, each team's in one new goal file
//! written as text (never re-serialised YAML) beside the team's first FROM file. The plan
//! is made before anything is written: names are chosen (`TO.yaml`, `TEAM-TO.yaml`, then
//! `…-carried.yaml`) or the whole rollover is refused, for every team at once. Writing,
//! validating and removing again are the caller's (`cli/rollover.rs`).

use super::carry::{carried_bounds, carries, carries_kr};
use crate::checkin::{number, scalar};
use crate::load::Sources;
use crate::model::*;
use crate::period::builtin;
use crate::score::{Scorecard, Status};
use crate::text::num;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// What to roll over.
#[derive(Debug, Clone)]
pub(crate) struct Options<'a> {
    pub from: &'a str,
    /// The period started; resolved, so it is a period name `check` accepts.
    pub to: &'a Period,
    /// Only these teams (all teams with objectives in FROM when empty).
    pub teams: &'a [String],
    /// Carry every objective and every key result, not only the unfinished ones.
    pub all: bool,
}

/// One new goal file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewFile {
    pub team: String,
    /// Repo-relative, `/`-separated.
    pub path: String,
    pub text: String,
    /// The objectives it carries.
    pub carried: Vec<Ref>,
}

/// What a rollover writes, and what it says about what it left out (lines for stderr).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Plan {
    pub files: Vec<NewFile>,
    pub notes: Vec<String>,
}

/// Why there is no plan: a usage error, and nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum RolloverError {
    #[error("FROM and TO are the same period, `{0}`")]
    SamePeriod(String),
    #[error("no objectives in period `{from}`{hint}")]
    NoObjectives { from: String, hint: String },
    #[error("team `{team}` has no objectives in `{from}`; teams with objectives there: {known}")]
    UnknownTeam {
        team: String,
        from: String,
        known: String,
    },
    #[error(
        "`{path}` and `{carried}` both exist already, so team `{team}`'s carried objectives have no file name; rollover never overwrites a file, so nothing was written for any team (rename one of them, or write the file by hand)"
    )]
    NameTaken {
        team: String,
        path: String,
        carried: String,
    },
}

/// Plans the rollover. `card` scores the goals as of T (so a closed FROM is frozen at its
/// end, an open one is scored as of T); `sources` names the file of every item (its text
/// gives the modeline); `taken` says whether a repo-relative path cannot be created (a file,
/// a directory or a link is there).
pub(crate) fn plan(
    goals: &Goals,
    card: &Scorecard,
    sources: &Sources,
    opts: &Options,
    taken: &dyn Fn(&str) -> bool,
) -> Result<Plan, RolloverError> {
    let (from, to) = (opts.from, &opts.to.name);
    if from == to {
        return Err(RolloverError::SamePeriod(from.to_owned()));
    }
    let in_from: Vec<ObjectiveId> = goals
        .objective_ids()
        .filter(|&i| goals.objective(i).period.name == from)
        .collect();
    if in_from.is_empty() {
        let periods: BTreeSet<&str> = goals
            .objectives
            .iter()
            .map(|o| o.period.name.as_str())
            .collect();
        let hint = if periods.is_empty() {
            String::new()
        } else {
            let list: Vec<&str> = periods.into_iter().collect();
            format!("; periods with objectives: {}", list.join(", "))
        };
        return Err(RolloverError::NoObjectives {
            from: from.to_owned(),
            hint,
        });
    }
    // Each team's FROM objectives, in `in_from`'s order, grouped once (a scan of every
    // objective per team was quadratic in teams; issue 34).
    let mut by_team: BTreeMap<&str, Vec<ObjectiveId>> = BTreeMap::new();
    for &i in &in_from {
        by_team
            .entry(goals.objective(i).team.as_str())
            .or_default()
            .push(i);
    }
    let teams: BTreeSet<&str> = by_team.keys().copied().collect();
    for t in opts.teams {
        if !teams.contains(t.as_str()) {
            return Err(RolloverError::UnknownTeam {
                team: t.clone(),
                from: from.to_owned(),
                known: teams.iter().copied().collect::<Vec<_>>().join(", "),
            });
        }
    }
    let chosen = |t: &str| opts.teams.is_empty() || opts.teams.iter().any(|x| x == t);

    // Objectives in TO after the rollover: those there already and those carried now.
    let mut in_to: HashSet<(&str, &str)> = goals
        .objectives
        .iter()
        .filter(|o| o.period.name == *to)
        .map(|o| (o.team.as_str(), o.id.as_str()))
        .collect();
    let mut notes = Vec::new();
    let mut carried: Vec<(&str, Vec<ObjectiveId>)> = Vec::new();
    for team in teams.iter().copied().filter(|t| chosen(t)) {
        let mut mine = Vec::new();
        for &i in by_team.get(team).map_or(&[][..], Vec::as_slice) {
            let o = goals.objective(i);
            if !carries(o, card.objective(i), opts.all) {
                continue;
            }
            if in_to.contains(&(team, o.id.as_str())) {
                notes.push(format!(
                    "not carried: `{}` exists in {to} already",
                    o.reference()
                ));
                continue;
            }
            mine.push(i);
        }
        carried.push((team, mine));
    }
    for (team, ids) in &carried {
        in_to.extend(ids.iter().map(|&i| (*team, goals.objective(i).id.as_str())));
    }

    // Each path's text (the first file of that path), found once for every team's header.
    let mut texts: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for f in &sources.files {
        texts.entry(f.path.as_str()).or_insert(f.text.as_str());
    }
    let mut files = Vec::new();
    let mut planned: HashSet<String> = HashSet::new();
    for (team, ids) in carried {
        if ids.is_empty() {
            continue;
        }
        // The team's first FROM file in path order (file indexes follow path order).
        let first = by_team
            .get(team)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| sources.path(goals.objective(i).span.file))
            .min()
            .unwrap_or_default();
        let path = file_name(first, team, from, to, &|p| taken(p) || planned.contains(p))?;
        planned.insert(path.clone());
        let first_text = texts.get(first).copied().unwrap_or_default();
        let mut text = header(first_text, &path, from, to, opts.all);
        text.push_str(&format!(
            "team: {}\nperiod: {}\nobjectives:\n",
            yaml_text(team),
            period(to)
        ));
        for (n, &i) in ids.iter().enumerate() {
            if n > 0 {
                text.push('\n');
            }
            let parent = goals.parent_ref(goals.objective(i));
            let keep = parent.as_ref().is_some_and(|p| {
                let team = p.team();
                matches!(p, Ref::Item { id, .. } if in_to.contains(&(team, id.as_str())))
            });
            if let (Some(p), false) = (&parent, keep) {
                notes.push(format!(
                    "`{}` keeps no parent: `{p}` is not in {to}",
                    goals.objective(i).reference()
                ));
            }
            objective(&mut text, goals, card, i, from, keep, opts.all);
        }
        files.push(NewFile {
            team: team.to_owned(),
            path,
            text,
            carried: ids
                .iter()
                .map(|&i| goals.objective(i).reference())
                .collect(),
        });
    }
    Ok(Plan { files, notes })
}

/// The new file's path, beside `first` (the team's first FROM file): `TO.yaml` when that is
/// `FROM.yaml`, else `TEAM-TO.yaml`; when taken, the same name ending `-carried.yaml`.
fn file_name(
    first: &str,
    team: &str,
    from: &str,
    to: &str,
    taken: &dyn Fn(&str) -> bool,
) -> Result<String, RolloverError> {
    let (dir, name) = match first.rsplit_once('/') {
        Some((dir, name)) => (format!("{dir}/"), name),
        None => (String::new(), first),
    };
    let ext = if name.ends_with(".yml") {
        "yml"
    } else {
        "yaml"
    };
    let stem = if name == format!("{from}.{ext}") {
        to.to_owned()
    } else {
        format!("{team}-{to}")
    };
    let path = format!("{dir}{stem}.{ext}");
    if !taken(&path) {
        return Ok(path);
    }
    let carried = format!("{dir}{stem}-carried.{ext}");
    if !taken(&carried) {
        return Ok(carried);
    }
    Err(RolloverError::NameTaken {
        team: team.to_owned(),
        path,
        carried,
    })
}

/// The modeline and the comment naming FROM. The modeline is the FROM file's (`text`) when it has
/// one (the new file is in the same directory, so its relative path holds), else the one
/// `init` writes, computed for the new file's path.
fn header(text: &str, path: &str, from: &str, to: &str, all: bool) -> String {
    const MODELINE: &str = "# yaml-language-server: $schema=";
    let modeline = text
        .lines()
        .take_while(|l| l.starts_with('#') || l.trim().is_empty())
        .find(|l| l.starts_with(MODELINE))
        .map_or_else(|| crate::schema::modeline(path), str::to_owned);
    let what = if all {
        "every objective of the team, with every key result"
    } else {
        "the objectives that ended below their pass mark, with the key results not yet done"
    };
    format!(
        "{modeline}\n\
         # Carried over from {from} by `goalpost rollover {from} {to}`:\n\
         # {what}.\n\
         # Each metric key result starts where it ended in {from}, so a title that names the\n\
         # old start needs an edit; check-ins start afresh. Rewrite or drop what no longer fits.\n"
    )
}

/// A period name as YAML: plain when it is a built-in period (`2026-Q4` reads as text),
/// else as [`yaml_text`].
fn period(name: &str) -> String {
    if builtin(name).is_some() {
        name.to_owned()
    } else {
        yaml_text(name)
    }
}

/// Text as a block-mapping value: plain when goalpost's own YAML reader reads it back as
/// exactly that string (most titles), double-quoted with escapes otherwise.
fn yaml_text(s: &str) -> String {
    use crate::load::yaml::{Node, parse};
    let plain = !s.is_empty()
        && !s.contains(['\n', '\r', '\t'])
        && !s.chars().any(char::is_control)
        && parse(&format!("k: {s}\n"), 0).is_ok_and(|root| match root.value {
            Node::Map(entries) => {
                entries.len() == 1 && matches!(&entries[0].1.value, Node::Str(v) if v == s)
            }
            _ => false,
        });
    if plain { s.to_owned() } else { scalar(s) }
}

fn objective(
    out: &mut String,
    goals: &Goals,
    card: &Scorecard,
    i: ObjectiveId,
    from: &str,
    keep_parent: bool,
    all: bool,
) {
    let (o, s) = (goals.objective(i), card.objective(i));
    // Every field is named (no `..`): a new field does not compile here until it is carried
    // or said not to be (SPEC 7.0).
    let Objective {
        team: _,   // the file's `team:`
        period: _, // the file's `period:` is TO
        id,
        title,
        owner,
        commitment,
        parent: _, // `keep_parent`: only when the parent is in TO after the rollover
        guardrails,
        key_results,
        carried_from: _, // replaced: the new one names FROM
        description,
        dropped: _, // a dropped objective is not carried (`carries`): this one has none in force
        span: _,
    } = o;
    out.push_str(&format!(
        "  # scored {} in {from} (pass mark {:.1})\n",
        crate::text::fixed(s.score, 2),
        commitment.pass_mark()
    ));
    out.push_str(&format!("  - id: {}\n", yaml_text(id)));
    out.push_str(&format!("    title: {}\n", yaml_text(title)));
    if let Some(owner) = owner {
        out.push_str(&format!("    owner: {}\n", yaml_text(owner)));
    }
    if let Some(d) = description {
        out.push_str(&format!("    description: {}\n", yaml_text(d)));
    }
    if *commitment == Commitment::Committed {
        out.push_str("    commitment: committed\n");
    }
    if let (true, Some(p)) = (keep_parent, goals.parent_ref(o)) {
        out.push_str(&format!("    parent: {}\n", yaml_text(&p.to_string())));
    }
    if !guardrails.is_empty() {
        let refs: Vec<String> = guardrails
            .iter()
            .map(|&k| scalar(&goals.kpi(k).reference().to_string()))
            .collect();
        out.push_str(&format!("    guardrails: [{}]\n", refs.join(", ")));
    }
    out.push_str(&format!("    carried_from: {}\n", period(from)));
    let left = |dropped: bool| -> Vec<&str> {
        key_results
            .iter()
            .zip(&s.key_results)
            .filter(|(_, ks)| !carries_kr(ks, all) && (ks.status == Status::Dropped) == dropped)
            .map(|(kr, _)| kr.id.as_str())
            .collect()
    };
    for (list, why) in [(left(false), "done"), (left(true), "dropped")] {
        if !list.is_empty() {
            out.push_str(&format!(
                "    # {why} in {from}, not carried: {}\n",
                list.join(", ")
            ));
        }
    }
    let krs: Vec<_> = key_results
        .iter()
        .zip(&s.key_results)
        .filter(|(_, ks)| carries_kr(ks, all))
        .collect();
    if krs.is_empty() {
        out.push_str("    key_results: []\n");
        return;
    }
    out.push_str("    key_results:\n");
    for (kr, ks) in krs {
        key_result(out, goals, kr, ks, o.period.end);
    }
}

/// A carried key result (SPEC 7.0).
fn key_result(
    out: &mut String,
    goals: &Goals,
    kr: &KeyResult,
    ks: &crate::score::KrScore,
    end: Date,
) {
    // Every field is named (no `..`), as for the objective.
    let KeyResult {
        id,
        title,
        kind,
        unit,
        weight,
        kpi,
        checkins: _, // check-ins start afresh
        owner,
        cadence,
        description,
        revisions: _, // not copied: the target in force at the end is the new plan
        dropped: _,   // a dropped key result is not carried (`carries_kr`)
        span: _,
    } = kr;
    out.push_str(&format!("      - id: {}\n", yaml_text(id)));
    out.push_str(&format!("        title: {}\n", yaml_text(title)));
    if let Some(d) = description {
        out.push_str(&format!("        description: {}\n", yaml_text(d)));
    }
    match *kind {
        // A milestone's `due` lies in the period it leaves, so it is not carried (SPEC
        // 7.0): the team sets a new one for the next period.
        KrMeasure::Milestone { due: _ } => out.push_str("        kind: milestone\n"), // Where it ended, toward the target in force at the end ([`carried_bounds`]).
        KrMeasure::Metric {
            target: _,
            start: _,
        } => {
            let (start, target) = carried_bounds(kr, ks, end).unwrap_or_default();
            // Finite model numbers always have a YAML form.
            let n = |x: f64| number(x).unwrap_or_else(|| num(x));
            out.push_str(&format!("        start: {}\n", n(start)));
            out.push_str(&format!("        target: {}\n", n(target)));
            if let Some(u) = unit {
                out.push_str(&format!("        unit: {}\n", yaml_text(u)));
            }
        }
    }
    if *weight != 1.0 {
        out.push_str(&format!(
            "        weight: {}\n",
            number(*weight).unwrap_or_else(|| num(*weight))
        ));
    }
    if let Some(k) = kpi {
        out.push_str(&format!(
            "        kpi: {}\n",
            yaml_text(&goals.kpi(*k).reference().to_string())
        ));
    }
    if let Some(owner) = owner {
        out.push_str(&format!("        owner: {}\n", yaml_text(owner)));
    }
    if *cadence != KrCadence::Weekly {
        out.push_str(&format!("        cadence: {cadence}\n"));
    }
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
