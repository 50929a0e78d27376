//! The loader: YAML items → rules, macros and lists (with appends and overrides applied) →
//! checked filters, collecting every diagnostic instead of stopping at the first.

use std::collections::HashMap;

use crate::ast::{self, CmpOp, Expr, ExprKind, FieldExpr, FieldRef, Rhs, Span};
use crate::check::{self, CheckError, ErrorKind, Origin, Scope, Usage};
use crate::diagnostic::{Diagnostic, Severity};
use crate::files::SourceFile;
use crate::filter::Filter;
use crate::ruleset::{
    EngineVersion, Exception, ExceptionValue, List, Macro, PluginRequirement, Rule, RuleSet,
};
use crate::source::{Location, Priority, Source};
use crate::yaml::{self, Node, NodeKind, Pos};

/// The Falco engine version Saker's rule language matches (Falco 0.44).
pub const ENGINE_VERSION: EngineVersion = EngineVersion {
    major: 0,
    minor: 62,
    patch: 0,
};

/// Most items a list may expand to (lists of lists can grow exponentially).
const MAX_LIST_ITEMS: usize = 100_000;

/// What the loader checks requirements against.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    pub engine_version: EngineVersion,
    /// Plugins whose fields Saker provides natively, with the version they correspond to.
    pub plugins: Vec<(String, EngineVersion)>,
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
        }
    }
}

/// Loads rules files in order (later files override earlier ones).
pub fn load(files: &[SourceFile]) -> (RuleSet, Vec<Diagnostic>) {
    load_with(files, &LoadOptions::default())
}

/// [`load`] with explicit requirements.
pub fn load_with(files: &[SourceFile], options: &LoadOptions) -> (RuleSet, Vec<Diagnostic>) {
    let mut loader = Loader {
        files,
        options,
        diags: Vec::new(),
        seen_diags: std::collections::HashSet::new(),
        lists: Vec::new(),
        list_index: HashMap::new(),
        macros: Vec::new(),
        macro_index: HashMap::new(),
        rules: Vec::new(),
        rule_index: HashMap::new(),
        engine_version: None,
        plugin_reqs: Vec::new(),
    };
    for (file_idx, file) in files.iter().enumerate() {
        loader.collect_file(file_idx, file);
    }
    let ruleset = loader.compile();
    let mut diags = loader.diags;
    // Stable order: by file (load order), then position.
    diags.sort_by_key(|d| {
        (
            files
                .iter()
                .position(|f| f.name == d.file)
                .unwrap_or(usize::MAX),
            d.line,
            d.col,
        )
    });
    (ruleset, diags)
}

/// Where a diagnostic points: file index, position, characters to underline.
struct At(usize, Pos, u32);

/// A piece of text taken from one YAML scalar.
#[derive(Clone, Debug)]
struct Piece {
    text: String,
    file: usize,
    pos: Pos,
}

/// Text assembled from scalars (conditions grow by appends); offsets map back to files.
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
            }],
        }
    }

    fn joined(&self) -> String {
        self.pieces
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn append(&mut self, other: Text) {
        self.pieces.extend(other.pieces);
    }
}

#[derive(Clone, Debug)]
struct ListDef {
    name: String,
    items: Vec<String>,
    loc: (usize, Pos),
}

#[derive(Clone, Debug)]
struct MacroDef {
    name: String,
    condition: Text,
    loc: (usize, Pos),
}

#[derive(Clone, Debug)]
struct ExceptionDef {
    ex: Exception,
    loc: (usize, Pos),
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
    loc: (usize, Pos),
    /// False when a key had an error: checked, but left out of the ruleset.
    valid: bool,
}

struct Loader<'a> {
    files: &'a [SourceFile],
    options: &'a LoadOptions,
    diags: Vec<Diagnostic>,
    /// Identical diagnostics (one macro error seen from many rules) are reported once.
    seen_diags: std::collections::HashSet<Diagnostic>,
    lists: Vec<ListDef>,
    list_index: HashMap<String, usize>,
    macros: Vec<MacroDef>,
    macro_index: HashMap<String, usize>,
    rules: Vec<RuleDef>,
    rule_index: HashMap<String, usize>,
    engine_version: Option<EngineVersion>,
    plugin_reqs: Vec<PluginRequirement>,
}

const RULE_KEYS: &[&str] = &[
    "rule",
    "desc",
    "condition",
    "output",
    "priority",
    "source",
    "enabled",
    "tags",
    "exceptions",
    "warn_evttypes",
    "skip-if-unknown-filter",
    "append",
    "override",
    "capture",
    "capture_duration",
];
const MACRO_KEYS: &[&str] = &["macro", "condition", "append", "override"];
const LIST_KEYS: &[&str] = &["list", "items", "append", "override"];
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Append,
    Replace,
}

