//! Page planning: which pages the site has, where each is written and its URL.
//!
//! Permalinks are stable slugs derived from ids and periods, never from titles, so renaming a
//! programme or a report does not break links:
//!
//! | Page | URL |
//! | --- | --- |
//! | home | `/` |
//! | board pack for a period | `/periods/<period-slug>/` |
//! | programme across periods | `/programmes/<programme-id>/` |
//! | highlight report | `/programmes/<programme-id>/<period-slug>/` |
//! | budget, indicators, actions | `/budget/<period-slug>/`, `/indicators/…`, `/actions/…` |
//! | operational plan for a year | `/plan/<year-slug>/` |
//! | free page | `/<page-slug>/` |
//! | accessibility statement | `/accessibility/` (a free page with that slug replaces it) |
//! | exceptions in the latest period | `/exceptions/` (a free page with that slug replaces it) |
//! | search | `/search/` (its index is `/search/index.json`) |
//! | not found | `/404.html` |

use std::collections::BTreeMap;

use crate::config::Config;
use crate::content::{Data, Document};
use crate::read::period::Period;
use crate::read::words::DocKind;

/// A link in the breadcrumb trail.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Crumb {
    pub title: String,
    pub url: String,
}

/// What a page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKind {
    Home,
    /// Every report of one period, in agenda order.
    Period(usize),
    /// One programme across periods.
    Programme(usize),
    /// A year's operational plan and how its deliverables were reported: index into
    /// `Plan::plans`.
    Plan(usize),
    /// One report (highlight, budget, indicators or actions): index into `Plan::reports`.
    Report(usize),
    /// A free page: index into the documents.
    Page(usize),
    Accessibility,
    /// The exceptions list of the latest period, linking to every period's.
    Exceptions,
    /// Client-side search over the index in the index `site::search` writes.
    Search,
    NotFound,
}

impl PageKind {
    /// A stable name for the kind, given to templates as `page.kind`.
    pub fn name(&self, plan: &Plan) -> &'static str {
        match self {
            PageKind::Home => "home",
            PageKind::Period(_) => "period",
            PageKind::Programme(_) => "programme",
            PageKind::Plan(_) => "plan",
            PageKind::Report(r) => match plan.reports[*r].kind {
                DocKind::Highlight => "highlight",
                DocKind::Budget => "budget",
                DocKind::Indicators => "indicators",
                DocKind::Actions => "actions",
                DocKind::Plan => "plan",
                DocKind::Page => "page",
            },
            PageKind::Page(_) => "page",
            PageKind::Accessibility => "accessibility",
            PageKind::Exceptions => "exceptions",
            PageKind::Search => "search",
            PageKind::NotFound => "not-found",
        }
    }
}

/// One page to render.
#[derive(Debug, Clone)]
pub struct PlannedPage {
    /// Output path relative to the output directory, with `/` separators.
    pub path: String,
    /// The page's URL, with `base_url` in front.
    pub url: String,
    /// The template that renders it.
    pub template: &'static str,
    pub title: String,
    pub kind: PageKind,
    /// The trail from the home page down to this page's parent.
    pub breadcrumbs: Vec<Crumb>,
}

/// A report document and where it appears.
#[derive(Debug, Clone)]
pub struct PlannedReport {
    /// Index into the loaded documents.
    pub doc: usize,
    pub kind: DocKind,
    pub period: Period,
    /// Id of the report's section on its period's board-pack page: unique on that page.
    pub anchor: String,
    pub url: String,
    /// For highlight reports, index into `Plan::programmes`.
    pub programme: Option<usize>,
}

/// A reporting period that has at least one report.
#[derive(Debug, Clone)]
pub struct PlannedPeriod {
    pub period: Period,
    pub url: String,
    /// Indices into `Plan::reports`, in agenda order: programmes (in the configured order),
    /// then budget, indicators and actions.
    pub reports: Vec<usize>,
    /// The board pack as a PDF, when `[pdf] enabled`: beside the period's page, named for the
    /// period so that a saved copy says what it is.
    pub pdf: Option<PlannedFile>,
}

