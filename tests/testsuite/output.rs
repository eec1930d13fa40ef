//! The output-folder contract (docs/reliability.md, "The output folder"), on the binary:
//! boardpack deletes only files its manifest says it wrote, refuses a first build into a
//! folder of other files unless `--force`, keeps dotfiles and `CNAME`, undoes a failed commit,
//! repairs a killed one at the next build, lets one build at a time write a folder, and works
//! when the output is a mount point or a link to a folder, by relative and absolute paths.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Stdio;

use crate::common::{Run, boardpack, copy_dir, fixture, run};

const MANIFEST: &str = ".boardpack-manifest";

/// A small site to build: the two-period fixture, copied so a test can change it.
fn site(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("site");
    copy_dir(&fixture("two-periods"), &root);
    root
}

fn build(root: &Path, out: &Path, extra: &[&str]) -> Run {
    run(boardpack()
        .arg("--root")
        .arg(root)
        .arg("build")
        .args(extra)
        .arg("--output")
        .arg(out))
}

/// Every file and folder under `dir` (a folder's bytes are empty), less the manifest.
fn everything(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
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

fn user_files(out: &Path) {
    fs::create_dir_all(out.join("sub")).unwrap();
    fs::write(out.join("thesis.txt"), "three years of work").unwrap();
    fs::write(out.join("sub/notes.md"), "notes").unwrap();
    fs::write(out.join(".hidden"), "hidden").unwrap();
}

fn assert_user_files(out: &Path) {
    assert_eq!(
        fs::read_to_string(out.join("thesis.txt")).unwrap(),
        "three years of work"
    );
    assert_eq!(
        fs::read_to_string(out.join("sub/notes.md")).unwrap(),
        "notes"
    );
    assert_eq!(fs::read_to_string(out.join(".hidden")).unwrap(), "hidden");
}

/// The data-loss case of #13: a build into a folder of the user's files deleted all three.
#[test]
fn a_folder_of_other_files_is_refused_and_never_emptied() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let out = tmp.path().join("P");
    user_files(&out);
    let before = everything(&out);

    let r = build(&root, &out, &[]);
    assert_eq!(r.code, 2, "{r:?}");
    for name in ["thesis.txt", "sub/", "--force"] {
        assert!(
            r.stderr.contains(name),
            "the refusal names {name}: {}",
            r.stderr
        );
    }
    assert_eq!(everything(&out), before, "nothing was written or removed");

    let r = build(&root, &out, &["--force"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("0 removed"), "{}", r.stderr);
    assert_user_files(&out);
    assert!(out.join("index.html").is_file() && out.join(MANIFEST).is_file());

    // Later builds need no --force, and still leave the user's files.
    fs::remove_dir_all(root.join("content/2009-10-q1")).unwrap();
    let r = build(&root, &out, &[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_user_files(&out);
    let manifest = fs::read_to_string(out.join(MANIFEST)).unwrap();
    for line in manifest.lines().skip(1).filter(|l| !l.starts_with('#')) {
        let path = line.split_once("  ").unwrap().1;
        assert!(
            out.join(path).is_file(),
            "the manifest lists {path}, which exists"
        );
    }
    assert!(!manifest.contains("thesis.txt") && !manifest.contains("notes.md"));
}

/// The GitHub Pages layout: a worktree's `.git`, `CNAME` and `.nojekyll` in `public/`.
#[test]
fn a_publishing_folder_keeps_git_cname_and_nojekyll() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let out = root.join("public");
    fs::create_dir_all(out.join(".git/refs")).unwrap();
    fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    fs::write(out.join("CNAME"), "board.example.org\n").unwrap();
    fs::write(out.join(".nojekyll"), "").unwrap();
    // A relative --output, from the root, as an author types it.
    for _ in 0..2 {
        let r = run(boardpack()
            .current_dir(&root)
            .args(["build", "--output", "public"]));
        assert_eq!(r.code, 0, "{r:?}");
    }
    assert_eq!(
        fs::read_to_string(out.join(".git/HEAD")).unwrap(),
        "ref: refs/heads/gh-pages\n"
    );
    assert!(out.join(".git/refs").is_dir());
    assert_eq!(
        fs::read_to_string(out.join("CNAME")).unwrap(),
        "board.example.org\n"
    );
    assert!(out.join(".nojekyll").is_file());
}

/// A rebuild that cannot remove a stale file (here one made immutable) fails, and every
/// previous file is as it was, the ones it had already dealt with included.
#[test]
fn a_stale_file_that_cannot_be_removed_fails_the_build_and_keeps_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let out = tmp.path().join("out");
    assert_eq!(build(&root, &out, &["-q"]).code, 0);
    // A report whose page goes, and a change to every page (the site's title).
    let gone = everything(&out)
        .into_keys()
        .filter(|k| k.starts_with("periods/2009-10-q1/"))
        .collect::<Vec<_>>();
    assert!(gone.len() >= 2, "{gone:?}");
    let pinned = out.join(&gone[gone.len() - 1]);
    let config = fs::read_to_string(root.join("boardpack.toml")).unwrap();
    fs::write(
        root.join("boardpack.toml"),
        config.replacen("title = \"", "title = \"New ", 1),
    )
    .unwrap();
    fs::remove_dir_all(root.join("content/2009-10-q1")).unwrap();

    if !immutable(&pinned, true) {
        eprintln!("chattr +i is not available here: testing the injected failure only");
    } else {
        let before = everything(&out);
        let manifest = fs::read(out.join(MANIFEST)).unwrap();
        let r = build(&root, &out, &["-q"]);
        immutable(&pinned, false);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(
            r.stderr.contains("previous output is as it was"),
            "{}",
            r.stderr
        );
        assert_eq!(everything(&out), before);
        assert_eq!(fs::read(out.join(MANIFEST)).unwrap(), manifest);
    }
    // The same at every step of the commit, by the debug build's failure hook.
    let before = everything(&out);
    let mut step = 1;
    loop {
        let r = run(boardpack()
            .env("BOARDPACK_TEST_FAIL_COMMIT_STEP", step.to_string())
            .arg("--root")
            .arg(&root)
            .args(["-q", "build", "--output"])
            .arg(&out));
        if r.code == 0 {
            break;
        }
        assert_eq!(r.code, 2, "step {step}: {r:?}");
        assert_eq!(everything(&out), before, "step {step}");
        step += 1;
    }
    assert!(step > gone.len(), "the commit had steps to fail: {step}");
    assert!(!out.join(&gone[0]).exists());
}

/// `chattr +i` (or `-i`) on `path`; false where that cannot be done.
fn immutable(path: &Path, on: bool) -> bool {
    std::process::Command::new("chattr")
        .arg(if on { "+i" } else { "-i" })
        .arg(path)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
        && (!on || fs::remove_file(path).is_err())
}

/// A build killed in the middle of its commit leaves old and new files side by side; the
/// next build finishes the job: the right files, no stale ones, no staging folder.
#[test]
fn a_build_killed_during_its_commit_is_repaired_by_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let out = tmp.path().join("out");
    let clean = tmp.path().join("clean");
    assert_eq!(build(&root, &out, &["-q"]).code, 0);
    fs::write(out.join("mine.txt"), "the user's").unwrap();
    fs::remove_dir_all(root.join("content/2009-10-q1")).unwrap();
    assert_eq!(build(&root, &clean, &["-q"]).code, 0);
    for step in [2, 3, 5] {
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_boardpack"))
            .env("BOARDPACK_TEST_ABORT_COMMIT_STEP", step.to_string())
            .arg("--root")
            .arg(&root)
            .args(["-q", "build", "--output"])
            .arg(&out)
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(
            status.code().is_none() || status.code() != Some(0),
            "step {step}"
        );
        assert!(
            fs::read_dir(&out).unwrap().any(|e| e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".boardpack-staging-")),
            "a killed build leaves its staging folder"
        );
    }
    let r = build(&root, &out, &["-q"]);
    assert_eq!(r.code, 0, "{r:?}");
    let mut after = everything(&out);
    assert_eq!(
        after.remove("mine.txt").as_deref(),
        Some(&b"the user's"[..])
    );
    assert!(
        after == everything(&clean),
        "the repaired output is the clean build's"
    );
}

