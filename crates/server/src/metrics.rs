//! The metrics registry the daemon updates and `GET /metrics` renders (Prometheus text
//! format 0.0.4). Hot counters are atomics; labelled families sit behind a mutex and are
//! meant to be updated in batches (per poll of the ring buffers, per alert).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use saker_event::{Alert, Priority};
use saker_output::{ChannelSnapshot, OutputSnapshot, OutputStats};

#[derive(Debug, Default)]
struct CpuCounters {
    captured: AtomicU64,
    dropped: AtomicU64,
}

/// Metric families kept by another part of Saker (the responder's), rendered after the
/// registry's own.
pub trait Exposition: Send + Sync + std::fmt::Debug {
    /// Appends the families in Prometheus text format 0.0.4.
    fn render(&self, out: &mut String);
}

/// Everything `GET /metrics` reports.
#[derive(Debug)]
pub struct Metrics {
    pub(crate) version: String,
    cpus: Vec<CpuCounters>,
    /// Set by a capture that cannot tell events apart by CPU ([`Metrics::set_events_captured`]).
    captured_total: AtomicU64,
    /// True once captured events were counted per CPU.
    captured_per_cpu: AtomicBool,
    events_by_type: Mutex<BTreeMap<String, u64>>,
    alerts: Mutex<BTreeMap<(String, Priority, String), u64>>,
    rules_loaded: AtomicU64,
    evaluation_ns: AtomicU64,
    evaluations: AtomicU64,
    pub(crate) thread_table_size: AtomicU64,
    ring_buffer_bytes: AtomicU64,
    ring_buffer_used_bytes: AtomicU64,
    /// `None` (u64::MAX) until a capture with an open filter reports.
    opens_left_out: AtomicU64,
    k8s_audit_events: AtomicU64,
    k8s_audit_rejected: AtomicU64,
    pub(crate) reload_timestamp_ns: AtomicU64,
    outputs: Mutex<Option<Arc<OutputStats>>>,
    extra: Mutex<Vec<Arc<dyn Exposition>>>,
    /// Saker's own log lines dropped, per destination, counted by the log writer.
    log_lines_dropped: Mutex<Vec<(&'static str, &'static AtomicU64)>>,
    pub(crate) web: WebCounters,
}

/// The web server's connections, updated by the server itself.
#[derive(Debug, Default)]
pub(crate) struct WebCounters {
    pub open: AtomicU64,
    pub accepted: AtomicU64,
    /// Refused at `max_connections` (no connection idle to make room).
    pub refused: AtomicU64,
    /// Idle connections closed to make room for a new one at `max_connections`.
    pub evicted: AtomicU64,
    /// Closed because headers (or the TLS handshake) did not arrive in time.
    pub header_timeouts: AtomicU64,
    /// Requests whose body did not arrive in time (408).
    pub body_timeouts: AtomicU64,
    /// Connections closed because the client stopped reading an answer.
    pub write_timeouts: AtomicU64,
    /// Requests refused because the body memory budget was spent (503).
    pub busy: AtomicU64,
}

