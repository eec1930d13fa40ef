//! An action plan against the previous one: judgements that changed, actions completed, and
//! actions that appeared or are no longer in the plan, matched across periods by id, or by
//! objective and title where an action has no id.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

use crate::aggregate::Trend;
use crate::aggregate::actions::ActionPlanSummary;
use crate::content::actions::{Action, ActionObjective, ActionPlan};
use crate::content::{Data, Document};
use crate::read::period::Period;
use crate::read::words::{Judgement, normalise};

/// An action, named enough to find it in its plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionRef {
    pub objective: String,
    pub id: Option<String>,
    pub title: String,
    pub judgement: Judgement,
}

/// An action whose judgement of progress changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JudgementChange {
    pub action: ActionRef,
    pub from: Judgement,
    /// `Up` for better (behind → on track → complete), `Down` for worse, `None` to or from
    /// unknown.
    pub direction: Trend,
}

/// What changed in an action plan since the previous one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionChanges {
    pub previous_period: Period,
    pub previous_doc: usize,
    /// Matched actions whose judgement changed, completions among them, in plan order.
    pub judgement_changes: Vec<JudgementChange>,
    /// Matched actions now complete that were not.
    pub completed: Vec<ActionRef>,
    /// Actions in this plan and not the previous one.
    pub added: Vec<ActionRef>,
    /// Actions in the previous plan and not this one.
    pub removed: Vec<ActionRef>,
}

impl ActionChanges {
    pub fn is_empty(&self) -> bool {
        self.judgement_changes.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }
}

/// How far along a judgement is; unknown is not on the scale.
fn rank(j: Judgement) -> Option<u8> {
    match j {
        Judgement::Behind => Some(0),
        Judgement::OnTrack => Some(1),
        Judgement::Complete => Some(2),
        Judgement::Unknown => None,
    }
}

/// The key an action is matched by across periods: its id, or where it has none its
/// objective's id and its title, normalised.
pub fn match_key(o: &ActionObjective, a: &Action) -> String {
    match &a.id {
        Some(id) => format!("id:{id}"),
        None => format!("title:{}:{}", o.id, normalise(&a.title)),
    }
}

fn action_ref(o: &ActionObjective, a: &Action) -> ActionRef {
    ActionRef {
        objective: o.id.clone(),
        id: a.id.clone(),
        title: a.title.clone(),
        judgement: a.judgement,
    }
}

/// What changed between two plans, the earlier being the document at `previous_doc`. Actions
/// that share a key are paired in the order written.
pub fn diff(before: &ActionPlan, previous_doc: usize, now: &ActionPlan) -> ActionChanges {
    let mut old: BTreeMap<String, VecDeque<(&ActionObjective, &Action)>> = BTreeMap::new();
    for (o, a) in before.actions() {
        old.entry(match_key(o, a)).or_default().push_back((o, a));
    }
    let mut changes = Vec::new();
    let mut completed = Vec::new();
    let mut added = Vec::new();
    for (o, a) in now.actions() {
        let Some((_, prev)) = old.get_mut(&match_key(o, a)).and_then(VecDeque::pop_front) else {
            added.push(action_ref(o, a));
            continue;
        };
        if prev.judgement == a.judgement {
            continue;
        }
        let direction = match (rank(prev.judgement), rank(a.judgement)) {
            (Some(x), Some(y)) if y > x => Trend::Up,
            (Some(_), Some(_)) => Trend::Down,
            _ => Trend::None,
        };
        if a.judgement == Judgement::Complete {
            completed.push(action_ref(o, a));
        }
        changes.push(JudgementChange {
            action: action_ref(o, a),
            from: prev.judgement,
            direction,
        });
    }
    // Left over, in the previous plan's order.
    let mut removed = Vec::new();
    for (o, a) in before.actions() {
        if let Some(q) = old.get_mut(&match_key(o, a))
            && q.front().is_some_and(|(_, x)| std::ptr::eq(*x, a))
        {
            q.pop_front();
            removed.push(action_ref(o, a));
        }
    }
    ActionChanges {
        previous_period: before.period,
        previous_doc,
        judgement_changes: changes,
        completed,
        added,
        removed,
    }
}

