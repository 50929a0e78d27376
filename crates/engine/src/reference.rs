//! A plain interpreter of checked filters: walks the [`Filter`] tree per event and parses
//! constants each time. Too slow for production; it is the oracle the compiled form is tested
//! against (property test) and the comparison used for right-hand fields.

use std::net::IpAddr;

use saker_rules::ast::{CmpOp, Modifier};
use saker_rules::fields::FieldType;
use saker_rules::filter::{
    Base, CheckRhs, FieldCheck, Filter, Operand as RuleOperand, Value as Const,
};

use crate::compile::{compare_ord, contains_ignore_ascii_case, value_as_f64, value_as_ip};
use crate::domain_names::DomainNames;
use crate::event::Event;
use crate::field::FieldTable;
use crate::glob::{Glob, PathPrefix};
use crate::transform::{apply_transformers, concat, getopt, join, list_of};
use crate::value::{IpNet, Value};

/// Evaluates `filter` on `event` by walking it. Fields missing from `table` have no value;
/// `fd.*ip.name` compares with the addresses `names` holds (an engine's
/// [`crate::Engine::domain_names`]).
pub fn interpret(
    filter: &Filter,
    event: &dyn Event,
    table: &FieldTable,
    names: &DomainNames,
) -> bool {
    match filter {
        Filter::And(children) => children.iter().all(|c| interpret(c, event, table, names)),
        Filter::Or(children) => children.iter().any(|c| interpret(c, event, table, names)),
        Filter::Not(inner) => !interpret(inner, event, table, names),
        Filter::Const(b) => *b,
        Filter::Check(check) => interpret_check(check, event, table, names),
    }
}

fn fetch<'e>(operand: &RuleOperand, event: &'e dyn Event, table: &FieldTable) -> Option<Value<'e>> {
    let fetch_all = |items: &[RuleOperand]| -> Option<Vec<Value<'e>>> {
        items.iter().map(|i| fetch(i, event, table)).collect()
    };
    let value = match &operand.base {
        Base::Field { field, arg } => event.value(table.get(*field, arg.as_ref())?)?,
        Base::Literal(text) => Value::Str(text.clone().into()),
        Base::List(items) => list_of(fetch_all(items)?),
        Base::Join(sep, list) => join(&fetch(sep, event, table)?, &fetch(list, event, table)?),
        Base::Concat(items) => concat(&fetch_all(items)?),
        Base::Getopt {
            args,
            optstring,
            select,
        } => getopt(
            &fetch(args, event, table)?,
            &fetch(optstring, event, table)?,
            *select,
        )?,
    };
    apply_transformers(&operand.transformers, value)
}

fn interpret_check(
    check: &FieldCheck,
    event: &dyn Event,
    table: &FieldTable,
    names: &DomainNames,
) -> bool {
    let Some(lhs) = fetch(&check.lhs, event, table) else {
        return false;
    };
    if let Some(result) = domain_name_check(check, &lhs, names) {
        return result;
    }
    let ty = check.lhs.value_type();
    let scalar_test = |item: &Value<'_>| -> bool {
        match &check.rhs {
            CheckRhs::None => true,
            CheckRhs::Field(other) => match fetch(other, event, table) {
                Some(rhs) => compare_dynamic(check.op, item, &rhs),
                None => false,
            },
            CheckRhs::Value(c) => compare_constant(check.op, ty, item, c),
            CheckRhs::List(constants) => match (check.op, check.modifier) {
                (_, Some(modifier)) => {
                    // libsinsp: each value is compared with the operator itself (`!=`
                    // included); the modifier counts the hits.
                    let hits = constants
                        .iter()
                        .filter(|c| compare_constant(check.op, ty, item, c))
                        .count();
                    match modifier {
                        Modifier::AllOf => !constants.is_empty() && hits == constants.len(),
                        Modifier::OneOf => hits == 1,
                        Modifier::AnyOf => hits > 0,
                    }
                }
                (CmpOp::In | CmpOp::Intersects | CmpOp::PMatch, None) => constants
                    .iter()
                    .any(|c| compare_constant(check.op, ty, item, c)),
                _ => false,
            },
        }
    };
    let any_match = check
        .lhs
        .plain_field()
        .is_some_and(|(id, arg)| arg.is_none() && id.info().any_match);
    match &lhs {
        Value::List(items) => {
            if items.is_empty() {
                return false;
            }
            if any_match {
                return items.iter().any(scalar_test);
            }
            let either_end = check
                .lhs
                .plain_field()
                .is_some_and(|(id, _)| id.info().either_end);
            let every = match check.op {
                CmpOp::In => !either_end,
                CmpOp::Ne => check.modifier.is_none(),
                CmpOp::Exists => return true,
                _ => false,
            };
            if every {
                items.iter().all(scalar_test)
            } else {
                items.iter().any(scalar_test)
            }
        }
        scalar => scalar_test(scalar),
    }
}

