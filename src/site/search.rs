//! Client-side search: a compact JSON index of every report and free page, built from the
//! rendered HTML, and read by the theme's `js/search.js` on the search page.
//!
//! The index is written to [`INDEX_PATH`] as part of the build, so it is as deterministic as the
//! pages are: the same pages give the same bytes. Its text comes from each indexed page's
//! `<main>`, exactly as a reader sees it (tables and narrative included, markup removed), split
//! into sections at headings so that a result can link to the part of the page that matched.
//!
//! Everything in the index is plain text, JSON-escaped by `serde_json`. The search page renders
//! it with `textContent`, never as HTML, so front matter cannot inject markup through search.
//!
//! The format (version 1), with short keys to keep it small:
//!
//! ```json
//! {"v":1,"pages":[{"u":"/budget/2009-10-q2/","t":"Budget monitoring","k":"Budget monitoring, 2009/10 Q2",
//!   "s":[{"a":"","h":"","x":"Summary text…"},{"a":"budget-statement","h":"Statement","x":"…"}]}]}
//! ```
//!
//! `u` is the page's URL, `t` its title, `k` what kind of page it is, and `s` its sections: `a`
//! the id of the nearest heading at or above the section (empty for the top of the page), `h`
//! the section's heading and `x` its text.

use serde::Serialize;

use crate::content::Document;
use crate::error::Error;
use crate::plan::pages::{PageKind, Plan, PlannedPage};
use crate::site::Rendered;

/// Where the index is written, relative to the output folder.
pub const INDEX_PATH: &str = "search/index.json";

/// The index format's version, `v` in the file.
pub const INDEX_VERSION: u32 = 1;

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Index {
    pub v: u32,
    pub pages: Vec<IndexedPage>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct IndexedPage {
    /// URL.
    pub u: String,
    /// Title.
    pub t: String,
    /// Kind, in words: `Highlight report, 2009/10 Q2`.
    pub k: String,
    /// Sections, in page order.
    pub s: Vec<Section>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Section {
    /// Id of the nearest heading (or element) with an id at or above the section; empty for
    /// the top of the page.
    pub a: String,
    /// The heading's text; empty for the top of the page.
    pub h: String,
    /// The section's text, whitespace collapsed.
    pub x: String,
}

/// Whether a page is searched. Board packs repeat their reports, and the home, programme,
/// search and not-found pages only link to others, so only reports, plans, free pages and the
/// accessibility statement are indexed.
pub fn is_indexed(page: &PlannedPage) -> bool {
    matches!(
        page.kind,
        PageKind::Report(_) | PageKind::Plan(_) | PageKind::Page(_) | PageKind::Accessibility
    )
}

/// Build the index from rendered pages: `pages` pairs each planned page with its HTML, in plan
/// order. Pages that [`is_indexed`] rejects are skipped.
pub fn build_index<'a>(
    plan: &Plan,
    docs: &[Document],
    pages: impl IntoIterator<Item = (&'a PlannedPage, &'a [u8])>,
) -> Index {
    Index {
        v: INDEX_VERSION,
        pages: pages
            .into_iter()
            .filter_map(|(page, html)| index_page(plan, docs, page, html))
            .collect(),
    }
}

/// One page's entry in the index, or `None` when the page is not searched.
pub fn index_page(
    plan: &Plan,
    docs: &[Document],
    page: &PlannedPage,
    html: &[u8],
) -> Option<IndexedPage> {
    if !is_indexed(page) {
        return None;
    }
    let (title, mut kind, draft) = match &page.kind {
        PageKind::Report(r) => {
            let report = &plan.reports[*r];
            let doc = &docs[report.doc];
            (
                doc.title().to_string(),
                format!("{}, {}", report.kind.title(), report.period),
                doc.draft,
            )
        }
        PageKind::Plan(p) => {
            let planned = &plan.plans[*p];
            (
                planned.title.clone(),
                format!(
                    "{}, {}",
                    crate::read::words::DocKind::Plan.title(),
                    planned.period
                ),
                docs[planned.doc].draft,
            )
        }
        PageKind::Page(d) => (page.title.clone(), "Page".to_string(), docs[*d].draft),
        _ => (page.title.clone(), "Page".to_string(), false),
    };
    // A result says a draft is one, as its page does (`build --drafts`, `serve`).
    if draft {
        kind.push_str(", DRAFT – not approved");
    }
    let html = String::from_utf8_lossy(html);
    Some(IndexedPage {
        u: page.url.clone(),
        t: title,
        k: kind,
        s: sections(&html),
    })
}

/// Add `search/index.json` to a whole rendered site, built from the pages in it. Pages of the
/// plan that were not rendered are left out of the index.
pub fn add_index(plan: &Plan, docs: &[Document], rendered: &mut Rendered) -> Result<(), Error> {
    let find = |path: &str| {
        rendered
            .files
            .binary_search_by(|(p, _)| p.as_str().cmp(path))
            .ok()
    };
    let pages: Vec<(&PlannedPage, &[u8])> = plan
        .pages
        .iter()
        .filter(|p| is_indexed(p))
        .filter_map(|p| find(&p.path).map(|i| (p, rendered.files[i].1.as_slice())))
        .collect();
    let bytes = to_json(&build_index(plan, docs, pages));
    match rendered
        .files
        .binary_search_by(|(p, _)| p.as_str().cmp(INDEX_PATH))
    {
        Ok(_) => Err(Error::OutputCollision {
            path: INDEX_PATH.into(),
            first: "a static file".into(),
            second: "the search index".into(),
        }),
        Err(at) => {
            rendered.files.insert(at, (INDEX_PATH.to_string(), bytes));
            Ok(())
        }
    }
}

/// The index as the bytes of `search/index.json`.
pub fn to_json(index: &Index) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(index).expect("the index serialises");
    bytes.push(b'\n');
    bytes
}

