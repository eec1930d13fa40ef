//! Watch mode: `boardpack serve` builds the site into memory, serves it on loopback, watches the
//! sources, rebuilds incrementally on every save, and tells open pages to reload, or shows
//! the same diagnostics as `check` in an overlay while the content is broken.

mod dirty;
pub mod http;
mod pdfs;
pub mod session;
pub mod state;
pub mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::time::Instant;

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::render::escape_html;
use crate::serve::session::{Outcome, Session, SourceChanges};
use state::{Message, Shared, Snapshot};

/// How long the sources must be quiet before the search index is rebuilt.
const SEARCH_IDLE: std::time::Duration = std::time::Duration::from_millis(1500);
/// How often to look for board pack PDFs that have finished typesetting.
const PDF_POLL: std::time::Duration = std::time::Duration::from_millis(100);

/// How `serve` was asked to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
    pub color: bool,
    pub quiet: bool,
    /// Show documents marked `draft = true` (the default: serve is the author's preview).
    pub drafts: bool,
    /// Who to show the site as; members by default (see `serve --audience`).
    pub audience: crate::content::exempt::Audience,
}

/// The URL path a browser sees for an output file: `periods/x/index.html` is `/periods/x/`.
pub fn url_of(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{path}"),
    }
}

/// The error overlay: the diagnostics exactly as `check` prints them (without colour), over
/// the last good page.
pub fn overlay(diagnostics: &[Diagnostic], error: Option<&str>) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let mut text = String::new();
    for d in diagnostics.iter().filter(|d| d.is_error()) {
        text.push_str(&d.render(false));
        text.push('\n');
    }
    if let Some(e) = error {
        text.push_str(e);
        text.push('\n');
    }
    let count = match (errors, error.is_some()) {
        (0, _) => "The build failed".to_string(),
        (1, _) => "1 error".to_string(),
        (n, _) => format!("{n} errors"),
    };
    format!(
        concat!(
            r#"<div id="boardpack-error-overlay" role="alertdialog" aria-modal="true" aria-labelledby="boardpack-error-title" tabindex="-1" "#,
            r#"style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:#0b0c0c;color:#fff;padding:1.5rem;font:16px/1.5 system-ui,sans-serif">"#,
            r#"<h2 id="boardpack-error-title" style="margin:0 0 .5rem;font-size:1.5rem;color:#fff">{}: the page below is the last good build</h2>"#,
            r#"<p style="margin:0 0 1rem">Fix the problem and save: this message goes away by itself.</p>"#,
            r#"<pre style="white-space:pre-wrap;font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;color:#fff;background:#1d1f20;padding:1rem;margin:0">{}</pre></div>"#
        ),
        escape_html(&count),
        escape_html(&text)
    )
}

/// Turn a rebuild's outcome into the next snapshot and the event to send.
fn next_state(
    session: &Session,
    outcome: &Outcome,
    previous: &Snapshot,
) -> (Snapshot, Option<Message>) {
    let version = previous.version + 1;
    // A rebuild's output replaces any preview: previews are not part of the last good site.
    let files: std::sync::Arc<std::collections::HashMap<String, std::sync::Arc<[u8]>>> =
        std::sync::Arc::new(
            session
                .output()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        );
    match outcome {
        Outcome::Built {
            changed,
            css_only,
            css_path,
            ..
        } => {
            let was_broken = previous.overlay.is_some();
            // A page already served with these bytes (by a preview) needs no reload.
            let paths: Vec<String> = changed
                .iter()
                .filter(|p| previous.get(p) != files.get(*p))
                .map(|p| url_of(p))
                .collect();
            let msg = if *css_only && !was_broken {
                Some(Message {
                    event: "css",
                    data: serde_json::json!({ "href": url_of(css_path) }).to_string(),
                })
            } else if !paths.is_empty() {
                Some(Message {
                    event: "reload",
                    data: serde_json::json!({ "paths": paths, "all": false }).to_string(),
                })
            } else if was_broken {
                Some(Message {
                    event: "ok",
                    data: "{}".into(),
                })
            } else {
                None
            };
            (
                Snapshot {
                    files,
                    patch: Default::default(),
                    overlay: None,
                    version,
                },
                msg,
            )
        }
        Outcome::Unchanged => (
            Snapshot {
                files,
                patch: Default::default(),
                overlay: previous.overlay.clone(),
                version,
            },
            None,
        ),
        Outcome::Failed { diagnostics, error } => {
            let html = overlay(diagnostics, error.as_deref());
            let data = serde_json::json!({ "html": html }).to_string();
            // A session started afresh after a panic has no output yet: the last good site is
            // the one being served.
            let files = if session.output().is_empty() {
                previous.files.clone()
            } else {
                files
            };
            (
                Snapshot {
                    files,
                    patch: Default::default(),
                    overlay: Some(html),
                    version,
                },
                Some(Message {
                    event: "build-error",
                    data,
                }),
            )
        }
    }
}

