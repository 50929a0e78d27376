//! The checker: resolves fields against the registry, expands macros and lists, parses values
//! for their field's type and rejects operators a type does not support.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::net::IpAddr;

use crate::ast::{self, CmpOp, Expr, ExprKind, Rhs, Span, Transformer};
use crate::fields::{self, ArgKind, FieldType};
use crate::filter::{CheckRhs, FieldArg, FieldCheck, FieldOperand, Filter, Value};
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
    UnknownField,
    /// Not an error: a deprecated field (the loader warns).
    Deprecated,
    Other,
}

/// Fields Falco deprecated (enter events are gone since Falco 0.42, so these lose meaning).
const DEPRECATED_FIELDS: &[&str] = &[
    "evt.dir",
    "evt.latency",
    "evt.latency.s",
    "evt.latency.ns",
    "evt.latency.quantized",
    "evt.latency.human",
];

/// A problem found while checking, located in `origin`'s text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CheckError {
    pub origin: Origin,
    pub span: Span,
    pub message: String,
    pub kind: ErrorKind,
}

/// What a condition may refer to.
pub(crate) struct Scope<'a> {
    /// Parsed macros by name (`Err` for macros whose condition does not parse: already reported).
    pub macros: &'a HashMap<String, Result<Expr, ()>>,
    /// Lists by name, already expanded.
    pub lists: &'a HashMap<String, Vec<String>>,
}

/// Names a check used, so the loader can warn about unused macros and lists.
#[derive(Default)]
pub(crate) struct Usage {
    pub macros: HashSet<String>,
    pub lists: HashSet<String>,
}

/// Checks a standalone condition (no macros or lists) into a [`Filter`].
///
/// ```
/// let filter = saker_rules::check_condition("proc.name = bash and fd.sport in (22, 80)").unwrap();
/// assert_eq!(filter.to_string(), "proc.name = bash and fd.sport in (22, 80)");
/// assert!(saker_rules::check_condition("proc.pid contains foo").is_err());
/// ```
pub fn check_condition(text: &str) -> Result<Filter, String> {
    let expr = crate::parse::parse(text).map_err(|e| e.to_string())?;
    let macros = HashMap::new();
    let lists = HashMap::new();
    let scope = Scope {
        macros: &macros,
        lists: &lists,
    };
    let mut usage = Usage::default();
    let mut errors = Vec::new();
    let filter = check(&expr, &scope, Source::Syscall, &mut usage, &mut errors);
    match errors.into_iter().find(|e| e.kind != ErrorKind::Deprecated) {
        Some(e) => Err(format!("{} (at offset {})", e.message, e.span.start)),
        None => Ok(filter),
    }
}

/// Checks `expr` (the root condition); every error goes to `errors`.
pub(crate) fn check(
    expr: &Expr,
    scope: &Scope<'_>,
    source: Source,
    usage: &mut Usage,
    errors: &mut Vec<CheckError>,
) -> Filter {
    let mut checker = Checker {
        scope,
        source,
        usage,
        errors,
        stack: Vec::new(),
        depth: 0,
        too_deep: false,
        nodes: 0,
        too_big: false,
    };
    checker.expr(expr, &Origin::Root)
}

struct Checker<'s, 'a> {
    scope: &'s Scope<'a>,
    source: Source,
    usage: &'s mut Usage,
    errors: &'s mut Vec<CheckError>,
    /// Macros being expanded, to detect cycles.
    stack: Vec<String>,
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

impl Checker<'_, '_> {
    fn error(&mut self, origin: &Origin, span: Span, message: String) {
        self.error_kind(origin, span, message, ErrorKind::Other);
    }

    fn error_kind(&mut self, origin: &Origin, span: Span, message: String, kind: ErrorKind) {
        let err = CheckError {
            origin: origin.clone(),
            span,
            message,
            kind,
        };
        if !self.errors.contains(&err) {
            self.errors.push(err);
        }
    }

