//! `goalpost log` rendered: one line per change for a terminal (`a1b2c3d  2026-11-20  Alice
//! Example  target 150 → 220`) and JSON for scripts ([`LogJson`]: each commit with its typed
//! changes; its schema is `goalpost schema --output log`). Input is what the history walk
//! returns ([`crate::history::Change`]: the engine's [`ItemChange`]s per commit); each kind of
//! change is worded once here ([`summaries`]).

use super::changes::{
    ChangeJsonKind, CheckinJson, FieldJson, FromToJson, KindJson, PlanJson, checkin_pairs,
};
use crate::diff::{ChangeKind, Field, ItemChange, ItemKind, Wording, drop_words, revision_words};
use crate::history::Change;
use crate::model::{Checkin, Date, Observation, Ref};
use crate::text::safe::human;
use schemars::JsonSchema;
use serde::Serialize;

/// A number at full precision without float noise: `150`, `6.1`, `0.125`.
fn number(x: f64) -> String {
    format!("{x}")
}

/// `target 150 → 220`, `unit none → "%"`, `title "A" → "B"`: values as written.
fn field_summary(f: &Field) -> String {
    f.words(Wording::Exact)
}

fn observation(c: &Checkin) -> String {
    match c.obs {
        Observation::Value(v) => number(v),
        Observation::Done(true) => "done".to_owned(),
        Observation::Done(false) => "not done".to_owned(),
    }
}

/// `check-in 2026-11-20 = 75 (confidence 0.6)`, `check-in 2026-11-02 done — note`.
fn added_summary(c: &Checkin) -> String {
    let mut s = match c.obs {
        Observation::Value(v) => format!("check-in {} = {}", c.date, number(v)),
        Observation::Done(_) => format!("check-in {} {}", c.date, observation(c)),
    };
    let mut extra = Vec::new();
    if let Some(conf) = c.confidence {
        extra.push(format!("confidence {}", number(conf)));
    }
    if let Some(by) = c.by() {
        extra.push(format!("by {by}"));
    }
    if !extra.is_empty() {
        s.push_str(&format!(" ({})", extra.join(", ")));
    }
    if let Some(note) = c.note() {
        s.push_str(&format!(" — {note}"));
    }
    s
}

/// `check-in 2026-11-06 changed 60 → 62`, listing every part that differs.
fn changed_summary(old: &Checkin, new: &Checkin) -> String {
    let mut parts = Vec::new();
    if old.obs != new.obs {
        parts.push(format!("{} → {}", observation(old), observation(new)));
    }
    let opt_num = |x: Option<f64>| x.map_or("none".to_owned(), number);
    let opt_str = |x: Option<&str>| x.map_or("none".to_owned(), |s| format!("{s:?}"));
    if old.confidence != new.confidence {
        parts.push(format!(
            "confidence {} → {}",
            opt_num(old.confidence),
            opt_num(new.confidence)
        ));
    }
    if old.note() != new.note() {
        parts.push(format!(
            "note {} → {}",
            opt_str(old.note()),
            opt_str(new.note())
        ));
    }
    if old.by() != new.by() {
        parts.push(format!("by {} → {}", opt_str(old.by()), opt_str(new.by())));
    }
    format!("check-in {} changed {}", new.date, parts.join(", "))
}

/// The revisions and the drop that changed (SPEC 3.4), each with its date: `revised: target
/// 80 → 70 on 2026-11-10: reason`, `dropped on 2026-11-20: reason`, and rewrites as such.
fn plan_summaries(c: &ItemChange) -> Vec<(Date, String)> {
    let mut out = Vec::new();
    for r in &c.revisions.added {
        out.push((
            r.revision.date,
            format!("revised: {}", r.words(Wording::Exact)),
        ));
    }
    for r in &c.revisions.changed {
        out.push((
            r.to.date,
            format!(
                "revision {} changed: {} → {}",
                r.to.date,
                revision_words(&r.from, Wording::Exact),
                revision_words(&r.to, Wording::Exact)
            ),
        ));
    }
    for r in &c.revisions.removed {
        out.push((
            r.date,
            format!("revision removed: {}", revision_words(r, Wording::Exact)),
        ));
    }
    match c.dropped.as_ref().map(|d| (&d.from, &d.to)) {
        Some((None, Some(to))) => out.push((to.date, drop_words(to))),
        Some((Some(from), Some(to))) => out.push((
            to.date,
            format!("drop changed: {} → {}", drop_words(from), drop_words(to)),
        )),
        Some((Some(from), None)) => {
            out.push((from.date, format!("drop removed: {}", drop_words(from))))
        }
        Some((None, None)) | None => {}
    }
    out
}

/// The id of a key result's ref (`team/objective/kr` → `kr`).
fn kr_id(r: &Ref) -> &str {
    match r {
        Ref::KeyResult { id, .. } | Ref::Item { id, .. } => id,
    }
}

