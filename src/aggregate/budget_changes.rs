//! Budget monitoring against the previous paper of the same financial year: each line's
//! figures then and now, matched by line id, the grand total's, and projections that moved.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::aggregate::budget::{BudgetSummary, Totals};
use crate::aggregate::format::percent;
use crate::aggregate::{Overflow, Trend};
use crate::config::Config;
use crate::content::budget::{Budget, Line};
use crate::content::{Data, Document};
use crate::diagnostic::Diagnostic;
use crate::read::period::Period;

/// One figure then and now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Delta {
    pub before: Option<Decimal>,
    pub now: Option<Decimal>,
    /// Now less before, where both are given.
    pub change: Option<Decimal>,
}

impl Delta {
    /// `None` when the change is too large to hold.
    fn of(before: Option<Decimal>, now: Option<Decimal>) -> Option<Delta> {
        let change = match (before, now) {
            (Some(b), Some(n)) => Some(n.checked_sub(b)?),
            _ => None,
        };
        Some(Delta {
            before,
            now,
            change,
        })
    }

    /// Whether the figure is given both times and is not the same.
    pub fn moved(&self) -> bool {
        self.change.is_some_and(|c| !c.is_zero())
    }

    /// Up, down or the same, where both are given.
    pub fn trend(&self) -> Trend {
        Trend::between(self.before, self.now)
    }
}

/// A budget line in both papers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineChange {
    pub id: String,
    pub title: String,
    pub approved: Delta,
    pub revised: Delta,
    pub planned: Delta,
    pub actual: Delta,
    pub projected: Delta,
    /// The projection's move as a per cent of the line's budget (revised, else approved),
    /// exact; none when it did not move or the budget is zero.
    pub moved_percent: Option<Decimal>,
    /// `12%`, rounded half-up, as displayed.
    pub moved_percent_display: Option<String>,
    /// The projection moved by more than `tolerances.amber` per cent of the line's budget.
    pub beyond_tolerance: bool,
}

impl LineChange {
    /// Whether any figure of the line is not what it was.
    pub fn changed(&self) -> bool {
        [
            &self.approved,
            &self.revised,
            &self.planned,
            &self.actual,
            &self.projected,
        ]
        .iter()
        .any(|d| d.moved() || d.before.is_some() != d.now.is_some())
    }
}

/// A line in one of the two papers only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineRef {
    pub id: String,
    pub title: String,
}

/// The grand total's columns then and now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct TotalChange {
    pub approved: Delta,
    pub revised: Delta,
    pub planned: Delta,
    pub actual: Delta,
    pub projected: Delta,
}

/// What changed in a budget since the previous paper of its financial year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetChanges {
    pub previous_period: Period,
    pub previous_doc: usize,
    /// Every line in both papers, in this paper's order.
    pub lines: Vec<LineChange>,
    pub added: Vec<LineRef>,
    pub removed: Vec<LineRef>,
    /// Total expenditure, memo lines included, as the seed's grand total.
    pub expenditure: TotalChange,
    /// Spend: total expenditure without memo lines, which are not expenditure.
    pub spend: TotalChange,
    /// How many lines' projections moved, and how many beyond tolerance.
    pub projections_moved: usize,
    pub beyond_tolerance: usize,
}

/// The paper a budget compares with: the latest earlier quarter of the same financial year.
/// A year's budget, or a first quarter, has none: the figures to date start again each year.
fn previous(summaries: &[BudgetSummary], at: usize) -> Option<usize> {
    let p = summaries[at].period;
    p.quarter?;
    (0..summaries.len())
        .filter(|&j| {
            let q = summaries[j].period;
            q.year == p.year && q.quarter.is_some() && q < p
        })
        .max_by_key(|&j| (summaries[j].period, std::cmp::Reverse(j)))
}

/// Fill in each budget's changes. A change too large to work out is an error at its line.
pub fn compare(
    config: &Config,
    summaries: &mut [BudgetSummary],
    docs: &[Document],
    findings: &mut Vec<Diagnostic>,
) {
    let mut filled = Vec::new();
    for at in 0..summaries.len() {
        let Some(j) = previous(summaries, at) else {
            continue;
        };
        let (Data::Budget(now), Data::Budget(before)) =
            (&docs[summaries[at].doc].data, &docs[summaries[j].doc].data)
        else {
            continue;
        };
        match diff(config, (before, &summaries[j]), (now, &summaries[at])) {
            Ok(c) => filled.push((at, c)),
            Err(overflow) => findings.push(overflow.diagnostic(&docs[summaries[at].doc])),
        }
    }
    for (at, c) in filled {
        summaries[at].changes = Some(c);
    }
}

