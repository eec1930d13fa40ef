//! `boardpack build`: the example board and the fixtures built through the binary, their HTML
//! parsed with `scraper` to check structure (one `<h1>`, captions, header scopes, landmarks,
//! links that resolve), and the build's guarantees: output that batches do not change (digest.rs
//! checks threads), and a failed build that leaves the previous output untouched.

use crate::common::{page, sel, text};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use scraper::{ElementRef, Html};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("boardpack").expect("binary builds");
    cmd.env_remove("RAYON_NUM_THREADS").env("NO_COLOR", "1");
    cmd
}

/// Build `root` into `out`, asserting success.
fn build(root: &Path, out: &Path) {
    bin()
        .arg("--root")
        .arg(root)
        .arg("-q")
        .arg("build")
        .arg("--output")
        .arg(out)
        .assert()
        .success();
}

/// Every file under `dir`: relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

/// Names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A copy of the example board (configuration and content, not the theme) in a fresh folder.
fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = repo_root();
    std::fs::copy(
        src.join("boardpack.toml"),
        dir.path().join("boardpack.toml"),
    )
    .unwrap();
    for e in walkdir::WalkDir::new(src.join("content")) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(&src).unwrap();
        let to = dir.path().join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    dir
}

/// The output file a site-relative URL points at, if it is a page or file of this site.
fn target(url: &str) -> Option<String> {
    let path = url.split('#').next()?.strip_prefix('/')?;
    if path.is_empty() {
        Some("index.html".into())
    } else if path.ends_with('/') {
        Some(format!("{path}index.html"))
    } else {
        Some(path.to_string())
    }
}

/// Structure every page must have, whatever it shows.
fn check_page(rel: &str, doc: &Html, files: &BTreeMap<String, Vec<u8>>) {
    let h1 = doc.select(&sel("h1")).count();
    assert_eq!(h1, 1, "{rel}: one <h1>, found {h1}");
    let html = doc.select(&sel("html")).next().unwrap();
    assert_eq!(html.value().attr("lang"), Some("en-GB"), "{rel}: lang");
    let skip = doc
        .select(&sel("body > a.bp-skip-link"))
        .next()
        .expect("skip link");
    assert_eq!(skip.value().attr("href"), Some("#main-content"), "{rel}");
    assert_eq!(
        doc.select(&sel("main#main-content")).count(),
        1,
        "{rel}: one <main>"
    );
    assert_eq!(doc.select(&sel("header")).count(), 1, "{rel}: banner");
    assert_eq!(doc.select(&sel("footer")).count(), 1, "{rel}: contentinfo");
    assert_eq!(
        doc.select(&sel("nav[aria-label=Main]")).count(),
        1,
        "{rel}: main navigation"
    );
    let crumbs = doc
        .select(&sel("nav[aria-label=Breadcrumb] li[aria-current=page]"))
        .count();
    assert_eq!(crumbs, 1, "{rel}: breadcrumbs end with the current page");
    for table in doc.select(&sel("main table")) {
        // Tables that authors write in Markdown have no caption to give; the theme's all do.
        let in_prose = table
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| a.value().classes().any(|c| c == "bp-prose"));
        if !in_prose {
            assert!(
                table.select(&sel("caption")).next().is_some(),
                "{rel}: a table without a caption"
            );
            for th in table.select(&sel("th")) {
                assert!(
                    th.value().attr("scope").is_some(),
                    "{rel}: <th> without scope: {}",
                    th.html()
                );
            }
        }
        for th in table.select(&sel("thead th")) {
            assert!(
                th.value().attr("scope").is_some(),
                "{rel}: header cell without scope"
            );
        }
    }
    // Ids are unique, and every link inside the site resolves, fragments included.
    let mut ids = BTreeSet::new();
    for e in doc.select(&sel("[id]")) {
        let id = e.value().attr("id").unwrap();
        assert!(ids.insert(id.to_string()), "{rel}: duplicate id `{id}`");
    }
    for a in doc.select(&sel("a[href]")) {
        let href = a.value().attr("href").unwrap();
        if let Some(frag) = href.strip_prefix('#') {
            assert!(ids.contains(frag), "{rel}: link to missing #{frag}");
        } else if let Some(file) = target(href) {
            assert!(
                files.contains_key(&file),
                "{rel}: link to {href}, but no {file}"
            );
            if let Some((_, frag)) = href.split_once('#') {
                let other = Html::parse_document(std::str::from_utf8(&files[&file]).unwrap());
                let found = other.select(&sel(&format!("[id=\"{frag}\"]"))).count();
                assert_eq!(found, 1, "{rel}: link to {href}, but no such id there");
            }
        }
    }
    for link in doc.select(&sel("link[rel=stylesheet]")) {
        let href = link.value().attr("href").unwrap();
        assert!(
            files.contains_key(&target(href).unwrap()),
            "{rel}: stylesheet {href}"
        );
    }
}

