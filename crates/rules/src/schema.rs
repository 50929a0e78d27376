//! Falco's JSON schema for rules files (`rule_json_schema.h`, Falco 0.44), checked the way
//! Falco checks it: valijson with weak types over yaml-cpp nodes, so every scalar is a string,
//! `true`/`false` (exactly) are also booleans and decimal numbers are also integers.
//!
//! Falco loads a file that fails its schema and reports the failures beside its warnings
//! ("schema warnings"); Saker reports each as a `SCHEMA_VALIDATION` warning at the node.

use crate::yaml::{Node, NodeKind};

/// One schema failure: the node it is about and what is wrong.
pub(crate) struct Violation<'n> {
    pub node: &'n Node,
    pub message: String,
}

/// The keys of a rules item (`FalcoRule`): one object type for every kind of item.
const ITEM_KEYS: &[(&str, Kind)] = &[
    ("required_engine_version", Kind::String),
    ("required_plugin_versions", Kind::PluginVersions),
    ("macro", Kind::String),
    ("condition", Kind::String),
    ("list", Kind::String),
    ("items", Kind::Items),
    ("rule", Kind::String),
    ("desc", Kind::String),
    ("enabled", Kind::Bool),
    ("output", Kind::String),
    ("append", Kind::Bool),
    ("priority", Kind::Priority),
    ("capture", Kind::Bool),
    ("capture_duration", Kind::Integer),
    ("source", Kind::String),
    ("exceptions", Kind::Exceptions),
    ("override", Kind::Override),
    ("tags", Kind::Strings),
    ("warn_evttypes", Kind::Bool),
    ("skip-if-unknown-filter", Kind::Bool),
];

const PRIORITIES: &[&str] = &[
    "EMERGENCY",
    "ALERT",
    "CRITICAL",
    "ERROR",
    "WARNING",
    "NOTICE",
    "INFO",
    "INFORMATIONAL",
    "DEBUG",
];

/// The keys `override` accepts.
const OVERRIDE_KEYS: &[&str] = &[
    "items",
    "desc",
    "condition",
    "output",
    "priority",
    "enabled",
    "exceptions",
    "capture",
    "capture_duration",
    "tags",
    "warn_evttypes",
    "skip-if-unknown-filter",
];

#[derive(Clone, Copy)]
enum Kind {
    String,
    Bool,
    Integer,
    Priority,
    Items,
    Strings,
    Exceptions,
    Override,
    PluginVersions,
}

/// The schema failures of one YAML document (the rules array).
pub(crate) fn validate(doc: &Node) -> Vec<Violation<'_>> {
    let mut out = Vec::new();
    let NodeKind::Seq(items) = &doc.kind else {
        // Not an array: the loader reports the file as invalid.
        return out;
    };
    for (i, item) in items.iter().enumerate() {
        let path = format!("[{i}]");
        let Some(entries) = object(item, &path, &mut out) else {
            continue;
        };
        for (key, value) in entries {
            let name = key.as_str().unwrap_or_default();
            let at = format!("{path}[{name}]");
            match ITEM_KEYS.iter().find(|(k, _)| *k == name) {
                Some((_, kind)) => check(value, *kind, &at, &mut out),
                None => out.push(unknown_key(key, &path, name)),
            }
        }
    }
    out
}

fn check<'n>(node: &'n Node, kind: Kind, at: &str, out: &mut Vec<Violation<'n>>) {
    match kind {
        Kind::String => {
            scalar(node, at, "a string", out);
        }
        Kind::Bool => {
            if let Some(text) = scalar(node, at, "a boolean", out)
                && text != "true"
                && text != "false"
            {
                out.push(violation(node, at, "should be a boolean: true or false"));
            }
        }
        Kind::Integer => {
            if let Some(text) = scalar(node, at, "an integer", out)
                && !is_integer(text)
            {
                out.push(violation(node, at, "should be an integer"));
            }
        }
        Kind::Priority => {
            if let Some(text) = scalar(node, at, "a priority", out)
                && !PRIORITIES.contains(&text)
            {
                let read_as = if PRIORITIES.contains(&text.to_ascii_uppercase().as_str()) {
                    " (the schema wants upper case; the rule still loads)"
                } else {
                    ""
                };
                out.push(violation(
                    node,
                    at,
                    &format!("'{text}' is not one of {}{read_as}", PRIORITIES.join(", ")),
                ));
            }
        }
        Kind::Items | Kind::Strings => {
            if let Some(items) = array(node, at, out) {
                for (i, item) in items.iter().enumerate() {
                    scalar(item, &format!("{at}[{i}]"), "a string", out);
                }
            }
        }
        Kind::Exceptions => {
            for (i, ex) in array(node, at, out).into_iter().flatten().enumerate() {
                let path = format!("{at}[{i}]");
                let Some(entries) = object(ex, &path, out) else {
                    continue;
                };
                for (key, value) in entries {
                    match key.as_str().unwrap_or_default() {
                        "name" => {
                            scalar(value, &format!("{path}[name]"), "a string", out);
                        }
                        "fields" | "comps" | "values" => {}
                        other => out.push(unknown_key(key, &path, other)),
                    }
                }
                required(ex, entries, &path, &["name"], out);
            }
        }
        Kind::Override => {
            let Some(entries) = object(node, at, out) else {
                return;
            };
            if entries.is_empty() {
                out.push(violation(node, at, "should have at least one key"));
            }
            for (key, value) in entries {
                let name = key.as_str().unwrap_or_default();
                if !OVERRIDE_KEYS.contains(&name) {
                    out.push(unknown_key(key, at, name));
                    continue;
                }
                let path = format!("{at}[{name}]");
                if let Some(text) = scalar(value, &path, "append or replace", out)
                    && text != "append"
                    && text != "replace"
                {
                    out.push(violation(value, &path, "should be append or replace"));
                }
            }
        }
        Kind::PluginVersions => {
            for (i, req) in array(node, at, out).into_iter().flatten().enumerate() {
                let path = format!("{at}[{i}]");
                name_version(req, &path, true, out);
            }
        }
    }
}

