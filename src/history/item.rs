//! One item as written in one version of one file (a [`Snapshot`]), and the one-line
//! summaries of what changed between two versions ("target 150 → 220", "check-in 2026-11-20
//! = 75"). Pure: bytes in, values out. A snapshot holds the item's own fields (defaults
//! applied, so writing `weight: 1` out is not a change) and its check-ins keyed by date.

use crate::date::Date;
pub use crate::diff::CheckinData;
use crate::load::raw::{RawCheckin, RawFile, RawKeyResult};
use std::collections::BTreeMap;

/// Which item a history is about, as it is named in goal files.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKey {
    Objective {
        team: String,
        period: String,
        id: String,
    },
    KeyResult {
        team: String,
        period: String,
        objective: String,
        id: String,
        /// The objective's period: log check-ins of this ref outside it belong to the same
        /// ref in another period.
        start: Date,
        end: Date,
    },
    Kpi {
        team: String,
        id: String,
    },
}

impl ItemKey {
    /// The ref check-in logs use (`team/kpi`, `team/objective/kr`; objectives take none).
    pub fn reference(&self) -> String {
        match self {
            ItemKey::Objective { team, id, .. } | ItemKey::Kpi { team, id } => {
                format!("{team}/{id}")
            }
            ItemKey::KeyResult {
                team,
                objective,
                id,
                ..
            } => format!("{team}/{objective}/{id}"),
        }
    }

    /// Whether a logged check-in of this ref dated `date` belongs to this item.
    fn takes_log_date(&self, date: &str) -> bool {
        match self {
            ItemKey::Objective { .. } => false,
            ItemKey::Kpi { .. } => true,
            ItemKey::KeyResult { start, end, .. } => {
                Date::parse(date).is_some_and(|d| *start <= d && d <= *end)
            }
        }
    }
}

/// What one check-in of a file version says (the type `diff` reports check-ins with).
impl CheckinData {
    pub fn from_raw(c: &RawCheckin) -> Option<CheckinData> {
        Some(CheckinData {
            date: c.date.as_ref()?.value.to_string(),
            value: c.value.as_ref().map(|v| v.value),
            done: c.done().map(|v| v.value),
            confidence: c.confidence().map(|v| v.value),
            note: c.note().map(|v| v.value.clone()),
            by: c.by().map(|v| v.value.clone()),
        })
    }

    fn observation(&self) -> String {
        match (self.value, self.done) {
            (Some(v), _) => number(v),
            (None, Some(true)) => "done".to_owned(),
            (None, Some(false)) => "not done".to_owned(),
            (None, None) => "no value".to_owned(),
        }
    }
}

/// A field name and its displayed value.
pub type Fields = Vec<(&'static str, String)>;

/// An item in one version of a file. `fields` is `None` when the file does not define it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub fields: Option<Fields>,
    /// For an objective: its key results' fields, by id, in file order.
    pub children: Vec<(String, Fields)>,
    /// By date; the first of duplicates wins (the validator reports the rest).
    pub checkins: BTreeMap<String, CheckinData>,
}

impl Snapshot {
    /// Whether this version of the file says anything about the item.
    pub fn is_empty(&self) -> bool {
        self.fields.is_none() && self.checkins.is_empty()
    }

    /// Reads the item out of a parsed file: its definition (if `define`) and the check-ins
    /// of its ref in the file's `checkins:` log.
    pub fn of(raw: &RawFile, key: &ItemKey, define: bool) -> Snapshot {
        let mut s = Snapshot::default();
        if define {
            s.define(raw, key);
        }
        let reference = key.reference();
        for c in raw.checkins.iter().flatten() {
            if c.reference().is_some_and(|r| r.value == reference) {
                s.add_logged(c, key);
            }
        }
        s
    }