fn line_change(config: &Config, then: &Line, now: &Line) -> Option<LineChange> {
    let projected = Delta::of(then.projected, now.projected)?;
    let basis = now.revised.unwrap_or(now.approved).abs();
    let moved_percent = match projected.change {
        Some(c) if !c.is_zero() && !basis.is_zero() => Some(
            c.checked_div(basis)?
                .checked_mul(Decimal::ONE_HUNDRED)?
                .normalize(),
        ),
        _ => None,
    };
    let beyond_tolerance =
        projected.moved() && moved_percent.is_none_or(|p| p.abs() > config.tolerances.amber);
    Some(LineChange {
        id: now.id.clone(),
        title: now.title.clone(),
        approved: Delta::of(Some(then.approved), Some(now.approved))?,
        revised: Delta::of(then.revised, now.revised)?,
        planned: Delta::of(then.planned, now.planned)?,
        actual: Delta::of(then.actual, now.actual)?,
        projected,
        moved_percent_display: moved_percent.map(percent),
        moved_percent,
        beyond_tolerance,
    })
}

fn total_change(then: &Totals, now: &Totals) -> Option<TotalChange> {
    Some(TotalChange {
        approved: Delta::of(then.approved, now.approved)?,
        revised: Delta::of(then.revised, now.revised)?,
        planned: Delta::of(then.planned, now.planned)?,
        actual: Delta::of(then.actual, now.actual)?,
        projected: Delta::of(then.projected, now.projected)?,
    })
}

