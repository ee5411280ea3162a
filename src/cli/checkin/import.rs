//! `goalpost checkin --from FILE`: many check-ins in one atomic, locked append (SPEC 7, 9).
//! All or nothing: every row is read, then validated with the repository as it would be with
//! all of them, and one bad row refuses the import with `FILE:LINE: ...` for each problem.
//! Rows identical to a check-in already recorded are skipped and counted, so running an
//! import again is safe. FILE is the user's choice (SPEC 11), read as given, not through the
//! repository's path rules; it is bounded like a goal file.

use super::super::append;
use super::super::{CmdResult, Ctx, Failure, check_source_keeping, exit, out, plural};
use crate::checkin::NewCheckin;
use crate::checkin::import::{self, Format, ImportError, Row};
use crate::diag::{Code, Diagnostic};
use crate::text::safe;
use crate::write::log::{Appended, Refusal};
use std::io::Read as _;
use std::path::Path;

/// Problems printed one by one before the rest are only counted.
const SHOWN: usize = 50;

/// `--input-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    Csv,
    Jsonl,
}

pub(super) fn run(from: &Path, format: Option<InputFormat>, commit: bool, ctx: &Ctx) -> CmdResult {
    let stdin = from.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".to_owned()
    } else {
        safe::human(&from.display().to_string()).into_owned()
    };
    // Relative to where goalpost runs (`-C DIR` included), as every path on the command line.
    let bytes = read_input(&ctx.cwd.join(from), stdin, &name)?;
    let format = match format {
        Some(InputFormat::Csv) => Format::Csv,
        Some(InputFormat::Jsonl) => Format::Jsonl,
        None if stdin => Format::sniff(&bytes),
        None => Format::of_path(&from.to_string_lossy()).ok_or_else(|| {
            Failure::Usage(format!(
                "cannot tell the format of {name} from its name; use --input-format csv or --input-format jsonl"
            ))
        })?,
    };
    let rows = match import::read(&bytes, format) {
        Ok(rows) => rows,
        Err(ImportError::Malformed { line, message }) => {
            let at = line.map(|l| format!(":{l}")).unwrap_or_default();
            return Err(Failure::Usage(format!(
                "{name}{at}: {message} (nothing was imported)"
            )));
        }
        Err(ImportError::Invalid(bad)) => {
            for (line, problem) in bad.iter().take(SHOWN) {
                eprintln!("{name}:{line}: error: {}", safe::human(problem));
            }
            more(bad.len());
            eprintln!(
                "error: import refused ({} of {name} {} not check-ins); nothing was written",
                plural(bad.len(), "row"),
                if bad.len() == 1 { "is" } else { "are" }
            );
            return Err(Failure::Reported(exit::FINDINGS));
        }
    };
    if rows.is_empty() {
        out(&format!("{name} holds no rows; nothing written\n"))?;
        return Ok(exit::OK);
    }
    for row in rows.iter().filter(|r| r.checkin.date > ctx.today) {
        eprintln!(
            "{name}:{}: warning[future-checkin]: the date {} is after today ({}); a check-in records a value already observed (a typo?)",
            row.line, row.checkin.date, ctx.today
        );
    }
    let mut kept = crate::check::Kept::default();
    let mut checked = check_source_keeping(ctx.source()?.as_ref(), &mut kept)?;
    if checked.has_errors() {
        super::refuse(
            ctx,
            &checked,
            "the goal files are invalid already; fix them first (nothing was written)",
        );
        return Err(Failure::Reported(exit::FINDINGS));
    }
    let log = append::open(ctx, &checked.config, commit)?;
    let checkins: Vec<NewCheckin> = rows.iter().map(|r| r.checkin.clone()).collect();
    kept.texts(&mut checked.sources);
    let (text, skipped, warnings) = match log
        .append_kept(&checkins, Some(kept))
        .map_err(|e| super::super::write_failure(e, ctx))?
    {
        Appended::Written {
            text,
            after,
            skipped,
            warnings,
        } => {
            // Both loads are left to the process's exit, as `status` leaves its model.
            std::mem::forget((after, checked));
            (text, skipped, warnings)
        }
        Appended::Nothing { skipped } => {
            out(&format!(
                "all {} of {name} are already recorded; nothing written\n",
                plural(skipped.len(), "row")
            ))?;
            return Ok(exit::OK);
        }
        Appended::Refused(refusal) => {
            refused(&refusal, &rows, &name, ctx);
            return Err(Failure::Reported(exit::FINDINGS));
        }
    };
    for (row, d) in &warnings {
        print_located(&name, rows[*row].line, d, None);
    }
    let written = rows.len() - skipped.len();
    let mut report = format!(
        "appended {} from {name} to {}",
        plural(written, "check-in"),
        log.shown
    );
    if !skipped.is_empty() {
        report.push_str(&format!(" ({} already recorded)", skipped.len()));
    }
    report.push('\n');
    let what = if stdin { "standard input" } else { &name };
    append::finish(
        &log,
        ctx,
        &text,
        &format!("checkin: {} from {what}", plural(written, "check-in")),
        report,
    )
}

