//! Search: the index `boardpack build` writes to `search/index.json`, the search page, and the
//! search box in every page's header. The browser suite (tests/browser) runs the search itself.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use scraper::{Html, Selector};
use serde_json::Value;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build(root: &Path, out: &Path) {
    Command::cargo_bin("boardpack")
        .expect("binary builds")
        .env("NO_COLOR", "1")
        .arg("--root")
        .arg(root)
        .args(["-q", "build", "--output"])
        .arg(out)
        .assert()
        .success();
}

fn index(out: &Path) -> Value {
    let text = std::fs::read_to_string(out.join("search/index.json")).expect("search/index.json");
    serde_json::from_str(&text).expect("the index is JSON")
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn page(out: &Path, rel: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join(rel)).unwrap())
}

#[test]
fn the_index_holds_every_report_and_page_once() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&repo_root(), &out);
    let index = index(&out);
    assert_eq!(index["v"], 1);
    let pages = index["pages"].as_array().unwrap();
    let urls: Vec<&str> = pages.iter().map(|p| p["u"].as_str().unwrap()).collect();
    for url in [
        "/programmes/improving-capacity/2009-10-q2/",
        "/programmes/customer-first/2009-10-q2/",
        "/budget/2009-10-q2/",
        "/budget/2009-10/",
        "/plan/2009-10/",
        "/accessibility/",
    ] {
        assert_eq!(
            urls.iter().filter(|u| **u == url).count(),
            1,
            "{url} in {urls:?}"
        );
    }
    // Board packs, programme pages, the home, search and not-found pages repeat or link to
    // the others, so they are left out.
    for url in [
        "/",
        "/periods/2009-10-q2/",
        "/programmes/improving-capacity/",
        "/search/",
        "/404.html",
    ] {
        assert!(!urls.contains(&url), "{url} is indexed");
    }
    let budget = pages
        .iter()
        .find(|p| p["u"] == "/budget/2009-10-q2/")
        .unwrap();
    assert_eq!(
        budget["t"],
        "IS Financial Position Statement to 30th September 2009"
    );
    assert_eq!(budget["k"], "Budget monitoring, 2009/10 Q2");
    // The plan is searched as a plan of its year, its deliverables' text included.
    let plan = pages.iter().find(|p| p["u"] == "/plan/2009-10/").unwrap();
    assert_eq!(plan["t"], "Operational Plan 2009/10");
    assert_eq!(plan["k"], "Operational plan, 2009/10");
    assert!(
        (plan["s"].as_array().unwrap().iter())
            .any(|s| s["a"] == "deliverable-21-title"
                && s["x"].as_str().unwrap().contains("PIN Portal")),
        "{plan}"
    );
    let sections = budget["s"].as_array().unwrap();
    // Sections link to the headings of the page they come from, and hold its text as shown:
    // the statement's figures are formatted as on the page.
    let statement = sections
        .iter()
        .find(|s| s["a"] == "budget-statement")
        .expect("the statement is a section");
    let text = statement["x"].as_str().unwrap();
    assert!(text.contains("Knowledge Management"), "{text}");
    assert!(text.contains("(1,700,000)"), "{text}");
    let doc = page(&out, "budget/2009-10-q2/index.html");
    for s in sections {
        let a = s["a"].as_str().unwrap();
        if !a.is_empty() {
            assert_eq!(
                doc.select(&sel(&format!("[id=\"{a}\"]"))).count(),
                1,
                "the section anchor #{a} is on the page"
            );
        }
        // Plain text: no markup and no character references left in it.
        for field in ["h", "x"] {
            let t = s[field].as_str().unwrap();
            assert!(
                !t.contains("<p") && !t.contains("&amp;") && !t.contains("  "),
                "{t}"
            );
        }
    }
    // The header and navigation are not part of any page's text.
    assert!(
        pages
            .iter()
            .flat_map(|p| p["s"].as_array().unwrap())
            .all(|s| !s["x"].as_str().unwrap().contains("Skip to main content"))
    );
}

#[test]
fn the_search_page_and_header_box_work_without_javascript() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&repo_root().join("tests/fixtures/wigan"), &out);
    let search = page(&out, "search/index.html");
    // The page says search needs JavaScript and points to the contents until the script runs.
    let message = search
        .select(&sel("[data-bp-search-no-js]"))
        .next()
        .expect("the no-JavaScript message");
    let text: String = message.text().collect();
    assert!(text.contains("Search needs JavaScript"), "{text}");
    assert!(message.select(&sel("a[href=\"/\"]")).next().is_some());
    let form = search
        .select(&sel("form[data-bp-search-form]"))
        .next()
        .unwrap();
    assert!(
        form.value().attr("hidden").is_some(),
        "the form waits for the script"
    );
    assert_eq!(
        search
            .select(&sel("label[for=bp-search-page-input]"))
            .count(),
        1
    );
    assert!(
        search
            .select(&sel("script[src=\"/js/search.js\"]"))
            .next()
            .is_some()
    );
    assert!(out.join("js/search.js").is_file());
    // The search page has its own box, so the header's is left out there.
    assert_eq!(search.select(&sel("#bp-header-search-input")).count(), 0);

    // Every other page has a labelled search box in its header, a plain GET form to /search/.
    let home = page(&out, "index.html");
    let form = home
        .select(&sel("header form[role=search]"))
        .next()
        .expect("a search form in the header");
    assert_eq!(form.value().attr("action"), Some("/search/"));
    assert_eq!(form.value().attr("method"), Some("get"));
    let input = form
        .select(&sel("input[type=search][name=q]"))
        .next()
        .unwrap();
    let id = input.value().attr("id").unwrap();
    assert_eq!(
        form.select(&sel(&format!("label[for=\"{id}\"]"))).count(),
        1,
        "the box is labelled"
    );
}

#[test]
fn front_matter_in_the_index_is_plain_escaped_text() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    Command::cargo_bin("boardpack")
        .unwrap()
        .args(["-q", "init"])
        .arg(&root)
        .assert()
        .success();
    std::fs::write(
        root.join("content/pages/hostile.md"),
        "+++\nkind = \"page\"\ntitle = \"A </script><img src=x onerror=alert(1)> page\"\n+++\nBody &amp; <b>bold</b> text.\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    build(&root, &out);
    let raw = std::fs::read_to_string(out.join("search/index.json")).unwrap();
    let index: Value = serde_json::from_str(&raw).unwrap();
    let hostile = index["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["u"] == "/hostile/")
        .expect("the page is indexed");
    // The title is the front matter's text exactly; JSON carries it as a string, which the
    // search page writes with textContent.
    assert_eq!(hostile["t"], "A </script><img src=x onerror=alert(1)> page");
    let text = hostile["s"][0]["x"].as_str().unwrap();
    assert_eq!(text, "Body & bold text.");
}
