//! `strings`-like extraction with grep-like context, streaming: memory stays bounded however
//! large the input (the CKS trick on etcd's multi-GB database).

use std::collections::VecDeque;
use std::io::{self, Read, Write};

/// Like `strings`: runs of at least this many printable characters.
pub const MIN_LEN: usize = 4;

/// A run longer than this is emitted in pieces of this size, so memory stays bounded.
pub const MAX_STRING: usize = 64 * 1024;

/// What to print.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only strings containing this (a fixed string, like `grep -F`).
    pub pattern: Option<String>,
    /// Strings of context after (`-A`) and before (`-B`) each match.
    pub after: usize,
    pub before: usize,
}

/// Printable as GNU strings sees it by default: ASCII graphic characters, space and tab.
fn printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b) || b == b'\t'
}

/// Streams `input` to `out`; returns how many strings matched (all strings without a pattern).
pub fn extract(input: &mut impl Read, out: &mut impl Write, opts: &Options) -> io::Result<u64> {
    let mut filter = Filter::new(opts);
    let mut buf = vec![0u8; 256 * 1024];
    let mut current: Vec<u8> = Vec::with_capacity(256);
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        for &b in &buf[..n] {
            if printable(b) {
                current.push(b);
                if current.len() == MAX_STRING {
                    filter.push(&current, out)?;
                    current.clear();
                }
            } else {
                if current.len() >= MIN_LEN {
                    filter.push(&current, out)?;
                }
                current.clear();
            }
        }
    }
    if current.len() >= MIN_LEN {
        filter.push(&current, out)?;
    }
    Ok(filter.matches)
}

/// grep's -A/-B logic over a stream of strings, with `--` between non-adjacent groups.
struct Filter<'a> {
    opts: &'a Options,
    finder: Option<memchr::memmem::Finder<'a>>,
    before: VecDeque<Vec<u8>>,
    after_left: usize,
    /// Index of the last string printed, to know when a `--` separator is due.
    last_printed: Option<u64>,
    index: u64,
    matches: u64,
}

impl<'a> Filter<'a> {
    fn new(opts: &'a Options) -> Self {
        Filter {
            opts,
            finder: opts
                .pattern
                .as_deref()
                .map(|p| memchr::memmem::Finder::new(p.as_bytes())),
            before: VecDeque::with_capacity(opts.before),
            after_left: 0,
            last_printed: None,
            index: 0,
            matches: 0,
        }
    }

    fn emit(&mut self, s: &[u8], index: u64, out: &mut impl Write) -> io::Result<()> {
        let with_context = self.opts.after > 0 || self.opts.before > 0;
        if let Some(last) = self.last_printed
            && with_context
            && index > last + 1
        {
            out.write_all(b"--\n")?;
        }
        out.write_all(s)?;
        out.write_all(b"\n")?;
        self.last_printed = Some(index);
        Ok(())
    }

    fn push(&mut self, s: &[u8], out: &mut impl Write) -> io::Result<()> {
        let index = self.index;
        self.index += 1;
        let Some(finder) = &self.finder else {
            self.matches += 1;
            out.write_all(s)?;
            return out.write_all(b"\n");
        };
        if finder.find(s).is_some() {
            self.matches += 1;
            let held: Vec<Vec<u8>> = self.before.drain(..).collect();
            let first = index - held.len() as u64;
            for (i, h) in held.iter().enumerate() {
                self.emit(h, first + i as u64, out)?;
            }
            self.emit(s, index, out)?;
            self.after_left = self.opts.after;
        } else if self.after_left > 0 {
            self.after_left -= 1;
            self.emit(s, index, out)?;
        } else if self.opts.before > 0 {
            if self.before.len() == self.opts.before {
                self.before.pop_front();
            }
            self.before.push_back(s.to_vec());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &[u8], pattern: Option<&str>, after: usize, before: usize) -> String {
        let opts = Options {
            pattern: pattern.map(str::to_string),
            after,
            before,
        };
        let mut out = Vec::new();
        extract(&mut &input[..], &mut out, &opts).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn like_strings() {
        let input = b"\x00\x01abc\x00abcd\xffhello world\ttab\n\x02xyz";
        assert_eq!(run(input, None, 0, 0), "abcd\nhello world\ttab\n");
    }

    #[test]
    fn grep_with_context() {
        let input = b"one1\0two2\0key=12345\0three\0four\0five\0six6\0seven\0v=12345\0end!";
        assert_eq!(run(input, Some("12345"), 0, 0), "key=12345\nv=12345\n");
        assert_eq!(
            run(input, Some("12345"), 1, 1),
            "two2\nkey=12345\nthree\n--\nseven\nv=12345\nend!\n"
        );
        assert_eq!(
            run(input, Some("12345"), 0, 5),
            "one1\ntwo2\nkey=12345\nthree\nfour\nfive\nsix6\nseven\nv=12345\n"
        );
        assert_eq!(run(input, Some("nomatch"), 3, 3), "");
    }

    #[test]
    fn long_runs_are_split_and_memory_bounded() {
        let input = vec![b'a'; MAX_STRING * 2 + 10];
        let out = run(&input, None, 0, 0);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].len(), MAX_STRING);
        assert_eq!(lines[2].len(), 10);
    }

    #[test]
    fn across_read_boundaries() {
        // A reader that returns one byte at a time.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let Some((&b, rest)) = self.0.split_first() else {
                    return Ok(0);
                };
                buf[0] = b;
                self.0 = rest;
                Ok(1)
            }
        }
        let mut out = Vec::new();
        let n = extract(
            &mut Trickle(b"xx\0needle here\0abc"),
            &mut out,
            &Options::default(),
        )
        .unwrap();
        assert_eq!(
            (n, String::from_utf8(out).unwrap().as_str()),
            (1, "needle here\n")
        );
    }
}
