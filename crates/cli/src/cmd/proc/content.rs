//! What an fd points to, shown the way `cat`, `head`, `tail`, `grep -F` and `strings` show
//! /proc/PID/fd/N, streaming: memory stays bounded however large the file (the CKS trick on
//! etcd's multi-GB database), and `--tail` seeks instead of reading everything it can.

use std::collections::VecDeque;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::ops::ControlFlow;

use saker_event::escape::{Newlines, StreamEscaper};

/// Like `strings`: runs of at least this many printable characters.
pub const MIN_LEN: usize = 4;

/// A string or line longer than this is matched and printed in pieces of this size, so
/// memory stays bounded (a binary file may have no newline at all).
pub const MAX_UNIT: usize = 64 * 1024;

/// What `--grep` and the context options count in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Unit {
    /// Lines, as `grep` reads a file.
    #[default]
    Lines,
    /// Printable strings, as `strings FILE | grep` reads it.
    Strings,
}

/// Which units to print.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub unit: Unit,
    /// Only units containing this (a fixed string, like `grep -F`).
    pub pattern: Option<String>,
    /// Units of context after (`-A`) and before (`-B`) each match.
    pub after: usize,
    pub before: usize,
    /// Stop after this many matches (`grep -m`), once their trailing context is printed.
    pub max_count: Option<u64>,
}

/// Everything `saker proc PID --fd N` can be asked to show.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub filter: Options,
    /// `--strings` or `--grep` given: units are filtered, else the bytes are copied as they are.
    pub filtered: bool,
    /// Only the first (`--head`) or last (`--tail`) lines of what would be printed.
    pub head: Option<u64>,
    pub tail: Option<u64>,
}

/// Prints what `view` selects of `file` to `out`.
pub fn show(file: &mut (impl Read + Seek), out: &mut impl Write, view: &View) -> io::Result<()> {
    let result = match (view.filtered, view.head, view.tail) {
        (false, None, Some(n)) => {
            let start = tail_start(file, n)?;
            file.seek(SeekFrom::Start(start))?;
            io::copy(file, out).map(drop)
        }
        (false, head, _) => io::copy(file, &mut HeadLines::new(out, head)).map(drop),
        (true, head, None) => extract(file, &mut HeadLines::new(out, head), &view.filter).map(drop),
        (true, _, Some(n)) => {
            // Two passes, so memory does not grow with N: count what would be printed, then
            // print it without its first lines.
            let mut counter = LineCounter::default();
            extract(file, &mut counter, &view.filter)?;
            file.rewind()?;
            let skip = counter.lines.saturating_sub(n);
            extract(file, &mut SkipLines { inner: out, skip }, &view.filter).map(drop)
        }
    };
    match result {
        Err(e) if is_head_done(&e) => Ok(()),
        other => other,
    }
}

/// Where the last `n` lines of a seekable file start: read backwards from its end, a block at
/// a time, counting newlines (a final newline ends the last line, it does not start one).
pub fn tail_start(file: &mut (impl Read + Seek), n: u64) -> io::Result<u64> {
    const BLOCK: u64 = 64 * 1024;
    let size = file.seek(SeekFrom::End(0))?;
    if n == 0 {
        return Ok(size);
    }
    let mut seen = 0u64;
    let mut end = size;
    let mut buf = vec![0u8; BLOCK as usize];
    while end > 0 {
        let start = end.saturating_sub(BLOCK);
        let block = &mut buf[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(block)?;
        for at in memchr::memrchr_iter(b'\n', block) {
            let offset = start + at as u64;
            if offset + 1 == size {
                continue;
            }
            seen += 1;
            if seen == n {
                return Ok(offset + 1);
            }
        }
        end = start;
    }
    Ok(0)
}

/// Printable as GNU strings sees it by default: ASCII graphic characters, space and tab.
fn printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b) || b == b'\t'
}

/// Streams `input` to `out` unit by unit, through the filter; returns how many units matched
/// (all units without a pattern).
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
            let ends_unit = match opts.unit {
                Unit::Lines => b == b'\n',
                Unit::Strings => !printable(b),
            };
            if ends_unit {
                let complete = match opts.unit {
                    Unit::Lines => true,
                    Unit::Strings => current.len() >= MIN_LEN,
                };
                if complete && filter.push(&current, out)?.is_break() {
                    return Ok(filter.matches);
                }
                current.clear();
            } else {
                current.push(b);
                if current.len() == MAX_UNIT {
                    if filter.push(&current, out)?.is_break() {
                        return Ok(filter.matches);
                    }
                    current.clear();
                }
            }
        }
    }
    let last_complete = match opts.unit {
        Unit::Lines => !current.is_empty(),
        Unit::Strings => current.len() >= MIN_LEN,
    };
    if last_complete {
        // The last unit: whether the filter wanted more no longer matters.
        let _ = filter.push(&current, out)?;
    }
    Ok(filter.matches)
}

