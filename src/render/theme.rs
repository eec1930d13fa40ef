//! Where a theme's files come from: `themes/<name>/` under the site root, or, for the default
//! theme when the site has no copy of it, the copy built into the binary. A site can override any
//! theme file by putting a file of the same name in its own `templates/` or `static/` folder.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::error::Error;

/// The default theme, as it was when this binary was built.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The name of the theme that is built in.
pub const DEFAULT: &str = crate::config::DEFAULT_THEME;

/// How the built-in theme's files are named in messages.
const BUILT_IN: &str = "(built-in default theme)";

/// One file of a theme or of a site's overrides.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Path inside `templates/` or `static/`, with `/` separators: `components/tag.html`.
    pub rel: String,
    /// Where it came from, for messages: a path on disk, or one inside the built-in theme.
    pub origin: PathBuf,
    pub bytes: Cow<'static, [u8]>,
}

impl ThemeFile {
    pub fn text(&self) -> Result<&str, Error> {
        std::str::from_utf8(&self.bytes).map_err(|e| Error::Read {
            path: self.origin.clone(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })
    }
}

/// A located theme.
#[derive(Debug, Clone)]
pub enum Theme {
    /// `themes/<name>/` under the site root.
    Disk { name: String, dir: PathBuf },
    /// The default theme built into the binary.
    BuiltIn,
}

impl Theme {
    /// Find the theme a site asks for.
    pub fn locate(root: &Path, name: &str) -> Result<Theme, Error> {
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            Ok(Theme::Disk {
                name: name.to_string(),
                dir,
            })
        } else if name == DEFAULT {
            Ok(Theme::BuiltIn)
        } else {
            Err(Error::ThemeNotFound {
                name: name.to_string(),
                path: dir,
            })
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Theme::Disk { name, .. } => name,
            Theme::BuiltIn => DEFAULT,
        }
    }

    /// Every file under the theme's `sub` folder (`templates` or `static`), sorted by path.
    pub fn files(&self, sub: &str) -> Result<Vec<ThemeFile>, Error> {
        match self {
            Theme::Disk { dir, .. } => files_on_disk(&dir.join(sub)),
            Theme::BuiltIn => {
                let mut out = Vec::new();
                if let Some(d) = DEFAULT_THEME.get_dir(sub) {
                    collect_built_in(d, sub, &mut out);
                }
                out.sort_by(|a, b| a.rel.cmp(&b.rel));
                Ok(out)
            }
        }
    }
}

fn collect_built_in(dir: &'static Dir<'static>, sub: &str, out: &mut Vec<ThemeFile>) {
    for f in dir.files() {
        let path = f.path();
        let Ok(rel) = path.strip_prefix(sub) else {
            continue;
        };
        let rel = slash_path(rel);
        if is_ignored(&rel) {
            continue;
        }
        out.push(ThemeFile {
            origin: Path::new(BUILT_IN).join(path),
            rel,
            bytes: Cow::Borrowed(f.contents()),
        });
    }
    for d in dir.dirs() {
        collect_built_in(d, sub, out);
    }
}

/// Hidden files and editor backups are never part of a theme.
fn is_ignored(rel: &str) -> bool {
    rel.split('/')
        .any(|part| part.starts_with('.') || part.ends_with('~'))
}

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every file under `dir`, sorted by path; an absent folder has no files.
pub fn files_on_disk(dir: &Path) -> Result<Vec<ThemeFile>, Error> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name();
    for entry in walker {
        let entry = entry.map_err(|e| Error::Read {
            path: e
                .path()
                .map_or_else(|| dir.to_path_buf(), Path::to_path_buf),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("symbolic link loop")),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = slash_path(entry.path().strip_prefix(dir).unwrap_or(entry.path()));
        if is_ignored(&rel) {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|source| Error::Read {
            path: entry.path().to_path_buf(),
            source,
        })?;
        out.push(ThemeFile {
            rel,
            origin: entry.path().to_path_buf(),
            bytes: Cow::Owned(bytes),
        });
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// The theme's files under `sub` with the site's own `<root>/<sub>/` files laid over them: a
/// site file replaces the theme file of the same name. Sorted by path.
pub fn layered(theme: &Theme, root: &Path, sub: &str) -> Result<Vec<ThemeFile>, Error> {
    let mut by_rel: std::collections::BTreeMap<String, ThemeFile> = theme
        .files(sub)?
        .into_iter()
        .map(|f| (f.rel.clone(), f))
        .collect();
    for f in files_on_disk(&root.join(sub))? {
        by_rel.insert(f.rel.clone(), f);
    }
    Ok(by_rel.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_theme_has_templates_and_css() {
        let files = Theme::BuiltIn.files("templates").unwrap();
        assert!(files.iter().any(|f| f.rel == "base.html"), "{files:?}");
        let statics = Theme::BuiltIn.files("static").unwrap();
        assert!(statics.iter().any(|f| f.rel == "css/main.css"));
        assert!(files.windows(2).all(|w| w[0].rel < w[1].rel));
    }

    #[test]
    fn the_default_theme_falls_back_to_the_built_in_copy() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            Theme::locate(dir.path(), "default").unwrap(),
            Theme::BuiltIn
        ));
        let err = Theme::locate(dir.path(), "fancy").unwrap_err();
        assert!(err.to_string().contains("theme `fancy` not found"), "{err}");
    }

    #[test]
    fn site_files_replace_theme_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates/components")).unwrap();
        std::fs::write(dir.path().join("templates/base.html"), "mine").unwrap();
        std::fs::write(dir.path().join("templates/.hidden.html"), "no").unwrap();
        std::fs::write(dir.path().join("templates/base.html~"), "no").unwrap();
        let files = layered(&Theme::BuiltIn, dir.path(), "templates").unwrap();
        let base = files.iter().find(|f| f.rel == "base.html").unwrap();
        assert_eq!(&*base.bytes, b"mine");
        assert!(
            !files
                .iter()
                .any(|f| f.rel.contains("hidden") || f.rel.ends_with('~'))
        );
    }
}
