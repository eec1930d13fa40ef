//! Exempt information: the `exempt = { paragraph, reason, review, public_title }` key that a
//! document or any of its parts may carry, and the two audiences a site is built for.
//!
//! The public copy of the content ([`public_copy`]) is made before anything is aggregated or
//! rendered: exempt parts are taken out of their lists and leave only a [`Withheld`] stub (the
//! part's kind, its paragraph and, if the author gave one, its public title), and an exempt
//! document keeps only what routes it (kind, period, programme). What is not in the copy cannot
//! reach a page, a download or the search index. Budget lines are the one exception, by law and
//! by custom: a printed paper's totals include its exempt lines, so their figures are kept for
//! the totals alone, out of every serialised value.

use std::ops::Range;

use jiff::civil::Date;
use serde::Serialize;

use crate::config::Schedule;
use crate::content::actions::ActionPlan;
use crate::content::budget::{Budget, Line};
use crate::content::highlight::Highlight;
use crate::content::indicators::IndicatorSet;
use crate::content::plan::OperationalPlan;
use crate::content::{Data, Document};
use crate::read::reader::{Cx, Table};

/// Who a build is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Audience {
    /// The published site: exempt material replaced by stubs, and no author findings.
    #[default]
    Public,
    /// Board members and officers: everything, exempt items bannered "EXEMPT – not for
    /// publication", with the authors' findings and their sources.
    Members,
}

impl Audience {
    pub fn name(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Members => "members",
        }
    }
}

/// Why an item is withheld from the public, as its front matter says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exempt {
    /// The paragraph of the schedule in force ([`Schedule`]) the information falls under.
    pub paragraph: i64,
    /// The public-interest reasoning, for members.
    pub reason: Option<String>,
    /// When to consider releasing it.
    pub review: Option<Date>,
    /// What the public stub calls the item, where its own title would itself disclose it.
    pub public_title: Option<String>,
    /// The `exempt` value.
    #[serde(skip)]
    pub span: Range<usize>,
    #[serde(skip)]
    pub paragraph_span: Range<usize>,
    #[serde(skip)]
    pub review_span: Range<usize>,
}

/// How a table for `exempt` is written, for messages.
const EXEMPT_SHAPE: &str = "a table such as { paragraph = 3, reason = \"…\", review = 2010-06-30 }";

/// Read `exempt` from a document's or a part's table.
pub fn read(t: &mut Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Exempt> {
    let span = cx.abs(t.get("exempt")?.span());
    let mut e = t.shaped_table(
        cx,
        "exempt",
        EXEMPT_SHAPE,
        "expected the paragraph it is exempt under, and why",
    )?;
    let paragraph_span = e.get("paragraph").map(|v| cx.abs(v.span()));
    let paragraph = e.req_integer(cx, "paragraph");
    let reason = e.text(cx, "reason");
    let review_span = e.get("review").map(|v| cx.abs(v.span()));
    let review = e.date(cx, "review");
    let public_title = e.text(cx, "public_title");
    e.finish(cx);
    Some(Exempt {
        paragraph: paragraph?,
        reason,
        review,
        public_title,
        paragraph_span: paragraph_span.unwrap_or_else(|| span.clone()),
        review_span: review_span.unwrap_or_else(|| span.clone()),
        span,
    })
}

/// The kinds of thing that can be exempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Document,
    Objective,
    Activity,
    Risk,
    Issue,
    BudgetLine,
    Note,
    Indicator,
    Action,
}

impl Part {
    /// The part in words, for messages and stubs: `budget line`.
    pub fn name(self) -> &'static str {
        match self {
            Part::Document => "document",
            Part::Objective => "objective",
            Part::Activity => "activity",
            Part::Risk => "risk",
            Part::Issue => "issue",
            Part::BudgetLine => "budget line",
            Part::Note => "note",
            Part::Indicator => "indicator",
            Part::Action => "action",
        }
    }
}

/// The notice a stub shows: "Exempt information: paragraph 3 of Schedule 12A".
pub fn notice(paragraph: i64, schedule: Schedule) -> String {
    format!(
        "Exempt information: paragraph {paragraph} of {}",
        schedule.title()
    )
}

