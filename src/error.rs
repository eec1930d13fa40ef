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
    #[error("new-period: {message}")]
    NewPeriod { message: String },
    #[error(
        "new-period: {period} already has {}; new-period never overwrites, so it wrote nothing",
        paths.join(", ")
    )]
    PeriodTaken { period: String, paths: Vec<String> },
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
    #[error(
        "refusing to build into {}: it holds files boardpack did not write ({}) and no {}. \
         Build into a new or empty folder, or pass --force to write beside them: boardpack \
         never deletes a file it did not write",
        path.display(), listed(files, *more), crate::site::write::manifest::MANIFEST
    )]
    OutputNotEmpty {
        path: PathBuf,
        /// The first few, sorted; folders end in `/`.
        files: Vec<String>,
        /// How many more there are.
        more: usize,
    },
    #[error(
        "refusing to replace files in {} that boardpack did not write ({}): move them away, or \
         pass --force to replace them; {} is unchanged",
        path.display(), listed(files, *more), path.display()
    )]
    OutputConflict {
        path: PathBuf,
        files: Vec<String>,
        more: usize,
    },
    #[error(
        "refusing to write through {}: it is a symbolic link, and boardpack writes nothing \
         outside the output folder; the previous output is unchanged",
        path.display()
    )]
    OutputLink { path: PathBuf },
    #[error(
        "cannot put the new output in place: {} holds files boardpack did not write; the \
         previous output is unchanged",
        path.display()
    )]
    OutputOccupied { path: PathBuf },
    #[error("{}:{line}: {message}; it lists the files boardpack wrote, so remove it only \
             together with the folder's old output, then build with --force", path.display())]
    Manifest {
        path: PathBuf,
        line: usize,
        message: &'static str,
    },
    #[error("cannot update {}: {source}; {}", path.display(), restored(unrestored))]
    Commit {
        /// The file or folder whose change failed.
        path: PathBuf,
        #[source]
        source: std::io::Error,
        /// What could not be put back while undoing the commit (normally nothing).
        unrestored: Vec<PathBuf>,
    },
    /// A board pack could not be typeset. Nothing an author writes reaches typst as markup,
    /// so this is boardpack's fault, never the content's: the message says so.
    #[error(
        "cannot typeset the board pack {path}: {message} (a bug in boardpack: please report it)"
    )]
    Pdf { path: String, message: String },

    /// pagefind could not build the search index: not the content's fault.
    #[error(
        "cannot build the search index in {path}: {message} (a bug in boardpack: please report it)"
    )]
    Search { path: String, message: String },
}

/// `a, b, c and 4 more`.
fn listed(files: &[String], more: usize) -> String {
    let mut text = files.join(", ");
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

fn restored(unrestored: &[PathBuf]) -> String {
    match unrestored {
        [] => "every change was undone, and the previous output is as it was".to_string(),
        paths => format!(
            "undoing the change failed for {}, which may need putting back by hand from the \
             folder's .boardpack-staging-* folder",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
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
