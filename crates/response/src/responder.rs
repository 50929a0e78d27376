//! The responder: a thread that takes alerts (with their target) from the event path, acts on
//! them, and records each action; it also owns the kernel's table and drains the kernel's
//! reports. Slow actions (container runtimes, programs, webhooks) run on two helper threads so
//! a kill never waits behind them.
//!
//! Architecture invariant: the event path never blocks on a response. It hands the alert over
//! a bounded queue and goes on; a full queue drops the response and counts it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TrySendError, bounded};
use saker_bpf::{KillMaps, KillOutcome, KillReport, Refusal as KernelRefusal};
use saker_engine::{Event, FieldTable};
use saker_event::Alert;
use saker_event::escape::escape_bytes;
use saker_output::{AlertEncoder, EncoderOptions};

use crate::config::Action;
use crate::container::Runtimes;
use crate::plan::{Plan, RateSettings, RuleResponse};
use crate::process::{self, Guard, Refusal};
use crate::program::{post_webhook, run_program};
use crate::record::{self, Outcome, Place, Status};
use crate::stats::{Limited, Limiter, ResponseStats};
use crate::target::Target;

/// Alerts with responses waiting for the responder, at most.
const QUEUE: usize = 1024;
/// Slow actions waiting for a helper, at most.
const SLOW_QUEUE: usize = 64;
const SLOW_HELPERS: usize = 2;
/// How often the kernel's reports are drained when no alert comes.
const REPORT_POLL: Duration = Duration::from_millis(20);
/// How long a kernel decision about a process is remembered, so that its alert (which comes
/// through the capture a little later) is not acted on a second time.
const KERNEL_MEMORY: Duration = Duration::from_secs(60);
const KERNEL_MEMORY_MAX: usize = 4096;

/// Where records go, and what the responder needs from outside.
#[derive(Clone)]
pub struct ResponderOptions {
    pub hostname: String,
    /// Called with every record and rate-limit alert (the output route: channels, console,
    /// metrics).
    pub emit: Arc<dyn Fn(Alert) + Send + Sync>,
    /// The container runtimes' sockets (`container_engines`).
    pub runtimes: saker_container::Config,
}

enum Command {
    Alert(Box<(Alert, Option<Target>)>),
    /// A new plan; the sender learns when the kernel has its table.
    Plan(Arc<Plan>, Sender<()>),
    Kernel(Box<KillMaps>, Sender<()>),
    Stop,
}

/// Longest a caller waits for the kernel's table to be installed.
const INSTALL_WAIT: Duration = Duration::from_secs(10);

/// The running responder.
pub struct Responder {
    plan: RwLock<Arc<Plan>>,
    tx: Sender<Command>,
    thread: Mutex<Option<JoinHandle<()>>>,
    stats: Arc<ResponseStats>,
}

impl Responder {
    pub fn start(plan: Plan, options: ResponderOptions) -> Responder {
        let plan = Arc::new(plan);
        let stats = Arc::new(ResponseStats::default());
        let (tx, rx) = bounded(QUEUE);
        let worker = Worker::new(Arc::clone(&plan), options, Arc::clone(&stats));
        let thread = std::thread::Builder::new()
            .name("saker-response".into())
            .spawn(move || worker.run(rx))
            .ok();
        if thread.is_none() {
            tracing::error!("cannot start the responder thread: responses are off");
        }
        Responder {
            plan: RwLock::new(plan),
            tx,
            thread: Mutex::new(thread),
            stats,
        }
    }

