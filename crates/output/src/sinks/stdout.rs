use std::io::{self, BufWriter, Write};

use crate::{EncodedAlert, OutputError, Sink};

/// `stdout_output`: one alert per line on standard output.
pub struct StdoutSink {
    out: BufWriter<io::Stdout>,
}

impl StdoutSink {
    pub fn new() -> Self {
        StdoutSink {
            out: BufWriter::with_capacity(64 * 1024, io::stdout()),
        }
    }
}

impl Default for StdoutSink {
    fn default() -> Self {
        Self::new()
    }
}

impl Sink for StdoutSink {
    fn name(&self) -> &str {
        "stdout"
    }

    fn write(&mut self, alert: &EncodedAlert) -> Result<(), OutputError> {
        let encoded = alert.bytes.as_slice();
        self.out.write_all(encoded).map_err(OutputError::Stdout)?;
        self.out.write_all(b"\n").map_err(OutputError::Stdout)
    }

    fn flush(&mut self) -> Result<(), OutputError> {
        self.out.flush().map_err(OutputError::Stdout)
    }
}
