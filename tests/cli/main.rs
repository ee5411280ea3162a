//! Integration tests: the real `goalpost` binary on temporary repositories.

mod check;
mod checkin;
mod common;
mod completion;
mod corpus;
mod explain;
mod fixtures;
mod git;
mod init;
mod log;
mod man;
mod recipes;
mod report;
mod schema;
mod security;
mod status;
mod tools;
mod workflow;
