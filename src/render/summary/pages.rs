//! The summaries of whole pages: a period (the board pack), a programme, home and exceptions.

use rust_decimal::Decimal;
use serde::Serialize;
use tera::Value;

use super::budget::{BudgetHeadline, budget_headline};
use super::highlight::display_mean;
use super::shared::{
    ChangesView, ExceptionView, KindCount, ProgrammeCard, TrendView, changes_view,
    exception_counts, exception_view, exceptions_table, programme_card, programme_trends,
};
use super::since::{SinceView, since_view};
use super::{Downloads, Lookups};
use crate::aggregate::{ActivityTotals, PeriodSummary, ProgrammeSummary};
use crate::content::Data;
use crate::read::words::ActivityStatus;
use crate::render::chart::{self, Chart};
use crate::render::download::{Cell, Sheet};

#[derive(Serialize)]
pub(super) struct RankView {
    pub(super) rank: usize,
    pub(super) programme: String,
    pub(super) title: String,
    pub(super) url: Option<String>,
    pub(super) report_url: Option<String>,
    pub(super) computed: Option<Decimal>,
    pub(super) stated: Option<Decimal>,
    pub(super) differs: bool,
}

#[derive(Serialize)]
pub(super) struct PeriodLink {
    pub(super) label: String,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct ProgrammeChanges {
    pub(super) title: String,
    pub(super) url: Option<String>,
    pub(super) report_url: Option<String>,
    pub(super) changes: Option<ChangesView>,
}

#[derive(Serialize)]
pub(super) struct PeriodView {
    pub(super) label: String,
    pub(super) slug: String,
    pub(super) url: String,
    /// The period before this one that has reports, if any.
    pub(super) previous: Option<PeriodLink>,
    /// Activity judgements across the period's highlight reports (Wigan table 1 form).
    pub(super) activities: ActivityTotals,
    pub(super) ranking: Vec<RankView>,
    pub(super) programmes: Vec<ProgrammeCard>,
    pub(super) exceptions: Vec<ExceptionView>,
    pub(super) exception_counts: Vec<KindCount>,
    /// One per programme reported in the period, with its changes since its last report.
    pub(super) changes: Vec<ProgrammeChanges>,
    /// What changed since the last period, in one glance; none when nothing compares.
    pub(super) since: Option<SinceView>,
    pub(super) budget: Option<BudgetHeadline>,
    pub(super) progress_chart: Option<Chart>,
    pub(super) downloads: Downloads,
}

pub(super) fn period_view(cx: &Lookups<'_>, ps: &PeriodSummary, url: &str) -> PeriodView {
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
            &progress(&programmes, |p| p.title.clone()),
        )
    });

    // Downloads: the programme summaries, the activity totals and the exceptions.
    let mut t = Sheet::new(
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
    let mut a = Sheet::new(
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
    let mut row = vec![Cell::text(ps.period.to_string()), Cell::count(at.total)];
    row.extend(
        [&at.completed, &at.on_track, &at.behind]
            .map(Cell::share)
            .concat(),
    );
    a.push(row);
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
        since: since_view(cx, ps, url),
        budget,
        progress_chart,
        downloads,
    }
}

/// The progress a chart shows of each of `list`, labelled by `label`: one programme per period
/// on a board pack, one period per programme on a programme's page.
fn progress(
    list: &[&ProgrammeSummary],
    label: impl Fn(&ProgrammeSummary) -> String,
) -> Vec<chart::Progress> {
    list.iter()
        .map(|p| chart::Progress {
            label: label(p),
            computed: p.computed,
            stated: p.stated,
        })
        .collect()
}

#[derive(Serialize)]
pub(super) struct ReportPoint {
    pub(super) period: String,
    pub(super) url: Option<String>,
    pub(super) title: String,
    pub(super) lead: String,
    pub(super) computed: Option<Decimal>,
    pub(super) stated: Option<Decimal>,
    pub(super) mean: Option<Decimal>,
    pub(super) differs: bool,
    pub(super) activity_count: usize,
    pub(super) delayed: usize,
    pub(super) overdue: usize,
    pub(super) trend: TrendView,
}

#[derive(Serialize)]
pub(super) struct HistoryCell {
    pub(super) stated: Option<Decimal>,
    pub(super) computed: Option<Decimal>,
    pub(super) differs: bool,
}

#[derive(Serialize)]
pub(super) struct HistoryRow {
    pub(super) id: String,
    pub(super) title: String,
    /// One per period in `history.periods`; none where the objective was not reported.
    pub(super) cells: Vec<Option<HistoryCell>>,
}

#[derive(Serialize)]
pub(super) struct History {
    pub(super) periods: Vec<String>,
    pub(super) rows: Vec<HistoryRow>,
}

#[derive(Serialize)]
pub(super) struct ProgrammePageView {
    /// Every report of the programme, oldest first.
    pub(super) reports: Vec<ReportPoint>,
    /// The newest report, as a dashboard card.
    pub(super) latest: Option<ProgrammeCard>,
    pub(super) trend_chart: Option<Chart>,
    pub(super) history: History,
    /// Its deliverables in each plan, newest year first.
    pub(super) plans: Vec<super::plan::ProgrammePlanView>,
    /// The budget lines tagged with it, now and across periods; none when no budget has one.
    pub(super) money: Option<super::programme_money::ProgrammeMoney>,
    pub(super) downloads: Downloads,
    /// Its risks and issues, period by period.
    pub(super) register: Option<crate::aggregate::register::RegisterHistory>,
}

pub(super) fn programme_view(
    cx: &Lookups<'_>,
    id: &str,
    title: &str,
    url: &str,
) -> ProgrammePageView {
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
            &progress(&list, |p| p.period.to_string()),
        )
    });
    let mut t = Sheet::new(
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
    let money = super::programme_money::programme_money(cx, id).map(|(m, sheet)| {
        downloads.insert("budget", cx.download(&sheet, url));
        m
    });
    ProgrammePageView {
        money,
        plans: super::plan::programme_plans(cx, id),
        latest: list.last().map(|p| programme_card(cx, p)),
        reports,
        trend_chart,
        history,
        downloads,
        register: (agg.registers.iter()).find(|r| r.programme == id).cloned(),
    }
}

#[derive(Serialize)]
pub(super) struct HomeView {
    /// The latest period with reports, as on its board pack.
    pub(super) latest: Option<Value>,
    /// The newest budget report's headline position.
    pub(super) budget: Option<BudgetHeadline>,
}

#[derive(Serialize)]
pub(super) struct PeriodExceptions {
    pub(super) label: String,
    pub(super) url: String,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct ExceptionsView {
    pub(super) latest: Option<Value>,
    /// Every period, newest first, with how many exceptions its board pack lists.
    pub(super) periods: Vec<PeriodExceptions>,
}
