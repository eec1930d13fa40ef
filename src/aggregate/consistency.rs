//! An auditor's cross-checks of a paper against itself and against the board's other papers:
//! budget notes against the lines they explain, forecasts against the year to date, milestones
//! against judgements, one piece of work described twice, stated directions of travel against
//! the figures, and a quarter's approved budget against the year's budget paper.
//!
//! Each check reports only what the data contradicts; where a difference could have a good
//! reason, the message says what to check.

use std::collections::HashMap;

use jiff::civil::Date;
use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::aggregate::{IndicatorSetSummary, Trend, finding, format};
use crate::config::Config;
use crate::content::actions::{Action, ActionPlan};
use crate::content::budget::{Budget, Line, Note};
use crate::content::highlight::Highlight;
use crate::content::indicators::IndicatorSet;
use crate::content::{Data, Document};
use crate::diagnostic::{Diagnostic, FindingKind, Problem};
use crate::read::period::Period;
use crate::read::words::{
    ActivityStatus, BudgetStatus, DirectionAgainst, Judgement, NoteColumn, StatedDirection,
    VarianceSign, normalise,
};

/// Every check, over every document without errors, in document order.
pub fn check(
    config: &Config,
    docs: &[Document],
    indicators: &[IndicatorSetSummary],
    findings: &mut Vec<Diagnostic>,
) {
    // The budgets of each period, in document order, found once: each highlight report is
    // compared with its period's budgets, and a scan of every document for each report would
    // cost a large site the square of its size.
    let mut budgets: HashMap<Period, Vec<(&Document, &Budget)>> = HashMap::new();
    for d in docs.iter().filter(|d| !d.has_errors) {
        if let Data::Budget(b) = &d.data {
            budgets.entry(b.period).or_default().push((d, b));
        }
    }
    // Each document on its own, in parallel; gathered in document order, so that findings come
    // out as they would one by one, whatever the number of threads.
    let each: Vec<Vec<Diagnostic>> = docs
        .par_iter()
        .filter(|d| !d.has_errors)
        .map(|doc| {
            let mut found = Vec::new();
            match &doc.data {
                Data::Budget(b) => {
                    notes(config, doc, b, &mut found);
                    forecasts(config, doc, b, &mut found);
                    against_year_budget(&budgets, doc, b, &mut found);
                }
                Data::Actions(a) => {
                    milestones(config, doc, a, &mut found);
                    same_items(doc, a, &mut found);
                }
                Data::Highlight(h) => {
                    let same_period = budgets.get(&h.period).map_or(&[][..], Vec::as_slice);
                    budget_statuses(config, same_period, doc, h, &mut found);
                    activity_statuses(doc, h, &mut found);
                }
                _ => {}
            }
            found
        })
        .collect();
    findings.extend(each.into_iter().flatten());
    for s in indicators {
        if let Some(doc) = docs.get(s.doc)
            && let Data::Indicators(set) = &doc.data
        {
            directions(doc, set, s, findings);
        }
    }
}

/// A column in words, for messages.
fn column_name(c: NoteColumn) -> &'static str {
    match c {
        NoteColumn::Approved => "approved budget",
        NoteColumn::Revised => "revised budget",
        NoteColumn::Planned => "planned spend to date",
        NoteColumn::Actual => "actual spend to date",
        NoteColumn::Variance => "variance",
        NoteColumn::Projected => "projected outturn",
    }
}

/// A line's figure in one column; the variance follows the configured sign.
fn column(config: &Config, l: &Line, c: NoteColumn) -> Option<Decimal> {
    match c {
        NoteColumn::Approved => Some(l.approved),
        NoteColumn::Revised => l.revised,
        NoteColumn::Planned => l.planned,
        NoteColumn::Actual => l.actual,
        NoteColumn::Projected => l.projected,
        NoteColumn::Variance => {
            let (p, a) = (l.planned?, l.actual?);
            match config.variance_sign {
                VarianceSign::ActualMinusPlanned => a.checked_sub(p),
                VarianceSign::PlannedMinusActual => p.checked_sub(a),
            }
        }
    }
}

