//! `goalpost explain CODE`: what each diagnostic means, why it matters and how to fix it,
//! with a short example. Every code in [`Code::ALL`] has an entry (a test checks). The
//! texts of practice lints live beside their checks, in [`crate::lint::REGISTRY`]; this
//! module holds those of the other codes and answers for all of them.
//!
//! Each text is: a one-line summary (shown by `goalpost explain` without a code), a blank
//! line, a paragraph, a blank line and an example indented by four spaces, so that it reads
//! as a block both in a terminal and in Markdown.

use crate::diag::{CheckCode, Code};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The explanation of `code`: its summary line, a blank line, then [`details`].
pub fn explain(code: Code) -> &'static str {
    match code.check() {
        Some(check) => check_text(check),
        // A lint code has a registry entry (`registry_agrees_with_codes` in `crate::lint`).
        None => LINT_TEXTS.get(&code).map_or("", String::as_str),
    }
}

/// The whole texts of the practice lints, put together once from their registry entries
/// (which keep the summary and the details apart).
static LINT_TEXTS: LazyLock<HashMap<Code, String>> = LazyLock::new(|| {
    crate::lint::REGISTRY
        .iter()
        .map(|l| (l.code, format!("{}\n\n{}", l.summary, l.explain)))
        .collect()
});

/// The one-line summary of `code`, without a final period.
pub fn summary(code: Code) -> &'static str {
    parts(code).0
}

/// What follows the summary: a paragraph, a blank line and an example.
pub fn details(code: Code) -> &'static str {
    parts(code).1
}

fn parts(code: Code) -> (&'static str, &'static str) {
    let Some(check) = code.check() else {
        return crate::lint::entry(code).map_or(("", ""), |lint| (lint.summary, lint.explain));
    };
    let text = check_text(check);
    text.split_once("\n\n").unwrap_or((text, ""))
}

