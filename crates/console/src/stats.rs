//! `/api/stats`: what `/metrics` knows, shaped for the overview, plus the history's counts.

use std::collections::{BTreeMap, VecDeque};

use saker_event::Priority;
use serde_json::{Value, json};

use crate::exposition::{self, Sample};
use crate::{Shared, lock, read, unix_now_ns};

/// The running totals the events-per-second series is made of.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub(crate) struct Totals {
    /// Kernel events captured plus Kubernetes audit events accepted.
    pub events: f64,
    pub dropped: f64,
}

impl Totals {
    pub fn from_exposition(text: &str) -> Totals {
        Totals::from_samples(&exposition::parse(text))
    }

    fn from_samples(samples: &[Sample]) -> Totals {
        let sum = |name: &str| -> f64 {
            samples
                .iter()
                .filter(|s| s.name == name)
                .map(|s| s.value)
                .sum()
        };
        Totals {
            events: sum("saker_events_captured_total") + sum("saker_k8s_audit_events_total"),
            dropped: sum("saker_events_dropped_total"),
        }
    }
}

/// Samples kept for the events-per-second chart: an hour at the sampling interval.
const RATE_SAMPLES: usize = 721;

/// The totals sampled every few seconds, newest last.
#[derive(Debug, Default)]
pub(crate) struct EventRate {
    samples: VecDeque<(u64, Totals)>,
}

impl EventRate {
    pub fn record(&mut self, unix_s: u64, totals: &Totals) {
        // A restart of the counters (not expected) would show as a negative rate: start over.
        if self
            .samples
            .back()
            .is_some_and(|(_, last)| last.events > totals.events)
        {
            self.samples.clear();
        }
        if self.samples.len() == RATE_SAMPLES {
            self.samples.pop_front();
        }
        self.samples.push_back((unix_s, *totals));
    }

    /// `[unix seconds, events/s, drops/s]` between consecutive samples.
    pub fn series(&self) -> Vec<[f64; 3]> {
        self.samples
            .iter()
            .zip(self.samples.iter().skip(1))
            .filter(|((t0, _), (t1, _))| t1 > t0)
            .map(|((t0, a), (t1, b))| {
                let seconds = (t1 - t0) as f64;
                [
                    *t1 as f64,
                    (b.events - a.events) / seconds,
                    (b.dropped - a.dropped) / seconds,
                ]
            })
            .collect()
    }
}

/// The overview's chart windows: (name, bucket minutes, buckets).
const WINDOWS: [(&str, u64, u64); 3] = [("1h", 1, 60), ("6h", 5, 72), ("24h", 15, 96)];

/// Entries in each top list.
const TOP: usize = 10;

/// Parses `window=1h|6h|24h` (the only parameter of `/api/stats`).
pub(crate) fn parse_window(query: &str) -> Result<&'static str, String> {
    let mut window = "1h";
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match &*key {
            "window" => {
                window = WINDOWS
                    .iter()
                    .find(|(name, _, _)| *name == value)
                    .map(|(name, _, _)| *name)
                    .ok_or_else(|| format!("window: `{value}` is not 1h, 6h or 24h"))?
            }
            other => return Err(format!("unknown parameter `{other}`")),
        }
    }
    Ok(window)
}

