//! A set of performance indicators' summary: each indicator against its target, and the
//! shares by status.

use rust_decimal::Decimal;
use serde::Serialize;

use super::indicator_changes::{
    ComparisonView, IndicatorChangesView, changes_sheet, changes_view, comparison_view,
};
use super::shared::{FindingView, findings_for};
use super::{Downloads, Lookups};
use crate::aggregate::{IndicatorSetSummary, Trend, format};
use crate::content::{Document, IndicatorSet};
use crate::read::words::{DirectionAgainst, IndicatorStatus, StatedDirection, Unit};
use crate::render::download::{Cell, Sheet};

#[derive(Serialize)]
pub(super) struct IndicatorView {
    pub(super) id: String,
    /// The status the data supports: a status key.
    pub(super) status: IndicatorStatus,
    pub(super) stated_status: Option<IndicatorStatus>,
    pub(super) contradicts: bool,
    pub(super) target: Option<Decimal>,
    /// The quarter `target` is for, where the year's target is split into quarters.
    pub(super) target_quarter: Option<String>,
    pub(super) year_target: Option<Decimal>,
    pub(super) baseline_year: bool,
    /// What the direction of travel compares with: `previous-actual`, `previous-period` or
    /// `same-period-last-year`.
    pub(super) against: String,
    /// Against that figure, polarity applied: `better`, `worse`, `same` or `none`.
    pub(super) direction: &'static str,
    pub(super) arrow: &'static str,
    pub(super) direction_text: String,
    /// Against the previous period's figure and the same quarter last year's.
    pub(super) previous_period: Option<ComparisonView>,
    pub(super) year_ago: Option<ComparisonView>,
}

#[derive(Serialize)]
pub(super) struct StatusShare {
    pub(super) key: String,
    pub(super) label: String,
    pub(super) count: usize,
    pub(super) percent: Decimal,
}

#[derive(Serialize)]
pub(super) struct IndicatorsView {
    /// One per `report.data.indicators`, in order.
    pub(super) indicators: Vec<IndicatorView>,
    pub(super) total: usize,
    /// Indicators by computed status, with their share of the total.
    pub(super) by_status: Vec<StatusShare>,
    pub(super) contradictions: usize,
    /// What changed since earlier periods; none when there is nothing to compare with.
    pub(super) changes: Option<IndicatorChangesView>,
    pub(super) findings: Vec<FindingView>,
    pub(super) downloads: Downloads,
}

pub(super) fn value_with_unit(v: Decimal, unit: Unit) -> String {
    let v = v.normalize();
    match unit {
        Unit::Percent => format!("{v}%"),
        Unit::Days => format!("{v} days"),
        Unit::Number => v.to_string(),
        Unit::Money => money_text(v),
    }
}

/// An amount of money as the site prints every amount: whole pounds, rounded half-up, never
/// through floating point.
pub(super) fn money_text(v: Decimal) -> String {
    format::pounds(v)
}

pub(super) fn share_of(count: usize, total: usize) -> Decimal {
    if total == 0 {
        Decimal::ZERO
    } else {
        format::round_half_up(Decimal::from(count) * Decimal::ONE_HUNDRED / Decimal::from(total))
    }
}

