//! The board's quarter: drafts and approval (`draft`, `approved`, `build --drafts`), the
//! warning for narrative carried forward unchanged, and `new-period`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{
    Run, boardpack, check_json, copy_dir, fixture, invalid, page, repo_root, run, sel, text,
};

/// A site copied into a temporary folder, to be changed by the test.
fn copy(from: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        from.join("boardpack.toml"),
        tmp.path().join("boardpack.toml"),
    )
    .unwrap();
    copy_dir(&from.join("content"), &tmp.path().join("content"));
    tmp
}

fn build(root: &Path, out: &Path, extra: &[&str]) -> Run {
    let r = run(boardpack()
        .arg("--root")
        .arg(root)
        .args(["build", "--output"])
        .arg(out)
        .args(extra));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r
}

fn new_period(root: &Path, extra: &[&str]) -> Run {
    run(boardpack()
        .arg("--root")
        .arg(root)
        .arg("new-period")
        .args(extra))
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn texts(doc: &scraper::Html, css: &str) -> Vec<String> {
    doc.select(&sel(css)).map(text).collect()
}

// ------------------------------------------------------------------------------------------
// Drafts in build and check.

#[test]
fn build_leaves_drafts_out_of_every_byte_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let r = build(&fixture("drafts"), &out, &[]);
    assert!(
        r.stderr
            .contains("left out 3 drafts (build --drafts to include them)"),
        "{}",
        r.stderr
    );
    let files = tree(&out);
    let leaks: Vec<&String> = (files.iter())
        .filter(|(_, bytes)| {
            let t = String::from_utf8_lossy(bytes).to_lowercase();
            t.contains("quokka") || t.contains("third quarter") || t.contains("2009-10-q3")
        })
        .map(|(path, _)| path)
        .collect();
    assert!(leaks.is_empty(), "a draft shows in {leaks:?}");
    assert!(
        files.keys().all(|p| !p.contains("draft")),
        "{:?}",
        files.keys()
    );
    let home = page(&out, "index.html");
    assert!(home.select(&sel(".bp-draft")).next().is_none());
    // The approved report and page say who approved them, and when.
    let report = page(&out, "programmes/alpha/2009-10-q2/index.html");
    assert_eq!(
        texts(&report, "main .bp-approval"),
        ["Approved by Audit Committee on 30 November 2009."]
    );
    let time = report.select(&sel(".bp-approval time")).next().unwrap();
    assert_eq!(time.value().attr("datetime"), Some("2009-11-30"));
    let pack = page(&out, "periods/2009-10-q2/index.html");
    assert_eq!(
        texts(&pack, ".bp-report .bp-approval"),
        ["Approved by Audit Committee on 30 November 2009."]
    );
    let about = page(&out, "about/index.html");
    assert_eq!(
        texts(&about, "main .bp-approval"),
        ["Approved by Head of Democratic Services on 5 October 2009."]
    );
}