impl WebCounters {
    pub fn add(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

impl Metrics {
    /// A registry with one pair of capture counters per CPU.
    pub fn new(version: impl Into<String>, cpus: usize) -> Self {
        Metrics {
            version: version.into(),
            cpus: (0..cpus).map(|_| CpuCounters::default()).collect(),
            captured_total: AtomicU64::new(0),
            captured_per_cpu: AtomicBool::new(false),
            events_by_type: Mutex::new(BTreeMap::new()),
            alerts: Mutex::new(BTreeMap::new()),
            rules_loaded: AtomicU64::new(0),
            evaluation_ns: AtomicU64::new(0),
            evaluations: AtomicU64::new(0),
            thread_table_size: AtomicU64::new(0),
            ring_buffer_bytes: AtomicU64::new(0),
            ring_buffer_used_bytes: AtomicU64::new(0),
            opens_left_out: AtomicU64::new(u64::MAX),
            k8s_audit_events: AtomicU64::new(0),
            k8s_audit_rejected: AtomicU64::new(0),
            reload_timestamp_ns: AtomicU64::new(0),
            outputs: Mutex::new(None),
            extra: Mutex::new(Vec::new()),
            log_lines_dropped: Mutex::new(Vec::new()),
            web: WebCounters::default(),
        }
    }

    /// Renders `families` with the registry's own from now on.
    pub fn add_exposition(&self, families: Arc<dyn Exposition>) {
        lock(&self.extra).push(families);
    }

    /// Sets one CPU's running totals (ring-buffer counters are read as totals).
    pub fn set_cpu_totals(&self, cpu: usize, captured: u64, dropped: u64) {
        self.captured_per_cpu.store(true, Ordering::Relaxed);
        if let Some(c) = self.cpus.get(cpu) {
            c.captured.store(captured, Ordering::Relaxed);
            c.dropped.store(dropped, Ordering::Relaxed);
        }
    }

    /// Sets the captured total of a capture whose records do not say which CPU they came
    /// from; rendered as one sample without a `cpu` label.
    pub fn set_events_captured(&self, total: u64) {
        self.captured_total.store(total, Ordering::Relaxed);
    }

    /// Sets one CPU's dropped total, for a capture that counts drops per CPU but not events.
    pub fn set_cpu_dropped(&self, cpu: usize, dropped: u64) {
        if let Some(c) = self.cpus.get(cpu) {
            c.dropped.store(dropped, Ordering::Relaxed);
        }
    }

    /// Adds to one CPU's counters (backends that count event by event).
    pub fn add_cpu_events(&self, cpu: usize, captured: u64, dropped: u64) {
        self.captured_per_cpu.store(true, Ordering::Relaxed);
        if let Some(c) = self.cpus.get(cpu) {
            c.captured.fetch_add(captured, Ordering::Relaxed);
            c.dropped.fetch_add(dropped, Ordering::Relaxed);
        }
    }

    /// Adds a batch of per-type counts, e.g. gathered over one poll.
    pub fn add_events_by_type<'a>(&self, counts: impl IntoIterator<Item = (&'a str, u64)>) {
        let mut map = lock(&self.events_by_type);
        for (event_type, n) in counts {
            match map.get_mut(event_type) {
                Some(total) => *total += n,
                None => {
                    map.insert(event_type.to_string(), n);
                }
            }
        }
    }

    pub fn record_alert(&self, alert: &Alert) {
        let key = (alert.rule.clone(), alert.priority, alert.source.clone());
        *lock(&self.alerts).entry(key).or_insert(0) += 1;
    }

    pub fn set_rules_loaded(&self, n: u64) {
        self.rules_loaded.store(n, Ordering::Relaxed);
    }

    /// Time spent evaluating rules on `events` events.
    pub fn add_evaluation(&self, spent: Duration, events: u64) {
        self.evaluation_ns
            .fetch_add(spent.as_nanos() as u64, Ordering::Relaxed);
        self.evaluations.fetch_add(events, Ordering::Relaxed);
    }

    pub fn set_thread_table_size(&self, n: u64) {
        self.thread_table_size.store(n, Ordering::Relaxed);
    }

    /// The capture ring buffer's size and the most it held at one read over the last period.
    pub fn set_ring_buffer_use(&self, size_bytes: u64, peak_used_bytes: u64) {
        self.ring_buffer_bytes.store(size_bytes, Ordering::Relaxed);
        self.ring_buffer_used_bytes
            .store(peak_used_bytes, Ordering::Relaxed);
    }

    /// Opens no rule needs, and their closes, that the kernel left out since the start.
    pub fn set_opens_left_out(&self, n: u64) {
        self.opens_left_out.store(n, Ordering::Relaxed);
    }

    pub fn set_reload_timestamp_ns(&self, ns: u64) {
        self.reload_timestamp_ns.store(ns, Ordering::Relaxed);
    }

    /// The log writer's count of log lines `destination` (stderr, syslog) lost, reported as
    /// `saker_log_lines_dropped_total{destination}`.
    pub fn count_log_lines_dropped(&self, destination: &'static str, counter: &'static AtomicU64) {
        let mut counters = lock(&self.log_lines_dropped);
        if !counters.iter().any(|(d, _)| *d == destination) {
            counters.push((destination, counter));
        }
    }

    /// The output stage whose queue and channels are reported.
    pub fn set_output_stats(&self, stats: Arc<OutputStats>) {
        *lock(&self.outputs) = Some(stats);
    }

