//! Aggregation: pure functions from the loaded model to the summaries a board reads. No I/O.
//!
//! Every figure is computed from its parts. A figure the author states is kept beside the
//! computed one and, where they differ, reported as a finding: a warning diagnostic located at
//! the stated figure, shown by `check` and on the site.

pub mod action_changes;
pub mod actions;
pub mod budget;
pub mod budget_changes;
pub mod budget_printed;
pub mod consistency;
pub mod format;
pub mod indicator_changes;
pub mod indicators;
pub mod plan;
pub mod programme;
pub mod register;
pub mod report;
pub mod rollup;
pub mod since;
#[cfg(test)]
pub(crate) mod testing;

use std::collections::HashMap;
use std::ops::Range;

use jiff::civil::Date;
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::config::Config;
use crate::content::{Data, Document};
use crate::diagnostic::{Diagnostic, FindingKind, Problem};
use crate::read::period::Period;
use crate::read::words::{ActivityStatus, BudgetStatus, IndicatorStatus};

pub use actions::{ActionPlanSummary, Share};
pub use budget::BudgetSummary;
pub use indicators::IndicatorSetSummary;
pub use programme::ProgrammeSummary;

/// How many items have a status: one row of a counts table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub key: String,
    pub label: String,
    pub count: usize,
}

/// Direction of a figure against an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    Up,
    Down,
    Same,
    /// Nothing to compare with.
    None,
}

impl Trend {
    pub fn between(before: Option<Decimal>, now: Option<Decimal>) -> Trend {
        match (before, now) {
            (Some(b), Some(n)) if n > b => Trend::Up,
            (Some(b), Some(n)) if n < b => Trend::Down,
            (Some(_), Some(_)) => Trend::Same,
            _ => Trend::None,
        }
    }

    pub fn reversed(self) -> Trend {
        match self {
            Trend::Up => Trend::Down,
            Trend::Down => Trend::Up,
            t => t,
        }
    }
}

/// A data-quality finding located in a document.
pub fn finding(
    doc: &Document,
    span: Range<usize>,
    kind: FindingKind,
    message: String,
) -> Diagnostic {
    Diagnostic::new(Problem::Finding { kind, message }, &doc.file, span)
}

/// A figure too large to work out exactly (`Decimal` holds 28 significant digits), and where
/// it arose: an error, since every figure around it would be wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overflow {
    pub span: Range<usize>,
    /// What could not be worked out: "the % variance of budget line l1".
    pub what: String,
}

impl Overflow {
    pub fn diagnostic(self, doc: &Document) -> Diagnostic {
        Diagnostic::new(Problem::Overflow { what: self.what }, &doc.file, self.span)
    }
}

/// One item on the exceptions list.
#[derive(Debug, Clone, Serialize)]
pub struct Exception {
    pub kind: ExceptionKind,
    /// Index of the report it comes from, in the loaded documents.
    pub doc: usize,
    pub programme: Option<String>,
    pub objective: Option<String>,
    /// The id of the budget line or indicator, for exceptions that are not about an objective.
    pub item: Option<String>,
    pub title: String,
    /// What is wrong, in words; dates are written `dd/mm/yyyy`.
    pub detail: String,
    /// Why, in the paper's words: the activity's (or its objective's) footnote, the budget
    /// status reason, the budget line's notes, the indicator's comment. None where the paper
    /// gives none.
    pub reason: Option<String>,
}

/// What makes an item an exception, the board's list of what needs its attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExceptionKind {
    BudgetRed,
    BudgetAmber,
    Delayed,
    Overdue,
    Slipped,
    Unexplained,
    LineRed,
    LineAmber,
    /// A budget line's projected outturn moved beyond tolerance since the previous paper.
    ProjectionMoved,
    IndicatorOffTarget,
}

