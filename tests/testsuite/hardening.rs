//! Hardening (issue 7): what real authors put in `content/`.
//!
//! - Messy but legitimate input builds correctly: CRLF, byte-order marks, tabs, white space after
//!   the fences, non-ASCII names, empty sections, a report with no objectives, a programme in one
//!   period only, very long titles and tables, a thousand activities. Each builds through the
//!   binary and its HTML is parsed with `scraper`.
//! - Invalid input gives a located diagnostic (file, line, column, code, message), never a panic
//!   or a hang: invalid UTF-8, binary files, empty and huge files, deep nesting, duplicate keys,
//!   absurd money, impossible dates, percentages out of range, symlink loops, unreadable files and
//!   folders, file names that are not UTF-8.
//! - Unsafe input comes out inert: every front-matter string of every kind of document, and the
//!   configuration's, carries script, `javascript:` and attribute-breaking payloads through a
//!   whole build; no page gets a script, an event handler or a `javascript:` link from them, and
//!   the search index and any downloads hold them as plain, escaped text.
//! - A failed build leaves the previous output untouched.
//!
//! Sites are copied or generated into temporary folders; the fixtures are under
//! `tests/fixtures/messy/` and `tests/fixtures/hostile/`.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use boardpack::config::Config;
use boardpack::content::parse_document;
use boardpack::source::SourceFile;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value as Json;
use toml::de::{DeTable, DeValue};

use super::common::{Diag, Run, boardpack, check_json, fixture, repo_root, run, warning};

// ---- Sites in temporary folders -------------------------------------------------------------

/// A site in a temporary folder.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// A site with this configuration and no content yet.
    fn new(config: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("boardpack.toml"), config).unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        Self { dir }
    }

    /// A copy of a site's configuration and content: `src` is a site root.
    fn copy(src: &Path) -> Self {
        let site = Self::new(&std::fs::read_to_string(src.join("boardpack.toml")).unwrap());
        for e in walkdir::WalkDir::new(src.join("content")) {
            let e = e.unwrap();
            let to = site.root().join(e.path().strip_prefix(src).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(e.path(), &to).unwrap();
            }
        }
        site
    }

    /// A site with one programme, `p`, and no content yet: for the invalid cases.
    fn minimal() -> Self {
        Self::new(MINIMAL_CONFIG)
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn out(&self) -> PathBuf {
        self.root().join("out")
    }

    /// Write a file under the site root, creating folders.
    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Every document under `content/`, relative to the root.
    fn documents(&self) -> Vec<String> {
        let mut v: Vec<String> = walkdir::WalkDir::new(self.root().join("content"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| rel(self.root(), e.path()))
            .collect();
        v.sort();
        v
    }

    /// `boardpack build` into `out/`, asserting success; the pages are then read with `page`.
    fn build(&self) -> Built {
        let r = self.try_build();
        assert_eq!(r.code, 0, "build failed:\n{}\n{}", r.stdout, r.stderr);
        Built {
            out: self.out(),
            _site: None,
        }
    }

    /// `build`, keeping the site (and so its output) for as long as the result lives.
    fn built(self) -> Built {
        let mut b = self.build();
        b._site = Some(self);
        b
    }

    fn try_build(&self) -> Run {
        run(boardpack()
            .env_remove("RAYON_NUM_THREADS")
            .arg("--root")
            .arg(self.root())
            .args(["-q", "build", "--output"])
            .arg(self.out()))
    }

    /// `check --format json`: exit code and diagnostics.
    fn check(&self) -> (i32, Vec<Diag>) {
        check_json(self.root(), &[])
    }
}

const MINIMAL_CONFIG: &str = "organisation = \"Test Council\"\ntitle = \"Test Board\"\n\n\
                              [[programmes]]\nid = \"p\"\ntitle = \"Programme\"\n";

/// A valid highlight report for programme `p` in 2009/10 Q2, with `front` added to its front
/// matter (before any table) and `tables` after it.
fn highlight(front: &str, tables: &str) -> String {
    format!(
        "+++\nkind = \"highlight\"\nprogramme = \"p\"\ntitle = \"Programme\"\n\
         period = \"2009/10 Q2\"\nlead = \"A. Lead\"\n{front}\n{tables}+++\nBody.\n"
    )
}

/// One activity table for objective tables.
fn activity(id: &str, due: &str, progress: &str) -> String {
    format!(
        "[[objectives.activities]]\nid = \"{id}\"\ntitle = \"Activity {id}\"\nkind = \"priority\"\n\
         due = {due}\nstatus = \"in progress\"\nprogress = {progress}\n\n"
    )
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap()
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A built site's output folder.
struct Built {
    out: PathBuf,
    /// The temporary site, when the output is inside it and owned here.
    _site: Option<Site>,
}

impl Built {
    fn page(&self, rel: &str) -> Html {
        let text =
            std::fs::read_to_string(self.out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        Html::parse_document(&text)
    }

    /// Every output file: path relative to the output folder → bytes.
    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        tree(&self.out)
    }

    /// Every page of the search index, as pagefind's fragments (JSON) hold it.
    fn search_index(&self) -> Json {
        Json::Array(crate::common::search_fragments(&self.out))
    }
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (rel(dir, e.path()), std::fs::read(e.path()).unwrap()))
        .collect()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// An element's text with white space collapsed.
fn text(e: ElementRef<'_>) -> String {
    collapse(&e.text().collect::<String>())
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn select_text(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css)).map(text).collect()
}

fn main_text(doc: &Html) -> String {
    text(doc.select(&sel("main")).next().expect("a <main>"))
}

/// The one diagnostic for `file`, asserted to be exactly at `line:column` with `code` and
/// `message`.
#[track_caller]
fn assert_diag(
    diags: &[Diag],
    file: &str,
    (line, column): (usize, usize),
    code: &str,
    message: &str,
) {
    let found = diags.iter().find(|d| {
        d.file.as_deref() == Some(file) && d.code == code && d.line == line && d.column == column
    });
    let Some(d) = found else {
        panic!("no {code} at {file}:{line}:{column} in:\n{diags:#?}");
    };
    assert_eq!(d.message, message, "{d:#?}");
    assert_eq!(d.severity, "error", "{d:#?}");
}

// ---- Messy but legitimate input ----------------------------------------------------------------

const MESSY_Q2: &str = "programmes/gaidhlig/2009-10-q2/index.html";

/// What every messy build must show; the CRLF and byte-order-mark variants are held to it too.
fn assert_messy_pages(built: &Built) {
    let q2 = built.page(MESSY_Q2);
    let h1 = select_text(&q2, "h1");
    assert_eq!(
        h1,
        ["Highlight report, 2009/10 Q2 Foghlam Gàidhlig – Àrd-sgoil"]
    );
    let main = main_text(&q2);
    assert!(
        main.contains("Siobhán O’Hagan, Ceannard – Foghlam"),
        "{main}"
    );
    assert!(
        main.contains("Dè tha ùr? £2,400 – Màiri NicIllEathain and Eòghann Mac a’ Phearsain"),
        "{main}"
    );
    // The Markdown body, after the closing fence with white space after it.
    assert_eq!(
        select_text(&q2, ".bp-prose h2"),
        ["Issues", "Next steps"],
        "the body is Markdown"
    );
    assert!(main.contains("Leanaidh sinn oirnn – we carry on. Tabbed text."));
    // Front matter indented with tabs: the objective and its activity are read.
    let status: Vec<String> = select_text(&q2, "table.bp-table--status tbody td");
    assert!(
        status
            .iter()
            .any(|c| c == "Clasaichean Gàidhlig do phàrantan"),
        "{status:?}"
    );
    let page = built.page("croeso/index.html");
    assert_eq!(
        select_text(&page, "h1"),
        ["Croeso – Fàilte: O’Hagan’s £5 guide"]
    );
    assert_eq!(
        select_text(&page, "main table td"),
        ["Gwenllïan", "Cadeirydd – Chair"]
    );
    assert!(main_text(&page).contains("Written by Siobhán O’Hagan – £5, 10–12 May."));
}

#[test]
fn the_messy_fixture_builds_with_its_tabs_and_white_space_after_the_fences() {
    let src = fixture("messy");
    let q2 = std::fs::read_to_string(src.join("content/2009-10-q2/gaidhlig.md")).unwrap();
    // The fixture really is messy: guard against an editor tidying it.
    assert!(
        q2.starts_with("+++ \n"),
        "white space after the opening fence"
    );
    assert!(
        q2.contains("\n+++  \t \n"),
        "white space after the closing fence"
    );
    assert!(
        q2.contains("\n\tid = \"o1\"\t\t#"),
        "tabs in the front matter"
    );
    assert!(q2.contains("carry on.\tTabbed"), "a tab in the body");
    let site = Site::copy(&src);
    let built = site.build();
    assert_messy_pages(&built);
}

#[test]
fn crlf_line_endings_in_front_matter_and_body_build_the_same_pages() {
    let lf = Site::copy(&fixture("messy")).built();
    let site = Site::copy(&fixture("messy"));
    let mut files = site.documents();
    files.push("boardpack.toml".into());
    for f in &files {
        let path = site.root().join(f);
        let t = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, t.replace('\n', "\r\n")).unwrap();
    }
    let crlf = site.build();
    assert_messy_pages(&crlf);
    // Same pages, text for text.
    let (a, b) = (lf.files(), crlf.files());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        if path.ends_with(".html") {
            let t = |b: &[u8]| main_text(&Html::parse_document(std::str::from_utf8(b).unwrap()));
            assert_eq!(t(bytes), t(&b[path]), "{path}");
        }
    }
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let site = Site::copy(&fixture("messy"));
    let mut files = site.documents();
    files.push("boardpack.toml".into());
    for f in files {
        let path = site.root().join(&f);
        let t = std::fs::read_to_string(&path).unwrap();
        // And CRLF with it, as Windows Notepad saves.
        std::fs::write(&path, format!("\u{feff}{}", t.replace('\n', "\r\n"))).unwrap();
    }
    let (code, diags) = site.check();
    assert_eq!((code, diags), (0, vec![]));
    assert_messy_pages(&site.build());
}

