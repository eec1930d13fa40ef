//! Internal links checked against the plan: every Markdown link and image in a document's body
//! and front matter that points inside the site must lead to a page or file the build writes,
//! and a `#anchor` to one its page is known to have. External addresses are never fetched.
//!
//! A link is resolved as its author sees it, on the page of the document it is written in
//! (the renderer writes relative links out resolved against that page, so they lead to the
//! same place on the board pack and programme pages too). Anchors are known only where the
//! page's ids are: `#main-content` on every page, and on a board pack's page each report's
//! section (`#highlight-<programme>`, `#budget`, `#indicators`, `#actions`, and the ids inside
//! them, which start with the section's). A free page has no other ids (headings get none,
//! and the sanitiser removes authors'). Anchors on other pages, and every anchor when the site
//! trusts raw HTML or overrides the templates, are not checked.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::Document;
use crate::diagnostic::{Diagnostic, Problem};
use crate::plan::pages::{PageKind, Plan};
use crate::render::markdown::{is_external, normalise_path};
use crate::render::theme::ThemeFile;
use crate::site::search;

/// What the links are checked against.
pub struct Targets<'a> {
    plan: &'a Plan,
    /// Page folders (`budget/2009-10-q2`, `` for home, `404.html`) to their page in the plan.
    pages: HashMap<String, usize>,
    /// Files the build writes that are not pages: static files, the search index, PDFs.
    files: HashSet<String>,
    /// Page folders of drafts that the build leaves out, to the draft's file.
    drafts: HashMap<String, String>,
    /// Documents by their file under `content/`, to their page's URL and whether they are
    /// exempt: a link to a document's file is a link to nothing on the site.
    sources: HashMap<&'a str, (Option<String>, bool)>,
    /// Whether the anchors of free pages and board pack pages are known (see the module
    /// documentation).
    anchors_known: bool,
    base_url: &'a str,
}

impl<'a> Targets<'a> {
    /// The targets of a site whose pages are `plan`, whose static files are `statics`, and
    /// whose drafts at `drafts` (page folder, file) the build leaves out.
    pub fn new(
        config: &'a Config,
        root: &Path,
        docs: &'a [Document],
        plan: &'a Plan,
        statics: &[ThemeFile],
        drafts: HashMap<String, String>,
    ) -> Self {
        let pages = (plan.pages.iter().enumerate())
            .map(|(i, p)| (page_key(&p.path), i))
            .collect();
        let mut files: HashSet<String> = statics.iter().map(|f| f.rel.clone()).collect();
        files.insert(search::SCRIPT_PATH.to_string());
        files.extend(
            plan.periods
                .iter()
                .filter_map(|p| p.pdf.as_ref().map(|f| f.path.clone())),
        );
        let own_templates =
            root.join("templates").exists() || root.join("themes").join(&config.theme).exists();
        let sources = (docs.iter())
            .map(|d| {
                let url = d.page_dir().map(|dir| format!("{}{dir}/", config.base_url));
                (d.rel_path.as_str(), (url, d.exempt.is_some()))
            })
            .collect();
        Self {
            plan,
            pages,
            sources,
            files,
            drafts,
            anchors_known: !config.trust_html
                && config.theme == crate::config::DEFAULT_THEME
                && !own_templates,
            base_url: &config.base_url,
        }
    }
}

/// The folder of a page from its output path: `budget/2009-10-q2/index.html` → `budget/2009-10-q2`.
fn page_key(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) => dir.trim_end_matches('/').to_string(),
        None => path.to_string(),
    }
}

/// The page folders of `docs` that are drafts, with their files: what `check` (which sees
/// drafts) warns of links to, as `build` will leave them out.
pub fn draft_pages<'d>(docs: impl IntoIterator<Item = &'d Document>) -> HashMap<String, String> {
    docs.into_iter()
        .filter(|d| d.draft)
        .filter_map(|d| Some((d.page_dir()?, d.file.display.clone())))
        .collect()
}

/// Every broken internal link in `docs`, each at its place in its file. Drafts link freely to
/// each other: they are published together.
pub fn check(docs: &[Document], targets: &Targets<'_>) -> Vec<Diagnostic> {
    let found: Vec<Vec<Diagnostic>> = docs
        .par_iter()
        .filter(|d| !d.has_errors)
        .map(|d| check_document(d, targets))
        .collect();
    found.into_iter().flatten().collect()
}

