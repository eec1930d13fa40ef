//! The files a build writes for programs: Atom feeds, `sitemap.xml`, `robots.txt`,
//! `meetings.json` and the favicon, each parsed (XML with roxmltree, JSON with serde_json,
//! HTML with scraper) and every link followed to a file of the output.

use std::path::{Path, PathBuf};

use crate::common::{boardpack, copy_dir, fixture, page, run, sel};

const ATOM: &str = "http://www.w3.org/2005/Atom";
const SITEMAPS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
/// The `feeds` fixture's `base_url`.
const BASE: &str = "https://board.example.org/papers/";

fn build(root: &Path, out: &Path, extra: &[&str]) {
    let r = run(boardpack()
        .env("BOARDPACK_NO_HISTORY", "1")
        .arg("--root")
        .arg(root)
        .args(["-q", "build", "--output"])
        .arg(out)
        .args(extra));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

fn built(root: &Path, extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    build(root, out.path(), extra);
    out
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The output file a URL of the site leads to, as a web server would serve it.
fn target(out: &Path, base: &str, url: &str) -> PathBuf {
    let rel = url
        .strip_prefix(base)
        .unwrap_or_else(|| panic!("{url} is not under {base}"));
    if rel.is_empty() || rel.ends_with('/') {
        out.join(rel).join("index.html")
    } else {
        out.join(rel)
    }
}

fn resolves(out: &Path, base: &str, url: &str) {
    let t = target(out, base, url);
    assert!(t.is_file(), "{url} leads to no file ({})", t.display());
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
    n.children()
        .find(|c| c.has_tag_name((ATOM, name)))
        .unwrap_or_else(|| panic!("no <{name}> in <{}>", n.tag_name().name()))
}

fn text_of(n: roxmltree::Node<'_, '_>, name: &str) -> String {
    child(n, name).text().unwrap_or("").to_string()
}

fn entries<'a, 'i>(doc: &'a roxmltree::Document<'i>) -> Vec<roxmltree::Node<'a, 'i>> {
    (doc.root_element().children())
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .collect()
}

/// `(rel, type, href)` of each `<link>` of a feed or entry.
fn links(n: roxmltree::Node<'_, '_>) -> Vec<(String, String, String)> {
    (n.children())
        .filter(|c| c.has_tag_name((ATOM, "link")))
        .map(|l| {
            let a = |k: &str| l.attribute(k).unwrap_or("").to_string();
            (a("rel"), a("type"), a("href"))
        })
        .collect()
}

#[test]
fn the_site_feed_has_a_board_pack_per_period_dated_from_the_content_and_escaped() {
    let out = built(&fixture("feeds"), &[]);
    let out = out.path();
    let xml = read(out, "feed.xml");
    let doc = roxmltree::Document::parse(&xml).expect("feed.xml is well-formed XML");
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")));
    // The title came from front matter holding `<script>` and `&`: text, never markup.
    assert_eq!(
        text_of(feed, "title"),
        "Board <script>alert(1)</script> & papers: board packs"
    );
    assert!(!xml.contains("<script>"), "unescaped markup in the feed");
    assert_eq!(
        text_of(child(feed, "author"), "name"),
        "Feed & Co <Council>"
    );
    assert_eq!(text_of(feed, "id"), format!("{BASE}feed.xml"));

    let entries = entries(&doc);
    let titles: Vec<String> = entries.iter().map(|e| text_of(*e, "title")).collect();
    assert_eq!(titles, ["Board pack: 2009/10 Q2", "Board pack: 2009/10 Q1"]);
    // Q2's alpha report was approved after the quarter ended; Q1 has only its period's end.
    let updated: Vec<String> = entries.iter().map(|e| text_of(*e, "updated")).collect();
    assert_eq!(updated, ["2009-11-30T00:00:00Z", "2009-06-30T00:00:00Z"]);
    assert_eq!(text_of(feed, "updated"), "2009-11-30T00:00:00Z");
    let ids: Vec<String> = entries.iter().map(|e| text_of(*e, "id")).collect();
    assert_eq!(
        ids,
        [
            format!("{BASE}periods/2009-10-q2/"),
            format!("{BASE}periods/2009-10-q1/")
        ]
    );

    for (rel, ty, href) in links(feed) {
        match rel.as_str() {
            "self" => assert_eq!(
                (ty.as_str(), href),
                ("application/atom+xml", format!("{BASE}feed.xml"))
            ),
            "alternate" => resolves(out, BASE, &href),
            other => panic!("unexpected feed link {other}"),
        }
    }
    let q2 = entries[0];
    let q2_links = links(q2);
    assert!(q2_links.contains(&(
        "alternate".into(),
        "text/html".into(),
        format!("{BASE}periods/2009-10-q2/")
    )));
    assert!(q2_links.contains(&(
        "enclosure".into(),
        "application/pdf".into(),
        format!("{BASE}periods/2009-10-q2/board-pack-2009-10-q2.pdf")
    )));
    resolves(out, BASE, &format!("{BASE}periods/2009-10-q2/"));

    // The content is HTML carried as text: its reports in agenda order, with their status in
    // words, and the report title's `<b>` still text inside it.
    let content = child(q2, "content");
    assert_eq!(content.attribute("type"), Some("html"));
    let html = scraper::Html::parse_fragment(content.text().unwrap());
    let items: Vec<String> = html
        .select(&sel("li"))
        .map(|li| li.text().collect::<String>())
        .collect();
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(
        items[0].starts_with("Alpha <b>bold</b> & co (Alpha & Omega: highlight report; progress 75%; 2 activities: 1 in progress, 1 complete; approved by Audit Committee on 30 November 2009)"),
        "{items:?}"
    );
    assert!(
        items[1].starts_with("Beta (Highlight report; progress 40%; 1 activity"),
        "{items:?}"
    );
    assert_eq!(html.select(&sel("b, script")).count(), 0);
    for a in html.select(&sel("a")) {
        let href = a.value().attr("href").unwrap();
        if !href.ends_with(".pdf") {
            resolves(out, BASE, href);
        }
    }
}

#[test]
fn each_programme_has_a_feed_of_its_reports_and_pages_link_the_feeds() {
    let out = built(&fixture("feeds"), &[]);
    let out = out.path();
    let xml = read(out, "programmes/alpha/feed.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let feed = doc.root_element();
    assert_eq!(
        text_of(feed, "title"),
        "Board <script>alert(1)</script> & papers: Alpha & Omega"
    );
    let entries = entries(&doc);
    let titles: Vec<String> = entries.iter().map(|e| text_of(*e, "title")).collect();
    assert_eq!(
        titles,
        [
            "Alpha <b>bold</b> & co: highlight report, 2009/10 Q2",
            "Alpha <b>bold</b> & co: highlight report, 2009/10 Q1"
        ]
    );
    let updated: Vec<String> = entries.iter().map(|e| text_of(*e, "updated")).collect();
    assert_eq!(updated, ["2009-11-30T00:00:00Z", "2009-06-30T00:00:00Z"]);
    assert_eq!(text_of(feed, "updated"), updated[0]);
    for e in &entries {
        for (_, _, href) in links(*e) {
            resolves(out, BASE, &href);
        }
    }
    let beta = read(out, "programmes/beta/feed.xml");
    let beta = roxmltree::Document::parse(&beta).unwrap();
    assert_eq!(self::entries(&beta).len(), 1);

    // Every page names the site's feed; a programme's page names its own too.
    let alternates = |rel: &str| -> Vec<(String, String)> {
        page(out, rel)
            .select(&sel(
                r#"head link[rel="alternate"][type="application/atom+xml"]"#,
            ))
            .map(|l| {
                (
                    l.value().attr("title").unwrap().to_string(),
                    l.value().attr("href").unwrap().to_string(),
                )
            })
            .collect()
    };
    let site = (
        "Board <script>alert(1)</script> & papers: board packs".to_string(),
        format!("{BASE}feed.xml"),
    );
    assert_eq!(alternates("index.html"), std::slice::from_ref(&site));
    assert_eq!(alternates("about/index.html"), std::slice::from_ref(&site));
    assert_eq!(
        alternates("programmes/alpha/index.html"),
        [
            site,
            (
                "Board <script>alert(1)</script> & papers: Alpha & Omega".to_string(),
                format!("{BASE}programmes/alpha/feed.xml")
            )
        ]
    );
    for (_, href) in alternates("programmes/alpha/index.html") {
        resolves(out, BASE, &href);
    }
}

#[test]
fn the_sitemap_lists_every_page_but_search_and_404_with_dates_from_the_content() {
    let out = built(&fixture("feeds"), &[]);
    let out = out.path();
    let xml = read(out, "sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is well-formed XML");
    assert!(doc.root_element().has_tag_name((SITEMAPS, "urlset")));
    let urls: Vec<(String, Option<String>)> = (doc.root_element().children())
        .filter(|c| c.has_tag_name((SITEMAPS, "url")))
        .map(|u| {
            let get = |name: &str| {
                (u.children())
                    .find(|c| c.has_tag_name((SITEMAPS, name)))
                    .and_then(|c| c.text())
                    .map(str::to_string)
            };
            (get("loc").unwrap(), get("lastmod"))
        })
        .collect();
    let lastmod = |path: &str| {
        let url = format!("{BASE}{path}");
        (urls.iter().find(|(loc, _)| *loc == url))
            .unwrap_or_else(|| panic!("{url} not in the sitemap"))
            .1
            .clone()
    };
    assert_eq!(lastmod("").as_deref(), Some("2009-11-30"));
    assert_eq!(
        lastmod("periods/2009-10-q2/").as_deref(),
        Some("2009-11-30")
    );
    assert_eq!(
        lastmod("periods/2009-10-q1/").as_deref(),
        Some("2009-06-30")
    );
    assert_eq!(
        lastmod("programmes/beta/2009-10-q2/").as_deref(),
        Some("2009-09-30")
    );
    assert_eq!(lastmod("about/").as_deref(), Some("2009-06-01"));
    assert_eq!(lastmod("contact/"), None, "no date, no lastmod");
    assert_eq!(lastmod("accessibility/"), None);
    // Every page of the output is listed, but the search page and the 404 page.
    let mut pages = Vec::new();
    for e in walk(out) {
        if let Some(dir) = e.strip_suffix("index.html") {
            pages.push(format!("{BASE}{dir}"));
        }
    }
    pages.retain(|p| !p.ends_with("/search/"));
    pages.sort();
    let mut locs: Vec<String> = urls.iter().map(|(l, _)| l.clone()).collect();
    locs.sort();
    assert_eq!(locs, pages);
    assert!(out.join("404.html").is_file());

    assert_eq!(
        read(out, "robots.txt"),
        format!(
            "# Published with boardpack: every page may be indexed.\nUser-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"
        )
    );
}

/// Every file under `out`, relative to it, with `/` separators.
fn walk(out: &Path) -> Vec<String> {
    let mut all = Vec::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(out)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                all.push(rel);
            }
        }
    }
    all.sort();
    all
}

