//! `status --format csv`: one row per objective, key result and KPI, for spreadsheets and
//! data tools (pandas, DuckDB). Columns are fixed ([`Column`]) and each has one type:
//! numbers only in numeric columns (full precision), `true`/`false` in boolean columns,
//! `YYYY-MM-DD` in date columns, words elsewhere. An empty cell is a null: the column has no
//! value for that row, because it does not apply to the row's type (an objective has no
//! `start`) or because nothing was recorded yet (a key result without check-ins has no
//! `current`). It never stands for zero or false. Text cells that a spreadsheet would run as
//! a formula get a leading `'`, and no cell holds a line break or a control character, since
//! CSV is printed in CI logs too (SPEC 10). Written with the `csv` crate: RFC 4180 quoting,
//! CRLF line ends.

use super::view::{KpiRow, KrRow, ObjectiveRow, StatusView};
use crate::model::{KeyResult, Kpi, Objective};
use crate::text::{num_full, safe};

/// Defines [`Column`]: each variant with its name in the header, in header order.
macro_rules! columns {
    ($($variant:ident = $name:literal,)*) => {
        /// A column of the CSV, in header order: a misspelled column does not compile.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Column {
            $($variant,)*
        }

        impl Column {
            /// Every column, in header order.
            pub const ALL: &[Column] = &[$(Column::$variant,)*];

            /// The column's name in the header.
            pub fn name(self) -> &'static str {
                match self {
                    $(Column::$variant => $name,)*
                }
            }
        }
    };
}

columns! {
    Type = "type",
    Ref = "ref",
    Team = "team",
    Period = "period",
    Title = "title",
    Owner = "owner",
    Kind = "kind",
    Start = "start",
    Target = "target",
    Unit = "unit",
    Current = "current",
    Done = "done",
    Progress = "progress",
    Score = "score",
    Expected = "expected",
    Status = "status",
    Confidence = "confidence",
    LastCheckin = "last_checkin",
    Stale = "stale",
    Weight = "weight",
    Better = "better",
    Critical = "critical",
    Trend = "trend",
    GuardrailBreached = "guardrail_breached",
    ForecastProgress = "forecast_progress",
    ForecastValue = "forecast_value",
    ForecastLow = "forecast_low",
    ForecastHigh = "forecast_high",
    Due = "due",
    CheckinDue = "checkin_due",
    Overdue = "overdue",
    Cadence = "cadence",
    Description = "description",
    Revisions = "revisions",
    DroppedOn = "dropped_on",
    DroppedReason = "dropped_reason",
}

use Column as C;

/// One row, column by column ([`Column::ALL`] order), as cells.
struct Row {
    cells: [String; Column::ALL.len()],
}

impl Default for Row {
    fn default() -> Self {
        Row {
            cells: std::array::from_fn(|_| String::new()),
        }
    }
}

impl Row {
    fn set(&mut self, column: Column, value: String) {
        self.cells[column as usize] = value;
    }
    /// A text column: repository text, defused for spreadsheets.
    fn text(&mut self, column: Column, value: &str) {
        self.set(column, safe::csv_text(value).into_owned());
    }
    fn num(&mut self, column: Column, value: Option<f64>) {
        self.set(column, value.map_or(String::new(), num_full));
    }
    /// A word or a ref: no formula can start with its first character, but a ref holds
    /// repository text.
    fn word(&mut self, column: Column, value: impl ToString) {
        let value = value.to_string();
        self.set(column, safe::plain(&value).into_owned());
    }
}

fn objective(row: &ObjectiveRow) -> Row {
    let (o, s) = (row.objective, row.score);
    // Every field of the model is named (no `..`): a new one does not compile until the CSV
    // says whether it has a column.
    let Objective {
        team,
        id: _, // in `ref`
        period,
        title,
        owner,
        commitment,
        parent: _,       // no column (JSON has it)
        guardrails: _,   // `guardrail_breached`
        key_results: _,  // rows of their own
        carried_from: _, // no column (JSON has it)
        description,
        dropped: _, // `dropped_on`, `dropped_reason`: `Objective::drop`
        span: _,
    } = o;
    let mut r = Row::default();
    r.word(C::Type, "objective");
    r.word(C::Ref, o.reference());
    r.text(C::Team, team);
    r.text(C::Period, &period.name);
    r.text(C::Title, title);
    r.text(C::Owner, owner.as_deref().unwrap_or(""));
    r.word(C::Kind, commitment.as_str());
    // A dropped objective has no score (SPEC 3.4); its other figures are the day before's.
    r.num(
        C::Score,
        (s.status != crate::score::Status::Dropped).then_some(s.score),
    );
    r.num(C::Expected, Some(s.expected));
    r.word(C::Status, s.status.as_str());
    r.word(C::GuardrailBreached, s.guardrail_breached);
    r.num(C::ForecastProgress, s.forecast);
    r.text(C::Description, description.as_deref().unwrap_or(""));
    if let Some(d) = o.drop() {
        r.word(C::DroppedOn, d.date);
        r.text(C::DroppedReason, d.reason);
    }
    r
}

