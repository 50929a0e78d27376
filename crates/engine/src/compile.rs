//! Compiling a checked [`Filter`] into pre-resolved tests (the leaves of a [`Program`]).
//!
//! Compilation does every piece of work that does not depend on the event: fields become
//! slots, constants are parsed for the field's type once (numbers, addresses, networks), `in`
//! lists become hash sets, globs and regexes are compiled, case-insensitive constants are
//! lowered. Evaluating a compiled node is a walk over these prepared tests with no string
//! lookups and no parsing.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::net::IpAddr;
use std::sync::Arc;

use memchr::memmem::Finder;
use regex::Regex;
use saker_rules::ast::{CmpOp, Modifier, Transformer};
use saker_rules::fields::{FieldId, FieldType};
use saker_rules::filter::{
    Base, CheckRhs, FieldCheck, Filter, Operand as RuleOperand, Value as Const,
};

use crate::domain_names::{DomainName, DomainNames};
use crate::event::{Event, EventTypeId};
use crate::field::{FieldRef, FieldTable};
use crate::glob::{Glob, PathPrefix};
use crate::program::{Leaf, Program};
use crate::transform::apply_transformers;
use crate::value::{IpNet, Value};

/// A compiled condition as a tree whose leaves are indexes into [`Program::leaves`]: the
/// shape [`Program::emit`] turns into a flat branch program, once per event type.
#[derive(Debug)]
pub(crate) enum Node {
    And(Box<[Node]>),
    Or(Box<[Node]>),
    Not(Box<Node>),
    Const(bool),
    Leaf(u32),
}

/// `not (F = c1 and r1) and not (F in (c2, c3) and r2) and ...`: true unless, for F's value
/// `v`, some member with `v` among its constants has its rest true. Evaluated by looking F up
/// once and running only the rests of the members `v` selects.
#[derive(Debug)]
pub(crate) struct Exclusions {
    pub(crate) field: FieldRef,
    pub(crate) by_value: HashMap<Box<str>, Box<[u32]>, BuildHasherDefault<FxHasher>>,
    /// Entry of each member's rest in the program.
    pub(crate) rests: Box<[u32]>,
    /// Entry of each member compiled as written, for values the fast path cannot read
    /// (missing, lists, computed).
    pub(crate) originals: Box<[u32]>,
}

/// What a check reads, with its transformers; see [`saker_rules::Operand`].
#[derive(Debug)]
pub(crate) struct Operand {
    pub input: Input,
    /// One-argument transformers, outermost first; applied innermost first.
    pub transformers: Box<[Transformer]>,
    /// An ancestor field without an index: a comparison holds when it holds for any
    /// ancestor (libsinsp's `proc.aname in (...)`).
    pub any_match: bool,
}

#[derive(Debug)]
pub(crate) enum Input {
    Field(FieldRef),
    Literal(Box<str>),
    List(Box<[Operand]>),
    Join(Box<Operand>, Box<Operand>),
    Concat(Box<[Operand]>),
    Getopt {
        args: Box<Operand>,
        optstring: Box<Operand>,
        select: Option<char>,
    },
}

