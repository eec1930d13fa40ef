//! One file of arbitrary bytes through the whole per-file pipeline, exactly as the loader takes
//! it: UTF-8 check, front-matter split, TOML, typed model. Never panics; every diagnostic is
//! inside the file and renders.
#![no_main]

use boardpack::content::parse_document;
use boardpack::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    // The loader refuses invalid UTF-8 before parsing; do the same.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let file = SourceFile::new("content/x/fuzz.md", "content/x/fuzz.md", text.to_string());
    let (_doc, diags) = parse_document(file.clone(), "x/fuzz.md");
    for d in &diags {
        assert!(d.span.start <= d.span.end && d.span.end <= file.text.len());
        let _ = d.line_col();
        let _ = d.to_json();
    }
    // Rendering a snippet costs more than parsing: do it for short inputs, where the spans
    // are as odd as anywhere, so the run gets through millions of inputs.
    if text.len() <= 1024 {
        for d in diags.iter().take(2) {
            let _ = d.render(false);
        }
    }
});