fn check_document(doc: &Document, targets: &Targets<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let text = &doc.file.text;
    // Most documents hold no link at all: look before parsing.
    let body = &doc.body;
    if body.contains("](") || body.contains("]:") || body.contains("][") {
        for (event, range) in
            Parser::new_ext(body, crate::read::MARKDOWN_OPTIONS).into_offset_iter()
        {
            let (Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. })) = event
            else {
                continue;
            };
            let at = doc.body_span.start + range.start..doc.body_span.start + range.end;
            if let Some(d) = check_link(doc, &dest_url, at, targets) {
                out.push(d);
            }
        }
    }
    // Front-matter fields rendered as Markdown: their inline links, found in the source text,
    // where each is located exactly.
    let front = &text[..doc.body_span.start.min(text.len())];
    for (dest, at) in inline_links(front) {
        if let Some(d) = check_link(doc, dest, at, targets) {
            out.push(d);
        }
    }
    out
}

/// The inline links `[text](dest)` of TOML text, with where each `dest` is; an optional
/// `"title"` after the address is left out.
fn inline_links(text: &str) -> Vec<(&str, Range<usize>)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("](") {
        let start = from + i + 2;
        let rest = &text[start..];
        let end = rest
            .find(|c: char| c == ')' || c.is_whitespace() || c == '"' || c == '\'')
            .unwrap_or(rest.len());
        let dest = rest[..end].trim_start_matches('<').trim_end_matches('>');
        if !dest.is_empty() {
            out.push((dest, start..start + end));
        }
        from = start;
    }
    out
}

/// The page or file a link leads to, as a path under the site's root (`budget/2009-10-q2/`),
/// with its anchor; `None` for a link out of the site.
fn resolve<'l>(doc: &Document, dest: &'l str, base_url: &str) -> Option<(String, Option<&'l str>)> {
    let (rest, anchor) = match dest.split_once('#') {
        Some((r, a)) => (r, Some(a)),
        None => (dest, None),
    };
    let path = rest.split('?').next().unwrap_or("");
    let in_site = if is_external(path) {
        // The site's own address written out in full is still the site.
        let prefix = base_url.starts_with("http").then_some(base_url)?;
        format!("/{}", path.strip_prefix(prefix)?)
    } else {
        path.to_string()
    };
    let own = doc.page_dir().unwrap_or_default();
    let joined = if in_site.is_empty() {
        format!("{own}/")
    } else if let Some(rooted) = in_site.strip_prefix('/') {
        rooted.to_string()
    } else {
        format!("{own}/{in_site}")
    };
    Some((normalise_path(&joined), anchor))
}

fn check_link(
    doc: &Document,
    dest: &str,
    at: Range<usize>,
    targets: &Targets<'_>,
) -> Option<Diagnostic> {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with('?') {
        return None;
    }
    let (path, anchor) = resolve(doc, dest, targets.base_url)?;
    if let Some(problem) = source_link(doc, dest, targets) {
        return problem.map(|p| Diagnostic::new(p, &doc.file, at).with_label("a source file"));
    }
    let key = page_key(&path);
    let key = key.trim_end_matches('/');
    let problem = match (targets.drafts.get(key), targets.pages.get(key)) {
        (Some(draft), _) if !doc.draft => Problem::LinkToDraft {
            target: dest.to_string(),
            draft: draft.clone(),
        },
        (_, Some(&page)) => broken_anchor(targets, page, dest, anchor?)?,
        (Some(_), None) => return None,
        (None, None) if targets.files.contains(path.as_str()) || is_download(targets, &path) => {
            return None;
        }
        (None, None) => Problem::BrokenLink {
            target: dest.to_string(),
            nearest: nearest(targets, key),
        },
    };
    let label = match &problem {
        Problem::BrokenAnchor { .. } => "no such anchor",
        Problem::LinkToDraft { .. } => "a draft",
        _ => "no such page",
    };
    Some(Diagnostic::new(problem, &doc.file, at).with_label(label))
}

