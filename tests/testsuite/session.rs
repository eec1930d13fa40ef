//! The incremental session must always produce exactly the site a full build would: after
//! every kind of change, its output is compared byte for byte with a fresh render.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::copy_dir;

use boardpack::serve::session::{Outcome, Session, SourceChanges};

fn site(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = if name.is_empty() {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
    };
    for sub in ["content", "boardpack.toml"] {
        let p = from.join(sub);
        if p.is_dir() {
            copy_dir(&p, &dir.path().join(sub));
        } else {
            std::fs::copy(&p, dir.path().join(sub)).unwrap();
        }
    }
    dir
}

fn full(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let loaded = boardpack::site::load(root).unwrap();
    let rendered = crate::common::render_in_memory(&loaded).unwrap();
    rendered.files.into_iter().collect()
}

fn output(s: &Session) -> BTreeMap<String, Vec<u8>> {
    s.output()
        .iter()
        .map(|(k, v)| (k.clone(), v.to_vec()))
        .collect()
}

fn content_change(path: &Path) -> SourceChanges {
    SourceChanges {
        content: BTreeSet::from([path.to_path_buf()]),
        ..SourceChanges::default()
    }
}

fn assert_same(s: &mut Session, root: &Path, step: &str) {
    // The watch server rebuilds the search index when the author pauses; do it now.
    s.refresh_search();
    let a = output(s);
    let b = full(root);
    let only_a: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "{step}: {only_a:?} vs {only_b:?}"
    );
    for (k, v) in &a {
        assert!(v == &b[k], "{step}: {k} differs from a full build");
    }
}

fn built(o: &Outcome) -> (usize, usize, Vec<String>) {
    match o {
        Outcome::Built {
            rendered,
            pages,
            changed,
            ..
        } => (*rendered, *pages, changed.clone()),
        Outcome::Failed { diagnostics, error } => panic!("failed: {error:?} {diagnostics:#?}"),
        Outcome::Unchanged => (0, 0, Vec::new()),
    }
}

#[test]
fn every_kind_of_change_gives_the_full_build() {
    let dir = site("two-periods");
    let root = dir.path();
    let mut s = Session::new(root);
    built(&s.update(&SourceChanges::everything()));
    assert_same(&mut s, root, "first build");

    // Edit the latest report: only pages that show it re-render.
    let q2 = root.join("content/2009-10-q2/alpha.md");
    let text = std::fs::read_to_string(&q2).unwrap();
    std::fs::write(&q2, text.replace("progress = 45", "progress = 47")).unwrap();
    let (rendered, pages, changed) = built(&s.update(&content_change(&q2)));
    assert!(rendered < pages, "rendered {rendered} of {pages}");
    assert!(
        changed
            .iter()
            .any(|c| c == "programmes/alpha/2009-10-q2/index.html"),
        "{changed:?}"
    );
    assert_same(&mut s, root, "edit");

    // Edit an earlier report: the later report's "changes since" must follow.
    let q1 = root.join("content/2009-10-q1/alpha.md");
    let text = std::fs::read_to_string(&q1).unwrap();
    std::fs::write(&q1, text.replace("due = 2009-09-30", "due = 2009-12-31")).unwrap();
    built(&s.update(&content_change(&q1)));
    assert_same(&mut s, root, "edit an earlier period");

    // A broken save keeps the last good output.
    let before = output(&s);
    std::fs::write(&q1, "+++\nkind = \"highlight\"\n").unwrap();
    match s.update(&content_change(&q1)) {
        Outcome::Failed { diagnostics, .. } => assert!(diagnostics.iter().any(|d| d.is_error())),
        o => panic!("expected a failure, got {o:?}"),
    }
    assert_eq!(output(&s), before);

    // Delete it instead, then add a new period in a new folder.
    std::fs::remove_file(&q1).unwrap();
    built(&s.update(&content_change(&q1)));
    assert_same(&mut s, root, "delete");
    let q3_dir = root.join("content/2009-10-q3");
    std::fs::create_dir(&q3_dir).unwrap();
    let text = std::fs::read_to_string(&q2)
        .unwrap()
        .replace("2009/10 Q2", "2009/10 Q3");
    std::fs::write(q3_dir.join("alpha.md"), text).unwrap();
    built(&s.update(&content_change(&q3_dir)));
    assert_same(&mut s, root, "new folder");

    // Remove the whole folder.
    std::fs::remove_dir_all(&q3_dir).unwrap();
    built(&s.update(&content_change(&q3_dir)));
    assert_same(&mut s, root, "folder removed");

    // Config change: everything.
    let cfg = root.join("boardpack.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace("title = \"Two periods\"", "title = \"Renamed board\""),
    )
    .unwrap();
    let (rendered, pages, _) = built(&s.update(&SourceChanges {
        config: true,
        ..SourceChanges::default()
    }));
    assert_eq!(rendered, pages);
    assert_same(&mut s, root, "config");
}

