//! Which kill responses the kernel can decide, and the table that lets it.
//!
//! A rule's checked condition is put in disjunctive normal form; each conjunction becomes a
//! slot of the kernel's table when every test in it is one the capture program can answer at
//! an exec (`sched_process_exec`) or at the exit of an open call, exactly as user space would
//! (see capture.h): the event type, the program name, the executed file or the opened path
//! (whole, prefix, `pmatch`), being in a container, the open's access mode, `fd.typechar`
//! and its result. A conjunction with any other test is left to user space, which acts on
//! the alert as for every other response.
//!
//! Architecture invariant: the kernel only ever kills where the rule matches. Each test is
//! translated to something that implies it, never to something weaker; when the kernel
//! cannot tell (a relative or unnormalized path, a failed open), it does nothing and user
//! space decides.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use saker_bpf::KillTable;
use saker_bpf::raw::{
    self, COMM_LEN, KILL_COMM_PROTECTED, KILL_PATH_MAX, KILL_SLOTS, KillComm, KillPath,
    SHORT_ID_LEN,
};
use saker_rules::ast::CmpOp;
use saker_rules::filter::{CheckRhs, FieldCheck, Filter, Literal, Value};
use saker_rules::ruleset::Rule;

/// Most conjunctions one rule may expand to before it is left to user space.
const MAX_CONJUNCTIONS: usize = 32;

/// Where the kernel can act: at an exec, or at the exit of an open call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Exec,
    Open,
}

impl Kind {
    fn types(self) -> u8 {
        match self {
            Kind::Exec => bit(raw::KILL_EXECVE) | bit(raw::KILL_EXECVEAT),
            Kind::Open => {
                bit(raw::KILL_OPEN)
                    | bit(raw::KILL_OPENAT)
                    | bit(raw::KILL_OPENAT2)
                    | bit(raw::KILL_CREAT)
            }
        }
    }
}

fn bit(kill_type: usize) -> u8 {
    1 << kill_type
}

const TYPE_NAMES: [(&str, usize); 6] = [
    ("execve", raw::KILL_EXECVE),
    ("execveat", raw::KILL_EXECVEAT),
    ("open", raw::KILL_OPEN),
    ("openat", raw::KILL_OPENAT),
    ("openat2", raw::KILL_OPENAT2),
    ("creat", raw::KILL_CREAT),
];

/// A path test: the whole path, or every path starting with these bytes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum PathPattern {
    Whole(String),
    Prefix(String),
}

impl PathPattern {
    /// The LPM-trie key: a whole path ends with its NUL.
    fn key(&self) -> Vec<u8> {
        match self {
            PathPattern::Whole(p) => {
                let mut k = p.as_bytes().to_vec();
                k.push(0);
                k
            }
            PathPattern::Prefix(p) => p.as_bytes().to_vec(),
        }
    }
}

/// One conjunction, translated for one kind of event.
#[derive(Clone, Debug, Default, PartialEq)]
struct SlotSpec {
    types: u8,
    /// `None`: any name.
    comm_allow: Option<BTreeSet<String>>,
    comm_deny: BTreeSet<String>,
    path_allow: Option<Vec<PathPattern>>,
    path_deny: Vec<PathPattern>,
    container: bool,
    read: bool,
    write: bool,
    file: bool,
    success: bool,
}

/// Narrows a slot to what one test needs; `Err` when the slot cannot express it.
type Narrowing = Box<dyn FnOnce(&mut SlotSpec) -> Result<(), String>>;

/// What one test means for one kind of event.
enum Effect {
    /// Always true there: drop it.
    True,
    /// Never true there: the conjunction cannot match this kind of event.
    False,
    /// A condition the kernel checks.
    Narrow(Narrowing),
    /// The kernel cannot tell: this kind is left to user space.
    Unknown(String),
}

/// How a rule's kill responses run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// Some events are decided in the kernel (described), the others in user space.
    Kernel {
        slots: Vec<usize>,
        description: String,
    },
    /// Only user space decides, for this reason.
    UserSpace(String),
}

