//! A highlight report's summary: objectives, activities and the programme's progress.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use super::shared::{
    ChangesView, FindingView, TrendView, changes_view, findings_for, programme_trends, status_text,
};
use super::{Downloads, Lookups};
use crate::aggregate::programme::ActivityRef;
use crate::aggregate::{self, Count, ProgrammeSummary};
use crate::content::{Document, Highlight};
use crate::read::words::ActivityStatus;
use crate::render::download::{Cell, Sheet};

#[derive(Serialize)]
pub(super) struct ObjectiveView {
    pub(super) id: String,
    pub(super) number: usize,
    pub(super) title: String,
    pub(super) stated: Option<Decimal>,
    pub(super) computed: Option<Decimal>,
    pub(super) mean: Option<Decimal>,
    pub(super) differs: bool,
    pub(super) activity_count: usize,
    /// One per activity: the deliverable of its year's plan that it tracks, if any.
    pub(super) deliverables: Vec<Option<super::plan::DeliverableLink>>,
}

#[derive(Serialize)]
pub(super) struct ActivityView {
    pub(super) objective: String,
    pub(super) objective_number: usize,
    pub(super) title: String,
    pub(super) kind: crate::read::words::ActivityKind,
    pub(super) due: Date,
    pub(super) status: ActivityStatus,
    pub(super) progress: Decimal,
}

#[derive(Serialize)]
pub(super) struct HighlightView {
    pub(super) stated: Option<Decimal>,
    pub(super) computed: Option<Decimal>,
    pub(super) mean: Option<Decimal>,
    pub(super) differs: bool,
    /// The roll-up rule in words: `floor mean`.
    pub(super) rule: &'static str,
    /// One per objective, in the order of `report.data.objectives`.
    pub(super) objectives: Vec<ObjectiveView>,
    pub(super) activity_count: usize,
    pub(super) statuses: Vec<Count>,
    pub(super) status_text: String,
    pub(super) delayed: Vec<ActivityView>,
    pub(super) overdue: Vec<ActivityView>,
    pub(super) due_next: Vec<ActivityView>,
    pub(super) next_period: String,
    pub(super) unexplained: Vec<aggregate::programme::Unexplained>,
    pub(super) changes: Option<ChangesView>,
    pub(super) trend: TrendView,
    pub(super) trend_year: TrendView,
    pub(super) findings: Vec<FindingView>,
    pub(super) downloads: Downloads,
}

/// A mean for display: at most two decimal places.
pub(super) fn display_mean(m: Decimal) -> Decimal {
    m.round_dp(2).normalize()
}

pub(super) fn activity_views(h: &Highlight, list: &[ActivityRef]) -> Vec<ActivityView> {
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

pub(super) fn highlight_view(
    cx: &Lookups<'_>,
    doc: &Document,
    h: &Highlight,
    s: &ProgrammeSummary,
    url: &str,
) -> HighlightView {
    let (trend, trend_year) = programme_trends(cx, s);
    let mut t = Sheet::new(
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
                deliverables: h.objectives.get(i).map_or_else(Vec::new, |src| {
                    (src.activities.iter())
                        .map(|a| super::plan::deliverable_link(cx, h.period, src, a))
                        .collect()
                }),
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
