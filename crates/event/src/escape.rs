//! Escaping attacker-controlled text for people to read: a process name, a command line or a
//! file name may hold a newline that forges a whole line of output, or terminal escape
//! sequences that rewrite the screen. Every human-readable output (text alerts, log lines,
//! tables) passes such text through [`escape_control`].
//!
//! The escapes are strace's: `\t \n \v \f \r` by name, any other control byte in octal
//! (`\33` for ESC, with three digits when an octal digit follows). Control characters are
//! C0, DEL, C1 (U+0080..U+009F, which some terminals obey as ESC sequences) and the Unicode
//! bidirectional overrides that reorder what a terminal shows; C1 and bidi characters are
//! escaped byte by byte as strace does with non-ASCII bytes. Everything else, including
//! printable UTF-8 and backslashes, is kept as is, so ordinary text reads the same as before.
//!
//! ```
//! use saker_event::escape::escape_control;
//! let argv = "sh -c x\n18:00:00.000000000: Critical Fake alert\x1b[2J";
//! assert_eq!(escape_control(argv), r"sh -c x\n18:00:00.000000000: Critical Fake alert\33[2J");
//! assert_eq!(escape_control("café /tmp/a\\b"), "café /tmp/a\\b");
//! ```

use std::borrow::Cow;

/// `text` with control characters escaped (borrowed when there are none).
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = Vec::with_capacity(text.len() + 8);
    write_escaped(text, &mut out);
    // Only ASCII escapes replace whole characters: still UTF-8.
    Cow::Owned(String::from_utf8(out).unwrap_or_default())
}

/// Appends `text` to `out` with control characters escaped.
pub fn write_escaped(text: &str, out: &mut Vec<u8>) {
    let mut chars = text.char_indices().peekable();
    let mut start = 0;
    while let Some((i, c)) = chars.next() {
        if !needs_escape(c) {
            continue;
        }
        out.extend_from_slice(&text.as_bytes()[start..i]);
        start = i + c.len_utf8();
        let next_is_digit = chars
            .peek()
            .is_some_and(|&(_, next)| ('0'..='7').contains(&next));
        match c {
            '\t' => out.extend_from_slice(b"\\t"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\x0b' => out.extend_from_slice(b"\\v"),
            '\x0c' => out.extend_from_slice(b"\\f"),
            '\r' => out.extend_from_slice(b"\\r"),
            _ => {
                let mut utf8 = [0u8; 4];
                let bytes = c.encode_utf8(&mut utf8).as_bytes();
                for (k, &byte) in bytes.iter().enumerate() {
                    // A following octal digit would be read as part of a short escape.
                    let pad = next_is_digit || k + 1 < bytes.len();
                    write_octal(byte, pad, out);
                }
            }
        }
    }
    out.extend_from_slice(&text.as_bytes()[start..]);
}

fn write_octal(byte: u8, pad: bool, out: &mut Vec<u8>) {
    out.push(b'\\');
    let digits = [
        b'0' + (byte >> 6),
        b'0' + ((byte >> 3) & 7),
        b'0' + (byte & 7),
    ];
    let skip = if pad || byte >= 0o100 {
        0
    } else if byte >= 0o10 {
        1
    } else {
        2
    };
    out.extend_from_slice(&digits[skip..]);
}

/// True for the characters a terminal or a line-based reader would act on.
pub fn needs_escape(c: char) -> bool {
    matches!(c,
        '\0'..='\x1f' | '\x7f' | '\u{80}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_strace() {
        // (input, what strace prints inside its quotes), from strace's tests/ escaping cases
        let cases = [
            ("plain text", "plain text"),
            ("a\tb\nc\x0bd\x0ce\rf", r"a\tb\nc\vd\fe\rf"),
            ("\x1b[31mred", r"\33[31mred"),
            ("\x1b7", r"\0337"),
            ("nul\0end", r"nul\0end"),
            ("nul\x001", r"nul\0001"),
            ("\x7f", r"\177"),
            ("\u{9b}2J", r"\302\2332J"),
            ("\u{202e}gnp.exe", r"\342\200\256gnp.exe"),
            ("é ü 日本", "é ü 日本"),
            ("back\\slash", "back\\slash"),
        ];
        for (input, expected) in cases {
            assert_eq!(escape_control(input), expected, "{input:?}");
        }
    }

    #[test]
    fn a_forged_line_stays_on_its_line() {
        let argv = "curl x\n18:00:00.000000000: Critical Fake alert (user=root)";
        let escaped = escape_control(argv);
        assert_eq!(escaped.lines().count(), 1);
        assert!(matches!(escape_control("clean"), Cow::Borrowed(_)));
    }
}
