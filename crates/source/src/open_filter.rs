//! Which successful opens of regular files the kernel may drop, from the loaded rules.
//!
//! Most opens of a busy host are of files no rule looks at: shared libraries, caches, a
//! benchmark's data. The capture program can drop those opens (and the closes of their fds)
//! before they cost a ring-buffer slot, when user space tells it which ones some rule may
//! need. This module answers that from the rules; the kernel part applies the answer.
//!
//! Architecture invariant: the answer over-approximates. Every open that a rule could match,
//! or whose fd a later event could need to name, is kept; when the analysis cannot tell, it
//! keeps more (every path of a class), or refuses (`Err`): the kernel then drops nothing.
//!
//! Each enabled syscall rule's condition is put in disjunctive normal form, and each
//! alternative (conjunction) is read for three things: the event types it can match, the
//! access it needs at an open (`evt.is_open_read`/`evt.is_open_write`), and the paths it
//! names (`fd.name`, `fd.directory`). An alternative that can match a close disables the
//! filter (the kernel drops those closes); one about other events that reads the fd table
//! (`fd.*`, `fs.path.*`, arguments rendered from fds) keeps the files its path test names,
//! and disables the filter when it has none.

use std::collections::BTreeSet;

use saker_rules::Source;
use saker_rules::ast::CmpOp;
use saker_rules::filter::{Base, CheckRhs, FieldArg, FieldCheck, Filter, Literal, Operand, Value};
use saker_rules::ruleset::{Rule, RuleSet};

use saker_bpf::KeepOpens;

pub use saker_bpf::raw::{
    OPEN_CLASS_ANY as CLASS_ANY, OPEN_CLASS_READ as CLASS_READ, OPEN_CLASS_WRITE as CLASS_WRITE,
};

/// Most alternatives one rule may expand to; past this the rule could match anything
/// (close() included), so the filter is off.
const MAX_CONJUNCTIONS: usize = 256;

/// The event types whose successful opens the kernel may drop.
const OPEN_TYPES: [&str; 4] = ["open", "openat", "openat2", "creat"];

/// The event types the kernel drops for the fds of the opens it drops.
const CLOSE_TYPES: [&str; 2] = ["close", "close_range"];

/// The opens the kernel must keep: `all_paths` are the classes (`CLASS_*`) for which every
/// path is kept; `paths` are path prefixes, or whole paths followed by one NUL byte
/// (`"/etc/shadow\0"` keeps exactly /etc/shadow, `"/etc/"` everything below /etc), with the
/// classes each keeps.
pub type Keep = KeepOpens;

fn add(keep: &mut Keep, keys: Vec<Vec<u8>>, class: u8) {
    for key in keys {
        *keep.paths.entry(key).or_default() |= class;
    }
}

/// What the filter keeps, in words (`saker run --dry-run` and the start-up log).
pub fn describe(keep: &Keep) -> String {
    let every: Vec<&str> = [
        (CLASS_READ, "read"),
        (CLASS_WRITE, "write"),
        (CLASS_ANY, "any"),
    ]
    .into_iter()
    .filter(|(class, _)| keep.all_paths & class != 0)
    .map(|(_, name)| name)
    .collect();
    let paths = match keep.paths.len() {
        1 => "1 path or prefix".to_string(),
        n => format!("{n} paths or prefixes"),
    };
    match every.as_slice() {
        [] => paths,
        names => format!(
            "every path for {} access, {paths} otherwise",
            names.join(" and ")
        ),
    }
}

/// The opens the kernel may drop for these rules, or why it must keep them all.
pub fn plan(ruleset: &RuleSet) -> Result<Keep, String> {
    let mut keep = Keep::default();
    for rule in ruleset.enabled_rules(Source::Syscall) {
        let relevant = relevant_part(&rule.filter, false);
        let Some(conjunctions) = relevant.dnf(MAX_CONJUNCTIONS) else {
            // Too large to read: it may match any event, so it may match close().
            return Err(matches_close(rule));
        };
        for conjunction in &conjunctions {
            add_conjunction(&mut keep, rule, conjunction)?;
        }
    }
    Ok(keep)
}

