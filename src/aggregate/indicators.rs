//! Indicator status from actual, target (the quarter's, where the year's is split) and
//! polarity, and direction of travel.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::aggregate::indicator_changes::{Comparison, IndicatorChanges};
use crate::aggregate::{Count, Trend, finding};
use crate::content::Document;
use crate::content::indicators::{Indicator, IndicatorSet};
use crate::diagnostic::{Diagnostic, FindingKind};
use crate::read::period::Period;
use crate::read::words::{DirectionAgainst, IndicatorStatus, Polarity};

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorSummary {
    pub id: String,
    /// The target the status is measured against: the quarter's where the year's target is
    /// split into quarters, else the year's.
    pub target: Option<Decimal>,
    /// The quarter `target` is for, when it is a quarterly target.
    pub target_quarter: Option<Period>,
    /// The whole year's target, beside a quarterly one.
    pub year_target: Option<Decimal>,
    pub baseline_year: bool,
    pub status: IndicatorStatus,
    pub stated_status: Option<IndicatorStatus>,
    pub contradicts: bool,
    /// What the direction of travel compares with.
    pub direction_against: DirectionAgainst,
    /// Better or worse than the figure `direction_against` names, taking polarity into
    /// account: `Up` is better.
    pub direction: Trend,
    /// Against the previous period's figure, where there is one to compare with.
    pub previous_period: Option<Comparison>,
    /// Against the same quarter a year earlier.
    pub year_ago: Option<Comparison>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorSetSummary {
    pub doc: usize,
    pub period: Period,
    pub indicators: Vec<IndicatorSummary>,
    pub by_status: Vec<Count>,
    /// What changed since earlier periods; none when there is nothing to compare with.
    pub changes: Option<IndicatorChanges>,
}

/// The target an indicator is measured against in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodTarget {
    pub value: Option<Decimal>,
    pub baseline: bool,
    /// The quarter, when `value` is the quarter's share of a split year target.
    pub quarter: Option<Period>,
    /// The whole year's target.
    pub year_value: Option<Decimal>,
}

/// The target for `period`: a quarter's own where its year's target is split into quarters,
/// else the year's.
pub fn target_in(i: &Indicator, period: Period) -> Option<PeriodTarget> {
    let t = i.target_for(period)?;
    let year_value = t.value.filter(|_| !t.baseline);
    let quarterly = match (period.quarter, t.quarters) {
        (Some(q), Some(qs)) if !t.baseline => qs.get(usize::from(q) - 1).copied(),
        _ => None,
    };
    Some(PeriodTarget {
        value: quarterly.or(year_value),
        baseline: t.baseline,
        quarter: quarterly.map(|_| period),
        year_value,
    })
}

/// The status the data supports, with the target it was measured against.
pub fn status(i: &Indicator, period: Period) -> (IndicatorStatus, Option<PeriodTarget>) {
    let target = target_in(i, period);
    let value = target.and_then(|t| t.value);
    let status = match (i.actual, value) {
        (Some(a), Some(t)) => {
            let met = match i.polarity {
                Polarity::Higher => a >= t,
                Polarity::Lower => a <= t,
            };
            if met {
                IndicatorStatus::OnTrack
            } else if i.improvement_plan {
                IndicatorStatus::OffTargetImproving
            } else {
                IndicatorStatus::OffTarget
            }
        }
        _ => IndicatorStatus::NoData,
    };
    (status, target)
}

/// Better (`Up`) or worse (`Down`) than an earlier figure, polarity applied.
pub fn better(polarity: Polarity, before: Option<Decimal>, now: Option<Decimal>) -> Trend {
    let t = Trend::between(before, now);
    match polarity {
        Polarity::Higher => t,
        Polarity::Lower => t.reversed(),
    }
}

/// Direction of travel against the previous actual the indicator gives.
pub fn direction(i: &Indicator) -> Trend {
    better(
        i.polarity,
        i.previous.as_ref().and_then(|p| p.value),
        i.actual,
    )
}

/// What an indicator's direction of travel compares with: its own choice, else its set's,
/// else its previous actual.
pub fn direction_against(set: &IndicatorSet, i: &Indicator) -> DirectionAgainst {
    (i.direction_against)
        .or(set.direction_against)
        .unwrap_or(DirectionAgainst::PreviousActual)
}