/// A budget, indicator set or action plan compares with the one before it: an edit to an earlier
/// one must reach the later one's page and its board pack, as a full build would show them.
#[test]
fn an_earlier_budget_indicator_set_or_action_plan_reaches_the_later_pages() {
    let dir = site("changes");
    let root = dir.path();
    let mut s = Session::new(root);
    built(&s.update(&SourceChanges::everything()));
    assert_same(&mut s, root, "first build");
    for (file, from, to) in [
        (
            "content/2009-10-q1/budget.md",
            "projected = \"600,000\"",
            "projected = \"640,000\"",
        ),
        (
            "content/2009-10-q1/indicators.md",
            "actual = 35.56",
            "actual = 40.5",
        ),
        (
            "content/2009-10-q1/actions.md",
            "judgement = \"behind\"",
            "judgement = \"complete\"",
        ),
    ] {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let (rendered, pages, changed) = built(&s.update(&content_change(&path)));
        assert!(rendered < pages, "{file}: rendered {rendered} of {pages}");
        assert!(
            changed.iter().any(|c| c.contains("2009-10-q2")),
            "{file}: the later pages change: {changed:?}"
        );
        assert_same(&mut s, root, file);
    }
}

#[test]
fn the_example_board_edit_by_edit() {
    let dir = site("");
    let root = dir.path();
    let mut s = Session::new(root);
    built(&s.update(&SourceChanges::everything()));
    assert_same(&mut s, root, "first build");
    let budget = root.join("content/2009-10-q2/budget.md");
    let text = std::fs::read_to_string(&budget).unwrap();
    std::fs::write(
        &budget,
        text.replacen("actual = 76244", "actual = 76245", 1),
    )
    .unwrap();
    built(&s.update(&content_change(&budget)));
    assert_same(&mut s, root, "budget edit");
    let report = root.join("content/2009-10-q2/improving-practice.md");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, text.replacen("progress = 50", "progress = 51", 1)).unwrap();
    built(&s.update(&content_change(&report)));
    assert_same(&mut s, root, "report edit");
    // A plan date reaches the plan page, the programme pages and the reports' findings.
    let plan = root.join("content/2009-10/operational-plan.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    let moved = text.replacen(
        "due = \"2009-06\"\ncross_team = \"IO\"",
        "due = \"2009-11\"\ncross_team = \"IO\"",
        1,
    );
    assert_ne!(moved, text, "deliverable 19's dated activity");
    std::fs::write(&plan, moved).unwrap();
    let (_, _, changed) = built(&s.update(&content_change(&plan)));
    for page in [
        "plan/2009-10/index.html",
        "programmes/improving-delivery/index.html",
        "programmes/improving-delivery/2009-10-q2/index.html",
    ] {
        assert!(changed.iter().any(|c| c == page), "{page} in {changed:?}");
    }
    assert_same(&mut s, root, "plan edit");
    // And a report's `deliverable` reaches the plan page.
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(
        &report,
        text.replacen("deliverable = \"17\"", "deliverable = \"10\"", 1),
    )
    .unwrap();
    let (_, _, changed) = built(&s.update(&content_change(&report)));
    assert!(
        changed.iter().any(|c| c == "plan/2009-10/index.html"),
        "{changed:?}"
    );
    assert_same(&mut s, root, "deliverable edit");
}