#[test]
fn a_members_build_asks_crawlers_to_keep_out_and_has_no_sitemap() {
    let out = built(&fixture("feeds"), &["--audience", "members"]);
    assert_eq!(
        read(out.path(), "robots.txt"),
        "# A members' build of a boardpack site: not for publication, so not for indexing.\nUser-agent: *\nDisallow: /\n"
    );
    assert!(!out.path().join("sitemap.xml").exists());
    let meetings: serde_json::Value =
        serde_json::from_str(&read(out.path(), "meetings.json")).unwrap();
    assert_eq!(meetings["body"]["audience"], "members");
}

#[test]
fn a_root_relative_base_url_gives_valid_feeds_with_stable_ids_and_no_sitemap() {
    let root = fixture("two-periods");
    let a = built(&root, &[]);
    let b = built(&root, &["--drafts"]);
    for out in [a.path(), b.path()] {
        let xml = read(out, "feed.xml");
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let feed = doc.root_element();
        assert!(text_of(feed, "id").starts_with("urn:uuid:"));
        for e in entries(&doc) {
            assert!(text_of(e, "id").starts_with("urn:uuid:"));
            for (rel, _, href) in links(e) {
                if rel == "alternate" {
                    resolves(out, "/", &href);
                }
            }
        }
        assert!(!out.join("sitemap.xml").exists());
        assert!(!read(out, "robots.txt").contains("Sitemap:"));
    }
    // The same pages, the same ids.
    assert_eq!(read(a.path(), "feed.xml"), read(b.path(), "feed.xml"));
}

