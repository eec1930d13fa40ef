//! boardpack: board reports written as Markdown with TOML front matter, checked, aggregated to
//! the penny and published as an accessible static site.
//!
//! The pipeline, one module a stage:
//! [`config`] → [`content`] (load, front matter, model) → [`aggregate`] (pure summaries) →
//! [`render`] (Markdown, templates, assets) → [`site`] (build and write) → [`serve`].

pub mod aggregate;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod error;
pub mod init;
pub mod layout;
pub mod plan;
pub mod render;
pub mod serve;
pub mod site;
pub mod source;
pub mod timing;

pub use error::Error;
