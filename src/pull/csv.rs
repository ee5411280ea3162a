//! A CSV source (SPEC 11): a file in the repository in long format, a header `ref,date,value`
//! (in any order) and one row per KPI and date, such as an earlier CI step exports from a
//! warehouse. The value of a KPI "at the end of D" is its latest row dated on or before D,
//! and the check-in takes that row's own date, so a weekly export pulled every day adds
//! nothing new until the next export.

use crate::date::{Date, date_problem};
use std::collections::{BTreeMap, HashMap};

/// The rows of one CSV source, by ref.
#[derive(Debug, Default)]
pub(crate) struct Table {
    /// Per ref, per date: the value, or what is wrong with that row (with its line).
    rows: HashMap<String, BTreeMap<Date, Result<f64, String>>>,
    /// Per ref: rows that cannot be placed at a date (a bad date), or contradict each other.
    problems: HashMap<String, String>,
}

/// Reads a CSV source; `Err` when it is not a `ref,date,value` table (with the line).
pub(crate) fn parse(text: &str) -> Result<Table, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let located = |e: csv::Error| match e.position() {
        Some(p) => format!("line {}: {e}", p.line()),
        None => e.to_string(),
    };
    let header = reader.headers().map_err(located)?.clone();
    let names: Vec<&str> = header.iter().map(str::trim).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    if sorted != ["date", "ref", "value"] {
        return Err(format!(
            "line 1: the header is `{}`; a CSV source has exactly the columns ref, date and value",
            names.join(",")
        ));
    }
    let col = |n: &str| names.iter().position(|c| *c == n).unwrap_or(0);
    let (r, d, v) = (col("ref"), col("date"), col("value"));
    let mut table = Table::default();
    for record in reader.records() {
        let record = record.map_err(located)?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let reference = field(r).to_owned();
        let Some(date) = Date::parse(field(d)) else {
            table.problems.entry(reference).or_insert_with(|| {
                format!(
                    "line {line}: `{}` is not a date: {}",
                    field(d),
                    date_problem(field(d))
                )
            });
            continue;
        };
        let value = match field(v).parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            _ => Err(format!(
                "line {line}: the value `{}` is not a finite number",
                field(v)
            )),
        };
        let dates = table.rows.entry(reference.clone()).or_default();
        match dates.get(&date) {
            Some(earlier) if *earlier != value => {
                table
                    .problems
                    .entry(reference)
                    .or_insert_with(|| format!("line {line}: a second, different row for {date}"));
            }
            _ => {
                dates.insert(date, value);
            }
        }
    }
    Ok(table)
}

impl Table {
    /// The latest row of `reference` dated on or before `d`: its date and value.
    pub(crate) fn at(&self, reference: &str, d: Date) -> Result<(Date, f64), String> {
        if let Some(p) = self.problems.get(reference) {
            return Err(p.clone());
        }
        let found = self
            .rows
            .get(reference)
            .and_then(|dates| dates.range(..=d).next_back());
        match found {
            Some((date, Ok(v))) => Ok((*date, *v)),
            Some((_, Err(e))) => Err(e.clone()),
            None => Err(format!("no row of {reference} dated on or before {d}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn the_latest_row_on_or_before_a_date_counts() {
        let t = parse(
            "date,ref,value\n2026-10-31,growth/churn,4.8\n2026-11-30,growth/churn,6.1\n2026-11-30,growth/nps,41\n2026-11-30,growth/churn,6.1\n",
        )
        .unwrap();
        assert_eq!(
            t.at("growth/churn", d("2026-11-30")),
            Ok((d("2026-11-30"), 6.1))
        );
        assert_eq!(
            t.at("growth/churn", d("2026-11-29")),
            Ok((d("2026-10-31"), 4.8))
        );
        assert!(
            t.at("growth/churn", d("2026-10-30"))
                .unwrap_err()
                .contains("no row of growth/churn dated on or before 2026-10-30")
        );
        assert!(t.at("growth/other", d("2026-11-30")).is_err());
    }

    #[test]
    fn bad_rows_spoil_only_their_ref() {
        let t = parse(
            "ref,date,value\na/x,2026-13-01,1\na/y,2026-11-01,n/a\na/z,2026-11-01,1\na/z,2026-11-01,2\na/ok,2026-11-01,3\n",
        )
        .unwrap();
        assert!(
            t.at("a/x", d("2026-12-01"))
                .unwrap_err()
                .contains("line 2: `2026-13-01` is not a date")
        );
        assert!(
            t.at("a/y", d("2026-12-01"))
                .unwrap_err()
                .contains("line 3: the value `n/a`")
        );
        assert!(
            t.at("a/z", d("2026-12-01"))
                .unwrap_err()
                .contains("line 5: a second, different row")
        );
        assert_eq!(t.at("a/ok", d("2026-12-01")), Ok((d("2026-11-01"), 3.0)));
    }

    #[test]
    fn a_file_that_is_not_the_long_format_is_refused() {
        for (text, says) in [
            ("ref,date\n", "exactly the columns ref, date and value"),
            ("ref,date,value,extra\n", "exactly the columns"),
            ("ref,date,value\na,b\n", "line 2"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.contains(says), "{text:?}: {e}");
        }
    }
}
