//! The host, through the eBPF capture.

use std::time::{Duration, Instant};

use saker_bpf::{Capture, CaptureConfig, KeepOpens};
use saker_state::StateOptions;

use crate::{Counters, Ended, Flow, Sink, Source, SourceError};

/// How long a poll waits for events: bounds the delay of an alert on a quiet host, and of a
/// stop asked by the sink.
pub const POLL_TIMEOUT: Duration = Duration::from_millis(50);

/// Events handed to the sink per poll (see [`Capture::DEFAULT_POLL_BATCH`]).
const POLL_BATCH: usize = Capture::DEFAULT_POLL_BATCH;

/// The longest a [`Flow::Finish`] keeps reading what is queued.
const FINISH_DRAIN: Duration = Duration::from_secs(2);

/// The opens the kernel may leave out for the loaded rules, or why it must report them all
/// (see [`crate::open_filter::plan`]).
pub type OpenFilterPlan = Result<KeepOpens, String>;

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
    /// The open filter for the rules loaded at start (`None`: every open is reported); a
    /// sink's [`Sink::take_open_filter`] replaces it later.
    pub open_filter: Option<OpenFilterPlan>,
}

impl EbpfSource {
    pub fn new(config: CaptureConfig) -> EbpfSource {
        EbpfSource {
            config,
            on_start: None,
            poll_timeout: POLL_TIMEOUT,
            open_filter: None,
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
    fn left_out(&mut self) -> Option<u64> {
        self.0.filtered().ok().map(|per_cpu| per_cpu.iter().sum())
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
        if let Some(plan) = self.open_filter.take() {
            apply_open_filter(&mut capture, &plan);
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
            capture.poll_batch_by_ref(Some(self.poll_timeout), POLL_BATCH, |event| {
                if flow == Flow::Continue {
                    flow = sink.event(event);
                }
            })?;
            if flow != Flow::Continue {
                break;
            }
            let ticked = sink.tick(&mut CaptureCounters(&capture));
            if let Some(plan) = sink.take_open_filter() {
                apply_open_filter(&mut capture, &plan);
            }
            match ticked {
                Flow::Continue => {}
                Flow::Stop => break,
                Flow::Finish => {
                    // What is already queued (a command's last events) still goes through: the
                    // ring is read until empty or the sink has what it waited for, for a
                    // bounded time on a busy host.
                    let until = Instant::now() + FINISH_DRAIN;
                    let mut flow = Flow::Continue;
                    while flow == Flow::Continue
                        && capture.poll_batch_by_ref(Some(Duration::ZERO), POLL_BATCH, |event| {
                            if flow == Flow::Continue {
                                flow = sink.event(event);
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
            left_out: capture.filtered().ok().map(|per_cpu| per_cpu.iter().sum()),
            ..Ended::default()
        })
    }
}

/// Switches the capture's open filter to `plan`; when the kernel refuses the table, every
/// open is reported (as without a filter), which costs speed, not events.
fn apply_open_filter(capture: &mut Capture, plan: &OpenFilterPlan) {
    let result = match plan {
        Ok(keep) => capture.set_open_filter(Some(keep)).map(|()| {
            tracing::info!(
                "Opens no rule needs are left out in the kernel (kept: {})",
                crate::open_filter::describe(keep)
            )
        }),
        Err(why) => capture
            .set_open_filter(None)
            .map(|()| tracing::info!("Every open is reported: {why}")),
    };
    if let Err(e) = result {
        tracing::warn!("the open filter is off, every open is reported: {e}");
        let _ = capture.set_open_filter(None);
    }
}
