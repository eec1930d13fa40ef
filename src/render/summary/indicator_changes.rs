//! A set of indicators against earlier periods, laid out for its page: each indicator's
//! actual beside the previous period's and the same quarter last year's, in words.

use rust_decimal::Decimal;
use serde::Serialize;

use super::Lookups;
use super::indicators::value_with_unit;
use crate::aggregate::indicator_changes::{Comparison, IndicatorChanges, Source};
use crate::aggregate::{IndicatorSetSummary, Trend};
use crate::content::IndicatorSet;
use crate::content::indicators::Indicator;
use crate::read::words::{IndicatorStatus, Unit};
use crate::render::download::{Cell, Sheet};

/// An indicator's actual against one earlier figure.
#[derive(Serialize)]
pub(super) struct ComparisonView {
    pub(super) period: String,
    pub(super) value: Option<Decimal>,
    pub(super) caveat: Option<String>,
    /// `better`, `worse`, `same` or `none`.
    pub(super) direction: &'static str,
    pub(super) arrow: &'static str,
    /// `Better`, `Worse`, `Same`, `Not comparable`.
    pub(super) judgement: &'static str,
    /// `up 2.3 points`, `down 4 days`, `no change`; none where either figure is missing.
    pub(super) change_text: Option<String>,
    /// `Better than 33.1% in 2009/10 Q1`, `No figure for 2009/10 Q1`.
    pub(super) text: String,
    /// `stated` (this report gives the figure) or `report` (that period's set gave it).
    pub(super) source: &'static str,
    /// The indicator's row in that period's report.
    pub(super) url: Option<String>,
}

/// An indicator named as a list shows it, with a link to its row on this page.
#[derive(Serialize)]
pub(super) struct Named {
    pub(super) id: String,
    pub(super) name: String,
}

#[derive(Serialize)]
pub(super) struct StatusChangeView {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) from: IndicatorStatus,
    pub(super) to: IndicatorStatus,
}

/// What changed in the set since earlier periods.
#[derive(Serialize)]
pub(super) struct IndicatorChangesView {
    pub(super) previous_period: Option<String>,
    /// The previous period's indicator report, where there is one.
    pub(super) previous_url: Option<String>,
    pub(super) year_ago: Option<String>,
    pub(super) year_ago_url: Option<String>,
    pub(super) improved: Vec<Named>,
    pub(super) worsened: Vec<Named>,
    pub(super) unchanged: usize,
    pub(super) better_than_year_ago: Vec<Named>,
    pub(super) worse_than_year_ago: Vec<Named>,
    pub(super) same_as_year_ago: usize,
    pub(super) status_changes: Vec<StatusChangeView>,
    pub(super) added: Vec<Named>,
    /// Dropped indicators are no longer on the page: named without a link.
    pub(super) dropped: Vec<Named>,
}

/// `NI 52i Take up of school lunches (primary)`.
pub(super) fn indicator_name(code: Option<&str>, title: &str) -> String {
    code.map_or_else(|| title.to_string(), |c| format!("{c} {title}"))
}

/// How far a figure moved, in words and the indicator's unit: percentages move by points.
fn change_text(change: Decimal, unit: Unit) -> String {
    let n = change.abs().normalize();
    let amount = match unit {
        Unit::Percent if n == Decimal::ONE => format!("{n} point"),
        Unit::Percent => format!("{n} points"),
        Unit::Days if n == Decimal::ONE => format!("{n} day"),
        Unit::Days => format!("{n} days"),
        Unit::Number => n.to_string(),
        Unit::Money => super::indicators::money_text(n),
    };
    if change > Decimal::ZERO {
        format!("up {amount}")
    } else if change < Decimal::ZERO {
        format!("down {amount}")
    } else {
        "no change".to_string()
    }
}

