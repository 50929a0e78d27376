//! The HTTP(S) server: hyper 1 on a current-thread tokio runtime on its own OS thread.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread::JoinHandle;
use std::time::Duration;

use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{
    ALLOW, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE,
};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{Value, json};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

use crate::metrics::WebCounters;
use crate::slots::{Activity, Slots};
use crate::{AuditHandler, Secret, ServerContext, ServerError, ServerOptions, tls};

/// A running web server.
pub struct Server {
    local_addr: SocketAddr,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

struct Shared {
    options: ServerOptions,
    context: ServerContext,
    limits: Limits,
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
        let limits = Limits {
            connections: Slots::new(options.max_connections),
            body_kib: Arc::new(Semaphore::new(
                options.body_memory_bytes.div_ceil(1024).max(1),
            )),
        };
        let shared = Arc::new(Shared {
            options,
            context,
            limits,
        });
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

/// What every connection shares: the limits that keep slow or greedy clients from holding
/// the server.
struct Limits {
    connections: Slots,
    /// Request body bytes held at once, in KiB permits.
    body_kib: Arc<Semaphore>,
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
    let web = &shared.context.metrics.web;
    loop {
        let (stream, peer) = tokio::select! {
            _ = stopped.changed() => return,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // EMFILE and friends: keep serving the connections we have.
                    tracing::warn!(error = %e, "webserver: accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Some(ticket) = shared.limits.connections.reserve() else {
            WebCounters::add(&web.refused);
            refuse(stream, acceptor.is_some());
            continue;
        };
        if ticket.evicted {
            WebCounters::add(&web.evicted);
        }
        WebCounters::add(&web.accepted);
        let _ = stream.set_nodelay(true);
        let id = ticket.id;
        let task = {
            let shared = Arc::clone(&shared);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let _open = OpenConnection::new(&shared, ticket.id);
                serve_connection(stream, peer, acceptor, &shared, ticket.activity).await;
            })
        };
        shared.limits.connections.started(id, task.abort_handle());
    }
}

/// Counts a connection as open while it lives, and gives its slot back when it ends (or is
/// closed to make room: its task is dropped then).
struct OpenConnection {
    shared: Arc<Shared>,
    id: u64,
}

impl OpenConnection {
    fn new(shared: &Arc<Shared>, id: u64) -> Self {
        shared
            .context
            .metrics
            .web
            .open
            .fetch_add(1, Ordering::Relaxed);
        OpenConnection {
            shared: Arc::clone(shared),
            id,
        }
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.shared.limits.connections.release(self.id);
        self.shared
            .context
            .metrics
            .web
            .open
            .fetch_sub(1, Ordering::Relaxed);
    }
}

/// A response body that marks its connection idle again once it is sent or dropped.
struct AnswerBody {
    inner: Body,
    activity: Option<Arc<Activity>>,
}

impl AnswerBody {
    fn new(inner: Body, activity: Arc<Activity>) -> Self {
        // The answer starts: from now on a client that stops reading it stalls it.
        activity.answer_progressed();
        AnswerBody {
            inner,
            activity: Some(activity),
        }
    }

    fn done(&mut self) {
        if let Some(activity) = self.activity.take() {
            activity.request_done();
        }
    }
}

impl hyper::body::Body for AnswerBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Infallible>>> {
        let frame = std::pin::Pin::new(&mut self.inner).poll_frame(cx);
        match &frame {
            std::task::Poll::Ready(None) => self.done(),
            // Asked for more: the connection took what came before.
            _ => {
                if let Some(activity) = &self.activity {
                    activity.answer_progressed();
                }
            }
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for AnswerBody {
    fn drop(&mut self) {
        self.done();
    }
}

/// One connection over the limit: a plain-HTTP client is told to come back (if its socket
/// takes the answer at once), a TLS one is just closed.
fn refuse(stream: tokio::net::TcpStream, tls: bool) {
    if !tls {
        let _ = stream.try_write(
            b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
        );
    }
}

async fn serve_connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    shared: &Arc<Shared>,
    activity: Arc<Activity>,
) {
    let web = &shared.context.metrics.web;
    let service = {
        let shared = Arc::clone(shared);
        service_fn(move |request| {
            let shared = Arc::clone(&shared);
            let activity = Arc::clone(&activity);
            async move {
                // Busy until its answer is sent (a streamed one included): a connection in
                // a request keeps its slot.
                activity.request_started();
                let response = route(request, &shared).await;
                Ok::<_, Infallible>(response.map(|body| AnswerBody::new(body, activity)))
            }
        })
    };
    // The header timeout also closes idle kept-alive connections: hyper runs it whenever
    // it waits for the head of a request.
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(shared.options.header_timeout);
    let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
    stream.set_write_timeout(Some(shared.options.write_timeout));
    let stream = Box::pin(stream);
    let result = match acceptor {
        Some(acceptor) => {
            let handshake =
                tokio::time::timeout(shared.options.header_timeout, acceptor.accept(stream)).await;
            match handshake {
                Ok(Ok(tls_stream)) => {
                    http.serve_connection(TokioIo::new(tls_stream), service)
                        .await
                }
                Ok(Err(e)) => {
                    tracing::debug!(%peer, error = %e, "webserver: TLS handshake failed");
                    return;
                }
                Err(_) => {
                    WebCounters::add(&web.header_timeouts);
                    return;
                }
            }
        }
        None => http.serve_connection(TokioIo::new(stream), service).await,
    };
    if let Err(e) = result {
        if e.is_timeout() {
            WebCounters::add(&web.header_timeouts);
        } else if is_write_timeout(&e) {
            WebCounters::add(&web.write_timeouts);
        }
        tracing::debug!(%peer, error = %e, "webserver: connection ended with an error");
    }
}

/// Whether a connection ended because a write waited longer than the write timeout.
fn is_write_timeout(e: &hyper::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return io.kind() == std::io::ErrorKind::TimedOut;
        }
        source = err.source();
    }
    false
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
    if let Some(token) = &shared.options.k8s_audit_token
        && !bearer_matches(&request, token)
    {
        return unauthorized();
    }
    let Some(handler) = shared.context.k8s_audit.as_ref() else {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the k8s_audit event source is not enabled",
        );
    };
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let read = tokio::time::timeout(
        shared.options.body_timeout,
        read_body(request.into_body(), declared, shared),
    )
    .await;
    let body = match read {
        Ok(Ok(body)) => body,
        Ok(Err(BodyError::Busy)) => {
            WebCounters::add(&shared.context.metrics.web.busy);
            return busy();
        }
        Ok(Err(e)) => return e.response(shared.options.max_body_bytes),
        Err(_) => {
            WebCounters::add(&shared.context.metrics.web.body_timeouts);
            return error(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the request body did not arrive within {:?}",
                    shared.options.body_timeout
                ),
            );
        }
    };
    let response = handle_audit_body(&body.bytes, handler, shared);
    drop(body);
    response
}

