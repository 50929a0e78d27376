//! The bounded queue between the engine and the channels, and one worker thread per channel.
//!
//! ```text
//! engine --submit()--> [main queue] --dispatcher: encode once--> [channel queue] --> Sink
//!                                                           \--> [channel queue] --> Sink
//! ```
//! `submit` never blocks: a full main queue drops the alert and counts it. The dispatcher never
//! blocks either: a full channel queue (a slow or dead channel) drops the alert for that channel
//! only, so the other channels keep flowing.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TrySendError};
use saker_event::Alert;

use crate::{AlertEncoder, EncodedAlert, EncoderOptions, OutputError, Sink};

/// How the queue and the channels behave.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueueOptions {
    /// `outputs_queue.capacity`: alerts waiting for the dispatcher, and for each channel;
    /// 0 means unbounded (Falco's meaning).
    pub capacity: usize,
    /// `buffered_outputs`: when false every alert is flushed as soon as it is written; when
    /// true channels flush whenever their queue runs empty.
    pub buffered: bool,
    pub encoder: EncoderOptions,
}

/// Counters of one channel.
#[derive(Debug)]
pub struct ChannelStats {
    pub name: String,
    /// Alerts the sink accepted.
    pub delivered: AtomicU64,
    /// Alerts the sink failed to deliver (after its own retries), and failed reopen/flush calls.
    pub failures: AtomicU64,
    /// Alerts dropped because this channel's queue was full.
    pub drops: AtomicU64,
    /// Alerts the dispatcher queued for this channel, and those the worker took off it:
    /// their difference is the channel's queue depth.
    queued: AtomicU64,
    taken: AtomicU64,
    reopen_requested: AtomicBool,
    /// Set at shutdown once the deadline passed: what is left is counted as failed, not sent.
    abandon: AtomicBool,
}

/// Counters of the whole output stage, shared with the metrics endpoint.
#[derive(Debug)]
pub struct OutputStats {
    pub capacity: usize,
    /// Alerts handed to [`OutputQueue::submit`].
    pub submitted: AtomicU64,
    /// Alerts dropped because the main queue was full (Falco's
    /// `falcosecurity_falco_outputs_queue_num_drops_total`).
    pub queue_drops: AtomicU64,
    /// Alerts the dispatcher took off the main queue.
    dispatched: AtomicU64,
    pub channels: Vec<ChannelStats>,
    last_drop_log_secs: AtomicU64,
}

/// A plain copy of the counters at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSnapshot {
    pub queue_depth: usize,
    pub capacity: usize,
    pub submitted: u64,
    pub queue_drops: u64,
    pub channels: Vec<ChannelSnapshot>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelSnapshot {
    pub name: String,
    pub queue_depth: usize,
    pub delivered: u64,
    pub failures: u64,
    pub drops: u64,
}

/// A cheap, cloneable handle for threads that produce alerts (engine, k8s audit, internal).
///
/// Encoding happens here, on the producing thread, as Falco formats on its event thread:
/// the queue then holds compact encoded alerts, and the alert's many small allocations are
/// freed by the thread that made them.
#[derive(Clone)]
pub struct AlertSender {
    sender: Sender<Arc<EncodedAlert>>,
    stats: Arc<OutputStats>,
    encoder: Arc<AlertEncoder>,
}

impl AlertSender {
    /// Queues an alert without blocking. Returns false when the queue was full and the alert
    /// was dropped (counted, and logged at most once every 10 s).
    pub fn submit(&self, alert: Alert) -> bool {
        self.stats.submitted.fetch_add(1, Ordering::Relaxed);
        if self.sender.is_full() {
            // Do not spend an encoding on an alert that cannot be queued.
            self.count_drop();
            return false;
        }
        let encoded = Arc::new(self.encoder.encode_alert(alert));
        match self.sender.try_send(encoded) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => {
                self.count_drop();
                false
            }
        }
    }

    fn count_drop(&self) {
        let drops = self.stats.queue_drops.fetch_add(1, Ordering::Relaxed) + 1;
        let now = unix_secs();
        let last = self.stats.last_drop_log_secs.load(Ordering::Relaxed);
        if now >= last + 10
            && self
                .stats
                .last_drop_log_secs
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            tracing::warn!(
                capacity = self.stats.capacity,
                drops,
                "outputs queue full, alert dropped"
            );
        }
    }

    /// Alerts waiting for the dispatcher.
    pub fn queue_depth(&self) -> usize {
        self.sender.len()
    }
}

