//! The site as the renderer sees it: configuration, content and aggregates loaded together
//! ([`Loaded`], [`load`]), and the plan of every page to render ([`pages`]). It sits below
//! `render`, which takes both as its input, and above `aggregate` and `content`.

pub mod pages;

use std::path::{Path, PathBuf};

use crate::aggregate::{Aggregates, aggregate};
use crate::config::{CONFIG_FILE, Config, LoadError};
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
}

impl Loaded {
    /// Every diagnostic: content problems and data-quality findings, sorted by file and line.
    pub fn all_diagnostics(&self) -> Vec<Diagnostic> {
        let mut all = self.content.diagnostics.clone();
        all.extend(self.aggregates.findings.iter().cloned());
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

/// Read `boardpack.toml` and every document, drafts included.
pub fn load(root: &Path) -> Result<Loaded, Error> {
    load_with(root, content::Drafts::Include).map(|(loaded, _)| loaded)
}

/// Read `boardpack.toml` and every document, keeping drafts or not, and say how many drafts
/// were left out.
pub fn load_with(root: &Path, drafts: content::Drafts) -> Result<(Loaded, usize), Error> {
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
    let loaded = Loaded {
        root: root.to_path_buf(),
        config,
        content,
        aggregates,
        history: History::default(),
    };
    Ok((loaded, left_out))
}
