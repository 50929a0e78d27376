//! The syntax tree of a condition as written, before names are resolved.
//!
//! The shape follows libsinsp's filter AST (`userspace/libsinsp/filter/ast.h`, libs 0.25):
//! checks compare an [`Operand`] (a field, or a transformer over fields, values and lists)
//! with a right-hand side. Every node carries a [`Span`] whose start is the position libsinsp
//! gives the same node (byte offset into the condition text). Macro references and list names
//! are still names here; [`crate::check`] resolves them into a [`crate::Filter`].

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
    pub lhs: Operand,
    pub op: CmpOp,
    /// The operator was written `==` (kept so the condition prints back as written).
    pub double_eq: bool,
    /// `contains anyof (a, b)` (libs 0.25).
    pub modifier: Option<Modifier>,
    pub rhs: Rhs,
}

/// What a check reads: a field, or a transformer applied to its arguments.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Field(FieldRef),
    Transform(Box<Transform>),
}

impl Operand {
    pub fn span(&self) -> Span {
        match self {
            Operand::Field(f) => f.span,
            Operand::Transform(t) => t.span,
        }
    }

    /// A plain field with no transformer.
    pub fn field(name: &str) -> Operand {
        Operand::Field(FieldRef {
            name: name.to_string(),
            arg: None,
            span: Span::default(),
        })
    }
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

/// `tolower(proc.name)`, `join("-", (fd.name, fd.directory))`, `getopt(proc.args, "t:")[t]`,
/// and `val(proc.pname)` on a right-hand side.
#[derive(Clone, Debug, PartialEq)]
pub struct Transform {
    pub transformer: Transformer,
    pub args: Vec<TransformArg>,
    /// A bracket argument after the closing parenthesis (`getopt(...)[t]`).
    pub arg: Option<String>,
    pub span: Span,
}

/// One argument of a transformer.
#[derive(Clone, Debug, PartialEq)]
pub enum TransformArg {
    Operand(Operand),
    /// A quoted string or a number.
    Value(Value),
    /// `(a.b, "text", 1)`: fields, transformers, quoted strings and numbers.
    List(Vec<TransformArg>, Span),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Transformer {
    Tolower,
    Toupper,
    B64,
    Basename,
    Len,
    Join,
    Concat,
    Getopt,
    /// `val(field)`: the value of another field (right-hand side only).
    Val,
}

impl Transformer {
    /// The transformers a check's operand may use (`val` is only for right-hand sides).
    pub const ALL: [Transformer; 8] = [
        Transformer::Tolower,
        Transformer::Toupper,
        Transformer::B64,
        Transformer::Basename,
        Transformer::Len,
        Transformer::Join,
        Transformer::Concat,
        Transformer::Getopt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Transformer::Tolower => "tolower",
            Transformer::Toupper => "toupper",
            Transformer::B64 => "b64",
            Transformer::Basename => "basename",
            Transformer::Len => "len",
            Transformer::Join => "join",
            Transformer::Concat => "concat",
            Transformer::Getopt => "getopt",
            Transformer::Val => "val",
        }
    }

    /// `join`, `concat` and `getopt` take several arguments.
    pub fn is_multivalue(self) -> bool {
        matches!(
            self,
            Transformer::Join | Transformer::Concat | Transformer::Getopt
        )
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

    /// The operator spelled `text` (`=` and `==` are both [`CmpOp::Eq`]).
    pub fn from_name(text: &str) -> Option<CmpOp> {
        use CmpOp::*;
        Some(match text {
            "=" | "==" => Eq,
            "!=" => Ne,
            "<" => Lt,
            "<=" => Le,
            ">" => Gt,
            ">=" => Ge,
            "contains" => Contains,
            "icontains" => IContains,
            "bcontains" => BContains,
            "startswith" => StartsWith,
            "bstartswith" => BStartsWith,
            "endswith" => EndsWith,
            "glob" => Glob,
            "iglob" => IGlob,
            "regex" => Regex,
            "in" => In,
            "intersects" => Intersects,
            "pmatch" => PMatch,
            "exists" => Exists,
            _ => return None,
        })
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

/// String comparison modifiers of libs 0.25: `proc.name contains allof (my, exe)`.
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

    pub fn from_name(text: &str) -> Option<Modifier> {
        match text {
            "oneof" => Some(Modifier::OneOf),
            "anyof" => Some(Modifier::AnyOf),
            "allof" => Some(Modifier::AllOf),
            _ => None,
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
    /// An identifier after a list operator or a modifier (`in shell_binaries`): a list name,
    /// or a single value when no list has that name (libsinsp's reading).
    ListName(String, Span),
    /// `val(proc.pname)` or a transformer (`tolower(proc.pname)`).
    Operand(Operand),
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
            strip_operand(&mut check.lhs);
            match &mut check.rhs {
                Rhs::None => {}
                Rhs::Value(v) => v.span = Span::default(),
                Rhs::List(values, span) => {
                    *span = Span::default();
                    values.iter_mut().for_each(|v| v.span = Span::default());
                }
                Rhs::ListName(_, span) => *span = Span::default(),
                Rhs::Operand(operand) => strip_operand(operand),
            }
        }
    }
}

fn strip_operand(operand: &mut Operand) {
    match operand {
        Operand::Field(f) => f.span = Span::default(),
        Operand::Transform(t) => {
            t.span = Span::default();
            t.args.iter_mut().for_each(strip_arg);
        }
    }
}

fn strip_arg(arg: &mut TransformArg) {
    match arg {
        TransformArg::Operand(o) => strip_operand(o),
        TransformArg::Value(v) => v.span = Span::default(),
        TransformArg::List(items, span) => {
            *span = Span::default();
            items.iter_mut().for_each(strip_arg);
        }
    }
}
