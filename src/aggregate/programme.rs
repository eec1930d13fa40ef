//! Programme summaries: progress roll-ups checked against stated figures, counts, delayed,
//! overdue and unexplained items, and what changed since the programme's previous report.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::aggregate::Overflow;
use crate::aggregate::register;
use crate::aggregate::rollup::roll_up;
use crate::aggregate::{Count, Trend, finding};
use crate::config::Config;
use crate::content::highlight::{Activity, Highlight, Objective, RegisterEntry};
use crate::content::{Data, Document};
use crate::diagnostic::{Diagnostic, FindingKind};
use crate::read::period::Period;
use crate::read::words::{ActivityKind, ActivityStatus, BudgetStatus, RollupRule};

#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeSummary {
    /// Index of the highlight report in the loaded documents.
    pub doc: usize,
    pub programme: String,
    pub title: String,
    pub period: Period,
    /// The overall progress the report states, if it states one.
    pub stated: Option<Decimal>,
    /// The overall progress boardpack computes from the objectives.
    pub computed: Option<Decimal>,
    /// The exact mean behind `computed`.
    pub mean: Option<Decimal>,
    /// Whether stated and computed differ by more than the tolerance.
    pub differs: bool,
    pub objectives: Vec<ObjectiveSummary>,
    pub activity_count: usize,
    pub by_status: Vec<Count>,
    pub by_kind: Vec<Count>,
    pub by_budget: Vec<Count>,
    pub delayed: Vec<ActivityRef>,
    pub overdue: Vec<ActivityRef>,
    pub due_next: Vec<ActivityRef>,
    pub unexplained: Vec<Unexplained>,
    pub changes: Option<Changes>,
    pub trend_previous: Trend,
    pub trend_year: Trend,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveSummary {
    pub id: String,
    pub title: String,
    pub stated: Option<Decimal>,
    pub computed: Option<Decimal>,
    pub mean: Option<Decimal>,
    /// What the programme roll-up uses: the stated figure where there is one, else the computed.
    pub effective: Option<Decimal>,
    pub differs: bool,
    pub activity_count: usize,
    pub budget_status: Option<BudgetStatus>,
}

/// An activity named in a list, with enough to find and show it.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityRef {
    pub programme: String,
    pub objective: String,
    pub id: Option<String>,
    pub title: String,
    pub kind: ActivityKind,
    pub due: Date,
    pub status: ActivityStatus,
    pub progress: Decimal,
}