pub(crate) fn render(shared: &Shared, window: &str) -> Value {
    let samples = exposition::parse(&shared.metrics.render());
    let values = |name: &'static str| named(&samples, name);
    let single = |name: &'static str| count(values(name).map(|s| s.value).sum::<f64>());
    let per_cpu = |name: &'static str| -> Vec<Value> {
        let mut by_cpu: Vec<(u64, f64)> = values(name)
            .filter_map(|s| Some((s.label("cpu")?.parse().ok()?, s.value)))
            .collect();
        by_cpu.sort_by_key(|(cpu, _)| *cpu);
        by_cpu.into_iter().map(|(_, v)| count(v)).collect()
    };
    let now_ns = unix_now_ns();
    let (window, bucket_minutes, buckets) = WINDOWS
        .iter()
        .copied()
        .find(|(name, _, _)| *name == window)
        .unwrap_or(WINDOWS[0]);

    let history = lock(&shared.history);
    let timeline = history.timeline(now_ns, bucket_minutes, buckets);
    let mut series = serde_json::Map::new();
    for priority in Priority::ALL {
        let counts: Vec<u64> = timeline.iter().map(|c| c[priority as usize]).collect();
        series.insert(priority.falco_name().to_string(), json!(counts));
    }
    let top = |tally: &crate::history::Tally| -> Value {
        tally
            .top(TOP)
            .into_iter()
            .map(|(name, count)| json!({ "name": name, "count": count }))
            .collect()
    };
    let top_containers: Value = history
        .by_container
        .top(TOP)
        .into_iter()
        .map(|(key, count)| json!({ "id": key, "name": history.container_name(key), "count": count }))
        .collect();
    let history_json = json!({
        "size": history.len(),
        "capacity": history.capacity(),
        "first_id": history.first_id(),
        "last_id": history.last_id(),
        "by_priority": Priority::ALL
            .iter()
            .map(|p| (p.falco_name().to_string(), json!(history.by_priority[*p as usize])))
            .collect::<serde_json::Map<_, _>>(),
        "dropped": shared.feed_drops.load(std::sync::atomic::Ordering::Relaxed),
        "database": shared.database.as_ref().map(|db| json!({
            "path": db.path.display().to_string(),
            "write_errors": db.errors.load(std::sync::atomic::Ordering::Relaxed),
        })),
    });
    let top_rules = top(&history.by_rule);
    let top_programs = top(&history.by_program);
    drop(history);

    let rate = lock(&shared.events).series();
    let channels: Vec<Value> = channel_table(&samples);
    let alerts_by_priority: BTreeMap<String, f64> =
        values("saker_alerts_total").fold(BTreeMap::new(), |mut map, s| {
            if let Some(p) = s.label("priority") {
                *map.entry(p.to_string()).or_default() += s.value;
            }
            map
        });
    let alerts_by_priority: BTreeMap<String, Value> = alerts_by_priority
        .into_iter()
        .map(|(p, n)| (p, count(n)))
        .collect();
    json!({
        "instance": shared.instance,
        "version": values("saker_version_info").find_map(|s| s.label("version")).unwrap_or_default(),
        "started_ns": shared.started_unix_ns,
        "uptime_seconds": shared.started.elapsed().as_secs(),
        "rules_loaded": single("saker_rules_loaded"),
        "events": {
            "total": count(named(&samples, "saker_events_captured_total").chain(named(&samples, "saker_k8s_audit_events_total")).map(|s| s.value).sum()),
            "per_second": rate.last().map_or(0.0, |r| r[1]),
            "series": rate,
        },
        "captured_per_cpu": per_cpu("saker_events_captured_total"),
        "dropped_per_cpu": per_cpu("saker_events_dropped_total"),
        "alerts": {
            "total": single("saker_alerts_total"),
            "by_priority": alerts_by_priority,
        },
        "timeline": {
            "window": window,
            "bucket_seconds": bucket_minutes * 60,
            "end_ns": (now_ns / (bucket_minutes * 60_000_000_000) + 1) * bucket_minutes * 60_000_000_000,
            "series": series,
        },
        "top_rules": top_rules,
        "top_containers": top_containers,
        "top_programs": top_programs,
        "history": history_json,
        "outputs": {
            "queue_depth": single("saker_outputs_queue_depth"),
            "queue_capacity": single("saker_outputs_queue_capacity"),
            "queue_drops": single("saker_outputs_queue_drops_total"),
            "channels": channels,
        },
        "k8s_audit": {
            "events": single("saker_k8s_audit_events_total"),
            "rejected": single("saker_k8s_audit_rejected_total"),
        },
        "responses": responses(&samples),
        "ring_buffer": {
            "size_bytes": single("saker_ring_buffer_bytes"),
            "used_bytes": single("saker_ring_buffer_used_bytes"),
        },
        "thread_table_size": single("saker_thread_table_size"),
        "process": {
            "cpu_seconds": single("saker_process_cpu_seconds_total"),
            "resident_bytes": single("saker_process_resident_memory_bytes"),
        },
        "rules_catalog_loaded_ns": read(&shared.catalog).loaded_ns(),
    })
}