/// Serve the edited report's own page at once when the session can preview it
/// ([`Session::preview`]); the rebuild that follows brings every other page up to date.
fn preview(
    session: &Session,
    changes: &SourceChanges,
    shared: &Shared,
    started: Instant,
    opts: &Options,
) {
    let previous = shared.snapshot();
    // While the site is broken, only a rebuild can say whether this save fixes it.
    if previous.overlay.is_some() {
        return;
    }
    let Some((path, bytes)) = session.preview(changes) else {
        return;
    };
    if previous.get(&path) == Some(&bytes) {
        return;
    }
    let t = crate::timing::phase("preview: publish");
    let mut patch = previous.patch.clone();
    patch.insert(path.clone(), bytes);
    let url = url_of(&path);
    let data = serde_json::json!({ "paths": [&url], "all": false }).to_string();
    shared.publish(
        Snapshot {
            files: previous.files.clone(),
            patch,
            overlay: None,
            version: previous.version + 1,
        },
        Some(Message {
            event: "reload",
            data,
        }),
    );
    drop(t);
    if !opts.quiet {
        eprintln!(
            "previewed {url} in {:.1} ms; rebuilding the rest",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// Print a rebuild's outcome to the terminal: the same diagnostics as `check`.
fn report(outcome: &Outcome, started: Instant, opts: &Options) {
    match outcome {
        Outcome::Built {
            changed,
            rendered,
            pages,
            warnings,
            ..
        } => {
            if !opts.quiet {
                eprintln!(
                    "rebuilt in {:.1} ms: rendered {rendered} of {pages} pages, {} files changed, {warnings} warnings",
                    started.elapsed().as_secs_f64() * 1000.0,
                    changed.len()
                );
            }
        }
        Outcome::Failed { diagnostics, error } => {
            let mut err = std::io::stderr().lock();
            for d in diagnostics.iter().filter(|d| d.is_error()) {
                let _ = writeln!(err, "{}", d.render(opts.color));
            }
            if let Some(e) = error {
                let _ = writeln!(err, "error: {e}");
            }
            let _ = writeln!(
                err,
                "build failed: still serving the last good site; fix and save to rebuild"
            );
        }
        Outcome::Unchanged => {}
    }
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        eprintln!("could not open a browser; visit {url}");
    }
}

/// A future that completes on Ctrl-C (SIGINT) or SIGTERM. The handlers are registered when
/// this is called, not when it is first polled, so a signal that arrives while the first
/// build runs still stops the server cleanly.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut int = signal(SignalKind::interrupt())?;
        let mut term = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

/// The text of a panic's payload, for the overlay and the terminal.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with no message".to_string()
    }
}

/// Print a panic as one line naming it a bug, in place of the default text, which reads as if
/// the server had stopped. The rebuild loop says what happens next.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        eprintln!(
            "internal error{at}: {}; this is a bug in boardpack",
            panic_message(info.payload())
        );
    }));
}

