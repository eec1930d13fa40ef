//! Plans against reports: each deliverable's status, period by period, from the report
//! activities that track it, and the findings where the reports and the plan disagree.
//!
//! Each highlight report is read against the plan for the financial year its period falls in,
//! and only that one; a year with no plan has no plan findings. An activity tracks a
//! deliverable as [`tracked_deliverable`] says. The findings are warnings, for the board to
//! see: a deliverable its programme did not report on, a due date that differs from the
//! plan's, a plan date passed with the activity neither complete nor delayed, and one
//! deliverable given two due dates in one report.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::aggregate::finding;
use crate::aggregate::rollup::roll_up;
use crate::config::Config;
use crate::content::highlight::{Highlight, tracked_deliverable};
use crate::content::plan::{OperationalPlan, PlanDate};
use crate::content::{Data, Document};
use crate::diagnostic::{Diagnostic, FindingKind};
use crate::read::period::Period;
use crate::read::words::{ActivityKind, ActivityStatus};

/// One plan, with how its deliverables were reported.
#[derive(Debug, Clone, Serialize)]
pub struct PlanSummary {
    /// Index of the plan in the loaded documents.
    pub doc: usize,
    /// Its financial year.
    pub period: Period,
    /// The periods of the year that have highlight reports, oldest first.
    pub periods: Vec<Period>,
    /// One per deliverable, in plan order.
    pub deliverables: Vec<DeliverableSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeliverableSummary {
    pub id: String,
    pub programme: String,
    /// The plan's date for it, if it has one ([`crate::content::plan::Deliverable::plan_due`]).
    pub plan_due: Option<PlanDate>,
    /// Whether that date is the latest of its activities' rather than its own.
    pub due_from_activities: bool,
    /// One per period of [`PlanSummary::periods`]; none where no activity tracked it.
    pub history: Vec<Option<Tracked>>,
    /// One per period: whether its programme reported at all, so that "not reported on" is
    /// told apart from "its programme sent no report".
    pub programme_reported: Vec<bool>,
}

impl DeliverableSummary {
    /// The newest period that tracked it, and how.
    pub fn latest<'a>(&'a self, periods: &[Period]) -> Option<(Period, &'a Tracked)> {
        (periods.iter().zip(&self.history))
            .rev()
            .find_map(|(p, t)| t.as_ref().map(|t| (*p, t)))
    }

    /// Whether its programme reported in the year's newest period without tracking it.
    pub fn untracked_latest(&self) -> bool {
        matches!(
            (self.history.last(), self.programme_reported.last()),
            (Some(None), Some(true))
        )
    }
}

/// A deliverable in one period: its activities taken together.
#[derive(Debug, Clone, Serialize)]
pub struct Tracked {
    pub status: ActivityStatus,
    /// Rolled up from its activities by the site's roll-up rule.
    pub progress: Option<Decimal>,
    /// The latest due date the reports give it.
    pub due: Date,
    /// How many days `due` falls after (or, negative, before) the plan's date.
    pub days_from_plan: Option<i32>,
    /// Whether the plan's date had passed by the period's end with an activity neither
    /// complete nor delayed.
    pub past_plan_date: bool,
    pub activities: Vec<Tracker>,
}

/// A report activity that tracks a deliverable.
#[derive(Debug, Clone, Serialize)]
pub struct Tracker {
    /// Index of its highlight report in the loaded documents.
    pub doc: usize,
    pub programme: String,
    pub objective: String,
    pub id: Option<String>,
    pub title: String,
    pub kind: ActivityKind,
    pub due: Date,
    pub status: ActivityStatus,
    pub progress: Decimal,
}

/// Every plan's summary, with its findings added to `findings`. A plan with errors is left
/// out, as is a second plan for a year (itself an error).
pub fn summarise(
    config: &Config,
    docs: &[Document],
    findings: &mut Vec<Diagnostic>,
) -> Vec<PlanSummary> {
    let mut years = HashSet::new();
    let mut out = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        if let Data::Plan(plan) = &d.data
            && !d.has_errors
            && years.insert(plan.period)
        {
            out.push(summarise_plan(config, docs, i, plan, findings));
        }
    }
    out
}

