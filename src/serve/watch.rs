//! Watching the site's sources: notify events, debounced over a short quiet window and sorted
//! into what kind of rebuild they need.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::config::CONFIG_FILE;
use crate::layout;
use crate::serve::session::SourceChanges;

/// How long the sources must be quiet before a rebuild starts. Editors write a file in a burst
/// of events (truncate, write, rename); this is long enough to see the burst end and short
/// enough that nobody notices.
pub const QUIET: Duration = Duration::from_millis(15);
/// The longest a rebuild waits for quiet while events keep coming.
pub const MAX_WAIT: Duration = Duration::from_millis(250);

/// Sort one changed path into the kind of rebuild it needs. Output folders, `target/` and
/// editors' scratch files are ignored.
pub fn classify(changes: &mut SourceChanges, root: &Path, theme: &str, path: &Path) {
    let Ok(rel) = path.strip_prefix(root) else {
        return;
    };
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let Some(first) = parts.first() else { return };
    let name = parts.last().map(String::as_str).unwrap_or("");
    let scratch = layout::is_scratch(name);
    let css_or_static = |c: &mut SourceChanges| {
        if name.ends_with(".css") {
            c.css = true;
        } else {
            c.statics = true;
        }
    };
    match first.as_str() {
        CONFIG_FILE if parts.len() == 1 => changes.config = true,
        layout::CONTENT if !layout::is_ignored_in_content(name) => {
            changes.content.insert(path.to_path_buf());
        }
        layout::TEMPLATES if !scratch => changes.templates = true,
        layout::STATIC if !scratch => css_or_static(changes),
        layout::THEMES if parts.get(1).map(String::as_str) == Some(theme) && !scratch => {
            match parts.get(2).map(String::as_str) {
                Some(layout::TEMPLATES) => changes.templates = true,
                Some(layout::STATIC) => css_or_static(changes),
                _ => {}
            }
        }
        _ => {}
    }
}

/// What waiting for changes gave.
pub enum Next {
    SourceChanges(SourceChanges),
    /// Nothing changed for the idle time asked for.
    Idle,
    /// The watcher has stopped.
    Stopped,
}

/// A running watcher: drop it to stop watching.
pub struct Watch {
    watcher: RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    theme: String,
}

impl Watch {
    /// Watch `content/`, `templates/`, `static/`, `themes/` and the root itself (for
    /// `boardpack.toml` and folders created later). Never the output or `target/`.
    pub fn start(root: &Path, theme: &str) -> notify::Result<Watch> {
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(move |ev| {
            let _ = tx.send(ev);
        })?;
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        for dir in layout::SOURCE_FOLDERS {
            let d = root.join(dir);
            if d.is_dir() {
                watcher.watch(&d, RecursiveMode::Recursive)?;
            }
        }
        Ok(Watch {
            watcher,
            rx,
            root: root.to_path_buf(),
            theme: theme.to_string(),
        })
    }

    /// Follow a change of theme in `boardpack.toml`.
    pub fn set_theme(&mut self, theme: &str) {
        self.theme = theme.to_string();
    }

    /// Wait for the next burst of changes and return it once the sources have been quiet for
    /// [`QUIET`]. Returns `None` when the watcher has stopped.
    pub fn next_changes(&mut self) -> Option<SourceChanges> {
        match self.next_within(None) {
            Next::SourceChanges(c) => Some(c),
            Next::Idle | Next::Stopped => None,
        }
    }

    /// Like [`Watch::next_changes`], but give up after `idle` with nothing changed.
    pub fn next_within(&mut self, idle: Option<Duration>) -> Next {
        loop {
            let first = match idle {
                None => match self.rx.recv() {
                    Ok(ev) => ev,
                    Err(_) => return Next::Stopped,
                },
                Some(d) => match self.rx.recv_timeout(d) {
                    Ok(ev) => ev,
                    Err(RecvTimeoutError::Timeout) => return Next::Idle,
                    Err(RecvTimeoutError::Disconnected) => return Next::Stopped,
                },
            };
            let mut changes = SourceChanges::default();
            self.absorb(first, &mut changes);
            let started = Instant::now();
            loop {
                let left = MAX_WAIT.saturating_sub(started.elapsed());
                if left.is_zero() {
                    break;
                }
                match self.rx.recv_timeout(QUIET.min(left)) {
                    Ok(ev) => self.absorb(ev, &mut changes),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return Next::Stopped,
                }
            }
            if !changes.is_empty() {
                return Next::SourceChanges(changes);
            }
        }
    }

    fn absorb(&mut self, ev: notify::Result<notify::Event>, changes: &mut SourceChanges) {
        let Ok(ev) = ev else { return };
        if ev.kind.is_access() {
            return;
        }
        for p in &ev.paths {
            classify(changes, &self.root, &self.theme, p);
            // A folder created after the watch started (templates/, a new theme) must be
            // watched too; content/ folders are covered by the recursive watch.
            if p.is_dir()
                && p.parent() == Some(self.root.as_path())
                && let Some(name) = p.file_name().and_then(|n| n.to_str())
                && layout::SOURCE_FOLDERS.contains(&name)
            {
                let _ = self.watcher.watch(p, RecursiveMode::Recursive);
                changes.templates |= name != layout::CONTENT;
                if name == layout::CONTENT {
                    changes.config = true;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_paths_into_rebuild_kinds() {
        let root = Path::new("/site");
        let mut c = SourceChanges::default();
        let add = |c: &mut SourceChanges, p: &str| classify(c, root, "default", Path::new(p));
        add(&mut c, "/site/content/2009-10-q2/a.md");
        add(&mut c, "/site/content/2009-10-q2/.a.md.swp");
        add(&mut c, "/site/themes/default/static/css/main.css");
        add(&mut c, "/site/themes/other/templates/base.html");
        add(&mut c, "/site/output/index.html");
        add(&mut c, "/site/target/debug/x");
        assert_eq!(c.content.len(), 1);
        assert!(c.css && !c.templates && !c.config);
        add(&mut c, "/site/boardpack.toml");
        add(&mut c, "/site/templates/base.html");
        assert!(c.config && c.templates);
    }
}
