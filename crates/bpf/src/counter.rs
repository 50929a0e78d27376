//! In-kernel syscall counting for `saker trace --ebpf -c`: the traced program never stops, the
//! kernel adds calls, errors and time per syscall number into a per-CPU array.

use std::collections::BTreeMap;

use aya::maps::{HashMap, PerCpuArray};
use aya::{Btf, Ebpf, EbpfLoader};

use crate::capture::{CAPTURE_OBJECT, attach_btf, preflight};
use crate::error::BpfError;
use crate::raw::{MAX_SYSCALLS, RawSyscallCount};

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
const PIDS: &str = "pid_filter";

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
        let follow_forks = config.follow_forks;
        let self_tgid = std::process::id();
        let follow = u8::from(follow_forks);
        let ebpf = EbpfLoader::new()
            .allow_unsupported_maps()
            .override_global("saker_tgid", &self_tgid, true)
            .override_global("filter_pids", &1u8, true)
            .override_global("follow_forks", &follow, true)
            // The lifecycle programs share the object; their records are not read here.
            .map_max_entries("events", 4096)
            .load(CAPTURE_OBJECT)
            .map_err(|source| BpfError::Load { source })?;
        let mut counter = SyscallCounter { ebpf };
        for &pid in pids {
            counter.add_pid(pid)?;
        }
        let btf = Btf::from_sys_fs().map_err(|source| BpfError::Btf { source })?;
        attach_btf(&mut counter.ebpf, "on_fork", "sched_process_fork", &btf)?;
        if config.timed {
            attach_btf(&mut counter.ebpf, "count_enter", "sys_enter", &btf)?;
            attach_btf(&mut counter.ebpf, "count_exit", "sys_exit", &btf)?;
        } else {
            attach_btf(&mut counter.ebpf, "count_exit_untimed", "sys_exit", &btf)?;
        }
        Ok(counter)
    }

    /// Adds a process to the counted set.
    pub fn add_pid(&mut self, pid: u32) -> Result<(), BpfError> {
        let map = self.ebpf.map_mut(PIDS).ok_or(BpfError::Missing {
            what: "map",
            name: PIDS,
        })?;
        let mut map: HashMap<_, u32, u8> = HashMap::try_from(map).map_err(BpfError::map(PIDS))?;
        map.insert(pid, 1, 0).map_err(BpfError::map(PIDS))
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
