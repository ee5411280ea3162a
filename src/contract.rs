//! The output contracts: the JSON Schema of each JSON output, generated from its wire types
//! (`goalpost schema --output NAME`, committed under `schema/output/`). It sits above `report`
//! and `lifecycle`, whose wire types it reads; only `cli` uses it.

use crate::schema::{pretty, standard_formats};
use serde_json::{Value, json};

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
    Insights,
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
        Output::Insights,
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
            Output::Insights => "insights",
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
pub(crate) fn output_json(which: Output, strict: bool) -> String {
    let mut value = match which {
        Output::Status => output::<crate::report::json::StatusJson>(),
        Output::Check => output::<crate::report::diagnostics::JsonReport>(),
        Output::Review => output::<crate::lifecycle::review::json::ReviewJson>(),
        Output::Diff => output::<crate::report::diff::DiffJson>(),
        Output::Log => output::<crate::report::log::LogJson>(),
        Output::Digest => output::<crate::report::digest::DigestJson>(),
        Output::Insights => output::<crate::insights::json::InsightsJson>(),
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
