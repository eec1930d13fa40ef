//! What a change to the sources touched: the documents, periods and programmes it dirtied, so
//! that the session re-renders only the pages that show them, and lays out only the summaries
//! those pages need.

use std::collections::{HashMap, HashSet};

use crate::content::{Data, Document};
use crate::plan::pages::{self, PageKind, Plan};
use crate::read::period::Period;
use crate::render::summary::Needed;

/// Which summaries a rebuild lays out: every one, or those of the pages `select` picks.
pub(super) fn needed_for(
    plan: &Plan,
    all: bool,
    select: impl Fn(&pages::PlannedPage) -> bool,
) -> Needed {
    if all {
        return Needed::all(plan);
    }
    let mut needed = Needed::none(plan);
    for page in plan.pages.iter().filter(|p| select(p)) {
        needed.page(plan, &page.kind);
    }
    needed
}

/// Where a document sits: its period and, for a highlight report, its programme.
pub(super) fn key_of(doc: Option<&Document>) -> (Option<Period>, Option<String>) {
    match doc {
        Some(d) => (
            d.period(),
            match &d.data {
                Data::Highlight(h) => Some(h.programme.clone()),
                _ => None,
            },
        ),
        None => (None, None),
    }
}

/// The programmes that deliver the deliverables of its year's plan that a highlight report
/// tracks.
pub(super) fn deliverers(docs: &[Document], doc: Option<&Document>) -> Vec<String> {
    let Some(Data::Highlight(h)) = doc.map(|d| &d.data) else {
        return Vec::new();
    };
    let Some(plan) = docs.iter().find_map(|d| match &d.data {
        Data::Plan(p) if p.period == h.period.year_of() => Some(p),
        _ => None,
    }) else {
        return Vec::new();
    };
    (h.objectives.iter())
        .flat_map(|o| o.activities.iter().map(move |a| (o, a)))
        .filter_map(|(o, a)| crate::content::highlight::tracked_deliverable(o, a))
        .filter_map(|(id, _)| plan.deliverable(id).map(|d| d.programme.clone()))
        .collect()
}

/// What every page's navigation shows: free pages, periods and programmes. When it changes,
/// every page changes.
pub(super) fn nav_signature(plan: &Plan) -> String {
    let mut s = String::new();
    for p in &plan.free_pages {
        s.push_str(&format!("p:{}|{}|{}\n", p.title, p.url, p.in_nav));
    }
    for p in &plan.periods {
        s.push_str(&format!("q:{}|{}\n", p.period, p.url));
    }
    for p in &plan.programmes {
        s.push_str(&format!("r:{}|{}|{}\n", p.id, p.title, p.url));
    }
    for p in &plan.plans {
        s.push_str(&format!("y:{}|{}\n", p.title, p.url));
    }
    s
}

/// Which documents, periods and programmes a change touched.
#[derive(Default)]
pub(super) struct Dirty {
    pub(super) docs: HashSet<String>,
    pub(super) periods: HashSet<Period>,
    /// Programme id to the earliest period changed in it.
    pub(super) programmes: HashMap<String, Period>,
    /// The earliest period of a changed budget, indicator set or action plan: later ones of
    /// their kind compare with it.
    pub(super) others: Option<Period>,
    pub(super) budget: bool,
    /// Programmes that deliver a plan deliverable a changed report tracks.
    pub(super) deliverers: HashSet<String>,
}

impl Dirty {
    pub(super) fn note(&mut self, period: Option<Period>, programme: Option<String>) {
        if let Some(p) = period {
            self.periods.insert(p);
            if let Some(id) = programme {
                let e = self.programmes.entry(id).or_insert(p);
                if p < *e {
                    *e = p;
                }
            } else if self.others.is_none_or(|o| p < o) {
                self.others = Some(p);
            }
        }
    }

    pub(super) fn selects(
        &self,
        page: &pages::PlannedPage,
        plan: &Plan,
        docs: &[Document],
    ) -> bool {
        match &page.kind {
            PageKind::Period(i) => {
                // A board pack's summary shows trends and changes against each programme's
                // earlier reports, so an edit to an earlier report reaches it too.
                let period = plan.periods[*i].period;
                self.periods.contains(&period)
                    || self.programmes.values().any(|first| *first < period)
                    || self.others.is_some_and(|first| first < period)
            }
            PageKind::Programme(i) => {
                let id = &plan.programmes[*i].id;
                self.budget || self.programmes.contains_key(id) || self.deliverers.contains(id)
            }
            PageKind::Report(r) => {
                let doc = &docs[plan.reports[*r].doc];
                if self.docs.contains(&doc.rel_path) {
                    return true;
                }
                // Later reports of a changed programme show "changes since" and trends that
                // depend on the earlier ones; so do budgets, indicator sets and action plans
                // later than any of those that changed (each compares with its own kind).
                match &doc.data {
                    Data::Highlight(h) => self
                        .programmes
                        .get(&h.programme)
                        .is_some_and(|first| h.period > *first),
                    Data::Page(_) | Data::Plan(_) => false,
                    _ => doc
                        .period()
                        .zip(self.others)
                        .is_some_and(|(p, first)| p > first),
                }
            }
            PageKind::Page(d) => self.docs.contains(&docs[*d].rel_path),
            // Singletons (home, exceptions, accessibility, 404) are cheap and summarise
            // everything: always re-render them.
            _ => true,
        }
    }
}
