//! The accounting of one output channel, shared by every transport: what became of each alert
//! handed to the channel. A channel's counters always satisfy
//!
//! ```text
//! raised = delivered + dropped (queue full, failed, shutdown) + in flight
//! ```
//!
//! and once the outputs have shut down nothing is in flight. A transport (a [`crate::Sink`])
//! only reports outcomes through its [`Ledger`]: delivered, retried, or failed with the error.
//! The ledger also decides what reaches the log, so a dead receiver is reported once when it
//! starts failing and once when it recovers, never once per alert.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::OutputError;

/// The live counters of one channel, shared with the metrics endpoint.
#[derive(Debug)]
pub struct ChannelStats {
    name: String,
    /// Alerts accepted into the channel's queue.
    queued: AtomicU64,
    delivered: AtomicU64,
    /// Extra attempts: a resend after a transport error, a reconnect, a restarted program
    /// given the alerts its predecessor did not read. Not alerts: one alert may retry often.
    retried: AtomicU64,
    dropped_queue_full: AtomicU64,
    dropped_failed: AtomicU64,
    dropped_shutdown: AtomicU64,
    pub(crate) reopen_requested: AtomicBool,
    last_full_log_secs: AtomicU64,
}

/// Why alerts were dropped, per channel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Drops {
    /// The channel's queue was full (a slow or stalled receiver).
    pub queue_full: u64,
    /// The transport gave up on them (after its own retries and timeouts).
    pub failed: u64,
    /// Still queued or unconfirmed when Saker stopped.
    pub shutdown: u64,
}

impl Drops {
    pub fn total(&self) -> u64 {
        self.queue_full + self.failed + self.shutdown
    }

    /// `(reason, count)` in a fixed order, the `reason` label of the drop metric.
    pub fn by_reason(&self) -> [(&'static str, u64); 3] {
        [
            ("queue_full", self.queue_full),
            ("failed", self.failed),
            ("shutdown", self.shutdown),
        ]
    }
}

/// A plain copy of one channel's counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelSnapshot {
    pub name: String,
    /// Alerts offered to the channel: every alert raised while it existed.
    pub raised: u64,
    pub delivered: u64,
    pub retried: u64,
    pub dropped: Drops,
    /// Queued, or taken by the transport and not confirmed yet.
    pub in_flight: u64,
}

