//! `status --format json` (SPEC 7.3): full-precision numbers, `null` for absent values (never
//! a missing key), objectives by period, team, id; key results in file order; KPIs by team, id.

use super::view::{KpiRow, KrRow, ObjectiveRow, StatusView};
use super::wire::num;
use crate::model::*;
use schemars::JsonSchema;
use serde::Serialize;

/// `goalpost status --format json` (SPEC 7.3).
#[derive(Serialize, JsonSchema)]
#[schemars(title = "goalpost status --format json")]
pub struct StatusJson<'a> {
    pub format_version: super::FormatVersion,
    /// The date the figures are computed as of.
    pub as_of: Date,
    /// The date each item's `previous` figures are as of (SPEC 12: a week before `as_of`
    /// unless `--since` says otherwise).
    pub since: Option<Date>,
    /// For each open period and team, how many objectives have each status (only statuses
    /// that occur).
    pub summary: Vec<SummaryJson<'a>>,
    /// What needs someone (SPEC 12): objectives and key results of open periods and KPIs,
    /// each with every reason that applies, sorted by the most severe reason, then by ref.
    pub attention: Vec<AttentionJson>,
    pub objectives: Rows<'a, ObjectiveRow<'a>, ObjectiveJson<'a>>,
    pub kpis: Rows<'a, KpiRow<'a>, KpiJson<'a>>,
    /// With `status --upstream` (SPEC 13), else null: the upstream objectives and KPIs
    /// these goals refer to, and the vendored objectives under theirs, with figures from the
    /// snapshots. Never counted in `summary` or `attention`.
    pub upstream: Option<UpstreamJson<'a>>,
}

/// The upstream items of `status --upstream` (SPEC 13).
#[derive(Serialize, JsonSchema)]
pub struct UpstreamJson<'a> {
    /// Each upstream snapshot read, with the commit goalpost.lock pins.
    pub pins: Vec<PinJson<'a>>,
    pub objectives: Rows<'a, ObjectiveRow<'a>, ObjectiveJson<'a>>,
    pub kpis: Rows<'a, KpiRow<'a>, KpiJson<'a>>,
}

/// An upstream snapshot and its pin.
#[derive(Serialize, JsonSchema)]
pub struct PinJson<'a> {
    pub name: &'a str,
    pub commit: &'a str,
}

/// A list of rows serialised one at a time as `J` (built from each row, written, dropped):
/// at thousands of teams the document is never held whole, not even as values.
pub struct Rows<'a, R, J> {
    rows: &'a [R],
    to_json: fn(&'a R) -> J,
}

impl<'a, R, J: Serialize> Serialize for Rows<'a, R, J> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.rows.iter().map(self.to_json))
    }
}

impl<R, J: JsonSchema> JsonSchema for Rows<'_, R, J> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        Vec::<J>::schema_name()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Vec::<J>::json_schema(g)
    }
    fn inline_schema() -> bool {
        true
    }
}

/// Objectives per status of one open period and team.
#[derive(Serialize, JsonSchema)]
pub struct SummaryJson<'a> {
    pub period: &'a str,
    pub team: &'a str,
    pub counts: std::collections::BTreeMap<&'static str, usize>,
}

/// One entry of the attention list.
#[derive(Serialize, JsonSchema)]
pub struct AttentionJson {
    #[serde(rename = "ref")]
    pub reference: String,
    /// `objective`, `key_result` or `kpi`.
    pub item: &'static str,
    /// The key result's objective's owner, or the KPI's.
    pub owner: Option<String>,
    /// Most severe first: guardrail_breached, kpi_critical, off_track, at_risk,
    /// kpi_warning, kpi_no_data, stale, overdue.
    pub reasons: Vec<&'static str>,
    pub checkin_due: Option<Date>,
}

