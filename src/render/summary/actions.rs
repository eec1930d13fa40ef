//! An action plan's summary: its sections, the actions by status and what the plan states.

use serde::Serialize;

use super::action_changes::{ActionChangesView, changes_view};
use super::indicators::share_of;
use super::shared::{FindingView, findings_for};
use super::{Downloads, Lookups};
use crate::aggregate::{ActionPlanSummary, Share};
use crate::content::{ActionPlan, Document};
use crate::render::download::{Cell, Sheet};

#[derive(Serialize)]
pub(super) struct StatedView {
    pub(super) total: i64,
    pub(super) completed: Share,
    pub(super) on_track: Share,
    pub(super) behind: Share,
}

#[derive(Serialize)]
pub(super) struct SectionView {
    pub(super) section: String,
    pub(super) total: usize,
    pub(super) completed: Share,
    pub(super) on_track: Share,
    pub(super) behind: Share,
    pub(super) unknown: Share,
    /// The summary as printed, with percentages worked out from its own counts.
    pub(super) stated: Option<StatedView>,
    pub(super) matches_stated: Option<bool>,
}

#[derive(Serialize)]
pub(super) struct ActionsView {
    pub(super) sections: Vec<SectionView>,
    /// Every section together, when there is more than one.
    pub(super) all: Option<SectionView>,
    pub(super) any_stated: bool,
    pub(super) any_mismatch: bool,
    /// Priority ids with two primary workstreams and no joint remit.
    pub(super) shared_primaries: Vec<String>,
    /// What changed since the previous plan; none when there is none.
    pub(super) changes: Option<ActionChangesView>,
    pub(super) findings: Vec<FindingView>,
    pub(super) downloads: Downloads,
}

pub(super) fn share(count: usize, total: usize) -> Share {
    Share {
        count,
        percent: share_of(count, total),
    }
}