    /// Adds one logged check-in if it is this item's.
    pub fn add_logged(&mut self, c: &RawCheckin, key: &ItemKey) {
        if let Some(v) = CheckinData::from_raw(c)
            && key.takes_log_date(&v.date)
        {
            self.checkins.entry(v.date.clone()).or_insert(v);
        }
    }

    fn add_inline(&mut self, list: &Option<Vec<RawCheckin>>) {
        for v in list.iter().flatten().filter_map(CheckinData::from_raw) {
            self.checkins.entry(v.date.clone()).or_insert(v);
        }
    }

    fn define(&mut self, raw: &RawFile, key: &ItemKey) {
        let team = raw.team.as_ref().map(|t| t.value.as_str());
        let period = raw.period.as_ref().map(|p| p.value.as_str());
        let id_is = |id: &Option<crate::load::raw::Sp<String>>, want: &str| {
            id.as_ref().is_some_and(|i| i.value == want)
        };
        match key {
            ItemKey::Kpi { team: t, id } if team == Some(t.as_str()) => {
                if let Some(k) = raw.kpis.iter().flatten().find(|k| id_is(&k.id, id)) {
                    let mut f: Fields = Vec::new();
                    push_str(&mut f, "title", &k.title);
                    push_str(&mut f, "unit", &k.unit);
                    push(
                        &mut f,
                        "better",
                        k.better.as_ref().map(|b| b.value.as_str()),
                    );
                    push_num(&mut f, "target", &k.target);
                    push_num(&mut f, "critical", &k.critical);
                    let cadence = k.cadence.as_ref().map_or("weekly", |c| c.value.as_str());
                    f.push(("cadence", cadence.to_owned()));
                    push_str(&mut f, "owner", &k.owner);
                    self.fields = Some(f);
                    self.add_inline(&k.checkins);
                }
            }
            ItemKey::Objective {
                team: t,
                period: p,
                id,
            } if team == Some(t.as_str()) && period == Some(p.as_str()) => {
                if let Some(o) = raw.objectives.iter().flatten().find(|o| id_is(&o.id, id)) {
                    let mut f: Fields = Vec::new();
                    push_str(&mut f, "title", &o.title);
                    push_str(&mut f, "owner", &o.owner);
                    let commitment = o
                        .commitment
                        .as_ref()
                        .map_or("aspirational", |c| c.value.as_str());
                    f.push(("commitment", commitment.to_owned()));
                    push(
                        &mut f,
                        "parent",
                        o.parent.as_ref().map(|p| p.value.as_str()),
                    );
                    if let Some(g) = &o.guardrails {
                        let g: Vec<&str> = g.iter().map(|r| r.value.as_str()).collect();
                        f.push(("guardrails", format!("[{}]", g.join(", "))));
                    }
                    self.fields = Some(f);
                    for kr in o.key_results.iter().flatten() {
                        if let Some(id) = &kr.id
                            && !self.children.iter().any(|(c, _)| *c == id.value)
                        {
                            self.children.push((id.value.clone(), kr_fields(kr)));
                        }
                    }
                }
            }
            ItemKey::KeyResult {
                team: t,
                period: p,
                objective,
                id,
                ..
            } if team == Some(t.as_str()) && period == Some(p.as_str()) => {
                let kr = raw
                    .objectives
                    .iter()
                    .flatten()
                    .find(|o| id_is(&o.id, objective))
                    .and_then(|o| o.key_results.iter().flatten().find(|k| id_is(&k.id, id)));
                if let Some(kr) = kr {
                    self.fields = Some(kr_fields(kr));
                    self.add_inline(&kr.checkins);
                }
            }
            _ => {}
        }
    }
}

