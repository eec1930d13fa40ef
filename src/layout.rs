//! The site's layout on disk: the folders boardpack reads, and which files in them it reads.
//! Loading, the watcher and the incremental session all ask here, so they cannot disagree on
//! what is a document.

use std::path::Path;

/// The documents: reports and pages, each a Markdown file with TOML front matter.
pub const CONTENT: &str = "content";
/// The site's own templates, laid over the theme's.
pub const TEMPLATES: &str = "templates";
/// The site's own static files and stylesheets, laid over the theme's.
pub const STATIC: &str = "static";
/// Themes on disk, one folder each.
pub const THEMES: &str = "themes";

/// Every folder boardpack reads besides `boardpack.toml`.
pub const SOURCE_FOLDERS: [&str; 4] = [CONTENT, TEMPLATES, STATIC, THEMES];

/// Hidden files and folders and editor backups (`.x`, `x~`): never read, in any folder.
pub fn is_scratch(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~')
}

/// A file or folder name that keeps what it names out of `content/`: scratch, or a leading
/// `_` (a draft, a note kept beside the reports).
pub fn is_ignored_in_content(name: &str) -> bool {
    is_scratch(name) || name.starts_with('_')
}

/// Whether `rel`, a path below `content/`, is a document: a `.md` file whose name and folders
/// none of them [`is_ignored_in_content`].
pub fn is_document(rel: &Path) -> bool {
    rel.extension().is_some_and(|e| e == "md")
        && !rel
            .components()
            .any(|c| is_ignored_in_content(&c.as_os_str().to_string_lossy()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_markdown_files_outside_hidden_and_draft_folders() {
        for yes in ["q1/budget.md", "pages/about.md", "a b/c.d.md"] {
            assert!(is_document(Path::new(yes)), "{yes}");
        }
        for no in [
            "q1/budget.txt",
            "q1/_draft.md",
            "_old/budget.md",
            ".git/x.md",
            "q1/.budget.md.swp",
            "q1/budget.md~",
            "q1/README",
        ] {
            assert!(!is_document(Path::new(no)), "{no}");
        }
        assert!(is_scratch(".a.md.swp") && is_scratch("a.md~") && !is_scratch("_macros.html"));
    }
}
