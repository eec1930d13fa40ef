//! Free Markdown pages, such as the annual report, the foreword and contacts.

use serde::Serialize;

use crate::content::reader::{Cx, Table};

#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub title: String,
    /// Explicit slug; the loader falls back to the file stem.
    pub slug: Option<String>,
    pub weight: i64,
    pub in_nav: bool,
}

impl Page {
    pub fn read(t: &mut Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let title = t.req_text(cx, "title");
        let slug = t.id(cx, "slug").map(|s| s.value);
        let weight = t.integer(cx, "weight").unwrap_or(0);
        let in_nav = t.boolean(cx, "in_nav").unwrap_or(true);
        Some(Page {
            title: title?,
            slug,
            weight,
            in_nav,
        })
    }
}
