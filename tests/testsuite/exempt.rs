//! Exempt information and the two audiences: a site with exempt material in every kind and
//! part, in a real git repository, built for the public and for members, and every file of
//! each output scanned (HTML text and attributes, JSON values, CSV cells, the search index and
//! file names) for the exempt items' words and figures; then what `check` says of exempt items.

use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::Html;

use crate::common::{boardpack, check_json, copy_dir, fixture, page, run, sel, text, warning};

/// Every exempt string of the `exempt` fixture: each item's text starts `ZQX`, and its figures
/// as the site would print them (whole pounds, grouped or not; an indicator's 4321.5 as it is)
/// and as downloads hold them.
const SECRETS: &[&str] = &[
    "ZQX", "zqx", "87,654", "87654", "45,679", "45678", "4321", "11,111",
];

/// Run git in `dir` as `author`, with no user or system configuration.
fn git(dir: &Path, args: &[&str], author: &str, date: &str) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_AUTHOR_EMAIL", "a@example.org")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_NAME", author)
        .env("GIT_COMMITTER_EMAIL", "ci@example.org")
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git is installed (scripts/test installs it)");
    assert!(out.status.success(), "git {args:?}");
}

/// The `exempt` fixture in a repository of two commits: the first with the exempt depot line's
/// and the public staff line's approved budgets at earlier values (11,111.11 and 59,000), the
/// second as the fixture has them, so that both lines have a history.
fn repository(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    copy_dir(&fixture("exempt"), &site);
    let budget = site.join("content/2009-10-q2/budget.md");
    let now = std::fs::read_to_string(&budget).unwrap();
    let before = now
        .replace("approved = \"87,654.32\"", "approved = \"11,111.11\"")
        .replace("approved = \"61,234\"", "approved = \"59,000\"")
        .replace("188,999.32", "171,222.11");
    std::fs::write(&budget, &before).unwrap();
    git(dir, &["init", "-q"], "Setup", "2009-10-01T09:00:00+01:00");
    git(dir, &["add", "-A"], "Setup", "2009-10-01T09:00:00+01:00");
    git(
        dir,
        &["commit", "-qm", "Q2 first draft"],
        "Ann Author",
        "2009-10-05T09:00:00+01:00",
    );
    std::fs::write(&budget, &now).unwrap();
    git(
        dir,
        &["commit", "-qam", "Q2 figures"],
        "Bob Builder",
        "2009-10-20T09:00:00+01:00",
    );
    site
}

fn build(site: &Path, out: &Path, audience: &str) {
    let r = run(boardpack()
        .env_remove("BOARDPACK_NO_HISTORY")
        .arg("--root")
        .arg(site)
        .args(["-q", "build", "--audience", audience, "--output"])
        .arg(out));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// Every piece of text a reader, a crawler or a program could get from a file: its name, its
/// bytes as text, and decoded, the text and attribute values of HTML and every string and
/// number of JSON.
fn readable(rel: &str, bytes: &[u8]) -> Vec<String> {
    let raw = String::from_utf8_lossy(bytes).into_owned();
    let mut out = vec![rel.to_string(), raw.clone()];
    if rel.ends_with(".html") {
        let doc = Html::parse_document(&raw);
        for node in doc.root_element().descendants() {
            if let Some(t) = node.value().as_text() {
                out.push(t.to_string());
            }
            if let Some(e) = node.value().as_element() {
                out.extend(e.attrs().map(|(_, v)| v.to_string()));
            }
        }
    }
    if rel.ends_with(".ods") {
        // A zip: its compressed bytes hide their text, so each entry is read out whole, as
        // the XML a spreadsheet reads.
        for (name, entry) in crate::ods::unzip(bytes) {
            out.push(name);
            out.push(String::from_utf8_lossy(&entry).into_owned());
        }
    }
    if rel.starts_with("search/pagefind/") && !rel.ends_with(".js") && !rel.ends_with(".json") {
        // The search index's chunks are gzipped: read as the browser does.
        if bytes.starts_with(&[0x1f, 0x8b]) {
            out.push(String::from_utf8_lossy(&crate::common::unpagefind(bytes)).into_owned());
        }
    }
    if rel.ends_with(".json")
        && let Ok(v) = serde_json::from_slice::<serde_json::Value>(bytes)
    {
        fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::String(s) => out.push(s.clone()),
                serde_json::Value::Number(n) => out.push(n.to_string()),
                serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
                serde_json::Value::Object(o) => o.iter().for_each(|(k, x)| {
                    out.push(k.clone());
                    walk(x, out);
                }),
                _ => {}
            }
        }
        walk(&v, &mut out);
    }
    out
}