/// A file the build writes that is not a page.
#[derive(Debug, Clone)]
pub struct PlannedFile {
    /// Output path relative to the output directory, with `/` separators.
    pub path: String,
    /// Its URL, with `base_url` in front.
    pub url: String,
}

/// A programme, from the configuration or from its reports.
#[derive(Debug, Clone)]
pub struct PlannedProgramme {
    pub id: String,
    pub title: String,
    pub lead: Option<String>,
    pub url: String,
    /// Indices into `Plan::reports`, oldest period first.
    pub reports: Vec<usize>,
}

/// A year's operational plan.
#[derive(Debug, Clone)]
pub struct PlannedPlan {
    /// Index into the loaded documents.
    pub doc: usize,
    /// Its financial year.
    pub period: Period,
    pub title: String,
    pub url: String,
}

/// A free page in the navigation.
#[derive(Debug, Clone)]
pub struct PlannedFreePage {
    pub doc: usize,
    pub slug: String,
    pub title: String,
    pub url: String,
    pub in_nav: bool,
}

/// The whole site's structure.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub base_url: String,
    pub pages: Vec<PlannedPage>,
    pub reports: Vec<PlannedReport>,
    /// Newest first.
    pub periods: Vec<PlannedPeriod>,
    /// Agenda order.
    pub programmes: Vec<PlannedProgramme>,
    /// One per financial year with a plan, newest first.
    pub plans: Vec<PlannedPlan>,
    /// Navigation order: weight, then title, then slug.
    pub free_pages: Vec<PlannedFreePage>,
    /// URL of the accessibility statement (generated or a free page).
    pub accessibility_url: String,
    /// URL of the exceptions page, when the site has one: it needs at least one period, and a
    /// free page with the slug `exceptions` takes its place.
    pub exceptions_url: Option<String>,
}

/// The folder part of a page's URL and output path.
fn dir_page(base: &str, dir: &str) -> (String, String) {
    if dir.is_empty() {
        (base.to_string(), "index.html".to_string())
    } else {
        (format!("{base}{dir}/"), format!("{dir}/index.html"))
    }
}

/// The order of report kinds within a period's board pack.
fn kind_rank(kind: DocKind) -> usize {
    match kind {
        DocKind::Highlight => 0,
        DocKind::Budget => 1,
        DocKind::Indicators => 2,
        DocKind::Actions => 3,
        DocKind::Plan | DocKind::Page => 4,
    }
}