/// Fill in each plan's changes against the latest earlier plan.
pub fn compare(summaries: &mut [ActionPlanSummary], docs: &[Document]) {
    let plans: Vec<Option<&ActionPlan>> = (summaries.iter())
        .map(|s| match &docs[s.doc].data {
            Data::Actions(a) => Some(a),
            _ => None,
        })
        .collect();
    for at in 0..summaries.len() {
        let Some(now) = plans[at] else { continue };
        let previous = (0..summaries.len())
            .filter_map(|j| plans[j].map(|p| (j, p)))
            .filter(|(_, p)| p.period < now.period)
            .max_by_key(|(_, p)| p.period);
        let Some((j, before)) = previous else {
            continue;
        };
        summaries[at].changes = Some(diff(before, summaries[j].doc, now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::testing::run;

    fn plan(period: &str, actions: &[(&str, Option<&str>, &str, &str)]) -> String {
        let mut s = format!("kind = \"actions\"\ntitle = \"p\"\nperiod = \"{period}\"\n");
        let mut last = "";
        for (objective, id, title, judgement) in actions {
            if *objective != last {
                s.push_str(&format!("[[objectives]]\nid = \"{objective}\"\ntitle = \"{objective}\"\n[[objectives.workstreams]]\ntitle = \"w\"\n"));
                last = objective;
            }
            s.push_str("[[objectives.workstreams.actions]]\n");
            if let Some(id) = id {
                s.push_str(&format!("id = \"{id}\"\n"));
            }
            s.push_str(&format!(
                "title = \"{title}\"\njudgement = \"{judgement}\"\n"
            ));
        }
        s
    }

    #[test]
    fn judgements_completions_and_actions_that_came_and_went() {
        let (agg, _) = run(&[
            &plan(
                "2009/10 Q1",
                &[
                    ("o1", Some("a1"), "Course", "on track"),
                    ("o1", Some("a2"), "Work programme", "behind"),
                    ("o1", None, "Train support staff", "on track"),
                    ("o1", Some("a4"), "Visit", "on track"),
                    ("o2", None, "Write the strategy", "unknown"),
                ],
            ),
            &plan(
                "2009/10 Q2",
                &[
                    // The title may change; the id follows the action.
                    ("o1", Some("a1"), "Run the course", "complete"),
                    ("o1", Some("a2"), "Work programme", "on track"),
                    ("o1", None, "TRAIN  support-staff", "behind"),
                    ("o1", Some("a5"), "Publish", "on track"),
                    ("o2", None, "Write the strategy", "on track"),
                    // The same title under another objective is another action.
                    ("o3", None, "Train support staff", "on track"),
                ],
            ),
        ]);
        let c = agg.actions[1].changes.as_ref().unwrap();
        assert_eq!(c.previous_period.to_string(), "2009/10 Q1");
        let changes: Vec<(&str, Judgement, Judgement, Trend)> = (c.judgement_changes.iter())
            .map(|j| {
                (
                    j.action.title.as_str(),
                    j.from,
                    j.action.judgement,
                    j.direction,
                )
            })
            .collect();
        assert_eq!(
            changes,
            [
                (
                    "Run the course",
                    Judgement::OnTrack,
                    Judgement::Complete,
                    Trend::Up
                ),
                (
                    "Work programme",
                    Judgement::Behind,
                    Judgement::OnTrack,
                    Trend::Up
                ),
                (
                    "TRAIN  support-staff",
                    Judgement::OnTrack,
                    Judgement::Behind,
                    Trend::Down
                ),
                (
                    "Write the strategy",
                    Judgement::Unknown,
                    Judgement::OnTrack,
                    Trend::None
                ),
            ]
        );
        assert_eq!(
            c.completed
                .iter()
                .map(|a| a.title.as_str())
                .collect::<Vec<_>>(),
            ["Run the course"]
        );
        let added: Vec<(&str, &str)> = c
            .added
            .iter()
            .map(|a| (a.objective.as_str(), a.title.as_str()))
            .collect();
        assert_eq!(added, [("o1", "Publish"), ("o3", "Train support staff")]);
        assert_eq!(
            c.removed
                .iter()
                .map(|a| a.id.as_deref())
                .collect::<Vec<_>>(),
            [Some("a4")]
        );
        assert!(agg.actions[0].changes.is_none());
    }

    #[test]
    fn actions_that_share_a_key_are_paired_in_order() {
        let (agg, _) = run(&[
            &plan(
                "2009/10 Q1",
                &[
                    ("o1", None, "Review", "behind"),
                    ("o1", None, "Review", "on track"),
                ],
            ),
            &plan("2009/10 Q2", &[("o1", None, "Review", "on track")]),
        ]);
        let c = agg.actions[1].changes.as_ref().unwrap();
        // The first is matched with the first; the second was removed.
        assert_eq!(c.judgement_changes.len(), 1);
        assert_eq!(c.judgement_changes[0].from, Judgement::Behind);
        assert_eq!(c.removed.len(), 1);
        assert_eq!(c.removed[0].judgement, Judgement::OnTrack);
        assert!(c.added.is_empty());
    }
}
