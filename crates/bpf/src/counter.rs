//! In-kernel syscall counting for `saker trace --ebpf -c`: the traced program never stops, the
//! kernel adds calls, errors and time per syscall number into a per-CPU array.

use std::collections::BTreeMap;

use aya::Ebpf;
use aya::maps::{Array, PerCpuArray};

use crate::capture::{attach_btf, drop_in_background, loader_and_kernel_btf, preflight};
use crate::error::BpfError;
use crate::raw::{MAX_SYSCALLS, RawSyscallCount};

/// The committed counting object, built by scripts/build-bpf.sh from src/bpf/count.bpf.c: apart
/// from the capture object, so that loading it relocates and creates only what counting uses.
pub(crate) static COUNTER_OBJECT: &[u8] = aya::include_bytes_aligned!("../obj/count.bpf.o");

/// Totals of one syscall, summed over CPUs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyscallCount {
    pub calls: u64,
    /// Returns in `-4095..=-1`.
    pub errors: u64,
    /// Wall-clock time from entry to exit (strace's `-w` meaning); 0 when not timed.
    pub total_ns: u64,
}

/// How [`SyscallCounter::start_with`] counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CounterConfig {
    /// Children (forks, clones into new processes) of counted processes are counted too.
    pub follow_forks: bool,
    /// Measure each syscall's wall-clock time, entry to exit (strace `-w`). Without it
    /// `total_ns` stays 0 and only the exit of each syscall runs BPF code.
    pub timed: bool,
}

impl Default for CounterConfig {
    fn default() -> Self {
        CounterConfig {
            follow_forks: true,
            timed: true,
        }
    }
}

/// The kernel's pid_max (ids are below it), 4194304 (the 64-bit limit) when unreadable.
fn pid_max() -> u32 {
    std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(4 << 20)
        .max(64)
}

/// Counts the syscalls of a set of processes (and their children when following forks).
pub struct SyscallCounter {
    ebpf: Ebpf,
}

impl std::fmt::Debug for SyscallCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyscallCounter").finish_non_exhaustive()
    }
}

const COUNTS: &str = "syscall_counts";
const TGID_BITS: &str = "count_tgid_bits";
const ENTER_NS: &str = "count_enter_ns";

impl SyscallCounter {
    /// Starts counting for `pids` (thread-group ids). For a command, start it stopped, add its
    /// pid here, then let it run, so no syscall is missed.
    /// Counts calls, errors and wall-clock time (strace `-c -w`); see [`SyscallCounter::start_with`].
    pub fn start(pids: &[u32], follow_forks: bool) -> Result<SyscallCounter, BpfError> {
        SyscallCounter::start_with(
            pids,
            &CounterConfig {
                follow_forks,
                timed: true,
            },
        )
    }

    /// Starts counting for `pids` as `config` says. Untimed counting attaches one program (on
    /// `sys_exit`) instead of two and reads no clock: about half the overhead
    /// (docs/capture-bpf.md, "Counting").
    pub fn start_with(pids: &[u32], config: &CounterConfig) -> Result<SyscallCounter, BpfError> {
        preflight()?;
        // A constant the loader may borrow for as long as it lives: it goes to the freeing
        // thread with its copy of the kernel BTF.
        let follow: &'static u8 = if config.follow_forks { &1 } else { &0 };
        let pid_max = pid_max();
        let (mut loader, btf) = loader_and_kernel_btf()?;
        let ebpf = loader
            .override_global("follow_forks", follow, true)
            .map_max_entries(TGID_BITS, pid_max.div_ceil(64))
            .map_max_entries(ENTER_NS, pid_max)
            .load(COUNTER_OBJECT)
            .map_err(|source| BpfError::Load { source })?;
        let mut counter = SyscallCounter { ebpf };
        for &pid in pids {
            counter.add_pid(pid)?;
        }
        attach_btf(&mut counter.ebpf, "count_fork", "sched_process_fork", &btf)?;
        attach_btf(
            &mut counter.ebpf,
            "count_task_exit",
            "sched_process_exit",
            &btf,
        )?;
        if config.timed {
            attach_btf(&mut counter.ebpf, "count_enter", "sys_enter", &btf)?;
            attach_btf(&mut counter.ebpf, "count_exit", "sys_exit", &btf)?;
        } else {
            attach_btf(&mut counter.ebpf, "count_exit_untimed", "sys_exit", &btf)?;
        }
        drop_in_background((loader, btf));
        Ok(counter)
    }

    /// Adds a process (thread-group id) to the counted set. Its syscall in progress, if any,
    /// is counted when timing is off and skipped when it is on.
    pub fn add_pid(&mut self, pid: u32) -> Result<(), BpfError> {
        let map = self.ebpf.map_mut(ENTER_NS).ok_or(BpfError::Missing {
            what: "map",
            name: ENTER_NS,
        })?;
        let mut enter: Array<_, u64> = Array::try_from(map).map_err(BpfError::map(ENTER_NS))?;
        if pid >= enter.len() {
            return Err(BpfError::Process {
                pid,
                reason: format!("pid above pid_max {} at start", enter.len()),
            });
        }
        // A start time left by an earlier thread with this id would be taken for this one's.
        enter.set(pid, 0, 0).map_err(BpfError::map(ENTER_NS))?;
        let map = self.ebpf.map_mut(TGID_BITS).ok_or(BpfError::Missing {
            what: "map",
            name: TGID_BITS,
        })?;
        let mut bits: Array<_, u64> = Array::try_from(map).map_err(BpfError::map(TGID_BITS))?;
        // Read-modify-write of one word: a child of a counted process that forks in between,
        // with a tgid in the same 64-pid word, could lose its bit. Pids are added before the
        // commands run (trace::count_command) or before their children fork, in practice.
        let word = bits.get(&(pid / 64), 0).map_err(BpfError::map(TGID_BITS))?;
        bits.set(pid / 64, word | 1u64 << (pid % 64), 0)
            .map_err(BpfError::map(TGID_BITS))
    }

    /// The totals so far, by syscall number, for the syscalls called at least once.
    pub fn counts(&self) -> Result<BTreeMap<i64, SyscallCount>, BpfError> {
        let map = self.ebpf.map(COUNTS).ok_or(BpfError::Missing {
            what: "map",
            name: COUNTS,
        })?;
        let array: PerCpuArray<_, RawSyscallCount> =
            PerCpuArray::try_from(map).map_err(BpfError::map(COUNTS))?;
        let mut out = BTreeMap::new();
        for nr in 0..MAX_SYSCALLS {
            let per_cpu = array.get(&nr, 0).map_err(BpfError::map(COUNTS))?;
            let mut sum = SyscallCount::default();
            for c in per_cpu.iter() {
                sum.calls += c.calls;
                sum.errors += c.errors;
                sum.total_ns += c.total_ns;
            }
            if sum.calls > 0 {
                out.insert(i64::from(nr), sum);
            }
        }
        Ok(out)
    }
}
