//! Reports: values computed by `score` rendered for people and programs, one module per
//! output format. Nothing here reads files or prints; `cli` writes what these return.

/// The `"format_version"` every JSON output starts with (SPEC 7): 1 until a change removes
/// or renames a key. Serialises as the number; its schema is the constant.
#[derive(Debug, Clone, Copy, Default)]
pub struct FormatVersion;

/// The current version of the JSON outputs.
pub const FORMAT_VERSION: u32 = 1;

impl serde::Serialize for FormatVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(FORMAT_VERSION)
    }
}

impl schemars::JsonSchema for FormatVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FormatVersion".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "const": FORMAT_VERSION,
            "description": "The version of this output's shape: raised when a key is removed or renamed (adding a key does not raise it)."
        })
    }
}

pub mod changes;
pub mod csv;
pub mod diagnostics;
pub mod diff;
pub mod html;
pub mod json;
pub mod log;
pub mod markdown;
pub mod show;
pub mod svg;
pub mod table;
pub mod text;
pub mod view;
