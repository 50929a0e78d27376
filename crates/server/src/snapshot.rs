//! Falco's periodic metrics snapshot (`metrics.enabled`): the registry's counters as
//! `output_fields` with Falco's names, for the "Falco internal: metrics snapshot" alert and
//! for `metrics.output_file` (`{"sample": N, "output_fields": {...}}` per line).

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::Metrics;

/// Which groups of counters a snapshot holds (Falco's `metrics.*_enabled` switches).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotOptions {
    pub rules_counters: bool,
    pub resource_utilization: bool,
    pub state_counters: bool,
    pub kernel_event_counters: bool,
    pub kernel_event_counters_per_cpu: bool,
    /// Memory in MB (`*_mb`) instead of kB (`*_kb`).
    pub convert_memory_to_mb: bool,
    /// Also per-rule counters that are 0.
    pub include_empty_values: bool,
    /// `evt.source`/`scap.engine_name` of the snapshot (`syscall`, `ebpf`...).
    pub engine_name: String,
    pub hostname: String,
}

/// Takes successive snapshots of one registry; rates are per second since the last one.
pub struct Snapshotter {
    options: SnapshotOptions,
    started_ns: u64,
    samples: u64,
    last: Option<Previous>,
}

struct Previous {
    at: Instant,
    events: u64,
    drops: u64,
    cpu_seconds: f64,
}

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// Falco's `sanitize_rule_name`: a rule name as a metric name suffix.
pub fn sanitize_rule_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let keep = c.is_ascii_alphanumeric() || c == '_' || c == ':';
        if keep {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    if out.ends_with('_') {
        out.pop();
    }
    out
}

impl Snapshotter {
    pub fn new(options: SnapshotOptions) -> Self {
        Snapshotter {
            options,
            started_ns: now_ns(),
            samples: 0,
            last: None,
        }
    }

    /// The next snapshot: its sample number (from 1) and its fields.
    pub fn sample(&mut self, metrics: &Metrics) -> (u64, BTreeMap<String, Value>) {
        self.samples += 1;
        let now = now_ns();
        let options = &self.options;
        let mut fields = BTreeMap::new();
        let mut put = |key: &str, value: Value| {
            fields.insert(key.to_string(), value);
        };
        put("evt.time", json!(now));
        put("evt.hostname", json!(options.hostname));
        put("evt.source", json!("syscall"));
        put("scap.engine_name", json!(options.engine_name));
        put("falco.version", json!(metrics.version));
        put("falco.start_ts", json!(self.started_ns));
        put(
            "falco.duration_sec",
            json!(now.saturating_sub(self.started_ns) / 1_000_000_000),
        );
        put(
            "falco.reload_ts",
            json!(metrics.reload_timestamp_ns.load(Ordering::Relaxed)),
        );
        put("falco.host_num_cpus", json!(metrics.per_cpu().len()));
        if let Some(release) = read_trimmed("/proc/sys/kernel/osrelease") {
            put("falco.kernel_release", json!(release));
        }
        if let Some(boot) = boot_time_ns() {
            put("falco.host_boot_ts", json!(boot));
        }
        let outputs = metrics.output_snapshot();
        put(
            "falco.outputs_queue_num_drops",
            json!(outputs.as_ref().map_or(0, |o| o.queue_drops)),
        );
        let (events, drops) = metrics.event_totals();
        let (cpu_seconds, rss) = crate::metrics::process_usage();
        let elapsed = self
            .last
            .as_ref()
            .map(|p| p.at.elapsed().as_secs_f64())
            .filter(|s| *s > 0.0);
        put("falco.num_evts", json!(events));
        put(
            "falco.num_evts_prev",
            json!(self.last.as_ref().map_or(0, |p| p.events)),
        );
        if let (Some(secs), Some(prev)) = (elapsed, &self.last) {
            let rate = (events.saturating_sub(prev.events)) as f64 / secs;
            put("falco.evts_rate_sec", json!((rate * 10.0).round() / 10.0));
        }
        if options.rules_counters {
            let by_rule = metrics.alerts_by_rule();
            put(
                "falco.rules.matches_total",
                json!(by_rule.values().sum::<u64>()),
            );
            for (rule, count) in by_rule {
                if count > 0 || options.include_empty_values {
                    put(
                        &format!("falco.rules.{}", sanitize_rule_name(&rule)),
                        json!(count),
                    );
                }
            }
        }
        if options.resource_utilization {
            let cpu = match (&self.last, elapsed) {
                (Some(prev), Some(secs)) => (cpu_seconds - prev.cpu_seconds) / secs * 100.0,
                _ => 0.0,
            };
            put("falco.cpu_usage_perc", json!((cpu * 10.0).round() / 10.0));
            let kb = rss / 1024;
            if options.convert_memory_to_mb {
                put(
                    "falco.memory_rss_mb",
                    json!(((kb as f64) / 1024.0 * 10.0).round() / 10.0),
                );
            } else {
                put("falco.memory_rss_kb", json!(kb));
            }
            if let Some(fds) = open_fds() {
                put("falco.open_fds", json!(fds));
            }
        }
        if options.state_counters {
            put(
                "falco.n_threads",
                json!(metrics.thread_table_size.load(Ordering::Relaxed)),
            );
        }
        if options.kernel_event_counters {
            put("scap.n_evts", json!(events));
            put("scap.n_drops", json!(drops));
            put("scap.n_drops_buffer_total", json!(drops));
            let prev = self.last.as_ref();
            let (prev_events, prev_drops) = prev.map_or((0, 0), |p| (p.events, p.drops));
            put("scap.n_evts_prev", json!(prev_events));
            put("scap.n_drops_prev", json!(prev_drops));
            let delta_events = events.saturating_sub(prev_events);
            let delta_drops = drops.saturating_sub(prev_drops);
            let perc = if delta_events + delta_drops > 0 {
                100.0 * delta_drops as f64 / (delta_events + delta_drops) as f64
            } else {
                0.0
            };
            put("scap.n_drops_perc", json!(perc));
            if let Some(secs) = elapsed {
                put("scap.evts_rate_sec", json!(delta_events as f64 / secs));
                put("scap.evts_drop_rate_sec", json!(delta_drops as f64 / secs));
            }
        }
        if options.kernel_event_counters_per_cpu {
            for (cpu, (captured, dropped)) in metrics.per_cpu().into_iter().enumerate() {
                if captured + dropped > 0 || options.include_empty_values {
                    put(&format!("scap.n_evts_cpu_{cpu}"), json!(captured));
                    put(&format!("scap.n_drops_cpu_{cpu}"), json!(dropped));
                }
            }
        }
        self.last = Some(Previous {
            at: Instant::now(),
            events,
            drops,
            cpu_seconds,
        });
        (self.samples, fields)
    }
}

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
}

