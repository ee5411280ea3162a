//! `status --format csv`: one row per objective, key result and KPI, for spreadsheets.
//! Columns are fixed (see [`HEADER`]); a value that does not apply is empty.

use super::text::num;
use crate::model::*;
use crate::score::Scorecard;

pub const HEADER: &[&str] = &[
    "type",
    "ref",
    "team",
    "period",
    "title",
    "owner",
    "kind",
    "start",
    "target",
    "unit",
    "current",
    "progress",
    "score",
    "expected",
    "status",
    "confidence",
    "last_checkin",
    "stale",
    "weight",
    "better",
    "critical",
    "trend",
    "guardrail_breached",
];

/// Quotes a field when it holds a comma, quote or line break (RFC 4180).
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn row(out: &mut String, cells: Vec<String>) {
    let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

fn opt(x: Option<f64>) -> String {
    x.map_or(String::new(), num_full)
}

/// Full precision, without float noise for whole numbers.
fn num_full(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        num(x)
    } else {
        format!("{x}")
    }
}

pub fn status(goals: &Goals, card: &Scorecard, objectives: &[usize], kpis: &[usize]) -> String {
    let mut out = String::new();
    row(&mut out, HEADER.iter().map(|s| s.to_string()).collect());
    let s = |x: &str| x.to_owned();
    for &i in objectives {
        let o = &goals.objectives[i];
        let os = &card.objectives[i];
        row(
            &mut out,
            vec![
                s("objective"),
                o.reference(),
                o.team.clone(),
                o.period.name.clone(),
                o.title.clone(),
                o.owner.clone().unwrap_or_default(),
                s(o.commitment.as_str()),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                num_full(os.score),
                num_full(os.expected),
                s(os.status.as_str()),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                os.guardrail_breached.to_string(),
            ],
        );
        for (kr, ks) in o.key_results.iter().zip(&os.key_results) {
            let (start, target) = match kr.kind {
                KrMeasure::Metric { start, target } => (num_full(start), num_full(target)),
                KrMeasure::Milestone => (String::new(), String::new()),
            };
            let current = match (ks.current, ks.done) {
                (Some(v), _) => num_full(v),
                (None, Some(d)) => d.to_string(),
                _ => String::new(),
            };
            row(
                &mut out,
                vec![
                    s("key_result"),
                    format!("{}/{}", o.reference(), kr.id),
                    o.team.clone(),
                    o.period.name.clone(),
                    kr.title.clone(),
                    o.owner.clone().unwrap_or_default(),
                    s(kr.kind.kind().as_str()),
                    start,
                    target,
                    kr.unit.clone().unwrap_or_default(),
                    current,
                    num_full(ks.progress),
                    String::new(),
                    num_full(os.expected),
                    s(ks.status.as_str()),
                    opt(ks.confidence),
                    ks.last_checkin.map_or(String::new(), |d| d.to_string()),
                    ks.stale.to_string(),
                    num_full(kr.weight),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ],
            );
        }
    }
    for &i in kpis {
        let k = &goals.kpis[i];
        let ks = &card.kpis[i];
        row(
            &mut out,
            vec![
                s("kpi"),
                k.reference(),
                k.team.clone(),
                String::new(),
                k.title.clone(),
                k.owner.clone().unwrap_or_default(),
                s(k.cadence.as_str()),
                String::new(),
                num_full(k.target),
                k.unit.clone().unwrap_or_default(),
                opt(ks.value),
                String::new(),
                String::new(),
                String::new(),
                s(ks.status.as_str()),
                String::new(),
                ks.last_checkin.map_or(String::new(), |d| d.to_string()),
                ks.stale.to_string(),
                String::new(),
                s(k.better.as_str()),
                opt(k.critical),
                ks.trend.map_or(String::new(), |t| t.as_str().to_owned()),
                String::new(),
            ],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(super::field("plain"), "plain");
        assert_eq!(super::field("a, \"b\""), "\"a, \"\"b\"\"\"");
    }
}
