//! The errors of the k8s_audit source.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum K8sAuditError {
    #[error("invalid JSON: {0}")]
    Json(String),
    #[error("an audit event must be a JSON object")]
    NotAnObject,
    #[error("audit event {audit_id} has neither stageTimestamp nor requestReceivedTimestamp")]
    MissingTimestamp { audit_id: String },
    #[error("audit event {audit_id}: `{value}` is not an RFC 3339 time")]
    BadTimestamp { audit_id: String, value: String },
    #[error("{0}")]
    NotAuditEvents(String),
    #[error("cannot read audit events from {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Replay {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("default k8s audit rules: {0}")]
    DefaultRules(String),
}