fn kr_fields(kr: &RawKeyResult) -> Fields {
    let mut f: Fields = Vec::new();
    push_str(&mut f, "title", &kr.title);
    let kind = kr.kind.as_ref().map_or("metric", |k| k.value.as_str());
    f.push(("kind", kind.to_owned()));
    push_num(&mut f, "start", &kr.start);
    push_num(&mut f, "target", &kr.target);
    push_str(&mut f, "unit", &kr.unit);
    f.push((
        "weight",
        number(kr.weight.as_ref().map_or(1.0, |w| w.value)),
    ));
    push(&mut f, "kpi", kr.kpi.as_ref().map(|k| k.value.as_str()));
    f
}

fn push(f: &mut Fields, name: &'static str, v: Option<&str>) {
    if let Some(v) = v {
        f.push((name, v.to_owned()));
    }
}

fn push_str(f: &mut Fields, name: &'static str, v: &Option<crate::load::raw::Sp<String>>) {
    if let Some(v) = v {
        f.push((name, format!("{:?}", v.value)));
    }
}

fn push_num(f: &mut Fields, name: &'static str, v: &Option<crate::load::raw::Sp<f64>>) {
    if let Some(v) = v {
        f.push((name, number(v.value)));
    }
}

/// A number at full precision without float noise: `150`, `6.1`, `0.125`.
pub fn number(x: f64) -> String {
    format!("{x}")
}

/// "target 150 → 220", "unit none → \"%\"": one entry per field that differs.
pub fn field_changes(old: &Fields, new: &Fields) -> Vec<String> {
    let get = |f: &Fields, name: &str| f.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone());
    let mut names: Vec<&'static str> = new.iter().map(|(n, _)| *n).collect();
    for (n, _) in old {
        if !names.contains(n) {
            names.push(n);
        }
    }
    let mut out = Vec::new();
    for name in names {
        let (a, b) = (get(old, name), get(new, name));
        if a != b {
            let show = |v: Option<String>| v.unwrap_or_else(|| "none".to_owned());
            out.push(format!("{name} {} → {}", show(a), show(b)));
        }
    }
    out
}

/// The summaries of the item's own changes between two snapshots ("created", "removed",
/// field moves, key results added or changed). Check-ins are compared by [`checkin_changes`].
pub fn definition_changes(old: &Snapshot, new: &Snapshot) -> Vec<String> {
    match (&old.fields, &new.fields) {
        (None, Some(_)) => vec!["created".to_owned()],
        (Some(_), None) => vec!["removed".to_owned()],
        (None, None) => Vec::new(),
        (Some(a), Some(b)) => {
            let mut out = field_changes(a, b);
            for (id, f) in &new.children {
                match old.children.iter().find(|(o, _)| o == id) {
                    None => out.push(format!("key result {id} added")),
                    Some((_, g)) => out.extend(
                        field_changes(g, f)
                            .into_iter()
                            .map(|c| format!("key result {id}: {c}")),
                    ),
                }
            }
            for (id, _) in &old.children {
                if !new.children.iter().any(|(n, _)| n == id) {
                    out.push(format!("key result {id} removed"));
                }
            }
            out
        }
    }
}

/// Pairs removed and added check-ins by date: a date on both sides is a change (or nothing,
/// when identical: a check-in moved between files or lines), one side only is an addition
/// or a removal. Summaries come sorted by date.
pub fn checkin_changes(removed: &[CheckinData], added: &[CheckinData]) -> Vec<String> {
    let mut by_date: BTreeMap<&str, (Option<&CheckinData>, Option<&CheckinData>)> = BTreeMap::new();
    for r in removed {
        by_date.entry(&r.date).or_default().0.get_or_insert(r);
    }
    for a in added {
        by_date.entry(&a.date).or_default().1.get_or_insert(a);
    }
    let mut out = Vec::new();
    for (date, pair) in by_date {
        match pair {
            (None, Some(a)) => out.push(added_summary(a)),
            (Some(_), None) => out.push(format!("check-in {date} removed")),
            (Some(r), Some(a)) if r != a => out.push(changed_summary(r, a)),
            _ => {}
        }
    }
    out
}

