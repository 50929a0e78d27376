//! Output formats: `%field`, `%field[arg]`, `%(field)` tokens in literal text.

use crate::ast::{FieldExpr, FieldRef, Span};
use crate::ruleset::OutputSegment;

/// Splits an output format into text and resolved fields; `Err` names the first bad field.
///
/// ```
/// use saker_rules::{parse_output, OutputSegment};
/// let parts = parse_output("user=%user.name cmd=%proc.cmdline %proc.aname[2]").unwrap();
/// assert_eq!(parts.len(), 6);
/// assert!(matches!(&parts[0], OutputSegment::Text(t) if t == "user="));
/// assert!(parse_output("%proc.nosuch").is_err());
/// ```
pub fn parse_output(format: &str) -> Result<Vec<OutputSegment>, String> {
    parse_output_spans(format, None).map_err(|(_, msg)| msg)
}

/// Like [`parse_output`], with the byte range of the first bad field.
pub(crate) fn parse_output_spans(
    format: &str,
    source: Option<crate::source::Source>,
) -> Result<Vec<OutputSegment>, (Span, String)> {
    let bytes = format.as_bytes();
    let mut out = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            let next = format[i..].find('%').map_or(format.len(), |n| i + n);
            text.push_str(&format[i..next]);
            i = next;
            continue;
        }
        let start = i;
        let (name_start, parens) = if bytes.get(i + 1) == Some(&b'(') {
            (i + 2, true)
        } else {
            (i + 1, false)
        };
        let mut j = name_start;
        while j < bytes.len()
            && (bytes[j].is_ascii_alphanumeric() || matches!(bytes[j], b'.' | b'_'))
        {
            j += 1;
        }
        // A trailing dot ends a sentence, not a field name.
        while j > name_start && bytes[j - 1] == b'.' {
            j -= 1;
        }
        let name = &format[name_start..j];
        if name.is_empty() || !name.contains('.') {
            // A literal percent sign.
            text.push('%');
            i += 1;
            continue;
        }
        let mut arg = None;
        if bytes.get(j) == Some(&b'[') {
            match format[j..].find(']') {
                Some(close) => {
                    arg = Some(format[j + 1..j + close].to_string());
                    j += close + 1;
                }
                None => {
                    return Err((
                        Span::new(start, format.len()),
                        format!("unterminated '[' in output field '{name}'"),
                    ));
                }
            }
        }
        if parens {
            if bytes.get(j) != Some(&b')') {
                return Err((
                    Span::new(start, j),
                    format!("missing ')' after output field '{name}'"),
                ));
            }
            j += 1;
        }
        let span = Span::new(start, j);
        let field = FieldExpr {
            transformers: Vec::new(),
            field: FieldRef {
                name: name.to_string(),
                arg,
                span,
            },
            span,
        };
        let operand =
            crate::check::check_output_field(&field, source).map_err(|msg| (span, msg))?;
        if !text.is_empty() {
            out.push(OutputSegment::Text(std::mem::take(&mut text)));
        }
        out.push(OutputSegment::Field(operand));
        i = j;
    }
    if !text.is_empty() {
        out.push(OutputSegment::Text(text));
    }
    Ok(out)
}
