//! The host, through the eBPF capture.

use std::time::{Duration, Instant};

use saker_bpf::{Capture, CaptureConfig};
use saker_state::StateOptions;

use crate::{Counters, Ended, Flow, Sink, Source, SourceError};

/// How long a poll waits for events: bounds the delay of an alert on a quiet host, and of a
/// stop asked by the sink.
pub const POLL_TIMEOUT: Duration = Duration::from_millis(50);

/// The longest a [`Flow::Finish`] keeps reading what is queued.
const FINISH_DRAIN: Duration = Duration::from_secs(2);

/// What runs with the capture just started (see [`EbpfSource::on_start`]).
pub type OnStart = Box<dyn FnOnce(&mut Capture)>;

/// Every process on the host, through the kernel's tracepoints.
pub struct EbpfSource {
    pub config: CaptureConfig,
    /// Called with the running capture before the /proc walk: `saker run` takes the maps of
    /// its in-kernel responses there.
    pub on_start: Option<OnStart>,
    /// How long a poll waits for events ([`POLL_TIMEOUT`] unless set otherwise).
    pub poll_timeout: Duration,
}

impl EbpfSource {
    pub fn new(config: CaptureConfig) -> EbpfSource {
        EbpfSource {
            config,
            on_start: None,
            poll_timeout: POLL_TIMEOUT,
        }
    }
}

struct CaptureCounters<'c>(&'c Capture);

impl Counters for CaptureCounters<'_> {
    fn dropped_per_cpu(&mut self) -> Option<Vec<u64>> {
        self.0.drops().ok()
    }
    fn captured_per_cpu(&mut self) -> Option<Vec<u64>> {
        self.0.submitted().ok()
    }
    fn ring_use(&mut self) -> Option<saker_bpf::RingUse> {
        Some(self.0.take_ring_use())
    }
}

impl Source for EbpfSource {
    fn state_options(&self) -> StateOptions {
        StateOptions::default()
    }

    fn run(&mut self, sink: &mut dyn Sink) -> Result<Ended, SourceError> {
        // Start the capture before the /proc walk, so that nothing starting in between is
        // missed.
        let mut capture = Capture::start(&self.config)?;
        if let Some(on_start) = self.on_start.take() {
            on_start(&mut capture);
        }
        let seeded = sink.state().seed_from_proc()?;
        tracing::info!(
            "Watching {} syscalls; {} processes read from /proc",
            self.config.syscalls.len() - capture.unavailable_syscalls().len(),
            seeded
        );
        sink.ready();
        loop {
            // A poll drains the whole ring, which under a steady load may not empty: once the
            // sink says stop, the remaining events are left unhandled so the run ends.
            let mut flow = Flow::Continue;
            capture.poll(Some(self.poll_timeout), |event| {
                if flow == Flow::Continue {
                    flow = sink.event(&event);
                }
            })?;
            if flow != Flow::Continue {
                break;
            }
            match sink.tick(&mut CaptureCounters(&capture)) {
                Flow::Continue => {}
                Flow::Stop => break,
                Flow::Finish => {
                    // What is already queued (a command's last events) still goes through: the
                    // ring is read until empty or the sink has what it waited for, for a
                    // bounded time on a busy host.
                    let until = Instant::now() + FINISH_DRAIN;
                    let mut flow = Flow::Continue;
                    while flow == Flow::Continue
                        && capture.poll(Some(Duration::ZERO), |event| {
                            if flow == Flow::Continue {
                                flow = sink.event(&event);
                            }
                        })? > 0
                        && Instant::now() < until
                    {}
                    break;
                }
            }
        }
        Ok(Ended {
            dropped_per_cpu: capture.drops().ok(),
            ..Ended::default()
        })
    }
}
