//! Reports: values computed by `score` rendered for people and programs, one module per
//! output format. Nothing here reads files or prints; `cli` writes what these return.

pub use wire::FormatVersion;

pub mod changes;
pub mod csv;
pub mod diagnostics;
pub mod diff;
pub mod digest;
pub mod html;
pub mod ics;
pub mod json;
pub mod log;
pub mod markdown;
pub mod show;
pub mod svg;
pub mod table;
pub mod text;
pub mod view;
pub mod wire;
pub mod wrap;
