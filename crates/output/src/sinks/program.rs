use std::io::{self, BufWriter, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{EncodedAlert, OutputError, Sink};

/// `program_output` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramSinkOptions {
    /// Run with `sh -c`; alerts arrive on its standard input, one per line.
    pub program: String,
    /// One long-lived process (respawned when it dies) instead of one process per alert.
    pub keep_alive: bool,
}

struct Running {
    child: Child,
    stdin: BufWriter<ChildStdin>,
}

/// `program_output`: pipes alerts into a shell command.
pub struct ProgramSink {
    options: ProgramSinkOptions,
    running: Option<Running>,
    line: Vec<u8>,
}

/// How long a program gets to exit after its input closes before it is killed.
const EXIT_GRACE: Duration = Duration::from_secs(2);

impl ProgramSink {
    /// With `keep_alive`, starts the program now so a missing shell shows up at start-up.
    pub fn start(options: ProgramSinkOptions) -> Result<Self, OutputError> {
        let mut sink = ProgramSink {
            options,
            running: None,
            line: Vec::with_capacity(1024),
        };
        if sink.options.keep_alive {
            sink.running = Some(sink.spawn()?);
        }
        Ok(sink)
    }

    fn spawn(&self) -> Result<Running, OutputError> {
        let mut child = Command::new("/bin/sh")
            .arg("-c")
            .arg(&self.options.program)
            .stdin(Stdio::piped())
            .spawn()
            .map_err(|e| self.error(e))?;
        let stdin = child.stdin.take().expect("stdin is piped");
        Ok(Running {
            child,
            stdin: BufWriter::with_capacity(64 * 1024, stdin),
        })
    }

    fn error(&self, source: io::Error) -> OutputError {
        OutputError::Program {
            program: self.options.program.clone(),
            source,
        }
    }

    /// Closes the program's input and reaps it, killing it if it lingers.
    fn finish(&self, mut running: Running) -> Result<(), OutputError> {
        let flushed = running.stdin.flush();
        drop(running.stdin);
        let deadline = Instant::now() + EXIT_GRACE;
        loop {
            match running.child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5))
                }
                Ok(None) | Err(_) => {
                    let _ = running.child.kill();
                    let _ = running.child.wait();
                    break;
                }
            }
        }
        flushed.map_err(|e| self.error(e))
    }

    fn write_once(running: &mut Running, encoded: &[u8], line: &mut Vec<u8>) -> io::Result<()> {
        // One write per alert: a line lands in the buffer whole or not at all, so a restart
        // can resend exactly what the dead program did not take.
        line.clear();
        line.extend_from_slice(encoded);
        line.push(b'\n');
        running.stdin.write_all(line)
    }

    /// The program went away with alerts still buffered for it: start a new one and give it
    /// those alerts.
    fn restart_with_pending(&mut self) -> Result<(), OutputError> {
        let Some(dead) = self.running.take() else {
            return Ok(());
        };
        let (stdin, pending) = dead.stdin.into_parts();
        drop(stdin);
        let pending = pending.unwrap_or_default();
        let mut child = dead.child;
        let _ = child.kill();
        let _ = child.wait();
        tracing::warn!(program = %self.options.program, "program output closed its input, restarting it");
        let mut fresh = self.spawn()?;
        let result = fresh
            .stdin
            .write_all(&pending)
            .and_then(|()| fresh.stdin.flush());
        self.running = Some(fresh);
        result.map_err(|e| self.error(e))
    }
}

impl Sink for ProgramSink {
    fn name(&self) -> &str {
        "program"
    }

    fn write(&mut self, alert: &EncodedAlert) -> Result<(), OutputError> {
        let encoded = alert.bytes.as_slice();
        if !self.options.keep_alive {
            let mut running = self.spawn()?;
            let written = Self::write_once(&mut running, encoded, &mut self.line);
            let finished = self.finish(running);
            return written.map_err(|e| self.error(e)).and(finished);
        }
        // A program that exited since the last alert is restarted before it loses this one.
        if let Some(running) = self.running.as_mut()
            && let Ok(Some(status)) = running.child.try_wait()
        {
            tracing::warn!(program = %self.options.program, %status, "program output exited");
            self.restart_with_pending()?;
        }
        if self.running.is_none() {
            self.running = Some(self.spawn()?);
        }
        let running = self.running.as_mut().expect("spawned above");
        match Self::write_once(running, encoded, &mut self.line) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                // It died between the check and the write.
                self.restart_with_pending()?;
                let running = self.running.as_mut().expect("restarted");
                Self::write_once(running, encoded, &mut self.line)
                    .and_then(|()| running.stdin.flush())
                    .map_err(|e| self.error(e))
            }
            Err(e) => Err(self.error(e)),
        }
    }

    fn flush(&mut self) -> Result<(), OutputError> {
        let Some(running) = self.running.as_mut() else {
            return Ok(());
        };
        match running.stdin.flush() {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => self.restart_with_pending(),
            Err(e) => Err(self.error(e)),
        }
    }

    fn reopen(&mut self) -> Result<(), OutputError> {
        if let Some(running) = self.running.take() {
            self.finish(running)?;
        }
        if self.options.keep_alive {
            self.running = Some(self.spawn()?);
        }
        Ok(())
    }

    fn close(&mut self) -> Result<(), OutputError> {
        match self.running.take() {
            Some(running) => self.finish(running),
            None => Ok(()),
        }
    }
}

impl Drop for ProgramSink {
    fn drop(&mut self) {
        let _ = self.close();
    }
}
