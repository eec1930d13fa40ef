//! `sitemap.xml` (the sitemaps.org protocol) and `robots.txt`: what a public site offers
//! crawlers, and a members' build withholds from them.
//!
//! The sitemap lists every page but the search page (a tool, with nothing of its own to
//! index) and the 404 page, each with `<lastmod>` where its content has a date
//! ([`publish::page_date`]). The protocol wants absolute URLs, so a site whose `base_url` is a
//! path on the server gets no sitemap, and its `robots.txt` names none.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::plan::Loaded;
use crate::plan::pages::{PageKind, Plan};
use crate::render::publish;

const SITEMAPS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// Whether the build writes a sitemap: public, with an absolute `base_url`.
pub fn wanted(loaded: &Loaded, plan: &Plan) -> bool {
    publish::public(loaded) && publish::absolute(&plan.base_url)
}

/// Whether a page belongs in the sitemap.
fn listed(kind: &PageKind) -> bool {
    !matches!(kind, PageKind::Search | PageKind::NotFound)
}

pub fn xml(loaded: &Loaded, plan: &Plan) -> Vec<u8> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing to a Vec cannot fail.
    let _ = (|| -> std::io::Result<()> {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.create_element("urlset")
            .with_attribute(("xmlns", SITEMAPS))
            .write_inner_content(|w| {
                for page in plan.pages.iter().filter(|p| listed(&p.kind)) {
                    w.create_element("url").write_inner_content(|w| {
                        w.create_element("loc")
                            .write_text_content(BytesText::new(&page.url))?;
                        if let Some(d) = publish::page_date(loaded, plan, &page.kind) {
                            w.create_element("lastmod")
                                .write_text_content(BytesText::new(&d.to_string()))?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        Ok(())
    })();
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    bytes
}

/// A public build lets every crawler in and names its sitemap where it has one; a members'
/// build, which is not for publication, asks every crawler to keep out.
pub fn robots(loaded: &Loaded, plan: &Plan) -> Vec<u8> {
    let mut out = String::new();
    if publish::public(loaded) {
        out.push_str(
            "# Published with boardpack: every page may be indexed.\nUser-agent: *\nAllow: /\n",
        );
        if wanted(loaded, plan) {
            out.push_str(&format!(
                "\nSitemap: {}{}\n",
                plan.base_url,
                publish::SITEMAP
            ));
        }
    } else {
        out.push_str(
            "# A members' build of a boardpack site: not for publication, so not for indexing.\nUser-agent: *\nDisallow: /\n",
        );
    }
    out.into_bytes()
}
