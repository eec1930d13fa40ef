//! Indicators against earlier periods: the previous period and the same quarter a year
//! earlier, matched by indicator id across the periods' indicator sets, or taken from the
//! figures a report gives itself (`previous`, `history`).

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::aggregate::Trend;
use crate::aggregate::indicators::{IndicatorSetSummary, better};
use crate::content::indicators::{Indicator, IndicatorSet};
use crate::content::{Data, Document};
use crate::read::period::Period;
use crate::read::words::{DirectionAgainst, IndicatorStatus};

/// Where an earlier figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    /// The report itself states it, in `previous` or `history`.
    Stated,
    /// The indicator set of that period reported it: the document at this index.
    Report { doc: usize },
}

/// An indicator's actual against one earlier figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub period: Period,
    /// The earlier figure; none where that period's set has the indicator but no actual.
    pub value: Option<Decimal>,
    pub caveat: Option<String>,
    pub source: Source,
    /// The actual now less the earlier figure.
    pub change: Option<Decimal>,
    /// Better (`Up`), worse (`Down`) or the same, polarity applied.
    pub direction: Trend,
    /// The status that period's report computed, where the figure comes from one.
    pub status: Option<IndicatorStatus>,
}

/// An indicator whose computed status changed since the previous period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    pub id: String,
    pub from: IndicatorStatus,
    pub to: IndicatorStatus,
}

/// An indicator the previous period's set has and this one does not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dropped {
    pub id: String,
    pub code: Option<String>,
    pub title: String,
}

/// What changed in a set of indicators since earlier periods. Lists hold indicator ids, in
/// the order of the set.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IndicatorChanges {
    /// The period compared with as the previous one, and its set where it has one.
    pub previous_period: Option<Period>,
    pub previous_doc: Option<usize>,
    /// The same quarter a year earlier, and its set where it has one.
    pub year_ago: Option<Period>,
    pub year_ago_doc: Option<usize>,
    /// Against the previous period, polarity applied.
    pub improved: Vec<String>,
    pub worsened: Vec<String>,
    pub unchanged: Vec<String>,
    /// Against the same quarter a year earlier, polarity applied.
    pub better_than_year_ago: Vec<String>,
    pub worse_than_year_ago: Vec<String>,
    pub same_as_year_ago: Vec<String>,
    /// Computed statuses that changed since the previous period's set, neither being no data.
    pub status_changes: Vec<StatusChange>,
    /// Indicators new since the previous period's set, and those it had that this one drops.
    pub added: Vec<String>,
    pub dropped: Vec<Dropped>,
}

/// The indicator sets of the site, by index into the summaries, with their documents, and
/// each set's indicators by id (the first of a repeated id, which `check` refuses).
struct Sets<'a> {
    sets: Vec<(usize, &'a IndicatorSet)>,
    ids: HashMap<usize, HashMap<&'a str, usize>>,
}

impl<'a> Sets<'a> {
    /// The set of exactly `period`.
    fn at(&self, period: Period) -> Option<(usize, &'a IndicatorSet)> {
        self.sets.iter().copied().find(|(_, s)| s.period == period)
    }

    /// The latest set before `period` that is, like it, of a quarter or of a whole year.
    fn before(&self, period: Period) -> Option<(usize, &'a IndicatorSet)> {
        (self.sets.iter().copied())
            .filter(|(_, s)| {
                s.period < period && s.period.quarter.is_some() == period.quarter.is_some()
            })
            .max_by_key(|(_, s)| s.period)
    }
}

/// Fill in every set's comparisons with earlier periods, and the direction of travel of each
/// indicator that compares with one.
pub fn compare(summaries: &mut [IndicatorSetSummary], docs: &[Document]) {
    let sets: Vec<(usize, &IndicatorSet)> = (summaries.iter().enumerate())
        .filter_map(|(i, s)| match &docs[s.doc].data {
            Data::Indicators(set) => Some((i, set)),
            _ => None,
        })
        .collect();
    let ids = (sets.iter())
        .map(|(i, set)| {
            let mut by_id = HashMap::with_capacity(set.indicators.len());
            for (k, x) in set.indicators.iter().enumerate() {
                by_id.entry(x.id.as_str()).or_insert(k);
            }
            (*i, by_id)
        })
        .collect();
    let sets = Sets { sets, ids };
    let mut filled = Vec::with_capacity(sets.sets.len());
    for &(at, set) in &sets.sets {
        filled.push((at, compare_one(&sets, summaries, at, set)));
    }
    for (at, (comparisons, changes)) in filled {
        let s = &mut summaries[at];
        for (sum, (previous, year)) in s.indicators.iter_mut().zip(comparisons) {
            sum.direction = match sum.direction_against {
                DirectionAgainst::PreviousActual => sum.direction,
                DirectionAgainst::PreviousPeriod => {
                    previous.as_ref().map_or(Trend::None, |c| c.direction)
                }
                DirectionAgainst::SamePeriodLastYear => {
                    year.as_ref().map_or(Trend::None, |c| c.direction)
                }
            };
            sum.previous_period = previous;
            sum.year_ago = year;
        }
        s.changes = changes;
    }
}

