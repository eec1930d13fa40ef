//! What `check` says of exempt items: a paragraph the schedule does not have, an exemption with
//! no reason, a review date that has passed, a public document that links to an exempt one,
//! and an exempt budget line that its group's total would give away.

use std::collections::HashMap;

use jiff::civil::Date;
use pulldown_cmark::{Event, Parser, Tag};

use crate::config::Config;
use crate::content::exempt;
use crate::content::{Data, Document};
use crate::diagnostic::{Diagnostic, Problem};

/// The day a review date is measured against: `SOURCE_DATE_EPOCH` where it is set (the
/// reproducible-builds convention, and how tests fix the day), else today. Only `check`'s
/// messages depend on it; nothing of it reaches a page.
pub fn today() -> Date {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    now.to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// Every finding about exempt items in `docs`.
pub fn check(docs: &[Document], config: &Config, today: Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let range = config.schedule.paragraphs();
    for doc in docs {
        for exempt::Mark {
            part, exempt: e, ..
        } in exempt::marks(doc)
        {
            let in_range = u32::try_from(e.paragraph).is_ok_and(|p| range.contains(&p));
            if !in_range {
                out.push(
                    Diagnostic::new(
                        Problem::ExemptParagraph {
                            paragraph: e.paragraph,
                            schedule: config.schedule.title(),
                            first: *range.start(),
                            last: *range.end(),
                        },
                        &doc.file,
                        e.paragraph_span.clone(),
                    )
                    .with_label(format!(
                        "expected {}–{}",
                        range.start(),
                        range.end()
                    )),
                );
            }
            if e.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                out.push(
                    Diagnostic::new(
                        Problem::ExemptWithoutReason { part: part.name() },
                        &doc.file,
                        e.span.clone(),
                    )
                    .with_label("no `reason`"),
                );
            }
            if let Some(review) = e.review.filter(|r| *r < today) {
                out.push(
                    Diagnostic::new(
                        Problem::ExemptReviewPassed {
                            part: part.name(),
                            review: review.to_string(),
                        },
                        &doc.file,
                        e.review_span.clone(),
                    )
                    .with_label("review date passed"),
                );
            }
        }
        if let Data::Budget(b) = &doc.data {
            derivable_lines(doc, b, &mut out);
        }
    }
    linked(docs, config, &mut out);
    repeated_in_public(docs, config, &mut out);
    out
}

/// The shortest words of an exempt item worth looking for elsewhere: shorter titles ("Staff",
/// "Rent") are too common to say anything.
const MIN_WORDS: usize = 16;

/// Exempt items whose own words (their title, or a note's text) appear in the public copy: in
/// the same report's narrative, say, where the paper repeats its risks. The public would read
/// them there. The words are looked for where a paper repeats them: in the documents of the
/// same period (the report itself and its board pack's other papers) and in the free pages,
/// each as the public copy holds it (its body and every text of its model). Looking in every
/// document of a large site would make each rebuild of `serve` pay for all of them.
fn repeated_in_public(docs: &[Document], config: &Config, out: &mut Vec<Diagnostic>) {
    let exempt: Vec<(&Document, Vec<exempt::Mark<'_>>)> = docs
        .iter()
        .map(|d| (d, exempt::marks(d)))
        .filter(|(_, m)| !m.is_empty())
        .collect();
    if exempt.is_empty() {
        return;
    }
    let periods: Vec<_> = exempt.iter().map(|(d, _)| d.period()).collect();
    let published: Vec<(&Document, String)> = docs
        .iter()
        .filter(|d| matches!(d.data, Data::Page(_)) || periods.contains(&d.period()))
        .filter_map(|d| {
            let public = exempt::public_document(d, config.schedule)?;
            if public.withheld_document.is_some() {
                return None;
            }
            let mut text = public.body.clone();
            if let Ok(model) = serde_json::to_value(&public.data) {
                strings(&model, &mut text);
            }
            Some((d, plain(&text)))
        })
        .collect();
    for (doc, marks) in &exempt {
        for m in marks {
            let words = m.words.trim();
            let own_title = m.exempt.public_title.as_deref() == Some(words);
            if words.chars().count() < MIN_WORDS || own_title {
                continue;
            }
            let wanted = plain(words);
            let Some((at, _)) = published.iter().find(|(_, text)| text.contains(&wanted)) else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    Problem::ExemptRepeated {
                        part: m.part.name(),
                        words: excerpt(words),
                        published: at.file.display.clone(),
                    },
                    &doc.file,
                    m.exempt.span.clone(),
                )
                .with_label("its words are published elsewhere"),
            );
        }
    }
}

