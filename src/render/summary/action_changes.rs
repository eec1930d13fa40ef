//! An action plan against the previous one, laid out for its page.

use serde::Serialize;

use super::Lookups;
use crate::aggregate::Trend;
use crate::aggregate::action_changes::{ActionChanges, ActionRef};
use crate::content::{ActionPlan, Data};
use crate::read::words::Judgement;

#[derive(Serialize)]
pub(super) struct ActionView {
    pub(super) objective: String,
    pub(super) objective_title: Option<String>,
    pub(super) id: Option<String>,
    pub(super) title: String,
    pub(super) judgement: Judgement,
}

#[derive(Serialize)]
pub(super) struct JudgementChangeView {
    pub(super) action: ActionView,
    pub(super) from: Judgement,
    /// `better`, `worse`, or `changed` (to or from unknown).
    pub(super) direction: &'static str,
}

#[derive(Serialize)]
pub(super) struct ActionChangesView {
    pub(super) previous_period: String,
    pub(super) previous_url: Option<String>,
    pub(super) judgement_changes: Vec<JudgementChangeView>,
    pub(super) completed: usize,
    pub(super) added: Vec<ActionView>,
    pub(super) removed: Vec<ActionView>,
    /// Nothing changed.
    pub(super) empty: bool,
}

fn action_view(plan: Option<&ActionPlan>, a: &ActionRef) -> ActionView {
    ActionView {
        objective: a.objective.clone(),
        objective_title: plan.and_then(|p| {
            (p.objectives.iter())
                .find(|o| o.id == a.objective)
                .map(|o| o.title.clone())
        }),
        id: a.id.clone(),
        title: a.title.clone(),
        judgement: a.judgement,
    }
}

pub(super) fn changes_view(
    cx: &Lookups<'_>,
    plan: &ActionPlan,
    c: &ActionChanges,
) -> ActionChangesView {
    let before = match cx.docs.get(c.previous_doc).map(|d| &d.data) {
        Some(Data::Actions(p)) => Some(p),
        _ => None,
    };
    ActionChangesView {
        previous_period: c.previous_period.to_string(),
        previous_url: cx.report_url(c.previous_doc).map(str::to_string),
        judgement_changes: (c.judgement_changes.iter())
            .map(|j| JudgementChangeView {
                action: action_view(Some(plan), &j.action),
                from: j.from,
                direction: match j.direction {
                    Trend::Up => "better",
                    Trend::Down => "worse",
                    _ => "changed",
                },
            })
            .collect(),
        completed: c.completed.len(),
        added: c.added.iter().map(|a| action_view(Some(plan), a)).collect(),
        removed: c.removed.iter().map(|a| action_view(before, a)).collect(),
        empty: c.is_empty(),
    }
}
