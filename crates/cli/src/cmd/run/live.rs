//! The host, through the eBPF source: the pipeline plus what a long-running watch needs
//! between batches (signals and reloads, `-M`, metrics, the drop policy).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use saker_bpf::{CaptureConfig, DispatchMode};
use saker_config::DropAction;
use saker_event::SyscallEvent;
use saker_output::internal::{DropWatch, syscall_event_drop_alert};
use saker_source::live::EbpfSource;
use saker_source::{Counters, Flow, Sink, Source};
use saker_state::State;

use super::pipeline::Pipeline;
use super::service::Service;
use super::signals;
use crate::exit::Failure;

pub struct LiveOptions {
    pub syscalls: BTreeSet<i64>,
    pub all_events: bool,
    pub ring_bytes: u32,
    pub duration: Option<Duration>,
    /// The opens the kernel may leave out for the rules loaded at start.
    pub open_filter: saker_source::live::OpenFilterPlan,
}

/// How long a poll waits with kill responses configured: user space sees (and kills) what the
/// kernel could not decide this much sooner than after the usual 50 ms, for about 80 more
/// wakeups a second (docs/response.md).
const POLL_TIMEOUT_KILLS: Duration = Duration::from_millis(10);
/// How often the metrics and the drop counters are read (Falco checks drops each second).
const PUBLISH_EVERY: Duration = Duration::from_secs(1);

/// What ended the capture loop.
pub enum LiveEnd {
    /// A signal or `-M`.
    Stopped,
    /// `syscall_event_drops.actions: [exit]`.
    DropExit,
}

struct LiveSink<'s> {
    pipeline: Pipeline,
    service: &'s mut Service,
    deadline: Option<Instant>,
    drop_watch: DropWatch,
    last_publish: Instant,
    last_events: u64,
    last_drops: u64,
    end: LiveEnd,
}

impl LiveSink<'_> {
    fn stopping(&self) -> bool {
        signals::stop_requested() || self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Metrics and the drop policy, once per [`PUBLISH_EVERY`]; `Stop` for a drop exit.
    fn publish(&mut self, counters: &mut dyn Counters) -> Flow {
        self.pipeline.publish();
        if let Some(ring) = counters.ring_use() {
            self.service
                .metrics
                .set_ring_buffer_use(ring.size_bytes, ring.peak_used_bytes);
        }
        if let Some(left_out) = counters.left_out() {
            self.service.metrics.set_opens_left_out(left_out);
        }
        let Some(per_cpu) = counters.dropped_per_cpu() else {
            return Flow::Continue;
        };
        let metrics = &self.service.metrics;
        // Captured per CPU as the kernel counted the records it queued: the events of the
        // last poll are counted even when the daemon has not handled all of them yet.
        match counters.captured_per_cpu() {
            Some(captured) => {
                for (cpu, (captured, dropped)) in captured.iter().zip(&per_cpu).enumerate() {
                    metrics.set_cpu_totals(cpu, *captured, *dropped);
                }
            }
            None => {
                metrics.set_events_captured(self.pipeline.summary.events);
                for (cpu, dropped) in per_cpu.iter().enumerate() {
                    metrics.set_cpu_dropped(cpu, *dropped);
                }
            }
        }
        let drops: u64 = per_cpu.iter().sum();
        let events = self.pipeline.summary.events;
        let report = self.drop_watch.check(
            events - self.last_events,
            drops - self.last_drops,
            drops - self.last_drops,
            Instant::now(),
        );
        self.last_events = events;
        self.last_drops = drops;
        let Some(report) = report else {
            return Flow::Continue;
        };
        let actions = self.service.config.syscall_event_drops.actions.clone();
        for action in &actions {
            match action {
                DropAction::Ignore => {}
                DropAction::Log => tracing::warn!(
                    "Falco internal: syscall event drop. {} system calls dropped in last second ({:.2}% of events)",
                    report.n_drops,
                    report.ratio * 100.0
                ),
                DropAction::Alert => self.service.internal_alert(syscall_event_drop_alert(
                    &report,
                    &self.service.hostname,
                    now_ns(),
                )),
                DropAction::Exit => {
                    tracing::error!(
                        "syscall_event_drops: {} events dropped in the last second, exiting as configured",
                        report.n_drops
                    );
                    self.end = LiveEnd::DropExit;
                }
            }
        }
        match self.end {
            LiveEnd::DropExit => Flow::Stop,
            LiveEnd::Stopped => Flow::Continue,
        }
    }
}

