//! The contract between the dispatcher and one output channel.

use crate::{EncodedAlert, OutputError};

/// One output channel (stdout, syslog, file, program, http).
///
/// Each sink runs on its own worker thread, so a sink may block (an HTTP retry, a slow pipe)
/// without holding up capture or the other channels. Every method is called from that thread
/// only.
pub trait Sink: Send {
    /// The channel's name in logs and metrics: `stdout`, `syslog`, `file`, `program`, `http`.
    fn name(&self) -> &str;

    /// Delivers one alert; `alert.bytes` is the text line or JSON object, without a newline.
    /// An error means this alert was not delivered; the sink must be usable for the next one.
    fn write(&mut self, alert: &EncodedAlert) -> Result<(), OutputError>;

    /// Pushes out whatever the sink buffers. Called after each alert when outputs are
    /// unbuffered, and when the channel's queue runs empty otherwise.
    fn flush(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    /// Closes and reopens files, restarts programs (SIGUSR1, logrotate).
    fn reopen(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    /// Called once when the outputs shut down, after the last alert: flush and release.
    fn close(&mut self) -> Result<(), OutputError> {
        self.flush()
    }
}
