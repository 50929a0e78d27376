//! Prints a syntax tree back to condition text, such that `parse(print(e))` equals `e` up to
//! spans.

use crate::ast::{Check, Expr, ExprKind, FieldExpr, FieldRef, Rhs};
use crate::parse::{is_bare_arg_byte, is_bare_value_byte};

/// Condition text for `expr`.
pub fn print(expr: &Expr) -> String {
    let mut out = String::new();
    print_expr(expr, &mut out);
    out
}

fn print_expr(expr: &Expr, out: &mut String) {
    match &expr.kind {
        ExprKind::And(children) | ExprKind::Or(children) => {
            let sep = if matches!(expr.kind, ExprKind::And(_)) {
                " and "
            } else {
                " or "
            };
            for (i, child) in children.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                print_grouped(child, out);
            }
        }
        ExprKind::Not(inner) => {
            out.push_str("not ");
            print_grouped(inner, out);
        }
        ExprKind::Macro(name) => out.push_str(name),
        ExprKind::Check(check) => print_check(check, out),
    }
}

/// Children that are themselves and/or/not lists keep their grouping with parentheses
/// (`not not x` would parse as `x`).
fn print_grouped(expr: &Expr, out: &mut String) {
    if matches!(
        expr.kind,
        ExprKind::And(_) | ExprKind::Or(_) | ExprKind::Not(_)
    ) {
        out.push('(');
        print_expr(expr, out);
        out.push(')');
    } else {
        print_expr(expr, out);
    }
}

fn print_check(check: &Check, out: &mut String) {
    print_field_expr(&check.lhs, out);
    out.push(' ');
    out.push_str(check.op.as_str());
    if let Some(m) = check.modifier {
        out.push(' ');
        out.push_str(m.as_str());
    }
    match &check.rhs {
        Rhs::None => {}
        Rhs::Value(v) => {
            out.push(' ');
            if check.op.is_ordering() {
                // Numbers are printed as written (the parser only accepts numbers here).
                out.push_str(&v.text);
            } else {
                out.push_str(&value_text(&v.text));
            }
        }
        Rhs::List(values, _) => {
            out.push_str(" (");
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&value_text(&v.text));
            }
            out.push(')');
        }
        Rhs::ListName(name, _) => {
            out.push(' ');
            out.push_str(name);
        }
        Rhs::Field(field) => {
            out.push(' ');
            if field.transformers.is_empty() {
                out.push_str("val(");
                print_field_ref(&field.field, out);
                out.push(')');
            } else {
                print_field_expr(field, out);
            }
        }
    }
}

fn print_field_expr(field: &FieldExpr, out: &mut String) {
    for t in &field.transformers {
        out.push_str(t.as_str());
        out.push('(');
    }
    print_field_ref(&field.field, out);
    for _ in &field.transformers {
        out.push(')');
    }
}

fn print_field_ref(field: &FieldRef, out: &mut String) {
    out.push_str(&field.name);
    if let Some(arg) = &field.arg {
        out.push('[');
        if !arg.is_empty() && arg.bytes().all(is_bare_arg_byte) {
            out.push_str(arg);
        } else {
            out.push_str(&quote(arg));
        }
        out.push(']');
    }
}

/// A value as it must be written: bare when the grammar allows, quoted otherwise.
pub(crate) fn value_text(text: &str) -> String {
    let bare_ok = !text.is_empty()
        && text.bytes().all(is_bare_value_byte)
        && !text.starts_with("val(")
        && !crate::ast::Transformer::ALL
            .iter()
            .any(|t| text.starts_with(t.as_str()) && text[t.as_str().len()..].starts_with('('));
    if bare_ok {
        text.to_string()
    } else {
        quote(text)
    }
}

/// Double-quotes `text` with libsinsp's escapes.
pub(crate) fn quote(text: &str) -> String {
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
