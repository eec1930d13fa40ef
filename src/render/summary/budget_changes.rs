//! A budget against the previous paper of its year, laid out for its page: each line's planned,
//! actual and projected figures then and now, the grand total's, and projections that moved.

use rust_decimal::Decimal;
use serde::Serialize;

use super::Lookups;
use crate::aggregate::budget_changes::{BudgetChanges, Delta, LineChange, LineRef};
use crate::aggregate::format;
use crate::content::Budget;
use crate::render::download::{Cell, Sheet};

/// One figure then and now.
#[derive(Serialize)]
pub(super) struct DeltaView {
    pub(super) before: Option<Decimal>,
    pub(super) now: Option<Decimal>,
    pub(super) change: Option<Decimal>,
    /// `up`, `down`, `same`, or `none` where either figure is missing.
    pub(super) direction: &'static str,
}

fn delta_view(d: &Delta) -> DeltaView {
    DeltaView {
        before: d.before,
        now: d.now,
        change: d.change,
        direction: match d.trend() {
            crate::aggregate::Trend::Up => "up",
            crate::aggregate::Trend::Down => "down",
            crate::aggregate::Trend::Same => "same",
            crate::aggregate::Trend::None => "none",
        },
    }
}

/// One figure's row of the changes table.
#[derive(Serialize)]
pub(super) struct FigureRow {
    /// `Revised budget`, `Planned to date`, `Actual to date` or `Projected outturn`.
    pub(super) label: &'static str,
    /// Whether this is the projected outturn, beside which a move is flagged.
    pub(super) projection: bool,
    pub(super) delta: DeltaView,
}

/// The rows a line or the total shows: each figure the papers give, and the revised budget
/// only where it changed.
fn figure_rows(columns: &ChangeColumns, revised: &Delta, rest: [&Delta; 3]) -> Vec<FigureRow> {
    let mut rows = Vec::new();
    if columns.revised && revised.moved() {
        rows.push(FigureRow {
            label: "Revised budget",
            projection: false,
            delta: delta_view(revised),
        });
    }
    let shown = [columns.planned, columns.actual, columns.projected];
    let labels = ["Planned to date", "Actual to date", "Projected outturn"];
    for (i, d) in rest.into_iter().enumerate() {
        if shown[i] {
            rows.push(FigureRow {
                label: labels[i],
                projection: i == 2,
                delta: delta_view(d),
            });
        }
    }
    rows
}

#[derive(Serialize)]
pub(super) struct LineChangeView {
    pub(super) id: String,
    pub(super) title: String,
    /// The line's row in this report's statement.
    pub(super) anchor: String,
    pub(super) revised: DeltaView,
    pub(super) planned: DeltaView,
    pub(super) actual: DeltaView,
    pub(super) projected: DeltaView,
    /// The rows the changes table shows for the line.
    pub(super) rows: Vec<FigureRow>,
    /// Any figure differs from the previous paper's.
    pub(super) changed: bool,
    /// The projection's move as a share of the line's budget: `12%`, `(3%)`.
    pub(super) moved_percent: Option<String>,
    pub(super) beyond_tolerance: bool,
}

#[derive(Serialize)]
pub(super) struct LineRefView {
    pub(super) id: String,
    pub(super) title: String,
}

/// Which figure columns the changes table shows: those either paper gives for some line.
#[derive(Serialize)]
pub(super) struct ChangeColumns {
    pub(super) revised: bool,
    pub(super) planned: bool,
    pub(super) actual: bool,
    pub(super) projected: bool,
}

#[derive(Serialize)]
pub(super) struct BudgetChangesView {
    pub(super) previous_period: String,
    pub(super) previous_url: Option<String>,
    pub(super) columns: ChangeColumns,
    pub(super) lines: Vec<LineChangeView>,
    pub(super) added: Vec<LineRefView>,
    pub(super) removed: Vec<LineRefView>,
    /// Total expenditure, memo lines included.
    pub(super) revised: DeltaView,
    pub(super) planned: DeltaView,
    pub(super) actual: DeltaView,
    pub(super) projected: DeltaView,
    /// The rows the changes table shows for total expenditure.
    pub(super) total_rows: Vec<FigureRow>,
    pub(super) projections_moved: usize,
    pub(super) beyond_tolerance: usize,
    /// `tolerances.amber`: a projection that moves by more than this share of its line's
    /// budget is flagged.
    pub(super) tolerance: Decimal,
    /// `The projected outturn rose by 12,000, from 3,270,000 to 3,282,000.`
    pub(super) projection_text: Option<String>,
}

fn refs(list: &[LineRef]) -> Vec<LineRefView> {
    list.iter()
        .map(|l| LineRefView {
            id: l.id.clone(),
            title: l.title.clone(),
        })
        .collect()
}

