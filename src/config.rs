//! Site configuration: `boardpack.toml`, read with the same located diagnostics as content.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;
use toml::de::DeTable;

use crate::content::period::YearStart;
use crate::content::reader::{Cx, Table};
use crate::content::words::RollupRule;
pub use crate::content::words::VarianceSign;
use crate::diagnostic::{Diagnostic, Problem};
use crate::source::SourceFile;

pub const CONFIG_FILE: &str = "boardpack.toml";

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
    pub programmes: Vec<ProgrammeConfig>,
    pub rollup: RollupRule,
    pub tolerances: Tolerances,
    pub variance_sign: VarianceSign,
    pub trust_html: bool,
    pub css_targets: String,
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
            programmes: Vec::new(),
            rollup: RollupRule::FloorMean,
            tolerances: Tolerances::default(),
            variance_sign: VarianceSign::ActualMinusPlanned,
            trust_html: false,
            css_targets: "defaults".into(),
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
        if let Some(v) = t.text(&mut cx, "base_url") {
            c.base_url = if v.ends_with('/') { v } else { format!("{v}/") };
        }
        if let Some(v) = t.text(&mut cx, "language") {
            c.language = v;
        }
        if let Some(v) = t.text(&mut cx, "currency") {
            c.currency = v;
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
        if let Some(v) = t.text(&mut cx, "theme") {
            c.theme = v;
        }
        for mut p in t.tables(&mut cx, "programmes") {
            let id = p.req_id(&mut cx, "id");
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
