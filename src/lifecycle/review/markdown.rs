//! `review --format markdown`: the retrospective document a team pastes into a pull request
//! or a wiki. A summary table of the teams, calibration (what a confidence and a Brier score
//! mean; with `--by-owner`, per owner and the best- and worst-calibrated owners once each has
//! [`RANKED_N`] key results with a confidence), then a
//! section per team (objectives, key results folded with their target history and check-in
//! notes, the items dropped, what to carry over, a `sandbagging`
//! note when every aspirational objective scored 1.0), and questions for the meeting. Within
//! GitHub's comment limit ([`fit`]); repository text goes through [`safe::markdown`].

use super::text::{BRIER_MEANS, ranking};
use super::{Band, Brier, Calibration, Grade, RANKED_N, Review, TeamReview};
use crate::model::Commitment;
use crate::text::fit::Document;
use crate::text::{num, plural, safe};
use std::fmt::Write as _;

fn md(s: &str) -> String {
    safe::markdown(s)
}

/// Whether `s` can be written into a command line in a code span as it is: only letters,
/// digits and `-_./` (built-in period names, slugs). Other period names are not quoted
/// into commands at all.
fn plain_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

fn score(x: f64) -> String {
    crate::text::fixed(x, 2)
}

fn grade(g: Grade) -> &'static str {
    match g {
        Grade::Achieved => "🏆 achieved",
        Grade::Missed => "❌ missed",
    }
}

fn band(b: Band) -> &'static str {
    match b {
        Band::Red => "🔴 red",
        Band::Yellow => "🟡 yellow",
        Band::Green => "🟢 green",
    }
}

fn brier(b: &Brier) -> (String, usize) {
    (b.score().map_or("–".to_owned(), score), b.n)
}

/// The review as Markdown within `limit` bytes; `by_owner` shows calibration per owner
/// (naming people).
pub(crate) fn render(r: &Review, limit: usize, by_owner: bool) -> String {
    let p = &r.period;
    let objectives: Vec<_> = r.objectives().collect();
    let achieved = objectives
        .iter()
        .filter(|o| o.grade == Grade::Achieved)
        .count();
    let krs: Vec<_> = objectives.iter().flat_map(|o| &o.key_results).collect();
    let krs_achieved = krs.iter().filter(|k| k.grade == Grade::Achieved).count();
    let mut head = format!(
        "# {} review\n\n_{} to {}: {}, {} achieved; {}, {} achieved._\n\n",
        md(&p.name),
        p.start,
        p.end,
        plural(objectives.len(), "objective"),
        achieved,
        plural(krs.len(), "key result"),
        krs_achieved,
    );
    head.push_str(
        "| Team | Objectives | Achieved | Mean score | To carry over | Brier (n) |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    for t in &r.teams {
        let n = t.objectives.len();
        let achieved = t
            .objectives
            .iter()
            .filter(|o| o.grade == Grade::Achieved)
            .count();
        let mean = t.objectives.iter().map(|o| o.score).sum::<f64>() / n.max(1) as f64;
        let (b, bn) = brier(&t.calibration.all);
        let _ = writeln!(
            head,
            "| {} | {n} | {achieved} | {} | {} | {b} ({bn}) |",
            md(&t.team),
            score(mean),
            t.carry_over.len()
        );
    }
    let mut doc = Document::new(head, limit);
    doc.section(&[(1, "calibration table")], || {
        calibration(&r.calibration, by_owner)
    });
    for t in &r.teams {
        doc.section(&[(1, "team"), (t.objectives.len(), "objective")], || {
            team(r, t)
        });
    }
    if let Some(q) = questions(r, by_owner) {
        doc.section(&[(1, "list of questions")], || q);
    }
    doc.finish(
        "Run `goalpost review` with `--team` for one team, or `--format json` for everything.",
    )
}