/// A request body held in memory, and its share of the body memory budget.
struct HeldBody {
    bytes: Vec<u8>,
    budget: Option<OwnedSemaphorePermit>,
    /// Bytes the budget permits cover.
    reserved: usize,
}

impl Drop for HeldBody {
    fn drop(&mut self) {
        if self.bytes.capacity() >= TRIM_AFTER_BYTES {
            // Give a big body's pages back to the system now, not at the next allocation.
            std::mem::take(&mut self.bytes);
            release_free_memory();
        }
    }
}

/// Bodies this big give their memory back when freed.
const TRIM_AFTER_BYTES: usize = 1 << 20;

/// Why a body was not read.
enum BodyError {
    TooLarge,
    /// The body memory budget is spent.
    Busy,
    Broken(String),
}

impl BodyError {
    fn response(self, limit: usize) -> Response<Body> {
        match self {
            BodyError::TooLarge => error(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("request body larger than {limit} bytes"),
            ),
            BodyError::Busy => busy(),
            BodyError::Broken(reason) => error(
                StatusCode::BAD_REQUEST,
                format!("reading the body: {reason}"),
            ),
        }
    }
}

impl HeldBody {
    /// Makes sure `bytes` of body are covered by the budget, asking for at least 64 KiB
    /// more at a time so that a chunked body does not ask for every chunk.
    fn reserve(&mut self, bytes: usize, limit: usize, budget: &Arc<Semaphore>) -> bool {
        if bytes <= self.reserved {
            return true;
        }
        let want = bytes.max(self.reserved + 64 * 1024).min(limit.max(bytes));
        let kib = u32::try_from((want - self.reserved).div_ceil(1024)).unwrap_or(u32::MAX);
        let Ok(permit) = Arc::clone(budget).try_acquire_many_owned(kib) else {
            return false;
        };
        match self.budget.as_mut() {
            Some(held) => held.merge(permit),
            None => self.budget = Some(permit),
        }
        self.reserved += kib as usize * 1024;
        true
    }
}

/// Reads a body within `max_body_bytes` (413) and the memory budget (503), into one buffer
/// sized from `Content-Length` so that chunks are freed as they arrive.
async fn read_body(
    mut body: Incoming,
    declared: Option<u64>,
    shared: &Shared,
) -> Result<HeldBody, BodyError> {
    let limit = shared.options.max_body_bytes;
    let budget = &shared.limits.body_kib;
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLarge);
    }
    let mut held = HeldBody {
        bytes: Vec::new(),
        budget: None,
        reserved: 0,
    };
    if let Some(n) = declared {
        if !held.reserve(n as usize, limit, budget) {
            return Err(BodyError::Busy);
        }
        held.bytes.reserve_exact(n as usize);
    }
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| BodyError::Broken(e.to_string()))?;
        let Ok(chunk) = frame.into_data() else {
            continue;
        };
        let total = held.bytes.len() + chunk.len();
        if total > limit {
            return Err(BodyError::TooLarge);
        }
        if !held.reserve(total, limit, budget) {
            return Err(BodyError::Busy);
        }
        held.bytes.extend_from_slice(&chunk);
    }
    Ok(held)
}

fn busy() -> Response<Body> {
    let mut response = error(
        StatusCode::SERVICE_UNAVAILABLE,
        "too many request bodies in flight, retry",
    );
    response
        .headers_mut()
        .insert(RETRY_AFTER, hyper::header::HeaderValue::from_static("1"));
    response
}

fn bearer_matches(request: &Request<Incoming>, token: &Secret) -> bool {
    request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.as_bytes().strip_prefix(b"Bearer "))
        .is_some_and(|candidate| token.matches(candidate))
}

fn unauthorized() -> Response<Body> {
    let mut response = error(
        StatusCode::UNAUTHORIZED,
        "a bearer token is required (Authorization: Bearer <token>)",
    );
    response.headers_mut().insert(
        WWW_AUTHENTICATE,
        hyper::header::HeaderValue::from_static("Bearer realm=\"saker\""),
    );
    response
}

/// Gives memory freed by the allocator back to the system (glibc keeps freed heap pages).
fn release_free_memory() {
    #[cfg(target_env = "gnu")]
    // SAFETY: malloc_trim only returns free memory to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn handle_audit_body(body: &[u8], handler: &AuditHandler, shared: &Shared) -> Response<Body> {
    let value: Value = match serde_json::from_slice(body) {
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
