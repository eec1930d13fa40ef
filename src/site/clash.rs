//! The build's own output paths, checked when the site is loaded: a static file standing where
//! a page, the search index, a feed or another file of [`publish`], or a folder of pages goes
//! would fail the build, so `check` reports it first, at the static file.

use std::path::Path;

use crate::content::display_path;
use crate::diagnostic::{Diagnostic, Problem};
use crate::layout;
use crate::plan::pages::Plan;
use crate::render::publish;
use crate::render::theme::{Theme, ThemeFile, layered};
use crate::site::search;
use crate::source::SourceFile;

/// The static files of the site and its theme, as the build copies them. A theme that cannot
/// be found, or a folder that cannot be read, gives none: the configuration's own check and
/// the build report those.
pub fn statics(root: &Path, theme: &str) -> Vec<ThemeFile> {
    Theme::locate(root, theme)
        .and_then(|theme| layered(&theme, root, layout::STATIC))
        .unwrap_or_default()
}

/// Every one of `statics` that another output of `plan` would overwrite, or that stands where
/// a folder of outputs must be, each reported at the static file. A site has few static
/// files and may have thousands of pages, so each file is looked for among the pages.
pub fn static_clashes(statics: &[ThemeFile], plan: &Plan, root: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut published = publish::paths(plan);
    // The board packs' PDFs, which a build writes beside their pages.
    published.extend((plan.periods.iter()).filter_map(|p| {
        let pdf = p.pdf.as_ref()?;
        Some((pdf.path.clone(), format!("the board pack PDF {}", pdf.url)))
    }));
    // Stylesheets are bundled into one, not copied.
    for f in statics.iter().filter(|f| !f.rel.ends_with(".css")) {
        let folder = format!("{}/", f.rel);
        let exact = plan.pages.iter().find(|p| p.path == f.rel);
        let under = || {
            (plan.pages.iter())
                .filter(|p| p.path.starts_with(&folder))
                .min_by(|a, b| a.path.cmp(&b.path))
        };
        let clash = if let Some(page) = exact {
            Some(format!("the page {}", page.url))
        } else if search::is_bundle_path(&f.rel) {
            Some("the search index".to_string())
        } else if let Some(page) = under() {
            // A file where a folder must be: name whichever output in it comes first.
            let index_first =
                search::BUNDLE_DIR.starts_with(&folder) && search::BUNDLE_DIR < page.path.as_str();
            Some(if index_first {
                "the search index".to_string()
            } else {
                format!("the page {}", page.url)
            })
        } else if search::BUNDLE_DIR.starts_with(&folder) {
            Some("the search index".to_string())
        } else {
            // The feeds, sitemap, robots.txt and meetings.json: at the path, below it, or in a
            // folder the static file stands in place of.
            (published.iter())
                .find(|(p, _)| {
                    *p == f.rel || p.starts_with(&folder) || f.rel.starts_with(&format!("{p}/"))
                })
                .map(|(_, what)| what.clone())
        };
        if let Some(other) = clash {
            let file = SourceFile::new(&f.origin, display_path(&f.origin, root), String::new());
            out.push(Diagnostic::new(
                Problem::StaticClash {
                    path: f.rel.clone(),
                    other,
                },
                &file,
                0..0,
            ));
        }
    }
    out
}
