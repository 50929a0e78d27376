//! The loader: YAML items → rules, macros and lists (with appends and overrides applied) →
//! checked filters, collecting every diagnostic instead of stopping at the first.
//!
//! It follows Falco's rule loader (`userspace/engine/rule_loader_{reader,collector,compiler}.cpp`,
//! Falco 0.44): the same items and keys, the same append/override/enable semantics, exceptions
//! built into the condition text the way Falco builds them, and Falco's messages and codes.

use std::hash::BuildHasher;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::ast::Span;
use crate::check::{self, CheckError, ErrorKind, Origin, Scope, ScopedMacro, Usage};
use crate::diagnostic::{Diagnostic, Severity};
use crate::files::SourceFile;
use crate::filter::Filter;
use crate::lists::{ListTable, Substituted, quote_item};
use crate::messages::*;
use crate::ruleset::{
    EngineVersion, Exception, ExceptionValue, ExtraField, List, Macro, PluginRequirement, Rule,
    RuleSet,
};
use crate::schema;
use crate::source::{Location, Priority, Source};
use crate::yaml::{self, Lines, Node, NodeKind, Pos};

/// The Falco engine version Saker's rule language matches (Falco 0.44).
pub const ENGINE_VERSION: EngineVersion = EngineVersion {
    major: 0,
    minor: 62,
    patch: 0,
};

/// Most items a list may expand to (lists of lists can grow exponentially).
const MAX_LIST_ITEMS: usize = 100_000;

/// Largest rules file accepted. Loading is linear in the file size (about 1 s for 50 MB on a
/// busy 2-core machine, bench/rules-load.sh); this bound keeps a hostile file from holding
/// gigabytes of YAML tree.
pub const MAX_RULES_FILE_BYTES: usize = 64 * 1024 * 1024;

/// What the loader checks requirements against, and what it adds to rules.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    pub engine_version: EngineVersion,
    /// Plugins whose fields Saker provides natively, with the version they correspond to.
    pub plugins: Vec<(String, EngineVersion)>,
    /// falco.yaml's `append_output`: formats and fields added to the outputs of matching rules.
    pub append_output: Vec<AppendOutput>,
}

/// One `append_output` entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AppendOutput {
    /// Only rules of this source (`match.source`).
    pub source: Option<String>,
    /// Only rules having all of these tags (`match.tags`).
    pub tags: Vec<String>,
    /// Only this rule (`match.rule`).
    pub rule: Option<String>,
    /// Text appended to the output (`extra_output`), after a space.
    pub format: Option<String>,
    /// Fields added to `output_fields` (`extra_fields`).
    pub fields: Vec<AppendField>,
}

/// One `extra_fields` entry: `{name: format}`, or a bare field name (`raw`).
#[derive(Clone, Debug, PartialEq)]
pub struct AppendField {
    pub name: String,
    pub format: String,
    pub raw: bool,
}

impl AppendOutput {
    fn applies_to(&self, rule: &str, source: &str, tags: &[String]) -> bool {
        self.source
            .as_deref()
            .is_none_or(|s| s.is_empty() || s == source)
            && self.tags.iter().all(|t| tags.contains(t))
            && self
                .rule
                .as_deref()
                .is_none_or(|r| r.is_empty() || r == rule)
    }
}

impl Default for LoadOptions {
    fn default() -> Self {
        let v = |major, minor, patch| EngineVersion {
            major,
            minor,
            patch,
        };
        LoadOptions {
            engine_version: ENGINE_VERSION,
            plugins: vec![
                ("container".into(), v(0, 6, 0)),
                ("k8saudit".into(), v(0, 18, 0)),
                ("json".into(), v(0, 7, 3)),
            ],
            append_output: Vec::new(),
        }
    }
}

/// Loads rules files in order (later files override earlier ones).
pub fn load(files: &[SourceFile]) -> (RuleSet, Vec<Diagnostic>) {
    load_with(files, &LoadOptions::default())
}

/// [`load`] with explicit requirements and output additions.
pub fn load_with(files: &[SourceFile], options: &LoadOptions) -> (RuleSet, Vec<Diagnostic>) {
    let lines: Vec<Lines<'_>> = files.iter().map(|f| Lines::new(&f.text)).collect();
    let mut loader = Loader {
        files,
        lines: &lines,
        options,
        diags: Vec::new(),
        seen_diags: HashSet::new(),
        lists: Vec::new(),
        list_index: HashMap::new(),
        macros: Vec::new(),
        macro_index: HashMap::new(),
        rules: Vec::new(),
        rule_index: HashMap::new(),
        counter: 0,
        engine_version: None,
        plugin_reqs: Vec::new(),
    };
    for (file_idx, file) in files.iter().enumerate() {
        loader.collect_file(file_idx, file);
    }
    let ruleset = loader.compile();
    let mut diags = loader.diags;
    let file_order: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.as_str(), i))
        .collect();
    // Stable order: by file (load order), then position.
    diags.sort_by_key(|d| {
        (
            file_order
                .get(d.file.as_str())
                .copied()
                .unwrap_or(usize::MAX),
            d.line,
            d.col,
        )
    });
    (ruleset, diags)
}

/// Every list's items as Falco compiles them, and the lists each one named.
struct CompiledLists {
    items: Vec<Vec<String>>,
    refs: Vec<Vec<String>>,
}

/// A macro's or rule's condition as written and as parsed (after list substitution).
#[derive(Clone)]
struct Cond {
    written: Text,
    subst: Substituted,
}

/// Where a diagnostic points: file index, position, characters to underline.
struct At(usize, Pos, u32);

/// A piece of a condition or output: text from one YAML scalar, or text the loader added
/// (the parentheses and exception checks Falco adds to a rule's condition).
#[derive(Clone, Debug)]
struct Piece {
    text: String,
    file: usize,
    pos: Pos,
    /// The text is a YAML scalar's value: offsets map into it character by character.
    scalar: bool,
}

/// Text assembled from pieces (conditions grow by appends); offsets map back to files.
#[derive(Clone, Debug, Default)]
struct Text {
    pieces: Vec<Piece>,
}

impl Text {
    fn from_node(file: usize, node: &Node, text: String) -> Text {
        Text {
            pieces: vec![Piece {
                text,
                file,
                pos: node.pos,
                scalar: true,
            }],
        }
    }

    fn joined(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }

    fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// Adds loader-made text located at (`file`, `pos`).
    fn push_synthetic(&mut self, text: impl Into<String>, file: usize, pos: Pos) {
        self.pieces.push(Piece {
            text: text.into(),
            file,
            pos,
            scalar: false,
        });
    }

    /// Falco's append: a space, then the new text.
    fn append(&mut self, other: Text) {
        if let Some(first) = other.pieces.first() {
            let (file, pos) = (first.file, first.pos);
            self.push_synthetic(" ", file, pos);
        }
        self.pieces.extend(other.pieces);
    }
}

/// A list (its items) or a macro (its condition), as the files define it so far.
#[derive(Clone, Debug)]
struct Def<Body> {
    name: String,
    body: Body,
    loc: (usize, Pos),
    index: u32,
    visibility: u32,
}

type ListDef = Def<Vec<String>>;
type MacroDef = Def<Text>;

/// What appending to a list or macro does to its body.
trait Appendable {
    fn append(&mut self, more: Self);
}

impl Appendable for Vec<String> {
    fn append(&mut self, more: Self) {
        self.extend(more);
    }
}

impl Appendable for Text {
    fn append(&mut self, more: Self) {
        Text::append(self, more);
    }
}

/// Defines, redefines or appends to the list or macro `name`; `false` when there is nothing
/// to append to (the caller reports it).
fn define<Body: Appendable>(
    defs: &mut Vec<Def<Body>>,
    by_name: &mut HashMap<String, usize>,
    name: String,
    body: Body,
    append: bool,
    (loc, id): ((usize, Pos), u32),
) -> bool {
    match (append, by_name.get(&name).copied()) {
        (true, None) => return false,
        (true, Some(i)) => {
            defs[i].body.append(body);
            defs[i].visibility = id;
        }
        (false, Some(i)) => {
            let def = &mut defs[i];
            def.body = body;
            def.loc = loc;
            def.visibility = id;
        }
        (false, None) => {
            by_name.insert(name.clone(), defs.len());
            defs.push(Def {
                name,
                body,
                loc,
                index: id,
                visibility: id,
            });
        }
    }
    true
}

#[derive(Clone, Debug)]
struct ExceptionDef {
    ex: Exception,
    /// Values as read (each a scalar or a list), validated when the rule compiles.
    raw_values: Vec<Entry>,
    fields_given: bool,
    comps_given: bool,
    loc: (usize, Pos),
}

/// An exception `fields`/`comps`/`values` entry: a scalar or a list of entries.
#[derive(Clone, Debug)]
enum Entry {
    Scalar(String),
    List(Vec<Entry>),
}

#[derive(Clone, Debug)]
struct RuleDef {
    name: String,
    desc: String,
    condition: Text,
    output: Text,
    priority: Priority,
    source_name: String,
    source_loc: (usize, Pos),
    enabled: bool,
    tags: Vec<String>,
    exceptions: Vec<ExceptionDef>,
    warn_evttypes: bool,
    skip_if_unknown_filter: bool,
    capture: bool,
    capture_duration: u64,
    loc: (usize, Pos),
    /// False when a key had an error: checked, but left out of the ruleset.
    valid: bool,
}

struct Loader<'a> {
    files: &'a [SourceFile],
    lines: &'a [Lines<'a>],
    options: &'a LoadOptions,
    diags: Vec<Diagnostic>,
    /// Identical diagnostics (one macro error seen from many rules) are reported once: the
    /// hashes of those reported.
    seen_diags: HashSet<u64>,
    lists: Vec<ListDef>,
    list_index: HashMap<String, usize>,
    macros: Vec<MacroDef>,
    macro_index: HashMap<String, usize>,
    rules: Vec<RuleDef>,
    rule_index: HashMap<String, usize>,
    /// Falco's collector index: bumped by every definition, append and replace; a macro or
    /// list sees the macros/lists whose index is below its visibility.
    counter: u32,
    engine_version: Option<EngineVersion>,
    plugin_reqs: Vec<PluginRequirement>,
}

const RULE_KEYS: &[&str] = &[
    "rule",
    "condition",
    "output",
    "desc",
    "priority",
    "source",
    "enabled",
    "capture",
    "capture_duration",
    "warn_evttypes",
    "skip-if-unknown-filter",
    "tags",
    "exceptions",
    "override",
    "append",
];
const MACRO_KEYS: &[&str] = &["macro", "condition", "append", "override"];
const LIST_KEYS: &[&str] = &["list", "items", "append", "override"];
const EXCEPTION_KEYS: &[&str] = &["name", "fields", "comps", "values"];
const RULE_APPENDABLE: &[&str] = &["condition", "output", "desc", "tags", "exceptions"];
const RULE_REPLACEABLE: &[&str] = &[
    "condition",
    "output",
    "desc",
    "priority",
    "capture",
    "capture_duration",
    "tags",
    "exceptions",
    "enabled",
    "warn_evttypes",
    "skip-if-unknown-filter",
];

