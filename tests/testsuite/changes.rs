//! What changed since the last period, for every kind, read back out of the built HTML with
//! `scraper`: the changes fixture (every kind over 2008/09 Q2, 2009/10 Q1 and Q2), and the
//! example board, which has nothing to compare and shows none of it.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use scraper::{ElementRef, Html};

use crate::common::{boardpack, fixture, page, repo_root, sel, text};

/// Each site is built once for the whole module.
fn built(name: &'static str) -> &'static Path {
    static SITES: OnceLock<std::sync::Mutex<BTreeMap<&'static str, &'static Path>>> =
        OnceLock::new();
    let mut map = SITES.get_or_init(Default::default).lock().unwrap();
    if let Some(p) = map.get(name) {
        return p;
    }
    let dir: &'static tempfile::TempDir = Box::leak(Box::new(tempfile::tempdir().unwrap()));
    let out: &'static Path = Box::leak(dir.path().join("site").into_boxed_path());
    let root = if name == "example" {
        repo_root()
    } else {
        fixture(name)
    };
    boardpack()
        .arg("--root")
        .arg(&root)
        .args(["-q", "build", "--output"])
        .arg(out)
        .assert()
        .success();
    map.insert(name, out);
    out
}

fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector)).map(text).collect()
}

/// The rows of the table under `selector`, each as its cells' text.
fn rows(doc: &Html, selector: &str) -> Vec<Vec<String>> {
    let table = doc.select(&sel(selector)).next().expect(selector);
    table
        .select(&sel("tbody tr, tfoot tr"))
        .map(|tr: ElementRef<'_>| tr.select(&sel("th, td")).map(text).collect())
        .collect()
}

/// The list that follows the heading with this id.
fn list_after(doc: &Html, heading: &str) -> Vec<String> {
    let h = doc
        .select(&sel(&format!("#{heading}")))
        .next()
        .unwrap_or_else(|| panic!("no #{heading}"));
    let ul = h
        .next_siblings()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "ul")
        .unwrap_or_else(|| panic!("no list after #{heading}"));
    ul.select(&sel("li")).map(text).collect()
}

const GLANCE: [&str; 9] = [
    "1 activity progressed since 2009/10 Q1 and 1 fell back",
    "1 activity completed",
    "Activities: 1 new and 1 no longer reported",
    "Overall progress rose in 1 programme",
    "Risks: 1 new, 1 closed and 1 re-rated",
    "Issues: 1 new and 1 closed",
    "Indicators: 1 improved and 1 worsened since 2009/10 Q1; 1 changed status; 2 better and 1 worse than in 2008/09 Q2, the same quarter last year",
    "Budget since 2009/10 Q1: the projected outturn rose by £9,000, from £1,000,000 to £1,009,000; 2 lines' projections moved, 1 beyond tolerance",
    "Actions since 2009/10 Q1: 1 completed; judgements 2 better and 1 worse; 1 new and 1 no longer in the plan",
];

#[test]
fn the_board_pack_says_what_changed_in_one_glance_and_links_to_the_detail() {
    let out = built("changes");
    let doc = page(out, "periods/2009-10-q2/index.html");
    assert_eq!(texts(&doc, "#summary .bp-since li"), GLANCE);
    // Every line links to a section of this board pack that exists.
    for href in doc
        .select(&sel(".bp-since a"))
        .filter_map(|a| a.value().attr("href"))
    {
        let (path, id) = href.split_once('#').expect("a fragment");
        assert_eq!(path, "/periods/2009-10-q2/");
        assert!(
            doc.select(&sel(&format!("[id=\"{id}\"]"))).next().is_some(),
            "{href} leads nowhere"
        );
    }
    // The first quarter of the year compares with the quarter before that has reports.
    let q1 = page(out, "periods/2009-10-q1/index.html");
    assert_eq!(
        texts(&q1, "#summary .bp-since li"),
        [
            "1 activity progressed since 2008/09 Q2",
            "1 due date slipped",
            "Activities: 2 new",
            "Overall progress rose in 1 programme",
            "Risks: 2 new",
            "Issues: 1 new",
            "Indicators: 2 worsened since 2008/09 Q2",
        ]
    );
    // The first period has nothing to compare with: no list at all.
    let first = page(out, "periods/2008-09-q2/index.html");
    assert!(first.select(&sel("#since, .bp-since")).next().is_none());
}