impl ExceptionKind {
    /// A stable kebab-case key, for CSS classes, downloads and JSON.
    pub fn key(self) -> &'static str {
        match self {
            ExceptionKind::BudgetRed => "budget-red",
            ExceptionKind::BudgetAmber => "budget-amber",
            ExceptionKind::Delayed => "delayed",
            ExceptionKind::Overdue => "overdue",
            ExceptionKind::Slipped => "slipped",
            ExceptionKind::Unexplained => "unexplained",
            ExceptionKind::LineRed => "line-red",
            ExceptionKind::LineAmber => "line-amber",
            ExceptionKind::ProjectionMoved => "projection-moved",
            ExceptionKind::IndicatorOffTarget => "indicator-off-target",
        }
    }

    /// The kind in words.
    pub fn label(self) -> &'static str {
        match self {
            ExceptionKind::BudgetRed => "Budget red",
            ExceptionKind::BudgetAmber => "Budget amber",
            ExceptionKind::Delayed => "Delayed",
            ExceptionKind::Overdue => "Overdue",
            ExceptionKind::Slipped => "Slipped",
            ExceptionKind::Unexplained => "Unexplained",
            ExceptionKind::LineRed => "Spend red",
            ExceptionKind::LineAmber => "Spend amber",
            ExceptionKind::ProjectionMoved => "Projection moved",
            ExceptionKind::IndicatorOffTarget => "Off target",
        }
    }

    /// How much it needs the board's attention, most first: red money, then work overdue,
    /// delayed and slipped, indicators off target, amber money, projections that moved, and
    /// last anything that lacks an explanation (docs/aggregation.md, *Exceptions*).
    pub fn severity(self) -> u8 {
        match self {
            ExceptionKind::BudgetRed | ExceptionKind::LineRed => 0,
            ExceptionKind::Overdue => 1,
            ExceptionKind::Delayed => 2,
            ExceptionKind::Slipped => 3,
            ExceptionKind::IndicatorOffTarget => 4,
            ExceptionKind::BudgetAmber | ExceptionKind::LineAmber => 5,
            ExceptionKind::ProjectionMoved => 6,
            ExceptionKind::Unexplained => 7,
        }
    }

    /// Whether the exception is about a budget line (its item is the line's id).
    pub fn is_budget_line(self) -> bool {
        matches!(
            self,
            ExceptionKind::LineRed | ExceptionKind::LineAmber | ExceptionKind::ProjectionMoved
        )
    }
}

/// An exception kind equals its key: `e.kind == "line-red"`.
impl PartialEq<&str> for ExceptionKind {
    fn eq(&self, key: &&str) -> bool {
        self.key() == *key
    }
}

impl Serialize for ExceptionKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

/// `30/09/2009`: the date style of exception details.
fn uk_date(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// A programme's place in the period's ranking.
#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    pub programme: String,
    pub title: String,
    pub progress: Option<Decimal>,
    pub stated: Option<Decimal>,
}

/// Activity judgements across all of a period's highlight reports, in the form of the Wigan
/// seed's summary tables.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityTotals {
    pub total: usize,
    pub completed: Share,
    pub on_track: Share,
    pub behind: Share,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodSummary {
    pub period: Period,
    pub slug: String,
    pub start: Date,
    pub end: Date,
    /// Indices into [`Aggregates::programmes`], in agenda order.
    pub programmes: Vec<usize>,
    pub budgets: Vec<usize>,
    pub indicators: Vec<usize>,
    pub actions: Vec<usize>,
    pub ranking: Vec<Ranked>,
    pub activities: ActivityTotals,
    pub exceptions: Vec<Exception>,
    /// What changed since each report's previous one; none when nothing has one.
    pub since: Option<since::Since>,
}

/// Everything computed from the content.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Aggregates {
    pub programmes: Vec<ProgrammeSummary>,
    pub budgets: Vec<BudgetSummary>,
    pub indicators: Vec<IndicatorSetSummary>,
    pub actions: Vec<ActionPlanSummary>,
    /// One per plan, in document order: how each deliverable was reported.
    pub plans: Vec<plan::PlanSummary>,
    /// Every period that has a report, oldest first.
    pub periods: Vec<PeriodSummary>,
    /// Each programme's risk and issue registers across its reports.
    pub registers: Vec<register::RegisterHistory>,
    #[serde(skip)]
    pub findings: Vec<Diagnostic>,
    /// Document index → index into `programmes`, so that a page finds its report's summary
    /// without a search through every report.
    #[serde(skip)]
    programme_by_doc: HashMap<usize, usize>,
}

