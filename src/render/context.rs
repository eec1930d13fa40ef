//! Template contexts: what each page's template receives, built in one place.
//!
//! Everything shared is serialised once per build: the site, the navigation, and the lists of
//! periods, programmes and pages ([`Contexts::shared`]). One value per report (its model, its
//! layout helpers and its summary) is serialised for each batch of pages that shows it
//! ([`Contexts::lay_out`]), so that a large site's summaries are never all in memory at once.
//! A page's context is then a handful of cheap clones of those values (Tera's
//! arrays and maps are reference-counted) plus the page's own few fields, so no page copies the
//! model.
//!
//! Summaries from [`crate::aggregate`] are laid out for pages by [`crate::render::summary`]: one
//! per report (`report.summary`, shown on the report's own page and in its board pack) and one
//! per home, period, programme and exceptions page (`summary`, chosen in `page_summary`). The
//! download files those summaries link to are built at the same time; [`Contexts::files`]
//! hands them to the renderer.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::content::{Data, Document};
use crate::error::Error;
use crate::plan::Loaded;
use crate::plan::pages::{PageKind, Plan, PlannedPage, PlannedReport, period_title};
use crate::render::summary::actions::{ActionsLayout, actions_layout};
use crate::render::summary::budget_layout::{BudgetLayout, budget_layout};
use crate::render::summary::indicators::{IndicatorsLayout, indicators_layout};
use crate::render::summary::{Needed, Summaries};
use crate::render::templates::Templates;

/// The summary for a whole page: the board pack's organisation summary, ranking and
/// exceptions, a programme's trend, the home page's dashboard. `None` leaves `summary`
/// undefined, so templates test `{% if summary %}`. On a report's own page `summary` is the
/// report's summary.
fn page_summary<'a>(
    summaries: &'a Summaries,
    kind: &PageKind,
    report: Option<&'a Value>,
) -> Option<&'a Value> {
    match kind {
        PageKind::Report(_) => report,
        PageKind::Home => summaries.home.as_ref(),
        PageKind::Period(i) => summaries.periods.get(*i).and_then(Option::as_ref),
        PageKind::Programme(i) => summaries.programmes.get(*i).and_then(Option::as_ref),
        PageKind::Plan(i) => summaries.plans.get(*i).and_then(Option::as_ref),
        PageKind::Exceptions => summaries.exceptions.as_ref(),
        PageKind::Page(_) | PageKind::Accessibility | PageKind::Search | PageKind::NotFound => None,
    }
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    organisation: &'a str,
    language: &'a str,
    base_url: &'a str,
    currency: &'a str,
    /// The accessibility statement's URL, for the footer.
    accessibility_url: &'a str,
    /// The stylesheet's URL, with its content hash.
    css_url: String,
    /// `public` or `members`: who the site is built for.
    audience: &'static str,
    /// The law exempt items cite: "Schedule 12A".
    schedule: &'static str,
    /// Whether pages show the findings: always for members, for the public as `[publish]
    /// findings` says.
    findings: bool,
    /// Whether the site shows exempt material (the members' view of a site that has some):
    /// every page then says so, and asks search engines not to index it.
    exempt_shown: bool,
    /// The Atom feed of board packs, when the site has a period, for `<link rel="alternate">`.
    feed_url: Option<String>,
}

#[derive(Serialize)]
struct Link<'a> {
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct ReportLink<'a> {
    kind: &'static str,
    kind_label: &'static str,
    title: &'a str,
    url: &'a str,
    anchor: &'a str,
    /// Marked `draft = true`: lists say so beside the link.
    draft: bool,
}

#[derive(Serialize)]
struct PeriodInfo<'a> {
    label: String,
    slug: String,
    title: String,
    url: &'a str,
    start: jiff::civil::Date,
    end: jiff::civil::Date,
    reports: Vec<ReportLink<'a>>,
    /// How many of its reports are drafts.
    drafts: usize,
    /// Its board pack as a PDF, when PDFs are on.
    pdf_url: Option<&'a str>,
}

#[derive(Serialize)]
struct ProgrammeReport<'a> {
    period: String,
    url: &'a str,
    title: &'a str,
    lead: &'a str,
    stated_progress: Option<rust_decimal::Decimal>,
    draft: bool,
}