fn calibration(c: &Calibration, by_owner: bool) -> String {
    let mut out = format!(
        "## Calibration\n\nHow well did the confidences given match what happened? Every confidence given on a key result's check-ins counts for the days it stood. {BRIER_MEANS} Lower is better.\n\n"
    );
    if c.all.n == 0 {
        out.push_str(
            "_No key result gave a confidence inside the period, so there is nothing to calibrate. Add `confidence:` to check-ins (0.7 means \"7 in 10 that we reach the target\")._\n",
        );
        return out;
    }
    out.push_str("| Who | Brier | Key results |\n|---|---:|---:|\n");
    let (b, n) = brier(&c.all);
    let _ = writeln!(out, "| **Everyone** | **{b}** | {n} |");
    if !by_owner {
        if !c.by_owner.is_empty() {
            out.push_str("\n_Per owner: run `goalpost review` with `--by-owner`._\n");
        }
        return out;
    }
    for (owner, br) in &c.by_owner {
        let (b, n) = brier(br);
        let _ = writeln!(out, "| {} | {b} | {n} |", md(owner));
    }
    out.push('\n');
    match ranking(c, |o| format!("**{}**", md(o))) {
        Some(line) => {
            let _ = writeln!(out, "{line}");
        }
        None => {
            let _ = writeln!(
                out,
                "_No owner has {RANKED_N} or more key results with a confidence, so nobody is ranked: a Brier score from fewer says little._"
            );
        }
    }
    out
}

fn team(r: &Review, t: &TeamReview) -> String {
    let mut out = format!(
        "## {}\n\n| Objective | Owner | Score | Grade | Band |\n|---|---|---:|---|---|\n",
        md(&t.team)
    );
    for o in &t.objectives {
        let committed = if o.objective.commitment == Commitment::Committed {
            " (committed)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "| **`{}`** {}{committed} | {} | **{}** | {} | {} |",
            o.objective.reference(),
            md(&o.objective.title),
            o.objective.owner.as_deref().map_or("–".to_owned(), md),
            score(o.score),
            grade(o.grade),
            band(o.band)
        );
    }
    let n: usize = t.objectives.iter().map(|o| o.key_results.len()).sum();
    let _ = write!(
        out,
        "\n<details><summary>Key results ({n})</summary>\n\n\
         | Key result | Score | Grade | Band | At the end | Last confidence |\n|---|---:|---|---|---|---:|\n"
    );
    for o in &t.objectives {
        for k in &o.key_results {
            // The target history and the notes go under the figures at the end, one per line.
            let mut at_end = md(&k.measure());
            for r in &k.revisions {
                let _ = write!(at_end, "<br>revised: {}", md(r));
            }
            for (date, note) in &k.notes {
                let _ = write!(at_end, "<br>note {date}: {}", md(note));
            }
            let _ = writeln!(
                out,
                "| `{}` {} | {} | {} | {} | {at_end} | {} |",
                k.reference,
                md(&k.kr.title),
                score(k.progress()),
                grade(k.grade),
                band(k.band),
                k.confidence().map_or("–".to_owned(), num)
            );
        }
    }
    out.push_str("\n</details>\n\n");
    let children: Vec<_> = t
        .objectives
        .iter()
        .flat_map(|o| o.children.iter().map(move |c| (o, c)))
        .collect();
    if !children.is_empty() {
        let _ = write!(
            out,
            "<details><summary>Objectives of other repositories under these ({})</summary>\n\n| Objective | Supports | Score |\n|---|---|---:|\n",
            children.len()
        );
        for (o, (c, s)) in children {
            let _ = writeln!(
                out,
                "| `{}` {} | `{}` | {} |",
                c.reference(),
                md(&c.title),
                o.objective.reference(),
                score(*s)
            );
        }
        out.push_str("\n</details>\n\n");
    }
    if !t.dropped.is_empty() {
        out.push_str("**Dropped** (not graded):\n\n");
        for d in &t.dropped {
            let _ = writeln!(
                out,
                "- `{}`: dropped on {}: {}",
                md(&d.reference.to_string()),
                d.date,
                md(d.reason)
            );
        }
        out.push('\n');
    }
    if t.carry_over.is_empty() {
        out.push_str("**Carry over:** nothing; every objective reached its pass mark.\n");
    } else {
        let list: Vec<String> = t
            .carried()
            .flatten()
            .map(|o| {
                format!(
                    "`{}` ({} of {:.1})",
                    o.objective.reference(),
                    score(o.score),
                    o.objective.commitment.pass_mark()
                )
            })
            .collect();
        let command = match r.next_period() {
            Some(next) if plain_word(&r.period.name) && plain_word(&t.team) => format!(
                "`goalpost rollover {} {next} --team {} --dry-run`",
                r.period.name, t.team
            ),
            _ => "`goalpost rollover` from this period to the next, with `--dry-run`,".to_owned(),
        };
        let _ = writeln!(
            out,
            "**Carry over** (below the pass mark): {}. {command} shows what would be carried, each unfinished key result starting where it ended.",
            list.join(", "),
        );
    }
    let (b, bn) = brier(&t.calibration.all);
    if bn > 0 {
        let _ = writeln!(
            out,
            "\n**Calibration:** Brier {b} over {}.",
            plural(bn, "key result")
        );
    }
    if t.sandbagging {
        out.push_str(
            "\n> [!WARNING]\n> **Sandbagging:** every aspirational objective of this team scored 1.0. For aspirational objectives 0.7 is a good score; a team that always reaches 1.0 is aiming too low. Set bolder targets next period.\n",
        );
    }
    out
}

