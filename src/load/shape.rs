//! Schema-only types: the shapes of values in goal files, which the raw types
//! (`super::raw`) name with `#[schemars(with = ...)]`; nothing is ever built from them. Dates
//! are `crate::date::DateShape` (here as `Date`), shared with goalpost.toml; the shapes of
//! check-ins, made from `RawCheckin`, are beside it in `super::raw`. `crate::schema`
//! generates the goal-file schema from the raw types and adds the rules across keys.

use schemars::json_schema;
use serde_json::{Value, json};

pub(crate) use crate::date::DateShape as Date;

const SLUG: &str = "[a-z0-9][a-z0-9_-]{0,62}";

/// Declares a schema-only type: `Name, "description", |generator| schema`. `inline`
/// types are written where they are used instead of under `$defs`.
macro_rules! shape {
    ($name:ident, $doc:literal, |$g:ident| $schema:expr) => {
        $crate::load::shape::shape!(@ $name, $doc, false, |$g| $schema);
    };
    (inline $name:ident, $doc:literal, |$g:ident| $schema:expr) => {
        $crate::load::shape::shape!(@ $name, $doc, true, |$g| $schema);
    };
    (@ $name:ident, $doc:literal, $inline:expr, |$g:ident| $schema:expr) => {
        #[doc = $doc]
        pub(crate) struct $name;
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn inline_schema() -> bool {
                $inline
            }
            fn json_schema($g: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let mut s: ::schemars::Schema = $schema;
                s.insert("description".into(), $doc.into());
                s
            }
        }
    };
}
pub(crate) use shape;

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
shape!(
    KpiRef,
    "A KPI reference, `team/kpi`, or `NAME:team/kpi` for a KPI of upstream NAME.",
    |_g| json_schema!({
        "type": "string",
        "pattern": format!("^({SLUG}:)?{SLUG}/{SLUG}$")
    })
);
shape!(
    ObjectiveRef,
    "An objective reference, `team/objective`, or `NAME:team/objective` for an objective of upstream NAME.",
    |_g| json_schema!({
        "type": "string",
        "pattern": format!("^({SLUG}:)?{SLUG}/{SLUG}$")
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

/// `{"required": keys}`. Each key is also declared (`"key": true`) where it is required:
/// Ajv's strict mode wants a required key defined beside it, and the object's own
/// `properties` are not seen from inside `allOf`.
pub(crate) fn needs(keys: &[&str]) -> Value {
    let props: serde_json::Map<String, Value> = keys
        .iter()
        .map(|k| ((*k).to_owned(), json!(true)))
        .collect();
    json!({ "required": keys, "properties": props })
}
