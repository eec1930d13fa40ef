//! The reader-facing summaries on the built site: the figures the aggregation issue reproduces,
//! read back out of the HTML with `scraper`, the charts' text alternatives and data tables, and
//! the CSV and JSON downloads, parsed with the `csv` crate and `serde_json`.

use crate::common::{page, sel, text};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use scraper::{ElementRef, Html};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build(root: &Path, out: &Path, audience: &str) {
    Command::cargo_bin("boardpack")
        .expect("binary builds")
        .env_remove("RAYON_NUM_THREADS")
        .env("NO_COLOR", "1")
        .arg("--root")
        .arg(root)
        .args(["-q", "build", "--audience", audience, "--output"])
        .arg(out)
        .assert()
        .success();
}

/// Each site is built once for the whole module, into a folder that lives as long as the tests:
/// for the public, or with `members:` before its name for the members' (author) view.
fn built(name: &'static str) -> &'static Path {
    static SITES: OnceLock<std::sync::Mutex<BTreeMap<&'static str, &'static Path>>> =
        OnceLock::new();
    let sites = SITES.get_or_init(Default::default);
    let mut map = sites.lock().unwrap();
    if let Some(p) = map.get(name) {
        return p;
    }
    let dir: &'static tempfile::TempDir = Box::leak(Box::new(tempfile::tempdir().unwrap()));
    let out: &'static Path = Box::leak(dir.path().join("site").into_boxed_path());
    let (audience, site) = match name.strip_prefix("members:") {
        Some(site) => ("members", site),
        None => ("public", name),
    };
    let root = if site == "example" {
        repo_root()
    } else {
        repo_root().join("tests/fixtures").join(site)
    };
    build(&root, out, audience);
    map.insert(name, out);
    out
}

/// The cells of a row, header cell first, as text.
fn cells(tr: ElementRef<'_>) -> Vec<String> {
    tr.select(&sel("th, td")).map(text).collect()
}

/// The position of a column by its header text.
fn column(table: ElementRef<'_>, header: &str) -> usize {
    table
        .select(&sel("thead th"))
        .position(|th| text(th) == header)
        .unwrap_or_else(|| panic!("no column {header}"))
}

/// The value of a summary-list row by its key.
fn summary_value(doc: &Html, key: &str) -> Option<String> {
    doc.select(&sel("dl.bp-summary-list > div"))
        .find(|row| row.select(&sel("dt")).next().map(text).as_deref() == Some(key))
        .and_then(|row| row.select(&sel("dd")).next().map(text))
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (headers, rows)
}

fn field<'a>(headers: &[String], row: &'a [String], name: &str) -> &'a str {
    let i = headers
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {headers:?}"));
    &row[i]
}

#[test]
fn the_budget_total_shows_the_computed_and_the_printed_variance() {
    let out = built("example");
    let doc = page(out, "budget/2009-10-q2/index.html");
    let table = doc.select(&sel("table.bp-table--budget")).next().unwrap();
    let variance = column(table, "Variance");
    let pct = column(table, "% variance");
    let foot: Vec<ElementRef<'_>> = table.select(&sel("tfoot tr")).collect();
    let total = foot
        .iter()
        .position(|tr| {
            tr.value()
                .classes()
                .any(|c| c == "bp-budget__total--total-expenditure")
        })
        .expect("a total expenditure row");
    let computed = cells(foot[total]);
    assert!(computed[0].starts_with("Total expenditure"), "{computed:?}");
    assert_eq!(computed[variance], "(45,596)");
    assert_eq!(computed[pct], "(2%)");
    // The paper's own total follows, labelled as printed.
    let printed = foot[total + 1];
    assert!(printed.value().classes().any(|c| c == "bp-budget__printed"));
    let printed = cells(printed);
    assert!(printed[0].contains("as printed"), "{printed:?}");
    assert_eq!(printed[variance], "(45,594)");
    assert_eq!(printed[pct], "(2%)");
    assert_eq!(printed[column(table, "Planned to date")], "1,879,193");
    assert_eq!(computed[column(table, "Planned to date")], "1,879,195");

    // Subtotals are computed, with the printed subtotal beneath: Staff's hidden pence.
    let staff = table
        .select(&sel("tbody tr.bp-budget__subtotal"))
        .find(|tr| text(*tr).starts_with("Total Staff"))
        .unwrap();
    assert_eq!(cells(staff)[variance], "(43,756)");
    let staff_printed = table
        .select(&sel("tbody tr.bp-budget__printed"))
        .find(|tr| text(*tr).starts_with("Total Staff"))
        .unwrap();
    assert_eq!(cells(staff_printed)[variance], "(43,755)");

    // A negative that rounds to zero keeps its brackets; RAG is a word.
    let ce = table
        .select(&sel("tr.bp-budget__line"))
        .find(|tr| text(*tr).starts_with("Chief Exec"))
        .map(cells)
        .unwrap();
    assert_eq!(ce[variance], "(552)");
    assert_eq!(ce[pct], "(0%)");
    assert_eq!(ce[column(table, "RAG")], "Green");

    // The sign-convention legend describes the table, and the rounding note is there.
    let legend_id = table.value().attr("aria-describedby").unwrap();
    let legend = doc
        .select(&sel(&format!("#{legend_id}")))
        .next()
        .map(text)
        .unwrap();
    assert!(
        legend.contains("Figures in brackets are negative"),
        "{legend}"
    );
    assert!(legend.contains("actual minus planned"), "{legend}");
    let rounding = doc
        .select(&sel("#budget-rounding"))
        .next()
        .map(text)
        .unwrap();
    assert!(rounding.starts_with("Figures may not sum because of rounding"));

    // Memorandum items are kept out of expenditure and say so.
    let memo = table
        .select(&sel("tr.bp-budget__total--memo"))
        .next()
        .map(cells)
        .unwrap();
    assert!(memo[0].contains("not actual expenditure"), "{memo:?}");
    assert_eq!(memo[1], "50,000");
    let contingency = table
        .select(&sel("tr.bp-budget__memo th"))
        .next()
        .map(text)
        .unwrap();
    assert!(contingency.contains("not actual expenditure"));

    // The headline position and both charts.
    let variance_text = summary_value(&doc, "Variance").unwrap();
    assert!(
        variance_text.starts_with("(45,596), (2%) of planned spend. An under-spend of £45,596."),
        "{variance_text}"
    );
    assert!(variance_text.contains("The paper prints (45,594)"));
    let charts: Vec<String> = doc
        .select(&sel("figure.bp-chart figcaption"))
        .map(text)
        .collect();
    assert_eq!(
        charts,
        [
            "Planned and actual spend to date by group, 2009/10 Q2",
            "Variance by budget line, 2009/10 Q2"
        ]
    );
}

