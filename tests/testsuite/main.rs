//! Integration tests for the `boardpack` binary: one test binary, one module per command.
//! Add a command's tests as a module here; shared helpers live in `common`.

mod aggregate;
mod audit;
mod bodies;
mod build;
mod changes;
mod check;
mod common;
mod cycle;
mod digest;
mod exempt;
mod feeds;
mod hardening;
mod history;
mod init;
mod links;
mod ods;
mod output;
mod pages;
mod papers;
mod pdf;
mod plan;
mod register;
mod safety_input;
mod safety_serve;
mod search;
mod serve;
mod session;
mod symlinks;
