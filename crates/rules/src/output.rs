//! Output formats: literal text with `%field`, `%field[arg]`, `%tolower(field)`,
//! `%20field` (padded or cut to 20 characters) tokens, read as libsinsp's event formatter
//! reads them (`eventformatter.cpp`), plus Saker's `%(field)`.

use crate::ast::{self, Span};
use crate::check::ErrorKind;
use crate::filter::Operand;
use crate::ruleset::{OutputField, OutputSegment};
use crate::source::Source;

/// Splits an output format into text and resolved fields; `Err` names the first bad token.
///
/// ```
/// use saker_rules::{parse_output, OutputSegment};
/// let parts = parse_output("user=%user.name cmd=%proc.cmdline %proc.aname[2]").unwrap();
/// assert_eq!(parts.len(), 6);
/// assert!(matches!(&parts[0], OutputSegment::Text(t) if t == "user="));
/// assert!(parse_output("%proc.nosuch").is_err());
/// assert!(parse_output("50%").is_err());
/// ```
pub fn parse_output(format: &str) -> Result<Vec<OutputSegment>, String> {
    parse_output_spans(format, None).map_err(|e| e.message)
}

/// Why an output format does not compile.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct OutputError {
    pub span: Span,
    pub message: String,
    /// The token names a field that does not exist (`skip-if-unknown-filter` applies).
    pub unknown_field: bool,
}

/// How many shorter prefixes of a token are tried when the longest one fails (libsinsp tries
/// them all, one character less at a time: `%proc.namex` is `%proc.name` then `x`).
const MAX_TOKEN_RETRIES: usize = 256;

/// Like [`parse_output`], for a rule of `source`, with the byte range of the bad token.
pub(crate) fn parse_output_spans(
    format: &str,
    source: Option<Source>,
) -> Result<Vec<OutputSegment>, OutputError> {
    // A leading `*` asks for <NA> where values are missing, which is what Saker always does.
    let (format, base) = match format.strip_prefix('*') {
        Some(rest) => (rest, 1),
        None => (format, 0),
    };
    let bytes = format.as_bytes();
    let mut out = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    let fail = |start: usize, end: usize, message: String, unknown_field: bool| OutputError {
        span: Span::new(base + start, base + end),
        message,
        unknown_field,
    };
    while i < bytes.len() {
        if bytes[i] != b'%' {
            let next = format[i..].find('%').map_or(format.len(), |n| i + n);
            text.push_str(&format[i..next]);
            i = next;
            continue;
        }
        let start = i;
        if i + 1 == bytes.len() {
            return Err(fail(
                start,
                i + 1,
                "invalid formatting syntax: formatting cannot end with a %".into(),
                false,
            ));
        }
        let mut j = i + 1;
        while bytes.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        let width = if j > i + 1 {
            if j == bytes.len() {
                return Err(fail(
                    start,
                    j,
                    "invalid formatting syntax: formatting cannot end with a number".into(),
                    false,
                ));
            }
            format[i + 1..j].parse::<u32>().unwrap_or(u32::MAX)
        } else {
            0
        };
        let (operand, key, end) = if bytes.get(j) == Some(&b'(') {
            // Saker's `%(field)`.
            match token(&format[j + 1..], source) {
                Ok((operand, key, used)) if format[j + 1 + used..].starts_with(')') => {
                    (operand, key, j + 2 + used)
                }
                Ok(_) => {
                    return Err(fail(
                        start,
                        j + 1,
                        "missing ')' after an output field".into(),
                        false,
                    ));
                }
                Err((message, unknown)) => return Err(fail(start, format.len(), message, unknown)),
            }
        } else {
            match token(&format[j..], source) {
                Ok((operand, key, used)) => (operand, key, j + used),
                Err((message, unknown)) => {
                    let end = format[j..]
                        .find(|c: char| c.is_whitespace())
                        .map_or(format.len(), |n| j + n);
                    return Err(fail(start, end, message, unknown));
                }
            }
        };
        if !text.is_empty() {
            out.push(OutputSegment::Text(std::mem::take(&mut text)));
        }
        out.push(OutputSegment::Field(OutputField {
            operand,
            key,
            width,
        }));
        i = end;
    }
    if !text.is_empty() {
        out.push(OutputSegment::Text(text));
    }
    Ok(out)
}

