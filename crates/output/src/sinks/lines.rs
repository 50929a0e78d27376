//! Alert lines waiting for a file descriptor, written whole or not at all.
//!
//! A write can stop in the middle of a line (a full disk, a reader that went away). What
//! reached the descriptor is counted line by line; a torn last line is cut off again when
//! the descriptor is a regular file, or ended with a newline before the next alert when it
//! is not (a pipe, a terminal), so that the next alert always starts on a line of its own.

use std::io;
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec};
use rustix::fs::SeekFrom;

/// What a pipe takes in one piece when poll(2) says it is writable.
const PIPE_BUF: usize = 4096;

/// Waits until `fd` can be written to, up to `deadline`; false when it could not.
fn wait_writable(fd: impl AsFd, deadline: Instant) -> bool {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let timeout = Timespec {
            tv_sec: left.as_secs() as i64,
            tv_nsec: i64::from(left.subsec_nanos()),
        };
        let mut fds = [PollFd::new(&fd, PollFlags::OUT)];
        match rustix::event::poll(&mut fds, Some(&timeout)) {
            Ok(0) => return false,
            Ok(_) => return true,
            Err(rustix::io::Errno::INTR) if !left.is_zero() => {}
            // An fd poll refuses: let the write say what is wrong.
            Err(_) => return true,
        }
    }
}

/// Alerts appended with [`PendingLines::push`], each followed by a newline.
#[derive(Debug, Default)]
pub(crate) struct PendingLines {
    buf: Vec<u8>,
    /// End offset of each line in `buf`.
    ends: Vec<usize>,
}

/// What one [`PendingLines::write_to`] achieved.
#[derive(Debug)]
pub(crate) struct Written {
    /// Lines that reached the descriptor whole.
    pub whole: u64,
    /// Lines that did not (all of them when `error` is `None` is impossible: then 0).
    pub lost: u64,
    /// Why the write stopped early.
    pub error: Option<io::Error>,
    /// Bytes of a torn line left on the descriptor.
    pub torn: usize,
}

impl PendingLines {
    pub fn push(&mut self, line: &[u8]) {
        self.buf.extend_from_slice(line);
        self.buf.push(b'\n');
        self.ends.push(self.buf.len());
    }

    /// Lines waiting.
    pub fn count(&self) -> usize {
        self.ends.len()
    }

    pub fn bytes(&self) -> usize {
        self.buf.len()
    }

    /// Drops every waiting line; returns how many there were.
    pub fn clear(&mut self) -> u64 {
        let n = self.ends.len() as u64;
        self.buf.clear();
        self.ends.clear();
        n
    }

    /// Writes every waiting line to `fd`, and empties the buffer whatever happened: lines
    /// not written are reported as lost, never retried here. A pipe or terminal that takes
    /// nothing for `wait` (a reader that stopped reading) ends the write with `TimedOut`:
    /// it is written in pieces it has room for, after `poll` says so, never blocking.
    pub fn write_to(&mut self, fd: impl AsFd, wait: Duration) -> Written {
        let regular = rustix::fs::fstat(&fd).is_ok_and(|st| {
            rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::RegularFile
        });
        let deadline = Instant::now() + wait;
        let mut written = 0;
        let mut error = None;
        while written < self.buf.len() {
            let mut end = self.buf.len();
            if !regular {
                if !wait_writable(&fd, deadline) {
                    error = Some(io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!("the reader took nothing for {wait:?}"),
                    ));
                    break;
                }
                // A pipe with room for anything has room for PIPE_BUF bytes.
                end = end.min(written + PIPE_BUF);
            }
            match rustix::io::write(&fd, &self.buf[written..end]) {
                Ok(0) => {
                    error = Some(io::Error::from(io::ErrorKind::WriteZero));
                    break;
                }
                Ok(n) => written += n,
                Err(rustix::io::Errno::INTR) => {}
                Err(e) => {
                    error = Some(e.into());
                    break;
                }
            }
        }
        let whole = self.ends.partition_point(|&end| end <= written);
        let line_start = if whole == 0 { 0 } else { self.ends[whole - 1] };
        let result = Written {
            whole: whole as u64,
            lost: (self.ends.len() - whole) as u64,
            error,
            torn: written - line_start,
        };
        self.clear();
        result
    }

    /// Starts the buffer with a newline that ends a torn line left on a descriptor that
    /// could not be cut back (see [`cut_torn_line`]).
    pub fn start_with_newline(&mut self) {
        if self.buf.first() != Some(&b'\n') {
            self.buf.insert(0, b'\n');
            for end in &mut self.ends {
                *end += 1;
            }
        }
    }
}

