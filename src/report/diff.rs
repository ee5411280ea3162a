//! `goalpost diff` rendered three ways: text for a terminal, Markdown for a pull-request
//! comment (a heading, a summary line, moved targets and rewritten check-ins called out, a
//! table per team with each item's period) and JSON
//! for scripts ([`DiffJson`], the wire type: its schema is `goalpost schema --output diff`).
//! Input is what the engine ([`crate::diff::compare`]) returns; each change is worded once
//! ([`details`]) for text and Markdown; nothing here computes.

use super::changes::{CheckinJson, FieldJson, FromToJson, PlanJson, checkin_pairs, from_to};
use super::text::{num, score};
use crate::diff::{
    ChangeKind, Field, FromTo, ItemChange, ItemKind, ItemStatus, Wording, drop_words,
    revision_words,
};
use crate::model::{Checkin, Date, Observation, Ref};
use crate::text::fit::{Document, GITHUB_LIMIT};
use crate::text::safe;
use schemars::JsonSchema;
use serde::Serialize;

pub(crate) use super::changes::{ChangeJsonKind, KindJson};

/// What was compared, for headings.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Header {
    /// How the base side was named (`main`, `merge-base(HEAD, main)`).
    pub base: String,
    pub base_commit: String,
    /// How the head side was named (`work tree`, `HEAD`).
    pub head: String,
    /// Null for the work tree.
    pub head_commit: Option<String>,
    pub as_of: Date,
}

impl Header {
    fn base_label(&self) -> String {
        format!("{} ({})", self.base, short(&self.base_commit))
    }
    fn head_label(&self) -> String {
        match &self.head_commit {
            Some(c) => format!("{} ({})", self.head, short(c)),
            None => self.head.clone(),
        }
    }
}

fn short(commit: &str) -> &str {
    &commit[..commit.len().min(10)]
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, Serialize, JsonSchema)]
pub(crate) struct Summary {
    pub added: usize,
    pub removed: usize,
    pub renamed: usize,
    pub modified: usize,
    pub goalpost_moved: usize,
}

pub(crate) fn summary(changes: &[ItemChange]) -> Summary {
    let mut s = Summary::default();
    for c in changes {
        match c.change {
            ChangeKind::Added => s.added += 1,
            ChangeKind::Removed => s.removed += 1,
            ChangeKind::Renamed => s.renamed += 1,
            ChangeKind::Modified => s.modified += 1,
        }
        s.goalpost_moved += usize::from(c.goalpost_moved);
    }
    s
}

fn summary_line(s: Summary) -> String {
    let total = s.added + s.removed + s.renamed + s.modified;
    if total == 0 {
        return "no goal changed".to_owned();
    }
    let renamed = if s.renamed > 0 {
        format!(", {} renamed", s.renamed)
    } else {
        String::new()
    };
    format!(
        "{} changed: {} added, {} removed{renamed}, {} modified",
        crate::text::plural(total, "item"),
        s.added,
        s.removed,
        s.modified
    )
}

fn opt_num(x: Option<f64>, f: fn(f64) -> String) -> String {
    x.map_or_else(|| "none".to_owned(), f)
}

fn status_label(s: Option<ItemStatus>) -> String {
    s.map_or_else(|| "none".to_owned(), |s| s.as_str().replace('_', " "))
}

fn checkin_text(c: &Checkin) -> String {
    format!("{} {}", c.date, crate::diff::rules::describe_checkin(c))
}

/// `2026-10-26 76 → 67 (reason)`: a correction, from the figure in force before.
pub(crate) fn corrected_text(k: &FromTo<Checkin>) -> String {
    let obs = |c: &Checkin| match c.obs {
        Observation::Value(v) => num(v),
        Observation::Done(true) => "done".to_owned(),
        Observation::Done(false) => "not done".to_owned(),
    };
    let reason = k.to.correction().map_or("", |c| c.reason.as_str());
    format!("{} {} → {} ({reason})", k.to.date, obs(&k.from), obs(&k.to))
}

