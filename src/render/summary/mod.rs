//! What templates see of the aggregates: each summary from [`crate::aggregate`] laid out for a
//! page, with its links resolved, its charts drawn and its downloads written.
//!
//! Built in [`Summaries::build`] for the pages about to be rendered (a batch of them in a full
//! build, the changed ones in a rebuild; see [`Needed`]), and handed to templates by
//! [`crate::render::context`]: a report's summary as `report.summary` (and `summary` on the
//! report's own page), and a page summary as `summary` on the home, period, programme and
//! exceptions pages. `docs/theming.md` lists every field.

mod action_changes;
pub(crate) mod actions;
mod budget;
mod budget_changes;
pub(crate) mod budget_layout;
mod highlight;
mod indicator_changes;
pub(crate) mod indicators;
mod pages;
mod plan;
mod programme_money;
mod shared;
mod since;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use tera::Value;

use crate::aggregate::report::ReportSummary;
use crate::aggregate::{self, ProgrammeSummary};
use crate::content::exempt::Audience;
use crate::content::{Data, Document};
use crate::plan::Loaded;
use crate::plan::pages::{PageKind, Plan};
use crate::read::period::Period;
use crate::render::download::{self, Download, Sheet};
use crate::render::ods;
use actions::actions_view;
use budget::{budget_headline, budget_view};
use highlight::highlight_view;
use indicators::indicators_view;
use pages::{ExceptionsView, HomeView, PeriodExceptions, period_view, programme_view};
use plan::plan_view;

/// Every summary value, and the download files they link to.
#[derive(Default)]
pub struct Summaries {
    /// One per planned report (`Plan::reports`).
    pub reports: Vec<Option<Value>>,
    /// One per planned period (`Plan::periods`, newest first).
    pub periods: Vec<Option<Value>>,
    /// One per planned programme (`Plan::programmes`).
    pub programmes: Vec<Option<Value>>,
    /// One per planned plan (`Plan::plans`).
    pub plans: Vec<Option<Value>>,
    pub home: Option<Value>,
    pub exceptions: Option<Value>,
    /// Download files: (output path, bytes), sorted by path.
    pub files: Vec<(String, Vec<u8>)>,
}

type Downloads = BTreeMap<&'static str, Vec<Download>>;

/// Shared lookups while building.
struct Lookups<'a> {
    loaded: &'a Loaded,
    plan: &'a Plan,
    docs: &'a [Document],
    agg: &'a aggregate::Aggregates,
    /// Document index → planned report index.
    report_of_doc: BTreeMap<usize, usize>,
    /// Programme id → planned programme index.
    programme_index: BTreeMap<&'a str, usize>,
    /// (Programme id, period) → that report's summary.
    programme_summaries: std::collections::HashMap<(&'a str, Period), &'a ProgrammeSummary>,
    /// Download files, from many threads: sorted when all are in.
    files: std::sync::Mutex<Vec<(String, Vec<u8>)>>,
    /// What the ODS files say about the build.
    about: ods::About,
    /// Page URL → the label of the period it belongs to (`2009/10 Q2`, a plan's `2009/10`),
    /// and the planned period whose workbook holds its tables.
    period_of_url: HashMap<&'a str, (String, Option<usize>)>,
    /// The tables of the pages in a period's board pack, by page URL in the order the page
    /// shows them, for the period's workbook: only those of the periods laid out.
    workbook_tables: std::sync::Mutex<HashMap<String, Vec<(Sheet, download::Provenance)>>>,
}

impl<'a> Lookups<'a> {
    fn page_path(&self, url: &str) -> String {
        let rel = url.strip_prefix(self.plan.base_url.as_str()).unwrap_or(url);
        format!("{rel}index.html")
    }

    fn provenance(&self, url: &str) -> download::Provenance {
        download::Provenance {
            site: self.loaded.config.title.clone(),
            publisher: self.loaded.config.organisation.clone(),
            page: url.to_string(),
        }
    }

