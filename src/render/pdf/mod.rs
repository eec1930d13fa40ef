//! The board pack as a PDF: one meeting's papers typeset in-process with typst, from the same
//! context its board-pack page is rendered from.
//!
//! [`pack`] lays the period page's context out as typed blocks ([`model`]); the template
//! (`board-pack.typ`, compiled into boardpack) typesets them in a [`world`] that holds only the
//! template, the blocks as JSON and typst's own fonts. Nothing comes from the disk, the network
//! or the clock, and every string is data, so the same content gives the same bytes and no
//! content can break the typesetting.

mod budget;
mod fields;
mod highlight;
mod indicators;
mod markdown;
mod model;
mod pack;
mod world;

use typst::diag::Warned;
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::error::Error;

/// A typeset pack.
pub struct Typeset {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// Typeset the board pack whose page context is `ctx`, for the output path `path`.
pub fn board_pack(ctx: &tera::Context, path: &str) -> Result<Typeset, Error> {
    let fail = |message: String| Error::Pdf {
        path: path.to_string(),
        message,
    };
    let pack = pack::build(ctx);
    let data = serde_json::to_vec(&pack).map_err(|e| fail(e.to_string()))?;
    typeset(data, path).map_err(fail)
}

fn typeset(data: Vec<u8>, ident: &str) -> Result<Typeset, String> {
    let world = world::PackWorld::new(data);
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|errors| messages(&errors))?;
    let options = PdfOptions {
        // The output path names the pack for good: a stable document identifier.
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(format!("boardpack {}", env!("CARGO_PKG_VERSION")))),
        // No clock: the document's date is the meeting's, set by the template.
        timestamp: None,
        standards: PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|e| e.message().to_string())?,
        ..PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(&document, &options).map_err(|errors| messages(&errors))?;
    // typst memoises layout across compilations; a build typesets each pack once, so what it
    // kept of this one only holds memory that the next pack needs.
    typst::comemo::evict(0);
    Ok(Typeset {
        bytes,
        pages: document.pages().len(),
    })
}

fn messages(errors: &[typst::diag::SourceDiagnostic]) -> String {
    let all: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    all.join("; ")
}
