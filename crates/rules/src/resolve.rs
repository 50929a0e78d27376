//! A condition as Falco compiles it: macros replaced by their conditions and list names by
//! their items, before type checking. `saker rules describe` prints it as Falco's
//! `condition_compiled`.

use crate::ast::{Expr, ExprKind, Rhs, Span, Value};
use crate::check::{Scope, list_item};

/// `expr` with every macro reference replaced by the macro's (resolved) condition and every
/// list name by the list's items. The condition must have checked without errors (so macro
/// references resolve, without loops, and expansion is bounded).
pub(crate) fn resolve(expr: &Expr, scope: &Scope<'_>) -> Expr {
    let mut out = expr.clone();
    substitute(&mut out, scope, u32::MAX, 0);
    out
}

/// Deeper than this, references are left as they are (the checker bounds expansions far
/// below this; the bound only guards against a loop it missed).
const MAX_DEPTH: usize = 1000;

fn substitute(expr: &mut Expr, scope: &Scope<'_>, visibility: u32, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match &mut expr.kind {
        ExprKind::And(children) | ExprKind::Or(children) => children
            .iter_mut()
            .for_each(|c| substitute(c, scope, visibility, depth + 1)),
        ExprKind::Not(inner) => substitute(inner, scope, visibility, depth + 1),
        ExprKind::Macro(name) => {
            if let Some(m) = scope
                .macros
                .get(name.as_str())
                .filter(|m| m.index < visibility)
                && let Ok(body) = &m.body
            {
                let mut body = body.clone();
                substitute(&mut body, scope, m.visibility, depth + 1);
                *expr = body;
            }
        }
        ExprKind::Check(check) => match &mut check.rhs {
            Rhs::List(values, _) => {
                let mut out = Vec::with_capacity(values.len());
                for v in values.drain(..) {
                    match scope.lists.get(&v.text) {
                        Some(items) => out.extend(items.iter().map(|i| Value {
                            text: list_item(i).into_owned(),
                            span: v.span,
                        })),
                        None => out.push(v),
                    }
                }
                *values = out;
            }
            Rhs::ListName(name, span) => {
                if let Some(items) = scope.lists.get(name.as_str()) {
                    let values = items
                        .iter()
                        .map(|i| Value {
                            text: list_item(i).into_owned(),
                            span: *span,
                        })
                        .collect();
                    check.rhs = Rhs::List(values, *span);
                }
            }
            _ => {}
        },
    }
}

/// What a name in a condition refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Name {
    Macro,
    /// A list name, or a value that may be one.
    List,
}

/// Calls `f` for every macro reference and every value that could name a list, with where
/// it is in the condition.
pub(crate) fn visit_names(expr: &Expr, f: &mut impl FnMut(Name, &str, Span)) {
    match &expr.kind {
        ExprKind::And(children) | ExprKind::Or(children) => {
            children.iter().for_each(|c| visit_names(c, f))
        }
        ExprKind::Not(inner) => visit_names(inner, f),
        ExprKind::Macro(name) => f(Name::Macro, name, expr.span),
        ExprKind::Check(check) => match &check.rhs {
            Rhs::List(values, _) => values.iter().for_each(|v| f(Name::List, &v.text, v.span)),
            Rhs::ListName(name, span) => f(Name::List, name, *span),
            _ => {}
        },
    }
}