/// The text of a code that is not a practice lint: its summary, a blank line, its details.
fn check_text(code: CheckCode) -> &'static str {
    match code {
        // -- reading files ------------------------------------------------------------------
        CheckCode::YamlSyntax => {
            r#"The file is not valid YAML, so nothing in it can be read

The YAML parser gave up at the place shown; the real slip is often a line or two before.
Typical causes: a quote or bracket left open, a tab used for indentation (YAML indents
with spaces only), a plain value that contains `: ` and needs quotes, or a second document
after a `---` line (a goal file holds exactly one). Nothing else in the file is checked
until it parses (and references to its items from other files are not reported as
unknown meanwhile), so fix this first. An editor with YAML support, fed the schema
modeline that `goalpost init` writes, points these out while you type.

Instead of:

    objectives:
      - id: onboarding
        title: Onboarding: users need no support

write:

    objectives:
      - id: onboarding
        title: "Onboarding: users need no support""#
        }
        CheckCode::ResourceLimit => {
            r#"Input exceeds a safety limit (file size, file count, nesting or aliases)

goalpost is meant to validate untrusted pull requests, so its input is bounded: a goal
file may be at most 16 MiB, a run reads at most 100,000 goal files and 1 GiB in all, YAML
may nest at most 32 levels deep, and anchors and aliases may only expand to a bounded
amount of data. Real goal files are small and flat, so reaching a limit points to a
generated or hostile file, or to `roots` covering far more of the repository than the
goals. Split a huge check-in log (per team or per year), remove deep nesting and alias
chains, or narrow `roots` in goalpost.toml.

Instead of (goalpost.toml):

    roots = ["."]

write:

    roots = ["goals"]"#
        }
        CheckCode::InvalidEncoding => {
            r#"The file is not UTF-8 text (UTF-16, Latin-1, NUL bytes)

Goal files must be UTF-8. The diagnostic points at the first byte that is not: a file
saved as UTF-16 (some Windows editors and PowerShell redirection do this), a legacy 8-bit
encoding such as Latin-1 where `é` is a single byte, or a NUL byte, which usually means a
binary file landed under a goals root. A UTF-8 byte-order mark is accepted. Re-save the
file as UTF-8 from your editor, or convert it on the command line.

Find the encoding and convert the file:

    $ file goals/growth/kpis.yaml
    goals/growth/kpis.yaml: Unicode text, UTF-16, little-endian text
    $ iconv -f UTF-16 -t UTF-8 goals/growth/kpis.yaml > kpis.tmp
    $ mv kpis.tmp goals/growth/kpis.yaml"#
        }
        CheckCode::EmptyFile => {
            r#"The goal file is empty, holds only comments, or defines nothing

Every `*.yaml` and `*.yml` file under a goals root is read as a goal file, so an empty one
is nearly always a mistake: a file created and never filled in, content lost in a merge,
or a top-level mapping with no key goalpost knows. It is an error rather than skipped so
that lost content cannot pass unnoticed. Give the file content (`team:` with `objectives:`
or `kpis:`, or a `checkins:` log), delete it, or move YAML that is not about goals out of
the goals root.

Instead of (goals/growth/kpis.yaml):

    # TODO: add our KPIs

write:

    team: growth
    kpis:
      - id: churn
        title: Monthly customer churn
        better: lower
        target: 5"#
        }
        CheckCode::SymlinkEscape => {
            r#"A symlink is not followed: it leaves the repository, is hidden, loops or dangles

goalpost only reads files of the repository, so validating a pull request can never read
something else on the machine (a credentials file, `/proc/self/environ`) or a hidden file
an earlier CI step wrote (`.env`, `.git/config`). Every path it reads or writes is resolved
one component at a time; a link on the way is followed only when its target stays inside
and is not hidden. A link that leaves, leads to a hidden file, points at nothing or loops
(after 40 links) is refused, and its target is not read. Links inside are fine; each linked
directory is walked once; a git revision follows the same rules. Copy the file into the
repository (or vendor it as a submodule or subtree), or remove the link.

Instead of a link:

    $ ls -l goals/
    shared.yaml -> ../../company-okrs/goals/shared.yaml

keep a copy:

    $ rm goals/shared.yaml
    $ cp ../company-okrs/goals/shared.yaml goals/shared.yaml"#
        }
        CheckCode::NoGoalFiles => {
            r#"No goal file under the configured roots

goalpost reads every `*.yaml` and `*.yml` file below its roots (`goals/` unless
`roots` in goalpost.toml says otherwise), relative to the project root: the nearest
directory holding goalpost.toml, else the git work tree's root. Finding none is an error,
not an empty success, so that a pre-commit hook or CI step run from the wrong directory,
or a typo in `roots`, fails instead of passing silently. Run goalpost inside the
repository that holds the goals (or point at it with `-C DIR`), fix `roots`, or create a
first goal file with `goalpost init`.

Instead of (the goals live in okrs/):

    roots = ["goals"]

write:

    roots = ["okrs"]"#
        }
        // -- shape of the YAML ----------------------------------------------------------------
        CheckCode::DuplicateKey => {
            r#"A mapping has the same key twice

YAML tools disagree about duplicate keys: some keep the first, some the last, some reject
the file. goalpost does not guess; it reports both places. The usual causes are a key
added to an item that already had it, and two list items merged into one because the
second lost its leading `- `. Keep one of the keys, or start the second item with `- `.

Instead of:

    kpis:
      - id: churn
        title: Monthly customer churn
        id: nps
        title: Net promoter score

write:

    kpis:
      - id: churn
        title: Monthly customer churn
      - id: nps
        title: Net promoter score"#
        }
        CheckCode::UnknownKey => {
            r#"A key goalpost does not know, often a typo

Every key in a goal file means something, and a misspelt one would otherwise vanish
without a trace: `titel:` leaves the item without a title and `tagret:` leaves a key
result with no target. So unknown keys are errors, with the nearest known key suggested.
Each level has its own keys (key results take id, title, kind, start, target, unit,
weight, kpi and checkins; `goalpost schema` lists them all). For remarks, use a YAML
comment (`#`) or the `note:` of a check-in.

Instead of:

    key_results:
      - id: completion
        titel: Raise onboarding completion from 60% to 80%
        strat: 60
        target: 80

write:

    key_results:
      - id: completion
        title: Raise onboarding completion from 60% to 80%
        start: 60
        target: 80"#
        }
        CheckCode::InvalidType => {
            r#"A value has the wrong type, such as a string where a number belongs

Each key takes one kind of value: numbers for start, target, weight, value, critical and
confidence; `true` or `false` for done; lists for objectives, key_results, kpis,
guardrails and checkins; a mapping per item; and a fixed word for kind, commitment, better
and cadence. Frequent slips are units inside numbers (`"60%"`, `"1,200"`), quoted numbers,
YAML 1.1 words such as `yes` or `on` for booleans (only `true` and `false` count here) and
an invented word such as `better: up`. Write the bare number, put the unit in `unit:`, and
follow the hint, which shows the corrected value.

Instead of:

    kpis:
      - id: conversion
        better: up
        target: "3.5%"

write:

    kpis:
      - id: conversion
        better: higher
        target: 3.5
        unit: "%""#
        }
        CheckCode::MissingValue => {
            r#"A key is written with nothing after it

A key followed by nothing is null in YAML. goalpost does not read it as an empty list or
as zero, because it is nearly always an unfinished edit, or an indentation slip that left
the content under the wrong key. Give the key its value, indent the content beneath it,
or delete the line. For a list that is deliberately empty, write `[]`.

Instead of:

    kpis:
      - id: churn
        title: Monthly customer churn
        better: lower
        target:

write:

    kpis:
      - id: churn
        title: Monthly customer churn
        better: lower
        target: 5"#
        }
        CheckCode::MissingField => {
            r#"A required key is absent

Some keys carry the meaning of an item and have no sensible default. Every objective, key
result and KPI needs `id` and `title`; a file with objectives or KPIs needs `team:`, and
one with objectives needs `period:`; a metric key result needs `start` and `target`; a KPI
needs `better` and `target`; every check-in needs a `date`, and one in a top-level
`checkins:` log also a `ref`. Key results are metrics unless they say `kind: milestone`,
so a milestone written without that line is reported as missing its start and target.

Instead of:

    team: growth
    objectives:
      - id: onboarding
        title: Make onboarding effortless

write:

    team: growth
    period: 2026-Q4
    objectives:
      - id: onboarding
        title: Make onboarding effortless"#
        }
        CheckCode::NonFiniteNumber => {
            r#"A number is NaN, infinite, or too large to represent

YAML can spell special floating-point values (`.nan`, `.inf`, `-.inf`), and a literal
such as `1e400` overflows to infinity. None of them can be scored: progress, status and
trend would come out as NaN or nonsense. Every number in a goal file must be an ordinary
finite number. If a measurement is missing, leave the check-in out instead of writing
`.nan`; if a value is truly enormous, measure it in a larger unit.

Instead of:

    checkins:
      - { ref: growth/churn, date: 2026-10-31, value: .nan }

write:

    checkins:
      - { ref: growth/churn, date: 2026-10-31, value: 6.1 }"#
        }
        // -- values -----------------------------------------------------------------------------
        CheckCode::InvalidSlug => {
            r#"An id or team name is not a slug (lowercase letters, digits, - and _)

Team names and ids become parts of references such as `growth/onboarding/completion`, of
command-line arguments and of report anchors, so they must be slugs: 1 to 63 lowercase
ASCII letters, digits, `-` and `_`, starting with a letter or a digit. Capitals, spaces,
dots, slashes and accented letters are not allowed. Keep the readable name in `title:` and
pick a short, stable id (the hint suggests one): renaming it later breaks every reference.

Instead of:

    team: Growth Team
    kpis:
      - id: D7 Retention
        title: Day-7 retention of new sign-ups

write:

    team: growth-team
    kpis:
      - id: d7-retention
        title: Day-7 retention of new sign-ups"#
        }
        CheckCode::InvalidRef => {
            r#"A reference is not of the form team/id or team/objective/kr

A reference names an item by its team and ids joined with `/`: an objective or a KPI is
`team/id`, a key result `team/objective/kr`, and every part is a slug. The place decides
the kind: `parent` names an objective, `guardrails` and a key result's `kpi` name KPIs,
and a check-in's `ref` names a KPI or a key result. Periods are never part of a reference;
an objective is looked up in the period of whatever refers to it. A well-formed reference
to something that does not exist is reported as `unknown-ref` instead.

Instead of:

    objectives:
      - id: onboarding
        parent: Company/Activation
        guardrails: [churn]

write:

    objectives:
      - id: onboarding
        parent: company/activation
        guardrails: [growth/churn]"#
        }
        CheckCode::InvalidDate => {
            r#"A date is not a real YYYY-MM-DD calendar date

Check-in dates are written `YYYY-MM-DD` with a zero-padded month and day, and must name a
day that exists: `2026-09-31`, `2026-13-01`, `31/10/2026`, `2026-10-5` and values with a
time of day are rejected. Every score is computed from dates (the latest check-in on or
before the as-of day, whether it falls inside the period), so goalpost will not guess what
an odd or impossible date was meant to be. Write the full ISO date.

Instead of:

    checkins:
      - { ref: growth/churn, date: 31/10/2026, value: 6.1 }
      - { ref: growth/churn, date: 2026-09-31, value: 4.8 }

write:

    checkins:
      - { ref: growth/churn, date: 2026-10-31, value: 6.1 }
      - { ref: growth/churn, date: 2026-09-30, value: 4.8 }"#
        }
        CheckCode::InvalidPeriod => {
            r#"A period is malformed or names no period defined in goalpost.toml

The `period:` of a file says which days its objectives cover. The built-in forms are
`2026-Q4` (quarters from Jan 1, Apr 1, Jul 1 and Oct 1), `2026-H2` (halves), `2026` (a
year) and `2026-11` (a month), written exactly so (`2026-q4` and `Q4 2026` are not
periods). Any other name, such as a fiscal quarter that does not follow the calendar, must
be defined under `[periods.NAME]` in goalpost.toml with a start and an end date.

Instead of:

    period: FY27 Q1

write, in goalpost.toml:

    [periods.fy27-q1]
    start = 2026-10-01
    end = 2026-12-31

and in the goal file:

    period: fy27-q1"#
        }
        CheckCode::OutOfRange => {
            r#"A confidence is outside 0 to 1, or a weight is not greater than 0

A check-in's `confidence` is the stated probability that the key result reaches its
target (progress 1; a milestone: done) by the end of its period, so it is a fraction
between 0 and 1: 0.7 means seven in ten. It feeds the status (below 0.7 an on-track key
result becomes at risk, below 0.4 off track) and `review`'s calibration (each confidence
counts for the days it stood), so a percentage such as 60 would be meaningless. A key
result's `weight` says how much it counts in the objective's score relative to the others
(default 1) and must be above 0; to make a key result not count, remove it.

Instead of:

    - id: support-tickets
      weight: 0
      checkins:
        - { date: 2026-10-19, value: 210, confidence: 60 }

write:

    - id: support-tickets
      weight: 1
      checkins:
        - { date: 2026-10-19, value: 210, confidence: 0.6 }"#
        }
        CheckCode::StartEqualsTarget => {
            r#"A metric key result whose start equals its target describes no change

A key result measures a change: from where a metric stands when the period begins to
where the team means to take it. With start equal to target there is nothing to move,
progress cannot be computed, and the goal is really to hold a value steady. Holding steady
is what KPIs are for: a health metric with a target and a critical threshold, watched
across periods. Set the target the team wants to reach, or move the metric to `kpis:` and
name it in the objective's `guardrails:` if it must not slip meanwhile.

Instead of:

    key_results:
      - id: uptime
        title: Maintain 99.9% uptime
        start: 99.9
        target: 99.9

write:

    kpis:
      - id: uptime
        title: Monthly API uptime
        better: higher
        target: 99.9
        critical: 99.5"#
        }
        CheckCode::CriticalWrongSide => {
            r#"A KPI's critical threshold is not strictly on the bad side of its target

A KPI is healthy on the good side of `target`, critical at or beyond `critical`, and in
warning between the two. So `critical` must lie further towards the bad side than the
target: greater for `better: lower`, smaller for `better: higher`, and never equal to it.
Otherwise one value could be healthy and critical at once. Usually the two numbers are
swapped, or `better` points the wrong way.

Instead of:

    kpis:
      - id: churn
        better: lower
        target: 5
        critical: 3

write:

    kpis:
      - id: churn
        better: lower
        target: 5
        critical: 7"#
        }
        CheckCode::MilestoneWithMetric => {
            r#"A milestone key result has start, target, unit or kpi

A milestone (`kind: milestone`) is either done or not: its progress is 1 from the first
check-in that says `done: true`, 0 before. It has no number to move, so `start`, `target`,
`unit` and `kpi` mean nothing on it and would be silently ignored. If the result can be
measured, drop `kind: milestone` and keep the numbers: a metric usually makes the better
key result. Otherwise remove the metric lines.

Instead of:

    - id: guide
      title: Setup guide used by half of new sign-ups
      kind: milestone
      target: 50
      unit: "%"

write:

    - id: guide
      title: Setup guide used by half of new sign-ups
      start: 0
      target: 50
      unit: "%""#
        }
        CheckCode::DueOnMetric => {
            r#"A metric key result has a `due` date

`due` says when a milestone is expected to be done: before that date its expected progress
is 0, from it on 1, so a milestone planned for week ten is not called off track in week
four. A metric key result has no such date: it is expected to move along a straight line
from `start` to `target` over the whole period, and a `due` on it would be silently
ignored. Remove the line, or, if the result really is one thing delivered by a date, make
it a milestone.

Instead of:

    - id: signups
      title: Sign-ups from 40 to 60 a week
      start: 40
      target: 60
      due: 2026-11-15

write:

    - id: guide
      title: Interactive setup guide live for all new sign-ups
      kind: milestone
      due: 2026-11-15"#
        }
        CheckCode::DueOutsidePeriod => {
            r#"A milestone's `due` date lies outside its period

A milestone is expected to be done by its `due` date, and its period is the time it has:
a date before the period starts would call it late from the first day, and one after the
period ends could never be judged, since the quarter is graded at its end. Put the date
inside the objective's period; if the work really belongs to a later period, plan the
milestone there (`goalpost rollover` does not carry `due`).

Instead of:

    period: 2026-Q4
    ...
      - id: guide
        kind: milestone
        due: 2027-01-15

write:

    period: 2026-Q4
    ...
      - id: guide
        kind: milestone
        due: 2026-12-15"#
        }
        // -- references and identity -------------------------------------------------------------
        CheckCode::DuplicateId => {
            r#"Two items share an id where ids must be unique

References are built from ids, so each must pick out exactly one item: KPI ids are unique
within a team, objective ids within a team and period, key result ids within their
objective. Objectives and KPIs of one team also share a namespace, since both are referred
to as `team/id`. Files do not separate ids: the same KPI written again in next quarter's
file is a duplicate, because KPIs are defined once and live across periods. The
diagnostic names both definitions: rename one, or delete the copy.

Instead of (a KPI `growth/churn` exists in goals/growth/kpis.yaml):

    team: growth
    period: 2026-Q4
    objectives:
      - id: churn
        title: Win back customers we are losing

write:

    team: growth
    period: 2026-Q4
    objectives:
      - id: win-back
        title: Win back customers we are losing"#
        }
        CheckCode::UnknownRef => {
            r#"A reference names an objective, key result or KPI that is not defined

The reference is well formed but nothing by that name exists: usually a typo (the hint
offers the nearest name), an item renamed or deleted, or the wrong kind of item, such as a
guardrail that names an objective instead of a KPI. A `parent` must be an objective of the
same period. A key result ref in a check-in log is looked up in the objective whose period
contains the check-in's date; if objectives of that id in several periods match, that is
reported here too. Fix the spelling or define the missing item.

Instead of:

    key_results:
      - id: retention-d7
        start: 38
        target: 50
        kpi: growth/d7-retentoin

write:

    key_results:
      - id: retention-d7
        start: 38
        target: 50
        kpi: growth/d7-retention"#
        }
        CheckCode::ParentCycle => {
            r#"Objectives' parent links form a cycle

`parent` aligns an objective with the larger objective it serves, so following parents
should climb to a company-level objective and stop there. When the links lead back to
where they started (A under B and B under A, or a longer loop), there is no top:
alignment views and rollups cannot end. The diagnostic lists the loop. Remove the `parent`
line of the objective that is really the higher-level one.

Instead of:

    # goals/company.yaml
    - id: activation
      parent: growth/onboarding
    # goals/growth/2026-Q4.yaml
    - id: onboarding
      parent: company/activation

write:

    # goals/company.yaml
    - id: activation
    # goals/growth/2026-Q4.yaml
    - id: onboarding
      parent: company/activation"#
        }
        // -- check-ins -------------------------------------------------------------------------
        CheckCode::InvalidCheckin => {
            r#"A check-in's fields do not fit its item (value vs done, stray ref)

What a check-in carries depends on its item: a metric key result or a KPI is observed as
a number (`value:`), a milestone as `done: true` or `done: false`. A value on a milestone
or `done` on a metric cannot be scored, and a check-in with neither records nothing.
Check-ins written inside their item's own `checkins:` already know what they belong to
and take no `ref:`; `ref:` is only for the top-level `checkins:` log.

Instead of:

    - id: guide
      kind: milestone
      checkins:
        - { ref: growth/onboarding/guide, date: 2026-11-02, value: 1 }

write:

    - id: guide
      kind: milestone
      checkins:
        - { date: 2026-11-02, done: true }"#
        }
        CheckCode::LinkedKrCheckin => {
            r#"A key result that takes its values from a KPI has check-ins of its own

A key result with `kpi: team/kpi` reads its current value from that KPI's check-ins, so
the KPI's history is the single record and the same number is never typed twice (where
the copies could drift apart). Check-ins on the key result itself, inline or in a log,
would compete with the KPI's and are rejected. Record the value as a check-in of the KPI;
or, if the key result should be measured on its own, remove its `kpi:` line.

