//! Templates: Tera 2, compiled once per build from the theme's `templates/` folder and the site's
//! own `templates/` folder.
//!
//! Theme templates are registered as `theme/<name>` and the site's as `<name>`, with `theme/` as
//! Tera's fallback prefix. So `{% extends "base.html" %}`, `{% include %}` and rendering a page
//! find the site's file first and the theme's otherwise; a site template can still reach the
//! theme's original as `theme/<name>`, for example to extend it and replace one block.
//! Components defined in a site template replace the theme's components of the same name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::Decimal;
use tera::{Context, ErrorKind, Kwargs, State, Tera, TeraResult, Value};

use crate::aggregate::format;
use crate::error::Error;
use crate::read::words::{
    ActivityKind, ActivityStatus, BudgetStatus, GroupKind, IndicatorStatus, Judgement, Polarity,
    Term, Unit, Word,
};
use crate::render::markdown::{Markdown, RenderOptions};
use crate::render::theme::{Theme, ThemeFile, files_on_disk};

/// The prefix theme templates are registered under.
pub const THEME_PREFIX: &str = "theme/";

/// Template names carry these suffixes when Tera escapes their output.
const AUTOESCAPE: [&str; 3] = [".html", ".htm", ".xml"];

/// A compiled set of templates, shared read-only by every rendering thread.
pub struct Templates {
    tera: Tera,
    /// Template name → the file it came from, for messages.
    origins: BTreeMap<String, PathBuf>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("templates", &self.origins.keys())
            .finish()
    }
}

impl Templates {
    /// Compile the theme's templates and the site's overrides under `root/templates`.
    pub fn load(theme: &Theme, root: &Path, markdown: Arc<Markdown>) -> Result<Self, Error> {
        let theme_files = theme.files(crate::layout::TEMPLATES)?;
        let site_files = files_on_disk(&root.join(crate::layout::TEMPLATES), root)?;
        let mut named: Vec<(String, &ThemeFile)> =
            Vec::with_capacity(theme_files.len() + site_files.len());
        named.extend(
            theme_files
                .iter()
                .map(|f| (format!("{THEME_PREFIX}{}", f.rel), f)),
        );
        named.extend(site_files.iter().map(|f| (f.rel.clone(), f)));
        Self::compile(&named, markdown)
    }

    /// Compile templates held in memory: `(name, file)` pairs, theme files named `theme/…`.
    fn compile(files: &[(String, &ThemeFile)], markdown: Arc<Markdown>) -> Result<Self, Error> {
        let origins: BTreeMap<String, PathBuf> = files
            .iter()
            .map(|(name, f)| (name.clone(), f.origin.clone()))
            .collect();
        let mut sources = Vec::with_capacity(files.len());
        for (name, f) in files {
            sources.push((name.as_str(), f.text()?));
        }
        let mut tera = Tera::new();
        tera.set_fallback_prefixes([THEME_PREFIX])
            .map_err(|e| error(e, &origins))?;
        tera.autoescape_on(AUTOESCAPE);
        register(&mut tera, markdown);
        tera.add_raw_templates(sources)
            .map_err(|e| error(e, &origins))?;
        Ok(Self { tera, origins })
    }

    /// Compile templates given as text, for tests: theme templates named `theme/…`.
    pub fn from_strings(
        templates: &[(&str, &str)],
        markdown: Arc<Markdown>,
    ) -> Result<Self, Error> {
        let files: Vec<ThemeFile> = templates
            .iter()
            .map(|(name, text)| ThemeFile {
                rel: (*name).to_string(),
                origin: PathBuf::from(name),
                bytes: text.as_bytes().to_vec().into(),
            })
            .collect();
        let named: Vec<(String, &ThemeFile)> = files.iter().map(|f| (f.rel.clone(), f)).collect();
        Self::compile(&named, markdown)
    }

    /// Whether a template of this name exists, in the site or the theme.
    pub fn contains(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Render a template to bytes.
    pub fn render(&self, name: &str, context: &Context) -> Result<Vec<u8>, Error> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(name, context, &mut out)
            .map_err(|e| error(e, &self.origins))?;
        Ok(out)
    }
}

