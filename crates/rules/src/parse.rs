//! The condition parser: libsinsp's filter grammar (`userspace/libsinsp/filter/parser.cpp`,
//! libs 0.25), hand-written like the original so positions and error messages match in spirit.
//!
//! ```text
//! Expr     ::= Or
//! Or       ::= And ('or' (blank | '(') And)*
//! And      ::= Not ('and' (blank | '(') Not)*
//! Not      ::= ('not' blank)* (Check | 'not(' Or ')')
//! Check    ::= '(' Or ')' | FieldExpr Cond | Identifier
//! FieldExpr::= Transformer '(' FieldExpr ')' | Field ('[' (Quoted | BareArg) ']')?
//! Cond     ::= 'exists' | NumOp (Num | RhsField) | StrOp [Modifier List] (Str | RhsField)
//!            | ListOp ('(' [Str (',' Str)*] ')' | RhsField | Identifier)
//! RhsField ::= 'val(' Field ')' | Transformer '(' FieldExpr ')'
//! ```

use std::fmt;

use crate::ast::{
    Check, CmpOp, Expr, ExprKind, FieldExpr, FieldRef, Modifier, Rhs, Span, Transformer, Value,
};

/// Deepest nesting of parentheses/negations accepted (libsinsp stops at 100 recursion levels).
const MAX_DEPTH: u32 = 100;

/// A syntax error with the byte range it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at offset {})", self.message, self.span.start)
    }
}

impl std::error::Error for ParseError {}

/// Parses a condition into its syntax tree.
pub fn parse(input: &str) -> Result<Expr, ParseError> {
    let mut parser = Parser {
        src: input,
        bytes: input.as_bytes(),
        pos: 0,
        depth: 0,
        last_token: String::new(),
    };
    if input.trim_matches(is_blank_char).is_empty() {
        return Err(ParseError {
            span: Span::new(0, input.len()),
            message: "condition is empty".into(),
        });
    }
    let expr = parser.parse_or()?;
    parser.lex_blank();
    if parser.pos != parser.bytes.len() {
        let end = parser.token_end();
        return Err(parser.error_at(
            parser.pos,
            end,
            format!(
                "unexpected token after '{}', expecting 'or', 'and'",
                parser.last_token
            ),
        ));
    }
    Ok(expr)
}

fn is_blank_char(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\x08' | '\r' | '\n')
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | 0x08 | b'\r' | b'\n')
}

/// Characters allowed in a bare string value: anything but blanks, `()"'=,`.
pub(crate) fn is_bare_value_byte(b: u8) -> bool {
    !is_blank(b) && !matches!(b, b'(' | b')' | b'"' | b'\'' | b'=' | b',') && b != 0
}

/// Characters allowed in a bare field argument: anything but blanks, brackets and quotes.
pub(crate) fn is_bare_arg_byte(b: u8) -> bool {
    !is_blank(b) && !matches!(b, b'[' | b']' | b'"' | b'\'') && b != 0
}

const STR_OPS: &[(&str, CmpOp, bool)] = &[
    // (token, op, needs a blank after it)
    ("==", CmpOp::Eq, false),
    ("=", CmpOp::Eq, false),
    ("!=", CmpOp::Ne, false),
    ("glob", CmpOp::Glob, true),
    ("iglob", CmpOp::IGlob, true),
    ("contains", CmpOp::Contains, true),
    ("icontains", CmpOp::IContains, true),
    ("bcontains", CmpOp::BContains, true),
    ("startswith", CmpOp::StartsWith, true),
    ("bstartswith", CmpOp::BStartsWith, true),
    ("endswith", CmpOp::EndsWith, true),
    ("regex", CmpOp::Regex, true),
];

const NUM_OPS: &[(&str, CmpOp)] = &[
    ("<=", CmpOp::Le),
    ("<", CmpOp::Lt),
    (">=", CmpOp::Ge),
    (">", CmpOp::Gt),
];

const LIST_OPS: &[(&str, CmpOp)] = &[
    ("intersects", CmpOp::Intersects),
    ("in", CmpOp::In),
    ("pmatch", CmpOp::PMatch),
];

const MODIFIERS: &[(&str, Modifier)] = &[
    ("oneof", Modifier::OneOf),
    ("anyof", Modifier::AnyOf),
    ("allof", Modifier::AllOf),
];

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: u32,
    last_token: String,
}

type PResult<T> = Result<T, ParseError>;