/// The host's boot time (`btime` of /proc/stat), in ns since the epoch.
fn boot_time_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let secs: u64 = stat
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    Some(secs * 1_000_000_000)
}

fn open_fds() -> Option<usize> {
    Some(std::fs::read_dir("/proc/self/fd").ok()?.count())
}

#[cfg(test)]
mod tests {
    use saker_event::{Alert, Priority};

    use super::*;

    fn options() -> SnapshotOptions {
        SnapshotOptions {
            rules_counters: true,
            resource_utilization: true,
            state_counters: true,
            kernel_event_counters: true,
            kernel_event_counters_per_cpu: false,
            convert_memory_to_mb: true,
            include_empty_values: false,
            engine_name: "ebpf".into(),
            hostname: "node-1".into(),
        }
    }

    #[test]
    fn snapshots_carry_falcos_fields_as_switched() {
        let metrics = Metrics::new("1.2.3", 2);
        metrics.set_cpu_totals(0, 900, 10);
        metrics.set_cpu_totals(1, 100, 0);
        metrics.set_thread_table_size(42);
        let alert = Alert {
            time_ns: 0,
            rule: "Terminal shell in container".into(),
            priority: Priority::Notice,
            source: "syscall".into(),
            output: String::new(),
            output_fields: BTreeMap::new(),
            tags: vec![],
            hostname: "h".into(),
        };
        metrics.record_alert(&alert);
        let mut snapshotter = Snapshotter::new(options());
        let (sample, fields) = snapshotter.sample(&metrics);
        assert_eq!(sample, 1);
        for (key, value) in [
            ("falco.version", json!("1.2.3")),
            ("evt.hostname", json!("node-1")),
            ("scap.engine_name", json!("ebpf")),
            ("falco.num_evts", json!(1000)),
            ("scap.n_evts", json!(1000)),
            ("scap.n_drops", json!(10)),
            ("falco.n_threads", json!(42)),
            ("falco.rules.matches_total", json!(1)),
            ("falco.rules.Terminal_shell_in_container", json!(1)),
        ] {
            assert_eq!(fields.get(key), Some(&value), "{key}: {fields:?}");
        }
        assert!(fields.contains_key("falco.memory_rss_mb"), "{fields:?}");
        assert!(!fields.contains_key("scap.n_evts_cpu_0"));
        // The second one has rates and the previous counters.
        metrics.set_cpu_totals(0, 1900, 10);
        let (sample, fields) = snapshotter.sample(&metrics);
        assert_eq!(sample, 2);
        assert_eq!(fields["scap.n_evts_prev"], json!(1000));
        assert!(fields.contains_key("scap.evts_rate_sec"));
        // Switched off groups are left out; memory in kB when not converted.
        let mut narrow = Snapshotter::new(SnapshotOptions {
            rules_counters: false,
            kernel_event_counters: false,
            convert_memory_to_mb: false,
            kernel_event_counters_per_cpu: true,
            ..options()
        });
        let (_, fields) = narrow.sample(&metrics);
        assert!(!fields.contains_key("falco.rules.matches_total"));
        assert!(!fields.contains_key("scap.n_drops"));
        assert!(fields.contains_key("falco.memory_rss_kb"));
        assert_eq!(fields["scap.n_evts_cpu_0"], json!(1900));
    }

    #[test]
    fn rule_names_are_sanitized_as_falco_does() {
        // (rule name, Falco's falco::utils::sanitize_rule_name)
        let cases = [
            ("Terminal shell in container", "Terminal_shell_in_container"),
            (
                "Read sensitive file untrusted",
                "Read_sensitive_file_untrusted",
            ),
            (
                "Falco internal: syscall event drop",
                "Falco_internal:_syscall_event_drop",
            ),
            ("a -- b!", "a_b"),
        ];
        for (name, expected) in cases {
            assert_eq!(sanitize_rule_name(name), expected);
        }
    }
}