    pub(crate) fn output_snapshot(&self) -> Option<OutputSnapshot> {
        lock(&self.outputs).as_ref().map(|stats| stats.snapshot())
    }

    /// Kernel events captured and dropped, over all CPUs.
    pub(crate) fn event_totals(&self) -> (u64, u64) {
        let per_cpu = self.per_cpu();
        let dropped = per_cpu.iter().map(|(_, d)| d).sum();
        let captured = if self.captured_per_cpu.load(Ordering::Relaxed) {
            per_cpu.iter().map(|(c, _)| c).sum()
        } else {
            self.captured_total.load(Ordering::Relaxed)
        };
        (captured, dropped)
    }

    /// (captured, dropped) per CPU.
    pub(crate) fn per_cpu(&self) -> Vec<(u64, u64)> {
        self.cpus
            .iter()
            .map(|c| {
                (
                    c.captured.load(Ordering::Relaxed),
                    c.dropped.load(Ordering::Relaxed),
                )
            })
            .collect()
    }

    /// Alerts raised per rule (all priorities and sources).
    pub(crate) fn alerts_by_rule(&self) -> BTreeMap<String, u64> {
        let mut by_rule = BTreeMap::new();
        for ((rule, _, _), n) in lock(&self.alerts).iter() {
            *by_rule.entry(rule.clone()).or_insert(0) += n;
        }
        by_rule
    }