/// Removes the last `torn` bytes written to a regular file (the start of a line that did not
/// fit), so the file ends on a line boundary again. Fails on a pipe or a terminal.
pub(crate) fn cut_torn_line(fd: impl AsFd, torn: usize) -> io::Result<()> {
    // After a write, even with O_APPEND, the offset is the end of what was written.
    let end = rustix::fs::seek(&fd, SeekFrom::Current(0))?;
    let cut = end.saturating_sub(torn as u64);
    rustix::fs::ftruncate(&fd, cut)?;
    rustix::fs::seek(&fd, SeekFrom::Start(cut))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Seek};

    use super::*;

    #[test]
    fn counts_whole_lines_and_empties_the_buffer() {
        let mut file = tempfile::tempfile().unwrap();
        let mut lines = PendingLines::default();
        lines.push(b"one");
        lines.push(b"two");
        assert_eq!(lines.count(), 2);
        let written = lines.write_to(&file, Duration::ZERO);
        assert_eq!((written.whole, written.lost, written.torn), (2, 0, 0));
        assert!(written.error.is_none());
        assert_eq!(lines.count(), 0);
        let mut text = String::new();
        file.rewind().unwrap();
        file.read_to_string(&mut text).unwrap();
        assert_eq!(text, "one\ntwo\n");
    }

    #[test]
    fn a_torn_line_is_cut_from_a_file() {
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, b"whole\npart").unwrap();
        cut_torn_line(&file, 4).unwrap();
        std::io::Write::write_all(&mut file, b"next\n").unwrap();
        let mut text = String::new();
        file.rewind().unwrap();
        file.read_to_string(&mut text).unwrap();
        assert_eq!(text, "whole\nnext\n");
    }

    /// A reader that never reads: the write gives up after `wait` with whole lines only
    /// counted, where a blocking write would wait for ever.
    #[test]
    fn a_full_pipe_times_out_instead_of_blocking() {
        let (_reader, writer) = rustix::pipe::pipe().unwrap();
        let mut lines = PendingLines::default();
        let line = vec![b'x'; 1000];
        for _ in 0..100 {
            lines.push(&line);
        }
        let written = lines.write_to(&writer, Duration::from_millis(200));
        assert_eq!(
            written.error.as_ref().map(|e| e.kind()),
            Some(std::io::ErrorKind::TimedOut)
        );
        // The pipe took 64 KiB: 65 whole lines of 1001 bytes, and a torn one.
        assert!(written.whole > 0 && written.whole < 100, "{written:?}");
        assert_eq!(written.whole + written.lost, 100);
        assert!(written.torn < 1001);
    }

    #[test]
    fn a_closed_pipe_loses_every_line_and_says_why() {
        let (reader, writer) = rustix::pipe::pipe().unwrap();
        drop(reader);
        let mut lines = PendingLines::default();
        lines.push(b"a");
        lines.push(b"b");
        let written = lines.write_to(&writer, Duration::from_secs(1));
        assert_eq!((written.whole, written.lost), (0, 2));
        assert_eq!(
            written.error.unwrap().kind(),
            std::io::ErrorKind::BrokenPipe
        );
        assert!(cut_torn_line(&writer, 1).is_err());
    }
}
