//! A budget monitoring report's summary: the statement, its headline, charts and downloads.

use std::collections::BTreeMap;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use super::budget_changes::{BudgetChangesView, changes_sheet, changes_view};
use super::budget_layout::budget_layout;
use super::shared::{FindingView, findings_for};
use super::{Downloads, Lookups};
use crate::aggregate::budget::{Difference, GroupSummary, LineSummary, Totals};
use crate::aggregate::{self, BudgetSummary, format};
use crate::content::budget::{Figures, LineStated};
use crate::content::{Budget, Document};
use crate::read::words::GroupKind;
use crate::render::chart::{self, Chart};
use crate::render::download::{Cell, Sheet};

#[derive(Serialize)]
pub(super) struct NoteRef {
    pub(super) label: String,
    /// 1-based position in `report.data.notes`, for the link; none when no note has the number.
    pub(super) target: Option<usize>,
}

/// One row of the budget statement.
#[derive(Serialize, Default)]
pub(super) struct StatementRow {
    /// `group` (a heading), `line`, `subtotal`, `printed` (a subtotal or total as printed),
    /// `total-income`, `total-expenditure`, `memo`, `excluding-memo` or `net`.
    pub(super) row: &'static str,
    /// Whether the row opens a new `<tbody>`.
    pub(super) starts_body: bool,
    pub(super) depth: usize,
    /// The row's id on the page, for links; none for total rows.
    pub(super) anchor: Option<String>,
    pub(super) title: String,
    /// For top-level group headings: `income` or `expenditure`.
    pub(super) kind: Option<GroupKind>,
    pub(super) memo: bool,
    pub(super) notes: Vec<NoteRef>,
    pub(super) approved: Option<Decimal>,
    pub(super) revised: Option<Decimal>,
    pub(super) planned: Option<Decimal>,
    pub(super) actual: Option<Decimal>,
    pub(super) variance: Option<Decimal>,
    /// As displayed: `(2%)`, `(0%)`.
    pub(super) variance_pct: Option<String>,
    /// `green`, `amber` or `red`.
    pub(super) rag: Option<&'static str>,
    pub(super) projected: Option<Decimal>,
    /// Projected outturn minus revised budget.
    pub(super) outturn_variance: Option<Decimal>,
    /// The displayed figures of this total do not add up because of rounding.
    pub(super) rounding: bool,
    /// On `printed` rows: the columns where the printed figure differs from the computed one.
    pub(super) differs: Vec<&'static str>,
    /// On `withheld` rows, a public copy's stub for an exempt line: "Exempt information:
    /// paragraph 3 of Schedule 12A". The row has no figures; its group's total includes them.
    pub(super) notice: Option<String>,
    /// On a line row in the members' view: why the line is exempt, for its banner.
    pub(super) exempt: Option<crate::content::exempt::Exempt>,
    /// On `line` rows: the paper's own variance, where it differs from the computed one.
    pub(super) printed_variance: Option<Decimal>,
    /// On `line` rows: the paper's own % variance (`(35%)`), where it differs.
    pub(super) printed_variance_pct: Option<String>,
    /// On the printed grand total of a budget with memo lines: how it treats them.
    pub(super) memo_note: Option<&'static str>,
}

pub(super) fn rag_key(r: Option<aggregate::budget::Rag>) -> Option<&'static str> {
    r.map(|r| match r {
        aggregate::budget::Rag::Green => "green",
        aggregate::budget::Rag::Amber => "amber",
        aggregate::budget::Rag::Red => "red",
    })
}

pub(super) fn with_totals(mut row: StatementRow, t: &Totals) -> StatementRow {
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

/// A subtotal or total as the paper printed it, marked where it differs from the computed
/// figures: `differences` are the columns aggregate found to differ.
pub(super) fn printed_row(
    title: &str,
    f: &Figures,
    differences: &[Difference],
    depth: usize,
) -> StatementRow {
    // A printed % that would not fit (a variance of 20 digits over a planned figure of a
    // ten-billionth) is left out rather than drawn wrong; the figures themselves still show.
    let variance_pct = match (f.variance, f.planned) {
        (Some(v), Some(p)) if !p.is_zero() => v
            .checked_div(p.abs())
            .and_then(|q| q.checked_mul(Decimal::ONE_HUNDRED))
            .map(format::percent),
        _ => None,
    };
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
        differs: differences.iter().map(|d| d.column).collect(),
        ..StatementRow::default()
    }
}

