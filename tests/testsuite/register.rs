//! Risk and issue registers: the register findings on a fixture where each fires and on its
//! consistent twin, the seed's numbering on the example board, and the register read back out
//! of the built HTML (assigned ids, scores, the history on the programme page).

use std::path::Path;

use scraper::Html;

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

/// The body rows of the table whose caption has this id, each as its cells' text.
fn rows(doc: &Html, caption: &str) -> Vec<Vec<String>> {
    let t = doc
        .select(&sel("table"))
        .find(|t| {
            t.select(&sel(&format!("caption#{caption}")))
                .next()
                .is_some()
        })
        .unwrap_or_else(|| panic!("no table captioned #{caption}"));
    t.select(&sel("tbody tr"))
        .map(|tr| tr.select(&sel("th, td")).map(text).collect())
        .collect()
}

#[test]
fn each_register_finding_fires_once_where_the_register_does_not_add_up() {
    let (code, diags) = check_json(&invalid("register"), &[]);
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
            // At R003, the entry after the gap.
            (
                "content/2009-10-q1/skipped.md",
                25,
                6,
                "register-skipped-id"
            ),
            // At the register's first entry: the dropped one is no longer there to point at.
            ("content/2009-10-q2/dropped.md", 20, 6, "register-dropped"),
            // At the status that contradicts the earlier closure, and the one with no note.
            (
                "content/2009-10-q2/reopened.md",
                22,
                10,
                "register-closed-still-live"
            ),
            (
                "content/2009-10-q2/unnoted.md",
                22,
                10,
                "register-closed-without-note"
            ),
        ]
    );
    assert!(diags.iter().all(|d| d.severity == "warning"));
    let message = |code: &str| {
        let d = diags.iter().find(|d| d.code == code).unwrap();
        d.message.clone()
    };
    assert!(message("register-skipped-id").contains("skips R002 before R003"));
    assert!(message("register-dropped").contains("R001"));
    assert!(message("register-closed-still-live").contains("closed in the 2009/10 Q1 report"));
}

#[test]
fn the_consistent_twin_raises_nothing() {
    let (code, diags) = check_json(&fixture("register-consistent"), &[]);
    assert_eq!((code, diags.len()), (0, 0), "{diags:#?}");
}

#[test]
fn the_seed_register_skips_numbers_and_says_so_once() {
    let (_, diags) = check_json(&repo_root(), &[]);
    let skipped: Vec<(&str, usize, String)> = diags
        .iter()
        .filter(|d| d.code == "register-skipped-id")
        .map(|d| {
            let file = d.file.as_deref().unwrap_or("");
            let gap = d.message.split(" before ").next().unwrap_or("");
            (file, d.line, gap.to_string())
        })
        .collect();
    let q2 = "content/2009-10-q2/improving-delivery.md";
    assert_eq!(
        skipped,
        [
            (q2, 330, "the risk numbering skips R002".into()),
            (q2, 346, "the risk numbering skips R005".into()),
            (q2, 354, "the risk numbering skips R007 and R008".into()),
            (q2, 370, "the issue numbering skips I001".into()),
        ],
        "the Q3 draft has the same gaps and is not told again"
    );
}

#[test]
fn scores_and_assigned_ids_are_shown_in_words() {
    let out = build(&fixture("changes"));
    let doc = page(out.path(), "programmes/alpha/2009-10-q2/index.html");
    let risks = rows(&doc, "highlight-alpha-risks-caption");
    assert_eq!(risks[0][0], "R001", "{risks:?}");
    assert_eq!(risks[0][5], "9 (3 × 3)");
    assert_eq!(
        risks[1][4],
        "Closed Closure: The partner recruited two officers in August."
    );
    assert_eq!(risks[2][5], "Not scored");

    let out = build(&repo_root());
    let doc = page(
        out.path(),
        "programmes/improving-practice/2009-10-q2/index.html",
    );
    let ids: Vec<String> = rows(&doc, "highlight-improving-practice-risks-caption")
        .into_iter()
        .filter(|r| r[0].starts_with('R'))
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(
        ids,
        [
            "R001 (id assigned)",
            "R002 (id assigned)",
            "R003 (id assigned)"
        ]
    );
    let hint = doc.select(&sel(".bp-hint")).map(text).collect::<String>();
    assert!(hint.contains("The paper prints no id"), "{hint}");
}

#[test]
fn the_programme_page_shows_the_register_over_time() {
    let out = build(&fixture("changes"));
    let doc = page(out.path(), "programmes/alpha/index.html");
    let heads: Vec<String> = doc
        .select(&sel("#register-caption ~ thead th"))
        .map(text)
        .collect();
    assert_eq!(
        heads,
        ["Risk or issue", "2008/09 Q2", "2009/10 Q1", "2009/10 Q2"]
    );
    assert_eq!(
        rows(&doc, "register-caption"),
        [
            vec![
                "Risk R001 Funding is not confirmed",
                "–not in the register",
                "On-going (score 6) new",
                "Ongoing (score 9) escalated"
            ],
            vec![
                "Risk R002 Partner capacity",
                "–not in the register",
                "On-going new",
                "Closed closed"
            ],
            vec![
                "Risk R003 Winter pressures",
                "–not in the register",
                "–not in the register",
                "On-going new"
            ],
            vec![
                "Issue I001 Data sharing agreement unsigned",
                "–not in the register",
                "Open new",
                "Closed closed"
            ],
            vec![
                "Issue I002 Venue unavailable",
                "–not in the register",
                "–not in the register",
                "Open new"
            ],
        ]
    );
}

/// The generated corpus keeps its registers as a register that adds up does (numbered in
/// order, carried while live, closed once with a note): at 1,000 reports over 25 quarters,
/// `check` finds nothing at all, so every warning on a real board is worth reading.
#[test]
fn the_generated_corpus_checks_with_no_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let status = std::process::Command::new(env!("CARGO"))
        .args(["run", "-q", "--example", "gen_corpus", "--"])
        .arg(&site)
        .arg("1000")
        .current_dir(repo_root())
        .status()
        .expect("cargo runs");
    assert!(status.success());
    let (code, diags) = check_json(&site, &[]);
    assert_eq!(
        (code, diags.len()),
        (0, 0),
        "{:#?}",
        &diags[..diags.len().min(5)]
    );
}
