//! `goalpost digest` (SPEC 15): per owner, their entries of the attention list (SPEC 12,
//! computed once by [`crate::attention::list`]) and what changed on their items since an
//! earlier date: status changes and check-ins written by someone else. Laid out as text,
//! Markdown, JSON and a Slack incoming-webhook payload. Pure: the caller gives the authors
//! of check-ins without `by` (git blame).

use crate::attention::Entry;
use crate::date::Date;
use crate::model::{Checkin, Goals, KpiId, ObjectiveId};
use crate::score::{Before, Scorecard};
use crate::text::safe;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::HashMap;

/// The name of the group of items with no owner.
pub(crate) const UNOWNED: &str = "unowned";

/// The digest of every owner, in order (owners sorted, the unowned group last).
pub(crate) struct Digest {
    pub as_of: Date,
    pub since: Date,
    pub owners: Vec<OwnerDigest>,
}

/// One owner's group: never empty (it has an attention entry or a change).
pub(crate) struct OwnerDigest {
    /// `None`: the items with no owner.
    pub owner: Option<String>,
    pub attention: Vec<Entry>,
    pub changes: Vec<Change>,
}

impl OwnerDigest {
    /// The owner's name, `unowned` for the group without one.
    pub(crate) fn name(&self) -> &str {
        self.owner.as_deref().unwrap_or(UNOWNED)
    }
}

/// What changed on one item since the digest's `since`.
pub(crate) struct Change {
    pub reference: String,
    /// The status at `since` and at `as_of`, when they differ.
    pub status: Option<(&'static str, &'static str)>,
    /// Check-ins dated in (since, as_of] by someone other than the owner.
    pub checkins: Vec<CheckinBy>,
}

/// A check-in of a change, with who made it (`by`, else its git author).
pub(crate) struct CheckinBy {
    pub date: Date,
    pub by: String,
    pub note: Option<String>,
}

impl Digest {
    pub(crate) fn is_empty(&self) -> bool {
        self.owners.is_empty()
    }

    /// How many attention entries and changes it holds.
    pub(crate) fn counts(&self) -> (usize, usize) {
        self.owners.iter().fold((0, 0), |(a, c), o| {
            (a + o.attention.len(), c + o.changes.len())
        })
    }
}

