//! Names made from an alert: NATS subjects and Redis keys, with falcosidekick's template
//! syntax (`falco.<priority>.<rule>`), plus `<source>` and `<hostname>`.

use crate::{EncodedAlert, OutputError};

/// A parsed template: literal text and placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertTemplate {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Rule,
    Priority,
    Source,
    Hostname,
}

impl AlertTemplate {
    /// Parses `template`; `key` names the setting in the error of an unknown placeholder.
    pub fn parse(template: &str, key: &'static str) -> Result<Self, OutputError> {
        let mut parts = Vec::new();
        let mut rest = template;
        while let Some(start) = rest.find('<') {
            let Some(len) = rest[start..].find('>') else {
                break;
            };
            let name = &rest[start + 1..start + len];
            let part = match name {
                "rule" => Part::Rule,
                "priority" => Part::Priority,
                "source" => Part::Source,
                "hostname" => Part::Hostname,
                _ => {
                    return Err(OutputError::Template {
                        key,
                        template: template.to_string(),
                        reason: format!(
                            "unknown placeholder <{name}>; known: <rule>, <priority>, <source>, <hostname>"
                        ),
                    });
                }
            };
            if start > 0 {
                parts.push(Part::Text(rest[..start].to_string()));
            }
            parts.push(part);
            rest = &rest[start + len + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(AlertTemplate { parts })
    }

    /// True when every alert gets the same name (no placeholder).
    pub fn is_constant(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Text(_)))
    }

    /// The name for `alert`. Values are slugs as falcosidekick makes them: lowercase, every
    /// run of characters other than `a-z0-9` one `_`, no `_` at either end (so a rule name
    /// never adds a `.` level or a wildcard to a subject).
    pub fn render(&self, alert: &EncodedAlert) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Rule => push_slug(&mut out, &alert.rule),
                Part::Priority => push_slug(&mut out, alert.priority.falco_name()),
                Part::Source => push_slug(&mut out, &alert.source),
                Part::Hostname => push_slug(&mut out, &alert.hostname),
            }
        }
        out
    }
}

fn push_slug(out: &mut String, value: &str) {
    let start = out.len();
    let mut gap = false;
    for c in value.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if gap && out.len() > start {
                out.push('_');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saker_event::Priority;

    fn alert(rule: &str, priority: Priority, source: &str) -> EncodedAlert {
        EncodedAlert {
            time_ns: 0,
            priority,
            hostname: "Node-1.example".into(),
            rule: rule.into(),
            source: source.into(),
            bytes: Vec::new(),
        }
    }

    #[test]
    fn falcosidekick_default_subject() {
        let t = AlertTemplate::parse("falco.<priority>.<rule>", "t").unwrap();
        let a = alert("Terminal shell in container", Priority::Notice, "syscall");
        assert_eq!(t.render(&a), "falco.notice.terminal_shell_in_container");
        let a = alert(
            "Read sensitive file untrusted (>*.)",
            Priority::Warning,
            "syscall",
        );
        assert_eq!(t.render(&a), "falco.warning.read_sensitive_file_untrusted");
        let a = alert("K8s Secret Get Successfully", Priority::Error, "k8s_audit");
        assert_eq!(t.render(&a), "falco.error.k8s_secret_get_successfully");
    }

    #[test]
    fn source_hostname_and_literal_text() {
        let t = AlertTemplate::parse("saker:<source>:<hostname>:<priority>", "t").unwrap();
        let a = alert("x", Priority::Informational, "k8s_audit");
        assert_eq!(t.render(&a), "saker:k8s_audit:node_1_example:informational");
        assert!(!t.is_constant());
        assert!(AlertTemplate::parse("falco", "t").unwrap().is_constant());
        // A lone `<` is text.
        let t = AlertTemplate::parse("a<b", "t").unwrap();
        assert_eq!(t.render(&a), "a<b");
    }

    #[test]
    fn unknown_placeholder_is_an_error() {
        let e = AlertTemplate::parse("falco.<severity>", "nats_output.subject_template")
            .unwrap_err()
            .to_string();
        assert!(e.contains("nats_output.subject_template"), "{e}");
        assert!(e.contains("<severity>"), "{e}");
    }

    #[test]
    fn a_rule_name_of_symbols_only_is_empty() {
        let t = AlertTemplate::parse("<rule>", "t").unwrap();
        assert_eq!(t.render(&alert("--- !!", Priority::Debug, "s")), "");
    }
}