impl Operand {
    /// The field, when the operand is one field read as is (the engine's fast paths).
    #[inline(always)]
    pub(crate) fn plain_field(&self) -> Option<&FieldRef> {
        match &self.input {
            Input::Field(field) if self.transformers.is_empty() => Some(field),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub(crate) struct Check {
    lhs: Operand,
    test: Test,
}

impl Check {
    /// For an `evt.type` test, whether it is true for the named type `id` (not
    /// [`EventTypeId::OTHER`], whose outcome depends on the event).
    pub(crate) fn event_type_outcome(&self, id: EventTypeId) -> Option<bool> {
        match &self.test {
            Test::EventType { set, negate } if id != EventTypeId::OTHER => {
                Some(set.get(id.0 as usize).copied().unwrap_or(false) != *negate)
            }
            _ => None,
        }
    }
}

/// What to do with the left-hand value.
#[derive(Debug)]
enum Test {
    Exists,
    /// Never true: a modified operator with no values (`= oneof ()`), as libsinsp evaluates
    /// it.
    Never,
    /// `=`, `contains`, `glob`, ... on strings and buffers, optionally with a modifier over
    /// several patterns. `negate` is `!=`: with a modifier it applies to each pattern
    /// (`!= oneof (a, b)`: exactly one value differs), as libsinsp does.
    Str {
        patterns: Box<[StrPattern]>,
        modifier: Option<Modifier>,
        negate: bool,
    },
    /// `=` / `!=` with one string: the most common check, kept one pointer away.
    StrEq {
        constant: Box<str>,
        negate: bool,
    },
    /// `<`, `<=`, `>`, `>=` on strings: byte order (`strcmp`).
    StrOrd {
        op: CmpOp,
        constant: Box<str>,
    },
    /// `in` / `intersects` over strings.
    StrSet {
        set: StrSet,
        all: bool,
    },
    /// `pmatch`.
    PathPrefixes(Box<[PathPrefix]>),
    /// Numeric comparison (ints, ports, times; booleans as 0/1 never reach here).
    Num {
        op: CmpOp,
        constant: i128,
    },
    Float {
        op: CmpOp,
        constant: f64,
    },
    NumSet {
        set: Box<[i128]>,
        all: bool,
    },
    Bool {
        constant: bool,
        negate: bool,
    },
    /// `=`, `!=`, `in`, `intersects` on addresses: each constant is a network (a single
    /// address is a /32 or /128).
    Net {
        nets: Box<[IpNet]>,
        negate: bool,
        all: bool,
    },
    /// A modifier over single-value tests of another type (`fd.sip == anyof (...)`,
    /// `proc.pid != allof (1, 2)`).
    Modified {
        tests: Box<[Test]>,
        modifier: Modifier,
    },
    /// `evt.type` against named types, by id (`set` is indexed by `EventTypeId`).
    EventType {
        set: Box<[bool]>,
        negate: bool,
    },
    /// `fd.sip.name = NAME`, `!= NAME`, `in (NAMES)`: the fd's address among the addresses
    /// the names resolve to (libsinsp's `compare_domain`); see [`domain_name_hit`].
    DomainName {
        names: Box<[Arc<DomainName>]>,
        negate: bool,
    },
    /// Another value of the same event on the right: compared at run time.
    Field {
        op: CmpOp,
        other: Operand,
    },
}

#[derive(Debug)]
enum StrPattern {
    Eq(Box<str>),
    Contains(Finder<'static>),
    /// Constant already lowercased.
    IContains(Box<str>),
    StartsWith(Box<str>),
    EndsWith(Box<str>),
    BContains(Finder<'static>),
    BStartsWith(Box<[u8]>),
    Glob(Glob),
    Regex(Regex),
}

/// A string set: a few strings are faster to scan than to hash. Most lookups miss (an
/// event rarely has the names a rule lists), so a one-probe 256-bit filter on the length and
/// the first and last bytes answers most misses in a few instructions, before any hashing:
/// that cut StrSet::contains from ~72 to ~38 instructions per call on bench/engine.sh.
#[derive(Debug)]
struct StrSet {
    filter: [u64; 4],
    members: StrSetMembers,
}

#[derive(Debug)]
enum StrSetMembers {
    Small(Box<[Box<str>]>),
    Hashed(HashSet<Box<str>, BuildHasherDefault<FxHasher>>),
}

/// The multiply-rotate hash of rustc (FxHash): much cheaper than SipHash for the short
/// strings of rule lists, and the keys come from rules files, not from attackers.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The filter bit of `s`: mixes its length with its first and last bytes.
#[inline(always)]
fn str_set_filter_bit(s: &[u8]) -> usize {
    let first = s.first().copied().unwrap_or(0) as usize;
    let last = s.last().copied().unwrap_or(0) as usize;
    (s.len().wrapping_mul(0x9e) ^ first.wrapping_mul(0x3b) ^ last.wrapping_mul(0x65)) & 255
}

impl StrSet {
    fn new(items: Vec<Box<str>>) -> StrSet {
        let mut filter = [0u64; 4];
        for item in &items {
            let bit = str_set_filter_bit(item.as_bytes());
            filter[bit / 64] |= 1 << (bit % 64);
        }
        let members = if items.len() <= 6 {
            StrSetMembers::Small(items.into_boxed_slice())
        } else {
            StrSetMembers::Hashed(items.into_iter().collect())
        };
        StrSet { filter, members }
    }

    #[inline]
    fn contains(&self, s: &str) -> bool {
        let bit = str_set_filter_bit(s.as_bytes());
        if self.filter[bit / 64] & (1 << (bit % 64)) == 0 {
            return false;
        }
        match &self.members {
            StrSetMembers::Small(items) => items
                .iter()
                .any(|item| bytes_eq(item.as_bytes(), s.as_bytes())),
            StrSetMembers::Hashed(set) => set.contains(s),
        }
    }
}

/// A condition the engine cannot compile (the rules crate already type-checked it, so this
/// means a regex that the `regex` crate refuses or a value of an unexpected kind).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CompileError(pub String);

/// What compilation shares across all rules of one engine.
pub(crate) struct CompileContext<'a> {
    pub table: &'a mut FieldTable,
    /// Event-type ids, for compiling `evt.type` checks into id tests.
    pub type_ids: &'a HashMap<String, EventTypeId>,
    pub type_count: usize,
    pub evt_type: Option<FieldId>,
    /// Where leaves and flattened sub-programs go.
    pub program: &'a mut Program,
    /// Leaf of each distinct check compiled so far, by its `Debug` form: identical checks
    /// (a macro used by several rules) become one leaf, compiled once and memoized.
    pub leaf_by_check: HashMap<String, u32>,
    /// The names `fd.*ip.name` checks compare with, resolved once compilation is done.
    pub names: &'a mut DomainNames,
}

pub(crate) fn compile(filter: &Filter, cx: &mut CompileContext<'_>) -> Result<Node, CompileError> {
    Ok(match filter {
        Filter::And(children) => Node::And(compile_and(children, cx)?.into_boxed_slice()),
        Filter::Or(children) => Node::Or(
            children
                .iter()
                .map(|c| compile(c, cx))
                .collect::<Result<_, _>>()?,
        ),
        Filter::Not(inner) => Node::Not(Box::new(compile(inner, cx)?)),
        Filter::Const(b) => Node::Const(*b),
        Filter::Check(check) => {
            let key = format!("{check:?}");
            if let Some(&leaf) = cx.leaf_by_check.get(&key) {
                cx.program.reuse_leaf(leaf);
                return Ok(Node::Leaf(leaf));
            }
            let check = compile_check(check, cx)?;
            let leaf = cx.program.add_leaf(Leaf::Check(check));
            cx.leaf_by_check.insert(key, leaf);
            Node::Leaf(leaf)
        }
    })
}

/// Exclusion chains of at least this many members on one field are dispatched by value.
const MIN_GUARDED_EXCLUSIONS: usize = 3;

/// A conjunct `not (F = c and rest...)` or `not (F in (c1, c2) and rest...)` (or without
/// `rest`) on a plain string field `F`: Falco rules' typical exclusion.
struct Exclusion<'f> {
    field: &'f RuleOperand,
    constants: Vec<String>,
    rest: Option<Filter>,
}

fn as_exclusion(filter: &Filter) -> Option<Exclusion<'_>> {
    let Filter::Not(inner) = filter else {
        return None;
    };
    let (guard, rest) = match &**inner {
        Filter::Check(check) => (check, None),
        Filter::And(parts) if parts.len() >= 2 => match &parts[0] {
            Filter::Check(check) => {
                let rest = if parts.len() == 2 {
                    parts[1].clone()
                } else {
                    Filter::And(parts[1..].to_vec())
                };
                (check, Some(rest))
            }
            _ => return None,
        },
        _ => return None,
    };
    let (id, _) = guard.lhs.plain_field()?;
    let info = id.info();
    if guard.modifier.is_some()
        || info.list
        || info.any_match
        || info.domain_name
        || !matches!(info.ty, FieldType::String | FieldType::AbsPath)
    {
        return None;
    }
    let constants = match (&guard.op, &guard.rhs) {
        (CmpOp::Eq, CheckRhs::Value(v)) => vec![str_constant(v)],
        (CmpOp::In | CmpOp::Intersects, CheckRhs::List(values)) => {
            values.iter().map(str_constant).collect()
        }
        _ => return None,
    };
    Some(Exclusion {
        field: &guard.lhs,
        constants,
        rest,
    })
}

/// Compiles the children of an `and`, merging long exclusion chains on one field
/// (`not (proc.name = a and ...) and not (proc.name = b and ...) and ...`) into one
/// [`Node::Exclusions`] that looks the field up once.
fn compile_and(
    children: &[Filter],
    cx: &mut CompileContext<'_>,
) -> Result<Vec<Node>, CompileError> {
    let exclusions: Vec<Option<Exclusion<'_>>> = children.iter().map(as_exclusion).collect();
    let mut groups: Vec<(&RuleOperand, Vec<usize>)> = Vec::new();
    for (i, exclusion) in exclusions.iter().enumerate() {
        if let Some(exclusion) = exclusion {
            match groups.iter_mut().find(|(f, _)| *f == exclusion.field) {
                Some((_, members)) => members.push(i),
                None => groups.push((exclusion.field, vec![i])),
            }
        }
    }
    groups.retain(|(_, members)| members.len() >= MIN_GUARDED_EXCLUSIONS);
    let mut nodes = Vec::with_capacity(children.len());
    for (i, child) in children.iter().enumerate() {
        match groups.iter().find(|(_, members)| members.contains(&i)) {
            // The group is emitted where its first member was.
            Some((field, members)) if members[0] == i => {
                let mut by_value: HashMap<Box<str>, Vec<u32>, BuildHasherDefault<FxHasher>> =
                    HashMap::default();
                let mut rests = Vec::with_capacity(members.len());
                let mut originals = Vec::with_capacity(members.len());
                for (k, &member) in members.iter().enumerate() {
                    let Some(exclusion) = &exclusions[member] else {
                        continue;
                    };
                    for constant in &exclusion.constants {
                        by_value
                            .entry(constant.as_str().into())
                            .or_default()
                            .push(k as u32);
                    }
                    let rest = match &exclusion.rest {
                        Some(rest) => compile(rest, cx)?,
                        None => Node::Const(true),
                    };
                    rests.push(cx.program.emit_program(&rest, None));
                    let original = compile(&children[member], cx)?;
                    originals.push(cx.program.emit_program(&original, None));
                }
                let Input::Field(guard_field) = operand(field, cx.table).input else {
                    return Err(CompileError("an exclusion guard is a plain field".into()));
                };
                let exclusions = Exclusions {
                    field: guard_field,
                    by_value: by_value
                        .into_iter()
                        .map(|(k, v)| (k, v.into_boxed_slice()))
                        .collect(),
                    rests: rests.into_boxed_slice(),
                    originals: originals.into_boxed_slice(),
                };
                nodes.push(Node::Leaf(
                    cx.program.add_leaf(Leaf::Exclusions(exclusions)),
                ));
            }
            Some(_) => {}
            None => nodes.push(compile(child, cx)?),
        }
    }
    Ok(nodes)
}

pub(crate) fn operand(op: &RuleOperand, table: &mut FieldTable) -> Operand {
    let input = match &op.base {
        Base::Field { field, arg } => Input::Field(table.intern(*field, arg.clone())),
        Base::Literal(text) => Input::Literal(text.as_str().into()),
        Base::List(items) => Input::List(items.iter().map(|i| operand(i, table)).collect()),
        Base::Join(sep, list) => Input::Join(
            Box::new(operand(sep, table)),
            Box::new(operand(list, table)),
        ),
        Base::Concat(items) => Input::Concat(items.iter().map(|i| operand(i, table)).collect()),
        Base::Getopt {
            args,
            optstring,
            select,
        } => Input::Getopt {
            args: Box::new(operand(args, table)),
            optstring: Box::new(operand(optstring, table)),
            select: *select,
        },
    };
    let any_match = op.transformers.is_empty()
        && op
            .plain_field()
            .is_some_and(|(id, arg)| arg.is_none() && id.info().any_match);
    Operand {
        input,
        transformers: op.transformers.clone().into_boxed_slice(),
        any_match,
    }
}

fn compile_check(check: &FieldCheck, cx: &mut CompileContext<'_>) -> Result<Check, CompileError> {
    if let Some(test) = event_type_test(check, cx) {
        return Ok(Check {
            lhs: operand(&check.lhs, cx.table),
            test,
        });
    }
    if let Some(test) = domain_name_test(check, cx.names) {
        return Ok(Check {
            lhs: operand(&check.lhs, cx.table),
            test,
        });
    }
    let table = &mut *cx.table;
    let lhs = operand(&check.lhs, table);
    let ty = check.lhs.value_type();
    let constants: Vec<&Const> = match &check.rhs {
        CheckRhs::None => Vec::new(),
        CheckRhs::Value(v) => vec![v],
        CheckRhs::List(values) => values.iter().collect(),
        CheckRhs::Field(other) => {
            let other = operand(other, table);
            return Ok(Check {
                lhs,
                test: Test::Field {
                    op: check.op,
                    other,
                },
            });
        }
    };
    let test = match (check.op, check.modifier) {
        (CmpOp::Exists, _) => Test::Exists,
        // libsinsp: a modifier with no values is false; so are `in ()` and friends.
        (_, Some(_)) | (CmpOp::In | CmpOp::Intersects | CmpOp::PMatch, None)
            if constants.is_empty() =>
        {
            Test::Never
        }
        (op, Some(modifier)) if !is_text(ty) => Test::Modified {
            tests: constants
                .iter()
                .map(|c| value_test(op, ty, std::slice::from_ref(c)))
                .collect::<Result<_, _>>()?,
            modifier,
        },
        (op, modifier) if is_text(ty) && !op.takes_list() && !op.is_ordering() => {
            let patterns = constants
                .iter()
                .map(|c| str_pattern(op, c))
                .collect::<Result<Vec<_>, _>>()?;
            match (&patterns[..], modifier) {
                ([StrPattern::Eq(constant)], None) => Test::StrEq {
                    constant: constant.clone(),
                    negate: op == CmpOp::Ne,
                },
                _ => Test::Str {
                    patterns: patterns.into_boxed_slice(),
                    modifier,
                    negate: op == CmpOp::Ne,
                },
            }
        }
        (op, _) => value_test(op, ty, &constants)?,
    };
    Ok(Check { lhs, test })
}

fn is_text(ty: FieldType) -> bool {
    matches!(
        ty,
        FieldType::String | FieldType::AbsPath | FieldType::Bytes
    )
}

/// The test for an operator without a modifier on a value of type `ty`.
fn value_test(op: CmpOp, ty: FieldType, constants: &[&Const]) -> Result<Test, CompileError> {
    let all = op == CmpOp::In;
    Ok(match op {
        CmpOp::Eq | CmpOp::Ne | CmpOp::In | CmpOp::Intersects
            if matches!(ty, FieldType::Ip | FieldType::IpNet) =>
        {
            let nets = constants
                .iter()
                .map(|c| net_constant(c))
                .collect::<Result<Vec<_>, _>>()?;
            Test::Net {
                nets: nets.into_boxed_slice(),
                negate: op == CmpOp::Ne,
                all,
            }
        }
        CmpOp::Eq | CmpOp::Ne if ty == FieldType::Bool => Test::Bool {
            constant: bool_constant(single(constants)?)?,
            negate: op == CmpOp::Ne,
        },
        CmpOp::Eq | CmpOp::Ne | CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge
            if ty == FieldType::Double =>
        {
            Test::Float {
                op,
                constant: float_constant(single(constants)?)?,
            }
        }
        CmpOp::Eq | CmpOp::Ne | CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge
            if ty.is_numeric() =>
        {
            Test::Num {
                op,
                constant: int_constant(single(constants)?)?,
            }
        }
        CmpOp::In | CmpOp::Intersects if ty.is_numeric() || ty == FieldType::Bool => {
            let mut set = constants
                .iter()
                .map(|c| int_constant(c))
                .collect::<Result<Vec<_>, _>>()?;
            set.sort_unstable();
            set.dedup();
            Test::NumSet {
                set: set.into_boxed_slice(),
                all,
            }
        }
        CmpOp::In | CmpOp::Intersects => Test::StrSet {
            set: StrSet::new(
                constants
                    .iter()
                    .map(|c| str_constant(c).into_boxed_str())
                    .collect(),
            ),
            all,
        },
        CmpOp::PMatch => Test::PathPrefixes(
            constants
                .iter()
                .map(|c| PathPrefix::new(&str_constant(c)))
                .collect(),
        ),
        CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => Test::StrOrd {
            op,
            constant: str_constant(single(constants)?).into(),
        },
        op => {
            let pattern = str_pattern(op, single(constants)?)?;
            Test::Str {
                patterns: Box::new([pattern]),
                modifier: None,
                negate: op == CmpOp::Ne,
            }
        }
    })
}

/// `evt.type = x`, `in (...)`, `!= x`: a test on the event's type id instead of strings.
fn event_type_test(check: &FieldCheck, cx: &CompileContext<'_>) -> Option<Test> {
    let (field, arg) = check.lhs.plain_field()?;
    if Some(field) != cx.evt_type || arg.is_some() || check.modifier.is_some() {
        return None;
    }
    let names: Vec<String> = match &check.rhs {
        CheckRhs::Value(v) => vec![str_constant(v)],
        CheckRhs::List(values) => values.iter().map(str_constant).collect(),
        _ => return None,
    };
    let negate = match check.op {
        CmpOp::Eq | CmpOp::In | CmpOp::Intersects => false,
        CmpOp::Ne => true,
        _ => return None,
    };
    let mut set = vec![false; cx.type_count];
    for name in &names {
        let id = cx.type_ids.get(name)?;
        set[id.0 as usize] = true;
    }
    Some(Test::EventType {
        set: set.into_boxed_slice(),
        negate,
    })
}

/// `fd.*ip.name` with `=`, `!=` or `in`; `exists` stays a plain existence test.
fn domain_name_test(check: &FieldCheck, names: &mut DomainNames) -> Option<Test> {
    let (field, _) = check.lhs.plain_field()?;
    if !field.info().domain_name {
        return None;
    }
    let negate = match check.op {
        CmpOp::Eq | CmpOp::In => false,
        CmpOp::Ne => true,
        _ => return None,
    };
    let constants: Vec<String> = match &check.rhs {
        CheckRhs::Value(v) => vec![str_constant(v)],
        CheckRhs::List(values) => values.iter().map(str_constant).collect(),
        _ => return None,
    };
    Some(Test::DomainName {
        names: constants.iter().map(|name| names.intern(name)).collect(),
        negate,
    })
}

/// Whether the value of an `fd.*ip.name` field is one of `names`: an address when one of the
/// names resolves to it; a name when it is one of them (an event that carries the name
/// itself, as the field-level JSONL events of `saker rules test` may). `None` for other
/// values (lists), on which every comparison is false.
pub(crate) fn domain_name_hit(names: &[Arc<DomainName>], value: &Value<'_>) -> Option<bool> {
    if let Some(ip) = value_as_ip(value) {
        return Some(names.iter().any(|n| n.has(ip)));
    }
    match value {
        Value::Str(s) => Some(names.iter().any(|n| n.name() == &**s)),
        _ => None,
    }
}

fn single<'a>(constants: &[&'a Const]) -> Result<&'a Const, CompileError> {
    match constants {
        [one] => Ok(one),
        _ => Err(CompileError(format!(
            "expected one value, found {}",
            constants.len()
        ))),
    }
}

