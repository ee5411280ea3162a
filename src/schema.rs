//! The JSON Schemas of goal files and of goalpost.toml, generated from the raw types so they
//! cannot drift from what the loader accepts; `schema/goalpost.schema.json` and
//! `schema/goalpost.toml.schema.json` are these outputs, committed.
//!
//! The schemas say what `check` says wherever a JSON Schema can: required keys, value
//! shapes, closed sets, unknown keys, and the rules across keys of one mapping (a milestone
//! takes no `start`; `team` is required once a file defines items). What needs other files
//! or arithmetic (unknown refs, duplicate ids, `start == target`) is `check`'s alone. They
//! are plain JSON Schema 2020-12 (no vendor formats), so strict validators compile them.

use crate::load::raw::RawFile;
use serde_json::{Value, json};

/// The goal-file schema as pretty JSON with a trailing newline.
pub fn json() -> String {
    let mut value = generate::<RawFile>();
    goal_file_rules(&mut value);
    editor_text(&mut value);
    pretty(&value)
}

/// The goal-file schema's descriptions as editors show them. yaml-language-server escapes a
/// `description` for Markdown (so a code span shows as literal backticks) and breaks it into
/// a paragraph per line, and a `markdownDescription` would stop strict validators (Ajv) from
/// compiling the schema: so the descriptions are written plain, one line per paragraph,
/// without code spans. The same text is the documentation of goalpost's own key completion.
fn editor_text(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(d)) = map.get_mut("description") {
                *d = plain(d);
            }
            for (_, child) in map.iter_mut() {
                editor_text(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(editor_text),
        _ => {}
    }
}

/// `text` with its lines joined (paragraphs, split by a blank line, kept) and its code
/// spans' backticks dropped.
fn plain(text: &str) -> String {
    text.split("\n\n")
        .map(|para| {
            para.split('\n')
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
                .replace('`', "")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The goalpost.toml schema as pretty JSON with a trailing newline.
pub fn config_json() -> String {
    pretty(&generate::<crate::config::RawConfig>())
}

/// The JSON outputs that have a schema (`goalpost schema --output NAME`, whose values are
/// [`Output::ALL`] by [`Output::name`]). The one list: the command line and the tests (which
/// ask the command line) take it from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Status,
    Check,
    Review,
    Diff,
    Log,
    Digest,
}

impl Output {
    /// Every output, in the order `goalpost schema --help` lists them.
    pub const ALL: &'static [Output] = &[
        Output::Status,
        Output::Check,
        Output::Review,
        Output::Diff,
        Output::Log,
        Output::Digest,
    ];

    /// The command whose `--format json` this is, and the value of `schema --output`.
    pub fn name(self) -> &'static str {
        match self {
            Output::Status => "status",
            Output::Check => "check",
            Output::Review => "review",
            Output::Diff => "diff",
            Output::Log => "log",
            Output::Digest => "digest",
        }
    }
}

/// The JSON Schema of one JSON output, as pretty JSON with a trailing newline. Generated
/// from the output's wire types, so it cannot drift from what the command prints; every key
/// is required (absent values are `null`, never missing keys).
///
/// The published schema (`strict` false, committed under `schema/output/`) lets the output
/// grow as SPEC 7 allows without a new `format_version`: other keys are allowed, and enums
/// and ref patterns are left open (their values of today are listed in `examples`). The
/// strict one closes all three, for goalpost's own tests and for a consumer who wants to
/// notice any change.
pub fn output_json(which: Output, strict: bool) -> String {
    let mut value = match which {
        Output::Status => output::<crate::report::json::StatusJson>(),
        Output::Check => output::<crate::report::diagnostics::JsonReport>(),
        Output::Review => output::<crate::lifecycle::review::json::ReviewJson>(),
        Output::Diff => output::<crate::report::diff::DiffJson>(),
        Output::Log => output::<crate::report::log::LogJson>(),
        Output::Digest => output::<crate::report::digest::DigestJson>(),
    };
    if !strict {
        open(&mut value);
    }
    pretty(&value)
}

