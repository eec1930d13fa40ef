//! The operational plan for a financial year: its outcomes and objectives, the deliverables the
//! programmes report against, each with its detailed activities, dates and budget references.
//!
//! Plan dates are written as the plans themselves write them: a day (`2010-03-31`), a month
//! (`"2009-09"`, which the seed's "September 2009" means) or `"ongoing"`. A month counts as its
//! last day wherever a date is compared ([`PlanDate::last_day`]), and any day within it matches
//! it. What the plan is checked for, against itself and against the highlight reports, is in
//! [`crate::content::plan_check`] and [`crate::aggregate::plan`].

use std::ops::Range;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use toml::de::DeValue;

use crate::diagnostic::Problem;
use crate::read::period::{Bounds, Period};
use crate::read::reader::{Cx, Located, Table, Value, read_date};

/// `kind = "plan"`: one financial year's operational plan.
#[derive(Debug, Clone, Serialize)]
pub struct OperationalPlan {
    pub title: String,
    /// A whole financial year, `2009/10`.
    pub period: Period,
    #[serde(skip)]
    pub period_span: Range<usize>,
    pub outcomes: Vec<Outcome>,
    pub deliverables: Vec<Deliverable>,
}

/// An outcome of the business plan, with the plan's objectives for it.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub id: String,
    #[serde(skip)]
    pub span: Range<usize>,
    pub title: String,
    pub objectives: Vec<PlanObjective>,
}

/// An objective under an outcome, and the deliverables that serve it.
#[derive(Debug, Clone, Serialize)]
pub struct PlanObjective {
    pub id: Option<String>,
    pub title: String,
    /// Deliverable ids, each where it is written, so that an unknown one is reported there.
    #[serde(serialize_with = "located_values")]
    pub deliverables: Vec<Located<String>>,
}

/// A priority deliverable: what a programme undertakes to deliver in the year.
#[derive(Debug, Clone, Serialize)]
pub struct Deliverable {
    /// Stable id, as the plan numbers it: `1`, `20b`.
    pub id: String,
    #[serde(skip)]
    pub span: Range<usize>,
    pub title: String,
    pub description: Option<String>,
    pub programme: String,
    #[serde(skip)]
    pub programme_span: Range<usize>,
    pub owner: Option<String>,
    /// The due date as the plan gives it; when absent, [`Deliverable::plan_due`] takes the
    /// latest date of its activities.
    pub due: Option<PlanDate>,
    #[serde(skip)]
    pub due_span: Range<usize>,
    /// Ids of lines in the year's budget that fund the deliverable.
    #[serde(serialize_with = "located_values")]
    pub budget_lines: Vec<Located<String>>,
    /// An amount the plan sets aside for it, where it names one.
    pub budget: Option<Decimal>,
    pub activities: Vec<PlanActivity>,
}

/// One of the plan's detailed activities for a deliverable.
#[derive(Debug, Clone, Serialize)]
pub struct PlanActivity {
    pub title: String,
    #[serde(skip)]
    pub span: Range<usize>,
    pub start: Option<PlanDate>,
    #[serde(skip)]
    pub start_span: Range<usize>,
    pub due: Option<PlanDate>,
    #[serde(skip)]
    pub due_span: Range<usize>,
    /// The target date as the paper prints it, where `start`, `due` and `milestones` had to
    /// interpret it ("April 2009 v1 / September 2009 v2").
    pub as_printed: Option<String>,
    /// The other teams it draws on: the seed's "cross team link" column.
    pub cross_team: Option<String>,
    pub milestones: Vec<Milestone>,
}

/// A dated step within an activity, such as a version of a toolkit.
#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    pub title: String,
    pub due: PlanDate,
    #[serde(skip)]
    pub due_span: Range<usize>,
}

/// A date as a plan gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanDate {
    Day(Date),
    /// A whole month: "by September 2009".
    Month(Date),
    /// No end date: work that continues all year.
    Ongoing,
}

impl PlanDate {
    /// The first day it covers: the day, or the first of the month.
    pub fn first_day(self) -> Option<Date> {
        match self {
            PlanDate::Day(d) => Some(d),
            PlanDate::Month(first) => Some(first),
            PlanDate::Ongoing => None,
        }
    }

    /// The day it is due by: the day, or the last of the month.
    pub fn last_day(self) -> Option<Date> {
        match self {
            PlanDate::Day(d) => Some(d),
            PlanDate::Month(first) => first.last_of_month().into(),
            PlanDate::Ongoing => None,
        }
    }

    /// How many days `date` falls after (positive) or before (negative) this date, where a
    /// day of the month matches a month: 0 when they agree, and none when this is ongoing.
    pub fn days_to(self, date: Date) -> Option<i32> {
        let (first, last) = (self.first_day()?, self.last_day()?);
        Some(if date > last {
            (date - last).get_days()
        } else if date < first {
            -(first - date).get_days()
        } else {
            0
        })
    }

