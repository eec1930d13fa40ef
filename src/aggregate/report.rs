//! One report's summary, however it was had: from the aggregates, or worked out on demand for
//! a report that `check` found errors in, which only `serve` renders.

use std::borrow::Cow;

use super::{ActionPlanSummary, Aggregates, BudgetSummary, IndicatorSetSummary, ProgrammeSummary};
use crate::config::Config;
use crate::content::{ActionPlan, Budget, Data, Document, Highlight, IndicatorSet};

/// The summary of one report, by its kind, with the report's own data.
// One lives on a stack for the moment its report is laid out, and is almost always borrowed:
// boxing the rare owned budget summary would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum ReportSummary<'a> {
    Highlight(&'a Highlight, Cow<'a, ProgrammeSummary>),
    Budget(&'a Budget, Cow<'a, BudgetSummary>),
    Indicators(&'a IndicatorSet, Cow<'a, IndicatorSetSummary>),
    Actions(&'a ActionPlan, Cow<'a, ActionPlanSummary>),
}

impl Aggregates {
    /// The summary of `doc`, the document at `index`: the aggregated one, or one worked out
    /// now (its findings dropped, since `check` reports them) when aggregation left it out.
    /// `None` for a free page or a plan, which are not reports.
    pub fn summary_for<'a>(
        &'a self,
        config: &Config,
        index: usize,
        doc: &'a Document,
    ) -> Option<ReportSummary<'a>> {
        fn or<'a, T: Clone>(found: Option<&'a T>, make: impl FnOnce() -> T) -> Cow<'a, T> {
            found.map_or_else(|| Cow::Owned(make()), Cow::Borrowed)
        }
        let mut scratch = Vec::new();
        Some(match &doc.data {
            Data::Highlight(h) => ReportSummary::Highlight(
                h,
                or(self.programme_for(index), || {
                    super::programme::summarise(config, index, doc, h, &mut scratch)
                }),
            ),
            Data::Budget(b) => ReportSummary::Budget(
                b,
                or(self.budget_for(index), || {
                    super::budget::summarise(config, index, doc, b, &mut scratch)
                }),
            ),
            Data::Indicators(set) => ReportSummary::Indicators(
                set,
                or(self.indicators_for(index), || {
                    super::indicators::summarise(index, doc, set, &mut scratch)
                }),
            ),
            Data::Actions(a) => ReportSummary::Actions(
                a,
                or(self.actions_for(index), || {
                    super::actions::summarise(index, doc, a, &mut scratch)
                }),
            ),
            Data::Plan(_) | Data::Page(_) => return None,
        })
    }
}
