//! Markers in a document's Markdown body: a line `<!-- boardpack:tables -->` places the
//! report's structured tables there, where the paper prints them, instead of after the body.
//! An HTML comment, so that any other Markdown tool leaves it unseen.

use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Problem};
use crate::source::SourceFile;

/// The markers boardpack knows.
pub const KNOWN: &[&str] = &["tables"];

/// The name of a marker line, `tables` for `<!-- boardpack:tables -->`, if the line is one.
fn marker(line: &str) -> Option<&str> {
    let inner = line
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    inner.strip_prefix("boardpack:").map(str::trim)
}

/// Whether a line opens or closes a fenced code block, where a marker is only text.
fn fence(line: &str) -> bool {
    let t = line.trim_start();
    line.len() - t.len() < 4 && (t.starts_with("```") || t.starts_with("~~~"))
}

/// Find the `tables` marker in a body and report every marker that is not one boardpack
/// knows, or that repeats. `body` starts at `offset` in `file`; `has_tables` says whether the
/// kind has structured tables to place. Returns the marker's line (with its line break),
/// relative to the body.
pub fn scan(
    file: &Arc<SourceFile>,
    body: &str,
    offset: usize,
    has_tables: bool,
    kind: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Range<usize>> {
    let mut found: Option<Range<usize>> = None;
    let mut in_code = false;
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let span = at..at + line.len();
        at += line.len();
        if fence(line) {
            in_code = !in_code;
            continue;
        }
        let Some(name) = marker(line).filter(|_| !in_code) else {
            continue;
        };
        let text = line.trim_end_matches(['\n', '\r']);
        let lead = text.len() - text.trim_start().len();
        let located = offset + span.start + lead..offset + span.start + text.len();
        if !KNOWN.contains(&name) {
            let suggestion = crate::diagnostic::suggest(name, KNOWN.iter().copied());
            diags.push(Diagnostic::new(
                Problem::UnknownMarker {
                    name: name.to_string(),
                    reason: match suggestion {
                        Some(s) => {
                            format!(
                                "is not one boardpack knows: did you mean `<!-- boardpack:{s} -->`?"
                            )
                        }
                        None => "is not one boardpack knows: the only marker is \
                                 `<!-- boardpack:tables -->`"
                            .into(),
                    },
                },
                file,
                located,
            ));
        } else if !has_tables {
            diags.push(Diagnostic::new(
                Problem::UnknownMarker {
                    name: name.to_string(),
                    reason: format!("has nothing to place: a {kind} has no structured tables"),
                },
                file,
                located,
            ));
        } else if let Some(first) = &found {
            let (line, column) = file.line_col(offset + first.start);
            diags.push(Diagnostic::new(
                Problem::RepeatedMarker {
                    name: name.to_string(),
                    first: format!("{}:{line}:{column}", file.display),
                },
                file,
                located,
            ));
        } else {
            found = Some(span);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where a diagnostic is (line, column) and its code.
    type Found = Vec<(usize, usize, String)>;

    fn run(body: &str, has_tables: bool) -> (Option<Range<usize>>, Found) {
        let text = format!("+++\n+++\n{body}");
        let file = Arc::new(SourceFile::new("a.md", "content/a.md", text));
        let mut diags = Vec::new();
        let found = scan(&file, body, 8, has_tables, "page", &mut diags);
        let diags = diags
            .iter()
            .map(|d| {
                let (l, c) = d.line_col().unwrap();
                (l, c, d.problem.code().to_string())
            })
            .collect();
        (found, diags)
    }

    #[test]
    fn the_tables_marker_is_found_on_its_own_line() {
        let body = "Intro.\n\n<!-- boardpack:tables -->\n\nAfter.\n";
        let (found, diags) = run(body, true);
        assert_eq!(&body[found.unwrap()], "<!-- boardpack:tables -->\n");
        assert!(diags.is_empty());
        assert_eq!(run("No marker.\n", true), (None, vec![]));
        // Spacing inside the comment is free; other comments are not markers.
        let (found, diags) = run("<!--boardpack: tables-->\n<!-- a note -->\n", true);
        assert!(found.is_some() && diags.is_empty());
    }

    #[test]
    fn unknown_repeated_and_misplaced_markers_are_located() {
        let (found, diags) = run("A\n<!-- boardpack:tabels -->\n", true);
        assert_eq!(
            (found, diags),
            (None, vec![(4, 1, "unknown-marker".into())])
        );
        let (found, diags) = run(
            "<!-- boardpack:tables -->\nB\n  <!-- boardpack:tables -->\n",
            true,
        );
        assert_eq!(found, Some(0..26));
        assert_eq!(diags, [(5, 3, "repeated-marker".into())]);
        let (_, diags) = run("<!-- boardpack:tables -->\n", false);
        assert_eq!(diags, [(3, 1, "unknown-marker".into())]);
    }

    #[test]
    fn a_marker_in_a_code_block_is_only_text() {
        let (found, diags) = run("```\n<!-- boardpack:tabels -->\n```\n", true);
        assert_eq!((found, diags), (None, vec![]));
    }
}
