//! Checks that need more than one value: duplicate ids, references between documents, and the
//! data-quality warnings that the seeds show authors make.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Data, Document};
use crate::diagnostic::{Diagnostic, Problem, suggest};
use crate::read::words::DocKind;
use crate::source::SourceFile;

/// Narrative text at least this long that appears word for word in several objectives is
/// taken to be a placeholder rather than a real update.
const PLACEHOLDER_MIN_CHARS: usize = 40;

/// Run every cross-value check over the loaded documents.
pub fn check(docs: &[Document], config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let programmes = known_programmes(docs, config);
    // A published budget may only name programmes the published site has, so that `build`
    // (which leaves drafts out) finds nothing `check` passed.
    let published: Vec<&Document> = docs.iter().filter(|d| !d.draft).collect();
    let published_programmes = known_programmes(published.iter().copied(), config);
    let mut reports: HashMap<(String, crate::read::period::Period), &Document> = HashMap::new();
    let mut slugs: HashMap<String, &Document> = HashMap::new();
    // Budgets, indicator sets and action plans: one of each a period, as each has one page.
    let mut per_period: HashMap<(&'static str, crate::read::period::Period), &Document> =
        HashMap::new();
    // First, one pass in document order over what is unique across documents: the first of
    // each is the one later ones are reported against. Each document's diagnostics start with
    // these, as they did when one loop did everything.
    let mut across: Vec<Vec<Diagnostic>> = Vec::with_capacity(docs.len());
    for doc in docs {
        let mut out = Vec::new();
        let f = &doc.file;
        let one_a_period = match &doc.data {
            Data::Budget(b) => Some(("budget reports", b.period)),
            Data::Indicators(s) => Some(("indicator sets", s.period)),
            Data::Actions(a) => Some(("action plans", a.period)),
            Data::Plan(p) => Some(("plans", p.period)),
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
            }
            Data::Page(p) => {
                let slug = p.slug.clone().unwrap_or_else(|| doc.stem.clone());
                if let Some(problem) = slug_problem(&slug) {
                    out.push(Diagnostic::new(problem, f, p.slug_span.clone()));
                } else if let Some(first) = slugs.get(&slug) {
                    out.push(Diagnostic::new(
                        Problem::DuplicateId {
                            what: "page",
                            id: slug,
                            first: first.file.display.clone(),
                        },
                        f,
                        p.slug_span.clone(),
                    ));
                } else {
                    slugs.insert(slug, doc);
                }
            }
            _ => {}
        }
        across.push(out);
    }
    // Then what each document needs only of itself and the configuration, in parallel: a large
    // site's reports are many, and none waits on another.
    let own: Vec<Vec<Diagnostic>> = docs
        .par_iter()
        .map(|doc| {
            let known = if doc.draft {
                &programmes
            } else {
                &published_programmes
            };
            check_one(doc, config, known)
        })
        .collect();
    for (mut first, then) in across.into_iter().zip(own) {
        first.extend(then);
        out.extend(first);
    }
    crate::content::plan_check::check(docs, config, &programmes, &mut out);
    check_case(docs, config, &mut out);
    crate::content::carried::check(docs, PLACEHOLDER_MIN_CHARS, &mut out);
    out
}

/// The checks of one document that look at nothing but it, the configuration and the
/// programmes its budget may name.
fn check_one(doc: &Document, config: &Config, programmes: &[String]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let f = &doc.file;
    match &doc.data {
        Data::Highlight(h) => {
            check_highlight(doc, h, config, &mut out);
            check_weights(doc, h, config, &mut out);
        }
        Data::Budget(b) => check_budget(f, b, programmes, &mut out),
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
        // Checked with the reports that refer to it, in `plan_check`.
        Data::Plan(_) => {}
        // Its slug is checked against the others' in `check`.
        Data::Page(_) => {}
    }
    if !doc.money_symbols.is_empty() {
        check_currency(doc, config, &mut out);
    }
    out
}

/// Output names the site writes itself at its top, with what writes them. (A page may replace
/// the accessibility statement and the exceptions page, so those are not here.)
/// Also the files `render::publish` writes at the root, whose paths a page's folder would
/// block; a test there keeps the two lists together.
const RESERVED_SLUGS: [(&str, &str); 7] = [
    ("search", "search page"),
    ("index.html", "home page"),
    ("404.html", "not-found page"),
    ("feed.xml", "site's feed"),
    ("sitemap.xml", "sitemap"),
    ("robots.txt", "robots.txt file"),
    ("meetings.json", "meetings file"),
];