/// grep's -A/-B/-m logic over a stream of units, with `--` between non-adjacent groups.
struct Filter<'a> {
    opts: &'a Options,
    finder: Option<memchr::memmem::Finder<'a>>,
    before: VecDeque<Vec<u8>>,
    after_left: usize,
    /// Index of the last unit printed, to know when a `--` separator is due.
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

    fn max_reached(&self) -> bool {
        self.opts.max_count.is_some_and(|m| self.matches >= m)
    }

    /// Takes the next unit; `Break` once `-m` matches and their trailing context are out.
    fn push(&mut self, s: &[u8], out: &mut impl Write) -> io::Result<ControlFlow<()>> {
        let index = self.index;
        self.index += 1;
        let Some(finder) = &self.finder else {
            self.matches += 1;
            out.write_all(s)?;
            out.write_all(b"\n")?;
            return Ok(ControlFlow::Continue(()));
        };
        if self.max_reached() {
            // Only the trailing context of the last match is still due.
            if self.after_left == 0 {
                return Ok(ControlFlow::Break(()));
            }
            self.after_left -= 1;
            self.emit(s, index, out)?;
        } else if finder.find(s).is_some() {
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
        let done = self.max_reached() && self.after_left == 0;
        Ok(if done {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        })
    }
}

/// The error [`HeadLines`] stops the copy with once its lines are out.
#[derive(Debug)]
struct HeadDone;

impl std::fmt::Display for HeadDone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("--head reached")
    }
}

impl std::error::Error for HeadDone {}

fn is_head_done(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<HeadDone>())
}

/// Passes the first `left` lines through (all of them when `None`), then stops the writer.
struct HeadLines<'a, W: Write> {
    inner: &'a mut W,
    left: Option<u64>,
}

impl<'a, W: Write> HeadLines<'a, W> {
    fn new(inner: &'a mut W, left: Option<u64>) -> Self {
        HeadLines { inner, left }
    }
}

impl<W: Write> Write for HeadLines<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some(left) = self.left else {
            return self.inner.write(buf);
        };
        if left == 0 {
            return Err(io::Error::other(HeadDone));
        }
        let take = match memchr::memchr_iter(b'\n', buf).nth(left as usize - 1) {
            Some(at) => at + 1,
            None => buf.len(),
        };
        let written = self.inner.write(&buf[..take])?;
        let lines = memchr::memchr_iter(b'\n', &buf[..written]).count() as u64;
        self.left = Some(left - lines);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Counts the lines written to it.
#[derive(Default)]
struct LineCounter {
    lines: u64,
}

impl Write for LineCounter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.lines += memchr::memchr_iter(b'\n', buf).count() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Drops the first `skip` lines written to it, passes the rest.
struct SkipLines<'a, W: Write> {
    inner: &'a mut W,
    skip: u64,
}

