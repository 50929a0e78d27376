//! What the output tests share: the alerts they send, and receivers standing in for a
//! syslog daemon, an HTTP collector and programs.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use saker_event::{Alert, Priority};
use saker_output::{AlertEncoder, EncoderOptions};
use serde_json::json;

pub fn alert(i: usize) -> Alert {
    let mut fields = BTreeMap::new();
    fields.insert("proc.name".to_string(), json!("sh"));
    fields.insert("proc.pid".to_string(), json!(i));
    fields.insert("k8s.ns.name".to_string(), json!(null));
    Alert {
        time_ns: 1_700_000_000_000_000_000 + i as u64,
        rule: format!("Rule number {i}"),
        priority: Priority::ALL[i % 8],
        source: "syscall".to_string(),
        output: format!("alert {i} with \"quotes\" and unicode é"),
        output_fields: fields,
        tags: vec!["b".into(), "a".into()],
        hostname: "conformance-host".to_string(),
    }
}

pub fn encoder_options() -> EncoderOptions {
    EncoderOptions {
        json: true,
        ..EncoderOptions::default()
    }
}

pub fn expected(range: std::ops::Range<usize>) -> Vec<String> {
    let encoder = AlertEncoder::new(encoder_options());
    range
        .map(|i| {
            let mut buf = Vec::new();
            encoder.encode(&alert(i), &mut buf);
            String::from_utf8(buf).unwrap()
        })
        .collect()
}

pub fn read_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .map(|s| s.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// What a syslog daemon holds open; dropping it (with [`SyslogServer::stop`]) is its exit.
pub enum SyslogServer {
    Datagram(UnixDatagram),
    Stream {
        stop: Arc<AtomicBool>,
        connections: Arc<Mutex<Vec<UnixStream>>>,
    },
}

impl SyslogServer {
    pub fn bind(path: &Path, stream: bool, messages: Arc<Mutex<Vec<String>>>) -> SyslogServer {
        if stream {
            return Self::bind_stream(path, messages);
        }
        let socket = UnixDatagram::bind(path).unwrap();
        let reader = socket.try_clone().unwrap();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 65536];
            while let Ok(n) = reader.recv(&mut buf) {
                if n == 0 {
                    break;
                }
                messages
                    .lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&buf[..n]).into_owned());
            }
        });
        SyslogServer::Datagram(socket)
    }

    /// Accepts connections and splits what they carry at each NUL.
    pub fn bind_stream(path: &Path, messages: Arc<Mutex<Vec<String>>>) -> SyslogServer {
        let listener = UnixListener::bind(path).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(Mutex::new(Vec::new()));
        let (stop_flag, open) = (Arc::clone(&stop), Arc::clone(&connections));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop_flag.load(Ordering::SeqCst) {
                    return;
                }
                let stream = stream.unwrap();
                open.lock().unwrap().push(stream.try_clone().unwrap());
                let messages = Arc::clone(&messages);
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream);
                    let mut message = Vec::new();
                    while reader.read_until(0, &mut message).unwrap_or(0) > 0 {
                        assert_eq!(message.pop(), Some(0), "a message cut short");
                        messages
                            .lock()
                            .unwrap()
                            .push(String::from_utf8(std::mem::take(&mut message)).unwrap());
                    }
                });
            }
        });
        SyslogServer::Stream { stop, connections }
    }

    /// The daemon exits: its socket and every connection close.
    pub fn stop(self, path: &Path) {
        match self {
            SyslogServer::Datagram(socket) => {
                let _ = socket.shutdown(std::net::Shutdown::Both);
            }
            SyslogServer::Stream { stop, connections } => {
                stop.store(true, Ordering::SeqCst);
                // Wakes the accept loop, which sees `stop` and drops the listener.
                let _ = UnixStream::connect(path);
                for connection in connections.lock().unwrap().drain(..) {
                    let _ = connection.shutdown(std::net::Shutdown::Both);
                }
            }
        }
        std::fs::remove_file(path).unwrap();
    }
}

/// Pids of our child processes whose command line contains `marker`.
pub fn children_with(marker: &str) -> Vec<i32> {
    let mut pids = Vec::new();
    for task in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
        let children = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
        for pid in children.split_whitespace() {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            if String::from_utf8_lossy(&cmdline).contains(marker) {
                pids.push(pid.parse().unwrap());
            }
        }
    }
    pids
}

