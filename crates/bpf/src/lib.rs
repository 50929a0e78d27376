//! saker-bpf: Saker's eBPF capture. C programs (`src/bpf/capture.bpf.c`, built by
//! `scripts/build-bpf.sh` into the committed `obj/capture.bpf.o`) loaded with aya, so building
//! this crate needs no clang.
//!
//! - [`Capture`]: syscall, fork, exec and exit events for the rules engine, filtered in the
//!   kernel by syscall number, own process and an optional pid set.
//! - [`SyscallCounter`]: per-syscall calls/errors/time counted in the kernel (`trace --ebpf -c`);
//!   its own object and loader (`loader.rs`), which never read the kernel's BTF.
//! - [`trace`]: what `saker trace --ebpf` needs: run a command (or attach to pids) and stream
//!   all its syscalls, or count them.
//!
//! ```no_run
//! use std::time::Duration;
//! use saker_bpf::{Capture, CaptureConfig};
//!
//! let mut capture = Capture::start(&CaptureConfig::default())?;
//! capture.poll(Some(Duration::from_millis(100)), |event| println!("{event:?}"))?;
//! println!("dropped per CPU: {:?}", capture.drops()?);
//! # Ok::<(), saker_bpf::BpfError>(())
//! ```
//!
//! Design and measurements: docs/capture-bpf.md.

mod capture;
mod counter;
mod decode;
mod error;
mod kill;
mod loader;
mod open_filter;
pub mod raw;
mod ring;
mod spec;
pub mod trace;

pub use capture::{
    Capture, CaptureConfig, DispatchMode, batched_wakeup_bytes, possible_cpus, preflight,
};
pub use counter::{CounterConfig, SyscallCount, SyscallCounter, Timing};
pub use decode::{
    BootClock, SIGRETURN_FRAME, UC_SIGMASK_OFFSET, decode_record, decode_tracer_record,
};
pub use error::{BpfError, DecodeError, PRIVILEGE_HINT};
pub use kill::{KILL_MAX_ENTRIES, KillMaps, KillOutcome, KillReport, KillTable, Refusal};
pub use open_filter::{KEEP_MAX_PATHS, KeepOpens};
pub use ring::RingUse;
pub use spec::{CAPTURED_SYSCALLS, CapturedSyscall, STATE_SYSCALLS, captured};

/// The committed BPF object (for tools that inspect it).
pub fn capture_object() -> &'static [u8] {
    capture::CAPTURE_OBJECT
}

/// The committed counting object of `saker trace --ebpf -c` (for tools that inspect it).
pub fn counter_object() -> &'static [u8] {
    counter::COUNTER_OBJECT
}

/// An empty program on raw tracepoint `tracepoint`, attached until the fd is dropped: the floor
/// of `trace -c --ebpf`'s costs, for the benchmarks (`dispatch_bench`).
#[doc(hidden)]
pub fn bench_empty_raw_tracepoint(
    tracepoint: &'static str,
) -> Result<std::os::fd::OwnedFd, BpfError> {
    loader::empty_raw_tracepoint(tracepoint)
}

#[cfg(test)]
mod tests {
    /// The daemon reads events on its own thread.
    #[test]
    fn capture_and_counter_can_move_between_threads() {
        fn assert_send<T: Send>() {}
        assert_send::<crate::Capture>();
        assert_send::<crate::SyscallCounter>();
        assert_send::<saker_event::SyscallEvent>();
    }
}