    /// Whether any day of it falls within `bounds`.
    pub fn within(self, bounds: Bounds) -> bool {
        match (self.first_day(), self.last_day()) {
            (Some(first), Some(last)) => first <= bounds.end && last >= bounds.start,
            _ => true,
        }
    }

    /// As written in the front matter: `2009-09-30`, `2009-09` or `ongoing`.
    pub fn written(self) -> String {
        match self {
            PlanDate::Day(d) => d.to_string(),
            PlanDate::Month(first) => format!("{:04}-{:02}", first.year(), first.month()),
            PlanDate::Ongoing => "ongoing".into(),
        }
    }

    /// For a message, as `check` writes dates: `2009-09-30`, `September 2009` or `Ongoing`.
    pub fn words(self) -> String {
        match self {
            PlanDate::Day(d) => d.to_string(),
            other => other.text(),
        }
    }

    /// In words: `30/09/2009`, `September 2009` or `Ongoing`.
    pub fn text(self) -> String {
        match self {
            PlanDate::Day(d) => format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year()),
            PlanDate::Month(first) => {
                let name = crate::read::period::month_name(first);
                format!("{name} {}", first.year())
            }
            PlanDate::Ongoing => "Ongoing".into(),
        }
    }
}

impl Serialize for PlanDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.written())
    }
}

fn located_values<S: Serializer>(v: &[Located<String>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|l| &l.value))
}

/// Read a plan date: a TOML date, a month `"2009-09"`, or `"ongoing"`.
fn read_plan_date(cx: &mut Cx<'_>, v: Value<'_, '_>, key: &str) -> Option<PlanDate> {
    let DeValue::String(s) = v.get_ref() else {
        return read_date(cx, v, key).map(PlanDate::Day);
    };
    if crate::read::words::normalise(s) == "ongoing" {
        return Some(PlanDate::Ongoing);
    }
    if let Some(first) = parse_month(s) {
        return Some(PlanDate::Month(first));
    }
    cx.report_labelled(
        Problem::InvalidDate {
            reason: format!(
                "`{key}` should be a date such as 2010-03-31, a month such as \"2010-03\", or \
                 \"ongoing\", not `{s}`"
            ),
        },
        v.span(),
        "expected a date, a month or \"ongoing\"".into(),
    );
    None
}

/// The first day of a month written `YYYY-MM`.
fn parse_month(s: &str) -> Option<Date> {
    let (y, m) = s.trim().split_once('-')?;
    if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, 1).ok()
}

/// An optional plan date and where it is written (the table's start when absent).
fn plan_date(
    t: &mut Table<'_, '_>,
    cx: &mut Cx<'_>,
    key: &'static str,
) -> (Option<PlanDate>, Range<usize>) {
    let Some(v) = t.get(key) else {
        return (None, cx.abs(t.span.clone()));
    };
    let span = cx.abs(v.span());
    let path = if t.path.is_empty() {
        key.to_string()
    } else {
        format!("{}.{key}", t.path)
    };
    (read_plan_date(cx, v, &path), span)
}

impl OperationalPlan {
    pub fn read(t: &mut Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let title = t.req_text(cx, "title");
        let period_span = t.get("period").map(|v| cx.abs(v.span()));
        let period = t.req_period(cx, "period").and_then(|p| {
            if p.quarter.is_none() {
                return Some(p);
            }
            let span = period_span.clone().unwrap_or(0..0);
            cx.diags.push(
                crate::diagnostic::Diagnostic::new(
                    Problem::NotAYear {
                        text: p.to_string(),
                    },
                    cx.file,
                    span,
                )
                .with_label(format!("expected the year, \"{}\"", p.year_of())),
            );
            None
        });
        let outcomes = t
            .tables(cx, "outcomes")
            .into_iter()
            .filter_map(|o| Outcome::read(o, cx))
            .collect();
        let deliverables = t
            .tables(cx, "deliverables")
            .into_iter()
            .filter_map(|d| Deliverable::read(d, cx))
            .collect();
        Some(OperationalPlan {
            title: title?,
            period: period?,
            period_span: period_span.unwrap_or(0..0),
            outcomes,
            deliverables,
        })
    }

    /// An exempt plan as the public copy keeps it: its year and a title.
    pub fn stub(period: Period, title: String) -> OperationalPlan {
        OperationalPlan {
            title,
            period,
            period_span: 0..0,
            outcomes: Vec::new(),
            deliverables: Vec::new(),
        }
    }

    /// The deliverable with this id.
    pub fn deliverable(&self, id: &str) -> Option<&Deliverable> {
        self.deliverables.iter().find(|d| d.id == id)
    }