#[test]
fn improving_capacity_shows_stated_and_computed_progress_and_its_findings() {
    // Findings are the authors': the members' view shows them, the public's does not.
    let public = page(
        built("example"),
        "programmes/improving-capacity/2009-10-q2/index.html",
    );
    assert!(public.select(&sel("section.bp-findings")).next().is_none());
    let out = built("members:example");
    let doc = page(out, "programmes/improving-capacity/2009-10-q2/index.html");
    assert_eq!(
        summary_value(&doc, "Overall progress (as stated)").as_deref(),
        Some("50%")
    );
    let computed = summary_value(&doc, "Overall progress (computed)").unwrap();
    assert!(computed.starts_with("56%"), "{computed}");
    assert!(
        computed.contains("Differs from the stated 50%"),
        "{computed}"
    );

    let findings = doc
        .select(&sel("section.bp-findings"))
        .next()
        .expect("a findings section");
    assert_eq!(
        findings.select(&sel("h2")).map(text).collect::<Vec<_>>(),
        ["Findings"]
    );
    let items: Vec<String> = findings.select(&sel("li")).map(text).collect();
    assert!(
        items.iter().any(|i| i.contains(
            "Improving Capacity states 50% overall progress; its 5 objectives average 56, which gives 56% (floor mean)"
        )),
        "{items:#?}"
    );
    assert!(
        items
            .iter()
            .any(|i| i.contains("objective o6 states 62%") && i.contains("about 59.67")),
        "{items:#?}"
    );

    // The status table: objective 6's computed figure beside its stated one.
    let table = doc.select(&sel("table.bp-table--status")).next().unwrap();
    let o6 = table
        .select(&sel("tbody"))
        .find(|b| text(*b).starts_with("Objective 6"))
        .unwrap();
    let first = o6.select(&sel("tr")).next().unwrap();
    let row: Vec<String> = first.select(&sel("td")).map(text).collect();
    assert_eq!(row[0], "62%");
    assert_eq!(row[1], "59% differs");

    // Delayed and due-next lists, and what changed (nothing to compare with here).
    let delayed = doc
        .select(&sel("#highlight-improving-capacity-delayed"))
        .next()
        .map(text)
        .unwrap();
    assert_eq!(delayed, "Delayed (2)");
    let due = doc
        .select(&sel("#highlight-improving-capacity-due-next"))
        .next()
        .map(text)
        .unwrap();
    assert_eq!(due, "Due in 2009/10 Q3 (1)");
    assert_eq!(
        summary_value(&doc, "Since the last report").as_deref(),
        Some("no earlier report")
    );
}

