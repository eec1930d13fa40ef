//! What templates see of the aggregates: each summary from [`crate::aggregate`] laid out for a
//! page, with its links resolved, its charts drawn and its downloads written.
//!
//! Built in [`Summaries::build`] for the pages about to be rendered (a batch of them in a full
//! build, the changed ones in a rebuild; see [`Needed`]), and handed to templates by
//! [`crate::render::context`]: a report's summary as `report.summary` (and `summary` on the
//! report's own page), and a page summary as `summary` on the home, period, programme and
//! exceptions pages. `docs/theming.md` lists every field.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;
use tera::Value;

use crate::aggregate::budget::{GroupSummary, LineSummary, Totals};
use crate::aggregate::programme::{ActivityRef, Changes};
use crate::aggregate::{
    self, ActionPlanSummary, ActivityTotals, BudgetSummary, Count, Exception, IndicatorSetSummary,
    PeriodSummary, ProgrammeSummary, Share, Trend, format,
};
use crate::content::budget::Figures;
use crate::content::period::Period;
use crate::content::words::{ActivityStatus, GroupKind, IndicatorStatus, Unit};
use crate::content::{ActionPlan, Budget, Data, Document, Highlight, IndicatorSet};
use crate::render::chart::{self, Chart};
use crate::render::context::budget_layout;
use crate::render::download::{self, Cell, Download, Table};
use crate::site::Loaded;
use crate::site::pages::{PageKind, Plan};

/// Every summary value, and the download files they link to.
#[derive(Default)]
pub struct Summaries {
    /// One per planned report (`Plan::reports`).
    pub reports: Vec<Option<Value>>,
    /// One per planned period (`Plan::periods`, newest first).
    pub periods: Vec<Option<Value>>,
    /// One per planned programme (`Plan::programmes`).
    pub programmes: Vec<Option<Value>>,
    pub home: Option<Value>,
    pub exceptions: Option<Value>,
    /// Download files: (output path, bytes), sorted by path.
    pub files: Vec<(String, Vec<u8>)>,
}

type Downloads = BTreeMap<&'static str, Vec<Download>>;

/// Shared lookups while building.
struct Cx<'a> {
    loaded: &'a Loaded,
    plan: &'a Plan,
    docs: &'a [Document],
    agg: &'a aggregate::Aggregates,
    /// Document index → planned report index.
    report_of_doc: BTreeMap<usize, usize>,
    /// Programme id → planned programme index.
    programme_index: BTreeMap<&'a str, usize>,
    /// (Programme id, period) → that report's summary.
    programme_summaries: std::collections::HashMap<(&'a str, Period), &'a ProgrammeSummary>,
    /// Download files, from many threads: sorted when all are in.
    files: std::sync::Mutex<Vec<(String, Vec<u8>)>>,
}

impl<'a> Cx<'a> {
    fn page_path(&self, url: &str) -> String {
        let rel = url.strip_prefix(self.plan.base_url.as_str()).unwrap_or(url);
        format!("{rel}index.html")
    }

    /// Write both files of a table beside the page at `url`. An empty table has nothing to
    /// download: no files, no links.
    fn download(&self, t: &Table, url: &str) -> Vec<Download> {
        if t.rows.is_empty() {
            return Vec::new();
        }
        let path = self.page_path(url);
        let from = download::Provenance {
            site: self.loaded.config.title.clone(),
            publisher: self.loaded.config.organisation.clone(),
            page: url.to_string(),
        };
        let files = download::both(t, &from, &path);
        let mut all = self.files.lock().unwrap_or_else(|e| e.into_inner());
        for f in &files {
            all.push((f.path.clone(), f.bytes.clone()));
        }
        files.into()
    }

    fn report_url(&self, doc: usize) -> Option<&'a str> {
        self.report_of_doc
            .get(&doc)
            .map(|r| self.plan.reports[*r].url.as_str())
    }

    fn report_anchor(&self, doc: usize) -> Option<&'a str> {
        self.report_of_doc
            .get(&doc)
            .map(|r| self.plan.reports[*r].anchor.as_str())
    }

    fn programme_link(&self, id: &str) -> Option<(&'a str, &'a str)> {
        self.programme_index.get(id).map(|i| {
            let p = &self.plan.programmes[*i];
            (p.title.as_str(), p.url.as_str())
        })
    }

    fn period_url(&self, period: Period) -> Option<&'a str> {
        self.plan
            .periods
            .iter()
            .find(|p| p.period == period)
            .map(|p| p.url.as_str())
    }

    fn programme_summary(&self, programme: &str, period: Period) -> Option<&'a ProgrammeSummary> {
        self.programme_summaries.get(&(programme, period)).copied()
    }

    fn highlight_url(&self, programme: &str, period: Period) -> Option<&'a str> {
        self.programme_summary(programme, period)
            .and_then(|p| self.report_url(p.doc))
    }
}

// ---------------------------------------------------------------------------------------------
// Pieces shared by several pages.

/// A data-quality finding on a report's page.
#[derive(Serialize)]
struct FindingView {
    code: &'static str,
    /// The kind of finding in words: `Progress differs`.
    label: &'static str,
    message: String,
    /// `content/2009-10-q2/improving-capacity.md:3:13`.
    location: String,
    line: usize,
    column: usize,
}

fn finding_label(code: &str) -> &'static str {
    match code {
        "progress-mismatch" => "Stated progress differs from computed",
        "total-mismatch" => "Printed total differs from computed",
        "unexplained" => "No explanation given",
        "slipped" => "Due date slipped",
        "status-contradicts-data" => "Stated status contradicts the data",
        "summary-mismatch" => "Printed summary differs from the detail",
        "shared-primary" => "Two primary workstreams",
        _ => "Finding",
    }
}

fn findings_for(loaded: &Loaded, doc: &Document) -> Vec<FindingView> {
    loaded
        .aggregates
        .findings
        .iter()
        .filter(|f| f.file.as_ref().is_some_and(|x| Arc::ptr_eq(x, &doc.file)))
        .map(|f| {
            let (line, column) = f.line_col().unwrap_or((0, 0));
            let code = f.problem.code();
            FindingView {
                code,
                label: finding_label(code),
                message: f.problem.to_string(),
                location: f.location(),
                line,
                column,
            }
        })
        .collect()
}

/// A trend arrow and the words that say the same thing.
#[derive(Serialize)]
struct TrendView {
    /// `up`, `down`, `same` or `none`.
    direction: &'static str,
    /// `↑`, `↓`, `→`, or empty: decoration beside `text`.
    arrow: &'static str,
    /// `up from 48% in 2009/10 Q1`, `no earlier report`.
    text: String,
}

fn trend_view(
    trend: Trend,
    before: Option<(Period, Option<Decimal>)>,
    suffix: &str,
    nothing: &str,
) -> TrendView {
    let Some((period, value)) = before else {
        return TrendView {
            direction: "none",
            arrow: "",
            text: nothing.to_string(),
        };
    };
    let Some(value) = value else {
        return TrendView {
            direction: "none",
            arrow: "",
            text: format!("no figure in {period}{suffix}"),
        };
    };
    let v = format::percent(value);
    let (direction, arrow, text) = match trend {
        Trend::Up => ("up", "↑", format!("up from {v} in {period}{suffix}")),
        Trend::Down => ("down", "↓", format!("down from {v} in {period}{suffix}")),
        Trend::Same => (
            "same",
            "→",
            format!("no change from {v} in {period}{suffix}"),
        ),
        Trend::None => ("none", "", format!("not comparable with {period}{suffix}")),
    };
    TrendView {
        direction,
        arrow,
        text,
    }
}

