//! Receivers that die and come back while alerts flow, one test per channel (issue 14,
//! "nothing lost without a record"). Each one checks, against a real receiver:
//!
//! - raised = delivered + dropped, per channel, with nothing in flight after shutdown;
//! - what the receiver got is exactly the `delivered` count, every line whole and one of
//!   ours, none twice, in order;
//! - alerts flow again once the receiver is back.
//!
//! The scenario: 10 alerts while healthy, the receiver is killed, 20 alerts while it is down
//! (or restarting by itself), it comes back, alerts until one arrives, then 10 more.

mod support;

use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use saker_output::sinks::{
    FileSink, FileSinkOptions, HttpSink, HttpSinkOptions, ProgramSink, ProgramSinkOptions,
    StdoutSink, SyslogSink, SyslogSinkOptions,
};
use saker_output::{ChannelSnapshot, OutputQueue, QueueOptions, Sink};
use support::*;

/// A receiver the test can kill and bring back.
trait Faulty {
    /// The alert lines received so far, in order.
    fn received(&self) -> Vec<String>;
    fn kill(&mut self);
    fn restart(&mut self);
}

fn start_queue(sink: Box<dyn Sink>) -> OutputQueue {
    start_queue_of(sink, 1000)
}

/// One channel, unbuffered, with a queue of `capacity` alerts.
fn start_queue_of(sink: Box<dyn Sink>, capacity: usize) -> OutputQueue {
    OutputQueue::start(
        QueueOptions {
            capacity,
            buffered: false,
            encoder: encoder_options(),
        },
        vec![sink],
    )
    .unwrap()
}

