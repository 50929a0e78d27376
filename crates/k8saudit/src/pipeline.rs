//! [`AuditPipeline`]: audit events in (from the webhook or a file), alerts out.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use saker_engine::Engine;
use saker_event::Alert;
use saker_server::AuditHandler;
use serde_json::Value as Json;

use crate::{AuditEvent, K8sAuditError};

/// Where alerts go: the daemon passes the output queue's submit (which never blocks).
pub type AlertSink = Arc<dyn Fn(Alert) + Send + Sync>;

/// Counters of an [`AuditPipeline`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PipelineStats {
    /// Events evaluated against the rules.
    pub events: u64,
    /// Alerts handed to the sink.
    pub alerts: u64,
    /// Events dropped because they were not valid audit events (no parsable time).
    pub rejected: u64,
}

/// Evaluates audit events with an engine and hands alerts to a sink. Shared by the webhook
/// (through [`AuditPipeline::handler`]) and by replay; the engine can be swapped on reload.
pub struct AuditPipeline {
    engine: RwLock<Arc<Engine>>,
    sink: AlertSink,
    events: AtomicU64,
    alerts: AtomicU64,
    rejected: AtomicU64,
}

impl AuditPipeline {
    pub fn new(engine: Arc<Engine>, sink: impl Fn(Alert) + Send + Sync + 'static) -> AuditPipeline {
        AuditPipeline {
            engine: RwLock::new(engine),
            sink: Arc::new(sink),
            events: AtomicU64::new(0),
            alerts: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
        }
    }

    /// Uses `engine` for the events that follow (SIGHUP reload).
    pub fn replace_engine(&self, engine: Arc<Engine>) {
        match self.engine.write() {
            Ok(mut current) => *current = engine,
            Err(poisoned) => *poisoned.into_inner() = engine,
        }
    }

    pub fn engine(&self) -> Arc<Engine> {
        match self.engine.read() {
            Ok(engine) => Arc::clone(&engine),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Evaluates one event (numbering it for `evt.num`); returns the number of alerts.
    pub fn process(&self, event: AuditEvent) -> usize {
        let engine = self.engine();
        let event = event.with_num(self.events.fetch_add(1, Ordering::Relaxed) + 1);
        let matches = engine.evaluate(&event, |rule| (self.sink)(engine.alert(rule, &event)));
        self.alerts.fetch_add(matches as u64, Ordering::Relaxed);
        matches
    }

    /// Evaluates one audit Event object; an object that is not a valid audit event is
    /// counted as rejected and returned as an error.
    pub fn process_json(&self, json: Json) -> Result<usize, K8sAuditError> {
        match AuditEvent::from_json(json) {
            Ok(event) => Ok(self.process(event)),
            Err(e) => {
                self.rejected.fetch_add(1, Ordering::Relaxed);
                Err(e)
            }
        }
    }

    /// The `POST /k8s-audit` handler for saker-server. An event that is not valid (no
    /// parsable timestamp) is logged and dropped, as Falco's k8saudit plugin does: failing
    /// the request would make the API server resend the whole batch forever.
    pub fn handler(self: &Arc<Self>) -> AuditHandler {
        let pipeline = Arc::clone(self);
        Arc::new(move |json| {
            if let Err(e) = pipeline.process_json(json) {
                tracing::warn!(error = %e, "k8s audit event dropped");
            }
            Ok(())
        })
    }

    pub fn stats(&self) -> PipelineStats {
        PipelineStats {
            events: self.events.load(Ordering::Relaxed),
            alerts: self.alerts.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
        }
    }
}
