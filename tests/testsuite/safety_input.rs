//! Safe by construction (issue 13), the input half: no panic reaches a user, and `check` passing
//! means `build` will not fail on content.
//!
//! - Panics: a diagnostic past column 65,535, weights of 1e27, a % variance past what `Decimal`
//!   holds. Each is now a located diagnostic, or a snippet cut to fit, and never exit 101.
//! - Validation: each case that passed `check` and then failed `build`, or built wrong figures,
//!   is a located diagnostic at `check` time, with a stable code.
//! - What diagnostics print: control characters escaped, and at most one short line of a file
//!   that is not a readable document.
//!
//! Each test makes its site in a temporary folder.

use std::path::Path;
use std::time::{Duration, Instant};

use super::common::{Diag, Run, boardpack, check_json, run};

/// A site in a temporary folder, from its configuration and `(path under content/, text)`.
fn site(config: &str, files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("boardpack.toml"), config).unwrap();
    for (rel, bytes) in files {
        let path = dir.path().join("content").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    dir
}

const CONFIG: &str = "organisation = \"Test Council\"\ntitle = \"Test Board\"\n";

fn page(title: &str) -> String {
    format!("+++\nkind = \"page\"\ntitle = \"{title}\"\n+++\nBody.\n")
}

/// A highlight report with one objective of two activities, with these extra keys on each.
fn highlight(activity_extra: [&str; 2]) -> String {
    let mut text = String::from(
        "+++\nkind = \"highlight\"\nprogramme = \"alpha\"\ntitle = \"Alpha\"\nlead = \"L\"\n\
         period = \"2009/10 Q2\"\n\n[[objectives]]\nid = \"o1\"\ntitle = \"Build capacity\"\n",
    );
    for (i, extra) in activity_extra.iter().enumerate() {
        text.push_str(&format!(
            "\n[[objectives.activities]]\nid = \"o1-{i}\"\ntitle = \"Run it\"\nkind = \"priority\"\n\
             due = 2010-03-31\nstatus = \"in progress\"\nprogress = 50\n{extra}\n"
        ));
    }
    text.push_str("+++\n");
    text
}

/// A budget whose one line has these figures.
fn budget(figures: &str) -> String {
    format!(
        "+++\nkind = \"budget\"\ntitle = \"Budget\"\nperiod = \"2009/10 Q2\"\n\n[[groups]]\n\
         id = \"exp\"\ntitle = \"Expenditure\"\nkind = \"expenditure\"\n\n[[lines]]\nid = \"l1\"\n\
         title = \"Staff\"\ngroup = \"exp\"\n{figures}\n+++\n"
    )
}

fn codes(diags: &[Diag]) -> Vec<&str> {
    diags.iter().map(|d| d.code.as_str()).collect()
}

/// The one diagnostic with `code`, or a panic listing them all.
fn only<'a>(diags: &'a [Diag], code: &str) -> &'a Diag {
    let found: Vec<&Diag> = diags.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "one `{code}` expected in {diags:#?}");
    found[0]
}

fn human(root: &Path) -> Run {
    run(boardpack()
        .arg("--root")
        .arg(root)
        .args(["--color", "never", "check"]))
}

fn build(root: &Path) -> Run {
    let out = root.join("out");
    run(boardpack()
        .arg("--root")
        .arg(root)
        .args(["build", "--output"])
        .arg(&out))
}

