//! The HTTP(S) server: hyper 1 on a current-thread tokio runtime on its own OS thread.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::{ServerContext, ServerError, ServerOptions, tls};

/// A running web server.
pub struct Server {
    local_addr: SocketAddr,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

struct Shared {
    options: ServerOptions,
    context: ServerContext,
}

impl Server {
    /// Loads the TLS certificate (if any) and binds the port before returning, so a bad
    /// certificate or a busy port is an error here, not a log line later.
    pub fn start(options: ServerOptions, context: ServerContext) -> Result<Server, ServerError> {
        let acceptor = options
            .tls
            .as_ref()
            .map(tls::server_config)
            .transpose()?
            .map(tokio_rustls::TlsAcceptor::from);
        let bind_error = |source| ServerError::Bind {
            addr: options.listen,
            source,
        };
        let listener = std::net::TcpListener::bind(options.listen).map_err(bind_error)?;
        listener.set_nonblocking(true).map_err(bind_error)?;
        let local_addr = listener.local_addr().map_err(bind_error)?;
        let (stop, stopped) = watch::channel(false);
        let shared = Arc::new(Shared { options, context });
        let thread = std::thread::Builder::new()
            .name("saker-webserver".to_string())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        tracing::error!(error = %e, "webserver: cannot start its runtime");
                        return;
                    }
                };
                runtime.block_on(serve(listener, acceptor, shared, stopped));
            })
            .map_err(ServerError::Spawn)?;
        tracing::info!(address = %local_addr, "Starting internal webserver, listening on port {}", local_addr.port());
        Ok(Server {
            local_addr,
            stop,
            thread: Some(thread),
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stops accepting, drops open connections and joins the server thread.
    pub fn stop(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

async fn serve(
    listener: std::net::TcpListener,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<bool>,
) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(e) => {
            tracing::error!(error = %e, "webserver: cannot use its socket");
            return;
        }
    };
    loop {
        let (stream, peer) = tokio::select! {
            _ = stopped.changed() => return,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // EMFILE and friends: keep serving the connections we have.
                    tracing::warn!(error = %e, "webserver: accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let shared = Arc::clone(&shared);
                async move { Ok::<_, Infallible>(route(request, &shared).await) }
            });
            let result = match acceptor {
                Some(acceptor) => match acceptor.accept(stream).await {
                    Ok(tls_stream) => {
                        http1::Builder::new()
                            .serve_connection(TokioIo::new(tls_stream), service)
                            .await
                    }
                    Err(e) => {
                        tracing::debug!(%peer, error = %e, "webserver: TLS handshake failed");
                        return;
                    }
                },
                None => {
                    http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await
                }
            };
            if let Err(e) = result {
                tracing::debug!(%peer, error = %e, "webserver: connection ended with an error");
            }
        });
    }
}

/// A response body: whole (every built-in endpoint) or streamed (a mounted event stream).
pub type Body = UnsyncBoxBody<Bytes, Infallible>;

fn respond(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Response<Body> {
    let mut response = Response::new(Full::new(body.into()).boxed_unsync());
    *response.status_mut() = status;
    if let Ok(value) = content_type.parse() {
        response.headers_mut().insert(CONTENT_TYPE, value);
    }
    response
}

fn respond_json(status: StatusCode, value: &Value) -> Response<Body> {
    respond(status, "application/json", value.to_string())
}

fn error(status: StatusCode, reason: impl Into<String>) -> Response<Body> {
    respond_json(status, &json!({ "error": reason.into() }))
}

fn method_not_allowed(allow: &'static str) -> Response<Body> {
    let mut response = error(StatusCode::METHOD_NOT_ALLOWED, format!("use {allow}"));
    response
        .headers_mut()
        .insert(ALLOW, hyper::header::HeaderValue::from_static(allow));
    response
}

async fn route(request: Request<Incoming>, shared: &Shared) -> Response<Body> {
    let path = request.uri().path().to_string();
    let options = &shared.options;
    let get = request.method() == Method::GET || request.method() == Method::HEAD;
    if path == options.healthz_path {
        if !get {
            return method_not_allowed("GET");
        }
        return respond_json(StatusCode::OK, &json!({ "status": "ok" }));
    }
    if path == "/versions" {
        if !get {
            return method_not_allowed("GET");
        }
        return respond_json(StatusCode::OK, &shared.context.versions);
    }
    if path == "/metrics" && options.metrics_enabled {
        if !get {
            return method_not_allowed("GET");
        }
        return respond(
            StatusCode::OK,
            "text/plain; version=0.0.4; charset=utf-8",
            shared.context.metrics.render(),
        );
    }
    if path == options.k8s_audit_path {
        if request.method() != Method::POST {
            return method_not_allowed("POST");
        }
        let response = k8s_audit(request, shared).await;
        if !response.status().is_success() {
            shared.context.metrics.count_k8s_audit(0, 1);
        }
        return response;
    }
    if let Some(mounted) = shared.context.mount.as_ref()
        && let Some(response) = mounted.respond(&request)
    {
        return response;
    }
    error(StatusCode::NOT_FOUND, format!("no endpoint {path}"))
}

async fn k8s_audit(request: Request<Incoming>, shared: &Shared) -> Response<Body> {
    let Some(handler) = shared.context.k8s_audit.as_ref() else {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the k8s_audit event source is not enabled",
        );
    };
    let limit = shared.options.max_body_bytes;
    let too_large = || {
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body larger than {limit} bytes"),
        )
    };
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large();
    }
    let body = match Limited::new(request.into_body(), limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => return too_large(),
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("reading the body: {e}")),
    };
    let value: Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("invalid JSON: {e}")),
    };
    let events = match audit_events(value) {
        Ok(events) => events,
        Err(reason) => return error(StatusCode::BAD_REQUEST, reason),
    };
    let total = events.len();
    for (accepted, event) in events.into_iter().enumerate() {
        if let Err(reason) = handler(event) {
            shared.context.metrics.count_k8s_audit(accepted as u64, 0);
            return error(StatusCode::SERVICE_UNAVAILABLE, reason);
        }
    }
    shared.context.metrics.count_k8s_audit(total as u64, 0);
    respond_json(StatusCode::OK, &json!({ "accepted": total }))
}

/// The events of an `audit.k8s.io` `Event` or `EventList` body.
pub(crate) fn audit_events(value: Value) -> Result<Vec<Value>, String> {
    let Value::Object(mut object) = value else {
        return Err("expected a JSON object (an audit.k8s.io/v1 Event or EventList)".to_string());
    };
    if let Some(api_version) = object.get("apiVersion") {
        let api_version = api_version.as_str().unwrap_or_default();
        if !api_version.starts_with("audit.k8s.io/") {
            return Err(format!("apiVersion `{api_version}` is not audit.k8s.io/v1"));
        }
    }
    match object.get("kind").and_then(Value::as_str) {
        Some("Event") => Ok(vec![Value::Object(object)]),
        Some("EventList") => match object.remove("items") {
            Some(Value::Array(items)) => {
                if let Some(i) = items.iter().position(|item| !item.is_object()) {
                    return Err(format!("EventList item {i} is not an object"));
                }
                Ok(items)
            }
            Some(Value::Null) | None => Ok(Vec::new()),
            Some(_) => Err("EventList `items` is not an array".to_string()),
        },
        Some(other) => Err(format!("kind `{other}` is neither Event nor EventList")),
        None => Err("missing `kind` (expected Event or EventList)".to_string()),
    }
}