fn pair<T: PartialEq>(p: &FromTo<T>, show: impl Fn(&T) -> String) -> String {
    if p.changed() {
        format!("{} → {}", show(&p.from), show(&p.to))
    } else {
        show(&p.to)
    }
}

fn kind_word(k: ItemKind) -> &'static str {
    match k {
        ItemKind::Objective => "objective",
        ItemKind::KeyResult => "key result",
        ItemKind::Kpi => "KPI",
    }
}

/// The thresholds that moved, in engine order: `target 200 → 180`.
fn moves(c: &ItemChange) -> impl Iterator<Item = (&'static str, FromTo<f64>)> + '_ {
    c.fields
        .iter()
        .filter_map(|f| f.moved().map(|m| (f.name(), m)))
}

/// The check-ins the diff lists: a removed item's check-ins go with it, unlisted.
fn removed_checkins(c: &ItemChange) -> &[Checkin] {
    if c.change == ChangeKind::Removed {
        &[]
    } else {
        &c.checkins.removed
    }
}

/// The detail lines of one change, without decoration: the one wording of each kind of
/// change, for text and Markdown. The last line holds the figures.
fn details(c: &ItemChange) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(old) = &c.renamed_from {
        out.push(format!("renamed from `{old}`"));
    }
    for f in c.fields.iter().filter(|f| f.moved().is_some()) {
        let (from, to) = f.values(Wording::Brief);
        let mut line = format!("{} moved {from} → {to}", f.name());
        if c.goalpost_moved {
            let period = c.period.as_deref().unwrap_or("its period");
            line.push_str(&format!(" [goalpost-moved: {period} is open]"));
        }
        out.push(line);
    }
    if let Some(t) = c.title_changed() {
        out.push(format!("title {:?} → {:?}", t.from, t.to));
    }
    for f in &c.fields {
        if f.moved().is_some() || matches!(f, Field::Title(_)) {
            continue;
        }
        let mut line = f.words(Wording::Brief);
        if c.goalpost_moved && matches!(f, Field::Due(_)) {
            let period = c.period.as_deref().unwrap_or("its period");
            line.push_str(&format!(" [goalpost-moved: {period} is open]"));
        }
        out.push(line);
    }
    let added = &c.checkins.added;
    if c.change == ChangeKind::Modified {
        for k in added {
            out.push(format!("check-in added: {}", checkin_text(k)));
        }
    } else if !added.is_empty() {
        out.push(format!(
            "{} check-in{}",
            added.len(),
            if added.len() == 1 { "" } else { "s" }
        ));
    }
    for k in &c.checkins.changed {
        // An original edited under a correction: show that entry, not the correction.
        let (from, to) = crate::diff::first_difference(&k.from, &k.to);
        out.push(format!(
            "check-in changed: {} → {}",
            checkin_text(from),
            checkin_text(to)
        ));
    }
    for k in &c.checkins.corrected {
        out.push(format!("check-in corrected: {}", corrected_text(k)));
    }
    for k in removed_checkins(c) {
        out.push(format!("check-in removed: {}", checkin_text(k)));
    }
    out.extend(plan_lines(c));
    let mut figures = Vec::new();
    if let Some(f) = &c.figures {
        if let Some(s) = &f.score
            && c.kind != ItemKind::Kpi
        {
            figures.push(format!("score {}", pair(s, |x| opt_num(*x, score))));
        }
        if let Some(v) = &f.value
            && (c.kind == ItemKind::Kpi || v.changed())
        {
            figures.push(format!("value {}", pair(v, |x| opt_num(*x, num))));
        }
        figures.push(format!("status {}", pair(&f.status, |s| status_label(*s))));
    }
    out.push(figures.join(", "));
    out
}