/// No panic: whatever went wrong, the exit code is one boardpack chose.
fn assert_no_panic(r: &Run) {
    assert_ne!(r.code, 101, "panicked:\n{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

// ---- Panics -----------------------------------------------------------------------------------

#[test]
fn a_diagnostic_past_column_65535_is_printed_with_a_cut_snippet() {
    let long = "x".repeat(66_000);
    let text = format!("+++\nkind = \"page\"\ntitle = \"{long}\" typo\n+++\nBody\n");
    let dir = site(CONFIG, &[("pages/about.md", text.as_bytes())]);
    let r = human(dir.path());
    assert_no_panic(&r);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/pages/about.md:3:66012: invalid TOML"),
        "{}",
        r.stderr
    );
    // The snippet shows the end of the string and the typo, cut to fit a terminal.
    assert!(r.stderr.contains("…xxxx"), "{}", r.stderr);
    assert!(r.stderr.contains("\" typo"), "{}", r.stderr);
    assert!(
        r.stderr.lines().all(|l| l.chars().count() < 200),
        "a line of the output is not cut"
    );
    let (code, diags) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let d = only(&diags, "toml");
    assert_eq!((d.line, d.column), (3, 66012));
}

#[test]
fn weights_of_1e27_are_a_located_overflow_not_a_panic() {
    let config = format!("{CONFIG}[rollup]\nrule = \"weighted\"\n");
    let text = highlight(["weight = 1e27", "weight = 1e27"]);
    let dir = site(&config, &[("2009-10-q2/alpha.md", text.as_bytes())]);
    let (code, diags) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "{diags:#?}");
    let d = only(&diags, "overflow");
    assert_eq!(d.severity, "error");
    assert_eq!(d.file.as_deref(), Some("content/2009-10-q2/alpha.md"));
    assert_eq!(
        d.message,
        "the weighted progress of objective o1 is too large to work out exactly"
    );
    assert!(d.help.as_deref().unwrap().contains("28 significant digits"));
    // At an activity of the objective.
    assert!(d.line > 10, "{d:?}");
    let r = build(dir.path());
    assert_no_panic(&r);
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn a_percent_variance_too_large_to_hold_is_a_located_overflow() {
    let text =
        budget("approved = 1\nplanned = \"0.0000000001\"\nactual = \"99999999999999999999\"");
    let dir = site(CONFIG, &[("2009-10-q2/budget.md", text.as_bytes())]);
    let (code, diags) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "{diags:#?}");
    let d = only(&diags, "overflow");
    // At the line's id.
    assert_eq!((d.line, d.column), (12, 6), "{d:?}");
    assert_eq!(
        d.message,
        "the % variance of budget line l1 is too large to work out exactly"
    );
    let r = build(dir.path());
    assert_no_panic(&r);
    assert_eq!(r.code, 1);
}

/// A printed subtotal's own % variance (its variance over its planned figure) is the
/// renderer's to show; one too large to hold used to panic the build.
#[test]
fn a_printed_subtotal_whose_percent_is_too_large_builds() {
    let text = budget("approved = 1\nplanned = 1\nactual = 1").replace(
        "kind = \"expenditure\"\n",
        "kind = \"expenditure\"\n\
         stated = { planned = \"0.0000000001\", variance = \"99999999999999999999\" }\n",
    );
    let dir = site(CONFIG, &[("2009-10-q2/budget.md", text.as_bytes())]);
    let r = build(dir.path());
    assert_no_panic(&r);
    assert_eq!(r.code, 0, "{r:?}");
    let page = std::fs::read_to_string(dir.path().join("out/index.html")).unwrap();
    assert!(!page.is_empty());
}

// ---- What diagnostics print -------------------------------------------------------------------

#[test]
fn control_characters_from_content_are_escaped_in_every_output() {
    // TOML escapes, so that the key itself holds ESC and BEL.
    let text = "+++\nkind = \"page\"\ntitle = \"About\"\n\"\\u001b]0;pwned\\u0007\" = 1\n+++\n";
    let dir = site(CONFIG, &[("pages/about.md", text.as_bytes())]);
    let r = human(dir.path());
    assert_eq!(r.code, 1);
    assert!(!r.stderr.contains('\u{1b}'), "ESC reached the terminal");
    assert!(!r.stderr.contains('\u{7}'), "BEL reached the terminal");
    assert!(
        r.stderr.contains("unknown key `\\u{1b}]0;pwned\\u{7}`"),
        "{}",
        r.stderr
    );
    let (_, diags) = check_json(dir.path(), &[]);
    let d = only(&diags, "unknown-key");
    assert_eq!(d.message, "unknown key `\\u{1b}]0;pwned\\u{7}`");
}

