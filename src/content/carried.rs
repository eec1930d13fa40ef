//! Narrative carried forward unchanged: a section of a report that reads word for word as in
//! the same report of the period before (the programme's highlight report, the budget, the
//! indicator set or the action plan), which `new-period` leaves for its author to update.
//!
//! The sections compared are the body and the narrative fields: each objective's risk update,
//! issues update, completed activities, outstanding actions and comment; each budget note;
//! each indicator's comment; each action's achievements. A short entry ("No issues", "N/A")
//! may well stay the same, so texts shorter than the placeholder limit are not compared.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use rayon::prelude::*;
use toml::de::{DeTable, DeValue};

use crate::content::{Data, Document};
use crate::diagnostic::{Diagnostic, Problem};
use crate::read::period::Period;

/// A section found unchanged: what it is, in words, and where it is written.
struct Section<'d> {
    /// In words, for the message: `comment of objective o1`.
    label: String,
    text: &'d str,
    place: Place,
}

/// Where a section is written, found again only when it is reported.
enum Place {
    Body,
    /// The value of `key` in the row whose `row_key` reads `row_value` (anywhere in the front
    /// matter); `near` is where to point if it cannot be found.
    Field {
        key: &'static str,
        row_key: &'static str,
        row_value: String,
        near: Range<usize>,
    },
}

/// The series a document belongs to: a programme's highlight reports, the budgets, the
/// indicator sets or the action plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Series<'d> {
    Highlight(&'d str),
    Budget,
    Indicators,
    Actions,
}

/// Warn of every section unchanged since each document's predecessor. Comparing allocates
/// nothing: a site whose narrative moved on costs one pass over its words.
pub fn check(docs: &[Document], limit: usize, out: &mut Vec<Diagnostic>) {
    // The documents of each series by period; the first of a period wins, as the duplicate
    // is reported elsewhere.
    let mut series: HashMap<Series<'_>, BTreeMap<Period, &Document>> = HashMap::new();
    for d in docs {
        let key = match &d.data {
            Data::Highlight(h) => Series::Highlight(&h.programme),
            Data::Budget(_) => Series::Budget,
            Data::Indicators(_) => Series::Indicators,
            Data::Actions(_) => Series::Actions,
            // A plan is the year's own: it has no predecessor to carry text from.
            Data::Page(_) | Data::Plan(_) => continue,
        };
        if let Some(p) = d.period() {
            series.entry(key).or_default().entry(p).or_insert(d);
        }
    }
    // Each document with the one before it in its series.
    let mut pairs: Vec<(&Document, Period, &Document)> = Vec::new();
    for reports in series.values() {
        for (period, doc) in reports {
            // The period before: the latest earlier one of the same length.
            let Some((since, before)) = reports
                .range(..*period)
                .rev()
                .find(|(p, _)| p.quarter.is_some() == period.quarter.is_some())
            else {
                continue;
            };
            pairs.push((doc, *since, before));
        }
    }
    // Compared in parallel: a large site's narrative is most of its text. Each document is in
    // one pair, so the order the pairs are taken in changes nothing once diagnostics are
    // sorted by file.
    let found: Vec<Vec<Diagnostic>> = pairs
        .into_par_iter()
        .map(|(doc, since, before)| {
            let sections = unchanged(doc, before, limit);
            if sections.is_empty() {
                return Vec::new();
            }
            let front = Front::parse(doc);
            sections
                .into_iter()
                .map(|s| {
                    let span = locate(doc, &front, &s);
                    Diagnostic::new(
                        Problem::UnchangedNarrative {
                            section: s.label,
                            since: since.to_string(),
                        },
                        &doc.file,
                        span,
                    )
                    .with_label(format!("as in {since}"))
                })
                .collect()
        })
        .collect();
    out.extend(found.into_iter().flatten());
}

/// Whether two texts read the same, white space aside, and are long enough to compare.
fn same(a: &str, b: &str, limit: usize) -> bool {
    a.split_whitespace().eq(b.split_whitespace()) && {
        let mut chars = 0;
        a.split_whitespace().enumerate().any(|(i, w)| {
            chars += w.chars().count() + usize::from(i > 0);
            chars >= limit
        })
    }
}

/// The item of `before` that matches `at` in `now`: most often the one at the same place.
fn matching<T>(before: &[T], at: usize, is: impl Fn(&T) -> bool) -> Option<&T> {
    before
        .get(at)
        .filter(|x| is(x))
        .or_else(|| before.iter().find(|x| is(x)))
}

fn field(key: &'static str, row_key: &'static str, row_value: &str, near: &Range<usize>) -> Place {
    Place::Field {
        key,
        row_key,
        row_value: row_value.to_string(),
        near: near.clone(),
    }
}