impl<W: Write> Write for SkipLines<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.skip == 0 {
            return self.inner.write(buf);
        }
        match memchr::memchr_iter(b'\n', buf).nth(self.skip as usize - 1) {
            Some(at) => {
                self.skip = 0;
                self.inner.write_all(&buf[at + 1..])?;
            }
            None => self.skip -= memchr::memchr_iter(b'\n', buf).count() as u64,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Escapes control characters in what passes through it when it is headed for a terminal
/// (lines and tabs kept), and copies bytes exactly otherwise (into a file or a pipe, where
/// the content may be a binary being recovered).
pub struct TerminalSafe<W: Write> {
    inner: W,
    escaper: Option<StreamEscaper>,
    text: String,
}

impl<W: Write> TerminalSafe<W> {
    pub fn new(inner: W, terminal: bool) -> Self {
        TerminalSafe {
            inner,
            escaper: terminal.then(|| StreamEscaper::new(Newlines::Keep)),
            text: String::new(),
        }
    }

    /// Writes what the escaper still holds and flushes.
    pub fn finish(mut self) -> io::Result<()> {
        if let Some(e) = &mut self.escaper {
            self.text.clear();
            e.finish(&mut self.text);
            self.inner.write_all(self.text.as_bytes())?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some(e) = &mut self.escaper else {
            return self.inner.write(buf);
        };
        self.text.clear();
        e.push(buf, &mut self.text);
        self.inner.write_all(self.text.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn strings(input: &[u8], pattern: Option<&str>, after: usize, before: usize) -> String {
        let opts = Options {
            unit: Unit::Strings,
            pattern: pattern.map(str::to_string),
            after,
            before,
            max_count: None,
        };
        let mut out = Vec::new();
        extract(&mut &input[..], &mut out, &opts).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn view(input: &[u8], view: &View) -> Vec<u8> {
        let mut out = Vec::new();
        show(&mut Cursor::new(input), &mut out, view).unwrap();
        out
    }

    #[test]
    fn like_strings() {
        let input = b"\x00\x01abc\x00abcd\xffhello world\ttab\n\x02xyz";
        assert_eq!(strings(input, None, 0, 0), "abcd\nhello world\ttab\n");
    }

    #[test]
    fn grep_with_context() {
        let input = b"one1\0two2\0key=12345\0three\0four\0five\0six6\0seven\0v=12345\0end!";
        assert_eq!(strings(input, Some("12345"), 0, 0), "key=12345\nv=12345\n");
        assert_eq!(
            strings(input, Some("12345"), 1, 1),
            "two2\nkey=12345\nthree\n--\nseven\nv=12345\nend!\n"
        );
        assert_eq!(
            strings(input, Some("12345"), 0, 5),
            "one1\ntwo2\nkey=12345\nthree\nfour\nfive\nsix6\nseven\nv=12345\n"
        );
        assert_eq!(strings(input, Some("nomatch"), 3, 3), "");
    }

    /// GNU grep 3.8 on the same inputs: `printf 'a1\nb\nc\na2\nd\na3\ne\n' | grep -m 2 -A 1 a`
    /// (the trailing context of the last match may itself match).
    #[test]
    fn max_count_then_trailing_context() {
        let filter = Options {
            pattern: Some("a".into()),
            after: 1,
            max_count: Some(2),
            ..Options::default()
        };
        let v = View {
            filter,
            filtered: true,
            ..View::default()
        };
        assert_eq!(view(b"a1\nb\nc\na2\nd\na3\ne\n", &v), b"a1\nb\n--\na2\nd\n");
        assert_eq!(view(b"a1\na2\na3\nb\n", &v), b"a1\na2\na3\n");
    }

    #[test]
    fn long_runs_are_split_and_memory_bounded() {
        let input = vec![b'a'; MAX_UNIT * 2 + 10];
        let out = strings(&input, None, 0, 0);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].len(), MAX_UNIT);
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
        let opts = Options {
            unit: Unit::Strings,
            ..Options::default()
        };
        let n = extract(&mut Trickle(b"xx\0needle here\0abc"), &mut out, &opts).unwrap();
        assert_eq!(
            (n, String::from_utf8(out).unwrap().as_str()),
            (1, "needle here\n")
        );
    }

    #[test]
    fn head_and_tail_of_the_bytes() {
        let text = b"1\n2\n3\n4\n5";
        let head = |n| View {
            head: Some(n),
            ..View::default()
        };
        let tail = |n| View {
            tail: Some(n),
            ..View::default()
        };
        assert_eq!(view(text, &head(2)), b"1\n2\n");
        assert_eq!(view(text, &head(0)), b"");
        assert_eq!(view(text, &head(9)), text);
        assert_eq!(view(text, &tail(2)), b"4\n5");
        assert_eq!(view(b"1\n2\n3\n", &tail(2)), b"2\n3\n");
        assert_eq!(view(text, &tail(0)), b"");
        assert_eq!(view(text, &tail(99)), text);
        assert_eq!(view(b"", &tail(3)), b"");
    }

    #[test]
    fn tail_reads_backwards_across_blocks() {
        // Lines that straddle the 64 KiB blocks tail_start reads.
        let mut text = Vec::new();
        for i in 0..40_000 {
            text.extend_from_slice(format!("line {i}\n").as_bytes());
        }
        let mut file = Cursor::new(&text);
        let start = tail_start(&mut file, 20_000).unwrap() as usize;
        assert!(text[start..].starts_with(b"line 20000\n"));
    }

    #[test]
    fn tail_of_filtered_output_in_two_passes() {
        let v = View {
            filter: Options {
                pattern: Some("x".into()),
                ..Options::default()
            },
            filtered: true,
            tail: Some(2),
            ..View::default()
        };
        assert_eq!(view(b"x1\ny\nx2\nx3\nz\n", &v), b"x2\nx3\n");
    }

    #[test]
    fn terminal_safe_escapes_only_for_terminals() {
        let mut raw = Vec::new();
        let mut w = TerminalSafe::new(&mut raw, false);
        w.write_all(b"a\x1b[2J\n").unwrap();
        w.finish().unwrap();
        assert_eq!(raw, b"a\x1b[2J\n");
        let mut shown = Vec::new();
        let mut w = TerminalSafe::new(&mut shown, true);
        w.write_all(b"a\x1b[2J\n\xc3").unwrap();
        w.finish().unwrap();
        assert_eq!(shown, b"a\\33[2J\n\\303");
    }
}
