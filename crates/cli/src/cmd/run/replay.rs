//! `saker run -e FILE`: a capture file through the same state and engine as live events, or a
//! file of Kubernetes audit events through the `k8s_audit` rules.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use saker_engine::Engine;
use saker_proc::users::NameTable;
use saker_state::{ContainerInfo, State, StateOptions};

use super::pipeline::{AlertRoute, Pipeline, Summary};
use crate::cmd::capture::format::{Record, read_records};
use crate::exit::Failure;

/// What a `-e` file holds.
#[derive(Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `saker capture` output (JSON lines starting with a `header` record).
    Capture,
    /// Kubernetes audit events: JSON lines of Events, an EventList, a JSON array.
    K8sAudit,
}

/// Tells the two apart from the file's start: a capture file's first line is its header; an
/// audit file starts with an Event (`"kind": "Event"` or an `auditID`), an EventList, a JSON
/// array, or a pretty-printed object. Anything else is read as a capture file, whose reader
/// reports what is wrong with `path:line`.
pub fn detect(path: &Path) -> Result<FileKind, Failure> {
    let file = std::fs::File::open(path)
        .map_err(|e| Failure::new(2, format!("saker run: cannot open {}: {e}", path.display())))?;
    let mut first = String::new();
    // A capture header is short; an audit Event line is a few KiB.
    let _ = BufReader::new(file.take(1 << 20)).read_line(&mut first);
    Ok(classify_first_line(&first))
}

fn classify_first_line(line: &str) -> FileKind {
    let trimmed = line.trim();
    if trimmed.starts_with('[') || trimmed == "{" {
        return FileKind::K8sAudit;
    }
    let Ok(serde_json::Value::Object(object)) = serde_json::from_str(trimmed) else {
        return FileKind::Capture;
    };
    let kind = object.get("kind").and_then(serde_json::Value::as_str);
    if matches!(kind, Some("Event" | "EventList")) || object.contains_key("auditID") {
        FileKind::K8sAudit
    } else {
        FileKind::Capture
    }
}

/// Replays a capture file; returns the summary to print after the outputs are drained.
pub fn run_capture(
    path: &Path,
    engine: Arc<Engine>,
    route: Arc<AlertRoute>,
) -> anyhow::Result<String> {
    let file = std::fs::File::open(path)
        .map_err(|e| Failure::new(2, format!("saker run: cannot open {}: {e}", path.display())))?;
    // The recorded processes are not this machine's: nothing is read from /proc.
    let mut state = State::new(StateOptions {
        read_proc: false,
        containers: None,
    });
    // The runtimes' answers are records of the file: `container` events wait for them.
    state.expect_container_records();
    let mut pipeline = Pipeline::new(state, engine, route);
    let mut containers: HashMap<String, Arc<ContainerInfo>> = HashMap::new();
    let result = read_records(BufReader::new(file), |record| match record {
        Record::Header { passwd, group, .. } => {
            pipeline
                .state
                .set_name_tables(NameTable::parse(&passwd), NameTable::parse(&group));
        }
        Record::Container(info) => {
            let info = pipeline.state.insert_container(info);
            containers.insert(info.id.clone(), info);
        }
        Record::Process {
            mut entry,
            container_id,
        } => {
            entry.container = container_id.and_then(|id| containers.get(&id).cloned());
            pipeline.state.insert_process(entry);
        }
        Record::Cgroup { id, container_id } => {
            let container = container_id.and_then(|c| containers.get(&c).cloned());
            pipeline.state.learn_cgroup(id, container);
        }
        Record::Event(event) => pipeline.handle(&event),
    });
    pipeline.flush_container_events();
    let summary = pipeline.finish();
    result.map_err(|e| Failure::new(2, format!("saker run: {}: {e}", path.display())))?;
    Ok(summary)
}

/// Replays a file of audit events; returns the summary.
pub fn run_k8s_audit(path: &Path, engine: &Engine, route: &AlertRoute) -> anyhow::Result<String> {
    let mut summary = Summary::default();
    let replayed = saker_k8saudit::replay_file(path, engine, |alert| {
        *summary
            .alerts_by_rule
            .entry(alert.rule.clone())
            .or_default() += 1;
        route.submit(alert);
    })
    .map_err(|e| Failure::new(2, format!("saker run: {e}")))?;
    summary.events = replayed.events;
    let mut text = summary.render_counts();
    if replayed.skipped > 0 {
        text.push_str(&format!(
            "Objects skipped (not audit events): {}\n",
            replayed.skipped
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_lines_are_classified() {
        let cases = [
            (
                r#"{"kind":"header","format":"saker-capture","version":1}"#,
                FileKind::Capture,
            ),
            (r#"{"kind":"event"}"#, FileKind::Capture),
            ("not json", FileKind::Capture),
            ("", FileKind::Capture),
            (
                r#"{"kind":"Event","apiVersion":"audit.k8s.io/v1"}"#,
                FileKind::K8sAudit,
            ),
            (r#"{"kind":"EventList","items":[]}"#, FileKind::K8sAudit),
            (r#"{"auditID":"x","verb":"get"}"#, FileKind::K8sAudit),
            ("[", FileKind::K8sAudit),
            ("{\n", FileKind::K8sAudit),
        ];
        for (line, expect) in cases {
            assert_eq!(classify_first_line(line), expect, "{line}");
        }
    }
}
