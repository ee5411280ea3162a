//! The JSON Schema of goal files, generated from the raw types so it cannot drift from what
//! the loader accepts. `schema/goalpost.schema.json` is this output, committed.

use crate::load::raw::RawFile;

/// The schema as pretty JSON with a trailing newline.
pub fn json() -> String {
    let schema = schemars::schema_for!(RawFile);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_else(|_| "{}".to_owned());
    s.push('\n');
    s
}
