//! Symbolic links in a site: content, `static/`, templates and themes follow a link only when it
//! stays inside the site root. A link that leaves it is a located warning, and neither `check`
//! nor `build` ever reads, prints or publishes what it leads to. Links are made at run time in a
//! copy of a fixture, beside a folder outside the site that holds a secret.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::{Diag, boardpack, copy_dir, fixture, parse_diags, run};

/// Bytes that must never reach a terminal or the output.
const SECRET: &str = "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI-boardpack-test-secret";

/// A copy of the two-periods fixture at `<tmp>/site`, and an `outside` folder beside it holding
/// a secret file, a secret folder and a valid page.
struct Site {
    tmp: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&fixture("two-periods"), &tmp.path().join("site"));
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(outside.join("folder")).unwrap();
        std::fs::write(outside.join("secret.txt"), format!("{SECRET}\n")).unwrap();
        std::fs::write(outside.join("folder/secret.txt"), format!("{SECRET}\n")).unwrap();
        std::fs::write(
            outside.join("page.md"),
            format!(
                "+++\nkind = \"page\"\ntitle = \"Outside\"\nslug = \"outside\"\n+++\n{SECRET}\n"
            ),
        )
        .unwrap();
        Site { tmp }
    }

    fn root(&self) -> PathBuf {
        self.tmp.path().join("site")
    }

    fn outside(&self, rel: &str) -> PathBuf {
        self.tmp.path().join("outside").join(rel)
    }

    /// Make `link` (relative to the site root) point at `target`.
    fn link(&self, target: impl AsRef<Path>, link: &str) {
        let at = self.root().join(link);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        symlink(target, at).unwrap();
    }

    /// `check --format json`: exit code, diagnostics, and everything printed.
    fn check(&self) -> (i32, Vec<Diag>, String) {
        let r = run(boardpack()
            .arg("--root")
            .arg(self.root())
            .args(["check", "--format", "json"]));
        let diags =
            parse_diags(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", r.stdout, r.stderr));
        (r.code, diags, format!("{}{}", r.stdout, r.stderr))
    }

    /// Human `check`: exit code and everything printed.
    fn check_human(&self) -> (i32, String) {
        let r = run(boardpack().arg("--root").arg(self.root()).arg("check"));
        (r.code, format!("{}{}", r.stdout, r.stderr))
    }

    /// `build` into `<tmp>/out`: exit code, everything printed, and the output's files.
    fn build(&self) -> (i32, String, BTreeMap<String, Vec<u8>>) {
        let out = self.tmp.path().join("out");
        let r = run(boardpack()
            .arg("--root")
            .arg(self.root())
            .arg("build")
            .arg("--output")
            .arg(&out));
        (r.code, format!("{}{}", r.stdout, r.stderr), tree(&out))
    }
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap();
            out.insert(
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            );
        }
    }
    out
}

fn assert_no_secret(what: &str, printed: &str) {
    assert!(
        !printed.contains("wJalrXUtnFEMI"),
        "{what} printed the secret:\n{printed}"
    );
}

fn assert_output_has_no_secret(files: &BTreeMap<String, Vec<u8>>) {
    for (path, bytes) in files {
        assert!(
            !String::from_utf8_lossy(bytes).contains("wJalrXUtnFEMI"),
            "{path} holds the secret"
        );
    }
}

/// The one diagnostic about `file`, which must be a warning with `code` at line 1, column 1.
fn assert_link_warning(diags: &[Diag], file: &str, code: &str) {
    let found: Vec<&Diag> = diags
        .iter()
        .filter(|d| d.file.as_deref() == Some(file))
        .collect();
    assert_eq!(found.len(), 1, "{file}: {diags:#?}");
    let d = found[0];
    assert_eq!(
        (d.severity.as_str(), d.code.as_str(), d.line, d.column),
        ("warning", code, 1, 1),
        "{d:#?}"
    );
    assert!(d.message.contains("not followed"), "{d:#?}");
    assert!(d.help.is_some(), "{d:#?}");
}