/// Whether a status needs the plan's date no longer: done, dropped, or already flagged late.
fn accounted_for(s: ActivityStatus) -> bool {
    matches!(
        s,
        ActivityStatus::Complete | ActivityStatus::Cancelled | ActivityStatus::Delayed
    )
}

/// The plan's date for a deliverable, for a message: `deliverable 19's plan date, June 2009`,
/// saying where it comes from when it is its activities'.
fn plan_date_words(id: &str, date: PlanDate, from_activities: bool) -> String {
    let mut s = format!("deliverable {id}'s plan date, {}", date.words());
    if from_activities {
        s.push_str(" (the latest target date of its activities)");
    }
    s
}

struct Found<'a> {
    doc: &'a Document,
    h: &'a Highlight,
    tracker: Tracker,
    due_span: &'a Range<usize>,
    span: &'a Range<usize>,
}

fn summarise_plan(
    config: &Config,
    docs: &[Document],
    plan_index: usize,
    plan: &OperationalPlan,
    findings: &mut Vec<Diagnostic>,
) -> PlanSummary {
    let reports: Vec<(usize, &Document, &Highlight)> = (docs.iter().enumerate())
        .filter_map(|(i, d)| match &d.data {
            Data::Highlight(h) if !d.has_errors && h.period.year_of() == plan.period => {
                Some((i, d, h))
            }
            _ => None,
        })
        .collect();
    let periods: Vec<Period> = (reports.iter().map(|r| r.2.period))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, d) in plan.deliverables.iter().enumerate() {
        index.entry(d.id.as_str()).or_insert(i);
    }
    // found[deliverable][period]: the activities tracking it.
    let mut found: Vec<Vec<Vec<Found<'_>>>> = (0..plan.deliverables.len())
        .map(|_| (0..periods.len()).map(|_| Vec::new()).collect())
        .collect();
    for &(i, doc, h) in &reports {
        let p = periods.binary_search(&h.period).unwrap_or(0);
        for o in &h.objectives {
            for a in &o.activities {
                // An unknown deliverable is an error `check` reports at the reference.
                let Some(&di) = tracked_deliverable(o, a).and_then(|(id, _)| index.get(id)) else {
                    continue;
                };
                found[di][p].push(Found {
                    doc,
                    h,
                    tracker: Tracker {
                        doc: i,
                        programme: h.programme.clone(),
                        objective: o.id.clone(),
                        id: a.id.clone(),
                        title: a.title.clone(),
                        kind: a.kind,
                        due: a.due,
                        status: a.status,
                        progress: a.progress,
                    },
                    due_span: &a.due_span,
                    span: &a.span,
                });
            }
        }
    }
    let reported: Vec<HashMap<&str, &str>> = (periods.iter())
        .map(|p| {
            (reports.iter().filter(|r| r.2.period == *p))
                .map(|r| (r.2.programme.as_str(), r.2.title.as_str()))
                .collect()
        })
        .collect();
    let plan_doc = &docs[plan_index];
    let mut deliverables = Vec::with_capacity(plan.deliverables.len());
    for (d, by_period) in plan.deliverables.iter().zip(found) {
        let due = d.plan_due();
        let mut history = Vec::with_capacity(periods.len());
        for (p, list) in by_period.into_iter().enumerate() {
            let period_end = periods[p].end(config.year_start);
            if list.is_empty() {
                if let Some(title) = reported[p].get(d.programme.as_str()) {
                    findings.push(finding(
                        plan_doc,
                        d.span.clone(),
                        FindingKind::UntrackedDeliverable,
                        format!(
                            "no activity of the {} highlight reports tracks deliverable {}, although {title} reported",
                            periods[p], d.id
                        ),
                    ));
                }
                history.push(None);
                continue;
            }
            let mut past = false;
            // The first due date each report gives the deliverable, and where.
            let mut first: HashMap<usize, (Date, &Range<usize>)> = HashMap::new();
            for f in &list {
                let t = &f.tracker;
                let what = format!("\u{201c}{}\u{201d} (objective {})", t.title, t.objective);
                match first.get(&t.doc) {
                    Some((before, at)) if *before != t.due => {
                        let (line, _) = f.doc.file.line_col(at.start);
                        findings.push(finding(
                            f.doc,
                            f.due_span.clone(),
                            FindingKind::ConflictingDue,
                            format!(
                                "{what} gives deliverable {} the due date {}, but line {line} of this report gives it {before}",
                                d.id, t.due
                            ),
                        ));
                    }
                    Some(_) => {}
                    None => {
                        first.insert(t.doc, (t.due, f.due_span));
                    }
                }
                let Some((plan_due, derived)) = due else {
                    continue;
                };
                let source = plan_date_words(&d.id, plan_due, derived);
                match plan_due.days_to(t.due) {
                    Some(days) if days != 0 => {
                        let (n, way) = if days > 0 {
                            (days, "later")
                        } else {
                            (-days, "earlier")
                        };
                        let n = if n == 1 {
                            "1 day".to_string()
                        } else {
                            format!("{n} days")
                        };
                        findings.push(finding(
                            f.doc,
                            f.due_span.clone(),
                            FindingKind::DueDiffersFromPlan,
                            format!("{what} is due {}, {n} {way} than {source}", t.due),
                        ));
                    }
                    _ => {}
                }
                if plan_due.last_day().is_some_and(|l| l <= period_end) && !accounted_for(t.status)
                {
                    past = true;
                    findings.push(finding(
                        f.doc,
                        f.span.clone(),
                        FindingKind::PastPlanDate,
                        format!(
                            "{what} is {} at the end of {}, after {source}, and neither complete nor delayed",
                            t.status.label().to_lowercase(),
                            f.h.period,
                        ),
                    ));
                }
            }
            let trackers: Vec<Tracker> = list.into_iter().map(|f| f.tracker).collect();
            let latest_due = trackers.iter().map(|t| t.due).max().unwrap_or(period_end);
            let parts: Vec<(Decimal, Decimal)> = (trackers.iter())
                .filter(|t| t.status != ActivityStatus::Cancelled)
                .map(|t| (t.progress, Decimal::ONE))
                .collect();
            history.push(Some(Tracked {
                status: combined(trackers.iter().map(|t| t.status)),
                progress: roll_up(config.rollup, &parts).ok().flatten().map(|r| r.1),
                due: latest_due,
                days_from_plan: due.and_then(|(pd, _)| pd.days_to(latest_due)),
                past_plan_date: past,
                activities: trackers,
            }));
        }
        deliverables.push(DeliverableSummary {
            id: d.id.clone(),
            programme: d.programme.clone(),
            plan_due: due.map(|(d, _)| d),
            due_from_activities: due.is_some_and(|(_, derived)| derived),
            programme_reported: (reported.iter())
                .map(|r| r.contains_key(d.programme.as_str()))
                .collect(),
            history,
        });
    }
    PlanSummary {
        doc: plan_index,
        period: plan.period,
        periods,
        deliverables,
    }
}