/// One slot of the table: which rule it stands for, and how it acts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotInfo {
    pub rule: String,
    /// SIGSTOP in the kernel, the tree killed from user space.
    pub tree: bool,
}

/// The kernel's table and what it covers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KernelPlan {
    /// Without its generation, guard pid and rate limits (the responder sets those).
    pub table: KillTable,
    pub slots: Vec<SlotInfo>,
    pub coverage: BTreeMap<String, Coverage>,
}

/// The safety settings that the kernel enforces too.
#[derive(Clone, Debug, Default)]
pub struct KernelSafety<'a> {
    pub allow_host: bool,
    pub dry_run: bool,
    pub protected_programs: &'a [String],
    /// Protected container ids (at least 12 hex characters).
    pub protected_ids: Vec<String>,
    /// Why the kernel must not act at all (e.g. containers protected by name), if so.
    pub disabled: Option<String>,
}

/// Builds the table for `rules` (each with whether its kill is a tree kill), in load order.
pub fn compile(rules: &[(&Rule, bool)], safety: &KernelSafety<'_>) -> KernelPlan {
    let mut plan = KernelPlan::default();
    let mut specs: Vec<SlotSpec> = Vec::new();
    let mut wake = BTreeSet::new();
    for (rule, tree) in rules {
        let slots = rule_slots(rule);
        // What user space decides, it decides sooner when the exec wakes it at once.
        if safety.disabled.is_some() || slots.is_err() {
            wake.extend(exec_names(rule).unwrap_or_default());
        }
        let coverage = match (&safety.disabled, slots) {
            (Some(why), _) => Coverage::UserSpace(why.clone()),
            (None, Err(why)) => Coverage::UserSpace(why),
            (None, Ok((rule_specs, notes))) => {
                if specs.len() + rule_specs.len() > KILL_SLOTS {
                    Coverage::UserSpace(format!(
                        "the kernel table is full ({KILL_SLOTS} slots): rules loaded earlier took them"
                    ))
                } else {
                    let first = specs.len();
                    let description = describe(&rule_specs, &notes);
                    for spec in rule_specs {
                        specs.push(spec);
                        plan.slots.push(SlotInfo {
                            rule: rule.name.clone(),
                            tree: *tree,
                        });
                    }
                    Coverage::Kernel {
                        slots: (first..specs.len()).collect(),
                        description,
                    }
                }
            }
        };
        plan.coverage.insert(rule.name.clone(), coverage);
    }
    plan.table = build_table(&specs, &plan.slots, safety);
    for name in wake {
        if let Some(key) = KillTable::comm_key(&name) {
            plan.table.comms.entry(key).or_default().flags |= raw::KILL_COMM_WAKE;
            plan.table.settings.wake = 1;
        }
    }
    plan
}

/// The program names a rule can match at an exec, from its `proc.name` tests alone (the rest
/// of the condition is ignored: this only says which execs user space should see at once);
/// `None` when some alternative matches execs of any name.
fn exec_names(rule: &Rule) -> Option<BTreeSet<String>> {
    if rule.source != saker_rules::Source::Syscall {
        return None;
    }
    let mut names = BTreeSet::new();
    for conjunction in dnf(&rule.filter)? {
        let mut types = Kind::Exec.types();
        let mut allowed: Option<BTreeSet<String>> = None;
        for &(negated, check) in &conjunction {
            match check.field_name() {
                "evt.type" => {
                    if let Some(t) = type_set(check) {
                        types &= if negated { !t } else { t };
                    }
                }
                "proc.name"
                    if !negated
                        && check.is_plain()
                        && matches!(check.op, CmpOp::Eq | CmpOp::In) =>
                {
                    let set: BTreeSet<String> =
                        check.strings()?.into_iter().map(String::from).collect();
                    allowed = Some(match allowed {
                        Some(before) => before.intersection(&set).cloned().collect(),
                        None => set,
                    });
                }
                _ => {}
            }
        }
        if types == 0 {
            continue;
        }
        names.extend(allowed?);
    }
    Some(names)
}