fn unix_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The running output stage: the queue, the dispatcher and one worker per channel.
pub struct OutputQueue {
    sender: Option<AlertSender>,
    stats: Arc<OutputStats>,
    threads: Vec<JoinHandle<()>>,
}

/// What [`OutputQueue::shutdown`] achieved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShutdownReport {
    /// False when some channel was still busy at the deadline (its thread is left behind).
    pub drained: bool,
    pub snapshot: OutputSnapshot,
}

impl OutputQueue {
    /// Starts the dispatcher and one worker thread per sink.
    pub fn start(options: QueueOptions, sinks: Vec<Box<dyn Sink>>) -> Result<Self, OutputError> {
        let (sender, receiver) = channel::<Arc<EncodedAlert>>(options.capacity);
        let stats = Arc::new(OutputStats {
            capacity: options.capacity,
            submitted: AtomicU64::new(0),
            queue_drops: AtomicU64::new(0),
            dispatched: AtomicU64::new(0),
            channels: sinks
                .iter()
                .map(|sink| ChannelStats {
                    name: sink.name().to_string(),
                    delivered: AtomicU64::new(0),
                    failures: AtomicU64::new(0),
                    drops: AtomicU64::new(0),
                    queued: AtomicU64::new(0),
                    taken: AtomicU64::new(0),
                    reopen_requested: AtomicBool::new(false),
                    abandon: AtomicBool::new(false),
                })
                .collect(),
            last_drop_log_secs: AtomicU64::new(0),
        });
        let mut threads = Vec::new();
        let mut channel_senders = Vec::new();
        for (index, sink) in sinks.into_iter().enumerate() {
            let (tx, rx) = channel::<Arc<EncodedAlert>>(options.capacity);
            channel_senders.push(tx);
            let stats = Arc::clone(&stats);
            let buffered = options.buffered;
            let handle = std::thread::Builder::new()
                .name(format!("saker-out-{}", sink.name()))
                .spawn(move || run_channel(sink, rx, &stats, index, buffered))
                .map_err(OutputError::Spawn)?;
            threads.push(handle);
        }
        let dispatch_senders = channel_senders;
        let dispatch_stats = Arc::clone(&stats);
        let dispatcher = std::thread::Builder::new()
            .name("saker-out-dispatch".to_string())
            .spawn(move || dispatch(receiver, dispatch_senders, &dispatch_stats))
            .map_err(OutputError::Spawn)?;
        threads.push(dispatcher);
        Ok(OutputQueue {
            sender: Some(AlertSender {
                sender,
                stats: Arc::clone(&stats),
                encoder: Arc::new(AlertEncoder::new(options.encoder)),
            }),
            stats,
            threads,
        })
    }

    /// A handle to submit alerts from other threads.
    pub fn sender(&self) -> AlertSender {
        self.sender.clone().expect("sender lives until shutdown")
    }

    /// Queues an alert without blocking; false when it was dropped.
    pub fn submit(&self, alert: Alert) -> bool {
        self.sender
            .as_ref()
            .expect("sender lives until shutdown")
            .submit(alert)
    }

    pub fn stats(&self) -> Arc<OutputStats> {
        Arc::clone(&self.stats)
    }

    pub fn snapshot(&self) -> OutputSnapshot {
        self.stats.snapshot()
    }

    /// Asks every channel to reopen its file or restart its program (SIGUSR1). Each worker
    /// acts on it before its next alert, or within about 100 ms when idle.
    pub fn reopen(&self) {
        for channel in &self.stats.channels {
            channel.reopen_requested.store(true, Ordering::Release);
        }
    }