/// Two builds at once into one folder: the second waits, and the output is one build's
/// whole, never a mix.
#[test]
fn a_second_build_waits_for_the_first() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    let held = fs::File::open(&out).unwrap();
    held.lock().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_boardpack"))
        .env("NO_COLOR", "1")
        .arg("--root")
        .arg(&root)
        .args(["build", "--output"])
        .arg(&out)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the build waits for the lock"
    );
    assert!(!out.join("index.html").exists());
    drop(held);
    let done = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(done.status.success(), "{stderr}");
    assert!(
        stderr.contains("waiting for another boardpack build"),
        "{stderr}"
    );
    assert!(out.join("index.html").is_file());

    // And two real builds of different sites, started together.
    let other = tmp.path().join("other");
    copy_dir(&root, &other);
    fs::remove_dir_all(other.join("content/2009-10-q1")).unwrap();
    let (a, b) = (tmp.path().join("only-a"), tmp.path().join("only-b"));
    assert_eq!(build(&root, &a, &["-q"]).code, 0);
    assert_eq!(build(&other, &b, &["-q"]).code, 0);
    for _ in 0..3 {
        let spawn = |site: &Path| {
            std::process::Command::new(env!("CARGO_BIN_EXE_boardpack"))
                .arg("--root")
                .arg(site)
                .args(["-q", "build", "--output"])
                .arg(&out)
                .status()
        };
        let (x, y) = std::thread::scope(|s| {
            let x = s.spawn(|| spawn(&root));
            let y = s.spawn(|| spawn(&other));
            (x.join().unwrap().unwrap(), y.join().unwrap().unwrap())
        });
        assert!(x.success() && y.success());
        let now = everything(&out);
        assert!(
            now == everything(&a) || now == everything(&b),
            "one build's output, whole"
        );
    }
}

