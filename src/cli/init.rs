//! `goalpost init [DIR]`: scaffold a goals repository. Never overwrites a file, and never
//! writes through a link that leaves DIR: every path is resolved first (the same resolver as
//! for reading, hidden paths allowed), and nothing is written unless all of them are free.

mod workflow;

use super::{CmdResult, Ctx, Failure, exit};
use crate::load::resolve::{Hidden, Node, Resolved};
use crate::load::source::WorkTree;
use clap::Args;
use std::path::PathBuf;

/// Scaffold goalpost.toml, an example goal file, the schemas, .gitattributes and a CI workflow.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to scaffold (default: the current directory); created when missing.
    // Its own id: `dir` is the global `-C DIR`, and clap would give this value to it.
    #[arg(id = "init_dir", value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// goalpost.toml; its first line is the schema directive for Taplo / Even Better TOML.
const CONFIG: &str = r#"#:schema ./schema/goalpost.toml.schema.json
# goalpost configuration. Every key is optional; the values below are the defaults.

# Folders (relative to this file) whose *.yaml / *.yml files are goal files.
roots = ["goals"]

# Where `goalpost checkin` appends check-ins.
checkin_log = "goals/checkins.yaml"

# A key result with no check-in for this many days is stale.
stale_days = 14

[status]
# A key result is at risk when it trails the expected pace by more than at_risk_gap,
# off track when it trails by more than off_track_gap (fractions of the whole change).
at_risk_gap = 0.10
off_track_gap = 0.25

[lints]
# Practice lints are warnings by default; set any to "error", "warning" or "off".
# `goalpost explain` lists them all.
# too-many-kpis = "warning"

# Named periods beyond 2026-Q4, 2026-H2, 2026 and 2026-11:
# [periods.fy27-q1]
# start = 2026-10-01
# end = 2026-12-31
"#;

const GITATTRIBUTES_LINE: &str = "goals/**/checkins*.yaml merge=union";

const EXAMPLE: &str = "goals/example.yaml";

/// The example goal file for the quarter holding `today`, its check-ins dated three days
/// before (not before the quarter starts), so that it is valid and raises no warning (not
/// stale) on whatever day `init` runs, and a first `goalpost checkin` today does not meet
/// one of them on its date.
fn example(today: crate::date::Date) -> String {
    let (y, q) = (today.year(), (today.month() - 1) / 3 + 1);
    let start = crate::date::Date::from_ymd(y, 3 * q - 2, 1).unwrap_or(today);
    let dated = today.add_days(-3).max(start);
    format!(
        r#"{}
# An example goal file: edit it, then run `goalpost check` and `goalpost status`.
team: example
period: {y}-Q{q}
objectives:
  - id: onboarding
    title: New users succeed on their own in the first week
    owner: alice
    key_results:
      - id: support-tickets
        title: Cut weekly support tickets from new users from 250 to 150
        start: 250
        target: 150
        unit: tickets/week
        checkins:
          - {{ date: {}, value: 240, confidence: 0.8 }}
      - id: completion
        title: Raise onboarding completion from 60% to 80%
        start: 60
        target: 80
        unit: "%"
        checkins:
          - {{ date: {}, value: 63 }}
kpis:
  - id: churn
    title: Monthly customer churn
    unit: "%"
    better: lower
    target: 5
    critical: 7
    cadence: monthly
    checkins:
      - {{ date: {}, value: 4.8 }}
"#,
        crate::schema::modeline(EXAMPLE),
        dated,
        dated,
        dated
    )
}