    /// Stops taking alerts, delivers what is queued and flushes every channel. Channels still
    /// busy at `deadline` count their remaining alerts as failures and are left behind.
    ///
    /// Drop every [`AlertSender`] taken with [`OutputQueue::sender`] first: a live clone keeps
    /// the queue open, and the channels would only stop at the deadline.
    pub fn shutdown(mut self, deadline: Duration) -> ShutdownReport {
        let start = Instant::now();
        // Other `AlertSender` clones keep the queue open; callers drop theirs first.
        self.sender = None;
        let mut abandoned = false;
        while !self.threads.iter().all(JoinHandle::is_finished) {
            if !abandoned && start.elapsed() >= deadline {
                for channel in &self.stats.channels {
                    channel.abandon.store(true, Ordering::Release);
                }
                abandoned = true;
            }
            // A sink stuck inside one write (a hung program) cannot be interrupted.
            if start.elapsed() >= deadline + Duration::from_secs(5) {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let drained = !abandoned && self.threads.iter().all(JoinHandle::is_finished);
        for handle in std::mem::take(&mut self.threads) {
            if handle.is_finished() {
                let _ = handle.join();
            }
        }
        ShutdownReport {
            drained,
            snapshot: self.stats.snapshot(),
        }
    }
}

impl OutputStats {
    /// The counters now. Depths are derived from counters, so this works from any thread
    /// holding the `Arc` (the metrics endpoint) without keeping the queue open.
    pub fn snapshot(&self) -> OutputSnapshot {
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let submitted = load(&self.submitted);
        let queue_drops = load(&self.queue_drops);
        OutputSnapshot {
            queue_depth: submitted.saturating_sub(queue_drops + load(&self.dispatched)) as usize,
            capacity: self.capacity,
            submitted,
            queue_drops,
            channels: self
                .channels
                .iter()
                .map(|c| ChannelSnapshot {
                    name: c.name.clone(),
                    queue_depth: load(&c.queued).saturating_sub(load(&c.taken)) as usize,
                    delivered: load(&c.delivered),
                    failures: load(&c.failures),
                    drops: load(&c.drops),
                })
                .collect(),
        }
    }
}

fn channel<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    if capacity == 0 {
        crossbeam_channel::unbounded()
    } else {
        crossbeam_channel::bounded(capacity)
    }
}

fn dispatch(
    receiver: Receiver<Arc<EncodedAlert>>,
    channels: Vec<Sender<Arc<EncodedAlert>>>,
    stats: &OutputStats,
) {
    for encoded in receiver {
        stats.dispatched.fetch_add(1, Ordering::Relaxed);
        for (channel, sender) in stats.channels.iter().zip(&channels) {
            // Counted before the send so the worker's `taken` never overtakes it.
            channel.queued.fetch_add(1, Ordering::Relaxed);
            if sender.try_send(Arc::clone(&encoded)).is_err() {
                channel.queued.fetch_sub(1, Ordering::Relaxed);
                let drops = channel.drops.fetch_add(1, Ordering::Relaxed);
                if drops.is_power_of_two() || drops == 0 {
                    tracing::warn!(channel = %channel.name, drops = drops + 1, "output channel queue full, alert dropped for this channel");
                }
            }
        }
    }
}

fn run_channel(
    mut sink: Box<dyn Sink>,
    receiver: Receiver<Arc<EncodedAlert>>,
    stats: &OutputStats,
    index: usize,
    buffered: bool,
) {
    let channel = &stats.channels[index];
    let fail = |error: &OutputError| {
        // A broker channel loses a whole batch in one error.
        let lost = error.alerts();
        let failures = channel.failures.fetch_add(lost, Ordering::Relaxed) + lost;
        // Logged on a power-of-two schedule so a dead channel does not flood the log.
        if failures.is_power_of_two() || lost > 1 {
            tracing::error!(channel = %channel.name, failures, %error, "output channel failed");
        }
    };
    let reopen_if_asked = |sink: &mut Box<dyn Sink>| {
        if channel.reopen_requested.swap(false, Ordering::AcqRel)
            && let Err(e) = sink.reopen()
        {
            fail(&e);
        }
    };
    loop {
        let item = match receiver.recv_timeout(Duration::from_millis(100)) {
            Ok(item) => item,
            Err(RecvTimeoutError::Timeout) => {
                reopen_if_asked(&mut sink);
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        // Checked before each write too: an alert raised after the request goes to the new
        // file, however soon after it arrives.
        reopen_if_asked(&mut sink);
        channel.taken.fetch_add(1, Ordering::Relaxed);
        if channel.abandon.load(Ordering::Acquire) {
            channel.failures.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        match sink.write(&item) {
            Ok(()) => {
                channel.delivered.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => fail(&e),
        }
        if (!buffered || receiver.is_empty())
            && let Err(e) = sink.flush()
        {
            fail(&e);
        }
    }
    if let Err(e) = sink.close() {
        fail(&e);
    }
}