impl Aggregates {
    /// The summary for a highlight report, by document index.
    pub fn programme_for(&self, doc: usize) -> Option<&ProgrammeSummary> {
        match self.programme_by_doc.get(&doc) {
            Some(&i) if self.programmes.get(i).is_some_and(|p| p.doc == doc) => {
                self.programmes.get(i)
            }
            _ => self.programmes.iter().find(|p| p.doc == doc),
        }
    }

    pub fn budget_for(&self, doc: usize) -> Option<&BudgetSummary> {
        self.budgets.iter().find(|b| b.doc == doc)
    }

    pub fn indicators_for(&self, doc: usize) -> Option<&IndicatorSetSummary> {
        self.indicators.iter().find(|b| b.doc == doc)
    }

    pub fn actions_for(&self, doc: usize) -> Option<&ActionPlanSummary> {
        self.actions.iter().find(|b| b.doc == doc)
    }

    pub fn plan_for(&self, doc: usize) -> Option<&plan::PlanSummary> {
        self.plans.iter().find(|p| p.doc == doc)
    }

    /// The latest period with a report.
    pub fn latest_period(&self) -> Option<&PeriodSummary> {
        self.periods.last()
    }
}

/// Each programme's position in the agenda: the order of `[[programmes]]` in the config.
/// Programmes not listed there come after, by id.
pub fn agenda(config: &Config) -> std::collections::HashMap<&str, usize> {
    config
        .programmes
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect()
}

/// Compute every summary from the loaded documents.
pub fn aggregate(config: &Config, docs: &[Document]) -> Aggregates {
    // Short-lived: each is moved into its vector at once, so boxing would only add allocations.
    #[allow(clippy::large_enum_variant)]
    enum One {
        Programme(ProgrammeSummary),
        Budget(BudgetSummary),
        Indicators(IndicatorSetSummary),
        Actions(ActionPlanSummary),
    }
    // Each report on its own, in parallel; gathered in document order, so the result does not
    // depend on the number of threads.
    let each: Vec<(One, Vec<Diagnostic>)> = docs
        .par_iter()
        .enumerate()
        // A withheld document (the public copy's stub for an exempt one) has nothing to sum.
        .filter(|(_, d)| !d.has_errors && d.withheld_document.is_none())
        .filter_map(|(i, doc)| {
            let mut found = Vec::new();
            let one = match &doc.data {
                Data::Highlight(h) => {
                    One::Programme(programme::summarise(config, i, doc, h, &mut found))
                }
                Data::Budget(b) => One::Budget(budget::summarise(config, i, doc, b, &mut found)),
                Data::Indicators(s) => {
                    One::Indicators(indicators::summarise(i, doc, s, &mut found))
                }
                Data::Actions(a) => One::Actions(actions::summarise(i, doc, a, &mut found)),
                // Plans are read against the reports, below.
                Data::Plan(_) | Data::Page(_) => return None,
            };
            Some((one, found))
        })
        .collect();
    let mut findings = Vec::new();
    let mut agg = Aggregates::default();
    for (one, found) in each {
        findings.extend(found);
        match one {
            One::Programme(p) => agg.programmes.push(p),
            One::Budget(b) => agg.budgets.push(b),
            One::Indicators(s) => agg.indicators.push(s),
            One::Actions(a) => agg.actions.push(a),
        }
    }
    let agenda = agenda(config);
    agg.programmes.sort_by(|a, b| {
        let key = |p: &ProgrammeSummary| {
            let pos = agenda
                .get(p.programme.as_str())
                .copied()
                .unwrap_or(usize::MAX);
            (p.period, pos)
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| a.programme.cmp(&b.programme))
    });
    programme::compare(&mut agg.programmes, docs, &mut findings);
    agg.registers = register::track(&agg.programmes, docs, &mut findings);
    indicator_changes::compare(&mut agg.indicators, docs);
    budget_changes::compare(config, &mut agg.budgets, docs, &mut findings);
    action_changes::compare(&mut agg.actions, docs);
    consistency::check(config, docs, &agg.indicators, &mut findings);
    agg.programme_by_doc = (agg.programmes.iter().enumerate())
        .map(|(i, p)| (p.doc, i))
        .collect();
    agg.periods = periods(config, docs, &agg);
    agg.plans = plan::summarise(config, docs, &mut findings);
    crate::diagnostic::sort(&mut findings);
    agg.findings = findings;
    agg
}

