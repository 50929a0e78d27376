//! Where trace lines go: stderr, one file (`-o`, `-A` to append), a shell command's stdin
//! (`-o '|cmd'`), or one file per process (`-ff -o`).
//!
//! Lines are collected in memory and written in batches. Output to stderr is flushed before
//! the tracer blocks (so it stays ordered with what the traced program itself prints to the
//! terminal); output to files is flushed when a buffer fills up, when a process ends, and at
//! the end, which saves one `write` per line.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Duration;

use rustc_hash::FxHashMap;

use crate::options::Output;

const FILE_BUFFER: usize = 64 * 1024;

enum Target {
    Stderr,
    File(File),
    Pipe(std::process::Child),
    PerProcess {
        prefix: PathBuf,
        files: HashMap<i32, File>,
        append: bool,
    },
}

/// How long file output may stay in memory.
const FILE_FLUSH_INTERVAL: Duration = Duration::from_millis(200);

pub struct Sink {
    target: Target,
    last_flush: Duration,
    /// One buffer per output stream: key 0 for a shared stream, the pid with -ff.
    buffers: FxHashMap<i32, Vec<u8>>,
    /// The first write error; reported at the end, tracing goes on.
    error: Option<io::Error>,
    /// The `-o` argument, for messages.
    path: PathBuf,
}

impl Sink {
    pub fn open(output: &Output, per_process: bool, append: bool) -> Result<Sink, String> {
        let target = match output {
            Output::Stderr => Target::Stderr,
            Output::File(path) if per_process => Target::PerProcess {
                prefix: PathBuf::from(path),
                files: HashMap::new(),
                append,
            },
            Output::File(path) => Target::File(open_file(path.as_ref(), append)?),
            Output::Pipe(command) => {
                let child = std::process::Command::new("/bin/sh")
                    .arg("-c")
                    .arg(command)
                    .stdin(std::process::Stdio::piped())
                    .spawn()
                    .map_err(|e| format!("sh: {}", saker_ptrace::errno_text(&e)))?;
                Target::Pipe(child)
            }
        };
        Ok(Sink {
            target,
            last_flush: saker_event::timefmt::monotonic_coarse(),
            path: match output {
                Output::Stderr => PathBuf::new(),
                Output::File(path) | Output::Pipe(path) => PathBuf::from(path),
            },
            buffers: FxHashMap::default(),
            error: None,
        })
    }

    /// What the output is called in messages (strace names the file).
    fn name(&self) -> String {
        match &self.target {
            Target::Stderr => "stderr".into(),
            Target::File(_) => self.path.display().to_string(),
            Target::Pipe(_) => format!("|{}", self.path.display()),
            Target::PerProcess { prefix, .. } => prefix.display().to_string(),
        }
    }

    /// Whether lines carry a `[pid N]`/`N ` prefix at all (not with one file per process).
    pub fn is_per_process(&self) -> bool {
        matches!(self.target, Target::PerProcess { .. })
    }

    /// Whether the output is a file rather than the terminal's stderr.
    pub fn is_file(&self) -> bool {
        !matches!(self.target, Target::Stderr)
    }

    /// The buffer lines of `pid` go to.
    pub fn buffer(&mut self, pid: i32) -> &mut Vec<u8> {
        let key = if self.is_per_process() { pid } else { 0 };
        self.buffers.entry(key).or_default()
    }

    /// Called before the tracer blocks.
    pub fn before_wait(&mut self) {
        match self.target {
            Target::Stderr | Target::Pipe(_) => self.flush_all(),
            _ => {
                let now = saker_event::timefmt::monotonic_coarse();
                if now.saturating_sub(self.last_flush) >= FILE_FLUSH_INTERVAL {
                    self.last_flush = now;
                    self.flush_all();
                    return;
                }
                let full: Vec<i32> = self
                    .buffers
                    .iter()
                    .filter(|(_, buf)| buf.len() >= FILE_BUFFER)
                    .map(|(key, _)| *key)
                    .collect();
                for key in full {
                    self.flush_key(key);
                }
            }
        }
    }

    /// A process ended: with -ff its file is complete.
    pub fn process_gone(&mut self, pid: i32) {
        if self.is_per_process() {
            self.flush_key(pid);
            if let Target::PerProcess { files, .. } = &mut self.target {
                files.remove(&pid);
            }
            self.buffers.remove(&pid);
        }
    }

    pub fn flush_all(&mut self) {
        let keys: Vec<i32> = self
            .buffers
            .iter()
            .filter(|(_, b)| !b.is_empty())
            .map(|(k, _)| *k)
            .collect();
        for key in keys {
            self.flush_key(key);
        }
    }

    fn flush_key(&mut self, key: i32) {
        let Some(buf) = self.buffers.get_mut(&key) else {
            return;
        };
        if buf.is_empty() {
            return;
        }
        let result = match &mut self.target {
            Target::Stderr => io::stderr().lock().write_all(buf),
            Target::File(file) => file.write_all(buf),
            Target::Pipe(child) => match child.stdin.as_mut() {
                Some(stdin) => stdin.write_all(buf),
                None => Ok(()),
            },
            Target::PerProcess {
                prefix,
                files,
                append,
            } => {
                let file = match files.entry(key) {
                    std::collections::hash_map::Entry::Occupied(entry) => Ok(entry.into_mut()),
                    std::collections::hash_map::Entry::Vacant(entry) => {
                        let mut name = prefix.clone().into_os_string();
                        name.push(format!(".{key}"));
                        open_file(name.as_ref(), *append)
                            .map_err(io::Error::other)
                            .map(|file| entry.insert(file))
                    }
                };
                file.and_then(|file| file.write_all(buf))
            }
        };
        buf.clear();
        if let Err(err) = result
            && self.error.is_none()
        {
            self.error = Some(err);
        }
    }

    /// Flushes everything and reports the first write error. A pipe's command is waited for.
    pub fn finish(&mut self) -> Result<(), String> {
        self.flush_all();
        if let Target::Pipe(child) = &mut self.target {
            drop(child.stdin.take());
            let _ = child.wait();
        }
        match self.error.take() {
            Some(err) => Err(format!(
                "{}: {}",
                self.name(),
                saker_ptrace::errno_text(&err)
            )),
            None => Ok(()),
        }
    }
}

/// strace's strace_fopen(): its message when the file cannot be opened.
fn open_file(path: &std::path::Path, append: bool) -> Result<File, String> {
    let mut options = std::fs::OpenOptions::new();
    if append {
        options.append(true).create(true);
    } else {
        options.write(true).create(true).truncate(true);
    }
    options.open(path).map_err(|e| {
        format!(
            "Can't fopen '{}': {}",
            path.display(),
            saker_ptrace::errno_text(&e)
        )
    })
}
