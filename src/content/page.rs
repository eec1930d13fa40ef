//! Free Markdown pages, such as the annual report, the foreword and contacts.

use serde::Serialize;

use crate::read::reader::{Cx, Table};

#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub title: String,
    /// Explicit slug; the loader falls back to the file stem.
    pub slug: Option<String>,
    /// Where the slug is written, or the opening fence when it comes from the file name.
    #[serde(skip)]
    pub slug_span: std::ops::Range<usize>,
    pub weight: i64,
    pub in_nav: bool,
}

impl Page {
    pub fn read(t: &mut Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let title = t.req_text(cx, "title");
        let slug = t.id(cx, "slug");
        let slug_span = slug.as_ref().map_or_else(|| cx.fence(), |s| s.span.clone());
        let slug = slug.map(|s| s.value);
        let weight = t.integer(cx, "weight").unwrap_or(0);
        let in_nav = t.boolean(cx, "in_nav").unwrap_or(true);
        Some(Page {
            title: title?,
            slug,
            slug_span,
            weight,
            in_nav,
        })
    }
}