fn output<T: schemars::JsonSchema>() -> Value {
    let schema = schemars::schema_for!(T);
    let mut value = serde_json::to_value(&schema).unwrap_or_default();
    standard_formats(&mut value);
    every_key_required(&mut value);
    value
}

/// In every object schema: all properties required, none other allowed.
fn every_key_required(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                let keys: Vec<Value> = props.keys().map(|k| json!(k)).collect();
                map.insert("required".into(), Value::Array(keys));
                map.insert("additionalProperties".into(), json!(false));
            }
            for (_, child) in map.iter_mut() {
                every_key_required(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(every_key_required),
        _ => {}
    }
}

/// The published form of an output schema: other keys allowed, string enums and patterns
/// open. An enum's values move to `examples`; a `const` (the format version) stays.
fn open(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.remove("additionalProperties");
            map.remove("pattern");
            // An enum whose values have their own docs is a `oneOf` of consts: one string,
            // the values and their docs kept as examples and description.
            if let Some(Value::Array(branches)) = map.get("oneOf")
                && let Some(values) = string_choices(branches)
            {
                let docs: Vec<String> = branches
                    .iter()
                    .zip(&values)
                    .filter_map(|(b, v)| {
                        let d = b.get("description")?.as_str()?;
                        Some(format!("`{}`: {d}", v.as_str().unwrap_or_default()))
                    })
                    .collect();
                map.remove("oneOf");
                map.insert("type".into(), json!("string"));
                map.insert("examples".into(), Value::Array(values));
                if !docs.is_empty() && !map.contains_key("description") {
                    map.insert("description".into(), json!(docs.join(" ")));
                }
            }
            if let Some(Value::Array(values)) = map.get("enum")
                && values.iter().all(Value::is_string)
            {
                let values = values.clone();
                map.remove("enum");
                map.insert("type".into(), json!("string"));
                map.insert("examples".into(), Value::Array(values));
            }
            for (_, child) in map.iter_mut() {
                open(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(open),
        _ => {}
    }
}

/// The string values of a `oneOf` whose every branch is a string `const` or an `enum` of
/// strings; `None` for any other `oneOf`.
fn string_choices(branches: &[Value]) -> Option<Vec<Value>> {
    let mut values = Vec::new();
    for b in branches {
        match (b.get("const"), b.get("enum")) {
            (Some(c @ Value::String(_)), None) => values.push(c.clone()),
            (None, Some(Value::Array(e))) if e.iter().all(Value::is_string) => {
                values.extend(e.iter().cloned());
            }
            _ => return None,
        }
    }
    Some(values)
}

/// Where `goalpost init` puts the schemas, relative to the project root.
pub const GOAL_FILE_SCHEMA: &str = "schema/goalpost.schema.json";
pub const CONFIG_SCHEMA: &str = "schema/goalpost.toml.schema.json";

/// The yaml-language-server modeline for a goal file at `file` (relative to the project
/// root, `/`-separated) that points at [`GOAL_FILE_SCHEMA`].
pub fn modeline(file: &str) -> String {
    format!(
        "# yaml-language-server: $schema={}",
        relative_from(file, GOAL_FILE_SCHEMA)
    )
}

/// `target` as seen from the directory of `file`; both relative to one root.
fn relative_from(file: &str, target: &str) -> String {
    let depth = file.split('/').filter(|c| !c.is_empty()).count();
    format!("{}{target}", "../".repeat(depth.saturating_sub(1)))
}

fn generate<T: schemars::JsonSchema>() -> Value {
    let schema = schemars::schema_for!(T);
    let mut value = serde_json::to_value(&schema).unwrap_or_default();
    no_nulls(&mut value);
    standard_formats(&mut value);
    value
}

fn pretty(value: &Value) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_owned());
    s.push('\n');
    s
}

