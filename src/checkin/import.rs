//! `goalpost checkin --from FILE`'s reader: check-ins from CSV (a header with `ref`, `date`
//! and any of `value`, `done`, `confidence`, `note`, `by`, `correction`) or JSON Lines (one
//! object a line, the same keys). A file that is not such a table is [`ImportError::Malformed`]
//! (a usage error); rows whose cells are not a check-in are [`ImportError::Invalid`], every
//! one of them with its line. Whether the rows fit the repository (refs, periods, ranges,
//! conflicts) is judged afterwards by validating it with the rows appended.

use super::NewCheckin;
use crate::date::{Date, date_problem};
use crate::model::Observation;

/// The columns (CSV) or keys (JSON Lines) a row may have; `ref` and `date` are required.
pub(crate) const COLUMNS: [&str; 8] = crate::load::raw::CHECKIN_KEYS;

/// How the rows are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Csv,
    Jsonl,
}

impl Format {
    /// The format a file name says: `.csv`, or `.jsonl` / `.ndjson`.
    pub(crate) fn of_path(path: &str) -> Option<Format> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(Format::Csv)
        } else if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            Some(Format::Jsonl)
        } else {
            None
        }
    }

    /// For standard input: JSON Lines when the first thing in it is `{`, else CSV.
    pub(crate) fn sniff(bytes: &[u8]) -> Format {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Format::Jsonl,
            _ => Format::Csv,
        }
    }
}

/// One row read: the check-in and the line it starts on (1-based; a CSV header is line 1).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub line: u64,
    pub checkin: NewCheckin,
}

/// Why a file cannot be imported.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum ImportError {
    /// The file is not a table of check-ins: no header, an unknown or repeated column, a row
    /// of the wrong width, a line that is not a JSON object, bytes that are not UTF-8.
    #[error("{}{message}", line.map(|l| format!("{l}: ")).unwrap_or_default())]
    Malformed { line: Option<u64>, message: String },
    /// Rows whose cells are not a check-in, each with its line and the problem.
    #[error("{} rows are not check-ins", .0.len())]
    Invalid(Vec<(u64, String)>),
}

fn malformed(line: Option<u64>, message: impl Into<String>) -> ImportError {
    ImportError::Malformed {
        line,
        message: message.into(),
    }
}

/// One cell as written: CSV cells are text; JSON values keep their type.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Number(f64),
    Bool(bool),
    /// An array or object in JSON.
    Other(&'static str),
}

/// Reads every row of `bytes`.
pub(crate) fn read(bytes: &[u8], format: Format) -> Result<Vec<Row>, ImportError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64
            + 1;
        malformed(
            Some(line),
            "the file is not UTF-8 text (export it as UTF-8, for example with `iconv -t UTF-8`)",
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let cells = match format {
        Format::Csv => csv_rows(text)?,
        Format::Jsonl => jsonl_rows(text)?,
    };
    let mut rows = Vec::with_capacity(cells.len());
    let mut invalid = Vec::new();
    for (line, cells) in cells {
        match checkin(cells) {
            Ok(checkin) => rows.push(Row { line, checkin }),
            Err(problem) => invalid.push((line, problem)),
        }
    }
    if invalid.is_empty() {
        Ok(rows)
    } else {
        Err(ImportError::Invalid(invalid))
    }
}

type Cells = [Option<Cell>; COLUMNS.len()];

/// The column `name` stands for; unknown names are a malformed header or key.
fn column(name: &str, line: u64, what: &str) -> Result<usize, ImportError> {
    COLUMNS.iter().position(|c| *c == name).ok_or_else(|| {
        let hint = match crate::diag::suggest(name, COLUMNS.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? "),
            None => String::new(),
        };
        malformed(
            Some(line),
            format!(
                "unknown {what} `{name}`; {hint}the {what}s are: {}",
                COLUMNS.join(", ")
            ),
        )
    })
}

