//! `boardpack serve` held to issue #13: the same with a relative `--root` as an absolute one,
//! deaf to requests for other hosts (DNS rebinding), a broken site (not an empty one) when
//! `content/` goes, and still watching after a rebuild panics.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Reply, copy_dir, fixture, http, sel};

const WAIT: Duration = Duration::from_secs(10);
const REPORT: &str = "/programmes/alpha/2009-10-q2/";
const REPORT_FILE: &str = "content/2009-10-q2/alpha.md";

struct Server {
    child: Child,
    addr: SocketAddr,
    /// Holds `site/`, the server's stderr in `stderr.txt`.
    dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Serve a copy of two-periods at `<tmp>/site`, run from `<tmp>` with `--root site`: the
    /// command a new author types.
    fn start(env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture("two-periods"), &dir.path().join("site"));
        let stderr = std::fs::File::create(dir.path().join("stderr.txt")).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_boardpack"));
        cmd.current_dir(dir.path())
            .args(["--root", "site", "--color", "never", "serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(stderr);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line.split_whitespace().last().expect("a serving line");
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|e| panic!("{line}: {e}"));
        Server { child, addr, dir }
    }

    fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("stderr.txt")).unwrap()
    }

    fn get(&self, path: &str) -> Reply {
        request(self.addr, path, &format!("Host: {}\r\n", self.addr))
    }
}

/// A GET with the given header lines.
fn request(addr: SocketAddr, path: &str, headers: &str) -> Reply {
    http(addr, "GET", path, headers)
}

fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("timed out waiting for: {what}");
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// The overlay's text on a served page, if it has one.
fn overlay(body: &str) -> Option<String> {
    let html = scraper::Html::parse_document(body);
    html.select(&sel("#boardpack-error-overlay pre"))
        .next()
        .map(|e| e.text().collect())
}

/// The report page's main text, as served.
fn main_text(body: &str) -> String {
    let html = scraper::Html::parse_document(body);
    html.select(&sel("main"))
        .next()
        .map(|e| e.text().collect())
        .unwrap_or_default()
}

#[test]
fn a_relative_root_rebuilds_on_a_save() {
    let s = Server::start(&[]);
    assert!(main_text(&s.get(REPORT).body).contains("Waiting on a partner."));
    edit(
        &s.site().join(REPORT_FILE),
        "Waiting on a partner.",
        "Waiting on a partner in Moray.",
    );
    eventually("the saved report to be served", || {
        main_text(&s.get(REPORT).body).contains("Waiting on a partner in Moray.")
    });
    // Diagnostics still name files relative to the root.
    edit(
        &s.site().join(REPORT_FILE),
        "status = \"delayed\"",
        "status = \"stuck\"",
    );
    eventually("the overlay", || overlay(&s.get(REPORT).body).is_some());
    let text = overlay(&s.get(REPORT).body).unwrap();
    assert!(text.contains("content/2009-10-q2/alpha.md:"), "{text}");
    assert!(!text.contains(&*s.dir.path().to_string_lossy()), "{text}");
}

#[test]
fn requests_for_another_host_are_refused() {
    let s = Server::start(&[]);
    let port = s.addr.port();
    for path in [REPORT, "/", "/__boardpack/events"] {
        for host in [
            "evil.example",
            &format!("evil.example:{port}"),
            "localhost:1",
        ] {
            let r = request(s.addr, path, &format!("Host: {host}\r\n"));
            assert_eq!(r.status, 421, "{path} for {host}");
            assert!(!r.body.contains("Deliver the thing"), "{path} for {host}");
            assert!(r.body.contains("Host"), "{}", r.body);
        }
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("board.localhost:{port}"),
    ] {
        let r = request(s.addr, REPORT, &format!("Host: {host}\r\n"));
        assert_eq!(r.status, 200, "{host}");
        assert!(r.body.contains("Deliver the thing"), "{host}");
    }
}

#[test]
fn deleting_content_keeps_the_last_good_site_under_the_overlay() {
    let s = Server::start(&[]);
    let content = s.site().join("content");
    let away = s.dir.path().join("content-away");
    std::fs::rename(&content, &away).unwrap();
    eventually("the overlay", || overlay(&s.get(REPORT).body).is_some());
    let page = s.get(REPORT);
    assert_eq!(page.status, 200);
    assert!(main_text(&page.body).contains("Deliver the thing"));
    let text = overlay(&page.body).unwrap();
    assert!(text.contains("no-content"), "{text}");
    assert!(text.contains("no content/ directory"), "{text}");

    std::fs::rename(&away, &content).unwrap();
    eventually("the overlay to clear", || {
        let page = s.get(REPORT);
        page.status == 200 && overlay(&page.body).is_none()
    });
    assert!(main_text(&s.get(REPORT).body).contains("Deliver the thing"));
}

#[test]
fn a_panic_in_a_rebuild_is_shown_and_the_next_save_recovers() {
    let s = Server::start(&[("BOARDPACK_TEST_PANIC", "PANIC-HERE")]);
    let file = s.site().join(REPORT_FILE);
    edit(&file, "Waiting on a partner.", "Waiting on PANIC-HERE.");
    eventually("the internal error overlay", || {
        overlay(&s.get(REPORT).body).is_some_and(|t| t.contains("internal error"))
    });
    let page = s.get(REPORT);
    assert!(main_text(&page.body).contains("Waiting on a partner."));
    let text = overlay(&page.body).unwrap();
    assert!(text.contains("test panic while reading"), "{text}");
    let stderr = s.stderr();
    assert!(stderr.contains("internal error"), "{stderr}");
    assert!(!stderr.contains("thread '"), "{stderr}");

    edit(
        &file,
        "Waiting on PANIC-HERE.",
        "Waiting on a partner in Fife.",
    );
    eventually("the fixed save to be served without the overlay", || {
        let body = s.get(REPORT).body;
        overlay(&body).is_none() && main_text(&body).contains("Waiting on a partner in Fife.")
    });
    // And the watching goes on.
    edit(&file, "in Fife.", "in Angus.");
    eventually("the next save", || {
        main_text(&s.get(REPORT).body).contains("Waiting on a partner in Angus.")
    });
}

/// A link out of the site made while serving is judged as `check` judges it: its target is
/// neither published nor shown, and the warning does not break the site.
#[cfg(unix)]
#[test]
fn a_link_out_of_the_site_made_while_serving_is_not_followed() {
    let s = Server::start(&[]);
    let secret = s.dir.path().join("page.md");
    std::fs::write(
        &secret,
        "+++\nkind = \"page\"\ntitle = \"Outside\"\nslug = \"outside\"\n+++\nSECRET-BYTES\n",
    )
    .unwrap();
    let text = s.dir.path().join("secret.txt");
    std::fs::write(&text, "SECRET-BYTES\n").unwrap();
    std::os::unix::fs::symlink(&secret, s.site().join("content/outside.md")).unwrap();
    std::os::unix::fs::symlink(&text, s.site().join("content/2009-10-q2/leak.md")).unwrap();
    // A save after the links, so the test knows a rebuild has seen them.
    edit(
        &s.site().join(REPORT_FILE),
        "Waiting on a partner.",
        "Waiting on a partner in Perth.",
    );
    eventually("the save to be served", || {
        main_text(&s.get(REPORT).body).contains("Waiting on a partner in Perth.")
    });
    assert_eq!(s.get("/outside/").status, 404);
    let page = s.get(REPORT);
    assert!(overlay(&page.body).is_none());
    assert!(!page.body.contains("SECRET-BYTES"));
    let stderr = s.stderr();
    assert!(!stderr.contains("SECRET-BYTES"), "{stderr}");
}