fn programme_trends(cx: &Cx<'_>, p: &ProgrammeSummary) -> (TrendView, TrendView) {
    let previous = p
        .changes
        .as_ref()
        .and_then(|c| c.previous_period)
        .map(|period| {
            (
                period,
                cx.programme_summary(&p.programme, period)
                    .and_then(|s| s.computed),
            )
        });
    let year = p.period.year_earlier();
    let year_before = cx
        .programme_summary(&p.programme, year)
        .map(|s| (year, s.computed));
    (
        trend_view(p.trend_previous, previous, "", "no earlier report"),
        trend_view(
            p.trend_year,
            year_before,
            ", a year earlier",
            "no report a year earlier",
        ),
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `11 activities: 9 in progress, 2 delayed`.
fn status_text(total: usize, counts: &[Count]) -> String {
    let parts: Vec<String> = counts
        .iter()
        .filter(|c| c.count > 0)
        .map(|c| format!("{} {}", c.count, c.label.to_lowercase()))
        .collect();
    let head = plural(total, "activity", "activities");
    if parts.is_empty() {
        head
    } else {
        format!("{head}: {}", parts.join(", "))
    }
}

/// A programme on the dashboard: its progress, counts and trend in one period.
#[derive(Serialize)]
struct ProgrammeCard {
    id: String,
    title: String,
    url: Option<String>,
    report_url: Option<String>,
    period: String,
    computed: Option<Decimal>,
    stated: Option<Decimal>,
    differs: bool,
    mean: Option<Decimal>,
    activity_count: usize,
    /// Statuses with at least one activity.
    statuses: Vec<Count>,
    status_text: String,
    delayed: usize,
    overdue: usize,
    due_next: usize,
    unexplained: usize,
    trend: TrendView,
    trend_year: TrendView,
}

fn programme_card(cx: &Cx<'_>, p: &ProgrammeSummary) -> ProgrammeCard {
    let (trend, trend_year) = programme_trends(cx, p);
    let link = cx.programme_link(&p.programme);
    ProgrammeCard {
        id: p.programme.clone(),
        title: p.title.clone(),
        url: link.map(|l| l.1.to_string()),
        report_url: cx.report_url(p.doc).map(str::to_string),
        period: p.period.to_string(),
        computed: p.computed,
        stated: p.stated,
        differs: p.differs,
        mean: p.mean.map(display_mean),
        activity_count: p.activity_count,
        statuses: p
            .by_status
            .iter()
            .filter(|c| c.count > 0)
            .cloned()
            .collect(),
        status_text: status_text(p.activity_count, &p.by_status),
        delayed: p.delayed.len(),
        overdue: p.overdue.len(),
        due_next: p.due_next.len(),
        unexplained: p.unexplained.len(),
        trend,
        trend_year,
    }
}

#[derive(Serialize)]
struct StatusChangeView {
    objective: String,
    title: String,
    from: ActivityStatus,
    to: ActivityStatus,
}

#[derive(Serialize)]
struct SlipView {
    objective: String,
    title: String,
    from: Date,
    to: Date,
    days: i32,
}

/// What changed in a programme since its previous report.
#[derive(Serialize)]
struct ChangesView {
    previous_period: Option<String>,
    previous_url: Option<String>,
    progress_delta: Option<Decimal>,
    /// `up 10 percentage points`, `no change`.
    delta_text: Option<String>,
    status_changes: Vec<StatusChangeView>,
    slipped: Vec<SlipView>,
    new_risks: Vec<String>,
    closed_risks: Vec<String>,
    new_issues: Vec<String>,
    closed_issues: Vec<String>,
    objectives_added: Vec<String>,
    objectives_removed: Vec<String>,
    /// Nothing changed.
    empty: bool,
}

fn changes_view(cx: &Cx<'_>, programme: &str, c: &Changes) -> ChangesView {
    let delta_text = c.progress_delta.map(|d| {
        let n = d.abs().normalize();
        let points = if n == Decimal::ONE {
            "percentage point"
        } else {
            "percentage points"
        };
        if d > Decimal::ZERO {
            format!("up {n} {points}")
        } else if d < Decimal::ZERO {
            format!("down {n} {points}")
        } else {
            "no change".to_string()
        }
    });
    ChangesView {
        previous_period: c.previous_period.map(|p| p.to_string()),
        previous_url: c
            .previous_period
            .and_then(|p| cx.highlight_url(programme, p))
            .map(str::to_string),
        progress_delta: c.progress_delta,
        delta_text,
        status_changes: c
            .status_changes
            .iter()
            .map(|s| StatusChangeView {
                objective: s.objective.clone(),
                title: s.title.clone(),
                from: s.from,
                to: s.to,
            })
            .collect(),
        slipped: c
            .slipped
            .iter()
            .map(|s| SlipView {
                objective: s.objective.clone(),
                title: s.title.clone(),
                from: s.from,
                to: s.to,
                days: s.days,
            })
            .collect(),
        new_risks: c.new_risks.clone(),
        closed_risks: c.closed_risks.clone(),
        new_issues: c.new_issues.clone(),
        closed_issues: c.closed_issues.clone(),
        objectives_added: c.objectives_added.clone(),
        objectives_removed: c.objectives_removed.clone(),
        empty: c.is_empty(),
    }
}

/// One item on an exceptions list, with a link to where it is reported.
#[derive(Serialize)]
struct ExceptionView {
    kind: &'static str,
    label: &'static str,
    programme: Option<String>,
    programme_url: Option<String>,
    objective: Option<String>,
    /// `objective 3`: the objective's number in its report.
    objective_label: Option<String>,
    title: String,
    detail: String,
    /// The report it comes from, at the item where possible.
    url: Option<String>,
    source: String,
}

fn exception_view(cx: &Cx<'_>, e: &Exception) -> ExceptionView {
    let anchor = cx.report_anchor(e.doc);
    let item = match (anchor, &e.objective, &e.item, e.kind) {
        (Some(a), Some(o), _, _) => Some(format!("{a}-{o}")),
        (Some(a), None, Some(i), k) if k.starts_with("line-") => Some(format!("{a}-line-{i}")),
        (Some(a), None, Some(i), _) => Some(format!("{a}-{i}")),
        _ => None,
    };
    let url = cx.report_url(e.doc).map(|u| match item {
        Some(frag) => format!("{u}#{frag}"),
        None => u.to_string(),
    });
    let link = e.programme.as_deref().and_then(|p| cx.programme_link(p));
    let objective_label = match (cx.docs.get(e.doc).map(|d| &d.data), &e.objective) {
        (Some(Data::Highlight(h)), Some(o)) => h
            .objectives
            .iter()
            .position(|x| &x.id == o)
            .map(|i| format!("objective {}", i + 1)),
        _ => None,
    };
    ExceptionView {
        objective_label,
        kind: e.kind,
        label: e.label,
        programme: link
            .map(|l| l.0.to_string())
            .or_else(|| e.programme.clone()),
        programme_url: link.map(|l| l.1.to_string()),
        objective: e.objective.clone(),
        title: e.title.clone(),
        detail: e.detail.clone(),
        url,
        source: cx
            .docs
            .get(e.doc)
            .map_or(String::new(), |d| d.title().to_string()),
    }
}

#[derive(Serialize)]
struct KindCount {
    kind: &'static str,
    label: &'static str,
    count: usize,
}

fn exception_counts(list: &[Exception]) -> Vec<KindCount> {
    let mut out: Vec<KindCount> = Vec::new();
    for e in list {
        match out.iter_mut().find(|k| k.kind == e.kind) {
            Some(k) => k.count += 1,
            None => out.push(KindCount {
                kind: e.kind,
                label: e.label,
                count: 1,
            }),
        }
    }
    out
}

fn exceptions_table(list: &[ExceptionView], period: &str) -> Table {
    let mut t = Table::new(
        "exceptions",
        format!("Exceptions, {period}"),
        &[
            ("kind", "Kind"),
            ("label", "Exception"),
            ("programme", "Programme"),
            ("objective", "Objective"),
            ("title", "Item"),
            ("detail", "Detail"),
            ("source", "Report"),
        ],
    );
    for e in list {
        t.push(vec![
            Cell::text(e.kind),
            Cell::text(e.label),
            Cell::opt_text(e.programme.clone()),
            Cell::opt_text(e.objective.clone()),
            Cell::text(e.title.clone()),
            Cell::text(e.detail.clone()),
            Cell::text(e.source.clone()),
        ]);
    }
    t
}

// ---------------------------------------------------------------------------------------------
// Highlight reports.

#[derive(Serialize)]
struct ObjectiveView {
    id: String,
    number: usize,
    title: String,
    stated: Option<Decimal>,
    computed: Option<Decimal>,
    mean: Option<Decimal>,
    differs: bool,
    activity_count: usize,
}

#[derive(Serialize)]
struct ActivityView {
    objective: String,
    objective_number: usize,
    title: String,
    kind: crate::content::words::ActivityKind,
    due: Date,
    status: ActivityStatus,
    progress: Decimal,
}

#[derive(Serialize)]
struct HighlightView {
    stated: Option<Decimal>,
    computed: Option<Decimal>,
    mean: Option<Decimal>,
    differs: bool,
    /// The roll-up rule in words: `floor mean`.
    rule: &'static str,
    /// One per objective, in the order of `report.data.objectives`.
    objectives: Vec<ObjectiveView>,
    activity_count: usize,
    statuses: Vec<Count>,
    status_text: String,
    delayed: Vec<ActivityView>,
    overdue: Vec<ActivityView>,
    due_next: Vec<ActivityView>,
    next_period: String,
    unexplained: Vec<aggregate::programme::Unexplained>,
    changes: Option<ChangesView>,
    trend: TrendView,
    trend_year: TrendView,
    findings: Vec<FindingView>,
    downloads: Downloads,
}

/// A mean for display: at most two decimal places.
fn display_mean(m: Decimal) -> Decimal {
    m.round_dp(2).normalize()
}

fn activity_views(h: &Highlight, list: &[ActivityRef]) -> Vec<ActivityView> {
    list.iter()
        .map(|a| ActivityView {
            objective: a.objective.clone(),
            objective_number: h
                .objectives
                .iter()
                .position(|o| o.id == a.objective)
                .map_or(0, |i| i + 1),
            title: a.title.clone(),
            kind: a.kind,
            due: a.due,
            status: a.status,
            progress: a.progress,
        })
        .collect()
}

fn highlight_view(
    cx: &Cx<'_>,
    doc: &Document,
    h: &Highlight,
    s: &ProgrammeSummary,
    url: &str,
) -> HighlightView {
    let (trend, trend_year) = programme_trends(cx, s);
    let mut t = Table::new(
        "activities",
        format!("{}: activities, {}", h.title, h.period),
        &[
            ("programme", "Programme"),
            ("period", "Period"),
            ("objective_id", "Objective ID"),
            ("objective", "Objective"),
            ("objective_stated_progress", "Objective progress (stated)"),
            (
                "objective_computed_progress",
                "Objective progress (computed)",
            ),
            ("activity_id", "Activity ID"),
            ("activity", "Activity"),
            ("kind", "Kind"),
            ("due", "Due"),
            ("status", "Status"),
            ("progress", "Progress (%)"),
        ],
    );
    for (o, os) in h.objectives.iter().zip(&s.objectives) {
        for a in &o.activities {
            t.push(vec![
                Cell::text(h.title.clone()),
                Cell::text(h.period.to_string()),
                Cell::text(o.id.clone()),
                Cell::text(o.title.clone()),
                Cell::number(os.stated),
                Cell::number(os.computed),
                Cell::opt_text(a.id.clone()),
                Cell::text(a.title.clone()),
                Cell::text(a.kind.label()),
                Cell::Date(a.due),
                Cell::text(a.status.label()),
                Cell::Number(a.progress.normalize()),
            ]);
        }
    }
    let mut downloads = Downloads::new();
    downloads.insert("activities", cx.download(&t, url));
    HighlightView {
        stated: s.stated,
        computed: s.computed,
        mean: s.mean.map(display_mean),
        differs: s.differs,
        rule: cx.loaded.config.rollup.name(),
        objectives: s
            .objectives
            .iter()
            .enumerate()
            .map(|(i, o)| ObjectiveView {
                id: o.id.clone(),
                number: i + 1,
                title: o.title.clone(),
                stated: o.stated,
                computed: o.computed,
                mean: o.mean.map(display_mean),
                differs: o.differs,
                activity_count: o.activity_count,
            })
            .collect(),
        activity_count: s.activity_count,
        statuses: s
            .by_status
            .iter()
            .filter(|c| c.count > 0)
            .cloned()
            .collect(),
        status_text: status_text(s.activity_count, &s.by_status),
        delayed: activity_views(h, &s.delayed),
        overdue: activity_views(h, &s.overdue),
        due_next: activity_views(h, &s.due_next),
        next_period: h.period.next().to_string(),
        unexplained: s.unexplained.clone(),
        changes: s
            .changes
            .as_ref()
            .map(|c| changes_view(cx, &s.programme, c)),
        trend,
        trend_year,
        findings: findings_for(cx.loaded, doc),
        downloads,
    }
}

// ---------------------------------------------------------------------------------------------
// Budgets.

#[derive(Serialize)]
struct NoteRef {
    label: String,
    /// 1-based position in `report.data.notes`, for the link; none when no note has the number.
    target: Option<usize>,
}

/// One row of the budget statement.
#[derive(Serialize, Default)]
struct StatementRow {
    /// `group` (a heading), `line`, `subtotal`, `printed` (a subtotal or total as printed),
    /// `total-income`, `total-expenditure`, `memo`, `excluding-memo` or `net`.
    row: &'static str,
    /// Whether the row opens a new `<tbody>`.
    starts_body: bool,
    depth: usize,
    /// The row's id on the page, for links; none for total rows.
    anchor: Option<String>,
    title: String,
    /// For top-level group headings: `income` or `expenditure`.
    kind: Option<GroupKind>,
    memo: bool,
    notes: Vec<NoteRef>,
    approved: Option<Decimal>,
    revised: Option<Decimal>,
    planned: Option<Decimal>,
    actual: Option<Decimal>,
    variance: Option<Decimal>,
    /// As displayed: `(2%)`, `(0%)`.
    variance_pct: Option<String>,
    /// `green`, `amber` or `red`.
    rag: Option<&'static str>,
    projected: Option<Decimal>,
    /// Projected outturn minus revised budget.
    outturn_variance: Option<Decimal>,
    /// The displayed figures of this total do not add up because of rounding.
    rounding: bool,
    /// On `printed` rows: the columns where the printed figure differs from the computed one.
    differs: Vec<&'static str>,
}

fn rag_key(r: Option<aggregate::budget::Rag>) -> Option<&'static str> {
    r.map(|r| match r {
        aggregate::budget::Rag::Green => "green",
        aggregate::budget::Rag::Amber => "amber",
        aggregate::budget::Rag::Red => "red",
    })
}

fn with_totals(mut row: StatementRow, t: &Totals) -> StatementRow {
    row.approved = t.approved;
    row.revised = t.revised;
    row.planned = t.planned;
    row.actual = t.actual;
    row.variance = t.variance;
    row.variance_pct = t.variance_pct_display.clone();
    row.rag = rag_key(t.rag);
    row.projected = t.projected;
    row.outturn_variance = t.outturn_variance;
    row
}

fn printed_row(title: &str, f: &Figures, computed: &Totals, depth: usize) -> StatementRow {
    let variance_pct = match (f.variance, f.planned) {
        (Some(v), Some(p)) if !p.is_zero() => {
            Some(format::percent(v / p.abs() * Decimal::ONE_HUNDRED))
        }
        _ => None,
    };
    let pairs = [
        ("approved", f.approved, computed.approved),
        ("revised", f.revised, computed.revised),
        ("planned", f.planned, computed.planned),
        ("actual", f.actual, computed.actual),
        ("variance", f.variance, computed.variance),
        ("projected", f.projected, computed.projected),
    ];
    StatementRow {
        row: "printed",
        depth,
        title: title.to_string(),
        approved: f.approved,
        revised: f.revised,
        planned: f.planned,
        actual: f.actual,
        variance: f.variance,
        variance_pct,
        projected: f.projected,
        differs: pairs
            .iter()
            .filter(|(_, s, c)| matches!((s, c), (Some(s), Some(c)) if s != c))
            .map(|(k, _, _)| *k)
            .collect(),
        ..StatementRow::default()
    }
}

fn has_any(f: &Figures) -> bool {
    [
        f.approved,
        f.revised,
        f.planned,
        f.actual,
        f.variance,
        f.projected,
    ]
    .iter()
    .any(Option::is_some)
}

#[derive(Serialize)]
struct BudgetColumns {
    revised: bool,
    planned: bool,
    actual: bool,
    variance: bool,
    projected: bool,
    outturn: bool,
    /// How many columns the statement has, for `colspan`.
    count: usize,
}

/// The headline position of a budget: spend against plan, and the projection.
#[derive(Serialize)]
struct BudgetHeadline {
    title: String,
    url: Option<String>,
    period: String,
    as_at: Option<Date>,
    approved: Option<Decimal>,
    revised: Option<Decimal>,
    planned: Option<Decimal>,
    actual: Option<Decimal>,
    variance: Option<Decimal>,
    variance_pct: Option<String>,
    /// `under-spend`, `over-spend` or `on plan`: actual against planned.
    position: Option<&'static str>,
    /// The size of the under- or over-spend, positive.
    gap: Option<Decimal>,
    /// The grand total variance as printed, where it differs from the computed one.
    printed_variance: Option<Decimal>,
    projected: Option<Decimal>,
    /// Projected outturn minus revised budget.
    outturn_variance: Option<Decimal>,
    /// `over-spend`, `under-spend` or `on budget`.
    outturn_position: Option<&'static str>,
    /// The size of the projected over- or under-spend, positive.
    outturn_gap: Option<Decimal>,
    legend: String,
}

fn budget_headline(cx: &Cx<'_>, s: &BudgetSummary, b: &Budget) -> BudgetHeadline {
    let e = &s.expenditure;
    let gap = match (e.planned, e.actual) {
        (Some(p), Some(a)) => Some(a - p),
        _ => None,
    };
    let position = gap.map(|g| {
        if g < Decimal::ZERO {
            "under-spend"
        } else if g > Decimal::ZERO {
            "over-spend"
        } else {
            "on plan"
        }
    });
    let printed_variance = s
        .stated_total
        .as_ref()
        .and_then(|t| t.variance)
        .filter(|v| Some(*v) != e.variance);
    BudgetHeadline {
        title: s.title.clone(),
        url: cx.report_url(s.doc).map(str::to_string),
        period: s.period.to_string(),
        as_at: b.as_at,
        approved: e.approved,
        revised: e.revised,
        planned: e.planned,
        actual: e.actual,
        variance: e.variance,
        variance_pct: e.variance_pct_display.clone(),
        position,
        gap: gap.map(|g| g.abs()),
        printed_variance,
        projected: e.projected,
        outturn_variance: e.outturn_variance,
        outturn_position: e.outturn_variance.map(|o| {
            if o > Decimal::ZERO {
                "over-spend"
            } else if o < Decimal::ZERO {
                "under-spend"
            } else {
                "on budget"
            }
        }),
        outturn_gap: e.outturn_variance.map(|o| o.abs()),
        legend: s.legend.clone(),
    }
}

#[derive(Serialize)]
struct BudgetView {
    columns: BudgetColumns,
    /// The statement's body rows, in table order (see `StatementRow`).
    statement: Vec<StatementRow>,
    /// Its total rows, for `<tfoot>`.
    foot: Vec<StatementRow>,
    /// The sign convention, printed beside the table.
    legend: String,
    /// "Figures may not sum because of rounding" applies somewhere in the table.
    rounding_note: bool,
    income: Totals,
    expenditure: Totals,
    memo: Totals,
    expenditure_excluding_memo: Totals,
    headline: BudgetHeadline,
    balances_total: Decimal,
    /// One per `report.data.external_funding`: the phasing's total and whether it matches.
    funding: Vec<FundingView>,
    charts: Vec<Chart>,
    findings: Vec<FindingView>,
    downloads: Downloads,
}

#[derive(Serialize)]
struct FundingView {
    phased: Option<Decimal>,
    matches: bool,
}

fn note_refs(b: &Budget, notes: &[String]) -> Vec<NoteRef> {
    notes
        .iter()
        .map(|n| NoteRef {
            label: format!("Note {n}"),
            target: b.notes.iter().position(|x| &x.number == n).map(|i| i + 1),
        })
        .collect()
}

fn statement(
    b: &Budget,
    s: &BudgetSummary,
    anchor: &str,
) -> (Vec<StatementRow>, Vec<StatementRow>) {
    let lines: BTreeMap<&str, &LineSummary> = s
        .groups
        .iter()
        .flat_map(|g| g.lines.iter())
        .map(|l| (l.id.as_str(), l))
        .collect();
    // A top-level group that is the only one of its kind has its total in the table's foot.
    let sole = |g: &GroupSummary| {
        g.parent.is_none()
            && g.kind.is_some()
            && s.groups
                .iter()
                .filter(|x| x.parent.is_none() && x.kind == g.kind)
                .count()
                == 1
    };
    let mut rows: Vec<StatementRow> = Vec::new();
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut new_body = false;
    let close = |rows: &mut Vec<StatementRow>,
                 open: &mut Vec<(usize, usize)>,
                 new_body: &mut bool,
                 depth: usize| {
        while let Some(&(g, d)) = open.last() {
            if d < depth {
                break;
            }
            open.pop();
            let gs = &s.groups[g];
            if sole(gs) {
                continue;
            }
            let sub = StatementRow {
                row: "subtotal",
                starts_body: *new_body,
                depth: d,
                anchor: Some(format!("{anchor}-total-{}", gs.id)),
                title: gs.title.clone(),
                rounding: gs.rounding_note,
                ..StatementRow::default()
            };
            rows.push(with_totals(sub, &gs.totals));
            if let Some(st) = gs.stated.as_ref().filter(|f| has_any(f)) {
                rows.push(printed_row(&gs.title, st, &gs.totals, d));
            }
            *new_body = true;
        }
    };
    for r in budget_layout(b).rows {
        if r.row == "group" {
            close(&mut rows, &mut open, &mut new_body, r.depth);
            let Some(gs) = s.groups.get(r.index) else {
                continue;
            };
            rows.push(StatementRow {
                row: "group",
                starts_body: true,
                depth: r.depth,
                anchor: Some(format!("{anchor}-group-{}", gs.id)),
                title: gs.title.clone(),
                kind: if gs.parent.is_none() { gs.kind } else { None },
                ..StatementRow::default()
            });
            new_body = false;
            open.push((r.index, r.depth));
        } else {
            close(&mut rows, &mut open, &mut new_body, r.depth);
            let Some(l) = b.lines.get(r.index) else {
                continue;
            };
            let t = lines
                .get(l.id.as_str())
                .map_or_else(Totals::default, |x| x.totals.clone());
            let row = StatementRow {
                row: "line",
                starts_body: new_body || rows.is_empty(),
                depth: r.depth,
                anchor: Some(format!("{anchor}-line-{}", l.id)),
                title: l.title.clone(),
                memo: l.memo,
                notes: note_refs(b, &l.notes),
                ..StatementRow::default()
            };
            rows.push(with_totals(row, &t));
            new_body = false;
        }
    }
    close(&mut rows, &mut open, &mut new_body, 0);

    let mut foot = Vec::new();
    let sole_of = |k: GroupKind| s.groups.iter().find(|g| g.kind == Some(k) && sole(g));
    let has_income = b.lines.iter().any(|l| {
        s.groups
            .iter()
            .any(|g| g.kind == Some(GroupKind::Income) && g.lines.iter().any(|x| x.id == l.id))
    }) || s.income.approved.is_some();
    if has_income {
        foot.push(with_totals(
            StatementRow {
                row: "total-income",
                title: "Total income".into(),
                depth: 1,
                ..StatementRow::default()
            },
            &s.income,
        ));
        if let Some(st) = sole_of(GroupKind::Income)
            .and_then(|g| g.stated.as_ref())
            .filter(|f| has_any(f))
        {
            foot.push(printed_row("Total income", st, &s.income, 1));
        }
    }
    foot.push(with_totals(
        StatementRow {
            row: "total-expenditure",
            title: "Total expenditure".into(),
            depth: 1,
            rounding: s.rounding_note,
            ..StatementRow::default()
        },
        &s.expenditure,
    ));
    let printed_total = s.stated_total.as_ref().filter(|f| has_any(f)).or_else(|| {
        sole_of(GroupKind::Expenditure)
            .and_then(|g| g.stated.as_ref())
            .filter(|f| has_any(f))
    });
    if let Some(st) = printed_total {
        foot.push(printed_row("Total expenditure", st, &s.expenditure, 1));
    }
    if s.memo.approved.is_some() {
        foot.push(with_totals(
            StatementRow {
                row: "memo",
                title: "Of which memorandum items, not actual expenditure".into(),
                depth: 1,
                ..StatementRow::default()
            },
            &s.memo,
        ));
        foot.push(with_totals(
            StatementRow {
                row: "excluding-memo",
                title: "Expenditure excluding memorandum items".into(),
                depth: 1,
                ..StatementRow::default()
            },
            &s.expenditure_excluding_memo,
        ));
    }
    if has_income {
        let both = |a: Option<Decimal>, b: Option<Decimal>| match (a, b) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
        foot.push(StatementRow {
            row: "net",
            title: "Net: income plus expenditure".into(),
            depth: 1,
            approved: both(s.income.approved, s.expenditure.approved),
            revised: both(s.income.revised, s.expenditure.revised),
            planned: both(s.income.planned, s.expenditure.planned),
            actual: both(s.income.actual, s.expenditure.actual),
            projected: both(s.income.projected, s.expenditure.projected),
            ..StatementRow::default()
        });
    }
    (rows, foot)
}

fn budget_charts(s: &BudgetSummary, b: &Budget, anchor: &str) -> Vec<Chart> {
    let mut charts = Vec::new();
    let spend = |g: &&GroupSummary| {
        g.kind == Some(GroupKind::Expenditure)
            && (g.totals.planned.is_some() || g.totals.actual.is_some())
    };
    let mut groups: Vec<&GroupSummary> = s
        .groups
        .iter()
        .filter(|g| g.parent.is_some())
        .filter(spend)
        .collect();
    if groups.is_empty() {
        groups = s.groups.iter().filter(spend).collect();
    }
    if !groups.is_empty() {
        let rows: Vec<chart::PairRow> = groups
            .iter()
            .map(|g| chart::PairRow {
                label: g.title.clone(),
                first: g.totals.planned,
                second: g.totals.actual,
            })
            .collect();
        charts.push(chart::paired_bars(
            &format!("{anchor}-chart-groups"),
            &format!("Planned and actual spend to date by group, {}", b.period),
            ["Planned to date", "Actual to date"],
            &rows,
        ));
    }
    let lines: Vec<chart::SignedRow> = s
        .groups
        .iter()
        .filter(|g| g.kind == Some(GroupKind::Expenditure))
        .flat_map(|g| g.lines.iter())
        .filter_map(|l| {
            l.totals.variance.map(|v| chart::SignedRow {
                label: l.title.clone(),
                value: v,
                note: l.totals.variance_pct_display.clone().unwrap_or_default(),
            })
        })
        .collect();
    // Lines in the order of the statement.
    let order: Vec<&str> = b.lines.iter().map(|l| l.title.as_str()).collect();
    let mut lines = lines;
    lines.sort_by_key(|r| order.iter().position(|t| *t == r.label));
    if !lines.is_empty() {
        charts.push(chart::diverging_bars(
            &format!("{anchor}-chart-variance"),
            &format!("Variance by budget line, {}", b.period),
            "Variance",
            "% variance",
            &lines,
        ));
    }
    charts
}

fn group_path(b: &Budget, group: &str) -> String {
    let mut parts = Vec::new();
    let mut cur = Some(group.to_string());
    while let Some(id) = cur {
        if parts.len() > b.groups.len() {
            break;
        }
        let g = b.groups.iter().find(|g| g.id == id);
        parts.push(g.map_or(id.clone(), |g| g.title.clone()));
        cur = g.and_then(|g| g.parent.clone());
    }
    parts.reverse();
    parts.join(" > ")
}

const MONEY_COLUMNS: [(&str, &str); 10] = [
    ("approved", "Approved budget"),
    ("revised", "Revised budget"),
    ("planned", "Planned to date"),
    ("actual", "Actual to date"),
    ("variance", "Variance"),
    ("variance_percent", "Variance (%)"),
    ("variance_percent_rounded", "Variance (% rounded)"),
    ("rag", "RAG"),
    ("projected", "Projected outturn"),
    ("outturn_variance", "Outturn variance"),
];

fn totals_cells(t: &Totals) -> Vec<Cell> {
    vec![
        Cell::money(t.approved),
        Cell::money(t.revised),
        Cell::money(t.planned),
        Cell::money(t.actual),
        Cell::money(t.variance),
        Cell::number(t.variance_pct),
        Cell::number(t.variance_pct.map(format::round_half_up)),
        Cell::opt_text(rag_key(t.rag)),
        Cell::money(t.projected),
        Cell::money(t.outturn_variance),
    ]
}

fn budget_tables(b: &Budget, s: &BudgetSummary) -> (Table, Table) {
    let mut cols: Vec<(&'static str, &'static str)> = vec![
        ("id", "Line ID"),
        ("title", "Budget line"),
        ("group", "Group"),
        ("kind", "Income or expenditure"),
        ("memo", "Memorandum item"),
        ("programme", "Programme"),
    ];
    cols.extend(MONEY_COLUMNS);
    cols.push(("notes", "Notes"));
    let mut lines = Table::new("budget-lines", format!("{}: budget lines", b.title), &cols);
    for g in &s.groups {
        for l in &g.lines {
            let mut row = vec![
                Cell::text(l.id.clone()),
                Cell::text(l.title.clone()),
                Cell::text(group_path(b, &g.id)),
                Cell::opt_text(g.kind.map(|k| k.label())),
                Cell::Bool(l.memo),
                Cell::opt_text(l.programme.clone()),
            ];
            row.extend(totals_cells(&l.totals));
            row.push(Cell::text(l.notes.join("; ")));
            lines.push(row);
        }
    }
    // Lines in the order of the paper.
    let order: Vec<&str> = b.lines.iter().map(|l| l.id.as_str()).collect();
    lines.rows.sort_by_key(|r| match &r[0] {
        Cell::Text(id) => order.iter().position(|x| x == id),
        _ => None,
    });

    let mut cols: Vec<(&'static str, &'static str)> = vec![
        ("id", "Group ID"),
        ("title", "Group"),
        ("parent", "Parent group"),
        ("kind", "Income or expenditure"),
    ];
    cols.extend(MONEY_COLUMNS);
    cols.extend([
        ("printed_approved", "Approved budget (as printed)"),
        ("printed_revised", "Revised budget (as printed)"),
        ("printed_planned", "Planned to date (as printed)"),
        ("printed_actual", "Actual to date (as printed)"),
        ("printed_variance", "Variance (as printed)"),
        ("printed_projected", "Projected outturn (as printed)"),
        ("rounding_note", "Figures may not sum because of rounding"),
    ]);
    let mut groups = Table::new(
        "budget-totals",
        format!("{}: subtotals and totals", b.title),
        &cols,
    );
    let printed = |f: Option<&Figures>| -> Vec<Cell> {
        let f = f.cloned().unwrap_or_default();
        vec![
            Cell::money(f.approved),
            Cell::money(f.revised),
            Cell::money(f.planned),
            Cell::money(f.actual),
            Cell::money(f.variance),
            Cell::money(f.projected),
        ]
    };
    for g in &s.groups {
        let mut row = vec![
            Cell::text(g.id.clone()),
            Cell::text(g.title.clone()),
            Cell::opt_text(g.parent.clone()),
            Cell::opt_text(g.kind.map(|k| k.label())),
        ];
        row.extend(totals_cells(&g.totals));
        row.extend(printed(g.stated.as_ref()));
        row.push(Cell::Bool(g.rounding_note));
        groups.push(row);
    }
    for (id, title, kind, t, st, note) in [
        (
            "total-income",
            "Total income",
            GroupKind::Income,
            &s.income,
            None,
            false,
        ),
        (
            "total-expenditure",
            "Total expenditure",
            GroupKind::Expenditure,
            &s.expenditure,
            s.stated_total.as_ref(),
            s.rounding_note,
        ),
    ] {
        let mut row = vec![
            Cell::text(id),
            Cell::text(title),
            Cell::Empty,
            Cell::text(kind.label()),
        ];
        row.extend(totals_cells(t));
        row.extend(printed(st));
        row.push(Cell::Bool(note));
        groups.push(row);
    }
    (lines, groups)
}

fn budget_view(
    cx: &Cx<'_>,
    doc: &Document,
    b: &Budget,
    s: &BudgetSummary,
    url: &str,
    anchor: &str,
) -> BudgetView {
    let c = &s.columns;
    let variance = c.planned && c.actual;
    let outturn = c.revised && c.projected;
    let count = 3
        + usize::from(c.revised)
        + usize::from(c.planned)
        + usize::from(c.actual)
        + 3 * usize::from(variance)
        + usize::from(c.projected)
        + usize::from(outturn);
    let (statement, foot) = statement(b, s, anchor);
    let (lines, totals) = budget_tables(b, s);
    let mut downloads = Downloads::new();
    downloads.insert("lines", cx.download(&lines, url));
    downloads.insert("totals", cx.download(&totals, url));
    BudgetView {
        columns: BudgetColumns {
            revised: c.revised,
            planned: c.planned,
            actual: c.actual,
            variance,
            projected: c.projected,
            outturn,
            count,
        },
        rounding_note: s.rounding_note || s.groups.iter().any(|g| g.rounding_note),
        statement,
        foot,
        legend: s.legend.clone(),
        income: s.income.clone(),
        expenditure: s.expenditure.clone(),
        memo: s.memo.clone(),
        expenditure_excluding_memo: s.expenditure_excluding_memo.clone(),
        headline: budget_headline(cx, s, b),
        balances_total: s.balances_total,
        funding: b
            .external_funding
            .iter()
            .map(|f| {
                let phased: Option<Decimal> =
                    (!f.phasing.is_empty()).then(|| f.phasing.iter().map(|p| p.amount).sum());
                FundingView {
                    phased,
                    matches: phased.is_none_or(|p| p == f.amount),
                }
            })
            .collect(),
        charts: budget_charts(s, b, anchor),
        findings: findings_for(cx.loaded, doc),
        downloads,
    }
}

// ---------------------------------------------------------------------------------------------
// Indicators.

#[derive(Serialize)]
struct IndicatorView {
    id: String,
    /// The status the data supports: a status key.
    status: IndicatorStatus,
    stated_status: Option<IndicatorStatus>,
    contradicts: bool,
    target: Option<Decimal>,
    baseline_year: bool,
    /// Against the previous year, polarity applied: `better`, `worse`, `same` or `none`.
    direction: &'static str,
    arrow: &'static str,
    direction_text: String,
}

#[derive(Serialize)]
struct StatusShare {
    key: String,
    label: String,
    count: usize,
    percent: Decimal,
}

#[derive(Serialize)]
struct IndicatorsView {
    /// One per `report.data.indicators`, in order.
    indicators: Vec<IndicatorView>,
    total: usize,
    /// Indicators by computed status, with their share of the total.
    by_status: Vec<StatusShare>,
    contradictions: usize,
    findings: Vec<FindingView>,
    downloads: Downloads,
}

fn value_with_unit(v: Decimal, unit: Unit) -> String {
    let v = v.normalize();
    match unit {
        Unit::Percent => format!("{v}%"),
        Unit::Days => format!("{v} days"),
        Unit::Number => v.to_string(),
    }
}

fn share_of(count: usize, total: usize) -> Decimal {
    if total == 0 {
        Decimal::ZERO
    } else {
        format::round_half_up(Decimal::from(count) * Decimal::ONE_HUNDRED / Decimal::from(total))
    }
}

fn indicators_view(
    cx: &Cx<'_>,
    doc: &Document,
    set: &IndicatorSet,
    s: &IndicatorSetSummary,
    url: &str,
) -> IndicatorsView {
    let mut t = Table::new(
        "indicators",
        format!("{}, {}", set.title, set.period),
        &[
            ("id", "Indicator ID"),
            ("code", "Code"),
            ("title", "Indicator"),
            ("section", "Section"),
            ("group", "Group"),
            ("responsible", "Responsible officer"),
            ("unit", "Unit"),
            ("better", "Better when"),
            ("previous_year", "Previous year"),
            ("previous", "Previous actual"),
            ("national_average", "National average"),
            ("target", "Target this year"),
            ("actual", "Actual"),
            ("status", "Status (computed)"),
            ("stated_status", "Status (as stated)"),
            ("contradicts", "Stated status contradicts the data"),
            ("direction", "Direction of travel"),
        ],
    );
    let mut views = Vec::new();
    for (i, x) in set.indicators.iter().zip(&s.indicators) {
        let prev = i.previous.as_ref();
        let (direction, arrow) = match x.direction {
            Trend::Up => ("better", "↑"),
            Trend::Down => ("worse", "↓"),
            Trend::Same => ("same", "→"),
            Trend::None => ("none", ""),
        };
        let prev_text = prev.and_then(|p| {
            p.value.map(|v| {
                let year = p.year.map(|y| format!(" in {y}")).unwrap_or_default();
                format!("{}{year}", value_with_unit(v, i.unit))
            })
        });
        let direction_text = match (x.direction, prev_text) {
            (Trend::Up, Some(p)) => format!("Better than {p}"),
            (Trend::Down, Some(p)) => format!("Worse than {p}"),
            (Trend::Same, Some(p)) => format!("Same as {p}"),
            _ => "No earlier figure to compare".to_string(),
        };
        t.push(vec![
            Cell::text(i.id.clone()),
            Cell::opt_text(i.code.clone()),
            Cell::text(i.title.clone()),
            Cell::opt_text(i.section.clone()),
            Cell::opt_text(i.group.clone()),
            Cell::opt_text(i.responsible.clone()),
            Cell::text(i.unit.label()),
            Cell::text(i.polarity.label()),
            Cell::opt_text(prev.and_then(|p| p.year).map(|y| y.to_string())),
            Cell::number(prev.and_then(|p| p.value)),
            Cell::number(i.national_average.as_ref().and_then(|n| n.value)),
            Cell::number(x.target),
            Cell::number(i.actual),
            Cell::text(x.status.label()),
            Cell::opt_text(x.stated_status.map(|s| s.label())),
            Cell::Bool(x.contradicts),
            Cell::text(direction),
        ]);
        views.push(IndicatorView {
            id: x.id.clone(),
            status: x.status,
            stated_status: x.stated_status,
            contradicts: x.contradicts,
            target: x.target,
            baseline_year: x.baseline_year,
            direction,
            arrow,
            direction_text,
        });
    }
    let total = views.len();
    let mut downloads = Downloads::new();
    downloads.insert("indicators", cx.download(&t, url));
    IndicatorsView {
        contradictions: views.iter().filter(|v| v.contradicts).count(),
        indicators: views,
        total,
        by_status: s
            .by_status
            .iter()
            .map(|c| StatusShare {
                key: c.key.clone(),
                label: c.label.clone(),
                count: c.count,
                percent: share_of(c.count, total),
            })
            .collect(),
        findings: findings_for(cx.loaded, doc),
        downloads,
    }
}

// ---------------------------------------------------------------------------------------------
// Action plans.

#[derive(Serialize)]
struct StatedView {
    total: i64,
    completed: Share,
    on_track: Share,
    behind: Share,
}

#[derive(Serialize)]
struct SectionView {
    section: String,
    total: usize,
    completed: Share,
    on_track: Share,
    behind: Share,
    unknown: Share,
    /// The summary as printed, with percentages worked out from its own counts.
    stated: Option<StatedView>,
    matches_stated: Option<bool>,
}

#[derive(Serialize)]
struct ActionsView {
    sections: Vec<SectionView>,
    /// Every section together, when there is more than one.
    all: Option<SectionView>,
    any_stated: bool,
    any_mismatch: bool,
    /// Priority ids with two primary workstreams and no joint remit.
    shared_primaries: Vec<String>,
    findings: Vec<FindingView>,
    downloads: Downloads,
}

fn share(count: usize, total: usize) -> Share {
    Share {
        count,
        percent: share_of(count, total),
    }
}

fn actions_view(
    cx: &Cx<'_>,
    doc: &Document,
    plan: &ActionPlan,
    s: &ActionPlanSummary,
    url: &str,
) -> ActionsView {
    let sections: Vec<SectionView> = s
        .sections
        .iter()
        .map(|x| SectionView {
            section: x.section.clone(),
            total: x.total,
            completed: x.completed,
            on_track: x.on_track,
            behind: x.behind,
            unknown: x.unknown,
            stated: x.stated.as_ref().map(|st| {
                let total = usize::try_from(st.total).unwrap_or(0);
                let c = |n: i64| share(usize::try_from(n).unwrap_or(0), total);
                StatedView {
                    total: st.total,
                    completed: c(st.completed),
                    on_track: c(st.on_track),
                    behind: c(st.behind),
                }
            }),
            matches_stated: x.matches_stated,
        })
        .collect();
    let all = (sections.len() > 1).then(|| {
        let total: usize = sections.iter().map(|x| x.total).sum();
        let sum = |f: fn(&SectionView) -> usize| sections.iter().map(f).sum::<usize>();
        SectionView {
            section: "All sections".into(),
            total,
            completed: share(sum(|x| x.completed.count), total),
            on_track: share(sum(|x| x.on_track.count), total),
            behind: share(sum(|x| x.behind.count), total),
            unknown: share(sum(|x| x.unknown.count), total),
            stated: None,
            matches_stated: None,
        }
    });
    let mut detail = Table::new(
        "actions",
        format!("{}, {}", plan.title, plan.period),
        &[
            ("section", "Section"),
            ("objective_id", "Objective ID"),
            ("objective", "Objective"),
            ("workstream", "Workstream"),
            ("action_id", "Action ID"),
            ("action", "Action"),
            ("responsibility", "Responsibility"),
            ("milestones", "Milestones"),
            ("next_due", "Earliest milestone due"),
            ("judgement", "Judgement of progress"),
        ],
    );
    for o in &plan.objectives {
        for w in &o.workstreams {
            for a in &w.actions {
                detail.push(vec![
                    Cell::opt_text(o.section.clone()),
                    Cell::text(o.id.clone()),
                    Cell::text(o.title.clone()),
                    Cell::text(w.title.clone()),
                    Cell::opt_text(a.id.clone()),
                    Cell::text(a.title.clone()),
                    Cell::opt_text(a.responsibility.clone()),
                    Cell::text(
                        a.milestones
                            .iter()
                            .map(|m| m.text.as_str())
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                    Cell::date(a.milestones.iter().filter_map(|m| m.due).min()),
                    Cell::text(a.judgement.label()),
                ]);
            }
        }
    }
    let mut summary = Table::new(
        "action-summary",
        format!("{}: judgement summary, {}", plan.title, plan.period),
        &[
            ("section", "Section"),
            ("total", "Number of actions"),
            ("completed", "Completed"),
            ("completed_percent", "Completed (%)"),
            ("on_track", "On track"),
            ("on_track_percent", "On track (%)"),
            ("behind", "Behind"),
            ("behind_percent", "Behind (%)"),
            ("unknown", "Unknown"),
            ("printed_total", "Number of actions (as printed)"),
            ("printed_completed", "Completed (as printed)"),
            ("printed_on_track", "On track (as printed)"),
            ("printed_behind", "Behind (as printed)"),
            ("matches_printed", "Matches the printed summary"),
        ],
    );
    for x in sections.iter().chain(all.iter()) {
        let st = x.stated.as_ref();
        summary.push(vec![
            Cell::text(x.section.clone()),
            Cell::count(x.total),
            Cell::count(x.completed.count),
            Cell::Number(x.completed.percent),
            Cell::count(x.on_track.count),
            Cell::Number(x.on_track.percent),
            Cell::count(x.behind.count),
            Cell::Number(x.behind.percent),
            Cell::count(x.unknown.count),
            st.map_or(Cell::Empty, |s| Cell::Count(s.total)),
            st.map_or(Cell::Empty, |s| Cell::count(s.completed.count)),
            st.map_or(Cell::Empty, |s| Cell::count(s.on_track.count)),
            st.map_or(Cell::Empty, |s| Cell::count(s.behind.count)),
            x.matches_stated.map_or(Cell::Empty, Cell::Bool),
        ]);
    }
    let mut downloads = Downloads::new();
    downloads.insert("summary", cx.download(&summary, url));
    downloads.insert("actions", cx.download(&detail, url));
    let mut matrix = Table::new(
        "responsibilities",
        format!("{}: responsibility for improvement priorities", plan.title),
        &[
            ("priority_id", "Priority ID"),
            ("priority", "Priority"),
            ("term", "Term"),
            ("primary", "Primary responsibility"),
            ("secondary", "Secondary responsibility"),
            ("joint_remit", "Joint remit declared"),
            (
                "shared_primary",
                "Two or more primaries without a joint remit",
            ),
        ],
    );
    let workstream = |id: &str| {
        plan.workstreams
            .iter()
            .find(|w| w.id == id)
            .map_or_else(|| id.to_string(), |w| w.title.clone())
    };
    for p in &plan.priorities {
        let names = |v: &[crate::content::reader::Located<String>]| {
            v.iter()
                .map(|w| workstream(&w.value))
                .collect::<Vec<_>>()
                .join("; ")
        };
        matrix.push(vec![
            Cell::text(p.id.clone()),
            Cell::text(p.title.clone()),
            Cell::opt_text(p.term.map(|t| t.label())),
            Cell::text(names(&p.primary)),
            Cell::text(names(&p.secondary)),
            Cell::Bool(p.joint_remit),
            Cell::Bool(s.shared_primaries.contains(&p.id)),
        ]);
    }
    downloads.insert("responsibilities", cx.download(&matrix, url));
    ActionsView {
        any_stated: sections.iter().any(|x| x.stated.is_some()),
        any_mismatch: sections.iter().any(|x| x.matches_stated == Some(false)),
        sections,
        all,
        shared_primaries: s.shared_primaries.clone(),
        findings: findings_for(cx.loaded, doc),
        downloads,
    }
}

// ---------------------------------------------------------------------------------------------
// Periods, programmes, home and exceptions.

#[derive(Serialize)]
struct RankView {
    rank: usize,
    programme: String,
    title: String,
    url: Option<String>,
    report_url: Option<String>,
    computed: Option<Decimal>,
    stated: Option<Decimal>,
    differs: bool,
}

#[derive(Serialize)]
struct PeriodLink {
    label: String,
    url: String,
}

#[derive(Serialize)]
struct ProgrammeChanges {
    title: String,
    url: Option<String>,
    report_url: Option<String>,
    changes: Option<ChangesView>,
}

#[derive(Serialize)]
struct PeriodView {
    label: String,
    slug: String,
    url: String,
    /// The period before this one that has reports, if any.
    previous: Option<PeriodLink>,
    /// Activity judgements across the period's highlight reports (Wigan table 1 form).
    activities: ActivityTotals,
    ranking: Vec<RankView>,
    programmes: Vec<ProgrammeCard>,
    exceptions: Vec<ExceptionView>,
    exception_counts: Vec<KindCount>,
    /// One per programme reported in the period, with its changes since its last report.
    changes: Vec<ProgrammeChanges>,
    budget: Option<BudgetHeadline>,
    progress_chart: Option<Chart>,
    downloads: Downloads,
}

fn period_view(cx: &Cx<'_>, ps: &PeriodSummary, url: &str) -> PeriodView {
    let agg = cx.agg;
    let programmes: Vec<&ProgrammeSummary> =
        ps.programmes.iter().map(|i| &agg.programmes[*i]).collect();
    let cards: Vec<ProgrammeCard> = programmes.iter().map(|p| programme_card(cx, p)).collect();
    let ranking: Vec<RankView> = ps
        .ranking
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let link = cx.programme_link(&r.programme);
            RankView {
                rank: i + 1,
                programme: r.programme.clone(),
                title: r.title.clone(),
                url: link.map(|l| l.1.to_string()),
                report_url: cx
                    .highlight_url(&r.programme, ps.period)
                    .map(str::to_string),
                computed: r.progress,
                stated: r.stated,
                differs: matches!((r.progress, r.stated), (Some(a), Some(b)) if a != b),
            }
        })
        .collect();
    let exceptions: Vec<ExceptionView> = ps
        .exceptions
        .iter()
        .map(|e| exception_view(cx, e))
        .collect();
    let changes: Vec<ProgrammeChanges> = programmes
        .iter()
        .map(|p| {
            let link = cx.programme_link(&p.programme);
            ProgrammeChanges {
                title: p.title.clone(),
                url: link.map(|l| l.1.to_string()),
                report_url: cx.report_url(p.doc).map(str::to_string),
                changes: p
                    .changes
                    .as_ref()
                    .map(|c| changes_view(cx, &p.programme, c)),
            }
        })
        .collect();
    let budget =
        ps.budgets
            .last()
            .map(|i| &agg.budgets[*i])
            .and_then(|s| match &cx.docs[s.doc].data {
                Data::Budget(b) => Some(budget_headline(cx, s, b)),
                _ => None,
            });
    let previous = agg
        .periods
        .iter()
        .rfind(|p| p.period < ps.period)
        .and_then(|p| {
            cx.period_url(p.period).map(|u| PeriodLink {
                label: p.period.to_string(),
                url: u.to_string(),
            })
        });
    let progress_chart = (!programmes.is_empty()).then(|| {
        chart::progress_bars(
            &format!("period-{}-progress", ps.slug),
            &format!("Programme progress, {}", ps.period),
            &programmes
                .iter()
                .map(|p| chart::ProgressRow {
                    label: p.title.clone(),
                    computed: p.computed,
                    stated: p.stated,
                })
                .collect::<Vec<_>>(),
        )
    });

    // Downloads: the programme summaries, the activity totals and the exceptions.
    let mut t = Table::new(
        "programmes",
        format!("Programme summaries, {}", ps.period),
        &[
            ("programme_id", "Programme ID"),
            ("programme", "Programme"),
            ("period", "Period"),
            ("rank", "Rank by progress"),
            ("computed_progress", "Progress (computed)"),
            ("mean", "Mean of objectives"),
            ("stated_progress", "Progress (as stated)"),
            ("differs", "Stated differs from computed"),
            ("activities", "Activities"),
            ("complete", "Complete"),
            ("in_progress", "In progress"),
            ("not_started", "Not started"),
            ("delayed", "Delayed"),
            ("on_hold", "On hold"),
            ("cancelled", "Cancelled"),
            ("overdue", "Overdue"),
            ("due_next_period", "Due next period"),
            ("unexplained", "Unexplained"),
            ("progress_change", "Change since previous report (points)"),
            ("previous_period", "Previous report"),
        ],
    );
    for p in &programmes {
        let count = |s: ActivityStatus| {
            p.by_status
                .iter()
                .find(|c| c.key == s.key())
                .map_or(0, |c| c.count)
        };
        t.push(vec![
            Cell::text(p.programme.clone()),
            Cell::text(p.title.clone()),
            Cell::text(p.period.to_string()),
            ranking
                .iter()
                .find(|r| r.programme == p.programme)
                .map_or(Cell::Empty, |r| Cell::count(r.rank)),
            Cell::number(p.computed),
            Cell::number(p.mean),
            Cell::number(p.stated),
            Cell::Bool(p.differs),
            Cell::count(p.activity_count),
            Cell::count(count(ActivityStatus::Complete)),
            Cell::count(count(ActivityStatus::InProgress)),
            Cell::count(count(ActivityStatus::NotStarted)),
            Cell::count(count(ActivityStatus::Delayed)),
            Cell::count(count(ActivityStatus::OnHold)),
            Cell::count(count(ActivityStatus::Cancelled)),
            Cell::count(p.overdue.len()),
            Cell::count(p.due_next.len()),
            Cell::count(p.unexplained.len()),
            Cell::number(p.changes.as_ref().and_then(|c| c.progress_delta)),
            Cell::opt_text(
                p.changes
                    .as_ref()
                    .and_then(|c| c.previous_period)
                    .map(|x| x.to_string()),
            ),
        ]);
    }
    let mut a = Table::new(
        "activity-summary",
        format!("Activity summary, {}", ps.period),
        &[
            ("period", "Period"),
            ("total", "Number of activities"),
            ("completed", "Completed"),
            ("completed_percent", "Completed (%)"),
            ("on_track", "On track"),
            ("on_track_percent", "On track (%)"),
            ("behind", "Behind"),
            ("behind_percent", "Behind (%)"),
        ],
    );
    let at = &ps.activities;
    a.push(vec![
        Cell::text(ps.period.to_string()),
        Cell::count(at.total),
        Cell::count(at.completed.count),
        Cell::Number(at.completed.percent),
        Cell::count(at.on_track.count),
        Cell::Number(at.on_track.percent),
        Cell::count(at.behind.count),
        Cell::Number(at.behind.percent),
    ]);
    let e = exceptions_table(&exceptions, &ps.period.to_string());
    let mut downloads = Downloads::new();
    if !programmes.is_empty() {
        downloads.insert("programmes", cx.download(&t, url));
        downloads.insert("activities", cx.download(&a, url));
    }
    downloads.insert("exceptions", cx.download(&e, url));
    PeriodView {
        label: ps.period.to_string(),
        slug: ps.slug.clone(),
        url: url.to_string(),
        previous,
        activities: ps.activities.clone(),
        ranking,
        programmes: cards,
        exception_counts: exception_counts(&ps.exceptions),
        exceptions,
        changes,
        budget,
        progress_chart,
        downloads,
    }
}

