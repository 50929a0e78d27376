//! The checker: resolves fields against the registry, expands macros, parses values
//! for their field's type and rejects what libsinsp's filter compiler rejects (its operator/type
//! table `flt_is_comparable`, its constant parser `string_to_rawval`, its transformer type rules
//! and right-hand field rules), with the warnings libsinsp and Falco give on the way.

use std::collections::BTreeSet;

use foldhash::{HashMap, HashMapExt, HashSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::ast::{self, CmpOp, Expr, ExprKind, Modifier, Rhs, Span, TransformArg, Transformer};
use crate::fields::{self, ArgKind, FieldType};
use crate::filter::{Base, CheckRhs, FieldArg, FieldCheck, Filter, Operand, Value};
use crate::source::Source;

/// Where the text a span points into comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Origin {
    /// The condition being checked (a rule's, or a standalone one).
    Root,
    /// The condition of this macro.
    Macro(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// A field the registry (or the rule's source) does not have: skippable with
    /// `skip-if-unknown-filter`.
    UnknownField,
    Other,
    /// Not an error: a warning with this Falco code.
    Warning(&'static str),
}

/// Fields Falco deprecated since Falco 0.42 dropped enter events (`falco_load_result.cpp`),
/// with what its warning says about each.
pub(crate) const DEPRECATED_FIELDS: &[(&str, &str)] = &[
    (
        "evt.dir",
        "due to the drop of enter events, 'evt.dir = <' always evaluates to true, and 'evt.dir = >' always evaluates to false. The rule expression can be simplified by removing the condition on 'evt.dir'",
    ),
    ("evt.latency", LATENCY_DEPRECATED),
    ("evt.latency.s", LATENCY_DEPRECATED),
    ("evt.latency.ns", LATENCY_DEPRECATED),
    ("evt.latency.human", LATENCY_DEPRECATED),
    ("evt.wait_latency", LATENCY_DEPRECATED),
];

const LATENCY_DEPRECATED: &str = "field is not available due to the drop of enter events.";

/// A problem found while checking, located in `origin`'s text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CheckError {
    pub origin: Origin,
    pub span: Span,
    pub message: String,
    pub kind: ErrorKind,
    /// For problems inside a macro: where the rule's own condition uses that macro.
    pub root_span: Option<Span>,
}

impl CheckError {
    pub fn is_error(&self) -> bool {
        !matches!(self.kind, ErrorKind::Warning(_))
    }
}

/// A macro as the checker sees it: its parsed condition and Falco's visibility order (a macro
/// only sees the macros defined before it was last defined, appended or replaced).
#[derive(Clone, Debug)]
pub(crate) struct ScopedMacro {
    /// `Err` for macros whose condition does not parse (already reported).
    pub body: Result<Expr, ()>,
    pub index: u32,
    pub visibility: u32,
}

/// What a condition may refer to.
pub(crate) struct Scope<'a> {
    pub macros: &'a HashMap<String, ScopedMacro>,
}

/// Macros a check used, so the loader can warn about unused ones.
#[derive(Default)]
pub(crate) struct Usage {
    pub macros: HashSet<String>,
}

/// Checks a standalone condition (no macros or lists) into a [`Filter`].
///
/// ```
/// let filter = saker_rules::check_condition("proc.name = bash and fd.sport in (22, 80)").unwrap();
/// assert_eq!(filter.to_string(), "proc.name = bash and fd.sport in (22, 80)");
/// assert!(saker_rules::check_condition("proc.pid contains foo").is_err());
/// ```
pub fn check_condition(text: &str) -> Result<Filter, String> {
    check_condition_for(text, Source::Syscall)
}

/// [`check_condition`] for a rule of `source`.
pub fn check_condition_for(text: &str, source: Source) -> Result<Filter, String> {
    let expr = crate::parse::parse(text).map_err(|e| e.to_string())?;
    let macros = HashMap::new();
    let scope = Scope { macros: &macros };
    let mut usage = Usage::default();
    let mut errors = Vec::new();
    let filter = check(&expr, &scope, source, &mut usage, &mut errors);
    match errors.into_iter().find(CheckError::is_error) {
        Some(e) => Err(format!("{} (at offset {})", e.message, e.span.start)),
        None => Ok(filter),
    }
}

/// The warnings (Falco code and message) of a standalone condition that checks.
pub fn condition_warnings(text: &str, source: Source) -> Vec<(&'static str, String)> {
    let Ok(expr) = crate::parse::parse(text) else {
        return Vec::new();
    };
    let macros = HashMap::new();
    let scope = Scope { macros: &macros };
    let mut errors = Vec::new();
    check(&expr, &scope, source, &mut Usage::default(), &mut errors);
    errors
        .into_iter()
        .filter_map(|e| match e.kind {
            ErrorKind::Warning(code) => Some((code, e.message)),
            _ => None,
        })
        .collect()
}

/// Checks `expr` (the root condition); every error and warning goes to `errors`.
pub(crate) fn check(
    expr: &Expr,
    scope: &Scope<'_>,
    source: Source,
    usage: &mut Usage,
    errors: &mut Vec<CheckError>,
) -> Filter {
    let mut checker = Checker::new(scope, source, usage, errors);
    checker.expr(expr, &Origin::Root)
}

struct Checker<'s, 'a> {
    scope: &'s Scope<'a>,
    source: Source,
    usage: &'s mut Usage,
    errors: &'s mut Vec<CheckError>,
    /// Macros being expanded, to detect reference loops.
    stack: Vec<String>,
    /// Only macros with an index below this are visible (the macro being expanded's
    /// visibility; everything at a rule's top level).
    visibility: u32,
    /// While expanding a macro: where the root condition references the outermost macro.
    root_ref: Option<Span>,
    depth: usize,
    /// The depth limit was hit (reported once).
    too_deep: bool,
    /// Expression nodes visited so far, and whether the size limit was hit.
    nodes: usize,
    too_big: bool,
}

/// Most expression nodes one condition may expand to.
const MAX_EXPANDED_NODES: usize = 100_000;

/// Deepest expression nesting after macro expansion.
const MAX_EXPANDED_DEPTH: usize = 400;

impl<'s, 'a> Checker<'s, 'a> {
    fn new(
        scope: &'s Scope<'a>,
        source: Source,
        usage: &'s mut Usage,
        errors: &'s mut Vec<CheckError>,
    ) -> Self {
        Checker {
            scope,
            source,
            usage,
            errors,
            stack: Vec::new(),
            visibility: u32::MAX,
            root_ref: None,
            depth: 0,
            too_deep: false,
            nodes: 0,
            too_big: false,
        }
    }

    fn error(&mut self, origin: &Origin, span: Span, message: String) {
        self.report(origin, span, message, ErrorKind::Other);
    }

