//! What `check` says of exempt items: a paragraph the schedule does not have, an exemption with
//! no reason, a review date that has passed, a public document that links to an exempt one,
//! and an exempt budget line that its group's total would give away.

use std::collections::HashMap;

use jiff::civil::Date;
use pulldown_cmark::{Event, Parser, Tag};
use rayon::prelude::*;

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
    let range = config.schedule.paragraphs();
    // Each document's own marks, in parallel, gathered in document order: finding the marks
    // walks every item of every report.
    let each: Vec<Vec<Diagnostic>> = docs
        .par_iter()
        .map(|doc| {
            let mut found = Vec::new();
            for exempt::Mark {
                part, exempt: e, ..
            } in exempt::marks(doc)
            {
                let in_range = u32::try_from(e.paragraph).is_ok_and(|p| range.contains(&p));
                if !in_range {
                    found.push(
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
                    found.push(
                        Diagnostic::new(
                            Problem::ExemptWithoutReason { part: part.name() },
                            &doc.file,
                            e.span.clone(),
                        )
                        .with_label("no `reason`"),
                    );
                }
                if let Some(review) = e.review.filter(|r| *r < today) {
                    found.push(
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
                derivable_lines(doc, b, &mut found);
            }
            found
        })
        .collect();
    let mut out: Vec<Diagnostic> = each.into_iter().flatten().collect();
    linked(docs, config, &mut out);
    repeated_in_public(docs, &mut out);
    out
}

/// The shortest words of an exempt item worth looking for elsewhere: shorter titles ("Staff",
/// "Rent") are too common to say anything.
const MIN_WORDS: usize = 16;

/// Exempt parts whose own words (their title, or a note's text) are also published: in the
/// same report's narrative, say, where the paper repeats its risks, or in another paper of its
/// board pack, or a free page. The public would read them there. The words are looked for in
/// the source text of the part's own document (where a second occurrence is a repetition) and
/// of every other document of the same period and every free page, bar exempt ones. Source
/// text rather than the public copy: building and serialising that copy of every document on
/// each of `serve`'s rebuilds would cost a large site a second.
fn repeated_in_public(docs: &[Document], out: &mut Vec<Diagnostic>) {
    let marked: Vec<(usize, Vec<exempt::Mark<'_>>)> = (docs.par_iter().enumerate())
        .map(|(i, d)| (i, exempt::marks(d)))
        .filter(|(_, m)| {
            m.iter().any(|m| {
                m.part != exempt::Part::Document && m.words.trim().chars().count() >= MIN_WORDS
            })
        })
        .collect();
    if marked.is_empty() {
        return;
    }
    let periods: Vec<_> = marked.iter().map(|(i, _)| docs[*i].period()).collect();
    // Each document's own exempt words, as compared.
    let exempt_words: std::collections::HashMap<usize, Vec<String>> = (docs.iter().enumerate())
        .filter_map(|(j, d)| {
            let words: Vec<String> = exempt::marks(d)
                .iter()
                .filter(|m| m.part != exempt::Part::Document)
                .map(|m| plain(m.words))
                .collect();
            (!words.is_empty()).then_some((j, words))
        })
        .collect();
    let texts: Vec<Option<String>> = docs
        .par_iter()
        .map(|d| {
            let searched = d.exempt.is_none()
                && (matches!(d.data, Data::Page(_)) || periods.contains(&d.period()));
            searched.then(|| plain(&d.file.text))
        })
        .collect();
    for (i, marks) in &marked {
        let doc = &docs[*i];
        for m in marks {
            // A whole report's title is its programme's or its kind's ("Budget monitoring"),
            // which the public site names anyway; its stub hides it where it stands.
            if m.part == exempt::Part::Document {
                continue;
            }
            let words = m.words.trim();
            let own_title = m.exempt.public_title.as_deref() == Some(words);
            if words.chars().count() < MIN_WORDS || own_title {
                continue;
            }
            let wanted = plain(words);
            // Where it is looked for: the same period's papers and the free pages. In each, as
            // many occurrences as the paper's own exempt parts hold are not a repetition.
            let in_scope = |j: usize| {
                matches!(docs[j].data, Data::Page(_)) || docs[j].period() == doc.period()
            };
            let at = (0..docs.len()).filter(|&j| in_scope(j)).find(|&j| {
                texts[j].as_ref().is_some_and(|t| {
                    let withheld = exempt_words
                        .get(&j)
                        .map_or(0, |ws| ws.iter().filter(|w| w.contains(&wanted)).count());
                    t.matches(wanted.as_str()).take(withheld + 1).count() > withheld
                })
            });
            let Some(at) = at else { continue };
            out.push(
                Diagnostic::new(
                    Problem::ExemptRepeated {
                        part: m.part.name(),
                        words: excerpt(words),
                        published: docs[at].file.display.clone(),
                    },
                    &doc.file,
                    m.exempt.span.clone(),
                )
                .with_label("its words are published elsewhere"),
            );
        }
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
    // In parallel, and only bodies that may hold a link: a large site's bodies are many.
    let found: Vec<Vec<Diagnostic>> = docs
        .par_iter()
        .filter(|d| d.exempt.is_none() && (d.body.contains('[') || d.body.contains('<')))
        .map(|doc| links_to_exempt(doc, &exempt, config))
        .collect();
    out.extend(found.into_iter().flatten());
}

/// A public document's links to the `exempt` documents (each with its page's folder).
fn links_to_exempt(
    doc: &Document,
    exempt: &[(&Document, String)],
    config: &Config,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    {
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
    out
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