/// The condition with negations pushed down to the tests and every test this analysis does
/// not read replaced by `true`. It is weaker than the condition, so what it needs kept covers
/// the rule; and it expands to far fewer alternatives (exceptions on `proc.name` multiply
/// them otherwise).
fn relevant_part(filter: &Filter, negated: bool) -> Filter {
    match filter {
        Filter::Const(b) => Filter::Const(*b != negated),
        Filter::Not(inner) => relevant_part(inner, !negated),
        Filter::Check(check) if relevant(check) => {
            let test = Filter::Check(check.clone());
            if negated {
                Filter::Not(Box::new(test))
            } else {
                test
            }
        }
        Filter::Check(_) => Filter::Const(true),
        Filter::And(children) | Filter::Or(children) => {
            let all = matches!(filter, Filter::And(_)) != negated;
            // `and`: true parts vanish, a false one decides; `or` the other way round.
            let mut parts = Vec::new();
            for child in children {
                match relevant_part(child, negated) {
                    Filter::Const(b) if b == all => {}
                    Filter::Const(b) => return Filter::Const(b),
                    part => parts.push(part),
                }
            }
            match (parts.len(), all) {
                (0, _) => Filter::Const(all),
                (1, _) => parts.remove(0),
                (_, true) => Filter::And(parts),
                (_, false) => Filter::Or(parts),
            }
        }
    }
}

/// Tests the analysis reads: event types, access, results, and every test of a field that
/// reads the fd table (dropping those would hide that the rule reads it).
fn relevant(check: &FieldCheck) -> bool {
    matches!(
        check.field_name(),
        "evt.type"
            | "evt.is_open_read"
            | "evt.is_open_write"
            | "evt.rawres"
            | "evt.res"
            | "evt.failed"
    ) || !fd_table_fields(check).is_empty()
}

fn matches_close(rule: &Rule) -> String {
    format!(
        "rule `{}` can match close(), and the kernel would leave out the closes of the opens it leaves out",
        rule.name
    )
}

/// What one alternative of `rule` needs kept.
fn add_conjunction(
    keep: &mut Keep,
    rule: &Rule,
    conjunction: &[Literal<'_>],
) -> Result<(), String> {
    let types = EventTypes::of(conjunction);
    if CLOSE_TYPES.iter().any(|t| types.contains(t)) {
        return Err(matches_close(rule));
    }
    if OPEN_TYPES.iter().any(|t| types.contains(t))
        && !failed(conjunction)
        && !needs_a_path_the_kernel_keeps(conjunction)
    {
        let class = access_class(conjunction);
        match path_keys(conjunction) {
            Some(keys) => add(keep, keys, class),
            None => keep.all_paths |= class,
        }
    }
    // Another event naming an fd opened earlier: that open must have been seen.
    if reads_files_opened_earlier(&types, conjunction) && !never_a_file(conjunction) {
        let keys = fd_path_keys(conjunction).ok_or_else(|| {
            format!(
                "rule `{}` reads fd.* of files opened earlier ({}) without a path test",
                rule.name,
                types.describe_other_than(&OPEN_TYPES)
            )
        })?;
        add(keep, keys, CLASS_ANY);
    }
    Ok(())
}

/// The event types one conjunction can match: those its `evt.type` tests allow. Tests of
/// another form restrict nothing here (more types is the safe side).
struct EventTypes<'a> {
    /// `None`: any type.
    allowed: Option<BTreeSet<&'a str>>,
    excluded: BTreeSet<&'a str>,
}

