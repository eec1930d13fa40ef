//! Provenance from git: when each document last changed, by whom and in which commit, and the
//! earlier values of its figures (budget lines, indicator actuals, activity progress), read from
//! the repository the site is in with gix ([`git`]). It sits above `content`, whose parser reads
//! each old version, and below `plan`, which carries the result to the renderer.
//!
//! Histories are kept per document and, within one, per item ([`ItemHistory::key`]), so that a
//! view that must not show an item (an exempt one, say) can drop its history with it.

pub mod git;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use jiff::civil::Date;
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::content::{Data, Document};
use crate::source::SourceFile;

/// A commit as a page names it: short id, author's name, and the author's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commit {
    pub id: String,
    pub author: String,
    pub date: Date,
}

/// What the repository says of one document.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileHistory {
    /// The commit that last changed the file; `None` if that lies beyond the history at hand.
    pub last: Option<Commit>,
    /// Where the history at hand ends, if the file's oldest version known is there: "history
    /// unavailable beyond" this date.
    pub beyond: Option<Date>,
    /// Whether the file on disk differs from the one committed at `HEAD`.
    pub uncommitted: bool,
    /// The items whose figures have changed, in the document's order.
    pub items: Vec<ItemHistory>,
}

/// The changes to one item's figures.
#[derive(Debug, Clone, Serialize)]
pub struct ItemHistory {
    /// The item's stable key: `line/<id>`, `indicator/<id>`, or
    /// `activity/<objective id>/<activity id or title>`.
    pub key: String,
    pub title: String,
    /// Newest first: each value a figure has had, and the commit that gave it.
    pub changes: Vec<Change>,
}

/// One value of one figure.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// The figure, as a column heading names it ("Actual to date").
    pub figure: &'static str,
    /// How to show the value: `money`, `percent` or `number`.
    pub unit: &'static str,
    /// `None`: the figure was left out in that version.
    pub value: Option<Decimal>,
    /// `None`: the value was already there where the history at hand ends.
    pub commit: Option<Commit>,
}

/// Every document's history, by its path under `content/`.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub files: HashMap<String, FileHistory>,
}

impl History {
    pub fn file(&self, rel_path: &str) -> Option<&FileHistory> {
        self.files.get(rel_path)
    }
}

/// One figure of one item in one version of a document.
#[derive(Debug, Clone, PartialEq)]
struct Figure {
    key: String,
    title: String,
    figure: &'static str,
    unit: &'static str,
    value: Option<Decimal>,
}

/// Read the history of `documents`, files under `content_dir`. A site outside git, or with
/// no commit, has none; a file never committed has none.
pub fn read(content_dir: &Path, documents: &[Document]) -> History {
    // A withheld document's stub (the public copy of an exempt one) shows nothing of its file:
    // not even who last changed it.
    let shown = || documents.iter().filter(|d| d.withheld_document.is_none());
    let wanted: HashSet<&str> = shown().map(|d| d.rel_path.as_str()).collect();
    let Some(walked) = git::walk(content_dir, &wanted) else {
        return History::default();
    };
    let by_path: HashMap<&str, &Document> = shown().map(|d| (d.rel_path.as_str(), d)).collect();
    // Blobs are read on this thread (the repository handle is not shared); the old versions
    // are parsed in parallel, and only for files with more than one version.
    let mut texts: Vec<(&str, usize, String)> = Vec::new();
    for (path, versions) in &walked.versions {
        let Some(doc) = by_path.get(path.as_str()) else {
            continue;
        };
        if versions.len() < 2 || !has_figures(doc) {
            continue;
        }
        for (i, v) in versions.iter().enumerate() {
            if let Some(text) = walked.text(v.blob) {
                texts.push((doc.rel_path.as_str(), i, text));
            }
        }
    }
    let parsed: Vec<(&str, usize, Vec<Figure>)> = texts
        .into_par_iter()
        .map(|(path, i, text)| {
            let file = SourceFile::new(Path::new(path), path.to_string(), text);
            let (doc, _) = crate::content::parse_document(file, path);
            (path, i, doc.map(|d| figures(&d)).unwrap_or_default())
        })
        .collect();
    let mut figures_of: HashMap<&str, BTreeMap<usize, Vec<Figure>>> = HashMap::new();
    for (path, i, figs) in parsed {
        figures_of.entry(path).or_default().insert(i, figs);
    }
    // Whether each file on disk is the one committed: its blob id, hashed as git would, in
    // parallel, rather than every committed blob read back and compared.
    let on_disk: HashMap<&str, gix::ObjectId> = documents
        .par_iter()
        .filter_map(|d| {
            let kind = walked.object_hash?;
            let id = gix::objs::compute_hash(kind, gix::objs::Kind::Blob, d.file.text.as_bytes());
            Some((d.rel_path.as_str(), id.ok()?))
        })
        .collect();
    let mut files = HashMap::new();
    for (path, versions) in &walked.versions {
        let Some(doc) = by_path.get(path.as_str()) else {
            continue;
        };
        let commit = |v: &git::Version| v.commit.map(|c| walked.commits[c].clone());
        let newest = &versions[0];
        let uncommitted = match walked.head.get(path.as_str()) {
            Some(blob) => *blob != newest.blob || on_disk.get(path.as_str()) != Some(blob),
            None => true,
        };
        let oldest = versions.last().unwrap_or(newest);
        let items = figures_of
            .get(path.as_str())
            .map(|by_version| {
                let versions: Vec<(Option<Commit>, &[Figure])> = by_version
                    .iter()
                    .rev()
                    .map(|(i, figs)| (commit(&versions[*i]), figs.as_slice()))
                    .collect();
                item_histories(doc, &versions)
            })
            .unwrap_or_default();
        files.insert(
            path.clone(),
            FileHistory {
                last: commit(newest),
                beyond: oldest.commit.is_none().then_some(walked.beyond).flatten(),
                uncommitted,
                items,
            },
        );
    }
    History { files }
}

