//! The path every event takes, whatever source produced it (eBPF, ptrace, a capture file):
//! state update -> the engine's view -> alerts -> the output queue; plus the counters of the
//! exit summary and of `GET /metrics`.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use saker_console::AlertFeed;
use saker_engine::{Engine, FieldTable};
use saker_event::{Alert, EventBody, SyscallEvent};
use saker_output::AlertSender;
use saker_response::Responder;
use saker_server::Metrics;
use saker_state::{EventContext, EventTypes, LiveEvent, State, event_type_name};

/// Counters for the summary printed at exit.
#[derive(Debug, Default)]
pub struct Summary {
    pub events: u64,
    pub dropped: Option<u64>,
    pub dropped_per_cpu: Vec<u64>,
    /// Opens no rule needs, and their closes, that the kernel left out (live runs).
    pub left_out: Option<u64>,
    pub alerts_by_rule: BTreeMap<String, u64>,
}

impl Summary {
    /// The summary, as printed on stderr at exit.
    pub fn render(&self, state: &State) -> String {
        let mut out = self.render_counts();
        let stats = state.stats();
        out.push_str(&format!(
            "Thread table: {} processes (seeded {}, late {}, purged {})\n",
            state.len(),
            stats.seeded,
            stats.late_from_proc + stats.late_from_header,
            stats.purged
        ));
        if stats.fds_named_from_proc + stats.fds_unnamed > 0 {
            out.push_str(&format!(
                "Fds not in the table: {} named from /proc, {} unnamed\n",
                stats.fds_named_from_proc, stats.fds_unnamed
            ));
        }
        out.push_str(&format!(
            "Containers: {} known, {} started while watching\n",
            state.containers().count(),
            stats.containers_started
        ));
        out
    }

    /// Events, drops and alerts (sources without a thread table).
    pub fn render_counts(&self) -> String {
        let mut out = String::new();
        let alerts: u64 = self.alerts_by_rule.values().sum();
        out.push_str(&format!("Events seen: {}\n", self.events));
        match self.dropped {
            Some(d) => out.push_str(&format!(
                "Events dropped: {d} (per CPU: {})\n",
                self.dropped_per_cpu
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(" ")
            )),
            None => out.push_str("Events dropped: 0\n"),
        }
        if let Some(n) = self.left_out {
            out.push_str(&format!(
                "Opens and closes left out in the kernel (no rule needs them): {n}\n"
            ));
        }
        out.push_str(&format!("Alerts: {alerts}\n"));
        for (rule, n) in &self.alerts_by_rule {
            out.push_str(&format!("   {rule}: {n}\n"));
        }
        out
    }
}

/// Where every alert goes (syscall, k8s audit, internal): counted in the metrics, copied to
/// the web console, then queued for the output channels without blocking. The sender can be
/// swapped when a reload rebuilds the channels, and is taken away before the queue shuts
/// down.
pub struct AlertRoute {
    sender: RwLock<Option<AlertSender>>,
    pub metrics: Arc<Metrics>,
    console: Option<AlertFeed>,
    /// Acts on the alerts whose rules have responses (a live run).
    responder: RwLock<Option<Arc<Responder>>>,
}

impl AlertRoute {
    pub fn new(
        sender: AlertSender,
        metrics: Arc<Metrics>,
        console: Option<AlertFeed>,
    ) -> AlertRoute {
        AlertRoute {
            sender: RwLock::new(Some(sender)),
            metrics,
            console,
            responder: RwLock::new(None),
        }
    }

    pub fn set_responder(&self, responder: Option<Arc<Responder>>) {
        let mut guard = match self.responder.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *guard = responder;
    }

    fn responder(&self) -> Option<Arc<Responder>> {
        match self.responder.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Hands `alert`, raised on `event`, to the responder (which never blocks this thread).
    pub fn respond(&self, alert: &Alert, event: &LiveEvent<'_>, fields: &FieldTable) {
        if let Some(responder) = self.responder() {
            responder.respond(alert, event, fields);
        }
    }

    /// [`AlertRoute::respond`] for an alert without a process (k8s audit).
    pub fn respond_without_target(&self, alert: &Alert) {
        if let Some(responder) = self.responder() {
            responder.respond_without_target(alert);
        }
    }

    /// Queues the alert for every channel; false when some channel dropped it (counted
    /// there).
    pub fn submit(&self, alert: Alert) -> bool {
        self.metrics.record_alert(&alert);
        if let Some(console) = &self.console {
            console.record(&alert);
        }
        let guard = match self.sender.read() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        guard.as_ref().is_some_and(|sender| sender.submit(alert))
    }

    /// Installs a new sender and returns the previous one (to drop before its queue's
    /// shutdown).
    pub fn replace(&self, sender: Option<AlertSender>) -> Option<AlertSender> {
        let mut guard = match self.sender.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        std::mem::replace(&mut *guard, sender)
    }
}

pub struct Pipeline {
    pub state: State,
    engine: Arc<Engine>,
    types: EventTypes,
    route: Arc<AlertRoute>,
    pub summary: Summary,
    last_sweep: Instant,
    /// Events by type and evaluation time since the last [`Pipeline::publish`].
    /// A short list compared by address: a few dozen types, cheaper than a map per event.
    by_type: Vec<(&'static str, u64)>,
    timing: EvaluationTiming,
    /// `engine.ebpf.drop_failed_exit`: failed syscalls never reach the state or the rules.
    drop_failed_exit: bool,
}

/// Evaluation time since the last [`Pipeline::publish`], sampled.
#[derive(Default)]
struct EvaluationTiming {
    spent: Duration,
    evaluated: u64,
}

/// One event through the rules; its alerts to the outputs.
fn evaluate(
    engine: &Engine,
    route: &AlertRoute,
    summary: &mut Summary,
    timing: &mut EvaluationTiming,
    live: &LiveEvent<'_>,
) {
    // Reading the clock twice per event costs more than many rules do: one event in
    // EVALUATION_SAMPLE is timed and stands for the others.
    let timed = timing.evaluated.is_multiple_of(EVALUATION_SAMPLE);
    let start = timed.then(Instant::now);
    engine.evaluate(live, |id| {
        let alert = engine.alert(id, live);
        *summary
            .alerts_by_rule
            .entry(alert.rule.clone())
            .or_default() += 1;
        route.respond(&alert, live, engine.fields());
        // Drops are counted per channel and summed up at exit.
        route.submit(alert);
    });
    if let Some(start) = start {
        timing.spent += start.elapsed() * EVALUATION_SAMPLE as u32;
    }
    timing.evaluated += 1;
}

/// One evaluation in this many is timed for `saker_rule_evaluation_seconds_total`.
const EVALUATION_SAMPLE: u64 = 64;

/// How often processes whose exit was never seen are looked for.
const SWEEP_EVERY: Duration = Duration::from_secs(5);

impl Pipeline {
    pub fn new(state: State, engine: Arc<Engine>, route: Arc<AlertRoute>) -> Pipeline {
        let types = EventTypes::new(&engine);
        Pipeline {
            state,
            engine,
            types,
            route,
            summary: Summary::default(),
            last_sweep: Instant::now(),
            by_type: Vec::new(),
            timing: EvaluationTiming::default(),
            drop_failed_exit: false,
        }
    }