#[test]
fn check_finds_only_the_slip_the_fixture_has_on_purpose() {
    let (code, diags) = crate::common::check_json(&fixture("changes"), &[]);
    assert_eq!(code, 0);
    let found: Vec<(&str, usize, &str)> = diags
        .iter()
        .map(|d| (d.file.as_deref().unwrap_or(""), d.line, d.code.as_str()))
        .collect();
    assert_eq!(found, [("content/2009-10-q1/alpha.md", 13, "slipped")]);
}

#[test]
fn the_home_page_shows_the_latest_glance() {
    let doc = page(built("changes"), "index.html");
    assert_eq!(
        text(doc.select(&sel("h2#since")).next().unwrap()),
        "What changed since the last period"
    );
    assert_eq!(list_after(&doc, "since"), GLANCE);
}

#[test]
fn indicators_against_the_previous_quarter_and_the_same_quarter_last_year() {
    let doc = page(built("changes"), "indicators/2009-10-q2/index.html");
    let header = texts(&doc, ".bp-table--compare thead th");
    assert_eq!(
        header,
        [
            "Indicator",
            "Actual 2009/10 Q2",
            "2009/10 Q1",
            "Change since 2009/10 Q1",
            "2008/09 Q2 (same quarter last year)",
            "Change since 2008/09 Q2",
        ]
    );
    assert_eq!(
        rows(&doc, ".bp-table--compare"),
        [
            [
                "NI 52i Take up of school lunches (primary)",
                "39.1%",
                "35.56%",
                "↑ Better: up 3.54 points",
                "38%",
                "↑ Better: up 1.1 points"
            ],
            // Lower is better: a rise is worse.
            [
                "NI 14 Avoidable contact",
                "26.1%",
                "25.6%",
                "↓ Worse: up 0.5 points",
                "24%",
                "↓ Worse: up 2.1 points"
            ],
            // New this quarter; the report gives last year's figure itself.
            [
                "Satisfaction with front line customer service",
                "75%",
                "–none",
                "Not reported then",
                "70% (as this report gives it)",
                "↑ Better: up 5 points"
            ],
        ]
    );
    // The earlier figure links to its row in that period's report.
    let link = doc
        .select(&sel(".bp-table--compare tbody tr td a"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .unwrap();
    assert_eq!(link, "/indicators/2009-10-q1/#indicators-ni-52i");
    let items = list_after(&doc, "indicators-changes");
    assert!(items.contains(&"Status changed from off target to on track: NI 52i Take up of school lunches (primary).".to_string()), "{items:#?}");
    assert!(
        items.contains(&"No longer reported: Knowledge hub members.".to_string()),
        "{items:#?}"
    );
    assert!(
        items.contains(
            &"New since 2009/10 Q1: Satisfaction with front line customer service.".to_string()
        ),
        "{items:#?}"
    );
}

#[test]
fn direction_of_travel_uses_the_comparison_the_paper_names_and_quarterly_targets_decide_status() {
    let doc = page(built("changes"), "indicators/2009-10-q2/index.html");
    let table = doc.select(&sel(".bp-table--indicators")).next().unwrap();
    let col = |name: &str| {
        table
            .select(&sel("thead th"))
            .position(|th| text(th) == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let (target, status, direction) = (
        col("Target 2009/10"),
        col("Performance against target (computed)"),
        col("Direction of travel"),
    );
    let body: Vec<Vec<String>> = table
        .select(&sel("tbody tr"))
        .map(|tr| tr.select(&sel("th, td")).map(text).collect())
        .collect();
    assert_eq!(
        body[0][target],
        "40% (by quarter: Q1 36%, Q2 38%, Q3 40%, Q4 42%)"
    );
    // 39.1% misses the year's 40% but meets the quarter's 38%.
    assert_eq!(
        body[0][status],
        "On track against the 2009/10 Q2 target of 38%"
    );
    // The set compares with the same period last year, as the Wigan paper does...
    assert_eq!(
        body[0][direction],
        "↑ Better than 38% in 2008/09 Q2, the same quarter last year"
    );
    // ...and one indicator chooses the previous period instead.
    assert_eq!(body[1][direction], "↓ Worse than 25.6% in 2009/10 Q1");
}

#[test]
fn budget_lines_against_the_previous_paper_of_the_year() {
    let out = built("changes");
    let doc = page(out, "budget/2009-10-q2/index.html");
    let table = rows(&doc, ".bp-table--budget-changes");
    let staff: Vec<&Vec<String>> = table.iter().skip(3).take(3).collect();
    assert_eq!(
        staff,
        [
            &vec!["Staff", "Planned to date", "150,000", "300,000", "150,000"],
            &vec!["Actual to date", "148,000", "320,000", "172,000"],
            &vec![
                "Projected outturn Moved beyond tolerance: 8% of the budget",
                "600,000",
                "648,000",
                "48,000"
            ],
        ]
    );
    assert_eq!(
        table[8],
        [
            "Projected outturn (moved 2% of the budget, within tolerance)",
            "305,000",
            "311,000",
            "6,000"
        ]
    );
    // The total's revised budget changed, so it has a row; a line's that did not, none.
    assert_eq!(
        table[9..],
        [
            vec![
                "Total expenditure",
                "Revised budget",
                "1,000,000",
                "950,000",
                "(50,000)"
            ],
            vec!["Planned to date", "250,000", "475,000", "225,000"],
            vec!["Actual to date", "248,000", "499,000", "251,000"],
            vec!["Projected outturn", "1,000,000", "1,009,000", "9,000"],
        ]
    );
    assert_eq!(
        list_after(&doc, "budget-changes"),
        [
            "New line since 2009/10 Q1: Training.",
            "In the 2009/10 Q1 paper and not this one: Events.",
        ]
    );
    // The same figures to download.
    let mut csv = csv::Reader::from_path(out.join("budget/2009-10-q2/changes.csv")).unwrap();
    let headers: Vec<String> = csv.headers().unwrap().iter().map(str::to_string).collect();
    let staff = csv
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "staff")
        .unwrap();
    let at = |h: &str| &staff[headers.iter().position(|x| x == h).unwrap()];
    assert_eq!(at("Change in projected outturn"), "48000");
    assert_eq!(at("Projection moved beyond tolerance"), "yes");
    // A first quarter compares with no earlier year, and so has no such section.
    let q1 = page(out, "budget/2009-10-q1/index.html");
    assert!(q1.select(&sel("#budget-changes")).next().is_none());
    // The projection that moved beyond tolerance is an exception for the board.
    let exceptions = page(out, "exceptions/index.html");
    let moved: Vec<String> = exceptions
        .select(&sel("tr"))
        .map(text)
        .filter(|t| t.contains("Projection moved"))
        .collect();
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert!(moved[0].contains("projected outturn moved from 600,000 to 648,000 since 2009/10 Q1, 8% of the line's budget"), "{moved:?}");
}

#[test]
fn actions_whose_judgement_changed_appeared_or_went() {
    let doc = page(built("changes"), "actions/2009-10-q2/index.html");
    assert_eq!(
        list_after(&doc, "actions-changes"),
        [
            "Better, from on track to complete: a1 Run a scrutiny skills course (Strengthen scrutiny).",
            "Better, from behind to on track: a2 Agree a work programme (Strengthen scrutiny).",
            // No id: matched by objective and title, whatever the spacing and case.
            "Worse, from on track to behind: Train Support staff (Strengthen scrutiny).",
            "Judgement changed, from unknown to on track: Write the strategy (Improve performance management).",
            "New action: a5 Publish scrutiny reports online (Strengthen scrutiny), on track.",
            "No longer in the plan: a4 Visit another council (Strengthen scrutiny), on track in 2009/10 Q1.",
        ]
    );
}

#[test]
fn highlight_progress_activities_and_risks_since_the_last_report() {
    let doc = page(built("changes"), "programmes/alpha/2009-10-q2/index.html");
    assert_eq!(
        list_after(&doc, "highlight-alpha-changes"),
        [
            "Status changed from in progress to complete: Review the service (objective o1).",
            "Progress rose from 60% to 100%: Review the service (objective o1).",
            "Progress fell from 30% to 25%: Consult residents (objective o1).",
            "New activity: Publish the findings (objective o1).",
            "Activity no longer reported: Pilot in one ward (objective o1).",
            "New risks: R003.",
            "Risks closed or removed: R002.",
            // R001 went from On-going to Ongoing, the same status; its score rose from 2 × 3.
            "Risk R001 escalated, score 6 to 9: Funding is not confirmed.",
            "New issues: I002.",
            "Issues closed or removed: I001.",
        ]
    );
}

#[test]
fn the_example_board_has_nothing_to_compare_and_shows_no_changes() {
    let out = built("example");
    for rel in [
        "index.html",
        "periods/2009-10-q2/index.html",
        "budget/2009-10-q2/index.html",
    ] {
        let doc = page(out, rel);
        assert!(
            doc.select(&sel(".bp-since, #since")).next().is_none(),
            "{rel}"
        );
        assert!(
            doc.select(&sel("[id$=\"-changes\"]")).all(|e| e
                .value()
                .attr("id")
                .is_some_and(|id| id.starts_with("highlight-"))),
            "{rel}: a changes section other than a highlight report's"
        );
    }
    assert!(!out.join("budget/2009-10-q2/changes.csv").exists());
}
