//! boardpack: board reports written as Markdown with TOML front matter, checked, aggregated to
//! the penny and published as an accessible static site.
//!
//! The pipeline runs one way down; a stage imports only the stages below it:
//!
//! - [`cli`]: the command line, over [`serve`] and [`site`].
//! - [`serve`]: watch mode; keeps a [`serve::session::Session`] and serves it from memory.
//! - [`site`]: a build: [`site::load`], [`site::Renderer`], and [`site::write::Staging`], which
//!   writes the output under its manifest ([`site::write::manifest`]).
//! - [`render`]: Markdown, templates, stylesheets, charts and downloads, into bytes in memory.
//! - [`plan`]: the loaded site ([`plan::Loaded`]) and the plan of its pages ([`plan::pages::Plan`]).
//! - [`history`]: who changed each report and figure, read from git ([`history::History`]).
//! - [`aggregate`]: pure summaries and findings ([`aggregate::Aggregates`]).
//! - [`content`] and [`config`]: the documents ([`content::Document`]) and `boardpack.toml`
//!   ([`config::Config`]).
//! - [`read`]: what configuration and content both read with: the spanned TOML reader
//!   ([`read::reader::Table`]), money, periods and each vocabulary's words.
//! - [`diagnostic`], [`source`], [`layout`], [`timing`]: located problems, source text, the
//!   site's folders, and phase timings, used by every stage.
//!
//! Beside the pipeline, under [`cli`]: [`init`] scaffolds a new site, and [`new_period`]
//! writes the next period's documents from the last period's, reading them through [`plan`].

pub mod aggregate;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod error;
pub mod history;
pub mod init;
pub mod layout;
pub mod new_period;
pub mod plan;
pub mod read;
pub mod render;
pub mod serve;
pub mod site;
pub mod source;
pub mod timing;

pub use error::Error;