impl Loader<'_> {
    fn diag(
        &mut self,
        severity: Severity,
        code: &'static str,
        At(file, pos, len): At,
        message: String,
        item: Option<&str>,
    ) {
        let file_ref = &self.files[file];
        let source_line = file_ref
            .text
            .split('\n')
            .nth(pos.line.saturating_sub(1) as usize)
            .unwrap_or("")
            .trim_end_matches('\r')
            .to_string();
        let d = Diagnostic {
            severity,
            code,
            file: file_ref.name.clone(),
            line: pos.line.max(1),
            col: pos.col.max(1),
            len: len.max(1),
            message,
            source_line,
            item: item.map(str::to_string),
        };
        if self.seen_diags.insert(d.clone()) {
            self.diags.push(d);
        }
    }

    /// Reports `wrong type <place>: expected <expected>, found <the node's type>`, the message
    /// every type check of the loader gives.
    fn wrong_type(&mut self, file: usize, node: &Node, place: &str, expected: &str, item: &str) {
        let message = format!(
            "wrong type {place}: expected {expected}, found {}",
            node.type_name()
        );
        self.error(file, node, message, Some(item));
    }

    fn error(&mut self, file: usize, node: &Node, message: String, item: Option<&str>) {
        self.diag(
            Severity::Error,
            "LOAD_ERR_VALIDATE",
            At(file, node.pos, node.display_len()),
            message,
            item,
        );
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
            match &doc.kind {
                NodeKind::Seq(items) => {
                    for item in items {
                        self.collect_item(file_idx, item);
                    }
                }
                _ if doc.is_null() => {}
                _ => self.error(
                    file_idx,
                    doc,
                    format!(
                        "a rules file must be a sequence of items (rule, macro, list...), found {}",
                        doc.type_name()
                    ),
                    None,
                ),
            }
        }
    }

    fn collect_item(&mut self, file: usize, item: &Node) {
        let NodeKind::Map(entries) = &item.kind else {
            self.error(
                file,
                item,
                format!(
                    "unexpected element: each item must be a mapping with a 'rule', 'macro' or 'list' key, found {}",
                    item.type_name()
                ),
                None,
            );
            return;
        };
        let kinds: Vec<&str> = [
            "rule",
            "macro",
            "list",
            "required_engine_version",
            "required_plugin_versions",
        ]
        .into_iter()
        .filter(|k| get(entries, k).is_some())
        .collect();
        match kinds.as_slice() {
            ["rule"] => self.collect_rule(file, item, entries),
            ["macro"] => self.collect_macro(file, item, entries),
            ["list"] => self.collect_list(file, item, entries),
            ["required_engine_version"] => self.collect_engine_version(file, entries),
            ["required_plugin_versions"] => self.collect_plugin_versions(file, entries),
            [] => {
                let first = entries.first().map_or(item, |(k, _)| k);
                self.error(
                    file,
                    first,
                    format!(
                        "unknown item: expected one of 'rule', 'macro', 'list', 'required_engine_version', 'required_plugin_versions'{}",
                        first
                            .as_str()
                            .map(|k| format!(", found '{k}'"))
                            .unwrap_or_default()
                    ),
                    None,
                );
            }
            several => {
                let msg = format!(
                    "an item must have only one of {}",
                    several
                        .iter()
                        .map(|k| format!("'{k}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                self.error(file, item, msg, None);
            }
        }
    }

    /// Warns about keys that `allowed` does not list; errors on duplicate keys.
    fn check_keys(
        &mut self,
        file: usize,
        entries: &[(Node, Node)],
        allowed: &[&str],
        what: &str,
        name: &str,
    ) {
        let mut seen: Vec<&str> = Vec::new();
        for (k, _) in entries {
            let Some(key) = k.as_str() else {
                self.error(file, k, format!("{what} keys must be strings"), Some(name));
                continue;
            };
            if seen.contains(&key) {
                self.error(file, k, format!("duplicate key '{key}'"), Some(name));
            }
            seen.push(key);
            if !allowed.contains(&key) {
                self.warn(
                    "LOAD_UNKNOWN_KEY",
                    file,
                    k,
                    format!(
                        "unknown key '{key}' in {what} '{name}' (expected one of {})",
                        allowed.join(", ")
                    ),
                    Some(name),
                );
            }
        }
    }

    /// The item name (the value of `rule:`/`macro:`/`list:`), which must be a non-empty string.
    fn item_name(&mut self, file: usize, entries: &[(Node, Node)], key: &str) -> Option<String> {
        let node = get(entries, key)?;
        match node.as_str() {
            Some(s) if !s.trim().is_empty() && !node.is_null() => Some(s.to_string()),
            _ => {
                self.error(
                    file,
                    node,
                    format!(
                        "'{key}' must be a non-empty string, found {}",
                        if node.as_str().is_some_and(|s| s.trim().is_empty()) && !node.is_null() {
                            "an empty string"
                        } else {
                            node.type_name()
                        }
                    ),
                    None,
                );
                None
            }
        }
    }

    fn string_value(&mut self, file: usize, node: &Node, key: &str, name: &str) -> Option<String> {
        match &node.kind {
            NodeKind::Scalar { text, .. } if !node.is_null() => Some(text.clone()),
            _ => {
                self.wrong_type(file, node, &format!("for key '{key}'"), "a string", name);
                None
            }
        }
    }

    fn bool_value(&mut self, file: usize, node: &Node, key: &str, name: &str) -> Option<bool> {
        let v = node.as_bool();
        if v.is_none() {
            self.error(
                file,
                node,
                format!(
                    "wrong type for key '{key}': expected true or false, found {}",
                    match node.as_str() {
                        Some(s) if !node.is_null() => format!("'{s}'"),
                        _ => node.type_name().to_string(),
                    }
                ),
                Some(name),
            );
        }
        v
    }

    fn string_list(
        &mut self,
        file: usize,
        node: &Node,
        key: &str,
        name: &str,
    ) -> Option<Vec<String>> {
        if node.is_null() {
            return Some(Vec::new());
        }
        let NodeKind::Seq(items) = &node.kind else {
            self.wrong_type(file, node, &format!("for key '{key}'"), "a sequence", name);
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for item in items {
            match &item.kind {
                NodeKind::Scalar { text, .. } => out.push(text.clone()),
                _ => {
                    self.wrong_type(file, item, &format!("in '{key}'"), "a string", name);
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    /// Reads `override:` into key → mode, validating it against the allowed keys.
    fn override_modes(
        &mut self,
        file: usize,
        entries: &[(Node, Node)],
        appendable: &[&str],
        replaceable: &[&str],
        name: &str,
    ) -> Option<Vec<(String, Mode, Node)>> {
        let node = get(entries, "override")?;
        let NodeKind::Map(ov) = &node.kind else {
            self.wrong_type(file, node, "for key 'override'", "a mapping", name);
            return Some(Vec::new());
        };
        let mut out = Vec::new();
        for (k, v) in ov {
            let key = k.as_str().unwrap_or("");
            let mode = match v.as_str() {
                Some("append") => Mode::Append,
                Some("replace") => Mode::Replace,
                _ => {
                    self.error(
                        file,
                        v,
                        format!("override of '{key}' must be 'append' or 'replace'"),
                        Some(name),
                    );
                    continue;
                }
            };
            let allowed = match mode {
                Mode::Append => appendable,
                Mode::Replace => replaceable,
            };
            if !allowed.contains(&key) {
                self.error(
                    file,
                    k,
                    format!(
                        "key '{key}' cannot be {}: allowed keys are {}",
                        if mode == Mode::Append {
                            "appended"
                        } else {
                            "replaced"
                        },
                        allowed.join(", ")
                    ),
                    Some(name),
                );
                continue;
            }
            if get(entries, key).is_none() {
                self.error(
                    file,
                    k,
                    format!("override of '{key}' but the item has no '{key}' key"),
                    Some(name),
                );
                continue;
            }
            out.push((key.to_string(), mode, k.clone()));
        }
        // Every other key must be covered by the override.
        let name_keys = ["rule", "macro", "list", "override"];
        for (k, _) in entries {
            let Some(key) = k.as_str() else { continue };
            if !name_keys.contains(&key)
                && !out.iter().any(|(o, _, _)| o == key)
                && (appendable.contains(&key)
                    || replaceable.contains(&key)
                    || key == "append"
                    || key == "source")
            {
                let msg = if key == "append" {
                    "'append' and 'override' cannot be used together".to_string()
                } else if key == "source" {
                    "the 'source' of an existing rule cannot be changed by an override".to_string()
                } else {
                    format!("key '{key}' must be listed in 'override' (append or replace)")
                };
                self.error(file, k, msg, Some(name));
            }
        }
        Some(out)
    }

    fn legacy_append(&mut self, file: usize, entries: &[(Node, Node)], name: &str) -> bool {
        let Some(node) = get(entries, "append") else {
            return false;
        };
        let Some(append) = self.bool_value(file, node, "append", name) else {
            return false;
        };
        if append {
            let key = get_key(entries, "append")
                .cloned()
                .unwrap_or_else(|| node.clone());
            self.warn(
                "LOAD_DEPRECATED_ITEM",
                file,
                &key,
                "'append' key is deprecated: use 'override' instead (e.g. override: {condition: append})".into(),
                Some(name),
            );
        }
        append
    }

    fn collect_list(&mut self, file: usize, item: &Node, entries: &[(Node, Node)]) {
        let Some(name) = self.item_name(file, entries, "list") else {
            return;
        };
        self.check_keys(file, entries, LIST_KEYS, "list", &name);
        let overrides = self.override_modes(file, entries, &["items"], &["items"], &name);
        let append = overrides.is_none() && self.legacy_append(file, entries, &name);
        let items = match get(entries, "items") {
            Some(node) => match self.string_list(file, node, "items", &name) {
                Some(items) => items,
                None => return,
            },
            None => {
                if overrides.is_none() {
                    self.error(
                        file,
                        item,
                        format!("list '{name}' has no 'items' key"),
                        Some(&name),
                    );
                }
                return;
            }
        };
        let existing = self.list_index.get(&name).copied();
        let mode = match &overrides {
            Some(ov) => ov.first().map(|(_, m, _)| *m),
            None if append => Some(Mode::Append),
            None => None,
        };
        match (mode, existing) {
            (None, Some(i)) if overrides.is_none() => {
                self.lists[i].items = items;
                self.lists[i].loc = (file, item.pos);
            }
            (None, None) if overrides.is_none() => {
                self.list_index.insert(name.clone(), self.lists.len());
                self.lists.push(ListDef {
                    name,
                    items,
                    loc: (file, item.pos),
                });
            }
            (None, _) => {}
            (Some(_), None) => {
                let node = get(entries, "list").unwrap_or(item).clone();
                self.error(
                    file,
                    &node,
                    format!("list '{name}' has 'append'/'override' but no list by that name already exists"),
                    Some(&name),
                );
            }
            (Some(Mode::Append), Some(i)) => self.lists[i].items.extend(items),
            (Some(Mode::Replace), Some(i)) => self.lists[i].items = items,
        }
    }

    fn condition_text(
        &mut self,
        file: usize,
        entries: &[(Node, Node)],
        key: &str,
        name: &str,
    ) -> Option<Text> {
        let node = get(entries, key)?;
        let text = self.string_value(file, node, key, name)?;
        Some(Text::from_node(file, node, text))
    }

    fn collect_macro(&mut self, file: usize, item: &Node, entries: &[(Node, Node)]) {
        let Some(name) = self.item_name(file, entries, "macro") else {
            return;
        };
        self.check_keys(file, entries, MACRO_KEYS, "macro", &name);
        let overrides = self.override_modes(file, entries, &["condition"], &["condition"], &name);
        let append = overrides.is_none() && self.legacy_append(file, entries, &name);
        let Some(condition) = self.condition_text(file, entries, "condition", &name) else {
            if get(entries, "condition").is_none() && overrides.is_none() {
                self.error(
                    file,
                    item,
                    format!("macro '{name}' has no 'condition' key"),
                    Some(&name),
                );
            }
            return;
        };
        let existing = self.macro_index.get(&name).copied();
        let mode = match &overrides {
            Some(ov) => match ov.first() {
                Some((_, m, _)) => Some(*m),
                None => return,
            },
            None if append => Some(Mode::Append),
            None => None,
        };
        match (mode, existing) {
            (None, Some(i)) => {
                self.macros[i].condition = condition;
                self.macros[i].loc = (file, item.pos);
            }
            (None, None) => {
                self.macro_index.insert(name.clone(), self.macros.len());
                self.macros.push(MacroDef {
                    name,
                    condition,
                    loc: (file, item.pos),
                });
            }
            (Some(_), None) => {
                let node = get(entries, "macro").unwrap_or(item).clone();
                self.error(
                    file,
                    &node,
                    format!("macro '{name}' has 'append'/'override' but no macro by that name already exists"),
                    Some(&name),
                );
            }
            (Some(Mode::Append), Some(i)) => self.macros[i].condition.append(condition),
            (Some(Mode::Replace), Some(i)) => self.macros[i].condition = condition,
        }
    }

    fn priority(&mut self, file: usize, node: &Node, name: &str) -> Option<Priority> {
        let text = self.string_value(file, node, "priority", name)?;
        let p = text.parse::<Priority>().ok();
        if p.is_none() {
            self.error(
                file,
                node,
                format!(
                    "invalid priority '{text}': expected one of EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO, INFORMATIONAL, DEBUG"
                ),
                Some(name),
            );
        }
        p
    }

    fn exceptions(&mut self, file: usize, node: &Node, name: &str) -> Option<Vec<ExceptionDef>> {
        if node.is_null() {
            return Some(Vec::new());
        }
        let NodeKind::Seq(items) = &node.kind else {
            self.wrong_type(file, node, "for key 'exceptions'", "a sequence", name);
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for ex_node in items {
            match self.exception(file, ex_node, name) {
                Some(ex) => {
                    if out.iter().any(|e: &ExceptionDef| e.ex.name == ex.ex.name) {
                        self.warn(
                            "LOAD_EXCEPTION_NAME_NOT_UNIQUE",
                            file,
                            ex_node,
                            format!(
                                "multiple exceptions named '{}' in rule '{name}'",
                                ex.ex.name
                            ),
                            Some(name),
                        );
                    }
                    out.push(ex)
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn exception(&mut self, file: usize, node: &Node, rule: &str) -> Option<ExceptionDef> {
        let NodeKind::Map(entries) = &node.kind else {
            self.error(
                file,
                node,
                format!("an exception must be a mapping, found {}", node.type_name()),
                Some(rule),
            );
            return None;
        };
        for (k, _) in entries {
            if let Some(key) = k.as_str()
                && !["name", "fields", "comps", "values"].contains(&key)
            {
                self.warn(
                    "LOAD_UNKNOWN_KEY",
                    file,
                    k,
                    format!(
                        "unknown key '{key}' in exception (expected name, fields, comps, values)"
                    ),
                    Some(rule),
                );
            }
        }
        let Some(name_node) = get(entries, "name") else {
            self.error(file, node, "exception has no 'name' key".into(), Some(rule));
            return None;
        };
        let name = self.string_value(file, name_node, "name", rule)?;
        // `fields` may be absent when only values are appended to an existing exception.
        let (fields, single_field) = match get(entries, "fields") {
            None => (Vec::new(), false),
            Some(f) => match &f.kind {
                NodeKind::Scalar { text, .. } if !f.is_null() => (vec![text.clone()], true),
                NodeKind::Seq(_) => (self.string_list(file, f, "fields", rule)?, false),
                _ => {
                    self.wrong_type(
                        file,
                        f,
                        "for exception key 'fields'",
                        "a string or a sequence",
                        rule,
                    );
                    return None;
                }
            },
        };
        let comps = match get(entries, "comps") {
            None if single_field => vec!["in".to_string()],
            None => vec!["=".to_string(); fields.len()],
            Some(c) => match &c.kind {
                NodeKind::Scalar { text, .. } if !c.is_null() => {
                    if !single_field && !fields.is_empty() {
                        self.error(
                            file,
                            c,
                            "exception 'comps' must be a sequence when 'fields' is a sequence"
                                .into(),
                            Some(rule),
                        );
                        return None;
                    }
                    vec![text.clone()]
                }
                NodeKind::Seq(_) => {
                    let comps = self.string_list(file, c, "comps", rule)?;
                    if single_field {
                        self.error(
                            file,
                            c,
                            "exception 'comps' must be a string when 'fields' is a string".into(),
                            Some(rule),
                        );
                        return None;
                    }
                    if comps.len() != fields.len() {
                        self.error(
                            file,
                            c,
                            format!(
                                "exception '{name}': 'fields' and 'comps' lists must have equal length ({} and {})",
                                fields.len(),
                                comps.len()
                            ),
                            Some(rule),
                        );
                        return None;
                    }
                    comps
                }
                _ => {
                    self.error(
                        file,
                        c,
                        format!(
                            "wrong type for exception key 'comps', found {}",
                            c.type_name()
                        ),
                        Some(rule),
                    );
                    return None;
                }
            },
        };
        for comp in &comps {
            if op_from_str(comp).is_none() {
                let at = get(entries, "comps").unwrap_or(node).clone();
                self.error(
                    file,
                    &at,
                    format!("exception '{name}': invalid comparison operator '{comp}'"),
                    Some(rule),
                );
                return None;
            }
        }
        let mut values = Vec::new();
        if let Some(v) = get(entries, "values") {
            match &v.kind {
                _ if v.is_null() => {}
                NodeKind::Seq(rows) => {
                    for row in rows {
                        // Without `fields` (values appended to an existing exception), a
                        // scalar row is a one-field tuple.
                        if single_field
                            || (fields.is_empty() && matches!(row.kind, NodeKind::Scalar { .. }))
                        {
                            match &row.kind {
                                NodeKind::Scalar { text, .. } => {
                                    values.push(vec![ExceptionValue::Scalar(text.clone())])
                                }
                                _ => {
                                    self.error(file, row, format!("exception '{name}': expected values array to contain a list of strings"), Some(rule));
                                    return None;
                                }
                            }
                            continue;
                        }
                        let NodeKind::Seq(cells) = &row.kind else {
                            self.error(file, row, format!("exception '{name}': each value must be a sequence with one entry per field"), Some(rule));
                            return None;
                        };
                        if !fields.is_empty() && cells.len() != fields.len() {
                            self.error(
                                file,
                                row,
                                format!(
                                    "exception '{name}': fields and values lists must have equal length ({} fields, {} values)",
                                    fields.len(),
                                    cells.len()
                                ),
                                Some(rule),
                            );
                            return None;
                        }
                        let mut tuple = Vec::new();
                        for cell in cells {
                            match &cell.kind {
                                NodeKind::Scalar { text, .. } => {
                                    tuple.push(ExceptionValue::Scalar(text.clone()))
                                }
                                NodeKind::Seq(_) => tuple.push(ExceptionValue::List(
                                    self.string_list(file, cell, "values", rule)?,
                                )),
                                NodeKind::Map(_) => {
                                    self.error(file, cell, format!("exception '{name}': a value must be a string or a list of strings"), Some(rule));
                                    return None;
                                }
                            }
                        }
                        values.push(tuple);
                    }
                }
                _ => {
                    self.wrong_type(file, v, "for exception key 'values'", "a sequence", rule);
                    return None;
                }
            }
        }
        Some(ExceptionDef {
            ex: Exception {
                name,
                fields,
                single_field,
                comps,
                values,
            },
            loc: (file, node.pos),
        })
    }

    fn collect_rule(&mut self, file: usize, item: &Node, entries: &[(Node, Node)]) {
        let Some(name) = self.item_name(file, entries, "rule") else {
            return;
        };
        self.check_keys(file, entries, RULE_KEYS, "rule", &name);
        let overrides =
            self.override_modes(file, entries, RULE_APPENDABLE, RULE_REPLACEABLE, &name);
        let append = overrides.is_none() && self.legacy_append(file, entries, &name);
        let existing = self.rule_index.get(&name).copied();
        let name_node = get(entries, "rule").unwrap_or(item).clone();
        let keys: Vec<&str> = entries.iter().filter_map(|(k, _)| k.as_str()).collect();

        // Standalone `enabled:` item (deprecated form of `override: {enabled: replace}`).
        if overrides.is_none()
            && !append
            && keys.iter().all(|k| matches!(*k, "rule" | "enabled"))
            && keys.contains(&"enabled")
        {
            let Some(enabled) =
                get(entries, "enabled").and_then(|n| self.bool_value(file, n, "enabled", &name))
            else {
                return;
            };
            match existing {
                Some(i) => self.rules[i].enabled = enabled,
                None => self.error(
                    file,
                    &name_node,
                    format!(
                        "rule '{name}' has only 'enabled' but no rule by that name already exists"
                    ),
                    Some(&name),
                ),
            }
            return;
        }

        if let Some(ov) = overrides {
            let Some(i) = existing else {
                self.error(
                    file,
                    &name_node,
                    format!("rule '{name}' has 'override' but no rule by that name already exists"),
                    Some(&name),
                );
                return;
            };
            for (key, mode, _) in ov {
                let Some(value) = get(entries, &key) else {
                    continue;
                };
                self.apply_rule_key(file, i, &key, value, mode, &name);
            }
            return;
        }

        if append {
            let Some(i) = existing else {
                self.error(
                    file,
                    &name_node,
                    format!("rule '{name}' has 'append' but no rule by that name already exists"),
                    Some(&name),
                );
                return;
            };
            for (k, v) in entries {
                match k.as_str() {
                    Some("rule" | "append") => {}
                    Some(key @ ("condition" | "exceptions" | "output" | "desc" | "tags")) => {
                        self.apply_rule_key(file, i, key, v, Mode::Append, &name)
                    }
                    Some("enabled") => {
                        self.apply_rule_key(file, i, "enabled", v, Mode::Replace, &name)
                    }
                    Some(key) => self.error(
                        file,
                        k,
                        format!("key '{key}' cannot be appended (use 'override' with 'replace')"),
                        Some(&name),
                    ),
                    None => {}
                }
            }
            return;
        }

        // A full definition (replacing any previous rule of the same name).
        let mut missing = Vec::new();
        for key in ["condition", "output", "desc", "priority"] {
            if get(entries, key).is_none() {
                missing.push(key);
            }
        }
        if !missing.is_empty() {
            self.error(
                file,
                &name_node,
                format!(
                    "rule '{name}' is missing required key{} {}",
                    if missing.len() > 1 { "s" } else { "" },
                    missing
                        .iter()
                        .map(|k| format!("'{k}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Some(&name),
            );
        }
        let mut ok = missing.is_empty();
        let condition = self.condition_text(file, entries, "condition", &name);
        let output = self.condition_text(file, entries, "output", &name);
        let desc = get(entries, "desc").and_then(|n| self.string_value(file, n, "desc", &name));
        let priority = get(entries, "priority").and_then(|n| self.priority(file, n, &name));
        ok &= get(entries, "condition").is_none() || condition.is_some();
        ok &= get(entries, "output").is_none() || output.is_some();
        ok &= get(entries, "desc").is_none() || desc.is_some();
        ok &= get(entries, "priority").is_none() || priority.is_some();
        let (source_name, source_loc) = match get(entries, "source") {
            Some(n) => match self.string_value(file, n, "source", &name) {
                Some(s) => (s, (file, n.pos)),
                None => {
                    ok = false;
                    (String::new(), (file, n.pos))
                }
            },
            None => ("syscall".to_string(), (file, item.pos)),
        };
        let bool_key =
            |loader: &mut Self, key: &str, default: bool, ok: &mut bool| match get(entries, key) {
                Some(n) => match loader.bool_value(file, n, key, &name) {
                    Some(b) => b,
                    None => {
                        *ok = false;
                        default
                    }
                },
                None => default,
            };
        let enabled = bool_key(self, "enabled", true, &mut ok);
        let warn_evttypes = bool_key(self, "warn_evttypes", true, &mut ok);
        let skip_if_unknown_filter = bool_key(self, "skip-if-unknown-filter", false, &mut ok);
        let _capture = bool_key(self, "capture", false, &mut ok);
        if let Some(n) = get(entries, "capture_duration")
            && n.as_str().and_then(|s| s.parse::<u64>().ok()).is_none()
        {
            self.error(
                file,
                n,
                "wrong type for key 'capture_duration': expected milliseconds as an integer".into(),
                Some(&name),
            );
            ok = false;
        }
        let tags = match get(entries, "tags") {
            Some(n) => self.string_list(file, n, "tags", &name).unwrap_or_else(|| {
                ok = false;
                Vec::new()
            }),
            None => Vec::new(),
        };
        let exceptions = match get(entries, "exceptions") {
            Some(n) => self.exceptions(file, n, &name).unwrap_or_else(|| {
                ok = false;
                Vec::new()
            }),
            None => Vec::new(),
        };
        // A rule with a broken key is still kept (marked invalid) so that its condition and
        // output are checked too: every problem of the file is reported at once.
        let def = RuleDef {
            name: name.clone(),
            desc: desc.unwrap_or_default(),
            condition: condition.unwrap_or_default(),
            output: output.unwrap_or_default(),
            priority: priority.unwrap_or(Priority::Debug),
            source_name,
            source_loc,
            enabled,
            tags,
            exceptions,
            warn_evttypes,
            skip_if_unknown_filter,
            loc: (file, item.pos),
            valid: ok,
        };
        match existing {
            Some(i) => self.rules[i] = def,
            None => {
                self.rule_index.insert(name, self.rules.len());
                self.rules.push(def);
            }
        }
    }

    fn apply_rule_key(
        &mut self,
        file: usize,
        i: usize,
        key: &str,
        value: &Node,
        mode: Mode,
        name: &str,
    ) {
        match key {
            "condition" | "output" => {
                let Some(text) = self.string_value(file, value, key, name) else {
                    return;
                };
                let text = Text::from_node(file, value, text);
                let target = if key == "condition" {
                    &mut self.rules[i].condition
                } else {
                    &mut self.rules[i].output
                };
                match mode {
                    Mode::Append => target.append(text),
                    Mode::Replace => *target = text,
                }
            }
            "desc" => {
                let Some(text) = self.string_value(file, value, key, name) else {
                    return;
                };
                let rule = &mut self.rules[i];
                match mode {
                    Mode::Append => {
                        rule.desc.push(' ');
                        rule.desc.push_str(&text);
                    }
                    Mode::Replace => rule.desc = text,
                }
            }
            "priority" => {
                if let Some(p) = self.priority(file, value, name) {
                    self.rules[i].priority = p;
                }
            }
            "tags" => {
                let Some(tags) = self.string_list(file, value, key, name) else {
                    return;
                };
                let rule = &mut self.rules[i];
                match mode {
                    Mode::Append => {
                        for t in tags {
                            if !rule.tags.contains(&t) {
                                rule.tags.push(t);
                            }
                        }
                    }
                    Mode::Replace => rule.tags = tags,
                }
            }
            "exceptions" => {
                let Some(exceptions) = self.exceptions(file, value, name) else {
                    return;
                };
                match mode {
                    Mode::Replace => self.rules[i].exceptions = exceptions,
                    Mode::Append => {
                        for ex in exceptions {
                            let rule = &mut self.rules[i];
                            match rule.exceptions.iter_mut().find(|e| e.ex.name == ex.ex.name) {
                                // Appending to an existing exception adds values only.
                                Some(existing) => existing.ex.values.extend(ex.ex.values),
                                None => {
                                    if ex.ex.fields.is_empty() {
                                        let n = ex.ex.name.clone();
                                        self.error(
                                            file,
                                            value,
                                            format!("appended exception '{n}' has no 'fields' and no exception by that name exists"),
                                            Some(name),
                                        );
                                    } else {
                                        self.rules[i].exceptions.push(ex);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            "enabled" | "warn_evttypes" | "skip-if-unknown-filter" | "capture" => {
                let Some(b) = self.bool_value(file, value, key, name) else {
                    return;
                };
                let rule = &mut self.rules[i];
                match key {
                    "enabled" => rule.enabled = b,
                    "warn_evttypes" => rule.warn_evttypes = b,
                    "skip-if-unknown-filter" => rule.skip_if_unknown_filter = b,
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn collect_engine_version(&mut self, file: usize, entries: &[(Node, Node)]) {
        let Some(node) = get(entries, "required_engine_version") else {
            return;
        };
        let text = node.as_str().unwrap_or("");
        let version = if let Ok(n) = text.parse::<u64>() {
            // Legacy integer versions map to 0.N.0.
            Some(EngineVersion {
                major: 0,
                minor: n,
                patch: 0,
            })
        } else {
            parse_semver(text)
        };
        let Some(version) = version else {
            self.error(
                file,
                node,
                format!("invalid required_engine_version '{text}': expected a semver string (0.57.0) or an integer"),
                None,
            );
            return;
        };
        if version > self.options.engine_version {
            self.error(
                file,
                node,
                format!(
                    "rules require engine version {version}, but Saker provides engine version {}",
                    self.options.engine_version
                ),
                None,
            );
        }
        if self.engine_version.is_none_or(|v| version > v) {
            self.engine_version = Some(version);
        }
    }

    fn collect_plugin_versions(&mut self, file: usize, entries: &[(Node, Node)]) {
        let Some(node) = get(entries, "required_plugin_versions") else {
            return;
        };
        let NodeKind::Seq(reqs) = &node.kind else {
            if !node.is_null() {
                self.error(
                    file,
                    node,
                    "required_plugin_versions must be a sequence".into(),
                    None,
                );
            }
            return;
        };
        for req in reqs {
            let Some(parsed) = self.plugin_requirement(file, req) else {
                continue;
            };
            let candidates = std::iter::once((parsed.name.clone(), parsed.version.clone()))
                .chain(parsed.alternatives.iter().cloned());
            let mut satisfied = false;
            for (name, version) in candidates {
                if let Some((_, have)) = self.options.plugins.iter().find(|(n, _)| *n == name)
                    && let Some(want) = parse_semver(&version)
                    && have.major == want.major
                    && *have >= want
                {
                    satisfied = true;
                }
            }
            if !satisfied {
                let provided: Vec<String> = self
                    .options
                    .plugins
                    .iter()
                    .map(|(n, v)| format!("{n} {v}"))
                    .collect();
                self.error(
                    file,
                    req,
                    format!(
                        "required plugin '{}' version {} is not provided (Saker provides {})",
                        parsed.name,
                        parsed.version,
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
            self.error(
                file,
                req,
                "a required plugin must be a mapping with 'name' and 'version'".into(),
                None,
            );
            return None;
        };
        let field = |key: &str| {
            get(entries, key)
                .and_then(|n| n.as_str())
                .map(str::to_string)
        };
        let (Some(name), Some(version)) = (field("name"), field("version")) else {
            self.error(
                file,
                req,
                "a required plugin needs 'name' and 'version'".into(),
                None,
            );
            return None;
        };
        let mut alternatives = Vec::new();
        if let Some(NodeKind::Seq(alts)) = get(entries, "alternatives").map(|n| &n.kind) {
            for alt in alts {
                if let NodeKind::Map(a) = &alt.kind
                    && let (Some(n), Some(v)) = (
                        get(a, "name").and_then(|n| n.as_str()),
                        get(a, "version").and_then(|n| n.as_str()),
                    )
                {
                    alternatives.push((n.to_string(), v.to_string()));
                }
            }
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
            if offset <= end {
                let local = offset - start;
                let pos = yaml::locate_in_scalar(
                    &self.files[piece.file].text,
                    piece.pos,
                    &piece.text,
                    local,
                );
                return (piece.file, pos);
            }
            start = end + 1;
        }
        let last = text
            .pieces
            .last()
            .map_or((0, Pos::default()), |p| (p.file, p.pos));
        (last.0, last.1)
    }

    fn compile(&mut self) -> RuleSet {
        // Lists: items naming a list defined before expand to its items (Falco's order rule).
        let mut expanded: HashMap<String, Vec<String>> = HashMap::new();
        let mut list_refs: Vec<(usize, Vec<String>)> = Vec::new();
        let mut too_long: Vec<usize> = Vec::new();
        for (i, list) in self.lists.iter().enumerate() {
            let mut out = Vec::new();
            let mut refs = Vec::new();
            for item in &list.items {
                match expanded.get(item) {
                    Some(inner) if self.list_index.get(item).is_some_and(|j| *j < i) => {
                        out.extend(inner.iter().cloned());
                        refs.push(item.clone());
                    }
                    _ => out.push(item.clone()),
                }
                // Lists of lists of lists can double at every level.
                if out.len() > MAX_LIST_ITEMS {
                    too_long.push(i);
                    out.truncate(MAX_LIST_ITEMS);
                    break;
                }
            }
            expanded.insert(list.name.clone(), out);
            list_refs.push((i, refs));
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

        // Macros: parse every one; syntax errors are reported at the macro.
        let mut parsed: HashMap<String, Result<Expr, ()>> = HashMap::new();
        let mut macro_texts: HashMap<String, Text> = HashMap::new();
        for m in self.macros.clone() {
            let text = m.condition.joined();
            let result = match crate::parse::parse(&text) {
                Ok(expr) => Ok(expr),
                Err(e) => {
                    let (file, pos) = self.locate(&m.condition, e.span.start as usize);
                    self.diag(
                        Severity::Error,
                        "LOAD_ERR_COMPILE_CONDITION",
                        At(file, pos, span_len(&text, e.span)),
                        format!("macro '{}': {}", m.name, e.message),
                        Some(&m.name),
                    );
                    Err(())
                }
            };
            parsed.insert(m.name.clone(), result);
            macro_texts.insert(m.name.clone(), m.condition.clone());
        }

        let scope = Scope {
            macros: &parsed,
            lists: &expanded,
        };
        let mut usage = Usage::default();
        let mut rules = Vec::new();
        for def in self.rules.clone() {
            if let Some(rule) = self.compile_rule(&def, &scope, &macro_texts, &mut usage) {
                rules.push(rule);
            }
        }

        // A list is used if a condition or a used list names it.
        let mut used_lists = usage.lists.clone();
        for (i, refs) in list_refs.iter().rev() {
            if used_lists.contains(&self.lists[*i].name) {
                used_lists.extend(refs.iter().cloned());
            }
        }
        for m in self.macros.clone() {
            if !usage.macros.contains(&m.name) {
                let (file, pos) = m.loc;
                self.diag(
                    Severity::Warning,
                    "LOAD_UNUSED_MACRO",
                    At(file, pos, 1),
                    format!("macro '{}' is not used by any rule", m.name),
                    Some(&m.name),
                );
            }
        }
        for l in self.lists.clone() {
            if !used_lists.contains(&l.name) {
                let (file, pos) = l.loc;
                self.diag(
                    Severity::Warning,
                    "LOAD_UNUSED_LIST",
                    At(file, pos, 1),
                    format!("list '{}' is not used by any rule or macro", l.name),
                    Some(&l.name),
                );
            }
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
                    let ast = parsed.get(&m.name)?.as_ref().ok()?.clone();
                    Some(Macro {
                        name: m.name.clone(),
                        condition: m.condition.joined(),
                        ast,
                        location: location(self.files, m.loc),
                        used: usage.macros.contains(&m.name),
                    })
                })
                .collect(),
            lists: self
                .lists
                .iter()
                .map(|l| List {
                    name: l.name.clone(),
                    items: l.items.clone(),
                    expanded: expanded.get(&l.name).cloned().unwrap_or_default(),
                    location: location(self.files, l.loc),
                    used: used_lists.contains(&l.name),
                })
                .collect(),
            required_engine_version: self.engine_version,
            required_plugin_versions: self.plugin_reqs.clone(),
        }
    }

    fn report_check_errors(
        &mut self,
        errors: Vec<CheckError>,
        root: &Text,
        root_text: &str,
        macro_texts: &HashMap<String, Text>,
        def: &RuleDef,
        skip: bool,
    ) {
        for e in errors {
            let (text, joined) = match &e.origin {
                Origin::Root => (root.clone(), root_text.to_string()),
                Origin::Macro(m) => match macro_texts.get(m) {
                    Some(t) => (t.clone(), t.joined()),
                    None => continue,
                },
            };
            let (file, pos) = self.locate(&text, e.span.start as usize);
            let in_macro = match &e.origin {
                Origin::Macro(m) => format!(" (in macro '{m}')"),
                Origin::Root => String::new(),
            };
            if e.kind == ErrorKind::Deprecated {
                self.diag(
                    Severity::Warning,
                    "LOAD_DEPRECATED_FIELD",
                    At(file, pos, span_len(&joined, e.span)),
                    format!("rule '{}': {}{in_macro}", def.name, e.message),
                    Some(&def.name),
                );
            } else if skip && e.kind == ErrorKind::UnknownField {
                self.diag(
                    Severity::Warning,
                    "LOAD_UNKNOWN_FILTER",
                    At(file, pos, span_len(&joined, e.span)),
                    format!(
                        "rule '{}' skipped (skip-if-unknown-filter): {}{in_macro}",
                        def.name, e.message
                    ),
                    Some(&def.name),
                );
            } else {
                // An error inside a macro is reported once, at the macro, however many rules
                // use it.
                let (message, item) = match &e.origin {
                    Origin::Macro(m) => (format!("macro '{m}': {}", e.message), m.as_str()),
                    Origin::Root => (
                        format!("rule '{}': {}", def.name, e.message),
                        def.name.as_str(),
                    ),
                };
                self.diag(
                    Severity::Error,
                    "LOAD_ERR_COMPILE_CONDITION",
                    At(file, pos, span_len(&joined, e.span)),
                    message,
                    Some(item),
                );
            }
        }
    }

    fn compile_rule(
        &mut self,
        def: &RuleDef,
        scope: &Scope<'_>,
        macro_texts: &HashMap<String, Text>,
        usage: &mut Usage,
    ) -> Option<Rule> {
        if !def.valid && def.condition.pieces.is_empty() {
            return None;
        }
        let Some(source) = Source::from_name(&def.source_name) else {
            let (file, pos) = def.source_loc;
            self.diag(
                Severity::Warning,
                "LOAD_UNKNOWN_SOURCE",
                At(file, pos, def.source_name.chars().count() as u32),
                format!(
                    "rule '{}' skipped: unknown source '{}' (known: syscall, k8s_audit)",
                    def.name, def.source_name
                ),
                Some(&def.name),
            );
            return None;
        };
        let text = def.condition.joined();
        // A syntax error stops the check of the condition, not of the exceptions and output.
        let (mut filter, failed) = match crate::parse::parse(&text) {
            Ok(expr) => {
                let mut errors = Vec::new();
                let filter = check::check(&expr, scope, source, usage, &mut errors);
                let skip = def.skip_if_unknown_filter
                    && errors.iter().any(|e| e.kind == ErrorKind::UnknownField);
                let failed = errors.iter().any(|e| e.kind != ErrorKind::Deprecated);
                self.report_check_errors(errors, &def.condition, &text, macro_texts, def, skip);
                (filter, failed)
            }
            Err(e) => {
                let (file, pos) = self.locate(&def.condition, e.span.start as usize);
                self.diag(
                    Severity::Error,
                    "LOAD_ERR_COMPILE_CONDITION",
                    At(file, pos, span_len(&text, e.span)),
                    format!("rule '{}': {}", def.name, e.message),
                    Some(&def.name),
                );
                (Filter::Const(false), true)
            }
        };

        // Exceptions: `(cond) and not (tuple or tuple ...)`, one `not` per exception.
        let mut ex_failed = false;
        let mut parts = vec![filter];
        for ex in &def.exceptions {
            let (file, pos) = ex.loc;
            let ex_expr = exception_expr(&ex.ex);
            let mut ex_errors = Vec::new();
            let ex_filter = check::check(&ex_expr, scope, source, usage, &mut ex_errors);
            for e in ex_errors {
                if e.kind == ErrorKind::Deprecated {
                    continue;
                }
                if def.skip_if_unknown_filter && e.kind == ErrorKind::UnknownField {
                    ex_failed = true;
                    self.diag(
                        Severity::Warning,
                        "LOAD_UNKNOWN_FILTER",
                        At(file, pos, 1),
                        format!(
                            "rule '{}' skipped (skip-if-unknown-filter): exception '{}': {}",
                            def.name, ex.ex.name, e.message
                        ),
                        Some(&def.name),
                    );
                    continue;
                }
                ex_failed = true;
                self.diag(
                    Severity::Error,
                    "LOAD_ERR_COMPILE_CONDITION",
                    At(file, pos, 1),
                    format!(
                        "rule '{}': exception '{}': {}",
                        def.name, ex.ex.name, e.message
                    ),
                    Some(&def.name),
                );
            }
            if !ex.ex.values.is_empty() {
                parts.push(Filter::Not(Box::new(ex_filter)));
            }
        }
        filter = if parts.len() == 1 {
            parts.pop().unwrap_or(Filter::Const(false))
        } else {
            Filter::And(parts)
        };

        // Output format.
        let output_text = def.output.joined();
        let output_format = match crate::output::parse_output_spans(&output_text, Some(source)) {
            Ok(o) => o,
            Err((span, msg)) => {
                let (file, pos) = self.locate(&def.output, span.start as usize);
                let at = At(file, pos, span_len(&output_text, span));
                if def.skip_if_unknown_filter && msg.starts_with("unknown field") {
                    self.diag(
                        Severity::Warning,
                        "LOAD_UNKNOWN_FILTER",
                        at,
                        format!(
                            "rule '{}' skipped (skip-if-unknown-filter): output: {msg}",
                            def.name
                        ),
                        Some(&def.name),
                    );
                } else {
                    self.diag(
                        Severity::Error,
                        "LOAD_ERR_COMPILE_OUTPUT",
                        at,
                        format!("rule '{}': invalid output: {msg}", def.name),
                        Some(&def.name),
                    );
                }
                return None;
            }
        };
        if failed || ex_failed || !def.valid {
            return None;
        }
        if source == Source::Syscall && def.warn_evttypes && filter.event_types().is_none() {
            let (file, pos) = self.locate(&def.condition, 0);
            self.diag(Severity::Warning, "LOAD_NO_EVTTYPE", At(file, pos, 1),
                format!(
                    "rule '{}' matches too many evt.type values (no evt.type restriction): every event is checked against it",
                    def.name
                ),
                Some(&def.name),
            );
        }
        let (file, pos) = def.loc;
        Some(Rule {
            name: def.name.clone(),
            desc: def.desc.clone(),
            condition: text,
            output: output_text,
            output_format,
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
}

fn span_len(text: &str, span: Span) -> u32 {
    let (s, e) = (span.start as usize, span.end as usize);
    let slice = text.get(s..e.min(text.len())).unwrap_or("");
    slice.lines().next().unwrap_or("").chars().count().max(1) as u32
}

fn parse_semver(text: &str) -> Option<EngineVersion> {
    let mut parts = text.trim().split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    let patch_part = parts.next()?;
    // Ignore pre-release/build suffixes.
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

fn op_from_str(op: &str) -> Option<CmpOp> {
    use CmpOp::*;
    Some(match op {
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

/// Builds the syntax tree of one exception: `(f1 c1 v1 and f2 c2 v2) or (...)`.
fn exception_expr(ex: &Exception) -> Expr {
    let sp = Span::default();
    let node = |kind| Expr { kind, span: sp };
    let field = |name: &str| {
        // Exception fields may carry an argument: `proc.aname[2]`.
        let (base, arg) = match name.split_once('[') {
            Some((b, rest)) => (b.to_string(), Some(rest.trim_end_matches(']').to_string())),
            None => (name.to_string(), None),
        };
        FieldExpr {
            transformers: Vec::new(),
            field: FieldRef {
                name: base,
                arg,
                span: sp,
            },
            span: sp,
        }
    };
    let value = |text: &str| ast::Value {
        text: text.to_string(),
        span: sp,
    };
    let check = |f: &str, comp: &str, v: &ExceptionValue| {
        let op = op_from_str(comp).unwrap_or(CmpOp::Eq);
        let rhs = match v {
            ExceptionValue::List(items) => Rhs::List(items.iter().map(|i| value(i)).collect(), sp),
            ExceptionValue::Scalar(s) if op.takes_list() => Rhs::List(vec![value(s)], sp),
            ExceptionValue::Scalar(s) => Rhs::Value(value(s)),
        };
        node(ExprKind::Check(Box::new(ast::Check {
            lhs: field(f),
            op,
            modifier: None,
            rhs,
        })))
    };
    let combine = |mut children: Vec<Expr>, and: bool| {
        if children.len() == 1 {
            children
                .pop()
                .unwrap_or_else(|| node(ExprKind::Macro(String::new())))
        } else if and {
            node(ExprKind::And(children))
        } else {
            node(ExprKind::Or(children))
        }
    };
    if ex.single_field {
        let f = ex.fields.first().map_or("", String::as_str);
        let comp = ex.comps.first().map_or("in", String::as_str);
        let op = op_from_str(comp).unwrap_or(CmpOp::In);
        let scalars: Vec<String> = ex
            .values
            .iter()
            .filter_map(|t| match t.first() {
                Some(ExceptionValue::Scalar(s)) => Some(s.clone()),
                _ => None,
            })
            .collect();
        if op.takes_list() {
            return check(f, comp, &ExceptionValue::List(scalars));
        }
        // Falco would build `field = (a, b)`, which does not compile; we accept it as an `or`.
        return combine(
            scalars
                .iter()
                .map(|s| check(f, comp, &ExceptionValue::Scalar(s.clone())))
                .collect(),
            false,
        );
    }
    let tuples: Vec<Expr> = ex
        .values
        .iter()
        .map(|tuple| {
            combine(
                ex.fields
                    .iter()
                    .zip(&ex.comps)
                    .zip(tuple)
                    .map(|((f, c), v)| check(f, c, v))
                    .collect(),
                true,
            )
        })
        .collect();
    combine(tuples, false)
}
