//! The renderer: a site's compiled templates, stylesheet and static files, built once and used
//! for a whole build, or kept across rebuilds by the watch server.

use std::sync::Mutex;

use rayon::prelude::*;

use crate::error::Error;
use crate::render::context::Contexts;
use crate::render::css::{self, Stylesheet};
use crate::render::markdown::Markdown;
use crate::render::summary::Needed;
use crate::render::templates::Templates;
use crate::render::theme::{Theme, ThemeFile, layered};
use crate::site::pages::{Plan, PlannedPage};
use crate::site::{Loaded, Rendered, search, timing};

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
        let markdown = std::sync::Arc::new(Markdown::new(config.trust_html));
        let templates = Templates::load(&theme, &loaded.root, markdown)?;
        let statics = layered(&theme, &loaded.root, "static")?;
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
        let statics = layered(&theme, &loaded.root, "static")?;
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
        self.templates
            .render(page.template, &contexts.page(loaded, plan, page))
    }

    /// As [`Renderer::render`], from contexts already built.
    pub fn render_with(
        &self,
        loaded: &Loaded,
        plan: &Plan,
        contexts: &Contexts,
        select: impl Fn(&PlannedPage) -> bool + Sync,
    ) -> Result<Rendered, Error> {
        let files = Mutex::new(Vec::new());
        let (pages, _) = self.render_each(
            loaded,
            plan,
            contexts,
            select,
            &|path, bytes| {
                let mut files = files.lock().unwrap_or_else(|e| e.into_inner());
                files.push((path.to_string(), bytes.to_vec()));
                Ok(())
            },
            |_, _| None::<()>,
        )?;
        let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a: &(String, Vec<u8>), b| a.0.cmp(&b.0));
        Ok(Rendered { files, pages })
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
        let statics: Vec<&ThemeFile> = self
            .statics
            .iter()
            .filter(|f| !f.rel.ends_with(".css"))
            .collect();

        let mut paths: Vec<(&str, String)> = Vec::with_capacity(chosen.len() + statics.len() + 2);
        paths.extend(
            chosen
                .iter()
                .map(|p| (p.path.as_str(), format!("the page {}", p.url))),
        );
        paths.push((self.stylesheet.path.as_str(), "the stylesheet".into()));
        paths.push((search::INDEX_PATH, "the search index".into()));
        for f in &statics {
            paths.push((
                f.rel.as_str(),
                format!("the static file {}", f.origin.display()),
            ));
        }
        for (path, _) in contexts.files() {
            paths.push((path.as_str(), format!("the download {path}")));
        }
        paths.sort_by(|a, b| a.0.cmp(b.0));
        if let Some(w) = paths.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(Error::OutputCollision {
                path: w[0].0.to_string(),
                first: w[0].1.clone(),
                second: w[1].1.clone(),
            });
        }
        drop(paths);

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
        Ok((chosen.len(), kept))
    }
}