    fn report(&mut self, origin: &Origin, span: Span, message: String, kind: ErrorKind) {
        let err = CheckError {
            origin: origin.clone(),
            span,
            message,
            kind,
            root_span: match origin {
                Origin::Root => None,
                Origin::Macro(_) => self.root_ref,
            },
        };
        if !self.errors.contains(&err) {
            self.errors.push(err);
        }
    }

    fn expr(&mut self, expr: &Expr, origin: &Origin) -> Filter {
        // Macros nest conditions inside conditions; bound the depth of the result so that
        // walking or dropping it cannot exhaust the stack.
        if self.depth >= MAX_EXPANDED_DEPTH {
            if !std::mem::replace(&mut self.too_deep, true) {
                self.error(
                    origin,
                    expr.span,
                    format!(
                        "condition nested deeper than {MAX_EXPANDED_DEPTH} levels after macro expansion"
                    ),
                );
            }
            return Filter::Const(false);
        }
        // Macros used several times by macros used several times grow exponentially.
        self.nodes += 1;
        if self.nodes > MAX_EXPANDED_NODES {
            if !std::mem::replace(&mut self.too_big, true) {
                self.error(
                    origin,
                    expr.span,
                    format!(
                        "condition larger than {MAX_EXPANDED_NODES} nodes after macro expansion"
                    ),
                );
            }
            return Filter::Const(false);
        }
        self.depth += 1;
        let filter = self.expr_inner(expr, origin);
        self.depth -= 1;
        filter
    }

    fn expr_inner(&mut self, expr: &Expr, origin: &Origin) -> Filter {
        match &expr.kind {
            // Nested lists of the same operator (from macros and parentheses) are flattened.
            ExprKind::And(children) => {
                let mut out = Vec::with_capacity(children.len());
                for c in children {
                    match self.expr(c, origin) {
                        Filter::And(inner) => out.extend(inner),
                        other => out.push(other),
                    }
                }
                Filter::And(out)
            }
            ExprKind::Or(children) => {
                let mut out = Vec::with_capacity(children.len());
                for c in children {
                    match self.expr(c, origin) {
                        Filter::Or(inner) => out.extend(inner),
                        other => out.push(other),
                    }
                }
                Filter::Or(out)
            }
            ExprKind::Not(inner) => Filter::Not(Box::new(self.expr(inner, origin))),
            ExprKind::Macro(name) => self.macro_ref(name, expr.span, origin),
            ExprKind::Check(check) => self.check(check, expr.span, origin),
        }
    }

    fn macro_ref(&mut self, name: &str, span: Span, origin: &Origin) -> Filter {
        self.usage.macros.insert(name.to_string());
        let visible = self
            .scope
            .macros
            .get(name)
            .filter(|m| m.index < self.visibility);
        let Some(scoped) = visible else {
            let hint = undefined_macro_hint(self.scope.macros.contains_key(name));
            self.error(
                origin,
                span,
                format!("Undefined macro '{name}' used in filter.{hint}"),
            );
            return Filter::Const(false);
        };
        if self.stack.iter().any(|m| m == name) {
            self.error(origin, span, format!("reference loop in macro '{name}'"));
            return Filter::Const(false);
        }
        let Ok(body) = &scoped.body else {
            // The macro's own syntax error is reported where it is defined.
            self.error(
                origin,
                span,
                format!("macro '{name}' has an invalid condition"),
            );
            return Filter::Const(false);
        };
        let saved = std::mem::replace(&mut self.visibility, scoped.visibility);
        if *origin == Origin::Root {
            self.root_ref = Some(span);
        }
        self.stack.push(name.to_string());
        let filter = self.expr(body, &Origin::Macro(name.to_string()));
        self.stack.pop();
        self.visibility = saved;
        if *origin == Origin::Root {
            self.root_ref = None;
        }
        filter
    }

    fn check(&mut self, check: &ast::Check, span: Span, origin: &Origin) -> Filter {
        self.warn_unsafe_na(check, span, origin);
        let Some(lhs) = self.operand(&check.lhs, origin, Side::Left) else {
            return Filter::Const(false);
        };
        let (ty, is_list) = lhs.typed();
        if let Err(message) = comparable(check.op, check.modifier, ty, is_list) {
            self.error(
                origin,
                span,
                format!(
                    "{message} (field '{}' of type {ty}{})",
                    lhs,
                    list_suffix(is_list)
                ),
            );
            return Filter::Const(false);
        }
        if let Err(message) = domain_name_comparable(&lhs, check.op, check.modifier) {
            self.error(origin, span, message);
            return Filter::Const(false);
        }
        let rhs = match &check.rhs {
            Rhs::None => CheckRhs::None,
            Rhs::Value(v) => match self.value(&lhs, check.op, &v.text, v.span, origin) {
                Some(value) => CheckRhs::Value(value),
                None => return Filter::Const(false),
            },
            Rhs::List(values, _) => {
                let mut out = Vec::new();
                let mut ok = true;
                for v in values {
                    match self.value(&lhs, check.op, &v.text, v.span, origin) {
                        Some(value) => out.push(value),
                        None => ok = false,
                    }
                }
                if !ok {
                    return Filter::Const(false);
                }
                CheckRhs::List(out)
            }
            Rhs::ListName(name, name_span) => {
                // Lists were pasted into the text, so this names none: libsinsp reads it as a
                // value, which is rarely what was meant.
                self.report(
                    origin,
                    *name_span,
                    format!("'{name}' is not a list: it is compared as the value '{name}' (as libsinsp reads an identifier there)"),
                    ErrorKind::Warning("LOAD_COMPILE_CONDITION"),
                );
                let Some(value) = self.value(&lhs, check.op, name, *name_span, origin) else {
                    return Filter::Const(false);
                };
                if check.op.takes_list() || check.modifier.is_some() {
                    CheckRhs::List(vec![value])
                } else {
                    CheckRhs::Value(value)
                }
            }
            Rhs::Operand(operand) => match self.rhs_operand(&lhs, check.op, operand, origin) {
                Some(rhs) => CheckRhs::Field(rhs),
                None => return Filter::Const(false),
            },
        };
        Filter::Check(Box::new(FieldCheck {
            lhs,
            op: check.op,
            modifier: check.modifier,
            rhs,
        }))
    }