fn csv_rows(text: &str) -> Result<Vec<(u64, Cells)>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let csv_error = |e: csv::Error| {
        let line = e.position().map(|p| p.line());
        let message = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("this row has {len} cells, the header {expected_len}"),
            _ => format!("not CSV: {e}"),
        };
        malformed(line, message)
    };
    let header = reader.headers().map_err(csv_error)?.clone();
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(malformed(
            Some(1),
            "no header: the first line names the columns, such as `ref,date,value`",
        ));
    }
    let mut columns = Vec::with_capacity(header.len());
    for name in &header {
        let c = column(name.trim(), 1, "column")?;
        if columns.contains(&c) {
            return Err(malformed(
                Some(1),
                format!("the column `{}` is named twice", COLUMNS[c]),
            ));
        }
        columns.push(c);
    }
    for required in [0, 1] {
        if !columns.contains(&required) {
            return Err(malformed(
                Some(1),
                format!(
                    "the header has no `{}` column; it needs `ref`, `date` and `value` (or `done`)",
                    COLUMNS[required]
                ),
            ));
        }
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line());
        let mut cells: Cells = Default::default();
        for (&c, value) in columns.iter().zip(record.iter()) {
            if !value.trim().is_empty() {
                cells[c] = Some(Cell::Text(value.to_owned()));
            }
        }
        out.push((line, cells));
    }
    Ok(out)
}

fn jsonl_rows(text: &str) -> Result<Vec<(u64, Cells)>, ImportError> {
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let line = i as u64 + 1;
        if l.trim().is_empty() {
            continue;
        }
        let object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(l).map_err(|e| {
                malformed(
                    Some(line),
                    format!("not a JSON object: {e}; JSON Lines hold one object a line"),
                )
            })?;
        let mut cells: Cells = Default::default();
        for (key, value) in object {
            let c = column(&key, line, "key")?;
            cells[c] = match value {
                serde_json::Value::Null => None,
                serde_json::Value::String(s) if s.trim().is_empty() => None,
                serde_json::Value::String(s) => Some(Cell::Text(s)),
                serde_json::Value::Number(n) => n.as_f64().map(Cell::Number),
                serde_json::Value::Bool(b) => Some(Cell::Bool(b)),
                serde_json::Value::Array(_) => Some(Cell::Other("a list")),
                serde_json::Value::Object(_) => Some(Cell::Other("an object")),
            };
        }
        out.push((line, cells));
    }
    Ok(out)
}

/// The check-in a row's cells describe, or what is wrong with them.
fn checkin(cells: Cells) -> Result<NewCheckin, String> {
    let [
        reference,
        date,
        value,
        done,
        confidence,
        note,
        by,
        correction,
    ] = cells;
    let reference = match reference {
        Some(Cell::Text(t)) => t.trim().to_owned(),
        None => {
            return Err(
                "no `ref`: name the KPI (`team/kpi`) or key result (`team/objective/kr`)".into(),
            );
        }
        Some(other) => return Err(format!("`ref` must be text, found {}", kind(&other))),
    };
    let date = match date {
        Some(Cell::Text(t)) => {
            let t = t.trim();
            Date::parse(t)
                .ok_or_else(|| format!("`date` `{t}` is not a date: {}", date_problem(t)))?
        }
        None => return Err("no `date`: write the day observed as YYYY-MM-DD".into()),
        Some(other) => {
            return Err(format!(
                "`date` must be text such as 2026-11-30, found {}",
                kind(&other)
            ));
        }
    };
    let obs = match (value, done) {
        (Some(v), None) => Observation::Value(number("value", v)?),
        (None, Some(d)) => Observation::Done(boolean(d)?),
        (Some(_), Some(_)) => {
            return Err("both `value` and `done`: a metric takes a value, a milestone done".into());
        }
        (None, None) => {
            return Err("no `value` (or `done` for a milestone): the row records nothing".into());
        }
    };
    Ok(NewCheckin {
        reference,
        date,
        obs,
        confidence: confidence.map(|c| number("confidence", c)).transpose()?,
        note: text("note", note)?,
        by: text("by", by)?,
        correction: text("correction", correction)?,
    })
}

fn kind(c: &Cell) -> String {
    match c {
        Cell::Text(t) => format!("\"{t}\""),
        Cell::Number(n) => format!("the number {n}"),
        Cell::Bool(b) => format!("{b}"),
        Cell::Other(what) => (*what).to_owned(),
    }
}

