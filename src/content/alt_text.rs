//! Images in a body's raw HTML that have no text alternative (WCAG 1.1.1): found at check
//! time, so the author learns where, rather than readers of the published page.
//!
//! Markdown images always get an `alt` (empty for `![](x.png)`, which marks decoration); only
//! an `<img>` an author writes as HTML can have none, and screen readers then read out its file
//! name instead.

use std::ops::Range;

use pulldown_cmark::{Event, Parser};

/// Byte ranges in `text` of `<img>` tags, in raw HTML, that have no `alt` attribute.
pub fn images_without_alt(text: &str) -> Vec<Range<usize>> {
    // Cheap test first: most bodies have no raw image at all.
    if !text
        .as_bytes()
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b"<img"))
    {
        return Vec::new();
    }
    // An HTML block comes as one event a line, so a tag may span events: scan whole runs of
    // raw HTML in the source instead.
    let mut runs: Vec<Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(text, crate::read::MARKDOWN_OPTIONS).into_offset_iter() {
        if !matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
            continue;
        }
        match runs.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => runs.push(range),
        }
    }
    let mut found = Vec::new();
    for run in runs {
        let Some(html) = text.get(run.clone()) else {
            continue;
        };
        found.extend(
            img_tags_without_alt(html)
                .into_iter()
                .map(|r| run.start + r.start..run.start + r.end),
        );
    }
    found
}

/// `<img …>` tags in a fragment of HTML without an `alt` attribute, as ranges of the fragment.
fn img_tags_without_alt(html: &str) -> Vec<Range<usize>> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        let start = i + at;
        i = start + 1;
        let name_end = start + 4;
        let is_img = bytes
            .get(start + 1..name_end)
            .is_some_and(|n| n.eq_ignore_ascii_case(b"img"))
            && bytes
                .get(name_end)
                .is_none_or(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>');
        if !is_img {
            continue;
        }
        let (end, names) = attribute_names(bytes, name_end);
        if !names.iter().any(|n| n.eq_ignore_ascii_case(b"alt")) {
            found.push(start..end);
        }
        i = end.max(i);
    }
    found
}

/// The names of the attributes of a tag whose attributes start at `i`, and where the tag ends
/// (after its `>`, or the end of the text). Quoted values may hold `>`.
fn attribute_names(bytes: &[u8], mut i: usize) -> (usize, Vec<&[u8]>) {
    let mut names = Vec::new();
    loop {
        while bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
        {
            i += 1;
        }
        match bytes.get(i) {
            None => return (i, names),
            Some(b'>') => return (i + 1, names),
            _ => {}
        }
        let start = i;
        while bytes
            .get(i)
            .is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'/' | b'>' | b'='))
        {
            i += 1;
        }
        names.push(&bytes[start..i]);
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                i += 1;
                while bytes.get(i).is_some_and(|b| *b != q) {
                    i += 1;
                }
                i = (i + 1).min(bytes.len());
            }
            _ => {
                while bytes
                    .get(i)
                    .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'>')
                {
                    i += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        images_without_alt(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn raw_images_without_alt_are_found_where_they_are() {
        let text = "Done <img src=x onerror=alert(1)>.\n\n<div>\n<IMG\n  src=\"a>b.png\"\n  title='alt'>\n</div>\n";
        assert_eq!(
            found(text),
            [
                "<img src=x onerror=alert(1)>",
                "<IMG\n  src=\"a>b.png\"\n  title='alt'>"
            ]
        );
    }

    #[test]
    fn images_with_alt_markdown_images_and_code_are_not() {
        for text in [
            "<img src=x alt=\"Spend by quarter\">",
            "<img alt src=x>",
            "<img src=x ALT=''/>",
            "![](chart.png) and ![Spend](chart.png)",
            "`<img src=x>` in code, and\n\n    <img src=x>\n",
            "<imgx src=x> <image src=x>",
            "no images at all",
        ] {
            assert_eq!(found(text), Vec::<&str>::new(), "{text}");
        }
    }

    /// Markdown makes an unfinished tag text, which is printed as it is: no image.
    #[test]
    fn an_unfinished_tag_is_text() {
        assert_eq!(found("<img src=\"x"), Vec::<&str>::new());
        assert_eq!(found("a <img"), Vec::<&str>::new());
        assert_eq!(attribute_names(b"<img src=\"x", 4).0, 11);
        // In an HTML block, an unfinished tag is raw HTML that runs to the end of the text.
        let text = "<div>\n<img src=\"x";
        assert_eq!(found(text), ["<img src=\"x"]);
    }
}