#[test]
fn the_example_board_builds_into_accessible_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&repo_root(), &out);
    let files = tree(&out);
    for must in [
        "index.html",
        "404.html",
        "accessibility/index.html",
        "periods/2009-10-q2/index.html",
        "periods/2009-10/index.html",
        "programmes/improving-capacity/index.html",
        "programmes/improving-capacity/2009-10-q2/index.html",
        "programmes/customer-first/2009-10-q2/index.html",
        "budget/2009-10-q2/index.html",
        "budget/2009-10/index.html",
    ] {
        assert!(
            files.contains_key(must),
            "missing {must}: {:?}",
            files.keys()
        );
    }
    let css: Vec<&String> = files
        .keys()
        .filter(|k| k.starts_with("css/main.") && k.ends_with(".css"))
        .collect();
    assert_eq!(css.len(), 1, "{css:?}");
    assert_eq!(css[0].len(), "css/main.12345678.css".len());
    let stylesheet = std::str::from_utf8(&files[css[0]]).unwrap();
    assert!(stylesheet.contains("@media print"), "print styles bundled");
    assert!(!stylesheet.contains("@import"), "imports bundled");
    for (rel, bytes) in &files {
        if rel.ends_with(".html") {
            let doc = Html::parse_document(std::str::from_utf8(bytes).unwrap());
            check_page(rel, &doc, &files);
        }
    }
    // Nothing is left beside the output.
    assert_eq!(names(tmp.path()), ["site"]);
}

#[test]
fn a_highlight_report_shows_its_status_table_and_stated_progress() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&repo_root(), &out);
    let doc = page(&out, "programmes/improving-capacity/2009-10-q2/index.html");
    let h1: Vec<String> = doc.select(&sel("h1")).map(text).collect();
    assert_eq!(h1, ["Highlight report, 2009/10 Q2 Improving Capacity"]);

    // The summary list states the programme's overall progress as printed: 50%.
    let mut stated = None;
    for row in doc.select(&sel("dl.bp-summary-list > div")) {
        let key = row.select(&sel("dt")).next().map(text);
        if key.as_deref() == Some("Overall progress (as stated)") {
            stated = row.select(&sel("dd")).next().map(text);
        }
    }
    assert_eq!(stated.as_deref(), Some("50%"));

    // The status table: a caption, scoped headers, one row group per objective.
    let table = doc
        .select(&sel("table.bp-table--status"))
        .next()
        .expect("status table");
    let caption = table.select(&sel("caption")).next().map(text).unwrap();
    assert_eq!(
        caption,
        "Improving Capacity: objectives and activities, 2009/10 Q2"
    );
    let headers: Vec<String> = table
        .select(&sel("thead th[scope=col]"))
        .map(text)
        .collect();
    assert_eq!(
        headers,
        [
            "Objective",
            "Objective progress (as stated)",
            "Objective progress (computed)",
            "Activity",
            "Kind",
            "Due",
            "Status",
            "Progress"
        ]
    );
    assert_eq!(table.select(&sel("tbody")).count(), 6);
    assert_eq!(table.select(&sel("tbody th[scope=rowgroup]")).count(), 5);
    // Statuses are words, and progress is written as a number beside its bar.
    let first = table.select(&sel("tbody tr")).next().unwrap();
    let cells: Vec<String> = first.select(&sel("td")).map(text).collect();
    assert_eq!(
        cells,
        [
            "58%",
            "58%",
            "Develop, deliver and evaluate a joint pilot leadership programme with Scottish Government and other key public bodies deliverable 8",
            "Priority",
            "31/12/2009",
            "In progress",
            "75%"
        ]
    );
    // The activity links to the plan's deliverable it tracks, through its objective.
    let deliverable = first.select(&sel("a.bp-deliverable-ref")).next().unwrap();
    assert_eq!(
        deliverable.value().attr("href"),
        Some("/plan/2009-10/#deliverable-8")
    );
    let tag = first.select(&sel("strong.bp-tag")).next().unwrap();
    assert_eq!(text(tag), "In progress");
    assert!(tag.value().classes().any(|c| c == "bp-tag--in-progress"));
    // Numbers are right-aligned cells.
    let numeric = first.select(&sel("td.bp-num")).count();
    assert_eq!(
        numeric, 4,
        "objective progress as stated and computed, due date and progress"
    );

    // Each objective's narrative, with priority deliverables numbered PD1, PD2…
    let objectives: Vec<String> = doc
        .select(&sel("section.bp-objective h3"))
        .map(text)
        .collect();
    assert_eq!(objectives.len(), 6);
    assert!(
        objectives[2].starts_with("Objective 3: Create an OD network"),
        "{objectives:?}"
    );
    let pd: Vec<String> = doc
        .select(&sel(
            "#highlight-improving-capacity-o5 .bp-deliverables__label",
        ))
        .map(text)
        .collect();
    assert_eq!(pd, ["PD1"]);
    // Footnotes in the status table link to the notes at the end.
    let note = doc
        .select(&sel("#highlight-improving-capacity-note-1"))
        .next()
        .unwrap();
    assert!(
        text(note).contains("Regional workshop will be run in Q3"),
        "{}",
        text(note)
    );
}

