use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use crate::{EncodedAlert, OutputError, Sink};

/// `file_output` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSinkOptions {
    pub filename: PathBuf,
    /// Keep the file open between alerts; when false the file is opened and closed for every
    /// alert (Falco's `keep_alive: false`), which follows a rotated file without a signal.
    pub keep_alive: bool,
}

/// `file_output`: appends one alert per line; reopened on request (SIGUSR1 after logrotate).
pub struct FileSink {
    options: FileSinkOptions,
    file: Option<BufWriter<File>>,
}

impl FileSink {
    /// Opens (creates) the file now, so a bad path is reported at start-up.
    pub fn open(options: FileSinkOptions) -> Result<Self, OutputError> {
        let mut sink = FileSink {
            options,
            file: None,
        };
        let file = sink.open_file()?;
        if sink.options.keep_alive {
            sink.file = Some(file);
        }
        Ok(sink)
    }

    fn open_file(&self) -> Result<BufWriter<File>, OutputError> {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.options.filename)
            .map(|f| BufWriter::with_capacity(64 * 1024, f))
            .map_err(|source| self.error(source))
    }

    fn error(&self, source: std::io::Error) -> OutputError {
        OutputError::File {
            path: self.options.filename.clone(),
            source,
        }
    }
}

impl Sink for FileSink {
    fn name(&self) -> &str {
        "file"
    }

    fn write(&mut self, alert: &EncodedAlert) -> Result<(), OutputError> {
        let encoded = alert.bytes.as_slice();
        if !self.options.keep_alive {
            let mut file = self.open_file()?;
            file.write_all(encoded).map_err(|e| self.error(e))?;
            file.write_all(b"\n").map_err(|e| self.error(e))?;
            return file.flush().map_err(|e| self.error(e));
        }
        if self.file.is_none() {
            self.file = Some(self.open_file()?);
        }
        let file = self.file.as_mut().expect("opened above");
        let result = file.write_all(encoded).and_then(|()| file.write_all(b"\n"));
        result.map_err(|e| {
            // Drop the handle so the next alert tries a fresh open.
            self.file = None;
            self.error(e)
        })
    }

    fn flush(&mut self) -> Result<(), OutputError> {
        if let Some(file) = self.file.as_mut()
            && let Err(e) = file.flush()
        {
            self.file = None;
            return Err(self.error(e));
        }
        Ok(())
    }

    fn reopen(&mut self) -> Result<(), OutputError> {
        self.flush()?;
        self.file = None;
        if self.options.keep_alive {
            self.file = Some(self.open_file()?);
        }
        Ok(())
    }
}