/// The revisions and the drop that changed, in words (SPEC 3.4): `revised: target 80 → 70 on
/// 2026-11-10: reason`, `dropped on 2026-11-20: reason`; a rewrite says what it was. A
/// removed item's go with it, unlisted.
fn plan_lines(c: &ItemChange) -> Vec<String> {
    let mut out = Vec::new();
    for r in &c.revisions.added {
        out.push(format!("revised: {}", r.words(Wording::Brief)));
    }
    for r in &c.revisions.changed {
        out.push(format!(
            "revision changed: {} → {}",
            revision_words(&r.from, Wording::Brief),
            revision_words(&r.to, Wording::Brief)
        ));
    }
    if c.change != ChangeKind::Removed {
        for r in &c.revisions.removed {
            out.push(format!(
                "revision removed: {}",
                revision_words(r, Wording::Brief)
            ));
        }
        match c.dropped.as_ref().map(|d| (&d.from, &d.to)) {
            Some((None, Some(to))) => out.push(drop_words(to)),
            Some((Some(from), Some(to))) => out.push(format!(
                "drop changed: {} → {}",
                drop_words(from),
                drop_words(to)
            )),
            Some((Some(from), None)) => out.push(format!("drop removed: {}", drop_words(from))),
            Some((None, None)) | None => {}
        }
    }
    out
}

/// The revisions and the drop of the base that `c` changes or deletes (`history-rewritten`),
/// in words.
fn plan_rewrites(c: &ItemChange) -> Vec<String> {
    let with = if c.change == ChangeKind::Removed {
        " with its item"
    } else {
        ""
    };
    let mut out: Vec<String> = c
        .revisions
        .changed
        .iter()
        .map(|r| {
            format!(
                "revision {} → {}",
                revision_words(&r.from, Wording::Brief),
                revision_words(&r.to, Wording::Brief)
            )
        })
        .collect();
    out.extend(c.revisions.removed.iter().map(|r| {
        format!(
            "revision {} removed{with}",
            revision_words(r, Wording::Brief)
        )
    }));
    if let Some((was, now)) = c.drop_rewritten() {
        out.push(match now {
            Some(now) => format!("{} → {}", drop_words(was), drop_words(now)),
            None => format!("{} removed{with}", drop_words(was)),
        });
    }
    out
}

fn sigil(c: ChangeKind) -> char {
    match c {
        ChangeKind::Added => '+',
        ChangeKind::Removed => '-',
        ChangeKind::Renamed => '>',
        ChangeKind::Modified => '~',
    }
}

/// Text for a terminal.
pub(crate) fn text(h: &Header, changes: &[ItemChange], color: bool) -> String {
    let paint = |style: anstyle::Style, s: &str| -> String {
        if color {
            format!("{}{s}{}", style.render(), style.render_reset())
        } else {
            s.to_owned()
        }
    };
    let green = anstyle::AnsiColor::Green.on_default();
    let red = anstyle::AnsiColor::Red.on_default();
    let yellow = anstyle::AnsiColor::Yellow.on_default().bold();
    let bold = anstyle::Style::new().bold();
    let s = summary(changes);
    let mut out = format!(
        "{} → {}, as of {}\n{}",
        safe::human(&h.base_label()),
        safe::human(&h.head_label()),
        h.as_of,
        summary_line(s)
    );
    if s.goalpost_moved > 0 {
        out.push_str(&paint(
            yellow,
            &format!(
                "; {} moved inside an open period (goalpost-moved)",
                crate::text::plural(s.goalpost_moved, "target")
            ),
        ));
    }
    out.push('\n');
    for c in changes {
        let head = format!(
            "{} {}",
            sigil(c.change),
            safe::human(&c.reference.to_string())
        );
        let style = match c.change {
            ChangeKind::Added => green,
            ChangeKind::Removed => red,
            ChangeKind::Renamed | ChangeKind::Modified => bold,
        };
        let period = c
            .period
            .as_ref()
            .map_or(String::new(), |p| format!(" ({})", safe::human(p)));
        out.push_str(&format!(
            "\n{}  {}{period}, {}: {}\n",
            paint(style, &head),
            kind_word(c.kind),
            change_word(c.change),
            safe::human(&c.title)
        ));
        for line in details(c) {
            let line = safe::human(&line).into_owned();
            let line = if line.contains("[goalpost-moved") {
                paint(yellow, &line)
            } else {
                line
            };
            out.push_str(&format!("    {line}\n"));
        }
    }
    out
}

