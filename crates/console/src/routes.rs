//! The console's routes on the web server: the page and its assets (no data in them), and the
//! read-only JSON API under `/api/` (behind `webserver.ui_token` when one is set).

use std::sync::Arc;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use saker_server::{Body, Mount};
use serde_json::json;

use crate::exposition;
use crate::query::AlertQuery;
use crate::{Shared, lock, read, stats, stream, unix_now_ns};

/// The page, embedded at build time: (path, content type, bytes).
const ASSETS: [(&str, &str, &[u8]); 4] = [
    (
        "/",
        "text/html; charset=utf-8",
        include_bytes!("../assets/index.html"),
    ),
    (
        "/ui/console.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/console.js"),
    ),
    (
        "/ui/console.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/console.css"),
    ),
    (
        "/ui/favicon.svg",
        "image/svg+xml",
        include_bytes!("../assets/favicon.svg"),
    ),
];

/// Scripts and styles from the page's own files only, no inline code, no framing: markup
/// smuggled into an alert could not run even if it reached the DOM.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub(crate) struct ConsoleRoutes {
    shared: Arc<Shared>,
    token: Option<String>,
}

impl ConsoleRoutes {
    pub fn new(shared: Arc<Shared>, token: Option<String>) -> ConsoleRoutes {
        ConsoleRoutes {
            shared,
            token: token.filter(|t| !t.is_empty()),
        }
    }
}

impl Mount for ConsoleRoutes {
    fn respond(&self, request: &Request<Incoming>) -> Option<Response<Body>> {
        let path = request.uri().path();
        let asset = ASSETS
            .iter()
            .find(|(p, _, _)| *p == path || (path == "/index.html" && *p == "/"));
        let api = path == "/api" || path.starts_with("/api/");
        if asset.is_none() && !api {
            return None;
        }
        if request.method() != Method::GET && request.method() != Method::HEAD {
            let mut response = error(
                StatusCode::METHOD_NOT_ALLOWED,
                "the console is read-only: use GET",
            );
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            return Some(response);
        }
        if let Some((_, content_type, bytes)) = asset {
            return Some(page(content_type, bytes));
        }
        if !self.authorized(request) {
            let mut response = error(
                StatusCode::UNAUTHORIZED,
                "this console needs its token: Authorization: Bearer <webserver.ui_token>",
            );
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"saker console\""),
            );
            return Some(response);
        }
        Some(self.api(path, request.uri().query().unwrap_or("")))
    }
}

impl ConsoleRoutes {
    fn authorized(&self, request: &Request<Incoming>) -> bool {
        let Some(token) = &self.token else {
            return true;
        };
        let given = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        constant_time_eq(given.as_bytes(), token.as_bytes())
    }

    fn api(&self, path: &str, query: &str) -> Response<Body> {
        let shared = &self.shared;
        match path {
            "/api/alerts" => match AlertQuery::parse(query, unix_now_ns()) {
                Ok(query) => self.alerts(&query),
                Err(reason) => error(StatusCode::BAD_REQUEST, &reason),
            },
            "/api/stream" => match AlertQuery::parse_stream(query, unix_now_ns()) {
                Ok(mut query) => {
                    // `since` means "after this id" here; the filter must not apply it again.
                    let since = query.filter.since_id.take();
                    let mut response = Response::new(stream::body(shared, query.filter, since));
                    let headers = response.headers_mut();
                    headers.insert(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/event-stream"),
                    );
                    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                    headers.insert(
                        header::X_CONTENT_TYPE_OPTIONS,
                        HeaderValue::from_static("nosniff"),
                    );
                    response
                }
                Err(reason) => error(StatusCode::BAD_REQUEST, &reason),
            },
            "/api/stats" => match stats::parse_window(query) {
                Ok(window) => {
                    json_response(StatusCode::OK, stats::render(shared, window).to_string())
                }
                Err(reason) => error(StatusCode::BAD_REQUEST, &reason),
            },
            "/api/rules" if query.is_empty() => self.rules(),
            "/api/rules" => error(StatusCode::BAD_REQUEST, "/api/rules takes no parameters"),
            _ => match path.strip_prefix("/api/alerts/") {
                Some(id) => match id.parse::<u64>() {
                    Ok(id) => self.alert(id),
                    Err(_) => error(StatusCode::BAD_REQUEST, "an alert id is a number"),
                },
                None => error(
                    StatusCode::NOT_FOUND,
                    &format!("no console endpoint {path}"),
                ),
            },
        }
    }

