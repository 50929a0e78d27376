//! Saker's own alerts (source `internal`), shaped like Falco's: the syscall event drop alert
//! with its token bucket, and the hot-reload failure alert.

use std::collections::BTreeMap;
use std::time::Instant;

use saker_event::{Alert, Priority};
use serde_json::Value;

/// Falco's rule name for the drop alert.
pub const SYSCALL_EVENT_DROP_RULE: &str = "Falco internal: syscall event drop";
/// Falco's rule name for a failed reload.
pub const HOT_RESTART_FAILURE_RULE: &str = "Falco internal: hot restart failure";
/// Falco's rule name for the periodic metrics snapshot (`metrics.output_rule`).
pub const METRICS_SNAPSHOT_RULE: &str = "Falco internal: metrics snapshot";

/// Decides when dropped kernel events deserve action (`syscall_event_drops`): the drop ratio
/// over an interval is above `threshold`, and the token bucket (`rate` per second, `max_burst`)
/// has a token, so a sustained drop storm raises one alert per 30 s by default, not one per
/// second.
#[derive(Debug, Clone)]
pub struct DropWatch {
    threshold: f64,
    rate: f64,
    max_burst: f64,
    tokens: f64,
    last: Option<Instant>,
}

/// One interval's counters, when they crossed the threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct DropReport {
    pub n_evts: u64,
    pub n_drops: u64,
    /// Drops because a ring buffer was full, part of `n_drops`.
    pub n_drops_buffer: u64,
    pub ratio: f64,
}

impl DropWatch {
    pub fn new(threshold: f64, rate: f64, max_burst: u32) -> Self {
        DropWatch {
            threshold,
            rate,
            max_burst: f64::from(max_burst.max(1)),
            tokens: f64::from(max_burst.max(1)),
            last: None,
        }
    }

    /// Feeds one interval's deltas (events seen and dropped, typically each second); returns
    /// a report when the configured actions should run now.
    pub fn check(
        &mut self,
        n_evts: u64,
        n_drops: u64,
        n_drops_buffer: u64,
        now: Instant,
    ) -> Option<DropReport> {
        if let Some(last) = self.last {
            let elapsed = now.saturating_duration_since(last).as_secs_f64();
            self.tokens = (self.tokens + elapsed * self.rate).min(self.max_burst);
        }
        self.last = Some(now);
        let total = n_evts + n_drops;
        if n_drops == 0 || total == 0 {
            return None;
        }
        let ratio = n_drops as f64 / total as f64;
        if ratio <= self.threshold || self.tokens < 1.0 {
            return None;
        }
        self.tokens -= 1.0;
        Some(DropReport {
            n_evts,
            n_drops,
            n_drops_buffer,
            ratio,
        })
    }
}

/// Falco's drop alert: Debug priority, counters as strings in `output_fields`.
pub fn syscall_event_drop_alert(report: &DropReport, hostname: &str, time_ns: u64) -> Alert {
    let mut fields = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        fields.insert(k.to_string(), Value::String(v));
    };
    put("n_evts", report.n_evts.to_string());
    put("n_drops", report.n_drops.to_string());
    put("n_drops_buffer_total", report.n_drops_buffer.to_string());
    put("n_drops_pct", format!("{:.6}", report.ratio * 100.0));
    put("ebpf_enabled", "1".to_string());
    Alert {
        time_ns,
        rule: SYSCALL_EVENT_DROP_RULE.to_string(),
        priority: Priority::Debug,
        source: "internal".to_string(),
        output: format!(
            "{SYSCALL_EVENT_DROP_RULE}. {} system calls dropped in last second.",
            report.n_drops
        ),
        output_fields: fields,
        tags: Vec::new(),
        hostname: hostname.to_string(),
    }
}

/// Raised when a SIGHUP reload fails and the old configuration and rules stay in force.
pub fn hot_restart_failure_alert(reason: &str, hostname: &str, time_ns: u64) -> Alert {
    let mut fields = BTreeMap::new();
    fields.insert("reason".to_string(), Value::String(reason.to_string()));
    Alert {
        time_ns,
        rule: HOT_RESTART_FAILURE_RULE.to_string(),
        priority: Priority::Critical,
        source: "internal".to_string(),
        output: format!(
            "{HOT_RESTART_FAILURE_RULE}: the previous configuration and rules stay in force: {reason}"
        ),
        output_fields: fields,
        tags: Vec::new(),
        hostname: hostname.to_string(),
    }
}

/// Falco's metrics snapshot alert: Informational, the counters in `output_fields`.
pub fn metrics_snapshot_alert(
    fields: BTreeMap<String, Value>,
    hostname: &str,
    time_ns: u64,
) -> Alert {
    Alert {
        time_ns,
        rule: METRICS_SNAPSHOT_RULE.to_string(),
        priority: Priority::Informational,
        source: "internal".to_string(),
        output: "Falco metrics snapshot".to_string(),
        output_fields: fields,
        tags: Vec::new(),
        hostname: hostname.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn drop_watch_applies_threshold_and_token_bucket() {
        let start = Instant::now();
        let mut watch = DropWatch::new(0.1, 0.5, 1);
        // (seconds since start, events, drops, expect a report)
        let steps = [
            (0, 1000, 0, false),   // no drops
            (1, 1000, 100, false), // 9.1%: below 10%
            (2, 1000, 200, true),  // 16.7%: the burst token
            (3, 1000, 500, false), // bucket empty (0.5 token/s)
            (4, 1000, 500, true),  // refilled after 2 s
            (5, 0, 10, false),     // 100% but no token yet
        ];
        for (secs, evts, drops, expect) in steps {
            let got = watch.check(evts, drops, drops, start + Duration::from_secs(secs));
            assert_eq!(got.is_some(), expect, "t={secs}: {got:?}");
        }
    }

    #[test]
    fn drop_alert_has_falcos_shape() {
        let report = DropReport {
            n_evts: 900,
            n_drops: 100,
            n_drops_buffer: 100,
            ratio: 0.1,
        };
        let alert = syscall_event_drop_alert(&report, "h", 5);
        assert_eq!(alert.rule, "Falco internal: syscall event drop");
        assert_eq!(alert.source, "internal");
        assert_eq!(alert.priority, Priority::Debug);
        assert_eq!(
            alert.output,
            "Falco internal: syscall event drop. 100 system calls dropped in last second."
        );
        assert_eq!(alert.output_fields["n_drops"], Value::String("100".into()));
        assert!(alert.output_fields.values().all(Value::is_string));
        let failure = hot_restart_failure_alert("rules.yaml:3: bad condition", "h", 5);
        assert_eq!(failure.priority, Priority::Critical);
        assert!(failure.output.ends_with("rules.yaml:3: bad condition"));
    }
}
