//! Reading typed values out of TOML with their spans, shared by `config` and `content`, which
//! sit above it: the spanned reader ([`reader`]), money ([`money`]), reporting periods
//! ([`period`]), the controlled words of the format ([`words`]), and the bound on how deeply
//! text may nest ([`nesting`]).

pub mod money;
pub mod nesting;
pub mod period;
pub mod reader;
pub mod words;

/// The Markdown extensions bodies and text fields are written with: the renderer parses with
/// these, and so must every check that reads Markdown (nesting, alt text), or they would see
/// other structure than the page gets.
pub const MARKDOWN_OPTIONS: pulldown_cmark::Options = pulldown_cmark::Options::ENABLE_TABLES
    .union(pulldown_cmark::Options::ENABLE_FOOTNOTES)
    .union(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
