//! The renderer: a site's compiled templates, stylesheet and static files, built once and used
//! for a whole build, or kept across rebuilds by the watch server.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::error::Error;
use crate::plan::Loaded;
use crate::plan::facets::IndexOrder;
use crate::plan::pages::{PageKind, Plan, PlannedFile, PlannedPage};
use crate::render::context::Contexts;
use crate::render::css::{self, Stylesheet};
use crate::render::markdown::Markdown;
use crate::render::publish;
use crate::render::summary::Needed;
use crate::render::templates::Templates;
use crate::render::theme::{Theme, ThemeFile, layered};
use crate::site::{Rendered, search};
use crate::timing;

/// Where rendered files go: `(path relative to the output folder, bytes)`, from many threads.
pub type Sink<'a> = dyn Fn(&str, &[u8]) -> Result<(), Error> + Sync + 'a;

pub struct Renderer {
    templates: Templates,
    pub stylesheet: Stylesheet,
    statics: Vec<ThemeFile>,
}

impl Renderer {
    /// Compile the theme's templates and stylesheet and read its static files.
    pub fn new(loaded: &Loaded) -> Result<Self, Error> {
        let config = &loaded.config;
        let theme = Theme::locate(&loaded.root, &config.theme)?;
        let markdown =
            std::sync::Arc::new(Markdown::new(config.trust_html).with_base_url(&config.base_url));
        let templates = Templates::load(&theme, &loaded.root, markdown)?;
        let statics = layered(&theme, &loaded.root, crate::layout::STATIC)?;
        let stylesheet = css::build(&statics, &config.css_targets)?;
        Ok(Self {
            templates,
            stylesheet,
            statics,
        })
    }

    /// Rebuild only the stylesheet, after a CSS change.
    pub fn refresh_css(&mut self, loaded: &Loaded) -> Result<(), Error> {
        let theme = Theme::locate(&loaded.root, &loaded.config.theme)?;
        let statics = layered(&theme, &loaded.root, crate::layout::STATIC)?;
        self.stylesheet = css::build(&statics, &loaded.config.css_targets)?;
        self.statics = statics;
        Ok(())
    }

    /// Render the pages `select` picks, plus the stylesheet, static files and downloads, into
    /// memory, sorted by path.
    pub fn render(
        &self,
        loaded: &Loaded,
        plan: &Plan,
        select: impl Fn(&PlannedPage) -> bool + Sync,
    ) -> Result<Rendered, Error> {
        let contexts = self.contexts(loaded, plan);
        self.render_with(loaded, plan, &contexts, select)
    }

    /// Every page's context, for [`Renderer::render_with`] and [`Renderer::render_page`].
    pub fn contexts(&self, loaded: &Loaded, plan: &Plan) -> Contexts {
        let _t = timing::phase("contexts");
        Contexts::new(loaded, plan, &self.stylesheet.path)
    }

    /// Contexts with only the summaries `needed` picks; see [`Contexts::for_pages`].
    pub fn contexts_for(&self, loaded: &Loaded, plan: &Plan, needed: &Needed) -> Contexts {
        let _t = timing::phase("contexts");
        Contexts::for_pages(loaded, plan, &self.stylesheet.path, needed)
    }

    /// One page, from contexts already built.
    pub fn render_page(
        &self,
        contexts: &Contexts,
        loaded: &Loaded,
        plan: &Plan,
        page: &PlannedPage,
    ) -> Result<Vec<u8>, Error> {
        let ctx = contexts.page_with_bodies(&self.templates, loaded, plan, page)?;
        self.templates.render(page.template, &ctx)
    }

    /// A page, and its PDF twin when the plan gives it one (a board pack's), typeset from the
    /// page's own context and handed to `sink`. The page links the PDF without typesetting it,
    /// so a page is the same bytes whether its PDF is typeset now (a build) or later (`serve`).
    pub fn render_page_and_pdf(
        &self,
        contexts: &Contexts,
        loaded: &Loaded,
        plan: &Plan,
        page: &PlannedPage,
        sink: &Sink<'_>,
    ) -> Result<Vec<u8>, Error> {
        let Some(pdf) = pdf_of(plan, page) else {
            return self.render_page(contexts, loaded, plan, page);
        };
        let ctx = contexts.page_with_bodies(&self.templates, loaded, plan, page)?;
        let typeset = {
            let _t = timing::phase("pdf");
            crate::render::pdf::board_pack(&ctx, &pdf.path)?
        };
        sink(&pdf.path, &typeset.bytes)?;
        self.templates.render(page.template, &ctx)
    }

