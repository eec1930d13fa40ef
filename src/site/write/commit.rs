//! Putting a staged build in place as one transaction. Every change to the output folder is a
//! rename within it (a file set aside into the staging folder, a staged file moved into place)
//! or a folder made or removed, and each is journaled; if any step fails, the journal is undone
//! in reverse, so the previous output is back byte for byte before the error is reported.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::manifest::MANIFEST;
use crate::error::Error;

/// What a commit has to do; see [`apply`].
pub(super) struct Plan<'a> {
    pub out: &'a Path,
    /// Where the changed files are staged, at their output paths.
    pub staged: &'a Path,
    /// Where replaced and removed files of the output wait until the commit is over.
    pub old: &'a Path,
    /// The manifest covering the old output and the new, placed first (see [`apply`]).
    pub interim_manifest: &'a Path,
    /// The new output's manifest, placed last.
    pub final_manifest: &'a Path,
    /// Files of the previous output to remove: boardpack's, unchanged since it wrote them.
    pub stale: &'a [String],
    /// Staged files, sorted.
    pub changed: &'a [String],
    /// Whether a file boardpack did not write may be replaced where a folder must go.
    pub force: bool,
    /// For tests: fail the step with this number (counting from 1).
    pub fail_at: Option<usize>,
    /// For tests: end the process at once at the step with this number, as `kill -9` would.
    pub abort_at: Option<usize>,
}

/// Put the staged build in place.
///
/// The manifest is replaced first by one that lists the old output and the new, so that a
/// build killed at any moment of the commit leaves a manifest covering every file boardpack
/// may have written: the next build then removes what it must and nothing else. The new
/// output's own manifest goes in last.
pub(super) fn apply(plan: &Plan<'_>) -> Result<(), Error> {
    let mut tx = Transaction {
        out: plan.out,
        old: plan.old,
        done: Vec::new(),
        steps: 0,
        fail_at: plan.fail_at,
        abort_at: plan.abort_at,
    };
    match run(plan, &mut tx) {
        Ok(()) => Ok(()),
        Err(failed) => {
            let unrestored = tx.rollback();
            Err(failed.into_error(unrestored))
        }
    }
}

/// A step that failed, before the journal is undone.
enum Failed {
    Io { path: PathBuf, source: io::Error },
    Link(PathBuf),
    Occupied(PathBuf),
}

impl Failed {
    fn into_error(self, unrestored: Vec<PathBuf>) -> Error {
        match self {
            Failed::Io { path, source } => Error::Commit {
                path,
                source,
                unrestored,
            },
            Failed::Link(path) => Error::OutputLink { path },
            Failed::Occupied(path) => Error::OutputOccupied { path },
        }
    }
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> Failed + use<> {
    let path = path.to_path_buf();
    move |source| Failed::Io { path, source }
}

fn run(plan: &Plan<'_>, tx: &mut Transaction<'_>) -> Result<(), Failed> {
    let out = plan.out;
    // Replaced in one rename: at no moment is the folder without a manifest.
    tx.replace(MANIFEST, plan.interim_manifest)?;

    for rel in plan.stale {
        tx.set_aside(rel)?;
    }

    // A staged folder whose place in the output is free moves in whole: one rename for a new
    // output, or a new period's folder, instead of one for each of its files.
    let mut moved: Option<String> = None;
    for rel in plan.changed {
        if moved
            .as_ref()
            .is_some_and(|dir| rel.starts_with(dir.as_str()))
        {
            continue;
        }
        moved = None;
        let mut dir = PathBuf::new();
        let parts: Vec<&str> = rel.split('/').collect();
        for part in &parts[..parts.len() - 1] {
            dir.push(part);
            let path = out.join(&dir);
            match fs::symlink_metadata(&path) {
                Ok(m) if m.is_dir() => continue,
                Ok(m) if m.file_type().is_symlink() => return Err(Failed::Link(path)),
                Ok(_) if plan.force => tx.set_aside(&slashed(&dir))?,
                Ok(_) => return Err(Failed::Occupied(path)),
                Err(_) => {}
            }
            tx.mv(&plan.staged.join(&dir), &path)?;
            moved = Some(format!("{}/", slashed(&dir)));
            break;
        }
        if moved.is_some() {
            continue;
        }
        let target = out.join(rel);
        match fs::symlink_metadata(&target) {
            // Only an old output's folder can stand here, its files removed above; a folder
            // that still holds something is not boardpack's to remove.
            Ok(m) if m.is_dir() => tx.rmdir(&target).map_err(|e| match e {
                Failed::Io { path, source }
                    if source.kind() == io::ErrorKind::DirectoryNotEmpty =>
                {
                    Failed::Occupied(path)
                }
                other => other,
            })?,
            // One rename over the old file, so that a reader never finds it missing.
            Ok(m) if m.is_file() => {
                tx.replace(rel, &plan.staged.join(rel))?;
                continue;
            }
            Ok(_) => tx.set_aside(rel)?,
            Err(_) => {}
        }
        tx.mv(&plan.staged.join(rel), &target)?;
    }

    // Folders that lost a file and are now empty, deepest first. A folder that is not empty
    // holds something else, and stays.
    let mut emptied: Vec<&str> = plan
        .stale
        .iter()
        .flat_map(|rel| {
            let mut dirs = Vec::new();
            let mut rest = rel.as_str();
            while let Some((dir, _)) = rest.rsplit_once('/') {
                dirs.push(dir);
                rest = dir;
            }
            dirs
        })
        .collect();
    emptied.sort_by(|a, b| b.cmp(a));
    emptied.dedup();
    for dir in emptied {
        let path = out.join(dir);
        if fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none()) {
            tx.rmdir(&path)?;
        }
    }

