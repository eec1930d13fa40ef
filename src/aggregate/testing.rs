//! Helpers for the aggregation unit tests: documents parsed from front matter written inline,
//! and their aggregates.

use crate::aggregate::{Aggregates, aggregate};
use crate::config::Config;
use crate::content::{Document, parse_document};
use crate::source::SourceFile;

/// Each text is the front matter of one document, which must read without a problem.
pub fn docs(front_matter: &[&str]) -> Vec<Document> {
    (front_matter.iter().enumerate())
        .map(|(i, t)| {
            let name = format!("d{i}.md");
            let file = SourceFile::new(&name, name.clone(), format!("+++\n{t}\n+++\n"));
            let (doc, diags) = parse_document(file, &name);
            assert!(diags.is_empty(), "document {i}: {diags:#?}");
            doc.expect("a document")
        })
        .collect()
}

/// The aggregates of those documents under the default configuration.
pub fn run(front_matter: &[&str]) -> (Aggregates, Vec<Document>) {
    let docs = docs(front_matter);
    (aggregate(&Config::with_names("o", "t"), &docs), docs)
}