fn change_word(c: ChangeKind) -> &'static str {
    match c {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Renamed => "renamed",
        ChangeKind::Modified => "modified",
    }
}

/// Markdown for a pull-request comment, within GitHub's comment limit.
pub(crate) fn markdown(h: &Header, changes: &[ItemChange]) -> String {
    markdown_within(h, changes, GITHUB_LIMIT)
}

/// [`markdown`] within `limit` bytes: whole sections (the moved targets, the rewritten
/// check-ins, then one per team) are left out when they do not fit, with a note.
pub(crate) fn markdown_within(h: &Header, changes: &[ItemChange], limit: usize) -> String {
    let cell = safe::markdown;
    let s = summary(changes);
    let head = format!(
        "## Goal changes: {} → {}\n\nAs of {}: {}.\n",
        cell(&h.base_label()),
        cell(&h.head_label()),
        h.as_of,
        summary_line(s)
    );
    let mut doc = Document::new(head, limit);
    let moved: Vec<&ItemChange> = changes.iter().filter(|c| c.goalpost_moved).collect();
    if !moved.is_empty() {
        // One row per team, so that hundreds of moved targets leave room for the rest; the
        // list of each move comes last, folded, when it still fits.
        let mut per_team: Vec<(&str, Vec<&ItemChange>)> = Vec::new();
        for c in &moved {
            match per_team.last_mut() {
                Some((t, list)) if *t == c.team() => list.push(c),
                _ => per_team.push((c.team(), vec![c])),
            }
        }
        per_team.sort_by_key(|(t, _)| *t);
        let mut out = format!(
            "**⚠️ {} moved inside an open period** (`goalpost-moved`): changing a target mid-period hides a miss.\n\n| team | moved | items |\n|---|---|---|\n",
            crate::text::plural(moved.len(), "target")
        );
        const NAMED: usize = 2;
        for (team, list) in &per_team {
            let mut items: Vec<String> = list
                .iter()
                .take(NAMED)
                .map(|c| format!("`{}`", cell(&c.reference.to_string())))
                .collect();
            if list.len() > NAMED {
                items.push(format!("and {} more", list.len() - NAMED));
            }
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                cell(team),
                list.len(),
                items.join(", ")
            ));
        }
        doc.section(&[(moved.len(), "moved target")], || out);
    }
    let moved_list = (!moved.is_empty()).then(|| {
        let mut out = format!(
            "<details><summary>Each moved target ({})</summary>\n\n",
            moved.len()
        );
        for c in &moved {
            out.push_str(&format!(
                "- `{}` ({}): {}\n",
                cell(&c.reference.to_string()),
                cell(c.period.as_deref().unwrap_or("")),
                cell(&move_words(c).join(", "))
            ));
        }
        out.push_str("\n</details>\n");
        out
    });
    let rewritten: Vec<(&ItemChange, String)> = changes
        .iter()
        .flat_map(|c| rewrites(c).map(move |r| (c, r)))
        .collect();
    if !rewritten.is_empty() {
        let mut out = format!(
            "**⛔ {} rewritten** (`history-rewritten`): check-ins are an append-only history, and `check --base` rejects this; restore them and append a correction instead.\n\n",
            crate::text::plural(rewritten.len(), "check-in")
        );
        for (c, what) in &rewritten {
            out.push_str(&format!(
                "- `{}` ({}): {}\n",
                cell(&c.reference.to_string()),
                cell(c.period.as_deref().unwrap_or("KPI")),
                cell(what)
            ));
        }
        doc.section(&[(rewritten.len(), "rewritten check-in")], || out);
    }
    let plan: Vec<(&ItemChange, String)> = changes
        .iter()
        .flat_map(|c| plan_rewrites(c).into_iter().map(move |r| (c, r)))
        .collect();
    if !plan.is_empty() {
        let mut out = format!(
            "**⛔ {} rewritten** (`history-rewritten`, revisions and drops): they are an append-only history, and `check --base` rejects this; restore them and append a new revision instead.\n\n",
            crate::text::plural(plan.len(), "history entry").replace("entrys", "entries")
        );
        for (c, what) in &plan {
            out.push_str(&format!(
                "- `{}` ({}): {}\n",
                cell(&c.reference.to_string()),
                cell(c.period.as_deref().unwrap_or("")),
                cell(what)
            ));
        }
        doc.section(&[(plan.len(), "revision or drop rewrite")], || out);
    }
    let mut teams: Vec<&str> = changes.iter().map(ItemChange::team).collect();
    teams.sort_unstable();
    teams.dedup();
    for team in teams {
        let n = changes.iter().filter(|c| c.team() == team).count();
        doc.section(&[(n, "changed item")], || team_table(team, changes));
    }
    if let Some(list) = moved_list {
        doc.section(&[(1, "list of moved targets")], || list);
    }
    doc.finish("Run `goalpost diff` or `goalpost diff --format json` for every change.")
}