#[test]
fn build_with_drafts_marks_every_page_that_shows_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let r = build(&fixture("drafts"), &out, &["--drafts"]);
    assert!(!r.stderr.contains("left out"), "{}", r.stderr);
    const MARK: &str = "DRAFT – not approved";

    let report = page(&out, "programmes/alpha/2009-10-q3/index.html");
    let notice = texts(&report, "main > .bp-draft");
    assert_eq!(notice.len(), 1, "one notice, first in main");
    assert!(notice[0].starts_with(MARK), "{notice:?}");
    assert!(notice[0].contains("This report is a draft"), "{notice:?}");
    let title = texts(&report, "title");
    assert!(title[0].starts_with("DRAFT – Alpha"), "{title:?}");
    let body = report.select(&sel("body")).next().unwrap();
    assert!(body.value().classes().any(|c| c == "bp-shows-drafts"));
    assert!(report.select(&sel(".bp-approval")).next().is_none());

    // The board pack says so at the top and beside each draft in its contents.
    let pack = page(&out, "periods/2009-10-q3/index.html");
    let notice = texts(&pack, "main > .bp-draft");
    assert!(
        notice[0].starts_with(MARK) && notice[0].contains("contains 2 draft reports"),
        "{notice:?}"
    );
    let contents = texts(&pack, ".bp-contents__item");
    let reports: Vec<&String> = contents
        .iter()
        .filter(|c| !c.starts_with("Summary"))
        .collect();
    assert_eq!(reports.len(), 2, "{contents:?}");
    assert!(
        reports.iter().all(|c| c.ends_with("(draft)")),
        "{contents:?}"
    );
    for section in pack.select(&sel("section.bp-report")) {
        assert!(section.value().classes().any(|c| c == "bp-report--draft"));
        let mark = section.select(&sel(".bp-draft")).next().map(text);
        assert!(mark.is_some_and(|m| m.starts_with(MARK)));
    }
    // The earlier pack, all approved, has no marking.
    let q2 = page(&out, "periods/2009-10-q2/index.html");
    assert!(q2.select(&sel(".bp-draft, .bp-draft-tag")).next().is_none());

    // Pages that sum up or list a draft say so too.
    let home = page(&out, "index.html");
    assert!(texts(&home, "main > .bp-draft")[0].contains("figures from 2 draft reports"));
    let listed = texts(&home, ".bp-periods__item li");
    assert!(
        listed.iter().filter(|l| l.ends_with("(draft)")).count() == 2,
        "{listed:?}"
    );
    assert!(texts(&home, "#pages + ul li").contains(&"Quokka notes for members (draft)".into()));
    let programme = page(&out, "programmes/alpha/index.html");
    assert!(texts(&programme, "main > .bp-draft")[0].contains("1 draft report,"));
    let free = page(&out, "quokka/index.html");
    assert!(texts(&free, "main > .bp-draft")[0].contains("This page is a draft"));

    // Search results say a draft is one.
    let index = crate::common::search_fragments(&out);
    let kinds: Vec<&str> = (index.iter())
        .filter(|p| {
            p["meta"]["title"].as_str().unwrap().contains("Quokka")
                || p["url"] == "/programmes/alpha/2009-10-q3/"
        })
        .map(|p| p["meta"]["summary"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 3, "{index:?}");
    assert!(
        kinds.iter().all(|k| k.ends_with(", DRAFT – not approved")),
        "{kinds:?}"
    );
}

#[test]
fn check_checks_drafts_and_build_does_not_fail_on_one() {
    let site = copy(&fixture("drafts"));
    let draft = site.path().join("content/2009-10-q3/budget.md");
    let t = std::fs::read_to_string(&draft).unwrap();
    std::fs::write(
        &draft,
        t.replace("actual = \"251,200\"", "actual = \"lots\""),
    )
    .unwrap();
    let (code, diags) = check_json(site.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        diags.iter().any(|d| d.code == "invalid-money"
            && d.file.as_deref() == Some("content/2009-10-q3/budget.md")
            && d.line == 18),
        "{diags:#?}"
    );
    let tmp = tempfile::tempdir().unwrap();
    let r = build(site.path(), &tmp.path().join("out"), &[]);
    assert!(r.stderr.contains("left out 3 drafts"), "{}", r.stderr);
    let r = run(boardpack()
        .arg("--root")
        .arg(site.path())
        .args(["build", "--drafts", "--output"])
        .arg(tmp.path().join("with")));
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn a_published_budget_may_not_name_a_programme_only_a_draft_has() {
    let site = copy(&fixture("drafts"));
    let toml = site.path().join("boardpack.toml");
    let t = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        t.replace("[[programmes]]\nid = \"alpha\"\ntitle = \"Alpha\"\n", ""),
    )
    .unwrap();
    // Q2's report is the only published one of alpha; make it a draft too.
    let q2 = site.path().join("content/2009-10-q2/alpha.md");
    let t = std::fs::read_to_string(&q2).unwrap();
    std::fs::write(
        &q2,
        t.replace(
            "approved = { by = \"Audit Committee\", on = 2009-11-30 }",
            "draft = true",
        ),
    )
    .unwrap();
    let budget = site.path().join("content/2009-10-q2/budget.md");
    std::fs::write(
        &budget,
        "+++\nkind = \"budget\"\ntitle = \"Budget\"\nperiod = \"2009/10 Q2\"\n\n[[groups]]\nid = \"e\"\ntitle = \"E\"\nkind = \"expenditure\"\n\n[[lines]]\nid = \"l\"\ntitle = \"L\"\ngroup = \"e\"\nprogramme = \"alpha\"\napproved = 1\n+++\n",
    )
    .unwrap();
    let (code, diags) = check_json(site.path(), &[]);
    assert_eq!(code, 1, "{diags:#?}");
    let d = diags
        .iter()
        .find(|d| d.code == "unknown-reference")
        .expect("the published budget's programme is reported");
    assert_eq!(
        (d.file.as_deref(), d.line, d.column),
        (Some("content/2009-10-q2/budget.md"), 15, 13)
    );
}