    /// Falco's `filter_warning_resolver`: `ka.*`/`jevt.*` fields compared with `<NA>`.
    fn warn_unsafe_na(&mut self, check: &ast::Check, span: Span, origin: &Origin) {
        let ast::Operand::Field(field) = &check.lhs else {
            return;
        };
        let unsafe_field = field.name.starts_with("ka.") || field.name.starts_with("jevt.");
        let equality = matches!(
            check.op,
            CmpOp::Eq | CmpOp::Ne | CmpOp::In | CmpOp::Intersects | CmpOp::PMatch
        );
        let has_na = match &check.rhs {
            Rhs::Value(v) => v.text == "<NA>",
            Rhs::List(values, _) => values.iter().any(|v| v.text == "<NA>"),
            _ => false,
        };
        if unsafe_field && equality && has_na {
            self.report(
                origin,
                span,
                format!(
                    "unsafe <NA> comparison on '{}': comparing a field value with <NA> can lead to unpredictable behavior of the rule condition; use the 'exists' operator to check for the existence of a field",
                    field.name
                ),
                ErrorKind::Warning("LOAD_UNSAFE_NA_CHECK"),
            );
        }
    }

    /// Resolves a field as written.
    fn field(&mut self, written: &ast::FieldRef, origin: &Origin) -> Option<Operand> {
        let Some((id, dotted)) = fields::resolve(&written.name) else {
            self.report(
                origin,
                written.span,
                format!("unknown field '{}'", written.name),
                ErrorKind::UnknownField,
            );
            return None;
        };
        let info = id.info();
        if let Some((name, desc)) = DEPRECATED_FIELDS.iter().find(|(n, _)| *n == info.name) {
            self.report(
                origin,
                written.span,
                format!("usage of deprecated field '{name}': {desc}"),
                ErrorKind::Warning("LOAD_DEPRECATED_ITEM"),
            );
        }
        if !info.sources.contains(self.source) {
            self.report(
                origin,
                written.span,
                format!(
                    "field '{}' is not available for source '{}'",
                    info.name, self.source
                ),
                ErrorKind::UnknownField,
            );
            return None;
        }
        let raw_arg = match (dotted, &written.arg) {
            (Some(_), Some(_)) => {
                self.error(
                    origin,
                    written.span,
                    format!("field '{}' has two arguments", written.name),
                );
                return None;
            }
            (Some(d), None) => Some(d.to_string()),
            (None, arg) => arg.clone(),
        };
        let arg = match (info.takes_arg, raw_arg) {
            (ArgKind::None, Some(_)) => {
                self.error(
                    origin,
                    written.span,
                    format!("field '{}' does not take an argument", info.name),
                );
                return None;
            }
            (_, None) if info.arg_required => {
                self.error(
                    origin,
                    written.span,
                    format!("field '{}' requires an argument", info.name),
                );
                return None;
            }
            (_, None) => None,
            (ArgKind::Index, Some(a)) => match a.parse::<u64>() {
                Ok(i) => Some(FieldArg::Index(i)),
                Err(_) => {
                    self.error(
                        origin,
                        written.span,
                        format!(
                            "field '{}' takes a numeric index argument, not '{a}'",
                            info.name
                        ),
                    );
                    return None;
                }
            },
            (ArgKind::IndexOrKey, Some(a)) => Some(match a.parse::<u64>() {
                Ok(i) => FieldArg::Index(i),
                Err(_) => FieldArg::Key(a),
            }),
            (ArgKind::Key, Some(a)) => Some(FieldArg::Key(a)),
        };
        Some(Operand::field(id, arg))
    }

    /// Checks an operand: a field, or transformers over fields, values and lists.
    fn operand(&mut self, operand: &ast::Operand, origin: &Origin, side: Side) -> Option<Operand> {
        match operand {
            ast::Operand::Field(field) => self.field(field, origin),
            ast::Operand::Transform(t) => self.transform(t, origin, side),
        }
    }

    fn transform_arg(&mut self, arg: &TransformArg, origin: &Origin) -> Option<Operand> {
        match arg {
            TransformArg::Operand(o) => self.operand(o, origin, Side::Argument),
            TransformArg::Value(v) => Some(Operand {
                base: Base::Literal(v.text.clone()),
                transformers: Vec::new(),
            }),
            TransformArg::List(items, _) => {
                let items = items
                    .iter()
                    .map(|i| self.transform_arg(i, origin))
                    .collect::<Option<Vec<_>>>()?;
                Some(Operand {
                    base: Base::List(items),
                    transformers: Vec::new(),
                })
            }
        }
    }

    fn transform(&mut self, t: &ast::Transform, origin: &Origin, side: Side) -> Option<Operand> {
        let name = t.transformer.as_str();
        if t.transformer == Transformer::Val {
            if side != Side::Right {
                self.error(
                    origin,
                    t.span,
                    "'val' can only be used on the right-hand side of a check".into(),
                );
                return None;
            }
            if t.arg.is_some() {
                self.error(
                    origin,
                    t.span,
                    "filter error: transformer 'val' does not support field arguments".into(),
                );
                return None;
            }
            return match t.args.as_slice() {
                [TransformArg::Operand(ast::Operand::Field(f))] => self.field(f, origin),
                _ => {
                    self.error(origin, t.span, "'val' takes exactly one field".into());
                    None
                }
            };
        }
        let args = t
            .args
            .iter()
            .map(|a| self.transform_arg(a, origin))
            .collect::<Option<Vec<_>>>()?;
        if !t.transformer.is_multivalue() {
            if args.len() != 1 {
                self.error(
                    origin,
                    t.span,
                    format!("transformer '{name}' takes exactly one argument"),
                );
                return None;
            }
            if t.arg.is_some() {
                self.error(
                    origin,
                    t.span,
                    format!("filter error: transformer '{name}' does not support field arguments"),
                );
                return None;
            }
            let mut inner = args.into_iter().next()?;
            if let Some((id, _)) = inner.as_field()
                && id.info().no_transformer
            {
                self.error(
                    origin,
                    t.span,
                    format!("field '{}' does not support transformers", id.name()),
                );
                return None;
            }
            let (ty, list) = inner.typed();
            if !unary_accepts(t.transformer, ty, list) {
                self.error(
                    origin,
                    t.span,
                    format!(
                        "can't add field transformer: type '{ty}' is not supported by '{name}' transformer applied on {}'{inner}'",
                        if list { "list " } else { "" }
                    ),
                );
                return None;
            }
            inner.transformers.insert(0, t.transformer);
            return Some(inner);
        }
        match self.multivalue(t, args) {
            Ok(operand) => Some(operand),
            Err(message) => {
                self.error(origin, t.span, message);
                None
            }
        }
    }