/// Register boardpack's filters.
fn register(tera: &mut Tera, markdown: Arc<Markdown>) {
    tera.register_filter("money", money);
    tera.register_filter("pounds", pounds);
    tera.register_filter("percent", percent);
    tera.register_filter("date", date);
    tera.register_filter("label", label);
    tera.register_filter("shift_headings", shift_headings);
    tera.register_filter(
        "markdown",
        move |v: &Value, kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let Some(text) = text_or_nothing(v)? else {
                return Ok(Value::safe_string(""));
            };
            let top: Option<i64> = kwargs.get("top")?;
            let id: Option<String> = kwargs.get("id")?;
            // The URL of the page the text was written for, which its relative links are
            // resolved against: a report's, where the text is shown on other pages too.
            let page: Option<String> = kwargs.get("page")?;
            let top_heading = u8::try_from(top.unwrap_or(2).clamp(1, 6)).unwrap_or(2);
            let html = markdown.render_for(
                text,
                RenderOptions {
                    top_heading,
                    id_prefix: id.as_deref(),
                },
                page.as_deref().filter(|p| !p.is_empty()),
            );
            Ok(Value::safe_string(&html))
        },
    );
}

/// `{{ report.html | shift_headings(by=1) }}`: a report's body, rendered once at its own page's
/// heading level, with every heading moved down `by` levels (default 1) for a page that nests
/// it one level deeper, the board pack. Markup stays marked safe only if it was: text from
/// anywhere else is escaped as ever.
fn shift_headings(v: &Value, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let Some(html) = text_or_nothing(v)? else {
        return Ok(Value::safe_string(""));
    };
    let by: Option<i64> = kwargs.get("by")?;
    let by = u8::try_from(by.unwrap_or(1).clamp(0, 5)).unwrap_or(1);
    let shifted = crate::render::fragment::shift_headings(html, by);
    Ok(if v.is_safe() {
        Value::safe_string(&shifted)
    } else {
        Value::from(shifted)
    })
}

/// `none` and undefined values render as nothing, so optional fields need no `if`.
fn text_or_nothing(v: &Value) -> TeraResult<Option<&str>> {
    if v.is_none() || v.is_undefined() {
        return Ok(None);
    }
    v.as_str()
        .map(Some)
        .ok_or_else(|| tera::Error::message(format!("expected text, found {}", v.name())))
}

/// A number from the model: decimals arrive as strings (exact), integers as numbers.
fn decimal(v: &Value) -> TeraResult<Option<Decimal>> {
    if v.is_none() || v.is_undefined() {
        return Ok(None);
    }
    if let Some(s) = v.as_str() {
        return Decimal::from_str(s.trim())
            .map(Some)
            .map_err(|_| tera::Error::message(format!("`{s}` is not a number")));
    }
    if let Some(i) = v.as_i64() {
        return Ok(Some(Decimal::from(i)));
    }
    if let Some(f) = v.as_f64() {
        return Decimal::from_str(&f.to_string())
            .map(Some)
            .map_err(|_| tera::Error::message(format!("`{f}` is not a finite number")));
    }
    Err(tera::Error::message(format!(
        "expected a number, found {}",
        v.name()
    )))
}

fn number_filter(v: &Value, f: fn(Decimal) -> String) -> TeraResult<String> {
    Ok(decimal(v)?.map(f).unwrap_or_default())
}

/// `1,879,193`, `(45,594)`: whole pounds, negatives in brackets.
fn money(v: &Value, _: Kwargs, _: &State) -> TeraResult<String> {
    number_filter(v, format::money)
}

/// `£1,879,193`, `(£45,594)`.
fn pounds(v: &Value, _: Kwargs, _: &State) -> TeraResult<String> {
    number_filter(v, format::pounds)
}

/// `50%`, `(3%)`: a whole per cent.
fn percent(v: &Value, _: Kwargs, _: &State) -> TeraResult<String> {
    number_filter(v, format::percent)
}

/// A date as UK readers write it: `30/09/2009` (default, `format="short"`), `30 September 2009`
/// (`format="long"`) or `2009-09-30` (`format="iso"`, for `<time datetime>`).
fn date(v: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let Some(text) = text_or_nothing(v)? else {
        return Ok(String::new());
    };
    let d = jiff::civil::Date::from_str(text.trim())
        .map_err(|e| tera::Error::message(format!("`{text}` is not a date: {e}")))?;
    let fmt: Option<String> = kwargs.get("format")?;
    match fmt.as_deref().unwrap_or("short") {
        "short" => Ok(format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())),
        "long" => {
            let month = crate::read::period::month_name(d);
            Ok(format!("{} {month} {}", d.day(), d.year()))
        }
        "iso" => Ok(d.to_string()),
        other => Err(tera::Error::message(format!(
            "unknown date format `{other}`: use \"short\", \"long\" or \"iso\""
        ))),
    }
}

/// The reader's spelling of a status word's key: `in-progress` → `In progress`. Uses the
/// vocabularies' own labels, so pages say what `boardpack check` says.
fn label(v: &Value, _: Kwargs, _: &State) -> TeraResult<String> {
    Ok(text_or_nothing(v)?.map(label_of).unwrap_or_default())
}

