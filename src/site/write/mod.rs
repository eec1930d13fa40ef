//! Writing the output folder without losing anyone's files or leaving it half-written.
//!
//! The contract (docs/reliability.md, "The output folder"):
//!
//! - **boardpack deletes only what it wrote.** Every build records the files it wrote, with
//!   their SHA-256, in [`manifest::MANIFEST`]. A rebuild removes a file only if the previous
//!   manifest lists it and its bytes are still the ones listed; anything else in the folder (a
//!   `.git`, a `CNAME`, a file the user added or edited) is left as it is.
//! - **A first build into a folder that holds other files is refused**, naming some of them,
//!   unless `--force`: then boardpack writes beside them, replacing only files at the paths it
//!   writes itself. Dotfiles and `CNAME` do not count: they are how a folder is published.
//! - **Nothing changes until everything is ready.** Every file is first *staged* in a folder
//!   inside the output (`.boardpack-staging-<random>`, so that moving a file into place is a
//!   rename on one file system, even when the output is a mount point). Only files whose bytes
//!   changed are staged; unchanged files are not touched, which keeps their modification times
//!   for `rsync`. If anything fails before the commit, the staging folder is removed and the
//!   output is as it was.
//! - **The commit is a transaction** (`commit.rs`): each change is a rename that is undone if a
//!   later one fails, so a failed build leaves every previous file byte for byte.
//! - **One build at a time.** A build holds a lock on the output folder from start to end; a
//!   second build into the same folder waits for it. A killed build's lock goes with its
//!   process, and the next build removes the staging folder it left.

mod commit;
mod compare;
pub mod manifest;

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::error::Error;
use compare::{same_bytes, same_files};
use manifest::{Hash, MANIFEST, Manifest};

/// The name of a staging folder in the output starts with this.
const STAGING_PREFIX: &str = ".boardpack-staging-";

/// A file in each staging folder that marks it as boardpack's: only a folder holding it is ever
/// removed as a killed build's leftovers.
const STAGING_MARK: &str = "boardpack-staging";

/// How a build may treat the output folder.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Write into a folder that holds files boardpack did not write, replacing those at the
    /// paths it writes (and never deleting any other).
    pub force: bool,
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Files in the new output.
    pub files: usize,
    /// Their total size.
    pub bytes: u64,
    /// Files whose bytes changed (all of them for a new output), each replaced by a rename.
    pub changed: usize,
    /// Files of the previous output that the new one does not have, removed.
    pub removed: usize,
    /// Files of the previous output that the new one does not have, but that were changed
    /// since boardpack wrote them: left in place, and no longer boardpack's.
    pub kept: Vec<String>,
    /// Files boardpack did not write that `--force` let it replace.
    pub replaced: Vec<String>,
}

/// Whether an output path is a plain relative path that stays inside the output folder, and
/// that a manifest line can hold.
fn is_safe_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\\')
        && !rel.chars().any(char::is_control)
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Refuse outputs that would replace the site's own sources: the root itself, a folder above
/// it, or one of the folders boardpack reads.
pub fn check_output(out: &Path, root: &Path) -> Result<(), Error> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Canonicalise what exists so that `..` and symbolic links cannot hide the root.
        let mut existing = p.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut base = fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
        for name in rest.into_iter().rev() {
            base.push(name);
        }
        base
    };
    let out_abs = abs(out);
    let root_abs = abs(root);
    if root_abs.starts_with(&out_abs) {
        return Err(Error::UnsafeOutput {
            path: out.to_path_buf(),
            reason: "it is the site's root or a folder above it, which the build would replace",
        });
    }
    for source in crate::layout::SOURCE_FOLDERS {
        if out_abs.starts_with(root_abs.join(source)) {
            return Err(Error::UnsafeOutput {
                path: out.to_path_buf(),
                reason: "it is inside one of the site's source folders",
            });
        }
    }
    if out_abs.join(crate::config::CONFIG_FILE).exists() {
        return Err(Error::UnsafeOutput {
            path: out.to_path_buf(),
            reason: "it holds a boardpack.toml, so it looks like a site rather than a build",
        });
    }
    Ok(())
}

