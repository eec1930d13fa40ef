//! A plan's summary for its page: every deliverable with its plan date, its budget, its
//! detailed activities, its latest status and its history across the year's periods; and the
//! slice of it a programme page shows, its own deliverables against the plan.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use super::pages::PeriodLink;
use super::shared::{FindingView, findings_for, plural};
use super::{Downloads, Lookups};
use crate::aggregate::Count;
use crate::aggregate::plan::{DeliverableSummary, PlanSummary, Tracked};
use crate::content::plan::{Deliverable, OperationalPlan, PlanDate};
use crate::content::{Data, Document};
use crate::read::period::Period;
use crate::read::words::{ActivityKind, ActivityStatus};
use crate::render::download::{Cell, Sheet};

/// A plan date for templates: the words, and the day it is due by, for `<time>`.
#[derive(Serialize)]
pub(super) struct DateView {
    /// `September 2009`, `30/09/2009` or `Ongoing`.
    text: String,
    /// `2009-09-30`: the last day it covers; none when ongoing.
    date: Option<Date>,
    /// Whether it falls outside the plan's year (a warning in `check`).
    outside_year: bool,
}

fn date_view(d: PlanDate, year: crate::read::period::Bounds) -> DateView {
    DateView {
        text: d.text(),
        date: d.last_day(),
        outside_year: !d.within(year),
    }
}

#[derive(Serialize)]
pub(super) struct MilestoneView {
    title: String,
    due: DateView,
}

#[derive(Serialize)]
pub(super) struct PlanActivityView {
    title: String,
    start: Option<DateView>,
    due: Option<DateView>,
    as_printed: Option<String>,
    cross_team: Option<String>,
    milestones: Vec<MilestoneView>,
}

#[derive(Serialize)]
pub(super) struct BudgetLineView {
    id: String,
    title: String,
    approved: Decimal,
    /// The line on its budget's page.
    url: Option<String>,
    /// The budget it is taken from.
    budget: String,
}

#[derive(Serialize)]
pub(super) struct LinkView {
    id: String,
    title: String,
    url: Option<String>,
}

/// A report activity that tracks a deliverable, linked to its objective on the report's page.
#[derive(Serialize)]
pub(super) struct TrackerView {
    title: String,
    programme: String,
    objective: String,
    /// `objective 3`, as the report numbers it.
    objective_label: String,
    url: Option<String>,
    kind: ActivityKind,
    due: Date,
    status: ActivityStatus,
    progress: Decimal,
}

/// A deliverable in one period.
#[derive(Serialize)]
pub(super) struct CellView {
    period: String,
    /// The period's board pack.
    period_url: Option<String>,
    status: ActivityStatus,
    progress: Option<Decimal>,
    /// The latest due date the reports give it.
    due: Date,
    days_from_plan: Option<i32>,
    /// `90 days later than the plan`, `as planned`; none without a plan date.
    against_plan: Option<String>,
    past_plan_date: bool,
    activities: Vec<TrackerView>,
}

#[derive(Serialize)]
pub(super) struct DeliverableView {
    id: String,
    /// Its section on the plan page: `deliverable-20b`.
    anchor: String,
    /// Its section's URL.
    url: String,
    title: String,
    description: Option<String>,
    programme: LinkView,
    owner: Option<String>,
    /// The outcomes whose objectives it serves, by id.
    outcomes: Vec<String>,
    plan_due: Option<DateView>,
    /// Whether the plan date is the latest of its activities' (it gives none of its own).
    due_from_activities: bool,
    budget_lines: Vec<BudgetLineView>,
    budget: Option<Decimal>,
    activities: Vec<PlanActivityView>,
    /// One per `summary.periods`; none where no activity tracked it.
    history: Vec<Option<CellView>>,
    /// One per `summary.periods`: whether its programme reported then.
    programme_reported: Vec<bool>,
    /// The newest period that tracked it.
    latest: Option<CellView>,
    /// Whether its programme reported in the newest period without tracking it.
    untracked_latest: bool,
}

