//! Meeting metadata, the keys every kind shares that say where a paper goes and who wrote it:
//! `meeting = { body = "…", date = 2009-11-30 }`, `dated`, `author` and `addressee`, as the
//! seeds print them in their headers and under their signatures.

use jiff::civil::Date;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Problem};
use crate::read::reader::{Cx, Table};

/// The meeting a paper is for: the body that meets, and the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meeting {
    pub body: String,
    pub date: Date,
}

/// What a paper's header and signature say about it; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PaperMeta {
    pub meeting: Option<Meeting>,
    /// The date the paper itself bears (the WDC report's "Date: 24 April 2008").
    pub dated: Option<Date>,
    /// Who wrote or signed it, as printed: "David McMillan, Chief Executive".
    pub author: Option<String>,
    /// Whom it is addressed to, as printed: "Overview and Scrutiny Co-ordinating Committee".
    pub addressee: Option<String>,
    /// Whether any of them is given, so a template shows the list only then.
    pub any: bool,
}

/// How a table for `meeting` is written, for messages.
const MEETING_SHAPE: &str = "a table such as { body = \"Council\", date = 2008-04-30 }";

/// Read the meeting metadata from the front matter's top table. A paper dated after the
/// meeting it is for is a warning: one of the two dates is wrong, or the paper was late.
pub fn read(t: &mut Table<'_, '_>, cx: &mut Cx<'_>) -> PaperMeta {
    let meeting = t
        .shaped_table(
            cx,
            "meeting",
            MEETING_SHAPE,
            "expected the body that meets and the date",
        )
        .and_then(|mut m| {
            let body = m.req_text(cx, "body");
            let date = m.req_date(cx, "date");
            m.finish(cx);
            Some(Meeting {
                body: body?,
                date: date?,
            })
        });
    let dated_span = t.get("dated").map(|v| cx.abs(v.span()));
    let dated = t.date(cx, "dated");
    let author = t.text(cx, "author");
    let addressee = t.text(cx, "addressee");
    if let (Some(m), Some(d), Some(span)) = (&meeting, dated, dated_span)
        && d > m.date
    {
        cx.diags.push(
            Diagnostic::new(
                Problem::DatedAfterMeeting {
                    dated: d.to_string(),
                    meeting: m.date.to_string(),
                },
                cx.file,
                span,
            )
            .with_label(format!("the meeting is on {}", m.date)),
        );
    }
    let any = meeting.is_some() || dated.is_some() || author.is_some() || addressee.is_some();
    PaperMeta {
        meeting,
        dated,
        author,
        addressee,
        any,
    }
}

#[cfg(test)]
mod tests {
    use crate::content::parse_document;
    use crate::source::SourceFile;

    fn parse(front: &str) -> (super::PaperMeta, Vec<(usize, usize, String)>) {
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
        (doc.map(|d| d.meta).unwrap_or_default(), diags)
    }

    #[test]
    fn a_paper_says_where_it_goes_and_who_wrote_it() {
        let (m, d) = parse(
            "meeting = { body = \"Council\", date = 2008-04-30 }\ndated = 2008-04-24\nauthor = \"David McMillan, Chief Executive\"\naddressee = \"Council\"\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let meeting = m.meeting.unwrap();
        assert_eq!(
            (meeting.body.as_str(), meeting.date.to_string()),
            ("Council", "2008-04-30".into())
        );
        assert_eq!(m.dated.unwrap().to_string(), "2008-04-24");
        assert_eq!(m.author.as_deref(), Some("David McMillan, Chief Executive"));
        assert!(m.any);
        let (m, _) = parse("");
        assert!(!m.any && m.meeting.is_none());
    }

    #[test]
    fn mistakes_are_located() {
        let (_, d) = parse("meeting = \"Council\"\n");
        assert_eq!(d, [(4, 11, "wrong-type".into())]);
        let (_, d) = parse("meeting = { body = \"Council\" }\n");
        assert_eq!(d, [(4, 11, "missing-key".into())]);
        let (_, d) = parse("meeting = { body = \"C\", date = 2008-04-30, room = 1 }\n");
        assert_eq!(d, [(4, 44, "unknown-key".into())]);
        let (_, d) = parse("dated = \"24 April\"\n");
        assert_eq!(d, [(4, 9, "wrong-type".into())]);
    }

    #[test]
    fn a_paper_dated_after_its_meeting_is_a_warning_at_its_date() {
        let (_, d) = parse("meeting = { body = \"C\", date = 2008-04-30 }\ndated = 2008-05-02\n");
        assert_eq!(d, [(5, 9, "dated-after-meeting".into())]);
        let (_, d) = parse("meeting = { body = \"C\", date = 2008-04-30 }\ndated = 2008-04-30\n");
        assert!(d.is_empty());
    }
}
