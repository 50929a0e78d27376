//! saker-ptrace: the ptrace backend of `saker trace` (x86_64).
//!
//! It starts a command (or attaches to running processes), follows its process tree, and
//! reports every stop — syscall entry and exit, signal, group-stop, exec, exit — to a
//! [`Handler`], which does the decoding and printing. The loop keeps the cost per stop low:
//! one `wait4`, one `PTRACE_GET_SYSCALL_INFO` (skipped for exits nobody asked for), one restart;
//! with `--seccomp-bpf` the kernel stops only on the traced calls.
//!
//! ```no_run
//! use saker_ptrace::{Command, Handler, Options, Stop, StopContext, Target, Tracer};
//!
//! struct Count(u64);
//! impl Handler for Count {
//!     fn on_stop(&mut self, ctx: &StopContext, stop: Stop<'_>) -> bool {
//!         if let Stop::SyscallEntry { .. } = stop {
//!             if !ctx.hidden {
//!                 self.0 += 1;
//!             }
//!         }
//!         false
//!     }
//! }
//!
//! let command = Command::new(&["true".into()])?;
//! let mut count = Count(0);
//! let tracer = Tracer::start(Options::default(), Target::Spawn(command), &mut count, &mut |_| {})?;
//! let finish = tracer.run(&mut count)?;
//! println!("{} syscalls, {finish:?}", count.0);
//! # Ok::<(), saker_ptrace::TraceError>(())
//! ```

mod command;
mod error;
mod fds;
mod genl;
mod memory;
mod nlquery;
pub mod seccomp;
mod sys;
mod tracer;

pub use command::{Command, resolve, spawn_stopped};
pub use error::{TraceError, errno_text};
pub use fds::{ProcessFds, device_of};
pub use genl::generic_netlink_family;
pub use memory::ProcessMemory;
pub use sys::{registers, set_return_value, set_syscall_number};
pub use tracer::{
    DEFAULT_SPIN, FatalSignals, Finish, Handler, Options, Resume, Stop, StopContext, Target, Tracer,
};
