//! saker-proc: reading processes through /proc.
//!
//! Two layers: pure parse functions that take the text of one /proc file and return typed
//! data (no I/O, tested on captured files), and [`Process`], a handle on an open `/proc/PID`
//! directory that reads every file relative to it, so a pid reused between two reads cannot
//! mix two processes. Errors tell a process that went away ([`Error::Gone`], normal while
//! walking all processes) from one we may not read ([`Error::PermissionDenied`]).
//!
//! ```no_run
//! use saker_proc::{Process, cgroup};
//!
//! let p = Process::open(1)?;
//! let stat = p.stat()?;
//! println!("{} {} ppid={}", stat.pid, stat.comm, stat.ppid);
//! if let Some(c) = p.container()? {
//!     println!("in {} container {}", c.runtime, c.short_id());
//! }
//! // Parsers work on captured text too:
//! let c = cgroup::container_of_path("/system.slice/docker-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope");
//! assert_eq!(c.unwrap().short_id(), "0123456789ab");
//! # Ok::<(), saker_proc::Error>(())
//! ```

pub mod capabilities;
pub mod cgroup;
pub mod environ;
mod error;
pub mod fdinfo;
pub mod namespaces;
pub mod net;
mod process;
pub mod secrets;
pub mod stat;
pub mod status;
pub mod system;
pub mod tty;
pub mod users;

pub use cgroup::{Container, Runtime};
pub use error::{Error, Result};
pub use process::{Namespace, Process, all_pids};
pub use stat::Stat;
pub use status::Status;
pub use system::SystemInfo;
