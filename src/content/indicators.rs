//! Performance indicators: measures, targets and actuals, in the form of the Wigan seed's table 3.

use std::ops::Range;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::content::exempt::{self, Exempt, Withheld};
use crate::diagnostic::Problem;
use crate::read::period::Period;
use crate::read::reader::{Cx, Table};
use crate::read::words::{DirectionAgainst, IndicatorStatus, Polarity, StatedDirection, Unit};

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorSet {
    pub title: String,
    pub period: Period,
    /// What every indicator's direction of travel compares with, unless it says otherwise.
    pub direction_against: Option<DirectionAgainst>,
    pub indicators: Vec<Indicator>,
    /// In the public copy: the exempt indicators taken out.
    pub withheld: Vec<Withheld>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    pub id: String,
    #[serde(skip)]
    pub span: Range<usize>,
    pub section: Option<String>,
    pub group: Option<String>,
    pub code: Option<String>,
    pub title: String,
    pub responsible: Option<String>,
    pub unit: Unit,
    pub polarity: Polarity,
    pub previous: Option<Observation>,
    /// Earlier figures this report gives itself, such as the same quarter last year's.
    pub history: Vec<HistoryPoint>,
    pub national_average: Option<Observation>,
    pub targets: Vec<Target>,
    pub actual: Option<Decimal>,
    pub actual_caveat: Option<String>,
    pub comment: Option<String>,
    pub stated_status: Option<IndicatorStatus>,
    pub improvement_plan: bool,
    /// What this indicator's direction of travel compares with, over the set's choice.
    pub direction_against: Option<DirectionAgainst>,
    #[serde(skip)]
    pub stated_status_span: Range<usize>,
    pub exempt: Option<Exempt>,
    /// The direction of travel as the paper states it in words, against what
    /// `direction_against` names: shown where no figure gives one, checked where one does.
    pub stated_direction: Option<StatedDirection>,
    #[serde(skip)]
    pub stated_direction_span: Range<usize>,
}

/// An earlier period's figure, as this report states it.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryPoint {
    pub period: Period,
    pub value: Decimal,
    pub caveat: Option<String>,
}

/// A figure for a named year: a previous actual or a national average.
#[derive(Debug, Clone, Serialize)]
pub struct Observation {
    pub year: Option<Period>,
    pub value: Option<Decimal>,
    pub caveat: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub year: Period,
    pub value: Option<Decimal>,
    pub baseline: bool,
    /// The year's target split into quarters, Q1 to Q4: a quarter's report is measured
    /// against its own quarter's target.
    pub quarters: Option<[Decimal; 4]>,
}

impl IndicatorSet {
    pub fn read(t: &mut Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let title = t.req_text(cx, "title");
        let period = t.req_period(cx, "period");
        let direction_against = t.word(cx, "direction_against");
        if !t.has("indicators") {
            t.req_text(cx, "indicators");
        }
        let indicators = t
            .tables(cx, "indicators")
            .into_iter()
            .filter_map(|i| Indicator::read(i, cx, period))
            .collect();
        Some(IndicatorSet {
            title: title?,
            period: period?,
            direction_against,
            indicators,
            withheld: Vec::new(),
        })
    }

    /// An exempt report as the public copy keeps it: its period and a title.
    pub fn stub(period: Period, title: String) -> IndicatorSet {
        IndicatorSet {
            title,
            period,
            direction_against: None,
            indicators: Vec::new(),
            withheld: Vec::new(),
        }
    }
}

fn observation(
    t: &mut Table<'_, '_>,
    cx: &mut Cx<'_>,
    key: &'static str,
    year_key: &'static str,
) -> Option<Observation> {
    let mut o = t.table(cx, key)?;
    let year = o.period(cx, year_key);
    let value = o.decimal(cx, "value");
    let caveat = o.text(cx, "caveat");
    o.finish(cx);
    Some(Observation {
        year,
        value,
        caveat,
    })
}

impl Indicator {
    fn read(mut t: Table<'_, '_>, cx: &mut Cx<'_>, period: Option<Period>) -> Option<Self> {
        let id = t.req_id(cx, "id");
        let section = t.text(cx, "section");
        let group = t.text(cx, "group");
        let code = t.text(cx, "code");
        let title = t.req_text(cx, "title");
        let responsible = t.text(cx, "responsible");
        let unit = t.word(cx, "unit").unwrap_or(Unit::Percent);
        let polarity = t.word(cx, "polarity").unwrap_or(Polarity::Higher);
        let previous = observation(&mut t, cx, "previous", "year");
        let national_average = observation(&mut t, cx, "national_average", "period");
        let targets = read_targets(&mut t, cx);
        let history = read_history(&mut t, cx, period, previous.as_ref());
        let actual = t.decimal(cx, "actual");
        let actual_caveat = t.text(cx, "actual_caveat");
        let comment = t.text(cx, "comment");
        let stated_status_span = t
            .get("stated_status")
            .map(|v| cx.abs(v.span()))
            .unwrap_or(0..0);
        let stated_status = t.word(cx, "stated_status");
        let improvement_plan = t.boolean(cx, "improvement_plan").unwrap_or(false);
        let direction_against = t.word(cx, "direction_against");
        let exempt = exempt::read(&mut t, cx);
        let stated_direction_span = t
            .get("stated_direction")
            .map(|v| cx.abs(v.span()))
            .unwrap_or(0..0);
        let stated_direction = t.word(cx, "stated_direction");
        t.finish(cx);
        let id = id?;
        Some(Indicator {
            id: id.value,
            span: id.span,
            section,
            group,
            code,
            title: title?,
            responsible,
            unit,
            polarity,
            previous,
            history,
            national_average,
            targets,
            actual,
            actual_caveat,
            comment,
            stated_status,
            improvement_plan,
            direction_against,
            stated_status_span,
            exempt,
            stated_direction,
            stated_direction_span,
        })
    }

