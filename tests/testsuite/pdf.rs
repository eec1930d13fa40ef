//! The PDF board pack, read back as a reader's tools read it: poppler's `pdftotext` for the
//! words on each page, `pdfinfo` for the document's title, pages and tags, and `pdftoppm` for a
//! page image left in `target/screenshots/`.

use std::path::Path;
use std::process::Command;

use crate::common::*;

/// Every page's text, in reading order (`pdftotext -layout`), split at form feeds.
fn pages(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils; scripts/test installs it)");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8 text");
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

fn info(pdf: &Path) -> String {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn build_to(site: &Path, out: &Path, extra: &[&str]) {
    let r = run(boardpack()
        .arg("--root")
        .arg(site)
        .arg("build")
        .arg("--output")
        .arg(out)
        .args(extra));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// Whitespace-insensitive: `pdftotext -layout` pads columns with spaces.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_example_boards_q2_pack_is_a_pack_a_secretary_would_circulate() {
    let out = tempfile::tempdir().unwrap();
    build_to(&repo_root(), out.path(), &["--no-history"]);
    let pdf = out
        .path()
        .join("periods/2009-10-q2/board-pack-2009-10-q2.pdf");
    assert!(pdf.is_file(), "no PDF at {}", pdf.display());
    let pages = pages(&pdf);
    let n = pages.len();
    assert!(n > 5, "only {n} pages");

    // Title, language, tags and outline, as a screen reader and an archive need them.
    let meta = info(&pdf);
    assert!(
        meta.contains("Title:           Board pack: 2009/10 Q2"),
        "{meta}"
    );
    assert!(meta.contains("Tagged:          yes"), "{meta}");
    assert!(meta.contains(&format!("Pages:           {n}")), "{meta}");

    // The cover names the organisation, the meeting and the period.
    let cover = squash(&pages[0]);
    assert!(cover.contains("Board pack: 2009/10 Q2"), "{cover}");
    assert!(
        cover.contains("Reporting period: 1 July 2009 to 30 September 2009"),
        "{cover}"
    );

    // Every page after the cover has the running header and "Page N of M".
    for (i, page) in pages.iter().enumerate().skip(1) {
        let p = squash(page);
        assert!(
            p.contains(&format!("Page {} of {n}", i + 1)),
            "page {}: {p}",
            i + 1
        );
        assert!(
            p.contains("2009/10 Q2"),
            "page {} has no running header: {p}",
            i + 1
        );
    }

    // The contents list each agenda item with the page it starts on, and it starts there.
    let contents = squash(&pages[1]);
    assert!(contents.contains("Contents"), "{contents}");
    let budget_page = pages
        .iter()
        .position(|p| squash(p).contains("Budget statement"))
        .expect("a budget statement");
    let title = "6. IS Financial Position Statement to 30th September 2009";
    let listed: usize = pages[1]
        .lines()
        .map(squash)
        .find(|l| l.starts_with(title))
        .and_then(|l| {
            // The page number ends the line, after dot leaders and a word joiner.
            let digits: String = l.chars().rev().take_while(char::is_ascii_digit).collect();
            digits.chars().rev().collect::<String>().parse().ok()
        })
        .unwrap_or_else(|| panic!("no contents line with a page for {title:?}: {}", pages[1]));
    let starts = pages
        .iter()
        .enumerate()
        .skip(2)
        .find(|(_, p)| squash(p).contains(title))
        .map(|(i, _)| i + 1)
        .expect("the budget's first page");
    assert_eq!(listed, starts, "the contents give the wrong page");
    assert!(budget_page + 1 >= starts);

    // The budget table's figures, computed from the lines, printed once, after the lines.
    let all = squash(&pages.join("\n"));
    let lines_at = all.find("Budget statement").unwrap();
    let total_at = all[lines_at..]
        .find("Total expenditure")
        .expect("the total expenditure row");
    assert!(total_at > 0);
    assert_eq!(
        all.matches("Total expenditure").count(),
        all.matches("Total expenditure").count().min(3),
        "the total row must not repeat on every page"
    );

    // No link path and no source reference is printed.
    assert!(!all.contains("content/"), "a source path is printed");
    assert!(!all.contains(".md"), "a source file is printed");
    assert!(!all.contains("href"), "a link is printed as markup");
    assert!(!all.contains("(/"), "a link path is printed after its text");

    // A page image, for looking at.
    let shots = repo_root().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (first, name) in [
        (1, "pdf-q2-cover"),
        (3, "pdf-q2-page-3"),
        (budget_page + 1, "pdf-q2-budget"),
    ] {
        let status = Command::new("pdftoppm")
            .args([
                "-png",
                "-r",
                "60",
                "-singlefile",
                "-f",
                &first.to_string(),
                "-l",
                &first.to_string(),
            ])
            .arg(&pdf)
            .arg(shots.join(name))
            .status()
            .expect("pdftoppm");
        assert!(status.success());
    }
}

#[test]
fn the_same_content_typesets_the_same_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    build_to(&fixture("consistent"), a.path(), &[]);
    let mut cmd = boardpack();
    cmd.env("RAYON_NUM_THREADS", "1");
    let r = run(cmd
        .arg("--root")
        .arg(fixture("consistent"))
        .arg("build")
        .arg("--output")
        .arg(b.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pdfs = |d: &Path| {
        let mut v: Vec<_> = walk_files(d)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        v.sort();
        v
    };
    let (pa, pb) = (pdfs(a.path()), pdfs(b.path()));
    assert!(!pa.is_empty());
    assert_eq!(pa.len(), pb.len());
    for (x, y) in pa.iter().zip(&pb) {
        assert_eq!(
            std::fs::read(x).unwrap(),
            std::fs::read(y).unwrap(),
            "{}",
            x.display()
        );
    }
}

fn walk_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn pdfs_can_be_switched_off_and_on() {
    let off = tempfile::tempdir().unwrap();
    build_to(&fixture("consistent"), off.path(), &["--no-pdf"]);
    assert!(
        !walk_files(off.path())
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "pdf"))
    );
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("consistent"), site.path());
    let toml = site.path().join("boardpack.toml");
    let mut config = std::fs::read_to_string(&toml).unwrap();
    config.push_str("\n[pdf]\nenabled = false\n");
    std::fs::write(&toml, config).unwrap();
    let out = tempfile::tempdir().unwrap();
    build_to(site.path(), out.path(), &[]);
    let html = std::fs::read_to_string(
        walk_files(out.path())
            .into_iter()
            .find(|p| p.to_string_lossy().contains("periods/") && p.ends_with("index.html"))
            .unwrap(),
    )
    .unwrap();
    assert!(
        !html.contains(".pdf"),
        "a page links a PDF that was not made"
    );
    let on = tempfile::tempdir().unwrap();
    build_to(site.path(), on.path(), &["--pdf"]);
    assert!(
        walk_files(on.path())
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "pdf"))
    );
}