#[derive(Serialize)]
struct ProgrammeInfo<'a> {
    id: &'a str,
    title: &'a str,
    lead: Option<&'a str>,
    url: &'a str,
    /// The programme's Atom feed, when it has a report.
    feed_url: Option<String>,
    reports: Vec<ProgrammeReport<'a>>,
}

#[derive(Serialize)]
struct PageInfo<'a> {
    title: &'a str,
    slug: &'a str,
    url: &'a str,
    in_nav: bool,
    draft: bool,
}

#[derive(Serialize)]
struct PlanInfo<'a> {
    title: &'a str,
    /// Its financial year, `2009/10`.
    period: String,
    url: &'a str,
}

#[derive(Serialize)]
struct Generator {
    name: &'static str,
    version: &'static str,
}

/// What a plan looks like to its page's template, as `plan`.
#[derive(Serialize)]
struct PlanValue<'a> {
    title: &'a str,
    /// Its financial year, `2009/10`.
    period: String,
    period_slug: String,
    url: &'a str,
    /// The source file, relative to `content/`; none for the public, whose pages name no
    /// source.
    source: Option<&'a str>,
    /// The members' view of an exempt plan: why it is exempt.
    exempt: Option<&'a crate::content::exempt::Exempt>,
    /// The public's stub for an exempt plan.
    withheld: Option<&'a crate::content::exempt::Withheld>,
    /// The Markdown body.
    body: &'a str,
    /// The meeting it is for, its date, author and addressee.
    meta: &'a crate::content::meeting::PaperMeta,
    /// The plan exactly as written.
    data: &'a crate::content::OperationalPlan,
}

/// What one report looks like to templates.
#[derive(Serialize)]
struct ReportValue<'a> {
    kind: &'static str,
    kind_label: &'static str,
    anchor: &'a str,
    url: &'a str,
    title: &'a str,
    period: String,
    period_slug: String,
    period_url: &'a str,
    period_title: String,
    programme: Option<Link<'a>>,
    /// The source file, relative to `content/`; none for the public, whose pages name no
    /// source.
    source: Option<&'a str>,
    /// The members' view of an exempt report: why it is exempt.
    exempt: Option<&'a crate::content::exempt::Exempt>,
    /// The public's stub for an exempt report, which then has nothing else to show.
    withheld: Option<&'a crate::content::exempt::Withheld>,
    /// Marked `draft = true`: shown with "DRAFT – not approved".
    draft: bool,
    /// Who approved it and when, where the front matter says.
    approved: Option<&'a crate::content::approval::Approved>,
    /// The meeting it is for, its date, author and addressee.
    meta: &'a crate::content::meeting::PaperMeta,
    /// The document's model, exactly as loaded.
    data: &'a Data,
    /// The Markdown body, for the `markdown` filter: up to the `<!-- boardpack:tables -->`
    /// marker where there is one, else all of it.
    body: &'a str,
    /// The body after the marker, shown after the structured tables; empty without one.
    body_after: &'a str,
    /// How many levels the highest heading after the marker sits below the body's highest,
    /// so that the two halves keep one outline (`markdown(top=h2 + report.body_after_depth)`).
    body_after_depth: u8,
    /// Kind-specific helpers for laying out tables; see `docs/theming.md`.
    layout: Option<Layout>,
    /// From [`report_summary`]; `none` until `src/aggregate` provides one.
    summary: Option<&'a Value>,
    /// Who changed the file and its figures, from git; `none` outside git or before the
    /// file's first commit.
    history: Option<&'a crate::history::FileHistory>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Layout {
    Budget(BudgetLayout),
    Indicators(IndicatorsLayout),
    Actions(ActionsLayout),
}

/// Whether pages are for the authors and members, who see sources and findings, rather than
/// for the public.
pub(crate) fn author_view(loaded: &Loaded) -> bool {
    loaded.audience == crate::content::exempt::Audience::Members
}

