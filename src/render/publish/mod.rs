//! Files for programs rather than readers: the Atom feeds, `sitemap.xml`, `robots.txt` and
//! `meetings.json`, made from the plan and the loaded content (in a public build, its public
//! copy, like every page), and dated from the content, never from the clock.
//!
//! | File | When |
//! | --- | --- |
//! | `feed.xml` | the site has a period: one entry per board pack, newest first |
//! | `programmes/<id>/feed.xml` | the programme has a report: one entry per report |
//! | `sitemap.xml` | a public build whose `base_url` is a web address (the protocol wants them) |
//! | `robots.txt` | unless the site has its own in `static/`: a members' build asks every crawler to keep out |
//! | `meetings.json` | always: each period's meeting, its papers and their files |

pub mod feed;
pub mod meetings;
pub mod sitemap;

use jiff::civil::Date;

use crate::content::Document;
use crate::content::exempt::Audience;
use crate::plan::Loaded;
use crate::plan::pages::{PageKind, Plan, PlannedReport};

/// The site's board-pack feed.
pub const SITE_FEED: &str = "feed.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
pub const MEETINGS: &str = "meetings.json";

/// Where a programme's feed goes: beside its page.
pub fn programme_feed(id: &str) -> String {
    format!("programmes/{id}/{SITE_FEED}")
}

/// A file the build writes beside the pages, once the pages' downloads are known.
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Every path [`files`] may write, with what it is, so that a page, download or static file
/// at one of them is refused before anything is rendered, and reported by `check`. The
/// sitemap's path is kept for it even where a build writes none (a members' build, a
/// root-relative `base_url`), so that the same site passes or fails whoever it is built for.
/// `robots.txt` is not among them: a site's own, in `static/`, takes its place.
pub fn paths(plan: &Plan) -> Vec<(String, String)> {
    let mut out = vec![
        (MEETINGS.to_string(), "meetings.json".to_string()),
        (SITEMAP.to_string(), "the sitemap".to_string()),
    ];
    if !plan.periods.is_empty() {
        out.push((SITE_FEED.to_string(), "the site's feed".to_string()));
    }
    for p in plan.programmes.iter().filter(|p| !p.reports.is_empty()) {
        out.push((
            programme_feed(&p.id),
            format!("the feed of the programme {}", p.id),
        ));
    }
    out
}

/// The URL of the site's feed, when it has one, for `<link rel="alternate">` in every page.
pub fn site_feed_url(plan: &Plan) -> Option<String> {
    (!plan.periods.is_empty()).then(|| format!("{}{SITE_FEED}", plan.base_url))
}

/// The URL of a programme's feed, when it has one.
pub fn programme_feed_url(plan: &Plan, programme: usize) -> Option<String> {
    let p = plan.programmes.get(programme)?;
    (!p.reports.is_empty()).then(|| format!("{}{}", plan.base_url, programme_feed(&p.id)))
}

