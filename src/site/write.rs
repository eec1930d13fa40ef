//! Writing the output without ever leaving it half-written.
//!
//! Every file of a build is first *staged*: written into a fresh folder beside the output
//! (`<out>.tmp-<random>` in the same parent, so that moving it never crosses file systems). Until
//! every page has rendered and been staged, the previous output is untouched; if anything fails
//! before then, the staging folder is removed and the output is as it was.
//!
//! A build that is killed (Ctrl-C, `kill -9`, a CI timeout) cannot remove its staging folder.
//! On Unix each build holds a lock on its own folder for as long as it runs, and the next build
//! removes any staging folder of the same output whose lock it can take: the process that held
//! it is gone. Folders changed in the last minute are left for a later build, so that a build
//! that has just made its folder and not yet locked it never loses it.
//!
//! How the staged files then reach the output depends on what is there:
//!
//! - **No output yet** (or a file in the way is refused): the staging folder is renamed to be the
//!   output, one atomic step.
//! - **A previous output**: only the files whose bytes changed are staged, and each is moved into
//!   place with its own rename, so no reader or web server ever sees a half-written file; files
//!   the new build does not produce are removed just before (so that a folder can take the
//!   place of a file, or the reverse). Unchanged files are not touched at all,
//!   which keeps their modification times for `rsync` and spares the file system from creating
//!   and deleting tens of thousands of files on every build (the slowest part of a large build
//!   when every file was rewritten: see docs/benchmarks.md).

use std::collections::HashSet;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::error::Error;

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Files in the new output.
    pub files: usize,
    /// Their total size.
    pub bytes: u64,
    /// Files whose bytes changed (all of them for a new output), each replaced by a rename.
    pub changed: usize,
    /// Files of the previous output that the new one does not have.
    pub removed: usize,
}

