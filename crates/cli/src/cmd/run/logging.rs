//! Saker's own log lines (not alerts), like Falco's: `Sat Nov 28 12:00:00 2026: Loading rules
//! from file ...` on stderr (`log_stderr`) and/or the same message to the local syslog socket
//! as `saker[PID]: ...` (`log_syslog`), at or above `log_level`.
//!
//! Logging never blocks the thread that logs (the event loop, the web server, an output
//! channel): each line is handed to a writer thread through a bounded queue, and a line that
//! finds the queue full is dropped. A syslog daemon that stops reading, or a stderr pipe that
//! nobody drains, then costs log lines, never alerts or answers; each line lost is counted
//! per destination ([`STDERR_LINES_DROPPED`], [`SYSLOG_LINES_DROPPED`]: /metrics and the
//! exit summary), and syslog is told how many it missed when it is back. Attacker-chosen text in a
//! message (a program name, a path) is escaped like alert text.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, TrySendError};
use saker_config::LogLevel;
use saker_event::escape::escape;
use saker_output::sinks::{SyslogConnection, format_syslog};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, MakeWriter};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::{Layer, filter::LevelFilter};

pub struct LogSettings {
    pub level: LogLevel,
    pub stderr: bool,
    pub syslog: bool,
    /// The local syslog socket (`syslog_output.socket`, /dev/log by default).
    pub syslog_socket: PathBuf,
    /// Say once, at start-up, when no syslog daemon listens (false when the syslog output
    /// channel says it already).
    pub warn_if_no_syslog: bool,
}

/// Lines waiting for a writer thread; more are dropped.
const QUEUE_LINES: usize = 4096;
/// Facility `daemon`, as Saker's log lines have always carried.
const FACILITY_DAEMON: u8 = 3;

/// Log lines stderr lost: its writer's queue was full (nobody drains the pipe).
pub static STDERR_LINES_DROPPED: AtomicU64 = AtomicU64::new(0);
/// Log lines syslog lost: its writer's queue was full, or the socket did not take them.
pub static SYSLOG_LINES_DROPPED: AtomicU64 = AtomicU64::new(0);

/// `(destination, counter)` of the log lines lost, for /metrics.
pub const DROPPED_LINES: [(&str, &AtomicU64); 2] = [
    ("stderr", &STDERR_LINES_DROPPED),
    ("syslog", &SYSLOG_LINES_DROPPED),
];

/// The exit summary's line about lost log lines (`Log lines dropped: syslog 16`), or nothing.
pub fn dropped_summary() -> String {
    let lost: Vec<String> = DROPPED_LINES
        .iter()
        .map(|(to, counter)| (to, counter.load(Ordering::Relaxed)))
        .filter(|(_, n)| *n > 0)
        .map(|(to, n)| format!("{to} {n}"))
        .collect();
    if lost.is_empty() {
        String::new()
    } else {
        format!("Log lines dropped: {}\n", lost.join(", "))
    }
}

/// The writer queues, kept to be drained at exit ([`flush`]).
static QUEUES: OnceLock<Vec<LineQueue>> = OnceLock::new();

/// Installs the process-wide logger; later calls (tests running several commands in one
/// process) keep the first.
pub fn init(settings: &LogSettings) {
    let filter = level_filter(settings.level);
    let mut queues = Vec::new();
    let stderr = settings.stderr.then(|| {
        let queue = LineQueue::start(
            "saker-log-stderr",
            &STDERR_LINES_DROPPED,
            |line: &[u8]| {
                let _ = std::io::stderr().write_all(line);
            },
        );
        queues.push(queue.clone());
        tracing_subscriber::fmt::layer()
            .event_format(FalcoLine { syslog: false })
            .with_ansi(false)
            .with_writer(queue)
            .with_filter(filter)
    });
    let syslog = settings.syslog.then(|| {
        let mut socket = SyslogSocket::new(settings.syslog_socket.clone());
        let queue = LineQueue::start(
            "saker-log-syslog",
            &SYSLOG_LINES_DROPPED,
            move |line: &[u8]| socket.send(line),
        );
        queues.push(queue.clone());
        tracing_subscriber::fmt::layer()
            .event_format(FalcoLine { syslog: true })
            .with_ansi(false)
            .with_writer(queue)
            .with_filter(filter)
    });
    let subscriber = tracing_subscriber::registry().with(stderr).with(syslog);
    if tracing::subscriber::set_global_default(subscriber).is_ok() {
        let _ = QUEUES.set(queues);
        if settings.syslog
            && settings.warn_if_no_syslog
            && let Err(e) = SyslogConnection::connect(&settings.syslog_socket)
        {
            tracing::warn!(
                "log_syslog: no syslog daemon at {} ({e}): log lines go to stderr only until one appears",
                settings.syslog_socket.display()
            );
        }
    }
}

