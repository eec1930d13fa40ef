//! Watch-mode latency: the time from a report being written to the updated page being served.
//!
//! `cargo run --release --example serve_latency -- SITE REPORT [RUNS]` starts
//! `target/release/boardpack serve` (or `$BOARDPACK_BIN`) on SITE, then RUNS times rewrites REPORT (a path relative to
//! SITE) with a new sentence at the end of its body, and polls the report's page over HTTP
//! until the sentence is served: that is the latency. It then polls the period's board pack,
//! which repeats the report, until the sentence is there too, so that the rebuild of the pages
//! that summarise the report has finished before the next save; that time is printed as
//! "whole site". It prints every figure and the medians, and restores the file.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn get(addr: SocketAddr, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return String::new();
    };
    let _ = write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    );
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The report's page: `/programmes/<programme>/<period-slug>/`, read from its front matter.
fn page_of(text: &str) -> String {
    let value = |key: &str| {
        text.lines()
            .find_map(|l| {
                let l = l.trim();
                let rest = l.strip_prefix(key)?.trim_start().strip_prefix('=')?;
                Some(rest.trim().trim_matches('"').to_string())
            })
            .unwrap_or_else(|| panic!("no `{key}` in the report"))
    };
    let programme = value("programme");
    let period = value("period").to_lowercase().replace(['/', ' '], "-");
    format!("/programmes/{programme}/{period}/")
}

/// The period's board pack: `/periods/<period-slug>/`.
fn board_pack_of(page: &str) -> String {
    let period = page.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    format!("/periods/{period}/")
}

fn wait_for(addr: SocketAddr, path: &str, marker: &str, t0: Instant) -> f64 {
    loop {
        if get(addr, path).contains(marker) {
            return t0.elapsed().as_secs_f64() * 1000.0;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "{path}: no update after 60 s"
        );
        std::thread::sleep(Duration::from_micros(500));
    }
}

fn median(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[(v.len() * 9 / 10).min(v.len() - 1)])
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: serve_latency SITE REPORT [RUNS]");
        std::process::exit(2);
    }
    let site = PathBuf::from(&args[1]);
    let report = site.join(&args[2]);
    let runs: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(20);
    let original = std::fs::read_to_string(&report).expect("read the report");
    let page = page_of(&original);
    // `BOARDPACK_BIN` names another binary: the benchmark harness measures a private copy.
    let bin = std::env::var_os("BOARDPACK_BIN").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/boardpack"),
        PathBuf::from,
    );
    let mut child = Command::new(&bin)
        .arg("--root")
        .arg(&site)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start boardpack serve (build it first: cargo build --release)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the serving line");
    let addr: SocketAddr = line
        .split_whitespace()
        .last()
        .and_then(|u| {
            u.trim_start_matches("http://")
                .trim_end_matches('/')
                .parse()
                .ok()
        })
        .expect("an address");
    assert!(
        get(addr, &page).starts_with("HTTP/1.1 200"),
        "{page} is not served"
    );
    let pack = board_pack_of(&page);
    let mut times = Vec::with_capacity(runs);
    let mut whole = Vec::with_capacity(runs);
    let mut differed = 0;
    for i in 0..runs {
        let marker = format!("Latency check number {i} of this run.");
        let text = format!("{}\n{marker}\n", original.trim_end());
        // Let the previous rebuild's events settle so each run measures one save.
        std::thread::sleep(Duration::from_millis(150));
        let t0 = Instant::now();
        std::fs::write(&report, text).expect("write the report");
        let ms = wait_for(addr, &page, &marker, t0);
        let body = |r: String| r.split_once("\r\n\r\n").map(|(_, b)| b.to_string());
        let first = body(get(addr, &page));
        let all = wait_for(addr, &pack, &marker, t0);
        // The page first served (a preview, where the server makes one) must be the page the
        // whole rebuild makes.
        if body(get(addr, &page)) != first {
            differed += 1;
        }
        println!("run {i}: {ms:.1} ms (whole site {all:.1} ms)");
        times.push(ms);
        whole.push(all);
    }
    std::fs::write(&report, &original).expect("restore the report");
    let _ = child.kill();
    let _ = child.wait();
    let (min, max) = (
        times.iter().copied().fold(f64::INFINITY, f64::min),
        times.iter().copied().fold(0.0, f64::max),
    );
    let (med, p90) = median(times);
    let (whole_med, whole_p90) = median(whole);
    println!(
        "{runs} runs on {}: median {med:.1} ms, p90 {p90:.1} ms, min {min:.1} ms, max {max:.1} ms; \
         whole site median {whole_med:.1} ms, p90 {whole_p90:.1} ms; \
         first page served differed from the rebuilt one {differed} times",
        site.display(),
    );
}
