//! The clients and the service against fake runtime sockets: one that answers like podman 4.3
//! (replies recorded from `podman system service` on Debian 12, in tests/data), one that
//! hangs, one that answers garbage.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use saker_container::{
    Config, ContainerError, ContainerType, DockerClient, ProbeKind, RuntimeEvent, Service, Update,
    describe_mounts,
};

const ID: &str = "66e219e38fd19a26a16304252496cc766799dafb9ad687d9c17c899388972435";
const IMAGE_ID: &str = "sha256:b545faa711ba2fe322d2edcccc421b42b0958eb2b4ec1d9e4fd932c0c915e0ba";

#[derive(Clone, Copy)]
enum Behaviour {
    Podman,
    Hang,
    Garbage,
}

/// A runtime socket served by a thread until the test ends.
struct FakeRuntime {
    _dir: tempfile::TempDir,
    socket: PathBuf,
}

fn data(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
    .unwrap()
}

fn reply(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

fn serve(stream: std::os::unix::net::UnixStream, behaviour: Behaviour) {
    let mut stream = stream;
    match behaviour {
        Behaviour::Hang => {
            // Read the request, never answer; hold the connection open.
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            std::thread::sleep(Duration::from_secs(30));
        }
        Behaviour::Garbage => {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(b"\x00\x01 this is not HTTP \xff\r\n\r\n");
        }
        Behaviour::Podman => {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                return;
            }
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                    break;
                }
            }
            let path = request_line.split_whitespace().nth(1).unwrap_or("");
            let text = if path == format!("/containers/{ID}/json") {
                reply("200 OK", &data("podman-4.3-inspect.json"))
            } else if path == format!("/images/{IMAGE_ID}/json") {
                reply("200 OK", &data("podman-4.3-image.json"))
            } else if path.starts_with("/events") {
                let event = format!(
                    r#"{{"status":"start","id":"{ID}","Type":"container","Action":"start","Actor":{{"ID":"{ID}"}}}}"#
                );
                let chunk = format!("{:x}\r\n{event}\n\r\n", event.len() + 1);
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(chunk.as_bytes());
                std::thread::sleep(Duration::from_secs(30));
                return;
            } else {
                reply("404 Not Found", r#"{"message":"no such container"}"#)
            };
            let _ = stream.write_all(text.as_bytes());
        }
    }
}

impl FakeRuntime {
    fn start(behaviour: Behaviour) -> FakeRuntime {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("runtime.sock");
        let listener = UnixListener::bind(&socket).unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                std::thread::spawn(move || serve(stream, behaviour));
            }
        });
        FakeRuntime { _dir: dir, socket }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn podman_inspect_becomes_container_fields() {
    let fake = FakeRuntime::start(Behaviour::Podman);
    let client = DockerClient::new(&fake.socket, ContainerType::Podman, Duration::from_secs(5));
    let meta = runtime().block_on(client.inspect(ID)).unwrap().unwrap();
    assert_eq!(meta.id, ID);
    assert_eq!(meta.short_id(), "66e219e38fd1");
    assert_eq!(meta.kind, ContainerType::Podman);
    assert_eq!(meta.name, "saker-probe");
    assert_eq!(meta.image, "localhost/saker-test/busybox:latest");
    assert_eq!(meta.image_repository, "localhost/saker-test/busybox");
    assert_eq!(meta.image_tag, "latest");
    assert_eq!(
        meta.image_digest,
        "sha256:1211b186dfac1e52db91bc7fc3e8784589f8a51eaf9e18bc88db708cca432fac"
    );
    assert_eq!(&meta.image_id, IMAGE_ID.trim_start_matches("sha256:"));
    assert!(!meta.privileged);
    assert!(!meta.host_pid && !meta.host_network && !meta.host_ipc);
    assert_eq!(
        describe_mounts(&meta.mounts),
        "/etc:/host/etc::false:rprivate"
    );
    assert_eq!(meta.label("app"), Some("web"));
    assert_eq!(meta.ip, "10.88.0.8");
    assert_eq!(
        meta.probe(ProbeKind::Healthcheck).map(|p| p.command_line()),
        Some("/bin/sh -c true".to_string())
    );
    assert_eq!(meta.started_ns, 1_796_587_276_776_297_118);
    // No such container: not an error.
    let missing = runtime().block_on(client.inspect(&"0".repeat(64))).unwrap();
    assert_eq!(missing, None);
}