/// A link to a document's Markdown file (`../2009-10-q2/budget.md`, from the file's folder), if
/// it is one: the site has no such file, but the document's page is what was meant. A link to
/// an exempt document is left to `exempt-linked`.
fn source_link(doc: &Document, dest: &str, targets: &Targets<'_>) -> Option<Option<Problem>> {
    let file = dest.split(['#', '?']).next()?.strip_suffix(".md")?;
    if is_external(file) {
        return None;
    }
    let dir = doc.rel_path.rsplit_once('/').map_or("", |(d, _)| d);
    let joined = match file.strip_prefix('/') {
        Some(rooted) => rooted.trim_start_matches("content/").to_string(),
        None => format!("{dir}/{file}"),
    };
    let rel = format!("{}.md", normalise_path(&joined));
    Some(match targets.sources.get(rel.as_str()) {
        Some((_, true)) => None,
        Some((url, false)) => Some(Problem::BrokenLink {
            target: dest.to_string(),
            nearest: url.clone(),
        }),
        None => Some(Problem::BrokenLink {
            target: dest.to_string(),
            nearest: None,
        }),
    })
}

/// A table's download beside its page (`budget/2009-10-q2/lines.csv`): their names come from
/// the summaries, which `check` does not lay out, so any CSV or JSON file in a page's folder
/// is taken to be one.
fn is_download(targets: &Targets<'_>, path: &str) -> bool {
    let Some((dir, name)) = path.rsplit_once('/') else {
        return false;
    };
    (name.ends_with(".csv") || name.ends_with(".json")) && targets.pages.contains_key(dir)
}

/// The missing anchor of a link to `page`, if the page's anchors are known and lack it.
fn broken_anchor(targets: &Targets<'_>, page: usize, dest: &str, anchor: &str) -> Option<Problem> {
    if anchor.is_empty() || anchor == "main-content" || !targets.anchors_known {
        return None;
    }
    let plan = targets.plan;
    let planned = &plan.pages[page];
    let known: Vec<String> = match planned.kind {
        PageKind::Period(i) => {
            let sections: Vec<&str> = (plan.periods[i].reports.iter())
                .map(|&r| plan.reports[r].anchor.as_str())
                .collect();
            let inside = |s: &&str| {
                anchor == *s || anchor.strip_prefix(*s).is_some_and(|r| r.starts_with('-'))
            };
            if sections.iter().any(inside) {
                return None;
            }
            sections.iter().map(|s| s.to_string()).collect()
        }
        // The renderer's own footnote ids.
        PageKind::Page(_) if anchor.starts_with("bp-fn") => return None,
        PageKind::Page(_) => Vec::new(),
        _ => return None,
    };
    Some(Problem::BrokenAnchor {
        target: dest.to_string(),
        page: planned.url.clone(),
        anchor: anchor.to_string(),
        known: std::iter::once("main-content".to_string())
            .chain(known)
            .collect(),
    })
}

/// The page nearest to a missing one, where one is near enough to be meant: at most a third of
/// its letters changed. Only a broken link pays for this.
fn nearest(targets: &Targets<'_>, key: &str) -> Option<String> {
    let limit = key.chars().count() / 3;
    (targets.pages.iter())
        .filter(|(k, _)| k.len().abs_diff(key.len()) <= limit)
        .map(|(k, &i)| (edit_distance(k, key), k, i))
        .filter(|(d, _, _)| *d <= limit)
        .min()
        .map(|(_, _, i)| targets.plan.pages[i].url.clone())
}

/// Levenshtein distance by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_links_in_toml_are_found_where_they_are() {
        let text = "a = \"See [the budget](/budget/x/ \\\"t\\\") and [b](<../y/>)\"\n";
        let found = inline_links(text);
        let dests: Vec<&str> = found.iter().map(|(d, _)| *d).collect();
        assert_eq!(dests, ["/budget/x/", "../y/"]);
        assert_eq!(&text[found[0].1.clone()], "/budget/x/");
    }

    #[test]
    fn near_names_are_measured() {
        assert_eq!(edit_distance("contact-us", "contact-ud"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn keys_of_pages() {
        assert_eq!(
            page_key("budget/2009-10-q2/index.html"),
            "budget/2009-10-q2"
        );
        assert_eq!(page_key("index.html"), "");
        assert_eq!(page_key("404.html"), "404.html");
    }
}