/// Write `files` (relative path, bytes; no duplicates) as the new contents of `out`: the
/// unit tests' way to drive a whole build's staging and commit.
#[cfg(test)]
fn write_atomic(out: &Path, files: &[(String, Vec<u8>)]) -> Result<Written, Error> {
    let staging = Staging::begin(out, Options::default(), |_| {})?;
    for (rel, bytes) in files {
        staging.put(rel, bytes)?;
    }
    staging.commit()
}

/// A build's output while it is being written; see the module's documentation.
///
/// [`Staging::put`] may be called from many threads at once. Dropping a `Staging` without
/// [`Staging::commit`] removes what was staged and leaves the output as it was.
pub struct Staging {
    out: PathBuf,
    /// The staging folder: `new/` holds staged files at their output paths, `old/` what the
    /// commit sets aside. `None` once committed or dropped.
    tmp: Option<tempfile::TempDir>,
    /// The lock on the output folder, held until the build ends.
    _lock: Option<fs::File>,
    /// Whether this build made the output folder, to be removed again if it fails.
    made_out: bool,
    /// Whether the output held anything to compare with or to replace.
    update: bool,
    /// What the previous build wrote.
    previous: Manifest,
    options: Options,
    /// For tests: the commit step to fail, and the one at which to end the process.
    fail_at: Option<usize>,
    abort_at: Option<usize>,
    state: Mutex<StagingState>,
}

#[derive(Default)]
struct StagingState {
    /// Every path of the new output, with the digest of its bytes.
    all: HashMap<String, Hash>,
    /// The paths staged because their bytes changed.
    changed: Vec<String>,
    /// Paths where a file boardpack did not write stands, with other bytes.
    foreign: Vec<String>,
    bytes: u64,
}

impl Staging {
    /// Prepare to write a new output at `out`. If another build holds the output folder,
    /// `waiting` is called once and this build waits for it to finish.
    pub fn begin(out: &Path, options: Options, waiting: impl FnOnce(&Path)) -> Result<Self, Error> {
        if out.file_name().is_none() {
            return Err(Error::UnsafeOutput {
                path: out.to_path_buf(),
                reason: "it has no folder name",
            });
        }
        // The output itself may be a link to a folder (the user named it); nothing below it is
        // followed.
        let made_out = match fs::metadata(out) {
            Ok(m) if m.is_dir() => false,
            Ok(_) => {
                return Err(Error::UnsafeOutput {
                    path: out.to_path_buf(),
                    reason: "it is a file, not a folder",
                });
            }
            Err(_) => {
                fs::create_dir_all(out).map_err(write_err(out))?;
                set_folder_permissions(out).map_err(write_err(out))?;
                true
            }
        };
        let lock = lock_output(out, waiting).map_err(write_err(out))?;
        remove_abandoned(out);
        let previous = Manifest::read(out)?;
        let update = match &previous {
            Some(_) => true,
            None => {
                let foreign = foreign_files(out).map_err(|source| Error::Read {
                    path: out.to_path_buf(),
                    source,
                })?;
                if !foreign.is_empty() && !options.force {
                    return Err(Error::OutputNotEmpty {
                        path: out.to_path_buf(),
                        more: foreign.len().saturating_sub(FOREIGN_SHOWN),
                        files: foreign.into_iter().take(FOREIGN_SHOWN).collect(),
                    });
                }
                !foreign.is_empty() || fs::read_dir(out).is_ok_and(|mut d| d.next().is_some())
            }
        };
        let tmp = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(out)
            .map_err(write_err(out))?;
        fs::write(tmp.path().join(STAGING_MARK), "").map_err(write_err(tmp.path()))?;
        for sub in ["new", "old"] {
            let dir = tmp.path().join(sub);
            fs::create_dir(&dir).map_err(write_err(&dir))?;
            set_folder_permissions(&dir).map_err(write_err(&dir))?;
        }
        Ok(Self {
            out: out.to_path_buf(),
            tmp: Some(tmp),
            _lock: lock,
            made_out,
            update,
            previous: previous.unwrap_or_default(),
            options,
            fail_at: injected("BOARDPACK_TEST_FAIL_COMMIT_STEP"),
            abort_at: injected("BOARDPACK_TEST_ABORT_COMMIT_STEP"),
            state: Mutex::new(StagingState::default()),
        })
    }