#[test]
fn event_stream_lines() {
    let fake = FakeRuntime::start(Behaviour::Podman);
    let client = DockerClient::new(&fake.socket, ContainerType::Podman, Duration::from_secs(5));
    let mut seen = Vec::new();
    // The fake keeps the stream open: stop at the first event.
    let rt = runtime();
    rt.block_on(async {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let follow = client.follow_events(move |e| {
            let _ = tx.send(e);
        });
        tokio::select! {
            _ = follow => {}
            event = rx.recv() => seen.extend(event),
        }
    });
    assert_eq!(seen, [RuntimeEvent::Started(ID.to_string())]);
}

#[test]
fn a_hanging_socket_times_out() {
    let fake = FakeRuntime::start(Behaviour::Hang);
    let client = DockerClient::new(
        &fake.socket,
        ContainerType::Docker,
        Duration::from_millis(200),
    );
    let start = Instant::now();
    let error = runtime().block_on(client.inspect(ID)).unwrap_err();
    assert!(matches!(error, ContainerError::Timeout { .. }), "{error}");
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(
        error.to_string().contains("no answer within 200 ms"),
        "{error}"
    );
}

#[test]
fn a_garbage_socket_is_a_protocol_error() {
    let fake = FakeRuntime::start(Behaviour::Garbage);
    let client = DockerClient::new(&fake.socket, ContainerType::Docker, Duration::from_secs(5));
    let error = runtime().block_on(client.inspect(ID)).unwrap_err();
    assert!(matches!(error, ContainerError::Protocol { .. }), "{error}");
}

#[test]
fn an_absent_socket_is_a_connect_error() {
    let client = DockerClient::new(
        "/nonexistent/docker.sock",
        ContainerType::Docker,
        Duration::from_secs(1),
    );
    let error = runtime().block_on(client.inspect(ID)).unwrap_err();
    assert!(matches!(error, ContainerError::Connect { .. }), "{error}");
}

fn config_with_podman(socket: &Path, timeout: Duration) -> Config {
    Config {
        podman: vec![socket.to_path_buf()],
        timeout,
        ..Config::disabled()
    }
}

/// Waits for the answer about `id`, skipping others (the fake's event stream adds some).
fn answer_for(service: &Service, id: &str, deadline: Duration) -> Option<Update> {
    let end = Instant::now() + deadline;
    while Instant::now() < end {
        match service.wait_update(Duration::from_millis(100)) {
            Some(u @ Update::Found(_)) if matches!(&u, Update::Found(m) if m.id == id) => {
                return Some(u);
            }
            Some(u @ Update::NotFound(_)) if matches!(&u, Update::NotFound(i) if i == id) => {
                return Some(u);
            }
            _ => {}
        }
    }
    None
}

#[test]
fn service_answers_requests_without_blocking() {
    let fake = FakeRuntime::start(Behaviour::Podman);
    let service = Service::start(config_with_podman(&fake.socket, Duration::from_secs(5)));
    let start = Instant::now();
    assert!(service.request(ID, ContainerType::Podman));
    assert!(
        start.elapsed() < Duration::from_millis(50),
        "request blocked"
    );
    match answer_for(&service, ID, Duration::from_secs(20)) {
        Some(Update::Found(meta)) => assert_eq!(meta.name, "saker-probe"),
        other => panic!("no metadata: {other:?}"),
    }
}

#[test]
fn service_gives_up_on_a_hanging_runtime() {
    let fake = FakeRuntime::start(Behaviour::Hang);
    let service = Service::start(config_with_podman(&fake.socket, Duration::from_millis(200)));
    assert!(service.request(ID, ContainerType::Podman));
    assert_eq!(
        answer_for(&service, ID, Duration::from_secs(20)),
        Some(Update::NotFound(ID.to_string()))
    );
}

#[test]
fn service_without_engines_answers_not_found() {
    let service = Service::start(Config {
        podman: vec!["/nonexistent/podman.sock".into()],
        ..Config::disabled()
    });
    assert!(service.request(ID, ContainerType::Podman));
    assert_eq!(
        answer_for(&service, ID, Duration::from_secs(20)),
        Some(Update::NotFound(ID.to_string()))
    );
}
