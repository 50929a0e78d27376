//! One conformance scenario that every output channel must pass, each against a real receiver
//! started by the test (vector's component-test pattern):
//!
//! 1. 20 alerts arrive, in order, each exactly the encoder's bytes;
//! 2. the receiver is disrupted the way that channel fails in production (HTTP 500s, syslog
//!    restarted, file rotated away + reopen, program exiting);
//! 3. 20 more alerts arrive with none lost, and shutdown reports a drained queue with the
//!    right counters.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use saker_event::{Alert, Priority};
use saker_output::sinks::{
    FileSink, FileSinkOptions, HttpSink, HttpSinkOptions, ProgramSink, ProgramSinkOptions,
    StdoutSink, SyslogSink, SyslogSinkOptions,
};
use saker_output::{AlertEncoder, EncodedAlert, EncoderOptions, OutputQueue, QueueOptions, Sink};
use serde_json::json;

const BATCH: usize = 20;

/// A receiver the test controls: what arrived (one encoded alert per entry) and how to break
/// the channel.
trait Receiver {
    fn received(&self) -> Vec<String>;
    fn disrupt(&mut self, queue: &OutputQueue);
    fn check_extra(&self) {}
}

fn alert(i: usize) -> Alert {
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

fn encoder_options() -> EncoderOptions {
    EncoderOptions {
        json: true,
        ..EncoderOptions::default()
    }
}

fn expected(range: std::ops::Range<usize>) -> Vec<String> {
    let encoder = AlertEncoder::new(encoder_options());
    range
        .map(|i| {
            let mut buf = Vec::new();
            encoder.encode(&alert(i), &mut buf);
            String::from_utf8(buf).unwrap()
        })
        .collect()
}

fn wait_for(what: &str, receiver: &dyn Receiver, count: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let got = receiver.received();
        if got.len() >= count {
            return got;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: only {} of {count} alerts arrived: {got:#?}",
            got.len()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn conformance(name: &str, sink: Box<dyn Sink>, mut receiver: Box<dyn Receiver>) {
    assert_eq!(sink.name(), name);
    let queue = OutputQueue::start(
        QueueOptions {
            capacity: 1000,
            buffered: false,
            encoder: encoder_options(),
        },
        vec![sink],
    )
    .unwrap();
    for i in 0..BATCH {
        assert!(queue.submit(alert(i)));
    }
    let got = wait_for(name, receiver.as_ref(), BATCH);
    assert_eq!(got, expected(0..BATCH), "{name}: first batch");

    receiver.disrupt(&queue);
    for i in BATCH..2 * BATCH {
        assert!(queue.submit(alert(i)));
    }
    let got = wait_for(name, receiver.as_ref(), 2 * BATCH);
    assert_eq!(got, expected(0..2 * BATCH), "{name}: after disruption");
    receiver.check_extra();

    let report = queue.shutdown(Duration::from_secs(10));
    assert!(report.drained, "{name}: {report:?}");
    let channel = &report.snapshot.channels[0];
    assert_eq!(channel.name, name);
    assert_eq!(channel.delivered, 2 * BATCH as u64, "{name}: {report:?}");
    assert_eq!(channel.drops, 0, "{name}: {report:?}");
    assert_eq!(report.snapshot.queue_drops, 0);
    assert_eq!(report.snapshot.submitted, 2 * BATCH as u64);
}

// --- file: rotated away, then reopen (what logrotate + SIGUSR1 do) ---

struct FileReceiver {
    path: PathBuf,
    rotated: PathBuf,
    /// With keep_alive the reopen creates the new file at once; without, the next alert does.
    reopen_creates: bool,
}

fn read_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .map(|s| s.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

impl Receiver for FileReceiver {
    fn received(&self) -> Vec<String> {
        let mut lines = read_lines(&self.rotated);
        lines.extend(read_lines(&self.path));
        lines
    }

    fn disrupt(&mut self, queue: &OutputQueue) {
        std::fs::rename(&self.path, &self.rotated).unwrap();
        queue.reopen();
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.reopen_creates && !self.path.exists() {
            assert!(Instant::now() < deadline, "file was not reopened");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn check_extra(&self) {
        assert_eq!(
            read_lines(&self.rotated).len(),
            BATCH,
            "old file keeps the first batch"
        );
        assert_eq!(
            read_lines(&self.path).len(),
            BATCH,
            "new file gets the second batch"
        );
    }
}

#[test]
fn file_channel_conforms() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alerts.json");
    let sink = FileSink::open(FileSinkOptions {
        filename: path.clone(),
        keep_alive: true,
    })
    .unwrap();
    let rotated = dir.path().join("alerts.json.1");
    let receiver = FileReceiver {
        path,
        rotated,
        reopen_creates: true,
    };
    conformance("file", Box::new(sink), Box::new(receiver));
}

#[test]
fn file_channel_without_keep_alive_conforms() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alerts.json");
    let sink = FileSink::open(FileSinkOptions {
        filename: path.clone(),
        keep_alive: false,
    })
    .unwrap();
    let rotated = dir.path().join("alerts.json.1");
    let receiver = FileReceiver {
        path,
        rotated,
        reopen_creates: false,
    };
    conformance("file", Box::new(sink), Box::new(receiver));
}

// --- syslog: a unix socket standing in for /dev/log (datagram, or stream as syslog-ng's
// `unix-stream()`), restarted mid-way ---

struct SyslogReceiver {
    path: PathBuf,
    messages: Arc<Mutex<Vec<String>>>,
    server: Option<SyslogServer>,
}

/// What a syslog daemon holds open; dropping it (with [`SyslogServer::stop`]) is its exit.
enum SyslogServer {
    Datagram(UnixDatagram),
    Stream {
        stop: Arc<AtomicBool>,
        connections: Arc<Mutex<Vec<UnixStream>>>,
    },
}

impl SyslogServer {
    fn bind(path: &Path, stream: bool, messages: Arc<Mutex<Vec<String>>>) -> SyslogServer {
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
    fn bind_stream(path: &Path, messages: Arc<Mutex<Vec<String>>>) -> SyslogServer {
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
    fn stop(self, path: &Path) {
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

impl Receiver for SyslogReceiver {
    fn received(&self) -> Vec<String> {
        let messages = self.messages.lock().unwrap();
        messages
            .iter()
            .map(|m| {
                // `<PRI>1 TIMESTAMP HOSTNAME APP PROCID - - MSG`
                let parts: Vec<&str> = m.splitn(8, ' ').collect();
                assert_eq!(parts.len(), 8, "{m}");
                assert!(parts[0].starts_with('<') && parts[0].ends_with(">1"), "{m}");
                assert_eq!(parts[2], "conformance-host");
                assert_eq!(parts[3], "saker-test");
                assert_eq!((parts[5], parts[6]), ("-", "-"));
                let value: serde_json::Value = serde_json::from_str(parts[7]).unwrap();
                let priority: Priority = value["priority"].as_str().unwrap().parse().unwrap();
                assert_eq!(
                    parts[0],
                    format!("<{}>1", 8 + priority.syslog_severity()),
                    "{m}"
                );
                parts[7].to_string()
            })
            .collect()
    }

    fn disrupt(&mut self, _queue: &OutputQueue) {
        // The syslog daemon restarts: its socket goes away and a new one is bound.
        let old = self.server.take().unwrap();
        let stream = matches!(old, SyslogServer::Stream { .. });
        old.stop(&self.path);
        self.server = Some(SyslogServer::bind(
            &self.path,
            stream,
            Arc::clone(&self.messages),
        ));
    }
}

fn syslog_conformance(stream: bool) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log");
    let messages = Arc::new(Mutex::new(Vec::new()));
    let server = SyslogServer::bind(&path, stream, Arc::clone(&messages));
    let sink = SyslogSink::new(SyslogSinkOptions {
        socket_path: path.clone(),
        facility: 1,
        app_name: "saker-test".to_string(),
    });
    conformance(
        "syslog",
        Box::new(sink),
        Box::new(SyslogReceiver {
            path,
            messages,
            server: Some(server),
        }),
    );
}

#[test]
fn syslog_channel_conforms() {
    syslog_conformance(false);
}

/// /dev/log as a stream socket: the sink finds out (EPROTOTYPE) and frames each message with
/// a NUL; the daemon's restart breaks the connection, and the sink reconnects.
#[test]
fn syslog_channel_over_a_stream_socket_conforms() {
    syslog_conformance(true);
}

// --- program: the program dies and is respawned ---

struct ProgramReceiver {
    out: PathBuf,
    marker: String,
}

/// Pids of our child processes whose command line contains `marker`.
fn children_with(marker: &str) -> Vec<i32> {
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

fn is_running(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|stat| {
            let state = stat.rsplit(')').next().unwrap_or("").trim_start();
            !state.starts_with('Z')
        })
        .unwrap_or(false)
}

impl Receiver for ProgramReceiver {
    fn received(&self) -> Vec<String> {
        read_lines(&self.out)
    }

    fn disrupt(&mut self, _queue: &OutputQueue) {
        let pids = children_with(&self.marker);
        assert_eq!(pids.len(), 1, "one long-lived program expected: {pids:?}");
        // SAFETY: plain syscall on a pid we just found among our own children.
        assert_eq!(unsafe { libc::kill(pids[0], libc::SIGKILL) }, 0);
        let deadline = Instant::now() + Duration::from_secs(5);
        while is_running(pids[0]) {
            assert!(Instant::now() < deadline, "program did not die");
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

#[test]
fn program_channel_conforms() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("program.out");
    let marker = format!("saker-conformance-{}", std::process::id());
    let program = format!(
        "while read -r line; do printf '%s\\n' \"$line\" >> '{}'; done # {marker}",
        out.display()
    );
    let sink = ProgramSink::start(ProgramSinkOptions {
        program,
        keep_alive: true,
    })
    .unwrap();
    conformance(
        "program",
        Box::new(sink),
        Box::new(ProgramReceiver { out, marker }),
    );
}

#[test]
fn program_channel_one_process_per_alert_conforms() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("program.out");
    // Reads exactly one line, as a program started per alert does.
    let program = format!(
        "read -r line; printf '%s\\n' \"$line\" >> '{}'",
        out.display()
    );
    let sink = ProgramSink::start(ProgramSinkOptions {
        program,
        keep_alive: false,
    })
    .unwrap();
    struct PerAlert(PathBuf);
    impl Receiver for PerAlert {
        fn received(&self) -> Vec<String> {
            read_lines(&self.0)
        }
        fn disrupt(&mut self, _queue: &OutputQueue) {}
    }
    conformance("program", Box::new(sink), Box::new(PerAlert(out)));
}

// --- http: a server in the test process that answers 500 for a while ---

#[derive(Default)]
struct HttpState {
    bodies: Mutex<Vec<String>>,
    content_types: Mutex<Vec<String>>,
    user_agents: Mutex<Vec<String>>,
    encodings: Mutex<Vec<String>>,
    fail_next: AtomicUsize,
    /// Requests to leave unanswered past the client's timeout.
    stall_next: AtomicUsize,
    stalled: AtomicUsize,
    failed: AtomicUsize,
    connections: AtomicUsize,
}

fn serve_http(
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

fn serve_connection<S: Read + Write>(stream: S, state: &HttpState) {
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
fn take_one(counter: &AtomicUsize) -> bool {
    counter
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
}

struct HttpReceiver {
    state: Arc<HttpState>,
    /// The `Content-Encoding` every request must carry ("" for none).
    encoding: &'static str,
}

impl HttpReceiver {
    fn plain(state: Arc<HttpState>) -> Box<HttpReceiver> {
        Box::new(HttpReceiver {
            state,
            encoding: "",
        })
    }
}

impl Receiver for HttpReceiver {
    fn received(&self) -> Vec<String> {
        self.state.bodies.lock().unwrap().clone()
    }

    fn disrupt(&mut self, _queue: &OutputQueue) {
        self.state.fail_next.store(3, Ordering::SeqCst);
    }

    fn check_extra(&self) {
        assert_eq!(
            self.state.failed.load(Ordering::SeqCst),
            3,
            "three 500s were served and retried"
        );
        let encodings = self.state.encodings.lock().unwrap();
        assert!(
            encodings.iter().all(|e| e == self.encoding),
            "{encodings:?}"
        );
        let types = self.state.content_types.lock().unwrap();
        assert!(types.iter().all(|t| t == "application/json"), "{types:?}");
        let agents = self.state.user_agents.lock().unwrap();
        assert!(
            agents.iter().all(|a| a == "saker-conformance/1"),
            "{agents:?}"
        );
        // Keep-alive: 40 alerts and 3 retries over very few connections.
        let connections = self.state.connections.load(Ordering::SeqCst);
        assert!(
            connections <= 3,
            "{connections} connections for 43 requests"
        );
    }
}

#[test]
fn http_channel_conforms() {
    let (url, state) = start_http_server();
    let mut options = HttpSinkOptions::new(url);
    options.user_agent = "saker-conformance/1".to_string();
    options.initial_backoff = Duration::from_millis(20);
    let sink = HttpSink::new(options).unwrap();
    conformance("http", Box::new(sink), HttpReceiver::plain(state));
}

/// `compress_uploads`: the same scenario with every body gzip-compressed; the server
/// decompresses and must find the encoder's exact bytes.
#[test]
fn http_channel_with_compressed_uploads_conforms() {
    let (url, state) = start_http_server();
    let mut options = HttpSinkOptions::new(url);
    options.user_agent = "saker-conformance/1".to_string();
    options.initial_backoff = Duration::from_millis(20);
    options.compress = true;
    let sink = HttpSink::new(options).unwrap();
    let receiver = HttpReceiver {
        state,
        encoding: "gzip",
    };
    conformance("http", Box::new(sink), Box::new(receiver));
}

fn start_http_server() -> (String, Arc<HttpState>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/alerts", listener.local_addr().unwrap());
    let state = Arc::new(HttpState::default());
    let server_state = Arc::clone(&state);
    std::thread::spawn(move || serve_http(listener, server_state, None));
    (url, state)
}

/// A shared buffer that `echo` writes the server's answers into.
#[derive(Clone, Default)]
struct Echoed(Arc<Mutex<Vec<u8>>>);

impl Write for Echoed {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Timeouts are retried up to `max_consecutive_timeouts`, apart from `max_retries`; `echo`
/// prints each answer the alert got.
#[test]
fn http_timeouts_are_retried_and_answers_echoed() {
    let (url, state) = start_http_server();
    let mut options = HttpSinkOptions::new(url);
    options.initial_backoff = Duration::from_millis(10);
    // Long enough for an answer on a loaded machine: the stalled requests are never answered.
    options.timeout = Duration::from_secs(1);
    options.max_retries = 0;
    options.max_consecutive_timeouts = 2;
    options.echo = true;
    let echoed = Echoed::default();
    let mut sink = HttpSink::new(options).unwrap().echo_to(echoed.clone());
    let encoder = AlertEncoder::new(encoder_options());

    state.stall_next.store(2, Ordering::SeqCst);
    sink.write(&encoder.encode_alert(alert(0))).unwrap();
    assert_eq!(state.stalled.load(Ordering::SeqCst), 2);
    assert_eq!(*state.bodies.lock().unwrap(), expected(0..1));
    assert_eq!(
        String::from_utf8(echoed.0.lock().unwrap().clone()).unwrap(),
        "ok\n"
    );

    // One timeout more than allowed: the alert fails, and nothing was echoed for it.
    state.stall_next.store(3, Ordering::SeqCst);
    let error = sink.write(&encoder.encode_alert(alert(1))).unwrap_err();
    assert!(error.to_string().contains("timeout"), "{error}");
    assert_eq!(state.bodies.lock().unwrap().len(), 1);
    assert_eq!(echoed.0.lock().unwrap().len(), 3);
}

/// A CA, a server certificate for 127.0.0.1 and a client certificate, made with the openssl
/// tool; `None` (after a loud SKIPPED) when it is missing.
fn make_pki(dir: &Path) -> Option<()> {
    let script = r#"set -e
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=test-ca -keyout ca.key -out ca.pem
for who in server client; do
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=$who -keyout $who.key -out $who.csr
done
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n' > server.ext
printf 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=clientAuth\n' > client.ext
for who in server client; do
  openssl x509 -req -in $who.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile $who.ext -out $who.pem
done
"#;
    let status = std::process::Command::new("sh")
        .args(["-c", script])
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    match status {
        Ok(s) if s.success() => Some(()),
        other => {
            eprintln!("SKIPPED: HTTPS output test needs the openssl tool ({other:?})");
            None
        }
    }
}

fn tls_server_config(dir: &Path) -> Arc<rustls::ServerConfig> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_file(dir.join("ca.pem")).unwrap())
        .unwrap();
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        Arc::clone(&provider),
    )
    .build()
    .unwrap();
    let certs = CertificateDer::pem_file_iter(dir.join("server.pem"))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let key = PrivateKeyDer::from_pem_file(dir.join("server.key")).unwrap();
    Arc::new(
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_client_cert_verifier(verifier)
            .with_single_cert(certs, key)
            .unwrap(),
    )
}

/// The same scenario over HTTPS with mutual TLS: `ca_cert` trusts the test CA, the client
/// presents `client_cert`/`client_key`, and the server insists on it.
#[test]
fn https_channel_with_client_certificate_conforms() {
    let dir = tempfile::tempdir().unwrap();
    if make_pki(dir.path()).is_none() {
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "https://127.0.0.1:{}/alerts",
        listener.local_addr().unwrap().port()
    );
    let state = Arc::new(HttpState::default());
    let server_state = Arc::clone(&state);
    let config = tls_server_config(dir.path());
    std::thread::spawn(move || serve_http(listener, server_state, Some(config)));

    let mut options = HttpSinkOptions::new(url.clone());
    options.user_agent = "saker-conformance/1".to_string();
    options.initial_backoff = Duration::from_millis(20);
    options.ca_certs = vec![dir.path().join("ca.pem")];
    options.client_cert = Some(dir.path().join("client.pem"));
    options.client_key = Some(dir.path().join("client.key"));
    let sink = HttpSink::new(options.clone()).unwrap();
    conformance(
        "http",
        Box::new(sink),
        HttpReceiver::plain(Arc::clone(&state)),
    );

    // Without the client certificate, or without trusting the CA, nothing gets through.
    let delivered_before = state.bodies.lock().unwrap().len();
    let mut no_client = options.clone();
    no_client.client_cert = None;
    no_client.client_key = None;
    let mut no_ca = options.clone();
    no_ca.ca_certs = Vec::new();
    for options in [no_client, no_ca] {
        let mut options = options;
        options.max_retries = 0;
        let mut sink = HttpSink::new(options).unwrap();
        let alert = AlertEncoder::new(encoder_options()).encode_alert(alert(0));
        assert!(sink.write(&alert).is_err());
    }
    assert_eq!(state.bodies.lock().unwrap().len(), delivered_before);
}

// --- stdout: the test binary runs itself as the alerting process and reads its stdout ---

const STDOUT_CHILD: &str = "SAKER_OUTPUT_STDOUT_CHILD";

#[test]
fn stdout_channel_conforms() {
    if std::env::var_os(STDOUT_CHILD).is_some() {
        // The child: the same scenario with nothing to disrupt; the parent checks the bytes.
        let queue = OutputQueue::start(
            QueueOptions {
                capacity: 1000,
                buffered: true,
                encoder: encoder_options(),
            },
            vec![Box::new(StdoutSink::new())],
        )
        .unwrap();
        for i in 0..2 * BATCH {
            assert!(queue.submit(alert(i)));
        }
        let report = queue.shutdown(Duration::from_secs(10));
        assert!(report.drained);
        assert_eq!(report.snapshot.channels[0].name, "stdout");
        assert_eq!(report.snapshot.channels[0].delivered, 2 * BATCH as u64);
        return;
    }
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "stdout_channel_conforms",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(STDOUT_CHILD, "1")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    // libtest writes its own text around ours, even on the first alert's line.
    let alerts: Vec<String> = stdout
        .lines()
        .filter_map(|l| l.find("{\"hostname\"").map(|i| l[i..].to_string()))
        .collect();
    assert_eq!(alerts, expected(0..2 * BATCH));
}

// --- isolation: a stuck channel neither blocks the producer nor the other channels ---

struct StuckSink(Arc<std::sync::Barrier>);

impl Sink for StuckSink {
    fn name(&self) -> &str {
        "stuck"
    }
    fn write(&mut self, _alert: &EncodedAlert) -> Result<(), saker_output::OutputError> {
        self.0.wait();
        Ok(())
    }
}

#[test]
fn stuck_channel_blocks_neither_producer_nor_others() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alerts.json");
    let file = FileSink::open(FileSinkOptions {
        filename: path.clone(),
        keep_alive: true,
    })
    .unwrap();
    let release = Arc::new(std::sync::Barrier::new(2));
    let queue = OutputQueue::start(
        QueueOptions {
            capacity: 8,
            buffered: true,
            encoder: encoder_options(),
        },
        vec![Box::new(StuckSink(Arc::clone(&release))), Box::new(file)],
    )
    .unwrap();
    // Batches of 4 (below every capacity), each waited for on the file: the file channel must
    // keep delivering while the stuck channel's queue overflows.
    let mut accepted = 0;
    for batch in 0..50 {
        for i in batch * 4..batch * 4 + 4 {
            assert!(queue.submit(alert(i)), "main queue full at {i}");
            accepted += 1;
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while read_lines(&path).len() < accepted {
            assert!(
                Instant::now() < deadline,
                "file channel stalled behind the stuck one"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    let snapshot = queue.snapshot();
    let stuck = &snapshot.channels[0];
    assert!(stuck.drops > 0, "{snapshot:?}");
    assert_eq!(snapshot.channels[1].drops, 0, "{snapshot:?}");
    assert_eq!(snapshot.channels[1].delivered as usize, accepted);
    // Release the stuck sink's current write; shutdown then gives up on the rest in time.
    std::thread::spawn(move || {
        loop {
            release.wait();
        }
    });
    let report = queue.shutdown(Duration::from_secs(2));
    assert_eq!(report.snapshot.channels[1].delivered as usize, accepted);
}

#[test]
fn full_queue_drops_are_counted_and_submit_returns_at_once() {
    let release = Arc::new(std::sync::Barrier::new(2));
    let queue = OutputQueue::start(
        QueueOptions {
            capacity: 4,
            buffered: false,
            encoder: encoder_options(),
        },
        vec![Box::new(StuckSink(Arc::clone(&release)))],
    )
    .unwrap();
    // Submitting from another thread, so that a submit blocked on the stuck sink (which
    // would wait forever) fails the test instead of hanging it.
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let accepted = (0..1000).filter(|&i| queue.submit(alert(i))).count();
        let _ = done.send((accepted, queue));
    });
    let (accepted, queue) = finished
        .recv_timeout(Duration::from_secs(60))
        .expect("submit blocked");
    // Settled state: the dispatcher has emptied the main queue into the channel queue (at
    // most 4), the stuck sink holds 1, the rest was dropped at one queue or the other.
    let deadline = Instant::now() + Duration::from_secs(5);
    let snapshot = loop {
        let snapshot = queue.snapshot();
        let dropped = snapshot.queue_drops + snapshot.channels[0].drops;
        if snapshot.queue_depth == 0 && dropped + snapshot.channels[0].queue_depth as u64 == 999 {
            break snapshot;
        }
        assert!(Instant::now() < deadline, "{snapshot:?}");
        std::thread::sleep(Duration::from_millis(5));
    };
    assert_eq!(snapshot.submitted, 1000);
    assert_eq!(snapshot.queue_drops as usize, 1000 - accepted);
    assert!(snapshot.channels[0].queue_depth <= 4, "{snapshot:?}");
    std::thread::spawn(move || {
        loop {
            release.wait();
        }
    });
    queue.shutdown(Duration::from_secs(2));
}
