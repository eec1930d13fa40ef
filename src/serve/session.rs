//! An incremental build session: every parsed document is cached, a change re-parses only the
//! files it touched, recomputes the aggregates from the cache, and re-renders only the pages
//! whose inputs changed. The watch server keeps one session for its whole life.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::aggregate::aggregate;
use crate::config::{CONFIG_FILE, Config, LoadError};
use crate::content::exempt::Audience;
use crate::content::{self, Content, Data, Document, Parsed};
use crate::diagnostic::{Diagnostic, Problem};
use crate::error::Error;
use crate::plan::Loaded;
use crate::plan::pages::{self, PageKind, Plan};
use crate::read::period::Period;
use crate::render::summary::Needed;
use crate::render::theme::ThemeFile;
use crate::site::Renderer;
use crate::site::{clash, search};
use crate::source::SourceFile;
use crate::timing;

use super::dirty::{Dirty, deliverers, key_of, nav_signature, needed_for};

/// What changed on disk, and so what must be rebuilt.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SourceChanges {
    /// `boardpack.toml` changed: rebuild everything.
    pub config: bool,
    /// Templates changed (the theme's or the site's): re-render every page.
    pub templates: bool,
    /// Stylesheets changed: rebuild the CSS.
    pub css: bool,
    /// Other static files changed.
    pub statics: bool,
    /// Paths under `content/` added, changed or removed: files or whole folders.
    pub content: BTreeSet<PathBuf>,
}

impl SourceChanges {
    pub fn is_empty(&self) -> bool {
        !self.config && !self.templates && !self.css && !self.statics && self.content.is_empty()
    }

    /// Everything: used for the first build.
    pub fn everything() -> SourceChanges {
        SourceChanges {
            config: true,
            ..SourceChanges::default()
        }
    }
}

/// The result of a build or rebuild.
#[derive(Debug)]
pub enum Outcome {
    /// The site rebuilt. `changed` lists output paths whose bytes changed, appeared or went.
    Built {
        changed: Vec<String>,
        /// Only stylesheets changed in substance: browsers can swap the CSS without reloading.
        css_only: bool,
        /// The stylesheet's output path.
        css_path: String,
        /// Pages rendered this time, of `pages` in the plan.
        rendered: usize,
        pages: usize,
        warnings: usize,
    },
    /// Nothing needed rebuilding.
    Unchanged,
    /// The sources are broken. The previous output stays as it was.
    Failed {
        diagnostics: Vec<Diagnostic>,
        /// An error with no location of its own (a template or stylesheet that will not compile).
        error: Option<String>,
    },
}

pub struct Session {
    root: PathBuf,
    config: Option<Config>,
    /// Every document file under `content/`, by path relative to it, with its parse
    /// diagnostics. `Path` ordering compares components: the order a sorted walk visits files.
    files: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// The parsed documents, kept sorted in the same order.
    docs: Vec<Document>,
    walk_diags: Vec<Diagnostic>,
    /// What the walks of `templates/` and `static/` found wrong with links.
    asset_diags: Vec<Diagnostic>,
    /// The site's and theme's static files, to check against the pages as `check` does.
    statics: Vec<ThemeFile>,
    renderer: Option<Renderer>,
    /// The last good site: output path to bytes.
    output: BTreeMap<String, Arc<[u8]>>,
    /// What the navigation showed last time; when it changes every page must be re-rendered.
    nav: Option<String>,
    built_once: bool,
    base_url: Option<String>,
    /// The plan of the last good build, for rebuilding the search index from its output.
    plan: Option<Plan>,
    search_stale: bool,
    /// The last good build's shared template context (navigation, periods, programmes), so
    /// that a [`Session::preview`] renders with the whole site's navigation.
    base: Option<tera::Context>,
    /// Whether documents marked `draft = true` are shown (`serve --no-drafts` hides them).
    drafts: bool,
    /// Who the site is shown as: members, unless `serve --audience public`.
    audience: Audience,
    /// Board pack PDFs being typeset after the last rebuilds.
    pdfs: super::pdfs::PdfJobs,
}

/// How long to wait before reading a file again that was empty: editors often truncate a file
/// and write it in two steps.
const EMPTY_RETRY: Duration = Duration::from_millis(30);

