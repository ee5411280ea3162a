//! Reports: values computed by `score` rendered for people and programs, one module per
//! output format. Nothing here reads files or prints; `cli` writes what these return.

pub mod diagnostics;
