//! Which items a change touches (SPEC 9), from the engine's changes between a base and a
//! head matched by ref: an item is touched when its definition or its check-ins differ by
//! content (the engine compares check-ins by content, so lines moved by an edit elsewhere
//! touch nothing). `check --base` reports practice lints only about touched items.

use super::change::{ItemChange, ItemKind};
use crate::model::Ref;
use std::collections::HashSet;

/// The items a change touches, and what they belong to.
#[derive(Debug, Default)]
pub(crate) struct Touched {
    /// Objectives and key results by (period, ref); KPIs by ref alone.
    items: HashSet<(ItemKind, Option<String>, Ref)>,
    /// Objectives touched themselves or through one of their key results: (period, ref).
    objectives: HashSet<(String, Ref)>,
    /// (team, period) of every touched objective and key result.
    team_periods: HashSet<(String, String)>,
    /// Teams with a touched KPI.
    kpi_teams: HashSet<String>,
}

impl Touched {
    /// The items that `changes` (compared without renames) touch.
    pub(crate) fn from_changes(changes: &[ItemChange]) -> Touched {
        let mut t = Touched::default();
        // Figures that changed (the sides may be scored) are not a change to the item.
        for c in changes.iter().filter(|c| c.changed_itself()) {
            let team = c.team().to_owned();
            match (c.kind, &c.period) {
                (ItemKind::Kpi, _) => {
                    t.kpi_teams.insert(team);
                }
                (ItemKind::Objective | ItemKind::KeyResult, Some(period)) => {
                    let objective = c.reference.objective().unwrap_or(c.reference.clone());
                    t.objectives.insert((period.clone(), objective));
                    t.team_periods.insert((team, period.clone()));
                }
                (_, None) => {}
            }
            t.items
                .insert((c.kind, c.period.clone(), c.reference.clone()));
        }
        t
    }

    /// Whether the item itself (its definition or check-ins) is touched; `period` is the
    /// objective's period for objectives and key results, `None` for KPIs.
    pub(crate) fn item(&self, kind: ItemKind, period: Option<&str>, reference: &Ref) -> bool {
        self.items
            .contains(&(kind, period.map(str::to_owned), reference.clone()))
    }

    /// Whether the objective `reference` of `period` or one of its key results is touched.
    pub(crate) fn objective(&self, period: &str, reference: &Ref) -> bool {
        self.objectives
            .contains(&(period.to_owned(), reference.clone()))
    }

    /// Whether an objective or key result of `team` in `period` is touched.
    pub(crate) fn team_period(&self, team: &str, period: &str) -> bool {
        self.team_periods
            .contains(&(team.to_owned(), period.to_owned()))
    }

    /// Whether a KPI of `team` is touched.
    pub(crate) fn kpi_of(&self, team: &str) -> bool {
        self.kpi_teams.contains(team)
    }
}
