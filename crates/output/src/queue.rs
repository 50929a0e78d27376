//! The bounded queues between the engine and the channels, and one worker thread per channel.
//!
//! ```text
//! engine --submit(): encode once--> [channel queue] --> worker --> Sink --> receiver
//!                               \-> [channel queue] --> worker --> Sink --> receiver
//! ```
//! `submit` never blocks: a full channel queue (a slow or dead receiver) drops the alert for
//! that channel only, counted, so the other channels keep flowing. Each worker settles every
//! alert it takes through its channel's [`Ledger`], so the counters add up exactly (see
//! [`crate::channel`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use saker_event::Alert;

use crate::channel::{ChannelSnapshot, ChannelStats, Control, Ledger};
use crate::{AlertEncoder, EncodedAlert, EncoderOptions, OutputError, Sink};

/// Alerts each channel's queue holds when the configuration does not say.
pub const DEFAULT_CAPACITY: usize = 10_000;

/// How the queue and the channels behave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueOptions {
    /// `outputs_queue.capacity`: alerts waiting for each channel (0: [`DEFAULT_CAPACITY`];
    /// every queue has a bound).
    pub capacity: usize,
    /// `buffered_outputs`: when false every alert is flushed as soon as it is written; when
    /// true channels flush whenever their queue runs empty.
    pub buffered: bool,
    pub encoder: EncoderOptions,
}

impl Default for QueueOptions {
    fn default() -> Self {
        QueueOptions {
            capacity: DEFAULT_CAPACITY,
            buffered: false,
            encoder: EncoderOptions::default(),
        }
    }
}

/// Counters of the whole output stage, shared with the metrics endpoint.
#[derive(Debug)]
pub struct OutputStats {
    pub capacity: usize,
    /// Alerts handed to [`AlertSender::submit`].
    submitted: AtomicU64,
    /// Alerts at least one channel's full queue refused (Falco's
    /// `falcosecurity_falco_outputs_queue_num_drops_total`).
    queue_drops: AtomicU64,
    channels: Vec<ChannelStats>,
    /// Set by shutdown: later submits are counted as dropped at once.
    closed: AtomicBool,
}

/// A plain copy of the counters at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSnapshot {
    pub capacity: usize,
    /// Alerts raised (handed to the outputs).
    pub submitted: u64,
    pub queue_drops: u64,
    pub channels: Vec<ChannelSnapshot>,
}

impl OutputSnapshot {
    /// The per-channel lines of the exit summary:
    /// `Output stdout: 400 delivered, 0 dropped` (with the reasons and retries when any).
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for c in &self.channels {
            out.push_str(&format!(
                "Output {}: {} delivered, {} dropped",
                c.name,
                c.delivered,
                c.dropped.total()
            ));
            let reasons: Vec<String> = c
                .dropped
                .by_reason()
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(reason, n)| format!("{reason} {n}"))
                .collect();
            if !reasons.is_empty() {
                out.push_str(&format!(" ({})", reasons.join(", ")));
            }
            if c.retried > 0 {
                out.push_str(&format!(", {} retries", c.retried));
            }
            if c.in_flight > 0 {
                out.push_str(&format!(", {} in flight", c.in_flight));
            }
            out.push('\n');
        }
        out
    }
}

/// A cheap, cloneable handle for threads that produce alerts (engine, k8s audit, internal).
///
/// Encoding happens here, on the producing thread, as Falco formats on its event thread:
/// the queues then hold compact encoded alerts shared by every channel, and the alert's many
/// small allocations are freed by the thread that made them.
#[derive(Clone)]
pub struct AlertSender {
    senders: Arc<Vec<Sender<Arc<EncodedAlert>>>>,
    stats: Arc<OutputStats>,
    encoder: Arc<AlertEncoder>,
}

impl AlertSender {
    /// Queues an alert for every channel without blocking. Returns false when some channel
    /// dropped it (its queue was full, or the outputs are shutting down); each drop is
    /// counted on its channel.
    pub fn submit(&self, alert: Alert) -> bool {
        let stats = &self.stats;
        stats.submitted.fetch_add(1, Ordering::Relaxed);
        if stats.closed.load(Ordering::Acquire) {
            // Raised, and lost to the shutdown: counted as both.
            for channel in &stats.channels {
                channel.queue();
                channel.drop_at_shutdown(1);
            }
            return false;
        }
        let room: Vec<bool> = self.senders.iter().map(|s| !s.is_full()).collect();
        let mut all_taken = room.iter().all(|&r| r);
        if room.iter().any(|&r| r) {
            // Encoded only when some channel can take it.
            let encoded = Arc::new(self.encoder.encode_alert(alert));
            for (channel, sender) in stats.channels.iter().zip(self.senders.iter()) {
                channel.queue();
                if sender.try_send(Arc::clone(&encoded)).is_err() {
                    channel.unqueue();
                    channel.drop_queue_full(stats.capacity);
                    all_taken = false;
                }
            }
        } else {
            stats
                .channels
                .iter()
                .for_each(|c| c.drop_queue_full(stats.capacity));
        }
        if !all_taken {
            stats.queue_drops.fetch_add(1, Ordering::Relaxed);
        }
        all_taken
    }
}

/// The running output stage: one queue and one worker per channel.
pub struct OutputQueue {
    sender: Option<AlertSender>,
    receivers: Vec<Receiver<Arc<EncodedAlert>>>,
    stats: Arc<OutputStats>,
    control: Arc<Control>,
    threads: Vec<JoinHandle<()>>,
}