#[test]
fn the_wigan_action_plan_shows_the_typed_summary_the_detail_and_the_mismatch() {
    let out = built("members:wigan");
    let doc = page(out, "actions/2009-10-q1/index.html");
    let caption = |t: &ElementRef<'_>| t.select(&sel("caption")).next().map(text).unwrap();
    let tables: Vec<ElementRef<'_>> = doc.select(&sel("table.bp-table--shares")).collect();
    let computed = tables
        .iter()
        .find(|t| caption(t) == "Judgement of progress, computed from the detail")
        .unwrap();
    let printed = tables
        .iter()
        .find(|t| caption(t) == "Summary of progress as printed in the plan")
        .unwrap();
    let row = |t: &ElementRef<'_>, section: &str| {
        t.select(&sel("tr"))
            .map(cells)
            .find(|r| r[0] == section)
            .unwrap_or_else(|| panic!("no row {section}"))
    };
    assert_eq!(
        row(printed, "Priority Service Objectives"),
        [
            "Priority Service Objectives",
            "37",
            "0% (0)",
            "81% (30)",
            "19% (7)",
            "No"
        ]
    );
    let detail = row(computed, "Priority Service Objectives");
    assert_eq!(
        detail,
        [
            "Priority Service Objectives",
            "38",
            "5% (2)",
            "76% (29)",
            "18% (7)",
            "0"
        ]
    );
    let warning = doc.select(&sel(".bp-warning")).next().map(text).unwrap();
    assert!(
        warning.starts_with("The printed summary does not match the detail."),
        "{warning}"
    );
    assert!(
        warning.contains(
            "Priority Service Objectives: the plan prints 37 actions (0 completed, 30 on track, 7 behind); its detail has 38"
        ),
        "{warning}"
    );
    let findings: Vec<String> = doc.select(&sel(".bp-findings li")).map(text).collect();
    assert!(
        findings.iter().any(
            |f| f.contains("the typed summary for Priority Service Objectives says 37 actions")
        ),
        "{findings:#?}"
    );
}

#[test]
fn ni_14_shows_the_stated_and_the_computed_status() {
    let out = built("wigan");
    let doc = page(out, "indicators/2009-10-q1/index.html");
    let table = doc
        .select(&sel("table.bp-table--indicators"))
        .next()
        .unwrap();
    let stated = column(table, "Performance against target (as stated)");
    let computed = column(table, "Performance against target (computed)");
    let direction = column(table, "Direction of travel");
    let row = cells(table.select(&sel("tr#indicators-ni-14")).next().unwrap());
    assert_eq!(row[stated], "On track");
    assert_eq!(row[computed], "Off target Contradicts the stated status");
    assert_eq!(row[direction], "↓ Worse than 24.3% in 2008/09");
    // NI 52i misses its target with an improvement plan in place (its comment lists the
    // actions), and is better than the same quarter last year in the paper's words alone.
    let row = cells(table.select(&sel("tr#indicators-ni-52i")).next().unwrap());
    assert_eq!(row[stated], "On track");
    assert_eq!(
        row[computed],
        "Off target improving Contradicts the stated status"
    );
    assert_eq!(
        row[direction],
        "↑ Better than the same quarter last year, as the report states; it gives no figure"
    );
    // The comment of a merged cell is on every row it covers.
    let comment = column(table, "Comment");
    let row = cells(table.select(&sel("tr#indicators-ni-4")).next().unwrap());
    assert!(row[comment].starts_with("Data obtained via bi-annual Place Survey."));
    // The status summary counts the computed statuses.
    let summary = doc.select(&sel("table.bp-table--shares")).next().unwrap();
    let off = summary
        .select(&sel("tbody tr"))
        .map(cells)
        .find(|r| r[0] == "Off target")
        .unwrap();
    assert_eq!(off, ["Off target", "1", "4%"]);
    let improving = summary
        .select(&sel("tbody tr"))
        .map(cells)
        .find(|r| r[0] == "Off target improving")
        .unwrap();
    assert_eq!(improving, ["Off target improving", "2", "8%"]);
}

#[test]
fn west_dunbartonshire_flags_shared_primaries_in_the_matrix() {
    let out = built("west-dunbartonshire");
    let doc = page(out, "actions/2008-09-q1/index.html");
    let flagged: Vec<String> = doc
        .select(&sel("table.bp-table--matrix tbody th"))
        .filter(|th| th.select(&sel(".bp-flag")).next().is_some())
        .map(|th| th.select(&sel(".bp-code")).next().map(text).unwrap())
        .collect();
    assert_eq!(flagged, ["IP3", "IP10"]);
    // The matrix downloads with the finding as a column.
    let (headers, rows) = read_csv(&out.join("actions/2008-09-q1/responsibilities.csv"));
    let shared: Vec<&str> = rows
        .iter()
        .filter(|r| field(&headers, r, "Two or more primaries without a joint remit") == "yes")
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(shared, ["IP3", "IP10"]);
}

