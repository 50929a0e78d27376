//! In-kernel syscall counting for `saker trace --ebpf -c`: the traced program never stops, the
//! kernel adds calls, errors and time per syscall number into a per-CPU array.
//!
//! The counting object (`src/bpf/count.bpf.c`) holds raw tracepoint programs only and no CO-RE
//! relocation, and `loader.rs` loads it without aya's `EbpfLoader`: counting never parses the
//! kernel's BTF, and works on kernels without it (docs/capture-bpf.md, "Counting").

use std::collections::BTreeMap;
use std::os::fd::{AsFd, OwnedFd};

use aya::maps::{Array, MapData, PerCpuArray};

use crate::capture::{preflight_without_btf, tracefs_events};
use crate::error::BpfError;
use crate::loader::{LoadedObject, attach_raw_tracepoint};
use crate::raw::{MAX_SYSCALLS, RawSyscallCount};

/// The committed counting object, built by scripts/build-bpf.sh from src/bpf/count.bpf.c: apart
/// from the capture object, so that loading it creates only what counting uses.
pub(crate) static COUNTER_OBJECT: &[u8] = aya::include_bytes_aligned!("../obj/count.bpf.o");

/// Totals of one syscall, summed over CPUs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyscallCount {
    pub calls: u64,
    /// Returns in `-4095..=-1`.
    pub errors: u64,
    /// Wall-clock time from entry to exit with [`Timing::WallClock`] (strace's `-w`), CPU
    /// time in the call with [`Timing::SystemTime`], 0 with [`Timing::Untimed`].
    pub total_ns: u64,
}

/// How [`SyscallCounter::start_with`] counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CounterConfig {
    /// Children (forks, clones into new processes) of counted processes are counted too.
    pub follow_forks: bool,
    /// Whether and how syscalls are timed.
    pub timing: Timing,
}

/// Whether and how the counter times each syscall.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timing {
    /// No times: `total_ns` stays 0, and only the exit of each syscall runs BPF code.
    Untimed,
    /// Wall-clock time from entry to exit, every call timed with the precise clock (strace
    /// `-c -w`): two clock reads per call.
    WallClock,
    /// The CPU time spent in each call, its waits left out (strace `-c`'s system time),
    /// estimated at about the cost of untimed counting: a call's first stretch on the CPU is
    /// timed for the first 64 calls of each syscall on each CPU, then for a random 1 in 16
    /// (counted 16-fold); its stretches after a switch-in are always timed (count.bpf.c,
    /// docs/capture-bpf.md "Counting").
    SystemTime,
}

impl Timing {
    /// Every way of timing, for tests that count each way.
    pub const ALL: [Timing; 3] = [Timing::Untimed, Timing::WallClock, Timing::SystemTime];
}

impl Default for CounterConfig {
    fn default() -> Self {
        CounterConfig {
            follow_forks: true,
            timing: Timing::WallClock,
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
    counts: PerCpuArray<MapData, RawSyscallCount>,
    tgid_bits: Array<MapData, u64>,
    enter_ns: Array<MapData, u64>,
    /// The raw tracepoint attachments: dropping them detaches the programs.
    links: Vec<OwnedFd>,
}

impl std::fmt::Debug for SyscallCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyscallCounter").finish_non_exhaustive()
    }
}

const COUNTS: &str = "syscall_counts";
const TGID_BITS: &str = "count_tgid_bits";
const ENTER_NS: &str = "count_enter_ns";
const STATE: &str = "count_state";
const NEW_TASKS: &str = "count_new_tasks";
const SWITCHED_OUT: &str = "count_switched_out";
/// count_state's index of the follow-forks setting (COUNT_FOLLOW_FORKS in count.bpf.c).
const STATE_FOLLOW_FORKS: u32 = 1;

/// The programs and where they attach: the process tracking first, so that a child forked
/// while the syscall programs attach is already followed.
const FORK: (&str, &str) = ("count_fork", "sched_process_fork");
const WALL_CLOCK: [(&str, &str); 2] = [("count_enter", "sys_enter"), ("count_exit", "sys_exit")];
const SYSTEM_TIME: [(&str, &str); 3] = [
    ("count_switch", "sched_switch"),
    ("count_enter_sys", "sys_enter"),
    ("count_exit_sys", "sys_exit"),
];
const UNTIMED: [(&str, &str); 1] = [("count_exit_untimed", "sys_exit")];

/// Whether a sched/sched_process_exit format (tracefs) has the `group_dead` field.
fn has_group_dead(format: &str) -> bool {
    format
        .lines()
        .any(|line| line.trim_start().starts_with("field:bool group_dead;"))
}

/// The program for sched_process_exit. `count_task_exit` takes the raw tracepoint's second
/// argument, `group_dead` (true when the last thread of a process exits), which Linux 6.16
/// added, and with it the format's field of the same name: without BTF the format is what says
/// which arguments the tracepoint has. Older kernels get `count_leader_exit`, which takes the
/// leader's exit for the process's (docs/capture-bpf.md, "Counting").
fn exit_program() -> Result<(&'static str, &'static str), BpfError> {
    let path = tracefs_events().join("sched/sched_process_exit/format");
    let format = std::fs::read_to_string(&path).map_err(|source| BpfError::Io {
        path: path.clone(),
        source,
    })?;
    let program = if has_group_dead(&format) {
        "count_task_exit"
    } else {
        "count_leader_exit"
    };
    Ok((program, "sched_process_exit"))
}