#[test]
fn a_content_link_to_a_secret_outside_the_site_is_never_read() {
    let site = Site::new();
    site.link(site.outside("secret.txt"), "content/leak.md");
    site.link(site.outside("secret.txt"), "content/2009-10-q2/leak.md");
    let (code, diags, printed) = site.check();
    assert_no_secret("check --format json", &printed);
    assert_eq!(code, 0, "{diags:#?}");
    assert_link_warning(&diags, "content/leak.md", "link-outside-site");
    assert_link_warning(&diags, "content/2009-10-q2/leak.md", "link-outside-site");
    let (code, printed) = site.check_human();
    assert_eq!(code, 0, "{printed}");
    assert_no_secret("check", &printed);
    assert!(printed.contains("content/leak.md:1:1"), "{printed}");
    let (code, printed, files) = site.build();
    assert_eq!(code, 0, "{printed}");
    assert_no_secret("build", &printed);
    assert!(printed.contains("link-outside-site"), "{printed}");
    assert_output_has_no_secret(&files);
}

#[cfg(target_os = "linux")]
#[test]
fn a_content_link_to_the_process_environment_is_never_read() {
    let site = Site::new();
    site.link("/proc/self/environ", "content/environ.md");
    for args in [&["check"][..], &["check", "--format", "json"], &["build"]] {
        let r = run(boardpack()
            .env("BOARDPACK_TEST_TOKEN", SECRET)
            .arg("--root")
            .arg(site.root())
            .args(args));
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert_no_secret(&format!("{args:?}"), &format!("{}{}", r.stdout, r.stderr));
        assert!(
            format!("{}{}", r.stdout, r.stderr).contains("link-outside-site"),
            "{args:?}: {}",
            r.stderr
        );
    }
    assert_output_has_no_secret(&tree(&site.root().join("output")));
}

#[test]
fn a_page_linked_from_outside_the_site_is_not_published() {
    let site = Site::new();
    site.link(site.outside("page.md"), "content/pages/outside.md");
    site.link(site.outside(""), "content/elsewhere");
    let (code, diags, printed) = site.check();
    assert_eq!(code, 0, "{diags:#?}");
    assert_no_secret("check", &printed);
    assert_link_warning(&diags, "content/pages/outside.md", "link-outside-site");
    assert_link_warning(&diags, "content/elsewhere", "link-outside-site");
    let (code, printed, files) = site.build();
    assert_eq!(code, 0, "{printed}");
    assert!(
        !files.contains_key("outside/index.html"),
        "{:?}",
        files.keys()
    );
    assert_output_has_no_secret(&files);
}

#[test]
fn static_links_to_a_file_or_folder_outside_the_site_are_not_copied() {
    let site = Site::new();
    site.link(site.outside("secret.txt"), "static/secret.txt");
    site.link(site.outside("folder"), "static/folder");
    std::fs::write(site.root().join("static/robots.txt"), "User-agent: *\n").unwrap();
    let (code, diags, printed) = site.check();
    assert_eq!(code, 0, "{diags:#?}");
    assert_no_secret("check", &printed);
    assert_link_warning(&diags, "static/secret.txt", "link-outside-site");
    assert_link_warning(&diags, "static/folder", "link-outside-site");
    let (code, printed, files) = site.build();
    assert_eq!(code, 0, "{printed}");
    assert!(printed.contains("static/folder"), "{printed}");
    assert!(files.contains_key("robots.txt"), "{:?}", files.keys());
    assert!(
        !files.keys().any(|k| k.contains("secret")),
        "{:?}",
        files.keys()
    );
    assert_output_has_no_secret(&files);
}

#[test]
fn template_links_outside_the_site_are_not_read() {
    let site = Site::new();
    std::fs::write(
        site.outside("base.html"),
        format!("{SECRET}{{% block x %}}{{% endblock %}}"),
    )
    .unwrap();
    site.link(site.outside("base.html"), "templates/base.html");
    let (code, diags, printed) = site.check();
    assert_eq!(code, 0, "{diags:#?}");
    assert_link_warning(&diags, "templates/base.html", "link-outside-site");
    assert_no_secret("check", &printed);
    let (code, printed, files) = site.build();
    assert_eq!(code, 0, "{printed}");
    assert!(files.contains_key("index.html"));
    assert_output_has_no_secret(&files);
}