#[test]
fn meetings_json_lists_each_meeting_with_its_papers_in_agenda_order_and_their_files() {
    let out = built(&fixture("feeds"), &[]);
    let out = out.path();
    let m: serde_json::Value = serde_json::from_str(&read(out, "meetings.json")).unwrap();
    assert_eq!(m["format"], "boardpack-meetings/1");
    assert_eq!(m["body"]["name"], "Feed & Co <Council>");
    assert_eq!(m["body"]["audience"], "public");
    let meetings = m["meeting"].as_array().unwrap();
    let ids: Vec<&str> = meetings.iter().map(|x| x["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["2009-10-q2", "2009-10-q1"]);
    let q2 = &meetings[0];
    assert_eq!(q2["name"], "Board pack: 2009/10 Q2");
    assert_eq!(
        q2["start"], "2009-11-23",
        "the earliest meeting date its papers give"
    );
    assert_eq!(
        q2["organization"],
        serde_json::json!(["Audit Committee", "Board"])
    );
    assert_eq!(q2["period"]["end"], "2009-09-30");
    assert_eq!(q2["modified"], "2009-11-30");
    assert_eq!(meetings[1]["start"], serde_json::Value::Null);
    resolves(out, BASE, q2["web"].as_str().unwrap());
    let pdf = &q2["auxiliaryFile"][0];
    assert_eq!(pdf["mimeType"], "application/pdf");
    assert_eq!(
        pdf["accessUrl"],
        format!("{BASE}periods/2009-10-q2/board-pack-2009-10-q2.pdf")
    );
    let items = q2["agendaItem"].as_array().unwrap();
    let names: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i["number"].as_str().unwrap(), i["name"].as_str().unwrap()))
        .collect();
    assert_eq!(names, [("1", "Alpha <b>bold</b> & co"), ("2", "Beta")]);
    let alpha = &items[0]["paper"];
    assert_eq!(alpha["paperType"], "Highlight report");
    assert_eq!(alpha["programme"]["id"], "alpha");
    assert_eq!(alpha["date"], "2009-11-16");
    assert_eq!(alpha["originator"], "Sam Example, Director");
    assert_eq!(alpha["approved"]["on"], "2009-11-30");
    assert_eq!(items[0]["public"], true);
    resolves(out, BASE, alpha["web"].as_str().unwrap());
    // Every download listed is a file of the output, of the size it says, and every download
    // beside a paper's page is listed.
    let mut listed = 0;
    for meeting in meetings {
        let papers = meeting["agendaItem"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| &i["paper"]);
        for files in
            std::iter::once(&meeting["auxiliaryFile"]).chain(papers.map(|p| &p["auxiliaryFile"]))
        {
            for f in files.as_array().unwrap() {
                if f["mimeType"] == "application/pdf" {
                    continue;
                }
                let path = target(out, BASE, f["accessUrl"].as_str().unwrap());
                let size = std::fs::metadata(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                    .len();
                assert_eq!(f["size"].as_u64(), Some(size));
                listed += 1;
            }
        }
    }
    // Downloads (CSV, JSON and ODS, and the period's workbook) sit beside the board
    // packs' pages and the reports' pages (not beside the programmes' own pages, which are
    // not papers of a meeting).
    let beside_papers = walk(out)
        .into_iter()
        .filter(|p| [".csv", ".json", ".ods"].iter().any(|e| p.ends_with(e)))
        .filter(|p| {
            let depth = p.matches('/').count();
            (p.starts_with("periods/") && depth == 2)
                || (p.starts_with("programmes/") && depth == 3)
        })
        .count();
    assert!(listed > 0);
    assert_eq!(listed, beside_papers);
}

/// The `exempt` fixture at an absolute address, so that its public build writes a sitemap.
fn exempt_site(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    copy_dir(&fixture("exempt"), &site);
    let toml = std::fs::read_to_string(site.join("boardpack.toml")).unwrap();
    std::fs::write(
        site.join("boardpack.toml"),
        format!("base_url = \"https://council.example.org/\"\n{toml}"),
    )
    .unwrap();
    site
}

#[test]
fn nothing_exempt_reaches_a_feed_the_sitemap_or_meetings_json() {
    let dir = tempfile::tempdir().unwrap();
    let site = exempt_site(dir.path());
    let public = dir.path().join("public");
    let members = dir.path().join("members");
    build(&site, &public, &[]);
    build(&site, &members, &["--audience", "members", "--drafts"]);
    let published = |out: &Path| -> Vec<(String, String)> {
        walk(out)
            .into_iter()
            .filter(|p| p.ends_with(".xml") || p == "meetings.json" || p == "robots.txt")
            .map(|p| (read(out, &p), p))
            .collect()
    };
    let files = published(&public);
    let names: Vec<&str> = files.iter().map(|(_, p)| p.as_str()).collect();
    assert!(
        names.contains(&"sitemap.xml") && names.contains(&"feed.xml"),
        "{names:?}"
    );
    for (text, path) in &files {
        for secret in ["ZQX", "zqx", "87,654", "87654", "45678", "4321.5"] {
            assert!(!text.contains(secret), "{secret} in the public {path}");
        }
    }
    // The exempt report keeps its place on the agenda, marked as not public.
    let m: serde_json::Value = serde_json::from_str(&read(&public, "meetings.json")).unwrap();
    let items = m["meeting"][0]["agendaItem"].as_array().unwrap();
    let beta = items
        .iter()
        .find(|i| i["paper"]["programme"]["id"] == "beta")
        .unwrap();
    assert_eq!(beta["public"], false);
    // The members' files do hold the exempt words, so the scan above would have seen them.
    let members_text: String = published(&members).into_iter().map(|(t, _)| t).collect();
    assert!(members_text.contains("ZQX"));
}

#[test]
fn the_theme_has_a_favicon_and_a_sites_own_replaces_it() {
    let out = built(&fixture("feeds"), &[]);
    let ico = std::fs::read(out.path().join("favicon.ico")).unwrap();
    assert_eq!(&ico[..4], &[0, 0, 1, 0], "an ICO file");
    let svg = read(out.path(), "favicon.svg");
    roxmltree::Document::parse(&svg).expect("favicon.svg is well-formed");
    let icons: Vec<String> = page(out.path(), "index.html")
        .select(&sel(r#"head link[rel="icon"]"#))
        .map(|l| l.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        icons,
        [format!("{BASE}favicon.ico"), format!("{BASE}favicon.svg")]
    );

    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&fixture("feeds"), &site);
    std::fs::create_dir_all(site.join("static")).unwrap();
    std::fs::write(site.join("static/favicon.ico"), b"own icon").unwrap();
    std::fs::write(
        site.join("static/robots.txt"),
        b"User-agent: *\nDisallow: /drafts/\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    build(&site, &out, &[]);
    assert_eq!(std::fs::read(out.join("favicon.ico")).unwrap(), b"own icon");
    assert_eq!(
        read(&out, "robots.txt"),
        "User-agent: *\nDisallow: /drafts/\n"
    );
}

#[test]
fn a_static_file_where_a_feed_or_meetings_json_goes_is_a_check_error() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&fixture("feeds"), &site);
    std::fs::create_dir_all(site.join("static/programmes/alpha")).unwrap();
    for f in [
        "feed.xml",
        "meetings.json",
        "sitemap.xml",
        "programmes/alpha/feed.xml",
    ] {
        std::fs::write(site.join("static").join(f), "mine").unwrap();
    }
    let (code, diags) = crate::common::check_json(&site, &[]);
    assert_eq!(code, 1);
    let found: Vec<(String, String)> = diags
        .iter()
        .map(|d| (d.file.clone().unwrap_or_default(), d.code.clone()))
        .collect();
    let clash = |f: &str| (format!("static/{f}"), "static-clash".to_string());
    assert_eq!(
        found,
        [
            clash("feed.xml"),
            clash("meetings.json"),
            clash("programmes/alpha/feed.xml"),
            clash("sitemap.xml"),
        ]
    );
    let r = run(boardpack()
        .arg("--root")
        .arg(&site)
        .args(["-q", "build", "--output"])
        .arg(dir.path().join("out")));
    assert_ne!(r.code, 0, "the build refuses too");
}

#[test]
fn a_free_page_cannot_take_the_address_of_a_feed_or_meetings_json() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&fixture("feeds"), &site);
    for name in ["feed.xml", "meetings.json"] {
        std::fs::write(
            site.join(format!("content/pages/{name}.md")),
            "+++\nkind = \"page\"\ntitle = \"Mine\"\n+++\nText.\n",
        )
        .unwrap();
    }
    let (code, diags) = crate::common::check_json(&site, &[]);
    assert_eq!(code, 1);
    let found: Vec<(String, String)> = diags
        .iter()
        .map(|d| (d.file.clone().unwrap_or_default(), d.code.clone()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "content/pages/feed.xml.md".to_string(),
                "reserved-slug".to_string()
            ),
            (
                "content/pages/meetings.json.md".to_string(),
                "reserved-slug".to_string()
            ),
        ]
    );
}