pub(crate) fn str_constant(c: &Const) -> String {
    match c {
        Const::Str(s) => s.clone(),
        Const::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        other => other.to_string(),
    }
}

fn int_constant(c: &Const) -> Result<i128, CompileError> {
    match c {
        Const::Int(i) => Ok(i128::from(*i)),
        Const::Uint(u) => Ok(i128::from(*u)),
        Const::Bool(b) => Ok(i128::from(*b)),
        Const::Double(d) if d.fract() == 0.0 => Ok(*d as i128),
        Const::Str(s) => crate::value::parse_number(s)
            .ok_or_else(|| CompileError(format!("'{s}' is not a number"))),
        other => Err(CompileError(format!("'{other}' is not a number"))),
    }
}

fn float_constant(c: &Const) -> Result<f64, CompileError> {
    match c {
        Const::Double(d) => Ok(*d),
        Const::Int(i) => Ok(*i as f64),
        Const::Uint(u) => Ok(*u as f64),
        Const::Str(s) => s
            .parse()
            .map_err(|_| CompileError(format!("'{s}' is not a number"))),
        other => Err(CompileError(format!("'{other}' is not a number"))),
    }
}

fn bool_constant(c: &Const) -> Result<bool, CompileError> {
    match c {
        Const::Bool(b) => Ok(*b),
        Const::Int(i) => Ok(*i != 0),
        Const::Uint(u) => Ok(*u != 0),
        Const::Str(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Const::Str(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(CompileError(format!("'{other}' is not a boolean"))),
    }
}

fn net_constant(c: &Const) -> Result<IpNet, CompileError> {
    match c {
        Const::Ip(ip) => Ok(ip.to_string().parse().map_err(CompileError)?),
        Const::Net { addr, prefix } => format!("{addr}/{prefix}").parse().map_err(CompileError),
        Const::Str(s) => s.parse().map_err(CompileError),
        other => Err(CompileError(format!(
            "'{other}' is not an IP address or network"
        ))),
    }
}

fn str_pattern(op: CmpOp, c: &Const) -> Result<StrPattern, CompileError> {
    let bytes = || match c {
        Const::Bytes(b) => b.clone().into_boxed_slice(),
        other => str_constant(other).into_bytes().into_boxed_slice(),
    };
    let text = str_constant(c);
    Ok(match op {
        CmpOp::Eq | CmpOp::Ne => StrPattern::Eq(text.into()),
        CmpOp::Contains => StrPattern::Contains(Finder::new(text.as_bytes()).into_owned()),
        CmpOp::IContains => StrPattern::IContains(text.to_ascii_lowercase().into()),
        CmpOp::StartsWith => StrPattern::StartsWith(text.into()),
        CmpOp::EndsWith => StrPattern::EndsWith(text.into()),
        CmpOp::BContains => StrPattern::BContains(Finder::new(&bytes()).into_owned()),
        CmpOp::BStartsWith => StrPattern::BStartsWith(bytes()),
        CmpOp::Glob => StrPattern::Glob(Glob::new(&text, false)),
        CmpOp::IGlob => StrPattern::Glob(Glob::new(&text, true)),
        CmpOp::Regex => StrPattern::Regex(
            Regex::new(&saker_rules::full_match_regex(&text))
                .map_err(|e| CompileError(format!("bad regex '{text}': {e}")))?,
        ),
        other => return Err(CompileError(format!("'{other}' is not a string operator"))),
    })
}

impl StrPattern {
    #[inline(always)]
    fn matches(&self, s: &str) -> bool {
        match self {
            StrPattern::Eq(c) => bytes_eq(s.as_bytes(), c.as_bytes()),
            StrPattern::Contains(f) => f.find(s.as_bytes()).is_some(),
            StrPattern::IContains(c) => contains_ignore_ascii_case(s, c),
            StrPattern::StartsWith(c) => s
                .as_bytes()
                .get(..c.len())
                .is_some_and(|head| bytes_eq(head, c.as_bytes())),
            StrPattern::EndsWith(c) => s
                .len()
                .checked_sub(c.len())
                .and_then(|start| s.as_bytes().get(start..))
                .is_some_and(|tail| bytes_eq(tail, c.as_bytes())),
            StrPattern::BContains(f) => f.find(s.as_bytes()).is_some(),
            StrPattern::BStartsWith(c) => s.as_bytes().starts_with(c),
            StrPattern::Glob(g) => g.matches(s),
            StrPattern::Regex(r) => r.is_match(s),
        }
    }

    /// On a byte buffer, as libsinsp's buffer comparison: exact bytes for `=`, `contains`,
    /// `startswith`, `endswith`.
    fn matches_bytes(&self, b: &[u8]) -> bool {
        match self {
            StrPattern::Eq(c) => b == c.as_bytes(),
            StrPattern::Contains(f) | StrPattern::BContains(f) => f.find(b).is_some(),
            StrPattern::StartsWith(c) => b.starts_with(c.as_bytes()),
            StrPattern::BStartsWith(c) => b.starts_with(c),
            StrPattern::EndsWith(c) => b.ends_with(c.as_bytes()),
            _ => std::str::from_utf8(b).is_ok_and(|s| self.matches(s)),
        }
    }
}

/// ASCII case-insensitive substring search; `needle` is already lowercase.
pub(crate) fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else {
        return true;
    };
    if n.len() > h.len() {
        return false;
    }
    let last_start = h.len() - n.len();
    // Jump between occurrences of the first byte (either case) instead of testing every
    // window.
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), &h[..=last_start])
        .any(|start| h[start..start + n.len()].eq_ignore_ascii_case(n))
}

