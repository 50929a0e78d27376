//! Prints a syntax tree back to condition text.
//!
//! [`Style::Falco`] is libsinsp's `ast::as_string` (what Falco shows as a rule's compiled
//! condition): every `and`/`or` in parentheses, values escaped with `escape_str`, transformer
//! arguments joined by `,`. That text does not always parse back (a value with a comma, an
//! empty string, a bare string as a transformer argument), so [`Style::Parseable`] quotes
//! wherever the grammar needs it and groups a negated negation, such that
//! `parse(print_with(e, Parseable))` equals `e` up to spans.

use crate::ast::{Check, Expr, ExprKind, FieldRef, Operand, Rhs, TransformArg, Transformer};
use crate::parse::{is_bare_arg_byte, is_bare_value_byte};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Falco,
    Parseable,
}

/// Condition text for `expr`, as libsinsp prints it.
pub fn print(expr: &Expr) -> String {
    print_with(expr, Style::Falco)
}

/// Condition text for `expr` in the given style.
pub fn print_with(expr: &Expr, style: Style) -> String {
    let mut out = String::new();
    Printer {
        style,
        out: &mut out,
    }
    .expr(expr);
    out
}

struct Printer<'o> {
    style: Style,
    out: &'o mut String,
}

impl Printer<'_> {
    fn expr(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::And(children) | ExprKind::Or(children) => {
                let sep = if matches!(expr.kind, ExprKind::And(_)) {
                    " and "
                } else {
                    " or "
                };
                self.out.push('(');
                for (i, child) in children.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(sep);
                    }
                    self.expr(child);
                }
                self.out.push(')');
            }
            ExprKind::Not(inner) => {
                self.out.push_str("not ");
                // `not not x` parses as `x`: keep the inner negation grouped.
                if self.style == Style::Parseable && matches!(inner.kind, ExprKind::Not(_)) {
                    self.out.push('(');
                    self.expr(inner);
                    self.out.push(')');
                } else {
                    self.expr(inner);
                }
            }
            // A macro named `not` (libsinsp takes `not` as the keyword only before a space)
            // would read back as a negation: grouped, it stays a name.
            ExprKind::Macro(name) if self.style == Style::Parseable && name == "not" => {
                self.out.push_str("(not)");
            }
            ExprKind::Macro(name) => self.out.push_str(name),
            ExprKind::Check(check) => self.check(check),
        }
    }

    fn check(&mut self, check: &Check) {
        self.operand(&check.lhs);
        self.out.push(' ');
        self.out.push_str(if check.double_eq {
            "=="
        } else {
            check.op.as_str()
        });
        if let Some(m) = check.modifier {
            self.out.push(' ');
            self.out.push_str(m.as_str());
        }
        match &check.rhs {
            Rhs::None => {}
            Rhs::Value(v) => {
                self.out.push(' ');
                if check.op.is_ordering() {
                    // The parser only accepts numbers here; they print as written.
                    self.out.push_str(&v.text);
                } else {
                    self.value(&v.text);
                }
            }
            Rhs::List(values, _) => {
                self.out.push_str(" (");
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.value(&v.text);
                }
                self.out.push(')');
            }
            Rhs::ListName(name, _) => {
                self.out.push(' ');
                self.out.push_str(name);
            }
            Rhs::Operand(operand) => {
                self.out.push(' ');
                self.operand(operand);
            }
        }
    }

    fn operand(&mut self, operand: &Operand) {
        match operand {
            Operand::Field(field) => self.field(field),
            Operand::Transform(t) => {
                self.out.push_str(t.transformer.as_str());
                self.out.push('(');
                for (i, arg) in t.args.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.transform_arg(arg);
                }
                self.out.push(')');
                self.field_arg(t.arg.as_deref());
            }
        }
    }

    fn transform_arg(&mut self, arg: &TransformArg) {
        match arg {
            TransformArg::Operand(operand) => self.operand(operand),
            TransformArg::Value(v) => match self.style {
                Style::Falco => self.out.push_str(&escape_str(&v.text)),
                // Transformer arguments are quoted strings or numbers.
                Style::Parseable if is_number(&v.text) => self.out.push_str(&v.text),
                Style::Parseable => self.out.push_str(&quote(&v.text)),
            },
            TransformArg::List(items, _) => {
                self.out.push('(');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.transform_arg(item);
                }
                self.out.push(')');
            }
        }
    }

    fn field(&mut self, field: &FieldRef) {
        self.out.push_str(&field.name);
        self.field_arg(field.arg.as_deref());
    }

    fn field_arg(&mut self, arg: Option<&str>) {
        let Some(arg) = arg else { return };
        self.out.push('[');
        match self.style {
            Style::Falco if arg.is_empty() => self.out.push_str("\"\""),
            Style::Falco => self.out.push_str(&escape_str(arg)),
            Style::Parseable if !arg.is_empty() && arg.bytes().all(is_bare_arg_byte) => {
                self.out.push_str(arg)
            }
            Style::Parseable => self.out.push_str(&quote(arg)),
        }
        self.out.push(']');
    }

    fn value(&mut self, text: &str) {
        match self.style {
            Style::Falco => self.out.push_str(&escape_str(text)),
            Style::Parseable => self.out.push_str(&value_text(text)),
        }
    }
}