#[test]
fn non_ascii_titles_and_names_reach_every_output_intact() {
    let built = Site::copy(&fixture("messy")).built();
    let q2 = built.page(MESSY_Q2);
    let title = select_text(&q2, "title").join("");
    assert!(title.contains("Foghlam Gàidhlig – Àrd-sgoil"), "{title}");
    let org = select_text(&q2, ".bp-header__organisation").join("");
    assert_eq!(org, "Comhairle nan Eilean Siar – Cyngor Gwynedd");
    let welsh = built.page("programmes/cymraeg/2009-10-q2/index.html");
    assert!(main_text(&welsh).contains("Dafydd ap Gruffydd ac Ffion Llŷr"));
    assert!(main_text(&welsh).contains("Siân and Gwenllïan will propose them – £0 spent."));
    // The search index holds the same characters (JSON decodes them back exactly).
    let index = built.search_index().to_string();
    for name in ["Siobhán O’Hagan", "Llŷr", "£2,400", "Gàidhlig – Àrd-sgoil"] {
        assert!(index.contains(name), "{name} in the search index");
    }
}

#[test]
fn empty_narrative_sections_are_left_out() {
    let src = fixture("messy");
    let q2 = std::fs::read_to_string(src.join("content/2009-10-q2/gaidhlig.md")).unwrap();
    for blank in [
        "completed = \"\"",
        "outstanding = \"\"",
        "risk_update = \"\"\"\n\"\"\"",
        "issues_update = \"   \"",
        "priority_deliverables = []",
    ] {
        assert!(q2.contains(blank), "the fixture has {blank}");
    }
    let built = Site::copy(&src).built();
    let page = built.page(MESSY_Q2);
    let objective = page
        .select(&sel("section.bp-objective"))
        .next()
        .expect("the objective is shown");
    // Only the objective's title and its summary list: no heading for a blank section.
    let headings: Vec<String> = objective.select(&sel("h4")).map(text).collect();
    assert_eq!(headings, Vec::<String>::new(), "{}", objective.html());
    for prose in objective.select(&sel(".bp-prose")) {
        assert!(
            !text(prose).is_empty(),
            "an empty prose block: {}",
            prose.html()
        );
    }
}

#[test]
fn a_report_with_no_objectives_yet_builds() {
    let built = Site::copy(&fixture("messy")).built();
    let page = built.page("programmes/cymraeg/2009-10-q2/index.html");
    assert_eq!(page.select(&sel("h1")).count(), 1);
    assert_eq!(page.select(&sel("table.bp-table--status")).count(), 0);
    assert_eq!(page.select(&sel("section.bp-objective")).count(), 0);
    assert!(main_text(&page).contains("No objectives have been set yet"));
    // It is still in its board pack.
    let pack = built.page("periods/2009-10-q2/index.html");
    let links: Vec<&str> = pack
        .select(&sel("main a[href]"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        links.contains(&"/programmes/cymraeg/2009-10-q2/"),
        "{links:?}"
    );
}

#[test]
fn a_programme_in_one_period_only_builds() {
    let built = Site::copy(&fixture("messy")).built();
    let programme = built.page("programmes/once/index.html");
    let rows = select_text(&programme, "main table.bp-table--reports tbody tr th");
    assert_eq!(rows, ["2009/10 Q1"]);
    let q1 = built.page("periods/2009-10-q1/index.html");
    let q2 = built.page("periods/2009-10-q2/index.html");
    let hrefs = |doc: &Html| -> Vec<String> {
        doc.select(&sel("main a[href]"))
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect()
    };
    assert!(hrefs(&q1).contains(&"/programmes/once/2009-10-q1/".to_string()));
    assert!(
        !hrefs(&q2)
            .iter()
            .any(|h| h.starts_with("/programmes/once/"))
    );
    let report = built.page("programmes/once/2009-10-q1/index.html");
    assert!(main_text(&report).contains("Hand over to business as usual"));
}

#[test]
fn very_long_titles_and_tables_build() {
    let site = Site::minimal();
    // 5,000 characters without a space, and a long title with spaces.
    let word = "Supercalifragilistic".repeat(250);
    let long = "A very long objective title – ".repeat(100);
    let mut body = String::from("| Line | Approved | Actual | Note |\n| --- | --: | --: | --- |\n");
    for i in 0..500 {
        body.push_str(&format!(
            "| Line {i} | £{i},000 | £{i},500 | {} |\n",
            "note ".repeat(20)
        ));
    }
    let mut doc = highlight(
        "",
        &format!("[[objectives]]\nid = \"o1\"\ntitle = \"{long}\"\n\n"),
    );
    doc = doc.replace("title = \"Programme\"", &format!("title = \"{word}\""));
    doc = doc.replace("Body.\n", &body);
    site.write("content/2009-10-q2/p.md", doc);
    let built = site.build();
    let page = built.page("programmes/p/2009-10-q2/index.html");
    assert_eq!(
        select_text(&page, "h1"),
        [format!("Highlight report, 2009/10 Q2 {word}")]
    );
    let objective = select_text(&page, "section.bp-objective h3");
    assert_eq!(objective, [format!("Objective 1: {}", long.trim())]);
    let rows = page.select(&sel(".bp-prose table tbody tr")).count();
    assert_eq!(rows, 500);
    let last = select_text(&page, ".bp-prose table tbody tr:last-child td");
    assert_eq!(last[..3], ["Line 499", "£499,000", "£499,500"]);
}

#[test]
fn a_thousand_activities_in_one_report_build() {
    let site = Site::minimal();
    let mut tables = String::new();
    for o in 0..10 {
        tables.push_str(&format!(
            "[[objectives]]\nid = \"o{o}\"\ntitle = \"Objective {o}\"\n\n"
        ));
        for a in 0..100 {
            tables.push_str(&activity(
                &format!("o{o}-a{a}"),
                "2010-03-31",
                &format!("{}", a),
            ));
        }
    }
    site.write("content/2009-10-q2/p.md", highlight("", &tables));
    let started = Instant::now();
    let built = site.build();
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(60),
        "a 1,000-activity build took {took:?}"
    );
    let page = built.page("programmes/p/2009-10-q2/index.html");
    let rows = page.select(&sel("table.bp-table--status tbody tr")).count();
    assert_eq!(rows, 1000, "one row per activity");
    let cells: Vec<String> = select_text(&page, "table.bp-table--status tbody td")
        .into_iter()
        .filter(|c| c.starts_with("Activity "))
        .collect();
    assert_eq!(cells.len(), 1000);
    assert_eq!(cells.first().map(String::as_str), Some("Activity o0-a0"));
    assert_eq!(cells.last().map(String::as_str), Some("Activity o9-a99"));
}