pub(super) fn has_any(f: &Figures) -> bool {
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
pub(super) struct BudgetColumns {
    pub(super) revised: bool,
    pub(super) planned: bool,
    pub(super) actual: bool,
    pub(super) variance: bool,
    pub(super) projected: bool,
    pub(super) outturn: bool,
    /// How many columns the statement has, for `colspan`.
    pub(super) count: usize,
}

/// The headline position of a budget: spend against plan, and the projection.
#[derive(Serialize)]
pub(super) struct BudgetHeadline {
    pub(super) title: String,
    pub(super) url: Option<String>,
    pub(super) period: String,
    pub(super) as_at: Option<Date>,
    pub(super) approved: Option<Decimal>,
    pub(super) revised: Option<Decimal>,
    pub(super) planned: Option<Decimal>,
    pub(super) actual: Option<Decimal>,
    pub(super) variance: Option<Decimal>,
    pub(super) variance_pct: Option<String>,
    /// `under-spend`, `over-spend` or `on plan`: actual against planned.
    pub(super) position: Option<&'static str>,
    /// The size of the under- or over-spend, positive.
    pub(super) gap: Option<Decimal>,
    /// The grand total variance as printed, where it differs from the computed one.
    pub(super) printed_variance: Option<Decimal>,
    /// The memo lines the figures leave out, where the budget has any.
    pub(super) memo: Option<MemoNote>,
    pub(super) projected: Option<Decimal>,
    /// Projected outturn minus revised budget.
    pub(super) outturn_variance: Option<Decimal>,
    /// `over-spend`, `under-spend` or `on budget`.
    pub(super) outturn_position: Option<&'static str>,
    /// The size of the projected over- or under-spend, positive.
    pub(super) outturn_gap: Option<Decimal>,
    pub(super) legend: String,
}

/// What a headline leaves out: memo lines are not spend, whatever the printed total does.
#[derive(Serialize)]
pub(super) struct MemoNote {
    /// `Contingency Reserve Provision`, or several joined with "and".
    pub(super) titles: String,
    pub(super) count: usize,
    pub(super) actual: Option<Decimal>,
    pub(super) planned: Option<Decimal>,
    /// Whether the paper's printed total counts them (see `BudgetSummary::printed_total_memo`).
    pub(super) printed_counts: Option<bool>,
    /// The printed total's actual spend to date.
    pub(super) printed_actual: Option<Decimal>,
}

fn memo_note(s: &BudgetSummary) -> Option<MemoNote> {
    let lines: Vec<&LineSummary> = (s.groups.iter())
        .filter(|g| g.kind == Some(GroupKind::Expenditure))
        .flat_map(|g| &g.lines)
        .filter(|l| l.memo)
        .collect();
    if lines.is_empty() {
        return None;
    }
    let titles: Vec<&str> = lines.iter().map(|l| l.title.as_str()).collect();
    let titles = match titles.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => titles.concat(),
    };
    Some(MemoNote {
        titles,
        count: lines.len(),
        actual: s.memo.actual,
        planned: s.memo.planned,
        printed_counts: s.printed_total_memo,
        printed_actual: s.stated_total.as_ref().and_then(|t| t.actual),
    })
}