pub fn summarise(
    doc_index: usize,
    doc: &Document,
    set: &IndicatorSet,
    findings: &mut Vec<Diagnostic>,
) -> IndicatorSetSummary {
    let mut out = Vec::with_capacity(set.indicators.len());
    for i in &set.indicators {
        let (st, t) = status(i, set.period);
        let target = t.and_then(|t| t.value);
        let contradicts =
            matches!(i.stated_status, Some(s) if s != st && st != IndicatorStatus::NoData);
        if contradicts {
            let name = i
                .code
                .as_deref()
                .map_or_else(|| i.title.clone(), |c| format!("{c} {}", i.title));
            let actual = i.actual.map(|a| a.to_string()).unwrap_or_default();
            let target = match (target, t.and_then(|t| t.quarter)) {
                (Some(v), Some(q)) => format!("{v} for {q}"),
                (v, _) => v.map(|v| v.to_string()).unwrap_or_default(),
            };
            let better = match i.polarity {
                Polarity::Higher => "higher",
                Polarity::Lower => "lower",
            };
            findings.push(finding(
                doc,
                i.stated_status_span.clone(),
                FindingKind::StatusContradictsData,
                format!(
                    "{name} is marked {} but its actual {actual} against a target of {target} ({better} is better) is {}",
                    i.stated_status.map(|s| s.label()).unwrap_or_default(),
                    st.label().to_lowercase()
                ),
            ));
        }
        let against = direction_against(set, i);
        out.push(IndicatorSummary {
            id: i.id.clone(),
            target,
            target_quarter: t.and_then(|t| t.quarter),
            year_target: t.and_then(|t| t.year_value),
            baseline_year: t.is_some_and(|t| t.baseline),
            status: st,
            stated_status: i.stated_status,
            contradicts,
            direction_against: against,
            // Comparisons with other periods are filled in once every set is summarised.
            direction: match against {
                DirectionAgainst::PreviousActual => direction(i),
                _ => Trend::None,
            },
            previous_period: None,
            year_ago: None,
        });
    }
    let by_status = IndicatorStatus::ALL
        .iter()
        .map(|s| Count {
            key: s.key(),
            label: s.label(),
            count: out.iter().filter(|i| i.status == *s).count(),
        })
        .collect();
    IndicatorSetSummary {
        doc: doc_index,
        period: set.period,
        indicators: out,
        by_status,
        changes: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::testing::run;

    #[test]
    fn a_quarter_is_measured_against_its_own_share_of_a_split_year_target() {
        let one = |period: &str, actual: &str| {
            format!(
                "kind = \"indicators\"\ntitle = \"t\"\nperiod = \"{period}\"\n[[indicators]]\nid = \"x\"\ntitle = \"x\"\ntargets = [{{ year = \"2009/10\", value = 40, quarters = [36, 38, 40, 42] }}]\nactual = {actual}\n"
            )
        };
        let (agg, _) = run(&[&one("2009/10 Q2", "39"), &one("2009/10", "39")]);
        let q2 = &agg.indicators[0].indicators[0];
        assert_eq!(q2.target, Some(Decimal::from(38)));
        assert_eq!(
            q2.target_quarter.map(|p| p.to_string()).as_deref(),
            Some("2009/10 Q2")
        );
        assert_eq!(q2.year_target, Some(Decimal::from(40)));
        assert_eq!(q2.status, IndicatorStatus::OnTrack);
        // The whole year is measured against the year's own target.
        let year = &agg.indicators[1].indicators[0];
        assert_eq!(
            (year.target, year.target_quarter),
            (Some(Decimal::from(40)), None)
        );
        assert_eq!(year.status, IndicatorStatus::OffTarget);
    }

    #[test]
    fn a_year_target_alone_applies_to_every_quarter() {
        let (agg, _) = run(&[
            "kind = \"indicators\"\ntitle = \"t\"\nperiod = \"2009/10 Q3\"\n[[indicators]]\nid = \"x\"\ntitle = \"x\"\npolarity = \"lower\"\ntargets = [{ year = \"2009/10\", value = 19 }]\nactual = 25.6\nstated_status = \"on track\"\n",
        ]);
        let x = &agg.indicators[0].indicators[0];
        assert_eq!(
            (x.target, x.target_quarter),
            (Some(Decimal::from(19)), None)
        );
        assert_eq!(x.status, IndicatorStatus::OffTarget);
        assert!(x.contradicts);
        // The finding's wording is unchanged where there is no quarterly target.
        assert!(
            agg.findings[0]
                .problem
                .to_string()
                .contains("against a target of 19 (")
        );
    }
}
