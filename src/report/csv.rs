//! `status --format csv`: one row per objective, key result and KPI, for spreadsheets and
//! data tools (pandas, DuckDB). Columns are fixed ([`HEADER`]) and each has one type:
//! numbers only in numeric columns (full precision), `true`/`false` in boolean columns,
//! `YYYY-MM-DD` in date columns, words elsewhere. An empty cell is a null: the column has no
//! value for that row, because it does not apply to the row's type (an objective has no
//! `start`) or because nothing was recorded yet (a key result without check-ins has no
//! `current`). It never stands for zero or false. Text cells that a spreadsheet would run as
//! a formula get a leading `'`, and no cell holds a line break or a control character, since
//! CSV is printed in CI logs too (SPEC 10). Written with the `csv` crate: RFC 4180 quoting,
//! CRLF line ends.

use super::view::{KpiRow, KrRow, ObjectiveRow, StatusView};
use crate::text::{num_full, safe};

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
    "done",
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
    "forecast_progress",
    "forecast_value",
    "forecast_low",
    "forecast_high",
    "due",
    "checkin_due",
    "overdue",
];

/// One row, column by column (`HEADER` order), as cells.
#[derive(Default)]
struct Row {
    cells: [String; HEADER.len()],
}

impl Row {
    fn set(&mut self, column: &str, value: String) {
        if let Some(i) = HEADER.iter().position(|h| *h == column) {
            self.cells[i] = value;
        }
    }
    /// A text column: repository text, defused for spreadsheets.
    fn text(&mut self, column: &str, value: &str) {
        self.set(column, safe::csv_text(value).into_owned());
    }
    fn num(&mut self, column: &str, value: Option<f64>) {
        self.set(column, value.map_or(String::new(), num_full));
    }
    /// A word or a ref: no formula can start with its first character, but a ref holds
    /// repository text.
    fn word(&mut self, column: &str, value: impl ToString) {
        let value = value.to_string();
        self.set(column, safe::plain(&value).into_owned());
    }
}

fn objective(row: &ObjectiveRow) -> Row {
    let (o, s) = (row.objective, row.score);
    let mut r = Row::default();
    r.word("type", "objective");
    r.word("ref", o.reference());
    r.text("team", &o.team);
    r.text("period", &o.period.name);
    r.text("title", &o.title);
    r.text("owner", o.owner.as_deref().unwrap_or(""));
    r.word("kind", o.commitment.as_str());
    r.num("score", Some(s.score));
    r.num("expected", Some(s.expected));
    r.word("status", s.status.as_str());
    r.word("guardrail_breached", s.guardrail_breached);
    r.num("forecast_progress", s.forecast);
    r
}

fn key_result(row: &KrRow) -> Row {
    let (o, kr, s) = (row.objective, row.kr, row.score);
    let mut r = Row::default();
    r.word("type", "key_result");
    r.word("ref", row.reference());
    r.text("team", &o.team);
    r.text("period", &o.period.name);
    r.text("title", &kr.title);
    r.text("owner", o.owner.as_deref().unwrap_or(""));
    r.word("kind", kr.kind.kind().as_str());
    if let Some((start, target)) = kr.kind.start_target() {
        r.num("start", Some(start));
        r.num("target", Some(target));
    }
    r.text("unit", kr.unit.as_deref().unwrap_or(""));
    r.num("current", s.current);
    if let Some(d) = s.done {
        r.word("done", d);
    }
    r.num("progress", Some(s.progress));
    r.num("expected", Some(s.expected));
    r.word("status", s.status.as_str());
    r.num("confidence", s.confidence);
    if let Some(d) = s.last_checkin {
        r.word("last_checkin", d);
    }
    r.word("stale", s.stale);
    r.num("weight", Some(kr.weight));
    if let Some(due) = kr.kind.due() {
        r.word("due", due);
    }
    if let Some(d) = row.checkin_due() {
        r.word("checkin_due", d);
    }
    r.word("overdue", row.overdue());
    if let Some(f) = s.forecast {
        r.num("forecast_progress", Some(f.progress));
        r.num("forecast_value", Some(f.value));
        r.num("forecast_low", f.low);
        r.num("forecast_high", f.high);
    }
    r
}

fn kpi(row: &KpiRow) -> Row {
    let (k, s) = (row.kpi, row.score);
    let mut r = Row::default();
    r.word("type", "kpi");
    r.word("ref", k.reference());
    r.text("team", &k.team);
    r.text("title", &k.title);
    r.text("owner", k.owner.as_deref().unwrap_or(""));
    r.word("kind", k.cadence.as_str());
    r.num("target", Some(k.target));
    r.text("unit", k.unit.as_deref().unwrap_or(""));
    r.num("current", s.value);
    r.word("status", s.status.as_str());
    if let Some(d) = s.last_checkin {
        r.word("last_checkin", d);
    }
    r.word("stale", s.stale);
    r.word("better", k.better.as_str());
    r.num("critical", k.critical);
    if let Some(t) = s.trend {
        r.word("trend", t.as_str());
    }
    if let Some(d) = row.checkin_due() {
        r.word("checkin_due", d);
    }
    r.word("overdue", row.overdue());
    r
}

/// The CSV document.
pub fn status(view: &StatusView) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail; a failure would only lose the rest of the document.
    let _ = w.write_record(HEADER);
    for o in &view.objectives {
        let _ = w.write_record(&objective(o).cells);
        for kr in &o.key_results {
            let _ = w.write_record(&key_result(kr).cells);
        }
    }
    for k in &view.kpis {
        let _ = w.write_record(&kpi(k).cells);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_only_when_needed() {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        w.write_record(["plain", "a, \"b\"", ""]).unwrap();
        let out = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(out, "plain,\"a, \"\"b\"\"\",\r\n");
    }
}