fn report_value(plan: &Plan, loaded: &Loaded, r: &PlannedReport, summary: Option<&Value>) -> Value {
    let doc: &Document = &loaded.content.documents[r.doc];
    let layout = match &doc.data {
        Data::Budget(b) => Some(Layout::Budget(budget_layout(b))),
        Data::Indicators(s) => Some(Layout::Indicators(indicators_layout(s))),
        Data::Actions(a) => Some(Layout::Actions(actions_layout(a))),
        Data::Highlight(_) | Data::Plan(_) | Data::Page(_) => None,
    };
    let period_url = plan
        .periods
        .iter()
        .find(|p| p.period == r.period)
        .map_or("", |p| p.url.as_str());
    let v = ReportValue {
        kind: r.kind.name(),
        kind_label: r.kind.title(),
        anchor: &r.anchor,
        url: &r.url,
        title: doc.title(),
        period: r.period.to_string(),
        period_slug: r.period.slug(),
        period_url,
        period_title: period_title(r.period),
        programme: r.programme.map(|p| Link {
            title: &plan.programmes[p].title,
            url: &plan.programmes[p].url,
        }),
        source: author_view(loaded).then_some(doc.rel_path.as_str()),
        exempt: doc.exempt.as_ref(),
        withheld: doc.withheld_document.as_ref(),
        draft: doc.draft,
        approved: doc.approved.as_ref(),
        meta: &doc.meta,
        data: &doc.data,
        body: doc.body_before_tables(),
        body_after: doc.body_after_tables(),
        body_after_depth: depth_below(&doc.body, doc.body_after_tables()),
        layout,
        summary,
        history: loaded.history.file(&doc.rel_path),
    };
    Value::from_serializable(&v)
}

/// How many of these reports are drafts.
fn drafts_of(plan: &Plan, docs: &[Document], reports: &[usize]) -> usize {
    (reports.iter())
        .filter(|&&r| docs[plan.reports[r].doc].draft)
        .count()
}

/// Whether a page is a draft document's own, and how many drafts it shows: its own, a board
/// pack's, a programme's, or those of the latest period, which the home and exceptions pages
/// sum up. Every page showing a draft says so (`page.drafts` in templates).
fn drafts_shown(loaded: &Loaded, plan: &Plan, kind: &PageKind) -> (bool, usize) {
    let docs = &loaded.content.documents;
    match kind {
        PageKind::Report(r) => {
            let draft = docs[plan.reports[*r].doc].draft;
            (draft, usize::from(draft))
        }
        PageKind::Page(d) => (docs[*d].draft, usize::from(docs[*d].draft)),
        PageKind::Plan(p) => {
            let draft = docs[plan.plans[*p].doc].draft;
            (draft, usize::from(draft))
        }
        PageKind::Period(i) => (false, drafts_of(plan, docs, &plan.periods[*i].reports)),
        PageKind::Programme(i) => (false, drafts_of(plan, docs, &plan.programmes[*i].reports)),
        PageKind::Home | PageKind::Exceptions => {
            let latest = plan.periods.first().map_or(&[][..], |p| &p.reports[..]);
            (false, drafts_of(plan, docs, latest))
        }
        PageKind::Accessibility | PageKind::Search | PageKind::NotFound => (false, 0),
    }
}

/// Every page's context, from values built once.
pub struct Contexts {
    base: Context,
    reports: Vec<Value>,
    /// Each report's value with its body rendered (`report.html`), made on first use by its
    /// page or its board pack ([`Contexts::page_with_bodies`]) and dropped with the values at
    /// the next lay-out.
    bodied: Vec<OnceLock<Value>>,
    /// Each report's own page, as an index into the plan's pages.
    report_pages: Vec<Option<usize>>,
    summaries: Summaries,
    periods: Vec<Value>,
    programmes: Vec<Value>,
}

impl Contexts {
    /// Serialise the shared data and every report, once.
    pub fn new(loaded: &Loaded, plan: &Plan, css_path: &str) -> Self {
        Self::for_pages(loaded, plan, css_path, &Needed::all(plan))
    }

    /// As [`Contexts::new`], with only the summaries `needed` picks: a page that shows any
    /// other must not be rendered with these.
    pub fn for_pages(loaded: &Loaded, plan: &Plan, css_path: &str, needed: &Needed) -> Self {
        let mut contexts = Self::shared(loaded, plan, css_path);
        contexts.lay_out(loaded, plan, needed);
        contexts
    }

