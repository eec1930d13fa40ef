//! A report's body is rendered once, at its own page's heading level, and the board pack shows
//! it one level down (`report.html | shift_headings`). These tests build sites both ways (the
//! board pack including each kind's partial with `hl = 2`, as it did before, and inserting the
//! shared body) and require the same bytes, and check that a site's override of a partial
//! reaches both the report's page and its board pack.

use std::path::Path;

use crate::common::{boardpack, copy_dir, fixture, page, sel, text};

/// A board pack that includes each report's partial itself, a level below the pack's `<h2>`.
const INCLUDED: &str = r#"{% set hl = 2 %}{% for report in reports %}<section id="{{ report.anchor }}">
{%- if report.withheld %}
{%- elif report.kind == "highlight" %}{% include "partials/highlight.html" %}
{%- elif report.kind == "budget" %}{% include "partials/budget.html" %}
{%- elif report.kind == "indicators" %}{% include "partials/indicators.html" %}
{%- elif report.kind == "actions" %}{% include "partials/actions.html" %}
{%- endif %}</section>
{% endfor %}"#;

/// The same board pack from the body each report's page rendered.
const SHARED: &str = r#"{% for report in reports %}<section id="{{ report.anchor }}">
{{- report.html | shift_headings(by=1) }}</section>
{% endfor %}"#;

/// Build `site` with `period.html` replaced by `period`, and return the output folder.
fn build_with_pack(site: &Path, period: &str, args: &[&str], dir: &Path) -> std::path::PathBuf {
    let root = dir.join("site");
    copy_dir(site, &root);
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/period.html"), period).unwrap();
    let out = dir.join("out");
    boardpack()
        .env("BOARDPACK_NO_HISTORY", "1")
        .arg("--root")
        .arg(&root)
        .args(["-qq", "build", "--no-pdf", "--output"])
        .arg(&out)
        .args(args)
        .assert()
        .success();
    out
}

/// Every board pack of a build, as (path, text), sorted.
fn packs(out: &Path) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = std::fs::read_dir(out.join("periods"))
        .unwrap()
        .map(|e| {
            let slug = e.unwrap().file_name().to_string_lossy().into_owned();
            let rel = format!("periods/{slug}/index.html");
            let html = std::fs::read_to_string(out.join(&rel)).unwrap();
            (rel, html)
        })
        .collect();
    found.sort();
    found
}

#[test]
fn the_shared_body_one_level_down_is_what_the_partials_render_at_level_two() {
    let cases: [(&str, &[&str]); 5] = [
        ("changes", &[]),
        ("exempt", &["--audience", "members"]),
        ("exempt", &[]),
        ("drafts", &["--drafts"]),
        ("hostile", &[]),
    ];
    for (name, args) in cases {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let included = packs(&build_with_pack(&fixture(name), INCLUDED, args, a.path()));
        let shared = packs(&build_with_pack(&fixture(name), SHARED, args, b.path()));
        assert!(!included.is_empty(), "{name}: no board pack");
        assert_eq!(
            included.iter().map(|p| &p.0).collect::<Vec<_>>(),
            shared.iter().map(|p| &p.0).collect::<Vec<_>>(),
            "{name} {args:?}"
        );
        let mut headings = 0;
        for ((rel, want), (_, got)) in included.iter().zip(&shared) {
            assert!(want == got, "{name} {args:?}: {rel} differs");
            let doc = scraper::Html::parse_document(got);
            // Nothing in a report's body is at the pack's own report-title level or above.
            assert_eq!(doc.select(&sel("section h1, section h2")).count(), 0);
            headings += doc.select(&sel("section h3")).count();
        }
        assert!(headings > 0, "{name} {args:?}: no report sections");
    }
}

#[test]
fn a_sites_own_partial_is_shown_on_the_report_page_and_in_the_board_pack() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("wigan"), &root);
    std::fs::create_dir_all(root.join("templates/partials")).unwrap();
    std::fs::write(
        root.join("templates/partials/actions.html"),
        r#"<h{{ hl + 1 }} class="site-note" id="{{ report.anchor }}-site-note">Read with the {{ report.title }} risk log</h{{ hl + 1 }}>
{% include "theme/partials/actions.html" %}"#,
    )
    .unwrap();
    let out = dir.path().join("out");
    boardpack()
        .arg("--root")
        .arg(&root)
        .args(["-qq", "build", "--no-pdf", "--output"])
        .arg(&out)
        .assert()
        .success();
    let periods: Vec<_> = std::fs::read_dir(out.join("actions")).unwrap().collect();
    assert!(!periods.is_empty());
    for e in periods {
        let slug = e.unwrap().file_name().to_string_lossy().into_owned();
        let own = page(&out, &format!("actions/{slug}/index.html"));
        let note = own
            .select(&sel("main h2.site-note"))
            .next()
            .expect("the note");
        assert!(text(note).starts_with("Read with the"), "{}", text(note));
        // The theme's partial still follows it, one level below the page's title.
        assert!(own.select(&sel("main h2#actions-summary")).next().is_some());

        let pack = page(&out, &format!("periods/{slug}/index.html"));
        let section = pack
            .select(&sel("section#actions"))
            .next()
            .expect("section");
        let note = section
            .select(&sel("h3.site-note"))
            .next()
            .expect("the note");
        assert_eq!(note.value().attr("id"), Some("actions-site-note"));
        assert!(section.select(&sel("h3#actions-summary")).next().is_some());
        assert_eq!(section.select(&sel("h2.site-note")).count(), 0);
    }
}
