//! Saker's own log lines (not alerts), like Falco's: `Sat Nov 28 12:00:00 2026: Loading rules
//! from file ...` on stderr (`log_stderr`) and/or the same message to syslog through /dev/log
//! (`log_syslog`), at or above `log_level`.

use std::fmt;
use std::io::Write;
use std::path::Path;

use saker_config::LogLevel;
use saker_output::sinks::SyslogConnection;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, MakeWriter};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::{Layer, filter::LevelFilter};

pub struct LogSettings {
    pub level: LogLevel,
    pub stderr: bool,
    pub syslog: bool,
}

/// Installs the process-wide logger; later calls (tests running several commands in one
/// process) keep the first.
pub fn init(settings: &LogSettings) {
    let filter = level_filter(settings.level);
    let stderr = settings.stderr.then(|| {
        tracing_subscriber::fmt::layer()
            .event_format(FalcoLine { with_time: true })
            .with_ansi(false)
            .with_writer(std::io::stderr)
            .with_filter(filter)
    });
    let syslog = settings.syslog.then(|| {
        tracing_subscriber::fmt::layer()
            .event_format(FalcoLine { with_time: false })
            .with_ansi(false)
            .with_writer(SyslogWriter)
            .with_filter(filter)
    });
    let subscriber = tracing_subscriber::registry().with(stderr).with(syslog);
    let _ = tracing::subscriber::set_global_default(subscriber);
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

/// `<ctime>: <message> key=value...`, Falco's stderr log shape.
struct FalcoLine {
    with_time: bool,
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
        if self.with_time {
            write!(writer, "{}: ", local_ctime())?;
        }
        ctx.field_format().format_fields(writer.by_ref(), event)?;
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

/// One message per log line to /dev/log (datagram or stream) (RFC 3164 shape, facility daemon, as Falco's
/// syslog logging). Nothing is reported when syslog is absent: there is nowhere to report it.
struct SyslogWriter;

struct SyslogLine {
    severity: u8,
    buf: Vec<u8>,
}

impl<'a> MakeWriter<'a> for SyslogWriter {
    type Writer = SyslogLine;

    fn make_writer(&'a self) -> SyslogLine {
        SyslogLine {
            severity: 6,
            buf: Vec::new(),
        }
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> SyslogLine {
        let severity = match *meta.level() {
            Level::ERROR => 3,
            Level::WARN => 4,
            Level::INFO => 6,
            Level::DEBUG | Level::TRACE => 7,
        };
        SyslogLine {
            severity,
            buf: Vec::new(),
        }
    }
}

impl Write for SyslogLine {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for SyslogLine {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.buf);
        let text = text.trim_end();
        if text.is_empty() {
            return;
        }
        const FACILITY_DAEMON: u8 = 3;
        let message = format!(
            "<{}>saker[{}]: {text}",
            FACILITY_DAEMON * 8 + self.severity,
            std::process::id()
        );
        if let Ok(mut socket) = SyslogConnection::connect(Path::new("/dev/log")) {
            let _ = socket.send(message.as_bytes());
        }
    }
}
