//! Markdown to HTML: pulldown-cmark with tables, footnotes and strikethrough, then sanitised with
//! ammonia unless the site sets `markdown.trust_html = true`.
//!
//! Three things are rewritten on the way, so that Markdown written by report authors still meets
//! the theme's accessibility rules:
//!
//! - headings are moved so that the highest one in the text sits at the level the template asks
//!   for (a page has one `<h1>`: the template's);
//! - table header cells get `scope="col"`, and alignment becomes a class rather than a `style`;
//!   each table sits in a named, focusable region that scrolls sideways on its own, so that a
//!   wide table never makes the page wider than a phone (WCAG 1.4.10, reflow at 320 px) and
//!   keyboard users can still scroll it (the theme's own tables do the same);
//! - footnotes are numbered in order of first reference and gathered at the end of the text, with
//!   ids that carry a prefix, so that several texts on one page do not share ids;
//! - internal link and image addresses are made to work wherever the text is shown: one from the
//!   site's root (`/budget/2009-10-q2/`) gets the path of `base_url` in front, for a site
//!   published in a sub-folder, and a relative one (`../budget/2009-10-q2/`) is resolved against
//!   the page the text was written for ([`Markdown::render_for`]), since a report's text is also
//!   shown on its board pack's page and its programme's, where it would resolve elsewhere.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use pulldown_cmark::{Alignment, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// How one piece of Markdown is rendered.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'a> {
    /// The level the highest heading in the text is moved to, 1–6. Lower headings keep their
    /// distance from it, and none goes below `<h6>`.
    pub top_heading: u8,
    /// Distinguishes this text's footnote ids from any other text's on the same page. Where it
    /// is `None`, a hash of the text is used.
    pub id_prefix: Option<&'a str>,
}

impl Default for RenderOptions<'_> {
    fn default() -> Self {
        Self {
            top_heading: 2,
            id_prefix: None,
        }
    }
}

/// Renders Markdown; built once per build and shared by every thread.
pub struct Markdown {
    trust_html: bool,
    cleaner: ammonia::Builder<'static>,
    /// The site's `base_url`, which root-relative links are put under.
    base_url: String,
}

impl std::fmt::Debug for Markdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Markdown")
            .field("trust_html", &self.trust_html)
            .finish_non_exhaustive()
    }
}

/// Classes the renderer itself emits, and so the only ones the sanitiser lets through.
const TABLE_CLASSES: &[&str] = &["bp-table"];
const WRAP_CLASSES: &[&str] = &["bp-table-wrap"];
const CELL_CLASSES: &[&str] = &["bp-align-left", "bp-align-center", "bp-align-right"];
/// Ids the renderer emits start with this; any other id is removed by the sanitiser.
const ID_PREFIX: &str = "bp-fn";

impl Markdown {
    pub fn new(trust_html: bool) -> Self {
        let mut cleaner = ammonia::Builder::default();
        cleaner
            // No `rel` added to links: ammonia's default (`noopener noreferrer`) guards
            // `target="_blank"`, which it removes anyway, and would mark the renderer's own
            // in-page footnote links too, so that plain text (which skips the sanitiser) and
            // text with links would differ. Browsers send only the origin across sites.
            .link_rel(None)
            .add_tag_attributes("th", ["scope"])
            .add_tag_attributes("li", ["id"])
            .add_tag_attributes("a", ["id"])
            .add_allowed_classes("table", TABLE_CLASSES)
            .add_allowed_classes("div", WRAP_CLASSES)
            .add_tag_attributes("div", ["role", "tabindex", "aria-label"])
            .add_allowed_classes("th", CELL_CLASSES)
            .add_allowed_classes("td", CELL_CLASSES)
            .add_allowed_classes("ol", ["bp-footnotes"])
            .add_allowed_classes("sup", ["bp-footnote-ref"])
            .add_allowed_classes("a", ["bp-footnote-back"])
            .attribute_filter(|element, attribute, value| match (element, attribute) {
                ("div", "role") if value != "region" => None,
                ("div", "tabindex") if value != "0" => None,
                (_, "id") if !value.starts_with(ID_PREFIX) => None,
                _ => Some(Cow::Borrowed(value)),
            });
        Self {
            trust_html,
            cleaner,
            base_url: "/".into(),
        }
    }