/// Every file of [`paths`], and `robots.txt` unless `own_robots` (the site has one among its
/// static files), given the other outputs that are not pages (`(path, size)`: the downloads,
/// and the board packs' PDFs where they are written), which `meetings.json` lists.
pub fn files(
    loaded: &Loaded,
    plan: &Plan,
    others: &[(&str, usize)],
    own_robots: bool,
) -> Vec<Output> {
    let mut out = vec![Output {
        path: MEETINGS.into(),
        bytes: meetings::json(loaded, plan, others),
    }];
    if !own_robots {
        out.push(Output {
            path: ROBOTS.into(),
            bytes: sitemap::robots(loaded, plan),
        });
    }
    if !plan.periods.is_empty() {
        out.push(Output {
            path: SITE_FEED.into(),
            bytes: feed::site(loaded, plan),
        });
    }
    if sitemap::wanted(loaded, plan) {
        out.push(Output {
            path: SITEMAP.into(),
            bytes: sitemap::xml(loaded, plan),
        });
    }
    for (i, p) in plan.programmes.iter().enumerate() {
        if !p.reports.is_empty() {
            out.push(Output {
                path: programme_feed(&p.id),
                bytes: feed::programme(loaded, plan, i),
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Whether `base_url` is a web address with a host, rather than a path on the server: only
/// then can a feed or sitemap give absolute URLs.
pub fn absolute(base_url: &str) -> bool {
    let lower = base_url.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// The date a report stands from: the latest of its period's end and its approval. A paper
/// cannot report a quarter before the quarter ends, and an approval later than that is when
/// the board's record was settled.
pub fn report_date(loaded: &Loaded, r: &PlannedReport) -> Date {
    let doc = &loaded.content.documents[r.doc];
    let end = r.period.end(loaded.config.year_start);
    doc.approved.as_ref().map_or(end, |a| a.on.max(end))
}

/// The latest [`report_date`] of `reports` (indices into `plan.reports`).
pub fn latest(loaded: &Loaded, plan: &Plan, reports: &[usize]) -> Option<Date> {
    (reports.iter())
        .map(|&r| report_date(loaded, &plan.reports[r]))
        .max()
}

/// A document that is not a report (a plan, a free page) is dated by its approval, or else
/// by the date it bears; otherwise it has no date of its own.
pub fn document_date(doc: &Document) -> Option<Date> {
    doc.approved.as_ref().map(|a| a.on).or(doc.meta.dated)
}

/// The date a page's content stands from, where it has one: see [`report_date`] and
/// [`document_date`]. The home and exceptions pages follow the newest board pack; the
/// accessibility statement, the search page and the 404 page have no content date.
pub fn page_date(loaded: &Loaded, plan: &Plan, kind: &PageKind) -> Option<Date> {
    let docs = &loaded.content.documents;
    match kind {
        PageKind::Report(r) => Some(report_date(loaded, &plan.reports[*r])),
        PageKind::Period(i) => latest(loaded, plan, &plan.periods[*i].reports),
        PageKind::Programme(i) => latest(loaded, plan, &plan.programmes[*i].reports),
        PageKind::Home => (plan.periods.iter())
            .filter_map(|p| latest(loaded, plan, &p.reports))
            .max(),
        PageKind::Exceptions => {
            (plan.periods.first()).and_then(|p| latest(loaded, plan, &p.reports))
        }
        PageKind::Plan(i) => document_date(&docs[plan.plans[*i].doc]),
        PageKind::Page(d) => document_date(&docs[*d]),
        PageKind::Accessibility | PageKind::Search | PageKind::NotFound => None,
    }
}

/// Text with the characters XML 1.0 cannot hold taken out (control characters other than tab
/// and line ends, U+FFFE and U+FFFF): front matter may hold them as TOML escapes, and one of
/// them would make the whole feed unreadable.
pub fn xml_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if s.chars().any(bad) {
        std::borrow::Cow::Owned(s.chars().filter(|&c| !bad(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Text escaped for HTML ([`crate::render::escape_html`]), without what XML cannot hold: a
/// feed's `type="html"` content carries it as XML text.
pub fn html_escape(s: &str) -> String {
    crate::render::escape_html(&xml_safe(s))
}

/// `30 November 2009`.
pub fn long_date(d: Date) -> String {
    format!(
        "{} {} {}",
        d.day(),
        crate::read::period::month_name(d),
        d.year()
    )
}

/// Who the build is for, as the members' build must not invite indexing.
pub fn public(loaded: &Loaded) -> bool {
    loaded.audience == Audience::Public
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_loses_only_what_xml_cannot_hold() {
        assert_eq!(xml_safe("a\u{7}b\tc\nd\u{FFFF}"), "ab\tc\nd");
        assert!(matches!(xml_safe("plain £"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(
            html_escape("<script>&\"'\u{1}"),
            "&lt;script&gt;&amp;&quot;&#39;"
        );
    }

    #[test]
    fn no_free_page_can_stand_where_a_file_of_the_site_goes() {
        let mut plan = Plan::default();
        plan.periods.push(crate::plan::pages::PlannedPeriod {
            period: crate::read::period::Period::parse("2009/10 Q2").unwrap(),
            url: "/periods/2009-10-q2/".into(),
            reports: Vec::new(),
            pdf: None,
        });
        let root: Vec<String> = (paths(&plan).into_iter().map(|(p, _)| p))
            .chain([ROBOTS.to_string()])
            .filter(|p| !p.contains('/'))
            .collect();
        assert_eq!(root.len(), 4, "{root:?}");
        for p in root {
            assert!(
                crate::content::validate::slug_problem(&p).is_some(),
                "a page could take {p}"
            );
        }
    }

    #[test]
    fn only_a_web_address_is_absolute() {
        assert!(absolute("https://example.org/board/"));
        assert!(absolute("HTTP://example.org/"));
        assert!(!absolute("/"));
        assert!(!absolute("/board/"));
    }
}