impl Session {
    pub fn new(root: &Path) -> Session {
        Session {
            root: root.to_path_buf(),
            config: None,
            files: BTreeMap::new(),
            docs: Vec::new(),
            walk_diags: Vec::new(),
            asset_diags: Vec::new(),
            statics: Vec::new(),
            renderer: None,
            output: BTreeMap::new(),
            nav: None,
            built_once: false,
            base_url: None,
            plan: None,
            search_stale: false,
            base: None,
            drafts: true,
            audience: Audience::Members,
            pdfs: Default::default(),
        }
    }

    /// Show the site as members see it (the default) or as the public does.
    pub fn set_audience(&mut self, audience: Audience) {
        self.audience = audience;
    }

    /// Show drafts (the default) or leave them out as `build` does.
    pub fn set_drafts(&mut self, show: bool) {
        self.drafts = show;
    }

    /// Publish links relative to this base URL instead of the configured one: the watch
    /// server serves the site at `/` wherever it will be published.
    pub fn set_base_url(&mut self, base: &str) {
        self.base_url = Some(base.to_string());
    }

    /// Whether the search index lags behind the pages.
    pub fn search_stale(&self) -> bool {
        self.search_stale
    }

    /// Rebuild the search index from the last good output. Returns whether its bytes changed.
    /// The watch server calls this when the author pauses: the index covers every page, so it
    /// is the one part of a rebuild whose cost grows with the site.
    pub fn refresh_search(&mut self) -> bool {
        self.search_stale = false;
        let Some(plan) = &self.plan else { return false };
        let pages: Vec<(usize, &[u8])> = (plan.pages.iter().enumerate())
            .filter(|(_, p)| search::is_indexed(p))
            .filter_map(|(i, p)| self.output.get(&p.path).map(|b| (i, &b[..])))
            .collect();
        // The plan is of the documents as shown: for the public, their public copy.
        let public = match (self.audience, &self.config) {
            (Audience::Public, Some(c)) => content::exempt::public_copy(&self.docs, c.schedule),
            _ => None,
        };
        let docs = public.as_deref().unwrap_or(&self.docs);
        let language = self.config.as_ref().map_or("en", |c| c.language.as_str());
        let files = match search::build_index(plan, docs, language, pages) {
            Ok(files) => files,
            Err(e) => {
                // The pages stay served; only search lags behind them.
                eprintln!("{e}");
                return false;
            }
        };
        let old: Vec<String> = (self.output.keys())
            .filter(|p| search::is_bundle_path(p))
            .cloned()
            .collect();
        let mut changed = old.len() != files.len();
        for path in old {
            if !files.iter().any(|(p, _)| *p == path) {
                self.output.remove(&path);
                changed = true;
            }
        }
        for (path, bytes) in files {
            let bytes: Arc<[u8]> = Arc::from(bytes);
            changed |= self.output.get(&path) != Some(&bytes);
            self.output.insert(path, bytes);
        }
        changed
    }

    /// Whether board pack PDFs are still being typeset.
    pub fn pdfs_pending(&self) -> bool {
        self.pdfs.pending()
    }

    /// Serve the PDFs typeset since the last call (every one, waiting, when `wait`). Returns
    /// whether any bytes changed.
    pub fn collect_pdfs(&mut self, wait: bool) -> bool {
        self.pdfs.collect(&mut self.output, wait)
    }

    /// The last good output.
    pub fn output(&self) -> &BTreeMap<String, Arc<[u8]>> {
        &self.output
    }

    pub fn theme(&self) -> String {
        self.config
            .as_ref()
            .map_or_else(|| "default".to_string(), |c| c.theme.clone())
    }

    fn content_dir(&self) -> PathBuf {
        self.root.join(crate::layout::CONTENT)
    }

