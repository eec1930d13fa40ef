//! Client-side search: a pagefind index of every report and free page, built in-process from
//! the rendered HTML and read by the theme's `js/search.js` through pagefind's own `pagefind.js`.
//!
//! pagefind splits the index into chunks (words, page fragments, filters) that the browser
//! fetches only when a query needs them, so a reader on a slow line downloads a few hundred
//! kilobytes rather than an index of the whole site.
//!
//! What pagefind reads of a page is a copy made here, never the page itself: its `<main>`, plus
//! the result's title, its kind (`Highlight report, 2009/10 Q2`) and its filters (kind, period,
//! programme) as text inside elements that pagefind reads but does not index. Text is escaped on
//! the way in, and `js/search.js` writes results with `textContent`, never as HTML, so front
//! matter cannot inject markup through search.
//!
//! The index is deterministic: pages go in one at a time in plan order, whatever the number of
//! threads that rendered them, and pagefind names its files by the hash of their content.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::content::Document;
use crate::error::Error;
use crate::plan::facets::{self, IndexOrder};
use crate::plan::pages::{Plan, PlannedPage};
use crate::site::Rendered;

/// The folder the index is written to, relative to the output folder, with its trailing `/`.
pub const BUNDLE_DIR: &str = "search/pagefind/";

/// The index's entry point, which `js/search.js` imports.
pub const SCRIPT_PATH: &str = "search/pagefind/pagefind.js";

/// Whether an output path is part of the index.
pub fn is_bundle_path(path: &str) -> bool {
    path.starts_with(BUNDLE_DIR)
}

/// pagefind's files that the search page does not load: its own search interfaces, which the
/// theme does not use, and the playground.
const UNUSED: &[&str] = &[
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
];

/// Elements whose text is not part of what a result shows. `[hidden]` and
/// `[data-search-ignore]` are a theme's ways to keep text out of search (docs/theming.md); the
/// controls and the page's own `<h1>` (the result's title) would only repeat. Table headers and
/// captions, and the keys of summary lists, are the same words on every report ("Progress",
/// "Due", "Lead"): indexed, they make every report a result for them.
const EXCLUDED: &[&str] = &[
    "thead",
    "caption",
    "dt",
    "[hidden]",
    "[data-search-ignore]",
    "button",
    "select",
    "textarea",
    "template",
    "math",
    "object",
    "h1",
];

pub use crate::plan::facets::is_indexed;

/// The copy of a rendered page that pagefind reads, or `None` when the page is not searched or
/// has no `<main>` (a theme's page without one has nothing the index could show).
pub fn indexed_html(
    plan: &Plan,
    docs: &[Document],
    page: &PlannedPage,
    html: &[u8],
) -> Option<String> {
    let labels = facets::of_page(plan, docs, page)?;
    let html = String::from_utf8_lossy(html);
    let end = html.rfind("</main>")?;
    // Only `<main>` is indexed: pagefind is given nothing else to parse.
    let start = html[..end].find("<main")?;
    // Read for their values, not indexed: `data-pagefind-ignore="index"` keeps their text
    // out of the words and the excerpts.
    let mut extra = String::from("<div data-pagefind-ignore=\"index\">");
    let mut field = |attr: &str, name: &str, value: &str| {
        extra.push_str(&format!("<span {attr}=\"{name}\">{}</span>", escape(value)));
    };
    field("data-pagefind-meta", "title", &labels.title);
    field("data-pagefind-meta", "summary", &labels.summary);
    field("data-pagefind-filter", "kind", labels.kind);
    if let Some(period) = &labels.period {
        field("data-pagefind-filter", "period", period);
    }
    if let Some(programme) = &labels.programme {
        field("data-pagefind-filter", "programme", programme);
    }
    extra.push_str("</div>");
    let mut copy = String::with_capacity(end - start + extra.len() + 40);
    copy.push_str("<html><body>");
    copy.push_str(&html[start..end]);
    copy.push_str(&extra);
    copy.push_str("</main></body></html>");
    Some(copy)
}

/// Text as HTML text: `&`, `<` and `>` escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An index being built: pages go in with [`Index::add`], in plan order, and its files come out
/// of [`Index::files`].
pub struct Index {
    runtime: tokio::runtime::Runtime,
    index: PagefindIndex,
}

