//! goalpost: OKRs and KPIs kept as plain YAML in a git repository, validated, scored and
//! reported. The pipeline is load → validate → score → report; `cli` wires it together and
//! is the only module that prints.

#![warn(clippy::print_stdout, clippy::print_stderr)]
#![warn(unreachable_pub)]

mod attention;
mod bytes;
mod check;
mod checkin;
mod cli;
mod config;
mod contract;
mod date;
mod diag;
mod diff;
mod explain;
mod fsutil;
mod git;
mod history;
mod insights;
mod lifecycle;
mod lint;
mod load;
mod lsp;
mod model;
mod net;
mod par;
mod period;
mod pull;
mod report;
mod schema;
mod score;
mod select;
mod text;
mod upstream;
mod validate;
mod write;

// The library's public surface: what the binary (`run`), the fuzz targets, the benchmarks
// and the integration tests call. Every module is private; these re-exports are the list.
pub use cli::{Cli, run};
pub use config::{Config, parse as parse_config};
pub use date::Date;
pub use diag::{Code, Severity};
pub use lint::lint;
pub use load::fastyaml::differential::agrees as fastyaml_agrees;
pub use load::source::WorkTree;
pub use load::{SourceFile, Sources, load, parse_file};
pub use model::{KrKey, KrKind, Records, Takes, Valid};
pub use report::view::StatusView;
pub use report::{csv, diagnostics, html, json, markdown, table};
pub use score::{Thresholds, score};
pub use validate::validate;