/// Why a page's slug cannot be its folder and the last part of its address, if it cannot. An
/// explicit `slug` is an id already; a slug from a file name may hold anything a file name can.
pub fn slug_problem(slug: &str) -> Option<Problem> {
    if let Some((_, taken_by)) = RESERVED_SLUGS.iter().find(|(s, _)| *s == slug) {
        return Some(Problem::ReservedSlug {
            slug: slug.to_string(),
            taken_by,
        });
    }
    let reason = if let Some(c) = slug.chars().find(|c| matches!(c, '#' | '?' | '%')) {
        format!(
            "holds `{c}`, which would end or change the page's web address; it comes from the \
             file name"
        )
    } else if let Some(c) = slug
        .chars()
        .find(|c| c.is_control() || matches!(c, '\\' | '/' | ':' | '*' | '"' | '<' | '>' | '|'))
    {
        format!(
            "holds `{}`, which cannot be in a folder name on Windows; it comes from the file name",
            c.escape_debug()
        )
    } else if slug.ends_with(['.', ' ']) || slug.starts_with(' ') || slug == "." || slug == ".." {
        "begins or ends with a space or a dot, which Windows drops from folder names".to_string()
    } else if slug.to_ascii_lowercase().ends_with(".html") {
        "ends in `.html`, so it reads as a file, but a page is a folder with its own index.html"
            .to_string()
    } else {
        return None;
    };
    Some(Problem::InvalidSlug {
        slug: slug.to_string(),
        reason,
    })
}

/// Report money written with a currency symbol that is not the site's: `€5,000` in a site in
/// pounds would otherwise be read as £5,000.
fn check_currency(doc: &Document, config: &Config, out: &mut Vec<Diagnostic>) {
    for (symbol, span) in &doc.money_symbols {
        if !crate::read::money::symbol_fits(*symbol, &config.currency) {
            out.push(
                Diagnostic::new(
                    Problem::CurrencyMismatch {
                        symbol: *symbol,
                        currency: config.currency.clone(),
                    },
                    &doc.file,
                    span.clone(),
                )
                .with_label(format!("not {}", config.currency)),
            );
        }
    }
}

/// Report output folders whose names differ only in case: on Windows and macOS (and so in a
/// checkout there, or on a server that serves from one) they are one folder, and one page
/// would overwrite the other or land in the other's folder. Pages are folders at the top of the
/// site, beside those the site makes; programmes are folders under `programmes/`.
fn check_case(docs: &[Document], config: &Config, out: &mut Vec<Diagnostic>) {
    // Lower-case name → (the name, where it comes from), for the first of each.
    let mut top: HashMap<String, (String, String)> = HashMap::new();
    let has = |kind: DocKind| docs.iter().any(|d| d.kind() == kind);
    let any_period = docs.iter().any(|d| d.period().is_some());
    let own = [
        ("search", true),
        ("index.html", true),
        ("404.html", true),
        ("css", true),
        ("accessibility", true),
        ("exceptions", any_period),
        ("periods", any_period),
        (
            "programmes",
            has(DocKind::Highlight) || !config.programmes.is_empty(),
        ),
        ("budget", has(DocKind::Budget)),
        ("indicators", has(DocKind::Indicators)),
        ("actions", has(DocKind::Actions)),
        ("plan", has(DocKind::Plan)),
    ];
    for (name, _) in own.iter().filter(|(_, made)| *made) {
        top.insert(
            name.to_string(),
            (name.to_string(), format!("the site's own `{name}`")),
        );
    }
    for d in docs {
        if let Data::Page(p) = &d.data {
            let slug = p.slug.clone().unwrap_or_else(|| d.stem.clone());
            claim_name(&mut top, &slug, &d.file, p.slug_span.clone(), out);
        }
    }
    let mut programmes: HashMap<String, (String, String)> = HashMap::new();
    for p in &config.programmes {
        programmes.entry(p.id.to_lowercase()).or_insert_with(|| {
            let at = format!("programme `{}` in boardpack.toml", p.id);
            (p.id.clone(), at)
        });
    }
    for d in docs {
        if let Data::Highlight(h) = &d.data {
            claim_name(
                &mut programmes,
                &h.programme,
                &d.file,
                h.programme_span.clone(),
                out,
            );
        }
    }
}

/// Record `name` among `seen`, or report it if another name differs from it only in case.
fn claim_name(
    seen: &mut HashMap<String, (String, String)>,
    name: &str,
    f: &Arc<SourceFile>,
    span: Range<usize>,
    out: &mut Vec<Diagnostic>,
) {
    let lower = name.to_lowercase();
    match seen.get(&lower) {
        Some((other, first)) if other != name => out.push(Diagnostic::new(
            Problem::CaseCollision {
                path: name.to_string(),
                other: other.clone(),
                first: first.clone(),
            },
            f,
            span,
        )),
        Some(_) => {}
        None => {
            let (l, c) = f.line_col(span.start);
            let at = format!("{}:{l}:{c}", f.display);
            seen.insert(lower, (name.to_string(), at));
        }
    }
}