Instead of:

    - id: retention-d7
      start: 38
      target: 50
      kpi: growth/d7-retention
      checkins:
        - { date: 2026-10-15, value: 41 }

write (in the log, or under the KPI):

    checkins:
      - { ref: growth/d7-retention, date: 2026-10-15, value: 41 }"#
        }
        CheckCode::CheckinOutsidePeriod => {
            r#"A key-result check-in is dated outside its objective's period

A key result belongs to one objective in one period, and its score says how far it got
within that period; a check-in dated before the period starts or after it ends does not
measure it. A key result ref in a log is resolved to the objective whose period contains
the date, so here no objective of that id covers the date. It is usually a wrong year or
month. Fix the date; a number that matters across periods belongs on a KPI, whose
check-ins may have any date.

Instead of (growth/onboarding is an objective of 2026-Q4):

    checkins:
      - { ref: growth/onboarding/completion, date: 2025-10-12, value: 64 }

write:

    checkins:
      - { ref: growth/onboarding/completion, date: 2026-10-12, value: 64 }"#
        }
        CheckCode::DuplicateCheckin => {
            r#"The same check-in is written twice; it counts once

One item has two check-ins on one date that agree in everything (value or done,
confidence, note and author). This mostly comes from two branches appending the same line
to a check-in log, which the union merge set up in .gitattributes keeps twice. Because
the copies agree, scores are unaffected and the check-in counts once; the warning only
asks you to tidy the log. Delete one copy.

Instead of:

    checkins:
      - { ref: growth/churn, date: 2026-10-31, value: 6.1 }
      - { ref: growth/churn, date: 2026-10-31, value: 6.1 }

write:

    checkins:
      - { ref: growth/churn, date: 2026-10-31, value: 6.1 }"#
        }
        CheckCode::ConflictingCheckin => {
            r#"One item has two different check-ins on the same date

Scores use the latest check-in on or before a date, and two different check-ins on one
day leave no single latest: which one counted would depend on the order files are read.
goalpost refuses to guess. A different note, confidence or author is enough to make them
differ. It happens when two people record the same day, or when a merge joins two logs.
Check-ins are an append-only history, so settle them with a correction (`goalpost checkin
REF VALUE --date DATE --correct REASON`): it replaces every check-in of that item and
date, and the originals stay as history. Before they are merged, keep only the right one.

Instead of:

    checkins:
      - { ref: growth/churn, date: 2026-10-31, value: 6.1 }
      - { ref: growth/churn, date: 2026-10-31, value: 6.3, by: carol }

add:

      - { ref: growth/churn, date: 2026-10-31, value: 6.3, correction: billing export }"#
        }
        CheckCode::OrphanCorrection => {
            r#"A correction names a date on which its item has no check-in to correct

A check-in with `correction: <reason>` replaces the check-in of the same item and date
for every computation, while the original stays in the file as history. With no original
there is nothing to replace, so it is almost always a wrong date (or the wrong ref): the
correction was meant for a nearby check-in, and as written the wrong figure still counts.
The help names the nearest dates that have check-ins. Fix the date; if the value is new
rather than a fix, drop `correction:` to make it a plain check-in.

Instead of (the original is dated 2026-10-26):

    - { ref: growth/onboarding/completion, date: 2026-10-25, value: 65,
        correction: dashboard counted reopened sign-ups twice }

write:

    - { ref: growth/onboarding/completion, date: 2026-10-26, value: 65,
        correction: dashboard counted reopened sign-ups twice }"#
        }
        CheckCode::FutureCheckin => {
            r#"A check-in is dated after today

A check-in records a value someone has already observed, so its date is today or in the
past. A later date is almost always a typo: the wrong month or year, or a date copied from
a plan. Scores ignore a check-in until its date comes (so today's report looks fine), and
then it silently takes over, which is why it is flagged now. "Today" is the local date of
the machine, or `GOALPOST_TODAY` when set; `--as-of` does not change it. Fix the date; to
note a plan, write it in a check-in's `note:`.

Instead of (on 2026-11-30):

    - { ref: growth/churn, date: 2026-12-15, value: 6.4 }

write:

    - { ref: growth/churn, date: 2026-11-15, value: 6.4 }"#
        }
        // -- configuration -----------------------------------------------------------------------
        CheckCode::InvalidConfig => {
            r#"goalpost.toml is malformed or has unknown keys or values

goalpost.toml decides where goals live, status thresholds, lint levels and custom
periods, so a slip there changes every result and it is checked strictly: unknown keys
are errors; `roots` and `checkin_log` must stay inside the repository; `stale_days` is at
least 1; the `[status]` gaps lie in 0 to 1 with `at_risk_gap` no larger than
`off_track_gap`; `[lints]` names only practice lints, set to "error", "warning" or "off";
each `[periods.NAME]` has plain start and end dates in order and a name that is not a
built-in period. It is a usage error (exit 2): nothing is checked until it is fixed.

Instead of:

    root = ["goals"]
    [lints]
    unknown-ref = "off"
    kr-count = "no"

write:

    roots = ["goals"]
    [lints]
    kr-count = "off""#
        }
        // -- history (check --base) --------------------------------------------------------------
        CheckCode::HistoryRewritten => {
            r#"A check-in that existed at the base revision was changed or deleted

Check-ins are an append-only history: every past score and status is computed from them,
so editing or deleting an old one silently rewrites what the team reported, and a report
for a past date would no longer match what people saw then. `check --base REV` compares
with the merge base of REV and HEAD (in CI, the target branch) and rejects any check-in that
was there and is now different or gone. A check-in is compared by what it says (ref, date,
value or done, confidence, note, by, correction), never by where it is written, so lines
moved by an edit elsewhere are not a rewrite. If an old value was wrong, leave it and append
a correction for its date (`goalpost checkin REF VALUE --date DATE --correct REASON`): every
figure uses the correction, the original stays as history, and `check --base` accepts it.

Instead of editing the old line:

    -  - { ref: growth/churn, date: 2026-10-31, value: 6.1 }
    +  - { ref: growth/churn, date: 2026-10-31, value: 5.1 }

append a correction:

       - { ref: growth/churn, date: 2026-10-31, value: 6.1 }
    +  - { ref: growth/churn, date: 2026-10-31, value: 5.1, correction: paused accounts }"#
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_well_formed_entry() {
        for &code in Code::ALL {
            let text = explain(code);
            let lines: Vec<&str> = text.lines().collect();
            let name = code.name();
            assert!(lines.len() >= 5, "{name}: too short");
            assert!(lines.len() <= 27, "{name}: {} lines", lines.len());
            let summary = lines[0];
            assert!(
                !summary.is_empty() && summary.chars().count() <= 80,
                "{name}: summary must be one line of at most 80 characters"
            );
            assert!(
                !summary.ends_with('.'),
                "{name}: summary ends with a period"
            );
            assert_eq!(
                summary,
                super::summary(code),
                "{name}: the summary is one line"
            );
            assert_eq!(lines[1], "", "{name}: blank line after the summary");
            assert_ne!(lines[2], "", "{name}: one blank line after the summary");
            assert!(
                lines.iter().any(|l| l.starts_with("    ")),
                "{name}: an example indented by four spaces"
            );
            assert!(
                lines.iter().all(|l| l.chars().count() <= 92),
                "{name}: a line is too long for a terminal"
            );
            assert_eq!(text, text.trim(), "{name}: no surrounding blank space");
        }
    }

    #[test]
    fn summaries_are_distinct() {
        let mut seen = std::collections::HashSet::new();
        for &code in Code::ALL {
            assert!(
                seen.insert(summary(code)),
                "{}: repeated summary",
                code.name()
            );
        }
    }
}
