//! `boardpack new-period`: the next period's documents, each a draft, scaffolded from the
//! period before it ([`scaffold`] edits each one).
//!
//! It reads the site as `check` does and writes nothing while `check` finds errors. It works
//! out every file it would write before writing any, and refuses, writing nothing, if one of
//! them exists or the new period already has documents. Files are only ever created, never
//! replaced, and the same site gives the same bytes every time: nothing depends on the clock.

pub mod scaffold;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::content::Document;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::layout;
use crate::read::period::Period;
use crate::read::words::DocKind;
use scaffold::Move;

/// What a run came to.
#[derive(Debug)]
pub enum Outcome {
    /// The site has errors, so nothing was written: every diagnostic, as `check` shows them.
    Errors(Vec<Diagnostic>),
    /// The new period's documents were written.
    Written {
        from: Period,
        to: Period,
        /// Each file made, relative to the site root (`content/2009-10-q3/budget.md`).
        files: Vec<String>,
    },
}

/// One document to write.
struct Planned {
    /// Relative to the site root, with `/` separators.
    display: String,
    path: PathBuf,
    text: String,
}

/// The kinds that have a period and are reported every period. (A yearly plan is approved
/// once a year, and free pages have no period.)
fn moves_on(doc: &Document) -> bool {
    matches!(
        doc.kind(),
        DocKind::Highlight | DocKind::Budget | DocKind::Indicators | DocKind::Actions
    )
}

/// Make the documents of `period` (by default the period after the newest) from those of the
/// period before it.
pub fn run(root: &Path, period: Option<&str>) -> Result<Outcome, Error> {
    let loaded = crate::plan::load(root)?;
    let errors: Vec<Diagnostic> = loaded.all_diagnostics();
    if errors.iter().any(Diagnostic::is_error) {
        return Ok(Outcome::Errors(errors));
    }
    let docs = &loaded.content.documents;
    let periods: BTreeSet<Period> = (docs.iter().filter(|d| moves_on(d)))
        .filter_map(Document::period)
        .collect();
    let to = target(period, &periods)?;
    let from = to.previous();
    let mv = |source: &Document| Move {
        from,
        to,
        year_start: loaded.config.year_start,
        source: source.file.display.clone(),
    };

    let mut taken: Vec<String> = (docs.iter().filter(|d| moves_on(d)))
        .filter(|d| d.period() == Some(to))
        .map(|d| d.file.display.clone())
        .collect();
    let mut planned: Vec<Planned> = Vec::new();
    for doc in docs
        .iter()
        .filter(|d| moves_on(d) && d.period() == Some(from))
    {
        let rel = target_path(&doc.rel_path, from, to);
        let display = format!("{}/{rel}", layout::CONTENT);
        let path = root.join(layout::CONTENT).join(&rel);
        if std::fs::symlink_metadata(&path).is_ok() || planned.iter().any(|p| p.path == path) {
            taken.push(display);
            continue;
        }
        let text = scaffold::scaffold(&doc.file.text, doc.kind(), &mv(doc)).map_err(|reason| {
            Error::NewPeriod {
                message: format!("cannot edit {}: {reason}", doc.file.display),
            }
        })?;
        planned.push(Planned {
            display,
            path,
            text,
        });
    }
    taken.sort();
    taken.dedup();
    if !taken.is_empty() {
        return Err(Error::PeriodTaken {
            period: to.to_string(),
            paths: taken,
        });
    }
    planned.sort_by(|a, b| a.display.cmp(&b.display));
    let mut done = crate::init::Written::default();
    for p in &planned {
        if let Err(e) = crate::init::write_new(&p.path, &p.text, &mut done) {
            done.undo();
            return Err(match e {
                // A file that appeared since the check above.
                Error::Exists { .. } => Error::PeriodTaken {
                    period: to.to_string(),
                    paths: vec![p.display.clone()],
                },
                other => other,
            });
        }
    }
    Ok(Outcome::Written {
        from,
        to,
        files: planned.into_iter().map(|p| p.display).collect(),
    })
}