    fn plan(&self) -> Arc<Plan> {
        match self.plan.read() {
            Ok(plan) => Arc::clone(&plan),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// True when alerts of `rule` have responses (cheap: the event path asks it per alert).
    pub fn wants(&self, rule: &str) -> bool {
        match self.plan.read() {
            Ok(plan) => plan.for_rule(rule).is_some(),
            Err(poisoned) => poisoned.into_inner().for_rule(rule).is_some(),
        }
    }

    /// Hands `alert`, raised on `event`, to the responder when its rule has responses.
    pub fn respond<E: Event + ?Sized>(&self, alert: &Alert, event: &E, fields: &FieldTable) {
        if self.wants(&alert.rule) {
            let target = Target::from_event(event, fields);
            self.send(Command::Alert(Box::new((alert.clone(), Some(target)))));
        }
    }

    /// Like [`Responder::respond`] for an alert without a process (k8s audit).
    pub fn respond_without_target(&self, alert: &Alert) {
        if self.wants(&alert.rule) {
            self.send(Command::Alert(Box::new((alert.clone(), None))));
        }
    }

    fn send(&self, command: Command) {
        match self.tx.try_send(command) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                self.stats.count_dropped();
                tracing::warn!("response queue full: a response was dropped");
            }
            Err(TrySendError::Disconnected(_)) => {}
        }
    }

    /// Gives the responder the kernel's table and reports (a live eBPF capture); returns once
    /// the table is installed.
    pub fn attach_kernel(&self, maps: KillMaps) {
        let (ack, done) = bounded(1);
        // Blocking: this must not be dropped like an alert.
        if self.tx.send(Command::Kernel(Box::new(maps), ack)).is_ok() {
            let _ = done.recv_timeout(INSTALL_WAIT);
        }
    }

    /// Uses `plan` from now on (SIGHUP); returns once the kernel has its table.
    pub fn replace_plan(&self, plan: Plan) {
        let plan = Arc::new(plan);
        match self.plan.write() {
            Ok(mut guard) => *guard = Arc::clone(&plan),
            Err(poisoned) => *poisoned.into_inner() = Arc::clone(&plan),
        }
        let (ack, done) = bounded(1);
        if self.tx.send(Command::Plan(plan, ack)).is_ok() {
            let _ = done.recv_timeout(INSTALL_WAIT);
        }
    }

    /// The counters /metrics renders.
    pub fn stats(&self) -> Arc<ResponseStats> {
        Arc::clone(&self.stats)
    }

    /// True when alerts should reach the responder promptly: some rule's alerts get a kill,
    /// and user space takes the kills the kernel cannot decide as soon as it sees them.
    pub fn wants_prompt_alerts(&self) -> bool {
        self.plan().has_kills()
    }