/// A finite number, from a JSON number or a cell's text (with a hint for `60%`, `1,200`).
fn number(key: &str, c: Cell) -> Result<f64, String> {
    let x = match c {
        Cell::Number(x) => x,
        Cell::Text(t) => {
            let t = t.trim();
            let looks_numeric = t.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c))
                && t.chars().any(|c| c.is_ascii_digit());
            match t.parse::<f64>() {
                Ok(x) if looks_numeric => x,
                _ => {
                    let hint = if let Some(n) = t.strip_suffix('%') {
                        format!(
                            "write the number without the percent sign, `{}`; the unit belongs on the KPI or key result",
                            n.trim()
                        )
                    } else if let Some(hint) = crate::load::convert::comma_hint(t) {
                        hint
                    } else {
                        "write a plain number such as 42 or 0.5".to_owned()
                    };
                    return Err(format!("`{key}` `{t}` is not a number; {hint}"));
                }
            }
        }
        other => return Err(format!("`{key}` must be a number, found {}", kind(&other))),
    };
    if x.is_finite() {
        Ok(x)
    } else {
        Err(format!("`{key}` is too large to be a finite number"))
    }
}

/// `done`: a JSON boolean, or `true`/`false` (also `t`/`f` as psql writes booleans, `yes`/`no`,
/// `1`/`0`) in any case.
fn boolean(c: Cell) -> Result<bool, String> {
    match c {
        Cell::Bool(b) => Ok(b),
        Cell::Text(t) => match t.trim().to_ascii_lowercase().as_str() {
            "true" | "t" | "yes" | "1" => Ok(true),
            "false" | "f" | "no" | "0" => Ok(false),
            _ => Err(format!("`done` `{}` is not true or false", t.trim())),
        },
        other => Err(format!(
            "`done` must be true or false, found {}",
            kind(&other)
        )),
    }
}