/// Byte equality without a `memcmp` call for the short strings rules compare with (`f`,
/// `host`, `/etc`): a call costs more than the comparison itself. Two overlapping loads
/// cover every length from 4 to 16.
#[inline(always)]
pub(crate) fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    #[inline(always)]
    fn word<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
        let mut out = [0; N];
        out.copy_from_slice(&bytes[at..at + N]);
        out
    }
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        0 => true,
        1..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        4..=7 => word::<4>(a, 0) == word::<4>(b, 0) && word::<4>(a, n - 4) == word::<4>(b, n - 4),
        8..=16 => word::<8>(a, 0) == word::<8>(b, 0) && word::<8>(a, n - 8) == word::<8>(b, n - 8),
        _ => a == b,
    }
}

/// Combines per-pattern results as a modifier says (no modifier: the single pattern).
#[inline(always)]
fn combine(
    patterns: &[StrPattern],
    modifier: Option<Modifier>,
    test: impl Fn(&StrPattern) -> bool,
) -> bool {
    match modifier {
        None if patterns.len() == 1 => test(&patterns[0]),
        None | Some(Modifier::AnyOf) => patterns.iter().any(test),
        Some(Modifier::AllOf) => patterns.iter().all(test),
        Some(Modifier::OneOf) => patterns.iter().filter(|p| test(p)).count() == 1,
    }
}

