//! `boardpack init`: scaffold a working site with one report of each main kind.
//!
//! The scaffold is a set of real files under `src/init/`, embedded in the binary, so that they
//! can be read and edited as a site rather than as string literals. `init` never overwrites:
//! it checks every target before it writes any, and if one exists it writes nothing.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The folder of the scaffold's reporting period, `2026/27 Q2`.
pub const PERIOD_DIR: &str = "content/2026-27-q2";

/// Embed scaffold files by their path relative to the new site's root, which is also their path
/// under `src/init/`; after `;`, files whose path there differs (`".gitignore" <= "gitignore"`:
/// a real `.gitignore` under `src/` would apply to this repository).
macro_rules! scaffold {
    ($($rel:literal),+ $(,)? $(; $($to:literal <= $from:literal),+ $(,)?)?) => {
        &[
            $(($rel, include_str!(concat!("init/", $rel)))),+
            $($(, ($to, include_str!(concat!("init/", $from))))+)?
        ]
    };
}

/// Every file `init` writes: its path relative to the new site's root, and its contents.
pub const FILES: &[(&str, &str)] = scaffold![
    "boardpack.toml",
    "content/2026-27-q2/greener-neighbourhoods.md",
    "content/2026-27-q2/budget.md",
    "content/2026-27-q2/indicators.md",
    "content/pages/about.md";
    ".gitignore" <= "gitignore",
];

/// A CI service `init --ci` writes a workflow for: each checks the papers with
/// `check --deny-warnings`, builds the site and publishes it to the service's Pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ci {
    Github,
    Gitlab,
}

impl Ci {
    /// The workflow's path in the site and its text.
    pub fn file(self) -> (&'static str, &'static str) {
        match self {
            Ci::Github => (
                ".github/workflows/boardpack.yml",
                include_str!("init/ci/github.yml"),
            ),
            Ci::Gitlab => (".gitlab-ci.yml", include_str!("init/ci/gitlab.yml")),
        }
    }
}

/// Create a new site in `dir`, creating `dir` if it is missing, and return the paths written.
///
/// `dir` may already exist and hold other files, but if any file the scaffold would write
/// already exists, nothing is written and the result is [`Error::Exists`]. If writing fails
/// part-way, the files and folders written so far are removed again.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    init_with(dir, &[])
}

