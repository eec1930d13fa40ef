//! What search knows of a page besides its text: its title, what kind of paper it is and for
//! when, and the values a reader can filter results by (kind, period, programme). The search
//! index labels each page with these, and the search page offers every value some page has, so
//! both come from here and cannot disagree.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::content::Document;
use crate::plan::pages::{PageKind, Plan, PlannedPage};
use crate::read::period::Period;
use crate::read::words::DocKind;

/// Whether a page is searched. Board packs repeat their reports, and the home, programme,
/// search and not-found pages only link to others, so only reports, plans, free pages and the
/// accessibility statement are indexed.
pub fn is_indexed(page: &PlannedPage) -> bool {
    matches!(
        page.kind,
        PageKind::Report(_) | PageKind::Plan(_) | PageKind::Page(_) | PageKind::Accessibility
    )
}

/// The order pages go into the search index in: each period's reports together, periods in
/// plan order, then every other page; plan order within each. A large site renders a period
/// at a time, and a build indexes each period's reports while the next period renders (the
/// index is built by one thread), so this is the order it has them in whatever its batches;
/// `serve` indexes in it too, and the index's bytes depend on the order.
pub struct IndexOrder {
    period_of: Vec<usize>,
}

impl IndexOrder {
    pub fn new(plan: &Plan) -> Self {
        let mut period_of = vec![usize::MAX; plan.reports.len()];
        for (i, p) in plan.periods.iter().enumerate() {
            for &r in &p.reports {
                period_of[r] = i;
            }
        }
        IndexOrder { period_of }
    }

    /// The sort key of the page at `index` in the plan: its group (a report's period, or
    /// `usize::MAX` for a page of no period's batch), then the index.
    pub fn key(&self, plan: &Plan, index: usize) -> (usize, usize) {
        let group = match plan.pages[index].kind {
            PageKind::Report(r) => self.period_of.get(r).copied().unwrap_or(usize::MAX),
            _ => usize::MAX,
        };
        (group, index)
    }
}

/// A searched page's labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facets {
    pub title: String,
    /// What kind of page, and for when: `Highlight report, 2009/10 Q2`, with `DRAFT – not
    /// approved` after it for a draft, as its page says.
    pub summary: String,
    /// The filters' values.
    pub kind: &'static str,
    pub period: Option<String>,
    pub programme: Option<String>,
}

/// What a page that [`is_indexed`] is labelled with, or `None` for any other page.
pub fn of_page(plan: &Plan, docs: &[Document], page: &PlannedPage) -> Option<Facets> {
    let (title, kind, period, programme, draft) = match &page.kind {
        PageKind::Report(r) => {
            let report = &plan.reports[*r];
            let doc = &docs[report.doc];
            (
                doc.title().to_string(),
                report.kind.title(),
                Some(report.period),
                report.programme.map(|p| plan.programmes[p].title.clone()),
                doc.draft,
            )
        }
        PageKind::Plan(p) => {
            let planned = &plan.plans[*p];
            let draft = docs[planned.doc].draft;
            let kind = DocKind::Plan.title();
            (
                planned.title.clone(),
                kind,
                Some(planned.period),
                None,
                draft,
            )
        }
        PageKind::Page(d) => (
            page.title.clone(),
            DocKind::Page.title(),
            None,
            None,
            docs[*d].draft,
        ),
        PageKind::Accessibility => (page.title.clone(), DocKind::Page.title(), None, None, false),
        _ => return None,
    };
    let period = period.map(|p| p.to_string());
    let mut summary = match &period {
        Some(p) => format!("{kind}, {p}"),
        None => kind.to_string(),
    };
    if draft {
        summary.push_str(", DRAFT – not approved");
    }
    Some(Facets {
        title,
        summary,
        kind,
        period,
        programme,
    })
}

/// Every value of each filter that some searched page has, in the order a reader looks for
/// them: kinds as the board's agenda orders papers, periods newest first, programmes in agenda
/// order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Choices {
    pub kinds: Vec<&'static str>,
    pub periods: Vec<String>,
    pub programmes: Vec<String>,
}

pub fn choices(plan: &Plan) -> Choices {
    let order = [
        DocKind::Highlight,
        DocKind::Budget,
        DocKind::Indicators,
        DocKind::Actions,
        DocKind::Plan,
        DocKind::Page,
    ];
    let mut kinds = BTreeSet::new();
    let mut periods: BTreeSet<Period> = BTreeSet::new();
    let mut programmes = BTreeSet::new();
    for page in plan.pages.iter().filter(|p| is_indexed(p)) {
        match &page.kind {
            PageKind::Report(r) => {
                let report = &plan.reports[*r];
                kinds.insert(report.kind);
                periods.insert(report.period);
                programmes.extend(report.programme);
            }
            PageKind::Plan(p) => {
                kinds.insert(DocKind::Plan);
                periods.insert(plan.plans[*p].period);
            }
            _ => {
                kinds.insert(DocKind::Page);
            }
        }
    }
    Choices {
        kinds: order
            .iter()
            .filter(|k| kinds.contains(*k))
            .map(|k| k.title())
            .collect(),
        periods: periods.iter().rev().map(|p| p.to_string()).collect(),
        programmes: programmes
            .iter()
            .map(|&p| plan.programmes[p].title.clone())
            .collect(),
    }
}