/// An amber, red or delayed item that nothing explains.
#[derive(Debug, Clone, Serialize)]
pub struct Unexplained {
    pub programme: String,
    pub objective: String,
    pub what: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Changes {
    pub previous_period: Option<Period>,
    pub progress_delta: Option<Decimal>,
    pub status_changes: Vec<StatusChange>,
    /// Matched activities whose progress is not what it was.
    pub progress_changes: Vec<ProgressChange>,
    pub slipped: Vec<Slip>,
    /// Activities in this report and not the previous one, and the reverse; by objective.
    pub activities_added: Vec<ActivityMention>,
    pub activities_removed: Vec<ActivityMention>,
    pub new_risks: Vec<String>,
    pub closed_risks: Vec<String>,
    /// Risks and issues in both reports whose status (the seeds' only rating) changed.
    pub rescored_risks: Vec<Rescore>,
    pub new_issues: Vec<String>,
    pub closed_issues: Vec<String>,
    pub rescored_issues: Vec<Rescore>,
    pub objectives_added: Vec<String>,
    pub objectives_removed: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.progress_delta.is_none_or(|d| d.is_zero())
            && self.status_changes.is_empty()
            && self.progress_changes.is_empty()
            && self.activities_added.is_empty()
            && self.activities_removed.is_empty()
            && self.rescored_risks.is_empty()
            && self.rescored_issues.is_empty()
            && self.slipped.is_empty()
            && self.new_risks.is_empty()
            && self.closed_risks.is_empty()
            && self.new_issues.is_empty()
            && self.closed_issues.is_empty()
            && self.objectives_added.is_empty()
            && self.objectives_removed.is_empty()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusChange {
    pub objective: String,
    pub title: String,
    pub from: ActivityStatus,
    pub to: ActivityStatus,
}

/// A matched activity whose progress changed.
#[derive(Debug, Clone, Serialize)]
pub struct ProgressChange {
    pub objective: String,
    pub title: String,
    pub from: Decimal,
    pub to: Decimal,
}

/// An activity named by its objective and title.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityMention {
    pub objective: String,
    pub title: String,
}

/// A risk or issue whose status or score changed. The seeds rate risks by status alone
/// (`On-going`); a register that scores likelihood × impact is compared by score as well.
#[derive(Debug, Clone, Serialize)]
pub struct Rescore {
    pub id: String,
    pub title: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub from_score: Option<u8>,
    pub to_score: Option<u8>,
    /// Whether the status changed, once case, spacing and punctuation are set aside.
    pub status_changed: bool,
    /// `escalated`, `de-escalated`, `re-rated` or `reopened`, from [`register::step`].
    pub step: &'static str,
}

/// The same activity due later than it was in the previous report.
#[derive(Debug, Clone, Serialize)]
pub struct Slip {
    #[serde(skip)]
    pub span: std::ops::Range<usize>,
    pub programme: String,
    pub objective: String,
    pub title: String,
    pub from: Date,
    pub to: Date,
    pub days: i32,
}

/// A mean as a finding states it: exact up to two decimal places (`52.5`), and otherwise
/// rounded and marked as such (`about 59.67`).
fn mean_text(mean: Decimal) -> String {
    let m = mean.normalize();
    if m.scale() <= 2 {
        m.to_string()
    } else {
        format!("about {}", m.round_dp(2).normalize())
    }
}

fn activity_ref(programme: &str, o: &Objective, a: &Activity) -> ActivityRef {
    ActivityRef {
        programme: programme.to_string(),
        objective: o.id.clone(),
        id: a.id.clone(),
        title: a.title.clone(),
        kind: a.kind,
        due: a.due,
        status: a.status,
        progress: a.progress,
    }
}

fn is_done(s: ActivityStatus) -> bool {
    matches!(s, ActivityStatus::Complete | ActivityStatus::Cancelled)
}

/// An objective's figures. A weighted roll-up too large to work out is an [`Overflow`] at the
/// activity where it arose, and leaves the objective without a computed figure.
fn objective_summary(
    rule: RollupRule,
    tolerance: Decimal,
    o: &Objective,
) -> (ObjectiveSummary, Option<Overflow>) {
    let parts: Vec<(Decimal, Decimal)> = o
        .activities
        .iter()
        .map(|a| (a.progress, a.weight.unwrap_or(Decimal::ONE)))
        .collect();
    let (rolled, overflow) = match roll_up(rule, &parts) {
        Ok(r) => (r, None),
        Err(i) => (
            None,
            Some(Overflow {
                span: o
                    .activities
                    .get(i)
                    .map_or(o.span.clone(), |a| a.span.clone()),
                what: format!("the weighted progress of objective {}", o.id),
            }),
        ),
    };
    let computed = rolled.map(|r| r.1);
    let differs =
        matches!((o.stated_progress, computed), (Some(s), Some(c)) if (s - c).abs() > tolerance);
    let summary = ObjectiveSummary {
        id: o.id.clone(),
        title: o.title.clone(),
        stated: o.stated_progress,
        computed,
        mean: rolled.map(|r| r.0),
        effective: o.stated_progress.or(computed),
        differs,
        activity_count: o.activities.len(),
        budget_status: o.budget_status,
    };
    (summary, overflow)
}

fn counts<T: Copy + Eq>(
    all: &[T],
    items: impl Iterator<Item = T>,
    key: fn(T) -> (String, String),
) -> Vec<Count> {
    let items: Vec<T> = items.collect();
    all.iter()
        .map(|w| {
            let (key, label) = key(*w);
            Count {
                key,
                label,
                count: items.iter().filter(|i| *i == w).count(),
            }
        })
        .collect()
}

/// Summarise one highlight report. Findings go to `findings`.
pub fn summarise(
    config: &Config,
    doc_index: usize,
    doc: &Document,
    h: &Highlight,
    findings: &mut Vec<Diagnostic>,
) -> ProgrammeSummary {
    let rule = config.rollup;
    let tolerance = config.tolerances.progress;
    let mut objectives = Vec::with_capacity(h.objectives.len());
    for o in &h.objectives {
        let (summary, overflow) = objective_summary(rule, tolerance, o);
        findings.extend(overflow.map(|x| x.diagnostic(doc)));
        objectives.push(summary);
    }
    for (o, s) in h.objectives.iter().zip(&objectives) {
        if let (true, Some(stated), Some(computed), Some(mean)) =
            (s.differs, s.stated, s.computed, s.mean)
        {
            findings.push(finding(
                doc,
                o.span.clone(),
                FindingKind::ProgressMismatch,
                format!(
                    "objective {} states {stated}% progress; its {} activities average {}, which gives {computed}% ({})",
                    o.id,
                    s.activity_count,
                    mean_text(mean),
                    rule.name()
                ),
            ));
        }
    }
    // Each level is checked against the level below as the report presents it: the programme
    // against its objectives' figures (stated where given), the objectives against activities.
    let mut parts: Vec<(Decimal, Decimal)> = Vec::with_capacity(objectives.len());
    let mut at = Vec::with_capacity(objectives.len());
    let mut overflow = None;
    for (o, s) in h.objectives.iter().zip(&objectives) {
        let w = (o.activities.iter()).try_fold(Decimal::ZERO, |w, a| {
            w.checked_add(a.weight.unwrap_or(Decimal::ONE))
        });
        let Some(w) = w else {
            overflow.get_or_insert(Overflow {
                span: o.span.clone(),
                what: format!("the total weight of objective {}", o.id),
            });
            continue;
        };
        let w = if w.is_zero() { Decimal::ONE } else { w };
        if let Some(e) = s.effective {
            parts.push((e, w));
            at.push(o.span.clone());
        }
    }
    let rolled = match roll_up(rule, &parts) {
        Ok(r) => r,
        Err(i) => {
            overflow.get_or_insert(Overflow {
                span: at.get(i).cloned().unwrap_or(h.programme_span.clone()),
                what: format!("the weighted progress of {}", h.title),
            });
            None
        }
    };
    findings.extend(overflow.map(|x| x.diagnostic(doc)));
    let computed = rolled.map(|r| r.1);
    let differs =
        matches!((h.stated_progress, computed), (Some(s), Some(c)) if (s - c).abs() > tolerance);
    if let (true, Some(stated), Some(computed), Some((mean, _))) =
        (differs, h.stated_progress, computed, rolled)
    {
        findings.push(finding(
            doc,
            h.programme_span.clone(),
            FindingKind::ProgressMismatch,
            format!(
                "{} states {stated}% overall progress; its {} objectives average {}, which gives {computed}% ({})",
                h.title,
                parts.len(),
                mean_text(mean),
                rule.name()
            ),
        ));
    }

    let period_end = h.period.end(config.year_start);
    let next = h.period.next().bounds(config.year_start);
    let mut delayed = Vec::new();
    let mut overdue = Vec::new();
    let mut due_next = Vec::new();
    let mut unexplained = Vec::new();
    for o in &h.objectives {
        for a in &o.activities {
            let r = activity_ref(&h.programme, o, a);
            if a.status == ActivityStatus::Delayed {
                delayed.push(r.clone());
                if a.footnote.is_none() && o.footnote.is_none() {
                    findings.push(finding(
                        doc,
                        a.span.clone(),
                        FindingKind::Unexplained,
                        format!(
                            "delayed activity in objective {} has no footnote explaining why",
                            o.id
                        ),
                    ));
                    unexplained.push(Unexplained {
                        programme: h.programme.clone(),
                        objective: o.id.clone(),
                        what: "delayed activity".into(),
                        title: a.title.clone(),
                    });
                }
            }
            if a.due <= period_end && !is_done(a.status) {
                overdue.push(r.clone());
            }
            if next.contains(a.due) && !is_done(a.status) {
                due_next.push(r);
            }
        }
        if matches!(
            o.budget_status,
            Some(BudgetStatus::Amber | BudgetStatus::Red)
        ) && o
            .budget_reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
        {
            let status = o.budget_status.map(|s| s.label()).unwrap_or_default();
            findings.push(finding(
                doc,
                o.span.clone(),
                FindingKind::Unexplained,
                format!(
                    "objective {} has budget status {status} and no reason",
                    o.id
                ),
            ));
            unexplained.push(Unexplained {
                programme: h.programme.clone(),
                objective: o.id.clone(),
                what: format!("budget status {status}"),
                title: o.title.clone(),
            });
        }
    }
    let activities = || h.objectives.iter().flat_map(|o| o.activities.iter());
    ProgrammeSummary {
        doc: doc_index,
        programme: h.programme.clone(),
        title: h.title.clone(),
        period: h.period,
        stated: h.stated_progress,
        computed,
        mean: rolled.map(|r| r.0),
        differs,
        activity_count: activities().count(),
        by_status: counts(ActivityStatus::ALL, activities().map(|a| a.status), |w| {
            (w.key(), w.label())
        }),
        by_kind: counts(ActivityKind::ALL, activities().map(|a| a.kind), |w| {
            (w.key(), w.label())
        }),
        by_budget: counts(
            BudgetStatus::ALL,
            h.objectives.iter().filter_map(|o| o.budget_status),
            |w| (w.key(), w.label()),
        ),
        objectives,
        delayed,
        overdue,
        due_next,
        unexplained,
        changes: None,
        trend_previous: Trend::None,
        trend_year: Trend::None,
    }
}

/// Fill in changes and trends, comparing each report with the programme's latest earlier one
/// and with the same period a year before.
pub fn compare(
    summaries: &mut [ProgrammeSummary],
    docs: &[Document],
    findings: &mut Vec<Diagnostic>,
) {
    let index: BTreeMap<(String, Period), usize> = summaries
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.programme.clone(), s.period), i))
        .collect();
    // Each report against its predecessors, in parallel, reading the summaries only; the
    // results are written back, and their findings gathered, in the summaries' order.
    let view: &[ProgrammeSummary] = summaries;
    let compared: Vec<Compared> = (0..view.len())
        .into_par_iter()
        .map(|i| compare_one(view, i, &index, docs))
        .collect();
    for (s, c) in summaries.iter_mut().zip(compared) {
        s.trend_year = c.trend_year;
        if let Some((trend, changes, found)) = c.previous {
            s.trend_previous = trend;
            if changes.is_some() {
                s.changes = changes;
            }
            findings.extend(found);
        }
    }
}