#[derive(Serialize)]
struct ReportPoint {
    period: String,
    url: Option<String>,
    title: String,
    lead: String,
    computed: Option<Decimal>,
    stated: Option<Decimal>,
    mean: Option<Decimal>,
    differs: bool,
    activity_count: usize,
    delayed: usize,
    overdue: usize,
    trend: TrendView,
}

#[derive(Serialize)]
struct HistoryCell {
    stated: Option<Decimal>,
    computed: Option<Decimal>,
    differs: bool,
}

#[derive(Serialize)]
struct HistoryRow {
    id: String,
    title: String,
    /// One per period in `history.periods`; none where the objective was not reported.
    cells: Vec<Option<HistoryCell>>,
}

#[derive(Serialize)]
struct History {
    periods: Vec<String>,
    rows: Vec<HistoryRow>,
}

#[derive(Serialize)]
struct ProgrammePageView {
    /// Every report of the programme, oldest first.
    reports: Vec<ReportPoint>,
    /// The newest report, as a dashboard card.
    latest: Option<ProgrammeCard>,
    trend_chart: Option<Chart>,
    history: History,
    downloads: Downloads,
}

fn programme_view(cx: &Cx<'_>, id: &str, title: &str, url: &str) -> ProgrammePageView {
    let agg = cx.agg;
    let list: Vec<&ProgrammeSummary> = agg
        .programmes
        .iter()
        .filter(|p| p.programme == id)
        .collect();
    let reports: Vec<ReportPoint> = list
        .iter()
        .map(|p| {
            let (lead, rtitle) = match &cx.docs[p.doc].data {
                Data::Highlight(h) => (h.lead.clone(), h.title.clone()),
                _ => (String::new(), p.title.clone()),
            };
            ReportPoint {
                period: p.period.to_string(),
                url: cx.report_url(p.doc).map(str::to_string),
                title: rtitle,
                lead,
                computed: p.computed,
                stated: p.stated,
                mean: p.mean.map(display_mean),
                differs: p.differs,
                activity_count: p.activity_count,
                delayed: p.delayed.len(),
                overdue: p.overdue.len(),
                trend: programme_trends(cx, p).0,
            }
        })
        .collect();
    // Objectives in the newest report's order, then any dropped earlier, newest first.
    let mut ids: Vec<(String, String)> = Vec::new();
    for p in list.iter().rev() {
        for o in &p.objectives {
            if !ids.iter().any(|(i, _)| *i == o.id) {
                ids.push((o.id.clone(), o.title.clone()));
            }
        }
    }
    let history = History {
        periods: list.iter().map(|p| p.period.to_string()).collect(),
        rows: ids
            .into_iter()
            .map(|(oid, otitle)| HistoryRow {
                cells: list
                    .iter()
                    .map(|p| {
                        p.objectives
                            .iter()
                            .find(|o| o.id == oid)
                            .map(|o| HistoryCell {
                                stated: o.stated,
                                computed: o.computed,
                                differs: o.differs,
                            })
                    })
                    .collect(),
                id: oid,
                title: otitle,
            })
            .collect(),
    };
    let trend_chart = (!list.is_empty()).then(|| {
        chart::trend(
            &format!("programme-{id}-trend"),
            &format!("{title}: progress by period"),
            &list
                .iter()
                .map(|p| chart::TrendPoint {
                    label: p.period.to_string(),
                    computed: p.computed,
                    stated: p.stated,
                })
                .collect::<Vec<_>>(),
        )
    });
    let mut t = Table::new(
        "progress",
        format!("{title}: progress by period"),
        &[
            ("period", "Period"),
            ("computed_progress", "Progress (computed)"),
            ("mean", "Mean of objectives"),
            ("stated_progress", "Progress (as stated)"),
            ("differs", "Stated differs from computed"),
            ("activities", "Activities"),
            ("delayed", "Delayed"),
            ("overdue", "Overdue"),
        ],
    );
    for p in &list {
        t.push(vec![
            Cell::text(p.period.to_string()),
            Cell::number(p.computed),
            Cell::number(p.mean),
            Cell::number(p.stated),
            Cell::Bool(p.differs),
            Cell::count(p.activity_count),
            Cell::count(p.delayed.len()),
            Cell::count(p.overdue.len()),
        ]);
    }
    let mut downloads = Downloads::new();
    if !list.is_empty() {
        downloads.insert("progress", cx.download(&t, url));
    }
    ProgrammePageView {
        latest: list.last().map(|p| programme_card(cx, p)),
        reports,
        trend_chart,
        history,
        downloads,
    }
}