pub fn is_running(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|stat| {
            let state = stat.rsplit(')').next().unwrap_or("").trim_start();
            !state.starts_with('Z')
        })
        .unwrap_or(false)
}

#[derive(Default)]
pub struct HttpState {
    pub bodies: Mutex<Vec<String>>,
    pub content_types: Mutex<Vec<String>>,
    pub user_agents: Mutex<Vec<String>>,
    pub encodings: Mutex<Vec<String>>,
    pub fail_next: AtomicUsize,
    /// Requests to leave unanswered past the client's timeout.
    pub stall_next: AtomicUsize,
    pub stalled: AtomicUsize,
    pub failed: AtomicUsize,
    pub connections: AtomicUsize,
}

pub fn serve_http(
    listener: TcpListener,
    state: Arc<HttpState>,
    tls: Option<Arc<rustls::ServerConfig>>,
) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        state.connections.fetch_add(1, Ordering::SeqCst);
        let state = Arc::clone(&state);
        let tls = tls.clone();
        std::thread::spawn(move || match tls {
            Some(config) => {
                let Ok(connection) = rustls::ServerConnection::new(config) else {
                    return;
                };
                serve_connection(rustls::StreamOwned::new(connection, stream), &state);
            }
            None => serve_connection(stream, &state),
        });
    }
}

pub fn serve_connection<S: Read + Write>(stream: S, state: &HttpState) {
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        // A failed TLS handshake shows up here as a read error: the connection just ends.
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        assert!(
            request_line.starts_with("POST /alerts HTTP/1.1"),
            "{request_line}"
        );
        let mut length = 0;
        let mut content_type = String::new();
        let mut user_agent = String::new();
        let mut encoding = String::new();
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).is_err() {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap();
            let value = value.trim().to_string();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.parse().unwrap(),
                "content-type" => content_type = value,
                "user-agent" => user_agent = value,
                "content-encoding" => encoding = value,
                _ => {}
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        if encoding == "gzip" {
            let mut plain = Vec::new();
            flate2::read::GzDecoder::new(body.as_slice())
                .read_to_end(&mut plain)
                .unwrap();
            body = plain;
        }
        if take_one(&state.stall_next) {
            // Unanswered until the client gives up on this connection (and tries again).
            state.stalled.fetch_add(1, Ordering::SeqCst);
            let _ = reader.read_to_end(&mut Vec::new());
            return;
        }
        let fail = take_one(&state.fail_next);
        let response: &[u8] = if fail {
            state.failed.fetch_add(1, Ordering::SeqCst);
            b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\noops"
        } else {
            state
                .bodies
                .lock()
                .unwrap()
                .push(String::from_utf8(body).unwrap());
            state.content_types.lock().unwrap().push(content_type);
            state.user_agents.lock().unwrap().push(user_agent);
            state.encodings.lock().unwrap().push(encoding);
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        };
        let writer = reader.get_mut();
        if writer
            .write_all(response)
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Decrements `counter` unless it is 0; true when it did.
pub fn take_one(counter: &AtomicUsize) -> bool {
    counter
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
}

pub fn start_http_server() -> (String, Arc<HttpState>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/alerts", listener.local_addr().unwrap());
    let state = Arc::new(HttpState::default());
    let server_state = Arc::clone(&state);
    std::thread::spawn(move || serve_http(listener, server_state, None));
    (url, state)
}

/// The alert in a message shaped as syslog(3) sends it (`<PRI>Mmm dd hh:mm:ss TAG[PID]: MSG`),
/// after checking the frame: the tag, this process's pid, the alert's priority as severity
/// with facility `user`.
pub fn syslog_payload(message: &str, tag: &str) -> String {
    let (pri, rest) = message.split_once('>').expect(message);
    let (_stamp, rest) = rest.split_at(15);
    let frame = format!(" {tag}[{}]: ", std::process::id());
    let payload = rest.strip_prefix(frame.as_str()).expect(message);
    let value: serde_json::Value = serde_json::from_str(payload).expect(message);
    let priority: Priority = value["priority"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        pri,
        format!("<{}", 8 + priority.syslog_severity()),
        "{message}"
    );
    payload.to_string()
}
