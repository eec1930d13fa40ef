//! The site: load configuration and content together, then build the output directory.

pub mod pages;
pub mod renderer;
pub mod search;
pub mod session;
pub mod timing;
pub mod write;

pub use renderer::Renderer;

use std::path::{Path, PathBuf};

use crate::aggregate::{Aggregates, aggregate};
use crate::config::{CONFIG_FILE, Config};
use crate::content::{self, Content};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::source::SourceFile;

/// A site's configuration and content, loaded, checked and aggregated.
#[derive(Debug)]
pub struct Loaded {
    pub root: PathBuf,
    pub config: Config,
    pub content: Content,
    pub aggregates: Aggregates,
}

impl Loaded {
    /// Every diagnostic: content problems and data-quality findings, sorted by file and line.
    pub fn all_diagnostics(&self) -> Vec<Diagnostic> {
        let mut all = self.content.diagnostics.clone();
        all.extend(self.aggregates.findings.iter().cloned());
        crate::diagnostic::sort(&mut all);
        all
    }
}

/// Read `boardpack.toml` and every document.
pub fn load(root: &Path) -> Result<Loaded, Error> {
    let config_path = root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&config_path).map_err(|source| Error::Read {
        path: config_path.clone(),
        source,
    })?;
    let file = SourceFile::new(&config_path, CONFIG_FILE, text);
    let config = Config::parse(&file).map_err(|diagnostics| Error::Config {
        file: CONFIG_FILE.into(),
        diagnostics,
    })?;
    let t = timing::phase("load content");
    let content = content::load(root, &config);
    drop(t);
    let t = timing::phase("aggregate");
    let aggregates = aggregate(&config, &content.documents);
    drop(t);
    Ok(Loaded {
        root: root.to_path_buf(),
        config,
        content,
        aggregates,
    })
}

/// What a build wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BuildReport {
    /// HTML pages rendered from templates.
    pub pages: usize,
    /// Every file written: pages, the stylesheet and static files.
    pub files: usize,
    /// Their total size.
    pub bytes: u64,
    /// Files whose bytes changed since the previous output (all of them for a new output).
    pub changed: usize,
    /// Files of the previous output that are gone.
    pub removed: usize,
}

/// A whole site rendered into memory.
#[derive(Debug, Default)]
pub struct Rendered {
    /// `(path relative to the output folder, bytes)`, sorted by path, no path twice.
    pub files: Vec<(String, Vec<u8>)>,
    pub pages: usize,
}

/// Render every page, the stylesheet and the static files into memory, in parallel. The
/// result is the same bytes whatever the number of threads.
pub fn render(loaded: &Loaded) -> Result<Rendered, Error> {
    let renderer = Renderer::new(loaded)?;
    let plan = pages::plan(&loaded.config, &loaded.content.documents);
    let mut rendered = renderer.render(loaded, &plan, |_| true)?;
    search::add_index(&plan, &loaded.content.documents, &mut rendered)?;
    Ok(rendered)
}

/// Build the site into `out`. Pages are rendered in parallel and each is staged as soon as it
/// is rendered; the output is only changed once everything has rendered (see [`write`]), so a
/// failed build leaves the previous output as it was.
pub fn build(loaded: &Loaded, out: &Path) -> Result<BuildReport, Error> {
    write::check_output(out, &loaded.root)?;
    let renderer = Renderer::new(loaded)?;
    let plan = pages::plan(&loaded.config, &loaded.content.documents);
    let staging = write::Staging::begin(out)?;
    let docs = &loaded.content.documents;
    let contexts = renderer.contexts(loaded, &plan);
    let (pages, indexed) = renderer.render_each(
        loaded,
        &plan,
        &contexts,
        |_| true,
        &|path, bytes| staging.put(path, bytes),
        |page, html| search::index_page(&plan, docs, page, html),
    )?;
    let t = timing::phase("search index");
    let index = search::Index {
        v: search::INDEX_VERSION,
        pages: indexed,
    };
    staging.put(search::INDEX_PATH, &search::to_json(&index))?;
    drop(t);
    let t = timing::phase("commit");
    let written = staging.commit()?;
    drop(t);
    Ok(BuildReport {
        pages,
        files: written.files,
        bytes: written.bytes,
        changed: written.changed,
        removed: written.removed,
    })
}
