//! The auditor's cross-checks (`src/aggregate/consistency.rs`): each finding on its own small
//! fixture under `tests/fixtures/invalid/`, located at line and column, and silent on the
//! consistent twin in `tests/fixtures/consistent/`; the seeds' own inconsistencies on the
//! example board and the Wigan fixture; and the calibration, zero warnings on 1,000 generated
//! reports.

use std::path::Path;

use assert_cmd::Command;
use scraper::ElementRef;

use crate::common::{Diag, check_json, fixture, invalid, page, repo_root, sel, text, warning};

#[path = "../../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

/// A case that passes `check` with exactly these warnings.
fn warns(case: &str, expected: &[Diag]) {
    let (code, diags) = check_json(&invalid(case), &[]);
    assert_eq!(diags, expected, "diagnostics for {case}");
    assert_eq!(code, 0, "warnings alone do not fail check ({case})");
}

/// The diagnostics of one code that a site's check gives.
fn with_code(root: &Path, code: &str) -> Vec<Diag> {
    let (_, diags) = check_json(root, &[]);
    diags.into_iter().filter(|d| d.code == code).collect()
}

#[test]
fn a_note_whose_figure_differs_from_its_line() {
    warns(
        "note-differs-from-line",
        &[warning(
            "content/budget.md",
            25,
            10,
            "note-differs-from-line",
            "note 1 gives (25) for the variance of Staff, but the table gives (20): 5 apart, \
             more than hidden pence could explain; check which figure the note means",
        )],
    );
}

#[test]
fn a_note_whose_parts_do_not_add_up() {
    warns(
        "note-breakdown-mismatch",
        &[warning(
            "content/budget.md",
            24,
            10,
            "note-breakdown-mismatch",
            "note 1's 2 parts add up to (15), not the (20) it gives: check the parts against \
             the note's text",
        )],
    );
}

#[test]
fn a_forecast_that_ignores_the_year_to_date() {
    warns(
        "projection-ignores-year-to-date",
        &[warning(
            "content/budget.md",
            13,
            6,
            "projection-ignores-year-to-date",
            "Staff forecasts its whole revised budget, 1,200, for the year end, though it is \
             240 (40%) under-spent to date: check that the forecast allows for the year to \
             date, or say in a note how the gap will close",
        )],
    );
}

#[test]
fn a_late_milestone_judged_on_track() {
    warns(
        "late-milestone-on-track",
        &[warning(
            "content/actions.md",
            19,
            72,
            "late-milestone-on-track",
            "“Run a scrutiny skills course” (a1) is judged on track, but its milestone “Course \
             run – September 2009”, due 2009-09-30, is now expected 2009-11-30, 61 days later: \
             check the judgement, or give the milestone its new date if the plan was changed",
        )],
    );
}

#[test]
fn one_piece_of_work_described_two_ways() {
    warns(
        "same-item-differs",
        &[warning(
            "content/actions.md",
            31,
            11,
            "same-item-differs",
            "“Scrutiny skills course for members” (a2) and “Run a scrutiny skills course” (a1) \
             describe the same work, but differ: owner “Head of Organisational Development” and \
             “Head of Democratic Services” (check whether they name one officer); judgement \
             behind and on track; check which is right",
        )],
    );
}

#[test]
fn a_stated_direction_the_figures_contradict() {
    warns(
        "direction-contradicts-data",
        &[warning(
            "content/indicators.md",
            15,
            20,
            "direction-contradicts-data",
            "Take up of school lunches is said to be better against the same period last year, \
             but its figures make it worse (41.5 now against 45 in 2008/09 Q1): check the \
             earlier figure and the words",
        )],
    );
}