/// Every file under `out`, by its path relative to it.
fn files(out: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, base: &Path, acc: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, base, acc);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                acc.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut acc = Vec::new();
    walk(out, out, &mut acc);
    acc.sort();
    acc
}

/// Where each secret is found in `out`: (secret, file).
fn found(out: &Path) -> Vec<(&'static str, String)> {
    let mut hits = Vec::new();
    for (rel, bytes) in files(out) {
        // pagefind's compiled search code, the same for every site (the test below checks that
        // the public and members' copies are identical): its tables of digits would match a
        // secret figure.
        if rel.starts_with("search/pagefind/wasm.") {
            continue;
        }
        let texts = readable(&rel, &bytes);
        for s in SECRETS {
            if texts.iter().any(|t| t.contains(s)) {
                hits.push((*s, rel.clone()));
            }
        }
    }
    hits
}

#[test]
fn nothing_exempt_reaches_any_public_file_and_all_of_it_reaches_members() {
    let dir = tempfile::tempdir().unwrap();
    let site = repository(dir.path());
    let public = dir.path().join("public");
    let members = dir.path().join("members");
    build(&site, &public, "public");
    build(&site, &members, "members");

    assert_eq!(
        found(&public),
        Vec::new(),
        "exempt material in the public output"
    );
    for wasm in ["wasm.en.pagefind", "wasm.unknown.pagefind"] {
        let rel = Path::new("search/pagefind").join(wasm);
        let public = std::fs::read(public.join(&rel)).unwrap();
        assert!(
            public == std::fs::read(members.join(&rel)).unwrap(),
            "{wasm}"
        );
    }
    let in_members = found(&members);
    for s in SECRETS {
        assert!(
            in_members.iter().any(|(x, _)| x == s),
            "{s} is not in the members' output: the scan would not see it either"
        );
    }
    // The members' spreadsheets hold exempt text, so the scan of the public ones can see it.
    assert!(
        in_members.iter().any(|(_, f)| f.ends_with(".ods")),
        "no exempt material in any members' ODS file: {in_members:?}"
    );
    assert!(
        files(&public).iter().any(|(f, _)| f.ends_with(".ods")),
        "the public build has ODS files to scan"
    );
    // Each exempt item's own words, in the members' view.
    let all: String = files(&members)
        .into_iter()
        .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
        .collect();
    for item in [
        "ZQX-ACTIVITY-TITLE",
        "ZQX-OBJECTIVE-TITLE",
        "ZQX-RISK-TITLE",
        "ZQX-ISSUE-TITLE",
        "ZQX-LINE-TITLE",
        "ZQX-NOTE-TEXT",
        "ZQX-INDICATOR-TITLE",
        "ZQX-ACTION-TITLE",
        "ZQX-BETA-LEAD",
        "ZQX-PAGE-BODY",
        "ZQX-REASON-LINE",
    ] {
        assert!(all.contains(item), "{item} missing from the members' view");
    }
    // The members' history has the exempt line's earlier value; the public's the staff line's.
    let history = |out: &Path| text_of(&page(out, "budget/2009-10-q2/index.html"), ".bp-history");
    assert!(
        history(&members).contains("11,111"),
        "{}",
        history(&members)
    );
    assert!(history(&public).contains("59,000"), "{}", history(&public));
    // An exempt report's stub says nothing of its file, not even who last changed it.
    let beta = "programmes/beta/2009-10-q2/index.html";
    assert_eq!(text_of(&page(&public, beta), ".bp-provenance"), "");
    assert!(text_of(&page(&members, beta), ".bp-provenance").contains("Ann Author"));
    // No exempt free page: its address would be its author's slug.
    assert!(!public.join("zqx-depot-sale").exists());
    assert!(members.join("zqx-depot-sale/index.html").exists());
}

