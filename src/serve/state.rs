//! What the development server shows: the last good site held in memory, the error overlay
//! when the latest build failed, and the channel that tells browsers to reload.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tokio::sync::broadcast;

/// One complete site as served. Swapped whole, so a request never sees half a rebuild.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Output path (`periods/2009-10-q2/index.html`) to bytes: a whole build.
    pub files: Arc<HashMap<String, Arc<[u8]>>>,
    /// Pages that replace `files`' since that build: previews, so that showing one does not
    /// copy the whole site.
    pub patch: HashMap<String, Arc<[u8]>>,
    /// The error overlay's HTML, present while the content is broken.
    pub overlay: Option<String>,
    /// Increases with every change, for tests and logs.
    pub version: u64,
}

/// An event sent to every open page.
#[derive(Debug, Clone)]
pub struct Message {
    /// `reload`, `css`, `error` or `ok`.
    pub event: &'static str,
    pub data: String,
}

impl Snapshot {
    /// The bytes served for an output path.
    pub fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        self.patch.get(path).or_else(|| self.files.get(path))
    }
}

#[derive(Clone)]
pub struct Shared(Arc<Inner>);

struct Inner {
    snap: RwLock<Arc<Snapshot>>,
    tx: broadcast::Sender<Message>,
}

impl Shared {
    pub fn new(first: Snapshot) -> Self {
        let (tx, _) = broadcast::channel(64);
        Shared(Arc::new(Inner {
            snap: RwLock::new(Arc::new(first)),
            tx,
        }))
    }

    /// The current site. Cheap: an `Arc` clone under a read lock.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.0.snap.read() {
            Ok(g) => g.clone(),
            // A panic while holding the lock cannot leave a half-written snapshot: swaps are
            // single assignments. Serve what is there.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Message> {
        self.0.tx.subscribe()
    }

    /// Replace the site, then tell browsers. The order matters: a page reloaded on this event
    /// must find the new output already in place.
    pub fn publish(&self, snap: Snapshot, msg: Option<Message>) {
        let new = Arc::new(snap);
        match self.0.snap.write() {
            Ok(mut g) => *g = new,
            Err(poisoned) => *poisoned.into_inner() = new,
        }
        if let Some(m) = msg {
            // No receivers is fine: nobody has the site open.
            let _ = self.0.tx.send(m);
        }
    }
}