/// Waits until the channel holds nothing in flight: every alert so far is settled.
fn wait_settled(queue: &OutputQueue) -> ChannelSnapshot {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let channel = queue.snapshot().channels[0].clone();
        if channel.in_flight == 0 {
            return channel;
        }
        assert!(Instant::now() < deadline, "not settled: {channel:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn wait_received(receiver: &dyn Faulty, line: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !receiver.received().iter().any(|l| l == line) {
        assert!(Instant::now() < deadline, "never received: {line}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The scenario of this file; returns the final counters for channel-specific checks.
fn killed_and_restarted_mid_stream(
    sink: Box<dyn Sink>,
    receiver: &mut dyn Faulty,
) -> ChannelSnapshot {
    let queue = start_queue(sink);
    let mut raised = 0;
    let raise = |queue: &OutputQueue, raised: &mut usize| {
        queue.submit(alert(*raised));
        *raised += 1;
    };
    for _ in 0..10 {
        raise(&queue, &mut raised);
    }
    let healthy = wait_settled(&queue);
    assert_eq!(healthy.delivered, 10, "{healthy:?}");
    wait_received(receiver, &expected(9..10)[0]);

    receiver.kill();
    for _ in 0..20 {
        raise(&queue, &mut raised);
        std::thread::sleep(Duration::from_millis(5));
    }
    wait_settled(&queue);

    receiver.restart();
    // A channel may take a moment to notice its receiver is back (a reconnect throttle).
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        raise(&queue, &mut raised);
        wait_settled(&queue);
        let last = expected(raised - 1..raised).remove(0);
        if receiver.received().contains(&last) {
            break;
        }
        assert!(Instant::now() < deadline, "the channel did not recover");
        std::thread::sleep(Duration::from_millis(50));
    }
    for _ in 0..10 {
        raise(&queue, &mut raised);
    }
    wait_settled(&queue);

    let report = queue.shutdown(Duration::from_secs(10));
    let channel = report.snapshot.channels[0].clone();
    assert_eq!(channel.raised, raised as u64, "{channel:?}");
    assert_eq!(
        channel.raised,
        channel.delivered + channel.dropped.total(),
        "{channel:?}"
    );
    assert_eq!(channel.in_flight, 0, "{channel:?}");

    let got = receiver.received();
    let all = expected(0..raised);
    assert_eq!(got.len() as u64, channel.delivered, "{channel:?}\n{got:#?}");
    // In order, none twice, each one of ours (so whole): a subsequence of what was raised.
    let mut position = 0;
    for line in &got {
        let found = all[position..].iter().position(|a| a == line);
        let offset = found.unwrap_or_else(|| panic!("not ours, torn or repeated: {line}"));
        position += offset + 1;
    }
    assert!(got.ends_with(&all[raised - 10..]), "{channel:?}");
    channel
}

// --- file: the disk fills up, then space returns ---

/// A 64 KiB tmpfs, unmounted when dropped; `None` (after a loud SKIPPED) without the right
/// to mount.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount() -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "saker-test"])
            .arg(dir.path())
            .stderr(Stdio::piped())
            .output();
        match status {
            Ok(out) if out.status.success() => Some(SmallDisk { dir }),
            other => {
                eprintln!("SKIPPED: full-disk test needs to mount a tmpfs (root): {other:?}");
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

struct FullDisk<'a> {
    disk: &'a SmallDisk,
    alerts: PathBuf,
}

impl FullDisk<'_> {
    fn filler(&self) -> PathBuf {
        self.disk.path().join("filler")
    }
}

impl Faulty for FullDisk<'_> {
    fn received(&self) -> Vec<String> {
        read_lines(&self.alerts)
    }

    /// Fills the file system: what is left is the room in the alert file's last page.
    fn kill(&mut self) {
        let mut filler = std::fs::File::create(self.filler()).unwrap();
        let chunk = vec![0u8; 4096];
        while std::io::Write::write_all(&mut filler, &chunk).is_ok() {}
        let _ = std::io::Write::write_all(&mut filler, &chunk[..1]);
    }

    fn restart(&mut self) {
        std::fs::remove_file(self.filler()).unwrap();
    }
}

/// Issue 14: on a full 1 MB tmpfs Saker counted every alert delivered and left a torn line
/// (`{"hostname":"v`) that the next alert was glued to. Lines are whole or absent, and the
/// counts say which.
#[test]
fn file_channel_on_a_full_disk_writes_whole_lines_and_counts_them() {
    let Some(disk) = SmallDisk::mount() else {
        return;
    };
    for keep_alive in [true, false] {
        let alerts = disk.path().join(format!("alerts-{keep_alive}.json"));
        let sink = FileSink::open(FileSinkOptions {
            keep_alive,
            ..FileSinkOptions::new(&alerts)
        })
        .unwrap();
        let mut receiver = FullDisk {
            disk: &disk,
            alerts: alerts.clone(),
        };
        let channel = killed_and_restarted_mid_stream(Box::new(sink), &mut receiver);
        assert!(
            channel.dropped.failed > 0,
            "the disk never filled: {channel:?}"
        );
        let text = std::fs::read(&alerts).unwrap();
        assert!(text.ends_with(b"\n"));
        std::fs::remove_file(&alerts).unwrap();
    }
}

// --- syslog: the daemon stops, then a new one binds the socket ---

struct SyslogDaemon {
    path: PathBuf,
    messages: Arc<Mutex<Vec<String>>>,
    server: Option<SyslogServer>,
}

impl Faulty for SyslogDaemon {
    fn received(&self) -> Vec<String> {
        let messages = self.messages.lock().unwrap();
        messages
            .iter()
            .map(|m| syslog_payload(m, "saker"))
            .collect()
    }

    fn kill(&mut self) {
        self.server.take().unwrap().stop(&self.path);
    }

    fn restart(&mut self) {
        let server = SyslogServer::bind(&self.path, false, Arc::clone(&self.messages));
        self.server = Some(server);
    }
}

#[test]
fn syslog_channel_survives_its_daemon_restarting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log");
    let messages = Arc::new(Mutex::new(Vec::new()));
    let server = SyslogServer::bind(&path, false, Arc::clone(&messages));
    let sink = SyslogSink::new(SyslogSinkOptions {
        socket_path: path.clone(),
        ..SyslogSinkOptions::default()
    });
    let mut daemon = SyslogDaemon {
        path,
        messages,
        server: Some(server),
    };
    let channel = killed_and_restarted_mid_stream(Box::new(sink), &mut daemon);
    assert_eq!(channel.dropped.failed, 20, "{channel:?}");
}