/// The slots of one rule, and notes on what stays in user space; `Err` when none.
fn rule_slots(rule: &Rule) -> Result<(Vec<SlotSpec>, Vec<String>), String> {
    if rule.source != saker_rules::Source::Syscall {
        return Err(format!(
            "a {} rule has no process to kill",
            rule.source.as_str()
        ));
    }
    let conjunctions = dnf(&rule.filter).ok_or_else(|| {
        format!("the condition expands to more than {MAX_CONJUNCTIONS} alternatives")
    })?;
    let mut slots = Vec::new();
    let mut notes = BTreeSet::new();
    for conjunction in &conjunctions {
        for kind in [Kind::Exec, Kind::Open] {
            match translate(conjunction, kind) {
                Ok(Some(spec)) => {
                    if !slots.contains(&spec) {
                        slots.push(spec);
                    }
                }
                Ok(None) => {}
                Err(why) => {
                    notes.insert(why);
                }
            }
        }
    }
    if slots.is_empty() {
        let why = notes
            .into_iter()
            .next()
            .unwrap_or_else(|| "it never matches an exec or an open".to_string());
        return Err(why);
    }
    Ok((slots, notes.into_iter().collect()))
}

/// The filter as alternatives of conjunctions; `None` when there are too many.
fn dnf(filter: &Filter) -> Option<Vec<Vec<Literal<'_>>>> {
    filter.dnf(MAX_CONJUNCTIONS)
}