/// The longest field or transformer at the start of `rest` that compiles, with its key in
/// `output_fields` and the bytes it used.
fn token(rest: &str, source: Option<Source>) -> Result<(Operand, String, usize), (String, bool)> {
    let mut first_error: Option<(String, bool)> = None;
    let mut limit = rest.len();
    for _ in 0..MAX_TOKEN_RETRIES {
        match crate::parse::parse_operand_prefix(&rest[..limit]) {
            Ok((operand, used)) => match check(&operand, source) {
                Ok(checked) => return Ok((checked, key(&operand), used)),
                Err(e) => {
                    first_error.get_or_insert(e);
                    limit = used;
                }
            },
            Err(e) => {
                // Shorter prefixes that still reach the error fail the same way.
                limit = limit.min(e.span.start as usize + 1);
                first_error.get_or_insert((e.message, false));
            }
        }
        // One character less, as libsinsp retries.
        while !rest.is_char_boundary(limit) {
            limit -= 1;
        }
        limit = match rest[..limit].char_indices().next_back() {
            Some((at, _)) if at > 0 => at,
            _ => break,
        };
    }
    Err(first_error.unwrap_or_else(|| ("empty formatting token".into(), false)))
}

fn check(operand: &ast::Operand, source: Option<Source>) -> Result<Operand, (String, bool)> {
    let checked = crate::check::check_output_operand(operand, source)
        .map_err(|(kind, message)| (message, kind == ErrorKind::UnknownField))?;
    let mut filter_only = None;
    checked.for_each_operand(&mut |o| {
        if let Some((id, _)) = o.as_field()
            && id.info().filter_only
        {
            filter_only.get_or_insert(id.name());
        }
    });
    match filter_only {
        Some(name) => Err((
            format!("{name} is filter only and cannot be used as a display field"),
            false,
        )),
        None => Ok(checked),
    }
}

/// The name of a token in `output_fields`: the field as written (`proc.aname[2]`), or the
/// transformer expression (`toupper(proc.name)`).
fn key(operand: &ast::Operand) -> String {
    let expr = ast::Expr {
        kind: ast::ExprKind::Check(Box::new(ast::Check {
            lhs: operand.clone(),
            op: ast::CmpOp::Exists,
            double_eq: false,
            modifier: None,
            rhs: ast::Rhs::None,
        })),
        span: Span::default(),
    };
    let printed = crate::print::print(&expr);
    printed
        .strip_suffix(" exists")
        .unwrap_or(&printed)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(format: &str) -> Vec<String> {
        parse_output(format)
            .unwrap()
            .into_iter()
            .map(|s| match s {
                OutputSegment::Text(t) => format!("text:{t}"),
                OutputSegment::Field(f) => format!("{}/{}", f.key, f.width),
            })
            .collect()
    }

    #[test]
    fn tokens_as_libsinsp_reads_them() {
        assert_eq!(
            keys("a=%proc.name. b=%10fd.name %toupper(proc.name)"),
            [
                "text:a=",
                "proc.name/0",
                "text:. b=",
                "fd.name/10",
                "text: ",
                "toupper(proc.name)/0"
            ]
        );
        // The longest prefix that is a field wins.
        assert_eq!(keys("%proc.namex"), ["proc.name/0", "text:x"]);
        assert_eq!(keys("%(proc.name)x"), ["proc.name/0", "text:x"]);
        assert_eq!(keys("*%proc.name"), ["proc.name/0"]);
    }

    #[test]
    fn bad_tokens() {
        for format in ["50%", "%foo bar", "%proc.nosuch", "%12", "%fd.ip", "% x"] {
            assert!(parse_output(format).is_err(), "{format}");
        }
    }
}