/// Questions for the retrospective meeting, from what the period shows; `None` when it
/// shows nothing to ask about.
fn questions(r: &Review, by_owner: bool) -> Option<String> {
    let mut qs: Vec<String> = Vec::new();
    let refs = |pred: &dyn Fn(&super::ObjectiveReview) -> bool| -> Vec<String> {
        r.objectives()
            .filter(|o| pred(o))
            .map(|o| format!("`{}` ({})", o.objective.reference(), score(o.score)))
            .collect()
    };
    let missed_committed =
        refs(&|o| o.objective.commitment == Commitment::Committed && o.grade == Grade::Missed);
    if !missed_committed.is_empty() {
        qs.push(format!(
            "Committed objectives are expected to reach 1.0: {} did not. What got in the way, and what would have surfaced it earlier?",
            missed_committed.join(", ")
        ));
    }
    let red = refs(&|o| o.band == Band::Red);
    if !red.is_empty() {
        qs.push(format!(
            "In the red: {}. Was the bet wrong, or did it never get the time?",
            red.join(", ")
        ));
    }
    let carry: usize = r.teams.iter().map(|t| t.carry_over.len()).sum();
    if carry > 0 {
        qs.push(format!(
            "Carry over or let go? {} ended below the pass mark; carrying one is a new bet for the next period, not a default.",
            plural(carry, "objective")
        ));
    }
    let how = |lean: f64| {
        if lean > 0.0 {
            "too hopeful: confidence was high on key results that did not reach their target"
        } else {
            "too cautious: confidence was low on key results that reached their target"
        }
    };
    let worst = r
        .calibration
        .ranked()
        .last()
        .copied()
        .filter(|w| w.1 > 0.25);
    match worst {
        Some(worst) if by_owner => {
            let lean = r.calibration.by_owner[worst.0].lean().unwrap_or(0.0);
            qs.push(format!(
                "**{}**'s confidences scored a Brier of {}, worse than always answering 0.5 (0.25), and leaned {}. What would have told us sooner?",
                md(worst.0),
                score(worst.1),
                how(lean)
            ));
        }
        _ => {
            if let Some(b) = r.calibration.all.score().filter(|b| *b > 0.25) {
                let lean = r.calibration.all.lean().unwrap_or(0.0);
                qs.push(format!(
                    "The confidences scored a Brier of {}, worse than always answering 0.5 (0.25), and leaned {}. What would have told us sooner?",
                    score(b),
                    how(lean)
                ));
            }
        }
    }
    if r.teams.iter().any(|t| t.sandbagging) {
        qs.push(
            "A team that scores 1.0 everywhere learns little: which target could have been twice as bold?".to_owned(),
        );
    }
    if qs.is_empty() {
        return None;
    }
    let mut out = String::from("## For the retrospective\n\n");
    for q in qs {
        let _ = writeln!(out, "- {q}");
    }
    Some(out)
}
