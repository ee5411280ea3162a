//! The JSON Schema of goal files, generated from the raw types so it cannot drift from what
//! the loader accepts. `schema/goalpost.schema.json` is this output, committed.

use crate::load::raw::RawFile;

/// The schema as pretty JSON with a trailing newline.
pub fn json() -> String {
    let schema = schemars::schema_for!(RawFile);
    let mut value = serde_json::to_value(&schema).unwrap_or_default();
    no_nulls(&mut value);
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".to_owned());
    s.push('\n');
    s
}

/// Optional keys are `Option`s in the raw types, which schemars renders as "or null"; but a
/// key written with no value is an error in goal files, so the schema must not allow null.
fn no_nulls(v: &mut serde_json::Value) {
    use serde_json::Value;
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
