//! The build's own output paths, checked when the site is loaded: a static file standing where
//! a page, the search index or a folder of pages goes would fail the build, so `check` reports
//! it first, at the static file.

use std::collections::BTreeMap;

use crate::content::display_path;
use crate::diagnostic::{Diagnostic, Problem};
use crate::layout;
use crate::plan::Loaded;
use crate::plan::pages;
use crate::render::theme::{Theme, layered};
use crate::site::search;
use crate::source::SourceFile;

/// Every static file of the site and its theme that another output would overwrite, or
/// that stands where a folder of outputs must be.
pub fn static_clashes(loaded: &Loaded) -> Vec<Diagnostic> {
    // A theme that cannot be found is reported by the configuration's own check.
    let Ok(theme) = Theme::locate(&loaded.root, &loaded.config.theme) else {
        return Vec::new();
    };
    let Ok(statics) = layered(&theme, &loaded.root, layout::STATIC) else {
        return Vec::new();
    };
    let plan = pages::plan(&loaded.config, &loaded.content.documents);
    let mut taken: BTreeMap<&str, String> = plan
        .pages
        .iter()
        .map(|p| (p.path.as_str(), format!("the page {}", p.url)))
        .collect();
    taken.insert(search::INDEX_PATH, "the search index".into());
    let mut out = Vec::new();
    // Stylesheets are bundled into one, not copied.
    for f in statics.iter().filter(|f| !f.rel.ends_with(".css")) {
        let folder = format!("{}/", f.rel);
        let clash = taken.get(f.rel.as_str()).cloned().or_else(|| {
            taken
                .range(folder.as_str()..)
                .next()
                .filter(|(path, _)| path.starts_with(&folder))
                .map(|(_, what)| what.clone())
        });
        if let Some(other) = clash {
            let file = SourceFile::new(
                &f.origin,
                display_path(&f.origin, &loaded.root),
                String::new(),
            );
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