    /// The same renderer, putting root-relative links under `base_url` (which ends in `/`).
    pub fn with_base_url(mut self, base_url: &str) -> Self {
        self.base_url = base_url.to_string();
        self
    }

    pub fn trusts_html(&self) -> bool {
        self.trust_html
    }

    /// Render Markdown to HTML, sanitised unless the site trusts raw HTML.
    ///
    /// Text with no raw HTML, links or images (most report text) cannot produce markup other
    /// than the renderer's own, so it skips the sanitiser, which would otherwise be most of the
    /// cost of rendering it. Everything else goes through ammonia.
    pub fn render(&self, source: &str, options: RenderOptions<'_>) -> String {
        self.render_for(source, options, None)
    }

    /// [`Markdown::render`], with relative links resolved against `page`, the URL of the page
    /// the text was written for (its report's page), so that they lead to the same place on
    /// every page that shows the text. Without `page`, they are left for the browser.
    pub fn render_for(
        &self,
        source: &str,
        options: RenderOptions<'_>,
        page: Option<&str>,
    ) -> String {
        let links = Links {
            base_url: &self.base_url,
            page,
        };
        let (html, plain) = to_html(source, options, links);
        if self.trust_html || plain {
            html
        } else {
            self.cleaner.clean(&html).to_string()
        }
    }
}

/// Render with default options: the convenience used by tests and by callers outside templates.
pub fn render(source: &str, trust_html: bool) -> String {
    Markdown::new(trust_html).render(source, RenderOptions::default())
}

fn parser_options() -> Options {
    crate::read::MARKDOWN_OPTIONS
}

/// A short, stable id fragment derived from the text itself.
fn text_hash(source: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(source.as_bytes());
    digest[..4].iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Keep an id fragment to characters that need no escaping anywhere.
fn id_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

fn level_from(n: u8) -> HeadingLevel {
    HeadingLevel::try_from(usize::from(n.clamp(1, 6))).unwrap_or(HeadingLevel::H6)
}

/// The opening of a Markdown table: a region named after its columns, and the table.
fn table_open(columns: &[String]) -> String {
    let named: Vec<&str> = columns
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    let label = if named.is_empty() {
        "Table".to_string()
    } else {
        format!("Table: {}", named.join(", "))
    };
    format!(
        "<div class=\"bp-table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{}\"><table class=\"bp-table\">",
        super::escape_html(&label)
    )
}

/// Where a text's internal links are resolved: the site's `base_url`, and the page the text was
/// written for, if known.
#[derive(Debug, Clone, Copy)]
struct Links<'a> {
    base_url: &'a str,
    page: Option<&'a str>,
}

impl Default for Links<'_> {
    fn default() -> Self {
        Self {
            base_url: "/",
            page: None,
        }
    }
}

/// Whether a link's address names a scheme (`https:`, `mailto:`, `tel:`) or a host (`//host`):
/// then it leads out of the site, or at least not to a path of it.
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let end = dest.find(['/', '?', '#']).unwrap_or(dest.len());
    dest[..end].contains(':')
}

/// A site path (`budget/2009-10-q2/`, relative to the site's root) with its `.` and `..` worked
/// out; `..` never climbs above the root. A trailing `/` is kept.
pub fn normalise_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let mut dir = path.is_empty();
    for p in path.split('/') {
        dir = matches!(p, "" | "." | "..");
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if dir && !out.is_empty() {
        out.push('/');
    }
    out
}

/// The address a link's `dest` is written out with (see the module documentation), where it
/// changes.
fn rewrite(dest: &str, links: Links<'_>) -> Option<String> {
    if dest.is_empty() || dest.starts_with(['#', '?']) || is_external(dest) {
        return None;
    }
    if let Some(rooted) = dest.strip_prefix('/') {
        return (links.base_url != "/").then(|| format!("{}{rooted}", links.base_url));
    }
    let page = links.page?.strip_prefix(links.base_url)?;
    let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
    let split = dest.find(['?', '#']).unwrap_or(dest.len());
    let (path, rest) = dest.split_at(split);
    let joined = if dir.is_empty() {
        path.to_string()
    } else {
        format!("{dir}/{path}")
    };
    Some(format!(
        "{}{}{rest}",
        links.base_url,
        normalise_path(&joined)
    ))
}