pub(super) fn run(args: InitArgs, ctx: &Ctx) -> CmdResult {
    let dir = match args.dir {
        Some(d) if d.is_absolute() => d,
        Some(d) => ctx.cwd.join(d),
        None => ctx.cwd.clone(),
    };
    use crate::schema::{CONFIG_SCHEMA, GOAL_FILE_SCHEMA};
    let workflow = workflow::workflow();
    let weekly = workflow::weekly();
    let files: Vec<(&str, String)> = vec![
        ("goalpost.toml", CONFIG.to_owned()),
        (EXAMPLE, example(ctx.as_of)),
        (GOAL_FILE_SCHEMA, crate::schema::json()),
        (CONFIG_SCHEMA, crate::schema::config_json()),
        (workflow::PATH, workflow.text),
        (workflow::WEEKLY_PATH, weekly.text),
    ];
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::Io(format!("cannot create {}: {e}", dir.display())))?;
    let tree = WorkTree::new(&dir)
        .map_err(|e| Failure::Io(format!("cannot open {}: {e}", dir.display())))?;
    let io = |e: std::io::Error, p: &str| Failure::Io(format!("cannot write {p}: {e}"));
    let resolve = |path: &str| -> Result<Resolved, Failure> {
        match tree.resolve(path, Hidden::Allow) {
            Ok(Resolved::Refused(r)) => Err(super::refused_link(&r, ctx.color_err)),
            Ok(Resolved::Missing { real: None }) => Err(Failure::Usage(format!(
                "cannot create {path} in {}: a file is in the way of its directory (nothing was written)",
                dir.display()
            ))),
            Ok(r) => Ok(r),
            Err(e) => Err(io(e, path)),
        }
    };
    // Where each file goes, before anything is written. A dangling symlink is a file that
    // exists, too (the resolver reports it as found or refused, never missing).
    let mut plan = Vec::new();
    let mut existing = Vec::new();
    for (path, text) in &files {
        match resolve(path)? {
            Resolved::Missing { real: Some(real) } => plan.push((*path, real, text)),
            _ => existing.push(*path),
        }
    }
    let attrs = match resolve(".gitattributes")? {
        Resolved::Found {
            real,
            node: Node::File,
        }
        | Resolved::Missing { real: Some(real) } => real,
        _ => {
            return Err(Failure::Usage(
                ".gitattributes is not a file; nothing was written".to_owned(),
            ));
        }
    };
    if !existing.is_empty() {
        let (names, verb) = match existing.as_slice() {
            [one] => (format!("`{one}`"), "exists"),
            [init @ .., last] => (
                format!(
                    "{} and `{last}`",
                    init.iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "exist",
            ),
            [] => unreachable!("`existing` is not empty"),
        };
        return Err(Failure::Usage(format!(
            "{names} already {verb} in {}; goalpost init never overwrites a file, so nothing was written",
            dir.display()
        )));
    }
    let mut written: Vec<&str> = Vec::new();
    for (path, real, text) in plan {
        let full = tree.absolute(&real);
        let result = match full.parent() {
            Some(parent) => std::fs::create_dir_all(parent),
            None => Ok(()),
        }
        .and_then(|()| crate::fsutil::write_new(&full, text.as_bytes()));
        if let Err(e) = result {
            let what = if e.kind() == std::io::ErrorKind::AlreadyExists {
                "it appeared while init was writing".to_owned()
            } else {
                e.to_string()
            };
            let done = if written.is_empty() {
                "nothing was written".to_owned()
            } else {
                format!("already written: {}", written.join(", "))
            };
            return Err(Failure::Io(format!("cannot write {path} ({what}); {done}")));
        }
        written.push(path);
        eprintln!("created {path}");
    }
    // .gitattributes is commonly present already: add our line to it rather than refuse.
    let attrs = tree.absolute(&attrs);
    let current = std::fs::read_to_string(&attrs).unwrap_or_default();
    if !current.lines().any(|l| l.trim() == GITATTRIBUTES_LINE) {
        let mut text = current.clone();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(
            "# goalpost: check-in logs are append-only, so a union merge never conflicts\n",
        );
        text.push_str(GITATTRIBUTES_LINE);
        text.push('\n');
        crate::fsutil::write_atomic(&attrs, text.as_bytes())
            .map_err(|e| io(e, ".gitattributes"))?;
        eprintln!(
            "{} .gitattributes",
            if current.is_empty() {
                "created"
            } else {
                "updated"
            }
        );
    }
    for todo in [&workflow.todo, &weekly.todo].into_iter().flatten() {
        eprintln!("note: {todo}");
    }
    eprintln!("next: edit goals/example.yaml, then run `goalpost check` and `goalpost status`");
    Ok(exit::OK)
}