    /// As [`Renderer::render`], from contexts already built.
    pub fn render_with(
        &self,
        loaded: &Loaded,
        plan: &Plan,
        contexts: &Contexts,
        select: impl Fn(&PlannedPage) -> bool + Sync,
    ) -> Result<Rendered, Error> {
        Rendered::collect(|sink| {
            let (pages, _) =
                self.render_each(loaded, plan, contexts, select, sink, |_, _| None::<()>)?;
            Ok(pages)
        })
    }

    /// Refuse two outputs with one path, before anything is rendered: the pages, the
    /// stylesheet, the search index, the static files, the feeds and other files of
    /// [`publish`] (`published`) and `downloads`. The paths come back sorted, with what each
    /// is, for checking later outputs against them.
    fn claim<'a>(
        &'a self,
        plan: &'a Plan,
        pages: &[&'a PlannedPage],
        statics: &[&'a ThemeFile],
        published: &'a [(String, String)],
        downloads: impl Iterator<Item = &'a str>,
    ) -> Result<Vec<(&'a str, String)>, Error> {
        let mut paths: Vec<(&str, String)> = Vec::with_capacity(pages.len() + statics.len() + 2);
        paths.extend(
            pages
                .iter()
                .map(|p| (p.path.as_str(), format!("the page {}", p.url))),
        );
        paths.extend(pages.iter().filter_map(|p| {
            let pdf = pdf_of(plan, p)?;
            Some((pdf.path.as_str(), format!("the board pack PDF {}", pdf.url)))
        }));
        paths.push((self.stylesheet.path.as_str(), "the stylesheet".into()));
        for f in statics {
            paths.push((
                f.rel.as_str(),
                format!("the static file {}", f.origin.display()),
            ));
        }
        paths.extend(published.iter().map(|(p, what)| (p.as_str(), what.clone())));
        paths.extend(downloads.map(|path| (path, format!("the download {path}"))));
        paths.sort_by(|a, b| a.0.cmp(b.0));
        // The search index's files are named by their content, so its whole folder is claimed:
        // nothing else may be in it, or be a file where one of its folders must be.
        if let Some((path, what)) = paths.iter().find(|(p, _)| {
            search::is_bundle_path(p) || search::BUNDLE_DIR.starts_with(&format!("{p}/"))
        }) {
            return Err(Error::OutputCollision {
                path: path.to_string(),
                first: what.clone(),
                second: "the search index".into(),
            });
        }
        if let Some(w) = paths.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(Error::OutputCollision {
                path: w[0].0.to_string(),
                first: w[0].1.clone(),
                second: w[1].1.clone(),
            });
        }
        Ok(paths)
    }

    /// Whether the site or its theme has a `robots.txt` of its own, which then replaces
    /// boardpack's.
    fn own_robots(&self) -> bool {
        self.statics.iter().any(|f| f.rel == publish::ROBOTS)
    }

    /// The static files other than stylesheets, which are bundled into one.
    fn statics(&self) -> Vec<&ThemeFile> {
        self.statics
            .iter()
            .filter(|f| !f.rel.ends_with(".css"))
            .collect()
    }

    /// Render every page, the stylesheet, static files and downloads, as
    /// [`Renderer::render_each`] does, laying out the summaries a batch of pages shows, rendering
    /// them and dropping the summaries before the next batch: a period's report pages and its
    /// board pack, then a few programmes' pages, so that memory is bounded by `batch_reports`
    /// reports' summaries rather than the whole site's. The output is the same whatever the
    /// batch size. Errors are taken batch by batch, each in page order, so the error reported
    /// does not depend on scheduling. What `inspect` keeps is returned in [`IndexOrder`].
    pub fn render_in_batches<T: Send>(
        &self,
        loaded: &Loaded,
        plan: &Plan,
        batch_reports: usize,
        sink: &Sink<'_>,
        inspect: impl Fn(&PlannedPage, &[u8]) -> Option<T> + Sync,
    ) -> Result<(usize, Vec<T>), Error> {
        let mut kept = Vec::new();
        let pages =
            self.render_in_batches_with(loaded, plan, batch_reports, sink, inspect, |t| {
                kept.extend(t)
            })?;
        Ok((pages, kept))
    }

