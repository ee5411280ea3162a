//! What goal files that could not be read would have defined, as far as can be told, so
//! that references into them are not blamed as unknown (`unknown-ref`) or misdated
//! (`checkin-outside-period`): one YAML error is reported once, as itself. A file counts as
//! unread when it did not parse (its text is scanned for `team:` and `id:`), or when its
//! `team` or `period` was missing or invalid (its items are known, but were not built).

use crate::model::{Ref, is_slug};
use std::collections::HashSet;

#[derive(Debug, Default, Clone)]
pub(crate) struct Unread {
    /// (team, id) of objectives and KPIs of unread files whose team is known.
    pairs: HashSet<(String, String)>,
    /// Ids of unread files whose team is not known.
    any_team: HashSet<String>,
    /// Teams of unread files in which no id could be found: any of their refs may be there.
    teams: HashSet<String>,
}

impl Unread {
    /// Records a file that could not be parsed, from what its text shows: a top-level
    /// `team:` line and every `id:` (block or flow style) whose value is a slug. Key
    /// results' ids are recorded too; they only widen what is not blamed.
    pub(crate) fn scan(&mut self, text: &str) {
        let mut team = None;
        let mut ids = Vec::new();
        for line in text.lines() {
            if let Some(v) = line.strip_prefix("team:") {
                team = slug_at(v);
            }
            let mut rest = line;
            while let Some(i) = rest.find("id:") {
                let before = rest[..i].chars().next_back();
                if before.is_none_or(|c| c == ' ' || c == '{' || c == ',' || c == '-')
                    && let Some(id) = slug_at(&rest[i + 3..])
                {
                    ids.push(id);
                }
                rest = &rest[i + 3..];
            }
        }
        self.add(team.as_deref(), ids);
    }

    /// Records the items of a file whose `team` (then `team` is `None`) or `period` failed.
    pub(crate) fn add(&mut self, team: Option<&str>, ids: impl IntoIterator<Item = String>) {
        let mut any = false;
        for id in ids {
            any = true;
            match team {
                Some(t) => {
                    self.pairs.insert((t.to_owned(), id));
                }
                None => {
                    self.any_team.insert(id);
                }
            }
        }
        if let (Some(t), false) = (team, any) {
            self.teams.insert(t.to_owned());
        }
    }

    /// Adds what `other` records.
    pub(crate) fn extend(&mut self, other: Unread) {
        self.pairs.extend(other.pairs);
        self.any_team.extend(other.any_team);
        self.teams.extend(other.teams);
    }

    /// Whether `reference` (`team/id` or `team/objective/kr`) may name an item of an
    /// unread file: whether its team's objective or KPI `id` may be defined there.
    pub(crate) fn covers(&self, reference: &Ref) -> bool {
        let (team, id) = match reference {
            Ref::Item { team, id } => (team, id),
            Ref::KeyResult {
                team, objective, ..
            } => (team, objective),
        };
        self.teams.contains(team)
            || self.any_team.contains(id)
            || self.pairs.contains(&(team.clone(), id.clone()))
    }
}

/// The slug a YAML value starts with (after spaces and an optional quote), if any.
fn slug_at(v: &str) -> Option<String> {
    let v = v.trim_start().trim_start_matches(['"', '\'']);
    let end = v
        .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'))
        .unwrap_or(v.len());
    let s = &v[..end];
    is_slug(s).then(|| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Ref {
        s.parse().expect("a ref")
    }

    #[test]
    fn a_broken_file_covers_what_it_shows() {
        let mut u = Unread::default();
        u.scan("team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: onboarding\n    title: \"Onb\n    key_results:\n      - { id: completion, title: C }\nkpis:\n  - id: 'churn'\n    kpi_id: nope\n");
        assert!(u.covers(&r("growth/churn")));
        assert!(u.covers(&r("growth/onboarding/completion")));
        assert!(!u.covers(&r("growth/chrun")), "a typo is still a typo");
        assert!(!u.covers(&r("growth/nope")), "`kpi_id:` is not `id:`");
        assert!(!u.covers(&r("sales/churn")));
        // No team line: its ids, in any team.
        let mut u = Unread::default();
        u.scan("team: [growth\nkpis:\n  - id: nps\n");
        assert!(u.covers(&r("growth/nps")) && u.covers(&r("sales/nps")));
        assert!(!u.covers(&r("growth/churn")));
        // A team and no ids: anything of that team.
        let mut u = Unread::default();
        u.scan("team: growth\nobjectives: [\n");
        assert!(u.covers(&r("growth/anything")) && !u.covers(&r("sales/x")));
        // Nothing recognisable: nothing covered.
        let mut u = Unread::default();
        u.scan("\u{0}\u{1} garbage");
        assert!(!u.covers(&r("growth/churn")));
    }
}
