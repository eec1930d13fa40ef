//! Internal links: `check` and `build` warn of a link to no page, to an anchor its page lacks,
//! or to a draft the build leaves out; `build --base-url` publishes under another address, and
//! every link of every page then still leads to a file of the output.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::*;

const ALPHA: &str = "content/2009-10-q2/alpha.md";

fn expected() -> Vec<Diag> {
    vec![
        warning(
            ALPHA,
            11,
            94,
            "broken-link",
            "the link to `/budget/2009-10-q3/` leads to no page or file of the site",
        )
        .with_help(
            "did you mean /budget/2009-10-q2/? Write links to pages from the site's root, as in \
             `[budget](/budget/2009-10-q2/)`",
        ),
        warning(
            ALPHA,
            20,
            67,
            "link-to-draft",
            "the link to `/contact-us/` leads to content/pages/contact-us.md, which is a draft, \
             and `build` leaves drafts out",
        )
        .with_help(
            "the published site will not have that page until the draft is approved and its \
             `draft = true` removed: link to it then, or publish both together",
        ),
        warning(
            ALPHA,
            21,
            27,
            "broken-anchor",
            "the link to `/about/#history` leads to /about/, which has no `#history`",
        )
        .with_help("its anchors are `#main-content`"),
    ]
}

/// The broken page link (in a front-matter field), the link to a draft and the broken anchor
/// are each reported where they are written; the good relative link, the good anchors (a
/// board pack's report section, `#main-content`) and the external links are not.
#[test]
fn check_reports_each_broken_link_where_it_is() {
    let root = invalid("broken-links");
    let (code, diags) = check_json(&root, &[]);
    assert_eq!(diags, expected());
    assert_eq!(code, 0, "links are warnings");
    let (code, _) = check_json(&root, &["--deny-warnings"]);
    assert_eq!(code, 1);
}

fn build_run(root: &Path, out: &Path, extra: &[&str]) -> Run {
    run(boardpack()
        .arg("--root")
        .arg(root)
        .args(["--color", "never", "build", "--no-history", "--output"])
        .arg(out)
        .args(extra))
}

/// A build that leaves the draft out still knows the link leads to a draft; one that publishes
/// drafts has nothing to say of it.
#[test]
fn build_without_drafts_warns_of_the_link_to_the_draft() {
    let root = invalid("broken-links");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let r = build_run(&root, &out, &["--deny-warnings"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // The message wraps in the terminal: its place and its words.
    let words: String = r.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains(&format!(
            "{ALPHA}:20:67: the link to `/contact-us/` leads to"
        )),
        "{}",
        r.stderr
    );
    assert!(
        words.contains("which is a draft, and `build` leaves drafts out"),
        "{words}"
    );
    let r = build_run(&root, &out, &["--drafts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("link-to-draft") && !r.stderr.contains("is a draft"));
    assert!(r.stderr.contains("#history"), "{}", r.stderr);
}

#[test]
fn the_example_board_has_no_broken_links() {
    let (_, diags) = check_json(&repo_root(), &[]);
    let links: Vec<&Diag> = diags
        .iter()
        .filter(|d| {
            matches!(
                d.code.as_str(),
                "broken-link" | "broken-anchor" | "link-to-draft"
            )
        })
        .collect();
    assert!(links.is_empty(), "{links:#?}");
}

#[test]
fn a_bad_base_url_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    for bad in ["javascript:alert(1)", "board/", "https://", "/a b/"] {
        let r = build_run(&repo_root(), &tmp.path().join("out"), &["--base-url", bad]);
        assert_eq!(r.code, 2, "{bad}: {}", r.stderr);
        assert!(r.stderr.contains("--base-url"), "{}", r.stderr);
        assert!(!tmp.path().join("out").exists());
    }
}

/// Every `href`, `src` and `srcset` of every page that stays in the site, as the file of the
/// output it leads to (`periods/2009-10-q2/index.html`), with the page it is on.
fn internal_targets(out: &Path, base_path: &str, origin: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let attrs = sel("[href], [src], [srcset]");
    for entry in walkdir::WalkDir::new(out).into_iter().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let rel = path
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let html = scraper::Html::parse_document(&std::fs::read_to_string(path).unwrap());
        for e in html.select(&attrs) {
            let v = e.value();
            let mut urls: Vec<&str> = v.attr("href").into_iter().chain(v.attr("src")).collect();
            if let Some(set) = v.attr("srcset") {
                urls.extend(set.split(',').filter_map(|c| c.split_whitespace().next()));
            }
            for url in urls {
                let url = url.split('#').next().unwrap_or("");
                let url = url.strip_prefix(origin).unwrap_or(url);
                if url.is_empty() || url.contains(':') || url.starts_with("//") {
                    continue;
                }
                // Every internal link is written from the root, under the base path.
                let Some(site_path) = url.strip_prefix(base_path) else {
                    found.push((rel.clone(), format!("NOT UNDER {base_path}: {url}")));
                    continue;
                };
                let site_path = site_path.split('?').next().unwrap_or("");
                let file = if site_path.is_empty() || site_path.ends_with('/') {
                    format!("{site_path}index.html")
                } else {
                    site_path.to_string()
                };
                found.push((rel.clone(), file));
            }
        }
    }
    found
}

fn assert_all_resolve(out: &Path, base_path: &str, origin: &str) -> usize {
    let targets = internal_targets(out, base_path, origin);
    let missing: BTreeSet<&(String, String)> = targets
        .iter()
        .filter(|(_, f)| !out.join(f).is_file())
        .collect();
    assert!(missing.is_empty(), "links to nothing: {missing:#?}");
    targets.len()
}

/// Built for a sub-folder, every internal link of every page of the example board, and of the
/// links fixture (Markdown links from the root and relative ones, on the report's page and on
/// its board pack's), leads to a file the build wrote.
#[test]
fn under_a_sub_folder_base_url_every_link_resolves() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("example");
    let r = build_run(
        &repo_root(),
        &out,
        &["--base-url", "https://example.org/board"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let n = assert_all_resolve(&out, "/board/", "https://example.org");
    assert!(n > 500, "only {n} links");

    let out = tmp.path().join("links");
    let r = build_run(
        &invalid("broken-links"),
        &out,
        &["--base-url", "/board/", "--drafts"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_all_resolve_but_broken(&out);
    // The relative link is written for the report's own page, so it leads to the budget from
    // the board pack's page too.
    for p in [
        "programmes/alpha/2009-10-q2/index.html",
        "periods/2009-10-q2/index.html",
    ] {
        let html = page(&out, p);
        let hrefs: Vec<&str> = html
            .select(&sel(".bp-prose a[href]"))
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert!(
            hrefs.contains(&"/board/budget/2009-10-q2/"),
            "{p}: {hrefs:?}"
        );
        assert!(hrefs.contains(&"/board/about/#history"), "{p}: {hrefs:?}");
        assert!(hrefs.contains(&"https://example.org/"), "{p}: {hrefs:?}");
        assert!(
            hrefs.contains(&"mailto:board@example.org"),
            "{p}: {hrefs:?}"
        );
    }
}

/// In the links fixture, the only link to no file is the one `check` reports as broken.
fn assert_all_resolve_but_broken(out: &Path) {
    let missing: BTreeSet<String> = internal_targets(out, "/board/", "")
        .into_iter()
        .filter(|(_, f)| !out.join(f).is_file())
        .map(|(_, f)| f)
        .collect();
    assert_eq!(
        missing,
        BTreeSet::from(["budget/2009-10-q3/index.html".to_string()])
    );
}