/// One report compared with its programme's latest earlier one and the same period a year
/// before.
struct Compared {
    trend_year: Trend,
    /// With a previous report: the trend since, the changes where both are highlight
    /// reports, and the findings on them.
    previous: Option<(Trend, Option<Changes>, Vec<Diagnostic>)>,
}

fn compare_one(
    summaries: &[ProgrammeSummary],
    i: usize,
    index: &BTreeMap<(String, Period), usize>,
    docs: &[Document],
) -> Compared {
    let (programme, period) = (summaries[i].programme.clone(), summaries[i].period);
    let previous = index
        .range(
            (
                programme.clone(),
                Period {
                    year: i16::MIN,
                    quarter: None,
                },
            )..(programme.clone(), period),
        )
        .next_back()
        .map(|(_, j)| *j);
    let year_before = index
        .get(&(programme.clone(), period.year_earlier()))
        .copied();
    let trend_year = year_before.map_or(Trend::None, |j| {
        Trend::between(summaries[j].computed, summaries[i].computed)
    });
    let Some(j) = previous else {
        return Compared {
            trend_year,
            previous: None,
        };
    };
    let trend_previous = Trend::between(summaries[j].computed, summaries[i].computed);
    let (Data::Highlight(now), Data::Highlight(before)) =
        (&docs[summaries[i].doc].data, &docs[summaries[j].doc].data)
    else {
        return Compared {
            trend_year,
            previous: Some((trend_previous, None, Vec::new())),
        };
    };
    let mut found = Vec::new();
    let mut c = diff(before, now);
    c.previous_period = Some(summaries[j].period);
    c.progress_delta = match (summaries[j].computed, summaries[i].computed) {
        (Some(a), Some(b)) => Some(b - a),
        _ => None,
    };
    for s in &c.slipped {
        found.push(finding(
            &docs[summaries[i].doc],
            s.span.clone(),
            FindingKind::Slipped,
            format!(
                "\u{201c}{}\u{201d} (objective {}) is now due {}, {} days later than the {} due date {}",
                s.title, s.objective, s.to, s.days, summaries[j].period, s.from
            ),
        ));
    }
    Compared {
        trend_year,
        previous: Some((trend_previous, Some(c), found)),
    }
}