fn line_view(anchor: &str, columns: &ChangeColumns, l: &LineChange) -> LineChangeView {
    LineChangeView {
        id: l.id.clone(),
        title: l.title.clone(),
        anchor: format!("{anchor}-line-{}", l.id),
        revised: delta_view(&l.revised),
        planned: delta_view(&l.planned),
        actual: delta_view(&l.actual),
        projected: delta_view(&l.projected),
        rows: figure_rows(columns, &l.revised, [&l.planned, &l.actual, &l.projected]),
        changed: l.changed(),
        moved_percent: l.moved_percent_display.clone(),
        beyond_tolerance: l.beyond_tolerance,
    }
}

/// The total's projection in words, amounts written by `money`: `rose by £12,000, from
/// £3,270,000 to £3,282,000`.
pub(super) fn projection_words(d: &Delta, money: fn(Decimal) -> String) -> Option<String> {
    let (before, now, change) = (d.before?, d.now?, d.change?);
    let (a, b) = (money(before), money(now));
    Some(if change > Decimal::ZERO {
        format!("rose by {}, from {a} to {b}", money(change))
    } else if change < Decimal::ZERO {
        format!("fell by {}, from {a} to {b}", money(change.abs()))
    } else {
        format!("is unchanged at {b}")
    })
}

pub(super) fn changes_view(cx: &Lookups<'_>, c: &BudgetChanges, anchor: &str) -> BudgetChangesView {
    let any = |f: fn(&LineChange) -> &Delta| {
        c.lines
            .iter()
            .map(f)
            .any(|d| d.before.is_some() || d.now.is_some())
    };
    let e = &c.expenditure;
    let columns = ChangeColumns {
        revised: any(|l| &l.revised),
        planned: any(|l| &l.planned),
        actual: any(|l| &l.actual),
        projected: any(|l| &l.projected),
    };
    BudgetChangesView {
        previous_period: c.previous_period.to_string(),
        previous_url: cx.report_url(c.previous_doc).map(str::to_string),
        lines: (c.lines.iter())
            .map(|l| line_view(anchor, &columns, l))
            .collect(),
        total_rows: figure_rows(&columns, &e.revised, [&e.planned, &e.actual, &e.projected]),
        columns,
        added: refs(&c.added),
        removed: refs(&c.removed),
        revised: delta_view(&e.revised),
        planned: delta_view(&e.planned),
        actual: delta_view(&e.actual),
        projected: delta_view(&e.projected),
        projections_moved: c.projections_moved,
        beyond_tolerance: c.beyond_tolerance,
        tolerance: cx.loaded.config.tolerances.amber,
        projection_text: projection_words(&e.projected, format::pounds)
            .map(|w| format!("The projected outturn for total expenditure {w}.")),
    }
}

/// The line changes as a table to download.
pub(super) fn changes_sheet(b: &Budget, c: &BudgetChanges) -> Sheet {
    let mut t = Sheet::new(
        "changes",
        format!("{}: changes since {}", b.title, c.previous_period),
        &[
            ("line_id", "Line ID"),
            ("line", "Budget line"),
            ("previous_period", "Compared with"),
            ("approved_before", "Approved budget then"),
            ("approved_now", "Approved budget now"),
            ("revised_before", "Revised budget then"),
            ("revised_now", "Revised budget now"),
            ("planned_before", "Planned to date then"),
            ("planned_now", "Planned to date now"),
            ("planned_change", "Change in planned to date"),
            ("actual_before", "Actual to date then"),
            ("actual_now", "Actual to date now"),
            ("actual_change", "Change in actual to date"),
            ("projected_before", "Projected outturn then"),
            ("projected_now", "Projected outturn now"),
            ("projected_change", "Change in projected outturn"),
            ("moved_percent", "Projection's move as % of budget"),
            ("beyond_tolerance", "Projection moved beyond tolerance"),
        ],
    );
    for l in &c.lines {
        t.push(vec![
            Cell::text(l.id.clone()),
            Cell::text(l.title.clone()),
            Cell::text(c.previous_period.to_string()),
            Cell::money(l.approved.before),
            Cell::money(l.approved.now),
            Cell::money(l.revised.before),
            Cell::money(l.revised.now),
            Cell::money(l.planned.before),
            Cell::money(l.planned.now),
            Cell::money(l.planned.change),
            Cell::money(l.actual.before),
            Cell::money(l.actual.now),
            Cell::money(l.actual.change),
            Cell::money(l.projected.before),
            Cell::money(l.projected.now),
            Cell::money(l.projected.change),
            Cell::number(l.moved_percent),
            Cell::Bool(l.beyond_tolerance),
        ]);
    }
    t
}
