//! A report's body rendered once and shared: its own page shows it as rendered, at the page's
//! heading level (`hl = 1`), and its board pack shows the same bytes one heading level down.
//!
//! Rendering the kind's partial twice (once per page, once per pack) was most of a large
//! build's template time. The body is boardpack's own HTML, made by autoescaping templates and
//! the Markdown renderer, so moving its headings is a scan of its tags rather than a parse.

use tera::{Context, Value};

use crate::error::Error;
use crate::render::templates::Templates;

/// The template that renders a report's body: it picks the kind's partial.
pub const BODY_TEMPLATE: &str = "partials/report-body.html";

/// The heading level a report's body is rendered at: its own page's, whose title is `<h1>`.
pub const BODY_LEVEL: u8 = 1;

/// Render a report's body through the site's templates, with `ctx` the context of the report's
/// own page: the result is marked safe, since the templates that made it escape what they print.
pub fn render_body(templates: &Templates, mut ctx: Context) -> Result<Value, Error> {
    ctx.insert("hl", &BODY_LEVEL);
    let bytes = templates.render(BODY_TEMPLATE, &ctx)?;
    let html = String::from_utf8(bytes).map_err(|e| Error::Template {
        path: BODY_TEMPLATE.into(),
        line: None,
        column: None,
        message: format!("the report's body is not UTF-8: {e}"),
    })?;
    Ok(Value::safe_string(&html))
}

/// Move every heading in `html` down `by` levels (`<h2 …>` → `<h3 …>` and `</h2>` → `</h3>`),
/// none below `<h6>`, as the Markdown renderer and the templates stop at `<h6>` too.
///
/// Only tags are touched: text, attribute values, comments and the content of `<script>`,
/// `<style>`, `<textarea>` and `<title>` are copied as they are, so `title="<h2"` or a comment
/// naming a heading stays. Anything that is not a tag is copied unchanged.
pub fn shift_headings(html: &str, by: u8) -> String {
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    // `copied` is where the next unwritten byte is; only the level digit is ever replaced.
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = memchr(b'<', &b[i..]) {
        let lt = i + off;
        let rest = &b[lt..];
        if rest.starts_with(b"<!--") {
            i = find(b, lt + 4, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_at = lt + 1 + usize::from(closing);
        let name_len = b[name_at..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            // `<` that starts no tag (`<!DOCTYPE`, `<?`, or stray text): leave it.
            i = lt + 1;
            continue;
        }
        let name = &b[name_at..name_at + name_len];
        if name_len == 2 && name[0].eq_ignore_ascii_case(&b'h') && (b'1'..=b'6').contains(&name[1])
        {
            let level = (name[1] - b'0').saturating_add(by).min(6);
            out.push_str(&html[copied..name_at + 1]);
            out.push(char::from(b'0' + level));
            copied = name_at + 2;
        }
        let end = tag_end(b, name_at + name_len);
        i = end;
        if !closing && let Some(raw) = raw_text(name) {
            i = find_closing(b, end, raw).unwrap_or(b.len());
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// Elements whose content is text to the browser, not tags.
fn raw_text(name: &[u8]) -> Option<&'static [u8]> {
    [&b"script"[..], b"style", b"textarea", b"title"]
        .into_iter()
        .find(|raw| name.eq_ignore_ascii_case(raw))
}

/// Just past the `>` that ends the tag whose attributes start at `from`, skipping quoted values.
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (j, &c) in b.iter().enumerate().skip(from) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, b'>') => return j + 1,
            _ => {}
        }
    }
    b.len()
}

/// Where `</name` (any case) starts at or after `from`.
fn find_closing(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(off) = memchr(b'<', &b[i..]) {
        let at = i + off;
        let tail = &b[at..];
        if tail.len() > name.len() + 1
            && tail[1] == b'/'
            && tail[2..2 + name.len()].eq_ignore_ascii_case(name)
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_move_down_and_stop_at_h6() {
        assert_eq!(
            shift_headings("<h2 id=\"a\">A</h2><h5>B</h5><h6 class=\"x\">C</h6>", 1),
            "<h3 id=\"a\">A</h3><h6>B</h6><h6 class=\"x\">C</h6>"
        );
        assert_eq!(shift_headings("<H1>x</H1>", 2), "<H3>x</H3>");
        assert_eq!(shift_headings("<h2>x</h2>", 0), "<h2>x</h2>");
    }

    #[test]
    fn other_tags_and_text_are_untouched() {
        let html = "<header><hr><h7>no</h7><html><p>a &lt;h2&gt; b</p><hgroup></hgroup></header>";
        assert_eq!(shift_headings(html, 1), html);
        assert_eq!(shift_headings("", 1), "");
        assert_eq!(shift_headings("no tags at all", 1), "no tags at all");
    }

    #[test]
    fn attribute_values_comments_and_raw_text_are_untouched() {
        let html = concat!(
            "<a title=\"<h2>\" data-x='<h3'>x</a>",
            "<!-- <h2>old</h2> -->",
            "<script>let s = '<h2>';</script>",
            "<style>/* <h4> */</style>",
            "<svg><title><h2></title></svg>",
            "<h2 title=\"a > b\">t</h2>",
        );
        let want = concat!(
            "<a title=\"<h2>\" data-x='<h3'>x</a>",
            "<!-- <h2>old</h2> -->",
            "<script>let s = '<h2>';</script>",
            "<style>/* <h4> */</style>",
            "<svg><title><h2></title></svg>",
            "<h3 title=\"a > b\">t</h3>",
        );
        assert_eq!(shift_headings(html, 1), want);
    }

    #[test]
    fn broken_markup_is_copied_as_far_as_it_goes() {
        assert_eq!(shift_headings("a < b <h2", 1), "a < b <h3");
        assert_eq!(shift_headings("<h2 title=\"open", 1), "<h3 title=\"open");
        assert_eq!(shift_headings("<!-- open <h2>", 1), "<!-- open <h2>");
        assert_eq!(shift_headings("<script><h2>", 1), "<script><h2>");
        assert_eq!(shift_headings("é<h2>ü</h2>", 1), "é<h3>ü</h3>");
    }
}