type Pair = (Option<Comparison>, Option<Comparison>);

fn compare_one(
    sets: &Sets<'_>,
    summaries: &[IndicatorSetSummary],
    at: usize,
    set: &IndicatorSet,
) -> (Vec<Pair>, Option<IndicatorChanges>) {
    let immediate = set.period.previous();
    let states = |p: Period| set.indicators.iter().any(|i| i.stated_figure(p).is_some());
    // The previous period: the one just before, if this report gives figures for it or it has
    // a set; else the latest earlier set's.
    let earlier = sets.before(set.period);
    let previous_period = if states(immediate) {
        Some(immediate)
    } else {
        earlier.map(|(_, s)| s.period)
    };
    let previous_set = previous_period
        .and_then(|p| sets.at(p))
        .filter(|(j, _)| *j != at);
    // A year earlier is a quarter's own comparison: a year's previous period is the year
    // before already.
    let year_ago = set.period.quarter.map(|_| set.period.year_earlier());
    let year_set = year_ago.and_then(|p| sets.at(p));
    let year_ago = year_ago.filter(|p| year_set.is_some() || states(*p));
    if previous_period.is_none() && year_ago.is_none() {
        return (vec![(None, None); set.indicators.len()], None);
    }
    let mut c = IndicatorChanges {
        previous_period,
        previous_doc: previous_set.map(|(j, _)| summaries[j].doc),
        year_ago,
        year_ago_doc: year_set.map(|(j, _)| summaries[j].doc),
        ..IndicatorChanges::default()
    };
    let own = &summaries[at];
    let mut pairs = Vec::with_capacity(set.indicators.len());
    for (i, sum) in set.indicators.iter().zip(&own.indicators) {
        let previous = previous_period.and_then(|p| against(sets, summaries, i, p, previous_set));
        let year = year_ago.and_then(|p| against(sets, summaries, i, p, year_set));
        if let Some(p) = &previous {
            match p.direction {
                Trend::Up => c.improved.push(i.id.clone()),
                Trend::Down => c.worsened.push(i.id.clone()),
                Trend::Same => c.unchanged.push(i.id.clone()),
                Trend::None => {}
            }
            if let Some(from) = p.status
                && from != sum.status
                && from != IndicatorStatus::NoData
                && sum.status != IndicatorStatus::NoData
            {
                c.status_changes.push(StatusChange {
                    id: i.id.clone(),
                    from,
                    to: sum.status,
                });
            }
        }
        if let Some(y) = &year {
            match y.direction {
                Trend::Up => c.better_than_year_ago.push(i.id.clone()),
                Trend::Down => c.worse_than_year_ago.push(i.id.clone()),
                Trend::Same => c.same_as_year_ago.push(i.id.clone()),
                Trend::None => {}
            }
        }
        pairs.push((previous, year));
    }
    if let Some((j, before)) = previous_set {
        let has = |k: usize, id: &str| sets.ids.get(&k).is_some_and(|m| m.contains_key(id));
        c.added = (set.indicators.iter())
            .filter(|i| !has(j, &i.id))
            .map(|i| i.id.clone())
            .collect();
        c.dropped = (before.indicators.iter())
            .filter(|i| !has(at, &i.id))
            .map(|i| Dropped {
                id: i.id.clone(),
                code: i.code.clone(),
                title: i.title.clone(),
            })
            .collect();
    }
    (pairs, Some(c))
}

