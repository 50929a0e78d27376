//! Clients that try to hold the web server (issue 14): slowloris connections, idle
//! keep-alives, connection floods, big declared bodies sent slowly; and the audit endpoint's
//! bearer token.

mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use saker_server::{Secret, ServerOptions};
use support::*;

/// Reads until the server closes the connection (or `within` passes); what it sent.
fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<String> {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut answer = Vec::new();
    match stream.read_to_end(&mut answer) {
        Ok(_) => Some(String::from_utf8_lossy(&answer).into_owned()),
        // Reset by the server also counts as closed.
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
            Some(String::from_utf8_lossy(&answer).into_owned())
        }
        Err(_) => None,
    }
}

fn metric(addr: SocketAddr, name: &str) -> u64 {
    let body = get(&agent(), &format!("http://{addr}/metrics")).body;
    body.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no {name} in\n{body}"))
        .parse()
        .unwrap()
}

/// Issue 14: 500 slowloris connections stayed open for ever. A client that does not finish
/// its headers within the header timeout is disconnected, and so is an idle keep-alive.
#[test]
fn slow_headers_and_idle_keep_alives_are_disconnected() {
    let options = ServerOptions {
        header_timeout: Duration::from_millis(300),
        ..local_options()
    };
    let (server, _, _) = start(options, true);
    let addr = server.local_addr();
    let mut slow: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut stream = TcpStream::connect(addr).unwrap();
            stream
                .write_all(b"POST /k8s-audit HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                .unwrap();
            stream
        })
        .collect();
    let mut idle = TcpStream::connect(addr).unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    let start = Instant::now();
    for stream in slow.iter_mut().chain(std::iter::once(&mut idle)) {
        assert!(
            read_until_closed(stream, Duration::from_secs(10)).is_some(),
            "a connection was still open after {:?}",
            start.elapsed()
        );
    }
    // Only the metrics request itself is open now; the timeouts were counted.
    assert_eq!(metric(addr, "saker_webserver_connections_open"), 1);
    let timeouts = metric(addr, "saker_webserver_timeouts_total{phase=\"header\"}");
    assert!(timeouts >= 20, "{timeouts}");
    server.stop();
}

/// Connections beyond `max_connections` are refused at once with 503 while every slot is
/// busy with a request, and counted; the server serves again as soon as a slot frees.
#[test]
fn connections_beyond_the_limit_are_refused_while_all_are_busy() {
    let options = ServerOptions {
        max_connections: 4,
        ..local_options()
    };
    let (server, _, _) = start(options, true);
    let addr = server.local_addr();
    // Each one inside a request: its body is still coming.
    let mut busy: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut stream = TcpStream::connect(addr).unwrap();
            stream
                .write_all(b"POST /k8s-audit HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
                .unwrap();
            stream
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    let answer = loop {
        let mut extra = TcpStream::connect(addr).unwrap();
        let answer = read_until_closed(&mut extra, Duration::from_secs(10)).unwrap();
        // The 4 busy ones may still be on their way in.
        if answer.starts_with("HTTP/1.1 503") || Instant::now() > deadline {
            break answer;
        }
    };
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    drop(busy.pop());
    // The slot comes back once the server has seen the close.
    let deadline = Instant::now() + Duration::from_secs(10);
    let metrics = loop {
        let attempt = agent().get(&format!("http://{addr}/metrics")).call();
        if let Ok(response) = attempt
            && response.status() == 200
        {
            break response.into_body().read_to_string().unwrap();
        }
        assert!(Instant::now() < deadline, "no slot came back");
        std::thread::sleep(Duration::from_millis(20));
    };
    let refused = metrics
        .lines()
        .find_map(|l| l.strip_prefix("saker_webserver_connections_total{result=\"refused\"} "))
        .unwrap();
    assert_ne!(refused, "0", "{metrics}");
    server.stop();
}

/// Slowloris at the connection limit: the connection idle longest (headers never finished)
/// gives its slot to a new client, so a health check still gets through.
#[test]
fn an_idle_connection_makes_room_at_the_limit() {
    let options = ServerOptions {
        max_connections: 4,
        ..local_options()
    };
    let (server, _, _) = start(options, true);
    let addr = server.local_addr();
    let mut slow: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut stream = TcpStream::connect(addr).unwrap();
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                .unwrap();
            stream
        })
        .collect();
    // Only a connection idle for a second gives up its slot.
    std::thread::sleep(Duration::from_millis(1500));
    let health = get(&agent(), &format!("http://{addr}/healthz"));
    assert_eq!(health.status, 200);
    let mut closed = 0;
    for stream in &mut slow {
        if read_until_closed(stream, Duration::from_millis(200)).is_some() {
            closed += 1;
        }
    }
    assert!(closed >= 1, "no idle connection was closed");
    assert!(
        metric(
            addr,
            "saker_webserver_connections_total{result=\"evicted\"}"
        ) >= 1
    );
    server.stop();
}

