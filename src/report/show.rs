//! `goalpost show`: one item in depth, as text: its fields and figures (from the view
//! model's rows), what it is linked to, and its check-in history. Repository text goes
//! through [`safe::human`].

use super::text::*;
use super::view::{KpiNotes, KpiRow, KrNotes, KrRow, ObjectiveNotes, ObjectiveRow};
use crate::attention::Entry;
use crate::model::*;
use crate::score::{Scorecard, Status};
use crate::text::safe;

pub(crate) use crate::select::Target;

/// Repository text for the terminal (refs are slugs and pass unchanged).
fn h<T: std::fmt::Display + ?Sized>(s: &T) -> String {
    let s = s.to_string();
    match safe::human(&s) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(o) => o,
    }
}

fn field(out: &mut String, name: &str, value: impl std::fmt::Display) {
    out.push_str(&format!("  {name:<14}{value}\n"));
}

/// Who made a check-in written without `by` (from git blame), if known.
pub(crate) type Authors<'a> = &'a dyn Fn(&Checkin) -> Option<String>;

/// The check-in history. `frozen` is the last date that counts: the as-of date, or for a
/// key result of a closed period its end (SPEC 5: a closed period's figures are frozen, so
/// a linked KPI's later check-ins do not count for it).
fn history(
    out: &mut String,
    checkins: &[Checkin],
    as_of: Date,
    frozen: Date,
    unit: Option<&str>,
    authors: Authors,
) {
    if checkins.is_empty() {
        out.push_str("\ncheck-ins: none yet\n");
        return;
    }
    let seen = upto(checkins, frozen.min(as_of));
    out.push_str(&format!(
        "\ncheck-ins ({})  {}\n",
        checkins.len(),
        sparkline(&values(seen), 24)
    ));
    for c in checkins {
        let what = match c.obs {
            Observation::Value(v) => h(&with_unit(v, unit)),
            Observation::Done(true) => "done".to_owned(),
            Observation::Done(false) => "not done".to_owned(),
        };
        let mut line = format!("  {}  {what:>12}", c.date);
        if let Some(conf) = c.confidence {
            line.push_str(&format!("  confidence {}", num(conf)));
        }
        if let Some(by) = c.by() {
            line.push_str(&format!("  by {}", h(by)));
        } else if let Some(by) = authors(c) {
            line.push_str(&format!("  by {} (git)", h(&by)));
        }
        if let Some(note) = c.note() {
            line.push_str(&format!("  — {}", h(note)));
        }
        if c.date > as_of {
            line.push_str("  (after the as-of date: ignored)");
        } else if c.date > frozen {
            line.push_str("  (after the period's end: does not count)");
        }
        out.push_str(line.trim_end());
        out.push('\n');
        if let Some(k) = c.correction() {
            let was = |cs: &mut dyn Iterator<Item = &Checkin>| -> Vec<String> {
                cs.map(|o| match o.obs {
                    Observation::Value(v) => h(&with_unit(v, unit)),
                    Observation::Done(d) => (if d { "done" } else { "not done" }).to_owned(),
                })
                .collect()
            };
            let mut from = was(&mut k.originals()).join(" / ");
            let earlier = was(&mut k.overridden());
            if !earlier.is_empty() {
                from.push_str(&format!(" (then {})", earlier.join(", ")));
            }
            out.push_str(&format!(
                "{:14}↳ corrected from {from}: {}\n",
                "",
                h(&k.reason)
            ));
        }
    }
}

/// The check-ins `show` lists for a target (a KPI-linked key result shows its KPI's).
pub(crate) fn checkins_of(goals: &Goals, target: Target) -> &[Checkin] {
    match target {
        Target::Objective(_) => &[],
        Target::KeyResult(id) => goals.observations(goals.kr(id).1),
        Target::Kpi(k) => &goals.kpi(k).checkins,
    }
}

/// [`render`], with what changed since `before` (the same goals scored at an earlier date),
/// naming the authors of check-ins without `by` through `authors`. An objective opens with
/// what of it needs attention (SPEC 12).
pub(crate) fn render_with(
    goals: &Goals,
    card: &Scorecard,
    before: Option<&crate::score::Before>,
    target: Target,
    authors: Authors,
) -> String {
    let mut out = String::new();
    let row = |i: ObjectiveId| {
        let mut row = ObjectiveRow::new(goals, card, i);
        if let Some(b) = before {
            row.since(b, card);
        }
        row
    };
    match target {
        Target::Objective(i) => {
            let o = goals.objective(i);
            // An upstream objective is never in the attention list (SPEC 13).
            let entries = if i.is_upstream() {
                Vec::new()
            } else {
                crate::attention::list(goals, card, &[i], &o.guardrails)
            };
            objective(&mut out, goals, &row(i), &entries, before.map(|b| b.as_of));
        }
        Target::KeyResult(id) => {
            let row = row(id.objective);
            key_result(&mut out, &row, &row.key_results[id.index as usize], authors);
        }
        Target::Kpi(k) => {
            let mut row = KpiRow::new(goals, card, k);
            row.previous = before.map(|b| b.kpi(k));
            kpi(&mut out, goals, &row, authors);
        }
    }
    out
}