fn has_figures(doc: &Document) -> bool {
    matches!(
        doc.data,
        Data::Budget(_) | Data::Indicators(_) | Data::Highlight(_)
    )
}

/// A figure's value, and the commit that set it.
type Value = (Option<Decimal>, Option<Commit>);

/// The changes to each item of `doc`, from its versions oldest first: for each figure that has
/// had more than one value, every value it has had, newest first. Items are in the order of
/// the current document; an item no longer in it has no history to show.
fn item_histories(doc: &Document, versions: &[(Option<Commit>, &[Figure])]) -> Vec<ItemHistory> {
    // (key, figure) -> values in order, each with the commit that set it.
    let mut series: HashMap<(&str, &str), Vec<Value>> = HashMap::new();
    for (commit, figs) in versions {
        for f in *figs {
            let s = series.entry((f.key.as_str(), f.figure)).or_default();
            if s.last().is_none_or(|(v, _)| *v != f.value) {
                s.push((f.value, commit.clone()));
            }
        }
    }
    let mut items: Vec<ItemHistory> = Vec::new();
    for f in figures(doc) {
        let Some(s) = series.get(&(f.key.as_str(), f.figure)) else {
            continue;
        };
        if s.len() < 2 {
            continue;
        }
        let changes = s.iter().rev().map(|(value, commit)| Change {
            figure: f.figure,
            unit: f.unit,
            value: *value,
            commit: commit.clone(),
        });
        match items.last_mut() {
            Some(item) if item.key == f.key => item.changes.extend(changes),
            _ => items.push(ItemHistory {
                key: f.key.clone(),
                title: f.title.clone(),
                changes: changes.collect(),
            }),
        }
    }
    items
}

