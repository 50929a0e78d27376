//! The record of every action: an alert of its own (source `response`) that goes to every
//! output channel, the console and /metrics like any other.

use std::collections::BTreeMap;
use std::time::Duration;

use saker_event::escape::escape;
use saker_event::{Alert, Priority};
use serde_json::json;

use crate::target::{Target, short};

/// The rule name of every action record.
pub const RECORD_RULE: &str = "Saker response";
/// The rule name of the alert that says actions are being cut off.
pub const STORM_RULE: &str = "Saker response rate limit";
/// The source of both.
pub const SOURCE: &str = "response";

/// How an action ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Ok,
    Failed,
    /// `dry_run`: would have been done.
    DryRun,
    /// A safety rule said no.
    Refused,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Failed => "failed",
            Status::DryRun => "dry_run",
            Status::Refused => "refused",
        }
    }
}

/// Where the action was decided and taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    Kernel,
    User,
}

impl Place {
    pub fn as_str(self) -> &'static str {
        match self {
            Place::Kernel => "kernel",
            Place::User => "user",
        }
    }
}

/// One action taken (or not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub action: &'static str,
    pub status: Status,
    pub place: Place,
    /// What was done or why not, for a person.
    pub detail: String,
    /// From the event to the action (kills).
    pub latency: Option<Duration>,
}

/// The alert that records `outcome` for an alert of `rule` (`priority`) about `target`.
pub fn record(
    rule: &str,
    priority: Priority,
    target: Option<&Target>,
    outcome: &Outcome,
    hostname: &str,
    time_ns: u64,
) -> Alert {
    let mut output = format!(
        "Response {} to rule \"{}\": {}",
        outcome.action,
        escape(rule),
        outcome.status.as_str()
    );
    if !outcome.detail.is_empty() {
        output.push_str(&format!(", {}", outcome.detail));
    }
    let mut fields: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    let mut parts = Vec::new();
    if let Some(target) = target {
        parts.push(format!("target={}", target.describe()));
        fields.insert("proc.pid".into(), json!(target.pid));
        fields.insert("proc.name".into(), json!(target.name));
        fields.insert(
            "container.id".into(),
            json!(target.container_id.as_deref().map_or("host", short)),
        );
        fields.insert(
            "container.name".into(),
            json!(target.container_name.as_deref()),
        );
        fields.insert("response.target".into(), json!(target.describe()));
    }
    if let Some(latency) = outcome.latency {
        parts.push(format!("latency={}", latency_text(latency)));
        fields.insert(
            "response.latency_us".into(),
            json!(latency.as_micros() as u64),
        );
    }
    parts.push(format!("place={}", outcome.place.as_str()));
    output.push_str(&format!(" ({})", parts.join(" ")));
    fields.insert("response.action".into(), json!(outcome.action));
    fields.insert("response.result".into(), json!(outcome.status.as_str()));
    fields.insert("response.detail".into(), json!(outcome.detail));
    fields.insert("response.place".into(), json!(outcome.place.as_str()));
    fields.insert("response.rule".into(), json!(rule));
    Alert {
        time_ns,
        rule: RECORD_RULE.to_string(),
        priority: match outcome.status {
            // A failure is worth at least an error's attention.
            Status::Failed if !priority.at_least(Priority::Error) => Priority::Error,
            _ => priority,
        },
        source: SOURCE.to_string(),
        output,
        output_fields: fields,
        tags: vec!["response".to_string(), outcome.action.to_string()],
        hostname: hostname.to_string(),
    }
}

/// `35us`, `1.2ms`, `48ms`.
pub fn latency_text(latency: Duration) -> String {
    let us = latency.as_micros();
    if us < 1000 {
        format!("{us}us")
    } else if us < 10_000 {
        format!("{:.1}ms", us as f64 / 1000.0)
    } else {
        format!("{}ms", us / 1000)
    }
}

/// The one alert that says a limit was reached and actions are being skipped.
pub fn storm(scope: &str, limit: u32, interval: Duration, hostname: &str, time_ns: u64) -> Alert {
    let output = format!(
        "Response actions cut off: more than {limit} actions {scope} within {}s; further actions are skipped until the interval ends (each is counted in saker_response_skipped_total)",
        interval.as_secs()
    );
    Alert {
        time_ns,
        rule: STORM_RULE.to_string(),
        priority: Priority::Critical,
        source: SOURCE.to_string(),
        output,
        output_fields: BTreeMap::from([
            ("response.limit".to_string(), json!(limit)),
            ("response.scope".to_string(), json!(scope)),
            ("response.interval_s".to_string(), json!(interval.as_secs())),
        ]),
        tags: vec!["response".to_string()],
        hostname: hostname.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_says_what_was_done_to_whom_and_how_fast() {
        let target = Target {
            pid: 4242,
            name: "apt-get".into(),
            container_id: Some("0123456789abcdef".repeat(4)),
            container_name: Some("web".into()),
            ..Target::default()
        };
        let alert = record(
            "Launch Package Management Process in Container",
            Priority::Error,
            Some(&target),
            &Outcome {
                action: "kill_process",
                status: Status::Ok,
                place: Place::Kernel,
                detail: "SIGKILL at execve, before the program ran".into(),
                latency: Some(Duration::from_micros(12)),
            },
            "node-1",
            7,
        );
        assert_eq!(
            alert.output,
            "Response kill_process to rule \"Launch Package Management Process in Container\": ok, SIGKILL at execve, before the program ran (target=pid 4242 (apt-get) in container 0123456789ab (web) latency=12us place=kernel)"
        );
        assert_eq!(alert.source, "response");
        assert_eq!(alert.rule, RECORD_RULE);
        assert_eq!(alert.output_fields["response.result"], "ok");
        assert_eq!(alert.output_fields["response.latency_us"], 12);
        assert_eq!(alert.output_fields["container.id"], "0123456789ab");
        let failed = record(
            "R",
            Priority::Notice,
            None,
            &Outcome {
                action: "webhook",
                status: Status::Failed,
                place: Place::User,
                detail: "HTTP 503".into(),
                latency: None,
            },
            "node-1",
            7,
        );
        assert_eq!(failed.priority, Priority::Error);
        assert_eq!(
            failed.output,
            "Response webhook to rule \"R\": failed, HTTP 503 (place=user)"
        );
    }

    #[test]
    fn latencies_read_well() {
        assert_eq!(latency_text(Duration::from_micros(35)), "35us");
        assert_eq!(latency_text(Duration::from_micros(1234)), "1.2ms");
        assert_eq!(latency_text(Duration::from_millis(48)), "48ms");
    }
}
