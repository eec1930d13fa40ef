//! Action plans: judgement counts and percentages per section in the form of the Wigan seed's
//! tables 1 and 2, checked against any typed summary, and the responsibility matrix's findings.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::aggregate::finding;
use crate::aggregate::format::round_half_up;
use crate::content::Document;
use crate::content::actions::ActionPlan;
use crate::diagnostic::{Diagnostic, FindingKind};
use crate::read::words::{Judgement, normalise};

/// A count with its share of the total, rounded half-up to a whole per cent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Share {
    pub count: usize,
    pub percent: Decimal,
}

impl Share {
    fn of(count: usize, total: usize) -> Share {
        let percent = if total == 0 {
            Decimal::ZERO
        } else {
            round_half_up(Decimal::from(count) * Decimal::ONE_HUNDRED / Decimal::from(total))
        };
        Share { count, percent }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionSummary {
    pub section: String,
    pub total: usize,
    pub completed: Share,
    pub on_track: Share,
    pub behind: Share,
    pub unknown: Share,
    /// The typed summary for this section, where the paper has one.
    pub stated: Option<crate::content::actions::StatedSummary>,
    pub matches_stated: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionPlanSummary {
    pub doc: usize,
    pub sections: Vec<SectionSummary>,
    /// Priorities with more than one primary workstream and no declared joint remit.
    pub shared_primaries: Vec<String>,
    /// What changed since the previous plan, where there is one.
    pub changes: Option<crate::aggregate::action_changes::ActionChanges>,
}

const ALL_ACTIONS: &str = "All actions";

pub fn summarise(
    doc_index: usize,
    doc: &Document,
    plan: &ActionPlan,
    findings: &mut Vec<Diagnostic>,
) -> ActionPlanSummary {
    let mut names: Vec<String> = Vec::new();
    for (o, _) in plan.actions() {
        let s = o.section.clone().unwrap_or_else(|| ALL_ACTIONS.to_string());
        if !names.contains(&s) {
            names.push(s);
        }
    }
    let mut sections = Vec::with_capacity(names.len());
    for name in names {
        let judgements: Vec<Judgement> = plan
            .actions()
            .filter(|(o, _)| o.section.as_deref().unwrap_or(ALL_ACTIONS) == name)
            .map(|(_, a)| a.judgement)
            .collect();
        let total = judgements.len();
        let n = |j: Judgement| judgements.iter().filter(|x| **x == j).count();
        let stated = plan
            .stated_summary
            .iter()
            .find(|s| normalise(&s.section) == normalise(&name))
            .cloned();
        let mut s = SectionSummary {
            section: name,
            total,
            completed: Share::of(n(Judgement::Complete), total),
            on_track: Share::of(n(Judgement::OnTrack), total),
            behind: Share::of(n(Judgement::Behind), total),
            unknown: Share::of(n(Judgement::Unknown), total),
            stated: None,
            matches_stated: None,
        };
        if let Some(st) = stated {
            let computed =
                [total, s.completed.count, s.on_track.count, s.behind.count].map(|v| v as i64);
            let typed = [st.total, st.completed, st.on_track, st.behind];
            let ok = computed == typed;
            if !ok {
                findings.push(finding(
                    doc,
                    st.span.clone(),
                    FindingKind::SummaryMismatch,
                    format!(
                        "the typed summary for {} says {} actions ({} completed, {} on track, {} behind), but the detail has {} ({} completed, {} on track, {} behind, {} unknown)",
                        s.section,
                        st.total,
                        st.completed,
                        st.on_track,
                        st.behind,
                        total,
                        s.completed.count,
                        s.on_track.count,
                        s.behind.count,
                        s.unknown.count
                    ),
                ));
            }
            s.matches_stated = Some(ok);
            s.stated = Some(st);
        }
        sections.push(s);
    }
    for st in &plan.stated_summary {
        if !sections
            .iter()
            .any(|s| normalise(&s.section) == normalise(&st.section))
        {
            findings.push(finding(
                doc,
                st.span.clone(),
                FindingKind::SummaryMismatch,
                format!("the typed summary names section \u{201c}{}\u{201d}, which has no actions in the detail", st.section),
            ));
        }
    }
    let mut shared_primaries = Vec::new();
    for p in &plan.priorities {
        if p.primary.len() > 1 && !p.joint_remit {
            let names: Vec<&str> = p.primary.iter().map(|w| w.value.as_str()).collect();
            findings.push(finding(
                doc,
                p.span.clone(),
                FindingKind::SharedPrimary,
                format!(
                    "priority {} has {} primary workstreams ({}) and no declared joint remit",
                    p.id,
                    p.primary.len(),
                    names.join(", ")
                ),
            ));
            shared_primaries.push(p.id.clone());
        }
    }
    ActionPlanSummary {
        doc: doc_index,
        sections,
        shared_primaries,
        changes: None,
    }
}
