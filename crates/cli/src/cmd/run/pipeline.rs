//! The path every event takes, whatever produced it (eBPF, ptrace, a capture file):
//! state update -> the engine's view -> alerts -> the output queue; plus the counters of the
//! exit summary.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::{Duration, Instant};

use saker_engine::Engine;
use saker_event::SyscallEvent;
use saker_output::OutputQueue;
use saker_state::{EventTypes, LiveEvent, State};

/// Counters for the summary printed at exit.
#[derive(Debug, Default)]
pub struct Summary {
    pub events: u64,
    pub dropped: Option<u64>,
    pub dropped_per_cpu: Vec<u64>,
    pub alerts_by_rule: BTreeMap<String, u64>,
    pub output_dropped: u64,
}

impl Summary {
    /// The summary, as printed on stderr at exit.
    pub fn render(&self, state: &State) -> String {
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
        out.push_str(&format!("Alerts: {alerts}\n"));
        for (rule, n) in &self.alerts_by_rule {
            out.push_str(&format!("   {rule}: {n}\n"));
        }
        if self.output_dropped > 0 {
            out.push_str(&format!(
                "Alerts dropped by the output queue: {}\n",
                self.output_dropped
            ));
        }
        let stats = state.stats();
        out.push_str(&format!(
            "Thread table: {} processes (seeded {}, late {}, purged {})\n",
            state.len(),
            stats.seeded,
            stats.late_from_proc + stats.late_from_header,
            stats.purged
        ));
        out
    }
}

pub struct Pipeline {
    pub state: State,
    pub engine: Engine,
    types: EventTypes,
    output: OutputQueue,
    pub summary: Summary,
    last_sweep: Instant,
}

/// How often processes whose exit was never seen are looked for.
const SWEEP_EVERY: Duration = Duration::from_secs(5);

impl Pipeline {
    pub fn new(state: State, engine: Engine, output: OutputQueue) -> Pipeline {
        let types = EventTypes::new(&engine);
        Pipeline {
            state,
            engine,
            types,
            output,
            summary: Summary::default(),
            last_sweep: Instant::now(),
        }
    }

    /// One event through state, engine and outputs.
    pub fn handle(&mut self, event: &SyscallEvent) {
        self.summary.events += 1;
        let ctx = self.state.apply(event);
        let Some(live) = LiveEvent::new(&self.state, &self.types, event, &ctx, self.summary.events)
        else {
            return;
        };
        let engine = &self.engine;
        let summary = &mut self.summary;
        let output = &self.output;
        engine.evaluate(&live, |id| {
            let alert = engine.alert(id, &live);
            *summary
                .alerts_by_rule
                .entry(alert.rule.clone())
                .or_default() += 1;
            if !output.submit(alert) {
                summary.output_dropped += 1;
            }
        });
    }

    /// Housekeeping between batches.
    pub fn tick(&mut self) {
        if self.last_sweep.elapsed() >= SWEEP_EVERY {
            self.state.sweep();
            self.last_sweep = Instant::now();
        }
    }

    /// Drains the outputs and prints the summary on stderr.
    pub fn finish(self) {
        let report = self.output.shutdown(Duration::from_secs(5));
        if !report.drained {
            eprintln!("saker: some output channels were still busy at exit");
        }
        let text = self.summary.render(&self.state);
        let _ = std::io::stdout().flush();
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
}
