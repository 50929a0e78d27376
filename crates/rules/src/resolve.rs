//! A condition as Falco compiles it: macros replaced by their conditions (list names were
//! already replaced in the text), before type checking. `saker rules describe` prints it as
//! Falco's `condition_compiled`.

use crate::ast::{Expr, ExprKind, Span};
use crate::check::Scope;

/// `expr` with every macro reference replaced by the macro's (resolved) condition. The
/// condition must have checked without errors (so macro references resolve, without loops,
/// and expansion is bounded).
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
        ExprKind::Check(_) => {}
    }
}

/// Calls `f` for every macro reference, with where it is in the condition.
pub(crate) fn visit_macros(expr: &Expr, f: &mut impl FnMut(&str, Span)) {
    match &expr.kind {
        ExprKind::And(children) | ExprKind::Or(children) => {
            children.iter().for_each(|c| visit_macros(c, f))
        }
        ExprKind::Not(inner) => visit_macros(inner, f),
        ExprKind::Macro(name) => f(name, expr.span),
        ExprKind::Check(_) => {}
    }
}