#[derive(Serialize)]
pub(super) struct ObjectiveView {
    title: String,
    deliverables: Vec<LinkView>,
}

#[derive(Serialize)]
pub(super) struct OutcomeView {
    id: String,
    title: String,
    objectives: Vec<ObjectiveView>,
}

#[derive(Serialize)]
pub(super) struct ProgrammeGroup {
    id: String,
    title: String,
    url: Option<String>,
    /// Indices into `summary.deliverables`.
    deliverables: Vec<usize>,
}

#[derive(Serialize)]
pub(super) struct PlanView {
    /// The plan's year: `2009/10`.
    period: String,
    /// The year's budget page (its annual budget, else its newest), if there is one.
    budget: Option<LinkView>,
    /// The periods of the year with highlight reports, oldest first: the history's columns.
    periods: Vec<PeriodLink>,
    /// The newest of them.
    latest_period: Option<String>,
    /// By latest status, non-zero only, then those not reported on in the newest period.
    statuses: Vec<Count>,
    /// `28 deliverables: 20 in progress, 3 delayed; 1 not reported on in 2009/10 Q2; 4 of
    /// programmes with no report`: the counts add up to the total.
    status_text: String,
    outcomes: Vec<OutcomeView>,
    /// The programmes with deliverables, in agenda order.
    programmes: Vec<ProgrammeGroup>,
    deliverables: Vec<DeliverableView>,
    findings: Vec<FindingView>,
    downloads: Downloads,
}

/// `90 days later than the plan`.
fn against_plan(days: i32) -> String {
    let n = days.unsigned_abs() as usize;
    match days {
        0 => "as planned".into(),
        d if d > 0 => format!("{} later than the plan", plural(n, "day", "days")),
        _ => format!("{} earlier than the plan", plural(n, "day", "days")),
    }
}

fn cell_view(cx: &Lookups<'_>, period: Period, t: &Tracked) -> CellView {
    CellView {
        period: period.to_string(),
        period_url: cx.period_url(period).map(str::to_string),
        status: t.status,
        progress: t.progress,
        due: t.due,
        days_from_plan: t.days_from_plan,
        against_plan: t.days_from_plan.map(against_plan),
        past_plan_date: t.past_plan_date,
        activities: (t.activities.iter())
            .map(|a| {
                let number = match cx.docs.get(a.doc).map(|d| &d.data) {
                    Some(Data::Highlight(h)) => {
                        h.objectives.iter().position(|o| o.id == a.objective)
                    }
                    _ => None,
                };
                let url = (cx.report_url(a.doc).zip(cx.report_anchor(a.doc)))
                    .map(|(u, anchor)| format!("{u}#{anchor}-{}", a.objective));
                TrackerView {
                    title: a.title.clone(),
                    programme: (cx.programme_link(&a.programme))
                        .map_or_else(|| a.programme.clone(), |l| l.0.to_string()),
                    objective: a.objective.clone(),
                    objective_label: number.map_or_else(
                        || format!("objective {}", a.objective),
                        |i| format!("objective {}", i + 1),
                    ),
                    url,
                    kind: a.kind,
                    due: a.due,
                    status: a.status,
                    progress: a.progress,
                }
            })
            .collect(),
    }
}

/// The budget lines of the plan's year by id: from its annual budget where it has one, else
/// from its newest budget.
fn budget_lines<'a>(cx: &Lookups<'a>, year: Period) -> Option<(usize, &'a crate::content::Budget)> {
    (cx.docs.iter().enumerate())
        .filter_map(|(i, d)| match &d.data {
            Data::Budget(b) if b.period.year_of() == year => Some((i, b)),
            _ => None,
        })
        .max_by_key(|(i, b)| (b.period.quarter.is_none(), b.period, std::cmp::Reverse(*i)))
}

