//! What the JSON outputs share on the wire: the format version every document starts with,
//! and [`num`], how `status` and `review` write numbers. Kept apart so that no output module
//! borrows from another.

/// The `"format_version"` every JSON output starts with (SPEC 7): 1 until a change removes
/// or renames a key, or changes what one means (`review` is at 2: `FormatVersion<2>`).
/// Serialises as the number; its schema is the constant.
#[derive(Debug, Clone, Copy, Default)]
pub struct FormatVersion<const N: u32 = FORMAT_VERSION>;

/// The current version of the JSON outputs.
pub const FORMAT_VERSION: u32 = 1;

impl<const N: u32> serde::Serialize for FormatVersion<N> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(N)
    }
}

impl<const N: u32> schemars::JsonSchema for FormatVersion<N> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        if N == FORMAT_VERSION {
            "FormatVersion".into()
        } else {
            format!("FormatVersion{N}").into()
        }
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "const": N,
            "description": "The version of this output's shape: raised when a key is removed or renamed (adding a key does not raise it)."
        })
    }
}

/// Serializes whole numbers without a fractional part (`250`, not `250.0`); others in full.
pub mod num {
    use serde::Serializer;

    pub fn one<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
            s.serialize_i64(*x as i64)
        } else {
            s.serialize_f64(*x)
        }
    }

    pub fn opt<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match x {
            Some(x) => one(x, s),
            None => s.serialize_none(),
        }
    }
}
