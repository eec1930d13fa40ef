//! The parse-only floor: the least work any build of a boardpack site must do.
//!
//! ```text
//! cargo run --release --example parse_floor -- DIR [--threads N]
//! ```
//!
//! Reads every `.md` file under `DIR/content` in parallel with rayon (one thread per core by
//! default), splits off the `+++` TOML front matter, parses it with the `toml` crate's
//! span-preserving parser (`toml::de::DeTable::parse`, the parser boardpack itself uses), and
//! renders the Markdown body to an HTML `String` with pulldown-cmark, which is then dropped.
//! Nothing is validated, aggregated, templated or written. It prints the file count, bytes and
//! elapsed time to stdout.
//!
//! Only the body goes through pulldown-cmark: the Markdown held in front-matter strings
//! (narrative, footnotes, notes) is parsed as TOML but not rendered, so a real build, which
//! renders those too, has strictly more Markdown to do than this floor.

use std::path::{Path, PathBuf};
use std::time::Instant;

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut threads = None;
    if let Some(i) = args.iter().position(|a| a == "--threads") {
        args.remove(i);
        threads = args.get(i).and_then(|n| n.parse::<usize>().ok());
        if threads.is_none() {
            eprintln!("parse_floor: --threads needs a number");
            std::process::exit(2);
        }
        args.remove(i);
    }
    let [dir] = args.as_slice() else {
        eprintln!("usage: parse_floor DIR [--threads N]");
        std::process::exit(2);
    };
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .expect("the global thread pool is built once");
    }
    let started = Instant::now();
    let content = Path::new(dir).join("content");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    if files.is_empty() {
        eprintln!("parse_floor: no .md files under {}", content.display());
        std::process::exit(2);
    }
    let (bytes, html_bytes, failures) = files
        .par_iter()
        .map(|path| floor(path))
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    let elapsed = started.elapsed();
    println!(
        "parse floor: {} files, {bytes} bytes of source, {html_bytes} bytes of body HTML, {failures} failures, {} threads, {:.3} s",
        files.len(),
        rayon::current_num_threads(),
        elapsed.as_secs_f64()
    );
    if failures > 0 {
        std::process::exit(1);
    }
}

/// Read, split, parse and render one file. Returns (source bytes, HTML bytes, failures).
fn floor(path: &Path) -> (usize, usize, usize) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return (0, 0, 1);
    };
    let Some((front, body)) = split(&text) else {
        return (text.len(), 0, 1);
    };
    let failed = match toml::de::DeTable::parse(front) {
        Ok(table) => {
            std::hint::black_box(&table);
            0
        }
        Err(_) => 1,
    };
    let mut out = String::with_capacity(body.len() * 3 / 2);
    // The extensions boardpack's renderer enables (src/render/markdown.rs).
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    html::push_html(&mut out, Parser::new_ext(body, options));
    let n = out.len();
    drop(std::hint::black_box(out));
    (text.len(), n, failed)
}

/// Split `+++` front matter from the body.
fn split(text: &str) -> Option<(&str, &str)> {
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}
