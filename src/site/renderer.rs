//! The renderer: a site's compiled templates, stylesheet and static files, built once and used
//! for a whole build, or kept across rebuilds by the watch server.

use rayon::prelude::*;

use crate::error::Error;
use crate::render::context::Contexts;
use crate::render::css::{self, Stylesheet};
use crate::render::markdown::Markdown;
use crate::render::templates::Templates;
use crate::render::theme::{Theme, ThemeFile, layered};
use crate::site::pages::{Plan, PlannedPage};
use crate::site::{Loaded, Rendered, timing};

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

    /// Render the pages `select` picks, plus the stylesheet and static files, in parallel.
    /// Results are taken in page order so the first error reported does not depend on
    /// scheduling.
    pub fn render(
        &self,
        loaded: &Loaded,
        plan: &Plan,
        select: impl Fn(&PlannedPage) -> bool + Sync,
    ) -> Result<Rendered, Error> {
        let t = timing::phase("contexts");
        let contexts = Contexts::new(loaded, plan, &self.stylesheet.path);
        drop(t);
        let _t = timing::phase("render pages");
        let chosen: Vec<&PlannedPage> = plan.pages.iter().filter(|p| select(p)).collect();
        let results: Vec<Result<Vec<u8>, Error>> = chosen
            .par_iter()
            .map(|page| {
                self.templates
                    .render(page.template, &contexts.page(loaded, plan, page))
            })
            .collect();
        let mut outputs: Vec<(String, Vec<u8>, String)> =
            Vec::with_capacity(chosen.len() + self.statics.len() + 1);
        for (page, result) in chosen.iter().zip(results) {
            outputs.push((page.path.clone(), result?, format!("the page {}", page.url)));
        }
        let pages = outputs.len();
        outputs.push((
            self.stylesheet.path.clone(),
            self.stylesheet.bytes.clone(),
            "the stylesheet".into(),
        ));
        for f in self.statics.iter().filter(|f| !f.rel.ends_with(".css")) {
            let origin = format!("the static file {}", f.origin.display());
            outputs.push((f.rel.clone(), f.bytes.to_vec(), origin));
        }
        for (path, bytes) in contexts.files() {
            outputs.push((path.clone(), bytes.clone(), format!("the download {path}")));
        }
        outputs.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(w) = outputs.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(Error::OutputCollision {
                path: w[0].0.clone(),
                first: w[0].2.clone(),
                second: w[1].2.clone(),
            });
        }
        Ok(Rendered {
            files: outputs.into_iter().map(|(p, b, _)| (p, b)).collect(),
            pages,
        })
    }
}