/// Whether an output path is a plain relative path that stays inside the output folder.
fn is_safe_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\\')
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
    for source in ["content", "templates", "themes", "static"] {
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

/// Write `files` (relative path, bytes; no duplicates) as the new contents of `out`.
pub fn write_atomic(out: &Path, files: &[(String, Vec<u8>)]) -> Result<Written, Error> {
    let staging = Staging::begin(out)?;
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
    tmp: tempfile::TempDir,
    /// Held while the build runs, so that other builds know the staging folder is in use.
    _lock: Option<fs::File>,
    /// Whether there is a previous output to update in place.
    update: bool,
    /// Every path of the new output, and the ones staged because they changed.
    state: Mutex<StagingState>,
}

#[derive(Default)]
struct StagingState {
    all: HashSet<String>,
    changed: Vec<String>,
    bytes: u64,
}

impl Staging {
    /// Prepare to write a new output at `out`.
    pub fn begin(out: &Path) -> Result<Self, Error> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| Error::UnsafeOutput {
                path: out.to_path_buf(),
                reason: "it has no folder name",
            })?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(write_err(&parent))?;
        let update = match fs::symlink_metadata(out) {
            Ok(m) if m.is_dir() => true,
            Ok(_) => {
                return Err(Error::UnsafeOutput {
                    path: out.to_path_buf(),
                    reason: "it is a file, not a folder",
                });
            }
            Err(_) => false,
        };
        let tmp = tempfile::Builder::new()
            .prefix(&format!("{name}.tmp-"))
            .tempdir_in(&parent)
            .map_err(write_err(&parent))?;
        set_folder_permissions(tmp.path()).map_err(write_err(tmp.path()))?;
        let lock = lock_folder(tmp.path());
        remove_abandoned(&parent, &name, tmp.path());
        Ok(Self {
            out: out.to_path_buf(),
            tmp,
            _lock: lock,
            update,
            state: Mutex::new(StagingState::default()),
        })
    }

    /// Stage one file of the new output, unless the previous output already has these bytes.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        self.claim(rel, bytes.len() as u64)?;
        if self.update && same_bytes(&self.out.join(rel), bytes) {
            return Ok(());
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
        self.claim(rel, 0)?;
        let path = self.staged_path(rel)?;
        let file = fs::File::create(&path).map_err(write_err(&path))?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)
            .and_then(|()| out.flush())
            .map_err(write_err(&path))?;
        drop(out);
        let len = fs::metadata(&path).map_err(write_err(&path))?.len();
        self.state.lock().unwrap_or_else(|e| e.into_inner()).bytes += len;
        if self.update && same_files(&self.out.join(rel), &path) {
            return fs::remove_file(&path).map_err(write_err(&path));
        }
        self.changed(rel);
        Ok(())
    }

    /// An unnamed file beside the output, gone when closed: room for what a build would
    /// otherwise hold in memory until the end. It is on the output's disk, not in memory.
    pub fn scratch(&self) -> Result<fs::File, Error> {
        let dir = self.tmp.path().parent().unwrap_or(Path::new("."));
        tempfile::tempfile_in(dir).map_err(write_err(dir))
    }

    /// Count `rel` as part of the new output, refusing a path outside it or seen before.
    fn claim(&self, rel: &str, len: u64) -> Result<(), Error> {
        if !is_safe_relative(rel) {
            return Err(Error::UnsafeOutput {
                path: PathBuf::from(rel),
                reason: "an output path must stay inside the output folder",
            });
        }
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if !state.all.insert(rel.to_string()) {
            return Err(Error::OutputCollision {
                path: rel.to_string(),
                first: "an earlier output".into(),
                second: "another".into(),
            });
        }
        state.bytes += len;
        Ok(())
    }

    /// Where `rel` is staged, with the folders above it made.
    fn staged_path(&self, rel: &str) -> Result<PathBuf, Error> {
        let path = self.tmp.path().join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(write_err(dir))?;
        }
        Ok(path)
    }

    fn changed(&self, rel: &str) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.changed.push(rel.to_string());
    }

    /// Put the staged files in place and remove what the new output no longer has.
    pub fn commit(self) -> Result<Written, Error> {
        let state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut written = Written {
            files: state.all.len(),
            bytes: state.bytes,
            changed: state.changed.len(),
            removed: 0,
        };
        if !self.update {
            let tmp = self.tmp.keep();
            if let Err(source) = fs::rename(&tmp, &self.out) {
                let _ = fs::remove_dir_all(&tmp);
                return Err(Error::Write {
                    path: self.out,
                    source,
                });
            }
            return Ok(written);
        }
        // Old files first, so that a folder can take the place of a file or the reverse.
        let mut stale = Vec::new();
        for entry in walkdir::WalkDir::new(&self.out).min_depth(1) {
            let entry = entry.map_err(|e| Error::Write {
                path: e.path().unwrap_or(&self.out).to_path_buf(),
                source: e.into(),
            })?;
            if !entry.file_type().is_dir()
                && !state.all.contains(&relative(&self.out, entry.path()))
            {
                stale.push(entry.path().to_path_buf());
            }
        }
        // Only folders that lost a file can have become empty.
        let mut folders: Vec<PathBuf> = stale
            .iter()
            .flat_map(|p| {
                (p.ancestors().skip(1))
                    .take_while(|a| a.starts_with(&self.out) && *a != self.out)
                    .map(Path::to_path_buf)
            })
            .collect();
        folders.sort();
        folders.dedup();
        for path in &stale {
            fs::remove_file(path).map_err(write_err(path))?;
        }
        written.removed = stale.len();
        let mut changed = state.changed;
        changed.sort();
        for rel in &changed {
            let to = self.out.join(rel);
            make_parents(&self.out, rel)?;
            if fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
                fs::remove_dir_all(&to).map_err(write_err(&to))?;
            }
            fs::rename(self.tmp.path().join(rel), &to).map_err(write_err(&to))?;
        }
        // Folders left empty, deepest first; a folder that is not empty stays.
        folders.sort_by(|a, b| b.cmp(a));
        for dir in folders {
            let _ = fs::remove_dir(dir);
        }
        Ok(written)
    }
}

/// Take an exclusive lock on a folder, held until the returned handle is dropped (or the
/// process ends). `None` where folders cannot be locked: staging then works as before, and
/// only the clean-up of abandoned folders is lost.
#[cfg(unix)]
fn lock_folder(dir: &Path) -> Option<fs::File> {
    let file = fs::File::open(dir).ok()?;
    file.try_lock().ok()?;
    Some(file)
}

#[cfg(not(unix))]
fn lock_folder(_dir: &Path) -> Option<fs::File> {
    None
}