#[test]
fn the_board_pack_has_every_report_in_agenda_order() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&repo_root(), &out);
    let doc = page(&out, "periods/2009-10-q2/index.html");
    let contents: Vec<String> = doc.select(&sel("nav.bp-contents li a")).map(text).collect();
    assert_eq!(
        contents,
        [
            "Summary of 2009/10 Q2",
            "Improving Capacity",
            "Improving Outcomes",
            "Improving Practice",
            "Improving Delivery",
            "Customer First",
            "IS Financial Position Statement to 30th September 2009",
        ]
    );
    let sections: Vec<&str> = doc
        .select(&sel("main > section.bp-report"))
        .map(|s| s.value().attr("id").unwrap())
        .collect();
    assert_eq!(sections.len(), 6);
    assert_eq!(sections[5], "budget");
    // Report titles are h2 on the board pack, and their sections h3.
    assert_eq!(doc.select(&sel("section.bp-report > h2")).count(), 6);
    assert!(
        doc.select(&sel(
            "#highlight-improving-capacity h3#highlight-improving-capacity-status"
        ))
        .next()
        .is_some()
    );
}

#[test]
fn the_budget_lists_every_line_under_its_group() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&repo_root(), &out);
    let doc = page(&out, "budget/2009-10-q2/index.html");
    let table = doc.select(&sel("table.bp-table--budget")).next().unwrap();
    let headers: Vec<String> = table.select(&sel("thead th")).map(text).collect();
    assert_eq!(
        headers,
        [
            "Budget line",
            "Approved budget",
            "Revised budget",
            "Planned to date",
            "Actual to date",
            "Variance",
            "% variance",
            "RAG",
            "Projected outturn",
            "Outturn variance",
            "Notes"
        ]
    );
    let groups: Vec<String> = table.select(&sel("th[scope=rowgroup]")).map(text).collect();
    assert_eq!(
        groups,
        [
            "Income",
            "Specific Grants",
            "Expenditure",
            "Staff",
            "Corporate",
            "Programme"
        ]
    );
    let rows: Vec<Vec<String>> = table
        .select(&sel("tbody tr.bp-budget__line"))
        .map(|tr| tr.select(&sel("th, td")).map(text).collect())
        .collect();
    assert_eq!(rows.len(), 19);
    assert_eq!(
        rows[0],
        [
            "RSG Funding",
            "(1,700,000)",
            "(1,700,000)",
            "–none",
            "–none",
            "–none",
            "–none",
            "–none",
            "–none",
            "–none",
            ""
        ]
    );
    let km = rows
        .iter()
        .find(|r| r[0] == "Knowledge Management")
        .unwrap();
    assert_eq!(
        km[1..],
        [
            "222,577",
            "233,103",
            "116,546",
            "76,244",
            "(40,302) paper: (40,301)",
            "(35%)",
            "Red",
            "233,103",
            "0",
            "Note 1"
        ]
    );
    // The paper's variance is shown beside the computed one only where they differ.
    let cf = rows
        .iter()
        .find(|r| r[0] == "Customer First" && r[4] == "311,145");
    assert_eq!(cf.map(|r| r[5].as_str()), Some("2,054"));
    // The memorandum line comes last, as in the paper.
    assert!(
        rows[18][0].starts_with("Contingency Reserve Provision"),
        "{:?}",
        rows[18]
    );
    let balances: Vec<String> = doc
        .select(&sel("#budget-balances + table td.bp-num"))
        .map(text)
        .collect();
    assert_eq!(balances, ["£449,667", "£538,313", "£1,310,916"]);
}

