//! Hover: the figures of the item under the cursor (an id, its title, or a ref to it) as of
//! today with its `description`, what a check-in contributes, what a key means (its goal-file
//! schema description, as key completion shows it), and the `goalpost explain` text of the
//! diagnostics there.
//!
//! Figures come from the report view model (`crate::report::view`: `measure()`,
//! `forecast_words()`, `value()`, `thresholds()`), never recomputed here, and from the last
//! state of the workspace that validated: while there are errors, that state is shown and
//! marked as such. Repository text (titles, owners, ids, units) goes through
//! `crate::text::safe::markdown`, as in the Markdown reports (SPEC 10).

use super::locate::{self, Located, Role};
use super::navigate::Target;
use super::position::LineIndex;
use super::store::{Valid, Workspace};
use crate::date::Date;
use crate::model::{Observation, upto};
use crate::report::view::{KpiRow, ObjectiveRow};
use crate::select::{self, Target as Found};
use crate::text::safe::markdown as md;
use crate::text::{fixed, num, plural};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

/// The hover at byte `offset` of the file at `path`.
pub(crate) fn hover(ws: &Workspace, path: &str, offset: usize) -> Option<Hover> {
    let text = ws.text(path)?;
    let loc = ws
        .parses(path)
        .then(|| locate::locate(text, offset))
        .flatten();
    let mut parts: Vec<String> = Vec::new();
    if let Some(loc) = &loc {
        let role = locate::role(loc);
        if let Some(target) = Target::at(loc).or_else(|| title_of(loc)) {
            parts.push(item(ws, &target, loc));
        }
        if let Some(doc) = key_doc(loc) {
            parts.push(doc);
        }
        if matches!(role, Role::Checkin | Role::LogRef)
            && let Some(c) = checkin(ws, path, loc)
        {
            parts.push(c);
        }
    }
    parts.extend(explanations(ws, path, text, offset));
    if parts.is_empty() {
        return None;
    }
    let range = loc.map(|l| LineIndex::new(text).range(text, &l.span));
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range,
    })
}

/// The item whose `title` the cursor is on (the value, not the key).
fn title_of(loc: &Located) -> Option<Target> {
    let keys = loc.keys();
    if loc.on_key || keys.last() != Some(&"title") {
        return None;
    }
    match (keys.as_slice(), loc.path.len()) {
        (["objectives", "title"], 3) => Some(Target::Objective {
            team: loc.team.clone()?,
            id: loc.objective.clone()?,
            period: loc.period.clone(),
        }),
        (["objectives", "key_results", "title"], 5) => Some(Target::Kr {
            team: loc.team.clone()?,
            objective: loc.objective.clone()?,
            id: loc.kr.clone()?,
            period: loc.period.clone(),
            date: None,
        }),
        _ => None,
    }
}

/// What the key under the cursor means: its description in the goal-file schema.
fn key_doc(loc: &Located) -> Option<String> {
    if !loc.on_key {
        return None;
    }
    let mut keys: Vec<String> = loc.keys().into_iter().map(str::to_owned).collect();
    let key = keys.pop()?;
    let doc = super::complete::key_doc(&keys, &key)?;
    Some(format!("**{}:** {}", md(&key), md(doc)))
}

/// The `goalpost explain` texts of the diagnostics whose range holds `offset`.
fn explanations(ws: &Workspace, path: &str, text: &str, offset: usize) -> Vec<String> {
    let Some(file) = ws.id(path) else {
        return Vec::new();
    };
    let index = LineIndex::new(text);
    let mut codes = Vec::new();
    for d in &ws.analysis.diags {
        if d.span.file != file || d.span.is_nowhere() || codes.contains(&d.code) {
            continue;
        }
        let start = index.offset_of_line_col(text, d.span.line, d.span.col.max(1));
        if start <= offset && offset <= start + d.span.len as usize {
            codes.push(d.code);
        }
    }
    codes
        .into_iter()
        .map(|c| {
            format!(
                "**goalpost explain {}**\n\n{}",
                c.name(),
                crate::explain::explain(c)
            )
        })
        .collect()
}