/// An objective and its figures.
#[derive(Serialize, JsonSchema)]
pub struct ObjectiveJson<'a> {
    #[serde(rename = "ref")]
    pub reference: RefParts<'a>,
    pub team: &'a str,
    pub period: &'a str,
    pub title: &'a str,
    pub owner: Option<&'a str>,
    pub commitment: Commitment,
    pub parent: Option<RefParts<'a>>,
    /// Its `description`.
    pub description: Option<&'a str>,
    /// When and why it was given up: its own `dropped:`, or, when every key result is
    /// dropped, the latest of their dates with the reason "all key results dropped"; null
    /// when it is not. From that date on its status is `dropped` and its score null.
    pub dropped: Option<DroppedJson<'a>>,
    /// Null when it is dropped as of the date (its other figures are those of the day
    /// before the drop).
    #[serde(serialize_with = "num::opt")]
    pub score: Option<f64>,
    #[serde(serialize_with = "num::one")]
    pub expected: f64,
    pub status: crate::score::Status,
    #[serde(serialize_with = "num::opt")]
    pub forecast: Option<f64>,
    pub guardrail_breached: bool,
    /// The period the objective was carried over from (`carried_from`).
    pub carried_from: Option<&'a str>,
    /// Its score and status as of `since`.
    pub previous: Option<PreviousObjective>,
    pub guardrails: Vec<RefParts<'a>>,
    pub key_results: Vec<KrJson<'a>>,
}

/// A key result and its figures.
#[derive(Serialize, JsonSchema)]
pub struct KrJson<'a> {
    #[serde(rename = "ref")]
    pub reference: RefParts<'a>,
    pub title: &'a str,
    pub kind: KrKind,
    #[serde(serialize_with = "num::opt")]
    pub start: Option<f64>,
    #[serde(serialize_with = "num::opt")]
    pub target: Option<f64>,
    pub unit: Option<&'a str>,
    #[serde(serialize_with = "num::opt")]
    pub current: Option<f64>,
    pub done: Option<bool>,
    #[serde(serialize_with = "num::one")]
    pub progress: f64,
    /// Expected progress as of the date: the share of the period elapsed, or for a
    /// milestone with `due`, 0 before that date and 1 from it on.
    #[serde(serialize_with = "num::one")]
    pub expected: f64,
    #[serde(serialize_with = "num::one")]
    pub weight: f64,
    pub kpi: Option<RefParts<'a>>,
    /// Who is asked for its check-ins: its own `owner`, else its objective's.
    pub owner: Option<&'a str>,
    /// How often it is checked in: `weekly` (default), `biweekly` or `monthly`; null for a
    /// `kpi:` key result (its KPI's cadence applies).
    pub cadence: Option<KrCadence>,
    /// Its `description`.
    pub description: Option<&'a str>,
    /// A milestone's due date (`due`); null for a metric or a milestone without one.
    pub due: Option<Date>,
    /// Its revisions as written (file order), also those dated after the as-of date.
    /// `start` and `target` above are those in force.
    pub revisions: Vec<RevisionJson<'a>>,
    /// When and why it was given up (its own `dropped:`, or its objective's when that is
    /// earlier); null when it is not.
    pub dropped: Option<DroppedJson<'a>>,
    /// When its next check-in is due while its period is open: its latest check-in (else
    /// the period's start) plus its cadence; null for a done milestone, a dropped key result
    /// and a `kpi:` key result.
    pub checkin_due: Option<Date>,
    /// `checkin_due` is before the as-of date.
    pub overdue: bool,
    pub status: crate::score::Status,
    #[serde(serialize_with = "num::opt")]
    pub confidence: Option<f64>,
    pub last_checkin: Option<Date>,
    pub stale: bool,
    pub forecast: Option<ForecastJson>,
    /// Its progress, status and confidence as of `since`.
    pub previous: Option<PreviousKr>,
}

/// A drop: its date and reason.
#[derive(Serialize, JsonSchema)]
pub struct DroppedJson<'a> {
    /// The day it was dropped: its status is `dropped` from this date on.
    pub date: Date,
    /// Why, as written.
    pub reason: &'a str,
}

impl<'a> From<DropAt<'a>> for DroppedJson<'a> {
    fn from(d: DropAt<'a>) -> Self {
        DroppedJson {
            date: d.date,
            reason: d.reason,
        }
    }
}

/// A revision of a key result's plan, as written.
#[derive(Serialize, JsonSchema)]
pub struct RevisionJson<'a> {
    /// The day the revised figures take effect.
    pub date: Date,
    /// The target it puts in force; null when it keeps the one in force before it.
    #[serde(serialize_with = "num::opt")]
    pub target: Option<f64>,
    /// The start it puts in force; null when it keeps the one in force before it.
    #[serde(serialize_with = "num::opt")]
    pub start: Option<f64>,
    /// Why the plan changed, as written.
    pub reason: &'a str,
}