/// How long a staging folder must have been left unchanged before another build may remove it.
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// Remove the staging folders of `<parent>/<name>` that killed builds left behind: those no
/// running build holds a lock on, unchanged for [`ABANDONED_AFTER`]. Best effort: a folder that
/// cannot be read, locked or removed is left as it is, and the build goes on.
#[cfg(unix)]
fn remove_abandoned(parent: &Path, name: &str, own: &Path) {
    let prefix = format!("{name}.tmp-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let ours = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(&prefix));
        if !ours || path == own {
            continue;
        }
        // Not following links: only a real folder of this output's is ever removed.
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        let settled = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age >= ABANDONED_AFTER);
        if !meta.is_dir() || !settled {
            continue;
        }
        if let Some(_held) = lock_folder(&path) {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

#[cfg(not(unix))]
fn remove_abandoned(_parent: &Path, _name: &str, _own: &Path) {}

fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + use<> {
    let path = path.to_path_buf();
    move |source| Error::Write { path, source }
}

/// Records appended from many threads to a scratch file, each read back later by the
/// [`Record`] its append returned: what a build makes page by page but writes only at the end
/// (the search index's entries), kept on disk instead of in memory.
pub struct Spill {
    file: Mutex<(std::io::BufWriter<fs::File>, u64)>,
}

/// Where one record of a [`Spill`] is: offset and length.
pub type Record = (u64, usize);

impl Spill {
    pub fn new(file: fs::File) -> Self {
        Spill {
            file: Mutex::new((std::io::BufWriter::new(file), 0)),
        }
    }

    pub fn push(&self, bytes: &[u8]) -> std::io::Result<Record> {
        let mut guard = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let (file, len) = &mut *guard;
        file.write_all(bytes)?;
        let at = *len;
        *len += bytes.len() as u64;
        Ok((at, bytes.len()))
    }

    /// Every record is in; read them back.
    pub fn finish(self) -> std::io::Result<SpillReader> {
        let (file, _) = self.file.into_inner().unwrap_or_else(|e| e.into_inner());
        Ok(SpillReader {
            file: file.into_inner().map_err(|e| e.into_error())?,
        })
    }
}

pub struct SpillReader {
    file: fs::File,
}

impl SpillReader {
    pub fn get(&mut self, (at, len): Record) -> std::io::Result<Vec<u8>> {
        use std::io::{Read, Seek, SeekFrom};
        self.file.seek(SeekFrom::Start(at))?;
        let mut bytes = vec![0; len];
        self.file.read_exact(&mut bytes)?;
        Ok(bytes)
    }
}

/// Whether `path` is a regular file holding exactly `bytes`. Reading an unchanged file back
/// costs far less than replacing it.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::File::open(path).is_ok_and(|file| same_reads(reader(file, m.len()), bytes))
        }
        _ => false,
    }
}

/// Whether `old` is a regular file with the same bytes as the file `new`.
fn same_files(old: &Path, new: &Path) -> bool {
    let (Ok(o), Ok(n)) = (fs::symlink_metadata(old), fs::metadata(new)) else {
        return false;
    };
    if !o.is_file() || o.len() != n.len() {
        return false;
    }
    match (fs::File::open(old), fs::File::open(new)) {
        (Ok(a), Ok(b)) => same_reads(reader(a, o.len()), reader(b, n.len())),
        _ => false,
    }
}

/// A buffered reader for a file of `len` bytes: one read for most pages, and a bounded buffer
/// for a large file.
fn reader(file: fs::File, len: u64) -> BufReader<fs::File> {
    let capacity = usize::try_from(len)
        .unwrap_or(usize::MAX)
        .clamp(1, 256 * 1024);
    BufReader::with_capacity(capacity, file)
}

/// Whether two readers give the same bytes, compared a buffer at a time so that a large file
/// is never read whole.
fn same_reads(mut a: impl BufRead, mut b: impl BufRead) -> bool {
    loop {
        let n = match (a.fill_buf(), b.fill_buf()) {
            (Ok(x), Ok(y)) => {
                let n = x.len().min(y.len());
                if x[..n] != y[..n] {
                    return false;
                }
                if n == 0 {
                    return x.is_empty() && y.is_empty();
                }
                n
            }
            _ => return false,
        };
        a.consume(n);
        b.consume(n);
    }
}