/// What changed between two papers, lines matched by id.
pub fn diff(
    config: &Config,
    (before, then): (&Budget, &BudgetSummary),
    (now, summary): (&Budget, &BudgetSummary),
) -> Result<BudgetChanges, Overflow> {
    // By id, the first of a repeated id (which `check` refuses).
    fn index(b: &Budget) -> HashMap<&str, usize> {
        let mut m = HashMap::with_capacity(b.lines.len());
        for (i, l) in b.lines.iter().enumerate() {
            m.entry(l.id.as_str()).or_insert(i);
        }
        m
    }
    let (old_ids, new_ids) = (index(before), index(now));
    let mut lines = Vec::new();
    let mut added = Vec::new();
    for l in &now.lines {
        match old_ids.get(l.id.as_str()).map(|&i| &before.lines[i]) {
            Some(old) => lines.push(line_change(config, old, l).ok_or_else(|| Overflow {
                span: l.span.clone(),
                what: format!("the change in budget line {} since {}", l.id, before.period),
            })?),
            None => added.push(LineRef {
                id: l.id.clone(),
                title: l.title.clone(),
            }),
        }
    }
    let removed = (before.lines.iter())
        .filter(|l| !new_ids.contains_key(l.id.as_str()))
        .map(|l| LineRef {
            id: l.id.clone(),
            title: l.title.clone(),
        })
        .collect();
    let expenditure =
        total_change(&then.expenditure, &summary.expenditure).ok_or_else(|| Overflow {
            span: now.stated_total.as_ref().map_or(0..3, |s| s.span.clone()),
            what: format!("the change in total expenditure since {}", before.period),
        })?;
    let spend = total_change(
        &then.expenditure_excluding_memo,
        &summary.expenditure_excluding_memo,
    )
    .ok_or_else(|| Overflow {
        span: now.stated_total.as_ref().map_or(0..3, |s| s.span.clone()),
        what: format!("the change in spend since {}", before.period),
    })?;
    Ok(BudgetChanges {
        spend,
        previous_period: before.period,
        previous_doc: then.doc,
        projections_moved: lines.iter().filter(|l| l.projected.moved()).count(),
        beyond_tolerance: lines.iter().filter(|l| l.beyond_tolerance).count(),
        lines,
        added,
        removed,
        expenditure,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delta_is_now_less_before_and_only_where_both_are_given() {
        let d = Delta::of(Some(Decimal::from(100)), Some(Decimal::from(130))).unwrap();
        assert_eq!(d.change, Some(Decimal::from(30)));
        assert!(d.moved());
        assert_eq!(d.trend(), Trend::Up);
        let half = Delta::of(None, Some(Decimal::from(5))).unwrap();
        assert_eq!(half.change, None);
        assert!(!half.moved());
        assert!(Delta::of(Some(Decimal::MIN), Some(Decimal::MAX)).is_none());
    }
}

#[cfg(test)]
mod by_paper {
    use super::*;
    use crate::aggregate::testing::run;

    fn paper(period: &str, lines: &str) -> String {
        format!(
            "kind = \"budget\"\ntitle = \"b\"\nperiod = \"{period}\"\n[[groups]]\nid = \"exp\"\ntitle = \"Expenditure\"\nkind = \"expenditure\"\n{lines}"
        )
    }

    fn line(id: &str, planned: i64, actual: i64, projected: i64) -> String {
        format!(
            "[[lines]]\nid = \"{id}\"\ntitle = \"{id}\"\ngroup = \"exp\"\napproved = 1000\nrevised = 1000\nplanned = {planned}\nactual = {actual}\nprojected = {projected}\n"
        )
    }

    #[test]
    fn spend_leaves_out_a_memo_line_whose_provision_changed() {
        let memo = |actual: i64| {
            format!(
                "{}memo = true\n",
                line("contingency", 50_000, actual, 50_000)
            )
        };
        let (agg, _) = run(&[
            &paper(
                "2009/10 Q1",
                &[line("a", 250, 240, 1000), memo(50_000)].concat(),
            ),
            &paper("2009/10 Q2", &[line("a", 500, 490, 1000), memo(0)].concat()),
        ]);
        let c = agg.budgets[1]
            .changes
            .as_ref()
            .expect("Q2 compares with Q1");
        // Expenditure, as printed, falls by the 50,000 released; spend rose by 250.
        assert_eq!(c.expenditure.actual.change, Some(Decimal::from(-49_750)));
        assert_eq!(c.spend.actual.change, Some(Decimal::from(250)));
    }

    #[test]
    fn lines_match_by_id_and_a_projection_beyond_tolerance_is_flagged() {
        let (agg, _) = run(&[
            &paper(
                "2009/10 Q1",
                &[
                    line("a", 250, 240, 1000),
                    line("b", 250, 260, 1000),
                    line("c", 250, 250, 1000),
                    line("gone", 1, 1, 1),
                ]
                .concat(),
            ),
            &paper(
                "2009/10 Q2",
                &[
                    line("a", 500, 490, 1050),
                    line("b", 500, 520, 1051),
                    line("c", 500, 500, 1000),
                    line("new", 1, 1, 1),
                ]
                .concat(),
            ),
        ]);
        let c = agg.budgets[1]
            .changes
            .as_ref()
            .expect("Q2 compares with Q1");
        assert_eq!(c.previous_period.to_string(), "2009/10 Q1");
        assert_eq!(c.previous_doc, agg.budgets[0].doc);
        let ids: Vec<&str> = c.lines.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        let a = &c.lines[0];
        assert_eq!(a.planned.change, Some(Decimal::from(250)));
        assert_eq!(a.actual.change, Some(Decimal::from(250)));
        assert_eq!(a.projected.change, Some(Decimal::from(50)));
        // 50 of a 1,000 budget is 5%: at the amber tolerance, not beyond it; 51 is.
        assert_eq!(a.moved_percent, Some(Decimal::from(5)));
        assert!(!a.beyond_tolerance);
        assert!(c.lines[1].beyond_tolerance);
        assert!(!c.lines[2].projected.moved() && !c.lines[2].beyond_tolerance);
        assert_eq!((c.projections_moved, c.beyond_tolerance), (2, 1));
        assert_eq!(
            c.added.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
            ["new"]
        );
        assert_eq!(
            c.removed.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
            ["gone"]
        );
        // The total is computed from the lines of each paper: 3,001 then, 3,102 now.
        assert_eq!(c.expenditure.projected.before, Some(Decimal::from(3001)));
        assert_eq!(c.expenditure.projected.change, Some(Decimal::from(101)));
        // The first paper of the year has nothing to compare with.
        assert!(agg.budgets[0].changes.is_none());
        // A projection beyond tolerance is on the period's exceptions list.
        let q2 = agg
            .periods
            .iter()
            .find(|p| p.period.to_string() == "2009/10 Q2")
            .unwrap();
        let moved: Vec<&str> = (q2.exceptions.iter())
            .filter(|e| e.kind == crate::aggregate::ExceptionKind::ProjectionMoved)
            .map(|e| e.item.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(moved, ["b"]);
    }

    #[test]
    fn only_an_earlier_quarter_of_the_same_year_is_compared() {
        let (agg, _) = run(&[
            &paper("2008/09 Q4", &line("a", 1, 1, 1)),
            &paper("2009/10", &line("a", 1, 1, 1)),
            &paper("2009/10 Q1", &line("a", 1, 1, 1)),
            &paper("2009/10 Q3", &line("a", 2, 2, 2)),
        ]);
        let by = |p: &str| {
            agg.budgets
                .iter()
                .find(|b| b.period.to_string() == p)
                .unwrap()
        };
        assert!(
            by("2009/10 Q1").changes.is_none(),
            "the year before is another year"
        );
        assert!(
            by("2009/10").changes.is_none(),
            "a year's budget is the year's plan"
        );
        let q3 = by("2009/10 Q3").changes.as_ref().unwrap();
        assert_eq!(q3.previous_period.to_string(), "2009/10 Q1");
    }
}