/// A line saying which state the figures come from.
fn provenance(ws: &Workspace, valid: &Valid) -> String {
    let mut s = format!("_As of {}", valid.card.as_of);
    if ws.analysis.errors > 0 {
        s.push_str(&format!(
            "; the workspace has {} now: these are the figures of the last state that validated_",
            plural(ws.analysis.errors, "error")
        ));
    } else {
        s.push('_');
    }
    s
}

/// The as-of date a target is looked up at: a log check-in's date picks its period.
fn lookup_date(target: &Target, today: Date) -> Date {
    match target {
        Target::Kr { date: Some(d), .. } => Date::parse(d).unwrap_or(today),
        _ => today,
    }
}

fn find(valid: &Valid, target: &Target, today: Date) -> Option<Found> {
    let period = match target {
        Target::Objective { period, .. } | Target::Kr { period, .. } => period.as_deref(),
        _ => None,
    };
    let found = select::resolve(
        &valid.goals,
        &target.reference(),
        period,
        lookup_date(target, today),
    )
    .ok()?;
    // `team/id` names an objective or a KPI; a KPI ref names only a KPI.
    match (target, &found) {
        (Target::Kpi { .. }, Found::Kpi(_))
        | (Target::Objective { .. }, Found::Objective(_))
        | (Target::Kr { .. }, Found::KeyResult(_))
        | (Target::Item { .. }, _) => Some(found),
        _ => None,
    }
}

/// The hover of an item: what it is and its figures.
fn item(ws: &Workspace, target: &Target, loc: &Located) -> String {
    let what = match target {
        Target::Objective { .. } => "Objective",
        Target::Kr { .. } => "Key result",
        Target::Kpi { .. } => "KPI",
        Target::Item { .. } => "Item",
    };
    let head = format!("**{what}** {}", md(&target.reference()));
    if let Some(text) = upstream_item(ws, target, &head) {
        return text;
    }
    let Some(valid) = &ws.valid else {
        return format!(
            "{head}\n\n_No figures: the workspace has not validated yet ({})_",
            plural(ws.analysis.errors, "error")
        );
    };
    let _ = loc;
    match find(valid, target, ws.today) {
        Some(Found::Objective(id)) => objective(ws, valid, id),
        Some(Found::KeyResult(id)) => key_result(ws, valid, id),
        Some(Found::Kpi(id)) => kpi(ws, valid, id),
        None if ws.analysis.errors > 0 => format!(
            "{head}\n\n_Not in the last state that validated (the workspace has {} now)_",
            plural(ws.analysis.errors, "error")
        ),
        None => format!("{head}\n\n_Not defined_"),
    }
}

