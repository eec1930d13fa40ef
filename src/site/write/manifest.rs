//! The output's manifest, `.boardpack-manifest`: every file boardpack wrote into the output
//! folder, with the SHA-256 of the bytes it wrote. It is what makes a rebuild safe in a folder
//! that also holds other people's files: boardpack removes a file only when the previous
//! manifest lists it *and* the file still holds the bytes listed, so a file the user added, or
//! one of boardpack's that the user has since edited, is never deleted.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::Error;

/// The manifest's file name in the output folder.
pub const MANIFEST: &str = ".boardpack-manifest";

/// The first line of a manifest: its format and version.
const HEADER: &str = "boardpack-manifest 1";

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// The SHA-256 of `bytes`.
pub fn hash(bytes: &[u8]) -> Hash {
    Sha256::digest(bytes).into()
}

/// The SHA-256 of a regular file's bytes, read a buffer at a time; `None` if `path` is not a
/// regular file (a link, a folder, nothing) or cannot be read.
pub fn hash_file(path: &Path) -> Option<Hash> {
    if !fs::symlink_metadata(path).ok()?.is_file() {
        return None;
    }
    let mut file = fs::File::open(path).ok()?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 64 * 1024];
    loop {
        match file.read(&mut buf) {
            Ok(0) => return Some(hasher.finalize().into()),
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
}

/// The files boardpack wrote, by output path. A path may carry more than one digest while a
/// commit is under way (the old bytes and the new), so that a build killed mid-commit leaves a
/// manifest that covers both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    files: BTreeMap<String, Vec<Hash>>,
}

impl Manifest {
    /// Read the manifest of the output folder `out`: `Ok(None)` if there is none.
    pub fn read(out: &Path) -> Result<Option<Manifest>, Error> {
        let path = out.join(MANIFEST);
        let text = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(Error::Read { path, source }),
        };
        Manifest::parse(&text)
            .map(Some)
            .map_err(|(line, message)| Error::Manifest {
                path,
                line,
                message,
            })
    }

    /// Parse a manifest's text; an error names the one-based line and what was wrong.
    fn parse(text: &[u8]) -> Result<Manifest, (usize, &'static str)> {
        let text = std::str::from_utf8(text).map_err(|_| (1, "it is not UTF-8 text"))?;
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, HEADER)) => {}
            _ => return Err((1, "its first line is not `boardpack-manifest 1`")),
        }
        let mut manifest = Manifest::default();
        for (i, line) in lines {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (digest, path) = line
                .split_once("  ")
                .ok_or((i + 1, "expected a SHA-256, two spaces and a path"))?;
            let digest = parse_hex(digest).ok_or((i + 1, "expected 64 hexadecimal digits"))?;
            if !super::is_safe_relative(path) {
                return Err((i + 1, "the path leaves the output folder"));
            }
            manifest.insert(path.to_string(), digest);
        }
        Ok(manifest)
    }

    /// Record that `path` was written with bytes whose digest is `digest`.
    pub fn insert(&mut self, path: String, digest: Hash) {
        let digests = self.files.entry(path).or_default();
        if !digests.contains(&digest) {
            digests.push(digest);
        }
    }

    /// Whether boardpack wrote a file at `path`.
    pub fn owns(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Whether boardpack wrote a file in the folder `dir`, at any depth.
    pub fn owns_under(&self, dir: &str) -> bool {
        let prefix = format!("{dir}/");
        self.files
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(p, _)| p.starts_with(&prefix))
    }

    /// Whether `digest` is what boardpack wrote at `path`.
    pub fn wrote(&self, path: &str, digest: &Hash) -> bool {
        self.files.get(path).is_some_and(|d| d.contains(digest))
    }

    /// Every path, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// This manifest with every entry of `other` added.
    pub fn union(&self, other: &Manifest) -> Manifest {
        let mut all = self.clone();
        for (path, digests) in &other.files {
            for d in digests {
                all.insert(path.clone(), *d);
            }
        }
        all
    }

    /// The manifest's text: sorted, so the same output gives the same bytes.
    pub fn to_text(&self) -> String {
        let mut text = String::with_capacity(64 + self.files.len() * 100);
        text.push_str(HEADER);
        text.push('\n');
        text.push_str(
            "# The files boardpack wrote in this folder: SHA-256, two spaces, path. A rebuild\n\
             # removes only files listed here whose bytes are unchanged; nothing else is touched.\n",
        );
        for (path, digests) in &self.files {
            for d in digests {
                for byte in d {
                    text.push(char::from(HEX[usize::from(byte >> 4)]));
                    text.push(char::from(HEX[usize::from(byte & 15)]));
                }
                text.push_str("  ");
                text.push_str(path);
                text.push('\n');
            }
        }
        text
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn parse_hex(text: &str) -> Option<Hash> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        out[i] = nibble(pair[0])? << 4 | nibble(pair[1])?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_what_it_wrote() {
        let mut m = Manifest::default();
        m.insert("index.html".into(), hash(b"one"));
        m.insert("a/b c/index.html".into(), hash(b"two"));
        m.insert("a/b c/index.html".into(), hash(b"three"));
        m.insert("a/b c/index.html".into(), hash(b"two"));
        let text = m.to_text();
        assert_eq!(text.lines().count(), 3 + 3, "{text}");
        let back = Manifest::parse(text.as_bytes()).unwrap();
        assert_eq!(back, m);
        assert!(back.wrote("a/b c/index.html", &hash(b"three")));
        assert!(!back.wrote("a/b c/index.html", &hash(b"four")));
        assert!(back.owns("index.html") && !back.owns("thesis.txt"));
        assert!(back.owns_under("a") && back.owns_under("a/b c") && !back.owns_under("a/b"));
        assert_eq!(
            back.paths().collect::<Vec<_>>(),
            ["a/b c/index.html", "index.html"]
        );
    }

    #[test]
    fn a_damaged_manifest_is_refused_with_its_line() {
        let good = format!("{:064x}", 7);
        for (text, line) in [
            ("".to_string(), 1),
            ("boardpack-manifest 2\n".to_string(), 1),
            (format!("{HEADER}\n{good} index.html\n"), 2),
            (format!("{HEADER}\n# note\n{}  x.html\n", &good[1..]), 3),
            (format!("{HEADER}\n{good}  ../etc/passwd\n"), 2),
            (format!("{HEADER}\n{good}  /etc/passwd\n"), 2),
        ] {
            let err = Manifest::parse(text.as_bytes()).unwrap_err();
            assert_eq!(err.0, line, "{text:?}: {}", err.1);
        }
    }

    #[test]
    fn a_file_is_hashed_only_when_it_is_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, vec![9u8; 200_000]).unwrap();
        assert_eq!(hash_file(&file), Some(hash(&vec![9u8; 200_000])));
        assert_eq!(hash_file(dir.path()), None);
        assert_eq!(hash_file(&dir.path().join("missing")), None);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&file, dir.path().join("link")).unwrap();
            assert_eq!(hash_file(&dir.path().join("link")), None);
        }
    }
}