    /// Write every file of a table beside the page at `url`, and keep the table for its
    /// period's workbook. An empty table has nothing to download: no files, no links.
    fn download(&self, t: &Sheet, url: &str) -> Vec<Download> {
        if t.rows.is_empty() {
            return Vec::new();
        }
        let path = self.page_path(url);
        let from = self.provenance(url);
        let period = self.period_of_url.get(url);
        let files = download::every_format(
            t,
            &from,
            period.map(|(label, _)| label.as_str()),
            &self.about,
            &path,
        );
        {
            let mut all = self.files.lock().unwrap_or_else(|e| e.into_inner());
            for f in &files {
                all.push((f.path.clone(), f.bytes.clone()));
            }
        }
        if period.is_some_and(|(_, p)| p.is_some()) {
            // One page's tables come from one thread, in the order it lays them out.
            let mut kept = self
                .workbook_tables
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            kept.entry(url.to_string())
                .or_default()
                .push((t.clone(), from));
        }
        files.into()
    }

    /// The workbook of every table in period `i`'s board pack: the period page's, then each
    /// report's in agenda order; nothing if none has a table. Call once the period's reports
    /// and its own page are laid out.
    fn period_workbook(&self, i: usize) -> Vec<Download> {
        let p = &self.plan.periods[i];
        let mut kept = self
            .workbook_tables
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let urls = std::iter::once(p.url.as_str())
            .chain(p.reports.iter().map(|&r| self.plan.reports[r].url.as_str()));
        let owned: Vec<(Sheet, download::Provenance)> = urls
            .flat_map(|u| kept.remove(u).unwrap_or_default())
            .collect();
        drop(kept);
        if owned.is_empty() {
            return Vec::new();
        }
        let label = p.period.to_string();
        let tables: Vec<ods::Table<'_>> = (owned.iter())
            .map(|(sheet, from)| ods::Table {
                sheet,
                from,
                period: Some(&label),
            })
            .collect();
        let bytes = ods::period_workbook(&label, &self.provenance(&p.url), &tables, &self.about);
        let name = ods::workbook_name(&p.period.slug());
        let dir = self.page_path(&p.url);
        let dir = dir.strip_suffix("index.html").unwrap_or(&dir);
        let d = Download {
            title: format!("Every table in the {label} board pack"),
            format: "ODS spreadsheet",
            media_type: download::ODS_MEDIA_TYPE,
            url: format!("{}{name}", p.url),
            path: format!("{dir}{name}"),
            size: download::human_size(bytes.len()),
            bytes,
        };
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((d.path.clone(), d.bytes.clone()));
        vec![d]
    }

    fn report_url(&self, doc: usize) -> Option<&'a str> {
        self.report_of_doc
            .get(&doc)
            .map(|r| self.plan.reports[*r].url.as_str())
    }

    fn report_anchor(&self, doc: usize) -> Option<&'a str> {
        self.report_of_doc
            .get(&doc)
            .map(|r| self.plan.reports[*r].anchor.as_str())
    }

    fn programme_link(&self, id: &str) -> Option<(&'a str, &'a str)> {
        self.programme_index.get(id).map(|i| {
            let p = &self.plan.programmes[*i];
            (p.title.as_str(), p.url.as_str())
        })
    }

    fn period_url(&self, period: Period) -> Option<&'a str> {
        self.plan
            .periods
            .iter()
            .find(|p| p.period == period)
            .map(|p| p.url.as_str())
    }

    fn programme_summary(&self, programme: &str, period: Period) -> Option<&'a ProgrammeSummary> {
        self.programme_summaries.get(&(programme, period)).copied()
    }

    fn highlight_url(&self, programme: &str, period: Period) -> Option<&'a str> {
        self.programme_summary(programme, period)
            .and_then(|p| self.report_url(p.doc))
    }
}

