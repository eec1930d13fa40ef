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
use pages::Plan;

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
    let config = Config::parse(&file)
        .and_then(|c| match c.check_on_disk(root, &file) {
            d if d.is_empty() => Ok(c),
            d => Err(d),
        })
        .map_err(|diagnostics| Error::Config {
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

impl Rendered {
    /// What `render` hands its sink, kept in memory and sorted by path; `render` returns the
    /// number of pages.
    pub fn collect(
        render: impl FnOnce(&renderer::Sink<'_>) -> Result<usize, Error>,
    ) -> Result<Self, Error> {
        let files = std::sync::Mutex::new(Vec::new());
        let pages = render(&|path, bytes| {
            let mut files = files.lock().unwrap_or_else(|e| e.into_inner());
            files.push((path.to_string(), bytes.to_vec()));
            Ok(())
        })?;
        let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a: &(String, Vec<u8>), b| a.0.cmp(&b.0));
        Ok(Rendered { files, pages })
    }
}

/// Render every page, the stylesheet and the static files into memory, in parallel. The
/// result is the same bytes whatever the number of threads.
pub fn render(loaded: &Loaded) -> Result<Rendered, Error> {
    let renderer = Renderer::new(loaded)?;
    let plan = pages::plan(&loaded.config, &loaded.content.documents);
    let mut rendered = Rendered::collect(|sink| {
        let batch = batch_reports(&plan);
        let (pages, _) =
            renderer.render_in_batches(loaded, &plan, batch, sink, |_, _| None::<()>)?;
        Ok(pages)
    })?;
    search::add_index(&plan, &loaded.content.documents, &mut rendered)?;
    Ok(rendered)
}

/// How many reports' summaries a build lays out at once. A site of up to 2,048 reports is one
/// batch: its programme pages would otherwise lay out their reports' summaries a second time,
/// which costs a small site more time than it saves memory. A larger one has batches of a
/// sixteenth of its reports, at least 512: enough that each batch keeps both threads busy
/// and its fixed costs are small, few enough that memory is bounded by a fraction of the site.
fn batch_reports(plan: &Plan) -> usize {
    match plan.reports.len() {
        n @ 0..=2048 => n,
        n => (n / 16).max(512),
    }
}

/// Build the site into `out`. Pages are rendered in parallel, a batch at a time (see
/// [`Renderer::render_in_batches`]), and each is staged as soon as it is rendered; the output is only changed once everything has rendered (see [`mod@write`]), so a
/// failed build leaves the previous output as it was.
pub fn build(loaded: &Loaded, out: &Path) -> Result<BuildReport, Error> {
    write::check_output(out, &loaded.root)?;
    let renderer = Renderer::new(loaded)?;
    let plan = pages::plan(&loaded.config, &loaded.content.documents);
    let staging = write::Staging::begin(out)?;
    let docs = &loaded.content.documents;
    // Each page's index entry goes to a scratch file as the page renders: the index is the
    // largest file of a big site and is written last, in plan order.
    let spill = write::Spill::new(staging.scratch()?);
    let (pages, indexed) = renderer.render_in_batches(
        loaded,
        &plan,
        batch_reports(&plan),
        &|path, bytes| staging.put(path, bytes),
        |page, html| {
            let entry = search::index_page(&plan, docs, page, html)?;
            Some(spill.push(&search::entry_json(&entry)))
        },
    )?;
    let t = timing::phase("search index");
    let scratch_err = |source| Error::Write {
        path: out.join(search::INDEX_PATH),
        source,
    };
    let records: Vec<write::Record> = indexed
        .into_iter()
        .collect::<Result<_, _>>()
        .map_err(scratch_err)?;
    let mut spilled = spill.finish().map_err(scratch_err)?;
    staging.put_written(search::INDEX_PATH, |w| {
        search::write_index(records.iter().map(|r| spilled.get(*r)), w)
    })?;
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