/// The indicator against its figure for `period`: the one this report states, else the one
/// that period's set reported under the same id. None when neither has the indicator.
fn against(
    sets: &Sets<'_>,
    summaries: &[IndicatorSetSummary],
    i: &Indicator,
    period: Period,
    set: Option<(usize, &IndicatorSet)>,
) -> Option<Comparison> {
    let (value, caveat, source, status) = match i.stated_figure(period) {
        Some((v, caveat)) => (Some(v), caveat.map(str::to_string), Source::Stated, None),
        None => {
            let (j, s) = set?;
            let k = *sets.ids.get(&j)?.get(i.id.as_str())?;
            let then = &s.indicators[k];
            let status = summaries[j].indicators.get(k).map(|x| x.status);
            (
                then.actual,
                then.actual_caveat.clone(),
                Source::Report {
                    doc: summaries[j].doc,
                },
                status,
            )
        }
    };
    Some(Comparison {
        period,
        value,
        caveat,
        source,
        change: match (i.actual, value) {
            (Some(now), Some(then)) => now.checked_sub(then),
            _ => None,
        },
        direction: better(i.polarity, value, i.actual),
        status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::testing::run;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn set(period: &str, extra: &str, indicators: &str) -> String {
        format!(
            "kind = \"indicators\"\ntitle = \"KPIs\"\nperiod = \"{period}\"\n{extra}\n{indicators}"
        )
    }

    const LUNCH: &str = "[[indicators]]\nid = \"lunch\"\ntitle = \"Lunches\"\ntargets = [{ year = \"2009/10\", value = 40, quarters = [36, 38, 40, 42] }]\n";
    const CONTACT: &str =
        "[[indicators]]\nid = \"contact\"\ntitle = \"Avoidable contact\"\npolarity = \"lower\"\n";

    #[test]
    fn matches_by_id_with_the_previous_quarter_and_the_same_quarter_a_year_earlier() {
        let (agg, docs) = run(&[
            &set(
                "2008/09 Q2",
                "",
                &format!("{LUNCH}actual = 38\n{CONTACT}actual = 24\n"),
            ),
            &set(
                "2009/10 Q1",
                "",
                &format!("{CONTACT}actual = 25.6\n{LUNCH}actual = 35.56\n"),
            ),
            &set(
                "2009/10 Q2",
                "",
                &format!("{LUNCH}actual = 39.1\n{CONTACT}actual = 26.1\n"),
            ),
        ]);
        let q2 = (agg.indicators.iter())
            .find(|s| s.period.to_string() == "2009/10 Q2")
            .unwrap();
        let lunch = &q2.indicators[0];
        let p = lunch.previous_period.as_ref().unwrap();
        assert_eq!(p.period.to_string(), "2009/10 Q1");
        assert_eq!((p.value, p.change), (Some(d("35.56")), Some(d("3.54"))));
        assert_eq!(p.direction, Trend::Up);
        assert_eq!(p.source, Source::Report { doc: 1 });
        let y = lunch.year_ago.as_ref().unwrap();
        assert_eq!(
            (y.period.to_string(), y.value),
            ("2008/09 Q2".into(), Some(d("38")))
        );
        // Lower is better: a rise is worse.
        let contact = &q2.indicators[1];
        assert_eq!(
            contact.previous_period.as_ref().unwrap().direction,
            Trend::Down
        );
        let c = q2.changes.as_ref().unwrap();
        assert_eq!(
            (c.improved.clone(), c.worsened.clone()),
            (vec!["lunch".to_string()], vec!["contact".to_string()])
        );
        assert_eq!(c.better_than_year_ago, ["lunch"]);
        assert_eq!(c.worse_than_year_ago, ["contact"]);
        assert_eq!(c.previous_doc, Some(1));
        assert_eq!(c.year_ago_doc, Some(0));
        // Q1 against the Q1 target of 36 is off target; Q2 against its target of 38 on track.
        assert_eq!(
            c.status_changes,
            [StatusChange {
                id: "lunch".into(),
                from: IndicatorStatus::OffTarget,
                to: IndicatorStatus::OnTrack
            }]
        );
        assert_eq!(docs.len(), 3);
    }

    #[test]
    fn direction_of_travel_follows_direction_against() {
        let one = |id: &str, actual: &str, extra: &str| {
            format!(
                "[[indicators]]\nid = \"{id}\"\ntitle = \"{id}\"\nactual = {actual}\nprevious = {{ year = \"2008/09\", value = 20 }}\n{extra}\n"
            )
        };
        let three = |actual: &str| {
            [
                ("a", ""),
                ("b", "direction_against = \"previous period\""),
                ("c", "direction_against = \"previous actual\""),
            ]
            .map(|(id, extra)| one(id, actual, extra))
            .concat()
        };
        let (agg, _) = run(&[
            &set("2008/09 Q2", "", &three("40")),
            &set("2009/10 Q1", "", &three("30")),
            &set(
                "2009/10 Q2",
                "direction_against = \"same period last year\"",
                &three("35"),
            ),
        ]);
        let q2 = agg.indicators.last().unwrap();
        let dirs: Vec<(DirectionAgainst, Trend)> = q2
            .indicators
            .iter()
            .map(|i| (i.direction_against, i.direction))
            .collect();
        assert_eq!(
            dirs,
            [
                // 35 against 40 in 2008/09 Q2, the set's choice.
                (DirectionAgainst::SamePeriodLastYear, Trend::Down),
                // 35 against 30 in 2009/10 Q1.
                (DirectionAgainst::PreviousPeriod, Trend::Up),
                // 35 against the previous year's 20.
                (DirectionAgainst::PreviousActual, Trend::Up),
            ]
        );
    }

    #[test]
    fn a_figure_the_report_gives_itself_comes_first_and_needs_no_earlier_set() {
        let (agg, _) = run(&[
            &set(
                "2009/10 Q1",
                "",
                "[[indicators]]\nid = \"sat\"\ntitle = \"Satisfaction\"\nactual = 70\n",
            ),
            &set(
                "2009/10 Q2",
                "",
                "[[indicators]]\nid = \"sat\"\ntitle = \"Satisfaction\"\nactual = 75\nhistory = [{ period = \"2008/09 Q2\", value = 72 }, { period = \"2009/10 Q1\", value = 71, caveat = \"revised\" }]\n",
            ),
        ]);
        let sat = &agg.indicators[1].indicators[0];
        let p = sat.previous_period.as_ref().unwrap();
        assert_eq!(
            (p.value, p.source, p.caveat.as_deref()),
            (Some(d("71")), Source::Stated, Some("revised"))
        );
        let y = sat.year_ago.as_ref().unwrap();
        assert_eq!(
            (y.value, y.source, y.change),
            (Some(d("72")), Source::Stated, Some(d("3")))
        );
        // The first set has nothing earlier: no comparisons at all.
        assert!(agg.indicators[0].changes.is_none());
        assert!(agg.indicators[0].indicators[0].previous_period.is_none());
    }

    #[test]
    fn added_and_dropped_indicators_and_a_gap_in_the_quarters() {
        let (agg, _) = run(&[
            &set(
                "2008/09 Q4",
                "",
                &format!("{LUNCH}actual = 30\n{CONTACT}actual = 20\n"),
            ),
            &set(
                "2009/10 Q2",
                "",
                &format!(
                    "{LUNCH}actual = 31\n[[indicators]]\nid = \"new\"\ntitle = \"New\"\nactual = 1\n"
                ),
            ),
        ]);
        let c = agg.indicators[1].changes.as_ref().unwrap();
        // No 2009/10 Q1 set: the latest earlier quarter's is the previous period.
        assert_eq!(
            c.previous_period.map(|p| p.to_string()).as_deref(),
            Some("2008/09 Q4")
        );
        assert_eq!(c.year_ago, None);
        assert_eq!(c.added, ["new"]);
        assert_eq!(
            c.dropped.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
            ["contact"]
        );
        assert!(agg.indicators[1].indicators[1].previous_period.is_none());
    }

    #[test]
    fn a_year_set_compares_with_the_year_before_and_has_no_same_quarter() {
        let (agg, _) = run(&[
            &set("2008/09", "", &format!("{CONTACT}actual = 24\n")),
            &set("2009/10 Q1", "", &format!("{CONTACT}actual = 22\n")),
            &set("2009/10", "", &format!("{CONTACT}actual = 21\n")),
        ]);
        let year = agg
            .indicators
            .iter()
            .find(|s| s.period.to_string() == "2009/10")
            .unwrap();
        let c = year.changes.as_ref().unwrap();
        assert_eq!(
            c.previous_period.map(|p| p.to_string()).as_deref(),
            Some("2008/09")
        );
        assert_eq!(c.year_ago, None);
        assert_eq!(c.improved, ["contact"]);
    }
}