/// The whole input, bounded like a goal file: the log it is appended to must stay readable.
fn read_input(from: &Path, stdin: bool, name: &str) -> Result<Vec<u8>, Failure> {
    let max = crate::load::MAX_FILE_BYTES;
    let mut bytes = Vec::new();
    let read = if stdin {
        std::io::stdin()
            .lock()
            .take(max + 1)
            .read_to_end(&mut bytes)
    } else {
        match std::fs::File::open(from) {
            Ok(f) => f.take(max + 1).read_to_end(&mut bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Failure::Usage(format!("--from {name}: no such file")));
            }
            Err(e) => Err(e),
        }
    };
    read.map_err(|e| Failure::Io(format!("cannot read {name}: {e}")))?;
    if bytes.len() as u64 > max {
        return Err(Failure::Usage(format!(
            "{name} is larger than {} MiB; split it into smaller imports",
            max / (1024 * 1024)
        )));
    }
    Ok(bytes)
}

/// Prints why the rows were refused: each problem at its row's line, a conflict with the
/// place of the other check-in and how to correct it.
fn refused(r: &Refusal, rows: &[Row], name: &str, ctx: &Ctx) {
    let mut located: Vec<&(usize, Diagnostic)> = r.rows.iter().collect();
    located.sort_by_key(|(row, _)| *row);
    for (row, d) in located.iter().take(SHOWN) {
        let conflict = (d.code == Code::ConflictingCheckin).then(|| {
            // The other check-in: the diagnostic's other place, from this row's view.
            let other = if r.row_at(&d.span) == Some(*row) {
                d.related.first().map(|l| l.span)
            } else {
                Some(d.span)
            };
            let c = &rows[*row].checkin;
            match other.map(|s| (r.row_at(&s), s)) {
                Some((Some(o), _)) => (
                    format!(
                        "`{}` on {} differs from line {} of {name}",
                        c.reference, c.date, rows[o].line
                    ),
                    "keep one row per ref and date".to_owned(),
                ),
                Some((None, s)) => (
                    format!(
                        "`{}` already has a different check-in on {} ({}:{})",
                        c.reference,
                        c.date,
                        r.after.sources.path(s.file),
                        s.line
                    ),
                    "to replace it, add a `correction` column with the reason; the recorded check-in stays in the log as history".to_owned(),
                ),
                None => (d.message.clone(), d.help.clone().unwrap_or_default()),
            }
        });
        print_located(name, rows[*row].line, d, conflict);
    }
    more(located.len());
    if !r.other.is_empty() {
        eprint!(
            "{}",
            crate::report::diagnostics::human(
                &r.other,
                &r.after.sources,
                ctx.color_err,
                ctx.max_diagnostics
            )
        );
    }
    let n = r.rows.len() + r.other.len();
    eprintln!(
        "error: import refused ({}); nothing was written",
        plural(n, "error")
    );
}

/// `FILE:LINE: error[code]: message` and its help, escaped.
fn print_located(name: &str, line: u64, d: &Diagnostic, text: Option<(String, String)>) {
    let (message, help) =
        text.unwrap_or_else(|| (d.message.clone(), d.help.clone().unwrap_or_default()));
    eprintln!(
        "{name}:{line}: {}[{}]: {}",
        d.severity,
        d.code,
        safe::human(&message)
    );
    if !help.is_empty() {
        eprintln!("  = help: {}", safe::human(&help));
    }
}

fn more(n: usize) {
    if n > SHOWN {
        eprintln!("... and {} more", n - SHOWN);
    }
}