/// The preview of an edited report's page is exactly the page the full rebuild then makes, for
/// every highlight report of three sites; and a change it cannot preview gives none.
#[test]
fn a_preview_is_the_page_the_rebuild_makes() {
    for name in ["", "two-periods", "messy"] {
        let dir = site(name);
        let root = dir.path();
        let mut s = Session::new(root);
        built(&s.update(&SourceChanges::everything()));
        let reports: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .map(|e| e.path().to_path_buf())
            .filter(|p| {
                std::fs::read_to_string(p).is_ok_and(|t| t.contains("kind = \"highlight\""))
            })
            .collect();
        assert!(!reports.is_empty(), "{name}: no highlight reports");
        for (i, report) in reports.iter().enumerate() {
            let text = std::fs::read_to_string(report).unwrap();
            std::fs::write(report, format!("{text}\nA sentence added by edit {i}.\n")).unwrap();
            let change = content_change(report);
            let (path, bytes) = s
                .preview(&change)
                .unwrap_or_else(|| panic!("{name}: no preview for {}", report.display()));
            assert!(String::from_utf8_lossy(&bytes).contains(&format!("edit {i}.")));
            built(&s.update(&change));
            assert!(
                s.output()[&path][..] == bytes[..],
                "{name}: the preview of {} differs from the rebuilt {path}",
                report.display()
            );
        }
        assert_same(&mut s, root, name);

        // Not previewed: a new title (the navigation shows it), or an error.
        let report = &reports[0];
        let text = std::fs::read_to_string(report).unwrap();
        let retitled = text.replacen("title = \"", "title = \"Renamed ", 1);
        std::fs::write(report, &retitled).unwrap();
        assert!(
            s.preview(&content_change(report)).is_none(),
            "{name}: retitled"
        );
        std::fs::write(report, text.replacen("kind = \"highlight\"", "kind = 3", 1)).unwrap();
        assert!(
            s.preview(&content_change(report)).is_none(),
            "{name}: broken"
        );
    }
}