#[test]
fn an_approved_budget_that_differs_from_the_years_budget_paper() {
    warns(
        "differs-from-year-budget",
        &[
            warning(
                "content/q2.md",
                13,
                6,
                "differs-from-year-budget",
                "the approved budget of Staff is 1,100 here but 1,000 in the 2009/10 budget: \
                 check which is right, or give the change as a revised budget",
            ),
            // A line the year's budget does not have; a line added in year with an approved
            // budget of 0 is not one.
            warning(
                "content/q2.md",
                22,
                6,
                "differs-from-year-budget",
                "the approved budget of Events is 50 here, but the 2009/10 budget has no such \
                 line: check which is right",
            ),
            // And a line of the year's budget the quarter leaves out, at the year's line.
            warning(
                "content/year.md",
                19,
                6,
                "differs-from-year-budget",
                "Training, 200 in this budget, has no line in the 2009/10 Q2 budget: check \
                 whether the quarter's figures include it elsewhere",
            ),
        ],
    );
}

#[test]
fn green_budget_statuses_beside_a_red_line_of_the_programme() {
    warns(
        "budget-status-contradicts-lines",
        &[warning(
            "content/improving-capacity.md",
            3,
            13,
            "budget-status-contradicts-lines",
            "every objective of Improving Capacity with a budget gives its budget status as \
             green, but its budget line Capacity staff is 35 (35%) under-spent to date in \
             Budget monitoring to 30 September 2009: check the statuses, or say in a budget \
             reason why the line does not change them",
        )],
    );
}

#[test]
fn the_consistent_twins_have_no_findings() {
    let (code, diags) = check_json(&fixture("consistent"), &["--deny-warnings"]);
    assert_eq!(diags, [], "the consistent twin of every audit fixture");
    assert_eq!(code, 0);
}

#[test]
fn same_as_must_name_an_action_of_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&invalid("same-item-differs"), dir.path());
    let file = dir.path().join("content/actions.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("same_as = \"a1\"", "same_as = \"a9\"")).unwrap();
    let (code, diags) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "{diags:#?}");
    assert_eq!(
        diags,
        [crate::common::error(
            "content/actions.md",
            31,
            11,
            "unknown-reference",
            "unknown action `a9`"
        )]
    );
}

#[test]
fn the_example_boards_notes_and_forecasts_are_checked() {
    let root = repo_root();
    let notes = with_code(&root, "note-differs-from-line");
    let messages: Vec<&str> = notes.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "note 1 gives (40,301) for the variance of Knowledge Management, but the table \
             gives (40,302): 1 apart, within what hidden pence in 2 whole-pound figures could \
             explain; check which figure the note means",
            "note 2's parts add up to 105,000 for the revised budget of Programme Development \
             Fund, but the table gives 105,574: 574 apart, more than hidden pence could \
             explain; check which figure the note means",
        ]
    );
    let forecasts = with_code(&root, "projection-ignores-year-to-date");
    let at: Vec<(&str, usize)> = forecasts
        .iter()
        .map(|d| (d.file.as_deref().unwrap_or(""), d.line))
        .collect();
    assert_eq!(
        at,
        [
            ("content/2009-10-q2/budget.md", 114),
            ("content/2009-10-q3/budget.md", 177)
        ]
    );
    // Improving Practice says green on every objective beside Knowledge Management's 35%.
    let statuses: Vec<(String, usize)> = with_code(&root, "budget-status-contradicts-lines")
        .into_iter()
        .map(|d| (d.file.unwrap_or_default(), d.line))
        .collect();
    assert_eq!(
        statuses,
        [
            ("content/2009-10-q2/improving-practice.md".to_string(), 3),
            ("content/2009-10-q3/improving-practice.md".to_string(), 3)
        ]
    );
    // The quarters' approved budgets agree with the year's budget paper, line by line; but
    // the year's £500,000 of sponsorship and the programme activity it pays for are in
    // neither quarter's paper.
    let year: Vec<(String, usize)> = with_code(&root, "differs-from-year-budget")
        .into_iter()
        .map(|d| (d.file.unwrap_or_default(), d.line))
        .collect();
    let at = |line| ("content/2009-10/budget.md".to_string(), line);
    assert_eq!(year, [at(158), at(158), at(165), at(165)]);
}

