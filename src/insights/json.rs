//! `insights --format json`: the wire types (SPEC 14). They derive `JsonSchema` as well as
//! `Serialize`, so `goalpost schema --output insights` is generated from what is written.

use super::{Insights, Summary};
use crate::lifecycle::review::json::PartsJson;
use crate::report::wire::{FormatVersion, num};
use schemars::JsonSchema;
use serde::Serialize;

/// How a team plans and reports, measured from its files and their git history.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(title = "goalpost insights")]
pub(crate) struct InsightsJson {
    pub format_version: FormatVersion<1>,
    /// The date the measures are as of, `YYYY-MM-DD`.
    pub as_of: String,
    /// The periods measured, in date order.
    pub periods: Vec<String>,
    /// One entry per team with a key result or KPI check-in measured, by name.
    pub teams: Vec<TeamJson>,
    /// Every item measured, pooled (medians over all key results, not of team medians).
    pub overall: MeasuresJson,
    /// One entry per owner (a key result's own owner, else its objective's; a KPI's owner),
    /// by name. Items without an owner are in no entry here.
    pub by_owner: Vec<OwnerJson>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct TeamJson {
    pub team: String,
    #[serde(flatten)]
    pub measures: MeasuresJson,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct OwnerJson {
    pub owner: String,
    #[serde(flatten)]
    pub measures: MeasuresJson,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct MeasuresJson {
    pub latency: LatencyJson,
    pub cadence: CadenceJson,
    pub moves: MovesJson,
    pub skill: SkillJson,
    pub calibration: CalibrationJson,
}

/// Days from a check-in's date to the first commit that holds it (the author date in the
/// author's own zone). Corrections and check-ins not committed yet are left out.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct LatencyJson {
    /// Null without check-ins.
    #[serde(serialize_with = "num::opt")]
    pub median: Option<f64>,
    /// The share (0–1) committed more than 7 days after their date; null without check-ins.
    #[serde(serialize_with = "num::opt")]
    pub backfilled: Option<f64>,
    pub n: usize,
}

/// Medians over key results of: days from the period's start to the first check-in, the
/// median gap between check-in dates, and the share of the period's weeks so far with a
/// check-in. Each null when no key result has one.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct CadenceJson {
    #[serde(serialize_with = "num::opt")]
    pub first_checkin_days: Option<f64>,
    #[serde(serialize_with = "num::opt")]
    pub median_gap: Option<f64>,
    #[serde(serialize_with = "num::opt")]
    pub weekly_coverage: Option<f64>,
}

/// Plans changed while the period was open: commits that edited `target` or `start` in place
/// (each eased, raised or shifted: the size of the change asked for got smaller, larger, or
/// stayed), and revisions recorded with a reason.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct MovesJson {
    pub in_place: usize,
    pub revisions: usize,
    pub eased: usize,
    pub raised: usize,
    pub shifted: usize,
}

/// Forecast skill over closed periods: 1 − Σ|forecast − final| / Σ|naive − final| in
/// progress over key-result weeks, where the naive forecast says the value stays where it is.
/// Null without weeks or when the naive forecast never erred.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct SkillJson {
    #[serde(serialize_with = "num::opt")]
    pub skill: Option<f64>,
    /// Key-result weeks counted.
    pub n: usize,
}

/// Calibration over closed periods (SPEC 7.0's pairs) with Murphy's decomposition; all null
/// (and no bins) when no key result gave a confidence.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct CalibrationJson {
    #[serde(serialize_with = "num::opt")]
    pub brier: Option<f64>,
    /// Key results counted.
    pub n: usize,
    #[serde(flatten)]
    pub parts: PartsJson,
    /// The confidence bins that hold weight, lowest first.
    pub bins: Vec<BinJson>,
}

/// One confidence bin [low, high) (the last holds 1.0).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct BinJson {
    #[serde(serialize_with = "num::one")]
    pub low: f64,
    #[serde(serialize_with = "num::one")]
    pub high: f64,
    /// Σ of its pairs' weights (a key result's days weigh 1 in all).
    #[serde(serialize_with = "num::one")]
    pub weight: f64,
    /// The weighted mean confidence in it.
    #[serde(serialize_with = "num::one")]
    pub confidence: f64,
    /// The weighted share of its pairs whose key result reached its target.
    #[serde(serialize_with = "num::one")]
    pub outcome: f64,
}

pub(crate) fn measures(s: &Summary) -> MeasuresJson {
    let d = s.decomposition.as_ref();
    MeasuresJson {
        latency: LatencyJson {
            median: s.latency_median,
            backfilled: s.backfilled,
            n: s.latency_n,
        },
        cadence: CadenceJson {
            first_checkin_days: s.first_checkin_days,
            median_gap: s.median_gap,
            weekly_coverage: s.weekly_coverage,
        },
        moves: MovesJson {
            in_place: s.moves.in_place,
            revisions: s.moves.revisions,
            eased: s.moves.eased,
            raised: s.moves.raised,
            shifted: s.moves.shifted,
        },
        skill: SkillJson {
            skill: s.skill,
            n: s.skill_n,
        },
        calibration: CalibrationJson {
            brier: s.brier,
            n: s.calibration_n,
            parts: PartsJson::from(d),
            bins: d
                .map(|d| {
                    d.bins
                        .iter()
                        .map(|b| BinJson {
                            low: b.low,
                            high: b.high,
                            weight: b.weight,
                            confidence: b.confidence,
                            outcome: b.outcome,
                        })
                        .collect()
                })
                .unwrap_or_default(),
        },
    }
}

pub(crate) fn document(r: &Insights) -> InsightsJson {
    InsightsJson {
        format_version: FormatVersion::<1>,
        as_of: r.as_of.to_string(),
        periods: r.periods.clone(),
        teams: r
            .teams
            .iter()
            .map(|(team, s)| TeamJson {
                team: team.clone(),
                measures: measures(s),
            })
            .collect(),
        overall: measures(&r.overall),
        by_owner: r
            .by_owner
            .iter()
            .map(|(owner, s)| OwnerJson {
                owner: owner.clone(),
                measures: measures(s),
            })
            .collect(),
    }
}

pub(crate) fn render(r: &Insights) -> String {
    let mut s =
        crate::report::wire::to_string_pretty(&document(r)).unwrap_or_else(|_| "{}".to_owned());
    s.push('\n');
    s
}
