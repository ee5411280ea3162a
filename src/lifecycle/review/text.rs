//! `review` for a terminal: per team, each objective with its key results (score, grade,
//! band, final numbers, last confidence, target history, check-in notes), the items dropped
//! (not graded), what to carry over and the team's calibration;
//! then calibration overall (per owner, naming people, only when asked: `--by-owner`) and
//! the next step. Repository text goes through
//! [`safe::human`]; colour (the bands) only when asked for.

use super::{Band, Brier, Calibration, Grade, RANKED_N, Review, TeamReview};
use crate::text::{num, plural, safe};
use std::fmt::Write as _;

/// The sentences every format uses to say what a confidence is and what a Brier score is.
pub(crate) const BRIER_MEANS: &str = "A confidence is the stated probability that the key result reaches its target (progress 1) by the end of the period. Each one stands from the day it is given until the next (0.5 before the first), and a key result's Brier score is the mean over the period's days of (confidence − outcome)², where the outcome is 1 when the target was reached and 0 when not: 0 is perfect, and 0.25 is what always answering 0.5 scores.";

fn h(s: &str) -> String {
    safe::human(s).into_owned()
}

fn score(x: f64) -> String {
    crate::text::fixed(x, 2)
}

/// "0.14 (n = 8)", or "– (n = 0)".
pub(crate) fn brier(b: &Brier) -> String {
    match b.score() {
        Some(s) => format!("{} (n = {})", score(s), b.n),
        None => "– (n = 0)".to_owned(),
    }
}

fn band(b: Band, color: bool) -> String {
    let word = format!("{:<6}", b.as_str());
    if !color {
        return word;
    }
    let c = match b {
        Band::Red => anstyle::AnsiColor::Red,
        Band::Yellow => anstyle::AnsiColor::Yellow,
        Band::Green => anstyle::AnsiColor::Green,
    };
    let style = anstyle::Style::new().fg_color(Some(c.into()));
    format!("{}{word}{}", style.render(), style.render_reset())
}

/// The review for a terminal; `color` colours the bands; `by_owner` shows calibration per
/// owner (naming people).
pub(crate) fn render(r: &Review, color: bool, by_owner: bool) -> String {
    let mut out = String::new();
    let p = &r.period;
    let _ = writeln!(
        out,
        "Review of {} ({} to {}), as of {}",
        h(&p.name),
        p.start,
        p.end,
        r.as_of
    );
    for t in &r.teams {
        out.push('\n');
        team(&mut out, t, color);
    }
    out.push('\n');
    calibration(&mut out, &r.calibration, by_owner);
    let carried: usize = r.teams.iter().map(|t| t.carry_over.len()).sum();
    if carried > 0 {
        let next = r.next_period().unwrap_or_else(|| "NEXT-PERIOD".to_owned());
        let _ = writeln!(
            out,
            "\nnext: goalpost rollover {} {} --dry-run   (shows the {} it would carry)",
            h(&p.name),
            h(&next),
            plural(carried, "objective")
        );
    }
    out
}

