//! Indicator status from actual, target and polarity, and direction of travel.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::aggregate::{Count, Trend, finding};
use crate::content::Document;
use crate::content::indicators::{Indicator, IndicatorSet};
use crate::diagnostic::{Diagnostic, FindingKind};
use crate::read::words::{IndicatorStatus, Polarity};

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorSummary {
    pub id: String,
    pub target: Option<Decimal>,
    pub baseline_year: bool,
    pub status: IndicatorStatus,
    pub stated_status: Option<IndicatorStatus>,
    pub contradicts: bool,
    /// Better or worse than the previous year's actual, taking polarity into account.
    pub direction: Trend,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorSetSummary {
    pub doc: usize,
    pub indicators: Vec<IndicatorSummary>,
    pub by_status: Vec<Count>,
}

/// The status the data supports.
pub fn status(
    i: &Indicator,
    period: crate::read::period::Period,
) -> (IndicatorStatus, Option<Decimal>, bool) {
    let target = i.target_for(period);
    let baseline = target.is_some_and(|t| t.baseline);
    let value = target.filter(|t| !t.baseline).and_then(|t| t.value);
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
    (status, value, baseline)
}

/// Direction of travel against the previous year's actual.
pub fn direction(i: &Indicator) -> Trend {
    let prev = i.previous.as_ref().and_then(|p| p.value);
    let t = Trend::between(prev, i.actual);
    match i.polarity {
        Polarity::Higher => t,
        Polarity::Lower => t.reversed(),
    }
}

pub fn summarise(
    doc_index: usize,
    doc: &Document,
    set: &IndicatorSet,
    findings: &mut Vec<Diagnostic>,
) -> IndicatorSetSummary {
    let mut out = Vec::with_capacity(set.indicators.len());
    for i in &set.indicators {
        let (st, target, baseline) = status(i, set.period);
        let contradicts =
            matches!(i.stated_status, Some(s) if s != st && st != IndicatorStatus::NoData);
        if contradicts {
            let name = i
                .code
                .as_deref()
                .map_or_else(|| i.title.clone(), |c| format!("{c} {}", i.title));
            let actual = i.actual.map(|a| a.to_string()).unwrap_or_default();
            let target = target.map(|t| t.to_string()).unwrap_or_default();
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
        out.push(IndicatorSummary {
            id: i.id.clone(),
            target,
            baseline_year: baseline,
            status: st,
            stated_status: i.stated_status,
            contradicts,
            direction: direction(i),
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
        indicators: out,
        by_status,
    }
}