    /// [`Renderer::render_in_batches`], handing what `inspect` keeps to `ready` as soon as it is
    /// known in full up to a point: after each batch, every value of a period whose reports
    /// have all rendered, in [`IndexOrder`]; the rest at the end. So whatever the batches, and
    /// whatever the threads, `ready` sees the same values in the same order, and the search
    /// index can be built from one period while the next renders.
    pub fn render_in_batches_with<T: Send>(
        &self,
        loaded: &Loaded,
        plan: &Plan,
        batch_reports: usize,
        sink: &Sink<'_>,
        inspect: impl Fn(&PlannedPage, &[u8]) -> Option<T> + Sync,
        mut ready: impl FnMut(Vec<T>),
    ) -> Result<usize, Error> {
        let order = IndexOrder::new(plan);
        let statics = self.statics();
        let all: Vec<&PlannedPage> = plan.pages.iter().collect();
        let published = publish::paths(plan);
        let claimed = self.claim(plan, &all, &statics, &published, std::iter::empty())?;
        drop(all);
        let mut contexts = {
            let _t = timing::phase("contexts");
            Contexts::shared(loaded, plan, &self.stylesheet.path)
        };
        // Report summaries reappear on their programme's page: their downloads are written
        // by the first batch that lays them out. Their sizes go into meetings.json.
        let mut downloaded: BTreeMap<String, usize> = BTreeMap::new();
        let mut pending: BTreeMap<(usize, usize), T> = BTreeMap::new();
        for batch in batches(plan, batch_reports) {
            let mut needed = Needed::none(plan);
            for &i in &batch {
                needed.page(plan, &plan.pages[i].kind);
            }
            {
                let _t = timing::phase("contexts");
                contexts.lay_out(loaded, plan, &needed);
            }
            for (path, _) in contexts.files() {
                if let Ok(i) = claimed.binary_search_by(|(p, _)| (*p).cmp(path.as_str())) {
                    return Err(Error::OutputCollision {
                        path: path.clone(),
                        first: claimed[i].1.clone(),
                        second: format!("the download {path}"),
                    });
                }
            }
            let _t = timing::phase("render and write");
            let results: Vec<Result<Option<(usize, T)>, Error>> = batch
                .par_iter()
                .map(|&i| {
                    let page = &plan.pages[i];
                    let html = self.render_page_and_pdf(&contexts, loaded, plan, page, sink)?;
                    let kept = inspect(page, &html).map(|t| (i, t));
                    sink(&page.path, &html)?;
                    Ok(kept)
                })
                .collect();
            for result in results {
                if let Some((i, t)) = result? {
                    pending.insert(order.key(plan, i), t);
                }
            }
            // Batches hold whole periods, in plan order: every period up to the last one
            // this batch rendered a report of is complete.
            let done = (batch.iter())
                .map(|&i| order.key(plan, i).0)
                .filter(|&g| g != usize::MAX)
                .max();
            if let Some(done) = done {
                let later = pending.split_off(&(done + 1, 0));
                ready(
                    std::mem::replace(&mut pending, later)
                        .into_values()
                        .collect(),
                );
            }
            contexts
                .files()
                .par_iter()
                .filter(|(path, _)| !downloaded.contains_key(path))
                .map(|(path, bytes)| sink(path, bytes))
                .collect::<Result<(), Error>>()?;
            downloaded
                .extend((contexts.files().iter()).map(|(path, bytes)| (path.clone(), bytes.len())));
        }
        drop(contexts);
        sink(&self.stylesheet.path, &self.stylesheet.bytes)?;
        for f in statics {
            sink(&f.rel, &f.bytes)?;
        }
        let _t = timing::phase("feeds, sitemap and meetings.json");
        let others: Vec<(&str, usize)> = downloaded.iter().map(|(p, n)| (p.as_str(), *n)).collect();
        for f in publish::files(loaded, plan, &others, self.own_robots()) {
            sink(&f.path, &f.bytes)?;
        }
        ready(pending.into_values().collect());
        Ok(plan.pages.len())
    }

