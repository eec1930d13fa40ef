//! Performance indicators: measures, targets and actuals, in the form of the Wigan seed's table 3.

use std::ops::Range;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::read::period::Period;
use crate::read::reader::{Cx, Table};
use crate::read::words::{IndicatorStatus, Polarity, Unit};

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorSet {
    pub title: String,
    pub period: Period,
    pub indicators: Vec<Indicator>,
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
    pub national_average: Option<Observation>,
    pub targets: Vec<Target>,
    pub actual: Option<Decimal>,
    pub actual_caveat: Option<String>,
    pub comment: Option<String>,
    pub stated_status: Option<IndicatorStatus>,
    pub improvement_plan: bool,
    #[serde(skip)]
    pub stated_status_span: Range<usize>,
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
}

impl IndicatorSet {
    pub fn read(t: &mut Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let title = t.req_text(cx, "title");
        let period = t.req_period(cx, "period");
        if !t.has("indicators") {
            t.req_text(cx, "indicators");
        }
        let indicators = t
            .tables(cx, "indicators")
            .into_iter()
            .filter_map(|i| Indicator::read(i, cx))
            .collect();
        Some(IndicatorSet {
            title: title?,
            period: period?,
            indicators,
        })
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
    fn read(mut t: Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
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
        let targets = t
            .tables(cx, "targets")
            .into_iter()
            .filter_map(|mut g| {
                let year = g.req_period(cx, "year");
                let value = g.decimal(cx, "value");
                let baseline = g.boolean(cx, "baseline").unwrap_or(false);
                g.finish(cx);
                Some(Target {
                    year: year?,
                    value,
                    baseline,
                })
            })
            .collect();
        let actual = t.decimal(cx, "actual");
        let actual_caveat = t.text(cx, "actual_caveat");
        let comment = t.text(cx, "comment");
        let stated_status_span = t
            .get("stated_status")
            .map(|v| cx.abs(v.span()))
            .unwrap_or(0..0);
        let stated_status = t.word(cx, "stated_status");
        let improvement_plan = t.boolean(cx, "improvement_plan").unwrap_or(false);
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
            national_average,
            targets,
            actual,
            actual_caveat,
            comment,
            stated_status,
            improvement_plan,
            stated_status_span,
        })
    }

    /// The target for a year, if one is set.
    pub fn target_for(&self, year: Period) -> Option<&Target> {
        self.targets.iter().find(|t| t.year == year.year_of())
    }
}