/// [`label`] for one key, for what else prints status words (the PDF board pack).
pub(crate) fn label_of(key: &str) -> String {
    fn try_word<W: Word + std::fmt::Display>(key: &str) -> Option<String> {
        W::parse(key).map(|w| w.to_string())
    }
    let found = try_word::<ActivityStatus>(key)
        .or_else(|| try_word::<BudgetStatus>(key))
        .or_else(|| try_word::<IndicatorStatus>(key))
        .or_else(|| try_word::<Judgement>(key))
        .or_else(|| try_word::<ActivityKind>(key))
        .or_else(|| try_word::<Term>(key))
        .or_else(|| try_word::<Unit>(key))
        .or_else(|| try_word::<Polarity>(key))
        .or_else(|| try_word::<GroupKind>(key));
    found.unwrap_or_else(|| {
        let spaced = key.replace('-', " ");
        let mut c = spaced.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    })
}

/// An ISO date as the `date` filter's short form, `30/09/2009`; anything else as it is.
pub(crate) fn date_short(iso: &str) -> String {
    match jiff::civil::Date::from_str(iso.trim()) {
        Ok(d) => format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year()),
        Err(_) => iso.to_string(),
    }
}

/// An ISO date as the `date` filter's long form, `30 September 2009`; anything else as it is.
pub(crate) fn date_long(iso: &str) -> String {
    match jiff::civil::Date::from_str(iso.trim()) {
        Ok(d) => format!(
            "{} {} {}",
            d.day(),
            crate::read::period::month_name(d),
            d.year()
        ),
        Err(_) => iso.to_string(),
    }
}

