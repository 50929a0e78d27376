use std::fs::File;
use std::path::PathBuf;
use std::time::Duration;

use super::lines::{PendingLines, cut_torn_line};
use crate::files::{DEFAULT_FILE_MODE, open_append};
use crate::{EncodedAlert, Ledger, OutputError, Sink};

/// `file_output` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSinkOptions {
    pub filename: PathBuf,
    /// Keep the file open between alerts; when false the file is opened and closed for every
    /// write (Falco's `keep_alive: false`), which follows a rotated file without a signal.
    pub keep_alive: bool,
    /// Mode of a file this sink creates (`file_output.mode`), whatever the umask.
    pub mode: u32,
}

impl FileSinkOptions {
    pub fn new(filename: impl Into<PathBuf>) -> Self {
        FileSinkOptions {
            filename: filename.into(),
            keep_alive: false,
            mode: DEFAULT_FILE_MODE,
        }
    }
}

/// Lines buffered before a write even when outputs are buffered.
const BUFFER_BYTES: usize = 64 * 1024;

/// `file_output`: appends one alert per line; reopened on request (SIGUSR1 after logrotate).
///
/// Lines are written whole or not at all: when the disk fills up in the middle of a line,
/// the torn part is cut off again, so the file always ends on a line boundary and the next
/// alert after space returns starts a line of its own. Lines that did not fit are dropped
/// and counted.
pub struct FileSink {
    options: FileSinkOptions,
    file: Option<File>,
    pending: PendingLines,
}

impl FileSink {
    /// Opens (creates) the file now, so a bad path is reported at start-up.
    pub fn open(options: FileSinkOptions) -> Result<Self, OutputError> {
        let mut sink = FileSink {
            options,
            file: None,
            pending: PendingLines::default(),
        };
        let file = sink.open_file()?;
        if sink.options.keep_alive {
            sink.file = Some(file);
        }
        Ok(sink)
    }

    fn open_file(&self) -> Result<File, OutputError> {
        open_append(&self.options.filename, self.options.mode).map_err(|source| self.error(source))
    }

    fn error(&self, source: std::io::Error) -> OutputError {
        OutputError::File {
            path: self.options.filename.clone(),
            source,
        }
    }

    fn write_pending(&mut self, ledger: &Ledger) {
        if self.pending.count() == 0 {
            return;
        }
        let file = match self.file.take() {
            Some(file) => file,
            None => match self.open_file() {
                Ok(file) => file,
                Err(e) => {
                    ledger.failed(self.pending.clear(), &e);
                    return;
                }
            },
        };
        // A regular file never waits; a FIFO whose reader stalled waits this long at most.
        let wait = if ledger.is_failing() {
            Duration::ZERO
        } else {
            super::stdout::WRITE_TIMEOUT
        };
        let written = self.pending.write_to(&file, wait);
        ledger.delivered(written.whole);
        if let Some(source) = written.error {
            if written.torn > 0
                && let Err(cut) = cut_torn_line(&file, written.torn)
            {
                // Not a regular file (a FIFO): end the torn line before the next one.
                tracing::debug!(error = %cut, "file output: cannot cut a torn line");
                self.pending.start_with_newline();
            }
            ledger.failed(written.lost, &self.error(source));
            // A fresh open next time: the file may have been replaced meanwhile.
            return;
        }
        if self.options.keep_alive {
            self.file = Some(file);
        }
    }
}

impl Sink for FileSink {
    fn name(&self) -> &str {
        "file"
    }

    fn write(&mut self, alert: &EncodedAlert, ledger: &Ledger) {
        self.pending.push(&alert.bytes);
        if self.pending.bytes() >= BUFFER_BYTES {
            self.write_pending(ledger);
        }
    }

    fn flush(&mut self, ledger: &Ledger) {
        self.write_pending(ledger);
    }

    fn reopen(&mut self, ledger: &Ledger) {
        self.write_pending(ledger);
        self.file = None;
        if self.options.keep_alive {
            match self.open_file() {
                Ok(file) => self.file = Some(file),
                Err(e) => ledger.failed(0, &e),
            }
        }
    }
}
