//! What `revise` and `drop` share: the goals they read (valid, from the work tree), the
//! checks of their date and reason, and the write of the entry into the item's goal file
//! ([`crate::write::edit`]), reported as one line `FILE:LINE: what was recorded (reason)`
//! and, with `--commit`, the commit made.

use super::{Checked, CmdResult, Ctx, Failure, check_source, exit, out, plural, write_failure};
use crate::model::{Date, KeyResult, Objective};
use crate::text::safe;
use crate::write::edit::{GoalFile, Recorded};
use crate::write::insert::Addition;

/// The goals as they are, for a command that writes: refused (exit 1, errors printed) when
/// they are invalid already, so that a refusal later names only what the change breaks.
pub(super) fn goals(ctx: &Ctx, command: &str) -> Result<Checked, Failure> {
    if ctx.at.is_some() {
        return Err(Failure::Usage(format!(
            "--at: {command} writes to the work tree and cannot write to a revision"
        )));
    }
    let checked = check_source(ctx.source()?.as_ref())?;
    if checked.has_errors() {
        let n = super::print_errors(&checked, ctx);
        eprintln!(
            "error: {command} refused ({}); the goal files are invalid already; fix them first (nothing was written)",
            plural(n, "error")
        );
        return Err(Failure::Reported(exit::FINDINGS));
    }
    Ok(checked)
}

/// `--reason`, which must say something.
pub(super) fn reason(reason: &str, what: &str) -> Result<String, Failure> {
    if reason.trim().is_empty() {
        return Err(Failure::Usage(format!(
            "--reason is empty: say why the {what} (it stays in the history); nothing was written"
        )));
    }
    Ok(reason.to_owned())
}

/// A revision or drop is dated inside its objective's period (SPEC 3.4).
pub(super) fn in_period(o: &Objective, reference: &str, date: Date) -> Result<(), Failure> {
    if o.period.contains(date) {
        return Ok(());
    }
    let p = &o.period;
    Err(Failure::Usage(format!(
        "--date {date} is outside the period of `{reference}` ({} is {} to {}); give a date inside it (nothing was written)",
        p.name, p.start, p.end
    )))
}

/// An item dropped on or before `date` takes no revision or drop then, and an item with a
/// `dropped:` of its own no second one (SPEC 3.4): said with the drop's date and reason. `kr`
/// is the key result the ref names, else the objective; `dropping` for `drop`.
pub(super) fn not_dropped(
    o: &Objective,
    kr: Option<&KeyResult>,
    reference: &str,
    date: Date,
    dropping: bool,
) -> Result<(), Failure> {
    let own = match kr {
        Some(k) => k.dropped.as_ref(),
        None => o.dropped.as_ref(),
    };
    if dropping && let Some(d) = own {
        return Err(dropped(reference, d.date, &d.reason, ""));
    }
    // The drop in effect: its own, its objective's, or for an objective every key result's.
    let effect = match kr {
        Some(k) => o.kr_drop(k),
        None => o.drop(),
    };
    match effect {
        Some(d) if d.date <= date => {
            let own_drop = own.is_some_and(|w| w.date == d.date && w.reason == d.reason);
            let how = if kr.is_some() && !own_drop {
                " with its objective"
            } else {
                ""
            };
            Err(dropped(reference, d.date, d.reason, how))
        }
        _ => Ok(()),
    }
}

fn dropped(reference: &str, date: Date, reason: &str, how: &str) -> Failure {
    Failure::Usage(format!(
        "`{reference}` was dropped{how} on {date}: {reason}; a dropped item takes no further drop, and no revision from that date (nothing was written)"
    ))
}

/// The line that says what was recorded, and the commit message.
pub(super) struct Said {
    /// "revised growth/o/kr on 2026-11-02: target 120".
    pub what: String,
    /// The commit message's first word: `revise` or `drop`.
    pub command: &'static str,
}

/// Writes `addition` into the goal file that defines `o` (on its key result `kr`), prints
/// `FILE:LINE: WHAT (REASON)`, and with `--commit` commits that file; a refusal prints the errors the
/// change would cause (exit 1).
pub(super) fn write(
    ctx: &Ctx,
    checked: &Checked,
    (o, kr): (&Objective, Option<&str>),
    addition: &Addition,
    said: Said,
    commit: bool,
) -> CmdResult {
    let Some(source) = checked.sources.files.get(o.span.file as usize) else {
        return Err(Failure::Io(format!(
            "cannot tell which file defines `{}`",
            o.reference()
        )));
    };
    let action = match said.command {
        "revise" => "record a revision",
        _ => "record a drop",
    };
    let file = GoalFile::open(&ctx.root, &source.path, action, commit)
        .map_err(|e| write_failure(e, ctx))?;
    let (text, line) = match file
        .record(&o.id, kr, addition)
        .map_err(|e| write_failure(e, ctx))?
    {
        Recorded::Written { text, line } => (text, line),
        Recorded::Refused(after) => {
            let n = super::print_errors(&after, ctx);
            eprintln!(
                "error: {} refused ({}); {} was not changed",
                said.command,
                plural(n, "error"),
                file.shown()
            );
            return Err(Failure::Reported(exit::FINDINGS));
        }
    };
    let reason = match addition {
        Addition::Revision { reason, .. } | Addition::Drop { reason, .. } => reason,
    };
    let report = format!(
        "{}:{line}: {} ({})\n",
        file.shown(),
        safe::human(&said.what),
        safe::human(reason)
    );
    let message = format!("{}: {}\n\n{reason}\n", said.command, said.what);
    match file.commit(&text, &message) {
        Ok(Some(id)) => out(&format!("{report}committed {id}\n"))?,
        Ok(None) => out(&report)?,
        Err(e) => {
            out(&report)?;
            return Err(write_failure(e, ctx));
        }
    }
    Ok(exit::OK)
}
