//! Text that came from outside (process names, command lines, environments, file names) made
//! safe for a terminal or a line-oriented log, written the way strace writes its strings.
//!
//! Anyone who can start a process chooses its arguments, and anyone who can create a file
//! chooses its name: printed raw, a newline in them adds a line that looks like Saker's own
//! (`Exe /usr/sbin/sshd`), and an ESC starts a terminal escape sequence. Escaped, such text
//! stays on its line and shows what it really holds:
//!
//! - `\t` `\n` `\v` `\f` `\r` for those controls, as C and strace write them;
//! - every other control character (C0, DEL, C1) and the invisible characters that reorder or
//!   hide text (bidi overrides, zero-width marks, line and paragraph separators) as the octal
//!   of their bytes, `\33` (or `\033` when an octal digit follows, so it reads back exactly);
//! - bytes that are not UTF-8 as octal too; printable characters of any script stay as they are,
//!   backslashes included (as `ps` leaves them: `grep 'a\.b'` reads as typed; a literal `\n`
//!   in text cannot break a line).
//!
//! JSON output needs none of this: its encoder escapes control characters itself.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `text` escaped to stay on one line (newlines and tabs escaped too).
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| needs_escape(c, Newlines::Escape)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text.as_bytes(), Newlines::Escape, None);
    Cow::Owned(out)
}

/// `bytes` (not necessarily UTF-8) escaped to stay on one line.
pub fn escape_bytes(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => escape(text),
        Err(_) => {
            let mut out = String::with_capacity(bytes.len() + 8);
            push_escaped(&mut out, bytes, Newlines::Escape, None);
            Cow::Owned(out)
        }
    }
}

/// `bytes` as psmisc's `pstree` writes process names and arguments: a backslash doubled,
/// printable ASCII as it is, and every other byte (controls, and each byte of a non-ASCII
/// character) as a backslash and three octal digits: `\012` for a newline, `\303\251` for
/// `é`. Used where Saker's output is meant to match pstree's byte for byte.
pub fn escape_ascii_octal(bytes: &[u8]) -> Cow<'_, str> {
    if bytes
        .iter()
        .all(|&b| b != b'\\' && (b' '..=b'~').contains(&b))
    {
        // Printable ASCII without a backslash is valid UTF-8.
        return Cow::Borrowed(std::str::from_utf8(bytes).unwrap_or_default());
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b' '..=b'~' => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
    Cow::Owned(out)
}

/// Whether newlines and tabs are escaped (one-line values) or kept (a file's content shown on
/// a terminal, where lines are expected).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Newlines {
    Escape,
    Keep,
}

/// Escapes a byte stream that arrives in pieces (a file's content on its way to a terminal):
/// a character split between two pieces is joined before it is judged.
#[derive(Debug)]
pub struct StreamEscaper {
    newlines: Newlines,
    /// The start of a UTF-8 character whose remaining bytes are in the next piece.
    held: Vec<u8>,
}

impl StreamEscaper {
    pub fn new(newlines: Newlines) -> Self {
        StreamEscaper {
            newlines,
            held: Vec::with_capacity(4),
        }
    }

    /// Escapes the next piece into `out` (appended).
    pub fn push(&mut self, piece: &[u8], out: &mut String) {
        let mut joined;
        let bytes = if self.held.is_empty() {
            piece
        } else {
            joined = std::mem::take(&mut self.held);
            joined.extend_from_slice(piece);
            &joined[..]
        };
        let keep = incomplete_tail(bytes);
        let (now, later) = bytes.split_at(bytes.len() - keep);
        // What follows the last byte is unknown yet: octal escapes there take three digits.
        push_escaped(out, now, self.newlines, Some(b'0'));
        self.held = later.to_vec();
    }

    /// Escapes what is still held (a character cut off by the end of the stream).
    pub fn finish(&mut self, out: &mut String) {
        let held = std::mem::take(&mut self.held);
        push_escaped(out, &held, self.newlines, None);
    }
}

/// How many bytes at the end of `bytes` start a UTF-8 character that is not complete yet.
fn incomplete_tail(bytes: &[u8]) -> usize {
    for back in 1..=bytes.len().min(3) {
        let b = bytes[bytes.len() - back];
        let width = match b {
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            0x80..=0xbf => continue,
            _ => return 0,
        };
        return if width > back { back } else { 0 };
    }
    0
}

/// True for the characters that are written escaped.
fn needs_escape(c: char, newlines: Newlines) -> bool {
    match c {
        '\n' | '\t' => newlines == Newlines::Escape,
        _ => hidden(c),
    }
}

/// Controls and the invisible characters that move or hide text.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200b}'..='\u{200f}'   // zero-width space/joiners, LRM, RLM
            | '\u{2028}'..='\u{202e}' // line/paragraph separators, bidi embeddings and overrides
            | '\u{2060}'..='\u{2069}' // word joiner, invisible operators, bidi isolates
            | '\u{feff}')
}

