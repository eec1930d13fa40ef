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

/// Build the site into `out`: render everything into memory, then replace `out` atomically.
/// A failed build leaves the previous output as it was.
pub fn build(loaded: &Loaded, out: &Path) -> Result<BuildReport, Error> {
    write::check_output(out, &loaded.root)?;
    let rendered = render(loaded)?;
    let written = write::write_atomic(out, &rendered.files)?;
    Ok(BuildReport {
        pages: rendered.pages,
        files: written.files,
        bytes: written.bytes,
    })
}
