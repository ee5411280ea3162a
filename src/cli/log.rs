//! `goalpost log REF`: the commits that changed one objective, key result or KPI, newest
//! first, with author, date and what changed. The item is resolved in the current goals;
//! its history is searched in the files that hold it now (`crate::history`).

use super::{CmdResult, Ctx, Failure, exit, load_valid, out};
use crate::history::item::ItemKey;
use crate::history::{self, Change, HistoryError, Item, Repo};
use crate::select::{Target, resolve};
use clap::{Args, ValueEnum};

/// Show the commits that changed one objective, key result or KPI: who, when and what.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// `team/objective`, `team/objective/kr` or `team/kpi`.
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Only this period, when the objective id exists in several.
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub format: LogFormat,
    /// List at most N commits.
    #[arg(short = 'n', long, value_name = "N")]
    pub max_count: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

pub fn run(args: LogArgs, ctx: &Ctx) -> CmdResult {
    let checked = load_valid(ctx)?;
    let goals = &checked.goals;
    let target = resolve(goals, &args.reference, args.period.as_deref(), ctx.as_of)?;
    let item = item_of(&checked, target);
    let fail = |e: HistoryError| match e {
        HistoryError::Revision(e) => Failure::from(e),
        _ => Failure::Io(e.to_string()),
    };
    let repo = Repo::discover(&ctx.root)?;
    let changes = history::log(&repo, ctx.at.as_deref(), &item, args.max_count).map_err(fail)?;
    match args.format {
        LogFormat::Json => {
            let mut s = serde_json::to_string_pretty(&changes)
                .map_err(|e| Failure::Io(format!("cannot write JSON: {e}")))?;
            s.push('\n');
            out(&s)?;
        }
        LogFormat::Text => {
            if changes.is_empty() {
                eprintln!(
                    "note: no commit changed `{}` (is it committed yet?)",
                    crate::text::safe::human(&item.key.reference())
                );
            }
            out(&text(&changes, ctx.color_out))?;
        }
    }
    Ok(exit::OK)
}

/// What the history walk needs to know about a resolved item: its key and its files.
fn item_of(checked: &super::Checked, target: Target) -> Item {
    let goals = &checked.goals;
    let sources = &checked.sources;
    let (key, span, checkins) = match target {
        Target::Objective(i) => {
            let o = goals.objective(i);
            let key = ItemKey::Objective {
                team: o.team.clone(),
                period: o.period.name.clone(),
                id: o.id.clone(),
            };
            (key, o.span, &[][..])
        }
        Target::KeyResult(id) => {
            let (o, kr) = goals.kr(id);
            let key = ItemKey::KeyResult {
                team: o.team.clone(),
                period: o.period.name.clone(),
                objective: o.id.clone(),
                id: kr.id.clone(),
                start: o.period.start,
                end: o.period.end,
            };
            (key, o.span, &kr.checkins[..])
        }
        Target::Kpi(k) => {
            let kp = goals.kpi(k);
            let key = ItemKey::Kpi {
                team: kp.team.clone(),
                id: kp.id.clone(),
            };
            (key, kp.span, &kp.checkins[..])
        }
    };
    let definition = sources.path(span.file).to_owned();
    let mut logs: Vec<String> = Vec::new();
    if !matches!(key, ItemKey::Objective { .. }) {
        let reference = key.reference();
        // Files holding its check-ins now, and any goal file naming its ref (a log whose
        // check-ins of it were all deleted still names it in a comment or another line).
        for c in checkins {
            logs.push(sources.path(c.span.file).to_owned());
        }
        for f in &sources.files {
            if f.path != "goalpost.toml" && f.text.contains(&reference) {
                logs.push(f.path.clone());
            }
        }
    }
    logs.sort();
    logs.dedup();
    logs.retain(|l| *l != definition);
    Item {
        key,
        definition,
        logs,
    }
}

/// One line per change: `a1b2c3d  2026-11-20  Alice Example  target 150 → 220`.
fn text(changes: &[Change], color: bool) -> String {
    use crate::text::safe::human;
    let width = changes
        .iter()
        .map(|c| human(&c.author).chars().count())
        .max()
        .unwrap_or(0);
    let yellow = anstyle::AnsiColor::Yellow.on_default();
    let mut s = String::new();
    for c in changes {
        let short = c.commit.get(..7).unwrap_or(&c.commit);
        let id = if color {
            format!("{yellow}{short}{yellow:#}")
        } else {
            short.to_owned()
        };
        for what in &c.changes {
            s.push_str(&format!(
                "{id}  {}  {:<width$}  {}\n",
                c.date,
                human(&c.author),
                human(what)
            ));
        }
    }
    s
}
