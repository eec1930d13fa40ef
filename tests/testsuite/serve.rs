//! `boardpack serve` end to end: a real server on an ephemeral loopback port, a real watcher,
//! and a raw HTTP client, so that paths reach the server exactly as written.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};

use crate::common::{Reply, copy_dir, http, sel};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);

struct Server {
    child: Child,
    addr: SocketAddr,
    site: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn start(fixture_name: &str) -> Server {
    start_with(fixture_name, |_| {})
}

/// Start a server on a copy of a fixture, after `setup` has changed the copy.
fn start_with(fixture_name: &str, setup: impl FnOnce(&Path)) -> Server {
    start_serving(fixture_name, &[], setup)
}

/// Start `serve` with `extra` arguments on a copy of a fixture changed by `setup`.
fn start_serving(fixture_name: &str, extra: &[&str], setup: impl FnOnce(&Path)) -> Server {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture(fixture_name), site.path());
    setup(site.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_boardpack"))
        .arg("--root")
        .arg(site.path())
        .args(["--color", "never", "serve", "--port", "0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .last()
        .expect("a serving line")
        .to_string();
    let addr: SocketAddr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    Server { child, addr, site }
}

fn request(addr: SocketAddr, method: &str, path: &str) -> Reply {
    http(addr, method, path, &format!("Host: {addr}\r\n"))
}

fn get(addr: SocketAddr, path: &str) -> Reply {
    request(addr, "GET", path)
}

/// Listen to the server's events on a thread; each item is `(event, data)`.
fn events(addr: SocketAddr) -> Receiver<(String, String)> {
    let (tx, rx) = channel();
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET /__boardpack/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { break };
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = line.strip_prefix("data: ")
                && tx.send((event.clone(), d.to_string())).is_err()
            {
                break;
            }
        }
    });
    // Give the subscription a moment to register before anything changes.
    std::thread::sleep(Duration::from_millis(200));
    rx
}

fn next_event(rx: &Receiver<(String, String)>, name: &str) -> String {
    let deadline = Instant::now() + WAIT;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok((e, d)) if e == name => return d,
            Ok(_) => continue,
            Err(_) => break,
        }
    }
    panic!("no `{name}` event within {WAIT:?}");
}

/// Poll until `f` holds, so tests wait for rebuilds without fixed sleeps.
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("timed out waiting for: {what}");
}

const REPORT: &str = "/programmes/alpha/2009-10-q2/";