impl<'a> Parser<'a> {
    fn error_at(&self, start: usize, end: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            span: Span::new(start, end.max(start)),
            message: message.into(),
        }
    }

    fn error_here(&self, message: impl Into<String>) -> ParseError {
        let end = self.token_end();
        self.error_at(self.pos, end, message)
    }

    /// End of the "word" at the cursor, to underline it in errors.
    fn token_end(&self) -> usize {
        let mut end = self.pos;
        while end < self.bytes.len() && !is_blank(self.bytes[end]) {
            end += 1;
            if end - self.pos == 1 && matches!(self.bytes[self.pos], b'(' | b')' | b',') {
                break;
            }
        }
        // Stay on a char boundary.
        while end < self.bytes.len() && !self.src.is_char_boundary(end) {
            end += 1;
        }
        end.max(self.pos + usize::from(self.pos < self.bytes.len()))
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return Err(self.error_here(format!("exceeded max depth limit of {MAX_DEPTH}")));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn lex_blank(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(is_blank) {
            self.pos += 1;
        }
        self.pos > start
    }

    fn lex_str(&mut self, token: &str) -> bool {
        if self.bytes[self.pos..].starts_with(token.as_bytes()) {
            self.pos += token.len();
            self.last_token = token.to_string();
            true
        } else {
            false
        }
    }

    /// `[a-zA-Z][a-zA-Z0-9_]*` at `at`, returning its end.
    fn ident_end(&self, at: usize) -> Option<usize> {
        let first = *self.bytes.get(at)?;
        if !first.is_ascii_alphabetic() {
            return None;
        }
        let mut end = at + 1;
        while self
            .bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            end += 1;
        }
        Some(end)
    }

    fn lex_identifier(&mut self) -> Option<(String, Span)> {
        let end = self.ident_end(self.pos)?;
        let start = self.pos;
        self.pos = end;
        self.last_token = self.src[start..end].to_string();
        Some((self.last_token.clone(), Span::new(start, end)))
    }

    /// A field name: at least two identifiers joined by dots.
    fn lex_field_name(&mut self) -> Option<(String, Span)> {
        let start = self.pos;
        let mut end = self.ident_end(start)?;
        let mut parts = 1;
        while self.bytes.get(end) == Some(&b'.') {
            match self.ident_end(end + 1) {
                Some(next) => {
                    end = next;
                    parts += 1;
                }
                None => break,
            }
        }
        if parts < 2 {
            return None;
        }
        self.pos = end;
        self.last_token = self.src[start..end].to_string();
        Some((self.last_token.clone(), Span::new(start, end)))
    }

    /// A transformer name followed by `(` (`tolower(`), not `val(`.
    fn lex_transformer(&mut self) -> Option<Transformer> {
        for t in Transformer::ALL {
            let rest = &self.bytes[self.pos..];
            let name = t.as_str().as_bytes();
            if rest.starts_with(name) && rest.get(name.len()) == Some(&b'(') {
                self.pos += name.len() + 1;
                self.last_token = format!("{}(", t.as_str());
                return Some(t);
            }
        }
        None
    }

    fn lex_quoted(&mut self) -> PResult<Option<(String, Span)>> {
        let Some(delim @ (b'"' | b'\'')) = self.peek() else {
            return Ok(None);
        };
        let start = self.pos;
        let mut out = String::new();
        let mut i = start + 1;
        loop {
            let Some(&b) = self.bytes.get(i) else {
                return Err(self.error_at(start, self.bytes.len(), "unterminated quoted string"));
            };
            if b == delim {
                i += 1;
                break;
            }
            if b == b'\\' {
                let Some(&next) = self.bytes.get(i + 1) else {
                    return Err(self.error_at(
                        start,
                        self.bytes.len(),
                        "unterminated quoted string",
                    ));
                };
                let unescaped = match next {
                    b'b' => '\x08',
                    b'f' => '\x0c',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    // libsinsp turns `\ ` into a backslash for compatibility with old rules.
                    b'\\' | b' ' => '\\',
                    b'/' => '/',
                    b'"' | b'\'' if next == delim => next as char,
                    b'"' | b'\'' => {
                        return Err(self.error_at(
                            i,
                            i + 2,
                            format!(
                                "invalid \\{} escape in {}-quoted string",
                                next as char, delim as char
                            ),
                        ));
                    }
                    _ => {
                        let end = (i + 2..=self.bytes.len())
                            .find(|e| self.src.is_char_boundary(*e))
                            .unwrap_or(self.bytes.len());
                        return Err(self.error_at(
                            i,
                            end,
                            format!(
                                "unsupported string escape sequence: \\{}",
                                &self.src[i + 1..end]
                            ),
                        ));
                    }
                };
                out.push(unescaped);
                i += 2;
                continue;
            }
            // Copy one UTF-8 character.
            let ch_end = (i + 1..=self.bytes.len())
                .find(|e| self.src.is_char_boundary(*e))
                .unwrap_or(self.bytes.len());
            out.push_str(&self.src[i..ch_end]);
            i = ch_end;
        }
        self.pos = i;
        self.last_token = self.src[start..i].to_string();
        Ok(Some((out, Span::new(start, i))))
    }

    fn lex_while(&mut self, accept: impl Fn(u8) -> bool) -> Option<(String, Span)> {
        let start = self.pos;
        let mut end = start;
        while self.bytes.get(end).copied().is_some_and(&accept) {
            end += 1;
        }
        if end == start {
            return None;
        }
        // Bare strings end on ASCII delimiters, so `end` is a char boundary.
        self.pos = end;
        self.last_token = self.src[start..end].to_string();
        Some((self.last_token.clone(), Span::new(start, end)))
    }

    fn lex_number(&mut self) -> Option<(String, Span)> {
        let start = self.pos;
        let b = self.bytes;
        let mut i = start;
        // Hex: 0[xX][0-9a-zA-Z]+
        if b.get(i) == Some(&b'0') && matches!(b.get(i + 1), Some(b'x' | b'X')) {
            let mut j = i + 2;
            while b.get(j).is_some_and(|c| c.is_ascii_alphanumeric()) {
                j += 1;
            }
            if j > i + 2 {
                self.pos = j;
                self.last_token = self.src[start..j].to_string();
                return Some((self.last_token.clone(), Span::new(start, j)));
            }
        }
        // Decimal: [+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)?
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let digits = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == digits {
            return None;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E'))
            && matches!(b.get(i + 1), Some(b'+' | b'-'))
            && b.get(i + 2).is_some_and(u8::is_ascii_digit)
        {
            i += 2;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        self.pos = i;
        self.last_token = self.src[start..i].to_string();
        Some((self.last_token.clone(), Span::new(start, i)))
    }

    fn parse_or(&mut self) -> PResult<Expr> {
        self.parse_chain("or", Self::parse_and, ExprKind::Or)
    }

    fn parse_and(&mut self) -> PResult<Expr> {
        self.parse_chain("and", Self::parse_not, ExprKind::And)
    }

    /// `operand (keyword operand)*`: the `or` and `and` levels of libsinsp's grammar. After
    /// the keyword comes a blank or a `(` that opens an embedded expression.
    fn parse_chain(
        &mut self,
        keyword: &str,
        operand: fn(&mut Self) -> PResult<Expr>,
        make: fn(Vec<Expr>) -> ExprKind,
    ) -> PResult<Expr> {
        self.enter()?;
        self.lex_blank();
        let start = self.pos;
        let mut children = vec![operand(self)?];
        self.lex_blank();
        while self.lex_str(keyword) {
            let child = if self.lex_blank() {
                operand(self)?
            } else if self.lex_str("(") {
                self.parse_embedded_remainder()?
            } else if self.pos >= self.bytes.len() {
                return Err(self.error_at(
                    self.pos - keyword.len(),
                    self.pos,
                    format!("unexpected end of condition after '{keyword}'"),
                ));
            } else {
                return Err(self.error_here(format!("expected blank or '(' after '{keyword}'")));
            };
            children.push(child);
            self.lex_blank();
        }
        self.leave();
        Ok(collapse(children, start, make))
    }

    fn lex_not_blank(&mut self) -> bool {
        let rest = &self.bytes[self.pos..];
        if rest.starts_with(b"not") && rest.get(3).copied().is_some_and(is_blank) {
            self.pos += 3;
            self.lex_blank();
            self.last_token = "not".into();
            true
        } else {
            false
        }
    }

    fn parse_not(&mut self) -> PResult<Expr> {
        self.enter()?;
        self.lex_blank();
        let start = self.pos;
        let mut negate = false;
        while self.lex_not_blank() {
            negate = !negate;
        }
        let child = if self.lex_str("not(") {
            negate = !negate;
            self.parse_embedded_remainder()?
        } else {
            self.parse_check()?
        };
        self.leave();
        Ok(if negate {
            let end = child.span.end as usize;
            Expr {
                kind: ExprKind::Not(Box::new(child)),
                span: Span::new(start, end),
            }
        } else {
            child
        })
    }

    /// After a `(`: an expression and the closing `)`.
    fn parse_embedded_remainder(&mut self) -> PResult<Expr> {
        self.enter()?;
        let open = self.pos - 1;
        self.lex_blank();
        let mut child = self.parse_or()?;
        self.lex_blank();
        if !self.lex_str(")") {
            let mut err = self.error_here("expected a ')' token");
            if self.pos >= self.bytes.len() {
                err = self.error_at(
                    open,
                    open + 1,
                    "unbalanced parentheses: this '(' is never closed",
                );
            }
            return Err(err);
        }
        // The span of a parenthesized expression covers the parentheses.
        child.span = Span::new(open, self.pos);
        self.leave();
        Ok(child)
    }

    fn parse_check(&mut self) -> PResult<Expr> {
        self.enter()?;
        self.lex_blank();
        let start = self.pos;
        if self.lex_str("(") {
            let e = self.parse_embedded_remainder()?;
            self.leave();
            return Ok(e);
        }
        if let Some((name, span)) = self.lex_field_name() {
            let field = self.parse_field_remainder(name, span)?;
            let lhs = FieldExpr {
                transformers: Vec::new(),
                span: field.span,
                field,
            };
            let e = self.parse_condition(lhs, start)?;
            self.leave();
            return Ok(e);
        }
        if let Some(t) = self.lex_transformer() {
            let lhs = self.parse_transformer_remainder(t, start)?;
            let e = self.parse_condition(lhs, start)?;
            self.leave();
            return Ok(e);
        }
        if let Some((name, span)) = self.lex_identifier() {
            self.leave();
            return Ok(Expr {
                kind: ExprKind::Macro(name),
                span,
            });
        }
        if self.pos >= self.bytes.len() {
            return Err(self.error_at(
                self.pos.saturating_sub(1),
                self.pos,
                format!(
                    "unexpected end of condition after '{}': expected a '(' token, a field check, or an identifier",
                    self.last_token
                ),
            ));
        }
        if self.peek() == Some(b')') {
            return Err(self.error_here("unbalanced parentheses: unexpected ')'"));
        }
        Err(self.error_here("expected a '(' token, a field check, or an identifier"))
    }

    fn parse_field_remainder(&mut self, name: String, name_span: Span) -> PResult<FieldRef> {
        let mut arg = None;
        if self.lex_str("[") {
            let value = match self.lex_quoted()? {
                Some(v) => v,
                None => match self.lex_while(is_bare_arg_byte) {
                    Some(v) => v,
                    None => {
                        return Err(self.error_here(
                            "expected a valid field argument: a quoted string or a bare string",
                        ));
                    }
                },
            };
            arg = Some(value.0);
            if !self.lex_str("]") {
                return Err(self.error_here("expected a ']' token"));
            }
        }
        Ok(FieldRef {
            name,
            arg,
            span: Span::new(name_span.start as usize, self.pos),
        })
    }

    /// After `tolower(`: a nested transformer or a field, then `)`.
    fn parse_transformer_remainder(
        &mut self,
        outer: Transformer,
        start: usize,
    ) -> PResult<FieldExpr> {
        self.enter()?;
        self.lex_blank();
        let mut inner = if let Some(t) = self.lex_transformer() {
            let at = self.pos - t.as_str().len() - 1;
            self.parse_transformer_remainder(t, at)?
        } else if let Some((name, span)) = self.lex_field_name() {
            let field = self.parse_field_remainder(name, span)?;
            FieldExpr {
                transformers: Vec::new(),
                span: field.span,
                field,
            }
        } else {
            return Err(self.error_here(
                "expected a field or a nested valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len'",
            ));
        };
        self.lex_blank();
        if !self.lex_str(")") {
            return Err(self.error_here("expected a ')' token closing the transformer"));
        }
        inner.transformers.insert(0, outer);
        inner.span = Span::new(start, self.pos);
        self.leave();
        Ok(inner)
    }

    fn parse_condition(&mut self, lhs: FieldExpr, start: usize) -> PResult<Expr> {
        self.lex_blank();
        let make = |check: Check, end: usize| Expr {
            kind: ExprKind::Check(Box::new(check)),
            span: Span::new(start, end),
        };
        if self.lex_str("exists") {
            return Ok(make(
                Check {
                    lhs,
                    op: CmpOp::Exists,
                    modifier: None,
                    rhs: Rhs::None,
                },
                self.pos,
            ));
        }
        for (token, op) in NUM_OPS {
            if self.lex_str(token) {
                let rhs = self.parse_num_rhs()?;
                return Ok(make(
                    Check {
                        lhs,
                        op: *op,
                        modifier: None,
                        rhs,
                    },
                    self.pos,
                ));
            }
        }
        for (token, op, needs_blank) in STR_OPS {
            let rest = &self.bytes[self.pos..];
            if rest.starts_with(token.as_bytes())
                && (!needs_blank || rest.get(token.len()).copied().is_some_and(is_blank))
            {
                self.pos += token.len();
                self.last_token = token.to_string();
                self.lex_blank();
                if let Some(modifier) = self.lex_modifier() {
                    let rhs = self.parse_list_rhs(false)?;
                    return Ok(make(
                        Check {
                            lhs,
                            op: *op,
                            modifier: Some(modifier),
                            rhs,
                        },
                        self.pos,
                    ));
                }
                let rhs = self.parse_str_rhs()?;
                return Ok(make(
                    Check {
                        lhs,
                        op: *op,
                        modifier: None,
                        rhs,
                    },
                    self.pos,
                ));
            }
        }
        for (token, op) in LIST_OPS {
            if self.lex_str(token) {
                let rhs = self.parse_list_rhs(true)?;
                return Ok(make(
                    Check {
                        lhs,
                        op: *op,
                        modifier: None,
                        rhs,
                    },
                    self.pos,
                ));
            }
        }
        if self.pos >= self.bytes.len() {
            return Err(self.error_at(
                lhs.span.start as usize,
                lhs.span.end as usize,
                format!(
                    "missing operator after '{}': expected one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'",
                    self.last_token
                ),
            ));
        }
        Err(self.error_here(
            "expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'",
        ))
    }

    fn lex_modifier(&mut self) -> Option<Modifier> {
        for (token, modifier) in MODIFIERS {
            let rest = &self.bytes[self.pos..];
            if rest.starts_with(token.as_bytes())
                && rest
                    .get(token.len())
                    .copied()
                    .is_some_and(|b| is_blank(b) || b == b'(')
            {
                self.pos += token.len();
                self.last_token = token.to_string();
                self.lex_blank();
                return Some(*modifier);
            }
        }
        None
    }

    /// `val(field)` or `transformer(...)` on the right-hand side.
    fn try_parse_rhs_field(&mut self) -> PResult<Option<FieldExpr>> {
        let start = self.pos;
        if self.lex_str("val(") {
            self.lex_blank();
            let Some((name, span)) = self.lex_field_name() else {
                return Err(self.error_here("expected a field within 'val' transformer"));
            };
            let field = self.parse_field_remainder(name, span)?;
            self.lex_blank();
            if !self.lex_str(")") {
                return Err(self.error_here("expected a ')' token closing the transformer"));
            }
            return Ok(Some(FieldExpr {
                transformers: Vec::new(),
                field,
                span: Span::new(start, self.pos),
            }));
        }
        if let Some(t) = self.lex_transformer() {
            return Ok(Some(self.parse_transformer_remainder(t, start)?));
        }
        Ok(None)
    }

    fn parse_num_rhs(&mut self) -> PResult<Rhs> {
        self.lex_blank();
        if let Some(field) = self.try_parse_rhs_field()? {
            return Ok(Rhs::Field(field));
        }
        if let Some((text, span)) = self.lex_number() {
            return Ok(Rhs::Value(Value { text, span }));
        }
        Err(self.error_here(
            "expected a number value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len'",
        ))
    }

    fn parse_str_value(&mut self) -> PResult<Option<Value>> {
        if let Some((text, span)) = self.lex_quoted()? {
            return Ok(Some(Value { text, span }));
        }
        Ok(self
            .lex_while(is_bare_value_byte)
            .map(|(text, span)| Value { text, span }))
    }

    fn parse_str_rhs(&mut self) -> PResult<Rhs> {
        self.lex_blank();
        if let Some(field) = self.try_parse_rhs_field()? {
            return Ok(Rhs::Field(field));
        }
        if let Some(value) = self.parse_str_value()? {
            return Ok(Rhs::Value(value));
        }
        if self.pos >= self.bytes.len() {
            return Err(self.error_at(
                self.pos.saturating_sub(1),
                self.pos,
                format!("missing value after '{}'", self.last_token),
            ));
        }
        Err(self.error_here(
            "expected a string value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len'",
        ))
    }

    fn parse_list_rhs(&mut self, allow_field: bool) -> PResult<Rhs> {
        self.lex_blank();
        let start = self.pos;
        if self.lex_str("(") {
            let mut values = Vec::new();
            self.lex_blank();
            if let Some(first) = self.parse_str_value()? {
                values.push(first);
                self.lex_blank();
                while self.lex_str(",") {
                    self.lex_blank();
                    match self.parse_str_value()? {
                        Some(v) => values.push(v),
                        None => return Err(self.error_here("expected a string value")),
                    }
                    self.lex_blank();
                }
            }
            if !self.lex_str(")") {
                if self.pos >= self.bytes.len() {
                    return Err(self.error_at(
                        start,
                        start + 1,
                        "unbalanced parentheses: this '(' is never closed",
                    ));
                }
                return Err(self.error_here("expected a ')' token"));
            }
            return Ok(Rhs::List(values, Span::new(start, self.pos)));
        }
        if allow_field && let Some(field) = self.try_parse_rhs_field()? {
            return Ok(Rhs::Field(field));
        }
        if let Some((name, span)) = self.lex_identifier() {
            return Ok(Rhs::ListName(name, span));
        }
        Err(self.error_here(
            "expected a list, an identifier, or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len'",
        ))
    }
}

fn collapse(mut children: Vec<Expr>, start: usize, make: fn(Vec<Expr>) -> ExprKind) -> Expr {
    if children.len() == 1 {
        return children.pop().expect("one child");
    }
    let end = children.last().map_or(start, |c| c.span.end as usize);
    Expr {
        kind: make(children),
        span: Span::new(start, end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::strip_spans;
    use crate::print::print;

    /// Parses and prints back; the printed form is a normalized, unambiguous rendering.
    fn check(input: &str, expect: &str) {
        let expr = parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(print(&expr), expect, "input: {input}");
    }

    fn check_err(input: &str, expect: &str) {
        let err = parse(input).expect_err(input);
        assert_eq!(
            format!("{}@{}", err.message, err.span.start),
            expect,
            "input: {input}"
        );
    }

    #[test]
    fn grammar() {
        let cases = [
            ("proc.name=bash", "proc.name = bash"),
            ("proc.name == bash", "proc.name = bash"),
            ("a and b or c and not d", "(a and b) or (c and (not d))"),
            ("not not a", "a"),
            ("not(a or b)", "not (a or b)"),
            ("a and(b)", "a and b"),
            ("(a)or(b)", "a or b"),
            (
                "evt.type in (open,openat, \"x y\")",
                "evt.type in (open, openat, \"x y\")",
            ),
            ("evt.type in ()", "evt.type in ()"),
            ("proc.name in shell_binaries", "proc.name in shell_binaries"),
            ("proc.aname[2] = sshd", "proc.aname[2] = sshd"),
            ("proc.env['HOME'] exists", "proc.env[HOME] exists"),
            (
                "jevt.value[/requestObject/spec] contains x",
                "jevt.value[/requestObject/spec] contains x",
            ),
            (
                "container.mount.dest[/var/run/docker.sock] != \"\"",
                "container.mount.dest[/var/run/docker.sock] != \"\"",
            ),
            (
                "evt.rawres >= -1 and fd.num<0x10",
                "evt.rawres >= -1 and fd.num < 0x10",
            ),
            ("proc.pid > 1.5e+3", "proc.pid > 1.5e+3"),
            ("fd.name glob '/etc/*'", "fd.name glob /etc/*"),
            (
                "proc.cmdline contains \"a\\\"b\\\\c\"",
                "proc.cmdline contains \"a\\\"b\\\\c\"",
            ),
            ("proc.name = 'it'", "proc.name = it"),
            ("tolower(proc.name) = bash", "tolower(proc.name) = bash"),
            (
                "toupper( b64(proc.name) ) = X",
                "toupper(b64(proc.name)) = X",
            ),
            ("len(proc.args) > 10", "len(proc.args) > 10"),
            ("proc.name = val(proc.pname)", "proc.name = val(proc.pname)"),
            (
                "proc.name in basename(proc.exepath)",
                "proc.name in basename(proc.exepath)",
            ),
            (
                "proc.name contains anyof (a, b)",
                "proc.name contains anyof (a, b)",
            ),
            (
                "proc.name startswith allof(a,b)",
                "proc.name startswith allof (a, b)",
            ),
            ("proc.name = oneof (a)", "proc.name = oneof (a)"),
            ("proc.name regex \"b.*sh\"", "proc.name regex b.*sh"),
            (
                "fd.name pmatch (/etc, /usr/bin)",
                "fd.name pmatch (/etc, /usr/bin)",
            ),
            (
                "ka.req.pod.containers.image intersects (a, b)",
                "ka.req.pod.containers.image intersects (a, b)",
            ),
            ("evt.buffer bcontains 6162", "evt.buffer bcontains 6162"),
            ("a\n and\tb", "a and b"),
            (
                "evt.arg.flags contains O_CREAT",
                "evt.arg.flags contains O_CREAT",
            ),
        ];
        for (input, expect) in cases {
            check(input, expect);
        }
    }

    #[test]
    fn errors() {
        let cases = [
            ("", "condition is empty@0"),
            ("   ", "condition is empty@0"),
            ("(a", "unbalanced parentheses: this '(' is never closed@0"),
            ("a)", "unexpected token after 'a', expecting 'or', 'and'@1"),
            ("a and", "unexpected end of condition after 'and'@2"),
            (
                "a and ",
                "unexpected end of condition after 'and': expected a '(' token, a field check, or an identifier@5",
            ),
            ("a andb", "expected blank or '(' after 'and'@5"),
            (
                "proc.name",
                "missing operator after 'proc.name': expected one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'@0",
            ),
            ("proc.name =", "missing value after '='@10"),
            (
                "proc.pid > abc",
                "expected a number value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len'@11",
            ),
            ("proc.name = \"abc", "unterminated quoted string@12"),
            (
                "proc.name = \"a\\qb\"",
                "unsupported string escape sequence: \\q@14",
            ),
            (
                "proc.name = 'a\\\"b'",
                "invalid \\\" escape in '-quoted string@14",
            ),
            ("proc.aname[2 = x", "expected a ']' token@12"),
            ("proc.name in (a, )", "expected a string value@17"),
            ("proc.name in (a b)", "expected a ')' token@16"),
            (
                "tolower(x) = a",
                "expected a field or a nested valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len'@8",
            ),
            (
                "1 = 1",
                "expected a '(' token, a field check, or an identifier@0",
            ),
            ("a orb", "expected blank or '(' after 'or'@4"),
        ];
        for (input, expect) in cases {
            check_err(input, expect);
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}a{}", "(".repeat(5000), ")".repeat(5000));
        assert!(
            parse(&deep)
                .unwrap_err()
                .message
                .starts_with("exceeded max depth")
        );
        let nots = format!("{}a", "not ".repeat(5000));
        assert!(parse(&nots).is_ok());
    }

    #[test]
    fn spans_point_at_nodes() {
        let expr = parse("a and proc.name in (x, \"y\")").unwrap();
        let ExprKind::And(children) = &expr.kind else {
            panic!()
        };
        assert_eq!(children[1].span, Span::new(6, 27));
        let ExprKind::Check(check) = &children[1].kind else {
            panic!()
        };
        assert_eq!(check.lhs.field.span, Span::new(6, 15));
        let Rhs::List(values, span) = &check.rhs else {
            panic!()
        };
        assert_eq!(*span, Span::new(19, 27));
        assert_eq!(values[1].span, Span::new(23, 26));
    }

    mod roundtrip {
        use super::*;
        use crate::ast::{
            Check, CmpOp, Expr, ExprKind, FieldExpr, FieldRef, Modifier, Rhs, Transformer, Value,
        };
        use proptest::prelude::*;

        fn ident() -> impl Strategy<Value = String> {
            "[a-z][a-z0-9_]{0,6}"
                .prop_filter("keywords", |s| !matches!(s.as_str(), "and" | "or" | "not"))
        }

        fn field_ref() -> impl Strategy<Value = FieldRef> {
            (
                prop::collection::vec(ident(), 2..4),
                prop::option::of(prop_oneof![
                    "[0-9]{1,3}",
                    "[a-zA-Z/_.*-]{1,8}",
                    "[ -~]{0,6}".prop_filter("no quotes", |s| !s.contains('\'')),
                ]),
            )
                .prop_map(|(parts, arg)| FieldRef {
                    name: parts.join("."),
                    arg,
                    span: Span::default(),
                })
        }

        fn field_expr() -> impl Strategy<Value = FieldExpr> {
            (
                prop::collection::vec(prop::sample::select(Transformer::ALL.to_vec()), 0..3),
                field_ref(),
            )
                .prop_map(|(transformers, field)| FieldExpr {
                    transformers,
                    field,
                    span: Span::default(),
                })
        }

        fn value() -> impl Strategy<Value = Value> {
            prop_oneof!["[a-zA-Z0-9_/.*-]{1,10}", "[ -~\\t\\n]{0,10}", "\\PC{0,5}",].prop_map(
                |text| Value {
                    text,
                    span: Span::default(),
                },
            )
        }

        fn number() -> impl Strategy<Value = Value> {
            prop_oneof!["-?[0-9]{1,6}", "0x[0-9a-f]{1,4}", "[0-9]{1,3}\\.[0-9]{1,3}"].prop_map(
                |text| Value {
                    text,
                    span: Span::default(),
                },
            )
        }

        fn check_expr() -> impl Strategy<Value = Expr> {
            let str_ops = vec![
                CmpOp::Eq,
                CmpOp::Ne,
                CmpOp::Contains,
                CmpOp::IContains,
                CmpOp::BContains,
                CmpOp::StartsWith,
                CmpOp::BStartsWith,
                CmpOp::EndsWith,
                CmpOp::Glob,
                CmpOp::IGlob,
                CmpOp::Regex,
            ];
            let num_ops = vec![CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge];
            let list_ops = vec![CmpOp::In, CmpOp::Intersects, CmpOp::PMatch];
            let modifiers = vec![Modifier::OneOf, Modifier::AnyOf, Modifier::AllOf];
            let rhs_field = field_expr();
            let check = prop_oneof![
                field_expr().prop_map(|lhs| (lhs, CmpOp::Exists, None, Rhs::None)),
                (field_expr(), prop::sample::select(num_ops), number()).prop_map(|(lhs, op, v)| (
                    lhs,
                    op,
                    None,
                    Rhs::Value(v)
                )),
                (field_expr(), prop::sample::select(str_ops.clone()), value())
                    .prop_map(|(lhs, op, v)| (lhs, op, None, Rhs::Value(v))),
                (
                    field_expr(),
                    prop::sample::select(str_ops),
                    prop::sample::select(modifiers),
                    prop::collection::vec(value(), 0..4)
                )
                    .prop_map(|(lhs, op, m, vs)| (
                        lhs,
                        op,
                        Some(m),
                        Rhs::List(vs, Span::default())
                    )),
                (
                    field_expr(),
                    prop::sample::select(list_ops.clone()),
                    prop::collection::vec(value(), 0..4)
                )
                    .prop_map(|(lhs, op, vs)| (
                        lhs,
                        op,
                        None,
                        Rhs::List(vs, Span::default())
                    )),
                (field_expr(), prop::sample::select(list_ops), ident()).prop_map(
                    |(lhs, op, name)| (lhs, op, None, Rhs::ListName(name, Span::default()))
                ),
                (
                    field_expr(),
                    prop::sample::select(vec![CmpOp::Eq, CmpOp::Lt, CmpOp::In]),
                    rhs_field
                )
                    .prop_map(|(lhs, op, f)| (lhs, op, None, Rhs::Field(f))),
            ];
            check.prop_map(|(lhs, op, modifier, rhs)| Expr {
                kind: ExprKind::Check(Box::new(Check {
                    lhs,
                    op,
                    modifier,
                    rhs,
                })),
                span: Span::default(),
            })
        }

        fn expr() -> impl Strategy<Value = Expr> {
            let leaf = prop_oneof![
                check_expr(),
                ident().prop_map(|n| Expr {
                    kind: ExprKind::Macro(n),
                    span: Span::default()
                }),
            ];
            leaf.prop_recursive(4, 24, 4, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 2..4).prop_map(|c| Expr {
                        kind: ExprKind::And(c),
                        span: Span::default()
                    }),
                    prop::collection::vec(inner.clone(), 2..4).prop_map(|c| Expr {
                        kind: ExprKind::Or(c),
                        span: Span::default()
                    }),
                    inner.prop_map(|e| Expr {
                        kind: ExprKind::Not(Box::new(e)),
                        span: Span::default()
                    }),
                ]
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]
            #[test]
            fn parse_print_roundtrip(e in expr()) {
                let text = print(&e);
                let mut parsed = parse(&text).map_err(|err| TestCaseError::fail(format!("{text:?}: {err}")))?;
                strip_spans(&mut parsed);
                prop_assert_eq!(parsed, e, "printed: {}", text);
            }

            #[test]
            fn parser_never_panics(s in "\\PC{0,60}") {
                let _ = parse(&s);
            }
        }
    }
}
