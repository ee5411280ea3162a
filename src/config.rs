//! `goalpost.toml`: where goal files live, thresholds, lint severities and custom periods.
//! Unknown keys are errors; no file means every default. `[sources]` (for `goalpost pull`)
//! is checked in [`sources`].

pub(crate) mod sources;
pub(crate) mod upstreams;

use crate::date::Date;
use crate::diag::{Code, Diagnostic, Severity, Span, suggest};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The configuration in force.
#[derive(Debug, Clone)]
pub struct Config {
    pub roots: Vec<String>,
    pub checkin_log: String,
    pub stale_days: i64,
    pub at_risk_gap: f64,
    pub off_track_gap: f64,
    /// Per-code severity overrides; `None` turns a lint off.
    pub lints: BTreeMap<Code, Option<Severity>>,
    pub periods: BTreeMap<String, (Date, Date)>,
    /// `[sources.NAME]`: where `goalpost pull` fetches KPI values.
    pub sources: BTreeMap<String, sources::Source>,
    /// `name`: how other repositories' upstream tables name this one (SPEC 13).
    pub name: Option<String>,
    /// `[upstreams.NAME]`: the repositories whose goals this one vendors.
    pub upstreams: BTreeMap<String, upstreams::Upstream>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            roots: vec!["goals".to_owned()],
            checkin_log: "goals/checkins.yaml".to_owned(),
            stale_days: 14,
            at_risk_gap: 0.10,
            off_track_gap: 0.25,
            lints: BTreeMap::new(),
            periods: BTreeMap::new(),
            sources: BTreeMap::new(),
            name: None,
            upstreams: BTreeMap::new(),
        }
    }
}

impl Config {
    /// The severity of `code` under this configuration; `None` when turned off.
    pub fn severity(&self, code: Code) -> Option<Severity> {
        match self.lints.get(&code) {
            Some(s) => *s,
            None => Some(code.default_severity()),
        }
    }
}

// The `///` lines of these types are the descriptions in goalpost.toml's JSON Schema
// (`crate::schema::config_json`), which editors show on hover.
/// goalpost configuration. Every key is optional; no file means every default.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "goalpost.toml")]
pub(crate) struct RawConfig {
    /// Folders (relative to this file, inside the repository) whose `*.yaml` / `*.yml` files
    /// are goal files. Default `["goals"]`.
    roots: Option<Vec<String>>,
    /// Where `goalpost checkin` appends check-ins. Default `"goals/checkins.yaml"`.
    checkin_log: Option<String>,
    /// A key result with no check-in for this many days is stale. Default 14.
    #[schemars(range(min = 1))]
    stale_days: Option<i64>,
    /// When a key result or objective is at risk or off track.
    status: Option<RawStatus>,
    /// Severity of each practice lint: "error", "warning" or "off".
    #[schemars(with = "Option<LintLevels>")]
    lints: Option<BTreeMap<String, String>>,
    /// Named periods beyond the built-in forms (2026-Q4, 2026-H2, 2026, 2026-11), usable as
    /// a goal file's `period`.
    periods: Option<BTreeMap<String, RawPeriod>>,
    /// Data sources of `goalpost pull`, by name: a Prometheus server or a CSV file in the
    /// repository. A KPI names one with `source: { from: NAME }`.
    #[schemars(extend("propertyNames" = { "pattern": "^[a-z0-9][a-z0-9_-]{0,62}$" }))]
    sources: Option<BTreeMap<String, sources::RawSource>>,
    /// This repository's name for the repositories that vendor it as an upstream: their
    /// objectives whose parent is `NAME:team/objective` are shown under this repository's
    /// objective (the roll-up). A slug.
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9_-]{0,62}$"))]
    name: Option<String>,
    /// Repositories whose goals this one refers to (`NAME:team/objective` in `parent`,
    /// `NAME:team/kpi` in `guardrails` and `kpi`), vendored by `goalpost upstream update`.
    #[schemars(extend("propertyNames" = { "pattern": "^[a-z0-9][a-z0-9_-]{0,62}$" }))]
    upstreams: Option<BTreeMap<String, upstreams::RawUpstream>>,
}

/// Status thresholds, as fractions of a key result's whole change (0–1).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Status")]
struct RawStatus {
    /// At risk when progress trails the expected pace by more than this. Default 0.10.
    #[schemars(range(min = 0.0, max = 1.0))]
    at_risk_gap: Option<f64>,
    /// Off track when progress trails the expected pace by more than this (at least
    /// `at_risk_gap`). Default 0.25.
    #[schemars(range(min = 0.0, max = 1.0))]
    off_track_gap: Option<f64>,
}

/// A named period: its first and last day, both inclusive.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Period")]
struct RawPeriod {
    /// First day, a TOML date such as `2026-10-01` (no quotes).
    #[schemars(with = "crate::date::DateShape")]
    start: toml::value::Datetime,
    /// Last day, a TOML date such as `2026-12-31` (no quotes).
    #[schemars(with = "crate::date::DateShape")]
    end: toml::value::Datetime,
}