fn is_number(text: &str) -> bool {
    crate::parse::number_len(text.as_bytes()) == Some(text.len())
}

/// libsinsp's `escape_str`: the value in double quotes when it contains a blank, `=`, a
/// quote or a backslash, with `\\`, `\"` and the control escapes; otherwise as is.
pub fn escape_str(text: &str) -> String {
    let needs_quotes = text.bytes().any(|b| {
        matches!(
            b,
            0x08 | 0x0c | b'\n' | b'\r' | b'\t' | b' ' | b'=' | b'\\' | b'"' | b'\''
        )
    });
    if needs_quotes {
        escaped(text)
    } else {
        text.to_string()
    }
}

/// Decodes a quoted string as the filter parser does (`"a \"b\""` -> `a "b"`); the text must
/// include its quotes. libsinsp's `unescape_str`.
pub fn unescape_str(quoted: &str) -> Result<String, String> {
    let bytes = quoted.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&d @ (b'"' | b'\'')), Some(&e)) if e == d && bytes.len() >= 2 => {
            crate::parse::unescape(&quoted[1..quoted.len() - 1], d)
        }
        _ => Err("a quoted string must start and end with the same quote".into()),
    }
}

/// A value as it must be written to parse back: bare when the grammar allows, quoted
/// otherwise.
pub(crate) fn value_text(text: &str) -> String {
    // Control characters are quoted: a backspace may sit in a bare value, but the lexer takes
    // it for a blank in places (at the start, after a word it knows), which fuzzing found.
    let bare_ok = !text.is_empty()
        && text.bytes().all(is_bare_value_byte)
        && !text.bytes().any(|b| b.is_ascii_control())
        && !text.starts_with("val(")
        && !Transformer::ALL
            .iter()
            .any(|t| text.starts_with(t.as_str()) && text[t.as_str().len()..].starts_with('('));
    if bare_ok {
        text.to_string()
    } else {
        quote(text)
    }
}

/// Double-quotes `text` so that the parser reads it back: libsinsp's escapes, except that a
/// final backslash is written `\ ` (which the parser reads as a backslash): written `\\`,
/// it would make the closing quote look escaped to libsinsp's lexer.
pub(crate) fn quote(text: &str) -> String {
    let mut out = escaped(text);
    if text.ends_with('\\') {
        out.truncate(out.len() - r#"\\""#.len());
        out.push_str(r#"\ ""#);
    }
    out
}

/// `text` in double quotes with libsinsp's escapes (`escape_str`).
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