fn periods(config: &Config, docs: &[Document], agg: &Aggregates) -> Vec<PeriodSummary> {
    let mut all: Vec<Period> = docs.iter().filter_map(Document::period).collect();
    all.sort();
    all.dedup();
    // Each period on its own, in parallel; collected in period order.
    all.into_par_iter()
        .map(|period| {
            let programmes: Vec<usize> = (0..agg.programmes.len())
                .filter(|i| agg.programmes[*i].period == period)
                .collect();
            let budgets: Vec<usize> = (0..agg.budgets.len())
                .filter(|i| agg.budgets[*i].period == period)
                .collect();
            let indicators: Vec<usize> = (0..agg.indicators.len())
                .filter(|i| docs[agg.indicators[*i].doc].period() == Some(period))
                .collect();
            let actions: Vec<usize> = (0..agg.actions.len())
                .filter(|i| docs[agg.actions[*i].doc].period() == Some(period))
                .collect();
            let mut ranking: Vec<Ranked> = programmes
                .iter()
                .map(|i| {
                    let p = &agg.programmes[*i];
                    Ranked {
                        programme: p.programme.clone(),
                        title: p.title.clone(),
                        progress: p.computed,
                        stated: p.stated,
                    }
                })
                .collect();
            // Highest progress first; a stable sort keeps agenda order among equals.
            ranking.sort_by_key(|r| std::cmp::Reverse(r.progress));
            let activities = activity_totals(docs, agg, &programmes);
            let exceptions = exceptions(docs, agg, &programmes, &budgets, &indicators);
            let since = since::since(agg, &programmes, &budgets, &indicators, &actions);
            PeriodSummary {
                slug: period.slug(),
                start: period.start(config.year_start),
                end: period.end(config.year_start),
                period,
                programmes,
                budgets,
                indicators,
                actions,
                ranking,
                activities,
                exceptions,
                since,
            }
        })
        .collect()
}

fn activity_totals(docs: &[Document], agg: &Aggregates, programmes: &[usize]) -> ActivityTotals {
    let statuses: Vec<ActivityStatus> = programmes
        .iter()
        .filter_map(|i| match &docs[agg.programmes[*i].doc].data {
            Data::Highlight(h) => Some(h),
            _ => None,
        })
        .flat_map(|h| {
            h.objectives
                .iter()
                .flat_map(|o| o.activities.iter().map(|a| a.status))
        })
        .filter(|s| *s != ActivityStatus::Cancelled)
        .collect();
    let total = statuses.len();
    let n = |f: fn(&ActivityStatus) -> bool| statuses.iter().filter(|s| f(s)).count();
    let share = |c: usize| {
        let percent = if total == 0 {
            Decimal::ZERO
        } else {
            format::round_half_up(Decimal::from(c) * Decimal::ONE_HUNDRED / Decimal::from(total))
        };
        Share { count: c, percent }
    };
    ActivityTotals {
        total,
        completed: share(n(|s| *s == ActivityStatus::Complete)),
        on_track: share(n(|s| {
            matches!(s, ActivityStatus::InProgress | ActivityStatus::NotStarted)
        })),
        behind: share(n(|s| {
            matches!(s, ActivityStatus::Delayed | ActivityStatus::OnHold)
        })),
    }
}