/// Plan every page of the site. Pure: reads nothing from disk.
pub fn plan(config: &Config, docs: &[Document]) -> Plan {
    let base = config.base_url.clone();
    let mut plan = Plan {
        base_url: base.clone(),
        ..Plan::default()
    };
    let home_crumb = Crumb {
        title: "Home".into(),
        url: base.clone(),
    };

    // Programmes: the configured agenda order, then any others that have reports, by id.
    let mut programme_index: BTreeMap<String, usize> = BTreeMap::new();
    for p in &config.programmes {
        if programme_index.contains_key(&p.id) {
            continue;
        }
        programme_index.insert(p.id.clone(), plan.programmes.len());
        plan.programmes.push(PlannedProgramme {
            id: p.id.clone(),
            title: p.title.clone(),
            lead: p.lead.clone(),
            url: dir_page(&base, &format!("programmes/{}", p.id)).0,
            reports: Vec::new(),
        });
    }
    let mut unlisted: BTreeMap<String, (Period, String)> = BTreeMap::new();
    for d in docs {
        if let Data::Highlight(h) = &d.data
            && !programme_index.contains_key(&h.programme)
        {
            // The newest report's title names the programme.
            let e = unlisted
                .entry(h.programme.clone())
                .or_insert((h.period, h.title.clone()));
            if h.period > e.0 {
                *e = (h.period, h.title.clone());
            }
        }
    }
    for (id, (_, title)) in unlisted {
        programme_index.insert(id.clone(), plan.programmes.len());
        plan.programmes.push(PlannedProgramme {
            url: dir_page(&base, &format!("programmes/{id}")).0,
            id,
            title,
            lead: None,
            reports: Vec::new(),
        });
    }

    // Reports, sorted by period, then agenda order, then source path for a stable order.
    let mut order: Vec<usize> = (0..docs.len())
        .filter(|&i| !matches!(docs[i].kind(), DocKind::Page | DocKind::Plan))
        .collect();
    let agenda = |i: usize| -> (usize, usize, &str) {
        let d = &docs[i];
        let programme = match &d.data {
            Data::Highlight(h) => programme_index
                .get(&h.programme)
                .copied()
                .unwrap_or(usize::MAX),
            _ => 0,
        };
        (kind_rank(d.kind()), programme, d.rel_path.as_str())
    };
    order.sort_by(|&a, &b| {
        docs[a]
            .period()
            .cmp(&docs[b].period())
            .then_with(|| agenda(a).cmp(&agenda(b)))
    });

    let mut periods: BTreeMap<Period, Vec<usize>> = BTreeMap::new();
    for i in order {
        let d = &docs[i];
        let Some(period) = d.period() else { continue };
        let (anchor, programme) = match &d.data {
            Data::Highlight(h) => (
                format!("highlight-{}", h.programme),
                programme_index.get(&h.programme).copied(),
            ),
            Data::Budget(_) => ("budget".to_string(), None),
            Data::Indicators(_) => ("indicators".to_string(), None),
            Data::Actions(_) => ("actions".to_string(), None),
            Data::Plan(_) | Data::Page(_) => continue,
        };
        let Some(dir) = d.page_dir() else { continue };
        let r = plan.reports.len();
        plan.reports.push(PlannedReport {
            doc: i,
            kind: d.kind(),
            period,
            anchor,
            url: dir_page(&base, &dir).0,
            programme,
        });
        periods.entry(period).or_default().push(r);
        if let Some(p) = programme {
            plan.programmes[p].reports.push(r);
        }
    }
    plan.periods = periods
        .into_iter()
        .rev()
        .map(|(period, reports)| {
            let dir = format!("periods/{}", period.slug());
            let pdf = config.pdf.then(|| {
                let name = format!("board-pack-{}.pdf", period.slug());
                PlannedFile {
                    path: format!("{dir}/{name}"),
                    url: format!("{base}{dir}/{name}"),
                }
            });
            PlannedPeriod {
                url: dir_page(&base, &dir).0,
                period,
                reports,
                pdf,
            }
        })
        .collect();

    // Plans, newest year first; the first of two for one year (an error) stands.
    let mut plans: BTreeMap<Period, usize> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        if let Data::Plan(p) = &d.data {
            plans.entry(p.period).or_insert(i);
        }
    }
    plan.plans = (plans.into_iter().rev())
        .map(|(period, doc)| PlannedPlan {
            doc,
            period,
            title: docs[doc].title().to_string(),
            url: dir_page(&base, &format!("plan/{}", period.slug())).0,
        })
        .collect();

    // Free pages in navigation order.
    let mut free: Vec<(i64, String, String, usize)> = docs
        .iter()
        .enumerate()
        .filter_map(|(i, d)| match &d.data {
            Data::Page(p) => Some((
                p.weight,
                p.title.clone(),
                p.slug.clone().unwrap_or_else(|| d.stem.clone()),
                i,
            )),
            _ => None,
        })
        .collect();
    free.sort();
    for (_, title, slug, doc) in free {
        let in_nav = matches!(&docs[doc].data, Data::Page(p) if p.in_nav);
        plan.free_pages.push(PlannedFreePage {
            url: dir_page(&base, &slug).0,
            doc,
            slug,
            title,
            in_nav,
        });
    }
    let statement_page = plan.free_pages.iter().any(|p| p.slug == "accessibility");
    plan.accessibility_url = dir_page(&base, "accessibility").0;
    let exceptions_page =
        !plan.periods.is_empty() && !plan.free_pages.iter().any(|p| p.slug == "exceptions");
    if exceptions_page {
        plan.exceptions_url = Some(dir_page(&base, "exceptions").0);
    }

    // The pages themselves.
    let mut pages = Vec::new();
    let (url, path) = dir_page(&base, "");
    pages.push(PlannedPage {
        path,
        url,
        template: "home.html",
        title: config.title.clone(),
        kind: PageKind::Home,
        breadcrumbs: Vec::new(),
    });
    if exceptions_page {
        let (url, path) = dir_page(&base, "exceptions");
        pages.push(PlannedPage {
            path,
            url,
            template: "exceptions.html",
            title: "Exceptions".into(),
            kind: PageKind::Exceptions,
            breadcrumbs: vec![home_crumb.clone()],
        });
    }
    for (i, p) in plan.periods.iter().enumerate() {
        pages.push(PlannedPage {
            path: dir_page(&base, &format!("periods/{}", p.period.slug())).1,
            url: p.url.clone(),
            template: "period.html",
            title: period_title(p.period),
            kind: PageKind::Period(i),
            breadcrumbs: vec![home_crumb.clone()],
        });
    }
    for (i, p) in plan.programmes.iter().enumerate() {
        pages.push(PlannedPage {
            path: dir_page(&base, &format!("programmes/{}", p.id)).1,
            url: p.url.clone(),
            template: "programme.html",
            title: p.title.clone(),
            kind: PageKind::Programme(i),
            breadcrumbs: vec![home_crumb.clone()],
        });
    }
    for (i, p) in plan.plans.iter().enumerate() {
        pages.push(PlannedPage {
            path: dir_page(&base, &format!("plan/{}", p.period.slug())).1,
            url: p.url.clone(),
            template: "plan.html",
            title: p.title.clone(),
            kind: PageKind::Plan(i),
            breadcrumbs: vec![home_crumb.clone()],
        });
    }
    for (i, r) in plan.reports.iter().enumerate() {
        let d = &docs[r.doc];
        let period_url = plan
            .periods
            .iter()
            .find(|p| p.period == r.period)
            .map(|p| p.url.clone())
            .unwrap_or_default();
        let (template, title, parent) = match &d.data {
            Data::Highlight(h) => {
                let programme = r.programme.map(|p| &plan.programmes[p]);
                (
                    "highlight.html",
                    format!("{}: highlight report, {}", h.title, r.period),
                    programme.map(|p| Crumb {
                        title: p.title.clone(),
                        url: p.url.clone(),
                    }),
                )
            }
            Data::Budget(b) => ("budget.html", b.title.clone(), None),
            Data::Indicators(s) => ("indicators.html", s.title.clone(), None),
            Data::Actions(a) => ("actions.html", a.title.clone(), None),
            Data::Plan(_) | Data::Page(_) => continue,
        };
        let parent = parent.unwrap_or(Crumb {
            title: period_title(r.period),
            url: period_url,
        });
        let dir = r
            .url
            .strip_prefix(base.as_str())
            .unwrap_or(&r.url)
            .trim_end_matches('/');
        pages.push(PlannedPage {
            path: format!("{dir}/index.html"),
            url: r.url.clone(),
            template,
            title,
            kind: PageKind::Report(i),
            breadcrumbs: vec![home_crumb.clone(), parent],
        });
    }
    for p in &plan.free_pages {
        pages.push(PlannedPage {
            path: dir_page(&base, &p.slug).1,
            url: p.url.clone(),
            template: "page.html",
            title: p.title.clone(),
            kind: PageKind::Page(p.doc),
            breadcrumbs: vec![home_crumb.clone()],
        });
    }
    if !statement_page {
        let (url, path) = dir_page(&base, "accessibility");
        pages.push(PlannedPage {
            path,
            url,
            template: "accessibility.html",
            title: "Accessibility statement".into(),
            kind: PageKind::Accessibility,
            breadcrumbs: vec![home_crumb.clone()],
        });
    }
    let (url, path) = dir_page(&base, "search");
    pages.push(PlannedPage {
        path,
        url,
        template: "search.html",
        title: "Search".into(),
        kind: PageKind::Search,
        breadcrumbs: vec![home_crumb.clone()],
    });
    pages.push(PlannedPage {
        path: "404.html".into(),
        url: format!("{base}404.html"),
        template: "404.html",
        title: "Page not found".into(),
        kind: PageKind::NotFound,
        breadcrumbs: vec![home_crumb],
    });
    plan.pages = pages;
    plan
}

