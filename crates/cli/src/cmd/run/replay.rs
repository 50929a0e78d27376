//! `saker run -e FILE` and `saker run --ptrace`: one-shot sources (a capture file, a file of
//! Kubernetes audit events, one traced command) through the same pipeline as live events.

use std::path::Path;
use std::sync::Arc;

use saker_engine::Engine;
use saker_event::SyscallEvent;
use saker_k8saudit::AuditEvent;
use saker_source::{Counters, Ended, Flow, Sink, Source};
use saker_state::State;

use super::pipeline::{AlertRoute, Pipeline};
use crate::exit::Failure;

/// A pipeline fed by a source that ends by itself.
struct OneShot {
    pipeline: Pipeline,
    audit_events: bool,
}

impl Sink for OneShot {
    fn state(&mut self) -> &mut State {
        &mut self.pipeline.state
    }

    fn event(&mut self, event: &SyscallEvent) -> Flow {
        self.pipeline.handle(event);
        Flow::Continue
    }

    fn audit(&mut self, event: AuditEvent) -> Flow {
        self.audit_events = true;
        self.pipeline.handle_audit(&event);
        Flow::Continue
    }

    fn tick(&mut self, _: &mut dyn Counters) -> Flow {
        self.pipeline.tick();
        Flow::Continue
    }
}

/// Runs `source` to its end; returns the exit code (a traced command's) and the summary to
/// print once the outputs are drained.
pub fn run(
    mut source: Box<dyn Source>,
    engine: Arc<Engine>,
    route: Arc<AlertRoute>,
    containers: Option<saker_container::Config>,
) -> anyhow::Result<(u8, String)> {
    let mut options = source.state_options();
    let asks_runtimes = containers.is_some();
    options.containers = containers;
    let mut state = State::new(options);
    if asks_runtimes {
        // A traced command may enter a running container at once: know those first.
        state.discover_containers();
        state.wait_for_containers(super::CONTAINER_WAIT);
    }
    let mut sink = OneShot {
        pipeline: Pipeline::new(state, engine, route),
        audit_events: false,
    };
    let result = source.run(&mut sink);
    // A file's `container` events still waiting for metadata records when it ends.
    sink.pipeline.flush_container_events();
    let summary = if sink.audit_events {
        sink.pipeline.summary.render_counts()
    } else {
        sink.pipeline.finish()
    };
    let ended: Ended = result.map_err(|e| Failure::new(2, format!("saker run: {e}")))?;
    let mut summary = summary;
    if ended.skipped > 0 {
        summary.push_str(&format!(
            "Objects skipped (not audit events): {}\n",
            ended.skipped
        ));
    }
    if ended.unknown_blocks > 0 {
        summary.push_str(&format!(
            "File blocks of unknown types skipped: {}\n",
            ended.unknown_blocks
        ));
    }
    Ok((ended.exit_code.unwrap_or(0), summary))
}

/// The source that replays `path`.
pub fn open(path: &Path) -> Result<Box<dyn Source>, Failure> {
    saker_source::open_file(path).map_err(|e| Failure::new(2, format!("saker run: {e}")))
}