/// Each report's, period's and plan's page URL, with the label of its period, and for the
/// pages of a period being laid out, that period: its workbook gathers their tables.
fn period_of_url<'a>(plan: &'a Plan, needed: &Needed) -> HashMap<&'a str, (String, Option<usize>)> {
    let mut map = HashMap::new();
    for (i, p) in plan.periods.iter().enumerate() {
        // The home page lays out the latest period's summary without its reports: its
        // workbook would lack their tables, so the last one is kept instead.
        let whole = needed.periods[i] && p.reports.iter().all(|&r| needed.reports[r]);
        let kept = whole.then_some(i);
        map.insert(p.url.as_str(), (p.period.to_string(), kept));
        for &r in &p.reports {
            map.insert(plan.reports[r].url.as_str(), (p.period.to_string(), kept));
        }
    }
    for p in &plan.plans {
        map.insert(p.url.as_str(), (p.period.to_string(), None));
    }
    map
}

/// Which summaries to lay out, by index into the plan's reports, periods and programmes. A
/// rebuild in watch mode lays out only those of the pages it re-renders; the others are left
/// `None`, with no downloads, and their pages and downloads are kept from the last build.
#[derive(Debug, Clone)]
pub struct Needed {
    pub reports: Vec<bool>,
    pub periods: Vec<bool>,
    pub programmes: Vec<bool>,
    pub plans: Vec<bool>,
}

impl Needed {
    /// Everything: a full build.
    pub fn all(plan: &Plan) -> Self {
        Self::every(plan, true)
    }

    /// Nothing yet; see [`Needed::page`].
    pub fn none(plan: &Plan) -> Self {
        Self::every(plan, false)
    }

    fn every(plan: &Plan, yes: bool) -> Self {
        Needed {
            reports: vec![yes; plan.reports.len()],
            periods: vec![yes; plan.periods.len()],
            programmes: vec![yes; plan.programmes.len()],
            plans: vec![yes; plan.plans.len()],
        }
    }

    /// Add what one page shows.
    pub fn page(&mut self, plan: &Plan, kind: &PageKind) {
        let reports: &[usize] = match kind {
            PageKind::Report(r) => std::slice::from_ref(r),
            PageKind::Period(i) => {
                self.periods[*i] = true;
                &plan.periods[*i].reports
            }
            PageKind::Programme(i) => {
                self.programmes[*i] = true;
                &plan.programmes[*i].reports
            }
            PageKind::Plan(i) => {
                self.plans[*i] = true;
                &[]
            }
            // The home and exceptions pages show the latest period's summary: the first
            // planned.
            PageKind::Home | PageKind::Exceptions => {
                if let Some(p) = self.periods.first_mut() {
                    *p = true;
                }
                &[]
            }
            _ => &[],
        };
        for &r in reports {
            self.reports[r] = true;
        }
    }
}

impl Summaries {
    /// No summary laid out: every page that shows one must wait for [`Summaries::build`].
    pub fn empty(plan: &Plan) -> Self {
        Summaries {
            reports: vec![None; plan.reports.len()],
            periods: vec![None; plan.periods.len()],
            programmes: vec![None; plan.programmes.len()],
            plans: vec![None; plan.plans.len()],
            ..Summaries::default()
        }
    }