/// An objective's figures as of `since`.
#[derive(Serialize, JsonSchema)]
pub struct PreviousObjective {
    /// Null when it was dropped then.
    #[serde(serialize_with = "num::opt")]
    pub score: Option<f64>,
    pub status: crate::score::Status,
}

/// A key result's figures as of `since`.
#[derive(Serialize, JsonSchema)]
pub struct PreviousKr {
    #[serde(serialize_with = "num::one")]
    pub progress: f64,
    pub status: crate::score::Status,
    #[serde(serialize_with = "num::opt")]
    pub confidence: Option<f64>,
}

/// A KPI's figures as of `since`.
#[derive(Serialize, JsonSchema)]
pub struct PreviousKpi {
    #[serde(serialize_with = "num::opt")]
    pub value: Option<f64>,
    pub status: crate::score::KpiStatus,
}

/// A key result's forecast (SPEC 5): the projected value at the period's end, its progress,
/// and the ±1 standard-error band (null with two points).
#[derive(Serialize, JsonSchema)]
pub struct ForecastJson {
    #[serde(serialize_with = "num::one")]
    pub value: f64,
    #[serde(serialize_with = "num::one")]
    pub progress: f64,
    #[serde(serialize_with = "num::opt")]
    pub low: Option<f64>,
    #[serde(serialize_with = "num::opt")]
    pub high: Option<f64>,
}

/// A KPI and its figures.
#[derive(Serialize, JsonSchema)]
pub struct KpiJson<'a> {
    #[serde(rename = "ref")]
    pub reference: RefParts<'a>,
    pub team: &'a str,
    pub title: &'a str,
    pub unit: Option<&'a str>,
    pub better: Better,
    #[serde(serialize_with = "num::one")]
    pub target: f64,
    #[serde(serialize_with = "num::opt")]
    pub critical: Option<f64>,
    pub cadence: Cadence,
    pub owner: Option<&'a str>,
    #[serde(serialize_with = "num::opt")]
    pub value: Option<f64>,
    pub status: crate::score::KpiStatus,
    pub trend: Option<crate::score::Trend>,
    pub last_checkin: Option<Date>,
    pub stale: bool,
    /// Its latest check-in plus its cadence; null without a check-in.
    pub checkin_due: Option<Date>,
    /// `checkin_due` is before the as-of date.
    pub overdue: bool,
    /// Its value and status as of `since`.
    pub previous: Option<PreviousKpi>,
}

fn objective<'a>(row: &ObjectiveRow<'a>) -> ObjectiveJson<'a> {
    let o = row.objective;
    let s = row.score;
    // Every field of the model is named (no `..`): a new one does not compile until the
    // JSON says whether it shows it.
    let Objective {
        team,
        id: _, // in `ref`
        period,
        title,
        owner,
        commitment,
        parent: _,      // the row's parent
        guardrails: _,  // the row's guardrails
        key_results: _, // the row's key results
        carried_from,
        description,
        dropped: _, // `Objective::drop`, which also knows a drop of every key result
        span: _,
    } = o;
    ObjectiveJson {
        reference: o.ref_parts(),
        team,
        period: &period.name,
        title,
        owner: owner.as_deref(),
        commitment: *commitment,
        parent: row.parent.map(Objective::ref_parts),
        description: description.as_deref(),
        dropped: o.drop().map(DroppedJson::from),
        score: score_of(s.score, s.status),
        expected: s.expected,
        status: s.status,
        forecast: s.forecast,
        guardrail_breached: s.guardrail_breached,
        carried_from: carried_from.as_deref(),
        previous: row.previous.map(|p| PreviousObjective {
            score: score_of(p.score, p.status),
            status: p.status,
        }),
        guardrails: row.guardrails.iter().map(|g| g.kpi.ref_parts()).collect(),
        key_results: row.key_results.iter().map(kr).collect(),
    }
}

/// An objective's score, null when it is dropped (SPEC 3.4).
fn score_of(score: f64, status: crate::score::Status) -> Option<f64> {
    (status != crate::score::Status::Dropped).then_some(score)
}