    fn alerts(&self, query: &AlertQuery) -> Response<Body> {
        let (found, more, last_id, first_id) = {
            let history = lock(&self.shared.history);
            let (found, more) = history.query(&query.filter, query.limit);
            (found, more, history.last_id(), history.first_id())
        };
        let mut body =
            Vec::with_capacity(found.iter().map(|a| a.json().len() + 1).sum::<usize>() + 128);
        body.extend_from_slice(b"{\"alerts\":[");
        for (i, alert) in found.iter().enumerate() {
            if i > 0 {
                body.push(b',');
            }
            body.extend_from_slice(&alert.json());
        }
        let tail = json!({
            "more": more,
            "last_id": last_id,
            "first_id": first_id,
            "instance": self.shared.instance,
        });
        // `tail` is an object: splice its members after the array.
        let tail = tail.to_string();
        body.extend_from_slice(b"],");
        body.extend_from_slice(&tail.as_bytes()[1..]);
        json_response(StatusCode::OK, body)
    }

    fn alert(&self, id: u64) -> Response<Body> {
        let Some(alert) = lock(&self.shared.history).get(id).cloned() else {
            return error(
                StatusCode::NOT_FOUND,
                &format!("alert {id} is not in the history"),
            );
        };
        let catalog = read(&self.shared.catalog).clone();
        let rule = catalog.rule(&alert.rule);
        let mut body = b"{\"alert\":".to_vec();
        body.extend_from_slice(&alert.json());
        body.extend_from_slice(b",\"rule\":");
        body.extend_from_slice(json!(rule).to_string().as_bytes());
        body.push(b'}');
        json_response(StatusCode::OK, body)
    }

    fn rules(&self) -> Response<Body> {
        let catalog = read(&self.shared.catalog).clone();
        let fired = fired_by_rule(&self.shared.metrics.render());
        let history = lock(&self.shared.history);
        let rules: Vec<serde_json::Value> = catalog
            .rules()
            .iter()
            .map(|rule| {
                let mut value = json!(rule);
                value["fired"] = json!(fired.get(rule.name.as_str()).copied().unwrap_or(0));
                value["in_history"] = json!(history.by_rule.get(&rule.name));
                value
            })
            .collect();
        drop(history);
        let body = json!({ "loaded_ns": catalog.loaded_ns(), "rules": rules });
        json_response(StatusCode::OK, body.to_string())
    }
}

/// Alerts raised per rule since the start (`saker_alerts_total`, all priorities and sources).
fn fired_by_rule(exposition_text: &str) -> std::collections::HashMap<String, u64> {
    let mut fired = std::collections::HashMap::new();
    for sample in exposition::parse(exposition_text) {
        if sample.name == "saker_alerts_total"
            && let Some(rule) = sample.label("rule")
        {
            *fired.entry(rule.to_string()).or_insert(0) += sample.value as u64;
        }
    }
    fired
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    // Length is not secret (tokens are compared whole); the bytes are.
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn with_common_headers(mut response: Response<Body>, content_type: &str) -> Response<Body> {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

fn page(content_type: &str, bytes: &'static [u8]) -> Response<Body> {
    let mut response = with_common_headers(
        Response::new(Full::new(Bytes::from_static(bytes)).boxed_unsync()),
        content_type,
    );
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

fn json_response(status: StatusCode, body: impl Into<Bytes>) -> Response<Body> {
    let mut response = with_common_headers(
        Response::new(Full::new(body.into()).boxed_unsync()),
        "application/json",
    );
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn error(status: StatusCode, reason: &str) -> Response<Body> {
    json_response(status, json!({ "error": reason }).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
        assert!(!constant_time_eq(b"", b"x"));
    }

    #[test]
    fn fired_counts_add_priorities_and_sources() {
        let text = "saker_alerts_total{rule=\"A\",priority=\"warning\",source=\"syscall\"} 2\n\
                    saker_alerts_total{rule=\"A\",priority=\"error\",source=\"syscall\"} 3\n\
                    saker_alerts_total{rule=\"B\",priority=\"error\",source=\"k8s_audit\"} 1\n";
        let fired = fired_by_rule(text);
        assert_eq!(fired["A"], 5);
        assert_eq!(fired["B"], 1);
    }
}