/// Schema only: `[lints]`, a table of practice lints. Its keys (each lint's code, summary
/// and levels) come from the lint registry, which uses this configuration: so
/// `crate::schema::config_json` fills them in (`properties`), and `config` stays below `lint`.
struct LintLevels;

impl JsonSchema for LintLevels {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "LintLevels".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "properties": {},
            "additionalProperties": false,
            "description": "goalpost.toml `[lints]`: one key per practice lint, each \"error\", \"warning\" or \"off\"."
        })
    }
}

const KEYS: &[&str] = &[
    "roots",
    "checkin_log",
    "stale_days",
    "status",
    "lints",
    "periods",
    "sources",
    "name",
    "upstreams",
];

/// Parses goalpost.toml (`file` is its index among the sources, for spans).
pub fn parse(text: &str, file: u32) -> Result<Config, Vec<Diagnostic>> {
    let at = |range: Option<std::ops::Range<usize>>| -> Span {
        let r = range.unwrap_or(0..0);
        let (line, col) = line_col(text, r.start);
        Span {
            file,
            line,
            col,
            start: u32::try_from(r.start).unwrap_or(u32::MAX),
            len: u32::try_from(r.len()).unwrap_or(0),
        }
    };
    let raw: RawConfig = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let msg = e.message().trim().to_owned();
            let mut d = Diagnostic::new(
                Code::InvalidConfig,
                at(e.span()),
                format!("goalpost.toml: {msg}"),
            );
            if let Some(key) = msg
                .strip_prefix("unknown field `")
                .and_then(|r| r.split('`').next())
            {
                // A source's table is read as a whole (its `kind` picks the keys), so the
                // error spans the table: point at the key itself.
                if let Some(r) = e.span()
                    && let Some(table) = text.get(r.start..)
                    && let Some(i) = table.find(&format!("\n{key}"))
                    && !table[..i].contains("\n[")
                {
                    let start = r.start + i + 1;
                    d.span = at(Some(start..start + key.len()));
                }
                let pool: &[&str] = match () {
                    _ if msg.contains("at_risk_gap") => &["at_risk_gap", "off_track_gap"],
                    _ if msg.contains("`start`") => &["start", "end"],
                    _ if msg.contains("`ref`") => upstreams::KEYS,
                    _ if msg.contains("`url`") || msg.contains("`path`") => {
                        &["kind", "url", "token_env", "timeout_secs", "path"]
                    }
                    _ => KEYS,
                };
                if let Some(s) = suggest(key, pool.iter().copied()) {
                    d = d.did_you_mean(s);
                }
            }
            if d.help.is_none() {
                d = d.help("see the goalpost.toml section of the README for every key");
            }
            return Err(vec![d]);
        }
    };
    let find = |needle: &str| -> Span { at(text.find(needle).map(|i| i..i + needle.len())) };
    let mut diags = Vec::new();
    let mut cfg = Config::default();
    if let Some(roots) = raw.roots {
        // Roots are written in order: search each from where the last was found, so that a
        // list of 60,000 bad roots is not 60,000 searches of the whole file.
        let mut from = 0;
        for r in &roots {
            let problem = if !is_contained(r) {
                Some("leaves the repository")
            } else if r.split('/').any(crate::fsutil::is_hidden) {
                Some("is hidden; goalpost never reads hidden files or directories")
            } else {
                None
            };
            let found = text.get(from..).and_then(|t| t.find(r.as_str()));
            if let Some(i) = found {
                from += i + r.len();
            }
            if let Some(problem) = problem {
                let span = match found {
                    Some(_) => at(Some(from - r.len()..from)),
                    None => find(r),
                };
                diags.push(
                    Diagnostic::new(Code::InvalidConfig, span, format!("root `{r}` {problem}"))
                        .help("roots are relative paths inside the repository, such as \"goals\""),
                );
            }
        }
        cfg.roots = roots;
    }
    if let Some(log) = raw.checkin_log {
        if !is_contained(&log) {
            diags.push(
                Diagnostic::new(
                    Code::InvalidConfig,
                    find(&log),
                    format!("checkin_log `{log}` leaves the repository"),
                )
                .help("use a relative path inside a root, such as \"goals/checkins.yaml\""),
            );
        }
        cfg.checkin_log = log;
    }
    if let Some(days) = raw.stale_days {
        if days < 1 {
            diags.push(Diagnostic::new(
                Code::InvalidConfig,
                find("stale_days"),
                "stale_days must be at least 1",
            ));
        }
        cfg.stale_days = days;
    }
    if let Some(st) = raw.status {
        cfg.at_risk_gap = st.at_risk_gap.unwrap_or(cfg.at_risk_gap);
        cfg.off_track_gap = st.off_track_gap.unwrap_or(cfg.off_track_gap);
        let ok = |g: f64| g.is_finite() && (0.0..=1.0).contains(&g);
        if !ok(cfg.at_risk_gap) || !ok(cfg.off_track_gap) || cfg.at_risk_gap > cfg.off_track_gap {
            diags.push(
                Diagnostic::new(
                    Code::InvalidConfig,
                    find("[status]"),
                    "status gaps must be between 0 and 1, with at_risk_gap ≤ off_track_gap",
                )
                .help("the defaults are at_risk_gap = 0.10 and off_track_gap = 0.25"),
            );
        }
    }
    for (name, level) in raw.lints.unwrap_or_default() {
        let Some(code) = Code::from_name(&name).filter(|c| c.is_lint()) else {
            let lints = Code::ALL.iter().filter(|c| c.is_lint()).map(|c| c.name());
            let d = Diagnostic::new(
                Code::InvalidConfig,
                find(&name),
                format!("`{name}` is not a lint that can be configured"),
            );
            diags.push(match suggest(&name, lints) {
                Some(s) => d.did_you_mean(s),
                None => d.help("run `goalpost explain` for the list of lints"),
            });
            continue;
        };
        let sev = match level.as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "off" => None,
            _ => {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidConfig,
                        find(&name),
                        format!("`{level}` is not a lint level"),
                    )
                    .help("use \"error\", \"warning\" or \"off\""),
                );
                continue;
            }
        };
        cfg.lints.insert(code, sev);
    }
    for (name, p) in raw.periods.unwrap_or_default() {
        let span = find(&format!("periods.{name}"));
        let (Some(start), Some(end)) = (toml_date(&p.start), toml_date(&p.end)) else {
            diags.push(Diagnostic::new(
                Code::InvalidConfig,
                span,
                format!("period `{name}` needs plain dates, such as start = 2026-10-01"),
            ));
            continue;
        };
        if crate::period::builtin(&name).is_some() {
            diags.push(
                Diagnostic::new(
                    Code::InvalidConfig,
                    span,
                    format!("period `{name}` would hide the built-in period of that name"),
                )
                .help("choose another name, such as `fy27-q1`"),
            );
        } else if start > end {
            diags.push(Diagnostic::new(
                Code::InvalidConfig,
                span,
                format!("period `{name}` ends before it starts"),
            ));
        } else {
            cfg.periods.insert(name, (start, end));
        }
    }
    if let Some(raw) = raw.sources {
        cfg.sources = sources::check(raw, &find, &mut diags);
    }
    if let Some(name) = raw.name {
        if crate::model::is_slug(&name) {
            cfg.name = Some(name);
        } else {
            diags.push(
                Diagnostic::new(
                    Code::InvalidConfig,
                    find("name"),
                    format!("name `{}` is not a valid id", name.escape_debug()),
                )
                .help("use 1–63 lowercase letters, digits, `-` and `_`, such as name = \"growth\""),
            );
        }
    }
    if let Some(raw) = raw.upstreams {
        cfg.upstreams = upstreams::check(raw, &find, &mut diags);
    }
    if diags.is_empty() {
        Ok(cfg)
    } else {
        Err(diags)
    }
}