#[test]
fn the_board_pack_page_links_its_pdf() {
    let out = tempfile::tempdir().unwrap();
    build_to(&fixture("consistent"), out.path(), &[]);
    let period = walk_files(out.path())
        .into_iter()
        .find(|p| p.to_string_lossy().contains("/periods/") && p.ends_with("index.html"))
        .unwrap();
    let rel = period
        .strip_prefix(out.path())
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let doc = page(out.path(), &rel);
    let link = doc
        .select(&sel(".bp-pdf-link a"))
        .next()
        .expect("a PDF link on the board pack page");
    let href = link.value().attr("href").unwrap();
    assert!(href.ends_with(".pdf"), "{href}");
    let file = out.path().join(href.trim_start_matches('/'));
    assert!(file.is_file(), "{} is not a file", file.display());
    let note = text(doc.select(&sel(".bp-pdf-link")).next().unwrap());
    assert!(note.contains("PDF"), "{note}");
}

#[test]
fn drafts_are_watermarked_and_said_on_the_cover() {
    let out = tempfile::tempdir().unwrap();
    build_to(&fixture("drafts"), out.path(), &["--drafts"]);
    let pdf = walk_files(out.path())
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("a pack");
    let pages = pages(&pdf);
    assert!(
        squash(&pages[0]).contains("DRAFT – not approved"),
        "{}",
        pages[0]
    );
    assert!(
        pages.iter().skip(2).any(|p| p.contains("DRAFT")),
        "no page is watermarked"
    );
}

#[test]
fn exempt_material_never_reaches_the_public_pack_and_is_bannered_in_the_members_copy() {
    let public = tempfile::tempdir().unwrap();
    build_to(&fixture("exempt"), public.path(), &[]);
    for pdf in walk_files(public.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
    {
        let all = pages(&pdf).join("\n");
        assert!(
            !all.contains("ZQX"),
            "{} prints an exempt secret",
            pdf.display()
        );
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(
            !bytes.windows(3).any(|w| w == b"ZQX"),
            "{} holds an exempt secret",
            pdf.display()
        );
        assert!(
            squash(&all).contains("Exempt information"),
            "no stub in {}",
            pdf.display()
        );
    }
    let members = tempfile::tempdir().unwrap();
    build_to(
        &fixture("exempt"),
        members.path(),
        &["--audience", "members"],
    );
    let all: String = walk_files(members.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .map(|p| pages(&p).join("\n"))
        .collect();
    let all = squash(&all);
    assert!(all.contains("ZQX"), "the members' copy shows exempt items");
    assert!(all.contains("EXEMPT – not for publication"), "{all}");
}

#[test]
fn hostile_text_is_typeset_as_text() {
    let out = tempfile::tempdir().unwrap();
    build_to(&fixture("hostile"), out.path(), &[]);
    let pdfs: Vec<_> = walk_files(out.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert!(!pdfs.is_empty());
    for pdf in pdfs {
        let all = pages(&pdf).join("\n");
        assert!(
            !all.contains("<script"),
            "raw HTML printed in {}",
            pdf.display()
        );
    }
}

#[test]
fn a_static_file_in_place_of_a_pack_is_found_by_check() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("consistent"), site.path());
    let dir = site.path().join("static/periods/2009-10-q2");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("board-pack-2009-10-q2.pdf"), "not a pack").unwrap();
    let (code, diags) = check_json(site.path(), &[]);
    assert_eq!(code, 1);
    assert!(diags.iter().any(|d| d.code == "static-clash"), "{diags:?}");
}
