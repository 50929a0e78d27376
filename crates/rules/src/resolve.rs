//! A condition as Falco compiles it: macros replaced by their conditions (list names were
//! already replaced in the text), before type checking. `saker rules describe` prints it as
//! Falco's `condition_compiled`.

use crate::ast::{CmpOp, Expr, ExprKind, Operand, Rhs, Span, TransformArg};
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

/// libsinsp's event-code search (`ppm_event_codes`), which Falco runs on every syscall rule
/// once macros are expanded, refuses `evt.type` under a transformer and `evt.type` compared
/// with a field or transformer; Falco then fails to load the rules. The refusal, if any.
pub(crate) fn event_code_search_error(expr: &Expr) -> Option<&'static str> {
    const TRANSFORMED: &str =
        "event code search does not support `evt.type` checks with transformers";
    const RIGHT_FIELD: &str = "right-hand field comparisons on `evt.type`/`syscall.type` checks are not supported by event code search";
    match &expr.kind {
        ExprKind::And(children) | ExprKind::Or(children) => {
            children.iter().find_map(event_code_search_error)
        }
        ExprKind::Not(inner) => event_code_search_error(inner),
        ExprKind::Macro(_) => None,
        ExprKind::Check(check) => {
            let type_operator =
                check.modifier.is_none() && matches!(check.op, CmpOp::Eq | CmpOp::Ne | CmpOp::In);
            if !type_operator && !matches!(check.rhs, Rhs::None) {
                return None;
            }
            let lhs_is_type = visit_operand(&check.lhs).map_err(|()| TRANSFORMED);
            match lhs_is_type {
                Err(e) => Some(e),
                Ok(true) if type_operator => match &check.rhs {
                    Rhs::Operand(rhs) => Some(match visit_operand(rhs) {
                        Err(()) => TRANSFORMED,
                        Ok(_) => RIGHT_FIELD,
                    }),
                    _ => None,
                },
                Ok(_) => None,
            }
        }
    }
}

/// The search's walk over an operand: whether it is a plain `evt.type`/`syscall.type` field,
/// or `Err` when a transformer has one as its last-visited argument (as libsinsp checks).
fn visit_operand(operand: &Operand) -> Result<bool, ()> {
    match operand {
        Operand::Field(f) => {
            Ok(f.arg.is_none() && matches!(f.name.as_str(), "evt.type" | "syscall.type"))
        }
        Operand::Transform(t) => {
            for arg in &t.args {
                if visit_arg(arg)? {
                    return Err(());
                }
            }
            Ok(false)
        }
    }
}

/// Like [`visit_operand`] for a transformer argument; a list reports its last element.
fn visit_arg(arg: &TransformArg) -> Result<bool, ()> {
    match arg {
        TransformArg::Operand(o) => visit_operand(o),
        TransformArg::Value(_) => Ok(false),
        TransformArg::List(items, _) => {
            let mut last = false;
            for item in items {
                last = visit_arg(item)?;
            }
            Ok(last)
        }
    }
}