fn team(out: &mut String, t: &TeamReview, color: bool) {
    let achieved = t
        .objectives
        .iter()
        .filter(|o| o.grade == Grade::Achieved)
        .count();
    let _ = writeln!(
        out,
        "{}: {achieved} of {} achieved · calibration {}",
        h(&t.team),
        plural(t.objectives.len(), "objective"),
        brier(&t.calibration.all)
    );
    let width = t
        .objectives
        .iter()
        .flat_map(|o| {
            std::iter::once(o.objective.reference().to_string().chars().count())
                .chain(o.key_results.iter().map(|k| k.kr.id.chars().count() + 2))
        })
        .max()
        .unwrap_or(0);
    for o in &t.objectives {
        let mut line = format!(
            "  {:<width$}  {}  {:<8}  {}",
            h(&o.objective.reference().to_string()),
            score(o.score),
            o.grade.as_str(),
            band(o.band, color),
        );
        if let Some(owner) = &o.objective.owner {
            let _ = write!(line, "  {}", h(owner));
        }
        if o.objective.commitment == crate::model::Commitment::Committed {
            line.push_str("  (committed)");
        }
        out.push_str(line.trim_end());
        out.push('\n');
        let _ = writeln!(out, "    {}", h(&o.objective.title));
        for k in &o.key_results {
            let mut line = format!(
                "    {:<w$}  {}  {:<8}  {}  {}",
                h(&k.kr.id),
                score(k.progress()),
                k.grade.as_str(),
                band(k.band, color),
                h(&k.measure()),
                w = width.saturating_sub(2),
            );
            if let Some(c) = k.confidence() {
                let _ = write!(line, "  confidence {}", num(c));
            }
            out.push_str(line.trim_end());
            out.push('\n');
            for r in &k.revisions {
                let _ = writeln!(out, "      revised: {}", h(r));
            }
            for (date, note) in &k.notes {
                let _ = writeln!(out, "      note {date}: {}", h(note));
            }
        }
        for (c, s) in &o.children {
            let _ = writeln!(
                out,
                "    ↳ {}  {}  {}",
                h(&c.reference().to_string()),
                score(*s),
                h(&c.title)
            );
        }
    }
    for d in &t.dropped {
        let _ = writeln!(
            out,
            "  dropped, not graded: {} on {}: {}",
            h(&d.reference.to_string()),
            d.date,
            h(d.reason)
        );
    }
    for o in t.carried().flatten() {
        let _ = writeln!(
            out,
            "  carry over: {} ({} of the pass mark {:.1})",
            h(&o.objective.reference().to_string()),
            score(o.score),
            o.objective.commitment.pass_mark()
        );
    }
    if t.sandbagging {
        let _ = writeln!(
            out,
            "  sandbagging: every aspirational objective scored 1.0; 0.7 is a good score, so the targets were probably too safe"
        );
    }
}

fn calibration(out: &mut String, c: &Calibration, by_owner: bool) {
    let _ = writeln!(out, "Calibration: {}", BRIER_MEANS);
    if !by_owner {
        let _ = writeln!(out, "  everyone  {}", brier(&c.all));
        if !c.by_owner.is_empty() {
            let _ = writeln!(out, "  (per owner: add --by-owner)");
        }
        return;
    }
    let width = c
        .by_owner
        .keys()
        .map(|o| h(o).chars().count())
        .chain(std::iter::once("everyone".len()))
        .max()
        .unwrap_or(0);
    let _ = writeln!(out, "  {:<width$}  {}", "everyone", brier(&c.all));
    for (owner, b) in &c.by_owner {
        let _ = writeln!(out, "  {:<width$}  {}", h(owner), brier(b));
    }
    if let Some(line) = ranking(c, h) {
        let _ = writeln!(out, "  {line}");
    }
}

/// The sentence naming the best- and worst-calibrated owners, each with at least
/// [`RANKED_N`] key results counted; `None` when no owner has that many. `name` formats an owner
/// for the output.
pub(crate) fn ranking(c: &Calibration, name: impl Fn(&str) -> String) -> Option<String> {
    let ranked = c.ranked();
    let few = c.by_owner.values().any(|b| b.n > 0 && b.n < RANKED_N);
    let rest = if few {
        format!(" (owners with fewer than {RANKED_N} key results with a confidence are not ranked)")
    } else {
        String::new()
    };
    let one = |(o, s, n): (&str, f64, usize)| format!("{} ({}, n = {n})", name(o), score(s));
    match ranked.as_slice() {
        [] => None,
        [only] => Some(format!(
            "Only {} has {RANKED_N} or more key results with a confidence{rest}.",
            one(*only)
        )),
        [best, .., worst] if (best.1 - worst.1).abs() < 1e-12 => Some(format!(
            "{} ranked owners are equally well calibrated ({}){rest}.",
            ranked.len(),
            score(best.1)
        )),
        [best, .., worst] => Some(format!(
            "Best calibrated: {}; least well calibrated: {}{rest}.",
            one(*best),
            one(*worst)
        )),
    }
}
