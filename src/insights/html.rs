//! The HTML section of `report --format html` on how the teams plan and report (SPEC 14):
//! the measures per team, a reliability diagram of the confidences given and a histogram of
//! check-in latency, each chart with its figures in a table beside it. Rendered with maud
//! (every text escaped); the report writes it as it is.

use super::Insights;
use super::text::{change, lines, reference};
use maud::{Markup, html};

/// How the teams plan and report (SPEC 14): the measures per team, the reliability diagram
/// of the confidences given and the latency histogram, each chart with its figures in a
/// table beside it.
pub(crate) fn section(r: &Insights) -> String {
    let mut rows: Vec<(String, &super::Summary)> = vec![("Overall".to_owned(), &r.overall)];
    rows.extend(r.teams.iter().map(|(t, s)| (t.clone(), s)));
    let bins = r
        .overall
        .decomposition
        .as_ref()
        .map(|d| d.bins.clone())
        .unwrap_or_default();
    let labels: Vec<&str> = super::LATENCY_BUCKETS.iter().map(|b| b.0).collect();
    let m: Markup = html! {
        section.insights aria-labelledby="insights" {
            h2 id="insights" { "How we plan and report" }
            p.muted { "Periods " (r.periods.join(", ")) ". Latency is days from a check-in's date to the commit that recorded it; skill compares each week's forecast with assuming nothing moves; calibration scores every confidence for the days it stood (lower Brier is better)." }
            div.charts {
                figure {
                    (crate::report::svg::reliability_diagram(&bins))
                    figcaption { "Confidence given against target reached, per confidence bin (all teams, closed periods)." }
                }
                figure {
                    (crate::report::svg::latency_histogram(&labels, &r.latency_histogram))
                    figcaption { "Days from a check-in's date to its commit." }
                }
            }
            table.measures {
                thead { tr { th { "Who" } th { "Check-in latency" } th { "Cadence" } th { "Plans moved" } th { "Forecast skill" } th { "Calibration" } } }
                tbody {
                    @for (name, s) in &rows {
                        tr {
                            th scope="row" { (name) }
                            @for (_, phrase) in lines(s, r.any_closed, r.history) {
                                td { (phrase) }
                            }
                        }
                    }
                }
            }
            @if !bins.is_empty() {
                table.bins {
                    caption { "Confidence bins (all teams)" }
                    thead { tr { th { "Bin" } th { "Weight" } th { "Mean confidence" } th { "Reached" } } }
                    tbody {
                        @for b in &bins {
                            tr {
                                td { (format!("{:.1}–{:.1}", b.low, b.high)) }
                                td { (format!("{:.2}", b.weight)) }
                                td { (format!("{:.2}", b.confidence)) }
                                td { (crate::text::percent(b.outcome)) }
                            }
                        }
                    }
                }
            }
            @if !r.changes.is_empty() {
                h3 { "Changes of plan" }
                ul.changes {
                    @for c in &r.changes {
                        li { code { (reference(c).to_string()) } " " (change(c)) }
                    }
                }
            }
        }
    };
    m.into_string()
}