/// A Tera error as a boardpack error that names the template file and line.
fn error(e: tera::Error, origins: &BTreeMap<String, PathBuf>) -> Error {
    let path_of = |name: &str| {
        origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(name))
    };
    let chain = |mut message: String| {
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            source = s.source();
        }
        message
    };
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Error::Template {
            path: path_of(r.filename()),
            line: Some(r.span().start_line),
            column: Some(r.span().start_col + 1),
            message: chain(r.message().to_string()),
        },
        ErrorKind::Msg(m) => {
            // Tera reports unknown filters, components and includes found while checking the
            // whole set as text: `error: <message>\n --> <name>:<line>:<col>`.
            let message = m
                .lines()
                .next()
                .unwrap_or_default()
                .trim_start_matches("error: ")
                .to_string();
            let locus = m
                .lines()
                .find_map(|l| l.trim_start().strip_prefix("--> "))
                .and_then(|l| {
                    let mut parts = l.rsplitn(3, ':');
                    let col = parts.next()?.parse::<usize>().ok()?;
                    let line = parts.next()?.parse::<usize>().ok()?;
                    Some((parts.next()?.to_string(), line, col))
                });
            match locus {
                Some((name, line, col)) => Error::Template {
                    path: path_of(&name),
                    line: Some(line),
                    column: Some(col),
                    message: chain(message),
                },
                None => Error::Template {
                    path: PathBuf::from("templates"),
                    line: None,
                    column: None,
                    message: chain(m.clone()),
                },
            }
        }
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            Error::Template {
                path: path_of(tpl),
                line: None,
                column: None,
                message: chain(e.to_string()),
            }
        }
        ErrorKind::MissingParent { current, .. } => Error::Template {
            path: path_of(current),
            line: None,
            column: None,
            message: chain(e.to_string()),
        },
        ErrorKind::TemplateNotFound(name) => Error::Template {
            path: PathBuf::from(name),
            line: None,
            column: None,
            message: chain(format!(
                "no template named `{name}` in the site or the theme"
            )),
        },
        _ => Error::Template {
            path: PathBuf::from("templates"),
            line: None,
            column: None,
            message: chain(e.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn templates(list: &[(&str, &str)]) -> Result<Templates, Error> {
        Templates::from_strings(list, Arc::new(Markdown::new(false)))
    }

    fn render(tpl: &str, ctx: &Context) -> String {
        let t = templates(&[("page.html", tpl)]).unwrap();
        String::from_utf8(t.render("page.html", ctx).unwrap()).unwrap()
    }

    #[test]
    fn filters_format_the_uk_way() {
        let mut ctx = Context::new();
        ctx.insert("a", "-45594");
        ctx.insert("b", "1879193.5");
        ctx.insert("p", "50");
        ctx.insert("n", &7);
        ctx.insert("d", "2009-09-30");
        ctx.insert("none", &Option::<String>::None);
        let out = render(
            "{{ a | money }}|{{ b | pounds }}|{{ p | percent }}|{{ n | money }}|{{ d | date }}|{{ d | date(format=\"long\") }}|{{ none | money }}|{{ 'in-progress' | label }}|{{ 'no-budget' | label }}",
            &ctx,
        );
        assert_eq!(
            out,
            "(45,594)|£1,879,194|50%|7|30/09/2009|30 September 2009||In progress|No budget"
        );
    }

    #[test]
    fn text_is_escaped_and_markdown_is_sanitised() {
        let mut ctx = Context::new();
        ctx.insert("title", "<script>alert(1)</script>");
        ctx.insert("body", "# Head\n\n<script>x()</script>\n\nThis is *ok*.");
        let out = render(
            "<h1>{{ title }}</h1>{{ body | markdown(top=2, id=\"x\") }}",
            &ctx,
        );
        assert!(out.starts_with("<h1>&lt;script&gt;"), "{out}");
        assert!(out.contains("<h2>Head</h2>"), "{out}");
        assert!(out.contains("<em>ok</em>"), "{out}");
        assert!(!out.contains("<script>"), "{out}");
    }

    #[test]
    fn shift_headings_keeps_markup_safe_only_if_it_was() {
        let mut ctx = Context::new();
        ctx.insert_value("made", Value::safe_string("<h2 id=\"a\">A</h2><h6>B</h6>"));
        ctx.insert("typed", "<h2>x</h2>");
        let out = render(
            "{{ made | shift_headings }}|{{ made | shift_headings(by=2) }}|{{ typed | shift_headings }}|{{ nothing | shift_headings }}",
            &ctx,
        );
        assert_eq!(
            out,
            "<h3 id=\"a\">A</h3><h6>B</h6>|<h4 id=\"a\">A</h4><h6>B</h6>|&lt;h3&gt;x&lt;/h3&gt;|"
        );
    }

    #[test]
    fn site_templates_override_theme_templates() {
        let t = templates(&[
            ("theme/base.html", "<t>{% block main %}theme{% endblock main %}</t>"),
            ("theme/page.html", "{% extends \"base.html\" %}{% block main %}page{% endblock main %}"),
            ("base.html", "{% extends \"theme/base.html\" %}{% block main %}site+{{ super() }}{% endblock main %}"),
        ])
        .unwrap();
        let out = String::from_utf8(t.render("page.html", &Context::new()).unwrap()).unwrap();
        assert_eq!(out, "<t>page</t>");
        let out = String::from_utf8(t.render("base.html", &Context::new()).unwrap()).unwrap();
        assert_eq!(out, "<t>site+theme</t>");
    }

    #[test]
    fn syntax_errors_name_the_file_and_line() {
        let err = templates(&[
            ("theme/ok.html", "fine"),
            ("broken.html", "line one\n{% if x %}\nno end"),
        ])
        .unwrap_err();
        match err {
            Error::Template { path, line, .. } => {
                assert_eq!(path, PathBuf::from("broken.html"));
                assert_eq!(line, Some(3));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_filters_name_the_file_and_line() {
        let err = templates(&[("a.html", "one\ntwo {{ x | nope }}")]).unwrap_err();
        match err {
            Error::Template {
                path,
                line,
                message,
                ..
            } => {
                assert_eq!(path, PathBuf::from("a.html"));
                assert_eq!(line, Some(2));
                assert!(message.contains("Unknown filter `nope`"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rendering_errors_name_the_file_and_line() {
        let t = templates(&[("a.html", "one\n{{ missing.field }}")]).unwrap();
        let err = t.render("a.html", &Context::new()).unwrap_err();
        assert!(
            matches!(err, Error::Template { line: Some(2), .. }),
            "{err:?}"
        );
        assert!(
            err.to_string().starts_with("template error in a.html:2:"),
            "{err}"
        );
    }

    #[test]
    fn maps_iterate_in_field_order() {
        #[derive(serde::Serialize)]
        struct Many {
            zulu: u8,
            alpha: u8,
            mike: u8,
            bravo: u8,
            yankee: u8,
            charlie: u8,
            xray: u8,
            delta: u8,
        }
        let mut ctx = Context::new();
        ctx.insert(
            "m",
            &Many {
                zulu: 0,
                alpha: 0,
                mike: 0,
                bravo: 0,
                yankee: 0,
                charlie: 0,
                xray: 0,
                delta: 0,
            },
        );
        let out = render("{% for k, v in m %}{{ k }} {% endfor %}", &ctx);
        assert_eq!(out, "zulu alpha mike bravo yankee charlie xray delta ");
    }

    #[test]
    fn bad_numbers_are_errors() {
        let t = templates(&[("a.html", "{{ x | money }}")]).unwrap();
        let mut ctx = Context::new();
        ctx.insert("x", "lots");
        assert!(t.render("a.html", &ctx).is_err());
    }
}
