//! Atom feeds (RFC 4287), written with quick-xml, which escapes every text and attribute: one
//! for the site, with an entry per board pack, and one per programme, with an entry per report.
//!
//! Ids are the pages' absolute URLs where `base_url` is a web address. Where it is a path on
//! the server (`/`), the host is unknown, so links stay root-relative (a feed reader resolves
//! them against the feed's own address) and ids, which must be absolute, are name-based UUIDs
//! of the organisation and the page's path: the same for the same page, build after build.

use std::io::Write;

use jiff::civil::Date;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::content::Data;
use crate::plan::Loaded;
use crate::plan::pages::{Plan, period_title};
use crate::render::publish::{self, html_escape, long_date, xml_safe};

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// An Atom date: the content's dates are days, so midnight UTC.
fn stamp(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

/// The permanent id of the page or file at `url` (a URL with `base_url` in front).
pub fn id(loaded: &Loaded, plan: &Plan, url: &str) -> String {
    if publish::absolute(&plan.base_url) {
        return url.to_string();
    }
    let path = url.strip_prefix(plan.base_url.as_str()).unwrap_or(url);
    uuid(&format!(
        "boardpack\0{}\0{path}",
        loaded.config.organisation
    ))
}

/// `urn:uuid:` of a name-based UUID from SHA-256 (RFC 9562, version 8, as its appendix B.2).
fn uuid(name: &str) -> String {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(name.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// What one report says of itself in a feed: its kind and programme, its progress and the
/// status of its activities (for a highlight report), and whether it is a draft, approved or
/// exempt; all in words.
fn status_words(loaded: &Loaded, plan: &Plan, r: usize) -> String {
    let pr = &plan.reports[r];
    let doc = &loaded.content.documents[pr.doc];
    let mut parts = vec![pr.kind.title().to_string()];
    // A highlight report is usually titled as its programme is: name the programme otherwise.
    if let Some(p) = pr.programme.map(|p| &plan.programmes[p])
        && p.title != doc.title()
    {
        parts[0] = format!("{}: {}", p.title, parts[0].to_lowercase());
    }
    if let Some(w) = &doc.withheld_document {
        parts.push(format!("{}; not published", w.notice));
    } else if let Some(e) = &doc.exempt {
        parts.push(format!(
            "EXEMPT – not for publication (paragraph {})",
            e.paragraph
        ));
    }
    if let (Data::Highlight(_), Some(s)) = (&doc.data, loaded.aggregates.programme_for(pr.doc))
        && doc.withheld_document.is_none()
    {
        if let Some(c) = s.computed {
            parts.push(format!("progress {}%", c.normalize()));
        }
        let counts: Vec<String> = (s.by_status.iter())
            .filter(|c| c.count > 0)
            .map(|c| format!("{} {}", c.count, c.label.to_lowercase()))
            .collect();
        if !counts.is_empty() {
            let noun = if s.activity_count == 1 {
                "activity"
            } else {
                "activities"
            };
            parts.push(format!(
                "{} {noun}: {}",
                s.activity_count,
                counts.join(", ")
            ));
        }
    }
    if doc.draft {
        parts.push("DRAFT – not approved".into());
    } else if let Some(a) = &doc.approved {
        parts.push(format!("approved by {} on {}", a.by, long_date(a.on)));
    }
    parts.join("; ")
}

/// One `<li>` per report: a link to its page and its status in words.
fn report_item(loaded: &Loaded, plan: &Plan, r: usize) -> String {
    let pr = &plan.reports[r];
    let doc = &loaded.content.documents[pr.doc];
    format!(
        "<li><a href=\"{}\">{}</a> ({})</li>",
        html_escape(&pr.url),
        html_escape(doc.title()),
        html_escape(&status_words(loaded, plan, r)),
    )
}

/// The feed's head and entries, written in one place so both feeds are shaped alike.
struct Feed<'a> {
    title: String,
    self_url: String,
    page_url: &'a str,
    entries: Vec<Entry>,
}

struct Entry {
    title: String,
    id: String,
    updated: Date,
    url: String,
    /// `(rel, type, href, title)` beyond the page itself.
    links: Vec<(&'static str, &'static str, String, String)>,
    /// HTML, escaped again as XML text by the writer.
    content: String,
}

fn write(loaded: &Loaded, plan: &Plan, feed: &Feed<'_>) -> Vec<u8> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing to a Vec cannot fail; an error here would be a bug, and leaves the bytes short.
    let _ = write_inner(&mut w, loaded, plan, feed);
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    bytes
}

fn write_inner(
    w: &mut Writer<Vec<u8>>,
    loaded: &Loaded,
    plan: &Plan,
    feed: &Feed<'_>,
) -> std::io::Result<()> {
    let config = &loaded.config;
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let updated = feed.entries.iter().map(|e| e.updated).max();
    w.create_element("feed")
        .with_attribute(("xmlns", ATOM))
        .with_attribute(("xml:lang", xml_safe(&config.language).as_ref()))
        .write_inner_content(|w| {
            text(w, "title", &feed.title)?;
            text(w, "id", &id(loaded, plan, &feed.self_url))?;
            if let Some(u) = updated {
                text(w, "updated", &stamp(u))?;
            }
            link(w, "self", "application/atom+xml", &feed.self_url, None)?;
            link(w, "alternate", "text/html", feed.page_url, None)?;
            w.create_element("author")
                .write_inner_content(|w| text(w, "name", &config.organisation).map(|_| ()))?;
            w.create_element("generator")
                .with_attribute(("version", env!("CARGO_PKG_VERSION")))
                .write_text_content(BytesText::new("boardpack"))?;
            for e in &feed.entries {
                w.create_element("entry").write_inner_content(|w| {
                    text(w, "title", &e.title)?;
                    text(w, "id", &e.id)?;
                    text(w, "updated", &stamp(e.updated))?;
                    link(w, "alternate", "text/html", &e.url, None)?;
                    for (rel, ty, href, title) in &e.links {
                        link(w, rel, ty, href, Some(title))?;
                    }
                    w.create_element("content")
                        .with_attribute(("type", "html"))
                        .write_text_content(BytesText::new(&e.content))?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    w.get_mut().flush()
}

fn text(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_safe(value)))?;
    Ok(())
}

fn link(
    w: &mut Writer<Vec<u8>>,
    rel: &str,
    ty: &str,
    href: &str,
    title: Option<&str>,
) -> std::io::Result<()> {
    let mut e = w
        .create_element("link")
        .with_attribute(("rel", rel))
        .with_attribute(("type", ty))
        .with_attribute(("href", href));
    let title = title.map(xml_safe);
    if let Some(t) = &title {
        e = e.with_attribute(("title", t.as_ref()));
    }
    e.write_empty()?;
    Ok(())
}

/// The site's feed: one entry per board pack, newest first, dated by
/// [`publish::latest`] of its reports, linking its page and its PDF.
pub fn site(loaded: &Loaded, plan: &Plan) -> Vec<u8> {
    let ys = loaded.config.year_start;
    let entries = (plan.periods.iter())
        .map(|p| {
            let title = period_title(p.period);
            let items: String = (p.reports.iter())
                .map(|&r| report_item(loaded, plan, r))
                .collect();
            let mut content = format!(
                "<p>{} for {} ({} to {}), in agenda order:</p><ul>{items}</ul>",
                match p.reports.len() {
                    1 => "One paper".to_string(),
                    n => format!("{n} papers"),
                },
                html_escape(&p.period.to_string()),
                long_date(p.period.start(ys)),
                long_date(p.period.end(ys)),
            );
            let mut links = Vec::new();
            if let Some(pdf) = &p.pdf {
                content.push_str(&format!(
                    "<p><a href=\"{}\">{} as a PDF</a></p>",
                    html_escape(&pdf.url),
                    html_escape(&title)
                ));
                links.push((
                    "enclosure",
                    "application/pdf",
                    pdf.url.clone(),
                    format!("{title} (PDF)"),
                ));
            }
            Entry {
                id: id(loaded, plan, &p.url),
                updated: publish::latest(loaded, plan, &p.reports)
                    .unwrap_or_else(|| p.period.end(ys)),
                url: p.url.clone(),
                title,
                links,
                content,
            }
        })
        .collect();
    write(
        loaded,
        plan,
        &Feed {
            title: format!("{}: board packs", loaded.config.title),
            self_url: format!("{}{}", plan.base_url, publish::SITE_FEED),
            page_url: &plan.base_url,
            entries,
        },
    )
}

/// A programme's feed: one entry per report, newest first, each dated by
/// [`publish::report_date`] and linking the board pack it was in.
pub fn programme(loaded: &Loaded, plan: &Plan, programme: usize) -> Vec<u8> {
    let p = &plan.programmes[programme];
    let docs = &loaded.content.documents;
    let entries = (p.reports.iter().rev())
        .map(|&r| {
            let pr = &plan.reports[r];
            let mut links = Vec::new();
            if let Some(period) = plan.periods.iter().find(|x| x.period == pr.period) {
                links.push((
                    "related",
                    "text/html",
                    period.url.clone(),
                    period_title(pr.period),
                ));
            }
            Entry {
                title: format!("{}: highlight report, {}", docs[pr.doc].title(), pr.period),
                id: id(loaded, plan, &pr.url),
                updated: publish::report_date(loaded, pr),
                url: pr.url.clone(),
                links,
                content: format!("<ul>{}</ul>", report_item(loaded, plan, r)),
            }
        })
        .collect();
    write(
        loaded,
        plan,
        &Feed {
            title: format!("{}: {}", loaded.config.title, p.title),
            self_url: format!("{}{}", plan.base_url, publish::programme_feed(&p.id)),
            page_url: &p.url,
            entries,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_gives_one_version_8_uuid() {
        let a = uuid("boardpack\0Org\0periods/2009-10-q2/");
        assert_eq!(a, uuid("boardpack\0Org\0periods/2009-10-q2/"));
        assert_ne!(a, uuid("boardpack\0Org\0periods/2009-10-q1/"));
        let hex = a.strip_prefix("urn:uuid:").unwrap();
        let groups: Vec<usize> = hex.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&hex[14..15], "8", "version 8");
        assert!(matches!(&hex[19..20], "8" | "9" | "a" | "b"), "RFC variant");
    }
}
