use std::collections::BTreeMap;

use crate::Priority;

/// One rule match, ready for the output channels.
///
/// `output` is the rule's output template with every `%field` already substituted (the text a
/// person reads, without the time and priority prefix). `output_fields` holds the typed value of
/// each field the template names, `null` when the field had no value: Falco's `output_fields`.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// Event time, nanoseconds since the Unix epoch.
    pub time_ns: u64,
    pub rule: String,
    pub priority: Priority,
    /// `syscall`, `k8s_audit`, or `internal` for Saker's own alerts (drops, reload failures).
    pub source: String,
    pub output: String,
    pub output_fields: BTreeMap<String, serde_json::Value>,
    pub tags: Vec<String>,
    pub hostname: String,
}