    /// Drops failed syscalls (a negative return) before anything sees them, as Falco's
    /// `drop_failed_exit` does in its drivers: less work, less visibility.
    pub fn drop_failed_exit(&mut self, drop: bool) {
        self.drop_failed_exit = drop;
    }

    /// Uses `engine` for the events that follow (SIGHUP). The capture keeps its syscall set:
    /// a new rule on a syscall not captured yet sees nothing until a restart.
    pub fn replace_engine(&mut self, engine: Arc<Engine>) {
        self.types = EventTypes::new(&engine);
        self.engine = engine;
    }

    /// One event through state, engine and outputs.
    pub fn handle(&mut self, event: &SyscallEvent) {
        if self.drop_failed_exit
            && let EventBody::Syscall(exit) = &event.body
            && exit.errno().is_some()
        {
            return;
        }
        // What the container runtimes answered meanwhile: this event already carries it.
        self.state.poll_containers();
        self.summary.events += 1;
        let name = event_type_name(event);
        if let Some(name) = name {
            match self
                .by_type
                .iter_mut()
                .find(|(known, _)| std::ptr::eq(*known, name))
            {
                Some((_, n)) => *n += 1,
                None => self.by_type.push((name, 1)),
            }
        }
        let ctx = self.state.apply(event);
        if !self.types.can_match(event) {
            // No loaded rule can match it (a close, under the default rules): evaluated
            // without its view, which would cost more than the rules do.
            if name.is_some() {
                self.timing.evaluated += 1;
            }
        } else if let Some(live) =
            &LiveEvent::new(&self.state, &self.types, event, &ctx, self.summary.events)
        {
            evaluate(
                &self.engine,
                &self.route,
                &mut self.summary,
                &mut self.timing,
                live,
            );
        }
        self.container_events();
    }

    /// Evaluates the `container` events that are ready (Falco's `evt.type = container`).
    #[inline]
    fn container_events(&mut self) {
        if self.state.has_container_started() {
            self.evaluate_container_events();
        }
    }

    fn evaluate_container_events(&mut self) {
        let ctx = EventContext::default();
        while let Some(started) = self.state.take_container_started() {
            self.summary.events += 1;
            let live = LiveEvent::container_started(
                &self.state,
                &self.types,
                &started,
                &ctx,
                self.summary.events,
            );
            evaluate(
                &self.engine,
                &self.route,
                &mut self.summary,
                &mut self.timing,
                &live,
            );
        }
    }

    /// One Kubernetes audit event (from a replayed audit file) through the engine.
    pub fn handle_audit(&mut self, event: &saker_k8saudit::AuditEvent) {
        self.summary.events += 1;
        let engine = &self.engine;
        let summary = &mut self.summary;
        let route = &self.route;
        engine.evaluate(event, |id| {
            let alert = engine.alert(id, event);
            *summary
                .alerts_by_rule
                .entry(alert.rule.clone())
                .or_default() += 1;
            // Drops are counted per channel and summed up at exit.
            route.submit(alert);
        });
    }

    /// Housekeeping between batches.
    pub fn tick(&mut self) {
        self.state.poll_containers();
        self.container_events();
        if self.last_sweep.elapsed() >= SWEEP_EVERY {
            self.state.sweep();
            self.last_sweep = Instant::now();
        }
    }

    /// Moves the counters gathered since the last call into the metrics registry.
    pub fn publish(&mut self) {
        let metrics = &self.route.metrics;
        metrics.add_events_by_type(self.by_type.iter().map(|(name, n)| (*name, *n)));
        for (_, n) in &mut self.by_type {
            *n = 0;
        }
        metrics.add_evaluation(self.timing.spent, self.timing.evaluated);
        self.timing = EvaluationTiming::default();
        metrics.set_thread_table_size(self.state.len() as u64);
    }

    /// Raises the `container` events still waiting for metadata: the end of a capture file,
    /// whose records answer no more.
    pub fn flush_container_events(&mut self) {
        self.state.flush_container_starts();
        self.container_events();
    }

    /// The summary printed at exit (after the outputs are drained).
    pub fn finish(mut self) -> String {
        self.publish();
        self.summary.render(&self.state)
    }
}