/// Waits (up to a second) until the log lines queued so far are written: called before the
/// exit summary so that the two do not interleave.
pub fn flush() {
    let deadline = Instant::now() + Duration::from_secs(1);
    for queue in QUEUES.get().into_iter().flatten() {
        while queue.pending.load(Ordering::Acquire) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

fn level_filter(level: LogLevel) -> LevelFilter {
    match level {
        LogLevel::Emergency | LogLevel::Alert | LogLevel::Critical | LogLevel::Error => {
            LevelFilter::ERROR
        }
        LogLevel::Warning => LevelFilter::WARN,
        LogLevel::Notice | LogLevel::Info => LevelFilter::INFO,
        LogLevel::Debug => LevelFilter::DEBUG,
    }
}

/// `<ctime>: <message> key=value...` (Falco's stderr log shape), or for syslog the same
/// message in a `syslog(3)` frame: `<PRI>Mmm dd hh:mm:ss saker[PID]: <message>`.
struct FalcoLine {
    syslog: bool,
}

impl<S, N> FormatEvent<S, N> for FalcoLine
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let mut message = String::new();
        ctx.field_format()
            .format_fields(Writer::new(&mut message), event)?;
        let message = escape(&message);
        if self.syslog {
            let mut framed = Vec::with_capacity(message.len() + 48);
            let severity = match *event.metadata().level() {
                Level::ERROR => 3,
                Level::WARN => 4,
                Level::INFO => 6,
                Level::DEBUG | Level::TRACE => 7,
            };
            format_syslog(
                FACILITY_DAEMON,
                severity,
                "saker",
                std::process::id(),
                message.as_bytes(),
                &mut framed,
            );
            writer.write_str(&String::from_utf8_lossy(&framed))?;
        } else {
            write!(writer, "{}: {message}", local_ctime())?;
        }
        writeln!(writer)
    }
}

/// The local time as ctime(3) prints it, without the newline.
fn local_ctime() -> String {
    // SAFETY: time(NULL), then localtime_r and strftime into local buffers.
    unsafe {
        let now = libc::time(std::ptr::null_mut());
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&now, &mut tm).is_null() {
            return now.to_string();
        }
        let mut buf = [0u8; 64];
        let n = libc::strftime(
            buf.as_mut_ptr().cast(),
            buf.len(),
            c"%a %b %e %H:%M:%S %Y".as_ptr(),
            &tm,
        );
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }
}

/// A bounded queue of formatted lines and the thread that writes them. Each event is one
/// `write` call (tracing-subscriber formats the whole line first), so each queued item is
/// one whole line.
#[derive(Clone)]
struct LineQueue {
    sender: Sender<Vec<u8>>,
    /// Lines queued and not yet written.
    pending: Arc<AtomicUsize>,
    /// Where lines the full queue refused are counted.
    dropped: &'static AtomicU64,
}

impl LineQueue {
    fn start(
        name: &str,
        dropped: &'static AtomicU64,
        mut write_line: impl FnMut(&[u8]) + Send + 'static,
    ) -> LineQueue {
        let (sender, receiver): (Sender<Vec<u8>>, Receiver<Vec<u8>>) =
            crossbeam_channel::bounded(QUEUE_LINES);
        let pending = Arc::new(AtomicUsize::new(0));
        let written = Arc::clone(&pending);
        let spawned = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                for line in receiver {
                    write_line(&line);
                    written.fetch_sub(1, Ordering::AcqRel);
                }
            });
        if let Err(e) = spawned {
            // No writer: every line will be dropped at the full queue. Say so once.
            eprintln!("saker: cannot start the {name} thread: {e}");
        }
        LineQueue {
            sender,
            pending,
            dropped,
        }
    }
}

impl Write for LineQueue {
    fn write(&mut self, line: &[u8]) -> std::io::Result<usize> {
        self.pending.fetch_add(1, Ordering::AcqRel);
        if let Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) =
            self.sender.try_send(line.to_vec())
        {
            // A full queue (a writer stuck on a stalled reader) drops the line.
            self.pending.fetch_sub(1, Ordering::AcqRel);
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
        Ok(line.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for LineQueue {
    type Writer = LineQueue;

    fn make_writer(&'a self) -> LineQueue {
        self.clone()
    }
}

/// The syslog side of the log writer: one message per line, not waiting on a daemon that
/// stopped reading.
struct SyslogSocket {
    path: PathBuf,
    connection: Option<SyslogConnection>,
    /// The last send failed: probe without waiting until one succeeds.
    failing: bool,
    /// Lines this socket lost since it last worked.
    lost: u64,
}

impl SyslogSocket {
    fn new(path: PathBuf) -> SyslogSocket {
        SyslogSocket {
            path,
            connection: None,
            failing: false,
            lost: 0,
        }
    }

    /// Sends one line; a line lost is counted, and the first line that gets through again
    /// is followed by a note of how many were lost.
    fn send(&mut self, line: &[u8]) {
        let message = line.strip_suffix(b"\n").unwrap_or(line);
        if !self.try_send(message) {
            self.lost += 1;
            SYSLOG_LINES_DROPPED.fetch_add(1, Ordering::Relaxed);
            return;
        }
        if self.lost > 0 {
            let note = format!(
                "{} log lines were lost while the syslog socket failed",
                self.lost
            );
            let mut framed = Vec::new();
            format_syslog(
                FACILITY_DAEMON,
                4, // warning
                "saker",
                std::process::id(),
                note.as_bytes(),
                &mut framed,
            );
            if self.try_send(&framed) {
                self.lost = 0;
            }
        }
    }

    fn try_send(&mut self, message: &[u8]) -> bool {
        if self.connection.is_none() {
            match SyslogConnection::connect(Path::new(&self.path)) {
                Ok(connection) => self.connection = Some(connection),
                Err(_) => return false,
            }
        }
        let sent = self
            .connection
            .as_mut()
            .is_some_and(|c| c.send(message, !self.failing).is_ok());
        self.failing = !sent;
        if !sent {
            self.connection = None;
        }
        sent
    }
}
