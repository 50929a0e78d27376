//! Message brokers for tests: Debian's `nats-server` and `redis-server` on a free port of
//! 127.0.0.1, in a directory of their own, killed (SIGKILL) and restarted on the same port.
//! Shared by saker-output's broker tests and the CLI's (through `#[path]`).

#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const START: Duration = Duration::from_secs(60);

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn which(binary: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .chain(["/usr/sbin", "/usr/bin"])
        .map(|dir| Path::new(dir).join(binary))
        .find(|p| p.is_file())
}

/// A server process on a fixed port, in its own directory, that can be killed and restarted.
pub struct Server {
    binary: PathBuf,
    args: Vec<String>,
    pub port: u16,
    child: Option<Child>,
    _dir: tempfile::TempDir,
}

impl Server {
    pub fn start(binary: PathBuf, args: impl FnOnce(&Path, u16) -> Vec<String>) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut server = Server {
            args: args(dir.path(), port),
            binary,
            port,
            child: None,
            _dir: dir,
        };
        server.restart();
        server
    }

    pub fn restart(&mut self) {
        let deadline = Instant::now() + START;
        loop {
            let mut child = Command::new(&self.binary)
                .args(&self.args)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            // Up once it accepts connections; a port still held by the killed server makes
            // the new one exit, and it is started again.
            loop {
                if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                    self.child = Some(child);
                    return;
                }
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                assert!(Instant::now() < deadline, "{:?} did not start", self.binary);
                std::thread::sleep(Duration::from_millis(20));
            }
            assert!(Instant::now() < deadline, "{:?} did not start", self.binary);
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// SIGKILL: no goodbye to the clients, whatever was in flight is cut.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn nats_server(jetstream: bool) -> Option<Server> {
    let Some(binary) = which("nats-server") else {
        eprintln!("SKIPPED: nats-server not installed (apt-get install nats-server)");
        return None;
    };
    Some(Server::start(binary, |dir, port| {
        let mut args = vec![
            "-a".into(),
            "127.0.0.1".into(),
            "-p".into(),
            port.to_string(),
        ];
        if jetstream {
            args.extend(["-js".into(), "-sd".into(), dir.display().to_string()]);
        }
        args
    }))
}

pub fn redis_server() -> Option<Server> {
    let Some(binary) = which("redis-server") else {
        eprintln!("SKIPPED: redis-server not installed (apt-get install redis-server)");
        return None;
    };
    Some(Server::start(binary, |dir, port| {
        // Append-only with an fsync per write: what the server acknowledged survives SIGKILL.
        [
            "--bind",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--dir",
            &dir.display().to_string(),
            "--save",
            "",
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
        ]
        .map(String::from)
        .to_vec()
    }))
}

/// Every entry of the Redis stream `key` on the server at `port`, oldest first.
pub fn redis_stream(port: u16, key: &str) -> Vec<redis::streams::StreamId> {
    let mut connection = redis::Client::open(format!("redis://127.0.0.1:{port}/0"))
        .unwrap()
        .get_connection()
        .unwrap();
    let reply: redis::streams::StreamRangeReply = redis::cmd("XRANGE")
        .arg(key)
        .arg("-")
        .arg("+")
        .query(&mut connection)
        .unwrap();
    reply.ids
}
