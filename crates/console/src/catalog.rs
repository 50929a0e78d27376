//! The rules as the console shows them: every rule of the loaded files, enabled or not.

use saker_event::Priority;
use saker_rules::RuleSet;
use serde::Serialize;

/// One rule, as `/api/rules` and the alert details show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleInfo {
    pub name: String,
    pub description: String,
    pub condition: String,
    pub output: String,
    pub priority: Priority,
    pub source: String,
    pub tags: Vec<String>,
    /// `enabled:` in the rules files.
    pub enabled: bool,
    /// Enabled and at or above the configured minimum priority: the engine evaluates it.
    pub loaded: bool,
    /// `file:line` where it was first defined.
    pub location: String,
}

/// The loaded rules, in load order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleCatalog {
    rules: Vec<RuleInfo>,
    loaded_ns: u64,
}

impl RuleCatalog {
    /// The rules of `ruleset`; those below `min_priority` are listed but not loaded.
    pub fn new(ruleset: &RuleSet, min_priority: Priority) -> RuleCatalog {
        let rules = ruleset
            .rules
            .iter()
            .map(|rule| RuleInfo {
                name: rule.name.clone(),
                description: rule.desc.trim().to_string(),
                condition: rule.condition.trim().to_string(),
                output: rule.output.trim().to_string(),
                priority: rule.priority,
                source: rule.source.as_str().to_string(),
                tags: rule.tags.clone(),
                enabled: rule.enabled,
                loaded: rule.enabled && rule.priority.at_least(min_priority),
                location: format!("{}:{}", rule.location.file, rule.location.line),
            })
            .collect();
        RuleCatalog {
            rules,
            loaded_ns: crate::unix_now_ns(),
        }
    }

    pub fn rules(&self) -> &[RuleInfo] {
        &self.rules
    }

    pub fn rule(&self, name: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.name == name)
    }

    /// When these rules were loaded (a page reloads its copy when this changes).
    pub fn loaded_ns(&self) -> u64 {
        self.loaded_ns
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saker_rules::{SourceFile, load};

    #[test]
    fn lists_disabled_and_below_minimum_rules() {
        let yaml = r#"
- rule: Loud
  desc: "  something loud  "
  condition: evt.type = open
  output: "loud %proc.name"
  priority: CRITICAL
  tags: [a, b]
- rule: Quiet
  desc: q
  condition: evt.type = open
  output: q
  priority: DEBUG
- rule: Off
  desc: o
  condition: evt.type = open
  output: o
  priority: ERROR
  enabled: false
"#;
        let (ruleset, diagnostics) = load(&[SourceFile::new("r.yaml", yaml)]);
        assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
        let catalog = RuleCatalog::new(&ruleset, Priority::Notice);
        let summary: Vec<(&str, bool, bool)> = catalog
            .rules()
            .iter()
            .map(|r| (r.name.as_str(), r.enabled, r.loaded))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("Loud", true, true),
                ("Quiet", true, false),
                ("Off", false, false)
            ]
        );
        let loud = catalog.rule("Loud").unwrap();
        assert_eq!(loud.description, "something loud");
        assert_eq!(loud.tags, vec!["a", "b"]);
        assert_eq!(loud.location, "r.yaml:2");
        assert_eq!(loud.source, "syscall");
    }
}
