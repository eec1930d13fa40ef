//! Errors that stop a command outright: missing sites, I/O failures, refused overwrites.
//! Content problems are not errors of this kind; they are collected as diagnostics.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no {file} found in {} or any directory above it", start.display())]
    NoRoot { start: PathBuf, file: &'static str },
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
    #[error("{} already exists; boardpack init never overwrites files", path.display())]
    Exists { path: PathBuf },
    #[error("{} has {} problem(s)", file, diagnostics.len())]
    Config {
        file: String,
        diagnostics: Vec<Diagnostic>,
    },
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