/// [`init`], with a CI workflow for each of `ci`. Where `dir` already holds a site (its
/// `boardpack.toml`) and `ci` names a service, only the workflows are written, so that an
/// existing site can gain one; still nothing is overwritten.
pub fn init_with(dir: &Path, ci: &[Ci]) -> Result<Vec<PathBuf>, Error> {
    let existing = !ci.is_empty() && dir.join(crate::config::CONFIG_FILE).is_file();
    let scaffold = FILES.iter().filter(|_| !existing).copied();
    let targets: Vec<(PathBuf, &str)> = scaffold
        .chain(ci.iter().map(|c| c.file()))
        .map(|(rel, text)| (dir.join(rel), text))
        .collect();

    // Check every target before writing anything. A dangling symlink counts as existing.
    for (path, _) in &targets {
        match std::fs::symlink_metadata(path) {
            Ok(_) => return Err(Error::Exists { path: path.clone() }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            // A parent that is a file rather than a folder: writing will fail and say so.
            Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {}
            Err(source) => {
                return Err(Error::Read {
                    path: path.clone(),
                    source,
                });
            }
        }
    }

    let mut done = Written::default();
    for (path, text) in &targets {
        if let Err(e) = write_new(path, text, &mut done) {
            done.undo();
            return Err(e);
        }
    }
    Ok(done.files)
}

/// What one `init` has created so far, so that a failure part-way can be undone.
#[derive(Default)]
pub(crate) struct Written {
    pub(crate) files: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
}

impl Written {
    /// Remove what was created, newest first. Best effort: the original error is what matters.
    pub(crate) fn undo(&self) {
        for f in self.files.iter().rev() {
            let _ = std::fs::remove_file(f);
        }
        for d in self.dirs.iter().rev() {
            // Only ever removes an empty folder, so nothing that was already there is lost.
            let _ = std::fs::remove_dir(d);
        }
    }
}

/// Create the missing folders above `path`, then create `path` itself, refusing to replace a
/// file that appeared since the check.
pub(crate) fn write_new(path: &Path, text: &str, done: &mut Written) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        let mut missing: Vec<&Path> = parent
            .ancestors()
            .take_while(|p| !p.as_os_str().is_empty() && std::fs::symlink_metadata(p).is_err())
            .collect();
        missing.reverse();
        for d in missing {
            match std::fs::create_dir(d) {
                Ok(()) => done.dirs.push(d.to_path_buf()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && d.is_dir() => {}
                Err(source) => {
                    return Err(Error::Write {
                        path: d.to_path_buf(),
                        source,
                    });
                }
            }
        }
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::Exists {
                path: path.to_path_buf(),
            });
        }
        Err(source) => {
            return Err(Error::Write {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    done.files.push(path.to_path_buf());
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Data;
    use crate::read::words::{ActivityKind, Polarity};

    /// Every file under `dir`, relative to it, with its contents.
    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn writes_every_file_into_a_new_directory() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("new").join("site");
        let written = init(&dir).unwrap();
        assert_eq!(written.len(), FILES.len());
        for (rel, text) in FILES {
            let path = dir.join(rel);
            assert!(written.contains(&path), "{} not reported", path.display());
            assert_eq!(std::fs::read_to_string(&path).unwrap(), *text);
        }
        assert!(!dir.join("themes").exists(), "init must not create themes/");
        assert!(
            FILES
                .iter()
                .all(|(rel, _)| !rel.starts_with(PERIOD_DIR) || rel.ends_with(".md"))
        );
    }

    #[test]
    fn a_second_init_fails_and_changes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        init(dir).unwrap();
        // An edit the author made after the first init must survive the second.
        let about = dir.join("content/pages/about.md");
        std::fs::write(&about, "+++\nkind = \"page\"\ntitle = \"Mine\"\n+++\n").unwrap();
        let before = snapshot(dir);
        match init(dir) {
            Err(Error::Exists { path }) => assert_eq!(path, dir.join("boardpack.toml")),
            other => panic!("expected Exists, got {other:?}"),
        }
        assert_eq!(snapshot(dir), before);
    }

    #[test]
    fn one_existing_target_means_nothing_is_written() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join("notes.txt"), "not ours").unwrap();
        std::fs::create_dir_all(dir.join("content/pages")).unwrap();
        std::fs::write(dir.join("content/pages/about.md"), "keep me").unwrap();
        let before = snapshot(dir);
        match init(dir) {
            Err(Error::Exists { path }) => assert_eq!(path, dir.join("content/pages/about.md")),
            other => panic!("expected Exists, got {other:?}"),
        }
        assert_eq!(snapshot(dir), before);
        assert!(
            !dir.join(PERIOD_DIR).exists(),
            "no folder for the period either"
        );
    }

    #[test]
    fn an_existing_non_empty_directory_is_fine() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join("README.txt"), "hello").unwrap();
        std::fs::create_dir_all(dir.join("content/pages")).unwrap();
        std::fs::write(dir.join("content/pages/contact.md"), "x").unwrap();
        let written = init(dir).unwrap();
        assert_eq!(written.len(), FILES.len());
        assert_eq!(
            std::fs::read_to_string(dir.join("README.txt")).unwrap(),
            "hello"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("content/pages/contact.md")).unwrap(),
            "x"
        );
    }

    #[test]
    fn a_failed_write_is_undone() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        // `content/pages` is a file, so the last target cannot be written.
        std::fs::create_dir(dir.join("content")).unwrap();
        std::fs::write(dir.join("content/pages"), "in the way").unwrap();
        let before = snapshot(dir);
        assert!(matches!(init(dir), Err(Error::Write { .. })));
        assert_eq!(snapshot(dir), before);
        assert!(!dir.join(PERIOD_DIR).exists());
    }

    #[test]
    fn the_new_site_checks_clean() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("site");
        init(&dir).unwrap();
        let loaded = crate::site::load(&dir).unwrap();
        let diags = loaded.all_diagnostics();
        let rendered: Vec<String> = diags.iter().map(|d| d.render(false)).collect();
        assert!(
            diags.is_empty(),
            "the scaffold has diagnostics:\n{}",
            rendered.join("\n")
        );

        // One document of each kind init promises, each where the convention puts it.
        let kinds: Vec<(&str, &str)> = loaded
            .content
            .documents
            .iter()
            .map(|d| {
                let kind = match d.data {
                    Data::Highlight(_) => "highlight",
                    Data::Budget(_) => "budget",
                    Data::Indicators(_) => "indicators",
                    Data::Actions(_) => "actions",
                    Data::Plan(_) => "plan",
                    Data::Page(_) => "page",
                };
                (d.rel_path.as_str(), kind)
            })
            .collect();
        assert_eq!(
            kinds,
            [
                ("2026-27-q2/budget.md", "budget"),
                ("2026-27-q2/greener-neighbourhoods.md", "highlight"),
                ("2026-27-q2/indicators.md", "indicators"),
                ("pages/about.md", "page"),
            ]
        );
        assert_eq!(loaded.config.organisation, "Example Council");
        assert_eq!(loaded.config.programmes.len(), 1);
    }

    #[test]
    fn the_scaffold_report_is_what_init_promises() {
        let tmp = tempfile::tempdir().unwrap();
        init(tmp.path()).unwrap();
        let loaded = crate::site::load(tmp.path()).unwrap();
        for doc in &loaded.content.documents {
            match &doc.data {
                Data::Highlight(h) => {
                    assert_eq!(h.period.to_string(), "2026/27 Q2");
                    assert_eq!(h.objectives.len(), 2);
                    let kinds: Vec<ActivityKind> = h
                        .objectives
                        .iter()
                        .flat_map(|o| &o.activities)
                        .map(|a| a.kind)
                        .collect();
                    assert!(kinds.contains(&ActivityKind::Priority), "{kinds:?}");
                    assert!(kinds.contains(&ActivityKind::Supporting), "{kinds:?}");
                    assert_eq!(h.risks.len(), 1);
                    assert!(!doc.body.trim().is_empty());
                }
                Data::Budget(b) => {
                    assert!(!b.lines.is_empty());
                    assert_eq!(b.notes.len(), 1);
                }
                Data::Indicators(s) => {
                    let polarities: Vec<Polarity> =
                        s.indicators.iter().map(|i| i.polarity).collect();
                    assert!(polarities.contains(&Polarity::Higher), "{polarities:?}");
                    assert!(polarities.contains(&Polarity::Lower), "{polarities:?}");
                    assert!(
                        s.indicators
                            .iter()
                            .all(|i| !i.targets.is_empty() && i.actual.is_some())
                    );
                }
                Data::Page(p) => assert_eq!(p.title, "About these reports"),
                Data::Actions(_) => panic!("init writes no action plan"),
                Data::Plan(_) => panic!("init writes no operational plan"),
            }
        }
    }
}
