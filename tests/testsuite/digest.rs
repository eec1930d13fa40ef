//! Byte-identical output, guarded. Every file that the example board and two fixtures build
//! to is recorded by its SHA-256 in a snapshot, so a change meant to be only faster shows at
//! once whether it changed a byte, and which files; and each site built with one thread, with
//! two, with all of them, and a period at a time in batches of one and of two reports, gives
//! exactly those bytes.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::common::{boardpack, fixture, repo_root};

/// Build `root` into `out` with `threads` (all when `None`) and batches of `batch` reports
/// (the build's own choice when `None`), without history: the commits that last changed each
/// file differ between checkouts.
fn build(root: &Path, out: &Path, threads: Option<&str>, batch: Option<&str>) {
    let mut cmd = boardpack();
    cmd.env("BOARDPACK_NO_HISTORY", "1")
        .env_remove("RAYON_NUM_THREADS")
        .env_remove("BOARDPACK_BATCH_REPORTS");
    if let Some(n) = threads {
        cmd.env("RAYON_NUM_THREADS", n);
    }
    if let Some(n) = batch {
        cmd.env("BOARDPACK_BATCH_REPORTS", n);
    }
    let done = cmd
        .arg("--root")
        .arg(root)
        .args(["-qq", "build", "--output"])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{root:?}: {}",
        String::from_utf8_lossy(&done.stderr)
    );
}

/// Every file under `out` but the manifest (the build's record of what it wrote), by path:
/// the first 16 hex digits of its SHA-256, and its length.
fn digests(out: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for e in walkdir::WalkDir::new(out) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let rel = (e.path().strip_prefix(out).unwrap().to_string_lossy()).replace('\\', "/");
        if rel == ".boardpack-manifest" {
            continue;
        }
        let bytes = std::fs::read(e.path()).unwrap();
        let hex: String = Sha256::digest(&bytes)[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        files.insert(rel, format!("{hex} {}", bytes.len()));
    }
    files
}

fn listing(files: &BTreeMap<String, String>) -> String {
    let mut text = String::new();
    for (path, digest) in files {
        text.push_str(&format!("{digest} {path}\n"));
    }
    text
}

#[test]
fn every_byte_of_the_output_is_the_same_whatever_the_threads_and_batches() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, root) in [
        ("example", repo_root()),
        ("two_periods", fixture("two-periods")),
        ("wigan", fixture("wigan")),
    ] {
        let base = tmp.path().join(format!("{name}-all"));
        build(&root, &base, None, None);
        let want = digests(&base);
        insta::assert_snapshot!(format!("output_{name}"), listing(&want));
        for (threads, batch) in [
            (Some("1"), None),
            (Some("2"), None),
            (None, Some("1")),
            (Some("2"), Some("2")),
        ] {
            let out = tmp.path().join(format!("{name}-{threads:?}-{batch:?}"));
            build(&root, &out, threads, batch);
            let got = digests(&out);
            let differ: Vec<&String> = (want.keys().chain(got.keys()))
                .filter(|p| want.get(*p) != got.get(*p))
                .collect();
            assert!(
                differ.is_empty(),
                "{name}: {threads:?} threads, batches of {batch:?} reports: {differ:?} differ"
            );
        }
    }
}
