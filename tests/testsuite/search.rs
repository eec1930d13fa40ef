//! Search: the pagefind index `boardpack build` writes to `search/pagefind/`, the search page,
//! and the search box in every page's header. The browser suite (tests/browser) runs the search
//! itself, in pagefind's own code.

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

/// The searched pages by URL.
fn index(out: &Path) -> Vec<Value> {
    crate::common::search_fragments(out)
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
    let pages = index(&out);
    let urls: Vec<&str> = pages.iter().map(|p| p["url"].as_str().unwrap()).collect();
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
    let find = |url: &str| pages.iter().find(|p| p["url"] == url).unwrap();
    let budget = find("/budget/2009-10-q2/");
    assert_eq!(
        budget["meta"]["title"],
        "IS Financial Position Statement to 30th September 2009"
    );
    assert_eq!(budget["meta"]["summary"], "Budget monitoring, 2009/10 Q2");
    assert_eq!(
        budget["filters"]["kind"],
        serde_json::json!(["Budget monitoring"])
    );
    assert_eq!(
        budget["filters"]["period"],
        serde_json::json!(["2009/10 Q2"])
    );
    // Only a highlight report belongs to a programme.
    assert!(budget["filters"].get("programme").is_none(), "{budget}");
    let highlight = find("/programmes/improving-capacity/2009-10-q2/");
    assert_eq!(
        highlight["filters"]["kind"],
        serde_json::json!(["Highlight report"])
    );
    assert_eq!(
        highlight["filters"]["programme"].as_array().map(Vec::len),
        Some(1),
        "{highlight}"
    );
    // The plan is searched as a plan of its year, its deliverables' text included.
    let plan = find("/plan/2009-10/");
    assert_eq!(plan["meta"]["title"], "Operational Plan 2009/10");
    assert_eq!(plan["meta"]["summary"], "Operational plan, 2009/10");
    assert!(
        plan["content"].as_str().unwrap().contains("PIN Portal"),
        "{plan}"
    );
    assert!(
        (plan["anchors"].as_array().unwrap().iter()).any(|a| a["id"] == "deliverable-21-title"),
        "{plan}"
    );
    // The text is the page's as shown: the statement's figures are formatted as on the page,
    // with no markup or character references left in it, and the labels are not part of it.
    let text = budget["content"].as_str().unwrap();
    assert!(text.contains("Knowledge Management"), "{text}");
    assert!(text.contains("(1,700,000)"), "{text}");
    assert!(!text.contains("<p") && !text.contains("&amp;"), "{text}");
    assert!(!text.contains("Budget monitoring, 2009/10 Q2"), "{text}");
    // Results link to the headings of the page they come from: each anchor is on the page.
    let doc = page(&out, "budget/2009-10-q2/index.html");
    let anchors = budget["anchors"].as_array().unwrap();
    assert!(
        anchors.iter().any(|a| a["id"] == "budget-statement"),
        "{budget}"
    );
    for a in anchors {
        let id = a["id"].as_str().unwrap();
        assert_eq!(
            doc.select(&sel(&format!("[id=\"{id}\"]"))).count(),
            1,
            "the anchor #{id} is on the page"
        );
    }
    // The header and navigation are not part of any page's text.
    assert!(pages.iter().all(|p| {
        !p["content"]
            .as_str()
            .unwrap()
            .contains("Skip to main content")
    }));
    // The bundle holds what the search page loads, and not pagefind's own interfaces.
    let bundle = out.join("search/pagefind");
    for file in [
        "pagefind.js",
        "pagefind-worker.js",
        "pagefind-entry.json",
        "wasm.en.pagefind",
    ] {
        assert!(bundle.join(file).is_file(), "{file}");
    }
    for file in [
        "pagefind-ui.js",
        "pagefind-component-ui.js",
        "pagefind-highlight.js",
    ] {
        assert!(!bundle.join(file).exists(), "{file}");
    }
    assert!(!out.join("search/index.json").exists());

    // The search page offers each kind, period and programme some result has, and no other.
    let search = page(&out, "search/index.html");
    let root = search.select(&sel("[data-bp-search]")).next().unwrap();
    assert_eq!(
        root.value().attr("data-bundle"),
        Some("/search/pagefind/pagefind.js")
    );
    for filter in ["kind", "period", "programme"] {
        let offered: std::collections::BTreeSet<String> = search
            .select(&sel(&format!("select[name={filter}] option")))
            .filter_map(|o| o.value().attr("value"))
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect();
        let held: std::collections::BTreeSet<String> = (pages.iter())
            .flat_map(|p| p["filters"][filter].as_array().cloned().unwrap_or_default())
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert!(held.len() > 1, "{filter}: {held:?}");
        assert_eq!(offered, held, "{filter}");
    }
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
    let pages = index(&out);
    let hostile = pages
        .iter()
        .find(|p| p["url"] == "/hostile/")
        .expect("the page is indexed");
    // The title is the front matter's text exactly, carried as a JSON string, which the search
    // page writes with textContent; the page's text is its text, markup gone.
    assert_eq!(
        hostile["meta"]["title"],
        "A </script><img src=x onerror=alert(1)> page"
    );
    let text = hostile["content"].as_str().unwrap();
    assert_eq!(text, "Body & bold text.");
}