/// The watch server re-renders only what an edit touches; its feeds and meetings.json must
/// still be the whole site's, dated by the edit.
#[test]
fn serve_keeps_the_feeds_and_meetings_json_whole_through_a_partial_rebuild() {
    use boardpack::serve::session::{Outcome, Session, SourceChanges};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("feeds"), &root);
    let mut s = Session::new(&root);
    assert!(matches!(
        s.update(&SourceChanges::everything()),
        Outcome::Built { .. }
    ));
    let before = s.output()["meetings.json"].to_vec();
    let beta = root.join("content/2009-10-q2/beta.md");
    let text = std::fs::read_to_string(&beta).unwrap();
    std::fs::write(
        &beta,
        text.replace(
            "lead = \"Ali Example\"\n",
            "lead = \"Ali Example\"\napproved = { by = \"Board\", on = 2009-12-07 }\n",
        ),
    )
    .unwrap();
    let changes = SourceChanges {
        content: std::collections::BTreeSet::from([beta]),
        ..SourceChanges::default()
    };
    match s.update(&changes) {
        Outcome::Built {
            rendered, pages, ..
        } => assert!(rendered < pages, "a partial rebuild: {rendered} of {pages}"),
        _ => panic!("the edit did not build"),
    }
    let feed = String::from_utf8(s.output()["feed.xml"].to_vec()).unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    assert_eq!(text_of(entries(&doc)[0], "updated"), "2009-12-07T00:00:00Z");
    // The same meetings.json as a full build of the edited site, every download listed.
    let loaded = boardpack::site::load(&root).unwrap();
    let full = crate::common::render_in_memory(&loaded).unwrap();
    let whole = full
        .files
        .iter()
        .find(|(p, _)| p == "meetings.json")
        .map(|(_, b)| b.clone())
        .unwrap();
    let after = s.output()["meetings.json"].to_vec();
    assert_ne!(after, before);
    assert_eq!(
        String::from_utf8(after).unwrap(),
        String::from_utf8(whole).unwrap()
    );
}
