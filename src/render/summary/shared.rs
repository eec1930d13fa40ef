//! Pieces that several page kinds' summaries share: findings, trends, programme cards,
//! changes since the last period and exceptions.

use std::sync::Arc;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use super::Lookups;
use super::highlight::display_mean;
use crate::aggregate::programme::{ActivityMention, Changes, Rescore};
use crate::aggregate::{Count, Exception, ProgrammeSummary, Trend, format};
use crate::content::{Data, Document};
use crate::diagnostic::Problem;
use crate::plan::Loaded;
use crate::read::period::Period;
use crate::read::words::ActivityStatus;
use crate::render::download::{Cell, Sheet};

/// A data-quality finding on a report's page.
#[derive(Serialize)]
pub(super) struct FindingView {
    pub(super) code: &'static str,
    /// The kind of finding in words: `Progress differs`.
    pub(super) label: &'static str,
    pub(super) message: String,
    /// `content/2009-10-q2/improving-capacity.md:3:13`.
    pub(super) location: String,
    pub(super) line: usize,
    pub(super) column: usize,
}

pub(super) fn findings_for(loaded: &Loaded, doc: &Document) -> Vec<FindingView> {
    // The public see a finding as a statement about the paper, never where its source is.
    let authors = crate::render::context::author_view(loaded);
    loaded
        .aggregates
        .findings
        .iter()
        .filter(|f| f.file.as_ref().is_some_and(|x| Arc::ptr_eq(x, &doc.file)))
        .map(|f| {
            let (line, column) = f.line_col().unwrap_or((0, 0));
            FindingView {
                code: f.problem.code(),
                // Other problems among the findings (an overflow) are shown only by `serve`.
                label: match &f.problem {
                    Problem::Finding { kind, .. } => kind.label(),
                    _ => "Finding",
                },
                message: f.problem.to_string(),
                location: if authors { f.location() } else { String::new() },
                line,
                column,
            }
        })
        .collect()
}

/// A trend arrow and the words that say the same thing.
#[derive(Serialize)]
pub(super) struct TrendView {
    /// `up`, `down`, `same` or `none`.
    pub(super) direction: &'static str,
    /// `↑`, `↓`, `→`, or empty: decoration beside `text`.
    pub(super) arrow: &'static str,
    /// `up from 48% in 2009/10 Q1`, `no earlier report`.
    pub(super) text: String,
}

