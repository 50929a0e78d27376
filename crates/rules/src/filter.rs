//! The checked condition: fields resolved to [`FieldId`]s, macros and lists inlined, values
//! parsed for the field's type, exceptions appended. This is what the engine compiles.

use std::fmt;
use std::net::IpAddr;

use crate::ast::{CmpOp, Modifier, Transformer};
use crate::fields::{FieldId, FieldType};

/// A checked boolean expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Not(Box<Filter>),
    Check(Box<FieldCheck>),
    /// A constant, e.g. an exception with no values (`or` of nothing is false).
    Const(bool),
}

/// One comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldCheck {
    pub lhs: Operand,
    pub op: CmpOp,
    pub modifier: Option<Modifier>,
    pub rhs: CheckRhs,
}

/// What a check reads: a base value (a field, a literal, a list, a multi-value transformer)
/// with a chain of one-argument transformers on top (`toupper(basename(x))`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Operand {
    pub base: Base,
    /// One-argument transformers, outermost first; applied innermost first.
    pub transformers: Vec<Transformer>,
}

/// Kept for the engine and other users of the pre-transformer API: an operand.
pub type FieldOperand = Operand;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Base {
    Field {
        field: FieldId,
        arg: Option<FieldArg>,
    },
    /// A quoted string or a number given to a transformer.
    Literal(String),
    /// `(a.b, "x", 1)` given to a transformer: each item's text, in order.
    List(Vec<Operand>),
    /// `join(separator, list)`: the list's items joined by the separator.
    Join(Box<Operand>, Box<Operand>),
    /// `concat(a, b, ...)`.
    Concat(Vec<Operand>),
    /// `getopt(args, optstring)`: the options and their values found in `args` as getopt(3)
    /// reads them; with a selector (`getopt(...)[t]`), the last value of that option.
    Getopt {
        args: Box<Operand>,
        optstring: Box<Operand>,
        select: Option<char>,
    },
}

impl Operand {
    /// A plain field.
    pub fn field(field: FieldId, arg: Option<FieldArg>) -> Operand {
        Operand {
            base: Base::Field { field, arg },
            transformers: Vec::new(),
        }
    }

    /// The field and argument when the operand reads one field, through transformers or not.
    pub fn as_field(&self) -> Option<(FieldId, Option<&FieldArg>)> {
        match &self.base {
            Base::Field { field, arg } => Some((*field, arg.as_ref())),
            _ => None,
        }
    }

    /// The field when the operand is exactly one field, without transformers.
    pub fn plain_field(&self) -> Option<(FieldId, Option<&FieldArg>)> {
        if self.transformers.is_empty() {
            self.as_field()
        } else {
            None
        }
    }

    /// The type of the value (of each element when [`Operand::is_list`]) after transformers.
    pub fn value_type(&self) -> FieldType {
        self.typed().0
    }

    /// Whether the operand yields several values (a list field, `getopt` without a selector).
    pub fn is_list(&self) -> bool {
        self.typed().1
    }

    /// Type and list-ness, following libsinsp's transformer type rules.
    pub fn typed(&self) -> (FieldType, bool) {
        let (mut ty, mut list) = match &self.base {
            Base::Field { field, .. } => (field.info().ty, field.info().list),
            Base::Literal(_) | Base::Join(..) | Base::Concat(_) => (FieldType::String, false),
            Base::List(_) => (FieldType::String, true),
            Base::Getopt { select, .. } => (FieldType::String, select.is_none()),
        };
        for t in self.transformers.iter().rev() {
            if *t == Transformer::Len {
                ty = FieldType::Int {
                    signed: false,
                    bits: 64,
                };
                list = false;
            }
        }
        (ty, list)
    }
}

/// A field argument: `proc.aname[2]` is an index, `proc.env[HOME]` a key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FieldArg {
    Index(u64),
    Key(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum CheckRhs {
    /// `exists`.
    None,
    /// Scalar operators.
    Value(Value),
    /// `in`/`intersects`/`pmatch`, and modified string operators (`contains anyof (...)`); list
    /// names already expanded.
    List(Vec<Value>),
    /// `val(field)` or a transformer: compare against another value of the same event.
    Field(Operand),
}

/// A literal parsed for the type of the field it is compared with.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Strings and paths; for `regex`, the pattern as written (checked to compile).
    Str(String),
    Int(i64),
    Uint(u64),
    Double(f64),
    Bool(bool),
    Ip(IpAddr),
    /// A network `addr/prefix`.
    Net {
        addr: IpAddr,
        prefix: u8,
    },
    /// Bytes for `bcontains`/`bstartswith` (given as hex).
    Bytes(Vec<u8>),
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for t in &self.transformers {
            write!(f, "{}(", t.as_str())?;
        }
        match &self.base {
            Base::Field { field, arg } => {
                f.write_str(field.name())?;
                match arg {
                    None => {}
                    Some(FieldArg::Index(i)) => write!(f, "[{i}]")?,
                    Some(FieldArg::Key(k)) => write_key(f, k)?,
                }
            }
            Base::Literal(text) => f.write_str(&crate::print::quote(text))?,
            Base::List(items) => write_items(f, items)?,
            Base::Join(sep, list) => write!(f, "join({sep},{list})")?,
            Base::Concat(items) => {
                f.write_str("concat")?;
                write_items(f, items)?;
            }
            Base::Getopt {
                args,
                optstring,
                select,
            } => {
                write!(f, "getopt({args},{optstring})")?;
                if let Some(c) = select {
                    write_key(f, &c.to_string())?;
                }
            }
        }
        for _ in &self.transformers {
            f.write_str(")")?;
        }
        Ok(())
    }
}