/// Issue 14: a /dev/log reader that never reads held Saker up. Now each send waits at most
/// a second and a stalled daemon is then only probed: alerts are dropped and counted at
/// once, and shutdown is quick.
#[test]
fn syslog_channel_with_a_stalled_reader_drops_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log");
    let _never_read = std::os::unix::net::UnixDatagram::bind(&path).unwrap();
    let sink = SyslogSink::new(SyslogSinkOptions {
        socket_path: path,
        ..SyslogSinkOptions::default()
    });
    let queue = start_queue_of(Box::new(sink), 100);
    let queue = submit_from_a_thread(queue, 5000);
    let settled = wait_settled(&queue);
    assert!(settled.dropped.failed > 0, "{settled:?}");
    let start = Instant::now();
    let report = queue.shutdown(Duration::from_secs(5));
    // Blocked sends held shutdown for 10 s (then left the thread behind).
    assert!(start.elapsed() < Duration::from_secs(8), "slow shutdown");
    let channel = &report.snapshot.channels[0];
    assert_eq!(channel.raised, 5000);
    assert_eq!(channel.raised, channel.delivered + channel.dropped.total());
    // What the socket buffer took counts as delivered; a datagram queue holds far less.
    assert!(channel.delivered < 2000, "{channel:?}");
}

// --- program: killed (it is restarted by the channel) ---

struct Program {
    out: PathBuf,
    marker: String,
}

impl Faulty for Program {
    fn received(&self) -> Vec<String> {
        read_lines(&self.out)
    }

    fn kill(&mut self) {
        let pids = children_with(&self.marker);
        assert_eq!(pids.len(), 1, "{pids:?}");
        // SAFETY: kill(2) on a child of this process found just above.
        assert_eq!(unsafe { libc::kill(pids[0], libc::SIGKILL) }, 0);
        let deadline = Instant::now() + Duration::from_secs(10);
        while is_running(pids[0]) {
            assert!(Instant::now() < deadline, "program did not die");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The channel restarts its program itself.
    fn restart(&mut self) {}
}

fn copy_lines_program(out: &Path, marker: &str) -> String {
    format!(
        "while read -r line; do printf '%s\\n' \"$line\" >> '{}'; done # {marker}",
        out.display()
    )
}

#[test]
fn program_channel_survives_its_program_being_killed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("program.out");
    let marker = format!("saker-faults-kill-{}", std::process::id());
    let sink = ProgramSink::start(ProgramSinkOptions {
        keep_alive: true,
        ..ProgramSinkOptions::new(copy_lines_program(&out, &marker))
    })
    .unwrap();
    let mut program = Program { out, marker };
    let channel = killed_and_restarted_mid_stream(Box::new(sink), &mut program);
    // The restarted program takes every alert: none is lost.
    assert_eq!(channel.dropped.total(), 0, "{channel:?}");
}

/// Issue 14: a program that exits after 3 lines got 18 of 20 alerts while the metrics said
/// 20 delivered. Each run takes 3, the next one starts at once (it was working), and the
/// counts are exact.
#[test]
fn program_that_exits_after_three_lines_gets_every_alert() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("program.out");
    let program = format!(
        "for i in 1 2 3; do read -r line || exit 0; printf '%s\\n' \"$line\" >> '{}'; done",
        out.display()
    );
    let sink = ProgramSink::start(ProgramSinkOptions {
        keep_alive: true,
        ..ProgramSinkOptions::new(program)
    })
    .unwrap();
    let queue = start_queue(Box::new(sink));
    for i in 0..20 {
        queue.submit(alert(i));
    }
    let settled = wait_settled(&queue);
    let report = queue.shutdown(Duration::from_secs(10));
    let channel = &report.snapshot.channels[0];
    assert_eq!(channel.delivered, 20, "{settled:?} {channel:?}");
    assert_eq!(channel.dropped.total(), 0, "{channel:?}");
    assert_eq!(read_lines(&out), expected(0..20));
}

