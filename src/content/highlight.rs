//! The programme highlight report: objectives, activities, narrative, risks and issues.

use std::ops::Range;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::content::exempt::{self, Exempt, Withheld};
use crate::diagnostic::{Diagnostic, Problem};
use crate::read::period::Period;
use crate::read::reader::{Cx, Located, Table};
use crate::read::words::{ActivityKind, ActivityStatus, BudgetStatus};

#[derive(Debug, Clone, Serialize)]
pub struct Highlight {
    pub programme: String,
    #[serde(skip)]
    pub programme_span: Range<usize>,
    pub title: String,
    pub period: Period,
    pub lead: String,
    pub lead_role: Option<String>,
    pub prepared: Option<Date>,
    pub stated_progress: Option<Decimal>,
    pub summary: Option<String>,
    pub objectives: Vec<Objective>,
    pub risks: Vec<RegisterEntry>,
    pub issues: Vec<RegisterEntry>,
    pub additional_deliverables: Vec<AdditionalDeliverable>,
    pub footnotes: Vec<Footnote>,
    /// In the public copy: the exempt objectives, risks and issues taken out.
    pub withheld: Vec<Withheld>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Objective {
    pub id: String,
    #[serde(skip)]
    pub span: Range<usize>,
    pub title: String,
    pub stated_progress: Option<Decimal>,
    pub priority_deliverables: Vec<String>,
    pub follow_ups: Option<String>,
    pub budget_status: Option<BudgetStatus>,
    pub budget_reason: Option<String>,
    pub risk_update: Option<String>,
    pub issues_update: Option<String>,
    pub completed: Option<String>,
    pub outstanding: Option<String>,
    pub comment: Option<String>,
    pub footnote: Option<String>,
    /// The plan's deliverable that the objective's priority activities track.
    pub deliverable: Option<String>,
    #[serde(skip)]
    pub deliverable_span: Range<usize>,
    pub activities: Vec<Activity>,
    pub exempt: Option<Exempt>,
    /// In the public copy: the exempt activities taken out.
    pub withheld: Vec<Withheld>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub id: Option<String>,
    #[serde(skip)]
    pub span: Range<usize>,
    pub title: String,
    pub kind: ActivityKind,
    pub due: Date,
    #[serde(skip)]
    pub due_span: Range<usize>,
    pub status: ActivityStatus,
    pub progress: Decimal,
    pub weight: Option<Decimal>,
    pub footnote: Option<String>,
    /// The plan's deliverable this activity tracks, where it names one itself.
    pub deliverable: Option<String>,
    #[serde(skip)]
    pub deliverable_span: Range<usize>,
    pub exempt: Option<Exempt>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegisterEntry {
    pub id: String,
    #[serde(skip)]
    pub span: Range<usize>,
    pub title: String,
    pub description: Option<String>,
    pub mitigation: Option<String>,
    pub status: Option<String>,
    pub objective: Option<String>,
    #[serde(skip)]
    pub objective_span: Range<usize>,
    pub deliverables: Vec<String>,
    pub exempt: Option<Exempt>,
    /// The paper prints no id for this entry: the converter gave it one, and the page says so.
    pub id_assigned: bool,
    /// Likelihood and impact, each 1 to 5, where the paper scores the entry; both or neither.
    pub likelihood: Option<u8>,
    pub impact: Option<u8>,
    /// Likelihood × impact, computed, never written.
    pub score: Option<u8>,
    /// Why the entry was closed, for an entry whose status says it is.
    pub closure: Option<String>,
    #[serde(skip)]
    pub status_span: Range<usize>,
}

impl RegisterEntry {
    /// Whether the status says the entry is closed: `Closed`, `closed.`, `Closed - resolved`.
    pub fn is_closed(&self) -> bool {
        self.status.as_deref().is_some_and(|s| {
            let plain: String = s
                .chars()
                .take_while(|c| c.is_alphabetic() || c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect();
            plain.trim() == "closed"
        })
    }
}

/// The scale a likelihood or an impact is scored on.
const SCORE_RANGE: std::ops::RangeInclusive<i64> = 1..=5;

#[derive(Debug, Clone, Serialize)]
pub struct AdditionalDeliverable {
    pub title: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Footnote {
    pub id: String,
    pub text: String,
}

impl Highlight {
    pub fn read(t: &mut Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let programme = t.req_id(cx, "programme");
        let title = t.req_text(cx, "title");
        let period = t.req_period(cx, "period");
        let lead = t.req_text(cx, "lead");
        let lead_role = t.text(cx, "lead_role");
        let prepared = t.date(cx, "prepared");
        let stated_progress = t.percent(cx, "stated_progress");
        let summary = t.text(cx, "summary");
        let objectives = t
            .tables(cx, "objectives")
            .into_iter()
            .filter_map(|o| Objective::read(o, cx))
            .collect();
        let risks = read_register(t, cx, "risks");
        let issues = read_register(t, cx, "issues");
        let additional_deliverables = t
            .tables(cx, "additional_deliverables")
            .into_iter()
            .filter_map(|mut d| {
                let title = d.req_text(cx, "title");
                let description = d.text(cx, "description");
                d.finish(cx);
                Some(AdditionalDeliverable {
                    title: title?,
                    description,
                })
            })
            .collect();
        let footnotes = t
            .tables(cx, "footnotes")
            .into_iter()
            .filter_map(|mut f| {
                let id = f.req_id(cx, "id");
                let text = f.req_text(cx, "text");
                f.finish(cx);
                Some(Footnote {
                    id: id?.value,
                    text: text?,
                })
            })
            .collect();
        let programme = programme?;
        Some(Highlight {
            programme: programme.value,
            programme_span: programme.span,
            title: title?,
            period: period?,
            lead: lead?,
            lead_role,
            prepared,
            stated_progress,
            summary,
            objectives,
            risks,
            issues,
            additional_deliverables,
            footnotes,
            withheld: Vec::new(),
        })
    }

    /// An exempt report as the public copy keeps it: what routes it, and nothing else.
    pub fn stub(h: &Highlight, title: String) -> Highlight {
        Highlight {
            programme: h.programme.clone(),
            programme_span: 0..0,
            title,
            period: h.period,
            lead: String::new(),
            lead_role: None,
            prepared: None,
            stated_progress: None,
            summary: None,
            objectives: Vec::new(),
            risks: Vec::new(),
            issues: Vec::new(),
            additional_deliverables: Vec::new(),
            footnotes: Vec::new(),
            withheld: Vec::new(),
        }
    }
}

impl Objective {
    fn read(mut t: Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let id = t.req_id(cx, "id");
        let title = t.req_text(cx, "title");
        let stated_progress = t.percent(cx, "stated_progress");
        let priority_deliverables = t.texts(cx, "priority_deliverables");
        let follow_ups = t.text(cx, "follow_ups");
        let budget_status = t.word(cx, "budget_status");
        let budget_reason = t.text(cx, "budget_reason");
        let risk_update = t.text(cx, "risk_update");
        let issues_update = t.text(cx, "issues_update");
        let completed = t.text(cx, "completed");
        let outstanding = t.text(cx, "outstanding");
        let comment = t.text(cx, "comment");
        let footnote = t.text(cx, "footnote");
        let (deliverable, deliverable_span) = split(t.id(cx, "deliverable"));
        let activities = t
            .tables(cx, "activities")
            .into_iter()
            .filter_map(|a| Activity::read(a, cx))
            .collect();
        let exempt = exempt::read(&mut t, cx);
        t.finish(cx);
        let id = id?;
        Some(Objective {
            id: id.value,
            span: id.span,
            title: title?,
            stated_progress,
            priority_deliverables,
            follow_ups,
            budget_status,
            budget_reason,
            risk_update,
            issues_update,
            completed,
            outstanding,
            comment,
            footnote,
            deliverable,
            deliverable_span,
            activities,
            exempt,
            withheld: Vec::new(),
        })
    }
}

impl Activity {
    fn read(mut t: Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let id = t.id(cx, "id");
        let title = t.req_text(cx, "title");
        let kind = t.req_word(cx, "kind");
        let due_span = t.get("due").map(|v| cx.abs(v.span())).unwrap_or(0..0);
        let due = t.req_date(cx, "due");
        let status = t.req_word(cx, "status");
        let progress = t.req_percent(cx, "progress");
        let weight = t.get("weight").map(|v| cx.abs(v.span()));
        let weight = t.decimal(cx, "weight").and_then(|w| {
            if w.is_sign_negative() && !w.is_zero() {
                let span = weight.clone().unwrap_or(0..0);
                cx.diags.push(
                    Diagnostic::new(
                        Problem::InvalidWeight {
                            reason: format!("{w} is negative"),
                        },
                        cx.file,
                        span,
                    )
                    .with_label("expected 0 or more"),
                );
                return None;
            }
            Some(w)
        });
        let footnote = t.text(cx, "footnote");
        let (deliverable, deliverable_span) = split(t.id(cx, "deliverable"));
        let span = id
            .as_ref()
            .map_or_else(|| cx.abs(t.span.clone()), |i| i.span.clone());
        let exempt = exempt::read(&mut t, cx);
        t.finish(cx);
        Some(Activity {
            id: id.map(|i: Located<String>| i.value),
            span,
            title: title?,
            kind: kind?,
            due: due?,
            due_span,
            status: status?,
            progress: progress?,
            weight,
            footnote,
            deliverable,
            deliverable_span,
            exempt,
        })
    }

    /// The key used to match this activity across periods: its id, else its normalised title.
    pub fn match_key(&self) -> String {
        match &self.id {
            Some(id) => format!("id:{id}"),
            None => format!("title:{}", crate::read::words::normalise(&self.title)),
        }
    }
}

/// An optional located value as the model keeps it: the value, and its span (empty when absent).
fn split(v: Option<Located<String>>) -> (Option<String>, Range<usize>) {
    match v {
        Some(l) => (Some(l.value), l.span),
        None => (None, 0..0),
    }
}

/// The plan deliverable an activity tracks, and where that is written: the activity's own
/// `deliverable`, else, for a priority activity, its objective's. A supporting activity ("additional
/// supporting activities") is the objective's other work, with dates of its own, so it takes
/// the objective's deliverable only by naming it.
pub fn tracked_deliverable<'a>(
    o: &'a Objective,
    a: &'a Activity,
) -> Option<(&'a str, &'a Range<usize>)> {
    if let Some(d) = &a.deliverable {
        return Some((d, &a.deliverable_span));
    }
    match (&o.deliverable, a.kind) {
        (Some(d), ActivityKind::Priority) => Some((d, &o.deliverable_span)),
        _ => None,
    }
}

fn read_register(t: &mut Table<'_, '_>, cx: &mut Cx<'_>, key: &'static str) -> Vec<RegisterEntry> {
    t.tables(cx, key)
        .into_iter()
        .filter_map(|mut r| {
            let id = r.req_id(cx, "id");
            let title = r.req_text(cx, "title");
            let description = r.text(cx, "description");
            let mitigation = r.text(cx, "mitigation");
            let status_span = r.get("status").map_or(0..0, |v| cx.abs(v.span()));
            let status = r.text(cx, "status");
            let objective = r.id(cx, "objective");
            let deliverables = r.texts(cx, "deliverables");
            let exempt = exempt::read(&mut r, cx);
            let id_assigned = r.boolean(cx, "id_assigned").unwrap_or(false);
            let likelihood = read_score(&mut r, cx, "likelihood");
            let impact = read_score(&mut r, cx, "impact");
            let closure = r.text(cx, "closure");
            // A score needs both halves: one alone would show a product of nothing.
            for (have, missing) in [("likelihood", "impact"), ("impact", "likelihood")] {
                if let (Some(v), false) = (r.get(have), r.has(missing)) {
                    cx.report_labelled(
                        Problem::MissingKey {
                            key: missing.into(),
                        },
                        v.span(),
                        format!("a score is likelihood × impact: give `{missing}` too"),
                    );
                }
            }
            r.finish(cx);
            let id = id?;
            let (objective, objective_span) = match objective {
                Some(o) => (Some(o.value), o.span),
                None => (None, 0..0),
            };
            Some(RegisterEntry {
                id: id.value,
                span: id.span,
                title: title?,
                description,
                mitigation,
                status,
                objective,
                objective_span,
                deliverables,
                exempt,
                id_assigned,
                score: likelihood.zip(impact).map(|(l, i)| l * i),
                likelihood,
                impact,
                closure,
                status_span,
            })
        })
        .collect()
}

/// A likelihood or impact: a whole number from 1 to 5.
fn read_score(t: &mut Table<'_, '_>, cx: &mut Cx<'_>, key: &'static str) -> Option<u8> {
    let span = t.get(key).map(|v| cx.abs(v.span()))?;
    let n = t.integer(cx, key)?;
    match u8::try_from(n) {
        Ok(v) if SCORE_RANGE.contains(&n) => Some(v),
        _ => {
            cx.diags.push(
                Diagnostic::new(
                    Problem::InvalidNumber {
                        text: n.to_string(),
                        reason: format!("`{key}` is scored from 1 to 5"),
                    },
                    cx.file,
                    span,
                )
                .with_label("expected 1 to 5"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::content::{Data, parse_document};
    use crate::source::SourceFile;

    fn read(risk: &str) -> (Option<super::RegisterEntry>, Vec<(usize, usize, String)>) {
        let text = format!(
            "+++\nkind = \"highlight\"\nprogramme = \"p\"\ntitle = \"P\"\nperiod = \"2009/10 Q2\"\nlead = \"L\"\n[[risks]]\nid = \"R001\"\ntitle = \"T\"\n{risk}+++\n"
        );
        let (doc, diags) = parse_document(SourceFile::new("a.md", "content/a.md", text), "a.md");
        let diags = diags
            .iter()
            .map(|d| {
                let (l, c) = d.line_col().unwrap();
                (l, c, d.problem.code().to_string())
            })
            .collect();
        let entry = doc.and_then(|d| match d.data {
            Data::Highlight(h) => h.risks.into_iter().next(),
            _ => None,
        });
        (entry, diags)
    }

    #[test]
    fn a_score_is_likelihood_times_impact() {
        let (e, d) = read("likelihood = 4\nimpact = 3\nid_assigned = true\n");
        let e = e.unwrap();
        assert_eq!(
            (e.likelihood, e.impact, e.score),
            (Some(4), Some(3), Some(12))
        );
        assert!(e.id_assigned && d.is_empty());
        let (e, _) = read("");
        assert_eq!(e.unwrap().score, None);
    }

    #[test]
    fn a_score_out_of_range_or_half_given_is_located() {
        let (_, d) = read("likelihood = 6\nimpact = 0\n");
        assert_eq!(
            d,
            [
                (10, 14, "invalid-number".into()),
                (11, 10, "invalid-number".into())
            ]
        );
        let (_, d) = read("likelihood = 2\n");
        assert_eq!(d, [(10, 14, "missing-key".into())]);
    }

    #[test]
    fn closed_is_read_from_the_status_words() {
        for (status, closed) in [
            ("Closed", true),
            ("closed.", true),
            ("Closed - resolved", true),
            ("On-going", false),
            ("Not closed", false),
        ] {
            let (e, _) = read(&format!("status = \"{status}\"\n"));
            assert_eq!(e.unwrap().is_closed(), closed, "{status}");
        }
    }
}