/// The hover of an item of an upstream snapshot (`NAME:team/id`, SPEC 13): what the snapshot
/// says of it and the commit it is pinned at; `None` for an item of this repository.
fn upstream_item(ws: &Workspace, target: &Target, head: &str) -> Option<String> {
    let (team, id, period) = match target {
        Target::Objective { team, id, period } => (team, id, period.as_deref()),
        Target::Kpi { team, id } | Target::Item { team, id } => (team, id, None),
        Target::Kr { team, .. } => (team, &String::new(), None),
    };
    let name = crate::model::upstream_of(team)?;
    let pin = ws
        .upstream()
        .and_then(|u| u.pins.iter().find(|p| p.name == name));
    let (Some(up), Some(pin)) = (ws.upstream(), pin) else {
        return Some(format!(
            "{head}\n\n_No snapshot of upstream {} is read here (see the diagnostics)_",
            md(name)
        ));
    };
    let pinned = format!(
        "- from upstream {}, pinned at commit `{}` (goalpost.lock)",
        md(name),
        crate::load::upstream::short(&pin.commit)
    );
    let not_defined = || {
        format!(
            "{head}\n\n_Not defined by upstream {} at commit `{}`_",
            md(name),
            crate::load::upstream::short(&pin.commit)
        )
    };
    if matches!(target, Target::Kpi { .. } | Target::Item { .. })
        && let Some(k) = up.kpis.iter().find(|k| k.team == *team && k.id == *id)
    {
        let mut lines = vec![
            format!("**KPI** {}/{}", md(&k.team), md(&k.id)),
            md(&k.title),
            String::new(),
        ];
        if let Some(owner) = &k.owner {
            lines.push(format!("- owner {}", md(owner)));
        }
        lines.push(pinned);
        return Some(lines.join("\n"));
    }
    if matches!(target, Target::Kpi { .. } | Target::Kr { .. }) {
        return Some(not_defined());
    }
    let found = up
        .objectives
        .iter()
        .filter(|o| o.team == *team && o.id == *id)
        .find(|o| period.is_none_or(|p| o.period.name == p));
    let Some(o) = found else {
        return Some(not_defined());
    };
    let mut lines = objective_head(o);
    // Its figures when the last state that validated scored it (a parent of its goals).
    if let Some(valid) = &ws.valid {
        let scored = valid.card.upstream.iter().find(|s| {
            let u = valid.goals.objective(s.id);
            u.team == o.team && u.id == o.id && u.period.name == o.period.name
        });
        if let Some(s) = scored {
            lines.push(format!(
                "- score **{}** · expected {} · **{}**",
                fixed(s.score, 2),
                fixed(s.expected, 2),
                s.status.label()
            ));
        }
    }
    for kr in &o.key_results {
        lines.push(format!("- {} {}", md(&kr.id), md(&kr.title)));
    }
    lines.push(pinned);
    Some(lines.join("\n"))
}

/// The first lines of an objective's hover, here or upstream: its ref and period, its title,
/// its description, its owner and commitment.
fn objective_head(o: &crate::model::Objective) -> Vec<String> {
    let mut lines = vec![
        format!(
            "**Objective** {} · {}",
            md(&o.reference().to_string()),
            md(&o.period.name)
        ),
        md(&o.title),
        String::new(),
    ];
    if let Some(d) = &o.description {
        lines.push(md(d));
        lines.push(String::new());
    }
    let mut who = Vec::new();
    if let Some(owner) = &o.owner {
        who.push(format!("owner {}", md(owner)));
    }
    who.push(o.commitment.as_str().to_owned());
    lines.push(format!("- {}", who.join(" · ")));
    lines
}

fn objective(ws: &Workspace, valid: &Valid, id: crate::model::ObjectiveId) -> String {
    let row = ObjectiveRow::new(&valid.goals, &valid.card, id);
    let o = row.objective;
    let s = row.score;
    let mut lines = objective_head(o);
    lines.push(format!(
        "- score **{}** · expected {} · **{}**",
        fixed(s.score, 2),
        fixed(s.expected, 2),
        s.status.label()
    ));
    if let Some(f) = s.forecast {
        lines.push(format!("- forecast {}", fixed(f, 2)));
    }
    if let Some(d) = o.drop() {
        lines.push(dropped(d, ws.today));
    }
    if let Some(p) = row.parent {
        lines.push(format!("- parent {}", md(&p.reference().to_string())));
    }
    if !row.guardrails.is_empty() {
        let g: Vec<String> = row
            .guardrails
            .iter()
            .map(|g| {
                format!(
                    "{} ({})",
                    md(&g.kpi.reference().to_string()),
                    g.status.label()
                )
            })
            .collect();
        let breached = if s.guardrail_breached {
            " · **breached**"
        } else {
            ""
        };
        lines.push(format!("- guardrails {}{breached}", g.join(", ")));
    }
    for kr in &row.key_results {
        lines.push(format!(
            "- {} {} {}",
            md(&kr.kr.id),
            fixed(kr.score.progress, 2),
            kr.score.status.label()
        ));
    }
    lines.push(String::new());
    lines.push(provenance(ws, valid));
    lines.join("\n")
}