impl Index {
    /// An empty index of pages in `language` (a BCP 47 tag such as `en-GB`, as the site's
    /// `language`): it decides how words are stemmed.
    pub fn new(language: &str) -> Result<Index, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| failed(e.to_string()))?;
        let config = PagefindServiceConfig::builder()
            .root_selector("main".to_string())
            .exclude_selectors(EXCLUDED.iter().map(|s| s.to_string()).collect())
            .force_language(pagefind_language(language))
            .keep_index_url(true)
            .build();
        let index = guard(|| PagefindIndex::new(Some(config)).map_err(|e| e.to_string()))?;
        Ok(Index { runtime, index })
    }

    /// Add one page, by its URL and the copy [`indexed_html`] made of it.
    pub fn add(&mut self, url: &str, html: String) -> Result<(), Error> {
        let Index { runtime, index } = self;
        guard(|| {
            runtime
                .block_on(index.add_html_file(None, Some(url.to_string()), html))
                .map(drop)
                .map_err(|e| e.to_string())
        })
    }

    /// The index's files, by their paths relative to the output folder, sorted by path.
    pub fn files(mut self) -> Result<Vec<(String, Vec<u8>)>, Error> {
        let Index { runtime, index } = &mut self;
        let files = guard(|| {
            runtime
                .block_on(index.get_files())
                .map_err(|e| e.to_string())
        })?;
        let mut out = Vec::with_capacity(files.len());
        for file in files {
            let name = file.filename.to_string_lossy().replace('\\', "/");
            if UNUSED.contains(&name.as_str()) || name.starts_with("playground/") {
                continue;
            }
            out.push((format!("{BUNDLE_DIR}{name}"), file.contents));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }
}

/// The language pagefind stems words for: the primary subtag, which is what its stemmers and
/// its per-language search code are named by.
fn pagefind_language(language: &str) -> String {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    if primary.is_empty() || !primary.chars().all(|c| c.is_ascii_alphabetic()) {
        "unknown".into()
    } else {
        primary.to_ascii_lowercase()
    }
}

/// The error for a thread that indexed pages and panicked outside [`guard`].
pub fn panicked() -> Error {
    failed("pagefind panicked".into())
}

fn failed(message: String) -> Error {
    Error::Search {
        path: BUNDLE_DIR.into(),
        message,
    }
}

/// Run a call into pagefind, turning its errors and its panics (it unwraps on some failures)
/// into [`Error::Search`]: a bug there must not take a build or `serve` down with it.
fn guard<T>(call: impl FnOnce() -> Result<T, String>) -> Result<T, Error> {
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(message)) => Err(failed(message)),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "pagefind panicked".into());
            Err(failed(message))
        }
    }
}

/// The index of the indexed pages among `pages` (each page's index in the plan, with its
/// HTML), added in [`IndexOrder`], as a build adds them.
pub fn build_index<'a>(
    plan: &Plan,
    docs: &[Document],
    language: &str,
    pages: impl IntoIterator<Item = (usize, &'a [u8])>,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let order = IndexOrder::new(plan);
    let mut copies: Vec<((usize, usize), &str, String)> = (pages.into_iter())
        .filter_map(|(i, html)| {
            let page = &plan.pages[i];
            let copy = indexed_html(plan, docs, page, html)?;
            Some((order.key(plan, i), page.url.as_str(), copy))
        })
        .collect();
    copies.sort_by_key(|c| c.0);
    let build = move || {
        let mut index = Index::new(language)?;
        for (_, url, copy) in copies {
            index.add(url, copy)?;
        }
        index.files()
    };
    // pagefind runs on a runtime of its own, which cannot be started, or dropped, on a thread
    // that is driving another: `serve`'s is.
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|s| s.spawn(build).join().unwrap_or_else(|_| Err(panicked())))
    } else {
        build()
    }
}

/// Add the index to a whole rendered site, built from the pages in it. Pages of the plan that
/// were not rendered are left out of the index.
pub fn add_index(
    plan: &Plan,
    docs: &[Document],
    language: &str,
    rendered: &mut Rendered,
) -> Result<(), Error> {
    let find = |path: &str| {
        rendered
            .files
            .binary_search_by(|(p, _)| p.as_str().cmp(path))
            .ok()
    };
    let pages: Vec<(usize, &[u8])> = (plan.pages.iter().enumerate())
        .filter(|(_, p)| is_indexed(p))
        .filter_map(|(i, p)| find(&p.path).map(|f| (i, rendered.files[f].1.as_slice())))
        .collect();
    let files = build_index(plan, docs, language, pages)?;
    if let Some((path, _)) = rendered.files.iter().find(|(p, _)| is_bundle_path(p)) {
        return Err(Error::OutputCollision {
            path: path.into(),
            first: "a static file".into(),
            second: "the search index".into(),
        });
    }
    rendered.files.extend(files);
    rendered.files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_pagefinds_primary_subtags() {
        assert_eq!(pagefind_language("en-GB"), "en");
        assert_eq!(pagefind_language("CY"), "cy");
        assert_eq!(pagefind_language("pt_BR"), "pt");
        assert_eq!(pagefind_language(""), "unknown");
        assert_eq!(pagefind_language("x1-y"), "unknown");
    }

    #[test]
    fn labels_are_escaped_into_the_copy() {
        assert_eq!(escape("<b>&</b>"), "&lt;b&gt;&amp;&lt;/b&gt;");
    }

    #[test]
    fn a_panic_in_pagefind_is_an_error() {
        let err = guard::<()>(|| panic!("boom")).unwrap_err();
        assert!(err.to_string().contains("boom"), "{err}");
        let err = guard::<()>(|| Err("bad".into())).unwrap_err();
        assert!(err.to_string().contains("bad"), "{err}");
    }
}