fn deliverable_view(
    cx: &Lookups<'_>,
    plan: &OperationalPlan,
    url: &str,
    periods: &[Period],
    d: &Deliverable,
    s: &DeliverableSummary,
    budget: Option<(usize, &crate::content::Budget)>,
) -> DeliverableView {
    let year = plan.period.bounds(cx.loaded.config.year_start);
    let anchor = format!("deliverable-{}", d.id);
    let link = cx.programme_link(&d.programme);
    let budget_lines = (d.budget_lines.iter())
        .filter_map(|l| {
            let (doc, b) = budget?;
            let line = b.lines.iter().find(|x| x.id == l.value)?;
            Some(BudgetLineView {
                id: line.id.clone(),
                title: line.title.clone(),
                approved: line.approved,
                url: (cx.report_url(doc).zip(cx.report_anchor(doc)))
                    .map(|(u, a)| format!("{u}#{a}-line-{}", line.id)),
                budget: b.title.clone(),
            })
        })
        .collect();
    let history: Vec<Option<CellView>> = (periods.iter().zip(&s.history))
        .map(|(p, t)| t.as_ref().map(|t| cell_view(cx, *p, t)))
        .collect();
    DeliverableView {
        url: format!("{url}#{anchor}"),
        anchor,
        id: d.id.clone(),
        title: d.title.clone(),
        description: d.description.clone(),
        programme: LinkView {
            id: d.programme.clone(),
            title: link.map_or_else(|| d.programme.clone(), |l| l.0.to_string()),
            url: link.map(|l| l.1.to_string()),
        },
        owner: d.owner.clone(),
        outcomes: plan
            .outcomes_of(&d.id)
            .into_iter()
            .map(str::to_string)
            .collect(),
        plan_due: s.plan_due.map(|p| date_view(p, year)),
        due_from_activities: s.due_from_activities,
        budget_lines,
        budget: d.budget,
        activities: (d.activities.iter())
            .map(|a| PlanActivityView {
                title: a.title.clone(),
                start: a.start.map(|x| date_view(x, year)),
                due: a.due.map(|x| date_view(x, year)),
                as_printed: a.as_printed.clone(),
                cross_team: a.cross_team.clone(),
                milestones: (a.milestones.iter())
                    .map(|m| MilestoneView {
                        title: m.title.clone(),
                        due: date_view(m.due, year),
                    })
                    .collect(),
            })
            .collect(),
        latest: s.latest(periods).map(|(p, t)| cell_view(cx, p, t)),
        history,
        programme_reported: s.programme_reported.clone(),
        untracked_latest: s.untracked_latest(),
    }
}

/// The words and key of "not reported on", beside the status words.
const NOT_REPORTED: (&str, &str) = ("not-reported", "Not reported on");
/// The words and key of a deliverable whose programme has no highlight report at all.
const NO_REPORT: (&str, &str) = ("no-report", "Of programmes with no report");