/// A fresh session for the site, as the watch server uses it.
fn new_session(root: &Path, opts: &Options) -> Session {
    let mut session = Session::new(root);
    // Links on the served site must point at the server, wherever it will be published.
    session.set_base_url("/");
    session.set_drafts(opts.drafts);
    session.set_audience(opts.audience);
    session
}

/// Build, serve and watch until Ctrl-C.
pub fn run(root: &Path, opts: &Options) -> Result<(), Error> {
    let io = |source: std::io::Error| Error::Serve {
        message: source.to_string(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(io)?;
    runtime.block_on(async move {
        let shutdown = shutdown_signal().map_err(io)?;
        let listener = tokio::net::TcpListener::bind(SocketAddr::new(opts.bind, opts.port))
            .await
            .map_err(|e| Error::Serve {
                message: format!("cannot listen on {}:{}: {e}", opts.bind, opts.port),
            })?;
        let addr = listener.local_addr().map_err(io)?;

        install_panic_hook();
        let mut session = new_session(root, opts);
        // Watch before the first build, so a save made during it is not missed.
        let mut watch = watch::Watch::start(root, "default").map_err(|e| Error::Serve {
            message: format!("cannot watch {}: {e}", root.display()),
        })?;
        let started = Instant::now();
        let outcome = session.update(&SourceChanges::everything());
        session.refresh_search();
        report(&outcome, started, opts);
        watch.set_theme(&session.theme());
        let (first, _) = next_state(&session, &outcome, &Snapshot::default());
        let shared = Shared::new(first);

        let url = format!("http://{addr}/");
        // Tests and scripts read this line to find the port.
        println!("serving {} at {url}", root.display());
        let _ = std::io::stdout().flush();
        if opts.open {
            open_browser(&url);
        }
        let updates = shared.clone();
        let watch_opts = opts.clone();
        let root = root.to_path_buf();
        std::thread::spawn(move || {
            let mut pending_everything = false;
            loop {
                // The search index is rebuilt once the author pauses, not on every save.
                let idle = if session.pdfs_pending() {
                    Some(PDF_POLL)
                } else {
                    session.search_stale().then_some(SEARCH_IDLE)
                };
                let changes = match watch.next_within(idle) {
                    // After a panic the fresh session builds everything on the next save.
                    watch::Next::SourceChanges(_) if pending_everything => {
                        pending_everything = false;
                        SourceChanges::everything()
                    }
                    watch::Next::SourceChanges(c) => c,
                    watch::Next::Stopped => break,
                    watch::Next::Idle => {
                        let pdfs = session.collect_pdfs(false);
                        let search = !session.pdfs_pending()
                            && session.search_stale()
                            && session.refresh_search();
                        if pdfs || search {
                            let previous = updates.snapshot();
                            let (snap, _) = next_state(&session, &Outcome::Unchanged, &previous);
                            updates.publish(snap, None);
                        }
                        continue;
                    }
                };
                let started = Instant::now();
                // A panic in a rebuild is a bug, but it must not end the watching: show it, keep
                // serving the last good site, and start the next rebuild from a fresh session,
                // since a panic may have left this one half updated.
                let rebuilt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    preview(&session, &changes, &updates, started, &watch_opts);
                    session.update(&changes)
                }));
                let outcome = match rebuilt {
                    Ok(outcome) => outcome,
                    Err(payload) => {
                        session = new_session(&root, &watch_opts);
                        pending_everything = true;
                        Outcome::Failed {
                            diagnostics: Vec::new(),
                            error: Some(format!(
                                "internal error: {}\nThis is a bug in boardpack. Save again to rebuild.",
                                panic_message(&*payload)
                            )),
                        }
                    }
                };
                report(&outcome, started, &watch_opts);
                watch.set_theme(&session.theme());
                let previous = updates.snapshot();
                let (snap, msg) = next_state(&session, &outcome, &previous);
                updates.publish(snap, msg);
            }
        });
        axum::serve(listener, http::router(shared, addr))
            .with_graceful_shutdown(async move {
                shutdown.await;
                eprintln!("stopping");
            })
            .await
            .map_err(io)
    })
}
