//! Source files held in memory, with the line index that turns byte offsets into line and column.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One file's text, shared by every diagnostic that points into it.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown to the user: relative to the site root where possible.
    pub display: String,
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, display: impl Into<String>, text: String) -> Arc<Self> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Arc::new(Self {
            display: display.into(),
            path: path.into(),
            text,
            line_starts,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Zero-based index of the line holding a byte offset.
    fn line_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// One-based line and column (in characters, as editors count them) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// Clamp a span so that it lies inside the text and on character boundaries.
    pub fn clamp(&self, span: Range<usize>) -> Range<usize> {
        let mut start = span.start.min(self.text.len());
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = span.end.clamp(start, self.text.len());
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        start..end
    }
}

/// Whether a character must not reach a terminal as it is: control characters (C0 but tab and
/// newline, DEL, C1), which can move the cursor, retitle the window or ring the bell, and the
/// bidirectional overrides, which can make text read differently from what it is.
pub fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text from a user's files made safe to print: each unsafe character (see
/// [`is_unsafe_char`]) becomes a visible escape such as `\u{1b}`.
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    std::borrow::Cow::Owned(out)
}

fn push_escaped(out: &mut String, c: char) {
    if is_unsafe_char(c) {
        out.push_str(&c.escape_unicode().to_string());
    } else {
        out.push(c);
    }
}

/// The part of a file a diagnostic shows: a few lines around the span, each cut to a window of
/// columns around it and escaped, with the span moved to match.
///
/// miette draws a snippet with `format!` widths, which Rust limits to 65,535: a span past that
/// column of a long line (a 66,000-character string, then a typo) panicked. Cutting each line to
/// [`SNIPPET_COLUMNS`] characters around the span avoids that by construction, keeps a snippet
/// readable in a terminal, and bounds how much of a file any diagnostic prints. Only the lines
/// shown are read, with the line index, so a snippet costs the same wherever it is in the file
/// (miette's own reader scanned the text from its start for each one).
#[derive(Debug, Clone)]
pub struct Snippet {
    pub text: String,
    /// The span within `text`.
    pub span: Range<usize>,
    /// Zero-based line number, in the file, of the first line of `text`.
    first_line: usize,
    /// Zero-based column, in characters, of the span's start in the file.
    column: usize,
}

/// The widest a line of a snippet is, in characters, before it is cut.
pub const SNIPPET_COLUMNS: usize = 100;

/// How many lines of a multi-line span a snippet shows.
const SNIPPET_SPAN_LINES: usize = 6;

impl SourceFile {
    /// The snippet for `span`, with up to `context` lines either side, each line cut to at most
    /// `columns` characters (plus an ellipsis at a cut end).
    pub fn snippet(&self, span: Range<usize>, context: usize, columns: usize) -> Snippet {
        let span = self.clamp(span);
        let start_line = self.line_index(span.start);
        let last_of_span = self.line_index(span.end.saturating_sub(1).max(span.start));
        let end_line = last_of_span.min(start_line + SNIPPET_SPAN_LINES - 1);
        let first = start_line.saturating_sub(context);
        let last = (end_line + context).min(self.line_starts.len() - 1);
        let (_, column) = self.line_col(span.start);
        let column = column - 1;
        // The same window of columns on every line, so that they stay aligned.
        let line_len = |i: usize| self.line_text(i).chars().count();
        let widest = (first..=last).map(line_len).max().unwrap_or(0);
        let from = if widest > columns {
            column.saturating_sub(columns / 3)
        } else {
            0
        };
        let mut text = String::new();
        let (mut start, mut end) = (None, None);
        for i in first..=last {
            let line_start = self.line_starts[i];
            let next_line = self.line_starts.get(i + 1).copied();
            let line = self.line_text(i);
            if from > 0 {
                text.push('…');
            }
            let mut cut = false;
            for (shown, (at, c)) in line.char_indices().skip(from).enumerate() {
                if shown == columns {
                    cut = true;
                    break;
                }
                let at = line_start + at;
                if start.is_none() && at >= span.start {
                    start = Some(text.len());
                }
                if start.is_some() && end.is_none() && at >= span.end {
                    end = Some(text.len());
                }
                push_escaped(&mut text, c);
            }
            // An end of the span at the end of this line, or past what is shown of it, goes to
            // the end of what is shown.
            let on_line = |offset: usize| next_line.is_none_or(|n| offset < n);
            if start.is_none() && on_line(span.start) {
                start = Some(text.len());
            }
            if start.is_some() && end.is_none() && (on_line(span.end) || i == end_line) {
                end = Some(text.len());
            }
            if cut {
                text.push('…');
            }
            // The line ending too, as miette draws an empty last line only after one.
            if next_line.is_some() {
                text.push('\n');
            }
        }
        let start = start.unwrap_or(0);
        let end = end.unwrap_or(text.len()).max(start);
        Snippet {
            text,
            span: start..end,
            first_line: first,
            column,
        }
    }

    /// Line `i`, without its line ending.
    fn line_text(&self, i: usize) -> &str {
        let start = self.line_starts[i];
        let end = self
            .line_starts
            .get(i + 1)
            .map_or(self.text.len(), |next| next - 1);
        let line = &self.text[start..end.max(start)];
        line.strip_suffix('\r').unwrap_or(line)
    }
}

impl miette::SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        // miette counts columns in bytes of the snippet; the header should give the column in the
        // file, in characters, as the diagnostic's location does.
        let column = if span.offset() == self.span.start {
            self.column
        } else {
            inner.column()
        };
        Ok(Box::new(miette::MietteSpanContents::new(
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let f = SourceFile::new("a.md", "a.md", "ab\n£cd\nx".to_string());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // "£" is two bytes but one column.
        assert_eq!(f.line_col(5), (2, 2));
        assert_eq!(f.line_col(f.text.len()), (3, 2));
    }
}