/// `([a-zA-Z]+[a-zA-Z0-9_]*)`, the macro name Falco expects.
fn is_identifier(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphabetic()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// `([^()"'[:space:]=,]+)`, the list name Falco expects.
fn is_bare_string(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(crate::parse::is_bare_value_byte)
}

/// Looks a key up in a mapping node.
fn get<'n>(entries: &'n [(Node, Node)], key: &str) -> Option<&'n Node> {
    entries
        .iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(_, v)| v)
}

fn get_key<'n>(entries: &'n [(Node, Node)], key: &str) -> Option<&'n Node> {
    entries
        .iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(k, _)| k)
}

/// yaml-cpp's boolean spellings (quoted or not, as yaml-cpp's `as<bool>` reads them).
fn yaml_bool(text: &str) -> Option<bool> {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Some(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Some(false)
        }
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Append,
    Replace,
}

/// What an item asks to change on an existing rule (an append or a replace).
#[derive(Default)]
struct RuleUpdate {
    condition: Option<Text>,
    output: Option<Text>,
    desc: Option<String>,
    tags: Option<Vec<String>>,
    exceptions: Option<Vec<ExceptionDef>>,
    priority: Option<Priority>,
    capture: Option<bool>,
    capture_duration: Option<u64>,
    enabled: Option<bool>,
    warn_evttypes: Option<bool>,
    skip_if_unknown_filter: Option<bool>,
    /// The item's `source:`, compared with the rule's when the condition changes.
    source: String,
}

impl RuleUpdate {
    fn has_any_value(&self) -> bool {
        self.condition.is_some()
            || self.output.is_some()
            || self.desc.is_some()
            || self.tags.is_some()
            || self.exceptions.is_some()
            || self.priority.is_some()
            || self.capture.is_some()
            || self.capture_duration.is_some()
            || self.enabled.is_some()
            || self.warn_evttypes.is_some()
            || self.skip_if_unknown_filter.is_some()
    }
}

/// The item being read, for diagnostics: its file, its node, its name.
#[derive(Clone, Copy)]
struct Ctx<'n> {
    file: usize,
    item: &'n Node,
    /// `rule`, `macro`, `list`... for messages.
    kind: &'static str,
    name: Option<&'n str>,
}

impl<'a> Loader<'a> {
    fn diag(
        &mut self,
        severity: Severity,
        code: &'static str,
        At(file, pos, len): At,
        message: String,
        item: Option<&str>,
    ) {
        let d = Diagnostic {
            severity,
            code,
            file: self.files[file].name.clone(),
            line: pos.line.max(1),
            col: pos.col.max(1),
            len: len.max(1),
            message,
            source_line: self.lines[file].line(pos.line).to_string(),
            item: item.map(str::to_string),
        };
        if self
            .seen_diags
            .insert(foldhash::fast::FixedState::default().hash_one(&d))
        {
            self.diags.push(d);
        }
    }

    fn error_code(
        &mut self,
        code: &'static str,
        file: usize,
        node: &Node,
        message: String,
        item: Option<&str>,
    ) {
        self.diag(
            Severity::Error,
            code,
            At(file, node.pos, node.display_len()),
            message,
            item,
        );
    }

    /// A `LOAD_ERR_VALIDATE` error at `node`.
    fn error(&mut self, file: usize, node: &Node, message: String, item: Option<&str>) {
        self.error_code("LOAD_ERR_VALIDATE", file, node, message, item);
    }

    /// A `LOAD_ERR_VALIDATE` error about the item `ctx` reads, named in the message.
    fn item_error(&mut self, ctx: Ctx<'_>, node: &Node, message: impl std::fmt::Display) {
        let message = match ctx.name {
            Some(name) => format!("{} '{name}': {message}", ctx.kind),
            None => message.to_string(),
        };
        self.error(ctx.file, node, message, ctx.name);
    }

    fn warn(
        &mut self,
        code: &'static str,
        file: usize,
        node: &Node,
        message: String,
        item: Option<&str>,
    ) {
        self.diag(
            Severity::Warning,
            code,
            At(file, node.pos, node.display_len()),
            message,
            item,
        );
    }

    fn collect_file(&mut self, file_idx: usize, file: &SourceFile) {
        if file.text.len() > MAX_RULES_FILE_BYTES {
            self.diag(
                Severity::Error,
                "LOAD_ERR_FILE_READ",
                At(file_idx, Pos { line: 1, col: 1 }, 1),
                format!(
                    "rules file is {} bytes, more than the limit of {MAX_RULES_FILE_BYTES} bytes",
                    file.text.len()
                ),
                None,
            );
            return;
        }
        let docs = match yaml::parse_documents(&file.text) {
            Ok(docs) => docs,
            Err(e) => {
                self.diag(
                    Severity::Error,
                    "LOAD_ERR_YAML_PARSE",
                    At(file_idx, e.pos, 1),
                    format!("invalid YAML: {}", e.message),
                    None,
                );
                return;
            }
        };
        for doc in &docs {
            for violation in schema::validate(doc) {
                self.warn(
                    "SCHEMA_VALIDATION",
                    file_idx,
                    violation.node,
                    violation.message,
                    None,
                );
            }
            match &doc.kind {
                NodeKind::Seq(items) => {
                    for item in items.iter().filter(|i| !i.is_null()) {
                        self.collect_item(file_idx, item);
                    }
                }
                _ if doc.is_null() => {}
                NodeKind::Map(_) => self.error_code(
                    "LOAD_ERR_YAML_VALIDATE",
                    file_idx,
                    doc,
                    "Rules content is not yaml array of objects".into(),
                    None,
                ),
                NodeKind::Scalar { .. } => self.error_code(
                    "LOAD_ERR_YAML_VALIDATE",
                    file_idx,
                    doc,
                    "Rules content is not yaml".into(),
                    None,
                ),
            }
        }
    }

    fn collect_item(&mut self, file: usize, item: &Node) {
        let NodeKind::Map(entries) = &item.kind else {
            self.error_code(
                "LOAD_ERR_YAML_VALIDATE",
                file,
                item,
                format!(
                    "Unexpected element type. Each element should be a yaml associative array (found {}).",
                    item.type_name()
                ),
                None,
            );
            return;
        };
        // As Falco: the first of these keys the item has decides its kind.
        if get(entries, "required_engine_version").is_some() {
            self.collect_engine_version(file, item, entries);
        } else if get(entries, "required_plugin_versions").is_some() {
            self.collect_plugin_versions(file, item, entries);
        } else if get(entries, "list").is_some() {
            self.collect_list(file, item, entries);
        } else if get(entries, "macro").is_some() {
            self.collect_macro(file, item, entries);
        } else if get(entries, "rule").is_some() {
            self.collect_rule(file, item, entries);
        } else {
            let first = entries.first().map_or(item, |(k, _)| k);
            self.warn(
                "LOAD_UNKNOWN_ITEM",
                file,
                first,
                "Unknown top level item: expected one of 'rule', 'macro', 'list', 'required_engine_version', 'required_plugin_versions'. The item will be ignored.".into(),
                None,
            );
        }
    }

    /// Falco's `warn_unknown_keys`, plus duplicate keys (an error: the YAML is ambiguous).
    fn check_keys(&mut self, ctx: Ctx<'_>, entries: &[(Node, Node)], allowed: &[&str]) {
        let mut seen: Vec<&str> = Vec::new();
        for (k, _) in entries {
            let Some(key) = k.as_str() else {
                self.item_error(ctx, k, "keys must be strings");
                continue;
            };
            if seen.contains(&key) {
                self.item_error(ctx, k, format!("duplicate key '{key}'"));
            }
            seen.push(key);
            if !allowed.contains(&key) {
                self.warn(
                    "LOAD_UNKNOWN_KEY",
                    ctx.file,
                    k,
                    format!(
                        "Unknown key '{key}'. The key will be ignored. (expected one of {})",
                        allowed.join(", ")
                    ),
                    ctx.name,
                );
            }
        }
    }

    /// Falco's `decode_val` for strings: `Ok(None)` when optional and absent (or empty and
    /// allowed to be); `Err(())` after reporting.
    fn decode_string(
        &mut self,
        ctx: Ctx<'_>,
        entries: &[(Node, Node)],
        key: &str,
        required: bool,
        can_be_empty: bool,
    ) -> Result<Option<String>, ()> {
        let Some(node) = get(entries, key) else {
            if required {
                self.item_error(ctx, ctx.item, format!("{ITEM_HAS_NO_MAPPING}'{key}'"));
                return Err(());
            }
            return Ok(None);
        };
        if node.is_null() {
            if can_be_empty {
                return Ok(None);
            }
            self.item_error(ctx, node, format!("Mapping for key '{key}' is empty"));
            return Err(());
        }
        let NodeKind::Scalar { text, .. } = &node.kind else {
            self.item_error(
                ctx,
                node,
                format!(
                    "Value for key '{key}' is not a scalar value (found {})",
                    node.type_name()
                ),
            );
            return Err(());
        };
        if text.is_empty() {
            if can_be_empty {
                return Ok(None);
            }
            self.item_error(
                ctx,
                node,
                format!("Value for key '{key}' must be non-empty"),
            );
            return Err(());
        }
        Ok(Some(text.clone()))
    }

    fn required_string(
        &mut self,
        ctx: Ctx<'_>,
        entries: &[(Node, Node)],
        key: &str,
    ) -> Option<String> {
        self.decode_string(ctx, entries, key, true, false)
            .ok()
            .flatten()
    }

