//! The alert history: a ring of the newest alerts, each encoded once for the API and the live
//! stream, with the counts the overview draws kept up to date as alerts come and go.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::ops::Range;
use std::sync::Arc;

use hyper::body::Bytes;
use saker_event::{Alert, Priority};
use serde::Serialize;

use crate::query::AlertFilter;

/// One alert as the console keeps it: the fields the filters read, and its JSON inside the
/// server-sent event that carries it (so neither is encoded twice).
#[derive(Debug)]
pub(crate) struct StoredAlert {
    pub id: u64,
    pub time_ns: u64,
    /// When the console took it in (the overview's timeline; event times can be old).
    pub received_ns: u64,
    pub priority: Priority,
    pub rule: Arc<str>,
    pub source: Arc<str>,
    pub tags: Arc<[String]>,
    pub container_id: Option<Box<str>>,
    pub container_name: Option<Box<str>>,
    pub program: Option<Box<str>>,
    pub output: Box<str>,
    /// `id: N\nevent: alert\ndata: {json}\n\n`.
    frame: Bytes,
    json: Range<usize>,
}

impl StoredAlert {
    /// The alert's JSON object (docs/http-api.md).
    pub fn json(&self) -> Bytes {
        self.frame.slice(self.json.clone())
    }

    /// The server-sent event carrying it.
    pub fn frame(&self) -> &Bytes {
        &self.frame
    }

    /// The key the top-containers count uses: the id, else the name.
    fn container_key(&self) -> Option<&str> {
        self.container_id
            .as_deref()
            .or(self.container_name.as_deref())
    }
}

/// The JSON of one alert: Falco's alert properties plus the console's id and the time in
/// nanoseconds.
#[derive(Serialize)]
struct AlertJson<'a> {
    id: u64,
    time: &'a str,
    time_ns: u64,
    priority: Priority,
    rule: &'a str,
    source: &'a str,
    output: &'a str,
    output_fields: &'a BTreeMap<String, serde_json::Value>,
    tags: &'a [String],
    hostname: &'a str,
}

/// An alert read back from the database, with the id and time it had.
#[derive(Debug)]
pub(crate) struct RestoredAlert {
    pub id: u64,
    pub received_ns: u64,
    pub alert: Alert,
}

/// Distinct rule names, sources and tag lists beyond which the interner starts over (they
/// come from the rules, so this bounds memory against a pathological ruleset only).
const INTERNED_MAX: usize = 4096;

#[derive(Default)]
struct Interner {
    names: HashMap<Box<str>, Arc<str>>,
    tags: HashMap<Vec<String>, Arc<[String]>>,
}

impl Interner {
    fn name(&mut self, name: &str) -> Arc<str> {
        if let Some(found) = self.names.get(name) {
            return Arc::clone(found);
        }
        if self.names.len() >= INTERNED_MAX {
            self.names.clear();
        }
        let interned: Arc<str> = Arc::from(name);
        self.names.insert(Box::from(name), Arc::clone(&interned));
        interned
    }

    fn tags(&mut self, tags: Vec<String>) -> Arc<[String]> {
        if let Some(found) = self.tags.get(&tags) {
            return Arc::clone(found);
        }
        if self.tags.len() >= INTERNED_MAX {
            self.tags.clear();
        }
        let interned: Arc<[String]> = Arc::from(tags.clone());
        self.tags.insert(tags, Arc::clone(&interned));
        interned
    }
}

/// A count per key over the alerts in the history.
#[derive(Default)]
pub(crate) struct Tally {
    counts: HashMap<Box<str>, u64>,
}

impl Tally {
    fn add(&mut self, key: &str) {
        match self.counts.get_mut(key) {
            Some(n) => *n += 1,
            None => {
                self.counts.insert(Box::from(key), 1);
            }
        }
    }

    fn remove(&mut self, key: &str) {
        if let Some(n) = self.counts.get_mut(key) {
            *n -= 1;
            if *n == 0 {
                self.counts.remove(key);
            }
        }
    }

    pub fn get(&self, key: &str) -> u64 {
        self.counts.get(key).copied().unwrap_or(0)
    }

    /// The `n` largest counts, largest first (ties by key).
    pub fn top(&self, n: usize) -> Vec<(&str, u64)> {
        let mut all: Vec<(&str, u64)> = self.counts.iter().map(|(k, v)| (&**k, *v)).collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        all.truncate(n);
        all
    }
}