pub(super) fn comparison_view(
    cx: &Lookups<'_>,
    i: &Indicator,
    c: &Comparison,
    suffix: &str,
) -> ComparisonView {
    let (direction, arrow, judgement) = match c.direction {
        Trend::Up => ("better", "↑", "Better"),
        Trend::Down => ("worse", "↓", "Worse"),
        Trend::Same => ("same", "→", "Same"),
        Trend::None => ("none", "", "Not comparable"),
    };
    let figure = c
        .value
        .map(|v| format!("{} in {}{suffix}", value_with_unit(v, i.unit), c.period));
    let text = match (c.direction, figure) {
        (Trend::Up, Some(f)) => format!("Better than {f}"),
        (Trend::Down, Some(f)) => format!("Worse than {f}"),
        (Trend::Same, Some(f)) => format!("Same as {f}"),
        (_, Some(f)) => format!("No actual this period to compare with {f}"),
        (_, None) => format!("No figure for {}{suffix}", c.period),
    };
    let url = match c.source {
        Source::Report { doc } => cx.report_url(doc).map(|u| match cx.report_anchor(doc) {
            Some(a) => format!("{u}#{a}-{}", i.id),
            None => u.to_string(),
        }),
        Source::Stated => None,
    };
    ComparisonView {
        period: c.period.to_string(),
        value: c.value,
        caveat: c.caveat.clone(),
        direction,
        arrow,
        judgement,
        change_text: c.change.map(|d| change_text(d, i.unit)),
        text,
        source: match c.source {
            Source::Stated => "stated",
            Source::Report { .. } => "report",
        },
        url,
    }
}

pub(super) fn changes_view(
    cx: &Lookups<'_>,
    set: &IndicatorSet,
    c: &IndicatorChanges,
) -> IndicatorChangesView {
    let named = |ids: &[String]| -> Vec<Named> {
        ids.iter()
            .filter_map(|id| set.indicators.iter().find(|i| &i.id == id))
            .map(|i| Named {
                id: i.id.clone(),
                name: indicator_name(i.code.as_deref(), &i.title),
            })
            .collect()
    };
    IndicatorChangesView {
        previous_period: c.previous_period.map(|p| p.to_string()),
        previous_url: c
            .previous_doc
            .and_then(|d| cx.report_url(d))
            .map(str::to_string),
        year_ago: c.year_ago.map(|p| p.to_string()),
        year_ago_url: c
            .year_ago_doc
            .and_then(|d| cx.report_url(d))
            .map(str::to_string),
        improved: named(&c.improved),
        worsened: named(&c.worsened),
        unchanged: c.unchanged.len(),
        better_than_year_ago: named(&c.better_than_year_ago),
        worse_than_year_ago: named(&c.worse_than_year_ago),
        same_as_year_ago: c.same_as_year_ago.len(),
        status_changes: (c.status_changes.iter())
            .map(|s| StatusChangeView {
                name: (set.indicators.iter()).find(|i| i.id == s.id).map_or_else(
                    || s.id.clone(),
                    |i| indicator_name(i.code.as_deref(), &i.title),
                ),
                id: s.id.clone(),
                from: s.from,
                to: s.to,
            })
            .collect(),
        added: named(&c.added),
        dropped: (c.dropped.iter())
            .map(|d| Named {
                id: d.id.clone(),
                name: indicator_name(d.code.as_deref(), &d.title),
            })
            .collect(),
    }
}

/// The comparisons as a table to download, or none when the set has nothing to compare.
pub(super) fn changes_sheet(set: &IndicatorSet, s: &IndicatorSetSummary) -> Option<Sheet> {
    s.changes.as_ref()?;
    let mut t = Sheet::new(
        "changes",
        format!("{}: against earlier periods, {}", set.title, set.period),
        &[
            ("id", "Indicator ID"),
            ("code", "Code"),
            ("title", "Indicator"),
            ("actual", "Actual"),
            ("previous_period", "Previous period"),
            ("previous_value", "Previous period's figure"),
            ("previous_change", "Change since the previous period"),
            ("previous_direction", "Against the previous period"),
            ("year_ago", "Same period last year"),
            ("year_ago_value", "Same period last year's figure"),
            ("year_ago_change", "Change since the same period last year"),
            ("year_ago_direction", "Against the same period last year"),
        ],
    );
    let word = |c: &Comparison| match c.direction {
        Trend::Up => "better",
        Trend::Down => "worse",
        Trend::Same => "same",
        Trend::None => "not comparable",
    };
    for (i, x) in set.indicators.iter().zip(&s.indicators) {
        let p = x.previous_period.as_ref();
        let y = x.year_ago.as_ref();
        t.push(vec![
            Cell::text(i.id.clone()),
            Cell::opt_text(i.code.clone()),
            Cell::text(i.title.clone()),
            Cell::number(i.actual),
            Cell::opt_text(p.map(|c| c.period.to_string())),
            Cell::number(p.and_then(|c| c.value)),
            Cell::number(p.and_then(|c| c.change)),
            Cell::opt_text(p.map(word)),
            Cell::opt_text(y.map(|c| c.period.to_string())),
            Cell::number(y.and_then(|c| c.value)),
            Cell::number(y.and_then(|c| c.change)),
            Cell::opt_text(y.map(word)),
        ]);
    }
    Some(t)
}
