use std::io::{self, Write};
use std::os::unix::net::{UnixDatagram, UnixStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rustix::net::SendFlags;
use saker_event::calendar::civil_from_days;

use crate::encode::local_utc_offset;
use crate::{EncodedAlert, Ledger, OutputError, Sink};

/// `syslog_output` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyslogSinkOptions {
    /// The local syslog socket, `/dev/log` normally.
    pub socket_path: PathBuf,
    /// Facility number; 1 (`user`), what Falco's `syslog(3)` calls use.
    pub facility: u8,
    /// The program name in each message (`saker[PID]: ...`), as Saker's own log lines.
    pub tag: String,
}

impl Default for SyslogSinkOptions {
    fn default() -> Self {
        SyslogSinkOptions {
            socket_path: PathBuf::from("/dev/log"),
            facility: 1,
            tag: "saker".to_string(),
        }
    }
}

/// `syslog_output`: one message per alert on the local syslog socket, shaped as glibc's
/// `syslog(3)` sends them (`<PRI>Mmm dd hh:mm:ss saker[PID]: text`), the alert priority as
/// severity, so rsyslog and journald file it under the program name `saker`.
///
/// The socket is a datagram one (systemd-journald, rsyslog) or, where the daemon listens on
/// a stream (syslog-ng's `unix-stream()`), a stream carrying each message NUL-terminated, as
/// `syslog(3)` does. A daemon that stops reading holds a send at most [`SEND_TIMEOUT`]; while
/// the channel fails, sends do not wait at all, so a dead or stalled syslog costs nothing
/// but the dropped (counted) alerts; the first send that works ends the outage.
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

/// How long one message may wait for a daemon that stopped reading.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(1);

impl SyslogConnection {
    /// A datagram socket first; EPROTOTYPE means the daemon listens on a stream. Sends wait
    /// at most [`SEND_TIMEOUT`].
    pub fn connect(path: &Path) -> io::Result<SyslogConnection> {
        let datagram = UnixDatagram::unbound()?;
        match datagram.connect(path) {
            Ok(()) => {
                datagram.set_write_timeout(Some(SEND_TIMEOUT))?;
                Ok(SyslogConnection::Datagram(datagram))
            }
            Err(e) if e.raw_os_error() == Some(libc::EPROTOTYPE) => {
                let stream = UnixStream::connect(path)?;
                stream.set_write_timeout(Some(SEND_TIMEOUT))?;
                Ok(SyslogConnection::Stream(stream))
            }
            Err(e) => Err(e),
        }
    }

    /// One message: a datagram, or on a stream the message and the NUL that ends it. With
    /// `wait` false a daemon that is not reading fails the send at once (EAGAIN). After an
    /// error a stream may hold half a message: drop the connection.
    pub fn send(&mut self, message: &[u8], wait: bool) -> io::Result<()> {
        let flags = if wait {
            SendFlags::empty()
        } else {
            SendFlags::DONTWAIT
        };
        match self {
            SyslogConnection::Datagram(socket) => {
                rustix::net::send(&*socket, message, flags)?;
                Ok(())
            }
            SyslogConnection::Stream(stream) if wait => {
                stream.write_all(message)?;
                stream.write_all(b"\0")
            }
            SyslogConnection::Stream(stream) => {
                let mut framed = Vec::with_capacity(message.len() + 1);
                framed.extend_from_slice(message);
                framed.push(0);
                let sent = rustix::net::send(&*stream, &framed, flags)?;
                if sent < framed.len() {
                    return Err(io::Error::from(io::ErrorKind::WouldBlock));
                }
                Ok(())
            }
        }
    }
}

impl SyslogSink {
    /// Connects on the channel's thread ([`Sink::start`]); a missing socket is not an error:
    /// syslog daemons restart, and the sink reconnects.
    pub fn new(options: SyslogSinkOptions) -> Self {
        SyslogSink {
            options,
            socket: None,
            message: Vec::with_capacity(1024),
            pid: std::process::id(),
        }
    }