    fn tmp(&self) -> &Path {
        self.tmp.as_ref().map_or(Path::new("."), |t| t.path())
    }

    /// Stage one file of the new output, unless the previous output already has these bytes.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        self.claim(rel, bytes.len() as u64, manifest::hash(bytes))?;
        if self.update {
            let old = self.out.join(rel);
            if same_bytes(&old, bytes) {
                return Ok(());
            }
            self.check_foreign(rel, &old);
        }
        let path = self.staged_path(rel)?;
        fs::write(&path, bytes).map_err(write_err(&path))?;
        self.changed(rel);
        Ok(())
    }

    /// As [`Staging::put`], for a file that `write` writes: a large file (the search index)
    /// need never be held in memory whole. It is written to the staging folder and compared
    /// with the previous output's there.
    pub fn put_written(
        &self,
        rel: &str,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Error> {
        if !is_safe_relative(rel) {
            return Err(unsafe_path(rel));
        }
        let path = self.staged_path(rel)?;
        let file = fs::File::create(&path).map_err(write_err(&path))?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)
            .and_then(|()| out.flush())
            .map_err(write_err(&path))?;
        drop(out);
        let len = fs::metadata(&path).map_err(write_err(&path))?.len();
        let digest = manifest::hash_file(&path).ok_or_else(|| Error::Write {
            path: path.clone(),
            source: std::io::Error::other("the staged file cannot be read back"),
        })?;
        self.claim(rel, len, digest)?;
        if self.update {
            let old = self.out.join(rel);
            if same_files(&old, &path) {
                return fs::remove_file(&path).map_err(write_err(&path));
            }
            self.check_foreign(rel, &old);
        }
        self.changed(rel);
        Ok(())
    }

    /// Count `rel` as part of the new output, refusing a path outside it or seen before.
    fn claim(&self, rel: &str, len: u64, digest: Hash) -> Result<(), Error> {
        if !is_safe_relative(rel) || rel == MANIFEST {
            return Err(unsafe_path(rel));
        }
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.all.insert(rel.to_string(), digest).is_some() {
            return Err(Error::OutputCollision {
                path: rel.to_string(),
                first: "an earlier output".into(),
                second: "another".into(),
            });
        }
        state.bytes += len;
        Ok(())
    }

    /// Note `rel` if something boardpack did not write stands at its place in the output.
    /// A folder there is an old output's if boardpack wrote files in it; whether it is empty
    /// once they are removed is for the commit to find.
    fn check_foreign(&self, rel: &str, old: &Path) {
        let foreign = match fs::symlink_metadata(old) {
            Ok(m) if m.is_dir() => !self.previous.owns_under(rel),
            Ok(_) => !self.previous.owns(rel),
            Err(_) => false,
        };
        if foreign {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            state.foreign.push(rel.to_string());
        }
    }

    /// Where `rel` is staged, with the folders above it made.
    fn staged_path(&self, rel: &str) -> Result<PathBuf, Error> {
        let path = self.tmp().join("new").join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(write_err(dir))?;
        }
        Ok(path)
    }

    fn changed(&self, rel: &str) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.changed.push(rel.to_string());
    }

    /// Put the staged files in place and remove what the new output no longer has. On any
    /// failure the previous output is left (or put back) as it was.
    pub fn commit(mut self) -> Result<Written, Error> {
        let state = std::mem::take(&mut *self.state.lock().unwrap_or_else(|e| e.into_inner()));
        let mut foreign = state.foreign;
        foreign.sort();
        if !foreign.is_empty() && !self.options.force {
            return Err(Error::OutputConflict {
                path: self.out.clone(),
                more: foreign.len().saturating_sub(FOREIGN_SHOWN),
                files: foreign.into_iter().take(FOREIGN_SHOWN).collect(),
            });
        }
        let mut next = Manifest::default();
        for (rel, digest) in &state.all {
            next.insert(rel.clone(), *digest);
        }
        // What the previous build wrote and this one does not: removed only if unchanged.
        let mut stale = Vec::new();
        let mut kept = Vec::new();
        for rel in self
            .previous
            .paths()
            .filter(|p| !state.all.contains_key(*p))
        {
            let path = self.out.join(rel);
            match manifest::hash_file(&path) {
                Some(digest) if self.previous.wrote(rel, &digest) => stale.push(rel.to_string()),
                Some(_) => kept.push(rel.to_string()),
                None => {}
            }
        }
        let tmp = self.tmp().to_path_buf();
        let interim = tmp.join("manifest-interim");
        let last = tmp.join("manifest");
        fs::write(&interim, self.previous.union(&next).to_text()).map_err(write_err(&interim))?;
        fs::write(&last, next.to_text()).map_err(write_err(&last))?;
        let mut changed = state.changed;
        changed.sort();
        commit::apply(&commit::Plan {
            out: &self.out,
            staged: &tmp.join("new"),
            old: &tmp.join("old"),
            interim_manifest: &interim,
            final_manifest: &last,
            stale: &stale,
            changed: &changed,
            force: self.options.force,
            fail_at: self.fail_at,
            abort_at: self.abort_at,
        })?;
        self.made_out = false;
        Ok(Written {
            files: state.all.len(),
            bytes: state.bytes,
            changed: changed.len(),
            removed: stale.len(),
            kept,
            replaced: foreign,
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(tmp) = self.tmp.take() {
            let _ = tmp.close();
        }
        // A failed first build leaves no empty folder behind; one that is not empty stays.
        if self.made_out {
            let _ = fs::remove_dir(&self.out);
        }
    }
}

/// How many files an error about other people's files names.
const FOREIGN_SHOWN: usize = 5;

/// The files and folders at the top of `out` that boardpack did not write and that are not
/// part of how a folder is published (dotfiles such as `.git` and `.nojekyll`, and `CNAME`),
/// sorted, folders ending in `/`.
fn foreign_files(out: &Path) -> std::io::Result<Vec<String>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(out)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "CNAME" {
            continue;
        }
        let dir = entry.file_type().is_ok_and(|t| t.is_dir());
        found.push(if dir { format!("{name}/") } else { name });
    }
    found.sort();
    Ok(found)
}