/// Issue 14: 30 clients each sending 11 MB of a declared 12 MB body and then waiting held
/// 342 MB. Bodies share a memory budget (beyond it: 503 with Retry-After), a body that
/// stops arriving gets 408 after the body timeout, and the budget comes back.
#[test]
fn big_slow_bodies_share_a_budget_and_time_out() {
    let options = ServerOptions {
        max_body_bytes: 1 << 20,
        body_memory_bytes: 1 << 20,
        body_timeout: Duration::from_millis(500),
        ..local_options()
    };
    let (server, _, received) = start(options, true);
    let addr = server.local_addr();
    let head = |length: usize| {
        format!(
            "POST /k8s-audit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
        )
    };
    let mut first = TcpStream::connect(addr).unwrap();
    first.write_all(head(900_000).as_bytes()).unwrap();
    first.write_all(&vec![b' '; 800_000]).unwrap();
    // The budget is held by the first body: the second is told to come back.
    std::thread::sleep(Duration::from_millis(100));
    let mut second = TcpStream::connect(addr).unwrap();
    second.write_all(head(900_000).as_bytes()).unwrap();
    let mut status = [0u8; 12];
    second.read_exact(&mut status).unwrap();
    assert_eq!(&status, b"HTTP/1.1 503");
    // The first one never finishes: 408.
    first
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    first.read_exact(&mut status).unwrap();
    assert_eq!(&status, b"HTTP/1.1 408");
    // The budget is back: a whole event of the same size is accepted.
    let event = audit_event("big", "create").to_string();
    let mut body = event.into_bytes();
    body.resize(900_000, b' ');
    let r = post(&agent(), &format!("http://{addr}/k8s-audit"), &body);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(received.lock().unwrap().len(), 1);
    assert_eq!(metric(addr, "saker_webserver_busy_total"), 1);
    assert_eq!(
        metric(addr, "saker_webserver_timeouts_total{phase=\"body\"}"),
        1
    );
    server.stop();
}

/// `webserver.k8s_audit_token`: the API server's webhook sends `Authorization: Bearer`;
/// anything else gets 401, and the other endpoints need no token.
#[test]
fn k8s_audit_token_is_required_when_set() {
    let options = ServerOptions {
        k8s_audit_token: Some(Secret::new("s3cret-token")),
        ..local_options()
    };
    let (server, _, received) = start(options, true);
    let url = format!("http://{}/k8s-audit", server.local_addr());
    let body = audit_event("1", "create").to_string();
    let send = |authorization: Option<&str>| {
        let mut request = agent()
            .post(&url)
            .header("Content-Type", "application/json");
        if let Some(value) = authorization {
            request = request.header("Authorization", value);
        }
        reply(request.send(body.as_bytes()).unwrap())
    };
    for wrong in [
        None,
        Some("Bearer wrong"),
        Some("s3cret-token"),
        Some("Basic s3cret-token"),
    ] {
        let r = send(wrong);
        assert_eq!(r.status, 401, "{wrong:?}: {}", r.body);
    }
    assert!(received.lock().unwrap().is_empty());
    assert_eq!(send(Some("Bearer s3cret-token")).status, 200);
    assert_eq!(received.lock().unwrap().len(), 1);
    let health = get(&agent(), &format!("http://{}/healthz", server.local_addr()));
    assert_eq!(health.status, 200);
    server.stop();
}

/// Streams 64 KiB chunks for ever at `/endless`.
struct Endless;

impl saker_server::Mount for Endless {
    fn respond(
        &self,
        request: &hyper::Request<hyper::body::Incoming>,
    ) -> Option<hyper::Response<saker_server::Body>> {
        use http_body_util::BodyExt as _;
        (request.uri().path() == "/endless").then(|| {
            let chunk = hyper::body::Bytes::from(vec![b'x'; 64 * 1024]);
            let frames = futures_util::stream::repeat_with(move || {
                Ok::<_, std::convert::Infallible>(hyper::body::Frame::data(chunk.clone()))
            });
            hyper::Response::new(http_body_util::StreamBody::new(frames).boxed_unsync())
        })
    }
}

/// A client that stops reading an answer (an event stream left open in a stalled page) held
/// its connection for ever: it is closed once a write has waited the write timeout, counted,
/// and the server goes on answering others.
#[test]
fn a_client_that_stops_reading_is_disconnected() {
    let options = ServerOptions {
        write_timeout: Duration::from_millis(500),
        ..local_options()
    };
    let (server, _) = start_with_mount(options, std::sync::Arc::new(Endless));
    let addr = server.local_addr();
    let mut stalled = TcpStream::connect(addr).unwrap();
    stalled
        .write_all(b"GET /endless HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    // Never read: the socket buffers fill, the server's write waits, and times out.
    let deadline = Instant::now() + Duration::from_secs(60);
    let phase = "saker_webserver_timeouts_total{phase=\"write\"}";
    while metric(addr, phase) == 0 {
        assert!(
            Instant::now() < deadline,
            "the stalled client was never disconnected"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(metric(addr, phase), 1);
    let answer = read_until_closed(&mut stalled, Duration::from_secs(10))
        .expect("the server closed the stalled connection");
    assert!(
        answer.starts_with("HTTP/1.1 200 OK"),
        "{}",
        &answer[..answer.len().min(200)]
    );
    assert_eq!(get(&agent(), &format!("http://{addr}/healthz")).status, 200);
}