/// `Board pack: 2009/10 Q2`.
pub fn period_title(period: Period) -> String {
    format!("Board pack: {period}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_document;
    use crate::source::SourceFile;

    fn doc(rel: &str, text: &str) -> Document {
        let f = SourceFile::new(rel, rel, text.to_string());
        let (d, diags) = parse_document(f, rel);
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
        d.unwrap()
    }

    fn highlight(programme: &str, period: &str) -> Document {
        doc(
            &format!("{programme}.md"),
            &format!(
                "+++\nkind = \"highlight\"\nprogramme = \"{programme}\"\ntitle = \"T {programme}\"\nperiod = \"{period}\"\nlead = \"L\"\n+++\n"
            ),
        )
    }

    fn config() -> Config {
        let mut c = Config::with_names("Org", "Board");
        for id in ["zeta", "alpha"] {
            c.programmes.push(crate::config::ProgrammeConfig {
                id: id.into(),
                title: format!("Programme {id}"),
                lead: None,
            });
        }
        c
    }

    #[test]
    fn urls_come_from_ids_and_periods() {
        let docs = vec![
            doc(
                "budget.md",
                "+++\nkind = \"budget\"\ntitle = \"B\"\nperiod = \"2009/10 Q2\"\ngroups = []\nlines = []\n+++\n",
            ),
            highlight("alpha", "2009/10 Q2"),
            highlight("zeta", "2009/10 Q2"),
            highlight("other", "2009/10 Q1"),
            doc(
                "pages/about-us.md",
                "+++\nkind = \"page\"\ntitle = \"About\"\n+++\nHi",
            ),
        ];
        let plan = plan(&config(), &docs);
        let urls: Vec<&str> = plan.pages.iter().map(|p| p.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "/",
                "/exceptions/",
                "/periods/2009-10-q2/",
                "/periods/2009-10-q1/",
                "/programmes/zeta/",
                "/programmes/alpha/",
                "/programmes/other/",
                "/programmes/other/2009-10-q1/",
                "/programmes/zeta/2009-10-q2/",
                "/programmes/alpha/2009-10-q2/",
                "/budget/2009-10-q2/",
                "/about-us/",
                "/accessibility/",
                "/search/",
                "/404.html",
            ]
        );
        // Agenda order in the board pack: configured programmes first, then the budget.
        let q2 = &plan.periods[0];
        let kinds: Vec<&str> = q2
            .reports
            .iter()
            .map(|&r| plan.reports[r].anchor.as_str())
            .collect();
        assert_eq!(kinds, ["highlight-zeta", "highlight-alpha", "budget"]);
        let paths: Vec<&str> = plan.pages.iter().map(|p| p.path.as_str()).collect();
        assert!(paths.contains(&"programmes/zeta/2009-10-q2/index.html"));
        assert!(paths.contains(&"index.html") && paths.contains(&"404.html"));
        let report = plan
            .pages
            .iter()
            .find(|p| p.url == "/programmes/zeta/2009-10-q2/")
            .unwrap();
        let trail: Vec<&str> = report
            .breadcrumbs
            .iter()
            .map(|c| c.title.as_str())
            .collect();
        assert_eq!(trail, ["Home", "Programme zeta"]);
    }

    #[test]
    fn base_url_prefixes_every_url_but_no_path() {
        let mut c = config();
        c.base_url = "/board/".into();
        let plan = plan(&c, &[highlight("alpha", "2009/10 Q2")]);
        assert!(plan.pages.iter().all(|p| p.url.starts_with("/board/")));
        assert!(
            plan.pages
                .iter()
                .all(|p| !p.path.starts_with('/') && !p.path.starts_with("board"))
        );
    }

    #[test]
    fn a_free_page_can_replace_the_accessibility_statement() {
        let docs = vec![doc(
            "pages/accessibility.md",
            "+++\nkind = \"page\"\ntitle = \"Our statement\"\n+++\nHi",
        )];
        let plan = plan(&config(), &docs);
        let a: Vec<_> = plan
            .pages
            .iter()
            .filter(|p| p.url == "/accessibility/")
            .collect();
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].template, "page.html");
    }
}