/// Issue 14: a program that dies at once was restarted for every alert. Now it backs off
/// (100 ms, 200 ms, ...): a handful of starts over two seconds, not one per alert.
#[test]
fn program_that_dies_at_once_is_restarted_with_backoff() {
    let dir = tempfile::tempdir().unwrap();
    let starts = dir.path().join("starts");
    let program = format!("echo started >> '{}'; exit 3", starts.display());
    let sink = ProgramSink::start(ProgramSinkOptions {
        keep_alive: true,
        ..ProgramSinkOptions::new(program)
    })
    .unwrap();
    let queue = start_queue(Box::new(sink));
    for i in 0..200 {
        queue.submit(alert(i));
        std::thread::sleep(Duration::from_millis(10));
    }
    let report = queue.shutdown(Duration::from_secs(5));
    let started = read_lines(&starts).len();
    assert!((3..=8).contains(&started), "{started} starts in 2 s");
    let channel = &report.snapshot.channels[0];
    assert_eq!(channel.raised, 200);
    assert_eq!(channel.delivered, 0, "{channel:?}");
    assert_eq!(channel.dropped.total(), 200, "{channel:?}");
}

/// Issue 14: a program that never reads grew the queue without limit, SIGTERM took 10 s and
/// left it running. The backlog is bounded, shutdown is quick, and the program is stopped.
#[test]
fn program_that_never_reads_is_bounded_and_stopped_at_shutdown() {
    let marker = format!("saker-faults-deaf-{}", std::process::id());
    let sink = ProgramSink::start(ProgramSinkOptions {
        keep_alive: true,
        timeout: Duration::from_millis(300),
        ..ProgramSinkOptions::new(format!("sleep 1000 # {marker}"))
    })
    .unwrap();
    let queue = start_queue_of(Box::new(sink), 100);
    let queue = submit_from_a_thread(queue, 20_000);
    // Pipe (64 KiB) + backlog (256 KiB) + queue (100): far below what was raised.
    let channel = queue.snapshot().channels[0].clone();
    assert!(channel.in_flight < 2500, "{channel:?}");
    assert!(channel.dropped.total() > 15_000, "{channel:?}");
    let pids = children_with(&marker);
    assert_eq!(pids.len(), 1, "{pids:?}");
    let start = Instant::now();
    let report = queue.shutdown(Duration::from_secs(5));
    // It took 10 s, and left the program running.
    assert!(
        start.elapsed() < Duration::from_secs(8),
        "shutdown took {:?}",
        start.elapsed()
    );
    assert!(!is_running(pids[0]), "the program outlived the shutdown");
    let channel = &report.snapshot.channels[0];
    assert_eq!(channel.raised, 20_000);
    assert_eq!(channel.delivered, 0, "{channel:?}");
    assert_eq!(channel.dropped.total(), 20_000, "{channel:?}");
}

/// Submits `count` alerts from another thread, so that a submit that blocks (it must not)
/// fails the test after a minute instead of hanging it.
fn submit_from_a_thread(queue: OutputQueue, count: usize) -> OutputQueue {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for i in 0..count {
            queue.submit(alert(i));
        }
        let _ = done.send(queue);
    });
    finished
        .recv_timeout(Duration::from_secs(60))
        .expect("submit blocked")
}

// --- http: the collector goes down (connections refused), then comes back on its port ---

struct Collector {
    addr: SocketAddr,
    state: Arc<HttpState>,
    stop: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<TcpStream>>>,
    accept: Option<std::thread::JoinHandle<()>>,
}