impl<'a> EventTypes<'a> {
    fn of(conjunction: &[Literal<'a>]) -> EventTypes<'a> {
        let mut types = EventTypes {
            allowed: None,
            excluded: BTreeSet::new(),
        };
        for &(negated, check) in conjunction {
            if check.field_name() != "evt.type" {
                continue;
            }
            let Some(names) = check.compared_names() else {
                continue;
            };
            let names: BTreeSet<&str> = names.into_iter().collect();
            if (check.op == CmpOp::Ne) != negated {
                types.excluded.extend(names);
            } else {
                types.allowed = Some(match types.allowed.take() {
                    Some(before) => before.intersection(&names).copied().collect(),
                    None => names,
                });
            }
        }
        types
    }

    fn contains(&self, name: &str) -> bool {
        !self.excluded.contains(name) && self.allowed.as_ref().is_none_or(|a| a.contains(name))
    }

    /// The allowed types outside `family`; `None` when unrestricted.
    fn outside(&self, family: &[&str]) -> Option<Vec<&'a str>> {
        let allowed = self.allowed.as_ref()?;
        Some(
            allowed
                .iter()
                .filter(|t| !family.contains(t) && !self.excluded.contains(*t))
                .copied()
                .collect(),
        )
    }

    fn describe_other_than(&self, family: &[&str]) -> String {
        match self.outside(family) {
            Some(types) => types.join(", "),
            None => "any event type".to_string(),
        }
    }
}

/// The access class an open must have for this conjunction to match it.
fn access_class(conjunction: &[Literal<'_>]) -> u8 {
    let requires = |field: &str| {
        conjunction.iter().any(|&(negated, check)| {
            !negated
                && check.field_name() == field
                && check.is_plain()
                && check.op == CmpOp::Eq
                && check.rhs == CheckRhs::Value(Value::Bool(true))
        })
    };
    if requires("evt.is_open_read") {
        CLASS_READ
    } else if requires("evt.is_open_write") {
        CLASS_WRITE
    } else {
        CLASS_ANY
    }
}

/// The keys of the first positive path test that restricts the path; `None` when no test
/// does (every path may match).
fn path_keys(conjunction: &[Literal<'_>]) -> Option<Vec<Vec<u8>>> {
    conjunction
        .iter()
        .filter(|(negated, check)| !negated && check.is_plain())
        .find_map(|(_, check)| literal_keys(check, "fd.name"))
}

/// The keys one test of the path field `path` (or `fd.directory`) matches within; `None`
/// when it is not such a test or a value is not an absolute normalized path.
fn literal_keys(check: &FieldCheck, path: &str) -> Option<Vec<Vec<u8>>> {
    let tests_path =
        (check.is_plain() && check.field_name() == path) || tested_path_field(check) == Some(path);
    let field = if tests_path {
        "path"
    } else {
        check.field_name()
    };
    let mut keys = Vec::new();
    for value in check.strings()? {
        match (field, check.op) {
            ("path", CmpOp::Eq | CmpOp::In) => keys.push(whole(value)?),
            ("path", CmpOp::StartsWith) => keys.push(prefix(value)?),
            ("path", CmpOp::Glob) => {
                let literal_part = value.split(['*', '?', '[', '\\']).next().unwrap_or("");
                keys.push(prefix(literal_part)?);
            }
            // `pmatch (/etc)`: /etc itself and everything below it.
            ("path", CmpOp::PMatch) if !value.contains(['*', '?', '[', '\\']) => {
                let dir = value.trim_end_matches('/');
                keys.push(prefix(&format!("{dir}/"))?);
                if !dir.is_empty() {
                    keys.push(whole(dir)?);
                }
            }
            ("fd.directory", CmpOp::Eq | CmpOp::In) if path == "fd.name" => {
                let dir = value.trim_end_matches('/');
                keys.push(prefix(&format!("{dir}/"))?);
            }
            _ => return None,
        }
    }
    Some(keys)
}

/// The key of exactly this path.
fn whole(path: &str) -> Option<Vec<u8>> {
    let mut key = prefix(path)?;
    key.push(0);
    Some(key)
}

/// The key of every path starting with these bytes.
fn prefix(path: &str) -> Option<Vec<u8>> {
    normalized_absolute(path).then(|| path.as_bytes().to_vec())
}

/// A path as the kernel compares it: it keeps every open of another form (relative, `..`)
/// itself, so only these need keys.
fn normalized_absolute(path: &str) -> bool {
    path.starts_with('/')
        && !path.contains('\0')
        && !path.contains("//")
        && !path.contains("/./")
        && !path.contains("/../")
        && !path.ends_with("/.")
        && !path.ends_with("/..")
}

/// How a field depends on the fd table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum FdUse {
    /// The event's fd (`fd.*`), or all of the process's (`proc.fdopencount`).
    Fd,
    /// A path made from a directory fd (`fs.path.*` of `unlinkat`...), or from the fd itself
    /// (`fchmod`, `linkat` with `AT_EMPTY_PATH`); argument texts show those paths too.
    Path,
}

/// How a field (with its argument) depends on the fd table, and under which name: an
/// argument that shows a path goes by the `fs.path.*` field that holds the same path.
fn fd_use(field: &'static str, arg: Option<&FieldArg>) -> Option<(FdUse, &'static str)> {
    if field.starts_with("fd.")
        || field.starts_with("fdlist.")
        || matches!(field, "proc.fdopencount" | "proc.fdusage")
    {
        return Some((FdUse::Fd, field));
    }
    // The `*raw` paths are the arguments as given: no fd in them.
    if (field.starts_with("fs.path.") && !field.ends_with("raw"))
        || field.starts_with("evt.abspath")
    {
        return Some((FdUse::Path, field));
    }
    match (field, arg) {
        ("evt.args" | "evt.info", _) => Some((FdUse::Fd, field)),
        ("evt.arg", Some(FieldArg::Key(key))) => argument_use(key),
        // By position: whatever argument it is, it may be an fd.
        ("evt.arg", _) => Some((FdUse::Fd, field)),
        _ => None,
    }
}

/// What a named argument shows (crates/state/src/live_event.rs): a path, an fd (rendered
/// with its name by Falco), or neither (flags, modes, numbers).
fn argument_use(key: &str) -> Option<(FdUse, &'static str)> {
    match key {
        "name" | "path" | "filename" | "pathname" => Some((FdUse::Path, "fs.path.name")),
        "target" | "oldpath" => Some((FdUse::Path, "fs.path.source")),
        "linkpath" | "newpath" => Some((FdUse::Path, "fs.path.target")),
        key if key == "fd" || key.ends_with("fd") => Some((FdUse::Fd, "evt.arg")),
        _ => None,
    }
}

/// The path field a check tests as it is (no transformer or modifier), by its `fs.path.*`
/// name.
fn tested_path_field(check: &FieldCheck) -> Option<&'static str> {
    let (field, arg) = check.lhs.plain_field()?;
    if check.modifier.is_some() {
        return None;
    }
    match fd_use(field.name(), arg)? {
        (FdUse::Path, name) => Some(name),
        (FdUse::Fd, _) => None,
    }
}

/// The fd-table fields one test reads (either side, inside transformers too), by name.
fn fd_table_fields(check: &FieldCheck) -> BTreeSet<(FdUse, &'static str)> {
    let mut fields = BTreeSet::new();
    let mut visit = |operand: &Operand| {
        if let Base::Field { field, arg } = &operand.base
            && let Some(used) = fd_use(field.name(), arg.as_ref())
        {
            fields.insert(used);
        }
    };
    check.lhs.for_each_operand(&mut visit);
    if let CheckRhs::Field(rhs) = &check.rhs {
        rhs.for_each_operand(&mut visit);
    }
    fields
}

fn conjunction_fd_fields(conjunction: &[Literal<'_>]) -> BTreeSet<(FdUse, &'static str)> {
    conjunction
        .iter()
        .flat_map(|(_, check)| fd_table_fields(check))
        .collect()
}

/// Calls whose paths come from the working directory only, never from an fd.
const CWD_PATH_TYPES: [&str; 10] = [
    "unlink", "rmdir", "mkdir", "rename", "link", "symlink", "chmod", "chown", "lchown", "truncate",
];

/// Calls whose paths come from a directory fd when they succeed (a regular file there fails
/// with ENOTDIR, and the state names such a dirfd from /proc, as it names any fd it lacks:
/// only the attempts that failed can race with its close). `linkat`, `fchownat` and
/// `fchmodat2` are not here: with `AT_EMPTY_PATH` their fd may be a regular file.
const DIRFD_PATH_TYPES: [&str; 6] = [
    "unlinkat",
    "mkdirat",
    "renameat",
    "renameat2",
    "symlinkat",
    "fchmodat",
];

/// Whether the conjunction, at an event other than an open, reads the fd of a file that an
/// earlier open created. Only the condition counts: user space names the fds of an output
/// from /proc.
fn reads_files_opened_earlier(types: &EventTypes<'_>, conjunction: &[Literal<'_>]) -> bool {
    let fields = conjunction_fd_fields(conjunction);
    let Some(others) = types.outside(&OPEN_TYPES) else {
        return !fields.is_empty();
    };
    if others.is_empty() || fields.is_empty() {
        return false;
    }
    if fields.iter().any(|(used, _)| *used == FdUse::Fd) {
        return true;
    }
    others
        .iter()
        .any(|t| !CWD_PATH_TYPES.contains(t) && !DIRFD_PATH_TYPES.contains(t))
}

/// The keys that cover every earlier-opened file the conjunction reads: from a positive
/// `fd.name`/`fd.directory` test (the event's fd, which every other fd field of these events
/// names too), or from a path test on the one path field it reads. A successful call's path
/// comes from a directory fd, or is exactly the name of the file's fd (`fchmod`,
/// `AT_EMPTY_PATH`); a failed one may resolve against a regular file as its dirfd (ENOTDIR),
/// which the state names from /proc: only attempts that failed can race with its close.
fn fd_path_keys(conjunction: &[Literal<'_>]) -> Option<Vec<Vec<u8>>> {
    if let Some(keys) = path_keys(conjunction) {
        return Some(keys);
    }
    let fields = conjunction_fd_fields(conjunction);
    let [(FdUse::Path, field)] = fields.iter().copied().collect::<Vec<_>>()[..] else {
        return None;
    };
    if !field.starts_with("fs.path.") {
        return None;
    }
    conjunction
        .iter()
        .filter(|(negated, check)| !negated && tested_path_field(check) == Some(field))
        .find_map(|(_, check)| literal_keys(check, field))
}

/// Whether the conjunction holds only for a call that failed: the kernel reports every
/// failed open.
fn failed(conjunction: &[Literal<'_>]) -> bool {
    conjunction
        .iter()
        .any(|&(negated, check)| check.is_plain() && check.result_test(negated) == Some(false))
}

/// Whether a positive test of `fd.nameraw`, the path as the call passed it, matches only
/// paths the kernel reports anyway: relative ones, and those holding "//", "/." or ".."
/// (capture.bpf.c, `path_is_plain`). Falco's `directory_traversal` macro is such a test.
fn needs_a_path_the_kernel_keeps(conjunction: &[Literal<'_>]) -> bool {
    conjunction.iter().any(|&(negated, check)| {
        !negated
            && check.is_plain()
            && check.field_name() == "fd.nameraw"
            && check
                .strings()
                .is_some_and(|values| values.iter().all(|v| kept_by_form(check.op, v)))
    })
}

/// Whether every raw path that `op value` matches is one the kernel always reports.
fn kept_by_form(op: CmpOp, value: &str) -> bool {
    let unusual = |s: &str| s.contains("//") || s.contains("/.") || s.contains("..");
    let relative = |s: &str| s.chars().next().is_some_and(|c| c != '/');
    match op {
        CmpOp::Contains | CmpOp::EndsWith => unusual(value),
        CmpOp::StartsWith | CmpOp::Eq | CmpOp::In => unusual(value) || relative(value),
        // Only `*` and `?` are read: a bracket or an escape could stand for any byte.
        CmpOp::Glob if !value.contains(['[', '\\']) => {
            value.split(['*', '?']).any(unusual)
                || value
                    .chars()
                    .next()
                    .is_some_and(|c| !matches!(c, '/' | '*' | '?'))
        }
        _ => false,
    }
}

/// Whether a positive `fd.type`/`fd.typechar` test excludes regular files.
fn never_a_file(conjunction: &[Literal<'_>]) -> bool {
    conjunction.iter().any(|&(negated, check)| {
        let file = match check.field_name() {
            "fd.type" => "file",
            "fd.typechar" => "f",
            _ => return false,
        };
        !negated
            && matches!(check.op, CmpOp::Eq | CmpOp::In)
            && check
                .compared_names()
                .is_some_and(|names| !names.contains(&file))
    })
}

#[cfg(test)]
mod tests;