fn exceptions(
    docs: &[Document],
    agg: &Aggregates,
    programmes: &[usize],
    budgets: &[usize],
    indicators: &[usize],
) -> Vec<Exception> {
    let mut out = Vec::new();
    for i in programmes {
        let p = &agg.programmes[*i];
        let Data::Highlight(h) = &docs[p.doc].data else {
            continue;
        };
        for o in &h.objectives {
            let kind = match o.budget_status {
                Some(BudgetStatus::Red) => ExceptionKind::BudgetRed,
                Some(BudgetStatus::Amber) => ExceptionKind::BudgetAmber,
                _ => continue,
            };
            out.push(Exception {
                kind,
                doc: p.doc,
                programme: Some(p.programme.clone()),
                objective: Some(o.id.clone()),
                item: None,
                title: o.title.clone(),
                detail: format!(
                    "budget status {}",
                    o.budget_status
                        .map(|b| b.label().to_lowercase())
                        .unwrap_or_default()
                ),
                reason: o.budget_reason.clone(),
            });
        }
        for a in &p.delayed {
            out.push(Exception {
                kind: ExceptionKind::Delayed,
                doc: p.doc,
                programme: Some(p.programme.clone()),
                objective: Some(a.objective.clone()),
                item: None,
                title: a.title.clone(),
                detail: format!("{}% complete, due {}", a.progress, uk_date(a.due)),
                reason: footnote_of(h, &a.objective, a.id.as_deref(), &a.title),
            });
        }
        for a in &p.overdue {
            out.push(Exception {
                kind: ExceptionKind::Overdue,
                doc: p.doc,
                programme: Some(p.programme.clone()),
                objective: Some(a.objective.clone()),
                item: None,
                title: a.title.clone(),
                detail: format!(
                    "due {}, {}, {}% complete",
                    uk_date(a.due),
                    a.status.label().to_lowercase(),
                    a.progress
                ),
                reason: footnote_of(h, &a.objective, a.id.as_deref(), &a.title),
            });
        }
        for s in p.changes.iter().flat_map(|c| &c.slipped) {
            out.push(Exception {
                kind: ExceptionKind::Slipped,
                doc: p.doc,
                programme: Some(p.programme.clone()),
                objective: Some(s.objective.clone()),
                item: None,
                title: s.title.clone(),
                detail: format!(
                    "due date moved from {} to {} ({} days)",
                    uk_date(s.from),
                    uk_date(s.to),
                    s.days
                ),
                reason: footnote_of(h, &s.objective, None, &s.title),
            });
        }
        for u in &p.unexplained {
            out.push(Exception {
                kind: ExceptionKind::Unexplained,
                doc: p.doc,
                programme: Some(p.programme.clone()),
                objective: Some(u.objective.clone()),
                item: None,
                title: u.title.clone(),
                detail: format!("{} with no explanation", u.what),
                reason: None,
            });
        }
    }
    for b in budgets {
        let notes = match &docs[agg.budgets[*b].doc].data {
            Data::Budget(src) => src.notes.as_slice(),
            _ => &[],
        };
        for g in &agg.budgets[*b].groups {
            for l in &g.lines {
                let kind = match l.totals.rag {
                    Some(budget::Rag::Red) => ExceptionKind::LineRed,
                    Some(budget::Rag::Amber) => ExceptionKind::LineAmber,
                    _ => continue,
                };
                out.push(Exception {
                    kind,
                    doc: agg.budgets[*b].doc,
                    programme: l.programme.clone(),
                    objective: None,
                    item: Some(l.id.clone()),
                    title: l.title.clone(),
                    detail: spend_detail(&l.totals),
                    reason: notes_of(notes, &l.notes),
                });
            }
        }
        let Some(c) = &agg.budgets[*b].changes else {
            continue;
        };
        for l in c.lines.iter().filter(|l| l.beyond_tolerance) {
            let (Some(from), Some(to)) = (l.projected.before, l.projected.now) else {
                continue;
            };
            let share = (l.moved_percent_display.as_ref())
                .map(|p| format!(", {p} of the line's budget"))
                .unwrap_or_default();
            out.push(Exception {
                kind: ExceptionKind::ProjectionMoved,
                doc: agg.budgets[*b].doc,
                programme: (agg.budgets[*b].groups.iter())
                    .flat_map(|g| &g.lines)
                    .find(|x| x.id == l.id)
                    .and_then(|x| x.programme.clone()),
                objective: None,
                item: Some(l.id.clone()),
                title: l.title.clone(),
                detail: format!(
                    "projected outturn moved from {} to {} since {}{share}",
                    format::money(from),
                    format::money(to),
                    c.previous_period
                ),
                reason: (agg.budgets[*b].groups.iter())
                    .flat_map(|g| &g.lines)
                    .find(|x| x.id == l.id)
                    .and_then(|x| notes_of(notes, &x.notes)),
            });
        }
    }
    for s in indicators {
        let set = &agg.indicators[*s];
        let Data::Indicators(src) = &docs[set.doc].data else {
            continue;
        };
        for (i, sum) in src.indicators.iter().zip(&set.indicators) {
            if matches!(
                sum.status,
                IndicatorStatus::OffTarget | IndicatorStatus::OffTargetImproving
            ) {
                out.push(Exception {
                    kind: ExceptionKind::IndicatorOffTarget,
                    doc: set.doc,
                    programme: None,
                    objective: None,
                    item: Some(i.id.clone()),
                    title: i
                        .code
                        .as_deref()
                        .map_or_else(|| i.title.clone(), |c| format!("{c} {}", i.title)),
                    detail: format!(
                        "actual {} against target {}",
                        i.actual.map(|a| a.to_string()).unwrap_or_default(),
                        sum.target.map(|t| t.to_string()).unwrap_or_default()
                    ),
                    reason: i.comment.clone(),
                });
            }
        }
    }
    // Most severe first; a stable sort keeps the agenda's order within a severity.
    out.sort_by_key(|e| e.kind.severity());
    out
}

