//! The watch server's board pack PDFs: typeset on their own threads after a rebuild, so that
//! saving a report never waits for its pack, and put into the served site as they finish.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::error::Error;
use crate::render::pdf::{Typeset, board_pack};

/// PDFs being typeset, oldest first.
#[derive(Default)]
pub struct PdfJobs {
    jobs: Vec<(String, JoinHandle<Result<Typeset, Error>>)>,
}

impl PdfJobs {
    /// Typeset the pack at `path` from its page's context.
    pub fn spawn(&mut self, path: String, ctx: tera::Context) {
        let at = path.clone();
        let job = std::thread::spawn(move || board_pack(&ctx, &at));
        self.jobs.push((path, job));
    }

    pub fn pending(&self) -> bool {
        !self.jobs.is_empty()
    }

    /// Put every finished PDF into `output` (all of them, waiting, when `wait`), newer jobs
    /// over older ones for the same path. Returns whether any bytes changed. A pack that fails
    /// to typeset, or whose thread panicked, keeps its last good copy and is reported.
    pub fn collect(&mut self, output: &mut BTreeMap<String, Arc<[u8]>>, wait: bool) -> bool {
        let mut changed = false;
        let mut still = Vec::new();
        for (path, job) in std::mem::take(&mut self.jobs) {
            if !wait && !job.is_finished() {
                still.push((path, job));
                continue;
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
        }
        self.jobs = still;
        changed
    }
}
