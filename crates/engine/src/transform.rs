//! Field transformers: `tolower`, `toupper`, `b64` (decode), `basename`, `len`.

use std::borrow::Cow;

use saker_rules::ast::Transformer;

use crate::value::Value;

/// Applies `transformers` (outermost first, as written) to `value`, innermost first. A value
/// a transformer cannot handle (`b64` of text that is not base64) becomes missing.
pub(crate) fn apply_transformers<'a>(
    transformers: &[Transformer],
    mut value: Value<'a>,
) -> Option<Value<'a>> {
    for transformer in transformers.iter().rev() {
        value = apply(*transformer, value)?;
    }
    Some(value)
}

fn apply(transformer: Transformer, value: Value<'_>) -> Option<Value<'_>> {
    if let Value::List(items) = &value {
        if transformer == Transformer::Len {
            return Some(Value::UInt(items.len() as u64));
        }
        let mapped: Option<Vec<Value<'static>>> = items
            .iter()
            .map(|item| apply(transformer, item.clone()).map(Value::into_owned))
            .collect();
        return Some(Value::List(Cow::Owned(mapped?)));
    }
    Some(match transformer {
        Transformer::Tolower => Value::Str(Cow::Owned(text(&value).to_lowercase())),
        Transformer::Toupper => Value::Str(Cow::Owned(text(&value).to_uppercase())),
        Transformer::Basename => {
            let text = text(&value);
            let base = text.rsplit('/').next().unwrap_or("");
            Value::Str(Cow::Owned(base.to_string()))
        }
        Transformer::Len => Value::UInt(match &value {
            Value::Bytes(b) => b.len(),
            other => text(other).len(),
        } as u64),
        Transformer::B64 => {
            let decoded = match &value {
                Value::Bytes(b) => decode_base64(b)?,
                other => decode_base64(text(other).as_bytes())?,
            };
            match String::from_utf8(decoded) {
                Ok(s) => Value::Str(Cow::Owned(s)),
                Err(e) => Value::Bytes(Cow::Owned(e.into_bytes())),
            }
        }
    })
}

fn text<'v>(value: &'v Value<'_>) -> Cow<'v, str> {
    match value {
        Value::Str(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_string()),
    }
}

/// Standard base64 (RFC 4648) with optional padding; `None` on any other character.
pub(crate) fn decode_base64(input: &[u8]) -> Option<Vec<u8>> {
    fn sextet(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let trimmed = input
        .strip_suffix(b"==")
        .or_else(|| input.strip_suffix(b"="));
    let body = trimmed.unwrap_or(input);
    if body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.chunks(4) {
        let mut acc = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            acc |= sextet(*c)? << (18 - 6 * i);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Transformer::*;

    fn run(transformers: &[Transformer], input: Value<'static>) -> Option<Value<'static>> {
        apply_transformers(transformers, input).map(Value::into_owned)
    }

    #[test]
    fn transformers() {
        let cases: [(&[Transformer], Value<'static>, Option<Value<'static>>); 8] = [
            (&[Tolower], Value::str("BaSh"), Some(Value::str("bash"))),
            (&[Toupper], Value::str("bash"), Some(Value::str("BASH"))),
            (
                &[Basename],
                Value::str("/usr/bin/vim"),
                Some(Value::str("vim")),
            ),
            (&[Len], Value::str("abcd"), Some(Value::UInt(4))),
            (&[B64], Value::str("aGVsbG8="), Some(Value::str("hello"))),
            (&[B64], Value::str("not base64!"), None),
            // Outermost first: toupper(basename(x)).
            (
                &[Toupper, Basename],
                Value::str("/bin/sh"),
                Some(Value::str("SH")),
            ),
            (
                &[Len],
                Value::List(Cow::Owned(vec![Value::str("a"), Value::str("b")])),
                Some(Value::UInt(2)),
            ),
        ];
        for (transformers, input, expect) in cases {
            assert_eq!(run(transformers, input.clone()), expect, "{input:?}");
        }
    }

    #[test]
    fn base64() {
        for (text, expect) in [
            ("", Some("")),
            ("YQ", Some("a")),
            ("YWI=", Some("ab")),
            ("YWJj", Some("abc")),
            ("Y", None),
        ] {
            assert_eq!(
                decode_base64(text.as_bytes()),
                expect.map(|e| e.as_bytes().to_vec()),
                "{text}"
            );
        }
    }
}
