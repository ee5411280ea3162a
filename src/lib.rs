//! goalpost: OKRs and KPIs kept as plain YAML in a git repository, validated, scored and
//! reported. The pipeline is load → validate → score → report; `cli` wires it together and
//! is the only module that prints.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod attention;
pub mod check;
pub mod checkin;
pub mod cli;
pub mod config;
pub mod contract;
pub mod date;
pub mod diag;
pub mod diff;
pub mod explain;
pub mod fsutil;
pub mod git;
pub mod history;
pub mod lifecycle;
pub mod lint;
pub mod load;
pub mod lsp;
pub mod model;
pub mod period;
pub mod pull;
pub mod report;
pub mod schema;
pub mod score;
pub mod select;
pub mod text;
pub mod validate;
pub mod write;