/// Builds the digest from the attention list `attention` of `card`, the figures `before`
/// at `since`, over `objectives` and `kpis`. `author` gives the git author of a check-in
/// written without `by`. `owners`, when not empty, keeps only those groups (compared
/// case-insensitively; `unowned` names the group without an owner).
#[allow(clippy::too_many_arguments)]
pub(crate) fn build(
    goals: &Goals,
    card: &Scorecard,
    before: &Before,
    attention: Vec<Entry>,
    objectives: &[ObjectiveId],
    kpis: &[KpiId],
    author: &mut dyn FnMut(&Checkin) -> Option<String>,
    owners: &[String],
) -> Digest {
    let (as_of, since) = (card.as_of, before.as_of);
    let mut groups: Vec<OwnerDigest> = Vec::new();
    // Each owner's group, by owner: a look-up per entry, not a scan of the groups (an
    // organisation may have thousands of owners).
    let mut index: HashMap<Option<String>, usize> = HashMap::new();
    let mut group = |owner: &Option<String>, groups: &mut Vec<OwnerDigest>| -> usize {
        *index.entry(owner.clone()).or_insert_with(|| {
            groups.push(OwnerDigest {
                owner: owner.clone(),
                attention: Vec::new(),
                changes: Vec::new(),
            });
            groups.len() - 1
        })
    };
    for e in attention {
        let i = group(&e.owner, &mut groups);
        groups[i].attention.push(e);
    }
    let mut changes: Vec<(Option<String>, Change)> = Vec::new();
    let mut others = |owner: &Option<String>, checkins: &[Checkin]| -> Vec<CheckinBy> {
        checkins
            .iter()
            .filter(|c| c.date > since && c.date <= as_of)
            .filter_map(|c| {
                let by = match c.by() {
                    Some(b) => b.to_owned(),
                    None => author(c)?,
                };
                let same = owner
                    .as_deref()
                    .is_some_and(|o| o.to_lowercase() == by.to_lowercase());
                (!same).then(|| CheckinBy {
                    date: c.date,
                    by,
                    note: c.note().map(str::to_owned),
                })
            })
            .collect()
    };
    for &id in objectives {
        let o = goals.objective(id);
        let (now, was) = (card.objective(id), before.objective(id, card));
        let status = (now.status != was.status).then(|| (was.status.as_str(), now.status.as_str()));
        if let Some(status) = status {
            changes.push((
                o.owner.clone(),
                Change {
                    reference: o.reference().to_string(),
                    status: Some(status),
                    checkins: Vec::new(),
                },
            ));
        }
        for (i, kr) in o.key_results.iter().enumerate() {
            let (n, w) = (&now.key_results[i], &was.key_results[i]);
            let status = (n.status != w.status).then(|| (w.status.as_str(), n.status.as_str()));
            let owner = o.kr_owner(kr).map(str::to_owned);
            let checkins = others(&owner, &kr.checkins);
            if status.is_some() || !checkins.is_empty() {
                changes.push((
                    owner,
                    Change {
                        reference: o.kr_ref(kr).to_string(),
                        status,
                        checkins,
                    },
                ));
            }
        }
    }
    for &id in kpis {
        let k = goals.kpi(id);
        let (n, w) = (card.kpi(id), before.kpi(id));
        let status = (n.status != w.status).then(|| (w.status.as_str(), n.status.as_str()));
        let checkins = others(&k.owner, &k.checkins);
        if status.is_some() || !checkins.is_empty() {
            changes.push((
                k.owner.clone(),
                Change {
                    reference: k.reference().to_string(),
                    status,
                    checkins,
                },
            ));
        }
    }
    changes.sort_by(|a, b| a.1.reference.cmp(&b.1.reference));
    for (owner, c) in changes {
        let i = group(&owner, &mut groups);
        groups[i].changes.push(c);
    }
    if !owners.is_empty() {
        groups.retain(|g| {
            owners
                .iter()
                .any(|o| o.to_lowercase() == g.name().to_lowercase())
        });
    }
    groups.sort_by(|a, b| match (&a.owner, &b.owner) {
        (Some(x), Some(y)) => x.to_lowercase().cmp(&y.to_lowercase()).then(x.cmp(y)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    Digest {
        as_of,
        since,
        owners: groups,
    }
}

fn due(e: &Entry) -> String {
    e.checkin_due
        .map(|d| format!(" (check-in due {d})"))
        .unwrap_or_default()
}

/// What a change says, each part of repository text passed through `esc`.
fn change_lines(c: &Change, esc: &dyn Fn(&str) -> String) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((from, to)) = c.status {
        out.push(format!(
            "{}: {} → {}",
            esc(&c.reference),
            from.replace('_', " "),
            to.replace('_', " ")
        ));
    }
    for k in &c.checkins {
        let note = k
            .note
            .as_deref()
            .map(|n| format!(": {}", esc(n)))
            .unwrap_or_default();
        out.push(format!(
            "{}: checked in {} by {}{note}",
            esc(&c.reference),
            k.date,
            esc(&k.by)
        ));
    }
    out
}

const NOTHING: &str = "Nothing is owed: no item needs attention and nothing changed";

/// The digest for a terminal.
pub(crate) fn text(d: &Digest) -> String {
    let mut out = format!("Digest as of {} (changes since {})\n", d.as_of, d.since);
    if d.is_empty() {
        out.push_str(&format!("\n{NOTHING} since {}.\n", d.since));
        return out;
    }
    let esc = |s: &str| safe::human(s).into_owned();
    for g in &d.owners {
        out.push_str(&format!("\n{}\n", esc(g.name())));
        if !g.attention.is_empty() {
            out.push_str("  owes:\n");
            for e in &g.attention {
                out.push_str(&format!(
                    "    {}: {}{}\n",
                    esc(&e.reference.to_string()),
                    e.why(),
                    due(e)
                ));
            }
        }
        if !g.changes.is_empty() {
            out.push_str("  changed:\n");
            for c in &g.changes {
                for l in change_lines(c, &esc) {
                    out.push_str(&format!("    {l}\n"));
                }
            }
        }
    }
    out
}

/// The digest as Markdown within `limit` bytes (a pull-request comment or step summary).
pub(crate) fn markdown(d: &Digest, limit: usize) -> String {
    let head = format!("## Digest as of {} (changes since {})\n", d.as_of, d.since);
    if d.is_empty() {
        return format!("{head}\n{NOTHING} since {}.\n", d.since);
    }
    let esc = |s: &str| safe::markdown(s);
    let mut doc = crate::text::fit::Document::new(head, limit);
    for g in &d.owners {
        let items = [
            (g.attention.len(), "attention item"),
            (g.changes.len(), "change"),
        ];
        doc.section(&items, || {
            let mut s = format!("### {}\n", esc(g.name()));
            if !g.attention.is_empty() {
                s.push_str("\nOwes:\n\n");
            }
            for e in &g.attention {
                s.push_str(&format!(
                    "- **{}**: {}{}\n",
                    esc(&e.reference.to_string()),
                    e.why(),
                    due(e)
                ));
            }
            if !g.changes.is_empty() {
                s.push_str(&format!("\nChanged since {}:\n\n", d.since));
            }
            for c in &g.changes {
                for l in change_lines(c, &esc) {
                    s.push_str(&format!("- {l}\n"));
                }
            }
            s
        });
    }
    doc.finish("Run `goalpost digest` to see everything.")
}

/// `goalpost digest --format json` (SPEC 15).
#[derive(Serialize, JsonSchema)]
#[schemars(title = "goalpost digest --format json")]
pub(crate) struct DigestJson {
    pub format_version: super::FormatVersion,
    /// The date the figures are computed as of.
    pub as_of: Date,
    /// Changes are those after this date, up to `as_of`.
    pub since: Date,
    /// One group per owner, sorted by name; the items with no owner last (`owner` null).
    pub owners: Vec<OwnerJson>,
}

/// What one owner owes and what changed on their items.
#[derive(Serialize, JsonSchema)]
pub(crate) struct OwnerJson {
    /// Null for the items with no owner.
    pub owner: Option<String>,
    /// Their entries of the attention list, as in `status --format json`.
    pub attention: Vec<super::json::AttentionJson>,
    pub changes: Vec<ChangeJson>,
}

/// What changed on one item since `since`.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ChangeJson {
    #[serde(rename = "ref")]
    pub reference: String,
    /// The status at `since` and at `as_of`; null when it did not change.
    pub status: Option<StatusChangeJson>,
    /// Check-ins dated after `since` by someone other than the owner.
    pub checkins: Vec<CheckinJson>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct StatusChangeJson {
    pub from: &'static str,
    pub to: &'static str,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct CheckinJson {
    pub date: Date,
    /// `by`, else the git author of the check-in's line.
    pub by: String,
    pub note: Option<String>,
}

/// The digest as JSON, with a trailing newline.
pub(crate) fn json(d: &Digest) -> String {
    let doc = DigestJson {
        format_version: super::FormatVersion,
        as_of: d.as_of,
        since: d.since,
        owners: d
            .owners
            .iter()
            .map(|g| OwnerJson {
                owner: g.owner.clone(),
                attention: g
                    .attention
                    .iter()
                    .map(|e| super::json::AttentionJson {
                        reference: e.reference.to_string(),
                        item: e.item.kind(),
                        owner: e.owner.clone(),
                        reasons: e.reasons.iter().map(|r| r.as_str()).collect(),
                        checkin_due: e.checkin_due,
                    })
                    .collect(),
                changes: g
                    .changes
                    .iter()
                    .map(|c| ChangeJson {
                        reference: c.reference.clone(),
                        status: c.status.map(|(from, to)| StatusChangeJson { from, to }),
                        checkins: c
                            .checkins
                            .iter()
                            .map(|k| CheckinJson {
                                date: k.date,
                                by: k.by.clone(),
                                note: k.note.clone(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = super::wire::to_writer_pretty(&mut out, &doc);
    out.push(b'\n');
    String::from_utf8_lossy(&out).into_owned()
}

/// Slack's limits on a message's blocks and on one text field, in characters.
pub(crate) const SLACK_MAX_BLOCKS: usize = 50;
pub(crate) const SLACK_MAX_TEXT: usize = 3000;

/// Repository text for Slack mrkdwn: `&`, `<` and `>` as entities (so no `<!channel>`,
/// `<!here>`, `<@U…>` or `<url|link>` can form), line breaks and control characters as
/// [`safe::plain`] makes them, and a word joiner after `@` (no bare `@channel`).
pub(crate) fn slack_text(s: &str) -> String {
    let plain = safe::plain(s);
    let mut out = String::with_capacity(plain.len() + 8);
    for c in plain.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("@\u{2060}"),
            c => out.push(c),
        }
    }
    out
}

/// "1 attention entry", "2 attention entries".
fn entries(n: usize) -> String {
    if n == 1 {
        "1 attention entry".to_owned()
    } else {
        format!("{n} attention entries")
    }
}

/// The digest as one Slack incoming-webhook payload: `text` (the notification's words,
/// no repository text) and Block Kit `blocks`: a header, one section per owner while they
/// fit in [`SLACK_MAX_BLOCKS`] (each within [`SLACK_MAX_TEXT`] characters, lines that do not
/// fit left out) and a last context block counting the attention entries and changes left
/// out.
pub(crate) fn slack(d: &Digest) -> String {
    use serde_json::json;
    let (attention, changes) = d.counts();
    let summary = if d.is_empty() {
        format!(
            "goalpost digest as of {}: {NOTHING} since {}.",
            d.as_of, d.since
        )
    } else {
        format!(
            "goalpost digest as of {}: {} for {}, {} since {}",
            d.as_of,
            entries(attention),
            crate::text::plural(d.owners.len(), "owner"),
            crate::text::plural(changes, "change"),
            d.since
        )
    };
    let mut blocks = vec![json!({
        "type": "header",
        "text": {"type": "plain_text", "text": crate::text::truncate(&format!("Digest as of {}", d.as_of), 150)},
    })];
    let (mut left_attention, mut left_changes) = (0, 0);
    for g in &d.owners {
        // One for this section, one kept for the count at the end.
        if blocks.len() + 2 > SLACK_MAX_BLOCKS {
            left_attention += g.attention.len();
            left_changes += g.changes.len();
            continue;
        }
        // Repository text is cut short first, so that one long owner or note cannot fill a
        // section.
        let esc = |t: &str| slack_text(&crate::text::truncate(t, 300));
        let mut s = format!("*{}*", esc(g.name()));
        if !g.attention.is_empty() {
            s.push_str("\n_Owes_");
        }
        let room =
            |s: &str, line: &str| s.chars().count() + 1 + line.chars().count() <= SLACK_MAX_TEXT;
        for e in &g.attention {
            let line = format!("• {}: {}{}", esc(&e.reference.to_string()), e.why(), due(e));
            if room(&s, &line) {
                s.push('\n');
                s.push_str(&line);
            } else {
                left_attention += 1;
            }
        }
        if !g.changes.is_empty() {
            s.push_str(&format!("\n_Changed since {}_", d.since));
        }
        for c in &g.changes {
            let lines = change_lines(c, &esc);
            let line = lines
                .iter()
                .map(|l| format!("◦ {l}"))
                .collect::<Vec<_>>()
                .join("\n");
            if room(&s, &line) {
                s.push('\n');
                s.push_str(&line);
            } else {
                left_changes += 1;
            }
        }
        blocks.push(json!({"type": "section", "text": {"type": "mrkdwn", "text": s}}));
    }
    let last = if d.is_empty() {
        format!("{NOTHING} since {}.", d.since)
    } else {
        format!(
            "{} and {} left out",
            entries(left_attention),
            crate::text::plural(left_changes, "change")
        )
    };
    blocks.push(json!({
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": last}],
    }));
    let payload = json!({"text": summary, "blocks": blocks});
    let mut out = serde_json::to_string_pretty(&payload).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attention::{Item, Reason};
    use crate::model::Ref;

    /// `n` owners, each owing one KPI check-in and with one change.
    fn many(n: usize) -> Digest {
        let d = |s: &str| Date::parse(s).expect("a date");
        Digest {
            as_of: d("2026-11-15"),
            since: d("2026-11-08"),
            owners: (0..n)
                .map(|i| OwnerDigest {
                    owner: Some(format!("owner{i:04}")),
                    attention: vec![Entry {
                        item: Item::Kpi(KpiId::new(i)),
                        reference: Ref::item("team", &format!("kpi{i}")),
                        owner: Some(format!("owner{i:04}")),
                        reasons: vec![Reason::KpiWarning, Reason::Overdue],
                        checkin_due: Some(d("2026-11-10")),
                    }],
                    changes: vec![Change {
                        reference: format!("team/kpi{i}"),
                        status: Some(("healthy", "warning")),
                        checkins: Vec::new(),
                    }],
                })
                .collect(),
        }
    }

    #[test]
    fn markdown_stays_within_the_limit_and_counts_what_it_cut() {
        let out = markdown(&many(2000), crate::text::fit::GITHUB_LIMIT);
        assert!(out.len() <= crate::text::fit::GITHUB_LIMIT, "{}", out.len());
        assert!(out.contains("### owner0000\n"), "{out}");
        assert!(!out.contains("### owner1999"), "{out}");
        assert!(
            out.contains("attention items and ") && out.contains(" changes left out ("),
            "{}",
            &out[out.len() - 400..]
        );
        // Whole when it fits.
        let small = markdown(&many(3), crate::text::fit::GITHUB_LIMIT);
        assert!(
            small.contains("### owner0002") && !small.contains("NOTE"),
            "{small}"
        );
    }

    #[test]
    fn slack_keeps_50_blocks_and_counts_the_owners_left_out() {
        let v: serde_json::Value = serde_json::from_str(&slack(&many(100))).expect("JSON");
        let blocks = v["blocks"].as_array().expect("blocks");
        assert_eq!(blocks.len(), SLACK_MAX_BLOCKS);
        assert_eq!(
            blocks[49]["elements"][0]["text"],
            "52 attention entries and 52 changes left out"
        );
    }

    #[test]
    fn slack_text_cannot_form_mentions_or_links() {
        let s = slack_text("<!channel> & <@U123> <https://x|y>\nnext @here");
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('\n'),
            "{s}"
        );
        assert!(
            s.contains("&lt;!channel&gt; &amp; &lt;@\u{2060}U123&gt;"),
            "{s}"
        );
        assert!(!s.contains("@here"), "{s}");
    }
}