/// The one-line summaries of one commit's changes: the item's own (created or removed, its
/// fields, then its check-ins by date), then its key results' (for an objective).
pub(crate) fn summaries(item: &Ref, changes: &[ItemChange]) -> Vec<String> {
    let mut out = Vec::new();
    for c in changes {
        if &c.reference == item || c.reference_at_base() == item {
            match c.change {
                ChangeKind::Added => out.push("created".to_owned()),
                ChangeKind::Removed => out.push("removed".to_owned()),
                ChangeKind::Renamed | ChangeKind::Modified => {}
            }
            out.extend(c.fields.iter().map(field_summary));
            let mut dated: Vec<(Date, String)> = Vec::new();
            dated.extend(c.checkins.added.iter().map(|k| (k.date, added_summary(k))));
            dated.extend(
                c.checkins
                    .removed
                    .iter()
                    .map(|k| (k.date, format!("check-in {} removed", k.date))),
            );
            dated.extend(c.checkins.corrected.iter().map(|k| {
                let reason = k.to.correction().map_or("", |c| c.reason.as_str());
                (
                    k.to.date,
                    format!(
                        "check-in {} corrected {} → {} ({reason})",
                        k.to.date,
                        observation(&k.from),
                        observation(&k.to)
                    ),
                )
            }));
            dated.extend(
                c.checkins
                    .changed
                    .iter()
                    .map(|k| (k.to.date, changed_summary(&k.from, &k.to))),
            );
            dated.extend(plan_summaries(c));
            dated.sort_by_key(|d| d.0);
            out.extend(dated.into_iter().map(|d| d.1));
        } else {
            let id = kr_id(&c.reference);
            match c.change {
                ChangeKind::Added => out.push(format!("key result {id} added")),
                ChangeKind::Removed => out.push(format!("key result {id} removed")),
                ChangeKind::Renamed => out.push(format!(
                    "key result {id} renamed from {}",
                    kr_id(c.reference_at_base())
                )),
                ChangeKind::Modified => {}
            }
            out.extend(
                c.fields
                    .iter()
                    .map(|f| format!("key result {id}: {}", field_summary(f))),
            );
        }
    }
    out
}

/// One line per change: `a1b2c3d  2026-11-20  Alice Example  target 150 → 220`.
pub(crate) fn text(item: &Ref, commits: &[Change], color: bool) -> String {
    let width = commits
        .iter()
        .map(|c| human(&c.author).chars().count())
        .max()
        .unwrap_or(0);
    let yellow = anstyle::AnsiColor::Yellow.on_default();
    let mut s = String::new();
    for c in commits {
        let short = c.commit.get(..7).unwrap_or(&c.commit);
        let id = if color {
            format!("{yellow}{short}{yellow:#}")
        } else {
            short.to_owned()
        };
        for what in summaries(item, &c.changes) {
            s.push_str(&format!(
                "{id}  {}  {:<width$}  {}\n",
                c.date,
                human(&c.author),
                human(&what)
            ));
        }
    }
    s
}

/// The JSON document of `log --format json`.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct LogJson {
    /// 1; raised when a key is removed or renamed.
    pub format_version: super::FormatVersion,
    /// The item whose history this is.
    #[serde(rename = "ref")]
    pub reference: String,
    pub kind: KindJson,
    /// The commits that changed it, newest first.
    pub commits: Vec<CommitJson>,
}

/// One commit that changed the item.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct CommitJson {
    /// The full commit id.
    pub commit: String,
    pub author: String,
    pub email: String,
    /// The author date, YYYY-MM-DD, in the author's time zone.
    pub date: String,
    /// The author time, RFC 3339 with the author's offset.
    pub time: String,
    /// The item's own change, then (for an objective) its key results' changes.
    pub changes: Vec<LogChangeJson>,
}

/// What one commit changed in one item.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct LogChangeJson {
    #[serde(rename = "ref")]
    pub reference: String,
    pub kind: KindJson,
    /// `added` (created), `removed`, `renamed` (a key result of the objective) or `modified`.
    pub change: ChangeJsonKind,
    pub renamed_from: Option<String>,
    /// Every field that changed, the title, start and target included.
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
}

impl From<&ItemChange> for LogChangeJson {
    fn from(c: &ItemChange) -> Self {
        let checkins = |l: &[Checkin]| l.iter().map(CheckinJson::from).collect();
        LogChangeJson {
            reference: c.reference.to_string(),
            kind: c.kind.into(),
            change: c.change.into(),
            renamed_from: c.renamed_from.as_ref().map(Ref::to_string),
            fields: c.fields.iter().map(FieldJson::of).collect(),
            checkins_added: checkins(&c.checkins.added),
            checkins_changed: checkin_pairs(&c.checkins.changed),
            checkins_corrected: checkin_pairs(&c.checkins.corrected),
            checkins_removed: checkins(&c.checkins.removed),
            plan: PlanJson::of(c, true),
        }
    }
}

