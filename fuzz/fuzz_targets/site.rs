//! A whole site built in memory from arbitrary files: each `\0`-separated part of the input is
//! one document under `content/`, parsed as the loader parses it, checked across documents,
//! aggregated and rendered with the built-in theme into pages and the search index, whole and
//! in batches. Nothing touches the disk. Never panics; a build of documents that have no errors
//! always renders, and the same in batches of two reports.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use boardpack::aggregate::aggregate;
use boardpack::config::Config;
use boardpack::content::{Content, parse_document, validate};
use boardpack::plan::{Loaded, pages};
use boardpack::site::{Renderer, search};
use boardpack::source::SourceFile;
use libfuzzer_sys::fuzz_target;

/// The example board's configuration, with its programmes, so reports have somewhere to go.
const CONFIG: &str = include_str!("../../boardpack.toml");

/// Where documents go: quarters and a year, so periods and roll-ups meet.
const DIRS: [&str; 4] = ["2009-10-q1", "2009-10-q2", "2009-10", "pages"];

struct Setup {
    config: Config,
    root: PathBuf,
    renderer: Renderer,
}

// Compiling the theme is the slow part of a build and depends only on the configuration, so
// it is done once. `Renderer` holds Tera's compiled templates; keep it on this thread.
fn setup() -> &'static Setup {
    static SETUP: OnceLock<usize> = OnceLock::new();
    thread_local! {
        static LOCAL: &'static Setup = {
            // No themes/ under this root: the built-in theme is used and nothing is read.
            let root = PathBuf::from("/nonexistent/boardpack-fuzz-site");
            let file = SourceFile::new(root.join("boardpack.toml"), "boardpack.toml", CONFIG.into());
            let config = Config::parse(&file).expect("the example configuration is valid");
            let empty = Loaded {
                root: root.clone(),
                config: config.clone(),
                content: Content::default(),
                aggregates: aggregate(&config, &[]),
                history: Default::default(),
                audience: Default::default(),
                author_findings: None,
            };
            let renderer = Renderer::new(&empty).expect("the built-in theme compiles");
            Box::leak(Box::new(Setup { config, root, renderer }))
        };
    }
    SETUP.get_or_init(|| {
        // One rendering thread: libFuzzer runs one input at a time.
        // SAFETY: set before any other thread exists or rayon's pool is started.
        unsafe { std::env::set_var("RAYON_NUM_THREADS", "1") };
        0
    });
    LOCAL.with(|s| *s)
}

fuzz_target!(|bytes: &[u8]| {
    let setup = setup();
    let mut documents = Vec::new();
    let mut diagnostics = Vec::new();
    let mut files = 0;
    for (i, part) in bytes.split(|b| *b == 0).take(24).enumerate() {
        let Ok(text) = std::str::from_utf8(part) else {
            continue;
        };
        files += 1;
        let rel = format!("{}/f{i}.md", DIRS[i % DIRS.len()]);
        let path = setup.root.join("content").join(&rel);
        let file = SourceFile::new(path, format!("content/{rel}"), text.to_string());
        let (doc, diags) = parse_document(file, &rel);
        documents.extend(doc);
        diagnostics.extend(diags);
    }
    diagnostics.extend(validate::check(&documents, &setup.config));
    boardpack::diagnostic::sort(&mut diagnostics);
    let aggregates = aggregate(&setup.config, &documents);
    let loaded = Loaded {
        root: setup.root.clone(),
        config: setup.config.clone(),
        content: Content {
            files,
            documents,
            diagnostics,
            left_out_drafts: Vec::new(),
        },
        aggregates,
        history: Default::default(),
        audience: Default::default(),
        author_findings: None,
    };
    let all = loaded.all_diagnostics();
    for d in &all {
        let _ = d.to_json();
    }
    // `boardpack build` stops on errors; render only what it would render.
    if all.iter().any(|d| d.is_error()) {
        return;
    }
    // What `site::render` does, with the theme compiled once, and again in batches of two
    // reports, as a large site's build lays them out: the two must agree byte for byte.
    let plan = pages::plan(&loaded.config, &loaded.content.documents);
    let mut rendered = setup
        .renderer
        .render(&loaded, &plan, |_| true)
        .expect("a site without errors renders");
    let files = std::sync::Mutex::new(Vec::new());
    let (pages, _) = setup
        .renderer
        .render_in_batches(
            &loaded,
            &plan,
            2,
            &|path, bytes| {
                files.lock().unwrap().push((path.to_string(), bytes.to_vec()));
                Ok(())
            },
            |_, _| None::<()>,
        )
        .expect("a site without errors renders in batches");
    let mut files = files.into_inner().unwrap();
    files.sort();
    assert_eq!(pages, rendered.pages);
    assert!(files == rendered.files, "batches change the output");
    search::add_index(
        &plan,
        &loaded.content.documents,
        &loaded.config.language,
        &mut rendered,
    )
    .expect("the index builds");
});