impl Operand {
    /// The operand's value on `event`, transformers applied; `None` when missing.
    #[inline(always)]
    pub(crate) fn fetch<'e, E: Event + ?Sized>(&self, event: &'e E) -> Option<Value<'e>> {
        let value = match &self.input {
            Input::Field(field) => event.value(field)?,
            other => crate::transform::multivalue(other, event)?,
        };
        if self.transformers.is_empty() {
            Some(value)
        } else {
            apply_transformers(&self.transformers, value)
        }
    }
}

impl Check {
    #[inline(always)]
    pub(crate) fn eval<E: Event + ?Sized>(&self, event: &E) -> bool {
        // The common string and number tests first: `evt.type` tests are mostly decided at
        // compile time now (see `program`), so they are rare here.
        if let Some(field) = self.lhs.plain_field()
            && let Some(result) = self.fast_path(field, event)
        {
            return result;
        }
        if let Test::EventType { set, negate } = &self.test {
            let id = event.event_type();
            if id != EventTypeId::OTHER {
                return set.get(id.0 as usize).copied().unwrap_or(false) != *negate;
            }
            // An unnamed type is in no set; a missing evt.type makes every comparison false.
            return *negate && self.lhs.fetch(event).is_some();
        }
        let Some(value) = self.lhs.fetch(event) else {
            return false;
        };
        if let Value::List(items) = &value {
            if items.is_empty() {
                return false;
            }
            if self.lhs.any_match {
                // Ancestors: true when any of them satisfies the test, whatever the operator.
                return items.iter().any(|v| self.test_scalar(v, event));
            }
            let either_end = self
                .lhs
                .plain_field()
                .is_some_and(|f| f.id.info().either_end);
            return match &self.test {
                // A socket's ends (`fd.ip`, `fd.port`): `in` holds when an end is in the set.
                Test::NumSet { .. } | Test::Net { negate: false, .. } if either_end => {
                    items.iter().any(|v| self.test_scalar(v, event))
                }
                Test::DomainName { .. } => false,
                Test::Exists => true,
                // `in`: every element is in the set; `intersects`: at least one is.
                Test::StrSet { all: true, .. }
                | Test::NumSet { all: true, .. }
                | Test::Net { all: true, .. } => items.iter().all(|v| self.test_scalar(v, event)),
                // `!=` on a list: no element equals.
                Test::StrEq { negate: true, .. }
                | Test::Bool { negate: true, .. }
                | Test::Net { negate: true, .. } => {
                    items.iter().all(|v| self.test_scalar(v, event))
                }
                Test::Str {
                    negate: true,
                    modifier: None,
                    ..
                } => items.iter().all(|v| self.test_scalar(v, event)),
                Test::Num { op: CmpOp::Ne, .. } => items.iter().all(|v| self.test_scalar(v, event)),
                _ => items.iter().any(|v| self.test_scalar(v, event)),
            };
        }
        self.test_scalar(&value, event)
    }

