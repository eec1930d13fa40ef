//! Errors that stop a command outright: missing sites, I/O failures, refused overwrites.
//! Content problems are not errors of this kind; they are collected as diagnostics.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no {file} found in {} or any directory above it", start.display())]
    NoRoot { start: PathBuf, file: &'static str },
    #[error("{} has no {file}: --root must name a site's top directory", path.display())]
    NotASite { path: PathBuf, file: &'static str },
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("serve: {message}")]
    Serve { message: String },
    #[error("{} already exists; boardpack init never overwrites files", path.display())]
    Exists { path: PathBuf },
    #[error("{} has {} problem(s)", file, diagnostics.len())]
    Config {
        file: String,
        diagnostics: Vec<Diagnostic>,
    },
    #[error("theme `{name}` not found: there is no folder {}", path.display())]
    ThemeNotFound { name: String, path: PathBuf },
    #[error("theme `{name}` is a symbolic link outside the site: {} is not read", path.display())]
    ThemeOutsideSite { name: String, path: PathBuf },
    #[error("template error in {}{}: {message}", path.display(), location(*line, *column))]
    Template {
        /// The template file: under the site's `templates/`, the theme's, or the built-in theme.
        path: PathBuf,
        /// One-based line and column, where Tera reports one.
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    #[error("stylesheet error in {}{}: {message}", path.display(), location(*line, *column))]
    Css {
        path: PathBuf,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    #[error("two outputs would be written to `{path}`: {first} and {second}")]
    OutputCollision {
        path: String,
        first: String,
        second: String,
    },
    #[error("refusing to write the site to {}: {reason}", path.display())]
    UnsafeOutput { path: PathBuf, reason: &'static str },
}

/// `:line:column` for messages, or nothing when the location is unknown.
fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

impl Error {
    /// Diagnostics that carry their own location, to be rendered with snippets.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Config { diagnostics, .. } => diagnostics,
            _ => &[],
        }
    }
}