// ---- Invalid input: located diagnostics --------------------------------------------------------

const REPORT: &str = "content/2009-10-q2/p.md";

#[test]
fn invalid_utf8_is_located_at_the_first_bad_byte() {
    let site = Site::minimal();
    let mut bytes = b"+++\nkind = \"page\"\ntitle = \"Caf".to_vec();
    let offset = bytes.len();
    bytes.extend(b"\xe9 au lait\"\n+++\n");
    site.write("content/pages/latin1.md", bytes);
    let (code, diags) = site.check();
    assert_eq!(code, 1);
    assert_diag(
        &diags,
        "content/pages/latin1.md",
        (3, 13),
        "invalid-utf8",
        &format!("the file is not valid UTF-8 (first bad byte at offset {offset})"),
    );
    assert_eq!(diags.len(), 1, "{diags:#?}");
}

#[test]
fn a_binary_file_named_md_is_reported_as_binary() {
    let site = Site::minimal();
    // A PNG's signature and header: invalid UTF-8 at the first byte.
    site.write(
        "content/pages/photo.md",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0",
    );
    // A zip's signature: valid UTF-8 up to its first NUL byte.
    site.write(
        "content/pages/report.md",
        b"PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0",
    );
    let (code, diags) = site.check();
    assert_eq!(code, 1);
    assert_diag(
        &diags,
        "content/pages/photo.md",
        (1, 1),
        "binary-file",
        "the file is binary, not text (a NUL byte at offset 0)",
    );
    assert_diag(
        &diags,
        "content/pages/report.md",
        (1, 6),
        "binary-file",
        "the file is binary, not text (a NUL byte at offset 5)",
    );
    assert_eq!(diags.len(), 2, "{diags:#?}");
}

#[test]
fn a_zero_byte_file_is_reported_as_empty() {
    let site = Site::minimal();
    site.write(REPORT, b"");
    let (code, diags) = site.check();
    assert_eq!(code, 1);
    assert_diag(&diags, REPORT, (1, 1), "empty-file", "the file is empty");
    assert_eq!(diags.len(), 1, "{diags:#?}");
}

/// The loader's bound: `content::MAX_FILE_BYTES`.
const LIMIT: u64 = 16 * 1024 * 1024;

#[test]
fn a_50_mb_file_is_refused_without_reading_it() {
    assert_eq!(boardpack::content::MAX_FILE_BYTES, LIMIT);
    let site = Site::minimal();
    site.write(REPORT, highlight("", ""));
    // 50 MB: a real file of front matter followed by text, written once.
    let big = site.write(
        "content/pages/big.md",
        b"+++\nkind = \"page\"\ntitle = \"Big\"\n+++\n",
    );
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().append(true).open(&big).unwrap();
        let line = "All work and no play makes a dull board paper. ".repeat(20) + "\n";
        let chunk = line.repeat(1024);
        while f.metadata().unwrap().len() < 50 * 1000 * 1000 {
            f.write_all(chunk.as_bytes()).unwrap();
        }
    }
    let size = std::fs::metadata(&big).unwrap().len();
    let started = Instant::now();
    let (code, diags) = site.check();
    let took = started.elapsed();
    assert_eq!(code, 1);
    assert_diag(
        &diags,
        "content/pages/big.md",
        (1, 1),
        "unreadable",
        &format!(
            "the file could not be read: it is {size} bytes, more than the {LIMIT}-byte limit \
             for a document"
        ),
    );
    assert_eq!(diags.len(), 1, "{diags:#?}");
    // Checking 50 MB of text would take far longer than refusing it.
    assert!(took < Duration::from_secs(10), "check took {took:?}");
    // And the build is refused, writing nothing.
    let r = site.try_build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!site.out().exists());
}

#[test]
fn a_file_just_over_the_limit_is_refused_and_one_at_it_is_read() {
    let site = Site::minimal();
    let head = "+++\nkind = \"page\"\ntitle = \"Edge\"\n+++\n";
    let at = format!("{head}{}", "x".repeat(LIMIT as usize - head.len()));
    assert_eq!(at.len() as u64, LIMIT);
    site.write("content/pages/at.md", &at);
    site.write("content/pages/over.md", format!("{at}y"));
    let (code, diags) = site.check();
    assert_eq!(code, 1);
    assert_diag(
        &diags,
        "content/pages/over.md",
        (1, 1),
        "unreadable",
        &format!(
            "the file could not be read: it is {} bytes, more than the {LIMIT}-byte limit for a \
             document",
            LIMIT + 1
        ),
    );
    assert_eq!(diags.len(), 1, "at the limit is fine: {diags:#?}");
}

#[test]
fn deeply_nested_front_matter_is_an_error_not_a_stack_overflow() {
    let site = Site::minimal();
    let n = 10_000;
    let arrays = format!("deep = {}1{}\n", "[".repeat(n), "]".repeat(n));
    let tables = format!("deep = {}1{}\n", "{ a = ".repeat(n), " }".repeat(n));
    let dotted = format!("{} = 1\n", vec!["a"; n].join("."));
    let headers = format!("[{}]\nx = 1\n", vec!["a"; n].join("."));
    for (name, front) in [
        ("arrays", &arrays),
        ("tables", &tables),
        ("dotted", &dotted),
        ("headers", &headers),
    ] {
        let file = format!("content/pages/{name}.md");
        site.write(
            &file,
            format!("+++\nkind = \"page\"\ntitle = \"Deep\"\n{front}+++\n"),
        );
    }
    let (code, diags) = site.check();
    assert_eq!(code, 1, "{diags:#?}");
    for name in ["arrays", "tables", "dotted", "headers"] {
        let file = format!("content/pages/{name}.md");
        let d = diags
            .iter()
            .find(|d| d.file.as_deref() == Some(file.as_str()) && d.code == "toml")
            .unwrap_or_else(|| panic!("no TOML error for {name}: {diags:#?}"));
        // The parser gives no position for the depth limit in keys: the diagnostic points at
        // the start of the front matter. For values it points at the line.
        let line = if matches!(name, "dotted" | "headers") {
            2
        } else {
            4
        };
        assert_eq!(d.line, line, "{name}: {d:#?}");
        assert!(
            d.message == "invalid TOML: cannot recurse further; max recursion depth met"
                || d.message == "invalid TOML: recursion limit",
            "{name}: {d:#?}"
        );
    }
    // Directly, on this thread's stack as well.
    let text = format!("+++\nkind = \"page\"\ntitle = \"Deep\"\n{arrays}+++\n");
    let (doc, diags) = parse_document(SourceFile::new("d.md", "d.md", text), "d.md");
    assert!(doc.is_none());
    assert!(diags.iter().any(|d| d.problem.code() == "toml"));
}