    /// What every page shares (the site, navigation, periods, programmes and pages), with no
    /// summary laid out yet: [`Contexts::lay_out`] adds them.
    pub fn shared(loaded: &Loaded, plan: &Plan, css_path: &str) -> Self {
        let config = &loaded.config;
        let docs = &loaded.content.documents;
        let site = SiteInfo {
            title: &config.title,
            organisation: &config.organisation,
            language: &config.language,
            base_url: &config.base_url,
            currency: &config.currency,
            accessibility_url: &plan.accessibility_url,
            css_url: format!("{}{css_path}", config.base_url),
            audience: loaded.audience.name(),
            schedule: config.schedule.title(),
            findings: author_view(loaded) || config.findings == crate::config::FindingsView::Show,
            exempt_shown: author_view(loaded) && crate::content::exempt::any(docs),
            feed_url: crate::render::publish::site_feed_url(plan),
        };
        let mut nav = vec![Link {
            title: "Home",
            url: &plan.base_url,
        }];
        if let Some(url) = &plan.exceptions_url {
            nav.push(Link {
                title: "Exceptions",
                url,
            });
        }
        // The newest year's plan: the one the board's quarters now report against.
        if let Some(p) = plan.plans.first() {
            nav.push(Link {
                title: &p.title,
                url: &p.url,
            });
        }
        nav.extend(plan.free_pages.iter().filter(|p| p.in_nav).map(|p| Link {
            title: &p.title,
            url: &p.url,
        }));
        let report_link = |r: usize| {
            let pr = &plan.reports[r];
            let d = &docs[pr.doc];
            ReportLink {
                kind: pr.kind.name(),
                kind_label: pr.kind.title(),
                title: d.title(),
                url: &pr.url,
                anchor: &pr.anchor,
                draft: d.draft,
            }
        };
        let periods: Vec<Value> = plan
            .periods
            .iter()
            .map(|p| {
                Value::from_serializable(&PeriodInfo {
                    label: p.period.to_string(),
                    slug: p.period.slug(),
                    title: period_title(p.period),
                    url: &p.url,
                    start: p.period.start(config.year_start),
                    end: p.period.end(config.year_start),
                    reports: p.reports.iter().map(|&r| report_link(r)).collect(),
                    drafts: drafts_of(plan, docs, &p.reports),
                    pdf_url: p.pdf.as_ref().map(|f| f.url.as_str()),
                })
            })
            .collect();
        let programmes: Vec<Value> = plan
            .programmes
            .iter()
            .enumerate()
            .map(|(i, p)| {
                Value::from_serializable(&ProgrammeInfo {
                    id: &p.id,
                    title: &p.title,
                    lead: p.lead.as_deref(),
                    url: &p.url,
                    feed_url: crate::render::publish::programme_feed_url(plan, i),
                    reports: p
                        .reports
                        .iter()
                        .filter_map(|&r| {
                            let pr = &plan.reports[r];
                            match &docs[pr.doc].data {
                                Data::Highlight(h) => Some(ProgrammeReport {
                                    period: pr.period.to_string(),
                                    url: &pr.url,
                                    title: &h.title,
                                    lead: &h.lead,
                                    stated_progress: h.stated_progress,
                                    draft: docs[pr.doc].draft,
                                }),
                                _ => None,
                            }
                        })
                        .collect(),
                })
            })
            .collect();
        let pages: Vec<PageInfo<'_>> = plan
            .free_pages
            .iter()
            .map(|p| PageInfo {
                title: &p.title,
                slug: &p.slug,
                url: &p.url,
                in_nav: p.in_nav,
                draft: docs[p.doc].draft,
            })
            .collect();
        let plans: Vec<PlanInfo<'_>> = (plan.plans.iter())
            .map(|p| PlanInfo {
                title: &p.title,
                period: p.period.to_string(),
                url: &p.url,
            })
            .collect();
        let mut base = Context::new();
        base.insert("site", &site);
        base.insert("plans", &plans);
        base.insert("nav", &nav);
        base.insert_value("periods", Value::from(periods.clone()));
        base.insert_value("programmes", Value::from(programmes.clone()));
        base.insert("pages", &pages);
        base.insert(
            "generator",
            &Generator {
                name: "boardpack",
                version: env!("CARGO_PKG_VERSION"),
            },
        );
        let mut report_pages = vec![None; plan.reports.len()];
        for (i, page) in plan.pages.iter().enumerate() {
            if let PageKind::Report(r) = page.kind
                && let Some(slot) = report_pages.get_mut(r)
            {
                *slot = Some(i);
            }
        }
        Self {
            base,
            reports: vec![Value::none(); plan.reports.len()],
            bodied: (0..plan.reports.len()).map(|_| OnceLock::new()).collect(),
            report_pages,
            summaries: Summaries::empty(plan),
            periods,
            programmes,
        }
    }