pub(super) fn indicators_view(
    cx: &Lookups<'_>,
    doc: &Document,
    set: &IndicatorSet,
    s: &IndicatorSetSummary,
    url: &str,
) -> IndicatorsView {
    let mut t = Sheet::new(
        "indicators",
        format!("{}, {}", set.title, set.period),
        &[
            ("id", "Indicator ID"),
            ("code", "Code"),
            ("title", "Indicator"),
            ("section", "Section"),
            ("group", "Group"),
            ("responsible", "Responsible officer"),
            ("unit", "Unit"),
            ("better", "Better when"),
            ("previous_year", "Previous year"),
            ("previous", "Previous actual"),
            ("national_average", "National average"),
            ("target", "Target this year"),
            ("actual", "Actual"),
            ("status", "Status (computed)"),
            ("stated_status", "Status (as stated)"),
            ("contradicts", "Stated status contradicts the data"),
            ("direction", "Direction of travel"),
        ],
    );
    let mut views = Vec::new();
    for (i, x) in set.indicators.iter().zip(&s.indicators) {
        let prev = i.previous.as_ref();
        // Where no figure gives a direction, the paper's own words do, and the page says so.
        let stated = (x.direction == Trend::None)
            .then_some(i.stated_direction)
            .flatten();
        let shown = match stated {
            Some(StatedDirection::Better) => Trend::Up,
            Some(StatedDirection::Worse) => Trend::Down,
            Some(StatedDirection::Same) => Trend::Same,
            None => x.direction,
        };
        let (direction, arrow) = match shown {
            Trend::Up => ("better", "↑"),
            Trend::Down => ("worse", "↓"),
            Trend::Same => ("same", "→"),
            Trend::None => ("none", ""),
        };
        let prev_text = prev.and_then(|p| {
            p.value.map(|v| {
                let year = p.year.map(|y| format!(" in {y}")).unwrap_or_default();
                format!("{}{year}", value_with_unit(v, i.unit))
            })
        });
        let previous_period = (x.previous_period.as_ref()).map(|c| comparison_view(cx, i, c, ""));
        let year_ago = (x.year_ago.as_ref())
            .map(|c| comparison_view(cx, i, c, ", the same quarter last year"));
        let direction_text = match x.direction_against {
            DirectionAgainst::PreviousActual => match (x.direction, prev_text) {
                (Trend::Up, Some(p)) => format!("Better than {p}"),
                (Trend::Down, Some(p)) => format!("Worse than {p}"),
                (Trend::Same, Some(p)) => format!("Same as {p}"),
                _ => "No earlier figure to compare".to_string(),
            },
            DirectionAgainst::PreviousPeriod => previous_period.as_ref().map_or_else(
                || "No previous period to compare".to_string(),
                |c| c.text.clone(),
            ),
            DirectionAgainst::SamePeriodLastYear => year_ago.as_ref().map_or_else(
                || "No figure for the same quarter last year".to_string(),
                |c| c.text.clone(),
            ),
        };
        let direction_text = match stated {
            Some(d) => format!(
                "{} {}, as the report states; it gives no figure",
                match d {
                    StatedDirection::Better => "Better than",
                    StatedDirection::Worse => "Worse than",
                    StatedDirection::Same => "The same as",
                },
                match x.direction_against {
                    DirectionAgainst::PreviousActual => "the previous actual",
                    DirectionAgainst::PreviousPeriod => "the previous period",
                    DirectionAgainst::SamePeriodLastYear => "the same quarter last year",
                }
            ),
            None => direction_text,
        };
        t.push(vec![
            Cell::text(i.id.clone()),
            Cell::opt_text(i.code.clone()),
            Cell::text(i.title.clone()),
            Cell::opt_text(i.section.clone()),
            Cell::opt_text(i.group.clone()),
            Cell::opt_text(i.responsible.clone()),
            Cell::text(i.unit.label()),
            Cell::text(i.polarity.label()),
            Cell::opt_text(prev.and_then(|p| p.year).map(|y| y.to_string())),
            Cell::number(prev.and_then(|p| p.value)),
            Cell::number(i.national_average.as_ref().and_then(|n| n.value)),
            Cell::number(x.target),
            Cell::number(i.actual),
            Cell::text(x.status.label()),
            Cell::opt_text(x.stated_status.map(|s| s.label())),
            Cell::Bool(x.contradicts),
            Cell::text(direction),
        ]);
        views.push(IndicatorView {
            id: x.id.clone(),
            status: x.status,
            stated_status: x.stated_status,
            contradicts: x.contradicts,
            target: x.target,
            target_quarter: x.target_quarter.map(|q| q.to_string()),
            year_target: x.year_target,
            baseline_year: x.baseline_year,
            against: x.direction_against.key(),
            direction,
            arrow,
            direction_text,
            previous_period,
            year_ago,
        });
    }
    let total = views.len();
    let mut downloads = Downloads::new();
    downloads.insert("indicators", cx.download(&t, url));
    if let Some(c) = changes_sheet(set, s) {
        downloads.insert("changes", cx.download(&c, url));
    }
    IndicatorsView {
        contradictions: views.iter().filter(|v| v.contradicts).count(),
        indicators: views,
        total,
        by_status: s
            .by_status
            .iter()
            .map(|c| StatusShare {
                key: c.key.clone(),
                label: c.label.clone(),
                count: c.count,
                percent: share_of(c.count, total),
            })
            .collect(),
        changes: s.changes.as_ref().map(|c| changes_view(cx, set, c)),
        findings: findings_for(cx.loaded, doc),
        downloads,
    }
}

/// Indicators grouped by section and group, in the order they are written, with each row's
/// targets lined up under the set's target years.
#[derive(Serialize)]
pub(crate) struct IndicatorsLayout {
    /// Every year any indicator has a target for, in order: the target columns.
    pub(crate) target_years: Vec<String>,
    pub(crate) sections: Vec<IndicatorSection>,
}

#[derive(Serialize)]
pub(crate) struct IndicatorSection {
    pub(crate) title: Option<String>,
    pub(crate) groups: Vec<IndicatorGroup>,
}

#[derive(Serialize)]
pub(crate) struct IndicatorGroup {
    pub(crate) title: Option<String>,
    pub(crate) rows: Vec<IndicatorRow>,
}

#[derive(Serialize)]
pub(crate) struct IndicatorRow {
    /// Index into `report.data.indicators`.
    pub(crate) index: usize,
    /// One entry per target year: the target, or `none`.
    pub(crate) targets: Vec<Option<TargetCell>>,
}

#[derive(Serialize)]
pub(crate) struct TargetCell {
    pub(crate) value: Option<rust_decimal::Decimal>,
    pub(crate) baseline: bool,
    /// The year's target split into quarters, Q1 to Q4.
    pub(crate) quarters: Option<[rust_decimal::Decimal; 4]>,
}

pub(crate) fn indicators_layout(s: &IndicatorSet) -> IndicatorsLayout {
    let mut years: Vec<crate::read::period::Period> = s
        .indicators
        .iter()
        .flat_map(|i| i.targets.iter().map(|t| t.year))
        .collect();
    years.sort();
    years.dedup();
    let mut sections: Vec<IndicatorSection> = Vec::new();
    for (index, ind) in s.indicators.iter().enumerate() {
        if sections.last().is_none_or(|sec| sec.title != ind.section) {
            sections.push(IndicatorSection {
                title: ind.section.clone(),
                groups: Vec::new(),
            });
        }
        let sec = sections.last_mut().expect("pushed above");
        if sec.groups.last().is_none_or(|g| g.title != ind.group) {
            sec.groups.push(IndicatorGroup {
                title: ind.group.clone(),
                rows: Vec::new(),
            });
        }
        let targets = years
            .iter()
            .map(|y| {
                ind.targets
                    .iter()
                    .find(|t| t.year == *y)
                    .map(|t| TargetCell {
                        value: t.value,
                        baseline: t.baseline,
                        quarters: t.quarters,
                    })
            })
            .collect();
        sec.groups
            .last_mut()
            .expect("pushed above")
            .rows
            .push(IndicatorRow { index, targets });
    }
    IndicatorsLayout {
        target_years: years.iter().map(ToString::to_string).collect(),
        sections,
    }
}
