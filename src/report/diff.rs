//! `goalpost diff` rendered three ways: text for a terminal, Markdown for a pull-request
//! comment (a heading, a summary line, moved targets called out, a table per team) and JSON
//! for scripts (the shape is documented in the README). Input is the value
//! [`crate::diff::compare`] returns; nothing here computes.

use super::markdown::{GITHUB_LIMIT, Section, fit};
use super::text::{num, score};
use crate::diff::{Change, ChangeKind, CheckinData, FieldChange, FromTo, ItemKind};
use crate::model::Date;
use crate::text::safe;
use serde::Serialize;
use serde_json::Value;

/// What was compared, for headings.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
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
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Summary {
    pub added: usize,
    pub removed: usize,
    pub renamed: usize,
    pub modified: usize,
    pub goalpost_moved: usize,
}

pub fn summary(changes: &[Change]) -> Summary {
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

fn status_label(s: Option<&str>) -> String {
    s.map_or_else(|| "none".to_owned(), |s| s.replace('_', " "))
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Null => "none".to_owned(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), num),
        Value::Array(a) if a.is_empty() => "none".to_owned(),
        Value::Array(a) => a.iter().map(value_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn checkin_text(c: &CheckinData) -> String {
    let mut parts = Vec::new();
    if let Some(v) = c.value {
        parts.push(format!("value {}", num(v)));
    }
    if let Some(d) = c.done {
        parts.push(format!("done {d}"));
    }
    if let Some(x) = c.confidence {
        parts.push(format!("confidence {}", num(x)));
    }
    if let Some(n) = &c.note {
        parts.push(format!("note {n:?}"));
    }
    if let Some(b) = &c.by {
        parts.push(format!("by {b}"));
    }
    format!("{} {}", c.date, parts.join(", "))
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

/// The detail lines of one change, without decoration.
fn details(c: &Change) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(old) = &c.renamed_from {
        out.push(format!("renamed from `{old}`"));
    }
    for m in &c.moved {
        let mut line = format!("{} moved {} → {}", m.field, num(m.from), num(m.to));
        if c.goalpost_moved {
            let period = c.period.as_deref().unwrap_or("its period");
            line.push_str(&format!(" [goalpost-moved: {period} is open]"));
        }
        out.push(line);
    }
    if let Some(t) = &c.title_changed {
        out.push(format!("title {:?} → {:?}", t.from, t.to));
    }
    for FieldChange { field, from, to } in &c.fields {
        out.push(format!("{field} {} → {}", value_text(from), value_text(to)));
    }
    if c.change == ChangeKind::Modified {
        for k in &c.checkins_added {
            out.push(format!("check-in added: {}", checkin_text(k)));
        }
    } else if !c.checkins_added.is_empty() {
        out.push(format!(
            "{} check-in{}",
            c.checkins_added.len(),
            if c.checkins_added.len() == 1 { "" } else { "s" }
        ));
    }
    for k in &c.checkins_changed {
        out.push(format!(
            "check-in changed: {} → {}",
            checkin_text(&k.from),
            checkin_text(&k.to)
        ));
    }
    for k in &c.checkins_removed {
        out.push(format!("check-in removed: {}", checkin_text(k)));
    }
    let mut figures = Vec::new();
    if let Some(s) = &c.score
        && c.kind != ItemKind::Kpi
    {
        figures.push(format!("score {}", pair(s, |x| opt_num(*x, score))));
    }
    if let Some(v) = &c.value
        && (c.kind == ItemKind::Kpi || v.changed())
    {
        figures.push(format!("value {}", pair(v, |x| opt_num(*x, num))));
    }
    figures.push(format!("status {}", pair(&c.status, |s| status_label(*s))));
    out.push(figures.join(", "));
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
pub fn text(h: &Header, changes: &[Change], color: bool) -> String {
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
        let head = format!("{} {}", sigil(c.change), safe::human(&c.reference));
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
pub fn markdown(h: &Header, changes: &[Change]) -> String {
    markdown_within(h, changes, GITHUB_LIMIT)
}

/// [`markdown`] within `limit` bytes: whole sections (the moved targets, then one per
/// team) are left out when they do not fit, with a note.
pub fn markdown_within(h: &Header, changes: &[Change], limit: usize) -> String {
    let cell = safe::markdown;
    let s = summary(changes);
    let head = format!(
        "## Goal changes: {} → {}\n\nAs of {}: {}.\n",
        cell(&h.base_label()),
        cell(&h.head_label()),
        h.as_of,
        summary_line(s)
    );
    let mut sections = Vec::new();
    let moved: Vec<&Change> = changes.iter().filter(|c| c.goalpost_moved).collect();
    if !moved.is_empty() {
        let mut out = String::new();
        out.push_str(&format!(
            "\n**⚠️ {} moved inside an open period** (`goalpost-moved`): changing a target mid-period hides a miss.\n\n",
            crate::text::plural(moved.len(), "target")
        ));
        for c in &moved {
            let what: Vec<String> = c
                .moved
                .iter()
                .map(|m| format!("{} {} → {}", m.field, num(m.from), num(m.to)))
                .collect();
            out.push_str(&format!(
                "- `{}` ({}): {}\n",
                c.reference,
                cell(c.period.as_deref().unwrap_or("")),
                what.join(", ")
            ));
        }
        // Trim the blank line the section separator adds back.
        let text = out.trim_start_matches('\n').to_owned();
        sections.push(Section {
            text,
            items: vec![(moved.len(), "moved target")],
        });
    }
    let mut teams: Vec<&str> = changes.iter().map(|c| c.team.as_str()).collect();
    teams.sort_unstable();
    teams.dedup();
    for team in teams {
        let mut out = String::new();
        out.push_str(&format!(
            "### {}\n\n| | item | what changed | score or value | status |\n|---|---|---|---|---|\n",
            cell(team)
        ));
        for c in changes.iter().filter(|c| c.team == team) {
            let mut what = vec![format!("{} {}", kind_word(c.kind), change_word(c.change))];
            let lines = details(c);
            // The last detail line holds the figures, shown in their own columns.
            what.extend(lines[..lines.len().saturating_sub(1)].iter().cloned());
            let sc = match &c.score {
                Some(s) if c.kind != ItemKind::Kpi => pair(s, |x| opt_num(*x, score)),
                _ => c
                    .value
                    .as_ref()
                    .map_or(String::new(), |v| pair(v, |x| opt_num(*x, num))),
            };
            let icon = match c.change {
                ChangeKind::Added => "➕",
                ChangeKind::Removed => "➖",
                ChangeKind::Renamed => "🔀",
                ChangeKind::Modified if c.goalpost_moved => "⚠️",
                ChangeKind::Modified => "✏️",
            };
            out.push_str(&format!(
                "| {icon} | `{}` {} | {} | {} | {} |\n",
                cell(&c.reference),
                cell(&super::text::truncate(&c.title, 60)),
                what.iter()
                    .map(|w| cell(w))
                    .collect::<Vec<_>>()
                    .join("<br>"),
                cell(&sc),
                cell(&pair(&c.status, |s| status_label(*s)))
            ));
        }
        let n = changes.iter().filter(|c| c.team == team).count();
        sections.push(Section {
            text: out,
            items: vec![(n, "changed item")],
        });
    }
    fit(
        head,
        sections,
        limit,
        "Run `goalpost diff` or `goalpost diff --format json` for every change.",
    )
}

/// The JSON document (README, "goalpost diff").
pub fn json(h: &Header, changes: &[Change]) -> String {
    #[derive(Serialize)]
    struct Doc<'a> {
        #[serde(flatten)]
        header: &'a Header,
        summary: Summary,
        changes: &'a [Change],
    }
    let doc = Doc {
        header: h,
        summary: summary(changes),
        changes,
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("diff values serialise: finite numbers");
    s.push('\n');
    s
}
