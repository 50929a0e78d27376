//! Saker's own default ruleset, embedded in the binary.

use saker_rules::{Diagnostic, RuleSet, SourceFile, load};

/// The name diagnostics use for the embedded file.
pub const DEFAULT_RULES_FILE_NAME: &str = "saker_rules.yaml";

/// The YAML text of the default ruleset (crates/engine/rules/saker_rules.yaml).
pub fn default_rules() -> &'static str {
    include_str!("../rules/saker_rules.yaml")
}

/// Loads the default ruleset (used when no `-r` is given).
pub fn load_default_rules() -> (RuleSet, Vec<Diagnostic>) {
    load(&[SourceFile::new(DEFAULT_RULES_FILE_NAME, default_rules())])
}
