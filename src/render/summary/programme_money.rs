//! A programme's money for its page: the budget lines tagged with the programme in the newest
//! budget, with their planned and actual spend and variance, and each line's history across
//! the periods' budgets, matched by line id.

use rust_decimal::Decimal;
use serde::Serialize;

use super::Lookups;
use super::budget::rag_key;
use crate::aggregate::budget::{BudgetSummary, LineSummary};
use crate::aggregate::format;
use crate::read::words::GroupKind;
use crate::render::download::{Cell, Sheet};

/// One budget line's figures in one period's budget.
#[derive(Serialize, Clone)]
pub(super) struct MoneyCell {
    pub(super) approved: Option<Decimal>,
    pub(super) revised: Option<Decimal>,
    pub(super) planned: Option<Decimal>,
    pub(super) actual: Option<Decimal>,
    pub(super) variance: Option<Decimal>,
    /// `(35%)`.
    pub(super) variance_pct: Option<String>,
    /// `green`, `amber` or `red`.
    pub(super) rag: Option<&'static str>,
    pub(super) projected: Option<Decimal>,
    /// The paper's own variance where it differs from the computed one.
    pub(super) printed_variance: Option<Decimal>,
    /// The line on its budget's page.
    pub(super) url: Option<String>,
}

#[derive(Serialize)]
pub(super) struct MoneyLine {
    pub(super) id: String,
    /// As the newest budget that has the line names it.
    pub(super) title: String,
    /// `Income` or `Expenditure`.
    pub(super) kind: Option<String>,
    pub(super) memo: bool,
    /// The line in the newest budget; none when that budget no longer has it.
    pub(super) latest: Option<MoneyCell>,
    /// One per `ProgrammeMoney::periods`, oldest first; none where that budget lacks the line.
    pub(super) history: Vec<Option<MoneyCell>>,
}

#[derive(Serialize)]
pub(super) struct MoneyPeriod {
    pub(super) period: String,
    pub(super) title: String,
    pub(super) url: Option<String>,
}

/// Sums over the newest budget's expenditure lines of the programme, memo lines left out.
#[derive(Serialize, Default)]
pub(super) struct MoneyTotal {
    pub(super) planned: Option<Decimal>,
    pub(super) actual: Option<Decimal>,
    pub(super) variance: Option<Decimal>,
    /// `under-spend`, `over-spend` or `on plan`.
    pub(super) position: Option<&'static str>,
    pub(super) gap: Option<Decimal>,
}

#[derive(Serialize)]
pub(super) struct ProgrammeMoney {
    /// The budgets with a line of the programme, oldest first: the history's columns.
    pub(super) periods: Vec<MoneyPeriod>,
    /// The newest of them.
    pub(super) latest: MoneyPeriod,
    /// Lines in the newest budget's order, then lines only earlier budgets have.
    pub(super) lines: Vec<MoneyLine>,
    pub(super) total: MoneyTotal,
    /// Whether any line has planned or actual spend (a year's budget has neither).
    pub(super) has_spend: bool,
    /// The newest budget's sign convention, printed beside the table.
    pub(super) legend: String,
}

fn cell(cx: &Lookups<'_>, s: &BudgetSummary, l: &LineSummary) -> MoneyCell {
    let t = &l.totals;
    MoneyCell {
        approved: t.approved,
        revised: t.revised,
        planned: t.planned,
        actual: t.actual,
        variance: t.variance,
        variance_pct: t.variance_pct_display.clone(),
        rag: rag_key(t.rag),
        projected: t.projected,
        printed_variance: l.printed.variance,
        url: (cx.report_url(s.doc).zip(cx.report_anchor(s.doc)))
            .map(|(u, a)| format!("{u}#{a}-line-{}", l.id)),
    }
}