/// The sections of `doc` that read as the same sections of `before`.
fn unchanged<'d>(doc: &'d Document, before: &Document, limit: usize) -> Vec<Section<'d>> {
    let mut out = Vec::new();
    if same(&doc.body, &before.body, limit) {
        out.push(Section {
            label: "body text".into(),
            text: &doc.body,
            place: Place::Body,
        });
    }
    let pair = |a: &Option<String>, b: Option<&Option<String>>| matches!((a, b), (Some(a), Some(Some(b))) if same(a, b, limit));
    match (&doc.data, &before.data) {
        (Data::Highlight(h), Data::Highlight(old)) => {
            for (i, o) in h.objectives.iter().enumerate() {
                let Some(p) = matching(&old.objectives, i, |x| x.id == o.id) else {
                    continue;
                };
                for (key, what, text, was) in [
                    ("risk_update", "risk update", &o.risk_update, &p.risk_update),
                    (
                        "issues_update",
                        "issues update",
                        &o.issues_update,
                        &p.issues_update,
                    ),
                    (
                        "completed",
                        "completed activities",
                        &o.completed,
                        &p.completed,
                    ),
                    (
                        "outstanding",
                        "outstanding actions",
                        &o.outstanding,
                        &p.outstanding,
                    ),
                    ("comment", "comment", &o.comment, &p.comment),
                ] {
                    if let Some(t) = text.as_deref().filter(|_| pair(text, Some(was))) {
                        out.push(Section {
                            label: format!("{what} of objective {}", o.id),
                            text: t,
                            place: field(key, "id", &o.id, &o.span),
                        });
                    }
                }
            }
        }
        (Data::Budget(b), Data::Budget(old)) => {
            for (i, n) in b.notes.iter().enumerate() {
                let was = matching(&old.notes, i, |x| x.number == n.number);
                if was.is_some_and(|w| same(&n.text, &w.text, limit)) {
                    out.push(Section {
                        label: format!("note {}", n.number),
                        text: &n.text,
                        place: field("text", "number", &n.number, &(0..0)),
                    });
                }
            }
        }
        (Data::Indicators(s), Data::Indicators(old)) => {
            for (i, ind) in s.indicators.iter().enumerate() {
                let was = matching(&old.indicators, i, |x| x.id == ind.id).map(|w| &w.comment);
                if let Some(t) = ind.comment.as_deref().filter(|_| pair(&ind.comment, was)) {
                    out.push(Section {
                        label: format!(
                            "comment on indicator {}",
                            ind.code.as_deref().unwrap_or(&ind.id)
                        ),
                        text: t,
                        place: field("comment", "id", &ind.id, &ind.span),
                    });
                }
            }
        }
        (Data::Actions(a), Data::Actions(old)) => {
            let old: Vec<_> = old.actions().collect();
            for (i, (o, action)) in a.actions().enumerate() {
                let is = |(wo, wa): &(
                    &crate::content::actions::ActionObjective,
                    &crate::content::actions::Action,
                )| {
                    wo.id == o.id
                        && match (&action.id, &wa.id) {
                            (Some(x), Some(y)) => x == y,
                            _ => wa.title == action.title,
                        }
                };
                let was = matching(&old, i, is).map(|(_, w)| &w.achievements);
                if let Some(t) = action
                    .achievements
                    .as_deref()
                    .filter(|_| pair(&action.achievements, was))
                {
                    let (row_key, row_value) = match &action.id {
                        Some(id) => ("id", id.as_str()),
                        None => ("title", action.title.as_str()),
                    };
                    out.push(Section {
                        label: format!("achievements of action “{}”", action.title),
                        text: t,
                        place: field("achievements", row_key, row_value, &o.span),
                    });
                }
            }
        }
        _ => {}
    }
    out
}

/// A document's front matter parsed again, to find where a section is written: done only for
/// a document with something to report, so a site whose narrative moved on pays nothing.
struct Front<'t> {
    table: Option<DeTable<'t>>,
    base: usize,
}

impl<'t> Front<'t> {
    fn parse(doc: &'t Document) -> Self {
        let text = &doc.file.text;
        match crate::content::front_matter::split(text) {
            Ok(split) => Front {
                table: DeTable::parse(&text[split.front.clone()])
                    .ok()
                    .map(|t| t.into_inner()),
                base: split.front.start,
            },
            Err(_) => Front {
                table: None,
                base: 0,
            },
        }
    }
}

fn locate(doc: &Document, front: &Front<'_>, s: &Section<'_>) -> Range<usize> {
    match &s.place {
        Place::Body => {
            let body = &doc.file.text[doc.body_span.clone()];
            let lead = body.len() - body.trim_start().len();
            let start = doc.body_span.start + lead;
            let line = body[lead..].find(['\r', '\n']).unwrap_or(body.len() - lead);
            start..start + line
        }
        Place::Field {
            key,
            row_key,
            row_value,
            near,
        } => {
            let found = front
                .table
                .as_ref()
                .and_then(|t| find(t, key, row_key, row_value, s.text));
            match found {
                Some(span) => span.start + front.base..span.end + front.base,
                None if near.end > near.start => near.clone(),
                None => doc.body_span.start.saturating_sub(4)..doc.body_span.start,
            }
        }
    }
}

/// The span of `key`'s value in a table, at any depth, whose `row_key` reads `row_value` and
/// whose `key` holds `text`.
fn find(
    t: &DeTable<'_>,
    key: &str,
    row_key: &str,
    row_value: &str,
    text: &str,
) -> Option<Range<usize>> {
    let here = t.get(row_key).is_some_and(|v| match v.get_ref() {
        DeValue::String(s) => s == row_value,
        DeValue::Integer(i) => i.as_str() == row_value,
        _ => false,
    });
    if here
        && let Some(v) = t.get(key)
        && matches!(v.get_ref(), DeValue::String(s) if s == text)
    {
        return Some(v.span());
    }
    t.iter().find_map(|(_, v)| match v.get_ref() {
        DeValue::Table(sub) => find(sub, key, row_key, row_value, text),
        DeValue::Array(items) => items.iter().find_map(|item| match item.get_ref() {
            DeValue::Table(sub) => find(sub, key, row_key, row_value, text),
            _ => None,
        }),
        _ => None,
    })
}