/// What changed between two reports of one programme.
pub fn diff(before: &Highlight, now: &Highlight) -> Changes {
    let mut c = Changes::default();
    let ids = |h: &Highlight| {
        h.objectives
            .iter()
            .map(|o| o.id.clone())
            .collect::<BTreeSet<_>>()
    };
    let (old, new) = (ids(before), ids(now));
    c.objectives_added = new.difference(&old).cloned().collect();
    c.objectives_removed = old.difference(&new).cloned().collect();
    let old_acts: BTreeMap<(String, String), &Activity> = before
        .objectives
        .iter()
        .flat_map(|o| {
            o.activities
                .iter()
                .map(move |a| ((o.id.clone(), a.match_key()), a))
        })
        .collect();
    let mut matched = BTreeSet::new();
    for o in &now.objectives {
        for a in &o.activities {
            let key = (o.id.clone(), a.match_key());
            let Some(prev) = old_acts.get(&key) else {
                if !old.contains(&o.id) {
                    // A new objective's activities are said once, as the objective.
                    continue;
                }
                c.activities_added.push(ActivityMention {
                    objective: o.id.clone(),
                    title: a.title.clone(),
                });
                continue;
            };
            matched.insert(key);
            if prev.progress != a.progress {
                c.progress_changes.push(ProgressChange {
                    objective: o.id.clone(),
                    title: a.title.clone(),
                    from: prev.progress,
                    to: a.progress,
                });
            }
            if prev.status != a.status {
                c.status_changes.push(StatusChange {
                    objective: o.id.clone(),
                    title: a.title.clone(),
                    from: prev.status,
                    to: a.status,
                });
            }
            if a.due > prev.due {
                let days = (a.due - prev.due).get_days();
                c.slipped.push(Slip {
                    span: a.span.clone(),
                    programme: now.programme.clone(),
                    objective: o.id.clone(),
                    title: a.title.clone(),
                    from: prev.due,
                    to: a.due,
                    days,
                });
            }
        }
    }
    for o in before.objectives.iter().filter(|o| new.contains(&o.id)) {
        for a in &o.activities {
            if !matched.contains(&(o.id.clone(), a.match_key())) {
                c.activities_removed.push(ActivityMention {
                    objective: o.id.clone(),
                    title: a.title.clone(),
                });
            }
        }
    }
    let reg = |v: &[RegisterEntry]| v.iter().map(|r| r.id.clone()).collect::<BTreeSet<_>>();
    let (r0, r1) = (reg(&before.risks), reg(&now.risks));
    c.new_risks = r1.difference(&r0).cloned().collect();
    c.closed_risks = closed(&before.risks, &now.risks, &r0, &r1);
    c.rescored_risks = rescored(&before.risks, &now.risks);
    let (i0, i1) = (reg(&before.issues), reg(&now.issues));
    c.new_issues = i1.difference(&i0).cloned().collect();
    c.closed_issues = closed(&before.issues, &now.issues, &i0, &i1);
    c.rescored_issues = rescored(&before.issues, &now.issues);
    c
}