/// What [`OutputQueue::shutdown`] achieved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShutdownReport {
    /// False when some channel still held alerts at the deadline (they are counted as
    /// dropped at shutdown).
    pub drained: bool,
    pub snapshot: OutputSnapshot,
}

/// How long a worker stuck inside its transport gets after the deadline before it is left
/// behind (its alerts counted as dropped).
const ABANDON_GRACE: Duration = Duration::from_secs(2);

impl OutputQueue {
    /// Starts one worker thread per sink.
    pub fn start(options: QueueOptions, sinks: Vec<Box<dyn Sink>>) -> Result<Self, OutputError> {
        let capacity = if options.capacity == 0 {
            DEFAULT_CAPACITY
        } else {
            options.capacity
        };
        let stats = Arc::new(OutputStats {
            capacity,
            submitted: AtomicU64::new(0),
            queue_drops: AtomicU64::new(0),
            channels: sinks.iter().map(|s| ChannelStats::new(s.name())).collect(),
            closed: AtomicBool::new(false),
        });
        let control = Arc::new(Control::default());
        let mut queue = OutputQueue {
            sender: None,
            receivers: Vec::new(),
            stats: Arc::clone(&stats),
            control: Arc::clone(&control),
            threads: Vec::new(),
        };
        let mut senders = Vec::new();
        for (index, sink) in sinks.into_iter().enumerate() {
            let (tx, rx) = crossbeam_channel::bounded::<Arc<EncodedAlert>>(capacity);
            senders.push(tx);
            queue.receivers.push(rx.clone());
            let stats = Arc::clone(&stats);
            let control = Arc::clone(&control);
            let buffered = options.buffered;
            let handle = std::thread::Builder::new()
                .name(format!("saker-out-{}", sink.name()))
                .spawn(move || {
                    let ledger = Ledger::new(&stats.channels[index], &control);
                    run_channel(sink, rx, &ledger, &stats.channels[index], buffered);
                })
                .map_err(OutputError::Spawn)?;
            queue.threads.push(handle);
        }
        queue.sender = Some(AlertSender {
            senders: Arc::new(senders),
            stats,
            encoder: Arc::new(AlertEncoder::new(options.encoder)),
        });
        Ok(queue)
    }

    /// A handle to submit alerts from other threads.
    pub fn sender(&self) -> AlertSender {
        self.sender.clone().expect("sender lives until shutdown")
    }

    /// Queues an alert without blocking; false when some channel dropped it.
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

    /// Stops taking alerts, delivers what is queued and closes every channel. At `deadline`
    /// channels give up on what they still hold; all of it is counted as dropped at
    /// shutdown, so the report's counters add up to what was raised.
    pub fn shutdown(mut self, deadline: Duration) -> ShutdownReport {
        let start = Instant::now();
        self.stats.closed.store(true, Ordering::Release);
        self.control.closing.store(true, Ordering::Release);
        self.sender = None;
        let mut abandoned = false;
        while !self.threads.iter().all(JoinHandle::is_finished) {
            if !abandoned && start.elapsed() >= deadline {
                self.control.abandon.store(true, Ordering::Release);
                abandoned = true;
            }
            // A transport stuck inside one system call cannot be interrupted: leave it.
            if start.elapsed() >= deadline + ABANDON_GRACE {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        for handle in std::mem::take(&mut self.threads) {
            if handle.is_finished() {
                let _ = handle.join();
            }
        }
        // Whatever is left (an alert submitted during the shutdown, a worker left behind)
        // is lost: count it so that the counters still add up.
        let mut drained = !abandoned;
        for (channel, receiver) in self.stats.channels.iter().zip(&self.receivers) {
            while receiver.try_recv().is_ok() {}
            let left = channel.in_flight();
            if left > 0 {
                channel.drop_at_shutdown(left);
                drained = false;
            }
        }
        ShutdownReport {
            drained,
            snapshot: self.stats.snapshot(),
        }
    }
}

impl OutputStats {
    /// The counters now, from any thread holding the `Arc` (the metrics endpoint).
    pub fn snapshot(&self) -> OutputSnapshot {
        OutputSnapshot {
            capacity: self.capacity,
            submitted: self.submitted.load(Ordering::Relaxed),
            queue_drops: self.queue_drops.load(Ordering::Relaxed),
            channels: self.channels.iter().map(ChannelStats::snapshot).collect(),
        }
    }
}

/// The worker of one channel: takes alerts off its queue and hands them to the sink until
/// the queue is closed and empty, or the shutdown deadline passed.
fn run_channel(
    mut sink: Box<dyn Sink>,
    receiver: Receiver<Arc<EncodedAlert>>,
    ledger: &Ledger,
    channel: &ChannelStats,
    buffered: bool,
) {
    sink.start(ledger);
    let reopen_if_asked = |sink: &mut Box<dyn Sink>| {
        if channel.reopen_requested.swap(false, Ordering::AcqRel) {
            sink.reopen(ledger);
        }
    };
    loop {
        if ledger.abandoned() {
            break;
        }
        let item = match receiver.recv_timeout(Duration::from_millis(100)) {
            Ok(item) => item,
            Err(RecvTimeoutError::Timeout) if ledger.closing() => break,
            Err(RecvTimeoutError::Timeout) => {
                reopen_if_asked(&mut sink);
                sink.tick(ledger);
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        // Checked before each write too: an alert raised after the request goes to the new
        // file, however soon after it arrives.
        reopen_if_asked(&mut sink);
        sink.write(&item, ledger);
        if !buffered || receiver.is_empty() {
            sink.flush(ledger);
        }
    }
    sink.close(ledger);
    // The shutdown counts what is left in the queue and what the sink did not settle.
}