#[derive(Serialize)]
struct HomeView {
    /// The latest period with reports, as on its board pack.
    latest: Option<Value>,
    /// The newest budget report's headline position.
    budget: Option<BudgetHeadline>,
}

#[derive(Serialize)]
struct PeriodExceptions {
    label: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct ExceptionsView {
    latest: Option<Value>,
    /// Every period, newest first, with how many exceptions its board pack lists.
    periods: Vec<PeriodExceptions>,
}

// ---------------------------------------------------------------------------------------------

/// A report's summary: from the aggregates, or worked out here for a report that `check` found
/// errors in (only `serve` renders those).
fn owned_or<'a, T: Clone>(found: Option<&'a T>, make: impl FnOnce() -> T) -> Cow<'a, T> {
    match found {
        Some(x) => Cow::Borrowed(x),
        None => Cow::Owned(make()),
    }
}

/// Which summaries to lay out, by index into the plan's reports, periods and programmes. A
/// rebuild in watch mode lays out only those of the pages it re-renders; the others are left
/// `None`, with no downloads, and their pages and downloads are kept from the last build.
#[derive(Debug, Clone)]
pub struct Needed {
    pub reports: Vec<bool>,
    pub periods: Vec<bool>,
    pub programmes: Vec<bool>,
}

impl Needed {
    /// Everything: a full build.
    pub fn all(plan: &Plan) -> Self {
        Self::every(plan, true)
    }