#[test]
fn a_file_that_is_not_a_document_is_quoted_one_short_line_at_most() {
    let secret = format!(
        "[default]{}\naws_secret_access_key = SECRET-ON-LINE-TWO\n",
        "x".repeat(200)
    );
    let environ = b"HOME=/root\0TOKEN=SECRET-AFTER-A-NUL\0".to_vec();
    let dir = site(
        CONFIG,
        &[
            ("pages/credentials.md", secret.as_bytes()),
            ("pages/environ.md", &environ),
        ],
    );
    let r = human(dir.path());
    assert_eq!(r.code, 1);
    assert!(!r.stderr.contains("SECRET"), "{}", r.stderr);
    assert!(!r.stderr.contains("HOME=/root"), "a binary file is quoted");
    // The first line, cut at 80 characters.
    assert!(r.stderr.contains(&format!("[default]{}…", "x".repeat(71))));
    let (_, diags) = check_json(dir.path(), &[]);
    assert_eq!(codes(&diags), ["no-front-matter", "binary-file"]);
}

#[test]
fn utf16_files_are_named_as_such_with_how_to_save_them_as_utf8() {
    let text = page("About");
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be_no_bom: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let dir = site(
        CONFIG,
        &[("pages/notepad.md", &le), ("pages/mac.md", &be_no_bom)],
    );
    let (code, diags) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&diags), ["utf-16", "utf-16"], "{diags:#?}");
    let d = diags
        .iter()
        .find(|d| d.file.as_deref() == Some("content/pages/notepad.md"))
        .unwrap();
    assert!(d.message.contains("UTF-16"), "{d:?}");
    assert!(d.message.contains("little-endian"), "{d:?}");
    assert_eq!((d.line, d.column), (1, 1));
    assert!(d.help.as_deref().unwrap().contains("Encoding: UTF-8"));
    assert!(diags[0].message.contains("big-endian"), "{diags:#?}");
}

// ---- Check catches what build would fail on, or build wrong --------------------------------------

#[test]
fn negative_and_all_zero_weights_are_errors() {
    let config = format!("{CONFIG}[rollup]\nrule = \"weighted\"\n");
    let negative = highlight(["weight = -1", "weight = 3"]);
    let zero = highlight(["weight = 0", "weight = 0"]).replace("alpha", "beta");
    let dir = site(
        &config,
        &[
            ("2009-10-q2/alpha.md", negative.as_bytes()),
            ("2009-10-q2/beta.md", zero.as_bytes()),
        ],
    );
    let (code, diags) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&diags), ["invalid-weight", "invalid-weight"]);
    assert_eq!(diags[0].message, "invalid weight: -1 is negative");
    assert_eq!((diags[0].line, diags[0].column), (19, 10));
    assert!(
        diags[1]
            .message
            .contains("every activity of objective o1 has weight 0")
    );
    assert_eq!(diags[1].file.as_deref(), Some("content/2009-10-q2/beta.md"));
}

/// A budget of `depth` groups, each the parent of the next, with a line in the deepest.
fn chain(depth: usize) -> String {
    let mut text = String::from(
        "+++\nkind = \"budget\"\ntitle = \"Budget\"\nperiod = \"2009/10 Q2\"\n\n\
         [[groups]]\nid = \"g0\"\ntitle = \"G\"\nkind = \"expenditure\"\n",
    );
    for i in 1..depth {
        text.push_str(&format!(
            "[[groups]]\nid = \"g{i}\"\ntitle = \"G\"\nparent = \"g{}\"\n",
            i - 1
        ));
    }
    text.push_str(&format!(
        "[[lines]]\nid = \"l\"\ntitle = \"L\"\ngroup = \"g{}\"\napproved = 1\n+++\n",
        depth - 1
    ));
    text
}

