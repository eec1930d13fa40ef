//! Drafts and approval: the two front-matter keys every kind shares, `draft = true` (the
//! convention of Zola and Hugo) and `approved = { by = "…", on = 2009-11-30 }`.

use std::ops::Range;

use jiff::civil::Date;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Problem};
use crate::read::reader::{Cx, Table};

/// Who approved a document for the board, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approved {
    pub by: String,
    pub on: Date,
}

/// What the front matter says about a document's standing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Standing {
    pub draft: bool,
    pub approved: Option<Approved>,
}

/// How a table for `approved` is written, for messages.
const APPROVED_SHAPE: &str = "a table such as { by = \"A Name\", on = 2009-11-30 }";

/// Read `draft` and `approved` from the front matter's top table. A document marked draft that
/// also records an approval is a warning: one of the two is out of date, and until `draft` goes
/// the document stays out of the published site.
pub fn read(t: &mut Table<'_, '_>, cx: &mut Cx<'_>) -> Standing {
    let draft_span: Option<Range<usize>> = t.get("draft").map(|v| cx.abs(v.span()));
    let draft = t.boolean(cx, "draft").unwrap_or(false);
    let approved = t
        .shaped_table(
            cx,
            "approved",
            APPROVED_SHAPE,
            "expected who approved it and when",
        )
        .and_then(|mut a| {
            let by = a.req_text(cx, "by");
            let on = a.req_date(cx, "on");
            a.finish(cx);
            Some(Approved { by: by?, on: on? })
        });
    if draft && let (Some(a), Some(span)) = (&approved, draft_span) {
        cx.diags.push(
            Diagnostic::new(
                Problem::ApprovedDraft {
                    by: a.by.clone(),
                    on: a.on.to_string(),
                },
                cx.file,
                span,
            )
            .with_label("still marked draft"),
        );
    }
    Standing { draft, approved }
}

#[cfg(test)]
mod tests {
    use crate::content::parse_document;
    use crate::diagnostic::Problem;
    use crate::source::SourceFile;

    fn parse(
        front: &str,
    ) -> (
        Option<crate::content::Document>,
        Vec<(usize, usize, String)>,
    ) {
        let text = format!("+++\nkind = \"page\"\ntitle = \"T\"\n{front}+++\nBody\n");
        let f = SourceFile::new("a.md", "content/a.md", text);
        let (doc, diags) = parse_document(f, "a.md");
        let diags = diags
            .iter()
            .map(|d| {
                let (l, c) = d.line_col().unwrap();
                (l, c, d.problem.code().to_string())
            })
            .collect();
        (doc, diags)
    }

    #[test]
    fn a_document_is_published_unless_marked_draft() {
        let (doc, diags) = parse("");
        let doc = doc.unwrap();
        assert!(!doc.draft && doc.approved.is_none() && diags.is_empty());
        let (doc, diags) = parse("draft = true\n");
        assert!(doc.unwrap().draft && diags.is_empty());
    }

    #[test]
    fn approval_records_who_and_when() {
        let (doc, diags) = parse("approved = { by = \"Audit Committee\", on = 2009-11-30 }\n");
        let a = doc.unwrap().approved.unwrap();
        assert_eq!(
            (a.by.as_str(), a.on.to_string()),
            ("Audit Committee", "2009-11-30".into())
        );
        assert!(diags.is_empty());
        let (doc, _) = parse("[approved]\nby = \"Board\"\non = 2009-11-30\n");
        assert!(doc.unwrap().approved.is_some());
    }

    #[test]
    fn mistakes_are_located() {
        let (_, d) = parse("draft = \"yes\"\n");
        assert_eq!(d, [(4, 9, "wrong-type".into())]);
        let (_, d) = parse("approved = true\n");
        assert_eq!(d, [(4, 12, "wrong-type".into())]);
        let (_, d) = parse("approved = { by = \"B\", on = \"2009-11-30\", when = 1 }\n");
        assert_eq!(
            d,
            [(4, 29, "wrong-type".into()), (4, 43, "unknown-key".into())]
        );
        let (_, d) = parse("approved = { on = 2009-11-31 }\n");
        assert!(d.iter().any(|x| x.2 == "invalid-date"), "{d:?}");
        let (_, d) = parse("approved = { on = 2009-11-30 }\n");
        assert_eq!(d, [(4, 12, "missing-key".into())]);
    }

    #[test]
    fn an_approved_draft_is_a_warning_at_draft() {
        let (doc, d) = parse("draft = true\napproved = { by = \"B\", on = 2009-11-30 }\n");
        assert!(doc.unwrap().draft);
        assert_eq!(d, [(4, 9, "approved-draft".into())]);
        let text = "+++\nkind = \"page\"\ntitle = \"T\"\ndraft = true\napproved = { by = \"B\", on = 2009-11-30 }\n+++\n";
        let (_, diags) =
            parse_document(SourceFile::new("a.md", "content/a.md", text.into()), "a.md");
        assert!(matches!(&diags[0].problem, Problem::ApprovedDraft { by, .. } if by == "B"));
        assert!(!diags[0].is_error());
    }
}