fn objective(
    out: &mut String,
    goals: &Goals,
    row: &ObjectiveRow,
    attention: &[Entry],
    since: Option<Date>,
) {
    let (o, s) = (row.objective, row.score);
    out.push_str(&format!(
        "objective {}\n{}\n\n",
        h(&o.reference()),
        h(&o.title)
    ));
    if !attention.is_empty() {
        out.push_str("needs attention\n");
        for e in attention {
            let due = e
                .checkin_due
                .map_or(String::new(), |d| format!(" (due {d})"));
            out.push_str(&format!(
                "  {:<20} {}{due}\n",
                h(&e.reference.to_string()),
                e.why()
            ));
        }
        out.push('\n');
    }
    let p = &o.period;
    field(
        out,
        "period",
        format!("{} ({} to {})", h(&p.name), p.start, p.end),
    );
    let ObjectiveNotes {
        breached: _,  // every guardrail is listed below, with its health
        committed: _, // the commitment is given either way
        owner,
        parent,
        carried_from,
        description,
        dropped,
        change,
    } = row.notes();
    if let Some(d) = description {
        field(out, "description", h(d));
    }
    field(out, "owner", owner.map_or("–".to_owned(), h));
    field(out, "commitment", o.commitment.as_str());
    if let Some(p) = parent {
        field(out, "parent", h(&p.to_string()));
    }
    if let Some(from) = carried_from {
        field(out, "carried from", h(from));
    }
    // Children here, and vendored ones (the roll-up, SPEC 13).
    let children: Vec<String> = goals
        .objectives
        .iter()
        .chain(&goals.upstream.objectives)
        .filter(|c| c.parent == Some(row.id))
        .map(|c| h(&c.reference()))
        .collect();
    if !children.is_empty() {
        field(out, "children", children.join(", "));
    }
    field(
        out,
        "score",
        format!("{}  {}", score(s.score), bar(s.score, 20)),
    );
    field(out, "expected", score(s.expected));
    if let Some(f) = s.forecast {
        field(
            out,
            "forecast",
            format!(
                "{}  (at the period's end, if every key result keeps its trend)",
                score(f)
            ),
        );
    }
    field(out, "status", s.status.label());
    if let Some(d) = dropped {
        field(
            out,
            "dropped",
            format!("{} (the figures above are of the day before)", h(&d)),
        );
    }
    if let (false, Some(since)) = (change.is_empty(), since) {
        field(out, "changed", format!("{} since {since}", h(&change)));
    }
    // A closed objective's guardrails are judged at its end (SPEC 5), which may differ from
    // the KPI's health today: say so.
    let closed = matches!(s.status, Status::Achieved | Status::Missed);
    for g in &row.guardrails {
        let at = if closed {
            format!(" at {}", o.period.end)
        } else {
            String::new()
        };
        field(
            out,
            "guardrail",
            format!("{} ({}{at})", h(&g.kpi.reference()), g.status.label()),
        );
    }
    out.push_str("\nkey results\n");
    for kr in &row.key_results {
        let ks = kr.score;
        let KrNotes {
            measure,
            stale,
            change,
            // In the key result's own `show`.
            kpi: _,
            due: _,
            confidence: _,
            last_checkin: _,
            last_note: _,
            forecast: _,
            owner: _,
            cadence: _,
            description: _,
            revisions,
            dropped,
        } = kr.notes();
        out.push_str(&format!(
            "  {:<20} {}  {:<10} {}{}\n",
            h(&kr.kr.id),
            score(ks.progress),
            ks.status.label(),
            h(&measure),
            if stale { "  ⚠ stale" } else { "" }
        ));
        for line in revisions.iter().chain(&dropped) {
            out.push_str(&format!("  {:<20} {}\n", "", h(line)));
        }
        if !change.is_empty() {
            out.push_str(&format!("  {:<20} Δ {}\n", "", h(&change)));
        }
    }
}

