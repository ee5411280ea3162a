//! Reports: values computed by `score` rendered for people and programs, one module per
//! output format. Nothing here reads files or prints; `cli` writes what these return.

pub(crate) use wire::FormatVersion;

pub(crate) mod changes;
pub mod csv;
pub mod diagnostics;
pub(crate) mod diff;
pub(crate) mod digest;
pub mod html;
pub(crate) mod ics;
pub mod json;
pub(crate) mod log;
pub mod markdown;
pub(crate) mod show;
pub(crate) mod svg;
pub mod table;
pub(crate) mod text;
pub(crate) mod view;
pub(crate) mod wire;
pub(crate) mod wrap;