#[test]
fn draft_and_approved_mistakes_are_located() {
    let (code, diags) = check_json(&invalid("draft-keys"), &[]);
    assert_eq!(code, 1);
    let got: Vec<(&str, usize, usize, &str, &str, &str)> = diags
        .iter()
        .map(|d| {
            (
                d.file.as_deref().unwrap_or(""),
                d.line,
                d.column,
                d.severity.as_str(),
                d.code.as_str(),
                d.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "content/approved-draft.md",
                4,
                9,
                "warning",
                "approved-draft",
                "approved by Audit Committee on 2009-11-30, but still marked draft"
            ),
            (
                "content/bad-keys.md",
                5,
                9,
                "error",
                "wrong-type",
                "`draft` should be true or false, found a string"
            ),
            (
                "content/bad-keys.md",
                6,
                43,
                "error",
                "wrong-type",
                "`approved.on` should be a date, found a string"
            ),
            (
                "content/bad-keys.md",
                6,
                57,
                "error",
                "unknown-key",
                "unknown key `approved.when`"
            ),
            (
                "content/bad-table.md",
                4,
                12,
                "error",
                "wrong-type",
                "`approved` should be a table such as { by = \"A Name\", on = 2009-11-30 }, found a string"
            ),
            (
                "content/missing-by.md",
                5,
                1,
                "error",
                "missing-key",
                "missing required key `approved.by`"
            ),
        ]
    );
}

// ------------------------------------------------------------------------------------------
// Narrative carried forward unchanged.

#[test]
fn narrative_unchanged_since_the_last_period_is_a_warning_at_the_section() {
    let site = copy(&fixture("drafts"));
    // The body too, once it reads as last quarter's.
    let q3 = site.path().join("content/2009-10-q3/alpha.md");
    let t = std::fs::read_to_string(&q3).unwrap();
    std::fs::write(
        &q3,
        t.replace(
            "The third quarter's report, still a draft.",
            "The second quarter's report, approved by the Audit Committee.",
        ),
    )
    .unwrap();
    let (code, diags) = check_json(site.path(), &[]);
    assert_eq!(code, 0, "{diags:#?}");
    let unchanged: Vec<(usize, usize, &str)> = (diags.iter())
        .filter(|d| d.code == "unchanged-narrative")
        .map(|d| {
            assert_eq!(d.file.as_deref(), Some("content/2009-10-q3/alpha.md"));
            assert_eq!(d.severity, "warning");
            (d.line, d.column, d.message.as_str())
        })
        .collect();
    assert_eq!(
        unchanged,
        [
            (
                12,
                11,
                "comment of objective o1: unchanged since 2009/10 Q2"
            ),
            (27, 1, "body text: unchanged since 2009/10 Q2"),
        ]
    );
    // The completed list moved on, and "Recycle more…" titles are not narrative.
    assert!(!diags.iter().any(|d| d.message.contains("completed")));
}

// ------------------------------------------------------------------------------------------
// new-period.

/// The example board as it was before its illustrative 2009/10 Q3: the seeds' 2009/10 Q2.
fn example_without_q3() -> tempfile::TempDir {
    let site = copy(&repo_root());
    std::fs::remove_dir_all(site.path().join("content/2009-10-q3")).unwrap();
    site
}

const Q3_FILES: [&str; 6] = [
    "content/2009-10-q3/budget.md",
    "content/2009-10-q3/customer-first.md",
    "content/2009-10-q3/improving-capacity.md",
    "content/2009-10-q3/improving-delivery.md",
    "content/2009-10-q3/improving-outcomes.md",
    "content/2009-10-q3/improving-practice.md",
];

