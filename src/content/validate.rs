//! Checks that need more than one value: duplicate ids, references between documents, and the
//! data-quality warnings that the seeds show authors make.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use crate::config::Config;
use crate::content::{Data, Document};
use crate::diagnostic::{Diagnostic, Problem, suggest};
use crate::source::SourceFile;

/// Narrative text at least this long that appears word for word in several objectives is
/// taken to be a placeholder rather than a real update.
const PLACEHOLDER_MIN_CHARS: usize = 40;

/// Run every cross-value check over the loaded documents.
pub fn check(docs: &[Document], config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let programmes = known_programmes(docs, config);
    let mut reports: HashMap<(String, crate::content::period::Period), &Document> = HashMap::new();
    let mut slugs: HashMap<String, &Document> = HashMap::new();
    // Budgets, indicator sets and action plans: one of each a period, as each has one page.
    let mut per_period: HashMap<(&'static str, crate::content::period::Period), &Document> =
        HashMap::new();
    for doc in docs {
        let f = &doc.file;
        let one_a_period = match &doc.data {
            Data::Budget(b) => Some(("budget reports", b.period)),
            Data::Indicators(s) => Some(("indicator sets", s.period)),
            Data::Actions(a) => Some(("action plans", a.period)),
            Data::Highlight(_) | Data::Page(_) => None,
        };
        if let Some((what, period)) = one_a_period {
            if let Some(first) = per_period.get(&(what, period)) {
                out.push(Diagnostic::new(
                    Problem::DuplicateInPeriod {
                        what,
                        period: period.to_string(),
                        first: first.file.display.clone(),
                    },
                    f,
                    0..3,
                ));
            } else {
                per_period.insert((what, period), doc);
            }
        }
        match &doc.data {
            Data::Highlight(h) => {
                let key = (h.programme.clone(), h.period);
                if let Some(first) = reports.get(&key) {
                    let (l, c) = match &first.data {
                        Data::Highlight(fh) => first.file.line_col(fh.programme_span.start),
                        _ => (1, 1),
                    };
                    out.push(Diagnostic::new(
                        Problem::DuplicateReport {
                            programme: h.programme.clone(),
                            period: h.period.to_string(),
                            first: format!("{}:{l}:{c}", first.file.display),
                        },
                        f,
                        h.programme_span.clone(),
                    ));
                } else {
                    reports.insert(key, doc);
                }
                check_highlight(doc, h, config, &mut out);
            }
            Data::Budget(b) => check_budget(f, b, &programmes, &mut out),
            Data::Indicators(s) => {
                let mut ids = Ids::new("indicator");
                for i in &s.indicators {
                    ids.add(f, &i.id, i.span.clone(), &mut out);
                }
            }
            Data::Actions(a) => {
                let mut ids = Ids::new("objective");
                for o in &a.objectives {
                    ids.add(f, &o.id, o.span.clone(), &mut out);
                }
                let mut ws = Ids::new("workstream");
                for w in &a.workstreams {
                    ws.add(f, &w.id, w.span.clone(), &mut out);
                }
                let mut ps = Ids::new("priority");
                for p in &a.priorities {
                    ps.add(f, &p.id, p.span.clone(), &mut out);
                }
                crate::content::actions::check_priorities(a, &mut |p, span| {
                    out.push(Diagnostic::new(p, f, span));
                });
            }
            Data::Page(p) => {
                let slug = p.slug.clone().unwrap_or_else(|| doc.stem.clone());
                // Pages the site makes itself at `/<slug>/`. (A page may replace the
                // accessibility statement and the exceptions page, so those are not here.)
                if slug == "search" {
                    out.push(Diagnostic::new(
                        Problem::ReservedSlug {
                            slug,
                            taken_by: "search page",
                        },
                        f,
                        0..3,
                    ));
                } else if let Some(first) = slugs.get(&slug) {
                    out.push(Diagnostic::new(
                        Problem::DuplicateId {
                            what: "page",
                            id: slug,
                            first: first.file.display.clone(),
                        },
                        f,
                        0..3,
                    ));
                } else {
                    slugs.insert(slug, doc);
                }
            }
        }
    }
    out
}

/// Programme ids declared in `boardpack.toml` or used by any highlight report.
pub fn known_programmes(docs: &[Document], config: &Config) -> Vec<String> {
    let mut ids: Vec<String> = config.programmes.iter().map(|p| p.id.clone()).collect();
    for d in docs {
        if let Data::Highlight(h) = &d.data
            && !ids.contains(&h.programme)
        {
            ids.push(h.programme.clone());
        }
    }
    ids
}

/// Detects duplicate ids within one scope and points at the first definition.
struct Ids {
    what: &'static str,
    seen: HashMap<String, Range<usize>>,
}

impl Ids {
    fn new(what: &'static str) -> Self {
        Self {
            what,
            seen: HashMap::new(),
        }
    }

    fn add(
        &mut self,
        f: &Arc<SourceFile>,
        id: &str,
        span: Range<usize>,
        out: &mut Vec<Diagnostic>,
    ) {
        if let Some(first) = self.seen.get(id) {
            let (l, c) = f.line_col(first.start);
            out.push(Diagnostic::new(
                Problem::DuplicateId {
                    what: self.what,
                    id: id.to_string(),
                    first: format!("{}:{l}:{c}", f.display),
                },
                f,
                span,
            ));
        } else {
            self.seen.insert(id.to_string(), span);
        }
    }
}

fn check_highlight(
    doc: &Document,
    h: &crate::content::Highlight,
    config: &Config,
    out: &mut Vec<Diagnostic>,
) {
    let f = &doc.file;
    let mut objectives = Ids::new("objective");
    let mut activities = Ids::new("activity");
    let year = h.period.year_of();
    let bounds = year.bounds(config.year_start);
    for o in &h.objectives {
        objectives.add(f, &o.id, o.span.clone(), out);
        for a in &o.activities {
            if let Some(id) = &a.id {
                activities.add(f, id, a.span.clone(), out);
            }
            if !bounds.contains(a.due) {
                out.push(
                    Diagnostic::new(
                        Problem::DueOutsideYear {
                            due: a.due.to_string(),
                            year: year.to_string(),
                        },
                        f,
                        a.due_span.clone(),
                    )
                    .with_label(format!(
                        "the plan year runs {} to {}",
                        bounds.start, bounds.end
                    )),
                );
            }
        }
    }
    let objective_ids: Vec<&str> = h.objectives.iter().map(|o| o.id.as_str()).collect();
    for (entries, what, prefix) in [(&h.risks, "risk", 'R'), (&h.issues, "issue", 'I')] {
        let mut ids = Ids::new(what);
        for r in entries {
            ids.add(f, &r.id, r.span.clone(), out);
            let mut chars = r.id.chars();
            let fits = chars.next() == Some(prefix)
                && chars.clone().next().is_some()
                && chars.all(|c| c.is_ascii_digit());
            if !fits {
                out.push(Diagnostic::new(
                    Problem::IdPattern {
                        what,
                        id: r.id.clone(),
                        pattern: if prefix == 'R' {
                            "R + digits (R001)"
                        } else {
                            "I + digits (I001)"
                        },
                    },
                    f,
                    r.span.clone(),
                ));
            }
            if let Some(o) = &r.objective
                && !objective_ids.contains(&o.as_str())
            {
                out.push(Diagnostic::new(
                    Problem::UnknownReference {
                        what: "objective",
                        id: o.clone(),
                        suggestion: suggest(o, objective_ids.iter().copied()).map(str::to_string),
                    },
                    f,
                    r.objective_span.clone(),
                ));
            }
        }
    }
    check_placeholders(f, h, out);
}

/// Warn where one long narrative text is repeated across objectives of a report.
fn check_placeholders(
    f: &Arc<SourceFile>,
    h: &crate::content::Highlight,
    out: &mut Vec<Diagnostic>,
) {
    type Section = fn(&crate::content::highlight::Objective) -> Option<&String>;
    let sections: [(&str, Section); 5] = [
        ("risk update", |o| o.risk_update.as_ref()),
        ("issues update", |o| o.issues_update.as_ref()),
        ("completed activities", |o| o.completed.as_ref()),
        ("outstanding actions", |o| o.outstanding.as_ref()),
        ("additional comment", |o| o.comment.as_ref()),
    ];
    for (name, get) in sections {
        let mut groups: BTreeMap<String, Vec<&crate::content::highlight::Objective>> =
            BTreeMap::new();
        for o in &h.objectives {
            if let Some(text) = get(o) {
                let norm = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if norm.chars().count() >= PLACEHOLDER_MIN_CHARS {
                    groups.entry(norm).or_default().push(o);
                }
            }
        }
        for objs in groups.values().filter(|g| g.len() > 1) {
            let ids: Vec<&str> = objs.iter().map(|o| o.id.as_str()).collect();
            out.push(
                Diagnostic::new(
                    Problem::RepeatedPlaceholder {
                        section: name.to_string(),
                        count: objs.len(),
                    },
                    f,
                    objs[0].span.clone(),
                )
                .with_label(format!(
                    "the same text appears in objectives {}",
                    ids.join(", ")
                )),
            );
        }
    }
}

fn check_budget(
    f: &Arc<SourceFile>,
    b: &crate::content::Budget,
    programmes: &[String],
    out: &mut Vec<Diagnostic>,
) {
    let mut groups = Ids::new("budget group");
    for g in &b.groups {
        groups.add(f, &g.id, g.span.clone(), out);
    }
    let group_ids: Vec<&str> = b.groups.iter().map(|g| g.id.as_str()).collect();
    let unknown = |id: &str, what| Problem::UnknownReference {
        what,
        id: id.to_string(),
        suggestion: suggest(id, group_ids.iter().copied()).map(str::to_string),
    };
    let parents: HashMap<&str, &str> = b
        .groups
        .iter()
        .filter_map(|g| g.parent.as_deref().map(|p| (g.id.as_str(), p)))
        .collect();
    for g in &b.groups {
        match &g.parent {
            Some(p) if !group_ids.contains(&p.as_str()) => {
                out.push(Diagnostic::new(
                    unknown(p, "budget group"),
                    f,
                    g.parent_span.clone(),
                ));
            }
            Some(_) => {
                // Follow parents; a walk longer than the number of groups has looped.
                let mut seen = HashSet::new();
                let mut cur = g.id.as_str();
                while let Some(&p) = parents.get(cur) {
                    if !seen.insert(p) || p == g.id {
                        out.push(Diagnostic::new(
                            Problem::Cycle {
                                what: "budget group",
                                id: g.id.clone(),
                            },
                            f,
                            g.parent_span.clone(),
                        ));
                        break;
                    }
                    cur = p;
                }
            }
            None if g.kind.is_none() => out.push(
                Diagnostic::new(
                    Problem::MissingKey {
                        key: format!("groups[{}].kind", g.id),
                    },
                    f,
                    g.span.clone(),
                )
                .with_label("a top-level group needs kind = \"income\" or \"expenditure\""),
            ),
            None => {}
        }
    }
    let mut lines = Ids::new("budget line");
    for l in &b.lines {
        lines.add(f, &l.id, l.span.clone(), out);
        if !group_ids.contains(&l.group.as_str()) {
            out.push(Diagnostic::new(
                unknown(&l.group, "budget group"),
                f,
                l.group_span.clone(),
            ));
        }
        if let Some(p) = &l.programme
            && !programmes.contains(p)
        {
            out.push(Diagnostic::new(
                Problem::UnknownReference {
                    what: "programme",
                    id: p.clone(),
                    suggestion: suggest(p, programmes.iter().map(String::as_str))
                        .map(str::to_string),
                },
                f,
                l.programme_span.clone(),
            ));
        }
    }
}