#[test]
fn the_budget_lines_csv_has_the_computed_columns() {
    let out = built("example");
    let doc = page(out, "budget/2009-10-q2/index.html");
    let links: Vec<String> = doc
        .select(&sel("a.bp-downloads__link"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert!(
        links.contains(&"/budget/2009-10-q2/budget-lines.csv".to_string()),
        "{links:?}"
    );
    let link = doc
        .select(&sel("a[href='/budget/2009-10-q2/budget-lines.csv']"))
        .next()
        .map(text)
        .unwrap();
    assert!(link.contains("(CSV, "), "the link names the format: {link}");

    let (headers, rows) = read_csv(&out.join("budget/2009-10-q2/budget-lines.csv"));
    assert_eq!(headers[0], "Line ID");
    assert_eq!(rows.len(), 19);
    let km = rows.iter().find(|r| r[0] == "staff-km").unwrap();
    assert_eq!(field(&headers, km, "Variance"), "-40302");
    assert_eq!(field(&headers, km, "Variance (% rounded)"), "-35");
    assert_eq!(field(&headers, km, "RAG"), "red");
    assert_eq!(field(&headers, km, "Group"), "Expenditure > Staff");
    let ce = rows.iter().find(|r| r[0] == "staff-chief-exec").unwrap();
    // A negative amount is a plain number, never `(552)` and never prefixed.
    assert_eq!(field(&headers, ce, "Variance"), "-552");
    let contingency = rows.iter().find(|r| r[0] == "contingency").unwrap();
    assert_eq!(field(&headers, contingency, "Memorandum item"), "yes");

    // Totals: computed beside printed.
    let (headers, rows) = read_csv(&out.join("budget/2009-10-q2/budget-totals.csv"));
    let total = rows.iter().find(|r| r[0] == "total-expenditure").unwrap();
    assert_eq!(field(&headers, total, "Variance"), "-45596");
    assert_eq!(field(&headers, total, "Variance (as printed)"), "-45594");

    // The JSON holds the same figures, exactly, in column order.
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.join("budget/2009-10-q2/budget-lines.json")).unwrap(),
    )
    .unwrap();
    let km = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "staff-km")
        .unwrap();
    assert_eq!(km["variance"], "-40302");
    assert_eq!(km["memo"], false);
}

#[test]
fn csv_dates_are_uk_dates() {
    let out = built("example");
    let (headers, rows) =
        read_csv(&out.join("programmes/improving-capacity/2009-10-q2/activities.csv"));
    assert_eq!(rows.len(), 11);
    assert_eq!(field(&headers, &rows[0], "Due"), "31/12/2009");
    assert_eq!(field(&headers, &rows[0], "Status"), "In progress");
    assert_eq!(
        field(&headers, &rows[0], "Objective progress (computed)"),
        "58"
    );
}

#[test]
fn csv_cells_cannot_inject_formulas() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("boardpack.toml"),
        "organisation = \"Org\"\ntitle = \"Board\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("content/2009-10-q2")).unwrap();
    std::fs::write(
        site.path().join("content/2009-10-q2/budget.md"),
        r#"+++
kind = "budget"
title = "Budget"
period = "2009/10 Q2"

[[groups]]
id = "exp"
title = "+Expenditure"
kind = "expenditure"

[[lines]]
id = "evil"
title = '=HYPERLINK("x")'
group = "exp"
approved = 1000
planned = 1000
actual = 448
projected = 1000

[[lines]]
id = "at"
title = "@SUM(A1:A2)"
group = "exp"
approved = 10
+++
"#,
    )
    .unwrap();
    let out = site.path().join("out");
    build(site.path(), &out, "public");
    let (headers, rows) = read_csv(&out.join("budget/2009-10-q2/budget-lines.csv"));
    let evil = &rows[0];
    assert_eq!(field(&headers, evil, "Budget line"), "'=HYPERLINK(\"x\")");
    assert_eq!(field(&headers, evil, "Variance"), "-552");
    assert_eq!(field(&headers, evil, "Group"), "'+Expenditure");
    assert_eq!(field(&headers, &rows[1], "Budget line"), "'@SUM(A1:A2)");
    // The page itself escapes the title rather than neutralising it.
    let doc = page(&out, "budget/2009-10-q2/index.html");
    let th = doc
        .select(&sel("tr#budget-line-evil th"))
        .next()
        .map(text)
        .unwrap();
    assert_eq!(th, "=HYPERLINK(\"x\")");
    // JSON is not a spreadsheet: it keeps the text as written.
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.join("budget/2009-10-q2/budget-lines.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["rows"][0]["title"], "=HYPERLINK(\"x\")");
}

