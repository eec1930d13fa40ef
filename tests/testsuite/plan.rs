//! The plan on the built site: the example board's Operational Plan 2009/10 page, read back
//! with `scraper` (every deliverable with its plan date, latest status and history, the
//! outcomes, the detailed activities and budget lines), its download, the programme pages'
//! deliverables against the plan, and the links between them and the highlight reports.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use scraper::{ElementRef, Html};

use crate::common::{boardpack, page, sel, text};

/// The example board, built once for the module.
fn example() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, out) = OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        boardpack()
            .arg("--root")
            .arg(env!("CARGO_MANIFEST_DIR"))
            // The members' (author) view: the plan's findings are for its authors.
            .args(["-q", "build", "--audience", "members", "--output"])
            .arg(&out)
            .assert()
            .success();
        (dir, out)
    });
    out
}

fn plan_page() -> Html {
    page(example(), "plan/2009-10/index.html")
}

/// The row of a table whose header cell starts with `start`, as the text of its cells.
fn row(table: ElementRef<'_>, start: &str) -> Vec<String> {
    let tr = table
        .select(&sel("tbody tr"))
        .find(|tr| {
            tr.select(&sel("th[scope=row]"))
                .next()
                .is_some_and(|th| text(th).starts_with(start))
        })
        .unwrap_or_else(|| panic!("no row {start}"));
    tr.select(&sel("th, td")).map(text).collect()
}

fn table<'a>(doc: &'a Html, caption: &str) -> ElementRef<'a> {
    doc.select(&sel("table"))
        .find(|t| {
            t.select(&sel("caption"))
                .next()
                .is_some_and(|c| text(c) == caption)
        })
        .unwrap_or_else(|| panic!("no table captioned {caption}"))
}

#[test]
fn the_plan_page_gives_every_deliverable_its_plan_date_and_latest_status() {
    let doc = plan_page();
    let h1 = doc.select(&sel("h1")).map(text).collect::<Vec<_>>();
    assert_eq!(h1, ["Operational plan, 2009/10 Operational Plan 2009/10"]);
    let lead = doc.select(&sel("p.bp-lead")).next().map(text).unwrap();
    assert_eq!(
        lead,
        "28 deliverables: 20 in progress, 3 delayed; 1 not reported on in 2009/10 Q2; 4 of programmes with no report."
    );
    let t = table(
        &doc,
        "Operational Plan 2009/10: deliverables by programme, with their latest status",
    );
    // Every deliverable once, 1 to 22 with 20b and 22b and the business support team's four,
    // grouped by programme in agenda order.
    let ids: Vec<String> = t
        .select(&sel("tbody th[scope=row] .bp-code"))
        .map(text)
        .collect();
    assert_eq!(ids.len(), 28, "{ids:?}");
    for id in ["1", "10", "20", "20b", "22", "22b", "bs1", "bs4"] {
        assert_eq!(
            ids.iter().filter(|i| *i == id).count(),
            1,
            "{id} in {ids:?}"
        );
    }
    let groups: Vec<String> = t.select(&sel("th[scope=colgroup]")).map(text).collect();
    assert_eq!(
        groups,
        [
            "Improving Capacity",
            "Improving Outcomes",
            "Improving Practice",
            "Improving Delivery",
            "Customer First",
            "Chief Executive and Business Support"
        ]
    );
    // June 2009 is 19's only dated activity; Q2 reports both its parts due 31 March 2010.
    assert_eq!(
        row(t, "19 "),
        [
            row(t, "19 ")[0].clone(),
            "June 2009 (its latest activity)".into(),
            "2009/10 Q2".into(),
            "In progress 77% plan date passed".into(),
            "31/03/2010 274 days later than the plan".into(),
        ]
    );
    // Earlier than the plan is shown, but not flagged.
    let r = row(t, "2 ");
    assert_eq!(r[4], "30/12/2009 (61 days earlier than the plan)");
    let flags: Vec<String> = t
        .select(&sel("tbody tr"))
        .filter(|tr| text(*tr).starts_with("2 "))
        .flat_map(|tr| tr.select(&sel(".bp-flag")).map(text).collect::<Vec<_>>())
        .collect();
    assert!(flags.is_empty(), "{flags:?}");
    // Improving Capacity's objective 3 has no row in its status table.
    assert_eq!(
        row(t, "10 ")[2],
        "Not reported on in 2009/10 Q2, though Improving Capacity reported"
    );
    // The status is in words, the colour only repeats it.
    let tag = t.select(&sel("strong.bp-tag--delayed")).next().unwrap();
    assert_eq!(text(tag), "Delayed");
    // No report of the business support team: nothing to say yet, and no finding.
    assert_eq!(
        row(t, "bs4 ")[2],
        "No report of Chief Executive and Business Support in 2009/10 yet"
    );
    let findings: Vec<String> = doc.select(&sel("#plan-findings li")).map(text).collect();
    assert_eq!(
        findings,
        [
            "Deliverable not reported on: no activity of the 2009/10 Q2 highlight reports tracks \
          deliverable 10, although Improving Capacity reported. (Line 410 of \
          2009-10/operational-plan.md.)"
        ]
    );
}