fn text_of(doc: &Html, selector: &str) -> String {
    doc.select(&sel(selector))
        .map(text)
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn public_pages_show_stubs_members_pages_banners_and_totals_agree() {
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    let members = dir.path().join("members");
    build(&fixture("exempt"), &public, "public");
    build(&fixture("exempt"), &members, "members");

    let alpha = "programmes/alpha/2009-10-q2/index.html";
    let stubs = text_of(&page(&public, alpha), ".bp-withheld-row");
    for s in [
        "Activity: Exempt information: paragraph 3 of Schedule 12A.",
        "Property matter Exempt information: paragraph 3 of Schedule 12A.",
        "Issue Exempt information: paragraph 1 of Schedule 12A.",
    ] {
        assert!(stubs.contains(s), "{s:?} not in {stubs:?}");
    }
    let banners = text_of(&page(&members, alpha), ".bp-exempt");
    assert_eq!(
        banners.matches("EXEMPT – not for publication").count(),
        // The activity, the objective (its row has none; its section does), the risk and the
        // issue.
        4,
        "{banners}"
    );
    assert!(banners.contains("Paragraph 3 of Schedule 12A: ZQX-REASON-ACTIVITY"));
    assert!(banners.contains("Review by 31 March 2099"), "{banners}");

    // An exempt report: a stub in its place, with the public title the author chose.
    let beta = page(&public, "programmes/beta/2009-10-q2/index.html");
    assert_eq!(
        text_of(&beta, ".bp-withheld--report strong"),
        "Exempt information: paragraph 1 of Schedule 12A."
    );
    assert!(text_of(&beta, "h1").contains("Staffing matter"));

    // The budget total still includes the exempt line, in both views.
    let total = |out: &Path| {
        let doc = page(out, "budget/2009-10-q2/index.html");
        doc.select(&sel("tr"))
            .map(text)
            .find(|t| t.starts_with("Total expenditure") && !t.contains("as printed"))
            .unwrap()
    };
    assert!(total(&public).contains("188,999"), "{}", total(&public));
    assert_eq!(total(&public), total(&members));
    let budget = page(&public, "budget/2009-10-q2/index.html");
    assert!(text_of(&budget, ".bp-withheld-row").contains(
        "Exempt information: paragraph 3 of Schedule 12A. Its figures are included in the totals."
    ));
    // The exceptions the exempt items raise are the members' alone.
    let exceptions = |out: &Path| text_of(&page(out, "exceptions/index.html"), "main");
    assert!(exceptions(&members).contains("ZQX-LINE-TITLE"));
    assert!(!exceptions(&public).contains("ZQX"));
}

#[test]
fn public_pages_name_no_source_and_show_findings_only_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build(&fixture("exempt"), &out, "public");
    let alpha = "programmes/alpha/2009-10-q2/index.html";
    // The fixture's objective o1 states 50% against a computed 100%: a finding.
    assert!(
        page(&out, alpha)
            .select(&sel(".bp-findings"))
            .next()
            .is_none()
    );
    for (rel, bytes) in files(&out) {
        let t = String::from_utf8_lossy(&bytes);
        assert!(!t.contains(".md"), "{rel} names a source file");
    }

    let site = dir.path().join("site");
    copy_dir(&fixture("exempt"), &site);
    let config = site.join("boardpack.toml");
    let mut toml = std::fs::read_to_string(&config).unwrap();
    toml.push_str("\n[publish]\nfindings = \"show\"\n");
    std::fs::write(&config, toml).unwrap();
    let shown = dir.path().join("shown");
    build(&site, &shown, "public");
    let findings = text_of(&page(&shown, alpha), ".bp-findings li");
    assert!(
        findings.contains("objective o1 states 50% progress"),
        "{findings}"
    );
    assert!(!findings.contains("Line "), "{findings}");
    assert!(!findings.contains(".md"), "{findings}");

    let members = dir.path().join("members");
    build(&fixture("exempt"), &members, "members");
    let findings = text_of(&page(&members, alpha), ".bp-findings li");
    assert!(
        findings.contains("(Line 9 of 2009-10-q2/alpha.md.)"),
        "{findings}"
    );
}

#[test]
fn a_members_build_needs_an_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&fixture("exempt"), &site);
    let r = run(boardpack()
        .arg("--root")
        .arg(&site)
        .args(["build", "--audience", "members"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("needs --output"), "{}", r.stderr);
    assert!(!site.join("output").exists());
}

#[test]
fn the_schedule_in_force_names_the_stubs_and_bounds_the_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&fixture("exempt"), &site);
    let config = site.join("boardpack.toml");
    let mut toml = std::fs::read_to_string(&config).unwrap();
    toml.push_str("\n[exempt]\nschedule = \"scotland\"\n");
    std::fs::write(&config, toml).unwrap();
    let out = dir.path().join("out");
    build(&site, &out, "public");
    let stubs = text_of(
        &page(&out, "programmes/alpha/2009-10-q2/index.html"),
        ".bp-withheld-row",
    );
    assert!(stubs.contains("paragraph 3 of Schedule 7A"), "{stubs}");

    // Wales numbers its paragraphs 12 to 18: paragraph 3 is not one of them.
    let toml = std::fs::read_to_string(&config)
        .unwrap()
        .replace("scotland", "wales");
    std::fs::write(&config, toml).unwrap();
    let (code, diags) = check_json(&site, &[]);
    assert_eq!(code, 1);
    let messages: Vec<&str> = (diags.iter())
        .filter(|d| d.code == "exempt-paragraph")
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        messages.contains(
            &"paragraph 3 is not one of Schedule 12A's paragraphs of exempt information (12–18)"
        ),
        "{messages:?}"
    );
}