    /// Lay out the summaries and report values `needed` picks, in place of those laid out
    /// before, which are dropped first: a build lays out one batch of pages at a time, so that
    /// its memory is bounded by the batch, not the site.
    pub fn lay_out(&mut self, loaded: &Loaded, plan: &Plan, needed: &Needed) {
        self.summaries = Summaries::empty(plan);
        self.reports.iter_mut().for_each(|v| *v = Value::none());
        self.bodied.iter_mut().for_each(|b| *b = OnceLock::new());
        let t = crate::timing::phase("summaries");
        self.summaries = Summaries::build(loaded, plan, needed);
        drop(t);
        let _t = crate::timing::phase("report values");
        let summaries = &self.summaries;
        plan.reports
            .par_iter()
            .enumerate()
            .zip(&summaries.reports)
            .zip(self.reports.par_iter_mut())
            .for_each(|(((i, r), s), slot)| {
                if needed.reports[i] {
                    *slot = report_value(plan, loaded, r, s.as_ref());
                }
            });
    }

    /// The context for one page.
    pub fn page(&self, loaded: &Loaded, plan: &Plan, page: &PlannedPage) -> Context {
        let mut ctx = self.base.clone();
        let mut info: BTreeMap<&str, Value> = BTreeMap::new();
        info.insert("title", Value::from(page.title.as_str()));
        info.insert("url", Value::from(page.url.as_str()));
        info.insert("path", Value::from(page.path.as_str()));
        info.insert("kind", Value::from(page.kind.name(plan)));
        info.insert("breadcrumbs", Value::from_serializable(&page.breadcrumbs));
        let (draft, drafts) = drafts_shown(loaded, plan, &page.kind);
        info.insert("draft", Value::from(draft));
        info.insert("drafts", Value::from(drafts));
        ctx.insert("page", &info);
        let mut report = None;
        match &page.kind {
            PageKind::Home
            | PageKind::Accessibility
            | PageKind::Exceptions
            | PageKind::NotFound => {}
            PageKind::Search => {
                ctx.insert("search_filters", &crate::plan::facets::choices(plan));
            }
            PageKind::Period(i) => {
                ctx.insert_value("period", self.periods[*i].clone());
                let reports: Vec<Value> = plan.periods[*i]
                    .reports
                    .iter()
                    .map(|&r| self.report(r).clone())
                    .collect();
                ctx.insert_value("reports", Value::from(reports));
            }
            PageKind::Programme(i) => {
                ctx.insert_value("programme", self.programmes[*i].clone());
                let reports: Vec<Value> = plan.programmes[*i]
                    .reports
                    .iter()
                    .map(|&r| self.reports[r].clone())
                    .collect();
                ctx.insert_value("reports", Value::from(reports));
            }
            PageKind::Report(r) => {
                ctx.insert_value("report", self.report(*r).clone());
                report = self.summaries.reports[*r].as_ref();
            }
            PageKind::Plan(i) => {
                let planned = &plan.plans[*i];
                let d = &loaded.content.documents[planned.doc];
                if let Data::Plan(p) = &d.data {
                    let value = PlanValue {
                        title: &p.title,
                        period: p.period.to_string(),
                        period_slug: p.period.slug(),
                        url: &planned.url,
                        source: author_view(loaded).then_some(d.rel_path.as_str()),
                        exempt: d.exempt.as_ref(),
                        withheld: d.withheld_document.as_ref(),
                        body: &d.body,
                        meta: &d.meta,
                        data: p,
                    };
                    ctx.insert("plan", &value);
                }
            }
            PageKind::Page(doc) => {
                let d = &loaded.content.documents[*doc];
                let slug = plan
                    .free_pages
                    .iter()
                    .find(|p| p.doc == *doc)
                    .map_or(d.stem.as_str(), |p| p.slug.as_str());
                let mut content: BTreeMap<&str, Value> = BTreeMap::new();
                content.insert("title", Value::from(d.title()));
                content.insert("slug", Value::from(slug));
                if author_view(loaded) {
                    content.insert("source", Value::from(d.rel_path.as_str()));
                }
                if let Some(e) = &d.exempt {
                    content.insert("exempt", Value::from_serializable(e));
                }
                content.insert("draft", Value::from(d.draft));
                content.insert("approved", Value::from_serializable(&d.approved));
                content.insert("meta", Value::from_serializable(&d.meta));
                content.insert("body", Value::from(d.body.as_str()));
                ctx.insert("document", &content);
            }
        }
        if let Some(summary) = page_summary(&self.summaries, &page.kind, report) {
            ctx.insert_value("summary", summary.clone());
        }
        ctx
    }