pub(super) fn budget_headline(cx: &Lookups<'_>, s: &BudgetSummary, b: &Budget) -> BudgetHeadline {
    let memo = memo_note(s);
    // Spend is what was spent: memo lines are provisions, not expenditure.
    let e = if memo.is_some() {
        &s.expenditure_excluding_memo
    } else {
        &s.expenditure
    };
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
    let printed_variance = (s.total_differences.iter())
        .find(|d| d.column == "variance")
        .map(|d| d.stated);
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
        memo,
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
pub(super) struct BudgetView {
    pub(super) columns: BudgetColumns,
    /// The statement's body rows, in table order (see `StatementRow`).
    pub(super) statement: Vec<StatementRow>,
    /// Its total rows, for `<tfoot>`.
    pub(super) foot: Vec<StatementRow>,
    /// The sign convention, printed beside the table.
    pub(super) legend: String,
    /// "Figures may not sum because of rounding" applies somewhere in the table.
    pub(super) rounding_note: bool,
    pub(super) income: Totals,
    pub(super) expenditure: Totals,
    pub(super) memo: Totals,
    pub(super) expenditure_excluding_memo: Totals,
    pub(super) headline: BudgetHeadline,
    pub(super) balances_total: Decimal,
    /// One per `report.data.external_funding`: the phasing's total and whether it matches.
    pub(super) funding: Vec<FundingView>,
    pub(super) charts: Vec<Chart>,
    /// What changed since the previous paper of the year; none when there is none.
    pub(super) changes: Option<BudgetChangesView>,
    pub(super) findings: Vec<FindingView>,
    pub(super) downloads: Downloads,
}

#[derive(Serialize)]
pub(super) struct FundingView {
    pub(super) phased: Option<Decimal>,
    pub(super) matches: bool,
}

pub(super) fn note_refs(b: &Budget, notes: &[String]) -> Vec<NoteRef> {
    notes
        .iter()
        .map(|n| NoteRef {
            label: format!("Note {n}"),
            target: b.notes.iter().position(|x| &x.number == n).map(|i| i + 1),
        })
        .collect()
}

pub(super) fn statement(
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
            // An exempt line's stub closes its group's lines, before the subtotal that
            // includes it.
            for w in b.withheld.iter().filter(|w| w.part == "budget line") {
                if w.place.as_deref() == Some(gs.id.as_str()) {
                    rows.push(StatementRow {
                        row: "withheld",
                        starts_body: *new_body || rows.is_empty(),
                        depth: d + 1,
                        title: w.title.clone().unwrap_or_default(),
                        notice: Some(w.notice.clone()),
                        ..StatementRow::default()
                    });
                    *new_body = false;
                }
            }
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
                rows.push(printed_row(&gs.title, st, &gs.differences, d));
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
            let (t, printed) = lines
                .get(l.id.as_str())
                .map_or_else(Default::default, |x| (x.totals.clone(), x.printed.clone()));
            let row = StatementRow {
                row: "line",
                starts_body: new_body || rows.is_empty(),
                depth: r.depth,
                anchor: Some(format!("{anchor}-line-{}", l.id)),
                title: l.title.clone(),
                memo: l.memo,
                notes: note_refs(b, &l.notes),
                exempt: l.exempt.clone(),
                printed_variance: printed.variance,
                printed_variance_pct: printed.variance_pct_display,
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
        // The sole income group's subtotal is the total income, so are its differences.
        if let Some(g) = sole_of(GroupKind::Income)
            && let Some(st) = g.stated.as_ref().filter(|f| has_any(f))
        {
            foot.push(printed_row("Total income", st, &g.differences, 1));
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
    let printed_total = match s.stated_total.as_ref().filter(|f| has_any(f)) {
        Some(st) => Some((st, s.total_differences.as_slice())),
        None => sole_of(GroupKind::Expenditure).and_then(|g| {
            (g.stated.as_ref())
                .filter(|f| has_any(f))
                .map(|st| (st, g.differences.as_slice()))
        }),
    };
    if let Some((st, differences)) = printed_total {
        let mut row = printed_row("Total expenditure", st, differences, 1);
        if s.memo.approved.is_some() {
            row.memo_note = Some(match s.printed_total_memo {
                Some(true) => "counts the memorandum items",
                Some(false) => "leaves out the memorandum items",
                None => "may or may not count the memorandum items",
            });
        }
        foot.push(row);
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

pub(super) fn budget_charts(s: &BudgetSummary, b: &Budget, anchor: &str) -> Vec<Chart> {
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

pub(super) fn group_path(b: &Budget, group: &str) -> String {
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

pub(super) const MONEY_COLUMNS: [(&str, &str); 10] = [
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

pub(super) fn totals_cells(t: &Totals) -> Vec<Cell> {
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

pub(super) fn budget_tables(b: &Budget, s: &BudgetSummary) -> (Sheet, Sheet) {
    let mut cols: Vec<(&'static str, &'static str)> = vec![
        ("id", "Line ID"),
        ("title", "Budget line"),
        ("group", "Group"),
        ("kind", "Income or expenditure"),
        ("memo", "Memorandum item"),
        ("programme", "Programme"),
    ];
    cols.extend(MONEY_COLUMNS);
    cols.extend([
        ("printed_variance", "Variance (as printed)"),
        ("printed_variance_percent", "Variance % (as printed)"),
    ]);
    cols.push(("notes", "Notes"));
    let mut lines = Sheet::new("budget-lines", format!("{}: budget lines", b.title), &cols);
    let stated_of: BTreeMap<&str, &LineStated> = (b.lines.iter())
        .filter_map(|l| Some((l.id.as_str(), l.stated.as_ref()?)))
        .collect();
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
            let stated = stated_of.get(l.id.as_str()).copied();
            row.push(Cell::money(stated.and_then(|s| s.variance)));
            row.push(Cell::number(stated.and_then(|s| s.variance_pct)));
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
    let mut groups = Sheet::new(
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

pub(super) fn budget_view(
    cx: &Lookups<'_>,
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
    if let Some(ch) = &s.changes {
        downloads.insert("changes", cx.download(&changes_sheet(b, ch), url));
    }
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
        changes: s.changes.as_ref().map(|c| changes_view(cx, c, anchor)),
        findings: findings_for(cx.loaded, doc),
        downloads,
    }
}