/// Text (`note`, `by`, `correction`); in JSON Lines a number or boolean there is an error.
fn text(key: &str, c: Option<Cell>) -> Result<Option<String>, String> {
    match c {
        None => Ok(None),
        Some(Cell::Text(t)) => Ok(Some(t)),
        Some(other) => Err(format!("`{key}` must be text, found {}", kind(&other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, f: Format) -> Vec<Row> {
        read(text.as_bytes(), f).unwrap_or_else(|e| panic!("{text:?}: {e:?}"))
    }

    #[test]
    fn csv_rows_are_check_ins_with_their_lines() {
        let r = rows(
            "\u{feff}ref,date,value,confidence,note,by,correction\n\
             growth/churn,2026-10-31,4.8,,,,\n\
             growth/churn , 2026-11-30 , 6.1 ,0.5,\"price change, \"\"big\"\"\nsecond line\",bi,\n\
             growth/churn,2026-12-31,5,,,,typo in November\n",
            Format::Csv,
        );
        assert_eq!(r.len(), 3);
        assert_eq!((r[0].line, r[1].line, r[2].line), (2, 3, 5));
        let c = &r[1].checkin;
        assert_eq!(c.reference, "growth/churn");
        assert_eq!(c.date.to_string(), "2026-11-30");
        assert_eq!(c.obs, Observation::Value(6.1));
        assert_eq!(c.confidence, Some(0.5));
        assert_eq!(
            c.note.as_deref(),
            Some("price change, \"big\"\nsecond line")
        );
        assert_eq!(c.by.as_deref(), Some("bi"));
        assert_eq!(r[0].checkin.note, None);
        assert_eq!(r[2].checkin.correction.as_deref(), Some("typo in November"));
        let done = rows(
            "ref,date,done\na/b/c,2026-11-01,t\na/b/c,2026-11-02,FALSE\n",
            Format::Csv,
        );
        assert_eq!(done[0].checkin.obs, Observation::Done(true));
        assert_eq!(done[1].checkin.obs, Observation::Done(false));
        assert!(rows("ref,date,value\n", Format::Csv).is_empty());
        // CRLF line ends (spreadsheets write them).
        assert_eq!(
            rows("ref,date,value\r\na/b,2026-11-01,1\r\n", Format::Csv).len(),
            1
        );
    }

    #[test]
    fn jsonl_rows_keep_types_and_lines() {
        let r = rows(
            "{\"ref\": \"growth/churn\", \"date\": \"2026-10-31\", \"value\": 4.8, \"note\": null}\n\n\
             {\"ref\": \"a/b/c\", \"date\": \"2026-11-01\", \"done\": true, \"by\": \"ann\"}\n",
            Format::Jsonl,
        );
        assert_eq!((r[0].line, r[1].line), (1, 3));
        assert_eq!(r[0].checkin.obs, Observation::Value(4.8));
        assert_eq!(r[1].checkin.obs, Observation::Done(true));
        assert_eq!(r[1].checkin.by.as_deref(), Some("ann"));
    }

    #[test]
    fn a_file_that_is_no_table_is_malformed_with_its_line() {
        for (text, f, line, says) in [
            ("", Format::Csv, Some(1), "no header"),
            (
                "ref,date,valeu\n",
                Format::Csv,
                Some(1),
                "did you mean `value`?",
            ),
            ("ref,ref,date\n", Format::Csv, Some(1), "named twice"),
            ("ref,value\n", Format::Csv, Some(1), "no `date` column"),
            (
                "ref,date,value\na,b\n",
                Format::Csv,
                Some(2),
                "2 cells, the header 3",
            ),
            (
                "{\"ref\": 1}\nnot json\n",
                Format::Jsonl,
                Some(2),
                "not a JSON object",
            ),
            ("[1, 2]\n", Format::Jsonl, Some(1), "not a JSON object"),
            (
                "{\"ref\": \"a/b\", \"vaule\": 1}\n",
                Format::Jsonl,
                Some(1),
                "unknown key `vaule`",
            ),
        ] {
            match read(text.as_bytes(), f) {
                Err(ImportError::Malformed { line: l, message }) => {
                    assert_eq!(l, line, "{text:?}");
                    assert!(message.contains(says), "{text:?}: {message}");
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
        let e = read(b"ref,date,value\n\xff\n", Format::Csv).unwrap_err();
        assert!(
            matches!(e, ImportError::Malformed { line: Some(2), .. }),
            "{e:?}"
        );
    }

    #[test]
    fn every_invalid_row_is_named_with_its_line() {
        let text = "ref,date,value,done,confidence\n\
                    a/b,2026-11-31,1,,\n\
                    a/b,2026-11-01,60%,,\n\
                    a/b,2026-11-01,\"1,200\",,\n\
                    a/b,2026-11-01,,,\n\
                    a/b,2026-11-01,1,true,\n\
                    ,2026-11-01,1,,\n\
                    a/b,2026-11-01,1,,high\n\
                    a/b/c,2026-11-01,,maybe,\n\
                    a/b,2026-11-01,1e999,,\n\
                    a/b,2026-11-01,2,,\n";
        let Err(ImportError::Invalid(bad)) = read(text.as_bytes(), Format::Csv) else {
            panic!("rows are invalid");
        };
        let lines: Vec<u64> = bad.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6, 7, 8, 9, 10]);
        for (i, says) in [
            "November 2026 has 30 days",
            "without the percent sign, `60`",
            "without thousands separators: `1200`",
            "no `value`",
            "both `value` and `done`",
            "no `ref`",
            "`confidence` `high` is not a number",
            "`done` `maybe` is not true or false",
            "too large",
        ]
        .iter()
        .enumerate()
        {
            assert!(bad[i].1.contains(says), "{}: {}", bad[i].0, bad[i].1);
        }
        let Err(ImportError::Invalid(bad)) = read(
            b"{\"ref\": \"a/b\", \"date\": \"2026-11-01\", \"value\": \"12\"}\n{\"ref\": \"a/b\", \"date\": 20261101, \"value\": 1}\n{\"ref\": \"a/b\", \"date\": \"2026-11-01\", \"value\": 1, \"note\": 5}\n",
            Format::Jsonl,
        ) else {
            panic!("rows are invalid");
        };
        assert_eq!(bad.len(), 2, "{bad:?}"); // "12" as text reads as 12, like a CSV cell
        assert!(bad[0].1.contains("`date` must be text"), "{bad:?}");
        assert!(bad[1].1.contains("`note` must be text"), "{bad:?}");
    }

    #[test]
    fn formats_by_name_and_by_content() {
        assert_eq!(Format::of_path("k.CSV"), Some(Format::Csv));
        assert_eq!(Format::of_path("k.jsonl"), Some(Format::Jsonl));
        assert_eq!(Format::of_path("k.ndjson"), Some(Format::Jsonl));
        assert_eq!(Format::of_path("k.txt"), None);
        assert_eq!(Format::sniff(b"  {\"ref\":1}"), Format::Jsonl);
        assert_eq!(Format::sniff(b"ref,date\n"), Format::Csv);
    }
}