fn key_result(ws: &Workspace, valid: &Valid, id: crate::model::KrId) -> String {
    let row = ObjectiveRow::new(&valid.goals, &valid.card, id.objective);
    let Some(kr) = row.key_results.get(id.index as usize) else {
        return String::new();
    };
    let s = kr.score;
    let mut lines = vec![
        format!(
            "**Key result** {} · {}",
            md(&kr.reference().to_string()),
            md(&kr.objective.period.name)
        ),
        md(&kr.kr.title),
        String::new(),
    ];
    if let Some(d) = &kr.kr.description {
        lines.push(md(d));
        lines.push(String::new());
    }
    lines.extend([
        format!(
            "- progress {} (**{}**)",
            md(&kr.measure()),
            fixed(s.progress, 2)
        ),
        format!(
            "- **{}** · expected {}",
            s.status.label(),
            fixed(s.expected, 2)
        ),
    ]);
    if let Some(d) = kr.objective.kr_drop(kr.kr) {
        lines.push(dropped(d, ws.today));
    }
    if let Some(r) = kr.kr.revisions.iter().max_by_key(|r| r.date) {
        lines.push(format!(
            "- {}, the latest on {}: {}",
            plural(kr.kr.revisions.len(), "revision"),
            r.date,
            md(&r.reason)
        ));
    }
    let mut who = Vec::new();
    if let Some(owner) = kr.objective.kr_owner(kr.kr) {
        who.push(format!("owner {}", md(owner)));
    }
    if kr.kpi.is_none() {
        who.push(format!("cadence {}", kr.kr.cadence.as_str()));
    }
    lines.push(format!("- {}", who.join(" · ")));
    if let Some(c) = s.confidence {
        lines.push(format!("- confidence {}", num(c)));
    }
    let last = s.last_checkin.map_or("no check-in yet".to_owned(), |d| {
        format!("last check-in {d}")
    });
    let stale = if s.stale { " · **stale**" } else { "" };
    lines.push(format!("- {last}{stale}"));
    if let Some(f) = kr.forecast_words() {
        lines.push(format!("- forecast {}", md(&f)));
    }
    if let Some(k) = kr.kpi {
        lines.push(format!(
            "- values from KPI {}",
            md(&k.reference().to_string())
        ));
    }
    if kr.kr.weight != 1.0 {
        lines.push(format!("- weight {}", num(kr.kr.weight)));
    }
    lines.push(String::new());
    lines.push(provenance(ws, valid));
    lines.join("\n")
}

/// An item's drop: in effect, or dated after today.
fn dropped(d: crate::model::DropAt<'_>, today: Date) -> String {
    let when = if d.date > today {
        "to be dropped"
    } else {
        "dropped"
    };
    format!("- {when} on {}: {}", d.date, md(d.reason))
}

fn kpi(ws: &Workspace, valid: &Valid, id: crate::model::KpiId) -> String {
    let row = KpiRow::new(&valid.goals, &valid.card, id);
    let k = row.kpi;
    let s = row.score;
    let mut lines = vec![
        format!("**KPI** {}", md(&row.reference().to_string())),
        md(&k.title),
        String::new(),
        format!(
            "- value {} · target {}",
            md(&row.value()),
            md(&row.thresholds())
        ),
    ];
    let trend = s
        .trend
        .map_or(String::new(), |t| format!(" · {}", t.as_str()));
    lines.push(format!("- **{}**{trend}", s.status.label()));
    let last = s.last_checkin.map_or("no check-in yet".to_owned(), |d| {
        format!("last check-in {d}")
    });
    let stale = if s.stale { " · **stale**" } else { "" };
    lines.push(format!("- {last}{stale}"));
    let mut who = Vec::new();
    if let Some(owner) = &k.owner {
        who.push(format!("owner {}", md(owner)));
    }
    who.push(format!("cadence {}", k.cadence.as_str()));
    lines.push(format!("- {}", who.join(" · ")));
    lines.push(String::new());
    lines.push(provenance(ws, valid));
    lines.join("\n")
}