    tx.replace(MANIFEST, plan.final_manifest)
}

/// `dir`'s components joined by `/`, as output paths are written.
fn slashed(dir: &Path) -> String {
    dir.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// One journaled change to the output.
enum Step {
    Moved {
        from: PathBuf,
        to: PathBuf,
    },
    /// `path` was replaced by a rename; its old bytes are linked at `backup`, if it had any.
    Replaced {
        path: PathBuf,
        backup: Option<PathBuf>,
    },
    RemovedDir(PathBuf),
}

struct Transaction<'a> {
    out: &'a Path,
    old: &'a Path,
    done: Vec<Step>,
    steps: usize,
    fail_at: Option<usize>,
    abort_at: Option<usize>,
}

impl Transaction<'_> {
    /// Count a step, failing it if a test asked for that.
    fn tick(&mut self, path: &Path) -> Result<(), Failed> {
        self.steps += 1;
        if self.abort_at == Some(self.steps) {
            std::process::abort();
        }
        if self.fail_at == Some(self.steps) {
            return Err(Failed::Io {
                path: path.to_path_buf(),
                source: io::Error::other("a failure injected by a test"),
            });
        }
        Ok(())
    }

    fn mv(&mut self, from: &Path, to: &Path) -> Result<(), Failed> {
        self.tick(to)?;
        fs::rename(from, to).map_err(io_at(to))?;
        self.done.push(Step::Moved {
            from: from.to_path_buf(),
            to: to.to_path_buf(),
        });
        Ok(())
    }

    fn rmdir(&mut self, path: &Path) -> Result<(), Failed> {
        self.tick(path)?;
        fs::remove_dir(path).map_err(io_at(path))?;
        self.done.push(Step::RemovedDir(path.to_path_buf()));
        Ok(())
    }

    /// Replace the output's `rel` with the file `new` in one rename, keeping a link to the old
    /// file's bytes in `old/` for an undo.
    fn replace(&mut self, rel: &str, new: &Path) -> Result<(), Failed> {
        let target = self.out.join(rel);
        let backup = match fs::symlink_metadata(&target) {
            Ok(_) => {
                let backup = self.old_place(rel)?;
                fs::hard_link(&target, &backup)
                    .or_else(|_| fs::copy(&target, &backup).map(|_| ()))
                    .map_err(io_at(&backup))?;
                Some(backup)
            }
            Err(_) => None,
        };
        self.tick(&target)?;
        fs::rename(new, &target).map_err(io_at(&target))?;
        self.done.push(Step::Replaced {
            path: target,
            backup,
        });
        Ok(())
    }

    /// A free place for the output's `rel` in `old/`, with the folders above it made.
    fn old_place(&self, rel: &str) -> Result<PathBuf, Failed> {
        let to = self.old.join(rel);
        // A folder of the staging area, not of the output: not journaled, it goes with it.
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir).map_err(io_at(dir))?;
        }
        // A file set aside twice in one commit (the manifest) keeps its first copy's place.
        Ok(if fs::symlink_metadata(&to).is_ok() {
            to.with_file_name(format!("{}.{}", rel.replace('/', "_"), self.done.len()))
        } else {
            to
        })
    }

    /// Move the output's `rel` into the staging folder's `old/`, where it stays until the
    /// commit is over (and from where an undo brings it back).
    fn set_aside(&mut self, rel: &str) -> Result<(), Failed> {
        let to = self.old_place(rel)?;
        self.mv(&self.out.join(rel), &to)
    }

    /// Undo every step, newest first; returns the paths that could not be put back.
    fn rollback(self) -> Vec<PathBuf> {
        let mut unrestored = Vec::new();
        for step in self.done.into_iter().rev() {
            let (result, path) = match step {
                Step::Moved { from, to } => (fs::rename(&to, &from), to),
                Step::Replaced {
                    path,
                    backup: Some(backup),
                } => (fs::rename(&backup, &path), path),
                Step::Replaced { path, backup: None } => (fs::remove_file(&path), path),
                Step::RemovedDir(path) => (fs::create_dir(&path), path),
            };
            if result.is_err() {
                unrestored.push(path);
            }
        }
        unrestored
    }
}