/// An `<img>` without `alt` in a body is a WCAG 1.1.1 failure on the published page: `check`
/// says where, as a warning (the build still runs; `--deny-warnings` fails it).
#[test]
fn a_raw_image_without_alt_text_is_located() {
    let site = Site::minimal();
    site.write(
        "content/pages/images.md",
        "+++\nkind = \"page\"\ntitle = \"Images\"\n+++\nA chart: ![Spend by quarter](c.png), a rule ![](r.png).\n\n\
         <div>\n  <img src=\"logo.png\"\n       width=\"20\">\n</div>\n\nInline <img src=\"x.png\" alt=\"\"> and <IMG SRC=y.png>.\n",
    );
    let (code, mut diags) = site.check();
    assert_eq!(code, 0, "{diags:#?}");
    // The images' files are not in the site either: `broken-link`, tested in links.rs.
    diags.retain(|d| d.code != "broken-link");
    let message = "an image has no alt text, so screen readers read out its file name";
    let help = "add alt=\"…\" saying what the image shows, or alt=\"\" if it is only decoration (WCAG 1.1.1)";
    let file = "content/pages/images.md";
    assert_eq!(
        diags,
        [
            warning(file, 8, 3, "image-alt", message).with_help(help),
            warning(file, 12, 37, "image-alt", message).with_help(help),
        ]
    );
    let (code, _) = check_json(site.root(), &["--deny-warnings"]);
    assert_eq!(code, 1);
    site.build();
}

#[test]
fn deeply_nested_markdown_and_html_are_refused_before_rendering() {
    // The sanitiser's cost grows with the square of the depth: unbounded, these took minutes.
    let site = Site::minimal();
    let quotes = format!("Intro.\n\n{}x\n", "> ".repeat(50_000));
    site.write(
        "content/pages/quotes.md",
        format!("+++\nkind = \"page\"\ntitle = \"Q\"\n+++\n{quotes}"),
    );
    let divs = format!("{}x{}", "<div>".repeat(50_000), "</div>".repeat(50_000));
    let tables = format!("[[objectives]]\nid = \"o1\"\ntitle = \"T\"\ncompleted = \"{divs}\"\n");
    site.write(REPORT, highlight("", &tables));
    let started = Instant::now();
    let (code, diags) = site.check();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(code, 1);
    let message = "the text nests more than 100 levels deep";
    // The body: at the 101st `> `, on line 7.
    assert_diag(
        &diags,
        "content/pages/quotes.md",
        (7, 201),
        "too-deep",
        message,
    );
    // A narrative field: at its value.
    assert_diag(&diags, REPORT, (11, 13), "too-deep", message);
    assert_eq!(diags.len(), 2, "{diags:#?}");
    // A hundred levels is allowed, and builds.
    let site = Site::minimal();
    let fine = format!("{}x{}", "<span>".repeat(90), "</span>".repeat(90));
    site.write(
        "content/pages/fine.md",
        format!("+++\nkind = \"page\"\ntitle = \"F\"\n+++\n{fine}\n"),
    );
    site.build();
}

#[test]
fn duplicate_keys_are_located_at_the_second() {
    let site = Site::minimal();
    site.write(
        REPORT,
        highlight(
            "lead = \"Someone else\"\n",
            "[[objectives]]\nid = \"o1\"\ntitle = \"T\"\ntitle = \"U\"\n",
        ),
    );
    site.write(
        "content/pages/inline.md",
        "+++\nkind = \"page\"\ntitle = \"x\"\nextra = { a = 1, a = 2 }\n+++\n",
    );
    let (code, diags) = site.check();
    assert_eq!(code, 1);
    let toml: Vec<&Diag> = diags.iter().filter(|d| d.code == "toml").collect();
    // `lead` again on line 7, the objective's `title` again on line 11, `a` in the inline table.
    assert_eq!(
        toml.iter()
            .map(|d| (d.file.as_deref().unwrap(), d.line, d.column))
            .collect::<Vec<_>>(),
        [
            (REPORT, 7, 1),
            (REPORT, 12, 1),
            ("content/pages/inline.md", 4, 18)
        ],
        "{diags:#?}"
    );
    for d in toml {
        assert!(d.message.contains("duplicate key"), "{d:#?}");
    }
}

#[test]
fn money_with_a_thousand_digits_is_refused() {
    let site = Site::minimal();
    let digits = "9".repeat(1000);
    let budget = format!(
        "+++\nkind = \"budget\"\ntitle = \"Budget\"\nperiod = \"2009/10 Q2\"\n\n\
         [[groups]]\nid = \"exp\"\ntitle = \"Expenditure\"\nkind = \"expenditure\"\n\n\
         [[lines]]\nid = \"l1\"\ntitle = \"Quoted\"\ngroup = \"exp\"\napproved = \"£{digits}\"\n\n\
         [[lines]]\nid = \"l2\"\ntitle = \"Bare\"\ngroup = \"exp\"\napproved = {digits}\n\n\
         [[lines]]\nid = \"l3\"\ntitle = \"Pence\"\ngroup = \"exp\"\napproved = \"1.{digits}\"\n+++\n"
    );
    site.write("content/2009-10-q2/budget.md", budget);
    let started = Instant::now();
    let (code, diags) = site.check();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(code, 1);
    let file = "content/2009-10-q2/budget.md";
    assert_diag(
        &diags,
        file,
        (15, 12),
        "invalid-money",
        &format!("money `£{digits}` cannot be read: it has more than 20 digits"),
    );
    assert_diag(
        &diags,
        file,
        (21, 12),
        "invalid-money",
        &format!("money `{digits}` cannot be read: it has more than 20 digits"),
    );
    assert_diag(
        &diags,
        file,
        (27, 12),
        "invalid-money",
        &format!("money `1.{digits}` cannot be read: it has more than 20 digits"),
    );
}

#[test]
fn dates_that_do_not_exist_are_located() {
    let site = Site::minimal();
    site.write(
        REPORT,
        highlight(
            "prepared = 2009-02-29\n",
            &format!(
                "[[objectives]]\nid = \"o1\"\ntitle = \"T\"\n\n{}",
                activity("a1", "2009-02-30", "5")
            ),
        ),
    );
    let (code, diags) = site.check();
    assert_eq!(code, 1);
    let dates: Vec<&Diag> = diags.iter().filter(|d| d.code == "invalid-date").collect();
    assert_eq!(
        dates.iter().map(|d| (d.line, d.column)).collect::<Vec<_>>(),
        [(7, 12), (17, 7)],
        "{diags:#?}"
    );
    for d in &dates {
        assert_eq!(d.file.as_deref(), Some(REPORT));
        assert!(d.message.starts_with("invalid date: "), "{d:#?}");
    }
}

