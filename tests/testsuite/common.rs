//! Helpers shared by the integration tests: where the fixtures are, how to run the binary, and
//! the JSON form of a diagnostic.

// Each test module uses its own subset of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde::Deserialize;

/// The repository root, which is also the example board.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture site under `tests/fixtures/`, e.g. `fixture("wigan")`.
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests").join("fixtures").join(name)
}

/// A fixture site under `tests/fixtures/invalid/`.
pub fn invalid(case: &str) -> PathBuf {
    let dir = fixture("invalid").join(case);
    assert!(
        dir.join("boardpack.toml").is_file(),
        "no fixture site at {}",
        dir.display()
    );
    dir
}

/// The `boardpack` binary, with a clean colour environment: `NO_COLOR` set, and none of the
/// variables that force colour on.
pub fn boardpack() -> Command {
    let mut cmd = Command::cargo_bin("boardpack").expect("the boardpack binary is built");
    cmd.env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR");
    cmd
}

/// What one run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run the binary with `args` and capture everything.
pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("boardpack runs");
    Run {
        code: out
            .status
            .code()
            .expect("boardpack exited with a code, not a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// One diagnostic as `check --format json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diag {
    pub file: Option<String>,
    pub line: usize,
    pub column: usize,
    pub severity: String,
    pub code: String,
    pub message: String,
    pub help: Option<String>,
}

impl Diag {
    fn new(
        severity: &str,
        file: &str,
        line: usize,
        column: usize,
        code: &str,
        message: &str,
    ) -> Self {
        Self {
            file: Some(file.to_string()),
            line,
            column,
            severity: severity.to_string(),
            code: code.to_string(),
            message: message.to_string(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: &str) -> Self {
        self.help = Some(help.to_string());
        self
    }
}

/// An expected error at `file:line:column`, with no help.
pub fn error(file: &str, line: usize, column: usize, code: &str, message: &str) -> Diag {
    Diag::new("error", file, line, column, code, message)
}

/// An expected warning at `file:line:column`, with no help.
pub fn warning(file: &str, line: usize, column: usize, code: &str, message: &str) -> Diag {
    Diag::new("warning", file, line, column, code, message)
}

/// `boardpack --root <root> check --format json <extra>`: the exit code and the diagnostics.
/// Panics if stdout is not a JSON array of diagnostics.
pub fn check_json(root: &Path, extra: &[&str]) -> (i32, Vec<Diag>) {
    let r = run(boardpack()
        .arg("--root")
        .arg(root)
        .args(["check", "--format", "json"])
        .args(extra));
    let diags = parse_diags(&r.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON diagnostics ({e}):\n{}\nstderr:\n{}",
            r.stdout, r.stderr
        )
    });
    (r.code, diags)
}

/// Parse the output of `check --format json`.
pub fn parse_diags(stdout: &str) -> Result<Vec<Diag>, serde_json::Error> {
    serde_json::from_str(stdout)
}

/// `boardpack --root <root> --color never check <extra>` with `NO_COLOR=1`: the exit code and
/// stderr, where the human-readable diagnostics go, with the elapsed time redacted.
pub fn check_human(root: &Path, extra: &[&str]) -> (i32, String) {
    let r = run(boardpack()
        .arg("--root")
        .arg(root)
        .args(["--color", "never", "check"])
        .args(extra));
    assert_eq!(
        r.stdout, "",
        "human-readable check prints nothing on stdout"
    );
    (r.code, redact_elapsed(&r.stderr))
}

/// Replace the elapsed time in the `checked N documents in 4ms: ...` status line, which changes
/// from run to run, with `[elapsed]`.
pub fn redact_elapsed(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.starts_with("checked ")
                && let Some(at) = line.find(" in ")
                && let Some(colon) = line[at..].find(':')
            {
                format!("{} in [elapsed]{}", &line[..at], &line[at + colon..])
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Copy a directory tree, for tests that change a site.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// A CSS selector, for asserting HTML by its structure.
pub fn sel(s: &str) -> scraper::Selector {
    scraper::Selector::parse(s).unwrap()
}

/// A built page, parsed.
pub fn page(out: &Path, rel: &str) -> scraper::Html {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    scraper::Html::parse_document(&text)
}

/// An element's text with white space collapsed, as a reader sees it.
pub fn text(e: scraper::ElementRef<'_>) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A reply to [`http`]: the status, the head (status line and headers) and the body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

/// A raw HTTP/1.1 request to a server under test, with `headers` (each ending `\r\n`; the
/// `Host` line included) as given, so tests can send what a browser would not. A reply that
/// breaks off is kept as far as it came.
pub fn http(addr: std::net::SocketAddr, method: &str, path: &str, headers: &str) -> Reply {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("the server accepts");
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .expect("a timeout can be set");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"
    )
    .expect("the request is sent");
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// The whole site rendered into memory, search index included: what `build` writes, minus its
/// manifest, for comparing a build or a watch session against.
pub fn render_in_memory(
    loaded: &boardpack::plan::Loaded,
) -> Result<boardpack::site::Rendered, boardpack::error::Error> {
    let renderer = boardpack::site::Renderer::new(loaded)?;
    let plan = boardpack::plan::pages::plan(&loaded.config, &loaded.content.documents);
    let mut rendered = renderer.render(loaded, &plan, |_| true)?;
    boardpack::site::search::add_index(
        &plan,
        &loaded.content.documents,
        &loaded.config.language,
        &mut rendered,
    )?;
    Ok(rendered)
}

/// A file of pagefind's index as the browser reads it: gunzipped, without the marker pagefind
/// puts in front of its data.
pub fn unpagefind(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("a pagefind file is gzip");
    match out.strip_prefix(b"pagefind_dcd") {
        Some(rest) => rest.to_vec(),
        None => out,
    }
}

/// Every page in a built site's search index: pagefind's fragment of it, which holds the
/// text a result shows (`content`), its `meta` (title, summary), `filters` and `anchors`.
pub fn search_fragments(out: &Path) -> Vec<serde_json::Value> {
    let dir = out.join("search/pagefind/fragment");
    let mut found: Vec<serde_json::Value> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let bytes = std::fs::read(e.unwrap().path()).unwrap();
            serde_json::from_slice(&unpagefind(&bytes)).expect("a fragment is JSON")
        })
        .collect();
    found.sort_by(|a, b| a["url"].as_str().cmp(&b["url"].as_str()));
    found
}