/// What moved in `c`, in words: `target 200 → 180`, and a milestone's `due D → D` (SPEC 8).
fn move_words(c: &ItemChange) -> Vec<String> {
    c.fields
        .iter()
        .filter(|f| f.moved().is_some() || matches!(f, Field::Due(_)))
        .map(|f| f.words(Wording::Brief))
        .collect()
}

/// The check-ins of the base that `c` changes or deletes (what `check --base` rejects as
/// `history-rewritten`), in words: `2026-10-05 value 240 → 2026-10-05 value 230`.
fn rewrites(c: &ItemChange) -> impl Iterator<Item = String> + '_ {
    let changed = c
        .checkins
        .changed
        .iter()
        .map(|k| format!("{} → {}", checkin_text(&k.from), checkin_text(&k.to)));
    let removed = c.checkins.removed.iter().map(|k| {
        let with = if c.change == ChangeKind::Removed {
            " with its item"
        } else {
            ""
        };
        format!("{} removed{with}", checkin_text(k))
    });
    changed.chain(removed)
}

/// The Markdown table of one team's changes.
fn team_table(team: &str, changes: &[ItemChange]) -> String {
    let cell = safe::markdown;
    let mut out = String::new();
    out.push_str(&format!(
        "### {}\n\n| | item | period | what changed | score or value | status |\n|---|---|---|---|---|---|\n",
        cell(team)
    ));
    for c in changes.iter().filter(|c| c.team() == team) {
        let mut what = vec![format!("{} {}", kind_word(c.kind), change_word(c.change))];
        let lines = details(c);
        // The last detail line holds the figures, shown in their own columns.
        what.extend(lines[..lines.len().saturating_sub(1)].iter().cloned());
        let figures = c.figures.as_ref();
        let sc = match figures.and_then(|f| f.score.as_ref()) {
            Some(s) if c.kind != ItemKind::Kpi => pair(s, |x| opt_num(*x, score)),
            _ => figures
                .and_then(|f| f.value.as_ref())
                .map_or(String::new(), |v| pair(v, |x| opt_num(*x, num))),
        };
        let status = figures.map_or(String::new(), |f| pair(&f.status, |s| status_label(*s)));
        let icon = match c.change {
            ChangeKind::Added => "➕",
            ChangeKind::Removed => "➖",
            ChangeKind::Renamed => "🔀",
            ChangeKind::Modified if c.goalpost_moved => "⚠️",
            ChangeKind::Modified => "✏️",
        };
        out.push_str(&format!(
            "| {icon} | `{}` {} | {} | {} | {} | {} |\n",
            cell(&c.reference.to_string()),
            cell(&super::text::truncate(&c.title, 60)),
            cell(c.period.as_deref().unwrap_or("")),
            what.iter()
                .map(|w| cell(w))
                .collect::<Vec<_>>()
                .join("<br>"),
            cell(&sc),
            cell(&status)
        ));
    }
    out
}