    /// The target for a year, if one is set.
    pub fn target_for(&self, year: Period) -> Option<&Target> {
        self.targets.iter().find(|t| t.year == year.year_of())
    }

    /// The figure this report itself gives for an earlier period: its `previous` actual where
    /// that names the period, else its `history`.
    pub fn stated_figure(&self, period: Period) -> Option<(Decimal, Option<&str>)> {
        let previous = (self.previous.as_ref())
            .filter(|p| p.year == Some(period))
            .and_then(|p| p.value.map(|v| (v, p.caveat.as_deref())));
        previous.or_else(|| {
            (self.history.iter())
                .find(|h| h.period == period)
                .map(|h| (h.value, h.caveat.as_deref()))
        })
    }
}

/// `targets`: each for a whole year, once, and split into four quarters where `quarters` is
/// given. What cannot be right is an error at the value that makes it so.
fn read_targets(t: &mut Table<'_, '_>, cx: &mut Cx<'_>) -> Vec<Target> {
    let mut seen: Vec<Period> = Vec::new();
    let mut out = Vec::new();
    for mut g in t.tables(cx, "targets") {
        let year_span = g.get("year").map(|v| v.span());
        let year = g.req_period(cx, "year");
        let value = g.decimal(cx, "value");
        let baseline = g.boolean(cx, "baseline").unwrap_or(false);
        let quarters_span = g.get("quarters").map(|v| v.span());
        let items = g.array(cx, "quarters");
        let values: Vec<Option<Decimal>> = items
            .iter()
            .map(|(v, path)| crate::read::reader::read_decimal(cx, v, path))
            .collect();
        g.finish(cx);
        let Some(year) = year else { continue };
        let year_span = year_span.unwrap_or(0..0);
        if year.quarter.is_some() {
            cx.report_labelled(
                Problem::InvalidTarget {
                    reason: format!(
                        "`year` is {year}, a quarter; a target is for a whole year, such as \"{}\", split into quarters with `quarters`",
                        year.year_of()
                    ),
                },
                year_span,
                "expected a whole year".into(),
            );
            continue;
        }
        if seen.contains(&year) {
            cx.report_labelled(
                Problem::InvalidTarget {
                    reason: format!("two targets for {year}"),
                },
                year_span,
                "a second target for this year".into(),
            );
            continue;
        }
        seen.push(year);
        let mut quarters = None;
        if let Some(span) = quarters_span {
            if baseline {
                cx.report_labelled(
                    Problem::InvalidTarget {
                        reason: format!(
                            "{year} is a baseline year, which has no target to split into quarters"
                        ),
                    },
                    span,
                    "a baseline year has no quarterly targets".into(),
                );
            } else if values.len() != 4 {
                cx.report_labelled(
                    Problem::InvalidTarget {
                        reason: format!(
                            "the {year} target is split into {} {}; it needs 4, one for each of Q1 to Q4",
                            values.len(),
                            if values.len() == 1 { "quarter" } else { "quarters" }
                        ),
                    },
                    span,
                    "expected 4 quarterly targets".into(),
                );
            } else if let [Some(a), Some(b), Some(c), Some(d)] = values[..] {
                quarters = Some([a, b, c, d]);
            }
        }
        out.push(Target {
            year,
            value,
            baseline,
            quarters,
        });
    }
    out
}

/// `history`: earlier figures, each for a period before the report's own and given once,
/// counting the period `previous` names.
fn read_history(
    t: &mut Table<'_, '_>,
    cx: &mut Cx<'_>,
    period: Option<Period>,
    previous: Option<&Observation>,
) -> Vec<HistoryPoint> {
    let mut out: Vec<HistoryPoint> = Vec::new();
    for mut h in t.tables(cx, "history") {
        let span = h.get("period").map(|v| v.span()).unwrap_or(0..0);
        let at = h.req_period(cx, "period");
        let value = h.req_decimal(cx, "value");
        let caveat = h.text(cx, "caveat");
        h.finish(cx);
        let (Some(at), Some(value)) = (at, value) else {
            continue;
        };
        let problem = if period.is_some_and(|p| at >= p) {
            Some((
                format!(
                    "{at} is not before this report's period, {}",
                    period.map(|p| p.to_string()).unwrap_or_default()
                ),
                "expected an earlier period",
            ))
        } else if out.iter().any(|x| x.period == at) {
            Some((
                format!("two figures for {at}"),
                "a second figure for this period",
            ))
        } else if previous.is_some_and(|p| p.year == Some(at) && p.value.is_some()) {
            Some((
                format!("`previous` already gives the figure for {at}"),
                "a second figure for this period",
            ))
        } else {
            None
        };
        if let Some((reason, label)) = problem {
            cx.report_labelled(Problem::InvalidHistory { reason }, span, label.into());
            continue;
        }
        out.push(HistoryPoint {
            period: at,
            value,
            caveat,
        });
    }
    out
}