/// `under-spend of 40,302 against 116,546 planned, (35%)`: which way a line is off, in words,
/// whatever the sign convention of its variance.
fn spend_detail(t: &budget::Totals) -> String {
    let pct = (t.variance_pct_display.as_deref())
        .map(|p| format!(", {p} of planned spend"))
        .unwrap_or_default();
    match (t.planned, t.actual) {
        (Some(p), Some(a)) => match a.checked_sub(p) {
            Some(gap) if gap < Decimal::ZERO => format!(
                "under-spend of {} against {} planned{pct}",
                format::money(gap.abs()),
                format::money(p)
            ),
            Some(gap) if gap > Decimal::ZERO => format!(
                "over-spend of {} against {} planned{pct}",
                format::money(gap),
                format::money(p)
            ),
            _ => format!("spend as planned{pct}"),
        },
        _ => format!(
            "variance {}{pct}",
            t.variance.map(format::money).unwrap_or_default()
        ),
    }
}

/// The texts of the budget notes a line refers to: `Note 1: There is an under-spend…`.
fn notes_of(notes: &[crate::content::budget::Note], refs: &[String]) -> Option<String> {
    let texts: Vec<String> = (refs.iter())
        .filter_map(|r| notes.iter().find(|n| &n.number == r))
        .map(|n| format!("Note {}: {}", n.number, n.text))
        .collect();
    (!texts.is_empty()).then(|| texts.join(" "))
}

/// An activity's footnote, or else its objective's: the paper's reason for a delay.
fn footnote_of(
    h: &crate::content::Highlight,
    objective: &str,
    id: Option<&str>,
    title: &str,
) -> Option<String> {
    let o = h.objectives.iter().find(|o| o.id == objective)?;
    let a = o.activities.iter().find(|a| match (id, a.id.as_deref()) {
        (Some(want), Some(have)) => want == have,
        _ => a.title == title,
    });
    a.and_then(|a| a.footnote.clone())
        .or_else(|| o.footnote.clone())
}

#[cfg(test)]
mod exception_tests {
    use super::*;

    #[test]
    fn a_spend_exception_says_which_way_the_line_is_off() {
        let t = |planned: i64, actual: i64, pct: &str| budget::Totals {
            planned: Some(Decimal::from(planned)),
            actual: Some(Decimal::from(actual)),
            variance_pct_display: Some(pct.into()),
            ..budget::Totals::default()
        };
        assert_eq!(
            spend_detail(&t(116_546, 76_244, "(35%)")),
            "under-spend of 40,302 against 116,546 planned, (35%) of planned spend"
        );
        assert_eq!(
            spend_detail(&t(100, 120, "20%")),
            "over-spend of 20 against 100 planned, 20% of planned spend"
        );
    }

    #[test]
    fn red_money_comes_first_and_missing_explanations_last() {
        assert!(ExceptionKind::LineRed.severity() < ExceptionKind::Overdue.severity());
        assert!(ExceptionKind::Delayed.severity() < ExceptionKind::BudgetAmber.severity());
        assert!(ExceptionKind::ProjectionMoved.severity() < ExceptionKind::Unexplained.severity());
    }
}