fn kr<'a>(row: &KrRow<'a>) -> KrJson<'a> {
    let s = row.score;
    // Every field of the model is named, as for objectives.
    let KeyResult {
        id: _, // in `ref`
        title,
        kind,
        unit,
        weight,
        kpi: _,      // the row's KPI
        checkins: _, // scored
        span: _,
        owner: _, // `KrRow::owner`: its own or its objective's
        cadence,
        description,
        revisions,
        dropped: _, // `Objective::kr_drop`: its own or its objective's
    } = row.kr;
    let (start, target) = match s.measure {
        KrMeasure::Metric { start, target } => (Some(start), Some(target)),
        KrMeasure::Milestone { .. } => (None, None),
    };
    KrJson {
        reference: row.objective.kr_ref_parts(row.kr),
        title,
        kind: kind.kind(),
        start,
        target,
        unit: unit.as_deref(),
        current: s.current,
        done: s.done,
        progress: s.progress,
        expected: s.expected,
        weight: *weight,
        kpi: row.kpi.map(Kpi::ref_parts),
        owner: row.owner(),
        cadence: row.kpi.is_none().then_some(*cadence),
        description: description.as_deref(),
        due: kind.due(),
        revisions: revisions
            .iter()
            .map(|r| RevisionJson {
                date: r.date,
                target: r.target,
                start: r.start,
                reason: &r.reason,
            })
            .collect(),
        dropped: row.objective.kr_drop(row.kr).map(DroppedJson::from),
        checkin_due: row.checkin_due(),
        overdue: row.overdue(),
        status: s.status,
        confidence: s.confidence,
        last_checkin: s.last_checkin,
        stale: s.stale,
        forecast: s.forecast.map(|f| ForecastJson {
            value: f.value,
            progress: f.progress,
            low: f.low,
            high: f.high,
        }),
        previous: row.previous.map(|p| PreviousKr {
            progress: p.progress,
            status: p.status,
            confidence: p.confidence,
        }),
    }
}

fn kpi<'a>(row: &KpiRow<'a>) -> KpiJson<'a> {
    let (k, s) = (row.kpi, row.score);
    // Every field of the model is named, as for objectives.
    let Kpi {
        team,
        id: _, // in `ref`
        title,
        unit,
        better,
        target,
        critical,
        cadence,
        owner,
        source: _,   // configuration for `pull`, not status
        checkins: _, // scored
        span: _,
    } = k;
    KpiJson {
        reference: k.ref_parts(),
        team,
        title,
        unit: unit.as_deref(),
        better: *better,
        target: *target,
        critical: *critical,
        cadence: *cadence,
        owner: owner.as_deref(),
        value: s.value,
        status: s.status,
        trend: s.trend,
        last_checkin: s.last_checkin,
        stale: s.stale,
        checkin_due: row.checkin_due(),
        overdue: row.overdue(),
        previous: row.previous.map(|p| PreviousKpi {
            value: p.value,
            status: p.status,
        }),
    }
}

/// The status document, written to `w` as it is serialized (through a `BufWriter` on
/// stdout, the document is never held in memory whole).
pub fn write_status<W: std::io::Write + ?Sized>(
    w: &mut W,
    view: &StatusView,
) -> std::io::Result<()> {
    write_status_with(w, view, None)
}

/// [`write_status`], with the upstream items of `status --upstream` (SPEC 13).
pub fn write_status_with<W: std::io::Write + ?Sized>(
    w: &mut W,
    view: &StatusView,
    upstream: Option<&StatusView>,
) -> std::io::Result<()> {
    let doc = StatusJson {
        format_version: super::FormatVersion,
        as_of: view.as_of,
        since: view.since,
        summary: view
            .open_summary
            .iter()
            .map(|t| SummaryJson {
                period: &t.period,
                team: &t.team,
                counts: t.counts.iter().map(|&(s, n)| (s.as_str(), n)).collect(),
            })
            .collect(),
        attention: view
            .attention
            .iter()
            .map(|e| AttentionJson {
                reference: e.reference.to_string(),
                item: e.item.kind(),
                owner: e.owner.clone(),
                reasons: e.reasons.iter().map(|r| r.as_str()).collect(),
                checkin_due: e.checkin_due,
            })
            .collect(),
        // Spliced in below, rendered on every core.
        objectives: Rows {
            rows: &[],
            to_json: objective,
        },
        kpis: Rows {
            rows: &[],
            to_json: kpi,
        },
        upstream: upstream.map(|u| UpstreamJson {
            pins: u
                .goals
                .upstream
                .pins
                .iter()
                .map(|p| PinJson {
                    name: &p.name,
                    commit: &p.commit,
                })
                .collect(),
            objectives: Rows {
                rows: &u.objectives,
                to_json: objective,
            },
            kpis: Rows {
                rows: &u.kpis,
                to_json: kpi,
            },
        }),
    };
    // The document with both lists empty, then each list's rows written where it stands:
    // a top-level key is the only place a line break is followed by two spaces and a quote
    // (text inside strings has its line breaks escaped).
    let head = super::wire::to_string_pretty(&doc).map_err(std::io::Error::other)?;
    let (a, rest) = head
        .split_once("\n  \"objectives\": []")
        .ok_or_else(|| std::io::Error::other("the status document lost its objectives"))?;
    let (b, c) = rest
        .split_once("\n  \"kpis\": []")
        .ok_or_else(|| std::io::Error::other("the status document lost its KPIs"))?;
    w.write_all(a.as_bytes())?;
    w.write_all(b"\n  \"objectives\": ")?;
    write_rows(w, &view.objectives, objective)?;
    w.write_all(b.as_bytes())?;
    w.write_all(b"\n  \"kpis\": ")?;
    write_rows(w, &view.kpis, kpi)?;
    w.write_all(c.as_bytes())?;
    w.write_all(b"\n")
}

