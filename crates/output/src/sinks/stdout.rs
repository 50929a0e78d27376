use std::io;
use std::time::Duration;

use super::lines::{PendingLines, cut_torn_line};
use crate::{EncodedAlert, Ledger, OutputError, Sink};

/// Lines buffered before a write even when outputs are buffered.
const BUFFER_BYTES: usize = 64 * 1024;

/// How long a write may wait for a reader that stopped reading (a paused `| less`, a
/// terminal stopped with Ctrl-S) before the alerts count as failed; while the channel
/// fails, writes do not wait at all, so the stall costs no time per alert.
pub(crate) const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// `stdout_output`: one alert per line on standard output, written whole or not at all (see
/// [`super::FileSink`]; standard output is often redirected to a file).
#[derive(Default)]
pub struct StdoutSink {
    pending: PendingLines,
}

impl StdoutSink {
    pub fn new() -> Self {
        StdoutSink::default()
    }
}

impl Sink for StdoutSink {
    fn name(&self) -> &str {
        "stdout"
    }

    fn write(&mut self, alert: &EncodedAlert, ledger: &Ledger) {
        self.pending.push(&alert.bytes);
        if self.pending.bytes() >= BUFFER_BYTES {
            self.flush(ledger);
        }
    }

    fn flush(&mut self, ledger: &Ledger) {
        if self.pending.count() == 0 {
            return;
        }
        // The lock keeps other threads' prints from landing inside a line.
        let stdout = io::stdout();
        let lock = stdout.lock();
        let wait = if ledger.is_failing() {
            Duration::ZERO
        } else {
            WRITE_TIMEOUT
        };
        let written = self.pending.write_to(io::stdout(), wait);
        drop(lock);
        ledger.delivered(written.whole);
        if let Some(error) = written.error {
            if written.torn > 0 && cut_torn_line(io::stdout(), written.torn).is_err() {
                self.pending.start_with_newline();
            }
            ledger.failed(written.lost, &OutputError::Stdout(error));
        }
    }
}
