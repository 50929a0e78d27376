//! The syntax tree of a condition as written, before names are resolved.
//!
//! Every node carries a [`Span`] (byte offsets into the condition text). Macro references and
//! list names are still names here; [`crate::check`] resolves them into a [`crate::Filter`].

use std::fmt;

/// Byte range `start..end` in the condition text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }
}

/// A boolean expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `a and b and c` (at least two children).
    And(Vec<Expr>),
    /// `a or b or c` (at least two children).
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// A bare identifier: a macro reference.
    Macro(String),
    Check(Box<Check>),
}

/// `lhs op rhs`, or `lhs exists`.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub lhs: FieldExpr,
    pub op: CmpOp,
    /// `contains anyof (a, b)` (Falco 0.44).
    pub modifier: Option<Modifier>,
    pub rhs: Rhs,
}

/// A field, possibly wrapped in transformers: `tolower(proc.name)`, `proc.aname[2]`.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldExpr {
    /// Outermost first: `toupper(b64(x))` is `[Toupper, B64]`.
    pub transformers: Vec<Transformer>,
    pub field: FieldRef,
    pub span: Span,
}

/// A field name with its optional bracket argument, as written.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldRef {
    /// Dotted name as written (`evt.arg.flags` keeps the dotted argument in the name).
    pub name: String,
    /// The text between `[` and `]`, unquoted.
    pub arg: Option<String>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Transformer {
    Tolower,
    Toupper,
    B64,
    Basename,
    Len,
}

impl Transformer {
    pub const ALL: [Transformer; 5] = [
        Transformer::Tolower,
        Transformer::Toupper,
        Transformer::B64,
        Transformer::Basename,
        Transformer::Len,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Transformer::Tolower => "tolower",
            Transformer::Toupper => "toupper",
            Transformer::B64 => "b64",
            Transformer::Basename => "basename",
            Transformer::Len => "len",
        }
    }
}

/// Comparison operators (`==` is parsed as [`CmpOp::Eq`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Exists,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
    IContains,
    BContains,
    StartsWith,
    BStartsWith,
    EndsWith,
    Glob,
    IGlob,
    /// RE2-style regular expression, full match.
    Regex,
    In,
    Intersects,
    PMatch,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Exists => "exists",
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Contains => "contains",
            CmpOp::IContains => "icontains",
            CmpOp::BContains => "bcontains",
            CmpOp::StartsWith => "startswith",
            CmpOp::BStartsWith => "bstartswith",
            CmpOp::EndsWith => "endswith",
            CmpOp::Glob => "glob",
            CmpOp::IGlob => "iglob",
            CmpOp::Regex => "regex",
            CmpOp::In => "in",
            CmpOp::Intersects => "intersects",
            CmpOp::PMatch => "pmatch",
        }
    }

    /// Operators whose right side is a list.
    pub fn takes_list(self) -> bool {
        matches!(self, CmpOp::In | CmpOp::Intersects | CmpOp::PMatch)
    }

    /// `<`, `<=`, `>`, `>=`.
    pub fn is_ordering(self) -> bool {
        matches!(self, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge)
    }

    /// String operators that accept a `oneof/anyof/allof` modifier.
    pub fn accepts_modifier(self) -> bool {
        matches!(
            self,
            CmpOp::Eq
                | CmpOp::Ne
                | CmpOp::Contains
                | CmpOp::IContains
                | CmpOp::BContains
                | CmpOp::StartsWith
                | CmpOp::BStartsWith
                | CmpOp::EndsWith
                | CmpOp::Glob
                | CmpOp::IGlob
                | CmpOp::Regex
        )
    }
}

impl fmt::Display for CmpOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// String comparison modifiers of Falco 0.44: `proc.name contains allof (my, exe)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Modifier {
    /// Exactly one of the values matches.
    OneOf,
    /// At least one value matches.
    AnyOf,
    /// Every value matches.
    AllOf,
}

impl Modifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Modifier::OneOf => "oneof",
            Modifier::AnyOf => "anyof",
            Modifier::AllOf => "allof",
        }
    }
}

/// The right-hand side of a check.
#[derive(Clone, Debug, PartialEq)]
pub enum Rhs {
    /// `exists` has none.
    None,
    Value(Value),
    /// `(a, b, "c d")`.
    List(Vec<Value>, Span),
    /// `in shell_binaries`: a list name.
    ListName(String, Span),
    /// `val(proc.pname)` or a transformed field (`tolower(proc.pname)`).
    Field(FieldExpr),
}

/// A literal value, unquoted and unescaped.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub text: String,
    pub span: Span,
}

/// Sets every span of the tree to zero, to compare trees by shape only.
pub fn strip_spans(expr: &mut Expr) {
    expr.span = Span::default();
    match &mut expr.kind {
        ExprKind::And(children) | ExprKind::Or(children) => {
            children.iter_mut().for_each(strip_spans)
        }
        ExprKind::Not(inner) => strip_spans(inner),
        ExprKind::Macro(_) => {}
        ExprKind::Check(check) => {
            strip_field(&mut check.lhs);
            match &mut check.rhs {
                Rhs::None => {}
                Rhs::Value(v) => v.span = Span::default(),
                Rhs::List(values, span) => {
                    *span = Span::default();
                    values.iter_mut().for_each(|v| v.span = Span::default());
                }
                Rhs::ListName(_, span) => *span = Span::default(),
                Rhs::Field(field) => strip_field(field),
            }
        }
    }
}

fn strip_field(field: &mut FieldExpr) {
    field.span = Span::default();
    field.field.span = Span::default();
}