pub(super) fn trend_view(
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

pub(super) fn programme_trends(cx: &Lookups<'_>, p: &ProgrammeSummary) -> (TrendView, TrendView) {
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

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `11 activities: 9 in progress, 2 delayed`.
pub(super) fn status_text(total: usize, counts: &[Count]) -> String {
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
pub(super) struct ProgrammeCard {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) url: Option<String>,
    pub(super) report_url: Option<String>,
    pub(super) period: String,
    pub(super) computed: Option<Decimal>,
    pub(super) stated: Option<Decimal>,
    pub(super) differs: bool,
    pub(super) mean: Option<Decimal>,
    pub(super) activity_count: usize,
    /// Statuses with at least one activity.
    pub(super) statuses: Vec<Count>,
    pub(super) status_text: String,
    pub(super) delayed: usize,
    pub(super) overdue: usize,
    pub(super) due_next: usize,
    pub(super) unexplained: usize,
    pub(super) trend: TrendView,
    pub(super) trend_year: TrendView,
}

pub(super) fn programme_card(cx: &Lookups<'_>, p: &ProgrammeSummary) -> ProgrammeCard {
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
pub(super) struct StatusChangeView {
    pub(super) objective: String,
    pub(super) title: String,
    pub(super) from: ActivityStatus,
    pub(super) to: ActivityStatus,
}

#[derive(Serialize)]
pub(super) struct SlipView {
    pub(super) objective: String,
    pub(super) title: String,
    pub(super) from: Date,
    pub(super) to: Date,
    pub(super) days: i32,
}

#[derive(Serialize)]
pub(super) struct ProgressChangeView {
    pub(super) objective: String,
    pub(super) title: String,
    pub(super) from: Decimal,
    pub(super) to: Decimal,
    /// Whether progress went up (else down).
    pub(super) rose: bool,
}

/// What changed in a programme since its previous report.
#[derive(Serialize)]
pub(super) struct ChangesView {
    pub(super) previous_period: Option<String>,
    pub(super) previous_url: Option<String>,
    pub(super) progress_delta: Option<Decimal>,
    /// `up 10 percentage points`, `no change`.
    pub(super) delta_text: Option<String>,
    pub(super) status_changes: Vec<StatusChangeView>,
    pub(super) progress_changes: Vec<ProgressChangeView>,
    pub(super) slipped: Vec<SlipView>,
    pub(super) activities_added: Vec<ActivityMention>,
    pub(super) activities_removed: Vec<ActivityMention>,
    pub(super) new_risks: Vec<String>,
    pub(super) closed_risks: Vec<String>,
    pub(super) rescored_risks: Vec<Rescore>,
    pub(super) new_issues: Vec<String>,
    pub(super) closed_issues: Vec<String>,
    pub(super) rescored_issues: Vec<Rescore>,
    pub(super) objectives_added: Vec<String>,
    pub(super) objectives_removed: Vec<String>,
    /// Nothing changed.
    pub(super) empty: bool,
}

pub(super) fn changes_view(cx: &Lookups<'_>, programme: &str, c: &Changes) -> ChangesView {
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
        progress_changes: (c.progress_changes.iter())
            .map(|x| ProgressChangeView {
                objective: x.objective.clone(),
                title: x.title.clone(),
                from: x.from,
                to: x.to,
                rose: x.to > x.from,
            })
            .collect(),
        activities_added: c.activities_added.clone(),
        activities_removed: c.activities_removed.clone(),
        new_risks: c.new_risks.clone(),
        closed_risks: c.closed_risks.clone(),
        rescored_risks: c.rescored_risks.clone(),
        new_issues: c.new_issues.clone(),
        closed_issues: c.closed_issues.clone(),
        rescored_issues: c.rescored_issues.clone(),
        objectives_added: c.objectives_added.clone(),
        objectives_removed: c.objectives_removed.clone(),
        empty: c.is_empty(),
    }
}

/// One item on an exceptions list, with a link to where it is reported.
#[derive(Serialize)]
pub(super) struct ExceptionView {
    pub(super) kind: &'static str,
    pub(super) label: &'static str,
    pub(super) programme: Option<String>,
    pub(super) programme_url: Option<String>,
    pub(super) objective: Option<String>,
    /// `objective 3`: the objective's number in its report.
    pub(super) objective_label: Option<String>,
    pub(super) title: String,
    pub(super) detail: String,
    /// Why, in the paper's words, where it says.
    pub(super) reason: Option<String>,
    /// The report it comes from, at the item where possible.
    pub(super) url: Option<String>,
    pub(super) source: String,
}

pub(super) fn exception_view(cx: &Lookups<'_>, e: &Exception) -> ExceptionView {
    let anchor = cx.report_anchor(e.doc);
    let item = match (anchor, &e.objective, &e.item, e.kind) {
        (Some(a), Some(o), _, _) => Some(format!("{a}-{o}")),
        (Some(a), None, Some(i), k) if k.is_budget_line() => Some(format!("{a}-line-{i}")),
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
        kind: e.kind.key(),
        label: e.kind.label(),
        programme: link
            .map(|l| l.0.to_string())
            .or_else(|| e.programme.clone()),
        programme_url: link.map(|l| l.1.to_string()),
        objective: e.objective.clone(),
        title: e.title.clone(),
        detail: e.detail.clone(),
        reason: e.reason.clone(),
        url,
        source: cx
            .docs
            .get(e.doc)
            .map_or(String::new(), |d| d.title().to_string()),
    }
}

#[derive(Serialize)]
pub(super) struct KindCount {
    pub(super) kind: &'static str,
    pub(super) label: &'static str,
    pub(super) count: usize,
}

pub(super) fn exception_counts(list: &[Exception]) -> Vec<KindCount> {
    let mut out: Vec<KindCount> = Vec::new();
    for e in list {
        match out.iter_mut().find(|k| k.kind == e.kind.key()) {
            Some(k) => k.count += 1,
            None => out.push(KindCount {
                kind: e.kind.key(),
                label: e.kind.label(),
                count: 1,
            }),
        }
    }
    out
}

pub(super) fn exceptions_table(list: &[ExceptionView], period: &str) -> Sheet {
    let mut t = Sheet::new(
        "exceptions",
        format!("Exceptions, {period}"),
        &[
            ("kind", "Kind"),
            ("label", "Exception"),
            ("programme", "Programme"),
            ("objective", "Objective"),
            ("title", "Item"),
            ("detail", "Detail"),
            ("reason", "Reason"),
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
            Cell::opt_text(e.reason.clone()),
            Cell::text(e.source.clone()),
        ]);
    }
    t
}
