//! How items are named: typed ids (positions in the validated [`Goals`](super::Goals), for
//! code) and [`Ref`]s (`team/objective`, `team/objective/kr`, `team/kpi`, for people and
//! files). A ref is parsed once ([`Ref::from_str`](std::str::FromStr)) and written once
//! ([`Display`](std::fmt::Display)); nothing else formats or splits refs.

use std::fmt;
use std::str::FromStr;

/// An objective of [`Goals`](super::Goals) (its position in `objectives`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectiveId(u32);

/// A KPI of [`Goals`](super::Goals) (its position in `kpis`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KpiId(u32);

/// A key result: its objective and its position among the objective's key results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KrId {
    pub objective: ObjectiveId,
    pub index: u32,
}

/// The bit that marks the id of an item of an upstream snapshot (SPEC 13): such an id
/// counts in [`Upstream`](super::Upstream)'s lists, not in the repository's own. Its
/// [`ObjectiveId::index`] is past the end of any list of the repository's own items, so it
/// can never be taken for one of them (indexing panics, `get` gives `None`).
const UPSTREAM: u32 = 1 << 31;

impl ObjectiveId {
    /// The `n`th objective.
    pub fn new(n: usize) -> ObjectiveId {
        ObjectiveId(id32(n) & !UPSTREAM)
    }
    /// The `n`th objective of the upstream snapshots.
    pub fn upstream(n: usize) -> ObjectiveId {
        ObjectiveId(id32(n) | UPSTREAM)
    }
    /// Whether it is an upstream objective.
    pub fn is_upstream(self) -> bool {
        self.0 & UPSTREAM != 0
    }
    /// Its position among the upstream objectives, if it is one.
    pub fn upstream_index(self) -> Option<usize> {
        self.is_upstream().then_some((self.0 & !UPSTREAM) as usize)
    }
    pub fn index(self) -> usize {
        self.0 as usize
    }
    /// Its `n`th key result.
    pub fn kr(self, n: usize) -> KrId {
        KrId {
            objective: self,
            index: u32::try_from(n).unwrap_or(u32::MAX),
        }
    }
}

impl KpiId {
    /// The `n`th KPI.
    pub fn new(n: usize) -> KpiId {
        KpiId(id32(n) & !UPSTREAM)
    }
    /// The `n`th KPI of the upstream snapshots.
    pub fn upstream(n: usize) -> KpiId {
        KpiId(id32(n) | UPSTREAM)
    }
    /// Whether it is an upstream KPI.
    pub fn is_upstream(self) -> bool {
        self.0 & UPSTREAM != 0
    }
    /// Its position among the upstream KPIs, if it is one.
    pub fn upstream_index(self) -> Option<usize> {
        self.is_upstream().then_some((self.0 & !UPSTREAM) as usize)
    }
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The id of the `n`th item of a list (lists of goals stay far below `u32::MAX`: the load
/// caps files and bytes).
pub(crate) fn id32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The upstream of a team name (`company` of `company:acme`): items of an upstream
/// snapshot carry its name in their team (SPEC 13), so that they are always shown with it.
pub(crate) fn upstream_of(team: &str) -> Option<&str> {
    team.split_once(':').map(|(u, _)| u)
}

/// A slug: `^[a-z0-9][a-z0-9_-]{0,62}$`.
pub(crate) fn is_slug(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_' || *c == b'-')
}

/// A reference to an objective, a key result or a KPI, as written in goal files and on the
/// command line. Objectives and KPIs of a team share one namespace, so `team/id` alone does
/// not say which it is: [`Ref::Item`] until it is resolved against the goals.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ref {
    /// `team/id`: an objective or a KPI.
    Item { team: String, id: String },
    /// `team/objective/kr`.
    KeyResult {
        team: String,
        objective: String,
        id: String,
    },
}

impl Ref {
    pub fn item(team: &str, id: &str) -> Ref {
        Ref::Item {
            team: team.to_owned(),
            id: id.to_owned(),
        }
    }

    pub fn key_result(team: &str, objective: &str, id: &str) -> Ref {
        Ref::KeyResult {
            team: team.to_owned(),
            objective: objective.to_owned(),
            id: id.to_owned(),
        }
    }