#[test]
fn each_deliverable_has_its_history_outcomes_activities_and_budget() {
    let doc = plan_page();
    let history = table(
        &doc,
        "Operational Plan 2009/10: deliverable status by period",
    );
    let heads: Vec<String> = history.select(&sel("thead th")).map(text).collect();
    assert_eq!(heads, ["Deliverable", "2009/10 Q2"]);
    // 20b is delayed: the one status-table row for the report's PD3 and PD4.
    assert_eq!(row(history, "20b ")[1], "Delayed 40%");
    assert_eq!(row(history, "10 ")[1], "Not reported on");
    assert_eq!(
        row(history, "bs1 ")[1],
        "–no report from Chief Executive and Business Support"
    );

    // Outcome 4's objectives and the deliverables printed beside them.
    let outcome = table(
        &doc,
        "Outcome 4: objectives and their priority deliverables",
    );
    let lists: Vec<Vec<String>> = outcome
        .select(&sel("tbody tr"))
        .map(|tr| tr.select(&sel("td .bp-code")).map(text).collect())
        .collect();
    assert_eq!(lists, [vec!["10"], vec!["19"], vec!["22b"]]);
    let link = outcome.select(&sel("td a")).next().unwrap();
    assert_eq!(
        link.value().attr("href"),
        Some("/plan/2009-10/#deliverable-10")
    );
    assert_eq!(doc.select(&sel("section#deliverable-10")).count(), 1);

    // Deliverable 20's activities: a range, and the toolkit's versions as printed.
    let acts = table(&doc, "Deliverable 20: detailed activities in the plan");
    let common = row(acts, "Develop a common approach");
    assert_eq!(
        common[1..],
        [
            "April 2009 to March 2010 Printed: “April 2009 / March 2010”".to_string(),
            "KM".into()
        ]
    );
    let toolkit = row(acts, "Develop the Diagnostic/ Design Toolkit");
    assert_eq!(
        toolkit[1],
        "Ongoing v1: April 2009 v2: September 2009 Printed: “April 2009 v1 / September 2009 v2 / Ongoing”"
    );
    // 12's activity printed "December 2010" is flagged as outside the year.
    let twelve = table(&doc, "Deliverable 12: detailed activities in the plan");
    assert_eq!(
        row(twelve, "Review and assess leadership")[1],
        "December 2010 outside 2009/10"
    );

    // Budget lines, from the year's budget, with their approved amounts and links.
    let section = doc.select(&sel("section#deliverable-12")).next().unwrap();
    let budget = section
        .select(&sel("dl > div"))
        .find(|r| r.select(&sel("dt")).next().map(text).as_deref() == Some("Budget"))
        .map(text)
        .unwrap();
    assert_eq!(
        budget,
        "Budget OD - Planning Development, (£450,000) approved; OD - Planning Development, \
         £350,561 approved"
    );
    let hrefs: Vec<&str> = section
        .select(&sel("dl a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.contains(&"/budget/2009-10/#budget-line-prog-planning-development"),
        "{hrefs:?}"
    );
    let budget_page = page(example(), "budget/2009-10/index.html");
    assert_eq!(
        budget_page
            .select(&sel("#budget-line-prog-planning-development"))
            .count(),
        1
    );

    // What the reports said, linked to the objective on the report's page.
    let reported = doc
        .select(&sel("section#deliverable-19 ul.bp-list--bullet > li"))
        .map(text)
        .next()
        .unwrap();
    assert!(
        reported.starts_with(
            "2009/10 Q2: In progress 77%, due 31/03/2010 (274 days later than the plan) plan \
             date passed, from: Improving Delivery, objective 1: Deliver with COSLA"
        ),
        "{reported}"
    );
    let to_report: Vec<&str> = doc
        .select(&sel("section#deliverable-19 ul.bp-list--bullet a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        to_report,
        [
            "/programmes/improving-delivery/2009-10-q2/#highlight-improving-delivery-o1",
            "/programmes/improving-delivery/2009-10-q2/#highlight-improving-delivery-o1"
        ]
    );
    let report = page(
        example(),
        "programmes/improving-delivery/2009-10-q2/index.html",
    );
    assert_eq!(
        report
            .select(&sel("#highlight-improving-delivery-o1"))
            .count(),
        1
    );
    // And back: the report's activity links to the deliverable it tracks, its own `20b`
    // over its objective's 20.
    let back: Vec<String> = report
        .select(&sel("a.bp-deliverable-ref"))
        .map(text)
        .collect();
    assert_eq!(
        back,
        [
            "deliverable 19",
            "deliverable 19",
            "deliverable 20",
            "deliverable 20",
            "deliverable 20b",
            "deliverable 21"
        ]
    );
}

#[test]
fn the_deliverables_download_holds_the_table() {
    let path = example().join("plan/2009-10/deliverables.csv");
    let mut r = csv::Reader::from_path(&path).unwrap();
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 28);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let nineteen = rows.iter().find(|r| r[0] == "19").unwrap();
    assert_eq!(nineteen[col("Plan date")], "June 2009");
    assert_eq!(
        nineteen[col("Due by (last day of the plan date)")],
        "30/06/2009"
    );
    assert_eq!(nineteen[col("Latest status")], "In progress");
    assert_eq!(nineteen[col("Progress")], "77");
    assert_eq!(
        nineteen[col("Days later than the plan (negative: earlier)")],
        "274"
    );
    assert_eq!(
        nineteen[col("Plan date passed, neither complete nor delayed")],
        "yes"
    );
    let ten = rows.iter().find(|r| r[0] == "10").unwrap();
    assert_eq!(ten[col("Not reported on in the newest period")], "yes");
    assert_eq!(ten[col("Latest status")], "");
}

#[test]
fn a_programme_page_shows_its_deliverables_against_the_plan() {
    let doc = page(example(), "programmes/improving-delivery/index.html");
    let t = table(
        &doc,
        "Improving Delivery: deliverables against Operational Plan 2009/10",
    );
    let ids: Vec<String> = t.select(&sel("tbody .bp-code")).map(text).collect();
    assert_eq!(ids, ["19", "20", "20b", "21"]);
    assert_eq!(
        row(t, "21 ")[1..],
        [
            "December 2009".to_string(),
            "31/03/2010 90 days later than the plan".into(),
            "In progress 55% (2009/10 Q2)".into()
        ]
    );
    assert_eq!(row(t, "20b ")[1], "Ongoing");
    let link = t.select(&sel("tbody a")).next().unwrap();
    assert_eq!(
        link.value().attr("href"),
        Some("/plan/2009-10/#deliverable-19")
    );

    // The team with no highlight report still has its deliverables.
    let doc = page(example(), "programmes/business-support/index.html");
    let t = table(
        &doc,
        "Chief Executive and Business Support: deliverables against Operational Plan 2009/10",
    );
    assert_eq!(
        row(t, "bs3 ")[1..],
        [
            "December 2009".to_string(),
            "No highlight report tracks it yet".into()
        ]
    );
}

#[test]
fn the_plan_is_in_the_navigation_and_on_the_home_page() {
    let home = page(example(), "index.html");
    let nav: Vec<(String, String)> = home
        .select(&sel("nav[aria-label=Main] a"))
        .map(|a| (text(a), a.value().attr("href").unwrap_or("").to_string()))
        .collect();
    assert_eq!(
        nav[..3],
        [
            ("Home".to_string(), "/".to_string()),
            ("Exceptions".into(), "/exceptions/".into()),
            ("Operational Plan 2009/10".into(), "/plan/2009-10/".into())
        ]
    );
    let plans: Vec<String> = home.select(&sel("h2#plans + ul li")).map(text).collect();
    assert_eq!(
        plans,
        ["Operational Plan 2009/10 (every deliverable of 2009/10 and how it was reported)"]
    );
    // The free page it replaces is gone.
    assert!(!example().join("operational-plan-2009-10").exists());
    let doc = plan_page();
    let current = doc
        .select(&sel("nav[aria-label=Main] a[aria-current=page]"))
        .map(text)
        .collect::<Vec<_>>();
    assert_eq!(current, ["Operational Plan 2009/10"]);
}