/// Under the weighted rule, an objective whose activities all weigh nothing has no progress to
/// weigh: an error at the objective, rather than a figure quietly missing.
fn check_weights(
    doc: &Document,
    h: &crate::content::Highlight,
    config: &Config,
    out: &mut Vec<Diagnostic>,
) {
    if config.rollup != crate::read::words::RollupRule::Weighted {
        return;
    }
    for o in &h.objectives {
        let all_zero = !o.activities.is_empty()
            && (o.activities.iter()).all(|a| a.weight.is_some_and(|w| w.is_zero()));
        if all_zero {
            out.push(Diagnostic::new(
                Problem::InvalidWeight {
                    reason: format!(
                        "every activity of objective {} has weight 0, so its progress cannot be weighted",
                        o.id
                    ),
                },
                &doc.file,
                o.span.clone(),
            ));
        }
    }
}

/// Programme ids declared in `boardpack.toml` or used by any highlight report.
pub fn known_programmes<'a>(
    docs: impl IntoIterator<Item = &'a Document>,
    config: &Config,
) -> Vec<String> {
    let mut ids: Vec<String> = config.programmes.iter().map(|p| p.id.clone()).collect();
    // Looked up in a set: a large site has thousands of reports of hundreds of programmes.
    let mut seen: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    let mut found = Vec::new();
    for d in docs {
        if let Data::Highlight(h) = &d.data
            && seen.insert(&h.programme)
        {
            found.push(h.programme.clone());
        }
    }
    ids.extend(found);
    ids
}

/// Detects duplicate ids within one scope and points at the first definition.
pub(super) struct Ids {
    what: &'static str,
    seen: HashMap<String, Range<usize>>,
}

impl Ids {
    pub(super) fn new(what: &'static str) -> Self {
        Self {
            what,
            seen: HashMap::new(),
        }
    }

    pub(super) fn add(
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

/// The deepest a budget group may be nested: top-level groups are at depth 0. Budgets nest a
/// few levels; the bound keeps what is laid out and rendered per level bounded too.
pub const MAX_GROUP_DEPTH: usize = 100;

/// Each group's depth below the top, from each one's parent; none for a group whose parents
/// lead round in a cycle (or into one). Each group is walked once, so a chain of any length
/// costs time in proportion to it.
fn group_depths(parent: &[Option<usize>]) -> Vec<Option<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done(Option<usize>),
    }
    let mut state = vec![State::New; parent.len()];
    let mut path = Vec::new();
    for start in 0..parent.len() {
        let mut cur = Some(start);
        // Climb until the top, a group already done, or one on this climb (a cycle).
        let mut above = Some(None);
        while let Some(g) = cur {
            match state[g] {
                State::New => {
                    state[g] = State::OnPath;
                    path.push(g);
                    cur = parent[g];
                }
                State::OnPath => {
                    above = None;
                    break;
                }
                State::Done(d) => {
                    above = d.map(Some);
                    break;
                }
            }
        }
        // `above`: the depth of the group above the climb's last one (Some(None) for the top),
        // or None where the climb ran into a cycle.
        let mut next: Option<usize> = match above {
            Some(None) => Some(0),
            Some(Some(d)) => Some(d + 1),
            None => None,
        };
        while let Some(g) = path.pop() {
            state[g] = State::Done(next);
            next = next.map(|d| d + 1);
        }
    }
    state
        .into_iter()
        .map(|s| match s {
            State::Done(d) => d,
            _ => None,
        })
        .collect()
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
    let index: HashMap<&str, usize> = (b.groups.iter().enumerate().rev())
        .map(|(i, g)| (g.id.as_str(), i))
        .collect();
    let parent: Vec<Option<usize>> = (b.groups.iter())
        .map(|g| g.parent.as_deref().and_then(|p| index.get(p).copied()))
        .collect();
    let depth = group_depths(&parent);
    for (i, g) in b.groups.iter().enumerate() {
        match &g.parent {
            Some(p) if !group_ids.contains(&p.as_str()) => {
                out.push(Diagnostic::new(
                    unknown(p, "budget group"),
                    f,
                    g.parent_span.clone(),
                ));
            }
            Some(_) => match depth[i] {
                None => out.push(Diagnostic::new(
                    Problem::Cycle {
                        what: "budget group",
                        id: g.id.clone(),
                    },
                    f,
                    g.parent_span.clone(),
                )),
                // Only the first group past the limit on each branch: those below it follow.
                Some(d) if d == MAX_GROUP_DEPTH + 1 => out.push(
                    Diagnostic::new(
                        Problem::GroupTooDeep {
                            id: g.id.clone(),
                            limit: MAX_GROUP_DEPTH,
                        },
                        f,
                        g.parent_span.clone(),
                    )
                    .with_label(format!("the {}th level", MAX_GROUP_DEPTH + 1)),
                ),
                Some(_) => {}
            },
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