fn sum(values: impl IntoIterator<Item = Decimal>) -> Option<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v))
}

/// How far apart two figures are, and whether whole pounds could explain it: each printed
/// figure may hide up to 50p either way, and a variance is made of two of them.
fn gap(difference: Decimal, figures: usize) -> String {
    let size = format::money(difference.abs());
    let bound = Decimal::from(figures) / Decimal::TWO;
    if difference.abs() <= bound {
        format!(
            "{size} apart, within what hidden pence in {figures} whole-pound figures could explain"
        )
    } else {
        format!("{size} apart, more than hidden pence could explain")
    }
}

fn notes(config: &Config, doc: &Document, b: &Budget, findings: &mut Vec<Diagnostic>) {
    for n in &b.notes {
        if n.amount.is_none() && n.breakdown.is_empty() {
            continue;
        }
        let parts = sum(n.breakdown.iter().map(|p| p.amount));
        if let (Some(amount), Some(parts)) = (n.amount, parts)
            && !n.breakdown.is_empty()
            && parts != amount
        {
            findings.push(finding(
                doc,
                n.span.clone(),
                FindingKind::NoteBreakdownMismatch,
                format!(
                    "note {}'s {} parts add up to {}, not the {} it gives: check the parts against the note's text",
                    n.number,
                    n.breakdown.len(),
                    format::money(parts),
                    format::money(amount)
                ),
            ));
        }
        note_against_lines(config, doc, b, n, n.amount.or(parts), findings);
    }
}