#[test]
fn every_chart_is_drawn_twice_wide_and_for_a_phone_with_ids_of_its_own() {
    let out = built("example");
    let doc = page(out, "periods/2009-10-q2/index.html");
    let figures: Vec<ElementRef> = doc.select(&sel("figure.bp-chart")).collect();
    assert!(!figures.is_empty(), "the board pack has charts");
    for figure in &figures {
        let svgs: Vec<ElementRef> = figure.select(&sel(".bp-chart__image > svg")).collect();
        let views: Vec<&str> = svgs
            .iter()
            .filter_map(|s| s.value().attr("viewBox"))
            .collect();
        assert_eq!(svgs.len(), 2, "{views:?}");
        assert!(views[0].starts_with("0 0 720 "), "{views:?}");
        assert!(views[1].starts_with("0 0 320 "), "{views:?}");
        assert_eq!(
            svgs[1].value().attr("class"),
            Some("bp-chart__svg bp-chart__svg--narrow")
        );
        // The same title and description, under ids of its own.
        let title = |s: &ElementRef| s.select(&sel("title")).next().map(text);
        assert_eq!(title(&svgs[0]), title(&svgs[1]));
    }
    let mut ids: Vec<&str> = doc
        .select(&sel("[id]"))
        .filter_map(|e| e.value().attr("id"))
        .collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all, "ids are unique on the page");
}

#[test]
fn every_chart_has_a_title_a_description_and_a_data_table() {
    let mut charts = 0;
    for name in ["example", "two-periods", "wigan", "west-dunbartonshire"] {
        let out = built(name);
        for e in walkdir::WalkDir::new(out) {
            let e = e.unwrap();
            if e.path().extension().is_none_or(|x| x != "html") {
                continue;
            }
            let doc = Html::parse_document(&std::fs::read_to_string(e.path()).unwrap());
            let rel = e.path().strip_prefix(out).unwrap().display().to_string();
            for svg in doc.select(&sel("svg")) {
                charts += 1;
                assert_eq!(svg.value().attr("role"), Some("img"), "{name} {rel}");
                let title_id = svg.value().attr("aria-labelledby").unwrap();
                let title = svg
                    .select(&sel(&format!("title[id='{title_id}']")))
                    .next()
                    .map(text)
                    .unwrap_or_default();
                assert!(!title.is_empty(), "{name} {rel}: chart without a title");
                let desc_id = svg.value().attr("aria-describedby").unwrap();
                let desc = svg
                    .select(&sel(&format!("desc[id='{desc_id}']")))
                    .next()
                    .map(text)
                    .unwrap_or_default();
                assert!(
                    desc.len() > 20,
                    "{name} {rel}: {title} has no text alternative"
                );
                let figure = svg
                    .ancestors()
                    .filter_map(ElementRef::wrap)
                    .find(|a| a.value().name() == "figure")
                    .unwrap_or_else(|| panic!("{name} {rel}: {title} is not in a figure"));
                let table = figure
                    .select(&sel("table"))
                    .next()
                    .unwrap_or_else(|| panic!("{name} {rel}: {title} has no data table"));
                assert!(table.select(&sel("caption")).next().is_some());
                assert!(table.select(&sel("tbody tr")).count() > 0, "{title}");
                assert!(
                    table.select(&sel("tbody th[scope=row]")).count() > 0,
                    "{title}"
                );
            }
        }
    }
    // Budget (two per budget with planned figures), period and programme charts.
    assert!(charts >= 12, "{charts}");
}

#[test]
fn every_download_parses() {
    for name in ["example", "two-periods", "wigan", "west-dunbartonshire"] {
        let out = built(name);
        let mut seen = 0;
        for e in walkdir::WalkDir::new(out) {
            let e = e.unwrap();
            match e.path().extension().and_then(|x| x.to_str()) {
                Some("csv") => {
                    let bytes = std::fs::read(e.path()).unwrap();
                    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "no byte-order mark");
                    let (headers, rows) = read_csv(e.path());
                    assert!(!headers.is_empty());
                    for r in &rows {
                        assert_eq!(r.len(), headers.len(), "{}", e.path().display());
                    }
                    seen += 1;
                }
                Some("json")
                    if !e.path().components().any(|c| c.as_os_str() == "pagefind")
                        && !e.path().ends_with("meetings.json") =>
                {
                    let v: serde_json::Value =
                        serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap();
                    let columns = v["columns"].as_array().unwrap();
                    for r in v["rows"].as_array().unwrap() {
                        assert_eq!(r.as_object().unwrap().len(), columns.len());
                    }
                    seen += 1;
                }
                _ => {}
            }
        }
        assert!(seen >= 2, "{name}: {seen} downloads");
    }
}

