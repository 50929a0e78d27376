//! saker-state: the live state behind Saker's rules, what libsinsp keeps for Falco.
//!
//! A [`State`] holds every process (seeded from /proc, then kept by fork, exec and exit
//! events) with its image, arguments, cwd, credentials, terminal, container and fd table
//! (fd -> path or socket tuple, kept by open, close, dup, socket, connect, accept, bind,
//! pipe...). [`State::apply`] updates it with one captured event and returns the event's
//! [`EventContext`]; a [`LiveEvent`] joins the event, its context and the state into the
//! engine's [`saker_engine::Event`], whose field values (`proc.pname`, `fd.name`,
//! `container.id`...) are computed only when a rule asks.
//!
//! Architecture invariant: exited processes leave the table (at the next event, after the
//! engine saw the exit; [`State::sweep`] catches those whose exit event was lost), so the
//! table stays as large as the set of live processes.
//!
//! ```
//! use saker_event::{Comm, EventBody, EventHeader, SyscallDetail, SyscallEvent, SyscallExit};
//! use saker_state::{State, StateOptions};
//!
//! let mut state = State::new(StateOptions { read_proc: false, containers: None });
//! let header = EventHeader {
//!     ts_ns: 1, tid: 42, pid: 42, ppid: 1, uid: 0, gid: 0, euid: 0, egid: 0,
//!     cgroup_id: 0, comm: Comm::from("touch"),
//! };
//! let open = SyscallEvent {
//!     header,
//!     body: EventBody::Syscall(SyscallExit {
//!         nr: 257, ret: 3, args: [0; 6], duration_ns: None, off_cpu_ns: None,
//!         detail: SyscallDetail::Open { dirfd: -100, path: "/etc/x".into(), flags: 0o101, mode: 0o644 },
//!     }),
//! };
//! let ctx = state.apply(&open);
//! assert_eq!(ctx.fd.unwrap().name, "/etc/x");
//! assert_eq!(state.process(42).unwrap().fds[&3].name, "/etc/x");
//! ```

mod cgroup_ids;
mod container;
mod container_fields;
mod error;
mod fd;
mod live_event;
mod mounts;
mod names;
mod path;
mod process;
mod seed;
mod table;

pub use container::{ContainerCache, ContainerInfo, container_type};
pub use error::StateError;
pub use fd::{FdEntry, FdKind, L4Proto};
pub use live_event::{EventTypes, LiveEvent, event_type_name, live_field_names};
pub use process::{Capabilities, FdTable, ProcessEntry};
pub use saker_container::{ContainerMeta, ContainerType};
pub use table::{ContainerStarted, EventContext, State, StateOptions, StateStats, open_mode};

#[cfg(test)]
mod tests;
