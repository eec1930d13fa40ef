//! Content: find every document under `content/`, split and parse it in parallel into the typed
//! model, and check what can only be checked across documents.

pub mod actions;
pub mod alt_text;
pub mod approval;
pub mod budget;
pub mod carried;
pub mod exempt;
pub mod exempt_check;
pub mod front_matter;
pub mod highlight;
pub mod indicators;
pub mod links;
pub mod markers;
pub mod meeting;
pub mod page;
pub mod plan;
pub mod plan_check;
pub mod validate;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use toml::de::DeTable;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Problem};
use crate::layout;
use crate::source::SourceFile;

use crate::read::reader::{Cx, Table};
use crate::read::words::DocKind;
pub use actions::ActionPlan;
pub use budget::Budget;
pub use highlight::Highlight;
pub use indicators::IndicatorSet;
pub use page::Page;
pub use plan::OperationalPlan;

/// Files larger than this are refused rather than read: no board report is 16 MiB of text,
/// and reading one would stall a build.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One parsed document.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    #[serde(skip)]
    pub file: Arc<SourceFile>,
    /// Path relative to `content/`, with `/` separators.
    pub rel_path: String,
    /// The file stem: the default slug for pages.
    pub stem: String,
    /// The Markdown body.
    pub body: String,
    #[serde(skip)]
    pub body_span: Range<usize>,
    /// Whether the document has errors. It is still checked against the others, but takes
    /// no part in aggregation: summaries of half a document would only add misleading
    /// findings to the real problem.
    #[serde(skip)]
    pub has_errors: bool,
    /// Currency symbols its money was written with, and where, to check against the site's.
    #[serde(skip)]
    pub money_symbols: Vec<(char, Range<usize>)>,
    /// `draft = true`: left out of `build` (unless `--drafts`), shown by `serve`, and marked
    /// "DRAFT – not approved" wherever it is shown.
    pub draft: bool,
    /// Who approved it and when, where the front matter says.
    pub approved: Option<approval::Approved>,
    /// `exempt = { … }` on the whole document: withheld from the public.
    pub exempt: Option<exempt::Exempt>,
    /// In the public copy, for an exempt document: the stub that stands in its place. Its
    /// `data` then holds only what routes it (kind, period, programme).
    pub withheld_document: Option<exempt::Withheld>,
    /// The meeting it is for, its date, author and addressee, where the front matter says.
    pub meta: meeting::PaperMeta,
    /// The `<!-- boardpack:tables -->` line in `body`, where the structured tables go.
    #[serde(skip)]
    pub tables_marker: Option<Range<usize>>,
    pub data: Data,
}

/// What a document holds, by kind.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Data {
    Highlight(Highlight),
    Budget(Budget),
    Indicators(IndicatorSet),
    Actions(ActionPlan),
    Plan(OperationalPlan),
    Page(Page),
}

/// Everything loaded from a site's `content/`, with every diagnostic found on the way.
#[derive(Debug, Default)]
pub struct Content {
    /// How many document files were found, parsed or not.
    pub files: usize,
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
    /// The drafts a load left out, as their page folders and files: links to them are
    /// reported as links to drafts rather than to nothing.
    pub left_out_drafts: Vec<(String, String)>,
}

/// Find the documents under `dir`, sorted by path so that every run sees them in one order.
/// Symbolic links are followed only inside the site root ([`links::walk`]); links that leave
/// it, loop or lead nowhere, and walk errors (unreadable directories), become diagnostics.
pub fn discover(dir: &Path, root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut walk = links::walk(dir, root, layout::is_ignored_in_content);
    walk.files
        .retain(|p| layout::is_document(p.strip_prefix(dir).unwrap_or(p)));
    (walk.files, walk.diagnostics)
}

/// A path as shown to users: relative to the site root, with `/` separators.
pub fn display_path(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Which documents a load keeps: `check` and `serve` see drafts, `build` leaves them out
/// unless asked (`build --drafts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Drafts {
    #[default]
    Include,
    LeaveOut,
}

/// Load every document under `root/content` in parallel, drafts included.
pub fn load(root: &Path, config: &Config) -> Content {
    load_with(root, config, Drafts::Include).0
}