#[test]
fn wigans_late_milestones_and_items_described_twice() {
    let root = fixture("wigan");
    let late: Vec<usize> = (with_code(&root, "late-milestone-on-track").iter())
        .map(|d| d.line)
        .collect();
    // pso-4.6 (Trading Capacity, revised to November 2009) and oeo-1.1 (due September 2009);
    // pso-1.5 and oeo-1.5 are late too, but judged behind.
    assert_eq!(late.len(), 2, "{late:?}");
    let same: Vec<String> = (with_code(&root, "same-item-differs").into_iter())
        .map(|d| d.message)
        .collect();
    assert_eq!(same.len(), 3, "{same:#?}");
    assert!(same[0].contains("(oeo-1.3)") && same[0].contains("judgement unknown and on track"));
    assert!(same[1].contains("(oeo-5.1)") && same[1].contains("2010-04-30 and 2010-03-31"));
    assert!(same[2].contains("(oeo-6.1)") && same[2].contains("“Business Intelligence manager.”"));
    // The paper's "higher than the same period last year" has no figure to contradict.
    assert_eq!(with_code(&root, "direction-contradicts-data"), []);
}

fn build(root: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("boardpack")
        .unwrap()
        .env("NO_COLOR", "1")
        .arg("--root")
        .arg(root)
        .args(["-q", "build", "--output"])
        .arg(dir.path())
        .assert()
        .success();
    dir
}

fn row(doc: &scraper::Html, id: &str) -> Vec<String> {
    let tr = doc
        .select(&sel(&format!("tr#{id}")))
        .next()
        .unwrap_or_else(|| panic!("no row {id}"));
    tr.select(&sel("th, td")).map(text).collect()
}

fn column(table: ElementRef<'_>, header: &str) -> usize {
    table
        .select(&sel("thead th"))
        .position(|th| text(th) == header)
        .unwrap_or_else(|| panic!("no column {header}"))
}

#[test]
fn money_indicators_stated_directions_and_numbered_objectives_on_the_page() {
    let out = build(&fixture("consistent"));
    let doc = page(out.path(), "indicators/2009-10-q2/index.html");
    let table = doc
        .select(&sel("table.bp-table--indicators"))
        .next()
        .unwrap();
    let actual = column(table, "Actual 2009/10 Q2");
    let direction = column(table, "Direction of travel");
    let computed = column(table, "Performance against target (computed)");
    let savings = row(&doc, "indicators-savings");
    // Whole pounds, as every amount on the site, rounded half-up from the exact decimal.
    assert_eq!(savings[actual], "£262,501");
    let secondary = row(&doc, "indicators-lunches-secondary");
    assert_eq!(secondary[computed], "Off target improving");
    assert_eq!(
        secondary[direction],
        "↑ Better than the same quarter last year, as the report states; it gives no figure"
    );
    // Where the figures give a direction, they are shown, not the words.
    let lunches = row(&doc, "indicators-lunches");
    assert!(lunches[direction].starts_with("↑"), "{lunches:?}");
    assert!(!lunches[direction].contains("as the report states"));

    let doc = page(out.path(), "actions/2009-10-q2/index.html");
    let titles: Vec<String> = doc.select(&sel(".bp-objective__title")).map(text).collect();
    assert_eq!(
        titles,
        ["1. Strengthen scrutiny", "2. Develop the workforce"]
    );
    let cells: Vec<String> = doc
        .select(&sel("table.bp-table--actions td"))
        .map(text)
        .collect();
    assert!(
        cells
            .iter()
            .any(|c| c.contains("(due 30/09/2009) (now expected 30/11/2009)")),
        "{cells:#?}"
    );
    assert!(cells.iter().any(|c| c.contains("The same work as a1.")));
}

#[test]
fn a_thousand_generated_reports_check_with_no_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let summary = gen_corpus::generate(dir.path(), 1000, None);
    assert!(
        summary.contains("wrote 1000 highlight reports"),
        "{summary}"
    );
    let (code, diags) = check_json(dir.path(), &["--deny-warnings"]);
    assert_eq!(diags, [], "a consistent corpus has no findings");
    assert_eq!(code, 0);
}
