//! The host, through the eBPF capture.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use saker_bpf::{Capture, CaptureConfig, DispatchMode};
use saker_engine::Engine;
use saker_output::OutputQueue;
use saker_state::{State, StateOptions};

use super::pipeline::Pipeline;
use super::signals;
use crate::exit::Failure;

pub struct LiveOptions {
    pub syscalls: BTreeSet<i64>,
    pub all_events: bool,
    pub ring_bytes: u32,
    pub duration: Option<Duration>,
}

/// How long a poll waits when fewer than [`WAKEUP_BYTES`] are queued: bounds the delay of an
/// alert on a quiet host, and of `-M` and signals.
const POLL_TIMEOUT: Duration = Duration::from_millis(50);
const WAKEUP_BYTES: u32 = 64 << 10;

pub fn run(options: LiveOptions, engine: Engine, outputs: OutputQueue) -> anyhow::Result<u8> {
    let config = CaptureConfig {
        mode: if options.all_events {
            DispatchMode::TpBtf
        } else {
            DispatchMode::PerSyscallTracepoints
        },
        syscalls: options.syscalls.clone(),
        ring_buffer_bytes: options.ring_bytes,
        // Batched wakeups: waking the consumer for every record
        // costs a context switch per event. A process that is gone by the time its exec is
        // handled still gets its container, from the header's cgroup id.
        wakeup_bytes: WAKEUP_BYTES,
        ..CaptureConfig::default()
    };
    signals::install();
    // Start the capture before the /proc walk, so that nothing starting in between is missed.
    let mut capture =
        Capture::start(&config).map_err(|e| Failure::new(2, format!("saker run: {e}")))?;
    let mut state = State::new(StateOptions::default());
    let seeded = state.seed_from_proc()?;
    eprintln!(
        "Watching {} syscalls; {} processes read from /proc",
        options.syscalls.len() - capture.unavailable_syscalls().len(),
        seeded
    );
    let mut pipeline = Pipeline::new(state, engine, outputs);
    let deadline = options.duration.map(|d| Instant::now() + d);
    let mut result = Ok(());
    loop {
        if signals::stop_requested() || deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let timeout = match deadline {
            Some(d) => POLL_TIMEOUT.min(d.saturating_duration_since(Instant::now())),
            None => POLL_TIMEOUT,
        };
        // A poll drains the whole ring, which under a steady load may not empty: past the
        // deadline (or a signal) the remaining events are left unhandled so the run ends.
        let handle = |event: saker_event::SyscallEvent| {
            if !signals::stop_requested() && deadline.is_none_or(|d| Instant::now() < d) {
                pipeline.handle(&event);
            }
        };
        if let Err(e) = capture.poll(Some(timeout), handle) {
            result = Err(e);
            break;
        }
        pipeline.tick();
    }
    if let Ok(per_cpu) = capture.drops() {
        pipeline.summary.dropped = Some(per_cpu.iter().sum());
        pipeline.summary.dropped_per_cpu = per_cpu;
    }
    pipeline.finish();
    result.map_err(|e| Failure::new(2, format!("saker run: {e}")))?;
    Ok(0)
}