/// What the public sees of a withheld part: its kind and the law, and nothing of its own
/// unless the author chose a public title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Withheld {
    /// `budget line`.
    pub part: &'static str,
    /// `Budget line`: what the stub is called when the author gave no public title.
    pub label: String,
    pub paragraph: i64,
    /// "Exempt information: paragraph 3 of Schedule 12A".
    pub notice: String,
    /// The author's `public_title`, if any.
    pub title: Option<String>,
    /// Where it sat, where that is itself public: a budget line's group, an indicator's
    /// group, a budget note's number (so that references to it still land on the stub).
    pub place: Option<String>,
}

impl Withheld {
    fn new(part: Part, e: &Exempt, schedule: Schedule, place: Option<String>) -> Self {
        let name = part.name();
        let label = name[..1].to_uppercase() + &name[1..];
        Withheld {
            part: name,
            label,
            paragraph: e.paragraph,
            notice: notice(e.paragraph, schedule),
            title: e.public_title.clone(),
            place,
        }
    }
}

/// An exempt mark, the kind of part it is on, and that part's own words (its title, or a
/// note's text), which the public must not see anywhere.
pub struct Mark<'a> {
    pub part: Part,
    pub exempt: &'a Exempt,
    pub words: &'a str,
}

/// Every `exempt` mark in a document, in document order.
pub fn marks(doc: &Document) -> Vec<Mark<'_>> {
    let mut out: Vec<Mark<'_>> = Vec::new();
    if let Some(e) = &doc.exempt {
        out.push(Mark {
            part: Part::Document,
            exempt: e,
            words: doc.title(),
        });
    }
    fn push<'a>(out: &mut Vec<Mark<'a>>, part: Part, e: &'a Option<Exempt>, words: &'a str) {
        if let Some(exempt) = e {
            out.push(Mark {
                part,
                exempt,
                words,
            });
        }
    }
    match &doc.data {
        Data::Highlight(h) => {
            for o in &h.objectives {
                push(&mut out, Part::Objective, &o.exempt, &o.title);
                for a in &o.activities {
                    push(&mut out, Part::Activity, &a.exempt, &a.title);
                }
            }
            for r in &h.risks {
                push(&mut out, Part::Risk, &r.exempt, &r.title);
            }
            for i in &h.issues {
                push(&mut out, Part::Issue, &i.exempt, &i.title);
            }
        }
        Data::Budget(b) => {
            for l in &b.lines {
                push(&mut out, Part::BudgetLine, &l.exempt, &l.title);
            }
            for n in &b.notes {
                push(&mut out, Part::Note, &n.exempt, &n.text);
            }
        }
        Data::Indicators(s) => {
            for i in &s.indicators {
                push(&mut out, Part::Indicator, &i.exempt, &i.title);
            }
        }
        Data::Actions(a) => {
            for w in a.objectives.iter().flat_map(|o| &o.workstreams) {
                for x in &w.actions {
                    push(&mut out, Part::Action, &x.exempt, &x.title);
                }
            }
        }
        Data::Plan(_) | Data::Page(_) => {}
    }
    out.sort_by_key(|m| m.exempt.span.start);
    out
}

/// Whether anything in `docs` is exempt.
pub fn any(docs: &[Document]) -> bool {
    docs.iter().any(|d| !marks(d).is_empty())
}

/// The content as the public may see it, or `None` when nothing is exempt (the content is
/// then its own public copy, and nothing need be copied). An exempt free page is left out
/// altogether: its address is its author's slug, which may itself say what it is about.
pub fn public_copy(docs: &[Document], schedule: Schedule) -> Option<Vec<Document>> {
    if !any(docs) {
        return None;
    }
    Some(
        docs.iter()
            .filter_map(|d| public_document(d, schedule))
            .collect(),
    )
}

/// [`public_copy`], consuming the content: a document with nothing exempt in it is moved into
/// the copy rather than cloned, so that a large site with a few exempt items does not hold two
/// copies of every document. Returns the content unchanged when nothing is exempt.
pub fn into_public_copy(docs: Vec<Document>, schedule: Schedule) -> Vec<Document> {
    docs.into_iter()
        .filter_map(|d| match marks(&d).is_empty() {
            true => Some(d),
            false => public_document(&d, schedule),
        })
        .collect()
}

/// One document as the public copy holds it: a stub for an exempt one (none for an exempt free
/// page), else the document with its exempt parts taken out.
pub fn public_document(d: &Document, schedule: Schedule) -> Option<Document> {
    match &d.exempt {
        Some(e) => stub_document(d, e, schedule),
        None => Some(redact_parts(d, schedule)),
    }
}