impl ChannelStats {
    pub fn new(name: impl Into<String>) -> Self {
        ChannelStats {
            name: name.into(),
            queued: AtomicU64::new(0),
            delivered: AtomicU64::new(0),
            retried: AtomicU64::new(0),
            dropped_queue_full: AtomicU64::new(0),
            dropped_failed: AtomicU64::new(0),
            dropped_shutdown: AtomicU64::new(0),
            reopen_requested: AtomicBool::new(false),
            last_full_log_secs: AtomicU64::new(0),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Counted before the alert enters the queue, so the worker can never settle an alert
    /// that is not counted yet; [`ChannelStats::unqueue`] takes it back when the queue refused.
    pub(crate) fn queue(&self) {
        self.queued.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn unqueue(&self) {
        self.queued.fetch_sub(1, Ordering::Relaxed);
    }

    /// The queue was full: the alert is dropped for this channel. Logged at most every 10 s.
    pub(crate) fn drop_queue_full(&self, capacity: usize) {
        let drops = self.dropped_queue_full.fetch_add(1, Ordering::Relaxed) + 1;
        let now = unix_secs();
        let last = self.last_full_log_secs.load(Ordering::Relaxed);
        if now >= last + 10
            && self
                .last_full_log_secs
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            tracing::warn!(
                "{} output: its queue of {capacity} alerts is full, alerts are dropped for it ({drops} so far)",
                self.name
            );
        }
    }

    /// Counts `n` alerts as lost at shutdown (never queued, or never settled).
    pub(crate) fn drop_at_shutdown(&self, n: u64) {
        self.dropped_shutdown.fetch_add(n, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> ChannelSnapshot {
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let dropped = Drops {
            queue_full: load(&self.dropped_queue_full),
            failed: load(&self.dropped_failed),
            shutdown: load(&self.dropped_shutdown),
        };
        let queued = load(&self.queued);
        let delivered = load(&self.delivered);
        ChannelSnapshot {
            name: self.name.clone(),
            raised: queued + dropped.queue_full,
            delivered,
            retried: load(&self.retried),
            dropped,
            in_flight: queued.saturating_sub(delivered + dropped.failed + dropped.shutdown),
        }
    }

    /// Alerts queued or held by the transport, not settled yet.
    pub(crate) fn in_flight(&self) -> u64 {
        self.snapshot().in_flight
    }
}

/// How a shutdown is going, shared by the queue and its workers.
#[derive(Debug, Default)]
pub(crate) struct Control {
    /// Shutdown started: deliver what is queued, but do not wait on a receiver known to be
    /// stalled.
    pub closing: AtomicBool,
    /// The deadline passed: give up on everything left.
    pub abandon: AtomicBool,
}

/// What a transport reports to, on its channel's worker thread.
pub struct Ledger<'a> {
    stats: &'a ChannelStats,
    control: &'a Control,
    /// Set while the channel fails: when it started and how many alerts it lost since.
    failing: Cell<Option<Outage>>,
}

#[derive(Clone, Copy)]
struct Outage {
    lost: u64,
    last_log: Instant,
}

/// A channel that keeps failing is reported again this often, with what it lost so far.
const OUTAGE_REMINDER: Duration = Duration::from_secs(60);

impl<'a> Ledger<'a> {
    pub(crate) fn new(stats: &'a ChannelStats, control: &'a Control) -> Self {
        Ledger {
            stats,
            control,
            failing: Cell::new(None),
        }
    }

    pub fn channel(&self) -> &str {
        &self.stats.name
    }

    /// `n` alerts reached the receiver.
    pub fn delivered(&self, n: u64) {
        if n == 0 {
            return;
        }
        self.stats.delivered.fetch_add(n, Ordering::Relaxed);
        if let Some(outage) = self.failing.take() {
            tracing::info!(
                "{} output recovered ({} alerts dropped while it failed)",
                self.stats.name,
                outage.lost
            );
        }
    }

    /// `n` extra attempts (resends, reconnects, restarts).
    pub fn retried(&self, n: u64) {
        self.stats.retried.fetch_add(n, Ordering::Relaxed);
    }

    /// `n` alerts are given up on because of `error` (`n` may be 0: a failure that lost no
    /// alert yet, e.g. a receiver missing at start-up).
    pub fn failed(&self, n: u64, error: &OutputError) {
        self.stats.dropped_failed.fetch_add(n, Ordering::Relaxed);
        match self.failing.get() {
            None => {
                tracing::warn!(
                    "{} output failing: {error}; its alerts are dropped (and counted) until it recovers",
                    self.stats.name
                );
                self.failing.set(Some(Outage {
                    lost: n,
                    last_log: Instant::now(),
                }));
            }
            Some(mut outage) => {
                outage.lost += n;
                if outage.last_log.elapsed() >= OUTAGE_REMINDER {
                    tracing::warn!(
                        "{} output still failing: {error} ({} alerts dropped so far)",
                        self.stats.name,
                        outage.lost
                    );
                    outage.last_log = Instant::now();
                }
                self.failing.set(Some(outage));
            }
        }
    }

    /// One alert: delivered on `Ok`, failed on `Err`.
    pub fn settle(&self, result: Result<(), OutputError>) {
        match result {
            Ok(()) => self.delivered(1),
            Err(e) => self.failed(1, &e),
        }
    }

    /// True while the channel is in an outage (its last outcome was a failure).
    pub fn is_failing(&self) -> bool {
        self.failing.get().is_some()
    }

    /// Shutdown has started: a transport must not wait on a receiver it knows is stalled.
    pub fn closing(&self) -> bool {
        self.control.closing.load(Ordering::Acquire)
    }

    /// The shutdown deadline passed: give up on whatever is left, at once.
    pub fn abandoned(&self) -> bool {
        self.control.abandon.load(Ordering::Acquire)
    }

    /// Sleeps `duration` (a backoff), in short slices so that shutdown is not held up.
    /// Returns false, early, when the deadline of a shutdown has passed.
    pub fn wait(&self, duration: Duration) -> bool {
        let end = Instant::now() + duration;
        loop {
            if self.abandoned() {
                return false;
            }
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            std::thread::sleep(left.min(Duration::from_millis(20)));
        }
    }
}

/// A channel outside any queue, for driving one [`crate::Sink`] by hand (tests, tools):
/// it owns the counters and hands out the ledger the sink reports to.
#[derive(Debug)]
pub struct DetachedChannel {
    stats: ChannelStats,
    control: Control,
}

impl DetachedChannel {
    pub fn new(name: impl Into<String>) -> Self {
        DetachedChannel {
            stats: ChannelStats::new(name),
            control: Control::default(),
        }
    }

    pub fn ledger(&self) -> Ledger<'_> {
        Ledger::new(&self.stats, &self.control)
    }

    pub fn snapshot(&self) -> ChannelSnapshot {
        self.stats.snapshot()
    }

    /// As [`crate::OutputQueue::shutdown`] does: the sink is told shutdown has begun.
    pub fn begin_shutdown(&self) {
        self.control.closing.store(true, Ordering::Release);
    }

    /// As the shutdown deadline does: the sink is told to give up on what it holds.
    pub fn abandon(&self) {
        self.control.abandon.store(true, Ordering::Release);
    }
}

pub(crate) fn unix_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error() -> OutputError {
        OutputError::Http {
            url: "http://x".into(),
            reason: "refused".into(),
        }
    }

    #[test]
    fn counters_add_up_to_what_was_raised() {
        let stats = ChannelStats::new("test");
        let control = Control::default();
        let ledger = Ledger::new(&stats, &control);
        for _ in 0..10 {
            stats.queue();
        }
        stats.drop_queue_full(10);
        ledger.delivered(6);
        ledger.retried(4);
        ledger.failed(2, &error());
        assert!(ledger.is_failing());
        ledger.delivered(1);
        assert!(!ledger.is_failing());
        let snap = stats.snapshot();
        assert_eq!(snap.raised, 11);
        assert_eq!(snap.delivered, 7);
        assert_eq!(snap.retried, 4);
        assert_eq!(
            snap.dropped,
            Drops {
                queue_full: 1,
                failed: 2,
                shutdown: 0
            }
        );
        assert_eq!(snap.in_flight, 1);
        assert_eq!(
            snap.raised,
            snap.delivered + snap.dropped.total() + snap.in_flight
        );
    }

    #[test]
    fn wait_gives_up_once_abandoned() {
        let stats = ChannelStats::new("test");
        let control = Control::default();
        let ledger = Ledger::new(&stats, &control);
        assert!(ledger.wait(Duration::from_millis(1)));
        control.abandon.store(true, Ordering::Release);
        let start = Instant::now();
        assert!(!ledger.wait(Duration::from_secs(60)));
        assert!(start.elapsed() < Duration::from_secs(1));
    }
}