/// What the check-in at `loc` contributes to its item.
fn checkin(ws: &Workspace, path: &str, loc: &Located) -> Option<String> {
    let c = loc.checkin.as_ref()?;
    let target = match &c.reference {
        Some(r) => Target::at(&Located {
            path: vec![
                locate::Seg::Key("checkins".into()),
                locate::Seg::Index(0),
                locate::Seg::Key("ref".into()),
            ],
            text: r.clone(),
            ..loc.clone()
        })?,
        None => match (&loc.team, &loc.objective, &loc.kr, &loc.kpi) {
            (Some(team), Some(o), Some(kr), _) => Target::Kr {
                team: team.clone(),
                objective: o.clone(),
                id: kr.clone(),
                period: loc.period.clone(),
                date: None,
            },
            (Some(team), _, _, Some(k)) => Target::Kpi {
                team: team.clone(),
                id: k.clone(),
            },
            _ => return None,
        },
    };
    let date_text = c.date.clone().unwrap_or_default();
    let head = format!(
        "**Check-in** {} of {}",
        md(&date_text),
        md(&target.reference())
    );
    let Some(date) = Date::parse(&date_text) else {
        return Some(format!("{head}\n\n- not counted: `date` is not a date"));
    };
    if date > ws.today {
        return Some(format!(
            "{head}\n\n- not counted yet: dated after today ({})",
            ws.today
        ));
    }
    let valid = ws.valid.as_ref()?;
    let target = match target {
        Target::Kr {
            team,
            objective,
            id,
            period,
            ..
        } => Target::Kr {
            team,
            objective,
            id,
            period,
            date: Some(date_text.clone()),
        },
        t => t,
    };
    let (observations, frozen, value_of): (_, Date, Box<dyn Fn(f64) -> String>) =
        match find(valid, &target, ws.today)? {
            Found::KeyResult(id) => {
                let (o, kr) = valid.goals.kr(id);
                let unit = kr.unit.clone();
                (
                    valid.goals.observations(kr),
                    crate::score::frozen_at(&o.period, ws.today),
                    Box::new(move |v| crate::text::with_unit(v, unit.as_deref())),
                )
            }
            Found::Kpi(id) => {
                let k = valid.goals.kpi(id);
                let unit = k.unit.clone();
                (
                    k.checkins.as_slice(),
                    ws.today,
                    Box::new(move |v| crate::text::with_unit(v, unit.as_deref())),
                )
            }
            Found::Objective(_) => return None,
        };
    let file = ws.id(path)?;
    let counted = observations.iter().find(|o| o.date == date);
    let mut lines = vec![head, String::new()];
    let Some(counted) = counted else {
        lines.push("- not in the last state that validated".to_owned());
        lines.push(String::new());
        lines.push(provenance(ws, valid));
        return Some(lines.join("\n"));
    };
    let shown = match counted.obs {
        Observation::Value(v) => value_of(v),
        Observation::Done(d) => if d { "done" } else { "not done" }.to_owned(),
    };
    let here = counted.span.file == file
        && counted.span.line == c.span.line
        && counted.span.col == c.span.col;
    if here {
        lines.push(format!("- counts: {}", md(&shown)));
    } else {
        let at = format!(
            "{}:{}",
            md(ws.sources.path(counted.span.file)),
            counted.span.line
        );
        lines.push(format!(
            "- the check-in of this date that counts is at {at} ({})",
            md(&shown)
        ));
    }
    let seen = upto(observations, frozen);
    if date > frozen {
        lines.push(format!(
            "- after the period's end ({frozen}): not used for the score"
        ));
    } else if seen.last().is_some_and(|l| l.date == date) {
        lines.push("- the latest check-in: it sets the current value".to_owned());
    } else if let Some(l) = seen.last() {
        lines.push(format!(
            "- not the latest: the check-in of {} sets the current value",
            l.date
        ));
    }
    if let Some(conf) = counted.confidence {
        lines.push(format!("- confidence {}", num(conf)));
    }
    lines.push(String::new());
    lines.push(provenance(ws, valid));
    Some(lines.join("\n"))
}
