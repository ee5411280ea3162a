//! Integration tests: the real `goalpost` binary on temporary repositories.

mod base;
mod check;
mod checkin;
mod common;
mod corpus;
mod explain;
mod fixtures;
mod git;
mod log;
mod recipes;
mod report;
mod scoring;
mod security;
mod status;
mod today;