    /// `join`, `concat` and `getopt`, with libsinsp's argument rules.
    fn multivalue(&mut self, t: &ast::Transform, args: Vec<Operand>) -> Result<Operand, String> {
        let typed: Vec<(FieldType, bool)> = args.iter().map(Operand::typed).collect();
        let base = match t.transformer {
            Transformer::Join => {
                if args.len() != 2 {
                    return Err("join() requires exactly 2 arguments: separator and list".into());
                }
                if typed[0].1 {
                    return Err(
                        "join() first argument (separator) must be a single value, not a list"
                            .into(),
                    );
                }
                if !typed[1].1 {
                    return Err("join() second argument must be a list".into());
                }
                let [sep, list]: [Operand; 2] = args.try_into().map_err(|_| "join() arity")?;
                Base::Join(Box::new(sep), Box::new(list))
            }
            Transformer::Concat => {
                if args.len() < 2 {
                    return Err("concat() requires at least 2 arguments".into());
                }
                if typed.iter().any(|(ty, list)| *list || !is_text(*ty)) {
                    return Err("concat() arguments must be strings".into());
                }
                Base::Concat(args)
            }
            Transformer::Getopt => {
                if args.len() != 2 {
                    return Err(
                        "getopt() requires exactly 2 arguments: args list and optstring".into(),
                    );
                }
                if !typed[0].1 {
                    return Err("getopt() first argument must be a list".into());
                }
                if typed[1].1 {
                    return Err(
                        "getopt() second argument (optstring) must be a single value".into(),
                    );
                }
                if !is_text(typed[0].0) || !is_text(typed[1].0) {
                    return Err("getopt() arguments must be strings".into());
                }
                let select = match &t.arg {
                    None => None,
                    Some(a) => {
                        let mut chars = a.chars();
                        match (chars.next(), chars.next()) {
                            (Some(c), None) => Some(c),
                            _ => {
                                return Err(
                                    "getopt() field argument must be a single option character"
                                        .into(),
                                );
                            }
                        }
                    }
                };
                let [argv, optstring]: [Operand; 2] =
                    args.try_into().map_err(|_| "getopt() arity")?;
                Base::Getopt {
                    args: Box::new(argv),
                    optstring: Box::new(optstring),
                    select,
                }
            }
            _ => unreachable!("one-argument transformers are handled by the caller"),
        };
        if t.arg.is_some() && !matches!(base, Base::Getopt { .. }) {
            return Err(format!(
                "transformer '{}' does not support field arguments",
                t.transformer.as_str()
            ));
        }
        Ok(Operand {
            base,
            transformers: Vec::new(),
        })
    }

    /// `val(field)` or a transformer on the right: libsinsp's right-hand field rules.
    fn rhs_operand(
        &mut self,
        lhs: &Operand,
        op: CmpOp,
        operand: &ast::Operand,
        origin: &Origin,
    ) -> Option<Operand> {
        let span = operand.span();
        let rhs = self.operand(operand, origin, Side::Right)?;
        if matches!(op, CmpOp::PMatch | CmpOp::Regex) {
            self.error(
                origin,
                span,
                format!("operator '{op}' doesn't support right-hand side fields"),
            );
            return None;
        }
        let (lty, llist) = lhs.typed();
        if lty == FieldType::IpNet {
            self.error(
                origin,
                span,
                "field type 'IPNET' doesn't support right-hand side fields".into(),
            );
            return None;
        }
        for (operand, role) in [(lhs, "doesn't support"), (&rhs, "can't be used as")] {
            if let Some((id, _)) = operand.plain_field()
                && id.info().no_rhs
            {
                let what = if role == "doesn't support" {
                    "doesn't support right-hand side fields"
                } else {
                    "can't be used as a right-hand side field"
                };
                self.error(origin, span, format!("field '{}' {what}", id.name()));
                return None;
            }
        }
        let (rty, rlist) = rhs.typed();
        if lty != rty || llist != rlist {
            self.error(
                origin,
                span,
                format!(
                    "field '{lhs}' has type '{lty}{}' while the right-hand side field '{rhs}' has incompatible type '{rty}{}'",
                    list_suffix(llist),
                    list_suffix(rlist)
                ),
            );
            return None;
        }
        Some(rhs)
    }

    fn value(
        &mut self,
        lhs: &Operand,
        op: CmpOp,
        text: &str,
        span: Span,
        origin: &Origin,
    ) -> Option<Value> {
        for message in value_warnings(op, text, self.source) {
            self.report(
                origin,
                span,
                message,
                ErrorKind::Warning("LOAD_COMPILE_CONDITION"),
            );
        }
        match parse_value(lhs.value_type(), op, text) {
            Ok(v) => Some(v),
            Err(msg) => {
                self.error(origin, span, format!("{msg} (comparing '{lhs}')"));
                None
            }
        }
    }
}

/// Why a name is not a usable macro: defined too late, or a list.
pub(crate) fn undefined_macro_hint(is_macro: bool) -> &'static str {
    if is_macro {
        " (a macro can only use macros defined before it)"
    } else {
        ""
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Right,
    Argument,
}

fn list_suffix(list: bool) -> &'static str {
    if list { " (list)" } else { "" }
}

fn is_text(ty: FieldType) -> bool {
    matches!(ty, FieldType::String | FieldType::AbsPath)
}

/// The types a one-argument transformer accepts (libsinsp's `transform_type`).
fn unary_accepts(t: Transformer, ty: FieldType, list: bool) -> bool {
    match t {
        Transformer::Len => {
            list || matches!(
                ty,
                FieldType::String | FieldType::AbsPath | FieldType::Bytes
            )
        }
        Transformer::B64 => matches!(ty, FieldType::String | FieldType::Bytes),
        _ => is_text(ty),
    }
}

/// libsinsp's `flt_is_comparable`: which operators (and modifiers) a type accepts.
fn comparable(
    op: CmpOp,
    modifier: Option<Modifier>,
    ty: FieldType,
    list: bool,
) -> Result<(), String> {
    use CmpOp::*;
    if op == Exists {
        return Ok(());
    }
    let not_supported = |what: &str| Err(format!("'{op}' operator not supported for {what}"));
    if list {
        let listable = matches!(
            ty,
            FieldType::String
                | FieldType::AbsPath
                | FieldType::Int {
                    signed: false,
                    bits: 64
                }
                | FieldType::RelTime
                | FieldType::AbsTime
                | FieldType::Bool
                | FieldType::Ip
                | FieldType::IpNet
        );
        if !listable {
            return Err(format!("list filters are not supported for type '{ty}'"));
        }
        return if matches!(op, In | Intersects) {
            Ok(())
        } else {
            not_supported("list filters")
        };
    }
    match ty {
        FieldType::Int { .. }
        | FieldType::Port
        | FieldType::AbsTime
        | FieldType::RelTime
        | FieldType::Double => {
            if matches!(op, Eq | Ne | Lt | Le | Gt | Ge | In | Intersects) {
                Ok(())
            } else {
                not_supported("numeric filters")
            }
        }
        FieldType::Bool => {
            if matches!(op, Eq | Ne | In | Intersects) {
                Ok(())
            } else {
                not_supported("numeric filters")
            }
        }
        FieldType::Ip | FieldType::IpNet => {
            if matches!(op, Eq | Ne | In | Intersects) {
                Ok(())
            } else if modifier.is_some() {
                Err(format!(
                    "'{op}' with modifier not supported for ip address and network filters"
                ))
            } else {
                not_supported("ip address and network filters")
            }
        }
        FieldType::String | FieldType::AbsPath => {
            if matches!(op, BContains | BStartsWith) {
                not_supported("string filters")
            } else {
                Ok(())
            }
        }
        FieldType::Bytes => {
            if matches!(
                op,
                Eq | Ne
                    | Contains
                    | In
                    | StartsWith
                    | EndsWith
                    | Intersects
                    | BContains
                    | BStartsWith
            ) {
                Ok(())
            } else {
                not_supported("buffer filters")
            }
        }
    }
}