impl Collector {
    fn start(addr: SocketAddr, state: Arc<HttpState>) -> Collector {
        let listener = TcpListener::bind(addr).unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(Mutex::new(Vec::new()));
        let (flag, open, served) = (
            Arc::clone(&stop),
            Arc::clone(&connections),
            Arc::clone(&state),
        );
        let accept = std::thread::spawn(move || {
            while !flag.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        stream.set_nonblocking(false).unwrap();
                        open.lock().unwrap().push(stream.try_clone().unwrap());
                        let served = Arc::clone(&served);
                        std::thread::spawn(move || serve_connection(stream, &served));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Collector {
            addr,
            state,
            stop,
            connections,
            accept: Some(accept),
        }
    }
}

impl Faulty for Collector {
    fn received(&self) -> Vec<String> {
        self.state.bodies.lock().unwrap().clone()
    }

    fn kill(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.accept.take().unwrap().join().unwrap();
        for connection in self.connections.lock().unwrap().drain(..) {
            let _ = connection.shutdown(std::net::Shutdown::Both);
        }
    }

    fn restart(&mut self) {
        let fresh = Collector::start(self.addr, Arc::clone(&self.state));
        *self = fresh;
    }
}

/// Issue 14: an HTTP receiver down for 20 s: 400 raised, 394 received, metrics said 6
/// failed, the log said 1, 2 and 4. Now every alert is delivered or counted as dropped.
#[test]
fn http_channel_survives_its_collector_restarting() {
    let collector = Collector::start("127.0.0.1:0".parse().unwrap(), Arc::default());
    let mut options = HttpSinkOptions::new(format!("http://{}/alerts", collector.addr));
    options.initial_backoff = Duration::from_millis(10);
    options.max_retries = 2;
    options.timeout = Duration::from_secs(2);
    let sink = HttpSink::new(options).unwrap();
    let mut collector = collector;
    let channel = killed_and_restarted_mid_stream(Box::new(sink), &mut collector);
    assert_eq!(channel.dropped.failed, 20, "{channel:?}");
    assert!(channel.retried >= 40, "{channel:?}");
}

// --- stdout: the reader of a FIFO goes away, then a new one opens it ---

const STDOUT_CHILD: &str = "SAKER_OUTPUT_FAULTS_STDOUT_CHILD";

/// The alerting side, run as a child of the test with its stdout on a FIFO: submits what
/// stdin asks for (`raise N`, waits until settled, answers `settled` on stderr), and at
/// `end` shuts down and answers with its counters.
fn stdout_child() {
    let queue = start_queue(Box::new(StdoutSink::new()));
    let mut next = 0;
    let mut command = String::new();
    let stdin = std::io::stdin();
    while {
        command.clear();
        stdin.read_line(&mut command).unwrap() > 0
    } {
        let words: Vec<&str> = command.split_whitespace().collect();
        match words.as_slice() {
            ["raise", n] => {
                for _ in 0..n.parse::<usize>().unwrap() {
                    queue.submit(alert(next));
                    next += 1;
                }
                wait_settled(&queue);
                eprintln!("settled");
            }
            ["end"] => break,
            other => panic!("unknown command {other:?}"),
        }
    }
    let report = queue.shutdown(Duration::from_secs(5));
    let c = &report.snapshot.channels[0];
    eprintln!(
        "report {} {} {} {}",
        c.raised,
        c.delivered,
        c.dropped.total(),
        c.in_flight
    );
}

/// Reads a FIFO byte by byte (never past a line it has not finished), non-blocking so that
/// it can be told to stop; stopping closes it.
struct FifoReader {
    path: PathBuf,
    lines: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FifoReader {
    fn open(path: &Path, lines: Arc<Mutex<Vec<String>>>) -> FifoReader {
        use std::os::unix::fs::OpenOptionsExt;
        let mut fifo = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)
            .unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let (flag, sink) = (Arc::clone(&stop), Arc::clone(&lines));
        let thread = std::thread::spawn(move || {
            let mut line = Vec::new();
            let mut byte = [0u8];
            loop {
                match fifo.read(&mut byte) {
                    Ok(1) if byte[0] == b'\n' => {
                        let text = String::from_utf8(std::mem::take(&mut line)).unwrap();
                        sink.lock().unwrap().push(text);
                    }
                    Ok(1) => line.push(byte[0]),
                    // Nothing to read (or no writer yet): stop only when drained.
                    _ if flag.load(Ordering::SeqCst) => return,
                    _ => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        FifoReader {
            path: path.to_path_buf(),
            lines,
            stop,
            thread: Some(thread),
        }
    }
}

impl Faulty for FifoReader {
    fn received(&self) -> Vec<String> {
        // libtest prints around the test, even on the first alert's line.
        let lines = self.lines.lock().unwrap();
        lines
            .iter()
            .filter_map(|l| l.find("{\"hostname\"").map(|i| l[i..].to_string()))
            .collect()
    }

    fn kill(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.take().unwrap().join().unwrap();
    }

    fn restart(&mut self) {
        *self = FifoReader::open(&self.path, Arc::clone(&self.lines));
    }
}

#[test]
fn stdout_channel_survives_its_reader_going_away() {
    if std::env::var_os(STDOUT_CHILD).is_some() {
        return stdout_child();
    }
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("stdout");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo on a path in our own temporary directory.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let mut reader = FifoReader::open(&fifo, Arc::default());
    let writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "stdout_channel_survives_its_reader_going_away",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(STDOUT_CHILD, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut control = child.stdin.take().unwrap();
    let mut answers = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut ask = |command: &str| -> String {
        use std::io::{BufRead, Write};
        writeln!(control, "{command}").unwrap();
        loop {
            let mut answer = String::new();
            assert!(answers.read_line(&mut answer).unwrap() > 0, "child died");
            // Saker's own warnings (the channel failing, recovering) come this way too.
            if answer.starts_with("settled") || answer.starts_with("report") {
                return answer;
            }
        }
    };
    ask("raise 10");
    wait_received(&reader, &expected(9..10)[0]);
    reader.kill();
    ask("raise 20");
    reader.restart();
    ask("raise 10");
    let report = ask("end");
    let numbers: Vec<u64> = report
        .split_whitespace()
        .skip(1)
        .map(|n| n.parse().unwrap())
        .collect();
    let [raised, delivered, dropped, in_flight] = numbers[..] else {
        panic!("{report}")
    };
    assert!(child.wait().unwrap().success());
    reader.kill();
    assert_eq!((raised, in_flight), (40, 0), "{report}");
    assert_eq!(raised, delivered + dropped, "{report}");
    assert_eq!(dropped, 20, "{report}");
    let got = reader.received();
    let mut all = expected(0..10);
    all.extend(expected(30..40));
    assert_eq!(got, all);
}

/// One program per alert (`keep_alive: false`): an alert counts as delivered when its
/// program read the line, even a slow starter; a program that exits without reading fails
/// that alert only, and the next alert gets a fresh program.
#[test]
fn one_program_per_alert_counts_each_alert_by_what_its_program_read() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("program.out");
    // Even alerts: the program reads (after a slow start); odd ones: it exits at once.
    let program = format!(
        "n=$(cat '{count}' 2>/dev/null || echo 0); echo $((n + 1)) > '{count}'; \
         if [ $((n % 2)) -eq 1 ]; then exit 1; fi; sleep 0.2; read -r line; \
         printf '%s\\n' \"$line\" >> '{out}'",
        count = dir.path().join("count").display(),
        out = out.display()
    );
    let sink = ProgramSink::start(ProgramSinkOptions::new(program)).unwrap();
    let queue = start_queue(Box::new(sink));
    for i in 0..6 {
        queue.submit(alert(i));
    }
    wait_settled(&queue);
    let report = queue.shutdown(Duration::from_secs(10));
    let channel = &report.snapshot.channels[0];
    assert_eq!(channel.delivered, 3, "{channel:?}");
    assert_eq!(channel.dropped.failed, 3, "{channel:?}");
    let expected_lines: Vec<String> = [0, 2, 4]
        .iter()
        .map(|&i| expected(i..i + 1).remove(0))
        .collect();
    assert_eq!(read_lines(&out), expected_lines);
}

/// A producer that still holds a sender when the outputs shut down (a webhook request in
/// flight) neither holds the shutdown up nor loses an alert without a count.
#[test]
fn alerts_raised_during_shutdown_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let sink = FileSink::open(FileSinkOptions::new(dir.path().join("alerts.json"))).unwrap();
    let queue = start_queue(Box::new(sink));
    let stats = queue.stats();
    let late = queue.sender();
    assert!(late.submit(alert(0)));
    let report = queue.shutdown(Duration::from_secs(10));
    assert!(report.drained, "{report:?}");
    assert!(!late.submit(alert(1)));
    let channel = stats.snapshot().channels[0].clone();
    assert_eq!(channel.raised, 2, "{channel:?}");
    assert_eq!(channel.delivered, 1, "{channel:?}");
    assert_eq!(channel.dropped.shutdown, 1, "{channel:?}");
    assert_eq!(channel.in_flight, 0, "{channel:?}");
}