    fn connect(&mut self) -> Result<&mut SyslogConnection, OutputError> {
        if self.socket.is_none() {
            // A connect to a missing socket is one cheap system call: no throttle, so the
            // first alert after the daemon is back gets through.
            let socket =
                SyslogConnection::connect(&self.options.socket_path).map_err(|e| self.error(e))?;
            self.socket = Some(socket);
        }
        Ok(self.socket.as_mut().expect("connected above"))
    }

    fn send(&mut self, message: &[u8], wait: bool) -> Result<(), OutputError> {
        let result = self.connect()?.send(message, wait);
        result.map_err(|e| {
            // A stream may hold half a message; a datagram socket whose daemon restarted
            // needs a new connect. Either way the next send starts afresh.
            self.socket = None;
            self.error(e)
        })
    }

    fn error(&self, source: io::Error) -> OutputError {
        OutputError::Syslog {
            path: self.options.socket_path.clone(),
            source,
        }
    }
}

/// `<PRI>Mmm dd hh:mm:ss TAG[PID]: MESSAGE`, what glibc's `syslog(3)` sends to /dev/log
/// (local time, as glibc; the daemon adds the hostname).
pub fn format_syslog(
    facility: u8,
    severity: u8,
    tag: &str,
    pid: u32,
    message: &[u8],
    out: &mut Vec<u8>,
) {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let utc = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let local = utc + local_utc_offset(utc);
    let (_, month, day) = civil_from_days(local.div_euclid(86_400));
    let day_secs = local.rem_euclid(86_400);
    let pri = u32::from(facility) * 8 + u32::from(severity);
    let _ = write!(
        out,
        "<{pri}>{} {day:>2} {:02}:{:02}:{:02} {tag}[{pid}]: ",
        MONTHS[(month as usize).clamp(1, 12) - 1],
        day_secs / 3600,
        day_secs / 60 % 60,
        day_secs % 60,
    );
    out.extend_from_slice(message);
}

impl Sink for SyslogSink {
    fn name(&self) -> &str {
        "syslog"
    }

    fn start(&mut self, ledger: &Ledger) {
        if let Err(e) = self.connect() {
            // Said once, at start-up; the alerts lost meanwhile are counted, not logged.
            ledger.failed(0, &e);
        }
    }

    fn write(&mut self, alert: &EncodedAlert, ledger: &Ledger) {
        let mut message = std::mem::take(&mut self.message);
        message.clear();
        format_syslog(
            self.options.facility,
            alert.priority.syslog_severity(),
            &self.options.tag,
            self.pid,
            &alert.bytes,
            &mut message,
        );
        // A healthy daemon gets the time a send may take; one that is failing or stalled
        // is only probed, so a stall costs no time per alert.
        let wait = !ledger.is_failing();
        let mut result = self.send(&message, wait);
        if result.is_err() && wait {
            // The daemon may have restarted and bound a new socket: reconnect once.
            ledger.retried(1);
            result = self.send(&message, wait);
        }
        self.message = message;
        ledger.settle(result);
    }

    fn reopen(&mut self, ledger: &Ledger) {
        self.socket = None;
        if let Err(e) = self.connect() {
            ledger.failed(0, &e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_shaped_as_syslog_3_sends_them() {
        let mut out = Vec::new();
        format_syslog(1, 2, "saker", 42, b"hello", &mut out);
        let text = String::from_utf8(out).unwrap();
        // <10>Mmm dd hh:mm:ss saker[42]: hello
        let re_like = text.strip_prefix("<10>").unwrap();
        let (stamp, rest) = re_like.split_at(15);
        assert_eq!(rest, " saker[42]: hello", "{text}");
        assert!(
            stamp.as_bytes()[3] == b' ' && stamp.as_bytes()[6] == b' ',
            "{text}"
        );
        assert_eq!(&stamp[9..10], ":", "{text}");
    }
}