    /// The common checks on plain strings and numbers, through [`Event::str_value`] and
    /// [`Event::int_value`]; `None` when the event does not offer the value that way.
    #[inline(always)]
    fn fast_path<E: Event + ?Sized>(&self, field: &FieldRef, event: &E) -> Option<bool> {
        match &self.test {
            Test::StrEq { constant, negate } => {
                let s = event.str_value(field)?;
                Some(bytes_eq(s.as_bytes(), constant.as_bytes()) != *negate)
            }
            Test::StrSet { set, .. } => Some(set.contains(event.str_value(field)?)),
            Test::Str {
                patterns,
                modifier,
                negate,
            } => {
                let s = event.str_value(field)?;
                Some(combine(patterns, *modifier, |p| p.matches(s) != *negate))
            }
            Test::PathPrefixes(prefixes) => {
                let s = event.str_value(field)?;
                Some(PathPrefix::any_matches(prefixes, s))
            }
            Test::Num { op, constant } => {
                let n = event.int_value(field)?;
                Some(compare_ord(*op, i128::from(n).cmp(constant)))
            }
            Test::NumSet { set, .. } => {
                let n = event.int_value(field)?;
                Some(set.binary_search(&i128::from(n)).is_ok())
            }
            Test::Bool { constant, negate } => {
                let n = event.int_value(field)?;
                Some(((n != 0) == *constant) != *negate)
            }
            // Lists need the slow path (an empty list does not exist).
            Test::Exists => (event.str_value(field).is_some() || event.int_value(field).is_some())
                .then_some(true),
            Test::Never => Some(false),
            _ => None,
        }
    }