fn key_result(out: &mut String, row: &ObjectiveRow, kr: &KrRow, authors: Authors) {
    let (o, k, ks) = (row.objective, kr.kr, kr.score);
    out.push_str(&format!(
        "key result {}\n{}\n\n",
        h(&kr.reference()),
        h(&k.title)
    ));
    field(
        out,
        "objective",
        format!("{} ({})", h(&o.reference()), h(&o.period.name)),
    );
    let KrNotes {
        measure,
        kpi,
        due,
        confidence,
        last_checkin,
        stale,
        forecast,
        last_note: _, // the history below has every note
        change: _,    // in the objective's `show`
        owner: _,     // always named here: `KrRow::owner`
        cadence: _,   // always named here
        description,
        revisions,
        dropped,
    } = kr.notes();
    if let Some(d) = description {
        field(out, "description", h(d));
    }
    field(out, "owner", kr.owner().map_or("–".to_owned(), h));
    if kpi.is_none() {
        field(out, "cadence", k.cadence.as_str());
    }
    field(out, "kind", k.kind.kind().as_str());
    if let Some(due) = due {
        field(out, "due", due.to_string());
    }
    field(out, "measure", h(&measure));
    field(out, "weight", num(k.weight));
    if let Some(kpi) = kpi {
        field(out, "from KPI", h(&kpi.to_string()));
    }
    field(
        out,
        "progress",
        format!("{}  {}", kr.progress_cell(), bar(ks.progress, 20)),
    );
    field(out, "expected", kr.expected_cell());
    if let Some(words) = forecast.get() {
        let f = kr.forecast().map_or(0.0, |f| f.progress);
        field(
            out,
            "forecast",
            format!("{}, progress {}", h(&words), percent(f)),
        );
    }
    field(out, "status", ks.status.label());
    field(out, "confidence", confidence.map_or("–".to_owned(), num));
    field(
        out,
        "last check-in",
        last_checkin.map_or("–".to_owned(), |d| d.to_string()),
    );
    if stale {
        field(out, "stale", "yes: check in soon");
    }
    for r in &revisions {
        field(out, "revised", h(r));
    }
    if let Some(d) = dropped {
        field(
            out,
            "dropped",
            format!("{} (the figures above are of the day before)", h(&d)),
        );
    }
    let frozen = crate::score::frozen_at(&o.period, kr.as_of);
    history(
        out,
        kr.observations,
        kr.as_of,
        frozen,
        k.unit.as_deref(),
        authors,
    );
}

fn kpi(out: &mut String, goals: &Goals, row: &KpiRow, authors: Authors) {
    let (kp, s) = (row.kpi, row.score);
    out.push_str(&format!("KPI {}\n{}\n\n", h(&kp.reference()), h(&kp.title)));
    field(out, "better", kp.better.as_str());
    field(out, "target", h(&row.value_of(kp.target)));
    if let Some(c) = kp.critical {
        field(out, "critical", h(&row.value_of(c)));
    }
    field(out, "cadence", kp.cadence.as_str());
    field(out, "owner", kp.owner.as_deref().map_or("–".to_owned(), h));
    field(out, "value", h(&row.value()));
    field(out, "status", s.status.label());
    field(out, "trend", trend_arrow(s.trend, kp.better));
    let KpiNotes {
        stale,
        last_checkin: _, // the history below starts with it
        change: _,       // not shown for a KPI
    } = row.notes();
    if stale {
        field(out, "stale", "yes: check in soon");
    }
    // Where the KPI is used: as the metric of key results, and as a guardrail.
    let metric_of: Vec<String> = goals
        .objectives
        .iter()
        .flat_map(|o| {
            o.key_results
                .iter()
                .filter(|kr| kr.kpi == Some(row.id))
                .map(move |kr| format!("{}/{} ({})", o.reference(), kr.id, o.period.name))
        })
        .map(|r| h(&r))
        .collect();
    if !metric_of.is_empty() {
        field(out, "metric of", metric_of.join(", "));
    }
    let guardrail_of: Vec<String> = goals
        .objectives
        .iter()
        .filter(|o| o.guardrails.contains(&row.id))
        .map(|o| h(&format!("{} ({})", o.reference(), o.period.name)))
        .collect();
    if !guardrail_of.is_empty() {
        field(out, "guardrail of", guardrail_of.join(", "));
    }
    history(
        out,
        &kp.checkins,
        row.as_of,
        row.as_of,
        kp.unit.as_deref(),
        authors,
    );
}
