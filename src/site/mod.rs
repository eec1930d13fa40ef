//! The site: load configuration and content together, then build the output directory.

pub mod clash;
pub mod link_check;
pub mod renderer;
pub mod search;
pub mod write;

pub use renderer::Renderer;

use std::path::Path;

use crate::content::exempt::Audience;
use crate::error::Error;
use crate::plan::Loaded;
use crate::plan::pages::{self, Plan};
use crate::timing;

/// Load the site as the commands see it: [`crate::plan::load`], with what `check` must also
/// report of the theme and static files: links the build will skip, and static files that
/// clash with the build's own outputs.
pub fn load(root: &Path) -> Result<Loaded, Error> {
    load_checked(
        root,
        crate::content::Drafts::Include,
        Audience::Members,
        false,
    )
    .map(|(loaded, _)| loaded)
}

/// [`load`], keeping drafts or not (see [`crate::content::load_with`]), for an audience, with
/// how many drafts were left out: what `build` publishes, drafts included or not.
pub fn load_with(
    root: &Path,
    drafts: crate::content::Drafts,
    audience: Audience,
) -> Result<(Loaded, usize), Error> {
    let published = drafts == crate::content::Drafts::Include;
    load_checked(root, drafts, audience, published)
}

/// The load behind [`load`] and [`load_with`]. Unless the drafts it keeps are `published`
/// (`build --drafts`), a link from an approved document to a draft is reported: `check` sees
/// drafts, and `build` leaves them out.
fn load_checked(
    root: &Path,
    drafts: crate::content::Drafts,
    audience: Audience,
    published: bool,
) -> Result<(Loaded, usize), Error> {
    let (mut loaded, left_out) = crate::plan::load_with(root, drafts, audience)?;
    let mut links = crate::render::theme::link_diagnostics(root, &loaded.config.theme);
    let plan = pages::plan(&loaded.config, &loaded.content.documents);
    let statics = clash::statics(&loaded.root, &loaded.config.theme);
    links.extend(clash::static_clashes(&statics, &plan, &loaded.root));
    let t = timing::phase("links");
    let docs = &loaded.content.documents;
    let mut draft_pages: std::collections::HashMap<String, String> =
        (loaded.content.left_out_drafts.iter().cloned()).collect();
    if !published {
        draft_pages.extend(link_check::draft_pages(docs));
    }
    let targets =
        link_check::Targets::new(&loaded.config, root, docs, &plan, &statics, draft_pages);
    links.extend(link_check::check(docs, &targets));
    drop(t);
    if !links.is_empty() {
        loaded.content.diagnostics.extend(links);
        crate::diagnostic::sort(&mut loaded.content.diagnostics);
    }
    Ok((loaded, left_out))
}

/// What a build wrote: its pages, and what the write to the output folder did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BuildReport {
    /// HTML pages rendered from templates.
    pub pages: usize,
    /// Files written, changed, removed, kept and replaced.
    pub written: write::Written,
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

/// How many reports' summaries a build lays out at once. A site of up to 2,048 reports is one
/// batch: its programme pages would otherwise lay out their reports' summaries a second time,
/// which costs a small site more time than it saves memory. A larger one has batches of a
/// sixteenth of its reports, at least 512: enough that each batch keeps both threads busy
/// and its fixed costs are small, few enough that memory is bounded by a fraction of the site.
///
/// `BOARDPACK_BATCH_REPORTS=N` sets it, for a site whose memory matters more than its time (and
/// for the tests, which check that the batches never show in the output).
fn batch_reports(plan: &Plan) -> usize {
    let set = std::env::var("BOARDPACK_BATCH_REPORTS").ok();
    if let Some(n) = set
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
    {
        return n;
    }
    match plan.reports.len() {
        n @ 0..=2048 => n,
        n => (n / 16).max(512),
    }
}

/// Build the site into `out` (see [`mod@write`] for what it may replace and remove). If
/// another build is writing to `out`, `waiting` is called and this one waits for it. Pages are rendered in parallel, a batch at a time (see
/// [`Renderer::render_in_batches`]), and each is staged as soon as it is rendered; the output is only changed once everything has rendered (see [`mod@write`]), so a
/// failed build leaves the previous output as it was.
pub fn build(
    loaded: &Loaded,
    out: &Path,
    options: write::Options,
    waiting: impl FnOnce(&Path),
) -> Result<BuildReport, Error> {
    write::check_output(out, &loaded.root)?;
    let renderer = Renderer::new(loaded)?;
    let plan = pages::plan(&loaded.config, &loaded.content.documents);
    let staging = write::Staging::begin(out, options, waiting)?;
    let docs = &loaded.content.documents;
    // pagefind indexes one page at a time, under a lock, and that is most of a large build's
    // work: one thread indexes each period's reports while the pages of the next render.
    let (pages, files) = std::thread::scope(|scope| {
        let (to_index, pages_in) = std::sync::mpsc::channel::<Vec<(String, String)>>();
        let language = loaded.config.language.as_str();
        let indexer = scope.spawn(move || {
            let mut index = search::Index::new(language)?;
            for (url, copy) in pages_in.into_iter().flatten() {
                index.add(&url, copy)?;
            }
            let _t = timing::phase("search index");
            index.files()
        });
        let rendered = renderer.render_in_batches_with(
            loaded,
            &plan,
            batch_reports(&plan),
            &|path, bytes| staging.put(path, bytes),
            |page, html| {
                Some((
                    page.url.clone(),
                    search::indexed_html(&plan, docs, page, html)?,
                ))
            },
            // A send fails only once the indexer has stopped on an error, which its join gives.
            |ready| drop(to_index.send(ready)),
        );
        drop(to_index);
        let t = timing::phase("search index, after rendering");
        let files = (indexer.join()).unwrap_or_else(|_| Err(search::panicked()));
        drop(t);
        Ok::<_, Error>((rendered?, files?))
    })?;
    for (path, bytes) in files {
        staging.put(&path, &bytes)?;
    }
    let t = timing::phase("commit");
    let written = staging.commit()?;
    drop(t);
    Ok(BuildReport { pages, written })
}
