//! Site configuration: `boardpack.toml`, read with the same located diagnostics as content.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;
use toml::de::DeTable;

use crate::diagnostic::{Diagnostic, Problem};
use crate::read::period::YearStart;
use crate::read::reader::{Cx, Table};
use crate::read::words::RollupRule;
pub use crate::read::words::{FindingsView, Schedule, VarianceSign};
use crate::source::SourceFile;

pub const CONFIG_FILE: &str = "boardpack.toml";

/// The theme built into the binary, used unless `theme` names another.
pub const DEFAULT_THEME: &str = "default";

#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub organisation: String,
    pub title: String,
    pub base_url: String,
    pub language: String,
    pub currency: String,
    #[serde(skip)]
    pub year_start: YearStart,
    pub theme: String,
    /// Where `theme` is set, for a theme that cannot be found.
    #[serde(skip)]
    pub theme_span: Option<std::ops::Range<usize>>,
    pub programmes: Vec<ProgrammeConfig>,
    pub rollup: RollupRule,
    pub tolerances: Tolerances,
    pub variance_sign: VarianceSign,
    pub trust_html: bool,
    pub css_targets: String,
    /// `[history] enabled`: whether `build` reads the site's git history for who changed each
    /// report and figure (see `docs/publishing.md`).
    pub history: bool,
    /// `[exempt] schedule`: the law exempt items cite; England's Schedule 12A by default.
    pub schedule: Schedule,
    /// `[publish] findings`: whether the public site shows readers its findings (the author
    /// view always does); hidden by default, see `docs/publishing.md`.
    pub findings: FindingsView,
    /// `[pdf] enabled`: whether `build` writes each period's board pack as a PDF beside its
    /// page (see `docs/publishing.md`); on by default.
    pub pdf: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeConfig {
    pub id: String,
    pub title: String,
    pub lead: Option<String>,
}

/// Thresholds for budget RAG and for stated-versus-computed progress findings.
#[derive(Debug, Clone, Serialize)]
pub struct Tolerances {
    /// |% variance| above this is amber.
    pub amber: Decimal,
    /// |% variance| above this is red.
    pub red: Decimal,
    /// Stated progress may differ from computed by this many points before it is a finding.
    pub progress: Decimal,
}

impl Default for Tolerances {
    fn default() -> Self {
        Self {
            amber: Decimal::from(5),
            red: Decimal::from(10),
            progress: Decimal::ZERO,
        }
    }
}

impl Config {
    /// A configuration with every default, for tests and `init`.
    pub fn with_names(organisation: &str, title: &str) -> Self {
        Self {
            organisation: organisation.into(),
            title: title.into(),
            base_url: "/".into(),
            language: "en-GB".into(),
            currency: "GBP".into(),
            year_start: YearStart::default(),
            theme: "default".into(),
            theme_span: None,
            programmes: Vec::new(),
            rollup: RollupRule::FloorMean,
            tolerances: Tolerances::default(),
            variance_sign: VarianceSign::ActualMinusPlanned,
            trust_html: false,
            css_targets: "defaults".into(),
            history: true,
            schedule: Schedule::England,
            findings: FindingsView::Hide,
            pdf: true,
        }
    }