/// The JSON document of `diff --format json` (README, "goalpost diff").
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct DiffJson {
    /// 1; raised when a key is removed or renamed.
    pub format_version: super::FormatVersion,
    /// How the base side was named (`main`, `merge-base(HEAD, main)`).
    pub base: String,
    /// The base commit's full id.
    pub base_commit: String,
    /// How the head side was named (`work tree`, `HEAD`).
    pub head: String,
    /// The head commit's full id; null for the work tree.
    pub head_commit: Option<String>,
    /// Both sides are scored as of this date (YYYY-MM-DD).
    pub as_of: String,
    pub summary: Summary,
    /// Objectives by period, team and id, each followed by its key results, then KPIs.
    pub changes: Vec<ChangeJson>,
    /// The upstreams whose pin differs between the sides (SPEC 13), in name order, with what
    /// changed in their snapshots (refs carry the upstream's name).
    pub upstreams: Vec<UpstreamDiffJson>,
}

/// A bump of an upstream's pin.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct UpstreamDiffJson {
    pub name: String,
    /// The commit pinned on the base side; null when it had no snapshot.
    pub before: Option<String>,
    /// The commit pinned on the head side; null when it has none.
    pub after: Option<String>,
    pub summary: Summary,
    pub changes: Vec<ChangeJson>,
}

/// A threshold that moved: `start`/`target` (key results), `target`/`critical` (KPIs).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct MovedJson {
    pub field: String,
    pub from: f64,
    pub to: f64,
}

/// One changed item.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct ChangeJson {
    /// The item's ref on the newer side (the old one for a removed item).
    #[serde(rename = "ref")]
    pub reference: String,
    pub kind: KindJson,
    pub change: ChangeJsonKind,
    /// The ref on the base side of a renamed item.
    pub renamed_from: Option<String>,
    pub team: String,
    /// The objective's period (objectives and key results).
    pub period: Option<String>,
    /// The title on the newer side (the old one for a removed item).
    pub title: String,
    pub title_changed: Option<FromToJson<String>>,
    /// Starts and targets (key results), targets and critical thresholds (KPIs) that moved.
    pub moved: Vec<MovedJson>,
    /// A key result's start or target moved while its period is open at the as-of date.
    pub goalpost_moved: bool,
    pub fields: Vec<FieldJson>,
    pub checkins_added: Vec<CheckinJson>,
    pub checkins_changed: Vec<FromToJson<CheckinJson>>,
    /// Corrections appended for a date (SPEC 3.2): the check-in in force before → the
    /// correction, whose `correction` says why.
    pub checkins_corrected: Vec<FromToJson<CheckinJson>>,
    pub checkins_removed: Vec<CheckinJson>,
    /// Revisions and the drop (SPEC 3.4): history, like check-ins.
    #[serde(flatten)]
    pub plan: PlanJson,
    /// Objective score or key-result progress (null where the side has no such item).
    pub score: Option<FromToJson<Option<f64>>>,
    /// A key result's current value or a KPI's latest value.
    pub value: Option<FromToJson<Option<f64>>>,
    pub status: FromToJson<Option<String>>,
}

impl From<&ItemChange> for ChangeJson {
    fn from(c: &ItemChange) -> Self {
        let checkins = |l: &[Checkin]| l.iter().map(CheckinJson::from).collect();
        let figures = c.figures.as_ref();
        ChangeJson {
            reference: c.reference.to_string(),
            kind: c.kind.into(),
            change: c.change.into(),
            renamed_from: c.renamed_from.as_ref().map(Ref::to_string),
            team: c.team().to_owned(),
            period: c.period.clone(),
            title: c.title.clone(),
            title_changed: c.title_changed().map(|t| from_to(t, String::clone)),
            moved: moves(c)
                .map(|(field, m)| MovedJson {
                    field: field.to_owned(),
                    from: m.from,
                    to: m.to,
                })
                .collect(),
            goalpost_moved: c.goalpost_moved,
            fields: c
                .fields
                .iter()
                .filter(|f| f.moved().is_none() && !matches!(f, Field::Title(_)))
                .map(FieldJson::of)
                .collect(),
            checkins_added: checkins(&c.checkins.added),
            checkins_changed: checkin_pairs(&c.checkins.changed),
            checkins_corrected: checkin_pairs(&c.checkins.corrected),
            checkins_removed: checkins(removed_checkins(c)),
            plan: PlanJson::of(c, false),
            score: figures
                .and_then(|f| f.score.as_ref())
                .map(|s| from_to(s, |x| *x)),
            value: figures
                .and_then(|f| f.value.as_ref())
                .map(|s| from_to(s, |x| *x)),
            status: figures.map_or(
                FromToJson {
                    from: None,
                    to: None,
                },
                |f| from_to(&f.status, |s| s.map(|s| s.as_str().to_owned())),
            ),
        }
    }
}