/// Entries closed since the report before: marked closed now and live then, or gone from the
/// register (which `register-dropped` questions where they were live).
fn closed(
    before: &[RegisterEntry],
    now: &[RegisterEntry],
    ids_before: &BTreeSet<String>,
    ids_now: &BTreeSet<String>,
) -> Vec<String> {
    let mut out: BTreeSet<String> = ids_before.difference(ids_now).cloned().collect();
    for r in now.iter().filter(|r| r.is_closed()) {
        if before.iter().any(|p| p.id == r.id && !p.is_closed()) {
            out.insert(r.id.clone());
        }
    }
    out.into_iter().collect()
}

/// Entries in both registers, by id, whose status or score changed, other than by closing
/// (said once, as closed). Statuses compare with case, spacing and punctuation set aside.
fn rescored(before: &[RegisterEntry], now: &[RegisterEntry]) -> Vec<Rescore> {
    let by_id: BTreeMap<&str, &RegisterEntry> =
        before.iter().rev().map(|r| (r.id.as_str(), r)).collect();
    now.iter()
        .filter_map(|r| {
            let prev = by_id.get(r.id.as_str())?;
            let step = register::step(prev, r).filter(|s| *s != "closed")?;
            Some(Rescore {
                id: r.id.clone(),
                title: r.title.clone(),
                from: prev.status.clone(),
                to: r.status.clone(),
                from_score: prev.score,
                to_score: r.score,
                status_changed: register::plain(&prev.status) != register::plain(&r.status),
                step,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::testing::docs;

    fn report(period: &str, body: &str) -> String {
        format!(
            "kind = \"highlight\"\nprogramme = \"p\"\ntitle = \"P\"\nperiod = \"{period}\"\nlead = \"L\"\n{body}"
        )
    }

    fn activity(id: &str, status: &str, progress: u32) -> String {
        format!(
            "[[objectives.activities]]\nid = \"{id}\"\ntitle = \"{id}\"\nkind = \"priority\"\ndue = 2010-03-31\nstatus = \"{status}\"\nprogress = {progress}\n"
        )
    }

    fn risk(id: &str, status: &str) -> String {
        format!("[[risks]]\nid = \"{id}\"\ntitle = \"{id}\"\nstatus = \"{status}\"\n")
    }

    fn highlights(texts: [String; 2]) -> (Highlight, Highlight) {
        let d = docs(&[&texts[0], &texts[1]]);
        match (&d[0].data, &d[1].data) {
            (Data::Highlight(a), Data::Highlight(b)) => (a.clone(), b.clone()),
            _ => unreachable!("highlight reports"),
        }
    }

    #[test]
    fn progress_activities_and_registers_since_the_previous_report() {
        let o = "[[objectives]]\nid = \"o1\"\ntitle = \"O1\"\n";
        let (before, now) = highlights([
            report(
                "2009/10 Q1",
                &[
                    o,
                    &activity("a", "in progress", 60),
                    &activity("b", "in progress", 30),
                    &activity("c", "not started", 0),
                    &risk("R001", "On-going"),
                    &risk("R002", "On-going"),
                    &risk("R004", "On-going"),
                    &risk("R005", "On-going"),
                    "likelihood = 2\nimpact = 3\n",
                ]
                .concat(),
            ),
            report(
                "2009/10 Q2",
                &[
                    o,
                    &activity("a", "complete", 100),
                    &activity("b", "in progress", 25),
                    &activity("d", "not started", 0),
                    "[[objectives]]\nid = \"o2\"\ntitle = \"O2\"\n",
                    &activity("e", "not started", 0),
                    &risk("R001", "Ongoing"),
                    &risk("R002", "Closed"),
                    &risk("R003", "On-going"),
                    &risk("R005", "On-going"),
                    "likelihood = 3\nimpact = 3\n",
                ]
                .concat(),
            ),
        ]);
        let c = diff(&before, &now);
        let progress: Vec<(&str, Decimal, Decimal)> = c
            .progress_changes
            .iter()
            .map(|p| (p.title.as_str(), p.from, p.to))
            .collect();
        assert_eq!(
            progress,
            [
                ("a", Decimal::from(60), Decimal::from(100)),
                ("b", Decimal::from(30), Decimal::from(25))
            ]
        );
        assert_eq!(c.status_changes.len(), 1);
        assert_eq!(c.status_changes[0].to, ActivityStatus::Complete);
        // A new objective's activities are said once, as the objective.
        assert_eq!(
            c.activities_added
                .iter()
                .map(|a| a.title.as_str())
                .collect::<Vec<_>>(),
            ["d"]
        );
        assert_eq!(
            c.activities_removed
                .iter()
                .map(|a| a.title.as_str())
                .collect::<Vec<_>>(),
            ["c"]
        );
        assert_eq!(c.objectives_added, ["o2"]);
        assert_eq!(
            (c.new_risks.clone(), c.closed_risks.clone()),
            (
                vec!["R003".to_string()],
                vec!["R002".to_string(), "R004".to_string()]
            )
        );
        // `On-going` and `Ongoing` are one status, as the seed writes both.
        let rescored: Vec<(&str, Option<&str>, Option<&str>)> = c
            .rescored_risks
            .iter()
            .map(|r| (r.id.as_str(), r.from.as_deref(), r.to.as_deref()))
            .collect();
        // R002's closing is said once, among the closed; a score that rose is an escalation.
        assert_eq!(rescored, [("R005", Some("On-going"), Some("On-going"))]);
        assert_eq!(c.rescored_risks[0].step, "escalated");
        assert!(!c.is_empty());
    }

    #[test]
    fn a_report_the_same_as_the_last_has_no_changes() {
        let text = report(
            "2009/10 Q1",
            &[
                "[[objectives]]\nid = \"o1\"\ntitle = \"O1\"\n",
                &activity("a", "in progress", 60),
                &risk("R001", "On-going"),
            ]
            .concat(),
        );
        let (before, now) = highlights([text.clone(), text.replace("2009/10 Q1", "2009/10 Q2")]);
        let c = diff(&before, &now);
        assert!(c.is_empty(), "{c:?}");
    }
}