/// `fd.*ip.name` with `=`, `!=` or `in` (libsinsp's `compare_domain`): true when the address
/// is among the addresses of a name on the right, or when the event carries the name itself
/// and it is one of them; `!=` negates `=`. Values of other kinds compare false. `None` for
/// other fields and for `exists`.
fn domain_name_check(check: &FieldCheck, lhs: &Value<'_>, names: &DomainNames) -> Option<bool> {
    let (id, _) = check.lhs.plain_field()?;
    if !id.info().domain_name || check.op == CmpOp::Exists {
        return None;
    }
    let constants: Vec<String> = match &check.rhs {
        CheckRhs::Value(c) => vec![const_text(c)],
        CheckRhs::List(cs) => cs.iter().map(const_text).collect(),
        _ => return Some(false),
    };
    let is = |name: &str| match lhs {
        Value::Ip(ip) => Some(names.resolves_to(name, *ip)),
        Value::Str(text) => Some(match text.parse::<IpAddr>() {
            Ok(ip) => names.resolves_to(name, ip),
            Err(_) => **text == *name,
        }),
        _ => None,
    };
    let mut hit = false;
    for name in &constants {
        match is(name) {
            Some(h) => hit |= h,
            None => return Some(false),
        }
    }
    Some(if check.op == CmpOp::Ne { !hit } else { hit })
}

fn const_text(c: &Const) -> String {
    match c {
        Const::Str(s) => s.clone(),
        Const::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        other => other.to_string(),
    }
}

fn const_number(c: &Const) -> Option<i128> {
    match c {
        Const::Int(i) => Some(i128::from(*i)),
        Const::Uint(u) => Some(i128::from(*u)),
        Const::Bool(b) => Some(i128::from(*b)),
        Const::Double(d) if d.fract() == 0.0 => Some(*d as i128),
        Const::Str(s) => crate::value::parse_number(s),
        _ => None,
    }
}