#[test]
fn percentages_outside_0_to_100_are_located() {
    let site = Site::minimal();
    let tables = format!(
        "[[objectives]]\nid = \"o1\"\ntitle = \"T\"\nstated_progress = 100.5\n\n{}{}{}",
        activity("a1", "2010-01-31", "101"),
        activity("a2", "2010-01-31", "-1"),
        activity("a3", "2010-01-31", "100"),
    );
    site.write(REPORT, highlight("stated_progress = -0.5\n", &tables));
    let (code, diags) = site.check();
    assert_eq!(code, 1);
    let expect = [
        ((7, 19), "stated_progress", "-0.5"),
        ((12, 19), "objectives[0].stated_progress", "100.5"),
        ((20, 12), "objectives[0].activities[0].progress", "101"),
        ((28, 12), "objectives[0].activities[1].progress", "-1"),
    ];
    for (at, key, value) in expect {
        let message = format!("`{key}` must be a percentage from 0 to 100, found {value}");
        assert_diag(&diags, REPORT, at, "percent-out-of-range", &message);
    }
    let count = diags
        .iter()
        .filter(|d| d.code == "percent-out-of-range")
        .count();
    assert_eq!(count, 4, "100 is in range: {diags:#?}");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_and_a_dangling_link_are_reported_not_followed_forever() {
    let site = Site::minimal();
    site.write(REPORT, highlight("", ""));
    std::os::unix::fs::symlink("..", site.root().join("content/2009-10-q2/loop")).unwrap();
    std::os::unix::fs::symlink("nowhere.md", site.root().join("content/2009-10-q2/gone.md"))
        .unwrap();
    let started = Instant::now();
    let (code, diags) = site.check();
    assert!(started.elapsed() < Duration::from_secs(10));
    // Neither link is followed, and nothing is lost by that: they are warnings.
    assert_eq!(code, 0, "{diags:#?}");
    let found: Vec<(&str, usize, usize, &str, &str, &str)> = diags
        .iter()
        .map(|d| {
            let file = d.file.as_deref().unwrap_or("");
            let (sev, code, msg) = (d.severity.as_str(), d.code.as_str(), d.message.as_str());
            (file, d.line, d.column, sev, code, msg)
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "content/2009-10-q2/gone.md",
                1,
                1,
                "warning",
                "link-dangling",
                "a symbolic link leads nowhere (to nowhere.md); not followed"
            ),
            (
                "content/2009-10-q2/loop",
                1,
                1,
                "warning",
                "link-loop",
                "a symbolic link leads back to a folder above it (to ..); not followed"
            ),
        ]
    );
    assert_eq!(diags.len(), 2, "{diags:#?}");
}

/// How to run `boardpack` so that file permissions apply: as is when not root, or as `nobody`
/// through `setpriv` when root (root reads everything whatever the mode). `None` when neither
/// can be done, after saying why.
#[cfg(unix)]
fn unprivileged(root: &Path) -> Option<std::process::Command> {
    let exe = assert_cmd::cargo::cargo_bin("boardpack");
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    let mut cmd = if is_root {
        let setpriv = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
            .status();
        if !setpriv.is_ok_and(|s| s.success()) {
            eprintln!("SKIPPED: running as root and `setpriv` cannot drop privileges here");
            return None;
        }
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(exe);
        c
    } else {
        std::process::Command::new(exe)
    };
    cmd.env("NO_COLOR", "1")
        .arg("--root")
        .arg(root)
        .args(["check", "--format", "json"]);
    Some(cmd)
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_and_folder_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::minimal();
    site.write(REPORT, highlight("", ""));
    let file = site.write(
        "content/pages/secret.md",
        "+++\nkind = \"page\"\ntitle = \"S\"\n+++\n",
    );
    site.write(
        "content/locked/inside.md",
        "+++\nkind = \"page\"\ntitle = \"L\"\n+++\n",
    );
    let locked = site.root().join("content/locked");
    // The temporary folder is private; let another user in to the site.
    for e in walkdir::WalkDir::new(site.root()) {
        let e = e.unwrap();
        let mode = if e.file_type().is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let Some(mut cmd) = unprivileged(site.root()) else {
        return;
    };
    let out = cmd.output().unwrap();
    // Let the temporary folder be removed.
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let diags: Vec<Diag> = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(out.status.code(), Some(1), "{diags:#?}");
    assert_diag(
        &diags,
        "content/pages/secret.md",
        (1, 1),
        "unreadable",
        "the file could not be read: Permission denied (os error 13)",
    );
    assert_diag(
        &diags,
        "content/locked",
        (1, 1),
        "unreadable",
        "the file could not be read: Permission denied (os error 13)",
    );
    assert_eq!(diags.len(), 2, "{diags:#?}");
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_reported() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let site = Site::minimal();
    let dir = site.root().join("content/pages");
    std::fs::create_dir_all(&dir).unwrap();
    let name = OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(dir.join(name), "+++\nkind = \"page\"\ntitle = \"C\"\n+++\n").unwrap();
    let (code, diags) = site.check();
    assert_eq!(code, 1);
    assert_diag(
        &diags,
        "content/pages/caf\u{fffd}.md",
        (1, 1),
        "unreadable",
        "the file could not be read: the file name is not valid UTF-8; rename it",
    );
    assert_eq!(diags.len(), 1, "{diags:#?}");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_called_md_does_not_hang_the_build() {
    let site = Site::minimal();
    site.write(REPORT, highlight("", ""));
    let fifo = site.root().join("content/pages/pipe.md");
    std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED: mkfifo is not available");
        return;
    }
    let started = Instant::now();
    let (code, diags) = site.check();
    assert!(started.elapsed() < Duration::from_secs(10));
    // Not a regular file: not a document, and never opened.
    assert_eq!((code, diags), (0, vec![]));
}

#[test]
fn a_file_of_endless_problems_is_cut_short_and_prints_quickly() {
    let site = Site::minimal();
    let mut front = String::from("+++\nkind = \"page\"\ntitle = \"Log\"\n");
    for i in 0..20_000 {
        front.push_str(&format!("key{i} = {i}\n"));
    }
    front.push_str("+++\n");
    site.write("content/pages/log.md", &front);
    let started = Instant::now();
    let (code, diags) = site.check();
    assert_eq!(code, 1);
    let max = boardpack::diagnostic::MAX_PER_FILE;
    assert_eq!(diags.len(), max + 1);
    assert!(diags[..max].iter().all(|d| d.code == "unknown-key"));
    assert_diag(
        &diags,
        "content/pages/log.md",
        (max + 4, 1),
        "too-many-problems",
        &format!("{} more problems in this file are not shown", 20_000 - max),
    );
    // The human-readable form, with a snippet for each, is as quick.
    let r = run(boardpack()
        .arg("--root")
        .arg(site.root())
        .args(["--color", "never", "check"]));
    assert_eq!(r.code, 1);
    let shown = format!("{} more problems in this file are not shown", 20_000 - max);
    assert!(r.stderr.contains(&shown), "{}", r.stderr);
    assert!(
        r.stderr.contains("content/pages/log.md:104:1"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("key19999"),
        "later problems are not printed"
    );
    let took = started.elapsed();
    assert!(took < Duration::from_secs(30), "took {took:?}");
}

#[test]
fn snippets_near_the_end_of_a_large_file_match_the_whole_file_rendering() {
    // The windowed source gives miette the same lines it would find by reading the whole text.
    let mut text = String::from("+++\nkind = \"page\"\ntitle = \"x\"\n");
    for i in 0..5000 {
        text.push_str(&format!("# comment {i}\r\n"));
    }
    text.push_str("titel = 1\n+++\nbody\n");
    let file = SourceFile::new("x.md", "content/x.md", text);
    let (_, diags) = parse_document(file, "x.md");
    let d = diags
        .iter()
        .find(|d| d.problem.code() == "unknown-key")
        .unwrap();
    let out = d.render(false);
    assert!(out.contains("content/x.md:5004:1"), "{out}");
    assert!(out.contains("5003 │ # comment 4999"), "{out}");
    assert!(out.contains("5004 │ titel = 1"), "{out}");
    assert!(out.contains("5005 │ +++"), "{out}");
}

#[test]
fn a_content_failure_mid_way_keeps_the_previous_output() {
    let site = Site::copy(&repo_root());
    let built = site.build();
    let before = built.files();
    assert!(before.len() > 10);
    // One bad file in the middle of the documents, by path order.
    let docs = site.documents();
    let middle = &docs[docs.len() / 2];
    let path = site.root().join(middle);
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.len() / 2;
    bytes.insert(at, 0xff);
    std::fs::write(&path, bytes).unwrap();
    let r = site.try_build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("not valid UTF-8"), "{}", r.stderr);
    assert_eq!(built.files(), before, "the previous output is as it was");
    let siblings: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("out"))
        .collect();
    assert_eq!(siblings, ["out"], "no temporary folder is left beside it");
}

