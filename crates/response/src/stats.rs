//! Counters of the responses for `GET /metrics` (Prometheus text format), and the rate limits.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::plan::RateSettings;
use crate::record::{Place, Status};

/// Upper bounds (seconds) of the latency histogram's buckets: 10 us to 10 s.
const LATENCY_BUCKETS: [f64; 7] = [0.00001, 0.0001, 0.001, 0.01, 0.1, 1.0, 10.0];

#[derive(Debug, Default)]
struct Histogram {
    buckets: [u64; LATENCY_BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// What the responder did, for /metrics.
#[derive(Debug, Default)]
pub struct ResponseStats {
    actions: Mutex<BTreeMap<(&'static str, Status, Place), u64>>,
    latency: Mutex<BTreeMap<(&'static str, Place), Histogram>>,
    skipped: AtomicU64,
    storms: AtomicU64,
    /// Alerts with responses that did not fit in the responder's queue.
    dropped: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl ResponseStats {
    pub fn count(
        &self,
        action: &'static str,
        status: Status,
        place: Place,
        latency: Option<Duration>,
    ) {
        *lock(&self.actions)
            .entry((action, status, place))
            .or_insert(0) += 1;
        if let Some(latency) = latency {
            let seconds = latency.as_secs_f64();
            let mut map = lock(&self.latency);
            let h = map.entry((action, place)).or_default();
            h.count += 1;
            h.sum += seconds;
            for (i, bound) in LATENCY_BUCKETS.iter().enumerate() {
                if seconds <= *bound {
                    h.buckets[i] += 1;
                }
            }
        }
    }

    pub fn count_skipped(&self) {
        self.skipped.fetch_add(1, Ordering::Relaxed);
    }

    pub fn count_storm(&self) {
        self.storms.fetch_add(1, Ordering::Relaxed);
    }

    pub fn count_dropped(&self) {
        self.dropped.fetch_add(1, Ordering::Relaxed);
    }

    /// How many actions ended with `status` (all actions and places).
    pub fn total(&self, status: Status) -> u64 {
        lock(&self.actions)
            .iter()
            .filter(|((_, s, _), _)| *s == status)
            .map(|(_, n)| n)
            .sum()
    }

    /// Appends the response families in Prometheus text format 0.0.4.
    pub fn render(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "# HELP saker_response_actions_total Response actions, by action, result (ok, failed, dry_run, refused) and where they were taken (kernel, user).\n# TYPE saker_response_actions_total counter"
        );
        for ((action, status, place), n) in lock(&self.actions).iter() {
            let _ = writeln!(
                out,
                "saker_response_actions_total{{action=\"{action}\",result=\"{}\",place=\"{}\"}} {n}",
                status.as_str(),
                place.as_str()
            );
        }
        let _ = writeln!(
            out,
            "# HELP saker_response_latency_seconds From the offending event to the action (kills).\n# TYPE saker_response_latency_seconds histogram"
        );
        for ((action, place), h) in lock(&self.latency).iter() {
            let labels = format!("action=\"{action}\",place=\"{}\"", place.as_str());
            for (bound, n) in LATENCY_BUCKETS.iter().zip(h.buckets) {
                let _ = writeln!(
                    out,
                    "saker_response_latency_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "saker_response_latency_seconds_bucket{{{labels},le=\"+Inf\"}} {}\nsaker_response_latency_seconds_sum{{{labels}}} {}\nsaker_response_latency_seconds_count{{{labels}}} {}",
                h.count, h.sum, h.count
            );
        }
        for (name, help, value) in [
            (
                "saker_response_skipped_total",
                "Actions skipped because a rate limit was reached.",
                &self.skipped,
            ),
            (
                "saker_response_rate_limited_total",
                "Times a rate limit started cutting actions off (one alert each).",
                &self.storms,
            ),
            (
                "saker_response_dropped_total",
                "Alerts whose responses were dropped because the responder's queue was full.",
                &self.dropped,
            ),
        ] {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                value.load(Ordering::Relaxed)
            );
        }
    }
}

/// Which limit said no.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Limited {
    Rule(String),
    Global,
}

/// Fixed windows of `interval`: at most `per_rule` actions per rule and `global` in all.
#[derive(Debug)]
pub struct Limiter {
    settings: RateSettings,
    window_start: Instant,
    global: u32,
    per_rule: HashMap<String, u32>,
    /// The limits already announced in this window (one alert each).
    announced: Vec<Limited>,
}

impl Limiter {
    pub fn new(settings: RateSettings, now: Instant) -> Limiter {
        Limiter {
            settings,
            window_start: now,
            global: 0,
            per_rule: HashMap::new(),
            announced: Vec::new(),
        }
    }

    pub fn settings(&self) -> RateSettings {
        self.settings
    }

    fn roll(&mut self, now: Instant) {
        if now.duration_since(self.window_start) >= self.settings.interval {
            self.window_start = now;
            self.global = 0;
            self.per_rule.clear();
            self.announced.clear();
        }
    }

    /// Notes that `limited` was reached (elsewhere: in the kernel); true the first time in
    /// this window.
    pub fn announce(&mut self, limited: &Limited, now: Instant) -> bool {
        self.roll(now);
        if self.announced.contains(limited) {
            return false;
        }
        self.announced.push(limited.clone());
        true
    }

    /// Counts one action of `rule`; `Err` with the limit reached and whether it is the first
    /// time in this window (then one alert says so).
    pub fn admit(&mut self, rule: &str, now: Instant) -> Result<(), (Limited, bool)> {
        self.roll(now);
        let used = self.per_rule.get(rule).copied().unwrap_or(0);
        let limited = if self.settings.global > 0 && self.global >= self.settings.global {
            Some(Limited::Global)
        } else if self.settings.per_rule > 0 && used >= self.settings.per_rule {
            Some(Limited::Rule(rule.to_string()))
        } else {
            None
        };
        if let Some(limited) = limited {
            let first = self.announce(&limited, now);
            return Err((limited, first));
        }
        self.global += 1;
        *self.per_rule.entry(rule.to_string()).or_insert(0) += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_rule_then_global_announced_once_per_window() {
        let start = Instant::now();
        let mut limiter = Limiter::new(
            RateSettings {
                per_rule: 2,
                global: 3,
                interval: Duration::from_secs(60),
            },
            start,
        );
        assert!(limiter.admit("a", start).is_ok());
        assert!(limiter.admit("a", start).is_ok());
        assert_eq!(
            limiter.admit("a", start),
            Err((Limited::Rule("a".into()), true))
        );
        assert_eq!(
            limiter.admit("a", start),
            Err((Limited::Rule("a".into()), false))
        );
        assert!(limiter.admit("b", start).is_ok());
        assert_eq!(limiter.admit("c", start), Err((Limited::Global, true)));
        assert_eq!(limiter.admit("b", start), Err((Limited::Global, false)));
        let later = start + Duration::from_secs(61);
        assert!(limiter.admit("a", later).is_ok());
        let mut unlimited = Limiter::new(
            RateSettings {
                per_rule: 0,
                global: 0,
                interval: Duration::from_secs(1),
            },
            start,
        );
        for _ in 0..1000 {
            assert!(unlimited.admit("a", start).is_ok());
        }
    }

    #[test]
    fn the_exposition_has_counts_and_latency_buckets() {
        let stats = ResponseStats::default();
        stats.count(
            "kill_process",
            Status::Ok,
            Place::Kernel,
            Some(Duration::from_micros(5)),
        );
        stats.count(
            "kill_process",
            Status::Ok,
            Place::User,
            Some(Duration::from_millis(20)),
        );
        stats.count("webhook", Status::Failed, Place::User, None);
        stats.count_skipped();
        let mut out = String::new();
        stats.render(&mut out);
        for line in [
            "saker_response_actions_total{action=\"kill_process\",result=\"ok\",place=\"kernel\"} 1",
            "saker_response_actions_total{action=\"webhook\",result=\"failed\",place=\"user\"} 1",
            "saker_response_latency_seconds_bucket{action=\"kill_process\",place=\"kernel\",le=\"0.00001\"} 1",
            "saker_response_latency_seconds_bucket{action=\"kill_process\",place=\"user\",le=\"0.01\"} 0",
            "saker_response_latency_seconds_bucket{action=\"kill_process\",place=\"user\",le=\"0.1\"} 1",
            "saker_response_latency_seconds_count{action=\"kill_process\",place=\"user\"} 1",
            "saker_response_skipped_total 1",
        ] {
            assert!(out.lines().any(|l| l == line), "{line}\n{out}");
        }
        assert_eq!(stats.total(Status::Ok), 2);
    }
}