#[test]
fn sites_without_a_theme_folder_use_the_built_in_theme() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let wigan = repo_root().join("tests/fixtures/wigan");
    assert!(!wigan.join("themes").exists());
    build(&wigan, &out);
    let files = tree(&out);
    let doc = page(&out, "indicators/2009-10-q1/index.html");
    check_page("indicators", &doc, &files);
    let table = doc
        .select(&sel("table.bp-table--indicators"))
        .next()
        .unwrap();
    let years: Vec<String> = table
        .select(&sel("thead th"))
        .map(text)
        .filter(|t| t.starts_with("Target "))
        .collect();
    assert_eq!(
        years,
        ["Target 2009/10", "Target 2010/11", "Target 2011/12"]
    );
    let ni14 = doc.select(&sel("tr#indicators-ni-14")).next().unwrap();
    assert!(text(ni14).contains("25.6%"));
    // As stated, then as computed from the data.
    assert_eq!(
        ni14.select(&sel(".bp-tag")).map(text).collect::<Vec<_>>(),
        ["On track", "Off target"]
    );

    let doc = page(&out, "actions/2009-10-q1/index.html");
    check_page("actions", &doc, &files);
    let tags: BTreeSet<String> = doc.select(&sel(".bp-tag")).map(text).collect();
    assert!(
        tags.contains("On track") && tags.contains("Behind"),
        "{tags:?}"
    );

    let wd = repo_root().join("tests/fixtures/west-dunbartonshire");
    let out = tmp.path().join("wd");
    build(&wd, &out);
    let files = tree(&out);
    let doc = page(&out, "actions/2008-09-q1/index.html");
    check_page("west dunbartonshire", &doc, &files);
    // The responsibility matrix says "Primary" and "Secondary" in words.
    let matrix = doc
        .select(&sel("table.bp-table--matrix"))
        .next()
        .expect("responsibility matrix");
    let words: BTreeSet<String> = matrix
        .select(&sel("td"))
        .map(text)
        .filter(|t| !t.is_empty())
        .collect();
    assert!(
        words.contains("Primary") && words.contains("Secondary"),
        "{words:?}"
    );
    assert_eq!(matrix.select(&sel("tbody th[scope=row]")).count(), 14);
}