/// Found by the `site` fuzz target: these passed `check` and then failed `build` with "two
/// outputs would be written to …", naming no file. Now `check` names both.
#[test]
fn two_reports_for_one_page_are_located_at_check_time() {
    let site = Site::copy(&fixture("wigan"));
    let indicators = "content/2009-10-q1/indicators.md";
    let text = std::fs::read_to_string(site.root().join(indicators)).unwrap();
    site.write("content/extra/indicators-again.md", &text);
    site.write(
        "content/pages/search.md",
        "+++\nkind = \"page\"\ntitle = \"Finding things\"\n+++\nText.\n",
    );
    let (code, diags) = site.check();
    assert_eq!(code, 1);
    assert_diag(
        &diags,
        "content/extra/indicators-again.md",
        (1, 1),
        "duplicate-report",
        "two indicator sets for 2009/10 Q1",
    );
    let d = diags.iter().find(|d| d.code == "duplicate-report").unwrap();
    assert_eq!(
        d.help.as_deref(),
        Some("first defined at content/2009-10-q1/indicators.md")
    );
    assert_diag(
        &diags,
        "content/pages/search.md",
        (1, 1),
        "reserved-slug",
        "the page slug `search` is taken by the site's search page",
    );
    assert_eq!(
        diags.iter().filter(|d| d.severity == "error").count(),
        2,
        "{diags:#?}"
    );
}

/// Found by the `site` fuzz target (docs/reliability.md): the search indexer looked for the `;`
/// of a character reference in the 12 bytes after an `&` by slicing the text there, which
/// panicked when byte 12 fell inside a character, so a page saying "R&D – £1m" panicked every
/// build.
#[test]
fn an_ampersand_near_a_pound_sign_builds() {
    let site = Site::minimal();
    site.write(
        "content/pages/plans.md",
        "+++\nkind = \"page\"\ntitle = \"Plans\"\n+++\nSpend on R&D – £1m this year.\n",
    );
    let built = site.build();
    let page = built.page("plans/index.html");
    assert!(main_text(&page).contains("Spend on R&D – £1m this year."));
    let index = built.search_index().to_string();
    assert!(index.contains("Spend on R&D – £1m this year."), "{index}");
}

// ---- Unsafe input comes out inert --------------------------------------------------------------

/// Appended to every front-matter string that is free text: a script, an attribute break with an
/// event handler, `javascript:` links in HTML and in Markdown, and an SVG handler.
const PAYLOAD: &str = r#" "><img src=x onerror=alert(1)><script>alert("xss")</script>'><a href="javascript:alert(2)">j</a> javascript:alert(3) [m](javascript:alert(4)) <svg onload=alert(5)>"#;

/// What plain text fields show, once unescaped by the HTML parser.
const SCRIPT_TEXT: &str = r#"<script>alert("xss")</script>"#;

/// Every string literal in TOML text: its key path (array indices dropped, so
/// `objectives.activities.title`) and the byte range of the literal, quotes included.
fn string_literals(toml: &str) -> Vec<(String, Range<usize>, String)> {
    fn table(t: &DeTable<'_>, path: &str, out: &mut Vec<(String, Range<usize>, String)>) {
        for (k, v) in t.iter() {
            let p = if path.is_empty() {
                k.get_ref().to_string()
            } else {
                format!("{path}.{}", k.get_ref())
            };
            value(v, &p, out);
        }
    }
    fn value(
        v: &serde_spanned::Spanned<DeValue<'_>>,
        path: &str,
        out: &mut Vec<(String, Range<usize>, String)>,
    ) {
        match v.get_ref() {
            DeValue::String(s) => out.push((path.to_string(), v.span(), s.to_string())),
            DeValue::Array(items) => items.iter().for_each(|i| value(i, path, out)),
            DeValue::Table(t) => table(t, path, out),
            _ => {}
        }
    }
    let doc = DeTable::parse(toml).expect("the fixture's TOML parses");
    let mut out = Vec::new();
    table(doc.get_ref(), "", &mut out);
    out
}

/// Where the TOML of a file is: the front matter of a document, or all of `boardpack.toml`.
fn toml_range(rel: &str, text: &str) -> Range<usize> {
    if rel == "boardpack.toml" {
        0..text.len()
    } else {
        boardpack::content::front_matter::split(text)
            .expect("front matter")
            .front
    }
}

/// `text` with the strings at the chosen key paths replaced by `f(value)`.
fn rewrite(rel: &str, text: &str, paths: &BTreeSet<String>, f: &dyn Fn(&str) -> String) -> String {
    let range = toml_range(rel, text);
    let mut out = text.to_string();
    let mut literals = string_literals(&text[range.clone()]);
    literals.sort_by_key(|l| std::cmp::Reverse(l.1.start));
    for (path, span, value) in literals {
        if paths.contains(&path) {
            let literal = serde_json::to_string(&f(&value)).unwrap();
            out.replace_range(span.start + range.start..span.end + range.start, &literal);
        }
    }
    out
}

/// How many errors parsing a file gives on its own.
fn errors_alone(rel: &str, text: &str) -> usize {
    let file = SourceFile::new(rel, rel, text.to_string());
    if rel == "boardpack.toml" {
        return Config::parse(&file).err().map_or(0, |d| d.len());
    }
    let (doc, diags) = parse_document(file, rel.trim_start_matches("content/"));
    diags.iter().filter(|d| d.is_error()).count() + usize::from(doc.is_none())
}

/// Configuration strings that name things boardpack looks up rather than show: a theme folder,
/// a browserslist query.
const NOT_TEXT_IN_CONFIG: &[&str] = &["theme", "build.css_targets"];