fn write_key(f: &mut fmt::Formatter<'_>, key: &str) -> fmt::Result {
    if !key.is_empty() && key.bytes().all(crate::parse::is_bare_arg_byte) {
        write!(f, "[{key}]")
    } else {
        write!(f, "[{}]", crate::print::quote(key))
    }
}

fn write_items(f: &mut fmt::Formatter<'_>, items: &[Operand]) -> fmt::Result {
    f.write_str("(")?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(",")?;
        }
        write!(f, "{item}")?;
    }
    f.write_str(")")
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => f.write_str(&crate::print::value_text(s)),
            Value::Int(i) => write!(f, "{i}"),
            Value::Uint(u) => write!(f, "{u}"),
            Value::Double(d) => write!(f, "{d}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Ip(ip) => write!(f, "{ip}"),
            Value::Net { addr, prefix } => write!(f, "{addr}/{prefix}"),
            Value::Bytes(bytes) => {
                for b in bytes {
                    write!(f, "{b:02x}")?;
                }
                Ok(())
            }
        }
    }
}

/// Prints the filter back as condition text (fully parenthesized where needed); this is what
/// `saker rules describe` shows.
impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Filter::And(children) | Filter::Or(children) => {
                let sep = if matches!(self, Filter::And(_)) {
                    " and "
                } else {
                    " or "
                };
                for (i, child) in children.iter().enumerate() {
                    if i > 0 {
                        f.write_str(sep)?;
                    }
                    if matches!(child, Filter::And(_) | Filter::Or(_)) {
                        write!(f, "({child})")?;
                    } else {
                        write!(f, "{child}")?;
                    }
                }
                Ok(())
            }
            Filter::Not(inner) => match **inner {
                Filter::Check(_) | Filter::Const(_) => write!(f, "not {inner}"),
                _ => write!(f, "not ({inner})"),
            },
            Filter::Const(true) => f.write_str("always_true"),
            Filter::Const(false) => f.write_str("always_false"),
            Filter::Check(check) => {
                write!(f, "{} {}", check.lhs, check.op)?;
                if let Some(m) = check.modifier {
                    write!(f, " {}", m.as_str())?;
                }
                match &check.rhs {
                    CheckRhs::None => Ok(()),
                    CheckRhs::Value(v) => write!(f, " {v}"),
                    CheckRhs::List(values) => {
                        f.write_str(" (")?;
                        for (i, v) in values.iter().enumerate() {
                            if i > 0 {
                                f.write_str(", ")?;
                            }
                            write!(f, "{v}")?;
                        }
                        f.write_str(")")
                    }
                    CheckRhs::Field(operand) if operand.plain_field().is_some() => {
                        write!(f, " val({operand})")
                    }
                    CheckRhs::Field(operand) => write!(f, " {operand}"),
                }
            }
        }
    }
}

impl Filter {
    /// Visits every check, depth first.
    pub fn for_each_check<'a>(&'a self, visit: &mut impl FnMut(&'a FieldCheck)) {
        match self {
            Filter::And(children) | Filter::Or(children) => {
                children.iter().for_each(|c| c.for_each_check(visit))
            }
            Filter::Not(inner) => inner.for_each_check(visit),
            Filter::Check(check) => visit(check),
            Filter::Const(_) => {}
        }
    }
}

impl Operand {
    /// Visits this operand and every operand inside it (transformer arguments), depth first.
    pub fn for_each_operand<'a>(&'a self, visit: &mut impl FnMut(&'a Operand)) {
        visit(self);
        match &self.base {
            Base::Field { .. } | Base::Literal(_) => {}
            Base::List(items) | Base::Concat(items) => {
                items.iter().for_each(|i| i.for_each_operand(visit))
            }
            Base::Join(a, b) => {
                a.for_each_operand(visit);
                b.for_each_operand(visit);
            }
            Base::Getopt {
                args, optstring, ..
            } => {
                args.for_each_operand(visit);
                optstring.for_each_operand(visit);
            }
        }
    }
}

/// One test of a conjunction, and whether it is negated.
pub type Literal<'a> = (bool, &'a FieldCheck);