    /// The outcomes whose objectives name the deliverable, by id, in plan order.
    pub fn outcomes_of(&self, id: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for o in &self.outcomes {
            let names =
                (o.objectives.iter()).any(|ob| ob.deliverables.iter().any(|d| d.value == id));
            if names && !out.contains(&o.id.as_str()) {
                out.push(&o.id);
            }
        }
        out
    }
}

impl Outcome {
    fn read(mut t: Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let id = t.req_id(cx, "id");
        let title = t.req_text(cx, "title");
        let objectives = t
            .tables(cx, "objectives")
            .into_iter()
            .filter_map(|mut o| {
                let id = o.id(cx, "id");
                let title = o.req_text(cx, "title");
                let deliverables = o.ids(cx, "deliverables");
                o.finish(cx);
                Some(PlanObjective {
                    id: id.map(|i| i.value),
                    title: title?,
                    deliverables,
                })
            })
            .collect();
        t.finish(cx);
        let id = id?;
        Some(Outcome {
            id: id.value,
            span: id.span,
            title: title?,
            objectives,
        })
    }
}

impl Deliverable {
    fn read(mut t: Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let id = t.req_id(cx, "id");
        let title = t.req_text(cx, "title");
        let description = t.text(cx, "description");
        let programme = t.req_id(cx, "programme");
        let owner = t.text(cx, "owner");
        let (due, due_span) = plan_date(&mut t, cx, "due");
        let budget_lines = t.ids(cx, "budget_lines");
        let budget = t.money(cx, "budget");
        let activities = t
            .tables(cx, "activities")
            .into_iter()
            .filter_map(|a| PlanActivity::read(a, cx))
            .collect();
        t.finish(cx);
        let (id, programme) = (id?, programme?);
        Some(Deliverable {
            id: id.value,
            span: id.span,
            title: title?,
            description,
            programme: programme.value,
            programme_span: programme.span,
            owner,
            due,
            due_span,
            budget_lines,
            budget,
            activities,
        })
    }

    /// The date the plan gives the deliverable: its own `due`, else the latest `due` of its
    /// detailed activities (the seed dates only those), and whether it was taken from them.
    /// None when it is ongoing or has no date at all.
    pub fn plan_due(&self) -> Option<(PlanDate, bool)> {
        match self.due {
            Some(PlanDate::Ongoing) => None,
            Some(d) => Some((d, false)),
            None => (self.activities.iter())
                .filter_map(|a| a.due)
                .filter(|d| d.last_day().is_some())
                .max_by_key(|d| d.last_day())
                .map(|d| (d, true)),
        }
    }
}