/// Writes `rows` as a JSON array one level inside the top-level object, laid out as
/// [`super::wire::to_writer_pretty`] lays it out there. Rows are rendered in chunks on every
/// core and each is written as soon as those before it are: at most eight chunks a thread
/// are held at once.
fn write_rows<'a, W, R, J>(w: &mut W, rows: &'a [R], to_json: fn(&'a R) -> J) -> std::io::Result<()>
where
    W: std::io::Write + ?Sized,
    R: Sync,
    J: Serialize,
{
    const CHUNK: usize = 64;
    if rows.is_empty() {
        return w.write_all(b"[]");
    }
    // One row at a time, each line break followed by the four spaces of its depth.
    let render = |start: usize, chunk: &'a [R]| -> std::io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(chunk.len() * 2048);
        let mut one = Vec::with_capacity(4096);
        for (i, r) in chunk.iter().enumerate() {
            out.extend_from_slice(if start + i == 0 {
                b"\n    "
            } else {
                b",\n    "
            });
            one.clear();
            super::wire::to_writer_pretty(&mut one, &to_json(r)).map_err(std::io::Error::other)?;
            let mut rest = &one[..];
            while let Some(at) = rest.iter().position(|&b| b == b'\n') {
                out.extend_from_slice(&rest[..=at]);
                out.extend_from_slice(b"    ");
                rest = &rest[at + 1..];
            }
            out.extend_from_slice(rest);
        }
        Ok(out)
    };
    let threads = crate::par::cores();
    let chunks: Vec<(usize, &'a [R])> = rows
        .chunks(CHUNK)
        .enumerate()
        .map(|(i, c)| (i * CHUNK, c))
        .collect();
    w.write_all(b"[")?;
    crate::par::ordered(
        chunks,
        threads,
        threads * 8,
        |(start, chunk)| render(start, chunk),
        |out| w.write_all(&out),
    )?;
    w.write_all(b"\n  ]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Item {
        id: usize,
        name: String,
        progress: f64,
        nested: Vec<Vec<u8>>,
        empty: Vec<u8>,
        none: Option<u8>,
    }

    fn item(i: &usize) -> Item {
        Item {
            id: *i,
            name: format!("line\nbreak \"{i}\"\t\u{1b}[31m"),
            progress: if i.is_multiple_of(3) {
                -0.0
            } else {
                *i as f64 / 7.0
            },
            nested: vec![vec![1, 2], Vec::new()],
            empty: Vec::new(),
            none: None,
        }
    }

    #[derive(Serialize)]
    struct Doc<'a> {
        objectives: Rows<'a, usize, Item>,
    }

    #[test]
    fn rows_written_on_many_threads_read_as_one_serialization() {
        for n in [0, 1, 2, 63, 64, 65, 1000, 3333] {
            let rows: Vec<usize> = (0..n).collect();
            let expected = crate::report::wire::to_string_pretty(&Doc {
                objectives: Rows {
                    rows: &rows,
                    to_json: item,
                },
            })
            .unwrap();
            let mut got = b"{\n  \"objectives\": ".to_vec();
            write_rows(&mut got, &rows, item).unwrap();
            got.extend_from_slice(b"\n}");
            assert_eq!(String::from_utf8(got).unwrap(), expected, "{n} rows");
        }
    }
}
