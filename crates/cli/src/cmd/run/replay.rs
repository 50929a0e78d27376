//! `saker run -e FILE`: a capture file through the same state and engine as live events.

use std::collections::HashMap;
use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;

use saker_engine::Engine;
use saker_output::OutputQueue;
use saker_proc::users::NameTable;
use saker_state::{ContainerInfo, State, StateOptions};

use super::pipeline::Pipeline;
use crate::cmd::capture::format::{Record, read_records};
use crate::exit::Failure;

pub fn run(path: &Path, engine: Engine, outputs: OutputQueue) -> anyhow::Result<u8> {
    let file = std::fs::File::open(path)
        .map_err(|e| Failure::new(2, format!("saker run: cannot open {}: {e}", path.display())))?;
    // The recorded processes are not this machine's: nothing is read from /proc.
    let state = State::new(StateOptions {
        read_proc: false,
        container_storage: None,
    });
    let mut pipeline = Pipeline::new(state, engine, outputs);
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
    pipeline.finish();
    result.map_err(|e| Failure::new(2, format!("saker run: {}: {e}", path.display())))?;
    Ok(0)
}