/// Every figure a history follows in `doc`, keyed by the item's stable id.
fn figures(doc: &Document) -> Vec<Figure> {
    let mut out = Vec::new();
    let mut push = |key: &str, title: &str, figure, unit, value| {
        out.push(Figure {
            key: key.to_string(),
            title: title.to_string(),
            figure,
            unit,
            value,
        })
    };
    match &doc.data {
        Data::Budget(b) => {
            for l in &b.lines {
                let key = format!("line/{}", l.id);
                push(&key, &l.title, "Approved budget", "money", Some(l.approved));
                push(&key, &l.title, "Revised budget", "money", l.revised);
                push(&key, &l.title, "Planned to date", "money", l.planned);
                push(&key, &l.title, "Actual to date", "money", l.actual);
                push(&key, &l.title, "Projected outturn", "money", l.projected);
            }
        }
        Data::Indicators(s) => {
            for i in &s.indicators {
                let key = format!("indicator/{}", i.id);
                push(&key, &i.title, "Actual", "number", i.actual);
            }
        }
        Data::Highlight(h) => {
            for o in &h.objectives {
                for a in &o.activities {
                    let key = format!("activity/{}/{}", o.id, a.id.as_deref().unwrap_or(&a.title));
                    push(&key, &a.title, "Progress", "percent", Some(a.progress));
                }
            }
        }
        // A plan's figures are dates, and actions' judgements are words: no figures to follow.
        Data::Actions(_) | Data::Page(_) | Data::Plan(_) => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        let file = SourceFile::new(Path::new("b.md"), "b.md".to_string(), text.to_string());
        crate::content::parse_document(file, "b.md")
            .0
            .expect("parses")
    }

    fn budget(actual: &str) -> String {
        format!(
            "+++\nkind = \"budget\"\ntitle = \"B\"\nperiod = \"2026/27 Q2\"\n\n[[groups]]\nid = \"e\"\ntitle = \"E\"\nkind = \"expenditure\"\n\n[[lines]]\nid = \"fuel\"\ntitle = \"Fuel\"\ngroup = \"e\"\napproved = \"100\"\nactual = \"{actual}\"\n+++\n"
        )
    }

    fn commit(id: &str, author: &str, day: i8) -> Option<Commit> {
        Some(Commit {
            id: id.into(),
            author: author.into(),
            date: jiff::civil::date(2026, 10, day),
        })
    }

    #[test]
    fn a_changed_figure_lists_every_value_newest_first_and_unchanged_ones_none() {
        let versions: Vec<(Option<Commit>, Vec<Figure>)> = [
            ("10", commit("aaaaaaa", "Ann", 1)),
            ("10", commit("bbbbbbb", "Bo", 2)),
            ("12", commit("ccccccc", "Cy", 3)),
            ("15", commit("ddddddd", "Di", 4)),
        ]
        .into_iter()
        .map(|(v, c)| (c, figures(&doc(&budget(v)))))
        .collect();
        let refs: Vec<(Option<Commit>, &[Figure])> = versions
            .iter()
            .map(|(c, f)| (c.clone(), f.as_slice()))
            .collect();
        let items = item_histories(&doc(&budget("15")), &refs);
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].key, "line/fuel");
        let seen: Vec<(&str, String, String)> = items[0]
            .changes
            .iter()
            .map(|c| {
                let c2 = c.commit.clone().expect("committed");
                (c.figure, c.value.expect("value").to_string(), c2.author)
            })
            .collect();
        // The approved budget never changed, so it has no history; "Bo" changed nothing.
        assert_eq!(
            seen,
            [
                ("Actual to date", "15".to_string(), "Di".to_string()),
                ("Actual to date", "12".to_string(), "Cy".to_string()),
                ("Actual to date", "10".to_string(), "Ann".to_string()),
            ]
        );
    }

    #[test]
    fn a_figure_with_one_value_has_no_history() {
        let figs = figures(&doc(&budget("10")));
        let refs = [(commit("aaaaaaa", "Ann", 1), figs.as_slice())];
        assert!(item_histories(&doc(&budget("10")), &refs).is_empty());
    }

    /// Two versions of `text`, the second with `from` replaced by `to`: the items changed.
    fn changed(text: &str, from: &str, to: &str) -> Vec<ItemHistory> {
        let old = doc(text);
        let new = doc(&text.replacen(from, to, 1));
        let (a, b) = (figures(&old), figures(&new));
        let refs = [
            (commit("aaaaaaa", "Ann", 1), a.as_slice()),
            (commit("bbbbbbb", "Bo", 2), b.as_slice()),
        ];
        item_histories(&new, &refs)
    }

    #[test]
    fn an_indicator_actual_and_an_activity_progress_are_followed_by_key() {
        let items = changed(
            include_str!("../init/content/2026-27-q2/indicators.md"),
            "actual = 48.6",
            "actual = 49.1",
        );
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].key, "indicator/gn-01");
        let values: Vec<String> = items[0]
            .changes
            .iter()
            .map(|c| format!("{} {:?}", c.figure, c.value.map(|v| v.to_string())))
            .collect();
        assert_eq!(values, ["Actual Some(\"49.1\")", "Actual Some(\"48.6\")"]);

        let text = include_str!("../init/content/2026-27-q2/greener-neighbourhoods.md");
        let at = 1 + text.find("\nprogress = ").expect("an activity's progress");
        let line_end = at + text[at..].find('\n').expect("a line");
        let items = changed(text, &text[at..line_end], "progress = 35");
        assert_eq!(items.len(), 1);
        assert!(items[0].key.starts_with("activity/"), "{}", items[0].key);
        assert_eq!(items[0].changes[0].unit, "percent");
        assert_eq!(items[0].changes[0].value, Some(Decimal::from(35)));
    }

    #[test]
    fn a_site_outside_git_has_no_history() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = doc(&budget("10"));
        let h = read(dir.path(), std::slice::from_ref(&d));
        assert!(h.files.is_empty());
    }
}