/// Alerts per minute and priority over the last day, as the console received them.
#[derive(Default)]
struct Timeline {
    /// (minute since the epoch, count per priority), oldest first, at most one day.
    minutes: VecDeque<(u64, [u64; 8])>,
}

const TIMELINE_MINUTES: u64 = 24 * 60;

impl Timeline {
    fn add(&mut self, received_ns: u64, priority: Priority) {
        let minute = received_ns / 60_000_000_000;
        match self.minutes.back_mut() {
            Some((last, counts)) if *last == minute => counts[priority as usize] += 1,
            Some((last, _)) if *last > minute => {
                // Out of order (restored history, a clock step): find its minute if kept.
                if let Some((_, counts)) = self.minutes.iter_mut().find(|(m, _)| *m == minute) {
                    counts[priority as usize] += 1;
                }
            }
            _ => {
                let mut counts = [0; 8];
                counts[priority as usize] = 1;
                self.minutes.push_back((minute, counts));
            }
        }
        while self
            .minutes
            .front()
            .is_some_and(|(m, _)| *m + TIMELINE_MINUTES <= minute)
        {
            self.minutes.pop_front();
        }
    }

    /// `buckets` counts per priority of `bucket_minutes` each, ending with the bucket that
    /// holds `now_minute`.
    fn series(&self, now_minute: u64, bucket_minutes: u64, buckets: u64) -> Vec<[u64; 8]> {
        let mut series = vec![[0u64; 8]; buckets as usize];
        let last_bucket = now_minute / bucket_minutes;
        for (minute, counts) in &self.minutes {
            let bucket = minute / bucket_minutes;
            if bucket > last_bucket || last_bucket - bucket >= buckets {
                continue;
            }
            let slot = &mut series[(buckets - 1 - (last_bucket - bucket)) as usize];
            for (total, n) in slot.iter_mut().zip(counts) {
                *total += n;
            }
        }
        series
    }
}

/// The newest alerts, oldest first, with their ids contiguous.
pub(crate) struct History {
    capacity: usize,
    alerts: VecDeque<Arc<StoredAlert>>,
    next_id: u64,
    interner: Interner,
    pub by_rule: Tally,
    pub by_container: Tally,
    pub by_program: Tally,
    /// The latest name seen per container key, for the top list.
    container_names: HashMap<Box<str>, Box<str>>,
    pub by_priority: [u64; 8],
    timeline: Timeline,
}

impl History {
    pub fn new(capacity: usize) -> History {
        History {
            capacity,
            alerts: VecDeque::with_capacity(capacity.min(1 << 16)),
            next_id: 1,
            interner: Interner::default(),
            by_rule: Tally::default(),
            by_container: Tally::default(),
            by_program: Tally::default(),
            container_names: HashMap::new(),
            by_priority: [0; 8],
            timeline: Timeline::default(),
        }
    }

    /// Numbers and keeps a new alert, evicting the oldest when full.
    pub fn push(&mut self, alert: Alert, received_ns: u64) -> Arc<StoredAlert> {
        let id = self.next_id;
        self.insert(id, received_ns, alert)
    }

    /// Keeps an alert read back from the database (in id order).
    pub fn restore(&mut self, restored: RestoredAlert) {
        if restored.id < self.next_id {
            return;
        }
        self.insert(restored.id, restored.received_ns, restored.alert);
    }

    fn insert(&mut self, id: u64, received_ns: u64, alert: Alert) -> Arc<StoredAlert> {
        // Ids stay contiguous: a restored history with holes starts over at its newest id.
        if self.alerts.back().is_some_and(|last| last.id + 1 != id) {
            while let Some(old) = self.alerts.pop_front() {
                self.forget(&old);
            }
        }
        self.next_id = id + 1;
        let stored = Arc::new(self.encode(id, received_ns, alert));
        if self.alerts.len() == self.capacity
            && let Some(old) = self.alerts.pop_front()
        {
            self.forget(&old);
        }
        self.count(&stored);
        self.timeline.add(received_ns, stored.priority);
        self.alerts.push_back(Arc::clone(&stored));
        stored
    }