/// One page's entry as it appears in `search/index.json`: a build spills entries in this form
/// to a scratch file as pages render, and writes the index from them with [`write_index`].
pub fn entry_json(page: &IndexedPage) -> Vec<u8> {
    serde_json::to_vec(page).expect("an index entry serialises")
}

/// Write `search/index.json` from entries made by [`entry_json`], in plan order: the same
/// bytes as [`to_json`] gives for the whole index, without holding the whole index.
pub fn write_index<E: AsRef<[u8]>>(
    entries: impl IntoIterator<Item = std::io::Result<E>>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write!(out, "{{\"v\":{INDEX_VERSION},\"pages\":[")?;
    for (i, entry) in entries.into_iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(entry?.as_ref())?;
    }
    out.write_all(b"]}\n")
}

/// Elements whose content is never text a reader sees in the page's flow.
const SKIPPED: &[&str] = &[
    "script", "style", "template", "noscript", "svg", "math", "iframe", "object", "button",
    "select", "textarea",
];

/// Elements inside which no space separates the text from its neighbours.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

/// Elements that have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Split the text of a page's `<main>` into sections at its headings, leaving out its `<h1>`
/// (the page's title, which the index holds on its own). Elements marked
/// `data-search-ignore`, and any `hidden` element, are left out, with everything inside them.
pub fn sections(html: &str) -> Vec<Section> {
    let mut sections = vec![Section {
        a: String::new(),
        h: String::new(),
        x: String::new(),
    }];
    let mut in_main = false;
    let mut main_depth = 0usize;
    // While skipping: the element's name and how deeply it is nested in itself.
    let mut skip: Option<(String, usize)> = None;
    // While inside a heading: its level (so nested markup does not end it early).
    let mut heading: Option<String> = None;
    let mut anchor = String::new();
    let mut pos = 0;
    while pos < html.len() {
        let Some(lt) = html[pos..].find('<').map(|i| pos + i) else {
            if in_main && skip.is_none() {
                push_text(&mut sections, heading.is_some(), &html[pos..]);
            }
            break;
        };
        if in_main && skip.is_none() && lt > pos {
            push_text(&mut sections, heading.is_some(), &html[pos..lt]);
        }
        // Comments and doctype.
        if html[lt..].starts_with("<!--") {
            pos = html[lt..].find("-->").map_or(html.len(), |i| lt + i + 3);
            continue;
        }
        let Some(tag) = parse_tag(html, lt) else {
            // A lone `<` in text.
            if in_main && skip.is_none() {
                push_text(&mut sections, heading.is_some(), "<");
            }
            pos = lt + 1;
            continue;
        };
        pos = tag.end;
        let name = tag.name.as_str();
        let is_void = VOID.contains(&name) || tag.self_closing;
        if !in_main {
            if !tag.closing && name == "main" {
                in_main = true;
                main_depth = 1;
            }
            continue;
        }
        if let Some((skipped, depth)) = &mut skip {
            if name == skipped.as_str() && !is_void {
                if tag.closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skip = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            continue;
        }
        if name == "main" {
            if tag.closing {
                main_depth -= 1;
                if main_depth == 0 {
                    break;
                }
            } else {
                main_depth += 1;
            }
            continue;
        }
        // The page's `<h1>` is its title, which the index holds already.
        if !tag.closing
            && !is_void
            && (SKIPPED.contains(&name) || name == "h1" || tag.ignored || tag.hidden)
        {
            skip = Some((tag.name.clone(), 1));
            continue;
        }
        if is_heading(name) {
            if tag.closing {
                if heading.as_deref() == Some(name) {
                    heading = None;
                }
            } else if heading.is_none() {
                if let Some(id) = &tag.id {
                    anchor = id.clone();
                }
                sections.push(Section {
                    a: anchor.clone(),
                    h: String::new(),
                    x: String::new(),
                });
                heading = Some(tag.name.clone());
            }
            continue;
        }
        if !tag.closing
            && let Some(id) = &tag.id
            && heading.is_none()
            && (name == "section" || name == "article")
        {
            // A report's section on a page: later headings inside it link here if they have
            // no id of their own.
            anchor = id.clone();
        }
        if !INLINE.contains(&name) {
            push_text(&mut sections, heading.is_some(), " ");
        }
    }
    for s in &mut sections {
        s.h = collapse(&s.h);
        s.x = collapse(&s.x);
    }
    sections.retain(|s| !s.h.is_empty() || !s.x.is_empty());
    sections
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Append raw HTML text (with entities) to the current section's heading or text.
fn push_text(sections: &mut [Section], in_heading: bool, raw: &str) {
    let s = sections.last_mut().expect("there is always a section");
    let target = if in_heading { &mut s.h } else { &mut s.x };
    decode_entities(raw, target);
}

/// Collapse runs of whitespace to one space, and trim.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    id: Option<String>,
    /// Has `data-search-ignore`.
    ignored: bool,
    /// Has `hidden`.
    hidden: bool,
    /// Byte offset just past the tag's `>`.
    end: usize,
}

/// Parse the tag starting at `lt` (which holds `<`). `None` when it is not a tag.
fn parse_tag(html: &str, lt: usize) -> Option<Tag> {
    let b = html.as_bytes();
    let mut i = lt + 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b'!') {
        i += 1;
    }
    if i == start {
        return None;
    }
    let name = html[start..i].to_ascii_lowercase();
    let mut tag = Tag {
        name,
        closing,
        self_closing: false,
        id: None,
        ignored: false,
        hidden: false,
        end: html.len(),
    };
    // Attributes: name, optionally `=` and a quoted or bare value.
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            return Some(tag);
        }
        match b[i] {
            b'>' => {
                tag.end = i + 1;
                return Some(tag);
            }
            b'/' => {
                tag.self_closing = b.get(i + 1) == Some(&b'>');
                i += 1;
                continue;
            }
            _ => {}
        }
        let a_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let attr = html[a_start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = None;
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let v_start = i + 1;
                    let v_end = html[v_start..]
                        .find(q as char)
                        .map_or(html.len(), |j| v_start + j);
                    value = Some(&html[v_start..v_end]);
                    i = (v_end + 1).min(html.len());
                }
                _ => {
                    let v_start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = Some(&html[v_start..i]);
                }
            }
        }
        if attr.is_empty() {
            // A stray character: step over it.
            i += 1;
            continue;
        }
        match attr.as_str() {
            "id" => {
                let mut id = String::new();
                decode_entities(value.unwrap_or(""), &mut id);
                tag.id = Some(id);
            }
            "data-search-ignore" => tag.ignored = true,
            "hidden" => tag.hidden = true,
            _ => {}
        }
    }
}