    pub(crate) fn count_k8s_audit(&self, accepted: u64, rejected: u64) {
        self.k8s_audit_events.fetch_add(accepted, Ordering::Relaxed);
        self.k8s_audit_rejected
            .fetch_add(rejected, Ordering::Relaxed);
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(4096);
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        family(&mut out, "saker_version_info", "gauge", "Saker version.");
        sample(
            &mut out,
            "saker_version_info",
            &[("version", &self.version)],
            1,
        );

        family(
            &mut out,
            "saker_events_captured_total",
            "counter",
            "Kernel events captured (per CPU when the capture tells them apart).",
        );
        if self.captured_per_cpu.load(Ordering::Relaxed) {
            for (cpu, c) in self.cpus.iter().enumerate() {
                sample(
                    &mut out,
                    "saker_events_captured_total",
                    &[("cpu", &cpu.to_string())],
                    load(&c.captured),
                );
            }
        } else {
            sample(
                &mut out,
                "saker_events_captured_total",
                &[],
                load(&self.captured_total),
            );
        }
        family(
            &mut out,
            "saker_events_dropped_total",
            "counter",
            "Kernel events dropped (ring buffer full), per CPU.",
        );
        for (cpu, c) in self.cpus.iter().enumerate() {
            sample(
                &mut out,
                "saker_events_dropped_total",
                &[("cpu", &cpu.to_string())],
                load(&c.dropped),
            );
        }
        family(
            &mut out,
            "saker_events_by_type_total",
            "counter",
            "Events processed, by event type.",
        );
        for (event_type, n) in lock(&self.events_by_type).iter() {
            sample(
                &mut out,
                "saker_events_by_type_total",
                &[("type", event_type)],
                *n,
            );
        }
        family(
            &mut out,
            "saker_alerts_total",
            "counter",
            "Alerts raised, by rule, priority and source.",
        );
        for ((rule, priority, source), n) in lock(&self.alerts).iter() {
            let priority = priority.falco_name().to_ascii_lowercase();
            sample(
                &mut out,
                "saker_alerts_total",
                &[("rule", rule), ("priority", &priority), ("source", source)],
                *n,
            );
        }
        family(
            &mut out,
            "saker_rules_loaded",
            "gauge",
            "Rules loaded and enabled.",
        );
        sample(
            &mut out,
            "saker_rules_loaded",
            &[],
            load(&self.rules_loaded),
        );
        family(
            &mut out,
            "saker_rule_evaluation_seconds_total",
            "counter",
            "Time spent evaluating rules.",
        );
        sample_f64(
            &mut out,
            "saker_rule_evaluation_seconds_total",
            &[],
            load(&self.evaluation_ns) as f64 / 1e9,
        );
        family(
            &mut out,
            "saker_rule_evaluations_total",
            "counter",
            "Events evaluated against the rules.",
        );
        sample(
            &mut out,
            "saker_rule_evaluations_total",
            &[],
            load(&self.evaluations),
        );
        let ring_size = load(&self.ring_buffer_bytes);
        if ring_size > 0 {
            family(
                &mut out,
                "saker_ring_buffer_bytes",
                "gauge",
                "Size of the capture's ring buffer.",
            );
            sample(&mut out, "saker_ring_buffer_bytes", &[], ring_size);
            family(
                &mut out,
                "saker_ring_buffer_used_bytes",
                "gauge",
                "Most bytes waiting in the capture's ring buffer at one read, over the last second.",
            );
            sample(
                &mut out,
                "saker_ring_buffer_used_bytes",
                &[],
                load(&self.ring_buffer_used_bytes),
            );
        }
        let left_out = load(&self.opens_left_out);
        if left_out != u64::MAX {
            family(
                &mut out,
                "saker_opens_left_out_total",
                "counter",
                "Opens no loaded rule needs, and their closes, that the kernel left out.",
            );
            sample(&mut out, "saker_opens_left_out_total", &[], left_out);
        }
        family(
            &mut out,
            "saker_thread_table_size",
            "gauge",
            "Threads in the state table.",
        );
        sample(
            &mut out,
            "saker_thread_table_size",
            &[],
            load(&self.thread_table_size),
        );
        let log_lines_dropped = lock(&self.log_lines_dropped).clone();
        if !log_lines_dropped.is_empty() {
            family(
                &mut out,
                "saker_log_lines_dropped_total",
                "counter",
                "Saker's own log lines dropped, by destination: its writer fell behind (a stalled stderr reader) or the syslog socket failed.",
            );
            for (destination, counter) in log_lines_dropped {
                sample(
                    &mut out,
                    "saker_log_lines_dropped_total",
                    &[("destination", destination)],
                    load(counter),
                );
            }
        }
        family(
            &mut out,
            "saker_k8s_audit_events_total",
            "counter",
            "Kubernetes audit events accepted by POST.",
        );
        sample(
            &mut out,
            "saker_k8s_audit_events_total",
            &[],
            load(&self.k8s_audit_events),
        );
        family(
            &mut out,
            "saker_k8s_audit_rejected_total",
            "counter",
            "Kubernetes audit POSTs rejected (bad JSON, too large, handler refused).",
        );
        sample(
            &mut out,
            "saker_k8s_audit_rejected_total",
            &[],
            load(&self.k8s_audit_rejected),
        );
        family(
            &mut out,
            "saker_reload_timestamp_nanoseconds",
            "gauge",
            "Time of the last configuration/rules reload.",
        );
        sample(
            &mut out,
            "saker_reload_timestamp_nanoseconds",
            &[],
            load(&self.reload_timestamp_ns),
        );

        if let Some(stats) = lock(&self.outputs).as_ref() {
            render_outputs(&mut out, &stats.snapshot());
        }
        render_webserver(&mut out, &self.web);

        let (cpu_seconds, rss) = process_usage();
        family(
            &mut out,
            "saker_process_cpu_seconds_total",
            "counter",
            "User and system CPU time of the Saker process.",
        );
        sample_f64(
            &mut out,
            "saker_process_cpu_seconds_total",
            &[],
            cpu_seconds,
        );
        family(
            &mut out,
            "saker_process_resident_memory_bytes",
            "gauge",
            "Resident set size of the Saker process.",
        );
        sample(&mut out, "saker_process_resident_memory_bytes", &[], rss);
        for families in lock(&self.extra).iter() {
            families.render(&mut out);
        }
        out
    }
}

