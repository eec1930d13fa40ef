//! Walking a folder of the site with symbolic links held to one rule: a link is followed only
//! when it leads to a place inside the site root, and never to a folder above the walk's own
//! start. Content, templates, static files and themes are all walked this way, so a link can
//! neither publish nor print a file from elsewhere on the machine (a credentials file,
//! `/proc/self/environ`), nor make a walk cover the whole file system.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Problem};
use crate::source::SourceFile;

/// What a walk found: the files it may read, sorted by path, and why anything was left out.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Walk `dir` under the canonical site `root`, skipping entries whose name `ignored` picks.
/// Links that leave the root, loop, or lead nowhere are left out with a warning located at the
/// link; other walk errors (an unreadable folder) are errors. `dir` itself may be a link, and is
/// held to the same rule.
pub fn walk(dir: &Path, root: &Path, ignored: impl Fn(&str) -> bool) -> Walk {
    let mut out = Walk::default();
    // The command line canonicalises the root; a library caller may not have.
    let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    // Loops are judged against the canonical start: a link to it or to a folder above it would
    // walk the start again, inside itself.
    let top = match std::fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => match judge(dir, &canonical, None) {
            Ok(top) => top,
            Err(problem) => {
                out.diagnostics.push(located(dir, root, problem));
                return out;
            }
        },
        _ => match std::fs::canonicalize(dir) {
            Ok(top) => top,
            // Absent: nothing to walk. Callers say whether that matters.
            Err(_) => return out,
        },
    };
    let refused = RefCell::new(Vec::new());
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if ignored(&e.file_name().to_string_lossy()) {
                return false;
            }
            if !e.path_is_symlink() {
                return true;
            }
            match judge(e.path(), &canonical, Some(&top)) {
                Ok(_) => true,
                Err(problem) => {
                    refused.borrow_mut().push(located(e.path(), root, problem));
                    false
                }
            }
        });
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => out.files.push(e.into_path()),
            Ok(_) => {}
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_path_buf());
                // walkdir follows a link before the filter sees it, so a dangling link or a
                // loop arrives here as an error; an ignored one (an editor's lock file, which
                // is often a dangling link) is still ignored.
                if path
                    .file_name()
                    .is_some_and(|n| ignored(&n.to_string_lossy()))
                {
                    continue;
                }
                let is_link =
                    std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
                let problem = if err.loop_ancestor().is_some() {
                    Problem::LinkLoop {
                        target: target_of(&path),
                    }
                } else if is_link && std::fs::metadata(&path).is_err() {
                    Problem::LinkDangling {
                        target: target_of(&path),
                    }
                } else {
                    Problem::Unreadable {
                        reason: err
                            .io_error()
                            .map_or_else(|| err.to_string(), ToString::to_string),
                    }
                };
                out.diagnostics.push(located(&path, root, problem));
            }
        }
    }
    out.diagnostics.extend(refused.into_inner());
    out
}

/// Where a link leads, canonical, if it may be followed: inside the canonical `root`, and, for
/// a folder, not the walk's canonical start `top` or a folder above it.
pub fn judge(link: &Path, root: &Path, top: Option<&Path>) -> Result<PathBuf, Problem> {
    let target = target_of(link);
    let to = std::fs::canonicalize(link).map_err(|_| Problem::LinkDangling {
        target: target.clone(),
    })?;
    if !to.starts_with(root) {
        return Err(Problem::LinkOutsideSite { target });
    }
    if let Some(top) = top
        && top.starts_with(&to)
    {
        return Err(Problem::LinkLoop { target });
    }
    Ok(to)
}

/// Whether reading `path` (a file or folder under `within`, canonical) would pass through a
/// symbolic link: the watch server walks again from the top for those, so that a link is judged
/// by [`walk`] alone.
pub fn involves_link(path: &Path, within: &Path) -> bool {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return true;
    }
    std::fs::canonicalize(path).is_ok_and(|c| !c.starts_with(within))
}

/// A link's target as written, for messages: never the bytes it leads to. Control characters
/// are escaped, so a crafted name cannot drive the terminal.
fn target_of(link: &Path) -> String {
    let raw = std::fs::read_link(link)
        .map(|t| t.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "?".into());
    raw.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

fn located(path: &Path, root: &Path, problem: Problem) -> Diagnostic {
    let f = SourceFile::new(path, super::display_path(path, root), String::new());
    Diagnostic::new(problem, &f, 0..0)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn codes(w: &Walk) -> Vec<(&str, &str)> {
        w.diagnostics
            .iter()
            .map(|d| {
                (
                    d.file.as_ref().map_or("", |f| f.display.as_str()),
                    d.problem.code(),
                )
            })
            .collect()
    }

    #[test]
    fn follows_links_inside_the_root_only() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("content/a")).unwrap();
        std::fs::create_dir_all(root.join("shared")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.md"), "SECRET").unwrap();
        std::fs::write(root.join("shared/in.md"), "x").unwrap();
        std::fs::write(root.join("content/a/x.md"), "x").unwrap();
        symlink(outside.join("secret.md"), root.join("content/leak.md")).unwrap();
        symlink(&outside, root.join("content/out")).unwrap();
        symlink("/", root.join("content/slash")).unwrap();
        symlink("../shared", root.join("content/shared")).unwrap();
        symlink("..", root.join("content/a/up")).unwrap();
        symlink("nowhere.md", root.join("content/gone.md")).unwrap();
        symlink("nowhere", root.join("content/.#lock.md")).unwrap();
        let root = std::fs::canonicalize(&root).unwrap();
        let w = walk(&root.join("content"), &root, |n| n.starts_with('.'));
        let files: Vec<String> = w
            .files
            .iter()
            .map(|f| super::super::display_path(f, &root))
            .collect();
        assert_eq!(files, ["content/a/x.md", "content/shared/in.md"]);
        let mut found = codes(&w);
        found.sort();
        assert_eq!(
            found,
            [
                ("content/a/up", "link-loop"),
                ("content/gone.md", "link-dangling"),
                ("content/leak.md", "link-outside-site"),
                ("content/out", "link-outside-site"),
                ("content/slash", "link-outside-site"),
            ]
        );
    }

    #[test]
    fn a_start_that_links_out_is_not_walked() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(tmp.path().join("elsewhere")).unwrap();
        std::fs::write(tmp.path().join("elsewhere/a.md"), "x").unwrap();
        symlink(tmp.path().join("elsewhere"), root.join("content")).unwrap();
        let root = std::fs::canonicalize(&root).unwrap();
        let w = walk(&root.join("content"), &root, |_| false);
        assert!(w.files.is_empty());
        assert_eq!(codes(&w), [("content", "link-outside-site")]);
    }

    #[test]
    fn targets_are_shown_escaped() {
        let tmp = tempfile::tempdir().unwrap();
        let link = tmp.path().join("l");
        symlink("a\u{1b}[31mb", &link).unwrap();
        assert_eq!(target_of(&link), "a\\u{1b}[31mb");
    }
}
