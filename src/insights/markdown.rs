//! `insights --format markdown`: a retrospective section a team pastes into a pull request or
//! a wiki, within GitHub's comment limit ([`crate::text::fit`]): a table of the measures per
//! team, then each team's changes of plan.

use super::text::{change, lines, reference};
use super::{Insights, Summary};
use crate::text::fit::Document;
use crate::text::safe;
use std::fmt::Write as _;

fn md(s: &str) -> String {
    safe::markdown(s)
}

fn row(out: &mut String, name: &str, s: &Summary, r: &Insights) {
    let cells: Vec<String> = lines(s, r.any_closed, r.history)
        .into_iter()
        .map(|(_, p)| md(&p))
        .collect();
    let _ = writeln!(out, "| {} | {} |", name, cells.join(" | "));
}

fn table(r: &Insights, rows: &[(String, &Summary)]) -> String {
    let mut out = String::new();
    out.push_str("| | Check-in latency | Cadence | Plans moved | Forecast skill | Calibration |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for (name, s) in rows {
        row(&mut out, name, s, r);
    }
    out
}

pub(crate) fn render(r: &Insights, limit: usize, by_owner: bool) -> String {
    let periods: Vec<String> = r.periods.iter().map(|p| md(p)).collect();
    let head = format!(
        "## Insights: {}\n\nAs of {}. Latency is days from a check-in's date to the commit that \
         recorded it; skill compares each week's forecast with assuming nothing moves; \
         calibration scores every confidence for the days it stood (lower Brier is better).\n",
        if periods.is_empty() {
            "no period".to_owned()
        } else {
            periods.join(", ")
        },
        r.as_of
    );
    let mut doc = Document::new(head, limit);
    let mut rows: Vec<(String, &Summary)> = vec![("**Overall**".to_owned(), &r.overall)];
    rows.extend(r.teams.iter().map(|(t, s)| (md(t), s)));
    doc.section(&[(r.teams.len(), "team")], || table(r, &rows));
    if by_owner && !r.by_owner.is_empty() {
        let owners: Vec<(String, &Summary)> = r.by_owner.iter().map(|(o, s)| (md(o), s)).collect();
        doc.section(&[(owners.len(), "owner")], || {
            format!("### By owner\n\n{}", table(r, &owners))
        });
    }
    for (team, _) in &r.teams {
        let mine: Vec<_> = r
            .changes
            .iter()
            .filter(|c| match c {
                super::PlanChange::InPlace { team: t, .. }
                | super::PlanChange::Revision { team: t, .. } => t == team,
            })
            .collect();
        if mine.is_empty() {
            continue;
        }
        doc.section(&[(mine.len(), "change of plan")], || {
            let mut s = format!("### Changes of plan: {}\n\n", md(team));
            for c in &mine {
                let _ = writeln!(
                    s,
                    "- `{}` {}",
                    safe::plain(&reference(c).to_string()),
                    md(&change(c))
                );
            }
            s
        });
    }
    doc.finish("Run `goalpost insights` to see everything.")
}