#[test]
fn the_home_page_is_a_dashboard_for_the_latest_period() {
    let out = built("example");
    let doc = page(out, "index.html");
    let h2: Vec<String> = doc.select(&sel("main h2")).map(text).collect();
    for want in [
        "Latest board pack: 2009/10 Q2",
        "Budget position",
        "Programmes in 2009/10 Q2",
        "Exceptions in 2009/10 Q2",
        "Changed since the last period",
        "Board packs",
    ] {
        assert!(h2.iter().any(|h| h == want), "{want} in {h2:?}");
    }
    // The contingency provision is a memorandum item, "not actual expenditure": spend leaves
    // it out and says so, and that the paper's total counts it.
    assert_eq!(
        summary_value(&doc, "Spent to date").as_deref(),
        Some(
            "£1,783,599 at 30 September 2009 Not counting Contingency Reserve Provision \
             (£50,000), a memorandum item, not actual expenditure; the paper’s total of \
             £1,833,599 includes it."
        )
    );
    assert_eq!(
        summary_value(&doc, "Planned spend to date").as_deref(),
        Some("£1,829,195")
    );
    let card = doc
        .select(&sel("li.bp-card"))
        .find(|c| text(*c).starts_with("Improving Capacity"))
        .unwrap();
    let facts: Vec<(String, String)> = card
        .select(&sel(".bp-card__fact"))
        .map(|f| {
            (
                f.select(&sel("dt")).next().map(text).unwrap(),
                f.select(&sel("dd")).next().map(text).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        facts,
        [
            ("Progress (computed)".to_string(), "56%".to_string()),
            ("Progress (as stated)".into(), "50% differs".into()),
            ("Trend".into(), "no earlier report".into()),
            (
                "Activities".into(),
                "11 activities: 9 in progress, 2 delayed".into()
            ),
        ]
    );
    // The dashboard shows the first ten exceptions and links to the rest.
    assert_eq!(
        doc.select(&sel("table.bp-table--exceptions tbody tr"))
            .count(),
        10
    );
    let more = doc
        .select(&sel("a[href='/exceptions/']"))
        .map(text)
        .collect::<Vec<_>>();
    assert!(
        more.contains(&"See all 12 exceptions".to_string()),
        "{more:?}"
    );
    // Exceptions link to the item on its report's page.
    let all = page(out, "exceptions/index.html");
    let km = all
        .select(&sel("table.bp-table--exceptions tbody th a"))
        .find(|a| text(*a) == "Knowledge Management")
        .unwrap();
    assert_eq!(
        km.value().attr("href"),
        Some("/budget/2009-10-q2/#budget-line-staff-km")
    );
    // Every period is linked.
    let packs: Vec<String> = doc.select(&sel(".bp-periods__title a")).map(text).collect();
    assert_eq!(packs, ["Board pack: 2009/10 Q2", "Board pack: 2009/10"]);
}

#[test]
fn trends_and_changes_read_against_the_previous_period() {
    let out = built("two-periods");
    let doc = page(out, "index.html");
    let trend = doc
        .select(&sel("li.bp-card .bp-trend"))
        .next()
        .map(text)
        .unwrap();
    assert_eq!(trend, "↑ up from 40% in 2009/10 Q1");
    let arrow = doc
        .select(&sel("li.bp-card .bp-trend__arrow"))
        .next()
        .unwrap();
    assert_eq!(arrow.value().attr("aria-hidden"), Some("true"));
    let changes: Vec<String> = doc
        .select(&sel("#changes ~ ul.bp-changes li"))
        .map(text)
        .collect();
    assert!(
        changes.contains(&"Due date slipped by 92 days, from 30/09/2009 to 31/12/2009: Deliver the thing (objective o1).".to_string()),
        "{changes:#?}"
    );

    let doc = page(out, "programmes/alpha/index.html");
    let chart = doc.select(&sel("figure.bp-chart")).next().unwrap();
    let rows: Vec<Vec<String>> = chart.select(&sel("tbody tr")).map(cells).collect();
    assert_eq!(
        rows,
        [
            ["2008/09 Q2", "20%", "Not stated"],
            ["2009/10 Q1", "40%", "Not stated"],
            ["2009/10 Q2", "50%", "50%"],
        ]
    );
    assert_eq!(
        summary_value(&doc, "Against a year earlier").as_deref(),
        Some("↑ up from 20% in 2008/09 Q2, a year earlier")
    );
    let history: Vec<String> = doc
        .select(&sel("#objectives-caption ~ tbody th"))
        .map(text)
        .collect();
    assert_eq!(
        history,
        [
            "o1 First objective",
            "o3 A new objective",
            "o2 An objective that is dropped"
        ]
    );
}

#[test]
fn the_exceptions_page_lists_the_latest_period_and_links_every_period() {
    let out = built("two-periods");
    let doc = page(out, "exceptions/index.html");
    let nav: Vec<String> = doc
        .select(&sel("nav[aria-label=Main] a"))
        .map(text)
        .collect();
    assert_eq!(nav[..2], ["Home", "Exceptions"]);
    let kinds: Vec<String> = doc
        .select(&sel("table.bp-table--exceptions tbody .bp-tag"))
        .map(text)
        .collect();
    // Most severe first: delayed and slipped work before an amber budget, and a missing
    // explanation last.
    assert_eq!(kinds, ["Delayed", "Slipped", "Budget amber", "Unexplained"]);
    let periods: Vec<(String, String)> = doc
        .select(&sel("#by-period ~ .bp-table-wrap table tbody tr"))
        .map(|tr| {
            let a = tr.select(&sel("a")).next().unwrap();
            (text(a), a.value().attr("href").unwrap().to_string())
        })
        .collect();
    assert_eq!(
        periods,
        [
            (
                "2009/10 Q2".to_string(),
                "/periods/2009-10-q2/#exceptions".to_string()
            ),
            (
                "2009/10 Q1".into(),
                "/periods/2009-10-q1/#exceptions".into()
            ),
            (
                "2008/09 Q2".into(),
                "/periods/2008-09-q2/#exceptions".into()
            ),
        ]
    );
    // Each board pack has its exceptions at that anchor.
    let pack = page(out, "periods/2009-10-q1/index.html");
    assert_eq!(
        pack.select(&sel("h3#exceptions"))
            .map(text)
            .collect::<Vec<_>>(),
        ["Exceptions"]
    );
}

#[test]
fn the_board_pack_summarises_the_period_in_the_wigan_form() {
    let out = built("example");
    let doc = page(out, "periods/2009-10-q2/index.html");
    let table = doc
        .select(&sel("#activity-summary ~ .bp-table-wrap table"))
        .next()
        .unwrap();
    let row = table.select(&sel("tbody tr")).next().map(cells).unwrap();
    assert_eq!(
        row,
        ["All programmes", "48", "0% (0)", "81% (39)", "19% (9)"]
    );
    let ranking: Vec<Vec<String>> = doc
        .select(&sel("#ranking ~ .bp-table-wrap table tbody tr"))
        .map(cells)
        .collect();
    assert_eq!(ranking[0], ["1", "Customer First", "66%", "66%"]);
    assert_eq!(
        ranking[2],
        ["3", "Improving Capacity", "56%", "50% differs"]
    );
}

#[test]
fn a_progress_chart_snapshot() {
    use boardpack::render::chart::{Progress, progress_bars};
    use rust_decimal::Decimal;
    let c = progress_bars(
        "snap",
        "Programme progress, 2009/10 Q2",
        &[
            Progress {
                label: "Improving Capacity".into(),
                computed: Some(Decimal::from(56)),
                stated: Some(Decimal::from(50)),
            },
            Progress {
                label: "Customer First & <Partners>".into(),
                computed: Some(Decimal::new(665, 1)),
                stated: None,
            },
        ],
    );
    insta::assert_snapshot!(c.svg.replace("><", ">\n<"));
}

#[test]
fn a_programme_page_shows_the_budget_lines_that_fund_it_and_their_history() {
    let out = built("example");
    let doc = page(out, "programmes/improving-practice/index.html");
    let table = doc
        .select(&sel("table"))
        .find(|t| text(*t).starts_with("Improving Practice: budget lines, 2009/10 Q2"))
        .expect("the programme's budget lines");
    let rows: Vec<Vec<String>> = table.select(&sel("tbody tr")).map(cells).collect();
    assert_eq!(
        rows,
        [
            [
                "Knowledge Management (Expenditure)",
                "222,577",
                "233,103",
                "116,546",
                "76,244",
                "(40,302) paper: (40,301)",
                "(35%)",
                "Red",
                "233,103"
            ],
            [
                "Website KM (Expenditure)",
                "81,500",
                "81,500",
                "40,242",
                "41,553",
                "1,311",
                "3%",
                "Green",
                "81,500"
            ]
        ]
    );
    // The total is the sum of the lines' figures, not a printed one.
    let foot: Vec<String> = table.select(&sel("tfoot tr")).flat_map(cells).collect();
    assert_eq!(
        foot[..6],
        [
            "Spend on its expenditure lines",
            "",
            "",
            "156,788",
            "117,797",
            "(38,991)"
        ]
    );
    let line = table.select(&sel("tbody th a")).next().unwrap();
    assert_eq!(
        line.value().attr("href"),
        Some("/budget/2009-10-q2/#budget-line-staff-km")
    );

    // History: the same line ids in the year's budget and the quarter's.
    let history = doc
        .select(&sel("table"))
        .find(|t| text(*t).starts_with("Improving Practice: budget lines by period"))
        .expect("the lines' history");
    let head: Vec<String> = history.select(&sel("thead th")).map(text).collect();
    assert_eq!(head, ["Budget line", "2009/10", "2009/10 Q2"]);
    let rows: Vec<Vec<String>> = history.select(&sel("tbody tr")).map(cells).collect();
    assert_eq!(
        rows[0],
        [
            "Knowledge Management (Expenditure)",
            "£222,577 approved",
            "£76,244 spent of £116,546 planned, variance (40,302), (35%) of planned"
        ]
    );
    let (headers, csv) = read_csv(&out.join("programmes/improving-practice/programme-budget.csv"));
    assert_eq!(headers[..3], ["Period", "Line ID", "Budget line"]);
    assert_eq!(csv.len(), 4, "two lines in each of two budgets");

    // A programme no budget line is tagged with has no money section.
    let doc = page(out, "programmes/business-support/index.html");
    assert!(doc.select(&sel("h2#money")).next().is_none());
}

#[test]
fn the_operational_plan_links_to_its_budget_whose_contingency_is_a_memo_line() {
    let out = built("example");
    let doc = page(out, "plan/2009-10/index.html");
    let link = doc
        .select(&sel("dl.bp-summary-list a"))
        .find(|a| a.value().attr("href") == Some("/budget/2009-10/"))
        .map(text);
    assert_eq!(
        link.as_deref(),
        Some("Improvement Service - 2009/10 Budget Analysis")
    );
    let budget = page(out, "budget/2009-10/index.html");
    let contingency = budget
        .select(&sel("tr#budget-line-contingency th"))
        .next()
        .map(text);
    assert_eq!(
        contingency.as_deref(),
        Some("Contingency Reserve Provision (memorandum: not actual expenditure)")
    );
    let foot: Vec<Vec<String>> = budget.select(&sel("tfoot tr")).map(cells).collect();
    assert!(
        foot.iter().any(
            |r| r[0] == "Total expenditure as printed (counts the memorandum items)"
                && r[1] == "3,270,000"
        ),
        "{foot:?}"
    );
    assert!(
        foot.iter()
            .any(|r| r[0] == "Expenditure excluding memorandum items" && r[1] == "3,220,000"),
        "{foot:?}"
    );
}

#[test]
fn each_exception_gives_its_reason_most_severe_first() {
    let out = built("example");
    let doc = page(out, "exceptions/index.html");
    let table = doc
        .select(&sel("table.bp-table--exceptions"))
        .next()
        .unwrap();
    let reason = column(table, "Reason given");
    let detail = column(table, "Detail");
    let rows: Vec<Vec<String>> = table.select(&sel("tbody tr")).map(cells).collect();
    // The red spend line comes first, saying which way it is off and why, from its note.
    assert_eq!(rows[0][0], "Knowledge Management");
    assert_eq!(rows[0][1], "Spend red");
    assert_eq!(
        rows[0][detail],
        "under-spend of 40,302 against 116,546 planned, (35%) of planned spend"
    );
    assert!(
        rows[0][reason].starts_with(
            "Note 1: There is an under-spend in the Knowledge Management staffing budget of £40,301."
        ),
        "{:?}",
        rows[0][reason]
    );
    // A delayed activity's reason is its footnote; the amber budget's, its budget reason.
    let delayed = rows.iter().find(|r| r[1] == "Delayed").unwrap();
    assert_eq!(
        delayed[reason],
        "Regional workshop will be run in Q3 and all outstading matters will be addressed."
    );
    let amber = rows.iter().find(|r| r[1] == "Budget amber").unwrap();
    assert_eq!(amber[detail], "budget status amber");
    assert_eq!(
        amber[reason],
        "Hosting and Support Maintenance project funded coverage will run out in Dec 2009."
    );
    // An unexplained item has, by definition, none; it comes last.
    assert_eq!(rows.last().unwrap()[1], "Unexplained");
    assert_eq!(rows.last().unwrap()[reason], "None given");
    let kinds: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    let order: [&[&str]; 8] = [
        &["Spend red", "Budget red"],
        &["Overdue"],
        &["Delayed"],
        &["Slipped"],
        &["Off target"],
        &["Budget amber", "Spend amber"],
        &["Projection moved"],
        &["Unexplained"],
    ];
    let rank = |k: &str| order.iter().position(|g| g.contains(&k)).unwrap();
    assert!(
        kinds.windows(2).all(|w| rank(w[0]) <= rank(w[1])),
        "{kinds:?}"
    );

    // An indicator off target gives its comment.
    let doc = page(built("wigan"), "exceptions/index.html");
    let table = doc
        .select(&sel("table.bp-table--exceptions"))
        .next()
        .unwrap();
    let reason = column(table, "Reason given");
    let ni14 = table
        .select(&sel("tbody tr"))
        .map(cells)
        .find(|r| r[0] == "NI 14 Avoidable Contact")
        .unwrap();
    assert_eq!(ni14[1], "Off target");
    assert_eq!(
        ni14[reason],
        "Data to be monitored by department as part of the new performance management framework."
    );
}