/// Rewrite every free-text string of every document and of the configuration with `f`. A
/// string is free text when rewriting every string at its key path leaves the file, and then
/// the whole site, without errors; ids, periods, vocabulary words, money and references are
/// not, and keep their values. Returns the key paths rewritten, by file.
fn rewrite_free_text(
    site: &Site,
    f: &dyn Fn(&str) -> String,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = site.documents();
    files.push("boardpack.toml".into());
    let originals: BTreeMap<String, String> = files
        .iter()
        .map(|f| {
            (
                f.clone(),
                std::fs::read_to_string(site.root().join(f)).unwrap(),
            )
        })
        .collect();
    let mut chosen = BTreeMap::new();
    for (rel, text) in &originals {
        let range = toml_range(rel, text);
        let baseline = errors_alone(rel, text);
        assert_eq!(baseline, 0, "{rel} is valid to start with");
        let paths: BTreeSet<String> = string_literals(&text[range])
            .into_iter()
            .map(|l| l.0)
            .filter(|p| rel != "boardpack.toml" || !NOT_TEXT_IN_CONFIG.contains(&p.as_str()))
            .collect();
        let free: BTreeSet<String> = paths
            .into_iter()
            .filter(|p| {
                let one = BTreeSet::from([p.clone()]);
                errors_alone(rel, &rewrite(rel, text, &one, f)) == 0
            })
            .collect();
        chosen.insert(rel.clone(), free);
    }
    // Across documents: a free-text string that another document refers to by value.
    for _round in 0..5 {
        for (rel, text) in &originals {
            std::fs::write(site.root().join(rel), rewrite(rel, text, &chosen[rel], f)).unwrap();
        }
        let loaded = boardpack::site::load(site.root()).expect("the configuration loads");
        let errors: Vec<_> = loaded
            .all_diagnostics()
            .into_iter()
            .filter(|d| d.is_error())
            .collect();
        if errors.is_empty() {
            return chosen;
        }
        for d in errors {
            let file = d.file.as_ref().expect("a located error");
            let rel = rel(site.root(), &file.path);
            let range = toml_range(&rel, &file.text);
            let hit = string_literals(&file.text[range.clone()])
                .into_iter()
                .find(|l| {
                    l.1.start + range.start <= d.span.start && d.span.start < l.1.end + range.start
                });
            let (path, _, _) = hit.unwrap_or_else(|| panic!("{}", d.render(false)));
            chosen.get_mut(&rel).unwrap().remove(&path);
        }
    }
    panic!("the rewritten site still has errors");
}

/// Nothing executable in a page: no script of content's making, no event handler, no
/// `javascript:` URL, no frame or object.
fn assert_inert(rel: &str, doc: &Html) {
    for script in doc.select(&sel("script")) {
        let src = script.value().attr("src").unwrap_or("");
        assert!(
            !text(script).contains("alert") && (src.is_empty() || src.starts_with('/')),
            "{rel}: a script from content: {}",
            script.html()
        );
    }
    for e in doc.select(&sel("*")) {
        let name = e.value().name();
        assert!(
            !matches!(name, "iframe" | "object" | "embed" | "frame"),
            "{rel}: a <{name}> from content: {}",
            e.html()
        );
        for (attr, value) in e.value().attrs() {
            assert!(
                !attr.to_ascii_lowercase().starts_with("on"),
                "{rel}: an event handler: {}",
                e.html()
            );
            let v: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            assert!(
                !v.starts_with("javascript:")
                    && !v.starts_with("vbscript:")
                    && !v.starts_with("data:text/html"),
                "{rel}: a script URL in {attr}: {}",
                e.html()
            );
        }
    }
}

/// The strings of a JSON value, recursively.
fn json_strings(v: &Json, out: &mut Vec<String>) {
    match v {
        Json::String(s) => out.push(s.clone()),
        Json::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        Json::Object(o) => o.values().for_each(|x| json_strings(x, out)),
        _ => {}
    }
}

/// Build a copy of `src` with the payload in every free-text string and check every output.
fn hostile_build(src: &Path) {
    let site = Site::copy(src);
    let chosen = rewrite_free_text(&site, &|s| format!("{s}{PAYLOAD}"));
    let rewritten: usize = chosen.values().map(BTreeSet::len).sum();
    assert!(rewritten > 0, "{}: nothing to rewrite", src.display());
    // The titles of every document and of the site carry the payload.
    for (rel, paths) in &chosen {
        assert!(
            paths.contains("title"),
            "{rel}: title is free text: {paths:?}"
        );
    }
    let built = site.build();
    let files = built.files();
    let mut pages = 0;
    let mut escaped = 0;
    for (rel, bytes) in &files {
        if rel.ends_with(".html") {
            let html = std::str::from_utf8(bytes).unwrap();
            let doc = Html::parse_document(html);
            assert_inert(rel, &doc);
            pages += 1;
            // Every page shows the site's title in its header: escaped, so seen as text.
            if main_text(&doc).contains(SCRIPT_TEXT)
                || text(doc.root_element()).contains(SCRIPT_TEXT)
            {
                escaped += 1;
            }
        }
    }
    assert!(pages > 3);
    assert_eq!(escaped, pages, "the payload shows as text on every page");
    // Every report's <h1> holds its title, payload and all, as text.
    for (rel, bytes) in &files {
        if rel.starts_with("programmes/")
            && rel.matches('/').count() == 3
            && rel.ends_with("/index.html")
        {
            let doc = Html::parse_document(std::str::from_utf8(bytes).unwrap());
            let h1 = select_text(&doc, "h1").join("");
            assert!(h1.ends_with(&collapse(PAYLOAD)), "{rel}: {h1}");
        }
    }
    // The search index: JSON, whose strings hold the payload as plain text.
    let mut strings = Vec::new();
    json_strings(&built.search_index(), &mut strings);
    assert!(
        strings.iter().any(|s| s.ends_with(PAYLOAD)),
        "titles in the index keep the payload as text"
    );
    for s in &strings {
        // Text from the pages: what a reader saw, not markup the browser acted on.
        assert!(
            !s.contains("<img src=x onerror=alert(1)>") || s.contains(SCRIPT_TEXT),
            "{s}"
        );
    }
    // JSON downloads: they parse, and the free text in them comes back as the payload, exactly.
    // (CSV downloads are checked for formula injection by their own test.)
    let (mut downloads, mut with_payload) = (0, 0);
    for (rel, bytes) in &files {
        if rel.ends_with(".json") && !rel.starts_with("search/pagefind/") {
            let v: Json = serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let mut strings = Vec::new();
            json_strings(&v, &mut strings);
            downloads += 1;
            with_payload += usize::from(strings.iter().any(|s| s.contains(PAYLOAD)));
        }
    }
    if downloads > 0 {
        assert!(with_payload > 0, "no JSON download holds the payload");
    }
    eprintln!(
        "{}: {pages} pages inert, {downloads} JSON downloads ({with_payload} with the payload)",
        src.display()
    );
}

#[test]
fn hostile_strings_in_the_example_board_come_out_inert() {
    hostile_build(&repo_root());
}

#[test]
fn hostile_strings_in_indicators_and_action_plans_come_out_inert() {
    hostile_build(&fixture("wigan"));
    hostile_build(&fixture("west-dunbartonshire"));
}

#[test]
fn hostile_strings_in_the_messy_and_two_period_sites_come_out_inert() {
    hostile_build(&fixture("messy"));
    hostile_build(&fixture("two-periods"));
}