/// The output as a mount point (a Docker volume, a CI cache): staging used to happen in the
/// parent, and every build failed with "Invalid cross-device link".
#[test]
fn an_output_that_is_a_mount_point_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let out = tmp.path().join("volume");
    fs::create_dir(&out).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "tmpfs"])
        .arg(&out)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("cannot mount a tmpfs here (not root?): skipped");
        return;
    }
    let results: Vec<Run> = (0..2).map(|_| build(&root, &out, &["-q"])).collect();
    let has_index = out.join("index.html").is_file();
    let _ = std::process::Command::new("umount").arg(&out).status();
    for r in &results {
        assert_eq!(r.code, 0, "{r:?}");
    }
    assert!(has_index);
}

/// `--output` naming a link to a folder builds into that folder; nothing is written through
/// a link inside the output.
#[test]
#[cfg(unix)]
fn an_output_that_is_a_link_to_a_folder_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let real = tmp.path().join("real");
    fs::create_dir(&real).unwrap();
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let r = build(&root, &link, &["-q"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(real.join("index.html").is_file());

    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::remove_dir_all(real.join("periods")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, real.join("periods")).unwrap();
    let r = build(&root, &link, &["-q"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert!(
        fs::read_dir(&elsewhere).unwrap().next().is_none(),
        "nothing written there"
    );
}

/// A static file where the build writes a page, the search index or a folder of pages used to
/// pass `check` and then fail `build`; `check` now reports each at the static file.
#[test]
fn a_static_file_where_the_build_writes_its_own_is_a_check_error() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let out = tmp.path().join("out");
    fs::create_dir_all(root.join("static/search/pagefind")).unwrap();
    fs::write(root.join("static/index.html"), "<p>mine</p>").unwrap();
    fs::write(root.join("static/search/pagefind/pagefind.js"), "{}").unwrap();
    // A file where the folder of a page goes.
    fs::write(root.join("static/programmes"), "x").unwrap();
    fs::write(root.join("static/robots.txt"), "User-agent: *").unwrap();
    let (code, diags) = crate::common::check_json(&root, &[]);
    assert_eq!(code, 1, "{diags:?}");
    let mut clashes: Vec<(String, String)> = diags
        .iter()
        .filter(|d| d.code == "static-clash")
        .map(|d| (d.file.clone().unwrap_or_default(), d.severity.clone()))
        .collect();
    clashes.sort();
    assert_eq!(
        clashes,
        [
            ("static/index.html".into(), "error".into()),
            ("static/programmes".into(), "error".into()),
            ("static/search/pagefind/pagefind.js".into(), "error".into()),
        ]
    );
    let r = build(&root, &out, &["-q"]);
    assert_eq!(r.code, 1, "the build stops at check's errors: {r:?}");
    assert!(!out.exists());
    // Without them, the build passes, robots.txt and all.
    for f in [
        "static/index.html",
        "static/search/pagefind/pagefind.js",
        "static/programmes",
    ] {
        fs::remove_file(root.join(f)).unwrap();
    }
    assert_eq!(build(&root, &out, &["-q"]).code, 0);
    assert!(out.join("robots.txt").is_file());
}

/// The largest money boardpack reads (20 digits) goes through every sum, chart and download of
/// the example board without overflowing: the claim in docs/reliability.md.
#[test]
fn the_largest_money_builds_and_draws() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("board");
    fs::create_dir_all(&root).unwrap();
    fs::copy(
        crate::common::repo_root().join("boardpack.toml"),
        root.join("boardpack.toml"),
    )
    .unwrap();
    copy_dir(
        &crate::common::repo_root().join("content"),
        &root.join("content"),
    );
    let budget = root.join("content/2009-10/budget.md");
    let text = fs::read_to_string(&budget).unwrap();
    assert!(text.contains("approved = \"(1,700,000)\""));
    fs::write(
        &budget,
        text.replacen(
            "approved = \"(1,700,000)\"",
            "approved = \"(99,999,999,999,999,999,999)\"",
            1,
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let r = build(&root, &out, &["-q"]);
    assert_eq!(r.code, 0, "{r:?}");
    let found = everything(&out)
        .values()
        .any(|b| String::from_utf8_lossy(b).contains("99,999,999,999,999,999,999"));
    assert!(found, "the figure is printed in the pages or downloads");
}