impl Sink for LiveSink<'_> {
    fn take_open_filter(&mut self) -> Option<saker_source::live::OpenFilterPlan> {
        self.service.take_open_filter()
    }

    fn state(&mut self) -> &mut State {
        &mut self.pipeline.state
    }

    /// Alerts right after start-up name the containers already running.
    fn ready(&mut self) {
        self.pipeline
            .state
            .wait_for_containers(super::CONTAINER_WAIT);
    }

    fn event(&mut self, event: &SyscallEvent) -> Flow {
        // Past the deadline (or a signal) the rest of a poll's batch is left unhandled.
        if self.stopping() {
            return Flow::Stop;
        }
        self.pipeline.handle(event);
        Flow::Continue
    }

    fn tick(&mut self, counters: &mut dyn Counters) -> Flow {
        if self.stopping() {
            return Flow::Stop;
        }
        if let Some(engine) = self.service.handle_signals() {
            self.pipeline.replace_engine(engine);
        }
        self.pipeline.tick();
        if self.last_publish.elapsed() < PUBLISH_EVERY {
            return Flow::Continue;
        }
        self.last_publish = Instant::now();
        self.publish(counters)
    }
}

pub fn run(options: LiveOptions, service: &mut Service) -> anyhow::Result<(LiveEnd, String)> {
    let mut source = EbpfSource::new(CaptureConfig {
        mode: if options.all_events {
            DispatchMode::TpBtf
        } else {
            DispatchMode::PerSyscallTracepoints
        },
        syscalls: options.syscalls.clone(),
        ring_buffer_bytes: options.ring_bytes,
        // Batched wakeups, a share of the ring per CPU: a wakeup per record costs a context
        // switch per event, and one per 64 KiB still cost the reader a fifth of its time. A
        // process that is gone by the time its exec is handled still gets its container,
        // from the header's cgroup id.
        wakeup_bytes: saker_bpf::batched_wakeup_bytes(
            options.ring_bytes,
            saker_bpf::possible_cpus(),
        ),
        ..CaptureConfig::default()
    });
    source.open_filter = Some(options.open_filter);
    if let Some(responder) = service.responder() {
        if responder.wants_prompt_alerts() {
            source.poll_timeout = POLL_TIMEOUT_KILLS;
        }
        // Installed before "Watching": from then on the kernel decides what it can.
        let responder = Arc::clone(responder);
        source.on_start = Some(Box::new(move |capture| match capture.take_kill_maps() {
            Ok(maps) => responder.attach_kernel(maps),
            Err(e) => tracing::warn!("in-kernel responses are off ({e}); user space acts instead"),
        }));
    }
    let mut state_options = source.state_options();
    state_options.containers = Some(service.config.build_container_engines());
    let state = State::new(state_options);
    let mut pipeline = Pipeline::new(state, service.engine(), service.route.clone());
    pipeline.drop_failed_exit(service.config.engine.ebpf.drop_failed_exit);
    let drops = service.config.syscall_event_drops.clone();
    let mut sink = LiveSink {
        pipeline,
        deadline: options.duration.map(|d| Instant::now() + d),
        service,
        drop_watch: DropWatch::new(drops.threshold, drops.rate, drops.max_burst),
        last_publish: Instant::now(),
        last_events: 0,
        last_drops: 0,
        end: LiveEnd::Stopped,
    };
    let result = source.run(&mut sink);
    let LiveSink {
        mut pipeline, end, ..
    } = sink;
    let ended = result.map_err(|e| Failure::new(2, format!("saker run: {e}")))?;
    pipeline.summary.left_out = ended.left_out;
    if let Some(per_cpu) = ended.dropped_per_cpu {
        pipeline.summary.dropped = Some(per_cpu.iter().sum());
        pipeline.summary.dropped_per_cpu = per_cpu;
    }
    Ok((end, pipeline.finish()))
}

fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}
