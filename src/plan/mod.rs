//! The site as the renderer sees it: configuration, content and aggregates loaded together
//! ([`Loaded`], [`load`]), and the plan of every page to render ([`pages`]). It sits below
//! `render`, which takes both as its input, and above `aggregate` and `content`.

pub mod facets;
pub mod pages;

use std::path::{Path, PathBuf};

use crate::aggregate::{Aggregates, aggregate};
use crate::config::{CONFIG_FILE, Config, LoadError};
use crate::content::exempt::Audience;
use crate::content::{self, Content};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::history::History;
use crate::timing;

/// A site's configuration and content, loaded, checked and aggregated.
#[derive(Debug)]
pub struct Loaded {
    pub root: PathBuf,
    pub config: Config,
    pub content: Content,
    pub aggregates: Aggregates,
    /// Provenance from git; empty until [`Loaded::read_history`], and for a site outside git.
    pub history: History,
    /// Who the site is built for. For the public, `content` and `aggregates` are the public
    /// copy ([`content::exempt::public_copy`]): nothing exempt is in them.
    pub audience: Audience,
    /// The findings on the whole content, exempt parts included, where the public copy's
    /// differ: what the author sees in the terminal, as `check` shows them.
    pub author_findings: Option<Vec<Diagnostic>>,
}

impl Loaded {
    /// Every diagnostic: content problems and data-quality findings, sorted by file and line.
    pub fn all_diagnostics(&self) -> Vec<Diagnostic> {
        let mut all = self.content.diagnostics.clone();
        let findings = (self.author_findings.as_ref()).unwrap_or(&self.aggregates.findings);
        all.extend(findings.iter().cloned());
        crate::diagnostic::sort(&mut all);
        all
    }

    /// Read the documents' history from git, if the configuration allows it: only a build
    /// needs it, so `check` never pays for it.
    pub fn read_history(&mut self) {
        if !self.config.history {
            return;
        }
        let _t = timing::phase("history");
        let dir = self.root.join(crate::layout::CONTENT);
        self.history = crate::history::read(&dir, &self.content.documents);
    }
}

/// Read `boardpack.toml` and every document, drafts and exempt material included.
pub fn load(root: &Path) -> Result<Loaded, Error> {
    load_with(root, content::Drafts::Include, Audience::Members).map(|(loaded, _)| loaded)
}

/// Read `boardpack.toml` and every document, keeping drafts or not, for an audience, and say
/// how many drafts were left out.
pub fn load_with(
    root: &Path,
    drafts: content::Drafts,
    audience: Audience,
) -> Result<(Loaded, usize), Error> {
    let config = crate::config::load(root).map_err(|e| match e {
        LoadError::Read(source) => Error::Read {
            path: root.join(CONFIG_FILE),
            source,
        },
        LoadError::Invalid(diagnostics) => Error::Config {
            file: CONFIG_FILE.into(),
            diagnostics,
        },
    })?;
    let t = timing::phase("load content");
    let (content, left_out) = content::load_with(root, &config, drafts);
    drop(t);
    let t = timing::phase("aggregate");
    let aggregates = aggregate(&config, &content.documents);
    drop(t);
    let mut loaded = Loaded {
        root: root.to_path_buf(),
        config,
        content,
        aggregates,
        history: History::default(),
        audience,
        author_findings: None,
    };
    if audience == Audience::Public {
        loaded.make_public(false);
    }
    Ok((loaded, left_out))
}

impl Loaded {
    /// Replace the content by its public copy, and aggregate that: totals, exceptions, changes
    /// and findings then come from what the public may see. A site with nothing exempt is its
    /// own public copy, and nothing is done twice. A document with errors stops the build
    /// anyway, so the copy is made only of content that is fit to publish.
    ///
    /// With `keep_whole`, returns the whole content it replaced, if it replaced it, for a
    /// caller that keeps it (`serve` caches its documents between rebuilds); without, the
    /// documents with nothing exempt are moved into the copy, not cloned.
    pub fn make_public(&mut self, keep_whole: bool) -> Option<Vec<content::Document>> {
        self.audience = Audience::Public;
        if self.content.diagnostics.iter().any(Diagnostic::is_error)
            || !content::exempt::any(&self.content.documents)
        {
            return None;
        }
        let t = timing::phase("public copy");
        let schedule = self.config.schedule;
        let whole = if keep_whole {
            let public = content::exempt::public_copy(&self.content.documents, schedule)?;
            Some(std::mem::replace(&mut self.content.documents, public))
        } else {
            let docs = std::mem::take(&mut self.content.documents);
            self.content.documents = content::exempt::into_public_copy(docs, schedule);
            None
        };
        let aggregates = aggregate(&self.config, &self.content.documents);
        drop(t);
        let aggregates = std::mem::replace(&mut self.aggregates, aggregates);
        self.author_findings = Some(aggregates.findings);
        whole
    }
}