fn toml_date(d: &toml::value::Datetime) -> Option<Date> {
    match (d.date, d.time, d.offset) {
        (Some(date), None, None) => Date::from_ymd(
            i32::from(date.year),
            i32::from(date.month),
            i32::from(date.day),
        ),
        _ => None,
    }
}

/// A relative path that stays inside the repository (no `..`, not absolute).
pub(crate) fn is_contained(path: &str) -> bool {
    let p = std::path::Path::new(path);
    !path.is_empty()
        && p.components().all(|c| {
            matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        })
}

/// 1-based line and character column of byte offset `at`.
pub(crate) fn line_col(text: &str, at: usize) -> (u32, u32) {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let c = parse("stale_days = 7\n[status]\nat_risk_gap = 0.2\noff_track_gap = 0.3\n[lints]\nkr-count = \"off\"\ntoo-many-kpis = \"error\"\n[periods.fy27-q1]\nstart = 2026-10-01\nend = 2026-12-31\n", 0).unwrap();
        assert_eq!(c.stale_days, 7);
        assert_eq!(c.severity(Code::KrCount), None);
        assert_eq!(c.severity(Code::TooManyKpis), Some(Severity::Error));
        assert_eq!(c.severity(Code::Sandbagging), Some(Severity::Warning));
        assert!(c.periods.contains_key("fy27-q1"));
    }

    #[test]
    fn unknown_keys_and_lints_are_located_errors() {
        let e = parse("root = [\"goals\"]\n", 0).unwrap_err();
        assert_eq!(e[0].code, Code::InvalidConfig);
        assert_eq!(e[0].help.as_deref(), Some("did you mean `roots`?"));
        let e = parse("[lints]\nkr-cuont = \"off\"\n", 0).unwrap_err();
        assert_eq!(
            (e[0].span.line, e[0].help.as_deref()),
            (2, Some("did you mean `kr-count`?"))
        );
        let e = parse("roots = [\"../elsewhere\"]\n", 0).unwrap_err();
        assert!(e[0].message.contains("leaves the repository"));
    }
}