/// `path` below `base`, with `/` between components, as output paths are written.
fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// Create the folders above `rel` inside `out`, replacing any file that stands where a folder
/// must be (an old output's file, removed as stale only if the new output lacks it).
fn make_parents(out: &Path, rel: &str) -> Result<(), Error> {
    let Some(parent) = Path::new(rel).parent() else {
        return Ok(());
    };
    let mut dir = out.to_path_buf();
    for part in parent.components() {
        dir.push(part);
        match fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) => fs::remove_file(&dir).map_err(write_err(&dir))?,
            Err(_) => {}
        }
        fs::create_dir(&dir).map_err(write_err(&dir))?;
    }
    Ok(())
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

    /// A reader that hands out at most three bytes a time, as a slow file might.
    struct Trickle<'a>(&'a [u8]);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(3).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn two_reads_match_only_when_every_byte_does() {
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let trickle = |b| BufReader::with_capacity(7, Trickle(b));
        assert!(same_reads(trickle(&big), &big[..]));
        assert!(same_reads(&big[..], trickle(&big)));
        assert!(same_reads(&b""[..], &b""[..]));
        assert!(
            !same_reads(&big[..], &big[..199_999]),
            "the first is longer"
        );
        assert!(
            !same_reads(trickle(&big[..70_000]), &big[..]),
            "the first is shorter"
        );
        let mut changed = big.clone();
        changed[150_000] ^= 1;
        assert!(!same_reads(trickle(&changed), &big[..]));
    }

    #[test]
    fn spilled_records_read_back_in_any_order() {
        let spill = Spill::new(tempfile::tempfile().unwrap());
        let records: Vec<Record> = ["one", "", "three", "four"]
            .iter()
            .map(|r| spill.push(r.as_bytes()).unwrap())
            .collect();
        let mut back = spill.finish().unwrap();
        for (i, text) in [(2, "three"), (0, "one"), (3, "four"), (1, "")] {
            assert_eq!(back.get(records[i]).unwrap(), text.as_bytes());
        }
    }

    #[test]
    fn a_written_file_is_staged_only_when_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let write = |text: &'static str| {
            let staging = Staging::begin(&out).unwrap();
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

    #[test]
    fn replaces_the_output_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let w = write_atomic(
            &out,
            &files(&[("index.html", "one"), ("a/b/index.html", "two")]),
        )
        .unwrap();
        assert_eq!(
            w,
            Written {
                files: 2,
                bytes: 6,
                changed: 2,
                removed: 0
            }
        );
        assert_eq!(
            fs::read_to_string(out.join("a/b/index.html")).unwrap(),
            "two"
        );
        fs::write(out.join("stale.html"), "old").unwrap();
        write_atomic(&out, &files(&[("index.html", "new")])).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert!(!out.join("stale.html").exists());
        assert!(!out.join("a").exists());
        assert_eq!(siblings(dir.path()), ["site"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&out).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o755);
        }
    }

    /// What a killed build left is removed by the next; what a running build holds, what was
    /// changed a moment ago, another output's folder and a link are not.
    #[test]
    #[cfg(unix)]
    fn a_killed_builds_staging_folder_is_removed_by_the_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let folder = |name: &str, old: bool| {
            let path = dir.path().join(name);
            fs::create_dir_all(path.join("deep")).unwrap();
            fs::write(path.join("deep/index.html"), "half").unwrap();
            if old {
                fs::File::open(&path)
                    .unwrap()
                    .set_modified(hour_ago)
                    .unwrap();
            }
            path
        };
        folder("site.tmp-killed", true);
        let running = folder("site.tmp-running", true);
        let held = lock_folder(&running).expect("a folder can be locked");
        folder("site.tmp-justmade", false);
        folder("other.tmp-killed", true);
        let target = folder("elsewhere", true);
        std::os::unix::fs::symlink(&target, dir.path().join("site.tmp-link")).unwrap();

        write_atomic(&out, &files(&[("index.html", "one")])).unwrap();
        assert_eq!(
            siblings(dir.path()),
            [
                "elsewhere",
                "other.tmp-killed",
                "site",
                "site.tmp-justmade",
                "site.tmp-link",
                "site.tmp-running"
            ]
        );
        assert!(target.join("deep/index.html").exists());

        // Once the running build has gone, its folder goes at the next build too.
        drop(held);
        write_atomic(&out, &files(&[("index.html", "two")])).unwrap();
        assert!(!running.exists());
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
        assert_eq!(
            w,
            Written {
                files: 4,
                bytes: 4 + 3 + 12 + 10,
                changed: 3,
                removed: 3
            }
        );
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