fn report_file(s: &Server) -> PathBuf {
    s.site.path().join("content/2009-10-q2/alpha.md")
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn editing_a_report_serves_the_new_content_and_sends_a_reload() {
    let s = start("two-periods");
    let first = get(s.addr, REPORT);
    assert!(
        first.body.contains("Deliver the thing"),
        "{} {}",
        first.head,
        first.body.len()
    );
    let rx = events(s.addr);
    edit(
        &report_file(&s),
        "Waiting on a partner.",
        "Waiting on a partner in Fife.",
    );
    let data = next_event(&rx, "reload");
    let v: serde_json::Value = serde_json::from_str(&data).unwrap();
    let paths: Vec<&str> = v["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    assert!(paths.contains(&REPORT), "{paths:?}");
    // The reload is sent only once the new output is in place.
    assert!(
        get(s.addr, REPORT)
            .body
            .contains("Waiting on a partner in Fife.")
    );
}

/// A save of one report shows its page first (the preview), then the board pack and the
/// other pages that show it; the report's page is reloaded once, not again by the rebuild.
#[test]
fn a_saved_report_is_shown_first_and_reloaded_once() {
    let s = start("two-periods");
    let rx = events(s.addr);
    edit(
        &report_file(&s),
        "Waiting on a partner.",
        "Waiting on a partner in Angus.",
    );
    let pack = "/periods/2009-10-q2/";
    eventually("the board pack to show the edit", || {
        get(s.addr, pack)
            .body
            .contains("Waiting on a partner in Angus.")
    });
    assert!(
        get(s.addr, REPORT)
            .body
            .contains("Waiting on a partner in Angus.")
    );
    // Every reload event up to now, and any that arrive shortly after.
    let mut reloads = Vec::new();
    while let Ok((e, d)) = rx.recv_timeout(Duration::from_millis(500)) {
        if e == "reload" {
            let v: serde_json::Value = serde_json::from_str(&d).unwrap();
            let paths: Vec<String> = v["paths"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|p| p.as_str().map(str::to_string))
                .collect();
            reloads.push(paths);
        }
    }
    let report_reloads = reloads
        .iter()
        .filter(|p| p.iter().any(|p| p == REPORT))
        .count();
    assert_eq!(report_reloads, 1, "{reloads:?}");
    assert!(
        reloads.iter().flatten().any(|p| p == pack),
        "the board pack is reloaded too: {reloads:?}"
    );
}

#[test]
fn a_broken_save_keeps_the_last_good_page_and_shows_the_overlay_until_fixed() {
    let s = start("two-periods");
    let rx = events(s.addr);
    let file = report_file(&s);
    edit(&file, "status = \"delayed\"", "status = \"stuck\"");
    let data = next_event(&rx, "build-error");
    assert!(data.contains("unknown activity status `stuck`"), "{data}");
    assert!(data.contains("content/2009-10-q2/alpha.md:"), "{data}");
    let page = get(s.addr, REPORT);
    assert_eq!(page.status, 200);
    // The last good content is still there, under an overlay with check's diagnostics.
    assert!(page.body.contains("Deliver the thing"));
    let html = scraper::Html::parse_document(&page.body);
    let sel = scraper::Selector::parse("#boardpack-error-overlay pre").unwrap();
    let overlay: String = html.select(&sel).next().expect("overlay").text().collect();
    assert!(
        overlay.contains("unknown activity status `stuck`"),
        "{overlay}"
    );
    assert!(overlay.contains("alpha.md:"), "{overlay}");

    edit(&file, "status = \"stuck\"", "status = \"delayed\"");
    eventually("the overlay to clear", || {
        !get(s.addr, REPORT)
            .body
            .contains("<div id=\"boardpack-error-overlay\"")
    });
}

#[test]
fn deleting_a_report_removes_its_page() {
    let s = start("two-periods");
    assert_eq!(get(s.addr, "/programmes/alpha/2008-09-q2/").status, 200);
    std::fs::remove_file(s.site.path().join("content/2008-09-q2/alpha.md")).unwrap();
    eventually("the page to go", || {
        get(s.addr, "/programmes/alpha/2008-09-q2/").status == 404
    });
}

#[test]
fn an_atomic_rename_save_is_picked_up() {
    let s = start("two-periods");
    let file = report_file(&s);
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("A new objective", "A renamed objective");
    // Editors write a hidden temporary file and rename it over the original.
    let tmp = file.with_file_name(".alpha.md.tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &file).unwrap();
    eventually("the renamed objective", || {
        get(s.addr, REPORT).body.contains("A renamed objective")
    });
}

#[test]
fn a_new_folder_with_a_report_is_picked_up() {
    let s = start("two-periods");
    let dir = s.site.path().join("content/2009-10-q3");
    std::fs::create_dir(&dir).unwrap();
    let text = std::fs::read_to_string(report_file(&s))
        .unwrap()
        .replace("2009/10 Q2", "2009/10 Q3");
    std::fs::write(dir.join("alpha.md"), text).unwrap();
    eventually("the Q3 report", || {
        get(s.addr, "/programmes/alpha/2009-10-q3/").status == 200
    });
}

#[test]
fn traversal_and_sources_are_not_served() {
    let s = start("two-periods");
    for path in [
        "/../boardpack.toml",
        "/%2e%2e/boardpack.toml",
        "/%2E%2E%2Fboardpack.toml",
        "/..%5cboardpack.toml",
        "/..\\boardpack.toml",
        "/programmes/../../boardpack.toml",
        "/boardpack.toml",
        "/content/2009-10-q2/alpha.md",
        "/%00",
    ] {
        let r = get(s.addr, path);
        assert_eq!(r.status, 404, "{path}: {}", r.head);
        assert!(
            !r.body.contains("organisation ="),
            "{path} leaked the config"
        );
    }
}

#[test]
fn only_get_and_head_are_answered() {
    let s = start("two-periods");
    let head = request(s.addr, "HEAD", REPORT);
    assert_eq!(head.status, 200);
    assert!(head.head.to_lowercase().contains("content-type: text/html"));
    assert!(head.body.is_empty());
    for m in ["POST", "PUT", "DELETE"] {
        let r = request(s.addr, m, REPORT);
        assert_eq!(r.status, 405, "{m}");
    }
    let css = get(s.addr, "/");
    assert!(css.head.to_lowercase().contains("text/html; charset=utf-8"));
    let missing = get(s.addr, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.head.to_lowercase().contains("text/html"));
}

#[test]
fn another_interface_is_refused_by_default() {
    let s = start("two-periods");
    // The server listens on 127.0.0.1 only; the rest of the loopback range, like any other
    // interface, has nothing listening.
    let other = SocketAddr::new("127.0.0.2".parse().unwrap(), s.addr.port());
    let r = TcpStream::connect_timeout(&other, Duration::from_secs(2));
    assert!(r.is_err(), "a connection to {other} was accepted");
    assert_eq!(get(s.addr, "/").status, 200);
}

#[test]
fn a_css_change_swaps_the_stylesheet_without_a_reload() {
    let s = start_with("two-periods", |site| {
        copy_dir(
            &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
            &site.join("themes/default"),
        );
    });
    let rx = events(s.addr);
    let css = s.site.path().join("themes/default/static/css/main.css");
    let mut text = std::fs::read_to_string(&css).unwrap();
    text.push_str("\n.bp-test-marker { color: #0b0c0c; }\n");
    std::fs::write(&css, text).unwrap();
    let data = next_event(&rx, "css");
    let v: serde_json::Value = serde_json::from_str(&data).unwrap();
    let href = v["href"].as_str().unwrap().to_string();
    assert!(href.starts_with("/css/main."), "{href}");
    let body = get(s.addr, &href).body;
    assert!(body.contains("bp-test-marker"), "new CSS served");
}

#[test]
fn ctrl_c_stops_cleanly() {
    let mut s = start("two-periods");
    let pid = s.child.id().to_string();
    let status = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(code) = s.child.try_wait().unwrap() {
            assert!(code.success(), "{code:?}");
            break;
        }
        assert!(Instant::now() < deadline, "serve did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Nothing written beside the site: serve works from memory.
    let names: Vec<String> = std::fs::read_dir(s.site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n == "output" || n.contains(".tmp")),
        "{names:?}"
    );
}

/// serve is the author's preview: drafts are shown, marked, unless `--no-drafts`; then they
/// are left out as `build` leaves them out, and a page made a draft goes.
#[test]
fn drafts_are_shown_unless_no_drafts() {
    const DRAFT: &str = "/programmes/alpha/2009-10-q3/";
    let s = start("drafts");
    let page = get(s.addr, DRAFT);
    assert_eq!(page.status, 200);
    let html = scraper::Html::parse_document(&page.body);
    let notice = html
        .select(&crate::common::sel("main > .bp-draft"))
        .next()
        .map(crate::common::text);
    assert!(
        notice.is_some_and(|n| n.starts_with("DRAFT – not approved")),
        "{}",
        page.body
    );
    assert_eq!(get(s.addr, "/quokka/").status, 200);
    drop(s);

    let s = start_serving("drafts", &["--no-drafts"], |_| {});
    assert_eq!(get(s.addr, DRAFT).status, 404);
    assert_eq!(get(s.addr, "/quokka/").status, 404);
    assert_eq!(get(s.addr, "/periods/2009-10-q3/").status, 404);
    assert_eq!(get(s.addr, REPORT).status, 200);
    // An approved report saved as a draft leaves the served site.
    edit(
        &report_file(&s),
        "approved = { by = \"Audit Committee\", on = 2009-11-30 }",
        "draft = true",
    );
    eventually("the report made a draft to go", || {
        get(s.addr, REPORT).status == 404
    });
}

/// A board pack's PDF is typeset after the pages are served, and again after a save: the
/// link on the board pack page serves it, and the save's reload never waits for it.
#[test]
fn the_board_pack_pdf_is_served_and_follows_a_save() {
    let s = start("two-periods");
    let pack = get(s.addr, "/periods/2009-10-q2/");
    let doc = scraper::Html::parse_document(&pack.body);
    let href = doc
        .select(&sel(".bp-pdf-link a"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("the board pack page links its PDF")
        .to_string();
    let mut first = String::new();
    eventually("the PDF is typeset and served", || {
        let r = get(s.addr, &href);
        first = r.body;
        r.status == 200 && first.starts_with("%PDF")
    });
    let rx = events(s.addr);
    edit(
        &report_file(&s),
        "Waiting on a partner.",
        "Waiting on a partner in Fife.",
    );
    next_event(&rx, "reload");
    eventually("the PDF is typeset again", || {
        let r = get(s.addr, &href);
        r.status == 200 && r.body.starts_with("%PDF") && r.body != first
    });
}