#[test]
fn new_period_on_the_example_board_writes_the_next_quarter_and_it_checks() {
    let site = example_without_q3();
    let before = tree(site.path());
    let r = new_period(site.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().collect::<Vec<_>>(), Q3_FILES);
    assert!(
        r.stderr
            .contains("made 6 documents for 2009/10 Q3 from 2009/10 Q2"),
        "{}",
        r.stderr
    );
    // Only new files: every file that was there is as it was.
    let after = tree(site.path());
    for (path, bytes) in &before {
        assert_eq!(after.get(path), Some(bytes), "{path} changed");
    }
    assert_eq!(after.len(), before.len() + 6);

    let (code, diags) = check_json(site.path(), &[]);
    assert_eq!(code, 0, "{diags:#?}");
    assert!(diags.iter().all(|d| d.severity == "warning"));
    let carried = (diags.iter())
        .filter(|d| d.code == "unchanged-narrative")
        .filter(|d| d.file.as_deref() == Some("content/2009-10-q3/improving-capacity.md"))
        .count();
    assert!(
        carried > 5,
        "the narrative is marked for its author: {diags:#?}"
    );

    // Every new document is a draft, so a build publishes exactly what it did before.
    for f in Q3_FILES {
        let text = std::fs::read_to_string(site.path().join(f)).unwrap();
        assert!(text.contains("\nperiod = \"2009/10 Q3\"\n"), "{f}");
        assert!(text.contains("\ndraft = true\n"), "{f}");
        assert!(!text.contains("approved = {"), "{f}");
    }
    let tmp = tempfile::tempdir().unwrap();
    let r = build(site.path(), &tmp.path().join("out"), &[]);
    assert!(r.stderr.contains("left out 6 drafts"), "{}", r.stderr);
}

#[test]
fn new_period_moves_a_budget_on_and_keeps_its_comments() {
    let site = example_without_q3();
    assert_eq!(new_period(site.path(), &[]).code, 0);
    let text = std::fs::read_to_string(site.path().join("content/2009-10-q3/budget.md")).unwrap();
    insta::assert_snapshot!("new_period_budget", text);
    let report =
        std::fs::read_to_string(site.path().join("content/2009-10-q3/improving-capacity.md"))
            .unwrap();
    // Comments the author wrote stay; the printed progress of Q2 and its comment go.
    assert!(report.contains(
        "# ---------------------------------------------------------------- OBJECTIVE 2\n"
    ));
    assert!(!report.contains("stated_progress"));
    assert!(!report.contains("prepared = "));
    // Open activities keep their status, progress and due date.
    assert!(report.contains("id = \"o1-sa\"\ntitle = \"Additional supporting activities\"\nkind = \"supporting\"\ndue = 2010-03-31\nstatus = \"Delayed\"\nprogress = 42\n"));
}

#[test]
fn new_period_is_deterministic() {
    let (a, b) = (example_without_q3(), example_without_q3());
    assert_eq!(new_period(a.path(), &[]).code, 0);
    assert_eq!(new_period(b.path(), &["2009/10 Q3"]).code, 0);
    let made = |t: &tempfile::TempDir| {
        let all = tree(t.path());
        Q3_FILES
            .iter()
            .map(|f| all[&f.to_string()].clone())
            .collect::<Vec<_>>()
    };
    assert!(made(&a) == made(&b));
}