/// A build lays out and renders its pages a batch at a time to bound its memory; the batches
/// must not show. Every page and download of each site, rendered all at once, must equal the
/// same site rendered in batches of any size, and what `build` writes to disk (its search index
/// spilled to a scratch file as pages render) must equal the site rendered in memory.
#[test]
fn batches_and_spilling_do_not_change_a_byte() {
    use boardpack::plan::pages;
    use boardpack::site::{Renderer, search};
    for root in [
        repo_root(),
        repo_root().join("tests/fixtures/two-periods"),
        repo_root().join("tests/fixtures/wigan"),
        repo_root().join("tests/fixtures/messy"),
    ] {
        let loaded = boardpack::site::load(&root).unwrap();
        let renderer = Renderer::new(&loaded).unwrap();
        let plan = pages::plan(&loaded.config, &loaded.content.documents);
        let whole: BTreeMap<String, Vec<u8>> = renderer
            .render(&loaded, &plan, |_| true)
            .unwrap()
            .files
            .into_iter()
            .collect();
        if root == repo_root() {
            // Enough periods and programmes that batches of one and two split both.
            assert!(plan.periods.len() > 1 && plan.programmes.len() > 2);
        }
        // A build typesets each board pack's PDF beside its page; a render in memory (what
        // serve shows at once) leaves them to be typeset later. The PDFs must not depend on
        // the batches either.
        let is_pdf = |path: &String| path.ends_with(".pdf");
        let mut pdfs: Option<BTreeMap<String, Vec<u8>>> = None;
        for size in [1, 2, 5, usize::MAX] {
            let files = std::sync::Mutex::new(BTreeMap::new());
            let (pages, indexed) = renderer
                .render_in_batches(
                    &loaded,
                    &plan,
                    size,
                    &|path, bytes| {
                        let old = files
                            .lock()
                            .unwrap()
                            .insert(path.to_string(), bytes.to_vec());
                        assert!(old.is_none(), "{path} written twice");
                        Ok(())
                    },
                    |page, _| Some(page.url.clone()),
                )
                .unwrap();
            assert_eq!(pages, plan.pages.len());
            // The search index is built from them in this order as they come, so it must not
            // depend on the batches: a period's reports, period by period, then the rest.
            let order = boardpack::plan::facets::IndexOrder::new(&plan);
            let mut in_order: Vec<usize> = (0..plan.pages.len()).collect();
            in_order.sort_by_key(|&i| order.key(&plan, i));
            let urls: Vec<String> = in_order
                .iter()
                .map(|&i| plan.pages[i].url.clone())
                .collect();
            assert_eq!(indexed, urls, "{root:?}: kept values in index order");
            let (typeset, files): (BTreeMap<_, _>, BTreeMap<_, _>) = files
                .into_inner()
                .unwrap()
                .into_iter()
                .partition(|(p, _)| is_pdf(p));
            assert!(
                files == whole,
                "{root:?}: batches of {size} differ from one render"
            );
            assert_eq!(
                typeset.len(),
                plan.periods.len(),
                "{root:?}: one PDF a period"
            );
            match &pdfs {
                Some(first) => assert!(first == &typeset, "{root:?}: batches change a PDF"),
                None => pdfs = Some(typeset),
            }
        }
        let rendered = crate::common::render_in_memory(&loaded).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        boardpack::site::build(&loaded, &out, Default::default(), |_| {}).unwrap();
        let mut written = tree(&out);
        // The manifest is the build's record of what it wrote, not part of the site.
        assert!(written.remove(".boardpack-manifest").is_some());
        written.retain(|p, _| !is_pdf(p));
        let in_memory: BTreeMap<String, Vec<u8>> = rendered.files.into_iter().collect();
        assert!(in_memory.contains_key(search::SCRIPT_PATH));
        assert!(written == in_memory, "{root:?}: build and render differ");
        // Over its own output, a build changes nothing.
        let again = boardpack::site::build(&loaded, &out, Default::default(), |_| {}).unwrap();
        assert_eq!(again.written.changed, 0, "{root:?}");
        let mut again = tree(&out);
        again.remove(".boardpack-manifest");
        again.retain(|p, _| !is_pdf(p));
        assert!(again == in_memory);
    }
}

#[test]
fn a_broken_template_fails_the_build_and_keeps_the_previous_output() {
    let site = example_copy();
    let out = site.path().join("public");
    build(site.path(), &out);
    let before = tree(&out);

    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/highlight.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ report.title }</h1>\n{% endblock content %}\n",
    )
    .unwrap();
    let assert = bin()
        .arg("--root")
        .arg(site.path())
        .args(["build", "--output"])
        .arg(&out)
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("template error in"), "{stderr}");
    assert!(stderr.contains("highlight.html:3:"), "{stderr}");

    assert_eq!(tree(&out), before, "the previous output changed");
    let left: Vec<String> = names(site.path())
        .into_iter()
        .filter(|n| n.starts_with("public."))
        .collect();
    assert!(left.is_empty(), "left beside the output: {left:?}");
}