    /// Read and check `boardpack.toml` text. Every problem is returned, not just the first.
    pub fn parse(file: &Arc<SourceFile>) -> Result<Config, Vec<Diagnostic>> {
        let (doc, errors) = DeTable::parse_recoverable(&file.text);
        if !errors.is_empty() {
            return Err(errors
                .into_iter()
                .map(|e| {
                    Diagnostic::new(
                        Problem::Toml {
                            message: e.message().to_string(),
                        },
                        file,
                        e.span().unwrap_or(0..0),
                    )
                })
                .collect());
        }
        let mut cx = Cx::new(file, 0);
        let mut t = Table::new(doc.get_ref(), doc.span(), String::new());
        let organisation = t.req_text(&mut cx, "organisation");
        let title = t.req_text(&mut cx, "title");
        let mut c = Config::with_names("", "");
        if let Some(v) = t.get("base_url") {
            let span = v.span();
            if let Some(url) = t.text(&mut cx, "base_url") {
                match base_url_problem(&url) {
                    Some(reason) => cx.report(Problem::InvalidBaseUrl { url, reason }, span),
                    None => {
                        c.base_url = if url.ends_with('/') {
                            url
                        } else {
                            format!("{url}/")
                        }
                    }
                }
            }
        }
        if let Some(v) = t.text(&mut cx, "language") {
            c.language = v;
        }
        if let Some(v) = t.get("currency") {
            let span = v.span();
            if let Some(code) = t.text(&mut cx, "currency") {
                if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
                    c.currency = code;
                } else {
                    cx.report(Problem::InvalidCurrency { code }, span);
                }
            }
        }
        if let Some(v) = t.get("financial_year_start") {
            let span = v.span();
            if let Some(s) = t.text(&mut cx, "financial_year_start") {
                match YearStart::parse(&s) {
                    Some(ys) => c.year_start = ys,
                    None => cx.report(
                        Problem::InvalidDate {
                            reason: format!("financial_year_start `{s}` should be a month and day, MM-DD, such as 04-01"),
                        },
                        span,
                    ),
                }
            }
        }
        if let Some(v) = t.get("theme") {
            let span = v.span();
            if let Some(name) = t.text(&mut cx, "theme") {
                match theme_name_problem(&name) {
                    Some(reason) => cx.report(
                        Problem::InvalidTheme {
                            name,
                            reason: reason.into(),
                        },
                        span,
                    ),
                    None => {
                        c.theme = name;
                        c.theme_span = Some(span);
                    }
                }
            }
        }
        let mut first_at: std::collections::HashMap<String, usize> = Default::default();
        for mut p in t.tables(&mut cx, "programmes") {
            let id = p.req_id(&mut cx, "id");
            if let Some(id) = &id {
                match first_at.get(&id.value) {
                    Some(&at) => {
                        let (l, col) = file.line_col(at);
                        cx.diags.push(Diagnostic::new(
                            Problem::DuplicateId {
                                what: "programme",
                                id: id.value.clone(),
                                first: format!("{CONFIG_FILE}:{l}:{col}"),
                            },
                            file,
                            id.span.clone(),
                        ));
                    }
                    None => {
                        first_at.insert(id.value.clone(), id.span.start);
                    }
                }
            }
            let title = p.req_text(&mut cx, "title");
            let lead = p.text(&mut cx, "lead");
            p.finish(&mut cx);
            if let (Some(id), Some(title)) = (id, title) {
                c.programmes.push(ProgrammeConfig {
                    id: id.value,
                    title,
                    lead,
                });
            }
        }
        if let Some(mut r) = t.table(&mut cx, "rollup") {
            if let Some(rule) = r.word(&mut cx, "rule") {
                c.rollup = rule;
            }
            r.finish(&mut cx);
        }
        if let Some(mut r) = t.table(&mut cx, "tolerances") {
            if let Some(v) = r.percent(&mut cx, "amber") {
                c.tolerances.amber = v;
            }
            if let Some(v) = r.percent(&mut cx, "red") {
                c.tolerances.red = v;
            }
            if let Some(v) = r.percent(&mut cx, "progress") {
                c.tolerances.progress = v;
            }
            r.finish(&mut cx);
        }
        if let Some(mut b) = t.table(&mut cx, "budget") {
            if let Some(v) = b.word(&mut cx, "variance_sign") {
                c.variance_sign = v;
            }
            b.finish(&mut cx);
        }
        if let Some(mut m) = t.table(&mut cx, "markdown") {
            if let Some(v) = m.boolean(&mut cx, "trust_html") {
                c.trust_html = v;
            }
            m.finish(&mut cx);
        }
        if let Some(mut b) = t.table(&mut cx, "build") {
            if let Some(v) = b.text(&mut cx, "css_targets") {
                c.css_targets = v;
            }
            b.finish(&mut cx);
        }
        if let Some(mut h) = t.table(&mut cx, "history") {
            if let Some(v) = h.boolean(&mut cx, "enabled") {
                c.history = v;
            }
            h.finish(&mut cx);
        }
        if let Some(mut e) = t.table(&mut cx, "exempt") {
            if let Some(v) = e.word(&mut cx, "schedule") {
                c.schedule = v;
            }
            e.finish(&mut cx);
        }
        if let Some(mut p) = t.table(&mut cx, "pdf") {
            if let Some(v) = p.boolean(&mut cx, "enabled") {
                c.pdf = v;
            }
            p.finish(&mut cx);
        }
        if let Some(mut p) = t.table(&mut cx, "publish") {
            if let Some(v) = p.word(&mut cx, "findings") {
                c.findings = v;
            }
            p.finish(&mut cx);
        }
        t.finish(&mut cx);
        match (organisation, title, cx.diags.is_empty()) {
            (Some(o), Some(ti), true) => {
                c.organisation = o;
                c.title = ti;
                Ok(c)
            }
            _ => {
                let mut diags = cx.diags;
                crate::diagnostic::sort(&mut diags);
                Err(diags)
            }
        }
    }
}