    /// Lay out the summaries `needed` picks; see [`Needed`].
    pub fn build(loaded: &Loaded, plan: &Plan, needed: &Needed) -> Self {
        let docs = &loaded.content.documents;
        let cx = Lookups {
            loaded,
            plan,
            docs,
            agg: &loaded.aggregates,
            report_of_doc: plan
                .reports
                .iter()
                .enumerate()
                .map(|(i, r)| (r.doc, i))
                .collect(),
            programme_index: plan
                .programmes
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id.as_str(), i))
                .collect(),
            programme_summaries: loaded
                .aggregates
                .programmes
                .iter()
                .rev() // so that the first of two reports for one period wins, as `find` did
                .map(|p| ((p.programme.as_str(), p.period), p))
                .collect(),
            files: std::sync::Mutex::new(Vec::new()),
            about: ods::About {
                currency: loaded.config.currency.clone(),
                language: loaded.config.language.clone(),
                schedule: loaded.config.schedule.title(),
                exempt: match loaded.audience {
                    Audience::Public => ods::Exempt::Withheld,
                    Audience::Members => ods::Exempt::Included,
                },
            },
            period_of_url: period_of_url(plan, needed),
            workbook_tables: Default::default(),
        };
        let config = &loaded.config;
        let agg = &loaded.aggregates;
        let reports: Vec<Option<Value>> = plan
            .reports
            .par_iter()
            .enumerate()
            .map(|(i, r)| {
                if !needed.reports[i] {
                    return None;
                }
                let doc = &docs[r.doc];
                Some(match agg.summary_for(config, r.doc, doc)? {
                    ReportSummary::Highlight(h, s) => {
                        Value::from_serializable(&highlight_view(&cx, doc, h, &s, &r.url))
                    }
                    ReportSummary::Budget(b, s) => {
                        Value::from_serializable(&budget_view(&cx, doc, b, &s, &r.url, &r.anchor))
                    }
                    ReportSummary::Indicators(set, s) => {
                        Value::from_serializable(&indicators_view(&cx, doc, set, &s, &r.url))
                    }
                    ReportSummary::Actions(a, s) => {
                        Value::from_serializable(&actions_view(&cx, doc, a, &s, &r.url))
                    }
                })
            })
            .collect();
        let counts: Vec<PeriodExceptions> = plan
            .periods
            .iter()
            .map(|p| PeriodExceptions {
                label: p.period.to_string(),
                url: format!("{}#exceptions", p.url),
                count: agg
                    .periods
                    .iter()
                    .find(|s| s.period == p.period)
                    .map_or(0, |s| s.exceptions.len()),
            })
            .collect();
        let periods: Vec<Option<Value>> = plan
            .periods
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                if !needed.periods[i] {
                    return None;
                }
                let found = agg.periods.iter().find(|s| s.period == p.period)?;
                let mut view = period_view(&cx, found, &p.url);
                let whole =
                    (cx.period_of_url.get(p.url.as_str())).is_some_and(|(_, w)| w.is_some());
                let workbook = if whole {
                    cx.period_workbook(i)
                } else {
                    Vec::new()
                };
                view.downloads.insert("workbook", workbook);
                Some(Value::from_serializable(&view))
            })
            .collect();
        let programmes = plan
            .programmes
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                needed.programmes[i].then(|| {
                    Value::from_serializable(&programme_view(&cx, &p.id, &p.title, &p.url))
                })
            })
            .collect();
        let plans = plan
            .plans
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                if !needed.plans[i] {
                    return None;
                }
                let doc = &docs[p.doc];
                let (Data::Plan(data), Some(s)) = (&doc.data, agg.plan_for(p.doc)) else {
                    return None;
                };
                Some(Value::from_serializable(&plan_view(
                    &cx, doc, data, s, &p.url,
                )))
            })
            .collect();
        // The latest period is the first planned one (newest first).
        let latest = periods.first().cloned().flatten();
        let newest_budget = agg
            .budgets
            .iter()
            .enumerate()
            .max_by_key(|(i, b)| (b.period, *i))
            .map(|(_, b)| b);
        let budget = newest_budget.and_then(|s| match &docs[s.doc].data {
            Data::Budget(b) => Some(budget_headline(&cx, s, b)),
            _ => None,
        });
        let home = Value::from_serializable(&HomeView {
            latest: latest.clone(),
            budget,
        });
        let exceptions = Value::from_serializable(&ExceptionsView {
            latest,
            periods: counts,
        });
        let mut files = cx.files.into_inner().unwrap_or_else(|e| e.into_inner());
        // By path and then bytes, so that the order the threads finished in cannot matter.
        files.sort();
        files.dedup_by(|a, b| a.0 == b.0);
        Summaries {
            reports,
            periods,
            programmes,
            plans,
            home: Some(home),
            exceptions: Some(exceptions),
            files,
        }
    }
}
