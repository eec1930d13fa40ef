//! Where a theme's files come from: `themes/<name>/` under the site root, or, for the default
//! theme when the site has no copy of it, the copy built into the binary. A site can override any
//! theme file by putting a file of the same name in its own `templates/` or `static/` folder.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::content::{display_path, links};
use crate::diagnostic::{Diagnostic, Problem};
use crate::error::Error;
use crate::layout;
use crate::source::SourceFile;

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
    /// `themes/<name>/` under the site root, which is kept to judge links by.
    Disk {
        name: String,
        dir: PathBuf,
        root: PathBuf,
    },
    /// The default theme built into the binary.
    BuiltIn,
}

impl Theme {
    /// Find the theme a site asks for: a folder directly inside `themes/`, never one a link
    /// or a path in the name leads to outside the site root. `root` is canonical.
    pub fn locate(root: &Path, name: &str) -> Result<Theme, Error> {
        let dir = root.join(layout::THEMES).join(name);
        let mut parts = Path::new(name).components();
        let plain = matches!(
            (parts.next(), parts.next()),
            (Some(std::path::Component::Normal(_)), None)
        );
        if !plain {
            return Err(Error::ThemeNotFound {
                name: name.to_string(),
                path: dir,
            });
        }
        let outside = std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink())
            && matches!(
                links::judge(&dir, root, None),
                Err(Problem::LinkOutsideSite { .. })
            );
        if dir.is_dir() && !outside {
            Ok(Theme::Disk {
                name: name.to_string(),
                dir,
                root: root.to_path_buf(),
            })
        } else if outside && name != DEFAULT {
            Err(Error::ThemeOutsideSite {
                name: name.to_string(),
                path: dir,
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
            Theme::Disk { dir, root, .. } => files_on_disk(&dir.join(sub), root),
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
    rel.split('/').any(layout::is_scratch)
}

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every file under `dir`, sorted by path; an absent folder has no files. Symbolic links are
/// followed only inside the canonical site `root`; the others are left out here, and reported
/// by [`link_diagnostics`] when the site is loaded.
pub fn files_on_disk(dir: &Path, root: &Path) -> Result<Vec<ThemeFile>, Error> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let walk = links::walk(dir, root, is_ignored);
    if let Some(d) = walk.diagnostics.iter().find(|d| d.is_error()) {
        return Err(Error::Read {
            path: d
                .file
                .as_ref()
                .map_or_else(|| dir.to_path_buf(), |f| f.path.clone()),
            source: std::io::Error::other(d.problem.to_string()),
        });
    }
    let mut out = Vec::new();
    for path in walk.files {
        let rel = slash_path(path.strip_prefix(dir).unwrap_or(&path));
        if is_ignored(&rel) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        out.push(ThemeFile {
            rel,
            origin: path,
            bytes: Cow::Owned(bytes),
        });
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// What walking the site's and the theme's `templates/` and `static/` folders finds wrong with
/// their links, and whether the theme's own folder links outside the site: reported when the
/// site is loaded, so that `check` warns of them as `build` would skip them.
pub fn link_diagnostics(root: &Path, theme: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut dirs = vec![root.join(layout::TEMPLATES), root.join(layout::STATIC)];
    match Theme::locate(root, theme) {
        Ok(Theme::Disk { dir, .. }) => {
            dirs.push(dir.join(layout::TEMPLATES));
            dirs.push(dir.join(layout::STATIC));
        }
        Err(Error::ThemeOutsideSite { name, path }) => {
            let target = match links::judge(&path, root, None) {
                Err(Problem::LinkOutsideSite { target }) => target,
                _ => "?".into(),
            };
            let f = SourceFile::new(&path, display_path(&path, root), String::new());
            out.push(Diagnostic::new(
                Problem::ThemeOutsideSite { name, target },
                &f,
                0..0,
            ));
        }
        _ => {}
    }
    if let Ok(m) = std::fs::symlink_metadata(root.join(layout::THEMES).join(theme))
        && m.file_type().is_symlink()
        && theme == DEFAULT
    {
        // The built-in copy stands in for a default theme linked from outside: say so.
        let path = root.join(layout::THEMES).join(theme);
        if let Err(problem) = links::judge(&path, root, None) {
            let f = SourceFile::new(&path, display_path(&path, root), String::new());
            out.push(Diagnostic::new(problem, &f, 0..0));
        }
    }
    for dir in dirs {
        out.extend(links::walk(&dir, root, is_ignored).diagnostics);
    }
    out
}

/// The theme's files under `sub` with the site's own `<root>/<sub>/` files laid over them: a
/// site file replaces the theme file of the same name. Sorted by path.
pub fn layered(theme: &Theme, root: &Path, sub: &str) -> Result<Vec<ThemeFile>, Error> {
    let mut by_rel: std::collections::BTreeMap<String, ThemeFile> = theme
        .files(sub)?
        .into_iter()
        .map(|f| (f.rel.clone(), f))
        .collect();
    for f in files_on_disk(&root.join(sub), root)? {
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