#[test]
fn raw_html_in_markdown_is_sanitised_by_default() {
    let built = Site::copy(&fixture("hostile")).built();
    for rel in ["raw-html/index.html", "programmes/p/2009-10-q2/index.html"] {
        let doc = built.page(rel);
        assert_inert(rel, &doc);
        assert_eq!(
            doc.select(&sel(
                "main script, main style, main form, main svg, main iframe"
            ))
            .count(),
            0,
            "{rel}"
        );
    }
    let doc = built.page("raw-html/index.html");
    // Harmless markup is kept.
    let bold = select_text(&doc, ".bp-prose b");
    assert_eq!(bold, ["bold", "kept"]);
    let links: Vec<Option<&str>> = doc
        .select(&sel(".bp-prose a"))
        .map(|a| a.value().attr("href"))
        .collect();
    // The javascript: links lose their href; the good one keeps it.
    assert!(links.contains(&Some("https://example.org/")), "{links:?}");
    assert!(
        links.iter().flatten().all(|h| h.starts_with("https://")),
        "{links:?}"
    );
    let div = doc.select(&sel(".bp-prose div")).next();
    if let Some(div) = div {
        assert!(div.value().attr("style").is_none(), "style is removed");
    }
    let report = built.page("programmes/p/2009-10-q2/index.html");
    assert!(
        main_text(&report).contains("Done and ."),
        "{}",
        main_text(&report)
    );
}

#[test]
fn raw_html_is_kept_when_the_site_trusts_it() {
    let site = Site::copy(&fixture("hostile"));
    let config = std::fs::read_to_string(site.root().join("boardpack.toml")).unwrap();
    site.write(
        "boardpack.toml",
        format!("{config}\n[markdown]\ntrust_html = true\n"),
    );
    let built = site.build();
    let doc = built.page("raw-html/index.html");
    let scripts = select_text(&doc, "main script");
    assert_eq!(scripts, [r#"alert("body")"#]);
    let div = doc
        .select(&sel("main div.author-box"))
        .next()
        .expect("the div is kept");
    assert_eq!(div.value().attr("onclick"), Some("steal()"));
    // The switch is documented where authors look for it.
    let docs = std::fs::read_to_string(repo_root().join("docs/content-format.md")).unwrap();
    assert!(
        docs.contains("trust_html"),
        "docs/content-format.md documents trust_html"
    );
}

/// Cells of a CSV file (RFC 4180: quoted cells may hold commas, quotes and line breaks).
fn csv_cells(text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![vec![String::new()]];
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        let cell = rows.last_mut().unwrap().last_mut().unwrap();
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => rows.last_mut().unwrap().push(String::new()),
            (false, '\r') => {}
            (false, '\n') => rows.push(vec![String::new()]),
            (false, c) => cell.push(c),
        }
    }
    if rows.last().is_some_and(|r| r.len() == 1 && r[0].is_empty()) {
        rows.pop();
    }
    rows
}

/// Whether a cell is a number as a spreadsheet reads one: `-45594`, `1879193.5`.
fn is_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && !digits.starts_with('.')
}

#[test]
fn csv_downloads_neutralise_formulas_and_keep_negative_numbers() {
    // Strings that start a formula in a spreadsheet, at the start of every free-text value.
    const FORMULAS: [&str; 6] = [
        "=HYPERLINK(\"http://x\",\"y\")",
        "+SUM(A1:A9)",
        "-2+3",
        "@cmd",
        "\t=1+1",
        "\r=1+1",
    ];
    let site = Site::copy(&repo_root());
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let next = |s: &str| {
        let i = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("{}{s}", FORMULAS[i % FORMULAS.len()])
    };
    rewrite_free_text(&site, &next);
    let built = site.build();
    let files = built.files();
    let csvs: Vec<(&String, &Vec<u8>)> =
        files.iter().filter(|(p, _)| p.ends_with(".csv")).collect();
    if csvs.is_empty() {
        eprintln!(
            "SKIPPED: the build makes no CSV downloads yet; the formula-injection checks run \
             once it does"
        );
        return;
    }
    let mut negatives = 0;
    let mut neutralised = 0;
    let checked = csvs.len();
    for (rel, bytes) in csvs {
        let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
        for (r, row) in csv_cells(text.trim_start_matches('\u{feff}'))
            .iter()
            .enumerate()
        {
            for cell in row {
                if is_number(cell) {
                    negatives += usize::from(cell.starts_with('-'));
                    continue;
                }
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{rel} row {r}: a formula cell: {cell:?}"
                );
                if cell.starts_with('\'') && cell[1..].starts_with(['=', '+', '-', '@', '\t', '\r'])
                {
                    neutralised += 1;
                }
            }
        }
    }
    eprintln!(
        "{checked} CSV downloads: {neutralised} cells neutralised, {negatives} negative numbers"
    );
    assert!(
        neutralised > 0,
        "the rewritten text reaches the CSV, prefixed with a quote"
    );
    assert!(negatives > 0, "negative amounts stay plain numbers");
}

#[test]
fn a_rewritten_site_shows_formula_like_text_literally_in_html() {
    let site = Site::copy(&fixture("two-periods"));
    rewrite_free_text(&site, &|s| format!("=1+2 @x {s}"));
    let built = site.build();
    let doc = built.page("programmes/alpha/2009-10-q2/index.html");
    assert_eq!(
        select_text(&doc, "h1"),
        ["Highlight report, 2009/10 Q2 =1+2 @x Alpha"]
    );
}

// ---- The fuzz targets' inputs, as ordinary tests ---------------------------------------------

#[test]
fn the_parsers_survive_a_sample_of_hostile_documents() {
    let samples: Vec<Vec<u8>> = vec![
        b"+++".to_vec(),
        b"+++\r".to_vec(),
        b"\xef\xbb\xbf".to_vec(),
        b"\xef\xbb\xbf+++\n+++".to_vec(),
        b"+++\n+++\n".to_vec(),
        b"+++\nkind = \"highlight\"\n+++".to_vec(),
        b"+++\nkind = \"budget\"\ntitle = \"\"\nperiod = \"2009/10\"\ngroups = 1\nlines = []\n+++".to_vec(),
        b"+++\nkind = \"indicators\"\n[[indicators]]\n+++".to_vec(),
        b"+++\nkind = \"actions\"\n[[sections]]\n[[sections]]\n+++".to_vec(),
        b"+++\nkind = \"page\"\ntitle = \"x\"\nweight = 99999999999999999999999\n+++".to_vec(),
        b"+++\nkind = \"page\"\ntitle = \"x\"\nweight = -0x1\n+++".to_vec(),
        b"+++\nkind = 1979-05-27T07:32:00Z\n+++".to_vec(),
        b"+++\n\"\xc3\xa9\" = \"\xe2\x80\x99\"\n+++".to_vec(),
        "+++\nkind = \"highlight\"\nprogramme = \"p\"\ntitle = \"t\"\nperiod = \"9999/00 Q4\"\nlead = \"l\"\nprepared = 0000-01-01\n+++".into(),
        "+++\nkind = \"budget\"\ntitle = \"t\"\nperiod = \"2009/10 Q2\"\n[[groups]]\nid = \"g\"\ntitle = \"g\"\nparent = \"g\"\n[[lines]]\nid = \"l\"\ntitle = \"l\"\ngroup = \"g\"\napproved = \"(−0.00)\"\n+++".into(),
    ];
    for s in samples {
        let Ok(text) = String::from_utf8(s) else {
            continue;
        };
        let file = SourceFile::new("x.md", "x.md", text);
        let (_, diags) = parse_document(file.clone(), "x.md");
        for d in &diags {
            assert!(d.span.end <= file.text.len());
            let _ = d.render(false);
        }
    }
}