impl PlanActivity {
    fn read(mut t: Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let span = cx.abs(t.span.clone());
        let title = t.req_text(cx, "title");
        let (start, start_span) = plan_date(&mut t, cx, "start");
        let (due, due_span) = plan_date(&mut t, cx, "due");
        let as_printed = t.text(cx, "as_printed");
        let cross_team = t.text(cx, "cross_team");
        let milestones = t
            .tables(cx, "milestones")
            .into_iter()
            .filter_map(|mut m| {
                let title = m.req_text(cx, "title");
                let has_due = m.has("due");
                let (due, due_span) = plan_date(&mut m, cx, "due");
                if !has_due {
                    // A milestone is a date: ask for it where `due` belongs.
                    m.req_text(cx, "due");
                }
                m.finish(cx);
                Some(Milestone {
                    title: title?,
                    due: due?,
                    due_span,
                })
            })
            .collect();
        t.finish(cx);
        Some(PlanActivity {
            title: title?,
            span,
            start,
            start_span,
            due,
            due_span,
            as_printed,
            cross_team,
            milestones,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Data, parse_document};
    use crate::diagnostic::Diagnostic;
    use crate::source::SourceFile;

    fn parse(front: &str) -> (Option<OperationalPlan>, Vec<Diagnostic>) {
        let text = format!("+++\nkind = \"plan\"\n{front}+++\nThe plan.\n");
        let f = SourceFile::new("plan.md", "content/plan.md", text);
        let (doc, diags) = parse_document(f, "plan.md");
        let plan = doc.and_then(|d| match d.data {
            Data::Plan(p) => Some(p),
            _ => None,
        });
        (plan, diags)
    }

    const PLAN: &str = r#"title = "Operational Plan 2009/10"
period = "2009/10"

[[outcomes]]
id = "1"
title = "Councils that organise around outcomes"

[[outcomes.objectives]]
title = "Support councils in measuring outcomes"
deliverables = ["1", "20b"]

[[deliverables]]
id = "1"
title = "Support all CP partnerships"
programme = "improving-outcomes"
owner = "Head of Improving Outcomes"
budget_lines = ["staff-improving-outcomes"]
budget = "£12,500"

[[deliverables.activities]]
title = "Capacity building"
due = "2010-03"
cross_team = "OD / KM"

[[deliverables.activities]]
title = "Expand the community of practice"
due = "Ongoing"

[[deliverables.activities]]
title = "Toolkit"
start = 2009-04-01
due = 2009-12-15
milestones = [{ title = "v1", due = "2009-04" }]

[[deliverables]]
id = "20b"
title = "Four new collaborative opportunities"
programme = "improving-delivery"
due = "ongoing"
"#;

    #[test]
    fn reads_outcomes_deliverables_and_their_dates() {
        let (plan, diags) = parse(PLAN);
        assert!(diags.is_empty(), "{diags:?}");
        let plan = plan.unwrap();
        assert_eq!(plan.period.to_string(), "2009/10");
        assert_eq!(plan.outcomes.len(), 1);
        let ids: Vec<&str> = (plan.outcomes[0].objectives[0].deliverables.iter())
            .map(|d| d.value.as_str())
            .collect();
        assert_eq!(ids, ["1", "20b"]);
        let d = plan.deliverable("1").unwrap();
        assert_eq!(d.programme, "improving-outcomes");
        assert_eq!(d.owner.as_deref(), Some("Head of Improving Outcomes"));
        assert_eq!(d.budget, Some(Decimal::new(12500, 0)));
        assert_eq!(d.budget_lines[0].value, "staff-improving-outcomes");
        let dues: Vec<Option<String>> = d
            .activities
            .iter()
            .map(|a| a.due.map(PlanDate::written))
            .collect();
        assert_eq!(
            dues,
            [
                Some("2010-03".into()),
                Some("ongoing".into()),
                Some("2009-12-15".into())
            ]
        );
        assert_eq!(d.activities[2].milestones[0].due.text(), "April 2009");
        assert_eq!(d.activities[0].cross_team.as_deref(), Some("OD / KM"));
        // No `due` of its own: the latest of its activities', the month counting as its last day.
        assert_eq!(d.plan_due(), Some((d.activities[0].due.unwrap(), true)));
        assert_eq!(plan.deliverable("20b").unwrap().plan_due(), None);
        assert_eq!(plan.outcomes_of("20b"), ["1"]);
    }

    #[test]
    fn a_month_matches_any_of_its_days() {
        let m = PlanDate::Month(Date::constant(2009, 9, 1));
        assert_eq!(m.last_day(), Some(Date::constant(2009, 9, 30)));
        assert_eq!(m.days_to(Date::constant(2009, 9, 12)), Some(0));
        assert_eq!(m.days_to(Date::constant(2009, 12, 31)), Some(92));
        assert_eq!(m.days_to(Date::constant(2009, 8, 31)), Some(-1));
        assert_eq!(PlanDate::Ongoing.days_to(Date::constant(2009, 8, 31)), None);
        let d = PlanDate::Day(Date::constant(2010, 3, 31));
        assert_eq!(d.days_to(Date::constant(2010, 3, 31)), Some(0));
        assert_eq!(d.text(), "31/03/2010");
        let year = Period::parse("2009/10").unwrap().bounds(Default::default());
        assert!(m.within(year));
        assert!(!PlanDate::Month(Date::constant(2010, 12, 1)).within(year));
        assert!(PlanDate::Month(Date::constant(2010, 3, 1)).within(year));
    }

    #[test]
    fn a_quarter_is_not_a_plan_year() {
        let (plan, diags) = parse("title = \"P\"\nperiod = \"2009/10 Q2\"\n");
        assert!(plan.is_none());
        let codes: Vec<&str> = diags.iter().map(|d| d.problem.code()).collect();
        assert_eq!(codes, ["invalid-period"]);
        assert_eq!(diags[0].line_col(), Some((4, 10)));
    }

    #[test]
    fn bad_dates_and_keys_are_located() {
        let (_, diags) = parse(
            "title = \"P\"\nperiod = \"2009/10\"\n[[deliverables]]\nid = \"1\"\ntitle = \"T\"\n\
             programme = \"p\"\ndue = \"September 2009\"\nowners = \"X\"\n\
             [[deliverables.activities]]\ntitle = \"A\"\ndue = \"2009-13\"\n\
             milestones = [{ title = \"v1\" }]\n",
        );
        let mut found: Vec<(Option<(usize, usize)>, &str)> = diags
            .iter()
            .map(|d| (d.line_col(), d.problem.code()))
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                (Some((9, 7)), "invalid-date"),
                (Some((10, 1)), "unknown-key"),
                (Some((13, 7)), "invalid-date"),
                // The milestone's table, where its `due` belongs.
                (Some((14, 15)), "missing-key"),
            ]
        );
        assert!(diags.iter().any(|d| matches!(
            &d.problem,
            Problem::UnknownKey { suggestion: Some(s), .. } if s == "owner"
        )));
    }
}