#[test]
fn a_deep_chain_of_budget_groups_is_bounded_and_checked_fast() {
    let deep = chain(3_000);
    let dir = site(CONFIG, &[("2009-10-q2/budget.md", deep.as_bytes())]);
    let started = Instant::now();
    let (code, diags) = check_json(dir.path(), &[]);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(code, 1);
    let d = only(&diags, "group-too-deep");
    assert_eq!(
        d.message,
        "budget group `g101` is nested more than 100 levels deep"
    );
    // At its `parent`.
    assert_eq!((d.line, d.column), (10 + 4 * 100 + 3, 10), "{d:?}");
    // At the limit, it builds, and fast.
    let ok = chain(100);
    let dir = site(CONFIG, &[("2009-10-q2/budget.md", ok.as_bytes())]);
    let started = Instant::now();
    let r = build(dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn slugs_that_are_the_sites_own_files_or_break_urls_are_check_errors() {
    let named = |slug: &str| {
        format!("+++\nkind = \"page\"\ntitle = \"T\"\nslug = \"{slug}\"\n+++\nBody.\n")
    };
    let (a, b, c) = (named("404.html"), named("index.html"), named("notes.html"));
    let p = page("P");
    let dir = site(
        CONFIG,
        &[
            ("pages/a.md", a.as_bytes()),
            ("pages/b.md", b.as_bytes()),
            ("pages/c.md", c.as_bytes()),
            ("pages/Notes #2.md", p.as_bytes()),
            ("pages/FAQ?.md", p.as_bytes()),
        ],
    );
    let (code, diags) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let by_file = |f: &str| {
        diags
            .iter()
            .find(|d| d.file.as_deref() == Some(&format!("content/pages/{f}")[..]))
            .unwrap_or_else(|| panic!("nothing for {f} in {diags:#?}"))
    };
    assert_eq!(by_file("a.md").code, "reserved-slug");
    assert_eq!(
        by_file("a.md").message,
        "the page slug `404.html` is taken by the site's not-found page"
    );
    assert_eq!((by_file("a.md").line, by_file("a.md").column), (4, 8));
    assert_eq!(by_file("b.md").code, "reserved-slug");
    assert_eq!(by_file("c.md").code, "invalid-slug");
    let notes = by_file("Notes #2.md");
    assert_eq!(notes.code, "invalid-slug");
    assert!(notes.message.contains("holds `#`"), "{notes:?}");
    assert!(
        notes
            .help
            .as_deref()
            .unwrap()
            .contains("slug = \"notes-2\"")
    );
    assert_eq!((notes.line, notes.column), (1, 1));
    assert_eq!(by_file("FAQ?.md").code, "invalid-slug");
    assert_eq!(diags.len(), 5, "{diags:#?}");
    let r = build(dir.path());
    assert_eq!(r.code, 1, "build refuses at the check, not at a write");
}

#[test]
fn output_names_that_differ_only_in_case_are_check_errors() {
    let p = page("P");
    let h = highlight(["", ""]);
    let dir = site(
        &format!("{CONFIG}[[programmes]]\nid = \"Alpha\"\ntitle = \"A\"\n"),
        &[
            ("pages/About.md", p.as_bytes()),
            ("pages/about.md", p.as_bytes()),
            ("pages/Search.md", p.as_bytes()),
            ("2009-10-q2/alpha.md", h.as_bytes()),
        ],
    );
    let (code, diags) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&diags), ["case-collision"; 3], "{diags:#?}");
    let about = &diags[2];
    assert_eq!(about.file.as_deref(), Some("content/pages/about.md"));
    assert_eq!(
        about.message,
        "`about` and `About` differ only in case, so they are one file on Windows and macOS"
    );
    assert!(
        about
            .help
            .as_deref()
            .unwrap()
            .contains("content/pages/About.md:1:1")
    );
    assert!(
        diags[1].message.contains("`Search` and `search`"),
        "{diags:#?}"
    );
    assert!(
        diags[0]
            .help
            .as_deref()
            .unwrap()
            .contains("programme `Alpha` in boardpack.toml")
    );
}

#[test]
fn a_currency_symbol_that_is_not_the_sites_is_an_error() {
    let text = budget("approved = \"€5,000\"\nplanned = \"£4,000\"\nactual = 3000");
    let dir = site(CONFIG, &[("2009-10-q2/budget.md", text.as_bytes())]);
    let (code, diags) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let d = only(&diags, "currency-mismatch");
    assert_eq!(d.message, "`€` is not the site's currency, GBP");
    assert_eq!((d.line, d.column), (15, 12));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    // In a site in euros, the same figure is fine, and `£` is not.
    let dir = site(
        &format!("{CONFIG}currency = \"EUR\"\n"),
        &[("2009-10-q2/budget.md", text.as_bytes())],
    );
    let (_, diags) = check_json(dir.path(), &[]);
    assert_eq!(only(&diags, "currency-mismatch").line, 16);
}