    /// A scalar decoded by `parse` (yaml-cpp's `as<T>`).
    fn decode_scalar<T>(
        &mut self,
        ctx: Ctx<'_>,
        entries: &[(Node, Node)],
        key: &str,
        what: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, ()> {
        let Some(text) = self.decode_string(ctx, entries, key, false, false)? else {
            return Ok(None);
        };
        let node = get(entries, key).expect("decoded");
        match parse(&text) {
            Some(v) => Ok(Some(v)),
            None => {
                self.item_error(ctx, node,
                    format!("Can't decode YAML scalar value for key '{key}': expected {what}, found '{text}'"));
                Err(())
            }
        }
    }

    fn decode_bool(
        &mut self,
        ctx: Ctx<'_>,
        entries: &[(Node, Node)],
        key: &str,
    ) -> Result<Option<bool>, ()> {
        self.decode_scalar(ctx, entries, key, "a boolean", yaml_bool)
    }

    /// A sequence of scalars (`items`, `tags`).
    fn decode_seq(
        &mut self,
        ctx: Ctx<'_>,
        entries: &[(Node, Node)],
        key: &str,
        required: bool,
    ) -> Result<Option<Vec<String>>, ()> {
        let Some(node) = get(entries, key) else {
            if required {
                self.item_error(ctx, ctx.item, format!("{ITEM_HAS_NO_MAPPING}'{key}'"));
                return Err(());
            }
            return Ok(None);
        };
        let NodeKind::Seq(items) = &node.kind else {
            self.item_error(
                ctx,
                node,
                format!(
                    "Value for key '{key}' is not a sequence (found {})",
                    node.type_name()
                ),
            );
            return Err(());
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match &item.kind {
                NodeKind::Scalar { text, .. } => out.push(text.clone()),
                _ => {
                    self.item_error(
                        ctx,
                        item,
                        format!(
                            "sequence value is not scalar (in '{key}', found {})",
                            item.type_name()
                        ),
                    );
                    return Err(());
                }
            }
        }
        Ok(Some(out))
    }

    /// `override:` as key → mode, validated against the keys that can be appended/replaced.
    fn decode_overrides(
        &mut self,
        ctx: Ctx<'_>,
        entries: &[(Node, Node)],
        appendable: &[&str],
        replaceable: &[&str],
    ) -> Result<Vec<(String, Mode)>, ()> {
        let Some(node) = get(entries, "override") else {
            return Ok(Vec::new());
        };
        let NodeKind::Map(ov) = &node.kind else {
            self.item_error(
                ctx,
                node,
                format!(
                    "'override' must be a mapping of keys to append or replace (found {})",
                    node.type_name()
                ),
            );
            return Err(());
        };
        let mut out = Vec::new();
        let mut ok = true;
        for (k, v) in ov {
            let key = k.as_str().unwrap_or("").to_string();
            let can_append = appendable.contains(&key.as_str());
            let can_replace = replaceable.contains(&key.as_str());
            match v.as_str() {
                Some("append") if !can_append => {
                    self.item_error(
                        ctx,
                        k,
                        format!("Key '{key}' cannot be appended to, use 'replace' instead"),
                    );
                    ok = false;
                }
                Some("append") => out.push((key, Mode::Append)),
                Some("replace") if !can_replace => {
                    self.item_error(ctx, k, format!("Key '{key}' cannot be replaced"));
                    ok = false;
                }
                Some("replace") => out.push((key, Mode::Replace)),
                other => {
                    let allowed: Vec<&str> = [("append", can_append), ("replace", can_replace)]
                        .iter()
                        .filter(|(_, ok)| *ok)
                        .map(|(m, _)| *m)
                        .collect();
                    self.item_error(ctx, v,
                        format!(
                            "Invalid override operation for key '{key}': '{}'. Allowed values are: {}",
                            other.unwrap_or(v.type_name()),
                            allowed.join(" ")
                        ));
                    ok = false;
                }
            }
        }
        if ok { Ok(out) } else { Err(()) }
    }

    /// `append: true` (deprecated): whether it is set, warning when it is.
    fn legacy_append(&mut self, ctx: Ctx<'_>, entries: &[(Node, Node)]) -> Result<bool, ()> {
        let append = self.decode_bool(ctx, entries, "append")?.unwrap_or(false);
        if append {
            let key = get_key(entries, "append").unwrap_or(ctx.item);
            self.warn(
                "LOAD_DEPRECATED_ITEM",
                ctx.file,
                key,
                WARNING_APPEND.into(),
                ctx.name,
            );
        }
        Ok(append)
    }

    fn next_index(&mut self) -> u32 {
        let id = self.counter;
        self.counter += 1;
        id
    }

    fn collect_list(&mut self, file: usize, item: &Node, entries: &[(Node, Node)]) {
        let ctx = Ctx {
            file,
            item,
            kind: "list",
            name: None,
        };
        let Some(name) = self.required_string(ctx, entries, "list") else {
            return;
        };
        let ctx = Ctx {
            file,
            item,
            kind: "list",
            name: Some(&name),
        };
        self.check_keys(ctx, entries, LIST_KEYS);
        if !is_bare_string(&name) {
            self.warn(
                "LOAD_INVALID_LIST_NAME",
                file,
                get(entries, "list").unwrap_or(item),
                "List has an invalid name. List names should match a regular expression: ([^()\"'[:space:]=,]+)".into(),
                Some(&name),
            );
        }
        let Ok(Some(items)) = self.decode_seq(ctx, entries, "items", true) else {
            return;
        };
        let Some(append) = self.appends(ctx, item, entries, "items") else {
            return;
        };
        let at = (self.next_index(), get(entries, "list").unwrap_or(item));
        let defined = define(
            &mut self.lists,
            &mut self.list_index,
            name.clone(),
            items,
            append,
            ((file, item.pos), at.0),
        );
        if !defined {
            self.item_error(ctx, at.1, ERROR_NO_PREVIOUS_LIST);
        }
    }

    /// Whether a list or macro item appends to its previous definition (legacy `append:
    /// true` or `override: {key: append}`) or defines it anew (`replace`, or neither); `None`
    /// when its `append`/`override` keys are in error (reported).
    fn appends(
        &mut self,
        ctx: Ctx<'_>,
        item: &Node,
        entries: &[(Node, Node)],
        key: &'static str,
    ) -> Option<bool> {
        let legacy = self.legacy_append(ctx, entries).ok()?;
        let overrides = self.decode_overrides(ctx, entries, &[key], &[key]).ok()?;
        if legacy && !overrides.is_empty() {
            self.item_error(ctx, item, ERROR_OVERRIDE_APPEND);
            return None;
        }
        Some(legacy || overrides.iter().any(|(_, m)| *m == Mode::Append))
    }

    fn text_of(&mut self, ctx: Ctx<'_>, entries: &[(Node, Node)], key: &str) -> Option<Text> {
        let text = self.required_string(ctx, entries, key)?;
        let node = get(entries, key)?;
        Some(Text::from_node(ctx.file, node, text))
    }

    fn collect_macro(&mut self, file: usize, item: &Node, entries: &[(Node, Node)]) {
        let ctx = Ctx {
            file,
            item,
            kind: "macro",
            name: None,
        };
        let Some(name) = self.required_string(ctx, entries, "macro") else {
            return;
        };
        let ctx = Ctx {
            file,
            item,
            kind: "macro",
            name: Some(&name),
        };
        self.check_keys(ctx, entries, MACRO_KEYS);
        if !is_identifier(&name) {
            self.warn(
                "LOAD_INVALID_MACRO_NAME",
                file,
                get(entries, "macro").unwrap_or(item),
                "Macro has an invalid name. Macro names should match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)".into(),
                Some(&name),
            );
        }
        let Some(condition) = self.text_of(ctx, entries, "condition") else {
            return;
        };
        let Some(append) = self.appends(ctx, item, entries, "condition") else {
            return;
        };
        let at = (self.next_index(), get(entries, "macro").unwrap_or(item));
        let defined = define(
            &mut self.macros,
            &mut self.macro_index,
            name.clone(),
            condition,
            append,
            ((file, item.pos), at.0),
        );
        if !defined {
            self.item_error(ctx, at.1, ERROR_NO_PREVIOUS_MACRO);
        }
    }

    fn priority(&mut self, ctx: Ctx<'_>, entries: &[(Node, Node)]) -> Result<Option<Priority>, ()> {
        let Some(text) = self.decode_string(ctx, entries, "priority", false, false)? else {
            return Ok(None);
        };
        match text.parse::<Priority>() {
            Ok(p) => Ok(Some(p)),
            Err(_) => {
                let node = get(entries, "priority").unwrap_or(ctx.item);
                self.item_error(ctx, node,
                    format!("Invalid priority '{text}': expected one of EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO, INFORMATIONAL, DEBUG"));
                Err(())
            }
        }
    }

    /// One exception entry (`fields`, `comps`, a value): a scalar or a list of entries.
    fn exception_entry(&mut self, ctx: Ctx<'_>, node: &Node, what: &str) -> Result<Entry, ()> {
        match &node.kind {
            NodeKind::Scalar { text, .. } if !text.is_empty() && !node.is_null() => {
                Ok(Entry::Scalar(text.clone()))
            }
            NodeKind::Scalar { .. } => {
                self.item_error(
                    ctx,
                    node,
                    format!("Value must be non-empty (in exception {what})"),
                );
                Err(())
            }
            NodeKind::Seq(items) => items
                .iter()
                .map(|i| self.exception_entry(ctx, i, what))
                .collect::<Result<Vec<_>, _>>()
                .map(Entry::List),
            NodeKind::Map(_) => {
                self.item_error(
                    ctx,
                    node,
                    format!("exception {what} must be a string or a list, found a mapping"),
                );
                Err(())
            }
        }
    }

    /// Falco's `read_rule_exceptions`; `append` makes `fields` optional (values appended to an
    /// exception of the same name).
    fn exceptions(
        &mut self,
        ctx: Ctx<'_>,
        entries: &[(Node, Node)],
        append: bool,
    ) -> Result<Option<Vec<ExceptionDef>>, ()> {
        let Some(node) = get(entries, "exceptions") else {
            return Ok(None);
        };
        if node.is_null() {
            return Ok(Some(Vec::new()));
        }
        let NodeKind::Seq(items) = &node.kind else {
            self.item_error(ctx, node, "Rule exceptions must be a sequence");
            return Err(());
        };
        let mut out: Vec<ExceptionDef> = Vec::new();
        let mut ok = true;
        // Every exception is read, so each one's problem is reported.
        for ex_node in items {
            match self.exception(ctx, ex_node, append, &out) {
                Ok(ex) => out.push(ex),
                Err(()) => ok = false,
            }
        }
        if ok { Ok(Some(out)) } else { Err(()) }
    }

    fn exception(
        &mut self,
        ctx: Ctx<'_>,
        ex_node: &Node,
        append: bool,
        previous: &[ExceptionDef],
    ) -> Result<ExceptionDef, ()> {
        let NodeKind::Map(ex) = &ex_node.kind else {
            self.item_error(ctx, ex_node, "Rule exception must be a mapping");
            return Err(());
        };
        let ex_ctx = Ctx {
            file: ctx.file,
            item: ex_node,
            kind: ctx.kind,
            name: ctx.name,
        };
        self.check_keys(ex_ctx, ex, EXCEPTION_KEYS);
        let name = self.required_string(ex_ctx, ex, "name").ok_or(())?;
        if previous.iter().any(|e| e.ex.name == name) {
            self.warn(
                "LOAD_EXCEPTION_NAME_NOT_UNIQUE",
                ctx.file,
                ex_node,
                format!("Multiple definitions of exception '{name}' in the same rule"),
                ctx.name,
            );
        }
        let fields = match get(ex, "fields") {
            Some(f) => Some(self.exception_entry(ex_ctx, f, "fields")?),
            None if append => None,
            None => {
                self.item_error(
                    ctx,
                    ex_node,
                    format!("{ITEM_HAS_NO_MAPPING}'fields' (exception '{name}')"),
                );
                return Err(());
            }
        };
        let comps = match get(ex, "comps") {
            Some(c) => Some(self.exception_entry(ex_ctx, c, "comps")?),
            None => None,
        };
        let mut raw_values = Vec::new();
        match get(ex, "values") {
            Some(v) if v.is_null() => {}
            Some(v) => {
                let NodeKind::Seq(rows) = &v.kind else {
                    self.item_error(ctx, v, "Rule exception values must be a sequence");
                    return Err(());
                };
                for row in rows {
                    raw_values.push(self.exception_entry(ex_ctx, row, "values")?);
                }
            }
            None if append => self.warn(
                "LOAD_APPEND_NO_VALUES",
                ctx.file,
                ex_node,
                format!("Overriding/appending exception with no values (exception '{name}')"),
                ctx.name,
            ),
            None => {}
        }
        let fields_given = fields.is_some();
        let comps_given = comps.is_some();
        let ex = self.validated_exception(ex_ctx, ex_node, name, fields, comps, &raw_values)?;
        Ok(ExceptionDef {
            ex,
            raw_values,
            fields_given,
            comps_given,
            loc: (ctx.file, ex_node.pos),
        })
    }

    /// Falco's `validate_exception_info`: comps default to `=` (list of fields) or `in` (one
    /// field), have the fields' shape, and are operators (with an optional modifier).
    fn validated_exception(
        &mut self,
        ctx: Ctx<'_>,
        node: &Node,
        name: String,
        fields: Option<Entry>,
        comps: Option<Entry>,
        raw_values: &[Entry],
    ) -> Result<Exception, ()> {
        let scalar = |e: &Entry| match e {
            Entry::Scalar(s) => s.clone(),
            Entry::List(_) => String::new(),
        };
        let (field_list, single_field) = match &fields {
            None => (Vec::new(), false),
            Some(Entry::Scalar(f)) => (vec![f.clone()], true),
            Some(Entry::List(items)) => (items.iter().map(scalar).collect(), false),
        };
        let comps: Vec<String> = match (&fields, comps) {
            (None, None) => Vec::new(),
            (None, Some(c)) => match c {
                Entry::Scalar(c) => vec![c],
                Entry::List(items) => items.iter().map(scalar).collect(),
            },
            (Some(Entry::List(_)), None) => vec!["=".to_string(); field_list.len()],
            (Some(Entry::List(_)), Some(Entry::List(items))) => items.iter().map(scalar).collect(),
            (Some(Entry::List(_)), Some(Entry::Scalar(_))) => {
                self.item_error(ctx, node, format!("Fields and comps lists must have equal length (exception '{name}': comps is a single value)"));
                return Err(());
            }
            (Some(Entry::Scalar(_)), None) => vec!["in".to_string()],
            (Some(Entry::Scalar(_)), Some(Entry::Scalar(c))) => vec![c],
            (Some(Entry::Scalar(_)), Some(Entry::List(_))) => {
                self.item_error(
                    ctx,
                    node,
                    format!("Fields and comps must both be strings (exception '{name}')"),
                );
                return Err(());
            }
        };
        let comps: Vec<String> = comps
            .iter()
            .map(|c| c.trim_matches([' ', '\t', '\r', '\n']).to_string())
            .collect();
        if fields.is_some() {
            if single_field {
                let comp = comps[0].as_str();
                if !matches!(comp, "in" | "pmatch" | "intersects")
                    && !is_str_operator_with_modifier(comp)
                {
                    self.item_error(ctx, node,
                        format!("When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. startswith oneof), not '{comp}' (exception '{name}')"));
                    return Err(());
                }
            } else {
                if comps.len() != field_list.len() {
                    self.item_error(ctx, node, format!("Fields and comps lists must have equal length (exception '{name}': {} fields, {} comps)", field_list.len(), comps.len()));
                    return Err(());
                }
                for comp in &comps {
                    if crate::ast::CmpOp::from_name(comp).is_none()
                        && !is_str_operator_with_modifier(comp)
                    {
                        self.item_error(ctx, node, format!("'{comp}' is not a supported comparison operator (exception '{name}')"));
                        return Err(());
                    }
                }
            }
        }
        let values = raw_values
            .iter()
            .map(|v| match v {
                Entry::Scalar(s) => vec![ExceptionValue::Scalar(s.clone())],
                Entry::List(items) => items
                    .iter()
                    .map(|i| match i {
                        Entry::Scalar(s) => ExceptionValue::Scalar(s.clone()),
                        Entry::List(inner) => {
                            ExceptionValue::List(inner.iter().map(scalar).collect())
                        }
                    })
                    .collect(),
            })
            .collect();
        Ok(Exception {
            name,
            fields: field_list,
            single_field,
            comps,
            values,
        })
    }

    fn collect_rule(&mut self, file: usize, item: &Node, entries: &[(Node, Node)]) {
        let ctx = Ctx {
            file,
            item,
            kind: "rule",
            name: None,
        };
        let Some(name) = self.required_string(ctx, entries, "rule") else {
            return;
        };
        let ctx = Ctx {
            file,
            item,
            kind: "rule",
            name: Some(&name),
        };
        self.check_keys(ctx, entries, RULE_KEYS);
        let Ok(source) = self.decode_string(ctx, entries, "source", false, true) else {
            return;
        };
        let source = source.unwrap_or_default();
        let Ok(append) = self.legacy_append(ctx, entries) else {
            return;
        };
        let Ok(overrides) = self.decode_overrides(ctx, entries, RULE_APPENDABLE, RULE_REPLACEABLE)
        else {
            return;
        };
        if append && !overrides.is_empty() {
            self.item_error(ctx, item, ERROR_OVERRIDE_APPEND);
            return;
        }
        let name_node = get(entries, "rule").unwrap_or(item);
        if !overrides.is_empty() {
            self.collect_rule_overrides(ctx, entries, &overrides, source, name_node);
        } else if append {
            self.collect_rule_legacy_append(ctx, entries, source, name_node);
        } else if ["condition", "output", "desc", "priority"]
            .iter()
            .all(|k| get(entries, k).is_none())
        {
            self.collect_rule_enable(ctx, entries, name_node);
        } else {
            self.collect_rule_definition(ctx, entries);
        }
    }

    /// `override:` with `append` and/or `replace` entries: Falco applies the appends, then the
    /// replaces, and refuses keys given without an entry.
    fn collect_rule_overrides(
        &mut self,
        ctx: Ctx<'_>,
        entries: &[(Node, Node)],
        overrides: &[(String, Mode)],
        source: String,
        name_node: &Node,
    ) {
        // Falco's `expected_keys`: (appendable ∪ replaceable) ∩ keys present.
        let mut expected: Vec<&str> = Vec::new();
        for key in RULE_APPENDABLE.iter().chain(RULE_REPLACEABLE) {
            if get(entries, key).is_some() && !expected.contains(key) {
                expected.push(key);
            }
        }
        for mode in [Mode::Append, Mode::Replace] {
            let keys: Vec<&str> = overrides
                .iter()
                .filter(|(_, m)| *m == mode)
                .map(|(k, _)| k.as_str())
                .collect();
            if keys.is_empty() {
                continue;
            }
            let mode_name = if mode == Mode::Append {
                "append"
            } else {
                "replace"
            };
            let mut update = RuleUpdate::default();
            let mut ok = true;
            let order = if mode == Mode::Append {
                RULE_APPENDABLE
            } else {
                RULE_REPLACEABLE
            };
            for key in order.iter().copied().filter(|k| keys.contains(k)) {
                let Some(pos) = expected.iter().position(|k| *k == key) else {
                    let at = get_key(overrides_node(entries), key).unwrap_or(ctx.item);
                    self.item_error(ctx, at, format!("An {mode_name} override for '{key}' was specified but '{key}' is not defined"));
                    ok = false;
                    continue;
                };
                expected.remove(pos);
                ok &= self
                    .read_update_key(ctx, entries, key, mode, &mut update)
                    .is_ok();
                if key == "condition" {
                    update.source = source.clone();
                }
            }
            if ok {
                self.apply_update(ctx, update, mode, name_node);
            }
        }
        for key in expected {
            let at = get_key(entries, key).unwrap_or(ctx.item);
            self.item_error(
                ctx,
                at,
                format!(
                    "Unexpected key '{key}': no corresponding entry under 'override' is defined."
                ),
            );
        }
    }

    fn read_update_key(
        &mut self,
        ctx: Ctx<'_>,
        entries: &[(Node, Node)],
        key: &str,
        mode: Mode,
        update: &mut RuleUpdate,
    ) -> Result<(), ()> {
        match key {
            "condition" => update.condition = Some(self.text_of(ctx, entries, key).ok_or(())?),
            "output" => update.output = Some(self.text_of(ctx, entries, key).ok_or(())?),
            "desc" => update.desc = Some(self.required_string(ctx, entries, key).ok_or(())?),
            "tags" => update.tags = self.decode_seq(ctx, entries, key, true)?,
            "exceptions" => {
                update.exceptions = self.exceptions(ctx, entries, mode == Mode::Append)?
            }
            "priority" => update.priority = self.priority(ctx, entries)?,
            "capture" => update.capture = self.decode_bool(ctx, entries, key)?,
            "capture_duration" => {
                update.capture_duration =
                    self.decode_scalar(ctx, entries, key, "milliseconds as an integer", |t| {
                        t.parse().ok()
                    })?
            }
            "enabled" => update.enabled = self.decode_bool(ctx, entries, key)?,
            "warn_evttypes" => update.warn_evttypes = self.decode_bool(ctx, entries, key)?,
            "skip-if-unknown-filter" => {
                update.skip_if_unknown_filter = self.decode_bool(ctx, entries, key)?
            }
            _ => {}
        }
        Ok(())
    }

    /// `append: true` on a rule (deprecated): Falco takes the condition and the exceptions and
    /// ignores every other key (`enabled: true` included, so a disabled rule stays disabled).
    fn collect_rule_legacy_append(
        &mut self,
        ctx: Ctx<'_>,
        entries: &[(Node, Node)],
        source: String,
        name_node: &Node,
    ) {
        let mut update = RuleUpdate {
            source,
            ..RuleUpdate::default()
        };
        if get(entries, "condition").is_some() {
            match self.text_of(ctx, entries, "condition") {
                Some(t) => update.condition = Some(t),
                None => return,
            }
        }
        match self.exceptions(ctx, entries, true) {
            Ok(e) => update.exceptions = e,
            Err(()) => return,
        }
        for (k, _) in entries {
            if let Some(key) = k.as_str()
                && !matches!(
                    key,
                    "rule" | "append" | "condition" | "exceptions" | "source"
                )
                && RULE_KEYS.contains(&key)
            {
                self.warn(
                    "LOAD_DEPRECATED_ITEM",
                    ctx.file,
                    k,
                    format!("'{key}' is ignored by 'append: true', which only appends a condition and exceptions (use 'override' to change '{key}')"),
                    ctx.name,
                );
            }
        }
        if !update.has_any_value() {
            self.item_error(
                ctx,
                ctx.item,
                "Appended rule must have exceptions or condition property",
            );
            return;
        }
        self.apply_update(ctx, update, Mode::Append, name_node);
    }

    /// A rule item with `enabled` and none of condition/output/desc/priority: the deprecated
    /// way of switching an existing rule on or off.
    fn collect_rule_enable(&mut self, ctx: Ctx<'_>, entries: &[(Node, Node)], name_node: &Node) {
        let enabled = match self.decode_bool(ctx, entries, "enabled") {
            Ok(Some(b)) => b,
            Ok(None) => {
                self.item_error(ctx, ctx.item, format!("{ITEM_HAS_NO_MAPPING}'enabled' (a rule needs 'condition', 'output', 'desc' and 'priority', or only 'enabled' to switch an existing rule)"));
                return;
            }
            Err(()) => return,
        };
        self.warn(
            "LOAD_DEPRECATED_ITEM",
            ctx.file,
            ctx.item,
            WARNING_ENABLED.into(),
            ctx.name,
        );
        let name = ctx.name.unwrap_or_default();
        match self.rule_index.get(name).copied() {
            Some(i) => self.rules[i].enabled = enabled,
            None => self.item_error(
                ctx,
                name_node,
                "Rule has 'enabled' key but no rule by that name already exists",
            ),
        }
    }

    fn collect_rule_definition(&mut self, ctx: Ctx<'_>, entries: &[(Node, Node)]) {
        let mut ok = true;
        let mut required = |loader: &mut Self, key: &str| {
            let v = loader.required_string(ctx, entries, key);
            ok &= v.is_some();
            v
        };
        let condition = required(self, "condition");
        let output = required(self, "output");
        let desc = required(self, "desc");
        if get(entries, "priority").is_none() {
            self.item_error(ctx, ctx.item, format!("{ITEM_HAS_NO_MAPPING}'priority'"));
            ok = false;
        }
        let priority = match self.priority(ctx, entries) {
            Ok(p) => p,
            Err(()) => {
                ok = false;
                None
            }
        };
        let (source_name, source_loc) =
            match self.decode_string(ctx, entries, "source", false, false) {
                Ok(Some(s)) => (
                    s,
                    (
                        ctx.file,
                        get(entries, "source").map_or(ctx.item.pos, |n| n.pos),
                    ),
                ),
                Ok(None) => ("syscall".to_string(), (ctx.file, ctx.item.pos)),
                Err(()) => {
                    ok = false;
                    (String::new(), (ctx.file, ctx.item.pos))
                }
            };
        let mut flag = |loader: &mut Self, key: &str, default: bool| match loader
            .decode_bool(ctx, entries, key)
        {
            Ok(v) => v.unwrap_or(default),
            Err(()) => {
                ok = false;
                default
            }
        };
        let enabled = flag(self, "enabled", true);
        let capture = flag(self, "capture", false);
        let warn_evttypes = flag(self, "warn_evttypes", true);
        let skip_if_unknown_filter = flag(self, "skip-if-unknown-filter", false);
        let capture_duration = match self.decode_scalar(
            ctx,
            entries,
            "capture_duration",
            "milliseconds as an integer",
            |t| t.parse::<u64>().ok(),
        ) {
            Ok(v) => v.unwrap_or(0),
            Err(()) => {
                ok = false;
                0
            }
        };
        let tags = match self.decode_seq(ctx, entries, "tags", false) {
            Ok(t) => dedup(t.unwrap_or_default()),
            Err(()) => {
                ok = false;
                Vec::new()
            }
        };
        let exceptions = match self.exceptions(ctx, entries, false) {
            Ok(e) => e.unwrap_or_default(),
            Err(()) => {
                ok = false;
                Vec::new()
            }
        };
        let name = ctx.name.unwrap_or_default().to_string();
        let existing = self.rule_index.get(&name).copied();
        if let Some(i) = existing
            && self.rules[i].source_name != source_name
        {
            let at = get(entries, "source").unwrap_or(ctx.item);
            self.item_error(
                ctx,
                at,
                format!(
                    "Rule has been re-defined with a different source ('{}', was '{}')",
                    source_name, self.rules[i].source_name
                ),
            );
            return;
        }
        let text = |key: &str, value: Option<String>| match (get(entries, key), value) {
            (Some(node), Some(v)) => Text::from_node(ctx.file, node, v),
            _ => Text::default(),
        };
        let def = RuleDef {
            name: name.clone(),
            desc: desc.clone().unwrap_or_default(),
            condition: text("condition", condition),
            output: text("output", output.map(|o| o.trim().to_string())),
            priority: priority.unwrap_or(Priority::Debug),
            source_name,
            source_loc,
            enabled,
            tags,
            exceptions,
            warn_evttypes,
            skip_if_unknown_filter,
            capture,
            capture_duration,
            loc: (ctx.file, ctx.item.pos),
            valid: ok,
        };
        self.next_index();
        match existing {
            Some(i) => self.rules[i] = def,
            None => {
                self.rule_index.insert(name, self.rules.len());
                self.rules.push(def);
            }
        }
    }

    /// Falco's collector `append` and `selective_replace`.
    fn apply_update(&mut self, ctx: Ctx<'_>, update: RuleUpdate, mode: Mode, name_node: &Node) {
        let name = ctx.name.unwrap_or_default();
        let Some(i) = self.rule_index.get(name).copied() else {
            let message = if mode == Mode::Append {
                ERROR_NO_PREVIOUS_RULE_APPEND
            } else {
                ERROR_NO_PREVIOUS_RULE_REPLACE
            };
            self.item_error(ctx, name_node, message);
            return;
        };
        if !update.source.is_empty()
            && !self.rules[i].source_name.is_empty()
            && update.source != self.rules[i].source_name
        {
            self.item_error(
                ctx,
                name_node,
                format!(
                    "Rule has been re-defined with a different source ('{}', was '{}')",
                    update.source, self.rules[i].source_name
                ),
            );
            return;
        }
        if !update.has_any_value() {
            let message = if mode == Mode::Append {
                "Appended rule must have exceptions or condition property"
            } else {
                "The rule must have at least one field that can be replaced"
            };
            self.item_error(ctx, ctx.item, message);
            return;
        }
        let mut exceptions_ok = true;
        if let (Mode::Append, Some(exceptions)) = (mode, &update.exceptions) {
            for ex in exceptions {
                exceptions_ok &= self.check_appended_exception(ctx, i, ex);
            }
        }
        if !exceptions_ok {
            return;
        }
        self.next_index();
        let rule = &mut self.rules[i];
        match mode {
            Mode::Append => {
                if let Some(c) = update.condition.filter(|c| !c.joined().is_empty()) {
                    rule.condition.append(c);
                }
                if let Some(o) = update.output.filter(|o| !o.joined().is_empty()) {
                    rule.output.append(o);
                }
                if let Some(d) = update.desc.filter(|d| !d.is_empty()) {
                    rule.desc.push(' ');
                    rule.desc.push_str(&d);
                }
                if let Some(tags) = update.tags {
                    rule.tags = dedup(rule.tags.drain(..).chain(tags).collect());
                }
                for ex in update.exceptions.unwrap_or_default() {
                    match rule.exceptions.iter_mut().find(|e| e.ex.name == ex.ex.name) {
                        Some(existing) => {
                            existing.ex.values.extend(ex.ex.values);
                            existing.raw_values.extend(ex.raw_values);
                        }
                        None => rule.exceptions.push(ex),
                    }
                }
            }
            Mode::Replace => {
                if let Some(c) = update.condition {
                    rule.condition = c;
                }
                if let Some(o) = update.output {
                    rule.output = o;
                }
                if let Some(d) = update.desc {
                    rule.desc = d;
                }
                if let Some(t) = update.tags {
                    rule.tags = dedup(t);
                }
                if let Some(e) = update.exceptions {
                    rule.exceptions = e;
                }
                if let Some(p) = update.priority {
                    rule.priority = p;
                }
                if let Some(c) = update.capture {
                    rule.capture = c;
                }
                if let Some(d) = update.capture_duration {
                    rule.capture_duration = d;
                }
                if let Some(e) = update.enabled {
                    rule.enabled = e;
                }
                if let Some(w) = update.warn_evttypes {
                    rule.warn_evttypes = w;
                }
                if let Some(s) = update.skip_if_unknown_filter {
                    rule.skip_if_unknown_filter = s;
                }
            }
        }
    }

    /// An exception appended to a rule: new ones need fields and values; existing ones take
    /// values only.
    fn check_appended_exception(&mut self, ctx: Ctx<'_>, rule: usize, ex: &ExceptionDef) -> bool {
        let exists = self.rules[rule]
            .exceptions
            .iter()
            .any(|e| e.ex.name == ex.ex.name);
        let message = match (
            exists,
            ex.fields_given,
            ex.comps_given,
            ex.raw_values.is_empty(),
        ) {
            (false, false, _, _) => {
                "Rule exception must have fields property with a list of fields"
            }
            (false, true, _, true) => {
                "Rule exception must have values property with a list of values"
            }
            (true, true, _, _) => {
                "Can not append exception fields to existing exception, only values"
            }
            (true, false, true, _) => {
                "Can not append exception comps to existing exception, only values"
            }
            _ => return true,
        };
        let node = ctx.item;
        self.diag(
            Severity::Error,
            "LOAD_ERR_VALIDATE",
            At(ex.loc.0, ex.loc.1, node.display_len()),
            format!("{message} (exception '{}')", ex.ex.name),
            ctx.name,
        );
        false
    }

    fn collect_engine_version(&mut self, file: usize, item: &Node, entries: &[(Node, Node)]) {
        let ctx = Ctx {
            file,
            item,
            kind: "required_engine_version",
            name: None,
        };
        self.check_keys(ctx, entries, &["required_engine_version"]);
        let Some(text) = self.required_string(ctx, entries, "required_engine_version") else {
            return;
        };
        let node = get(entries, "required_engine_version").unwrap_or(item);
        let version = match text.parse::<u32>() {
            // Legacy integer versions are 0.N.0.
            Ok(n) => Some(EngineVersion {
                major: 0,
                minor: u64::from(n),
                patch: 0,
            }),
            Err(_) => parse_semver(&text),
        };
        let Some(version) = version else {
            self.error_code(
                "LOAD_ERR_YAML_VALIDATE",
                file,
                node,
                format!("Unable to parse engine version '{text}' as a semver string. Expected \"x.y.z\" semver format."),
                None,
            );
            return;
        };
        if !compatible(self.options.engine_version, version) {
            self.error(
                file,
                node,
                format!(
                    "Rules require engine version {version}, but engine version is {}",
                    self.options.engine_version
                ),
                None,
            );
        }
        if self.engine_version.is_none_or(|v| version > v) {
            self.engine_version = Some(version);
        }
    }

    fn collect_plugin_versions(&mut self, file: usize, item: &Node, entries: &[(Node, Node)]) {
        let ctx = Ctx {
            file,
            item,
            kind: "required_plugin_versions",
            name: None,
        };
        self.check_keys(ctx, entries, &["required_plugin_versions"]);
        let Some(node) = get(entries, "required_plugin_versions") else {
            return;
        };
        let NodeKind::Seq(reqs) = &node.kind else {
            self.error_code(
                "LOAD_ERR_YAML_VALIDATE",
                file,
                node,
                "Value of required_plugin_versions must be a sequence".into(),
                None,
            );
            return;
        };
        for req in reqs {
            let Some(parsed) = self.plugin_requirement(file, req) else {
                continue;
            };
            let mut alternatives = std::iter::once((parsed.name.clone(), parsed.version.clone()))
                .chain(parsed.alternatives.iter().cloned());
            // Falco: the first alternative naming a loaded plugin decides.
            let satisfied = alternatives.find_map(|(name, version)| {
                let (_, have) = self.options.plugins.iter().find(|(n, _)| *n == name)?;
                Some(parse_semver(&version).is_some_and(|want| compatible(*have, want)))
            });
            if satisfied != Some(true) {
                let provided: Vec<String> = self
                    .options
                    .plugins
                    .iter()
                    .map(|(n, v)| format!("{n} {v}"))
                    .collect();
                let wanted: Vec<String> = std::iter::once((&parsed.name, &parsed.version))
                    .chain(parsed.alternatives.iter().map(|(n, v)| (n, v)))
                    .map(|(n, v)| format!("{n} (>= {v})"))
                    .collect();
                self.error(
                    file,
                    req,
                    format!(
                        "Plugin requirement not satisfied, must load one of: {} (Saker provides {})",
                        wanted.join(", "),
                        provided.join(", ")
                    ),
                    None,
                );
            }
            self.plugin_reqs.push(parsed);
        }
    }

    fn plugin_requirement(&mut self, file: usize, req: &Node) -> Option<PluginRequirement> {
        let NodeKind::Map(entries) = &req.kind else {
            self.error_code(
                "LOAD_ERR_YAML_VALIDATE",
                file,
                req,
                "Plugin version must be a mapping".into(),
                None,
            );
            return None;
        };
        let ctx = Ctx {
            file,
            item: req,
            kind: "required_plugin_versions",
            name: None,
        };
        let name = self.required_string(ctx, entries, "name")?;
        let version = self.required_string(ctx, entries, "version")?;
        let mut alternatives = Vec::new();
        if let Some(alts) = get(entries, "alternatives") {
            let NodeKind::Seq(alts) = &alts.kind else {
                self.error_code(
                    "LOAD_ERR_YAML_VALIDATE",
                    file,
                    alts,
                    "Value of plugin version alternatives must be a sequence".into(),
                    None,
                );
                return None;
            };
            for alt in alts {
                let NodeKind::Map(a) = &alt.kind else {
                    self.error_code(
                        "LOAD_ERR_YAML_VALIDATE",
                        file,
                        alt,
                        "Plugin version alternative must be a mapping".into(),
                        None,
                    );
                    return None;
                };
                let actx = Ctx {
                    file,
                    item: alt,
                    kind: "required_plugin_versions",
                    name: None,
                };
                let n = self.required_string(actx, a, "name")?;
                let v = self.required_string(actx, a, "version")?;
                alternatives.push((n, v));
            }
        }
        // Falco's collector: every version valid, and each plugin named once.
        let mut names = HashSet::new();
        for (n, v) in
            std::iter::once((&name, &version)).chain(alternatives.iter().map(|(n, v)| (n, v)))
        {
            let problem = if parse_semver(v).is_none() {
                format!("Invalid required version '{v}' for plugin '{n}'")
            } else if !names.insert(n.as_str()) {
                format!("Defined multiple alternative version requirements for plugin '{n}'")
            } else {
                continue;
            };
            self.error(file, req, problem, None);
            return None;
        }
        Some(PluginRequirement {
            name,
            version,
            alternatives,
        })
    }

    /// Maps an offset in `text` to a file position.
    fn locate(&self, text: &Text, offset: usize) -> (usize, Pos) {
        let mut start = 0;
        for piece in &text.pieces {
            let end = start + piece.text.len();
            if offset < end || (offset == end && piece.scalar) {
                if !piece.scalar {
                    return (piece.file, piece.pos);
                }
                let pos = yaml::locate_in_scalar(
                    &self.lines[piece.file],
                    piece.pos,
                    &piece.text,
                    offset - start,
                );
                return (piece.file, pos);
            }
            start = end;
        }
        text.pieces
            .last()
            .map_or((0, Pos::default()), |p| (p.file, p.pos))
    }

    fn compile(&mut self) -> RuleSet {
        let CompiledLists {
            items: compiled_lists,
            refs: list_refs,
        } = self.compile_lists();
        let table = ListTable::new(
            self.lists
                .iter()
                .map(|l| l.name.clone())
                .zip(compiled_lists.iter().map(Vec::as_slice)),
        );
        let mut used_lists: HashSet<usize> = HashSet::new();

        // Macros: substitute lists, then parse; syntax errors are reported at the macro.
        let mut scoped: HashMap<String, ScopedMacro> = HashMap::new();
        let mut macro_conds: HashMap<String, Cond> = HashMap::new();
        let macros = std::mem::take(&mut self.macros);
        for m in &macros {
            let (file, pos) = m.loc;
            let cond = self.substitute(
                &table,
                &m.body,
                &mut used_lists,
                "macro",
                &m.name,
                At(file, pos, 1),
            );
            let body = match &cond {
                None => Err(()),
                Some(cond) => match crate::parse::parse(&cond.subst.text) {
                    Ok(expr) => Ok(expr),
                    Err(e) => {
                        let (file, pos) = self.locate_cond(cond, e.span.start as usize);
                        self.diag(
                            Severity::Error,
                            "LOAD_ERR_COMPILE_CONDITION",
                            At(file, pos, span_len(&cond.subst.text, e.span)),
                            format!("macro '{}': {}", m.name, e.message),
                            Some(&m.name),
                        );
                        Err(())
                    }
                },
            };
            scoped.insert(
                m.name.clone(),
                ScopedMacro {
                    body,
                    index: m.index,
                    visibility: m.visibility,
                },
            );
            if let Some(cond) = cond {
                macro_conds.insert(m.name.clone(), cond);
            }
        }
        self.macros = macros;
        let scope = Scope { macros: &scoped };
        // Falco resolves every macro's references, used or not.
        let usage = &mut Usage::default();
        self.check_macro_references(&scoped, &macro_conds, usage);

        let mut rules = Vec::new();
        let defs = std::mem::take(&mut self.rules);
        for def in &defs {
            if let Some(rule) =
                self.compile_rule(def, &scope, &table, &macro_conds, usage, &mut used_lists)
            {
                rules.push(rule);
            }
        }
        self.rules = defs;

        // A list is used if a condition or another list names it.
        let mut used_list_names: HashSet<&str> =
            used_lists.iter().map(|&i| table.name(i)).collect();
        for refs in &list_refs {
            used_list_names.extend(refs.iter().map(String::as_str));
        }
        let used_list_names: HashSet<String> =
            used_list_names.into_iter().map(String::from).collect();
        drop(table);
        let unused_macros: Vec<(String, (usize, Pos))> = self
            .macros
            .iter()
            .filter(|m| !usage.macros.contains(&m.name))
            .map(|m| (m.name.clone(), m.loc))
            .collect();
        for (name, (file, pos)) in unused_macros {
            self.diag(
                Severity::Warning,
                "LOAD_UNUSED_MACRO",
                At(file, pos, 1),
                format!("Macro not referred to by any other rule/macro ('{name}')"),
                Some(&name),
            );
        }
        let unused_lists: Vec<(String, (usize, Pos))> = self
            .lists
            .iter()
            .filter(|l| !used_list_names.contains(&l.name))
            .map(|l| (l.name.clone(), l.loc))
            .collect();
        for (name, (file, pos)) in unused_lists {
            self.diag(
                Severity::Warning,
                "LOAD_UNUSED_LIST",
                At(file, pos, 1),
                format!("List not referred to by any other rule/macro ('{name}')"),
                Some(&name),
            );
        }

        let location = |files: &[SourceFile], (file, pos): (usize, Pos)| Location {
            file: files[file].name.clone(),
            line: pos.line,
            col: pos.col,
        };
        RuleSet {
            rules,
            macros: self
                .macros
                .iter()
                .filter_map(|m| {
                    let ast = scoped.remove(&m.name)?.body.ok()?;
                    Some(Macro {
                        name: m.name.clone(),
                        condition: m.body.joined(),
                        ast,
                        location: location(self.files, m.loc),
                        used: usage.macros.contains(&m.name),
                    })
                })
                .collect(),
            lists: std::mem::take(&mut self.lists)
                .into_iter()
                .zip(list_refs)
                .zip(compiled_lists)
                .map(|((l, refs), compiled)| List {
                    used: used_list_names.contains(&l.name),
                    location: location(self.files, l.loc),
                    name: l.name,
                    items: l.body,
                    expanded: compiled,
                    refs,
                })
                .collect(),
            required_engine_version: self.engine_version,
            required_plugin_versions: self.plugin_reqs.clone(),
        }
    }

    /// Falco's list substitution on a macro's or rule's condition; a condition that grows
    /// too large is an error at `at`.
    fn substitute(
        &mut self,
        table: &ListTable,
        written: &Text,
        used: &mut HashSet<usize>,
        kind: &str,
        name: &str,
        at: At,
    ) -> Option<Cond> {
        match table.substitute(&written.joined()) {
            Ok(subst) => {
                used.extend(subst.used.iter().copied());
                Some(Cond {
                    written: written.clone(),
                    subst,
                })
            }
            Err(message) => {
                self.diag(
                    Severity::Error,
                    "LOAD_ERR_COMPILE_CONDITION",
                    at,
                    format!("{kind} '{name}': {message}"),
                    Some(name),
                );
                None
            }
        }
    }

    /// Maps an offset in a condition as parsed to a file position.
    fn locate_cond(&self, cond: &Cond, offset: usize) -> (usize, Pos) {
        self.locate(&cond.written, cond.subst.original_offset(offset))
    }

    /// Falco resolves the macro references of every macro, used or not: each must name a
    /// macro visible to it (defined before it was last defined, appended or replaced), and
    /// references must not loop. Only direct references are looked at (each macro is checked
    /// itself), so this is linear in the macros' size. Marks what macros use as used.
    fn check_macro_references(
        &mut self,
        scoped: &HashMap<String, ScopedMacro>,
        conds: &HashMap<String, Cond>,
        usage: &mut Usage,
    ) {
        let mut graph: HashMap<&str, Vec<&str>> = HashMap::new();
        let macros = std::mem::take(&mut self.macros);
        for m in &macros {
            let Some(ScopedMacro {
                body: Ok(body),
                visibility,
                ..
            }) = scoped.get(&m.name)
            else {
                continue;
            };
            let mut refs: Vec<(String, Span)> = Vec::new();
            crate::resolve::visit_macros(body, &mut |name, span| {
                refs.push((name.to_string(), span))
            });
            let cond = &conds[&m.name];
            for (name, span) in refs {
                usage.macros.insert(name.clone());
                match scoped.get_key_value(name.as_str()) {
                    Some((key, target)) if target.index < *visibility => {
                        let (from, _) = scoped.get_key_value(m.name.as_str()).expect("listed");
                        graph.entry(from.as_str()).or_default().push(key.as_str());
                    }
                    found => {
                        let hint = check::undefined_macro_hint(found.is_some());
                        let (file, pos) = self.locate_cond(cond, span.start as usize);
                        self.diag(
                            Severity::Error,
                            "LOAD_ERR_COMPILE_CONDITION",
                            At(file, pos, span_len(&cond.subst.text, span)),
                            format!(
                                "macro '{}': Undefined macro '{name}' used in filter.{hint}",
                                m.name
                            ),
                            Some(&m.name),
                        );
                    }
                }
            }
        }
        self.macros = macros;
        for name in macros_in_loops(&graph) {
            let (file, pos) = self.macros[self.macro_index[name]].loc;
            self.diag(
                Severity::Error,
                "LOAD_ERR_VALIDATE",
                At(file, pos, 1),
                format!("macro '{name}': reference loop in macro '{name}'"),
                Some(name),
            );
        }
    }

    /// Falco's `compile_list_infos`: an item naming a list visible to this one (defined before
    /// it was last defined or appended) becomes that list's items as written (one level: an
    /// item of those naming a third list stays a name, which the condition text substitution
    /// may still replace). Returns each list's items and the lists it named.
    fn compile_lists(&mut self) -> CompiledLists {
        let mut compiled = Vec::with_capacity(self.lists.len());
        let mut list_refs = Vec::new();
        let mut too_long = Vec::new();
        for (i, list) in self.lists.iter().enumerate() {
            let mut out = Vec::new();
            let mut refs = Vec::new();
            for item in &list.body {
                match self.list_index.get(item) {
                    Some(&j) if self.lists[j].index < list.visibility => {
                        out.extend(self.lists[j].body.iter().cloned());
                        refs.push(item.clone());
                    }
                    _ => out.push(item.clone()),
                }
                if out.len() > MAX_LIST_ITEMS {
                    too_long.push(i);
                    out.truncate(MAX_LIST_ITEMS);
                    break;
                }
            }
            compiled.push(out);
            list_refs.push(refs);
        }
        for i in too_long {
            let (file, pos) = self.lists[i].loc;
            let name = self.lists[i].name.clone();
            self.diag(
                Severity::Error,
                "LOAD_ERR_VALIDATE",
                At(file, pos, 1),
                format!("list '{name}' expands to more than {MAX_LIST_ITEMS} items"),
                Some(&name),
            );
        }
        CompiledLists {
            items: compiled,
            refs: list_refs,
        }
    }

    fn report_check_errors(
        &mut self,
        errors: Vec<CheckError>,
        root: &Cond,
        macro_conds: &HashMap<String, Cond>,
        item: &str,
        skip: bool,
    ) {
        for e in errors {
            // Warnings found inside a macro are shown where the rule uses the macro, as
            // Falco shows them in the rule's condition.
            let (origin, span) = match (&e.kind, &e.origin, e.root_span) {
                (ErrorKind::Warning(_), Origin::Macro(_), Some(root_span)) => {
                    (Origin::Root, root_span)
                }
                _ => (e.origin.clone(), e.span),
            };
            let cond = match &origin {
                Origin::Root => root,
                Origin::Macro(m) => match macro_conds.get(m) {
                    Some(cond) => cond,
                    None => continue,
                },
            };
            let (file, pos) = self.locate_cond(cond, span.start as usize);
            let at = At(file, pos, span_len(&cond.subst.text, span));
            let in_macro = match &e.origin {
                Origin::Macro(m) if origin == Origin::Root => format!(" (in macro '{m}')"),
                _ => String::new(),
            };
            match e.kind {
                ErrorKind::Warning(code) => self.diag(
                    Severity::Warning,
                    code,
                    at,
                    format!("rule '{item}': {}{in_macro}", e.message),
                    Some(item),
                ),
                ErrorKind::UnknownField if skip => self.diag(
                    Severity::Warning,
                    "LOAD_UNKNOWN_FILTER",
                    at,
                    format!(
                        "rule '{item}' skipped (skip-if-unknown-filter): {}",
                        e.message
                    ),
                    Some(item),
                ),
                _ => {
                    // An error inside a macro is reported once, at the macro, however many
                    // rules use it.
                    let (message, owner) = match &e.origin {
                        Origin::Macro(m) => (format!("macro '{m}': {}", e.message), m.as_str()),
                        Origin::Root => (format!("rule '{item}': {}", e.message), item),
                    };
                    self.diag(
                        Severity::Error,
                        "LOAD_ERR_COMPILE_CONDITION",
                        at,
                        message,
                        Some(owner),
                    );
                }
            }
        }
    }

    /// Falco's `build_rule_exception_infos`: the exceptions as condition text, added to the
    /// rule's condition as `(condition) and not (...) and not (...)`.
    fn condition_with_exceptions(&mut self, def: &RuleDef) -> Option<Text> {
        if def.exceptions.is_empty() {
            return Some(def.condition.clone());
        }
        let (file, pos) = def
            .condition
            .pieces
            .first()
            .map_or(def.loc, |p| (p.file, p.pos));
        let mut text = Text::default();
        text.push_synthetic("(", file, pos);
        text.pieces.extend(def.condition.pieces.iter().cloned());
        text.push_synthetic(")", file, pos);
        for ex in &def.exceptions {
            match exception_condition(&ex.ex) {
                Ok(icond) if icond.is_empty() => {}
                Ok(icond) => text.push_synthetic(format!(" and not {icond}"), ex.loc.0, ex.loc.1),
                Err(message) => {
                    self.diag(
                        Severity::Error,
                        "LOAD_ERR_VALIDATE",
                        At(ex.loc.0, ex.loc.1, 1),
                        format!("rule '{}': exception '{}': {message}", def.name, ex.ex.name),
                        Some(&def.name),
                    );
                    return None;
                }
            }
        }
        Some(text)
    }

    /// The rule's output with the config's `append_output` formats, and its extra fields.
    fn compiled_output(&self, def: &RuleDef) -> (String, Vec<&'a AppendField>) {
        let mut output = def.output.joined();
        let mut fields = Vec::new();
        let options: &'a LoadOptions = self.options;
        for extra in &options.append_output {
            if !extra.applies_to(&def.name, &def.source_name, &def.tags) {
                continue;
            }
            if let Some(format) = extra.format.as_deref().filter(|f| !f.is_empty()) {
                output.push(' ');
                output.push_str(format);
            }
            fields.extend(extra.fields.iter());
        }
        (output, fields)
    }

    fn compile_rule(
        &mut self,
        def: &RuleDef,
        scope: &Scope<'_>,
        table: &ListTable,
        macro_conds: &HashMap<String, Cond>,
        usage: &mut Usage,
        used_lists: &mut HashSet<usize>,
    ) -> Option<Rule> {
        if !def.valid && def.condition.is_empty() {
            return None;
        }
        let Some(source) = Source::from_name(&def.source_name) else {
            let (file, pos) = def.source_loc;
            self.diag(
                Severity::Warning,
                "LOAD_UNKNOWN_SOURCE",
                At(file, pos, def.source_name.chars().count() as u32),
                format!(
                    "Unknown source {}, skipping (rule '{}'; Saker has syscall and k8s_audit)",
                    def.source_name, def.name
                ),
                Some(&def.name),
            );
            return None;
        };
        let condition = self.condition_with_exceptions(def)?;
        let (file, pos) = def.loc;
        let condition = self.substitute(
            table,
            &condition,
            used_lists,
            "rule",
            &def.name,
            At(file, pos, 1),
        )?;
        let text = condition.subst.text.clone();

        let (mut output, extra_fields) = self.compiled_output(def);
        if output.contains("%container.info") {
            let (file, pos) = def.loc;
            self.diag(
                Severity::Warning,
                "LOAD_DEPRECATED_ITEM",
                At(file, pos, 1),
                format!("rule '{}': %container.info is deprecated and no more useful, and will be dropped by Falco 1.0.0. The container plugin will automatically add required fields to the output message.", def.name),
                Some(&def.name),
            );
            output = output.replace("%container.info", "");
        }
        // Every problem is reported: the output, the extra fields and the condition.
        let output_format = self.compile_output(def, &output, source);
        let mut extras_ok = true;
        let mut extras = Vec::new();
        for field in extra_fields {
            let format = if field.raw {
                format!("%{}", field.format)
            } else {
                field.format.clone()
            };
            match crate::output::parse_output_spans(&format, Some(source)) {
                Ok(segments) => extras.push(ExtraField {
                    name: field.name.clone(),
                    format: field.format.clone(),
                    segments,
                    raw: field.raw,
                }),
                Err(e) => {
                    let (file, pos) = def.loc;
                    self.diag(
                        Severity::Error,
                        "LOAD_ERR_COMPILE_OUTPUT",
                        At(file, pos, 1),
                        format!(
                            "rule '{}': append_output field '{}': {}",
                            def.name, field.name, e.message
                        ),
                        Some(&def.name),
                    );
                    extras_ok = false;
                }
            }
            self.warn_deprecated_in_output(def, &field.format);
        }

        // A syntax error stops the check of the condition.
        let (filter, expr, failed) = match crate::parse::parse(&text) {
            Ok(expr) => {
                let mut errors = Vec::new();
                let filter = check::check(&expr, scope, source, usage, &mut errors);
                let skip = def.skip_if_unknown_filter
                    && errors.iter().any(|e| e.kind == ErrorKind::UnknownField);
                let failed = errors.iter().any(CheckError::is_error);
                self.report_check_errors(errors, &condition, macro_conds, &def.name, skip);
                (filter, Some(expr), failed)
            }
            Err(e) => {
                let (file, pos) = self.locate_cond(&condition, e.span.start as usize);
                self.diag(
                    Severity::Error,
                    "LOAD_ERR_COMPILE_CONDITION",
                    At(file, pos, span_len(&text, e.span)),
                    format!("rule '{}': {}", def.name, e.message),
                    Some(&def.name),
                );
                (Filter::Const(false), None, true)
            }
        };
        let Ok(output_format) = output_format else {
            return None;
        };
        if failed || !def.valid || !extras_ok {
            return None;
        }
        let resolved = expr.map(|e| crate::resolve::resolve(&e, scope));
        if source == Source::Syscall
            && let Some(message) = resolved
                .as_ref()
                .and_then(crate::resolve::event_code_search_error)
        {
            let (file, pos) = def.loc;
            self.diag(
                Severity::Error,
                "LOAD_ERR_COMPILE_CONDITION",
                At(file, pos, 1),
                format!("rule '{}': {message}", def.name),
                Some(&def.name),
            );
            return None;
        }
        if source == Source::Syscall
            && def.warn_evttypes
            && filter.evttype_set(false).too_many_or_none()
        {
            let (file, pos) = def.loc;
            self.diag(
                Severity::Warning,
                "LOAD_NO_EVTTYPE",
                At(file, pos, 1),
                format!("Rule matches too many evt.type values. This has a significant performance penalty. (rule '{}'; silence with warn_evttypes: false)", def.name),
                Some(&def.name),
            );
        }
        let condition_compiled = resolved
            .map(|e| crate::print::print(&e))
            .unwrap_or_default();
        let (file, pos) = def.loc;
        Some(Rule {
            name: def.name.clone(),
            desc: def.desc.clone(),
            condition: def.condition.joined(),
            output: def.output.joined(),
            output_compiled: output,
            output_format,
            extra_fields: extras,
            condition_compiled,
            capture: def.capture,
            capture_duration: def.capture_duration,
            priority: def.priority,
            source,
            enabled: def.enabled,
            tags: def.tags.clone(),
            exceptions: def.exceptions.iter().map(|e| e.ex.clone()).collect(),
            warn_evttypes: def.warn_evttypes,
            skip_if_unknown_filter: def.skip_if_unknown_filter,
            filter,
            location: Location {
                file: self.files[file].name.clone(),
                line: pos.line,
                col: pos.col,
            },
        })
    }

    /// Checks the output format: unknown or invalid `%` tokens are errors (warnings under
    /// `skip-if-unknown-filter`, which skips the rule).
    fn compile_output(
        &mut self,
        def: &RuleDef,
        output: &str,
        source: Source,
    ) -> Result<Vec<crate::ruleset::OutputSegment>, ()> {
        let result = crate::output::parse_output_spans(output, Some(source));
        self.warn_deprecated_in_output(def, output);
        match result {
            Ok(segments) => Ok(segments),
            Err(e) => {
                // Offsets past the written output fall in append_output text: point at the rule.
                let written = def.output.joined();
                let (file, pos) = if (e.span.start as usize) < written.len() {
                    self.locate(&def.output, e.span.start as usize)
                } else {
                    def.loc
                };
                let at = At(file, pos, span_len(output, e.span));
                if def.skip_if_unknown_filter && e.unknown_field {
                    self.diag(
                        Severity::Warning,
                        "LOAD_UNKNOWN_FILTER",
                        at,
                        format!(
                            "rule '{}' skipped (skip-if-unknown-filter): output: {}",
                            def.name, e.message
                        ),
                        Some(&def.name),
                    );
                } else {
                    let token = output
                        .get(e.span.start as usize..e.span.end as usize)
                        .unwrap_or("%");
                    self.diag(
                        Severity::Error,
                        "LOAD_ERR_COMPILE_OUTPUT",
                        at,
                        format!(
                            "rule '{}': invalid formatting token '{token}' in output: {}",
                            def.name, e.message
                        ),
                        Some(&def.name),
                    );
                }
                Err(())
            }
        }
    }

    /// Falco looks for deprecated field names anywhere in an output format.
    fn warn_deprecated_in_output(&mut self, def: &RuleDef, format: &str) {
        for (name, _) in check::DEPRECATED_FIELDS {
            if let Some(offset) = format.find(name) {
                let (file, pos) = if offset < def.output.joined().len() {
                    self.locate(&def.output, offset)
                } else {
                    def.loc
                };
                self.diag(
                    Severity::Warning,
                    "LOAD_DEPRECATED_ITEM",
                    At(file, pos, name.len() as u32),
                    format!("rule '{}': usage of deprecated field '{name}' has been detected in the rule output", def.name),
                    Some(&def.name),
                );
            }
        }
    }
}

/// The override mapping of an item (for locating its keys in diagnostics).
fn overrides_node(entries: &[(Node, Node)]) -> &[(Node, Node)] {
    match get(entries, "override").map(|n| &n.kind) {
        Some(NodeKind::Map(ov)) => ov,
        _ => &[],
    }
}

fn dedup(tags: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    tags.into_iter()
        .filter(|t| seen.insert(t.clone()))
        .collect()
}

/// The macros on a reference loop (iterative depth-first search; the graph can be large).
fn macros_in_loops<'g>(graph: &HashMap<&'g str, Vec<&'g str>>) -> Vec<&'g str> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Visiting,
        Done,
    }
    let mut state: HashMap<&str, State> = HashMap::new();
    let mut in_loop: Vec<&str> = Vec::new();
    let mut roots: Vec<&str> = graph.keys().copied().collect();
    roots.sort_unstable();
    for root in roots {
        if state.contains_key(root) {
            continue;
        }
        // (node, index of the next child to visit)
        let mut stack: Vec<(&str, usize)> = vec![(root, 0)];
        state.insert(root, State::Visiting);
        while let Some((node, next)) = stack.last_mut() {
            let children = graph.get(*node).map_or(&[][..], Vec::as_slice);
            if let Some(&child) = children.get(*next) {
                *next += 1;
                match state.get(child) {
                    None => {
                        state.insert(child, State::Visiting);
                        stack.push((child, 0));
                    }
                    Some(State::Visiting) => {
                        // Every macro on the stack from `child` up is on the loop.
                        let from = stack.iter().position(|(n, _)| *n == child).unwrap_or(0);
                        in_loop.extend(stack[from..].iter().map(|(n, _)| *n));
                    }
                    Some(State::Done) => {}
                }
            } else {
                state.insert(node, State::Done);
                stack.pop();
            }
        }
    }
    in_loop.sort_unstable();
    in_loop.dedup();
    in_loop
}