/// The period to make: the one asked for, which must follow a period that has documents, or
/// the one after the newest quarter (the newest year, where the site has only years).
fn target(asked: Option<&str>, periods: &BTreeSet<Period>) -> Result<Period, Error> {
    let existing = || {
        periods
            .iter()
            .map(Period::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(text) = asked else {
        let newest = (periods.iter().rev().find(|p| p.quarter.is_some()))
            .or_else(|| periods.iter().next_back());
        return newest.map(|p| p.next()).ok_or_else(|| Error::NewPeriod {
            message: "the site has no highlight report, budget, indicator set or action plan \
                      with a period to start from"
                .into(),
        });
    };
    let to = Period::parse(text).ok_or_else(|| Error::NewPeriod {
        message: format!(
            "`{text}` is not a period: write a quarter as \"2009/10 Q3\" or a year as \"2010/11\""
        ),
    })?;
    if !periods.contains(&to.previous()) {
        // The periods it could make: the one after each, where that has no documents yet.
        let after: Vec<String> = (periods.iter().map(|p| p.next()))
            .filter(|n| !periods.contains(n))
            .map(|n| n.to_string())
            .collect();
        return Err(Error::NewPeriod {
            message: format!(
                "{to} does not follow a period that has documents ({} has none); the site has {}, \
                 so new-period can make {}",
                to.previous(),
                existing(),
                after.join(" or ")
            ),
        });
    }
    Ok(to)
}

/// Where a document of `from` goes in `to`, relative to `content/`: the same path with the
/// period's folder (or file name) moved on, `2009-10-q2/budget.md` → `2009-10-q3/budget.md`;
/// a document not filed by period goes into a new folder named for `to`.
fn target_path(rel: &str, from: Period, to: Period) -> String {
    let (from_slug, to_slug) = (from.slug(), to.slug());
    let parts: Vec<&str> = rel.split('/').collect();
    let last = parts.len().saturating_sub(1);
    let mut moved = false;
    let mapped: Vec<String> = (parts.iter().enumerate())
        .map(|(i, part)| {
            let stem = if i == last {
                part.strip_suffix(".md")
            } else {
                Some(*part)
            };
            match stem {
                Some(s) if s.eq_ignore_ascii_case(&from_slug) => {
                    moved = true;
                    if i == last {
                        format!("{to_slug}.md")
                    } else {
                        to_slug.clone()
                    }
                }
                _ => part.to_string(),
            }
        })
        .collect();
    if moved {
        mapped.join("/")
    } else {
        format!("{to_slug}/{rel}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    #[test]
    fn paths_follow_the_period_folder() {
        let (q2, q3) = (p("2009/10 Q2"), p("2009/10 Q3"));
        assert_eq!(
            target_path("2009-10-q2/budget.md", q2, q3),
            "2009-10-q3/budget.md"
        );
        assert_eq!(
            target_path("reports/2009-10-q2.md", q2, q3),
            "reports/2009-10-q3.md"
        );
        assert_eq!(target_path("budget.md", q2, q3), "2009-10-q3/budget.md");
        let (y, y2) = (p("2009/10"), p("2010/11"));
        assert_eq!(target_path("2009-10/budget.md", y, y2), "2010-11/budget.md");
        assert_eq!(
            target_path("2009-10-q2/x.md", y, y2),
            "2010-11/2009-10-q2/x.md"
        );
    }

    #[test]
    fn the_default_follows_the_newest_quarter() {
        let set: BTreeSet<Period> = [p("2009/10"), p("2009/10 Q2")].into();
        assert_eq!(target(None, &set).unwrap(), p("2009/10 Q3"));
        let years: BTreeSet<Period> = [p("2009/10")].into();
        assert_eq!(target(None, &years).unwrap(), p("2010/11"));
        let q4: BTreeSet<Period> = [p("2009/10 Q4"), p("2010/11")].into();
        assert_eq!(target(None, &q4).unwrap(), p("2010/11 Q1"));
        assert!(target(None, &BTreeSet::new()).is_err());
    }

    #[test]
    fn an_explicit_period_must_follow_one_with_documents() {
        let set: BTreeSet<Period> = [p("2009/10"), p("2009/10 Q2")].into();
        assert_eq!(target(Some("2010/11"), &set).unwrap(), p("2010/11"));
        assert_eq!(target(Some("2009-10 Q3"), &set).unwrap(), p("2009/10 Q3"));
        let e = target(Some("2009/10 Q4"), &set).unwrap_err().to_string();
        assert!(
            e.contains("2009/10 Q3 has none") && e.contains("2009/10, 2009/10 Q2"),
            "{e}"
        );
        assert!(e.contains("2010/11 or 2009/10 Q3"), "{e}");
        let e = target(Some("Q3"), &set).unwrap_err().to_string();
        assert!(e.contains("not a period"), "{e}");
    }
}
