//! What changed in a period, as a short list for the board pack and the home page: each item
//! in words, linking to the detail in the board pack.

use serde::Serialize;

use super::Lookups;
use super::budget_changes::projection_words;
use super::shared::plural;
use crate::aggregate::since::Since;
use crate::aggregate::{PeriodSummary, format};
use crate::read::period::Period;

/// One line of the list.
#[derive(Serialize)]
pub(super) struct SinceItem {
    /// `activities`, `risks`, `issues`, `indicators`, `budget` or `actions`.
    pub(super) kind: &'static str,
    pub(super) text: String,
    /// Where the detail is, in the board pack.
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct SinceView {
    pub(super) items: Vec<SinceItem>,
}

/// `3 new, 1 closed and 2 re-rated`, leaving out the zeros.
fn counts(parts: &[(usize, &str)]) -> Option<String> {
    let parts: Vec<String> = (parts.iter())
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| format!("{n} {w}"))
        .collect();
    match parts.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [rest @ .., last] => Some(format!("{} and {last}", rest.join(", "))),
    }
}

fn since_period(periods: &[Period]) -> String {
    match periods {
        [one] => format!("since {one}"),
        _ => "since each programme's previous report".to_string(),
    }
}

pub(super) fn since_view(cx: &Lookups<'_>, ps: &PeriodSummary, url: &str) -> Option<SinceView> {
    let s: &Since = ps.since.as_ref()?;
    let mut items = Vec::new();
    let at = |doc: usize| {
        cx.report_anchor(doc)
            .map_or_else(|| url.to_string(), |a| format!("{url}#{a}-changes"))
    };
    let changes = format!("{url}#changes");
    if let Some(a) = &s.activities {
        let since = since_period(&a.compared_with);
        let mut any = false;
        let mut push = |kind, text: Option<String>| {
            if let Some(text) = text {
                any = true;
                items.push(SinceItem {
                    kind,
                    text,
                    url: changes.clone(),
                });
            }
        };
        push(
            "activities",
            (a.progressed + a.went_back > 0).then(|| {
                let mut t = format!(
                    "{} progressed {since}",
                    plural(a.progressed, "activity", "activities")
                );
                if a.went_back > 0 {
                    t.push_str(&format!(" and {} fell back", a.went_back));
                }
                t
            }),
        );
        push(
            "activities",
            (a.completed > 0).then(|| {
                format!(
                    "{} completed",
                    plural(a.completed, "activity", "activities")
                )
            }),
        );
        push(
            "activities",
            (a.slipped > 0)
                .then(|| format!("{} slipped", plural(a.slipped, "due date", "due dates"))),
        );
        push(
            "activities",
            counts(&[(a.added, "new"), (a.removed, "no longer reported")])
                .map(|t| format!("Activities: {t}")),
        );
        push(
            "activities",
            match (a.programmes_up, a.programmes_down) {
                (0, 0) => None,
                (up, 0) => Some(format!(
                    "Overall progress rose in {}",
                    plural(up, "programme", "programmes")
                )),
                (0, down) => Some(format!(
                    "Overall progress fell in {}",
                    plural(down, "programme", "programmes")
                )),
                (up, down) => Some(format!(
                    "Overall progress rose in {} and fell in {down}",
                    plural(up, "programme", "programmes")
                )),
            },
        );
        push(
            "risks",
            counts(&[
                (a.new_risks, "new"),
                (a.closed_risks, "closed"),
                (a.rescored_risks, "re-rated"),
            ])
            .map(|t| format!("Risks: {t}")),
        );
        push(
            "issues",
            counts(&[
                (a.new_issues, "new"),
                (a.closed_issues, "closed"),
                (a.rescored_issues, "re-rated"),
            ])
            .map(|t| format!("Issues: {t}")),
        );
        if !any {
            items.push(SinceItem {
                kind: "activities",
                text: format!(
                    "No activity, risk or issue changed {since} in {}",
                    plural(a.reports, "highlight report", "highlight reports")
                ),
                url: changes.clone(),
            });
        }
    }
    if let Some(i) = &s.indicators {
        let mut parts = Vec::new();
        if let Some(p) = i.previous_period {
            let t = counts(&[(i.improved, "improved"), (i.worsened, "worsened")]);
            parts.push(match t {
                Some(t) => format!("{t} since {p}"),
                None => format!("none better or worse than in {p}"),
            });
            if i.status_changes > 0 {
                parts.push(format!("{} changed status", i.status_changes));
            }
        }
        if let Some(y) = i.year_ago
            && let Some(t) = counts(&[
                (i.better_than_year_ago, "better"),
                (i.worse_than_year_ago, "worse"),
            ])
        {
            parts.push(format!("{t} than in {y}, the same quarter last year"));
        }
        if !parts.is_empty() {
            items.push(SinceItem {
                kind: "indicators",
                text: format!("Indicators: {}", parts.join("; ")),
                url: at(i.doc),
            });
        }
    }
    if let Some(b) = &s.budget {
        let what = match (
            projection_words(&b.projected, format::pounds),
            b.actual.change,
        ) {
            (Some(w), _) => format!("the projected outturn {w}"),
            (None, Some(c)) if c.is_sign_negative() => {
                format!("actual spend to date fell by {}", format::pounds(c.abs()))
            }
            (None, Some(c)) => format!("actual spend to date rose by {}", format::pounds(c)),
            (None, None) => "no figure to compare".to_string(),
        };
        let mut t = format!("Budget since {}: {what}", b.previous_period);
        if b.projections_moved > 0 {
            let lines = if b.projections_moved == 1 {
                "line's projection"
            } else {
                "lines' projections"
            };
            t.push_str(&format!(
                "; {} {lines} moved, {} beyond tolerance",
                b.projections_moved, b.beyond_tolerance
            ));
        }
        items.push(SinceItem {
            kind: "budget",
            text: t,
            url: at(b.doc),
        });
    }
    if let Some(a) = &s.actions {
        let parts: Vec<String> = [
            (a.completed > 0).then(|| format!("{} completed", a.completed)),
            counts(&[(a.improved, "better"), (a.worsened, "worse")])
                .map(|t| format!("judgements {t}")),
            counts(&[(a.added, "new"), (a.removed, "no longer in the plan")]),
        ]
        .into_iter()
        .flatten()
        .collect();
        items.push(SinceItem {
            kind: "actions",
            text: if parts.is_empty() {
                format!("Actions: no judgement changed since {}", a.previous_period)
            } else {
                format!("Actions since {}: {}", a.previous_period, parts.join("; "))
            },
            url: at(a.doc),
        });
    }
    Some(SinceView { items })
}
