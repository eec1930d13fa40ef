//! Splitting a document into its TOML front matter and Markdown body.

use std::ops::Range;

use crate::diagnostic::Problem;

/// Byte ranges of the two parts of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The TOML between the fences.
    pub front: Range<usize>,
    /// The Markdown after the closing fence.
    pub body: Range<usize>,
}

/// Whether a line (without its line ending) is a `+++` fence; trailing white space is allowed.
fn is_fence(line: &str) -> bool {
    line.trim_end() == "+++"
}

/// Iterate over lines as (start, end-without-line-ending, next-line-start).
fn lines(text: &str, from: usize) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let (end, next) = match text[start..].find('\n') {
            Some(i) => (start + i, start + i + 1),
            None => (text.len(), text.len()),
        };
        pos = next;
        let end = if end > start && text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        Some((start, end, next))
    })
}

/// Find the front matter. A UTF-8 byte-order mark before the opening fence is skipped.
pub fn split(text: &str) -> Result<Split, (Problem, Range<usize>)> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    if text[start..].trim().is_empty() {
        return Err((Problem::EmptyFile, 0..0));
    }
    let mut it = lines(text, start);
    let Some((s, e, next)) = it.next() else {
        return Err((Problem::EmptyFile, 0..0));
    };
    if !is_fence(&text[s..e]) {
        return Err((Problem::NoFrontMatter, s..e.max(s + 1).min(text.len())));
    }
    for (ls, le, lnext) in it {
        if is_fence(&text[ls..le]) {
            return Ok(Split {
                front: next..ls,
                body: lnext..text.len(),
            });
        }
    }
    Err((Problem::UnclosedFrontMatter, s..e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lf_crlf_bom_and_trailing_space() {
        let t = "+++\na = 1\n+++\nbody\n";
        let s = split(t).unwrap();
        assert_eq!(&t[s.front.clone()], "a = 1\n");
        assert_eq!(&t[s.body.clone()], "body\n");

        let t = "\u{feff}+++  \r\na = 1\r\n+++\t\r\nbody";
        let s = split(t).unwrap();
        assert_eq!(&t[s.front.clone()], "a = 1\r\n");
        assert_eq!(&t[s.body.clone()], "body");
    }

    #[test]
    fn reports_missing_and_unclosed_fences() {
        assert!(matches!(
            split("title = 1\n"),
            Err((Problem::NoFrontMatter, _))
        ));
        assert!(
            matches!(split("+++\na = 1\n"), Err((Problem::UnclosedFrontMatter, r)) if r == (0..3))
        );
        assert!(matches!(split(""), Err((Problem::EmptyFile, _))));
        assert!(matches!(split(" \n\n"), Err((Problem::EmptyFile, _))));
    }

    #[test]
    fn a_fence_inside_a_value_line_is_not_a_fence() {
        let t = "+++\na = \"+++\"\n+++\n";
        let s = split(t).unwrap();
        assert_eq!(&t[s.front], "a = \"+++\"\n");
    }
}