#[test]
fn new_period_never_overwrites_and_then_writes_nothing() {
    // The example board has its 2009/10 Q3 already.
    let site = copy(&repo_root());
    let before = tree(site.path());
    let r = new_period(site.path(), &["2009/10 Q3"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    for f in Q3_FILES {
        assert!(r.stderr.contains(f), "{f} named: {}", r.stderr);
    }
    assert!(r.stderr.contains("2009/10 Q3 already has"), "{}", r.stderr);
    assert!(r.stderr.contains("wrote nothing"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert!(tree(site.path()) == before, "nothing was written");

    // One file in the way is enough, even one that is not a report of the period.
    let site = example_without_q3();
    let taken = site.path().join("content/2009-10-q3/budget.md");
    std::fs::create_dir_all(taken.parent().unwrap()).unwrap();
    std::fs::write(&taken, "+++\nkind = \"page\"\ntitle = \"Mine\"\n+++\n").unwrap();
    let before = tree(site.path());
    let r = new_period(site.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/2009-10-q3/budget.md"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("customer-first"),
        "only the file in the way is named"
    );
    assert!(tree(site.path()) == before, "nothing was written");
}

#[test]
fn new_period_follows_the_newest_quarter_and_carries_complete_work_in_the_year() {
    // The example board's newest quarter is its draft 2009/10 Q3.
    let site = copy(&repo_root());
    let r = new_period(site.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .lines()
            .all(|l| l.starts_with("content/2009-10-q4/")),
        "{}",
        r.stdout
    );
    assert_eq!(r.stdout.lines().count(), 6);
    let (code, diags) = check_json(site.path(), &[]);
    assert_eq!(code, 0, "{diags:#?}");
    let q4 = std::fs::read_to_string(site.path().join("content/2009-10-q4/improving-outcomes.md"))
        .unwrap();
    assert!(q4.contains(
        "# new-period: complete in 2009/10 Q3: carried to the end of 2009/10 with the year's other deliverables.\n[[objectives.activities]]\nid = \"o1-pd2\""
    ), "{q4}");
    // Its illustrative note and the author's comments are carried; new-period's own are
    // replaced, not added to.
    assert!(q4.contains("# ILLUSTRATIVE, NOT FROM THE SEED PAPERS."));
    assert_eq!(q4.matches("# new-period: made from").count(), 1);
    assert!(q4.contains(
        "# new-period: made from content/2009-10-q3/improving-outcomes.md (2009/10 Q3)."
    ));

    // Into a new year, complete work is dropped and listed.
    let r = new_period(site.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("for 2010/11 Q1 from 2009/10 Q4"),
        "{}",
        r.stderr
    );
    let q1 = std::fs::read_to_string(site.path().join("content/2010-11-q1/improving-outcomes.md"))
        .unwrap();
    assert!(!q1.contains("id = \"o1-pd2\""));
    assert!(q1.contains("# new-period: not carried into 2010/11: “Deliver an enhanced version of the menu of local outcome measures” (complete in 2009/10 Q4).\n"), "{q1}");
    let (code, diags) = check_json(site.path(), &[]);
    assert_eq!(code, 0, "{diags:#?}");
}

#[test]
fn new_period_of_a_year_moves_the_annual_budget_on() {
    let site = example_without_q3();
    let r = new_period(site.path(), &["2010/11"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "content/2010-11/budget.md\n");
    let text = std::fs::read_to_string(site.path().join("content/2010-11/budget.md")).unwrap();
    assert!(
        text.contains("title = \"Improvement Service - 2010/11 Budget Analysis\""),
        "{text}"
    );
    assert!(
        text.contains("Approved and revised budgets are still those of 2009/10: set 2010/11's.")
    );
    let (code, diags) = check_json(site.path(), &[]);
    assert_eq!(code, 0, "{diags:#?}");
}

#[test]
fn new_period_moves_indicators_and_action_plans_on() {
    let site = copy(&fixture("wigan"));
    let r = new_period(site.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "content/2009-10-q2/actions.md\ncontent/2009-10-q2/indicators.md\n"
    );
    let indicators =
        std::fs::read_to_string(site.path().join("content/2009-10-q2/indicators.md")).unwrap();
    let q1 = std::fs::read_to_string(site.path().join("content/2009-10-q1/indicators.md")).unwrap();
    assert_eq!(q1.matches("\nactual = ").count(), 3);
    assert_eq!(indicators.matches("\nactual = ").count(), 0);
    assert_eq!(indicators.matches("\nstated_status = ").count(), 0);
    assert_eq!(
        indicators
            .matches("# new-period: 2009/10 Q1 actual: ")
            .count(),
        q1.matches("\nactual = ").count()
    );
    // Each of last period's actuals becomes an earlier value, which the comparison with the
    // previous period reads.
    assert_eq!(
        indicators
            .matches("history = [{ period = \"2009/10 Q1\", value = ")
            .count(),
        q1.matches("\nactual = ").count()
    );
    assert!(indicators.contains("history = [{ period = \"2009/10 Q1\", value = 25.6 }]"));
    // Within the year, `previous` stays the previous year's actual.
    assert_eq!(
        indicators
            .matches("previous = { year = \"2008/09\"")
            .count(),
        q1.matches("previous = { year = \"2008/09\"").count()
    );
    let actions =
        std::fs::read_to_string(site.path().join("content/2009-10-q2/actions.md")).unwrap();
    let open = |t: &str| t.matches("judgement = ").count();
    let q1 = std::fs::read_to_string(site.path().join("content/2009-10-q1/actions.md")).unwrap();
    assert_eq!(
        open(&actions),
        open(&q1) - 2,
        "the two complete actions are dropped"
    );
    assert_eq!(
        actions
            .matches("# new-period: complete in 2009/10 Q1 and not carried: ")
            .count(),
        2
    );
    assert!(!actions.contains("[[stated_summary]]"));
    let (code, diags) = check_json(site.path(), &[]);
    assert_eq!(code, 0, "{diags:#?}");

    // Into a new year, the last actual becomes the previous year's.
    let site = copy(&fixture("wigan"));
    for q in ["2009/10 Q2", "2009/10 Q3", "2009/10 Q4"] {
        assert_eq!(new_period(site.path(), &[q]).code, 0);
    }
    // Give Q4 an actual to carry.
    let q4 = site.path().join("content/2009-10-q4/indicators.md");
    let t = std::fs::read_to_string(&q4).unwrap();
    let t = t.replacen("id = \"ni-1\"\n", "id = \"ni-1\"\nactual = 71\n", 1);
    std::fs::write(&q4, t).unwrap();
    assert_eq!(new_period(site.path(), &[]).code, 0);
    let next =
        std::fs::read_to_string(site.path().join("content/2010-11-q1/indicators.md")).unwrap();
    let ni1 = &next[next.find("id = \"ni-1\"").unwrap()..];
    let ni1 = &ni1[..ni1.find("[[indicators]]").unwrap()];
    assert!(
        ni1.contains("previous = { year = \"2009/10\", value = 71 }"),
        "{ni1}"
    );
}

#[test]
fn new_period_says_which_periods_it_can_make() {
    let site = example_without_q3();
    let r = new_period(site.path(), &["2010/11 Q2"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("2010/11 Q2 does not follow a period that has documents (2010/11 Q1 has none); the site has 2009/10, 2009/10 Q2, so new-period can make 2010/11 or 2009/10 Q3"),
        "{}",
        r.stderr
    );
    let r = new_period(site.path(), &["Q3"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("`Q3` is not a period"), "{}", r.stderr);
    assert!(
        tree(&site.path().join("content"))
            .keys()
            .all(|k| !k.contains("q3") && !k.starts_with("2010"))
    );

    // A site with errors gets nothing new.
    let broken = example_without_q3();
    let f = broken.path().join("content/2009-10-q2/budget.md");
    let t = std::fs::read_to_string(&f).unwrap();
    std::fs::write(
        &f,
        t.replacen(
            "period = \"2009/10 Q2\"",
            "period = \"2009/10 Q2\"\nperiodd = 1",
            1,
        ),
    )
    .unwrap();
    let r = new_period(broken.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("new-period wrote nothing: the site has 1 error"),
        "{}",
        r.stderr
    );
    assert!(!broken.path().join("content/2009-10-q3").exists());
}

/// The docs describe what the commands do.
#[test]
fn the_quarterly_cycle_is_documented() {
    let read = |p: &str| std::fs::read_to_string(repo_root().join(p)).unwrap();
    let cycle = read("docs/quarterly-cycle.md");
    for step in [
        "new-period",
        "check",
        "serve",
        "approved = {",
        "build",
        "--drafts",
    ] {
        assert!(
            cycle.contains(step),
            "docs/quarterly-cycle.md covers {step}"
        );
    }
    let format = read("docs/content-format.md");
    assert!(format.contains("`draft`") && format.contains("`approved`"));
    let readme = read("README.md");
    assert!(readme.contains("boardpack new-period") && readme.contains("--no-drafts"));
}
