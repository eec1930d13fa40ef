//! Rendering: Markdown, templates and stylesheets, from the loaded model to bytes in memory.
//! Nothing here writes to disk: [`crate::plan`] plans the pages, and `site` writes what this
//! renders.

pub mod chart;
pub mod context;
pub mod css;
pub mod download;
pub mod fragment;
pub mod markdown;
pub mod ods;
pub mod pdf;
pub mod publish;
pub mod summary;
pub mod templates;
pub mod theme;

/// Escape text for HTML and XML content and attribute values. The one escaper for markup
/// boardpack writes itself (charts, the serve overlay); templates autoescape on their own.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