/// "check-in 2026-11-20 = 75 (confidence 0.6)", "check-in 2026-11-20 done".
pub fn added_summary(c: &CheckinData) -> String {
    let mut s = match (c.value, c.done) {
        (Some(v), _) => format!("check-in {} = {}", c.date, number(v)),
        _ => format!("check-in {} {}", c.date, c.observation()),
    };
    let mut extra = Vec::new();
    if let Some(conf) = c.confidence {
        extra.push(format!("confidence {}", number(conf)));
    }
    if let Some(by) = &c.by {
        extra.push(format!("by {by}"));
    }
    if !extra.is_empty() {
        s.push_str(&format!(" ({})", extra.join(", ")));
    }
    if let Some(note) = &c.note {
        s.push_str(&format!(" — {note}"));
    }
    s
}

/// "check-in 2026-11-06 changed 60 → 62", listing every part that differs.
pub fn changed_summary(old: &CheckinData, new: &CheckinData) -> String {
    let mut parts = Vec::new();
    if old.observation() != new.observation() {
        parts.push(format!("{} → {}", old.observation(), new.observation()));
    }
    let opt_num = |x: Option<f64>| x.map_or("none".to_owned(), number);
    let opt_str = |x: &Option<String>| x.as_ref().map_or("none".to_owned(), |s| format!("{s:?}"));
    if old.confidence != new.confidence {
        parts.push(format!(
            "confidence {} → {}",
            opt_num(old.confidence),
            opt_num(new.confidence)
        ));
    }
    if old.note != new.note {
        parts.push(format!(
            "note {} → {}",
            opt_str(&old.note),
            opt_str(&new.note)
        ));
    }
    if old.by != new.by {
        parts.push(format!("by {} → {}", opt_str(&old.by), opt_str(&new.by)));
    }
    format!("check-in {} changed {}", new.date, parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse_file;

    fn view(date: &str, value: f64) -> CheckinData {
        CheckinData {
            date: date.to_owned(),
            value: Some(value),
            done: None,
            confidence: None,
            note: None,
            by: None,
        }
    }

    fn kr_key() -> ItemKey {
        ItemKey::KeyResult {
            team: "growth".into(),
            period: "2026-Q4".into(),
            objective: "onboarding".into(),
            id: "tickets".into(),
            start: Date::parse("2026-10-01").unwrap(),
            end: Date::parse("2026-12-31").unwrap(),
        }
    }

    fn snap(text: &str, key: &ItemKey) -> Snapshot {
        let (raw, _) = parse_file(0, text);
        Snapshot::of(&raw.unwrap(), key, true)
    }

    const FILE: &str = "team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: onboarding\n    title: Onboard\n    key_results:\n      - id: tickets\n        title: Fewer tickets\n        start: 250\n        target: TARGET\n        checkins:\n          - { date: 2026-10-05, value: 240 }\n      - id: other\n        title: Other\n        start: 1\n        target: 2\ncheckins:\n  - { ref: growth/onboarding/tickets, date: 2026-11-20, value: 75, confidence: 0.6 }\n  - { ref: growth/onboarding/tickets, date: 2026-07-01, value: 1 }\n";

    #[test]
    fn a_target_move_is_one_field_change() {
        let key = kr_key();
        let a = snap(&FILE.replace("TARGET", "150"), &key);
        let b = snap(&FILE.replace("TARGET", "220"), &key);
        assert_eq!(definition_changes(&a, &b), vec!["target 150 → 220"]);
        assert!(checkin_changes(&[], &[]).is_empty());
        // Inline and logged check-ins, the log one outside the period left out.
        assert_eq!(
            a.checkins.keys().collect::<Vec<_>>(),
            vec!["2026-10-05", "2026-11-20"]
        );
        assert_eq!(
            definition_changes(&Snapshot::default(), &a),
            vec!["created"]
        );
        assert_eq!(
            definition_changes(&a, &Snapshot::default()),
            vec!["removed"]
        );
    }

    #[test]
    fn defaults_written_out_are_not_changes() {
        let key = kr_key();
        let a = snap(&FILE.replace("TARGET", "150"), &key);
        let b = snap(
            &FILE.replace("TARGET", "150\n        weight: 1\n        kind: metric"),
            &key,
        );
        assert!(definition_changes(&a, &b).is_empty());
        let c = snap(&FILE.replace("TARGET", "150\n        unit: \"%\""), &key);
        assert_eq!(definition_changes(&a, &c), vec![r#"unit none → "%""#]);
    }

    #[test]
    fn objectives_list_their_key_results_changes() {
        let key = ItemKey::Objective {
            team: "growth".into(),
            period: "2026-Q4".into(),
            id: "onboarding".into(),
        };
        let a = snap(&FILE.replace("TARGET", "150"), &key);
        let b = snap(
            &FILE
                .replace("TARGET", "160")
                .replace("title: Onboard", "title: Onboard all"),
            &key,
        );
        assert_eq!(
            definition_changes(&a, &b),
            vec![
                r#"title "Onboard" → "Onboard all""#,
                "key result tickets: target 150 → 160"
            ]
        );
        assert!(a.checkins.is_empty(), "objectives take no check-ins");
    }

    #[test]
    fn kpi_thresholds_and_logged_checkins() {
        let key = ItemKey::Kpi {
            team: "growth".into(),
            id: "churn".into(),
        };
        let file = "team: growth\nkpis:\n  - id: churn\n    title: Churn\n    better: lower\n    target: 5\nEXTRAcheckins:\n  - { ref: growth/churn, date: 2020-01-31, value: 4.8 }\n  - { ref: growth/other, date: 2020-01-31, value: 1 }\n";
        let a = snap(&file.replace("EXTRA", ""), &key);
        let b = snap(
            &file.replace("EXTRA", "    critical: 7\n    cadence: weekly\n"),
            &key,
        );
        assert_eq!(definition_changes(&a, &b), vec!["critical none → 7"]);
        // Any date counts for a KPI; other refs do not.
        assert_eq!(a.checkins.keys().collect::<Vec<_>>(), vec!["2020-01-31"]);
        // A file that only logs check-ins holds no definition.
        let (raw, _) = parse_file(0, &file.replace("EXTRA", ""));
        let log = Snapshot::of(&raw.unwrap(), &key, false);
        assert!(log.fields.is_none() && !log.is_empty());
    }

    #[test]
    fn checkins_pair_by_date() {
        let mut c = view("2026-11-20", 75.0);
        c.confidence = Some(0.6);
        assert_eq!(
            checkin_changes(&[], &[c.clone()]),
            vec!["check-in 2026-11-20 = 75 (confidence 0.6)"]
        );
        assert_eq!(
            checkin_changes(&[view("2026-11-06", 60.0)], &[]),
            vec!["check-in 2026-11-06 removed"]
        );
        assert_eq!(
            checkin_changes(&[view("2026-11-06", 60.0)], &[view("2026-11-06", 62.0)]),
            vec!["check-in 2026-11-06 changed 60 → 62"]
        );
        // Moved, not changed.
        assert!(checkin_changes(&[c.clone()], &[c.clone()]).is_empty());
        let mut d = c.clone();
        d.note = Some("late".into());
        assert_eq!(
            checkin_changes(&[c], &[d]),
            vec![r#"check-in 2026-11-20 changed note none → "late""#]
        );
    }

    #[test]
    fn milestones_say_done() {
        let mut c = view("2026-11-02", 0.0);
        c.value = None;
        c.done = Some(true);
        assert_eq!(added_summary(&c), "check-in 2026-11-02 done");
        let mut d = c.clone();
        d.done = Some(false);
        assert_eq!(
            changed_summary(&d, &c),
            "check-in 2026-11-02 changed not done → done"
        );
    }
}