/// Every string in a model, each on a line of its own.
fn strings(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            out.push('\n');
            out.push_str(s);
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// Text as compared: lower case, with runs of white space (line breaks too) as one space, so
/// that words repeated in another case or wrapped in a paragraph are still found.
fn plain(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first few words of a text, for a message.
fn excerpt(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 8 {
        words.join(" ")
    } else {
        format!("{} …", words[..8].join(" "))
    }
}

/// A group that holds exactly one exempt line beside one published line gives the exempt
/// line away: its subtotal, less the published line, is the exempt line's figures.
fn derivable_lines(doc: &Document, b: &crate::content::Budget, out: &mut Vec<Diagnostic>) {
    let mut by_group: HashMap<&str, (usize, Vec<&crate::content::budget::Line>)> = HashMap::new();
    for l in &b.lines {
        let entry = by_group.entry(l.group.as_str()).or_default();
        match l.exempt {
            Some(_) => entry.1.push(l),
            None => entry.0 += 1,
        }
    }
    let has_children = |g: &str| b.groups.iter().any(|x| x.parent.as_deref() == Some(g));
    for l in &b.lines {
        let Some(e) = &l.exempt else { continue };
        let (published, exempt) = &by_group[l.group.as_str()];
        if *published == 1 && exempt.len() == 1 && !has_children(&l.group) {
            out.push(
                Diagnostic::new(
                    Problem::ExemptDerivable {
                        line: l.id.clone(),
                        group: l.group.clone(),
                    },
                    &doc.file,
                    e.span.clone(),
                )
                .with_label("its group total less the other line gives it away"),
            );
        }
    }
}

/// Public documents whose Markdown links to an exempt document: to its file (`.md`) or to its
/// page. The public site has only a stub there, or for a free page nothing at all.
fn linked(docs: &[Document], config: &Config, out: &mut Vec<Diagnostic>) {
    let exempt: Vec<(&Document, String)> = docs
        .iter()
        .filter(|d| d.exempt.is_some())
        .filter_map(|d| d.page_dir().map(|dir| (d, dir)))
        .collect();
    if exempt.is_empty() {
        return;
    }
    for doc in docs.iter().filter(|d| d.exempt.is_none()) {
        let body = &doc.body;
        for (event, range) in Parser::new(body).into_offset_iter() {
            let Event::Start(Tag::Link { dest_url, .. }) = event else {
                continue;
            };
            let Some(target) = resolve(doc, &dest_url, &config.base_url) else {
                continue;
            };
            let hit = exempt.iter().find(|(d, dir)| match &target {
                Target::File(path) => *path == d.rel_path,
                Target::Page(path) => path == dir,
            });
            if let Some((d, _)) = hit {
                let at = doc.body_span.start + range.start;
                let end = doc.body_span.start + range.end;
                out.push(
                    Diagnostic::new(
                        Problem::ExemptLinked {
                            target: d.rel_path.clone(),
                        },
                        &doc.file,
                        at..end,
                    )
                    .with_label(format!(
                        "exempt under paragraph {}",
                        d.exempt.as_ref().map_or(0, |e| e.paragraph)
                    )),
                );
            }
        }
    }
}

/// Where a link points inside the site, as a path under `content/` or a page's folder.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    File(String),
    Page(String),
}

fn resolve(doc: &Document, dest: &str, base_url: &str) -> Option<Target> {
    let dest = dest.split(['#', '?']).next().unwrap_or("");
    if dest.is_empty() || dest.contains("://") && !dest.starts_with(base_url) {
        return None;
    }
    if dest.starts_with("mailto:") {
        return None;
    }
    if let Some(file) = dest.strip_suffix(".md") {
        let dir = doc.rel_path.rsplit_once('/').map_or("", |(d, _)| d);
        let joined = match file.strip_prefix('/') {
            Some(abs) => abs.trim_start_matches("content/").to_string(),
            None if dir.is_empty() => file.to_string(),
            None => format!("{dir}/{file}"),
        };
        return Some(Target::File(format!("{}.md", normalise(&joined))));
    }
    let path = dest
        .strip_prefix(base_url.trim_end_matches('/'))
        .unwrap_or(dest);
    let path = path.trim_end_matches("index.html");
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}/{path}", doc.page_dir().unwrap_or_default())
    };
    Some(Target::Page(normalise(&joined)))
}

/// `a/./b/../c/` → `a/c`: a path's `.` and `..` worked out, with no leading or trailing `/`.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn paths_are_normalised() {
        assert_eq!(normalise("/budget/2009-10-q2/"), "budget/2009-10-q2");
        assert_eq!(normalise("a/./b/../c/"), "a/c");
        assert_eq!(normalise("../../x"), "x");
    }
}