/// The status of a deliverable from its activities': cancelled only if every one is;
/// complete if every other one is; else delayed if any is, on hold if any is, not started if
/// every other one is, and otherwise in progress.
pub fn combined(statuses: impl Iterator<Item = ActivityStatus>) -> ActivityStatus {
    let live: Vec<ActivityStatus> = statuses.collect();
    let open: Vec<ActivityStatus> = (live.iter().copied())
        .filter(|s| *s != ActivityStatus::Cancelled)
        .collect();
    let all = |s: ActivityStatus| open.iter().all(|x| *x == s);
    let any = |s: ActivityStatus| open.contains(&s);
    if open.is_empty() {
        if live.is_empty() {
            ActivityStatus::NotStarted
        } else {
            ActivityStatus::Cancelled
        }
    } else if all(ActivityStatus::Complete) {
        ActivityStatus::Complete
    } else if any(ActivityStatus::Delayed) {
        ActivityStatus::Delayed
    } else if any(ActivityStatus::OnHold) {
        ActivityStatus::OnHold
    } else if all(ActivityStatus::NotStarted) {
        ActivityStatus::NotStarted
    } else {
        ActivityStatus::InProgress
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_document;
    use crate::source::SourceFile;
    use ActivityStatus::*;

    fn doc(rel: &str, text: &str) -> Document {
        let f = SourceFile::new(rel, rel, text.to_string());
        let (d, diags) = parse_document(f, rel);
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
        d.unwrap()
    }

    const PLAN: &str = "+++\nkind = \"plan\"\ntitle = \"P\"\nperiod = \"2009/10\"\n\
        [[deliverables]]\nid = \"1\"\ntitle = \"One\"\nprogramme = \"a\"\ndue = \"2010-03\"\n\
        [[deliverables]]\nid = \"2\"\ntitle = \"Two\"\nprogramme = \"a\"\n+++\n";

    fn report(period: &str, status: &str, own: &str) -> String {
        format!(
            "+++\nkind = \"highlight\"\nprogramme = \"a\"\ntitle = \"A\"\nperiod = \"{period}\"\n\
             lead = \"L\"\n[[objectives]]\nid = \"o1\"\ntitle = \"O\"\ndeliverable = \"1\"\n\
             [[objectives.activities]]\ntitle = \"P\"\nkind = \"priority\"\ndue = 2010-03-15\n\
             status = \"{status}\"\nprogress = 40\n\
             [[objectives.activities]]\ntitle = \"S\"\nkind = \"supporting\"\ndue = 2009-12-31\n\
             status = \"delayed\"\nprogress = 10\n{own}+++\n"
        )
    }

    #[test]
    fn each_period_shows_how_the_activities_that_track_a_deliverable_stand() {
        let docs = vec![
            doc("plan.md", PLAN),
            doc("q1.md", &report("2009/10 Q1", "not started", "")),
            doc(
                "q2.md",
                &report("2009/10 Q2", "complete", "deliverable = \"2\"\n"),
            ),
            // Another year's report is not read against this plan.
            doc("next.md", &report("2010/11 Q1", "complete", "")),
        ];
        let mut findings = Vec::new();
        let plans = summarise(
            &crate::config::Config::with_names("O", "B"),
            &docs,
            &mut findings,
        );
        assert_eq!(plans.len(), 1);
        let p = &plans[0];
        let periods: Vec<String> = p.periods.iter().map(|p| p.to_string()).collect();
        assert_eq!(periods, ["2009/10 Q1", "2009/10 Q2"]);
        let one = &p.deliverables[0];
        // The supporting activity is the objective's other work: it does not take the
        // objective's deliverable, so 1 is as its one priority activity is.
        let q1 = one.history[0].as_ref().unwrap();
        assert_eq!(
            (q1.status, q1.progress),
            (NotStarted, Some(Decimal::from(40)))
        );
        assert_eq!(q1.activities.len(), 1);
        assert_eq!(q1.days_from_plan, Some(0), "15 March is within March 2010");
        let (latest, t) = one.latest(&p.periods).unwrap();
        assert_eq!(
            (latest.to_string(), t.status),
            ("2009/10 Q2".into(), Complete)
        );
        // 2 is tracked only where the supporting activity names it, and has no plan date.
        let two = &p.deliverables[1];
        assert!(two.history[0].is_none() && two.programme_reported[0]);
        assert_eq!(two.history[1].as_ref().map(|t| t.status), Some(Delayed));
        assert_eq!(two.plan_due, None);
        let codes: Vec<&str> = findings.iter().map(|f| f.problem.code()).collect();
        assert_eq!(codes, ["untracked-deliverable"], "2 in Q1");
    }

    #[test]
    fn a_deliverable_is_as_far_on_as_its_activities_together() {
        let c = |v: &[ActivityStatus]| combined(v.iter().copied());
        assert_eq!(c(&[Complete, Complete]), Complete);
        assert_eq!(c(&[Complete, Cancelled]), Complete);
        assert_eq!(c(&[Cancelled]), Cancelled);
        assert_eq!(c(&[InProgress, Delayed, OnHold]), Delayed);
        assert_eq!(c(&[InProgress, OnHold]), OnHold);
        assert_eq!(c(&[NotStarted, NotStarted]), NotStarted);
        assert_eq!(c(&[NotStarted, Complete]), InProgress);
        assert_eq!(c(&[InProgress]), InProgress);
    }
}