    /// A report's value: with its body, once [`Contexts::page_with_bodies`] has rendered it.
    fn report(&self, r: usize) -> &Value {
        self.bodied[r].get().unwrap_or(&self.reports[r])
    }

    /// The context for one page, as [`Contexts::page`], with `report.html` on each report it
    /// shows in full (a report's own page, a board pack's reports): the report's body rendered
    /// through `templates` once, at its own page's heading level, whichever page asks first.
    pub fn page_with_bodies(
        &self,
        templates: &Templates,
        loaded: &Loaded,
        plan: &Plan,
        page: &PlannedPage,
    ) -> Result<Context, Error> {
        let shown: &[usize] = match &page.kind {
            PageKind::Report(r) => std::slice::from_ref(r),
            PageKind::Period(i) => &plan.periods[*i].reports,
            _ => &[],
        };
        for &r in shown {
            self.render_body(templates, loaded, plan, r)?;
        }
        Ok(self.page(loaded, plan, page))
    }

    /// Render report `r`'s body, unless it is already or its value is not laid out. Two pages
    /// asking at once may both render it; the bytes are the same, and the first is kept.
    fn render_body(
        &self,
        templates: &Templates,
        loaded: &Loaded,
        plan: &Plan,
        r: usize,
    ) -> Result<(), Error> {
        let value = &self.reports[r];
        if self.bodied[r].get().is_some() || value.is_none() {
            return Ok(());
        }
        let Some(own) = self.report_pages[r].and_then(|i| plan.pages.get(i)) else {
            return Ok(());
        };
        let html = crate::render::fragment::render_body(templates, self.page(loaded, plan, own))?;
        let Some(mut map) = value.clone().into_map() else {
            return Ok(());
        };
        map.insert("html".into(), html);
        let _ = self.bodied[r].set(Value::from(map));
        Ok(())
    }

    /// What every page's context starts from: the site, navigation, periods, programmes and
    /// pages.
    pub fn base(&self) -> &Context {
        &self.base
    }

    /// Start every page's context from `base` instead: a preview of one report renders with
    /// the whole site's navigation, kept from the last full build.
    pub fn set_base(&mut self, base: Context) {
        self.base = base;
    }

    /// The download files (CSV, JSON and ODS, and each period's workbook) the pages link to:
    /// (output path, bytes), sorted by path.
    pub fn files(&self) -> &[(String, Vec<u8>)] {
        &self.summaries.files
    }
}

/// How many heading levels the highest heading of `part` sits below that of `whole`: 0 where
/// either has none.
fn depth_below(whole: &str, part: &str) -> u8 {
    let highest = |md: &str| {
        pulldown_cmark::Parser::new(md)
            .filter_map(|e| match e {
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading { level, .. }) => {
                    Some(level as u8)
                }
                _ => None,
            })
            .min()
    };
    match (highest(whole), highest(part)) {
        (Some(w), Some(p)) => p.saturating_sub(w),
        _ => 0,
    }
}