    fn encode(&mut self, id: u64, received_ns: u64, alert: Alert) -> StoredAlert {
        let mut time = Vec::with_capacity(32);
        saker_output::write_iso8601_utc(alert.time_ns, &mut time);
        let time = String::from_utf8(time).unwrap_or_default();
        let mut frame = format!("id: {id}\nevent: alert\ndata: ").into_bytes();
        let start = frame.len();
        let json = AlertJson {
            id,
            time: &time,
            time_ns: alert.time_ns,
            priority: alert.priority,
            rule: &alert.rule,
            source: &alert.source,
            output: &alert.output,
            output_fields: &alert.output_fields,
            tags: &alert.tags,
            hostname: &alert.hostname,
        };
        // Serializing plain strings and JSON values into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut frame, &json);
        let end = frame.len();
        frame.extend_from_slice(b"\n\n");
        let field = |name: &str| {
            alert.output_fields.get(name).and_then(|v| match v {
                serde_json::Value::Null => None,
                serde_json::Value::String(s) if s.is_empty() => None,
                serde_json::Value::String(s) => Some(Box::from(s.as_str())),
                other => Some(Box::from(other.to_string().as_str())),
            })
        };
        StoredAlert {
            id,
            time_ns: alert.time_ns,
            received_ns,
            priority: alert.priority,
            rule: self.interner.name(&alert.rule),
            source: self.interner.name(&alert.source),
            container_id: field("container.id"),
            container_name: field("container.name"),
            program: field("proc.name"),
            tags: self.interner.tags(alert.tags),
            output: alert.output.into_boxed_str(),
            frame: Bytes::from(frame),
            json: start..end,
        }
    }

    fn count(&mut self, alert: &StoredAlert) {
        self.by_rule.add(&alert.rule);
        if let Some(key) = alert.container_key() {
            self.by_container.add(key);
            if let Some(name) = &alert.container_name {
                self.container_names.insert(Box::from(key), name.clone());
            }
        }
        if let Some(program) = &alert.program {
            self.by_program.add(program);
        }
        self.by_priority[alert.priority as usize] += 1;
    }

    fn forget(&mut self, alert: &StoredAlert) {
        self.by_rule.remove(&alert.rule);
        if let Some(key) = alert.container_key() {
            self.by_container.remove(key);
            if self.by_container.get(key) == 0 {
                self.container_names.remove(key);
            }
        }
        if let Some(program) = &alert.program {
            self.by_program.remove(program);
        }
        self.by_priority[alert.priority as usize] -= 1;
    }

    pub fn len(&self) -> usize {
        self.alerts.len()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The newest id given out (0 before the first alert).
    pub fn last_id(&self) -> u64 {
        self.next_id - 1
    }

    /// The oldest id still kept.
    pub fn first_id(&self) -> Option<u64> {
        self.alerts.front().map(|a| a.id)
    }

    pub fn get(&self, id: u64) -> Option<&Arc<StoredAlert>> {
        let first = self.first_id()?;
        let index = usize::try_from(id.checked_sub(first)?).ok()?;
        self.alerts.get(index)
    }

    /// Up to `limit` alerts matching `filter`, newest first, and whether older ones match
    /// too.
    pub fn query(&self, filter: &AlertFilter, limit: usize) -> (Vec<Arc<StoredAlert>>, bool) {
        let mut found = Vec::new();
        for alert in self.newest_first(filter) {
            if found.len() == limit {
                return (found, true);
            }
            found.push(Arc::clone(alert));
        }
        (found, false)
    }

    /// Every alert after `since` matching `filter`, oldest first; `None` when there are
    /// more than `cap` (the page reloads instead of catching up).
    pub fn after(
        &self,
        since: u64,
        filter: &AlertFilter,
        cap: usize,
    ) -> Option<Vec<Arc<StoredAlert>>> {
        let mut found = Vec::new();
        for alert in self.alerts.iter().rev() {
            if alert.id <= since {
                break;
            }
            if filter.matches(alert) {
                if found.len() == cap {
                    return None;
                }
                found.push(Arc::clone(alert));
            }
        }
        found.reverse();
        Some(found)
    }

    fn newest_first<'a>(
        &'a self,
        filter: &'a AlertFilter,
    ) -> impl Iterator<Item = &'a Arc<StoredAlert>> + 'a {
        // `before` skips straight to its place: ids are contiguous.
        let end = match (filter.before_id, self.first_id()) {
            (Some(before), Some(first)) => {
                usize::try_from(before.saturating_sub(first)).map_or(0, |n| n.min(self.len()))
            }
            _ => self.len(),
        };
        let since = filter.since_id.unwrap_or(0);
        self.alerts
            .range(..end)
            .rev()
            .take_while(move |a| a.id > since)
            .filter(|a| filter.matches(a))
    }

