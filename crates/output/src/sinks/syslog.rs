use std::io::Write;
use std::os::unix::net::{UnixDatagram, UnixStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::{EncodedAlert, OutputError, Sink};
use saker_event::calendar::civil_from_days;

/// `syslog_output` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyslogSinkOptions {
    /// The local syslog socket, `/dev/log` normally.
    pub socket_path: PathBuf,
    /// RFC 5424 facility number; 1 (`user`) like Falco's `syslog(3)` default.
    pub facility: u8,
    /// APP-NAME in the header.
    pub app_name: String,
}

impl Default for SyslogSinkOptions {
    fn default() -> Self {
        SyslogSinkOptions {
            socket_path: PathBuf::from("/dev/log"),
            facility: 1,
            app_name: "saker".to_string(),
        }
    }
}

/// `syslog_output`: one RFC 5424 message per alert on the local syslog socket, the alert
/// priority as severity. The socket is a datagram one (systemd-journald, rsyslog) or, where
/// the daemon listens on a stream (syslog-ng's `unix-stream()`), a stream carrying each
/// message NUL-terminated, as glibc's `syslog(3)` sends them.
pub struct SyslogSink {
    options: SyslogSinkOptions,
    socket: Option<SyslogConnection>,
    message: Vec<u8>,
    pid: u32,
}

/// A connection to the local syslog socket, datagram or stream, whichever the daemon bound.
pub enum SyslogConnection {
    Datagram(UnixDatagram),
    Stream(UnixStream),
}

impl SyslogConnection {
    /// A datagram socket first; EPROTOTYPE means the daemon listens on a stream.
    pub fn connect(path: &Path) -> std::io::Result<SyslogConnection> {
        let datagram = UnixDatagram::unbound()?;
        match datagram.connect(path) {
            Ok(()) => Ok(SyslogConnection::Datagram(datagram)),
            Err(e) if e.raw_os_error() == Some(libc::EPROTOTYPE) => {
                let stream = UnixStream::connect(path)?;
                stream.set_write_timeout(Some(STREAM_WRITE_TIMEOUT))?;
                Ok(SyslogConnection::Stream(stream))
            }
            Err(e) => Err(e),
        }
    }

    /// One message: a datagram, or on a stream the message and the NUL that ends it. After
    /// an error the connection may hold half a message: drop it.
    pub fn send(&mut self, message: &[u8]) -> std::io::Result<()> {
        match self {
            SyslogConnection::Datagram(socket) => socket.send(message).map(|_| ()),
            SyslogConnection::Stream(stream) => {
                stream.write_all(message)?;
                stream.write_all(b"\0")
            }
        }
    }
}

/// How long a write to a stream socket may block (a daemon that stopped reading) before the
/// alert counts as failed and the connection is dropped.
const STREAM_WRITE_TIMEOUT: Duration = Duration::from_secs(5);

impl SyslogSink {
    /// Does not fail when the socket is missing: syslog daemons restart, and the sink
    /// reconnects on the next alert.
    pub fn new(options: SyslogSinkOptions) -> Self {
        let mut sink = SyslogSink {
            options,
            socket: None,
            message: Vec::with_capacity(1024),
            pid: std::process::id(),
        };
        let _ = sink.connect();
        sink
    }

    fn connect(&mut self) -> Result<&mut SyslogConnection, OutputError> {
        if self.socket.is_none() {
            let socket =
                SyslogConnection::connect(&self.options.socket_path).map_err(|e| self.error(e))?;
            self.socket = Some(socket);
        }
        Ok(self.socket.as_mut().expect("connected above"))
    }

    fn send(&mut self, message: &[u8]) -> Result<(), OutputError> {
        let result = self.connect()?.send(message);
        result.map_err(|e| self.error(e))
    }

    fn error(&self, source: std::io::Error) -> OutputError {
        OutputError::Syslog {
            path: self.options.socket_path.clone(),
            source,
        }
    }
}

/// `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG` (RFC 5424 §6).
pub fn format_rfc5424(
    facility: u8,
    alert: &EncodedAlert,
    app_name: &str,
    pid: u32,
    out: &mut Vec<u8>,
) {
    let pri = u32::from(facility) * 8 + u32::from(alert.priority.syslog_severity());
    let secs = (alert.time_ns / 1_000_000_000) as i64;
    let micros = alert.time_ns % 1_000_000_000 / 1000;
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let day_secs = secs.rem_euclid(86_400);
    let hostname = header_token(&alert.hostname);
    let _ = write!(
        out,
        "<{pri}>1 {year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{micros:06}Z {hostname} {} {pid} - - ",
        day_secs / 3600,
        day_secs / 60 % 60,
        day_secs % 60,
        header_token(app_name),
    );
    out.extend_from_slice(&alert.bytes);
}

/// Header fields are printable ASCII without spaces; `-` stands for an empty value.
fn header_token(s: &str) -> String {
    let token: String = s
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(48)
        .collect();
    if token.is_empty() {
        "-".to_string()
    } else {
        token
    }
}

impl Sink for SyslogSink {
    fn name(&self) -> &str {
        "syslog"
    }

    fn write(&mut self, alert: &EncodedAlert) -> Result<(), OutputError> {
        let mut message = std::mem::take(&mut self.message);
        message.clear();
        format_rfc5424(
            self.options.facility,
            alert,
            &self.options.app_name,
            self.pid,
            &mut message,
        );
        let mut result = self.send(&message);
        if result.is_err() {
            // The syslog daemon may have restarted and bound a new socket: reconnect once.
            // (A stream that failed mid-message is dropped too, so no half message is
            // followed by another on the same connection.)
            self.socket = None;
            result = self.send(&message);
        }
        self.message = message;
        result.inspect_err(|_| self.socket = None)
    }

    fn reopen(&mut self) -> Result<(), OutputError> {
        self.socket = None;
        self.connect().map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use saker_event::Priority;

    use super::*;

    #[test]
    fn header_carries_priority_time_and_host() {
        let cases = [
            (Priority::Emergency, "<8>1"),
            (Priority::Error, "<11>1"),
            (Priority::Informational, "<14>1"),
            (Priority::Debug, "<15>1"),
        ];
        for (priority, pri) in cases {
            let alert = EncodedAlert {
                time_ns: 1_685_022_245_478_445_995,
                priority,
                hostname: "node 1".into(),
                rule: "Demo".into(),
                source: "syscall".into(),
                bytes: b"hello".to_vec(),
            };
            let mut out = Vec::new();
            format_rfc5424(1, &alert, "saker", 42, &mut out);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                format!("{pri} 2023-05-25T13:44:05.478445Z node1 saker 42 - - hello")
            );
        }
    }
}
