//! The development HTTP server: serves the site from memory, GET and HEAD only, never a byte
//! from outside the built site, with live-reload events over server-sent events.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::serve::state::{Shared, Snapshot};

/// Where the browser listens for reload events.
pub const EVENTS_PATH: &str = "/__boardpack/events";

/// The script injected into every HTML page: reload when this page changed, swap stylesheets
/// in place when only CSS changed, and show or clear the error overlay.
pub const RELOAD_SCRIPT: &str = include_str!("reload.js");

pub fn router(shared: Shared, addr: SocketAddr) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(file)
        .layer(axum::middleware::from_fn(move |req, next| {
            guard_host(addr, req, next)
        }))
        .with_state(shared)
}

/// Whether a request's `Host` header names this server: a loopback name (`localhost`,
/// `*.localhost`, `127.0.0.1`, `[::1]`) or the bound address, and the bound port if it gives
/// one. This stops DNS rebinding, where a web page on `evil.example` re-points its name at
/// 127.0.0.1 and reads the site through the visitor's browser: the browser still sends
/// `Host: evil.example`. When bound to every interface (`--bind 0.0.0.0`), any IP address is
/// accepted, since rebinding needs a name. A request with no `Host` (HTTP/1.0) cannot come from a
/// browser page, and is answered.
pub fn host_allowed(host: Option<&str>, addr: SocketAddr) -> bool {
    let Some(host) = host else { return true };
    let host = host.trim().to_ascii_lowercase();
    // `[::1]:1111`, `localhost:1111`, `localhost`, `[::1]`.
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((ip, "")) => (ip, None),
            Some((ip, p)) => match p.strip_prefix(':') {
                Some(p) => (ip, Some(p)),
                None => return false,
            },
            None => return false,
        },
        None => match host.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (host.as_str(), None),
        },
    };
    if let Some(p) = port
        && p.parse::<u16>().ok() != Some(addr.port())
    {
        return false;
    }
    let name = name.strip_suffix('.').unwrap_or(name);
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == addr.ip() || addr.ip().is_unspecified(),
        Err(_) => false,
    }
}

async fn guard_host(
    addr: SocketAddr,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or("\u{fffd}"));
    if host_allowed(host, addr) {
        return next.run(req).await;
    }
    (
        StatusCode::MISDIRECTED_REQUEST,
        format!(
            "this development server answers only requests for localhost or {addr}; \
             the Host header named another site\n"
        ),
    )
        .into_response()
}

async fn events(State(shared): State<Shared>) -> impl IntoResponse {
    let rx = shared.subscribe();
    let stream = BroadcastStream::new(rx).filter_map(|msg| {
        let msg = msg.ok()?;
        Some(Ok::<Event, Infallible>(
            Event::default().event(msg.event).data(msg.data),
        ))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Turn a request path into the key of a file in the built site, or `None` where the path
/// is not one the site can hold. Percent-encoded and backslash forms of `..` are refused, as is
/// anything that does not decode to UTF-8.
pub fn resolve(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let trimmed = decoded.trim_start_matches('/');
    let mut parts = Vec::new();
    for seg in trimmed.split('/') {
        match seg {
            "" => {}
            "." | ".." => return None,
            s if s.contains(':') => return None,
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if key.is_empty() || decoded.ends_with('/') {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

fn content_type(key: &str) -> &'static str {
    match key.rsplit_once('.').map(|(_, e)| e) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("pdf") => "application/pdf",
        Some("ods") => crate::render::download::ODS_MEDIA_TYPE,
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        Some("xml") => "application/xml",
        Some("woff2") => "font/woff2",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Add the reload script, and the error overlay if the last build failed, to an HTML page.
pub fn inject(html: &[u8], snap: &Snapshot) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(overlay) = &snap.overlay {
        extra.push_str(overlay);
    }
    extra.push_str("<script>");
    extra.push_str(RELOAD_SCRIPT);
    extra.push_str("</script>");
    let text = String::from_utf8_lossy(html);
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + extra.len());
    out.push_str(&text[..at]);
    out.push_str(&extra);
    out.push_str(&text[at..]);
    out.into_bytes()
}

async fn file(State(shared): State<Shared>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = (
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served\n",
        )
            .into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let snap = shared.snapshot();
    let found = resolve(uri.path()).and_then(|key| {
        // `/periods/x` without a slash is the folder's index page.
        match snap.get(&key) {
            Some(f) => Some((key, f.clone())),
            None => {
                let index = format!("{key}/index.html");
                snap.get(&index).map(|f| (index, f.clone()))
            }
        }
    });
    let (status, key, bytes) = match found {
        Some((key, bytes)) => (StatusCode::OK, key, bytes),
        None => match snap.get("404.html") {
            Some(b) => (StatusCode::NOT_FOUND, "404.html".to_string(), b.clone()),
            None => (
                StatusCode::NOT_FOUND,
                "404.txt".to_string(),
                Arc::from(&b"not found\n"[..]),
            ),
        },
    };
    let ct = content_type(&key);
    let body: Vec<u8> = if ct.starts_with("text/html") {
        inject(&bytes, &snap)
    } else {
        bytes.to_vec()
    };
    let len = body.len();
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(body)
    };
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_site_paths() {
        assert_eq!(resolve("/").as_deref(), Some("index.html"));
        assert_eq!(
            resolve("/periods/2009-10-q2/").as_deref(),
            Some("periods/2009-10-q2/index.html")
        );
        assert_eq!(
            resolve("/css/main.abc.css").as_deref(),
            Some("css/main.abc.css")
        );
        assert_eq!(resolve("//a//b").as_deref(), Some("a/b"));
        assert_eq!(resolve("/a%20b.html").as_deref(), Some("a b.html"));
    }

    #[test]
    fn refuses_traversal_in_every_form() {
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%5cetc%5cpasswd",
            "/a\\..\\b",
            "/%00",
            "/./x",
            "/c:/windows",
            "/%ff",
        ] {
            assert_eq!(resolve(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_this_servers_names_are_answered() {
        let addr: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        for ok in [
            None,
            Some("localhost"),
            Some("localhost:1111"),
            Some("LOCALHOST:1111"),
            Some("board.localhost:1111"),
            Some("127.0.0.1:1111"),
            Some("127.0.0.1"),
            Some("[::1]:1111"),
            Some("[::1]"),
        ] {
            assert!(host_allowed(ok, addr), "{ok:?}");
        }
        for bad in [
            Some("evil.example"),
            Some("evil.example:1111"),
            Some("localhost.evil.example:1111"),
            Some("localhost:2222"),
            Some("127.0.0.1:80"),
            Some("[::1"),
            Some("10.0.0.5:1111"),
            Some(""),
        ] {
            assert!(!host_allowed(bad, addr), "{bad:?}");
        }
        let any: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert!(host_allowed(Some("10.0.0.5:1111"), any));
        assert!(!host_allowed(Some("evil.example:1111"), any));
        let lan: SocketAddr = "192.168.1.9:1111".parse().unwrap();
        assert!(host_allowed(Some("192.168.1.9:1111"), lan));
    }

    #[test]
    fn injects_before_the_closing_body() {
        let snap = Snapshot::default();
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>", &snap)).unwrap();
        assert!(out.contains("<p>x</p><script>"));
        assert!(out.ends_with("</script></body></html>"));
    }
}