    pub fn container_name(&self, key: &str) -> Option<&str> {
        self.container_names.get(key).map(|n| &**n)
    }

    /// Alerts per bucket and priority over the last `buckets * bucket_minutes` minutes.
    pub fn timeline(&self, now_ns: u64, bucket_minutes: u64, buckets: u64) -> Vec<[u64; 8]> {
        self.timeline
            .series(now_ns / 60_000_000_000, bucket_minutes, buckets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn alert(rule: &str, priority: Priority, container: Option<&str>) -> Alert {
        let mut output_fields = BTreeMap::new();
        output_fields.insert(
            "container.id".to_string(),
            container.map_or(serde_json::Value::Null, |c| c.into()),
        );
        output_fields.insert("proc.name".to_string(), "cat".into());
        Alert {
            time_ns: 1_700_000_000_000_000_000,
            rule: rule.to_string(),
            priority,
            source: "syscall".to_string(),
            output: format!("{rule} happened"),
            output_fields,
            tags: vec!["t".to_string()],
            hostname: "h".to_string(),
        }
    }

    #[test]
    fn ring_evicts_oldest_and_keeps_counts_of_what_it_holds() {
        let mut history = History::new(3);
        for (i, rule) in ["a", "b", "a", "c", "a"].iter().enumerate() {
            let container = if i % 2 == 0 { Some("abc123") } else { None };
            history.push(alert(rule, Priority::Warning, container), 0);
        }
        assert_eq!(history.len(), 3);
        assert_eq!(history.first_id(), Some(3));
        assert_eq!(history.last_id(), 5);
        assert_eq!(history.by_rule.top(10), vec![("a", 2), ("c", 1)]);
        assert_eq!(history.by_container.top(10), vec![("abc123", 2)]);
        assert_eq!(history.by_program.top(10), vec![("cat", 3)]);
        assert_eq!(history.by_priority[Priority::Warning as usize], 3);
        assert!(history.get(2).is_none());
        assert_eq!(history.get(4).unwrap().rule.as_ref(), "c");
    }

    #[test]
    fn the_json_is_the_alert_with_its_id() {
        let mut history = History::new(3);
        let stored = history.push(alert("r", Priority::Error, Some("abc")), 0);
        let value: serde_json::Value = serde_json::from_slice(&stored.json()).unwrap();
        assert_eq!(value["id"], 1);
        assert_eq!(value["rule"], "r");
        assert_eq!(value["priority"], "Error");
        assert_eq!(value["time"], "2023-11-14T22:13:20.000000000Z");
        assert_eq!(value["output_fields"]["container.id"], "abc");
        let frame = std::str::from_utf8(stored.frame()).unwrap();
        assert!(frame.starts_with("id: 1\nevent: alert\ndata: {"));
        assert!(frame.ends_with("}\n\n"));
        assert_eq!(frame.lines().count(), 4, "one data line: {frame:?}");
    }

    #[test]
    fn timeline_buckets_by_received_minute() {
        let mut history = History::new(10);
        let minute = 60_000_000_000u64;
        let now = 1000 * minute;
        history.push(alert("r", Priority::Error, None), now - 3 * minute);
        history.push(alert("r", Priority::Error, None), now - 2 * minute);
        history.push(alert("r", Priority::Notice, None), now);
        let series = history.timeline(now, 1, 4);
        assert_eq!(series.len(), 4);
        assert_eq!(series[0][Priority::Error as usize], 1);
        assert_eq!(series[1][Priority::Error as usize], 1);
        assert_eq!(series[3][Priority::Notice as usize], 1);
        let coarse = history.timeline(now, 5, 2);
        let total: u64 = coarse.iter().flatten().sum();
        assert_eq!(total, 3);
    }

    #[test]
    fn a_restored_history_with_holes_starts_over() {
        let mut history = History::new(10);
        for id in [3, 4, 9] {
            history.restore(RestoredAlert {
                id,
                received_ns: 0,
                alert: alert("r", Priority::Error, None),
            });
        }
        assert_eq!(history.first_id(), Some(9));
        assert_eq!(history.push(alert("r", Priority::Error, None), 0).id, 10);
        assert_eq!(history.len(), 2);
    }
}