/// The output stage: Falco's queue-drop counter, then what became of the alerts of each
/// channel (raised = delivered + dropped + in flight).
fn render_outputs(out: &mut String, snap: &OutputSnapshot) {
    family(
        out,
        "saker_outputs_queue_capacity",
        "gauge",
        "Alerts each output channel's queue holds.",
    );
    sample(
        out,
        "saker_outputs_queue_capacity",
        &[],
        snap.capacity as u64,
    );
    family(
        out,
        "saker_outputs_queue_drops_total",
        "counter",
        "Alerts that some channel's full queue dropped.",
    );
    sample(
        out,
        "saker_outputs_queue_drops_total",
        &[],
        snap.queue_drops,
    );
    /// (name, type, help, the channel's value)
    type Family = (
        &'static str,
        &'static str,
        &'static str,
        fn(&ChannelSnapshot) -> u64,
    );
    let per_channel: [Family; 4] = [
        (
            "saker_output_channel_raised_total",
            "counter",
            "Alerts handed to a channel.",
            |c| c.raised,
        ),
        (
            "saker_output_channel_delivered_total",
            "counter",
            "Alerts a channel delivered to its receiver.",
            |c| c.delivered,
        ),
        (
            "saker_output_channel_retried_total",
            "counter",
            "Extra attempts a channel made (resends, reconnects, restarted programs).",
            |c| c.retried,
        ),
        (
            "saker_output_channel_in_flight",
            "gauge",
            "Alerts queued for a channel or held by it, not yet delivered or dropped.",
            |c| c.in_flight,
        ),
    ];
    for (name, kind, help, value) in per_channel {
        family(out, name, kind, help);
        for c in &snap.channels {
            sample(out, name, &[("channel", &c.name)], value(c));
        }
    }
    family(
        out,
        "saker_output_channel_dropped_total",
        "counter",
        "Alerts a channel dropped, by reason: queue_full, failed (its receiver refused or timed out after retries), shutdown.",
    );
    for c in &snap.channels {
        for (reason, n) in c.dropped.by_reason() {
            sample(
                out,
                "saker_output_channel_dropped_total",
                &[("channel", &c.name), ("reason", reason)],
                n,
            );
        }
    }
}

fn render_webserver(out: &mut String, web: &WebCounters) {
    let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
    family(
        out,
        "saker_webserver_connections_open",
        "gauge",
        "Connections open to the web server now.",
    );
    sample(
        out,
        "saker_webserver_connections_open",
        &[],
        load(&web.open),
    );
    family(
        out,
        "saker_webserver_connections_total",
        "counter",
        "Connections accepted; refused at webserver.max_connections; idle ones closed to make room.",
    );
    for (result, value) in [
        ("accepted", &web.accepted),
        ("refused", &web.refused),
        ("evicted", &web.evicted),
    ] {
        sample(
            out,
            "saker_webserver_connections_total",
            &[("result", result)],
            load(value),
        );
    }
    family(
        out,
        "saker_webserver_timeouts_total",
        "counter",
        "Connections closed for headers that did not arrive in time, requests answered 408 for a body that did not, connections closed for an answer the client did not read in time.",
    );
    for (phase, value) in [
        ("header", &web.header_timeouts),
        ("body", &web.body_timeouts),
        ("write", &web.write_timeouts),
    ] {
        sample(
            out,
            "saker_webserver_timeouts_total",
            &[("phase", phase)],
            load(value),
        );
    }
    family(
        out,
        "saker_webserver_busy_total",
        "counter",
        "Requests refused (503) because request bodies in flight used up webserver.body_memory_bytes.",
    );
    sample(out, "saker_webserver_busy_total", &[], load(&web.busy));
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere must not take the metrics down with it.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

fn labels(out: &mut String, labels: &[(&str, &str)]) {
    if labels.is_empty() {
        return;
    }
    out.push('{');
    for (i, (name, value)) in labels.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(name);
        out.push_str("=\"");
        for c in value.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '\n' => out.push_str("\\n"),
                c => out.push(c),
            }
        }
        out.push('"');
    }
    out.push('}');
}

fn sample(out: &mut String, name: &str, label_pairs: &[(&str, &str)], value: u64) {
    out.push_str(name);
    labels(out, label_pairs);
    let _ = writeln!(out, " {value}");
}

fn sample_f64(out: &mut String, name: &str, label_pairs: &[(&str, &str)], value: f64) {
    out.push_str(name);
    labels(out, label_pairs);
    let _ = writeln!(out, " {value}");
}

/// (CPU seconds, resident bytes) of this process.
pub(crate) fn process_usage() -> (f64, u64) {
    // SAFETY: getrusage fills the zeroed struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let cpu = tv(usage.ru_utime) + tv(usage.ru_stime);
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(1) as u64;
    let rss_pages = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|v| v.parse::<u64>().ok())
        })
        .unwrap_or(0);
    (cpu, rss_pages * page)
}