/// Why `base_url` cannot begin every link of the site, if it cannot. Links are written as
/// `base_url` then a path, into `href` and `src` attributes: it must be a web address
/// (`http://` or `https://`, with a host) or an absolute path on the server (`/board/`).
/// Anything else (`javascript:alert(1)`, `data:`, `file:`, a relative `board/`, which would
/// resolve differently on every page) is refused.
pub fn base_url_problem(url: &str) -> Option<&'static str> {
    if url.chars().any(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\')
    }) {
        return Some("holds white space, quotes or other characters that cannot be in a link");
    }
    if url.contains(['?', '#']) {
        return Some(
            "has a query or fragment (`?` or `#`), so the paths after it would not be paths",
        );
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split('/').next().unwrap_or("");
            if host.is_empty() || host.starts_with(['.', ':', '@']) {
                Some("has no host after `://`")
            } else {
                None
            }
        }
        None if url.starts_with("//") => {
            Some("starts with `//`, so browsers would take the first part for a host")
        }
        None if url.starts_with('/') => None,
        None if url.contains(':') => Some("is not an http:// or https:// address"),
        None => Some("is neither a web address nor a path starting with `/`"),
    }
}

/// Why `theme` cannot name a folder under `themes/`, if it cannot: a theme is one folder name,
/// so that `"/abs/path"` or `"../x"` cannot load templates and static files from elsewhere and
/// publish them.
pub fn theme_name_problem(name: &str) -> Option<&'static str> {
    if name.contains(['/', '\\']) || name.starts_with('.') || name.contains(':') {
        Some("is not a plain folder name: a theme is a folder directly under themes/")
    } else if name.chars().any(|c| c.is_control()) {
        Some("holds control characters")
    } else {
        None
    }
}

impl Config {
    /// Check what the configuration names on disk under the site `root`: the theme, unless it is
    /// the built-in default. `file` is `boardpack.toml`, for the location.
    pub fn check_on_disk(&self, root: &Path, file: &Arc<SourceFile>) -> Vec<Diagnostic> {
        let dir = root.join(crate::layout::THEMES).join(&self.theme);
        if self.theme == DEFAULT_THEME || dir.is_dir() {
            return Vec::new();
        }
        let mut available: Vec<String> = std::fs::read_dir(root.join(crate::layout::THEMES))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().is_dir())
                    .filter_map(|e| e.file_name().to_str().map(str::to_string))
                    .filter(|n| !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        available.sort();
        available.push(DEFAULT_THEME.to_string());
        let reason = format!(
            "is not a folder under themes/; the site has: {}",
            available.join(", ")
        );
        vec![Diagnostic::new(
            Problem::InvalidTheme {
                name: self.theme.clone(),
                reason,
            },
            file,
            self.theme_span.clone().unwrap_or(0..0),
        )]
    }
}

/// Why `boardpack.toml` could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// It could not be read at all.
    Read(std::io::Error),
    /// It was read, and is invalid or names a theme the site does not have.
    Invalid(Vec<Diagnostic>),
}

/// Read `root/boardpack.toml`, parse it and check what it names on disk: the one way `check`,
/// `build` and `serve` load a site's configuration.
pub fn load(root: &Path) -> Result<Config, LoadError> {
    let path = root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&path).map_err(LoadError::Read)?;
    let file = SourceFile::new(&path, CONFIG_FILE, text);
    let config = Config::parse(&file).map_err(LoadError::Invalid)?;
    match config.check_on_disk(root, &file) {
        d if d.is_empty() => Ok(config),
        d => Err(LoadError::Invalid(d)),
    }
}

/// The nearest directory at or above `start` that holds `boardpack.toml`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(&SourceFile::new(
            "boardpack.toml",
            "boardpack.toml",
            text.into(),
        ))
    }

    #[test]
    fn defaults() {
        let c = parse("organisation = \"O\"\ntitle = \"T\"\n").unwrap();
        assert_eq!(c.currency, "GBP");
        assert_eq!(c.year_start, YearStart::default());
        assert_eq!(c.rollup, RollupRule::FloorMean);
    }

    #[test]
    fn unknown_keys_suggest_the_nearest() {
        let errs = parse(
            "organisation = \"O\"\ntitle = \"T\"\ncurrancy = \"GBP\"\n[tolerances]\namberr = 3\n",
        )
        .unwrap_err();
        let msgs: Vec<_> = errs
            .iter()
            .map(|d| (d.problem.to_string(), d.problem.help()))
            .collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert_eq!(msgs[0].1.as_deref(), Some("did you mean `currency`?"));
        assert_eq!(msgs[1].0, "unknown key `tolerances.amberr`");
        assert_eq!(errs[0].line_col(), Some((3, 1)));
    }
}