fn unsafe_path(rel: &str) -> Error {
    Error::UnsafeOutput {
        path: PathBuf::from(rel),
        reason: "an output path must stay inside the output folder",
    }
}

/// In debug builds only, `BOARDPACK_TEST_FAIL_COMMIT_STEP=N` fails the commit's N-th step and
/// `BOARDPACK_TEST_ABORT_COMMIT_STEP=N` ends the process there, so that the integration tests
/// can see a failed commit undone, and a killed one repaired, on the real binary.
fn injected(variable: &str) -> Option<usize> {
    if cfg!(debug_assertions) {
        std::env::var(variable).ok().and_then(|n| n.parse().ok())
    } else {
        None
    }
}

/// Lock the output folder for this build, waiting (after calling `waiting`) while another
/// build holds it. The lock is released when the returned handle is dropped or the process
/// ends, however it ends. `None` where folders cannot be locked.
#[cfg(unix)]
fn lock_output(out: &Path, waiting: impl FnOnce(&Path)) -> std::io::Result<Option<fs::File>> {
    let file = fs::File::open(out)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            waiting(out);
            file.lock()?;
        }
        Err(fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
            return Ok(None);
        }
        Err(fs::TryLockError::Error(e)) => return Err(e),
    }
    Ok(Some(file))
}