    /// Render the pages `select` picks, plus the stylesheet, static files and downloads, in
    /// parallel, handing each output to `sink` (from many threads at once) as soon as it is
    /// ready, so that a large site is never held in memory whole. `inspect` sees each rendered
    /// page too and may keep something of it (the search index keeps the page's text); what it
    /// keeps is returned in plan order, after the number of pages rendered.
    ///
    /// Two outputs with one path are refused before anything is rendered. Errors are taken in
    /// page order, so the error reported does not depend on scheduling.
    pub fn render_each<T: Send>(
        &self,
        loaded: &Loaded,
        plan: &Plan,
        contexts: &Contexts,
        select: impl Fn(&PlannedPage) -> bool + Sync,
        sink: &Sink<'_>,
        inspect: impl Fn(&PlannedPage, &[u8]) -> Option<T> + Sync,
    ) -> Result<(usize, Vec<T>), Error> {
        let chosen: Vec<&PlannedPage> = plan.pages.iter().filter(|p| select(p)).collect();
        let statics = self.statics();
        let downloads = contexts.files().iter().map(|(path, _)| path.as_str());
        let published = publish::paths(plan);
        self.claim(plan, &chosen, &statics, &published, downloads)?;

        let _t = timing::phase("render and write");
        let results: Vec<Result<Option<T>, Error>> = chosen
            .par_iter()
            .map(|page| {
                let html = self.render_page(contexts, loaded, plan, page)?;
                let kept = inspect(page, &html);
                sink(&page.path, &html)?;
                Ok(kept)
            })
            .collect();
        let mut kept = Vec::new();
        for result in results {
            kept.extend(result?);
        }
        sink(&self.stylesheet.path, &self.stylesheet.bytes)?;
        for f in statics {
            sink(&f.rel, &f.bytes)?;
        }
        contexts
            .files()
            .par_iter()
            .map(|(path, bytes)| sink(path, bytes))
            .collect::<Result<(), Error>>()?;
        // A partial render (the watch server's) lays out only some downloads: the server
        // makes these files again from the whole site's ([`publish::files`]).
        let others: Vec<(&str, usize)> = (contexts.files().iter())
            .map(|(p, b)| (p.as_str(), b.len()))
            .collect();
        for f in publish::files(loaded, plan, &others, self.own_robots()) {
            sink(&f.path, &f.bytes)?;
        }
        Ok((chosen.len(), kept))
    }
}

/// The PDF a page has beside it: a board pack's, when PDFs are on.
pub fn pdf_of<'a>(plan: &'a Plan, page: &PlannedPage) -> Option<&'a PlannedFile> {
    match page.kind {
        PageKind::Period(p) => plan.periods.get(p).and_then(|p| p.pdf.as_ref()),
        _ => None,
    }
}

/// The pages of a build in batches, each a list of indices into `plan.pages` in plan order:
/// whole periods (their reports' pages and board pack, the home and exceptions pages with the
/// latest) until a batch has `batch_reports` reports, then whole programmes the same way, then
/// the pages that show no summary. A site of no more than `batch_reports` reports is one batch:
/// programme pages show their reports' summaries again, and need not lay them out twice.
fn batches(plan: &Plan, batch_reports: usize) -> Vec<Vec<usize>> {
    if plan.reports.len() <= batch_reports {
        return vec![(0..plan.pages.len()).collect()];
    }
    let mut period_of = vec![None; plan.reports.len()];
    for (i, p) in plan.periods.iter().enumerate() {
        for &r in &p.reports {
            period_of[r] = Some(i);
        }
    }
    let mut by_period = vec![Vec::new(); plan.periods.len()];
    let mut by_programme = vec![Vec::new(); plan.programmes.len()];
    let mut rest = Vec::new();
    for (i, page) in plan.pages.iter().enumerate() {
        let period = match page.kind {
            PageKind::Report(r) => period_of[r],
            PageKind::Period(p) => Some(p),
            PageKind::Home | PageKind::Exceptions if !plan.periods.is_empty() => Some(0),
            PageKind::Programme(p) => {
                by_programme[p].push(i);
                continue;
            }
            _ => None,
        };
        match period {
            Some(p) => by_period[p].push(i),
            None => rest.push(i),
        }
    }
    let mut batches = Vec::new();
    let mut gather = |groups: Vec<Vec<usize>>, sizes: &mut dyn Iterator<Item = usize>| {
        let mut batch = Vec::new();
        let mut reports = 0;
        for (pages, size) in groups.into_iter().zip(sizes) {
            batch.extend(pages);
            reports += size;
            if reports >= batch_reports {
                batches.push(std::mem::take(&mut batch));
                reports = 0;
            }
        }
        if !batch.is_empty() {
            batches.push(batch);
        }
    };
    gather(by_period, &mut plan.periods.iter().map(|p| p.reports.len()));
    gather(
        by_programme,
        &mut plan.programmes.iter().map(|p| p.reports.len()),
    );
    if !rest.is_empty() {
        batches.push(rest);
    }
    for batch in &mut batches {
        batch.sort_unstable();
    }
    batches
}