/// The programme's lines in each budget, and the sheet of them for download; none when no
/// budget tags a line with the programme.
pub(super) fn programme_money(cx: &Lookups<'_>, id: &str) -> Option<(ProgrammeMoney, Sheet)> {
    let mut budgets: Vec<&BudgetSummary> = (cx.agg.budgets.iter())
        .filter(|s| lines_of(s, id).next().is_some())
        .collect();
    // One budget a period is all `check` allows; a stable sort keeps load order otherwise.
    budgets.sort_by_key(|s| s.period);
    let newest = *budgets.last()?;
    let mut lines: Vec<MoneyLine> = Vec::new();
    for s in budgets.iter().rev() {
        for (kind, l) in lines_of(s, id) {
            if lines.iter().any(|m| m.id == l.id) {
                continue;
            }
            lines.push(MoneyLine {
                id: l.id.clone(),
                title: l.title.clone(),
                kind: kind.map(|k| k.label()),
                memo: l.memo,
                latest: None,
                history: Vec::new(),
            });
        }
    }
    let mut sheet = Sheet::new(
        "programme-budget",
        format!("Budget lines of programme {id}, by period"),
        &[
            ("period", "Period"),
            ("id", "Line ID"),
            ("title", "Budget line"),
            ("kind", "Income or expenditure"),
            ("memo", "Memorandum item"),
            ("approved", "Approved budget"),
            ("revised", "Revised budget"),
            ("planned", "Planned to date"),
            ("actual", "Actual to date"),
            ("variance", "Variance"),
            ("variance_percent_rounded", "Variance (% rounded)"),
            ("projected", "Projected outturn"),
        ],
    );
    for s in &budgets {
        for m in &mut lines {
            let found = lines_of(s, id).find(|(_, l)| l.id == m.id);
            if let Some((kind, l)) = found {
                let t = &l.totals;
                sheet.push(vec![
                    Cell::text(s.period.to_string()),
                    Cell::text(l.id.clone()),
                    Cell::text(l.title.clone()),
                    Cell::opt_text(kind.map(|k| k.label())),
                    Cell::Bool(l.memo),
                    Cell::money(t.approved),
                    Cell::money(t.revised),
                    Cell::money(t.planned),
                    Cell::money(t.actual),
                    Cell::money(t.variance),
                    Cell::number(t.variance_pct.map(format::round_half_up)),
                    Cell::money(t.projected),
                ]);
            }
            m.history.push(found.map(|(_, l)| cell(cx, s, l)));
        }
    }
    for m in &mut lines {
        m.latest = m.history.last().cloned().flatten();
    }
    let spend = || {
        lines_of(newest, id)
            .filter(|(k, l)| *k == Some(GroupKind::Expenditure) && !l.memo)
            .map(|(_, l)| &l.totals)
    };
    let sum = |get: fn(&crate::aggregate::budget::Totals) -> Option<Decimal>| {
        spend()
            .filter_map(get)
            .try_fold(None::<Decimal>, |acc, x| {
                Some(Some(acc.unwrap_or_default().checked_add(x)?))
            })
            .flatten()
    };
    let planned = sum(|t| t.planned);
    let actual = sum(|t| t.actual);
    let variance = match (planned, actual) {
        (Some(p), Some(a)) => match cx.loaded.config.variance_sign {
            crate::config::VarianceSign::ActualMinusPlanned => a.checked_sub(p),
            crate::config::VarianceSign::PlannedMinusActual => p.checked_sub(a),
        },
        _ => None,
    };
    let gap = match (planned, actual) {
        (Some(p), Some(a)) => a.checked_sub(p),
        _ => None,
    };
    let total = MoneyTotal {
        planned,
        actual,
        variance,
        position: gap.map(|g| {
            if g < Decimal::ZERO {
                "under-spend"
            } else if g > Decimal::ZERO {
                "over-spend"
            } else {
                "on plan"
            }
        }),
        gap: gap.map(|g| g.abs()),
    };
    let period = |s: &BudgetSummary| MoneyPeriod {
        period: s.period.to_string(),
        title: s.title.clone(),
        url: cx.report_url(s.doc).map(str::to_string),
    };
    let has_spend =
        lines_of(newest, id).any(|(_, l)| l.totals.planned.is_some() || l.totals.actual.is_some());
    Some((
        ProgrammeMoney {
            periods: budgets.iter().map(|s| period(s)).collect(),
            latest: period(newest),
            lines,
            total,
            has_spend,
            legend: newest.legend.clone(),
        },
        sheet,
    ))
}

/// A budget's lines tagged with the programme, with the kind of their group.
fn lines_of<'a>(
    s: &'a BudgetSummary,
    id: &'a str,
) -> impl Iterator<Item = (Option<GroupKind>, &'a LineSummary)> + 'a {
    (s.groups.iter())
        .flat_map(|g| g.lines.iter().map(move |l| (g.kind, l)))
        .filter(move |(_, l)| l.programme.as_deref() == Some(id))
}