/// `in`, `intersects`, `pmatch`, or a string operator with a modifier: the operators Falco
/// gives a parenthesized value in exceptions.
fn is_operator_for_list(op: &str) -> bool {
    matches!(op, "in" | "intersects" | "pmatch") || is_str_operator_with_modifier(op)
}

/// `startswith oneof`, `= anyof`...: a string operator, one space, a modifier.
pub(crate) fn is_str_operator_with_modifier(op: &str) -> bool {
    let Some((base, modifier)) = op.split_once(' ') else {
        return false;
    };
    let string_op = matches!(
        base,
        "=" | "=="
            | "!="
            | "glob"
            | "iglob"
            | "contains"
            | "icontains"
            | "bcontains"
            | "startswith"
            | "bstartswith"
            | "endswith"
            | "regex"
    );
    string_op && crate::ast::Modifier::from_name(modifier).is_some()
}

/// Falco's `paren_item`.
fn paren_item(item: &str) -> String {
    if item.starts_with('(') {
        item.to_string()
    } else {
        format!("({item})")
    }
}

/// One exception as the condition text Falco builds for it (empty when it has no values).
pub(crate) fn exception_condition(ex: &Exception) -> Result<String, String> {
    let mut icond = String::new();
    if ex.single_field {
        let field = ex.fields.first().map_or("", String::as_str);
        let comp = ex.comps.first().map_or("in", String::as_str);
        for tuple in &ex.values {
            let [ExceptionValue::Scalar(value)] = tuple.as_slice() else {
                return Err("Expected values array to contain a list of strings".into());
            };
            icond.push_str(if icond.is_empty() { "(" } else { ", " });
            if icond == "(" {
                icond.push_str(&format!("{field} {comp} ("));
            }
            icond.push_str(&quote_item(value));
        }
        if !icond.is_empty() {
            icond.push_str("))");
        }
        return Ok(icond);
    }
    icond.push('(');
    for tuple in &ex.values {
        if tuple.len() != ex.fields.len() {
            return Err(format!(
                "Fields and values lists must have equal length ({} fields, {} values)",
                ex.fields.len(),
                tuple.len()
            ));
        }
        if icond != "(" {
            icond.push_str(" or ");
        }
        icond.push('(');
        for (k, (field, value)) in ex.fields.iter().zip(tuple).enumerate() {
            if k > 0 {
                icond.push_str(" and ");
            }
            let comp = ex.comps.get(k).map_or("=", String::as_str);
            let value = match value {
                ExceptionValue::List(items) => format!(
                    "({})",
                    items
                        .iter()
                        .map(|i| quote_item(i))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                ExceptionValue::Scalar(s) if is_operator_for_list(comp) => paren_item(s),
                ExceptionValue::Scalar(s) => quote_item(s),
            };
            icond.push_str(&format!(" {field} {comp} {value}"));
        }
        icond.push(')');
    }
    icond.push(')');
    Ok(if icond == "()" { String::new() } else { icond })
}

fn span_len(text: &str, span: Span) -> u32 {
    let (s, e) = (span.start as usize, span.end as usize);
    let slice = text.get(s..e.min(text.len())).unwrap_or("");
    slice.lines().next().unwrap_or("").chars().count().max(1) as u32
}

/// `sinsp_version`: `x.y.z`, with an optional pre-release or build suffix on the patch.
fn parse_semver(text: &str) -> Option<EngineVersion> {
    let mut parts = text.trim().split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    let patch_part = parts.next()?;
    let patch_digits: String = patch_part
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let patch = patch_digits.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Some(EngineVersion {
        major,
        minor,
        patch,
    })
}

/// `sinsp_version::compatible_with`: same major, and `have` at least `want`.
fn compatible(have: EngineVersion, want: EngineVersion) -> bool {
    have.major == want.major && have >= want
}