/// A `required_plugin_versions` entry (with `alternatives`) or one of its alternatives.
fn name_version<'n>(node: &'n Node, path: &str, top: bool, out: &mut Vec<Violation<'n>>) {
    let Some(entries) = object(node, path, out) else {
        return;
    };
    for (key, value) in entries {
        let name = key.as_str().unwrap_or_default();
        let at = format!("{path}[{name}]");
        match name {
            "name" | "version" => {
                scalar(value, &at, "a string", out);
            }
            "alternatives" if top => {
                for (i, alt) in array(value, &at, out).into_iter().flatten().enumerate() {
                    name_version(alt, &format!("{at}[{i}]"), false, out);
                }
            }
            _ => out.push(unknown_key(key, path, name)),
        }
    }
    required(node, entries, path, &["name", "version"], out);
}

fn required<'n>(
    node: &'n Node,
    entries: &[(Node, Node)],
    path: &str,
    keys: &[&str],
    out: &mut Vec<Violation<'n>>,
) {
    for key in keys {
        if !entries.iter().any(|(k, _)| k.as_str() == Some(key)) {
            out.push(violation(
                node,
                path,
                &format!("missing required key '{key}'"),
            ));
        }
    }
}

/// The text of a scalar; anything else (null included) is reported as not being `what`.
fn scalar<'n>(
    node: &'n Node,
    at: &str,
    what: &str,
    out: &mut Vec<Violation<'n>>,
) -> Option<&'n str> {
    match node.as_str() {
        Some(text) if !node.is_null() => Some(text),
        _ => {
            out.push(violation(
                node,
                at,
                &format!("should be {what}, not {}", node.type_name()),
            ));
            None
        }
    }
}

fn array<'n>(node: &'n Node, at: &str, out: &mut Vec<Violation<'n>>) -> Option<&'n [Node]> {
    match &node.kind {
        NodeKind::Seq(items) => Some(items),
        _ => {
            out.push(violation(
                node,
                at,
                &format!("should be a sequence, not {}", node.type_name()),
            ));
            None
        }
    }
}

fn object<'n>(
    node: &'n Node,
    at: &str,
    out: &mut Vec<Violation<'n>>,
) -> Option<&'n [(Node, Node)]> {
    match &node.kind {
        NodeKind::Map(entries) => Some(entries),
        _ => {
            out.push(violation(
                node,
                at,
                &format!("should be a mapping, not {}", node.type_name()),
            ));
            None
        }
    }
}

fn unknown_key<'n>(key: &'n Node, path: &str, name: &str) -> Violation<'n> {
    violation(key, path, &format!("key '{name}' is not allowed"))
}

fn violation<'n>(node: &'n Node, at: &str, what: &str) -> Violation<'n> {
    Violation {
        node,
        message: format!("schema validation failed for {at}: {what}"),
    }
}

/// valijson's weak integer: the whole text reads as a decimal 64-bit integer.
fn is_integer(text: &str) -> bool {
    text.parse::<i64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failures(yaml: &str) -> Vec<String> {
        let docs = crate::yaml::parse_documents(yaml).unwrap();
        docs.iter()
            .flat_map(|d| validate(d).into_iter().map(|v| v.message))
            .collect()
    }

    #[test]
    fn falco_files_pass() {
        let yaml = r#"
- required_engine_version: 0.31.0
- required_plugin_versions:
  - name: k8saudit
    version: 0.1.0
    alternatives:
      - name: k8saudit-eks
        version: 0.1.0
- list: l
  items: [a, "b c", 1]
- macro: m
  condition: evt.type = open
- rule: r
  desc: d
  condition: m
  output: o
  priority: WARNING
  enabled: false
  capture: true
  capture_duration: 100
  tags: [t]
  exceptions:
    - name: e
      fields: [proc.name]
      values: [[a]]
  override:
    condition: append
"#;
        assert_eq!(failures(yaml), Vec::<String>::new());
    }

    #[test]
    fn type_enum_and_key_failures() {
        let yaml = r#"
- rule: r
  priority: info
  capture: "yes"
  capture_duration: ten
  enabled: yes
  bogus: 1
  override: {}
  exceptions:
    - fields: [a]
      value: x
"#;
        assert_eq!(
            failures(yaml),
            [
                "schema validation failed for [0][priority]: 'info' is not one of EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO, INFORMATIONAL, DEBUG (the schema wants upper case; the rule still loads)",
                "schema validation failed for [0][capture]: should be a boolean: true or false",
                "schema validation failed for [0][capture_duration]: should be an integer",
                "schema validation failed for [0][enabled]: should be a boolean: true or false",
                "schema validation failed for [0]: key 'bogus' is not allowed",
                "schema validation failed for [0][override]: should have at least one key",
                "schema validation failed for [0][exceptions][0]: key 'value' is not allowed",
                "schema validation failed for [0][exceptions][0]: missing required key 'name'",
            ]
        );
    }
}