/// `fd.*ip.name` compares an address with the addresses of domain names: libsinsp's
/// `compare_domain` (userspace/libsinsp/sinsp_filtercheck_fd.cpp) answers `=`, `!=`, `in` and
/// `exists`, and throws at the first event for any other operator; here that is a load error.
fn domain_name_comparable(
    lhs: &Operand,
    op: CmpOp,
    modifier: Option<Modifier>,
) -> Result<(), String> {
    let Some((id, _)) = lhs.plain_field() else {
        return Ok(());
    };
    if !id.info().domain_name {
        return Ok(());
    }
    let field = id.name();
    if let Some(modifier) = modifier {
        return Err(format!(
            "'{op} {}' not supported for '{field}': domain names compare with '=', '!=', 'in' and 'exists' only",
            modifier.as_str()
        ));
    }
    match op {
        CmpOp::Eq | CmpOp::Ne | CmpOp::In | CmpOp::Exists => Ok(()),
        _ => Err(format!(
            "'{op}' operator not supported for '{field}': domain names compare with '=', '!=', 'in' and 'exists' only"
        )),
    }
}

/// libsinsp's compile-time warnings on a constant (`check_value_and_add_warnings`).
fn value_warnings(op: CmpOp, text: &str, source: Source) -> Vec<String> {
    let mut out = Vec::new();
    let nospaces: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if op == CmpOp::Regex && regex_is_simple(text) {
        out.push(format!(
            "regex check with '{text}' may be optimized with simpler operators such as '=', 'contains', 'startswith', 'endswith'"
        ));
    }
    if is_field_name(&nospaces, source) {
        out.push(format!(
            "'{text}' may be a valid field misused as a const string value"
        ));
    }
    let transformers = std::iter::once("val").chain(Transformer::ALL.iter().map(|t| t.as_str()));
    for t in transformers {
        if nospaces.len() >= t.len() + 2
            && nospaces.starts_with(t)
            && nospaces.as_bytes()[t.len()] == b'('
            && nospaces.ends_with(')')
        {
            out.push(format!(
                "'{text}' may be a valid field transformer misused as a const string value"
            ));
        }
    }
    out
}

/// Whether `text` names a field of `source` (`proc.pname`, `proc.aname[2]`, `evt.arg.flags`).
fn is_field_name(text: &str, source: Source) -> bool {
    let (name, arg) = match text.split_once('[') {
        Some((name, rest)) => match rest.strip_suffix(']') {
            Some(arg) => (name, Some(arg)),
            None => return false,
        },
        None => (text, None),
    };
    match fields::resolve(name) {
        Some((id, dotted)) => {
            let info = id.info();
            let has_arg = dotted.is_some() || arg.is_some();
            info.sources.contains(source)
                && !(dotted.is_some() && arg.is_some())
                && (has_arg || !info.arg_required)
                && (!has_arg || info.takes_arg != ArgKind::None)
        }
        None => false,
    }
}

/// libsinsp's heuristic: a regex whose only special characters are anchors and leading or
/// trailing `.*`, `.+`, `.?` could be a simpler operator.
fn regex_is_simple(v: &str) -> bool {
    const SPECIAL: &[u8] = b".+*?^$()[]{}|\\";
    const OCCURRENCE: &[u8] = b"+*?";
    let b = v.as_bytes();
    let len = b.len();
    let mut i = 0;
    while i < len {
        if (i == 0 && b[i] == b'^') || (i == len - 1 && b[i] == b'$') {
            i += 1;
            continue;
        }
        if ((i == 0 && len > 1) || (len >= 2 && i == len - 2))
            && b[i] == b'.'
            && b.get(i + 1).is_some_and(|c| OCCURRENCE.contains(c))
        {
            i += 2;
            continue;
        }
        if SPECIAL.contains(&b[i]) {
            return false;
        }
        i += 1;
    }
    true
}

