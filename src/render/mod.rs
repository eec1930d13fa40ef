//! Rendering: Markdown, templates and stylesheets, from the loaded model to bytes in memory.
//! Nothing here writes to disk; [`crate::site`] plans the pages and writes the output.

pub mod chart;
pub mod context;
pub mod css;
pub mod download;
pub mod markdown;
pub mod summary;
pub mod templates;
pub mod theme;