#[cfg(not(unix))]
fn lock_output(_out: &Path, _waiting: impl FnOnce(&Path)) -> std::io::Result<Option<fs::File>> {
    Ok(None)
}

/// Remove the staging folders that killed builds left in `out`. The caller holds the output's
/// lock, so no other build is using one. Only a real folder with boardpack's mark in it is
/// removed; best effort, since a leftover does no harm beyond its space.
fn remove_abandoned(out: &Path) {
    let Ok(entries) = fs::read_dir(out) else {
        return;
    };
    for entry in entries.flatten() {
        let ours = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(STAGING_PREFIX));
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if ours && is_dir && fs::symlink_metadata(path.join(STAGING_MARK)).is_ok() {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + use<> {
    let path = path.to_path_buf();
    move |source| Error::Write { path, source }
}

#[cfg(unix)]
fn set_folder_permissions(p: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    // Temporary folders are private (0700); a published site's folder is not.
    fs::set_permissions(p, fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn set_folder_permissions(_: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_file_is_staged_only_when_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let write = |text: &'static str| {
            let staging = Staging::begin(&out, Options::default(), |_| {}).unwrap();
            staging
                .put_written("search/index.json", |w| w.write_all(text.as_bytes()))
                .unwrap();
            staging.commit().unwrap()
        };
        assert_eq!(write("one").changed, 1);
        let again = write("one");
        assert_eq!((again.changed, again.files, again.bytes), (0, 1, 3));
        assert_eq!(write("two!").changed, 1);
        assert_eq!(
            fs::read_to_string(out.join("search/index.json")).unwrap(),
            "two!"
        );
    }

    fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        list.iter()
            .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
            .collect()
    }

    fn siblings(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// The output's entries, less the manifest, which every build writes.
    fn listing(out: &Path) -> Vec<String> {
        let mut v = siblings(out);
        v.retain(|n| n != MANIFEST);
        v
    }

    fn written(files: usize, bytes: u64, changed: usize, removed: usize) -> Written {
        Written {
            files,
            bytes,
            changed,
            removed,
            ..Written::default()
        }
    }

    #[test]
    fn replaces_the_output_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let w = write_atomic(
            &out,
            &files(&[("index.html", "one"), ("a/b/index.html", "two")]),
        )
        .unwrap();
        assert_eq!(w, written(2, 6, 2, 0));
        assert_eq!(
            fs::read_to_string(out.join("a/b/index.html")).unwrap(),
            "two"
        );
        write_atomic(&out, &files(&[("index.html", "new")])).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert!(!out.join("a").exists(), "a folder boardpack emptied goes");
        assert_eq!(siblings(dir.path()), ["site"]);
        assert_eq!(siblings(&out), [MANIFEST, "index.html"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&out).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o755);
        }
    }

    /// The data-loss case: files the user put in the output are never deleted, and a first
    /// build into a folder of other files is refused without `--force`.
    #[test]
    fn files_boardpack_did_not_write_are_never_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(out.join("sub")).unwrap();
        fs::write(out.join("thesis.txt"), "my thesis").unwrap();
        fs::write(out.join("sub/notes.md"), "notes").unwrap();
        fs::write(out.join(".hidden"), "h").unwrap();
        let err = write_atomic(&out, &files(&[("index.html", "one")])).unwrap_err();
        assert!(
            matches!(&err, Error::OutputNotEmpty { files, more: 0, .. } if files == &["sub/", "thesis.txt"]),
            "{err:?}"
        );
        assert_eq!(listing(&out), [".hidden", "sub", "thesis.txt"], "untouched");

        let force = Options { force: true };
        let build = |list: &[(&str, &str)]| {
            let staging = Staging::begin(&out, force, |_| {}).unwrap();
            for (rel, bytes) in files(list) {
                staging.put(&rel, &bytes).unwrap();
            }
            staging.commit().unwrap()
        };
        build(&[("index.html", "one"), ("sub/index.html", "two")]);
        // Without --force from now on: the manifest says what is boardpack's.
        write_atomic(&out, &files(&[("index.html", "three")])).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("thesis.txt")).unwrap(),
            "my thesis"
        );
        assert_eq!(
            fs::read_to_string(out.join("sub/notes.md")).unwrap(),
            "notes"
        );
        assert_eq!(fs::read_to_string(out.join(".hidden")).unwrap(), "h");
        assert!(
            !out.join("sub/index.html").exists(),
            "boardpack's own stale file goes"
        );
        assert_eq!(
            listing(&out),
            [".hidden", "index.html", "sub", "thesis.txt"]
        );
    }

    /// GitHub Pages keeps `.git`, `CNAME` and `.nojekyll` in the published folder: a first
    /// build is not refused for them, and no build touches them.
    #[test]
    fn a_publishing_folder_keeps_its_dotfiles_and_cname() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(out.join(".git/objects")).unwrap();
        fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages").unwrap();
        fs::write(out.join("CNAME"), "board.example.org").unwrap();
        fs::write(out.join(".nojekyll"), "").unwrap();
        for text in ["one", "two"] {
            write_atomic(&out, &files(&[("index.html", text), (text, text)])).unwrap();
        }
        assert_eq!(
            listing(&out),
            [".git", ".nojekyll", "CNAME", "index.html", "two"]
        );
        assert!(out.join(".git/objects").is_dir());
        assert_eq!(
            fs::read_to_string(out.join("CNAME")).unwrap(),
            "board.example.org"
        );
    }

    /// A file boardpack wrote that the user has since edited is the user's: a rebuild that no
    /// longer has it leaves it, and says so. One the user put where boardpack now writes is
    /// not replaced without `--force`.
    #[test]
    fn an_edited_file_is_kept_and_a_foreign_one_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_atomic(&out, &files(&[("index.html", "1"), ("old.html", "o")])).unwrap();
        fs::write(out.join("old.html"), "edited by hand").unwrap();
        fs::write(out.join("new.html"), "the user's").unwrap();
        let w = write_atomic(&out, &files(&[("index.html", "2")])).unwrap();
        assert_eq!(
            (w.removed, w.kept.as_slice()),
            (0, &["old.html".to_string()][..])
        );
        assert_eq!(
            fs::read_to_string(out.join("old.html")).unwrap(),
            "edited by hand"
        );

        let before = fs::read(out.join(MANIFEST)).unwrap();
        let err = write_atomic(&out, &files(&[("index.html", "3"), ("new.html", "n")]));
        assert!(
            matches!(&err, Err(Error::OutputConflict { files, .. }) if files == &["new.html"]),
            "{err:?}"
        );
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "2");
        assert_eq!(fs::read(out.join(MANIFEST)).unwrap(), before);

        // The same bytes are simply adopted.
        let w = write_atomic(
            &out,
            &files(&[("index.html", "3"), ("new.html", "the user's")]),
        )
        .unwrap();
        assert!(w.replaced.is_empty());
        let staging = Staging::begin(&out, Options { force: true }, |_| {}).unwrap();
        staging.put("index.html", b"4").unwrap();
        staging.put("old.html", b"boardpack's again").unwrap();
        let w = staging.commit().unwrap();
        assert_eq!(w.replaced, ["old.html"]);
        assert_eq!(
            fs::read_to_string(out.join("old.html")).unwrap(),
            "boardpack's again"
        );
    }

    /// A commit that fails at any one of its steps leaves every file of the previous output
    /// as it was, and nothing else behind.
    #[test]
    fn a_commit_failing_at_any_step_leaves_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let first = files(&[
            ("index.html", "same"),
            ("a/index.html", "old"),
            ("gone/deep/x.html", "bye"),
            ("file-then-folder", "f"),
            ("folder-then-file/x.html", "d"),
        ]);
        let second = files(&[
            ("index.html", "same"),
            ("a/index.html", "new"),
            ("new/deep/index.html", "fresh"),
            ("file-then-folder/index.html", "now a folder"),
            ("folder-then-file", "now a file"),
        ]);
        write_atomic(&out, &first).unwrap();
        fs::write(out.join("mine.txt"), "the user's").unwrap();
        let before = everything(&out);
        let mut step = 1;
        loop {
            let mut staging = Staging::begin(&out, Options::default(), |_| {}).unwrap();
            staging.fail_at = Some(step);
            for (rel, bytes) in &second {
                staging.put(rel, bytes).unwrap();
            }
            match staging.commit() {
                Err(Error::Commit { unrestored, .. }) => {
                    assert!(unrestored.is_empty(), "step {step}: {unrestored:?}");
                    assert_eq!(everything(&out), before, "after a failure at step {step}");
                    assert_eq!(siblings(dir.path()), ["site"]);
                }
                Err(other) => panic!("step {step}: {other:?}"),
                Ok(_) => break,
            }
            step += 1;
        }
        assert!(step > 8, "every step was tried: {step}");
        let after = everything(&out);
        assert_eq!(after["new/deep/index.html"], b"fresh");
        assert_eq!(after["folder-then-file"], b"now a file");
        assert_eq!(after["mine.txt"], b"the user's");
        assert!(
            !after
                .keys()
                .any(|k| k.starts_with("gone") || k.starts_with(STAGING_PREFIX))
        );
    }

    /// Every file and folder under `dir`, with a file's bytes (a folder's are empty).
    fn everything(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(Result::unwrap)
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let bytes = if e.file_type().is_file() {
                    fs::read(e.path()).unwrap()
                } else {
                    Vec::new()
                };
                (rel, bytes)
            })
            .collect()
    }

    /// What a killed build left is removed by the next, but only a folder with boardpack's
    /// mark in it.
    #[test]
    fn a_killed_builds_staging_folder_is_removed_by_the_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_atomic(&out, &files(&[("index.html", "one")])).unwrap();
        let killed = out.join(format!("{STAGING_PREFIX}killed"));
        fs::create_dir_all(killed.join("new/deep")).unwrap();
        fs::write(killed.join(STAGING_MARK), "").unwrap();
        fs::write(killed.join("new/deep/index.html"), "half").unwrap();
        let unmarked = out.join(format!("{STAGING_PREFIX}not-ours"));
        fs::create_dir_all(&unmarked).unwrap();
        write_atomic(&out, &files(&[("index.html", "two")])).unwrap();
        assert!(!killed.exists());
        assert!(unmarked.exists());
    }

    /// A second build into the same folder waits until the first has finished.
    #[test]
    #[cfg(unix)]
    fn a_second_build_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let first =
            Staging::begin(&out, Options::default(), |_| panic!("nothing to wait for")).unwrap();
        first.put("index.html", b"first").unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let second = {
            let out = out.clone();
            std::thread::spawn(move || {
                let staging = Staging::begin(&out, Options::default(), |_| {
                    tx.send(()).unwrap();
                })
                .unwrap();
                staging.put("index.html", b"second").unwrap();
                staging.commit().unwrap()
            })
        };
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .expect("the second build says it is waiting");
        first.commit().unwrap();
        second.join().unwrap();
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "second"
        );
    }

    /// The output may be a link to a folder; a link inside it is never written through.
    #[test]
    #[cfg(unix)]
    fn links_at_and_inside_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        fs::create_dir(&real).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, &files(&[("index.html", "one")])).unwrap();
        assert_eq!(fs::read_to_string(real.join("index.html")).unwrap(), "one");

        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, real.join("a")).unwrap();
        let err = write_atomic(&link, &files(&[("index.html", "two"), ("a/x.html", "x")]));
        assert!(matches!(err, Err(Error::OutputLink { .. })), "{err:?}");
        assert!(
            siblings(&elsewhere).is_empty(),
            "nothing written through the link"
        );
        assert_eq!(fs::read_to_string(real.join("index.html")).unwrap(), "one");
    }

    /// A first build that fails leaves no folder behind.
    #[test]
    fn a_failed_first_build_leaves_no_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let err = write_atomic(&out, &files(&[("a.html", "1"), ("../x.html", "2")]));
        assert!(err.is_err());
        assert!(siblings(dir.path()).is_empty());
    }

    #[cfg(unix)]
    fn inode(p: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(p).unwrap().ino()
    }

    #[test]
    #[cfg(unix)]
    fn an_update_touches_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_atomic(
            &out,
            &files(&[
                ("index.html", "same"),
                ("a/index.html", "old"),
                ("gone/deep/x.html", "bye"),
                ("file-then-folder", "f"),
                ("folder-then-file/x.html", "d"),
            ]),
        )
        .unwrap();
        let kept = inode(&out.join("index.html"));
        let w = write_atomic(
            &out,
            &files(&[
                ("index.html", "same"),
                ("a/index.html", "new"),
                ("file-then-folder/index.html", "now a folder"),
                ("folder-then-file", "now a file"),
            ]),
        )
        .unwrap();
        assert_eq!(w, written(4, 4 + 3 + 12 + 10, 3, 3));
        assert_eq!(
            inode(&out.join("index.html")),
            kept,
            "unchanged: not rewritten"
        );
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new");
        assert_eq!(
            fs::read_to_string(out.join("file-then-folder/index.html")).unwrap(),
            "now a folder"
        );
        assert_eq!(
            fs::read_to_string(out.join("folder-then-file")).unwrap(),
            "now a file"
        );
        assert!(!out.join("gone").exists(), "emptied folders are removed");
        assert_eq!(siblings(dir.path()), ["site"]);
    }

    #[test]
    fn the_same_path_twice_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let err = write_atomic(&out, &files(&[("a.html", "1"), ("a.html", "2")])).unwrap_err();
        assert!(matches!(err, Error::OutputCollision { .. }), "{err:?}");
        assert!(!out.exists());
        assert!(siblings(dir.path()).is_empty());
    }

    #[test]
    fn a_failed_write_leaves_the_previous_output_and_no_temporary_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_atomic(&out, &files(&[("index.html", "kept")])).unwrap();
        let err = write_atomic(
            &out,
            &files(&[("index.html", "new"), ("../escape.html", "x")]),
        )
        .unwrap_err();
        assert!(matches!(err, Error::UnsafeOutput { .. }), "{err:?}");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "kept");
        assert_eq!(siblings(dir.path()), ["site"]);
    }

    #[test]
    fn refuses_to_replace_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output(&root, &root).is_err());
        assert!(check_output(dir.path(), &root).is_err());
        assert!(check_output(&root.join("content/out"), &root).is_err());
        assert!(check_output(&root.join("content/../content/x"), &root).is_err());
        assert!(check_output(&root.join("output"), &root).is_ok());
        assert!(check_output(&dir.path().join("elsewhere"), &root).is_ok());
        fs::create_dir_all(dir.path().join("other")).unwrap();
        fs::write(dir.path().join("other/boardpack.toml"), "").unwrap();
        assert!(check_output(&dir.path().join("other"), &root).is_err());
    }
}
