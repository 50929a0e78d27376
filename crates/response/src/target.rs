//! What an action acts on: the process and container of the event that raised the alert,
//! read through the engine's field interface when the alert is raised (the state may have
//! moved on by the time the action runs).

use saker_engine::{Event, FieldRef, FieldTable, Slot, Value};

/// The offending process and its container.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Target {
    /// The thread group (`proc.pid`); 0 when the event has no process.
    pub pid: u32,
    pub tid: u32,
    /// The pid in its own namespace (`proc.vpid`).
    pub vpid: u32,
    pub ppid: u32,
    /// `proc.name`: the kernel's comm.
    pub name: String,
    pub exepath: String,
    /// The 64-hex container id; `None` on the host.
    pub container_id: Option<String>,
    pub container_name: Option<String>,
    /// `container.type` (`podman`, `docker`, `containerd`, `cri-o`, `cri`).
    pub container_type: Option<String>,
    /// When the event happened (nanoseconds since the epoch): latencies count from here.
    pub event_time_ns: u64,
}

/// The engine's reference to field `name` (events that store values by slot need its slot),
/// or a slot-less one (live events go by field id).
fn field(fields: &FieldTable, name: &str) -> Option<FieldRef> {
    let id = saker_rules::fields::lookup(name)?;
    Some(fields.get(id, None).cloned().unwrap_or(FieldRef {
        id,
        arg: None,
        slot: Slot(u32::MAX),
    }))
}

fn text<E: Event + ?Sized>(event: &E, fields: &FieldTable, name: &str) -> Option<String> {
    match event.value(&field(fields, name)?)? {
        Value::Str(s) => Some(s.into_owned()),
        _ => None,
    }
}

fn number<E: Event + ?Sized>(event: &E, fields: &FieldTable, name: &str) -> u32 {
    match field(fields, name).and_then(|f| event.value(&f)) {
        Some(Value::Int(n)) => u32::try_from(n).unwrap_or(0),
        Some(Value::UInt(n)) => u32::try_from(n).unwrap_or(0),
        _ => 0,
    }
}

/// `<NA>`, empty and Falco's `host` mean "none".
fn present(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty() && v != "host" && v != "<NA>")
}

impl Target {
    /// The target of `event`; `fields` is the engine's field table.
    pub fn from_event<E: Event + ?Sized>(event: &E, fields: &FieldTable) -> Target {
        Target {
            pid: number(event, fields, "proc.pid"),
            tid: number(event, fields, "thread.tid"),
            vpid: number(event, fields, "proc.vpid"),
            ppid: number(event, fields, "proc.ppid"),
            name: text(event, fields, "proc.name").unwrap_or_default(),
            exepath: text(event, fields, "proc.exepath").unwrap_or_default(),
            container_id: present(text(event, fields, "container.full_id")),
            container_name: present(text(event, fields, "container.name")),
            container_type: present(text(event, fields, "container.type")),
            event_time_ns: event.time_ns(),
        }
    }

    /// `pid 4242 (apt-get) in container 0123456789ab`, as records show it.
    pub fn describe(&self) -> String {
        let mut out = format!(
            "pid {} ({})",
            self.pid,
            saker_event::escape::escape(&self.name)
        );
        if let Some(id) = &self.container_id {
            out.push_str(&format!(" in container {}", short(id)));
            if let Some(name) = &self.container_name {
                out.push_str(&format!(" ({})", saker_event::escape::escape(name)));
            }
        } else {
            out.push_str(" on the host");
        }
        out
    }
}

/// The 12-character id `podman ps` shows.
pub fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_read_is_in_the_registry() {
        for name in [
            "proc.pid",
            "thread.tid",
            "proc.vpid",
            "proc.ppid",
            "proc.name",
            "proc.exepath",
            "container.full_id",
            "container.name",
            "container.type",
        ] {
            assert!(saker_rules::fields::lookup(name).is_some(), "{name}");
        }
    }

    #[test]
    fn a_jsonl_event_gives_its_process_and_container() {
        let line = r#"{"evt.type":"execve","proc.pid":4242,"proc.name":"apt-get","container.full_id":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","container.type":"podman"}"#;
        let engine = test_engine();
        let event = saker_engine::JsonlEvent::parse(line, &engine).unwrap();
        let target = Target::from_event(&event, engine.fields());
        assert_eq!(target.pid, 4242);
        assert_eq!(target.name, "apt-get");
        assert_eq!(target.container_type.as_deref(), Some("podman"));
        assert_eq!(
            target.describe(),
            "pid 4242 (apt-get) in container 0123456789ab"
        );
    }

    /// An engine whose rule outputs name the fields the JSONL event must carry slots for.
    fn test_engine() -> saker_engine::Engine {
        let rules = "- rule: R\n  desc: d\n  condition: evt.type = execve\n  output: \"%proc.pid %thread.tid %proc.vpid %proc.ppid %proc.name %proc.exepath %container.full_id %container.name %container.type\"\n  priority: ERROR\n";
        let (ruleset, _) = saker_rules::load(&[saker_rules::SourceFile::new("r.yaml", rules)]);
        saker_engine::Engine::new(&ruleset, saker_engine::EngineOptions::default()).unwrap()
    }
}