impl LogJson {
    pub(crate) fn new(item: &Ref, kind: ItemKind, commits: &[Change]) -> LogJson {
        LogJson {
            format_version: super::FormatVersion,
            reference: item.to_string(),
            kind: kind.into(),
            commits: commits
                .iter()
                .map(|c| CommitJson {
                    commit: c.commit.clone(),
                    author: c.author.clone(),
                    email: c.email.clone(),
                    date: c.date.clone(),
                    time: c.time.clone(),
                    changes: c.changes.iter().map(LogChangeJson::from).collect(),
                })
                .collect(),
        }
    }
}

/// The JSON document ([`LogJson`]).
pub(crate) fn json(item: &Ref, kind: ItemKind, commits: &[Change]) -> String {
    let mut s = super::wire::to_string_pretty(&LogJson::new(item, kind, commits))
        .expect("log values serialise: finite numbers");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{ChangeKind, CheckinChanges, FromTo};
    use crate::model::CheckinText;

    fn checkin(date: &str, obs: Observation) -> Checkin {
        Checkin {
            date: Date::parse(date).expect("a date"),
            obs,
            confidence: None,
            text: None,
            span: Default::default(),
        }
    }

    fn kr() -> Ref {
        "growth/onboarding/tickets".parse().expect("a ref")
    }

    fn change(fields: Vec<Field>, checkins: CheckinChanges) -> ItemChange {
        let mut c = ItemChange::new(kr(), ItemKind::KeyResult, ChangeKind::Modified);
        c.fields = fields;
        c.checkins = checkins;
        c
    }

    #[test]
    fn each_kind_of_change_in_words() {
        let mut c75 = checkin("2026-11-20", Observation::Value(75.0));
        c75.confidence = Some(0.6);
        let gone = checkin("2026-11-06", Observation::Value(60.0));
        let was = checkin("2026-11-13", Observation::Value(60.0));
        let mut now = was.clone();
        now.obs = Observation::Value(62.0);
        now.text = CheckinText::boxed(Some("late".into()), None);
        let c = change(
            vec![
                Field::Target(FromTo::new(150.0, 220.0)),
                Field::Unit(FromTo::new(None, Some("%".into()))),
            ],
            CheckinChanges {
                added: vec![c75],
                changed: vec![FromTo::new(was, now)],
                removed: vec![gone],
                ..CheckinChanges::default()
            },
        );
        assert_eq!(
            summaries(&kr(), &[c]),
            vec![
                "target 150 → 220",
                r#"unit none → "%""#,
                "check-in 2026-11-06 removed",
                r#"check-in 2026-11-13 changed 60 → 62, note none → "late""#,
                "check-in 2026-11-20 = 75 (confidence 0.6)",
            ]
        );
        let mut created = change(vec![], CheckinChanges::default());
        created.change = ChangeKind::Added;
        assert_eq!(summaries(&kr(), &[created]), vec!["created"]);
    }

    #[test]
    fn milestones_say_done() {
        let done = checkin("2026-11-02", Observation::Done(true));
        assert_eq!(added_summary(&done), "check-in 2026-11-02 done");
        let not = checkin("2026-11-02", Observation::Done(false));
        assert_eq!(
            changed_summary(&not, &done),
            "check-in 2026-11-02 changed not done → done"
        );
    }

    #[test]
    fn an_objective_names_its_key_results() {
        let objective: Ref = "growth/onboarding".parse().expect("a ref");
        let mut kr_change = change(
            vec![Field::Target(FromTo::new(80.0, 85.0))],
            CheckinChanges::default(),
        );
        kr_change.reference = "growth/onboarding/completion".parse().expect("a ref");
        assert_eq!(
            summaries(&objective, &[kr_change]),
            vec!["key result completion: target 80 → 85"]
        );
    }

    #[test]
    fn the_schema_describes_what_is_printed() {
        let schema = serde_json::to_value(schemars::schema_for!(LogJson)).expect("a schema");
        let keys: Vec<&str> = schema["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .map(String::as_str)
            .collect();
        for k in ["format_version", "ref", "kind", "commits"] {
            assert!(keys.contains(&k), "{keys:?}");
        }
        let diff = serde_json::to_value(schemars::schema_for!(super::super::diff::DiffJson))
            .expect("a schema");
        assert!(diff["properties"]["format_version"].is_object(), "{diff:#}");
        assert!(diff["properties"]["changes"].is_object(), "{diff:#}");
    }

    #[test]
    fn json_is_typed_and_versioned() {
        let c = change(
            vec![Field::Target(FromTo::new(150.0, 220.0))],
            CheckinChanges::default(),
        );
        let commit = Change {
            commit: "a".repeat(40),
            author: "Bob".into(),
            email: "bob@example.com".into(),
            date: "2026-10-10".into(),
            time: "2026-10-10T12:00:00+00:00".into(),
            changes: vec![c],
        };
        let out = json(&kr(), ItemKind::KeyResult, &[commit]);
        assert!(out.starts_with("{\n  \"format_version\": 1,"), "{out}");
        let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        assert_eq!(
            v["commits"][0]["changes"][0]["fields"][0],
            serde_json::json!({"field": "target", "from": 150.0, "to": 220.0})
        );
    }
}