    #[inline(always)]
    fn test_scalar<E: Event + ?Sized>(&self, value: &Value<'_>, event: &E) -> bool {
        match &self.test {
            Test::Field { op, other } => match other.fetch(event) {
                Some(rhs) => crate::reference::compare_dynamic(*op, value, &rhs),
                None => false,
            },
            test => test.scalar(value),
        }
    }
}

impl Test {
    /// The test on one value.
    fn scalar(&self, value: &Value<'_>) -> bool {
        match self {
            Test::Exists => true,
            Test::Never => false,
            // Decided by id in `eval`; evt.type is never a list.
            Test::EventType { .. } | Test::Field { .. } => false,
            Test::StrEq { constant, negate } => match value {
                Value::Str(s) => (**s == **constant) != *negate,
                Value::Bytes(b) => (**b == *constant.as_bytes()) != *negate,
                other => (other.to_string() == **constant) != *negate,
            },
            Test::StrOrd { op, constant } => match value {
                Value::Bytes(b) => compare_ord(*op, (**b).cmp(constant.as_bytes())),
                other => compare_ord(*op, text_of(other).as_bytes().cmp(constant.as_bytes())),
            },
            Test::Str {
                patterns,
                modifier,
                negate,
            } => match value {
                Value::Bytes(b) => combine(patterns, *modifier, |p| p.matches_bytes(b) != *negate),
                Value::Str(s) => combine(patterns, *modifier, |p| p.matches(s) != *negate),
                other => {
                    let text = other.to_string();
                    combine(patterns, *modifier, |p| p.matches(&text) != *negate)
                }
            },
            Test::StrSet { set, .. } => match value {
                Value::Str(s) => set.contains(s),
                other => set.contains(&other.to_string()),
            },
            Test::PathPrefixes(prefixes) => match value.as_str() {
                Some(s) => PathPrefix::any_matches(prefixes, s),
                None => false,
            },
            Test::Num { op, constant } => match value.as_number() {
                Some(n) => compare_ord(*op, n.cmp(constant)),
                None => false,
            },
            Test::Float { op, constant } => match value_as_f64(value) {
                Some(f) => match f.partial_cmp(constant) {
                    Some(ordering) => compare_ord(*op, ordering),
                    None => false,
                },
                None => false,
            },
            Test::NumSet { set, .. } => value
                .as_number()
                .is_some_and(|n| set.binary_search(&n).is_ok()),
            Test::Bool { constant, negate } => match value {
                Value::Bool(b) => (b == constant) != *negate,
                other => match other.as_number() {
                    Some(n) => ((n != 0) == *constant) != *negate,
                    None => false,
                },
            },
            Test::Net { nets, negate, .. } => match value_as_ip(value) {
                Some(ip) => nets.iter().any(|net| net.contains(&ip)) != *negate,
                None => false,
            },
            Test::DomainName { names, negate } => {
                domain_name_hit(names, value).is_some_and(|hit| hit != *negate)
            }
            Test::Modified { tests, modifier } => {
                let hits = |t: &&Test| t.scalar(value);
                match modifier {
                    Modifier::AnyOf => tests.iter().any(|t| hits(&t)),
                    Modifier::AllOf => tests.iter().all(|t| hits(&t)),
                    Modifier::OneOf => tests.iter().filter(hits).count() == 1,
                }
            }
        }
    }
}