/// Markdown to unsanitised HTML, with the rewrites described in the module documentation, and
/// whether the text was *plain*: free of raw HTML, links and images, so that every tag in the
/// result is one the renderer writes itself.
fn to_html(source: &str, options: RenderOptions<'_>, links: Links<'_>) -> (String, bool) {
    let events: Vec<Event<'_>> = Parser::new_ext(source, parser_options()).collect();
    let plain = !events.iter().any(|e| {
        matches!(
            e,
            Event::Html(_)
                | Event::InlineHtml(_)
                | Event::Start(Tag::Link { .. } | Tag::Image { .. })
        )
    });
    let prefix = id_safe(
        &options
            .id_prefix
            .map_or_else(|| text_hash(source), str::to_string),
    );
    let top = options.top_heading.clamp(1, 6);
    let shift = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(level_number(*level)),
            _ => None,
        })
        .min()
        .map_or(0, |highest| i16::from(top) - i16::from(highest));
    let moved = |level: HeadingLevel| {
        let n = (i16::from(level_number(level)) + shift).clamp(i16::from(top), 6);
        level_from(u8::try_from(n).unwrap_or(6))
    };

    // Footnotes are numbered by first reference; definitions are collected and printed last.
    let mut numbers: BTreeMap<String, usize> = BTreeMap::new();
    let mut referenced: HashSet<String> = HashSet::new();
    let mut definitions: Vec<(String, Vec<Event<'_>>)> = Vec::new();
    let mut in_definition: Option<(String, Vec<Event<'_>>)> = None;

    let mut body: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut alignments: Vec<Alignment> = Vec::new();
    let mut in_head = false;
    let mut cell = 0usize;
    // Where the open table's region starts, and its header cells' text: the region is named
    // after the columns, which are known only once the header row has been read.
    let mut table_start = 0usize;
    let mut columns: Vec<String> = Vec::new();

    for event in events {
        let out = match &mut in_definition {
            Some((_, evs)) if !matches!(event, Event::End(TagEnd::FootnoteDefinition)) => evs,
            _ => &mut body,
        };
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => out.push(Event::Start(Tag::Heading {
                level: moved(level),
                id,
                classes,
                attrs,
            })),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => out.push(Event::Start(Tag::Link {
                link_type,
                dest_url: rewrite(&dest_url, links).map_or(dest_url, CowStr::from),
                title,
                id,
            })),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => out.push(Event::Start(Tag::Image {
                link_type,
                dest_url: rewrite(&dest_url, links).map_or(dest_url, CowStr::from),
                title,
                id,
            })),
            Event::End(TagEnd::Heading(level)) => {
                out.push(Event::End(TagEnd::Heading(moved(level))))
            }
            Event::Start(Tag::Table(aligns)) => {
                alignments = aligns;
                columns.clear();
                table_start = out.len();
                out.push(Event::Html(table_open(&columns).into()));
            }
            Event::End(TagEnd::Table) => {
                out.push(Event::Html(CowStr::Borrowed("</tbody></table></div>\n")))
            }
            Event::Start(Tag::TableHead) => {
                in_head = true;
                cell = 0;
                out.push(Event::Html(CowStr::Borrowed("<thead><tr>")));
            }
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                if let Some(open) = out.get_mut(table_start) {
                    *open = Event::Html(table_open(&columns).into());
                }
                out.push(Event::Html(CowStr::Borrowed("</tr></thead><tbody>")));
            }
            Event::Text(ref text) | Event::Code(ref text) if in_head => {
                if let Some(column) = columns.get_mut(cell) {
                    column.push_str(text);
                }
                out.push(event);
            }
            Event::Start(Tag::TableRow) => {
                cell = 0;
                out.push(Event::Html(CowStr::Borrowed("<tr>")));
            }
            Event::End(TagEnd::TableRow) => out.push(Event::Html(CowStr::Borrowed("</tr>"))),
            Event::Start(Tag::TableCell) => {
                if in_head {
                    columns.push(String::new());
                }
                let class = match alignments.get(cell) {
                    Some(Alignment::Left) => " class=\"bp-align-left\"",
                    Some(Alignment::Center) => " class=\"bp-align-center\"",
                    Some(Alignment::Right) => " class=\"bp-align-right\"",
                    _ => "",
                };
                let tag = if in_head {
                    format!("<th scope=\"col\"{class}>")
                } else {
                    format!("<td{class}>")
                };
                out.push(Event::Html(tag.into()));
            }
            Event::End(TagEnd::TableCell) => {
                cell += 1;
                out.push(Event::Html(CowStr::Borrowed(if in_head {
                    "</th>"
                } else {
                    "</td>"
                })));
            }
            Event::FootnoteReference(name) => {
                let next = numbers.len() + 1;
                let n = *numbers.entry(name.to_string()).or_insert(next);
                // Only the first reference carries the id the back link points to.
                let id = if referenced.insert(name.to_string()) {
                    format!(" id=\"{ID_PREFIX}ref-{prefix}-{n}\"")
                } else {
                    String::new()
                };
                out.push(Event::Html(
                    format!(
                        "<sup class=\"bp-footnote-ref\"><a href=\"#{ID_PREFIX}-{prefix}-{n}\"{id}>[{n}]</a></sup>"
                    )
                    .into(),
                ));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                in_definition = Some((name.to_string(), Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some(def) = in_definition.take() {
                    definitions.push(def);
                }
            }
            other => out.push(other),
        }
    }

    let mut html_out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut html_out, body.into_iter());

    if !definitions.is_empty() {
        // Referenced definitions in reference order, then any never referenced, in text order.
        let mut ordered: Vec<(usize, String, Vec<Event<'_>>)> =
            Vec::with_capacity(definitions.len());
        let mut extra = numbers.len();
        for (name, evs) in definitions {
            let n = match numbers.get(&name) {
                Some(n) => *n,
                None => {
                    extra += 1;
                    extra
                }
            };
            ordered.push((n, name, evs));
        }
        ordered.sort_by_key(|(n, _, _)| *n);
        ordered.dedup_by_key(|(n, _, _)| *n);
        html_out.push_str("<ol class=\"bp-footnotes\">\n");
        for (n, name, evs) in ordered {
            let _ = write!(html_out, "<li id=\"{ID_PREFIX}-{prefix}-{n}\">");
            html::push_html(&mut html_out, evs.into_iter());
            if referenced.contains(&name) {
                let _ = write!(
                    html_out,
                    "<p><a class=\"bp-footnote-back\" href=\"#{ID_PREFIX}ref-{prefix}-{n}\">Back to reference {n}</a></p>",
                );
            }
            html_out.push_str("</li>\n");
        }
        html_out.push_str("</ol>\n");
    }
    (html_out, plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same markup, whatever the serialiser's choices of entities and attribute order.
    fn dom(html: &str) -> String {
        scraper::Html::parse_fragment(html).root_element().html()
    }

    /// Skipping the sanitiser for plain text must give what the sanitiser would have given:
    /// checked on every Markdown file the repository has (front matter included, as text).
    #[test]
    fn plain_text_skips_the_sanitiser_without_changing_the_page() {
        let md = Markdown::new(false);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut plain_seen = 0;
        for dir in ["content", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                if entry.path().extension().is_none_or(|e| e != "md") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                const MORE: &[&str] = &[
                    "Spend rose[^1] & fell[^2].\n\n[^1]: In Q1 \"mostly\".\n[^2]: Later[^1].\n",
                    "| a | b |\n|:--|--:|\n| 1 < 2 | 'x' & \"y\" |\n",
                    "# Top\n\n## Next\n\n`code <b>` and *em* **strong** ~~gone~~\n\n- one\n- two\n\n1. x\n",
                    "> quote with a < b and c > d\n\n    indented code & stuff\n",
                ];
                let pieces = std::iter::once(text.as_str())
                    .chain(text.split("\n\n"))
                    .chain(MORE.iter().copied());
                for piece in pieces {
                    for top in [1, 2, 3] {
                        let options = RenderOptions {
                            top_heading: top,
                            id_prefix: Some("t"),
                        };
                        let (raw, plain) = to_html(piece, options, Links::default());
                        if !plain {
                            continue;
                        }
                        plain_seen += 1;
                        let cleaned = md.cleaner.clean(&raw).to_string();
                        assert_eq!(
                            dom(&raw),
                            dom(&cleaned),
                            "{}: {piece:?}",
                            entry.path().display()
                        );
                        assert_eq!(md.render(piece, options), raw);
                    }
                }
            }
        }
        assert!(plain_seen > 1000, "only {plain_seen} plain texts");
    }

    fn clean(md: &str) -> String {
        render(md, false)
    }

    #[test]
    fn script_is_removed() {
        let html =
            clean("Hello <script>alert('x')</script> world\n\n<script>\nalert(1)\n</script>\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("alert"), "{html}");
        assert!(html.contains("Hello"), "{html}");
    }

    #[test]
    fn javascript_links_are_removed() {
        let html =
            clean("[click](javascript:alert(1)) and <a href=\"javascript:alert(2)\">raw</a>");
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(html.contains("click"), "{html}");
        let html = clean("[ok](https://example.org/) [rel](../budget/)");
        assert!(html.contains("href=\"https://example.org/\""), "{html}");
        assert!(html.contains("href=\"../budget/\""), "{html}");
    }

    #[test]
    fn event_handlers_and_styles_are_removed() {
        let html = clean("<p onclick=\"x()\" style=\"color:red\" id=\"main-content\">t</p>");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("style"), "{html}");
        assert!(!html.contains("id="), "{html}");
    }

    #[test]
    fn tables_render_with_header_scope() {
        let html = clean("| Item | Amount |\n| --- | ---: |\n| Staff | £1,000 |\n");
        assert!(html.contains("<table class=\"bp-table\">"), "{html}");
        assert!(html.contains("<th scope=\"col\">Item</th>"), "{html}");
        assert!(
            html.contains("<th scope=\"col\" class=\"bp-align-right\">Amount</th>"),
            "{html}"
        );
        assert!(
            html.contains("<td class=\"bp-align-right\">£1,000</td>"),
            "{html}"
        );
        assert!(html.contains("<tbody><tr><td>Staff</td>"), "{html}");
    }

    /// A wide table scrolls in its own region, named after its columns, through the sanitiser
    /// or not; an author's raw HTML cannot borrow the region's role or tab stop.
    #[test]
    fn tables_sit_in_a_named_scrolling_region() {
        let table = "| *Item* | `Code` | [Link](https://example.org) |\n| --- | --- | --- |\n| a | b | c |\n";
        let wrap = |html: &str| -> (String, String, String, usize) {
            let doc = scraper::Html::parse_fragment(html);
            let sel = scraper::Selector::parse("div.bp-table-wrap").unwrap();
            let div = doc.select(&sel).next().expect("a region around the table");
            let attr = |a: &str| div.value().attr(a).unwrap_or_default().to_string();
            let tables = div
                .select(&scraper::Selector::parse("table.bp-table").unwrap())
                .count();
            (attr("role"), attr("tabindex"), attr("aria-label"), tables)
        };
        // With a link, the text goes through the sanitiser; without, it does not.
        for source in [table, "| Item | Amount |\n| --- | --- |\n| a | b |\n"] {
            let (role, tabindex, _, tables) = wrap(&clean(source));
            assert_eq!(
                (role.as_str(), tabindex.as_str(), tables),
                ("region", "0", 1)
            );
        }
        assert_eq!(wrap(&clean(table)).2, "Table: Item, Code, Link");
        assert_eq!(wrap(&clean("| |\n| --- |\n| a |\n")).2, "Table");
        let quoted = clean("| \"Say\" <b>x</b> |\n| --- |\n| a |\n");
        assert!(wrap(&quoted).2.starts_with("Table: \"Say\""), "{quoted}");

        let raw = clean("<div class=\"bp-table-wrap\" role=\"button\" tabindex=\"5\">x</div>");
        assert!(!raw.contains("role") && !raw.contains("tabindex"), "{raw}");
    }

    /// Root-relative links go under a sub-folder `base_url`; relative ones are resolved against
    /// the page the text was written for; anchors, external links and unknown pages stay.
    #[test]
    fn internal_links_are_resolved_for_the_base_url_and_page() {
        let md = Markdown::new(false).with_base_url("/board/");
        let hrefs = |source: &str, page: Option<&str>| -> Vec<String> {
            let html = md.render_for(source, RenderOptions::default(), page);
            let doc = scraper::Html::parse_fragment(&html);
            let sel = scraper::Selector::parse("a[href], img[src]").unwrap();
            doc.select(&sel)
                .map(|e| {
                    let v = e.value();
                    v.attr("href")
                        .or(v.attr("src"))
                        .unwrap_or_default()
                        .to_string()
                })
                .collect()
        };
        let text = "[a](/budget/2009-10-q2/) [b](../../../budget/2009-10-q2/#x) [c](#top) \
                    [d](https://example.org/) [e](mailto:a@example.org) [f](notes/) \
                    ![g](/img/logo.png) [h](../../../../../up/)";
        assert_eq!(
            hrefs(text, Some("/board/programmes/capacity/2009-10-q2/")),
            [
                "/board/budget/2009-10-q2/",
                "/board/budget/2009-10-q2/#x",
                "#top",
                "https://example.org/",
                "mailto:a@example.org",
                "/board/programmes/capacity/2009-10-q2/notes/",
                "/board/img/logo.png",
                "/board/up/",
            ]
        );
        // Without the page, relative links are the browser's to resolve.
        assert_eq!(hrefs("[f](notes/)", None), ["notes/"]);
        // At the root of a domain nothing changes.
        let root = Markdown::new(false);
        let html = root.render_for("[a](/x/)", RenderOptions::default(), Some("/p/"));
        assert!(html.contains("href=\"/x/\""), "{html}");
    }

    #[test]
    fn paths_are_normalised() {
        assert_eq!(normalise_path("budget/2009-10-q2/"), "budget/2009-10-q2/");
        assert_eq!(normalise_path("a/./b/../c"), "a/c");
        assert_eq!(normalise_path("a/b/.."), "a/");
        assert_eq!(normalise_path("../../x"), "x");
        assert_eq!(normalise_path(""), "");
        assert!(is_external("https://x") && is_external("mailto:a") && is_external("//h/"));
        assert!(!is_external("/a:b/") && !is_external("a/b:c") && !is_external("#x:y"));
    }

    #[test]
    fn strikethrough_renders() {
        assert!(clean("~~old~~ new").contains("<del>old</del>"));
    }

    #[test]
    fn trusted_html_is_kept() {
        let html = render("<div class=\"x\">raw</div>", true);
        assert!(html.contains("<div class=\"x\">raw</div>"), "{html}");
    }

    #[test]
    fn headings_move_to_the_requested_level() {
        let md = Markdown::new(false);
        let opts = |top| RenderOptions {
            top_heading: top,
            id_prefix: Some("t"),
        };
        let html = md.render("# One\n\n## Two\n\n#### Four", opts(3));
        assert!(html.contains("<h3>One</h3>"), "{html}");
        assert!(html.contains("<h4>Two</h4>"), "{html}");
        assert!(html.contains("<h6>Four</h6>"), "{html}");
        let html = md.render("### Deep", opts(2));
        assert!(html.contains("<h2>Deep</h2>"), "{html}");
        let html = md.render("# A\n\n###### F", opts(4));
        assert!(html.contains("<h6>F</h6>"), "{html}");
    }

    #[test]
    fn footnotes_are_numbered_gathered_and_prefixed() {
        let md = Markdown::new(false);
        let source =
            "Second[^b] then first[^a] and again[^b].\n\n[^a]: Note A.\n\n[^b]: Note B.\n\nAfter.";
        let html = md.render(
            source,
            RenderOptions {
                top_heading: 2,
                id_prefix: Some("r1"),
            },
        );
        assert!(
            html.contains("<a href=\"#bp-fn-r1-1\" id=\"bp-fnref-r1-1\""),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"#bp-fn-r1-2\" id=\"bp-fnref-r1-2\""),
            "{html}"
        );
        // The second reference to the same note has no id, so ids stay unique.
        assert_eq!(html.matches("id=\"bp-fnref-r1-1\"").count(), 1, "{html}");
        let list = html
            .find("<ol class=\"bp-footnotes\">")
            .expect("footnote list");
        assert!(html.find("After.").unwrap() < list, "{html}");
        assert!(
            html.find("<li id=\"bp-fn-r1-1\"><p>Note B.").is_some(),
            "{html}"
        );
        assert!(
            html.find("<li id=\"bp-fn-r1-2\"><p>Note A.").is_some(),
            "{html}"
        );
    }

    #[test]
    fn ids_from_raw_html_are_dropped_but_ours_are_kept() {
        let html = clean("<a id=\"main-content\" href=\"#x\">x</a> text[^1]\n\n[^1]: n");
        assert!(!html.contains("id=\"main-content\""), "{html}");
        assert!(html.contains("id=\"bp-fnref-"), "{html}");
    }

    #[test]
    fn default_prefix_is_stable() {
        assert_eq!(clean("a[^1]\n\n[^1]: b"), clean("a[^1]\n\n[^1]: b"));
        assert_ne!(clean("a[^1]\n\n[^1]: b"), clean("c[^1]\n\n[^1]: b"));
    }
}