/// One conjunction for one kind of event: `Ok(None)` when it cannot match that kind.
fn translate(conjunction: &[Literal<'_>], kind: Kind) -> Result<Option<SlotSpec>, String> {
    let mut spec = SlotSpec {
        types: kind.types(),
        ..SlotSpec::default()
    };
    // Event types first: a conjunction about connect() says nothing of what opens need.
    for &(negated, check) in conjunction {
        if check.field_name() == "evt.type" {
            let types = type_set(check).ok_or_else(|| {
                format!(
                    "`{}` is not a test the kernel makes",
                    print_literal(negated, check)
                )
            })?;
            spec.types &= if negated { !types } else { types };
        }
    }
    if spec.types == 0 {
        return Ok(None);
    }
    for &(negated, check) in conjunction {
        if check.field_name() == "evt.type" {
            continue;
        }
        match effect(negated, check, kind) {
            Effect::True => {}
            Effect::False => return Ok(None),
            Effect::Narrow(apply) => apply(&mut spec)?,
            Effect::Unknown(why) => return Err(why),
        }
    }
    if spec.comm_allow.as_ref().is_some_and(BTreeSet::is_empty)
        || spec.path_allow.as_ref().is_some_and(Vec::is_empty)
    {
        return Ok(None);
    }
    Ok(Some(spec))
}

/// The kill types an `evt.type` test names (`=`, `!=` or `in`).
fn type_set(check: &FieldCheck) -> Option<u8> {
    let set = check
        .compared_names()?
        .iter()
        .filter_map(|name| TYPE_NAMES.iter().find(|(n, _)| n == name))
        .fold(0u8, |acc, (_, t)| acc | bit(*t));
    Some(if check.op == CmpOp::Ne { !set } else { set })
}

fn print_literal(negated: bool, check: &FieldCheck) -> String {
    let text = Filter::Check(Box::new(check.clone())).to_string();
    if negated { format!("not {text}") } else { text }
}

/// An absolute path as user space writes it after normalizing (crates/state/src/path.rs).
fn normalized_absolute(path: &str) -> bool {
    path.starts_with('/')
        && path.len() > 1
        && !path.contains("//")
        && !path.contains("/./")
        && !path.contains("/..")
        && !path.ends_with("/.")
        && !path.ends_with('/')
        && path.len() < KILL_PATH_MAX
        && !path.contains('\0')
}

/// The patterns a path test means, `None` when the kernel cannot express it exactly.
fn path_patterns(check: &FieldCheck) -> Option<Vec<PathPattern>> {
    let values = check.strings()?;
    let mut out = Vec::new();
    for value in values {
        match check.op {
            CmpOp::Eq | CmpOp::Ne | CmpOp::In if normalized_absolute(value) => {
                out.push(PathPattern::Whole(value.to_string()));
            }
            // A prefix is bytes, not a path: `/etc/` and `/etc/sh` are both fine.
            CmpOp::StartsWith
                if value.starts_with('/')
                    && value.len() < KILL_PATH_MAX
                    && !value.contains('\0') =>
            {
                out.push(PathPattern::Prefix(value.to_string()));
            }
            // `pmatch (/etc)`: `/etc` itself and everything below it.
            CmpOp::PMatch if normalized_absolute(value) && !value.contains(['*', '?', '[']) => {
                out.push(PathPattern::Prefix(format!("{value}/")));
                out.push(PathPattern::Whole(value.to_string()));
            }
            _ => return None,
        }
    }
    Some(out)
}

fn unknown(negated: bool, check: &FieldCheck, at: &str) -> Effect {
    Effect::Unknown(format!(
        "`{}` is not a test the kernel makes {at}",
        print_literal(negated, check)
    ))
}

fn narrow(apply: impl FnOnce(&mut SlotSpec) -> Result<(), String> + 'static) -> Effect {
    Effect::Narrow(Box::new(apply))
}

/// True when the field has no value at events of `kind` (then every test on it is false).
fn missing_at(field: &str, kind: Kind) -> bool {
    match kind {
        Kind::Exec => matches!(
            field,
            "fd.name" | "fd.num" | "fd.typechar" | "evt.is_open_read" | "evt.is_open_write"
        ),
        Kind::Open => false,
    }
}

fn effect(negated: bool, check: &FieldCheck, kind: Kind) -> Effect {
    let field = check.field_name();
    let at = match kind {
        Kind::Exec => "at an exec",
        Kind::Open => "at an open",
    };
    // `x in ()`: false whatever the field holds (Falco's empty lists).
    if matches!(check.op, CmpOp::In | CmpOp::Intersects | CmpOp::PMatch)
        && matches!(&check.rhs, CheckRhs::List(v) if v.is_empty())
    {
        return if negated { Effect::True } else { Effect::False };
    }
    if !check.is_plain() {
        return unknown(negated, check, at);
    }
    if missing_at(field, kind) {
        return if negated { Effect::True } else { Effect::False };
    }
    let op = check.op;
    let rhs = &check.rhs;
    match field {
        "evt.dir" => match rhs {
            CheckRhs::Value(Value::Str(d)) if op == CmpOp::Eq || op == CmpOp::Ne => {
                // Every event the kernel sees is an exit (`<`).
                let holds = (d == "<") == (op == CmpOp::Eq);
                if holds != negated {
                    Effect::True
                } else {
                    Effect::False
                }
            }
            _ => unknown(negated, check, at),
        },
        "container.id" => {
            let host = matches!(rhs, CheckRhs::Value(Value::Str(v)) if v == "host");
            let in_container = match (op, negated) {
                (CmpOp::Exists, false) => return Effect::True,
                (CmpOp::Ne, false) | (CmpOp::Eq, true) if host => true,
                _ => false,
            };
            if in_container {
                narrow(|s| {
                    s.container = true;
                    Ok(())
                })
            } else {
                unknown(negated, check, at)
            }
        }
        "proc.name" => {
            let Some(names) = check
                .strings()
                .filter(|_| matches!(op, CmpOp::Eq | CmpOp::Ne | CmpOp::In))
            else {
                return unknown(negated, check, at);
            };
            // The kernel's comm keeps 15 bytes, as proc.name does: a longer name never matches.
            let names: BTreeSet<String> = names
                .into_iter()
                .filter(|n| KillTable::comm_key(n).is_some())
                .map(String::from)
                .collect();
            let exclude = (op == CmpOp::Ne) != negated;
            narrow(move |s| {
                if exclude {
                    s.comm_deny.extend(names);
                } else {
                    s.comm_allow = Some(match s.comm_allow.take() {
                        Some(before) => before.intersection(&names).cloned().collect(),
                        None => names,
                    });
                }
                Ok(())
            })
        }
        "fd.name" | "proc.exepath" => {
            if (field == "fd.name") != (kind == Kind::Open) {
                return unknown(negated, check, at);
            }
            let Some(patterns) = path_patterns(check) else {
                return unknown(negated, check, at);
            };
            let exclude = (op == CmpOp::Ne) != negated;
            let fd = field == "fd.name";
            narrow(move |s| {
                // fd.name has a value only when the open succeeded.
                s.success |= fd;
                if exclude {
                    s.path_deny.extend(patterns);
                    Ok(())
                } else if s.path_allow.is_some() {
                    Err("two positive path tests in one alternative".to_string())
                } else {
                    s.path_allow = Some(patterns);
                    Ok(())
                }
            })
        }
        "evt.is_open_read" | "evt.is_open_write" => {
            let wants_true = match (op, rhs) {
                (CmpOp::Eq, CheckRhs::Value(Value::Bool(b))) => *b != negated,
                (CmpOp::Ne, CheckRhs::Value(Value::Bool(b))) => *b == negated,
                _ => return unknown(negated, check, at),
            };
            if !wants_true {
                return unknown(negated, check, at);
            }
            let read = field == "evt.is_open_read";
            narrow(move |s| {
                if read {
                    s.read = true;
                } else {
                    s.write = true;
                }
                Ok(())
            })
        }
        "fd.typechar" => match rhs {
            CheckRhs::Value(Value::Str(c)) if c == "f" && op == CmpOp::Eq && !negated => {
                narrow(|s| {
                    s.file = true;
                    s.success = true;
                    Ok(())
                })
            }
            _ => unknown(negated, check, at),
        },
        // Results: an exec event is a success (rawres 0); an open's is its fd.
        "fd.num" | "evt.rawres" | "evt.res" | "evt.failed" => {
            match check.result_test(negated) {
                // fd.num has no value at an exec (missing_at); the others say "success" there.
                Some(wants_success) => match (kind, wants_success) {
                    (Kind::Exec, true) => Effect::True,
                    (Kind::Exec, false) => Effect::False,
                    (Kind::Open, true) => narrow(|s| {
                        s.success = true;
                        Ok(())
                    }),
                    (Kind::Open, false) => unknown(negated, check, at),
                },
                None => unknown(negated, check, at),
            }
        }
        _ => unknown(negated, check, at),
    }
}

/// The table for `specs` (slot i = specs[i]).
fn build_table(specs: &[SlotSpec], slots: &[SlotInfo], safety: &KernelSafety<'_>) -> KillTable {
    let mut table = KillTable::default();
    let s = &mut table.settings;
    s.allow_host = u8::from(safety.allow_host);
    s.dry_run = u8::from(safety.dry_run);
    let mut comms: BTreeMap<[u8; COMM_LEN], KillComm> = BTreeMap::new();
    let mut paths: BTreeMap<Vec<u8>, KillPath> = BTreeMap::new();
    for (i, spec) in specs.iter().enumerate() {
        let mask = 1u64 << i;
        for t in 0..raw::KILL_TYPES {
            if spec.types & (1 << t) != 0 {
                s.type_slots[t] |= mask;
            }
        }
        if let Some(names) = &spec.comm_allow {
            s.comm_slots |= mask;
            for name in names {
                if let Some(key) = KillTable::comm_key(name) {
                    comms.entry(key).or_default().allow |= mask;
                }
            }
        }
        for name in &spec.comm_deny {
            if let Some(key) = KillTable::comm_key(name) {
                comms.entry(key).or_default().deny |= mask;
            }
        }
        if spec.path_allow.is_some() || !spec.path_deny.is_empty() {
            s.path_slots |= mask;
        }
        if let Some(patterns) = &spec.path_allow {
            s.path_allow_slots |= mask;
            for p in patterns {
                paths.entry(p.key()).or_default().allow |= mask;
            }
        }
        for p in &spec.path_deny {
            paths.entry(p.key()).or_default().deny |= mask;
        }
        let set = |on: bool, field: &mut u64| {
            if on {
                *field |= mask;
            }
        };
        set(spec.container, &mut s.container_slots);
        set(spec.read, &mut s.read_slots);
        set(spec.write, &mut s.write_slots);
        set(spec.file, &mut s.file_slots);
        set(spec.success, &mut s.success_slots);
        set(slots[i].tree, &mut s.stop_slots);
    }
    for name in safety.protected_programs {
        // The kernel sees 15 bytes of a name: protecting the prefix errs on the safe side.
        let cut: String = name
            .char_indices()
            .take_while(|(i, c)| i + c.len_utf8() < COMM_LEN)
            .map(|(_, c)| c)
            .collect();
        if let Some(key) = KillTable::comm_key(&cut) {
            comms.entry(key).or_default().flags |= KILL_COMM_PROTECTED;
        }
    }
    for id in &safety.protected_ids {
        let mut key = [0u8; SHORT_ID_LEN];
        if id.len() >= SHORT_ID_LEN {
            key.copy_from_slice(&id.as_bytes()[..SHORT_ID_LEN]);
            table.protected_ids.insert(key);
        }
    }
    table.comms = comms;
    table.paths = paths;
    table
}

/// What the kernel decides for a rule, in a line of `saker run --dry-run`.
fn describe(specs: &[SlotSpec], notes: &[String]) -> String {
    let mut parts = Vec::new();
    for spec in specs {
        let types: Vec<&str> = TYPE_NAMES
            .iter()
            .filter(|(_, t)| spec.types & bit(*t) != 0)
            .map(|(n, _)| *n)
            .collect();
        let mut text = format!("at {}", types.join("/"));
        let mut tests = Vec::new();
        if spec.container {
            tests.push("in a container".to_string());
        }
        if let Some(names) = &spec.comm_allow {
            tests.push(format!("proc.name in ({})", list(names.iter())));
        }
        if !spec.comm_deny.is_empty() {
            tests.push(format!(
                "proc.name not in ({})",
                list(spec.comm_deny.iter())
            ));
        }
        let path_field = if spec.types & Kind::Exec.types() != 0 {
            "proc.exepath"
        } else {
            "fd.name"
        };
        if let Some(patterns) = &spec.path_allow {
            tests.push(format!("{path_field} {}", patterns_text(patterns)));
        }
        if !spec.path_deny.is_empty() {
            tests.push(format!(
                "{path_field} not {}",
                patterns_text(&spec.path_deny)
            ));
        }
        for (on, what) in [
            (spec.read, "opened for reading"),
            (spec.write, "opened for writing"),
            (spec.file, "a regular file"),
        ] {
            if on {
                tests.push(what.to_string());
            }
        }
        if spec.success && !spec.file && spec.path_allow.is_none() {
            tests.push("succeeded".to_string());
        }
        if !tests.is_empty() {
            let _ = write!(text, ": {}", tests.join(", "));
        }
        parts.push(text);
    }
    let mut out = parts.join("; ");
    if !notes.is_empty() {
        let _ = write!(out, " (user space otherwise: {})", notes.join("; "));
    }
    out
}

fn list<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<&String> = names.collect();
    let shown: Vec<String> = names
        .iter()
        .take(6)
        .map(|n| saker_event::escape::escape(n).into_owned())
        .collect();
    if names.len() > shown.len() {
        format!("{}, ... {} names", shown.join(", "), names.len())
    } else {
        shown.join(", ")
    }
}

fn patterns_text(patterns: &[PathPattern]) -> String {
    let items: Vec<String> = patterns
        .iter()
        .map(|p| match p {
            PathPattern::Whole(p) => saker_event::escape::escape(p).into_owned(),
            PathPattern::Prefix(p) => format!("{}*", saker_event::escape::escape(p)),
        })
        .collect();
    format!("in ({})", items.join(", "))
}

#[cfg(test)]
mod tests;