/// What the responder did (`saker_response_*`), by result; `null` when responses are off.
fn responses(samples: &[Sample]) -> Value {
    let mut by_result: BTreeMap<String, Value> = ["ok", "failed", "refused", "dry_run"]
        .into_iter()
        .map(|result| (result.to_string(), json!(0)))
        .collect();
    let mut seen = false;
    let mut totals: BTreeMap<&str, f64> = BTreeMap::new();
    for sample in named(samples, "saker_response_actions_total") {
        seen = true;
        if let Some(result) = sample.label("result") {
            *totals.entry(result).or_default() += sample.value;
        }
    }
    for (result, n) in totals {
        by_result.insert(result.to_string(), count(n));
    }
    let skipped: Vec<f64> = named(samples, "saker_response_skipped_total")
        .map(|s| s.value)
        .collect();
    if !seen && skipped.is_empty() {
        return Value::Null;
    }
    let mut value = json!(by_result);
    value["skipped"] = count(skipped.iter().sum());
    value
}

/// A sample value as JSON: counters as integers (a sum of none is 0, not -0.0).
fn count(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 9e15 {
        json!(value as i64)
    } else {
        json!(value)
    }
}

/// The samples of one family.
fn named<'a>(samples: &'a [Sample], name: &'a str) -> impl Iterator<Item = &'a Sample> + 'a {
    samples.iter().filter(move |s| s.name == name)
}

/// One row per output channel from the `saker_output_channel_*` families.
fn channel_table(samples: &[Sample]) -> Vec<Value> {
    let mut channels: BTreeMap<&str, serde_json::Map<String, Value>> = BTreeMap::new();
    for sample in samples {
        let Some(column) = sample.name.strip_prefix("saker_output_channel_") else {
            continue;
        };
        let Some(channel) = sample.label("channel") else {
            continue;
        };
        let column = column.strip_suffix("_total").unwrap_or(column);
        channels
            .entry(channel)
            .or_default()
            .insert(column.to_string(), count(sample.value));
    }
    channels
        .into_iter()
        .map(|(name, mut row)| {
            row.insert("name".to_string(), json!(name));
            Value::Object(row)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_series_from_totals() {
        let mut rate = EventRate::default();
        rate.record(
            100,
            &Totals {
                events: 0.0,
                dropped: 0.0,
            },
        );
        rate.record(
            105,
            &Totals {
                events: 50.0,
                dropped: 5.0,
            },
        );
        rate.record(
            110,
            &Totals {
                events: 150.0,
                dropped: 5.0,
            },
        );
        assert_eq!(rate.series(), vec![[105.0, 10.0, 1.0], [110.0, 20.0, 0.0]]);
        // Counters that went backwards start a new series.
        rate.record(
            115,
            &Totals {
                events: 1.0,
                dropped: 0.0,
            },
        );
        assert!(rate.series().is_empty());
    }

    #[test]
    fn channels_from_their_families() {
        let text = "saker_output_channel_delivered_total{channel=\"stdout\"} 4\n\
                    saker_output_channel_failures_total{channel=\"stdout\"} 1\n\
                    saker_output_channel_failures_total{channel=\"http\"} 2\n\
                    saker_output_channel_queue_depth{channel=\"http\"} 3\n";
        let table = channel_table(&exposition::parse(text));
        assert_eq!(
            table,
            vec![
                json!({"name": "http", "failures": 2, "queue_depth": 3}),
                json!({"name": "stdout", "delivered": 4, "failures": 1}),
            ]
        );
    }

    #[test]
    fn windows() {
        assert_eq!(parse_window(""), Ok("1h"));
        assert_eq!(parse_window("window=24h"), Ok("24h"));
        assert_eq!(
            parse_window("window=2h"),
            Err("window: `2h` is not 1h, 6h or 24h".to_string())
        );
        assert_eq!(
            parse_window("x=1"),
            Err("unknown parameter `x`".to_string())
        );
    }
}