    /// Read and parse `paths`, the files below `content/` that changed or a walk found, as
    /// `check` does ([`content::load_paths`]). A file read empty is read once more after a
    /// pause: editors often truncate a file and then write it.
    fn parse(&self, paths: &[PathBuf]) -> Vec<Parsed> {
        #[cfg(debug_assertions)]
        paths.iter().for_each(|p| test_panic(p));
        let dir = self.content_dir();
        let mut parsed = content::load_paths(paths, &self.root, &dir);
        let empty = |p: &Parsed| p.1.iter().any(|d| d.problem == Problem::EmptyFile);
        let again: Vec<usize> = (0..parsed.len()).filter(|&i| empty(&parsed[i])).collect();
        if !again.is_empty() {
            std::thread::sleep(EMPTY_RETRY);
            let paths: Vec<PathBuf> = again.iter().map(|&i| paths[i].clone()).collect();
            for (i, p) in again
                .into_iter()
                .zip(content::load_paths(&paths, &self.root, &dir))
            {
                parsed[i] = p;
            }
        }
        // The one place drafts are left out: a hidden draft is a file with no document and
        // nothing to say, as `build` sees it.
        if !self.drafts {
            for p in parsed.iter_mut() {
                if p.0.as_ref().is_some_and(|d| d.draft) {
                    *p = (None, Vec::new());
                }
            }
        }
        parsed
    }

    fn position(&self, rel: &Path) -> Result<usize, usize> {
        self.docs
            .binary_search_by(|d| Path::new(&d.rel_path).cmp(rel))
    }

    /// Record a file's new parse, replacing any document it held.
    fn set(&mut self, rel: PathBuf, (doc, diags): Parsed) {
        if let Ok(i) = self.position(&rel) {
            self.docs.remove(i);
        }
        if let Some(d) = doc
            && let Err(i) = self.position(&rel)
        {
            self.docs.insert(i, d);
        }
        self.files.insert(rel, diags);
    }

    fn remove(&mut self, rel: &Path) {
        if let Ok(i) = self.position(rel) {
            self.docs.remove(i);
        }
        self.files.remove(rel);
    }

    fn doc(&self, rel: &Path) -> Option<&Document> {
        self.position(rel).ok().map(|i| &self.docs[i])
    }

    fn rel(&self, path: &Path) -> Option<PathBuf> {
        path.strip_prefix(self.content_dir())
            .ok()
            .map(Path::to_path_buf)
    }

    /// Walk `content/` and parse every file: the first build, and after a config change.
    fn rescan(&mut self) {
        let dir = self.content_dir();
        self.files.clear();
        self.docs.clear();
        self.walk_diags.clear();
        if !dir.is_dir() {
            self.walk_diags.push(Diagnostic::global(Problem::NoContent));
            return;
        }
        let (paths, diags) = content::discover(&dir, &self.root);
        self.walk_diags = diags;
        let paths: Vec<PathBuf> = paths
            .into_iter()
            .filter(|p| self.rel(p).is_some())
            .collect();
        // The walk is sorted, so documents arrive in order.
        for (path, (doc, diags)) in paths.iter().zip(self.parse(&paths)) {
            if let Some(rel) = self.rel(path) {
                self.docs.extend(doc);
                self.files.insert(rel, diags);
            }
        }
    }

    /// Whether changed content must be walked again from the top rather than path by path:
    /// when `content/` itself has gone (the site is then broken, not empty), or a change passes
    /// through a symbolic link, which only the walk of the whole folder judges.
    fn needs_rescan(&self, changes: &SourceChanges) -> bool {
        if changes.content.is_empty() {
            return false;
        }
        let Ok(within) = std::fs::canonicalize(self.content_dir()) else {
            return true;
        };
        if !within.is_dir() {
            return true;
        }
        changes
            .content
            .iter()
            .any(|p| content::links::involves_link(p, &within))
    }

    /// Re-read the paths that changed. A path that is gone removes its file, or every file
    /// under it if it was a folder; a new folder is walked.
    fn apply_content(&mut self, paths: &BTreeSet<PathBuf>) -> HashSet<PathBuf> {
        let mut touched = HashSet::new();
        for path in paths {
            let Some(rel) = self.rel(path) else { continue };
            if path.is_dir() {
                let (found, _) = content::discover(path, &self.root);
                let found: Vec<PathBuf> = found
                    .into_iter()
                    .filter(|p| self.rel(p).is_some())
                    .collect();
                for (p, parsed) in found.iter().zip(self.parse(&found)) {
                    if let Some(r) = self.rel(p) {
                        self.set(r.clone(), parsed);
                        touched.insert(r);
                    }
                }
            } else if path.is_file() {
                if crate::layout::is_document(&rel) {
                    let parsed = self.parse(std::slice::from_ref(path)).pop();
                    if let Some(parsed) = parsed {
                        self.set(rel.clone(), parsed);
                        touched.insert(rel);
                    }
                }
            } else {
                // Gone: a file, or a folder with everything in it.
                let gone: Vec<PathBuf> = self
                    .files
                    .keys()
                    .filter(|k| k.starts_with(&rel))
                    .cloned()
                    .collect();
                for k in gone {
                    self.remove(&k);
                    touched.insert(k);
                }
            }
        }
        touched
    }

