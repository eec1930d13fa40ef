//! Reading a site's git history with gix: which commit brought in each version of each document,
//! following first parents from `HEAD` and comparing only the trees that differ.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use gix::ObjectId;
use jiff::civil::Date;

use super::Commit;

/// How many commits a build follows back from `HEAD`. A board's papers gain a few commits a
/// month, so this is decades; it bounds a build on a repository that holds much else.
pub const MAX_COMMITS: usize = 5000;

/// One version of a file: the commit that brought it in, or `None` if that commit lies beyond
/// the history at hand (a shallow clone, or the walk's bound), and the blob.
#[derive(Debug, Clone)]
pub struct Version {
    pub commit: Option<usize>,
    pub blob: ObjectId,
}

/// What the walk found: the commits it names, and each wanted file's versions, newest first.
#[derive(Debug, Default)]
pub struct Walked {
    pub commits: Vec<Commit>,
    pub versions: HashMap<String, Vec<Version>>,
    /// Where the history at hand ends, if it ends before the repository's first commit: the
    /// date of the oldest commit read.
    pub beyond: Option<Date>,
    /// Each wanted file's blob at `HEAD`, to tell whether the file on disk is committed.
    pub head: HashMap<String, ObjectId>,
    /// The repository's kind of object id, for hashing files on disk as it would.
    pub object_hash: Option<gix::hash::Kind>,
    repo: Option<gix::Repository>,
}

impl Walked {
    /// The text of a blob, if it can be read and is UTF-8.
    pub fn text(&self, blob: ObjectId) -> Option<String> {
        let repo = self.repo.as_ref()?;
        let object = repo.find_object(blob).ok()?;
        String::from_utf8(object.detach().data).ok()
    }
}

/// The history of the files `wanted` (paths relative to `content_dir`, with `/`), or `None` if
/// `content_dir` is not in a git work tree with at least one commit. Never an error: a build
/// without history is a build.
pub fn walk(content_dir: &Path, wanted: &HashSet<&str>) -> Option<Walked> {
    let repo = gix::discover(content_dir).ok()?;
    let workdir = std::fs::canonicalize(repo.workdir()?).ok()?;
    let dir = std::fs::canonicalize(content_dir).ok()?;
    let prefix: Vec<String> = dir
        .strip_prefix(&workdir)
        .ok()?
        .components()
        .map(|c| c.as_os_str().to_str().map(str::to_string))
        .collect::<Option<_>>()?;
    let mut walked = walk_in(&repo, &prefix, wanted)?;
    walked.object_hash = Some(repo.object_hash());
    walked.repo = Some(repo);
    Some(walked)
}

fn walk_in(repo: &gix::Repository, prefix: &[String], wanted: &HashSet<&str>) -> Option<Walked> {
    let head = repo.head_commit().ok()?;
    let mut walked = Walked::default();
    let mut commit = head;
    let mut subtree = content_tree(&commit, prefix)?;
    if let Some(tree) = subtree {
        blobs(repo, None, tree, "", wanted, &mut |path, blob| {
            walked.head.insert(path, blob);
        });
    }
    for _ in 0..MAX_COMMITS {
        let info = describe(&commit)?;
        let parent = commit
            .parent_ids()
            .next()
            .map(|id| repo.find_commit(id.detach()));
        let (parent, parent_tree) = match parent {
            None => (None, None),
            Some(Ok(p)) => {
                let t = content_tree(&p, prefix).unwrap_or(None);
                (Some(p), t)
            }
            // The parent is named but absent: a shallow clone's boundary.
            Some(Err(_)) => {
                walked.beyond = Some(info.date);
                break;
            }
        };
        if let Some(tree) = subtree
            && parent_tree != Some(tree)
        {
            let index = walked.commits.len();
            let mut found = false;
            blobs(repo, parent_tree, tree, "", wanted, &mut |path, blob| {
                found = true;
                walked.versions.entry(path).or_default().push(Version {
                    commit: Some(index),
                    blob,
                });
            });
            if found {
                walked.commits.push(info);
            }
        }
        match parent {
            Some(p) => {
                commit = p;
                subtree = parent_tree;
            }
            None => {
                subtree = None;
                break;
            }
        }
    }
    // What is still there where the walk stopped early came in at or before that commit.
    if let Some(tree) = subtree {
        if walked.beyond.is_none() {
            walked.beyond = describe(&commit).map(|c| c.date);
        }
        blobs(repo, None, tree, "", wanted, &mut |path, blob| {
            walked
                .versions
                .entry(path)
                .or_default()
                .push(Version { commit: None, blob });
        });
    }
    Some(walked)
}

/// The commit's short id, author and author date: the time the change was made, in the
/// author's own offset, so the same commit always gives the same date.
fn describe(commit: &gix::Commit<'_>) -> Option<Commit> {
    let author = commit.author().ok()?;
    let time = author.time().ok()?;
    let offset = jiff::tz::Offset::from_seconds(time.offset).ok()?;
    let date = jiff::Timestamp::from_second(time.seconds)
        .ok()?
        .to_zoned(jiff::tz::TimeZone::fixed(offset))
        .date();
    Some(Commit {
        id: commit.id().detach().to_hex_with_len(7).to_string(),
        author: author.name.to_string(),
        date,
    })
}

/// The id of the tree at `prefix` in `commit`, `Ok(None)` if there is none, `None` if the
/// commit cannot be read.
fn content_tree(commit: &gix::Commit<'_>, prefix: &[String]) -> Option<Option<ObjectId>> {
    let tree = commit.tree().ok()?;
    if prefix.is_empty() {
        return Some(Some(tree.id));
    }
    let entry = tree.lookup_entry(prefix.iter().map(String::as_str)).ok()?;
    Some(entry.filter(|e| e.mode().is_tree()).map(|e| e.object_id()))
}

/// Call `found` with each wanted blob under `new` that is not in `old` at the same path: every
/// file a commit added or changed, when `old` is its parent's tree. Subtrees with the same id
/// in both are skipped whole, so the cost follows the change, not the size of the site.
fn blobs(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: ObjectId,
    prefix: &str,
    wanted: &HashSet<&str>,
    found: &mut dyn FnMut(String, ObjectId),
) {
    let Ok(new_tree) = repo.find_tree(new) else {
        return;
    };
    let Ok(new_ref) = new_tree.decode() else {
        return;
    };
    let old_tree = old.and_then(|id| repo.find_tree(id).ok());
    let old_entries: HashMap<Vec<u8>, (bool, ObjectId)> = old_tree
        .as_ref()
        .and_then(|t| t.decode().ok())
        .map(|t| {
            t.entries
                .iter()
                .map(|e| (e.filename.to_vec(), (e.mode.is_tree(), e.oid.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    for e in &new_ref.entries {
        let before = old_entries.get(e.filename.as_ref() as &[u8]);
        if before.is_some_and(|(_, id)| id.as_ref() == e.oid) {
            continue;
        }
        let Ok(name) = std::str::from_utf8(e.filename.as_ref()) else {
            continue;
        };
        let path = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}/{name}")
        };
        if e.mode.is_tree() {
            let old_sub = before.filter(|(tree, _)| *tree).map(|(_, id)| *id);
            blobs(repo, old_sub, e.oid.to_owned(), &path, wanted, found);
        } else if e.mode.is_blob() && wanted.contains(path.as_str()) {
            found(path, e.oid.to_owned());
        }
    }
}