impl Filter {
    /// The filter in disjunctive normal form: alternatives of conjunctions of literals, with
    /// negations pushed down to the tests. `None` when it expands to more than `max`
    /// alternatives (each `and` of `or`s multiplies them).
    pub fn dnf(&self, max: usize) -> Option<Vec<Vec<Literal<'_>>>> {
        self.dnf_negated(false, max)
    }

    fn dnf_negated(&self, negated: bool, max: usize) -> Option<Vec<Vec<Literal<'_>>>> {
        let conjunctions = match (self, negated) {
            (Filter::Const(b), n) => {
                if *b != n {
                    vec![Vec::new()]
                } else {
                    Vec::new()
                }
            }
            (Filter::Check(check), n) => vec![vec![(n, check.as_ref())]],
            (Filter::Not(inner), n) => return inner.dnf_negated(!n, max),
            // `a and b` (or `not (a or b)`): every pairing of their alternatives.
            (Filter::And(children), false) | (Filter::Or(children), true) => {
                let mut acc: Vec<Vec<Literal<'_>>> = vec![Vec::new()];
                for child in children {
                    let alternatives = child.dnf_negated(negated, max)?;
                    let mut next = Vec::new();
                    for left in &acc {
                        for right in &alternatives {
                            let mut both = left.clone();
                            both.extend(right.iter().copied());
                            next.push(both);
                        }
                    }
                    if next.len() > max {
                        return None;
                    }
                    acc = next;
                }
                acc
            }
            (Filter::Or(children), false) | (Filter::And(children), true) => {
                let mut acc = Vec::new();
                for child in children {
                    acc.extend(child.dnf_negated(negated, max)?);
                    if acc.len() > max {
                        return None;
                    }
                }
                acc
            }
        };
        (conjunctions.len() <= max).then_some(conjunctions)
    }
}

impl FieldCheck {
    /// No argument, transformer or modifier: a plain field compared as it is.
    pub fn is_plain(&self) -> bool {
        self.lhs.plain_field().is_some_and(|(_, arg)| arg.is_none()) && self.modifier.is_none()
    }

    /// The name of the field the check reads (through transformers or not); empty when its
    /// left side is not one field (`join`, `concat`, `getopt`).
    pub fn field_name(&self) -> &'static str {
        self.lhs.as_field().map_or("", |(field, _)| field.name())
    }

    /// The strings the check compares with (one value or a list); `None` when it compares
    /// with anything else.
    pub fn strings(&self) -> Option<Vec<&str>> {
        match &self.rhs {
            CheckRhs::Value(Value::Str(s)) => Some(vec![s.as_str()]),
            CheckRhs::List(values) => values
                .iter()
                .map(|v| match v {
                    Value::Str(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }

    /// The names of a plain `=`, `!=` or `in` test against strings (for `evt.type`: the
    /// event types it names; `!=` still has to be inverted by the caller).
    pub fn compared_names(&self) -> Option<Vec<&str>> {
        let shape = matches!(
            (&self.op, &self.rhs),
            (CmpOp::Eq | CmpOp::Ne, CheckRhs::Value(_)) | (CmpOp::In, CheckRhs::List(_))
        );
        if shape && self.is_plain() {
            self.strings()
        } else {
            None
        }
    }

    /// `Some(true)` when this test (negated or not) means "the call succeeded", `Some(false)`
    /// when it means "it failed": `evt.rawres`/`fd.num` against 0 or equal to a negative
    /// number, `evt.res` against `SUCCESS` or starting with `E` (an errno name, as Falco's
    /// `open_file_failed` tests), `evt.failed`.
    pub fn result_test(&self, negated: bool) -> Option<bool> {
        let zero = matches!(self.rhs, CheckRhs::Value(Value::Int(0) | Value::Uint(0)));
        let success = match (self.field_name(), self.op, &self.rhs) {
            ("fd.num" | "evt.rawres", CmpOp::Ge, _) if zero => true,
            ("fd.num" | "evt.rawres", CmpOp::Lt, _) if zero => false,
            ("fd.num" | "evt.rawres", CmpOp::Eq, CheckRhs::Value(Value::Int(n))) if *n < 0 => false,
            ("evt.res", CmpOp::StartsWith, CheckRhs::Value(Value::Str(s)))
                if s.starts_with('E') =>
            {
                false
            }
            ("evt.res", CmpOp::Eq, CheckRhs::Value(Value::Str(s))) if s == "SUCCESS" => true,
            ("evt.res", CmpOp::Ne, CheckRhs::Value(Value::Str(s))) if s == "SUCCESS" => false,
            ("evt.failed", CmpOp::Eq, CheckRhs::Value(Value::Bool(b))) => !b,
            ("evt.failed", CmpOp::Ne, CheckRhs::Value(Value::Bool(b))) => *b,
            _ => return None,
        };
        Some(success != negated)
    }
}