    fn expr(&mut self, expr: &Expr, origin: &Origin) -> Filter {
        // Macros nest conditions inside conditions; bound the depth of the result so that
        // walking or dropping it cannot exhaust the stack.
        if self.depth >= MAX_EXPANDED_DEPTH {
            if std::mem::replace(&mut self.too_deep, true) {
                return Filter::Const(false);
            }
            self.error(
                origin,
                expr.span,
                format!(
                    "condition nested deeper than {MAX_EXPANDED_DEPTH} levels after macro expansion"
                ),
            );
            return Filter::Const(false);
        }
        // Macros used several times by macros used several times grow exponentially.
        self.nodes += 1;
        if self.nodes > MAX_EXPANDED_NODES {
            if std::mem::replace(&mut self.too_big, true) {
                return Filter::Const(false);
            }
            self.error(
                origin,
                expr.span,
                format!("condition larger than {MAX_EXPANDED_NODES} nodes after macro expansion"),
            );
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
        let Some(body) = self.scope.macros.get(name) else {
            let hint = if self.scope.lists.contains_key(name) {
                format!(" ('{name}' is a list: use it after 'in')")
            } else {
                String::new()
            };
            self.error(origin, span, format!("undefined macro '{name}'{hint}"));
            return Filter::Const(false);
        };
        if let Some(pos) = self.stack.iter().position(|m| m == name) {
            let mut cycle: Vec<&str> = self.stack[pos..].iter().map(String::as_str).collect();
            cycle.push(name);
            self.error(
                origin,
                span,
                format!("macro '{name}' is cyclic: {}", cycle.join(" -> ")),
            );
            return Filter::Const(false);
        }
        let Ok(body) = body else {
            // The macro's own syntax error is reported where it is defined.
            self.error(
                origin,
                span,
                format!("macro '{name}' has an invalid condition"),
            );
            return Filter::Const(false);
        };
        self.stack.push(name.to_string());
        let filter = self.expr(body, &Origin::Macro(name.to_string()));
        self.stack.pop();
        filter
    }

    fn field(&mut self, field: &ast::FieldExpr, origin: &Origin) -> Option<FieldOperand> {
        let written = &field.field;
        let Some((id, dotted)) = fields::resolve(&written.name) else {
            self.error_kind(
                origin,
                written.span,
                format!("unknown field '{}'", written.name),
                ErrorKind::UnknownField,
            );
            return None;
        };
        let info = id.info();
        if DEPRECATED_FIELDS.contains(&info.name) {
            self.error_kind(
                origin,
                written.span,
                format!("field '{}' is deprecated", info.name),
                ErrorKind::Deprecated,
            );
        }
        if !info.sources.contains(self.source) {
            self.error_kind(
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
        let operand = FieldOperand {
            field: id,
            arg,
            transformers: field.transformers.clone(),
        };
        // Transformers apply innermost first; each needs a string (len also takes lists).
        let mut ty = info.ty;
        for t in field.transformers.iter().rev() {
            let ok = match t {
                Transformer::Len => ty.is_stringish() || info.list,
                _ => ty.is_stringish(),
            };
            if !ok {
                self.error(
                    origin,
                    field.span,
                    format!(
                        "transformer '{}' cannot be applied to field '{}' of type {ty}",
                        t.as_str(),
                        info.name
                    ),
                );
                return None;
            }
            if *t == Transformer::Len {
                ty = FieldType::Int {
                    signed: false,
                    bits: 64,
                };
            }
        }
        Some(operand)
    }

    fn check(&mut self, check: &ast::Check, span: Span, origin: &Origin) -> Filter {
        let Some(lhs) = self.field(&check.lhs, origin) else {
            return Filter::Const(false);
        };
        let ty = lhs.value_type();
        let is_list = lhs.field.info().list && lhs.transformers.is_empty();
        if !op_supported(ty, is_list, check.op) {
            self.error(
                origin,
                span,
                format!(
                    "operator '{}' is not supported by field '{}' of type {ty}",
                    check.op,
                    lhs.field.name()
                ),
            );
            return Filter::Const(false);
        }
        if check.modifier.is_some() && !(check.op.accepts_modifier() && ty.is_stringish()) {
            self.error(
                origin,
                span,
                format!(
                    "modifier '{}' needs a string operator on a string field",
                    check.modifier.map_or("", |m| m.as_str())
                ),
            );
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
                    if let Some(items) = self.scope.lists.get(&v.text) {
                        // Falco expands list names used as items: `in (shell_binaries, zsh)`.
                        self.usage.lists.insert(v.text.clone());
                        for item in items {
                            match self.value(&lhs, check.op, &list_item(item), v.span, origin) {
                                Some(value) => out.push(value),
                                None => ok = false,
                            }
                        }
                    } else {
                        match self.value(&lhs, check.op, &v.text, v.span, origin) {
                            Some(value) => out.push(value),
                            None => ok = false,
                        }
                    }
                }
                if !ok {
                    return Filter::Const(false);
                }
                CheckRhs::List(out)
            }
            Rhs::ListName(name, name_span) => {
                let Some(items) = self.scope.lists.get(name) else {
                    self.error(origin, *name_span, format!("undefined list '{name}'"));
                    return Filter::Const(false);
                };
                self.usage.lists.insert(name.clone());
                let mut out = Vec::new();
                for item in items {
                    match self.value(&lhs, check.op, &list_item(item), *name_span, origin) {
                        Some(value) => out.push(value),
                        None => return Filter::Const(false),
                    }
                }
                CheckRhs::List(out)
            }
            Rhs::Field(field) => {
                let Some(rhs) = self.field(field, origin) else {
                    return Filter::Const(false);
                };
                let rty = rhs.value_type();
                let compatible = (ty.is_numeric() && rty.is_numeric())
                    || (ty.is_stringish() && rty.is_stringish())
                    || ty == rty;
                if !compatible {
                    self.error(
                        origin,
                        field.span,
                        format!(
                            "cannot compare field '{}' ({ty}) with field '{}' ({rty})",
                            lhs.field.name(),
                            rhs.field.name()
                        ),
                    );
                    return Filter::Const(false);
                }
                CheckRhs::Field(rhs)
            }
        };
        Filter::Check(Box::new(FieldCheck {
            lhs,
            op: check.op,
            modifier: check.modifier,
            rhs,
        }))
    }

    fn value(
        &mut self,
        lhs: &FieldOperand,
        op: CmpOp,
        text: &str,
        span: Span,
        origin: &Origin,
    ) -> Option<Value> {
        match parse_value(lhs.value_type(), op, text) {
            Ok(v) => Some(v),
            Err(msg) => {
                self.error(
                    origin,
                    span,
                    format!("{msg} (comparing field '{}')", lhs.field.name()),
                );
                None
            }
        }
    }
}

/// A list item as a condition value. Falco pastes list items into the condition text, so an
/// item written with quotes inside the YAML string (`'"10.0.0.0/8"'`) loses them.
fn list_item(item: &str) -> std::borrow::Cow<'_, str> {
    let b = item.as_bytes();
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        let inner = &item[1..item.len() - 1];
        let quote = b[0] as char;
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some(n) if n == quote || n == '\\' => out.push(n),
                    Some(n) => {
                        out.push('\\');
                        out.push(n);
                    }
                    None => out.push('\\'),
                }
            } else {
                out.push(c);
            }
        }
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(item)
    }
}

