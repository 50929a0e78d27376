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
    pub lhs: FieldOperand,
    pub op: CmpOp,
    pub modifier: Option<Modifier>,
    pub rhs: CheckRhs,
}

/// A field with its argument and transformers (outermost first).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FieldOperand {
    pub field: FieldId,
    pub arg: Option<FieldArg>,
    pub transformers: Vec<Transformer>,
}

impl FieldOperand {
    /// The type of the value after transformers (`len()` yields an integer).
    pub fn value_type(&self) -> FieldType {
        if self.transformers.first() == Some(&Transformer::Len) {
            FieldType::Int {
                signed: false,
                bits: 64,
            }
        } else {
            self.field.info().ty
        }
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
    /// `val(field)` or a transformed field: compare against another field of the same event.
    Field(FieldOperand),
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
    /// A network `addr/prefix` (also accepted where an address is expected).
    Net {
        addr: IpAddr,
        prefix: u8,
    },
    /// Bytes for `bcontains`/`bstartswith` (given as hex).
    Bytes(Vec<u8>),
}

impl fmt::Display for FieldOperand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for t in &self.transformers {
            write!(f, "{}(", t.as_str())?;
        }
        f.write_str(self.field.name())?;
        match &self.arg {
            None => {}
            Some(FieldArg::Index(i)) => write!(f, "[{i}]")?,
            Some(FieldArg::Key(k)) => {
                if k.chars()
                    .all(|c| !c.is_whitespace() && !matches!(c, '[' | ']' | '"' | '\''))
                    && !k.is_empty()
                {
                    write!(f, "[{k}]")?
                } else {
                    write!(f, "[{}]", crate::print::quote(k))?
                }
            }
        }
        for _ in &self.transformers {
            f.write_str(")")?;
        }
        Ok(())
    }
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
                    CheckRhs::Field(field) if field.transformers.is_empty() => {
                        write!(f, " val({field})")
                    }
                    CheckRhs::Field(field) => write!(f, " {field}"),
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