// ---- The configuration ----------------------------------------------------------------------

/// `check --format json` on a site with this configuration and one page: configuration errors
/// stop the run with exit 2.
fn config_diags(config: &str) -> Vec<Diag> {
    let p = page("P");
    let dir = site(config, &[("pages/p.md", p.as_bytes())]);
    std::fs::create_dir_all(dir.path().join("themes/council")).unwrap();
    let (code, diags) = check_json(dir.path(), &[]);
    assert_eq!(code, 2, "{diags:#?}");
    assert!(
        diags
            .iter()
            .all(|d| d.file.as_deref() == Some("boardpack.toml")),
        "{diags:#?}"
    );
    diags
}

#[test]
fn a_theme_must_be_a_folder_under_themes_that_exists() {
    let d = config_diags(&format!("{CONFIG}theme = \"nope\"\n"));
    assert_eq!(codes(&d), ["invalid-theme"]);
    assert_eq!((d[0].line, d[0].column), (3, 9));
    assert_eq!(
        d[0].message,
        "theme `nope` is not a folder under themes/; the site has: council, default"
    );
    for bad in ["/etc", "../x", "a/b"] {
        let d = config_diags(&format!("{CONFIG}theme = \"{bad}\"\n"));
        assert_eq!(codes(&d), ["invalid-theme"], "{bad}");
        assert!(d[0].message.contains("not a plain folder name"), "{d:?}");
    }
    // And build refuses it before writing.
    let p = page("P");
    let dir = site(
        &format!("{CONFIG}theme = \"nope\"\n"),
        &[("pages/p.md", p.as_bytes())],
    );
    assert_eq!(build(dir.path()).code, 2);
    assert!(!dir.path().join("out").exists());
}

#[test]
fn two_programmes_with_one_id_are_an_error() {
    let d = config_diags(&format!(
        "{CONFIG}[[programmes]]\nid = \"a\"\ntitle = \"A\"\n[[programmes]]\nid = \"a\"\ntitle = \"B\"\n"
    ));
    assert_eq!(codes(&d), ["duplicate-id"]);
    assert_eq!(d[0].message, "duplicate programme id `a`");
    assert_eq!((d[0].line, d[0].column), (7, 6));
    assert_eq!(
        d[0].help.as_deref(),
        Some("first defined at boardpack.toml:4:6")
    );
}

#[test]
fn blank_required_text_is_an_error() {
    let d = config_diags("organisation = \"\"\ntitle = \"  \"\n");
    assert_eq!(codes(&d), ["blank-text", "blank-text"]);
    assert_eq!(d[0].message, "`organisation` is empty");
    assert_eq!((d[1].line, d[1].column), (2, 9));
    let p = page("   ");
    let dir = site(CONFIG, &[("pages/p.md", p.as_bytes())]);
    let (code, diags) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(only(&diags, "blank-text").message, "`title` is empty");
}

#[test]
fn base_url_must_be_a_web_address_or_a_path() {
    for bad in [
        "javascript:alert(1)",
        "data:text/html,x",
        "//evil.example/",
        "board/",
        "https://",
        "/a b/",
    ] {
        let d = config_diags(&format!("{CONFIG}base_url = \"{bad}\"\n"));
        assert_eq!(codes(&d), ["invalid-base-url"], "{bad}");
        assert_eq!((d[0].line, d[0].column), (3, 12), "{bad}");
    }
    for good in [
        "/",
        "/board",
        "https://example.org/board/",
        "http://localhost:8000",
    ] {
        let p = page("P");
        let dir = site(
            &format!("{CONFIG}base_url = \"{good}\"\n"),
            &[("pages/p.md", p.as_bytes())],
        );
        let (code, diags) = check_json(dir.path(), &[]);
        assert_eq!(code, 0, "{good}: {diags:#?}");
    }
}