/// Which operators a field type supports (libsinsp's `flt_is_comparable`).
fn op_supported(ty: FieldType, is_list: bool, op: CmpOp) -> bool {
    use CmpOp::*;
    if op == Exists {
        return true;
    }
    if op == Intersects && !is_list && !ty.is_stringish() {
        return false;
    }
    match ty {
        FieldType::String | FieldType::AbsPath | FieldType::Bytes => true,
        FieldType::Int { .. }
        | FieldType::Double
        | FieldType::Port
        | FieldType::AbsTime
        | FieldType::RelTime => matches!(op, Eq | Ne | Lt | Le | Gt | Ge | In | Intersects),
        FieldType::Bool => matches!(op, Eq | Ne | In | Intersects),
        FieldType::Ip | FieldType::IpNet => matches!(op, Eq | Ne | In | Intersects),
    }
}

/// Parses a literal for a field type and operator.
pub(crate) fn parse_value(ty: FieldType, op: CmpOp, text: &str) -> Result<Value, String> {
    if matches!(op, CmpOp::BContains | CmpOp::BStartsWith) {
        return parse_hex(text).map(Value::Bytes);
    }
    if op == CmpOp::Regex {
        let anchored = format!("^(?:{text})$");
        return match regex::Regex::new(&anchored) {
            Ok(_) => Ok(Value::Str(text.to_string())),
            Err(e) => Err(format!(
                "invalid regular expression '{text}': {}",
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
        FieldType::Int { signed, bits } => parse_int(text, signed, bits),
        FieldType::Port => match parse_int(text, false, 16)? {
            Value::Uint(u) => Ok(Value::Uint(u)),
            other => Ok(other),
        },
        FieldType::AbsTime | FieldType::RelTime => parse_int(text, false, 64),
        FieldType::Double => text
            .parse::<f64>()
            .map(Value::Double)
            .map_err(|_| format!("'{text}' is not a number")),
        FieldType::Bool => match text.to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(Value::Bool(true)),
            "false" | "0" => Ok(Value::Bool(false)),
            _ => Err(format!("'{text}' is not a boolean (true or false)")),
        },
        FieldType::Ip => parse_net(text, false),
        FieldType::IpNet => parse_net(text, true),
    }
}

fn parse_int(text: &str, signed: bool, bits: u8) -> Result<Value, String> {
    let bad = || {
        format!(
            "'{text}' is not a valid {} integer",
            if signed { "signed" } else { "unsigned" }
        )
    };
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let magnitude = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        u64::from_str_radix(hex, 16).map_err(|_| bad())?
    } else {
        digits.parse::<u64>().map_err(|_| bad())?
    };
    if negative {
        if !signed && magnitude != 0 {
            return Err(format!("'{text}' is negative but the field is unsigned"));
        }
        let v = 0i64
            .checked_sub_unsigned(magnitude)
            .ok_or_else(|| format!("'{text}' is out of range"))?;
        Ok(Value::Int(v))
    } else {
        let max = if bits >= 64 {
            u64::MAX
        } else {
            (1u64 << bits) - 1
        };
        if magnitude > max {
            return Err(format!("'{text}' is out of range for a {bits}-bit integer"));
        }
        if signed {
            i64::try_from(magnitude)
                .map(Value::Int)
                .map_err(|_| format!("'{text}' is out of range"))
        } else {
            Ok(Value::Uint(magnitude))
        }
    }
}

fn parse_net(text: &str, net_expected: bool) -> Result<Value, String> {
    let bad = || format!("'{text}' is not a valid IP address or network (a.b.c.d or a.b.c.d/n)");
    if let Some((addr, prefix)) = text.split_once('/') {
        let addr: IpAddr = addr.parse().map_err(|_| bad())?;
        let prefix: u8 = prefix.parse().map_err(|_| bad())?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        if prefix > max {
            return Err(bad());
        }
        return Ok(Value::Net { addr, prefix });
    }
    let addr: IpAddr = text.parse().map_err(|_| bad())?;
    if net_expected {
        let prefix = if addr.is_ipv4() { 32 } else { 128 };
        Ok(Value::Net { addr, prefix })
    } else {
        Ok(Value::Ip(addr))
    }
}

fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let bad = || format!("'{text}' is not a hexadecimal byte string (even number of hex digits)");
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

impl Filter {
    /// The event types (`evt.type` values) this filter can match, or `None` when it is not
    /// restricted to a set (Falco's "no evt.type restriction" case).
    pub fn event_types(&self) -> Option<BTreeSet<String>> {
        let evt_type = fields::lookup("evt.type");
        match self {
            Filter::And(children) => {
                let mut acc: Option<BTreeSet<String>> = None;
                for set in children.iter().filter_map(Filter::event_types) {
                    acc = Some(match acc {
                        None => set,
                        Some(a) => a.intersection(&set).cloned().collect(),
                    });
                }
                acc
            }
            Filter::Or(children) => {
                let mut acc = BTreeSet::new();
                for child in children {
                    acc.extend(child.event_types()?);
                }
                Some(acc)
            }
            Filter::Not(_) => None,
            Filter::Const(false) => Some(BTreeSet::new()),
            Filter::Const(true) => None,
            Filter::Check(check) => {
                if Some(check.lhs.field) != evt_type
                    || !check.lhs.transformers.is_empty()
                    || check.modifier.is_some()
                {
                    return None;
                }
                let text = |v: &Value| match v {
                    Value::Str(s) => Some(s.clone()),
                    _ => None,
                };
                match (&check.op, &check.rhs) {
                    (CmpOp::Eq, CheckRhs::Value(v)) => text(v).map(|s| BTreeSet::from([s])),
                    (CmpOp::In, CheckRhs::List(values)) => values.iter().map(text).collect(),
                    _ => None,
                }
            }
        }
    }
}

/// Resolves a field of an output format, for a rule of `source` (any source when `None`).
pub(crate) fn check_output_field(
    field: &ast::FieldExpr,
    source: Option<Source>,
) -> Result<FieldOperand, String> {
    let macros = HashMap::new();
    let lists = HashMap::new();
    let scope = Scope {
        macros: &macros,
        lists: &lists,
    };
    let mut usage = Usage::default();
    let mut errors = Vec::new();
    let source = source.unwrap_or_else(|| {
        fields::resolve(&field.field.name)
            .and_then(|(id, _)| id.info().sources.iter().next())
            .unwrap_or(Source::Syscall)
    });
    let mut checker = Checker {
        scope: &scope,
        source,
        usage: &mut usage,
        errors: &mut errors,
        stack: Vec::new(),
        depth: 0,
        too_deep: false,
        nodes: 0,
        too_big: false,
    };
    match checker.field(field, &Origin::Root) {
        Some(op) => Ok(op),
        None => Err(errors
            .into_iter()
            .find(|e| e.kind != ErrorKind::Deprecated)
            .map_or_else(|| "invalid output field".to_string(), |e| e.message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        check_condition(text).expect_err(text)
    }

    #[test]
    fn type_errors() {
        let cases = [
            (
                "proc.pid contains foo",
                "operator 'contains' is not supported by field 'proc.pid' of type int64",
            ),
            (
                "proc.pid = abc",
                "'abc' is not a valid signed integer (comparing field 'proc.pid')",
            ),
            (
                "fd.sport in (22, http)",
                "'http' is not a valid unsigned integer (comparing field 'fd.sport')",
            ),
            (
                "container.privileged = maybe",
                "'maybe' is not a boolean (true or false) (comparing field 'container.privileged')",
            ),
            (
                "fd.net = 10.0.0.0/33",
                "'10.0.0.0/33' is not a valid IP address or network (a.b.c.d or a.b.c.d/n) (comparing field 'fd.net')",
            ),
            (
                "proc.name regex \"a(b\"",
                "invalid regular expression 'a(b': unclosed group (comparing field 'proc.name')",
            ),
            ("proc.nme = x", "unknown field 'proc.nme'"),
            (
                "proc.name[1] = x",
                "field 'proc.name' does not take an argument",
            ),
            (
                "proc.aname[x] = y",
                "field 'proc.aname' takes a numeric index argument, not 'x'",
            ),
            (
                "container.label = x",
                "field 'container.label' requires an argument",
            ),
            (
                "evt.buffer bcontains xyz",
                "'xyz' is not a hexadecimal byte string (even number of hex digits) (comparing field 'evt.buffer')",
            ),
            (
                "len(proc.pid) > 1",
                "transformer 'len' cannot be applied to field 'proc.pid' of type int64",
            ),
            (
                "proc.pid = val(proc.name)",
                "cannot compare field 'proc.pid' (int64) with field 'proc.name' (string)",
            ),
            (
                "proc.pid contains anyof (1, 2)",
                "operator 'contains' is not supported by field 'proc.pid' of type int64",
            ),
            ("undefined_macro", "undefined macro 'undefined_macro'"),
            (
                "proc.name in undefined_list",
                "undefined list 'undefined_list'",
            ),
        ];
        for (text, expect) in cases {
            let got = err(text);
            let got = got
                .rsplit_once(" (at offset")
                .map_or(got.as_str(), |(m, _)| m);
            assert_eq!(got, expect, "for {text}");
        }
    }

    #[test]
    fn typed_values() {
        let f = check_condition(
            "user.uid = 0 and user.loginuid = -1 and fd.snet = 10.0.0.0/8 and fd.sip = ::1 \
             and container.privileged = true and evt.buffer bcontains 6162 and proc.tty != 0x10",
        )
        .unwrap();
        let mut values = Vec::new();
        f.for_each_check(&mut |c| {
            if let CheckRhs::Value(v) = &c.rhs {
                values.push(v.clone());
            }
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
                Value::Uint(16),
            ]
        );
    }

    #[test]
    fn event_types() {
        let types = |t: &str| {
            check_condition(t)
                .unwrap()
                .event_types()
                .map(|s| s.into_iter().collect::<Vec<_>>().join(","))
        };
        assert_eq!(
            types("evt.type = open and proc.name = x").as_deref(),
            Some("open")
        );
        assert_eq!(
            types("evt.type in (open, openat) or evt.type = execve").as_deref(),
            Some("execve,open,openat")
        );
        assert_eq!(types("proc.name = x"), None);
        assert_eq!(types("evt.type = open or proc.name = x"), None);
        assert_eq!(types("not evt.type = open"), None);
    }
}