/// `serve`'s overlay shows the session's error diagnostics: they must be the errors `check`
/// prints, on every invalid fixture, with the same codes, places and messages.
#[test]
fn the_overlay_shows_the_same_errors_as_check_on_every_invalid_fixture() {
    let invalid = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&invalid)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("boardpack.toml").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() > 20, "{cases:?}");
    // And a file with more problems than check shows of one file (MAX_PER_FILE, 100).
    let crowded = site("two-periods");
    let mut text = String::from("+++\nkind = \"page\"\ntitle = \"Crowded\"\n");
    for i in 0..150 {
        text.push_str(&format!("unknown_{i} = 1\n"));
    }
    text.push_str("+++\nBody.\n");
    std::fs::create_dir_all(crowded.path().join("content/pages")).unwrap();
    std::fs::write(crowded.path().join("content/pages/crowded.md"), text).unwrap();
    cases.push(crowded.path().to_path_buf());
    let key = |file: Option<String>, line, column, code: String, message: String| {
        format!(
            "{}:{line}:{column} {code}: {message}",
            file.unwrap_or_default()
        )
    };
    for case in &cases {
        let (_, diags) = crate::common::check_json(case, &[]);
        let from_check: Vec<String> = diags
            .into_iter()
            .filter(|d| d.severity == "error")
            .map(|d| key(d.file, d.line, d.column, d.code, d.message))
            .collect();
        let mut session = Session::new(case);
        let from_session: Vec<String> = match session.update(&SourceChanges::everything()) {
            Outcome::Failed { diagnostics, .. } => diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| {
                    let (line, column) = d.line_col().unwrap_or((0, 0));
                    let json = serde_json::to_value(d.to_json()).unwrap();
                    key(
                        json["file"].as_str().map(str::to_string),
                        line,
                        column,
                        d.problem.code().to_string(),
                        json["message"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        assert_eq!(from_session, from_check, "{}", case.display());
    }
}

/// The public site as `build` renders it, drafts included as `serve` shows them.
fn full_public(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let (loaded, _) = boardpack::site::load_with(
        root,
        boardpack::content::Drafts::Include,
        boardpack::content::exempt::Audience::Public,
    )
    .unwrap();
    let rendered = crate::common::render_in_memory(&loaded).unwrap();
    rendered.files.into_iter().collect()
}

#[test]
fn serve_shows_members_by_default_and_the_public_view_on_request_through_every_edit() {
    let dir = site("exempt");
    let root = dir.path();
    let mut members = Session::new(root);
    built(&members.update(&SourceChanges::everything()));
    assert_same(&mut members, root, "members, first build");
    let page = |s: &Session| {
        String::from_utf8(s.output()["budget/2009-10-q2/index.html"].to_vec()).unwrap()
    };
    assert!(page(&members).contains("EXEMPT – not for publication"));

    let mut public = Session::new(root);
    public.set_audience(boardpack::content::exempt::Audience::Public);
    built(&public.update(&SourceChanges::everything()));
    let same_as_build = |s: &mut Session, step: &str| {
        s.refresh_search();
        let (a, b) = (output(s), full_public(root));
        let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        let differ: Vec<&&String> = keys.iter().filter(|k| a.get(**k) != b.get(**k)).collect();
        assert!(
            differ.is_empty(),
            "{step}: {differ:?} differ from a public build"
        );
    };
    same_as_build(&mut public, "public, first build");
    assert!(!page(&public).contains("ZQX"));

    // Edit an exempt line's figures, then make a public line exempt: the public view follows
    // each edit as a fresh build would, and never shows the exempt line.
    let budget = root.join("content/2009-10-q2/budget.md");
    let text = std::fs::read_to_string(&budget).unwrap();
    std::fs::write(&budget, text.replace("45,678.91", "46,000")).unwrap();
    built(&public.update(&content_change(&budget)));
    same_as_build(&mut public, "an exempt figure edited");
    let text = std::fs::read_to_string(&budget).unwrap();
    let text = text.replace(
        "title = \"Premises\"",
        "title = \"ZQX-NEWLY-EXEMPT premises\"\nexempt = { paragraph = 3, reason = \"r\" }",
    );
    std::fs::write(&budget, text).unwrap();
    built(&public.update(&content_change(&budget)));
    same_as_build(&mut public, "a line made exempt");
    assert!(!page(&public).contains("ZQX"));
    built(&members.update(&content_change(&budget)));
    assert!(page(&members).contains("ZQX-NEWLY-EXEMPT"));
}

/// Editing a free page re-renders the home page, which lays out the latest period's summary
/// without its reports: the period's workbook of every table is kept, not dropped or made
/// from the period page's tables alone.
#[test]
fn a_free_page_edit_keeps_the_latest_period_workbook() {
    let dir = site("two-periods");
    let root = dir.path();
    let page = root.join("content/about.md");
    let text = "+++\nkind = \"page\"\ntitle = \"About\"\n+++\nAbout the board.\n";
    std::fs::write(&page, text).unwrap();
    let mut s = Session::new(root);
    built(&s.update(&SourceChanges::everything()));
    let workbooks = |s: &Session| -> BTreeMap<String, Vec<u8>> {
        (output(s).into_iter())
            .filter(|(k, _)| k.ends_with("-tables.ods"))
            .collect()
    };
    let before = workbooks(&s);
    assert!(before.len() >= 2, "{:?}", before.keys());
    std::fs::write(&page, format!("{text}\nOne more sentence.\n")).unwrap();
    built(&s.update(&content_change(&page)));
    assert!(workbooks(&s) == before, "a workbook went or changed");
    assert_same(&mut s, root, "free page edit");
}
