//! saker-k8saudit: the `k8s_audit` event source — Kubernetes audit events (`audit.k8s.io/v1`)
//! evaluated by Saker's rules engine.
//!
//! - [`AuditEvent`] implements the engine's `Event` over one audit Event: every `ka.*` field
//!   of the Falco k8saudit plugin, `jevt.*`/`json.*` of the json plugin, and `evt.time`
//!   (from `stageTimestamp`).
//! - [`default_k8s_audit_rules`]: Saker's own k8s audit rules (Falco's rule names).
//! - [`AuditPipeline`]: engine + alert sink; [`AuditPipeline::handler`] plugs into
//!   saker-server's `POST /k8s-audit`.
//! - [`replay_file`]: a file of audit events (JSON lines, EventList, array) through an engine,
//!   for `saker run -e audit.json`.
//!
//! ```
//! use saker_engine::{Engine, EngineOptions};
//! use saker_k8saudit::{AuditEvent, load_default_k8s_audit_rules};
//!
//! let (ruleset, diagnostics) = load_default_k8s_audit_rules();
//! assert!(diagnostics.iter().all(|d| !d.is_error()));
//! let engine = Engine::new(&ruleset, EngineOptions::default()).unwrap();
//!
//! let event = AuditEvent::parse(r#"{
//!     "kind": "Event", "apiVersion": "audit.k8s.io/v1", "auditID": "1",
//!     "stage": "ResponseComplete", "verb": "create",
//!     "user": {"username": "mallory"},
//!     "objectRef": {"resource": "namespaces", "name": "crypto-miner"},
//!     "responseStatus": {"code": 201},
//!     "stageTimestamp": "2026-11-28T10:00:00.000000Z"
//! }"#).unwrap();
//! let alerts = engine.process(&event);
//! assert_eq!(alerts[0].rule, "Create Disallowed Namespace");
//! assert_eq!(
//!     alerts[0].output,
//!     "Disallowed namespace created (user=mallory verb=create ns=crypto-miner resource=namespaces resp=201)"
//! );
//! ```

mod default_rules;
mod error;
mod event;
mod pipeline;
mod replay;
mod time;

pub use default_rules::{
    DEFAULT_K8S_AUDIT_RULES_FILE_NAME, default_k8s_audit_rules, default_k8s_audit_rules_file,
    load_default_k8s_audit_rules,
};
pub use error::K8sAuditError;
pub use event::{AuditEvent, image_repository};
pub use pipeline::{AlertSink, AuditPipeline, PipelineStats};
pub use replay::{ReplaySummary, audit_events, read_audit_file, replay_file};
pub use time::parse_rfc3339_ns;