/// Load every document under `root/content` in parallel, and say how many drafts were left out.
///
/// A draft left out goes with its own diagnostics, before the checks across documents run, so
/// the site is checked as it is published: a half-written draft does not stop a build of the
/// approved reports. A file that cannot be read at all is not known to be a draft, so its
/// errors stay.
pub fn load_with(root: &Path, config: &Config, drafts: Drafts) -> (Content, usize) {
    let dir = root.join(layout::CONTENT);
    if !dir.is_dir() {
        let content = Content {
            diagnostics: vec![Diagnostic::global(Problem::NoContent)],
            ..Content::default()
        };
        return (content, 0);
    }
    let (files, mut diagnostics) = discover(&dir, root);
    let results = load_paths(&files, root, &dir);
    let mut documents = Vec::with_capacity(results.len());
    let mut left_out = 0;
    let mut left_out_drafts = Vec::new();
    for (doc, diags) in results {
        if drafts == Drafts::LeaveOut
            && let Some(d) = doc.as_ref().filter(|d| d.draft)
        {
            left_out += 1;
            left_out_drafts.extend(d.page_dir().map(|dir| (dir, d.file.display.clone())));
            continue;
        }
        documents.extend(doc);
        diagnostics.extend(diags);
    }
    let diagnostics = checked(&documents, diagnostics, config);
    let content = Content {
        files: files.len(),
        documents,
        diagnostics,
        left_out_drafts,
    };
    (content, left_out)
}

/// The one step every load ends with, `check`'s and `serve`'s alike: the cross-document
/// checks added to each file's own diagnostics, sorted by file and line, and no more than
/// [`crate::diagnostic::MAX_PER_FILE`] shown of one file.
pub fn checked(
    documents: &[Document],
    mut diagnostics: Vec<Diagnostic>,
    config: &Config,
) -> Vec<Diagnostic> {
    let t = crate::timing::phase("validate");
    diagnostics.extend(validate::check(documents, config));
    diagnostics.extend(exempt_check::check(
        documents,
        config,
        exempt_check::today(),
    ));
    drop(t);
    crate::diagnostic::sort(&mut diagnostics);
    crate::diagnostic::limit_per_file(diagnostics)
}

/// One file read and parsed: its document, if it parsed, and its diagnostics.
pub type Parsed = (Option<Document>, Vec<Diagnostic>);

/// Read and parse `paths`, files under `content_dir`, in parallel: how `check`, `build` and
/// `serve` all read documents. The results are in the order of `paths`.
pub fn load_paths(paths: &[PathBuf], root: &Path, content_dir: &Path) -> Vec<Parsed> {
    paths
        .par_iter()
        .map(|path| load_file(path, root, content_dir))
        .collect()
}

/// Read one file from disk and parse it.
pub fn load_file(path: &Path, root: &Path, content_dir: &Path) -> Parsed {
    let display = display_path(path, root);
    let fail = |problem| {
        let f = SourceFile::new(path, display.clone(), String::new());
        (None, vec![Diagnostic::new(problem, &f, 0..0)])
    };
    if path.to_str().is_none() {
        return fail(Problem::Unreadable {
            reason: "the file name is not valid UTF-8; rename it".into(),
        });
    }
    let too_big = |len: u64| Problem::Unreadable {
        reason: format!(
            "it is {len} bytes, more than the {MAX_FILE_BYTES}-byte limit for a document"
        ),
    };
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_FILE_BYTES => return fail(too_big(m.len())),
        Ok(_) => {}
        Err(e) => {
            return fail(Problem::Unreadable {
                reason: e.to_string(),
            });
        }
    }
    // Read at most one byte past the limit, so that a file that grows after the size check
    // (or a device that reports no size) still cannot make the build read without end.
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| {
        use std::io::Read;
        f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)
    });
    if let Err(e) = read {
        return fail(Problem::Unreadable {
            reason: e.to_string(),
        });
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return fail(too_big(bytes.len() as u64));
    }
    if let Some(big_endian) = utf16(&bytes) {
        // Nothing of it is shown: read as UTF-8 it is noise, NUL bytes and all.
        let f = SourceFile::new(path, display.clone(), String::new());
        return (
            None,
            vec![Diagnostic::new(Problem::Utf16 { big_endian }, &f, 0..0)],
        );
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            // Point at the first bad byte: everything before it is text, so its line and
            // column are exact.
            let offset = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let problem = if bytes.contains(&0) {
                Problem::Binary { offset }
            } else {
                Problem::InvalidUtf8 { offset }
            };
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let f = SourceFile::new(path, display.clone(), text);
            return (None, vec![Diagnostic::new(problem, &f, offset..offset + 1)]);
        }
    };
    if let Some(nul) = text.bytes().position(|b| b == 0) {
        // Valid UTF-8 but not text: an image, an archive or a word-processor file named `.md`.
        let f = SourceFile::new(path, display.clone(), text);
        return (
            None,
            vec![Diagnostic::new(
                Problem::Binary { offset: nul },
                &f,
                nul..nul + 1,
            )],
        );
    }
    let rel = path.strip_prefix(content_dir).unwrap_or(path);
    let file = SourceFile::new(path, display, text);
    parse_document(file, &display_path(rel, Path::new("")))
}

