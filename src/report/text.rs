//! Small text pieces shared by the human-facing reports: numbers as people write them,
//! progress bars, sparklines and trend arrows.

use crate::model::Better;
use crate::score::{KpiStatus, Status, Trend};

pub(crate) use crate::text::{num, percent, truncate, with_unit};

/// A score with two decimals, as SPEC 5 asks of human output.
pub(crate) fn score(x: f64) -> String {
    crate::text::fixed(x, 2)
}

/// A bar of `width` cells for a fraction in [0, 1].
pub(crate) fn bar(fraction: f64, width: usize) -> String {
    let filled = (fraction.clamp(0.0, 1.0) * width as f64).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// A sparkline of the last `n` values.
pub(crate) fn sparkline(values: &[f64], n: usize) -> String {
    const TICKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let values = &values[values.len().saturating_sub(n)..];
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    values
        .iter()
        .map(|&v| {
            if hi > lo {
                TICKS[(((v - lo) / (hi - lo)) * 7.0).round() as usize]
            } else {
                TICKS[3]
            }
        })
        .collect()
}

pub(crate) use super::view::values;

/// A KPI's trend: the arrow shows which way the value moved, the word whether that is good.
/// Falling latency is "↘ improving"; falling revenue is "↘ worsening".
pub(crate) fn trend_arrow(t: Option<Trend>, better: Better) -> &'static str {
    match (t, better) {
        (Some(Trend::Improving), Better::Higher) => "↗ improving",
        (Some(Trend::Improving), Better::Lower) => "↘ improving",
        (Some(Trend::Worsening), Better::Higher) => "↘ worsening",
        (Some(Trend::Worsening), Better::Lower) => "↗ worsening",
        (Some(Trend::Flat), _) => "→ flat",
        (None, _) => "",
    }
}

/// A status word with an emoji, for Markdown.
pub(crate) fn status_emoji(s: Status) -> &'static str {
    match s {
        Status::OnTrack => "🟢 on track",
        Status::AtRisk => "🟡 at risk",
        Status::OffTrack => "🔴 off track",
        Status::Done => "✅ done",
        Status::NoData => "⚪ no data",
        Status::NotStarted => "⏳ not started",
        Status::Achieved => "🏆 achieved",
        Status::Missed => "❌ missed",
        Status::Dropped => "⊘ dropped",
    }
}

pub(crate) fn kpi_emoji(s: KpiStatus) -> &'static str {
    match s {
        KpiStatus::Healthy => "🟢 healthy",
        KpiStatus::Warning => "🟡 warning",
        KpiStatus::Critical => "🔴 critical",
        KpiStatus::NoData => "⚪ no data",
    }
}

/// The one palette of every terminal output: the terminal's own base colours — red (31),
/// green (32), yellow (33) and grey (90) — which every colour theme sets for its own
/// background (the bright ones, such as bright yellow, are unreadable on a light one).
/// `status` and `show` tables (comfy-table), `review`'s bands, `diff` and `log` all use
/// these.
pub(crate) fn status_ansi(s: Status) -> anstyle::AnsiColor {
    use anstyle::AnsiColor;
    match s {
        Status::OnTrack | Status::Done | Status::Achieved => AnsiColor::Green,
        Status::AtRisk => AnsiColor::Yellow,
        Status::OffTrack | Status::Missed => AnsiColor::Red,
        Status::NoData | Status::NotStarted | Status::Dropped => AnsiColor::BrightBlack,
    }
}

/// [`status_ansi`] for a KPI.
pub(crate) fn kpi_ansi(s: KpiStatus) -> anstyle::AnsiColor {
    use anstyle::AnsiColor;
    match s {
        KpiStatus::Healthy => AnsiColor::Green,
        KpiStatus::Warning => AnsiColor::Yellow,
        KpiStatus::Critical => AnsiColor::Red,
        KpiStatus::NoData => AnsiColor::BrightBlack,
    }
}

/// A palette colour for comfy-table (its `Dark…` colours are the base ones).
fn comfy(c: anstyle::AnsiColor) -> comfy_table::Color {
    use anstyle::AnsiColor as A;
    use comfy_table::Color;
    match c {
        A::Red => Color::DarkRed,
        A::Green => Color::DarkGreen,
        A::Yellow => Color::DarkYellow,
        A::BrightBlack => Color::DarkGrey,
        _ => Color::Reset,
    }
}

/// ANSI colour of a status, for tables ([`status_ansi`]).
pub(crate) fn status_color(s: Status) -> comfy_table::Color {
    comfy(status_ansi(s))
}

/// ANSI colour of a KPI's status, for tables ([`kpi_ansi`]).
pub(crate) fn kpi_color(s: KpiStatus) -> comfy_table::Color {
    comfy(kpi_ansi(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces() {
        assert_eq!(num(250.0), "250");
        assert_eq!(num(6.1), "6.1");
        assert_eq!(num(1.0 / 3.0), "0.333");
        assert_eq!(score(0.425), "0.42");
        assert_eq!(bar(0.5, 10), "█████░░░░░");
        assert_eq!(sparkline(&[1.0, 2.0, 3.0], 8), "▁▅█");
        assert_eq!(sparkline(&[5.0, 5.0], 8), "▄▄");
        assert_eq!(truncate("abcdef", 4), "abc…");
    }
}
