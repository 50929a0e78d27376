//! A file of Kubernetes audit events (`saker run -e audit.json`) as a source.

use std::path::PathBuf;

use saker_state::StateOptions;

use crate::{Ended, Flow, NoCounters, Sink, Source, SourceError};

/// The replay of an audit log or a saved EventList.
pub struct AuditFileSource {
    pub path: PathBuf,
}

impl Source for AuditFileSource {
    fn state_options(&self) -> StateOptions {
        crate::replay_state_options()
    }

    fn run(&mut self, sink: &mut dyn Sink) -> Result<Ended, SourceError> {
        sink.ready();
        let mut num = 0u64;
        let mut stopped = false;
        let summary = saker_k8saudit::read_audit_file(&self.path, |event| {
            if stopped {
                return;
            }
            num += 1;
            stopped = sink.audit(event.with_num(num)) == Flow::Stop;
        })?;
        sink.tick(&mut NoCounters);
        Ok(Ended {
            skipped: summary.skipped,
            ..Ended::default()
        })
    }
}