fn note_against_lines(
    config: &Config,
    doc: &Document,
    b: &Budget,
    n: &Note,
    figure: Option<Decimal>,
    findings: &mut Vec<Diagnostic>,
) {
    let Some(figure) = figure else { return };
    let lines: Vec<&Line> = (b.lines.iter())
        .filter(|l| l.notes.contains(&n.number))
        .collect();
    if lines.is_empty() {
        return;
    }
    let Some(values) = lines
        .iter()
        .map(|l| column(config, l, n.of))
        .collect::<Option<Vec<_>>>()
    else {
        return;
    };
    let Some(total) = sum(values) else { return };
    if figure == total {
        return;
    }
    let Some(difference) = figure.checked_sub(total) else {
        return;
    };
    let per_line = if n.of == NoteColumn::Variance { 2 } else { 1 };
    let names = lines
        .iter()
        .map(|l| l.title.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let how = if n.amount.is_some() {
        " gives"
    } else {
        "'s parts add up to"
    };
    findings.push(finding(
        doc,
        n.span.clone(),
        FindingKind::NoteDiffersFromLine,
        format!(
            "note {}{how} {} for the {} of {names}, but the table gives {}: {}; check which figure the note means",
            n.number,
            format::money(figure),
            column_name(n.of),
            format::money(total),
            gap(difference, per_line * lines.len())
        ),
    ));
}

/// A line's year-to-date variance as a per cent of its planned spend, signed as spend (an
/// under-spend is negative) whatever the configured sign; none where it cannot be worked out.
fn spend_gap(l: &Line) -> Option<(Decimal, Decimal)> {
    let (planned, actual) = (l.planned?, l.actual?);
    if planned.is_zero() {
        return None;
    }
    let gap = actual.checked_sub(planned)?;
    let pct = gap
        .checked_div(planned.abs())?
        .checked_mul(Decimal::ONE_HUNDRED)?;
    Some((gap, pct))
}

/// A highlight report whose every budgeted objective says green, while a budget line of the
/// same period tagged with its programme is beyond the red tolerance.
fn budget_statuses(
    config: &Config,
    budgets: &[(&Document, &Budget)],
    doc: &Document,
    h: &Highlight,
    findings: &mut Vec<Diagnostic>,
) {
    let statuses: Vec<BudgetStatus> = (h.objectives.iter())
        .filter_map(|o| o.budget_status)
        .filter(|s| *s != BudgetStatus::NoBudget)
        .collect();
    if statuses.is_empty() || statuses.iter().any(|s| *s != BudgetStatus::Green) {
        return;
    }
    // A reason given beside a green status is the report's answer to the question.
    if h.objectives.iter().any(|o| o.budget_reason.is_some()) {
        return;
    }
    for (other, b) in budgets {
        for l in (b.lines.iter())
            .filter(|l| !l.memo && l.programme.as_deref() == Some(h.programme.as_str()))
        {
            let Some((gap, pct)) = spend_gap(l) else {
                continue;
            };
            if pct.abs() <= config.tolerances.red {
                continue;
            }
            let side = if gap.is_sign_negative() {
                "under-spent"
            } else {
                "over-spent"
            };
            findings.push(finding(
                doc,
                h.programme_span.clone(),
                FindingKind::BudgetStatusContradictsLines,
                format!(
                    "every objective of {} with a budget gives its budget status as green, but its budget line {} is {} ({}) {side} to date in {}: check the statuses, or say in a budget reason why the line does not change them",
                    h.title,
                    l.title,
                    format::money(gap.abs()),
                    format::percent(pct.abs()),
                    other.title()
                ),
            ));
        }
    }
}

/// An activity whose status its own progress contradicts: complete short of 100%, not started
/// with progress made, or at 100% and still going on.
fn activity_statuses(doc: &Document, h: &Highlight, findings: &mut Vec<Diagnostic>) {
    let full = Decimal::ONE_HUNDRED;
    for o in &h.objectives {
        for a in &o.activities {
            let p = a.progress.normalize();
            let why = match a.status {
                ActivityStatus::Complete if a.progress < full => {
                    format!("is complete, but its progress is {p}%")
                }
                ActivityStatus::NotStarted if a.progress > Decimal::ZERO => {
                    format!("is not started, but its progress is {p}%")
                }
                ActivityStatus::InProgress
                | ActivityStatus::NotStarted
                | ActivityStatus::Delayed
                    if a.progress >= full =>
                {
                    format!("is {} at {p}% progress", a.status.name())
                }
                _ => continue,
            };
            let title: String = a.title.chars().take(60).collect();
            let more = if a.title.chars().count() > 60 {
                "…"
            } else {
                ""
            };
            findings.push(finding(
                doc,
                a.span.clone(),
                FindingKind::StatusContradictsData,
                format!(
                    "“{title}{more}” (objective {}) {why}: check the status and the progress",
                    o.id
                ),
            ));
        }
    }
}

/// A quarter's line that forecasts its whole budget while the year to date is beyond the red
/// tolerance: the forecast assumes a gap that large closes, which the paper should say.
fn forecasts(config: &Config, doc: &Document, b: &Budget, findings: &mut Vec<Diagnostic>) {
    if b.period.quarter.is_none() {
        return;
    }
    for l in b.lines.iter().filter(|l| !l.memo) {
        let budget = l.revised.unwrap_or(l.approved);
        if l.projected != Some(budget) {
            continue;
        }
        let Some((gap, pct)) = spend_gap(l) else {
            continue;
        };
        if pct.abs() <= config.tolerances.red {
            continue;
        }
        let side = if gap.is_sign_negative() {
            "under-spent"
        } else {
            "over-spent"
        };
        let which = if l.revised.is_some() {
            "revised"
        } else {
            "approved"
        };
        findings.push(finding(
            doc,
            l.span.clone(),
            FindingKind::ProjectionIgnoresYearToDate,
            format!(
                "{} forecasts its whole {which} budget, {}, for the year end, though it is {} ({}) {side} to date: check that the forecast allows for the year to date, or say in a note how the gap will close",
                l.title,
                format::money(budget),
                format::money(gap.abs()),
                format::percent(pct.abs()),
            ),
        ));
    }
}

/// The year's budget paper for a quarter's budget: the budget document of its financial year.
fn against_year_budget(
    budgets: &HashMap<Period, Vec<(&Document, &Budget)>>,
    doc: &Document,
    b: &Budget,
    findings: &mut Vec<Diagnostic>,
) {
    if b.period.quarter.is_none() {
        return;
    }
    let year = b.period.year_of();
    // The first of the year's, by document order, as a scan of the documents would find.
    let Some(&(year_doc, year_budget)) = budgets.get(&year).and_then(|b| b.first()) else {
        return;
    };
    let by_id: HashMap<&str, &Line> = (year_budget.lines.iter())
        .map(|l| (l.id.as_str(), l))
        .collect();
    let in_quarter: HashMap<&str, &Line> = (b.lines.iter()).map(|l| (l.id.as_str(), l)).collect();
    // A line of the year's budget that the quarter leaves out, said at the year's line.
    for y in (year_budget.lines.iter()).filter(|y| !y.approved.is_zero()) {
        if !in_quarter.contains_key(y.id.as_str()) {
            findings.push(finding(
                year_doc,
                y.span.clone(),
                FindingKind::DiffersFromYearBudget,
                format!(
                    "{}, {} in this budget, has no line in the {} budget: check whether the quarter's figures include it elsewhere",
                    y.title,
                    format::money(y.approved),
                    b.period,
                ),
            ));
        }
    }
    for l in &b.lines {
        let Some(y) = by_id.get(l.id.as_str()) else {
            if !l.approved.is_zero() {
                findings.push(finding(
                    doc,
                    l.span.clone(),
                    FindingKind::DiffersFromYearBudget,
                    format!(
                        "the approved budget of {} is {} here, but the {year} budget has no such line: check which is right",
                        l.title,
                        format::money(l.approved),
                    ),
                ));
            }
            continue;
        };
        if y.approved != l.approved {
            findings.push(finding(
                doc,
                l.span.clone(),
                FindingKind::DiffersFromYearBudget,
                format!(
                    "the approved budget of {} is {} here but {} in the {year} budget: check which is right, or give the change as a revised budget",
                    l.title,
                    format::money(l.approved),
                    format::money(y.approved),
                ),
            ));
        }
    }
}

fn action_name(a: &Action) -> String {
    let title: String = a.title.chars().take(60).collect();
    let more = if a.title.chars().count() > 60 {
        "…"
    } else {
        ""
    };
    match &a.id {
        Some(id) => format!("“{title}{more}” ({id})"),
        None => format!("“{title}{more}”"),
    }
}

/// Days from `a` to `b`, for messages; none where the span cannot be worked out.
fn days(a: Date, b: Date) -> Option<i32> {
    a.until(b).ok().map(|s| s.get_days())
}

/// An action judged on track (or complete) whose milestone the paper now expects after its
/// date: the judgement and the dates cannot both be right.
fn milestones(config: &Config, doc: &Document, plan: &ActionPlan, findings: &mut Vec<Diagnostic>) {
    let end = plan.period.end(config.year_start);
    for (_, a) in plan.actions() {
        if !matches!(a.judgement, Judgement::OnTrack | Judgement::Complete) {
            continue;
        }
        for m in &a.milestones {
            let Some(expected) = m.expected else { continue };
            let late = match m.due {
                Some(due) => expected > due,
                // A complete action has nothing still to come.
                None => a.judgement == Judgement::Complete && expected > end,
            };
            if !late {
                continue;
            }
            let when = match m.due {
                Some(due) => format!(
                    ", due {due}, is now expected {expected}{}",
                    days(due, expected)
                        .map(|d| format!(", {d} days later"))
                        .unwrap_or_default()
                ),
                None => format!(" is expected {expected}, after the period's end"),
            };
            findings.push(finding(
                doc,
                m.expected_span.clone(),
                FindingKind::LateMilestoneOnTrack,
                format!(
                    "{} is judged {}, but its milestone “{}”{when}: check the judgement, or give the milestone its new date if the plan was changed",
                    action_name(a),
                    a.judgement.name(),
                    m.text
                ),
            ));
        }
    }
}

/// The last date an action's milestones give, due or expected.
fn last_date(a: &Action) -> Option<Date> {
    (a.milestones.iter())
        .flat_map(|m| [m.due, m.expected])
        .flatten()
        .max()
}

/// Two actions that say they describe the same work (`same_as`) should agree on who owns it,
/// how it is going and when it ends.
fn same_items(doc: &Document, plan: &ActionPlan, findings: &mut Vec<Diagnostic>) {
    let by_id: HashMap<&str, &Action> = (plan.actions())
        .filter_map(|(_, a)| a.id.as_deref().map(|id| (id, a)))
        .collect();
    for (_, a) in plan.actions() {
        let Some(other_id) = a.same_as.as_deref() else {
            continue;
        };
        let Some(other) = by_id.get(other_id).copied() else {
            // Sorted, so the suggestion does not depend on the map's order.
            let mut ids: Vec<&str> = by_id.keys().copied().collect();
            ids.sort_unstable();
            findings.push(Diagnostic::new(
                Problem::UnknownReference {
                    what: "action",
                    id: other_id.to_string(),
                    suggestion: crate::diagnostic::suggest(other_id, ids.iter().copied())
                        .map(str::to_string),
                },
                &doc.file,
                a.same_as_span.clone(),
            ));
            continue;
        };
        let mut differences = Vec::new();
        if let (Some(x), Some(y)) = (&a.responsibility, &other.responsibility)
            && normalise(x) != normalise(y)
        {
            differences.push(format!(
                "owner “{x}” and “{y}” (check whether they name one officer)"
            ));
        }
        if a.judgement != other.judgement {
            differences.push(format!(
                "judgement {} and {}",
                a.judgement.name(),
                other.judgement.name()
            ));
        }
        if let (Some(x), Some(y)) = (last_date(a), last_date(other))
            && x != y
        {
            differences.push(format!("last milestone {x} and {y}"));
        }
        if differences.is_empty() {
            continue;
        }
        findings.push(finding(
            doc,
            a.same_as_span.clone(),
            FindingKind::SameItemDiffers,
            format!(
                "{} and {} describe the same work, but differ: {}; check which is right",
                action_name(a),
                action_name(other),
                differences.join("; ")
            ),
        ));
    }
}

/// A direction of travel the paper states in words, where the figures give one too.
fn directions(
    doc: &Document,
    set: &IndicatorSet,
    s: &IndicatorSetSummary,
    findings: &mut Vec<Diagnostic>,
) {
    for (i, x) in set.indicators.iter().zip(&s.indicators) {
        let Some(stated) = i.stated_direction else {
            continue;
        };
        let computed = match x.direction {
            Trend::Up => StatedDirection::Better,
            Trend::Down => StatedDirection::Worse,
            Trend::Same => StatedDirection::Same,
            Trend::None => continue,
        };
        if computed == stated {
            continue;
        }
        let name = i
            .code
            .as_deref()
            .map_or_else(|| i.title.clone(), |c| format!("{c} {}", i.title));
        let earlier = match x.direction_against {
            DirectionAgainst::PreviousActual => (i.previous.as_ref())
                .and_then(|p| p.value.map(|v| (v, p.year.map(|y| y.to_string())))),
            DirectionAgainst::PreviousPeriod => (x.previous_period.as_ref())
                .and_then(|c| c.value.map(|v| (v, Some(c.period.to_string())))),
            DirectionAgainst::SamePeriodLastYear => {
                (x.year_ago.as_ref()).and_then(|c| c.value.map(|v| (v, Some(c.period.to_string()))))
            }
        };
        let figures = match (earlier, i.actual) {
            (Some((then, Some(when))), Some(now)) => {
                format!(
                    " ({} now against {} in {when})",
                    now.normalize(),
                    then.normalize()
                )
            }
            (Some((then, None)), Some(now)) => {
                format!(" ({} now against {})", now.normalize(), then.normalize())
            }
            _ => String::new(),
        };
        findings.push(finding(
            doc,
            i.stated_direction_span.clone(),
            FindingKind::DirectionContradictsData,
            format!(
                "{name} is said to be {} against the {}, but its figures make it {}{figures}: check the earlier figure and the words",
                stated.name(),
                x.direction_against.name(),
                computed.name()
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::testing::run;

    fn codes(front_matter: &[&str]) -> Vec<&'static str> {
        let (agg, _) = run(front_matter);
        (agg.findings.iter())
            .filter_map(|d| match &d.problem {
                Problem::Finding { kind, .. } => Some(kind.code()),
                _ => None,
            })
            .collect()
    }

    const LINE: &str = r#"
[[groups]]
id = "x"
title = "Expenditure"
kind = "expenditure"

[[lines]]
id = "l"
title = "Staff"
group = "x"
approved = "1,000"
planned = "500"
actual = "300"
projected = "1,000"
"#;

    #[test]
    fn hidden_pence_explain_a_pound_on_a_variance_but_not_two() {
        assert!(gap(Decimal::ONE, 2).contains("within what hidden pence"));
        assert!(gap(Decimal::TWO, 2).contains("more than hidden pence"));
        assert!(gap(Decimal::NEGATIVE_ONE, 2).starts_with("1 apart"));
    }

    #[test]
    fn only_a_quarters_forecast_is_held_to_its_year_to_date() {
        let quarter = format!("kind = \"budget\"\ntitle = \"Q\"\nperiod = \"2009/10 Q2\"\n{LINE}");
        let year = format!("kind = \"budget\"\ntitle = \"Y\"\nperiod = \"2009/10\"\n{LINE}");
        assert_eq!(codes(&[&quarter]), ["projection-ignores-year-to-date"]);
        // A year's budget has no year to date to ignore; and the quarter agrees with it.
        assert_eq!(codes(&[&year]), Vec::<&str>::new());
        assert_eq!(
            codes(&[&year, &quarter]),
            ["projection-ignores-year-to-date"]
        );
    }

    #[test]
    fn an_activitys_status_and_its_progress_must_agree() {
        let activity = |status: &str, progress: u32| {
            format!(
                "[[objectives.activities]]\ntitle = \"{status} at {progress}\"\nkind = \"priority\"\ndue = 2010-03-31\nstatus = \"{status}\"\nprogress = {progress}\n"
            )
        };
        let report = format!(
            "kind = \"highlight\"\nprogramme = \"p\"\ntitle = \"P\"\nperiod = \"2009/10 Q2\"\nlead = \"L\"\n[[objectives]]\nid = \"o1\"\ntitle = \"O\"\n{}{}{}{}{}{}",
            activity("complete", 90),
            activity("not started", 10),
            activity("in progress", 100),
            // Consistent: complete at 100, not started at 0, delayed part-way.
            activity("complete", 100),
            activity("not started", 0),
            activity("delayed", 40),
        );
        let (agg, _) = run(&[&report]);
        let messages: Vec<String> = (agg.findings.iter())
            .filter_map(|d| match &d.problem {
                Problem::Finding {
                    kind: FindingKind::StatusContradictsData,
                    message,
                } => Some(message.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            messages,
            [
                "“complete at 90” (objective o1) is complete, but its progress is 90%: check the status and the progress",
                "“not started at 10” (objective o1) is not started, but its progress is 10%: check the status and the progress",
                "“in progress at 100” (objective o1) is in progress at 100% progress: check the status and the progress",
            ]
        );
    }

    #[test]
    fn a_memo_line_forecast_is_not_spend() {
        let memo = format!(
            "kind = \"budget\"\ntitle = \"Q\"\nperiod = \"2009/10 Q2\"\n{LINE}memo = true\n"
        );
        assert_eq!(codes(&[&memo]), Vec::<&str>::new());
    }
}
