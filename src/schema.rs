//! The JSON Schemas of goal files and of goalpost.toml, generated from the raw types so they
//! cannot drift from what the loader accepts; `schema/goalpost.schema.json` and
//! `schema/goalpost.toml.schema.json` are these outputs, committed. The schemas of the JSON
//! outputs are `crate::contract`'s; the loader uses neither (the shapes of values it names
//! are `crate::load::shape`).
//!
//! The schemas say what `check` says wherever a JSON Schema can: required keys, value
//! shapes, closed sets, unknown keys, and the rules across keys of one mapping (a milestone
//! takes no `start`, a `kpi:` key result no `cadence`, a revision names a `target` or a `start`;
//! `team` is required once a file defines items). What needs other files
//! or arithmetic (unknown refs, duplicate ids, `start == target`) is `check`'s alone. They
//! are plain JSON Schema 2020-12 (no vendor formats), so strict validators compile them.

use crate::load::raw::RawFile;
use crate::load::shape::needs;
use crate::model::{KrKey, KrKind, Records, Takes};
use serde_json::{Value, json};

/// The goal-file schema as pretty JSON with a trailing newline.
pub(crate) fn json() -> String {
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
pub(crate) fn config_json() -> String {
    let mut value = generate::<crate::config::RawConfig>();
    if let Some(Value::Object(lints)) = value.pointer_mut("/properties/lints") {
        lints.insert("properties".into(), Value::Object(lint_levels()));
    }
    pretty(&value)
}

/// goalpost.toml `[lints]`: one key per practice lint, each "error", "warning" or "off",
/// described by the lint's summary and default.
fn lint_levels() -> serde_json::Map<String, Value> {
    let mut props = serde_json::Map::new();
    for lint in crate::lint::REGISTRY {
        let doc = format!(
            "{} ({} by default; `goalpost explain {}`)",
            lint.summary,
            lint.code.default_severity(),
            lint.code.name()
        );
        props.insert(
            lint.code.name().to_owned(),
            json!({ "description": doc, "enum": ["error", "warning", "off"] }),
        );
    }
    props
}

/// Where `goalpost init` puts the schemas, relative to the project root.
pub(crate) const GOAL_FILE_SCHEMA: &str = "schema/goalpost.schema.json";
pub(crate) const CONFIG_SCHEMA: &str = "schema/goalpost.toml.schema.json";

/// The yaml-language-server modeline for a goal file at `file` (relative to the project
/// root, `/`-separated) that points at [`GOAL_FILE_SCHEMA`].
pub(crate) fn modeline(file: &str) -> String {
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

pub(crate) fn pretty(value: &Value) -> String {
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
pub(crate) fn standard_formats(v: &mut Value) {
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
        // From the one table of the keys each kind takes (`KrKind::takes`): missing-field
        // (a required key), milestone-with-metric and due-on-metric (a refused key), and
        // invalid-checkin (value vs done). A key result that names no kind is the default's.
        let mut rule = kind_rules(KrKind::DEFAULT);
        for &kind in KrKind::ALL.iter().rev().filter(|k| **k != KrKind::DEFAULT) {
            rule = json!({
                "if": {
                    "properties": { "kind": { "const": kind.as_str() } },
                    "required": ["kind"]
                },
                "then": kind_rules(kind),
                "else": rule
            });
        }
        kr.insert(
            "allOf".into(),
            json!([
                rule,
                // linked-kr-checkin: a key result linked to a KPI takes no check-ins;
                // cadence-on-linked-kr: nor a cadence (its KPI's applies).
                {
                    "if": needs(&["kpi"]),
                    "then": { "properties": { "checkins": false, "cadence": false } }
                }
            ]),
        );
    }
    if let Some(Value::Object(rev)) = root.get_mut("$defs").and_then(|d| d.get_mut("Revision")) {
        // empty-revision: a revision names a new target, a new start or both.
        rev.insert(
            "anyOf".into(),
            json!([needs(&["target"]), needs(&["start"])]),
        );
    }
}

/// What a key result of `kind` must and must not have: the keys it requires and refuses
/// (`KrKind::takes`), and check-ins that carry what it records.
fn kind_rules(kind: KrKind) -> Value {
    let required: Vec<&str> = kind.keys(Takes::Required).map(KrKey::name).collect();
    let mut rules = if required.is_empty() {
        json!({ "properties": {} })
    } else {
        needs(&required)
    };
    for key in kind.keys(Takes::Refused) {
        rules["properties"][key.name()] = json!(false);
    }
    let checkin = match kind.records() {
        Records::Value => "#/$defs/ValueCheckin",
        Records::Done => "#/$defs/DoneCheckin",
    };
    rules["properties"]["checkins"] = json!({ "type": "array", "items": { "$ref": checkin } });
    rules
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
            // Inside `if`/`then`/`else` (and a revision's `anyOf`), properties restate a rule;
            // the definition is described.
            let defined: Vec<_> = all
                .iter()
                .filter(|(at, _)| {
                    !["/if", "/then", "/else", "/oneOf", "/anyOf"]
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
