//! The watch server's board pack PDFs: typeset one at a time on a thread of their own after a
//! rebuild, so that saving a report never waits for its pack, and put into the served site as
//! they finish. One at a time, because a large pack takes a great deal of memory to typeset:
//! the first build of a big site must not typeset every pack at once.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::error::Error;
use crate::render::pdf::{Typeset, board_pack};

type Job = JoinHandle<Result<Typeset, Error>>;

/// PDFs waiting to be typeset, oldest first, and the one being typeset.
#[derive(Default)]
pub struct PdfJobs {
    queue: VecDeque<(String, tera::Context)>,
    running: Option<(String, Job)>,
}

impl PdfJobs {
    /// Typeset the pack at `path` from its page's context, after those queued before it. A
    /// pack queued again replaces its older request, which would be out of date.
    pub fn spawn(&mut self, path: String, ctx: tera::Context) {
        self.queue.retain(|(p, _)| *p != path);
        self.queue.push_back((path, ctx));
        self.start_next();
    }

    fn start_next(&mut self) {
        if self.running.is_some() {
            return;
        }
        if let Some((path, ctx)) = self.queue.pop_front() {
            let at = path.clone();
            let job = std::thread::spawn(move || board_pack(&ctx, &at));
            self.running = Some((path, job));
        }
    }

    pub fn pending(&self) -> bool {
        self.running.is_some() || !self.queue.is_empty()
    }

    /// Put every finished PDF into `output` (all of them, waiting, when `wait`) and start the
    /// next. Returns whether any bytes changed. A pack that fails to typeset, or whose thread
    /// panicked, keeps its last good copy and is reported.
    pub fn collect(&mut self, output: &mut BTreeMap<String, Arc<[u8]>>, wait: bool) -> bool {
        let mut changed = false;
        while let Some((path, job)) = self.running.take() {
            if !wait && !job.is_finished() {
                self.running = Some((path, job));
                break;
            }
            match job.join() {
                Ok(Ok(typeset)) => {
                    let bytes: Arc<[u8]> = Arc::from(typeset.bytes);
                    changed |= output.get(&path) != Some(&bytes);
                    output.insert(path, bytes);
                }
                Ok(Err(e)) => eprintln!("error: {e}"),
                Err(_) => eprintln!("error: typesetting {path} panicked; its last copy is served"),
            }
            self.start_next();
        }
        changed
    }
}