impl DiffJson {
    /// The document of `changes` and the upstream bumps.
    pub(crate) fn new(
        h: &Header,
        changes: &[ItemChange],
        upstreams: &[crate::diff::UpstreamChanges],
    ) -> DiffJson {
        DiffJson {
            upstreams: upstreams
                .iter()
                .map(|u| UpstreamDiffJson {
                    name: u.name.clone(),
                    before: u.before.clone(),
                    after: u.after.clone(),
                    summary: summary(&u.changes),
                    changes: u.changes.iter().map(ChangeJson::from).collect(),
                })
                .collect(),
            format_version: super::FormatVersion,
            base: h.base.clone(),
            base_commit: h.base_commit.clone(),
            head: h.head.clone(),
            head_commit: h.head_commit.clone(),
            as_of: h.as_of.to_string(),
            summary: summary(changes),
            changes: changes.iter().map(ChangeJson::from).collect(),
        }
    }
}

/// The JSON document ([`DiffJson`]).
pub(crate) fn json(h: &Header, changes: &[ItemChange]) -> String {
    json_with(h, changes, &[])
}

/// [`json`] with the upstream bumps (SPEC 13).
pub(crate) fn json_with(
    h: &Header,
    changes: &[ItemChange],
    upstreams: &[crate::diff::UpstreamChanges],
) -> String {
    let mut s = super::wire::to_string_pretty(&DiffJson::new(h, changes, upstreams))
        .expect("diff values serialise: finite numbers");
    s.push('\n');
    s
}

/// The header of an upstream's own changes: its two pins.
fn upstream_header(h: &Header, u: &crate::diff::UpstreamChanges) -> Header {
    Header {
        base: format!("upstream {}", u.name),
        base_commit: u.before.clone().unwrap_or_else(|| "none".to_owned()),
        head: format!("upstream {}", u.name),
        head_commit: Some(u.after.clone().unwrap_or_else(|| "none".to_owned())),
        as_of: h.as_of,
    }
}

/// [`text`], then each upstream bump's changes (SPEC 13).
pub(crate) fn text_with(
    h: &Header,
    changes: &[ItemChange],
    upstreams: &[crate::diff::UpstreamChanges],
    color: bool,
) -> String {
    let mut out = text(h, changes, color);
    for u in upstreams {
        out.push('\n');
        out.push_str(&text(&upstream_header(h, u), &u.changes, color));
    }
    out
}

/// [`markdown`], then each upstream bump's changes, all within GitHub's limit: the
/// repository's own changes get what the bumps leave (each bump at most a quarter of it).
pub(crate) fn markdown_with(
    h: &Header,
    changes: &[ItemChange],
    upstreams: &[crate::diff::UpstreamChanges],
) -> String {
    let per = GITHUB_LIMIT / 4 / upstreams.len().max(1);
    let tails: Vec<String> = upstreams
        .iter()
        .map(|u| markdown_within(&upstream_header(h, u), &u.changes, per))
        .collect();
    let used: usize = tails.iter().map(|t| t.len() + 1).sum();
    let mut out = markdown_within(h, changes, GITHUB_LIMIT.saturating_sub(used));
    for t in tails {
        out.push('\n');
        out.push_str(&t);
    }
    out
}
