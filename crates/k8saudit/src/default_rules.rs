//! Saker's own k8s audit rules, embedded in the binary.

use saker_rules::{Diagnostic, RuleSet, SourceFile, load};

/// The name diagnostics use for the embedded file.
pub const DEFAULT_K8S_AUDIT_RULES_FILE_NAME: &str = "saker_k8s_audit_rules.yaml";

/// The YAML text of the default k8s audit rules (crates/k8saudit/rules/saker_k8s_audit_rules.yaml).
pub fn default_k8s_audit_rules() -> &'static str {
    include_str!("../rules/saker_k8s_audit_rules.yaml")
}

/// The default k8s audit rules as a [`SourceFile`], to load after (or with) other files.
pub fn default_k8s_audit_rules_file() -> SourceFile {
    SourceFile::new(DEFAULT_K8S_AUDIT_RULES_FILE_NAME, default_k8s_audit_rules())
}

/// Loads the default k8s audit rules alone.
pub fn load_default_k8s_audit_rules() -> (RuleSet, Vec<Diagnostic>) {
    load(&[default_k8s_audit_rules_file()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use saker_rules::Source;

    #[test]
    fn default_rules_load_cleanly_as_k8s_audit_rules() {
        let (ruleset, diagnostics) = load_default_k8s_audit_rules();
        let rendered: Vec<String> = diagnostics.iter().map(Diagnostic::render).collect();
        assert!(diagnostics.is_empty(), "{rendered:#?}");
        assert!(ruleset.rules.len() >= 12);
        for rule in &ruleset.rules {
            assert_eq!(rule.source, Source::K8sAudit, "{}", rule.name);
            assert!(rule.enabled, "{}", rule.name);
        }
    }
}