pub(super) fn plan_view(
    cx: &Lookups<'_>,
    doc: &Document,
    plan: &OperationalPlan,
    s: &PlanSummary,
    url: &str,
) -> PlanView {
    let budget = budget_lines(cx, plan.period);
    let deliverables: Vec<DeliverableView> = (plan.deliverables.iter().zip(&s.deliverables))
        .map(|(d, ds)| deliverable_view(cx, plan, url, &s.periods, d, ds, budget))
        .collect();
    let latest_period = s.periods.last().map(|p| p.to_string());
    let mut statuses: Vec<Count> = (ActivityStatus::ALL.iter())
        .map(|w| Count {
            key: w.key(),
            label: w.label(),
            count: (deliverables.iter())
                .filter(|d| d.latest.as_ref().is_some_and(|l| l.status == *w))
                .count(),
        })
        .filter(|c| c.count > 0)
        .collect();
    let untracked = deliverables.iter().filter(|d| d.untracked_latest).count();
    let mut status_text = plural(deliverables.len(), "deliverable", "deliverables");
    let words: Vec<String> = (statuses.iter())
        .map(|c| format!("{} {}", c.count, c.label.to_lowercase()))
        .collect();
    if !words.is_empty() {
        status_text = format!("{status_text}: {}", words.join(", "));
    }
    if let (true, Some(p)) = (untracked > 0, &latest_period) {
        status_text = format!("{status_text}; {untracked} not reported on in {p}");
        statuses.push(Count {
            key: NOT_REPORTED.0.into(),
            label: NOT_REPORTED.1.into(),
            count: untracked,
        });
    }
    // The rest belong to programmes with no report yet: said, so that the counts add up to
    // the total.
    let unreported = (deliverables.iter())
        .filter(|d| d.latest.is_none() && !d.untracked_latest)
        .count();
    if unreported > 0 {
        status_text = format!("{status_text}; {unreported} of programmes with no report");
        statuses.push(Count {
            key: NO_REPORT.0.into(),
            label: NO_REPORT.1.into(),
            count: unreported,
        });
    }
    let mut programmes: Vec<ProgrammeGroup> = Vec::new();
    for p in &cx.plan.programmes {
        let list: Vec<usize> = (plan.deliverables.iter().enumerate())
            .filter(|(_, d)| d.programme == p.id)
            .map(|(i, _)| i)
            .collect();
        if !list.is_empty() {
            programmes.push(ProgrammeGroup {
                id: p.id.clone(),
                title: p.title.clone(),
                url: Some(p.url.clone()),
                deliverables: list,
            });
        }
    }
    let link = |id: &str| LinkView {
        id: id.to_string(),
        title: plan
            .deliverable(id)
            .map_or_else(String::new, |d| d.title.clone()),
        url: plan
            .deliverable(id)
            .map(|_| format!("{url}#deliverable-{id}")),
    };
    let outcomes = (plan.outcomes.iter())
        .map(|o| OutcomeView {
            id: o.id.clone(),
            title: o.title.clone(),
            objectives: (o.objectives.iter())
                .map(|ob| {
                    let mut ids: Vec<&str> = Vec::new();
                    for d in &ob.deliverables {
                        if !ids.contains(&d.value.as_str()) {
                            ids.push(&d.value);
                        }
                    }
                    ObjectiveView {
                        title: ob.title.clone(),
                        deliverables: ids.into_iter().map(link).collect(),
                    }
                })
                .collect(),
        })
        .collect();
    let mut t = Sheet::new(
        "deliverables",
        format!("{}: deliverables and their latest status", doc.title()),
        &[
            ("id", "Deliverable"),
            ("title", "Title"),
            ("programme_id", "Programme ID"),
            ("programme", "Programme"),
            ("owner", "Owner"),
            ("plan_due", "Plan date"),
            ("plan_due_day", "Due by (last day of the plan date)"),
            ("latest_period", "Latest report"),
            ("status", "Latest status"),
            ("progress", "Progress"),
            ("reported_due", "Due date in the latest report"),
            (
                "days_from_plan",
                "Days later than the plan (negative: earlier)",
            ),
            (
                "past_plan_date",
                "Plan date passed, neither complete nor delayed",
            ),
            (
                "not_reported_latest",
                "Not reported on in the newest period",
            ),
        ],
    );
    for d in &deliverables {
        let l = d.latest.as_ref();
        t.push(vec![
            Cell::text(d.id.clone()),
            Cell::text(d.title.clone()),
            Cell::text(d.programme.id.clone()),
            Cell::text(d.programme.title.clone()),
            Cell::opt_text(d.owner.clone()),
            Cell::opt_text(d.plan_due.as_ref().map(|p| p.text.clone())),
            Cell::date(d.plan_due.as_ref().and_then(|p| p.date)),
            Cell::opt_text(l.map(|l| l.period.clone())),
            Cell::opt_text(l.map(|l| l.status.label())),
            Cell::number(l.and_then(|l| l.progress)),
            Cell::date(l.map(|l| l.due)),
            l.and_then(|l| l.days_from_plan)
                .map_or(Cell::Empty, |n| Cell::Number(Decimal::from(n))),
            l.map_or(Cell::Empty, |l| Cell::Bool(l.past_plan_date)),
            Cell::Bool(d.untracked_latest),
        ]);
    }
    let mut downloads = Downloads::new();
    downloads.insert("deliverables", cx.download(&t, url));
    PlanView {
        period: plan.period.to_string(),
        budget: budget.and_then(|(i, b)| {
            cx.report_url(i).map(|u| LinkView {
                id: String::new(),
                title: b.title.clone(),
                url: Some(u.to_string()),
            })
        }),
        periods: (s.periods.iter())
            .map(|p| PeriodLink {
                label: p.to_string(),
                url: cx.period_url(*p).unwrap_or_default().to_string(),
            })
            .collect(),
        latest_period,
        statuses,
        status_text,
        outcomes,
        programmes,
        deliverables,
        findings: findings_for(cx.loaded, doc),
        downloads,
    }
}