    /// Nothing yet; see [`Needed::page`].
    pub fn none(plan: &Plan) -> Self {
        Self::every(plan, false)
    }

    fn every(plan: &Plan, yes: bool) -> Self {
        Needed {
            reports: vec![yes; plan.reports.len()],
            periods: vec![yes; plan.periods.len()],
            programmes: vec![yes; plan.programmes.len()],
        }
    }

    /// Add what one page shows.
    pub fn page(&mut self, plan: &Plan, kind: &PageKind) {
        let reports: &[usize] = match kind {
            PageKind::Report(r) => std::slice::from_ref(r),
            PageKind::Period(i) => {
                self.periods[*i] = true;
                &plan.periods[*i].reports
            }
            PageKind::Programme(i) => {
                self.programmes[*i] = true;
                &plan.programmes[*i].reports
            }
            // The home and exceptions pages show the latest period's summary: the first
            // planned.
            PageKind::Home | PageKind::Exceptions => {
                if let Some(p) = self.periods.first_mut() {
                    *p = true;
                }
                &[]
            }
            _ => &[],
        };
        for &r in reports {
            self.reports[r] = true;
        }
    }
}

impl Summaries {
    /// No summary laid out: every page that shows one must wait for [`Summaries::build`].
    pub fn empty(plan: &Plan) -> Self {
        Summaries {
            reports: vec![None; plan.reports.len()],
            periods: vec![None; plan.periods.len()],
            programmes: vec![None; plan.programmes.len()],
            ..Summaries::default()
        }
    }

