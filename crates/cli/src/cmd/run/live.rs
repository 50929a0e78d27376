//! The host, through the eBPF capture.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use saker_bpf::{Capture, CaptureConfig, DispatchMode};
use saker_config::DropAction;
use saker_output::internal::{DropWatch, syscall_event_drop_alert};
use saker_state::{State, StateOptions};

use super::pipeline::Pipeline;
use super::service::Service;
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
/// How often the metrics and the drop counters are read (Falco checks drops each second).
const PUBLISH_EVERY: Duration = Duration::from_secs(1);

/// What ended the capture loop.
pub enum LiveEnd {
    /// A signal or `-M`.
    Stopped,
    /// `syscall_event_drops.actions: [exit]`.
    DropExit,
}

pub fn run(options: LiveOptions, service: &mut Service) -> anyhow::Result<(LiveEnd, String)> {
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
    // Start the capture before the /proc walk, so that nothing starting in between is missed.
    let mut capture =
        Capture::start(&config).map_err(|e| Failure::new(2, format!("saker run: {e}")))?;
    let mut state = State::new(StateOptions {
        read_proc: true,
        containers: Some(service.config.build_container_engines()),
    });
    let seeded = state.seed_from_proc()?;
    // Alerts right after start-up name the containers already running.
    state.wait_for_containers(super::CONTAINER_WAIT);
    tracing::info!(
        "Watching {} syscalls; {} processes read from /proc",
        options.syscalls.len() - capture.unavailable_syscalls().len(),
        seeded
    );
    let mut pipeline = Pipeline::new(state, service.engine(), service.route.clone());
    pipeline.drop_failed_exit(service.config.engine.ebpf.drop_failed_exit);
    let drops_config = service.config.syscall_event_drops.clone();
    let mut drop_watch = DropWatch::new(
        drops_config.threshold,
        drops_config.rate,
        drops_config.max_burst,
    );
    let mut last_publish = Instant::now();
    let mut last_events = 0u64;
    let mut last_drops = 0u64;
    let deadline = options.duration.map(|d| Instant::now() + d);
    let mut end = LiveEnd::Stopped;
    let mut result = Ok(());
    loop {
        if signals::stop_requested() || deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        if let Some(engine) = service.handle_signals() {
            pipeline.replace_engine(engine);
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
        if last_publish.elapsed() < PUBLISH_EVERY {
            continue;
        }
        last_publish = Instant::now();
        pipeline.publish();
        let Ok(per_cpu) = capture.drops() else {
            continue;
        };
        // Captured per CPU as the kernel counted the records it queued: the events of the last
        // poll are counted even when the daemon has not handled all of them yet.
        match capture.submitted() {
            Ok(captured) => {
                for (cpu, (captured, dropped)) in captured.iter().zip(&per_cpu).enumerate() {
                    service.metrics.set_cpu_totals(cpu, *captured, *dropped);
                }
            }
            Err(_) => {
                service.metrics.set_events_captured(pipeline.summary.events);
                for (cpu, dropped) in per_cpu.iter().enumerate() {
                    service.metrics.set_cpu_dropped(cpu, *dropped);
                }
            }
        }
        let drops: u64 = per_cpu.iter().sum();
        let events = pipeline.summary.events;
        let report = drop_watch.check(
            events - last_events,
            drops - last_drops,
            drops - last_drops,
            Instant::now(),
        );
        last_events = events;
        last_drops = drops;
        let Some(report) = report else { continue };
        for action in &drops_config.actions {
            match action {
                DropAction::Ignore => {}
                DropAction::Log => tracing::warn!(
                    "Falco internal: syscall event drop. {} system calls dropped in last second ({:.2}% of events)",
                    report.n_drops,
                    report.ratio * 100.0
                ),
                DropAction::Alert => service.internal_alert(syscall_event_drop_alert(
                    &report,
                    &service.hostname,
                    now_ns(),
                )),
                DropAction::Exit => {
                    tracing::error!(
                        "syscall_event_drops: {} events dropped in the last second, exiting as configured",
                        report.n_drops
                    );
                    end = LiveEnd::DropExit;
                }
            }
        }
        if matches!(end, LiveEnd::DropExit) {
            break;
        }
    }
    if let Ok(per_cpu) = capture.drops() {
        pipeline.summary.dropped = Some(per_cpu.iter().sum());
        pipeline.summary.dropped_per_cpu = per_cpu;
    }
    let summary = pipeline.finish();
    result.map_err(|e| Failure::new(2, format!("saker run: {e}")))?;
    Ok((end, summary))
}

fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}