/// Appends `bytes` escaped. `after` is the byte that follows `bytes` in the whole text (`None`
/// at its end); it decides between short and three-digit octal for the last byte.
fn push_escaped(out: &mut String, bytes: &[u8], newlines: Newlines, after: Option<u8>) {
    let next = |i: usize| bytes.get(i).copied().or(after);
    for chunk in bytes.utf8_chunks() {
        let start = chunk.valid().as_ptr() as usize - bytes.as_ptr() as usize;
        for (at, c) in chunk.valid().char_indices() {
            let end = start + at + c.len_utf8();
            match c {
                '\n' if newlines == Newlines::Escape => out.push_str("\\n"),
                '\t' if newlines == Newlines::Escape => out.push_str("\\t"),
                '\n' | '\t' => out.push(c),
                '\u{b}' => out.push_str("\\v"),
                '\u{c}' => out.push_str("\\f"),
                '\r' => out.push_str("\\r"),
                c if hidden(c) => {
                    let mut buf = [0u8; 4];
                    let encoded = c.encode_utf8(&mut buf).as_bytes();
                    for (k, &b) in encoded.iter().enumerate() {
                        let following = encoded.get(k + 1).copied().or_else(|| next(end));
                        push_octal(out, b, following);
                    }
                }
                c => out.push(c),
            }
        }
        let invalid_start = start + chunk.valid().len();
        for (k, &b) in chunk.invalid().iter().enumerate() {
            push_octal(out, b, next(invalid_start + k + 1));
        }
    }
}

/// strace's octal escape: as few digits as needed, three when an octal digit follows.
fn push_octal(out: &mut String, b: u8, following: Option<u8>) {
    if following.is_some_and(|n| (b'0'..=b'7').contains(&n)) {
        let _ = write!(out, "\\{b:03o}");
    } else {
        let _ = write!(out, "\\{b:o}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(escape("nginx: worker"), Cow::Borrowed(_)));
        assert!(matches!(escape("café ünïcödé 日本"), Cow::Borrowed(_)));
    }

    /// Cases as strace 6.1 prints them in its strings, quotes aside: checked with
    /// `strace -s 200 -e trace=write cat FILE` on a file of these bytes.
    #[test]
    fn like_strace() {
        for (raw, escaped) in [
            ("a\nb", "a\\nb"),
            ("tab\there", "tab\\there"),
            ("\x1b[31mred", "\\33[31mred"),
            ("\x1b1", "\\0331"),
            ("\x1b8", "\\338"),
            ("\x00", "\\0"),
            ("\x007", "\\0007"),
            // strace writes `\\` inside its quotes; unquoted, as ps, it stays one.
            ("back\\slash", "back\\slash"),
            ("\r\x0b\x0c", "\\r\\v\\f"),
            ("\x7f", "\\177"),
            ("bell\x07", "bell\\7"),
        ] {
            assert_eq!(escape(raw), escaped, "{raw:?}");
        }
    }

    #[test]
    fn fake_lines_stay_on_one_line() {
        let args = "sleep\nExe         /usr/sbin/sshd\n\x1b]0;owned\x07";
        let e = escape(args);
        assert!(!e.contains('\n') && !e.contains('\x1b') && !e.contains('\x07'));
        assert_eq!(e, "sleep\\nExe         /usr/sbin/sshd\\n\\33]0;owned\\7");
    }

    #[test]
    fn c1_controls_and_bidi_overrides() {
        // U+009B is a one-character CSI for some terminals; U+202E reverses what follows.
        assert_eq!(escape("a\u{9b}2J"), "a\\302\\2332J");
        assert_eq!(escape("x\u{202e}gpj.exe"), "x\\342\\200\\256gpj.exe");
        assert_eq!(escape("\u{2028}"), "\\342\\200\\250");
    }

    #[test]
    fn invalid_utf8_is_octal() {
        assert_eq!(escape_bytes(b"ok\xff\xfe1"), "ok\\377\\3761");
        assert_eq!(escape_bytes(b"\xc3\xa9t\xc3"), "ét\\303");
        assert_eq!(escape_bytes(b"plain"), "plain");
    }

    #[test]
    fn stream_keeps_lines_and_joins_split_characters() {
        let mut e = StreamEscaper::new(Newlines::Keep);
        let mut out = String::new();
        e.push(b"line one\tx\n\xc3", &mut out);
        e.push(b"\xa9\x1b", &mut out);
        e.push(b"[0m\n", &mut out);
        e.push(b"\xe6\x97", &mut out);
        e.finish(&mut out);
        assert_eq!(out, "line one\tx\n\u{e9}\\033[0m\n\\346\\227");
    }

    #[test]
    fn incomplete_tails() {
        assert_eq!(incomplete_tail(b"ab"), 0);
        assert_eq!(incomplete_tail(b"a\xc3"), 1);
        assert_eq!(incomplete_tail(b"a\xe6\x97"), 2);
        assert_eq!(incomplete_tail(b"a\xe6\x97\xa5"), 0);
        assert_eq!(incomplete_tail(b"\xf0\x9f\x98"), 3);
        assert_eq!(incomplete_tail(b"\xff"), 0);
    }

    /// As psmisc 23.6's pstree printed a name set with prctl(PR_SET_NAME, "a b\\c\xc3\xa9\x01").
    #[test]
    fn ascii_octal_as_pstree() {
        assert!(matches!(
            escape_ascii_octal(b"sleep 1000"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            escape_ascii_octal(b"a b\\c\xc3\xa9\x01"),
            "a b\\\\c\\303\\251\\001"
        );
        assert_eq!(escape_ascii_octal(b"l1\nl2\t~\x7f"), "l1\\012l2\\011~\\177");
    }
}
