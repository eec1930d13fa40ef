//! The stylesheet: the theme's `static/css/main.css` and the partials it `@import`s, bundled,
//! compiled for the site's browser targets and minified by lightningcss, then written under a
//! name that carries a hash of its content, so browsers can cache it for ever.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use lightningcss::bundler::{Bundler, ResolveResult, SourceProvider};
use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions};
use lightningcss::targets::{Browsers, Targets};

use crate::error::Error;
use crate::render::theme::ThemeFile;

/// The stylesheet every page links to, relative to `static/`.
pub const ENTRY: &str = "css/main.css";

/// A built stylesheet.
#[derive(Debug, Clone)]
pub struct Stylesheet {
    /// Where it is written in the output, and its URL relative to `base_url`:
    /// `css/main.1a2b3c4d.css`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Serves the stylesheets of the theme (with the site's overrides laid over them) from memory.
struct Provider {
    /// `css/main.css` → text.
    files: BTreeMap<String, String>,
}

impl SourceProvider for Provider {
    type Error = std::io::Error;

    fn read<'a>(&'a self, file: &Path) -> Result<&'a str, Self::Error> {
        let key = slash(file);
        self.files.get(&key).map(String::as_str).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("no stylesheet `{key}` in the theme or the site"),
            )
        })
    }

    fn resolve(
        &self,
        specifier: &str,
        originating_file: &Path,
    ) -> Result<ResolveResult, Self::Error> {
        if specifier.contains("://") || specifier.starts_with("//") {
            return Ok(ResolveResult::External(specifier.to_string()));
        }
        let base = originating_file.parent().unwrap_or(Path::new(""));
        Ok(ResolveResult::File(normalise(&base.join(specifier))))
    }
}

/// Resolve `.` and `..` without touching the file system; a path cannot climb above `static/`.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(s) => out.push(s),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    out
}

fn slash(p: &Path) -> String {
    p.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Browser targets from a browserslist query such as `defaults` or `> 0.5%, last 2 versions`.
/// The browser data is built into the binary, so this works offline.
pub fn targets(query: &str) -> Result<Targets, Error> {
    let browsers = Browsers::from_browserslist([query]).map_err(|e| Error::Css {
        path: PathBuf::from(crate::config::CONFIG_FILE),
        line: None,
        column: None,
        message: format!("build.css_targets `{query}` is not a browserslist query: {e}"),
    })?;
    Ok(Targets {
        browsers,
        ..Targets::default()
    })
}

/// Bundle, compile and minify `css/main.css` from the given static files.
pub fn build(statics: &[ThemeFile], css_targets: &str) -> Result<Stylesheet, Error> {
    let mut files = BTreeMap::new();
    let mut origins = BTreeMap::new();
    for f in statics.iter().filter(|f| f.rel.ends_with(".css")) {
        files.insert(f.rel.clone(), f.text()?.to_string());
        origins.insert(f.rel.clone(), f.origin.clone());
    }
    let origin = |name: &str| {
        origins
            .get(&slash(Path::new(name)))
            .cloned()
            .unwrap_or_else(|| PathBuf::from("static").join(name))
    };
    if !files.contains_key(ENTRY) {
        return Err(Error::Css {
            path: PathBuf::from("static").join(ENTRY),
            line: None,
            column: None,
            message: "the theme has no main stylesheet".into(),
        });
    }
    let targets = targets(css_targets)?;
    let provider = Provider { files };
    let mut bundler = Bundler::new(&provider, None, ParserOptions::default());
    let mut sheet = bundler.bundle(Path::new(ENTRY)).map_err(|e| {
        let (path, line, column) = match &e.loc {
            Some(l) => (
                origin(&l.filename),
                Some(l.line as usize + 1),
                Some(l.column as usize),
            ),
            None => (origin(ENTRY), None, None),
        };
        Error::Css {
            path,
            line,
            column,
            message: e.kind.to_string(),
        }
    })?;
    sheet
        .minify(MinifyOptions {
            targets,
            ..MinifyOptions::default()
        })
        .map_err(|e| Error::Css {
            path: origin(ENTRY),
            line: e.loc.as_ref().map(|l| l.line as usize + 1),
            column: e.loc.as_ref().map(|l| l.column as usize),
            message: e.kind.to_string(),
        })?;
    let css = sheet
        .to_css(PrinterOptions {
            minify: true,
            targets,
            ..PrinterOptions::default()
        })
        .map_err(|e| Error::Css {
            path: origin(ENTRY),
            line: None,
            column: None,
            message: e.kind.to_string(),
        })?;
    let bytes = css.code.into_bytes();
    Ok(Stylesheet {
        path: format!("css/main.{}.css", hash8(&bytes)),
        bytes,
    })
}

/// The first eight hex digits of the SHA-256 of the bytes.
fn hash8(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)[..4]
        .iter()
        .fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(rel: &str, text: &str) -> ThemeFile {
        ThemeFile {
            rel: rel.into(),
            origin: PathBuf::from("static").join(rel),
            bytes: text.as_bytes().to_vec().into(),
        }
    }

    #[test]
    fn imports_are_bundled_and_minified() {
        let files = [
            file(
                "css/main.css",
                "@import \"parts/_a.css\";\n.b { color: #ff0000; }\n",
            ),
            file(
                "css/parts/_a.css",
                "@import \"../_c.css\";\n.a {\n  margin: 0px;\n}\n",
            ),
            file("css/_c.css", ".c { padding: 0 }"),
        ];
        let sheet = build(&files, "defaults").unwrap();
        let css = String::from_utf8(sheet.bytes.clone()).unwrap();
        assert_eq!(css, ".c{padding:0}.a{margin:0}.b{color:red}");
        assert!(sheet.path.starts_with("css/main.") && sheet.path.ends_with(".css"));
        assert_eq!(sheet.path.len(), "css/main.12345678.css".len());
        // Same input, same name and bytes.
        let again = build(&files, "defaults").unwrap();
        assert_eq!((again.path, again.bytes), (sheet.path, sheet.bytes));
    }

    #[test]
    fn targets_change_the_output() {
        let files = [file("css/main.css", ".a { user-select: none; inset: 0 }")];
        let old = String::from_utf8(build(&files, "safari 10").unwrap().bytes).unwrap();
        let new = String::from_utf8(build(&files, "last 1 chrome version").unwrap().bytes).unwrap();
        assert!(old.contains("-webkit-user-select"), "{old}");
        assert!(!new.contains("-webkit-user-select"), "{new}");
    }

    #[test]
    fn missing_imports_and_bad_queries_are_errors() {
        let err = build(
            &[file("css/main.css", "@import \"_gone.css\";")],
            "defaults",
        )
        .unwrap_err();
        assert!(matches!(err, Error::Css { .. }), "{err:?}");
        let err = build(&[file("css/main.css", ".a{}")], "not a query at all ~~").unwrap_err();
        assert!(err.to_string().contains("css_targets"), "{err}");
    }

    #[test]
    fn syntax_errors_carry_the_partial_and_line() {
        let files = [
            file("css/main.css", "@import \"_p.css\";"),
            file(
                "css/_p.css",
                ".a { color: red; }\n\n.b:::x { color: red; }\n",
            ),
        ];
        match build(&files, "defaults") {
            Err(Error::Css { path, line, .. }) => {
                assert_eq!(path, PathBuf::from("static/css/_p.css"));
                assert_eq!(line, Some(3));
            }
            other => panic!("{other:?}"),
        }
    }
}
