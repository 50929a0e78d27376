//! saker-event: the types that flow between Saker's crates.
//!
//! An [`Alert`] is what the engine produces when a rule matches and what every output channel
//! consumes. It carries the already-formatted output text and the typed values of the fields the
//! output names, so channels never need the engine to encode it (text, Falco JSON, syslog).
//!
//! ```
//! use saker_event::{Alert, Priority};
//! let p: Priority = "informational".parse().unwrap();
//! assert_eq!(p, Priority::Informational);
//! assert_eq!(p.falco_name(), "Informational");
//! ```

mod alert;
pub mod calendar;
pub mod detail;
pub mod escape;
pub mod path;
mod priority;
pub mod syscall_event;
pub mod timefmt;

pub use alert::Alert;
pub use detail::{ArgMemory, NoMemory, decode_detail};
pub use priority::{ParsePriorityError, Priority};
pub use syscall_event::{
    Bytes, Capabilities, Comm, CopiedMemory, EventBody, EventHeader, ExecInfo, SockAddr,
    SyscallDetail, SyscallEvent, SyscallExit,
};
