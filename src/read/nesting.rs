//! A bound on how deeply text nests. Markdown bodies and narrative fields become HTML that the
//! sanitiser (html5ever, under ammonia) parses, and its cost grows with the square of the depth:
//! 50,000 nested block quotes (`> > > …`, 100 kB) took half a minute, and a 16 MiB file would
//! never finish. Board papers nest a few levels; anything past [`MAX_DEPTH`] is refused with a
//! located diagnostic before rendering starts.

use pulldown_cmark::{Event, Parser};

/// The deepest nesting of Markdown blocks and HTML elements a text may have.
pub const MAX_DEPTH: usize = 100;

/// Elements that never have an end tag, so do not nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The byte offset in `text` where its nesting first goes past [`MAX_DEPTH`], if it does.
pub fn too_deep(text: &str) -> Option<usize> {
    // Each level needs at least two characters (`> `, `<b>`, or a list's indent), so short
    // text cannot be too deep and is not parsed.
    if text.len() < 2 * MAX_DEPTH {
        return None;
    }
    let mut blocks = 0usize;
    let mut html = 0usize;
    for (event, range) in Parser::new_ext(text, super::MARKDOWN_OPTIONS).into_offset_iter() {
        match event {
            Event::Start(_) => blocks += 1,
            Event::End(_) => blocks = blocks.saturating_sub(1),
            Event::Html(h) | Event::InlineHtml(h) => {
                let (after, deepest) = html_depth(&h, html);
                if blocks + deepest > MAX_DEPTH {
                    return Some(range.start);
                }
                html = after;
            }
            _ => {}
        }
        if blocks + html > MAX_DEPTH {
            return Some(range.start);
        }
    }
    None
}

/// The element depth after a fragment of raw HTML, from `depth` before it, and the deepest it
/// reaches inside. Approximate, as a bound needs: start tags open, end tags close, void and
/// self-closed elements and comments do neither.
fn html_depth(fragment: &str, mut depth: usize) -> (usize, usize) {
    let mut deepest = depth;
    let bytes = fragment.as_bytes();
    let mut i = 0;
    while let Some(at) = fragment[i..].find('<') {
        let start = i + at + 1;
        i = start;
        match bytes.get(start) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(b) if b.is_ascii_alphabetic() => {
                let end = fragment[start..]
                    .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                    .map_or(fragment.len(), |n| start + n);
                let name = fragment[start..end].to_ascii_lowercase();
                let close = fragment[end..].find('>').map(|n| end + n);
                let self_closed = close.is_some_and(|c| c > 0 && bytes[c - 1] == b'/');
                if !VOID.contains(&name.as_str()) && !self_closed {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                i = end;
            }
            _ => {}
        }
    }
    (depth, deepest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_not_too_deep() {
        let text = "## Heading\n\n- a\n  - b\n    - c\n\n> quoted\n\n<div><p>x<br>y</p></div>\n"
            .repeat(100);
        assert_eq!(too_deep(&text), None);
        let table = "| a | b |\n| --- | --- |\n".to_string() + &"| <b>1</b> | 2 |\n".repeat(500);
        assert_eq!(too_deep(&table), None);
    }

    #[test]
    fn deep_quotes_lists_and_html_are_found() {
        let quotes = format!("text\n{}x\n", "> ".repeat(50_000));
        assert!(too_deep(&quotes).is_some_and(|at| at >= 5));
        let divs = format!("{}x{}", "<div>".repeat(50_000), "</div>".repeat(50_000));
        assert!(too_deep(&divs).is_some());
        let spans = format!("a {}x", "<span>".repeat(500));
        assert!(too_deep(&spans).is_some());
        let lists: String = (0..150)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect();
        assert!(too_deep(&lists).is_some());
        // Closed as they open: never deep.
        let flat = "<span>x</span>".repeat(10_000);
        assert_eq!(too_deep(&flat), None);
    }
}
