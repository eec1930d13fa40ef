//! Writing the output atomically: every file goes into a fresh folder beside the output
//! (`<out>.tmp-<random>` in the same parent, so the final rename never crosses file systems),
//! which then replaces the output with two renames. Until the second rename, the previous output
//! is untouched; if anything fails before it, the temporary folder is removed.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
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

/// Write `files` (relative path, bytes; sorted, no duplicates) as the new contents of `out`.
pub fn write_atomic(out: &Path, files: &[(String, Vec<u8>)]) -> Result<Written, Error> {
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Write { path, source }
    };
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
    if out.exists() && !out.is_dir() {
        return Err(Error::UnsafeOutput {
            path: out.to_path_buf(),
            reason: "it is a file, not a folder",
        });
    }

    // Dropped (and so removed) on any early return below.
    let tmp = tempfile::Builder::new()
        .prefix(&format!("{name}.tmp-"))
        .tempdir_in(&parent)
        .map_err(write_err(&parent))?;
    set_folder_permissions(tmp.path()).map_err(write_err(tmp.path()))?;

    let mut written = Written::default();
    for (rel, bytes) in files {
        if !is_safe_relative(rel) {
            return Err(Error::UnsafeOutput {
                path: PathBuf::from(rel),
                reason: "an output path must stay inside the output folder",
            });
        }
        let path = tmp.path().join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(write_err(dir))?;
        }
        fs::write(&path, bytes).map_err(write_err(&path))?;
        written.files += 1;
        written.bytes += bytes.len() as u64;
    }

    // Swap: move the old output aside, move the new one in, then remove the old one.
    let suffix = tmp
        .path()
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.rsplit(".tmp-").next())
        .unwrap_or("old")
        .to_string();
    let aside = parent.join(format!("{name}.old-{suffix}"));
    let had_old = out.exists();
    if had_old {
        fs::rename(out, &aside).map_err(write_err(out))?;
    }
    if let Err(e) = fs::rename(tmp.path(), out) {
        if had_old {
            // Put the previous output back; the temporary folder is removed on drop.
            let _ = fs::rename(&aside, out);
        }
        return Err(Error::Write {
            path: out.to_path_buf(),
            source: e,
        });
    }
    // The new output is in place: the temporary folder must not be removed now.
    let _ = tmp.keep();
    if had_old {
        // Best effort: the build has succeeded even if the old copy cannot be removed.
        let _ = fs::remove_dir_all(&aside);
    }
    Ok(written)
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
        assert_eq!(w, Written { files: 2, bytes: 6 });
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
