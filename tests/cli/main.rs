//! Integration tests: the real `goalpost` binary on temporary repositories.

mod check;
mod checkin;
mod common;
mod explain;
mod fixtures;
mod report;
mod status;