    pub fn team(&self) -> &str {
        match self {
            Ref::Item { team, .. } | Ref::KeyResult { team, .. } => team,
        }
    }

    /// The upstream a ref points into (`company` of `company:acme/grow`), if any.
    pub fn upstream(&self) -> Option<&str> {
        upstream_of(self.team())
    }

    /// The objective a key-result ref points into (`team/objective`).
    pub fn objective(&self) -> Option<Ref> {
        match self {
            Ref::KeyResult {
                team, objective, ..
            } => Some(Ref::item(team, objective)),
            Ref::Item { .. } => None,
        }
    }
}

impl fmt::Display for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ref::Item { team, id } => write!(f, "{team}/{id}"),
            Ref::KeyResult {
                team,
                objective,
                id,
            } => write!(f, "{team}/{objective}/{id}"),
        }
    }
}

/// Why a text is not a ref.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    #[error(
        "a reference has two or three parts separated by `/` (`team/objective`, `team/objective/kr` or `team/kpi`)"
    )]
    Parts,
    #[error(
        "`{0}` is not a slug (lowercase letters, digits, `-` and `_`, starting with a letter or digit)"
    )]
    Slug(String),
}

impl FromStr for Ref {
    type Err = RefError;

    fn from_str(s: &str) -> Result<Ref, RefError> {
        let parts: Vec<&str> = s.split('/').collect();
        if (2..=3).contains(&parts.len()) {
            // The team may carry an upstream's name: `NAME:team` (SPEC 13).
            let (upstream, team) = match parts[0].split_once(':') {
                Some((u, t)) => (Some(u), t),
                None => (None, parts[0]),
            };
            if let Some(bad) = upstream
                .into_iter()
                .chain(std::iter::once(team))
                .chain(parts[1..].iter().copied())
                .find(|p| !is_slug(p))
            {
                return Err(RefError::Slug(bad.to_owned()));
            }
        }
        match parts.as_slice() {
            [team, id] => Ok(Ref::item(team, id)),
            [team, objective, id] => Ok(Ref::key_result(team, objective, id)),
            _ => Err(RefError::Parts),
        }
    }
}

impl serde::Serialize for Ref {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A ref written from borrowed parts, for outputs: like [`Ref`] but without allocating,
/// so printing thousands of refs costs no memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefParts<'a> {
    Item(&'a str, &'a str),
    KeyResult(&'a str, &'a str, &'a str),
}

impl fmt::Display for RefParts<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefParts::Item(team, id) => write!(f, "{team}/{id}"),
            RefParts::KeyResult(team, objective, id) => write!(f, "{team}/{objective}/{id}"),
        }
    }
}

impl serde::Serialize for RefParts<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl schemars::JsonSchema for RefParts<'_> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        Ref::schema_name()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Ref::json_schema(g)
    }
}

impl schemars::JsonSchema for Ref {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Ref".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^([a-z0-9][a-z0-9_-]{0,62}:)?[a-z0-9][a-z0-9_-]{0,62}(/[a-z0-9][a-z0-9_-]{0,62}){1,2}$",
            "description": "`team/objective`, `team/objective/kr` or `team/kpi`; an upstream's item is prefixed with the upstream's name, `company:team/objective`."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_round_trip() {
        for s in ["growth/churn", "growth/onboarding/tickets", "a-1/b_2"] {
            let r: Ref = s.parse().unwrap();
            assert_eq!(r.to_string(), s);
        }
        let r: Ref = "growth/onboarding/tickets".parse().unwrap();
        assert_eq!(r.team(), "growth");
        assert_eq!(r.objective(), Some(Ref::item("growth", "onboarding")));
        assert_eq!("growth".parse::<Ref>(), Err(RefError::Parts));
        assert_eq!("a/b/c/d".parse::<Ref>(), Err(RefError::Parts));
        assert_eq!("a//b".parse::<Ref>(), Err(RefError::Slug(String::new())));
        assert_eq!(
            "Growth/x".parse::<Ref>(),
            Err(RefError::Slug("Growth".into()))
        );
    }

    #[test]
    fn slugs() {
        assert!(is_slug("growth") && is_slug("d7-retention") && is_slug("a_1"));
        assert!(!is_slug("") && !is_slug("Growth") && !is_slug("-x") && !is_slug(&"a".repeat(64)));
    }
}