/// Append `raw` to `out` with HTML character references decoded: numeric ones, and the named
/// ones that boardpack's templates, Markdown renderer and sanitiser write. Any other `&` is
/// kept as it is.
fn decode_entities(raw: &str, out: &mut String) {
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // Searched as bytes: the 12th byte may fall inside a character (a `£`, say).
        let window = &rest.as_bytes()[..rest.len().min(12)];
        let Some(semi) = window.iter().position(|&b| b == b';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let decoded = if let Some(num) = name.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse::<u32>().ok(),
            };
            n.and_then(char::from_u32)
        } else {
            match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                "lsquo" => Some('‘'),
                "rsquo" => Some('’'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                "hellip" => Some('…'),
                "pound" => Some('£'),
                "euro" => Some('€'),
                "copy" => Some('©'),
                "middot" => Some('·'),
                "rsaquo" => Some('›'),
                "lsaquo" => Some('‹'),
                "times" => Some('×'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(a: &str, h: &str, x: &str) -> Section {
        Section {
            a: a.into(),
            h: h.into(),
            x: x.into(),
        }
    }

    #[test]
    fn only_main_is_indexed_and_split_at_headings() {
        let html = r#"<html><body><header><a href="/">Site</a><form role="search"><input name="q"></form></header>
<main id="main-content"><h1><span class="c">Budget</span> Q2</h1><p>Intro <strong>bold</strong>text.</p>
<h2 id="budget-statement">Statement</h2><table><tr><th>Staff</th><td>1,000</td></tr></table>
<h3>No id here</h3><p>Under the statement.</p></main><footer>Footer text</footer></body></html>"#;
        assert_eq!(
            sections(html),
            [
                s("", "", "Intro boldtext."),
                s("budget-statement", "Statement", "Staff 1,000"),
                s("budget-statement", "No id here", "Under the statement."),
            ]
        );
    }

    #[test]
    fn the_index_written_entry_by_entry_is_the_index_whole() {
        let page = |u: &str, x: &str| IndexedPage {
            u: u.into(),
            t: "T \"q\" <b>".into(),
            k: "Page".into(),
            s: vec![s("a", "H", x)],
        };
        for pages in [
            vec![],
            vec![page("/a/", "x")],
            vec![page("/a/", "x"), page("/b/", "y\n")],
        ] {
            let mut written = Vec::new();
            write_index(pages.iter().map(|p| Ok(entry_json(p))), &mut written).unwrap();
            assert_eq!(
                written,
                to_json(&Index {
                    v: INDEX_VERSION,
                    pages
                })
            );
        }
    }

    #[test]
    fn entities_are_decoded_and_markup_never_survives() {
        let html = "<main><p>Fish &amp; chips &lt;script&gt;alert(1)&lt;/script&gt; &#x27;q&#39; &pound;5 &bogus; AT&T</p><script>var x = '<p>no</p>';</script></main>";
        let got = sections(html);
        assert_eq!(
            got,
            [s(
                "",
                "",
                "Fish & chips <script>alert(1)</script> 'q' £5 &bogus; AT&T"
            )]
        );
        // The JSON escapes it: no raw `<` from the page reaches a script or the DOM as markup.
        let json = String::from_utf8(to_json(&Index {
            v: 1,
            pages: vec![IndexedPage {
                u: "/x/".into(),
                t: "\"</script><img src=x onerror=alert(1)>".into(),
                k: "Page".into(),
                s: got,
            }],
        }))
        .unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            parsed["pages"][0]["t"],
            "\"</script><img src=x onerror=alert(1)>"
        );
    }

    #[test]
    fn ignored_hidden_and_non_text_elements_are_skipped() {
        let html = r#"<main><p>Keep</p><div data-search-ignore><p>Drop <div>nested</div> too</p></div>
<svg><title>Chart</title><text>1</text></svg><p hidden>Hidden</p><div><div>Deep</div></div>
<section id="highlight-x"><h3>Risks</h3><p>R1</p></section><br/><img alt="x">After</main>"#;
        assert_eq!(
            sections(html),
            [
                s("", "", "Keep Deep"),
                s("highlight-x", "Risks", "R1 After"),
            ]
        );
    }

    #[test]
    fn attributes_with_angle_brackets_and_lone_brackets_are_handled() {
        let html = r#"<main><a title="a > b" href="/x">link</a> 3 < 4 <h2 id='q'>H</h2>x</main>"#;
        assert_eq!(sections(html), [s("", "", "link 3 < 4"), s("q", "H", "x")]);
    }
}