/// One value against one constant, by the value's type.
fn compare_constant(op: CmpOp, ty: FieldType, value: &Value<'_>, c: &Const) -> bool {
    let equality = matches!(op, CmpOp::Eq | CmpOp::Ne | CmpOp::In | CmpOp::Intersects);
    if equality && matches!(ty, FieldType::Ip | FieldType::IpNet) {
        let net: Option<IpNet> = match c {
            Const::Net { addr, prefix } => format!("{addr}/{prefix}").parse().ok(),
            other => const_text(other).parse().ok(),
        };
        let inside = match (net, value_as_ip(value)) {
            (Some(net), Some(ip)) => net.contains(&ip),
            _ => return false,
        };
        return inside != (op == CmpOp::Ne);
    }
    if ty == FieldType::Bool && equality {
        let constant = match c {
            Const::Bool(b) => *b,
            other => match const_text(other).as_str() {
                "true" => true,
                "false" => false,
                _ => return false,
            },
        };
        let actual = match value {
            Value::Bool(b) => *b,
            other => match other.as_number() {
                Some(n) => n != 0,
                None => return false,
            },
        };
        return (actual == constant) != (op == CmpOp::Ne);
    }
    if ty == FieldType::Double && (equality || op.is_ordering()) {
        let constant = match c {
            Const::Double(d) => *d,
            other => match const_number(other) {
                Some(n) => n as f64,
                None => return false,
            },
        };
        return match value_as_f64(value).and_then(|v| v.partial_cmp(&constant)) {
            Some(ordering) => compare_ord(op, ordering),
            None => false,
        };
    }
    if (ty.is_numeric() || ty == FieldType::Bool) && (equality || op.is_ordering()) {
        return match (value.as_number(), const_number(c)) {
            (Some(v), Some(k)) => compare_ord(op, v.cmp(&k)),
            _ => false,
        };
    }
    let pattern = const_text(c);
    if let Value::Bytes(bytes) = value {
        let needle: Vec<u8> = match c {
            Const::Bytes(b) => b.clone(),
            _ => pattern.clone().into_bytes(),
        };
        return match op {
            CmpOp::Eq | CmpOp::In | CmpOp::Intersects => **bytes == *needle,
            CmpOp::Ne => **bytes != *needle,
            CmpOp::Contains | CmpOp::BContains => memchr::memmem::find(bytes, &needle).is_some(),
            CmpOp::StartsWith | CmpOp::BStartsWith => bytes.starts_with(&needle),
            CmpOp::EndsWith => bytes.ends_with(&needle),
            _ => std::str::from_utf8(bytes).is_ok_and(|t| string_op(op, t, &pattern)),
        };
    }
    let text = match value {
        Value::Str(s) => s.to_string(),
        other => other.to_string(),
    };
    match op {
        CmpOp::BContains | CmpOp::BStartsWith => {
            let needle: Vec<u8> = match c {
                Const::Bytes(b) => b.clone(),
                _ => pattern.into_bytes(),
            };
            if op == CmpOp::BContains {
                memchr::memmem::find(text.as_bytes(), &needle).is_some()
            } else {
                text.as_bytes().starts_with(&needle)
            }
        }
        _ => string_op(op, &text, &pattern),
    }
}

fn string_op(op: CmpOp, text: &str, pattern: &str) -> bool {
    match op {
        CmpOp::Eq | CmpOp::In | CmpOp::Intersects => text == pattern,
        CmpOp::Ne => text != pattern,
        CmpOp::Contains | CmpOp::BContains => text.contains(pattern),
        CmpOp::IContains => contains_ignore_ascii_case(text, &pattern.to_ascii_lowercase()),
        CmpOp::StartsWith | CmpOp::BStartsWith => text.starts_with(pattern),
        CmpOp::EndsWith => text.ends_with(pattern),
        CmpOp::Glob => Glob::new(pattern, false).matches(text),
        CmpOp::IGlob => Glob::new(pattern, true).matches(text),
        CmpOp::Regex => regex::Regex::new(&saker_rules::full_match_regex(pattern))
            .map(|r| r.is_match(text))
            .unwrap_or(false),
        CmpOp::PMatch => PathPrefix::new(pattern).matches(text),
        // Strings order as bytes (`strcmp`).
        CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => {
            compare_ord(op, text.as_bytes().cmp(pattern.as_bytes()))
        }
        CmpOp::Exists => false,
    }
}

/// Compares two event values (a right-hand field): numerically when both are numbers, as
/// addresses when both are addresses, otherwise as text.
pub(crate) fn compare_dynamic(op: CmpOp, lhs: &Value<'_>, rhs: &Value<'_>) -> bool {
    let numeric = |v: &Value<'_>| matches!(v, Value::Int(_) | Value::UInt(_) | Value::Bool(_));
    if numeric(lhs) || numeric(rhs) {
        if let (Some(a), Some(b)) = (lhs.as_number(), rhs.as_number()) {
            return compare_ord(op, a.cmp(&b));
        }
        return false;
    }
    if let (Value::Ip(a), Value::Ip(b)) = (lhs, rhs) {
        return compare_ord(op, a.cmp(b));
    }
    if let (CmpOp::In | CmpOp::Intersects, Value::List(items)) = (op, rhs) {
        // `x in val(list_field)`: any element.
        return items
            .iter()
            .any(|item| compare_dynamic(CmpOp::Eq, lhs, item));
    }
    string_op(op, &lhs.to_string(), &rhs.to_string())
}