/// Optional keys are `Option`s in the raw types, which schemars renders as "or null"; but a
/// key written with no value is an error in goal files, so the schema must not allow null.
fn no_nulls(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            for key in ["anyOf", "oneOf"] {
                if let Some(Value::Array(alts)) = map.get_mut(key) {
                    alts.retain(|a| a.get("type").is_none_or(|t| t != "null"));
                    if alts.len() == 1 {
                        let only = alts.remove(0);
                        map.remove(key);
                        if let Value::Object(o) = only {
                            for (k, val) in o {
                                map.entry(k).or_insert(val);
                            }
                        }
                    }
                }
            }
            for child in map.values_mut() {
                no_nulls(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(no_nulls),
        _ => {}
    }
}

/// schemars labels numbers with OpenAPI formats (`"format": "double"`), which JSON Schema
/// does not define and strict validators (Ajv) refuse; the type says enough.
fn standard_formats(v: &mut Value) {
    const OPENAPI: &[&str] = &[
        "double", "float", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16",
        "uint32", "uint64",
    ];
    match v {
        Value::Object(map) => {
            if map
                .get("format")
                .and_then(Value::as_str)
                .is_some_and(|f| OPENAPI.contains(&f))
            {
                map.remove("format");
            }
            map.values_mut().for_each(standard_formats);
        }
        Value::Array(items) => items.iter_mut().for_each(standard_formats),
        _ => {}
    }
}

/// The rules across the keys of one mapping, which the field types cannot state. Each
/// mirrors a `check` diagnostic (named in the comment).
fn goal_file_rules(v: &mut Value) {
    let Value::Object(root) = v else { return };
    // empty-file: a mapping that defines nothing.
    root.insert("minProperties".into(), json!(1));
    // missing-field: `team` once objectives or KPIs are defined, `period` with objectives.
    let non_empty = |key: &str| {
        let mut s = needs(&[key]);
        s["properties"][key] = json!({ "type": "array", "minItems": 1 });
        s
    };
    root.insert(
        "allOf".into(),
        json!([
            { "if": non_empty("objectives"), "then": needs(&["team", "period"]) },
            { "if": non_empty("kpis"), "then": needs(&["team"]) }
        ]),
    );
    if let Some(Value::Object(kr)) = root.get_mut("$defs").and_then(|d| d.get_mut("KeyResult")) {
        // milestone-with-metric, missing-field (start, target), due-on-metric,
        // invalid-checkin (value vs done) and linked-kr-checkin.
        // due-on-metric: only milestones take `due`.
        let mut metric = needs(&["start", "target"]);
        metric["properties"]["due"] = json!(false);
        metric["properties"]["checkins"] =
            json!({ "type": "array", "items": { "$ref": "#/$defs/ValueCheckin" } });
        kr.insert(
            "allOf".into(),
            json!([
                {
                    "if": {
                        "properties": { "kind": { "const": "milestone" } },
                        "required": ["kind"]
                    },
                    "then": {
                        "properties": {
                            "start": false,
                            "target": false,
                            "unit": false,
                            "kpi": false,
                            "checkins": { "type": "array", "items": { "$ref": "#/$defs/DoneCheckin" } }
                        }
                    },
                    "else": metric
                },
                { "if": needs(&["kpi"]), "then": { "properties": { "checkins": false } } }
            ]),
        );
    }
}

/// `{"required": keys}`. Each key is also declared (`"key": true`) where it is required:
/// Ajv's strict mode wants a required key defined beside it, and the object's own
/// `properties` are not seen from inside `allOf`.
fn needs(keys: &[&str]) -> Value {
    let props: serde_json::Map<String, Value> = keys
        .iter()
        .map(|k| ((*k).to_owned(), json!(true)))
        .collect();
    json!({ "required": keys, "properties": props })
}

/// Schema-only types: the shapes of values in goal files and goalpost.toml. The raw types
/// name them with `#[schemars(with = ...)]`; nothing is ever built from them.
pub mod shape {
    use crate::load::raw::RawCheckin;
    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
    use std::borrow::Cow;

    const SLUG: &str = "[a-z0-9][a-z0-9_-]{0,62}";
    /// `YYYY-MM-DD` with a month 01-12 and a day that month can have (up to 29 in February).
    const DATE: &str = "^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-9]))$";

    /// Declares a schema-only type: `Name, "description", |generator| schema`. `inline`
    /// types are written where they are used instead of under `$defs`.
    macro_rules! shape {
        ($name:ident, $doc:literal, |$g:ident| $schema:expr) => {
            shape!(@ $name, $doc, false, |$g| $schema);
        };
        (inline $name:ident, $doc:literal, |$g:ident| $schema:expr) => {
            shape!(@ $name, $doc, true, |$g| $schema);
        };
        (@ $name:ident, $doc:literal, $inline:expr, |$g:ident| $schema:expr) => {
            #[doc = $doc]
            pub struct $name;
            impl JsonSchema for $name {
                fn schema_name() -> Cow<'static, str> {
                    stringify!($name).into()
                }
                fn inline_schema() -> bool {
                    $inline
                }
                fn json_schema($g: &mut SchemaGenerator) -> Schema {
                    let mut s: Schema = $schema;
                    s.insert("description".into(), $doc.into());
                    s
                }
            }
        };
    }

    // Each branch of an `anyOf` has a title: where the branches cannot be told apart,
    // yaml-language-server's hover repeats the file's title once per branch.
    shape!(
        Text,
        "Text. A plain YAML number or boolean (`owner: 2024`) is read as the text written.",
        |_g| json_schema!({
            "anyOf": [
                { "title": "text", "type": "string" },
                { "title": "a number, read as text", "type": "number" },
                { "title": "a boolean, read as text", "type": "boolean" }
            ]
        })
    );
    shape!(
        Reason,
        "Text that says something: not empty, not only spaces. A plain YAML number or boolean is read as the text written.",
        |_g| json_schema!({
            "anyOf": [
                { "title": "text", "type": "string", "pattern": "\\S" },
                { "title": "a number, read as text", "type": "number" },
                { "title": "a boolean, read as text", "type": "boolean" }
            ]
        })
    );
    shape!(
        Slug,
        "An id: 1-63 lowercase letters, digits, `-` and `_`, starting with a letter or digit (a plain number such as `2024` is read as its digits).",
        |_g| json_schema!({
            "anyOf": [
                { "title": "an id", "type": "string", "pattern": format!("^{SLUG}$") },
                { "title": "a number, read as its digits", "type": "integer", "minimum": 0 }
            ]
        })
    );
    shape!(
        PeriodName,
        "A period: `2026-Q4`, `2026-H2`, `2026` (also as a plain number), `2026-11`, or a name defined under `[periods]` in goalpost.toml (which only `goalpost check` can tell).",
        |_g| json_schema!({
            "anyOf": [
                { "title": "a period", "type": "string" },
                { "title": "a year, as a number", "type": "integer" }
            ]
        })
    );
    // The pattern holds the month and day ranges, because yaml-language-server checks
    // `pattern` but not `format`; February 29 passes in any year (`check` judges leap years).
    shape!(Date, "A calendar date, `YYYY-MM-DD`.", |_g| json_schema!({
        "type": "string",
        "format": "date",
        "pattern": DATE
    }));
    shape!(KpiRef, "A KPI reference, `team/kpi`.", |_g| json_schema!({
        "type": "string",
        "pattern": format!("^{SLUG}/{SLUG}$")
    }));
    shape!(
        ObjectiveRef,
        "An objective reference, `team/objective`.",
        |_g| json_schema!({
            "type": "string",
            "pattern": format!("^{SLUG}/{SLUG}$")
        })
    );
    shape!(
        ItemRef,
        "A KPI (`team/kpi`) or key result (`team/objective/kr`) reference.",
        |_g| json_schema!({
            "type": "string",
            "pattern": format!("^{SLUG}/{SLUG}(/{SLUG})?$")
        })
    );

    /// A check-in as the raw type allows it, less the keys `drop`, with `required` keys.
    fn checkin(g: &mut SchemaGenerator, drop: &[&str], required: &[&str]) -> Schema {
        let mut s = RawCheckin::json_schema(g);
        if let Some(props) = s.get_mut("properties").and_then(|p| p.as_object_mut()) {
            for key in drop {
                props.remove(*key);
            }
        }
        s.insert("required".into(), required.into());
        s
    }

    shape!(
        LogCheckin,
        "A check-in in a log: `ref` names the key result or KPI; it has a `value` (metric key result, KPI) or `done` (milestone).",
        |g| {
            let mut s = checkin(g, &[], &["ref", "date"]);
            s.insert(
                "oneOf".into(),
                serde_json::json!([super::needs(&["value"]), super::needs(&["done"])]),
            );
            s
        }
    );
    shape!(
        ValueCheckin,
        "A measurement of a KPI or metric key result, written under it: `date` and `value`.",
        |g| checkin(g, &["ref", "done"], &["date", "value"])
    );
    shape!(
        DoneCheckin,
        "A check-in of a milestone key result, written under it: `date` and `done`.",
        |g| checkin(g, &["ref", "value"], &["date", "done"])
    );
    shape!(
        inline KrCheckins,
        "A key result's check-ins: `ValueCheckin`s for a metric key result, `DoneCheckin`s for a milestone (the rule is on `KeyResult`).",
        |g| {
            g.subschema_for::<ValueCheckin>();
            g.subschema_for::<DoneCheckin>();
            json_schema!({ "type": "array" })
        }
    );
    shape!(
        inline LintLevels,
        "goalpost.toml `[lints]`: one key per practice lint, each \"error\", \"warning\" or \"off\".",
        |_g| {
            let mut props = serde_json::Map::new();
            for lint in crate::lint::REGISTRY {
                let doc = format!(
                    "{} ({} by default; `goalpost explain {}`)",
                    lint.summary,
                    lint.default_severity,
                    lint.code.name()
                );
                props.insert(
                    lint.code.name().to_owned(),
                    serde_json::json!({ "description": doc, "enum": ["error", "warning", "off"] }),
                );
            }
            json_schema!({
                "type": "object",
                "properties": props,
                "additionalProperties": false
            })
        }
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modelines_point_at_the_schema_from_where_the_file_is() {
        assert_eq!(
            modeline("goals/checkins.yaml"),
            "# yaml-language-server: $schema=../schema/goalpost.schema.json"
        );
        assert_eq!(
            modeline("okrs/growth/2026-Q4.yaml"),
            "# yaml-language-server: $schema=../../schema/goalpost.schema.json"
        );
        assert_eq!(
            modeline("top.yaml"),
            "# yaml-language-server: $schema=schema/goalpost.schema.json"
        );
    }

    /// Every entry of every `properties` map below `v`, with its path.
    fn properties<'a>(v: &'a Value, at: &str, out: &mut Vec<(String, &'a Value)>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    if k == "properties" {
                        for (name, p) in child.as_object().into_iter().flatten() {
                            out.push((format!("{at}.{name}"), p));
                        }
                    }
                    properties(child, &format!("{at}/{k}"), out);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| properties(i, at, out)),
            _ => {}
        }
    }

    #[test]
    fn the_schemas_have_no_vendor_formats_and_every_property_is_described() {
        for (name, text, min) in [("goal file", json(), 30), ("config", config_json(), 15)] {
            let v: Value = serde_json::from_str(&text).expect("JSON");
            assert!(!text.contains("\"double\""), "{name}: {text}");
            assert!(text.contains("\"format\": \"date\""), "{name}: {text}");
            let mut all = Vec::new();
            properties(&v, "", &mut all);
            // Inside `if`/`then`/`else`, properties restate a rule; the definition is described.
            let defined: Vec<_> = all
                .iter()
                .filter(|(at, _)| {
                    !["/if", "/then", "/else", "/oneOf"]
                        .iter()
                        .any(|r| at.contains(r))
                })
                .collect();
            assert!(defined.len() >= min, "{name}: {}", defined.len());
            for (at, p) in defined {
                assert!(
                    p.get("description")
                        .and_then(Value::as_str)
                        .is_some_and(|d| !d.is_empty()),
                    "{name}: {at} has no description"
                );
            }
        }
        let v: Value = serde_json::from_str(&json()).expect("JSON");
        for def in [
            "Objective",
            "KeyResult",
            "Kpi",
            "LogCheckin",
            "ValueCheckin",
            "DoneCheckin",
        ] {
            assert!(v["$defs"][def].is_object(), "{def}");
        }
    }
}