    fn load_config(&mut self) -> Result<(), Vec<Diagnostic>> {
        let mut config = crate::config::load(&self.root).map_err(|e| match e {
            LoadError::Read(e) => {
                let path = self.root.join(CONFIG_FILE);
                let f = SourceFile::new(&path, CONFIG_FILE, String::new());
                let problem = Problem::Unreadable {
                    reason: e.to_string(),
                };
                vec![Diagnostic::new(problem, &f, 0..0)]
            }
            LoadError::Invalid(diagnostics) => diagnostics,
        })?;
        if let Some(base) = &self.base_url {
            config.base_url = base.clone();
        }
        self.config = Some(config);
        Ok(())
    }

    /// The edited report's own page, at once, for the commonest edit: one highlight report
    /// saved again, still free of errors, under the same programme, period and title (so its
    /// page, and every page's navigation, stay where they are).
    ///
    /// It is rendered from the report and the two earlier reports of its programme that its
    /// page compares against (the previous one and the one a year earlier), with the last good
    /// build's navigation and site-wide lists. So it costs the same at 10 reports or 10,000,
    /// where a rebuild must recompute every summary that might include the report. The watch
    /// server shows it, then runs [`Session::update`], which checks the whole site and
    /// re-renders the board pack, programme page and summaries; if that fails, the last good
    /// site, without the preview, is served again under the error overlay. The default theme's
    /// report page is byte for byte the rebuilt one (tested); should a theme show on it
    /// something site-wide that the edit changed (the `programmes` list's stated progress, say),
    /// the rebuilt page replaces the preview and the browser reloads once more.
    ///
    /// Returns the page's output path and bytes, or `None` when the change is not of this kind.
    pub fn preview(&self, changes: &SourceChanges) -> Option<(String, Arc<[u8]>)> {
        if changes.config
            || changes.templates
            || changes.css
            || changes.statics
            || changes.content.len() != 1
        {
            return None;
        }
        let (renderer, base, config) = (
            self.renderer.as_ref()?,
            self.base.as_ref()?,
            self.config.as_ref()?,
        );
        let path = changes.content.first()?;
        let rel = self.rel(path)?;
        if !path.is_file() || !self.files.contains_key(&rel) || self.needs_rescan(changes) {
            return None;
        }
        let Data::Highlight(before) = &self.doc(&rel)?.data else {
            return None;
        };
        let t = timing::phase("preview: parse");
        let (doc, diags) = self.parse(std::slice::from_ref(path)).pop()?;
        drop(t);
        if diags.iter().any(Diagnostic::is_error) {
            return None;
        }
        let doc = doc?;
        let Data::Highlight(h) = &doc.data else {
            return None;
        };
        if (&h.programme, h.period, &h.title) != (&before.programme, before.period, &before.title) {
            return None;
        }
        // Its page shows its own summary, and changes and trends against the programme's
        // report before it and the one a year earlier: those are all the preview needs.
        let t = timing::phase("preview: aggregate");
        let (programme, period) = (h.programme.as_str(), h.period);
        let same = |d: &&Document| {
            Path::new(&d.rel_path) != rel
                && matches!(&d.data, Data::Highlight(o) if o.programme == programme)
        };
        let previous = (self.docs.iter().filter(same))
            .filter_map(Document::period)
            .filter(|p| *p < period)
            .max();
        let wanted = [previous, Some(period.year_earlier())];
        // And the plan of its year, which its activities link to and are checked against.
        let plan_of_year =
            |d: &&Document| matches!(&d.data, Data::Plan(p) if p.period == period.year_of());
        // And the period's budgets, whose lines tagged with the programme its budget statuses
        // are checked against (`budget-status-contradicts-lines`).
        let budget_of_period =
            |d: &&Document| matches!(&d.data, Data::Budget(b) if b.period == period);
        let mut docs: Vec<Document> = (self.docs.iter())
            .filter(|d| {
                (same(d) && wanted.contains(&d.period())) || plan_of_year(d) || budget_of_period(d)
            })
            .cloned()
            .collect();
        let at = docs
            .binary_search_by(|d| Path::new(&d.rel_path).cmp(&rel))
            .unwrap_or_else(|i| i);
        docs.insert(at, doc);
        let aggregates = aggregate(config, &docs);
        let mut loaded = Loaded {
            root: self.root.clone(),
            config: config.clone(),
            content: Content {
                files: docs.len(),
                documents: docs,
                diagnostics: Vec::new(),
                left_out_drafts: Vec::new(),
            },
            aggregates,
            history: Default::default(),
            audience: Audience::Members,
            author_findings: None,
        };
        if self.audience == Audience::Public {
            loaded.make_public(false);
        }
        let plan = pages::plan(&loaded.config, &loaded.content.documents);
        drop(t);
        let page = plan.pages.iter().find(|p| match p.kind {
            PageKind::Report(r) => plan.reports[r].doc == at,
            _ => false,
        })?;
        let mut contexts = renderer.contexts(&loaded, &plan);
        contexts.set_base(base.clone());
        let _t = timing::phase("preview: render");
        let bytes = renderer.render_page(&contexts, &loaded, &plan, page).ok()?;
        Some((page.path.clone(), Arc::from(bytes)))
    }