    /// Lay out the summaries `needed` picks; see [`Needed`].
    pub fn build(loaded: &Loaded, plan: &Plan, needed: &Needed) -> Self {
        let docs = &loaded.content.documents;
        let cx = Cx {
            loaded,
            plan,
            docs,
            agg: &loaded.aggregates,
            report_of_doc: plan
                .reports
                .iter()
                .enumerate()
                .map(|(i, r)| (r.doc, i))
                .collect(),
            programme_index: plan
                .programmes
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id.as_str(), i))
                .collect(),
            programme_summaries: loaded
                .aggregates
                .programmes
                .iter()
                .rev() // so that the first of two reports for one period wins, as `find` did
                .map(|p| ((p.programme.as_str(), p.period), p))
                .collect(),
            files: std::sync::Mutex::new(Vec::new()),
        };
        let config = &loaded.config;
        let agg = &loaded.aggregates;
        let reports: Vec<Option<Value>> = plan
            .reports
            .par_iter()
            .enumerate()
            .map(|(i, r)| {
                if !needed.reports[i] {
                    return None;
                }
                let doc = &docs[r.doc];
                let mut scratch = Vec::new();
                Some(match &doc.data {
                    Data::Highlight(h) => {
                        let s = owned_or(agg.programme_for(r.doc), || {
                            aggregate::programme::summarise(config, r.doc, doc, h, &mut scratch)
                        });
                        Value::from_serializable(&highlight_view(&cx, doc, h, &s, &r.url))
                    }
                    Data::Budget(b) => {
                        let s = owned_or(agg.budget_for(r.doc), || {
                            aggregate::budget::summarise(config, r.doc, doc, b, &mut scratch)
                        });
                        Value::from_serializable(&budget_view(&cx, doc, b, &s, &r.url, &r.anchor))
                    }
                    Data::Indicators(set) => {
                        let s = owned_or(agg.indicators_for(r.doc), || {
                            aggregate::indicators::summarise(r.doc, doc, set, &mut scratch)
                        });
                        Value::from_serializable(&indicators_view(&cx, doc, set, &s, &r.url))
                    }
                    Data::Actions(a) => {
                        let s = owned_or(agg.actions_for(r.doc), || {
                            aggregate::actions::summarise(r.doc, doc, a, &mut scratch)
                        });
                        Value::from_serializable(&actions_view(&cx, doc, a, &s, &r.url))
                    }
                    Data::Page(_) => return None,
                })
            })
            .collect();
        let counts: Vec<PeriodExceptions> = plan
            .periods
            .iter()
            .map(|p| PeriodExceptions {
                label: p.period.to_string(),
                url: format!("{}#exceptions", p.url),
                count: agg
                    .periods
                    .iter()
                    .find(|s| s.period == p.period)
                    .map_or(0, |s| s.exceptions.len()),
            })
            .collect();
        let periods: Vec<Option<Value>> = plan
            .periods
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                if !needed.periods[i] {
                    return None;
                }
                let found = agg.periods.iter().find(|s| s.period == p.period)?;
                Some(Value::from_serializable(&period_view(&cx, found, &p.url)))
            })
            .collect();
        let programmes = plan
            .programmes
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                needed.programmes[i].then(|| {
                    Value::from_serializable(&programme_view(&cx, &p.id, &p.title, &p.url))
                })
            })
            .collect();
        // The latest period is the first planned one (newest first).
        let latest = periods.first().cloned().flatten();
        let newest_budget = agg
            .budgets
            .iter()
            .enumerate()
            .max_by_key(|(i, b)| (b.period, *i))
            .map(|(_, b)| b);
        let budget = newest_budget.and_then(|s| match &docs[s.doc].data {
            Data::Budget(b) => Some(budget_headline(&cx, s, b)),
            _ => None,
        });
        let home = Value::from_serializable(&HomeView {
            latest: latest.clone(),
            budget,
        });
        let exceptions = Value::from_serializable(&ExceptionsView {
            latest,
            periods: counts,
        });
        let mut files = cx.files.into_inner().unwrap_or_else(|e| e.into_inner());
        // By path and then bytes, so that the order the threads finished in cannot matter.
        files.sort();
        files.dedup_by(|a, b| a.0 == b.0);
        Summaries {
            reports,
            periods,
            programmes,
            home: Some(home),
            exceptions: Some(exceptions),
            files,
        }
    }
}
