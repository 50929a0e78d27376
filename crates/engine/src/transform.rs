//! Field transformers: `tolower`, `toupper`, `b64` (decode), `basename`, `len` on one value,
//! and `join`, `concat`, `getopt` over several (libs 0.25).

use std::borrow::Cow;

use saker_rules::ast::Transformer;

use crate::compile::Input;
use crate::event::Event;
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
        // C's `tolower`/`toupper` in the C locale: ASCII letters only.
        Transformer::Tolower => Value::Str(Cow::Owned(text(&value).to_ascii_lowercase())),
        Transformer::Toupper => Value::Str(Cow::Owned(text(&value).to_ascii_uppercase())),
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
        // Multi-value transformers are inputs, not chained transformers.
        Transformer::Join | Transformer::Concat | Transformer::Getopt | Transformer::Val => {
            return None;
        }
    })
}

/// The value of a literal, a transformer list or a multi-value transformer on `event`.
pub(crate) fn multivalue<'e, E: Event + ?Sized>(input: &Input, event: &'e E) -> Option<Value<'e>> {
    match input {
        Input::Field(field) => event.value(field),
        Input::Literal(text) => Some(Value::Str(Cow::Owned(text.to_string()))),
        Input::List(items) => {
            let values = items
                .iter()
                .map(|i| i.fetch(event))
                .collect::<Option<Vec<_>>>()?;
            Some(list_of(values))
        }
        Input::Join(sep, list) => Some(join(&sep.fetch(event)?, &list.fetch(event)?)),
        Input::Concat(items) => {
            let values = items
                .iter()
                .map(|i| i.fetch(event))
                .collect::<Option<Vec<_>>>()?;
            Some(concat(&values))
        }
        Input::Getopt {
            args,
            optstring,
            select,
        } => getopt(&args.fetch(event)?, &optstring.fetch(event)?, *select),
    }
}

/// A transformer list: each item's text, lists flattened.
pub(crate) fn list_of(items: Vec<Value<'_>>) -> Value<'static> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::List(inner) => {
                out.extend(inner.iter().map(|v| Value::Str(Cow::Owned(v.to_string()))))
            }
            other => out.push(Value::Str(Cow::Owned(other.to_string()))),
        }
    }
    Value::List(Cow::Owned(out))
}

/// `join(sep, list)`.
pub(crate) fn join(sep: &Value<'_>, list: &Value<'_>) -> Value<'static> {
    Value::Str(Cow::Owned(texts(list).join(&first_text(sep))))
}

/// `concat(a, b, ...)`.
pub(crate) fn concat(items: &[Value<'_>]) -> Value<'static> {
    Value::Str(Cow::Owned(items.iter().map(first_text).collect()))
}

/// The text of each element (one element for a single value).
fn texts(value: &Value<'_>) -> Vec<String> {
    match value {
        Value::List(items) => items.iter().map(|v| v.to_string()).collect(),
        other => vec![other.to_string()],
    }
}

fn first_text(value: &Value<'_>) -> String {
    match value {
        Value::List(items) => items.first().map(|v| v.to_string()).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// libsinsp's `getopt` transformer: reads `args` as getopt(3) reads argv (stops at `--` and at
/// the first operand, skips long options, expands `-abc`), giving each option and its value,
/// `?` for an unknown option; with `select`, the last value of that option (missing if absent).
pub(crate) fn getopt(
    args: &Value<'_>,
    optstring: &Value<'_>,
    select: Option<char>,
) -> Option<Value<'static>> {
    let args = texts(args);
    let optstring = first_text(optstring);
    let opts = optstring.as_bytes();
    let colon_first = opts.first() == Some(&b':');
    let spec = |c: u8| -> Option<bool> {
        let mut i = usize::from(colon_first);
        while i < opts.len() {
            if opts[i] == b':' {
                i += 1;
                continue;
            }
            let takes_arg = opts.get(i + 1) == Some(&b':');
            if opts[i] == c {
                return Some(takes_arg);
            }
            i += if takes_arg { 2 } else { 1 };
        }
        None
    };
    let selector = select.map(|c| c as u32 as u8);
    let mut results: Vec<String> = Vec::new();
    let mut selected: Option<String> = None;
    let mut idx = 0;
    while idx < args.len() {
        let arg = args[idx].as_bytes();
        if arg == b"--" {
            break;
        }
        if arg.len() > 2 && arg.starts_with(b"--") {
            idx += 1;
            continue;
        }
        if arg.len() < 2 || arg[0] != b'-' {
            break;
        }
        let mut i = 1;
        while i < arg.len() {
            let opt = arg[i];
            let Some(takes_arg) = spec(opt).filter(|_| opt != b':') else {
                if selector.is_none() {
                    results.push("?".into());
                }
                i += 1;
                continue;
            };
            let name = String::from_utf8_lossy(&arg[i..i + 1]).into_owned();
            let matches = selector.is_none_or(|s| s == opt);
            if !takes_arg {
                if matches {
                    match selector {
                        Some(_) => selected = Some(name),
                        None => results.push(name),
                    }
                }
                i += 1;
                continue;
            }
            // The value: the rest of this token, or the next token.
            let value = if i + 1 < arg.len() {
                Some(String::from_utf8_lossy(&arg[i + 1..]).into_owned())
            } else if idx + 1 < args.len() {
                idx += 1;
                Some(args[idx].clone())
            } else {
                None
            };
            if matches {
                match (selector, value) {
                    (Some(_), value) => selected = Some(value.unwrap_or_default()),
                    (None, Some(value)) => {
                        results.push(name);
                        results.push(value);
                    }
                    (None, None) => results.push(String::new()),
                }
            }
            break;
        }
        idx += 1;
    }
    match selector {
        Some(_) => selected.map(|s| Value::Str(Cow::Owned(s))),
        None => Some(Value::List(Cow::Owned(
            results
                .into_iter()
                .map(|s| Value::Str(Cow::Owned(s)))
                .collect(),
        ))),
    }
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
