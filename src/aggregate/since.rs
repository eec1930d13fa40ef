//! What changed in a period, in one glance: each kind's changes since its previous report,
//! counted across the period's reports for the board pack and the home page.

use serde::Serialize;

use crate::aggregate::budget_changes::Delta;
use crate::aggregate::{Aggregates, Trend};
use crate::read::period::Period;
use crate::read::words::ActivityStatus;

/// Highlight reports' changes, added up over the period's programmes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ActivitiesSince {
    /// How many of the period's highlight reports have an earlier report to compare with.
    pub reports: usize,
    /// The periods they compare with, oldest first.
    pub compared_with: Vec<Period>,
    pub programmes_up: usize,
    pub programmes_down: usize,
    /// Matched activities whose progress rose, or fell.
    pub progressed: usize,
    pub went_back: usize,
    /// Matched activities whose status became complete.
    pub completed: usize,
    pub slipped: usize,
    pub added: usize,
    pub removed: usize,
    pub new_risks: usize,
    pub closed_risks: usize,
    pub rescored_risks: usize,
    pub new_issues: usize,
    pub closed_issues: usize,
    pub rescored_issues: usize,
}

/// The period's indicator set against earlier periods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorsSince {
    pub doc: usize,
    pub previous_period: Option<Period>,
    pub improved: usize,
    pub worsened: usize,
    pub unchanged: usize,
    pub status_changes: usize,
    pub year_ago: Option<Period>,
    pub better_than_year_ago: usize,
    pub worse_than_year_ago: usize,
}

/// The period's budget paper against the previous one of its year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetSince {
    pub doc: usize,
    pub previous_period: Period,
    /// Spend's projected outturn, and its actual and planned spend to date (memo lines left
    /// out).
    pub projected: Delta,
    pub actual: Delta,
    pub planned: Delta,
    pub projections_moved: usize,
    pub beyond_tolerance: usize,
}

/// The period's action plan against the previous one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionsSince {
    pub doc: usize,
    pub previous_period: Period,
    pub completed: usize,
    pub improved: usize,
    pub worsened: usize,
    pub added: usize,
    pub removed: usize,
}

/// What changed in a period. Each kind is there only when its report has an earlier one to
/// compare with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Since {
    pub activities: Option<ActivitiesSince>,
    pub indicators: Option<IndicatorsSince>,
    pub budget: Option<BudgetSince>,
    pub actions: Option<ActionsSince>,
}

/// The period's changes, from the reports at these indices into the aggregates; none when no
/// report of the period has anything to compare with.
pub fn since(
    agg: &Aggregates,
    programmes: &[usize],
    budgets: &[usize],
    indicators: &[usize],
    actions: &[usize],
) -> Option<Since> {
    let mut a = ActivitiesSince::default();
    for p in programmes.iter().map(|i| &agg.programmes[*i]) {
        let Some(c) = &p.changes else { continue };
        a.reports += 1;
        if let Some(period) = c.previous_period
            && !a.compared_with.contains(&period)
        {
            a.compared_with.push(period);
        }
        match p.trend_previous {
            Trend::Up => a.programmes_up += 1,
            Trend::Down => a.programmes_down += 1,
            _ => {}
        }
        a.progressed += c.progress_changes.iter().filter(|x| x.to > x.from).count();
        a.went_back += c.progress_changes.iter().filter(|x| x.to < x.from).count();
        a.completed += (c.status_changes.iter())
            .filter(|x| x.to == ActivityStatus::Complete)
            .count();
        a.slipped += c.slipped.len();
        a.added += c.activities_added.len();
        a.removed += c.activities_removed.len();
        a.new_risks += c.new_risks.len();
        a.closed_risks += c.closed_risks.len();
        a.rescored_risks += c.rescored_risks.len();
        a.new_issues += c.new_issues.len();
        a.closed_issues += c.closed_issues.len();
        a.rescored_issues += c.rescored_issues.len();
    }
    a.compared_with.sort();
    let activities = (a.reports > 0).then_some(a);
    // One of each a period (check refuses two): the last is the one the board pack shows.
    let indicators = indicators.last().and_then(|i| {
        let s = &agg.indicators[*i];
        let c = s.changes.as_ref()?;
        Some(IndicatorsSince {
            doc: s.doc,
            previous_period: c.previous_period,
            improved: c.improved.len(),
            worsened: c.worsened.len(),
            unchanged: c.unchanged.len(),
            status_changes: c.status_changes.len(),
            year_ago: c.year_ago,
            better_than_year_ago: c.better_than_year_ago.len(),
            worse_than_year_ago: c.worse_than_year_ago.len(),
        })
    });
    let budget = budgets.last().and_then(|i| {
        let s = &agg.budgets[*i];
        let c = s.changes.as_ref()?;
        Some(BudgetSince {
            doc: s.doc,
            previous_period: c.previous_period,
            // What was spent: memo lines are provisions, not expenditure.
            projected: c.spend.projected,
            actual: c.spend.actual,
            planned: c.spend.planned,
            projections_moved: c.projections_moved,
            beyond_tolerance: c.beyond_tolerance,
        })
    });
    let actions = actions.last().and_then(|i| {
        let s = &agg.actions[*i];
        let c = s.changes.as_ref()?;
        let count = |t: Trend| {
            (c.judgement_changes.iter())
                .filter(|x| x.direction == t)
                .count()
        };
        Some(ActionsSince {
            doc: s.doc,
            previous_period: c.previous_period,
            completed: c.completed.len(),
            improved: count(Trend::Up),
            worsened: count(Trend::Down),
            added: c.added.len(),
            removed: c.removed.len(),
        })
    });
    let any = activities.is_some() || indicators.is_some() || budget.is_some() || actions.is_some();
    any.then_some(Since {
        activities,
        indicators,
        budget,
        actions,
    })
}