    /// Apply a set of changes and rebuild what they touch.
    pub fn update(&mut self, changes: &SourceChanges) -> Outcome {
        let mut all = !self.built_once || changes.config || changes.templates;
        let mut rescanned = false;
        if changes.config || self.config.is_none() {
            if let Err(diagnostics) = self.load_config() {
                self.config = None;
                self.renderer = None;
                return Outcome::Failed {
                    diagnostics,
                    error: None,
                };
            }
            self.rescan();
            self.renderer = None;
            all = true;
            rescanned = true;
        } else if self.needs_rescan(changes) {
            self.rescan();
            all = true;
            rescanned = true;
        }
        if changes.config || changes.templates || changes.css || changes.statics {
            self.asset_diags = crate::render::theme::link_diagnostics(&self.root, &self.theme());
            self.statics = clash::statics(&self.root, &self.theme());
        }
        // Remember where changed documents sat before, so pages that showed them refresh.
        let mut dirty = Dirty::default();
        let before: HashMap<PathBuf, (Option<Period>, Option<String>)> = changes
            .content
            .iter()
            .filter_map(|p| self.rel(p))
            .flat_map(|rel| {
                self.files
                    .keys()
                    .filter(|k| k.starts_with(&rel))
                    .map(|k| (k.clone(), key_of(self.doc(k))))
                    .collect::<Vec<_>>()
            })
            .collect();
        // A plan is read against every report of its year, and its dates reach their pages'
        // findings and the programme pages: an edit to one re-renders everything.
        let is_plan = |d: Option<&Document>| matches!(d.map(|d| &d.data), Some(Data::Plan(_)));
        let mut plans_touched = before.keys().any(|k| is_plan(self.doc(k)));
        // The programmes whose plan deliverables a changed report tracked: their pages show
        // how it reports on them, whichever programme's report it is.
        for k in before.keys() {
            dirty.deliverers.extend(deliverers(&self.docs, self.doc(k)));
        }
        let touched = if rescanned {
            HashSet::new()
        } else {
            self.apply_content(&changes.content)
        };
        for rel in &touched {
            dirty.docs.insert(rel.to_string_lossy().replace('\\', "/"));
            if let Some((period, programme)) = before.get(rel) {
                dirty.note(*period, programme.clone());
            }
            let doc = self.doc(rel);
            let (period, programme) = key_of(doc);
            dirty.note(period, programme);
            if matches!(doc.map(|d| &d.data), Some(Data::Budget(_))) {
                dirty.budget = true;
            }
            plans_touched |= is_plan(doc);
            dirty.deliverers.extend(deliverers(&self.docs, doc));
        }
        all |= plans_touched;

        let Some(config) = self.config.clone() else {
            return Outcome::Failed {
                diagnostics: Vec::new(),
                error: Some("boardpack.toml could not be read".into()),
            };
        };
        let mut loaded = self.assemble(config);
        let whole = match self.audience {
            Audience::Public => loaded.make_public(true),
            Audience::Members => None,
        };
        self.plan = None;
        let outcome = self.render_step(&loaded, changes, all, &dirty);
        // The documents go back into the cache, whole: a rebuild clones none of them.
        self.docs = whole.unwrap_or_else(|| std::mem::take(&mut loaded.content.documents));
        outcome
    }