#[test]
fn check_questions_every_doubtful_exemption_where_it_is_written() {
    let root = fixture("invalid/exempt-problems");
    let run_at = |epoch: &str| {
        let r = run(boardpack()
            .env("SOURCE_DATE_EPOCH", epoch)
            .arg("--root")
            .arg(&root)
            .args(["check", "--format", "json"]));
        let diags: Vec<crate::common::Diag> = serde_json::from_str(&r.stdout).unwrap();
        (r.code, diags)
    };
    // 1 January 2010: the report's review date (31 March 2010) is still to come.
    let (code, diags) = run_at("1262304000");
    assert_eq!(code, 1);
    let help_free: Vec<_> = diags
        .into_iter()
        .map(|mut d| {
            d.help = None;
            d
        })
        .collect();
    let budget = "content/2009-10-q2/budget.md";
    let about = "content/pages/about.md";
    let linked = "a public document links to `2009-10-q2/alpha.md`, which is exempt";
    assert_eq!(
        help_free,
        [
            crate::common::error(
                budget,
                21,
                24,
                "exempt-paragraph",
                "paragraph 9 is not one of Schedule 12A's paragraphs of exempt information (1–7)"
            ),
            warning(
                budget,
                34,
                10,
                "exempt-derivable",
                "exempt budget line depot is the only one beside one published line in group \
                 property: its figures are the group total less that line"
            ),
            warning(
                budget,
                34,
                10,
                "exempt-no-reason",
                "exempt budget line has no reason"
            ),
            warning(
                budget,
                40,
                10,
                "exempt-repeated",
                "the exempt note \"Legal fees for the depot sale\" is published word for word \
                 in content/pages/about.md"
            ),
            warning(about, 5, 6, "exempt-linked", linked),
            warning(about, 5, 58, "exempt-linked", linked),
        ]
    );
    // 1 January 2011: the review date has passed.
    let (_, diags) = run_at("1293840000");
    let review = diags
        .iter()
        .find(|d| d.code == "exempt-review-passed")
        .expect("a passed review is reported");
    assert_eq!(
        (review.file.as_deref(), review.line, review.column),
        (Some("content/2009-10-q2/alpha.md"), 7, 83)
    );
    assert_eq!(
        review.message,
        "exempt document was due for review on 2010-03-31: consider releasing it"
    );
}

#[test]
fn a_consistent_exempt_site_has_no_exempt_findings() {
    let (code, diags) = check_json(&fixture("exempt"), &[]);
    assert_eq!(code, 0, "{diags:?}");
    assert!(
        diags.iter().all(|d| !d.code.starts_with("exempt-")),
        "{diags:?}"
    );
}

#[test]
fn the_example_boards_public_site_names_no_source_even_with_its_findings_shown() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&root.join("content"), &site.join("content"));
    let mut toml = std::fs::read_to_string(root.join("boardpack.toml")).unwrap();
    toml.push_str("\n[publish]\nfindings = \"show\"\n");
    std::fs::write(site.join("boardpack.toml"), toml).unwrap();
    let out = dir.path().join("out");
    build(&site, &out, "public");
    let findings = text_of(
        &page(&out, "programmes/improving-practice/2009-10-q2/index.html"),
        ".bp-findings li",
    );
    assert!(findings.contains("budget status as green"), "{findings}");
    for (rel, bytes) in files(&out) {
        let t = String::from_utf8_lossy(&bytes);
        for source in [".md", "content/"] {
            assert!(!t.contains(source), "{rel} names a source ({source})");
        }
    }
}

#[test]
fn an_exempt_risk_repeated_in_its_own_reports_narrative_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&root.join("content"), &dir.path().join("content"));
    std::fs::copy(
        root.join("boardpack.toml"),
        dir.path().join("boardpack.toml"),
    )
    .unwrap();
    let file = dir.path().join("content/2009-10-q2/improving-delivery.md");
    let text = std::fs::read_to_string(&file).unwrap();
    // The paper's own words, wrapped over two lines and in another case.
    let text = text.replace(
        "- Pension fund advisers' findings (exempt: see the risk register).",
        "- CONTENT of Pension’s advisors findings and recommendations\n  communicated to the press/public.",
    );
    std::fs::write(&file, text).unwrap();
    let (_, diags) = check_json(dir.path(), &[]);
    let repeated: Vec<_> = diags
        .iter()
        .filter(|d| d.code == "exempt-repeated")
        .collect();
    assert_eq!(repeated.len(), 1, "{repeated:?}");
    assert_eq!(
        repeated[0].file.as_deref(),
        Some("content/2009-10-q2/improving-delivery.md")
    );
    // The board as committed rewords it, and has none.
    let (_, diags) = check_json(&root, &[]);
    assert!(diags.iter().all(|d| d.code != "exempt-repeated"));
}