#[cfg(test)]
mod tests {
    use crate::aggregate::testing::run;

    #[test]
    fn counts_every_kind_and_is_absent_where_nothing_compares() {
        let highlight = |period: &str, status: &str, progress: u32, risk: &str| {
            format!(
                "kind = \"highlight\"\nprogramme = \"p\"\ntitle = \"P\"\nperiod = \"{period}\"\nlead = \"L\"\n[[objectives]]\nid = \"o1\"\ntitle = \"O1\"\n[[objectives.activities]]\nid = \"a\"\ntitle = \"a\"\nkind = \"priority\"\ndue = 2010-03-31\nstatus = \"{status}\"\nprogress = {progress}\n[[risks]]\nid = \"{risk}\"\ntitle = \"r\"\n"
            )
        };
        let budget = |period: &str, projected: u32| {
            format!(
                "kind = \"budget\"\ntitle = \"b\"\nperiod = \"{period}\"\n[[groups]]\nid = \"e\"\ntitle = \"E\"\nkind = \"expenditure\"\n[[lines]]\nid = \"l\"\ntitle = \"l\"\ngroup = \"e\"\napproved = 100\nrevised = 100\nprojected = {projected}\n"
            )
        };
        let (agg, _) = run(&[
            &highlight("2009/10 Q1", "in progress", 50, "R001"),
            &highlight("2009/10 Q2", "complete", 100, "R002"),
            &budget("2009/10 Q1", 100),
            &budget("2009/10 Q2", 120),
        ]);
        let q1 = agg
            .periods
            .iter()
            .find(|p| p.period.to_string() == "2009/10 Q1")
            .unwrap();
        assert!(q1.since.is_none());
        let q2 = agg
            .periods
            .iter()
            .find(|p| p.period.to_string() == "2009/10 Q2")
            .unwrap();
        let s = q2.since.as_ref().unwrap();
        let a = s.activities.as_ref().unwrap();
        assert_eq!(
            (
                a.reports,
                a.progressed,
                a.completed,
                a.new_risks,
                a.closed_risks
            ),
            (1, 1, 1, 1, 1)
        );
        assert_eq!(
            a.compared_with
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["2009/10 Q1"]
        );
        assert_eq!(a.programmes_up, 1);
        let b = s.budget.as_ref().unwrap();
        assert_eq!(b.projected.change, Some(rust_decimal::Decimal::from(20)));
        assert_eq!((b.projections_moved, b.beyond_tolerance), (1, 1));
        assert!(s.indicators.is_none() && s.actions.is_none());
    }
}