fn key_result(row: &KrRow) -> Row {
    let (o, s) = (row.objective, row.score);
    // Every field of the model is named, as for objectives.
    let KeyResult {
        id: _, // in `ref`
        title,
        kind,
        unit,
        weight,
        kpi: _,      // no column (JSON has it)
        checkins: _, // scored
        span: _,
        owner: _, // `owner`: `KrRow::owner`, its own or its objective's
        cadence,
        description,
        revisions,
        dropped: _, // `dropped_on`, `dropped_reason`: `Objective::kr_drop`
    } = row.kr;
    let mut r = Row::default();
    r.word(C::Type, "key_result");
    r.word(C::Ref, row.reference());
    r.text(C::Team, &o.team);
    r.text(C::Period, &o.period.name);
    r.text(C::Title, title);
    r.text(C::Owner, row.owner().unwrap_or(""));
    r.word(C::Kind, kind.kind().as_str());
    if let Some((start, target)) = s.measure.start_target() {
        r.num(C::Start, Some(start));
        r.num(C::Target, Some(target));
    }
    r.text(C::Unit, unit.as_deref().unwrap_or(""));
    r.num(C::Current, s.current);
    if let Some(d) = s.done {
        r.word(C::Done, d);
    }
    r.num(C::Progress, Some(s.progress));
    r.num(C::Expected, Some(s.expected));
    r.word(C::Status, s.status.as_str());
    r.num(C::Confidence, s.confidence);
    if let Some(d) = s.last_checkin {
        r.word(C::LastCheckin, d);
    }
    r.word(C::Stale, s.stale);
    r.num(C::Weight, Some(*weight));
    if let Some(due) = kind.due() {
        r.word(C::Due, due);
    }
    if let Some(d) = row.checkin_due() {
        r.word(C::CheckinDue, d);
    }
    r.word(C::Overdue, row.overdue());
    if let Some(f) = s.forecast {
        r.num(C::ForecastProgress, Some(f.progress));
        r.num(C::ForecastValue, Some(f.value));
        r.num(C::ForecastLow, f.low);
        r.num(C::ForecastHigh, f.high);
    }
    if row.kpi.is_none() {
        r.word(C::Cadence, cadence.as_str());
    }
    r.text(C::Description, description.as_deref().unwrap_or(""));
    r.num(C::Revisions, Some(revisions.len() as f64));
    if let Some(d) = o.kr_drop(row.kr) {
        r.word(C::DroppedOn, d.date);
        r.text(C::DroppedReason, d.reason);
    }
    r
}

fn kpi(row: &KpiRow) -> Row {
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
    let mut r = Row::default();
    r.word(C::Type, "kpi");
    r.word(C::Ref, k.reference());
    r.text(C::Team, team);
    r.text(C::Title, title);
    r.text(C::Owner, owner.as_deref().unwrap_or(""));
    r.word(C::Kind, cadence.as_str());
    r.num(C::Target, Some(*target));
    r.text(C::Unit, unit.as_deref().unwrap_or(""));
    r.num(C::Current, s.value);
    r.word(C::Status, s.status.as_str());
    if let Some(d) = s.last_checkin {
        r.word(C::LastCheckin, d);
    }
    r.word(C::Stale, s.stale);
    r.word(C::Better, better.as_str());
    r.num(C::Critical, *critical);
    if let Some(t) = s.trend {
        r.word(C::Trend, t.as_str());
    }
    if let Some(d) = row.checkin_due() {
        r.word(C::CheckinDue, d);
    }
    r.word(C::Overdue, row.overdue());
    r.word(C::Cadence, cadence.as_str());
    r
}

/// The CSV document.
pub fn status(view: &StatusView) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail; a failure would only lose the rest of the document.
    let _ = w.write_record(Column::ALL.iter().map(|c| c.name()));
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
    use super::Column;

    #[test]
    fn columns_are_in_header_order() {
        for (i, c) in Column::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i, "{c:?}");
        }
    }

    /// The README's list of CSV columns ("with the columns `type, ref, ...`") is the enum's,
    /// in order (`tests/cli/readme_fields.rs` compares it with real output too).
    #[test]
    fn the_readme_lists_the_columns() {
        let readme = include_str!("../../README.md");
        let marker = "with the columns";
        let rest = &readme[readme.find(marker).expect("README.md lists the columns")..];
        let start = rest.find('`').expect("a code span") + 1;
        let end = start + rest[start..].find('`').expect("the code span ends");
        let listed: Vec<&str> = rest[start..end].split(',').map(str::trim).collect();
        let names: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(listed, names);
    }

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
