//! The checks a plan needs beyond its own file's syntax: its ids, programmes, budget lines and
//! dates, and the `deliverable` references of the highlight reports written against it.
//!
//! A dangling reference (an unknown deliverable, programme or budget line) is an error: the
//! page could not link it. A date outside the plan's year is a warning, as it is in a report.
//! How the reports' dates and statuses compare with the plan's are findings, worked out in
//! [`crate::aggregate::plan`].

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::Config;
use crate::content::plan::{OperationalPlan, PlanDate};
use crate::content::validate::Ids;
use crate::content::{Data, Document, Highlight};
use crate::diagnostic::{Diagnostic, Problem, suggest};
use crate::read::period::Period;
use crate::source::SourceFile;

/// The plan for each financial year: the first, by path, of those without errors. A second
/// plan for a year is reported by [`crate::content::validate`] as a duplicate.
pub fn plans_by_year(docs: &[Document]) -> HashMap<Period, (usize, &OperationalPlan)> {
    let mut out = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if let Data::Plan(p) = &d.data
            && !d.has_errors
        {
            out.entry(p.period).or_insert((i, p));
        }
    }
    out
}

/// Every check of plans and of the reports' references to them.
pub fn check(docs: &[Document], config: &Config, programmes: &[String], out: &mut Vec<Diagnostic>) {
    for d in docs {
        if let Data::Plan(p) = &d.data {
            check_plan(&d.file, p, docs, config, programmes, out);
        }
    }
    let plans = plans_by_year(docs);
    if plans.is_empty() {
        return;
    }
    for d in docs {
        if let Data::Highlight(h) = &d.data
            && let Some((at, plan)) = plans.get(&h.period.year_of())
        {
            check_references(&d.file, h, &docs[*at], plan, out);
        }
    }
}

fn check_plan(
    f: &Arc<SourceFile>,
    p: &OperationalPlan,
    docs: &[Document],
    config: &Config,
    programmes: &[String],
    out: &mut Vec<Diagnostic>,
) {
    let mut outcomes = Ids::new("outcome");
    for o in &p.outcomes {
        outcomes.add(f, &o.id, o.span.clone(), out);
    }
    let mut deliverables = Ids::new("deliverable");
    for d in &p.deliverables {
        deliverables.add(f, &d.id, d.span.clone(), out);
    }
    let ids: Vec<&str> = p.deliverables.iter().map(|d| d.id.as_str()).collect();
    for o in &p.outcomes {
        for ob in &o.objectives {
            for r in ob
                .deliverables
                .iter()
                .filter(|r| !ids.contains(&r.value.as_str()))
            {
                out.push(Diagnostic::new(
                    Problem::UnknownReference {
                        what: "deliverable",
                        id: r.value.clone(),
                        suggestion: suggest(&r.value, ids.iter().copied()).map(str::to_string),
                    },
                    f,
                    r.span.clone(),
                ));
            }
        }
    }
    // Budget lines are stable across a year's papers: any budget of the plan's year will do.
    let lines: Vec<&str> = (docs.iter())
        .filter_map(|d| match &d.data {
            Data::Budget(b) if b.period.year_of() == p.period => Some(b),
            _ => None,
        })
        .flat_map(|b| b.lines.iter().map(|l| l.id.as_str()))
        .collect();
    let year = p.period.bounds(config.year_start);
    let mut outside =
        |what: &'static str, date: Option<PlanDate>, span: &std::ops::Range<usize>| {
            if let Some(date) = date.filter(|d| !d.within(year)) {
                out.push(
                    Diagnostic::new(
                        Problem::PlanDateOutsideYear {
                            what,
                            date: date.words(),
                            year: p.period.to_string(),
                        },
                        f,
                        span.clone(),
                    )
                    .with_label(format!("the plan year runs {} to {}", year.start, year.end)),
                );
            }
        };
    for d in &p.deliverables {
        outside("due date", d.due, &d.due_span);
        for a in &d.activities {
            outside("start date", a.start, &a.start_span);
            outside("target date", a.due, &a.due_span);
            for m in &a.milestones {
                outside("milestone date", Some(m.due), &m.due_span);
            }
        }
    }
    for d in &p.deliverables {
        if !programmes.contains(&d.programme) {
            out.push(Diagnostic::new(
                Problem::UnknownReference {
                    what: "programme",
                    id: d.programme.clone(),
                    suggestion: suggest(&d.programme, programmes.iter().map(String::as_str))
                        .map(str::to_string),
                },
                f,
                d.programme_span.clone(),
            ));
        }
        for l in d
            .budget_lines
            .iter()
            .filter(|l| !lines.contains(&l.value.as_str()))
        {
            out.push(
                Diagnostic::new(
                    Problem::UnknownReference {
                        what: "budget line",
                        id: l.value.clone(),
                        suggestion: suggest(&l.value, lines.iter().copied()).map(str::to_string),
                    },
                    f,
                    l.span.clone(),
                )
                .with_label(format!("no budget of {} has this line", p.period)),
            );
        }
    }
}

/// A report's `deliverable` values must be deliverables of its year's plan.
fn check_references(
    f: &Arc<SourceFile>,
    h: &Highlight,
    plan_doc: &Document,
    plan: &OperationalPlan,
    out: &mut Vec<Diagnostic>,
) {
    let ids: Vec<&str> = plan.deliverables.iter().map(|d| d.id.as_str()).collect();
    let named = h.objectives.iter().flat_map(|o| {
        let own = o.deliverable.as_ref().map(|d| (d, &o.deliverable_span));
        let acts = (o.activities.iter())
            .filter_map(|a| a.deliverable.as_ref().map(|d| (d, &a.deliverable_span)));
        own.into_iter().chain(acts)
    });
    for (id, span) in named.filter(|(id, _)| !ids.contains(&id.as_str())) {
        out.push(Diagnostic::new(
            Problem::UnknownDeliverable {
                id: id.clone(),
                year: plan.period.to_string(),
                plan: plan_doc.file.display.clone(),
                suggestion: nearest(id, &ids),
            },
            f,
            span.clone(),
        ));
    }
}

/// The plan's id nearest to `id`. The seeds number their deliverables, so first one with the
/// same number: another letter (`20b` for `20c`), or the lettered one of a bare number (`22b`
/// for `22` where the plan has no `22`); then the usual "did you mean".
fn nearest(id: &str, ids: &[&str]) -> Option<String> {
    let number = |s: &str| s.trim_end_matches(|c: char| c.is_ascii_alphabetic()).len();
    let (n, lettered) = (&id[..number(id)], number(id) < id.len());
    let same: Vec<&str> = (ids.iter().copied())
        .filter(|c| !n.is_empty() && &c[..number(c)] == n)
        .collect();
    let pick = (same.iter())
        .find(|c| (number(c) < c.len()) == lettered)
        .or(same.first());
    pick.copied()
        .or_else(|| suggest(id, ids.iter().copied()))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn the_nearest_deliverable_shares_its_number() {
        let ids = ["1", "2", "20", "20b", "22", "22b"];
        assert_eq!(nearest("20c", &ids).as_deref(), Some("20b"));
        assert_eq!(nearest("2b", &ids).as_deref(), Some("2"));
        assert_eq!(nearest("21", &["20", "21b"]).as_deref(), Some("21b"));
        assert_eq!(nearest("x", &ids), None);
    }
}
