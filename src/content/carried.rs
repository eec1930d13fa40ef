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

use toml::de::{DeTable, DeValue};

use crate::content::{Data, Document};
use crate::diagnostic::{Diagnostic, Problem};
use crate::read::period::Period;

/// One narrative section of a document.
struct Section<'d> {
    /// What matches it across periods: the field and the row it belongs to.
    id: String,
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

/// Warn of every section unchanged since each document's predecessor.
pub fn check(docs: &[Document], limit: usize, out: &mut Vec<Diagnostic>) {
    // The documents of each series (a programme's reports, the budgets…), by period; the
    // first of a period wins, as the duplicate is reported elsewhere.
    let mut series: HashMap<String, BTreeMap<Period, &Document>> = HashMap::new();
    for d in docs {
        if let (Some(key), Some(p)) = (series_key(d), d.period()) {
            series.entry(key).or_default().entry(p).or_insert(d);
        }
    }
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
            let old: HashMap<String, String> = sections(before)
                .into_iter()
                .filter_map(|s| normalised(s.text, limit).map(|t| (s.id, t)))
                .collect();
            let mut found = None;
            for s in sections(doc) {
                let Some(text) = normalised(s.text, limit) else {
                    continue;
                };
                if old.get(&s.id) != Some(&text) {
                    continue;
                }
                let front = found.get_or_insert_with(|| Front::parse(doc));
                let span = locate(doc, front, &s);
                out.push(
                    Diagnostic::new(
                        Problem::UnchangedNarrative {
                            section: s.label,
                            since: since.to_string(),
                        },
                        &doc.file,
                        span,
                    )
                    .with_label(format!("as in {since}")),
                );
            }
        }
    }
}

/// The series a document belongs to, if it has a predecessor to compare with.
fn series_key(d: &Document) -> Option<String> {
    Some(match &d.data {
        Data::Highlight(h) => format!("highlight:{}", h.programme),
        Data::Budget(_) => "budget".into(),
        Data::Indicators(_) => "indicators".into(),
        Data::Actions(_) => "actions".into(),
        Data::Page(_) => return None,
    })
}

/// Text with its white space collapsed, if it is long enough to compare.
fn normalised(text: &str, limit: usize) -> Option<String> {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (t.chars().count() >= limit).then_some(t)
}

fn sections(doc: &Document) -> Vec<Section<'_>> {
    let mut out = vec![Section {
        id: "body".into(),
        label: "body text".into(),
        text: &doc.body,
        place: Place::Body,
    }];
    let field = |key, row_key, row_value: &str, near: &Range<usize>| Place::Field {
        key,
        row_key,
        row_value: row_value.to_string(),
        near: near.clone(),
    };
    match &doc.data {
        Data::Highlight(h) => {
            for o in &h.objectives {
                for (key, what, text) in [
                    ("risk_update", "risk update", &o.risk_update),
                    ("issues_update", "issues update", &o.issues_update),
                    ("completed", "completed activities", &o.completed),
                    ("outstanding", "outstanding actions", &o.outstanding),
                    ("comment", "comment", &o.comment),
                ] {
                    if let Some(text) = text {
                        out.push(Section {
                            id: format!("objective:{}:{key}", o.id),
                            label: format!("{what} of objective {}", o.id),
                            text,
                            place: field(key, "id", &o.id, &o.span),
                        });
                    }
                }
            }
        }
        Data::Budget(b) => {
            for n in &b.notes {
                out.push(Section {
                    id: format!("note:{}", n.number),
                    label: format!("note {}", n.number),
                    text: &n.text,
                    place: field("text", "number", &n.number, &(0..0)),
                });
            }
        }
        Data::Indicators(s) => {
            for i in &s.indicators {
                if let Some(text) = &i.comment {
                    out.push(Section {
                        id: format!("indicator:{}", i.id),
                        label: format!(
                            "comment on indicator {}",
                            i.code.as_deref().unwrap_or(&i.id)
                        ),
                        text,
                        place: field("comment", "id", &i.id, &i.span),
                    });
                }
            }
        }
        Data::Actions(a) => {
            for (o, action) in a.actions() {
                let Some(text) = &action.achievements else {
                    continue;
                };
                let (row_key, row_value) = match &action.id {
                    Some(id) => ("id", id.clone()),
                    None => ("title", action.title.clone()),
                };
                out.push(Section {
                    id: format!(
                        "action:{}:{}",
                        o.id,
                        crate::read::words::normalise(&row_value)
                    ),
                    label: format!("achievements of action “{}”", action.title),
                    text,
                    place: field("achievements", row_key, &row_value, &o.span),
                });
            }
        }
        Data::Page(_) => {}
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