/// The text of a value, as strings compare.
fn text_of<'v>(value: &'v Value<'_>) -> std::borrow::Cow<'v, str> {
    match value {
        Value::Str(s) => std::borrow::Cow::Borrowed(s),
        other => std::borrow::Cow::Owned(other.to_string()),
    }
}

pub(crate) fn compare_ord(op: CmpOp, ordering: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        CmpOp::Eq | CmpOp::In | CmpOp::Intersects => ordering == Equal,
        CmpOp::Ne => ordering != Equal,
        CmpOp::Lt => ordering == Less,
        CmpOp::Le => ordering != Greater,
        CmpOp::Gt => ordering == Greater,
        CmpOp::Ge => ordering != Less,
        _ => false,
    }
}

pub(crate) fn value_as_f64(value: &Value<'_>) -> Option<f64> {
    match value {
        Value::Str(s) => s.parse().ok(),
        other => other.as_number().map(|n| n as f64),
    }
}

pub(crate) fn value_as_ip(value: &Value<'_>) -> Option<IpAddr> {
    match value {
        Value::Ip(ip) => Some(*ip),
        Value::Str(s) => s.parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pre-filter never hides a member, for small (scanned) and large (hashed) sets.
    #[test]
    fn string_sets_find_members_past_the_filter() {
        let words = [
            "", "a", "sh", "bash", "zsh", "/bin/sh", "python3", "node", "é", "kubectl", "x",
        ];
        let others = [
            "", "b", "shh", "basH", "bash ", "python", "nod", "ée", "kubectl2",
        ];
        for size in [1, 3, 6, 7, words.len()] {
            let members = &words[..size];
            let set = StrSet::new(members.iter().map(|w| Box::from(*w)).collect());
            for word in members {
                assert!(set.contains(word), "{word:?} in {members:?}");
            }
            for other in others.iter().filter(|o| !members.contains(o)) {
                assert!(!set.contains(other), "{other:?} not in {members:?}");
            }
        }
    }
}