/// An exempt document as the public sees it: its kind, period and programme, and the stub.
fn stub_document(d: &Document, e: &Exempt, schedule: Schedule) -> Option<Document> {
    let title = |kind: &str| {
        e.public_title
            .clone()
            .unwrap_or_else(|| format!("Exempt {kind}"))
    };
    let data = match &d.data {
        Data::Highlight(h) => Data::Highlight(Highlight::stub(h, title("highlight report"))),
        Data::Budget(b) => Data::Budget(Budget::stub(b.period, title("budget report"))),
        Data::Indicators(s) => {
            Data::Indicators(IndicatorSet::stub(s.period, title("performance report")))
        }
        Data::Actions(a) => Data::Actions(ActionPlan::stub(a.period, title("action plan"))),
        Data::Plan(p) => Data::Plan(OperationalPlan::stub(p.period, title("plan"))),
        Data::Page(_) => return None,
    };
    let public = Exempt {
        paragraph: e.paragraph,
        reason: None,
        review: None,
        public_title: e.public_title.clone(),
        span: 0..0,
        paragraph_span: 0..0,
        review_span: 0..0,
    };
    Some(Document {
        file: d.file.clone(),
        rel_path: d.rel_path.clone(),
        stem: d.stem.clone(),
        body: String::new(),
        body_span: 0..0,
        has_errors: false,
        money_symbols: Vec::new(),
        draft: d.draft,
        approved: d.approved.clone(),
        withheld_document: Some(Withheld::new(Part::Document, &public, schedule, None)),
        exempt: None,
        // The meeting, the paper's date, author and addressee are the agenda's, which is
        // published whatever its items.
        meta: d.meta.clone(),
        tables_marker: None,
        data,
    })
}

/// A document that is public, with its exempt parts taken out and stubbed.
fn redact_parts(d: &Document, schedule: Schedule) -> Document {
    let mut d = d.clone();
    let stub = |part, e: &Exempt, place| Withheld::new(part, e, schedule, place);
    match &mut d.data {
        Data::Highlight(h) => {
            let mut withheld = Vec::new();
            h.objectives.retain(|o| match &o.exempt {
                Some(e) => {
                    withheld.push(stub(Part::Objective, e, None));
                    false
                }
                None => true,
            });
            for o in &mut h.objectives {
                o.activities.retain(|a| match &a.exempt {
                    Some(e) => {
                        o.withheld.push(stub(Part::Activity, e, None));
                        false
                    }
                    None => true,
                });
            }
            for (part, list) in [(Part::Risk, &mut h.risks), (Part::Issue, &mut h.issues)] {
                list.retain(|r| match &r.exempt {
                    Some(e) => {
                        withheld.push(stub(part, e, None));
                        false
                    }
                    None => true,
                });
            }
            h.withheld = withheld;
        }
        Data::Budget(b) => {
            let mut withheld = Vec::new();
            let mut kept_for_totals = Vec::new();
            b.lines.retain(|l| match &l.exempt {
                Some(e) => {
                    withheld.push(stub(Part::BudgetLine, e, Some(l.group.clone())));
                    kept_for_totals.push(Line::for_totals(l));
                    false
                }
                None => true,
            });
            b.notes.retain(|n| match &n.exempt {
                Some(e) => {
                    withheld.push(stub(Part::Note, e, Some(n.number.clone())));
                    false
                }
                None => true,
            });
            b.withheld = withheld;
            b.withheld_lines = kept_for_totals;
        }
        Data::Indicators(s) => {
            let mut withheld = Vec::new();
            s.indicators.retain(|i| match &i.exempt {
                Some(e) => {
                    withheld.push(stub(Part::Indicator, e, i.group.clone()));
                    false
                }
                None => true,
            });
            s.withheld = withheld;
        }
        Data::Actions(a) => {
            for w in a.objectives.iter_mut().flat_map(|o| &mut o.workstreams) {
                let mut withheld = Vec::new();
                w.actions.retain(|x| match &x.exempt {
                    Some(e) => {
                        withheld.push(stub(Part::Action, e, None));
                        false
                    }
                    None => true,
                });
                w.withheld = withheld;
            }
        }
        Data::Plan(_) | Data::Page(_) => {}
    }
    d
}