impl SyscallCounter {
    /// Starts counting for `pids` (thread-group ids). For a command, start it stopped, add its
    /// pid here, then let it run, so no syscall is missed.
    /// Counts calls, errors and wall-clock time (strace `-c -w`); see [`SyscallCounter::start_with`].
    pub fn start(pids: &[u32], follow_forks: bool) -> Result<SyscallCounter, BpfError> {
        SyscallCounter::start_with(
            pids,
            &CounterConfig {
                follow_forks,
                timing: Timing::WallClock,
            },
        )
    }

    /// Starts counting for `pids` as `config` says. On dd bs=1 untimed counting (one program,
    /// on `sys_exit`, no clock) costs about 1.35x, system time 1.6x, wall-clock time 2.1x
    /// (docs/capture-bpf.md, "Counting"). Needs no kernel BTF.
    pub fn start_with(pids: &[u32], config: &CounterConfig) -> Result<SyscallCounter, BpfError> {
        preflight_without_btf()?;
        let exit = exit_program()?;
        let pid_max = pid_max();
        let mut object = LoadedObject::create(
            "counter",
            COUNTER_OBJECT,
            &[
                (COUNTS, None),
                (TGID_BITS, Some(pid_max.div_ceil(64))),
                (ENTER_NS, Some(pid_max)),
                (STATE, None),
                (NEW_TASKS, None),
                (SWITCHED_OUT, None),
            ],
        )?;
        let mut state: Array<_, u64> =
            Array::try_from(object.take_map(STATE)?).map_err(BpfError::map(STATE))?;
        state
            .set(STATE_FOLLOW_FORKS, u64::from(config.follow_forks), 0)
            .map_err(BpfError::map(STATE))?;
        let mut counter = SyscallCounter {
            counts: PerCpuArray::try_from(object.take_map(COUNTS)?)
                .map_err(BpfError::map(COUNTS))?,
            tgid_bits: Array::try_from(object.take_map(TGID_BITS)?)
                .map_err(BpfError::map(TGID_BITS))?,
            enter_ns: Array::try_from(object.take_map(ENTER_NS)?)
                .map_err(BpfError::map(ENTER_NS))?,
            links: Vec::new(),
        };
        for &pid in pids {
            counter.add_pid(pid)?;
        }
        let syscalls: &[_] = match config.timing {
            Timing::Untimed => &UNTIMED,
            Timing::WallClock => &WALL_CLOCK,
            Timing::SystemTime => &SYSTEM_TIME,
        };
        for &(program, tracepoint) in [FORK, exit].iter().chain(syscalls) {
            // The attachment holds the program; its own fd can go.
            let fd = object.load_raw_tracepoint(program)?;
            let link = attach_raw_tracepoint(program, fd.as_fd(), tracepoint)?;
            counter.links.push(link);
        }
        Ok(counter)
    }

    /// Adds a process (thread-group id) to the counted set. Its syscall in progress, if any,
    /// is counted when timing is off and skipped when it is on.
    pub fn add_pid(&mut self, pid: u32) -> Result<(), BpfError> {
        if pid >= self.enter_ns.len() {
            return Err(BpfError::Process {
                pid,
                reason: format!("pid above pid_max {} at start", self.enter_ns.len()),
            });
        }
        // A start time left by an earlier thread with this id would be taken for this one's.
        self.enter_ns
            .set(pid, 0, 0)
            .map_err(BpfError::map(ENTER_NS))?;
        // Read-modify-write of one word: a child of a counted process that forks in between,
        // with a tgid in the same 64-pid word, could lose its bit. Pids are added before the
        // commands run (trace::count_command) or before their children fork, in practice.
        let word = self
            .tgid_bits
            .get(&(pid / 64), 0)
            .map_err(BpfError::map(TGID_BITS))?;
        self.tgid_bits
            .set(pid / 64, word | 1u64 << (pid % 64), 0)
            .map_err(BpfError::map(TGID_BITS))
    }

    /// The totals so far, by syscall number, for the syscalls called at least once.
    pub fn counts(&self) -> Result<BTreeMap<i64, SyscallCount>, BpfError> {
        let mut out = BTreeMap::new();
        for nr in 0..MAX_SYSCALLS {
            let per_cpu = self.counts.get(&nr, 0).map_err(BpfError::map(COUNTS))?;
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

#[cfg(test)]
mod tests {
    use super::has_group_dead;

    /// sched_process_exit's format on Linux 6.18 (with group_dead) and 6.1 (without).
    #[test]
    fn group_dead_is_found_in_the_exit_tracepoint_format() {
        let v6_18 = "name: sched_process_exit\nID: 369\nformat:\n\
            \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\
            \tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n\
            \tfield:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;\n\
            \tfield:int prio;\toffset:28;\tsize:4;\tsigned:1;\n\
            \tfield:bool group_dead;\toffset:32;\tsize:1;\tsigned:0;\n\n\
            print fmt: \"comm=%s pid=%d prio=%d group_dead=%s\", REC->comm, REC->pid, \
            REC->prio, REC->group_dead ? \"true\" : \"false\"\n";
        let v6_1 = "name: sched_process_exit\nID: 300\nformat:\n\
            \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\
            \tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n\
            \tfield:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;\n\
            \tfield:int prio;\toffset:28;\tsize:4;\tsigned:1;\n\n\
            print fmt: \"comm=%s pid=%d prio=%d\", REC->comm, REC->pid, REC->prio\n";
        assert!(has_group_dead(v6_18));
        assert!(!has_group_dead(v6_1));
        // The print format names it too: only a field line counts.
        assert!(!has_group_dead(
            "print fmt: \"group_dead=%s\", REC->group_dead\n"
        ));
    }
}