/// The `regex` crate pattern for a `regex` constant: anchored, as libsinsp matches the whole
/// value (RE2 `FullMatch`), and with RE2's reading of a `{` that does not begin a counted
/// repetition (`{2}`, `{2,}`, `{2,4}`) as a literal brace, which the regex crate rejects.
pub fn full_match_regex(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    out.push_str("^(?:");
    let mut chars = pattern.char_indices().peekable();
    let mut in_class = false;
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some((_, next)) = chars.next() {
                    out.push(next);
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` first in a class (after an optional `^`) is a literal.
                if let Some(&(_, '^')) = chars.peek() {
                    out.push('^');
                    chars.next();
                }
                if let Some(&(_, ']')) = chars.peek() {
                    out.push(']');
                    chars.next();
                }
            }
            '[' if pattern[i..].starts_with("[:") => {
                // A POSIX class inside a class: copy up to its `:]`.
                match pattern[i..].find(":]") {
                    Some(end) => {
                        out.push_str(&pattern[i..i + end + 2]);
                        while chars.peek().is_some_and(|&(j, _)| j < i + end + 2) {
                            chars.next();
                        }
                    }
                    None => out.push(c),
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '{' if !in_class && !is_repetition(&pattern[i + 1..]) => out.push_str("\\{"),
            _ => out.push(c),
        }
    }
    out.push_str(")$");
    out
}

/// `n}`, `n,}` or `n,m}`: the rest of a counted repetition after its `{`.
fn is_repetition(rest: &str) -> bool {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let n = digits(rest);
    if n == 0 {
        return false;
    }
    let rest = &rest[n..];
    if rest.starts_with('}') {
        return true;
    }
    let Some(rest) = rest.strip_prefix(',') else {
        return false;
    };
    rest[digits(rest)..].starts_with('}')
}

/// Parses a constant for a field type and operator, as libsinsp's `string_to_rawval` does.
pub(crate) fn parse_value(ty: FieldType, op: CmpOp, text: &str) -> Result<Value, String> {
    if matches!(op, CmpOp::BContains | CmpOp::BStartsWith) {
        return parse_hex(text).map(Value::Bytes);
    }
    if op == CmpOp::Regex {
        return match regex::Regex::new(&full_match_regex(text)) {
            Ok(_) => Ok(Value::Str(text.to_string())),
            Err(e) => Err(format!(
                "invalid regex pattern '{text}': {}",
                e.to_string()
                    .lines()
                    .last()
                    .unwrap_or("syntax error")
                    .trim()
                    .trim_start_matches("error: ")
            )),
        };
    }
    match ty {
        FieldType::String | FieldType::AbsPath | FieldType::Bytes => {
            Ok(Value::Str(text.to_string()))
        }
        FieldType::Int { signed: true, bits } => {
            let v = c_strtol(text)?;
            Ok(Value::Int(truncate_signed(v, bits)))
        }
        FieldType::Int {
            signed: false,
            bits,
        } => {
            let v = c_strtoul(text)?;
            Ok(Value::Uint(truncate_unsigned(v, bits)))
        }
        FieldType::AbsTime | FieldType::RelTime => c_strtoul(text).map(Value::Uint),
        // libsinsp parses doubles as 32-bit integers ("floating point values still not
        // supported").
        FieldType::Double => {
            let v = c_strtol(text)?;
            Ok(Value::Double(f64::from(truncate_signed(v, 32) as i32)))
        }
        FieldType::Port => parse_port(text).map(|p| Value::Uint(u64::from(p))),
        FieldType::Bool => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!(
                "unrecognized boolean value '{text}' (true or false)"
            )),
        },
        FieldType::Ip => parse_ip(text).map(Value::Ip),
        FieldType::IpNet => parse_net(text),
    }
}

fn not_a_number(text: &str) -> String {
    format!("'{text}' is not a valid number")
}

/// The digits of a C `strtol`-style number: leading white space, a sign, decimal digits and
/// nothing after them (libsinsp checks that `sscanf("%ld%c")` reads exactly one item).
fn c_number(text: &str) -> Result<(bool, &str), String> {
    let t = text.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_a_number(text));
    }
    Ok((negative, digits))
}

/// `strtol`: saturates at the `i64` range.
fn c_strtol(text: &str) -> Result<i64, String> {
    let (negative, digits) = c_number(text)?;
    let magnitude: u128 = digits.parse().unwrap_or(u128::MAX);
    Ok(if negative {
        0i128
            .checked_sub_unsigned(magnitude)
            .map_or(i64::MIN, |v| v.max(i128::from(i64::MIN)) as i64)
    } else {
        magnitude.min(i64::MAX as u128) as i64
    })
}

/// `strtoul`: saturates at `u64::MAX`; a minus sign negates (wrapping), as C does.
fn c_strtoul(text: &str) -> Result<u64, String> {
    let (negative, digits) = c_number(text)?;
    let magnitude: u64 = digits.parse().unwrap_or(u64::MAX);
    Ok(if negative {
        magnitude.wrapping_neg()
    } else {
        magnitude
    })
}

fn truncate_signed(v: i64, bits: u8) -> i64 {
    match bits {
        8 => i64::from(v as i8),
        16 => i64::from(v as i16),
        32 => i64::from(v as i32),
        _ => v,
    }
}

fn truncate_unsigned(v: u64, bits: u8) -> u64 {
    match bits {
        8 => u64::from(v as u8),
        16 => u64::from(v as u16),
        32 => u64::from(v as u32),
        _ => v,
    }
}

/// Ports: digits (an empty string is port 0) or a service name from the IANA registry.
fn parse_port(text: &str) -> Result<u16, String> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        if text.is_empty() {
            return Ok(0);
        }
        // `stoi` then a 16-bit store: out-of-int range fails, the rest wraps.
        return match text.parse::<i32>() {
            Ok(v) => Ok(v as u16),
            Err(_) => Err(format!("port '{text}' is out of range")),
        };
    }
    SERVICES
        .iter()
        .find(|(name, _)| *name == text)
        .map(|(_, port)| *port)
        .ok_or_else(|| format!("unrecognized protocol {text}"))
}

/// Well-known service names, as `getservbyname(3)` reads them from /etc/services.
const SERVICES: &[(&str, u16)] = &[
    ("ftp-data", 20),
    ("ftp", 21),
    ("ssh", 22),
    ("telnet", 23),
    ("smtp", 25),
    ("domain", 53),
    ("http", 80),
    ("www", 80),
    ("kerberos", 88),
    ("pop3", 110),
    ("sunrpc", 111),
    ("ntp", 123),
    ("imap", 143),
    ("snmp", 161),
    ("ldap", 389),
    ("https", 443),
    ("microsoft-ds", 445),
    ("submission", 587),
    ("ldaps", 636),
    ("rsync", 873),
    ("imaps", 993),
    ("pop3s", 995),
    ("mysql", 3306),
    ("postgresql", 5432),
    ("redis", 6379),
];

/// `inet_pton`: IPv4 when the text has a dot, IPv6 otherwise.
fn parse_ip(text: &str) -> Result<IpAddr, String> {
    if text.contains('.') {
        text.parse::<Ipv4Addr>()
            .map(IpAddr::V4)
            .map_err(|_| format!("unrecognized IPv4 address {text}"))
    } else {
        text.parse::<Ipv6Addr>()
            .map(IpAddr::V6)
            .map_err(|_| format!("unrecognized IPv6 address {text}"))
    }
}

/// Networks `a.b.c.d/n` (n 0..=32) and `x::y/n` (n 1..=128); the prefix is required.
fn parse_net(text: &str) -> Result<Value, String> {
    let Some((addr, prefix)) = text.split_once('/') else {
        return Err(format!(
            "unrecognized IP network {text} (expected address/prefix)"
        ));
    };
    let prefix = truncate_unsigned(c_strtoul(prefix)?, 8) as u8;
    if text.contains('.') {
        let addr: Ipv4Addr = addr
            .parse()
            .map_err(|_| format!("unrecognized IP address {text}"))?;
        if prefix > 32 {
            return Err(format!("invalid netmask {prefix}"));
        }
        Ok(Value::Net {
            addr: IpAddr::V4(addr),
            prefix,
        })
    } else {
        let addr: Ipv6Addr = addr
            .parse()
            .map_err(|_| format!("unrecognized IPv6 address {text}"))?;
        if prefix == 0 || prefix > 128 {
            return Err(format!("invalid v6 netmask {prefix}"));
        }
        Ok(Value::Net {
            addr: IpAddr::V6(addr),
            prefix,
        })
    }
}

fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let bad =
        || "filter error: bcontains and bstartswith operator support hex strings only".to_string();
    if !text.len().is_multiple_of(2) || text.is_empty() {
        return Err(bad());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(bad)
}

/// The event types a condition can match, as libsinsp computes them for Falco's "no
/// evt.type restriction" warning (`ppm_event_codes`): checks on `evt.type`/`syscall.type`
/// with `=`, `!=` or `in` give sets, other checks are neutral, negations are pushed to the
/// leaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventTypes {
    /// These types only.
    Only(BTreeSet<String>),
    /// Every type but these.
    AllBut(BTreeSet<String>),
}

impl EventTypes {
    fn all() -> EventTypes {
        EventTypes::AllBut(BTreeSet::new())
    }

    fn intersect(self, other: EventTypes) -> EventTypes {
        use EventTypes::*;
        match (self, other) {
            (Only(a), Only(b)) => Only(a.intersection(&b).cloned().collect()),
            (Only(a), AllBut(b)) | (AllBut(b), Only(a)) => {
                Only(a.difference(&b).cloned().collect())
            }
            (AllBut(a), AllBut(b)) => AllBut(a.union(&b).cloned().collect()),
        }
    }

    fn union(self, other: EventTypes) -> EventTypes {
        use EventTypes::*;
        match (self, other) {
            (Only(a), Only(b)) => Only(a.union(&b).cloned().collect()),
            (Only(a), AllBut(b)) | (AllBut(b), Only(a)) => {
                AllBut(b.difference(&a).cloned().collect())
            }
            (AllBut(a), AllBut(b)) => AllBut(a.intersection(&b).cloned().collect()),
        }
    }

    fn invert(self) -> EventTypes {
        match self {
            EventTypes::Only(s) => EventTypes::AllBut(s),
            EventTypes::AllBut(s) => EventTypes::Only(s),
        }
    }

    /// Falco's warning condition: no type at all, or too many (more than 100 event codes;
    /// libsinsp counts an enter and an exit code per type).
    pub fn too_many_or_none(&self) -> bool {
        match self {
            EventTypes::Only(s) => s.is_empty() || s.len() * 2 > 100,
            EventTypes::AllBut(_) => true,
        }
    }
}

impl Filter {
    /// The event types this filter can match, or `None` when it is not restricted to a set
    /// (kept for the engine's indexing).
    pub fn event_types(&self) -> Option<BTreeSet<String>> {
        match self.evttype_set(false) {
            EventTypes::Only(s) => Some(s),
            EventTypes::AllBut(_) => None,
        }
    }

    /// libsinsp's event-type search over this filter.
    pub fn evttype_set(&self, negated: bool) -> EventTypes {
        match self {
            Filter::And(children) | Filter::Or(children) => {
                let conjunction = matches!(self, Filter::And(_)) != negated;
                let mut acc = if conjunction {
                    EventTypes::all()
                } else {
                    EventTypes::Only(BTreeSet::new())
                };
                for child in children {
                    let set = child.evttype_set(negated);
                    acc = if conjunction {
                        acc.intersect(set)
                    } else {
                        acc.union(set)
                    };
                }
                acc
            }
            Filter::Not(inner) => inner.evttype_set(!negated),
            Filter::Const(_) => EventTypes::all(),
            Filter::Check(check) => {
                let is_type_field = check.lhs.plain_field().is_some_and(|(id, arg)| {
                    arg.is_none() && matches!(id.name(), "evt.type" | "syscall.type")
                });
                let names: Option<BTreeSet<String>> = match (&check.op, &check.rhs) {
                    // `evt.type exists` is true for every type, and a negation of it for none.
                    (CmpOp::Exists, _) if is_type_field => {
                        return if negated {
                            EventTypes::Only(BTreeSet::new())
                        } else {
                            EventTypes::all()
                        };
                    }
                    _ if !is_type_field || check.modifier.is_some() => None,
                    (CmpOp::Eq | CmpOp::Ne, CheckRhs::Value(v)) => {
                        Some(BTreeSet::from([v.to_string()]))
                    }
                    (CmpOp::In, CheckRhs::List(values)) => {
                        Some(values.iter().map(|v| v.to_string()).collect())
                    }
                    _ => None,
                };
                match names {
                    None => EventTypes::all(),
                    Some(set) => {
                        let set = EventTypes::Only(set);
                        // `!=` inverts, as does a negation above; both cancel out.
                        if (check.op == CmpOp::Ne) != negated {
                            set.invert()
                        } else {
                            set
                        }
                    }
                }
            }
        }
    }
}

/// Resolves one operand of an output format (`%field`, `%tolower(field)`), for a rule of
/// `source` (any source when `None`).
pub(crate) fn check_output_operand(
    operand: &ast::Operand,
    source: Option<Source>,
) -> Result<Operand, (ErrorKind, String)> {
    let macros = HashMap::new();
    let scope = Scope { macros: &macros };
    let mut usage = Usage::default();
    let mut errors = Vec::new();
    let source = source.unwrap_or_else(|| {
        let mut first_field = None;
        if let ast::Operand::Field(f) = operand {
            first_field = fields::resolve(&f.name);
        }
        first_field
            .and_then(|(id, _)| id.info().sources.iter().next())
            .unwrap_or(Source::Syscall)
    });
    let mut checker = Checker::new(&scope, source, &mut usage, &mut errors);
    let result = checker.operand(operand, &Origin::Root, Side::Left);
    match (result, errors.into_iter().find(CheckError::is_error)) {
        (Some(op), None) => Ok(op),
        (_, Some(e)) => Err((e.kind, e.message)),
        (None, None) => Err((ErrorKind::Other, "invalid output field".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_braces_read_as_re2_reads_them() {
        let matches = |pattern: &str, text: &str| {
            regex::Regex::new(&full_match_regex(pattern))
                .unwrap()
                .is_match(text)
        };
        assert!(matches("pentest-[0-9]{2,4}", "pentest-123"));
        assert!(!matches("pentest-[0-9]{2,4}", "pentest-1"));
        // Not a repetition: literal braces.
        assert!(matches("pentest-[0-9]{2", "pentest-5{2"));
        assert!(matches("a{,2}", "a{,2}"));
        assert!(matches("x{}", "x{}"));
        assert!(matches("4}", "4}"));
        // Inside classes and after escapes, braces stay as written.
        assert!(matches("[{]a", "{a"));
        assert!(matches("[]{]+", "]{"));
        assert!(matches("[[:digit:]{]+", "1{"));
        assert!(matches(r"\{a", "{a"));
        // Whole-value match.
        assert!(!matches("a", "ab"));
    }

    fn err(text: &str) -> String {
        let got = check_condition(text).expect_err(text);
        got.rsplit_once(" (at offset")
            .map_or(got.as_str(), |(m, _)| m)
            .to_string()
    }

    #[test]
    fn type_errors() {
        let cases = [
            (
                "proc.pid contains foo",
                "'contains' operator not supported for numeric filters (field 'proc.pid' of type int64)",
            ),
            (
                "proc.pid = abc",
                "'abc' is not a valid number (comparing 'proc.pid')",
            ),
            (
                "proc.pid = 0x10",
                "'0x10' is not a valid number (comparing 'proc.pid')",
            ),
            (
                "fd.sport in (22, nosuchservice)",
                "unrecognized protocol nosuchservice (comparing 'fd.sport')",
            ),
            (
                "container.privileged = 1",
                "unrecognized boolean value '1' (true or false) (comparing 'container.privileged')",
            ),
            (
                "fd.net = 10.0.0.0/33",
                "invalid netmask 33 (comparing 'fd.net')",
            ),
            (
                "fd.net = 10.0.0.1",
                "unrecognized IP network 10.0.0.1 (expected address/prefix) (comparing 'fd.net')",
            ),
            (
                "proc.name regex \"a(b\"",
                "invalid regex pattern 'a(b': unclosed group (comparing 'proc.name')",
            ),
            ("proc.nme = x", "unknown field 'proc.nme'"),
            (
                "proc.name[1] = x",
                "field 'proc.name' does not take an argument",
            ),
            (
                "container.label = x",
                "field 'container.label' requires an argument",
            ),
            (
                "evt.buffer bcontains xyz",
                "filter error: bcontains and bstartswith operator support hex strings only (comparing 'evt.buffer')",
            ),
            (
                "len(proc.pid) > 1",
                "can't add field transformer: type 'int64' is not supported by 'len' transformer applied on 'proc.pid'",
            ),
            (
                "proc.pid = val(proc.name)",
                "field 'proc.pid' has type 'int64' while the right-hand side field 'proc.name' has incompatible type 'string'",
            ),
            (
                "undefined_macro",
                "Undefined macro 'undefined_macro' used in filter.",
            ),
            (
                "thread.cpu = 1.0",
                "'1.0' is not a valid number (comparing 'thread.cpu')",
            ),
            (
                "fd.types = file",
                "'=' operator not supported for list filters (field 'fd.types' of type string (list))",
            ),
            (
                "fd.ip contains anyof (1.2.3.4)",
                "'contains' with modifier not supported for ip address and network filters (field 'fd.ip' of type ipaddr)",
            ),
            (
                "evt.buffer icontains x",
                "'icontains' operator not supported for buffer filters (field 'evt.buffer' of type bytebuf)",
            ),
            (
                "join(\"-\", \"a\") = x",
                "join() second argument must be a list",
            ),
            (
                "concat(\"a\") = x",
                "concat() requires at least 2 arguments",
            ),
            (
                "getopt((\"-n\"), \"n\")[ab] = x",
                "getopt() field argument must be a single option character",
            ),
            (
                "toupper(fd.name)[x] = foo",
                "filter error: transformer 'toupper' does not support field arguments",
            ),
            (
                "fd.sip.name contains kubernetes",
                "'contains' operator not supported for 'fd.sip.name': domain names compare with '=', '!=', 'in' and 'exists' only",
            ),
            (
                "fd.cip.name intersects (a.example, b.example)",
                "'intersects' operator not supported for 'fd.cip.name': domain names compare with '=', '!=', 'in' and 'exists' only",
            ),
            (
                "fd.rip.name = anyof (a.example, b.example)",
                "'= anyof' not supported for 'fd.rip.name': domain names compare with '=', '!=', 'in' and 'exists' only",
            ),
            (
                "fd.lip.name = val(fd.name)",
                "field 'fd.lip.name' doesn't support right-hand side fields",
            ),
            (
                "tolower(fd.sip.name) = x",
                "field 'fd.sip.name' does not support transformers",
            ),
        ];
        for (text, expect) in cases {
            assert_eq!(err(text), expect, "for {text}");
        }
    }

    #[test]
    fn libsinsp_constants() {
        let f = check_condition(
            "user.uid = 0 and user.loginuid = -1 and fd.snet = 10.0.0.0/8 and fd.sip = ::1 \
             and container.privileged = true and evt.buffer bcontains 6162 and evt.cpu = 70000 \
             and proc.name in shell_binaries and fd.sport = ssh",
        )
        .unwrap();
        let mut values = Vec::new();
        f.for_each_check(&mut |c| match &c.rhs {
            CheckRhs::Value(v) => values.push(v.clone()),
            CheckRhs::List(l) => values.extend(l.iter().cloned()),
            _ => {}
        });
        assert_eq!(
            values,
            vec![
                Value::Uint(0),
                Value::Int(-1),
                Value::Net {
                    addr: "10.0.0.0".parse().unwrap(),
                    prefix: 8
                },
                Value::Ip("::1".parse().unwrap()),
                Value::Bool(true),
                Value::Bytes(vec![0x61, 0x62]),
                // 70000 stored as a 16-bit integer, as libsinsp does.
                Value::Int(4464),
                // Not a list: a single value (libsinsp reads an identifier so).
                Value::Str("shell_binaries".into()),
                Value::Uint(22),
            ]
        );
    }

    #[test]
    fn compile_warnings() {
        let warn = |t: &str| condition_warnings(t, Source::Syscall).len();
        assert_eq!(warn("evt.source = evt.plugininfo"), 1);
        assert_eq!(warn("evt.source = 'tolower(evt.plugininfo)'"), 1);
        assert_eq!(warn("evt.source regex .*syscall"), 1);
        assert_eq!(warn("evt.source = tolower(evt.plugininfo)"), 0);
        assert_eq!(warn("evt.source = unknown.field"), 0);
        assert_eq!(warn("evt.source regex s.*l"), 0);
    }

    #[test]
    fn event_types() {
        let types = |t: &str| check_condition(t).unwrap().evttype_set(false);
        let only = |names: &[&str]| EventTypes::Only(names.iter().map(|s| s.to_string()).collect());
        assert_eq!(types("evt.type = open and proc.name = x"), only(&["open"]));
        assert_eq!(
            types("evt.type in (open, openat) or evt.type = execve"),
            only(&["execve", "open", "openat"])
        );
        assert!(types("proc.name = x").too_many_or_none());
        assert!(types("evt.num = 0").too_many_or_none());
        assert!(types("evt.type = open and evt.type = close").too_many_or_none());
        assert_eq!(
            types("not evt.type = open"),
            EventTypes::AllBut(BTreeSet::from(["open".to_string()]))
        );
        assert_eq!(types("not (evt.type != open)"), only(&["open"]));
    }
}
