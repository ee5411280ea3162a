//! What the JSON outputs share on the wire: the format version every document starts with,
//! [`num`], how `status` and `review` write numbers, and [`to_string_pretty`] /
//! [`to_writer_pretty`], the one JSON writer, which never writes a negative zero. Kept apart
//! so that no output module borrows from another.

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};
use std::io;

/// The `"format_version"` every JSON output starts with (SPEC 7): 1 until a change removes
/// or renames a key, or changes what one means (`review` is at 2: `FormatVersion<2>`).
/// Serialises as the number; its schema is the constant.
#[derive(Debug, Clone, Copy, Default)]
pub struct FormatVersion<const N: u32 = FORMAT_VERSION>;

/// The current version of the JSON outputs.
pub(crate) const FORMAT_VERSION: u32 = 1;

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
pub(crate) mod num {
    use serde::Serializer;

    pub(crate) fn one<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        // `-0.0 as i64` is 0: a negative zero is written `0`.
        if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
            s.serialize_i64(*x as i64)
        } else {
            s.serialize_f64(*x)
        }
    }

    pub(crate) fn opt<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match x {
            Some(x) => one(x, s),
            None => s.serialize_none(),
        }
    }
}

/// Pretty JSON as every JSON output writes it: serde_json's layout, except that a negative
/// zero (a decreasing key result at its start has progress −0) is written as `0.0`.
pub(crate) fn to_writer_pretty<W: io::Write, T: Serialize + ?Sized>(
    w: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, NoNegativeZero(PrettyFormatter::new()));
    value.serialize(&mut ser)
}

/// [`to_writer_pretty`] into a string.
pub(crate) fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(4096);
    to_writer_pretty(&mut out, value)?;
    // serde_json writes only valid UTF-8.
    String::from_utf8(out).map_err(|e| serde::ser::Error::custom(e.to_string()))
}

/// [`PrettyFormatter`] with zeros written unsigned.
struct NoNegativeZero<'a>(PrettyFormatter<'a>);

impl Formatter for NoNegativeZero<'_> {
    fn write_f64<W: ?Sized + io::Write>(&mut self, w: &mut W, value: f64) -> io::Result<()> {
        // `0.0 == -0.0`: both are written as the positive zero.
        self.0.write_f64(w, if value == 0.0 { 0.0 } else { value })
    }
    fn write_f32<W: ?Sized + io::Write>(&mut self, w: &mut W, value: f32) -> io::Result<()> {
        self.0.write_f32(w, if value == 0.0 { 0.0 } else { value })
    }
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// Whether `s` writes a negative zero: a `-` (not inside a word or a date) followed by
    /// nothing but zeros and at most one point (`-0`, `-0.0`, `-0.00`).
    fn negative_zero(s: &str) -> bool {
        let b = s.as_bytes();
        (0..b.len()).any(|i| {
            if b[i] != b'-' || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
                return false;
            }
            let rest = &b[i + 1..];
            let end = rest
                .iter()
                .position(|c| !(c.is_ascii_digit() || *c == b'.'))
                .unwrap_or(rest.len());
            let n = &rest[..end];
            !n.is_empty() && n[0] == b'0' && n.iter().all(|c| *c == b'0' || *c == b'.')
        })
    }

    #[derive(serde::Serialize)]
    struct Wire {
        #[serde(serialize_with = "super::num::one")]
        one: f64,
        #[serde(serialize_with = "super::num::opt")]
        opt: Option<f64>,
        plain: f64,
        list: Vec<f64>,
    }

    /// Numbers near zero from either side, zeros of both signs, and any finite number.
    fn number() -> impl Strategy<Value = f64> {
        prop_oneof![
            Just(-0.0),
            Just(0.0),
            -0.01f64..0.01,
            -1e-300f64..1e-300,
            any::<f64>().prop_filter("finite", |x| x.is_finite()),
        ]
    }

    #[test]
    fn the_detector_finds_negative_zeros() {
        for s in ["-0", "x -0.00", "(-0.0)", "\"to\": -0"] {
            assert!(negative_zero(s), "{s}");
        }
        for s in ["0", "-0.5", "2026-01-05", "-10", "a-0", "0.00"] {
            assert!(!negative_zero(s), "{s}");
        }
    }

    proptest! {
        /// Issue 24, item 6: no number writer, human or JSON, writes a negative zero.
        #[test]
        fn no_number_writer_writes_a_negative_zero(x in number(), places in 0usize..4) {
            let human = [
                crate::text::num(x),
                crate::text::num_full(x),
                crate::text::fixed(x, places),
                crate::text::with_unit(x, Some("%")),
                crate::text::with_unit(x, Some("ms")),
                crate::report::text::score(x),
                crate::text::percent(x),
            ];
            for s in &human {
                prop_assert!(!negative_zero(s), "{x:e} written {s}");
            }
            let json = super::to_string_pretty(&Wire { one: x, opt: Some(x), plain: x, list: vec![x] })
                .expect("finite numbers serialise");
            prop_assert!(!negative_zero(&json), "{x:e} written {json}");
        }
    }
}