#[test]
fn a_theme_folder_linked_from_outside_the_site_is_refused() {
    let site = Site::new();
    let theme = site.outside("theme");
    copy_dir(&crate::common::repo_root().join("themes/default"), &theme);
    std::fs::write(theme.join("static/secret.txt"), SECRET).unwrap();
    site.link(&theme, "themes/fancy");
    let config = site.root().join("boardpack.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("theme = \"fancy\"\n{text}")).unwrap();
    let (code, diags, printed) = site.check();
    assert_no_secret("check", &printed);
    assert_eq!(code, 1, "check fails as build will: {diags:#?}");
    let d = diags
        .iter()
        .find(|d| d.code == "theme-outside-site")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(
        (d.file.as_deref(), d.line, d.column, d.severity.as_str()),
        (Some("themes/fancy"), 1, 1, "error")
    );
    let (code, printed, files) = site.build();
    assert_eq!(code, 1, "{printed}");
    assert!(files.is_empty(), "{:?}", files.keys());

    // The default theme linked from outside is not read either: the built-in copy stands in.
    std::fs::write(&config, &text).unwrap();
    std::fs::remove_file(site.root().join("themes/fancy")).unwrap();
    site.link(&theme, "themes/default");
    let (code, diags, _) = site.check();
    assert_eq!(code, 0, "{diags:#?}");
    assert_link_warning(&diags, "themes/default", "link-outside-site");
    let (code, printed, files) = site.build();
    assert_eq!(code, 0, "{printed}");
    assert!(!files.contains_key("secret.txt"), "{:?}", files.keys());
}

#[test]
fn a_link_to_the_file_system_root_is_not_walked() {
    let site = Site::new();
    site.link("/", "content/everything");
    site.link("/", "static/everything");
    let started = Instant::now();
    let (code, diags, _) = site.check();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "check took {:?}",
        started.elapsed()
    );
    assert_eq!(code, 0, "{diags:#?}");
    assert_link_warning(&diags, "content/everything", "link-outside-site");
    assert_link_warning(&diags, "static/everything", "link-outside-site");
    let started = Instant::now();
    let (code, printed, _) = site.build();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(code, 0, "{printed}");
}

#[test]
fn link_loops_are_warnings_and_end() {
    let site = Site::new();
    site.link("..", "content/2009-10-q2/up");
    site.link("../..", "static/a/top");
    site.link(".", "static/here");
    let started = Instant::now();
    let (code, diags, _) = site.check();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(code, 0, "{diags:#?}");
    assert_link_warning(&diags, "content/2009-10-q2/up", "link-loop");
    assert_link_warning(&diags, "static/here", "link-loop");
    // static/a/top leads to the site root: inside it, and above static/, so it is a loop too.
    assert_link_warning(&diags, "static/a/top", "link-loop");
    let (code, printed, _) = site.build();
    assert_eq!(code, 0, "{printed}");
}

#[test]
fn links_inside_the_site_are_followed_and_published() {
    let site = Site::new();
    let shared = site.root().join("shared");
    std::fs::create_dir_all(shared.join("pages")).unwrap();
    std::fs::write(
        shared.join("pages/about.md"),
        "+++\nkind = \"page\"\ntitle = \"About us\"\nslug = \"about\"\n+++\nShared text.\n",
    )
    .unwrap();
    std::fs::create_dir_all(shared.join("files")).unwrap();
    std::fs::write(shared.join("files/terms.txt"), "terms\n").unwrap();
    std::fs::write(shared.join("logo.svg"), "<svg/>").unwrap();
    site.link("../shared/pages", "content/pages");
    site.link("../shared/files", "static/files");
    site.link("../../shared/logo.svg", "static/img/logo.svg");
    let (code, diags, _) = site.check();
    assert_eq!(code, 0, "{diags:#?}");
    assert!(
        !diags.iter().any(|d| d.code.starts_with("link-")),
        "{diags:#?}"
    );
    let (code, printed, files) = site.build();
    assert_eq!(code, 0, "{printed}");
    let about = String::from_utf8_lossy(&files["about/index.html"]).into_owned();
    let doc = scraper::Html::parse_document(&about);
    let h1: String = doc
        .select(&crate::common::sel("h1"))
        .next()
        .expect("an h1")
        .text()
        .collect();
    assert_eq!(h1.trim(), "About us");
    assert_eq!(files["files/terms.txt"], b"terms\n");
    assert_eq!(files["img/logo.svg"], b"<svg/>");
}