/// A deliverable as a report's activity links to it.
#[derive(Serialize)]
pub(super) struct DeliverableLink {
    id: String,
    /// Its section on its plan's page.
    url: String,
}

/// The deliverable that activity `a` of objective `o`, in a report of `period`, tracks in the
/// plan for the period's year; none without one, or where the plan has no such deliverable.
pub(super) fn deliverable_link(
    cx: &Lookups<'_>,
    period: Period,
    o: &crate::content::highlight::Objective,
    a: &crate::content::highlight::Activity,
) -> Option<DeliverableLink> {
    let (id, _) = crate::content::highlight::tracked_deliverable(o, a)?;
    let planned = cx
        .plan
        .plans
        .iter()
        .find(|p| p.period == period.year_of())?;
    let Some(Data::Plan(plan)) = cx.docs.get(planned.doc).map(|d| &d.data) else {
        return None;
    };
    plan.deliverable(id).map(|d| DeliverableLink {
        id: d.id.clone(),
        url: format!("{}#deliverable-{}", planned.url, d.id),
    })
}

/// A programme's deliverables in one plan, for its page.
#[derive(Serialize)]
pub(super) struct ProgrammePlanView {
    title: String,
    period: String,
    url: String,
    deliverables: Vec<ProgrammeDeliverable>,
}

#[derive(Serialize)]
pub(super) struct ProgrammeDeliverable {
    id: String,
    title: String,
    /// Its section on the plan page.
    url: String,
    plan_due: Option<DateView>,
    due_from_activities: bool,
    latest: Option<CellView>,
    untracked_latest: bool,
}

/// Every plan's deliverables for programme `id`, newest year first; plans that give it none
/// are left out.
pub(super) fn programme_plans(cx: &Lookups<'_>, id: &str) -> Vec<ProgrammePlanView> {
    let mut out = Vec::new();
    for planned in &cx.plan.plans {
        let (Some(s), Some(Data::Plan(plan))) = (
            cx.agg.plan_for(planned.doc),
            cx.docs.get(planned.doc).map(|d| &d.data),
        ) else {
            continue;
        };
        let year = plan.period.bounds(cx.loaded.config.year_start);
        let deliverables: Vec<ProgrammeDeliverable> =
            (plan.deliverables.iter().zip(&s.deliverables))
                .filter(|(d, _)| d.programme == id)
                .map(|(d, ds)| ProgrammeDeliverable {
                    id: d.id.clone(),
                    title: d.title.clone(),
                    url: format!("{}#deliverable-{}", planned.url, d.id),
                    plan_due: ds.plan_due.map(|p| date_view(p, year)),
                    due_from_activities: ds.due_from_activities,
                    latest: ds.latest(&s.periods).map(|(p, t)| cell_view(cx, p, t)),
                    untracked_latest: ds.untracked_latest(),
                })
                .collect();
        if !deliverables.is_empty() {
            out.push(ProgrammePlanView {
                title: planned.title.clone(),
                period: plan.period.to_string(),
                url: planned.url.clone(),
                deliverables,
            });
        }
    }
    out
}
