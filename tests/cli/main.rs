//! Integration tests: the real `goalpost` binary on temporary repositories.

mod check;
mod common;
mod explain;
mod fixtures;
mod log;
mod report;
mod status;