/// Whether `bytes` look like UTF-16 text, and if so whether big-endian: a byte-order mark
/// (`FF FE`, as Windows Notepad saves "Unicode", or `FE FF`), or, without one, ASCII with a NUL
/// byte beside every character, as the front matter's `+++` would be.
fn utf16(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xFF, 0xFE, ..] => return Some(false),
        [0xFE, 0xFF, ..] => return Some(true),
        _ => {}
    }
    let head = &bytes[..bytes.len().min(64) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = || head.chunks_exact(2);
    let ascii = |b: u8| b != 0 && b.is_ascii();
    if pairs().all(|p| ascii(p[0]) && p[1] == 0) {
        Some(false)
    } else if pairs().all(|p| p[0] == 0 && ascii(p[1])) {
        Some(true)
    } else {
        None
    }
}

/// Parse a document already in memory. This is the whole per-file pipeline, used by the loader,
/// the watcher's incremental rebuild and the fuzzers.
pub fn parse_document(
    file: Arc<SourceFile>,
    rel_path: &str,
) -> (Option<Document>, Vec<Diagnostic>) {
    let split = match front_matter::split(&file.text) {
        Ok(s) => s,
        Err((problem, span)) => {
            let d = Diagnostic::new(problem, &file, span);
            return (None, vec![d]);
        }
    };
    let toml_text = &file.text[split.front.clone()];
    let (doc, errors) = DeTable::parse_recoverable(toml_text);
    let base = split.front.start;
    let toml_diags: Vec<Diagnostic> = errors
        .into_iter()
        .map(|e| {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().to_string();
            // The TOML parser itself rejects impossible dates; give them their own code.
            let problem = if message.contains("date") || message.contains("time") {
                Problem::InvalidDate { reason: message }
            } else {
                Problem::Toml { message }
            };
            Diagnostic::new(problem, &file, span.start + base..span.end + base)
        })
        .collect();
    let mut cx = Cx::new(&file, base);
    let mut t = Table::new(doc.get_ref(), doc.span(), String::new());
    let kind = t.req_word::<DocKind>(&mut cx, "kind");
    let data = kind.and_then(|k| match k {
        DocKind::Highlight => Highlight::read(&mut t, &mut cx).map(Data::Highlight),
        DocKind::Budget => Budget::read(&mut t, &mut cx).map(Data::Budget),
        DocKind::Indicators => IndicatorSet::read(&mut t, &mut cx).map(Data::Indicators),
        DocKind::Actions => ActionPlan::read(&mut t, &mut cx).map(Data::Actions),
        DocKind::Plan => OperationalPlan::read(&mut t, &mut cx).map(Data::Plan),
        DocKind::Page => Page::read(&mut t, &mut cx).map(Data::Page),
    });
    // Every kind shares these; read after the kind's own keys, so that lists of allowed keys
    // start with the kind's.
    let standing = match kind {
        Some(_) => approval::read(&mut t, &mut cx),
        None => approval::Standing::default(),
    };
    let meta = match kind {
        Some(_) => meeting::read(&mut t, &mut cx),
        None => meeting::PaperMeta::default(),
    };
    let exempt = match kind {
        Some(_) => exempt::read(&mut t, &mut cx),
        None => None,
    };
    // Unknown keys are only meaningful once we know which kind's keys are allowed.
    if kind.is_some() {
        t.finish(&mut cx);
    }
    if !toml_diags.is_empty() {
        // The parser recovered what it could: report the typed problems it still shows, but
        // not missing keys, which may only be missing because the parser dropped them.
        let overlaps = |d: &Diagnostic| {
            toml_diags
                .iter()
                .any(|t| d.span.start <= t.span.end && t.span.start <= d.span.end)
        };
        let typed: Vec<Diagnostic> = cx
            .diags
            .into_iter()
            .filter(|d| !matches!(d.problem, Problem::MissingKey { .. }) && !overlaps(d))
            .collect();
        let mut diags = toml_diags;
        diags.extend(typed);
        crate::diagnostic::sort(&mut diags);
        return (None, crate::diagnostic::limit_per_file(diags));
    }
    if let Some(at) = crate::read::nesting::too_deep(&file.text[split.body.clone()]) {
        let at = split.body.start + at;
        let problem = Problem::TooDeep {
            limit: crate::read::nesting::MAX_DEPTH,
        };
        cx.diags.push(Diagnostic::new(problem, &file, at..at + 1));
    } else {
        for image in alt_text::images_without_alt(&file.text[split.body.clone()]) {
            let span = split.body.start + image.start..split.body.start + image.end;
            cx.diags
                .push(Diagnostic::new(Problem::ImageWithoutAlt, &file, span));
        }
    }
    let tables_marker = data.as_ref().and_then(|d| {
        let (has_tables, kind) = match d {
            Data::Highlight(_) | Data::Budget(_) | Data::Indicators(_) | Data::Actions(_) => {
                (true, "report")
            }
            Data::Plan(_) => (false, "plan's body"),
            Data::Page(_) => (false, "page"),
        };
        let body = &file.text[split.body.clone()];
        markers::scan(
            &file,
            body,
            split.body.start,
            has_tables,
            kind,
            &mut cx.diags,
        )
    });
    let money_symbols = std::mem::take(&mut cx.symbols);
    let diags = crate::diagnostic::limit_per_file(cx.diags);
    let has_errors = diags.iter().any(Diagnostic::is_error);
    let stem = Path::new(rel_path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let doc = data.map(|data| Document {
        body: file.text[split.body.clone()].to_string(),
        body_span: split.body.clone(),
        file: file.clone(),
        rel_path: rel_path.to_string(),
        stem,
        has_errors,
        money_symbols,
        draft: standing.draft,
        approved: standing.approved,
        exempt,
        withheld_document: None,
        meta,
        tables_marker,
        data,
    });
    (doc, diags)
}

impl Document {
    /// The body up to the tables marker, or all of it where there is none.
    pub fn body_before_tables(&self) -> &str {
        match &self.tables_marker {
            Some(m) => self.body.get(..m.start).unwrap_or(&self.body),
            None => &self.body,
        }
    }

    /// The body after the tables marker; empty where there is none.
    pub fn body_after_tables(&self) -> &str {
        match &self.tables_marker {
            Some(m) => self.body.get(m.end..).unwrap_or(""),
            None => "",
        }
    }

    pub fn kind(&self) -> DocKind {
        match self.data {
            Data::Highlight(_) => DocKind::Highlight,
            Data::Budget(_) => DocKind::Budget,
            Data::Indicators(_) => DocKind::Indicators,
            Data::Actions(_) => DocKind::Actions,
            Data::Plan(_) => DocKind::Plan,
            Data::Page(_) => DocKind::Page,
        }
    }

    /// The reporting period of a report. None for a free page, and for a plan, which is for a
    /// year (`OperationalPlan::period`) but is not one of its board packs' reports.
    pub fn period(&self) -> Option<crate::read::period::Period> {
        match &self.data {
            Data::Highlight(h) => Some(h.period),
            Data::Budget(b) => Some(b.period),
            Data::Indicators(i) => Some(i.period),
            Data::Actions(a) => Some(a.period),
            Data::Plan(_) | Data::Page(_) => None,
        }
    }

    /// The folder of the document's page under the site root, with no leading or trailing
    /// `/`: `budget/2009-10-q2`, `programmes/capacity/2009-10-q2`, `plan/2009-10`, or a free
    /// page's slug. The one place a document's address is decided.
    pub fn page_dir(&self) -> Option<String> {
        Some(match &self.data {
            Data::Highlight(h) => format!("programmes/{}/{}", h.programme, h.period.slug()),
            Data::Budget(b) => format!("budget/{}", b.period.slug()),
            Data::Indicators(s) => format!("indicators/{}", s.period.slug()),
            Data::Actions(a) => format!("actions/{}", a.period.slug()),
            Data::Plan(p) => format!("plan/{}", p.period.slug()),
            Data::Page(p) => p.slug.clone().unwrap_or_else(|| self.stem.clone()),
        })
    }

    pub fn title(&self) -> &str {
        match &self.data {
            Data::Highlight(h) => &h.title,
            Data::Budget(b) => &b.title,
            Data::Indicators(i) => &i.title,
            Data::Actions(a) => &a.title,
            Data::Plan(p) => &p.title,
            Data::Page(p) => &p.title,
        }
    }
}