/// A static file where a page or a download goes is refused before anything is written, with
/// both named; a download is only known once its period's summaries are laid out, batch by
/// batch, so that check runs late and must still keep the previous output.
#[test]
fn a_static_file_in_the_place_of_a_page_or_download_is_refused() {
    let site = example_copy();
    let out = site.path().join("public");
    build(site.path(), &out);
    let before = tree(&out);
    // A static file where a page goes is caught by check (static-clash, exit 1: see
    // output::a_static_file_where_the_build_writes_its_own_is_a_check_error); one where a
    // download goes is known only once the summaries are laid out, so the build refuses it.
    // Put `static/<rel>` in place, build, and return what the build said, with the output
    // checked unchanged and the file removed again.
    let refused = |rel: &str, code: i32| -> String {
        let file = site.path().join("static").join(rel);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "mine").unwrap();
        let assert = bin()
            .arg("--root")
            .arg(site.path())
            .args(["-q", "build", "--output"])
            .arg(&out)
            .assert()
            .code(code);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert_eq!(tree(&out), before, "the previous output changed");
        std::fs::remove_file(&file).unwrap();
        stderr
    };
    let stderr = refused("periods/2009-10-q2/index.html", 1);
    assert!(stderr.contains("the page /periods/2009-10-q2/"), "{stderr}");
    let (rel, second) = (
        "periods/2009-10-q2/exceptions.csv",
        "the download periods/2009-10-q2/exceptions.csv",
    );
    let stderr = refused(rel, 2);
    assert!(
        stderr.contains(&format!("two outputs would be written to `{rel}`")),
        "{stderr}"
    );
    assert!(stderr.contains("the static file"), "{stderr}");
    assert!(stderr.contains(second), "{stderr}");
}

#[test]
fn a_site_template_overrides_the_theme() {
    let site = example_copy();
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Lost in the board pack</h1>{% endblock content %}",
    )
    .unwrap();
    let out = site.path().join("out");
    build(site.path(), &out);
    let doc = page(&out, "404.html");
    let h1: Vec<String> = doc.select(&sel("h1")).map(text).collect();
    assert_eq!(h1, ["Lost in the board pack"]);
    // Other pages still come from the theme.
    let doc = page(&out, "index.html");
    assert_eq!(
        doc.select(&sel("h1")).map(text).collect::<Vec<_>>(),
        ["Improvement Service Board"]
    );
}

#[test]
fn front_matter_text_is_escaped_and_markdown_is_sanitised() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("boardpack.toml"),
        "organisation = \"Org <b>\"\ntitle = \"Board\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("content/2009-10-q2")).unwrap();
    std::fs::write(
        site.path().join("content/2009-10-q2/p.md"),
        r#"+++
kind = "highlight"
programme = "p"
title = "<script>alert('title')</script>"
period = "2009/10 Q2"
lead = "Lead <img src=x onerror=alert(1)>"

[[objectives]]
id = "o1"
title = "Objective"
comment = "Fine *text*\n\n<script>alert('comment')</script>\n\n[bad](javascript:alert(1))"
+++
Body <script>alert('body')</script>
"#,
    )
    .unwrap();
    let out = site.path().join("out");
    build(site.path(), &out);
    let html = std::fs::read_to_string(out.join("programmes/p/2009-10-q2/index.html")).unwrap();
    let doc = Html::parse_document(&html);
    assert_eq!(doc.select(&sel("script")).count(), 0, "{html}");
    assert_eq!(doc.select(&sel("img")).count(), 0);
    assert!(!html.contains("javascript:"));
    let h1 = text(doc.select(&sel("h1")).next().unwrap());
    assert!(h1.ends_with("<script>alert('title')</script>"), "{h1}");
    assert!(
        html.contains("&lt;script&gt;alert("),
        "the title is escaped, not removed"
    );
    assert!(
        html.contains("<em>text</em>"),
        "markdown fields are rendered"
    );
    let org = text(doc.select(&sel(".bp-header__organisation")).next().unwrap());
    assert_eq!(org, "Org <b>");
}

#[test]
fn refuses_to_write_over_the_site() {
    let site = example_copy();
    bin()
        .arg("--root")
        .arg(site.path())
        .args(["-q", "build", "--output"])
        .arg(site.path())
        .assert()
        .failure();
    assert!(site.path().join("content/2009-10-q2/budget.md").is_file());
    assert!(site.path().join("boardpack.toml").is_file());
}