    /// Check the assembled site, then render what the change needs and record the new site:
    /// [`Session::gate`], [`render_selected`], [`Session::merge`] and [`Session::diff`].
    fn render_step(
        &mut self,
        loaded: &Loaded,
        changes: &SourceChanges,
        mut all: bool,
        dirty: &Dirty,
    ) -> Outcome {
        let t = timing::phase("plan");
        let plan = pages::plan(&loaded.config, &loaded.content.documents);
        let nav = nav_signature(&plan);
        drop(t);
        let warnings = match self.gate(loaded, &plan) {
            Ok(warnings) => warnings,
            Err(failed) => return failed,
        };
        let old_css = self.renderer.as_ref().map(|r| r.stylesheet.path.clone());
        if let Err(failed) = self.prepare_renderer(loaded, changes) {
            return failed;
        }
        let Some(renderer) = self.renderer.as_ref() else {
            return Outcome::Failed {
                diagnostics: Vec::new(),
                error: Some("the theme could not be loaded".into()),
            };
        };
        let css_path = renderer.stylesheet.path.clone();
        // A new renderer (new templates) or a renamed stylesheet, which every page links by
        // its hashed name, changes every page; so does a change to the navigation.
        let css_changed = old_css.as_ref() != Some(&css_path);
        all |= css_changed || self.nav.as_ref() != Some(&nav);
        let (rendered, needed, base, packs) =
            match render_selected(renderer, loaded, &plan, all, dirty) {
                Ok(r) => r,
                Err(e) => return failed(e),
            };
        for (path, ctx) in packs {
            self.pdfs.spawn(path, ctx);
        }
        let rendered_pages = rendered.pages;
        let mut next = self.merge(&plan, &needed, all, rendered.files);
        // The feeds, sitemap and meetings.json again, now that every download is known, not
        // only those this change laid out. Not the PDFs, as `build` does not: whether one has
        // been typeset yet must not change meetings.json (nor turn a CSS edit into a reload).
        let pdfs: HashSet<&str> = (plan.periods.iter())
            .filter_map(|p| p.pdf.as_ref().map(|f| f.path.as_str()))
            .collect();
        let others: Vec<(&str, usize)> = (next.iter())
            .filter(|(k, _)| !k.ends_with(".html") && !pdfs.contains(k.as_str()))
            .map(|(k, v)| (k.as_str(), v.len()))
            .collect();
        let own_robots = (self.statics.iter()).any(|f| f.rel == crate::render::publish::ROBOTS);
        let published = crate::render::publish::files(loaded, &plan, &others, own_robots);
        for f in published {
            next.insert(f.path, Arc::from(f.bytes));
        }
        let old_css = old_css.unwrap_or_default();
        let (changed, css_only) = self.diff(&next, changes, css_changed, &old_css, &css_path);
        let pages = plan.pages.len();
        self.search_stale = true;
        self.base = Some(base);
        self.plan = Some(plan);
        self.output = next;
        self.nav = Some(nav);
        self.built_once = true;
        Outcome::Built {
            changed,
            css_only,
            css_path,
            rendered: rendered_pages,
            pages,
            warnings,
        }
    }

