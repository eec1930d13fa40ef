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

/// Snippets for diagnostics. miette's own implementation for text scans it from the start up to
/// the span, so each diagnostic near the end of a large file cost a pass over the whole file, and
/// thousands of them took minutes. This one cuts out the lines around the span with the line
/// index, and lets miette read only those: the same snippet, at a cost independent of where in
/// the file the span is.
impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        if span.offset() + span.len() > self.text.len() {
            return Err(miette::MietteError::OutOfBounds);
        }
        let start = span.offset();
        let end = start + span.len();
        // One spare line on each side, so miette chooses the context lines exactly as it would
        // in the whole text.
        let first = self
            .line_index(start)
            .saturating_sub(context_lines_before + 1);
        let last = self.line_index(end) + context_lines_after + 1;
        let win_start = self.line_starts[first];
        let win_end = self
            .line_starts
            .get(last + 1)
            .copied()
            .unwrap_or(self.text.len());
        // Line starts follow a `\n`, so the window lies on character boundaries.
        let window: &'a str = &self.text[win_start..win_end];
        let local = miette::SourceSpan::new((start - win_start).into(), span.len());
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        let data: &'a [u8] = inner.data();
        Ok(Box::new(miette::MietteSpanContents::new(
            data,
            miette::SourceSpan::new(
                (inner.span().offset() + win_start).into(),
                inner.span().len(),
            ),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
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