    /// Finishes the queued responses (slow ones within their timeouts), empties the
    /// kernel's table and stops. Later alerts are ignored.
    pub fn stop(&self) {
        let _ = self.tx.send(Command::Stop);
        let thread = match self.thread.lock() {
            Ok(mut thread) => thread.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// From `event_ns` (wall clock) to now.
fn since(event_ns: u64) -> Option<Duration> {
    (event_ns > 0).then(|| Duration::from_nanos(now_ns().saturating_sub(event_ns)))
}

/// A slow action for a helper thread.
struct SlowJob {
    rule: String,
    priority: saker_event::Priority,
    target: Option<Target>,
    action: &'static str,
    work: Box<dyn FnOnce() -> Result<String, String> + Send>,
}

/// Where records go, shared by the responder and its helpers.
#[derive(Clone)]
struct Recorder {
    emit: Arc<dyn Fn(Alert) + Send + Sync>,
    hostname: String,
    stats: Arc<ResponseStats>,
}

impl Recorder {
    fn record(
        &self,
        rule: &str,
        priority: saker_event::Priority,
        target: Option<&Target>,
        outcome: Outcome,
    ) {
        match outcome.status {
            Status::Ok | Status::DryRun => tracing::info!(
                "response {} to {rule}: {} {}",
                outcome.action,
                outcome.status.as_str(),
                outcome.detail
            ),
            Status::Failed | Status::Refused => tracing::warn!(
                "response {} to {rule}: {} {}",
                outcome.action,
                outcome.status.as_str(),
                outcome.detail
            ),
        }
        self.stats.count(
            outcome.action,
            outcome.status,
            outcome.place,
            outcome.latency,
        );
        (self.emit)(record::record(
            rule,
            priority,
            target,
            &outcome,
            &self.hostname,
            now_ns(),
        ));
    }
}

struct Worker {
    plan: Arc<Plan>,
    /// The plan before the last reload: reports queued before it still name its slots.
    previous: Option<(u32, Arc<Plan>)>,
    generation: u32,
    kernel: Option<Box<KillMaps>>,
    /// (pid, rule) the kernel decided about, and when.
    kernel_decided: HashMap<(u32, String), Instant>,
    limiter: Limiter,
    kernel_limits: Limiter,
    recorder: Recorder,
    guard: Guard,
    runtimes: saker_container::Config,
    slow: Option<Sender<SlowJob>>,
    helpers: Vec<JoinHandle<()>>,
    encoder: AlertEncoder,
}

impl Worker {
    fn new(plan: Arc<Plan>, options: ResponderOptions, stats: Arc<ResponseStats>) -> Worker {
        let recorder = Recorder {
            emit: options.emit,
            hostname: options.hostname,
            stats,
        };
        let (slow_tx, slow_rx) = bounded::<SlowJob>(SLOW_QUEUE);
        let helpers = (0..SLOW_HELPERS)
            .filter_map(|i| {
                let rx = slow_rx.clone();
                let recorder = recorder.clone();
                std::thread::Builder::new()
                    .name(format!("saker-response-{i}"))
                    .spawn(move || run_slow_jobs(rx, recorder))
                    .ok()
            })
            .collect();
        let now = Instant::now();
        Worker {
            limiter: Limiter::new(plan.rate, now),
            kernel_limits: Limiter::new(plan.rate, now),
            plan,
            previous: None,
            generation: 1,
            kernel: None,
            kernel_decided: HashMap::new(),
            recorder,
            guard: Guard::current(),
            runtimes: options.runtimes,
            slow: Some(slow_tx),
            helpers,
            encoder: AlertEncoder::new(EncoderOptions {
                json: true,
                ..EncoderOptions::default()
            }),
        }
    }

    fn run(mut self, rx: Receiver<Command>) {
        loop {
            // Reports come only from a kernel table with slots: otherwise just wait.
            let command = if self.kernel.is_some() && !self.plan.kernel.table.is_empty() {
                rx.recv_timeout(REPORT_POLL)
            } else {
                rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
            };
            // Reports first: the kernel queued a report before the record its alert came from.
            self.drain_reports();
            match command {
                Ok(Command::Alert(alert)) => {
                    let (alert, target) = *alert;
                    self.on_alert(&alert, target);
                }
                Ok(Command::Plan(plan, ack)) => {
                    self.install(plan);
                    let _ = ack.send(());
                }
                Ok(Command::Kernel(maps, ack)) => {
                    self.kernel = Some(maps);
                    self.install_kernel();
                    let _ = ack.send(());
                }
                Ok(Command::Stop) | Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {}
            }
        }
        self.drain_reports();
        // The kernel acts no more once Saker is gone: its table is emptied.
        if let Some(maps) = self.kernel.as_mut() {
            let _ = maps.install(&saker_bpf::KillTable::default());
        }
        drop(self.slow.take());
        for helper in self.helpers.drain(..) {
            let _ = helper.join();
        }
    }

    fn install(&mut self, plan: Arc<Plan>) {
        self.previous = Some((self.generation, std::mem::replace(&mut self.plan, plan)));
        self.generation = self.generation.wrapping_add(1).max(1);
        let now = Instant::now();
        self.limiter = Limiter::new(self.plan.rate, now);
        self.kernel_limits = Limiter::new(self.plan.rate, now);
        self.install_kernel();
    }

    fn install_kernel(&mut self) {
        let Some(maps) = self.kernel.as_mut() else {
            return;
        };
        let mut table = self.plan.kernel.table.clone();
        let s = &mut table.settings;
        s.generation = self.generation;
        s.guard_tgid = self.guard.own_pid;
        s.rate_per_slot = self.plan.rate.per_rule;
        s.rate_global = self.plan.rate.global;
        s.rate_window_ns = self.plan.rate.interval.as_nanos() as u64;
        match maps.install(&table) {
            Ok(()) if !table.is_empty() => tracing::info!(
                "In-kernel responses: {} rules, {} slots",
                self.plan
                    .kernel
                    .slots
                    .iter()
                    .map(|s| &s.rule)
                    .collect::<std::collections::BTreeSet<_>>()
                    .len(),
                self.plan.kernel.slots.len()
            ),
            Ok(()) => {}
            Err(e) => tracing::error!(
                "in-kernel responses are off ({e}); user space acts on the alerts instead"
            ),
        }
    }

    /// The plan a report of table `generation` refers to.
    fn plan_of(&self, generation: u32) -> Option<Arc<Plan>> {
        if generation == self.generation {
            return Some(Arc::clone(&self.plan));
        }
        self.previous
            .as_ref()
            .filter(|(g, _)| *g == generation)
            .map(|(_, plan)| Arc::clone(plan))
    }

    fn drain_reports(&mut self) {
        let Some(maps) = self.kernel.as_mut() else {
            return;
        };
        let reports = maps.drain_reports();
        let now = Instant::now();
        if self.kernel_decided.len() > KERNEL_MEMORY_MAX {
            self.kernel_decided
                .retain(|_, at| now.duration_since(*at) < KERNEL_MEMORY);
        }
        for report in reports {
            self.on_report(report, now);
        }
    }

    fn on_report(&mut self, report: KillReport, now: Instant) {
        let Some(plan) = self.plan_of(report.generation) else {
            return;
        };
        let Some(slot) = plan.kernel.slots.get(report.slot) else {
            return;
        };
        let rule = slot.rule.clone();
        let priority = plan
            .for_rule(&rule)
            .map_or(saker_event::Priority::Warning, |r| r.priority);
        self.kernel_decided.insert((report.pid, rule.clone()), now);
        let action = if slot.tree {
            "kill_process_tree"
        } else {
            "kill_process"
        };
        let target = Target {
            pid: report.pid,
            tid: report.tid,
            vpid: report.vpid,
            ppid: report.ppid,
            name: String::from_utf8_lossy(&report.comm).into_owned(),
            exepath: String::new(),
            container_id: (!report.container_id.is_empty()).then(|| report.container_id.clone()),
            container_name: None,
            container_type: None,
            event_time_ns: report.event_time_ns,
        };
        let at = if report.syscall.starts_with("exec") {
            format!(
                "at {} of {}, before the program ran",
                report.syscall,
                escape_bytes(&report.path)
            )
        } else {
            format!(
                "at the exit of {} of {}, before the program used it",
                report.syscall,
                escape_bytes(&report.path)
            )
        };
        let latency = Some(Duration::from_nanos(
            report.time_ns.saturating_sub(report.event_time_ns),
        ));
        let outcome = |status, detail: String, latency| Outcome {
            action,
            status,
            place: Place::Kernel,
            detail,
            latency,
        };
        let outcome = match report.outcome {
            KillOutcome::Killed => outcome(Status::Ok, format!("SIGKILL {at}"), latency),
            KillOutcome::Stopped => {
                // Stopped in the kernel: the process and what it started die together now.
                let result = process::hold(report.pid, 0, &self.guard)
                    .map_err(|r| r.to_string())
                    .and_then(|held| {
                        process::kill_tree(held, &self.guard).map_err(|e| e.to_string())
                    });
                match result {
                    Ok(n) => outcome(
                        Status::Ok,
                        format!("SIGSTOP {at}, then {n} processes killed"),
                        since(report.event_time_ns),
                    ),
                    Err(why) => outcome(
                        Status::Failed,
                        format!("SIGSTOP {at}, but the tree kill failed: {why}"),
                        None,
                    ),
                }
            }
            KillOutcome::SendFailed(errno) => outcome(
                Status::Failed,
                format!(
                    "bpf_send_signal failed {at}: {}",
                    std::io::Error::from_raw_os_error(-errno)
                ),
                None,
            ),
            KillOutcome::DryRun => outcome(
                Status::DryRun,
                format!("would have sent SIGKILL {at}"),
                None,
            ),
            KillOutcome::Refused(why) => outcome(
                Status::Refused,
                kernel_refusal(why, &target).to_string(),
                None,
            ),
            KillOutcome::RateLimited { global } => {
                let limited = if global {
                    Limited::Global
                } else {
                    Limited::Rule(rule.clone())
                };
                let first = self.kernel_limits.announce(&limited, now);
                self.skipped(limited, first, self.kernel_limits.settings());
                return;
            }
        };
        self.recorder
            .record(&rule, priority, Some(&target), outcome);
    }

    /// Counts a skipped action; the first in a window raises the one alert that says so.
    fn skipped(&mut self, limited: Limited, first: bool, settings: RateSettings) {
        self.recorder.stats.count_skipped();
        if !first {
            return;
        }
        let (scope, limit) = match &limited {
            Limited::Global => ("in all".to_string(), settings.global),
            Limited::Rule(rule) => (
                format!("for rule \"{}\"", saker_event::escape::escape(rule)),
                settings.per_rule,
            ),
        };
        self.recorder.stats.count_storm();
        tracing::error!("response rate limit reached {scope}: further actions are skipped");
        (self.recorder.emit)(record::storm(
            &scope,
            limit,
            settings.interval,
            &self.recorder.hostname,
            now_ns(),
        ));
    }

    fn on_alert(&mut self, alert: &Alert, target: Option<Target>) {
        let plan = Arc::clone(&self.plan);
        let Some(response) = plan.for_rule(&alert.rule) else {
            return;
        };
        for action in &response.actions {
            if action.is_kill()
                && let Some(t) = &target
                && self
                    .kernel_decided
                    .get(&(t.pid, response.rule.clone()))
                    .is_some_and(|at| at.elapsed() < KERNEL_MEMORY)
            {
                continue; // decided (and recorded) in the kernel
            }
            if let Err((limited, first)) = self.limiter.admit(&response.rule, Instant::now()) {
                self.skipped(limited, first, self.limiter.settings());
                continue;
            }
            self.act(alert, response, target.as_ref(), action);
        }
    }

    fn act(
        &self,
        alert: &Alert,
        response: &RuleResponse,
        target: Option<&Target>,
        action: &Action,
    ) {
        let plan = &self.plan;
        let record = |status, detail: String, latency| {
            self.recorder.record(
                &response.rule,
                response.priority,
                target,
                Outcome {
                    action: action.name(),
                    status,
                    place: Place::User,
                    detail,
                    latency,
                },
            )
        };
        let checked = || -> Result<&Target, Refusal> {
            let target = target.ok_or(Refusal::NoProcess)?;
            process::check_target(target, plan, &self.guard)?;
            Ok(target)
        };
        match action {
            Action::KillProcess | Action::KillProcessTree => {
                let held =
                    checked().and_then(|t| process::hold(t.pid, t.event_time_ns, &self.guard));
                let held = match held {
                    Ok(held) => held,
                    Err(why) => return record(Status::Refused, why.to_string(), None),
                };
                let tree = *action == Action::KillProcessTree;
                if plan.dry_run {
                    let what = if tree {
                        "the process tree"
                    } else {
                        "the process"
                    };
                    return record(
                        Status::DryRun,
                        format!("would have sent SIGKILL to {what}"),
                        None,
                    );
                }
                let event_ns = target.map_or(0, |t| t.event_time_ns);
                let result = if tree {
                    process::kill_tree(held, &self.guard).map(|n| format!("{n} processes killed"))
                } else {
                    held.kill().map(|()| "SIGKILL sent".to_string())
                };
                match result {
                    Ok(detail) => record(Status::Ok, detail, since(event_ns)),
                    Err(e) => record(Status::Failed, format!("kill: {e}"), None),
                }
            }
            Action::StopContainer | Action::PauseContainer | Action::KillContainer => {
                let target = match checked() {
                    Ok(t) => t,
                    Err(why) => return record(Status::Refused, why.to_string(), None),
                };
                let Some(id) = target.container_id.clone() else {
                    return record(Status::Refused, Refusal::Host.to_string(), None);
                };
                if plan.dry_run {
                    return record(
                        Status::DryRun,
                        format!("would have asked the runtime to {}", verb(action)),
                        None,
                    );
                }
                let runtimes = Runtimes {
                    sockets: self.runtimes.clone(),
                    timeout: plan.action_timeout,
                };
                let kind = target.container_type.clone();
                let action_copy = action.clone();
                self.slow(SlowJob {
                    rule: response.rule.clone(),
                    priority: response.priority,
                    target: Some(target.clone()),
                    action: action.name(),
                    work: Box::new(move || {
                        runtimes
                            .control(&id, kind.as_deref(), &action_copy)
                            .map(|how| format!("{} {how}", past(&action_copy)))
                    }),
                });
            }
            Action::Program { command, timeout } => {
                if plan.dry_run {
                    return record(
                        Status::DryRun,
                        format!("would have run `{}`", saker_event::escape::escape(command)),
                        None,
                    );
                }
                let mut input = Vec::new();
                self.encoder.encode(alert, &mut input);
                input.push(b'\n');
                let (command, timeout) = (command.clone(), *timeout);
                self.slow(SlowJob {
                    rule: response.rule.clone(),
                    priority: response.priority,
                    target: target.cloned(),
                    action: action.name(),
                    work: Box::new(move || run_program(&command, &input, timeout)),
                });
            }
            Action::Webhook { url, timeout } => {
                if plan.dry_run {
                    return record(
                        Status::DryRun,
                        format!(
                            "would have POSTed the alert to {}",
                            saker_event::escape::escape(url)
                        ),
                        None,
                    );
                }
                let mut body = Vec::new();
                self.encoder.encode(alert, &mut body);
                let (url, timeout) = (url.clone(), *timeout);
                self.slow(SlowJob {
                    rule: response.rule.clone(),
                    priority: response.priority,
                    target: target.cloned(),
                    action: action.name(),
                    work: Box::new(move || post_webhook(&url, &body, timeout)),
                });
            }
        }
    }

    fn slow(&self, job: SlowJob) {
        let Some(tx) = &self.slow else { return };
        if let Err(TrySendError::Full(job) | TrySendError::Disconnected(job)) = tx.try_send(job) {
            self.recorder.record(
                &job.rule,
                job.priority,
                job.target.as_ref(),
                Outcome {
                    action: job.action,
                    status: Status::Failed,
                    place: Place::User,
                    detail: format!("{SLOW_QUEUE} slow actions already wait: not started"),
                    latency: None,
                },
            );
        }
    }
}

fn run_slow_jobs(rx: Receiver<SlowJob>, recorder: Recorder) {
    for job in rx {
        let (status, detail) = match (job.work)() {
            Ok(detail) => (Status::Ok, detail),
            Err(detail) => (Status::Failed, detail),
        };
        recorder.record(
            &job.rule,
            job.priority,
            job.target.as_ref(),
            Outcome {
                action: job.action,
                status,
                place: Place::User,
                detail,
                latency: None,
            },
        );
    }
}

fn verb(action: &Action) -> &'static str {
    match action {
        Action::StopContainer => "stop the container",
        Action::PauseContainer => "pause the container",
        Action::KillContainer => "kill the container",
        _ => "act",
    }
}

fn past(action: &Action) -> &'static str {
    match action {
        Action::StopContainer => "stopped",
        Action::PauseContainer => "paused",
        Action::KillContainer => "killed",
        _ => "done",
    }
}

fn kernel_refusal(why: KernelRefusal, target: &Target) -> Refusal {
    match why {
        KernelRefusal::Pid1 => Refusal::Pid1,
        KernelRefusal::KernelThread => Refusal::KernelThread,
        KernelRefusal::Saker => Refusal::Saker,
        KernelRefusal::Host => Refusal::Host,
        KernelRefusal::ProtectedProgram => Refusal::ProtectedProgram(target.name.clone()),
        KernelRefusal::ProtectedContainer => Refusal::ProtectedContainer(
            target
                .container_id
                .as_deref()
                .map_or_else(String::new, |id| crate::target::short(id).to_string()),
        ),
    }
}