    /// Every diagnostic `check` would print for the assembled site, static files that clash
    /// with its pages included: the count of warnings, or the failure the overlay shows.
    fn gate(&self, loaded: &Loaded, plan: &Plan) -> Result<usize, Outcome> {
        let mut diagnostics = loaded.all_diagnostics();
        let mut clashes = clash::static_clashes(&self.statics, plan, &self.root);
        let docs = &loaded.content.documents;
        let drafts = crate::site::link_check::draft_pages(docs);
        let targets = crate::site::link_check::Targets::new(
            &loaded.config,
            &self.root,
            docs,
            plan,
            &self.statics,
            drafts,
        );
        clashes.extend(crate::site::link_check::check(docs, &targets));
        if !clashes.is_empty() {
            diagnostics.extend(clashes);
            crate::diagnostic::sort(&mut diagnostics);
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Outcome::Failed {
                diagnostics,
                error: None,
            });
        }
        Ok(diagnostics.len())
    }

    /// The renderer, made anew for new templates, and with its stylesheet rebuilt after a
    /// change to CSS or static files.
    fn prepare_renderer(
        &mut self,
        loaded: &Loaded,
        changes: &SourceChanges,
    ) -> Result<(), Outcome> {
        if self.renderer.is_none() || changes.templates {
            self.renderer = Some(Renderer::new(loaded).map_err(failed)?);
        }
        if (changes.css || changes.statics)
            && let Some(renderer) = self.renderer.as_mut()
        {
            renderer.refresh_css(loaded).map_err(failed)?;
        }
        Ok(())
    }

    /// The new site: the freshly rendered files over those of the last good site that a
    /// partial rebuild keeps. The search index is refreshed separately, when the author
    /// pauses, so the old one is served until then.
    fn merge(
        &self,
        plan: &Plan,
        needed: &Needed,
        all: bool,
        rendered: Vec<(String, Vec<u8>)>,
    ) -> BTreeMap<String, Arc<[u8]>> {
        let mut next = if all {
            BTreeMap::new()
        } else {
            self.kept(plan, needed)
        };
        for (path, bytes) in rendered {
            next.insert(path, Arc::from(bytes));
        }
        // The search index is rebuilt when the author pauses: until then, the last one.
        for (path, old) in self
            .output
            .iter()
            .filter(|(p, _)| search::is_bundle_path(p))
        {
            if !next.contains_key(path) {
                next.insert(path.clone(), old.clone());
            }
        }
        // Until its new copy is typeset, a pack the plan still has serves its last one.
        for pdf in plan.periods.iter().filter_map(|p| p.pdf.as_ref()) {
            if let Some(old) = self.output.get(&pdf.path)
                && !next.contains_key(&pdf.path)
            {
                next.insert(pdf.path.clone(), old.clone());
            }
        }
        next
    }

    /// The output paths the browser must reload, and whether they differ only by the
    /// stylesheet's name, which a browser can swap without reloading.
    fn diff(
        &self,
        next: &BTreeMap<String, Arc<[u8]>>,
        changes: &SourceChanges,
        css_changed: bool,
        old_css: &str,
        css_path: &str,
    ) -> (Vec<String>, bool) {
        let mut changed = changed_paths(&self.output, next);
        changed.retain(|p| !search::is_bundle_path(p));
        let css_only = css_changed
            && !changes.config
            && !changes.templates
            && changes.content.is_empty()
            && changed.iter().all(|p| {
                p.ends_with(".css")
                    || (p.ends_with(".html")
                        && same_but_css(&self.output, next, p, old_css, css_path))
            });
        (changed, css_only)
    }

    /// The outputs a partial rebuild keeps: pages that were not re-rendered, and the downloads
    /// beside pages whose summaries were not laid out again; none the plan no longer has.
    fn kept(&self, plan: &Plan, needed: &Needed) -> BTreeMap<String, Arc<[u8]>> {
        let wanted: HashSet<&str> = plan.pages.iter().map(|p| p.path.as_str()).collect();
        let kept_dirs: HashSet<&str> = (plan.pages.iter())
            .filter(|p| match p.kind {
                PageKind::Report(r) => !needed.reports[r],
                // A period laid out without all its reports (for the home page) has no new
                // workbook: the last one, and its other files, stay under the new ones.
                PageKind::Period(i) => {
                    !needed.periods[i]
                        || !plan.periods[i].reports.iter().all(|&r| needed.reports[r])
                }
                PageKind::Programme(i) => !needed.programmes[i],
                _ => false,
            })
            .filter_map(|p| p.path.strip_suffix("/index.html"))
            .collect();
        self.output
            .iter()
            .filter(|(k, _)| {
                wanted.contains(k.as_str())
                    || search::is_bundle_path(k)
                    || (!k.ends_with(".html")
                        && k.rsplit_once('/')
                            .is_some_and(|(d, _)| kept_dirs.contains(d)))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Assemble a `Loaded` from the cache, moving the documents in.
    fn assemble(&mut self, config: Config) -> Loaded {
        let documents = std::mem::take(&mut self.docs);
        let t = timing::phase("diagnostics");
        let mut diagnostics = self.walk_diags.clone();
        diagnostics.extend(self.asset_diags.iter().cloned());
        for d in self.files.values() {
            diagnostics.extend(d.iter().cloned());
        }
        let diagnostics = content::checked(&documents, diagnostics, &config);
        drop(t);
        let t = timing::phase("aggregate");
        let aggregates = aggregate(&config, &documents);
        drop(t);
        Loaded {
            root: self.root.clone(),
            config,
            content: Content {
                files: self.files.len(),
                documents,
                diagnostics,
                left_out_drafts: Vec::new(),
            },
            aggregates,
            history: Default::default(),
            audience: Audience::Members,
            author_findings: None,
        }
    }
}

/// A re-rendered board pack's PDF path and its page's context, to typeset after the reload.
type Pack = (String, tera::Context);

/// Render the pages a change touched (every page when `all`), laying out only the summaries
/// they show; the other reports keep their pages and downloads from the last build. Returns
/// the pages, which summaries were laid out, the context every page shares (for
/// [`Session::preview`]), and the board packs whose PDFs are now out of date.
fn render_selected(
    renderer: &Renderer,
    loaded: &Loaded,
    plan: &Plan,
    all: bool,
    dirty: &Dirty,
) -> Result<(crate::site::Rendered, Needed, tera::Context, Vec<Pack>), Error> {
    let docs = &loaded.content.documents;
    let select = |page: &pages::PlannedPage| all || dirty.selects(page, plan, docs);
    let needed = needed_for(plan, all, select);
    let contexts = renderer.contexts_for(loaded, plan, &needed);
    let rendered = renderer.render_with(loaded, plan, &contexts, select)?;
    let packs = (plan.pages.iter())
        .filter(|p| select(p))
        .filter_map(|p| {
            let pdf = crate::site::renderer::pdf_of(plan, p)?;
            Some((pdf.path.clone(), contexts.page(loaded, plan, p)))
        })
        .collect();
    Ok((rendered, needed, contexts.base().clone(), packs))
}

/// The output paths whose bytes changed, appeared or went between two builds, sorted.
fn changed_paths(
    old: &BTreeMap<String, Arc<[u8]>>,
    next: &BTreeMap<String, Arc<[u8]>>,
) -> Vec<String> {
    let mut changed: Vec<String> = next
        .iter()
        .filter(|(k, v)| old.get(*k).is_none_or(|o| o != *v))
        .map(|(k, _)| k.clone())
        .collect();
    changed.extend(old.keys().filter(|k| !next.contains_key(*k)).cloned());
    changed.sort();
    changed
}

/// Debug builds only, for the watch server's tests: reading a file that holds the text named by
/// `BOARDPACK_TEST_PANIC` panics, as a bug in a rebuild would.
#[cfg(debug_assertions)]
fn test_panic(path: &Path) {
    let Some(marker) = std::env::var_os("BOARDPACK_TEST_PANIC") else {
        return;
    };
    let marker = marker.to_string_lossy();
    if !marker.is_empty() && std::fs::read_to_string(path).is_ok_and(|text| text.contains(&*marker))
    {
        panic!("test panic while reading {}", path.display());
    }
}

fn failed(e: Error) -> Outcome {
    Outcome::Failed {
        diagnostics: e.diagnostics().to_vec(),
        error: Some(e.to_string()),
    }
}

/// Whether an HTML page differs from its old bytes only by the stylesheet's name.
fn same_but_css(
    old: &BTreeMap<String, Arc<[u8]>>,
    new: &BTreeMap<String, Arc<[u8]>>,
    path: &str,
    old_css: &str,
    new_css: &str,
) -> bool {
    match (old.get(path), new.get(path)) {
        (Some(a), Some(b)) => {
            let a = String::from_utf8_lossy(a).replace(old_css, new_css);
            a.as_bytes() == &b[..]
        }
        _ => false,
    }
}
