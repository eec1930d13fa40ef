//! Action and improvement plans: objectives, workstreams and actions with judgements, and the
//! responsibility matrix of improvement priorities against workstreams.

use std::ops::Range;

use jiff::civil::Date;
use serde::Serialize;
use toml::de::DeValue;

use crate::content::exempt::{self, Exempt, Withheld};
use crate::diagnostic::Problem;
use crate::read::period::Period;
use crate::read::reader::{Cx, Located, Table, as_table};
use crate::read::words::{Judgement, Term};

#[derive(Debug, Clone, Serialize)]
pub struct ActionPlan {
    pub title: String,
    pub period: Period,
    pub objectives: Vec<ActionObjective>,
    pub stated_summary: Vec<StatedSummary>,
    pub workstreams: Vec<Workstream>,
    pub priorities: Vec<Priority>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionObjective {
    pub id: String,
    #[serde(skip)]
    pub span: Range<usize>,
    pub title: String,
    /// The objective's number as the paper prints it ("1", "5"), shown before its title.
    pub number: Option<String>,
    pub section: Option<String>,
    pub workstreams: Vec<ActionWorkstream>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionWorkstream {
    pub id: Option<String>,
    pub title: String,
    pub actions: Vec<Action>,
    /// In the public copy: the exempt actions taken out.
    pub withheld: Vec<Withheld>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Action {
    pub id: Option<String>,
    #[serde(skip)]
    pub span: Range<usize>,
    pub title: String,
    pub responsibility: Option<String>,
    pub milestones: Vec<Milestone>,
    pub achievements: Option<String>,
    pub judgement: Judgement,
    pub exempt: Option<Exempt>,
    #[serde(skip)]
    pub judgement_span: Range<usize>,
    /// The id of another action of the plan that describes the same work (`same_as`): the
    /// two are checked for the same owner, judgement and dates.
    pub same_as: Option<String>,
    #[serde(skip)]
    pub same_as_span: Range<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    pub text: String,
    pub due: Option<Date>,
    /// When the paper now expects it, where its prose says so ("due for completion July 09").
    pub expected: Option<Date>,
    #[serde(skip)]
    pub expected_span: Range<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatedSummary {
    pub section: String,
    #[serde(skip)]
    pub span: Range<usize>,
    pub total: i64,
    pub completed: i64,
    pub on_track: i64,
    pub behind: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Workstream {
    pub id: String,
    #[serde(skip)]
    pub span: Range<usize>,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Priority {
    pub id: String,
    #[serde(skip)]
    pub span: Range<usize>,
    pub title: String,
    pub term: Option<Term>,
    #[serde(serialize_with = "values")]
    pub primary: Vec<Located<String>>,
    #[serde(serialize_with = "values")]
    pub secondary: Vec<Located<String>>,
    pub joint_remit: bool,
}

fn values<S: serde::Serializer>(v: &[Located<String>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|l| &l.value))
}

impl ActionPlan {
    pub fn read(t: &mut Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let title = t.req_text(cx, "title");
        let period = t.req_period(cx, "period");
        let objectives = t
            .tables(cx, "objectives")
            .into_iter()
            .filter_map(|o| ActionObjective::read(o, cx))
            .collect();
        let stated_summary = t
            .tables(cx, "stated_summary")
            .into_iter()
            .filter_map(|mut s| {
                let span = cx.abs(s.span.clone());
                let section = s.req_text(cx, "section");
                let total = s.req_integer(cx, "total");
                let completed = s.integer(cx, "completed");
                let on_track = s.integer(cx, "on_track");
                let behind = s.integer(cx, "behind");
                s.finish(cx);
                Some(StatedSummary {
                    section: section?,
                    span,
                    total: total?,
                    completed: completed.unwrap_or(0),
                    on_track: on_track.unwrap_or(0),
                    behind: behind.unwrap_or(0),
                })
            })
            .collect();
        let workstreams = t
            .tables(cx, "workstreams")
            .into_iter()
            .filter_map(|mut w| {
                let id = w.req_id(cx, "id");
                let title = w.req_text(cx, "title");
                w.finish(cx);
                let id = id?;
                Some(Workstream {
                    id: id.value,
                    span: id.span,
                    title: title?,
                })
            })
            .collect();
        let priorities = t
            .tables(cx, "priorities")
            .into_iter()
            .filter_map(|mut p| {
                let id = p.req_id(cx, "id");
                let title = p.req_text(cx, "title");
                let term = p.word(cx, "term");
                let primary = p.ids(cx, "primary");
                let secondary = p.ids(cx, "secondary");
                let joint_remit = p.boolean(cx, "joint_remit").unwrap_or(false);
                p.finish(cx);
                let id = id?;
                Some(Priority {
                    id: id.value,
                    span: id.span,
                    title: title?,
                    term,
                    primary,
                    secondary,
                    joint_remit,
                })
            })
            .collect();
        Some(ActionPlan {
            title: title?,
            period: period?,
            objectives,
            stated_summary,
            workstreams,
            priorities,
        })
    }

    /// An exempt report as the public copy keeps it: its period and a title.
    pub fn stub(period: Period, title: String) -> ActionPlan {
        ActionPlan {
            title,
            period,
            objectives: Vec::new(),
            stated_summary: Vec::new(),
            workstreams: Vec::new(),
            priorities: Vec::new(),
        }
    }

    /// Every action, with the objective it sits under.
    pub fn actions(&self) -> impl Iterator<Item = (&ActionObjective, &Action)> {
        self.objectives.iter().flat_map(|o| {
            o.workstreams
                .iter()
                .flat_map(move |w| w.actions.iter().map(move |a| (o, a)))
        })
    }
}

impl ActionObjective {
    fn read(mut t: Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let id = t.req_id(cx, "id");
        let title = t.req_text(cx, "title");
        let number = t.text(cx, "number");
        let section = t.text(cx, "section");
        let workstreams = t
            .tables(cx, "workstreams")
            .into_iter()
            .filter_map(|mut w| {
                let id = w.id(cx, "id");
                let title = w.req_text(cx, "title");
                let actions = w
                    .tables(cx, "actions")
                    .into_iter()
                    .filter_map(|a| Action::read(a, cx))
                    .collect();
                w.finish(cx);
                Some(ActionWorkstream {
                    id: id.map(|i| i.value),
                    title: title?,
                    actions,
                    withheld: Vec::new(),
                })
            })
            .collect();
        t.finish(cx);
        let id = id?;
        Some(ActionObjective {
            id: id.value,
            span: id.span,
            title: title?,
            number,
            section,
            workstreams,
        })
    }
}

impl Action {
    fn read(mut t: Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let span = cx.abs(t.span.clone());
        let id = t.id(cx, "id");
        let title = t.req_text(cx, "title");
        let responsibility = t.text(cx, "responsibility");
        let milestones = t
            .array(cx, "milestones")
            .into_iter()
            .filter_map(|(v, path)| match v.get_ref() {
                DeValue::String(s) => Some(Milestone {
                    text: s.to_string(),
                    due: None,
                    expected: None,
                    expected_span: 0..0,
                }),
                _ => {
                    let mut m = as_table(cx, v, path)?;
                    let text = m.req_text(cx, "text");
                    let due = m.date(cx, "due");
                    let expected_span = m.get("expected").map(|v| cx.abs(v.span())).unwrap_or(0..0);
                    let expected = m.date(cx, "expected");
                    m.finish(cx);
                    Some(Milestone {
                        text: text?,
                        due,
                        expected,
                        expected_span,
                    })
                }
            })
            .collect();
        let achievements = t.text(cx, "achievements");
        let judgement_span = t.get("judgement").map(|v| cx.abs(v.span())).unwrap_or(0..0);
        let judgement = t.req_word(cx, "judgement");
        let exempt = exempt::read(&mut t, cx);
        let same_as = t.id(cx, "same_as");
        t.finish(cx);
        let (same_as, same_as_span) = match same_as {
            Some(s) => (Some(s.value), s.span),
            None => (None, 0..0),
        };
        Some(Action {
            id: id.map(|i| i.value),
            span,
            title: title?,
            responsibility,
            milestones,
            achievements,
            judgement: judgement?,
            exempt,
            judgement_span,
            same_as,
            same_as_span,
        })
    }
}

/// Report a reference to a workstream that the plan does not define.
pub fn check_priorities(plan: &ActionPlan, report: &mut dyn FnMut(Problem, Range<usize>)) {
    let ids: Vec<&str> = plan.workstreams.iter().map(|w| w.id.as_str()).collect();
    for p in &plan.priorities {
        for r in p.primary.iter().chain(&p.secondary) {
            if !ids.contains(&r.value.as_str()) {
                report(
                    Problem::UnknownReference {
                        what: "workstream",
                        id: r.value.clone(),
                        suggestion: crate::diagnostic::suggest(&r.value, ids.iter().copied())
                            .map(str::to_string),
                    },
                    r.span.clone(),
                );
            }
        }
    }
}
