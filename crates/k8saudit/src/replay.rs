//! Reading audit events from a file: `saker run -e audit.json`.
//!
//! Accepted: JSON lines of Events (the API server's log backend, `--audit-log-path`), an
//! `EventList` (what the webhook receives, e.g. saved with `kubectl proxy` tooling), a JSON
//! array of Events, or any concatenation of these, pretty-printed or not.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use saker_engine::Engine;
use saker_event::Alert;
use serde_json::Value as Json;

use crate::{AuditEvent, K8sAuditError};

/// What a replay went through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReplaySummary {
    /// Audit events evaluated.
    pub events: u64,
    /// Objects skipped because they were not valid audit events (logged).
    pub skipped: u64,
    /// Alerts raised (by [`replay_file`]).
    pub alerts: u64,
}

/// Replays the audit events of the file at `path` through `engine` (its `k8s_audit` rules),
/// calling `on_alert` for each alert: what `saker run -e audit.json` does.
pub fn replay_file(
    path: &Path,
    engine: &Engine,
    mut on_alert: impl FnMut(Alert),
) -> Result<ReplaySummary, K8sAuditError> {
    let mut alerts = 0u64;
    let mut num = 0u64;
    let mut summary = read_audit_file(path, |event| {
        num += 1;
        let event = event.with_num(num);
        alerts += engine.evaluate(&event, |rule| on_alert(engine.alert(rule, &event))) as u64;
    })?;
    summary.alerts = alerts;
    Ok(summary)
}

/// Calls `on_event` for each audit event of the file at `path`, in file order. Invalid JSON
/// stops the replay with `path:line` of the problem; an object that is JSON but not an audit
/// event (no timestamp) is skipped with a warning, as the webhook does.
pub fn read_audit_file(
    path: &Path,
    mut on_event: impl FnMut(AuditEvent),
) -> Result<ReplaySummary, K8sAuditError> {
    let file = File::open(path).map_err(|source| K8sAuditError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut summary = ReplaySummary::default();
    let stream = serde_json::Deserializer::from_reader(BufReader::new(file)).into_iter::<Json>();
    for value in stream {
        let value = value.map_err(|e| {
            if e.is_io() {
                K8sAuditError::Read {
                    path: path.to_path_buf(),
                    source: std::io::Error::other(e.to_string()),
                }
            } else {
                K8sAuditError::Replay {
                    path: path.to_path_buf(),
                    line: e.line(),
                    message: format!("invalid JSON: {e}"),
                }
            }
        })?;
        let events = audit_events(value).map_err(|message| K8sAuditError::Replay {
            path: path.to_path_buf(),
            line: 0,
            message,
        })?;
        for json in events {
            match AuditEvent::from_json(json) {
                Ok(event) => {
                    summary.events += 1;
                    on_event(event);
                }
                Err(e) => {
                    summary.skipped += 1;
                    tracing::warn!(path = %path.display(), error = %e, "audit event skipped");
                }
            }
        }
    }
    Ok(summary)
}

/// The Event objects of one top-level JSON value: an Event, an EventList, or an array.
pub fn audit_events(value: Json) -> Result<Vec<Json>, String> {
    match value {
        Json::Array(items) => {
            let mut events = Vec::with_capacity(items.len());
            for item in items {
                events.extend(audit_events(item)?);
            }
            Ok(events)
        }
        Json::Object(mut object) => match object.get("kind").and_then(Json::as_str) {
            Some("EventList") => match object.remove("items") {
                Some(Json::Array(items)) => Ok(items),
                Some(Json::Null) | None => Ok(Vec::new()),
                Some(_) => Err("EventList `items` is not an array".to_string()),
            },
            // Log files written by other tools sometimes drop `kind`; an object is an event.
            Some("Event") | None => Ok(vec![Json::Object(object)]),
            Some(other) => Err(format!("kind `{other}` is neither Event nor EventList")),
        },
        other => Err(format!(
            "expected an audit Event, EventList or array, found `{}`",
            truncate(&other.to_string(), 40)
        )),
    }
}

fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}
