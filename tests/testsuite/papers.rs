//! What a paper says about itself and where its tables go: meeting metadata in the page
//! header, and the `<!-- boardpack:tables -->` marker, read back out of the built HTML; and
//! the warnings where either does not add up.

use std::path::Path;

use scraper::{ElementRef, Html};

use crate::common::{boardpack, check_json, fixture, invalid, page, repo_root, sel, text};

fn build(root: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    boardpack()
        .arg("--root")
        .arg(root)
        .args(["-q", "build", "--output"])
        .arg(dir.path())
        .assert()
        .success();
    dir
}

/// The paper's definition list as (term, definition) pairs.
fn meta(doc: &Html) -> Vec<(String, String)> {
    let Some(dl) = doc.select(&sel("dl.bp-meta")).next() else {
        return vec![];
    };
    dl.select(&sel("dt"))
        .zip(dl.select(&sel("dd")))
        .map(|(t, d)| (text(t), text(d)))
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn the_report_header_says_which_meeting_and_who_wrote_it() {
    let out = build(&fixture("west-dunbartonshire"));
    let doc = page(out.path(), "actions/2008-09-q1/index.html");
    assert_eq!(
        meta(&doc),
        pairs(&[
            ("Meeting", "West Dunbartonshire Council, 30 April 2008"),
            ("To", "Council"),
            ("From", "David McMillan, Chief Executive"),
            ("Paper dated", "24 April 2008"),
        ])
    );
    let times: Vec<&str> = doc
        .select(&sel("dl.bp-meta time"))
        .filter_map(|t| t.value().attr("datetime"))
        .collect();
    assert_eq!(times, ["2008-04-30", "2008-04-24"]);

    let out = build(&fixture("wigan"));
    let doc = page(out.path(), "indicators/2009-10-q1/index.html");
    assert_eq!(
        meta(&doc)[0],
        (
            "Meeting".to_string(),
            "Overview and Scrutiny Co-ordinating Committee, 17 August 2009".to_string()
        )
    );

    let out = build(&repo_root());
    let doc = page(
        out.path(),
        "programmes/improving-delivery/2009-10-q2/index.html",
    );
    assert_eq!(
        meta(&doc),
        pairs(&[
            ("Meeting", "Improvement Service Board, 30 November 2009"),
            ("To", "Improvement Service Board"),
        ])
    );
    // The plan prints no meeting, date or author: no list at all.
    let doc = page(out.path(), "plan/2009-10/index.html");
    assert!(meta(&doc).is_empty());
}

/// Where in the page's main content each of these comes first, in document order.
fn order(doc: &Html, needles: &[&str]) -> Vec<usize> {
    let main = doc.select(&sel("main")).next().expect("main");
    let blocks: Vec<String> = main
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| matches!(e.value().name(), "p" | "h2" | "h3" | "caption" | "li"))
        .map(text)
        .collect();
    needles
        .iter()
        .map(|n| {
            blocks
                .iter()
                .position(|b| b.contains(n))
                .unwrap_or_else(|| panic!("{n} not on the page"))
        })
        .collect()
}

#[test]
fn the_marker_puts_the_matrix_where_the_paper_prints_it() {
    let out = build(&fixture("west-dunbartonshire"));
    let doc = page(out.path(), "actions/2008-09-q1/index.html");
    let at = order(
        &doc,
        &[
            "Table 1 : Improvement Priorities",
            "Improvement priorities and the workstreams responsible for them",
            "3.3. Continuous Improvement Team",
            "Background Papers",
        ],
    );
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    // The text after the marker keeps its place in the outline: 3.3 is a level below 3.
    assert!(doc.select(&sel("h3")).any(|h| text(h).starts_with("3.3.")));
    assert!(doc.select(&sel("h2")).any(|h| text(h) == "3. Main Issues"));
}

#[test]
fn without_a_marker_the_tables_follow_the_body() {
    let out = build(&fixture("wigan"));
    let doc = page(out.path(), "actions/2009-10-q1/index.html");
    let main = doc.select(&sel("main")).next().expect("main");
    let kinds: Vec<&str> = main
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter_map(|e| {
            let v = e.value();
            match v.name() {
                "table" => Some("table"),
                "div" if v.classes().any(|c| c == "bp-prose") => Some("prose"),
                _ => None,
            }
        })
        .collect();
    // The whole body first, then every table: nothing of the body comes after them.
    let first_table = kinds.iter().position(|k| *k == "table").expect("a table");
    assert_eq!(kinds.first(), Some(&"prose"), "{kinds:?}");
    assert!(
        kinds[first_table..].iter().all(|k| *k == "table"),
        "{kinds:?}"
    );
}

#[test]
fn markers_and_dates_that_do_not_add_up_are_located_warnings() {
    let (code, diags) = check_json(&invalid("paper-keys"), &[]);
    assert_eq!(code, 0, "warnings only");
    let found: Vec<(&str, usize, usize, &str)> = diags
        .iter()
        .map(|d| {
            let file = d.file.as_deref().unwrap_or("");
            (file, d.line, d.column, d.code.as_str())
        })
        .collect();
    assert_eq!(
        found,
        [
            ("content/2009-10-q2/budget.md", 6, 9, "dated-after-meeting"),
            ("content/2009-10-q2/budget.md", 25, 1, "unknown-marker"),
            ("content/2009-10-q2/budget.md", 31, 1, "repeated-marker"),
            ("content/pages/about.md", 7, 1, "unknown-marker"),
        ]
    );
    let repeated = diags.iter().find(|d| d.code == "repeated-marker").unwrap();
    assert_eq!(
        repeated.help.as_deref(),
        Some(
            "the first is at content/2009-10-q2/budget.md:27:1; remove this one, or move the first here"
        )
    );
    // check passes, so build places the tables at the first marker and shows the rest after.
    let out = build(&invalid("paper-keys"));
    let doc = page(out.path(), "budget/2009-10-q2/index.html");
    let at = order(
        &doc,
        &["The position to 30 September.", "Notes after the table."],
    );
    assert!(at[0] < at[1]);
    // The twin: the WDC fixture's marker and metadata raise none of these.
    let (_, diags) = check_json(&fixture("west-dunbartonshire"), &[]);
    assert!(
        diags.iter().all(|d| !matches!(
            d.code.as_str(),
            "dated-after-meeting" | "unknown-marker" | "repeated-marker"
        )),
        "{diags:#?}"
    );
}