pub(super) fn actions_view(
    cx: &Lookups<'_>,
    doc: &Document,
    plan: &ActionPlan,
    s: &ActionPlanSummary,
    url: &str,
) -> ActionsView {
    let sections: Vec<SectionView> = s
        .sections
        .iter()
        .map(|x| SectionView {
            section: x.section.clone(),
            total: x.total,
            completed: x.completed,
            on_track: x.on_track,
            behind: x.behind,
            unknown: x.unknown,
            stated: x.stated.as_ref().map(|st| {
                let total = usize::try_from(st.total).unwrap_or(0);
                let c = |n: i64| share(usize::try_from(n).unwrap_or(0), total);
                StatedView {
                    total: st.total,
                    completed: c(st.completed),
                    on_track: c(st.on_track),
                    behind: c(st.behind),
                }
            }),
            matches_stated: x.matches_stated,
        })
        .collect();
    let all = (sections.len() > 1).then(|| {
        let total: usize = sections.iter().map(|x| x.total).sum();
        let sum = |f: fn(&SectionView) -> usize| sections.iter().map(f).sum::<usize>();
        SectionView {
            section: "All sections".into(),
            total,
            completed: share(sum(|x| x.completed.count), total),
            on_track: share(sum(|x| x.on_track.count), total),
            behind: share(sum(|x| x.behind.count), total),
            unknown: share(sum(|x| x.unknown.count), total),
            stated: None,
            matches_stated: None,
        }
    });
    let mut detail = Sheet::new(
        "actions",
        format!("{}, {}", plan.title, plan.period),
        &[
            ("section", "Section"),
            ("objective_id", "Objective ID"),
            ("objective", "Objective"),
            ("workstream", "Workstream"),
            ("action_id", "Action ID"),
            ("action", "Action"),
            ("responsibility", "Responsibility"),
            ("milestones", "Milestones"),
            ("next_due", "Earliest milestone due"),
            ("judgement", "Judgement of progress"),
        ],
    );
    for o in &plan.objectives {
        for w in &o.workstreams {
            for a in &w.actions {
                detail.push(vec![
                    Cell::opt_text(o.section.clone()),
                    Cell::text(o.id.clone()),
                    Cell::text(o.title.clone()),
                    Cell::text(w.title.clone()),
                    Cell::opt_text(a.id.clone()),
                    Cell::text(a.title.clone()),
                    Cell::opt_text(a.responsibility.clone()),
                    Cell::text(
                        a.milestones
                            .iter()
                            .map(|m| m.text.as_str())
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                    Cell::date(a.milestones.iter().filter_map(|m| m.due).min()),
                    Cell::text(a.judgement.label()),
                ]);
            }
        }
    }
    let mut summary = Sheet::new(
        "action-summary",
        format!("{}: judgement summary, {}", plan.title, plan.period),
        &[
            ("section", "Section"),
            ("total", "Number of actions"),
            ("completed", "Completed"),
            ("completed_percent", "Completed (%)"),
            ("on_track", "On track"),
            ("on_track_percent", "On track (%)"),
            ("behind", "Behind"),
            ("behind_percent", "Behind (%)"),
            ("unknown", "Unknown"),
            ("printed_total", "Number of actions (as printed)"),
            ("printed_completed", "Completed (as printed)"),
            ("printed_on_track", "On track (as printed)"),
            ("printed_behind", "Behind (as printed)"),
            ("matches_printed", "Matches the printed summary"),
        ],
    );
    for x in sections.iter().chain(all.iter()) {
        let st = x.stated.as_ref();
        let mut row = vec![Cell::text(x.section.clone()), Cell::count(x.total)];
        row.extend(
            [&x.completed, &x.on_track, &x.behind]
                .map(Cell::share)
                .concat(),
        );
        row.extend([
            Cell::count(x.unknown.count),
            st.map_or(Cell::Empty, |s| Cell::Count(s.total)),
            st.map_or(Cell::Empty, |s| Cell::count(s.completed.count)),
            st.map_or(Cell::Empty, |s| Cell::count(s.on_track.count)),
            st.map_or(Cell::Empty, |s| Cell::count(s.behind.count)),
            x.matches_stated.map_or(Cell::Empty, Cell::Bool),
        ]);
        summary.push(row);
    }
    let mut downloads = Downloads::new();
    downloads.insert("summary", cx.download(&summary, url));
    downloads.insert("actions", cx.download(&detail, url));
    let mut matrix = Sheet::new(
        "responsibilities",
        format!("{}: responsibility for improvement priorities", plan.title),
        &[
            ("priority_id", "Priority ID"),
            ("priority", "Priority"),
            ("term", "Term"),
            ("primary", "Primary responsibility"),
            ("secondary", "Secondary responsibility"),
            ("joint_remit", "Joint remit declared"),
            (
                "shared_primary",
                "Two or more primaries without a joint remit",
            ),
        ],
    );
    let workstream = |id: &str| {
        plan.workstreams
            .iter()
            .find(|w| w.id == id)
            .map_or_else(|| id.to_string(), |w| w.title.clone())
    };
    for p in &plan.priorities {
        let names = |v: &[crate::read::reader::Located<String>]| {
            v.iter()
                .map(|w| workstream(&w.value))
                .collect::<Vec<_>>()
                .join("; ")
        };
        matrix.push(vec![
            Cell::text(p.id.clone()),
            Cell::text(p.title.clone()),
            Cell::opt_text(p.term.map(|t| t.label())),
            Cell::text(names(&p.primary)),
            Cell::text(names(&p.secondary)),
            Cell::Bool(p.joint_remit),
            Cell::Bool(s.shared_primaries.contains(&p.id)),
        ]);
    }
    downloads.insert("responsibilities", cx.download(&matrix, url));
    ActionsView {
        any_stated: sections.iter().any(|x| x.stated.is_some()),
        any_mismatch: sections.iter().any(|x| x.matches_stated == Some(false)),
        sections,
        all,
        shared_primaries: s.shared_primaries.clone(),
        changes: s.changes.as_ref().map(|c| changes_view(cx, plan, c)),
        findings: findings_for(cx.loaded, doc),
        downloads,
    }
}

/// Objectives grouped by section, in the order they are written.
#[derive(Serialize)]
pub(crate) struct ActionsLayout {
    pub(crate) sections: Vec<ActionSection>,
}

#[derive(Serialize)]
pub(crate) struct ActionSection {
    pub(crate) title: Option<String>,
    /// Indices into `report.data.objectives`.
    pub(crate) objectives: Vec<usize>,
}

pub(crate) fn actions_layout(a: &ActionPlan) -> ActionsLayout {
    let mut sections: Vec<ActionSection> = Vec::new();
    for (i, o) in a.objectives.iter().enumerate() {
        match sections.iter_mut().find(|s| s.title == o.section) {
            Some(s) => s.objectives.push(i),
            None => sections.push(ActionSection {
                title: o.section.clone(),
                objectives: vec![i],
            }),
        }
    }
    ActionsLayout { sections }
}
